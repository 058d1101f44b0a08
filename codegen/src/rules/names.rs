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
}

fn rewrite_refs(value: &mut Value, targets: &[(String, String)]) {
    match value {
        Value::Object(map) => {
            if let Some(Value::String(target)) = map.get_mut("$ref")
                && let Some((_, new)) = targets.iter().find(|(old, _)| old == target)
            {
                *target = new.clone();
            }
            map.values_mut().for_each(|v| rewrite_refs(v, targets));
        }
        Value::Array(items) => items.iter_mut().for_each(|v| rewrite_refs(v, targets)),
        _ => {}
    }
}
