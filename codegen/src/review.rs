//! The checked-in review copies of the generated API (`api/`), and the check that they are fresh.
//!
//! A spec change shows in review as three diffs: the spec, `api/client.rs` (what progenitor generates)
//! and `api/summary.txt` (one block per operation, then the types). `api/openapi.json` is the merged
//! document with overlays applied, for tools in other languages; `api/meta.rs` is what the handwritten
//! layer reads (security per operation, API version, error codes).

use std::path::{Path, PathBuf};

use similar::TextDiff;

use crate::manifest::with_features_block;
use crate::pipeline::Generated;

pub use crate::pipeline::REFRESH_COMMAND;

/// The review files: (name inside `api/`, content); the hash of the spec inputs
/// ([`fingerprint`](crate::fingerprint)) when `generated` came from a spec directory.
pub fn review_files(generated: &Generated) -> Vec<(&'static str, String)> {
    let mut files = vec![
        ("client.rs", generated.client.clone()),
        ("webhooks.rs", generated.webhooks.clone()),
        ("reconciliations.txt", generated.reconciliations.clone()),
        ("meta.rs", generated.meta.clone()),
        ("summary.txt", generated.summary.clone()),
        ("openapi.json", generated.merged_json()),
    ];
    if let Some(hash) = &generated.inputs_hash {
        files.push((crate::fingerprint::FILE, crate::fingerprint::record(hash)));
    }
    files
}

/// The crate's `Cargo.toml` (beside `api_dir`): its path, its text, and its text with the products
/// block `generated` implies.
///
/// A directory without `Cargo.toml` (specs checked outside a crate) has nothing to keep in sync: the
/// same text twice.
fn manifest(api_dir: &Path, generated: &Generated) -> std::io::Result<(PathBuf, String, String)> {
    let path = api_dir
        .parent()
        .unwrap_or(Path::new("."))
        .join("Cargo.toml");
    let old = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Ok((path, String::new(), String::new()));
        }
        Err(e) => return Err(e),
    };
    let new = with_features_block(&old, &generated.features_block)
        .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidData, e))?;
    Ok((path, old, new))
}

/// Writes the review copies into `api_dir` and the products block of the crate's `Cargo.toml`;
/// returns the names of the files whose content changed.
///
/// # Errors
/// A file cannot be read or written, or `Cargo.toml` has no products block.
pub fn refresh(api_dir: &Path, generated: &Generated) -> std::io::Result<Vec<&'static str>> {
    std::fs::create_dir_all(api_dir)?;
    let mut changed = Vec::new();
    let (path, old, new) = manifest(api_dir, generated)?;
    if old != new {
        std::fs::write(path, new)?;
        changed.push("../Cargo.toml");
    }
    for (name, content) in review_files(generated) {
        let path = api_dir.join(name);
        if std::fs::read_to_string(&path).ok().as_deref() != Some(content.as_str()) {
            std::fs::write(&path, content)?;
            changed.push(name);
        }
    }
    Ok(changed)
}

/// Compares the review copies in `api_dir` with `generated`.
///
/// # Errors
/// A readable report: for each stale or missing file a unified diff (checked in → generated, at most
/// `MAX_DIFF_LINES` lines per file), then the command that refreshes them.
pub fn check(api_dir: &Path, generated: &Generated) -> Result<(), String> {
    let mut report = String::new();
    match manifest(api_dir, generated) {
        Ok((_, old, new)) if old != new => {
            report.push_str(&diff(
                &old,
                &new,
                "Cargo.toml (checked in)",
                "Cargo.toml (products from spec/)",
            ));
            report.push('\n');
        }
        Ok(_) => {}
        Err(e) => report.push_str(&format!("Cargo.toml: {e}\n")),
    }
    for (name, fresh) in review_files(generated) {
        let path = api_dir.join(name);
        let old = std::fs::read_to_string(&path).unwrap_or_default();
        if old == fresh {
            continue;
        }
        let shown = format!("api/{name}");
        report.push_str(&diff(
            &old,
            &fresh,
            &format!("{shown} (checked in)"),
            &format!("{shown} (generated from spec/)"),
        ));
        report.push('\n');
    }
    if report.is_empty() {
        return Ok(());
    }
    Err(format!(
        "The review copies of the generated API are stale:\n\n{report}Refresh them with:\n    {REFRESH_COMMAND}\nand commit the result with the spec change."
    ))
}

/// Most diff lines shown per file; the rest is summarized in one line.
pub const MAX_DIFF_LINES: usize = 200;

/// A unified diff of `old` → `new`, cut at [`MAX_DIFF_LINES`].
pub fn diff(old: &str, new: &str, old_name: &str, new_name: &str) -> String {
    let text = TextDiff::from_lines(old, new)
        .unified_diff()
        .context_radius(2)
        .header(old_name, new_name)
        .to_string();
    let total = text.lines().count();
    if total <= MAX_DIFF_LINES {
        return text;
    }
    let mut cut: String = text
        .lines()
        .take(MAX_DIFF_LINES)
        .map(|l| format!("{l}\n"))
        .collect();
    cut.push_str(&format!(
        "... {} more diff lines not shown\n",
        total - MAX_DIFF_LINES
    ));
    cut
}
