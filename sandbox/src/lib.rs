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
//! - **Refusals**, with Cashfree's documented bodies: credentials (a bearer token only for the
//!   product, the spec tag, of the operation that issued it, and only until the expiry its answer
//!   stated: the VKYC `/oauth/token` token does not open 1-Click user details), `x-cf-signature`
//!   (when a key is set), required headers (`X-Session-Id`), `x-api-version` where sent
//!   (optional wherever the spec says so), parameters and bodies against their schemas and the length limits the error
//!   examples document (`pan_length_short`), 404 for ids never issued, 409 for a reused id on every
//!   operation that documents one, rate limits, balance.
//!
//! # Bounded memory
//!
//! What the sandbox remembers (ids issued and used, tokens, sessions, auth codes) is bounded per
//! kind by [`MAX_REMEMBERED_IDS`] and [`MAX_REMEMBERED_BYTES`], and the request log by
//! [`MAX_LOGGED_REQUESTS`] and [`MAX_LOGGED_BYTES`]; the oldest go first. An issued id keeps
//! only the ids of its answer, not the body. A long-running sandbox's memory stays flat however
//! many requests it answers and however large they are.
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
//! - `POST /__sandbox/fault` `{"fault": "delay", "ms": 3000, "times": 1}`, `{"fault": "drop"}`,
//!   `{"fault": "truncate"}`, `{"fault": "respond", "status": 429, "headers": {...}, "body": ...}`
//!   or `{"fault": "documented", "status": 409}`: the next requests get that fault
//!   ([`Sandbox::inject`]). A delayed, dropped or cut create is still performed: its ids are
//!   issued, so a later status call finds it (the ambiguous create).
//!
//! # Over time
//!
//! - **Asynchronous statuses**: after a create whose operation carries `x-cashfree-wait` in the
//!   merged document, its status operation answers a pending status until
//!   [`SandboxBuilder::async_delay`] (zero by default) has passed, or the delay the create's
//!   [`ASYNC_DELAY_HEADER`] asked for (`x-sandbox-async-delay-ms: 200`); then its usual answer.
//!   Pending is the documented example with a pending status, else the usual answer with only its
//!   status field set to the entry's first pending value.
//! - **Rate limits**: with [`SandboxBuilder::rate_limit_per_operation`] or
//!   [`rate_limit_per_ip`](SandboxBuilder::rate_limit_per_ip), every answer past the rate check
//!   carries Cashfree's `X-RateLimit-Limit`, `X-RateLimit-Remaining` and `X-RateLimit-Reset`
//!   (seconds until the window resets); a 429 also carries `Retry-After` unless
//!   [`rate_limit_retry_after(false)`](SandboxBuilder::rate_limit_retry_after).

mod answer;
mod builder;
mod checks;
mod choice;
mod config;
mod control;
mod dates;
mod handle;
mod handler;
mod http;
mod limits;
#[cfg(test)]
mod over_time_tests;
mod recorded;
mod refusal;
mod remember;
mod remembered;
mod scenario;
mod schema;
mod serve;
mod spec;
mod state;
mod timeline;
mod waits;
mod webhooks;

pub use builder::SandboxBuilder;
pub use config::READ_TIMEOUT;
pub use control::SCENARIO_HEADER;
pub use handle::{Sandbox, SandboxError};
pub use recorded::{Fault, RecordedRequest};
pub use timeline::ASYNC_DELAY_HEADER;
pub use webhooks::{
    Attempt, Delivery, DeliveryReport, MAX_LOGGED_DELIVERIES, Tamper, WebhookSettings,
};

/// The Verification app's credentials a default sandbox accepts (every product, VKYC included).
pub const DEFAULT_CREDENTIALS: (&str, &str) =
    ("sandbox-vkyc-client-id", "sandbox-vkyc-client-secret");
/// The former name of [`DEFAULT_CREDENTIALS`].
#[deprecated(
    since = "0.1.0",
    note = "use DEFAULT_CREDENTIALS: the Verification app's, for every product"
)]
pub const DEFAULT_VKYC_CREDENTIALS: (&str, &str) = DEFAULT_CREDENTIALS;
/// The 1-Click credentials a default sandbox accepts.
pub const DEFAULT_ONE_CLICK_CREDENTIALS: (&str, &str) =
    ("sandbox-1click-client-id", "sandbox-1click-client-secret");

/// Most requests [`Sandbox::requests`] keeps; older ones are dropped first.
pub const MAX_LOGGED_REQUESTS: usize = 1000;
/// Most body bytes kept per logged request ([`RecordedRequest::body_len`] has the whole length).
pub const MAX_LOGGED_BODY_BYTES: usize = 64 * 1024;
/// Most bytes the request log holds in all (bodies, headers and bookkeeping): 1,000 small
/// requests fit, but only about 60 with 64 KiB bodies; the oldest are dropped first.
pub const MAX_LOGGED_BYTES: usize = 4 * 1024 * 1024;
/// Most ids (issued, used, tokens, sessions, auth codes, queued scenarios) the sandbox remembers of
/// each kind; the oldest are forgotten first.
pub const MAX_REMEMBERED_IDS: usize = 100_000;
/// Most bytes the sandbox remembers of each kind (ids issued with the ids of the answer they
/// name, ids used, tokens, sessions, auth codes), counting each entry's text and 128 bytes of
/// bookkeeping; the oldest are forgotten first, and one entry larger than this is not remembered.
/// With [`MAX_LOGGED_BYTES`], what a long-running sandbox holds stays under 5 × 4 + 4 = 24 MiB
/// (28 with the webhook log) however many requests it answers and however large they are.
pub const MAX_REMEMBERED_BYTES: usize = 4 * 1024 * 1024;
