//! What is known of a verification that was started: its create's request body and, when it
//! arrived, its answer; a status call takes its ids from them ([`Link`](super::Link)).

use serde::Serialize;
use serde_json::{Map, Value};

use super::{IdSource, Pair};
use crate::wire::Decoded;

/// A verification already started, for a generated `<create>_wait` method.
///
/// ```
/// use cashfree_verification::wait::Started;
/// use serde_json::json;
///
/// // The create's body (any `Serialize`, e.g. the generated request type) and its answer.
/// let started = Started::from_request(&json!({"verification_id": "order-42", "name": "A"}))
///     .with_answer_json(&json!({"reference_id": 1234}));
/// assert_eq!(started.request_value("verification_id"), Some(&json!("order-42")));
/// assert_eq!(started.answer_value("reference_id"), Some(&json!(1234)));
/// ```
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Started {
    request: Map<String, Value>,
    answer: Map<String, Value>,
}

impl Started {
    /// A verification started with `body` (its answer unknown, e.g. lost).
    pub fn from_request(body: &impl Serialize) -> Self {
        let request = match serde_json::to_value(body) {
            Ok(Value::Object(map)) => map,
            _ => Map::new(),
        };
        Started {
            request,
            answer: Map::new(),
        }
    }

    /// The same, with the create's answer.
    #[must_use]
    pub fn with_answer<T>(self, answer: &Decoded<T>) -> Self {
        match serde_json::from_str(answer.raw_json()) {
            Ok(value) => self.with_answer_json(&value),
            Err(_) => self,
        }
    }

    /// The same, with the create's answer as JSON (its top-level fields are kept).
    #[must_use]
    pub fn with_answer_json(mut self, answer: &Value) -> Self {
        if let Some(map) = answer.as_object() {
            self.answer = map.clone();
        }
        self
    }

    /// The request body's property `name`.
    pub fn request_value(&self, name: &str) -> Option<&Value> {
        self.request.get(name).filter(|v| !v.is_null())
    }

    /// The answer's property `name`.
    pub fn answer_value(&self, name: &str) -> Option<&Value> {
        self.answer.get(name).filter(|v| !v.is_null())
    }

    /// The values of `pair`'s status parameters that are known: (setter, value), in the pair's
    /// order.
    pub(crate) fn ids(&self, pair: &Pair) -> Vec<(&'static str, Value)> {
        pair.ids
            .iter()
            .filter_map(|link| {
                let value = match link.from {
                    IdSource::Request(name) => self.request_value(name),
                    IdSource::Response(name) => self.answer_value(name),
                };
                value.map(|v| (link.setter, v.clone()))
            })
            .collect()
    }
}
