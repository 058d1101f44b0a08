//! The report as terminal text and as Markdown for a pull request.
//!
//! Every string that comes from a spec (operationIds, paths, pointers, values) goes through
//! [`inert`] first, so a spec cannot forge a report line or send a terminal control sequence; in
//! Markdown it is also put in a code span (nothing inside is markup) with `|` escaped for the table.

use std::fmt::Write as _;

use serde_json::Value;

use super::{Level, Report};

/// `s` with every character that could change how a terminal or a renderer shows the report
/// written as `\u{..}`: control characters (C0, DEL, C1: newlines, ESC, CSI), line and paragraph
/// separators and bidirectional controls.
///
/// ```
/// use cashfree_codegen::diff::inert;
/// assert_eq!(inert("a\n\u{1b}[31mb\u{202e}"), "a\\u{a}\\u{1b}[31mb\\u{202e}");
/// ```
pub fn inert(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        let bidi = matches!(c, '\u{061c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}');
        if c.is_control() || bidi || matches!(c, '\u{2028}' | '\u{2029}') {
            let _ = write!(out, "\\u{{{:x}}}", c as u32);
        } else {
            out.push(c);
        }
    }
    out
}

/// A value for one line: JSON, cut at 80 characters, made [`inert`] (JSON escapes C0 controls but
/// not DEL, C1 or the separators).
fn value(v: &Option<Value>) -> String {
    match v {
        None => "-".into(),
        Some(v) => {
            let text = v.to_string();
            let text = if text.chars().count() > 80 {
                format!("{}…", text.chars().take(80).collect::<String>())
            } else {
                text
            };
            inert(&text)
        }
    }
}

/// `text` as a Markdown table cell: an inline code span (a backtick fence longer than any run of
/// backticks inside), `|` escaped, so no markup, link, HTML or entity in it is interpreted.
fn code_cell(text: &str) -> String {
    let text = inert(text).replace('|', "\\|");
    let longest = text.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest + 1);
    let pad = if text.starts_with('`') || text.ends_with('`') || longest > 0 {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{text}{pad}{fence}")
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
        let operations = match f.operations.as_slice() {
            [] => "operation  -".to_string(),
            [one] => format!("operation  {}", inert(one)),
            many => format!(
                "operations {}",
                many.iter()
                    .map(|o| inert(o))
                    .collect::<Vec<_>>()
                    .join("\n             ")
            ),
        };
        let _ = writeln!(
            out,
            "\n{} {} [{}]\n  {operations}\n  at         {}\n  old        {}\n  new        {}",
            f.level.as_str().to_uppercase(),
            f.rule,
            f.impact.as_str(),
            inert(&f.pointer),
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
            let operations = if f.operations.is_empty() {
                "-".to_string()
            } else {
                f.operations
                    .iter()
                    .map(|o| code_cell(o))
                    .collect::<Vec<_>>()
                    .join(" ")
            };
            let _ = writeln!(
                out,
                "| {} | `{}` | {} | {operations} | {} | {} | {} |",
                f.level.as_str(),
                f.rule,
                f.impact.as_str(),
                code_cell(&f.pointer),
                code_cell(&value(&f.old)),
                code_cell(&value(&f.new))
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
