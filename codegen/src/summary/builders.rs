//! Reading the generated client's builders: which builder each `Client` method returns, its
//! parameters, the types `send()` answers with and the types its setters take.

use std::collections::BTreeMap;

use syn::{GenericArgument, Item, PathArguments, ReturnType, Type};

use super::render::render_type;
use crate::operations::SpecOperation;

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

impl GeneratedOperation {
    /// The type `send()` decodes on success, as the generated code names it: the summary's
    /// `Decoded<X>` → `types::X` (`None` for an answer that is not decoded into a type).
    pub fn decoded_type(&self) -> Option<syn::Type> {
        let inner = self.success.strip_prefix("Decoded<")?.strip_suffix('>')?;
        syn::parse_str(&format!("types::{inner}")).ok()
    }

    /// The type the builder's setter `setter` takes (`None` for a setter the builder lacks).
    pub fn setter_type(&self, setter: &str) -> Option<syn::Type> {
        let (_, ty) = self.setters.iter().find(|(n, _)| n == setter)?;
        syn::parse_str(ty).ok()
    }

    /// The Cargo features that build the operation (its products' features), as `doc` tags it.
    pub fn features(&self, doc: &serde_json::Value) -> Vec<String> {
        let spec_op = cashfree_openapi::operation_at(doc, &self.path, &self.http_method);
        crate::products::operation_features(spec_op)
            .into_iter()
            .collect()
    }
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
