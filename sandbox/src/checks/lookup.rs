//! Status calls (`GET` with ids): each id sent must be one the sandbox issued or was given by a
//! create call, else the operation's documented 404; none sent where the ids are alternatives
//! gets the documented "provide X or Y" 400. Never an invented record.

use std::sync::Arc;

use serde_json::Value;

use super::super::http::HttpResponse;
use super::super::refusal::{Checked, Refusal, error};
use super::super::spec::OpSpec;
use super::super::state::{Issued, Shared, id_name, is_id};

/// Checks the ids of a status call; answers the record they name (what the create left), if the
/// operation looks one up.
pub(crate) fn check(
    shared: &Shared,
    op: &OpSpec,
    params: &[(String, String)],
) -> Checked<Option<Arc<Issued>>> {
    if op.method != "GET" {
        return Ok(None);
    }
    let ids: Vec<&str> = op
        .params
        .iter()
        .filter(|p| is_id(&p.name))
        .map(|p| p.name.as_str())
        .collect();
    if ids.is_empty() {
        return Ok(None);
    }
    let sent: Vec<&(String, String)> = params
        .iter()
        .filter(|(k, v)| ids.contains(&k.as_str()) && !v.is_empty())
        .collect();
    if sent.is_empty() {
        return Err(Refusal::violation(none_sent(op, &ids), "no id parameter"));
    }
    let mut record = None;
    for (name, value) in sent {
        let found = shared
            .state()
            .issued
            .get(&(id_name(name), value.clone()))
            .cloned();
        match found {
            Some(r) => {
                record.get_or_insert(r);
            }
            None => return Err(Refusal::answer(not_found(op, name))),
        }
    }
    Ok(record)
}

/// The documented 400 for a status call without any of its ids: an example whose message asks to
/// "provide" one (or says "either"), naming one of them.
fn none_sent(op: &OpSpec, ids: &[&str]) -> HttpResponse {
    let documented = op.responses.get(&400).and_then(|r| {
        r.examples.iter().find(|e| {
            let message = e.value.get("message").and_then(Value::as_str).unwrap_or("");
            let lower = message.to_lowercase();
            (lower.contains("provide") || lower.contains("either"))
                && ids.iter().any(|id| id_name(message).contains(&id_name(id)))
        })
    });
    match documented {
        Some(e) => HttpResponse::json(400, &e.value),
        None => error(
            op,
            "invalid_request",
            400,
            &format!("Please provide {}", ids.join(" or ")),
        ),
    }
}

/// The documented 404 for an unknown `name`: the one whose code is `<name>_not_found`, else one
/// whose code or message names it, else the operation's first by name; an operation that
/// documents no 404 gets `<name>_not_found` (documented elsewhere, or in Cashfree's shape).
fn not_found(op: &OpSpec, name: &str) -> HttpResponse {
    let wanted = id_name(name);
    let rank = |e: &Value| {
        let text = |k: &str| id_name(e.get(k).and_then(Value::as_str).unwrap_or(""));
        if text("code") == format!("{wanted}notfound") {
            0
        } else if text("code").contains(&wanted) || text("message").contains(&wanted) {
            1
        } else {
            2
        }
    };
    let documented = op
        .responses
        .get(&404)
        .and_then(|r| r.examples.iter().min_by_key(|e| rank(&e.value)));
    match documented {
        Some(e) => HttpResponse::json(404, &e.value),
        None => error(
            op,
            &format!("{name}_not_found"),
            404,
            &format!("{name} does not exist."),
        ),
    }
}
