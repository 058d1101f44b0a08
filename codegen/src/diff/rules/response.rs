//! Responses and the schemas users read: what they may no longer get, or get in another shape.

use serde_json::Value;

use super::context::{Context, MAX_DEPTH, Side};
use super::documentation::{examples, property_docs, title};
use super::properties::{named, properties};
use crate::source::{escape_pointer, resolve};

pub(super) fn responses<'a>(cx: &mut Context<'a>, at: &str, old: &'a Value, new: &'a Value) {
    let map = |op: &'a Value| op.get("responses").and_then(Value::as_object);
    let (old_r, new_r) = (map(old), map(new));
    let in_new = |status: &str| new_r.and_then(|m| m.get(status));
    for (status, old_resp) in old_r.into_iter().flatten() {
        let here = format!("{at}/responses/{}", escape_pointer(status));
        let success = status.starts_with('2');
        let Some(new_resp) = in_new(status) else {
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
        .into_iter()
        .flatten()
        .map(|(k, _)| k)
        .filter(|s| s.starts_with('2') && !old_r.is_some_and(|m| m.contains_key(*s)))
    {
        cx.push(
            "response-success-status-added",
            format!("{at}/responses/{}", escape_pointer(status)),
            None,
            Some(&Value::String(status.clone())),
        );
    }
}

pub(super) fn response_schema<'a>(
    cx: &mut Context<'a>,
    here: &str,
    old: &'a Value,
    new: &'a Value,
    depth: usize,
) {
    if depth > MAX_DEPTH || cx.follow(Side::Response, old, new) {
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
    for &(name, old_prop) in &old_p {
        let at = format!("{here}/properties/{}", escape_pointer(name));
        let Some(new_prop) = named(&new_p, name) else {
            cx.push(
                "response-property-removed",
                at,
                Some(&Value::String(name.to_string())),
                None,
            );
            continue;
        };
        match (old_r.contains(name), new_r.contains(name)) {
            (true, false) => cx.push("response-property-became-optional", at.clone(), None, None),
            (false, true) => cx.push("response-property-became-required", at.clone(), None, None),
            _ => {}
        }
        property_docs(cx, &at, old_prop, new_prop);
        response_schema(cx, &at, old_prop, new_prop, depth + 1);
    }
    for &(name, _) in new_p.iter().filter(|(n, _)| named(&old_p, n).is_none()) {
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
