//! Schemas no finite value can satisfy, because they require themselves through `$ref`s.
//!
//! A reference cycle through optional properties is ordinary recursion (a tree); one through required
//! properties, `allOf` members, every `anyOf`/`oneOf` alternative or non-empty arrays has no finite
//! instance: typify would generate an uninhabitable `struct X(Box<X>)`, and anything that walks the
//! schema to build a value would never stop. Such schemas fail the build, named by JSON pointer.
//!
//! The check is a least fixed point: a schema is *satisfiable* once every part it requires is known to
//! be satisfiable; what is never marked so after the iteration settles is reported.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::source::{escape_pointer, required_names};

/// One problem per component schema that no finite value can satisfy, with the JSON pointers of the
/// references through which it requires itself.
pub fn unsatisfiable_schemas(doc: &Value) -> Vec<String> {
    let Some(schemas) = doc
        .pointer("/components/schemas")
        .and_then(Value::as_object)
    else {
        return Vec::new();
    };
    let pointers: Vec<String> = schemas
        .keys()
        .map(|name| format!("#/components/schemas/{}", escape_pointer(name)))
        .collect();
    let mut satisfiable: BTreeMap<&str, bool> =
        pointers.iter().map(|p| (p.as_str(), false)).collect();
    loop {
        let mut changed = false;
        for (pointer, schema) in pointers.iter().zip(schemas.values()) {
            if !satisfiable[pointer.as_str()] && Check::new(&satisfiable).holds(schema) {
                satisfiable.insert(pointer, true);
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
    pointers
        .iter()
        .zip(schemas.values())
        .filter(|(pointer, _)| !satisfiable[pointer.as_str()])
        .map(|(pointer, schema)| {
            let mut through = Vec::new();
            Check::new(&satisfiable).failing_refs(schema, &pointer[1..], &mut through);
            format!(
                "schema {pointer} can never be satisfied: it requires itself without end through the $ref at {}; make one link of the cycle optional with an overlay",
                through.join(", ")
            )
        })
        .collect()
}

/// Evaluates schemas against what is known satisfiable so far; a `$ref` to anything that is not a
/// component schema counts as satisfiable (dangling references are reported by the merge).
struct Check<'a> {
    known: &'a BTreeMap<&'a str, bool>,
}

impl<'a> Check<'a> {
    fn new(known: &'a BTreeMap<&'a str, bool>) -> Self {
        Check { known }
    }

    fn holds(&self, schema: &Value) -> bool {
        self.parts(schema)
            .iter()
            .all(|alternatives| alternatives.iter().any(|s| self.holds_one(s)))
    }

    fn holds_one(&self, schema: &Value) -> bool {
        match schema.get("$ref").and_then(Value::as_str) {
            Some(target) => self.known.get(target).copied().unwrap_or(true),
            None => self.holds(schema),
        }
    }

    /// What `schema` requires: each entry is a list of alternatives, one of which must hold.
    fn parts<'s>(&self, schema: &'s Value) -> Vec<Vec<&'s Value>> {
        let mut parts = Vec::new();
        if schema.get("$ref").is_some() {
            parts.push(vec![schema]);
            return parts;
        }
        for member in schema
            .get("allOf")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            parts.push(vec![member]);
        }
        for key in ["anyOf", "oneOf"] {
            if let Some(alternatives) = schema.get(key).and_then(Value::as_array)
                && !alternatives.is_empty()
            {
                parts.push(alternatives.iter().collect());
            }
        }
        let properties = schema.get("properties").and_then(Value::as_object);
        for name in required_names(schema) {
            if let Some(property) = properties.and_then(|p| p.get(name)) {
                parts.push(vec![property]);
            }
        }
        let min_items = schema.get("minItems").and_then(Value::as_u64).unwrap_or(0);
        if min_items > 0
            && let Some(items) = schema.get("items")
        {
            parts.push(vec![items]);
        }
        parts
    }

    /// The pointers of the `$ref`s through which `schema` (at `pointer`) fails.
    fn failing_refs(&self, schema: &Value, pointer: &str, out: &mut Vec<String>) {
        if schema.get("$ref").is_some() {
            if !self.holds_one(schema) {
                out.push(format!("{pointer}/$ref"));
            }
            return;
        }
        for key in ["allOf", "anyOf", "oneOf"] {
            for (i, member) in schema
                .get(key)
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .enumerate()
            {
                if !self.holds_one(member) {
                    self.failing_refs(member, &format!("{pointer}/{key}/{i}"), out);
                }
            }
        }
        let properties = schema.get("properties").and_then(Value::as_object);
        for name in required_names(schema) {
            if let Some(property) = properties.and_then(|p| p.get(name))
                && !self.holds_one(property)
            {
                let at = format!("{pointer}/properties/{}", escape_pointer(name));
                self.failing_refs(property, &at, out);
            }
        }
        if let Some(items) = schema.get("items")
            && schema.get("minItems").and_then(Value::as_u64).unwrap_or(0) > 0
            && !self.holds_one(items)
        {
            self.failing_refs(items, &format!("{pointer}/items"), out);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn schemas(s: Value) -> Value {
        json!({"components": {"schemas": s}})
    }

    #[test]
    fn required_and_all_of_cycles_are_reported_with_pointers() {
        let doc = schemas(json!({
            "Loop": {"type": "object", "required": ["next"], "properties": {"next": {"$ref": "#/components/schemas/Loop"}}},
            "Same": {"allOf": [{"$ref": "#/components/schemas/Same"}]},
            "A": {"allOf": [{"$ref": "#/components/schemas/B"}]},
            "B": {"type": "object", "required": ["a"], "properties": {"a": {"$ref": "#/components/schemas/A"}}},
            "UsesLoop": {"type": "object", "properties": {"l": {"$ref": "#/components/schemas/Loop"}}}
        }));
        let problems = unsatisfiable_schemas(&doc);
        assert_eq!(problems.len(), 4, "{problems:#?}");
        assert!(
            problems[0].starts_with("schema #/components/schemas/Loop can never be satisfied"),
            "{}",
            problems[0]
        );
        assert!(
            problems[0].contains("/components/schemas/Loop/properties/next/$ref"),
            "{}",
            problems[0]
        );
        assert!(
            problems[1].contains("/components/schemas/Same/allOf/0/$ref"),
            "{}",
            problems[1]
        );
        assert!(
            problems
                .iter()
                .any(|p| p.contains("/components/schemas/B/properties/a/$ref"))
        );
    }

    #[test]
    fn recursion_that_can_end_is_fine() {
        let doc = schemas(json!({
            "Tree": {"type": "object", "properties": {"children": {"type": "array", "items": {"$ref": "#/components/schemas/Tree"}}}},
            "List": {"type": "object", "required": ["next"], "properties": {"next": {"oneOf": [{"type": "null"}, {"$ref": "#/components/schemas/List"}]}}},
            "Arr": {"type": "array", "items": {"$ref": "#/components/schemas/Arr"}},
            "Plain": {"type": "string"}
        }));
        assert_eq!(unsatisfiable_schemas(&doc), Vec::<String>::new());
    }

    #[test]
    fn non_empty_arrays_of_themselves_never_end() {
        let doc = schemas(
            json!({"Arr": {"type": "array", "minItems": 1, "items": {"$ref": "#/components/schemas/Arr"}}}),
        );
        let problems = unsatisfiable_schemas(&doc);
        assert_eq!(problems.len(), 1);
        assert!(
            problems[0].contains("/components/schemas/Arr/items/$ref"),
            "{}",
            problems[0]
        );
    }
}
