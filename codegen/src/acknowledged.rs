//! Documentation-only differences between spec files that a maintainer has seen: recorded as data in
//! `spec/documentation-only.txt` (written by `refresh`, shipped with the crate), so the build names
//! only the new ones. A build of the package, or of a path dependency, has nothing new to say.

use std::collections::BTreeSet;
use std::path::Path;

use crate::merge::DocumentationOnly;

/// The file, inside `spec/`.
pub const FILE: &str = "documentation-only.txt";

/// The differences `text` (a `spec/documentation-only.txt`) records.
pub fn parse(text: &str) -> BTreeSet<String> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(String::from)
        .collect()
}

/// The differences recorded in `specs` (a spec directory); none when it has no such file.
pub fn load(specs: &Path) -> BTreeSet<String> {
    std::fs::read_to_string(specs.join(FILE))
        .map(|t| parse(&t))
        .unwrap_or_default()
}

/// The file's text acknowledging every difference of `differences`.
pub fn record(differences: &[DocumentationOnly]) -> String {
    let keys: BTreeSet<String> = differences.iter().map(DocumentationOnly::key).collect();
    let mut text = String::from(
        "# Documentation-only differences between spec files (each component keeps its first file's text),\n# seen by a maintainer: the build names only those not listed here. Written by refresh.\n",
    );
    for k in keys {
        text.push_str(&k);
        text.push('\n');
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_record_holds_each_difference_once_and_reads_back() {
        let d = DocumentationOnly {
            component: "components/schemas/E".into(),
            first: "a.yaml".into(),
            second: "b.yaml".into(),
            pointers: vec!["/components/schemas/E/description".into()],
        };
        assert_eq!(
            d.key(),
            "components/schemas/E between a.yaml and b.yaml at /components/schemas/E/description"
        );
        let text = record(&[d.clone(), d.clone()]);
        assert!(text.starts_with("# "), "{text}");
        assert_eq!(parse(&text), BTreeSet::from([d.key()]));
    }
}
