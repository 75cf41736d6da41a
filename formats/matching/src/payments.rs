//! Payments, streamed in batches: from a payments CSV (`kid;amount;date`, optionally
//! `payer_account;reference`) or from a Nets OCR giro file (every service-09 transaction).
//!
//! Every input problem is a finding. Once one is found, no further batch is handed on: the run
//! will fail, and matching the rest would be wasted.

use std::io::{self, Read};

use kidkit_core::{AmountSyntax, Diagnostic, FileReport, Findings, parse_compact_or_iso, parse_kroner};
use kidkit_ocr::{Assembler, Assignment, Claim, Events, Mandate, OcrTransaction, ReadOptions, TransmissionStart};

use crate::model::Payment;
use crate::table::{self, Columns};

/// The columns of a payments CSV; the first three are required.
pub const PAYMENT_COLUMNS: [&str; 5] = ["kid", "amount", "date", "payer_account", "reference"];
const KID: usize = 0;
const AMOUNT: usize = 1;
const DATE: usize = 2;

/// Payments handed on at a time from a Nets file.
const BATCH: usize = 1 << 16;

/// Reads one row of a payments CSV.
fn row(r: &table::Row<'_>, out: &mut Vec<Diagnostic>) -> Option<Payment> {
    let amount = match parse_kroner(r.get(AMOUNT), AmountSyntax::EITHER) {
        Ok(0) => {
            out.push(r.error("MAT003", AMOUNT, "amount", "amount must not be zero; found '0'".into()));
            None
        }
        Ok(a) => Some(a),
        Err(e) => {
            let msg = format!("amount must be kroner with a decimal comma or point; found '{}' ({e})", r.get(AMOUNT));
            out.push(r.error("MAT003", AMOUNT, "amount", msg));
            None
        }
    };
    if parse_compact_or_iso(r.get(DATE).as_bytes()).is_err() {
        let msg = format!("date must be a date YYYYMMDD or YYYY-MM-DD; found '{}'", r.get(DATE));
        out.push(r.error("MAT004", DATE, "date", msg));
    }
    Some(Payment { line: r.line, kid: r.get(KID).to_owned(), amount: amount? })
}

/// Reads a payments CSV, handing every batch of payments to `on_batch` in file order while no
/// error has been found.
pub fn read_payments(
    input: impl Read,
    file: &str,
    max_errors: Option<u64>,
    mut on_batch: impl FnMut(&[Payment]) -> io::Result<()>,
) -> io::Result<FileReport> {
    let mut findings = Findings::new(file, max_errors);
    let parse = |chunk: &kidkit_core::Chunk, cols: &Columns| {
        let mut out = Vec::new();
        let mut payments = Vec::with_capacity(chunk.data().len() / 32);
        table::chunk_rows(chunk, cols, &mut out, |r, out| payments.extend(row(r, out)));
        (payments, out)
    };
    let lines = table::read(input, &PAYMENT_COLUMNS, 3, &mut findings, parse, |payments, f| {
        if f.errors() == 0 { on_batch(&payments) } else { Ok(()) }
    })?;
    Ok(FileReport::new("payments-csv", lines, findings))
}

/// Collects the OCR transactions of a Nets file as payments.
struct Collector<F> {
    batch: Vec<Payment>,
    on_batch: F,
    /// Amounts that cannot be payments (`MAT003`): once there is one, nothing is handed on.
    problems: Vec<Diagnostic>,
    not_payments: u64,
}

impl<F: FnMut(&[Payment]) -> io::Result<()>> Collector<F> {
    fn flush(&mut self) -> io::Result<()> {
        if !self.batch.is_empty() && self.problems.is_empty() {
            (self.on_batch)(&self.batch)?;
        }
        self.batch.clear();
        Ok(())
    }
}

impl<F: FnMut(&[Payment]) -> io::Result<()>> Events for Collector<F> {
    fn transmission_start(&mut self, _: &TransmissionStart) -> io::Result<()> {
        Ok(())
    }
    fn assignment_start(&mut self, _: u64, _: &Assignment) -> io::Result<()> {
        Ok(())
    }
    fn ocr(&mut self, line: u64, t: &OcrTransaction) -> io::Result<()> {
        let Ok(amount) = i64::try_from(t.amount_ore) else {
            self.problems.push(Diagnostic::error("MAT003", line, 33, "amount does not fit in 64 bits").field("amount"));
            return Ok(());
        };
        if amount == 0 {
            self.problems.push(
                Diagnostic::error("MAT003", line, 33, "amount must not be zero; found 0 øre").field("amount").width(17),
            );
            return Ok(());
        }
        let reversal = t.negative || matches!(t.transaction_type, 18 | 20);
        self.batch.push(Payment { line, kid: t.kid.clone(), amount: if reversal { -amount } else { amount } });
        if self.batch.len() >= BATCH { self.flush() } else { Ok(()) }
    }
    fn claim(&mut self, _: u64, _: &Claim) -> io::Result<()> {
        self.not_payments += 1;
        Ok(())
    }
    fn mandate(&mut self, _: u64, _: &Mandate) -> io::Result<()> {
        self.not_payments += 1;
        Ok(())
    }
    fn verbatim(&mut self, _: u64, _: &str) -> io::Result<()> {
        Ok(())
    }
    fn assignment_end(&mut self, _: Option<chrono::NaiveDate>) -> io::Result<()> {
        Ok(())
    }
    fn transmission_end(&mut self, _: Option<chrono::NaiveDate>) -> io::Result<()> {
        Ok(())
    }
}

/// What reading payments from a Nets file found besides the report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NetsPayments {
    /// AvtaleGiro claims, cancellations and mandates in the file: not payments, not matched.
    pub not_payments: u64,
}

/// Reads the OCR giro transactions of a Nets file (validated as `kidkit validate` does) and
/// hands them to `on_batch` in file order while the file is still valid.
pub fn read_ocr_payments(
    input: impl Read + Send,
    file: &str,
    opts: &ReadOptions,
    on_batch: impl FnMut(&[Payment]) -> io::Result<()>,
) -> io::Result<(FileReport, NetsPayments)> {
    let collector = Collector { batch: Vec::new(), on_batch, problems: Vec::new(), not_payments: 0 };
    let mut asm = Assembler::new(collector);
    let outcome = kidkit_ocr::read(input, file, opts, Some(&mut asm))?;
    let mut report = outcome.reading.report;
    let mut c = asm.into_inner();
    if !report.is_invalid() {
        c.flush()?;
    }
    report.merge(std::mem::take(&mut c.problems));
    Ok((report, NetsPayments { not_payments: c.not_payments }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> (FileReport, Vec<Payment>) {
        let mut all = Vec::new();
        let report = read_payments(text.as_bytes(), "p.csv", None, |b| {
            all.extend_from_slice(b);
            Ok(())
        })
        .unwrap();
        (report, all)
    }

    #[test]
    fn reads_payments_with_columns_in_any_order() {
        let (r, p) = read("amount;kid;date;reference\n100,50;123456782;20261101;x\n-5.00; 104- ;2026-11-02;\n");
        assert_eq!(r.errors, 0, "{:?}", r.findings);
        assert_eq!(p[0], Payment { line: 2, kid: "123456782".into(), amount: 10_050 });
        assert_eq!(p[1], Payment { line: 3, kid: "104-".into(), amount: -500 });
    }

    #[test]
    fn every_bad_row_is_a_finding_with_its_column() {
        let (r, p) = read("kid;amount;date\n1;x;20261301\n2;0;20261101\n3;1\n\n");
        let got: Vec<(u64, u32, &str)> = r.findings.iter().map(|d| (d.line, d.column, d.code)).collect();
        assert_eq!(got, [(2, 3, "MAT003"), (2, 5, "MAT004"), (3, 3, "MAT003"), (4, 4, "MAT002"), (5, 1, "MAT002")]);
        assert!(p.is_empty(), "nothing is handed on once an error is found");
    }

    #[test]
    fn header_problems_are_mat001() {
        let (r, _) = read("kid;belop;date\n");
        let got: Vec<(u32, &str)> = r.findings.iter().map(|d| (d.column, d.code)).collect();
        assert_eq!(got, [(5, "MAT001"), (15, "MAT001")]);
        let (r, _) = read("");
        assert_eq!(r.findings[0].code, "MAT001");
    }
}
