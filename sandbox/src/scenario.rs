//! The named documented example a request asked for: the `x-sandbox-scenario` header, else the
//! next one queued for its operation ([`Sandbox::scenario`](super::Sandbox::scenario),
//! `POST /__sandbox/scenario`).

use serde_json::json;

use super::control::SCENARIO_HEADER;
use super::http::{HttpRequest, HttpResponse};
use super::refusal::{Checked, Refusal};
use super::spec::{Example, OpSpec};
use super::state::Shared;

/// The example (and its status) this request is to be answered with, if it named or queued one.
pub(crate) fn requested<'a>(
    shared: &Shared,
    op: &'a OpSpec,
    request: &HttpRequest,
) -> Checked<Option<(u16, &'a Example)>> {
    let name = match request.header(SCENARIO_HEADER) {
        Some(name) => Some(name.to_string()),
        None => shared
            .state()
            .next_scenario(&op.operation_id)
            .map(String::from),
    };
    let Some(name) = name else {
        return Ok(None);
    };
    match op.examples().find(|(_, e)| e.name == name) {
        Some(found) => Ok(Some(found)),
        None => {
            let names: Vec<&str> = op.examples().map(|(_, e)| e.name.as_str()).collect();
            Err(Refusal::violation(
                HttpResponse::json(
                    400,
                    &json!({"type": "validation_error", "code": "scenario_not_found",
                            "message": format!("{} documents no example {name:?}; it documents {names:?}", op.operation_id)}),
                ),
                format!("unknown scenario {name:?}"),
            ))
        }
    }
}
