//! The sandbox over time as the crate's generated waits see it (issue 17): a wait that polls
//! through pending statuses to the finished one, and an ambiguous create (answered past the
//! client's timeout) resolved through the status operation without a second create.

use std::time::Duration;

use cashfree_verification::types;
use cashfree_verification::wait::{Resolution, Wait};
use cashfree_verification_sandbox::{Fault, Sandbox};

fn body(user_id: &str) -> types::builder::BankAccountVerificationAsyncRequestSchema {
    types::BankAccountVerificationAsyncRequestSchema::builder()
        .bank_account("026291800001191")
        .ifsc("YESB0000262")
        .name(Some("John Doe".to_string()))
        .user_id(Some(user_id.to_string()))
}

fn quick() -> Wait {
    Wait::new()
        .deadline(Duration::from_secs(10))
        .interval(Duration::from_millis(50), Duration::from_millis(100))
}

/// How many requests `operation_id` received.
fn calls(sandbox: &Sandbox, operation_id: &str) -> usize {
    sandbox
        .requests()
        .iter()
        .filter(|r| r.operation_id.as_deref() == Some(operation_id))
        .count()
}

#[tokio::test]
async fn a_wait_polls_through_pending_statuses_to_the_finished_one() {
    let sandbox = Sandbox::builder()
        .async_delay(Duration::from_millis(300))
        .start()
        .await
        .unwrap();
    let client = sandbox.client_builder().build().unwrap();
    let done = tokio::time::timeout(
        Duration::from_secs(20),
        client.vrs_bav_async_and_wait(body("wait_user_1"), &quick()),
    )
    .await
    .expect("the wait ended in time")
    .unwrap();
    assert_eq!(done.status(), "VALID");
    assert!(done.polls() >= 2, "{} polls: pending first", done.polls());
    assert_eq!(done.resolution(), Resolution::Created);
    assert_eq!(calls(&sandbox, "VrsBavAsync"), 1);
}

#[tokio::test]
async fn a_create_answered_past_the_timeout_is_resolved_without_a_second_create() {
    let sandbox = Sandbox::start().await.unwrap();
    let client = sandbox
        .client_builder()
        .timeout(Duration::from_millis(300))
        .resolve_ambiguous_creates(true)
        .build()
        .unwrap();
    sandbox.inject(Fault::Delay(Duration::from_secs(2)), 1);
    let done = tokio::time::timeout(
        Duration::from_secs(20),
        client.vrs_bav_async_and_wait(body("late_user_1"), &quick()),
    )
    .await
    .expect("the wait ended in time")
    .unwrap();
    assert_eq!(done.resolution(), Resolution::AnswerLost);
    assert_eq!(done.status(), "VALID");
    assert_eq!(calls(&sandbox, "VrsBavAsync"), 1, "never sent twice");
}
