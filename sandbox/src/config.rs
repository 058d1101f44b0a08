//! The sandbox's settings, as [`SandboxBuilder`](super::SandboxBuilder) collects them.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use rsa::RsaPrivateKey;

use super::waits::Wait;
use super::{DEFAULT_CREDENTIALS, DEFAULT_ONE_CLICK_CREDENTIALS};

/// Default for how long a connection may take to send a request head, then its body, and how long
/// a kept-alive connection may sit idle before the next one ([`SandboxBuilder::read_timeout`](crate::SandboxBuilder::read_timeout)).
pub const READ_TIMEOUT: Duration = Duration::from_secs(10);

/// The sandbox's settings.
pub(crate) struct Config {
    /// How long a request head may take, and a kept-alive connection may idle.
    pub read_timeout: Duration,
    /// Accepted credential sets: (scheme, value) pairs sorted by scheme.
    pub credentials: Vec<Vec<(String, String)>>,
    pub signature_key: Option<RsaPrivateKey>,
    pub signature_window: Duration,
    pub per_operation: Option<(u32, Duration)>,
    pub per_ip: Option<(u32, Duration)>,
    pub balance: Option<u64>,
    /// How far ahead the expiries the sandbox writes (and then enforces) are.
    pub expires_in: Duration,
    /// Where webhooks go, if anywhere.
    pub webhook: Option<super::webhooks::WebhookSettings>,
    /// How long after a create its status answers pending ([`timeline`](super::timeline)).
    pub async_delay: Duration,
    /// Whether a 429 of the rate limits carries `Retry-After` (else only `X-RateLimit-*`).
    pub retry_after: bool,
    /// The create-then-poll pairs: the merged document's `x-cashfree-wait` entries.
    pub waits: Arc<[Wait]>,
}

impl Default for Config {
    fn default() -> Self {
        // One credential pair per app of the client's table (no scheme named here).
        let defaults = |setter: &str| match setter {
            "credentials" => DEFAULT_CREDENTIALS,
            _ => DEFAULT_ONE_CLICK_CREDENTIALS,
        };
        let credentials = cashfree_verification::config::APPS
            .iter()
            .map(|app| {
                let (id, secret) = defaults(app.setter);
                let mut pair = vec![
                    (app.id_scheme.to_string(), id.to_string()),
                    (app.secret_scheme.to_string(), secret.to_string()),
                ];
                pair.sort();
                pair
            })
            .collect();
        Config {
            credentials,
            read_timeout: READ_TIMEOUT,
            signature_key: None,
            signature_window: Duration::from_secs(300),
            per_operation: None,
            per_ip: None,
            balance: None,
            expires_in: Duration::from_secs(3600),
            webhook: None,
            async_delay: Duration::ZERO,
            retry_after: true,
            waits: super::waits::merged().into(),
        }
    }
}

impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let schemes: Vec<Vec<&str>> = self
            .credentials
            .iter()
            .map(|set| set.iter().map(|(s, _)| s.as_str()).collect())
            .collect();
        f.debug_struct("Config")
            .field("credentials_for", &schemes)
            .field("signature_check", &self.signature_key.is_some())
            .field("signature_window", &self.signature_window)
            .field("per_operation", &self.per_operation)
            .field("per_ip", &self.per_ip)
            .field("balance", &self.balance)
            .field("expires_in", &self.expires_in)
            .field("webhook", &self.webhook)
            .field("async_delay", &self.async_delay)
            .field("retry_after", &self.retry_after)
            .field("waits", &self.waits.len())
            .finish()
    }
}

/// Reads an RSA private key (PKCS#8 or PKCS#1 PEM).
pub(crate) fn parse_private_key(pem: &str) -> Result<RsaPrivateKey, String> {
    use rsa::pkcs1::DecodeRsaPrivateKey as _;
    use rsa::pkcs8::DecodePrivateKey as _;
    RsaPrivateKey::from_pkcs8_pem(pem)
        .or_else(|_| RsaPrivateKey::from_pkcs1_pem(pem))
        .map_err(|_| {
            "the signature private key is not an RSA private key in PKCS#8 or PKCS#1 PEM"
                .to_string()
        })
}
