//! Statuses over time: after a create that has an `x-cashfree-wait` entry ([`waits`]),
//! its status operation answers *pending* until the asynchronous delay has passed since the create,
//! then what it answers without a delay.
//!
//! The delay is the sandbox's [`async_delay`](crate::SandboxBuilder::async_delay) (zero by default:
//! finished at once), or, for one create, the [`ASYNC_DELAY_HEADER`] it was sent with (from any
//! language: `x-sandbox-async-delay-ms: 200`).
//!
//! The pending answer is the status operation's documented success example whose status field
//! holds one of the entry's `pending` values (for a field under `*`, an example with an empty
//! array counts too: GET /pan/bulk's "File not processed"), chosen among those as any answer is
//! ([`choice`](super::choice)). Where the status operation documents no such example (GET
//! /bank-account has only finished ones), the sandbox takes the answer it would give and writes
//! the entry's first pending value into the status field only. Likewise, once finished, where every
//! documented example is pending (GET /aa/fi documents only `ACTIVE`), it writes the entry's first
//! terminal value (`SUCCESS`), so a wait on it ends. These are the only places the sandbox writes a
//! value no example shows, and each value is one the reviewed entry documents from Cashfree's text.
//! An entry without pending values and without such an example (POST /pan's status) is finished at
//! once.
//!
//! The status call finds its create by the ids the create left ([`Issued`]): every id of its
//! answer and request as always, and each of the entry's linking ids under the status parameter's
//! name (`verificationID` takes the create's `verification_id`).

use std::time::{Duration, Instant};

use serde_json::{Value, json};

use super::http::{HttpRequest, HttpResponse};
use super::refusal::{Checked, Refusal};
use super::spec::{Example, OpSpec};
use super::state::{Issued, Shared, id_key};
use super::waits::{self, Status as _, Wait};

/// The header a create may carry to set its own asynchronous delay, in milliseconds.
pub const ASYNC_DELAY_HEADER: &str = "x-sandbox-async-delay-ms";

/// The asynchronous delay for this request: its [`ASYNC_DELAY_HEADER`], else the sandbox's
/// setting. A header that is not a whole number of milliseconds is refused (400
/// `async_delay_value_invalid`) rather than ignored.
pub(crate) fn delay(shared: &Shared, request: &HttpRequest) -> Checked<Duration> {
    let Some(text) = request.header(ASYNC_DELAY_HEADER) else {
        return Ok(shared.config.async_delay);
    };
    match text.trim().parse::<u64>() {
        Ok(ms) => Ok(Duration::from_millis(ms)),
        Err(_) => Err(Refusal::violation(
            HttpResponse::json(
                400,
                &json!({"type": "validation_error", "code": "async_delay_value_invalid",
                        "message": format!("{ASYNC_DELAY_HEADER} must be a whole number of milliseconds, not {text:?}")}),
            ),
            format!("{ASYNC_DELAY_HEADER} {text:?} is not a number"),
        )),
    }
}

/// The entries whose create is `op`.
fn entries_of<'a>(shared: &'a Shared, op: &'a OpSpec) -> impl Iterator<Item = &'a Wait> + 'a {
    shared
        .config
        .waits
        .iter()
        .filter(move |w| w.create == op.operation_id)
}

/// When the verification `op` starts (now) finishes, after `delay`: `None` when at once (no
/// delay, or `op` is no create with an entry).
pub(crate) fn finishes_at(shared: &Shared, op: &OpSpec, delay: Duration) -> Option<Instant> {
    (!delay.is_zero() && entries_of(shared, op).next().is_some()).then(|| Instant::now() + delay)
}

/// The keys a create is remembered under besides the ids it carries: each linking id of its
/// entries under the status parameter's name, valued from the request (`values`) or the answer.
pub(crate) fn link_keys(
    shared: &Shared,
    op: &OpSpec,
    values: &Value,
    answer: &Value,
) -> Vec<(String, String)> {
    entries_of(shared, op)
        .flat_map(|w| w.ids.iter())
        .filter_map(|id| id_key(&id.parameter, waits::id_value(id, values, answer)?))
        .collect()
}

/// What a status call of a create-then-poll pair answers, where its usual choice would not do.
#[derive(Debug)]
pub(crate) enum Timed<'a> {
    /// A documented example: a pending one while pending; once finished, a finished one (the
    /// usual choice among the examples that are not pending).
    Example(Example),
    /// While pending, where no pending example is documented: the usual answer with this
    /// pending value written at the entry's field.
    Write(&'a Wait, &'a str),
}

/// The answer of status call `op` on `record` (what the create it names left), if `op` is that
/// create's status operation (see [the rule](self)): pending until the create's verification
/// finishes, then finished. `values` are the request's, for the choice among examples; `None`
/// leaves the usual answer.
pub(crate) fn answer<'a>(
    shared: &'a Shared,
    op: &OpSpec,
    record: Option<&Issued>,
    values: &Value,
) -> Option<Timed<'a>> {
    let record = record?;
    let wait = shared
        .config
        .waits
        .iter()
        .find(|w| w.create == record.by && w.status == op.operation_id)?;
    let pending = record.finished_at.is_some_and(|at| Instant::now() < at);
    let wanted: Vec<Example> = op
        .success()
        .1
        .into_iter()
        .flat_map(|r| &r.examples)
        .filter(|e| wait.is_pending(&e.value) == pending)
        .cloned()
        .collect();
    if let Some(chosen) = super::choice::choose(&wanted, values, &op.request_example) {
        return Some(Timed::Example(chosen.clone()));
    }
    let listed = if pending {
        &wait.pending
    } else {
        &wait.terminal
    };
    Some(Timed::Write(wait, listed.first()?.as_str()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;

    /// A sandbox's state with the merged document's pairs.
    fn shared_with(delay: Duration) -> Shared {
        Shared::new(Config {
            async_delay: delay,
            ..Config::default()
        })
    }

    fn op(id: &str) -> &'static OpSpec {
        crate::spec::operations()
            .iter()
            .find(|o| o.operation_id == id)
            .expect("the sandbox's tests build every product")
    }

    fn request(headers: &[(&str, &str)]) -> HttpRequest {
        HttpRequest {
            method: "POST".into(),
            target: "/".into(),
            headers: headers
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            body: vec![],
        }
    }

    #[test]
    fn the_header_sets_one_creates_delay_and_a_bad_one_is_refused() {
        let shared = shared_with(Duration::from_millis(5));
        assert_eq!(
            delay(&shared, &request(&[])).unwrap(),
            Duration::from_millis(5)
        );
        let one = request(&[(ASYNC_DELAY_HEADER, "200")]);
        assert_eq!(delay(&shared, &one).unwrap(), Duration::from_millis(200));
        let bad = delay(&shared, &request(&[(ASYNC_DELAY_HEADER, "soon")])).unwrap_err();
        assert_eq!(bad.response.status, 400);
        // Only creates with an entry wait; a zero delay is finished at once.
        let long = Duration::from_secs(60);
        assert!(finishes_at(&shared, op("VrsBavAsync"), long).is_some());
        assert!(finishes_at(&shared, op("VrsBavAsync"), Duration::ZERO).is_none());
        assert!(finishes_at(&shared, op("VrsBavSync"), long).is_none());
    }

    #[test]
    fn a_pending_example_answers_else_the_first_pending_value_is_written() {
        let shared = shared_with(Duration::ZERO);
        let record = |by: &'static str, finished_at| Issued {
            ids: json!({}),
            by,
            finished_at,
        };
        let later = Some(Instant::now() + Duration::from_secs(60));
        let values = json!({});
        let bav = op("VrsBavGetStatus");
        // GET /bank-account documents only finished answers: RECEIVED is written.
        match answer(&shared, bav, Some(&record("VrsBavAsync", later)), &values) {
            Some(Timed::Write(w, v)) => {
                assert_eq!((w.field.as_str(), v), ("/account_status", "RECEIVED"))
            }
            other => panic!("{other:?}"),
        }
        // GET /pan/bulk documents "File not processed" (no entries yet), then "SUCCESS".
        let bulk = op("VrsFetchBulkPanDetails");
        let name = |timed: Option<Timed>| match timed {
            Some(Timed::Example(e)) => e.name,
            other => panic!("{other:?}"),
        };
        let by = "VrsBulkPanVerification";
        let pending = answer(&shared, bulk, Some(&record(by, later)), &values);
        assert_eq!(name(pending), "File not processed");
        let finished = answer(&shared, bulk, Some(&record(by, None)), &values);
        assert_eq!(name(finished), "SUCCESS");
        // Finished, or made by another create: the usual answer.
        let past = Some(Instant::now() - Duration::from_millis(1));
        let usual = |by, at| answer(&shared, bav, Some(&record(by, at)), &values);
        assert!(matches!(
            usual("VrsBavAsync", past),
            Some(Timed::Example(_))
        ));
        assert!(usual("VrsBavSync", later).is_none());
        assert!(answer(&shared, bav, None, &values).is_none());
        // GET /aa/fi documents only ACTIVE (pending): once finished, SUCCESS is written.
        let fi = op("VrsAaFetchFiData");
        match answer(&shared, fi, Some(&record("VrsAaRequestFi", None)), &values) {
            Some(Timed::Write(w, v)) => assert_eq!((w.field.as_str(), v), ("/status", "SUCCESS")),
            other => panic!("{other:?}"),
        }
        assert!(matches!(
            answer(&shared, fi, Some(&record("VrsAaRequestFi", later)), &values),
            Some(Timed::Example(_))
        ));
    }

    #[test]
    fn linking_ids_are_remembered_under_the_status_parameters_name() {
        let shared = shared_with(Duration::ZERO);
        let keys = link_keys(
            &shared,
            op("VrsBavAsync"),
            &json!({"user_id": "u-1"}),
            &json!({"reference_id": 7}),
        );
        let text = |a: &str, b: &str| (a.to_string(), b.to_string());
        assert_eq!(keys, [text("userid", "u-1"), text("referenceid", "7")]);
    }
}
