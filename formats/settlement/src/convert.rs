//! Settlements as flat rows (one per line, the header's fields first), as kidkit's full-fidelity
//! JSON, and back.

use std::io::{self, Read, Write};

use kidkit_core::{
    AmountSyntax, Diagnostic, FileForm, FileReport, Findings, GivenOnce, JsonDoc, JsonError, LineEnding, Origins,
    Refusal, RowMark, RowReader, RowSyntax, TextRows, format_point, parse_compact_or_iso, parse_kroner,
    raw_and_value_agree, rebuild_from_json,
};
use serde_json::{Map, Value, json};

use crate::check::{Record, SettlementSink};
use crate::layout::{AMOUNTS, HEADER, Kind, LINE, TRAILER};
use crate::write::Writer;

/// The columns of a settlement row.
pub const COLUMNS: &[&str] = &[
    "agency_orgno",
    "agency_name",
    "client_no",
    "creditor_orgno",
    "creditor_name",
    "settlement_no",
    "settlement_date",
    "payout_date",
    "payout_account",
    "currency",
    "line_no",
    "case_no",
    "customer_no",
    "invoice_no",
    "kid",
    "debtor_name",
    "event_date",
    "kind",
    "principal",
    "interest",
    "fees",
    "agency_costs",
    "commission",
    "vat",
    "loss",
    "net",
    "text",
];

fn kind_of(column: &str) -> Kind {
    HEADER.iter().chain(LINE.iter()).find(|f| f.name == column).map_or(Kind::Text(100), |f| f.kind)
}

fn shown(kind: Kind, v: &str) -> String {
    match kind {
        Kind::Amount => parse_kroner(v, AmountSyntax::EITHER).map_or_else(|_| v.to_owned(), format_point),
        Kind::Date => crate::check::date(v).map_or_else(|| v.to_owned(), |d| d.to_string()),
        _ => v.to_owned(),
    }
}

pub use kidkit_core::RowFormat;

/// Writes one row per settlement line.
pub struct RowWriter<W: Write> {
    rows: TextRows<W>,
    header: Vec<String>,
}

impl<W: Write> RowWriter<W> {
    /// A row writer; CSV gets its header row at once.
    pub fn new(out: W, format: RowFormat) -> io::Result<Self> {
        Ok(RowWriter { rows: TextRows::new(out, format, COLUMNS)?, header: Vec::new() })
    }
    /// Flushes and returns the output.
    pub fn finish(self) -> io::Result<W> {
        self.rows.finish()
    }
}

impl<W: Write> SettlementSink for RowWriter<W> {
    fn record(&mut self, rec: &Record) -> io::Result<()> {
        match rec.kind {
            'H' => self.header = COLUMNS[..10].iter().map(|c| shown(kind_of(c), rec.get(c))).collect(),
            'L' => {
                let mut values = self.header.clone();
                values.extend(COLUMNS[10..].iter().map(|c| shown(kind_of(c), rec.get(c))));
                self.rows.write(&values)?;
            }
            _ => {}
        }
        Ok(())
    }
}

/// Rewrites a settlement record by record (the trailer is computed again).
pub struct Rewrite<W: Write>(pub Option<Writer<W>>);

impl<W: Write> SettlementSink for Rewrite<W> {
    fn record(&mut self, rec: &Record) -> io::Result<()> {
        let Some(w) = self.0.as_mut() else { return Ok(()) };
        match rec.kind {
            'H' => w.header(&HEADER[2..].iter().map(|f| (f.name, rec.get(f.name).to_owned())).collect::<Vec<_>>()),
            'L' => {
                let texts: Vec<(&str, String)> =
                    LINE[1..9].iter().map(|f| (f.name, rec.get(f.name).to_owned())).collect();
                let mut amounts = [0i64; 8];
                for (a, name) in amounts.iter_mut().zip(AMOUNTS) {
                    *a = parse_kroner(rec.get(name), AmountSyntax::EITHER).unwrap_or(0);
                }
                w.line(&texts, amounts, rec.get("text"))
            }
            _ => Ok(()),
        }
    }
}

/// Writes the JSON document record by record.
pub struct JsonWriter<W: Write>(JsonDoc<W>);

impl<W: Write> JsonWriter<W> {
    /// Starts the document.
    pub fn new(out: W, form: FileForm) -> io::Result<Self> {
        JsonDoc::new(out, "settlement", form).map(JsonWriter)
    }
    /// Ends it.
    pub fn finish(self) -> io::Result<W> {
        self.0.finish()
    }
}

impl<W: Write> SettlementSink for JsonWriter<W> {
    fn record(&mut self, rec: &Record) -> io::Result<()> {
        let layout = match rec.kind {
            'H' => &HEADER[..],
            'L' => &LINE[..],
            _ => &TRAILER[..],
        };
        let fields: Map<String, Value> = layout
            .iter()
            .zip(&rec.fields)
            .map(|(f, raw)| {
                let value = if raw.is_empty() { Value::Null } else { json!(shown(f.kind, raw)) };
                (f.name.to_owned(), json!({"raw": raw, "value": value}))
            })
            .collect();
        let kind = match rec.kind {
            'H' => "header",
            'L' => "line",
            _ => "trailer",
        };
        self.0.record(json!({"line": rec.line, "type": kind, "fields": fields}), rec.form)
    }
}

/// Writes the settlement a JSON document describes, record by record (fields by `raw`, else
/// `value`; where both are given they must agree).
pub fn write_from_json(input: impl Read, out: &mut impl Write) -> Result<(), JsonError> {
    rebuild_from_json(input, &["settlement"], out, |_, r| {
        let layout = match r.kind.as_str() {
            "header" => &HEADER[..],
            "line" => &LINE[..],
            "trailer" => &TRAILER[..],
            other => return Err(Refusal::new("type", format!("unknown record type '{other}'"))),
        };
        let values: Vec<String> = layout
            .iter()
            .map(|f| match r.fields.get(f.name) {
                Some(Value::Object(o)) => match o.get("raw").and_then(Value::as_str) {
                    Some(raw) => {
                        let decode = |raw: &str| if raw.is_empty() { Value::Null } else { json!(shown(f.kind, raw)) };
                        raw_and_value_agree(f.name, raw, o.get("value"), decode, |v| Some(value_text(v)))?;
                        Ok(raw.to_owned())
                    }
                    None => Ok(o.get("value").map(value_text).unwrap_or_default()),
                },
                Some(v) => Ok(value_text(v)),
                None => Ok(String::new()),
            })
            .collect::<Result<_, Refusal>>()?;
        Ok(values.join(";"))
    })
}

fn value_text(v: &Value) -> String {
    match v {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// Builds a settlement from flat CSV rows; every row problem is reported and nothing is written
/// when there is one. The writer computes the trailer.
pub fn build_from_rows(
    input: impl Read,
    syntax: RowSyntax,
    file: &str,
    out: impl Write,
    origins: &mut Origins,
) -> io::Result<(FileReport, bool)> {
    let mut findings = Findings::new(file, None);
    let mut rdr = match RowReader::new(input, syntax) {
        Ok(r) => r,
        Err(e) => {
            findings.push(e.finding());
            return Ok((FileReport::new("csv", 0, findings), false));
        }
    };
    let header: Vec<String> = rdr.headers().to_vec();
    let index = |c: &str| header.iter().position(|h| h == c);
    for c in COLUMNS {
        if index(c).is_none() && *c != "text" && *c != "kid" && *c != "customer_no" && *c != "debtor_name" {
            findings.push(Diagnostic::error("SET018", 1, 1, format!("the CSV has no column '{c}'")).field(*c));
        }
    }
    if findings.errors() > 0 {
        return Ok((FileReport::new("csv", 0, findings), false));
    }
    origins.columns(&header);
    let mark = RowMark::default();
    let out = origins.trace(out, mark.clone());
    let mut w = Writer::new(out, LineEnding::Crlf, kidkit_core::TextEncoding::Windows1252);
    let mut rows = 0u64;
    let mut head: Option<Vec<(&'static str, String)>> = None;
    // the header's fields, as the first row gives them: every row gives them alike
    let mut header = GivenOnce::default();
    // lines are written as their rows come, while no row has a problem; what was written is
    // thrown away by the caller when one turns up
    let mut writing = true;
    while let Some(rec) = rdr.next_row() {
        rows += 1;
        let (line, rec) = match rec {
            Ok(r) => (r.line, r.record),
            Err(e) => {
                findings.push(e.finding());
                continue;
            }
        };
        let get = |c: &str| index(c).and_then(|i| rec.get(i)).unwrap_or("").to_owned();
        let values = HEADER[2..].iter().map(|f| index(f.name).and_then(|i| rec.get(i)).unwrap_or(""));
        header.check(line, values, |i, text| {
            let name = HEADER[2 + i].name;
            let column = index(name).map_or(1, |c| c as u32 + 1);
            let message = format!("row {line}, {name}: {text}: a settlement has one header");
            findings.push(Diagnostic::error("SET001", line, column, message).field(name));
        });
        let mut bad = |c: &'static str, msg: String| {
            let column = index(c).map_or(1, |i| i as u32 + 1);
            findings.push(Diagnostic::error("SET010", line, column, format!("row {line}, {c}: {msg}")).field(c));
        };
        let date = |c: &'static str, bad: &mut dyn FnMut(&'static str, String)| {
            let v = get(c);
            match parse_compact_or_iso(v.as_bytes()) {
                Ok(d) => d.format("%Y%m%d").to_string(),
                Err(e) => {
                    bad(c, format!("'{v}' is not a date ({e})"));
                    v
                }
            }
        };
        if head.is_none() {
            let mut h = Vec::new();
            for f in &HEADER[2..] {
                let v = if f.kind == Kind::Date { date(f.name, &mut bad) } else { get(f.name) };
                h.push((f.name, v));
            }
            head = Some(h);
        }
        let mut texts = Vec::new();
        for f in &LINE[1..9] {
            let v = if f.kind == Kind::Date { date(f.name, &mut bad) } else { get(f.name) };
            texts.push((f.name, v));
        }
        let mut amounts = [0i64; 8];
        for (a, name) in amounts.iter_mut().zip(AMOUNTS) {
            let v = get(name);
            match parse_kroner(&v, AmountSyntax::EITHER) {
                Ok(ore) => *a = ore,
                Err(e) => bad(name, format!("'{v}' is not an amount ({e})")),
            }
        }
        writing &= findings.errors() == 0;
        mark.set(line);
        if writing {
            let first = head.as_deref().filter(|_| rows == 1);
            let written = first.map_or(Ok(()), |h| w.header(h)).and_then(|()| w.line(&texts, amounts, &get("text")));
            if let Err(e) = written {
                refused(w.refusal(), e, &mut findings)?;
                writing = false;
            }
        }
    }
    if findings.errors() > 0 || head.is_none() {
        if head.is_none() {
            findings.push(
                Diagnostic::error("SET001", 2, 1, "the CSV has no rows; there is no settlement to write").field("row"),
            );
        }
        return Ok((FileReport::new("csv", rows, findings), false));
    }
    if let Err(e) = w.close() {
        refused(w.refusal(), e, &mut findings)?;
        return Ok((FileReport::new("csv", rows, findings), false));
    }
    Ok((FileReport::new("csv", rows, findings), true))
}

/// A value the writer refuses, as a finding on its row; any other error is the output's and
/// goes on.
fn refused(refusal: Option<crate::write::WriteError>, e: io::Error, findings: &mut Findings) -> io::Result<()> {
    match refusal {
        Some(we) => {
            findings.push(
                Diagnostic::error(we.code, we.line.max(2), 1, format!("row {}: {}", we.line, we.message))
                    .field(we.field.clone()),
            );
            Ok(())
        }
        None => Err(e),
    }
}
