//! The comparisons behind each rule of [`RULES`](super::RULES).
//!
//! Schemas reached through `$ref` are compared once per pair of references (old target, new
//! target, request or response side), whatever number of paths lead to them: a change inside a
//! shared component is one finding, carrying every operation that reaches it. The walk is a work
//! list, not a recursion through references, so its time is linear in the documents (a diamond of
//! references, each schema naming the next twice, costs what a chain does) and a reference cycle
//! ends where it closes.

mod context;
mod documentation;
mod parameters;
mod properties;
mod request;
mod response;

use std::collections::{BTreeSet, HashMap};

use serde_json::Value;

use crate::diff::Finding;
use crate::source::{error_examples, escape_pointer, operations_of};
use context::{Context, Origin, Side};
use documentation::doc_keywords;
use parameters::parameters;
use request::{request_body, request_schema};
use response::{response_schema, responses};

/// Every operation of `doc`: (method, path) → operation object.
fn operations(doc: &Value) -> Vec<(String, String, &Value)> {
    operations_of(doc)
        .map(|(path, method, op)| (method.clone(), path.clone(), op))
        .collect()
}

fn shown(method: &str, path: &str, op: &Value) -> String {
    match op.get("operationId").and_then(Value::as_str) {
        Some(id) => format!("{} {path} ({id})", method.to_uppercase()),
        None => format!("{} {path}", method.to_uppercase()),
    }
}

pub(super) fn compare(old: &Value, new: &Value) -> Vec<Finding> {
    let mut cx = Context {
        old_doc: old,
        new_doc: new,
        operations: Vec::new(),
        origin: Origin::Operation(0),
        findings: Vec::new(),
        pairs: Vec::new(),
        pair_index: HashMap::new(),
        edges: BTreeSet::new(),
    };
    let old_ops = operations(old);
    let new_ops = operations(new);
    for (method, path, new_op) in &new_ops {
        let at = format!("/paths/{}/{method}", escape_pointer(path));
        cx.operation(shown(method, path, new_op));
        match old_ops.iter().find(|(m, p, _)| m == method && p == path) {
            None => cx.push("api-operation-added", at, None, new_op.get("operationId")),
            Some((_, _, old_op)) => operation(&mut cx, &at, path, old_op, new_op),
        }
    }
    for (method, path, old_op) in &old_ops {
        if !new_ops.iter().any(|(m, p, _)| m == method && p == path) {
            cx.operation(shown(method, path, old_op));
            let at = format!("/paths/{}/{method}", escape_pointer(path));
            cx.push("api-operation-removed", at, old_op.get("operationId"), None);
        }
    }
    // `ErrorCode` has a variant per code any error example documents, in any operation.
    let (old_codes, new_codes) = (error_codes(old), error_codes(new));
    for (codes, others, rule) in [
        (&old_codes, &new_codes, "error-code-removed"),
        (&new_codes, &old_codes, "error-code-added"),
    ] {
        for (code, (method, path, op, pointer)) in codes {
            if !others.contains_key(code) {
                cx.operation(shown(method, path, op));
                let code = Value::String(code.clone());
                let (old, new) = match rule {
                    "error-code-removed" => (Some(&code), None),
                    _ => (None, Some(&code)),
                };
                cx.push(rule, pointer.clone(), old, new);
            }
        }
    }
    cx.finish(|cx, side, here, old, new| {
        doc_keywords(cx, here, old, new);
        match side {
            Side::Request => request_schema(cx, here, old, new, 0),
            Side::Response => response_schema(cx, here, old, new, 0),
        }
    })
}

/// Every error code documented in an example of a non-2xx response, with where it is first
/// documented: (method, path, operation, pointer of the response).
fn error_codes(
    doc: &Value,
) -> std::collections::BTreeMap<String, (String, String, &Value, String)> {
    let mut codes = std::collections::BTreeMap::new();
    for (path, method, op) in operations_of(doc) {
        for (status, example) in error_examples(doc, op) {
            if let Some(code) = example.get("code").and_then(Value::as_str) {
                codes.entry(code.to_string()).or_insert_with(|| {
                    let at = format!(
                        "/paths/{}/{method}/responses/{}",
                        escape_pointer(path),
                        escape_pointer(status)
                    );
                    (method.clone(), path.clone(), op, at)
                });
            }
        }
    }
    codes
}

fn operation<'a>(cx: &mut Context<'a>, at: &str, path: &str, old: &'a Value, new: &'a Value) {
    if old.get("operationId") != new.get("operationId") {
        cx.push(
            "api-operation-id-renamed",
            format!("{at}/operationId"),
            old.get("operationId"),
            new.get("operationId"),
        );
    }
    let security = |op: &Value| -> BTreeSet<Vec<String>> {
        op.get("security")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_object)
            .map(|alt| alt.keys().cloned().collect())
            .collect()
    };
    if security(old) != security(new) {
        cx.push(
            "api-security-changed",
            format!("{at}/security"),
            old.get("security"),
            new.get("security"),
        );
    }
    for key in ["summary", "description"] {
        if old.get(key) != new.get(key) {
            cx.push(
                "documentation-changed",
                format!("{at}/{key}"),
                old.get(key),
                new.get(key),
            );
        }
    }
    parameters(cx, at, path, old, new);
    request_body(cx, at, old, new);
    responses(cx, at, old, new);
}
