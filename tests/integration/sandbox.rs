//! The sandbox: every operation × every documented status through the real client, the stateful and
//! security behaviours, every injected fault, and arbitrary bodies in both directions.

use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use cashfree_verification::{
    Error, ErrorCode, ErrorKind, RetryPolicy, parse_expiry, signing::Signer,
};
use cashfree_verification_sandbox::{
    DEFAULT_CREDENTIALS, DEFAULT_ONE_CLICK_CREDENTIALS, Fault, MAX_LOGGED_BODY_BYTES,
    MAX_LOGGED_REQUESTS, Sandbox,
};
use proptest::prelude::*;
use serde_json::{Value, json};

use crate::common::calls::{
    PRIVATE_KEY, PUBLIC_KEY, call, example_args, merged, sandbox_and_client, session_call,
    spec_operations, token_call,
};
use crate::common::scripted::bounded;

fn now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

// Calls every product's operations: compiled with feature `all-products` (as CI runs the tests).
#[cfg(feature = "all-products")]
#[tokio::test]
async fn every_operation_answers_every_documented_status_through_the_client() {
    bounded(60, async {
        let (sandbox, client) = sandbox_and_client().await;
        let doc = merged();
        let mut ops = spec_operations(&doc);
        // Creates before the status calls that look their ids up.
        ops.sort_by_key(|op| op.method == "GET" || op.method == "DELETE");
        // Ids the sandbox issued, the session a user consents to, the token consent leads to.
        let mut issued: Vec<(String, String)> = Vec::new();
        let mut session: Option<String> = None;
        let mut token: Option<String> = None;
        // 1-Click in its order: session, then the token for the user's consent, then user details.
        ops.sort_by_key(|op| match op.path.as_str() {
            "/oauth2/session" => 0,
            "/oauth2/generate-token" => 1,
            "/oauth2/user-details" => 2,
            _ => 0,
        });
        let mut checked = 0;
        for op in &ops {
            let what = format!("{} {}", op.method, op.path);
            let mut args = example_args(&doc, op);
            if op.method == "GET" {
                use_issued_ids(&mut args, &issued);
            }
            if let Some(body) = args.get_mut("body").and_then(Value::as_object_mut)
                && body.contains_key("auth_code")
            {
                let verification_id = session
                    .clone()
                    .expect("a 1-Click session was initiated first");
                body.insert(
                    "auth_code".into(),
                    json!(sandbox.consent(&verification_id).unwrap()),
                );
            }
            if args.contains_key("authorization") {
                args.insert(
                    "authorization".into(),
                    json!(token.clone().expect("a token was generated first")),
                );
            }
            let statuses: Vec<u16> = op.op["responses"]
                .as_object()
                .unwrap()
                .keys()
                .map(|s| s.parse().unwrap())
                .collect();
            for status in statuses {
                if (200..300).contains(&status) {
                    let out = client
                        .call_json(&op.operation_id, &args)
                        .await
                        .unwrap_or_else(|e| {
                            panic!(
                                "{what} {status}: {e} {:?}",
                                std::error::Error::source(&e).map(|s| s.to_string())
                            )
                        });
                    remember_ids(&mut issued, &out, args.get("body"));
                    if out.get("session_id").is_some() {
                        session = out["verification_id"].as_str().map(String::from);
                    }
                    if let Some(t) = out.get("access_token").and_then(Value::as_str) {
                        token = Some(t.to_string());
                    }
                } else {
                    sandbox.inject(Fault::Documented(status), 1);
                    let err = client.call_json(&op.operation_id, &args).await.unwrap_err();
                    assert_eq!(err.kind(), ErrorKind::Api, "{what} {status}: {err}");
                    assert_eq!(err.status().map(|s| s.as_u16()), Some(status), "{what}");
                    assert!(
                        !matches!(err.code(), None | Some(ErrorCode::Other(_))),
                        "{what} {status}: {err}"
                    );
                }
                checked += 1;
            }
        }
        assert_eq!(ops.len(), 66, "the VKYC token and Cashfree's 65 operations");
        assert!(checked > 400, "{checked}");
        assert!(
            sandbox.conformance_failures().is_empty(),
            "{:#?}",
            sandbox.conformance_failures()
        );
        for r in sandbox.requests() {
            assert_eq!(
                r.violation, None,
                "the client sent a request the spec does not allow: {} {}",
                r.method, r.target
            );
        }
    })
    .await;
}

// Used by the tests that call every operation (feature `all-products`).
#[cfg(feature = "all-products")]
/// An id's name as the sandbox compares it: `verificationId`, `verification_id` are one.
fn id_name(name: &str) -> String {
    name.chars()
        .filter(|c| *c != '_' && *c != '-')
        .flat_map(char::to_lowercase)
        .collect()
}

// Used by the tests that call every operation (feature `all-products`).
#[cfg(feature = "all-products")]
/// The ids (fields whose name ends in `id`) an answer carries and the create's body sent, newest
/// first: (normalised name, text).
fn remember_ids(issued: &mut Vec<(String, String)>, out: &Value, body: Option<&Value>) {
    for source in [Some(out), body].into_iter().flatten() {
        for (k, v) in source.as_object().into_iter().flatten() {
            let text = match v {
                Value::String(s) if !s.is_empty() => s.clone(),
                // The client may read an integer id into an f64 (`8640027288.0`).
                Value::Number(n) => match n.as_f64() {
                    Some(f) if f.fract() == 0.0 && !n.is_i64() && !n.is_u64() => {
                        format!("{}", f as i64)
                    }
                    _ => n.to_string(),
                },
                _ => continue,
            };
            if id_name(k).ends_with("id") {
                issued.insert(0, (id_name(k), text));
            }
        }
    }
}

// Used by the tests that call every operation (feature `all-products`).
#[cfg(feature = "all-products")]
/// A status call's id arguments replaced by ids the sandbox issued, in the argument's JSON type.
fn use_issued_ids(args: &mut serde_json::Map<String, Value>, issued: &[(String, String)]) {
    for (name, value) in args.iter_mut() {
        if !id_name(name).ends_with("id") {
            continue;
        }
        let Some((_, id)) = issued
            .iter()
            .find(|(k, v)| *k == id_name(name) && (value.is_string() || v.parse::<i64>().is_ok()))
        else {
            continue;
        };
        *value = if value.is_string() {
            json!(id)
        } else {
            json!(id.parse::<i64>().unwrap())
        };
    }
}

#[tokio::test]
async fn success_bodies_are_fresh_echo_the_request_and_expire_in_an_hour() {
    bounded(15, async {
        let sandbox = Sandbox::start().await.unwrap();
        let client = sandbox.client_builder().build().unwrap();
        let a = session_call(&client, "order-1", "9000000001")
            .send()
            .await
            .unwrap();
        let b = session_call(&client, "order-2", "9000000002")
            .send()
            .await
            .unwrap();
        assert_eq!(a.verification_id.as_deref(), Some("order-1"));
        assert_ne!(a.session_id, b.session_id);
        assert_ne!(a.reference_id, b.reference_id);
        // Cashfree's documented answer, verbatim: the array shape real Cashfree returns, with the
        // documented user (the sandbox no longer rewrites an example's values to the request's;
        // only ids, tokens and expiries are its own).
        match &a.user {
            Some(cashfree_verification::types::InitiateOauthResponseSchemaUser::Many(users)) => {
                assert_eq!(users[0].identifier_value, "9988123456");
            }
            other => panic!("{other:?}"),
        }
        let expiry = parse_expiry(a.expiry.as_deref().unwrap())
            .unwrap()
            .unix_timestamp();
        assert!((expiry - (now() + 3600)).abs() <= 5, "{expiry}");
        let token = token_call(&client).send().await.unwrap();
        let expires = parse_expiry(token.expires_at.as_deref().unwrap())
            .unwrap()
            .unix_timestamp();
        assert!(
            (expires - (now() + 3600)).abs() <= 5,
            "IST format, one hour ahead: {:?}",
            token.expires_at
        );
        assert!(token.access_token.as_deref().unwrap().starts_with("sbx_"));
        let sent = &sandbox.requests()[0];
        assert_eq!(
            sent.operation_id.as_deref(),
            Some("VrsUserVaultOauthInitiation")
        );
        assert_eq!(sent.header("x-client-id"), Some("sandbox-1click-client-id"));
        assert_eq!(sent.header("x-client-secret"), Some("<redacted>"));
        assert_eq!(sent.json().unwrap()["verification_id"], "order-1");
        assert!(sandbox.conformance_failures().is_empty());
    })
    .await;
}

#[tokio::test]
async fn credentials_api_version_duplicates_balance_and_rate_limits_behave_as_documented() {
    bounded(20, async {
        let sandbox = Sandbox::builder()
            .balance(2)
            .rate_limit_per_operation(3, Duration::from_secs(60))
            .start()
            .await
            .unwrap();
        let client = sandbox
            .client_builder()
            .retry_policy(RetryPolicy::none())
            .build()
            .unwrap();

        let wrong = cashfree_verification::Client::builder()
            .base_url(sandbox.base_url())
            .credentials(DEFAULT_CREDENTIALS.0, "wrong-secret")
            .build()
            .unwrap();
        let err = Error::from(token_call(&wrong).send().await.unwrap_err());
        assert_eq!(
            (err.status().map(|s| s.as_u16()), err.code()),
            (Some(401), Some(&ErrorCode::AuthenticationFailed))
        );

        let err = Error::from(
            token_call(&client)
                .x_api_version("yesterday")
                .send()
                .await
                .unwrap_err(),
        );
        // The client refuses it before any I/O (the sandbox's own 400 is checked over raw HTTP).
        assert_eq!((err.kind(), err.status()), (ErrorKind::Validation, None));
        assert_eq!(
            err.code(),
            Some(&ErrorCode::Other("x-api-version_value_invalid".into()))
        );

        session_call(&client, "dup-1", "9000000001")
            .send()
            .await
            .unwrap();
        let err = Error::from(
            session_call(&client, "dup-1", "9000000001")
                .send()
                .await
                .unwrap_err(),
        );
        assert_eq!(
            (err.status().map(|s| s.as_u16()), err.code()),
            (Some(409), Some(&ErrorCode::VerificationIdAlreadyExists))
        );

        session_call(&client, "dup-2", "9000000001")
            .send()
            .await
            .unwrap();
        // Balance 2 is spent; the rate limit (3 per operation) is reached too, and it answers first.
        let err = Error::from(
            session_call(&client, "dup-3", "9000000001")
                .send()
                .await
                .unwrap_err(),
        );
        assert_eq!(
            (err.status().map(|s| s.as_u16()), err.code()),
            (Some(429), Some(&ErrorCode::TooManyRequestsPerOperation))
        );
        let wait = err.retry_after().unwrap();
        assert!(
            wait > Duration::ZERO && wait <= Duration::from_secs(60),
            "{wait:?}"
        );

        let broke = Sandbox::builder().balance(0).start().await.unwrap();
        let client = broke.client_builder().build().unwrap();
        let err = Error::from(
            session_call(&client, "b-1", "9000000001")
                .send()
                .await
                .unwrap_err(),
        );
        assert_eq!(
            (err.status().map(|s| s.as_u16()), err.code()),
            (Some(422), Some(&ErrorCode::InsufficientBalance))
        );
        token_call(&client)
            .send()
            .await
            .expect("the token operation does not document a balance");
    })
    .await;
}

#[tokio::test]
async fn a_short_per_ip_window_is_retried_by_the_client_after_retry_after() {
    bounded(15, async {
        let sandbox = Sandbox::builder()
            .rate_limit_per_ip(1, Duration::from_secs(1))
            .start()
            .await
            .unwrap();
        let client = sandbox.client_builder().build().unwrap();
        token_call(&client).send().await.unwrap();
        token_call(&client)
            .send()
            .await
            .expect("429 with Retry-After: 1, then a retry that succeeds");
        let statuses: Vec<u16> = sandbox.requests().iter().map(|r| r.status).collect();
        assert_eq!(statuses, [200, 429, 200]);
    })
    .await;
}

#[tokio::test]
async fn signatures_are_verified_for_client_id_and_age() {
    bounded(20, async {
        let sandbox = Sandbox::builder()
            .signature_private_key_pem(PRIVATE_KEY)
            .start()
            .await
            .unwrap();
        let signed = sandbox
            .client_builder()
            .public_key_pem(PUBLIC_KEY)
            .build()
            .unwrap();
        token_call(&signed).send().await.unwrap();
        session_call(&signed, "s-1", "9000000001")
            .send()
            .await
            .unwrap();

        let unsigned = sandbox.client_builder().build().unwrap();
        let err = Error::from(token_call(&unsigned).send().await.unwrap_err());
        assert_eq!(
            (err.status().map(|s| s.as_u16()), err.code()),
            (Some(403), Some(&ErrorCode::AuthenticationFailed))
        );
        assert_eq!(
            err.api_message(),
            Some("x-cf-signature missing in the request header")
        );

        let signer = Signer::from_pem(PUBLIC_KEY).unwrap();
        let old = signer
            .signature(DEFAULT_CREDENTIALS.0, (now() - 3600) as u64)
            .unwrap();
        let err = Error::from(
            token_call(&unsigned)
                .x_cf_signature(old)
                .send()
                .await
                .unwrap_err(),
        );
        assert_eq!(err.api_message(), Some("x-cf-signature has expired"));
        let other = signer.signature("someone-else", now() as u64).unwrap();
        let err = Error::from(
            token_call(&unsigned)
                .x_cf_signature(other)
                .send()
                .await
                .unwrap_err(),
        );
        assert_eq!(
            err.api_message(),
            Some("x-cf-signature was made for another client id")
        );
        let err = Error::from(
            token_call(&unsigned)
                .x_cf_signature("bm90IGEgc2lnbmF0dXJl")
                .send()
                .await
                .unwrap_err(),
        );
        assert_eq!(err.api_message(), Some("x-cf-signature is invalid"));
        assert!(
            Sandbox::builder()
                .signature_private_key_pem("not a key")
                .start()
                .await
                .is_err()
        );
    })
    .await;
}

#[tokio::test]
async fn raw_http_clients_get_cashfree_shaped_answers() {
    bounded(15, async {
        let sandbox = Sandbox::start().await.unwrap();
        let http = cashfree_verification::tls::client_builder().build().unwrap();
        let url = |p: &str| format!("{}{p}", sandbox.base_url());
        let send = |path: &'static str, headers: Vec<(&'static str, &'static str)>, body: Value| {
            let mut req = http.post(url(path)).json(&body);
            for (k, v) in headers {
                req = req.header(k, v);
            }
            async move {
                let resp = req.send().await.unwrap();
                let status = resp.status().as_u16();
                (status, resp.json::<Value>().await.unwrap())
            }
        };
        let creds = vec![
            ("x-client-id", "sandbox-vkyc-client-id"),
            ("x-client-secret", "sandbox-vkyc-client-secret"),
            ("x-api-version", "2024-12-01"),
        ];
        // Cashfree's own curl sends these string fields as numbers; Cashfree (and the sandbox) accept it.
        let curl_body = json!({"app_id": "a", "product": "VKYC", "metadata": {"vkyc_request_id": 249749},
                               "authenticated_user": {"identifier_type": "userId", "identifier_value": 123456}});
        let (status, body) = send("/oauth/token", creds.clone(), curl_body.clone()).await;
        assert_eq!(status, 200, "{body}");
        let (status, body) = send("/oauth/token", creds[1..].to_vec(), curl_body.clone()).await;
        assert_eq!((status, body["code"].as_str()), (400, Some("x-client-id_missing")));
        let (status, body) = send("/oauth/token", vec![creds[0], creds[2]], curl_body.clone()).await;
        assert_eq!((status, body["code"].as_str()), (400, Some("x-client-secret_missing")));
        // x-api-version is optional where the spec says so (the merged spec, for every operation):
        // Cashfree's Python SDK never sends it.
        let (status, body) = send("/oauth/token", creds[..2].to_vec(), curl_body.clone()).await;
        assert_eq!(status, 200, "{body}");
        let one_click = vec![
            ("x-client-id", "sandbox-1click-client-id"),
            ("x-client-secret", "sandbox-1click-client-secret"),
            ("x-api-version", "2024-12-01"),
        ];
        let (status, body) = send("/oauth2/session", one_click.clone(), json!({"verification_id": "a b", "user": {"identifier_type": "MOBILE", "identifier_value": "9000000001"}})).await;
        assert_eq!(status, 400);
        assert_eq!(body, json!({"type": "validation_error", "code": "verification_id_value_invalid",
            "message": "verification_id can include only alphanum, dot, hyphen and underscores."}));
        let (status, body) = send("/oauth2/session", one_click.clone(), json!({"user": {"identifier_type": "MOBILE", "identifier_value": "9000000001"}})).await;
        assert_eq!((status, body["code"].as_str()), (400, Some("verification_id_missing")));
        let (status, body) = send("/nope", one_click, json!({})).await;
        assert_eq!((status, body["code"].as_str()), (404, Some("route_not_found")));
        let recorded = sandbox.requests();
        assert!(recorded.iter().all(|r| r.header("x-client-secret").is_none_or(|v| v == "<redacted>")));
        assert_eq!(recorded[4].violation.as_deref(), Some("verification_id_value_invalid at /verification_id"));
        let (status, body) = send("/oauth/token", vec![creds[0], creds[1], ("x-api-version", "2024-02-31")], curl_body).await;
        assert_eq!((status, body["code"].as_str()), (400, Some("x-api-version_value_invalid")));
    })
    .await;
}

#[tokio::test]
async fn every_injected_fault_gives_a_typed_error_without_hanging() {
    bounded(30, async {
        let sandbox = Sandbox::start().await.unwrap();
        let client = sandbox
            .client_builder()
            .retry_policy(RetryPolicy::none())
            .timeout(Duration::from_secs(2))
            .build()
            .unwrap();

        sandbox.inject(Fault::Delay(Duration::from_millis(300)), 1);
        let started = std::time::Instant::now();
        call(&client, "/oauth/token")
            .await
            .expect("a short delay still answers");
        assert!(started.elapsed() >= Duration::from_millis(300));

        sandbox.inject(Fault::Delay(Duration::from_secs(5)), 1);
        let err = call(&client, "/oauth/token").await.unwrap_err();
        assert!(err.is_timeout(), "{err:?}");

        sandbox.inject(
            Fault::Respond {
                status: 502,
                content_type: "text/html".into(),
                headers: vec![],
                body: b"<html>Bad Gateway</html>".to_vec(),
            },
            1,
        );
        let err = call(&client, "/oauth/token").await.unwrap_err();
        assert_eq!(
            (err.kind(), err.status().map(|s| s.as_u16())),
            (ErrorKind::Decode, Some(502))
        );

        sandbox.inject(Fault::Truncate, 1);
        let err = call(&client, "/oauth/token").await.unwrap_err();
        assert!(
            matches!(err.kind(), ErrorKind::Transport | ErrorKind::Decode),
            "{err:?}"
        );

        sandbox.inject(Fault::Drop, 1);
        let err = call(&client, "/oauth/token").await.unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Transport, "{err:?}");

        sandbox.inject(Fault::Documented(500), 1);
        let err = call(&client, "/oauth/token").await.unwrap_err();
        assert_eq!(err.code(), Some(&ErrorCode::VerificationFailed));

        call(&client, "/oauth/token")
            .await
            .expect("faults are used up; normal service resumes");
    })
    .await;
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        "[a-zA-Z0-9 ._-]{0,60}".prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 32, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::btree_map(
                prop_oneof![
                    Just("verification_id".to_string()),
                    Just("user".to_string()),
                    Just("identifier_type".to_string()),
                    Just("identifier_value".to_string()),
                    "[a-z_]{1,12}"
                ],
                inner,
                0..5
            )
            .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_response_bodies_never_panic_the_client(status in prop::sample::select(vec![200u16, 400, 409, 429, 500, 502, 503]), body in prop::collection::vec(any::<u8>(), 0..2048)) {
        let rt = runtime();
        let outcome = rt.block_on(bounded(10, async {
            let sandbox = Sandbox::start().await.unwrap();
            let client = sandbox.client_builder().retry_policy(RetryPolicy::none()).build().unwrap();
            sandbox.inject(Fault::Respond { status, content_type: "application/json".into(), headers: vec![], body: body.clone() }, 1);
            call(&client, "/oauth2/session").await
        }));
        if let Err(e) = outcome {
            prop_assert!(matches!(e.kind(), ErrorKind::Api | ErrorKind::Decode | ErrorKind::UnexpectedStatus), "{e:?}");
            if status != 200 {
                prop_assert_eq!(e.status().map(|s| s.as_u16()), Some(status));
            }
            prop_assert!(e.to_string().len() < 1024);
        } else {
            prop_assert_eq!(status, 200);
        }
    }

    #[test]
    fn arbitrary_json_request_bodies_get_a_cashfree_answer(body in json_value()) {
        let rt = runtime();
        let (status, answer) = rt.block_on(bounded(10, async {
            let sandbox = Sandbox::start().await.unwrap();
            let resp = cashfree_verification::tls::client_builder().build().unwrap()
                .post(format!("{}/oauth2/session", sandbox.base_url()))
                .header("x-client-id", "sandbox-1click-client-id")
                .header("x-client-secret", "sandbox-1click-client-secret")
                .header("x-api-version", "2024-12-01")
                .json(&body)
                .send()
                .await
                .unwrap();
            let status = resp.status().as_u16();
            (status, resp.json::<Value>().await.unwrap())
        }));
        prop_assert!(status == 200 || status == 400, "{} {}", status, answer);
        if status == 400 {
            prop_assert_eq!(answer["type"].as_str(), Some("validation_error"));
            prop_assert!(answer["code"].as_str().is_some_and(|c| !c.is_empty()));
        } else {
            prop_assert!(answer["session_id"].is_string());
        }
    }
}

/// An async create and its status call agree on the id; an unknown id gets the documented 404; the
/// 1-Click code is good once; multipart parts arrive as parts and a missing one is refused.
// Calls every product's operations: compiled with feature `all-products` (as CI runs the tests).
#[cfg(feature = "all-products")]
#[tokio::test]
async fn status_calls_consent_and_multipart_behave_as_documented() {
    bounded(20, async {
        let (sandbox, client) = sandbox_and_client().await;
        let args = |pairs: Value| pairs.as_object().unwrap().clone();

        let created = client
            .call_json(
                "VrsBavAsync",
                &args(
                    json!({"body": {"bank_account": "026291800001191", "ifsc": "YESB0000262",
                                      "name": "John Doe", "user_id": "user-1"}}),
                ),
            )
            .await
            .unwrap();
        let reference_id = created["reference_id"].clone();
        assert!(reference_id.is_number(), "{created}");
        // The create answers a number, the status call's parameter is a string (as Cashfree documents).
        let status = client
            .call_json(
                "VrsBavGetStatus",
                &args(json!({"reference_id": reference_id.to_string()})),
            )
            .await
            .unwrap();
        assert_eq!(status["reference_id"].to_string(), reference_id.to_string());
        let err = client
            .call_json("VrsBavGetStatus", &args(json!({"reference_id": "424242"})))
            .await
            .unwrap_err();
        assert_eq!(err.status().map(|s| s.as_u16()), Some(404));
        assert_eq!(err.code(), Some(&ErrorCode::ReferenceIdNotFound));

        // 1-Click: no consent without a session; a code is good for one token.
        assert!(sandbox.consent("never-started").is_err());
        session_call(&client, "flow-1", "9000000001")
            .send()
            .await
            .unwrap();
        let code = sandbox.consent("flow-1").unwrap();
        let exchange = args(json!({"body": {"auth_code": code}}));
        let token = client
            .call_json("VrsUserVaultAccessTokenGeneration", &exchange)
            .await
            .unwrap();
        let err = client
            .call_json("VrsUserVaultAccessTokenGeneration", &exchange)
            .await
            .unwrap_err();
        assert_eq!(err.code(), Some(&ErrorCode::AuthCodeValueInvalid));
        let details = client
            .vrs_user_vault_fetch_details_from_access_token()
            .authorization(token["access_token"].as_str().unwrap())
            .send()
            .await
            .unwrap();
        assert!(details.scopes.is_some());
        let err = Error::from(
            client
                .vrs_user_vault_fetch_details_from_access_token()
                .authorization("not-issued")
                .send()
                .await
                .unwrap_err(),
        );
        assert_eq!(err.code(), Some(&ErrorCode::AccessTokenValueInvalid));
        let sent = sandbox.requests();
        let bearer = sent
            .iter()
            .rev()
            .find(|r| r.target == "/oauth2/user-details")
            .unwrap();
        assert_eq!(bearer.header("authorization"), Some("<redacted>"));

        // Multipart: the file arrives as a file part.
        let face = cashfree_verification::FilePart::from_bytes(
            "me.jpg",
            "image/jpeg",
            b"\xff\xd8JPEG".to_vec(),
        );
        client
            .vrs_liveliness_check()
            .body(
                cashfree_verification::types::VrsLivelinessCheckBody::builder()
                    .verification_id("live-1")
                    .image(face),
            )
            .send()
            .await
            .unwrap();
        let upload = sandbox
            .requests()
            .into_iter()
            .find(|r| r.target == "/liveliness")
            .unwrap();
        assert!(
            upload
                .header("content-type")
                .unwrap()
                .starts_with("multipart/form-data; boundary=")
        );
        let body = String::from_utf8_lossy(&upload.body);
        assert!(
            body.contains(
                "name=\"image\"; filename=\"me.jpg\"\r\nContent-Type: image/jpeg\r\n\r\n"
            ),
            "{body}"
        );
        assert!(
            body.contains("name=\"verification_id\"\r\n\r\nlive-1\r\n"),
            "{body}"
        );
        assert_eq!(upload.violation, None);

        // A multipart body without its required file part is refused by the sandbox.
        let raw = reqwest::Client::new()
            .post(format!("{}/liveliness", sandbox.base_url()))
            .header("x-client-id", DEFAULT_CREDENTIALS.0)
            .header("x-client-secret", DEFAULT_CREDENTIALS.1)
            .multipart(reqwest::multipart::Form::new().text("verification_id", "live-2"))
            .send()
            .await
            .unwrap();
        assert_eq!(raw.status().as_u16(), 400);
        let body: Value = raw.json().await.unwrap();
        assert_eq!(body["code"], "image_missing", "{body}");
    })
    .await;
}

/// Issue "sandbox as its own crate", each measured defect: kept-alive answers come fast (no Nagle
/// stall), a slow head is cut off, 405 names the allowed methods, 413 for big bodies, JSON `null` is
/// refused, numeric ids are strings, and the request log is bounded.
#[tokio::test]
async fn the_sandbox_defects_measured_from_outside_are_gone() {
    use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
    bounded(30, async {
        let sandbox = Sandbox::builder()
            .read_timeout(Duration::from_millis(300))
            .start()
            .await
            .unwrap();
        let http = cashfree_verification::tls::client_builder().build().unwrap();
        let url = |path: &str| format!("{}{path}", sandbox.base_url());
        let creds = [
            ("x-client-id", DEFAULT_CREDENTIALS.0),
            ("x-client-secret", DEFAULT_CREDENTIALS.1),
            ("x-api-version", "2024-12-01"),
        ];
        let post = |path: &str, body: &'static str| {
            let mut req = http.post(url(path)).header("content-type", "application/json").body(body);
            for (k, v) in creds {
                req = req.header(k, v);
            }
            req
        };
        let token_body = r#"{"app_id": "a", "product": "VKYC", "metadata": {"vkyc_request_id": "1"}, "authenticated_user": {"identifier_type": "userId", "identifier_value": "42"}}"#;

        // 50 sequential requests on one kept-alive connection: no 40 ms Nagle stall each.
        post("/oauth/token", token_body).send().await.unwrap();
        let started = Instant::now();
        for _ in 0..50 {
            assert_eq!(post("/oauth/token", token_body).send().await.unwrap().status(), 200);
        }
        let each = started.elapsed() / 50;
        assert!(each < Duration::from_millis(20), "{each:?} per kept-alive request");

        // A head that never finishes is cut off after the header-read timeout.
        let mut slow = tokio::net::TcpStream::connect(sandbox.base_url().trim_start_matches("http://")).await.unwrap();
        slow.write_all(b"POST /oauth/token HTTP/1.1\r\nhost: x\r\n").await.unwrap();
        let mut buf = Vec::new();
        let read = tokio::time::timeout(Duration::from_secs(5), slow.read_to_end(&mut buf)).await;
        assert!(read.is_ok(), "a slow head is not held forever");

        // A known path with another method: 405 with Allow.
        let wrong = http.get(url("/oauth/token")).send().await.unwrap();
        assert_eq!(wrong.status(), 405);
        assert_eq!(wrong.headers()["allow"], "POST");
        let body: Value = wrong.json().await.unwrap();
        assert_eq!(body["code"], "method_not_allowed");

        // A body over 1 MiB: 413 with a code the README names.
        let big = post("/oauth/token", "").body(vec![b' '; 2 * 1024 * 1024]).send().await.unwrap();
        assert_eq!(big.status(), 413);
        let body: Value = big.json().await.unwrap();
        assert_eq!(body["code"], "request_too_large");

        // JSON null is not a body.
        let null = post("/oauth/token", "null").send().await.unwrap();
        assert_eq!(null.status(), 400);

        // Numeric verification ids are echoed as strings and compared as text for reuse.
        let one_click = |body: &'static str| {
            http.post(url("/oauth2/session"))
                .header("content-type", "application/json")
                .header("x-client-id", DEFAULT_ONE_CLICK_CREDENTIALS.0)
                .header("x-client-secret", DEFAULT_ONE_CLICK_CREDENTIALS.1)
                .header("x-api-version", "2024-12-01")
                .body(body)
        };
        let first = one_click(r#"{"verification_id": 424242, "user": {"identifier_type": "MOBILE", "identifier_value": "9000000001"}}"#).send().await.unwrap();
        assert_eq!(first.status(), 200);
        let answer: Value = first.json().await.unwrap();
        assert_eq!(answer["verification_id"], "424242");
        let again = one_click(r#"{"verification_id": "424242", "user": {"identifier_type": "MOBILE", "identifier_value": "9000000001"}}"#).send().await.unwrap();
        assert_eq!(again.status(), 409);

        // The log keeps the last MAX_LOGGED_REQUESTS, with at most MAX_LOGGED_BODY_BYTES of a body.
        let mut padded = token_body.as_bytes().to_vec();
        padded.extend(std::iter::repeat_n(b' ', 900 * 1024));
        let ok = post("/oauth/token", "").body(padded.clone()).send().await.unwrap();
        assert_eq!(ok.status(), 200);
        let logged = sandbox.requests();
        let kept = logged.last().unwrap();
        assert_eq!((kept.body.len(), kept.body_len), (MAX_LOGGED_BODY_BYTES, padded.len()));
        for _ in 0..MAX_LOGGED_REQUESTS {
            http.get(url("/nowhere")).send().await.unwrap();
        }
        let logged = sandbox.requests();
        assert_eq!(logged.len(), MAX_LOGGED_REQUESTS);
        assert!(logged.iter().all(|r| r.target == "/nowhere"));
    })
    .await;
}

// Used by the tests that call every operation (feature `all-products`).
#[cfg(feature = "all-products")]
/// The text of a scalar (numbers and strings compare as text: the client reads Cashfree's
/// number-for-string as the string its type declares).
fn scalar_text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

// Used by the tests that call every operation (feature `all-products`).
#[cfg(feature = "all-products")]
/// Whether the sandbox issues `key` afresh (so an answer's value differs from its example's).
fn issued_field(key: &str) -> bool {
    key == "reference_id"
        || key == "ref_id"
        || key.ends_with("_ref_id")
        || key == "session_id"
        || key.ends_with("token")
        || key.contains("expir")
        || id_name(key).ends_with("id")
}

/// A scenario test per product (issue 15, item 5): for every product (the spec's tags), every
/// documented success example of each of its operations, asked for by name
/// (`Sandbox::scenario`), comes through the sandbox and the typed client with the example's values.
// Calls every product's operations: compiled with feature `all-products` (as CI runs the tests).
#[cfg(feature = "all-products")]
#[tokio::test]
async fn every_product_answers_its_named_success_scenarios_through_the_client() {
    bounded(60, async {
        let (sandbox, client) = sandbox_and_client().await;
        let doc = merged();
        let mut ops = spec_operations(&doc);
        // Creates first (status calls look their ids up), and 1-Click in its order.
        ops.sort_by_key(|op| {
            let order = match op.path.as_str() {
                "/oauth2/session" => 0,
                "/oauth2/generate-token" => 1,
                "/oauth2/user-details" => 2,
                _ => 0,
            };
            (op.method == "GET" || op.method == "DELETE", order)
        });
        let mut issued: Vec<(String, String)> = Vec::new();
        let mut session: Option<String> = None;
        let mut token: Option<String> = None;
        let mut per_product: std::collections::BTreeMap<String, usize> = Default::default();
        let mut call = 0;
        for op in &ops {
            let what = format!("{} {}", op.method, op.path);
            let Some((status, response)) = op.op["responses"]
                .as_object()
                .unwrap()
                .iter()
                .find(|(s, _)| s.starts_with('2'))
            else {
                continue;
            };
            let response = crate::common::calls::resolve(&doc, response);
            let media = &response["content"]["application/json"];
            let mut examples: Vec<(String, Value)> = match media.get("examples") {
                Some(e) => e
                    .as_object()
                    .unwrap()
                    .iter()
                    .map(|(k, v)| {
                        (
                            k.clone(),
                            crate::common::calls::resolve(&doc, v)["value"].clone(),
                        )
                    })
                    .collect(),
                None => media
                    .get("example")
                    .map(|e| vec![("example".to_string(), e.clone())])
                    .unwrap_or_default(),
            };
            examples.sort_by(|a, b| a.0.cmp(&b.0));
            for (name, example) in examples {
                call += 1;
                let mut args = example_args(&doc, op);
                if op.method == "GET" {
                    use_issued_ids(&mut args, &issued);
                }
                // A fresh caller id per call: the sandbox answers a reused one as Cashfree documents
                // (409, or BAV async's 400 user_id_already_exists).
                if let Some(body) = args.get_mut("body").and_then(Value::as_object_mut) {
                    for (k, v) in body.iter_mut() {
                        if (k.ends_with("verification_id") || k == "user_id") && v.is_string() {
                            *v = json!(format!("{}_{call}", v.as_str().unwrap()));
                        }
                    }
                    if body.contains_key("auth_code") {
                        let id = session.clone().expect("a 1-Click session first");
                        body.insert("auth_code".into(), json!(sandbox.consent(&id).unwrap()));
                    }
                }
                if args.contains_key("authorization") {
                    args.insert(
                        "authorization".into(),
                        json!(token.clone().expect("a token first")),
                    );
                }
                sandbox.scenario(&op.operation_id, &name, 1).unwrap();
                let out = client
                    .call_json(&op.operation_id, &args)
                    .await
                    .unwrap_or_else(|e| panic!("{what} {status} {name:?}: {e}"));
                let raw = sandbox.requests().last().unwrap().status;
                assert_eq!(raw.to_string(), *status, "{what} {name:?}");
                // The keys the response schema declares (the typed value has no others).
                let declared =
                    crate::common::calls::resolve(&doc, &media["schema"])["properties"].clone();
                for (key, want) in example.as_object().into_iter().flatten() {
                    if issued_field(key) || declared.get(key).is_none() {
                        continue;
                    }
                    if let Some(want) = scalar_text(want) {
                        let got = out.get(key).and_then(scalar_text);
                        // A number the client reads into an f64 prints as `100.0`.
                        let number = |t: &str| t.parse::<f64>().ok();
                        let same = got.as_deref() == Some(want.as_str())
                            || (number(&want).is_some()
                                && got.as_deref().and_then(number) == number(&want));
                        assert!(same, "{what} {name:?}: {key}: {got:?} for {want:?}");
                    }
                }
                remember_ids(&mut issued, &out, args.get("body"));
                if out.get("session_id").is_some() {
                    session = out["verification_id"].as_str().map(String::from);
                }
                if let Some(t) = out.get("access_token").and_then(Value::as_str) {
                    token = Some(t.to_string());
                }
                for tag in op.op["tags"].as_array().into_iter().flatten() {
                    *per_product
                        .entry(tag.as_str().unwrap().to_string())
                        .or_default() += 1;
                }
            }
        }
        // Every product but those whose documentation gives no success example (IP).
        let tags: std::collections::BTreeSet<String> = ops
            .iter()
            .flat_map(|op| op.op["tags"].as_array().cloned().unwrap_or_default())
            .map(|t| t.as_str().unwrap().to_string())
            .collect();
        let missing: Vec<&String> = tags
            .iter()
            .filter(|t| !per_product.contains_key(*t))
            .collect();
        assert!(
            missing.iter().all(|t| *t == "IP"),
            "products without a scenario: {missing:?}"
        );
        assert!(per_product.len() >= 28, "{per_product:?}");
    })
    .await;
}
