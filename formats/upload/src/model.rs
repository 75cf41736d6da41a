//! The typed model of an upload: file header → cases → debtor, contact, claims, collection
//! notice; the trailer is computed by the writer. Amounts are øre, dates are `chrono` dates.

use std::io::{self, Read, Seek, Write};

use chrono::NaiveDate;
use kidkit_core::{LineEnding, Reading, TextEncoding, parse_yyyymmdd};

use crate::check::{CheckOptions, Record, UploadSink, check, settle_duplicates};
use crate::layout::RecordType;
use crate::write::Writer;

/// The file header (record 00).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Header {
    /// Creditor's organisation number.
    pub creditor_orgno: String,
    /// The creditor's number at the agency, as written (zero-padded digits).
    pub client_no: String,
    /// Creation date.
    pub creation_date: NaiveDate,
    /// File sequence number, as written.
    pub file_sequence: String,
    /// Creditor's name.
    pub creditor_name: String,
}

/// Who the debtor is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DebtorType {
    /// `P`: a person ("fysisk person").
    Person,
    /// `F`: a company ("juridisk person").
    Company,
    /// `O`: a public body.
    PublicBody,
}

/// The debtor of a case (record 10).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Debtor {
    /// P, F or O.
    pub kind: DebtorType,
    /// Fødselsnummer / D- / H-number, or organisation number.
    pub national_id: String,
    /// First name, or the company's name.
    pub first_name: String,
    /// Last name (persons).
    pub last_name: String,
    /// Street address.
    pub street: String,
    /// Postcode.
    pub postcode: String,
    /// Place.
    pub place: String,
    /// ISO country code; `None` when blank (Norway).
    pub country: Option<String>,
    /// The creditor's customer number.
    pub customer_no: String,
    /// Minor: `Some(true)` for `J`, `Some(false)` for `N`, `None` when blank.
    pub minor: Option<bool>,
    /// Secret address, as `minor`.
    pub secret_address: Option<bool>,
}

/// How the debtor is reached (record 11).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Contact {
    /// Mobile phone.
    pub mobile: String,
    /// E-mail.
    pub email: String,
    /// `NO` or `EN`; `None` when blank.
    pub language: Option<String>,
    /// c/o address.
    pub co_address: String,
}

/// The sign column of a claim.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sign {
    /// Blank: an invoice.
    Blank,
    /// `+`: an invoice.
    Plus,
    /// `-`: a credit note.
    Minus,
}

/// One claim (record 20).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Claim {
    /// Invoice number.
    pub invoice_no: String,
    /// Invoice date.
    pub invoice_date: Option<NaiveDate>,
    /// Due date.
    pub due_date: NaiveDate,
    /// Invoice or credit note.
    pub sign: Sign,
    /// Original principal in øre.
    pub original_ore: Option<u64>,
    /// Remaining principal in øre.
    pub remaining_ore: u64,
    /// KID.
    pub kid: Option<String>,
    /// Interest from.
    pub interest_from: Option<NaiveDate>,
    /// Reminder fee in øre.
    pub reminder_fee_ore: Option<u64>,
    /// Date the reminder was sent.
    pub reminder_date: Option<NaiveDate>,
    /// What the claim is for.
    pub text: String,
}

/// The collection notice (record 30, action group IKVAR).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    /// Date the notice was sent.
    pub date: NaiveDate,
    /// Extra information.
    pub info: String,
}

/// One case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Case {
    /// The creditor's case reference.
    pub reference: String,
    /// The debtor.
    pub debtor: Debtor,
    /// Contact record, if any.
    pub contact: Option<Contact>,
    /// The claims.
    pub claims: Vec<Claim>,
    /// The collection notice.
    pub notice: Notice,
}

/// A whole upload.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Upload {
    /// The header.
    pub header: Header,
    /// The cases, in order.
    pub cases: Vec<Case>,
}

fn date(v: &str) -> Option<NaiveDate> {
    parse_yyyymmdd(v.as_bytes()).ok()
}

fn flag(v: &str) -> Option<bool> {
    match v {
        "J" => Some(true),
        "N" => Some(false),
        _ => None,
    }
}

fn opt(v: &str) -> Option<String> {
    (!v.is_empty()).then(|| v.to_owned())
}

#[derive(Default)]
struct Builder {
    header: Option<Header>,
    cases: Vec<Case>,
}

impl UploadSink for Builder {
    fn record(&mut self, _line: u64, r: &Record<'_>) -> io::Result<()> {
        let v = |n: &str| r.value(n).to_owned();
        match r.kind {
            RecordType::Header => {
                self.header = Some(Header {
                    creditor_orgno: v("creditor_orgno"),
                    client_no: v("client_no"),
                    creation_date: date(r.value("creation_date")).unwrap_or_default(),
                    file_sequence: v("file_sequence"),
                    creditor_name: v("creditor_name"),
                });
            }
            RecordType::Case => self.cases.push(Case {
                reference: v("case_ref"),
                debtor: Debtor {
                    kind: match r.value("debtor_type") {
                        "F" => DebtorType::Company,
                        "O" => DebtorType::PublicBody,
                        _ => DebtorType::Person,
                    },
                    national_id: v("national_id"),
                    first_name: v("first_name"),
                    last_name: v("last_name"),
                    street: v("street"),
                    postcode: v("postcode"),
                    place: v("place"),
                    country: opt(r.value("country")),
                    customer_no: v("customer_no"),
                    minor: flag(r.value("minor")),
                    secret_address: flag(r.value("secret_address")),
                },
                contact: None,
                claims: Vec::new(),
                notice: Notice { date: NaiveDate::default(), info: String::new() },
            }),
            RecordType::Contact => {
                if let Some(c) = self.cases.last_mut() {
                    c.contact = Some(Contact {
                        mobile: v("mobile"),
                        email: v("email"),
                        language: opt(r.value("language")),
                        co_address: v("co_address"),
                    });
                }
            }
            RecordType::Claim => {
                let amount = |n: &str| r.value(n).parse::<u64>().ok();
                if let Some(c) = self.cases.last_mut() {
                    c.claims.push(Claim {
                        invoice_no: v("invoice_no"),
                        invoice_date: date(r.value("invoice_date")),
                        due_date: date(r.value("due_date")).unwrap_or_default(),
                        sign: match r.value("sign") {
                            "+" => Sign::Plus,
                            "-" => Sign::Minus,
                            _ => Sign::Blank,
                        },
                        original_ore: amount("original_principal"),
                        remaining_ore: amount("remaining_principal").unwrap_or(0),
                        kid: opt(r.value("kid")),
                        interest_from: date(r.value("interest_from")),
                        reminder_fee_ore: amount("reminder_fee"),
                        reminder_date: date(r.value("reminder_date")),
                        text: v("claim_text"),
                    });
                }
            }
            RecordType::Action => {
                if let Some(c) = self.cases.last_mut() {
                    c.notice =
                        Notice { date: date(r.value("notice_date")).unwrap_or_default(), info: v("notice_info") };
                }
            }
            RecordType::Trailer => {}
        }
        Ok(())
    }
}

/// Reads an upload into the model; `None` when it has errors (see the report).
pub fn read_upload<R: Read + Seek>(
    mut input: R,
    file: &str,
    opts: &CheckOptions,
) -> io::Result<(Reading, Option<Upload>)> {
    let mut builder = Builder::default();
    let mut out = check(&mut input, file, opts, Some(&mut builder))?;
    settle_duplicates(&mut out, || {
        input.seek(io::SeekFrom::Start(0))?;
        Ok(&mut input)
    })?;
    let upload = match (out.report.is_invalid(), builder.header) {
        (false, Some(header)) => Some(Upload { header, cases: builder.cases }),
        _ => None,
    };
    Ok((out, upload))
}

fn ymd(d: Option<NaiveDate>) -> String {
    d.map(|d| d.format("%Y%m%d").to_string()).unwrap_or_default()
}

fn yn(f: Option<bool>) -> &'static str {
    match f {
        Some(true) => "J",
        Some(false) => "N",
        None => "",
    }
}

/// Writes an upload; the trailer is computed.
pub fn write_upload<W: Write>(u: &Upload, out: W, ending: LineEnding, encoding: TextEncoding) -> io::Result<W> {
    let mut w = Writer::new(out, ending, encoding);
    let h = &u.header;
    w.record(
        RecordType::Header,
        &[
            ("format", "KUP1"),
            ("creditor_orgno", &h.creditor_orgno),
            ("client_no", &h.client_no),
            ("creation_date", &ymd(Some(h.creation_date))),
            ("file_sequence", &h.file_sequence),
            ("currency", "NOK"),
            ("creditor_name", &h.creditor_name),
        ],
    )?;
    for c in &u.cases {
        let d = &c.debtor;
        let kind = match d.kind {
            DebtorType::Person => "P",
            DebtorType::Company => "F",
            DebtorType::PublicBody => "O",
        };
        w.record(
            RecordType::Case,
            &[
                ("case_ref", &c.reference),
                ("debtor_type", kind),
                ("national_id", &d.national_id),
                ("first_name", &d.first_name),
                ("last_name", &d.last_name),
                ("street", &d.street),
                ("postcode", &d.postcode),
                ("place", &d.place),
                ("country", d.country.as_deref().unwrap_or("")),
                ("customer_no", &d.customer_no),
                ("minor", yn(d.minor)),
                ("secret_address", yn(d.secret_address)),
            ],
        )?;
        if let Some(k) = &c.contact {
            w.record(
                RecordType::Contact,
                &[
                    ("mobile", &k.mobile),
                    ("email", &k.email),
                    ("language", k.language.as_deref().unwrap_or("")),
                    ("co_address", &k.co_address),
                ],
            )?;
        }
        for cl in &c.claims {
            let amount = |v: Option<u64>| v.map(|v| v.to_string()).unwrap_or_default();
            let sign = match cl.sign {
                Sign::Blank => "",
                Sign::Plus => "+",
                Sign::Minus => "-",
            };
            w.record(
                RecordType::Claim,
                &[
                    ("invoice_no", &cl.invoice_no),
                    ("invoice_date", &ymd(cl.invoice_date)),
                    ("due_date", &ymd(Some(cl.due_date))),
                    ("sign", sign),
                    ("original_principal", &amount(cl.original_ore)),
                    ("remaining_principal", &cl.remaining_ore.to_string()),
                    ("kid", cl.kid.as_deref().unwrap_or("")),
                    ("currency", "NOK"),
                    ("interest_from", &ymd(cl.interest_from)),
                    ("reminder_fee", &amount(cl.reminder_fee_ore)),
                    ("reminder_date", &ymd(cl.reminder_date)),
                    ("claim_text", &cl.text),
                ],
            )?;
        }
        w.record(
            RecordType::Action,
            &[("action_group", "IKVAR"), ("notice_date", &ymd(Some(c.notice.date))), ("notice_info", &c.notice.info)],
        )?;
    }
    w.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use kidkit_core::PersonRules;
    use kidkit_core::Severity;

    fn opts() -> CheckOptions {
        CheckOptions {
            kid_check: Some(Severity::Error),
            person: PersonRules { today: NaiveDate::from_ymd_opt(2026, 11, 25).unwrap(), allow_2032: false },
            show_personal_data: false,
            max_errors: None,
        }
    }

    #[test]
    fn golden_files_read_into_the_model_and_write_back_identically() {
        for data in [
            &include_bytes!("../../../golden/upload/upload-person.txt")[..],
            &include_bytes!("../../../golden/upload/upload-company-several-claims.txt")[..],
            &include_bytes!("../../../golden/upload/upload-foreign-debtor.txt")[..],
        ] {
            let (out, upload) = read_upload(io::Cursor::new(data), "golden", &opts()).unwrap();
            assert!(!out.report.is_invalid());
            let upload = upload.unwrap();
            let written = write_upload(&upload, Vec::new(), LineEnding::Crlf, TextEncoding::Latin1).unwrap();
            assert_eq!(written, data);
        }
    }

    #[test]
    fn model_holds_typed_values() {
        let data = include_bytes!("../../../golden/upload/upload-company-several-claims.txt");
        let (_, upload) = read_upload(io::Cursor::new(&data[..]), "golden", &opts()).unwrap();
        let u = upload.unwrap();
        assert_eq!(u.cases.len(), 2);
        let c = &u.cases[0];
        assert_eq!((c.reference.as_str(), c.debtor.kind, c.contact.is_none()), ("B-2001", DebtorType::Company, true));
        assert_eq!(c.claims.iter().map(|k| k.remaining_ore).collect::<Vec<_>>(), [200_000, 75_050, 25_000]);
        assert_eq!(c.claims[2].sign, Sign::Minus);
        assert_eq!(c.notice.date, NaiveDate::from_ymd_opt(2026, 11, 2).unwrap());
        assert_eq!(u.header.creation_date, NaiveDate::from_ymd_opt(2026, 11, 20).unwrap());
    }

    #[test]
    fn invalid_file_gives_no_model() {
        let data = include_bytes!("../../../golden/upload/invalid/UPL024.txt");
        let (out, upload) = read_upload(io::Cursor::new(&data[..]), "golden", &opts()).unwrap();
        assert!(out.report.is_invalid() && upload.is_none());
        assert!(out.report.findings.iter().any(|d| d.code == "UPL024"));
    }
}
