//! What the sandbox answers: the route (at `/` and at Cashfree's base path `/verification`), an
//! injected fault, or the checks of [`checks`](super::checks) in order and then the success body,
//! each from the merged spec.

use std::net::IpAddr;
use std::time::Duration;

use serde_json::{Map, Value, json};

use super::Fault;
use super::answer::{Inputs, success_body};
use super::checks::{
    balance, body, consent, credentials, duplicate, headers, lookup, params, rate, signature,
};
use super::choice::choose;
use super::control;
use super::dates;
use super::http::{Delivery, HttpRequest, HttpResponse, Unread};
use super::recorded::RecordedRequest;
use super::refusal::Checked;
use super::remember;
use super::scenario;
use super::schema::{Limits, Mode, validate};
use super::spec::{Example, OpSpec, document, operations};
use super::state::{Shared, is_id};
use super::timeline::{self, Timed};
use super::waits::Status as _;

/// Cashfree's base path: its SDKs call `<host>/verification/pan`.
const BASE_PATH: &str = "/verification";

/// `request` with Cashfree's base path taken off its target when the path is not an operation (or
/// sandbox route) as it stands: `/verification/pan` is `/pan`, while `/verification/otpless/status`
/// is itself an operation's path (and `/verification/verification/otpless/status` is it too).
fn route(request: &HttpRequest) -> HttpRequest {
    let path = request.path();
    let known = |p: &str| {
        p.starts_with(control::PREFIX) || operations().iter().any(|o| o.matches(&o.method, p))
    };
    match path.strip_prefix(BASE_PATH) {
        Some(rest) if rest.starts_with('/') && !known(path) => HttpRequest {
            target: request.target[BASE_PATH.len()..].to_string(),
            ..request.clone()
        },
        _ => request.clone(),
    }
}

/// The answer to one request: an injected fault, or what Cashfree would answer.
pub(crate) async fn respond(
    shared: &Shared,
    request: &HttpRequest,
    unread: Option<Unread>,
    ip: IpAddr,
) -> Delivery {
    let routed = route(request);
    if let Some(control) = routed.path().strip_prefix(control::PREFIX) {
        let response = control::answer(shared, control, &routed);
        record(shared, request, None, response.status, None);
        return Delivery::Whole(response);
    }
    let request = &routed;
    let fault = shared
        .faults
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .pop_front();
    let op = operations()
        .iter()
        .find(|o| o.matches(&request.method, request.path()));
    let (response, violation) = match &fault {
        Some(Fault::Respond {
            status,
            content_type,
            body,
            headers,
        }) => {
            let mut all = vec![("content-type".to_string(), content_type.clone())];
            all.extend(headers.iter().cloned());
            (
                HttpResponse {
                    status: *status,
                    headers: all,
                    body: body.clone(),
                },
                None,
            )
        }
        Some(Fault::Documented(status)) => {
            let example = op
                .and_then(|o| o.responses.get(status))
                .and_then(|r| r.examples.first().map(|e| e.value.clone()))
                .unwrap_or_else(|| json!({}));
            (HttpResponse::json(*status, &example), None)
        }
        _ if unread == Some(Unread::TooLarge) => (
            too_large_answer(op),
            Some(format!("body larger than {} bytes", super::http::MAX_BODY)),
        ),
        _ if unread == Some(Unread::TooSlow) => {
            let mut answer = HttpResponse::json(
                408,
                &json!({"type": "validation_error", "code": "request_timeout",
                        "message": "The request body did not arrive within the sandbox's read timeout."}),
            );
            answer.headers.push(("connection".into(), "close".into()));
            (
                answer,
                Some("body not complete within the read timeout".into()),
            )
        }
        _ => handle(shared, op, request, ip),
    };
    // Recorded before any delay, so a client that gives up waiting still shows in the log.
    record(shared, request, op, response.status, violation);
    if let Some(Fault::Delay(d)) = &fault {
        tokio::time::sleep(*d).await;
    }
    match fault {
        Some(Fault::Drop) => Delivery::Drop,
        Some(Fault::Truncate) => Delivery::Cut(response),
        _ => Delivery::Whole(response),
    }
}

/// Logs `request` with what it matched and was answered (bounded by count and bytes: the oldest
/// entries go first).
fn record(
    shared: &Shared,
    request: &HttpRequest,
    op: Option<&OpSpec>,
    status: u16,
    violation: Option<String>,
) {
    let entry = RecordedRequest::received(request, op, status, violation);
    shared.requests().push(entry);
}

/// 413 for a body over the limit: Cashfree's documented answer where the operation has one.
fn too_large_answer(op: Option<&OpSpec>) -> HttpResponse {
    let documented = op
        .and_then(|o| o.responses.get(&413))
        .and_then(|r| r.examples.first().map(|e| e.value.clone()));
    HttpResponse::json(
        413,
        &documented.unwrap_or_else(|| {
            json!({"type": "validation_error", "code": "request_too_large",
                   "message": "The request body is larger than the sandbox accepts."})
        }),
    )
}

fn handle(
    shared: &Shared,
    op: Option<&'static OpSpec>,
    request: &HttpRequest,
    ip: IpAddr,
) -> (HttpResponse, Option<String>) {
    let Some(op) = op else {
        return unknown_route(request);
    };
    match checked(shared, op, request, ip) {
        Ok(response) => (response, None),
        Err(refusal) => (refusal.response, refusal.violation),
    }
}

/// A known path with another method gets 405 and the methods it has; anything else 404.
fn unknown_route(request: &HttpRequest) -> (HttpResponse, Option<String>) {
    let allowed: Vec<&str> = operations()
        .iter()
        .filter(|o| o.matches(&o.method, request.path()))
        .map(|o| o.method.as_str())
        .collect();
    if !allowed.is_empty() {
        let body = json!({"type": "validation_error", "code": "method_not_allowed",
            "message": format!("{} is not allowed on {}; use {}", request.method, request.path(), allowed.join(", "))});
        let mut response = HttpResponse::json(405, &body);
        response.headers.push(("allow".into(), allowed.join(", ")));
        return (response, Some("method not allowed".into()));
    }
    let body = json!({"type": "validation_error", "code": "route_not_found",
        "message": format!("{} {} is not an operation of this sandbox's spec", request.method, request.path())});
    (
        HttpResponse::json(404, &body),
        Some("unknown operation".into()),
    )
}

/// The checks in Cashfree's order, then the answer.
fn checked(
    shared: &Shared,
    op: &'static OpSpec,
    request: &HttpRequest,
    ip: IpAddr,
) -> Checked<HttpResponse> {
    let client_id = credentials::check(shared, op, request)?;
    signature::check(shared, op, request, client_id.as_deref())?;
    headers::check(op, request)?;
    // Every answer past the rate check tells the caller its window (`X-RateLimit-*`).
    let window = rate::check(shared, op, ip)?;
    let mut outcome = admitted(shared, op, request);
    match &mut outcome {
        Ok(response) => response.headers.extend(window),
        Err(refusal) => refusal.response.headers.extend(window),
    }
    outcome
}

/// The checks after the rate limit, then the answer.
fn admitted(shared: &Shared, op: &'static OpSpec, request: &HttpRequest) -> Checked<HttpResponse> {
    // A named error scenario answers as soon as the caller is authenticated.
    let named = scenario::requested(shared, op, request)?;
    if let Some((status, example)) = named
        && !(200..300).contains(&status)
    {
        return Ok(HttpResponse::json(status, &example.value));
    }
    let params = params::check(op, request)?;
    let body = body::check(op, request)?;
    let record = lookup::check(shared, op, &params)?;
    consent::check(shared, op, &body)?;
    let reused = duplicate::check(shared, op, &body)?;
    balance::check(shared, op)?;
    let delay = timeline::delay(shared, request)?;
    let values = request_values(&body, &params, record.as_ref().map(|r| &r.ids));
    let example = named.map(|(_, e)| e);
    let timed = match example {
        None => timeline::answer(shared, op, record.as_deref(), &values),
        Some(_) => None,
    };
    let found = Found {
        named: example,
        timed,
        reused,
        delay,
    };
    Ok(succeed(shared, op, &values, found))
}

/// What the checks found for a success answer: the example named for it, the answer of a status
/// call over time (pending, or finished), the id it uses and the asynchronous delay it asked for.
struct Found<'a> {
    named: Option<&'a Example>,
    timed: Option<Timed<'a>>,
    reused: Option<(String, String, String)>,
    delay: Duration,
}

/// What the request says, as one object: the body's fields, the parameters (as text), and for a
/// status call the ids of the record it looks up.
fn request_values(body: &Value, params: &[(String, String)], record: Option<&Value>) -> Value {
    let mut values: Map<String, Value> = body.as_object().cloned().unwrap_or_default();
    for (k, v) in params {
        values
            .entry(k.clone())
            .or_insert_with(|| Value::String(v.clone()));
    }
    for (k, v) in record.and_then(Value::as_object).into_iter().flatten() {
        if is_id(k) {
            values.entry(k.clone()).or_insert_with(|| v.clone());
        }
    }
    Value::Object(values)
}

/// The success answer (the named example, the one of a status over time, or the one [`choose`]
/// picks), and what it leaves behind: the id used, the balance spent, the ids, token and session issued.
fn succeed(shared: &Shared, op: &'static OpSpec, values: &Value, found: Found) -> HttpResponse {
    let (status, documented) = op.success();
    let schema = documented.and_then(|r| r.schema.as_ref());
    let timed_example = match &found.timed {
        Some(Timed::Example(e)) => Some(e),
        _ => None,
    };
    let example = found
        .named
        .or(timed_example)
        .or_else(|| documented.and_then(|r| choose(&r.examples, values, &op.request_example)));
    let inputs = Inputs {
        doc: document(),
        schema,
        request: values,
        expires_at: dates::unix_now() + shared.config.expires_in.as_secs() as i64,
    };
    let mut out = success_body(&inputs, example.map(|e| &e.value), &mut || shared.fresh());
    // No example in the state it is in (pending, or finished): the usual answer, its status written
    // (timeline).
    if let Some(Timed::Write(wait, value)) = &found.timed {
        wait.set_status(&mut out, value);
    }
    let finished_at = timeline::finishes_at(shared, op, found.delay);
    let issued = (found.reused, finished_at);
    remember::remember(shared, op, values, &out, issued, inputs.expires_at);
    if let Some(webhook) = &shared.config.webhook {
        crate::webhooks::after_success(webhook, &op.operation_id, values, &out);
    }
    // A body the sandbox made up itself (no example) must match the schema; examples are
    // Cashfree's evidence of the wire and are answered as they are.
    if example.is_none()
        && let Some(schema) = schema
        && let Err(v) = validate(document(), schema, &out, Mode::Response, &Limits::new())
    {
        shared.conformance_failure(format!(
            "{} {}: {} at {}",
            op.method,
            op.path,
            v.code(&|_| false),
            v.pointer
        ));
    }
    HttpResponse::json(status, &out)
}
