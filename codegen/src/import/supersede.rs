//! When an imported single-operation file replaces an operation of a multi-operation bundle: the
//! overlay that records it.

use std::path::{Path, PathBuf};

use serde_json::Value;

use super::page::single_operation;
use crate::pipeline::SpecDir;
use crate::source::{escape_pointer, operations_of};

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

/// The overlay that records which operations of `bundle` newer single-operation files replace
/// (`overlays/<bundle stem>.superseded.yaml`), with one more action for `method path`: its path and
/// its new text.
pub(super) fn superseding_overlay(
    dir: &SpecDir,
    bundle: &Path,
    method: &str,
    path: &str,
    new_file: &str,
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
    if !text.ends_with('\n') {
        text.push('\n');
    }
    let description = format!(
        "Superseded: spec/{new_file} holds {} {path} as a newer single-operation docs page, so it wins over {bundle_name}'s copy.",
        method.to_uppercase()
    );
    text.push_str(&format!(
        "\n  - target: {}\n    description: {}\n    remove: true\n",
        serde_json::Value::String(target),
        serde_json::Value::String(description)
    ));
    Ok((overlay_path, text))
}
