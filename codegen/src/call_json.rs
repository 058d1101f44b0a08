//! `Client::call_json`: any operation of the build called by name with JSON arguments (for tools and
//! tests that choose the operation at run time), one `match` arm per operation, built from the
//! operation table's setters.

use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;
use serde_json::Value;

use crate::operations::SpecOperation;
use crate::summary::GeneratedOperation;

/// `Client::call_json` and its argument readers, for `ops` (this build's operations); the
/// operations of `all_ops` the build leaves out answer that their feature is needed.
///
/// # Errors
/// A setter whose type does not parse (a generator bug).
pub fn call_json(
    doc: &Value,
    ops: &[GeneratedOperation],
    all_ops: &[SpecOperation],
) -> Result<TokenStream, String> {
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
    Ok(quote! {
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
    })
}
