//! Sandbox-only routes, for tests in any language (none of them is a Cashfree route, and none
//! needs credentials). Served under `/__sandbox/` and, like every route, under `/verification`:
//!
//! - `POST /__sandbox/consent` `{"verification_id": "..."}` → `200 {"auth_code": "..."}`: the end
//!   user's consent to the 1-Click session initiated with that id (what Cashfree's SDK hands your
//!   redirect URL), good once for `POST /oauth2/generate-token`. `404 session_not_found` if no
//!   session was initiated with that id.
//! - `POST /__sandbox/scenario` `{"operation_id": "VrsPanVerification", "example": "Invalid PAN",
//!   "times": 1}` → `200`: the next `times` (default 1) calls of that operation that pass the
//!   credential checks answer that documented example verbatim (with its status).
//!   `404 scenario_not_found` names the examples the operation documents.
//! - `GET /__sandbox/scenario?operation_id=VrsPanVerification` → `200 {"examples": [{"status":
//!   200, "example": "Invalid PAN"}, ...]}`.
//!
//! A single request can also ask for a scenario with the header `x-sandbox-scenario: <example
//! name>` ([`SCENARIO_HEADER`]).

use serde_json::{Value, json};

use super::http::{HttpRequest, HttpResponse};
use super::spec::operations;
use super::state::Shared;

/// The header that names the documented example a request should be answered with.
pub const SCENARIO_HEADER: &str = "x-sandbox-scenario";

/// The prefix of the sandbox-only routes.
pub(crate) const PREFIX: &str = "/__sandbox/";

fn refused(status: u16, code: &str, message: &str) -> HttpResponse {
    HttpResponse::json(
        status,
        &json!({"type": "validation_error", "code": code, "message": message}),
    )
}

/// Answers a sandbox-only route (`path` relative to [`PREFIX`]).
pub(crate) fn answer(shared: &Shared, route: &str, request: &HttpRequest) -> HttpResponse {
    let body: Value = serde_json::from_slice(&request.body).unwrap_or(Value::Null);
    let text = |key: &str| body.get(key).and_then(Value::as_str);
    match (request.method.as_str(), route) {
        ("POST", "consent") => {
            let Some(id) = text("verification_id") else {
                return refused(
                    400,
                    "verification_id_missing",
                    "verification_id is missing in the request.",
                );
            };
            match shared.consent(id) {
                Ok(code) => HttpResponse::json(200, &json!({"auth_code": code})),
                Err(why) => refused(404, "session_not_found", &why),
            }
        }
        ("POST", "scenario") => {
            let (Some(op), Some(name)) = (text("operation_id"), text("example")) else {
                return refused(
                    400,
                    "scenario_value_invalid",
                    "send {\"operation_id\": \"...\", \"example\": \"...\", \"times\": 1}",
                );
            };
            let times = body.get("times").and_then(Value::as_u64).unwrap_or(1) as usize;
            match shared.scenario(op, name, times) {
                Ok(()) => HttpResponse::json(
                    200,
                    &json!({"operation_id": op, "example": name, "times": times}),
                ),
                Err(why) => refused(404, "scenario_not_found", &why),
            }
        }
        ("GET", "scenario") => {
            let wanted = url::form_urlencoded::parse(
                request
                    .target
                    .split_once('?')
                    .map_or("", |(_, q)| q)
                    .as_bytes(),
            )
            .find(|(k, _)| k == "operation_id")
            .map(|(_, v)| v.into_owned());
            let Some(op) = operations()
                .iter()
                .find(|o| Some(&o.operation_id) == wanted.as_ref())
            else {
                return refused(
                    404,
                    "operation_not_found",
                    "no such operation_id in this sandbox's spec",
                );
            };
            let examples: Vec<Value> = op
                .examples()
                .map(|(status, e)| json!({"status": status, "example": e.name}))
                .collect();
            HttpResponse::json(
                200,
                &json!({"operation_id": op.operation_id, "examples": examples}),
            )
        }
        _ => refused(
            404,
            "route_not_found",
            "sandbox routes: POST /__sandbox/consent, POST and GET /__sandbox/scenario",
        ),
    }
}
