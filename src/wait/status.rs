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
    let mut values = Vec::new();
    collect(answer, pair.field.trim_start_matches('/'), &mut values);
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

fn collect(at: &Value, rest: &str, out: &mut Vec<String>) {
    if rest.is_empty() {
        match at {
            Value::String(s) => out.push(s.clone()),
            Value::Null => {}
            other => out.push(other.to_string()),
        }
        return;
    }
    let (segment, tail) = rest.split_once('/').unwrap_or((rest, ""));
    if segment == "*" {
        for item in at.as_array().into_iter().flatten() {
            collect(item, tail, out);
        }
    } else if let Some(next) = at.get(segment.replace("~1", "/").replace("~0", "~")) {
        collect(next, tail, out);
    }
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
        duplicate: &[],
        source: "",
    };

    #[test]
    fn every_element_must_be_terminal_and_none_is_pending() {
        let r = read(&PAIR, &json!({"entries": [{"state": "VALID"}, {"state": "INVALID"}]}));
        assert_eq!((r.text.as_str(), r.state), ("VALID,INVALID", State::Terminal));
        let r = read(&PAIR, &json!({"entries": [{"state": "VALID"}, {"state": "RECEIVED"}]}));
        assert_eq!(r.state, State::Pending);
        assert_eq!(read(&PAIR, &json!({"entries": []})).state, State::Pending);
        let r = read(&PAIR, &json!({"entries": [{"state": "NEW_VALUE"}]}));
        assert_eq!((r.text.as_str(), r.state), ("NEW_VALUE", State::Unknown));
        let top = Pair {
            field: "/status",
            ..PAIR
        };
        assert_eq!(read(&top, &json!({"status": "VALID"})).state, State::Terminal);
        assert_eq!(read(&top, &json!({"status": null})).state, State::Pending);
    }
}
