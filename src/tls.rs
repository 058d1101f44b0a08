//! The TLS stack of the `reqwest::Client` the builder creates, chosen by cargo feature.
//!
//! Default: rustls with the `ring` crypto provider (see README, "TLS", for the measured build cost
//! against aws-lc-rs). Feature `native-tls` uses the platform's TLS instead.
//!
//! Redirects are never followed: Cashfree's API does not redirect, and a client that followed one would
//! send the credential headers (and, for 307/308, the body) to whatever host the `Location` names. A
//! 3xx answer is an [`ErrorKind::Redirect`](crate::ErrorKind::Redirect) error instead.
//!
//! reqwest's own retry layer is off: the crate retries under its [`RetryPolicy`](crate::RetryPolicy),
//! and reqwest's layer only replays HTTP/2 protocol refusals, which this HTTP/1.1 client never gets,
//! while it copies every request (headers, extensions, body) to be able to.

/// A `reqwest::ClientBuilder` with this crate's TLS stack: start from it when you configure your own
/// client (a proxy, say) for [`ClientBuilder::http_client`](crate::ClientBuilder::http_client).
///
/// It follows no redirect (`reqwest::redirect::Policy::none()`). If you build your `reqwest::Client`
/// from `reqwest::Client::builder()` instead, set that policy yourself: reqwest's default follows up
/// to 10 redirects to any host and keeps every header but `Authorization` and `Cookie`, so
/// `x-client-id` and `x-client-secret` would go wherever a redirect points.
///
/// ```
/// let http = cashfree_verification::tls::client_builder()
///     .timeout(std::time::Duration::from_secs(20))
///     .build()
///     .unwrap();
/// let client = cashfree_verification::Client::builder().http_client(http).build().unwrap();
/// # drop(client);
/// ```
pub fn client_builder() -> reqwest::ClientBuilder {
    install_default_provider();
    let builder = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .retry(reqwest::retry::never().max_retries_per_request(0));
    #[cfg(feature = "native-tls")]
    let builder = builder.tls_backend_native();
    builder
}

/// Installs `ring` as rustls' process-wide crypto provider, unless one is installed already (then
/// that one stays, as the application chose). Cheap after the first call.
///
/// With the default feature `rustls`, this crate enables reqwest's rustls backend without choosing
/// a provider (to build `ring`, not `aws-lc-rs`), and Cargo enables it in **your** reqwest too: a
/// `reqwest::Client::builder().build()` of your own then needs a process-wide provider, and panics
/// ("No rustls crypto provider is configured") if there is none — unless your reqwest has a
/// provider of its own (its default `rustls` feature, or `native-tls`). The crate installs ring when
/// you make its [`ClientBuilder`](crate::ClientBuilder) or call [`client_builder`]; if your program
/// may build its own reqwest client first, call this at the start of `main`:
///
/// ```
/// cashfree_verification::tls::install_default_provider();
/// // Your own client, beside the crate's: it uses ring too.
/// let mine = reqwest::Client::builder().build().unwrap();
/// # drop(mine);
/// ```
///
/// Without feature `rustls` (or with `native-tls`) it does nothing.
pub fn install_default_provider() {
    #[cfg(all(feature = "rustls", not(feature = "native-tls")))]
    if rustls::crypto::CryptoProvider::get_default().is_none() {
        // Err only when another thread installed one meanwhile: that one is used.
        let _ = rustls::crypto::ring::default_provider().install_default();
    }
}
