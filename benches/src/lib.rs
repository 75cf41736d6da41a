//! Deterministic data for kidkit's benchmarks and scale tests: the same seed always gives the
//! same bytes, so figures and known answers can be reproduced.

#![forbid(unsafe_code)]

pub mod matching;

use kidkit_core::{KidRule, make_check_char};

/// A small, fast, deterministic pseudo-random generator (`SplitMix64`).
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    /// A generator for `seed`.
    pub fn new(seed: u64) -> Self {
        Rng(seed)
    }
    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// A number in `0..n` (`n` > 0).
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n
    }
}

/// `count` KIDs of `len` characters made with `rule` (MOD11 bodies whose check character would
/// be `-` are skipped), from `seed`.
pub fn kids(count: usize, len: usize, rule: KidRule, seed: u64) -> Vec<String> {
    let mut rng = Rng::new(seed);
    let mut out = Vec::with_capacity(count);
    while out.len() < count {
        let body: String = (0..len - 1).map(|_| char::from(b'0' + rng.below(10) as u8)).collect();
        if let Ok(c) = make_check_char(&body, rule) {
            if c != b'-' {
                out.push(format!("{body}{}", c as char));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use kidkit_core::check_kid;

    #[test]
    fn deterministic_and_valid() {
        let a = kids(100, 12, KidRule::Mod11, 42);
        assert_eq!(a, kids(100, 12, KidRule::Mod11, 42));
        assert_ne!(a, kids(100, 12, KidRule::Mod11, 43));
        assert!(a.iter().all(|k| k.len() == 12 && check_kid(k).unwrap().mod11()));
    }
}

/// Writes a valid OCR giro file of about `target_bytes` bytes (CRLF): assignments of up to
/// 100 000 transactions of every type 10–21, amounts and dates varying, KIDs valid MOD10 or
/// MOD11, a `-` sign now and then. The same seed gives the same file.
pub fn write_ocr_file(out: impl std::io::Write, target_bytes: u64, seed: u64) -> std::io::Result<OcrStats> {
    use chrono::NaiveDate;
    use kidkit_core::LineEnding;
    use kidkit_core::TextEncoding;
    use kidkit_ocr::{Assignment, Events, Items, OcrTransaction, TotalsConvention, TransmissionStart, Writer};

    let mut rng = Rng::new(seed);
    let mut w = Writer::new(
        std::io::BufWriter::with_capacity(1 << 20, out),
        LineEnding::Crlf,
        TextEncoding::Latin1,
        TotalsConvention::Net,
    );
    w.transmission_start(&TransmissionStart {
        data_transmitter: "00008080".into(),
        transmission_number: "0000001".into(),
        data_recipient: "00010200".into(),
    })?;
    let base = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap_or_default();
    let mut stats = OcrStats::default();
    let mut written = 160u64;
    let mut assignment = 0u64;
    while written < target_bytes {
        assignment += 1;
        w.assignment_start(
            0,
            &Assignment {
                agreement_id: format!("{:09}", 1_000_000 + assignment),
                assignment_number: format!("{assignment:07}"),
                assignment_account: "86011117947".into(),
                nets_date: None,
                items: Items::Ocr(Vec::new()),
            },
        )?;
        written += 164;
        let mut in_assignment = 0u32;
        let mut day = 0u64;
        while written < target_bytes && in_assignment < 100_000 {
            in_assignment += 1;
            let tt = 10 + rng.below(12) as u8;
            day += u64::from(rng.below(50) == 0);
            let nets_date = base + chrono::Duration::days((day % 360) as i64);
            let kid_len = 5 + rng.below(20) as usize;
            let rule = if rng.below(3) == 0 { KidRule::Mod11 } else { KidRule::Mod10 };
            let kid = if matches!(tt, 20 | 21) && rng.below(4) == 0 {
                String::new()
            } else {
                kids(1, kid_len, rule, rng.next_u64()).remove(0)
            };
            let negative = tt == 18 && rng.below(2) == 0;
            let amount_ore = 100 + rng.below(5_000_000);
            let t = OcrTransaction {
                transaction_type: tt,
                transaction_number: None,
                nets_date: Some(nets_date),
                centre_id: "13".into(),
                day_code: format!("{:02}", chrono::Datelike::day(&nets_date)),
                partial_settlement_number: if tt < 18 { "1".into() } else { "0".into() },
                partial_settlement_serial_number: format!("{:05}", rng.below(100_000)),
                negative,
                amount_ore,
                kid,
                card_issuer: if tt >= 18 { "04".into() } else { "00".into() },
                form_number: format!("{:010}", rng.below(10_000_000_000)),
                reference: format!("{:09}", rng.below(1_000_000_000)),
                filler_35_41: "0000000".into(),
                bank_date: Some(nets_date),
                debit_account: if tt < 18 { "12345678903".into() } else { "00000000000".into() },
                text: if matches!(tt, 20 | 21) { format!("Kjøp {}", rng.below(1_000_000)) } else { String::new() },
            };
            w.ocr(0, &t)?;
            stats.transactions += 1;
            stats.records += if matches!(tt, 20 | 21) { 3 } else { 2 };
            written += if matches!(tt, 20 | 21) { 246 } else { 164 };
        }
        w.assignment_end(None)?;
        stats.records += 2;
    }
    w.transmission_end(None)?;
    stats.records += 2;
    let mut out = w.into_inner();
    std::io::Write::flush(&mut out)?;
    Ok(stats)
}

/// What [`write_ocr_file`] wrote.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct OcrStats {
    /// Transactions written.
    pub transactions: u64,
    /// Records written.
    pub records: u64,
}

/// Writes a valid creditor upload with `cases` cases (one to three claims each, a contact
/// record each, now and then a credit note), ISO-8859-1 with CRLF. The same seed gives
/// the same file.
pub fn write_upload_file(out: impl std::io::Write, cases: u64, seed: u64) -> std::io::Result<u64> {
    use kidkit_core::LineEnding;
    use kidkit_core::TextEncoding;
    use kidkit_upload::{RecordType as R, Writer};

    let mut rng = Rng::new(seed);
    let mut w = Writer::new(std::io::BufWriter::with_capacity(1 << 20, out), LineEnding::Crlf, TextEncoding::Latin1);
    w.record(
        R::Header,
        &[
            ("format", "KUP1"),
            ("creditor_orgno", "825602232"),
            ("client_no", "33220"),
            ("creation_date", "20261120"),
            ("file_sequence", "1"),
            ("currency", "NOK"),
            ("creditor_name", "Testkreditor AS"),
        ],
    )?;
    let mut claims_written = 0u64;
    for c in 0..cases {
        let reference = format!("S-{c:09}");
        let company = rng.below(4) == 0;
        let customer = format!("{}", 10_000 + c);
        let (typ, id, first, last) =
            if company { ("F", "988077917", "Kunde AS", "") } else { ("P", "01010012356", "Ola", "Nordmann") };
        w.record(
            R::Case,
            &[
                ("case_ref", &reference),
                ("debtor_type", typ),
                ("national_id", id),
                ("first_name", first),
                ("last_name", last),
                ("street", "Storgata 1"),
                ("postcode", "7013"),
                ("place", "TRONDHEIM"),
                ("customer_no", &customer),
            ],
        )?;
        w.record(R::Contact, &[("mobile", "+4791234567"), ("email", "kunde@example.no"), ("language", "NO")])?;
        let n = 1 + rng.below(3);
        for k in 0..n {
            let invoice = format!("F{c:09}-{k}");
            let amount = (1_000 + rng.below(1_000_000)).to_string();
            let credit = k > 0 && rng.below(10) == 0;
            let amount = if credit { "100".to_owned() } else { amount };
            let kid = kids(1, 10, KidRule::Mod10, rng.next_u64()).remove(0);
            w.record(
                R::Claim,
                &[
                    ("invoice_no", &invoice),
                    ("invoice_date", "20260915"),
                    ("due_date", "20261001"),
                    ("sign", if credit { "-" } else { " " }),
                    ("remaining_principal", &amount),
                    ("kid", &kid),
                    ("currency", "NOK"),
                    ("claim_text", "Varer levert"),
                ],
            )?;
            claims_written += 1;
        }
        w.record(R::Action, &[("action_group", "IKVAR"), ("notice_date", "20261101")])?;
    }
    let mut out = w.finish()?;
    std::io::Write::flush(&mut out)?;
    Ok(claims_written)
}

/// Writes a valid settlement with `lines` lines (payments, partial payments, now and then a
/// write-off or reversal), Windows-1252 with CRLF. The same seed gives the same file.
pub fn write_settlement_file(out: impl std::io::Write, lines: u64, seed: u64) -> std::io::Result<()> {
    use kidkit_core::LineEnding;
    use kidkit_core::TextEncoding;
    use kidkit_settlement::Writer;

    let mut rng = Rng::new(seed);
    let mut writer =
        Writer::new(std::io::BufWriter::with_capacity(1 << 20, out), LineEnding::Crlf, TextEncoding::Windows1252);
    let head = [
        ("agency_orgno", "987654325"),
        ("agency_name", "Eksempel Inkasso AS"),
        ("client_no", "33220"),
        ("creditor_orgno", "825602232"),
        ("creditor_name", "Testkreditor AS"),
        ("settlement_no", "968622"),
        ("settlement_date", "20261124"),
        ("payout_date", "20261125"),
        ("payout_account", "64010573988"),
        ("currency", "NOK"),
    ];
    writer.header(&head.iter().map(|(k, v)| (*k, (*v).to_owned())).collect::<Vec<_>>())?;
    for n in 1..=lines {
        let roll = rng.below(20);
        let (kind, amounts) = match roll {
            0 => ("WRITE_OFF", [0, 0, 0, 0, 0, 0, 10_000 + rng.below(100_000) as i64, 0]),
            1 => {
                let principal = -(rng.below(500_000) as i64);
                let (commission, vat) = (principal / 10, principal / 40);
                ("REVERSAL", [principal, 0, 0, 0, commission, vat, 0, principal - commission - vat])
            }
            _ => {
                let (principal, interest, fees) = (rng.below(1_000_000) as i64, rng.below(10_000) as i64, 3_500);
                let collected = principal + interest + fees;
                let (commission, vat) = (collected / 10, collected / 40);
                (
                    "PAYMENT",
                    [
                        principal,
                        interest,
                        fees,
                        rng.below(100_000) as i64,
                        commission,
                        vat,
                        0,
                        collected - commission - vat,
                    ],
                )
            }
        };
        let kid = kids(1, 10, KidRule::Mod10, rng.next_u64()).remove(0);
        let texts = [
            ("line_no", n.to_string()),
            ("case_no", (1_000_000 + n).to_string()),
            ("customer_no", (10_000 + n % 9_000).to_string()),
            ("invoice_no", format!("F{n}")),
            ("kid", kid),
            ("debtor_name", "Kunde AS".to_owned()),
            ("event_date", "20261123".to_owned()),
            ("kind", kind.to_owned()),
        ];
        writer.line(&texts, amounts, "")?;
    }
    let mut out = writer.finish()?;
    std::io::Write::flush(&mut out)
}
