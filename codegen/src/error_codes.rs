//! The `ErrorCode` enum: one variant for every error code documented in the examples of the
//! document's non-2xx answers, each listing where it is documented.
//!
//! ```
//! use cashfree_codegen::error_codes::variant_name;
//!
//! assert_eq!(variant_name("x-client-id_missing"), "XClientIdMissing");
//! ```

use std::collections::BTreeMap;

use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;
use serde_json::Value;

use crate::operations::SpecOperation;
use crate::source::error_examples;

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

/// The `ErrorCode` enum of every code documented by `all_ops` (every operation of the document,
/// so that the enum is the same whatever products are enabled).
///
/// # Errors
/// Two error codes map to one Rust name (one line each).
pub fn error_code_enum(doc: &Value, all_ops: &[SpecOperation]) -> Result<TokenStream, Vec<String>> {
    let mut problems = Vec::new();
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
    if !problems.is_empty() {
        return Err(problems);
    }
    Ok(quote! {
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
    })
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
