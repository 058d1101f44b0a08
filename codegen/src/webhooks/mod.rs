//! Cashfree's webhook events as spec data: the `x-webhooks` section of the documents in
//! `spec/webhooks/`, read, merged, selected by product, generated and diffed like operations.
//!
//! OpenAPI 3.0 has no `webhooks` (3.1 has), so the section is an extension with 3.1's shape: each
//! key is an `event_type` Cashfree sends, each value a path item whose `post` describes the request
//! Cashfree makes. The parts the build reads:
//!
//! ```yaml
//! x-webhooks:
//!   BANK_ACCOUNT_VERIFICATION_SUCCESS:       # the event_type, [A-Z0-9_]+
//!     post:
//!       tags: [BAV V2]                       # the product (Cargo feature `bav-v2`)
//!       externalDocs: {url: https://...}     # the docs page it comes from (provenance)
//!       x-aliases: [BANK_ACCOUNT_OK]         # other spellings Cashfree sends (optional)
//!       requestBody:
//!         content:
//!           application/json:
//!             schema: {$ref: '#/components/schemas/BavV2WebhookEvent'}  # {event_type, ..., data}
//!             example: {...}                 # the page's sample body, verbatim
//!       x-sample-source: https://...          # where the sample is, when not on externalDocs' page
//!       x-no-sample: why                      # instead of `example`: why no sample is recorded
//! ```
//!
//! Each event has either its verbatim `example` or an `x-no-sample` reason, never both, never
//! neither: a sample is never made up, and a missing one says why.
//!
//! The envelope's `data` property must be a `$ref` to a component schema: that component's generated
//! type is the event's typed data ([`generate`]).

pub mod generate;
pub mod merge;
pub mod operations;

use std::collections::BTreeSet;

use serde_json::Value;

use crate::products::operation_features;
use crate::source::resolve;

pub use crate::source::WEBHOOKS;
/// The extension listing other spellings of an event's `event_type`.
pub const ALIASES: &str = "x-aliases";
/// The extension saying why an event has no documented sample.
pub const NO_SAMPLE: &str = "x-no-sample";

/// One webhook event of the merged document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebhookEvent {
    /// Its `event_type`.
    pub name: String,
    /// Other spellings of it that decode as the same event.
    pub aliases: Vec<String>,
    /// The product features (from its tags) that enable it.
    pub features: BTreeSet<String>,
    /// The component schema of its `data` (its Rust type's name).
    pub data: String,
    /// The docs page it comes from.
    pub source: Option<String>,
}

/// Every webhook event of `doc`, in the section's order.
///
/// # Errors
/// One message per event the build cannot generate: a name that is not `[A-Z][A-Z0-9_]*`, no
/// `post`, no JSON schema, a `data` that is not a `$ref` to a component named as a Rust type, a
/// name (or alias) that another event has, or neither (or both) of a sample and an `x-no-sample`
/// reason.
pub fn webhook_events(doc: &Value) -> Result<Vec<WebhookEvent>, Vec<String>> {
    let mut events = Vec::new();
    let mut problems = Vec::new();
    let mut seen = BTreeSet::new();
    for (name, item) in doc
        .get(WEBHOOKS)
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
    {
        match event(doc, name, item) {
            Ok(event) => {
                for n in std::iter::once(&event.name).chain(&event.aliases) {
                    if !seen.insert(n.clone()) {
                        problems.push(format!(
                            "webhook event `{n}` is named twice in {WEBHOOKS} (as an event or an alias)"
                        ));
                    }
                }
                events.push(event);
            }
            Err(e) => problems.push(format!("webhook event `{name}`: {e}")),
        }
    }
    if problems.is_empty() {
        Ok(events)
    } else {
        Err(problems)
    }
}

fn event(doc: &Value, name: &str, item: &Value) -> Result<WebhookEvent, String> {
    check_event_name(name)?;
    let post = item
        .get("post")
        .ok_or("it has no `post` (the request Cashfree makes)")?;
    let aliases: Vec<String> = post
        .get(ALIASES)
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .map(|a| {
            a.as_str()
                .map(str::to_string)
                .ok_or("an alias is not a string")
        })
        .collect::<Result<_, _>>()?;
    for alias in &aliases {
        check_event_name(alias)?;
    }
    let schema = post
        .pointer("/requestBody/content/application~1json/schema")
        .ok_or("it has no requestBody/content/application/json/schema")?;
    let sample = post
        .pointer("/requestBody/content/application~1json/example")
        .is_some();
    let reason = post
        .get(NO_SAMPLE)
        .and_then(Value::as_str)
        .is_some_and(|r| !r.trim().is_empty());
    match (sample, reason) {
        (true, false) | (false, true) => {}
        (true, true) => {
            return Err(format!(
                "it has a sample and an {NO_SAMPLE} reason; keep the one that is true"
            ));
        }
        (false, false) => {
            return Err(format!(
                "it has no sample (application/json `example`, the docs page's body verbatim) and no {NO_SAMPLE} reason saying why"
            ));
        }
    }
    let data = resolve(doc, schema)
        .pointer("/properties/data/$ref")
        .and_then(Value::as_str)
        .ok_or("its schema has no `data` property that is a $ref to a component schema")?;
    let data = data
        .strip_prefix("#/components/schemas/")
        .filter(|n| is_type_name(n))
        .ok_or_else(|| {
            format!("its `data` names {data}, not a component schema whose name is a Rust type name (ASCII letters and digits, starting with a capital)")
        })?
        .to_string();
    // Products gate events as they gate operations: by tag.
    let features = operation_features(post);
    let source = post
        .pointer("/externalDocs/url")
        .and_then(Value::as_str)
        .map(str::to_string);
    Ok(WebhookEvent {
        name: name.to_string(),
        aliases,
        features,
        data,
        source,
    })
}

/// An `event_type` becomes an enum variant, so only `[A-Z][A-Z0-9_]*` is taken (what Cashfree uses).
fn check_event_name(name: &str) -> Result<(), String> {
    let mut chars = name.chars();
    let ok = chars.next().is_some_and(|c| c.is_ascii_uppercase())
        && chars.all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_');
    if ok {
        Ok(())
    } else {
        Err(format!(
            "{name:?} is not an event type of capitals, digits and underscores"
        ))
    }
}

fn is_type_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_uppercase()) && chars.all(|c| c.is_ascii_alphanumeric())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn doc(events: Value) -> Value {
        json!({
            "x-webhooks": events,
            "components": {"schemas": {
                "Env": {"properties": {"data": {"$ref": "#/components/schemas/Data"}}},
                "Data": {"type": "object"}
            }}
        })
    }

    fn post(tags: Value) -> Value {
        json!({"post": {"tags": tags, "externalDocs": {"url": "https://x"}, "x-no-sample": "cut",
            "requestBody": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Env"}}}}}})
    }

    #[test]
    fn an_event_reads_its_product_data_type_and_source() {
        let events = webhook_events(&doc(json!({"A_DONE": post(json!(["BAV V2"]))}))).unwrap();
        assert_eq!(events.len(), 1);
        assert_eq!(events[0].name, "A_DONE");
        assert_eq!(events[0].data, "Data");
        assert_eq!(events[0].features, BTreeSet::from(["bav-v2".to_string()]));
        assert_eq!(events[0].source.as_deref(), Some("https://x"));
    }

    #[test]
    fn names_that_cannot_be_variants_and_clashes_are_refused() {
        let e = webhook_events(&doc(json!({"a b": post(json!([]))}))).unwrap_err();
        assert!(e[0].contains("capitals"), "{e:?}");
        let mut aliased = post(json!([]));
        aliased["post"]["x-aliases"] = json!(["A_DONE"]);
        let e = webhook_events(&doc(json!({"A_DONE": post(json!([])), "B": aliased}))).unwrap_err();
        assert!(e[0].contains("named twice"), "{e:?}");
        let mut inline = doc(json!({"A": post(json!([]))}));
        inline["components"]["schemas"]["Env"]["properties"]["data"] = json!({"type": "object"});
        assert!(webhook_events(&inline).unwrap_err()[0].contains("$ref"));
    }

    #[test]
    fn an_event_has_its_sample_or_says_why_it_has_none() {
        let mut neither = post(json!([]));
        neither["post"].as_object_mut().unwrap().remove(NO_SAMPLE);
        let e = webhook_events(&doc(json!({"A": neither.clone()}))).unwrap_err();
        assert!(
            e[0].contains("no sample") && e[0].contains(NO_SAMPLE),
            "{e:?}"
        );
        let mut sample = neither.clone();
        sample["post"]["requestBody"]["content"]["application/json"]["example"] =
            json!({"event_type": "A", "data": {}});
        assert!(webhook_events(&doc(json!({"A": sample.clone()}))).is_ok());
        sample["post"][NO_SAMPLE] = json!("cut");
        let e = webhook_events(&doc(json!({"A": sample}))).unwrap_err();
        assert!(e[0].contains("keep the one"), "{e:?}");
        neither["post"][NO_SAMPLE] = json!(" ");
        assert!(
            webhook_events(&doc(json!({"A": neither}))).is_err(),
            "an empty reason is none"
        );
    }
}
