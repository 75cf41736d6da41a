//! One module per command.

pub mod completions;
pub mod id;
pub mod kid;
