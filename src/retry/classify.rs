//! The one classification of an attempt's outcome, read by the retry loop ([`RetryPolicy::decide`])
//! and by [`Error::is_retryable`](crate::Error::is_retryable) and
//! [`Error::retry_action`](crate::Error::retry_action), so the two never disagree (smithy-rs's
//! `RetryAction` is the model).
//!
//! ```
//! use cashfree_verification::retry::{Outcome, RetryAction, TransportError, classify};
//! use reqwest::StatusCode;
//!
//! let answered = |code| Outcome::Response { status: StatusCode::from_u16(code).unwrap(), retry_after: None };
//! assert_eq!(classify(answered(429)), RetryAction::Retry);
//! assert_eq!(classify(answered(503)), RetryAction::RetryIfRepeatable);
//! assert_eq!(classify(answered(500)), RetryAction::NoAction);
//! assert_eq!(classify(Outcome::Transport(TransportError::Connect)), RetryAction::Retry);
//! assert_eq!(classify(Outcome::Transport(TransportError::Timeout)), RetryAction::Forbidden);
//! ```
//!
//! [`RetryPolicy::decide`]: super::RetryPolicy::decide

use std::time::{Duration, SystemTime};

use reqwest::StatusCode;

/// What an attempt's outcome says about sending the same request again.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum RetryAction {
    /// Safe, and likely to help: the server refused the request unprocessed (`429`), or the request
    /// never reached it (no connection, a connect timeout included).
    Retry,
    /// Likely to help, but not safe for every request: a gateway answered `502`, `503` or `504`
    /// after the request was sent, and Cashfree may have processed it. Retried only under
    /// [`RetryPolicy::retry_gateway_errors`](super::RetryPolicy::retry_gateway_errors), for calls
    /// that are safe to repeat.
    RetryIfRepeatable,
    /// Not safe: the request was sent and no answer came (a timeout, a reset connection), so it may
    /// have been performed, and billed.
    Forbidden,
    /// Not a failure that sending again helps with (a success, `4xx`, `500`).
    NoAction,
}

/// What `outcome` says about sending the request again.
pub fn classify(outcome: Outcome) -> RetryAction {
    match outcome {
        Outcome::Response { status, .. } => match status.as_u16() {
            429 => RetryAction::Retry,
            502..=504 => RetryAction::RetryIfRepeatable,
            _ => RetryAction::NoAction,
        },
        Outcome::Transport(TransportError::Connect) => RetryAction::Retry,
        Outcome::Transport(TransportError::Timeout | TransportError::Other) => {
            RetryAction::Forbidden
        }
    }
}

/// What one attempt produced, as far as retrying is concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// The server answered.
    Response {
        /// The response status.
        status: StatusCode,
        /// The delay the server asked for: `Retry-After`, or a `429`'s `X-RateLimit-Reset`.
        retry_after: Option<Duration>,
    },
    /// No response arrived.
    Transport(TransportError),
}

impl Outcome {
    /// Classifies the result of `reqwest::Client::execute`, reading `Retry-After` (for a `429`
    /// without one, `X-RateLimit-Reset`: [`server_delay`](crate::rate_limit::server_delay)) at `now`.
    #[must_use]
    pub fn of(result: &reqwest::Result<reqwest::Response>, now: SystemTime) -> Self {
        match result {
            Ok(response) => Self::Response {
                status: response.status(),
                retry_after: crate::rate_limit::server_delay(
                    response.status(),
                    response.headers(),
                    now,
                ),
            },
            Err(error) => Self::Transport(TransportError::of(error)),
        }
    }
}

/// Why no response arrived.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TransportError {
    /// No connection was made, so the request never reached the server.
    Connect,
    /// A timeout struck once connected; the server may have processed the request.
    Timeout,
    /// Any other failure, such as a connection reset mid-exchange.
    Other,
}

impl TransportError {
    /// Classifies a `reqwest` error; a connect timeout counts as [`Self::Connect`].
    #[must_use]
    pub fn of(error: &reqwest::Error) -> Self {
        if error.is_connect() {
            Self::Connect
        } else if error.is_timeout() {
            Self::Timeout
        } else {
            Self::Other
        }
    }
}
