//! Answers keep their body: every 2xx JSON schema becomes `cashfree_verification::wire::Decoded<T>`.

use serde_json::Value;

use crate::source::{escape_pointer, operations_of};

/// The `x-rust-type` every success answer's type is wrapped in: `Decoded<T>` keeps the body it was
/// decoded from.
fn decoded_type(inner: Value) -> Value {
    serde_json::json!({
        "x-rust-type": {
            "crate": "cashfree-verification",
            "version": "*",
            "path": "cashfree_verification::wire::Decoded",
            "parameters": [inner]
        }
    })
}

/// Every 2xx JSON answer's schema `S` becomes `Decoded<S>` (typify's `x-rust-type` with a type
/// parameter), so a typed success keeps the raw JSON it was read from. An inline schema moves to a
/// component under the name progenitor would give it (`<Operation>Response`), so its Rust name does
/// not change.
///
/// # Errors
/// That name is already a component's.
pub(super) fn answers_keep_their_body(doc: &mut Value) -> Result<(), String> {
    let mut targets = Vec::new();
    for (path, method, op) in operations_of(doc) {
        let name = op.get("operationId").and_then(Value::as_str).map(|id| {
            heck::ToUpperCamelCase::to_upper_camel_case(format!("{id}-response").as_str())
        });
        for (status, response) in op
            .get("responses")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
        {
            if !status.starts_with('2') {
                continue;
            }
            let at = super::located(response, || {
                format!(
                    "/paths/{}/{method}/responses/{}",
                    escape_pointer(path),
                    escape_pointer(status)
                )
            });
            targets.push((
                format!("{at}/content/application~1json/schema"),
                name.clone(),
            ));
        }
    }
    targets.sort();
    targets.dedup();
    for (pointer, name) in targets {
        let Some(schema) = doc.pointer(&pointer).cloned() else {
            continue;
        };
        if schema.get("x-rust-type").is_some() {
            continue;
        }
        let inner = if schema.get("$ref").is_some() {
            schema
        } else {
            let name = name.ok_or_else(|| {
                format!("the answer at {pointer} has no operationId to name its type")
            })?;
            let schemas = doc
                .pointer_mut("/components/schemas")
                .and_then(Value::as_object_mut)
                .ok_or("the document has no components/schemas")?;
            if schemas.contains_key(&name) {
                return Err(format!(
                    "the inline answer at {pointer} would be named {name}, which a component already is; give it an `x-rust-name` in an overlay"
                ));
            }
            schemas.insert(name.clone(), schema);
            serde_json::json!({ "$ref": format!("#/components/schemas/{name}") })
        };
        if let Some(slot) = doc.pointer_mut(&pointer) {
            *slot = decoded_type(inner);
        }
    }
    Ok(())
}
