//! One error type: an error response in Cashfree's `{type, code, message[, error]}` shape uses `ErrorResponseSchema`.

use serde_json::Value;

use crate::source::{error_responses, escape_pointer, operations_of};

/// The schema every Cashfree error body decodes as.
const ERROR_SCHEMA: &str = "#/components/schemas/ErrorResponseSchema";

pub(super) fn one_error_type(doc: &mut Value) {
    if doc.pointer(&ERROR_SCHEMA[1..]).is_none() {
        return;
    }
    let mut schemas = Vec::new();
    for (path, method, op) in operations_of(doc) {
        for (status, response) in error_responses(op) {
            let at = super::located(response, || {
                format!(
                    "/paths/{}/{method}/responses/{}",
                    escape_pointer(path),
                    escape_pointer(status)
                )
            });
            for (media, content) in doc
                .pointer(&format!("{at}/content"))
                .and_then(Value::as_object)
                .into_iter()
                .flatten()
            {
                let schema = content.get("schema").unwrap_or(&Value::Null);
                let resolved = crate::source::resolve(doc, schema);
                if schema.get("$ref").and_then(Value::as_str) != Some(ERROR_SCHEMA)
                    && is_error_shape(resolved)
                {
                    schemas.push(format!("{at}/content/{}/schema", escape_pointer(media)));
                }
            }
        }
    }
    for pointer in schemas {
        if let Some(schema) = doc.pointer_mut(&pointer) {
            *schema = serde_json::json!({ "$ref": ERROR_SCHEMA });
        }
    }
}

/// `{type, code, message[, error]}` with string `type`, `code` and `message`.
fn is_error_shape(schema: &Value) -> bool {
    let Some(properties) = schema.get("properties").and_then(Value::as_object) else {
        return false;
    };
    let text = |k: &str| {
        properties
            .get(k)
            .is_some_and(|p| p.get("type").and_then(Value::as_str) == Some("string"))
    };
    schema.get("type").is_none_or(|t| t == "object")
        && text("code")
        && text("message")
        && properties
            .keys()
            .all(|k| matches!(k.as_str(), "type" | "code" | "message" | "error"))
        && (!properties.contains_key("type") || text("type"))
}
