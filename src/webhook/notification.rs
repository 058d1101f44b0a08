//! A verified delivery: its envelope, its typed event and the body it was read from.

use bytes::Bytes;
use sha2::{Digest, Sha256};

use super::{Event, EventTime};

/// Which signature form a delivery was verified in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum SignatureForm {
    /// `x-webhook-signature` over `x-webhook-timestamp` and the raw body.
    Current,
    /// The body's own `signature` over the sorted `data` values (no timestamp: no replay check).
    Older,
}

/// A delivery that [`Verifier::verify`](super::Verifier::verify) found authentic and decoded.
#[derive(Debug, Clone)]
pub struct Notification {
    pub(crate) event_type: String,
    pub(crate) event_time: EventTime,
    pub(crate) version: Option<String>,
    pub(crate) attempt: Option<u32>,
    pub(crate) form: SignatureForm,
    pub(crate) event: Event,
    pub(crate) body: Bytes,
}

impl Notification {
    /// The `event_type` as sent.
    pub fn event_type(&self) -> &str {
        &self.event_type
    }

    /// The typed event (`Event::Other` with the raw `data` for an event this build has no type for).
    pub fn event(&self) -> &Event {
        &self.event
    }

    /// The typed event, owned.
    pub fn into_event(self) -> Event {
        self.event
    }

    /// `event_time`, read leniently.
    pub fn event_time(&self) -> &EventTime {
        &self.event_time
    }

    /// The body's `version` (`v1`, `v2`).
    pub fn version(&self) -> Option<&str> {
        self.version.as_deref()
    }

    /// `x-webhook-attempt`: 1 for the first delivery, more for Cashfree's retries.
    pub fn attempt(&self) -> Option<u32> {
        self.attempt
    }

    /// The signature form it was verified in.
    pub fn signature_form(&self) -> SignatureForm {
        self.form
    }

    /// The raw body, as signed.
    pub fn body(&self) -> &Bytes {
        &self.body
    }

    /// The key to deduplicate by: SHA-256 of the body, in hex. Cashfree delivers at least once and
    /// retries a delivery with the same body (`event_time` included) under a new timestamp and
    /// signature, so the same event has the same key on every attempt, while the signature differs.
    pub fn idempotency_key(&self) -> String {
        Sha256::digest(&self.body)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect()
    }
}
