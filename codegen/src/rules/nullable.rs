//! Absent may be null: every optional property that is not a `$ref` is nullable.

use serde_json::Value;

use crate::defaults::schema_pointers;
use crate::source::required_names;

pub(super) fn optional_means_nullable(doc: &mut Value) {
    let objects = schema_pointers(doc, |s| s.get("properties").is_some_and(Value::is_object));
    for pointer in objects {
        let required: Vec<String> = doc
            .pointer(&pointer)
            .map(|schema| required_names(schema).map(String::from).collect())
            .unwrap_or_default();
        let Some(Value::Object(properties)) = doc.pointer_mut(&format!("{pointer}/properties"))
        else {
            continue;
        };
        for (name, property) in properties.iter_mut() {
            if let Value::Object(p) = property
                && !required.contains(name)
                && !p.contains_key("$ref")
            {
                p.insert("nullable".into(), Value::Bool(true));
            }
        }
    }
}
