//! The TLS stack of the `reqwest::Client` the builder creates, chosen by cargo feature.
//!
//! Default: rustls with the `ring` crypto provider (see README, "TLS", for the measured build cost
//! against aws-lc-rs). Feature `native-tls` uses the platform's TLS instead.

/// A `reqwest::ClientBuilder` with this crate's TLS stack: start from it when you configure your own
/// client (a proxy, say) for [`ClientBuilder::http_client`](crate::ClientBuilder::http_client).
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
    let builder = reqwest::Client::builder();
    #[cfg(feature = "native-tls")]
    let builder = builder.tls_backend_native();
    #[cfg(all(feature = "rustls", not(feature = "native-tls")))]
    {
        // reqwest's rustls backend uses the process-wide provider; install ring's unless the
        // application already installed one (then that one is used, as the application chose).
        if rustls::crypto::CryptoProvider::get_default().is_none() {
            let _ = rustls::crypto::ring::default_provider().install_default();
        }
    }
    builder
}
