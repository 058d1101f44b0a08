//! Multipart bodies go through the same pipeline as JSON, their files typed as `FilePart`.

use serde_json::Value;

use crate::source::{escape_pointer, operations_of};

/// The media type progenitor cannot generate; [`apply_generation_rules`](super::apply_generation_rules)
/// declares it as JSON.
pub use cashfree_openapi::MULTIPART;

/// The `x-rust-type` a binary multipart property becomes.
fn file_part_type() -> Value {
    serde_json::json!({
        "crate": "cashfree-verification",
        "version": "*",
        "path": "cashfree_verification::FilePart"
    })
}

pub(super) fn multipart_as_typed_json(doc: &mut Value) {
    // Pointers of the request bodies (inline, or the component a `$ref` names).
    let mut bodies = Vec::new();
    for (path, method, op) in operations_of(doc) {
        let Some(body) = op.get("requestBody") else {
            continue;
        };
        bodies.push(super::located(body, || {
            format!("/paths/{}/{method}/requestBody", escape_pointer(path))
        }));
    }
    bodies.sort();
    bodies.dedup();
    for body in bodies {
        let Some(content) = doc
            .pointer_mut(&format!("{body}/content"))
            .and_then(Value::as_object_mut)
        else {
            continue;
        };
        let Some(media) = content.shift_remove(MULTIPART) else {
            continue;
        };
        content.insert("application/json".into(), media);
        let at = format!("{body}/content/application~1json/schema");
        let schema = match doc.pointer(&at) {
            Some(schema) => super::located(schema, || at.clone()),
            None => at,
        };
        for property in doc
            .pointer_mut(&format!("{schema}/properties"))
            .and_then(Value::as_object_mut)
            .into_iter()
            .flat_map(|p| p.values_mut())
        {
            if property.get("format").and_then(Value::as_str) == Some("binary")
                && let Value::Object(p) = property
            {
                p.insert("x-rust-type".into(), file_part_type());
            }
        }
    }
}
