//! What `build.rs` of `cashfree-verification` does, so that `build.rs` stays three lines.

use std::collections::BTreeSet;
use std::path::PathBuf;

use crate::merge::DocumentationOnly;
use crate::pipeline::REFRESH_COMMAND;
use crate::spec_dir::SpecDir;
use crate::{acknowledged, fingerprint, products};

/// The environment variable that makes the build script print its timing as a cargo warning. Any new
/// value re-runs the build script, so `CASHFREE_CODEGEN_TIMING=$RANDOM cargo build` always measures.
pub const TIMING_ENV: &str = "CASHFREE_CODEGEN_TIMING";

/// Runs the pipeline on `$CARGO_MANIFEST_DIR/spec` and writes `codegen.rs`, `summary.txt` and
/// `openapi.json` into `$OUT_DIR`. On failure it prints every problem and exits with status 1: a build
/// script that panics would bury the message under a backtrace.
pub fn run() {
    if let Err(message) = try_run() {
        eprintln!("\ncashfree-verification could not generate its client from spec/.\n\n{message}");
        std::process::exit(1);
    }
}

fn env_path(name: &str) -> Result<PathBuf, String> {
    std::env::var_os(name)
        .map(PathBuf::from)
        .ok_or_else(|| format!("{name} is not set; run this from a build script"))
}

fn try_run() -> Result<(), String> {
    let manifest = env_path("CARGO_MANIFEST_DIR")?;
    let out = env_path("OUT_DIR")?;
    let dir = SpecDir::new(manifest.join("spec"));
    // A directory makes cargo watch every file below it (spec files and overlays); nothing in src/.
    println!("cargo::rerun-if-changed={}", dir.specs.display());
    println!("cargo::rerun-if-env-changed={TIMING_ENV}");

    // Only the products whose Cargo feature is on (cargo re-runs this script when features change).
    let enabled = |feature: &str| {
        let var = format!("CARGO_FEATURE_{}", feature.to_uppercase().replace('-', "_"));
        std::env::var_os(var).is_some()
    };
    let generated = dir.generate_products(enabled).map_err(|p| p.to_string())?;
    let acknowledged = acknowledged::load(&dir.specs);
    let mut lines = warning_lines(
        &generated.warnings,
        &generated.documentation_only,
        &acknowledged,
    );
    // Operations no feature of this crate enables, whatever features are on.
    let declared = std::fs::read_to_string(manifest.join("Cargo.toml"))
        .map(|m| products::declared_features(&m))
        .map_err(|e| format!("cannot read Cargo.toml: {e}"))?;
    lines.extend(products::unfeatured(
        &generated.merged,
        &declared,
        REFRESH_COMMAND,
    ));
    // In a checkout only (a package has no api/): review copies made from other inputs.
    let api = manifest.join("api");
    if api.is_dir() {
        println!(
            "cargo::rerun-if-changed={}",
            api.join(fingerprint::FILE).display()
        );
        let hash = fingerprint::inputs_hash(&dir)?;
        lines.extend(fingerprint::stale_warning(&api, &hash, REFRESH_COMMAND));
    }
    for line in lines {
        println!("cargo::warning={line}");
    }
    let write = |name: &str, content: &str| {
        std::fs::write(out.join(name), content)
            .map_err(|e| format!("cannot write {}: {e}", out.join(name).display()))
    };
    write("codegen.rs", &generated.client)?;
    write("summary.txt", &generated.summary)?;
    write("meta.rs", &generated.meta)?;
    write("webhooks.rs", &generated.webhooks)?;
    write("openapi.json", &generated.merged_json())?;

    let t = generated.timings;
    let ms = |d: std::time::Duration| d.as_secs_f64() * 1000.0;
    let line = format!(
        "cashfree-codegen timing: {:.1} ms total (load {:.1}, overlay+merge {:.1}, progenitor+format {:.1}, summary+metadata {:.1})",
        ms(t.total()),
        ms(t.load),
        ms(t.merge),
        ms(t.generate),
        ms(t.summary)
    );
    println!("{line}");
    if std::env::var_os(TIMING_ENV).is_some() {
        println!("cargo::warning={line}");
    }
    Ok(())
}

/// What the build says of the merge: each warning on one line; of the documentation-only
/// differences between spec files (expected whenever a docs page and the full spec share
/// components), only those `acknowledged` (`spec/documentation-only.txt`) does not record, each
/// named with the command that records it. A package records all of its own: silent.
pub fn warning_lines(
    warnings: &[String],
    documentation_only: &[DocumentationOnly],
    acknowledged: &BTreeSet<String>,
) -> Vec<String> {
    let new = documentation_only
        .iter()
        .filter(|d| !acknowledged.contains(&d.key()))
        .map(|d| {
            format!(
                "{d} (new: after review, `{REFRESH_COMMAND}` records it in spec/{})",
                acknowledged::FILE
            )
        });
    warnings
        .iter()
        .map(|w| w.replace('\n', " "))
        .chain(new)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn acknowledged_documentation_only_differences_are_silent_and_new_ones_named() {
        let difference = |name: &str| DocumentationOnly {
            component: format!("components/schemas/{name}"),
            first: "x.yaml".into(),
            second: "y.json".into(),
            pointers: vec![format!("/components/schemas/{name}/description")],
        };
        let (a, b) = (difference("A"), difference("B"));
        let warnings = ["info.title differs: \"A\" in x.yaml, \"B\" in y.json;\nkept".to_string()];
        let acknowledged = acknowledged::parse(&acknowledged::record(std::slice::from_ref(&a)));
        let lines = warning_lines(&warnings, &[a.clone(), b.clone()], &acknowledged);
        assert_eq!(lines.len(), 2, "{lines:?}");
        assert!(lines[0].starts_with("info.title differs") && !lines[0].contains('\n'));
        assert!(
            lines[1].starts_with("component `components/schemas/B` differs only in documentation")
                && lines[1].contains(REFRESH_COMMAND)
                && lines[1].contains("spec/documentation-only.txt"),
            "{}",
            lines[1]
        );
        let all = acknowledged::parse(&acknowledged::record(&[a.clone(), b.clone()]));
        assert!(warning_lines(&[], &[a, b], &all).is_empty());
    }
}
