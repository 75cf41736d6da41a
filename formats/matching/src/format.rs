//! The inputs of `kidkit match` through kidkit's format contract, so that `detect` and
//! `validate` read them like any file. They convert to nothing.

use kidkit_core::{
    Checked, Error, Form, Format, Info, Input, Inspected, KidCheck, Options, Result, delimited_record, nth_line,
};

use crate::table::Columns;

/// An open-items CSV (`customer_no;invoice_no;kid;amount_due;due_date`).
pub struct OpenItemsCsv;
/// A payments CSV (`kid;amount;date`, optionally `payer_account;reference`).
pub struct PaymentsCsv;

/// Open items for matching.
pub static OPEN_ITEMS_CSV: OpenItemsCsv = OpenItemsCsv;
/// Payments for matching.
pub static PAYMENTS_CSV: PaymentsCsv = PaymentsCsv;

static OPEN_ITEMS_INFO: Info = Info {
    name: "open-items-csv",
    aliases: &[],
    summary: "Open items for kidkit match (customer_no;invoice_no;kid;amount_due;due_date)",
    json: None,
    builds_from: &[],
    builds: &[],
    targets: &[],
    kid_check: KidCheck::Error,
    rereads: false,
};

static PAYMENTS_INFO: Info = Info {
    name: "payments-csv",
    aliases: &[],
    summary: "Payments for kidkit match (kid;amount;date)",
    json: None,
    builds_from: &[],
    builds: &[],
    targets: &[],
    kid_check: KidCheck::Error,
    rereads: false,
};

/// The first line of `head`, when it is text.
fn header(head: &[u8]) -> Option<&str> {
    let first = head.split(|&b| b == b'\n').next()?;
    std::str::from_utf8(first.strip_suffix(b"\r").unwrap_or(first)).ok()
}

/// The fields of line `n` of a `;`-separated file, named by its header row.
fn inspect_row(input: &mut dyn Input, n: u64) -> Result<Option<Inspected>> {
    let mut header = String::new();
    let line = nth_line(input, n, |text| {
        if header.is_empty() {
            text.clone_into(&mut header);
        }
    })?;
    let Some(line) = line else { return Ok(None) };
    let kind = if n == 1 { "header row" } else { "row" };
    let names: Vec<&str> = if n == 1 { Vec::new() } else { header.split(';').map(str::trim).collect() };
    Ok(Some(delimited_record(kind, &line, ';', true, &names)))
}

impl Format for OpenItemsCsv {
    fn info(&self) -> &'static Info {
        &OPEN_ITEMS_INFO
    }
    fn sniff(&self, head: &[u8]) -> Option<Form> {
        Columns::from_header(header(head)?, &crate::OPEN_ITEMS_COLUMNS, 5).is_ok().then_some(Form::Native)
    }
    fn check<'s>(&'s self, input: &mut dyn Input, opts: &Options) -> Result<Checked<'s>> {
        let name = input.name().to_owned();
        let open = crate::read_open_items(input.open()?, &name, opts.max_errors)
            .map_err(|e| Error::read(format!("'{name}'"), e))?;
        Ok(Checked { report: open.report, rewriter: None })
    }
    fn inspect(&self, input: &mut dyn Input, n: u64, _opts: &Options) -> Result<Option<Inspected>> {
        inspect_row(input, n)
    }
}

impl Format for PaymentsCsv {
    fn info(&self) -> &'static Info {
        &PAYMENTS_INFO
    }
    fn sniff(&self, head: &[u8]) -> Option<Form> {
        Columns::from_header(header(head)?, &crate::PAYMENT_COLUMNS, 3).is_ok().then_some(Form::Native)
    }
    fn check<'s>(&'s self, input: &mut dyn Input, opts: &Options) -> Result<Checked<'s>> {
        let name = input.name().to_owned();
        let report = crate::read_payments(input.open()?, &name, opts.max_errors, |_| Ok(()))
            .map_err(|e| Error::read(format!("'{name}'"), e))?;
        Ok(Checked { report, rewriter: None })
    }
    fn inspect(&self, input: &mut dyn Input, n: u64, _opts: &Options) -> Result<Option<Inspected>> {
        inspect_row(input, n)
    }
}
