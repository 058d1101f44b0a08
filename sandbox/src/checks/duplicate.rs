//! Reused ids: where an operation documents a 409 for an id that "already exists", a second create
//! with the same value of that id gets that documented 409.
//!
//! Which field the 409 guards is read from the documented body, not listed per operation: the code
//! without `_already_exists` (`consent_verification_id_already_exists`), else the words before
//! "already exists" in the message ("bulk_verification_id already exists", "This Verification ID
//! already exists."), as the longest run of trailing words that names a request property
//! (`verification_id`).

use serde_json::Value;

use super::super::http::HttpResponse;
use super::super::refusal::{Checked, Refusal};
use super::super::spec::OpSpec;
use super::super::state::{Shared, scalar_text};

/// The id field a documented 409 guards, and that 409's body.
pub(crate) fn guarded(op: &OpSpec) -> Option<(String, &Value)> {
    let properties = op.request_schema.as_ref()?.get("properties")?.as_object()?;
    op.responses.get(&409)?.examples.iter().find_map(|e| {
        let code = e.value.get("code").and_then(Value::as_str).unwrap_or("");
        let message = e.value.get("message").and_then(Value::as_str).unwrap_or("");
        let named = code.strip_suffix("_already_exists").or_else(|| {
            let at = message.to_lowercase().find(" already exists")?;
            Some(&message[..at])
        })?;
        let words: Vec<String> = named
            .split(|c: char| c.is_whitespace() || c == '_')
            .filter(|w| !w.is_empty())
            .map(str::to_lowercase)
            .collect();
        (0..words.len())
            .map(|from| words[from..].join("_"))
            .find(|candidate| properties.contains_key(candidate))
            .map(|field| (field, &e.value))
    })
}

/// The (operation, field, value) a create uses, refused with the documented 409 if used before.
/// The caller remembers it once the call succeeds.
pub(crate) fn check(
    shared: &Shared,
    op: &OpSpec,
    body: &Value,
) -> Checked<Option<(String, String, String)>> {
    let Some((field, conflict)) = guarded(op) else {
        return Ok(None);
    };
    // Compared as text: `424242` and `"424242"` are the same id to Cashfree.
    let Some(value) = body.get(&field).and_then(scalar_text) else {
        return Ok(None);
    };
    let key = (op.operation_id.clone(), field, value);
    if shared.state().used_ids.contains(&key) {
        return Err(Refusal::answer(HttpResponse::json(409, conflict)));
    }
    Ok(Some(key))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every operation that documents an "already exists" 409 has its guarded field found.
    #[test]
    fn every_documented_conflict_names_a_request_field() {
        for op in super::super::super::spec::operations() {
            let conflicts = op.responses.get(&409).map_or(0, |r| {
                r.examples
                    .iter()
                    .filter(|e| e.value.to_string().contains("already exists"))
                    .count()
            });
            if conflicts > 0 {
                assert!(guarded(op).is_some(), "{} {}", op.method, op.path);
            }
        }
        let field = |path: &str| {
            super::super::super::spec::operations()
                .iter()
                .find(|o| o.path == path && o.method == "POST")
                .and_then(guarded)
                .map(|(f, _)| f)
        };
        for (path, want) in [
            ("/pan/advance", "verification_id"),
            ("/aa/consent", "consent_verification_id"),
            ("/aa/fi", "fi_verification_id"),
            ("/bank-account/bulk", "bulk_verification_id"),
        ] {
            if let Some(got) = field(path) {
                assert_eq!(got, want, "{path}");
            }
        }
    }
}
