//! Reading Cashfree's `X-RateLimit-Limit`, `-Remaining` and `-Reset` headers.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use reqwest::StatusCode;
use reqwest::header::{HeaderMap, RETRY_AFTER};

/// What an answer's `X-RateLimit-*` headers say (each `None` when absent or unreadable).
///
/// On a success, read it from the answer's headers; on an error,
/// [`Error::rate_limit`](crate::Error::rate_limit) has it.
///
/// ```
/// use std::time::{Duration, SystemTime};
/// use cashfree_verification::rate_limit::RateLimit;
/// use reqwest::header::{HeaderMap, HeaderValue};
///
/// let mut headers = HeaderMap::new();
/// headers.insert("x-ratelimit-limit", HeaderValue::from_static("100"));
/// headers.insert("x-ratelimit-remaining", HeaderValue::from_static("0"));
/// headers.insert("x-ratelimit-reset", HeaderValue::from_static("42"));
/// let limit = RateLimit::from_headers(&headers, SystemTime::now()).unwrap();
/// assert_eq!((limit.limit, limit.remaining), (Some(100), Some(0)));
/// assert_eq!(limit.reset, Some(Duration::from_secs(42)));
/// assert!(RateLimit::from_headers(&HeaderMap::new(), SystemTime::now()).is_none());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct RateLimit {
    /// Requests allowed in the current window (`X-RateLimit-Limit`).
    pub limit: Option<u64>,
    /// Requests left in the current window (`X-RateLimit-Remaining`).
    pub remaining: Option<u64>,
    /// Time until the window resets (`X-RateLimit-Reset`).
    pub reset: Option<Duration>,
}

/// The header names, lower case.
const LIMIT: &str = "x-ratelimit-limit";
const REMAINING: &str = "x-ratelimit-remaining";
const RESET: &str = "x-ratelimit-reset";

/// A `-Reset` above this many seconds is a Unix time, not a delay: Cashfree documents seconds
/// until the reset, and some gateways send the moment instead (no window lasts 30 years).
const UNIX_TIME_ABOVE: u64 = 1_000_000_000;

impl RateLimit {
    /// Reads the three headers at `now`; `None` when none of them is present and readable.
    ///
    /// `X-RateLimit-Reset` is read as seconds until the reset, as Cashfree documents; a value that
    /// can only be a Unix time (above 10⁹) is read as one, and a moment past gives zero.
    #[must_use]
    pub fn from_headers(headers: &HeaderMap, now: SystemTime) -> Option<Self> {
        let number = |name: &str| {
            let text = headers.get(name)?.to_str().ok()?.trim();
            text.parse::<u64>().ok()
        };
        let reset = number(RESET).map(|seconds| {
            if seconds > UNIX_TIME_ABOVE {
                let at = UNIX_EPOCH + Duration::from_secs(seconds);
                at.duration_since(now).unwrap_or(Duration::ZERO)
            } else {
                Duration::from_secs(seconds)
            }
        });
        let found = RateLimit {
            limit: number(LIMIT),
            remaining: number(REMAINING),
            reset,
        };
        (found != RateLimit::default()).then_some(found)
    }
}

/// How long the server asked the client to wait before sending again: `Retry-After`
/// ([`parse_retry_after`](crate::retry::parse_retry_after)), or, for a `429` without it,
/// `X-RateLimit-Reset`.
///
/// ```
/// use std::time::{Duration, SystemTime};
/// use cashfree_verification::rate_limit::server_delay;
/// use reqwest::StatusCode;
/// use reqwest::header::{HeaderMap, HeaderValue};
///
/// let mut headers = HeaderMap::new();
/// headers.insert("x-ratelimit-reset", HeaderValue::from_static("3"));
/// let now = SystemTime::now();
/// assert_eq!(server_delay(StatusCode::TOO_MANY_REQUESTS, &headers, now), Some(Duration::from_secs(3)));
/// assert_eq!(server_delay(StatusCode::OK, &headers, now), None, "a window's reset is no request to wait");
/// headers.insert("retry-after", HeaderValue::from_static("1"));
/// assert_eq!(server_delay(StatusCode::TOO_MANY_REQUESTS, &headers, now), Some(Duration::from_secs(1)));
/// ```
#[must_use]
pub fn server_delay(status: StatusCode, headers: &HeaderMap, now: SystemTime) -> Option<Duration> {
    if let Some(asked) = headers
        .get(RETRY_AFTER)
        .and_then(|value| crate::retry::parse_retry_after(value, now))
    {
        return Some(asked);
    }
    if status == StatusCode::TOO_MANY_REQUESTS {
        return RateLimit::from_headers(headers, now)?.reset;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    #[test]
    fn a_reset_that_is_a_unix_time_is_read_as_one_and_junk_is_ignored() {
        let now = UNIX_EPOCH + Duration::from_secs(1_800_000_000);
        let mut headers = HeaderMap::new();
        headers.insert(RESET, HeaderValue::from_static("1800000007"));
        headers.insert(LIMIT, HeaderValue::from_static("lots"));
        let read = RateLimit::from_headers(&headers, now).unwrap();
        assert_eq!(read.reset, Some(Duration::from_secs(7)));
        assert_eq!(read.limit, None);
        headers.insert(RESET, HeaderValue::from_static("1700000000"));
        assert_eq!(
            RateLimit::from_headers(&headers, now).unwrap().reset,
            Some(Duration::ZERO)
        );
        headers.insert(RESET, HeaderValue::from_static("-1"));
        assert_eq!(RateLimit::from_headers(&headers, now), None);
    }
}
