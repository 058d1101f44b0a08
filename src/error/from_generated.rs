//! Progenitor's error of a generated call, as the crate's [`Error`].

use std::error::Error as StdError;
use std::fmt;

use serde_json::Value;

use super::{Error, ErrorKind, is_error_object, snippet};
use crate::call::boundary::{BufferedBody, Failed, UnreadableBody, step_error};
use crate::retry::TransportError;
use crate::wire::Undecodable;

impl<E: serde::Serialize> From<progenitor_client::Error<E>> for Error {
    fn from(e: progenitor_client::Error<E>) -> Self {
        use progenitor_client::Error as P;
        match e {
            P::InvalidRequest(message) => Error::validation(message),
            P::Custom(message) => match step_error(&message) {
                Some(step) => Error::step(step),
                None => Error::new(ErrorKind::Config, message),
            },
            P::CommunicationError(e) | P::InvalidUpgrade(e) => transport(e),
            // A call that got no answer, as the call path hands it on (`boundary::Failed`).
            P::UnexpectedResponse(response) if response.extensions().get::<Failed>().is_some() => {
                failed(response)
            }
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
                Error::api(status, &headers, &body)
            }
            P::InvalidResponsePayload(bytes, e) => {
                Error::decode("the response body is not the documented JSON", &bytes).with_source(e)
            }
            P::UnexpectedResponse(response) => unexpected(response),
        }
    }
}

/// An answer the generated code did not decode: undecodable (its body kept), not an error object,
/// or a status the spec does not document.
fn unexpected(response: reqwest::Response) -> Error {
    let status = response.status();
    let headers = response.headers();
    if let Some(undecodable) = response.extensions().get::<Undecodable>() {
        let what = if status.is_success() {
            "the answer does not decode as the documented type; its whole body is kept"
        } else {
            "the error body does not decode as the documented type"
        };
        let mut err = Error::decode(what, &undecodable.body)
            .with_response(status, headers)
            .with_source(ArcError(undecodable.error.clone()));
        err.0.body = Some(undecodable.body.clone());
        return err;
    }
    let buffered = response
        .extensions()
        .get::<BufferedBody>()
        .map(|b| b.0.clone())
        .unwrap_or_default();
    if let Some(marker) = response.extensions().get::<UnreadableBody>() {
        let mut err = Error::decode(&marker.why, &buffered).with_response(status, headers);
        err.0.body = Some(buffered);
        return err;
    }
    match serde_json::from_slice::<Value>(&buffered) {
        Ok(body) if is_error_object(&body) && body.get("code").is_some() => {
            Error::api(status, headers, &body)
        }
        _ => {
            let mut err =
                Error::new(ErrorKind::UnexpectedStatus, "").with_response(status, headers);
            if !buffered.is_empty() {
                err.0.snippet = Some(snippet(&buffered));
            }
            err
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

/// The transport error a [`Failed`] answer carries, naming its operation and elapsed time.
fn failed(response: reqwest::Response) -> Error {
    let Some(failure) = response.extensions().get::<Failed>() else {
        return unexpected(response);
    };
    let mut err = match failure.take_error() {
        Some(e) => transport(e),
        // Taken before (the answer was cloned, which progenitor never does): still a transport error.
        None => Error::new(ErrorKind::Transport, ""),
    };
    err.0.operation = Some(failure.operation);
    err.0.elapsed = Some(failure.elapsed);
    err
}

fn transport(e: reqwest::Error) -> Error {
    // The retry loop's classification: a connect timeout never reached the server.
    let kind = match TransportError::of(&e) {
        TransportError::Connect => ErrorKind::Connect,
        TransportError::Timeout => ErrorKind::Timeout,
        TransportError::Other => ErrorKind::Transport,
    };
    let mut err = Error::new(kind, "");
    err.0.status = e.status();
    err.0.host = e.url().and_then(|url| {
        url.host_str().map(|host| match url.port() {
            Some(port) => format!("{host}:{port}"),
            None => host.to_string(),
        })
    });
    err.with_source(e.without_url())
}
