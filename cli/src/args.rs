//! The command line, as clap derive types.

use clap::builder::PossibleValuesParser;
use clap::{Args, Parser, Subcommand, ValueEnum};
use clap_complete::Shell;

/// Read, check, convert and match the files that move money between Norwegian creditors, banks,
/// collection agencies and accounting systems.
#[derive(Debug, Parser)]
#[command(name = "kidkit", version, about, long_about = None, max_term_width = 100)]
#[command(after_help = "\
Examples:
  kidkit validate bank.ocr                 every finding with line, column and code
  kidkit convert bank.ocr --to csv         one row per transaction
  kidkit convert rows.csv --to ocr-giro -o new.ocr   build a Nets file (counts and sums computed)
  kidkit kid check 123456782 104-          which check-digit rule each KID satisfies
  cut -d';' -f5 items.csv | kidkit kid check   one KID per line from stdin
  kidkit kid make --mod10 12345678         append a MOD10 check digit
  kidkit id check 988077917 86011117947    organisation number, account, IBAN or fødselsnummer
  kidkit match --payments bank.ocr --open-items items.csv   which payment paid which invoice

Input is a file, or stdin for `-` or no file; results go to stdout, findings to stderr.
Exit codes: 0 valid, 1 invalid input, 2 usage error or unreadable input.")]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
    #[command(flatten)]
    pub global: GlobalArgs,
}

/// Flags every command accepts.
#[derive(Debug, Args)]
pub struct GlobalArgs {
    /// Worker threads (default: all cores; at most 4 per core).
    #[arg(long, global = true, value_name = "N", value_parser = clap::builder::RangedU64ValueParser::<usize>::new().range(1..))]
    pub jobs: Option<usize>,
    /// Print nothing but errors.
    #[arg(long, short, global = true)]
    pub quiet: bool,
    /// When to colour output (honours NO_COLOR).
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
    /// Severity of a KID whose check digit fails MOD10 and MOD11 in files (default: warn in Nets
    /// files, error elsewhere); `strict` is an alias of `error`.
    #[arg(long, global = true, value_enum, value_name = "LEVEL")]
    pub kid_check: Option<KidCheckArg>,
    /// The date rules relative to today use, as YYYY-MM-DD (default: the clock).
    #[arg(long, global = true, value_name = "YYYY-MM-DD", value_parser = parse_today)]
    pub today: Option<chrono::NaiveDate>,
    /// Show fødselsnumre and D-numbers unmasked.
    #[arg(long, global = true)]
    pub show_personal_data: bool,
    /// Accept the fødselsnummer check-digit rule that applies from 2032.
    #[arg(long = "fnr-2032", global = true)]
    pub fnr_2032: bool,
    /// Show a progress bar on stderr (default: only when stderr is a terminal and the input is
    /// over 8 MB; never with --quiet or JSON output).
    #[arg(long, global = true)]
    pub progress: bool,
    /// Repair what each format's policy lists (e.g. skip blank lines), with a warning each.
    #[arg(long, global = true)]
    pub lenient: bool,
}

fn parse_today(s: &str) -> Result<chrono::NaiveDate, String> {
    kidkit_core::parse_iso(s.as_bytes()).map_err(|e| format!("{e}; expected YYYY-MM-DD"))
}

/// `--color`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    /// Colour when stderr is a terminal and NO_COLOR is unset.
    Auto,
    /// Always colour.
    Always,
    /// Never colour.
    Never,
}

/// `--kid-check`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum KidCheckArg {
    /// Do not check KID check digits in files.
    Off,
    /// A failing check digit is a warning.
    Warn,
    /// A failing check digit is an error.
    #[value(alias = "strict")]
    Error,
}

/// `--format` of `validate`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    /// Compiler-style messages on stderr.
    Human,
    /// One JSON document on stdout.
    Json,
    /// One finding per line on stdout, then a summary line per file.
    Ndjson,
}

/// `--format` of `match`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum MatchFormat {
    /// `;`-separated rows with a header; the summary on stderr.
    Csv,
    /// `{"payments": [...], "summary": {...}}`.
    Json,
    /// One object per line, then `{"summary": ...}`.
    Ndjson,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Print the format of each file.
    #[command(after_help = "\
Examples:
  kidkit detect golden/ocr/*.ocr
  cat bank.ocr | kidkit detect -

Exit codes: 0 every format recognised, 2 any not (IO006) or unreadable.")]
    Detect {
        /// Files (`-` for stdin).
        #[arg(required = true)]
        files: Vec<String>,
    },
    /// Check files and report every finding with line, column and code.
    #[command(after_help = "\
Examples:
  kidkit validate bank.ocr
  kidkit validate --format json golden/ocr/*.ocr > findings.json
  kidkit --today 2026-11-25 validate claims.ocr --strict
  kidkit --jobs 1 validate big.ocr --max-errors 50
  kidkit validate upload.txt --report upload-findings.html   a page for support staff

Human findings go to stderr; --format json and ndjson go to stdout.
Exit codes: 0 valid, 1 invalid (or warnings with --strict), 2 unreadable or unrecognised.")]
    Validate(ValidateArgs),
    /// Convert a file to another format; nothing is written when the input is invalid.
    #[command(after_help = "\
Examples:
  kidkit convert bank.ocr --to csv > transactions.csv
  kidkit convert bank.ocr --to json --output bank.json
  kidkit convert bank.json --to ocr-giro --output bank.ocr     (byte-identical to the original)
  kidkit convert rows.csv --to ocr-giro --output new.ocr       (counts, sums and dates computed)
  cat bank.ocr | kidkit convert --to ndjson | jq .amount
  kidkit convert upload.txt --to csv > cases.csv              (one row per claim)
  kidkit convert cases.csv --to upload --map map.json -o upload.txt
  kidkit convert settlement.txt --to visma-global --accounts accounts.json   (one voucher per line)
  kidkit convert settlement.txt --to saft -o saft.xml           (SAF-T Financial 1.30)
  kidkit convert bundle.csv --to gbat10 -o bundle.gbat10         (between ledger dialects)
  kidkit convert --from visma-global import.csv --to kidkit-csv

Exit codes: 0 written, 1 input invalid (findings on stderr, no output), 2 usage or I/O error.")]
    Convert {
        /// Input file (`-` or none: stdin).
        file: Option<String>,
        /// Read as this format instead of detecting it.
        #[arg(long, value_name = "FORMAT", value_parser = PossibleValuesParser::new(crate::formats::from_names()))]
        from: Option<String>,
        /// Output format.
        #[arg(long, value_name = "FORMAT", value_parser = PossibleValuesParser::new(crate::formats::to_names()))]
        to: String,
        /// Write here instead of stdout (via a temporary file, renamed on success).
        #[arg(long, short)]
        output: Option<std::path::PathBuf>,
        /// A creditor's CSV layout: column names, separator, decimal mark, date format.
        #[arg(long, value_name = "MAP.json")]
        map: Option<std::path::PathBuf>,
        /// Accounts, voucher types and numbering for posting a settlement to a ledger bundle.
        #[arg(long, value_name = "ACCOUNTS.json")]
        accounts: Option<std::path::PathBuf>,
    },
    /// Match KID payments against open items: one result row per payment, in input order.
    #[command(after_help = "\
Payments come from a Nets OCR giro file or a payments CSV (kid;amount;date, optionally
payer_account;reference); open items from an open-items CSV
(customer_no;invoice_no;kid;amount_due;due_date) or a creditor upload. Amounts take a decimal comma
or point, dates YYYYMMDD or YYYY-MM-DD. Items sharing a KID are paid oldest first.

Statuses: matched, partial, overpaid, duplicate, unknown_kid, invalid_kid, no_kid, reversal,
reversal_unmatched. The summary goes to stderr in CSV mode, into the output in JSON and NDJSON.

Examples:
  kidkit match --payments bank.ocr --open-items items.csv > result.csv
  kidkit match --payments payments.csv --open-items upload.txt --format json -o result.json
  kidkit match --payments bank.ocr --open-items items.csv --open-items-out still-open.csv --strict
  cat bank.ocr | kidkit match --payments - --open-items items.csv --skip-unknown

Exit codes: 0 matched (whatever the statuses, unless --strict), 1 an input is invalid (findings on
stderr, nothing written) or, with --strict, a payment is not matched or reversed, 2 usage or I/O
error.")]
    Match {
        /// Payments: a Nets OCR giro file or a payments CSV (`-`: stdin).
        #[arg(long, value_name = "FILE")]
        payments: String,
        /// Open items: an open-items CSV or a creditor upload (`-`: stdin).
        #[arg(long, value_name = "FILE")]
        open_items: String,
        /// Shape of the result rows.
        #[arg(long, value_enum, default_value_t = MatchFormat::Csv)]
        format: MatchFormat,
        /// Write the rows here instead of stdout (via a temporary file, renamed on success).
        #[arg(long, short)]
        output: Option<std::path::PathBuf>,
        /// Write the items still open after the run here, as an open-items CSV.
        #[arg(long, value_name = "PATH")]
        open_items_out: Option<std::path::PathBuf>,
        /// Leave unknown_kid payments out of the rows (they are still counted in the summary).
        #[arg(long)]
        skip_unknown: bool,
        /// Exit 1 when any payment is not matched or reversed, or an input has warnings.
        #[arg(long)]
        strict: bool,
    },
    /// Show every field of one record: name, columns, raw and decoded value.
    #[command(after_help = "\
Examples:
  kidkit inspect golden/ocr/ocr-giro-all-types.ocr --line 3")]
    Inspect {
        /// The file (`-` or none: stdin).
        file: Option<String>,
        /// The line to show (1-based).
        #[arg(long, value_name = "N")]
        line: u64,
        /// Read as this format instead of detecting it.
        #[arg(long, value_name = "FORMAT", value_parser = PossibleValuesParser::new(crate::formats::from_names()))]
        from: Option<String>,
    },
    /// Check or make KID check digits.
    #[command(
        subcommand,
        after_help = "\
Examples:
  kidkit kid check 123456782 104-          which check-digit rule each KID satisfies
  kidkit kid make --mod11 1234567          append a MOD11 check digit"
    )]
    Kid(KidCommand),
    /// Check identifiers.
    #[command(
        subcommand,
        after_help = "\
Examples:
  kidkit id check 988077917 86011117947    organisation number, bank account
  kidkit id check --type fnr 01010012356   a fødselsnummer (shown masked)"
    )]
    Id(IdCommand),
    /// Print a shell completion script.
    #[command(after_help = "\
Examples:
  kidkit completions bash > /etc/bash_completion.d/kidkit
  kidkit completions zsh > \"${fpath[1]}/_kidkit\"
  kidkit completions fish > ~/.config/fish/completions/kidkit.fish")]
    Completions {
        /// The shell.
        shell: Shell,
    },
    /// Print a man page (roff) for kidkit or one of its commands.
    #[command(after_help = "\
Examples:
  kidkit man > /usr/local/share/man/man1/kidkit.1
  kidkit man match > /usr/local/share/man/man1/kidkit-match.1
  kidkit man validate | man -l -")]
    Man {
        /// The command (none: kidkit itself).
        command: Option<String>,
    },
}

/// `kidkit kid …`
#[derive(Debug, Subcommand)]
pub enum KidCommand {
    /// Say which check-digit rule each KID satisfies: mod10, mod11, both or none.
    #[command(after_help = "\
Each KID gets one line on stdout: `KID: mod10`, `mod11`, `both`, or `none` with the check digit
each rule calls for, or `invalid` with what is wrong with its shape. A KID is 2–25 digits; a final
'-' is the MOD11 check character for remainder 1.

Examples:
  kidkit kid check 123456782 123456785 104-
  printf '123456782\\n123456789\\n' | kidkit kid check

Exit codes: 0 every KID satisfies a rule, 1 any does not, 2 usage error or unreadable stdin.")]
    Check {
        /// KIDs to check; none reads one per line from stdin.
        kids: Vec<String>,
    },
    /// Append a check digit to each body.
    #[command(after_help = "\
Examples:
  kidkit kid make --mod10 12345678      prints 123456782
  kidkit kid make --mod11 12345678 104  prints 123456785 and 104-
  seq -w 1 1000 | kidkit kid make --mod10

A body is 1–24 digits. Bodies that are not are reported on stderr and the exit code is 1.")]
    #[command(group(clap::ArgGroup::new("rule").required(true).args(["mod10", "mod11"])))]
    Make {
        /// Use MOD10 (Luhn).
        #[arg(long)]
        mod10: bool,
        /// Use MOD11 (remainder 1 gives '-').
        #[arg(long)]
        mod11: bool,
        /// Bodies; none reads one per line from stdin.
        bodies: Vec<String>,
    },
}

/// `kidkit id …`
#[derive(Debug, Subcommand)]
pub enum IdCommand {
    /// Check organisation numbers, bank accounts, IBANs and fødselsnumre.
    #[command(after_help = "\
Without --type each value is checked as every type its shape allows: 9 digits as an organisation
number, 11 digits as an account and as a fødselsnummer / D- / H-number, `NO` + digits as an IBAN,
`… MVA` as an organisation number in its VAT form. Fødselsnumre are masked (010190*****) unless
--show-personal-data is given.

Examples:
  kidkit id check 988077917 'NO 995 525 828 MVA'
  kidkit id check 8601.11.17947 --type account
  kidkit id check 'NO93 8601 1117 947'

Exit codes: 0 every value is valid, 1 any is not, 2 usage error.")]
    Check {
        /// Values to check; none reads one per line from stdin.
        values: Vec<String>,
        /// Check as this type only.
        #[arg(long = "type", value_enum)]
        kind: Option<IdKind>,
    },
}

/// `--type` of `id check`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum IdKind {
    /// Organisation number (9 digits, or the `NO … MVA` form).
    Orgnr,
    /// Bank account number (11 digits).
    Account,
    /// Norwegian IBAN.
    Iban,
    /// Fødselsnummer, D-number or H-number.
    Fnr,
}

/// `kidkit validate`.
#[derive(Debug, Args)]
pub struct ValidateArgs {
    /// Files (`-` or none: stdin).
    pub files: Vec<String>,
    /// Read as this format instead of detecting it.
    #[arg(long, value_name = "FORMAT", value_parser = PossibleValuesParser::new(crate::formats::from_names()))]
    pub from: Option<String>,
    /// How to report findings.
    #[arg(long, value_enum, default_value_t = ReportFormat::Human)]
    pub format: ReportFormat,
    /// Show the first N errors (warnings do not count) and count the rest.
    #[arg(long, value_name = "N")]
    pub max_errors: Option<u64>,
    /// Fail on warnings too.
    #[arg(long)]
    pub strict: bool,
    /// Accounts file for ledger bundles: customer range (Visma Global) and control account.
    #[arg(long, value_name = "ACCOUNTS.json")]
    pub accounts: Option<std::path::PathBuf>,
    /// Also write a self-contained HTML page of the findings for people (sortable, filterable;
    /// personal numbers masked).
    #[arg(long, value_name = "FILE.html")]
    pub report: Option<std::path::PathBuf>,
}
