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
use std::time::{Duration, SystemTime};

use reqwest::StatusCode;
use reqwest::header::HeaderMap;
use serde_json::Value;

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

/// The prefix of progenitor `Error::Custom` messages that mean "credentials missing" (written by the
/// credential check before any I/O); reported as [`ErrorKind::MissingCredentials`].
pub(crate) const MISSING_CREDENTIALS: &str = "missing credentials: ";

/// Response header the client's hook adds to a non-2xx response whose body it replaced by
/// `{"message": <snippet>}` because it was not Cashfree's JSON error object (its value says why), so
/// the error keeps its status whatever progenitor does next.
pub(crate) const UNDECODABLE_HEADER: &str = "x-cashfree-rs-undecodable";

/// The body as the hook read it (at most `max_response_bytes`), kept on error responses, whose body
/// progenitor does not read when the status is undocumented.
#[derive(Debug, Clone)]
pub(crate) struct BufferedBody(pub bytes::Bytes);

/// The prefix of progenitor `Error::Custom` messages that mean "could not sign"; see
/// [`ErrorKind::Signing`].
pub(crate) const SIGNING_FAILED: &str = "could not sign the request: ";

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
    snippet: Option<String>,
    body: Option<bytes::Bytes>,
    location: Option<String>,
    source: Option<Box<dyn StdError + Send + Sync + 'static>>,
}

impl Error {
    fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Error(Box::new(Inner {
            kind: Some(kind),
            message: message.into(),
            ..Inner::default()
        }))
    }

    pub(crate) fn config(problems: Vec<String>) -> Self {
        Error::new(ErrorKind::Config, problems.join("; "))
    }

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

    /// The delay the server asked for in `Retry-After`, if any.
    pub fn retry_after(&self) -> Option<Duration> {
        self.0.retry_after
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

    /// For [`ErrorKind::Redirect`]: the `Location` the server named (not followed; lossy UTF-8).
    pub fn location(&self) -> Option<&str> {
        self.0.location.as_deref()
    }

    /// `true` when sending the same request again is likely to help and safe: 429, 502, 503, 504, and
    /// connection failures (the request never reached the server). Not 500 or a timeout: Cashfree may
    /// have processed the request, and replaying Initiate OAuth then meets
    /// `verification_id_already_exists`.
    pub fn is_retryable(&self) -> bool {
        match self.kind() {
            ErrorKind::Connect => true,
            ErrorKind::Api | ErrorKind::Decode | ErrorKind::UnexpectedStatus => {
                matches!(
                    self.0.status.map(|s| s.as_u16()),
                    Some(429 | 502 | 503 | 504)
                )
            }
            _ => false,
        }
    }

    /// `true` for [`ErrorKind::Timeout`].
    pub fn is_timeout(&self) -> bool {
        self.kind() == ErrorKind::Timeout
    }

    /// `true` for [`ErrorKind::Connect`].
    pub fn is_connect(&self) -> bool {
        self.kind() == ErrorKind::Connect
    }

    fn with_response(mut self, status: StatusCode, headers: &HeaderMap) -> Self {
        self.0.status = Some(status);
        self.0.request_id = request_id(headers).map(|s| s.chars().take(128).collect());
        self.0.retry_after = headers
            .get(reqwest::header::RETRY_AFTER)
            .and_then(|v| crate::retry::parse_retry_after(v, SystemTime::now()));
        self
    }

    fn with_source(mut self, source: impl StdError + Send + Sync + 'static) -> Self {
        self.0.source = Some(Box::new(source));
        self
    }

    /// An error from Cashfree's JSON error body.
    fn api(status: StatusCode, headers: &HeaderMap, body: &Value) -> Self {
        let text = |k: &str| body.get(k).and_then(Value::as_str).map(String::from);
        let mut e = Error::new(ErrorKind::Api, "").with_response(status, headers);
        e.0.error_type = text("type");
        e.0.code = text("code").map(|c| ErrorCode::from_code(&c));
        e.0.api_message = text("message");
        e.0.details = body.get("error").filter(|v| !v.is_null()).cloned();
        e
    }

    /// A 3xx answer: never followed, reported with its `Location`.
    fn redirect(status: StatusCode, headers: &HeaderMap) -> Self {
        let mut e = Error::new(ErrorKind::Redirect, "").with_response(status, headers);
        e.0.location = headers
            .get(reqwest::header::LOCATION)
            .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned());
        e
    }

    /// A body that is not the documented JSON, with the start of it.
    fn decode(what: &str, bytes: &[u8]) -> Self {
        let mut e = Error::new(ErrorKind::Decode, what);
        e.0.snippet = Some(snippet(bytes));
        e
    }

    /// A body the exec hook found undecodable: it replaced it with `{"message": <snippet>}` and said
    /// why in [`UNDECODABLE_HEADER`].
    fn undecodable(status: StatusCode, headers: &HeaderMap, why: &str, replaced: &Value) -> Self {
        let mut err = Error::new(ErrorKind::Decode, why).with_response(status, headers);
        err.0.snippet = replaced
            .get("message")
            .and_then(Value::as_str)
            .map(String::from);
        err
    }

    /// Maps a builder message (`error converting supplied value for verification_id: longer than 50
    /// characters`, `no value supplied for user`) to Cashfree's code for the same fault.
    fn validation(message: String) -> Self {
        let (field, reason) = parse_validation(&message);
        let reason = reason.to_string();
        let mut e = Error::new(ErrorKind::Validation, message.clone());
        if let Some(field) = field {
            let suffix =
                if reason.contains("no value supplied") || reason.contains("was not initialized") {
                    "missing"
                } else if reason.contains("longer than") {
                    "length_exceeded"
                } else {
                    "value_invalid"
                };
            e.0.code = Some(ErrorCode::from_code(&format!("{field}_{suffix}")));
            e.0.field = Some(field);
        }
        e
    }
}

/// (innermost field, innermost reason) of a progenitor/typify builder message.
fn parse_validation(message: &str) -> (Option<String>, &str) {
    let mut rest = message;
    let mut field = None;
    loop {
        if let Some(i) = rest.find("supplied value for ") {
            let after = &rest[i + "supplied value for ".len()..];
            if let Some((f, tail)) = after.split_once(": ") {
                field = Some(f.trim().to_string());
                rest = tail;
                continue;
            }
        }
        break;
    }
    if let Some(i) = rest.find("no value supplied for ") {
        field = Some(
            rest[i + "no value supplied for ".len()..]
                .trim()
                .to_string(),
        );
    } else if let Some(f) = rest.strip_suffix(" was not initialized") {
        field = Some(f.rsplit(' ').next().unwrap_or(f).trim().to_string());
    }
    (field, rest)
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

impl<E: serde::Serialize> From<progenitor_client::Error<E>> for Error {
    fn from(e: progenitor_client::Error<E>) -> Self {
        use progenitor_client::Error as P;
        match e {
            P::InvalidRequest(message) => Error::validation(message),
            P::Custom(message) => {
                if let Some(rest) = message.strip_prefix(MISSING_CREDENTIALS) {
                    Error::new(ErrorKind::MissingCredentials, rest)
                } else if let Some(rest) = message.strip_prefix(SIGNING_FAILED) {
                    Error::new(ErrorKind::Signing, rest)
                } else {
                    Error::new(ErrorKind::Config, message)
                }
            }
            P::CommunicationError(e) | P::InvalidUpgrade(e) => transport(e),
            P::ResponseBodyError(e) => transport(e),
            P::ErrorResponse(rv) if rv.status().is_redirection() => {
                Error::redirect(rv.status(), rv.headers())
            }
            P::UnexpectedResponse(response) if response.status().is_redirection() => {
                Error::redirect(response.status(), response.headers())
            }
            P::ErrorResponse(rv) => {
                let status = rv.status();
                let headers = rv.headers().clone();
                let body = serde_json::to_value(rv.into_inner()).unwrap_or(Value::Null);
                match headers
                    .get(UNDECODABLE_HEADER)
                    .and_then(|v| v.to_str().ok())
                {
                    Some(why) => Error::undecodable(status, &headers, why, &body),
                    None => Error::api(status, &headers, &body),
                }
            }
            P::InvalidResponsePayload(bytes, e) => {
                Error::decode("the response body is not the documented JSON", &bytes).with_source(e)
            }
            P::UnexpectedResponse(response)
                if response
                    .extensions()
                    .get::<crate::wire::Undecodable>()
                    .is_some() =>
            {
                let status = response.status();
                let undecodable = response
                    .extensions()
                    .get::<crate::wire::Undecodable>()
                    .cloned()
                    .expect("checked by the guard");
                let what = if status.is_success() {
                    "the answer does not decode as the documented type; its whole body is kept"
                } else {
                    "the error body does not decode as the documented type"
                };
                let mut err = Error::decode(what, &undecodable.body)
                    .with_response(status, response.headers())
                    .with_source(ArcError(undecodable.error));
                err.0.body = Some(undecodable.body);
                err
            }
            P::UnexpectedResponse(response) => {
                let status = response.status();
                let headers = response.headers().clone();
                let buffered = response
                    .extensions()
                    .get::<BufferedBody>()
                    .map(|b| b.0.clone())
                    .unwrap_or_default();
                if let Some(why) = headers
                    .get(UNDECODABLE_HEADER)
                    .and_then(|v| v.to_str().ok())
                {
                    let body: Value = serde_json::from_slice(&buffered).unwrap_or(Value::Null);
                    return Error::undecodable(status, &headers, why, &body);
                }
                match serde_json::from_slice::<Value>(&buffered) {
                    Ok(body) if is_error_object(&body) && body.get("code").is_some() => {
                        Error::api(status, &headers, &body)
                    }
                    _ => {
                        let mut err = Error::new(ErrorKind::UnexpectedStatus, "")
                            .with_response(status, &headers);
                        if !buffered.is_empty() {
                            err.0.snippet = Some(snippet(&buffered));
                        }
                        err
                    }
                }
            }
        }
    }
}

/// A decoding error shared with the response it came from, as an error source.
#[derive(Debug)]
struct ArcError(std::sync::Arc<serde_json::Error>);

impl fmt::Display for ArcError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl StdError for ArcError {}

fn transport(e: reqwest::Error) -> Error {
    let kind = if e.is_timeout() {
        ErrorKind::Timeout
    } else if e.is_connect() {
        ErrorKind::Connect
    } else {
        ErrorKind::Transport
    };
    let mut err = Error::new(kind, "");
    err.0.status = e.status();
    err.with_source(e.without_url())
}

impl fmt::Display for Error {
    /// One line, whatever the server sent: control characters are escaped and each piece of server
    /// text is cut at [`DISPLAY_TEXT_CHARS`] characters.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let i = &self.0;
        fn server(text: &str) -> OneLine<'_> {
            OneLine(text, DISPLAY_TEXT_CHARS)
        }
        fn ours(text: &str) -> OneLine<'_> {
            OneLine(text, usize::MAX)
        }
        match self.kind() {
            ErrorKind::Config => write!(
                f,
                "invalid Cashfree client configuration: {}",
                ours(&i.message)
            )?,
            ErrorKind::MissingCredentials => write!(f, "{}", ours(&i.message))?,
            ErrorKind::Signing => write!(
                f,
                "could not sign the request (x-cf-signature), so it was not sent: {}",
                ours(&i.message)
            )?,
            ErrorKind::Validation => {
                write!(f, "invalid request, not sent")?;
                if let Some(code) = &i.code {
                    write!(f, " ({})", ours(code.as_str()))?;
                }
                write!(f, ": {}", ours(&i.message))?;
            }
            ErrorKind::Api => {
                write!(f, "Cashfree answered {}", status_text(i.status))?;
                if let Some(code) = &i.code {
                    write!(f, " {}", server(code.as_str()))?;
                }
                if let Some(t) = &i.error_type {
                    write!(f, " ({})", server(t))?;
                }
                if let Some(m) = &i.api_message {
                    write!(f, ": {}", server(m))?;
                }
            }
            ErrorKind::Redirect => {
                write!(
                    f,
                    "Cashfree answered {} redirecting to {}; redirects are never followed, nothing was sent there",
                    status_text(i.status),
                    match &i.location {
                        Some(l) => format!("\"{}\"", server(l)),
                        None => "no Location".into(),
                    }
                )?;
            }
            ErrorKind::Decode => {
                write!(f, "undecodable response")?;
                if i.status.is_some() {
                    write!(f, " {}", status_text(i.status))?;
                }
                write!(f, " ({}", ours(&i.message))?;
                if let Some(source) = &i.source {
                    write!(f, ": {}", server(&source.to_string()))?;
                }
                write!(f, ")")?;
                if let Some(s) = &i.snippet {
                    write!(f, ": \"{}\"", server(s))?;
                }
            }
            ErrorKind::UnexpectedStatus => {
                write!(
                    f,
                    "Cashfree answered {}, which the spec does not document",
                    status_text(i.status)
                )?;
                if let Some(s) = &i.snippet {
                    write!(f, ": \"{}\"", server(s))?;
                }
            }
            ErrorKind::Timeout | ErrorKind::Connect | ErrorKind::Transport => {
                let what = match self.kind() {
                    ErrorKind::Timeout => "request timed out",
                    ErrorKind::Connect => "could not connect to Cashfree",
                    _ => "transport error",
                };
                write!(f, "{what}")?;
                if let Some(source) = &i.source {
                    write!(f, ": {}", server(&source.to_string()))?;
                }
            }
        }
        if let Some(id) = &i.request_id {
            write!(f, " [request id {}]", server(id))?;
        }
        if let Some(after) = i.retry_after {
            write!(f, " [retry after {}s]", after.as_secs())?;
        }
        Ok(())
    }
}

/// Line and paragraph separators and bidirectional controls: they can forge a line or reorder what a
/// terminal shows without being control characters.
fn is_invisible_layout(c: char) -> bool {
    matches!(c, '\u{2028}' | '\u{2029}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// Text written on one line: control characters (newlines, terminal escapes, ...) and invisible
/// layout characters are escaped, and at most `.1` characters are written, then `…`.
struct OneLine<'a>(&'a str, usize);

impl fmt::Display for OneLine<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use fmt::Write as _;
        for (n, c) in self.0.chars().enumerate() {
            if n == self.1 {
                return f.write_char('…');
            }
            if c.is_control() || is_invisible_layout(c) {
                write!(f, "{}", c.escape_default())?;
            } else {
                f.write_char(c)?;
            }
        }
        Ok(())
    }
}

fn status_text(status: Option<StatusCode>) -> String {
    match status {
        Some(s) => format!("HTTP {}", s.as_u16()),
        None => "with no status".into(),
    }
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
            .field("snippet", &i.snippet)
            .field("body_len", &i.body.as_ref().map(|b| b.len()))
            .field("location", &i.location)
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
