//! The expected-failure list (`sdk-tests/expected-failures.txt`) and its comparison with what the
//! SDK scripts reported: a failure not on the list fails the test, and so does a listed failure
//! that now passes or names an operation the SDK does not have, so the list stays true.
//!
//! The file has one entry a line, `SDK OPERATION REASON...`; `#` starts a comment line:
//!
//! ```text
//! # Cashfree's SDK calls a path Cashfree's spec does not document.
//! node VrsFaceLivenessCheck POST /face-liveness is not in Cashfree's spec (liveness is POST /liveliness)
//! ```

use std::collections::BTreeMap;

/// One operation's result line, as a script printed it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    /// `python` or `node`.
    pub sdk: String,
    /// The SDK's own name for the operation (`vrs_pan_verification`, `VrsPanVerification`).
    pub operation: String,
    /// `"POST /pan"`, as the SDK sends it.
    pub request: String,
    /// The call returned and the SDK read the answer.
    pub ok: bool,
    /// The HTTP status, when an answer arrived.
    pub status: Option<u16>,
    /// Why it failed (empty when `ok`).
    pub reason: String,
}

/// `(sdk, operation)` to the reason it is expected to fail.
pub type ExpectedFailures = BTreeMap<(String, String), String>;

/// Parses the list.
///
/// # Errors
/// A line without a reason, or an entry listed twice, with its line number.
pub fn parse(text: &str) -> Result<ExpectedFailures, String> {
    let mut expected = ExpectedFailures::new();
    for (number, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let mut words = line.splitn(3, char::is_whitespace);
        let (Some(sdk), Some(operation), Some(reason)) = (words.next(), words.next(), words.next())
        else {
            return Err(format!(
                "line {}: want `SDK OPERATION REASON`: {line}",
                number + 1
            ));
        };
        let reason = reason.trim();
        if reason.is_empty() {
            return Err(format!("line {}: no reason given: {line}", number + 1));
        }
        let key = (sdk.to_string(), operation.to_string());
        if expected.insert(key, reason.to_string()).is_some() {
            return Err(format!(
                "line {}: {sdk} {operation} listed twice",
                number + 1
            ));
        }
    }
    Ok(expected)
}

/// Everything that disagrees between the outcomes of `sdk` and the list, one message each; empty
/// when the list is exactly the failures.
pub fn disagreements(sdk: &str, outcomes: &[Outcome], expected: &ExpectedFailures) -> Vec<String> {
    let mut problems = Vec::new();
    for outcome in outcomes {
        let listed = expected.get(&(sdk.to_string(), outcome.operation.clone()));
        match (outcome.ok, listed) {
            (false, None) => problems.push(format!(
                "{sdk} {} ({}) failed and is not an expected failure: {}",
                outcome.operation, outcome.request, outcome.reason
            )),
            (true, Some(reason)) => problems.push(format!(
                "{sdk} {} ({}) now passes: take it off the expected-failure list (it said: {reason})",
                outcome.operation, outcome.request
            )),
            _ => {}
        }
    }
    for (listed_sdk, operation) in expected.keys().filter(|(s, _)| s == sdk) {
        if !outcomes.iter().any(|o| &o.operation == operation) {
            problems.push(format!(
                "{listed_sdk} {operation} is on the expected-failure list but the SDK has no such operation"
            ));
        }
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    fn outcome(operation: &str, ok: bool) -> Outcome {
        Outcome {
            sdk: "node".into(),
            operation: operation.into(),
            request: "POST /x".into(),
            ok,
            status: Some(if ok { 200 } else { 404 }),
            reason: if ok { String::new() } else { "HTTP 404".into() },
        }
    }

    #[test]
    fn the_list_is_read_with_comments_and_reasons() {
        let list = parse("# why\n\nnode A  the reason, with spaces\npython B r\n").unwrap();
        assert_eq!(
            list[&("node".into(), "A".into())],
            "the reason, with spaces"
        );
        assert_eq!(list.len(), 2);
        assert!(parse("node A\n").unwrap_err().contains("line 1"));
        assert!(parse("node A r\nnode A s\n").unwrap_err().contains("twice"));
    }

    #[test]
    fn unexpected_failures_stale_entries_and_unknown_names_are_all_reported() {
        let list = parse("node Listed r\nnode Fixed r\nnode Gone r\npython Other r\n").unwrap();
        let outcomes = [
            outcome("Listed", false),
            outcome("Fixed", true),
            outcome("New", false),
            outcome("Fine", true),
        ];
        let problems = disagreements("node", &outcomes, &list);
        assert_eq!(problems.len(), 3, "{problems:#?}");
        assert!(problems[0].starts_with("node Fixed") && problems[0].contains("now passes"));
        assert!(problems[1].starts_with("node New") && problems[1].contains("not an expected"));
        assert!(problems[2].starts_with("node Gone") && problems[2].contains("no such operation"));
    }
}
