//! The handwritten behaviour of every generated operation, through progenitor's `ClientHooks`:
//! credentials, `x-api-version`, `User-Agent`, request signing, retries, a bounded response body and a
//! tracing span. Nothing here is written per operation: it reads what the build emitted from the spec.

use std::time::Instant;

use bytes::{Bytes, BytesMut};
use progenitor_client::{ClientHooks, ClientInfo, Error, OperationInfo};
use reqwest::header::{CONTENT_LENGTH, HeaderName, HeaderValue, TRANSFER_ENCODING, USER_AGENT};
use tracing::Instrument;

use crate::config::Settings;
use crate::error::{BufferedBody, SIGNING_FAILED, UNDECODABLE_HEADER};
#[cfg(feature = "signing")]
use crate::signing::Signer;
use crate::spec;
use crate::{Client, auth, retry};

/// `User-Agent` of every request.
pub const USER_AGENT_VALUE: &str = concat!(
    "cashfree-verification/",
    env!("CARGO_PKG_VERSION"),
    " (rust)"
);

const USER_AGENT_HEADER: HeaderValue = HeaderValue::from_static(USER_AGENT_VALUE);
const X_API_VERSION: HeaderName = HeaderName::from_static("x-api-version");
#[cfg(feature = "signing")]
const X_CF_SIGNATURE: HeaderName = HeaderName::from_static("x-cf-signature");
#[cfg(feature = "signing")]
const X_CLIENT_ID: HeaderName = HeaderName::from_static("x-client-id");
#[cfg(feature = "signing")]
/// Set by `pre` on a request it signed, and removed by `exec` before anything is sent: tells `exec`
/// that the signature is the client's own (renewed per retry), not one given on the call.
const SIGNED_HERE: HeaderName = HeaderName::from_static("x-cashfree-rs-signed-here");

impl ClientHooks<Settings> for Client {
    async fn pre<E>(
        &self,
        request: &mut reqwest::Request,
        info: &OperationInfo,
    ) -> Result<(), Error<E>> {
        let settings = self.inner();
        let (index, op) = spec::find_indexed(info.operation_id).ok_or_else(|| {
            Error::Custom(format!(
                "operation {} is missing from the generated metadata; rebuild the crate",
                info.operation_id
            ))
        })?;
        let headers = request.headers_mut();
        // Room for what is added below (credentials, version, agent, signature) in one growth.
        headers.reserve(6);
        auth::apply(settings, settings.0.auth_plans.get(index), op, headers)
            .map_err(Error::Custom)?;
        match headers.get(X_API_VERSION) {
            // A version given on the call is checked like the builder's, before any I/O.
            Some(given) if !given.to_str().is_ok_and(crate::config::is_api_version) => {
                return Err(Error::InvalidRequest(format!(
                    "error converting supplied value for x-api-version: {:?} is not a real date of the form YYYY-MM-DD",
                    String::from_utf8_lossy(given.as_bytes())
                )));
            }
            Some(_) => {}
            None => {
                // Made once by the builder; made here only when it could not be (a spec value that
                // is not a header value, which fails the call as it always did).
                let value = match settings.0.api_version_headers.get(index) {
                    Some(Some(value)) => value.clone(),
                    _ => {
                        let version =
                            crate::config::api_version_for(settings.0.api_version.as_deref(), op);
                        HeaderValue::from_str(version).map_err(|_| {
                            Error::Custom(format!("API version {version:?} is not a header value"))
                        })?
                    }
                };
                headers.insert(X_API_VERSION, value);
            }
        }
        headers.insert(USER_AGENT, USER_AGENT_HEADER);
        // Signed here so that a failure fails the call before any I/O.
        sign(settings, headers).map_err(|e| Error::Custom(format!("{SIGNING_FAILED}{e}")))?;
        if op.multipart {
            // Boxed: only multipart calls pay for this future's size.
            Box::pin(crate::upload::into_multipart(request))
                .await
                .map_err(Error::InvalidRequest)?;
        }
        Ok(())
    }

    async fn exec(
        &self,
        request: reqwest::Request,
        info: &OperationInfo,
    ) -> reqwest::Result<reqwest::Response> {
        let settings = &self.inner().0;
        let op = spec::find(info.operation_id);
        let operation_id = op.map_or(info.operation_id, |op| op.operation_id);
        let span = tracing::info_span!(
            "cashfree.request",
            operation = info.operation_id,
            operation_id,
            method = %request.method(),
            path = op.map_or("", |op| op.path),
            status = tracing::field::Empty,
            attempts = tracing::field::Empty,
            duration_ms = tracing::field::Empty,
            request_id = tracing::field::Empty,
        );
        // Timed only for a span that records it.
        let started = (!span.is_disabled()).then(Instant::now);
        let documented_success = op.map_or(&[][..], |op| op.success);
        let mut request = request;
        let resign = resigner(self.inner(), &mut request);
        async {
            let (result, attempts) =
                retry::send_with_retry_prepared(self.client(), request, &settings.retry, resign)
                    .await;
            let result = match result {
                // A documented success whose Content-Length fits needs no copy: hyper never reads
                // past Content-Length, so the bound holds, and progenitor decodes it as it is.
                Ok(response)
                    if documented_success.contains(&response.status().as_u16())
                        && response
                            .content_length()
                            .is_some_and(|n| n <= settings.max_response_bytes as u64) =>
                {
                    Ok(response)
                }
                // Boxed, so the common path's future is not sized for the buffering one.
                Ok(response) => Box::pin(buffer(response, settings.max_response_bytes)).await,
                Err(e) => Err(e),
            };
            // With no subscriber for the span (the common case), nothing is recorded in it.
            let span = tracing::Span::current();
            let recorded = !span.is_disabled();
            if recorded {
                span.record("attempts", attempts);
                if let Some(started) = started {
                    span.record("duration_ms", started.elapsed().as_millis() as u64);
                }
            }
            let path = op.map_or("", |op| op.path);
            let result = result.map_err(|e| log_failure(e, attempts, info.operation_id, path));
            if let Ok(response) = &result {
                if recorded {
                    span.record("status", response.status().as_u16());
                    if let Some(id) = crate::error::request_id(response.headers()) {
                        span.record("request_id", id);
                    }
                }
                tracing::info!(
                    status = response.status().as_u16(),
                    attempts,
                    "cashfree request finished"
                );
            }
            result
        }
        .instrument(span)
        .await
    }
}

/// Logs a failed call at WARN with its operation and path template and the error without its URL,
/// whose query may hold ids (`reference_id`, `user_id`); the URL is logged at DEBUG only, for
/// whoever turns that level on for this crate. Returns the error as it was.
fn log_failure(e: reqwest::Error, attempts: u32, operation: &str, path: &str) -> reqwest::Error {
    let url = e.url().cloned();
    let e = e.without_url();
    tracing::warn!(operation, path, attempts, error = %e, "cashfree request failed");
    match url {
        Some(url) => {
            tracing::debug!(url = url.as_str(), "cashfree request failed: its URL");
            e.with_url(url)
        }
        None => e,
    }
}

/// Adds `x-cf-signature` when a public key is configured and the call did not give one; marks the
/// request as signed here (for [`resigner`]).
#[cfg(feature = "signing")]
fn sign(settings: &Settings, headers: &mut reqwest::header::HeaderMap) -> Result<(), String> {
    if let Some(signer) = &settings.0.signer
        && !headers.contains_key(X_CF_SIGNATURE)
        && let Some(client_id) = headers.get(X_CLIENT_ID)
    {
        let id = client_id
            .to_str()
            .map_err(|_| "the client id is not text".to_string())?;
        let value = signature_value(signer, id)?;
        headers.insert(X_CF_SIGNATURE, value);
        headers.insert(SIGNED_HERE, HeaderValue::from_static("1"));
    }
    Ok(())
}

/// Without feature `signing` no key can be configured, so there is nothing to sign.
#[cfg(not(feature = "signing"))]
fn sign(_: &Settings, _: &mut reqwest::header::HeaderMap) -> Result<(), String> {
    Ok(())
}

/// What to do before each retry: a fresh signature if this client signed the first attempt; if one
/// cannot be made, the retries end there and the caller gets the last answer (a request never goes
/// out unsigned). Removes the private marker, so it is never sent.
#[cfg(feature = "signing")]
fn resigner<'a>(
    settings: &'a Settings,
    request: &mut reqwest::Request,
) -> impl FnMut(&mut reqwest::Request) -> bool + 'a {
    // Without a key nothing was signed here (and nothing marked): nothing to look up.
    let signer = settings.0.signer.as_ref();
    let resign_for = signer
        .and_then(|signer| request.headers_mut().remove(SIGNED_HERE).and(Some(signer)))
        .zip(request.headers().get(X_CLIENT_ID).cloned());
    move |attempt: &mut reqwest::Request| match &resign_for {
        None => true,
        Some((signer, client_id)) => match client_id
            .to_str()
            .map_err(|_| "the client id is not text".to_string())
            .and_then(|id| signature_value(signer, id))
        {
            Ok(value) => {
                attempt.headers_mut().insert(X_CF_SIGNATURE, value);
                true
            }
            Err(e) => {
                tracing::warn!(error = %e, "could not sign the retry; not retrying");
                false
            }
        },
    }
}

/// Without feature `signing` nothing was signed, so retries go as they are.
#[cfg(not(feature = "signing"))]
fn resigner(
    _: &Settings,
    _: &mut reqwest::Request,
) -> impl FnMut(&mut reqwest::Request) -> bool + 'static {
    |_: &mut reqwest::Request| true
}

/// A fresh `x-cf-signature` value for `client_id`, marked sensitive.
#[cfg(feature = "signing")]
fn signature_value(signer: &Signer, client_id: &str) -> Result<HeaderValue, String> {
    signer
        .signature_header_now(client_id)
        .map_err(|e| e.to_string())
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
    let url = response.url().clone();
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
    // The URL goes along (without it reqwest parses a placeholder URL, and `url()` is wrong).
    let mut rebuilt = reqwest::ResponseBuilderExt::url(http::Response::builder(), url)
        .status(status)
        .version(version)
        .body(body.clone())
        .expect("status and version come from a valid response");
    *rebuilt.headers_mut() = headers;
    rebuilt.extensions_mut().insert(BufferedBody(body));
    Ok(reqwest::Response::from(rebuilt))
}

#[cfg(all(test, feature = "signing"))]
mod tests {
    use std::collections::BTreeMap;
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::time::Duration;

    use secrecy::SecretString;

    use crate::config::{Settings, SettingsInner};
    use crate::signing::Signer;
    use crate::{Client, Error, ErrorKind, RetryPolicy, types};

    /// Hostile-input item 5. `build()` refuses a client id too long to sign, so the settings are made
    /// by hand here to reach a signing failure at call time, as any unforeseen one would.
    #[tokio::test]
    async fn hostile_5_a_request_that_cannot_be_signed_fails_and_is_not_sent() {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let accepted = Arc::new(AtomicUsize::new(0));
        let counter = accepted.clone();
        tokio::spawn(async move {
            while listener.accept().await.is_ok() {
                counter.fetch_add(1, Ordering::SeqCst);
            }
        });
        let pem = include_str!("../tests/fixtures/test_key_public.pem");
        let credentials = BTreeMap::from([
            ("XClientID".to_string(), SecretString::from("i".repeat(250))),
            ("XClientSecret".to_string(), SecretString::from("secret")),
        ]);
        let settings = Settings(Arc::new(SettingsInner {
            base_url: url.clone(),
            credential_headers: crate::config::credential_headers(&credentials),
            credentials,
            auth_plans: Vec::new(),
            api_version_headers: Vec::new(),
            signer: Some(Signer::from_pem(pem).unwrap()),
            api_version: None,
            retry: RetryPolicy::none(),
            max_response_bytes: 1024,
        }));
        let http = crate::tls::client_builder().build().unwrap();
        let client = Client::new_with_client(&url, http, settings);
        let call = client.vrs_generate_auth_token().body(
            types::CreateAuthRequestSchema::builder()
                .app_id("app")
                .product("VKYC")
                .metadata(types::CreateAuthRequestSchemaMetadata::builder().vkyc_request_id("1"))
                .authenticated_user(
                    types::CreateAuthRequestSchemaAuthenticatedUser::builder()
                        .identifier_type("userId")
                        .identifier_value("42"),
                ),
        );
        let err = tokio::time::timeout(Duration::from_secs(10), call.send())
            .await
            .expect("bounded")
            .map_err(Error::from)
            .unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Signing, "{err}");
        let shown = err.to_string();
        assert!(
            shown.starts_with("could not sign the request (x-cf-signature), so it was not sent: ")
                && shown.contains("more than the 214 bytes this key can encrypt"),
            "{shown}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
        assert_eq!(
            accepted.load(Ordering::SeqCst),
            0,
            "an unsigned request went out"
        );
    }
}
