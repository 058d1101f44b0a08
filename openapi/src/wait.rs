//! The `x-cashfree-wait` extension of the merged document, read once for everyone: the codegen
//! (which writes it from the reviewed `spec/waits/` and generates the waits from it), the sandbox
//! (which moves asynchronous verifications through their statuses) and the client (which reads a
//! status answer at the entry's field).
//!
//! ```
//! use cashfree_openapi::wait::{IdSource, at_field, waits_of};
//! use serde_json::json;
//!
//! let doc = json!({"paths": {"/bank-account/async": {"post": {
//!     "operationId": "VrsBavAsync",
//!     "x-cashfree-wait": [{"status": "VrsBavGetStatus",
//!         "ids": [{"parameter": "user_id", "request": "user_id"}],
//!         "field": "/entries/*/account_status", "pending": ["RECEIVED"], "terminal": ["VALID"],
//!         "source": "s", "reason": "r"}]}}}});
//! let waits = waits_of(&doc);
//! assert_eq!((waits[0].create.as_str(), waits[0].status.as_str()), ("VrsBavAsync", "VrsBavGetStatus"));
//! assert_eq!(waits[0].ids[0].source, IdSource::Request("user_id".into()));
//!
//! let answer = json!({"entries": [{"account_status": "VALID"}, {"account_status": "RECEIVED"}]});
//! let found = at_field(&answer, &waits[0].field);
//! assert_eq!(found.values, [&json!("VALID"), &json!("RECEIVED")]);
//! assert!(!found.empty_array);
//! ```

use serde_json::Value;

use crate::operations_of;

/// The extension on a create operation: an array, one entry per status operation.
pub const EXTENSION: &str = "x-cashfree-wait";

/// One create-then-poll pair, as the merged document carries it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Wait {
    /// The create's operationId.
    pub create: String,
    /// The status operation's operationId.
    pub status: String,
    /// How the status call names the verification.
    pub ids: Vec<Link>,
    /// JSON pointer to the status in the status operation's answer (`*`: every array element).
    pub field: String,
    /// Values that mean "not finished yet".
    pub pending: Vec<String>,
    /// Values that end the wait.
    pub terminal: Vec<String>,
    /// Error codes, beyond the create's documented 409s, that mean "this caller id was used".
    pub duplicate: Vec<String>,
    /// Where the values come from.
    pub source: String,
}

/// A status parameter and where its value comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    /// The status operation's parameter.
    pub parameter: String,
    /// The create's request or answer property that holds its value.
    pub source: IdSource,
}

/// Where a linking id's value is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IdSource {
    /// A property of the create's request body (the caller's id).
    Request(String),
    /// A property of the create's answer (an id Cashfree issues).
    Response(String),
}

/// Every entry of `doc`, in the document's operation order. An entry without a status operation or
/// a field, or an id without a source, is skipped (the codegen checks the reviewed file before it
/// writes the extension; a reader does not fail on what it cannot use).
pub fn waits_of(doc: &Value) -> Vec<Wait> {
    let mut out = Vec::new();
    for (path, _, op) in operations_of(doc) {
        let create = op
            .get("operationId")
            .and_then(Value::as_str)
            .unwrap_or(path);
        for entry in op
            .get(EXTENSION)
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let text = |key: &str| entry.get(key).and_then(Value::as_str).map(String::from);
            let (Some(status), Some(field)) = (text("status"), text("field")) else {
                continue;
            };
            let ids = entry
                .get("ids")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(|id| {
                    let parameter = id.get("parameter")?.as_str()?.to_string();
                    let source = match (id.get("request"), id.get("response")) {
                        (Some(Value::String(p)), _) => IdSource::Request(p.clone()),
                        (_, Some(Value::String(p))) => IdSource::Response(p.clone()),
                        _ => return None,
                    };
                    Some(Link { parameter, source })
                })
                .collect();
            out.push(Wait {
                create: create.to_string(),
                status,
                ids,
                field,
                pending: texts(entry, "pending"),
                terminal: texts(entry, "terminal"),
                duplicate: texts(entry, "duplicate"),
                source: text("source").unwrap_or_default(),
            });
        }
    }
    out
}

fn texts(entry: &Value, key: &str) -> Vec<String> {
    entry
        .get(key)
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .map(String::from)
        .collect()
}

/// What an answer holds at a wait's field.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct AtField<'a> {
    /// Every value at the field (for `*`, one per array element that has it), in order.
    pub values: Vec<&'a Value>,
    /// A `*` met an empty array (GET /pan/bulk's "File not processed": no entry yet).
    pub empty_array: bool,
}

/// The values of `answer` at `field`, a JSON pointer in which `*` stands for every element of an
/// array (`/entries/*/pan_status`).
pub fn at_field<'a>(answer: &'a Value, field: &str) -> AtField<'a> {
    let mut found = AtField::default();
    walk(answer, &segments(field), &mut found);
    found
}

/// Writes `value` at `field` of `answer` (at every element for `*`), adding the last key where an
/// object lacks it.
///
/// ```
/// use cashfree_openapi::wait::set_at_field;
/// use serde_json::json;
/// let mut bulk = json!({"entries": [{"account_status": "VALID"}, {}]});
/// set_at_field(&mut bulk, "/entries/*/account_status", "RECEIVED");
/// assert_eq!(bulk, json!({"entries": [{"account_status": "RECEIVED"}, {"account_status": "RECEIVED"}]}));
/// ```
pub fn set_at_field(answer: &mut Value, field: &str, value: &str) {
    set(answer, &segments(field), value);
}

/// A JSON pointer's reference tokens, unescaped (`~1` is `/`, `~0` is `~`).
fn segments(pointer: &str) -> Vec<String> {
    pointer
        .split('/')
        .skip(1)
        .map(|s| s.replace("~1", "/").replace("~0", "~"))
        .collect()
}

fn walk<'a>(value: &'a Value, path: &[String], found: &mut AtField<'a>) {
    let Some((first, rest)) = path.split_first() else {
        found.values.push(value);
        return;
    };
    if first == "*" {
        match value.as_array() {
            Some(items) if !items.is_empty() => items.iter().for_each(|v| walk(v, rest, found)),
            Some(_) => found.empty_array = true,
            None => {}
        }
    } else if let Some(next) = value.get(first.as_str()) {
        walk(next, rest, found);
    }
}

fn set(value: &mut Value, path: &[String], status: &str) {
    let Some((first, rest)) = path.split_first() else {
        *value = Value::String(status.to_string());
        return;
    };
    if first == "*" {
        for item in value.as_array_mut().into_iter().flatten() {
            set(item, rest, status);
        }
    } else if let Some(object) = value.as_object_mut() {
        let next = object.entry(first.clone()).or_insert(Value::Null);
        set(next, rest, status);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn entries_without_what_a_reader_needs_are_skipped_and_escapes_are_read() {
        let doc = json!({"paths": {"/a": {"post": {"operationId": "A", EXTENSION: [
            {"field": "/s"},
            {"status": "S", "field": "/a~1b", "ids": [{"parameter": "p"}, {"parameter": "q", "response": "q"}]}]}}}});
        let waits = waits_of(&doc);
        assert_eq!(waits.len(), 1);
        assert_eq!(waits[0].ids.len(), 1, "an id without a source is skipped");
        assert_eq!(
            at_field(&json!({"a/b": "DONE"}), &waits[0].field).values,
            [&json!("DONE")]
        );
        let not_an_array = json!({"entries": {}});
        let absent = at_field(&not_an_array, "/entries/*/s");
        assert!(absent.values.is_empty() && !absent.empty_array);
        let empty = json!({"entries": []});
        assert!(at_field(&empty, "/entries/*/s").empty_array);
    }
}
