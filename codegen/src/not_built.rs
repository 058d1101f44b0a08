//! Methods for the operations a build leaves out (their product's Cargo feature is off): each is a
//! hidden, deprecated method of the same name whose deprecation note names the feature to add, and
//! which returns the client crate's `NeedsCargoFeature`, a type with no `send()`. So `client.vrs_gstin_verification().body(..)` fails to compile with the
//! warning "... needs the Cargo feature `gstin` ..." beside the error, instead of rustc's bare "no
//! method named" and its hint at another product's method.
//!
//! Only the method name (an identifier the generator has already checked) and the feature names (made
//! by [`crate::products::feature_name`]) are written; no other spec text is.

use std::collections::BTreeSet;

use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;
use serde_json::Value;

use crate::operations::SpecOperation;
use crate::products::operation_features;
use crate::summary::GeneratedOperation;

/// The operations of `all` that `built` lacks, each with the note that names its feature.
fn left_out<'a>(
    doc: &Value,
    built: &[GeneratedOperation],
    all: &'a [SpecOperation],
) -> Vec<(&'a SpecOperation, String)> {
    let built: BTreeSet<&str> = built.iter().map(|o| o.method_name.as_str()).collect();
    all.iter()
        .filter(|op| !built.contains(op.method_name.as_str()))
        .map(|op| {
            let features = operation_features(cashfree_openapi::operation_at(
                doc,
                &op.path,
                &op.http_method,
            ));
            let listed = crate::products::features_listed(&features);
            let add = features
                .iter()
                .next()
                .map_or_else(String::new, |f| format!(": features = [\"{f}\"]"));
            let note = format!(
                "{} needs the Cargo feature {listed} of cashfree-verification, which this build \
                 leaves out; add it to the dependency{add}",
                op.method_name
            );
            (op, note)
        })
        .collect()
}

/// The `impl Client` block of stand-in methods for the operations of `all` that `built` lacks
/// (empty when every operation is built).
pub fn stand_ins(doc: &Value, built: &[GeneratedOperation], all: &[SpecOperation]) -> TokenStream {
    let methods: Vec<TokenStream> = left_out(doc, built, all)
        .into_iter()
        .map(|(op, note)| {
            let method = Ident::new(&op.method_name, Span::call_site());
            quote! {
                #[doc(hidden)]
                #[deprecated(note = #note)]
                pub fn #method(&self) -> crate::NeedsCargoFeature {
                    crate::NeedsCargoFeature(())
                }
            }
        })
        .collect();
    if methods.is_empty() {
        return TokenStream::new();
    }
    quote! {
        /// Stand-ins for the operations of the products this build leaves out: see
        /// [`NeedsCargoFeature`](crate::NeedsCargoFeature).
        impl crate::Client {
            #(#methods)*
        }
    }
}

/// `call_json`'s arms for the operations `built` lacks: by method name, and by operationId where no
/// other operation takes that name, each an error naming the feature to add (nothing sent).
pub fn call_json_arms(
    doc: &Value,
    built: &[GeneratedOperation],
    all: &[SpecOperation],
) -> Vec<TokenStream> {
    let names: BTreeSet<&str> = all.iter().map(|o| o.method_name.as_str()).collect();
    let mut ids_used = BTreeSet::new();
    left_out(doc, built, all)
        .into_iter()
        .map(|(op, note)| {
            let name = &op.method_name;
            let id = &op.operation_id;
            let pattern = if id == name || names.contains(id.as_str()) || !ids_used.insert(id) {
                quote! { #name }
            } else {
                quote! { #name | #id }
            };
            quote! { #pattern => Err(crate::Error::not_built(#note)), }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec_op(method_name: &str, path: &str) -> SpecOperation {
        SpecOperation {
            method_name: method_name.into(),
            operation_id: method_name.into(),
            http_method: "POST".into(),
            path: path.into(),
        }
    }

    #[test]
    fn an_operation_left_out_gets_a_deprecated_stand_in_naming_its_feature() {
        let doc = serde_json::json!({"paths": {
            "/gstin": {"post": {"tags": ["GSTIN"]}},
            "/pan": {"post": {"tags": ["PAN"]}}
        }});
        let all = [
            spec_op("vrs_gstin_verification", "/gstin"),
            spec_op("vrs_pan_verification", "/pan"),
        ];
        let built = [GeneratedOperation {
            method_name: "vrs_pan_verification".into(),
            operation_id: "VrsPanVerification".into(),
            http_method: "POST".into(),
            path: "/pan".into(),
            params: Vec::new(),
            success: "()".into(),
            error: "()".into(),
            setters: Vec::new(),
        }];
        let code = stand_ins(&doc, &built, &all).to_string();
        assert!(code.contains("fn vrs_gstin_verification"), "{code}");
        assert!(!code.contains("vrs_pan_verification"), "{code}");
        assert!(
            code.contains(
                "vrs_gstin_verification needs the Cargo feature `gstin` of cashfree-verification, \
                 which this build leaves out; add it to the dependency: features = [\\\"gstin\\\"]"
            ),
            "{code}"
        );
        assert!(stand_ins(&doc, &built, &all[1..]).is_empty());
        let arms = call_json_arms(&doc, &built, &all);
        assert_eq!(arms.len(), 1);
        assert!(arms[0].to_string().contains("not_built"), "{}", arms[0]);
    }
}
