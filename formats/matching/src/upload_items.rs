//! Open items from a creditor upload: each claim with a KID is an item whose amount is its
//! remaining principal, due on its due date, under the case's customer number. Credit notes
//! reduce the oldest open items of their KID. Claims without KID, and credit notes that find
//! nothing to reduce, cannot be matched and are listed in the summary.

use std::io::{self, Read};

use kidkit_core::Findings;
use kidkit_upload::{CheckOptions, Record, RecordType, UploadSink, check, settle_duplicates};

use crate::index::{ItemsBuilder, Limit, NewItem};
use crate::open_items::{NotMatchable, OpenItems, finish};

struct Credit {
    line: u64,
    customer_no: String,
    invoice_no: String,
    kid: String,
    amount: i64,
}

#[derive(Default)]
struct Collect {
    customer_no: String,
    items: ItemsBuilder,
    credits: Vec<Credit>,
    limit: Option<Limit>,
}

impl UploadSink for Collect {
    fn record(&mut self, line: u64, r: &Record<'_>) -> io::Result<()> {
        match r.kind {
            RecordType::Case => r.value("customer_no").clone_into(&mut self.customer_no),
            RecordType::Claim => {
                let amount = r.value("remaining_principal").parse::<i64>().unwrap_or(0);
                let kid = r.value("kid");
                if r.value("sign") == "-" {
                    self.credits.push(Credit {
                        line,
                        customer_no: self.customer_no.clone(),
                        invoice_no: r.value("invoice_no").to_owned(),
                        kid: kid.to_owned(),
                        amount,
                    });
                    return Ok(());
                }
                let due = kidkit_core::parse_yyyymmdd(r.value("due_date").as_bytes()).unwrap_or_default();
                let item = NewItem {
                    line,
                    customer_no: &self.customer_no,
                    invoice_no: r.value("invoice_no"),
                    invoice_column: u32::from(RecordType::Claim.field("invoice_no").start),
                    kid,
                    amount,
                    due,
                };
                if let Err(l) = self.items.push(&item) {
                    self.limit.get_or_insert(l);
                }
            }
            _ => {}
        }
        Ok(())
    }
}

/// Reads a creditor upload (checked as `kidkit validate` does) as open items; `reopen` gives
/// the input again from its start, for the second reading that decides possible duplicates.
pub fn read_upload_items<R: Read>(
    input: impl Read,
    reopen: impl FnOnce() -> io::Result<R>,
    file: &str,
    opts: &CheckOptions,
) -> io::Result<OpenItems> {
    let mut c = Collect::default();
    let mut out = check(input, file, opts, Some(&mut c))?;
    settle_duplicates(&mut out, reopen)?;
    let report = out.report;
    let mut findings = Findings::new(&report.file, opts.max_errors);
    findings.extend(report.findings);
    if let Some(l) = c.limit {
        findings.push(kidkit_core::Diagnostic::error(
            "IO003",
            report.records + 1,
            1,
            format!("kidkit cannot hold {}", l.0),
        ));
    }
    let mut open = finish(c.items, findings, "upload", report.records, Vec::new());
    if let Some(index) = open.index.as_mut() {
        for credit in c.credits {
            let left = index.credit(&credit.kid, credit.amount);
            if left > 0 {
                let reason = if credit.kid.is_empty() {
                    "credit note without KID"
                } else if left == credit.amount {
                    "credit note with no open item of its KID"
                } else {
                    "credit note larger than the open items of its KID"
                };
                open.not_matchable.push(NotMatchable {
                    line: credit.line,
                    customer_no: credit.customer_no,
                    invoice_no: credit.invoice_no,
                    amount: left,
                    reason,
                });
            }
        }
        open.not_matchable.sort_by_key(|n| n.line);
    }
    Ok(open)
}
