#!/usr/bin/env python3
"""Writes the golden Nets files in this folder from the layout tables in
shared/specs/ocr-giro.md. Written by hand from the spec, independently of kidkit's own writer, so
that the two check each other. Run it from anywhere: python3 golden/ocr/make_golden.py

Valid files: *.ocr. Invalid files, one per diagnostic code: invalid/<CODE>.ocr, each a valid file
with one deliberate fault.
"""
import os

HERE = os.path.dirname(os.path.abspath(__file__))


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


def mod11(body):
    s = sum(int(c) * (2 + i % 6) for i, c in enumerate(reversed(body)))
    r = s % 11
    return body + ('0' if r == 0 else '-' if r == 1 else str(11 - r))


def rec(*parts):
    line = ''.join(parts)
    assert len(line) == 80, (len(line), line)
    return line


def z(n):
    return '0' * n


def num(v, n):
    s = str(v)
    assert len(s) <= n
    return s.rjust(n, '0')


def kid(k):
    return k.rjust(25)


def text(t, n):
    assert len(t) <= n
    return t.ljust(n)


def ocr_file():
    """OCR giro from Nets: one assignment with every transaction type 10-21."""
    lines = [rec('NY000010', '00008080', '0170604', '00010200', z(49))]
    lines.append(rec('NY090020', '001008566', '0000002', '99991042764', z(45)))
    txns = []
    kids = [luhn('00000123450'), mod11('0000004321'), luhn('1234567'), mod11('7000000004'),
            luhn('0000345009'), luhn('99999'), mod11('7001'), luhn('2026112'),
            luhn('55555555555555555555555'), luhn('000042'), '', luhn('8880')]
    dates = ['200126', '200126', '210126', '210126', '210126', '220126',
             '220126', '220126', '230126', '230126', '230126', '230126']
    amounts = [102000, 250050, 99, 1500000, 3000000, 12345, 67800, 45000, 1, 7500, 20000, 39900]
    signs = ['0'] * 12
    signs[8] = '-'  # type 18, a reversal with KID, as an electronic credit note
    for i, tt in enumerate(range(10, 22)):
        n = num(i + 1, 7)
        card = '04' if tt >= 18 else '00'
        lines.append(rec(f'NY09{tt}30', n, dates[i], '13', dates[i][:2], '1' if tt < 18 else '0',
                         num(i + 1, 5), signs[i], num(amounts[i], 17), kid(kids[i]), card, z(4)))
        ref = '123456789' if tt < 18 else '001234' + '007'
        debit = '12345678903' if tt < 18 else z(11)
        filler = '1883206' if tt == 14 else z(7)  # policy D2: kept on round trip
        lines.append(rec(f'NY09{tt}31', n, num(9000000000 + i, 10), ref, filler, dates[i],
                         debit, z(22)))
        if tt in (20, 21):
            msg = 'Refusjon kiosk' if tt == 20 else 'Kjøp på nett, ordre 4711'
            lines.append(rec(f'NY09{tt}32', n, text(msg, 40), z(25)))
        txns.append((amounts[i], signs[i]))
    net = sum(a if s == '0' else -a for a, s in txns)
    nrec = len(lines) - 1 + 1
    lines.append(rec('NY090088', num(12, 8), num(nrec, 8), num(net, 17), '230126', '200126', '230126', z(21)))
    lines.append(rec('NY000089', num(12, 8), num(len(lines) + 1, 8), num(net, 17), '230126', z(33)))
    return lines


def claims_file():
    """AvtaleGiro claims to Nets: types 21 (with specification records) and 02."""
    lines = [rec('NY000010', '00123456', '2511001', '00008080', z(49))]
    lines.append(rec('NY210020', z(9), '2511001', '86011117947', z(45)))
    claims = [
        (21, '011226', 150000, luhn('10010000001'), 'Ola Nordma', 'Faktura 1001 desember',
         [(1, 1, 'Strøm desember 2026'), (1, 2, '1 500,00'), (2, 1, 'Nettleie inkludert')]),
        (21, '151226', 75050, mod11('1001000002'), 'Kari Nordm', '', []),
        (2, '031226', 99900, luhn('10010000003'), '', 'Abonnement', []),
    ]
    amounts, dues = [], []
    for i, (tt, due, amt, k, short, ext, specs) in enumerate(claims):
        n = num(i + 1, 7)
        lines.append(rec(f'NY21{tt:02}30', n, due, ' ' * 11, num(amt, 17), kid(k), z(6)))
        lines.append(rec(f'NY21{tt:02}31', n, text(short, 10), ' ' * 25, text(ext, 25), z(5)))
        for (ln, col, t) in specs:
            lines.append(rec('NY212149', n, '4', num(ln, 3), str(col), text(t, 40), z(20)))
        amounts.append(amt)
        dues.append(due)
    first = min(dues, key=lambda d: d[4:] + d[2:4] + d[:2])
    last = max(dues, key=lambda d: d[4:] + d[2:4] + d[:2])
    lines.append(rec('NY210088', num(3, 8), num(len(lines), 8), num(sum(amounts), 17), first, last, z(27)))
    lines.append(rec('NY000089', num(3, 8), num(len(lines) + 1, 8), num(sum(amounts), 17), first, z(33)))
    return lines


def cancellation_file():
    """AvtaleGiro cancellations: item 1 alone, and item 1 with item 2."""
    lines = [rec('NY000010', '00123456', '2611001', '00008080', z(49))]
    lines.append(rec('NY213620', z(9), '2611001', '86011117947', z(45)))
    lines.append(rec('NY219330', num(1, 7), '011226', ' ' * 11, num(150000, 17), kid(luhn('10010000001')), z(6)))
    lines.append(rec('NY219330', num(2, 7), '151226', ' ' * 11, num(75050, 17), kid(mod11('1001000002')), z(6)))
    lines.append(rec('NY219331', num(2, 7), text('Kari Nordm', 10), ' ' * 25, ' ' * 25, z(5)))
    lines.append(rec('NY213688', num(2, 8), num(len(lines), 8), num(225050, 17), '011226', '151226', z(27)))
    lines.append(rec('NY000089', num(2, 8), num(len(lines) + 1, 8), num(225050, 17), '011226', z(33)))
    return lines


def mandates_file():
    """Mandates from Nets, transmission end date 000000 (mandates only)."""
    lines = [rec('NY000010', '00008080', '1904171', '00123456', z(49))]
    lines.append(rec('NY212420', z(9), '0000001', '86011117947', z(45)))
    ms = [(0, luhn('10010000001'), 'J'), (1, mod11('1001000002'), 'N'), (2, luhn('10010000003'), 'J')]
    for i, (t, k, notice) in enumerate(ms):
        lines.append(rec('NY219470', num(i + 1, 7), str(t), kid(k), notice, z(38)))
    lines.append(rec('NY212488', num(3, 8), num(len(lines), 8), z(56)))
    lines.append(rec('NY000089', num(3, 8), num(len(lines) + 1, 8), z(17), '000000', z(33)))
    return lines


def write(name, lines, ending='\r\n', final=True, encoding='latin-1', bom=False):
    data = ending.join(lines) + (ending if final else '')
    raw = data.encode(encoding)
    if bom:
        raw = b'\xef\xbb\xbf' + raw
    path = os.path.join(HERE, name)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, 'wb') as f:
        f.write(raw)


def replace(lines, index, start, new):
    """Returns a copy with `new` at 1-based column `start` of line `index` (0-based)."""
    out = list(lines)
    line = out[index]
    out[index] = line[:start - 1] + new + line[start - 1 + len(new):]
    return out


def main():
    ocr = ocr_file()
    write('ocr-giro-all-types.ocr', ocr)
    write('avtalegiro-claims.ocr', claims_file())
    write('avtalegiro-cancellation.ocr', cancellation_file())
    write('avtalegiro-mandates.ocr', mandates_file())
    write('ocr-giro-lf-utf8.ocr', ocr, ending='\n', encoding='utf-8')
    # gross totals (policy D3): the '-' amount of 1 øre added instead of subtracted
    gross = replace(ocr, len(ocr) - 2, 25, num(int(ocr[-2][24:41]) + 2, 17))
    gross = replace(gross, len(gross) - 1, 25, num(int(ocr[-1][24:41]) + 2, 17))
    write('ocr-giro-gross-totals.ocr', gross)

    bad = {}
    bad['OCR001'] = replace(ocr, 3, 1, '')[:3] + [ocr[3][:79]] + ocr[4:]
    bad['OCR002'] = replace(ocr, 2, 1, 'XY')
    bad['OCR003'] = replace(ocr, 2, 7, '33')
    bad['OCR004'] = ocr[:1] + [ocr[2], ocr[1]] + ocr[3:]
    bad['OCR005'] = replace(ocr, 2, 33, '00000000x00102000')
    bad['OCR006'] = replace(ocr, 2, 16, '310226')
    bad['OCR007'] = replace(ocr, 0, 40, '1')
    bad['OCR009'] = ocr[:5] + [''] + ocr[5:]
    bad['OCR010'] = replace(replace(ocr, 2, 5, '09'), 3, 5, '09')
    bad['OCR011'] = replace(ocr, 3, 9, '0000009')
    bad['OCR012'] = ocr[:3] + ocr[4:]
    claims = claims_file()
    bad['OCR013'] = replace(claims, 5, 17, '043')
    bad['OCR014'] = claims[:-2] + [rec('NY212149', num(3, 7), '4', '001', '1', text('ignored', 40), z(20))] + claims[-2:]
    bad['OCR020'] = replace(ocr, len(ocr) - 2, 9, num(13, 8))
    bad['OCR021'] = replace(ocr, len(ocr) - 2, 17, num(1, 8))
    bad['OCR022'] = replace(ocr, len(ocr) - 2, 25, num(1, 17))
    bad['OCR023'] = replace(ocr, len(ocr) - 2, 48, '190126')
    bad['OCR030'] = replace(ocr, len(ocr) - 1, 9, num(11, 8))
    bad['OCR031'] = replace(ocr, len(ocr) - 1, 17, num(1, 8))
    bad['OCR032'] = replace(ocr, len(ocr) - 1, 25, num(2, 17))
    bad['OCR040'] = ocr[:-1]
    bad['KID001'] = replace(ocr, 2, 74, '9' if ocr[2][73] != '9' else '8')
    bad['KID002'] = replace(ocr, 2, 50, ' ' * 25)
    bad['IO002'] = replace(ocr, 0, 40, '\x00')
    for code, lines in bad.items():
        if code == 'OCR014':
            # the extra specification record counts in the assignment and transmission ends
            lines = replace(lines, len(lines) - 2, 17, num(int(lines[-2][16:24]) + 1, 8))
            lines = replace(lines, len(lines) - 1, 17, num(int(lines[-1][16:24]) + 1, 8))
        write(f'invalid/{code}.ocr', lines)
    # a service kidkit does not decode (42, eFaktura) is kept verbatim with warning OCR008
    efaktura = ocr[:-1] + [rec('NY420020', z(72)), rec('NY420088', num(0, 8), num(2, 8), z(56))]
    efaktura.append(replace([ocr[-1]], 0, 17, num(len(efaktura) + 1, 8))[0])
    write('invalid/OCR008.ocr', efaktura)
    write('invalid/OCR041.ocr', gross)
    write('invalid/IO001.ocr', ocr, final=False, bom=True)


if __name__ == '__main__':
    main()
