//! What the sandbox remembers between requests (ids it issued, ids already used, tokens, sessions,
//! auth codes, queued scenarios, rate windows, spent balance), each bounded by count
//! ([`MAX_REMEMBERED_IDS`]) and by bytes
//! ([`MAX_REMEMBERED_BYTES`]), the oldest forgotten first.

use std::collections::{HashMap, VecDeque};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use serde_json::{Map, Value};

use super::config::Config;
use super::recorded::{FaultQueue, RequestLog};
use super::remembered::{Footprint, Remembered};
use super::spec::OpSpec;
use super::{MAX_REMEMBERED_BYTES, MAX_REMEMBERED_IDS};

/// Most conformance failures kept ([`Sandbox::conformance_failures`](super::Sandbox::conformance_failures)).
pub(crate) const MAX_CONFORMANCE_FAILURES: usize = 1000;

/// An access token the sandbox issued: good only for the operations of the product (spec tag)
/// whose operation issued it, until the expiry its answer stated.
#[derive(Debug, Clone)]
pub(crate) struct Grant {
    /// The operation that issued it (`POST /oauth2/generate-token`).
    pub issuer: &'static OpSpec,
    /// Unix seconds from which it is refused: the expiry the issuing answer carried, if it had one.
    pub expires_at: Option<i64>,
}

impl Grant {
    /// Whether this token may be used, at `now` (Unix seconds), for `op`: `Err` says why not.
    pub fn allows(&self, op: &OpSpec, now: i64) -> Result<(), String> {
        if !self.issuer.tags.iter().any(|t| op.tags.contains(t)) {
            return Err(format!(
                "token issued by {} {} ({}), not for {} ({})",
                self.issuer.method,
                self.issuer.path,
                self.issuer.tags.join(", "),
                op.path,
                op.tags.join(", ")
            ));
        }
        match self.expires_at {
            Some(at) if now >= at => Err(format!("token expired at {at} (now {now})")),
            _ => Ok(()),
        }
    }
}

/// What a create leaves for its status calls: only the ids of its answer (all a status call
/// reads), which operation made it, and when its verification finishes
/// ([`timeline`](super::timeline)).
#[derive(Debug)]
pub(crate) struct Issued {
    /// The ids of the create's answer ([`record_of`]).
    pub ids: Value,
    /// The create's operationId.
    pub by: &'static str,
    /// When its status stops answering pending; `None`: finished at once.
    pub finished_at: Option<Instant>,
}

impl Footprint for Issued {
    fn footprint(&self) -> usize {
        self.ids.footprint()
    }
}

impl Footprint for Grant {
    fn footprint(&self) -> usize {
        0
    }
}

/// The sandbox's memory. Ids are kept as text under their normalised name ([`id_key`]):
/// `verificationId`, `verificationID` and `verification_id` are one name, and `424242` and
/// `"424242"` one value, as they are to Cashfree.
pub(crate) struct State {
    /// (operation id, id field, value) of create calls, for the documented 409 on reuse.
    pub used_ids: Remembered<(String, String, String), ()>,
    /// (id name, value) → what the create that carried it left ([`Issued`]), so a status call
    /// agrees with its create. One copy serves every key.
    pub issued: Remembered<(String, String), Arc<Issued>>,
    pub windows: HashMap<String, (Instant, u32)>,
    pub spent: u64,
    /// Access tokens the sandbox issued (bearer credentials of per-user operations).
    pub tokens: Remembered<String, Grant>,
    /// `verification_id`s of 1-Click sessions, which a consent may be given to, with the Unix
    /// time their answer said they expire.
    pub sessions: Remembered<String, Option<i64>>,
    /// Auth codes handed out by consent, each good for one token.
    pub auth_codes: Remembered<String, ()>,
    /// Named examples queued per operation id ([`Sandbox::scenario`](super::Sandbox::scenario)),
    /// as runs of (name, calls left); at most [`MAX_REMEMBERED_IDS`] calls queued in all.
    pub scenarios: HashMap<&'static str, VecDeque<(&'static str, usize)>>,
}

impl Default for State {
    fn default() -> Self {
        fn remembered<K: Eq + std::hash::Hash + Footprint, V: Footprint>() -> Remembered<K, V> {
            Remembered::new(MAX_REMEMBERED_IDS, MAX_REMEMBERED_BYTES)
        }
        State {
            used_ids: remembered(),
            issued: remembered(),
            windows: HashMap::new(),
            spent: 0,
            tokens: remembered(),
            sessions: remembered(),
            auth_codes: remembered(),
            scenarios: HashMap::new(),
        }
    }
}

impl State {
    /// The next queued example name for `operation_id`, if any.
    pub fn next_scenario(&mut self, operation_id: &str) -> Option<&'static str> {
        let queue = self.scenarios.get_mut(operation_id)?;
        let (name, left) = queue.front_mut()?;
        let name = *name;
        *left -= 1;
        if *left == 0 {
            queue.pop_front();
        }
        if queue.is_empty() {
            self.scenarios.remove(operation_id);
        }
        Some(name)
    }

    /// Calls queued for every operation together.
    fn queued_scenarios(&self) -> usize {
        self.scenarios.values().flatten().map(|(_, n)| n).sum()
    }

    /// Forgets rate windows that are over, once there are many (a client may come from any of
    /// 127.0.0.0/8), so the map holds only windows still counting.
    pub fn prune_windows(&mut self, longest: Duration, now: Instant) {
        if self.windows.len() > 1024 {
            self.windows
                .retain(|_, (start, _)| now.duration_since(*start) < longest);
        }
    }
}

/// The ids of an answer, as the record a status call reads (its other fields are never read).
pub(crate) fn record_of(out: &Value) -> Value {
    let ids = out
        .as_object()
        .into_iter()
        .flatten()
        .filter(|(k, _)| is_id(k))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect::<Map<String, Value>>();
    Value::Object(ids)
}

/// An id's name as the sandbox compares it: lower case without `_` (`verificationId` and
/// `verification_id` are one).
pub(crate) fn id_name(name: &str) -> String {
    name.chars()
        .filter(|c| *c != '_' && *c != '-')
        .flat_map(char::to_lowercase)
        .collect()
}

/// Whether a field or parameter named `name` holds an id (`reference_id`, `verificationId`,
/// `consent_ref_id`, `user_id`).
pub(crate) fn is_id(name: &str) -> bool {
    id_name(name).ends_with("id")
}

/// A scalar's text: strings as they are, numbers in JSON; `None` for anything else or `""`.
pub(crate) fn scalar_text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) if !s.is_empty() => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// The key an id is remembered under.
pub(crate) fn id_key(name: &str, value: &Value) -> Option<(String, String)> {
    Some((id_name(name), scalar_text(value)?))
}

/// What the server tasks share with the [`Sandbox`](super::Sandbox) handle.
pub(crate) struct Shared {
    pub config: Config,
    pub requests: Mutex<RequestLog>,
    pub faults: FaultQueue,
    /// At most [`MAX_CONFORMANCE_FAILURES`], the first ones ([`Shared::conformance_failure`]).
    pub conformance: Mutex<Vec<String>>,
    state: Mutex<State>,
    counter: AtomicU64,
}

impl Shared {
    pub fn new(config: Config) -> Self {
        Shared {
            config,
            requests: Mutex::default(),
            faults: Mutex::default(),
            conformance: Mutex::default(),
            state: Mutex::default(),
            counter: AtomicU64::new(0),
        }
    }

    /// How long a request head may take, and a kept-alive connection may idle.
    pub fn read_timeout(&self) -> Duration {
        self.config.read_timeout
    }

    /// The state, locked (a panic elsewhere does not poison it for good).
    pub fn state(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The request log, locked.
    pub fn requests(&self) -> std::sync::MutexGuard<'_, RequestLog> {
        self.requests.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Notes a made-up body that does not match its schema; past [`MAX_CONFORMANCE_FAILURES`] the
    /// first ones are kept (one is already a failure), the rest dropped.
    pub fn conformance_failure(&self, failure: String) {
        let mut failures = self.conformance.lock().unwrap_or_else(|e| e.into_inner());
        if failures.len() < MAX_CONFORMANCE_FAILURES {
            failures.push(failure);
        }
    }

    /// Hands out an auth code for the 1-Click session started with `verification_id`, as the user's
    /// consent in Cashfree's SDK would: not for a session never initiated, forgotten, or past the
    /// expiry its answer stated.
    pub fn consent(&self, verification_id: &str) -> Result<String, String> {
        let code = format!("sbx_auth_{}", self.fresh());
        let mut state = self.state();
        match state.sessions.get(&verification_id.to_string()) {
            None => {
                return Err(format!(
                    "no 1-Click session was initiated with verification_id {verification_id:?}"
                ));
            }
            Some(Some(at)) if super::dates::unix_now() >= *at => {
                return Err(format!(
                    "the 1-Click session initiated with verification_id {verification_id:?} expired"
                ));
            }
            Some(_) => {}
        }
        state.auth_codes.insert(code.clone(), ());
        Ok(code)
    }

    /// Queues the documented example `name` of operation `operation_id` for its next `times` calls
    /// (as many of them as fit under [`MAX_REMEMBERED_IDS`] calls queued in all).
    pub fn scenario(&self, operation_id: &str, name: &str, times: usize) -> Result<(), String> {
        let op = super::spec::operations()
            .iter()
            .find(|o| o.operation_id == operation_id)
            .ok_or_else(|| format!("no operation {operation_id:?} in this sandbox's spec"))?;
        if !op.examples().any(|(_, e)| e.name == name) {
            let names: Vec<String> = op
                .examples()
                .map(|(status, e)| format!("{status} {:?}", e.name))
                .collect();
            return Err(format!(
                "{operation_id} documents no example {name:?}; it documents {}",
                names.join(", ")
            ));
        }
        let name = op
            .examples()
            .map(|(_, e)| e.name.as_str())
            .find(|n| *n == name)
            .expect("checked above");
        let mut state = self.state();
        let times = times.min(MAX_REMEMBERED_IDS.saturating_sub(state.queued_scenarios()));
        if times == 0 {
            return Ok(());
        }
        let queue = state.scenarios.entry(op.operation_id.as_str()).or_default();
        match queue.back_mut() {
            Some((last, left)) if *last == name => *left += times,
            _ => queue.push_back((name, times)),
        }
        Ok(())
    }

    /// Applies `fault` to the next `times` requests, after those queued; at most
    /// [`MAX_REMEMBERED_IDS`] queued in all (the fault route is reachable by any client).
    pub fn inject(&self, fault: super::Fault, times: usize) -> usize {
        let mut faults = self.faults.lock().unwrap_or_else(|e| e.into_inner());
        let times = times.min(MAX_REMEMBERED_IDS.saturating_sub(faults.len()));
        faults.extend(std::iter::repeat_n(fault, times));
        times
    }

    /// A fresh, unguessable-enough token (hex).
    pub fn fresh(&self) -> String {
        let n = self.counter.fetch_add(1, Ordering::Relaxed);
        let nanos = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or(0);
        format!(
            "{:016x}{n:08x}",
            (nanos as u64).rotate_left(17) ^ n.wrapping_mul(0x9e37_79b9_7f4a_7c15)
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_grant_opens_its_issuers_product_until_its_expiry() {
        let op = |method: &str, path: &str| {
            super::super::spec::operations()
                .iter()
                .find(|o| o.method == method && o.path == path)
                .expect("the sandbox's tests build every product")
        };
        let one_click = op("POST", "/oauth2/generate-token");
        let vkyc = op("POST", "/oauth/token");
        let details = op("GET", "/oauth2/user-details");
        let grant = |issuer, expires_at| Grant { issuer, expires_at };
        assert_eq!(grant(one_click, Some(100)).allows(details, 99), Ok(()));
        assert_eq!(grant(one_click, None).allows(details, i64::MAX), Ok(()));
        let expired = grant(one_click, Some(100))
            .allows(details, 100)
            .unwrap_err();
        assert!(expired.contains("expired at 100"), "{expired}");
        let elsewhere = grant(vkyc, None).allows(details, 0).unwrap_err();
        assert!(elsewhere.contains("/oauth/token"), "{elsewhere}");
    }

    #[test]
    fn ids_compare_by_normalised_name_and_text() {
        assert_eq!(id_name("verificationId"), id_name("verification_id"));
        assert_eq!(id_name("referenceID"), "referenceid");
        assert!(is_id("consent_ref_id") && is_id("ref_id") && !is_id("pan"));
        assert_eq!(
            id_key("reference_id", &json!(42)),
            id_key("referenceId", &json!("42"))
        );
        assert_eq!(id_key("reference_id", &json!("")), None);
    }
}
