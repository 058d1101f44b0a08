//! [`ClientBuilder::build`]: every setting checked at once, and what each step of a call needs made
//! once.

#[cfg(feature = "signing")]
use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

#[cfg(feature = "signing")]
use secrecy::SecretString;

use super::apps::APPS;
use super::base_url::check_base_url;
use super::builder::ClientBuilder;
use super::environment::Environment;
use super::settings::{Settings, SettingsInner};
use super::{DEFAULT_CONNECT_TIMEOUT, DEFAULT_MAX_RESPONSE_BYTES, DEFAULT_TIMEOUT};
use crate::call::api_version::is_api_version;
use crate::error::Error;
#[cfg(feature = "signing")]
use crate::signing::Signer;

impl ClientBuilder {
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
        #[cfg(feature = "rate-limit")]
        let rate_limiter = self
            .rate_limiter
            .as_ref()
            .and_then(|limiter| limiter.prepare().map_err(|e| errors.extend(e)).ok());
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
        let settings = Settings(Arc::new(SettingsInner {
            base_url: base_url.clone(),
            credentials: crate::call::credentials::Prepared::new(&self.credentials),
            configured: self.credentials,
            api_version: crate::call::api_version::Prepared::new(self.api_version),
            #[cfg(feature = "signing")]
            signer,
            #[cfg(not(feature = "signing"))]
            signer: (),
            retry: self.retry.unwrap_or_default(),
            max_response_bytes: self
                .max_response_bytes
                .unwrap_or(DEFAULT_MAX_RESPONSE_BYTES),
            resolve_ambiguous_creates: self.resolve_ambiguous_creates,
            #[cfg(feature = "rate-limit")]
            rate_limiter,
            #[cfg(not(feature = "rate-limit"))]
            rate_limiter: (),
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
