//! [`Sandbox`]: a running sandbox and what a test asks of it (its base URL, a client builder, the
//! requests received, consents, scenarios, faults, webhooks), and [`SandboxError`].

use std::fmt;
use std::sync::Arc;

use cashfree_verification::ClientBuilder;

use super::webhooks::{self, Attempt, Delivery, DeliveryReport, WebhookSettings};
use super::{DEFAULT_CREDENTIALS, DEFAULT_ONE_CLICK_CREDENTIALS, Fault, RecordedRequest, state};

/// Why the sandbox could not start.
#[derive(Debug)]
pub struct SandboxError(pub(crate) String);

impl fmt::Display for SandboxError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "cannot start the Cashfree sandbox: {}", self.0)
    }
}

impl std::error::Error for SandboxError {}

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
    /// The handle of a server started by [`SandboxBuilder::start`](crate::SandboxBuilder::start).
    pub(crate) fn running(
        base_url: String,
        shared: Arc<state::Shared>,
        stop: tokio::sync::watch::Sender<bool>,
    ) -> Sandbox {
        Sandbox {
            base_url,
            shared,
            stop,
        }
    }

    /// `http://127.0.0.1:<port>`.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// A client builder pointed at this sandbox with the default credentials of both apps.
    pub fn client_builder(&self) -> ClientBuilder {
        cashfree_verification::Client::builder()
            .base_url(&self.base_url)
            .credentials(DEFAULT_CREDENTIALS.0, DEFAULT_CREDENTIALS.1)
            .one_click_credentials(
                DEFAULT_ONE_CLICK_CREDENTIALS.0,
                DEFAULT_ONE_CLICK_CREDENTIALS.1,
            )
    }

    /// The requests received so far, in order: the last [`MAX_LOGGED_REQUESTS`], each with at most
    /// [`MAX_LOGGED_BODY_BYTES`] of its body, and no more of them than fit in [`MAX_LOGGED_BYTES`],
    /// so a long-running sandbox keeps bounded memory.
    ///
    /// [`MAX_LOGGED_REQUESTS`]: crate::MAX_LOGGED_REQUESTS
    /// [`MAX_LOGGED_BODY_BYTES`]: crate::MAX_LOGGED_BODY_BYTES
    /// [`MAX_LOGGED_BYTES`]: crate::MAX_LOGGED_BYTES
    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.shared.requests().snapshot()
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
    /// success example also passes parameter and body validation and issues ids as usual; an error
    /// example answers with its status as soon as the caller is authenticated.
    ///
    /// Over HTTP, other languages do the same with `POST /__sandbox/scenario` or the
    /// [`SCENARIO_HEADER`] on one request (see [the routes](crate#sandbox-only-routes)).
    ///
    /// # Errors
    /// The operation is not in the spec, or documents no example of that name (the message lists
    /// the ones it does).
    ///
    /// [`SCENARIO_HEADER`]: crate::SCENARIO_HEADER
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
    ///
    /// Other languages do the same with `POST /__sandbox/fault` (see
    /// [the routes](crate#sandbox-only-routes)). At most [`MAX_REMEMBERED_IDS`] faults are
    /// queued in all.
    ///
    /// [`MAX_REMEMBERED_IDS`]: crate::MAX_REMEMBERED_IDS
    pub fn inject(&self, fault: Fault, times: usize) {
        self.shared.inject(fault, times);
    }

    /// Success bodies the sandbox made up itself (for operations that document no success example)
    /// that do not match the spec's response schema (should stay empty; tests assert it): the
    /// first 1,000.
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
    /// The sandbox was built without [`SandboxBuilder::webhook_url`](crate::SandboxBuilder::webhook_url).
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
    /// The sandbox was built without [`SandboxBuilder::webhook_url`](crate::SandboxBuilder::webhook_url).
    pub async fn replay_webhook(&self, report: &DeliveryReport) -> Result<Attempt, SandboxError> {
        Ok(webhooks::replay(self.webhook_settings()?, report).await)
    }

    /// Every delivery made so far (the last [`MAX_LOGGED_DELIVERIES`]), in order; those sent after
    /// an operation appear once their last attempt is over.
    ///
    /// [`MAX_LOGGED_DELIVERIES`]: crate::MAX_LOGGED_DELIVERIES
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
