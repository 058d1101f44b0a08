//! Cashfree's current webhook signature: `x-webhook-signature` is base64 of HMAC-SHA256, keyed
//! with the client secret, over `x-webhook-timestamp` (epoch milliseconds, as sent) followed by the
//! raw body.
//!
//! ```
//! use cashfree_verification::webhook::sign;
//! use secrecy::SecretString;
//!
//! let secret = SecretString::from("client-secret");
//! let signature = sign(&secret, "1746427759733", br#"{"event_type":"X"}"#);
//! assert_eq!(signature.len(), 44); // 32 bytes in base64
//! ```

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use hmac::{Hmac, Mac};
use secrecy::{ExposeSecret, SecretString};
use sha2::Sha256;

type HmacSha256 = Hmac<Sha256>;

/// The `x-webhook-signature` Cashfree sends for `body` at `timestamp` (the header's text), signed
/// with `secret` (what the sandbox sends, and what a test can make).
pub fn sign(secret: &SecretString, timestamp: &str, body: &[u8]) -> String {
    let mut mac = keyed(secret);
    mac.update(timestamp.as_bytes());
    mac.update(body);
    STANDARD.encode(mac.finalize().into_bytes())
}

/// HMAC-SHA256 of `text` under `secret`, base64: the older form's signature over its signed text.
pub(crate) fn sign_text(secret: &SecretString, text: &[u8]) -> String {
    let mut mac = keyed(secret);
    mac.update(text);
    STANDARD.encode(mac.finalize().into_bytes())
}

/// Whether `expected` (decoded from base64) is the HMAC of `parts` under `secret`, compared in
/// constant time (`hmac`'s `verify_slice`, on `subtle`).
pub(crate) fn matches(secret: &SecretString, parts: &[&[u8]], expected: &[u8]) -> bool {
    let mut mac = keyed(secret);
    for part in parts {
        mac.update(part);
    }
    mac.verify_slice(expected).is_ok()
}

/// `signature` decoded from base64, if it is the 32 bytes of an HMAC-SHA256.
pub(crate) fn decode(signature: &str) -> Option<Vec<u8>> {
    STANDARD
        .decode(signature.trim())
        .ok()
        .filter(|bytes| bytes.len() == 32)
}

fn keyed(secret: &SecretString) -> HmacSha256 {
    // HMAC takes a key of any length; this cannot fail.
    HmacSha256::new_from_slice(secret.expose_secret().as_bytes()).expect("HMAC takes any key")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_signature_is_over_timestamp_then_body_and_compares_exactly() {
        let secret = SecretString::from("s3cret");
        let signature = sign(&secret, "1746427759733", b"{}");
        let bytes = decode(&signature).unwrap();
        assert!(matches(&secret, &[b"1746427759733", b"{}"], &bytes));
        assert!(matches(&secret, &[b"1746427759733{}"], &bytes));
        assert!(!matches(&secret, &[b"1746427759734", b"{}"], &bytes));
        assert!(!matches(
            &SecretString::from("other"),
            &[b"1746427759733{}"],
            &bytes
        ));
        assert_eq!(decode("not base64"), None);
        assert_eq!(decode("AAAA"), None, "3 bytes is no HMAC-SHA256");
    }
}
