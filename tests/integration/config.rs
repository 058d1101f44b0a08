//! Configuration from code and from the environment: every bad setting reported, never a panic.

use std::collections::HashMap;

use cashfree_verification::{Client, ClientBuilder, Environment, ErrorKind};

const PUBLIC_KEY: &str = include_str!("../fixtures/test_key_public.pem");

fn from(vars: &[(&str, &str)]) -> ClientBuilder {
    let map: HashMap<String, String> = vars
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    ClientBuilder::from_vars(move |name| map.get(name).cloned())
}

#[test]
fn environment_variables_configure_both_apps_key_and_version() {
    let key_path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/test_key_public.pem"
    );
    let client = from(&[
        ("CASHFREE_ENV", "production"),
        ("CASHFREE_CLIENT_ID", "id1"),
        ("CASHFREE_CLIENT_SECRET", "s1"),
        ("CASHFREE_ONE_CLICK_CLIENT_ID", "id2"),
        ("CASHFREE_ONE_CLICK_CLIENT_SECRET", "s2"),
        ("CASHFREE_PUBLIC_KEY", key_path),
        ("CASHFREE_API_VERSION", "2025-01-01"),
        ("CASHFREE_TIMEOUT_SECS", "12.5"),
    ])
    .build()
    .unwrap();
    assert_eq!(
        progenitor_client::ClientInfo::baseurl(&client),
        "https://api.cashfree.com/verification"
    );
    let debug = format!("{client:?}");
    assert!(
        debug.contains("XClientID")
            && debug.contains("UVXClientSecret")
            && debug.contains("2025-01-01"),
        "{debug}"
    );
    assert!(debug.contains("key_bits: 2048"), "{debug}");
    let inline = from(&[
        ("CASHFREE_PUBLIC_KEY", PUBLIC_KEY),
        ("CASHFREE_BASE_URL", "http://127.0.0.1:9"),
    ])
    .build()
    .unwrap();
    assert_eq!(
        progenitor_client::ClientInfo::baseurl(&inline),
        "http://127.0.0.1:9"
    );
    let sandbox = from(&[]).build().unwrap();
    assert_eq!(
        progenitor_client::ClientInfo::baseurl(&sandbox),
        Environment::Sandbox.base_url()
    );
}

#[test]
fn every_bad_variable_is_reported_at_once_by_name() {
    let err = from(&[
        ("CASHFREE_ENV", "staging"),
        ("CASHFREE_CLIENT_ID", "id-only"),
        ("CASHFREE_ONE_CLICK_CLIENT_SECRET", "secret-only"),
        ("CASHFREE_PUBLIC_KEY", "/no/such/key.pem"),
        ("CASHFREE_API_VERSION", "01-12-2024"),
        ("CASHFREE_TIMEOUT_SECS", "soon"),
    ])
    .build()
    .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Config);
    let text = err.to_string();
    for needle in [
        "CASHFREE_ENV is \"staging\"",
        "CASHFREE_CLIENT_ID is set but CASHFREE_CLIENT_SECRET is not",
        "CASHFREE_ONE_CLICK_CLIENT_SECRET is set but CASHFREE_ONE_CLICK_CLIENT_ID is not",
        "CASHFREE_PUBLIC_KEY is neither a PEM nor a readable file",
        "API version \"01-12-2024\" is not a real date of the form YYYY-MM-DD",
        "CASHFREE_TIMEOUT_SECS is \"soon\"",
    ] {
        assert!(text.contains(needle), "missing {needle:?} in {text}");
    }
    assert!(
        !text.contains("secret-only"),
        "a secret value leaked into {text}"
    );
}

#[test]
fn builder_rejects_bad_settings_without_echoing_secrets() {
    let err = Client::builder()
        .base_url("http://api.example.com/verification")
        .public_key_pem("-----BEGIN PUBLIC KEY-----\nnot base64!\n-----END PUBLIC KEY-----\n")
        .scheme_credential("NoSuchScheme", "value-1")
        .credentials("id", "sec ret with spaces")
        .build()
        .unwrap_err();
    let text = err.to_string();
    assert!(text.contains("plain http to a non-loopback host"), "{text}");
    assert!(text.contains("signing public key is invalid"), "{text}");
    assert!(
        text.contains("unknown security scheme \"NoSuchScheme\"; the specs declare"),
        "{text}"
    );
    assert!(
        text.contains("credential for XClientSecret has characters a header cannot carry"),
        "{text}"
    );
    assert!(
        !text.contains("sec ret") && !text.contains("value-1"),
        "{text}"
    );

    let err = Client::builder()
        .http_client(
            cashfree_verification::tls::client_builder()
                .build()
                .unwrap(),
        )
        .timeout(std::time::Duration::from_secs(1))
        .build()
        .unwrap_err();
    assert!(
        err.to_string()
            .contains("with http_client(..) set them on your own client"),
        "{err}"
    );
}

#[test]
fn a_client_id_too_long_to_sign_is_a_configuration_error() {
    let err = Client::builder()
        .credentials("x".repeat(300), "s")
        .public_key_pem(PUBLIC_KEY)
        .build()
        .unwrap_err();
    assert!(
        err.to_string()
            .contains("the XClientID client id is too long to sign with a 2048-bit key"),
        "{err}"
    );
    Client::builder()
        .credentials("x".repeat(150), "s")
        .public_key_pem(PUBLIC_KEY)
        .build()
        .unwrap();
}
