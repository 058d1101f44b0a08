//! [`SandboxBuilder`]: the sandbox's settings, each setter stating its default, checked together
//! by [`start`](SandboxBuilder::start).

use std::fmt;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use tokio::net::TcpListener;

use cashfree_verification::config::APPS;

use super::{DEFAULT_CREDENTIALS, Sandbox, SandboxError, WebhookSettings};
use super::{config, serve, state};

// The ways in from the handle (`Sandbox::start`, `Sandbox::builder`) sit with the builder they
// make, so the handle does not name its builder.
impl Sandbox {
    /// Starts a sandbox with every default, on an ephemeral port of 127.0.0.1.
    ///
    /// # Errors
    /// No port can be bound.
    pub async fn start() -> Result<Sandbox, SandboxError> {
        SandboxBuilder::default().start().await
    }

    /// A [`SandboxBuilder`].
    pub fn builder() -> SandboxBuilder {
        SandboxBuilder::default()
    }
}

/// Configures a [`Sandbox`]. Defaults: the [`DEFAULT_CREDENTIALS`] and
/// [`DEFAULT_ONE_CLICK_CREDENTIALS`], no signature check, no rate limit, unlimited balance,
/// expiries an hour ahead, asynchronous verifications finished at once, an ephemeral port on
/// 127.0.0.1.
///
/// [`DEFAULT_ONE_CLICK_CREDENTIALS`]: crate::DEFAULT_ONE_CLICK_CREDENTIALS
#[must_use]
#[derive(Default)]
pub struct SandboxBuilder {
    config: config::Config,
    port: u16,
    custom_credentials: bool,
    errors: Vec<String>,
    webhook_url: Option<url::Url>,
    webhook_secret: Option<String>,
    webhook_older_form: bool,
    webhook_retries: Option<(u32, Duration)>,
}

impl fmt::Debug for SandboxBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SandboxBuilder")
            .field("port", &self.port)
            .field("config", &self.config)
            .finish()
    }
}

impl SandboxBuilder {
    /// Accept these credentials of the Verification app (the client's `credentials(..)`: every
    /// product, VKYC included), replacing the defaults.
    pub fn credentials(self, id: impl Into<String>, secret: impl Into<String>) -> Self {
        self.app_credentials("credentials", id.into(), secret.into())
    }

    /// The former name of [`credentials`](SandboxBuilder::credentials).
    #[deprecated(
        since = "0.1.0",
        note = "use `credentials(..)`: the Verification app's, for every product"
    )]
    pub fn vkyc_credentials(self, id: impl Into<String>, secret: impl Into<String>) -> Self {
        self.credentials(id, secret)
    }

    /// Accept these 1-Click credentials (the schemes of the client's 1-Click app), replacing the
    /// defaults.
    pub fn one_click_credentials(self, id: impl Into<String>, secret: impl Into<String>) -> Self {
        self.app_credentials("one_click_credentials", id.into(), secret.into())
    }

    /// The app the client's builder sets with `setter` (`cashfree_verification::config::APPS`).
    fn app_credentials(self, setter: &str, id: String, secret: String) -> Self {
        let app = APPS
            .iter()
            .find(|a| a.setter == setter)
            .expect("the client names this app");
        self.scheme_credentials(&[app.id_scheme, app.secret_scheme], &[&id, &secret])
    }

    /// Accept `values` for the security requirement made of `schemes` (same order), for schemes a
    /// future spec adds. The first call replaces the default credentials.
    pub fn scheme_credentials(mut self, schemes: &[&str], values: &[&str]) -> Self {
        if !self.custom_credentials {
            self.config.credentials.clear();
            self.custom_credentials = true;
        }
        if schemes.len() != values.len() {
            self.errors.push(format!(
                "{} schemes but {} values",
                schemes.len(),
                values.len()
            ));
            return self;
        }
        let mut pairs: Vec<(String, String)> = schemes
            .iter()
            .zip(values)
            .map(|(s, v)| (s.to_string(), v.to_string()))
            .collect();
        pairs.sort();
        self.config.credentials.push(pairs);
        self
    }

    /// Verify `x-cf-signature` with this RSA private key (PKCS#8 or PKCS#1 PEM): requests without a
    /// valid, fresh signature get 403. Default: signatures are not checked.
    pub fn signature_private_key_pem(mut self, pem: &str) -> Self {
        match config::parse_private_key(pem) {
            Ok(key) => self.config.signature_key = Some(key),
            Err(e) => self.errors.push(e),
        }
        self
    }

    /// How old a signature's timestamp may be (and how far in the future). Default: 5 minutes.
    pub fn signature_window(mut self, window: Duration) -> Self {
        self.config.signature_window = window;
        self
    }

    /// At most `max` requests per operation per `window`; then 429 `too_many_requests_per_operation`
    /// with `Retry-After`. Default: no limit.
    pub fn rate_limit_per_operation(mut self, max: u32, window: Duration) -> Self {
        self.config.per_operation = Some((max, window));
        self
    }

    /// At most `max` requests per client IP per `window`; then 429 `too_many_requests_per_ip` with
    /// `Retry-After`. Default: no limit.
    pub fn rate_limit_per_ip(mut self, max: u32, window: Duration) -> Self {
        self.config.per_ip = Some((max, window));
        self
    }

    /// Whether a 429 of [`rate_limit_per_operation`](Self::rate_limit_per_operation) or
    /// [`rate_limit_per_ip`](Self::rate_limit_per_ip) carries `Retry-After`; with `false` it carries
    /// only Cashfree's `X-RateLimit-Limit`, `-Remaining` (0) and `-Reset` (seconds until the window
    /// resets), for clients that must wait by `X-RateLimit-Reset`. Default: `true`.
    pub fn rate_limit_retry_after(mut self, send: bool) -> Self {
        self.config.retry_after = send;
        self
    }

    /// How long after a create that has a status operation (the merged document's
    /// `x-cashfree-wait`) that status operation answers a pending status (`RECEIVED`,
    /// `IN_PROGRESS`, ...) before its usual, finished answer. One create may set its own with the
    /// [`ASYNC_DELAY_HEADER`](crate::ASYNC_DELAY_HEADER). Default: zero, finished at once.
    pub fn async_delay(mut self, delay: Duration) -> Self {
        self.config.async_delay = delay;
        self
    }

    /// Allow `calls` successful calls of operations that document `insufficient_balance`; after that
    /// they answer 422. Default: unlimited.
    pub fn balance(mut self, calls: u64) -> Self {
        self.config.balance = Some(calls);
        self
    }

    /// How long a connection may take to send a request head, which is also how long a kept-alive
    /// connection may sit idle before it is closed. Default: [`READ_TIMEOUT`] (10 s).
    ///
    /// [`READ_TIMEOUT`]: crate::READ_TIMEOUT
    pub fn read_timeout(mut self, timeout: Duration) -> Self {
        self.config.read_timeout = timeout;
        self
    }

    /// Send webhooks to `url` (http or https): the events the spec sends after an operation
    /// (`x-sent-after`), and those a test asks for ([`Sandbox::send_webhook`]). Default: none sent.
    /// A URL that does not parse is reported by [`start`](Self::start).
    pub fn webhook_url(mut self, url: &str) -> Self {
        match url::Url::parse(url) {
            Ok(u) if matches!(u.scheme(), "http" | "https") => self.webhook_url = Some(u),
            _ => self
                .errors
                .push(format!("webhook_url {url:?} is not an http(s) URL")),
        }
        self
    }

    /// The secret webhooks are signed with. Default: the Verification app's client secret
    /// ([`DEFAULT_CREDENTIALS`]), as Cashfree signs with the client secret.
    pub fn webhook_secret(mut self, secret: impl Into<String>) -> Self {
        self.webhook_secret = Some(secret.into());
        self
    }

    /// Send webhooks in the older form (the body's `signature`, no `x-webhook-*` signature
    /// headers). Default: `false`, the current form.
    pub fn webhook_older_form(mut self, older: bool) -> Self {
        self.webhook_older_form = older;
        self
    }

    /// Attempts per webhook (the first included) and the wait before the second, doubling after
    /// each up to 2 s. Default: 3 attempts, 100 ms.
    pub fn webhook_retries(mut self, max_attempts: u32, first_delay: Duration) -> Self {
        self.webhook_retries = Some((max_attempts, first_delay));
        self
    }

    /// How far ahead of the answer the expiries the sandbox writes are (a 1-Click access token's
    /// `expiry`, a VKYC token's `expires_at`, a 1-Click session's `expiry`), and so when a token
    /// it issued stops being accepted (`access_token_value_invalid`) and a session stops taking a
    /// consent. Written and checked in whole seconds. Default: 1 hour.
    pub fn expires_in(mut self, lifetime: Duration) -> Self {
        self.config.expires_in = lifetime;
        self
    }

    /// Listen on this port of 127.0.0.1. Default: 0, an ephemeral port.
    pub fn port(mut self, port: u16) -> Self {
        self.port = port;
        self
    }

    /// Starts the server on 127.0.0.1.
    ///
    /// # Errors
    /// An invalid setting (a bad private key), or the port cannot be bound.
    pub async fn start(mut self) -> Result<Sandbox, SandboxError> {
        if !self.errors.is_empty() {
            return Err(SandboxError(self.errors.join("; ")));
        }
        if !self.custom_credentials {
            self.config.credentials = config::Config::default().credentials;
        }
        if let Some(url) = self.webhook_url.take() {
            let secret = self
                .webhook_secret
                .take()
                .unwrap_or_else(|| DEFAULT_CREDENTIALS.1.to_string());
            let mut settings = WebhookSettings::new(url, secret.into());
            settings.older_form = self.webhook_older_form;
            if let Some((attempts, delay)) = self.webhook_retries {
                settings.max_attempts = attempts.max(1);
                settings.first_delay = delay;
            }
            self.config.webhook = Some(settings);
        }
        let listener = TcpListener::bind(SocketAddr::from(([127, 0, 0, 1], self.port)))
            .await
            .map_err(|e| SandboxError(format!("cannot listen on 127.0.0.1:{}: {e}", self.port)))?;
        let addr = listener
            .local_addr()
            .map_err(|e| SandboxError(e.to_string()))?;
        let shared = Arc::new(state::Shared::new(self.config));
        let (stop, stopped) = tokio::sync::watch::channel(false);
        tokio::spawn(serve::serve(listener, shared.clone(), stopped));
        Ok(Sandbox::running(format!("http://{addr}"), shared, stop))
    }
}
