//! A typed answer that keeps the JSON it was read from.

use std::fmt;
use std::ops::{Deref, DerefMut};

use bytes::Bytes;
use serde::de::DeserializeOwned;

/// The success type of every generated operation: the typed answer `T`, and the body Cashfree sent,
/// as it was sent. Fields read through it as if it were `T` (`Deref`); the body keeps what the
/// schema does not name yet (Cashfree's Business PAN answer carries a `registered_nam` no schema
/// has).
///
/// ```
/// use cashfree_verification::wire::Decoded;
///
/// #[derive(serde::Deserialize, serde::Serialize)]
/// struct Pan {
///     pan: Option<String>,
/// }
///
/// let answer: Decoded<Pan> =
///     Decoded::from_body(br#"{"pan": "ABCPV1234D", "registered_nam": "ACME"}"#.to_vec().into())?;
/// assert_eq!(answer.pan.as_deref(), Some("ABCPV1234D"));
/// assert_eq!(answer.field("registered_nam"), Some(serde_json::json!("ACME")));
/// assert!(answer.raw_json().contains("registered_nam"));
/// let pan: Pan = answer.into_inner();
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone)]
pub struct Decoded<T> {
    value: T,
    body: Bytes,
}

impl<T: DeserializeOwned> Decoded<T> {
    /// Reads `body` with the wire rules ([`decode`](super::decode)) and keeps it.
    ///
    /// # Errors
    /// As [`decode`](super::decode).
    pub fn from_body(body: Bytes) -> Result<Self, serde_json::Error> {
        let value = super::decode(&body)?;
        Ok(Decoded { value, body })
    }
}

impl<T> Decoded<T> {
    /// The typed answer.
    pub fn into_inner(self) -> T {
        self.value
    }

    /// The typed answer and the body it was read from.
    pub fn into_parts(self) -> (T, Bytes) {
        (self.value, self.body)
    }

    /// The body as Cashfree sent it (JSON text, valid UTF-8: it decoded).
    pub fn raw_json(&self) -> &str {
        std::str::from_utf8(&self.body).unwrap_or_default()
    }

    /// The body's bytes.
    pub fn raw_bytes(&self) -> &Bytes {
        &self.body
    }

    /// The top-level field `name` of the body, as sent, when the body is an object that has it: for
    /// fields the type does not name.
    pub fn field(&self, name: &str) -> Option<serde_json::Value> {
        let object: serde_json::Map<String, serde_json::Value> =
            serde_json::from_slice(&self.body).ok()?;
        object.get(name).cloned()
    }
}

impl<T> Deref for Decoded<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.value
    }
}

impl<T> DerefMut for Decoded<T> {
    fn deref_mut(&mut self) -> &mut T {
        &mut self.value
    }
}

/// Shows the typed answer (the body's size, not its text: it may hold personal data).
impl<T: fmt::Debug> fmt::Debug for Decoded<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Decoded")
            .field("value", &self.value)
            .field("body_bytes", &self.body.len())
            .finish()
    }
}

/// Serializes as the typed answer.
impl<T: serde::Serialize> serde::Serialize for Decoded<T> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.value.serialize(serializer)
    }
}
