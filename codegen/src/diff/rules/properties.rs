//! The properties of a schema, through `allOf` and its references.

use std::collections::BTreeSet;

use serde_json::Value;

use crate::source::{required_names, resolve};

/// The properties of `schema` and its `allOf` members (a later member's property of the same name
/// wins), and the names any of them requires. Each referenced member is taken once, so neither an
/// `allOf` cycle nor a diamond of them makes the walk loop or grow.
pub(super) fn properties<'a>(
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
pub(super) fn named<'a>(props: &[(&'a str, &'a Value)], name: &str) -> Option<&'a Value> {
    props.iter().find(|(n, _)| *n == name).map(|(_, v)| *v)
}
