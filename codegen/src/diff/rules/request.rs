//! Request bodies and the schemas users send: what they must now send, or may no longer.

use serde_json::Value;

use super::context::{Context, MAX_DEPTH, Side};
use super::documentation::{examples, property_docs, title};
use super::parameters::{constraints, required};
use super::properties::{named, properties};
use crate::source::{escape_pointer, resolve};

pub(super) fn request_body<'a>(cx: &mut Context<'a>, at: &str, old: &'a Value, new: &'a Value) {
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
            let media = |b: &'a Value| b.get("content").and_then(Value::as_object);
            let (old_m, new_m) = (media(old_b), media(new_b));
            let in_new = |name: &str| new_m.and_then(|m| m.get(name));
            for name in old_m.into_iter().flatten().map(|(k, _)| k) {
                if in_new(name).is_some() {
                    continue;
                }
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
            for (name, old_media) in old_m.into_iter().flatten() {
                let Some(new_media) = in_new(name) else {
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

pub(super) fn request_schema<'a>(
    cx: &mut Context<'a>,
    here: &str,
    old: &'a Value,
    new: &'a Value,
    depth: usize,
) {
    if depth > MAX_DEPTH || cx.follow(Side::Request, old, new) {
        return;
    }
    let (old_s, new_s) = (resolve(cx.old_doc, old), resolve(cx.new_doc, new));
    title(cx, here, old, new);
    constraints(cx, "request-property", here, old_s, new_s);
    let (old_p, old_r) = properties(cx.old_doc, old_s);
    let (new_p, new_r) = properties(cx.new_doc, new_s);
    for &(name, new_prop) in &new_p {
        let at = format!("{here}/properties/{}", escape_pointer(name));
        let now_required = new_r.contains(name);
        match named(&old_p, name) {
            None if now_required => {
                cx.push("request-property-added-required", at, None, Some(new_prop))
            }
            None => cx.push("request-property-added-optional", at, None, None),
            Some(old_prop) => {
                let name_value = Value::String(name.to_string());
                if now_required && !old_r.contains(name) {
                    cx.push(
                        "request-property-became-required",
                        at.clone(),
                        None,
                        Some(&name_value),
                    );
                } else if !now_required && old_r.contains(name) {
                    cx.push(
                        "request-property-became-optional",
                        at.clone(),
                        Some(&name_value),
                        None,
                    );
                }
                property_docs(cx, &at, old_prop, new_prop);
                request_schema(cx, &at, old_prop, new_prop, depth + 1);
            }
        }
    }
    for &(name, _) in old_p.iter().filter(|(n, _)| named(&new_p, n).is_none()) {
        cx.push(
            "request-property-removed",
            format!("{here}/properties/{}", escape_pointer(name)),
            Some(&Value::String(name.to_string())),
            None,
        );
    }
    if let (Some(o), Some(n)) = (old_s.get("items"), new_s.get("items")) {
        request_schema(cx, &format!("{here}/items"), o, n, depth + 1);
    }
}
