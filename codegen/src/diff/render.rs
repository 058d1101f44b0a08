//! The report as terminal text and as Markdown for a pull request.

use std::fmt::Write as _;

use serde_json::Value;

use super::{Level, Report};

/// A value for one line: JSON, cut at 80 characters, control characters escaped by JSON itself.
fn value(v: &Option<Value>) -> String {
    match v {
        None => "-".into(),
        Some(v) => {
            let text = v.to_string();
            if text.chars().count() > 80 {
                format!("{}…", text.chars().take(80).collect::<String>())
            } else {
                text
            }
        }
    }
}

fn summary(report: &Report) -> String {
    format!(
        "{} breaking, {} warning, {} info; semver bump: {}",
        report.count(Level::Breaking),
        report.count(Level::Warning),
        report.count(Level::Info),
        report.semver_bump()
    )
}

/// Plain text, one block per finding; documentation-only findings counted, not listed, unless
/// `verbose`.
pub fn text(report: &Report, verbose: bool) -> String {
    let mut out = format!("API changes: {}\n", summary(report));
    let mut hidden = 0;
    for f in &report.findings {
        if f.rule == "documentation-changed" && !verbose {
            hidden += 1;
            continue;
        }
        let _ = writeln!(
            out,
            "\n{} {} [{}]\n  operation  {}\n  at         {}\n  old        {}\n  new        {}",
            f.level.as_str().to_uppercase(),
            f.rule,
            f.impact.as_str(),
            if f.operation.is_empty() {
                "-"
            } else {
                &f.operation
            },
            f.pointer,
            value(&f.old),
            value(&f.new)
        );
    }
    if hidden > 0 {
        let _ = writeln!(
            out,
            "\n{hidden} documentation-only changes (info; --verbose lists them)"
        );
    }
    out
}

/// A Markdown section for a pull request description: the summary, then a table of every finding
/// that is not documentation-only.
pub fn markdown(report: &Report) -> String {
    let mut out = format!("### API changes\n\n{}\n\n", summary(report));
    let listed: Vec<_> = report
        .findings
        .iter()
        .filter(|f| f.rule != "documentation-changed")
        .collect();
    if !listed.is_empty() {
        out.push_str("| level | rule | Rust impact | operation | at | old | new |\n|---|---|---|---|---|---|---|\n");
        for f in listed {
            let cell = |s: &str| s.replace('|', "\\|").replace('\n', " ");
            let _ = writeln!(
                out,
                "| {} | `{}` | {} | {} | `{}` | `{}` | `{}` |",
                f.level.as_str(),
                f.rule,
                f.impact.as_str(),
                cell(&f.operation),
                cell(&f.pointer),
                cell(&value(&f.old)),
                cell(&value(&f.new))
            );
        }
    }
    let docs = report.findings.len()
        - report
            .findings
            .iter()
            .filter(|f| f.rule != "documentation-changed")
            .count();
    if docs > 0 {
        let _ = writeln!(out, "\n{docs} documentation-only changes (never breaking).");
    }
    out
}
