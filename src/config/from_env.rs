//! A builder configured from `CASHFREE_*` environment variables.

use std::time::Duration;

use super::apps::APPS;
use super::builder::ClientBuilder;
use super::environment::Environment;

impl ClientBuilder {
    /// Reads the configuration from environment variables. Unset variables keep the defaults; a
    /// malformed value is reported by [`build`](ClientBuilder::build), naming the variable.
    ///
    /// | variable | meaning |
    /// | --- | --- |
    /// | `CASHFREE_ENV` | `sandbox` (default) or `production` |
    /// | `CASHFREE_BASE_URL` | a custom base URL; overrides `CASHFREE_ENV` |
    /// | `CASHFREE_CLIENT_ID`, `CASHFREE_CLIENT_SECRET` | the Verification app's credentials (every product, VKYC included) |
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
}
