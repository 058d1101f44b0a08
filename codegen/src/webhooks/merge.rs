//! Merging the `x-webhooks` sections of several spec files: a union by event name, where an event
//! defined by two files is a conflict (as an operation defined by two files is).

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use super::WEBHOOKS;

/// The `x-webhooks` sections being merged, and which file defined each event.
#[derive(Debug, Default)]
pub struct WebhookMerge {
    events: Map<String, Value>,
    origin: BTreeMap<String, String>,
}

impl WebhookMerge {
    /// Adds the events of `doc` (read from `file`); returns a message for each event already defined.
    pub fn add(&mut self, file: &str, doc: &Value) -> Vec<String> {
        let mut problems = Vec::new();
        let Some(section) = doc.get(WEBHOOKS) else {
            return problems;
        };
        let Some(section) = section.as_object() else {
            return vec![format!("{file}: {WEBHOOKS} is not a mapping")];
        };
        for (name, item) in section {
            if let Some(first) = self.origin.get(name) {
                problems.push(format!(
                    "webhook event {name} is defined twice: in {first} and in {file}.\nKeep one definition per event."
                ));
                continue;
            }
            self.origin.insert(name.clone(), file.to_string());
            self.events.insert(name.clone(), item.clone());
        }
        problems
    }

    /// Puts the merged section into `out` (the merged document's top level), when there is one.
    pub fn finish(self, out: &mut Map<String, Value>) {
        if !self.events.is_empty() {
            out.insert(WEBHOOKS.into(), Value::Object(self.events));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn events_are_a_union_and_a_second_definition_is_a_conflict() {
        let mut merge = WebhookMerge::default();
        assert!(
            merge
                .add("a.yaml", &json!({WEBHOOKS: {"A": {}}}))
                .is_empty()
        );
        assert!(
            merge
                .add("b.yaml", &json!({WEBHOOKS: {"B": {}}}))
                .is_empty()
        );
        assert!(merge.add("c.yaml", &json!({"paths": {}})).is_empty());
        let twice = merge.add("d.yaml", &json!({WEBHOOKS: {"A": {}}}));
        assert!(twice[0].contains("in a.yaml and in d.yaml"), "{twice:?}");
        let mut out = Map::new();
        merge.finish(&mut out);
        let names: Vec<&String> = out[WEBHOOKS].as_object().unwrap().keys().collect();
        assert_eq!(names, ["A", "B"]);
    }
}
