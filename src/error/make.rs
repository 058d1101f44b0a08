//! How each kind of [`Error`] is made: from a response, a step of the call path, a transport
//! failure, a `call_json` argument.

use std::error::Error as StdError;
use std::fmt;
use std::time::SystemTime;

use reqwest::StatusCode;
use reqwest::header::HeaderMap;
use serde_json::Value;

use super::{Error, ErrorCode, ErrorKind, Inner, request_id, snippet};
use crate::call::boundary::{StepError, StepKind};

impl Error {
    pub(super) fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Error(Box::new(Inner {
            kind: Some(kind),
            message: message.into(),
            ..Inner::default()
        }))
    }

    pub(crate) fn config(problems: Vec<String>) -> Self {
        Error::new(ErrorKind::Config, problems.join("; "))
    }

    pub(super) fn with_response(mut self, status: StatusCode, headers: &HeaderMap) -> Self {
        self.0.status = Some(status);
        self.0.request_id = request_id(headers).map(|s| s.chars().take(128).collect());
        let now = SystemTime::now();
        self.0.retry_after = crate::rate_limit::server_delay(status, headers, now);
        self.0.rate_limit = crate::rate_limit::RateLimit::from_headers(headers, now);
        self
    }

    pub(super) fn with_source(mut self, source: impl StdError + Send + Sync + 'static) -> Self {
        self.0.source = Some(Box::new(source));
        self
    }

    /// An error from Cashfree's JSON error body.
    pub(super) fn api(status: StatusCode, headers: &HeaderMap, body: &Value) -> Self {
        let text = |k: &str| body.get(k).and_then(Value::as_str).map(String::from);
        let mut e = Error::new(ErrorKind::Api, "").with_response(status, headers);
        e.0.error_type = text("type");
        e.0.code = text("code").map(|c| ErrorCode::from_code(&c));
        e.0.api_message = text("message");
        e.0.details = body.get("error").filter(|v| !v.is_null()).cloned();
        e
    }

    /// A 3xx answer: never followed, reported with its `Location`.
    pub(super) fn redirect(status: StatusCode, headers: &HeaderMap) -> Self {
        let mut e = Error::new(ErrorKind::Redirect, "").with_response(status, headers);
        e.0.location = headers
            .get(reqwest::header::LOCATION)
            .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned());
        e
    }

    /// A body that is not the documented JSON, with the start of it.
    pub(super) fn decode(what: &str, bytes: &[u8]) -> Self {
        let mut e = Error::new(ErrorKind::Decode, what);
        e.0.snippet = Some(snippet(bytes));
        e
    }

    /// A `call_json` argument that does not deserialize into its setter's type (nothing sent).
    #[doc(hidden)]
    pub fn invalid_argument(operation: &str, field: &str, reason: impl fmt::Display) -> Self {
        let mut e = Error::new(
            ErrorKind::Validation,
            format!("{field} of {operation} is not what its setter takes: {reason}"),
        );
        e.0.code = Some(ErrorCode::from_code(&format!("{field}_value_invalid")));
        e.0.field = Some(field.to_string());
        e
    }

    /// `call_json` was given an operation this client does not have (nothing sent).
    #[doc(hidden)]
    pub fn unknown_operation(operation: &str) -> Self {
        Error::new(
            ErrorKind::Validation,
            format!("no operation {operation:?} in this client"),
        )
    }

    /// `call_json` was given an operation of a product this build leaves out (nothing sent); `note`
    /// names the Cargo feature to add.
    #[doc(hidden)]
    pub fn not_built(note: &str) -> Self {
        Error::new(ErrorKind::Validation, note.to_string())
    }

    /// An error of a step of the call path, before any I/O.
    pub(super) fn step(step: StepError) -> Self {
        let kind = match step.kind {
            StepKind::MissingCredentials => ErrorKind::MissingCredentials,
            StepKind::Signing => ErrorKind::Signing,
            StepKind::Validation => ErrorKind::Validation,
            StepKind::Config => ErrorKind::Config,
        };
        let mut e = Error::new(kind, step.message);
        e.0.field = step.field;
        e.0.code = step.code.map(|c| ErrorCode::from_code(&c));
        e
    }
}
