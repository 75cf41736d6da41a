//! One module per command.

pub mod completions;
pub mod convert;
pub mod id;
pub mod inspect;
pub mod kid;
pub mod matching;
pub mod validate;
