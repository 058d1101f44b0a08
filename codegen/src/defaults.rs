//! Schema defaults: the ones that contradict their schema, and the request defaults the client must
//! never send on its own.
//!
//! typify refuses a default that does not conform (`"false"` on a boolean) with "value does not
//! conform to the given schema" and no location; [`nonconforming_defaults`] names the JSON pointer
//! first. Cashfree's specs also put *sample values* in `default` on request fields (`name: "John Doe"`,
//! `phone: "9999999999"`), which typify pre-fills, so a caller who left a field unset would silently
//! send a stranger's name: [`request_defaults`] finds every default in a request body, and the
//! generation drops them (a documented rule, see README "Generation settings").

use serde_json::Value;

use cashfree_openapi::walk::{Refs, walk};

use crate::source::escape_pointer;

/// One problem per `default` that does not conform to its schema's `type`, `enum` or `nullable`.
pub fn nonconforming_defaults(doc: &Value) -> Vec<String> {
    let mut problems = Vec::new();
    walk(doc, doc, "", Refs::Stay, |schema, pointer| {
        let Some(default) = schema.get("default") else {
            return;
        };
        let nullable = schema.get("nullable").and_then(Value::as_bool) == Some(true);
        let type_ok = match schema.get("type").and_then(Value::as_str) {
            _ if default.is_null() => nullable,
            Some("string") => default.is_string(),
            Some("boolean") => default.is_boolean(),
            Some("integer") => default.is_i64() || default.is_u64(),
            Some("number") => default.is_number(),
            Some("array") => default.is_array(),
            Some("object") => default.is_object(),
            _ => true,
        };
        let enum_ok = schema
            .get("enum")
            .and_then(Value::as_array)
            .is_none_or(|values| values.contains(default));
        if !type_ok || !enum_ok {
            problems.push(format!(
                "{pointer}/default is {default}, which does not conform to its schema ({}); correct it with an overlay",
                match schema.get("type") {
                    Some(t) if !type_ok => format!("type {t}"),
                    _ => "not one of its enum values".to_string(),
                }
            ));
        }
    });
    problems
}

/// The JSON pointers of every `default` inside the request bodies of `doc`'s operations (following
/// `$ref`s into components, each component once).
pub fn request_defaults(doc: &Value) -> Vec<String> {
    let mut roots: Vec<(String, &Value)> = Vec::new();
    for (path, item) in doc
        .get("paths")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
    {
        for (method, op) in item.as_object().into_iter().flatten() {
            if let Some(body) = op.get("requestBody") {
                let pointer = format!("/paths/{}/{method}/requestBody", escape_pointer(path));
                roots.push((pointer, body));
            }
        }
    }
    let mut found = Vec::new();
    for (pointer, body) in roots {
        walk(doc, body, &pointer, Refs::Follow, |schema, at| {
            if schema.get("default").is_some() {
                found.push(format!("{at}/default"));
            }
        });
    }
    found.sort();
    found.dedup();
    found
}

/// A copy-free removal of the defaults at `pointers` (as [`request_defaults`] lists them).
pub fn remove_defaults(doc: &mut Value, pointers: &[String]) {
    for pointer in pointers {
        let Some(parent) = pointer.strip_suffix("/default") else {
            continue;
        };
        if let Some(Value::Object(schema)) = doc.pointer_mut(parent) {
            schema.remove("default");
        }
    }
}

/// The pointers of every object in schema position in `doc` for which `keep` holds.
pub(crate) fn schema_pointers(doc: &Value, keep: impl Fn(&Value) -> bool) -> Vec<String> {
    let mut found = Vec::new();
    walk(doc, doc, "", Refs::Stay, |schema, pointer| {
        if keep(schema) {
            found.push(pointer.to_string());
        }
    });
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_default_of_the_wrong_type_is_named_by_pointer() {
        let doc = json!({"components": {"schemas": {"BharatOCRRequestSchema": {"type": "object", "properties": {
            "do_verification": {"type": "boolean", "default": "false"},
            "ok": {"type": "boolean", "default": false},
            "kind": {"type": "string", "enum": ["A"], "default": "B"},
            "n": {"type": "string", "nullable": true, "default": null}
        }}}}});
        let problems = nonconforming_defaults(&doc);
        assert_eq!(problems.len(), 2, "{problems:#?}");
        assert!(problems[0].starts_with("/components/schemas/BharatOCRRequestSchema/properties/do_verification/default is \"false\", which does not conform to its schema (type \"boolean\")"), "{}", problems[0]);
        assert!(problems[1].contains("kind/default is \"B\", which does not conform to its schema (not one of its enum values)"), "{}", problems[1]);
    }

    #[test]
    fn request_defaults_are_found_through_refs_and_only_there() {
        let mut doc = json!({
            "paths": {"/pan": {"post": {
                "requestBody": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Req"}}}},
                "responses": {"200": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Resp"}}}}}
            }}},
            "components": {"schemas": {
                "Req": {"type": "object", "properties": {"name": {"type": "string", "default": "Gurav"}, "inner": {"$ref": "#/components/schemas/Inner"}}, "example": {"default": 1}},
                "Inner": {"type": "object", "properties": {"phone": {"type": "string", "default": "9999999999"}}},
                "Resp": {"type": "object", "properties": {"status": {"type": "string", "default": "VALID"}}}
            }}
        });
        let found = request_defaults(&doc);
        assert_eq!(
            found,
            [
                "/components/schemas/Inner/properties/phone/default",
                "/components/schemas/Req/properties/name/default"
            ]
        );
        remove_defaults(&mut doc, &found);
        assert!(
            doc.pointer("/components/schemas/Req/properties/name/default")
                .is_none()
        );
        assert_eq!(
            doc.pointer("/components/schemas/Resp/properties/status/default"),
            Some(&json!("VALID"))
        );
    }
}
