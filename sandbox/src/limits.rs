//! Length limits Cashfree documents in its error examples but not in its schemas.
//!
//! POST /pan's schema says only `pan: string`, yet the operation documents `pan_length_short`
//! ("Enter valid PAN."); POST /bank-account/sync documents "phone should include a minimum of 8
//! characters." and "bank_account can include a maximum of 40 characters.". Cashfree enforces
//! those, so the sandbox does too:
//!
//! - `<field>_length_exceeded` / `<field>_length_short` whose message names "maximum of N" /
//!   "minimum of N" give that N;
//! - `<field>_length_short` whose message names no number gives the length of the field's shortest
//!   documented value (its schema `example`/`default`, the documented request): PAN's
//!   `ABCPV1234D` makes 10.

use serde_json::Value;

use cashfree_openapi::resolve;

use super::schema::Limits;

/// The limits `errors` (documented error bodies) state for the fields of `request_schema`, whose
/// documented values are also read from `request_example`.
pub(crate) fn documented<'a>(
    doc: &Value,
    errors: impl Iterator<Item = &'a Value>,
    request_schema: Option<&Value>,
    request_example: &Value,
) -> Limits {
    let mut limits = Limits::new();
    for error in errors {
        let (Some(code), message) = (
            error.get("code").and_then(Value::as_str),
            error.get("message").and_then(Value::as_str).unwrap_or(""),
        ) else {
            continue;
        };
        if let Some(field) = code.strip_suffix("_length_exceeded")
            && let Some(max) = number_after(message, "maximum of")
        {
            limits.entry(field.to_string()).or_default().1 = Some(max);
        } else if let Some(field) = code.strip_suffix("_length_short") {
            let min = number_after(message, "minimum of").or_else(|| {
                let mut values = Vec::new();
                if let Some(schema) = request_schema {
                    documented_values(doc, schema, field, &mut values, 0);
                }
                values.extend(
                    request_example
                        .get(field)
                        .and_then(Value::as_str)
                        .map(String::from),
                );
                values
                    .iter()
                    .map(|v| v.chars().count() as u64)
                    .filter(|n| *n > 0)
                    .min()
            });
            if let Some(min) = min {
                limits.entry(field.to_string()).or_default().0 = Some(min);
            }
        }
    }
    limits
}

/// The first whole number after `marker` in `message`.
fn number_after(message: &str, marker: &str) -> Option<u64> {
    let rest = &message[message.find(marker)? + marker.len()..];
    let digits: String = rest
        .trim_start()
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    digits.parse().ok()
}

/// The string `example`s and `default`s of every property named `field` in `schema`.
fn documented_values(doc: &Value, schema: &Value, field: &str, out: &mut Vec<String>, depth: u32) {
    if depth > 16 {
        return;
    }
    let schema = resolve(doc, schema);
    if let Some(props) = schema.get("properties").and_then(Value::as_object) {
        for (name, prop) in props {
            let prop = resolve(doc, prop);
            if name == field {
                for key in ["example", "default"] {
                    out.extend(prop.get(key).and_then(Value::as_str).map(String::from));
                }
            }
            documented_values(doc, prop, field, out, depth + 1);
        }
    }
    if let Some(items) = schema.get("items") {
        documented_values(doc, items, field, out, depth + 1);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn limits_come_from_messages_then_from_documented_values() {
        let doc = json!({});
        let errors = [
            json!({"code": "phone_length_short", "message": "phone should include a minimum of 8 characters."}),
            json!({"code": "phone_length_exceeded", "message": "phone can include a maximum of 13 characters."}),
            json!({"code": "pan_length_short", "message": "Enter valid PAN."}),
            json!({"code": "name_length_exceeded", "message": "name is too long"}),
        ];
        let schema = json!({"properties": {"pan": {"type": "string", "example": "ABCPV1234D"}}});
        let limits = documented(&doc, errors.iter(), Some(&schema), &json!({}));
        assert_eq!(limits["phone"], (Some(8), Some(13)));
        assert_eq!(limits["pan"], (Some(10), None));
        assert!(
            !limits.contains_key("name"),
            "no number, no limit: {limits:?}"
        );
    }

    #[test]
    fn the_merged_spec_documents_pan_and_bank_account_limits() {
        let ops = super::super::spec::operations();
        if let Some(pan) = ops.iter().find(|o| o.path == "/pan" && o.method == "POST") {
            assert_eq!(pan.limits["pan"].0, Some(10));
        }
        if let Some(sync) = ops.iter().find(|o| o.path == "/bank-account/sync") {
            assert_eq!(sync.limits["bank_account"], (Some(6), Some(40)));
        }
    }
}
