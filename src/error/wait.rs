//! The errors of waiting ([`wait`](crate::wait)): the deadline passed, no id to poll with, and the
//! note on a create whose outcome is unknown (the first attempt may have been performed and billed;
//! its id named).

use std::fmt;
use std::time::Duration;

use super::{Error, ErrorKind};
use crate::wait::Pair;

/// What an error says about a create whose outcome is unknown ([`Error::first_attempt`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FirstAttempt {
    /// The request property that names it, and its value (the caller's id), when the create had one.
    pub id: Option<(String, String)>,
    /// The status operation that can look it up, when there is one.
    pub status_operation: Option<&'static str>,
    /// `true` when that status operation was asked and the error is its answer.
    pub looked_up: bool,
}

impl fmt::Display for FirstAttempt {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "the first attempt may have been performed and billed; not sent again")?;
        match &self.id {
            Some((name, value)) => {
                let value: String = value.chars().take(super::DISPLAY_TEXT_CHARS).collect();
                write!(f, " ({name} {value:?})")?
            }
            None => write!(f, " (the request carries no caller id)")?,
        }
        match (self.status_operation, self.looked_up, &self.id) {
            (Some(op), true, _) => write!(f, "; looking it up with {op} failed")?,
            (Some(op), false, Some(_)) => write!(
                f,
                "; look it up with {op}, or let the wait do it (ClientBuilder::resolve_ambiguous_creates)"
            )?,
            (Some(op), false, None) => write!(f, "; {op} cannot look it up without a caller id")?,
            (None, _, _) => write!(f, "; no status operation can look it up")?,
        }
        Ok(())
    }
}

impl Error {
    /// For a create whose outcome is unknown (answer lost after sending, or refused as a
    /// duplicate id) met by a wait ([`wait`](crate::wait)): which id it carried, and whether a
    /// status operation can look it up.
    ///
    /// ```
    /// # fn show(err: cashfree_verification::Error) {
    /// if let Some(first) = err.first_attempt() {
    ///     eprintln!("{first}"); // "the first attempt may have been performed and billed; ..."
    /// }
    /// # }
    /// ```
    pub fn first_attempt(&self) -> Option<&FirstAttempt> {
        self.0.first_attempt.as_deref()
    }

    /// For [`ErrorKind::WaitDeadline`]: the last status the status operation answered.
    pub fn last_status(&self) -> Option<&str> {
        self.0.last_status.as_deref()
    }

    #[allow(dead_code)] // Used by the generated waits (none in some builds).
    pub(crate) fn with_first_attempt(
        mut self,
        id: Option<(&str, &str)>,
        status_operation: Option<&'static str>,
        looked_up: bool,
    ) -> Self {
        self.0.first_attempt = Some(Box::new(FirstAttempt {
            id: id.map(|(n, v)| (n.to_string(), v.to_string())),
            status_operation,
            looked_up,
        }));
        self
    }

    #[allow(dead_code)] // Used by the generated waits (none in some builds).
    pub(crate) fn wait_deadline(pair: &Pair, last: &str, polls: u32, elapsed: Duration) -> Self {
        let mut e = Error::new(
            ErrorKind::WaitDeadline,
            format!(
                "no terminal status from {} within {:.1} s ({polls} polls); last status {:?}",
                pair.status,
                elapsed.as_secs_f64(),
                last.chars().take(super::DISPLAY_TEXT_CHARS).collect::<String>()
            ),
        );
        e.0.last_status = Some(last.to_string());
        e
    }

    #[allow(dead_code)] // Used by the generated waits (none in some builds).
    pub(crate) fn wait_without_ids(pair: &Pair) -> Self {
        let names: Vec<&str> = pair.ids.iter().map(|l| l.parameter).collect();
        Error::new(
            ErrorKind::Validation,
            format!(
                "cannot poll {}: none of its ids ({}) is known (neither in the request nor in the answer)",
                pair.status,
                names.join(", ")
            ),
        )
    }
}
