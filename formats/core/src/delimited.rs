//! Splitting one line of delimited text into fields, each with the column it starts at, so that
//! every finding can name its column. Double quotes are honoured where a format has them (`""`
//! inside a quoted field is one quote). Unquoted fields borrow from the line.
//!
//! The `csv` crate reads records but does not say where each field starts; findings need that.

use std::borrow::Cow;

/// One field of a line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cell<'a> {
    /// 1-based character column the field starts at (its opening quote, when quoted).
    pub column: u32,
    /// The value, unquoted.
    pub value: Cow<'a, str>,
    /// Whether it was quoted.
    pub quoted: bool,
}

/// Splits `line` (without its line ending) at `delim` into `out` (cleared first). With `quotes`,
/// a field that starts with `"` runs to the matching quote; `Err` is the column of a quote that
/// is never closed or of text after a closing quote.
///
/// ```
/// use kidkit_core::split_into;
/// let mut f = Vec::new();
/// split_into("a;\"b;c\";d", ';', true, &mut f).unwrap();
/// let v: Vec<(u32, &str)> = f.iter().map(|x| (x.column, x.value.as_ref())).collect();
/// assert_eq!(v, [(1, "a"), (3, "b;c"), (9, "d")]);
/// ```
pub fn split_into<'a>(line: &'a str, delim: char, quotes: bool, out: &mut Vec<Cell<'a>>) -> Result<(), u32> {
    out.clear();
    if !(quotes && line.contains('"')) {
        let mut column: u32 = 1;
        for value in line.split(delim) {
            out.push(Cell { column, value: Cow::Borrowed(value), quoted: false });
            let width = if value.is_ascii() { value.len() } else { value.chars().count() };
            column += width as u32 + 1;
        }
        return Ok(());
    }
    let mut chars = line.char_indices().peekable();
    let mut column: u32 = 1;
    loop {
        let start = column;
        let quoted = chars.peek().is_some_and(|&(_, c)| c == '"');
        let value = if quoted {
            chars.next();
            column += 1;
            let mut value = String::new();
            loop {
                match chars.next() {
                    None => return Err(start),
                    Some((_, '"')) if chars.peek().is_some_and(|&(_, c)| c == '"') => {
                        chars.next();
                        column += 2;
                        value.push('"');
                    }
                    Some((_, '"')) => {
                        column += 1;
                        break;
                    }
                    Some((_, c)) => {
                        column += 1;
                        value.push(c);
                    }
                }
            }
            if chars.peek().is_some_and(|&(_, c)| c != delim) {
                return Err(column);
            }
            Cow::Owned(value)
        } else {
            let from = chars.peek().map_or(line.len(), |&(i, _)| i);
            let mut to = line.len();
            while let Some(&(i, c)) = chars.peek() {
                if c == delim {
                    to = i;
                    break;
                }
                chars.next();
                column += 1;
            }
            Cow::Borrowed(&line[from..to])
        };
        out.push(Cell { column: start, value, quoted });
        if chars.next().is_none() {
            return Ok(());
        }
        column += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(line: &str, delim: char, quotes: bool) -> Vec<(u32, String, bool)> {
        let mut out = Vec::new();
        split_into(line, delim, quotes, &mut out).unwrap();
        out.into_iter().map(|f| (f.column, f.value.into_owned(), f.quoted)).collect()
    }

    #[test]
    fn columns_count_characters() {
        assert_eq!(
            fields("æøå;x;;y", ';', true),
            [(1, "æøå".into(), false), (5, "x".into(), false), (7, String::new(), false), (8, "y".into(), false)]
        );
        assert_eq!(
            fields("\"a\"\"b\";æ;\"\"", ';', true),
            [(1, "a\"b".into(), true), (8, "æ".into(), false), (10, String::new(), true)]
        );
        assert_eq!(fields("\"a\";b", ';', false), [(1, "\"a\"".into(), false), (5, "b".into(), false)]);
        assert_eq!(fields("", ';', true), [(1, String::new(), false)]);
    }

    #[test]
    fn unclosed_and_trailing_quotes_are_errors() {
        let mut out = Vec::new();
        assert_eq!(split_into("\"open", ',', true, &mut out), Err(1));
        assert_eq!(split_into("\"a\"b,c", ',', true, &mut out), Err(4));
    }
}
