//! Why a delivery was refused: one kind per reason, never holding a secret or the signature the
//! delivery should have had.

use std::fmt;
use std::time::Duration;

use bytes::Bytes;

/// The header carrying the current form's signature.
pub const SIGNATURE_HEADER: &str = "x-webhook-signature";
/// The header carrying the current form's timestamp (epoch milliseconds).
pub const TIMESTAMP_HEADER: &str = "x-webhook-timestamp";
/// The header counting delivery attempts (1, 2, ...).
pub const ATTEMPT_HEADER: &str = "x-webhook-attempt";

/// Why [`Verifier::verify`](super::Verifier::verify) refused a delivery.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum RefusalKind {
    /// A signature part is missing: one of the two current-form headers without the other, or
    /// neither header nor the older form's body `signature`.
    Missing(&'static str),
    /// A part is not what Cashfree sends: the timestamp is not epoch milliseconds, the signature is
    /// not base64 of 32 bytes, or the body is not a JSON object with an `event_type`.
    Malformed(&'static str),
    /// No accepted secret makes this signature over these bytes: the body or timestamp was changed,
    /// or it was signed with a secret this verifier does not know (HMAC carries no key id, so the
    /// two cannot be told apart).
    BadSignature,
    /// Signed with a secret marked retired ([`Verifier::retired`](super::Verifier::retired)): a
    /// delivery made with a rotated-out secret.
    RetiredSecret,
    /// Authentic, but its timestamp is further from now than the window allows, either way.
    Stale {
        /// How far the timestamp is from now.
        off_by: Duration,
    },
    /// The older form arrived and this verifier refuses it
    /// ([`Verifier::accept_older_form`](super::Verifier::accept_older_form)).
    OlderFormRefused,
    /// No secret was given to the verifier.
    NoSecret,
    /// Authentic, but the `data` of a known event does not decode as its type; the body is kept
    /// ([`Refusal::body`]).
    Undecodable,
}

/// A refused delivery: its [`kind`](Refusal::kind), and for an authentic one that did not decode,
/// its body. `Display` names the reason, never a secret or an expected signature.
#[derive(Debug, Clone)]
pub struct Refusal {
    kind: RefusalKind,
    detail: Option<String>,
    body: Option<Bytes>,
}

impl Refusal {
    pub(crate) fn new(kind: RefusalKind) -> Self {
        Refusal {
            kind,
            detail: None,
            body: None,
        }
    }

    pub(crate) fn undecodable(error: &serde_json::Error, body: &[u8]) -> Self {
        Refusal {
            kind: RefusalKind::Undecodable,
            detail: Some(error.to_string()),
            body: Some(Bytes::copy_from_slice(body)),
        }
    }

    /// Why it was refused.
    pub fn kind(&self) -> RefusalKind {
        self.kind
    }

    /// The body of an authentic delivery that did not decode ([`RefusalKind::Undecodable`]), to
    /// read as JSON or with [`wire::decode`](crate::wire::decode) into another type.
    pub fn body(&self) -> Option<&Bytes> {
        self.body.as_ref()
    }
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.kind {
            RefusalKind::Missing(what) => write!(f, "webhook refused: no {what}"),
            RefusalKind::Malformed(what) => write!(f, "webhook refused: malformed {what}"),
            RefusalKind::BadSignature => write!(
                f,
                "webhook refused: the signature matches none of the accepted secrets (signed with a wrong or rotated-out secret, or the body or timestamp was edited)"
            ),
            RefusalKind::RetiredSecret => {
                write!(f, "webhook refused: signed with a retired secret")
            }
            RefusalKind::Stale { off_by } => write!(
                f,
                "webhook refused: its timestamp is {} s from now, outside the window",
                off_by.as_secs()
            ),
            RefusalKind::OlderFormRefused => {
                write!(
                    f,
                    "webhook refused: the older signature form is not accepted"
                )
            }
            RefusalKind::NoSecret => write!(f, "webhook refused: no secret is configured"),
            RefusalKind::Undecodable => write!(
                f,
                "webhook data does not decode: {}",
                self.detail.as_deref().unwrap_or("")
            ),
        }
    }
}

impl std::error::Error for Refusal {}
