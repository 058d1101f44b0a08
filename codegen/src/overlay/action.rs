//! One action of an overlay: reading it (a JSONPath target, its reason, an update or a removal)
//! and applying it to a document (every selected node, or an error when none is selected).

use serde_json::{Map, Value};
use serde_json_path::JsonPath;
use serde_json_path::PathElement;

/// One action of an overlay.
#[derive(Debug, Clone)]
pub struct Action {
    /// The JSONPath text as written.
    pub target: String,
    path: JsonPath,
    /// The reason for the correction.
    pub description: String,
    /// What to do with the selected nodes.
    pub change: Change,
}

/// What an action does to the nodes its target selects.
#[derive(Debug, Clone, PartialEq)]
pub enum Change {
    /// Merge into objects, append to arrays.
    Update(Value),
    /// Remove from the parent object or array.
    Remove,
}

/// The action `raw` (one entry of an overlay's `actions`), checked: a JSONPath `target`, a
/// one-line `description`, and either `update` or `remove: true`.
pub(super) fn parse_action(raw: &Value) -> Result<Action, String> {
    let obj = raw.as_object().ok_or("an action must be a mapping")?;
    let target = obj
        .get("target")
        .and_then(Value::as_str)
        .ok_or("`target` (a JSONPath string) is required")?
        .to_string();
    let path = JsonPath::parse(&target)
        .map_err(|e| format!("`target` {target:?} is not valid JSONPath: {e}"))?;
    let description = match obj
        .get("description")
        .and_then(Value::as_str)
        .map(str::trim)
    {
        Some(d) if !d.is_empty() => d.to_string(),
        _ => {
            return Err(format!(
                "`description` is required: say in one line why target {target:?} needs this correction"
            ));
        }
    };
    let remove = match obj.get("remove") {
        None => false,
        Some(Value::Bool(b)) => *b,
        Some(other) => return Err(format!("`remove` must be true or false, found {other}")),
    };
    let change = match (remove, obj.get("update")) {
        (true, Some(_)) => {
            return Err("has both `update` and `remove: true`; use one per action".into());
        }
        (true, None) => Change::Remove,
        (false, Some(v)) => Change::Update(v.clone()),
        (false, None) => return Err("does nothing: give `update` or `remove: true`".into()),
    };
    Ok(Action {
        target,
        path,
        description,
        change,
    })
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Segment {
    Name(String),
    Index(usize),
}

impl Action {
    fn locations(&self, doc: &Value) -> Vec<Vec<Segment>> {
        self.path
            .query_located(doc)
            .locations()
            .map(|loc| {
                loc.iter()
                    .map(|el| match el {
                        PathElement::Name(n) => Segment::Name((*n).to_string()),
                        PathElement::Index(i) => Segment::Index(*i),
                    })
                    .collect()
            })
            .collect()
    }

    /// Applies this one action to `doc`.
    ///
    /// # Errors
    /// The target selects nothing, or selects a node the change cannot apply to.
    pub fn apply(&self, doc: &mut Value) -> Result<(), String> {
        let mut locations = self.locations(doc);
        if locations.is_empty() {
            return Err("the target selects nothing; the correction is stale or mistyped".into());
        }
        match &self.change {
            Change::Update(update) => {
                for loc in &locations {
                    let node = node_mut(doc, loc).ok_or("a selected node disappeared")?;
                    match (node, update) {
                        (Value::Object(target), Value::Object(patch)) => {
                            merge_object(target, patch)
                        }
                        (Value::Array(items), value) => items.push(value.clone()),
                        (Value::Object(_), other) => {
                            return Err(format!(
                                "the target selects an object, so `update` must be a mapping, found {other}"
                            ));
                        }
                        (other, _) => {
                            return Err(format!(
                                "the target selects {other}, which is neither an object nor an array; target its parent instead"
                            ));
                        }
                    }
                }
            }
            Change::Remove => {
                if locations.iter().any(Vec::is_empty) {
                    return Err("cannot remove the document root".into());
                }
                // Deepest and highest-index first, so earlier removals never shift later ones.
                locations.sort();
                locations.reverse();
                for loc in &locations {
                    let (last, parent) = loc.split_last().expect("non-empty");
                    // A node whose ancestor was removed by this same action is already gone.
                    let Some(parent) = node_mut(doc, parent) else {
                        continue;
                    };
                    match (parent, last) {
                        (Value::Object(map), Segment::Name(key)) => {
                            map.shift_remove(key);
                        }
                        (Value::Array(items), Segment::Index(i)) if *i < items.len() => {
                            items.remove(*i);
                        }
                        _ => {}
                    }
                }
            }
        }
        Ok(())
    }
}

fn node_mut<'a>(doc: &'a mut Value, loc: &[Segment]) -> Option<&'a mut Value> {
    let mut node = doc;
    for seg in loc {
        node = match (node, seg) {
            (Value::Object(map), Segment::Name(k)) => map.get_mut(k)?,
            (Value::Array(items), Segment::Index(i)) => items.get_mut(*i)?,
            _ => return None,
        };
    }
    Some(node)
}

/// Overlay 1.0 merge: properties of `patch` replace those of `target`; objects merge recursively.
fn merge_object(target: &mut Map<String, Value>, patch: &Map<String, Value>) {
    for (key, value) in patch {
        match (target.get_mut(key), value) {
            (Some(Value::Object(t)), Value::Object(p)) => merge_object(t, p),
            (Some(slot), v) => *slot = v.clone(),
            (None, v) => {
                target.insert(key.clone(), v.clone());
            }
        }
    }
}
