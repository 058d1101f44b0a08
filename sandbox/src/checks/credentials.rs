//! The operation's security requirement: the headers of one alternative all present, client
//! credentials the sandbox accepts, and bearer tokens it issued for this product and not expired.
//!
//! A token is good only for what issued it: the operations that share a spec tag (the product,
//! one Cargo feature of the client) with the operation that issued it, so the 1-Click
//! `POST /oauth2/generate-token` access token opens `GET /oauth2/user-details` and the VKYC
//! `POST /oauth/token` one (tagged `Auth`, for Cashfree's SDK) opens nothing here; and only until
//! the expiry its answer stated. Otherwise the operation's documented `access_token_value_invalid`.

use super::super::dates::unix_now;
use super::super::http::HttpRequest;
use super::super::refusal::{Checked, Refusal, error, missing};
use super::super::spec::OpSpec;
use super::super::state::Shared;

/// Whether a security header carries the end user's bearer token rather than a client credential.
fn bearer(header: &str) -> bool {
    header == "authorization"
}

/// Checks the credentials; answers the client id sent (for the signature check), if any.
pub(crate) fn check(
    shared: &Shared,
    op: &OpSpec,
    request: &HttpRequest,
) -> Checked<Option<String>> {
    if op.security.is_empty() {
        return Ok(None);
    }
    let complete = op
        .security
        .iter()
        .find(|alt| alt.iter().all(|(_, h)| request.header(h).is_some()));
    let Some(alt) = complete else {
        let header = op.security[0]
            .iter()
            .map(|(_, h)| h)
            .find(|h| request.header(h).is_none())
            .expect("one is missing");
        // A bearer credential is the end user's access token, and Cashfree names it so.
        let name = if bearer(header) {
            "access_token"
        } else {
            header.as_str()
        };
        return Err(missing(op, name, format!("header {header} missing")));
    };
    let now = unix_now();
    let tokens_ok = alt.iter().filter(|(_, h)| bearer(h)).all(|(_, h)| {
        let value = request.header(h).unwrap_or_default();
        let token = value.strip_prefix("Bearer ").unwrap_or("");
        let state = shared.state();
        let grant = state.tokens.get(&token.to_string());
        grant.is_some_and(|g| g.allows(op, now).is_ok())
    });
    if !tokens_ok {
        return Err(Refusal::answer(error(
            op,
            "access_token_value_invalid",
            400,
            "access_token is invalid or expired.",
        )));
    }
    let mut sent: Vec<(String, String)> = alt
        .iter()
        .filter(|(_, h)| !bearer(h))
        .map(|(s, h)| (s.clone(), request.header(h).unwrap_or_default().to_string()))
        .collect();
    sent.sort();
    if !sent.is_empty() && !shared.config.credentials.contains(&sent) {
        return Err(Refusal::answer(error(
            op,
            "authentication_failed",
            401,
            "Invalid clientId and clientSecret combination",
        )));
    }
    Ok(alt
        .iter()
        .find(|(_, h)| h == "x-client-id")
        .and_then(|(_, h)| request.header(h))
        .map(String::from))
}
