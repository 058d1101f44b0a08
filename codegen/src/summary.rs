//! A compact, human-readable summary of the generated API, for code review.
//!
//! Operations come from the merged document (method, path, operationId, the method name given to
//! progenitor, parameter locations, security, response codes) joined with the generated code's syntax
//! (each method's builder: parameters and Rust types), so the summary shows exactly what a user calls.
//! Nothing is read from generated doc text. Types come from the generated `types` module.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde_json::Value;

use crate::operations::SpecOperation;
use crate::source::{operation_parameters, resolve, security_alternatives};
use syn::{Fields, GenericArgument, Item, PathArguments, ReturnType, Type};

/// One operation as generated: the method on `Client` and where it sends.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GeneratedOperation {
    /// The method on `Client` (also progenitor's `OperationInfo::operation_id`).
    pub method_name: String,
    /// The `operationId` in the spec.
    pub operation_id: String,
    /// HTTP method, upper case.
    pub http_method: String,
    /// The path template.
    pub path: String,
    /// The builder's parameters: name → Rust type (outer `Result<_, String>` removed).
    pub params: Vec<(String, String)>,
    /// The success type of `send()`.
    pub success: String,
    /// The error body type of `send()`.
    pub error: String,
    /// The builder's setters: name → the type `T` of its `V: TryInto<T>` bound, as tokens with the
    /// paths the generated code uses (`types::PanRequestSchema`, `::std::string::String`).
    pub setters: Vec<(String, String)>,
}

type BuilderShape = (Vec<(String, String)>, String, String, Vec<(String, String)>);

/// Joins the document's operations with their builders in the generated client.
///
/// # Errors
/// The generated `Client` does not have exactly one method per operation of the document (progenitor
/// named something differently), or a method's builder has no `send` method.
pub fn generated_operations(
    file: &syn::File,
    spec_ops: &[SpecOperation],
) -> Result<Vec<GeneratedOperation>, String> {
    // Client method name -> its builder's struct name, from the signatures (not the docs).
    let mut methods: BTreeMap<String, String> = BTreeMap::new();
    // builder struct name -> (parameters, success type, error type)
    let mut builders: BTreeMap<String, BuilderShape> = BTreeMap::new();
    for item in &file.items {
        match item {
            Item::Impl(imp) if type_name(&imp.self_ty) == "Client" && imp.trait_.is_none() => {
                for it in &imp.items {
                    let syn::ImplItem::Fn(f) = it else { continue };
                    let ReturnType::Type(_, ret) = &f.sig.output else {
                        continue;
                    };
                    let takes_self = f
                        .sig
                        .inputs
                        .iter()
                        .any(|a| matches!(a, syn::FnArg::Receiver(_)));
                    if takes_self {
                        methods.insert(f.sig.ident.to_string(), type_name(ret));
                    }
                }
            }
            Item::Mod(m) if m.ident == "builder" => {
                let Some((_, items)) = &m.content else {
                    continue;
                };
                let mut fields = BTreeMap::new();
                let mut sends = BTreeMap::new();
                let mut setters: BTreeMap<String, Vec<(String, String)>> = BTreeMap::new();
                for it in items {
                    match it {
                        Item::Struct(s) => {
                            let list = s
                                .fields
                                .iter()
                                .filter_map(|f| {
                                    let name = f.ident.as_ref()?.to_string();
                                    (name != "client")
                                        .then(|| (name, render_type(&strip_result(&f.ty))))
                                })
                                .collect::<Vec<_>>();
                            fields.insert(s.ident.to_string(), list);
                        }
                        Item::Impl(imp) => {
                            for f in &imp.items {
                                let syn::ImplItem::Fn(f) = f else { continue };
                                if let Some(target) = try_into_target(&f.sig) {
                                    setters
                                        .entry(type_name(&imp.self_ty))
                                        .or_default()
                                        .push((f.sig.ident.to_string(), target));
                                }
                                if f.sig.ident != "send" {
                                    continue;
                                }
                                if let ReturnType::Type(_, ret) = &f.sig.output {
                                    sends.insert(type_name(&imp.self_ty), result_types(ret));
                                }
                            }
                        }
                        _ => {}
                    }
                }
                for (name, list) in fields {
                    if let Some((ok, err)) = sends.remove(&name) {
                        let own = setters.remove(&name).unwrap_or_default();
                        builders.insert(name, (list, ok, err, own));
                    }
                }
            }
            _ => {}
        }
    }
    let expected: Vec<&str> = spec_ops.iter().map(|o| o.method_name.as_str()).collect();
    let unexpected: Vec<&String> = methods
        .keys()
        .filter(|m| !expected.contains(&m.as_str()))
        .collect();
    if !unexpected.is_empty() {
        return Err(format!(
            "the generated Client has methods no operation of the document names: {unexpected:?}"
        ));
    }
    spec_ops
        .iter()
        .map(|op| {
            let builder = methods.get(&op.method_name).ok_or_else(|| {
                format!(
                    "the generated Client has no method {} for {} {} (operationId {:?})",
                    op.method_name, op.http_method, op.path, op.operation_id
                )
            })?;
            let (params, success, error, setters) =
                builders.get(builder).cloned().ok_or_else(|| {
                    format!(
                        "no builder `{builder}` with a `send` method for {}",
                        op.method_name
                    )
                })?;
            Ok(GeneratedOperation {
                method_name: op.method_name.clone(),
                operation_id: op.operation_id.clone(),
                http_method: op.http_method.clone(),
                path: op.path.clone(),
                params,
                success,
                error,
                setters,
            })
        })
        .collect()
}

/// `T` of a setter `fn x<V>(self, value: V) -> Self where V: TryInto<T>`, as tokens.
fn try_into_target(sig: &syn::Signature) -> Option<String> {
    let predicates = &sig.generics.where_clause.as_ref()?.predicates;
    predicates.iter().find_map(|p| {
        let syn::WherePredicate::Type(t) = p else {
            return None;
        };
        t.bounds.iter().find_map(|b| {
            let syn::TypeParamBound::Trait(tr) = b else {
                return None;
            };
            let last = tr.path.segments.last()?;
            if last.ident != "TryInto" {
                return None;
            }
            let syn::PathArguments::AngleBracketed(args) = &last.arguments else {
                return None;
            };
            match args.args.first()? {
                GenericArgument::Type(target) => Some(quote::quote!(#target).to_string()),
                _ => None,
            }
        })
    })
}

fn type_name(ty: &Type) -> String {
    match ty {
        Type::Path(p) => p
            .path
            .segments
            .last()
            .map(|s| s.ident.to_string())
            .unwrap_or_default(),
        _ => String::new(),
    }
}

fn generic_args(ty: &Type) -> Vec<Type> {
    let Type::Path(p) = ty else { return Vec::new() };
    let Some(last) = p.path.segments.last() else {
        return Vec::new();
    };
    let PathArguments::AngleBracketed(args) = &last.arguments else {
        return Vec::new();
    };
    args.args
        .iter()
        .filter_map(|a| match a {
            GenericArgument::Type(t) => Some(t.clone()),
            _ => None,
        })
        .collect()
}

/// `Result<T, String>` → `T`.
fn strip_result(ty: &Type) -> Type {
    if type_name(ty) == "Result"
        && let Some(t) = generic_args(ty).into_iter().next()
    {
        return t;
    }
    ty.clone()
}

/// `Result<ResponseValue<T>, Error<E>>` → (`T`, `E`).
fn result_types(ty: &Type) -> (String, String) {
    let args = generic_args(ty);
    let inner = |t: Option<&Type>| {
        t.map(|t| {
            generic_args(t)
                .first()
                .map(render_type)
                .unwrap_or_else(|| render_type(t))
        })
        .unwrap_or_default()
    };
    (inner(args.first()), inner(args.get(1)))
}

/// Renders a type compactly: every path shortened to its last segment (`::std::string::String` →
/// `String`, `types::Foo` → `Foo`), generic arguments kept.
pub fn render_type(ty: &Type) -> String {
    match ty {
        Type::Path(p) => {
            let Some(last) = p.path.segments.last() else {
                return String::new();
            };
            let mut s = last.ident.to_string();
            if let PathArguments::AngleBracketed(args) = &last.arguments {
                let inner: Vec<String> = args
                    .args
                    .iter()
                    .map(|a| match a {
                        GenericArgument::Type(t) => render_type(t),
                        GenericArgument::Lifetime(l) => format!("'{}", l.ident),
                        other => quote::quote!(#other).to_string(),
                    })
                    .collect();
                s.push('<');
                s.push_str(&inner.join(", "));
                s.push('>');
            }
            s
        }
        Type::Reference(r) => format!("&{}", render_type(&r.elem)),
        Type::Slice(s) => format!("[{}]", render_type(&s.elem)),
        Type::Tuple(t) => format!(
            "({})",
            t.elems
                .iter()
                .map(render_type)
                .collect::<Vec<_>>()
                .join(", ")
        ),
        other => quote::quote!(#other).to_string(),
    }
}

fn serde_rename(attrs: &[syn::Attribute]) -> Option<String> {
    for a in attrs.iter().filter(|a| a.path().is_ident("serde")) {
        let mut found = None;
        let _ = a.parse_nested_meta(|meta| {
            if meta.path.is_ident("rename") {
                let s: syn::LitStr = meta.value()?.parse()?;
                found = Some(s.value());
            } else if meta.input.peek(syn::Token![=]) {
                let _: syn::Expr = meta.value()?.parse()?;
            }
            Ok(())
        });
        if found.is_some() {
            return found;
        }
    }
    None
}

/// Builds the summary text from the merged document and the generated client's syntax tree.
///
/// # Errors
/// The generated client does not have the shape progenitor gives it.
pub fn summarize(
    doc: &Value,
    ops: &[GeneratedOperation],
    file: &syn::File,
) -> Result<String, String> {
    let mut ops = ops.to_vec();
    let mut out = String::new();
    out.push_str("# cashfree-verification: generated API summary\n");
    out.push_str("# @generated by cashfree-verification-codegen from spec/ and spec/overlays/. Do not edit.\n");
    out.push_str("# Refresh: cargo run -p cashfree-verification-codegen -- refresh\n");

    ops.sort_by(|a, b| (&a.path, &a.http_method).cmp(&(&b.path, &b.http_method)));
    let _ = writeln!(out, "\n## Operations ({})", ops.len());
    for op in &ops {
        let spec_op = doc
            .pointer(&format!(
                "/paths/{}/{}",
                crate::source::escape_pointer(&op.path),
                op.http_method.to_lowercase()
            ))
            .cloned()
            .unwrap_or(Value::Null);
        let _ = writeln!(out, "\n{} {}", op.http_method, op.path);
        let _ = writeln!(out, "  operationId  {}", op.operation_id);
        let _ = writeln!(out, "  call         client.{}()", op.method_name);
        let security = security_of(&spec_op);
        let _ = writeln!(
            out,
            "  security     {}",
            if security.is_empty() {
                "none".into()
            } else {
                security.join(" | ")
            }
        );
        let params = spec_params(doc, &spec_op, &op.path);
        for (name, ty) in &op.params {
            if name == "body" {
                let required = spec_op
                    .get("requestBody")
                    .map(|b| resolve(doc, b))
                    .and_then(|b| b.get("required").and_then(Value::as_bool))
                    .unwrap_or(false);
                let _ = writeln!(
                    out,
                    "  body         .body({ty}){}",
                    if required { "  required" } else { "" }
                );
                continue;
            }
            let (location, api_name, extra) = params
                .iter()
                .find(|p| rust_ident(&p.1) == *name)
                .map(|p| (p.0.clone(), p.1.clone(), p.2.clone()))
                .unwrap_or_else(|| ("param".into(), name.clone(), String::new()));
            let _ = writeln!(out, "  {location:<12} {api_name}: .{name}({ty}){extra}");
        }
        let codes: Vec<String> = spec_op
            .get("responses")
            .and_then(Value::as_object)
            .map(|r| r.keys().cloned().collect())
            .unwrap_or_default();
        let (ok, err): (Vec<_>, Vec<_>) = codes.into_iter().partition(|c| c.starts_with('2'));
        let _ = writeln!(out, "  ok           {} -> {}", ok.join(" "), op.success);
        if !err.is_empty() {
            let _ = writeln!(out, "  error        {} -> {}", err.join(" "), op.error);
        }
    }

    let types = file.items.iter().find_map(|i| match i {
        Item::Mod(m) if m.ident == "types" => m.content.as_ref().map(|c| &c.1),
        _ => None,
    });
    let mut lines = Vec::new();
    for item in types.into_iter().flatten() {
        match item {
            Item::Struct(s) => {
                let mut block = String::new();
                match &s.fields {
                    Fields::Named(named) => {
                        let _ = writeln!(block, "\nstruct {}", s.ident);
                        for f in &named.named {
                            let name = f.ident.as_ref().map(|i| i.to_string()).unwrap_or_default();
                            let rename = serde_rename(&f.attrs)
                                .map(|r| format!("  (json \"{r}\")"))
                                .unwrap_or_default();
                            let _ = writeln!(block, "  {name}: {}{rename}", render_type(&f.ty));
                        }
                    }
                    Fields::Unnamed(un) => {
                        let inner: Vec<_> = un.unnamed.iter().map(|f| render_type(&f.ty)).collect();
                        let _ = writeln!(block, "\nstruct {}({})", s.ident, inner.join(", "));
                    }
                    Fields::Unit => {
                        let _ = writeln!(block, "\nstruct {}", s.ident);
                    }
                }
                lines.push(block);
            }
            Item::Enum(e) => {
                let mut block = String::new();
                let _ = writeln!(block, "\nenum {}", e.ident);
                for v in &e.variants {
                    let rename = serde_rename(&v.attrs)
                        .map(|r| format!(" = \"{r}\""))
                        .unwrap_or_default();
                    let fields = match &v.fields {
                        Fields::Unit => String::new(),
                        Fields::Unnamed(un) => format!(
                            "({})",
                            un.unnamed
                                .iter()
                                .map(|f| render_type(&f.ty))
                                .collect::<Vec<_>>()
                                .join(", ")
                        ),
                        Fields::Named(n) => format!(
                            " {{ {} }}",
                            n.named
                                .iter()
                                .map(|f| format!(
                                    "{}: {}",
                                    f.ident.as_ref().map(|i| i.to_string()).unwrap_or_default(),
                                    render_type(&f.ty)
                                ))
                                .collect::<Vec<_>>()
                                .join(", ")
                        ),
                    };
                    let _ = writeln!(block, "  {}{fields}{rename}", v.ident);
                }
                lines.push(block);
            }
            Item::Type(t) => lines.push(format!("\ntype {} = {}\n", t.ident, render_type(&t.ty))),
            _ => {}
        }
    }
    let _ = writeln!(out, "\n## Types ({})", lines.len());
    for block in lines {
        out.push_str(&block);
    }
    Ok(out)
}

/// (location, name, notes) of every parameter of the operation, path-level ones included.
fn spec_params(doc: &Value, op: &Value, path: &str) -> Vec<(String, String, String)> {
    operation_parameters(doc, op, path)
        .into_iter()
        .map(|p| {
            let location = p
                .get("in")
                .and_then(Value::as_str)
                .unwrap_or("?")
                .to_string();
            let name = p
                .get("name")
                .and_then(Value::as_str)
                .unwrap_or("?")
                .to_string();
            let mut notes = String::new();
            if p.get("required").and_then(Value::as_bool).unwrap_or(false) {
                notes.push_str("  required");
            }
            let schema = p.get("schema").map(|s| resolve(doc, s));
            if let Some(d) = schema.and_then(|s| s.get("default")) {
                let _ = write!(notes, "  default {d}");
            }
            (location, name, notes)
        })
        .collect()
}

fn security_of(op: &Value) -> Vec<String> {
    security_alternatives(op)
        .map(|req| req.keys().cloned().collect::<Vec<_>>().join(" + "))
        .collect()
}

/// Progenitor's parameter naming: snake case, with characters that are not identifier characters
/// turned into `_`.
fn rust_ident(api_name: &str) -> String {
    let mut out = String::new();
    let mut prev_lower = false;
    for c in api_name.chars() {
        if c.is_ascii_uppercase() {
            if prev_lower {
                out.push('_');
            }
            out.push(c.to_ascii_lowercase());
            prev_lower = false;
        } else if c.is_ascii_alphanumeric() {
            out.push(c);
            prev_lower = true;
        } else {
            if !out.ends_with('_') {
                out.push('_');
            }
            prev_lower = false;
        }
    }
    out
}
