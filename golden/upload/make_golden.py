#!/usr/bin/env python3
"""Writes the golden creditor upload files (layout KUP1, shared/specs/creditor-upload.md) by hand
from the spec's layout table, independently of kidkit's writer.

Valid: *.txt. Invalid, one per diagnostic code: invalid/<CODE>.txt, each a valid file with one
deliberate fault. Validate with --today 2026-11-25. UPL050 is the writer's code: its golden input
is invalid/UPL050.csv (rows of upload-person.txt with a euro sign, which ISO-8859-1 cannot hold),
made with `kidkit convert upload-person.txt --to csv` and an edit. review/several-cases.txt has
faults in several cases, as support staff meet them (grouping, the HTML report, masking).
"""
import os

HERE = os.path.dirname(os.path.abspath(__file__))


def put(fields):
    """fields: list of (start column, width, value, align) -> 200-character record."""
    line = [' '] * 200
    for start, width, value, align in fields:
        value = str(value)
        assert len(value) <= width, (value, width)
        value = value.rjust(width, '0' if align == 'z' else ' ') if align in ('z', 'r') else value.ljust(width)
        line[start - 1:start - 1 + width] = list(value)
    return ''.join(line)


def header(orgno='825602232', client='33220', created='20261120', seq='17', name='Testkreditor AS', fmt='KUP1', cur='NOK'):
    return put([(1, 2, '00', 'l'), (3, 4, fmt, 'l'), (7, 9, orgno, 'l'), (16, 10, client, 'z'), (26, 8, created, 'l'),
                (34, 6, seq, 'z'), (40, 3, cur, 'l'), (43, 40, name, 'l')])


def case(ref, typ, nid, first, last='', street='Storgata 1', postcode='7013', place='TRONDHEIM', country='',
         customer='11001', minor='', secret=''):
    return put([(1, 2, '10', 'l'), (3, 20, ref, 'l'), (23, 1, typ, 'l'), (24, 11, nid, 'l'), (35, 30, first, 'l'),
                (65, 30, last, 'l'), (95, 35, street, 'l'), (130, 10, postcode, 'l'), (140, 30, place, 'l'),
                (170, 2, country, 'l'), (172, 15, customer, 'l'), (187, 1, minor, 'l'), (188, 1, secret, 'l')])


def contact(mobile='+4791234567', email='ola@example.no', lang='NO', co=''):
    return put([(1, 2, '11', 'l'), (3, 15, mobile, 'l'), (18, 60, email, 'l'), (78, 2, lang, 'l'), (80, 36, co, 'l')])


def claim(inv, due, remaining, invoice_date='20260915', sign=' ', original='', kid='', cur='NOK', interest='',
          fee='', reminder='', text='Varer levert'):
    return put([(1, 2, '20', 'l'), (3, 20, inv, 'l'), (23, 8, invoice_date, 'l'), (31, 8, due, 'l'), (39, 1, sign, 'l'),
                (40, 13, original, 'z' if original != '' else 'l'), (53, 13, remaining, 'z' if remaining != '' else 'l'),
                (66, 25, kid, 'r'), (91, 3, cur, 'l'), (94, 8, interest, 'l'),
                (102, 9, fee, 'z' if fee != '' else 'l'), (111, 8, reminder, 'l'), (119, 50, text, 'l')])


def action(date='20261101', info='', group='IKVAR'):
    return put([(1, 2, '30', 'l'), (3, 5, group, 'l'), (8, 8, date, 'l'), (16, 60, info, 'l')])


def trailer(lines):
    cases = sum(1 for l in lines if l[:2] == '10')
    claims = [l for l in lines if l[:2] == '20']
    total = sum(-int(l[52:65]) if l[38] == '-' else int(l[52:65]) for l in claims if l[52:65].strip().isdigit())
    sign = '-' if total < 0 else '+'
    return put([(1, 2, '99', 'l'), (3, 8, cases, 'z'), (11, 8, len(claims), 'z'), (19, 1, sign, 'l'),
                (20, 15, abs(total), 'z'), (35, 8, len(lines) + 1, 'z')])


def luhn(body):
    s = 0
    for i, c in enumerate(reversed(body)):
        d = int(c)
        if i % 2 == 0:
            d *= 2
            if d > 9:
                d -= 9
        s += d
    return body + str((10 - s % 10) % 10)


def person_file():
    """A person debtor with a contact record; one claim with a reminder fee and a KID."""
    body = [header(),
            case('A-1001', 'P', '01010012356', 'Ola', 'Nordmann', customer='11001'),
            contact(),
            claim('34500', '20261001', 150000, original=150000, kid=luhn('0000345000'), fee=3500,
                  reminder='20261020', interest='20261001'),
            action('20261101', 'Inkassovarsel sendt per brev')]
    return body + [trailer(body)]


def company_file():
    """A company debtor without contact record; several claims and a credit note."""
    body = [header(seq='18'),
            case('B-2001', 'F', '988077917', 'Kunde 1 AS', street='Industriveien 9', postcode='0581', place='OSLO',
                 customer='11002'),
            claim('34520', '20260901', 200000, invoice_date='20260815'),
            claim('34521', '20261005', 75050, invoice_date='20260920', kid=luhn('3452100')),
            claim('K-34522', '20261005', 25000, invoice_date='20260925', sign='-', text='Kreditnota på faktura 34521'),
            action('20261102'),
            case('B-2002', 'O', '974760673', 'Trondheim kommune', street='Munkegata 1', postcode='7004', place='TRONDHEIM',
                 customer='11003'),
            claim('34530', '20260910', 99900, invoice_date='20260820', sign='+'),
            action('20261030')]
    return body + [trailer(body)]


def foreign_file():
    """A person living in Sweden, contact in English."""
    body = [header(seq='19'),
            case('C-3001', 'P', '01010012356', 'Sven', 'Svensson', street='Drottninggatan 5', postcode='111 51',
                 place='STOCKHOLM', country='SE', customer='20001'),
            contact(mobile='+46701234567', email='sven@example.se', lang='EN', co='c/o Andersson'),
            claim('44001', '20260930', 500000, invoice_date='20260901', original=600000),
            action('20261015')]
    return body + [trailer(body)]


def review_file():
    """Three cases with faults in two of them, for support staff's review (grouping, the HTML
    report, masking): a person with a wrong fødselsnummer check digit and a wrong KID, a company
    with a bad sign and no contact, a person whose claim is fine."""
    body = [header(seq='20'),
            case('S-1001', 'P', '01010012357', 'Kari', 'Nordmann', customer='11010'),
            contact(mobile='+4791234500', email='kari@example.no'),
            claim('50100', '20261001', 120000, kid='0000501001'),
            action('20261101'),
            case('S-1002', 'F', '988077917', 'Kunde 2 AS', street='Industriveien 9', postcode='0581', place='OSLO',
                 customer='11011'),
            claim('50200', '20261001', 80000, sign='*'),
            action('20261101'),
            case('S-1003', 'P', '01010012356', 'Ola', 'Nordmann', customer='11012'),
            contact(),
            claim('50300', '20261001', 45000, kid=luhn('0000503000')),
            action('20261101')]
    return body + [trailer(body)]


def write(name, lines, ending='\r\n', encoding='latin-1'):
    path = os.path.join(HERE, name)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, 'wb') as f:
        f.write((ending.join(lines) + ending).encode(encoding))


def swap(lines, i, new):
    out = list(lines)
    out[i] = new
    return out


def retrail(lines):
    """Replaces the trailer of a whole file with a correct one."""
    return with_trailer(lines[:-1])


def with_trailer(body):
    """Adds a correct trailer to records without one."""
    return body + [trailer(body)]


def main():
    p, c, f = person_file(), company_file(), foreign_file()
    write('upload-person.txt', p)
    write('upload-company-several-claims.txt', c)
    write('upload-foreign-debtor.txt', f)

    bad = {
        'UPL001': swap(p, 2, p[2] + 'XYZ'),
        'UPL002': retrail(p[:3] + [put([(1, 2, '21', 'l')])] + p[3:]),
        'UPL003': with_trailer([p[0], p[1], p[3], p[2], p[4]]),
        'UPL004': with_trailer([header(fmt='KUP2')] + p[1:-1]),
        'UPL005': swap(p, 1, p[1][:195] + 'extra'),
        'UPL006': swap(p, 1, case('A-1001', 'X', '01010012356', 'Ola', 'Nordmann')),
        'UPL010': swap(p, 1, case('A-1001', 'P', '01010012356', 'Ola', 'Nordmann', place='')),
        'UPL011': swap(p, 1, case('A-1001', 'P', '01010012356', 'Ola', 'Nordmann', street='')),
        'UPL012': swap(p, 1, case('A-1001', 'P', '01010012357', 'Ola', 'Nordmann')),
        'UPL013': swap(c, 1, case('B-2001', 'F', '988077918', 'Kunde 1 AS', postcode='0581', place='OSLO')),
        'UPL014': swap(p, 1, case('A-1001', 'P', '01010012356', 'Ola', 'Nordmann', postcode='701')),
        'UPL015': retrail(swap(p, 3, claim('34500', '20261331', 150000, original=150000, kid=luhn('0000345000'), fee=3500, reminder='20261020'))),
        'UPL016': swap(p, 3, p[3][:55] + 'x' + p[3][56:]),
        'UPL017': retrail(swap(p, 3, claim('34500', '20261001', 150000, original=150000, kid='0000345001', fee=3500, reminder='20261020'))),
        'UPL018': retrail(swap(p, 3, claim('34500', '20261001', 150000, original=150000, cur='SEK'))),
        'UPL019': swap(p, 2, contact(email='ola.example.no')),
        'UPL020': retrail(swap(p, 3, claim('34500', '20261001', 150000, sign='*'))),
        'UPL021': retrail(swap(p, 3, claim('34500', '20261001', 150000, original=140000))),
        'UPL022': retrail(swap(p, 3, claim('34500', '20261001', 150000, fee=7000, reminder='20261020'))),
        'UPL023': with_trailer(p[:-1] + [case('A-1001', 'F', '988077917', 'Kunde 1 AS'), claim('34599', '20261001', 1000), action('20261101')]),
        'UPL024': with_trailer(p[:-1] + [case('A-1002', 'F', '988077917', 'Kunde 1 AS'), claim('34500', '20261001', 1000), action('20261101')]),
        'UPL025': with_trailer(c[:4] + [claim('K-34522', '20261005', 300000, sign='-')] + c[5:-1]),
        'UPL026': retrail(swap(p, 3, claim('34500', '20261001', 150000, fee=3500, reminder='20261010'))),
        'UPL027': retrail(swap(p, 3, claim('34500', '20261001', 150000, invoice_date='20261005'))),
        'UPL028': swap(c, 1, case('B-2001', 'F', '988077917', 'Kunde 1 AS', last='AS', postcode='0581', place='OSLO')),
        'UPL030': with_trailer(p[:4] + p[5:-1]),
        'UPL031': swap(p, 4, action('20260920')),
        'UPL032': swap(p, 4, action('20261110')),
        'UPL040': p[:-1] + [put([(1, 2, '99', 'l'), (3, 8, 2, 'z'), (11, 8, 1, 'z'), (19, 1, '+', 'l'), (20, 15, 150000, 'z'), (35, 8, 6, 'z')])],
        'UPL041': p[:-1] + [put([(1, 2, '99', 'l'), (3, 8, 1, 'z'), (11, 8, 1, 'z'), (19, 1, '+', 'l'), (20, 15, 150001, 'z'), (35, 8, 6, 'z')])],
        'UPL042': p[:-1] + [put([(1, 2, '99', 'l'), (3, 8, 1, 'z'), (11, 8, 1, 'z'), (19, 1, '+', 'l'), (20, 15, 150000, 'z'), (35, 8, 9, 'z')])],
    }
    for code, lines in bad.items():
        write(f'invalid/{code}.txt', lines)
    write('review/several-cases.txt', review_file())


if __name__ == '__main__':
    main()
