//! Which format a file is, from its first bytes (after a BOM). Each format crate says what its
//! files start with; this module only asks them in turn.

use kidkit_core::encoding::BOM;

/// A recognised input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Detected {
    /// A Nets file (OCR giro or AvtaleGiro).
    Nets,
    /// kidkit's full-fidelity JSON.
    Json,
    /// kidkit's flat rows of a Nets format as CSV.
    NetsCsv(kidkit_ocr::flat::Shape),
    /// A creditor upload (KUP1).
    Upload,
    /// Upload rows as CSV.
    UploadCsv,
    /// A settlement (KKA1).
    Settlement,
    /// Settlement rows as CSV.
    SettlementCsv,
    /// A ledger bundle in one of the dialects.
    Bundle(kidkit_ledger::dialect::Dialect),
    /// Payments for `kidkit match` (`kid;amount;date`…).
    PaymentsCsv,
    /// Open items for `kidkit match` (`customer_no;invoice_no;kid;amount_due;due_date`).
    OpenItemsCsv,
}

/// Detects the format from the first bytes.
pub fn detect(head: &[u8]) -> Option<Detected> {
    let head = head.strip_prefix(BOM).unwrap_or(head);
    if head.starts_with(b"NY000010") {
        return Some(Detected::Nets);
    }
    if head.starts_with(b"00KUP1") {
        return Some(Detected::Upload);
    }
    if head.starts_with(b"H;KKA1;") {
        return Some(Detected::Settlement);
    }
    let trimmed = head.iter().position(|b| !b.is_ascii_whitespace()).map_or(&head[..0], |i| &head[i..]);
    let inside = trimmed.strip_prefix(b"{").map(<[u8]>::trim_ascii_start);
    if inside.is_some_and(|r| r.starts_with(b"\"kidkit\":")) {
        return Some(Detected::Json);
    }
    if let Some(d) = kidkit_ledger::dialect::Dialect::detect(head) {
        return Some(Detected::Bundle(d));
    }
    let first_line = head.split(|&b| b == b'\n').next().unwrap_or(b"");
    let first_line = first_line.strip_suffix(b"\r").unwrap_or(first_line);
    let cols: Vec<&str> = std::str::from_utf8(first_line).ok()?.split(';').collect();
    if cols == kidkit_upload::flat::COLUMNS {
        return Some(Detected::UploadCsv);
    }
    if cols == kidkit_settlement::convert::COLUMNS {
        return Some(Detected::SettlementCsv);
    }
    if let Some(shape) = kidkit_ocr::flat::Shape::from_header(&cols) {
        return Some(Detected::NetsCsv(shape));
    }
    let header = cols.join(";");
    let known = |names: &[&str], required: usize| {
        kidkit_matching::table::Columns::from_header(&header, names, required).is_ok()
    };
    if known(&kidkit_matching::open_items::COLUMNS, 5) {
        return Some(Detected::OpenItemsCsv);
    }
    known(&kidkit_matching::payments::COLUMNS, 3).then_some(Detected::PaymentsCsv)
}

/// The names `--from` accepts, for the message when nothing was recognised.
pub const KNOWN: &str = "ocr-giro, avtalegiro, upload, settlement, kidkit-csv, visma-global, visma-business, gbat10, saft, json, csv, ndjson (payments-csv and open-items-csv are read by match)";
