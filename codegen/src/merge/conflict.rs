//! How a merge conflict is told: the values that differ, and an Overlay 1.0 snippet that would
//! resolve it.

use serde_json::Value;

use crate::compare::Difference;

pub(super) fn show(v: Option<&Value>) -> String {
    match v {
        None => "absent".into(),
        Some(v) => v.to_string(),
    }
}

pub(super) fn describe(d: &Difference, left_file: &str, right_file: &str) -> String {
    format!(
        "First structural difference at {}: {} in {left_file}, {} in {right_file}.",
        d.pointer,
        show(d.left.as_ref()),
        show(d.right.as_ref())
    )
}

/// An Overlay 1.0 snippet that would make `file`'s component agree with the earlier file at the first
/// difference. It is a starting point: the user decides which side is right.
pub(super) fn suggest_overlay(
    d: &Difference,
    file: &str,
    component_pointer: &str,
    component: &str,
) -> String {
    let relative = d.pointer.strip_prefix(component_pointer).unwrap_or("");
    let segments: Vec<&str> = relative.split('/').skip(1).collect();
    let (parent, last) = match segments.split_last() {
        Some((last, parent)) => (parent.to_vec(), Some(*last)),
        None => (Vec::new(), None),
    };
    let mut target = jsonpath_of(component_pointer);
    for seg in &parent {
        target.push_str(&jsonpath_segment(&unescape(seg)));
    }
    let action = match (last, &d.left) {
        (Some(key), Some(value)) => {
            let key = unescape(key);
            format!(
                "    update:\n      {}: {}",
                serde_json::to_string(&key).unwrap_or_default(),
                serde_json::to_string(value).unwrap_or_default()
            )
        }
        (Some(key), None) => {
            target.push_str(&jsonpath_segment(&unescape(key)));
            "    remove: true".to_string()
        }
        (None, _) => "    update: {...}".to_string(),
    };
    format!(
        "  # spec/overlays/resolve-{component}.yaml\n  overlay: 1.0.0\n  info: {{title: Resolve {component}, version: 1.0.0}}\n  extends: ../{file}\n  actions:\n  - target: \"{target}\"\n    description: <one line: why {file} must agree with the other file here>\n{action}"
    )
}

fn unescape(segment: &str) -> String {
    segment.replace("~1", "/").replace("~0", "~")
}

fn jsonpath_segment(name: &str) -> String {
    if let Ok(i) = name.parse::<usize>() {
        return format!("[{i}]");
    }
    if !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
        format!(".{name}")
    } else {
        format!("['{}']", name.replace('\\', "\\\\").replace('\'', "\\'"))
    }
}

fn jsonpath_of(pointer: &str) -> String {
    let mut out = String::from("$");
    for seg in pointer.split('/').skip(1) {
        out.push_str(&jsonpath_segment(&unescape(seg)));
    }
    out
}

/// The problem of an operation two files define, with the way out: `import` for a docs page, which
/// replaces the file holding the same operation or, when a multi-operation file (Cashfree's full
/// spec) holds it, records in that file's superseding overlay that the page wins.
pub(super) fn defined_twice(op_key: &str, first: (&str, usize), second: (&str, usize)) -> String {
    let import = "cargo run -p cashfree-verification-codegen -- import";
    let bundle = [first, second].into_iter().find(|(_, n)| *n > 1);
    let page = [first, second].into_iter().find(|(_, n)| *n == 1);
    let way_out = match (bundle, page) {
        (Some((bundle, n)), Some((page, _))) => {
            let stem = bundle.rsplit_once('.').map_or(bundle, |(s, _)| s);
            format!(
                "{page} holds only this operation, {bundle} holds {n}: to have the page win, take {page} out of spec/ and `{import} <the page>`, which records it as an action removing {op_key} from {bundle} in spec/overlays/{stem}.superseded.yaml (or add that action yourself); to keep {bundle}'s copy, delete {page}."
            )
        }
        (None, Some(_)) => format!(
            "Keep one file per operation: delete one of them, or `{import} <the page>`, which replaces the file that holds the same operation."
        ),
        _ => format!(
            "Both files hold several operations: remove {op_key} from one of them with an overlay that `extends` it (an action with `remove: true`, as in spec/overlays/*.superseded.yaml)."
        ),
    };
    format!(
        "{op_key} is defined twice: in {} and in {}.\n{way_out}",
        first.0, second.0
    )
}
