//! Start a verification and wait for it, never sending its create twice: a create whose answer was
//! lost, or that is refused because its caller id was used before, is looked up through the status
//! operation by that id (when the client opted in), or fails naming the id.

use std::future::Future;

use progenitor_client::ClientInfo;
use serde::Serialize;
use serde_json::Value;

use super::{Pair, Resolution, Started, Wait, Waited, poll};
use crate::retry::RetryAction;
use crate::wire::Decoded;
use crate::{Client, Error};

/// Sends `body` through `create` once, then polls `pair`'s status through `status`.
pub(crate) async fn create_then_wait<B, C, T, FC, FutC, FS, FutS>(
    client: &Client,
    pair: &'static Pair,
    wait: &Wait,
    body: B,
    create: FC,
    status: FS,
) -> Result<Waited<T>, Error>
where
    B: Serialize,
    FC: FnOnce(B) -> FutC,
    FutC: Future<Output = Result<Decoded<C>, Error>>,
    FS: FnMut(Vec<(&'static str, Value)>) -> FutS,
    FutS: Future<Output = Result<Decoded<T>, Error>>,
{
    let started = Started::from_request(&body);
    let error = match create(body).await {
        Ok(answer) => {
            let started = started.with_answer(&answer);
            return poll(pair, wait, &started, Resolution::Created, status).await;
        }
        Err(error) => error,
    };
    let resolution = if error.retry_action() == RetryAction::Forbidden {
        Resolution::AnswerLost
    } else if error
        .code()
        .is_some_and(|c| pair.duplicate.contains(&c.as_str()))
    {
        Resolution::DuplicateId
    } else {
        return Err(error);
    };
    let id = pair
        .caller_id()
        .and_then(|name| started.request_value(name).map(|v| (name, v)));
    let Some((name, value)) = id else {
        return Err(error.with_first_attempt(None, Some(pair.status), false));
    };
    let value = text(value);
    if !client.inner().0.resolve_ambiguous_creates {
        return Err(error.with_first_attempt(Some((name, &value)), Some(pair.status), false));
    }
    poll(pair, wait, &started, resolution, status)
        .await
        .map_err(|e| e.with_first_attempt(Some((name, &value)), Some(pair.status), true))
}

fn text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}
