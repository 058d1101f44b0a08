//! Which security schemes belong together as one Cashfree app's credentials.

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
    /// The [`ClientBuilder`](super::ClientBuilder) method that sets its credentials.
    pub setter: &'static str,
    /// The environment variable of its client id.
    pub id_env: &'static str,
    /// The environment variable of its client secret.
    pub secret_env: &'static str,
}

/// The apps the specs name: VKYC (`XClientID`/`XClientSecret`) and the separate 1-Click app
/// (`UVXClientID`/`UVXClientSecret`). Other schemes are set with [`ClientBuilder::scheme_credential`](super::ClientBuilder::scheme_credential).
pub const APPS: [App; 2] = [
    App {
        label: "Verification",
        id_scheme: "XClientID",
        secret_scheme: "XClientSecret",
        setter: "credentials",
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
