//! The walk of one example beside its schema, noting each contradiction.

use std::collections::BTreeSet;

use serde_json::Value;

use super::{Place, Reconciliation, Widening, followed};
use crate::source::required_names;

pub(super) struct Walk<'a> {
    pub(super) doc: &'a Value,
    pub(super) place: Place,
    pub(super) operation: &'a str,
    pub(super) example: &'a str,
    pub(super) found: &'a mut BTreeSet<Reconciliation>,
    pub(super) depth: usize,
}

impl Walk<'_> {
    fn note(&mut self, schema: &str, widening: Widening, at: &str, value: &Value) {
        let widening = match (self.place, widening) {
            (Place::Request, Widening::None(why)) => Widening::None(why),
            (Place::Request, w) => {
                Widening::None(format!("a request would need: {}", describe(&w)))
            }
            (Place::Response, w) => w,
        };
        self.found.insert(Reconciliation {
            schema: schema.to_string(),
            widening,
            operation: self.operation.to_string(),
            example: self.example.to_string(),
            at: at.to_string(),
            value: value.to_string(),
        });
    }

    /// A value the client's wire rules read in an answer: nothing to widen there, but a request
    /// example that differs so is listed (the client sends the schema's type).
    fn read_by_wire_rules(&mut self, pointer: &str, at: &str, value: &Value, wanted: &str) {
        if self.place == Place::Request {
            let why = format!("the schema says {wanted}; sent as the schema says");
            self.note(pointer, Widening::None(why), at, value);
        }
    }

    /// Checks `value` against the schema at `pointer`; `optional` when it is an optional property
    /// (which decodes `null` as `None` whatever the schema says).
    pub(super) fn check(&mut self, pointer: &str, value: &Value, at: &str, optional: bool) {
        // Examples are finite trees; a schema cycle is bounded by the example's depth, but a
        // malformed document is bounded here too.
        if self.depth > 64 {
            return;
        }
        let Some(schema) = self.doc.pointer(pointer) else {
            return;
        };
        let (schema, pointer) = followed(self.doc, schema, pointer.to_string());
        self.depth += 1;
        self.check_resolved(schema, &pointer, value, at, optional);
        self.depth -= 1;
    }

    fn check_resolved(
        &mut self,
        schema: &Value,
        pointer: &str,
        value: &Value,
        at: &str,
        optional: bool,
    ) {
        if let Some(members) = schema.get("allOf").and_then(Value::as_array) {
            for i in 0..members.len() {
                self.check(&format!("{pointer}/allOf/{i}"), value, at, optional);
            }
        }
        // Alternatives decode as untagged enums: not widened, only checked by the test of answers.
        if schema.get("oneOf").is_some() || schema.get("anyOf").is_some() {
            return;
        }
        let ty = schema
            .get("type")
            .and_then(Value::as_str)
            .or_else(|| schema.get("properties").map(|_| "object"));
        if value.is_null() {
            let nullable = schema.get("nullable").and_then(Value::as_bool) == Some(true);
            if !(optional || nullable || ty.is_none()) {
                self.note(pointer, Widening::Nullable, at, value);
            }
            return;
        }
        match ty {
            Some("string") => {
                let text = match value {
                    Value::String(s) => Some(s.clone()),
                    Value::Number(n) => Some(n.to_string()),
                    Value::Bool(b) => Some(b.to_string()),
                    _ => None,
                };
                if !value.is_string() {
                    self.read_by_wire_rules(pointer, at, value, "a string");
                }
                match text {
                    None => self.note(pointer, Widening::None("not text".into()), at, value),
                    Some(text) => self.check_enum(schema, pointer, &Value::String(text), at, value),
                }
            }
            Some("integer" | "number") => {
                let fits = match value {
                    Value::Number(n) => {
                        ty == Some("number")
                            || n.is_i64()
                            || n.is_u64()
                            || n.as_f64().is_some_and(|x| x.fract() == 0.0)
                    }
                    Value::String(s) if ty == Some("integer") => {
                        s.parse::<i64>().is_ok() || s.parse::<u64>().is_ok()
                    }
                    Value::String(s) => serde_json::from_str::<serde_json::Number>(s).is_ok(),
                    _ => false,
                };
                if fits && value.is_string() {
                    self.read_by_wire_rules(pointer, at, value, "a number");
                }
                if !fits {
                    self.note(pointer, Widening::Text, at, value);
                } else if let Some(n) = number_of(value) {
                    self.check_enum(schema, pointer, &n, at, value);
                }
            }
            Some("boolean") if !(value.is_boolean() || value == "true" || value == "false") => {
                self.note(pointer, Widening::Text, at, value);
            }
            Some("array") => {
                let items = format!("{pointer}/items");
                match value {
                    Value::Array(list) => {
                        for (i, item) in list.iter().enumerate() {
                            self.check(&items, item, &format!("{at}/{i}"), false);
                        }
                    }
                    Value::String(s) if s.is_empty() => {
                        self.read_by_wire_rules(pointer, at, value, "a list");
                    }
                    lone => {
                        self.read_by_wire_rules(pointer, at, value, "a list");
                        self.check(&items, lone, at, false)
                    }
                }
            }
            Some("object") => {
                let Some(object) = value.as_object() else {
                    self.note(pointer, Widening::None("not an object".into()), at, value);
                    return;
                };
                let properties = schema.get("properties").and_then(Value::as_object);
                for name in required_names(schema) {
                    if object.get(name).is_none_or(Value::is_null) {
                        let shown = object.get(name).cloned().unwrap_or(Value::Null);
                        self.note(
                            pointer,
                            Widening::Optional(name.to_string()),
                            &format!("{at}/{}", crate::source::escape_pointer(name)),
                            &shown,
                        );
                    }
                }
                let required: Vec<&str> = required_names(schema).collect();
                for (name, item) in object {
                    if properties.is_some_and(|p| p.contains_key(name)) {
                        let here = format!("{at}/{}", crate::source::escape_pointer(name));
                        let property = format!(
                            "{pointer}/properties/{}",
                            crate::source::escape_pointer(name)
                        );
                        // A required property's null is reported once, as made optional, above.
                        let optional = !required.contains(&name.as_str());
                        if item.is_null() && !optional {
                            continue;
                        }
                        self.check(&property, item, &here, optional);
                    }
                }
            }
            _ => {}
        }
    }

    fn check_enum(&mut self, schema: &Value, pointer: &str, read: &Value, at: &str, value: &Value) {
        if let Some(values) = schema.get("enum").and_then(Value::as_array)
            && !values.contains(read)
        {
            self.note(pointer, Widening::EnumValue(read.to_string()), at, value);
        }
    }
}

/// A number, or a string holding one, as a JSON number.
fn number_of(value: &Value) -> Option<Value> {
    match value {
        Value::Number(_) => Some(value.clone()),
        Value::String(s) => serde_json::from_str::<serde_json::Number>(s)
            .ok()
            .map(Value::Number),
        _ => None,
    }
}

fn describe(w: &Widening) -> String {
    match w {
        Widening::Optional(p) => format!("property {p:?} optional"),
        Widening::Nullable => "nullable".into(),
        Widening::Text => "a string type".into(),
        Widening::EnumValue(v) => format!("enum value {v}"),
        Widening::None(why) => why.clone(),
    }
}
