//! The command line, as clap derive types.

use clap::{Args, Parser, Subcommand, ValueEnum};
use clap_complete::Shell;

/// Read, check, convert and match the files that move money between Norwegian creditors, banks,
/// collection agencies and accounting systems.
#[derive(Debug, Parser)]
#[command(name = "kidkit", version, about, long_about = None, max_term_width = 100)]
#[command(after_help = "\
Examples:
  kidkit kid check 123456782 104-          which check-digit rule each KID satisfies
  cut -d';' -f5 items.csv | kidkit kid check   one KID per line from stdin
  kidkit kid make --mod10 12345678         append a MOD10 check digit
  kidkit id check 988077917 86011117947    organisation number, account, IBAN or fødselsnummer

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
    /// Worker threads (default: all cores).
    #[arg(long, global = true, value_name = "N")]
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
}

fn parse_today(s: &str) -> Result<chrono::NaiveDate, String> {
    kidkit_core::date::parse_iso(s.as_bytes()).map_err(|e| format!("{e}; expected YYYY-MM-DD"))
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

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check or make KID check digits.
    #[command(subcommand)]
    Kid(KidCommand),
    /// Check identifiers.
    #[command(subcommand)]
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
