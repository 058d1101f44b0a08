//! The comparisons behind each rule of [`RULES`](super::RULES).
//!
//! Schemas reached through `$ref` are compared once per pair of references (old target, new
//! target, request or response side), whatever number of paths lead to them: a change inside a
//! shared component is one finding, carrying every operation that reaches it. The walk is a work
//! list, not a recursion through references, so its time is linear in the documents (a diamond of
//! references, each schema naming the next twice, costs what a chain does) and a reference cycle
//! ends where it closes.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde_json::Value;

use cashfree_openapi::keywords::{Kind, keywords_where};

use super::{Finding, rule};
use crate::source::{error_examples, escape_pointer, operations_of, required_names, resolve};

/// Most levels of inline (not `$ref`) schema nesting a comparison walks from one operation or one
/// referenced schema; references start a new count, as each pair of them is compared on its own.
const MAX_DEPTH: usize = 24;

/// Which rules a schema is compared under.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Side {
    Request,
    Response,
}

/// What the walk is comparing when it finds something: an operation (by index in
/// [`Context::operations`]) or a pair of referenced schemas (by index in [`Context::pairs`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Origin {
    Operation(usize),
    Pair(usize),
}

/// Two referenced schemas compared once: the `$ref` nodes of each side and the pointer findings
/// inside them are reported at (the new target's; the old one's when the new does not resolve).
struct Pair<'a> {
    side: Side,
    old: &'a Value,
    new: &'a Value,
    here: String,
}

struct Context<'a> {
    old_doc: &'a Value,
    new_doc: &'a Value,
    /// `METHOD /path (operationId)` of every operation compared, by index.
    operations: Vec<String>,
    origin: Origin,
    findings: Vec<(Origin, Finding)>,
    pairs: Vec<Pair<'a>>,
    pair_index: HashMap<(Side, &'a str, &'a str), usize>,
    /// (from, to): comparing `from` reached the pair `to`.
    edges: BTreeSet<(Origin, usize)>,
}

impl<'a> Context<'a> {
    fn push(
        &mut self,
        id: &'static str,
        pointer: String,
        old: Option<&Value>,
        new: Option<&Value>,
    ) {
        let (level, impact) = rule(id);
        self.findings.push((
            self.origin,
            Finding {
                rule: id,
                level,
                impact,
                operations: Vec::new(),
                pointer,
                old: old.cloned(),
                new: new.cloned(),
            },
        ));
    }

    /// When `old` and `new` are both `$ref`s, records that the current origin reaches their pair
    /// (queued for comparison the first time it is seen) and returns `true`: the caller stops there.
    fn follow(&mut self, side: Side, old: &'a Value, new: &'a Value) -> bool {
        let (Some(old_ref), Some(new_ref)) = (
            old.get("$ref").and_then(Value::as_str),
            new.get("$ref").and_then(Value::as_str),
        ) else {
            return false;
        };
        let key = (side, old_ref, new_ref);
        let index = match self.pair_index.get(&key) {
            Some(&index) => index,
            None => {
                let target = |doc: &Value, r: &str| {
                    r.strip_prefix('#')
                        .filter(|p| doc.pointer(p).is_some())
                        .map(str::to_string)
                };
                let here = target(self.new_doc, new_ref)
                    .or_else(|| target(self.old_doc, old_ref))
                    .unwrap_or_else(|| new_ref.to_string());
                self.pairs.push(Pair {
                    side,
                    old,
                    new,
                    here,
                });
                self.pair_index.insert(key, self.pairs.len() - 1);
                self.pairs.len() - 1
            }
        };
        self.edges.insert((self.origin, index));
        true
    }

    /// Compares every queued pair (the queue grows as pairs reach others), then gives each
    /// finding the operations that reach where it was found.
    fn finish(mut self) -> Vec<Finding> {
        let mut next = 0;
        while next < self.pairs.len() {
            let (side, old, new, here) = {
                let p = &self.pairs[next];
                (p.side, p.old, p.new, p.here.clone())
            };
            self.origin = Origin::Pair(next);
            let (old_s, new_s) = (resolve(self.old_doc, old), resolve(self.new_doc, new));
            doc_keywords(&mut self, &here, old_s, new_s);
            match side {
                Side::Request => request_schema(&mut self, &here, old_s, new_s, 0),
                Side::Response => response_schema(&mut self, &here, old_s, new_s, 0),
            }
            next += 1;
        }
        // Which operations reach each pair: one walk over the edges per operation.
        let mut out_of: BTreeMap<Origin, Vec<usize>> = BTreeMap::new();
        for (from, to) in &self.edges {
            out_of.entry(*from).or_default().push(*to);
        }
        let mut reached_by: Vec<BTreeSet<usize>> = vec![BTreeSet::new(); self.pairs.len()];
        for op in 0..self.operations.len() {
            let mut stack: Vec<usize> = out_of
                .get(&Origin::Operation(op))
                .cloned()
                .unwrap_or_default();
            while let Some(pair) = stack.pop() {
                if reached_by[pair].insert(op) {
                    stack.extend(out_of.get(&Origin::Pair(pair)).into_iter().flatten());
                }
            }
        }
        let operations = self.operations;
        self.findings
            .into_iter()
            .map(|(origin, mut finding)| {
                finding.operations = match origin {
                    Origin::Operation(op) => operations.get(op).cloned().into_iter().collect(),
                    Origin::Pair(pair) => reached_by[pair]
                        .iter()
                        .map(|op| operations[*op].clone())
                        .collect(),
                };
                finding
            })
            .collect()
    }

    /// The origin for a finding about the operation `shown`.
    fn operation(&mut self, shown: String) -> Origin {
        let index = match self.operations.iter().position(|o| *o == shown) {
            Some(index) => index,
            None => {
                self.operations.push(shown);
                self.operations.len() - 1
            }
        };
        self.origin = Origin::Operation(index);
        self.origin
    }
}

/// Every operation of `doc`: (method, path) → operation object.
fn operations(doc: &Value) -> Vec<(String, String, &Value)> {
    operations_of(doc)
        .map(|(path, method, op)| (method.clone(), path.clone(), op))
        .collect()
}

fn shown(method: &str, path: &str, op: &Value) -> String {
    match op.get("operationId").and_then(Value::as_str) {
        Some(id) => format!("{} {path} ({id})", method.to_uppercase()),
        None => format!("{} {path}", method.to_uppercase()),
    }
}

pub(super) fn compare(old: &Value, new: &Value) -> Vec<Finding> {
    let mut cx = Context {
        old_doc: old,
        new_doc: new,
        operations: Vec::new(),
        origin: Origin::Operation(0),
        findings: Vec::new(),
        pairs: Vec::new(),
        pair_index: HashMap::new(),
        edges: BTreeSet::new(),
    };
    let old_ops = operations(old);
    let new_ops = operations(new);
    for (method, path, new_op) in &new_ops {
        let at = format!("/paths/{}/{method}", escape_pointer(path));
        cx.operation(shown(method, path, new_op));
        match old_ops.iter().find(|(m, p, _)| m == method && p == path) {
            None => cx.push("api-operation-added", at, None, new_op.get("operationId")),
            Some((_, _, old_op)) => operation(&mut cx, &at, path, old_op, new_op),
        }
    }
    for (method, path, old_op) in &old_ops {
        if !new_ops.iter().any(|(m, p, _)| m == method && p == path) {
            cx.operation(shown(method, path, old_op));
            let at = format!("/paths/{}/{method}", escape_pointer(path));
            cx.push("api-operation-removed", at, old_op.get("operationId"), None);
        }
    }
    // `ErrorCode` has a variant per code any error example documents, in any operation.
    let (old_codes, new_codes) = (error_codes(old), error_codes(new));
    for (codes, others, rule) in [
        (&old_codes, &new_codes, "error-code-removed"),
        (&new_codes, &old_codes, "error-code-added"),
    ] {
        for (code, (method, path, op, pointer)) in codes {
            if !others.contains_key(code) {
                cx.operation(shown(method, path, op));
                let code = Value::String(code.clone());
                let (old, new) = match rule {
                    "error-code-removed" => (Some(&code), None),
                    _ => (None, Some(&code)),
                };
                cx.push(rule, pointer.clone(), old, new);
            }
        }
    }
    cx.finish()
}

/// Every error code documented in an example of a non-2xx response, with where it is first
/// documented: (method, path, operation, pointer of the response).
fn error_codes(
    doc: &Value,
) -> std::collections::BTreeMap<String, (String, String, &Value, String)> {
    let mut codes = std::collections::BTreeMap::new();
    for (path, method, op) in operations_of(doc) {
        for (status, example) in error_examples(doc, op) {
            if let Some(code) = example.get("code").and_then(Value::as_str) {
                codes.entry(code.to_string()).or_insert_with(|| {
                    let at = format!(
                        "/paths/{}/{method}/responses/{}",
                        escape_pointer(path),
                        escape_pointer(status)
                    );
                    (method.clone(), path.clone(), op, at)
                });
            }
        }
    }
    codes
}

fn operation<'a>(cx: &mut Context<'a>, at: &str, path: &str, old: &'a Value, new: &'a Value) {
    if old.get("operationId") != new.get("operationId") {
        cx.push(
            "api-operation-id-renamed",
            format!("{at}/operationId"),
            old.get("operationId"),
            new.get("operationId"),
        );
    }
    let security = |op: &Value| -> BTreeSet<Vec<String>> {
        op.get("security")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_object)
            .map(|alt| alt.keys().cloned().collect())
            .collect()
    };
    if security(old) != security(new) {
        cx.push(
            "api-security-changed",
            format!("{at}/security"),
            old.get("security"),
            new.get("security"),
        );
    }
    for key in ["summary", "description"] {
        if old.get(key) != new.get(key) {
            cx.push(
                "documentation-changed",
                format!("{at}/{key}"),
                old.get(key),
                new.get(key),
            );
        }
    }
    parameters(cx, at, path, old, new);
    request_body(cx, at, old, new);
    responses(cx, at, old, new);
}

/// Parameters by (in, name), the path item's included.
fn parameter_map<'a>(doc: &'a Value, path: &str, op: &'a Value) -> Vec<(String, &'a Value)> {
    let item = doc.pointer(&format!("/paths/{}", escape_pointer(path)));
    let mut out: Vec<(String, &Value)> = Vec::new();
    let lists = [op.get("parameters"), item.and_then(|i| i.get("parameters"))];
    for list in lists.into_iter().flatten().filter_map(Value::as_array) {
        for p in list {
            let p = resolve(doc, p);
            let key = format!(
                "{}:{}",
                p.get("in").and_then(Value::as_str).unwrap_or(""),
                p.get("name")
                    .and_then(Value::as_str)
                    .unwrap_or("")
                    .to_ascii_lowercase()
            );
            if !out.iter().any(|(k, _)| *k == key) {
                out.push((key, p));
            }
        }
    }
    out
}

fn required(v: &Value) -> bool {
    v.get("required").and_then(Value::as_bool) == Some(true)
}

fn parameters<'a>(cx: &mut Context<'a>, at: &str, path: &str, old: &'a Value, new: &'a Value) {
    let old_params = parameter_map(cx.old_doc, path, old);
    let new_params = parameter_map(cx.new_doc, path, new);
    for (key, new_p) in &new_params {
        let name = new_p.get("name").and_then(Value::as_str).unwrap_or("");
        let here = format!("{at}/parameters/{}", escape_pointer(name));
        match old_params.iter().find(|(k, _)| k == key) {
            None if required(new_p) => {
                cx.push("request-parameter-added-required", here, None, Some(new_p))
            }
            None => cx.push("request-parameter-added-optional", here, None, Some(new_p)),
            Some((_, old_p)) => {
                if !required(old_p) && required(new_p) {
                    cx.push(
                        "request-parameter-became-required",
                        format!("{here}/required"),
                        old_p.get("required"),
                        new_p.get("required"),
                    );
                } else if required(old_p) && !required(new_p) {
                    cx.push(
                        "request-parameter-became-optional",
                        format!("{here}/required"),
                        old_p.get("required"),
                        new_p.get("required"),
                    );
                }
                if old_p.get("description") != new_p.get("description")
                    || old_p.get("example") != new_p.get("example")
                {
                    cx.push("documentation-changed", here.clone(), None, None);
                }
                let (old_s, new_s) = (
                    old_p
                        .get("schema")
                        .map(|s| resolve(cx.old_doc, s))
                        .unwrap_or(&Value::Null),
                    new_p
                        .get("schema")
                        .map(|s| resolve(cx.new_doc, s))
                        .unwrap_or(&Value::Null),
                );
                if old_s.get("default") != new_s.get("default") {
                    cx.push(
                        "request-parameter-default-changed",
                        format!("{here}/schema/default"),
                        old_s.get("default"),
                        new_s.get("default"),
                    );
                }
                constraints(
                    cx,
                    "request-parameter",
                    &format!("{here}/schema"),
                    old_s,
                    new_s,
                );
            }
        }
    }
    for (key, old_p) in &old_params {
        if !new_params.iter().any(|(k, _)| k == key) {
            let name = old_p.get("name").and_then(Value::as_str).unwrap_or("");
            cx.push(
                "request-parameter-removed",
                format!("{at}/parameters/{}", escape_pointer(name)),
                Some(old_p),
                None,
            );
        }
    }
}

/// Type, enum, maxLength and pattern changes of a request-side schema (`prefix` names the rule family).
fn constraints(cx: &mut Context, prefix: &str, here: &str, old: &Value, new: &Value) {
    let id = |suffix: &str| -> &'static str {
        match (prefix, suffix) {
            ("request-parameter", "type") => "request-parameter-type-changed",
            ("request-parameter", "enum") => "request-parameter-enum-value-removed",
            ("request-parameter", "max") => "request-parameter-max-length-decreased",
            ("request-parameter", "pattern-added") => "request-parameter-pattern-added",
            ("request-parameter", "pattern") => "request-parameter-pattern-changed",
            (_, "type") => "request-property-type-changed",
            (_, "enum") => "request-property-enum-value-removed",
            (_, "max") => "request-property-max-length-decreased",
            (_, "pattern-added") => "request-property-pattern-added",
            _ => "request-property-pattern-changed",
        }
    };
    if old.get("type") != new.get("type") && old.get("type").is_some() {
        cx.push(
            id("type"),
            format!("{here}/type"),
            old.get("type"),
            new.get("type"),
        );
    }
    if let (Some(old_enum), Some(new_enum)) = (
        old.get("enum").and_then(Value::as_array),
        new.get("enum").and_then(Value::as_array),
    ) {
        for value in old_enum.iter().filter(|v| !new_enum.contains(v)) {
            cx.push(id("enum"), format!("{here}/enum"), Some(value), None);
        }
    }
    let max = |s: &Value| s.get("maxLength").and_then(Value::as_u64);
    if let Some(new_max) = max(new)
        && max(old).is_none_or(|old_max| new_max < old_max)
    {
        cx.push(
            id("max"),
            format!("{here}/maxLength"),
            old.get("maxLength"),
            new.get("maxLength"),
        );
    }
    match (old.get("pattern"), new.get("pattern")) {
        (None, Some(p)) => cx.push(
            id("pattern-added"),
            format!("{here}/pattern"),
            None,
            Some(p),
        ),
        (Some(a), Some(b)) if a != b => {
            cx.push(id("pattern"), format!("{here}/pattern"), Some(a), Some(b))
        }
        _ => {}
    }
}

fn request_body<'a>(cx: &mut Context<'a>, at: &str, old: &'a Value, new: &'a Value) {
    let here = format!("{at}/requestBody");
    let (old_b, new_b) = (
        old.get("requestBody").map(|b| resolve(cx.old_doc, b)),
        new.get("requestBody").map(|b| resolve(cx.new_doc, b)),
    );
    match (old_b, new_b) {
        (None, Some(b)) if required(b) => cx.push("request-body-added-required", here, None, None),
        (None, Some(_)) => cx.push("request-body-added-optional", here, None, None),
        (Some(_), None) => cx.push("request-body-removed", here, None, None),
        (Some(old_b), Some(new_b)) => {
            let media = |b: &'a Value| b.get("content").and_then(Value::as_object);
            let (old_m, new_m) = (media(old_b), media(new_b));
            let in_new = |name: &str| new_m.and_then(|m| m.get(name));
            for name in old_m.into_iter().flatten().map(|(k, _)| k) {
                if in_new(name).is_some() {
                    continue;
                }
                cx.push(
                    "request-body-media-type-removed",
                    format!("{here}/content/{}", escape_pointer(name)),
                    Some(&Value::String(name.clone())),
                    None,
                );
            }
            if old_b.get("description") != new_b.get("description") {
                cx.push(
                    "documentation-changed",
                    format!("{here}/description"),
                    old_b.get("description"),
                    new_b.get("description"),
                );
            }
            for (name, old_media) in old_m.into_iter().flatten() {
                let Some(new_media) = in_new(name) else {
                    continue;
                };
                let at = format!("{here}/content/{}/schema", escape_pointer(name));
                examples(
                    cx,
                    &format!("{here}/content/{}", escape_pointer(name)),
                    old_media,
                    new_media,
                );
                if let (Some(o), Some(n)) = (old_media.get("schema"), new_media.get("schema")) {
                    request_schema(cx, &at, o, n, 0);
                }
            }
        }
        _ => {}
    }
}

/// `example` is a value (a `$ref` in it is text); each entry of `examples` is an Example Object or a
/// reference to one, compared by what it resolves to.
fn examples(cx: &mut Context, here: &str, old: &Value, new: &Value) {
    if old.get("example") != new.get("example") {
        cx.push(
            "documentation-changed",
            format!("{here}/example"),
            None,
            None,
        );
    }
    let entries = |doc: &'_ Value, media: &Value| -> Option<Value> {
        let examples = media.get("examples")?;
        Some(match examples.as_object() {
            Some(map) => Value::Object(
                map.iter()
                    .map(|(k, e)| (k.clone(), resolve(doc, e).clone()))
                    .collect(),
            ),
            None => examples.clone(),
        })
    };
    if entries(cx.old_doc, old) != entries(cx.new_doc, new) {
        cx.push(
            "documentation-changed",
            format!("{here}/examples"),
            None,
            None,
        );
    }
}

/// The properties of `schema` and its `allOf` members (a later member's property of the same name
/// wins), and the names any of them requires. Each referenced member is taken once, so neither an
/// `allOf` cycle nor a diamond of them makes the walk loop or grow.
fn properties<'a>(
    doc: &'a Value,
    schema: &'a Value,
) -> (Vec<(&'a str, &'a Value)>, BTreeSet<&'a str>) {
    let mut props: Vec<(&'a str, &'a Value)> = Vec::new();
    let mut required = BTreeSet::new();
    let mut seen: BTreeSet<&'a str> = BTreeSet::new();
    let mut stack = vec![schema];
    let mut order = Vec::new();
    while let Some(node) = stack.pop() {
        if let Some(r) = node.get("$ref").and_then(Value::as_str)
            && !seen.insert(r)
        {
            continue;
        }
        let node = resolve(doc, node);
        order.push(node);
        let members = node.get("allOf").and_then(Value::as_array);
        // Reversed onto the stack, so members are taken in document order.
        stack.extend(members.into_iter().flatten().rev());
    }
    for node in order {
        for (name, prop) in node
            .get("properties")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
        {
            match props.iter_mut().find(|(n, _)| *n == name.as_str()) {
                Some(slot) => slot.1 = prop,
                None => props.push((name.as_str(), prop)),
            }
        }
        required.extend(required_names(node));
    }
    (props, required)
}

/// The property of `props` called `name`.
fn named<'a>(props: &[(&'a str, &'a Value)], name: &str) -> Option<&'a Value> {
    props.iter().find(|(n, _)| *n == name).map(|(_, v)| *v)
}

/// Documentation of two properties, unless both are references: what those point to is compared
/// (once) as their pair.
fn property_docs<'a>(cx: &mut Context<'a>, at: &str, old: &'a Value, new: &'a Value) {
    if old.get("$ref").is_none() || new.get("$ref").is_none() {
        doc_keywords(cx, at, resolve(cx.old_doc, old), resolve(cx.new_doc, new));
    }
}

fn request_schema<'a>(
    cx: &mut Context<'a>,
    here: &str,
    old: &'a Value,
    new: &'a Value,
    depth: usize,
) {
    if depth > MAX_DEPTH || cx.follow(Side::Request, old, new) {
        return;
    }
    let (old_s, new_s) = (resolve(cx.old_doc, old), resolve(cx.new_doc, new));
    title(cx, here, old, new);
    constraints(cx, "request-property", here, old_s, new_s);
    let (old_p, old_r) = properties(cx.old_doc, old_s);
    let (new_p, new_r) = properties(cx.new_doc, new_s);
    for &(name, new_prop) in &new_p {
        let at = format!("{here}/properties/{}", escape_pointer(name));
        let now_required = new_r.contains(name);
        match named(&old_p, name) {
            None if now_required => {
                cx.push("request-property-added-required", at, None, Some(new_prop))
            }
            None => cx.push("request-property-added-optional", at, None, None),
            Some(old_prop) => {
                let name_value = Value::String(name.to_string());
                if now_required && !old_r.contains(name) {
                    cx.push(
                        "request-property-became-required",
                        at.clone(),
                        None,
                        Some(&name_value),
                    );
                } else if !now_required && old_r.contains(name) {
                    cx.push(
                        "request-property-became-optional",
                        at.clone(),
                        Some(&name_value),
                        None,
                    );
                }
                property_docs(cx, &at, old_prop, new_prop);
                request_schema(cx, &at, old_prop, new_prop, depth + 1);
            }
        }
    }
    for &(name, _) in old_p.iter().filter(|(n, _)| named(&new_p, n).is_none()) {
        cx.push(
            "request-property-removed",
            format!("{here}/properties/{}", escape_pointer(name)),
            Some(&Value::String(name.to_string())),
            None,
        );
    }
    if let (Some(o), Some(n)) = (old_s.get("items"), new_s.get("items")) {
        request_schema(cx, &format!("{here}/items"), o, n, depth + 1);
    }
}

/// typify names an inline schema's type after its `title` when it has one (a component's type is
/// named after the component): for an inline schema that becomes a named type, a title edit
/// renames a Rust type.
fn title(cx: &mut Context, here: &str, old: &Value, new: &Value) {
    if names_a_type(old) && names_a_type(new) && old.get("title") != new.get("title") {
        cx.push(
            "schema-title-changed",
            format!("{here}/title"),
            old.get("title"),
            new.get("title"),
        );
    }
}

/// An inline schema that typify turns into a type of its own (named after its `title`, if any).
fn names_a_type(s: &Value) -> bool {
    s.get("$ref").is_none()
        && ["properties", "enum", "oneOf", "anyOf", "allOf"]
            .iter()
            .any(|k| s.get(k).is_some())
}

fn doc_keywords(cx: &mut Context, at: &str, old: &Value, new: &Value) {
    // The title of a schema that names a type is reported by `title`, as the rename it is.
    let title_is_a_name = names_a_type(old) && names_a_type(new);
    if keywords_where(Kind::documents_only)
        .filter(|k| !(title_is_a_name && *k == "title"))
        .any(|k| old.get(k) != new.get(k))
    {
        cx.push("documentation-changed", at.to_string(), None, None);
    }
}

fn responses<'a>(cx: &mut Context<'a>, at: &str, old: &'a Value, new: &'a Value) {
    let map = |op: &'a Value| op.get("responses").and_then(Value::as_object);
    let (old_r, new_r) = (map(old), map(new));
    let in_new = |status: &str| new_r.and_then(|m| m.get(status));
    for (status, old_resp) in old_r.into_iter().flatten() {
        let here = format!("{at}/responses/{}", escape_pointer(status));
        let success = status.starts_with('2');
        let Some(new_resp) = in_new(status) else {
            if success {
                cx.push(
                    "response-success-status-removed",
                    here,
                    Some(&Value::String(status.clone())),
                    None,
                );
            }
            continue;
        };
        let (old_resp, new_resp) = (resolve(cx.old_doc, old_resp), resolve(cx.new_doc, new_resp));
        if old_resp.get("description") != new_resp.get("description") {
            cx.push(
                "documentation-changed",
                format!("{here}/description"),
                old_resp.get("description"),
                new_resp.get("description"),
            );
        }
        for (media, old_media) in old_resp
            .get("content")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
        {
            let Some(new_media) = new_resp.pointer(&format!("/content/{}", escape_pointer(media)))
            else {
                continue;
            };
            let at = format!("{here}/content/{}", escape_pointer(media));
            examples(cx, &at, old_media, new_media);
            if success
                && let (Some(o), Some(n)) = (old_media.get("schema"), new_media.get("schema"))
            {
                response_schema(cx, &format!("{at}/schema"), o, n, 0);
            }
        }
    }
    for status in new_r
        .into_iter()
        .flatten()
        .map(|(k, _)| k)
        .filter(|s| s.starts_with('2') && !old_r.is_some_and(|m| m.contains_key(*s)))
    {
        cx.push(
            "response-success-status-added",
            format!("{at}/responses/{}", escape_pointer(status)),
            None,
            Some(&Value::String(status.clone())),
        );
    }
}

fn response_schema<'a>(
    cx: &mut Context<'a>,
    here: &str,
    old: &'a Value,
    new: &'a Value,
    depth: usize,
) {
    if depth > MAX_DEPTH || cx.follow(Side::Response, old, new) {
        return;
    }
    let (old_s, new_s) = (resolve(cx.old_doc, old), resolve(cx.new_doc, new));
    title(cx, here, old, new);
    if old_s.get("type").is_some() && old_s.get("type") != new_s.get("type") {
        cx.push(
            "response-property-type-changed",
            format!("{here}/type"),
            old_s.get("type"),
            new_s.get("type"),
        );
    }
    if let (Some(old_enum), Some(new_enum)) = (
        old_s.get("enum").and_then(Value::as_array),
        new_s.get("enum").and_then(Value::as_array),
    ) {
        for value in new_enum.iter().filter(|v| !old_enum.contains(v)) {
            cx.push(
                "response-property-enum-value-added",
                format!("{here}/enum"),
                None,
                Some(value),
            );
        }
    }
    let (old_p, old_r) = properties(cx.old_doc, old_s);
    let (new_p, new_r) = properties(cx.new_doc, new_s);
    for &(name, old_prop) in &old_p {
        let at = format!("{here}/properties/{}", escape_pointer(name));
        let Some(new_prop) = named(&new_p, name) else {
            cx.push(
                "response-property-removed",
                at,
                Some(&Value::String(name.to_string())),
                None,
            );
            continue;
        };
        match (old_r.contains(name), new_r.contains(name)) {
            (true, false) => cx.push("response-property-became-optional", at.clone(), None, None),
            (false, true) => cx.push("response-property-became-required", at.clone(), None, None),
            _ => {}
        }
        property_docs(cx, &at, old_prop, new_prop);
        response_schema(cx, &at, old_prop, new_prop, depth + 1);
    }
    for &(name, _) in new_p.iter().filter(|(n, _)| named(&old_p, n).is_none()) {
        cx.push(
            "response-property-added",
            format!("{here}/properties/{}", escape_pointer(name)),
            None,
            None,
        );
    }
    if let (Some(o), Some(n)) = (old_s.get("items"), new_s.get("items")) {
        response_schema(cx, &format!("{here}/items"), o, n, depth + 1);
    }
}
