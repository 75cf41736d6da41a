//! Values rows give once: a file's header or transmission, a case's debtor. Flat rows repeat
//! them on every row; the first row's are what the file holds, and a later row that gives one
//! otherwise would be dropped, so it is a finding instead.

/// The values a group of rows (the file, or one case or assignment) holds once, as its first
/// row gave them.
#[derive(Debug, Default)]
pub struct GivenOnce {
    first: Option<(u64, Vec<String>)>,
}

impl GivenOnce {
    /// A new group starts: its next row is its first.
    pub fn restart(&mut self) {
        self.first = None;
    }

    /// The row on `line` gives `values` (always the same columns, in the same order). The first
    /// row's are kept; for a later row, `differs(index, text)` is called for each value that is
    /// not the first row's, `text` saying so: `is 'X', but the row on line 2 gives 'Y'`.
    pub fn check<'v>(
        &mut self,
        line: u64,
        values: impl IntoIterator<Item = &'v str>,
        mut differs: impl FnMut(usize, String),
    ) {
        match &self.first {
            None => self.first = Some((line, values.into_iter().map(str::to_owned).collect())),
            Some((at, first)) => {
                for (i, (found, want)) in values.into_iter().zip(first).enumerate() {
                    if found != want {
                        differs(i, format!("is '{found}', but the row on line {at} gives '{want}'"));
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn later_rows_must_give_the_first_rows_values() {
        let mut given = GivenOnce::default();
        let mut said = Vec::new();
        given.check(2, ["a", "b"], |i, t| said.push((i, t)));
        given.check(3, ["a", "c"], |i, t| said.push((i, t)));
        assert_eq!(said, [(1, "is 'c', but the row on line 2 gives 'b'".to_owned())]);
        given.restart();
        given.check(4, ["x", "y"], |i, t| said.push((i, t)));
        assert_eq!(said.len(), 1, "a restarted group's first row sets its values");
    }
}
