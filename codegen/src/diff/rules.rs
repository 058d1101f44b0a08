//! The comparisons behind each rule of [`RULES`](super::RULES).

use std::collections::BTreeSet;

use serde_json::{Map, Value};

use super::{Finding, rule};
use crate::source::{error_examples, escape_pointer, operations_of, required_names, resolve};

/// Keywords whose change is documentation only.
const DOC_KEYWORDS: [&str; 6] = [
    "description",
    "summary",
    "title",
    "example",
    "examples",
    "externalDocs",
];

/// Most levels of nested schema a comparison walks (Cashfree's deepest is far less; bounds cycles).
const MAX_DEPTH: usize = 24;

struct Context<'a> {
    old_doc: &'a Value,
    new_doc: &'a Value,
    operation: String,
    findings: Vec<Finding>,
}

impl Context<'_> {
    fn push(
        &mut self,
        id: &'static str,
        pointer: String,
        old: Option<&Value>,
        new: Option<&Value>,
    ) {
        let (level, impact) = rule(id);
        self.findings.push(Finding {
            rule: id,
            level,
            impact,
            operation: self.operation.clone(),
            pointer,
            old: old.cloned(),
            new: new.cloned(),
        });
    }
}

/// Every operation of `doc`: (method, path) → operation object.
fn operations(doc: &Value) -> Vec<(String, String, &Value)> {
    operations_of(doc)
        .map(|(path, method, op)| (method.clone(), path.clone(), op))
        .collect()
}

fn shown(method: &str, path: &str, op: &Value) -> String {
    match op.get("operationId").and_then(Value::as_str) {
        Some(id) => format!("{} {path} ({id})", method.to_uppercase()),
        None => format!("{} {path}", method.to_uppercase()),
    }
}

pub(super) fn compare(old: &Value, new: &Value) -> Vec<Finding> {
    let mut cx = Context {
        old_doc: old,
        new_doc: new,
        operation: String::new(),
        findings: Vec::new(),
    };
    let old_ops = operations(old);
    let new_ops = operations(new);
    for (method, path, new_op) in &new_ops {
        let at = format!("/paths/{}/{method}", escape_pointer(path));
        cx.operation = shown(method, path, new_op);
        match old_ops.iter().find(|(m, p, _)| m == method && p == path) {
            None => cx.push("api-operation-added", at, None, new_op.get("operationId")),
            Some((_, _, old_op)) => operation(&mut cx, &at, path, old_op, new_op),
        }
    }
    for (method, path, old_op) in &old_ops {
        if !new_ops.iter().any(|(m, p, _)| m == method && p == path) {
            cx.operation = shown(method, path, old_op);
            let at = format!("/paths/{}/{method}", escape_pointer(path));
            cx.push("api-operation-removed", at, old_op.get("operationId"), None);
        }
    }
    // `ErrorCode` has a variant per code any error example documents, in any operation.
    let (old_codes, new_codes) = (error_codes(old), error_codes(new));
    for (codes, others, rule) in [
        (&old_codes, &new_codes, "error-code-removed"),
        (&new_codes, &old_codes, "error-code-added"),
    ] {
        for (code, (method, path, op, pointer)) in codes {
            if !others.contains_key(code) {
                cx.operation = shown(method, path, op);
                let code = Value::String(code.clone());
                let (old, new) = match rule {
                    "error-code-removed" => (Some(&code), None),
                    _ => (None, Some(&code)),
                };
                cx.push(rule, pointer.clone(), old, new);
            }
        }
    }
    cx.findings
}

/// Every error code documented in an example of a non-2xx response, with where it is first
/// documented: (method, path, operation, pointer of the response).
fn error_codes(
    doc: &Value,
) -> std::collections::BTreeMap<String, (String, String, &Value, String)> {
    let mut codes = std::collections::BTreeMap::new();
    for (path, method, op) in operations_of(doc) {
        for (status, example) in error_examples(doc, op) {
            if let Some(code) = example.get("code").and_then(Value::as_str) {
                codes.entry(code.to_string()).or_insert_with(|| {
                    let at = format!(
                        "/paths/{}/{method}/responses/{}",
                        escape_pointer(path),
                        escape_pointer(status)
                    );
                    (method.clone(), path.clone(), op, at)
                });
            }
        }
    }
    codes
}

fn operation(cx: &mut Context, at: &str, path: &str, old: &Value, new: &Value) {
    if old.get("operationId") != new.get("operationId") {
        cx.push(
            "api-operation-id-renamed",
            format!("{at}/operationId"),
            old.get("operationId"),
            new.get("operationId"),
        );
    }
    let security = |op: &Value| -> BTreeSet<Vec<String>> {
        op.get("security")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_object)
            .map(|alt| alt.keys().cloned().collect())
            .collect()
    };
    if security(old) != security(new) {
        cx.push(
            "api-security-changed",
            format!("{at}/security"),
            old.get("security"),
            new.get("security"),
        );
    }
    for key in ["summary", "description"] {
        if old.get(key) != new.get(key) {
            cx.push(
                "documentation-changed",
                format!("{at}/{key}"),
                old.get(key),
                new.get(key),
            );
        }
    }
    parameters(cx, at, path, old, new);
    request_body(cx, at, old, new);
    responses(cx, at, old, new);
}

/// Parameters by (in, name), the path item's included.
fn parameter_map<'a>(doc: &'a Value, path: &str, op: &'a Value) -> Vec<(String, &'a Value)> {
    let item = doc.pointer(&format!("/paths/{}", escape_pointer(path)));
    let mut out: Vec<(String, &Value)> = Vec::new();
    let lists = [op.get("parameters"), item.and_then(|i| i.get("parameters"))];
    for list in lists.into_iter().flatten().filter_map(Value::as_array) {
        for p in list {
            let p = resolve(doc, p);
            let key = format!(
                "{}:{}",
                p.get("in").and_then(Value::as_str).unwrap_or(""),
                p.get("name")
                    .and_then(Value::as_str)
                    .unwrap_or("")
                    .to_ascii_lowercase()
            );
            if !out.iter().any(|(k, _)| *k == key) {
                out.push((key, p));
            }
        }
    }
    out
}

fn required(v: &Value) -> bool {
    v.get("required").and_then(Value::as_bool) == Some(true)
}

fn parameters(cx: &mut Context, at: &str, path: &str, old: &Value, new: &Value) {
    let old_params = parameter_map(cx.old_doc, path, old);
    let new_params = parameter_map(cx.new_doc, path, new);
    for (key, new_p) in &new_params {
        let name = new_p.get("name").and_then(Value::as_str).unwrap_or("");
        let here = format!("{at}/parameters/{}", escape_pointer(name));
        match old_params.iter().find(|(k, _)| k == key) {
            None if required(new_p) => {
                cx.push("request-parameter-added-required", here, None, Some(new_p))
            }
            None => cx.push("request-parameter-added-optional", here, None, Some(new_p)),
            Some((_, old_p)) => {
                if !required(old_p) && required(new_p) {
                    cx.push(
                        "request-parameter-became-required",
                        format!("{here}/required"),
                        old_p.get("required"),
                        new_p.get("required"),
                    );
                } else if required(old_p) && !required(new_p) {
                    cx.push(
                        "request-parameter-became-optional",
                        format!("{here}/required"),
                        old_p.get("required"),
                        new_p.get("required"),
                    );
                }
                if old_p.get("description") != new_p.get("description")
                    || old_p.get("example") != new_p.get("example")
                {
                    cx.push("documentation-changed", here.clone(), None, None);
                }
                let (old_s, new_s) = (
                    old_p
                        .get("schema")
                        .map(|s| resolve(cx.old_doc, s))
                        .unwrap_or(&Value::Null),
                    new_p
                        .get("schema")
                        .map(|s| resolve(cx.new_doc, s))
                        .unwrap_or(&Value::Null),
                );
                if old_s.get("default") != new_s.get("default") {
                    cx.push(
                        "request-parameter-default-changed",
                        format!("{here}/schema/default"),
                        old_s.get("default"),
                        new_s.get("default"),
                    );
                }
                constraints(
                    cx,
                    "request-parameter",
                    &format!("{here}/schema"),
                    old_s,
                    new_s,
                );
            }
        }
    }
    for (key, old_p) in &old_params {
        if !new_params.iter().any(|(k, _)| k == key) {
            let name = old_p.get("name").and_then(Value::as_str).unwrap_or("");
            cx.push(
                "request-parameter-removed",
                format!("{at}/parameters/{}", escape_pointer(name)),
                Some(old_p),
                None,
            );
        }
    }
}

/// Type, enum, maxLength and pattern changes of a request-side schema (`prefix` names the rule family).
fn constraints(cx: &mut Context, prefix: &str, here: &str, old: &Value, new: &Value) {
    let id = |suffix: &str| -> &'static str {
        match (prefix, suffix) {
            ("request-parameter", "type") => "request-parameter-type-changed",
            ("request-parameter", "enum") => "request-parameter-enum-value-removed",
            ("request-parameter", "max") => "request-parameter-max-length-decreased",
            ("request-parameter", "pattern-added") => "request-parameter-pattern-added",
            ("request-parameter", "pattern") => "request-parameter-pattern-changed",
            (_, "type") => "request-property-type-changed",
            (_, "enum") => "request-property-enum-value-removed",
            (_, "max") => "request-property-max-length-decreased",
            (_, "pattern-added") => "request-property-pattern-added",
            _ => "request-property-pattern-changed",
        }
    };
    if old.get("type") != new.get("type") && old.get("type").is_some() {
        cx.push(
            id("type"),
            format!("{here}/type"),
            old.get("type"),
            new.get("type"),
        );
    }
    if let (Some(old_enum), Some(new_enum)) = (
        old.get("enum").and_then(Value::as_array),
        new.get("enum").and_then(Value::as_array),
    ) {
        for value in old_enum.iter().filter(|v| !new_enum.contains(v)) {
            cx.push(id("enum"), format!("{here}/enum"), Some(value), None);
        }
    }
    let max = |s: &Value| s.get("maxLength").and_then(Value::as_u64);
    if let Some(new_max) = max(new)
        && max(old).is_none_or(|old_max| new_max < old_max)
    {
        cx.push(
            id("max"),
            format!("{here}/maxLength"),
            old.get("maxLength"),
            new.get("maxLength"),
        );
    }
    match (old.get("pattern"), new.get("pattern")) {
        (None, Some(p)) => cx.push(
            id("pattern-added"),
            format!("{here}/pattern"),
            None,
            Some(p),
        ),
        (Some(a), Some(b)) if a != b => {
            cx.push(id("pattern"), format!("{here}/pattern"), Some(a), Some(b))
        }
        _ => {}
    }
}

fn request_body(cx: &mut Context, at: &str, old: &Value, new: &Value) {
    let here = format!("{at}/requestBody");
    let (old_b, new_b) = (
        old.get("requestBody").map(|b| resolve(cx.old_doc, b)),
        new.get("requestBody").map(|b| resolve(cx.new_doc, b)),
    );
    match (old_b, new_b) {
        (None, Some(b)) if required(b) => cx.push("request-body-added-required", here, None, None),
        (None, Some(_)) => cx.push("request-body-added-optional", here, None, None),
        (Some(_), None) => cx.push("request-body-removed", here, None, None),
        (Some(old_b), Some(new_b)) => {
            let media = |b: &Value| {
                b.get("content")
                    .and_then(Value::as_object)
                    .cloned()
                    .unwrap_or_default()
            };
            let (old_m, new_m) = (media(old_b), media(new_b));
            for name in old_m.keys().filter(|k| !new_m.contains_key(*k)) {
                cx.push(
                    "request-body-media-type-removed",
                    format!("{here}/content/{}", escape_pointer(name)),
                    Some(&Value::String(name.clone())),
                    None,
                );
            }
            if old_b.get("description") != new_b.get("description") {
                cx.push(
                    "documentation-changed",
                    format!("{here}/description"),
                    old_b.get("description"),
                    new_b.get("description"),
                );
            }
            for (name, old_media) in &old_m {
                let Some(new_media) = new_m.get(name) else {
                    continue;
                };
                let at = format!("{here}/content/{}/schema", escape_pointer(name));
                examples(
                    cx,
                    &format!("{here}/content/{}", escape_pointer(name)),
                    old_media,
                    new_media,
                );
                if let (Some(o), Some(n)) = (old_media.get("schema"), new_media.get("schema")) {
                    request_schema(cx, &at, o, n, 0);
                }
            }
        }
        _ => {}
    }
}

fn examples(cx: &mut Context, here: &str, old: &Value, new: &Value) {
    for key in ["example", "examples"] {
        let (o, n) = (old.get(key), new.get(key));
        let resolved = |doc: &Value, v: Option<&Value>| v.map(|v| resolve_all(doc, v, 0));
        if resolved(cx.old_doc, o) != resolved(cx.new_doc, n) {
            cx.push("documentation-changed", format!("{here}/{key}"), None, None);
        }
    }
}

/// `v` with every `$ref` replaced by its target (bounded), to compare examples by content.
fn resolve_all(doc: &Value, v: &Value, depth: usize) -> Value {
    if depth > MAX_DEPTH {
        return v.clone();
    }
    match resolve(doc, v) {
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(k, x)| (k.clone(), resolve_all(doc, x, depth + 1)))
                .collect(),
        ),
        Value::Array(items) => Value::Array(
            items
                .iter()
                .map(|x| resolve_all(doc, x, depth + 1))
                .collect(),
        ),
        other => other.clone(),
    }
}

fn properties(doc: &Value, schema: &Value) -> (Map<String, Value>, Vec<String>) {
    let schema = resolve(doc, schema);
    let mut props = schema
        .get("properties")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    let mut req: Vec<String> = required_names(schema).map(String::from).collect();
    for member in schema
        .get("allOf")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let (p, r) = properties(doc, member);
        props.extend(p);
        req.extend(r);
    }
    (props, req)
}

fn request_schema(cx: &mut Context, here: &str, old: &Value, new: &Value, depth: usize) {
    if depth > MAX_DEPTH {
        return;
    }
    let (old_s, new_s) = (resolve(cx.old_doc, old), resolve(cx.new_doc, new));
    title(cx, here, old, new);
    constraints(cx, "request-property", here, old_s, new_s);
    let (old_p, old_r) = properties(cx.old_doc, old_s);
    let (new_p, new_r) = properties(cx.new_doc, new_s);
    for (name, new_prop) in &new_p {
        let at = format!("{here}/properties/{}", escape_pointer(name));
        let now_required = new_r.contains(name);
        match old_p.get(name) {
            None if now_required => {
                cx.push("request-property-added-required", at, None, Some(new_prop))
            }
            None => cx.push("request-property-added-optional", at, None, None),
            Some(old_prop) => {
                if now_required && !old_r.contains(name) {
                    cx.push(
                        "request-property-became-required",
                        at.clone(),
                        None,
                        Some(&Value::String(name.clone())),
                    );
                } else if !now_required && old_r.contains(name) {
                    cx.push(
                        "request-property-became-optional",
                        at.clone(),
                        Some(&Value::String(name.clone())),
                        None,
                    );
                }
                doc_keywords(
                    cx,
                    &at,
                    resolve(cx.old_doc, old_prop),
                    resolve(cx.new_doc, new_prop),
                );
                request_schema(cx, &at, old_prop, new_prop, depth + 1);
            }
        }
    }
    for name in old_p.keys().filter(|n| !new_p.contains_key(*n)) {
        cx.push(
            "request-property-removed",
            format!("{here}/properties/{}", escape_pointer(name)),
            Some(&Value::String(name.clone())),
            None,
        );
    }
    if let (Some(o), Some(n)) = (old_s.get("items"), new_s.get("items")) {
        request_schema(cx, &format!("{here}/items"), o, n, depth + 1);
    }
}

/// typify names an inline schema's type after its `title` when it has one (a component's type is
/// named after the component): for an inline schema that becomes a named type, a title edit
/// renames a Rust type.
fn title(cx: &mut Context, here: &str, old: &Value, new: &Value) {
    if names_a_type(old) && names_a_type(new) && old.get("title") != new.get("title") {
        cx.push(
            "schema-title-changed",
            format!("{here}/title"),
            old.get("title"),
            new.get("title"),
        );
    }
}

/// An inline schema that typify turns into a type of its own (named after its `title`, if any).
fn names_a_type(s: &Value) -> bool {
    s.get("$ref").is_none()
        && ["properties", "enum", "oneOf", "anyOf", "allOf"]
            .iter()
            .any(|k| s.get(k).is_some())
}

fn doc_keywords(cx: &mut Context, at: &str, old: &Value, new: &Value) {
    // The title of a schema that names a type is reported by `title`, as the rename it is.
    let title_is_a_name = names_a_type(old) && names_a_type(new);
    if DOC_KEYWORDS
        .iter()
        .filter(|k| !(title_is_a_name && **k == "title"))
        .any(|k| old.get(k) != new.get(k))
    {
        cx.push("documentation-changed", at.to_string(), None, None);
    }
}

fn responses(cx: &mut Context, at: &str, old: &Value, new: &Value) {
    let map = |op: &Value| {
        op.get("responses")
            .and_then(Value::as_object)
            .cloned()
            .unwrap_or_default()
    };
    let (old_r, new_r) = (map(old), map(new));
    for (status, old_resp) in &old_r {
        let here = format!("{at}/responses/{}", escape_pointer(status));
        let success = status.starts_with('2');
        let Some(new_resp) = new_r.get(status) else {
            if success {
                cx.push(
                    "response-success-status-removed",
                    here,
                    Some(&Value::String(status.clone())),
                    None,
                );
            }
            continue;
        };
        let (old_resp, new_resp) = (resolve(cx.old_doc, old_resp), resolve(cx.new_doc, new_resp));
        if old_resp.get("description") != new_resp.get("description") {
            cx.push(
                "documentation-changed",
                format!("{here}/description"),
                old_resp.get("description"),
                new_resp.get("description"),
            );
        }
        for (media, old_media) in old_resp
            .get("content")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
        {
            let Some(new_media) = new_resp.pointer(&format!("/content/{}", escape_pointer(media)))
            else {
                continue;
            };
            let at = format!("{here}/content/{}", escape_pointer(media));
            examples(cx, &at, old_media, new_media);
            if success
                && let (Some(o), Some(n)) = (old_media.get("schema"), new_media.get("schema"))
            {
                response_schema(cx, &format!("{at}/schema"), o, n, 0);
            }
        }
    }
    for status in new_r
        .keys()
        .filter(|s| s.starts_with('2') && !old_r.contains_key(*s))
    {
        cx.push(
            "response-success-status-added",
            format!("{at}/responses/{}", escape_pointer(status)),
            None,
            Some(&Value::String(status.clone())),
        );
    }
}

fn response_schema(cx: &mut Context, here: &str, old: &Value, new: &Value, depth: usize) {
    if depth > MAX_DEPTH {
        return;
    }
    let (old_s, new_s) = (resolve(cx.old_doc, old), resolve(cx.new_doc, new));
    title(cx, here, old, new);
    if old_s.get("type").is_some() && old_s.get("type") != new_s.get("type") {
        cx.push(
            "response-property-type-changed",
            format!("{here}/type"),
            old_s.get("type"),
            new_s.get("type"),
        );
    }
    if let (Some(old_enum), Some(new_enum)) = (
        old_s.get("enum").and_then(Value::as_array),
        new_s.get("enum").and_then(Value::as_array),
    ) {
        for value in new_enum.iter().filter(|v| !old_enum.contains(v)) {
            cx.push(
                "response-property-enum-value-added",
                format!("{here}/enum"),
                None,
                Some(value),
            );
        }
    }
    let (old_p, old_r) = properties(cx.old_doc, old_s);
    let (new_p, new_r) = properties(cx.new_doc, new_s);
    for (name, old_prop) in &old_p {
        let at = format!("{here}/properties/{}", escape_pointer(name));
        let Some(new_prop) = new_p.get(name) else {
            cx.push(
                "response-property-removed",
                at,
                Some(&Value::String(name.clone())),
                None,
            );
            continue;
        };
        match (old_r.contains(name), new_r.contains(name)) {
            (true, false) => cx.push("response-property-became-optional", at.clone(), None, None),
            (false, true) => cx.push("response-property-became-required", at.clone(), None, None),
            _ => {}
        }
        doc_keywords(
            cx,
            &at,
            resolve(cx.old_doc, old_prop),
            resolve(cx.new_doc, new_prop),
        );
        response_schema(cx, &at, old_prop, new_prop, depth + 1);
    }
    for name in new_p.keys().filter(|n| !old_p.contains_key(*n)) {
        cx.push(
            "response-property-added",
            format!("{here}/properties/{}", escape_pointer(name)),
            None,
            None,
        );
    }
    if let (Some(o), Some(n)) = (old_s.get("items"), new_s.get("items")) {
        response_schema(cx, &format!("{here}/items"), o, n, depth + 1);
    }
}
