//! Parameters compared: added, removed, made required, moved, their schemas' constraints.

use serde_json::Value;

use super::context::Context;
use crate::source::{escape_pointer, resolve};

/// Parameters by (in, name), the path item's included.
pub(super) fn parameter_map<'a>(
    doc: &'a Value,
    path: &str,
    op: &'a Value,
) -> Vec<(String, &'a Value)> {
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

pub(super) fn required(v: &Value) -> bool {
    v.get("required").and_then(Value::as_bool) == Some(true)
}

pub(super) fn parameters<'a>(
    cx: &mut Context<'a>,
    at: &str,
    path: &str,
    old: &'a Value,
    new: &'a Value,
) {
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
pub(super) fn constraints(cx: &mut Context, prefix: &str, here: &str, old: &Value, new: &Value) {
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
