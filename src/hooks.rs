//! The handwritten behaviour of every generated operation, through progenitor's `ClientHooks`:
//! credentials, `x-api-version`, `User-Agent`, request signing, retries, a bounded response body and a
//! tracing span. Nothing here is written per operation: it reads what the build emitted from the spec.

use std::time::Instant;

use bytes::{Bytes, BytesMut};
use progenitor_client::{ClientHooks, ClientInfo, Error, OperationInfo};
use reqwest::header::{CONTENT_LENGTH, HeaderName, HeaderValue, TRANSFER_ENCODING, USER_AGENT};
use tracing::Instrument;

use crate::config::Settings;
use crate::{Client, auth, operation, retry};

/// Response header added to a non-2xx response whose body was replaced by `{"message": <snippet>}`
/// because it was not Cashfree's JSON error object (its value says why). Read by [`crate::Error`].
pub(crate) const UNDECODABLE_HEADER: &str = "x-cashfree-rs-undecodable";

/// The body as read (at most `max_response_bytes`), kept on responses for [`crate::Error`].
#[derive(Debug, Clone)]
pub(crate) struct BufferedBody(pub Bytes);

/// `User-Agent` of every request.
pub const USER_AGENT_VALUE: &str = concat!(
    "cashfree-verification/",
    env!("CARGO_PKG_VERSION"),
    " (rust)"
);

const X_API_VERSION: HeaderName = HeaderName::from_static("x-api-version");
const X_CF_SIGNATURE: HeaderName = HeaderName::from_static("x-cf-signature");
const X_CLIENT_ID: HeaderName = HeaderName::from_static("x-client-id");

impl ClientHooks<Settings> for Client {
    async fn pre<E>(
        &self,
        request: &mut reqwest::Request,
        info: &OperationInfo,
    ) -> Result<(), Error<E>> {
        let settings = self.inner();
        let op = operation::find(info.operation_id).ok_or_else(|| {
            Error::Custom(format!(
                "operation {} is missing from the generated metadata; rebuild the crate",
                info.operation_id
            ))
        })?;
        let headers = request.headers_mut();
        auth::apply(settings, op, headers).map_err(Error::Custom)?;
        // Progenitor sends the document's info.version (2023-12-18, the docs' revision) as
        // `api-version`; Cashfree's header is `x-api-version`, so the other one is only noise.
        headers.remove("api-version");
        if !headers.contains_key(X_API_VERSION) {
            let version = settings
                .0
                .api_version
                .as_deref()
                .or(op.api_version)
                .unwrap_or(DEFAULT_API_VERSION);
            let value = HeaderValue::from_str(version).map_err(|_| {
                Error::Custom(format!("API version {version:?} is not a header value"))
            })?;
            headers.insert(X_API_VERSION, value);
        }
        headers.insert(USER_AGENT, HeaderValue::from_static(USER_AGENT_VALUE));
        Ok(())
    }

    async fn exec(
        &self,
        request: reqwest::Request,
        info: &OperationInfo,
    ) -> reqwest::Result<reqwest::Response> {
        let settings = &self.inner().0;
        let operation_id =
            operation::find(info.operation_id).map_or(info.operation_id, |op| op.operation_id);
        let span = tracing::info_span!(
            "cashfree.request",
            operation = info.operation_id,
            operation_id,
            method = %request.method(),
            status = tracing::field::Empty,
            attempts = tracing::field::Empty,
            duration_ms = tracing::field::Empty,
            request_id = tracing::field::Empty,
        );
        let started = Instant::now();
        // A signature given on the call wins; otherwise each attempt gets a fresh one.
        let signer = settings
            .signer
            .as_ref()
            .filter(|_| !request.headers().contains_key(X_CF_SIGNATURE));
        let client_id = request
            .headers()
            .get(X_CLIENT_ID)
            .and_then(|v| v.to_str().ok())
            .map(String::from);
        let sign = |attempt: &mut reqwest::Request| {
            if let (Some(signer), Some(id)) = (signer, &client_id)
                && let Ok(signature) = signer.signature_now(id)
                && let Ok(value) = HeaderValue::from_str(&signature)
            {
                attempt.headers_mut().insert(X_CF_SIGNATURE, value);
            }
        };
        async {
            let (result, attempts) =
                retry::send_with_retry_prepared(self.client(), request, &settings.retry, sign)
                    .await;
            let result = match result {
                Ok(response) => buffer(response, settings.max_response_bytes).await,
                Err(e) => Err(e),
            };
            let span = tracing::Span::current();
            span.record("attempts", attempts);
            span.record("duration_ms", started.elapsed().as_millis() as u64);
            match &result {
                Ok(response) => {
                    span.record("status", response.status().as_u16());
                    if let Some(id) = crate::error::request_id(response.headers()) {
                        span.record("request_id", id);
                    }
                    tracing::info!(
                        status = response.status().as_u16(),
                        attempts,
                        "cashfree request finished"
                    );
                }
                Err(e) => tracing::warn!(attempts, error = %e, "cashfree request failed"),
            }
            result
        }
        .instrument(span)
        .await
    }
}

/// The `x-api-version` sent when neither the call, the client nor the spec names one.
pub const DEFAULT_API_VERSION: &str = "2024-12-01";

/// Reads at most `limit` bytes of the body and rebuilds the response around them. A non-2xx body that
/// is not Cashfree's JSON error object (or was cut at `limit`) is replaced by `{"message": <snippet>}`
/// with [`UNDECODABLE_HEADER`], so the error keeps its status whatever progenitor does next.
async fn buffer(
    mut response: reqwest::Response,
    limit: usize,
) -> reqwest::Result<reqwest::Response> {
    let status = response.status();
    let version = response.version();
    let mut headers = std::mem::take(response.headers_mut());
    let mut body = BytesMut::new();
    let mut truncated = false;
    while let Some(chunk) = response.chunk().await? {
        let room = limit - body.len();
        if chunk.len() > room {
            body.extend_from_slice(&chunk[..room]);
            truncated = true;
            break;
        }
        body.extend_from_slice(&chunk);
    }
    drop(response);
    let mut body = body.freeze();
    headers.remove(CONTENT_LENGTH);
    headers.remove(TRANSFER_ENCODING);
    if !status.is_success() {
        let why = if truncated {
            Some(format!("body longer than {limit} bytes, cut"))
        } else {
            match serde_json::from_slice::<serde_json::Value>(&body) {
                Err(_) => Some("body is not JSON".to_string()),
                Ok(v) if !crate::error::is_error_object(&v) => {
                    Some("body is not Cashfree's error object".to_string())
                }
                Ok(_) => None,
            }
        };
        if let Some(why) = why {
            let snippet = crate::error::snippet(&body);
            body = Bytes::from(serde_json::json!({ "message": snippet }).to_string());
            if let Ok(v) = HeaderValue::from_str(&why) {
                headers.insert(UNDECODABLE_HEADER, v);
            }
        }
    }
    let mut rebuilt = http::Response::new(body.clone());
    *rebuilt.status_mut() = status;
    *rebuilt.version_mut() = version;
    *rebuilt.headers_mut() = headers;
    rebuilt.extensions_mut().insert(BufferedBody(body));
    Ok(reqwest::Response::from(rebuilt))
}
