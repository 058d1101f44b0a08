//! Build-time metadata for the handwritten layer: which security schemes each operation needs, the
//! API version each operation pins, and an `ErrorCode` enum of every error code documented in the
//! specs' examples. Generated from the merged document, so a new spec file needs no handwritten change.

use std::collections::BTreeMap;

use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;
use serde_json::Value;

use crate::operations::SpecOperation;
use crate::source::{error_examples, operation_parameters, resolve, security_alternatives};
use crate::summary::GeneratedOperation;

/// One documented occurrence of an error code.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Documented {
    status: String,
    operation: String,
    message: String,
}

/// Every `code` in the examples of every non-2xx response: code → where it is documented.
fn error_codes(doc: &Value, ops: &[SpecOperation]) -> BTreeMap<String, Vec<Documented>> {
    let mut codes: BTreeMap<String, Vec<Documented>> = BTreeMap::new();
    for op in ops {
        let spec_op = cashfree_openapi::operation_at(doc, &op.path, &op.http_method);
        for (status, v) in error_examples(doc, spec_op) {
            if let Some(code) = v.get("code").and_then(Value::as_str) {
                let entry = Documented {
                    status: status.clone(),
                    operation: op.method_name.clone(),
                    message: v
                        .get("message")
                        .and_then(Value::as_str)
                        .unwrap_or("")
                        .trim()
                        .to_string(),
                };
                let list = codes.entry(code.to_string()).or_default();
                if !list.contains(&entry) {
                    list.push(entry);
                }
            }
        }
    }
    for list in codes.values_mut() {
        list.sort();
    }
    codes
}

/// `x-client-id_missing` → `XClientIdMissing`.
pub fn variant_name(code: &str) -> String {
    let mut out = String::new();
    for word in code
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        let mut chars = word.chars();
        if let Some(first) = chars.next() {
            out.push(first.to_ascii_uppercase());
            out.extend(chars.map(|c| c.to_ascii_lowercase()));
        }
    }
    if out.is_empty() || out.starts_with(|c: char| c.is_ascii_digit()) {
        out.insert_str(0, "Code");
    }
    if out == "Other" {
        out.push_str("Code");
    }
    out
}

fn api_version_default(doc: &Value, spec_op: &Value, path: &str) -> Option<String> {
    operation_parameters(doc, spec_op, path)
        .into_iter()
        .find(|p| {
            p.get("in").and_then(Value::as_str) == Some("header")
                && p.get("name")
                    .and_then(Value::as_str)
                    .is_some_and(|n| n.eq_ignore_ascii_case("x-api-version"))
        })
        .and_then(|p| p.get("schema").map(|s| resolve(doc, s)))
        .and_then(|s| s.get("default"))
        .and_then(Value::as_str)
        .map(String::from)
}

/// Generates the metadata module's source (formatted), for `ops` as progenitor generated them.
///
/// # Errors
/// Two error codes map to one Rust name.
///
/// `ops` are the operations generated (for a build with some products, a subset); `all_ops` every
/// operation of the document, so that the `ErrorCode` enum is the same whatever products are enabled.
pub fn generate_meta(
    doc: &Value,
    ops: &[GeneratedOperation],
    all_ops: &[SpecOperation],
) -> Result<String, String> {
    let mut problems = Vec::new();

    let mut operations = Vec::new();
    for op in ops {
        let spec_op = cashfree_openapi::operation_at(doc, &op.path, &op.http_method);
        let name = &op.method_name;
        let operation_id = &op.operation_id;
        let method = &op.http_method;
        let path = &op.path;
        let alternatives: Vec<TokenStream> = security_alternatives(spec_op)
            .map(|req| {
                let names = req.keys();
                quote! { &[#(#names),*] }
            })
            .collect();
        let version = match api_version_default(doc, spec_op, path) {
            Some(v) => quote! { Some(#v) },
            None => quote! { None },
        };
        let success: Vec<u16> = spec_op
            .get("responses")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
            .filter_map(|(status, _)| status.parse::<u16>().ok())
            .filter(|status| (200..300).contains(status))
            .collect();
        let multipart = cashfree_openapi::is_multipart(doc, spec_op);
        let rate_limit = match crate::rate_limits::of(spec_op) {
            Some((tier, per_minute)) => {
                let tier = quote::format_ident!("{}", tier_variant(tier));
                quote! { Some(crate::rate_limit::TierRate {
                tier: crate::rate_limit::RateTier::#tier, per_minute: #per_minute }) }
            }
            None => quote! { None },
        };
        operations.push(quote! {
            crate::spec::Operation {
                name: #name,
                operation_id: #operation_id,
                method: #method,
                path: #path,
                security: &[#(#alternatives),*],
                api_version: #version,
                multipart: #multipart,
                success: &[#(#success),*],
                rate_limit: #rate_limit,
            }
        });
    }

    let indexes = ops.iter().enumerate().map(|(i, op)| {
        let name = &op.method_name;
        quote! { #name => Some(#i), }
    });

    let mut schemes = Vec::new();
    for (name, scheme) in doc
        .pointer("/components/securitySchemes")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
    {
        let scheme = resolve(doc, scheme);
        let text = |k: &str| scheme.get(k).and_then(Value::as_str);
        // (header, value prefix); `None` for schemes the client layer cannot send (it then reports
        // them as unsupported when an operation needs one, instead of failing the whole build).
        let sent = match (text("type"), text("in"), text("name"), text("scheme")) {
            (Some("apiKey"), Some("header"), Some(header), _) => {
                Some((header.to_ascii_lowercase(), ""))
            }
            (Some("http"), _, _, Some(s)) if s.eq_ignore_ascii_case("bearer") => {
                Some(("authorization".to_string(), "Bearer "))
            }
            _ => None,
        };
        let (header, prefix, supported) = match sent {
            Some((h, p)) => (h, p, true),
            None => (String::new(), "", false),
        };
        schemes.push(quote! {
            crate::spec::SecurityScheme { name: #name, header: #header, prefix: #prefix, supported: #supported }
        });
    }

    let mut arms = Vec::new();
    let names: Vec<&str> = ops.iter().map(|o| o.method_name.as_str()).collect();
    for op in ops {
        let name = &op.method_name;
        // Cashfree's operationId names the operation too, unless it is another operation's method.
        let id = &op.operation_id;
        let pattern = if id == name || names.contains(&id.as_str()) {
            quote! { #name }
        } else {
            quote! { #name | #id }
        };
        let method = Ident::new(name, Span::call_site());
        let mut sets = Vec::new();
        for (setter, target) in &op.setters {
            let target: syn::Type = syn::parse_str(target)
                .map_err(|e| format!("setter {name}.{setter} has an unreadable type: {e}"))?;
            let ident = Ident::new(setter, Span::call_site());
            sets.push(quote! {
                if let Some(value) = args.get(#setter) {
                    call = call.#ident(argument::<#target>(#name, #setter, value)?);
                }
            });
        }
        arms.push(quote! {
            #pattern => {
                let mut call = self.#method();
                #(#sets)*
                let response = call.send().await?;
                Ok(serde_json::to_value(response.into_inner()).unwrap_or_default())
            }
        });
    }

    arms.extend(crate::not_built::call_json_arms(doc, ops, all_ops));
    let codes = error_codes(doc, all_ops);
    let mut seen: BTreeMap<String, String> = BTreeMap::new();
    let mut variants = Vec::new();
    let mut from_arms = Vec::new();
    let mut as_str_arms = Vec::new();
    for (code, documented) in &codes {
        let variant = variant_name(code);
        if let Some(other) = seen.insert(variant.clone(), code.clone()) {
            problems.push(format!(
                "error codes `{other}` and `{code}` both become ErrorCode::{variant}"
            ));
            continue;
        }
        let ident = Ident::new(&variant, Span::call_site());
        let mut doc_lines = vec![crate::doc_text::inert_code(code)];
        for d in documented {
            let message = if d.message.is_empty() {
                String::new()
            } else {
                format!(": \"{}\"", crate::doc_text::neutralize(&d.message))
            };
            doc_lines.push(format!("- {} from `{}`{message}", d.status, d.operation));
        }
        let doc_text = doc_lines.join("\n");
        variants.push(quote! { #[doc = #doc_text] #ident });
        from_arms.push(quote! { #code => Self::#ident });
        as_str_arms.push(quote! { Self::#ident => #code });
    }

    let mut waits = crate::waits::generate::wait_tokens(doc, ops).unwrap_or_else(|e| {
        problems.push(e);
        TokenStream::new()
    });
    waits.extend(
        crate::waits::once::once_tokens(doc, ops).unwrap_or_else(|e| {
            problems.push(e);
            TokenStream::new()
        }),
    );

    if !problems.is_empty() {
        return Err(problems.join("\n"));
    }

    let index = crate::operation_docs::operations_index(doc, ops, all_ops);
    let stand_ins = crate::not_built::stand_ins(doc, ops, all_ops);
    let tokens = quote! {
        #[allow(unused_imports)]
        use super::types;

        #[doc = #index]
        pub mod operations {}

        impl crate::Client {
            /// Calls the operation whose method or Cashfree operationId is `operation` (e.g.
            /// `"vrs_pan_verification"` or `"VrsPanVerification"`), with
            /// each builder argument given as JSON by its setter's name (`"body"`, `"verification_id"`,
            /// ...), and returns the success body as JSON. For tools and tests that choose the
            /// operation at run time; the typed methods are the way to call a known operation.
            ///
            /// # Errors
            /// An unknown operation or an argument that does not deserialize into its setter's type
            /// ([`ErrorKind::Validation`](crate::ErrorKind::Validation), nothing sent), or whatever the
            /// typed call returns.
            pub async fn call_json(
                &self,
                operation: &str,
                args: &serde_json::Map<String, serde_json::Value>,
            ) -> Result<serde_json::Value, crate::Error> {
                match operation {
                    #(#arms)*
                    other => Err(crate::Error::unknown_operation(other)),
                }
            }
        }

        fn argument<T: serde::de::DeserializeOwned>(
            operation: &str,
            name: &str,
            value: &serde_json::Value,
        ) -> Result<T, crate::Error> {
            serde_json::from_value(value.clone())
                .map_err(|e| crate::Error::invalid_argument(operation, name, e))
        }

        /// `value` (an id from a request or an answer) as the setter's type `T`, by the wire rules
        /// (an id Cashfree answers as a number reads as text, and the other way round).
        #[allow(dead_code)]
        fn id_argument<T: serde::de::DeserializeOwned>(
            operation: &str,
            name: &str,
            value: &serde_json::Value,
        ) -> Result<T, crate::Error> {
            crate::wire::decode(value.to_string().as_bytes())
                .map_err(|e| crate::Error::invalid_argument(operation, name, e))
        }

        #waits

        #stand_ins

        /// Every operation of the generated client, with what the spec says it needs.
        pub(crate) static OPERATIONS: &[crate::spec::Operation] = &[#(#operations),*];

        /// The index in [`OPERATIONS`] of the operation whose method is `name` (a `match`, so a
        /// call's hooks find their operation without scanning the table).
        pub(crate) fn operation_index(name: &str) -> Option<usize> {
            match name {
                #(#indexes)*
                _ => None,
            }
        }

        /// Every security scheme the specs declare, with the header that carries it.
        pub(crate) static SECURITY_SCHEMES: &[crate::spec::SecurityScheme] = &[#(#schemes),*];

        /// A Cashfree error code.
        ///
        /// Generated from every error code documented in the examples of the specs in `spec/`; each
        /// variant lists where it is documented. Codes the specs do not document arrive as
        /// [`ErrorCode::Other`], so new codes from Cashfree never break decoding.
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum ErrorCode {
            #(#variants,)*
            /// A code the specs do not document.
            Other(String),
        }

        impl ErrorCode {
            /// The variant for Cashfree's `code` string.
            pub fn from_code(code: &str) -> Self {
                match code {
                    #(#from_arms,)*
                    other => Self::Other(other.to_string()),
                }
            }

            /// Cashfree's `code` string.
            pub fn as_str(&self) -> &str {
                match self {
                    #(#as_str_arms,)*
                    Self::Other(code) => code,
                }
            }
        }
    };
    let file: syn::File =
        syn::parse2(tokens).map_err(|e| format!("generated metadata does not parse: {e}"))?;
    Ok(format!(
        "{}{}",
        crate::generate::HEADER,
        prettyplease::unparse(&file)
    ))
}

/// The client's `RateTier` variant for a tier name of the reviewed data (checked against
/// [`rate_limits::TIERS`](crate::rate_limits::TIERS) when the data was applied).
fn tier_variant(tier: &str) -> &'static str {
    match tier {
        "medium" => "Medium",
        "restricted" => "Restricted",
        _ => "Standard",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn variant_names_follow_cashfree_codes() {
        assert_eq!(variant_name("x-client-id_missing"), "XClientIdMissing");
        assert_eq!(
            variant_name("verification_id_already_exists"),
            "VerificationIdAlreadyExists"
        );
        assert_eq!(variant_name("429_error"), "Code429Error");
        assert_eq!(variant_name("other"), "OtherCode");
    }
}
