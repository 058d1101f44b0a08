//! What a success leaves behind, each kind bounded ([`State`](super::state::State)): the id used,
//! the balance spent, the ids issued (with which create issued them and when its verification
//! finishes, for its status calls), the token and the session.

use std::sync::Arc;
use std::time::Instant;

use serde_json::Value;

use super::checks::balance;
use super::spec::OpSpec;
use super::state::{Grant, Issued, Shared, id_key, is_id, record_of};
use super::timeline;

/// What a success leaves behind, each kind bounded ([`State`](super::state::State)): the id
/// used, the balance spent, the ids issued (naming the answer's ids, one copy for all), the
/// token (for the product that issued it, until the expiry the answer stated) and the session.
pub(crate) fn remember(
    shared: &Shared,
    op: &'static OpSpec,
    values: &Value,
    out: &Value,
    (reused, finished_at): (Option<(String, String, String)>, Option<Instant>),
    expires_at: i64,
) {
    // The expiry the answer states, if it has one the sandbox wrote (the request set none).
    let stated = out
        .as_object()
        .into_iter()
        .flatten()
        .any(|(k, v)| k.contains("expir") && v.is_string() && values.get(k).is_none())
        .then_some(expires_at);
    let mut state = shared.state();
    if let Some(key) = reused {
        state.used_ids.insert(key, ());
    }
    if balance::billable(op) {
        state.spent += 1;
    }
    if op.method != "GET" {
        // Ids the answer carries and ids the caller chose, each naming this answer's ids, and
        // the linking ids of its `x-cashfree-wait` entries under their status parameters' names.
        let record = Arc::new(Issued {
            ids: record_of(out),
            by: op.operation_id.as_str(),
            finished_at,
        });
        let mut ids = [out, values]
            .into_iter()
            .filter_map(Value::as_object)
            .flatten()
            .filter(|(k, _)| is_id(k))
            .filter_map(|(k, v)| id_key(k, v))
            .collect::<Vec<_>>();
        ids.extend(timeline::link_keys(shared, op, values, out));
        for key in ids {
            state.issued.insert(key, record.clone());
        }
    }
    for (k, v) in out.as_object().into_iter().flatten() {
        if k.ends_with("token")
            && let Some(token) = v.as_str()
        {
            let grant = Grant {
                issuer: op,
                expires_at: stated,
            };
            state.tokens.insert(token.to_string(), grant);
        }
    }
    // A session that a user may consent to: Initiate OAuth answers a session_id.
    if out.get("session_id").is_some()
        && let Some(id) = out.get("verification_id").and_then(Value::as_str)
    {
        state.sessions.insert(id.to_string(), stated);
    }
}
