//! Webhook events seen as operations, so that the breaking-change report compares them with the
//! same rules: an event is an operation `POST webhook <EVENT>` whose 200 answer is the body Cashfree
//! sends. A removed event is `api-operation-removed` (its enum variant is gone), a removed or
//! retyped data field `response-property-removed` / `-type-changed`, and so on.

use serde_json::{Value, json};

use super::WEBHOOKS;

/// The path an event is shown under in the report.
pub fn event_path(name: &str) -> String {
    format!("webhook {name}")
}

/// `doc` with each webhook event added to `paths` as an operation (see the module docs).
pub fn with_events_as_operations(doc: &Value) -> Value {
    let mut out = doc.clone();
    let Some(events) = doc.get(WEBHOOKS).and_then(Value::as_object) else {
        return out;
    };
    let Some(paths) = out
        .as_object_mut()
        .map(|o| o.entry("paths").or_insert_with(|| json!({})))
        .and_then(Value::as_object_mut)
    else {
        return out;
    };
    for (name, item) in events {
        let Some(post) = item.get("post") else {
            continue;
        };
        let mut op = post.clone();
        let body = op
            .as_object_mut()
            .and_then(|o| o.remove("requestBody"))
            .and_then(|b| b.get("content").cloned())
            .unwrap_or_else(|| json!({}));
        op["operationId"] = json!(name);
        op["responses"] =
            json!({"200": {"description": "the body Cashfree sends", "content": body}});
        paths.insert(event_path(name), json!({"post": op}));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_event_becomes_an_operation_answering_its_body() {
        let doc = json!({"paths": {}, WEBHOOKS: {"A_DONE": {"post": {"tags": ["X"],
            "requestBody": {"content": {"application/json": {"schema": {"type": "object"}}}}}}}});
        let ops = with_events_as_operations(&doc);
        let op = &ops["paths"]["webhook A_DONE"]["post"];
        assert_eq!(op["operationId"], "A_DONE");
        assert_eq!(
            op["responses"]["200"]["content"]["application/json"]["schema"]["type"],
            "object"
        );
        assert!(op.get("requestBody").is_none());
    }
}
