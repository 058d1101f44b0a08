//! Build-time metadata for the handwritten layer, one generated file: the operation table (which
//! security schemes each operation needs, the API version it pins, its success statuses, multipart
//! body and rate-limit tier) and the security schemes, written here; beside them
//! [`call_json`](crate::call_json), [`ErrorCode`](crate::error_codes), the waits
//! ([`waits`](crate::waits)), the operations index and the stand-ins of operations the build leaves
//! out. Generated from the merged document, so a new spec file needs no handwritten change.

use proc_macro2::TokenStream;
use quote::quote;
use serde_json::Value;

use crate::operations::SpecOperation;
use crate::source::{operation_parameters, resolve, security_alternatives};
use crate::summary::GeneratedOperation;

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

/// The header parameters of `spec_op` as the generated builder has them, lower case, sorted: the
/// document's, and the `authorization` parameter the bearer rule adds
/// ([`rules`](crate::rules)).
fn header_params(doc: &Value, spec_op: &Value, path: &str) -> Vec<String> {
    let mut names = declared_header_params(doc, spec_op, path);
    if crate::rules::gets_authorization_parameter(doc, spec_op) {
        names.push("authorization".to_string());
    }
    names.sort();
    names.dedup();
    names
}

/// The header parameters `doc` declares for `spec_op` (its path's too), lower case.
fn declared_header_params(doc: &Value, spec_op: &Value, path: &str) -> Vec<String> {
    operation_parameters(doc, spec_op, path)
        .into_iter()
        .filter(|p| p.get("in").and_then(Value::as_str) == Some("header"))
        .filter_map(|p| p.get("name").and_then(Value::as_str))
        .map(str::to_ascii_lowercase)
        .collect()
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

    // One table of every operation of the document: this build's first (in `ops`' order, so
    // `operation_index` indexes both), then those the build leaves out (for the sandbox and tools).
    let built: Vec<(&str, &str, &str, &str)> = ops
        .iter()
        .map(|o| (&*o.method_name, &*o.operation_id, &*o.http_method, &*o.path))
        .collect();
    let left_out = all_ops
        .iter()
        .filter(|o| !ops.iter().any(|g| g.method_name == o.method_name))
        .map(|o| (&*o.method_name, &*o.operation_id, &*o.http_method, &*o.path));
    let mut operations = Vec::new();
    for (name, operation_id, method, path) in built.iter().copied().chain(left_out) {
        let spec_op = cashfree_openapi::operation_at(doc, path, method);
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
        let header_params = header_params(doc, spec_op, path);
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
                header_params: &[#(#header_params),*],
                success: &[#(#success),*],
                rate_limit: #rate_limit,
            }
        });
    }

    let built_count = ops.len();
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

    let error_codes = crate::error_codes::error_code_enum(doc, all_ops).unwrap_or_else(|p| {
        problems.extend(p);
        TokenStream::new()
    });
    let call_json = crate::call_json::call_json(doc, ops, all_ops)?;

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

        #call_json

        #waits

        #stand_ins

        /// Every operation of the merged document, with what the spec says it needs: the
        /// [`BUILT`] operations of this build first, then those its features leave out.
        pub(crate) static ALL_OPERATIONS: &[crate::spec::Operation] = &[#(#operations),*];

        /// How many of [`ALL_OPERATIONS`] this build generates (they come first).
        pub(crate) const BUILT: usize = #built_count;

        /// The index in [`ALL_OPERATIONS`] of the generated operation whose method is `name` (a
        /// `match`, so a call's hooks find their operation without scanning the table).
        pub(crate) fn operation_index(name: &str) -> Option<usize> {
            match name {
                #(#indexes)*
                _ => None,
            }
        }

        /// Every security scheme the specs declare, with the header that carries it.
        pub(crate) static SECURITY_SCHEMES: &[crate::spec::SecurityScheme] = &[#(#schemes),*];

        #error_codes
    };
    crate::generated_file::render(tokens, "generated metadata")
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

    /// The operation table's header parameters are those of the document progenitor generates
    /// from (the generation rules applied), for every operation of the repository's spec: a call's
    /// own credential or version is looked for exactly where its builder can set one.
    #[test]
    fn header_params_are_the_generated_builders_header_parameters() {
        let spec = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec");
        let doc = crate::spec_dir::SpecDir::new(spec).merged().unwrap();
        let mut input = doc.clone();
        crate::rules::apply_generation_rules(&mut input).unwrap();
        let mut with_authorization = 0;
        let mut operations = 0;
        for (path, method, op) in cashfree_openapi::operations_of(&doc) {
            let generated = cashfree_openapi::operation_at(&input, path, method);
            let mut expected = declared_header_params(&input, generated, path);
            expected.sort();
            expected.dedup();
            let listed = header_params(&doc, op, path);
            assert_eq!(listed, expected, "{method} {path}");
            with_authorization += usize::from(listed.iter().any(|h| h == "authorization"));
            operations += 1;
        }
        assert!(operations >= 60, "{operations} operations read");
        assert!(with_authorization >= 1, "no bearer operation seen");
    }
}
