//! The success body: the chosen documented example, verbatim, with the few values only the
//! sandbox can give.
//!
//! Cashfree's examples are evidence of the wire (they send numbers where the schema says string,
//! `""` for arrays), so nothing is converted to the schema's types. Only these top-level values
//! change, each keeping the example's JSON type:
//!
//! - ids the caller chose (`verification_id`, `user_id`, `bulk_verification_id`, ... sent in the
//!   request, or the ids a status call names) are echoed, so the answer is about this request;
//! - ids Cashfree issues (`reference_id`, `ref_id`, `*_ref_id`, `session_id`) and tokens
//!   (`*token`) are fresh, so two calls are two records a status call can tell apart and a token is
//!   one the sandbox issued;
//! - expiries (`*expir*`) the request did not set are an hour ahead (or as the sandbox was built:
//!   [`expires_in`](crate::SandboxBuilder::expires_in)), in the schema's `format`
//!   (`date`: `YYYY-MM-DD`), else in the example's style.
//!
//! An operation without any documented success example answers a skeleton of its schema
//! (each property's `example`, `default`, first `enum` value, or an empty value of its type).

use serde_json::{Map, Value};

use cashfree_openapi::resolve;

use super::dates;
use super::state::{id_name, is_id, scalar_text};

/// What a success body is made from.
pub(crate) struct Inputs<'a> {
    pub doc: &'a Value,
    /// The response schema, if documented.
    pub schema: Option<&'a Value>,
    /// The request's values: body fields and parameters (and, for a status call, the ids of the
    /// record it looks up).
    pub request: &'a Value,
    /// The Unix time the expiries it writes name: now plus the sandbox's
    /// [`expires_in`](crate::SandboxBuilder::expires_in) (an hour by default).
    pub expires_at: i64,
}

/// The body for `example` (or the schema's skeleton when `None`).
pub(crate) fn success_body(
    inputs: &Inputs,
    example: Option<&Value>,
    fresh: &mut dyn FnMut() -> String,
) -> Value {
    let mut body = match (example, inputs.schema) {
        (Some(e), _) => e.clone(),
        (None, Some(s)) => skeleton(inputs.doc, s, 0),
        (None, None) => Value::Object(Map::new()),
    };
    let Some(obj) = body.as_object_mut() else {
        return body;
    };
    for (key, value) in obj.iter_mut() {
        let sent = sent_value(inputs.request, key);
        if is_id(key)
            && let Some(sent) = sent
        {
            if let Some(echoed) = same_type(value, sent) {
                *value = echoed;
            }
        } else if issued_id(key) && sent.is_none() {
            *value = match &*value {
                Value::Number(_) => Value::from(fresh_number(fresh)),
                Value::String(s) if !s.is_empty() && s.chars().all(|c| c.is_ascii_digit()) => {
                    Value::String(fresh_number(fresh).to_string())
                }
                _ => Value::String(format!("sbx_{}", fresh())),
            };
        } else if key.ends_with("token") && value.is_string() {
            *value = Value::String(format!("sbx_{}", fresh()));
        } else if key.contains("expir") && sent.is_none() && value.is_string() {
            let format = property(inputs, key)
                .and_then(|p| p.get("format"))
                .and_then(Value::as_str);
            *value = Value::String(dates::formatted(
                format,
                value.as_str().unwrap_or(""),
                inputs.expires_at,
            ));
        }
    }
    body
}

/// Ids Cashfree (here: the sandbox) makes up for a new record.
fn issued_id(key: &str) -> bool {
    key == "reference_id" || key == "ref_id" || key.ends_with("_ref_id") || key == "session_id"
}

/// The request's value for response field `key`, under the same normalised name.
fn sent_value<'a>(request: &'a Value, key: &str) -> Option<&'a Value> {
    let wanted = id_name(key);
    request
        .as_object()?
        .iter()
        .find(|(k, v)| id_name(k) == wanted && scalar_text(v).is_some())
        .map(|(_, v)| v)
}

/// `sent` in the JSON type of `example`: text for a string, a number for a number (when the text
/// is one); `None` when it cannot be kept in that type.
fn same_type(example: &Value, sent: &Value) -> Option<Value> {
    let text = scalar_text(sent)?;
    match example {
        Value::String(_) => Some(Value::String(text)),
        Value::Number(_) => serde_json::from_str::<serde_json::Number>(&text)
            .ok()
            .map(Value::Number),
        Value::Null => Some(sent.clone()),
        _ => None,
    }
}

/// The response schema's property `key`, resolved.
fn property<'a>(inputs: &Inputs<'a>, key: &str) -> Option<&'a Value> {
    let schema = resolve(inputs.doc, inputs.schema?);
    Some(resolve(inputs.doc, schema.get("properties")?.get(key)?))
}

fn fresh_number(fresh: &mut dyn FnMut() -> String) -> u64 {
    u64::from_str_radix(&fresh()[..12], 16).unwrap_or(1) % 9_000_000_000 + 1_000_000_000
}

/// A schema's own `example` in the type the schema declares: the sandbox's generated body follows
/// its schema (`phone: {type: string, example: 9999999999}` gives `"9999999999"`).
fn declared_type(schema: &Value, example: &Value) -> Value {
    match (schema.get("type").and_then(Value::as_str), example) {
        (Some("string"), Value::Number(_) | Value::Bool(_)) => Value::String(example.to_string()),
        (Some("integer" | "number" | "boolean"), Value::String(text)) => {
            serde_json::from_str::<Value>(text.trim())
                .ok()
                .filter(|v| !v.is_string())
                .unwrap_or_else(|| example.clone())
        }
        _ => example.clone(),
    }
}

/// A minimal value of `schema`'s shape.
fn skeleton(doc: &Value, schema: &Value, depth: u32) -> Value {
    let schema = resolve(doc, schema);
    if depth > 8 {
        return Value::Null;
    }
    if let Some(first) = schema
        .get("anyOf")
        .or_else(|| schema.get("oneOf"))
        .and_then(Value::as_array)
        .and_then(|a| a.first())
    {
        return skeleton(doc, first, depth + 1);
    }
    if let Some(e) = schema.get("example").or_else(|| schema.get("default")) {
        return declared_type(schema, e);
    }
    if let Some(first) = schema
        .get("enum")
        .and_then(Value::as_array)
        .and_then(|a| a.first())
    {
        return first.clone();
    }
    match schema.get("type").and_then(Value::as_str) {
        Some("string") => Value::String(String::new()),
        Some("integer") | Some("number") => Value::from(0),
        Some("boolean") => Value::Bool(false),
        Some("array") => Value::Array(
            schema
                .get("items")
                .map(|i| vec![skeleton(doc, i, depth + 1)])
                .unwrap_or_default(),
        ),
        _ => Value::Object(
            schema
                .get("properties")
                .and_then(Value::as_object)
                .into_iter()
                .flatten()
                .map(|(k, v)| (k.clone(), skeleton(doc, v, depth + 1)))
                .collect(),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn counter() -> impl FnMut() -> String {
        let mut n = 0u32;
        move || {
            n += 1;
            format!("{n:032x}")
        }
    }

    #[test]
    fn examples_are_verbatim_but_for_ids_tokens_and_expiries() {
        let doc = json!({});
        let example = json!({"reference_id": 3123123, "verification_id": "123456", "user": [{"identifier_type": "MOBILE", "identifier_value": "9988123456"}], "expiry": "2024-12-31T23:59:59Z", "session_id": "session_id_value", "name_match_score": 100, "aadhaar": ""});
        let request = json!({"verification_id": 424242, "user": {"identifier_type": "MOBILE", "identifier_value": "9000000001"}});
        let inputs = Inputs {
            doc: &doc,
            schema: None,
            request: &request,
            expires_at: 1_700_003_600,
        };
        let body = success_body(&inputs, Some(&example), &mut counter());
        assert_eq!(
            body["verification_id"], "424242",
            "echoed in the example's type"
        );
        assert_eq!(body["user"], example["user"], "not an id: verbatim");
        assert_eq!(
            body["name_match_score"], 100,
            "never converted to the schema's string"
        );
        assert_eq!(body["aadhaar"], "");
        assert_eq!(body["expiry"], "2023-11-14T23:13:20Z");
        assert_eq!(body["session_id"], "sbx_00000000000000000000000000000002");
        assert!(body["reference_id"].as_u64().unwrap() >= 1_000_000_000);
    }

    #[test]
    fn a_date_expiry_stays_a_date_and_a_status_call_echoes_its_ids() {
        let doc = json!({});
        let schema =
            json!({"properties": {"data_life_expiry": {"type": "string", "format": "date"}}});
        let example =
            json!({"data_life_expiry": "2024-01-07", "reference_id": 32, "ref_id": "123"});
        let request = json!({"reference_id": "77"});
        let inputs = Inputs {
            doc: &doc,
            schema: Some(&schema),
            request: &request,
            expires_at: 3600,
        };
        let body = success_body(&inputs, Some(&example), &mut counter());
        assert_eq!(body["data_life_expiry"], "1970-01-01");
        assert_eq!(body["reference_id"], 77, "a number, as the example has it");
        assert!(
            body["ref_id"]
                .as_str()
                .unwrap()
                .chars()
                .all(|c| c.is_ascii_digit())
        );
    }
}
