//! The body of an event the sandbox sends, from the merged spec's `x-webhooks`: the event's
//! documented sample when it has one, else the sample of an event with the same schema (its
//! `event_type` replaced), else `{}` for `data`; then the ids and fields of the answer that caused
//! it (or the id a test names), where `data` has a field of that name.

use serde_json::{Map, Value, json};

use crate::spec::document;

/// The extension naming the operations after which an event is sent.
pub(crate) const SENT_AFTER: &str = "x-sent-after";

/// The events sent after `operation_id` succeeds.
pub(crate) fn events_after(operation_id: &str) -> Vec<String> {
    events()
        .filter(|(_, post)| {
            post.get(SENT_AFTER)
                .and_then(Value::as_array)
                .is_some_and(|ops| ops.iter().any(|o| o.as_str() == Some(operation_id)))
        })
        .map(|(name, _)| name.clone())
        .collect()
}

fn events() -> impl Iterator<Item = (&'static String, &'static Value)> {
    document()
        .get("x-webhooks")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .filter_map(|(name, item)| Some((name, item.get("post")?)))
}

fn media(post: &Value) -> Option<&Value> {
    post.pointer("/requestBody/content/application~1json")
}

/// The body of `event_type` with `fields` (an answer's, or `{<id name>: <id>}`) laid over `data`;
/// `None` when the spec has no such event.
pub(crate) fn event_body(
    event_type: &str,
    fields: &Map<String, Value>,
    now: &str,
) -> Option<Value> {
    let (_, post) = events().find(|(name, _)| *name == event_type)?;
    let schema = media(post).and_then(|m| m.get("schema"));
    let sample = media(post)
        .and_then(|m| m.get("example"))
        .cloned()
        .or_else(|| {
            events()
                .filter_map(|(_, other)| media(other))
                .find(|m| m.get("schema") == schema && m.get("example").is_some())
                .and_then(|m| m.get("example").cloned())
        });
    let mut body = sample.unwrap_or_else(|| json!({"version": "v1", "data": {}}));
    body["event_type"] = json!(event_type);
    body["event_time"] = json!(now);
    if let Some(obj) = body.as_object_mut() {
        // The current form carries its signature in headers; the older one is added when asked.
        obj.remove("signature");
    }
    if let Some(data) = body.get_mut("data").and_then(Value::as_object_mut) {
        for (k, v) in fields {
            if data.contains_key(k) {
                data.insert(k.clone(), v.clone());
            }
        }
    }
    Some(body)
}
