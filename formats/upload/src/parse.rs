//! The nom parser over KUP1 records: the record type from its first two characters, then the
//! record cut into its fields by character count (so Latin-1 and UTF-8 letters keep their
//! columns).

use std::ops::Range;

use nom::branch::alt;
use nom::bytes::complete::{tag, take};
use nom::combinator::value;
use nom::{AsBytes, IResult, Parser};

use crate::layout::{RECORD_LEN, RecordType};

/// The record type of a line.
pub fn record_type(input: &str) -> IResult<&str, RecordType> {
    alt((
        value(RecordType::Header, tag("00")),
        value(RecordType::Case, tag("10")),
        value(RecordType::Contact, tag("11")),
        value(RecordType::Claim, tag("20")),
        value(RecordType::Action, tag("30")),
        value(RecordType::Trailer, tag("99")),
    ))
    .parse(input)
}

/// The byte range of every field, in layout order, cut by nom's `take`: by character over a
/// `&str`, by byte over the `&[u8]` of an ASCII record (the same ranges, without counting).
pub fn field_spans<I>(kind: RecordType, record: I) -> IResult<I, Vec<Range<usize>>>
where
    I: nom::Input + AsBytes + Copy,
{
    let total = record.as_bytes().len();
    let mut spans = Vec::with_capacity(kind.fields().len());
    let mut rest = record;
    for f in kind.fields() {
        let start = total - rest.as_bytes().len();
        let (r, _) = take(usize::from(f.len)).parse(rest)?;
        spans.push(start..total - r.as_bytes().len());
        rest = r;
    }
    Ok((rest, spans))
}

/// Splits a record that is exactly 200 characters into its fields; `None` otherwise.
pub fn split(kind: RecordType, record: &str) -> Option<Vec<Range<usize>>> {
    if record.is_ascii() {
        return match field_spans(kind, record.as_bytes()) {
            Ok((b"", spans)) if record.len() == RECORD_LEN => Some(spans),
            _ => None,
        };
    }
    match field_spans(kind, record) {
        Ok(("", spans)) if spans.last().is_some_and(|s| s.end == record.len()) => Some(spans),
        _ => None,
    }
    .filter(|_| record.chars().count() == RECORD_LEN)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn types() {
        assert_eq!(record_type("10A-1").map(|(_, t)| t), Ok(RecordType::Case));
        assert!(record_type("21").is_err());
        assert!(record_type("").is_err());
    }

    #[test]
    fn fields_by_character() {
        let line = format!("10{:<20}P{:<11}{:<30}{}", "Å-1", "01010012356", "Øystein", " ".repeat(136));
        assert_eq!(line.chars().count(), 200);
        let spans = split(RecordType::Case, &line).unwrap();
        assert_eq!(line[spans[1].clone()].trim_end(), "Å-1");
        assert_eq!(&line[spans[2].clone()], "P");
        assert_eq!(line[spans[4].clone()].trim_end(), "Øystein");
        assert!(split(RecordType::Case, &line[..line.len() - 1]).is_none());
    }
}
