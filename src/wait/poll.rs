//! The poll loop: one status call, read the status, sleep with backoff, until a terminal status or
//! the deadline.

use std::future::Future;
use std::ops::Deref;
use std::time::{Duration, Instant};

use serde_json::Value;

use super::status::{State, read};
use super::{Pair, Resolution, Started, Wait};
use crate::Error;
use crate::wire::Decoded;

/// The terminal answer of a wait: the status operation's answer, its status, how it was reached.
/// Reads through to the answer ([`Decoded`], itself reading through to the typed value).
#[derive(Clone)]
pub struct Waited<T> {
    answer: Decoded<T>,
    status: String,
    known: bool,
    polls: u32,
    elapsed: Duration,
    resolution: Resolution,
}

impl<T> Waited<T> {
    /// The status operation's last answer.
    pub fn answer(&self) -> &Decoded<T> {
        &self.answer
    }

    /// The same, owned.
    pub fn into_answer(self) -> Decoded<T> {
        self.answer
    }

    /// The status that ended the wait (for a bulk, every entry's, joined with `,`).
    pub fn status(&self) -> &str {
        &self.status
    }

    /// `false` when the status is one the reviewed data does not list (it still ends the wait:
    /// Cashfree adds values, and polling on an unknown one could never end).
    pub fn is_documented(&self) -> bool {
        self.known
    }

    /// How many status calls were made.
    pub fn polls(&self) -> u32 {
        self.polls
    }

    /// Time from the wait's start to its end.
    pub fn elapsed(&self) -> Duration {
        self.elapsed
    }

    /// How the status was reached: after the create answered, or for a create whose answer was
    /// lost or whose id was used before.
    pub fn resolution(&self) -> Resolution {
        self.resolution
    }
}

impl<T> Deref for Waited<T> {
    type Target = Decoded<T>;

    fn deref(&self) -> &Decoded<T> {
        &self.answer
    }
}

impl<T: std::fmt::Debug> std::fmt::Debug for Waited<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Waited")
            .field("status", &self.status)
            .field("polls", &self.polls)
            .field("resolution", &self.resolution)
            .field("answer", &*self.answer)
            .finish()
    }
}

/// Polls `pair`'s status operation through `call` (given the known ids as (setter, value)) until
/// a terminal status, or fails at `wait`'s deadline naming the last status.
pub(crate) async fn poll<T, F, Fut>(
    pair: &'static Pair,
    wait: &Wait,
    started: &Started,
    resolution: Resolution,
    mut call: F,
) -> Result<Waited<T>, Error>
where
    F: FnMut(Vec<(&'static str, Value)>) -> Fut,
    Fut: Future<Output = Result<Decoded<T>, Error>>,
{
    let start = Instant::now();
    let ids = started.ids(pair);
    if ids.is_empty() {
        return Err(Error::wait_without_ids(pair));
    }
    let mut polls = 0u32;
    loop {
        polls += 1;
        let answer = call(ids.clone()).await?;
        let json: Value = serde_json::from_str(answer.raw_json()).unwrap_or_default();
        let reading = read(pair, &json);
        tracing::debug!(
            target: "cashfree_verification::wait",
            operation = pair.status,
            status = %reading.text,
            poll = polls,
            "status polled"
        );
        if reading.state != State::Pending {
            return Ok(Waited {
                answer,
                status: reading.text,
                known: reading.state == State::Terminal,
                polls,
                elapsed: start.elapsed(),
                resolution,
            });
        }
        let remaining = wait.deadline_after().saturating_sub(start.elapsed());
        if remaining.is_zero() {
            return Err(Error::wait_deadline(
                pair,
                &reading.text,
                polls,
                start.elapsed(),
            ));
        }
        tokio::time::sleep(wait.gap(polls).min(remaining)).await;
    }
}
