//! Which assignment a finding belongs to, so that people see findings grouped per assignment.
//!
//! The structure walk opens a span at each assignment start and closes it at the assignment's
//! end (or where the next assignment or the transmission end shows it has ended). Findings are
//! placed by line; only the spans still needed are kept, so memory stays flat however long the
//! file is.

use std::sync::Arc;

use kidkit_core::Diagnostic;

/// One assignment's lines.
#[derive(Debug, Clone)]
struct Span {
    first: u64,
    last: u64,
    label: Arc<str>,
}

/// The assignments whose findings may still arrive.
#[derive(Debug, Default)]
pub struct Groups {
    spans: Vec<Span>,
}

impl Groups {
    /// An assignment starts at `line`: `assignment 4000086`, or the line when its number is unreadable.
    pub fn open(&mut self, line: u64, number: Option<u32>) {
        self.close(line.saturating_sub(1));
        let label = match number {
            Some(n) => format!("assignment {n:07}"),
            None => format!("assignment on line {line}"),
        };
        self.spans.push(Span { first: line, last: u64::MAX, label: label.into() });
    }

    /// The open assignment, if any, ends at `line`.
    pub fn close(&mut self, line: u64) {
        if let Some(s) = self.spans.last_mut().filter(|s| s.last == u64::MAX) {
            s.last = line;
        }
    }

    /// Puts each finding without a group into the assignment holding its line, then forgets the
    /// assignments that have ended: findings arrive in batches in file order, so no later
    /// finding can fall in them.
    pub fn place(&mut self, findings: &mut [Diagnostic]) {
        for d in findings.iter_mut().filter(|d| d.group.is_none()) {
            let at = self.spans.partition_point(|s| s.first <= d.line);
            if let Some(s) = at.checked_sub(1).map(|i| &self.spans[i]).filter(|s| d.line <= s.last) {
                d.group = Some(Arc::clone(&s.label));
            }
        }
        self.spans.retain(|s| s.last == u64::MAX);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(line: u64) -> Diagnostic {
        Diagnostic::error("OCR000", line, 1, "m")
    }

    #[test]
    fn findings_land_in_the_assignment_holding_their_line() {
        let mut g = Groups::default();
        g.open(2, Some(4_000_086));
        g.close(5);
        g.open(6, None);
        let mut found = vec![at(1), at(2), at(5), at(6), at(9)];
        g.place(&mut found);
        let labels: Vec<_> = found.iter().map(|d| d.group.as_deref()).collect();
        assert_eq!(
            labels,
            [
                None,
                Some("assignment 4000086"),
                Some("assignment 4000086"),
                Some("assignment on line 6"),
                Some("assignment on line 6")
            ]
        );
        // the ended assignment is forgotten, the open one kept
        assert_eq!(g.spans.len(), 1);
        g.close(10);
        let mut late = vec![at(10), at(11)];
        g.place(&mut late);
        assert_eq!(late[0].group.as_deref(), Some("assignment on line 6"));
        assert_eq!(late[1].group, None);
        assert!(g.spans.is_empty());
    }
}
