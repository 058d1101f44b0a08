//! OpenAPI Overlay 1.0 documents: reviewable corrections that are applied to Cashfree's specs, never
//! edited into them.
//!
//! An overlay is applied in one of two places:
//! - with `extends` (a path relative to the overlay file, an absolute path or a `file://` URL), it is
//!   applied to that one spec file *before* merging. This is how a structural merge conflict is resolved
//!   explicitly: the overlay makes one file's component agree with the other's.
//! - without `extends`, it is applied to the merged document *after* merging: corrections such as
//!   accepting the shapes Cashfree really returns.
//!
//! Semantics follow Overlay 1.0.0: `target` is an RFC 9535 JSONPath; `update` is merged into every
//! selected object (objects recursively, other values replaced) or appended to every selected array;
//! `remove: true` removes every selected node. Two rules are stricter than the standard, because a
//! silently ignored correction is a bug: every action must carry a one-line `description` (its reason),
//! and an action whose target selects nothing is an error.

use std::path::{Path, PathBuf};

use serde_json::Value;

mod action;

use action::parse_action;
pub use action::{Action, Change};

use crate::problem::Problems;
use crate::source::parse_text;

/// A parsed, validated overlay document.
#[derive(Debug, Clone)]
pub struct Overlay {
    /// The file it came from.
    pub path: PathBuf,
    /// The file name, used in messages.
    pub name: String,
    /// The spec file this overlay targets, resolved; `None` means the merged document.
    pub extends: Option<PathBuf>,
    /// The actions, in order.
    pub actions: Vec<Action>,
}

impl Overlay {
    /// Reads and validates an overlay file.
    ///
    /// # Errors
    /// Every problem found in the file, each naming the file and the action.
    pub fn load(path: &Path) -> Result<Overlay, Problems> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| Problems::from(format!("cannot read overlay {}: {e}", path.display())))?;
        Overlay::parse(&text, path)
    }

    /// Parses overlay text; `path` is where it lives (it anchors a relative `extends`).
    ///
    /// # Errors
    /// Every problem found, each naming the file and the action.
    pub fn parse(text: &str, path: &Path) -> Result<Overlay, Problems> {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let shown = path.display().to_string();
        let doc = parse_text(text).map_err(|e| Problems::from(format!("overlay {shown}: {e}")))?;
        let mut problems = Problems::new();
        let Some(obj) = doc.as_object() else {
            return Err(format!("overlay {shown}: not a mapping at the top level").into());
        };
        match obj.get("overlay").and_then(Value::as_str) {
            Some(v) if v == "1.0.0" || v.starts_with("1.0.") => {}
            Some(v) => problems.push(format!(
                "overlay {shown}: `overlay: {v}` is not supported; use 1.0.0"
            )),
            None => problems.push(format!(
                "overlay {shown}: missing `overlay: 1.0.0`, so this is not an Overlay 1.0 document"
            )),
        }
        let info = obj.get("info");
        for field in ["title", "version"] {
            if info
                .and_then(|i| i.get(field))
                .and_then(Value::as_str)
                .is_none()
            {
                problems.push(format!(
                    "overlay {shown}: `info.{field}` is required (a string)"
                ));
            }
        }
        let extends = match obj.get("extends") {
            None => None,
            Some(Value::String(s)) => Some(resolve_extends(s, path)),
            Some(other) => {
                problems.push(format!(
                    "overlay {shown}: `extends` must be a string, found {other}"
                ));
                None
            }
        };
        let mut actions = Vec::new();
        match obj.get("actions").and_then(Value::as_array) {
            None => problems.push(format!(
                "overlay {shown}: `actions` (a non-empty list) is required"
            )),
            Some(list) if list.is_empty() => {
                problems.push(format!("overlay {shown}: `actions` is empty"));
            }
            Some(list) => {
                for (i, raw) in list.iter().enumerate() {
                    match parse_action(raw) {
                        Ok(a) => actions.push(a),
                        Err(e) => problems.push(format!("overlay {shown}, action {}: {e}", i + 1)),
                    }
                }
            }
        }
        problems.into_result(Overlay {
            path: path.to_path_buf(),
            name,
            extends,
            actions,
        })
    }

    /// Applies every action to `doc`, in order.
    ///
    /// # Errors
    /// Every action that could not apply (selects nothing, bad target kind), naming file, action and reason.
    pub fn apply(&self, doc: &mut Value) -> Result<(), Problems> {
        let mut problems = Problems::new();
        for (i, action) in self.actions.iter().enumerate() {
            if let Err(e) = action.apply(doc) {
                problems.push(format!(
                    "overlay {}, action {} (target `{}`, \"{}\"): {e}",
                    self.path.display(),
                    i + 1,
                    action.target,
                    action.description
                ));
            }
        }
        problems.into_result(())
    }
}

fn resolve_extends(extends: &str, overlay_path: &Path) -> PathBuf {
    let raw = extends.strip_prefix("file://").unwrap_or(extends);
    let p = Path::new(raw);
    let joined = if p.is_absolute() {
        p.to_path_buf()
    } else {
        overlay_path.parent().unwrap_or(Path::new(".")).join(p)
    };
    std::fs::canonicalize(&joined).unwrap_or(joined)
}

/// Lists the overlay files (`*.yaml`, `*.yml`, `*.json`) in `dir`, sorted by name; a missing directory
/// means no overlays.
///
/// # Errors
/// The directory exists but cannot be read.
pub fn overlay_paths(dir: &Path) -> Result<Vec<PathBuf>, String> {
    if !dir.exists() {
        return Ok(Vec::new());
    }
    crate::source::spec_paths(dir)
}

/// Loads every overlay in `dir`, reporting all problems.
///
/// # Errors
/// Every problem in every overlay file.
pub fn load_overlays(dir: &Path) -> Result<Vec<Overlay>, Problems> {
    let mut problems = Problems::new();
    let mut overlays = Vec::new();
    for path in overlay_paths(dir).map_err(Problems::from)? {
        match Overlay::load(&path) {
            Ok(o) => overlays.push(o),
            Err(p) => problems.extend(p),
        }
    }
    problems.into_result(overlays)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn overlay(text: &str) -> Result<Overlay, Problems> {
        Overlay::parse(text, Path::new("/tmp/o/fix.yaml"))
    }

    const HEAD: &str = "overlay: 1.0.0\ninfo: {title: t, version: '1'}\n";

    #[test]
    fn update_merges_objects_recursively_and_replaces_values() {
        let o = overlay(&format!(
            "{HEAD}actions:\n- target: $.a\n  description: why\n  update: {{b: {{c: 2}}, d: [9]}}\n"
        ))
        .unwrap();
        let mut doc = json!({"a": {"b": {"c": 1, "keep": true}, "d": [1, 2]}});
        o.apply(&mut doc).unwrap();
        assert_eq!(doc, json!({"a": {"b": {"c": 2, "keep": true}, "d": [9]}}));
    }

    #[test]
    fn update_appends_to_arrays() {
        let o = overlay(&format!(
            "{HEAD}actions:\n- target: $.list\n  description: why\n  update: x\n"
        ))
        .unwrap();
        let mut doc = json!({"list": ["a"]});
        o.apply(&mut doc).unwrap();
        assert_eq!(doc, json!({"list": ["a", "x"]}));
    }

    #[test]
    fn remove_deletes_every_selected_node_preserving_order() {
        let o = overlay(&format!(
            "{HEAD}actions:\n- target: $.m.b\n  description: why\n  remove: true\n- target: $.l[0,2]\n  description: why\n  remove: true\n"
        ))
        .unwrap();
        let mut doc = json!({"m": {"a": 1, "b": 2, "c": 3}, "l": [0, 1, 2, 3]});
        o.apply(&mut doc).unwrap();
        assert_eq!(doc, json!({"m": {"a": 1, "c": 3}, "l": [1, 3]}));
        let keys: Vec<_> = doc["m"].as_object().unwrap().keys().cloned().collect();
        assert_eq!(keys, ["a", "c"]);
    }

    #[test]
    fn target_that_selects_nothing_is_an_error() {
        let o = overlay(&format!(
            "{HEAD}actions:\n- target: $.nope\n  description: why\n  update: {{a: 1}}\n"
        ))
        .unwrap();
        let err = o.apply(&mut json!({"a": 1})).unwrap_err().to_string();
        assert!(
            err.contains("selects nothing") && err.contains("$.nope") && err.contains("fix.yaml"),
            "{err}"
        );
    }

    #[test]
    fn every_invalid_action_is_reported_at_once() {
        let err = overlay(&format!(
            "{HEAD}actions:\n- target: $.a\n  update: {{}}\n- target: '$[?'\n  description: x\n  update: {{}}\n- target: $.b\n  description: d\n"
        ))
        .unwrap_err();
        assert_eq!(err.0.len(), 3, "{err}");
        assert!(err.0[0].contains("action 1") && err.0[0].contains("description"));
        assert!(err.0[1].contains("action 2") && err.0[1].contains("not valid JSONPath"));
        assert!(err.0[2].contains("action 3") && err.0[2].contains("does nothing"));
    }

    #[test]
    fn header_is_checked() {
        let err = overlay("info: {}\nactions: []\n").unwrap_err();
        let text = err.to_string();
        assert!(
            text.contains("overlay: 1.0.0")
                && text.contains("info.title")
                && text.contains("empty"),
            "{text}"
        );
    }

    #[test]
    fn relative_extends_resolves_against_the_overlay_file() {
        let o = overlay(&format!(
            "{HEAD}extends: ../spec.yaml\nactions:\n- target: $\n  description: why\n  update: {{}}\n"
        ))
        .unwrap();
        assert_eq!(o.extends.unwrap(), Path::new("/tmp/o/../spec.yaml"));
    }

    #[test]
    fn update_on_a_scalar_is_an_error() {
        let o = overlay(&format!(
            "{HEAD}actions:\n- target: $.a\n  description: why\n  update: {{b: 1}}\n"
        ))
        .unwrap();
        let err = o.apply(&mut json!({"a": 5})).unwrap_err().to_string();
        assert!(err.contains("neither an object nor an array"), "{err}");
    }
}
