//! Importing a Cashfree spec into `spec/`: from a docs page (Markdown prose with one ```` ```yaml ````
//! fence) or from a raw OpenAPI YAML/JSON file.
//!
//! The document is stored byte for byte as published, one file per operation, named after its
//! `operationId` (or `<method>-<path>` when it has none). A file already in `spec/` that defines the same
//! operation is replaced (renamed if the operationId changed). Nothing in `spec/` changes unless the input
//! is a single-operation OpenAPI 3.0.x document and the whole pipeline (overlays, merge, progenitor)
//! still succeeds with it, unless the caller allows conflicts so that an overlay can be written for them.

mod page;
mod supersede;

use std::path::{Path, PathBuf};

use crate::overlay::{Overlay, load_overlays};
use crate::pipeline::generate_specs;
use crate::problem::Problems;
use crate::source::{SpecFile, check_openapi_30, load_spec, parse_text, spec_paths};
use crate::spec_dir::SpecDir;

pub use page::extract_yaml_fence;
use page::single_operation;
use supersede::{Age, age, holds_among_others, superseding_overlay};

/// What an import did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Imported {
    /// The file written (or left as it was).
    pub path: PathBuf,
    /// `METHOD /path` of the operation.
    pub operation: String,
    /// What happened.
    pub outcome: Outcome,
    /// Problems the pipeline reports with the new file (only with `allow_conflicts`).
    pub problems: Option<Problems>,
    /// Overlays that now record that the new file wins over a multi-operation file (Cashfree's full
    /// spec) holding the same operation.
    pub superseding: Vec<PathBuf>,
}

/// What happened to `spec/`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// A new operation.
    Added,
    /// The operation's file was replaced with new content.
    Updated,
    /// The operation's file had another name; it was replaced by the new file.
    Renamed {
        /// The file that was removed.
        from: PathBuf,
    },
    /// The file already held exactly these bytes.
    Unchanged,
}

/// The file name for an operation: its operationId, or `<method>-<path>`, made safe for file systems.
pub fn file_stem(method: &str, path: &str, operation_id: Option<&str>) -> String {
    let raw = match operation_id {
        Some(id) if !id.trim().is_empty() => id.to_string(),
        _ => format!("{method}-{}", path.trim_matches('/')),
    };
    let mut stem: String = raw
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-') {
                c
            } else {
                '-'
            }
        })
        .collect();
    while stem.contains("--") {
        stem = stem.replace("--", "-");
    }
    stem.trim_matches(['-', '.']).to_string()
}

/// Imports `input` into `dir` (a spec directory with `overlays/` inside).
///
/// When a multi-operation file (Cashfree's full spec) holds the same operation, the page wins only
/// when its `info.version` shows it newer, or when `supersede` says so (the caller decided): the
/// overlay's reason says which. Without either, the import stops and says it cannot tell.
///
/// # Errors
/// A clear message; nothing in the spec directory has changed.
pub fn import(
    input: &Path,
    dir: &SpecDir,
    allow_conflicts: bool,
    supersede: bool,
) -> Result<Imported, String> {
    let shown = input.display();
    let bytes = std::fs::read(input).map_err(|e| format!("cannot read {shown}: {e}"))?;
    let text = String::from_utf8(bytes).map_err(|_| format!("{shown} is not UTF-8 text"))?;
    let ext = input
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    let (content, is_json) = match ext.as_str() {
        "yaml" | "yml" => (text.as_str(), false),
        "json" => (text.as_str(), true),
        _ => (
            extract_yaml_fence(&text).map_err(|e| format!("{shown}: {e}"))?,
            false,
        ),
    };
    let doc = parse_text(content).map_err(|e| format!("{shown}: {e}"))?;
    check_openapi_30(&doc).map_err(|e| format!("{shown}: {e}"))?;
    let (method, path, operation_id) =
        single_operation(&doc).map_err(|e| format!("{shown}: {e}"))?;
    let operation = format!("{} {path}", method.to_uppercase());
    let stem = file_stem(&method, &path, operation_id.as_deref());
    if stem.is_empty() {
        return Err(format!(
            "{shown}: operationId {:?} ({operation}) leaves no letter or digit for a file name; give the operation a usable operationId",
            operation_id.as_deref().unwrap_or("")
        ));
    }
    let name = format!("{stem}.{}", if is_json { "json" } else { "yaml" });
    let target = dir.specs.join(&name);

    // Which file in spec/ holds this operation today?
    let existing = spec_paths(&dir.specs)?;
    let mut others = Vec::new();
    let mut replaced = None;
    let mut problems = Problems::new();
    let mut bundles = Vec::new();
    for p in &existing {
        match load_spec(p) {
            Ok(spec) if holds_among_others(&spec.doc, &method, &path, operation_id.as_deref()) => {
                bundles.push(spec.path.clone());
                others.push(spec);
            }
            Ok(spec) => {
                let same = single_operation(&spec.doc).ok().is_some_and(|(m, pa, id)| {
                    (m == method && pa == path) || (id.is_some() && id == operation_id)
                });
                if same {
                    if replaced.is_some() {
                        return Err(format!(
                            "{operation} is defined by several files in {}; remove all but one first",
                            dir.specs.display()
                        ));
                    }
                    replaced = Some(spec);
                } else {
                    others.push(spec);
                }
            }
            Err(e) => problems.push(e),
        }
    }
    // Another operation whose id cleans up to the same file name must not be overwritten.
    if let Some(holder) = others.iter().find(|o| o.path == target) {
        let (held_method, held_path, held_id) = single_operation(&holder.doc)?;
        return Err(format!(
            "{shown}: operationId {:?} ({operation}) would be stored as {name}, which already holds operationId {:?} ({} {held_path}); the two ids clean up to the same file name, so rename one",
            operation_id.as_deref().unwrap_or(""),
            held_id.as_deref().unwrap_or(""),
            held_method.to_uppercase()
        ));
    }
    if replaced.as_ref().is_some_and(|r| r.path == target)
        && std::fs::read_to_string(&target).ok().as_deref() == Some(content)
    {
        return Ok(Imported {
            path: target,
            operation,
            outcome: Outcome::Unchanged,
            problems: None,
            superseding: Vec::new(),
        });
    }

    // Whether the page may win over each bundle holding the operation, and the reason recorded.
    let upper = method.to_uppercase();
    let reasons: Vec<Result<String, String>> = bundles
        .iter()
        .map(|bundle| {
            let held = others.iter().find(|o| &o.path == bundle).map(|o| &o.doc);
            let bundle_name = bundle
                .file_name()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default();
            let age = held.map_or_else(
                || Age::Unknown(format!("{bundle_name} could not be read")),
                |held| age(&doc, held, &name, &bundle_name),
            );
            match (age, supersede) {
                (Age::Newer(evidence), _) => Ok(format!(
                    "Superseded: spec/{name} holds {upper} {path} as a newer single-operation docs page ({evidence}), so it wins over {bundle_name}'s copy."
                )),
                (Age::Older(evidence), true) => Ok(format!(
                    "Superseded: spec/{name} holds {upper} {path} and wins over {bundle_name}'s copy because the import was told so (--supersede), although it looks older ({evidence})."
                )),
                (Age::Unknown(why), true) => Ok(format!(
                    "Superseded: spec/{name} holds {upper} {path} and wins over {bundle_name}'s copy because the import was told so (--supersede); the documents do not say which is newer ({why})."
                )),
                (Age::Older(evidence), false) => Err(format!(
                    "{shown} holds {operation}, which {bundle_name} also holds, and looks older ({evidence}), so spec/ was not changed. If the page should win anyway, import again with --supersede."
                )),
                (Age::Unknown(why), false) => Err(format!(
                    "{shown} holds {operation}, which {bundle_name} also holds, and the import cannot tell whether the page is newer or older ({why}), so spec/ was not changed. If the page should win over {bundle_name}'s copy, import again with --supersede; otherwise leave {bundle_name}'s copy."
                )),
            }
        })
        .collect();

    // Check the whole pipeline with the new file in place of the old one before touching spec/.
    others.push(SpecFile {
        path: target.clone(),
        name: name.clone(),
        doc,
    });
    let mut overlays = load_overlays(&dir.overlays).unwrap_or_else(|p| {
        problems.extend(p);
        Vec::new()
    });
    // The new page wins over a multi-operation file holding the same operation: recorded as an overlay
    // action removing it there, with its reason.
    let mut superseding = Vec::new();
    for (bundle, why) in bundles.iter().zip(&reasons) {
        let why = why.as_deref().map_err(String::as_str);
        let (overlay_path, text) = superseding_overlay(dir, bundle, &method, &path, why)?;
        let overlay = Overlay::parse(&text, &overlay_path).map_err(|p| p.to_string())?;
        overlays.retain(|o| o.path != overlay_path);
        overlays.push(overlay);
        superseding.push((overlay_path, text));
    }
    if problems.is_empty()
        && let Err(p) = generate_specs(others, &overlays)
    {
        problems.extend(p);
    }
    if !problems.is_empty() && !allow_conflicts {
        return Err(format!(
            "{shown} is a valid single-operation spec ({operation}), but the build would fail with it, so spec/ was not changed.\n\n{problems}\nWrite the overlay that resolves this (see README, \"Updating specs\") and import again with --allow-conflicts to write the file first."
        ));
    }

    for (overlay_path, text) in &superseding {
        std::fs::write(overlay_path, text)
            .map_err(|e| format!("cannot write {}: {e}", overlay_path.display()))?;
    }
    let tmp = dir.specs.join(format!(".{name}.importing"));
    std::fs::write(&tmp, content).map_err(|e| format!("cannot write {}: {e}", tmp.display()))?;
    std::fs::rename(&tmp, &target).map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        format!("cannot write {}: {e}", target.display())
    })?;
    let outcome = match replaced {
        None => Outcome::Added,
        Some(old) if old.path == target => Outcome::Updated,
        Some(old) => {
            std::fs::remove_file(&old.path).map_err(|e| {
                format!(
                    "wrote {}, but cannot remove the old file {}: {e}",
                    target.display(),
                    old.path.display()
                )
            })?;
            Outcome::Renamed { from: old.path }
        }
    };
    Ok(Imported {
        path: target,
        operation,
        outcome,
        problems: (!problems.is_empty()).then_some(problems),
        superseding: superseding.into_iter().map(|(p, _)| p).collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fence_content_is_extracted_byte_for_byte() {
        let page = "# Title\n\nprose\n\n````yaml post /x\nopenapi: 3.0.0\ndescription: |\n  ```yaml\n  inner\n  ```\n\n````\nafter\n";
        assert_eq!(
            extract_yaml_fence(page).unwrap(),
            "openapi: 3.0.0\ndescription: |\n  ```yaml\n  inner\n  ```\n\n"
        );
    }

    #[test]
    fn zero_or_several_fences_are_rejected() {
        assert!(
            extract_yaml_fence("no fences here\n```json\n{}\n```\n")
                .unwrap_err()
                .contains("no ```yaml fence")
        );
        let two = "```yaml\na: 1\n```\ntext\n~~~yaml\nb: 2\n~~~\n";
        let e = extract_yaml_fence(two).unwrap_err();
        assert!(e.contains("2 ```yaml fences found (lines 1, 5)"), "{e}");
        assert!(
            extract_yaml_fence("```yaml\na: 1\n")
                .unwrap_err()
                .contains("never closed")
        );
    }

    #[test]
    fn file_names_follow_the_operation() {
        assert_eq!(
            file_stem("post", "/oauth/token", Some("vrs-generate-auth-token")),
            "vrs-generate-auth-token"
        );
        assert_eq!(
            file_stem("get", "/verification/otpless/status", None),
            "get-verification-otpless-status"
        );
        assert_eq!(file_stem("get", "/a/{id}", Some("")), "get-a-id");
    }
}
