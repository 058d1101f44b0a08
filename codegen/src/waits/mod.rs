//! Which operation answers for which: the reviewed data of `spec/waits/` (each asynchronous create,
//! its status operation, the ids that link them, the status field and its values), checked against
//! the merged document and copied into it as the create operation's `x-cashfree-wait`, where the
//! client's generator ([`generate`]), the sandbox and the breaking-change report read it.
//!
//! ```
//! use cashfree_codegen::waits::{WAIT, apply, parse};
//! use serde_json::json;
//!
//! let mut doc = json!({"paths": {
//!   "/job": {"post": {"operationId": "Start",
//!     "requestBody": {"content": {"application/json": {"schema": {"properties": {"job_id": {"type": "string"}}}}}},
//!     "responses": {"200": {"content": {"application/json": {"schema": {"properties": {"ref": {"type": "integer"}}}}}}}},
//!   "get": {"operationId": "Status", "parameters": [{"name": "job_id", "in": "query"}],
//!     "responses": {"200": {"content": {"application/json": {"schema": {"properties": {"state": {"type": "string"}}}}}}}}}}});
//! let waits = parse("waits:\n- {create: Start, status: Status, ids: [{parameter: job_id, request: job_id}],\n   field: /state, pending: [RUNNING], terminal: [DONE], source: here, reason: why}\n", "w.yaml").unwrap();
//! apply(&mut doc, &waits).unwrap();
//! assert_eq!(doc["paths"]["/job"]["post"][WAIT][0]["status"], "Status");
//! ```

pub mod generate;
pub mod once;

use std::collections::BTreeSet;
use std::path::Path;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::problem::Problems;
use crate::source::resolve;

/// The extension on a create operation that lists its waits (an array: one create may have more
/// than one status operation).
pub const WAIT: &str = cashfree_openapi::wait::EXTENSION;

/// The reviewed data files: `spec/waits/*.yaml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct WaitsFile {
    #[serde(default)]
    #[allow(dead_code)]
    version: Option<u32>,
    waits: Vec<Wait>,
}

/// One create and the status operation that tells its outcome.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Wait {
    /// The create's operationId (absent in the copy on the create operation).
    #[serde(default, skip_serializing)]
    pub create: String,
    /// The status operation's operationId.
    pub status: String,
    /// How the status call names the verification.
    pub ids: Vec<Link>,
    /// JSON pointer to the status in the status operation's answer (`*`: every array element).
    pub field: String,
    /// Values that mean "keep polling".
    pub pending: Vec<String>,
    /// Values that end the wait.
    pub terminal: Vec<String>,
    /// Error codes, beyond the create's documented 409 codes, that mean "this id was used before".
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub duplicate: Vec<String>,
    /// Where the values come from.
    pub source: String,
    /// Why the entry says what it says.
    pub reason: String,
}

/// One parameter of the status call and where its value comes from.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Link {
    /// The status operation's parameter.
    pub parameter: String,
    /// The create's request body property that carries the value (the caller's id).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request: Option<String>,
    /// The create's answer property that carries the value (Cashfree's id).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub response: Option<String>,
}

/// Reads one waits file (`name` for messages).
///
/// # Errors
/// Not YAML, or not the shape above (unknown keys included).
pub fn parse(text: &str, name: &str) -> Result<Vec<Wait>, String> {
    let file: WaitsFile = serde_yaml_ng::from_str(text).map_err(|e| format!("{name}: {e}"))?;
    Ok(file.waits)
}

/// Every wait of the `*.yaml` files in `dir`, in file-name order; none when `dir` does not exist.
///
/// # Errors
/// A file that cannot be read or parsed.
pub fn load(dir: &Path) -> Result<Vec<Wait>, Problems> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Ok(Vec::new());
    };
    let mut paths: Vec<_> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "yaml" || x == "yml"))
        .collect();
    paths.sort();
    let mut problems = Problems::new();
    let mut waits = Vec::new();
    for path in paths {
        let name = path.display().to_string();
        match std::fs::read_to_string(&path).map_err(|e| format!("{name}: {e}")) {
            Ok(text) => match parse(&text, &name) {
                Ok(w) => waits.extend(w),
                Err(e) => problems.push(e),
            },
            Err(e) => problems.push(e),
        }
    }
    problems.into_result(waits)
}

/// Checks each wait against `doc` and copies it onto its create operation as [`WAIT`].
///
/// # Errors
/// Every name that `doc` does not have: an operation, a status parameter, a request or answer
/// property, the status field; a value both pending and terminal; a wait given twice.
pub fn apply(doc: &mut Value, waits: &[Wait]) -> Result<(), Problems> {
    let mut problems = Problems::new();
    let mut seen = BTreeSet::new();
    let mut placed = Vec::new();
    for w in waits {
        let at = format!("wait {} -> {}", w.create, w.status);
        if !seen.insert((w.create.clone(), w.status.clone())) {
            problems.push(format!("{at}: given twice"));
            continue;
        }
        let errors = check(doc, w);
        if errors.is_empty() {
            let pointer = operation_pointer(doc, &w.create).expect("checked");
            placed.push((pointer, serde_json::to_value(w).expect("serializes")));
        }
        for e in errors {
            problems.push(format!("{at}: {e}"));
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    for (pointer, wait) in placed {
        let op = doc.pointer_mut(&pointer).expect("checked");
        let list = op
            .as_object_mut()
            .expect("an operation is an object")
            .entry(WAIT)
            .or_insert_with(|| Value::Array(Vec::new()));
        if let Value::Array(list) = list {
            list.push(wait);
        }
    }
    Ok(())
}

/// The JSON pointer of the operation with `operation_id`.
fn operation_pointer(doc: &Value, operation_id: &str) -> Option<String> {
    cashfree_openapi::operations_of(doc)
        .find(|(_, _, op)| op.get("operationId").and_then(Value::as_str) == Some(operation_id))
        .map(|(path, method, _)| {
            format!("/paths/{}/{method}", cashfree_openapi::escape_pointer(path))
        })
}

fn check(doc: &Value, w: &Wait) -> Vec<String> {
    let mut errors = Vec::new();
    let create = operation_pointer(doc, &w.create).and_then(|p| doc.pointer(&p));
    let status = operation_pointer(doc, &w.status).map(|p| (p.clone(), doc.pointer(&p)));
    let Some(create) = create else {
        return vec![format!("no operation {:?}", w.create)];
    };
    let Some((status_pointer, Some(status))) = status else {
        return vec![format!("no operation {:?}", w.status)];
    };
    let status_path = status_pointer
        .strip_prefix("/paths/")
        .and_then(|p| p.rsplit_once('/'))
        .map(|(p, _)| p.replace("~1", "/").replace("~0", "~"))
        .unwrap_or_default();
    let parameters: Vec<&str> = cashfree_openapi::operation_parameters(doc, status, &status_path)
        .into_iter()
        .filter_map(|p| p.get("name").and_then(Value::as_str))
        .collect();
    let request = body_schema(doc, create.get("requestBody"));
    let answer = success_schema(doc, create);
    if w.ids.is_empty() {
        errors.push("no ids".to_string());
    }
    for link in &w.ids {
        if !parameters.contains(&link.parameter.as_str()) {
            errors.push(format!(
                "{} has no parameter {:?} (it has {parameters:?})",
                w.status, link.parameter
            ));
        }
        match (&link.request, &link.response) {
            (Some(name), None) if !has_property(doc, request, name) => errors.push(format!(
                "{}'s request body has no property {name:?}",
                w.create
            )),
            (None, Some(name)) if !has_property(doc, answer, name) => {
                errors.push(format!("{}'s answer has no property {name:?}", w.create))
            }
            (Some(_), Some(_)) | (None, None) => errors.push(format!(
                "parameter {:?} needs exactly one of `request` and `response`",
                link.parameter
            )),
            _ => {}
        }
    }
    if !field_exists(doc, success_schema(doc, status), &w.field) {
        errors.push(format!("{}'s answer has no field {:?}", w.status, w.field));
    }
    if w.terminal.is_empty() {
        errors.push("no terminal values".to_string());
    }
    for both in w.pending.iter().filter(|v| w.terminal.contains(v)) {
        errors.push(format!("{both:?} is both pending and terminal"));
    }
    errors
}

/// The JSON schema of a request body or response (`application/json`, else the first).
pub(crate) fn body_schema<'a>(doc: &'a Value, body: Option<&'a Value>) -> Option<&'a Value> {
    let content = resolve(doc, body?).get("content")?.as_object()?;
    let media = content
        .get("application/json")
        .or_else(|| content.values().next())?;
    Some(resolve(doc, media.get("schema")?))
}

/// The schema of an operation's first 2xx answer.
fn success_schema<'a>(doc: &'a Value, op: &'a Value) -> Option<&'a Value> {
    let responses = op.get("responses")?.as_object()?;
    let (_, response) = responses.iter().find(|(k, _)| k.starts_with('2'))?;
    body_schema(doc, Some(response))
}

pub(crate) fn has_property(doc: &Value, schema: Option<&Value>, name: &str) -> bool {
    schema.is_some_and(|s| property(doc, s, name).is_some())
}

/// The property `name` of `schema`, looking into `allOf` too.
fn property<'a>(doc: &'a Value, schema: &'a Value, name: &str) -> Option<&'a Value> {
    let schema = resolve(doc, schema);
    if let Some(p) = schema.pointer(&format!(
        "/properties/{}",
        cashfree_openapi::escape_pointer(name)
    )) {
        return Some(resolve(doc, p));
    }
    schema
        .get("allOf")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .find_map(|part| property(doc, part, name))
}

/// `true` when the JSON pointer `field` (`*` for array elements) names a property of `schema`.
fn field_exists(doc: &Value, schema: Option<&Value>, field: &str) -> bool {
    let Some(mut at) = schema else { return false };
    let Some(rest) = field.strip_prefix('/') else {
        return false;
    };
    for segment in rest.split('/') {
        let next = if segment == "*" {
            resolve(doc, at).get("items").map(|i| resolve(doc, i))
        } else {
            property(doc, at, &segment.replace("~1", "/").replace("~0", "~"))
        };
        match next {
            Some(n) => at = n,
            None => return false,
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn doc() -> Value {
        json!({"paths": {
            "/a": {"post": {"operationId": "Create",
                "requestBody": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Req"}}}},
                "responses": {"200": {"content": {"application/json": {"schema": {"properties": {"reference_id": {"type": "integer"}}}}}}}},
            "get": {"operationId": "Status",
                "parameters": [{"$ref": "#/components/parameters/vid"}, {"name": "reference_id", "in": "query"}],
                "responses": {"200": {"content": {"application/json": {"schema": {"properties": {
                    "entries": {"type": "array", "items": {"properties": {"state": {"type": "string"}}}},
                    "state": {"type": "string"}}}}}}}}}},
            "components": {"schemas": {"Req": {"properties": {"verification_id": {"type": "string"}}}},
                "parameters": {"vid": {"name": "verification_id", "in": "query"}}}})
    }

    fn wait(extra: &str) -> Vec<Wait> {
        parse(&format!("waits:\n- create: Create\n  status: Status\n  ids: [{{parameter: verification_id, request: verification_id}}, {{parameter: reference_id, response: reference_id}}]\n  field: /entries/*/state\n  pending: [P]\n  terminal: [T]\n  source: s\n  reason: r\n{extra}"), "w").unwrap()
    }

    #[test]
    fn a_wait_that_names_what_the_document_has_is_copied_onto_its_create() {
        let mut d = doc();
        apply(&mut d, &wait("")).unwrap();
        let copied = &d["paths"]["/a"]["post"][WAIT][0];
        assert_eq!(copied["status"], "Status");
        assert_eq!(
            copied["ids"][1],
            json!({"parameter": "reference_id", "response": "reference_id"})
        );
        assert!(copied.get("create").is_none(), "{copied}");
        assert_eq!(copied["field"], "/entries/*/state");
    }

    #[test]
    fn every_name_the_document_lacks_is_reported() {
        let mut w = wait("");
        w[0].ids[0].parameter = "verificationId".into();
        w[0].ids[1].response = Some("ref".into());
        w[0].field = "/status".into();
        w[0].pending = vec!["T".into()];
        let e = apply(&mut doc(), &w).unwrap_err().0.join("\n");
        for needle in [
            "no parameter \"verificationId\"",
            "answer has no property \"ref\"",
            "no field \"/status\"",
            "\"T\" is both pending and terminal",
        ] {
            assert!(e.contains(needle), "{needle} in {e}");
        }
        let mut w = wait("");
        w[0].status = "Nope".into();
        assert!(apply(&mut doc(), &w).unwrap_err().0[0].contains("no operation \"Nope\""));
        let twice = [wait(""), wait("")].concat();
        assert!(apply(&mut doc(), &twice).unwrap_err().0[0].contains("given twice"));
    }

    #[test]
    fn unknown_keys_are_refused() {
        let e = parse("waits:\n- {create: A, status: B, idz: []}\n", "w.yaml").unwrap_err();
        assert!(e.contains("idz"), "{e}");
    }
}
