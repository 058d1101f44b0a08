//! What `build.rs` of `cashfree-verification` does, so that `build.rs` stays three lines.

use std::path::PathBuf;

use crate::pipeline::SpecDir;

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
    for line in warning_lines(&generated.warnings) {
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

/// What the build says of the merge's warnings: each on one line, except documentation-only
/// differences between spec files (expected whenever a docs page and the full spec share
/// components), which are counted in one line that names the command listing them.
pub fn warning_lines(warnings: &[String]) -> Vec<String> {
    let (documentation, other): (Vec<&String>, Vec<&String>) = warnings
        .iter()
        .partition(|w| w.contains(" differs only in documentation between "));
    let mut lines: Vec<String> = other.iter().map(|w| w.replace('\n', " ")).collect();
    if !documentation.is_empty() {
        lines.push(format!(
            "{} components differ only in documentation between spec files (each keeps its first file's text); `cargo run -p cashfree-verification-codegen -- check` lists them",
            documentation.len()
        ));
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documentation_only_differences_are_counted_in_one_line() {
        let warnings = [
            "component `a` differs only in documentation between x.yaml and y.json (at /d)"
                .to_string(),
            "info.title differs: \"A\" in x.yaml, \"B\" in y.json;\nkept".to_string(),
            "component `b` differs only in documentation between x.yaml and y.json (at /d)"
                .to_string(),
        ];
        let lines = warning_lines(&warnings);
        assert_eq!(lines.len(), 2, "{lines:?}");
        assert!(lines[0].starts_with("info.title differs") && !lines[0].contains('\n'));
        assert!(lines[1].starts_with("2 components differ only in documentation"));
        assert!(warning_lines(&[]).is_empty());
    }
}
