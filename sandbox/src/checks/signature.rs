//! `x-cf-signature` (2FA by public key), checked when the sandbox has the private key: RSA-OAEP
//! (SHA-1) of `client_id + "." + unix_seconds`, for this client id, within the window.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use base64::Engine as _;
use rsa::RsaPrivateKey;
use serde_json::{Value, json};

use super::super::http::{HttpRequest, HttpResponse};
use super::super::refusal::{Checked, Refusal};
use super::super::spec::OpSpec;
use super::super::state::Shared;

const MISSING: &str = "x-cf-signature missing in the request header";

pub(crate) fn check(
    shared: &Shared,
    op: &OpSpec,
    request: &HttpRequest,
    client_id: Option<&str>,
) -> Checked {
    let Some(key) = &shared.config.signature_key else {
        return Ok(());
    };
    let forbidden = |message: &str| {
        let documented = op.responses.get(&403).and_then(|r| {
            r.examples.iter().find(|e| {
                e.value
                    .get("message")
                    .and_then(Value::as_str)
                    .is_some_and(|m| m.contains("x-cf-signature"))
            })
        });
        let body = match (message, documented) {
            (MISSING, Some(d)) => d.value.clone(),
            _ => {
                json!({"type": "authentication_error", "code": "authentication_failed", "message": message})
            }
        };
        Err(Refusal::answer(HttpResponse::json(403, &body)))
    };
    let Some(signature) = request.header("x-cf-signature") else {
        return forbidden(MISSING);
    };
    match verify(
        key,
        signature,
        client_id.unwrap_or(""),
        shared.config.signature_window,
    ) {
        Ok(()) => Ok(()),
        Err(why) => forbidden(&why),
    }
}

fn verify(
    key: &RsaPrivateKey,
    signature: &str,
    client_id: &str,
    window: Duration,
) -> Result<(), String> {
    let invalid = || "x-cf-signature is invalid".to_string();
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(signature.trim())
        .map_err(|_| invalid())?;
    let plain = key
        .decrypt(rsa::Oaep::new::<sha1::Sha1>(), &bytes)
        .map_err(|_| invalid())?;
    let plain = String::from_utf8(plain).map_err(|_| invalid())?;
    let (id, ts) = plain.rsplit_once('.').ok_or_else(invalid)?;
    if id != client_id {
        return Err("x-cf-signature was made for another client id".into());
    }
    let ts: u64 = ts.parse().map_err(|_| invalid())?;
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    if now.abs_diff(ts) > window.as_secs() {
        return Err("x-cf-signature has expired".into());
    }
    Ok(())
}
