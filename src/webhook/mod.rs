//! Verifying and decoding Cashfree's webhooks.
//!
//! Cashfree's asynchronous verifications (BAV V2 async and bulk, reverse penny drop, DigiLocker,
//! e-sign, KYC links, Video KYC, Account Aggregator) finish by POSTing an event to your URL. One
//! call checks that it is Cashfree's and decodes it:
//!
//! ```
//! use std::time::{Duration, SystemTime};
//! use cashfree_verification::webhook::{Refusal, RefusalKind, Verifier, sign};
//! use secrecy::SecretString;
//!
//! let secret = SecretString::from("your-client-secret");
//! let body = br#"{"event_type":"SOMETHING_NEW","event_time":"2025-05-22T03:51:14Z","data":{"a":1}}"#;
//! let now = SystemTime::UNIX_EPOCH + Duration::from_millis(1_746_427_759_733);
//! let mut headers = http::HeaderMap::new();
//! headers.insert("x-webhook-timestamp", "1746427759733".parse().unwrap());
//! headers.insert("x-webhook-signature", sign(&secret, "1746427759733", body).parse().unwrap());
//!
//! let verifier = Verifier::new([secret]);
//! let notification = verifier.verify(&headers, body, now)?;
//! assert_eq!(notification.event_type(), "SOMETHING_NEW"); // unknown events are kept, never refused
//!
//! let later = now + Duration::from_secs(301);
//! let refused: Refusal = verifier.verify(&headers, body, later).unwrap_err();
//! assert!(matches!(refused.kind(), RefusalKind::Stale { .. }));
//! # Ok::<(), Refusal>(())
//! ```
//!
//! What is checked, in order (README, "Webhooks"): the current form when `x-webhook-signature` or
//! `x-webhook-timestamp` is present (both are then required), else the older form (the body's
//! `signature`); the signature against each accepted secret in constant time; then the timestamp
//! against the window (5 minutes either way by default); then the body is decoded with the wire
//! rules into [`Event`], by `event_type`, for the enabled products' events.

mod event_time;
mod generated;
mod legacy;
mod notification;
mod refusal;
mod signature;

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use http::HeaderMap;
use secrecy::SecretString;
use serde_json::Value;

pub use event_time::EventTime;
pub use generated::{EVENT_TYPES, Event};
pub use legacy::{legacy_signed_text, sign_legacy};
pub use notification::{Notification, SignatureForm};
pub use refusal::{ATTEMPT_HEADER, Refusal, RefusalKind, SIGNATURE_HEADER, TIMESTAMP_HEADER};
pub use signature::sign;

/// The default replay window: a timestamp more than this from now, either way, is refused.
pub const DEFAULT_WINDOW: Duration = Duration::from_secs(5 * 60);

/// A webhook event this build has a type for ([`EVENT_TYPES`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EventType {
    /// The `event_type` Cashfree documents.
    pub name: &'static str,
    /// Other spellings Cashfree sends for it (its samples, where they differ from its tables).
    pub aliases: &'static [&'static str],
    /// The Cargo feature (product) that enables it.
    pub feature: &'static str,
    /// The docs page it comes from.
    pub source: Option<&'static str>,
}

/// Checks deliveries against the accepted secrets (more than one while you rotate) and decodes
/// them. Its `Debug` shows how many secrets it holds, never one.
#[must_use]
pub struct Verifier {
    accepted: Vec<SecretString>,
    retired: Vec<SecretString>,
    window: Duration,
    older_form: bool,
}

impl std::fmt::Debug for Verifier {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Verifier")
            .field(
                "accepted",
                &format_args!("{} secret(s)", self.accepted.len()),
            )
            .field("retired", &format_args!("{} secret(s)", self.retired.len()))
            .field("window", &self.window)
            .field("older_form", &self.older_form)
            .finish()
    }
}

impl Verifier {
    /// A verifier accepting deliveries signed with any of `secrets` (your app's client secrets).
    pub fn new(secrets: impl IntoIterator<Item = SecretString>) -> Self {
        Verifier {
            accepted: secrets.into_iter().collect(),
            retired: Vec::new(),
            window: DEFAULT_WINDOW,
            older_form: true,
        }
    }

    /// Secrets no longer accepted, so that a delivery signed with one is refused as
    /// [`RefusalKind::RetiredSecret`] rather than [`RefusalKind::BadSignature`]. Default: none.
    pub fn retired(mut self, secrets: impl IntoIterator<Item = SecretString>) -> Self {
        self.retired = secrets.into_iter().collect();
        self
    }

    /// How far from now, either way, a current-form timestamp may be. Default: [`DEFAULT_WINDOW`].
    pub fn window(mut self, window: Duration) -> Self {
        self.window = window;
        self
    }

    /// Whether a delivery without the current form's headers is checked in the older form (the
    /// body's `signature`, which has no timestamp to check). Default: `true`, as Cashfree's BAV V2
    /// and reverse penny drop pages still show it.
    pub fn accept_older_form(mut self, accept: bool) -> Self {
        self.older_form = accept;
        self
    }

    /// Verifies one delivery (its headers and raw body, as received) at `now`, and decodes it.
    ///
    /// # Errors
    /// A [`Refusal`] whose [`kind`](Refusal::kind) says why (see [`RefusalKind`]).
    pub fn verify(
        &self,
        headers: &HeaderMap,
        body: &[u8],
        now: SystemTime,
    ) -> Result<Notification, Refusal> {
        if self.accepted.is_empty() {
            return Err(Refusal::new(RefusalKind::NoSecret));
        }
        let text = |name: &str| headers.get(name).map(|v| v.to_str().map(str::trim));
        let form = match (text(SIGNATURE_HEADER), text(TIMESTAMP_HEADER)) {
            (None, None) => SignatureForm::Older,
            (Some(_), None) => return Err(Refusal::new(RefusalKind::Missing(TIMESTAMP_HEADER))),
            (None, Some(_)) => return Err(Refusal::new(RefusalKind::Missing(SIGNATURE_HEADER))),
            (Some(signature), Some(timestamp)) => {
                let signature = signature
                    .ok()
                    .and_then(signature::decode)
                    .ok_or(Refusal::new(RefusalKind::Malformed(SIGNATURE_HEADER)))?;
                let timestamp = timestamp
                    .ok()
                    .filter(|t| !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit()))
                    .ok_or(Refusal::new(RefusalKind::Malformed(TIMESTAMP_HEADER)))?;
                self.check(&[timestamp.as_bytes(), body], &signature)?;
                self.check_window(timestamp, now)?;
                SignatureForm::Current
            }
        };
        let envelope: Value = crate::wire::decode(body)
            .ok()
            .filter(Value::is_object)
            .ok_or(Refusal::new(RefusalKind::Malformed("body")))?;
        if form == SignatureForm::Older {
            if !self.older_form {
                return Err(Refusal::new(RefusalKind::OlderFormRefused));
            }
            let signature =
                envelope
                    .get("signature")
                    .and_then(Value::as_str)
                    .ok_or(Refusal::new(RefusalKind::Missing(
                        "x-webhook-signature header (nor body signature)",
                    )))?;
            let signature = signature::decode(signature)
                .ok_or(Refusal::new(RefusalKind::Malformed("body signature")))?;
            let data = envelope.get("data").unwrap_or(&Value::Null);
            self.check(&[legacy_signed_text(data).as_bytes()], &signature)?;
        }
        let attempt = text(ATTEMPT_HEADER)
            .and_then(Result::ok)
            .and_then(|a| a.parse().ok());
        decode(envelope, body, form, attempt)
    }

    fn check(&self, parts: &[&[u8]], signature: &[u8]) -> Result<(), Refusal> {
        // Every accepted secret is tried (no early exit on the first) so the time taken does not
        // say which one matched.
        let accepted = self
            .accepted
            .iter()
            .fold(false, |ok, s| signature::matches(s, parts, signature) | ok);
        if accepted {
            Ok(())
        } else if self
            .retired
            .iter()
            .any(|s| signature::matches(s, parts, signature))
        {
            Err(Refusal::new(RefusalKind::RetiredSecret))
        } else {
            Err(Refusal::new(RefusalKind::BadSignature))
        }
    }

    fn check_window(&self, timestamp: &str, now: SystemTime) -> Result<(), Refusal> {
        let sent = timestamp
            .parse::<u64>()
            .map(|ms| UNIX_EPOCH + Duration::from_millis(ms))
            .map_err(|_| Refusal::new(RefusalKind::Malformed(TIMESTAMP_HEADER)))?;
        let off_by = now.duration_since(sent).unwrap_or_else(|e| e.duration());
        if off_by > self.window {
            return Err(Refusal::new(RefusalKind::Stale { off_by }));
        }
        Ok(())
    }
}

fn decode(
    envelope: Value,
    body: &[u8],
    form: SignatureForm,
    attempt: Option<u32>,
) -> Result<Notification, Refusal> {
    let field = |name: &str| match envelope.get(name) {
        Some(Value::String(s)) => Some(s.clone()),
        Some(Value::Null) | None => None,
        Some(other) => Some(other.to_string()),
    };
    let event_type = field("event_type").ok_or(Refusal::new(RefusalKind::Malformed(
        "body: it has no event_type",
    )))?;
    let event_time = field("event_time").map_or(EventTime::Absent, |t| EventTime::parse(&t));
    let data = envelope.get("data").unwrap_or(&Value::Null);
    let data_json = serde_json::to_vec(data).unwrap_or_default();
    let event =
        Event::decode(&event_type, &data_json).map_err(|e| Refusal::undecodable(&e, body))?;
    Ok(Notification {
        version: field("version"),
        event_type,
        event_time,
        attempt,
        form,
        event,
        body: bytes::Bytes::copy_from_slice(body),
    })
}
