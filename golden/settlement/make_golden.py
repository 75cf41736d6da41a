#!/usr/bin/env python3
"""Writes the golden settlements (layout KKA1, shared/specs/settlement.md) by hand, independently
of kidkit's writer. Valid: *.txt. Invalid, one per code: invalid/<CODE>.txt (a valid file with one
fault); SET017 is the writer's code: invalid/SET017.csv (rows whose text holds ';')."""
import os

HERE = os.path.dirname(os.path.abspath(__file__))
HEAD = ['H', 'KKA1', '987654325', 'Eksempel Inkasso AS', '33220', '825602232', 'Testkreditor AS', '968622',
        '20261124', '20261125', '64010573988', 'NOK']


def kr(ore):
    sign = '-' if ore < 0 else ''
    ore = abs(ore)
    return f'{sign}{ore // 100},{ore % 100:02d}'


def line(no, case, cust, inv, kid, name, date, kind, p, i, f, ac, c, v, loss, text='', net=None):
    if net is None:
        net = p + i + f - c - v
    return ['L', str(no), case, cust, inv, kid, name, date, kind] + [kr(x) for x in (p, i, f, ac, c, v, loss, net)] + [text]


def trailer(lines):
    sums = [0] * 8
    for l in lines:
        for k in range(8):
            s = l[9 + k]
            neg = s.startswith('-')
            a, b = s.lstrip('-').split(',')
            val = int(a) * 100 + int(b.ljust(2, '0'))
            sums[k] += -val if neg else val
    return ['T', str(len(lines))] + [kr(x) for x in sums]


def payments():
    ls = [line(1, '1832370', '11001', '34500', '0000345009', 'Kunde 1 AS', '20261123', 'PAYMENT', 300000, 4510, 3500, 105000, 30000, 7500, 0),
          line(2, '1832372', '11003', '34530', '', 'Ola Nordmann', '20261123', 'PAYMENT', 50000, 0, 0, 10000, 12500, 3125, 0, 'delbetaling'),
          line(3, '1832373', '11004', '34540', '', 'Kari Nordmann', '20261124', 'PAYMENT', 1000, 0, 0, 0, 5000, 1250, 0, 'provisjon over innbetalt')]
    return [HEAD] + ls + [trailer(ls)]


def writeoff_reversal():
    ls = [line(1, '1832371', '11002', '34520', '', 'Kunde 2', '20261123', 'WRITE_OFF', 0, 0, 0, 0, 0, 0, 20000, 'konkurs'),
          line(2, '1832370', '11001', '34500', '0000345009', 'Kunde 1 AS', '20261124', 'REVERSAL', -300000, -4510, -3500, -105000, -30000, -7500, 0, 'tilbakeført')]
    return [HEAD] + ls + [trailer(ls)]


def write(name, recs, enc='cp1252'):
    path = os.path.join(HERE, name)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, 'wb') as fh:
        fh.write(''.join(';'.join(r) + '\r\n' for r in recs).encode(enc))


def main():
    p, w = payments(), writeoff_reversal()
    write('settlement-payments.txt', p)
    write('settlement-writeoff-reversal.txt', w)
    L = p[1]

    def with_line(l, recompute=False):
        """The payments file with its first line replaced; the trailer recomputed only when the
        line's amounts are still amounts."""
        ls = [l] + p[2:-1]
        return [HEAD] + ls + [trailer(ls) if recompute else p[-1]]

    bad = {
        'SET001': p[1:],
        'SET002': with_line(L[:-1]),
        'SET003': p[:2] + [['X', 'junk']] + p[2:],
        'SET004': [HEAD[:1] + ['KKA2'] + HEAD[2:]] + p[1:],
        'SET010': with_line(L[:9] + ['3000,0x'] + L[10:]),
        'SET011': with_line(L[:7] + ['20261131'] + L[8:]),
        'SET012': [HEAD[:2] + ['987654326'] + HEAD[3:]] + p[1:],
        'SET013': [HEAD[:10] + ['64010573989'] + HEAD[11:]] + p[1:],
        'SET014': with_line(L[:5] + ['0000345007'] + L[6:]),
        'SET015': [HEAD[:11] + ['SEK']] + p[1:],
        'SET016': with_line(L[:6] + ['K' * 61] + L[7:]),
        'SET018': with_line(L[:4] + [''] + L[5:]),
        'SET020': [HEAD] + [p[1], ['L', '3'] + p[2][2:], ['L', '4'] + p[3][2:]] + [p[-1]],
        'SET021': with_line(L[:8] + ['REFUND'] + L[9:]),
        'SET022': with_line(L[:15] + ['10,00'] + L[16:], True),
        'SET023': with_line(L[:16] + ['2705,11'] + L[17:], True),
        'SET030': p[:-1] + [['T', '4'] + p[-1][2:]],
        'SET031': p[:-1] + [p[-1][:3] + ['80,11'] + p[-1][4:]],
        'SET040': [HEAD] + p[1:-1] + [p[1][:1] + ['4'] + p[1][2:]] + [trailer(p[1:-1] + [p[1]])],
        'IO001': with_line(L[:10] + ['45,1'] + L[11:], True),
    }
    for code, recs in bad.items():
        write(f'invalid/{code}.txt', recs)
    # SET017: flat rows whose text holds ';' (quoted in the CSV, refused by the writer)
    cols = 'agency_orgno;agency_name;client_no;creditor_orgno;creditor_name;settlement_no;settlement_date;payout_date;payout_account;currency;line_no;case_no;customer_no;invoice_no;kid;debtor_name;event_date;kind;principal;interest;fees;agency_costs;commission;vat;loss;net;text'
    row = '987654325;Eksempel Inkasso AS;33220;825602232;Testkreditor AS;968622;2026-11-24;2026-11-25;64010573988;NOK;1;1832370;11001;34500;0000345009;Kunde 1 AS;2026-11-23;PAYMENT;3000.00;45.10;35.00;1050.00;300.00;75.00;0.00;2705.10;"delbetaling; rest følger"'
    with open(os.path.join(HERE, 'invalid/SET017.csv'), 'w', encoding='utf-8') as fh:
        fh.write(cols + '\n' + row + '\n')


if __name__ == '__main__':
    main()
