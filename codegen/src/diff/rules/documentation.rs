//! Documentation-only changes: prose, titles that name a type, and examples.

use serde_json::Value;

use cashfree_openapi::keywords::{Kind, keywords_where};

use super::context::Context;
use crate::source::resolve;

/// `example` is a value (a `$ref` in it is text); each entry of `examples` is an Example Object or a
/// reference to one, compared by what it resolves to.
pub(super) fn examples(cx: &mut Context, here: &str, old: &Value, new: &Value) {
    if old.get("example") != new.get("example") {
        cx.push(
            "documentation-changed",
            format!("{here}/example"),
            None,
            None,
        );
    }
    let entries = |doc: &'_ Value, media: &Value| -> Option<Value> {
        let examples = media.get("examples")?;
        Some(match examples.as_object() {
            Some(map) => Value::Object(
                map.iter()
                    .map(|(k, e)| (k.clone(), resolve(doc, e).clone()))
                    .collect(),
            ),
            None => examples.clone(),
        })
    };
    if entries(cx.old_doc, old) != entries(cx.new_doc, new) {
        cx.push(
            "documentation-changed",
            format!("{here}/examples"),
            None,
            None,
        );
    }
}

/// Documentation of two properties, unless both are references: what those point to is compared
/// (once) as their pair.
pub(super) fn property_docs<'a>(cx: &mut Context<'a>, at: &str, old: &'a Value, new: &'a Value) {
    if old.get("$ref").is_none() || new.get("$ref").is_none() {
        doc_keywords(cx, at, resolve(cx.old_doc, old), resolve(cx.new_doc, new));
    }
}

/// typify names an inline schema's type after its `title` when it has one (a component's type is
/// named after the component): for an inline schema that becomes a named type, a title edit
/// renames a Rust type.
pub(super) fn title(cx: &mut Context, here: &str, old: &Value, new: &Value) {
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
pub(super) fn names_a_type(s: &Value) -> bool {
    s.get("$ref").is_none()
        && ["properties", "enum", "oneOf", "anyOf", "allOf"]
            .iter()
            .any(|k| s.get(k).is_some())
}

pub(super) fn doc_keywords(cx: &mut Context, at: &str, old: &Value, new: &Value) {
    // The title of a schema that names a type is reported by `title`, as the rename it is.
    let title_is_a_name = names_a_type(old) && names_a_type(new);
    if keywords_where(Kind::documents_only)
        .filter(|k| !(title_is_a_name && *k == "title"))
        .any(|k| old.get(k) != new.get(k))
    {
        cx.push("documentation-changed", at.to_string(), None, None);
    }
}
