//! The edits of progenitor's output, each where progenitor has no setting or hook for the same
//! (ARCHITECTURE.md, "Generation settings"): the build fails, or a test does, when a progenitor release
//! changes what an edit expects.
//!
//! - Answers decode through `crate::wire` ([`with_wire_decoding`]): progenitor has no decode hook.
//! - The `api-version` header progenitor sends from the spec's default is dropped
//!   ([`without_api_version_header`]): the client's hook sends the one precedence (call, client,
//!   spec) instead, and the generated per-call header map starts empty.
//! - Each operation's method and builder get their [`OperationDoc`] and its `doc(cfg)` attribute
//!   ([`with_operation_docs`]): progenitor has no setting for attributes or docs of its own on them.
//! - `Client::new` and `Client::new_with_client` are hidden from the docs, and `Client` says how to
//!   make one ([`with_client_made_by_the_builder`]): progenitor always generates both constructors,
//!   and they take a `Settings` that only `ClientBuilder::build` makes.

use crate::operation_docs::{OperationDoc, doc_cfg};

/// Types the generated `types` module defines twice (typify names an inline schema after its parent
/// and property, which can be a component's name too).
/// Progenitor sends the document's `info.version` as an `api-version` header on every request. For
/// Cashfree that is the docs' revision (2023-12-18), not an API version (that is `x-api-version`),
/// so the statement is dropped from each generated `send`, rather than the header removed again on
/// every call.
pub fn without_api_version_header(file: &mut syn::File) {
    let Some(builder) = file.items.iter_mut().find_map(|item| match item {
        syn::Item::Mod(m) if m.ident == "builder" => m.content.as_mut(),
        _ => None,
    }) else {
        return;
    };
    let sends_api_version = |stmt: &syn::Stmt| {
        let syn::Stmt::Expr(syn::Expr::MethodCall(call), _) = stmt else {
            return false;
        };
        call.method == "append"
            && call.args.first().is_some_and(|name| {
                quote::quote!(#name)
                    .to_string()
                    .ends_with("from_static (\"api-version\")")
            })
    };
    for item in &mut builder.1 {
        let syn::Item::Impl(block) = item else {
            continue;
        };
        for item in &mut block.items {
            if let syn::ImplItem::Fn(f) = item
                && f.sig.ident == "send"
            {
                let before = f.block.stmts.len();
                f.block.stmts.retain(|stmt| !sends_api_version(stmt));
                if f.block.stmts.len() < before {
                    f.block.stmts.iter_mut().for_each(empty_header_map);
                }
            }
        }
    }
}

/// Appends each operation's [`OperationDoc`] text and `doc(cfg)` attribute to its method on `Client`
/// and to that method's builder struct (the type the method returns, in `mod builder`).
///
/// # Errors
/// An operation whose method or builder is not found (a progenitor release that names them
/// otherwise): its docs would be missing silently.
pub fn with_operation_docs(file: &mut syn::File, docs: &[OperationDoc]) -> Result<(), String> {
    let by_method: std::collections::BTreeMap<&str, &OperationDoc> =
        docs.iter().map(|d| (d.method.as_str(), d)).collect();
    let attributes = |d: &OperationDoc| -> Vec<syn::Attribute> {
        let (text, cfg) = (&d.text, doc_cfg(&d.features));
        let holder: syn::ItemStruct = syn::parse_quote! { #[doc = #text] #cfg struct Holder; };
        holder.attrs
    };
    let mut builders: std::collections::BTreeMap<String, &OperationDoc> = Default::default();
    let mut methods_done = std::collections::BTreeSet::new();
    for item in &mut file.items {
        let syn::Item::Impl(block) = item else {
            continue;
        };
        let is_client = block.trait_.is_none()
            && matches!(block.self_ty.as_ref(), syn::Type::Path(p) if p.path.is_ident("Client"));
        if !is_client {
            continue;
        }
        for item in &mut block.items {
            let syn::ImplItem::Fn(f) = item else { continue };
            let Some(d) = by_method.get(f.sig.ident.to_string().as_str()) else {
                continue;
            };
            if let syn::ReturnType::Type(_, ty) = &f.sig.output
                && let syn::Type::Path(p) = ty.as_ref()
                && let Some(last) = p.path.segments.last()
            {
                builders.insert(last.ident.to_string(), d);
            }
            f.attrs.extend(attributes(d));
            methods_done.insert(d.method.clone());
        }
    }
    let mut builders_done = std::collections::BTreeSet::new();
    if let Some((_, items)) = file.items.iter_mut().find_map(|item| match item {
        syn::Item::Mod(m) if m.ident == "builder" => m.content.as_mut(),
        _ => None,
    }) {
        for item in items {
            if let syn::Item::Struct(s) = item
                && let Some(d) = builders.get(&s.ident.to_string())
            {
                s.attrs.extend(attributes(d));
                builders_done.insert(d.method.clone());
            }
        }
    }
    let missing: Vec<&str> = docs
        .iter()
        .filter(|d| !methods_done.contains(&d.method) || !builders_done.contains(&d.method))
        .map(|d| d.method.as_str())
        .collect();
    if missing.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "the generated client has no method or builder to document for {missing:?}"
        ))
    }
}

/// The docs `Client` gets after progenitor's (its title, the spec's description and version).
pub const CLIENT_DOC: &str = "\nMake one with [`Client::builder`](crate::Client::builder) \
(a [`ClientBuilder`](crate::ClientBuilder): environment, credentials, signing key, timeouts, \
retries) or [`Client::from_env`](crate::Client::from_env) (`CASHFREE_*` variables); both check every \
setting and prepare what each call needs. It is cheap to clone and shares one connection pool. Every \
operation is a method (by product: [`operations`](crate::operations)).";

/// Hides progenitor's `Client::new` and `Client::new_with_client` (`#[doc(hidden)]`; the crate itself
/// calls `new_with_client` from `ClientBuilder::build`) and appends [`CLIENT_DOC`] to `Client`.
///
/// # Errors
/// Progenitor's output has no `Client` struct or no such constructors (a release that changed them).
pub fn with_client_made_by_the_builder(file: &mut syn::File) -> Result<(), String> {
    let mut hidden = 0;
    let mut documented = false;
    for item in &mut file.items {
        match item {
            syn::Item::Struct(s) if s.ident == "Client" => {
                s.attrs.push(syn::parse_quote! { #[doc = #CLIENT_DOC] });
                documented = true;
            }
            syn::Item::Impl(block)
                if block.trait_.is_none()
                    && matches!(block.self_ty.as_ref(), syn::Type::Path(p) if p.path.is_ident("Client")) =>
            {
                for item in &mut block.items {
                    if let syn::ImplItem::Fn(f) = item
                        && (f.sig.ident == "new" || f.sig.ident == "new_with_client")
                    {
                        f.attrs.push(syn::parse_quote! { #[doc(hidden)] });
                        hidden += 1;
                    }
                }
            }
            _ => {}
        }
    }
    if documented && hidden == 2 {
        Ok(())
    } else {
        Err(format!(
            "progenitor's output changed: expected a `Client` struct and its `new` and `new_with_client` (found the struct: {documented}, constructors: {hidden})"
        ))
    }
}

/// How many calls of `from_response` progenitor's output holds, and how many were redirected.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Decoders {
    /// Occurrences of the identifier `from_response`.
    pub seen: usize,
    /// Occurrences of the path `ResponseValue::from_response`, now `crate::wire::from_response` (a
    /// success) or `crate::wire::error_from_response` (inside `Error::ErrorResponse(..)`).
    pub replaced: usize,
}

/// Every `ResponseValue::from_response` of progenitor's output (how a generated `send()` decodes a
/// JSON answer) becomes `crate::wire::from_response`, which decodes with Cashfree's wire rules and
/// keeps an undecodable body. Progenitor has no setting or hook for how answers are decoded, so this
/// is the one edit of its output: the build fails if any `from_response` is left unrecognised (a
/// progenitor change), and a test checks the edit on a small spec.
pub fn with_wire_decoding(
    tokens: proc_macro2::TokenStream,
) -> (proc_macro2::TokenStream, Decoders) {
    use proc_macro2::{Group, Ident, Punct, Spacing, TokenTree};
    fn walk(
        tokens: proc_macro2::TokenStream,
        in_error: bool,
        count: &mut Decoders,
    ) -> proc_macro2::TokenStream {
        let input: Vec<TokenTree> = tokens.into_iter().collect();
        let mut out = Vec::with_capacity(input.len());
        let mut i = 0;
        while i < input.len() {
            let is = |k: usize, text: &str| match input.get(i + k) {
                Some(TokenTree::Ident(id)) => id == text,
                Some(TokenTree::Punct(p)) => {
                    text.len() == 1 && p.as_char() == text.as_bytes()[0] as char
                }
                _ => false,
            };
            if is(0, "from_response") {
                count.seen += 1;
            }
            if is(0, "ResponseValue") && is(1, ":") && is(2, ":") && is(3, "from_response") {
                count.seen += 1;
                count.replaced += 1;
                let span = input[i].span();
                // An error answer (`Error::ErrorResponse(ResponseValue::from_response(..))`) is
                // read as its plain type; a success as `Decoded<T>`, which keeps its body.
                let function = if in_error {
                    "error_from_response"
                } else {
                    "from_response"
                };
                out.push(TokenTree::Ident(Ident::new("crate", span)));
                for segment in ["wire", function] {
                    out.push(TokenTree::Punct(Punct::new(':', Spacing::Joint)));
                    out.push(TokenTree::Punct(Punct::new(':', Spacing::Alone)));
                    out.push(TokenTree::Ident(Ident::new(segment, span)));
                }
                i += 4;
                continue;
            }
            let after_error_response =
                matches!(out.last(), Some(TokenTree::Ident(id)) if id == "ErrorResponse");
            out.push(match &input[i] {
                TokenTree::Group(g) => {
                    let mut inner = Group::new(
                        g.delimiter(),
                        walk(g.stream(), in_error || after_error_response, count),
                    );
                    inner.set_span(g.span());
                    TokenTree::Group(inner)
                }
                other => other.clone(),
            });
            i += 1;
        }
        out.into_iter().collect()
    }
    let mut count = Decoders::default();
    let out = walk(tokens, false, &mut count);
    (out, count)
}

/// `let mut header_map = HeaderMap::with_capacity(N)` made empty (`with_capacity(0)` allocates
/// nothing): the map only holds header parameters the call sets, usually none, and a call that sets
/// some grows it.
fn empty_header_map(stmt: &mut syn::Stmt) {
    let syn::Stmt::Local(local) = stmt else {
        return;
    };
    let Some(syn::Expr::Call(call)) = local.init.as_mut().map(|init| init.expr.as_mut()) else {
        return;
    };
    let is_with_capacity = matches!(call.func.as_ref(), syn::Expr::Path(p)
        if p.path.segments.last().is_some_and(|s| s.ident == "with_capacity"));
    if let (
        true,
        Some(syn::Expr::Lit(syn::ExprLit {
            lit: syn::Lit::Int(n),
            ..
        })),
    ) = (is_with_capacity, call.args.first_mut())
    {
        *n = syn::LitInt::new("0usize", n.span());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unrecognised_from_response_is_counted() {
        let tokens: proc_macro2::TokenStream =
            "fn f() { Other::from_response(r); ResponseValue::from_response(r); }"
                .parse()
                .unwrap();
        let (out, count) = with_wire_decoding(tokens);
        assert_eq!(
            count,
            Decoders {
                seen: 2,
                replaced: 1
            }
        );
        assert!(out.to_string().contains("crate :: wire :: from_response"));
    }
}
