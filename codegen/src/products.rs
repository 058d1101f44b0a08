//! Cargo features per Cashfree product, derived from the operations' tags.
//!
//! Each tag is a feature (`PAN` → `pan`, `BAV V2` → `bav-v2`); the build generates only the operations
//! with at least one enabled tag, and only the components they reach, so a user of two products does
//! not compile sixty operations. The `[features]` of the crate's `Cargo.toml` hold one generated block
//! between two marker lines, written by `cashfree-codegen refresh` (through `toml_edit`, in
//! `manifest.rs` when the `cli` feature is on) and checked by `check` and by the
//! stale-copy test.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use cashfree_openapi::METHODS;

use crate::source::WEBHOOKS;
use crate::source::{escape_pointer, operations_of, security_alternatives};

/// The line that opens the generated block in `Cargo.toml`.
pub const BLOCK_START: &str = "# Products: generated from the specs' tags by `cashfree-codegen refresh`; do not edit by hand.";
/// The line that closes it.
pub const BLOCK_END: &str = "# End of products.";
/// The feature that enables every product.
pub const ALL_PRODUCTS: &str = "all-products";

/// The feature for `tag`: lower case, runs of other characters than letters and digits as one `-`.
///
/// ```
/// use cashfree_codegen::products::feature_name;
/// assert_eq!(feature_name("BAV V2"), "bav-v2");
/// assert_eq!(feature_name("1-Click"), "1-click");
/// assert_eq!(feature_name("PAN to GSTIN"), "pan-to-gstin");
/// ```
pub fn feature_name(tag: &str) -> String {
    let mut out = String::new();
    for c in tag.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_matches('-').to_string()
}

/// Every product feature of `doc` → the operations (`METHOD path`) and webhook events
/// (`webhook EVENT`, see [`webhooks`](crate::webhooks)) it enables.
pub fn products(doc: &Value) -> BTreeMap<String, Vec<String>> {
    let mut products: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for_each_operation(doc, |method, path, op| {
        for feature in operation_features(op) {
            products
                .entry(feature)
                .or_default()
                .push(format!("{} {path}", method.to_uppercase()));
        }
    });
    for (name, post) in webhook_posts(doc) {
        for feature in operation_features(post) {
            products
                .entry(feature)
                .or_default()
                .push(format!("webhook {name}"));
        }
    }
    products
}

/// Each webhook event's name and `post` (what carries its tags).
fn webhook_posts(doc: &Value) -> impl Iterator<Item = (&String, &Value)> {
    doc.get(WEBHOOKS)
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .map(|(name, item)| (name, item.get("post").unwrap_or(&Value::Null)))
}

/// The tags of an operation or webhook event, as written (strings only, in order).
pub(crate) fn tags_of(op: &Value) -> impl Iterator<Item = &str> {
    op.get("tags")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
}

/// `features` as prose: each in backticks, joined by "or" (`` `pan` or `gstin` ``).
pub(crate) fn features_listed<'a>(features: impl IntoIterator<Item = &'a String>) -> String {
    features
        .into_iter()
        .map(|f| format!("`{f}`"))
        .collect::<Vec<_>>()
        .join(" or ")
}

/// The products (Cargo features) of an operation or webhook event: its tags as feature names, or
/// `untagged`.
pub(crate) fn operation_features(op: &Value) -> BTreeSet<String> {
    let tags: BTreeSet<String> = tags_of(op)
        .map(feature_name)
        .filter(|f| !f.is_empty())
        .collect();
    if tags.is_empty() {
        BTreeSet::from(["untagged".to_string()])
    } else {
        tags
    }
}

fn for_each_operation(doc: &Value, mut f: impl FnMut(&str, &str, &Value)) {
    for (path, method, op) in operations_of(doc) {
        f(method, path, op);
    }
}

/// `doc` with only the operations one of whose features `enabled` accepts, and only the components
/// those operations reach (through `$ref`s, transitively).
pub fn select(doc: &Value, enabled: impl Fn(&str) -> bool) -> Value {
    let mut out = doc.clone();
    if let Some(paths) = out.get_mut("paths").and_then(Value::as_object_mut) {
        for item in paths.values_mut() {
            if let Some(item) = item.as_object_mut() {
                item.retain(|method, op| {
                    !METHODS.contains(&method.as_str())
                        || operation_features(op).iter().any(|f| enabled(f))
                });
            }
        }
        paths.retain(|_, item| {
            item.as_object()
                .is_some_and(|i| i.keys().any(|k| METHODS.contains(&k.as_str())))
        });
    }
    if let Some(events) = out.get_mut(WEBHOOKS).and_then(Value::as_object_mut) {
        events.retain(|_, item| {
            let post = item.get("post").unwrap_or(&Value::Null);
            operation_features(post).iter().any(|f| enabled(f))
        });
    }
    prune_components(&mut out);
    out
}

/// Removes every component no path reaches.
fn prune_components(doc: &mut Value) {
    // Security schemes are named by requirement, not by `$ref`.
    let mut schemes = BTreeSet::new();
    for_each_operation(doc, |_, _, op| {
        schemes.extend(
            security_alternatives(op)
                .flat_map(|alt| alt.keys())
                .cloned(),
        );
    });
    let mut roots = vec![
        (
            doc.get("paths").unwrap_or(&Value::Null),
            "/paths".to_string(),
        ),
        (
            doc.get(WEBHOOKS).unwrap_or(&Value::Null),
            format!("/{WEBHOOKS}"),
        ),
    ];
    let mut reached: BTreeSet<String> = BTreeSet::new();
    for scheme in schemes {
        let pointer = format!("/components/securitySchemes/{}", escape_pointer(&scheme));
        if let Some(value) = doc.pointer(&pointer) {
            roots.push((value, pointer.clone()));
        }
        reached.insert(format!("#{pointer}"));
    }
    reached.extend(cashfree_openapi::walk::reachable(doc, roots));
    let Some(components) = doc.get_mut("components").and_then(Value::as_object_mut) else {
        return;
    };
    for (section, entries) in components.iter_mut() {
        if let Some(entries) = entries.as_object_mut() {
            entries.retain(|name, _| {
                let pointer = format!(
                    "#/components/{}/{}",
                    escape_pointer(section),
                    escape_pointer(name)
                );
                reached.contains(&pointer)
            });
        }
    }
}

/// The generated block of `[features]`: one line per product (with the operations it enables as a
/// comment) and `all-products`.
pub fn features_block(doc: &Value) -> String {
    let products = products(doc);
    let mut block = format!("{BLOCK_START}\n");
    for (feature, operations) in &products {
        block.push_str(&format!(
            "## {}\n{} = []\n",
            operations.join(", "),
            toml_key(feature)
        ));
    }
    let all: Vec<String> = products.keys().map(|f| format!("\"{f}\"")).collect();
    block.push_str(&format!(
        "## Every product.\n{ALL_PRODUCTS} = [{}]\n{BLOCK_END}\n",
        all.join(", ")
    ));
    block
}

/// The features a `Cargo.toml` declares in its `[features]` table (keys only), read without a TOML
/// parser: the build script does not compile one. Works on the checked-in manifest and on the one
/// cargo writes into a package (comments gone, arrays perhaps over several lines).
pub fn declared_features(manifest: &str) -> BTreeSet<String> {
    let mut in_features = false;
    let mut declared = BTreeSet::new();
    for line in manifest.lines() {
        let line = line.trim();
        if line.starts_with('[') && !line.starts_with("[\"") && line.ends_with(']') {
            in_features = line == "[features]";
            continue;
        }
        if !in_features || line.starts_with('#') {
            continue;
        }
        let Some((key, _)) = line.split_once('=') else {
            continue;
        };
        let key = key.trim();
        let key = key
            .strip_prefix('"')
            .and_then(|k| k.strip_suffix('"'))
            .unwrap_or(key);
        if !key.is_empty()
            && key
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        {
            declared.insert(key.to_string());
        }
    }
    declared
}

/// One line per product of `doc` that `declared` (the crate's features) does not have: the
/// operations and webhook events no Cargo feature enables, not even `all-products`, so the build
/// leaves them out. Each line names them and `refresh_command`, which adds the product's feature.
pub fn unfeatured(doc: &Value, declared: &BTreeSet<String>, refresh_command: &str) -> Vec<String> {
    products(doc)
        .into_iter()
        .filter(|(feature, _)| !declared.contains(feature))
        .map(|(feature, operations)| {
            let one = operations.len() == 1;
            let (count, them) = if one {
                ("1 operation".to_string(), "it")
            } else {
                (format!("{} operations", operations.len()), "them")
            };
            let why = match (feature.as_str(), one) {
                ("untagged", true) => "has no tag".to_string(),
                ("untagged", false) => "have no tag".to_string(),
                (_, true) => format!("is tagged for product `{feature}`"),
                (_, false) => format!("are tagged for product `{feature}`"),
            };
            format!(
                "{count} {why}, which is not a Cargo feature of this crate, so no feature (not even `{ALL_PRODUCTS}`) generates {them}: {}; `{refresh_command}` adds the feature `{feature}`",
                operations.join(", "),
            )
        })
        .collect()
}

/// A feature name as a TOML key: bare when it can be, quoted otherwise (`1-click` can be bare).
fn toml_key(feature: &str) -> String {
    if feature
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    {
        feature.to_string()
    } else {
        format!("\"{feature}\"")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn doc() -> Value {
        json!({
            "paths": {
                "/pan": {"post": {"tags": ["PAN"], "security": [{"X": []}], "responses": {"200": {"$ref": "#/components/responses/Pan"}}}},
                "/upi": {"post": {"tags": ["UPI"], "responses": {"200": {"$ref": "#/components/responses/Upi"}}}}
            },
            "components": {
                "responses": {"Pan": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Pan"}}}},
                              "Upi": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Upi"}}}}},
                "schemas": {"Pan": {"properties": {"a": {"$ref": "#/components/schemas/Shared"}}}, "Upi": {}, "Shared": {}},
                "securitySchemes": {"X": {"type": "apiKey"}, "Y": {"type": "apiKey"}}
            }
        })
    }

    #[test]
    fn selecting_a_product_keeps_its_operations_and_what_they_reach() {
        let pan = select(&doc(), |f| f == "pan");
        assert!(pan["paths"].get("/upi").is_none());
        assert!(pan["paths"]["/pan"]["post"].is_object());
        let schemas: Vec<&String> = pan["components"]["schemas"]
            .as_object()
            .unwrap()
            .keys()
            .collect();
        assert_eq!(schemas, ["Pan", "Shared"]);
        assert_eq!(pan["components"]["responses"].as_object().unwrap().len(), 1);
        assert_eq!(
            pan["components"]["securitySchemes"]
                .as_object()
                .unwrap()
                .len(),
            1
        );
        let mut with_events = doc();
        with_events[WEBHOOKS] = serde_json::json!({"PAN_DONE": {"post": {"tags": ["PAN"],
            "requestBody": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Upi"}}}}}}});
        let upi = select(&with_events, |f| f == "upi");
        assert!(upi[WEBHOOKS].as_object().unwrap().is_empty());
        let pan = select(&with_events, |f| f == "pan");
        assert!(pan[WEBHOOKS]["PAN_DONE"].is_object());
        assert!(
            pan["components"]["schemas"].get("Upi").is_some(),
            "an event keeps what it reaches"
        );
        assert!(products(&with_events)["pan"].contains(&"webhook PAN_DONE".to_string()));
        let all = select(&doc(), |_| true);
        assert_eq!(all["components"]["schemas"].as_object().unwrap().len(), 3);
    }

    #[test]
    fn operations_no_declared_feature_enables_are_named_with_the_command() {
        let mut d = doc();
        d["paths"]["/new"] = json!({"post": {"tags": ["New Product"], "responses": {}}});
        d["paths"]["/none"] = json!({"get": {"responses": {}}});
        let manifest = "[package]\nname = \"x\"\n\n[features]\ndefault = [\"pan\"]\n# a comment = no\npan = []\n\"upi\" = []\nall-products = [\n    \"pan\",\n    \"upi\",\n]\n\n[dependencies]\nnew-product = \"1\"\n";
        let declared = declared_features(manifest);
        assert_eq!(
            declared.iter().map(String::as_str).collect::<Vec<_>>(),
            ["all-products", "default", "pan", "upi"]
        );
        let lines = unfeatured(&d, &declared, "cargo run -p codegen -- refresh");
        assert_eq!(lines.len(), 2, "{lines:?}");
        assert!(
            lines[0].starts_with("1 operation is tagged for product `new-product`")
                && lines[0].contains("POST /new")
                && lines[0].contains("not even `all-products`")
                && lines[0]
                    .ends_with("`cargo run -p codegen -- refresh` adds the feature `new-product`"),
            "{}",
            lines[0]
        );
        assert!(
            lines[1].starts_with("1 operation has no tag") && lines[1].contains("GET /none"),
            "{}",
            lines[1]
        );
        let features = declared_features(&format!("[features]\n{}", features_block(&d)));
        assert!(unfeatured(&d, &features, "x").is_empty());
    }

    #[test]
    fn the_features_block_lists_every_product_and_replaces_itself() {
        let block = features_block(&doc());
        assert!(block.contains("## POST /pan\npan = []\n"), "{block}");
        assert!(
            block.contains("all-products = [\"pan\", \"upi\"]"),
            "{block}"
        );
        #[cfg(feature = "cli")]
        {
            use crate::manifest::with_features_block;
            let manifest = format!(
                "[features]\ndefault = []\n{BLOCK_START}\nold = []\n{BLOCK_END}\n\n[dependencies]\n"
            );
            let new = with_features_block(&manifest, &block).unwrap();
            assert!(new.starts_with("[features]\ndefault = []\n# Products"));
            assert!(new.ends_with(&format!("{BLOCK_END}\n\n[dependencies]\n")));
            assert!(!new.contains("old = []"));
            assert_eq!(with_features_block(&new, &block).unwrap(), new);
            assert!(with_features_block("[features]\n", &block).is_err());
        }
    }
}
