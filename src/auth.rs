//! Choosing the credentials an operation needs, from the security requirements the spec declares for it.

use reqwest::header::{HeaderMap, HeaderName, HeaderValue};

use crate::config::{APPS, Settings};
use crate::error::MISSING_CREDENTIALS;
use crate::spec::{self, Operation};

/// Sets the credential headers for `op`, marked sensitive. (Signing later reads the client id back from
/// the request's `x-client-id` header, so each retry attempt is signed for what is actually sent.)
///
/// # Errors
/// A message starting with [`MISSING_CREDENTIALS`] when no alternative of the operation's security
/// requirements is fully configured. Nothing has been sent.
pub(crate) fn apply(
    settings: &Settings,
    op: &Operation,
    headers: &mut HeaderMap,
) -> Result<(), String> {
    if op.security.is_empty() {
        return Ok(());
    }
    let creds = &settings.0.credentials;
    // A scheme's header given on the call (a per-user bearer token) counts as configured.
    let given = |name: &str| {
        spec::scheme(name).is_some_and(|s| s.supported && headers.contains_key(s.header))
    };
    let Some(chosen) = op
        .security
        .iter()
        .find(|alt| alt.iter().all(|s| creds.contains_key(*s) || given(s)))
    else {
        return Err(missing_message(op));
    };
    for scheme_name in chosen.iter() {
        let scheme = spec::scheme(scheme_name).ok_or_else(|| {
            format!(
                "{MISSING_CREDENTIALS}security scheme {scheme_name} is not declared in the specs"
            )
        })?;
        if !scheme.supported {
            return Err(format!(
                "{MISSING_CREDENTIALS}{} needs security scheme {scheme_name}, whose kind this client cannot send",
                op.name
            ));
        }
        let header = HeaderName::from_static(scheme.header);
        let mut value = match headers.get(&header) {
            // Given on the call: add the scheme's prefix (`Bearer `) when the caller left it out.
            Some(given) if given.as_bytes().starts_with(scheme.prefix.as_bytes()) => given.clone(),
            Some(given) => {
                let mut bytes = scheme.prefix.as_bytes().to_vec();
                bytes.extend_from_slice(given.as_bytes());
                HeaderValue::from_bytes(&bytes).map_err(|_| {
                    format!("{MISSING_CREDENTIALS}the {} header given on the call is not a valid header value", scheme.header)
                })?
            }
            // Made once by the builder (visible ASCII only, so every configured one is there).
            None => settings.0.credential_headers.get(*scheme_name).cloned().ok_or_else(|| {
                format!(
                    "{MISSING_CREDENTIALS}the credential for {scheme_name} is not a valid header value"
                )
            })?,
        };
        value.set_sensitive(true);
        headers.insert(header, value);
    }
    Ok(())
}

fn missing_message(op: &Operation) -> String {
    let alternatives: Vec<String> = op.security.iter().map(|alt| alt.join(" + ")).collect();
    let hints: Vec<String> = op
        .security
        .iter()
        .map(|alt| {
            match APPS.iter().find(|a| {
                alt.contains(&a.id_scheme) && alt.contains(&a.secret_scheme) && alt.len() == 2
            }) {
                Some(app) => format!(
                    "the {} app's: ClientBuilder::{}(..) or {} and {}",
                    app.label, app.setter, app.id_env, app.secret_env
                ),
                None => format!(
                    "ClientBuilder::scheme_credential(..) for {}",
                    alt.join(" and ")
                ),
            }
        })
        .collect();
    format!(
        "{MISSING_CREDENTIALS}{} ({} {}) needs credentials for security scheme {}, which are not configured; set {}",
        op.name,
        op.method,
        op.path,
        alternatives.join(" or "),
        hints.join(", or ")
    )
}
