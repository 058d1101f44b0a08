//! The sandbox sends, the example's axum receiver verifies and decodes: every documented event,
//! the event sent after an async operation, retries, a replay deduplicated, tampered deliveries
//! refused.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use cashfree_verification::webhook::{SignatureForm, Verifier};
use cashfree_verification_sandbox::{DEFAULT_CREDENTIALS, Delivery, Sandbox, Tamper};
use secrecy::SecretString;

#[allow(dead_code)]
#[path = "../../examples/webhook_receiver.rs"]
mod receiver;

async fn receiver_url(
    verifier: Verifier,
) -> (
    String,
    tokio::sync::mpsc::UnboundedReceiver<cashfree_verification::webhook::Notification>,
) {
    let (router, work) = receiver::router(verifier);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/cashfree/webhook", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, router).await });
    (url, work)
}

fn verifier() -> Verifier {
    Verifier::new([SecretString::from(DEFAULT_CREDENTIALS.1)])
}

#[cfg(feature = "all-products")]
#[tokio::test]
async fn every_documented_event_goes_through_a_real_receiver_in_both_forms() {
    let (url, mut work) = receiver_url(verifier()).await;
    let sandbox = Sandbox::builder().webhook_url(&url).start().await.unwrap();
    for (name, _) in super::webhooks::documented_samples() {
        for older in [false, true] {
            let mut delivery = Delivery::new(&name, "4242").unwrap();
            if older {
                delivery = delivery.older_form();
            }
            let report = sandbox.send_webhook(delivery).await.unwrap();
            assert!(report.delivered(), "{name}: {report:?}");
            let n = tokio::time::timeout(Duration::from_secs(5), work.recv())
                .await
                .unwrap()
                .unwrap();
            assert_eq!(n.event().documented_type(), Some(name.as_str()));
            let form = if older {
                SignatureForm::Older
            } else {
                SignatureForm::Current
            };
            assert_eq!(n.signature_form(), form);
        }
    }
}

#[cfg(feature = "bav-v2")]
#[tokio::test]
async fn an_async_verification_is_followed_by_its_signed_event() {
    let (url, mut work) = receiver_url(verifier()).await;
    let sandbox = Sandbox::builder().webhook_url(&url).start().await.unwrap();
    let answer = sandbox
        .client_builder()
        .build()
        .unwrap()
        .vrs_bav_async()
        .body(
            cashfree_verification::types::BankAccountVerificationAsyncRequestSchema::builder()
                .user_id(Some("bav-webhook-1".to_string()))
                .bank_account("026291800001191")
                .ifsc("YESB0000262"),
        )
        .send()
        .await
        .unwrap();
    let answer = serde_json::to_value(answer.into_inner()).unwrap();
    let n = tokio::time::timeout(Duration::from_secs(5), work.recv())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(n.event_type(), "BANK_ACCOUNT_VERIFICATION_SUCCESS");
    let raw: serde_json::Value = serde_json::from_slice(n.body()).unwrap();
    assert_eq!(
        raw["data"]["reference_id"], answer["reference_id"],
        "{answer}"
    );
    // The event is Cashfree's sample, not the create's answer: only the ids link them.
    let doc: serde_json::Value =
        serde_json::from_str(cashfree_verification::spec::openapi_json()).unwrap();
    let sample = &doc["x-webhooks"]["BANK_ACCOUNT_VERIFICATION_SUCCESS"]["post"]["requestBody"]["content"]
        ["application/json"]["example"];
    assert_eq!(answer["account_status"], "RECEIVED", "{answer}");
    for (k, v) in sample["data"].as_object().unwrap() {
        if !k.ends_with("_id") {
            assert_eq!(&raw["data"][k], v, "{k}");
        }
    }
    assert_eq!(raw["version"], sample["version"]);
}

#[tokio::test]
async fn tampered_stale_and_wrong_secret_deliveries_are_refused_and_retried_then_given_up() {
    let (url, mut work) = receiver_url(verifier()).await;
    let sandbox = Sandbox::builder()
        .webhook_url(&url)
        .webhook_retries(3, Duration::from_millis(10))
        .start()
        .await
        .unwrap();
    let ten_minutes_ago = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_millis()
        - 600_000;
    for tamper in [
        Tamper::EditedBody,
        Tamper::WrongSecret("not-the-client-secret".into()),
        Tamper::Timestamp(ten_minutes_ago),
    ] {
        let delivery = Delivery::new("SOME_EVENT_NOT_IN_THE_SPEC", "1")
            .or_else(|| Delivery::new("AA_CONSENT_VERIFICATION_SUCCESS", "1"))
            .or_else(|| Delivery::new("KYC_LINK_SUCCESS", "1"));
        let Some(delivery) = delivery else {
            // No event in this build's spec: nothing to tamper with.
            return;
        };
        let report = sandbox
            .send_webhook(delivery.tamper(tamper.clone()))
            .await
            .unwrap();
        let statuses: Vec<_> = report.attempts.iter().map(|a| a.status).collect();
        assert_eq!(statuses, [Some(401); 3], "{tamper:?}: retried to the bound");
        let attempts: Vec<_> = report
            .attempts
            .iter()
            .map(|a| a.timestamp.clone())
            .collect();
        assert_eq!(attempts.len(), 3);
    }
    assert!(
        work.try_recv().is_err(),
        "nothing refused reached the queue"
    );
}

#[tokio::test]
async fn a_replay_is_deduplicated_and_the_sandbox_without_a_url_says_so() {
    let (url, mut work) = receiver_url(verifier()).await;
    let sandbox = Sandbox::builder().webhook_url(&url).start().await.unwrap();
    let Some(delivery) = Delivery::new("AA_CONSENT_VERIFICATION_SUCCESS", "c1") else {
        return;
    };
    let report = sandbox.send_webhook(delivery).await.unwrap();
    assert_eq!(report.attempts.len(), 1);
    let replay = sandbox.replay_webhook(&report).await.unwrap();
    assert_eq!(
        replay.status,
        Some(200),
        "answered, so Cashfree stops retrying"
    );
    assert!(work.recv().await.is_some());
    assert!(
        work.try_recv().is_err(),
        "the replay was not processed twice"
    );
    assert_eq!(sandbox.webhook_deliveries().len(), 1);
    let quiet = Sandbox::start().await.unwrap();
    let err = quiet
        .send_webhook(Delivery::new("AA_CONSENT_VERIFICATION_SUCCESS", "c1").unwrap())
        .await
        .unwrap_err();
    assert!(err.to_string().contains("webhook_url"), "{err}");
}
