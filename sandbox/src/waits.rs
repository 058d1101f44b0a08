//! Which status operation answers for which create: the `x-cashfree-wait` entries of the merged
//! document (copied there by the codegen from the reviewed `spec/waits/long-running.yaml`), and
//! how to read and write the status field they name in an answer.
//!
//! Each create operation may carry an array of entries (POST /otpless has two status operations):
//!
//! ```json
//! "x-cashfree-wait": [{"status": "VrsBavGetStatus",
//!    "ids": [{"parameter": "user_id", "request": "user_id"},
//!            {"parameter": "reference_id", "response": "reference_id"}],
//!    "field": "/account_status", "pending": ["RECEIVED"], "terminal": ["VALID"]}]
//! ```
//!
//! `field` is a JSON pointer in which `*` stands for every element of an array
//! (`/entries/*/pan_status`). Nothing here is written per operation: every entry is read from the
//! document.

use std::sync::OnceLock;

use cashfree_openapi::operations_of;
use serde_json::Value;

/// The extension a create operation carries.
pub(crate) const EXTENSION: &str = "x-cashfree-wait";

/// One create-then-poll pair.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Wait {
    /// The create's operationId.
    pub create: String,
    /// The status operation's operationId.
    pub status: String,
    /// How the status call names the verification.
    pub ids: Vec<LinkId>,
    /// JSON pointer to the status in the status operation's answer (`*`: every array element).
    pub field: String,
    /// Values that mean "not finished yet".
    pub pending: Vec<String>,
    /// Error codes, beyond the create's documented 409s, that mean "this caller id was used".
    pub duplicate: Vec<String>,
}

/// A status parameter and where its value comes from.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct LinkId {
    /// The status operation's parameter.
    pub parameter: String,
    /// The create's request or response property holding its value.
    pub source: Source,
}

/// Where a linking id's value is.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Source {
    /// A property of the create's request body (the caller's id).
    Request(String),
    /// A property of the create's answer (an id Cashfree issues).
    Response(String),
}

/// Every entry of the merged document the crate was built from, read once.
pub(crate) fn merged() -> &'static [Wait] {
    static WAITS: OnceLock<Vec<Wait>> = OnceLock::new();
    WAITS.get_or_init(|| of(super::spec::document()))
}

/// Every `x-cashfree-wait` entry of `doc`, in the document's operation order. Entries without a
/// status operation or a field are skipped (the codegen checks the file; the sandbox does not
/// fail on what it cannot use).
pub(crate) fn of(doc: &Value) -> Vec<Wait> {
    let texts = |entry: &Value, key: &str| -> Vec<String> {
        entry
            .get(key)
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .map(String::from)
            .collect()
    };
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
            let (Some(status), Some(field)) = (
                entry.get("status").and_then(Value::as_str),
                entry.get("field").and_then(Value::as_str),
            ) else {
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
                        (Some(Value::String(p)), _) => Source::Request(p.clone()),
                        (_, Some(Value::String(p))) => Source::Response(p.clone()),
                        _ => return None,
                    };
                    Some(LinkId { parameter, source })
                })
                .collect();
            out.push(Wait {
                create: create.to_string(),
                status: status.to_string(),
                ids,
                field: field.to_string(),
                pending: texts(entry, "pending"),
                duplicate: texts(entry, "duplicate"),
            });
        }
    }
    out
}

impl Wait {
    /// Whether `body` says the verification is not finished: a pending value at the field, or,
    /// for a field under `*`, an empty array (GET /pan/bulk's "File not processed": no entry yet).
    pub fn is_pending(&self, body: &Value) -> bool {
        let mut values = Vec::new();
        let mut empty = false;
        walk(
            body,
            &segments(&self.field),
            &mut |v| values.push(v),
            &mut empty,
        );
        empty
            || values.iter().any(|v| {
                v.as_str()
                    .is_some_and(|s| self.pending.iter().any(|p| p == s))
            })
    }

    /// Writes `value` at the field of `body` (at every element for `*`), adding the last key
    /// where an object lacks it.
    pub fn set_status(&self, body: &mut Value, value: &str) {
        set(body, &segments(&self.field), value);
    }

    /// The linking id `id` of a create: its value in the request's values or in the answer.
    pub fn id_value<'a>(id: &LinkId, request: &'a Value, answer: &'a Value) -> Option<&'a Value> {
        match &id.source {
            Source::Request(p) => request.get(p),
            Source::Response(p) => answer.get(p),
        }
        .filter(|v| !v.is_null())
    }
}

/// A JSON pointer's reference tokens, unescaped (`~1` is `/`, `~0` is `~`).
fn segments(pointer: &str) -> Vec<String> {
    pointer
        .split('/')
        .skip(1)
        .map(|s| s.replace("~1", "/").replace("~0", "~"))
        .collect()
}

/// Calls `found` with every value at `path`; sets `empty` when a `*` meets an empty array.
fn walk<'a>(value: &'a Value, path: &[String], found: &mut dyn FnMut(&'a Value), empty: &mut bool) {
    let Some((first, rest)) = path.split_first() else {
        found(value);
        return;
    };
    if first == "*" {
        match value.as_array() {
            Some(items) if !items.is_empty() => {
                items.iter().for_each(|v| walk(v, rest, found, empty))
            }
            Some(_) => *empty = true,
            None => {}
        }
    } else if let Some(next) = value.get(first.as_str()) {
        walk(next, rest, found, empty);
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

    fn wait(field: &str, pending: &[&str]) -> Wait {
        Wait {
            create: "Create".into(),
            status: "Status".into(),
            ids: vec![],
            field: field.into(),
            pending: pending.iter().map(|s| s.to_string()).collect(),
            duplicate: vec![],
        }
    }

    #[test]
    fn entries_are_read_from_the_document() {
        let doc = json!({"paths": {"/bank-account/async": {"post": {
            "operationId": "VrsBavAsync",
            "x-cashfree-wait": [{"status": "VrsBavGetStatus",
                "ids": [{"parameter": "user_id", "request": "user_id"},
                        {"parameter": "reference_id", "response": "reference_id"}],
                "field": "/account_status", "pending": ["RECEIVED"], "terminal": ["VALID"],
                "source": "s", "reason": "r"}]}}}});
        let waits = of(&doc);
        assert_eq!(waits.len(), 1);
        assert_eq!(waits[0].create, "VrsBavAsync");
        assert_eq!(waits[0].status, "VrsBavGetStatus");
        assert_eq!(
            waits[0].ids,
            [
                LinkId {
                    parameter: "user_id".into(),
                    source: Source::Request("user_id".into())
                },
                LinkId {
                    parameter: "reference_id".into(),
                    source: Source::Response("reference_id".into())
                }
            ]
        );
        assert_eq!(waits[0].pending, ["RECEIVED"]);
        assert_eq!(waits[0].duplicate, Vec::<String>::new());
    }

    #[test]
    fn a_status_is_pending_by_value_or_by_an_empty_bulk() {
        let single = wait("/account_status", &["RECEIVED"]);
        assert!(single.is_pending(&json!({"account_status": "RECEIVED"})));
        assert!(!single.is_pending(&json!({"account_status": "VALID"})));
        assert!(!single.is_pending(&json!({})));
        let bulk = wait("/entries/*/pan_status", &[]);
        assert!(bulk.is_pending(&json!({"entries": []})));
        assert!(!bulk.is_pending(&json!({"message": "no entries at all"})));
        assert!(!bulk.is_pending(&json!({"entries": [{"pan_status": "VALID"}]})));
        let bav = wait("/entries/*/account_status", &["RECEIVED"]);
        assert!(bav.is_pending(
            &json!({"entries": [{"account_status": "VALID"}, {"account_status": "RECEIVED"}]})
        ));
    }

    #[test]
    fn the_status_is_written_at_its_field_and_under_every_element() {
        let mut body = json!({"account_status": "VALID", "name": "x"});
        wait("/account_status", &[]).set_status(&mut body, "RECEIVED");
        assert_eq!(body, json!({"account_status": "RECEIVED", "name": "x"}));
        let mut bulk = json!({"entries": [{"account_status": "VALID"}, {}]});
        wait("/entries/*/account_status", &[]).set_status(&mut bulk, "RECEIVED");
        assert_eq!(
            bulk,
            json!({"entries": [{"account_status": "RECEIVED"}, {"account_status": "RECEIVED"}]})
        );
    }
}
