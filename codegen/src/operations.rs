//! The operations of the merged document and the Rust method each one becomes.
//!
//! Everything the handwritten layer knows per operation (method, path, operationId, security, API
//! version) is read from the document through this list, never from generated text. The method name is
//! this module's rule, given to progenitor as the operationId it generates from, and the generated
//! `Client` is then checked to have exactly these methods.

use std::collections::BTreeMap;

use heck::ToSnakeCase as _;
use serde_json::Value;

use cashfree_openapi::METHODS;

/// One operation of the merged document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpecOperation {
    /// The method on the generated `Client` (also progenitor's `OperationInfo::operation_id`).
    pub method_name: String,
    /// The `operationId` in the spec.
    pub operation_id: String,
    /// HTTP method, upper case.
    pub http_method: String,
    /// The path template, as in the document.
    pub path: String,
}

/// Names an operation cannot take: every method the crate itself defines on `Client` — the generated
/// `Client`'s own (`new`, `new_with_client`, and progenitor's `ClientInfo`/`ClientHooks` traits), the
/// one the build generates beside the operations (`call_json`, in `meta.rs`), the handwritten
/// layer's (`builder`, `from_env`, in `src/lib.rs`) — and the methods of traits every `Client` has
/// (`Clone`, `Debug`, conversions), whose calls an inherent method of the same name would silently
/// take over. `import` and the build both check against this one list; the test
/// `hostile2_11_every_name_the_crate_defines_is_reserved` reads the crate's source and the review
/// copies of the generated code and fails when a `Client` method is missing from it.
pub const RESERVED_METHOD_NAMES: [&str; 20] = [
    "new",
    "new_with_client",
    "baseurl",
    "client",
    "inner",
    "api_version",
    "pre",
    "post",
    "exec",
    "call_json",
    "builder",
    "from_env",
    "clone",
    "clone_from",
    "fmt",
    "to_owned",
    "into",
    "try_into",
    "borrow",
    "type_id",
];

/// `true` for a name the generated waits take (`<create>_and_wait`, `<create>_wait`,
/// `..._wait_via_<status>`; [`waits`](crate::waits)) or a create sent once takes (`<create>_once`;
/// [`waits::once`](crate::waits::once)), which no operation may be named.
pub fn is_wait_method_name(name: &str) -> bool {
    name.ends_with("_and_wait")
        || name.ends_with("_wait")
        || name.contains("_wait_via_")
        || name.ends_with("_once")
}

/// The Rust method name for `operation_id`: its words in snake case, as progenitor names methods
/// (`VrsUserVaultOauthInitiation` → `vrs_user_vault_oauth_initiation`, `vrs-generate-auth-token` →
/// `vrs_generate_auth_token`), with `_` appended to a Rust keyword. `None` when nothing is left.
///
/// ```
/// use cashfree_codegen::operations::method_name;
/// assert_eq!(method_name("PanLiteAPI,").as_deref(), Some("pan_lite_api"));
/// assert_eq!(method_name("type").as_deref(), Some("type_"));
/// assert_eq!(method_name(".."), None);
/// ```
pub fn method_name(operation_id: &str) -> Option<String> {
    let words: String = operation_id
        .chars()
        .filter(|&c| c != '\'')
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    let mut name = words.to_snake_case();
    if name.is_empty() {
        return None;
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert(0, '_');
    }
    if syn::parse_str::<syn::Ident>(&name).is_err() {
        name.push('_');
    }
    Some(name)
}

/// Every operation of `doc`, in document order, with its method name.
///
/// # Errors
/// One message per problem: an operation without `operationId`, an `operationId` that gives no name,
/// a reserved name, two operationIds that give the same name, or a path that could carry text into the
/// generated code (white space, control characters, quotes, backticks or backslashes).
pub fn spec_operations(doc: &Value) -> Result<Vec<SpecOperation>, Vec<String>> {
    let mut ops = Vec::new();
    let mut problems = Vec::new();
    let mut by_name: BTreeMap<String, String> = BTreeMap::new();
    for (path, item) in doc
        .get("paths")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
    {
        if let Some(bad) = path.chars().find(|c| !is_path_char(*c)) {
            problems.push(format!(
                "path {path:?} contains {bad:?}; a path template holds visible ASCII without quotes, backticks or backslashes"
            ));
            continue;
        }
        for (method, op) in item.as_object().into_iter().flatten() {
            if !METHODS.contains(&method.as_str()) {
                continue;
            }
            let shown = format!("{} {path}", method.to_uppercase());
            let Some(operation_id) = op.get("operationId").and_then(Value::as_str) else {
                problems.push(format!(
                    "{shown} has no operationId; give it one with an overlay (the Rust method is named after it)"
                ));
                continue;
            };
            let Some(name) = method_name(operation_id) else {
                problems.push(format!(
                    "operationId {operation_id:?} ({shown}) has no letter or digit to name a Rust method after"
                ));
                continue;
            };
            if RESERVED_METHOD_NAMES.contains(&name.as_str()) || is_wait_method_name(&name) {
                problems.push(format!(
                    "operationId {operation_id:?} ({shown}) would become Client::{name}, a name the client already uses; rename it with an overlay"
                ));
                continue;
            }
            if let Some(other) = by_name.insert(name.clone(), operation_id.to_string()) {
                problems.push(format!(
                    "operationIds {other:?} and {operation_id:?} ({shown}) both become Client::{name}; rename one with an overlay"
                ));
                continue;
            }
            ops.push(SpecOperation {
                method_name: name,
                operation_id: operation_id.to_string(),
                http_method: method.to_uppercase(),
                path: path.clone(),
            });
        }
    }
    if problems.is_empty() {
        Ok(ops)
    } else {
        Err(problems)
    }
}

fn is_path_char(c: char) -> bool {
    c.is_ascii_graphic() && !matches!(c, '"' | '`' | '\\')
}

/// A copy of `doc` for progenitor: each operationId replaced by its method name, so that progenitor's
/// own naming keeps it as it is.
pub fn with_method_names(doc: &Value, ops: &[SpecOperation]) -> Value {
    let mut doc = doc.clone();
    for op in ops {
        let pointer = format!(
            "/paths/{}/{}/operationId",
            crate::source::escape_pointer(&op.path),
            op.http_method.to_lowercase()
        );
        if let Some(id) = doc.pointer_mut(&pointer) {
            *id = Value::String(op.method_name.clone());
        }
    }
    doc
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn doc_with(ids: &[(&str, &str)]) -> Value {
        let mut paths = serde_json::Map::new();
        for (path, id) in ids {
            paths.insert(
                (*path).to_string(),
                json!({"post": {"operationId": id, "responses": {}}}),
            );
        }
        json!({ "paths": paths })
    }

    #[test]
    fn names_follow_progenitor_for_cashfree_ids() {
        for (id, name) in [
            ("vrs-generate-auth-token", "vrs_generate_auth_token"),
            (
                "VrsUserVaultOauthInitiation",
                "vrs_user_vault_oauth_initiation",
            ),
            ("PanLiteAPI,", "pan_lite_api"),
            ("a::b", "a_b"),
            ("2fa", "_2fa"),
            ("match", "match_"),
        ] {
            assert_eq!(method_name(id).as_deref(), Some(name), "{id}");
        }
        for id in ["..", "!!!", "", "''"] {
            assert_eq!(method_name(id), None, "{id}");
        }
    }

    #[test]
    fn clashing_empty_reserved_and_missing_ids_are_refused_by_name() {
        let doc = doc_with(&[
            ("/a", "a::b"),
            ("/b", "a\"b"),
            ("/c", ".."),
            ("/d", "new"),
            ("/e", "inner"),
            ("/f", "VrsNameMatchOnce"),
        ]);
        let problems = spec_operations(&doc).unwrap_err().join("\n");
        assert!(
            problems
                .contains("operationIds \"a::b\" and \"a\\\"b\" (POST /b) both become Client::a_b"),
            "{problems}"
        );
        assert!(
            problems.contains("operationId \"..\" (POST /c) has no letter or digit"),
            "{problems}"
        );
        assert!(
            problems.contains("operationId \"new\" (POST /d) would become Client::new"),
            "{problems}"
        );
        assert!(
            problems.contains("operationId \"inner\" (POST /e) would become Client::inner"),
            "{problems}"
        );
        assert!(
            problems.contains(
                "\"VrsNameMatchOnce\" (POST /f) would become Client::vrs_name_match_once"
            ),
            "a `<create>_once` name: {problems}"
        );
        let missing = json!({"paths": {"/otpless": {"post": {"responses": {}}}}});
        assert!(
            spec_operations(&missing).unwrap_err()[0].contains("POST /otpless has no operationId")
        );
    }

    #[test]
    fn paths_that_could_carry_text_into_code_are_refused() {
        let doc = doc_with(&[
            ("/x\n```\nboom()\n```", "x"),
            ("/y`", "y"),
            ("/ok/{id}", "ok"),
        ]);
        let problems = spec_operations(&doc).unwrap_err();
        assert_eq!(problems.len(), 2, "{problems:?}");
        assert!(problems[0].contains("contains '\\n'"), "{problems:?}");
    }

    #[test]
    fn progenitor_gets_the_method_names_as_ids() {
        let doc = doc_with(&[("/oauth/token", "vrs-generate-auth-token")]);
        let ops = spec_operations(&doc).unwrap();
        let renamed = with_method_names(&doc, &ops);
        assert_eq!(
            renamed["paths"]["/oauth/token"]["post"]["operationId"],
            "vrs_generate_auth_token"
        );
        assert_eq!(
            doc["paths"]["/oauth/token"]["post"]["operationId"],
            "vrs-generate-auth-token"
        );
    }
}
