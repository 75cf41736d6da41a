//! What every kidkit file format shares: diagnostics and their rendering, text encodings,
//! streaming line input, amounts in øre, dates, and Norwegian identifiers with check digits.
//!
//! Format crates (`kidkit-ocr`, `kidkit-upload`, …) build on these; none of them re-implements a
//! check digit, a date parser or an encoding rule.

#![forbid(unsafe_code)]
#![deny(clippy::print_stdout, clippy::print_stderr, clippy::exit, clippy::dbg_macro)]

mod amount;
mod date;
mod delimited;
mod diagnostic;
mod dups;
mod encoding;
mod format;
mod html;
mod ident;
mod jsondoc;
mod lines;
mod policy;
mod render;
mod rows;

// Findings and how they are shown.
pub use diagnostic::{Code, Diagnostic, FileReport, Findings, GroupCounts, Omitted, Severity};
pub use html::{HtmlPage, write_html_report};
pub use render::{Human, Style, printable, visible, write_json_reports, write_ndjson_reports, write_report};

// The contract every format implements, and what the CLI drives it with.
pub use format::{
    Blame, Bridge, Bytes, Checked, Error, Fail, FieldView, Form, Format, Found, Info, Input, Inspected, Reading,
    Refusals, Registry, Result, Rewriter, Target, Watched, Written, delimited_record, nth_line, read_settings,
    write_again,
};
pub use policy::{KidCheck, Options};

// Reading and writing text: encodings, lines, delimited cells, rows and full-fidelity JSON.
pub use delimited::{Cell, split_into};
pub use encoding::{
    BOM, EncodingSniffer, Observed, TextEncoding, Unrepresentable, decode, encode, find_unrepresentable,
    forbidden_byte_finding, is_all_digits, is_printable_ascii, is_record_char, mixed_encoding_finding,
};
pub use jsondoc::{
    FileForm, JsonDoc, JsonError, JsonRecord, LineForm, Refusal, json_built, raw_and_value_agree, rebuild_from_json,
};
pub use lines::{Chunk, ChunkLines, ChunkReader, Line, LineEnding, LineReader, LineStats};
pub use rows::{
    Columns, GivenOnce, NameHasher, Origins, Row, RowError, RowFormat, RowMark, RowReader, RowSyntax, TextRows, Traced,
    columns_of, sniff_header,
};

// Values: amounts in øre, dates, and a filter for spotting repeated keys in one pass.
pub use amount::{
    AmountError, AmountSyntax, DecimalMark, Kroner, format_comma, format_point, parse_kroner, parse_ore_digits,
};
pub use date::{
    DateError, fits_ddmmyy, format_ddmmyy, format_yyyymmdd, parse_compact_or_iso, parse_ddmmyy, parse_iso,
    parse_yyyymmdd,
};
pub use dups::{BloomFilter, BloomProbe};

// Norwegian identifiers and their check digits.
pub use ident::account::{Account, AccountError, check_account};
pub use ident::country::is_country;
pub use ident::iban::{IbanError, check_iban};
pub use ident::kid::{
    FieldKid, KID_MAX_LEN, KID_MIN_LEN, KidRule, KidShapeError, KidVerdict, check_kid, check_kid_shape, kid_holds,
    kid_verdict, make_check_char, scan_field,
};
pub use ident::orgnr::{OrgNumber, OrgNumberError, check_orgnr, check_orgnr_loose};
pub use ident::person::{
    PersonKind, PersonNumber, PersonNumberError, PersonRules, check_person_number, mask_person_number,
    mask_person_numbers_in,
};
pub use ident::{IdType, candidate_types};
