//! Which documented success example answers a request.
//!
//! The rule, the same whatever the feature set or the order of the document's maps:
//!
//! 1. the example that agrees most with the request's values (a string or number anywhere in the
//!    body, a query or path parameter, or the record a status call looks up; text compared
//!    ignoring case): first the values it holds under the same name, less those it holds
//!    differently under that name (POST /upi with `expired@upi` gets "Expired", not "Valid" with
//!    `success@upi`); then the values it holds under a name that starts with the request's and `_`
//!    (`name` matches `name_provided`: POST /pan with `ABCPV1234D` / `John Doe` gets "Valid PAN
//!    Individual", not "Invalid PAN" whose `name_provided` is null);
//! 2. on a tie, the one that shares the most with the operation's documented request (the
//!    documented default);
//! 3. then the one with the most non-null values (the fullest answer: "Valid account" before
//!    "Account blocked");
//! 4. then the first by name.
//!
//! Cashfree's sandbox test values are those of its documentation (POST /pan's `ABCPV1234D`, the
//! bank account `026291800001191` / `YESB0000262` of its webhook example), so the same values give
//! the documented outcomes here. Cashfree's test-data pages, as found:
//! <https://docs.cashfree.com/reference/verification-suite-end-points> ("End Points and Test
//! Data"), <https://docs.cashfree.com/reference/verify-pan-sync> (VALID / Invalid PAN),
//! <https://docs.cashfree.com/reference/sync-bav-v2> (ACCOUNT_IS_VALID, ACCOUNT_BLOCKED, ...).

use serde_json::Value;

use super::spec::Example;

/// The example of `examples` that answers `request` ([the rule](self)); `None` if there is none.
pub(crate) fn choose<'a>(
    examples: &'a [Example],
    request: &Value,
    documented_request: &Value,
) -> Option<&'a Example> {
    let sent = leaves(request);
    let documented = leaves(documented_request);
    examples.iter().min_by(|a, b| {
        let key = |e: &Example| {
            let held = leaves(&e.value);
            (
                std::cmp::Reverse(agreement(&sent, &held)),
                std::cmp::Reverse(agreement(&documented, &held)),
                std::cmp::Reverse(held.len()),
            )
        };
        key(a).cmp(&key(b)).then_with(|| a.name.cmp(&b.name))
    })
}

/// (name, lower-case text) of every non-empty string or number in `value`, at any depth.
fn leaves(value: &Value) -> Vec<(String, String)> {
    let mut out = Vec::new();
    walk(value, "", &mut out, 0);
    out
}

fn walk(value: &Value, name: &str, out: &mut Vec<(String, String)>, depth: u32) {
    if depth > 32 {
        return;
    }
    match value {
        Value::Object(map) => map.iter().for_each(|(k, v)| walk(v, k, out, depth + 1)),
        Value::Array(items) => items.iter().for_each(|v| walk(v, name, out, depth + 1)),
        Value::String(s) if !s.trim().is_empty() => {
            out.push((name.to_string(), s.trim().to_lowercase()))
        }
        Value::Number(n) => out.push((name.to_string(), n.to_string())),
        Value::Bool(b) => out.push((name.to_string(), b.to_string())),
        _ => {}
    }
}

/// How well the example (`held`) agrees with `sent`: (values held under the same name less those
/// held differently under it, values held under a longer name starting with `name_`).
fn agreement(sent: &[(String, String)], held: &[(String, String)]) -> (i64, usize) {
    let mut exact = 0i64;
    let mut prefixed = 0;
    for (name, text) in sent {
        let same_name: Vec<&String> = held
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v)
            .collect();
        if same_name.contains(&text) {
            exact += 1;
        } else if !same_name.is_empty() {
            exact -= 1;
        } else if held.iter().any(|(k, v)| {
            v == text
                && k.strip_prefix(name.as_str())
                    .is_some_and(|rest| rest.starts_with('_'))
        }) {
            prefixed += 1;
        }
    }
    (exact, prefixed)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn example(name: &str, value: Value) -> Example {
        Example {
            name: name.into(),
            value,
        }
    }

    #[test]
    fn the_request_values_then_the_documented_request_then_fullness_then_name_decide() {
        let examples = [
            example(
                "Invalid PAN",
                json!({"pan": "ABCPV1234D", "valid": false, "name_provided": null}),
            ),
            example(
                "Valid PAN",
                json!({"pan": "ABCPV1234D", "valid": true, "name_provided": "JOHN DOE"}),
            ),
            example(
                "Other",
                json!({"pan": "XYZAB1234C", "valid": true, "name_provided": "JANE"}),
            ),
        ];
        let pick = |request: Value, documented: Value| {
            choose(&examples, &request, &documented)
                .unwrap()
                .name
                .clone()
        };
        assert_eq!(
            pick(json!({"pan": "ABCPV1234D", "name": "John Doe"}), json!({})),
            "Valid PAN"
        );
        assert_eq!(pick(json!({"pan": "XYZAB1234C"}), json!({})), "Other");
        // Nothing shared: the documented request decides.
        assert_eq!(
            pick(json!({"pan": "QQQQQ0000Q"}), json!({"pan": "XYZAB1234C"})),
            "Other"
        );
        // Still a tie: the fullest, then by name.
        assert_eq!(pick(json!({}), json!({})), "Other");
        let reversed: Vec<Example> = examples.iter().rev().cloned().collect();
        assert_eq!(
            choose(&reversed, &json!({}), &json!({})).unwrap().name,
            "Other",
            "the order of the examples does not matter"
        );
    }
}
