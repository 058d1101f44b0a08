//! Send a create once where no status operation can look it up: an unknown outcome fails naming the
//! caller id, so the caller can tell Cashfree's support, or its own records, which attempt to check.

use std::future::Future;

use serde::Serialize;

use super::Started;
use crate::Error;
use crate::retry::RetryAction;
use crate::wire::Decoded;

/// Sends `body` through `create` once; an unknown outcome (the answer lost after sending, or one of
/// the `used_before` codes) gets [`Error::first_attempt`] naming the `caller_id` property's value.
#[allow(dead_code)] // Used by the generated `<create>_once` methods (none in some builds).
pub(crate) async fn send_once<B, C, F, Fut>(
    body: B,
    caller_id: &'static str,
    used_before: &[&str],
    create: F,
) -> Result<Decoded<C>, Error>
where
    B: Serialize,
    F: FnOnce(B) -> Fut,
    Fut: Future<Output = Result<Decoded<C>, Error>>,
{
    let started = Started::from_request(&body);
    let error = match create(body).await {
        Ok(answer) => return Ok(answer),
        Err(error) => error,
    };
    let refused_as_used = error
        .code()
        .is_some_and(|code| used_before.contains(&code.as_str()));
    if error.retry_action() != RetryAction::Forbidden && !refused_as_used {
        return Err(error);
    }
    let value = started.request_value(caller_id).map(|v| match v {
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    });
    Err(error.with_first_attempt(value.as_deref().map(|v| (caller_id, v)), None, false))
}
