//! A webhook receiver on axum: raw body, verify, answer 2xx at once, deduplicate, then process.
//!
//! ```sh
//! cargo run --example webhook_receiver
//! ```
//!
//! starts it on 127.0.0.1, starts the offline sandbox sending its webhooks there, has the sandbox
//! send a documented BAV V2 event (twice, as Cashfree may), and prints what was received.
//!
//! What a receiver must do, and why:
//! - **Read the raw body** (`Bytes`, not `Json<T>`): the signature is over the exact bytes sent;
//!   parsing and serialising again changes them.
//! - **Verify before anything else**, and answer 401 to a refusal (Cashfree then retries; a
//!   forged or stale delivery gets nothing).
//! - **Answer 2xx fast**: Cashfree retries a delivery that times out or gets a non-2xx, so queue the
//!   work (here: a channel) instead of doing it before answering.
//! - **Deduplicate**: delivery is at least once, and a retry comes with a new timestamp and
//!   signature but the same body, so the key is [`Notification::idempotency_key`]; store it where
//!   your processing commits (here: a set in memory).

use std::collections::HashSet;
use std::sync::{Arc, Mutex};
use std::time::SystemTime;

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use cashfree_verification::webhook::{Notification, Verifier};
use tokio::sync::mpsc;

/// What the handler shares: the verifier, the keys already seen, and the queue of work.
#[derive(Debug, Clone)]
pub struct Receiver {
    verifier: Arc<Verifier>,
    seen: Arc<Mutex<HashSet<String>>>,
    queue: mpsc::UnboundedSender<Notification>,
}

/// The receiver's routes (`POST /cashfree/webhook`) and the queue its verified, new events go to.
pub fn router(verifier: Verifier) -> (Router, mpsc::UnboundedReceiver<Notification>) {
    let (queue, work) = mpsc::unbounded_channel();
    let state = Receiver {
        verifier: Arc::new(verifier),
        seen: Arc::default(),
        queue,
    };
    let router = Router::new()
        .route("/cashfree/webhook", post(receive))
        .with_state(state);
    (router, work)
}

async fn receive(State(r): State<Receiver>, headers: HeaderMap, body: Bytes) -> StatusCode {
    let notification = match r.verifier.verify(&headers, &body, SystemTime::now()) {
        Ok(n) => n,
        // Say nothing more: the refusal's kind is for your logs, not for the sender.
        Err(refusal) => {
            eprintln!("refused a webhook: {refusal}");
            return StatusCode::UNAUTHORIZED;
        }
    };
    let new = r
        .seen
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .insert(notification.idempotency_key());
    if new {
        // Processing happens off the request; a full queue would be a 503 for Cashfree to retry.
        let _ = r.queue.send(notification);
    }
    StatusCode::OK
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    use cashfree_verification_sandbox::{DEFAULT_CREDENTIALS, Delivery, Sandbox};
    use secrecy::SecretString;

    let verifier = Verifier::new([SecretString::from(DEFAULT_CREDENTIALS.1)]);
    let (router, mut work) = router(verifier);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let url = format!("http://{}/cashfree/webhook", listener.local_addr()?);
    tokio::spawn(async move { axum::serve(listener, router).await });

    let sandbox = Sandbox::builder().webhook_url(&url).start().await?;
    let delivery = Delivery::new("BANK_ACCOUNT_VERIFICATION_SUCCESS", "order-42")
        .ok_or("the spec has no such event")?;
    let report = sandbox.send_webhook(delivery).await?;
    sandbox.replay_webhook(&report).await?;
    let notification = work.recv().await.ok_or("nothing received")?;
    println!(
        "verified {} (attempt {:?}, {:?}): {:?}",
        notification.event_type(),
        notification.attempt(),
        notification.event_time(),
        notification.event()
    );
    Ok(())
}
