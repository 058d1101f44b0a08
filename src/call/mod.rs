//! The call path of every generated operation, through progenitor's `ClientHooks`, as a list of
//! steps, each in its own file with its build-time preparation, its per-call work and its error:
//!
//! 1. the headers of the security schemes the operation needs ([credentials]);
//! 2. `x-api-version` ([api_version]);
//! 3. `User-Agent` ([user_agent]);
//! 4. `x-cf-signature` ([signature]);
//! 5. multipart: a body declared as `multipart/form-data` goes as one ([`crate::upload`]);
//!
//! then, in `exec`: send with retries ([`crate::retry`]), [`body_bound`] the answer, and [`trace`] it;
//! a call that got no answer is handed on with its operation and how long it took
//! ([`boundary::Failed`]), for the error to name. A step that fails fails the call before any I/O
//! ([`boundary`] carries its error through progenitor). Nothing here is written per operation: it reads what the build emitted from the spec.

pub(crate) mod api_version;
pub(crate) mod body_bound;
pub(crate) mod boundary;
pub(crate) mod credentials;
pub(crate) mod signature;
pub(crate) mod trace;
pub(crate) mod user_agent;

use progenitor_client::{ClientHooks, ClientInfo, Error, OperationInfo};
use tracing::Instrument;

use crate::config::Settings;
use crate::{Client, retry, spec};
use boundary::{StepError, StepKind, fail};

impl ClientHooks<Settings> for Client {
    async fn pre<E>(
        &self,
        request: &mut reqwest::Request,
        info: &OperationInfo,
    ) -> Result<(), Error<E>> {
        let settings = &self.inner().0;
        let (index, op) = spec::find_indexed(info.operation_id).ok_or_else(|| {
            fail(StepError::new(
                StepKind::Config,
                format!(
                    "operation {} is missing from the generated metadata; rebuild the crate",
                    info.operation_id
                ),
            ))
        })?;
        let headers = request.headers_mut();
        // Room for what the steps add (credentials, version, agent, signature) in one growth.
        headers.reserve(6);
        credentials::apply(
            &settings.credentials,
            settings.credentials.plans.get(index),
            op,
            headers,
        )
        .map_err(fail)?;
        api_version::apply(&settings.api_version, index, op, headers).map_err(fail)?;
        user_agent::apply(headers);
        signature::apply(&settings.signer, headers).map_err(fail)?;
        if op.multipart {
            // Boxed: only multipart calls pay for this future's size.
            Box::pin(crate::upload::into_multipart(request))
                .await
                .map_err(|e| fail(StepError::new(StepKind::Validation, e)))?;
        }
        Ok(())
    }

    async fn exec(
        &self,
        mut request: reqwest::Request,
        info: &OperationInfo,
    ) -> reqwest::Result<reqwest::Response> {
        let called = std::time::Instant::now();
        let settings = &self.inner().0;
        let (index, op) = spec::find_indexed(info.operation_id).unzip();
        let operation = op.map_or(info.operation_id, |op| op.operation_id);
        let (span, started) = trace::span(info, op, request.method());
        let documented_success = op.map_or(&[][..], |op| op.success);
        let resign = signature::resigner(&settings.signer, &mut request);
        let gate = crate::rate_limit::Gate::new(&settings.rate_limiter, index);
        let client = self.client();
        let limits = (&settings.retry, settings.max_response_bytes);
        // A span nothing records is not entered on every poll. Each branch makes its own future
        // where it awaits it (none is moved from a local into `Instrumented`).
        let (result, attempts) = if span.is_disabled() {
            send_bounded(client, request, limits, gate, resign, documented_success).await
        } else {
            send_bounded(client, request, limits, gate, resign, documented_success)
                .instrument(span.clone())
                .await
        };
        let path = op.map_or("", |op| op.path);
        let result = trace::finish(&span, result, attempts, started, info.operation_id, path);
        boundary::failed_as_answer(result, operation, called)
    }
}

/// Sends `request` with the client's retries, through the rate limiter's `gate`, then bounds the
/// answer's body; returns the outcome and the attempts made. (A function returning an `async`
/// block, which holds the retry loop's future once; see [`retry::send_with_retry_prepared`].)
#[allow(
    clippy::manual_async_fn,
    reason = "an async fn would hold the request twice in its future"
)]
fn send_bounded<'a>(
    client: &'a reqwest::Client,
    request: reqwest::Request,
    (policy, max_response_bytes): (&'a retry::RetryPolicy, usize),
    gate: crate::rate_limit::Gate<'a>,
    resign: impl FnMut(&mut reqwest::Request) -> bool + 'a,
    documented_success: &'a [u16],
) -> impl Future<Output = (reqwest::Result<reqwest::Response>, u32)> + 'a {
    async move {
        let (result, attempts) =
            retry::send_with_retry_prepared(client, request, policy, gate, resign).await;
        let result = match result {
            Ok(response) => {
                body_bound::bound(response, documented_success, max_response_bytes).await
            }
            Err(e) => Err(e),
        };
        (result, attempts)
    }
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
        let pem = include_str!("../../tests/fixtures/test_key_public.pem");
        let credentials = BTreeMap::from([
            ("XClientID".to_string(), SecretString::from("i".repeat(250))),
            ("XClientSecret".to_string(), SecretString::from("secret")),
        ]);
        let settings = Settings(Arc::new(SettingsInner {
            base_url: url.clone(),
            credentials: super::credentials::Prepared {
                headers: super::credentials::credential_headers(&credentials),
                plans: Vec::new(),
            },
            configured: credentials,
            api_version: super::api_version::Prepared::default(),
            signer: Some(Signer::from_pem(pem).unwrap()),
            retry: RetryPolicy::none(),
            max_response_bytes: 1024,
            resolve_ambiguous_creates: false,
            rate_limiter: Default::default(),
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
