//! Reading a status answer: the value(s) at the pair's field, and whether they end the wait.

use serde_json::Value;

use super::Pair;

/// What one status answer says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Reading {
    /// The status as text (for a `*` field, the values joined with `,`; empty when none).
    pub text: String,
    pub state: State,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum State {
    /// Keep polling.
    Pending,
    /// Every value is a documented terminal one.
    Terminal,
    /// Finished with a value neither list knows (Cashfree adds values; polling on it could never end).
    Unknown,
}

/// Reads `answer` (the status operation's JSON) at `pair.field`. No value (an empty `entries`, an
/// absent field) is pending: Cashfree answers so while it is still working ("File is being
/// processed").
pub(crate) fn read(pair: &Pair, answer: &Value) -> Reading {
    let values: Vec<String> = cashfree_openapi::wait::at_field(answer, pair.field)
        .values
        .into_iter()
        .filter_map(|v| match v {
            Value::String(s) => Some(s.clone()),
            Value::Null => None,
            other => Some(other.to_string()),
        })
        .collect();
    let text = values.join(",");
    let state = if values.is_empty() || values.iter().any(|v| pair.pending.contains(&v.as_str())) {
        State::Pending
    } else if values.iter().all(|v| pair.terminal.contains(&v.as_str())) {
        State::Terminal
    } else {
        State::Unknown
    };
    Reading { text, state }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const PAIR: Pair = Pair {
        create: "c",
        status: "s",
        ids: &[],
        field: "/entries/*/state",
        pending: &["RECEIVED"],
        terminal: &["VALID", "INVALID"],
        conflicts: &[],
        duplicate: &[],
        source: "",
    };

    #[test]
    fn every_element_must_be_terminal_and_none_is_pending() {
        let r = read(
            &PAIR,
            &json!({"entries": [{"state": "VALID"}, {"state": "INVALID"}]}),
        );
        assert_eq!(
            (r.text.as_str(), r.state),
            ("VALID,INVALID", State::Terminal)
        );
        let r = read(
            &PAIR,
            &json!({"entries": [{"state": "VALID"}, {"state": "RECEIVED"}]}),
        );
        assert_eq!(r.state, State::Pending);
        assert_eq!(read(&PAIR, &json!({"entries": []})).state, State::Pending);
        let r = read(&PAIR, &json!({"entries": [{"state": "NEW_VALUE"}]}));
        assert_eq!((r.text.as_str(), r.state), ("NEW_VALUE", State::Unknown));
        let top = Pair {
            field: "/status",
            ..PAIR
        };
        assert_eq!(
            read(&top, &json!({"status": "VALID"})).state,
            State::Terminal
        );
        assert_eq!(read(&top, &json!({"status": null})).state, State::Pending);
    }
}
