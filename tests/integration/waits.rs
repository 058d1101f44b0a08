//! Waiting for asynchronous verifications through the sandbox: the wait ends on a terminal status,
//! a deadline names the last status, and a create whose answer was lost or that is refused as a
//! duplicate id is looked up by its caller id, never sent twice.
#![cfg(all(feature = "bav-v2", feature = "digilocker", feature = "pan"))]

use std::time::Duration;

use cashfree_verification::wait::{Resolution, Started, Wait};
use cashfree_verification::{Client, ErrorKind, RetryPolicy, types};
use cashfree_verification_sandbox::{Fault, Sandbox};
use serde_json::json;

fn quick() -> Wait {
    Wait::new()
        .deadline(Duration::from_secs(5))
        .interval(Duration::from_millis(20), Duration::from_millis(80))
}

fn client(sandbox: &Sandbox, resolve: bool) -> Client {
    sandbox
        .client_builder()
        .retry_policy(RetryPolicy::none())
        .timeout(Duration::from_millis(400))
        .resolve_ambiguous_creates(resolve)
        .build()
        .unwrap()
}

fn bav_body(user_id: &str) -> types::BankAccountVerificationAsyncRequestSchema {
    serde_json::from_value(
        json!({"bank_account": "026291800001191", "ifsc": "YESB0000262",
        "name": "John Doe", "user_id": user_id}),
    )
    .unwrap()
}

fn digilocker_body(id: &str) -> types::DigiLockerVerificationCreateUrlRequestSchema {
    serde_json::from_value(
        json!({"verification_id": id, "document_requested": ["AADHAAR"],
        "redirect_url": "https://example.com/back"}),
    )
    .unwrap()
}

/// The requests of `operation_id` the sandbox received.
fn sent(
    sandbox: &Sandbox,
    operation_id: &str,
) -> Vec<cashfree_verification_sandbox::RecordedRequest> {
    sandbox
        .requests()
        .into_iter()
        .filter(|r| r.operation_id.as_deref() == Some(operation_id))
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_wait_polls_the_status_operation_by_the_caller_id_until_a_terminal_status() {
    let sandbox = Sandbox::start().await.unwrap();
    let client = client(&sandbox, false);
    let done = tokio::time::timeout(
        Duration::from_secs(10),
        client.vrs_bav_async_and_wait(bav_body("user-wait-1"), &quick()),
    )
    .await
    .unwrap()
    .unwrap();
    assert_eq!(done.resolution(), Resolution::Created);
    assert!(done.is_documented(), "{}", done.status());
    let pair = cashfree_verification::wait::pairs()
        .iter()
        .find(|p| p.create == "vrs_bav_async")
        .unwrap();
    assert!(pair.terminal.contains(&done.status()), "{}", done.status());
    assert_eq!(done.polls(), 1);
    // The typed answer and the body it came from agree.
    assert_eq!(done.account_status.as_deref(), Some(done.status()));
    assert_eq!(sent(&sandbox, "VrsBavAsync").len(), 1);
    let polls = sent(&sandbox, "VrsBavGetStatus");
    assert_eq!(polls.len(), 1);
    assert!(
        polls[0].target.contains("user_id=user-wait-1"),
        "{}",
        polls[0].target
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_deadline_names_the_last_status_and_polls_back_off() {
    let sandbox = Sandbox::start().await.unwrap();
    let client = client(&sandbox, false);
    // Cashfree's documented "Pending" answer, every time it is asked.
    sandbox
        .scenario("VrsDigilockerVerificationFetchStatus", "Pending", 1000)
        .unwrap();
    let wait = Wait::new()
        .deadline(Duration::from_millis(300))
        .interval(Duration::from_millis(20), Duration::from_millis(80));
    let err = client
        .vrs_digilocker_verification_create_url_and_wait(digilocker_body("dl-deadline-1"), &wait)
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::WaitDeadline, "{err}");
    assert_eq!(err.last_status(), Some("PENDING"));
    let text = err.to_string();
    assert!(
        text.contains("vrs_digilocker_verification_fetch_status"),
        "{text}"
    );
    assert!(text.contains("\"PENDING\""), "{text}");
    let polls = sent(&sandbox, "VrsDigilockerVerificationFetchStatus");
    // 20, 40, 80, 80 ms gaps fit about 5 polls in 300 ms; far fewer than a fixed 20 ms would.
    assert!((3..=8).contains(&polls.len()), "{} polls", polls.len());
    let gaps: Vec<Duration> = polls
        .windows(2)
        .map(|w| w[1].received_at - w[0].received_at)
        .collect();
    assert!(gaps.last().unwrap() > &gaps[0], "{gaps:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_create_whose_answer_was_lost_is_found_by_its_caller_id_and_not_sent_again() {
    let sandbox = Sandbox::start().await.unwrap();
    let client = client(&sandbox, true);
    // The sandbox performs the create, then answers after the client's 400 ms timeout.
    sandbox.inject(Fault::Delay(Duration::from_secs(2)), 1);
    let done = tokio::time::timeout(
        Duration::from_secs(10),
        client.vrs_bav_async_and_wait(bav_body("user-lost-1"), &quick()),
    )
    .await
    .unwrap()
    .unwrap();
    assert_eq!(done.resolution(), Resolution::AnswerLost);
    assert_eq!(sent(&sandbox, "VrsBavAsync").len(), 1, "never sent twice");
    assert!(done.raw_json().contains("account_status"));
}

#[tokio::test(flavor = "multi_thread")]
async fn without_the_opt_in_a_lost_answer_fails_naming_the_id_and_the_status_operation() {
    let sandbox = Sandbox::start().await.unwrap();
    let client = client(&sandbox, false);
    sandbox.inject(Fault::Delay(Duration::from_secs(2)), 1);
    let err = client
        .vrs_bav_async_and_wait(bav_body("user-lost-2"), &quick())
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Timeout, "{err}");
    let first = err.first_attempt().expect("the note");
    assert_eq!(
        first.id,
        Some(("user_id".to_string(), "user-lost-2".to_string()))
    );
    assert_eq!(first.status_operation, Some("vrs_bav_get_status"));
    let text = err.to_string();
    for needle in [
        "may have been performed and billed",
        "user-lost-2",
        "vrs_bav_get_status",
        "resolve_ambiguous_creates",
    ] {
        assert!(text.contains(needle), "{needle} in {text}");
    }
    assert_eq!(sent(&sandbox, "VrsBavAsync").len(), 1);
    assert!(sent(&sandbox, "VrsBavGetStatus").is_empty());
}

#[tokio::test(flavor = "multi_thread")]
async fn a_resent_create_refused_as_a_duplicate_returns_the_first_attempts_result() {
    let sandbox = Sandbox::start().await.unwrap();
    let client = client(&sandbox, true);
    // Someone sent it before (a resend after a lost answer, a second worker).
    let first = client
        .vrs_digilocker_verification_create_url()
        .body(digilocker_body("dl-dup-1"))
        .send()
        .await
        .unwrap();
    assert!(first.raw_json().contains("dl-dup-1"));
    sandbox
        .scenario("VrsDigilockerVerificationFetchStatus", "Authenticated", 1)
        .unwrap();
    let done = client
        .vrs_digilocker_verification_create_url_and_wait(digilocker_body("dl-dup-1"), &quick())
        .await
        .unwrap();
    assert_eq!(done.resolution(), Resolution::DuplicateId);
    assert_eq!(done.status(), "AUTHENTICATED");
    let creates = sent(&sandbox, "VrsDigilockerVerificationCreateUrl");
    assert_eq!(creates.len(), 2);
    assert_eq!(creates[1].status, 409, "the sandbox refused the resend");
    let poll = &sent(&sandbox, "VrsDigilockerVerificationFetchStatus")[0];
    assert!(
        poll.target.contains("verification_id=dl-dup-1"),
        "{}",
        poll.target
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_lost_answer_without_a_caller_id_cannot_be_resolved_and_says_so() {
    let sandbox = Sandbox::start().await.unwrap();
    let client = client(&sandbox, true);
    sandbox.inject(Fault::Delay(Duration::from_secs(2)), 1);
    // POST /pan carries no caller id; GET /pan/{reference_id} needs Cashfree's.
    let body: types::PanRequestSchema =
        serde_json::from_value(json!({"pan": "ABCPV1234D", "name": "John"})).unwrap();
    let err = client
        .vrs_pan_verification_and_wait(body, &quick())
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Timeout);
    let first = err.first_attempt().unwrap();
    assert_eq!(first.id, None);
    let text = err.to_string();
    assert!(text.contains("carries no caller id"), "{text}");
    assert_eq!(sent(&sandbox, "VrsPanVerification").len(), 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_verification_started_earlier_is_polled_with_the_ids_of_its_answer() {
    let sandbox = Sandbox::start().await.unwrap();
    let client = client(&sandbox, false);
    let body: types::PanRequestSchema =
        serde_json::from_value(json!({"pan": "ABCPV1234D", "name": "John"})).unwrap();
    let answer = client
        .vrs_pan_verification()
        .body(body.clone())
        .send()
        .await
        .unwrap()
        .into_inner();
    let started = Started::from_request(&body).with_answer(&answer);
    let done = client
        .vrs_pan_verification_wait(&started, &quick())
        .await
        .unwrap();
    assert_eq!(done.resolution(), Resolution::Polled);
    let reference = answer.field("reference_id").unwrap();
    let poll = &sent(&sandbox, "VrsFetchPanDetails")[0];
    assert!(
        poll.target
            .ends_with(&format!("/pan/{}", reference.to_string().trim_matches('"'))),
        "{}",
        poll.target
    );
    // Without any id there is nothing to poll with, and nothing is sent.
    let err = client
        .vrs_pan_verification_wait(&Started::default(), &quick())
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Validation);
    assert!(err.to_string().contains("reference_id"), "{err}");
}

/// Every pair of the merged document has generated methods: the table lists each `x-cashfree-wait`.
#[cfg(feature = "all-products")]
#[test]
fn every_wait_of_the_merged_document_is_in_the_table() {
    let doc = super::common::calls::merged();
    let mut documented = Vec::new();
    for item in doc["paths"].as_object().unwrap().values() {
        for op in item.as_object().unwrap().values() {
            for w in op
                .get("x-cashfree-wait")
                .and_then(|w| w.as_array())
                .into_iter()
                .flatten()
            {
                documented.push((
                    op["operationId"].as_str().unwrap().to_string(),
                    w["status"].as_str().unwrap().to_string(),
                ));
            }
        }
    }
    assert_eq!(documented.len(), 16);
    let table = cashfree_verification::wait::pairs();
    assert_eq!(table.len(), documented.len());
    let op = |name: &str| {
        cashfree_verification::spec::operations()
            .iter()
            .find(|o| o.name == name)
            .unwrap()
            .operation_id
            .to_string()
    };
    for pair in table {
        assert!(
            documented.contains(&(op(pair.create), op(pair.status))),
            "{pair:?}"
        );
    }
}

mod never_twice {
    //! The property behind "never two creates for one call": whatever the retry policy, the opt-in
    //! resolution and whatever goes wrong with the polls after it, a create that Cashfree answered
    //! with a 2xx is sent once.
    use super::*;
    use proptest::prelude::*;

    /// What the sandbox does with one poll.
    fn poll_fault() -> impl Strategy<Value = Fault> {
        let json = |status: u16, body: &str| Fault::Respond {
            status,
            content_type: "application/json".into(),
            headers: vec![("retry-after".into(), "0".into())],
            body: body.as_bytes().to_vec(),
        };
        prop::sample::select(vec![
            Fault::Delay(Duration::ZERO),
            Fault::Delay(Duration::from_millis(600)),
            json(
                429,
                r#"{"type":"rate_limit_error","code":"too_many_requests","message":"x"}"#,
            ),
            json(503, "<html>busy</html>"),
            json(
                500,
                r#"{"type":"internal_error","code":"verification_failed","message":"x"}"#,
            ),
            json(
                409,
                r#"{"type":"validation_error","code":"verification_id_already_exists","message":"x"}"#,
            ),
            Fault::Drop,
            Fault::Truncate,
        ])
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

        #[test]
        fn no_policy_sends_a_second_create_after_a_2xx(
            attempts in 1u32..5,
            gateway in any::<bool>(),
            resolve in any::<bool>(),
            digilocker in any::<bool>(),
            faults in prop::collection::vec(poll_fault(), 0..5),
        ) {
            let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
            let (creates, outcome) = rt.block_on(async {
                tokio::time::timeout(Duration::from_secs(20), async {
                    let sandbox = Sandbox::start().await.unwrap();
                    let policy = RetryPolicy::default()
                        .max_attempts(attempts)
                        .retry_gateway_errors(gateway)
                        .jitter(false)
                        .initial_delay(Duration::from_millis(5))
                        .max_delay(Duration::from_millis(20));
                    let client = sandbox
                        .client_builder()
                        .retry_policy(policy)
                        .timeout(Duration::from_millis(400))
                        .resolve_ambiguous_creates(resolve)
                        .build()
                        .unwrap();
                    // The create is answered as Cashfree documents; every fault falls on a poll.
                    sandbox.inject(Fault::Delay(Duration::ZERO), 1);
                    for fault in faults {
                        sandbox.inject(fault, 1);
                    }
                    let wait = Wait::new()
                        .deadline(Duration::from_secs(2))
                        .interval(Duration::from_millis(10), Duration::from_millis(40));
                    let (operation, outcome) = if digilocker {
                        let r = client
                            .vrs_digilocker_verification_create_url_and_wait(digilocker_body("never-twice"), &wait)
                            .await;
                        ("VrsDigilockerVerificationCreateUrl", r.map(drop))
                    } else {
                        ("VrsBavAsync", client.vrs_bav_async_and_wait(bav_body("never-twice"), &wait).await.map(drop))
                    };
                    (sent(&sandbox, operation), outcome)
                })
                .await
                .expect("bounded")
            });
            prop_assert_eq!(creates.len(), 1, "outcome: {:?}", outcome.err());
            prop_assert_eq!(creates[0].status / 100, 2, "the create was answered 2xx");
        }
    }
}

/// A create with no status operation to look it up: sent once, and an unknown outcome names the id.
#[cfg(feature = "name-match")]
mod sent_once {
    use super::*;

    fn name_match(id: &str) -> types::NameMatchRequestSchema {
        serde_json::from_value(
            json!({"verification_id": id, "name_1": "JOHN DOE", "name_2": "JOHN DOE"}),
        )
        .unwrap()
    }

    #[tokio::test(flavor = "multi_thread")]
    async fn a_lost_answer_names_the_id_and_says_nothing_can_look_it_up() {
        let sandbox = Sandbox::start().await.unwrap();
        // Resolution on, and retries allowed: neither may send the create again.
        let client = sandbox
            .client_builder()
            .retry_policy(RetryPolicy::default())
            .timeout(Duration::from_millis(400))
            .resolve_ambiguous_creates(true)
            .build()
            .unwrap();
        sandbox.inject(Fault::Delay(Duration::from_secs(2)), 1);
        let err = tokio::time::timeout(
            Duration::from_secs(10),
            client.vrs_name_match_verification_once(name_match("nm-lost-1")),
        )
        .await
        .expect("bounded")
        .unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Timeout, "{err}");
        let first = err
            .first_attempt()
            .expect("the error names the first attempt");
        assert_eq!(
            first.id,
            Some(("verification_id".to_string(), "nm-lost-1".to_string()))
        );
        assert_eq!(first.status_operation, None);
        let shown = err.to_string();
        assert!(
            shown.contains("may have been performed and billed")
                && shown.contains("\"nm-lost-1\"")
                && shown.contains("no status operation can look it up"),
            "{shown}"
        );
        assert_eq!(sent(&sandbox, "VrsNameMatchVerification").len(), 1);
    }

    #[tokio::test(flavor = "multi_thread")]
    async fn an_id_refused_as_used_before_is_named_and_other_errors_are_left_alone() {
        let sandbox = Sandbox::start().await.unwrap();
        let client = client(&sandbox, false);
        let first = client
            .vrs_name_match_verification_once(name_match("nm-dup-1"))
            .await
            .unwrap();
        assert!(
            first.raw_json().contains("\"nm-dup-1\""),
            "{}",
            first.raw_json()
        );
        let err = client
            .vrs_name_match_verification_once(name_match("nm-dup-1"))
            .await
            .unwrap_err();
        assert_eq!(err.status().map(|s| s.as_u16()), Some(409), "{err}");
        assert_eq!(
            err.first_attempt().and_then(|f| f.id.clone()),
            Some(("verification_id".to_string(), "nm-dup-1".to_string()))
        );
        // A refusal that says nothing about the id keeps its own error, without the note.
        sandbox.inject(
            Fault::Respond {
                status: 400,
                content_type: "application/json".into(),
                headers: vec![],
                body: br#"{"type":"validation_error","code":"name_1_missing","message":"x"}"#
                    .to_vec(),
            },
            1,
        );
        let err = client
            .vrs_name_match_verification_once(name_match("nm-other-1"))
            .await
            .unwrap_err();
        assert!(err.first_attempt().is_none(), "{err}");
    }
}

/// GET /aa/fi documents only a pending answer (`ACTIVE`): the sandbox ends it with the reviewed
/// terminal value, so a wait on Account Aggregator FI finishes.
#[cfg(feature = "account-aggregator")]
#[tokio::test(flavor = "multi_thread")]
async fn an_account_aggregator_fi_request_is_pending_then_finishes() {
    let sandbox = Sandbox::builder()
        .async_delay(Duration::from_millis(150))
        .start()
        .await
        .unwrap();
    let client = client(&sandbox, false);
    let doc = super::common::calls::merged();
    let example = doc["components"]["requestBodies"]["RequestFIRequest"]["content"]
        ["application/json"]["example"]
        .clone();
    let body: types::RequestFiRequestSchema = serde_json::from_value(example).unwrap();
    let done = tokio::time::timeout(
        Duration::from_secs(10),
        client.vrs_aa_request_fi_and_wait(body, &quick()),
    )
    .await
    .expect("bounded")
    .unwrap();
    assert_eq!(done.status(), "SUCCESS");
    assert!(
        done.polls() >= 2,
        "pending first, then finished: {} polls",
        done.polls()
    );
    assert!(done.is_documented());
}
