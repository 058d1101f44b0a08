//! A valid sample request for every operation of the merged spec (`api/openapi.json`), written as
//! one JSON file that both SDK scripts read, so the choice of request is made once, in one place.
//!
//! For each `"METHOD /path"` the file holds what a script needs to fill its SDK's arguments:
//!
//! ```json
//! {"operations": {
//!    "POST /pan": {"body": {"pan": "ABCPV1234D", "name": "Gurav"}},
//!    "GET /pan/{reference_id}": {"path": {"reference_id": "123546"}, "after": "POST /pan"},
//!    "POST /face-match": {"form": {"verification_id": "..."}, "files": {"first_image": "/…/sample.png"}}
//!  },
//!  "sample_image": "/…/sample.png", "sample_pdf": "/…/sample.pdf"}
//! ```
//!
//! A body is the first of the operation's documented examples (media type, named, then the
//! schema's own) that has the shape its schema declares; an operation with none is given one built
//! from the schema (its property examples where they fit, else a value of the declared type).
//! `after` names the create call whose answer holds the ids a lookup needs: the script runs that
//! one first and takes `reference_id`, `verification_id`, ... from its answer (or its request).

use cashfree_openapi::{media_examples, operation_parameters, operations_of, resolve};
use serde_json::{Map, Value, json};

/// Lookups whose ids come from a create call at another path (the spec says so only in prose).
const CREATED_ELSEWHERE: [(&str, &str); 1] = [("GET /remitter/status", "POST /reverse-penny-drop")];

/// How deep a schema is followed when building a value (Cashfree's schemas nest 4 levels at most;
/// the bound stops a recursive schema).
const MAX_DEPTH: usize = 8;

/// The requests file for `doc`; multipart file parts point at `sample_image` or, where the field
/// asks for a PDF, `sample_pdf`.
pub fn sample_requests(doc: &Value, sample_image: &str, sample_pdf: &str) -> Value {
    let keys: Vec<String> = operations_of(doc)
        .map(|(path, method, _)| key(method, path))
        .collect();
    let mut operations = Map::new();
    for (path, method, op) in operations_of(doc) {
        let mut entry = Map::new();
        let (mut path_values, mut query_values) = (Map::new(), Map::new());
        for param in operation_parameters(doc, op, path) {
            let (Some(name), Some(place)) = (param["name"].as_str(), param["in"].as_str()) else {
                continue;
            };
            let schema = resolve(doc, &param["schema"]);
            let value = param
                .get("example")
                .or_else(|| schema.get("example"))
                .cloned()
                .unwrap_or_else(|| sample(doc, schema, 0));
            match place {
                "path" => path_values.insert(name.to_string(), value),
                "query" => query_values.insert(name.to_string(), value),
                _ => None,
            };
        }
        if !path_values.is_empty() {
            entry.insert("path".into(), Value::Object(path_values));
        }
        if !query_values.is_empty() {
            entry.insert("query".into(), Value::Object(query_values));
        }
        let content = resolve(doc, &op["requestBody"])["content"].as_object();
        for (media_type, media) in content.into_iter().flatten() {
            let schema = resolve(doc, &media["schema"]);
            let body =
                documented_body(doc, media, schema).unwrap_or_else(|| sample(doc, schema, 0));
            if media_type.starts_with("multipart/") {
                let (form, files) = multipart_parts(doc, schema, &body, sample_image, sample_pdf);
                entry.insert("form".into(), Value::Object(form));
                entry.insert("files".into(), Value::Object(files));
            } else if media_type.contains("json") {
                entry.insert("body".into(), body);
            }
        }
        let own = key(method, path);
        if let Some(after) = created_by(&own, &keys) {
            entry.insert("after".into(), Value::String(after));
        }
        operations.insert(own, Value::Object(entry));
    }
    json!({"operations": operations, "sample_image": sample_image, "sample_pdf": sample_pdf})
}

/// `"POST /pan"`.
fn key(method: &str, path: &str) -> String {
    format!("{} {path}", method.to_ascii_uppercase())
}

/// The create call a lookup (`GET`) follows: a `POST` at its own path, else at a shorter prefix of
/// it (`GET /pan/{reference_id}` follows `POST /pan`), else the one the spec names in prose.
fn created_by(own: &str, keys: &[String]) -> Option<String> {
    let path = own.strip_prefix("GET ")?;
    if let Some((_, after)) = CREATED_ELSEWHERE.iter().find(|(get, _)| *get == own) {
        return Some(after.to_string());
    }
    let mut prefix = path;
    loop {
        let candidate = format!("POST {prefix}");
        if keys.contains(&candidate) {
            return Some(candidate);
        }
        prefix = &prefix[..prefix.rfind('/').filter(|&i| i > 0)?];
    }
}

/// The first documented example of `media` that has the shape `schema` declares.
fn documented_body(doc: &Value, media: &Value, schema: &Value) -> Option<Value> {
    let mut candidates = media_examples(doc, media);
    if let Some(own) = schema.get("example")
        && !candidates.contains(&own)
    {
        candidates.push(own);
    }
    candidates
        .into_iter()
        .find(|candidate| fits(doc, candidate, schema, 0))
        .cloned()
}

/// Whether `value` has the JSON type `schema` declares, recursively, with every required property
/// present. Schemas built from `allOf`/`oneOf`/`anyOf`, or with no `type`, accept anything here:
/// the sandbox judges those.
pub fn fits(doc: &Value, value: &Value, schema: &Value, depth: usize) -> bool {
    let schema = resolve(doc, schema);
    if depth > MAX_DEPTH || (value.is_null() && schema["nullable"] == true) {
        return true;
    }
    if let Some(options) = schema["enum"].as_array()
        && !options.contains(value)
    {
        return false;
    }
    let declared = schema["type"].as_str().or_else(|| {
        schema
            .get("properties")
            .map(|_| "object")
            .filter(|_| schema.get("allOf").is_none())
    });
    match declared {
        Some("string") => value.is_string(),
        Some("integer") => value.is_i64() || value.is_u64(),
        Some("number") => value.is_number(),
        Some("boolean") => value.is_boolean(),
        Some("array") => value.as_array().is_some_and(|items| {
            items
                .iter()
                .all(|item| fits(doc, item, &schema["items"], depth + 1))
        }),
        Some("object") => value.as_object().is_some_and(|object| {
            cashfree_openapi::required_names(schema).all(|name| object.contains_key(name))
                && object.iter().all(|(name, v)| {
                    schema["properties"]
                        .get(name)
                        .is_none_or(|property| fits(doc, v, property, depth + 1))
                })
        }),
        _ => true,
    }
}

/// A value `schema` accepts: its example where that fits, its first enum value, else one of the
/// declared type (objects with their required properties and those that have examples).
pub fn sample(doc: &Value, schema: &Value, depth: usize) -> Value {
    let schema = resolve(doc, schema);
    if let Some(example) = schema.get("example")
        && fits(doc, example, schema, 0)
    {
        return example.clone();
    }
    if let Some(first) = schema["enum"]
        .as_array()
        .and_then(|options| options.first())
    {
        return first.clone();
    }
    if depth > MAX_DEPTH {
        return Value::Null;
    }
    if let Some(first) = schema["allOf"].as_array().and_then(|parts| parts.first()) {
        return sample(doc, first, depth + 1);
    }
    match schema["type"].as_str() {
        // An example of another kind (Cashfree writes `example: 249749` for strings) as text.
        Some("string") => match schema.get("example") {
            Some(Value::Number(n)) => Value::String(n.to_string()),
            _ => Value::String(match schema["format"].as_str() {
                Some("date") => "2024-01-01".into(),
                Some("date-time") => "2024-01-01T00:00:00Z".into(),
                Some("email") => "john.doe@example.com".into(),
                _ => "sdk-test".into(),
            }),
        },
        Some("integer") | Some("number") => json!(1),
        Some("boolean") => json!(true),
        Some("array") => json!([sample(doc, &schema["items"], depth + 1)]),
        _ => {
            let required: Vec<&str> = cashfree_openapi::required_names(schema).collect();
            let properties = schema["properties"].as_object().into_iter().flatten();
            Value::Object(
                properties
                    .filter(|(name, property)| {
                        required.contains(&name.as_str())
                            || resolve(doc, property).get("example").is_some()
                    })
                    .map(|(name, property)| (name.clone(), sample(doc, property, depth + 1)))
                    .collect(),
            )
        }
    }
}

/// A multipart body split into text fields and file fields (`format: binary`), each file field
/// pointing at a sample file.
fn multipart_parts(
    doc: &Value,
    schema: &Value,
    body: &Value,
    sample_image: &str,
    sample_pdf: &str,
) -> (Map<String, Value>, Map<String, Value>) {
    let (mut form, mut files) = (Map::new(), Map::new());
    let properties = schema["properties"].as_object().into_iter().flatten();
    for (name, property) in properties {
        let property = resolve(doc, property);
        if property["format"] == "binary" {
            let description = property["description"].as_str().unwrap_or_default();
            let file = if description.contains("PDF") {
                sample_pdf
            } else {
                sample_image
            };
            files.insert(name.clone(), Value::String(file.into()));
        } else if let Some(value) = body.get(name) {
            form.insert(name.clone(), value.clone());
        }
    }
    (form, files)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_example_of_the_declared_shape_is_chosen() {
        let doc = json!({});
        let schema = json!({"type": "object", "required": ["id"],
            "properties": {"id": {"type": "string"}}, "example": {"id": "from-schema"}});
        let media = json!({"example": {"id": 31123}, "schema": schema});
        assert_eq!(
            documented_body(&doc, &media, &schema),
            Some(json!({"id": "from-schema"}))
        );
    }

    #[test]
    fn a_body_with_no_example_is_built_from_the_schema() {
        let doc = json!({});
        let schema = json!({"type": "object", "required": ["user", "product"], "properties": {
            "product": {"type": "string", "example": "VKYC"},
            "user": {"type": "object", "required": ["id"],
                     "properties": {"id": {"type": "string", "example": 123456}}},
            "note": {"type": "string"}}});
        assert_eq!(
            sample(&doc, &schema, 0),
            json!({"product": "VKYC", "user": {"id": "123456"}})
        );
    }

    #[test]
    fn a_lookup_follows_the_create_call_at_its_path_or_a_prefix() {
        let keys: Vec<String> = ["POST /pan", "POST /digilocker", "POST /reverse-penny-drop"]
            .map(String::from)
            .into();
        let after = |own: &str| created_by(own, &keys);
        assert_eq!(
            after("GET /pan/{reference_id}").as_deref(),
            Some("POST /pan")
        );
        assert_eq!(
            after("GET /digilocker/document/{document_type}").as_deref(),
            Some("POST /digilocker")
        );
        assert_eq!(
            after("GET /remitter/status").as_deref(),
            Some("POST /reverse-penny-drop")
        );
        assert_eq!(after("GET /upi"), None);
        assert_eq!(after("POST /pan"), None);
    }
}
