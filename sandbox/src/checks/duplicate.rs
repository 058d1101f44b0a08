//! Reused ids: where an operation documents a 409 for an id that "already exists", a second create
//! with the same value of that id gets that documented 409.
//!
//! The same goes for the error codes an operation's `x-cashfree-wait` entries list as
//! `duplicate` (POST /bank-account/async documents its reused `user_id` as a 400
//! `user_id_already_exists`): that documented answer, with its status.
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

/// The id field a documented 409 (or an answer with one of the `duplicate` codes) guards, and
/// that answer: (field, status, body). A 409 is preferred.
pub(crate) fn guarded<'a>(op: &'a OpSpec, duplicate: &[&str]) -> Option<(String, u16, &'a Value)> {
    let properties = op.request_schema.as_ref()?.get("properties")?.as_object()?;
    let code = |e: &Value| e.get("code").and_then(Value::as_str).map(String::from);
    let conflicts = op
        .responses
        .get(&409)
        .into_iter()
        .flat_map(|r| &r.examples)
        .map(|e| (409, e));
    let listed = op.examples().filter(|(status, e)| {
        *status != 409 && code(&e.value).is_some_and(|c| duplicate.contains(&c.as_str()))
    });
    conflicts.chain(listed).find_map(|(status, e)| {
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
            .map(|field| (field, status, &e.value))
    })
}

/// The (operation, field, value) a create uses, refused with the documented 409 if used before.
/// The caller remembers it once the call succeeds.
pub(crate) fn check(
    shared: &Shared,
    op: &OpSpec,
    body: &Value,
) -> Checked<Option<(String, String, String)>> {
    let duplicate: Vec<&str> = shared
        .config
        .waits
        .iter()
        .filter(|w| w.create == op.operation_id)
        .flat_map(|w| w.duplicate.iter().map(String::as_str))
        .collect();
    let Some((field, status, conflict)) = guarded(op, &duplicate) else {
        return Ok(None);
    };
    // Compared as text: `424242` and `"424242"` are the same id to Cashfree.
    let Some(value) = body.get(&field).and_then(scalar_text) else {
        return Ok(None);
    };
    let key = (op.operation_id.clone(), field, value);
    if shared.state().used_ids.contains(&key) {
        return Err(Refusal::answer(HttpResponse::json(status, conflict)));
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
                assert!(guarded(op, &[]).is_some(), "{} {}", op.method, op.path);
            }
        }
        let field = |path: &str| {
            super::super::super::spec::operations()
                .iter()
                .find(|o| o.path == path && o.method == "POST")
                .and_then(|op| guarded(op, &[]))
                .map(|(f, _, _)| f)
        };
        let bav = super::super::super::spec::operations()
            .iter()
            .find(|o| o.operation_id == "VrsBavAsync");
        if let Some(bav) = bav {
            assert!(guarded(bav, &[]).is_none(), "no 409 documented");
            let (field, status, _) = guarded(bav, &["user_id_already_exists"]).unwrap();
            assert_eq!((field.as_str(), status), ("user_id", 400));
        }
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
