//! Comparing two versions of one component: identical, different only in documentation, or
//! structurally different (with the JSON pointer of each difference).

use serde_json::{Map, Value};

use cashfree_openapi::keywords::{Kind, is_name_map, kind};

use crate::source::escape_pointer;

/// One structural difference.
#[derive(Debug, Clone, PartialEq)]
pub struct Difference {
    /// JSON pointer into the document (e.g. `/components/parameters/global_x_api_version/required`).
    pub pointer: String,
    /// The value in the first file, `None` when absent there.
    pub left: Option<Value>,
    /// The value in the second file, `None` when absent there.
    pub right: Option<Value>,
}

/// The outcome of comparing two versions.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Comparison {
    /// Structural differences, in document order (first file's key order, then keys only in the second).
    pub structural: Vec<Difference>,
    /// Pointers of documentation keywords that differ.
    pub documentation: Vec<String>,
}

impl Comparison {
    /// `true` when the two versions are the same in every byte that matters and every byte that documents.
    pub fn identical(&self) -> bool {
        self.structural.is_empty() && self.documentation.is_empty()
    }
}

#[derive(Clone, Copy, PartialEq)]
enum Context {
    /// Keys are OpenAPI/JSON Schema keywords.
    Keywords,
    /// Keys are names chosen by the author (properties, components, media types...).
    Names,
    /// Inside `enum`, `default` and other literal data: everything is structural.
    Literal,
}

/// Compares `left` and `right`, which live at `pointer` in their documents.
pub fn compare(left: &Value, right: &Value, pointer: &str) -> Comparison {
    let mut out = Comparison::default();
    walk(left, right, pointer, Context::Keywords, &mut out);
    out
}

fn child_context(ctx: Context, key: &str) -> Context {
    match ctx {
        Context::Literal => Context::Literal,
        Context::Names => Context::Keywords,
        Context::Keywords if is_name_map(key) => Context::Names,
        Context::Keywords if kind(key) == Kind::Literal || key.starts_with("x-") => {
            Context::Literal
        }
        Context::Keywords => Context::Keywords,
    }
}

fn is_doc(ctx: Context, key: &str) -> bool {
    ctx == Context::Keywords && kind(key).documents_only()
}

fn walk(left: &Value, right: &Value, pointer: &str, ctx: Context, out: &mut Comparison) {
    match (left, right) {
        (Value::Object(l), Value::Object(r)) => {
            for (key, lv) in l {
                let p = format!("{pointer}/{}", escape_pointer(key));
                match r.get(key) {
                    Some(rv) if is_doc(ctx, key) => {
                        if lv != rv {
                            out.documentation.push(p);
                        }
                    }
                    Some(rv) => walk(lv, rv, &p, child_context(ctx, key), out),
                    None if is_doc(ctx, key) => out.documentation.push(p),
                    None => out.structural.push(Difference {
                        pointer: p,
                        left: Some(lv.clone()),
                        right: None,
                    }),
                }
            }
            for (key, rv) in r.iter().filter(|(k, _)| !l.contains_key(*k)) {
                let p = format!("{pointer}/{}", escape_pointer(key));
                if is_doc(ctx, key) {
                    out.documentation.push(p);
                } else {
                    out.structural.push(Difference {
                        pointer: p,
                        left: None,
                        right: Some(rv.clone()),
                    });
                }
            }
        }
        (Value::Array(l), Value::Array(r)) => {
            let item_ctx = if ctx == Context::Names {
                Context::Keywords
            } else {
                ctx
            };
            for (i, (lv, rv)) in l.iter().zip(r).enumerate() {
                walk(lv, rv, &format!("{pointer}/{i}"), item_ctx, out);
            }
            if l.len() != r.len() {
                let i = l.len().min(r.len());
                out.structural.push(Difference {
                    pointer: format!("{pointer}/{i}"),
                    left: l.get(i).cloned(),
                    right: r.get(i).cloned(),
                });
            }
        }
        (l, r) if l == r => {}
        (l, r) => out.structural.push(Difference {
            pointer: pointer.to_string(),
            left: Some(l.clone()),
            right: Some(r.clone()),
        }),
    }
}

/// Merges two versions that differ only in documentation: every documentation keyword comes from
/// `first` when it has it, otherwise from `second`; everything else is identical by precondition.
pub fn merge_documentation(first: &Value, second: &Value) -> Value {
    merge_doc(first, second, Context::Keywords)
}

fn merge_doc(first: &Value, second: &Value, ctx: Context) -> Value {
    match (first, second) {
        (Value::Object(f), Value::Object(s)) => {
            let mut out = Map::new();
            for (key, fv) in f {
                let merged = match s.get(key) {
                    Some(sv) if !is_doc(ctx, key) => merge_doc(fv, sv, child_context(ctx, key)),
                    _ => fv.clone(),
                };
                out.insert(key.clone(), merged);
            }
            for (key, sv) in s.iter().filter(|(k, _)| !f.contains_key(*k)) {
                out.insert(key.clone(), sv.clone());
            }
            Value::Object(out)
        }
        (Value::Array(f), Value::Array(s)) if f.len() == s.len() => {
            let item_ctx = if ctx == Context::Names {
                Context::Keywords
            } else {
                ctx
            };
            Value::Array(
                f.iter()
                    .zip(s)
                    .map(|(a, b)| merge_doc(a, b, item_ctx))
                    .collect(),
            )
        }
        (f, _) => f.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn identical_values_are_identical() {
        let v = json!({"type": "object", "properties": {"a": {"type": "string"}}});
        assert!(compare(&v, &v, "/c").identical());
    }

    #[test]
    fn documentation_keywords_are_not_structural() {
        let a = json!({"type": "string", "description": "A", "example": 1, "externalDocs": {"url": "x"}});
        let b = json!({"type": "string", "description": "B", "title": "T"});
        let c = compare(&a, &b, "/c");
        assert!(c.structural.is_empty(), "{c:?}");
        assert_eq!(
            c.documentation,
            [
                "/c/description",
                "/c/example",
                "/c/externalDocs",
                "/c/title"
            ]
        );
    }

    #[test]
    fn a_property_named_like_a_keyword_is_structural() {
        let a = json!({"properties": {"description": {"type": "string"}}});
        let b = json!({"properties": {"description": {"type": "integer"}}});
        let c = compare(&a, &b, "");
        assert_eq!(c.structural[0].pointer, "/properties/description/type");
        let b = json!({"properties": {}});
        assert_eq!(
            compare(&a, &b, "").structural[0].pointer,
            "/properties/description"
        );
    }

    #[test]
    fn enum_default_and_required_are_structural() {
        let a = json!({"enum": ["A"], "default": {"description": "x"}, "required": ["a", "b"]});
        let b = json!({"enum": ["A", "B"], "default": {"description": "y"}, "required": ["a"]});
        let pointers: Vec<_> = compare(&a, &b, "")
            .structural
            .into_iter()
            .map(|d| d.pointer)
            .collect();
        assert_eq!(pointers, ["/enum/1", "/default/description", "/required/1"]);
    }

    #[test]
    fn ref_targets_and_missing_keys_are_structural_with_escaped_pointers() {
        let a = json!({"content": {"application/json": {"schema": {"$ref": "#/components/schemas/A"}}}});
        let b = json!({"content": {"application/json": {"schema": {"$ref": "#/components/schemas/B"}}}});
        let c = compare(&a, &b, "/r");
        assert_eq!(
            c.structural[0].pointer,
            "/r/content/application~1json/schema/$ref"
        );
    }

    #[test]
    fn merged_documentation_prefers_first_and_fills_gaps() {
        let a = json!({"type": "object", "description": "first", "properties": {"p": {"type": "string"}}});
        let b = json!({"type": "object", "description": "second", "title": "T",
                       "properties": {"p": {"type": "string", "description": "p doc"}}});
        let m = merge_documentation(&a, &b);
        assert_eq!(m["description"], "first");
        assert_eq!(m["title"], "T");
        assert_eq!(m["properties"]["p"]["description"], "p doc");
        assert!(compare(&m, &a, "").structural.is_empty());
    }
}
