//! Which status operation answers for which create: the `x-cashfree-wait` entries of the merged
//! document (copied there by the codegen from the reviewed `spec/waits/`, read by
//! [`cashfree_openapi::wait`]), and what the sandbox asks of them: is an answer still pending,
//! write a status, find a linking id's value.
//!
//! `field` is a JSON pointer in which `*` stands for every element of an array
//! (`/entries/*/pan_status`). Nothing here is written per operation: every entry is read from the
//! document.

use std::sync::OnceLock;

use cashfree_openapi::wait::{IdSource, Link, at_field, set_at_field, waits_of};
use serde_json::Value;

pub(crate) use cashfree_openapi::wait::Wait;

/// Every entry of the merged document the crate was built from, read once.
pub(crate) fn merged() -> &'static [Wait] {
    static WAITS: OnceLock<Vec<Wait>> = OnceLock::new();
    WAITS.get_or_init(|| waits_of(super::spec::document()))
}

/// What the sandbox asks of a wait.
pub(crate) trait Status {
    /// Whether `body` says the verification is not finished: a pending value at the field, or, for
    /// a field under `*`, an empty array (GET /pan/bulk's "File not processed": no entry yet).
    fn is_pending(&self, body: &Value) -> bool;

    /// Writes `value` at the field of `body` (at every element for `*`).
    fn set_status(&self, body: &mut Value, value: &str);
}

impl Status for Wait {
    fn is_pending(&self, body: &Value) -> bool {
        let found = at_field(body, &self.field);
        found.empty_array
            || found.values.iter().any(|v| {
                v.as_str()
                    .is_some_and(|s| self.pending.iter().any(|p| p == s))
            })
    }

    fn set_status(&self, body: &mut Value, value: &str) {
        set_at_field(body, &self.field, value);
    }
}

/// The linking id `id` of a create: its value in the request's values or in the answer.
pub(crate) fn id_value<'a>(id: &Link, request: &'a Value, answer: &'a Value) -> Option<&'a Value> {
    match &id.source {
        IdSource::Request(p) => request.get(p),
        IdSource::Response(p) => answer.get(p),
    }
    .filter(|v| !v.is_null())
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
            terminal: vec![],
            duplicate: vec![],
            source: String::new(),
        }
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
    fn the_status_is_written_at_its_field_and_an_id_read_from_request_or_answer() {
        let mut body = json!({"account_status": "VALID", "name": "x"});
        wait("/account_status", &[]).set_status(&mut body, "RECEIVED");
        assert_eq!(body, json!({"account_status": "RECEIVED", "name": "x"}));
        let link = |source| Link {
            parameter: "p".into(),
            source,
        };
        let (request, answer) = (json!({"user_id": "u"}), json!({"reference_id": null}));
        assert_eq!(
            id_value(
                &link(IdSource::Request("user_id".into())),
                &request,
                &answer
            ),
            Some(&json!("u"))
        );
        assert_eq!(
            id_value(
                &link(IdSource::Response("reference_id".into())),
                &request,
                &answer
            ),
            None,
            "a null id is no id"
        );
    }
}
