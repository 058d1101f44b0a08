//! The sandbox over time (issue 17), over real HTTP on 127.0.0.1 as any language's client sees it:
//! statuses pending until the asynchronous delay, the per-request delay header, delayed and
//! dropped creates still remembered, and the rate-limit headers.
//!
//! The create-then-poll pairs are the merged document's `x-cashfree-wait` entries.

use std::time::{Duration, Instant};

use serde_json::{Value, json};

use super::waits::{self, Status as _, Wait};
use super::{ASYNC_DELAY_HEADER, DEFAULT_CREDENTIALS, Sandbox, SandboxBuilder};

/// The pairs: the merged document's `x-cashfree-wait` entries.
fn waits() -> &'static [Wait] {
    waits::merged()
}

fn wait_of(create: &str) -> Wait {
    waits()
        .iter()
        .find(|w| w.create == create)
        .cloned()
        .expect("the merged document has an entry for the create")
}

/// Runs `f` on a sandbox built by `builder`, bounded in time.
async fn with_sandbox<F, Fut>(builder: SandboxBuilder, f: F)
where
    F: FnOnce(Sandbox, reqwest::Client) -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    let sandbox = builder.start().await.unwrap();
    let http = cashfree_verification::tls::client_builder()
        .build()
        .unwrap();
    tokio::time::timeout(Duration::from_secs(20), f(sandbox, http))
        .await
        .expect("the test finished in time");
}

/// `method path` with the Verification app's credentials and `extra` headers; `body` as JSON
/// unless null.
fn request(
    http: &reqwest::Client,
    sandbox: &Sandbox,
    method: reqwest::Method,
    path: &str,
    extra: &[(&str, &str)],
    body: &Value,
) -> reqwest::RequestBuilder {
    let mut builder = http
        .request(method, format!("{}{path}", sandbox.base_url()))
        .header("x-client-id", DEFAULT_CREDENTIALS.0)
        .header("x-client-secret", DEFAULT_CREDENTIALS.1);
    for (k, v) in extra {
        builder = builder.header(*k, *v);
    }
    if !body.is_null() {
        builder = builder
            .header("content-type", "application/json")
            .body(body.to_string());
    }
    builder
}

/// The status and JSON body of an answer.
async fn answered(response: reqwest::Response) -> (u16, Value) {
    let status = response.status().as_u16();
    let text = response.text().await.unwrap();
    (
        status,
        serde_json::from_str(&text).unwrap_or(Value::String(text)),
    )
}

/// `POST /bank-account/async` for `user_id` (extra headers too): the status and answer.
async fn create_bav(
    http: &reqwest::Client,
    sandbox: &Sandbox,
    user_id: &str,
    extra: &[(&str, &str)],
) -> (u16, Value) {
    let body = json!({"bank_account": "026291800001191", "ifsc": "YESB0000262",
                      "name": "John Doe", "user_id": user_id});
    let response = request(
        http,
        sandbox,
        reqwest::Method::POST,
        "/bank-account/async",
        extra,
        &body,
    )
    .send()
    .await
    .unwrap();
    answered(response).await
}

/// `GET /bank-account?<query>`: the status and answer.
async fn bav_status(http: &reqwest::Client, sandbox: &Sandbox, query: &str) -> (u16, Value) {
    let path = format!("/bank-account?{query}");
    let response = request(
        http,
        sandbox,
        reqwest::Method::GET,
        &path,
        &[],
        &Value::Null,
    )
    .send()
    .await
    .unwrap();
    answered(response).await
}

/// Sleeps until `delay` after `started` (taken before the create was sent) has surely passed
/// since the sandbox handled the create.
async fn past(started: Instant, delay: Duration) {
    let margin = Duration::from_millis(100);
    tokio::time::sleep((delay + margin).saturating_sub(started.elapsed())).await;
}

fn header<'a>(response: &'a reqwest::Response, name: &str) -> Option<&'a str> {
    response.headers().get(name).and_then(|v| v.to_str().ok())
}

#[tokio::test]
async fn a_status_is_pending_until_the_async_delay_then_finished() {
    let delay = Duration::from_millis(400);
    with_sandbox(
        Sandbox::builder().async_delay(delay),
        |sandbox, http| async move {
            let wait = wait_of("VrsBavAsync");
            let started = Instant::now();
            let (status, created) = create_bav(&http, &sandbox, "user_pending_1", &[]).await;
            assert_eq!(status, 200, "{created}");
            let reference = created["reference_id"].to_string();
            // By the caller's id (known even if the create's answer was lost) and by the issued id.
            for query in [
                "user_id=user_pending_1".to_string(),
                format!("reference_id={reference}"),
            ] {
                let (status, body) = bav_status(&http, &sandbox, &query).await;
                assert_eq!(status, 200, "{body}");
                if started.elapsed() < delay {
                    assert!(wait.is_pending(&body), "{query}: {body}");
                    assert_eq!(
                        body["account_status"], "RECEIVED",
                        "the first pending value"
                    );
                    assert_eq!(
                        body["reference_id"], created["reference_id"],
                        "this create's: {body}"
                    );
                }
            }
            past(started, delay).await;
            let (status, body) = bav_status(&http, &sandbox, "user_id=user_pending_1").await;
            assert_eq!(status, 200, "{body}");
            assert!(!wait.is_pending(&body), "finished after the delay: {body}");
            assert_eq!(body["account_status"], "VALID", "the usual answer: {body}");
        },
    )
    .await;
}

#[tokio::test]
async fn one_create_sets_its_own_delay_with_a_header_and_the_default_is_at_once() {
    with_sandbox(Sandbox::builder(), |sandbox, http| async move {
        let wait = wait_of("VrsBavAsync");
        create_bav(&http, &sandbox, "user_at_once", &[]).await;
        let (_, body) = bav_status(&http, &sandbox, "user_id=user_at_once").await;
        assert!(!wait.is_pending(&body), "no delay by default: {body}");

        let started = Instant::now();
        let delayed = [(ASYNC_DELAY_HEADER, "300")];
        let (status, created) = create_bav(&http, &sandbox, "user_header", &delayed).await;
        assert_eq!(status, 200, "{created}");
        let (_, body) = bav_status(&http, &sandbox, "user_id=user_header").await;
        if started.elapsed() < Duration::from_millis(300) {
            assert!(wait.is_pending(&body), "{body}");
        }
        past(started, Duration::from_millis(300)).await;
        let (_, body) = bav_status(&http, &sandbox, "user_id=user_header").await;
        assert!(!wait.is_pending(&body), "{body}");

        let bad = [(ASYNC_DELAY_HEADER, "soon")];
        let (status, body) = create_bav(&http, &sandbox, "user_bad_header", &bad).await;
        assert_eq!(
            (status, body["code"].as_str()),
            (400, Some("async_delay_value_invalid"))
        );
    })
    .await;
}

#[tokio::test]
async fn a_bulk_is_not_processed_until_the_delay_then_has_its_entries() {
    let delay = Duration::from_millis(400);
    with_sandbox(
        Sandbox::builder().async_delay(delay),
        |sandbox, http| async move {
            let wait = wait_of("VrsBulkPanVerification");
            let started = Instant::now();
            let body = json!({"bulk_verification_id": "bulk-17",
                          "entries": [{"pan": "ABCPV1234D", "name": "JOHN DOE"}]});
            let response = request(
                &http,
                &sandbox,
                reqwest::Method::POST,
                "/pan/bulk",
                &[],
                &body,
            )
            .send()
            .await
            .unwrap();
            let (status, created) = answered(response).await;
            assert_eq!(status, 200, "{created}");
            let path = format!(
                "/pan/bulk?bulk_verification_id=bulk-17&reference_id={}",
                created["reference_id"]
            );
            let get = || async {
                let response = request(
                    &http,
                    &sandbox,
                    reqwest::Method::GET,
                    &path,
                    &[],
                    &Value::Null,
                )
                .send()
                .await
                .unwrap();
                answered(response).await
            };
            let (status, pending) = get().await;
            assert_eq!(status, 200, "{pending}");
            if started.elapsed() < delay {
                assert_eq!(
                    pending["entries"],
                    json!([]),
                    "\"File not processed\": {pending}"
                );
                assert!(wait.is_pending(&pending));
            }
            past(started, delay).await;
            let (_, finished) = get().await;
            assert!(!wait.is_pending(&finished), "{finished}");
            assert!(
                !finished["entries"].as_array().unwrap().is_empty(),
                "{finished}"
            );
        },
    )
    .await;
}

/// Queues a fault through the route other languages use.
async fn fault(http: &reqwest::Client, sandbox: &Sandbox, body: Value) {
    let response = http
        .post(format!("{}/__sandbox/fault", sandbox.base_url()))
        .body(body.to_string())
        .send()
        .await
        .unwrap();
    let (status, answer) = answered(response).await;
    assert_eq!(status, 200, "{answer}");
}

#[tokio::test]
async fn a_create_answered_past_the_timeout_or_dropped_is_still_found_by_its_status() {
    with_sandbox(Sandbox::builder(), |sandbox, http| async move {
        // Delayed past the client's timeout: the ambiguous case.
        fault(
            &http,
            &sandbox,
            json!({"fault": "delay", "ms": 2000, "times": 1}),
        )
        .await;
        let body = json!({"bank_account": "026291800001191", "ifsc": "YESB0000262",
                          "name": "John Doe", "user_id": "user_late"});
        let late = request(
            &http,
            &sandbox,
            reqwest::Method::POST,
            "/bank-account/async",
            &[],
            &body,
        )
        .timeout(Duration::from_millis(300))
        .send()
        .await;
        assert!(
            late.is_err_and(|e| e.is_timeout()),
            "the client gave up first"
        );
        let (status, found) = bav_status(&http, &sandbox, "user_id=user_late").await;
        assert_eq!(status, 200, "the late create was performed: {found}");
        assert!(found["account_status"].is_string(), "{found}");

        // Dropped: no answer at all.
        fault(&http, &sandbox, json!({"fault": "drop"})).await;
        let body = json!({"bank_account": "026291800001191", "ifsc": "YESB0000262",
                          "name": "John Doe", "user_id": "user_dropped"});
        let lost = request(
            &http,
            &sandbox,
            reqwest::Method::POST,
            "/bank-account/async",
            &[],
            &body,
        )
        .send()
        .await;
        assert!(lost.is_err(), "the connection closed without an answer");
        let (status, found) = bav_status(&http, &sandbox, "user_id=user_dropped").await;
        assert_eq!(status, 200, "the dropped create was performed: {found}");
        // And a second create with the same caller id is the documented duplicate (the entry's
        // `duplicate` code: BAV async documents a 400, not a 409).
        let (status, again) = create_bav(&http, &sandbox, "user_dropped", &[]).await;
        assert_eq!(
            (status, again["code"].as_str()),
            (400, Some("user_id_already_exists"))
        );
    })
    .await;
}

#[tokio::test]
async fn rate_limit_headers_are_sent_and_count_down_then_429_carries_reset() {
    let builder = Sandbox::builder().rate_limit_per_operation(3, Duration::from_secs(60));
    with_sandbox(builder, |sandbox, http| async move {
        let mut left = Vec::new();
        for _ in 0..3 {
            let response = request(
                &http,
                &sandbox,
                reqwest::Method::GET,
                "/bank-account?user_id=nobody",
                &[],
                &Value::Null,
            )
            .send()
            .await
            .unwrap();
            // A refusal past the rate check (the documented 404 here) carries them too.
            assert_eq!(header(&response, "x-ratelimit-limit"), Some("3"));
            let reset: u64 = header(&response, "x-ratelimit-reset")
                .unwrap()
                .parse()
                .unwrap();
            assert!(
                (1..=60).contains(&reset),
                "seconds until the window resets: {reset}"
            );
            left.push(
                header(&response, "x-ratelimit-remaining")
                    .unwrap()
                    .to_string(),
            );
        }
        assert_eq!(left, ["2", "1", "0"]);
        let refused = request(
            &http,
            &sandbox,
            reqwest::Method::GET,
            "/bank-account?user_id=nobody",
            &[],
            &Value::Null,
        )
        .send()
        .await
        .unwrap();
        assert_eq!(refused.status(), 429);
        assert_eq!(header(&refused, "x-ratelimit-remaining"), Some("0"));
        assert_eq!(
            header(&refused, "retry-after"),
            header(&refused, "x-ratelimit-reset")
        );
    })
    .await;
}

#[tokio::test]
async fn a_429_can_carry_only_its_reset() {
    let builder = Sandbox::builder()
        .rate_limit_per_operation(1, Duration::from_secs(2))
        .rate_limit_retry_after(false);
    with_sandbox(builder, |sandbox, http| async move {
        let get = || {
            request(&http, &sandbox, reqwest::Method::GET, "/bank-account?user_id=nobody", &[], &Value::Null)
                .send()
        };
        get().await.unwrap();
        let refused = get().await.unwrap();
        assert_eq!(refused.status(), 429);
        assert_eq!(header(&refused, "retry-after"), None);
        assert_eq!(header(&refused, "x-ratelimit-reset"), Some("2"));

        // Exactly that header and nothing else of the kind, from any language: a respond fault.
        fault(&http, &sandbox, json!({"fault": "respond", "status": 429,
            "headers": {"X-RateLimit-Reset": "1"},
            "body": {"type": "rate_limit_error", "code": "too_many_requests", "message": "slow down"}}))
        .await;
        let scripted = get().await.unwrap();
        assert_eq!(scripted.status(), 429);
        assert_eq!(header(&scripted, "x-ratelimit-reset"), Some("1"));
        assert_eq!(header(&scripted, "retry-after"), None);
        assert_eq!(header(&scripted, "x-ratelimit-limit"), None);
        assert_eq!(header(&scripted, "content-type"), Some("application/json"));
    })
    .await;
}
