//! Rules on the reviewed data copied into the merged document: the waits of asynchronous
//! verifications (`x-cashfree-wait`, [`waits`](crate::waits)), which become `<create>_and_wait` and
//! `<create>_wait` methods, and the rate-limit tier of each operation (`x-cashfree-rate-limit`,
//! [`rate_limits`](crate::rate_limits)), which the client's limiter keeps to.

use serde_json::Value;

use super::{Finding, rule};
use crate::rate_limits::RATE_LIMIT;
use crate::source::{escape_pointer, operations_of};
use crate::waits::WAIT;

/// The waits on `op`, by status operationId, without their `source` and `reason` (documentation).
fn waits(op: &Value) -> Vec<(String, Value)> {
    op.get(WAIT)
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|w| {
            let status = w.get("status")?.as_str()?.to_owned();
            let mut data = w.clone();
            if let Some(o) = data.as_object_mut() {
                o.remove("source");
                o.remove("reason");
            }
            Some((status, data))
        })
        .collect()
}

/// `(tier, per_minute)` of `op`, the reason left out.
fn tier(op: &Value) -> Option<Value> {
    let entry = op.get(RATE_LIMIT)?;
    Some(serde_json::json!({"tier": entry.get("tier"), "per_minute": entry.get("per_minute")}))
}

/// The findings of both rules for every operation the two documents share.
pub(super) fn findings(old: &Value, new: &Value) -> Vec<Finding> {
    let mut out = Vec::new();
    for (path, method, new_op) in operations_of(new) {
        let Some(old_op) = old.pointer(&format!("/paths/{}/{method}", escape_pointer(path))) else {
            continue;
        };
        let shown = match new_op.get("operationId").and_then(Value::as_str) {
            Some(id) => format!("{} {path} ({id})", method.to_uppercase()),
            None => format!("{} {path}", method.to_uppercase()),
        };
        let at = format!("/paths/{}/{method}", escape_pointer(path));
        let mut push =
            |id: &'static str, pointer: String, old: Option<Value>, new: Option<Value>| {
                let (level, impact) = rule(id);
                out.push(Finding {
                    rule: id,
                    level,
                    impact,
                    operations: vec![shown.clone()],
                    pointer,
                    old,
                    new,
                });
            };
        let (before, after) = (waits(old_op), waits(new_op));
        // One status operation gives `<create>_and_wait`; more give `..._and_wait_via_<status>`.
        let renamed = (before.len() > 1) != (after.len() > 1);
        for (status, data) in &after {
            let pointer = format!("{at}/{WAIT}");
            match before.iter().find(|(s, _)| s == status) {
                None => push(
                    "wait-added",
                    pointer,
                    None,
                    Some(Value::String(status.clone())),
                ),
                Some(_) if renamed => push(
                    "wait-renamed",
                    pointer,
                    Some(before.len().into()),
                    Some(after.len().into()),
                ),
                Some((_, old_data)) if old_data != data => {
                    push(
                        "wait-changed",
                        pointer,
                        Some(old_data.clone()),
                        Some(data.clone()),
                    );
                }
                Some(_) => {}
            }
        }
        for (status, _) in before
            .iter()
            .filter(|(s, _)| !after.iter().any(|(a, _)| a == s))
        {
            push(
                "wait-removed",
                format!("{at}/{WAIT}"),
                Some(Value::String(status.clone())),
                None,
            );
        }
        let (old_tier, new_tier) = (tier(old_op), tier(new_op));
        if old_tier != new_tier {
            push(
                "rate-limit-changed",
                format!("{at}/{RATE_LIMIT}"),
                old_tier,
                new_tier,
            );
        }
    }
    out
}
