//! The types of the generated client, rendered compactly for the summary's "Types" section.

use std::fmt::Write as _;

use syn::{Fields, GenericArgument, Item, PathArguments, Type};

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

/// The "Types" section: one block per struct, enum and alias of the generated `types` module.
pub(super) fn types_section(file: &syn::File, out: &mut String) {
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
}
