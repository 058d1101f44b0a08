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
//! - `POST /__sandbox/fault` → `200 {"fault": ..., "times": n}`: the next `times` (default 1)
//!   requests, of any operation, get a fault ([`Sandbox::inject`](crate::Sandbox::inject)):
//!   - `{"fault": "delay", "ms": 3000}`: performs the request (a create issues its ids and is
//!     remembered), then answers `ms` late: past a client's timeout, the ambiguous case;
//!   - `{"fault": "drop"}`: performs the request, then closes the connection without answering;
//!   - `{"fault": "truncate"}`: performs it, then closes the connection halfway through the body;
//!   - `{"fault": "respond", "status": 429, "headers": {"X-RateLimit-Reset": "2"}, "body": {...},
//!     "content_type": "..."}`: answers exactly that instead (a JSON `body` is sent as JSON, a
//!     string as its text; `content_type` defaults to `application/json`, `text/plain` for a
//!     string): a 429 with only `X-RateLimit-Reset`, say;
//!   - `{"fault": "documented", "status": 409}`: answers the operation's documented example for
//!     that status.
//!
//!   `400 fault_value_invalid` says what is wrong with any other body.
//!
//! A single request can also ask for a scenario with the header `x-sandbox-scenario: <example
//! name>` ([`SCENARIO_HEADER`]), and a create for its own asynchronous delay with
//! `x-sandbox-async-delay-ms: <ms>` ([`ASYNC_DELAY_HEADER`](crate::ASYNC_DELAY_HEADER)).

use std::time::Duration;

use hyper::header::{HeaderName, HeaderValue};
use serde_json::{Value, json};

use super::Fault;
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
        ("POST", "fault") => match fault_of(&body) {
            Ok((fault, times)) => {
                let queued = shared.inject(fault, times);
                HttpResponse::json(200, &json!({"fault": body["fault"], "times": queued}))
            }
            Err(why) => refused(400, "fault_value_invalid", &why),
        },
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
            "sandbox routes: POST /__sandbox/consent, POST and GET /__sandbox/scenario, POST /__sandbox/fault",
        ),
    }
}

/// The fault a `POST /__sandbox/fault` body asks for, and how many requests it applies to.
fn fault_of(body: &Value) -> Result<(Fault, usize), String> {
    let times = match body.get("times") {
        None => 1,
        Some(t) => t.as_u64().ok_or("times must be a whole number")? as usize,
    };
    let status = || -> Result<u16, String> {
        body.get("status")
            .and_then(Value::as_u64)
            .filter(|s| (100..=599).contains(s))
            .map(|s| s as u16)
            .ok_or_else(|| "status must be an HTTP status, 100 to 599".to_string())
    };
    let fault = match body.get("fault").and_then(Value::as_str) {
        Some("delay") => {
            let ms = body.get("ms").and_then(Value::as_u64);
            Fault::Delay(Duration::from_millis(
                ms.ok_or("delay needs ms, milliseconds")?,
            ))
        }
        Some("drop") => Fault::Drop,
        Some("truncate") => Fault::Truncate,
        Some("documented") => Fault::Documented(status()?),
        Some("respond") => {
            let (bytes, default_type) = match body.get("body") {
                None | Some(Value::Null) => (Vec::new(), "application/json"),
                Some(Value::String(text)) => (text.clone().into_bytes(), "text/plain"),
                Some(json) => (json.to_string().into_bytes(), "application/json"),
            };
            let content_type = match body.get("content_type") {
                None => default_type.to_string(),
                Some(Value::String(t)) => t.clone(),
                Some(_) => return Err("content_type must be a string".into()),
            };
            Fault::Respond {
                status: status()?,
                content_type,
                headers: headers_of(body.get("headers"))?,
                body: bytes,
            }
        }
        _ => {
            return Err(
                "send {\"fault\": \"delay\" (with \"ms\"), \"drop\", \"truncate\", \"respond\" \
                 (with \"status\", \"headers\", \"body\") or \"documented\" (with \"status\"), \"times\": 1}"
                    .into(),
            );
        }
    };
    Ok((fault, times))
}

/// A `respond` fault's headers: an object of names to strings or numbers, each a valid header.
fn headers_of(headers: Option<&Value>) -> Result<Vec<(String, String)>, String> {
    let Some(headers) = headers.filter(|h| !h.is_null()) else {
        return Ok(Vec::new());
    };
    let object = headers.as_object().ok_or("headers must be an object")?;
    object
        .iter()
        .map(|(name, value)| {
            let value = match value {
                Value::String(s) => s.clone(),
                Value::Number(n) => n.to_string(),
                _ => return Err(format!("header {name} must be a string or a number")),
            };
            HeaderName::from_bytes(name.as_bytes())
                .map_err(|_| format!("{name:?} is not a header name"))?;
            HeaderValue::from_str(&value)
                .map_err(|_| format!("{value:?} is not a value for header {name}"))?;
            Ok((name.to_ascii_lowercase(), value))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fault_bodies_are_read_and_bad_ones_say_why() {
        let read = |body: Value| fault_of(&body);
        assert_eq!(
            read(json!({"fault": "delay", "ms": 3000, "times": 2})),
            Ok((Fault::Delay(Duration::from_secs(3)), 2))
        );
        assert_eq!(read(json!({"fault": "drop"})), Ok((Fault::Drop, 1)));
        assert_eq!(
            read(
                json!({"fault": "respond", "status": 429, "headers": {"X-RateLimit-Reset": 2}, "body": {"code": "x"}})
            ),
            Ok((
                Fault::Respond {
                    status: 429,
                    content_type: "application/json".into(),
                    headers: vec![("x-ratelimit-reset".into(), "2".into())],
                    body: br#"{"code":"x"}"#.to_vec(),
                },
                1
            ))
        );
        assert_eq!(
            read(json!({"fault": "documented", "status": 409})),
            Ok((Fault::Documented(409), 1))
        );
        for bad in [
            json!({"fault": "delay"}),
            json!({"fault": "respond", "status": 99}),
            json!({"fault": "respond", "status": 200, "headers": {"bad name": "x"}}),
            json!({"fault": "explode"}),
            json!({"fault": "drop", "times": -1}),
        ] {
            assert!(read(bad.clone()).is_err(), "{bad}");
        }
    }
}
