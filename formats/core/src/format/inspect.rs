//! What `inspect` shares between delimited formats: finding a line, and cutting it into named
//! fields with their columns.

use super::{Error, FieldView, Input, Inspected, Result};
use crate::encoding::{TextEncoding, decode};

/// Longest line read whole for inspecting.
const MAX_LINE: usize = 1 << 20;

/// Line `n` (1-based) of `input`, decoded as UTF-8 when it is valid UTF-8, else as
/// Windows-1252; `earlier` sees each line before it (a header, a field list). `None` when there
/// are fewer lines.
pub fn nth_line(input: &mut dyn Input, n: u64, mut earlier: impl FnMut(&str)) -> Result<Option<String>> {
    let name = input.name().to_owned();
    let mut lines = crate::lines::LineReader::new(input.open()?, MAX_LINE);
    while let Some(line) = lines.next_line().map_err(|e| Error::read(format!("'{name}'"), e))? {
        let encoding =
            if std::str::from_utf8(line.bytes).is_ok() { TextEncoding::Utf8 } else { TextEncoding::Windows1252 };
        let text = decode(line.bytes, encoding);
        if line.number == n {
            return Ok(Some(text.into_owned()));
        }
        earlier(&text);
    }
    Ok(None)
}

/// A delimited record of type `kind`, every field named by `names` in order (a field beyond them
/// is `column_N`); a quote that is never closed is its problem.
pub fn delimited_record(kind: &str, line: &str, delim: char, quotes: bool, names: &[&str]) -> Inspected {
    match delimited_fields(line, delim, quotes, names) {
        Ok(fields) => Inspected { kind: Some(kind.to_owned()), fields, problem: None },
        Err(column) => Inspected {
            kind: Some(kind.to_owned()),
            fields: Vec::new(),
            problem: Some(format!("a quote at column {column} is never closed: the fields cannot be shown")),
        },
    }
}

/// The fields of a delimited `line`, named by `names` in order (a field beyond them is
/// `column_N`); `Err` is the column of a quote that is never closed.
fn delimited_fields(line: &str, delim: char, quotes: bool, names: &[&str]) -> std::result::Result<Vec<FieldView>, u32> {
    let mut fields = Vec::new();
    crate::delimited::split_into(line, delim, quotes, &mut fields)?;
    let chars: Vec<char> = line.chars().collect();
    let len = chars.len() as u32;
    let starts: Vec<u32> = fields.iter().map(|f| f.column).collect();
    Ok(fields
        .iter()
        .enumerate()
        .map(|(i, f)| {
            // a field runs up to the separator before the next field (1-based, exclusive)
            let stop = starts.get(i + 1).map_or(len + 1, |next| next - 1).max(f.column);
            let end = (stop - 1).max(f.column);
            let raw: String =
                chars.get(f.column as usize - 1..stop as usize - 1).map_or_else(String::new, |c| c.iter().collect());
            FieldView {
                name: names.get(i).map_or_else(|| format!("column_{}", i + 1), |n| (*n).to_owned()),
                start: f.column,
                end,
                raw,
                value: if f.value.trim().is_empty() { "(none)".to_owned() } else { f.value.trim().to_owned() },
            }
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_have_their_columns_and_names() {
        let f = delimited_fields("a;\"b;c\";;d", ';', true, &["one", "two", "three"]).unwrap();
        let got: Vec<(&str, u32, u32, &str, &str)> =
            f.iter().map(|v| (v.name.as_str(), v.start, v.end, v.raw.as_str(), v.value.as_str())).collect();
        assert_eq!(
            got,
            [
                ("one", 1, 1, "a", "a"),
                ("two", 3, 7, "\"b;c\"", "b;c"),
                ("three", 9, 9, "", "(none)"),
                ("column_4", 10, 10, "d", "d")
            ]
        );
    }
}
