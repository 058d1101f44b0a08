//! 1-Click's auth code: only one the user's consent handed out (`Sandbox::consent`, or
//! `POST /__sandbox/consent`), once; any other value, a number included, gets the documented
//! `auth_code_value_invalid`.

use serde_json::Value;

use super::super::refusal::{Checked, Refusal, error};
use super::super::spec::OpSpec;
use super::super::state::Shared;

const FIELD: &str = "auth_code";

pub(crate) fn check(shared: &Shared, op: &OpSpec, body: &Value) -> Checked {
    let takes_code = op
        .request_schema
        .as_ref()
        .and_then(|s| s.pointer(&format!("/properties/{FIELD}")))
        .is_some();
    let Some(sent) = body.get(FIELD).filter(|_| takes_code) else {
        return Ok(());
    };
    let redeemed = sent
        .as_str()
        .is_some_and(|code| shared.state().auth_codes.remove(&code.to_string()));
    if redeemed {
        return Ok(());
    }
    let why = if sent.is_string() {
        "auth_code not handed out by a consent, or already used".to_string()
    } else {
        format!("auth_code is {sent}, not a string")
    };
    Err(Refusal {
        response: error(
            op,
            "auth_code_value_invalid",
            400,
            "auth_code should be valid.",
        ),
        violation: (!sent.is_string()).then_some(why),
    })
}
