//! No secret in any `Debug`, `Display` or log line, and the span every call runs in.

mod common;

use std::io::Write;
use std::sync::{Arc, Mutex, OnceLock};

use cashfree_verification::{Client, Error, RetryPolicy};
use serde_json::json;

use common::calls::{
    ONE_CLICK_ID, ONE_CLICK_SECRET, PUBLIC_KEY, VKYC_SECRET, client_for, session_call, token_call,
};
use common::scripted::{Reply, Server, bounded};

#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Every log line of this test binary, from a global subscriber installed once. This test has a binary
/// of its own: tracing caches per callsite whether anyone listens, so a subscriber installed while
/// other tests run in the same process misses events and spans at random.
fn captured_log() -> &'static Captured {
    static CAPTURED: OnceLock<Captured> = OnceLock::new();
    CAPTURED.get_or_init(|| {
        let captured = Captured::default();
        let writer = captured.clone();
        let subscriber = tracing_subscriber::fmt()
            .with_max_level(tracing::Level::TRACE)
            .with_ansi(false)
            .with_writer(move || writer.clone())
            .finish();
        tracing::subscriber::set_global_default(subscriber)
            .expect("only this test installs a subscriber");
        captured
    })
}

#[tokio::test]
async fn spans_carry_operation_status_attempts_duration_and_request_id_but_no_secret() {
    let captured = captured_log();
    let mut texts = Vec::new();
    bounded(10, async {
        let server = Server::start().await;
        server.push(Reply::json(200, json!({"access_token": "t"})).header("x-request-id", "secrecy-req-7"));
        server.push(Reply::json(401, json!({"type": "authentication_error", "code": "authentication_failed", "message": "Invalid clientId and clientSecret combination"})).header("x-request-id", "secrecy-req-8"));
        let builder = client_for(&server).public_key_pem(PUBLIC_KEY);
        texts.push(format!("{builder:?}"));
        let client = builder.build().unwrap();
        texts.push(format!("{client:?}"));
        texts.push(format!("{:?}", progenitor_client::ClientInfo::inner(&client)));
        token_call(&client).send().await.unwrap();
        let err = Error::from(session_call(&client, "v-1", "9988123456").send().await.unwrap_err());
        texts.push(format!("{err}"));
        texts.push(format!("{err:?}"));
        let missing = Client::builder().base_url(&server.url).retry_policy(RetryPolicy::none()).build().unwrap();
        let err = Error::from(token_call(&missing).send().await.unwrap_err());
        texts.push(format!("{err} {err:?}"));
    })
    .await;

    let log = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    let finished: Vec<&str> = log
        .lines()
        .filter(|l| l.contains("cashfree request finished"))
        .collect();
    assert_eq!(finished.len(), 2, "{log}");
    for field in [
        "cashfree.request{operation=\"vrs_generate_auth_token\" operation_id=\"vrs-generate-auth-token\" method=POST",
        "status=200",
        "attempts=1",
        "duration_ms=",
        "request_id=\"secrecy-req-7\"",
    ] {
        assert!(
            finished[0].contains(field),
            "{field} missing in {}",
            finished[0]
        );
    }
    assert!(
        finished[1].contains("operation=\"vrs_user_vault_oauth_initiation\"")
            && finished[1].contains("status=401"),
        "{log}"
    );
    texts.push(log);
    for text in &texts {
        for secret in [VKYC_SECRET, ONE_CLICK_SECRET] {
            assert!(!text.contains(secret), "secret leaked into: {text}");
        }
    }
    // The ids are not secret, but the Debug of the configuration lists scheme names, not values.
    assert!(!texts[1].contains(ONE_CLICK_ID), "{}", texts[1]);
}

#[tokio::test]
async fn a_prepared_request_marks_credentials_sensitive_in_debug() {
    use progenitor_client::{ClientHooks, OperationInfo};
    let client = Client::builder()
        .credentials("id-1", VKYC_SECRET)
        .build()
        .unwrap();
    let mut request = reqwest::Request::new(
        reqwest::Method::POST,
        "https://example.invalid/oauth/token".parse().unwrap(),
    );
    let info = OperationInfo {
        operation_id: "vrs_generate_auth_token",
    };
    ClientHooks::pre::<()>(&client, &mut request, &info)
        .await
        .map_err(|e| e.to_string())
        .unwrap();
    assert_eq!(
        request.headers()["x-client-secret"].to_str().unwrap(),
        VKYC_SECRET
    );
    let debug = format!("{request:?} {:?}", request.headers());
    assert!(!debug.contains(VKYC_SECRET), "{debug}");
    assert!(debug.contains("Sensitive"), "{debug}");
}
