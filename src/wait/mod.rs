//! Waiting for the outcome of an asynchronous verification: each create whose result comes later
//! (BAV V2 async and bulk, DigiLocker, e-sign, reverse penny drop, KYC links, Account Aggregator,
//! OTPless, the OCR calls, ...) has a generated `<create>_and_wait` method that starts it and polls
//! its status operation until a terminal status, and a `<create>_wait` method for one already
//! started. Which status operation answers for which create, the ids that link them and the status
//! values are reviewed data (`spec/waits/long-running.yaml`, copied into the merged document as
//! `x-cashfree-wait`); [`pairs`] lists them.
//!
//! ```no_run
//! # #[cfg(feature = "bav-v2")]
//! # async fn run(client: cashfree_verification::Client) -> Result<(), cashfree_verification::Error> {
//! use cashfree_verification::{types, wait::Wait};
//! use std::time::Duration;
//!
//! let body = types::BankAccountVerificationAsyncRequestSchema::builder()
//!     .bank_account("026291800001191")
//!     .ifsc("YESB0000262")
//!     .name(Some("John Doe".to_string()))
//!     .user_id(Some("order-42".to_string()));
//! let done = client
//!     .vrs_bav_async_and_wait(body, &Wait::new().deadline(Duration::from_secs(120)))
//!     .await?;
//! println!("{} after {} polls", done.status(), done.polls());
//! println!("the answer as sent: {}", done.raw_json());
//! # Ok(()) }
//! ```
//!
//! Polls go through the same client as every call (credentials, signing, retries, rate limiter);
//! each is a `tracing` event `cashfree_verification::wait` at debug level with the operation, the
//! status seen and the poll number. Dropping the future cancels the wait.
//!
//! A create whose answer was lost after it was sent (a timeout, a reset connection), or that is
//! refused because its caller id was used before (`verification_id_already_exists`, ...), is never
//! sent again: with [`ClientBuilder::resolve_ambiguous_creates`](crate::ClientBuilder::resolve_ambiguous_creates)
//! the wait looks the first attempt up through the status operation by the caller id instead
//! ([`Resolution`]), and otherwise the error names the id ([`Error::first_attempt`](crate::Error::first_attempt)).

// The generated waits call these; a build whose products have no asynchronous verification has none.
#[allow(dead_code)]
mod once;
#[allow(dead_code)]
mod poll;
#[allow(dead_code)]
mod resolve;
#[allow(dead_code)]
mod started;
#[allow(dead_code)]
mod status;

use std::time::Duration;

pub use poll::Waited;
pub use started::Started;

#[allow(unused_imports)]
pub(crate) use once::send_once;
#[allow(unused_imports)]
pub(crate) use poll::poll;
#[allow(unused_imports)]
pub(crate) use resolve::create_then_wait;

/// How long and how often to poll.
///
/// ```
/// use cashfree_verification::wait::Wait;
/// use std::time::Duration;
/// let wait = Wait::new()
///     .deadline(Duration::from_secs(60))
///     .interval(Duration::from_millis(500), Duration::from_secs(10));
/// assert_eq!(wait.deadline_after(), Duration::from_secs(60));
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Wait {
    deadline: Duration,
    first: Duration,
    most: Duration,
}

impl Default for Wait {
    /// A 10-minute deadline (a reverse-penny-drop link lives 10 minutes); polls 1 s apart at first,
    /// doubling up to 30 s.
    fn default() -> Self {
        Wait {
            deadline: Duration::from_secs(600),
            first: Duration::from_secs(1),
            most: Duration::from_secs(30),
        }
    }
}

impl Wait {
    /// [`Wait::default`].
    pub fn new() -> Self {
        Self::default()
    }

    /// Gives up (with [`ErrorKind::WaitDeadline`](crate::ErrorKind::WaitDeadline), naming the last
    /// status seen) when no terminal status arrived within `deadline` of the wait's start.
    #[must_use]
    pub fn deadline(mut self, deadline: Duration) -> Self {
        self.deadline = deadline;
        self
    }

    /// Polls `first` apart at first, doubling the gap after each pending answer up to `most`.
    #[must_use]
    pub fn interval(mut self, first: Duration, most: Duration) -> Self {
        self.first = first;
        self.most = most.max(first);
        self
    }

    /// The deadline, measured from the wait's start.
    pub fn deadline_after(&self) -> Duration {
        self.deadline
    }

    /// The gap before poll `n + 1` (`n` from 1).
    #[allow(dead_code)] // Used by the generated waits (none in some builds).
    pub(crate) fn gap(&self, n: u32) -> Duration {
        let doubled = self
            .first
            .saturating_mul(2u32.saturating_pow(n.saturating_sub(1).min(16)));
        doubled.min(self.most)
    }
}

/// How a wait reached its status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Resolution {
    /// The create answered, and its status was polled.
    Created,
    /// The create's answer was lost after it was sent (a timeout, a reset connection): the status
    /// operation, asked by the caller id, found the first attempt. It was not sent again.
    AnswerLost,
    /// The create was refused because its caller id was used before (a resend by someone): the
    /// status operation found the verification that id started.
    DuplicateId,
    /// A verification started earlier ([`Started`]) was polled.
    Polled,
}

/// Where a status operation's parameter takes its value from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum IdSource {
    /// The create's request body property of this name (the caller's id).
    Request(&'static str),
    /// The create's answer property of this name (Cashfree's id).
    Response(&'static str),
}

/// One parameter of a status call and where its value comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct Link {
    /// The status operation's parameter, as the spec names it.
    pub parameter: &'static str,
    /// The generated builder's setter for it.
    pub setter: &'static str,
    /// Where its value comes from.
    pub from: IdSource,
}

/// A create and the status operation that tells its outcome (generated from the merged document's
/// `x-cashfree-wait`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct Pair {
    /// The create's method name (e.g. `vrs_bav_async`).
    pub create: &'static str,
    /// The status operation's method name (e.g. `vrs_bav_get_status`).
    pub status: &'static str,
    /// How the status call names the verification.
    pub ids: &'static [Link],
    /// JSON pointer to the status in the status answer (`*`: every array element).
    pub field: &'static str,
    /// Values that mean "keep polling".
    pub pending: &'static [&'static str],
    /// Values that end the wait (a value in neither list ends it too, as unknown).
    pub terminal: &'static [&'static str],
    /// The error codes the create documents for `409` (its caller id was used before), which mean
    /// so with that status.
    pub conflicts: &'static [&'static str],
    /// Error codes that mean so whatever the status (reviewed data, e.g. BAV async's `400
    /// user_id_already_exists`).
    pub duplicate: &'static [&'static str],
    /// Where the values come from (the data file's `source`).
    pub source: &'static str,
}

impl Pair {
    /// `true` when `error` says the create's caller id was used before.
    pub fn is_duplicate(&self, error: &crate::Error) -> bool {
        let Some(code) = error.code().map(|c| c.as_str()) else {
            return false;
        };
        self.duplicate.contains(&code)
            || (error.status().map(|s| s.as_u16()) == Some(409) && self.conflicts.contains(&code))
    }

    /// The request property that carries the caller's id, if a status call can be made from it
    /// alone (what resolves a create whose answer was lost).
    pub fn caller_id(&self) -> Option<&'static str> {
        self.ids.iter().find_map(|l| match l.from {
            IdSource::Request(name) => Some(name),
            IdSource::Response(_) => None,
        })
    }
}

/// Every create-then-poll pair of this build's products.
pub fn pairs() -> &'static [Pair] {
    crate::generated::meta::WAITS
}
