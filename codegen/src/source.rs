//! Reading OpenAPI documents: YAML or JSON text into a `serde_json::Value` that keeps key order.
//!
//! The pipeline works on untyped JSON values rather than `openapiv3` types so that merge conflicts can be
//! reported by JSON pointer and so that overlays (which address raw JSON) apply exactly as written.
//! `openapiv3` is still used to check that each file *is* an OpenAPI 3.0 document.

use std::path::{Path, PathBuf};

use serde_json::{Map, Number, Value};

use crate::problem::Problems;

pub use cashfree_openapi::{
    error_examples, error_responses, escape_pointer, media_examples, operation_parameters,
    operations_of, required_names, resolve, security_alternatives,
};

/// The top-level key of the webhook events' section (OpenAPI 3.1's `webhooks`, as an extension of
/// 3.0), read by the webhooks module and product selection.
pub const WEBHOOKS: &str = "x-webhooks";

/// One OpenAPI document from `spec/`.
#[derive(Debug, Clone)]
pub struct SpecFile {
    /// Where it was read from.
    pub path: PathBuf,
    /// The name used in messages: the file name (e.g. `vrs-generate-auth-token.yaml`).
    pub name: String,
    /// The parsed document, key order preserved.
    pub doc: Value,
}

/// File extensions treated as OpenAPI documents in a spec directory.
pub const SPEC_EXTENSIONS: [&str; 3] = ["yaml", "yml", "json"];

/// Parses YAML or JSON text. JSON is tried first when the text starts with `{`, for precise messages.
///
/// YAML mapping keys that are numbers or booleans (e.g. an unquoted `200:` response code) become strings,
/// as OpenAPI means them.
///
/// # Errors
/// The parser's message, with line and column.
pub fn parse_text(text: &str) -> Result<Value, String> {
    if text.trim_start().starts_with('{') {
        return serde_json::from_str(text).map_err(|e| format!("invalid JSON: {e}"));
    }
    let yaml: serde_yaml_ng::Value =
        serde_yaml_ng::from_str(text).map_err(|e| format!("invalid YAML: {e}"))?;
    yaml_to_json(yaml, "")
}

fn yaml_to_json(value: serde_yaml_ng::Value, at: &str) -> Result<Value, String> {
    use serde_yaml_ng::Value as Y;
    Ok(match value {
        Y::Null => Value::Null,
        Y::Bool(b) => Value::Bool(b),
        Y::Number(n) => {
            if let Some(i) = n.as_i64() {
                Value::Number(i.into())
            } else if let Some(u) = n.as_u64() {
                Value::Number(u.into())
            } else {
                let f = n.as_f64().unwrap_or(f64::NAN);
                Value::Number(Number::from_f64(f).ok_or_else(|| {
                    format!("at {}: the number {n} has no JSON form", or_root(at))
                })?)
            }
        }
        Y::String(s) => Value::String(s),
        Y::Sequence(items) => Value::Array(
            items
                .into_iter()
                .enumerate()
                .map(|(i, v)| yaml_to_json(v, &format!("{at}/{i}")))
                .collect::<Result<_, _>>()?,
        ),
        Y::Mapping(map) => {
            let mut out = Map::new();
            for (k, v) in map {
                let key = match k {
                    Y::String(s) => s,
                    Y::Number(n) => n.to_string(),
                    Y::Bool(b) => b.to_string(),
                    other => {
                        return Err(format!(
                            "at {}: a mapping key must be a string, found {other:?}",
                            or_root(at)
                        ));
                    }
                };
                let child = format!("{at}/{}", escape_pointer(&key));
                let v = yaml_to_json(v, &child)?;
                out.insert(key, v);
            }
            Value::Object(out)
        }
        Y::Tagged(t) => {
            return Err(format!(
                "at {}: YAML tag {} is not supported",
                or_root(at),
                t.tag
            ));
        }
    })
}

fn or_root(pointer: &str) -> &str {
    if pointer.is_empty() {
        "the document root"
    } else {
        pointer
    }
}

/// Checks that `doc` is an OpenAPI 3.0.x document that `openapiv3` can read.
///
/// # Errors
/// A one-line reason, e.g. `it declares openapi 3.1.0; only 3.0.x is supported`.
pub fn check_openapi_30(doc: &Value) -> Result<(), String> {
    let Some(obj) = doc.as_object() else {
        return Err(
            "it is not a mapping at the top level, so it is not an OpenAPI document".into(),
        );
    };
    match obj.get("openapi") {
        Some(Value::String(v)) if v.starts_with("3.0.") || v == "3.0" => {}
        Some(Value::String(v)) => {
            return Err(format!(
                "it declares `openapi: {v}`; only OpenAPI 3.0.x is supported"
            ));
        }
        Some(other) => {
            return Err(format!(
                "its `openapi` field is {other}, not a version string like \"3.0.0\""
            ));
        }
        None if obj.contains_key("swagger") => {
            return Err("it is a Swagger 2.0 document; only OpenAPI 3.0.x is supported".into());
        }
        None => {
            return Err("it has no `openapi` field, so it is not an OpenAPI 3.0 document".into());
        }
    }
    serde_json::from_value::<openapiv3::OpenAPI>(doc.clone())
        .map(|_| ())
        .map_err(|e| format!("it is not a valid OpenAPI 3.0 document: {e}"))
}

/// Lists the OpenAPI documents directly inside `dir` (not in subdirectories), sorted by file name so that
/// the result never depends on directory order.
///
/// # Errors
/// The directory cannot be read.
pub fn spec_paths(dir: &Path) -> Result<Vec<PathBuf>, String> {
    let entries = std::fs::read_dir(dir)
        .map_err(|e| format!("cannot read the spec directory {}: {e}", dir.display()))?;
    let mut paths = Vec::new();
    for entry in entries {
        let entry =
            entry.map_err(|e| format!("cannot read the spec directory {}: {e}", dir.display()))?;
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        // A hidden file has no extension to Rust's `Path` (`.yaml`), so it would be skipped without a
        // word while `check` said all is well.
        if let Some(rest) = name.strip_prefix('.')
            && SPEC_EXTENSIONS
                .iter()
                .any(|e| rest == *e || rest.ends_with(&format!(".{e}")))
        {
            return Err(format!(
                "{} is a hidden file, which the build would ignore; give it a name that does not start with a dot",
                path.display()
            ));
        }
        let is_spec = path.is_file()
            && path
                .extension()
                .and_then(|e| e.to_str())
                .is_some_and(|e| SPEC_EXTENSIONS.contains(&e));
        if is_spec {
            paths.push(path);
        }
    }
    paths.sort_by(|a, b| a.file_name().cmp(&b.file_name()));
    Ok(paths)
}

/// Reads and checks one spec file.
///
/// # Errors
/// A message naming the file and what is wrong with it.
pub fn load_spec(path: &Path) -> Result<SpecFile, String> {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let doc = parse_text(&text).map_err(|e| format!("{}: {e}", path.display()))?;
    check_openapi_30(&doc).map_err(|e| format!("{}: {e}", path.display()))?;
    Ok(SpecFile {
        path: path.to_path_buf(),
        name,
        doc,
    })
}

/// Reads every spec file of `paths`, reporting every file that fails, not only the first.
///
/// # Errors
/// One problem per unreadable or invalid file.
pub fn load_specs(paths: &[PathBuf]) -> Result<Vec<SpecFile>, Problems> {
    let mut problems = Problems::new();
    let mut specs = Vec::new();
    for path in paths {
        match load_spec(path) {
            Ok(spec) => specs.push(spec),
            Err(e) => problems.push(e),
        }
    }
    if specs.is_empty() && problems.is_empty() {
        problems.push("no OpenAPI documents (*.yaml, *.yml, *.json) were found");
    }
    problems.into_result(specs)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yaml_numeric_keys_become_strings() {
        let v = parse_text("responses:\n  200:\n    description: ok\n").unwrap();
        assert_eq!(v["responses"]["200"]["description"], "ok");
    }

    #[test]
    fn key_order_is_preserved() {
        let v = parse_text("b: 1\na: 2\nc: 3\n").unwrap();
        let keys: Vec<_> = v.as_object().unwrap().keys().cloned().collect();
        assert_eq!(keys, ["b", "a", "c"]);
    }

    #[test]
    fn rejects_other_openapi_versions_with_reason() {
        let v = parse_text("openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths: {}\n").unwrap();
        assert!(check_openapi_30(&v).unwrap_err().contains("3.1.0"));
        let v = parse_text("swagger: '2.0'\n").unwrap();
        assert!(check_openapi_30(&v).unwrap_err().contains("Swagger 2.0"));
        let v = parse_text("hello: world\n").unwrap();
        assert!(
            check_openapi_30(&v)
                .unwrap_err()
                .contains("no `openapi` field")
        );
    }

    #[test]
    fn accepts_minimal_openapi_30() {
        let v = parse_text("openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\n").unwrap();
        check_openapi_30(&v).unwrap();
    }

    #[test]
    fn invalid_yaml_reports_position() {
        let e = parse_text("a: [1, 2\n").unwrap_err();
        assert!(e.starts_with("invalid YAML"), "{e}");
        assert!(e.contains("line"), "{e}");
    }
}
