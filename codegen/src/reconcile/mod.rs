//! Cashfree's examples are the wire: every documented example of the merged document is checked
//! against its schema, and where an answer's example could not be decoded by the generated type
//! (even with the client's wire rules, `cashfree_verification::wire`), the schema progenitor sees is
//! widened so that it can.
//!
//! | the example has | where the schema says | widened to |
//! | --- | --- | --- |
//! | `null`, or nothing | a required property | an optional property (`Option<T>`) |
//! | `null` | a list item or a top-level value that is not nullable | nullable |
//! | a string that is no number (`"0,"`) | a number | a string (numbers arrive as their text) |
//! | a string that is no boolean | a boolean | a string |
//! | a value outside the enum | an enum | the enum with that value |
//!
//! What the wire rules read anyway (a number for a string, `"1"` for a number, `""` or a lone value
//! for a list) widens nothing and is not listed. Request examples and parameter examples are checked
//! too, and listed, but never widen anything: requests are sent as the schema says.
//!
//! Webhook samples (the `x-webhooks` section, [`webhooks`](crate::webhooks)) are answers too: the
//! client decodes what Cashfree sends, so a sample that contradicts its event's schema widens it
//! like an answer's example, listed as `webhook <EVENT> sample "example"`.
//!
//! The list is data a reviewer reads (`api/reconciliations.txt`), derived again from the spec on
//! every build, so a spec update needs no hand edit; the breaking-change report compares the lists
//! of the two documents (rule `response-type-widened`).

use std::collections::BTreeSet;
use std::fmt;

use serde_json::Value;

use cashfree_openapi::named_media_examples;

use crate::source::operations_of;

mod walk;

use walk::Walk;

/// How a schema was widened for an example.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Widening {
    /// The property `.0` of the object schema is no longer required.
    Optional(String),
    /// The schema accepts `null`.
    Nullable,
    /// The schema's type becomes string (its number or boolean constraints go).
    Text,
    /// The enum takes the value `.0` (JSON text) as well.
    EnumValue(String),
    /// Nothing: a request or parameter example, sent as the schema says (`.0` says what differs).
    None(String),
}

/// One contradiction between an example and its schema.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Reconciliation {
    /// JSON pointer of the schema widened (or checked) in the merged document.
    pub schema: String,
    /// What was widened.
    pub widening: Widening,
    /// `METHOD /path`.
    pub operation: String,
    /// Where the example is: `response 200 "Valid PAN"`, `request body`, `parameter reference_id`.
    pub example: String,
    /// JSON pointer inside the example.
    pub at: String,
    /// The example's value there, as JSON text.
    pub value: String,
}

impl fmt::Display for Reconciliation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut value = self.value.clone();
        if value.chars().count() > 60 {
            value = value.chars().take(60).collect::<String>() + "…";
        }
        let at = if self.at.is_empty() { "/" } else { &self.at };
        let what = match &self.widening {
            Widening::Optional(p) => format!("property {p:?} made optional"),
            Widening::Nullable => "made nullable".to_string(),
            Widening::Text => "type widened to string".to_string(),
            Widening::EnumValue(v) => format!("enum value {v} added"),
            Widening::None(why) => format!("not widened ({why})"),
        };
        // Spec text is escaped, so no name in a spec can forge a line of the review file.
        write!(
            f,
            "{} {} at {} = {value}\n    {}: {what}",
            self.operation.escape_debug(),
            self.example,
            at.escape_debug(),
            self.schema.escape_debug()
        )
    }
}

/// Every contradiction between the examples of `doc` and their schemas, sorted, each once.
pub fn reconciliations(doc: &Value) -> Vec<Reconciliation> {
    let mut found = BTreeSet::new();
    for (path, method, op) in operations_of(doc) {
        let operation = format!("{} {path}", method.to_uppercase());
        let op_pointer = format!("/paths/{}/{method}", crate::source::escape_pointer(path));
        let mut check = |place: Place, schema_ptr: String, example: String, value: &Value| {
            let mut walk = Walk {
                doc,
                place,
                operation: &operation,
                example: &example,
                found: &mut found,
                depth: 0,
            };
            walk.check(&schema_ptr, value, "", false);
        };
        for (status, response) in op
            .get("responses")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
        {
            let (response, response_ptr) =
                followed(doc, response, format!("{op_pointer}/responses/{status}"));
            for (schema_ptr, name, example) in json_examples(doc, response, &response_ptr) {
                check(
                    Place::Response,
                    schema_ptr,
                    format!("response {status} {name:?}"),
                    example,
                );
            }
        }
        if let Some(body) = op.get("requestBody") {
            let (body, body_ptr) = followed(doc, body, format!("{op_pointer}/requestBody"));
            for (schema_ptr, name, example) in json_examples(doc, body, &body_ptr) {
                check(
                    Place::Request,
                    schema_ptr,
                    format!("request body {name:?}"),
                    example,
                );
            }
        }
        for (i, parameter) in op
            .get("parameters")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .enumerate()
        {
            let (parameter, parameter_ptr) =
                followed(doc, parameter, format!("{op_pointer}/parameters/{i}"));
            let (Some(example), Some(name)) = (
                parameter.get("example"),
                parameter.get("name").and_then(Value::as_str),
            ) else {
                continue;
            };
            if parameter.get("schema").is_some() {
                check(
                    Place::Request,
                    format!("{parameter_ptr}/schema"),
                    format!("parameter {name:?}"),
                    example,
                );
            }
        }
    }
    webhook_samples(doc, &mut found);
    found.into_iter().collect()
}

/// Checks the sample of each `x-webhooks` event against its body's schema, as an answer's example.
fn webhook_samples(doc: &Value, found: &mut BTreeSet<Reconciliation>) {
    for (name, item) in doc
        .get(crate::webhooks::WEBHOOKS)
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
    {
        let Some(body) = item.pointer("/post/requestBody") else {
            continue;
        };
        let operation = crate::webhooks::operations::event_path(name);
        let body_ptr = format!(
            "/{}/{}/post/requestBody",
            crate::source::escape_pointer(crate::webhooks::WEBHOOKS),
            crate::source::escape_pointer(name)
        );
        for (schema_ptr, example_name, example) in json_examples(doc, body, &body_ptr) {
            let label = format!("sample {example_name:?}");
            let mut walk = Walk {
                doc,
                place: Place::Response,
                operation: &operation,
                example: &label,
                found,
                depth: 0,
            };
            walk.check(&schema_ptr, example, "", false);
        }
    }
}

/// Widens the schemas of `doc` as `list` says (pointers into `doc`); request-side entries change
/// nothing.
pub fn apply(doc: &mut Value, list: &[Reconciliation]) {
    for r in list {
        let Some(Value::Object(schema)) = doc.pointer_mut(&r.schema) else {
            continue;
        };
        match &r.widening {
            Widening::Optional(property) => {
                if let Some(Value::Array(required)) = schema.get_mut("required") {
                    required.retain(|name| name.as_str() != Some(property));
                }
            }
            Widening::Nullable => {
                schema.insert("nullable".into(), Value::Bool(true));
            }
            Widening::Text => {
                schema.insert("type".into(), Value::from("string"));
                for key in [
                    "format",
                    "minimum",
                    "maximum",
                    "exclusiveMinimum",
                    "exclusiveMaximum",
                    "multipleOf",
                    "enum",
                ] {
                    schema.remove(key);
                }
            }
            Widening::EnumValue(value) => {
                if let (Some(Value::Array(values)), Ok(value)) =
                    (schema.get_mut("enum"), serde_json::from_str::<Value>(value))
                    && !values.contains(&value)
                {
                    values.push(value);
                }
            }
            Widening::None(_) => {}
        }
    }
}

/// The review copy of `list` (`api/reconciliations.txt`), the contradictions of `doc`'s examples.
pub fn review_text(doc: &Value, list: &[Reconciliation]) -> String {
    let widened = list
        .iter()
        .filter(|r| !matches!(r.widening, Widening::None(_)))
        .count();
    let (events, sampled) = webhook_sample_count(doc);
    let mut out = format!(
        "# Examples that contradict their schemas, and what the generated types accept for them.\n# Derived from spec/ on every build (codegen/src/reconcile.rs); refresh with: cargo run -p cashfree-verification-codegen -- refresh\n# {} entries: {widened} schemas widened for answers, {} request-side examples noted (requests are sent as the schema says).\n# Webhook samples are checked as answers: {sampled} of the {events} events of spec/webhooks/ have a verbatim sample (the others say why, x-no-sample).\n",
        list.len(),
        list.len() - widened
    );
    for r in list {
        out.push('\n');
        out.push_str(&r.to_string());
        out.push('\n');
    }
    out
}

/// (events, events with a sample) of `doc`'s `x-webhooks`.
fn webhook_sample_count(doc: &Value) -> (usize, usize) {
    let events: Vec<&Value> = doc
        .get(crate::webhooks::WEBHOOKS)
        .and_then(Value::as_object)
        .into_iter()
        .flat_map(|events| events.values())
        .collect();
    let sampled = events
        .iter()
        .filter(|e| {
            e.pointer("/post/requestBody/content/application~1json/example")
                .is_some()
        })
        .count();
    (events.len(), sampled)
}

/// Whether an example is of an answer (which widens) or a request (which does not).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Place {
    Response,
    Request,
}

/// `value` through its `$ref` (local, one level at a time, bounded), with its new pointer.
pub(crate) fn followed<'a>(
    doc: &'a Value,
    value: &'a Value,
    pointer: String,
) -> (&'a Value, String) {
    let mut value = value;
    let mut pointer = pointer;
    for _ in 0..16 {
        match value.get("$ref").and_then(Value::as_str) {
            Some(target) if target.starts_with("#/") => match doc.pointer(&target[1..]) {
                Some(next) => {
                    value = next;
                    pointer = target[1..].to_string();
                }
                None => break,
            },
            _ => break,
        }
    }
    (value, pointer)
}

/// The examples of every JSON media type of `holder` (a response or a request body at `pointer`):
/// (pointer of the media type's schema, example name, example).
fn json_examples<'a>(
    doc: &'a Value,
    holder: &'a Value,
    pointer: &str,
) -> Vec<(String, String, &'a Value)> {
    let mut out = Vec::new();
    for (media_type, media) in holder
        .get("content")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
    {
        if !media_type.contains("json") || media.get("schema").is_none() {
            continue;
        }
        let schema_ptr = format!(
            "{pointer}/content/{}/schema",
            crate::source::escape_pointer(media_type)
        );
        for (name, example) in named_media_examples(doc, media) {
            out.push((schema_ptr.clone(), name, example));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn doc(example: Value) -> Value {
        json!({
            "paths": {"/pan": {"post": {
                "requestBody": {"content": {"application/json": {
                    "schema": {"$ref": "#/components/schemas/Req"},
                    "example": {"name": 5}
                }}},
                "responses": {"200": {"content": {"application/json": {
                    "schema": {"$ref": "#/components/schemas/Pan"},
                    "examples": {"Valid": {"value": example}}
                }}}}
            }}},
            "components": {"schemas": {
                "Req": {"type": "object", "properties": {"name": {"type": "integer"}}},
                "Pan": {"type": "object", "required": ["pan"], "properties": {
                    "pan": {"type": "string"},
                    "count": {"type": "integer"},
                    "score": {"type": "string"},
                    "status": {"type": "string", "enum": ["VALID"]},
                    "states": {"type": "array", "items": {"type": "string", "nullable": false}}
                }}
            }}
        })
    }

    #[test]
    fn what_the_wire_rules_read_widens_nothing() {
        let d = doc(
            json!({"pan": "A", "count": "12", "score": 100, "states": "KA", "status": "VALID"}),
        );
        let list: Vec<_> = reconciliations(&d)
            .into_iter()
            .filter(|r| !matches!(r.widening, Widening::None(_)))
            .collect();
        assert!(list.is_empty(), "{list:?}");
    }

    #[test]
    fn each_contradiction_widens_its_schema_and_the_example_then_holds() {
        let mut d = doc(json!({"pan": null, "count": "0,", "status": "X", "states": [null]}));
        let list = reconciliations(&d);
        let widened: Vec<(&str, &Widening)> = list
            .iter()
            .map(|r| (r.schema.as_str(), &r.widening))
            .collect();
        assert!(widened.contains(&("/components/schemas/Pan", &Widening::Optional("pan".into()))));
        assert!(widened.contains(&("/components/schemas/Pan/properties/count", &Widening::Text)));
        assert!(widened.contains(&(
            "/components/schemas/Pan/properties/status",
            &Widening::EnumValue("\"X\"".into())
        )));
        assert!(widened.contains(&(
            "/components/schemas/Pan/properties/states/items",
            &Widening::Nullable
        )));
        // The request example's number for an integer is fine; nothing else of the request is listed.
        assert!(
            list.iter().all(|r| !r.example.starts_with("request")),
            "{list:?}"
        );
        apply(&mut d, &list);
        assert_eq!(d["components"]["schemas"]["Pan"]["required"], json!([]));
        assert_eq!(
            d["components"]["schemas"]["Pan"]["properties"]["count"],
            json!({"type": "string"})
        );
        let again: Vec<_> = reconciliations(&d)
            .into_iter()
            .filter(|r| !matches!(r.widening, Widening::None(_)))
            .collect();
        assert!(
            again.is_empty(),
            "widened schemas still contradict: {again:?}"
        );
    }

    #[test]
    fn a_webhook_sample_is_an_answer_and_widens_its_event_data() {
        let mut d = doc(json!({"pan": "A"}));
        d["components"]["schemas"]["Env"] = json!({"type": "object", "properties": {
            "event_type": {"type": "string"},
            "data": {"$ref": "#/components/schemas/Data"}}});
        d["components"]["schemas"]["Data"] = json!({"type": "object", "required": ["id"],
            "properties": {"id": {"type": "string"}, "ok": {"type": "boolean"}, "micr": {"type": "string"}}});
        d["x-webhooks"] = json!({"A_DONE": {"post": {"requestBody": {"content": {"application/json": {
            "schema": {"$ref": "#/components/schemas/Env"},
            "example": {"event_type": "A_DONE", "data": {"ok": "yes", "micr": 400532038}}
        }}}}}});
        let list = reconciliations(&d);
        let webhook: Vec<_> = list
            .iter()
            .filter(|r| r.operation == "webhook A_DONE")
            .collect();
        assert_eq!(webhook.len(), 2, "{list:?}");
        assert!(
            webhook
                .iter()
                .any(|r| r.schema == "/components/schemas/Data"
                    && r.widening == Widening::Optional("id".into())
                    && r.example == "sample \"example\"")
        );
        assert!(
            webhook
                .iter()
                .any(|r| r.schema == "/components/schemas/Data/properties/ok"
                    && r.widening == Widening::Text)
        );
        // A number for a string is read by the wire rules: not listed.
        assert!(webhook.iter().all(|r| !r.at.contains("micr")));
        let review = review_text(&d, &list);
        assert!(review.contains("1 of the 1 events"), "{review}");
        assert!(
            review.contains("webhook A_DONE sample \"example\" at /data/ok"),
            "{review}"
        );
        apply(&mut d, &list);
        assert!(
            reconciliations(&d)
                .iter()
                .all(|r| r.operation != "webhook A_DONE")
        );
    }

    #[test]
    fn a_request_example_is_listed_but_widens_nothing() {
        let mut d = doc(json!({"pan": "A"}));
        d["paths"]["/pan"]["post"]["requestBody"]["content"]["application/json"]["example"] =
            json!({"name": "ten"});
        let list = reconciliations(&d);
        assert_eq!(list.len(), 1, "{list:?}");
        assert!(matches!(&list[0].widening, Widening::None(why) if why.contains("string")));
        let before = d.clone();
        apply(&mut d, &list);
        assert_eq!(d, before);
    }
}
