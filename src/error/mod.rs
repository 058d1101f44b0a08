//! One error type for every operation: `?` on any generated call converts into [`Error`].
//!
//! ```no_run
//! use cashfree_verification::{Client, ErrorCode, types};
//!
//! # async fn run(client: Client) -> Result<(), cashfree_verification::Error> {
//! let result = client
//!     .vrs_user_vault_oauth_initiation()
//!     .body(types::InitiateOauthRequestSchema::builder()
//!         .verification_id("order-42")
//!         .user(types::InitiateOauthRequestSchemaUser::builder()
//!             .identifier_type(types::InitiateOauthRequestSchemaUserIdentifierType::Mobile)
//!             .identifier_value("9988776655")))
//!     .send()
//!     .await;
//! match result.map_err(cashfree_verification::Error::from) {
//!     Ok(session) => println!("session {:?}", session.session_id),
//!     Err(e) if e.code() == Some(&ErrorCode::VerificationIdAlreadyExists) => {
//!         println!("already started: look the session up instead");
//!     }
//!     Err(e) if e.is_retryable() => println!("try again after {:?}", e.retry_after()),
//!     Err(e) => return Err(e),
//! }
//! # Ok(()) }
//! ```

use std::error::Error as StdError;
use std::fmt;
use std::time::Duration;

use reqwest::StatusCode;
use reqwest::header::HeaderMap;
use serde_json::Value;

use crate::retry::{Outcome, RetryAction, TransportError, classify};

mod builder_messages;
mod display;
mod from_generated;
mod make;
mod wait;

pub use wait::FirstAttempt;

pub use crate::generated::meta::ErrorCode;

/// What kind of failure an [`Error`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The client's configuration is invalid (reported by `ClientBuilder::build`).
    Config,
    /// The operation needs credentials for a security scheme that was not configured; nothing was sent.
    MissingCredentials,
    /// The request breaks a documented constraint; nothing was sent. [`Error::code`] is Cashfree's
    /// own code for it (e.g. `verification_id_length_exceeded`).
    Validation,
    /// Cashfree answered with an error body (`type`, `code`, `message`).
    Api,
    /// The response body could not be decoded: not JSON, truncated, or not the documented shape.
    Decode,
    /// An attempt took longer than the configured timeout. The server may have processed it.
    Timeout,
    /// The connection could not be made; the request never reached the server.
    Connect,
    /// Another transport failure (reset connection, body read error, ...).
    Transport,
    /// A status the spec does not document for this operation, with no Cashfree error body.
    UnexpectedStatus,
    /// The server answered with a redirect (3xx). Redirects are never followed, so nothing was sent to
    /// the `Location` it names ([`Error::location`]).
    Redirect,
    /// A public key is configured but the request could not be signed (`x-cf-signature`); nothing was
    /// sent, since Cashfree would refuse it unsigned.
    Signing,
    /// A wait for an asynchronous verification ([`wait`](crate::wait)) passed its deadline before a
    /// terminal status; [`Error::last_status`] is the last one seen.
    WaitDeadline,
}

/// Headers that may carry the id Cashfree gives a request, in the order they are looked for.
pub const REQUEST_ID_HEADERS: [&str; 3] = ["x-request-id", "x-cf-request-id", "request-id"];

/// The request id among `headers` ([`REQUEST_ID_HEADERS`]), if any.
pub(crate) fn request_id(headers: &HeaderMap) -> Option<&str> {
    // The same names, parsed at compile time rather than on every look-up.
    const NAMES: [reqwest::header::HeaderName; 3] = [
        reqwest::header::HeaderName::from_static(REQUEST_ID_HEADERS[0]),
        reqwest::header::HeaderName::from_static(REQUEST_ID_HEADERS[1]),
        reqwest::header::HeaderName::from_static(REQUEST_ID_HEADERS[2]),
    ];
    NAMES
        .iter()
        .find_map(|h| headers.get(h))
        .and_then(|v| v.to_str().ok())
}

/// Most bytes of an undecodable body kept in an error.
pub const SNIPPET_BYTES: usize = 512;

/// Most characters of any one piece of server text (message, code, type, request id, `Location`)
/// that [`Error`]'s `Display` prints; the accessors keep the whole text.
pub const DISPLAY_TEXT_CHARS: usize = 200;

/// The error of every operation. Cheap to move (one box); `Send + Sync`; never holds a secret.
pub struct Error(Box<Inner>);

#[derive(Default)]
struct Inner {
    kind: Option<ErrorKind>,
    message: String,
    status: Option<StatusCode>,
    error_type: Option<String>,
    code: Option<ErrorCode>,
    api_message: Option<String>,
    details: Option<Value>,
    field: Option<String>,
    request_id: Option<String>,
    retry_after: Option<Duration>,
    rate_limit: Option<crate::rate_limit::RateLimit>,
    snippet: Option<String>,
    body: Option<bytes::Bytes>,
    location: Option<String>,
    /// For transport failures: the host the request was for (never a path, query or credential).
    host: Option<String>,
    /// For a call that got no answer: its operation (Cashfree's operationId).
    operation: Option<&'static str>,
    /// For a call that got no answer: how long it took, every attempt included.
    elapsed: Option<Duration>,
    /// For a wait's deadline: the last status seen.
    last_status: Option<String>,
    /// For a create of unknown outcome met by a wait.
    first_attempt: Option<Box<FirstAttempt>>,
    source: Option<Box<dyn StdError + Send + Sync + 'static>>,
}

impl Error {
    /// What kind of failure this is.
    pub fn kind(&self) -> ErrorKind {
        self.0.kind.unwrap_or(ErrorKind::Transport)
    }

    /// The HTTP status, when a response arrived.
    pub fn status(&self) -> Option<StatusCode> {
        self.0.status
    }

    /// Cashfree's error code: from the response body for [`ErrorKind::Api`], or the code Cashfree would
    /// have answered for a [`ErrorKind::Validation`] caught before sending.
    pub fn code(&self) -> Option<&ErrorCode> {
        self.0.code.as_ref()
    }

    /// Cashfree's error `type` (e.g. `validation_error`, `rate_limit_error`).
    pub fn error_type(&self) -> Option<&str> {
        self.0.error_type.as_deref()
    }

    /// Cashfree's error `message`.
    pub fn api_message(&self) -> Option<&str> {
        self.0.api_message.as_deref()
    }

    /// Cashfree's optional `error` object with details.
    pub fn details(&self) -> Option<&Value> {
        self.0.details.as_ref()
    }

    /// For [`ErrorKind::Validation`]: the request field at fault.
    pub fn field(&self) -> Option<&str> {
        self.0.field.as_deref()
    }

    /// The request id from the response headers ([`REQUEST_ID_HEADERS`]), for Cashfree support.
    pub fn request_id(&self) -> Option<&str> {
        self.0.request_id.as_deref()
    }

    /// The delay the server asked for in `Retry-After`, or, for a `429` without it, in
    /// `X-RateLimit-Reset` ([`server_delay`](crate::rate_limit::server_delay)).
    pub fn retry_after(&self) -> Option<Duration> {
        self.0.retry_after
    }

    /// What the answer's `X-RateLimit-Limit`, `-Remaining` and `-Reset` said, when it had any.
    pub fn rate_limit(&self) -> Option<crate::rate_limit::RateLimit> {
        self.0.rate_limit
    }

    /// The start of a body that could not be decoded (at most [`SNIPPET_BYTES`] bytes, lossy UTF-8).
    pub fn body_snippet(&self) -> Option<&str> {
        self.0.snippet.as_deref()
    }

    /// The whole body of an answer that could not be decoded (at most the client's
    /// `max_response_bytes`): for a 2xx, the result of a verification Cashfree performed (and may
    /// have billed), to read with [`wire::decode`](crate::wire::decode) into another type, or as JSON.
    ///
    /// ```
    /// # fn show(err: cashfree_verification::Error) {
    /// if let Some(body) = err.body() {
    ///     let answer: serde_json::Value = serde_json::from_slice(body).unwrap_or_default();
    ///     println!("HTTP {:?}: {answer}", err.status());
    /// }
    /// # }
    /// ```
    pub fn body(&self) -> Option<&[u8]> {
        self.0.body.as_deref()
    }

    /// For a call that got no answer ([`ErrorKind::Timeout`], [`ErrorKind::Connect`],
    /// [`ErrorKind::Transport`]): the operation, as Cashfree's operationId (`VrsPanVerification`).
    pub fn operation(&self) -> Option<&str> {
        self.0.operation
    }

    /// For a call that got no answer: how long the call took until it failed, measured by the call
    /// path around every attempt and retry wait (so a timed-out call's is at least the timeout).
    pub fn elapsed(&self) -> Option<Duration> {
        self.0.elapsed
    }

    /// For [`ErrorKind::Redirect`]: the `Location` the server named (not followed; lossy UTF-8).
    pub fn location(&self) -> Option<&str> {
        self.0.location.as_deref()
    }

    /// What this failure says about sending the same request again: the one classification the
    /// retry loop reads too ([`retry::classify`](crate::retry::classify)).
    /// [`RetryAction::Retry`] for 429 and for a request that
    /// never reached the server (a connect timeout included);
    /// [`RetryIfRepeatable`](crate::retry::RetryAction::RetryIfRepeatable) for 502, 503 and 504,
    /// which a gateway may answer after Cashfree processed the request;
    /// [`Forbidden`](crate::retry::RetryAction::Forbidden) for a timeout or another failure after
    /// sending; [`NoAction`](crate::retry::RetryAction::NoAction) otherwise.
    pub fn retry_action(&self) -> RetryAction {
        let transport = |t| classify(Outcome::Transport(t));
        match self.kind() {
            ErrorKind::Connect => transport(TransportError::Connect),
            ErrorKind::Timeout => transport(TransportError::Timeout),
            ErrorKind::Transport => transport(TransportError::Other),
            ErrorKind::Api
            | ErrorKind::Decode
            | ErrorKind::UnexpectedStatus
            | ErrorKind::Redirect => self.0.status.map_or(RetryAction::NoAction, |status| {
                classify(Outcome::Response {
                    status,
                    retry_after: self.0.retry_after,
                })
            }),
            _ => RetryAction::NoAction,
        }
    }

    /// `true` when sending the same request again is likely to help and safe whatever the request
    /// ([`retry_action`](Error::retry_action) is `Retry`): 429, and connection failures (the request
    /// never reached the server). Not 502, 503 or 504 (a gateway may fail after Cashfree processed
    /// the request: see [`RetryPolicy::retry_gateway_errors`](crate::RetryPolicy::retry_gateway_errors)),
    /// 500 or a timeout: replaying Initiate OAuth then meets `verification_id_already_exists`.
    pub fn is_retryable(&self) -> bool {
        self.retry_action() == RetryAction::Retry
    }

    /// `true` for [`ErrorKind::Timeout`].
    pub fn is_timeout(&self) -> bool {
        self.kind() == ErrorKind::Timeout
    }

    /// `true` for [`ErrorKind::Connect`].
    pub fn is_connect(&self) -> bool {
        self.kind() == ErrorKind::Connect
    }
}

pub(crate) fn snippet(bytes: &[u8]) -> String {
    let cut = &bytes[..bytes.len().min(SNIPPET_BYTES)];
    let mut s = String::from_utf8_lossy(cut).into_owned();
    if bytes.len() > SNIPPET_BYTES {
        s.push('…');
    }
    s
}

/// `true` when `body` has the shape of Cashfree's error object (so it decodes as one).
pub(crate) fn is_error_object(body: &Value) -> bool {
    body.as_object().is_some_and(|o| {
        ["type", "code", "message"]
            .iter()
            .all(|k| o.get(*k).is_none_or(|v| v.is_string() || v.is_null()))
            && o.get("error").is_none_or(|v| v.is_object() || v.is_null())
    })
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let i = &self.0;
        f.debug_struct("Error")
            .field("kind", &self.kind())
            .field("status", &i.status)
            .field("code", &i.code)
            .field("error_type", &i.error_type)
            .field("api_message", &i.api_message)
            .field("field", &i.field)
            .field("request_id", &i.request_id)
            .field("retry_after", &i.retry_after)
            .field("rate_limit", &i.rate_limit)
            .field("snippet", &i.snippet)
            .field("body_len", &i.body.as_ref().map(|b| b.len()))
            .field("location", &i.location)
            .field("host", &i.host)
            .field("operation", &i.operation)
            .field("elapsed", &i.elapsed)
            .field("last_status", &i.last_status)
            .field("first_attempt", &i.first_attempt)
            .field("message", &i.message)
            .field("source", &i.source)
            .finish()
    }
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl StdError for Error {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        self.0
            .source
            .as_deref()
            .map(|s| s as &(dyn StdError + 'static))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_is_send_sync_and_small() {
        fn assert_send_sync<T: Send + Sync + 'static>() {}
        assert_send_sync::<Error>();
        assert_eq!(std::mem::size_of::<Error>(), std::mem::size_of::<usize>());
    }

    #[test]
    fn builder_messages_map_to_cashfree_codes() {
        let e = Error::validation(
            "error converting supplied value for verification_id: longer than 50 characters".into(),
        );
        assert_eq!(
            (e.field(), e.code()),
            (
                Some("verification_id"),
                Some(&ErrorCode::VerificationIdLengthExceeded)
            )
        );
        let e = Error::validation(
            "error converting supplied value for user: error converting supplied value for identifier_value: doesn't match pattern \"^[0-9]{10}$\"".into(),
        );
        assert_eq!(
            (e.field(), e.code()),
            (
                Some("identifier_value"),
                Some(&ErrorCode::IdentifierValueValueInvalid)
            )
        );
        let e = Error::validation("no value supplied for verification_id".into());
        assert_eq!(e.code(), Some(&ErrorCode::VerificationIdMissing));
        let e = Error::validation("no value supplied for app_id".into());
        assert_eq!(e.code(), Some(&ErrorCode::Other("app_id_missing".into())));
        assert!(
            e.to_string()
                .starts_with("invalid request, not sent (app_id_missing): "),
            "{e}"
        );
    }

    #[test]
    fn snippets_are_bounded() {
        let s = snippet(&vec![b'x'; 10_000]);
        assert_eq!(s.len(), SNIPPET_BYTES + '…'.len_utf8());
        assert_eq!(snippet(b"\xff\xfeabc"), "\u{fffd}\u{fffd}abc");
    }

    #[test]
    fn error_objects_are_recognised() {
        assert!(is_error_object(
            &serde_json::json!({"type": "a", "code": "b", "message": "c", "error": {"ref_id": 1}})
        ));
        assert!(!is_error_object(&serde_json::json!({"code": 5})));
        assert!(!is_error_object(&serde_json::json!(["x"])));
    }
}
