//! Query and path parameters as the spec declares them: required ones present, and each value
//! valid for its schema (type, enum, length, pattern), with Cashfree's codes
//! (`<name>_missing`, `<name>_value_invalid`, ...).

use serde_json::Value;

use super::super::http::HttpRequest;
use super::super::refusal::{Checked, Refusal, error, missing};
use super::super::schema::{Mode, validate};
use super::super::spec::{OpSpec, document};

/// Checks the parameters; answers their values (query and path), as sent.
pub(crate) fn check(op: &OpSpec, request: &HttpRequest) -> Checked<Vec<(String, String)>> {
    let values = op.param_values(&request.target);
    for param in &op.params {
        let sent = values
            .iter()
            .find(|(k, v)| *k == param.name && !v.is_empty())
            .map(|(_, v)| v);
        let Some(sent) = sent else {
            if param.required {
                let name = &param.name;
                return Err(missing(op, name, format!("parameter {name} missing")));
            }
            continue;
        };
        let value = typed(&param.schema, sent);
        if let Err(v) = validate(document(), &param.schema, &value, Mode::Request, &op.limits) {
            let name = &param.name;
            let code = v.code(&|c| op.documents(c)).replacen("body", name, 1);
            return Err(Refusal::violation(
                error(op, &code, 400, &format!("{name} should be valid.")),
                format!("{code}: parameter {name} = {sent:?}"),
            ));
        }
    }
    Ok(values)
}

/// A parameter's text as the JSON its schema types it: a number or boolean where the schema says
/// so and the text is one, else the text (for validation to judge).
fn typed(schema: &Value, text: &str) -> Value {
    match schema.get("type").and_then(Value::as_str) {
        Some("integer" | "number" | "boolean") => serde_json::from_str::<Value>(text)
            .ok()
            .filter(|v| !v.is_string())
            .unwrap_or_else(|| Value::String(text.to_string())),
        _ => Value::String(text.to_string()),
    }
}
