//! The list of formats a program drives, and the questions asked of all of them at once: which
//! format a file is, what a name stands for, and what a format converts to.

use super::{Bridge, Form, Format, Target};
use crate::encoding::BOM;

/// The formats and bridges a program offers.
pub struct Registry {
    formats: &'static [&'static dyn Format],
    bridges: &'static [&'static dyn Bridge],
}

/// A format recognised in an input, and the form it is in.
#[derive(Clone, Copy)]
pub struct Found {
    /// The format.
    pub format: &'static dyn Format,
    /// Native, JSON or rows.
    pub form: Form,
}

impl std::fmt::Debug for Found {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Found").field("format", &self.format.info().name).field("form", &self.form).finish()
    }
}

impl Registry {
    /// A registry of `formats` (asked in this order) and `bridges`.
    pub const fn new(formats: &'static [&'static dyn Format], bridges: &'static [&'static dyn Bridge]) -> Self {
        Registry { formats, bridges }
    }

    /// Every format, in order.
    pub fn formats(&self) -> &'static [&'static dyn Format] {
        self.formats
    }

    /// The format a name (or alias) stands for.
    pub fn find(&self, name: &str) -> Option<&'static dyn Format> {
        self.formats.iter().copied().find(|f| f.info().name == name || f.info().aliases.contains(&name))
    }

    /// Which format `head` starts, and in which form: kidkit JSON by the format it names, else
    /// the first format that recognises it.
    pub fn sniff(&self, head: &[u8]) -> Option<Found> {
        let head = head.strip_prefix(BOM).unwrap_or(head);
        if let Some(name) = crate::jsondoc::sniff_json_format(head) {
            let format = self.formats.iter().copied().find(|f| f.info().json == Some(name.as_str()))?;
            return Some(Found { format, form: Form::Json });
        }
        self.formats.iter().find_map(|&format| format.sniff(head).map(|form| Found { format, form }))
    }

    /// What a valid file of `format` converts to: its own targets, then those of bridges.
    pub fn targets(&self, format: &dyn Format) -> Vec<Target> {
        let name = format.info().name;
        let mut out = format.info().targets.to_vec();
        for b in self.bridges.iter().filter(|b| b.from() == name) {
            out.extend(b.to().iter().map(|&t| Target::Format(t)));
        }
        out
    }

    /// The bridge from `from` to `to`.
    pub fn bridge(&self, from: &str, to: &str) -> Option<&'static dyn Bridge> {
        self.bridges.iter().copied().find(|b| b.from() == from && b.to().contains(&to))
    }

    /// The target a name stands for when converting a file of `format`.
    pub fn target(&self, format: &dyn Format, name: &str) -> Option<Target> {
        let name = self.find(name).map_or(name, |f| f.info().name);
        self.targets(format).into_iter().find(|t| t.name() == name)
    }
}
