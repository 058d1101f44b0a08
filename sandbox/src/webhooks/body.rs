//! The body of an event the sandbox sends, from the merged spec's `x-webhooks`.
//!
//! Where the event has a documented sample (Cashfree's, verbatim), the body is that sample: its
//! `event_type` spelling, `version` and every `data` value as documented, with only two changes,
//! the ids that link it to the create call (or to the id a test names) and `event_time`, which is
//! now in the sample's own format. Where Cashfree documents no sample (`x-no-sample`), nothing is
//! made up: the body is the envelope with `data` holding the linking ids only, those the event's
//! data schema has.

use cashfree_openapi::resolve;
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

/// Whether a field names an id that links an event to its verification (`reference_id`,
/// `verification_id`, `ref_id`, `user_id`, ...): the only fields the sandbox sets in a sample.
pub(crate) fn is_id(key: &str) -> bool {
    key == "id" || key.ends_with("_id")
}

fn events() -> impl Iterator<Item = (&'static String, &'static Value)> {
    document()
        .get("x-webhooks")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .filter_map(|(name, item)| Some((name, item.get("post")?)))
}

fn post_of(event_type: &str) -> Option<&'static Value> {
    events()
        .find(|(name, _)| *name == event_type)
        .map(|(_, post)| post)
}

fn media(post: &Value) -> Option<&Value> {
    post.pointer("/requestBody/content/application~1json")
}

/// The documented sample of `event_type`, if Cashfree documents one.
pub(crate) fn sample(event_type: &str) -> Option<&'static Value> {
    media(post_of(event_type)?)?.get("example")
}

/// The id properties of `event_type`'s data schema, each with its schema's `type`.
pub(crate) fn id_properties(event_type: &str) -> Vec<(String, Option<String>)> {
    let doc = document();
    let Some(envelope) = post_of(event_type)
        .and_then(media)
        .and_then(|m| m.get("schema"))
    else {
        return Vec::new();
    };
    let data = resolve(
        doc,
        resolve(doc, envelope)
            .pointer("/properties/data")
            .unwrap_or(&Value::Null),
    );
    data.get("properties")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .filter(|(k, _)| is_id(k))
        .map(|(k, p)| {
            let ty = resolve(doc, p).get("type").and_then(Value::as_str);
            (k.clone(), ty.map(str::to_string))
        })
        .collect()
}

/// The body of `event_type` with `ids` (an answer's and request's id fields, or `{<id name>:
/// <id>}`) set where `data` has them, `event_time` at `now_ms` (epoch milliseconds); `None` when
/// the spec has no such event.
pub(crate) fn event_body(
    event_type: &str,
    ids: &Map<String, Value>,
    now_ms: u128,
) -> Option<Value> {
    post_of(event_type)?;
    let mut body = match sample(event_type) {
        Some(sample) => {
            let mut body = sample.clone();
            let format = body["event_time"].as_str().map(TimeFormat::of);
            body["event_time"] = json!(format.unwrap_or(TimeFormat::Rfc3339).format(now_ms));
            if let Some(obj) = body.as_object_mut() {
                // The current form carries its signature in headers; the older one is added when asked.
                obj.remove("signature");
            }
            body
        }
        None => {
            let data: Map<String, Value> = id_properties(event_type)
                .into_iter()
                .filter_map(|(k, _)| Some((k.clone(), ids.get(&k)?.clone())))
                .collect();
            json!({
                "event_type": event_type,
                "event_time": TimeFormat::Rfc3339.format(now_ms),
                "version": "v1",
                "data": data,
            })
        }
    };
    if let Some(data) = body.get_mut("data").and_then(Value::as_object_mut) {
        for (k, v) in ids.iter().filter(|(k, _)| is_id(k)) {
            if data.contains_key(k) {
                data.insert(k.clone(), v.clone());
            }
        }
    }
    Some(body)
}

/// The two `event_time` formats Cashfree's samples use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum TimeFormat {
    /// `2025-05-22T03:51:14Z`.
    Rfc3339,
    /// `2023-07-19 10:46:16` (no zone; the sandbox writes UTC).
    Unzoned,
}

impl TimeFormat {
    fn of(sample: &str) -> TimeFormat {
        if sample.contains('T') {
            TimeFormat::Rfc3339
        } else {
            TimeFormat::Unzoned
        }
    }

    fn format(self, now_ms: u128) -> String {
        let secs = i64::try_from(now_ms / 1000).unwrap_or_default();
        let Ok(t) = time::OffsetDateTime::from_unix_timestamp(secs) else {
            return String::new();
        };
        let (date, time) = (
            format!("{:04}-{:02}-{:02}", t.year(), u8::from(t.month()), t.day()),
            format!("{:02}:{:02}:{:02}", t.hour(), t.minute(), t.second()),
        );
        match self {
            TimeFormat::Rfc3339 => format!("{date}T{time}Z"),
            TimeFormat::Unzoned => format!("{date} {time}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: u128 = 1_746_427_759_733;

    fn ids(pairs: &[(&str, Value)]) -> Map<String, Value> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.clone()))
            .collect()
    }

    #[test]
    fn a_documented_event_is_its_sample_with_only_the_ids_and_time_changed() {
        let Some(sample) = sample("BANK_ACCOUNT_VERIFICATION_SUCCESS") else {
            return;
        };
        // What the create answered (pending) must not leak into the event's documented values.
        let fields = ids(&[
            ("reference_id", json!(77)),
            ("user_id", json!("u-1")),
            ("account_status", json!("RECEIVED")),
        ]);
        let body = event_body("BANK_ACCOUNT_VERIFICATION_SUCCESS", &fields, NOW).unwrap();
        assert_eq!(body["data"]["reference_id"], 77);
        assert_eq!(body["data"]["user_id"], "u-1");
        assert_eq!(
            body["data"]["account_status"],
            sample["data"]["account_status"]
        );
        assert_eq!(
            body["event_time"], "2025-05-05 06:49:19",
            "the sample's format"
        );
        assert!(body.get("signature").is_none());
        let mut expected = sample.clone();
        expected.as_object_mut().unwrap().remove("signature");
        for (k, v) in expected["data"].as_object().unwrap() {
            if !is_id(k) {
                assert_eq!(&body["data"][k], v, "{k}");
            }
        }
        assert_eq!(body["version"], expected["version"]);
    }

    #[test]
    fn a_sample_keeps_its_documented_event_type_spelling() {
        let Some(sample) = sample("E_SIGN_VERIFICATION_SUCCESS") else {
            return;
        };
        let body = event_body("E_SIGN_VERIFICATION_SUCCESS", &Map::new(), NOW).unwrap();
        assert_eq!(body["event_type"], sample["event_type"]);
        assert_eq!(body["event_type"], "ESIGN_VERIFICATION_SUCCESS");
    }

    #[test]
    fn an_event_without_a_sample_sends_the_linking_ids_only() {
        if post_of("DIGILOCKER_VERIFICATION_SUCCESS").is_none()
            || sample("DIGILOCKER_VERIFICATION_SUCCESS").is_some()
        {
            return;
        }
        let fields = ids(&[
            ("verification_id", json!("v-9")),
            ("reference_id", json!(9)),
            ("status", json!("PENDING")),
            ("url", json!("https://x")),
        ]);
        let body = event_body("DIGILOCKER_VERIFICATION_SUCCESS", &fields, NOW).unwrap();
        assert_eq!(
            body,
            json!({"event_type": "DIGILOCKER_VERIFICATION_SUCCESS",
                "event_time": "2025-05-05T06:49:19Z", "version": "v1",
                "data": {"verification_id": "v-9", "reference_id": 9}})
        );
    }

    #[test]
    fn an_unknown_event_has_no_body() {
        assert!(event_body("NOT_AN_EVENT", &Map::new(), NOW).is_none());
    }
}
