//! Merging many single-operation OpenAPI documents into one.
//!
//! The rules (also in the README):
//! - Files are taken in an order of their content, never their names (so neither the directory order
//!   nor a file's name changes the output): the files with more operations first (Cashfree's full
//!   spec), then by their first operation (`path METHOD`); the name decides only a tie.
//! - **Operations**: a method+path or an `operationId` defined by two files is an error naming both.
//!   A document-level `security` requirement is moved onto each of that file's operations that has none,
//!   so merging never changes which credentials an operation needs.
//! - **Components** (every section): same name and identical content → kept once; differing only in
//!   documentation keywords → one component whose documentation comes from the first file (in that order),
//!   gaps filled from later files, with a warning; differing structurally → an error naming the
//!   component, both files and the JSON pointer of the first structural difference.
//! - **info**: the first file's. A later file with another `title` or `version` gives a warning.
//! - **servers**: union by URL, in order of first appearance; the first description wins.
//! - **tags**: union by name, in order of first appearance; the first description wins.
//! - **Path items** shared by several files (different methods): path-level `parameters` must agree.
//! - Every `$ref` inside the document must resolve in the merged document.

use std::collections::BTreeMap;

use serde_json::{Map, Value, json};

use crate::compare::{compare, merge_documentation};
use crate::problem::Problems;
use crate::source::{SpecFile, escape_pointer};

pub use cashfree_openapi::METHODS;

mod conflict;
mod order;

use conflict::{defined_twice, describe, show, suggest_overlay};
use order::{merge_order, version_key};

/// The merged document and what was noticed on the way.
#[derive(Debug, Clone)]
pub struct Merged {
    /// The merged OpenAPI document.
    pub doc: Value,
    /// Things worth a look that do not stop the build (another `info.title`...).
    pub warnings: Vec<String>,
    /// The components whose copies differ only in documentation (one kept, first file's text).
    pub documentation_only: Vec<DocumentationOnly>,
}

/// A component two spec files define with the same structure and other documentation: the merged
/// document keeps the first file's documentation, gaps filled from the second.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocumentationOnly {
    /// `components/<section>/<name>`.
    pub component: String,
    /// The file whose documentation is kept.
    pub first: String,
    /// The later file.
    pub second: String,
    /// The JSON pointers where the documentation differs.
    pub pointers: Vec<String>,
}

impl DocumentationOnly {
    /// The difference as one line (component, both files, the pointers): what
    /// `spec/documentation-only.txt` records ([`acknowledged`](crate::acknowledged)).
    pub fn key(&self) -> String {
        format!(
            "{} between {} and {} at {}",
            self.component,
            self.first,
            self.second,
            self.pointers.join(" ")
        )
    }
}

impl std::fmt::Display for DocumentationOnly {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "component `{}` differs only in documentation between {first} and {} (at {}); keeping {first}'s documentation, gaps filled from {}",
            self.component,
            self.second,
            self.pointers.join(", "),
            self.second,
            first = self.first,
        )
    }
}

struct Origin<'a> {
    file: &'a str,
    /// How many operations that file holds.
    operations: usize,
}

/// Merges `specs`, which must already be in the order to merge in (file-name order).
///
/// # Errors
/// Every conflict found, not only the first.
pub fn merge(specs: &[SpecFile]) -> Result<Merged, Problems> {
    let mut specs: Vec<&SpecFile> = specs.iter().collect();
    specs.sort_by_cached_key(|spec| merge_order(spec));

    let mut problems = Problems::new();
    let mut warnings = Vec::new();
    let mut documentation_only = Vec::new();

    let mut openapi = String::from("3.0.0");
    let mut info: Option<(Value, &str)> = None;
    let mut servers: Vec<Value> = Vec::new();
    let mut tags: Vec<Value> = Vec::new();
    let mut paths = Map::new();
    let mut path_origin: BTreeMap<String, Origin> = BTreeMap::new(); // "POST /x" -> file
    let mut op_ids: BTreeMap<String, (String, &str)> = BTreeMap::new();
    let mut components: Map<String, Value> = Map::new();
    let mut component_origin: BTreeMap<String, &str> = BTreeMap::new();
    let mut external_docs: Option<Value> = None;
    let mut webhooks = crate::webhooks::merge::WebhookMerge::default();

    for spec in &specs {
        let file = spec.name.as_str();
        let doc = &spec.doc;
        let operations = crate::source::operations_of(doc).count();

        if let Some(v) = doc.get("openapi").and_then(Value::as_str)
            && version_key(v) > version_key(&openapi)
        {
            openapi = v.to_string();
        }

        match (&info, doc.get("info")) {
            (None, Some(i)) => info = Some((i.clone(), file)),
            (Some((first, first_file)), Some(i)) => {
                for field in ["title", "version"] {
                    if first.get(field) != i.get(field) {
                        warnings.push(format!(
                            "info.{field} differs: {} in {first_file}, {} in {file}; the merged document keeps {first_file}'s",
                            show(first.get(field)),
                            show(i.get(field)),
                        ));
                    }
                }
            }
            _ => {}
        }
        if external_docs.is_none() {
            external_docs = doc.get("externalDocs").cloned();
        }
        webhooks
            .add(file, doc)
            .into_iter()
            .for_each(|p| problems.push(p));

        for server in doc
            .get("servers")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            if !servers.iter().any(|s| s.get("url") == server.get("url")) {
                servers.push(server.clone());
            }
        }
        for tag in doc
            .get("tags")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            if !tags.iter().any(|t| t.get("name") == tag.get("name")) {
                tags.push(tag.clone());
            }
        }

        // Document-level security applies to operations that declare none: make that explicit.
        let global_security = doc
            .get("security")
            .filter(|s| s.as_array().is_some_and(|a| !a.is_empty()));

        for (path, item) in doc
            .get("paths")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
        {
            let Some(item) = item.as_object() else {
                problems.push(format!("{file}: path {path} is not a mapping"));
                continue;
            };
            let target = paths
                .entry(path.clone())
                .or_insert_with(|| Value::Object(Map::new()));
            let target = target.as_object_mut().expect("path items are objects");
            for (key, value) in item {
                if METHODS.contains(&key.as_str()) {
                    let op_key = format!("{} {path}", key.to_uppercase());
                    if let Some(first) = path_origin.get(&op_key) {
                        problems.push(defined_twice(
                            &op_key,
                            (first.file, first.operations),
                            (file, operations),
                        ));
                        continue;
                    }
                    let mut op = value.clone();
                    if let (Some(sec), Some(obj)) = (global_security, op.as_object_mut())
                        && !obj.contains_key("security")
                    {
                        obj.insert("security".into(), sec.clone());
                    }
                    if let Some(id) = op.get("operationId").and_then(Value::as_str) {
                        if let Some((first_op, first_file)) = op_ids.get(id) {
                            problems.push(format!(
                                "operationId `{id}` is used twice: by {first_op} in {first_file} and by {op_key} in {file}.\nOperation ids name the generated methods, so they must be unique; correct one with an overlay (`extends` that file) that sets another operationId."
                            ));
                        } else {
                            op_ids.insert(id.to_string(), (op_key.clone(), file));
                        }
                    }
                    path_origin.insert(op_key, Origin { file, operations });
                    target.insert(key.clone(), op);
                } else if let Some(existing) = target.get(key) {
                    let pointer =
                        format!("/paths/{}/{}", escape_pointer(path), escape_pointer(key));
                    let c = compare(existing, value, &pointer);
                    if let Some(d) = c.structural.first() {
                        problems.push(format!(
                            "path-level `{key}` of {path} differs between the files that define its operations; {file} disagrees with an earlier file.\n{}",
                            describe(d, "the earlier file", file)
                        ));
                    }
                } else {
                    target.insert(key.clone(), value.clone());
                }
            }
        }

        for (section, entries) in doc
            .get("components")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
        {
            let Some(entries) = entries.as_object() else {
                problems.push(format!("{file}: components/{section} is not a mapping"));
                continue;
            };
            let target = components
                .entry(section.clone())
                .or_insert_with(|| Value::Object(Map::new()));
            let target = target
                .as_object_mut()
                .expect("component sections are objects");
            for (name, value) in entries {
                let id = format!("components/{section}/{name}");
                let Some(existing) = target.get(name) else {
                    target.insert(name.clone(), value.clone());
                    component_origin.insert(id, file);
                    continue;
                };
                let first_file = component_origin[&id];
                let pointer = format!(
                    "/components/{}/{}",
                    escape_pointer(section),
                    escape_pointer(name)
                );
                let c = compare(existing, value, &pointer);
                if let Some(d) = c.structural.first() {
                    let more = c.structural.len() - 1;
                    problems.push(format!(
                        "component `{id}` differs structurally between {first_file} and {file}.\n{}{}\nTo resolve it, add an overlay in spec/overlays/ that makes the two agree, for example:\n{}",
                        describe(d, first_file, file),
                        if more > 0 { format!("\n({more} more structural difference{} after this one.)", if more == 1 { "" } else { "s" }) } else { String::new() },
                        suggest_overlay(d, file, &pointer, name),
                    ));
                } else if !c.documentation.is_empty() {
                    documentation_only.push(DocumentationOnly {
                        component: id,
                        first: first_file.to_string(),
                        second: file.to_string(),
                        pointers: c.documentation.clone(),
                    });
                    let merged = merge_documentation(existing, value);
                    target.insert(name.clone(), merged);
                }
            }
        }
    }

    let mut out = Map::new();
    out.insert("openapi".into(), Value::String(openapi));
    out.insert(
        "info".into(),
        info.map(|(i, _)| i)
            .unwrap_or_else(|| json!({"title": "merged", "version": "0"})),
    );
    if let Some(d) = external_docs {
        out.insert("externalDocs".into(), d);
    }
    if !servers.is_empty() {
        out.insert("servers".into(), Value::Array(servers));
    }
    if !tags.is_empty() {
        out.insert("tags".into(), Value::Array(tags));
    }
    out.insert("paths".into(), Value::Object(paths));
    webhooks.finish(&mut out);
    if !components.is_empty() {
        out.insert("components".into(), Value::Object(components));
    }
    let doc = Value::Object(out);

    check_refs(&doc, &mut problems);
    problems.into_result(Merged {
        doc,
        warnings,
        documentation_only,
    })
}

/// Reports every local `$ref` of `doc` that does not resolve.
pub fn check_refs(doc: &Value, problems: &mut Problems) {
    let mut dangling = BTreeMap::<&str, Vec<String>>::new();
    for (target, at) in cashfree_openapi::walk::refs(doc, "") {
        let resolves = target
            .strip_prefix('#')
            .is_some_and(|p| doc.pointer(p).is_some());
        if !resolves {
            dangling.entry(target).or_default().push(at);
        }
    }
    for (target, places) in dangling {
        problems.push(format!(
            "`$ref: '{target}'` does not resolve in the merged document (used at {})",
            places.join(", ")
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::parse_text;
    use std::path::PathBuf;

    fn spec(name: &str, yaml: &str) -> SpecFile {
        SpecFile {
            path: PathBuf::from(name),
            name: name.into(),
            doc: parse_text(yaml).unwrap(),
        }
    }

    fn op(path: &str, id: &str, components: &str) -> String {
        format!(
            "openapi: 3.0.0\ninfo: {{title: T, version: '1'}}\nservers: [{{url: 'https://a'}}]\npaths:\n  {path}:\n    post:\n      operationId: {id}\n      responses:\n        '200': {{description: ok}}\ncomponents:\n{components}"
        )
    }

    #[test]
    fn identical_components_are_kept_once_and_output_is_order_independent() {
        let c = "  schemas:\n    E: {type: object, properties: {code: {type: string}}}\n";
        let a = spec("a.yaml", &op("/a", "A", c));
        let b = spec("b.yaml", &op("/b", "B", c));
        let m1 = merge(&[a.clone(), b.clone()]).unwrap();
        let m2 = merge(&[b, a]).unwrap();
        assert!(m1.warnings.is_empty(), "{:?}", m1.warnings);
        assert_eq!(
            serde_json::to_string(&m1.doc).unwrap(),
            serde_json::to_string(&m2.doc).unwrap()
        );
        assert_eq!(
            m1.doc["components"]["schemas"].as_object().unwrap().len(),
            1
        );
        assert_eq!(m1.doc["paths"].as_object().unwrap().len(), 2);
        assert_eq!(m1.doc["servers"].as_array().unwrap().len(), 1);
    }

    #[test]
    fn the_merge_order_follows_content_not_file_names() {
        let bundle = "openapi: 3.0.0\ninfo: {title: T, version: '1'}\npaths:\n  /b:\n    post:\n      operationId: B\n      responses: {'200': {description: ok}}\n  /a:\n    post:\n      operationId: A\n      responses: {'200': {description: ok}}\ncomponents:\n  schemas:\n    E: {type: string, description: from the bundle}\n";
        let page = op(
            "/c",
            "C",
            "  schemas:\n    E: {type: string, description: from the page, example: x}\n",
        );
        let merged = |page_name: &str, bundle_name: &str| {
            let m = merge(&[spec(page_name, &page), spec(bundle_name, bundle)]).unwrap();
            serde_json::to_string_pretty(&m.doc).unwrap()
        };
        let first = merged("A-page.yaml", "openapi-full.json");
        for (page_name, bundle_name) in [
            ("zz-page.yaml", "openapi-full.json"),
            ("page.yaml", "0.json"),
        ] {
            assert_eq!(
                merged(page_name, bundle_name),
                first,
                "{page_name}, {bundle_name}"
            );
        }
        let doc: Value = serde_json::from_str(&first).unwrap();
        let paths: Vec<&String> = doc["paths"].as_object().unwrap().keys().collect();
        assert_eq!(
            paths,
            ["/b", "/a", "/c"],
            "the bundle's paths keep their order"
        );
        assert_eq!(
            doc["components"]["schemas"]["E"]["description"],
            "from the bundle"
        );
        assert_eq!(
            doc["components"]["schemas"]["E"]["example"], "x",
            "gaps filled"
        );
    }

    #[test]
    fn documentation_differences_warn_and_merge_first_wins() {
        let a = spec(
            "a.yaml",
            &op(
                "/a",
                "A",
                "  schemas:\n    E: {type: string, description: from a}\n",
            ),
        );
        let b = spec(
            "b.yaml",
            &op(
                "/b",
                "B",
                "  schemas:\n    E: {type: string, description: from b, example: x}\n",
            ),
        );
        let m = merge(&[a, b]).unwrap();
        assert_eq!(m.doc["components"]["schemas"]["E"]["description"], "from a");
        assert_eq!(m.doc["components"]["schemas"]["E"]["example"], "x");
        assert!(m.warnings.is_empty(), "{:?}", m.warnings);
        assert_eq!(m.documentation_only.len(), 1);
        let w = &m.documentation_only[0].to_string();
        assert!(
            w.contains("components/schemas/E") && w.contains("a.yaml") && w.contains("b.yaml"),
            "{w}"
        );
        assert!(w.contains("/components/schemas/E/description"), "{w}");
    }

    #[test]
    fn structural_difference_fails_with_pointer_files_and_resolution() {
        let a = spec(
            "a.yaml",
            &op(
                "/a",
                "A",
                "  schemas:\n    E: {type: object, required: [code]}\n",
            ),
        );
        let b = spec(
            "b.yaml",
            &op("/b", "B", "  schemas:\n    E: {type: object}\n"),
        );
        let err = merge(&[a, b]).unwrap_err();
        assert_eq!(err.0.len(), 1, "{err}");
        let m = &err.0[0];
        assert!(
            m.contains(
                "component `components/schemas/E` differs structurally between a.yaml and b.yaml"
            ),
            "{m}"
        );
        assert!(m.contains("/components/schemas/E/required"), "{m}");
        assert!(
            m.contains("extends: ../b.yaml") && m.contains("target: \"$.components.schemas.E\""),
            "{m}"
        );
        assert!(
            m.contains("\"required\": [\"code\"]")
                || m.contains("\"required\": [\"code\"]".replace(' ', "").as_str()),
            "{m}"
        );
    }

    #[test]
    fn duplicate_operation_and_operation_id_fail_naming_both_files_all_at_once() {
        let a = spec("a.yaml", &op("/x", "Same", "  schemas: {}\n"));
        let b = spec("b.yaml", &op("/x", "Other", "  schemas: {}\n"));
        let c = spec("c.yaml", &op("/y", "Same", "  schemas: {}\n"));
        let err = merge(&[a, b, c]).unwrap_err();
        assert_eq!(err.0.len(), 2, "{err}");
        assert!(
            err.0[0].contains("POST /x is defined twice: in a.yaml and in b.yaml"),
            "{err}"
        );
        assert!(
            err.0[1].contains("operationId `Same` is used twice")
                && err.0[1].contains("a.yaml")
                && err.0[1].contains("c.yaml"),
            "{err}"
        );
    }

    #[test]
    fn an_operation_a_page_and_a_bundle_both_define_points_at_import_and_the_overlay() {
        let bundle = "openapi: 3.0.0\ninfo: {title: T, version: '1'}\npaths:\n  /x:\n    post:\n      operationId: X\n      responses: {'200': {description: ok}}\n  /y:\n    post:\n      operationId: Y\n      responses: {'200': {description: ok}}\n";
        let page = spec("x-page.yaml", &op("/x", "X2", "  schemas: {}\n"));
        let err = merge(&[spec("full.json", bundle), page]).unwrap_err();
        let m = &err.0[0];
        assert!(
            m.starts_with("POST /x is defined twice: in full.json and in x-page.yaml."),
            "{m}"
        );
        assert!(
            m.contains("cargo run -p cashfree-verification-codegen -- import <the page>")
                && m.contains("spec/overlays/full.superseded.yaml")
                && m.contains("removing POST /x from full.json"),
            "{m}"
        );
        assert!(!m.contains("delete the older file"), "{m}");
    }

    #[test]
    fn document_security_moves_onto_operations() {
        let mut text = op("/a", "A", "  schemas: {}\n");
        text.push_str("security:\n- K: []\n");
        let m = merge(&[spec("a.yaml", &text)]).unwrap();
        assert_eq!(m.doc["paths"]["/a"]["post"]["security"], json!([{"K": []}]));
        assert!(m.doc.get("security").is_none());
    }

    #[test]
    fn dangling_refs_are_reported() {
        let text = op(
            "/a",
            "A",
            "  schemas:\n    E: {$ref: '#/components/schemas/Missing'}\n",
        );
        let err = merge(&[spec("a.yaml", &text)]).unwrap_err();
        assert!(
            err.0[0].contains("#/components/schemas/Missing")
                && err.0[0].contains("/components/schemas/E"),
            "{err}"
        );
    }

    #[test]
    fn servers_and_tags_are_unions_in_order_of_first_appearance() {
        let a = "openapi: 3.0.0\ninfo: {title: T, version: '1'}\nservers: [{url: 'https://s', description: Sandbox}]\ntags: [{name: A, description: first}]\npaths: {}\n";
        let b = "openapi: 3.0.3\ninfo: {title: T, version: '1'}\nservers: [{url: 'https://p'}, {url: 'https://s', description: Test}]\ntags: [{name: B}, {name: A, description: second}]\npaths: {}\n";
        let m = merge(&[spec("b.yaml", b), spec("a.yaml", a)]).unwrap();
        assert_eq!(
            m.doc["servers"],
            json!([{"url": "https://s", "description": "Sandbox"}, {"url": "https://p"}])
        );
        assert_eq!(
            m.doc["tags"],
            json!([{"name": "A", "description": "first"}, {"name": "B"}])
        );
        assert_eq!(m.doc["openapi"], "3.0.3");
    }

    #[test]
    fn path_level_parameters_must_agree() {
        let item = |method: &str, id: &str, required: bool| {
            format!(
                "openapi: 3.0.0\ninfo: {{title: T, version: '1'}}\npaths:\n  /x/{{id}}:\n    parameters: [{{name: id, in: path, required: {required}, schema: {{type: string}}}}]\n    {method}:\n      operationId: {id}\n      responses: {{'200': {{description: ok}}}}\n"
            )
        };
        let m = merge(&[
            spec("a.yaml", &item("get", "A", true)),
            spec("b.yaml", &item("put", "B", true)),
        ])
        .unwrap();
        let keys: Vec<_> = m.doc["paths"]["/x/{id}"]
            .as_object()
            .unwrap()
            .keys()
            .cloned()
            .collect();
        assert_eq!(keys, ["parameters", "get", "put"]);
        let err = merge(&[
            spec("a.yaml", &item("get", "A", true)),
            spec("b.yaml", &item("put", "B", false)),
        ])
        .unwrap_err();
        assert!(
            err.0[0].contains("path-level `parameters` of /x/{id}")
                && err.0[0].contains("/paths/~1x~1{id}/parameters/0/required"),
            "{err}"
        );
    }

    #[test]
    fn info_title_and_version_differences_warn() {
        let a = spec("a.yaml", &op("/a", "A", "  schemas: {}\n"));
        let b = spec(
            "b.yaml",
            &op("/b", "B", "  schemas: {}\n").replace("version: '1'", "version: '2'"),
        );
        let m = merge(&[a, b]).unwrap();
        assert_eq!(m.doc["info"]["version"], "1");
        assert!(
            m.warnings.iter().any(|w| w.contains("info.version")),
            "{:?}",
            m.warnings
        );
    }
}
