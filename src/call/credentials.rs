//! Step 1 of a call: the credentials an operation needs, chosen from the security requirements the
//! spec declares for it. Made once at build time ([`Prepared`]); per call, ready header values are
//! inserted.

use std::collections::BTreeMap;

use reqwest::header::{HeaderMap, HeaderName, HeaderValue};

use secrecy::SecretString;

use super::boundary::{StepError, StepKind};
use crate::config::APPS;
use crate::spec::{self, Operation, SecurityScheme};

/// What the credentials step needs, made once by `build()`.
#[derive(Debug, Default)]
pub(crate) struct Prepared {
    /// Each credential as the header value its scheme sends (prefix included), marked sensitive,
    /// by scheme name.
    pub headers: BTreeMap<String, HeaderValue>,
    /// What each operation sends, by its index in [`spec::operations`].
    pub plans: Vec<Plan>,
}

impl Prepared {
    /// The header values and per-operation plans for `credentials`.
    pub fn new(credentials: &BTreeMap<String, SecretString>) -> Prepared {
        let headers = credential_headers(credentials);
        let plans = spec::operations()
            .iter()
            .map(|op| Plan::new(op, &headers))
            .collect();
        Prepared { headers, plans }
    }
}

fn missing(message: String) -> StepError {
    StepError::new(StepKind::MissingCredentials, message)
}

/// What [`apply`] sends for one operation when the call itself gives no credential header: worked
/// out once, when the client is built, so a call only inserts ready header values.
#[derive(Debug, Default)]
pub(crate) struct Plan {
    /// The header of every scheme the operation names that it also declares as a header parameter
    /// (the only way a call can give one). When the call gives one of them (a per-user bearer
    /// token), the choice is made again per call, as [`apply`] describes; an operation that can
    /// carry none is not looked at per call.
    watched: Vec<HeaderName>,
    /// The first alternative of the operation's security requirements that is configured in full,
    /// as header values. `None` when none is (the call then fails, with the message [`apply`] makes).
    send: Option<Vec<(HeaderName, HeaderValue)>>,
}

impl Plan {
    /// The plan for `op` under the credentials `headers` (by scheme name; see
    /// [`credential_headers`]).
    pub(crate) fn new(op: &Operation, headers: &BTreeMap<String, HeaderValue>) -> Plan {
        let header_of = |name: &str| {
            spec::scheme(name)
                .filter(|s| s.supported)
                .and_then(|s| HeaderName::from_bytes(s.header.as_bytes()).ok())
        };
        let mut watched: Vec<HeaderName> = Vec::new();
        for name in op.security.iter().flat_map(|alt| alt.iter()) {
            if let Some(h) = header_of(name)
                && op.header_params.contains(&h.as_str())
                && !watched.contains(&h)
            {
                watched.push(h);
            }
        }
        let send = op.security.iter().find_map(|alt| {
            alt.iter()
                .map(|name| Some((header_of(name)?, headers.get(*name)?.clone())))
                .collect::<Option<Vec<_>>>()
        });
        Plan {
            watched,
            send: if op.security.is_empty() {
                Some(Vec::new())
            } else {
                send
            },
        }
    }
}

/// Sets the credential headers for `op`, marked sensitive. (Signing later reads the client id back from
/// the request's `x-client-id` header, so each retry attempt is signed for what is actually sent.)
///
/// # Errors
/// [`StepKind::MissingCredentials`] when no alternative of the operation's security requirements is
/// fully configured. Nothing has been sent.
pub(crate) fn apply(
    prepared: &Prepared,
    plan: Option<&Plan>,
    op: &Operation,
    headers: &mut HeaderMap,
) -> Result<(), StepError> {
    if let Some(Plan {
        watched,
        send: Some(send),
    }) = plan
        && !watched.iter().any(|h| headers.contains_key(h))
    {
        for (name, value) in send {
            headers.insert(name.clone(), value.clone());
        }
        return Ok(());
    }
    if op.security.is_empty() {
        return Ok(());
    }
    let creds = &prepared.headers;
    // A scheme's header given on the call (a per-user bearer token) counts as configured.
    let given = |name: &str| {
        spec::scheme(name).is_some_and(|s| s.supported && headers.contains_key(s.header))
    };
    let Some(chosen) = op
        .security
        .iter()
        .find(|alt| alt.iter().all(|s| creds.contains_key(*s) || given(s)))
    else {
        return Err(missing(missing_message(op)));
    };
    for scheme_name in chosen.iter() {
        let scheme = spec::scheme(scheme_name).ok_or_else(|| {
            missing(format!(
                "security scheme {scheme_name} is not declared in the specs"
            ))
        })?;
        if !scheme.supported {
            return Err(missing(format!(
                "{} needs security scheme {scheme_name}, whose kind this client cannot send",
                op.name
            )));
        }
        let header = HeaderName::from_static(scheme.header);
        let mut value = match headers.get(&header) {
            Some(given) => given_value(scheme, given).map_err(missing)?,
            // Made once by the builder (visible ASCII only, so every configured one is there).
            None => prepared.headers.get(*scheme_name).cloned().ok_or_else(|| {
                missing(format!(
                    "the credential for {scheme_name} is not a valid header value"
                ))
            })?,
        };
        value.set_sensitive(true);
        headers.insert(header, value);
    }
    Ok(())
}

/// The header value for a credential given on the call (a per-user bearer token): the scheme's
/// prefix (`Bearer `) added, or the caller's own recognised whatever its case (`bearer x` is sent
/// as `Bearer x`, never `Bearer bearer x`), white space around the credential dropped.
///
/// # Errors
/// Before any I/O: the credential is empty (`""`, `" "`, `"Bearer "`), or holds a byte that is not
/// visible ASCII (white space inside, control characters, UTF-8 such as `"tök"`). The message names
/// the header, never the value.
fn given_value(scheme: &SecurityScheme, given: &HeaderValue) -> Result<HeaderValue, String> {
    fn blank(b: &u8) -> bool {
        *b == b' ' || *b == b'\t'
    }
    fn trim(mut b: &[u8]) -> &[u8] {
        while b.first().is_some_and(blank) {
            b = &b[1..];
        }
        while b.last().is_some_and(blank) {
            b = &b[..b.len() - 1];
        }
        b
    }
    let mut credential = trim(given.as_bytes());
    let word = scheme.prefix.trim_end().as_bytes();
    if !word.is_empty()
        && credential.len() >= word.len()
        && credential[..word.len()].eq_ignore_ascii_case(word)
        && credential.get(word.len()).is_none_or(blank)
    {
        credential = trim(&credential[word.len()..]);
    }
    if credential.is_empty() {
        return Err(format!(
            "the {} header given on the call is empty{}",
            scheme.header,
            if word.is_empty() {
                String::new()
            } else {
                format!(
                    " (no credential after the {} scheme)",
                    scheme.prefix.trim_end()
                )
            }
        ));
    }
    if !credential.iter().all(u8::is_ascii_graphic) {
        return Err(format!(
            "the {} header given on the call holds a character that is not visible ASCII (a token is visible ASCII without spaces)",
            scheme.header
        ));
    }
    let mut bytes = scheme.prefix.as_bytes().to_vec();
    bytes.extend_from_slice(credential);
    HeaderValue::from_bytes(&bytes).map_err(|_| {
        format!(
            "the {} header given on the call is not a valid header value",
            scheme.header
        )
    })
}

/// The header value of every credential whose scheme the client can send (see
/// [`Prepared::headers`]).
pub(crate) fn credential_headers(
    credentials: &BTreeMap<String, SecretString>,
) -> BTreeMap<String, reqwest::header::HeaderValue> {
    credentials
        .iter()
        .filter_map(|(scheme, secret)| {
            let prefix = crate::spec::scheme(scheme)?.prefix;
            let text = format!("{prefix}{}", secrecy::ExposeSecret::expose_secret(secret));
            let mut value = reqwest::header::HeaderValue::from_str(&text).ok()?;
            value.set_sensitive(true);
            Some((scheme.clone(), value))
        })
        .collect()
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
        "{} ({} {}) needs credentials for security scheme {}, which are not configured; set {}",
        op.name,
        op.method,
        op.path,
        alternatives.join(" or "),
        hints.join(", or ")
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::ClientBuilder;

    /// The plan made at build time sends exactly what the choice made per call sends, for every
    /// operation, with both apps' credentials, with one, and with none.
    #[test]
    fn the_plan_sends_what_the_per_call_choice_sends() {
        let builders = [
            ClientBuilder::new()
                .credentials("vkyc-id", "vkyc-secret")
                .one_click_credentials("uv-id", "uv-secret"),
            ClientBuilder::new().credentials("vkyc-id", "vkyc-secret"),
            ClientBuilder::new(),
        ];
        for builder in builders {
            let client = builder.build().unwrap();
            let prepared = &client.inner.0.credentials;
            assert_eq!(prepared.plans.len(), spec::operations().len());
            for (i, op) in spec::operations().iter().enumerate() {
                let (mut planned, mut chosen) = (HeaderMap::new(), HeaderMap::new());
                let a = apply(prepared, prepared.plans.get(i), op, &mut planned);
                let b = apply(prepared, None, op, &mut chosen);
                assert_eq!(a, b, "{}", op.name);
                assert_eq!(planned, chosen, "{}", op.name);
                if a.is_ok() && !op.security.is_empty() {
                    assert!(
                        planned.values().all(HeaderValue::is_sensitive),
                        "{}",
                        op.name
                    );
                }
            }
        }
    }
}
