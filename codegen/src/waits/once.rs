//! A `<create>_once` method for each create that carries a caller id and has no status operation to
//! wait on (name match, face match, passport, voter ID, ...): it sends the create once, and when
//! the outcome is unknown (the answer was lost after sending, or the id is refused as used before)
//! its error says the first attempt may have been performed and billed, and names the id
//! (`crate::wait::send_once`).
//!
//! The caller id is read from the merged document: an error code the operation documents that
//! ends in `_already_exists` names it (`verification_id_already_exists` → `verification_id`), when
//! the request body has that property. Only checked identifiers and documented codes (as string
//! literals) reach the generated code.

use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;
use serde_json::Value;

use super::WAIT;
use crate::summary::GeneratedOperation;

/// What marks a documented error code as "this caller id was used before".
const USED_BEFORE: &str = "_already_exists";

/// Every create of `doc` without a wait that names a caller id: (operationId, id property, the
/// documented codes that say it was used before).
pub fn creates_sent_once(doc: &Value) -> Vec<(String, String, Vec<String>)> {
    let mut out = Vec::new();
    for (_, method, op) in cashfree_openapi::operations_of(doc) {
        let Some(id) = op.get("operationId").and_then(Value::as_str) else {
            continue;
        };
        if method != "post" || op.get(WAIT).is_some() {
            continue;
        }
        let body = super::body_schema(doc, op.get("requestBody"));
        let mut codes: Vec<(String, String)> = cashfree_openapi::error_examples(doc, op)
            .into_iter()
            .filter_map(|(_, v)| v.get("code").and_then(Value::as_str).map(String::from))
            .filter_map(|code| {
                let property = code.strip_suffix(USED_BEFORE)?.to_string();
                super::has_property(doc, body, &property).then_some((property, code))
            })
            .collect();
        codes.sort();
        codes.dedup();
        let Some((property, _)) = codes.first().cloned() else {
            continue;
        };
        let conflicts = codes
            .into_iter()
            .filter(|(p, _)| *p == property)
            .map(|(_, c)| c)
            .collect();
        out.push((id.to_string(), property, conflicts));
    }
    out
}
/// The `<create>_once` methods of this build's operations.
///
/// # Errors
/// A create whose answer is not decoded into a type, or that takes no body.
pub fn once_tokens(doc: &Value, ops: &[GeneratedOperation]) -> Result<TokenStream, String> {
    let mut methods = Vec::new();
    for (operation_id, property, conflicts) in creates_sent_once(doc) {
        let Some(create) = ops.iter().find(|o| o.operation_id == operation_id) else {
            continue;
        };
        let answer = create.decoded_type().ok_or_else(|| {
            format!(
                "{} answers {}, not a decoded type",
                create.method_name, create.success
            )
        })?;
        let body = create
            .setter_type("body")
            .ok_or_else(|| format!("{} takes no body", create.method_name))?;
        let name = &create.method_name;
        let cfg = crate::operation_docs::doc_cfg(&create.features(doc));
        let shown = crate::doc_text::inert_code(&property);
        let create_ident = Ident::new(name, Span::call_site());
        let once = Ident::new(&format!("{name}_once"), Span::call_site());
        let doc_once = format!(
            "Sends [`Client::{name}`](crate::Client::{name}) once, for a caller who must know whether it was performed: \
             Cashfree offers no status operation to look it up.\n\n# Errors\nThe create's error. \
             When its outcome is unknown (the request was sent and its answer lost, or Cashfree \
             refused its {shown} as used before), the error also says the first attempt may \
             have been performed and billed, and names the {shown} \
             ([`Error::first_attempt`](crate::Error::first_attempt))."
        );
        methods.push(quote! {
            impl crate::Client {
                #[doc = #doc_once]
                #cfg
                pub async fn #once<B>(&self, body: B) -> Result<crate::wire::Decoded<#answer>, crate::Error>
                where
                    B: TryInto<#body>,
                    B::Error: std::fmt::Display,
                {
                    let body: #body = body
                        .try_into()
                        .map_err(|e| crate::Error::invalid_argument(#name, "body", e))?;
                    crate::wait::send_once(body, #property, &[#(#conflicts),*], |body| async move {
                        Ok::<_, crate::Error>(self.#create_ident().body(body).send().await?.into_inner())
                    })
                    .await
                }
            }
        });
    }
    Ok(quote! { #(#methods)* })
}
