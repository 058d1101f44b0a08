//! What the sandbox remembers between requests (ids it issued, ids already used, tokens, sessions,
//! auth codes, queued scenarios, rate windows, spent balance), each bounded by
//! [`MAX_REMEMBERED_IDS`](super::MAX_REMEMBERED_IDS).

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use serde_json::Value;

use super::config::Config;
use super::remembered::Remembered;
use super::{FaultQueue, MAX_REMEMBERED_IDS, RecordedRequest};

/// The sandbox's memory. Ids are kept as text under their normalised name ([`id_key`]):
/// `verificationId`, `verificationID` and `verification_id` are one name, and `424242` and
/// `"424242"` one value, as they are to Cashfree.
pub(crate) struct State {
    /// (operation id, id field, value) of create calls, for the documented 409 on reuse.
    pub used_ids: Remembered<(String, String, String), ()>,
    /// (id name, value) → the answer that carried it, so a status call agrees with its create.
    pub issued: Remembered<(String, String), Value>,
    pub windows: HashMap<String, (Instant, u32)>,
    pub spent: u64,
    /// Access tokens the sandbox issued (bearer credentials of per-user operations).
    pub tokens: Remembered<String, ()>,
    /// `verification_id`s of 1-Click sessions, which a consent may be given to.
    pub sessions: Remembered<String, ()>,
    /// Auth codes handed out by consent, each good for one token.
    pub auth_codes: Remembered<String, ()>,
    /// Named examples queued per operation id ([`Sandbox::scenario`](super::Sandbox::scenario)).
    pub scenarios: HashMap<String, VecDeque<String>>,
}

impl Default for State {
    fn default() -> Self {
        State {
            used_ids: Remembered::new(MAX_REMEMBERED_IDS),
            issued: Remembered::new(MAX_REMEMBERED_IDS),
            windows: HashMap::new(),
            spent: 0,
            tokens: Remembered::new(MAX_REMEMBERED_IDS),
            sessions: Remembered::new(MAX_REMEMBERED_IDS),
            auth_codes: Remembered::new(MAX_REMEMBERED_IDS),
            scenarios: HashMap::new(),
        }
    }
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
    pub requests: Mutex<VecDeque<RecordedRequest>>,
    pub faults: FaultQueue,
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

    /// Hands out an auth code for the 1-Click session started with `verification_id`, as the user's
    /// consent in Cashfree's SDK would.
    pub fn consent(&self, verification_id: &str) -> Result<String, String> {
        let code = format!("sbx_auth_{}", self.fresh());
        let mut state = self.state();
        if !state.sessions.contains(&verification_id.to_string()) {
            return Err(format!(
                "no 1-Click session was initiated with verification_id {verification_id:?}"
            ));
        }
        state.auth_codes.insert(code.clone(), ());
        Ok(code)
    }

    /// Queues the documented example `name` of operation `operation_id` for its next `times` calls.
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
        let mut state = self.state();
        let queue = state.scenarios.entry(operation_id.to_string()).or_default();
        let room = MAX_REMEMBERED_IDS.saturating_sub(queue.len());
        queue.extend(std::iter::repeat_n(name.to_string(), times.min(room)));
        Ok(())
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
