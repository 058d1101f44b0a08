//! Step 4 of a call: `x-cf-signature` (2FA by public key), made before any I/O so that a failure
//! fails the call unsent, and made again for each retry, since it carries the time.

#[cfg(feature = "signing")]
use reqwest::header::{HeaderName, HeaderValue};

use super::boundary::StepError;
#[cfg(feature = "signing")]
use super::boundary::{SIGNED_HERE, StepKind};
#[cfg(feature = "signing")]
use crate::signing::Signer;

#[cfg(feature = "signing")]
const X_CF_SIGNATURE: HeaderName = HeaderName::from_static("x-cf-signature");
#[cfg(feature = "signing")]
const X_CLIENT_ID: HeaderName = HeaderName::from_static("x-client-id");

/// What the step needs: the signer, when a public key is configured.
#[cfg(feature = "signing")]
pub(crate) type Prepared = Option<Signer>;
/// Without feature `signing` no key can be configured.
#[cfg(not(feature = "signing"))]
pub(crate) type Prepared = ();

/// Adds `x-cf-signature` when a public key is configured and the call did not give one, and marks
/// the request as signed here (for [`resigner`]).
///
/// # Errors
/// [`StepKind::Signing`]: the client id cannot be signed with the key. Nothing was sent.
#[cfg(feature = "signing")]
pub(crate) fn apply(
    signer: &Prepared,
    headers: &mut reqwest::header::HeaderMap,
) -> Result<(), StepError> {
    if let Some(signer) = signer
        && !headers.contains_key(X_CF_SIGNATURE)
        && let Some(client_id) = headers.get(X_CLIENT_ID)
    {
        let failed = |message: String| StepError::new(StepKind::Signing, message);
        let id = client_id
            .to_str()
            .map_err(|_| failed("the client id is not text".to_string()))?;
        let value = signature_value(signer, id).map_err(failed)?;
        headers.insert(X_CF_SIGNATURE, value);
        headers.insert(SIGNED_HERE, HeaderValue::from_static("1"));
    }
    Ok(())
}

/// Without feature `signing` there is nothing to sign.
#[cfg(not(feature = "signing"))]
pub(crate) fn apply(_: &Prepared, _: &mut reqwest::header::HeaderMap) -> Result<(), StepError> {
    Ok(())
}

/// What to do before each retry: a fresh signature if this client signed the first attempt; if one
/// cannot be made, the retries end there and the caller gets the last answer (a request never goes
/// out unsigned). Removes the private marker, so it is never sent.
#[cfg(feature = "signing")]
pub(crate) fn resigner<'a>(
    signer: &'a Prepared,
    request: &mut reqwest::Request,
) -> impl FnMut(&mut reqwest::Request) -> bool + use<'a> {
    // Without a key nothing was signed here (and nothing marked): nothing to look up.
    let resign_for = signer
        .as_ref()
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
pub(crate) fn resigner(
    _: &Prepared,
    _: &mut reqwest::Request,
) -> impl FnMut(&mut reqwest::Request) -> bool + use<> {
    |_: &mut reqwest::Request| true
}

/// A fresh `x-cf-signature` value for `client_id`, marked sensitive.
#[cfg(feature = "signing")]
fn signature_value(signer: &Signer, client_id: &str) -> Result<HeaderValue, String> {
    signer
        .signature_header_now(client_id)
        .map_err(|e| e.to_string())
}
