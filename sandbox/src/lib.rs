//! An offline Cashfree sandbox for your tests: a real HTTP server on 127.0.0.1
//! that behaves as Cashfree documents, driven by the merged spec this crate was built from, so every
//! operation in `spec/` gets sandbox behaviour with no handwritten code.
//!
//! ```
//! use cashfree_verification_sandbox::{Fault, Sandbox};
//! use cashfree_verification::{ErrorKind, types};
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let sandbox = Sandbox::start().await?;
//! let client = sandbox.client_builder().build()?;
//!
//! let call = || {
//!     client.vrs_user_vault_oauth_initiation().body(
//!         types::InitiateOauthRequestSchema::builder().verification_id("order-1").user(
//!             types::InitiateOauthRequestSchemaUser::builder()
//!                 .identifier_type(types::InitiateOauthRequestSchemaUserIdentifierType::Mobile)
//!                 .identifier_value("9988776655"),
//!         ),
//!     )
//! };
//! let session = call().send().await?;
//! assert!(session.session_id.is_some());
//!
//! // What the client sent, secrets redacted.
//! let sent = &sandbox.requests()[0];
//! assert_eq!(sent.header("x-api-version"), Some("2024-12-01"));
//! assert_eq!(sent.header("x-client-secret"), Some("<redacted>"));
//!
//! // Inject a fault for the next request: an HTML 502 from a gateway.
//! sandbox.inject(Fault::Respond { status: 502, content_type: "text/html".into(), headers: vec![], body: b"<h1>Bad Gateway</h1>".to_vec() }, 1);
//! let err = cashfree_verification::Error::from(call().send().await.unwrap_err());
//! assert_eq!((err.kind(), err.status().map(|s| s.as_u16())), (ErrorKind::Decode, Some(502)));
//! # Ok(()) }
//! ```
//!
//! # How it answers
//!
//! - **Routes**: every operation at its spec path, at `/` and under Cashfree's base path
//!   `/verification` (Cashfree's SDKs call `<host>/verification/pan`).
//! - **Success**: the documented example that matches the request, verbatim (Cashfree's examples
//!   are the wire: a number where the schema says string stays a number). Which one: the example
//!   that agrees most with the request's values (POST /pan with `ABCPV1234D` / `John Doe` gives
//!   "Valid PAN Individual", POST /upi with `expired@upi` "Expired": Cashfree's documented test
//!   values give their documented outcomes), then the one agreeing most with the operation's
//!   documented request, then the fullest, then the first by name, so the choice never depends
//!   on the feature set or the document's map order. Only ids change: the caller's ids are echoed,
//!   `reference_id`-style ids, session ids and tokens are fresh, expiries an hour ahead (in the
//!   field's `format`), each in the example's JSON type.
//! - **Refusals**, with Cashfree's documented bodies: credentials, `x-cf-signature` (when a key is
//!   set), required headers (`X-Session-Id`), `x-api-version` where sent (optional wherever the
//!   spec says so), parameters and bodies against their schemas and the length limits the error
//!   examples document (`pan_length_short`), 404 for ids never issued, 409 for a reused id on every
//!   operation that documents one, rate limits, balance.
//!
//! # Sandbox-only routes
//!
//! For tests in any language (no credentials needed; also under `/verification`):
//!
//! - `POST /__sandbox/consent` `{"verification_id": "order-1"}` → `{"auth_code": "..."}`: the
//!   user's consent to a 1-Click session ([`Sandbox::consent`]).
//! - `POST /__sandbox/scenario` `{"operation_id": "VrsPanVerification", "example": "Invalid
//!   PAN", "times": 1}`: the next calls answer that documented example ([`Sandbox::scenario`]);
//!   `GET /__sandbox/scenario?operation_id=...` lists the names.
//! - Header `x-sandbox-scenario: Invalid PAN` on one request does the same for that request.

mod answer;
mod checks;
mod choice;
mod config;
mod control;
mod dates;
mod handler;
mod http;
mod limits;
mod refusal;
mod remembered;
mod scenario;
mod schema;
mod spec;
mod state;
mod webhooks;

pub use control::SCENARIO_HEADER;
pub use http::READ_TIMEOUT;
pub use webhooks::{
    Attempt, Delivery, DeliveryReport, MAX_LOGGED_DELIVERIES, Tamper, WebhookSettings,
};

use std::collections::VecDeque;
use std::fmt;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::net::TcpListener;

use cashfree_verification::ClientBuilder;
use cashfree_verification::config::APPS;

/// The VKYC credentials a default sandbox accepts.
pub const DEFAULT_VKYC_CREDENTIALS: (&str, &str) =
    ("sandbox-vkyc-client-id", "sandbox-vkyc-client-secret");
/// The 1-Click credentials a default sandbox accepts.
pub const DEFAULT_ONE_CLICK_CREDENTIALS: (&str, &str) =
    ("sandbox-1click-client-id", "sandbox-1click-client-secret");

/// Most requests [`Sandbox::requests`] keeps; older ones are dropped first.
pub const MAX_LOGGED_REQUESTS: usize = 1000;
/// Most body bytes kept per logged request ([`RecordedRequest::body_len`] has the whole length).
pub const MAX_LOGGED_BODY_BYTES: usize = 64 * 1024;
/// Most ids (issued, used, tokens, sessions, auth codes, queued scenarios) the sandbox remembers of
/// each kind; the oldest are forgotten first.
pub const MAX_REMEMBERED_IDS: usize = 100_000;

/// Something the sandbox does instead of (or before) its normal answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fault {
    /// Wait, then answer normally.
    Delay(Duration),
    /// Answer this status, headers and body, whatever the request.
    Respond {
        /// HTTP status.
        status: u16,
        /// `Content-Type` of the body.
        content_type: String,
        /// More headers (`Retry-After`, `Location`, `x-request-id`, ...).
        headers: Vec<(String, String)>,
        /// The body, any bytes.
        body: Vec<u8>,
    },
    /// Answer the operation's documented example for this status (the first by name), whatever the
    /// request. To answer a named example after the usual checks, see [`Sandbox::scenario`].
    Documented(u16),
    /// Answer normally, but close the connection halfway through the body.
    Truncate,
    /// Close the connection without answering.
    Drop,
}

/// A request the sandbox received.
#[derive(Debug, Clone)]
pub struct RecordedRequest {
    /// HTTP method.
    pub method: String,
    /// Path and query.
    pub target: String,
    /// Headers (lower-case names); credentials' secrets and `authorization` read `<redacted>`.
    pub headers: Vec<(String, String)>,
    /// The body as received, at most [`MAX_LOGGED_BODY_BYTES`] of it.
    pub body: Vec<u8>,
    /// The body's whole length.
    pub body_len: usize,
    /// The operation it matched (`operationId`), if any.
    pub operation_id: Option<String>,
    /// The status the sandbox answered (or would have, before a fault).
    pub status: u16,
    /// Why the request broke the spec (header or body), if it did.
    pub violation: Option<String>,
    /// When the sandbox received it (for tests of retry timing).
    pub received_at: std::time::Instant,
}

impl RecordedRequest {
    /// The first value of header `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        let name = name.to_ascii_lowercase();
        self.headers
            .iter()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v.as_str())
    }

    /// The body as JSON, if it is JSON.
    pub fn json(&self) -> Option<serde_json::Value> {
        serde_json::from_slice(&self.body).ok()
    }
}

/// Why the sandbox could not start.
#[derive(Debug)]
pub struct SandboxError(String);

impl fmt::Display for SandboxError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "cannot start the Cashfree sandbox: {}", self.0)
    }
}

impl std::error::Error for SandboxError {}

/// Configures a [`Sandbox`]. Defaults: the [`DEFAULT_VKYC_CREDENTIALS`] and
/// [`DEFAULT_ONE_CLICK_CREDENTIALS`], no signature check, no rate limit, unlimited balance, an
/// ephemeral port on 127.0.0.1.
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
    /// Accept these VKYC credentials (the schemes of the client's VKYC app), replacing the defaults.
    pub fn vkyc_credentials(self, id: impl Into<String>, secret: impl Into<String>) -> Self {
        self.app_credentials("vkyc_credentials", id.into(), secret.into())
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

    /// Allow `calls` successful calls of operations that document `insufficient_balance`; after that
    /// they answer 422. Default: unlimited.
    pub fn balance(mut self, calls: u64) -> Self {
        self.config.balance = Some(calls);
        self
    }

    /// How long a connection may take to send a request head, which is also how long a kept-alive
    /// connection may sit idle before it is closed. Default: [`READ_TIMEOUT`] (10 s).
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
    /// ([`DEFAULT_VKYC_CREDENTIALS`]), as Cashfree signs with the client secret.
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
                .unwrap_or_else(|| DEFAULT_VKYC_CREDENTIALS.1.to_string());
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
        tokio::spawn(http::serve(listener, shared.clone(), stopped));
        Ok(Sandbox {
            base_url: format!("http://{addr}"),
            shared,
            stop,
        })
    }
}

/// A running sandbox. Dropping it stops the server.
pub struct Sandbox {
    base_url: String,
    shared: Arc<state::Shared>,
    stop: tokio::sync::watch::Sender<bool>,
}

impl fmt::Debug for Sandbox {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Sandbox")
            .field("base_url", &self.base_url)
            .finish()
    }
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        let _ = self.stop.send(true);
    }
}

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

    /// `http://127.0.0.1:<port>`.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// A client builder pointed at this sandbox with the default credentials of both apps.
    pub fn client_builder(&self) -> ClientBuilder {
        cashfree_verification::Client::builder()
            .base_url(&self.base_url)
            .vkyc_credentials(DEFAULT_VKYC_CREDENTIALS.0, DEFAULT_VKYC_CREDENTIALS.1)
            .one_click_credentials(
                DEFAULT_ONE_CLICK_CREDENTIALS.0,
                DEFAULT_ONE_CLICK_CREDENTIALS.1,
            )
    }

    /// The requests received so far, in order: the last [`MAX_LOGGED_REQUESTS`], each with at most
    /// [`MAX_LOGGED_BODY_BYTES`] of its body, so a long-running sandbox keeps bounded memory.
    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.shared
            .requests
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .iter()
            .cloned()
            .collect()
    }

    /// Consents, as the end user would in Cashfree's 1-Click SDK, to the session initiated with
    /// `verification_id`: returns the auth code that `POST /oauth2/generate-token` exchanges (once)
    /// for the user's access token.
    ///
    /// # Errors
    /// No session was initiated with that id on this sandbox.
    pub fn consent(&self, verification_id: &str) -> Result<String, SandboxError> {
        self.shared.consent(verification_id).map_err(SandboxError)
    }

    /// Answers the next `times` calls of `operation_id` with its documented example `example`
    /// (Cashfree's name for it, e.g. `"Invalid PAN"`), verbatim, after the credential checks: a
    /// success example also passes parameter and body validation and issues ids as usual; an
    /// error example answers with its status as soon as the caller is authenticated.
    ///
    /// Over HTTP, other languages do the same with `POST /__sandbox/scenario` or the
    /// [`SCENARIO_HEADER`] on one request (see [the routes](crate#sandbox-only-routes)).
    ///
    /// # Errors
    /// The operation is not in the spec, or documents no example of that name (the message lists
    /// the ones it does).
    pub fn scenario(
        &self,
        operation_id: &str,
        example: &str,
        times: usize,
    ) -> Result<(), SandboxError> {
        self.shared
            .scenario(operation_id, example, times)
            .map_err(SandboxError)
    }

    /// Applies `fault` to the next `times` requests (after faults already queued).
    pub fn inject(&self, fault: Fault, times: usize) {
        let mut faults = self.shared.faults.lock().unwrap_or_else(|e| e.into_inner());
        faults.extend(std::iter::repeat_n(fault, times));
    }

    /// Success bodies the sandbox made up itself (for operations that document no success example)
    /// that do not match the spec's response schema (should stay empty; tests assert it).
    /// Documented examples are answered verbatim, as Cashfree sends them, and are not judged by
    /// the schema they often contradict.
    pub fn conformance_failures(&self) -> Vec<String> {
        self.shared
            .conformance
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// Sends `delivery` to the webhook URL now and waits for the outcome (every attempt).
    ///
    /// # Errors
    /// The sandbox was built without [`SandboxBuilder::webhook_url`].
    pub async fn send_webhook(&self, delivery: Delivery) -> Result<DeliveryReport, SandboxError> {
        let settings = self.webhook_settings()?;
        let report = webhooks::send(settings, delivery).await;
        settings.record(report.clone());
        Ok(report)
    }

    /// Sends a delivery's bytes again, once, with its last attempt's timestamp and signature (a
    /// replay, which a receiver should deduplicate, or refuse once stale).
    ///
    /// # Errors
    /// The sandbox was built without [`SandboxBuilder::webhook_url`].
    pub async fn replay_webhook(&self, report: &DeliveryReport) -> Result<Attempt, SandboxError> {
        Ok(webhooks::replay(self.webhook_settings()?, report).await)
    }

    /// Every delivery made so far (the last [`MAX_LOGGED_DELIVERIES`]), in order; those sent after
    /// an operation appear once their last attempt is over.
    pub fn webhook_deliveries(&self) -> Vec<DeliveryReport> {
        self.shared
            .config
            .webhook
            .as_ref()
            .map(|w| w.log.lock().unwrap_or_else(|e| e.into_inner()).clone())
            .unwrap_or_default()
    }

    fn webhook_settings(&self) -> Result<&WebhookSettings, SandboxError> {
        self.shared
            .config
            .webhook
            .as_ref()
            .ok_or_else(|| SandboxError("no webhook_url was given to the builder".into()))
    }
}

pub(crate) type FaultQueue = Mutex<VecDeque<Fault>>;
