//! Cashfree's rate-limit tier of each operation: the reviewed data of `spec/rate-limits/` (the tiers
//! and their transactions per minute, the tier of each operation the docs page names, the tier of
//! every other one), checked against the merged document and copied onto every operation as
//! `x-cashfree-rate-limit`, where the generated operation table (and so the client's limiter) reads
//! it.
//!
//! ```
//! use cashfree_codegen::rate_limits::{RATE_LIMIT, apply, parse};
//! use serde_json::json;
//!
//! let mut doc = json!({"paths": {"/pan/bulk": {"post": {"operationId": "Bulk"}},
//!                                "/pan": {"post": {"operationId": "Pan"}}}});
//! let limits = parse("source: page\ntiers: {standard: 100, restricted: 5}\ndefault: standard\n\
//!                     operations:\n- {operation: Bulk, tier: restricted, reason: a bulk create}\n", "r.yaml").unwrap();
//! apply(&mut doc, &limits).unwrap();
//! assert_eq!(doc["paths"]["/pan/bulk"]["post"][RATE_LIMIT]["tier"], "restricted");
//! assert_eq!(doc["paths"]["/pan/bulk"]["post"][RATE_LIMIT]["per_minute"], 5);
//! assert_eq!(doc["paths"]["/pan"]["post"][RATE_LIMIT]["tier"], "standard");
//! assert_eq!(doc["paths"]["/pan"]["post"][RATE_LIMIT]["reason"], "default");
//! ```

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use serde::Deserialize;
use serde_json::{Value, json};

use crate::problem::Problems;

/// The extension on every operation that names its tier: `{tier, per_minute, reason}`.
pub const RATE_LIMIT: &str = "x-cashfree-rate-limit";

/// The tiers the client knows by name (`cashfree_verification::rate_limit::RateTier`).
pub const TIERS: [&str; 3] = ["standard", "medium", "restricted"];

/// One reviewed file: the tiers, the default tier, and the operations placed in a tier.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RateLimits {
    /// The data's version (1).
    #[serde(default)]
    pub version: Option<u32>,
    /// The docs page the tiers come from.
    pub source: String,
    /// Transactions per minute, by tier name.
    pub tiers: BTreeMap<String, u32>,
    /// The tier of every operation not listed.
    pub default: String,
    /// The operations placed in a tier, each with its reason.
    #[serde(default)]
    pub operations: Vec<Placement>,
}

/// One operation's tier.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Placement {
    /// The operationId.
    pub operation: String,
    /// The tier's name.
    pub tier: String,
    /// Why (the page's title for it, or what the tier was inferred from).
    pub reason: String,
}

/// Reads one file (`name` for messages).
///
/// # Errors
/// Not YAML, or not the shape above (unknown keys included).
pub fn parse(text: &str, name: &str) -> Result<RateLimits, String> {
    serde_yaml_ng::from_str(text).map_err(|e| format!("{name}: {e}"))
}

/// The one `*.yaml` file of `dir`; `None` when `dir` does not exist or holds none.
///
/// # Errors
/// A file that cannot be read or parsed, or more than one file (two sources of one table).
pub fn load(dir: &Path) -> Result<Option<RateLimits>, Problems> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Ok(None);
    };
    let mut paths: Vec<_> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "yaml" || x == "yml"))
        .collect();
    paths.sort();
    match paths.as_slice() {
        [] => Ok(None),
        [path] => {
            let name = path.display().to_string();
            let text = std::fs::read_to_string(path).map_err(|e| format!("{name}: {e}"))?;
            Ok(Some(parse(&text, &name)?))
        }
        more => Err(Problems::from(format!(
            "{} holds {} rate-limit files; keep one table in one file",
            dir.display(),
            more.len()
        ))),
    }
}

/// Checks `limits` against `doc` and writes [`RATE_LIMIT`] onto every operation.
///
/// # Errors
/// A tier the client does not know or without a rate, an operation `doc` does not have, an operation
/// placed twice.
pub fn apply(doc: &mut Value, limits: &RateLimits) -> Result<(), Problems> {
    let mut problems = Problems::new();
    let rate = |tier: &str| limits.tiers.get(tier).copied();
    for (tier, per_minute) in &limits.tiers {
        if !TIERS.contains(&tier.as_str()) {
            problems.push(format!(
                "rate limits: unknown tier {tier:?} (known: {})",
                TIERS.join(", ")
            ));
        }
        if *per_minute == 0 {
            problems.push(format!("rate limits: tier {tier} allows 0 per minute"));
        }
    }
    if rate(&limits.default).is_none() {
        problems.push(format!(
            "rate limits: the default tier {:?} has no rate in `tiers`",
            limits.default
        ));
    }
    let ids: BTreeSet<String> = cashfree_openapi::operations_of(doc)
        .filter_map(|(_, _, op)| op.get("operationId").and_then(Value::as_str))
        .map(str::to_owned)
        .collect();
    let mut placed = BTreeMap::new();
    for p in &limits.operations {
        if !ids.contains(&p.operation) {
            problems.push(format!("rate limits: no operation {:?}", p.operation));
        }
        if rate(&p.tier).is_none() {
            problems.push(format!(
                "rate limits: {}: tier {:?} has no rate in `tiers`",
                p.operation, p.tier
            ));
        }
        if placed.insert(p.operation.as_str(), p).is_some() {
            problems.push(format!("rate limits: {} placed twice", p.operation));
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    for item in doc
        .get_mut("paths")
        .and_then(Value::as_object_mut)
        .into_iter()
        .flat_map(|paths| paths.values_mut())
    {
        for (method, op) in item.as_object_mut().into_iter().flatten() {
            if !cashfree_openapi::METHODS.contains(&method.as_str()) {
                continue;
            }
            let id = op.get("operationId").and_then(Value::as_str).unwrap_or("");
            let (tier, reason) = match placed.get(id) {
                Some(p) => (p.tier.as_str(), p.reason.as_str()),
                None => (limits.default.as_str(), "default"),
            };
            let per_minute = rate(tier).expect("checked");
            if let Some(op) = op.as_object_mut() {
                op.insert(
                    RATE_LIMIT.to_string(),
                    json!({"tier": tier, "per_minute": per_minute, "reason": reason}),
                );
            }
        }
    }
    Ok(())
}

/// The tier and rate `op` carries, if the merged document gave it one.
pub fn of(op: &Value) -> Option<(&str, u32)> {
    let entry = op.get(RATE_LIMIT)?;
    let tier = entry.get("tier")?.as_str()?;
    let per_minute = u32::try_from(entry.get("per_minute")?.as_u64()?).ok()?;
    Some((tier, per_minute))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc() -> Value {
        json!({"paths": {"/a": {"post": {"operationId": "A"}, "parameters": []}}})
    }

    #[test]
    fn every_name_is_checked_and_every_problem_reported() {
        let limits = parse(
            "source: s\ntiers: {standard: 100, fast: 9, medium: 0}\ndefault: slow\noperations:\n\
             - {operation: Missing, tier: restricted, reason: r}\n- {operation: A, tier: standard, reason: r}\n\
             - {operation: A, tier: standard, reason: again}\n",
            "t.yaml",
        )
        .unwrap();
        let problems = apply(&mut doc(), &limits).unwrap_err().0.join("\n");
        for expected in [
            "unknown tier \"fast\"",
            "tier medium allows 0 per minute",
            "default tier \"slow\" has no rate",
            "no operation \"Missing\"",
            "Missing: tier \"restricted\" has no rate",
            "A placed twice",
        ] {
            assert!(problems.contains(expected), "{expected} in {problems}");
        }
    }

    #[test]
    fn unknown_keys_are_refused_and_the_path_item_parameters_are_left_alone() {
        assert!(parse("source: s\ntiers: {}\ndefault: x\nextra: 1\n", "t").is_err());
        let mut d = doc();
        let limits = parse("source: s\ntiers: {standard: 7}\ndefault: standard\n", "t").unwrap();
        apply(&mut d, &limits).unwrap();
        assert_eq!(of(&d["paths"]["/a"]["post"]), Some(("standard", 7)));
        assert_eq!(d["paths"]["/a"]["parameters"], json!([]));
    }
}
