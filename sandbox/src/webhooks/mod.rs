//! The sandbox sends webhooks as Cashfree does: to the URL given by
//! [`SandboxBuilder::webhook_url`](crate::SandboxBuilder::webhook_url) (or `--webhook-url`), after
//! each operation a spec event names in its `x-sent-after` (the create calls of BAV V2 async and
//! bulk, reverse penny drop, DigiLocker, e-sign, KYC links, Account Aggregator), signed with the
//! Verification app's client secret, retried with backoff on a non-2xx answer within
//! [`WebhookSettings::max_attempts`]. A test can also send a named event for an id, in the older
//! form, tampered ([`Tamper`]) or replayed ([`Sandbox::replay_webhook`](crate::Sandbox::replay_webhook)).

mod body;
mod deliver;

use std::fmt;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use secrecy::SecretString;
use serde_json::{Map, Value};

pub(crate) use body::event_body;
pub(crate) use deliver::{replay, send};

/// How many deliveries [`Sandbox::webhook_deliveries`](crate::Sandbox::webhook_deliveries) keeps
/// (and no more than fit in [`MAX_LOGGED_BYTES`](crate::MAX_LOGGED_BYTES)).
pub const MAX_LOGGED_DELIVERIES: usize = 1000;

/// Where and how the sandbox sends webhooks.
#[derive(Clone)]
pub struct WebhookSettings {
    pub(crate) url: url::Url,
    pub(crate) secret: SecretString,
    /// Attempts per delivery, the first included. Default 3.
    pub max_attempts: u32,
    /// The wait before the second attempt, doubling after each. Default 100 ms.
    pub first_delay: Duration,
    /// The longest wait between attempts. Default 2 s.
    pub max_delay: Duration,
    /// Each attempt's timeout. Default 5 s.
    pub timeout: Duration,
    /// Send in the older form (body `signature`, no headers). Default: the current form.
    pub older_form: bool,
    pub(crate) log: Arc<Mutex<Vec<DeliveryReport>>>,
}

impl WebhookSettings {
    pub(crate) fn new(url: url::Url, secret: SecretString) -> Self {
        WebhookSettings {
            url,
            secret,
            max_attempts: 3,
            first_delay: Duration::from_millis(100),
            max_delay: Duration::from_secs(2),
            timeout: Duration::from_secs(5),
            older_form: false,
            log: Arc::default(),
        }
    }

    /// Logs `report`, then drops the oldest until at most [`MAX_LOGGED_DELIVERIES`] holding at
    /// most [`MAX_LOGGED_BYTES`](crate::MAX_LOGGED_BYTES) remain (a body echoes the answer's ids,
    /// which may be large).
    pub(crate) fn record(&self, report: DeliveryReport) {
        let mut log = self.log.lock().unwrap_or_else(|e| e.into_inner());
        log.push(report);
        let mut total: usize = log.iter().map(DeliveryReport::footprint).sum();
        let mut dropped = 0;
        while log.len() - dropped > MAX_LOGGED_DELIVERIES
            || (total > crate::MAX_LOGGED_BYTES && log.len() - dropped > 1)
        {
            total -= log[dropped].footprint();
            dropped += 1;
        }
        log.drain(..dropped);
    }
}

impl fmt::Debug for WebhookSettings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WebhookSettings")
            .field("url", &self.url.as_str())
            .field("secret", &"<redacted>")
            .field("max_attempts", &self.max_attempts)
            .field("older_form", &self.older_form)
            .finish()
    }
}

/// A change to a delivery, to test that a receiver refuses it.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Tamper {
    /// Sent as made.
    None,
    /// Signed with this secret instead of the client secret.
    WrongSecret(String),
    /// Sent with this `x-webhook-timestamp` (epoch ms), signed over it: e.g. 10 minutes ago.
    Timestamp(u128),
    /// One byte of the body changed after signing.
    EditedBody,
}

/// An event for the sandbox to send ([`Sandbox::send_webhook`](crate::Sandbox::send_webhook)).
#[derive(Debug, Clone)]
pub struct Delivery {
    pub(crate) event_type: String,
    pub(crate) body: Value,
    pub(crate) tamper: Tamper,
    pub(crate) older_form: bool,
}

impl Delivery {
    /// `event_type` for the verification `id` (set on every id field its `data` has, but
    /// `user_id`), or `None` when the spec has no such event. The body is Cashfree's documented
    /// sample with that id, or, for an event Cashfree documents no sample of, the envelope with the
    /// id fields of its schema only (the sandbox makes up no values).
    pub fn new(event_type: &str, id: &str) -> Option<Delivery> {
        let mut fields = Map::new();
        // Each id field takes `id` in the type the sample (or the schema) gives it: a numeric id
        // stays a number, and keeps the sample's value when `id` is not one.
        let sample_data = body::sample(event_type).and_then(|s| s["data"].as_object());
        let id_fields: Vec<(String, Value)> = match sample_data {
            Some(data) => data
                .iter()
                .filter(|(k, _)| body::is_id(k))
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect(),
            None => body::id_properties(event_type)
                .into_iter()
                .map(|(k, ty)| {
                    let shown = match ty.as_deref() {
                        Some("integer" | "number") => Value::from(0),
                        _ => Value::String(String::new()),
                    };
                    (k, shown)
                })
                .collect(),
        };
        for (key, shown) in id_fields {
            if key == "user_id" {
                continue;
            }
            let value = match &shown {
                Value::Number(_) => id.parse::<i64>().map(Value::from).unwrap_or(shown),
                _ => Value::String(id.to_string()),
            };
            fields.insert(key, value);
        }
        Some(Delivery::from_body(
            event_type,
            event_body(event_type, &fields, now_ms())?,
        ))
    }

    pub(crate) fn from_body(event_type: &str, body: Value) -> Delivery {
        Delivery {
            event_type: event_type.to_string(),
            body,
            tamper: Tamper::None,
            older_form: false,
        }
    }

    /// Sent with `tamper` applied.
    #[must_use]
    pub fn tamper(mut self, tamper: Tamper) -> Self {
        self.tamper = tamper;
        self
    }

    /// Sent in the older form (the body's `signature`, without the current headers).
    #[must_use]
    pub fn older_form(mut self) -> Self {
        self.older_form = true;
        self
    }

    /// The body before signing.
    pub fn body(&self) -> &Value {
        &self.body
    }
}

/// One attempt of a delivery.
#[derive(Debug, Clone)]
pub struct Attempt {
    /// The receiver's status, when it answered.
    pub status: Option<u16>,
    /// Why no answer came, when none did.
    pub error: Option<String>,
    /// The `x-webhook-timestamp` the attempt was signed at (not sent in the older form).
    pub timestamp: String,
    /// The `x-webhook-signature` sent (`None` in the older form, whose signature is in the body).
    pub signature: Option<String>,
}

/// What happened to a delivery.
#[derive(Debug, Clone)]
pub struct DeliveryReport {
    /// Its `event_type`.
    pub event_type: String,
    /// The bytes sent.
    pub body: Vec<u8>,
    /// Each attempt, in order.
    pub attempts: Vec<Attempt>,
}

impl DeliveryReport {
    /// The bytes this report holds in the log, estimated on the high side.
    fn footprint(&self) -> usize {
        let text = |s: &str| s.len() + 24;
        let attempt = |a: &Attempt| {
            64 + text(&a.timestamp)
                + a.error.as_deref().map_or(0, text)
                + a.signature.as_deref().map_or(0, text)
        };
        96 + text(&self.event_type)
            + self.body.capacity()
            + self.attempts.iter().map(attempt).sum::<usize>()
    }

    pub(crate) fn failed(delivery: Delivery, error: String) -> Self {
        DeliveryReport {
            event_type: delivery.event_type,
            body: Vec::new(),
            attempts: vec![Attempt {
                status: None,
                error: Some(error),
                timestamp: String::new(),
                signature: None,
            }],
        }
    }

    /// Whether the last attempt got a 2xx.
    pub fn delivered(&self) -> bool {
        self.attempts
            .last()
            .and_then(|a| a.status)
            .is_some_and(|s| (200..300).contains(&s))
    }
}

/// Now, in epoch milliseconds (the event bodies write it in their sample's `event_time` format).
fn now_ms() -> u128 {
    deliver::epoch_ms(SystemTime::now())
}

/// After `operation_id` answered `out` for `request`: the events the spec sends after it, each
/// with the ids of the request and the answer (the answer's winning) that its `data` has, sent in
/// the background. Only ids: the create's other fields (a pending status) are not the event's.
pub(crate) fn after_success(
    settings: &WebhookSettings,
    operation_id: &str,
    request: &Value,
    out: &Value,
) {
    for event_type in body::events_after(operation_id) {
        let mut ids = Map::new();
        for source in [request, out] {
            for (k, v) in source.as_object().into_iter().flatten() {
                if body::is_id(k) && !v.is_null() {
                    ids.insert(k.clone(), v.clone());
                }
            }
        }
        let Some(body) = event_body(&event_type, &ids, now_ms()) else {
            continue;
        };
        let mut delivery = Delivery::from_body(&event_type, body);
        delivery.older_form = settings.older_form;
        let settings = settings.clone();
        tokio::spawn(async move {
            let report = send(&settings, delivery).await;
            settings.record(report);
        });
    }
}
