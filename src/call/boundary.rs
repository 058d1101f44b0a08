//! Every value that crosses progenitor's boundary without a typed slot of its own, encoded here and
//! decoded here, each with the reason no typed slot exists. Nothing else in the crate encodes
//! state into text or headers, and the crate's own errors are never parsed back from text.
//!
//! | what | carried as | why not typed |
//! | --- | --- | --- |
//! | a step of the call failing before I/O ([`StepError`]) | `Error::Custom(String)`: JSON behind [`TAG`] | progenitor's `pre` hook can only fail with `progenitor_client::Error<E>`, whose variants a hook can build carry a `String` |
//! | "this request was signed here" (retries sign again) | the request header [`SIGNED_HERE`], removed before sending | `reqwest::Request` has no extensions |
//! | a bounded body ([`BufferedBody`]), a body cut at the bound or a non-2xx body that is not Cashfree's error object ([`UnreadableBody`]), an answer that did not decode ([`Undecodable`](crate::wire::Undecodable)) | `reqwest::Response` extensions (typed) | — |
//! | a [`FilePart`](crate::FilePart) inside the body the generated builder serialized | a reference (id and random tag) into the live parts' registry (`crate::upload`) | typify's builders turn the body into JSON before any hook sees it |
//! | a multipart body's chunks, for a retry | a registry keyed by the body's random boundary (`crate::upload`) | reqwest copies no streamed body and keeps a request's extensions private |
//! | a call that got no answer (connect, timeout, reset), with its operation and how long it took ([`Failed`]) | a `reqwest::Response` of status [`FAILED_STATUS`] (no HTTP status) whose extension holds the failure, typed; `From` turns it back into a transport error | `exec` can only fail with a `reqwest::Error`, which carries nothing of ours, and a hook's error is text |
//! | a builder's complaint (`no value supplied for user`) | progenitor's `Error::InvalidRequest(String)` | typify's and progenitor's builders report only text: [`crate::error`] reads their wording, and only theirs |

use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

#[cfg(feature = "signing")]
use reqwest::header::HeaderName;
use serde::{Deserialize, Serialize};

/// What kind of step failed; each maps to one [`ErrorKind`](crate::ErrorKind).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub(crate) enum StepKind {
    /// No configured credentials cover the operation's security requirements.
    MissingCredentials,
    /// The request could not be signed.
    Signing,
    /// A value given on the call breaks a documented constraint.
    Validation,
    /// The client's configuration cannot serve the call (a spec value that is not a header value).
    Config,
}

/// A step of the call path that failed before any I/O.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct StepError {
    pub kind: StepKind,
    pub message: String,
    /// For [`StepKind::Validation`]: the field at fault and Cashfree's code for the fault.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
}

impl StepError {
    /// A step error of `kind`.
    pub fn new(kind: StepKind, message: impl Into<String>) -> Self {
        StepError {
            kind,
            message: message.into(),
            field: None,
            code: None,
        }
    }

    /// A validation failure of `field`, with Cashfree's `code` for it.
    pub fn invalid(field: &str, code: &str, message: impl Into<String>) -> Self {
        StepError {
            kind: StepKind::Validation,
            message: message.into(),
            field: Some(field.to_string()),
            code: Some(code.to_string()),
        }
    }
}

/// The start of an encoded [`StepError`] in `Error::Custom`.
pub(crate) const TAG: &str = "cashfree-verification step failed: ";

/// `e` as the progenitor error a hook returns.
pub(crate) fn fail<E>(e: StepError) -> progenitor_client::Error<E> {
    let json = serde_json::to_string(&e).unwrap_or_else(|_| {
        // A struct of strings always serializes; keep the kind should it ever not.
        format!("{{\"kind\":\"config\",\"message\":{:?}}}", e.message)
    });
    progenitor_client::Error::Custom(format!("{TAG}{json}"))
}

/// The [`StepError`] that [`fail`] encoded in `custom`, if it is one.
pub(crate) fn step_error(custom: &str) -> Option<StepError> {
    serde_json::from_str(custom.strip_prefix(TAG)?).ok()
}

/// Set by the signing step on a request it signed, removed by `exec` before anything is sent: tells
/// `exec` that the signature is the client's own (renewed per retry), not one given on the call.
#[cfg(feature = "signing")]
pub(crate) const SIGNED_HERE: HeaderName = HeaderName::from_static("x-cashfree-rs-signed-here");

/// The body as the client read it (at most `max_response_bytes`), kept on responses whose body
/// progenitor does not read (an undocumented status).
#[derive(Debug, Clone)]
pub(crate) struct BufferedBody(pub bytes::Bytes);

/// On a response whose body was cut at the bound, or a non-2xx one whose body is not Cashfree's JSON
/// error object: why. The answer is then reported as undecodable, with its status and
/// [`BufferedBody`].
#[derive(Debug, Clone)]
pub(crate) struct UnreadableBody {
    pub why: String,
}

/// The status of the answer that stands for a call with none ([`Failed`]): outside 100-599, so no
/// spec documents it and the generated `send()` hands it over as an undocumented answer.
pub(crate) const FAILED_STATUS: u16 = 999;

/// A call that got no answer: the transport error of its last attempt, the operation (Cashfree's
/// operationId) and how long the call took, every attempt and retry wait included.
#[derive(Debug, Clone)]
pub(crate) struct Failed {
    pub operation: &'static str,
    pub elapsed: Duration,
    /// Taken out, once, by the conversion into the crate's error (an extension must be `Clone`).
    error: Arc<Mutex<Option<reqwest::Error>>>,
}

impl Failed {
    /// The failure's error, the first time it is asked for.
    pub fn take_error(&self) -> Option<reqwest::Error> {
        self.error
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take()
    }
}

/// `result`, with a transport failure turned into the answer that carries it ([`Failed`]).
pub(crate) fn failed_as_answer(
    result: reqwest::Result<reqwest::Response>,
    operation: &'static str,
    called: Instant,
) -> reqwest::Result<reqwest::Response> {
    let error = match result {
        Ok(response) => return Ok(response),
        Err(error) => error,
    };
    // Read only for a call that failed: an answered one never reads the clock again.
    let elapsed = called.elapsed();
    let mut answer = http::Response::new(reqwest::Body::from(bytes::Bytes::new()));
    *answer.status_mut() =
        http::StatusCode::from_u16(FAILED_STATUS).expect("999 is a valid status code");
    answer.extensions_mut().insert(Failed {
        operation,
        elapsed,
        error: Arc::new(Mutex::new(Some(error))),
    });
    Ok(reqwest::Response::from(answer))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_step_error_survives_the_crossing() {
        for e in [
            StepError::new(StepKind::MissingCredentials, "VrsPan needs XClientID"),
            StepError::new(StepKind::Signing, "the key is \"odd\"\nand long"),
            StepError::invalid("x-api-version", "x-api-version_value_invalid", "not a date"),
            StepError::new(StepKind::Config, ""),
        ] {
            let progenitor_client::Error::<()>::Custom(text) = fail(e.clone()) else {
                panic!("encoded as Custom");
            };
            assert!(text.starts_with(TAG), "{text}");
            assert_eq!(step_error(&text), Some(e));
        }
    }

    #[test]
    fn text_that_was_not_encoded_here_is_no_step_error() {
        for text in [
            "missing credentials: x",
            "cashfree-verification step failed: not json",
            "cashfree-verification step failed: {\"kind\":\"other\",\"message\":\"m\"}",
            "",
        ] {
            assert_eq!(step_error(text), None, "{text}");
        }
    }
}
