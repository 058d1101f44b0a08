//! Step 3 of a call: `User-Agent: cashfree-verification/<version> (rust)`.

use reqwest::header::{HeaderMap, HeaderValue, USER_AGENT};

/// `User-Agent` of every request.
pub const USER_AGENT_VALUE: &str = concat!(
    "cashfree-verification/",
    env!("CARGO_PKG_VERSION"),
    " (rust)"
);

const USER_AGENT_HEADER: HeaderValue = HeaderValue::from_static(USER_AGENT_VALUE);

/// Sets the crate's `User-Agent`.
pub(crate) fn apply(headers: &mut HeaderMap) {
    headers.insert(USER_AGENT, USER_AGENT_HEADER);
}
