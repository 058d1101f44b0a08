//! When an imported single-operation file replaces an operation of a multi-operation bundle: the
//! overlay that records it.

use std::path::{Path, PathBuf};

use serde_json::Value;

use super::page::single_operation;
use crate::source::{escape_pointer, operations_of};
use crate::spec_dir::SpecDir;

/// `true` when `doc` holds several operations, one of which is `method path` (or has `operation_id`).
pub(super) fn holds_among_others(
    doc: &Value,
    method: &str,
    path: &str,
    operation_id: Option<&str>,
) -> bool {
    if single_operation(doc).is_ok() {
        return false;
    }
    let at_path = doc
        .pointer(&format!("/paths/{}/{method}", escape_pointer(path)))
        .is_some();
    let same_id = operation_id.is_some_and(|id| {
        operations_of(doc)
            .any(|(_, _, op)| op.get("operationId").and_then(Value::as_str) == Some(id))
    });
    at_path || same_id
}

/// The overlay that records which operations of `bundle` single-operation files replace
/// (`overlays/<bundle stem>.superseded.yaml`), with one more action for `method path` whose
/// description is `why` (its path and its new text); an action already there is kept as it is.
///
/// # Errors
/// `why` is `Err` (the import cannot tell whether the page should win) and the action is not there
/// yet: that message.
pub(super) fn superseding_overlay(
    dir: &SpecDir,
    bundle: &Path,
    method: &str,
    path: &str,
    why: Result<&str, &str>,
) -> Result<(PathBuf, String), String> {
    let stem = bundle
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let bundle_name = bundle
        .file_name()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let overlay_path = dir.overlays.join(format!("{stem}.superseded.yaml"));
    let mut text = match std::fs::read_to_string(&overlay_path) {
        Ok(text) => text,
        Err(_) => format!(
            "overlay: 1.0.0\ninfo:\n  title: Operations of {bundle_name} that newer single-operation docs pages replace\n  version: 1.0.0\nextends: ../{bundle_name}\n# Written by `cashfree-codegen import`; each action names the file that wins.\nactions:\n"
        ),
    };
    let target = format!(
        "$.paths['{}'].{method}",
        path.replace('\\', "\\\\").replace('\'', "\\'")
    );
    if text.contains(&format!(
        "target: {}",
        serde_json::Value::String(target.clone())
    )) {
        return Ok((overlay_path, text));
    }
    let description = why.map_err(String::from)?.to_string();
    if !text.ends_with('\n') {
        text.push('\n');
    }
    text.push_str(&format!(
        "\n  - target: {}\n    description: {}\n    remove: true\n",
        serde_json::Value::String(target),
        serde_json::Value::String(description)
    ));
    Ok((overlay_path, text))
}

/// Which of two documents is newer, from what they say of themselves: their `info.version`, when
/// both are dates (`YYYY-MM-DD`) or dotted numbers and differ.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Age {
    /// The page is newer; the evidence.
    Newer(String),
    /// The page is older; the evidence.
    Older(String),
    /// No evidence either way; why.
    Unknown(String),
}

/// The age of `page` against `bundle`.
pub(super) fn age(page: &Value, bundle: &Value, page_name: &str, bundle_name: &str) -> Age {
    let version = |doc: &Value| {
        doc.pointer("/info/version")
            .and_then(Value::as_str)
            .map(String::from)
    };
    let (Some(p), Some(b)) = (version(page), version(bundle)) else {
        return Age::Unknown(format!(
            "{page_name} or {bundle_name} states no info.version"
        ));
    };
    let key = |v: &str| -> Option<Vec<u64>> {
        v.split(['.', '-'])
            .map(|part| part.parse::<u64>().ok())
            .collect()
    };
    let evidence = format!("info.version {p:?} in {page_name}, {b:?} in {bundle_name}");
    match (key(&p), key(&b)) {
        (Some(kp), Some(kb)) if kp > kb => Age::Newer(evidence),
        (Some(kp), Some(kb)) if kp < kb => Age::Older(evidence),
        (Some(_), Some(_)) => Age::Unknown(format!("both state info.version {p:?}")),
        _ => Age::Unknown(format!("{evidence} cannot be ordered")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn only_differing_comparable_versions_are_evidence() {
        let doc = |v: &str| json!({"info": {"version": v}});
        let age_of = |p: &str, b: &str| age(&doc(p), &doc(b), "page.yaml", "full.json");
        assert!(
            matches!(age_of("2024-01-02", "2023-12-18"), Age::Newer(e) if e.contains("\"2024-01-02\" in page.yaml"))
        );
        assert!(matches!(age_of("1.9", "1.10"), Age::Older(_)));
        assert!(
            matches!(age_of("2023-12-18", "2023-12-18"), Age::Unknown(e) if e.contains("both state"))
        );
        assert!(
            matches!(age_of("beta", "1.0"), Age::Unknown(e) if e.contains("cannot be ordered"))
        );
        assert!(matches!(
            age(&json!({}), &doc("1"), "p", "b"),
            Age::Unknown(_)
        ));
    }
}
