//! The handwritten layer over real HTTP on 127.0.0.1: credentials per scheme, API version, signing,
//! errors, retries, timeouts, validation before I/O, response shapes and secrecy.

use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use cashfree_verification::{Client, Error, ErrorCode, ErrorKind, RetryPolicy, types};
use serde_json::{Value, json};

use crate::common::calls::{
    ONE_CLICK_ID, PRIVATE_KEY, PUBLIC_KEY, VKYC_ID, VKYC_SECRET, call, client_for, closed_port,
    example_args, merged, resolve, session_call, spec_operations, token_call,
};
use crate::common::scripted::{Reply, Server, bounded};

fn token_ok() -> Reply {
    Reply::json(
        200,
        json!({"access_token": "tok-1", "expires_at": "2024-02-02 17:30:00 IST"}),
    )
}

fn session_ok() -> Reply {
    Reply::json(
        200,
        json!({"reference_id": 3123123, "verification_id": "v-1", "expiry": "2024-12-31T23:59:59Z",
               "session_id": "s-1", "user": [{"identifier_type": "MOBILE", "identifier_value": "9988123456"}]}),
    )
}

#[tokio::test]
async fn one_client_serves_both_credential_schemes_with_version_and_user_agent() {
    bounded(10, async {
        let server = Server::start().await;
        server.push(token_ok()).push(session_ok());
        let client = client_for(&server).build().unwrap();
        let token = token_call(&client).send().await.map_err(Error::from).unwrap();
        assert_eq!(token.access_token.as_deref(), Some("tok-1"));
        let expiry = cashfree_verification::parse_expiry(token.expires_at.as_deref().unwrap()).unwrap();
        assert_eq!(expiry.unix_timestamp(), 1_706_875_200);
        let session = session_call(&client, "v-1", "9988123456").send().await.map_err(Error::from).unwrap();
        match &session.user {
            Some(types::InitiateOauthResponseSchemaUser::Many(users)) => {
                assert_eq!(users.len(), 1);
                assert_eq!(users[0].identifier_value, "9988123456");
            }
            other => panic!("user should decode as Many, got {other:?}"),
        }

        let reqs = server.requests();
        assert_eq!(reqs.len(), 2);
        let (token_req, session_req) = (&reqs[0], &reqs[1]);
        assert_eq!((token_req.method.as_str(), token_req.path.as_str()), ("POST", "/oauth/token"));
        assert_eq!(token_req.header("x-client-id"), Some(VKYC_ID));
        // The log redacts secrets; that the right ones were sent is the sandbox's own check below.
        assert_eq!(token_req.header("x-client-secret"), Some("<redacted>"));
        assert_eq!(session_req.path, "/oauth2/session");
        assert_eq!(session_req.header("x-client-id"), Some(ONE_CLICK_ID));
        assert_eq!(session_req.header("x-client-secret"), Some("<redacted>"));
        // Unscripted, the sandbox answers only the pair it was configured with
        // (VKYC_SECRET, ONE_CLICK_SECRET): success proves the right secret went to each scheme.
        token_call(&client).send().await.map_err(Error::from).unwrap();
        session_call(&client, "v-secret-check", "9988123456").send().await.map_err(Error::from).unwrap();
        let wrong = client_for(&server).credentials(VKYC_ID, "not-the-secret").build().unwrap();
        let err = token_call(&wrong).send().await.map_err(Error::from).unwrap_err();
        assert_eq!(err.status().map(|s| s.as_u16()), Some(401));
        for r in &reqs {
            assert_eq!(r.header("x-api-version"), Some("2024-12-01"));
            assert_eq!(r.header("api-version"), None, "progenitor's api-version header must not be sent");
            assert!(r.header("user-agent").unwrap().starts_with("cashfree-verification/0.1.0"));
            assert_eq!(r.header("x-cf-signature"), None, "no key configured, no signature");
        }
        assert_eq!(
            session_req.json(),
            json!({"verification_id": "v-1", "user": {"identifier_type": "MOBILE", "identifier_value": "9988123456"}})
        );
        assert_eq!(token_req.json()["metadata"]["vkyc_request_id"], "249749");
    })
    .await;
}

#[tokio::test]
async fn the_user_object_shape_of_the_schema_decodes_too() {
    bounded(10, async {
        let server = Server::start().await;
        server.push(Reply::json(200, json!({"user": {"identifier_type": "MOBILE", "identifier_value": "9988123456"}})));
        let client = client_for(&server).build().unwrap();
        let session = session_call(&client, "v-1", "9988123456").send().await.map_err(Error::from).unwrap();
        assert!(matches!(&session.user, Some(types::InitiateOauthResponseSchemaUser::InitiateOauthResponseUser(u)) if u.identifier_type == "MOBILE"));
    })
    .await;
}

#[tokio::test]
async fn an_operation_without_its_credentials_fails_before_any_io() {
    bounded(10, async {
        let server = Server::start().await;
        let client = Client::builder()
            .base_url(&server.url)
            .credentials(VKYC_ID, VKYC_SECRET)
            .build()
            .unwrap();
        let err = Error::from(
            session_call(&client, "v-1", "9988123456")
                .send()
                .await
                .unwrap_err(),
        );
        assert_eq!(err.kind(), ErrorKind::MissingCredentials);
        let text = err.to_string();
        assert!(
            text.contains("vrs_user_vault_oauth_initiation (POST /oauth2/session)"),
            "{text}"
        );
        assert!(text.contains("UVXClientID + UVXClientSecret"), "{text}");
        assert!(
            text.contains("one_click_credentials") && text.contains("CASHFREE_ONE_CLICK_CLIENT_ID"),
            "{text}"
        );
        assert!(server.requests().is_empty());
    })
    .await;
}

#[tokio::test]
async fn api_version_defaults_to_the_spec_and_can_be_overridden_per_client_and_per_call() {
    bounded(10, async {
        let server = Server::start().await;
        server.push(token_ok()).push(token_ok()).push(token_ok());
        let default = client_for(&server).build().unwrap();
        let pinned = client_for(&server)
            .api_version("2025-01-01")
            .build()
            .unwrap();
        token_call(&default).send().await.unwrap();
        token_call(&pinned).send().await.unwrap();
        token_call(&pinned)
            .x_api_version("2023-08-01")
            .send()
            .await
            .unwrap();
        let versions: Vec<_> = server
            .requests()
            .iter()
            .map(|r| r.header("x-api-version").unwrap().to_string())
            .collect();
        assert_eq!(versions, ["2024-12-01", "2025-01-01", "2023-08-01"]);
    })
    .await;
}

fn decrypt_signature(signature: &str) -> String {
    use base64::Engine as _;
    use rsa::pkcs8::DecodePrivateKey as _;
    let key = rsa::RsaPrivateKey::from_pkcs8_pem(PRIVATE_KEY).unwrap();
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(signature)
        .unwrap();
    String::from_utf8(key.decrypt(rsa::Oaep::new::<sha1::Sha1>(), &bytes).unwrap()).unwrap()
}

#[tokio::test]
async fn requests_are_signed_with_the_operations_client_id_and_an_explicit_signature_wins() {
    bounded(15, async {
        let server = Server::start().await;
        server.push(token_ok()).push(session_ok()).push(token_ok());
        let client = client_for(&server)
            .public_key_pem(PUBLIC_KEY)
            .build()
            .unwrap();
        token_call(&client).send().await.unwrap();
        session_call(&client, "v-2", "9988123456")
            .send()
            .await
            .unwrap();
        token_call(&client)
            .x_cf_signature("explicit-signature")
            .send()
            .await
            .unwrap();
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap()
            .as_secs();
        let reqs = server.requests();
        for (req, id) in [(&reqs[0], VKYC_ID), (&reqs[1], ONE_CLICK_ID)] {
            let plain = decrypt_signature(req.header("x-cf-signature").expect("signed"));
            let (client_id, ts) = plain.rsplit_once('.').unwrap();
            assert_eq!(client_id, id);
            let ts: u64 = ts.parse().unwrap();
            assert!(now.abs_diff(ts) <= 5, "timestamp {ts} is not now ({now})");
        }
        assert_eq!(reqs[2].header("x-cf-signature"), Some("explicit-signature"));
    })
    .await;
}

// Calls every product's operations: compiled with feature `all-products` (as CI runs the tests).
#[cfg(feature = "all-products")]
#[tokio::test]
async fn every_documented_error_example_decodes_into_its_status_and_code() {
    bounded(60, async {
        let merged = merged();
        let server = Server::start().await;
        let client = client_for(&server).build().unwrap();
        let mut checked = 0;
        let mut operations = 0;
        for op in spec_operations(&merged) {
            let args = example_args(&merged, &op);
            let mut examples_of_op = 0;
            for (status, response) in op.op["responses"].as_object().unwrap() {
                if status.starts_with('2') {
                    continue;
                }
                let response = resolve(&merged, response);
                let Some(media) = response["content"].get("application/json") else {
                    continue;
                };
                let mut examples: Vec<(String, Value)> = media["examples"]
                    .as_object()
                    .into_iter()
                    .flatten()
                    .map(|(name, e)| (name.clone(), resolve(&merged, e)["value"].clone()))
                    .collect();
                if let Some(e) = media.get("example") {
                    examples.push(("example".into(), e.clone()));
                }
                for (name, body) in examples {
                    // Cashfree's error examples: a few carry no code, or wrap it in a stray `value`.
                    let body = body.get("value").cloned().unwrap_or(body);
                    let Some(code) = body["code"].as_str() else {
                        continue;
                    };
                    let status_code: u16 = status.parse().unwrap();
                    server.push(
                        Reply::json(status_code, body.clone()).header("x-request-id", "req-42"),
                    );
                    let what = format!("{} {} {status} {name:?}", op.method, op.path);
                    let err = client.call_json(&op.operation_id, &args).await.unwrap_err();
                    assert_eq!(err.kind(), ErrorKind::Api, "{what}: {err}");
                    assert_eq!(
                        err.status().map(|s| s.as_u16()),
                        Some(status_code),
                        "{what}"
                    );
                    assert_eq!(err.code(), Some(&ErrorCode::from_code(code)), "{what}");
                    assert!(
                        !matches!(err.code(), Some(ErrorCode::Other(_))),
                        "{what}: {code} should have a variant"
                    );
                    assert_eq!(err.error_type(), body["type"].as_str(), "{what}");
                    assert_eq!(err.api_message(), body["message"].as_str(), "{what}");
                    assert_eq!(err.request_id(), Some("req-42"), "{what}");
                    checked += 1;
                    examples_of_op += 1;
                }
            }
            if examples_of_op > 0 {
                operations += 1;
            }
        }
        assert_eq!(
            operations,
            spec_operations(&merged).len(),
            "every operation documents an error"
        );
        assert!(checked >= 300, "only {checked} examples checked");
        assert_eq!(
            server.requests().len(),
            checked,
            "documented errors are not retried by RetryPolicy::none()"
        );
    })
    .await;
}

#[tokio::test]
async fn undecodable_error_bodies_keep_their_status_and_a_bounded_snippet() {
    bounded(20, async {
        let server = Server::start().await;
        let client = client_for(&server).build().unwrap();

        server.push(
            Reply::raw(
                502,
                "text/html",
                "<html><body><h1>502 Bad Gateway</h1></body></html>",
            )
            .header("x-request-id", "gw-1"),
        );
        let err = call(&client, "/oauth/token").await.unwrap_err();
        assert_eq!(
            (err.kind(), err.status().map(|s| s.as_u16())),
            (ErrorKind::Decode, Some(502))
        );
        assert!(
            err.body_snippet().unwrap().contains("502 Bad Gateway"),
            "{err:?}"
        );
        // A gateway error after sending may follow a request Cashfree processed (issue 20, row 3):
        // not safe for every request, as RetryPolicy documents.
        assert!(!err.is_retryable());
        assert_eq!(
            err.retry_action(),
            cashfree_verification::retry::RetryAction::RetryIfRepeatable
        );
        assert_eq!(err.request_id(), Some("gw-1"));
        assert!(
            err.to_string()
                .starts_with("undecodable response HTTP 502 (body is not JSON)"),
            "{err}"
        );

        server.push(Reply::raw(
            400,
            "application/json",
            r#"{"type":"validation_error","code":"verificat"#,
        ));
        let err = call(&client, "/oauth2/session").await.unwrap_err();
        assert_eq!(
            (err.kind(), err.status().map(|s| s.as_u16())),
            (ErrorKind::Decode, Some(400))
        );
        assert!(
            err.body_snippet().unwrap().contains(r#""code":"verificat"#),
            "{err:?}"
        );
        assert!(!err.is_retryable());

        let huge = vec![b'x'; 10 * 1024 * 1024];
        server.push(Reply::raw(500, "application/json", huge.clone()));
        let started = Instant::now();
        let err = call(&client, "/oauth/token").await.unwrap_err();
        assert_eq!(
            (err.kind(), err.status().map(|s| s.as_u16())),
            (ErrorKind::Decode, Some(500))
        );
        assert!(err.to_string().contains("cut"), "{err}");
        assert!(
            err.body_snippet().unwrap().len() <= cashfree_verification::error::SNIPPET_BYTES + 3
        );
        assert!(started.elapsed() < Duration::from_secs(5));

        server.push(Reply::raw(200, "application/json", huge));
        let err = call(&client, "/oauth/token").await.unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Decode, "{err}");
        assert!(err.body_snippet().unwrap().starts_with("xxxx"));
        assert!(
            err.to_string().len() < 400,
            "Display stays a log line: {err}"
        );
    })
    .await;
}

#[tokio::test]
async fn a_429_with_retry_after_is_retried_and_then_succeeds() {
    bounded(15, async {
        let server = Server::start().await;
        server.push(
            Reply::json(429, json!({"type": "rate_limit_error", "code": "too_many_requests_per_ip", "message": "slow down"}))
                .header("retry-after", "1"),
        );
        server.push(token_ok());
        let client = client_for(&server).retry_policy(RetryPolicy::default()).public_key_pem(PUBLIC_KEY).build().unwrap();
        let token = token_call(&client).send().await.map_err(Error::from).unwrap();
        assert_eq!(token.access_token.as_deref(), Some("tok-1"));
        let reqs = server.requests();
        assert_eq!(reqs.len(), 2);
        let gap = reqs[1].at - reqs[0].at;
        assert!(gap >= Duration::from_millis(950), "retried after {gap:?}, before Retry-After");
        // Each attempt is signed afresh: the second signature decrypts to a later or equal second.
        let ts = |i: usize| -> u64 { decrypt_signature(reqs[i].header("x-cf-signature").unwrap()).rsplit_once('.').unwrap().1.parse().unwrap() };
        assert!(ts(1) > ts(0), "a retry after 1 s carries a new timestamp");
    })
    .await;
}

#[tokio::test]
async fn a_500_is_not_retried_and_a_429_beyond_the_policy_reports_retry_after() {
    bounded(15, async {
        let server = Server::start().await;
        let client = client_for(&server).retry_policy(RetryPolicy::default()).build().unwrap();
        server.push(Reply::json(500, json!({"type": "internal_error", "code": "verification_failed", "message": "something went wrong"})));
        let err = call(&client, "/oauth2/session").await.unwrap_err();
        assert_eq!(err.code(), Some(&ErrorCode::VerificationFailed));
        assert!(!err.is_retryable());
        assert_eq!(server.requests().len(), 1);

        server.push(Reply::json(429, json!({"type": "rate_limit_error", "code": "too_many_requests_per_operation", "message": "x"})).header("retry-after", "120"));
        let err = call(&client, "/oauth2/session").await.unwrap_err();
        assert_eq!(err.code(), Some(&ErrorCode::TooManyRequestsPerOperation));
        assert_eq!(err.retry_after(), Some(Duration::from_secs(120)));
        assert!(err.is_retryable());
        assert_eq!(server.requests().len(), 2, "a Retry-After beyond max_delay is not retried early");
    })
    .await;
}

#[tokio::test]
async fn a_slow_server_times_out_once_and_a_closed_port_is_a_connect_error() {
    bounded(15, async {
        let server = Server::start().await;
        server.push(Reply::Delay(Duration::from_secs(5)));
        let client = client_for(&server)
            .retry_policy(RetryPolicy::default())
            .timeout(Duration::from_millis(300))
            .build()
            .unwrap();
        let started = Instant::now();
        let err = call(&client, "/oauth/token").await.unwrap_err();
        assert!(err.is_timeout(), "{err:?}");
        assert!(started.elapsed() < Duration::from_secs(3));
        assert_eq!(
            server.requests().len(),
            1,
            "a timeout after sending is not retried"
        );

        server.push(Reply::Close);
        let err = call(&client, "/oauth/token").await.unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Transport, "{err:?}");
        assert_eq!(
            server.requests().len(),
            2,
            "a connection dropped after sending is not retried"
        );

        let port = closed_port();
        let client = Client::builder()
            .base_url(format!("http://127.0.0.1:{port}"))
            .credentials(VKYC_ID, VKYC_SECRET)
            .retry_policy(RetryPolicy::default().initial_delay(Duration::from_millis(10)))
            .build()
            .unwrap();
        let err = call(&client, "/oauth/token").await.unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Connect, "{err:?}");
        assert!(err.is_retryable() && err.status().is_none());
        assert!(
            err.to_string()
                .starts_with("vrs-generate-auth-token: could not connect to Cashfree after "),
            "{err}"
        );
        // The host and the root cause, four sources down in reqwest, are named on the one line.
        let shown = err.to_string();
        assert!(
            shown.contains(&format!("(127.0.0.1:{port})"))
                && shown.to_ascii_lowercase().contains("connection refused")
                && !shown.contains('\n'),
            "{shown}"
        );
    })
    .await;
}

/// How the error's `Display` shows an elapsed time (`src/error/display.rs`, unit-tested there).
fn shown_elapsed(elapsed: Duration) -> String {
    let ms = elapsed.as_millis();
    match ms {
        0..=999 => format!("{ms} ms"),
        1_000..=9_999 => format!("{}.{} s", ms / 1000, ms % 1000 / 100),
        _ => format!("{} s", ms / 1000),
    }
}

/// Issue 19: a call that got no answer says, on one line, which operation it was, how long it took
/// (measured by the call path, every attempt included), the host and the root cause, and no secret.
#[tokio::test]
async fn a_call_without_an_answer_names_its_operation_elapsed_time_host_and_cause() {
    bounded(15, async {
        // Refused: every attempt (three, 10 ms apart at first) fails to connect.
        let port = closed_port();
        let client = Client::builder()
            .base_url(format!("http://127.0.0.1:{port}"))
            .credentials(VKYC_ID, VKYC_SECRET)
            .retry_policy(RetryPolicy::default().initial_delay(Duration::from_millis(10)))
            .build()
            .unwrap();
        let started = Instant::now();
        let err = call(&client, "/oauth/token").await.unwrap_err();
        let outside = started.elapsed();
        assert_eq!(err.kind(), ErrorKind::Connect, "{err:?}");
        assert_eq!(err.operation(), Some("vrs-generate-auth-token"));
        let elapsed = err.elapsed().expect("measured");
        assert!(
            elapsed >= Duration::from_millis(10) && elapsed <= outside,
            "{elapsed:?} of {outside:?}"
        );
        assert_eq!(
            err.to_string(),
            format!(
                "vrs-generate-auth-token: could not connect to Cashfree after {} (127.0.0.1:{port}): error sending request: Connection refused (os error 111)",
                shown_elapsed(elapsed)
            )
        );

        // Timed out: the server answers after 5 s, the client waits 300 ms, once.
        let server = Server::start().await;
        server.push(Reply::Delay(Duration::from_secs(5)));
        let client = client_for(&server)
            .timeout(Duration::from_millis(300))
            .build()
            .unwrap();
        let started = Instant::now();
        let err = call(&client, "/oauth/token").await.unwrap_err();
        let outside = started.elapsed();
        assert_eq!(err.kind(), ErrorKind::Timeout, "{err:?}");
        let elapsed = err.elapsed().expect("measured");
        assert!(
            elapsed >= Duration::from_millis(300) && elapsed <= outside,
            "{elapsed:?} of {outside:?}"
        );
        let host = server.url.trim_start_matches("http://");
        assert_eq!(
            err.to_string(),
            format!(
                "vrs-generate-auth-token: request timed out after {} ({host}): error sending request: operation timed out",
                shown_elapsed(elapsed)
            )
        );
        for secret in [VKYC_ID, VKYC_SECRET] {
            assert!(!err.to_string().contains(secret) && !format!("{err:?}").contains(secret));
        }
    })
    .await;
}

#[tokio::test]
async fn documented_constraints_fail_before_any_io_with_cashfree_codes() {
    bounded(10, async {
        let server = Server::start().await;
        let client = client_for(&server).build().unwrap();
        let long = "a".repeat(51);
        for (id, mobile, code, field) in [
            (
                long.as_str(),
                "9988123456",
                ErrorCode::VerificationIdLengthExceeded,
                "verification_id",
            ),
            (
                "has space",
                "9988123456",
                ErrorCode::VerificationIdValueInvalid,
                "verification_id",
            ),
            (
                "",
                "9988123456",
                ErrorCode::VerificationIdValueInvalid,
                "verification_id",
            ),
            (
                "ok-id_1.2",
                "12345",
                ErrorCode::IdentifierValueValueInvalid,
                "identifier_value",
            ),
            (
                "ok-id",
                "+919988123456",
                ErrorCode::IdentifierValueValueInvalid,
                "identifier_value",
            ),
        ] {
            let err = Error::from(session_call(&client, id, mobile).send().await.unwrap_err());
            assert_eq!(
                err.kind(),
                ErrorKind::Validation,
                "{id:?} {mobile:?}: {err}"
            );
            assert_eq!(err.code(), Some(&code), "{id:?} {mobile:?}: {err}");
            assert_eq!(err.field(), Some(field));
        }
        let fifty = "a".repeat(50);
        server.push(session_ok());
        session_call(&client, &fifty, "9988123456")
            .send()
            .await
            .expect("50 characters are allowed");

        let missing = client
            .vrs_user_vault_oauth_initiation()
            .body(
                types::InitiateOauthRequestSchema::builder().user(
                    types::InitiateOauthRequestSchemaUser::builder()
                        .identifier_type(
                            types::InitiateOauthRequestSchemaUserIdentifierType::Mobile,
                        )
                        .identifier_value("9988123456"),
                ),
            )
            .send()
            .await
            .unwrap_err();
        let err = Error::from(missing);
        assert_eq!(err.code(), Some(&ErrorCode::VerificationIdMissing), "{err}");
        let no_phone = Error::from(
            client
                .vrs_user_vault_oauth_initiation()
                .body(
                    types::InitiateOauthRequestSchema::builder()
                        .verification_id("v")
                        .user(
                            types::InitiateOauthRequestSchemaUser::builder().identifier_type(
                                types::InitiateOauthRequestSchemaUserIdentifierType::Mobile,
                            ),
                        ),
                )
                .send()
                .await
                .unwrap_err(),
        );
        assert_eq!(
            no_phone.code(),
            Some(&ErrorCode::IdentifierValueMissing),
            "no default phone number is sent: {no_phone}"
        );
        assert_eq!(
            server.requests().len(),
            1,
            "only the valid request was sent"
        );
    })
    .await;
}

#[tokio::test]
async fn clones_share_one_client_across_tasks() {
    bounded(15, async {
        let server = Server::start().await;
        for _ in 0..8 {
            server.push(token_ok());
        }
        let client = client_for(&server).build().unwrap();
        let tasks: Vec<_> = (0..8)
            .map(|_| {
                let c = client.clone();
                tokio::spawn(async move {
                    token_call(&c)
                        .send()
                        .await
                        .map_err(Error::from)
                        .map(|t| t.access_token.clone())
                })
            })
            .collect();
        for t in tasks {
            assert_eq!(t.await.unwrap().unwrap().as_deref(), Some("tok-1"));
        }
        assert_eq!(server.requests().len(), 8);
    })
    .await;
}

/// A connect timeout (reqwest says both `is_connect` and `is_timeout`) never reached the server: the
/// one retry classification retries it as a connect failure, and the error reports it as one
/// (kind `Connect`, retryable), where before it was retried as one and reported as a timeout.
#[tokio::test]
async fn a_connect_timeout_is_retried_and_reported_as_a_connect_failure() {
    bounded(20, async {
        // A listener that never accepts, its queue full: the kernel drops further SYNs, so a
        // connect hangs until the client's connect timeout.
        let socket = tokio::net::TcpSocket::new_v4().unwrap();
        socket.bind("127.0.0.1:0".parse().unwrap()).unwrap();
        let listener = socket.listen(1).unwrap();
        let addr = listener.local_addr().unwrap();
        let mut held = Vec::new();
        for _ in 0..8 {
            match tokio::time::timeout(
                Duration::from_millis(200),
                tokio::net::TcpStream::connect(addr),
            )
            .await
            {
                Ok(Ok(stream)) => held.push(stream),
                _ => break,
            }
        }
        let connect_timeout = Duration::from_millis(200);
        let client = Client::builder()
            .base_url(format!("http://{addr}"))
            .credentials(VKYC_ID, VKYC_SECRET)
            .connect_timeout(connect_timeout)
            .retry_policy(
                RetryPolicy::default()
                    .max_attempts(3)
                    .initial_delay(Duration::from_millis(10))
                    .jitter(false),
            )
            .build()
            .unwrap();
        let started = Instant::now();
        let err = call(&client, "/oauth/token").await.unwrap_err();
        let source = std::error::Error::source(&err).map(|s| s.to_string());
        assert_eq!(err.kind(), ErrorKind::Connect, "{err} {source:?}");
        assert!(err.is_retryable(), "{err}");
        assert_eq!(
            err.retry_action(),
            cashfree_verification::retry::RetryAction::Retry
        );
        assert!(
            started.elapsed() >= connect_timeout * 3,
            "three attempts, each until its connect timeout: {:?}",
            started.elapsed()
        );
        drop(held);
        drop(listener);
    })
    .await;
}
