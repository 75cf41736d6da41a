//! The typed model: transmission → assignments → OCR transactions, AvtaleGiro claims,
//! cancellations or mandates. Amounts are øre, dates are `chrono` dates.

use chrono::NaiveDate;

use crate::structure::TotalsConvention;

/// The transmission start record.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct TransmissionStart {
    /// Columns 9–16: `00008080` (Nets) in files from Nets, the customer unit ID in files to Nets.
    pub data_transmitter: String,
    /// Columns 17–23.
    pub transmission_number: String,
    /// Columns 24–31.
    pub data_recipient: String,
}

/// One OCR giro transaction: amount items 1 and 2, and 3 for types 20 and 21.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct OcrTransaction {
    /// 10–21.
    pub transaction_type: u8,
    /// Filled in by the writer when `None` (previous + 1).
    pub transaction_number: Option<u32>,
    /// Nets processing date.
    pub nets_date: Option<NaiveDate>,
    /// Bank data centre, 2 digits.
    pub centre_id: String,
    /// Day of month processed, 2 digits.
    pub day_code: String,
    /// Partial settlement number, 1 digit.
    pub partial_settlement_number: String,
    /// Serial number within the partial settlement, 5 digits.
    pub partial_settlement_serial_number: String,
    /// Sign `-` (electronic credit note).
    pub negative: bool,
    /// Amount in øre.
    pub amount_ore: u64,
    /// KID without padding; empty when blank.
    pub kid: String,
    /// Card issuer (policy D1), 2 digits.
    pub card_issuer: String,
    /// Form number, 10 digits.
    pub form_number: String,
    /// Agreement ID / archive reference, 9 digits.
    pub reference: String,
    /// Old Postgiro field (policy D2), 7 digits.
    pub filler_35_41: String,
    /// Bank date.
    pub bank_date: Option<NaiveDate>,
    /// Payer's account, 11 digits (zeros when unknown).
    pub debit_account: String,
    /// Free text of amount item 3 (types 20 and 21).
    pub text: String,
}

/// One AvtaleGiro payment claim (type 02 or 21) or cancellation (type 93).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Claim {
    /// 02 (no notification from the bank), 21 (bank notifies) or 93 (cancellation).
    pub transaction_type: u8,
    /// Filled in by the writer when `None`.
    pub transaction_number: Option<u32>,
    /// Due date.
    pub due_date: Option<NaiveDate>,
    /// Columns 22–32 of amount item 1, kept as found.
    pub filler_22_32: String,
    /// Amount in øre.
    pub amount_ore: u64,
    /// KID without padding.
    pub kid: String,
    /// Payer's abbreviated name.
    pub short_name: String,
    /// External reference shown on the payer's statement.
    pub external_reference: String,
    /// Specification records in file order: (line 1–42, column 1–2, text).
    pub specification: Vec<(u8, u8, String)>,
    /// A cancellation may leave out amount item 2.
    pub has_item_2: bool,
}

/// One mandate ("fast betalingsoppdrag").
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Mandate {
    /// Filled in by the writer when `None`.
    pub serial_number: Option<u32>,
    /// `0` all, `1` new or changed, `2` deleted.
    pub registration_type: u8,
    /// The payer's KID.
    pub kid: String,
    /// Payer wants written notice (`J`).
    pub written_notification: bool,
}

/// What an assignment holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Items {
    /// Service 09.
    Ocr(Vec<OcrTransaction>),
    /// Service 21, assignment type 00.
    Claims(Vec<Claim>),
    /// Service 21, assignment type 36.
    Cancellations(Vec<Claim>),
    /// Service 21, assignment type 24.
    Mandates(Vec<Mandate>),
    /// A service kidkit does not decode: its records verbatim, start and end included.
    Verbatim(Vec<String>),
}

/// One assignment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Assignment {
    /// Agreement ID (OCR giro; zeros in AvtaleGiro).
    pub agreement_id: String,
    /// Assignment number, 7 digits.
    pub assignment_number: String,
    /// Assignment account, 11 digits.
    pub assignment_account: String,
    /// OCR giro: the date Nets made the assignment (end record, columns 42–47).
    pub nets_date: Option<NaiveDate>,
    /// The transactions.
    pub items: Items,
}

/// A whole transmission.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Transmission {
    /// The start record.
    pub start: TransmissionStart,
    /// The assignments in order.
    pub assignments: Vec<Assignment>,
    /// The transmission end date for files from Nets (Nets date, or `None` for a mandates-only
    /// transmission). Files with claims get the earliest due date, computed.
    pub nets_date: Option<NaiveDate>,
    /// Which totals the end records carry when a `-` sign is used.
    pub convention: TotalsConvention,
}
