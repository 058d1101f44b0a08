//! Rule `response-type-widened`: an answer's example that contradicts its schema widens the generated
//! type ([`reconcile`](crate::reconcile)), so a spec update that adds (or removes) such a
//! contradiction changes a Rust type even when only an example changed.

use std::collections::BTreeSet;

use serde_json::Value;

use super::{Finding, rule};
use crate::reconcile::{Widening, reconciliations};

/// A widening of `doc`'s generated types: (schema pointer, what) → one example that needs it.
fn widenings(doc: &Value) -> Vec<(String, Widening, String, String)> {
    let mut seen = BTreeSet::new();
    reconciliations(doc)
        .into_iter()
        .filter(|r| !matches!(r.widening, Widening::None(_)))
        .filter(|r| seen.insert((r.schema.clone(), r.widening.clone())))
        .map(|r| (r.schema, r.widening, r.operation, r.example))
        .collect()
}

fn shown(widening: &Widening) -> Value {
    Value::String(match widening {
        Widening::Optional(p) => format!("property {p:?} optional"),
        Widening::Nullable => "nullable".into(),
        Widening::Text => "string".into(),
        Widening::EnumValue(v) => format!("enum value {v}"),
        Widening::None(why) => why.clone(),
    })
}

/// `METHOD /path (operationId)` of `shown` (`METHOD /path`) in `doc`, and which example needs it.
fn operation(doc: &Value, shown: &str, example: &str) -> String {
    let id = shown.split_once(' ').and_then(|(method, path)| {
        doc.get("paths")?
            .get(path)?
            .get(method.to_ascii_lowercase())?
            .get("operationId")?
            .as_str()
    });
    match id {
        Some(id) => format!("{shown} ({id}): {example}"),
        None => format!("{shown}: {example}"),
    }
}

/// Widenings `new` needs that `old` did not (the type widens), and the reverse (it narrows back).
pub(super) fn findings(old: &Value, new: &Value) -> Vec<Finding> {
    let (old_list, new_list) = (widenings(old), widenings(new));
    let key = |w: &(String, Widening, String, String)| (w.0.clone(), w.1.clone());
    let old_keys: BTreeSet<_> = old_list.iter().map(key).collect();
    let new_keys: BTreeSet<_> = new_list.iter().map(key).collect();
    let (level, impact) = rule("response-type-widened");
    let mut out = Vec::new();
    for (list, others, added) in [(&new_list, &old_keys, true), (&old_list, &new_keys, false)] {
        for w in list.iter().filter(|w| !others.contains(&key(w))) {
            out.push(Finding {
                rule: "response-type-widened",
                level,
                impact,
                operations: vec![operation(if added { new } else { old }, &w.2, &w.3)],
                pointer: w.0.clone(),
                old: (!added).then(|| shown(&w.1)),
                new: added.then(|| shown(&w.1)),
            });
        }
    }
    out
}
