//! The generated `Event` enum: one variant per webhook event of the enabled products, holding the
//! generated type of its `data`, and `Other` for every event this build has no type for.
//!
//! Only names reach the code: each event's `event_type` (checked to be `[A-Z][A-Z0-9_]*`) as a match
//! pattern and, in upper camel case, as the variant; the data component's name (checked to be a
//! type progenitor generated). No description or example from a spec becomes code.

use std::collections::BTreeSet;

use heck::ToUpperCamelCase;
use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

use super::WebhookEvent;

/// The source of `webhooks.rs` for `events` (the enabled products'), whose data types must be in
/// the `types` module of `client`.
///
/// # Errors
/// A data type progenitor did not generate, or two events that give the same variant name.
pub fn generate_events(events: &[WebhookEvent], client: &syn::File) -> Result<String, String> {
    let types = generated_types(client);
    let mut variants = Vec::new();
    let mut arms = Vec::new();
    let mut names = Vec::new();
    let mut values = Vec::new();
    let mut table = Vec::new();
    let mut seen = BTreeSet::new();
    for event in events {
        if !types.contains(&event.data) {
            return Err(format!(
                "webhook event {}: its data type {} is not among the generated types",
                event.name, event.data
            ));
        }
        let variant_name = event.name.to_upper_camel_case();
        if variant_name == "Other" || !seen.insert(variant_name.clone()) {
            return Err(format!(
                "webhook event {} would be the variant Event::{variant_name}, which is taken",
                event.name
            ));
        }
        let variant = Ident::new(&variant_name, Span::call_site());
        let data = Ident::new(&event.data, Span::call_site());
        let name = &event.name;
        let features = event
            .features
            .iter()
            .cloned()
            .collect::<Vec<_>>()
            .join(", ");
        let doc = format!(" `{name}` (feature `{features}`).");
        variants.push(quote! { #[doc = #doc] #variant(crate::types::#data), });
        let patterns = std::iter::once(name).chain(&event.aliases);
        arms.push(quote! { #(#patterns)|* => Event::#variant(crate::wire::decode(data)?), });
        names.push(quote! { Event::#variant(_) => Some(#name), });
        values.push(
            quote! { Event::#variant(data) => ::serde_json::to_value(data).unwrap_or_default(), },
        );
        let aliases = &event.aliases;
        let source = match &event.source {
            Some(url) => quote! { Some(#url) },
            None => quote! { None },
        };
        table.push(quote! {
            crate::webhook::EventType { name: #name, aliases: &[#(#aliases),*], feature: #features, source: #source },
        });
    }
    let tokens: TokenStream = quote! {
        /// A webhook's typed event: one variant per event of the enabled products, by `event_type`.
        #[derive(Debug, Clone)]
        #[non_exhaustive]
        pub enum Event {
            #(#variants)*
            /// An event this build has no type for (a product not enabled, or an event Cashfree
            /// added since): its `data` as sent.
            Other(::serde_json::Value),
        }

        impl Event {
            /// Decodes `data`, the raw JSON of a body's `data`, as `event_type`'s type with the wire
            /// rules ([`crate::wire::decode`]).
            pub(crate) fn decode(event_type: &str, data: &[u8]) -> Result<Event, ::serde_json::Error> {
                Ok(match event_type {
                    #(#arms)*
                    _ => Event::Other(::serde_json::from_slice(data)?),
                })
            }

            /// The documented `event_type` of this variant; `None` for [`Event::Other`].
            pub fn documented_type(&self) -> Option<&'static str> {
                match self {
                    #(#names)*
                    Event::Other(_) => None,
                }
            }

            /// The typed `data` as JSON: the values its type read (for [`Event::Other`], the
            /// `data` as sent).
            pub fn data_json(&self) -> ::serde_json::Value {
                match self {
                    #(#values)*
                    Event::Other(data) => data.clone(),
                }
            }
        }

        /// Every event this build has a type for.
        pub const EVENT_TYPES: &[crate::webhook::EventType] = &[ #(#table)* ];
    };
    crate::generated_file::render(tokens, "the webhook events")
}

fn generated_types(client: &syn::File) -> BTreeSet<String> {
    let mut names = BTreeSet::new();
    for item in &client.items {
        let syn::Item::Mod(m) = item else { continue };
        if m.ident != "types" {
            continue;
        }
        for item in m.content.iter().flat_map(|(_, items)| items) {
            match item {
                syn::Item::Struct(s) => names.insert(s.ident.to_string()),
                syn::Item::Enum(e) => names.insert(e.ident.to_string()),
                syn::Item::Type(t) => names.insert(t.ident.to_string()),
                _ => continue,
            };
        }
    }
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(name: &str, data: &str) -> WebhookEvent {
        WebhookEvent {
            name: name.into(),
            aliases: vec![format!("{name}_OLD")],
            features: BTreeSet::from(["bav-v2".to_string()]),
            data: data.into(),
            source: Some("https://x".into()),
        }
    }

    #[test]
    fn each_event_is_a_variant_decoding_its_data_type_and_its_aliases() {
        let client: syn::File = syn::parse_quote! { pub mod types { pub struct Data {} } };
        let text = generate_events(&[event("A_DONE", "Data")], &client).unwrap();
        let compact: String = text.split_whitespace().collect();
        assert!(compact.contains("ADone(crate::types::Data)"), "{text}");
        assert!(
            compact.contains("\"A_DONE\"|\"A_DONE_OLD\"=>Event::ADone(crate::wire::decode(data)?)"),
            "{text}"
        );
        assert!(
            compact.contains("_=>Event::Other(::serde_json::from_slice(data)?)"),
            "{text}"
        );
        assert!(
            compact
                .contains("Event::ADone(data)=>::serde_json::to_value(data).unwrap_or_default()"),
            "{text}"
        );
        let missing = generate_events(&[event("A_DONE", "Nope")], &client).unwrap_err();
        assert!(missing.contains("Nope"), "{missing}");
        let twice = generate_events(&[event("A_DONE", "Data"), event("A_DONE", "Data")], &client)
            .unwrap_err();
        assert!(twice.contains("taken"), "{twice}");
    }
}
