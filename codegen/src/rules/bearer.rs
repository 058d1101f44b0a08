//! Per-user tokens are per call: an operation secured by an HTTP bearer scheme gets an `authorization` header parameter.

use serde_json::Value;

use crate::source::security_alternatives;

/// The names of the document's HTTP bearer schemes.
fn bearer_schemes(doc: &Value) -> Vec<String> {
    doc.pointer("/components/securitySchemes")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .filter(|(_, s)| {
            s.get("type").and_then(Value::as_str) == Some("http")
                && s.get("scheme")
                    .and_then(Value::as_str)
                    .is_some_and(|v| v.eq_ignore_ascii_case("bearer"))
        })
        .map(|(name, _)| name.clone())
        .collect()
}

/// Whether `op` is secured by an HTTP bearer scheme of `doc`, so that the rule gives it an
/// `authorization` header parameter (what the operation table's `header_params` says too).
pub(crate) fn gets_authorization_parameter(doc: &Value, op: &Value) -> bool {
    let bearer = bearer_schemes(doc);
    security_alternatives(op).any(|alt| alt.keys().any(|k| bearer.contains(k)))
}

pub(super) fn bearer_token_per_call(doc: &mut Value) {
    let bearer = bearer_schemes(doc);
    if bearer.is_empty() {
        return;
    }
    for item in doc
        .get_mut("paths")
        .and_then(Value::as_object_mut)
        .into_iter()
        .flatten()
    {
        for op in item
            .1
            .as_object_mut()
            .into_iter()
            .flatten()
            .map(|(_, op)| op)
        {
            let uses_bearer =
                security_alternatives(op).any(|alt| alt.keys().any(|k| bearer.contains(k)));
            if !uses_bearer || !op.is_object() {
                continue;
            }
            let parameters = op.as_object_mut().map(|o| {
                o.entry("parameters")
                    .or_insert_with(|| Value::Array(Vec::new()))
            });
            if let Some(Value::Array(list)) = parameters {
                list.push(serde_json::json!({
                    "name": "authorization",
                    "in": "header",
                    "required": false,
                    "description": "The end user's access token, sent as `Authorization: Bearer <token>` (the `Bearer ` prefix is added when missing). Overrides a token configured on the client.",
                    "schema": {"type": "string"}
                }));
            }
        }
    }
}
