//! Where requests go: Cashfree's sandbox, production, or a custom base URL.

use std::fmt;

use super::base_url::shown_url;

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
