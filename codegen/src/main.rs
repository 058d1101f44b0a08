//! `cashfree-codegen`: import Cashfree specs into `spec/` and refresh or check the review copies in `api/`.
//!
//! Run it from anywhere with `cargo run -p cashfree-verification-codegen -- <command>`; paths default to
//! the `cashfree-verification` crate this tool belongs to. Each command is one function below, calling
//! the library's one entry point for its use.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

use cashfree_codegen::acknowledged;
use cashfree_codegen::diff::{Level, compare, markdown, text};
use cashfree_codegen::import::{Outcome, import};
use cashfree_codegen::review::{REFRESH_COMMAND, check, refresh};
use cashfree_codegen::spec_dir::SpecDir;

/// Imports Cashfree specs into spec/, refreshes or checks the review copies in api/, and reports
/// what a spec change means for users of the crate.
#[derive(Debug, Parser)]
#[command(name = "cashfree-codegen")]
struct Cli {
    /// The cashfree-verification crate (default: the one this tool was built in).
    #[arg(long, global = true, value_name = "DIR")]
    crate_dir: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Add or update spec/ from Cashfree docs pages (.md/.txt with one ```yaml fence) or raw
    /// OpenAPI 3.0 files (.yaml/.yml/.json), one operation each.
    Import {
        /// The files to import.
        #[arg(required = true, value_name = "FILE")]
        files: Vec<PathBuf>,
        /// Write the file even if the build would fail with it (to add an overlay).
        #[arg(long)]
        allow_conflicts: bool,
        /// Let the page win over a multi-operation spec holding the same operation when the
        /// documents do not show it newer (the import cannot tell, so it asks).
        #[arg(long)]
        supersede: bool,
    },
    /// Regenerate the review copies in api/ and the products block of Cargo.toml.
    Refresh,
    /// Exit 1 with a diff when the review copies are stale.
    Check,
    /// Print the merged OpenAPI document (overlays applied) as JSON.
    Merged,
    /// Report what changed for users of the crate between two OpenAPI files (YAML or JSON);
    /// without files, the review copy api/openapi.json against spec/ now.
    Diff {
        /// OLD and NEW, or none.
        #[arg(num_args = 0..=2, value_names = ["OLD", "NEW"])]
        files: Vec<PathBuf>,
        /// text, or markdown for a pull request description.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
        /// Exit 1 when a finding is at LEVEL or above (breaking, warning, info).
        #[arg(long, value_name = "LEVEL", value_parser = parse_level)]
        fail_on: Option<Level>,
        /// Also list documentation-only changes.
        #[arg(long)]
        verbose: bool,
    },
}

/// How `diff` prints its report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    Text,
    Markdown,
}

fn parse_level(name: &str) -> Result<Level, String> {
    Level::parse(name).ok_or_else(|| format!("breaking, warning or info, not {name:?}"))
}

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
fn read_document(path: &Path) -> Result<serde_json::Value, String> {
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
    let cli = Cli::parse();
    let crate_dir = cli
        .crate_dir
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(".."));
    let dir = SpecDir::new(crate_dir.join("spec"));
    let api_dir = crate_dir.join("api");
    let result = match cli.command {
        Command::Import {
            files,
            allow_conflicts,
            supersede,
        } => Ok(run_import(&dir, &files, allow_conflicts, supersede)),
        Command::Refresh => run_refresh(&dir, &api_dir),
        Command::Check => run_check(&dir, &api_dir),
        Command::Merged => run_merged(&dir),
        Command::Diff {
            files,
            format,
            fail_on,
            verbose,
        } => run_diff(&dir, &api_dir, &files, format, fail_on, verbose),
    };
    result.unwrap_or_else(|message| {
        errln!("error: {message}");
        ExitCode::from(2)
    })
}

fn exit_code(failed: bool) -> ExitCode {
    if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

/// `import`: each file through [`import`], reporting each; exit 1 when one failed.
fn run_import(
    dir: &SpecDir,
    files: &[PathBuf],
    allow_conflicts: bool,
    supersede: bool,
) -> ExitCode {
    let mut failed = false;
    for file in files {
        match import(file, dir, allow_conflicts, supersede) {
            Ok(done) => {
                let what = match &done.outcome {
                    Outcome::Added => "added".to_string(),
                    Outcome::Updated => "updated".to_string(),
                    Outcome::Renamed { from } => format!("replaced {}", from.display()),
                    Outcome::Unchanged => "unchanged".to_string(),
                };
                outln!(
                    "{}: {} -> {} ({what})",
                    file.display(),
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
                    outln!("warning: the build will fail until these are resolved:\n{problems}");
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
    exit_code(failed)
}

/// `diff`: the report between two files, or between the review copy and spec/ now.
fn run_diff(
    dir: &SpecDir,
    api_dir: &Path,
    files: &[PathBuf],
    format: Format,
    fail_on: Option<Level>,
    verbose: bool,
) -> Result<ExitCode, String> {
    let (old, new, labels) = match files {
        [old_file, new_file] => (
            read_document(old_file)?,
            read_document(new_file)?,
            [
                old_file.display().to_string(),
                new_file.display().to_string(),
            ],
        ),
        [] => (
            read_document(&api_dir.join("openapi.json"))?,
            dir.merged().map_err(|p| p.to_string())?,
            ["api/openapi.json".to_string(), "spec/".to_string()],
        ),
        _ => return Err("diff takes two files, OLD and NEW, or none".into()),
    };
    comparable(&labels[0], &old)?;
    comparable(&labels[1], &new)?;
    let report = compare(&old, &new);
    match format {
        Format::Markdown => out!("{}", markdown(&report)),
        Format::Text => out!("{}", text(&report, verbose)),
    }
    let failed = fail_on.is_some_and(|level| report.worst().is_some_and(|w| w >= level));
    Ok(exit_code(failed))
}

/// `refresh`: what the refresh changes for users, then the review copies rewritten.
fn run_refresh(dir: &SpecDir, api_dir: &Path) -> Result<ExitCode, String> {
    let generated = dir.generate().map_err(|p| p.to_string())?;
    for warning in &generated.warnings {
        errln!("warning: {warning}");
    }
    for difference in &generated.documentation_only {
        errln!("warning: {difference}");
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
    let mut changed = refresh(api_dir, &generated)
        .map_err(|e| format!("cannot write {}: {e}", api_dir.display()))?;
    // The documentation-only differences just printed are now seen: the build stays silent on them.
    let seen = dir.specs.join(acknowledged::FILE);
    let record = acknowledged::record(&generated.documentation_only);
    if std::fs::read_to_string(&seen).ok().as_deref() != Some(record.as_str()) {
        std::fs::write(&seen, record)
            .map_err(|e| format!("cannot write {}: {e}", seen.display()))?;
        changed.push("../spec/documentation-only.txt");
    }
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

/// `check`: exit 1 with the diffs when a review copy is stale.
fn run_check(dir: &SpecDir, api_dir: &Path) -> Result<ExitCode, String> {
    let generated = dir.generate().map_err(|p| p.to_string())?;
    for warning in &generated.warnings {
        errln!("warning: {warning}");
    }
    for difference in &generated.documentation_only {
        errln!("warning: {difference}");
    }
    let seen = std::fs::read_to_string(dir.specs.join(acknowledged::FILE)).unwrap_or_default();
    if acknowledged::parse(&seen)
        != acknowledged::parse(&acknowledged::record(&generated.documentation_only))
    {
        errln!(
            "warning: spec/{} does not list exactly the documentation-only differences above; {REFRESH_COMMAND} rewrites it",
            acknowledged::FILE
        );
    }
    match check(api_dir, &generated) {
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

/// `merged`: the merged document as pretty JSON.
fn run_merged(dir: &SpecDir) -> Result<ExitCode, String> {
    let merged = dir.merged().map_err(|p| p.to_string())?;
    let mut text = serde_json::to_string_pretty(&merged).map_err(|e| e.to_string())?;
    text.push('\n');
    out!("{text}");
    Ok(ExitCode::SUCCESS)
}
