//! The order Cashfree's documents merge in, and how their `openapi` versions compare.

use crate::source::SpecFile;

/// Where a file comes in the merge, from its content, never its name (which decides only between
/// files holding no operation, or the same first one): files with more operations first (Cashfree's
/// full spec, so its documentation is the one kept and its paths keep their order), then by their
/// first operation (`path METHOD`). Importing a docs page that repeats an operation of the full spec
/// therefore changes nothing in the merged document, whatever the page's file is called.
pub(super) fn merge_order(spec: &SpecFile) -> (std::cmp::Reverse<usize>, Option<String>, String) {
    let operations: Vec<String> = crate::source::operations_of(&spec.doc)
        .map(|(path, method, _)| format!("{path} {}", method.to_uppercase()))
        .collect();
    (
        std::cmp::Reverse(operations.len()),
        operations.into_iter().min(),
        spec.name.clone(),
    )
}

/// `3.0.10` → `[3, 0, 10]`, so versions compare by number (`3.0.10` above `3.0.9`).
pub(super) fn version_key(v: &str) -> Vec<u32> {
    v.split('.').map(|p| p.parse().unwrap_or(0)).collect()
}
