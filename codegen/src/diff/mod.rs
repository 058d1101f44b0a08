//! What a spec update changes for users of the crate: a breaking-change report between two OpenAPI
//! documents, modelled on oasdiff's catalogue (stable rule ids, three levels) with the Rust impact of
//! each finding under progenitor's builder interface.
//!
//! ```
//! use cashfree_codegen::diff::{Level, compare};
//! use serde_json::json;
//!
//! let old = json!({"paths": {"/pan": {"post": {"operationId": "VrsPan", "responses": {}}}}});
//! let new = json!({"paths": {}});
//! let report = compare(&old, &new);
//! assert_eq!(report.findings[0].rule, "api-operation-removed");
//! assert_eq!(report.findings[0].level, Level::Breaking);
//! assert_eq!(report.semver_bump(), "minor (0.x: breaking)");
//! ```

mod catalogue;
mod render;
mod reviewed;
mod rules;
mod widened;

pub use render::{inert, markdown, text};

use serde_json::Value;

pub use catalogue::RULES;
pub(crate) use catalogue::rule;

/// How much a finding matters to users of the crate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Level {
    /// Nothing a user must do.
    Info,
    /// Worth reading: behaviour may change for some users.
    Warning,
    /// Users' code stops compiling or their running service fails.
    Breaking,
}

impl Level {
    /// `breaking`, `warning` or `info`.
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Info => "info",
            Level::Warning => "warning",
            Level::Breaking => "breaking",
        }
    }

    /// The level named `name` (as `--fail-on` takes it).
    pub fn parse(name: &str) -> Option<Level> {
        match name {
            "info" => Some(Level::Info),
            "warning" => Some(Level::Warning),
            "breaking" => Some(Level::Breaking),
            _ => None,
        }
    }
}

/// What a change does to a user of the generated Rust client.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum RustImpact {
    /// No code or behaviour change.
    None,
    /// The code compiles; what the server does (or is asked) changes.
    BehaviourChanges,
    /// The code compiles, and calls fail at run time (a builder's "no value supplied", a rejected
    /// value, a body that no longer decodes).
    FailsAtRunTime,
    /// Users' code no longer compiles (a method, setter, field or variant is gone or changed type).
    DoesNotCompile,
}

impl RustImpact {
    /// A short phrase for reports.
    pub fn as_str(self) -> &'static str {
        match self {
            RustImpact::None => "none",
            RustImpact::BehaviourChanges => "behaviour changes",
            RustImpact::FailsAtRunTime => "compiles, fails at run time",
            RustImpact::DoesNotCompile => "does not compile",
        }
    }
}

/// One change.
#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    /// Stable rule id (`request-property-became-required`, ...); see [`RULES`].
    pub rule: &'static str,
    /// Its level.
    pub level: Level,
    /// Its Rust impact.
    pub impact: RustImpact,
    /// `METHOD /path (operationId)` of every operation the change reaches: one for a change in an
    /// operation, each operation that uses a referenced schema for a change inside it (reported
    /// once, at the schema's own pointer).
    pub operations: Vec<String>,
    /// JSON pointer into the new document (the old one when the thing was removed): under the
    /// operation, or under the referenced schema (`/components/schemas/...`) a change is in.
    pub pointer: String,
    /// The old value, when there was one.
    pub old: Option<Value>,
    /// The new value, when there is one.
    pub new: Option<Value>,
}

/// The findings between two documents.
#[derive(Debug, Clone, Default)]
pub struct Report {
    /// Every finding, breaking first, then by operation and pointer.
    pub findings: Vec<Finding>,
}

impl Report {
    /// The highest level found, if any.
    pub fn worst(&self) -> Option<Level> {
        self.findings.iter().map(|f| f.level).max()
    }

    /// How many findings of `level`.
    pub fn count(&self, level: Level) -> usize {
        self.findings.iter().filter(|f| f.level == level).count()
    }

    /// The version bump the findings imply for this 0.x crate: breaking findings need a minor bump
    /// (0.1 → 0.2), anything else a patch.
    pub fn semver_bump(&self) -> &'static str {
        match self.worst() {
            Some(Level::Breaking) => "minor (0.x: breaking)",
            Some(_) => "patch",
            None => "none",
        }
    }
}

/// Compares `old` with `new` (each a whole OpenAPI document; `$ref`s resolved in their own document).
///
/// Webhook events are compared as operations `POST webhook <EVENT>` answering the body Cashfree
/// sends ([`with_events_as_operations`](crate::webhooks::operations::with_events_as_operations)).
pub fn compare(old: &Value, new: &Value) -> Report {
    use crate::webhooks::operations::with_events_as_operations;
    let (old, new) = (
        &with_events_as_operations(old),
        &with_events_as_operations(new),
    );
    let mut findings = rules::compare(old, new);
    findings.extend(widened::findings(old, new));
    findings.extend(reviewed::findings(old, new));
    findings.sort_by(|a, b| {
        b.level.cmp(&a.level).then_with(|| {
            (&a.operations, &a.pointer, a.rule).cmp(&(&b.operations, &b.pointer, b.rule))
        })
    });
    Report { findings }
}
