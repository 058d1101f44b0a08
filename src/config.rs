//! Client configuration: environment, credentials per security scheme, API version, signing key,
//! timeouts and retries, from code or from the environment.
//!
//! ```
//! use std::time::Duration;
//! use cashfree_verification::{Client, Environment};
//!
//! let client = Client::builder()
//!     .environment(Environment::Sandbox)
//!     .vkyc_credentials("CF_CLIENT_ID", "CF_CLIENT_SECRET")
//!     .one_click_credentials("CF_1CLICK_ID", "CF_1CLICK_SECRET")
//!     .timeout(Duration::from_secs(20))
//!     .build()?;
//! # Ok::<(), cashfree_verification::Error>(())
//! ```

use std::collections::BTreeMap;
use std::fmt;
use std::net::IpAddr;
use std::sync::Arc;
use std::time::Duration;

use secrecy::SecretString;

use crate::error::Error;
use crate::retry::RetryPolicy;
#[cfg(feature = "signing")]
use crate::signing::Signer;

/// Where requests go. Its `Debug` shows a custom URL without user name, password, query or fragment.
#[derive(Clone, PartialEq, Eq)]
pub enum Environment {
    /// `https://sandbox.cashfree.com/verification` (the default).
    Sandbox,
    /// `https://api.cashfree.com/verification`.
    Production,
    /// Any base URL: a proxy, or a local server in tests. It must be `https`, unless its host is a
    /// loopback address or `localhost`, and carry no user name, password, query or fragment.
    Custom(String),
}

impl fmt::Debug for Environment {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Environment::Sandbox => f.write_str("Sandbox"),
            Environment::Production => f.write_str("Production"),
            Environment::Custom(url) => f.debug_tuple("Custom").field(&shown_url(url)).finish(),
        }
    }
}

impl Environment {
    /// The base URL requests are sent to.
    pub fn base_url(&self) -> &str {
        match self {
            Environment::Sandbox => "https://sandbox.cashfree.com/verification",
            Environment::Production => "https://api.cashfree.com/verification",
            Environment::Custom(url) => url,
        }
    }
}

/// A Cashfree app whose credentials cover a pair of security schemes (client id, client secret): the
/// one place that says which of the specs' schemes belong together (the sandbox reads it too).
#[derive(Debug, Clone, Copy)]
#[non_exhaustive]
pub struct App {
    /// How people call it: `VKYC`, `1-Click`.
    pub label: &'static str,
    /// The security scheme of its client id.
    pub id_scheme: &'static str,
    /// The security scheme of its client secret.
    pub secret_scheme: &'static str,
    /// The [`ClientBuilder`] method that sets its credentials.
    pub setter: &'static str,
    /// The environment variable of its client id.
    pub id_env: &'static str,
    /// The environment variable of its client secret.
    pub secret_env: &'static str,
}

/// The apps the specs name: VKYC (`XClientID`/`XClientSecret`) and the separate 1-Click app
/// (`UVXClientID`/`UVXClientSecret`). Other schemes are set with [`ClientBuilder::scheme_credential`].
pub const APPS: [App; 2] = [
    App {
        label: "VKYC",
        id_scheme: "XClientID",
        secret_scheme: "XClientSecret",
        setter: "vkyc_credentials",
        id_env: "CASHFREE_CLIENT_ID",
        secret_env: "CASHFREE_CLIENT_SECRET",
    },
    App {
        label: "1-Click",
        id_scheme: "UVXClientID",
        secret_scheme: "UVXClientSecret",
        setter: "one_click_credentials",
        id_env: "CASHFREE_ONE_CLICK_CLIENT_ID",
        secret_env: "CASHFREE_ONE_CLICK_CLIENT_SECRET",
    },
];

/// Default for [`ClientBuilder::connect_timeout`].
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// Default for [`ClientBuilder::timeout`].
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);
/// Default for [`ClientBuilder::max_response_bytes`].
pub const DEFAULT_MAX_RESPONSE_BYTES: usize = 1024 * 1024;

/// Builds a [`Client`](crate::Client). Setters never fail: a bad value is kept and reported, with every
/// other bad value, by [`build`](ClientBuilder::build).
#[must_use]
#[derive(Default)]
pub struct ClientBuilder {
    environment: Option<Environment>,
    credentials: BTreeMap<String, SecretString>,
    public_key: Option<String>,
    api_version: Option<String>,
    connect_timeout: Option<Duration>,
    timeout: Option<Duration>,
    retry: Option<RetryPolicy>,
    http: Option<reqwest::Client>,
    max_response_bytes: Option<usize>,
    errors: Vec<String>,
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("environment", &self.environment)
            .field("credentials", &self.credentials.keys().collect::<Vec<_>>())
            .field("public_key", &self.public_key.as_ref().map(|_| "<set>"))
            .field("api_version", &self.api_version)
            .field("connect_timeout", &self.connect_timeout)
            .field("timeout", &self.timeout)
            .field("retry", &self.retry)
            .field("custom_http_client", &self.http.is_some())
            .field("max_response_bytes", &self.max_response_bytes)
            .finish()
    }
}

impl ClientBuilder {
    /// A builder with every default: sandbox, no credentials, no signing, the spec's API version.
    pub fn new() -> Self {
        // Before the application's own reqwest client, if it builds one later (see the function).
        crate::tls::install_default_provider();
        Self::default()
    }

    /// Reads the configuration from environment variables. Unset variables keep the defaults; a
    /// malformed value is reported by [`build`](ClientBuilder::build), naming the variable.
    ///
    /// | variable | meaning |
    /// | --- | --- |
    /// | `CASHFREE_ENV` | `sandbox` (default) or `production` |
    /// | `CASHFREE_BASE_URL` | a custom base URL; overrides `CASHFREE_ENV` |
    /// | `CASHFREE_CLIENT_ID`, `CASHFREE_CLIENT_SECRET` | the VKYC app's credentials |
    /// | `CASHFREE_ONE_CLICK_CLIENT_ID`, `CASHFREE_ONE_CLICK_CLIENT_SECRET` | the 1-Click app's credentials |
    /// | `CASHFREE_PUBLIC_KEY` | Cashfree's public key for request signing: a PEM, or a path to one |
    /// | `CASHFREE_API_VERSION` | `x-api-version` for every call (default: the spec's, 2024-12-01) |
    /// | `CASHFREE_TIMEOUT_SECS`, `CASHFREE_CONNECT_TIMEOUT_SECS` | timeouts in seconds |
    pub fn from_env() -> Self {
        Self::from_vars(|name| std::env::var(name).ok())
    }

    /// [`from_env`](ClientBuilder::from_env) with another source of variables (for tests and for
    /// configuration systems that are not the process environment).
    pub fn from_vars(var: impl Fn(&str) -> Option<String>) -> Self {
        let var = |name: &str| var(name).filter(|v| !v.trim().is_empty());
        let mut b = Self::new();
        match var("CASHFREE_ENV").map(|v| v.trim().to_ascii_lowercase()).as_deref() {
            None | Some("sandbox") => {}
            Some("production") | Some("prod") => b.environment = Some(Environment::Production),
            Some(other) => b.errors.push(format!(
                "CASHFREE_ENV is {other:?}; use \"sandbox\" or \"production\" (or set CASHFREE_BASE_URL)"
            )),
        }
        if let Some(url) = var("CASHFREE_BASE_URL") {
            b.environment = Some(Environment::Custom(url.trim().to_string()));
        }
        for app in APPS {
            match (var(app.id_env), var(app.secret_env)) {
                (Some(id), Some(secret)) => {
                    b = b
                        .scheme_credential(app.id_scheme, id)
                        .scheme_credential(app.secret_scheme, secret);
                }
                (None, None) => {}
                (Some(_), None) => b.errors.push(format!(
                    "{} is set but {} is not",
                    app.id_env, app.secret_env
                )),
                (None, Some(_)) => b.errors.push(format!(
                    "{} is set but {} is not",
                    app.secret_env, app.id_env
                )),
            }
        }
        if let Some(key) = var("CASHFREE_PUBLIC_KEY") {
            if key.trim_start().starts_with("-----BEGIN") {
                b.public_key = Some(key);
            } else {
                #[cfg(feature = "signing")]
                match crate::signing::read_pem_file(key.trim().as_ref()) {
                    Ok(pem) => b.public_key = Some(pem),
                    Err(e) => b.errors.push(format!(
                        "CASHFREE_PUBLIC_KEY is neither a PEM nor a readable file: {e}"
                    )),
                }
                #[cfg(not(feature = "signing"))]
                b.errors.push(
                    "CASHFREE_PUBLIC_KEY is set, but this build has no request signing (feature `signing`)".into(),
                );
            }
        }
        if let Some(v) = var("CASHFREE_API_VERSION") {
            b.api_version = Some(v.trim().to_string());
        }
        for (name, slot) in [
            ("CASHFREE_TIMEOUT_SECS", &mut b.timeout),
            ("CASHFREE_CONNECT_TIMEOUT_SECS", &mut b.connect_timeout),
        ] {
            if let Some(v) = var(name) {
                match v.trim().parse::<f64>() {
                    Ok(s) if s.is_finite() && s > 0.0 && s <= 3600.0 => {
                        *slot = Some(Duration::from_secs_f64(s))
                    }
                    _ => b.errors.push(format!(
                        "{name} is {v:?}; use a number of seconds between 0 and 3600"
                    )),
                }
            }
        }
        b
    }

    /// Where to send requests. Default: [`Environment::Sandbox`].
    pub fn environment(mut self, environment: Environment) -> Self {
        self.environment = Some(environment);
        self
    }

    /// Shorthand for `environment(Environment::Custom(url))`.
    pub fn base_url(self, url: impl Into<String>) -> Self {
        self.environment(Environment::Custom(url.into()))
    }

    /// The VKYC app's credentials (security schemes `XClientID`/`XClientSecret`). Default: none, and
    /// VKYC operations then fail before any I/O.
    pub fn vkyc_credentials(
        self,
        client_id: impl Into<String>,
        client_secret: impl Into<String>,
    ) -> Self {
        self.app_credentials(&APPS[0], client_id.into(), client_secret.into())
    }

    /// The 1-Click app's credentials (security schemes `UVXClientID`/`UVXClientSecret`), which Cashfree
    /// issues separately from the VKYC ones. Default: none.
    pub fn one_click_credentials(
        self,
        client_id: impl Into<String>,
        client_secret: impl Into<String>,
    ) -> Self {
        self.app_credentials(&APPS[1], client_id.into(), client_secret.into())
    }

    fn app_credentials(self, app: &App, id: String, secret: String) -> Self {
        self.scheme_credential(app.id_scheme, id)
            .scheme_credential(app.secret_scheme, secret)
    }

    /// The value for any security scheme the specs declare, by its name in the spec (e.g. a scheme a
    /// future Cashfree spec adds). Default: none.
    pub fn scheme_credential(
        mut self,
        scheme: impl Into<String>,
        value: impl Into<String>,
    ) -> Self {
        self.credentials
            .insert(scheme.into(), SecretString::from(value.into()));
        self
    }

    /// Cashfree's RSA public key (PEM, SPKI or PKCS#1) for 2FA request signing: every request then
    /// carries `x-cf-signature`. Default: no signing.
    pub fn public_key_pem(mut self, pem: impl Into<String>) -> Self {
        self.public_key = Some(pem.into());
        self
    }

    /// The `x-api-version` for every call (`YYYY-MM-DD`); a call's own value still wins. Default: the
    /// version the spec pins for the operation (2024-12-01 for the current specs).
    pub fn api_version(mut self, version: impl Into<String>) -> Self {
        self.api_version = Some(version.into());
        self
    }

    /// Time allowed to connect, per attempt. Default: [`DEFAULT_CONNECT_TIMEOUT`] (10 s).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = Some(timeout);
        self
    }

    /// Time allowed for one attempt, from sending to the end of the response. Retries get their own
    /// attempts; [`RetryPolicy`] bounds the total. Default: [`DEFAULT_TIMEOUT`] (30 s).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// How failed attempts are retried. Default: [`RetryPolicy::default`].
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry = Some(policy);
        self
    }

    /// Use this `reqwest::Client` (its connection pool, proxy, TLS and timeouts) instead of one built
    /// here. Default: a client with the timeouts above, rustls and no proxy from the environment
    /// besides reqwest's own defaults.
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http = Some(client);
        self
    }

    /// Most bytes of a response body read into memory; a longer body is cut there (an error body is
    /// then reported as truncated). Default: [`DEFAULT_MAX_RESPONSE_BYTES`] (1 MiB).
    pub fn max_response_bytes(mut self, bytes: usize) -> Self {
        self.max_response_bytes = Some(bytes);
        self
    }

    /// Checks every setting and builds the client.
    ///
    /// # Errors
    /// An [`Error`] of kind [`Config`](crate::ErrorKind::Config) listing every bad setting: a base URL
    /// that does not parse, is plain `http` to a non-loopback host, or carries a user name, password,
    /// query or fragment (never echoed), an unknown security scheme, an empty or non-ASCII credential, a
    /// half-set credential pair, an invalid PEM, an API version that is not a real `YYYY-MM-DD` date, a
    /// zero timeout, or timeouts given together with a custom `reqwest::Client`.
    pub fn build(self) -> Result<crate::Client, Error> {
        let mut errors = self.errors;
        let environment = self.environment.unwrap_or(Environment::Sandbox);
        let base_url = environment.base_url().trim_end_matches('/').to_string();
        if let Err(e) = check_base_url(&base_url) {
            errors.push(e);
        }
        let known = crate::spec::scheme_names();
        for (scheme, value) in &self.credentials {
            if !known.contains(&scheme.as_str()) {
                errors.push(format!(
                    "unknown security scheme {scheme:?}; the specs declare {}",
                    known.join(", ")
                ));
            }
            let v = secrecy::ExposeSecret::expose_secret(value);
            if v.trim().is_empty() {
                errors.push(format!("the credential for {scheme} is empty"));
            } else if !v.bytes().all(|b| (0x21..0x7f).contains(&b)) {
                errors.push(format!(
                    "the credential for {scheme} has characters a header cannot carry (only visible ASCII)"
                ));
            }
        }
        for app in APPS {
            let (id, secret) = (
                self.credentials.contains_key(app.id_scheme),
                self.credentials.contains_key(app.secret_scheme),
            );
            if id != secret {
                let missing = if id { app.secret_scheme } else { app.id_scheme };
                errors.push(format!(
                    "the {} credentials are half set: {missing} is missing",
                    app.label
                ));
            }
        }
        #[cfg(feature = "signing")]
        let signer = signer_for(&self.public_key, &self.credentials, &mut errors);
        #[cfg(not(feature = "signing"))]
        if self.public_key.is_some() {
            errors.push(
                "a public key is set, but this build has no request signing (feature `signing`)"
                    .into(),
            );
        }
        if let Some(v) = &self.api_version
            && !is_api_version(v)
        {
            errors.push(format!(
                "API version {v:?} is not a real date of the form YYYY-MM-DD"
            ));
        }
        for (name, t) in [
            ("timeout", self.timeout),
            ("connect_timeout", self.connect_timeout),
        ] {
            if t == Some(Duration::ZERO) {
                errors.push(format!("{name} is zero; no request could complete"));
            }
        }
        if self.http.is_some() && (self.timeout.is_some() || self.connect_timeout.is_some()) {
            errors.push(
                "timeouts apply to the reqwest::Client this builder creates; with http_client(..) set them on your own client".into(),
            );
        }
        if self.max_response_bytes == Some(0) {
            errors.push("max_response_bytes is zero; no response could be read".into());
        }
        if !errors.is_empty() {
            return Err(Error::config(errors));
        }
        let http = match self.http {
            Some(client) => client,
            None => crate::tls::client_builder()
                .connect_timeout(self.connect_timeout.unwrap_or(DEFAULT_CONNECT_TIMEOUT))
                .timeout(self.timeout.unwrap_or(DEFAULT_TIMEOUT))
                .build()
                .map_err(|e| Error::config(vec![format!("cannot build the HTTP client: {e}")]))?,
        };
        let credential_headers = credential_headers(&self.credentials);
        let auth_plans = crate::spec::operations()
            .iter()
            .map(|op| crate::auth::Plan::new(op, &credential_headers))
            .collect();
        let api_version_headers = crate::spec::operations()
            .iter()
            .map(|op| {
                reqwest::header::HeaderValue::from_str(api_version_for(
                    self.api_version.as_deref(),
                    op,
                ))
                .ok()
            })
            .collect();
        let settings = Settings(Arc::new(SettingsInner {
            base_url: base_url.clone(),
            credentials: self.credentials,
            credential_headers,
            auth_plans,
            api_version_headers,
            #[cfg(feature = "signing")]
            signer,
            api_version: self.api_version,
            retry: self.retry.unwrap_or_default(),
            max_response_bytes: self
                .max_response_bytes
                .unwrap_or(DEFAULT_MAX_RESPONSE_BYTES),
        }));
        Ok(crate::Client::new_with_client(&base_url, http, settings))
    }
}

/// The signer for `public_key`, checking that every client id can be signed with it (a client id
/// too long for the key, over ~200 bytes with RSA-2048, is reported now rather than on the first
/// request).
#[cfg(feature = "signing")]
fn signer_for(
    public_key: &Option<String>,
    credentials: &BTreeMap<String, SecretString>,
    errors: &mut Vec<String>,
) -> Option<Signer> {
    let signer = match public_key {
        None => None,
        Some(pem) => match Signer::from_pem(pem) {
            Ok(s) => Some(s),
            Err(e) => {
                errors.push(format!("the signing public key is invalid: {e}"));
                None
            }
        },
    };
    // A client id too long for the key (over ~200 bytes with RSA-2048) cannot be signed: say so now
    // rather than on the first request.
    if let Some(signer) = &signer {
        for (scheme, value) in credentials {
            let is_client_id =
                crate::spec::scheme(scheme).is_some_and(|s| s.header == "x-client-id");
            if is_client_id
                && signer
                    .signature(secrecy::ExposeSecret::expose_secret(value), u64::MAX)
                    .is_err()
            {
                errors.push(format!(
                    "the {scheme} client id is too long to sign with a {}-bit key",
                    signer.key_bits()
                ));
            }
        }
    }
    signer
}

/// The header value of every credential whose scheme the client can send (see
/// [`SettingsInner::credential_headers`]).
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

fn check_base_url(url: &str) -> Result<(), String> {
    let shown = shown_url(url);
    // Cashfree's URLs hold no `@`; one anywhere is user-info, even where the URL parser would read
    // it as part of the path (`https://user:pa/ss@host` parses as host `user`, path `/ss@host`).
    if url.contains('@') {
        return Err(format!(
            "base URL {shown} carries a user name or password; give credentials with the builder's credential setters"
        ));
    }
    let parsed =
        reqwest::Url::parse(url).map_err(|e| format!("base URL {shown} does not parse: {e}"))?;
    // Credentials travel in Cashfree's headers only; a query or fragment would end up in the middle of
    // every request path (`/base?x=/oauth/token`).
    if !parsed.username().is_empty() || parsed.password().is_some() {
        return Err(format!(
            "base URL {shown} carries a user name or password; give credentials with the builder's credential setters"
        ));
    }
    if parsed.query().is_some() || parsed.fragment().is_some() {
        return Err(format!(
            "base URL {shown} has a query or fragment; give scheme, host, port and path only"
        ));
    }
    match parsed.scheme() {
        "https" => Ok(()),
        "http" if is_loopback(&parsed) => Ok(()),
        "http" => Err(format!(
            "base URL {shown} is plain http to a non-loopback host; credentials would travel in clear text (use https)"
        )),
        other => Err(format!("base URL {shown} has scheme {other:?}; use https")),
    }
}

/// `url` as it may be shown in messages and `Debug`: user name, password, query and fragment replaced
/// by `<redacted>`, whether or not the URL parses.
///
/// Where user-info ends cannot be told from a URL that does not parse: a password may hold `/`, `?`,
/// `#` or `@` (`https://u:pa/ss@host` does not parse, and `/` would seem to end the host). So
/// everything between the scheme and the last `@` is hidden, wherever that `@` is; a URL with an `@`
/// only in its path loses a little of what it shows, and no password shows in part.
fn shown_url(url: &str) -> String {
    let (scheme, rest) = match url.split_once("://") {
        Some((scheme, rest)) => (Some(scheme), rest),
        None => (None, url),
    };
    let (user_info, rest) = match rest.rfind('@') {
        // A `?` or `#` before it: the `@` may be in a query or fragment, so what follows it may be
        // too, and nothing of the rest is shown.
        Some(at) if rest[..at].contains(['?', '#']) => (true, ""),
        Some(at) => (true, &rest[at + 1..]),
        None => (false, rest),
    };
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (host, tail) = rest.split_at(end);
    let authority = if user_info {
        format!("<redacted>@{host}")
    } else {
        host.to_string()
    };
    let tail = match tail.find(['?', '#']) {
        Some(i) => format!("{}<redacted>", &tail[..i]),
        None => tail.to_string(),
    };
    let shown = match scheme {
        // A "scheme" that is not one (text before `://` that holds more) is hidden too.
        Some(scheme)
            if scheme
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"+-.".contains(&b)) =>
        {
            format!("{scheme}://{authority}{tail}")
        }
        Some(_) => format!("<redacted>://{authority}{tail}"),
        None => format!("{authority}{tail}"),
    };
    format!("{:?}", shown)
}

fn is_loopback(url: &reqwest::Url) -> bool {
    match url.host() {
        Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(ip)) => IpAddr::V4(ip).is_loopback(),
        Some(url::Host::Ipv6(ip)) => IpAddr::V6(ip).is_loopback(),
        None => false,
    }
}

/// The `x-api-version` an operation sends when the call gives none: the client's, else the one the
/// spec pins for the operation, else [`DEFAULT_API_VERSION`](crate::DEFAULT_API_VERSION).
pub(crate) fn api_version_for<'a>(client: Option<&'a str>, op: &crate::spec::Operation) -> &'a str {
    client
        .or(op.api_version)
        .unwrap_or(crate::DEFAULT_API_VERSION)
}

/// `true` for `YYYY-MM-DD` naming a real calendar date (the form of `x-api-version`).
///
/// ```
/// use cashfree_verification::config::is_api_version;
/// assert!(is_api_version("2024-02-29") && !is_api_version("2024-02-31"));
/// ```
pub fn is_api_version(v: &str) -> bool {
    let b = v.as_bytes();
    let digits = |r: std::ops::Range<usize>| {
        b[r.clone()]
            .iter()
            .all(u8::is_ascii_digit)
            .then(|| v[r].parse::<u16>().ok())
            .flatten()
    };
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return false;
    }
    let (Some(year), Some(month), Some(day)) = (digits(0..4), digits(5..7), digits(8..10)) else {
        return false;
    };
    let Ok(month) = time::Month::try_from(month as u8) else {
        return false;
    };
    time::Date::from_calendar_date(i32::from(year), month, day as u8).is_ok()
}

/// The client's configuration, shared by every clone of a [`Client`](crate::Client) (cheap to clone).
/// Made by [`ClientBuilder::build`] only (the generated `Client::new` names it, but nothing outside
/// the crate can make one); its `Debug` never shows a secret.
#[doc(hidden)]
#[derive(Clone)]
pub struct Settings(pub(crate) Arc<SettingsInner>);

pub(crate) struct SettingsInner {
    pub base_url: String,
    pub credentials: BTreeMap<String, SecretString>,
    /// Each credential as the header value its scheme sends (prefix included), marked sensitive: made
    /// once here rather than formatted on every call.
    pub credential_headers: BTreeMap<String, reqwest::header::HeaderValue>,
    /// What each operation sends, by its index in [`spec::operations`](crate::spec::operations).
    pub auth_plans: Vec<crate::auth::Plan>,
    /// The `x-api-version` each operation sends when the call gives none ([`api_version_for`]),
    /// as a header value made once, by its index in [`spec::operations`](crate::spec::operations);
    /// `None` where the spec's value is not a header value (the call then fails, naming it).
    pub api_version_headers: Vec<Option<reqwest::header::HeaderValue>>,
    #[cfg(feature = "signing")]
    pub signer: Option<Signer>,
    pub api_version: Option<String>,
    pub retry: RetryPolicy,
    pub max_response_bytes: usize,
}

impl fmt::Debug for Settings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let s = &self.0;
        let mut d = f.debug_struct("Settings");
        d.field("base_url", &s.base_url)
            .field("credentials", &s.credentials.keys().collect::<Vec<_>>());
        #[cfg(feature = "signing")]
        d.field("signer", &s.signer);
        d.field("api_version", &s.api_version)
            .field("retry", &s.retry)
            .field("max_response_bytes", &s.max_response_bytes)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The per-operation `x-api-version` values made by `build()` are the ones the precedence
    /// (client, then spec, then default) gives, for every operation.
    #[test]
    fn api_version_headers_follow_the_precedence_for_every_operation() {
        for client_version in [None, Some("2025-01-01")] {
            let mut builder = ClientBuilder::new();
            if let Some(v) = client_version {
                builder = builder.api_version(v);
            }
            let client = builder.build().unwrap();
            let headers = &client.inner.0.api_version_headers;
            assert_eq!(headers.len(), crate::spec::operations().len());
            for (op, header) in crate::spec::operations().iter().zip(headers) {
                let expected = client_version.or(op.api_version).unwrap_or("2024-12-01");
                assert_eq!(header.as_ref().map(|h| h.to_str().unwrap()), Some(expected));
            }
        }
    }

    #[test]
    fn api_versions_are_checked() {
        assert!(is_api_version("2024-12-01"));
        assert!(is_api_version("2024-02-29"), "2024 is a leap year");
        for bad in [
            "2024-02-31",
            "2023-02-29",
            "2024-04-31",
            "2024-00-10",
            "2024-13-01",
            "2024-12-32",
            "24-12-01",
            "2024/12/01",
            "2024-12-1",
            "2024-1a-01",
            "+024-12-01",
            "",
        ] {
            assert!(!is_api_version(bad), "{bad}");
        }
    }

    #[test]
    fn base_urls_must_be_https_unless_loopback() {
        assert!(check_base_url("https://proxy.example.com/verification").is_ok());
        for ok in [
            "http://127.0.0.1:8080",
            "http://localhost:1",
            "http://[::1]:9",
        ] {
            assert!(check_base_url(ok).is_ok(), "{ok}");
        }
        assert!(
            check_base_url("http://10.0.0.1")
                .unwrap_err()
                .contains("clear text")
        );
        assert!(check_base_url("ftp://x").unwrap_err().contains("scheme"));
        assert!(
            check_base_url("not a url")
                .unwrap_err()
                .contains("does not parse")
        );
    }
}
