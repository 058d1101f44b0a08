//! `cashfree-codegen`: import Cashfree specs into `spec/` and refresh or check the review copies in `api/`.
//!
//! Run it from anywhere with `cargo run -p cashfree-verification-codegen -- <command>`; paths default to
//! the `cashfree-verification` crate this tool belongs to.

use std::io::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

use cashfree_codegen::diff::{Level, compare, markdown, text};
use cashfree_codegen::import::{Outcome, import};
use cashfree_codegen::pipeline::SpecDir;
use cashfree_codegen::review::{REFRESH_COMMAND, check, refresh};

const USAGE: &str = "\
usage: cashfree-codegen <command> [options]

commands:
  import <FILE>...   add or update spec/ from Cashfree docs pages (.md/.txt with one ```yaml fence)
                     or raw OpenAPI 3.0 files (.yaml/.yml/.json), one operation each
  refresh            regenerate the review copies api/client.rs, api/summary.txt, api/openapi.json
  check              exit 1 with a diff when the review copies are stale
  merged             print the merged OpenAPI document (overlays applied) as JSON
  diff [OLD NEW]     report what changed for users of the crate between two OpenAPI files (YAML or
                     JSON); without files, the review copy api/openapi.json against spec/ now

options:
  --crate-dir DIR    the cashfree-verification crate (default: the one this tool was built in)
  --allow-conflicts  import: write the file even if the build would fail with it (to add an overlay)
  --format FORMAT    diff: text (default) or markdown (for a pull request description)
  --fail-on LEVEL    diff: exit 1 when a finding is at LEVEL or above (breaking, warning, info)
  --verbose          diff: also list documentation-only changes
";

/// Standard error, where a closed stream is ignored (there is no one left to tell).
macro_rules! errln {
    ($($arg:tt)*) => {{ let _ = writeln!(std::io::stderr(), $($arg)*); }};
}

/// Writes to standard output; a reader that went away (`cashfree-codegen merged | head -1`) ends the
/// program quietly with success, as it would for a shell tool, instead of a panic.
fn write_out(text: std::fmt::Arguments<'_>) {
    let mut stdout = std::io::stdout().lock();
    if let Err(e) = stdout.write_fmt(text).and_then(|()| stdout.flush()) {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            std::process::exit(0);
        }
        errln!("error: cannot write to standard output: {e}");
        std::process::exit(2);
    }
}

macro_rules! out {
    ($($arg:tt)*) => { write_out(format_args!($($arg)*)) };
}
macro_rules! outln {
    ($($arg:tt)*) => { write_out(format_args!("{}\n", format_args!($($arg)*))) };
}

/// An OpenAPI document from a YAML or JSON file (a docs page's YAML fence is not read here).
fn read_document(path: &std::path::Path) -> Result<serde_json::Value, String> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    cashfree_codegen::source::parse_text(&text).map_err(|e| format!("{}: {e}", path.display()))
}

/// `Err` naming every schema of `doc` (called `label`) that requires itself without end (an `allOf`
/// cycle, say), with the pointers of the cycle, as the build's check does: such a document is not
/// one the crate can be built from, so it is not compared.
fn comparable(label: &str, doc: &serde_json::Value) -> Result<(), String> {
    let problems = cashfree_codegen::cycles::unsatisfiable_schemas(doc);
    if problems.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "{} cannot be compared:\n{}",
            cashfree_codegen::diff::inert(label),
            problems
                .iter()
                .map(|p| cashfree_codegen::diff::inert(p))
                .collect::<Vec<_>>()
                .join("\n")
        ))
    }
}

fn main() -> ExitCode {
    match run(std::env::args().skip(1).collect()) {
        Ok(code) => code,
        Err(message) => {
            errln!("error: {message}");
            ExitCode::from(2)
        }
    }
}

fn run(args: Vec<String>) -> Result<ExitCode, String> {
    let mut crate_dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut allow_conflicts = false;
    let mut format = "text".to_string();
    let mut fail_on: Option<Level> = None;
    let mut verbose = false;
    let mut positional = Vec::new();
    let mut iter = args.into_iter();
    while let Some(arg) = iter.next() {
        match arg.as_str() {
            "--crate-dir" => crate_dir = iter.next().ok_or("--crate-dir needs a directory")?.into(),
            "--allow-conflicts" => allow_conflicts = true,
            "--verbose" => verbose = true,
            "--format" => {
                format = iter.next().ok_or("--format needs text or markdown")?;
                if !["text", "markdown"].contains(&format.as_str()) {
                    return Err(format!("--format is text or markdown, not {format:?}"));
                }
            }
            "--fail-on" => {
                let level = iter.next().ok_or("--fail-on needs a level")?;
                fail_on = Some(Level::parse(&level).ok_or_else(|| {
                    format!("--fail-on takes breaking, warning or info, not {level:?}")
                })?);
            }
            "-h" | "--help" | "help" => {
                out!("{USAGE}");
                return Ok(ExitCode::SUCCESS);
            }
            s if s.starts_with("--") => return Err(format!("unknown option {s}\n\n{USAGE}")),
            _ => positional.push(arg),
        }
    }
    let dir = SpecDir::new(crate_dir.join("spec"));
    let api_dir = crate_dir.join("api");
    let Some((command, rest)) = positional.split_first() else {
        return Err(format!("no command given\n\n{USAGE}"));
    };
    match (command.as_str(), rest) {
        ("import", []) => Err("import needs at least one file".into()),
        ("import", files) => {
            let mut failed = false;
            for file in files {
                match import(file.as_ref(), &dir, allow_conflicts) {
                    Ok(done) => {
                        let what = match &done.outcome {
                            Outcome::Added => "added".to_string(),
                            Outcome::Updated => "updated".to_string(),
                            Outcome::Renamed { from } => format!("replaced {}", from.display()),
                            Outcome::Unchanged => "unchanged".to_string(),
                        };
                        outln!(
                            "{}: {} -> {} ({what})",
                            file,
                            done.operation,
                            done.path.display()
                        );
                        for overlay in &done.superseding {
                            outln!(
                                "  it wins over the same operation in a multi-operation spec: recorded in {}",
                                overlay.display()
                            );
                        }
                        if let Some(problems) = done.problems {
                            outln!(
                                "warning: the build will fail until these are resolved:\n{problems}"
                            );
                        }
                    }
                    Err(e) => {
                        errln!("error: {e}");
                        failed = true;
                    }
                }
            }
            if !failed {
                outln!("Next: {REFRESH_COMMAND}, then review the diff of spec/ and api/.");
            }
            Ok(if failed {
                ExitCode::FAILURE
            } else {
                ExitCode::SUCCESS
            })
        }
        ("diff", files) if files.is_empty() || files.len() == 2 => {
            let (old, new, labels) = match files {
                [old_file, new_file] => (
                    read_document(old_file.as_ref())?,
                    read_document(new_file.as_ref())?,
                    [old_file.clone(), new_file.clone()],
                ),
                _ => (
                    read_document(&api_dir.join("openapi.json"))?,
                    dir.merged().map_err(|p| p.to_string())?,
                    ["api/openapi.json".to_string(), "spec/".to_string()],
                ),
            };
            comparable(&labels[0], &old)?;
            comparable(&labels[1], &new)?;
            let report = compare(&old, &new);
            match format.as_str() {
                "markdown" => out!("{}", markdown(&report)),
                _ => out!("{}", text(&report, verbose)),
            }
            let failed = fail_on.is_some_and(|level| report.worst().is_some_and(|w| w >= level));
            Ok(if failed {
                ExitCode::FAILURE
            } else {
                ExitCode::SUCCESS
            })
        }
        ("diff", _) => Err("diff takes two files, OLD and NEW, or none".into()),
        ("refresh", []) => {
            let generated = dir.generate().map_err(|p| p.to_string())?;
            for warning in &generated.warnings {
                errln!("warning: {warning}");
            }
            // What this refresh changes for users, before the review copies are replaced.
            if let Ok(old) = read_document(&api_dir.join("openapi.json")) {
                match comparable("api/openapi.json", &old) {
                    Err(e) => errln!("warning: no change report: {e}"),
                    Ok(()) => {
                        let report = compare(&old, &generated.merged);
                        if !report.findings.is_empty() {
                            out!("{}\n", text(&report, false));
                        }
                    }
                }
            }
            let changed = refresh(&api_dir, &generated)
                .map_err(|e| format!("cannot write {}: {e}", api_dir.display()))?;
            if changed.is_empty() {
                outln!("api/ is up to date");
            } else {
                outln!(
                    "refreshed api/{}",
                    changed.join(", api/").replace("api/../", "")
                );
            }
            Ok(ExitCode::SUCCESS)
        }
        ("check", []) => {
            let generated = dir.generate().map_err(|p| p.to_string())?;
            for warning in &generated.warnings {
                errln!("warning: {warning}");
            }
            match check(&api_dir, &generated) {
                Ok(()) => {
                    outln!("api/ is up to date");
                    Ok(ExitCode::SUCCESS)
                }
                Err(report) => {
                    errln!("{report}");
                    Ok(ExitCode::FAILURE)
                }
            }
        }
        ("merged", []) => {
            let merged = dir.merged().map_err(|p| p.to_string())?;
            let mut text = serde_json::to_string_pretty(&merged).map_err(|e| e.to_string())?;
            text.push('\n');
            out!("{text}");
            Ok(ExitCode::SUCCESS)
        }
        (other, extra) if ["refresh", "check", "merged"].contains(&other) => Err(format!(
            "{other} takes no arguments, got {}",
            extra.join(" ")
        )),
        (other, _) => Err(format!("unknown command {other}\n\n{USAGE}")),
    }
}
