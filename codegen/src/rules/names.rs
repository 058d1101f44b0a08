//! Names are data: a component schema with `x-rust-name` is generated under that name.

use serde_json::Value;

use crate::source::escape_pointer;

/// The extension naming a component schema's Rust type.
pub const RUST_NAME: &str = "x-rust-name";

pub(super) fn rename_components(doc: &mut Value) {
    let renames: Vec<(String, String)> = doc
        .pointer("/components/schemas")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .filter_map(|(name, schema)| {
            let new = schema.get(RUST_NAME)?.as_str()?;
            Some((name.clone(), new.to_string()))
        })
        .collect();
    if renames.is_empty() {
        return;
    }
    let targets: Vec<(String, String)> = renames
        .iter()
        .map(|(old, new)| {
            (
                format!("#/components/schemas/{}", escape_pointer(old)),
                format!("#/components/schemas/{}", escape_pointer(new)),
            )
        })
        .collect();
    rewrite_refs(doc, &targets);
    if let Some(schemas) = doc
        .pointer_mut("/components/schemas")
        .and_then(Value::as_object_mut)
    {
        for (old, new) in &renames {
            if let Some(schema) = schemas.shift_remove(old) {
                schemas.insert(new.clone(), schema);
            }
        }
    }
}

/// Points every `$ref` (in keyword position: not inside examples or other data) at the
/// new names; the renamed components keep their old keys until after this, so the pointers the
/// walk returns stay valid.
fn rewrite_refs(doc: &mut Value, targets: &[(String, String)]) {
    let changes: Vec<(String, String)> = cashfree_openapi::walk::refs(doc, "")
        .into_iter()
        .filter_map(|(target, at)| {
            let (_, new) = targets.iter().find(|(old, _)| old == target)?;
            Some((format!("{at}/$ref"), new.clone()))
        })
        .collect();
    for (at, new) in changes {
        if let Some(target) = doc.pointer_mut(&at) {
            *target = Value::String(new);
        }
    }
}
