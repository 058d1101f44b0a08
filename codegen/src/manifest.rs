//! The products block of the crate's `Cargo.toml`, rewritten through `toml_edit`.
//!
//! The block is the run of `[features]` entries that starts at the entry whose comment lines hold
//! [`BLOCK_START`] and ends before the entry (or, at the end of the table, the comment) that holds
//! [`BLOCK_END`]. Its entries are replaced by the entries of the block text
//! [`features_block`](crate::products::features_block) renders, parsed as TOML, each with its
//! comment lines; every other entry, comment and table of the manifest is kept byte for byte.

use toml_edit::{DocumentMut, Item, Key, RawString, Table};

use crate::products::{BLOCK_END, BLOCK_START};

/// `manifest` (a `Cargo.toml`'s text) with its products block replaced by the entries of `block`.
///
/// # Errors
/// The manifest or the block is not TOML, the manifest has no `[features]` table, or the table has
/// no block (both marker lines, in order).
pub fn with_features_block(manifest: &str, block: &str) -> Result<String, String> {
    let mut doc: DocumentMut = manifest
        .parse()
        .map_err(|e| format!("Cargo.toml is not TOML: {e}"))?;
    let fresh: DocumentMut = format!("[features]\n{block}")
        .parse()
        .map_err(|e| format!("the generated products block is not TOML: {e}"))?;
    let new_entries = entries(fresh["features"].as_table().unwrap_or(&Table::new()));

    let no_start = || format!("Cargo.toml has no line {BLOCK_START:?} in [features]");
    let no_end = || format!("Cargo.toml has no line {BLOCK_END:?} after the products block");
    let features = doc
        .get("features")
        .and_then(Item::as_table)
        .ok_or_else(no_start)?;
    let old_entries = entries(features);
    let holds = |key: &Key, line: &str| has_line(key.leaf_decor().prefix(), line);
    let start = old_entries.iter().position(|(k, _)| holds(k, BLOCK_START));
    let end = old_entries
        .iter()
        .enumerate()
        .skip(start.unwrap_or(0))
        .find(|(_, (k, _))| holds(k, BLOCK_END))
        .map(|(i, _)| i);

    // The markers after the table's last entry sit in the decor of whatever follows it.
    let (start, end) = match (start, end) {
        (Some(start), Some(end)) => (start, end),
        (Some(start), None) => {
            if !after_table_holds(&doc, BLOCK_END) {
                return Err(no_end());
            }
            (start, old_entries.len())
        }
        (None, _) => {
            if !after_table_holds(&doc, BLOCK_START) || !after_table_holds(&doc, BLOCK_END) {
                return Err(no_start());
            }
            // An empty block: its start line moves onto the first new entry.
            drop_line_after_table(&mut doc, BLOCK_START);
            (old_entries.len(), old_entries.len())
        }
    };

    let features = doc
        .get_mut("features")
        .and_then(Item::as_table_mut)
        .ok_or_else(no_start)?;
    features.clear();
    let kept_before = old_entries[..start].iter();
    let kept_after = old_entries[end..].iter();
    for (key, item) in kept_before.chain(new_entries.iter()).chain(kept_after) {
        features.insert_formatted(key, item.clone());
    }
    Ok(doc.to_string())
}

/// The entries of `table` in order, each key with its decor.
fn entries(table: &Table) -> Vec<(Key, Item)> {
    table
        .iter()
        .filter_map(|(name, item)| {
            let (key, _) = table.get_key_value(name)?;
            Some((key.clone(), item.clone()))
        })
        .collect()
}

fn has_line(text: Option<&RawString>, line: &str) -> bool {
    text.and_then(RawString::as_str)
        .is_some_and(|t| t.lines().any(|l| l.trim_end() == line))
}

/// The decor that follows `[features]`' last entry: the next table's header comments, or the
/// document's trailing text when `[features]` is last.
fn after_table_holds(doc: &DocumentMut, line: &str) -> bool {
    match next_table_name(doc) {
        Some(name) => has_line(
            doc[name.as_str()]
                .as_table()
                .and_then(|t| t.decor().prefix()),
            line,
        ),
        None => has_line(Some(doc.trailing()), line),
    }
}

fn drop_line_after_table(doc: &mut DocumentMut, line: &str) {
    let without = |text: &str| -> String {
        text.split_inclusive('\n')
            .filter(|l| l.trim_end() != line)
            .collect()
    };
    match next_table_name(doc) {
        Some(name) => {
            if let Some(table) = doc[name.as_str()].as_table_mut() {
                let text = table
                    .decor()
                    .prefix()
                    .and_then(RawString::as_str)
                    .map(without);
                if let Some(text) = text {
                    table.decor_mut().set_prefix(text);
                }
            }
        }
        None => {
            let text = doc.trailing().as_str().map(without);
            if let Some(text) = text {
                doc.set_trailing(text);
            }
        }
    }
}

/// The name of the table written right after `[features]`, if any.
fn next_table_name(doc: &DocumentMut) -> Option<String> {
    let position = doc.get("features")?.as_table()?.position()?;
    doc.iter()
        .filter_map(|(name, item)| Some((item.as_table()?.position()?, name)))
        .filter(|(p, _)| *p > position)
        .min_by_key(|(p, _)| *p)
        .map(|(_, name)| name.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    const BLOCK: &str = "# Products: generated from the specs' tags by `cashfree-codegen refresh`; do not edit by hand.\n## POST /pan\npan = []\n## Every product.\nall-products = [\"pan\"]\n# End of products.\n";

    #[test]
    fn the_block_is_replaced_and_everything_else_kept() {
        let manifest = format!(
            "[package]\nname = \"x\" # keep me\n\n[features]\ndefault = [\"pan\"]\n{BLOCK_START}\n## old\nold = []\n{BLOCK_END}\n## after\nrustls = [\"dep:rustls\"]\n\n[dependencies]\nserde = \"1\"\n"
        );
        let new = with_features_block(&manifest, BLOCK).unwrap();
        assert_eq!(
            new,
            format!(
                "[package]\nname = \"x\" # keep me\n\n[features]\ndefault = [\"pan\"]\n{BLOCK_START}\n## POST /pan\npan = []\n## Every product.\nall-products = [\"pan\"]\n{BLOCK_END}\n## after\nrustls = [\"dep:rustls\"]\n\n[dependencies]\nserde = \"1\"\n"
            )
        );
        assert_eq!(with_features_block(&new, BLOCK).unwrap(), new);
    }

    #[test]
    fn an_empty_block_at_the_end_of_the_document_is_filled() {
        let manifest =
            format!("[package]\nname = \"x\"\n\n[features]\n{BLOCK_START}\n{BLOCK_END}\n");
        let new = with_features_block(&manifest, BLOCK).unwrap();
        assert_eq!(
            new,
            format!("[package]\nname = \"x\"\n\n[features]\n{BLOCK}")
        );
        assert_eq!(with_features_block(&new, BLOCK).unwrap(), new);
    }

    #[test]
    fn a_manifest_without_markers_or_toml_is_refused() {
        assert!(
            with_features_block("[features]\n", BLOCK)
                .unwrap_err()
                .contains("has no line")
        );
        let only_start = format!("[features]\n{BLOCK_START}\nold = []\n");
        assert!(
            with_features_block(&only_start, BLOCK)
                .unwrap_err()
                .contains("End of products")
        );
        assert!(
            with_features_block("[features\n", BLOCK)
                .unwrap_err()
                .contains("not TOML")
        );
    }
}
