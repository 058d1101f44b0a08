//! Readable, collected problems.
//!
//! Every stage of the pipeline reports *all* it finds, not only the first, so that one build run shows
//! everything a user has to fix. A [`Problems`] value is what a stage returns instead of panicking.

use std::fmt;

/// A list of problems, each a self-contained, human-readable message (it may span several lines).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Problems(pub Vec<String>);

impl Problems {
    /// An empty list.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds one problem.
    pub fn push(&mut self, message: impl Into<String>) {
        self.0.push(message.into());
    }

    /// Moves every problem of `other` into `self`.
    pub fn extend(&mut self, other: Problems) {
        self.0.extend(other.0);
    }

    /// `true` when nothing is wrong.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// `Ok(value)` when there is no problem, `Err(self)` otherwise.
    pub fn into_result<T>(self, value: T) -> Result<T, Problems> {
        if self.is_empty() {
            Ok(value)
        } else {
            Err(self)
        }
    }
}

impl From<String> for Problems {
    fn from(message: String) -> Self {
        Problems(vec![message])
    }
}

impl fmt::Display for Problems {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.0.len();
        writeln!(f, "{n} problem{}:", if n == 1 { "" } else { "s" })?;
        for (i, message) in self.0.iter().enumerate() {
            write!(f, "\n{}. ", i + 1)?;
            for (j, line) in message.lines().enumerate() {
                if j > 0 {
                    write!(f, "\n   ")?;
                }
                f.write_str(line)?;
            }
            writeln!(f)?;
        }
        Ok(())
    }
}

impl std::error::Error for Problems {}
