//! Hostile servers and hostile configuration (issue "Hostile input", client items 1 to 6): each test
//! is named for the item it guards, over real HTTP on 127.0.0.1 where a server is involved.

use std::time::{Duration, Instant};

use cashfree_verification::{Client, ClientBuilder, Error, ErrorKind};
use serde_json::json;

use crate::common::calls::{VKYC_ID, VKYC_SECRET, client_for, token_call};
use crate::common::scripted::{Reply, Server, bounded};

fn unauthorized(message: &str) -> Reply {
    Reply::json(
        401,
        json!({"type": "authentication_error", "code": "authentication_failed", "message": message}),
    )
}

/// Item 1: a 3xx to another host or port is an error naming status and `Location`; the other host
/// receives nothing, whatever the status (307/308 would also replay the body).
#[tokio::test]
async fn hostile_1_redirects_are_never_followed() {
    bounded(20, async {
        let api = Server::start().await;
        let elsewhere = Server::start().await;
        let target = format!("{}/steal", elsewhere.url);
        let own_client = cashfree_verification::tls::client_builder()
            .build()
            .unwrap();
        for (status, custom_http) in [
            (301, false),
            (302, false),
            (303, false),
            (307, false),
            (308, false),
            (307, true),
        ] {
            api.push(Reply::raw(status, "text/plain", "").header("location", &target));
            let mut builder = client_for(&api);
            if custom_http {
                builder = builder.http_client(own_client.clone());
            }
            let client = builder.build().unwrap();
            let err = token_call(&client)
                .send()
                .await
                .map_err(Error::from)
                .unwrap_err();
            assert_eq!(err.kind(), ErrorKind::Redirect, "{status}: {err}");
            assert_eq!(err.status().map(|s| s.as_u16()), Some(status));
            assert_eq!(err.location(), Some(target.as_str()));
            let shown = err.to_string();
            assert!(
                shown.contains(&format!("HTTP {status}")) && shown.contains(&target),
                "{shown}"
            );
            assert!(!err.is_retryable());
        }
        assert_eq!(api.requests().len(), 6);
        assert!(
            elsewhere.requests().is_empty(),
            "credentials followed a redirect"
        );
    })
    .await;
}

/// Item 2: `Display` is one line with control characters escaped and server text bounded; the whole
/// message stays available from `api_message()`.
#[tokio::test]
async fn hostile_2_display_is_one_bounded_line() {
    bounded(20, async {
        let server = Server::start().await;
        let forged =
            "denied\n2026-01-01 INFO payment ok\r\x1b[31mred\x1b[0m\u{202e}txt.exe\u{2028}x";
        let huge = "A".repeat(900_000);
        server.push(unauthorized(forged)).push(unauthorized(&huge));
        let client = client_for(&server).build().unwrap();

        let err = token_call(&client)
            .send()
            .await
            .map_err(Error::from)
            .unwrap_err();
        assert_eq!(err.api_message(), Some(forged));
        let shown = err.to_string();
        for bad in ['\n', '\r', '\x1b', '\u{202e}', '\u{2028}'] {
            assert!(!shown.contains(bad), "{bad:?} printed raw in {shown:?}");
        }
        assert!(
            shown.contains("denied\\n2026-01-01 INFO payment ok\\r\\u{1b}[31mred"),
            "{shown}"
        );

        let err = token_call(&client)
            .send()
            .await
            .map_err(Error::from)
            .unwrap_err();
        assert_eq!(err.api_message().map(str::len), Some(900_000));
        let shown = err.to_string();
        assert!(shown.len() < 600, "Display is {} bytes", shown.len());
        assert!(shown.contains(&format!("{}…", "A".repeat(200))), "{shown}");
    })
    .await;
}

/// Item 3: a base URL with user name, password, query or fragment is refused, and neither the error
/// nor any `Debug` shows the secret part.
#[test]
fn hostile_3_base_url_userinfo_query_and_fragment_are_refused_unechoed() {
    for url in [
        "http://admin:pw-SECRET@example.com",
        "https://admin:pw-SECRET@api.example.com/verification",
        "https://user-SECRET@api.example.com",
        "http://admin:pw-SECRET@127.0.0.1:9",
        "https://api.example.com/ok?token=pw-SECRET",
        "https://api.example.com/ok?",
        "https://api.example.com/ok#",
        "https://api.example.com/ok#pw-SECRET",
        "http://admin:pw-SECRET@exa mple.com",
    ] {
        let builder = Client::builder()
            .base_url(url)
            .vkyc_credentials(VKYC_ID, VKYC_SECRET);
        let debug = format!("{builder:?}");
        assert!(!debug.contains("SECRET"), "{debug}");
        let err = builder.build().unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Config, "{url}");
        let shown = format!("{err} {err:?}");
        assert!(!shown.contains("SECRET"), "{shown}");
        assert!(shown.contains("base URL"), "{shown}");
    }
    let env = cashfree_verification::Environment::Custom("https://a:pw-SECRET@x.example".into());
    assert!(!format!("{env:?}").contains("SECRET"));
    // What is refused stays refused; what is fine stays fine.
    assert!(
        Client::builder()
            .base_url("https://api.example.com/verification/")
            .build()
            .is_ok()
    );
}

/// Item 4: `CASHFREE_PUBLIC_KEY` as a path reads only a small regular file: devices, FIFOs and big
/// files are refused at once with a clear error.
#[test]
fn hostile_4_public_key_file_is_a_small_regular_file() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("key.fifo");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(made.success());
    let big = dir.path().join("big.pem");
    std::fs::write(&big, vec![b'A'; 50 * 1024 * 1024]).unwrap();
    let cases = [
        ("/dev/zero".to_string(), "not a regular file"),
        (fifo.display().to_string(), "not a regular file"),
        (dir.path().display().to_string(), "not a regular file"),
        (big.display().to_string(), "larger than 16384 bytes"),
        (
            dir.path().join("absent.pem").display().to_string(),
            "No such file",
        ),
    ];
    for (path, why) in cases {
        let started = Instant::now();
        let err =
            ClientBuilder::from_vars(|name| (name == "CASHFREE_PUBLIC_KEY").then(|| path.clone()))
                .build()
                .unwrap_err();
        assert!(
            started.elapsed() < Duration::from_secs(2),
            "{path} took {:?}",
            started.elapsed()
        );
        let shown = err.to_string();
        assert!(
            shown.contains("CASHFREE_PUBLIC_KEY") && shown.contains(why),
            "{path}: {shown}"
        );
    }
    let key = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/test_key_public.pem"
    );
    let ok =
        ClientBuilder::from_vars(|name| (name == "CASHFREE_PUBLIC_KEY").then(|| key.to_string()));
    assert!(ok.build().is_ok());
}

/// Item 6: `x-api-version` must name a real date, from the builder and on a call; the bad call sends
/// nothing.
#[tokio::test]
async fn hostile_6_api_version_is_a_real_date() {
    bounded(10, async {
        for bad in ["2024-02-31", "2023-02-29", "2024-04-31"] {
            let err = Client::builder().api_version(bad).build().unwrap_err();
            assert!(err.to_string().contains(bad), "{err}");
        }
        assert!(Client::builder().api_version("2024-02-29").build().is_ok());

        let server = Server::start().await;
        let client = client_for(&server).build().unwrap();
        let err = token_call(&client)
            .x_api_version("2024-02-31")
            .send()
            .await
            .map_err(Error::from)
            .unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Validation, "{err}");
        assert_eq!(
            err.code().map(|c| c.as_str()),
            Some("x-api-version_value_invalid")
        );
        assert!(server.requests().is_empty());
    })
    .await;
}
