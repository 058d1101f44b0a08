//! Reading an OpenAPI 3.0 document held as [`serde_json::Value`]: the few walks that both the
//! build-time generator (`cashfree-verification-codegen`) and the offline sandbox
//! (`cashfree-verification-sandbox`) make, written once.
//!
//! [`walk`] is the one walk over a document's objects (following `$ref`s or not); [`keywords`] is
//! the one list of keywords whose values are documentation or data, which the walk and every
//! comparison read.
//!
//! ```
//! use serde_json::json;
//! let doc = json!({
//!     "paths": {"/pets/{id}": {
//!         "parameters": [{"$ref": "#/components/parameters/Id"}],
//!         "get": {"responses": {"404": {"content": {"application/json": {
//!             "schema": {"$ref": "#/components/schemas/Error"}}}}}}
//!     }},
//!     "components": {
//!         "parameters": {"Id": {"name": "id", "in": "path", "required": true}},
//!         "schemas": {"Error": {"type": "object", "required": ["code"],
//!             "example": {"value": {"code": "pet_not_found"}}}}
//!     }
//! });
//! let (path, method, op) = cashfree_openapi::operations_of(&doc).next().unwrap();
//! assert_eq!((path.as_str(), method.as_str()), ("/pets/{id}", "get"));
//! let params = cashfree_openapi::operation_parameters(&doc, op, path);
//! assert_eq!(params[0]["name"], "id");
//! let media = &op["responses"]["404"]["content"]["application/json"];
//! let schema = cashfree_openapi::resolve(&doc, &media["schema"]);
//! assert_eq!(cashfree_openapi::required_names(schema).collect::<Vec<_>>(), ["code"]);
//! // The schema's own example, without the `value:` wrapper Cashfree's documents put around it.
//! assert_eq!(cashfree_openapi::media_examples(&doc, media)[0]["code"], "pet_not_found");
//! ```

#![forbid(unsafe_code)]

pub mod keywords;
pub mod wait;
pub mod walk;

use serde_json::{Map, Value};

/// HTTP methods an OpenAPI path item may hold.
pub const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// Follows local `$ref`s (`#/...`) from `v` until a node that is not a reference, or one that does
/// not resolve (returned as it is). Bounded, so a reference cycle cannot loop forever.
pub fn resolve<'a>(doc: &'a Value, v: &'a Value) -> &'a Value {
    let mut v = v;
    for _ in 0..16 {
        match v
            .get("$ref")
            .and_then(Value::as_str)
            .and_then(|r| r.strip_prefix('#'))
            .and_then(|p| doc.pointer(p))
        {
            Some(target) => v = target,
            None => break,
        }
    }
    v
}

/// `key` escaped for a JSON pointer (`~` as `~0`, `/` as `~1`).
pub fn escape_pointer(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

/// The operation object at `path` and HTTP `method` (any case) of `doc`, or `null` when the document
/// has none.
///
/// ```
/// let doc = serde_json::json!({"paths": {"/pan/{id}": {"get": {"operationId": "X"}}}});
/// assert_eq!(cashfree_openapi::operation_at(&doc, "/pan/{id}", "GET")["operationId"], "X");
/// assert!(cashfree_openapi::operation_at(&doc, "/pan", "GET").is_null());
/// ```
pub fn operation_at<'a>(doc: &'a Value, path: &str, method: &str) -> &'a Value {
    doc.pointer(&format!(
        "/paths/{}/{}",
        escape_pointer(path),
        method.to_ascii_lowercase()
    ))
    .unwrap_or(&Value::Null)
}

/// Every operation of `doc`: (path, method, operation object), in document order. Path-item keys
/// that are not HTTP methods (`parameters`, `summary`, ...) are skipped.
pub fn operations_of(doc: &Value) -> impl Iterator<Item = (&String, &String, &Value)> {
    doc.get("paths")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .flat_map(|(path, item)| {
            item.as_object()
                .into_iter()
                .flatten()
                .filter(|(method, _)| METHODS.contains(&method.as_str()))
                .map(move |(method, op)| (path, method, op))
        })
}

/// The parameters of the operation `op` at `path`, its own first, then the path item's, resolved.
pub fn operation_parameters<'a>(doc: &'a Value, op: &'a Value, path: &str) -> Vec<&'a Value> {
    let path_level = doc
        .pointer(&format!("/paths/{}/parameters", escape_pointer(path)))
        .and_then(Value::as_array);
    op.get("parameters")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .chain(path_level.into_iter().flatten())
        .map(|p| resolve(doc, p))
        .collect()
}

/// The responses of an operation that are not successes: (status, response as written, maybe a
/// `$ref`), for every status key that does not start with `2` (`4XX` and `default` included).
pub fn error_responses(op: &Value) -> impl Iterator<Item = (&String, &Value)> {
    op.get("responses")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .filter(|(status, _)| !status.starts_with('2'))
}

/// Every example of every media type of the operation's non-2xx responses, with the response's
/// status, in document order ([`error_responses`], then [`media_examples`]): where Cashfree documents
/// its error codes.
pub fn error_examples<'a>(doc: &'a Value, op: &'a Value) -> Vec<(&'a String, &'a Value)> {
    let mut examples = Vec::new();
    for (status, response) in error_responses(op) {
        for media in resolve(doc, response)
            .get("content")
            .and_then(Value::as_object)
            .into_iter()
            .flat_map(|content| content.values())
        {
            examples.extend(media_examples(doc, media).into_iter().map(|e| (status, e)));
        }
    }
    examples
}

/// The alternatives of an operation's security requirements, each the object naming the schemes
/// that must all be sent (entries that are not objects are skipped).
pub fn security_alternatives(op: &Value) -> impl Iterator<Item = &Map<String, Value>> {
    op.get("security")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_object)
}

/// The media type of a request body sent in parts.
pub const MULTIPART: &str = "multipart/form-data";

/// Whether `op`'s request body (through a `$ref`) declares [`MULTIPART`]: the generator sends such a
/// body in parts and the sandbox parses it so, both by this reading.
///
/// ```
/// use serde_json::json;
/// let doc = json!({});
/// let op = json!({"requestBody": {"content": {"multipart/form-data": {}}}});
/// assert!(cashfree_openapi::is_multipart(&doc, &op));
/// assert!(!cashfree_openapi::is_multipart(&doc, &json!({"requestBody": {"content": {"application/json": {}}}})));
/// ```
pub fn is_multipart(doc: &Value, op: &Value) -> bool {
    op.get("requestBody")
        .map(|b| resolve(doc, b))
        .and_then(|b| b.get("content"))
        .and_then(Value::as_object)
        .is_some_and(|content| content.contains_key(MULTIPART))
}

/// The names an object schema lists in `required` (strings only, in order).
pub fn required_names(schema: &Value) -> impl Iterator<Item = &str> {
    schema
        .get("required")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
}

/// The example values of a media type object, in document order: `example`, then each of
/// `examples` (its `value`, through `$ref`s). Failing both, the schema's own `example`; when that
/// is an object whose one key is `value` holding an object, the inner object (Cashfree's documents
/// wrap schema-level examples in a stray `value:`).
pub fn media_examples<'a>(doc: &'a Value, media: &'a Value) -> Vec<&'a Value> {
    let mut values: Vec<&Value> = media.get("example").into_iter().collect();
    values.extend(
        media
            .get("examples")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
            .filter_map(|(_, e)| resolve(doc, e).get("value")),
    );
    if values.is_empty()
        && let Some(e) = media
            .get("schema")
            .map(|s| resolve(doc, s))
            .and_then(|s| s.get("example"))
    {
        values.push(match e.as_object() {
            Some(o) if o.len() == 1 && o.get("value").is_some_and(Value::is_object) => &o["value"],
            _ => e,
        });
    }
    values
}

/// [`media_examples`] with each example's name: `example` for the media type's own `example`, the
/// key of each of `examples`, `schema example` for the schema's.
pub fn named_media_examples<'a>(doc: &'a Value, media: &'a Value) -> Vec<(String, &'a Value)> {
    let mut names: Vec<String> = Vec::new();
    if media.get("example").is_some() {
        names.push("example".into());
    }
    names.extend(
        media
            .get("examples")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
            .filter(|(_, e)| resolve(doc, e).get("value").is_some())
            .map(|(name, _)| name.clone()),
    );
    media_examples(doc, media)
        .into_iter()
        .enumerate()
        .map(|(i, e)| {
            let name = names
                .get(i)
                .cloned()
                .unwrap_or_else(|| "schema example".into());
            (name, e)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_reference_cycle_stops() {
        let doc = json!({"a": {"$ref": "#/b"}, "b": {"$ref": "#/a"}});
        let v = resolve(&doc, &doc["a"]);
        assert!(v.get("$ref").is_some());
    }

    #[test]
    fn a_dangling_reference_is_returned_as_it_is() {
        let doc = json!({"a": {"$ref": "#/missing"}});
        assert_eq!(resolve(&doc, &doc["a"]), &json!({"$ref": "#/missing"}));
    }

    #[test]
    fn path_item_keys_that_are_not_methods_are_skipped() {
        let doc =
            json!({"paths": {"/a": {"summary": "s", "parameters": [], "post": {}, "x-y": {}}}});
        let methods: Vec<_> = operations_of(&doc).map(|(_, m, _)| m.as_str()).collect();
        assert_eq!(methods, ["post"]);
    }

    #[test]
    fn named_examples_carry_their_names_in_document_order() {
        let doc = json!({"components": {"examples": {"E": {"value": {"code": "b"}}}}});
        let media = json!({
            "example": {"code": "a"},
            "examples": {"x": {"$ref": "#/components/examples/E"}, "y": {"summary": "no value"}}
        });
        let named: Vec<(String, Value)> = named_media_examples(&doc, &media)
            .into_iter()
            .map(|(n, v)| (n, v.clone()))
            .collect();
        assert_eq!(
            named,
            [
                ("example".to_string(), json!({"code": "a"})),
                ("x".to_string(), json!({"code": "b"}))
            ]
        );
        let only_schema = json!({"schema": {"example": {"value": {"code": "c"}}}});
        assert_eq!(
            named_media_examples(&doc, &only_schema)[0],
            ("schema example".to_string(), &json!({"code": "c"}))
        );
    }

    #[test]
    fn media_examples_keep_document_order_and_only_fall_back_to_the_schema() {
        let doc = json!({"components": {"examples": {"E": {"value": {"code": "b"}}}}});
        let media = json!({
            "example": {"code": "a"},
            "examples": {"x": {"$ref": "#/components/examples/E"}, "y": {"summary": "no value"}},
            "schema": {"example": {"code": "never"}}
        });
        let codes: Vec<_> = media_examples(&doc, &media)
            .iter()
            .map(|v| v["code"].clone())
            .collect();
        assert_eq!(codes, [json!("a"), json!("b")]);
        // A `value` key beside others is data, not a wrapper.
        let media = json!({"schema": {"example": {"value": {"a": 1}, "code": "c"}}});
        assert_eq!(media_examples(&doc, &media)[0]["code"], "c");
    }

    #[test]
    fn error_responses_are_every_status_but_2xx() {
        let op = json!({"responses": {"200": {}, "201": {}, "400": {}, "4XX": {}, "default": {}}});
        let statuses: Vec<_> = error_responses(&op).map(|(s, _)| s.as_str()).collect();
        assert_eq!(statuses, ["400", "4XX", "default"]);
    }

    #[test]
    fn error_examples_carry_their_status_through_refs() {
        let doc = json!({"components": {"responses": {"Bad": {"content": {
            "application/json": {"example": {"code": "bad"}},
            "text/plain": {"examples": {"t": {"value": {"code": "bad_text"}}}}
        }}}}});
        let op = json!({"responses": {
            "200": {"content": {"application/json": {"example": {"code": "not_an_error"}}}},
            "400": {"$ref": "#/components/responses/Bad"},
            "500": {"description": "no content"}
        }});
        let found: Vec<_> = error_examples(&doc, &op)
            .into_iter()
            .map(|(status, e)| (status.as_str(), e["code"].clone()))
            .collect();
        assert_eq!(found, [("400", json!("bad")), ("400", json!("bad_text"))]);
    }

    #[test]
    fn security_alternatives_are_the_requirement_objects() {
        let op = json!({"security": [{"A": [], "B": []}, "junk", {}]});
        let alternatives: Vec<Vec<&String>> = security_alternatives(&op)
            .map(|alt| alt.keys().collect())
            .collect();
        assert_eq!(alternatives, [vec!["A", "B"], vec![]]);
        assert_eq!(security_alternatives(&json!({})).count(), 0);
    }

    #[test]
    fn required_names_skip_what_is_not_a_string() {
        let schema = json!({"required": ["a", 1, "b"]});
        assert_eq!(required_names(&schema).collect::<Vec<_>>(), ["a", "b"]);
        assert_eq!(required_names(&json!({})).count(), 0);
    }
}
