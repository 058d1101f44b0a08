//! The client's configuration as the calls read it, made by `build()` only.

use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;

use secrecy::SecretString;

use crate::retry::RetryPolicy;

/// The client's configuration, shared by every clone of a [`Client`](crate::Client) (cheap to clone).
/// Made by [`ClientBuilder::build`] only (the generated `Client::new` names it, but nothing outside
/// the crate can make one, so both are hidden from the docs); its `Debug` never shows a secret.
#[doc(hidden)]
#[derive(Clone)]
pub struct Settings(pub(crate) Arc<SettingsInner>);

pub(crate) struct SettingsInner {
    pub base_url: String,
    /// The credentials configured, by scheme name (their names show in `Debug`, never their values).
    pub configured: BTreeMap<String, SecretString>,
    /// Made once for the credentials step.
    pub credentials: crate::call::credentials::Prepared,
    /// Made once for the `x-api-version` step.
    pub api_version: crate::call::api_version::Prepared,
    /// Made once for the signing step.
    pub signer: crate::call::signature::Prepared,
    pub retry: RetryPolicy,
    pub max_response_bytes: usize,
    /// Whether `<create>_and_wait` resolves a create of unknown outcome through its status operation.
    pub resolve_ambiguous_creates: bool,
    /// Made once for the rate-limit step: the client-side limiter, shared by every clone.
    pub rate_limiter: crate::rate_limit::Prepared,
}

impl fmt::Debug for Settings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let s = &self.0;
        let mut d = f.debug_struct("Settings");
        d.field("base_url", &s.base_url)
            .field("credentials", &s.configured.keys().collect::<Vec<_>>());
        #[cfg(feature = "signing")]
        d.field("signer", &s.signer);
        d.field("api_version", &s.api_version.client)
            .field("retry", &s.retry)
            .field("max_response_bytes", &s.max_response_bytes)
            .field("resolve_ambiguous_creates", &s.resolve_ambiguous_creates);
        #[cfg(feature = "rate-limit")]
        d.field("rate_limiter", &s.rate_limiter);
        d.finish()
    }
}
