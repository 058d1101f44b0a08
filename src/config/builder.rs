//! The builder's settings and setters; [`build`](ClientBuilder::build) is in `build.rs`, reading
//! the environment in `from_env.rs`.

use std::collections::BTreeMap;
use std::fmt;
use std::time::Duration;

use secrecy::SecretString;

use super::apps::{APPS, App};
use super::environment::Environment;

use crate::retry::RetryPolicy;

/// Builds a [`Client`](crate::Client). Setters never fail: a bad value is kept and reported, with every
/// other bad value, by [`build`](ClientBuilder::build).
#[must_use]
#[derive(Default)]
pub struct ClientBuilder {
    pub(super) environment: Option<Environment>,
    pub(super) credentials: BTreeMap<String, SecretString>,
    pub(super) public_key: Option<String>,
    pub(super) api_version: Option<String>,
    pub(super) connect_timeout: Option<Duration>,
    pub(super) timeout: Option<Duration>,
    pub(super) retry: Option<RetryPolicy>,
    pub(super) http: Option<reqwest::Client>,
    pub(super) max_response_bytes: Option<usize>,
    pub(super) resolve_ambiguous_creates: bool,
    #[cfg(feature = "rate-limit")]
    pub(super) rate_limiter: Option<crate::rate_limit::RateLimiter>,
    pub(super) errors: Vec<String>,
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut d = f.debug_struct("ClientBuilder");
        d.field("environment", &self.environment)
            .field("credentials", &self.credentials.keys().collect::<Vec<_>>())
            .field("public_key", &self.public_key.as_ref().map(|_| "<set>"))
            .field("api_version", &self.api_version)
            .field("connect_timeout", &self.connect_timeout)
            .field("timeout", &self.timeout)
            .field("retry", &self.retry)
            .field("custom_http_client", &self.http.is_some())
            .field("max_response_bytes", &self.max_response_bytes)
            .field("resolve_ambiguous_creates", &self.resolve_ambiguous_creates);
        #[cfg(feature = "rate-limit")]
        d.field("rate_limiter", &self.rate_limiter);
        d.finish()
    }
}

impl ClientBuilder {
    /// A builder with every default: sandbox, no credentials, no signing, the spec's API version.
    pub fn new() -> Self {
        // Before the application's own reqwest client, if it builds one later (see the function).
        crate::tls::install_default_provider();
        Self::default()
    }

    /// Where to send requests. Default: [`Environment::Sandbox`].
    pub fn environment(mut self, environment: Environment) -> Self {
        self.environment = Some(environment);
        self
    }

    /// Shorthand for `environment(Environment::Custom(url))`.
    pub fn base_url(self, url: impl Into<String>) -> Self {
        self.environment(Environment::Custom(url.into()))
    }

    /// The Verification app's credentials (security schemes `XClientID`/`XClientSecret`): the app
    /// of every product, PAN, bank accounts, ... and the VKYC token included; only 1-Click has its
    /// own ([`one_click_credentials`](ClientBuilder::one_click_credentials)). Default: none, and
    /// those operations then fail before any I/O.
    pub fn credentials(
        self,
        client_id: impl Into<String>,
        client_secret: impl Into<String>,
    ) -> Self {
        self.app_credentials(&APPS[0], client_id.into(), client_secret.into())
    }

    /// The former name of [`credentials`](ClientBuilder::credentials), which set the same
    /// Verification app's credentials for every product, not only VKYC.
    #[deprecated(
        since = "0.1.0",
        note = "use `credentials(..)`: the Verification app's credentials serve every product, VKYC included"
    )]
    pub fn vkyc_credentials(
        self,
        client_id: impl Into<String>,
        client_secret: impl Into<String>,
    ) -> Self {
        self.credentials(client_id, client_secret)
    }

    /// The 1-Click app's credentials (security schemes `UVXClientID`/`UVXClientSecret`), which Cashfree
    /// issues separately from the Verification app's. Default: none.
    pub fn one_click_credentials(
        self,
        client_id: impl Into<String>,
        client_secret: impl Into<String>,
    ) -> Self {
        self.app_credentials(&APPS[1], client_id.into(), client_secret.into())
    }

    fn app_credentials(self, app: &App, id: String, secret: String) -> Self {
        self.scheme_credential(app.id_scheme, id)
            .scheme_credential(app.secret_scheme, secret)
    }

    /// The value for any security scheme the specs declare, by its name in the spec (e.g. a scheme a
    /// future Cashfree spec adds). Default: none.
    pub fn scheme_credential(
        mut self,
        scheme: impl Into<String>,
        value: impl Into<String>,
    ) -> Self {
        self.credentials
            .insert(scheme.into(), SecretString::from(value.into()));
        self
    }

    /// Cashfree's RSA public key (PEM, SPKI or PKCS#1) for 2FA request signing: every request then
    /// carries `x-cf-signature`. Default: no signing.
    pub fn public_key_pem(mut self, pem: impl Into<String>) -> Self {
        self.public_key = Some(pem.into());
        self
    }

    /// The `x-api-version` for every call (`YYYY-MM-DD`); a call's own value still wins. Default: the
    /// version the spec pins for the operation (2024-12-01 for the current specs).
    pub fn api_version(mut self, version: impl Into<String>) -> Self {
        self.api_version = Some(version.into());
        self
    }

    /// Time allowed to connect, per attempt. Default: [`DEFAULT_CONNECT_TIMEOUT`](super::DEFAULT_CONNECT_TIMEOUT) (10 s).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = Some(timeout);
        self
    }

    /// Time allowed for one attempt, from sending to the end of the response. Retries get their own
    /// attempts; [`RetryPolicy`] bounds the total. Default: [`DEFAULT_TIMEOUT`](super::DEFAULT_TIMEOUT) (30 s).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// How failed attempts are retried. Default: [`RetryPolicy::default`].
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry = Some(policy);
        self
    }

    /// Use this `reqwest::Client` (its connection pool, proxy, TLS and timeouts) instead of one built
    /// here. Default: a client with the timeouts above, rustls and no proxy from the environment
    /// besides reqwest's own defaults.
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http = Some(client);
        self
    }

    /// Most bytes of a response body read into memory; a longer body is cut there (an error body is
    /// then reported as truncated). Default: [`DEFAULT_MAX_RESPONSE_BYTES`](super::DEFAULT_MAX_RESPONSE_BYTES) (1 MiB).
    pub fn max_response_bytes(mut self, bytes: usize) -> Self {
        self.max_response_bytes = Some(bytes);
        self
    }

    /// Opts in to resolving, in the generated `<create>_and_wait` methods
    /// ([`wait`](crate::wait)), a create whose outcome is unknown: its answer was lost after it was
    /// sent (a timeout, a reset connection), or it was refused because its caller id was used
    /// before (`verification_id_already_exists`, ...). The wait then asks the status operation by
    /// the caller id and returns the first attempt's result; the create is never sent twice. Off
    /// by default: the error names the id ([`Error::first_attempt`](crate::Error::first_attempt)),
    /// and the caller decides.
    pub fn resolve_ambiguous_creates(mut self, resolve: bool) -> Self {
        self.resolve_ambiguous_creates = resolve;
        self
    }

    /// Keeps every request of the client (each retry and each poll of a wait included) under the
    /// limiter's rates, shared by every clone of the client ([`RateLimiter`](crate::rate_limit::RateLimiter);
    /// feature `rate-limit`). Default: no client-side limit; a `429` is still retried after
    /// `Retry-After` or `X-RateLimit-Reset`.
    #[cfg(feature = "rate-limit")]
    pub fn rate_limiter(mut self, limiter: crate::rate_limit::RateLimiter) -> Self {
        self.rate_limiter = Some(limiter);
        self
    }
}
