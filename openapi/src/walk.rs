//! The one walk over an OpenAPI document's objects in keyword position (schemas, operations,
//! responses, parameters...), each with its JSON pointer, following local `$ref`s or not.
//!
//! Data is never walked: the values of [`keywords`](crate::keywords) that are data (`example`,
//! `default`, `enum`, `const`) hold no schema and no reference, whatever keys they have. A map of
//! names ([`NAME_MAPS`](crate::keywords::NAME_MAPS)) is walked entry by entry, so a property named
//! `default` is still a schema. An `examples` *map* (of a media type or parameter) is walked for
//! its Example objects' `$ref`s, never into their `value`; an `examples` array is data.
//!
//! With [`Refs::Follow`] each local target is walked once per walk, where it lives (its own
//! pointer), so a reference cycle ends where it closes and a target reached by many paths costs
//! one visit.
//!
//! ```
//! use cashfree_openapi::walk::{Refs, walk};
//! use serde_json::json;
//! let doc = json!({
//!     "paths": {"/pan": {"post": {"requestBody": {"$ref": "#/components/requestBodies/Pan"}}}},
//!     "components": {
//!         "requestBodies": {"Pan": {"content": {"application/json": {"schema": {
//!             "type": "object", "properties": {"default": {"type": "string", "default": "X"}},
//!             "example": {"$ref": "not a reference: data"}
//!         }}}}}
//!     }
//! });
//! let mut seen = Vec::new();
//! walk(&doc, &doc["paths"], "/paths", Refs::Follow, |node, at| {
//!     if node.get("type").is_some() { seen.push(at.to_string()) }
//! });
//! assert_eq!(seen, [
//!     "/components/requestBodies/Pan/content/application~1json/schema",
//!     "/components/requestBodies/Pan/content/application~1json/schema/properties/default",
//! ]);
//! ```

use std::collections::HashSet;

use serde_json::Value;

use crate::escape_pointer;
use crate::keywords::{is_name_map, kind};

/// Whether a [`walk`] continues into the targets of local `$ref`s.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refs {
    /// Walk each local target once, at its own pointer.
    Follow,
    /// Visit the referring object (its `$ref` included) and go no further.
    Stay,
}

/// What the keys of an object are.
#[derive(Clone, Copy, PartialEq)]
enum Keys {
    /// Keywords.
    Keywords,
    /// Names chosen by the author; each value is an object of keywords.
    Names,
    /// Names of examples; each value an Example object (or a `$ref` to one).
    Examples,
    /// An Example object's keys: its `value` is data.
    Example,
}

/// Calls `visit(object, pointer)` on every object in keyword position in `from`, which lives at
/// `pointer` in `doc` (`""` for `doc` itself), `from` first, then in document order; with
/// [`Refs::Follow`], also on every object of each local `$ref` target reached (once per target).
///
/// The objects of a name map are visited, the map itself is not; neither is any data.
pub fn walk<'a>(
    doc: &'a Value,
    from: &'a Value,
    pointer: &str,
    refs: Refs,
    mut visit: impl FnMut(&'a Value, &str),
) {
    // The start counts as walked, so that a reference back to it ends there.
    let mut followed = HashSet::from([format!("#{pointer}")]);
    let mut pending = vec![(from, pointer.to_string())];
    while let Some((value, at)) = pending.pop() {
        let mut targets = Vec::new();
        one(value, &at, Keys::Keywords, &mut visit, &mut |target| {
            targets.push(target)
        });
        if refs == Refs::Stay {
            continue;
        }
        // Reversed onto the stack, so that targets are walked in the order they were met.
        for target in targets.into_iter().rev() {
            if let Some(inner) = target.strip_prefix('#')
                && let Some(resolved) = doc.pointer(inner)
                && followed.insert(target.clone())
            {
                pending.push((resolved, inner.to_string()));
            }
        }
    }
}

/// Every `$ref` in keyword position in `from` (at `pointer`), with the pointer of the object that
/// holds it, in document order; references are not followed.
pub fn refs<'a>(from: &'a Value, pointer: &str) -> Vec<(&'a str, String)> {
    let mut found = Vec::new();
    walk(from, from, pointer, Refs::Stay, |node, at| {
        if let Some(target) = node.get("$ref").and_then(Value::as_str) {
            found.push((target, at.to_string()));
        }
    });
    found
}

/// Every local `$ref` target (`#/...`) reachable from `roots` in `doc`, through references of
/// references, in the order first met.
pub fn reachable<'a>(
    doc: &'a Value,
    roots: impl IntoIterator<Item = (&'a Value, String)>,
) -> Vec<String> {
    let mut seen = HashSet::new();
    let mut order = Vec::new();
    for (root, pointer) in roots {
        walk(doc, root, &pointer, Refs::Follow, |node, _| {
            if let Some(target) = node.get("$ref").and_then(Value::as_str)
                && seen.insert(target)
            {
                order.push(target.to_string());
            }
        });
    }
    order
}

fn one<'a>(
    value: &'a Value,
    pointer: &str,
    keys: Keys,
    visit: &mut impl FnMut(&'a Value, &str),
    target: &mut impl FnMut(String),
) {
    match value {
        Value::Object(map) => {
            if matches!(keys, Keys::Keywords | Keys::Example) {
                visit(value, pointer);
                if let Some(Value::String(r)) = map.get("$ref") {
                    target(r.clone());
                }
            }
            for (key, child) in map {
                let child_keys = match keys {
                    Keys::Names => Keys::Keywords,
                    Keys::Examples => Keys::Example,
                    Keys::Example if key == "value" => continue,
                    Keys::Keywords | Keys::Example => {
                        if key == "examples" && child.is_object() {
                            Keys::Examples
                        } else if kind(key).is_data() {
                            continue;
                        } else if is_name_map(key) {
                            Keys::Names
                        } else {
                            Keys::Keywords
                        }
                    }
                };
                let at = format!("{pointer}/{}", escape_pointer(key));
                one(child, &at, child_keys, visit, target);
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                one(
                    item,
                    &format!("{pointer}/{i}"),
                    Keys::Keywords,
                    visit,
                    target,
                );
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_cycle_ends_and_a_shared_target_is_walked_once() {
        let doc = json!({"components": {"schemas": {
            "A": {"properties": {"b": {"$ref": "#/components/schemas/B"}, "c": {"$ref": "#/components/schemas/B"}}},
            "B": {"properties": {"a": {"$ref": "#/components/schemas/A"}}}
        }}});
        let a = &doc["components"]["schemas"]["A"];
        let mut visits = Vec::new();
        walk(&doc, a, "/components/schemas/A", Refs::Follow, |_, at| {
            visits.push(at.to_string())
        });
        assert_eq!(
            visits,
            [
                "/components/schemas/A",
                "/components/schemas/A/properties/b",
                "/components/schemas/A/properties/c",
                "/components/schemas/B",
                "/components/schemas/B/properties/a",
            ]
        );
        assert_eq!(
            reachable(&doc, [(a, "/components/schemas/A".to_string())]),
            ["#/components/schemas/B", "#/components/schemas/A"]
        );
    }

    #[test]
    fn example_maps_are_walked_for_references_and_data_never() {
        let doc = json!({"content": {"application/json": {
            "examples": {"ok": {"$ref": "#/components/examples/Ok"}, "inline": {"value": {"$ref": "data"}}},
            "schema": {"enum": [{"$ref": "data"}], "default": {"$ref": "data"}, "examples": [{"$ref": "data"}]}
        }}});
        let found = refs(&doc, "");
        assert_eq!(
            found,
            [(
                "#/components/examples/Ok",
                "/content/application~1json/examples/ok".to_string()
            )]
        );
    }
}
