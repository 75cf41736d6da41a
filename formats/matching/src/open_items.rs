//! Open items from the open-items CSV (`customer_no;invoice_no;kid;amount_due;due_date`), read
//! in parallel chunks; and the items still open after a run, written back in the same shape.

use std::io::{self, Read, Write};

use kidkit_core::{AmountSyntax, Diagnostic, FileReport, Findings, format_point, parse_compact_or_iso, parse_kroner};

use crate::index::{Index, ItemsBuilder, NewItem};
use crate::table::{self, Columns};

/// The columns of an open-items CSV, all required.
pub const OPEN_ITEMS_COLUMNS: [&str; 5] = ["customer_no", "invoice_no", "kid", "amount_due", "due_date"];
const CUSTOMER: usize = 0;
const INVOICE: usize = 1;
const KID: usize = 2;
const AMOUNT: usize = 3;
const DUE: usize = 4;

/// An open item that can never be matched, listed in the summary.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotMatchable {
    /// Line in the open-items file.
    pub line: u64,
    /// Customer number.
    pub customer_no: String,
    /// Invoice number.
    pub invoice_no: String,
    /// Øre it concerns.
    pub amount: i64,
    /// Why.
    pub reason: &'static str,
}

/// Open items read from a file, or the findings that stop the run.
#[derive(Debug)]
pub struct OpenItems {
    /// Findings and counts.
    pub report: FileReport,
    /// The index, when the file has no errors.
    pub index: Option<Index>,
    /// Items and credit notes that cannot be matched.
    pub not_matchable: Vec<NotMatchable>,
}

fn row(r: &table::Row<'_>, items: &mut ItemsBuilder, out: &mut Vec<Diagnostic>) {
    let amount = match parse_kroner(r.get(AMOUNT), AmountSyntax::EITHER) {
        Ok(a) if a > 0 => Some(a),
        Ok(_) => {
            let msg = format!("amount_due must be above zero; found '{}'", r.get(AMOUNT));
            out.push(r.error("MAT003", AMOUNT, "amount_due", msg));
            None
        }
        Err(e) => {
            let msg =
                format!("amount_due must be kroner with a decimal comma or point; found '{}' ({e})", r.get(AMOUNT));
            out.push(r.error("MAT003", AMOUNT, "amount_due", msg));
            None
        }
    };
    let due = parse_compact_or_iso(r.get(DUE).as_bytes()).ok();
    if due.is_none() {
        let msg = format!("due_date must be a date YYYYMMDD or YYYY-MM-DD; found '{}'", r.get(DUE));
        out.push(r.error("MAT004", DUE, "due_date", msg));
    }
    let (Some(amount), Some(due)) = (amount, due) else { return };
    let item = NewItem {
        line: r.line,
        customer_no: r.get(CUSTOMER),
        invoice_no: r.get(INVOICE),
        invoice_column: r.column(INVOICE),
        kid: r.get(KID),
        amount,
        due,
    };
    if let Err(limit) = items.push(&item) {
        out.push(Diagnostic::error("IO003", r.line, 1, format!("kidkit cannot hold {}", limit.0)).field("record"));
    }
}

/// Reads an open-items CSV and indexes it. Every problem (`MAT001`–`MAT005`) is reported
/// before any matching can start; the index is `None` when there is one.
pub fn read_open_items(input: impl Read, file: &str, max_errors: Option<u64>) -> io::Result<OpenItems> {
    let mut findings = Findings::new(file, max_errors);
    let mut items = ItemsBuilder::default();
    let mut limit = None;
    let parse = |chunk: &kidkit_core::Chunk, cols: &Columns| {
        let mut out = Vec::new();
        let mut part = ItemsBuilder::default();
        table::chunk_rows(chunk, cols, &mut out, |r, out| row(r, &mut part, out));
        (part, out)
    };
    let lines = table::read(input, &OPEN_ITEMS_COLUMNS, OPEN_ITEMS_COLUMNS.len(), &mut findings, parse, |part, _| {
        if let Err(l) = items.append(part) {
            limit.get_or_insert(l);
        }
        Ok(())
    })?;
    if let Some(l) = limit {
        findings.push(Diagnostic::error("IO003", lines + 1, 1, format!("kidkit cannot hold {}", l.0)).field("file"));
    }
    Ok(finish(items, findings, "open-items-csv", lines, Vec::new()))
}

/// Indexes collected items (adding `MAT005` findings) and lists those without a KID.
pub(crate) fn finish(
    items: ItemsBuilder,
    mut findings: Findings,
    format: &str,
    records: u64,
    mut not_matchable: Vec<NotMatchable>,
) -> OpenItems {
    if findings.errors() > 0 {
        return OpenItems { report: FileReport::new(format, records, findings), index: None, not_matchable };
    }
    let index = match items.build(&mut findings) {
        Ok(ix) => ix,
        Err(l) => {
            findings.push(Diagnostic::error("IO003", records + 1, 1, format!("kidkit cannot hold {}", l.0)));
            return OpenItems { report: FileReport::new(format, records, findings), index: None, not_matchable };
        }
    };
    for i in index.without_kid() {
        let it = index.item(i);
        not_matchable.push(NotMatchable {
            line: it.line,
            customer_no: it.customer_no.to_owned(),
            invoice_no: it.invoice_no.to_owned(),
            amount: it.remaining,
            reason: "no KID",
        });
    }
    not_matchable.sort_by_key(|n| n.line);
    let report = FileReport::new(format, records, findings);
    let index = (!report.is_invalid()).then_some(index);
    OpenItems { report, index, not_matchable }
}

/// Writes the items of `index` still open, in file order, as an open-items CSV (decimal point,
/// ISO dates).
pub fn write_open<W: Write>(index: &Index, out: W) -> io::Result<W> {
    let mut w = csv::WriterBuilder::new().delimiter(b';').terminator(csv::Terminator::Any(b'\n')).from_writer(out);
    w.write_record(OPEN_ITEMS_COLUMNS)?;
    for i in index.open_in_file_order() {
        let it = index.item(i);
        let amount = format_point(it.remaining);
        let due = it.due.format("%Y-%m-%d").to_string();
        w.write_record([it.customer_no, it.invoice_no, it.kid, &amount, &due])?;
    }
    w.into_inner().map_err(|e| io::Error::other(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_items_and_reports_every_problem() {
        let text = "customer_no;invoice_no;kid;amount_due;due_date\n\
                    10;1001;123456782;100,00;20261001\n\
                    10;1002;;50.5;2026-10-02\n\
                    10;1001;123456790;1;20261003\n\
                    11;1003;123456790;x;20261301\n\
                    11;1004;123456790\n";
        let r = read_open_items(text.as_bytes(), "o.csv", None).unwrap();
        let got: Vec<(u64, u32, &str)> = r.report.findings.iter().map(|d| (d.line, d.column, d.code)).collect();
        assert_eq!(got, [(5, 19, "MAT003"), (5, 21, "MAT004"), (6, 18, "MAT002")]);
        assert!(r.index.is_none());
    }

    #[test]
    fn duplicate_invoices_are_found_after_the_rows_are_read() {
        let text = "customer_no;invoice_no;kid;amount_due;due_date\n\
                    10;1001;123456782;100,00;20261001\n\
                    10;1001;123456790;1;20261003\n";
        let r = read_open_items(text.as_bytes(), "o.csv", None).unwrap();
        let got: Vec<(u64, u32, &str)> = r.report.findings.iter().map(|d| (d.line, d.column, d.code)).collect();
        assert_eq!(got, [(3, 4, "MAT005")]);
    }

    #[test]
    fn items_without_kid_are_listed_and_written_back() {
        let text = "customer_no;invoice_no;kid;amount_due;due_date\n10;1002;;50.5;2026-10-02\n";
        let r = read_open_items(text.as_bytes(), "o.csv", None).unwrap();
        assert_eq!(r.not_matchable[0].reason, "no KID");
        assert_eq!(r.not_matchable[0].amount, 5050);
        let out = write_open(r.index.as_ref().unwrap(), Vec::new()).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            format!("{}\n10;1002;;50.50;2026-10-02\n", OPEN_ITEMS_COLUMNS.join(";"))
        );
    }
}
