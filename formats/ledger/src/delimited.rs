//! The lines of a delimited dialect as fields with the column each starts at (split by
//! [`kidkit_core::delimited`]), and reading a row's values into a posting.

use chrono::NaiveDate;
use kidkit_core::{AmountSyntax, DateError, Diagnostic, parse_kroner};

/// One field of a line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    /// 1-based character column the field starts at (its opening quote, when quoted).
    pub column: u32,
    /// The value, unquoted.
    pub value: String,
    /// Whether it was quoted.
    pub quoted: bool,
}

/// Splits `line` (without its line ending) at `delim`. With `quotes`, a field that starts with
/// `"` runs to the matching quote; `Err` is the column of a quote that is never closed or of
/// text after a closing quote.
pub fn split(line: &str, delim: char, quotes: bool) -> Result<Vec<Token>, u32> {
    let mut fields = Vec::new();
    kidkit_core::split_into(line, delim, quotes, &mut fields)?;
    Ok(fields.into_iter().map(|f| Token { column: f.column, value: f.value.into_owned(), quoted: f.quoted }).collect())
}

/// The rows of a delimited text: each non-blank line split into fields, with its number. A blank
/// line or a quote that is never closed is a finding in `findings`, and the line is skipped;
/// `records` counts every line.
pub fn rows<'a>(
    text: &'a str,
    delim: char,
    quotes: bool,
    findings: &'a mut Vec<Diagnostic>,
    records: &'a mut u64,
) -> impl Iterator<Item = (u64, Vec<Token>)> + 'a {
    rows_of(lines_of(text), delim, quotes, findings, records)
}

/// [`rows`] over lines already numbered, such as what is left of [`lines_of`] after a header.
pub fn rows_of<'a>(
    lines: impl Iterator<Item = (u64, &'a str)> + 'a,
    delim: char,
    quotes: bool,
    findings: &'a mut Vec<Diagnostic>,
    records: &'a mut u64,
) -> impl Iterator<Item = (u64, Vec<Token>)> + 'a {
    lines.filter_map(move |(line, raw)| {
        *records += 1;
        if raw.is_empty() {
            findings.push(crate::reading::blank_line(line));
            return None;
        }
        match split(raw, delim, quotes) {
            Ok(fields) => Some((line, fields)),
            Err(col) => {
                findings.push(
                    kidkit_core::Diagnostic::error(
                        "IO003",
                        line,
                        col,
                        "a quoted field is not closed where it should be",
                    )
                    .field("record"),
                );
                None
            }
        }
    })
}

/// The lines of a decoded text with their 1-based numbers, line endings removed; a final empty
/// line (after the last line break) is not a line.
pub fn lines_of(text: &str) -> impl Iterator<Item = (u64, &str)> {
    let body = text.strip_suffix('\n').unwrap_or(text);
    body.split('\n')
        .enumerate()
        .filter(move |_| !text.is_empty())
        .map(|(i, l)| (i as u64 + 1, l.strip_suffix('\r').unwrap_or(l)))
}

/// One row's fields being read into a posting: values by column index, and a finding for each
/// value that cannot be read, naming the column (`names[i]`), what was expected and what was
/// found.
pub struct Row<'a> {
    fields: &'a [Token],
    names: &'a [&'static str],
    line: u64,
    findings: Vec<Diagnostic>,
}

impl<'a> Row<'a> {
    /// A row on `line`; `fields` holds at least as many columns as the reader uses.
    pub fn new(fields: &'a [Token], names: &'a [&'static str], line: u64) -> Self {
        Row { fields, names, line, findings: Vec::new() }
    }
    /// The value of column `i`.
    pub fn get(&self, i: usize) -> &'a str {
        self.fields[i].value.as_str()
    }
    /// A finding on column `i`: it must be `what`.
    pub fn bad(&mut self, code: &'static str, i: usize, what: &str) {
        let message = format!("{} must be {what}, found '{}'", self.names[i], self.get(i));
        self.findings.push(Diagnostic::error(code, self.line, self.fields[i].column, message).field(self.names[i]));
    }
    /// Column `i` as a whole number (`IO003` otherwise).
    pub fn number<T: std::str::FromStr>(&mut self, i: usize) -> Option<T> {
        let n = self.get(i).parse::<T>().ok();
        if n.is_none() {
            self.bad("IO003", i, "a whole number");
        }
        n
    }
    /// Column `i` as a date by `parse` (`LED003`, naming `format`, otherwise).
    pub fn date(
        &mut self,
        i: usize,
        parse: fn(&[u8]) -> Result<NaiveDate, DateError>,
        format: &str,
    ) -> Option<NaiveDate> {
        let d = parse(self.get(i).as_bytes()).ok();
        if d.is_none() {
            self.bad("LED003", i, &format!("a date {format}"));
        }
        d
    }
    /// Column `i` as a date, or none when empty.
    pub fn optional_date(
        &mut self,
        i: usize,
        parse: fn(&[u8]) -> Result<NaiveDate, DateError>,
        format: &str,
    ) -> Option<NaiveDate> {
        if self.get(i).is_empty() { None } else { self.date(i, parse, format) }
    }
    /// Column `i` as an amount in øre (`LED002`, saying `what`, otherwise).
    pub fn amount(&mut self, i: usize, syntax: AmountSyntax, what: &str) -> Option<i64> {
        let a = parse_kroner(self.get(i), syntax).ok();
        if a.is_none() {
            self.bad("LED002", i, what);
        }
        a
    }
    /// Moves the findings into `into`; true when there were none.
    pub fn finish(self, into: &mut Vec<Diagnostic>) -> bool {
        let clean = self.findings.is_empty();
        into.extend(self.findings);
        clean
    }
}

/// Quotes `value` for a comma-separated line when it needs it (a delimiter, quote or line break
/// inside, or blanks at either end).
pub fn quote_if_needed(value: &str, delim: char) -> std::borrow::Cow<'_, str> {
    let needs = value.contains([delim, '"', '\n', '\r']) || value.starts_with(' ') || value.ends_with(' ');
    if needs { format!("\"{}\"", value.replace('"', "\"\"")).into() } else { value.into() }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cols(line: &str, delim: char, quotes: bool) -> Vec<(u32, String)> {
        split(line, delim, quotes).unwrap().into_iter().map(|t| (t.column, t.value)).collect()
    }

    #[test]
    fn fields_and_their_columns() {
        assert_eq!(
            cols("a;bc;;d", ';', false),
            [(1, "a".into()), (3, "bc".into()), (6, String::new()), (7, "d".into())]
        );
        assert_eq!(
            cols("1,\"x, \"\"y\"\"\",æ", ',', true),
            [(1, "1".into()), (3, "x, \"y\"".into()), (14, "æ".into())]
        );
        assert_eq!(cols("\"1\" \"\" \"a b\"", ' ', true), [(1, "1".into()), (5, String::new()), (8, "a b".into())]);
        assert_eq!(cols("", ',', true), [(1, String::new())]);
        assert_eq!(split("\"open", ',', true), Err(1));
        assert_eq!(split("\"a\"b,c", ',', true), Err(4));
        assert_eq!(cols("\"a\"", ';', false), [(1, "\"a\"".into())]);
    }

    #[test]
    fn quoting_round_trips() {
        for v in ["plain", "a,b", "say \"hi\"", " pad", ""] {
            let q = quote_if_needed(v, ',');
            assert_eq!(split(&q, ',', true).unwrap()[0].value, v);
        }
    }
}
