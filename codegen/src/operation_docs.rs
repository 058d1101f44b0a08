//! The documentation each generated operation's method on `Client` and its builder carry besides
//! progenitor's (summary, description, path, arguments): the product and its Cargo feature (shown on
//! docs.rs by `doc(cfg)`), the credentials the call takes, the request body and answer types as
//! links, the documented statuses with their error codes, and Cashfree's docs page when the spec
//! names one (`externalDocs`).
//!
//! Per-operation data is read from the merged document; the types from the generated builders
//! ([`GeneratedOperation`]). Every spec string placed in the text is made inert here: tags and codes
//! through [`inert`]/[`inert_code`], the page through [`https_page`] (anything but an https page on
//! cashfree.com is dropped). The only links are the ones this module writes, to items of the crate
//! and to that page; the build then checks the generated docs hold no doctest.
//! [`with_operation_docs`](crate::edits::with_operation_docs) attaches the text and the `doc(cfg)`
//! attribute (progenitor has no setting for either).

use std::collections::{BTreeMap, BTreeSet};

use proc_macro2::TokenStream;
use quote::quote;
use serde_json::{Map, Value};

use cashfree_openapi::{error_examples, operation_at as operation, resolve, security_alternatives};

use crate::doc_text::{https_page, inert, inert_code};
use crate::error_codes::variant_name;
use crate::operations::SpecOperation;
use crate::products::operation_features;
use crate::summary::GeneratedOperation;

/// The security schemes that form one Cashfree app's credentials and the `ClientBuilder` method
/// that sets them: the same pairs as the client's `config::APPS` (its tests compare the two through
/// the generated docs).
pub const APP_SETTERS: [(&str, &str, &str); 2] = [
    ("XClientID", "XClientSecret", "credentials"),
    ("UVXClientID", "UVXClientSecret", "one_click_credentials"),
];

/// What one operation's method and builder get.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OperationDoc {
    /// The method on `Client`.
    pub method: String,
    /// Its products' Cargo features (those of its tags).
    pub features: Vec<String>,
    /// The Markdown appended to progenitor's docs.
    pub text: String,
}

/// The docs of every operation of `ops`, read from `doc` (the merged document).
pub fn operation_docs(doc: &Value, ops: &[GeneratedOperation]) -> Vec<OperationDoc> {
    ops.iter()
        .map(|op| {
            let spec_op = operation(doc, &op.path, &op.http_method);
            let features: Vec<String> = operation_features(spec_op).into_iter().collect();
            OperationDoc {
                method: op.method_name.clone(),
                text: text(doc, spec_op, op, &features),
                features,
            }
        })
        .collect()
}

/// `#[cfg_attr(docsrs, doc(cfg(feature = "pan")))]` (`any(..)` for several): what docs.rs shows as
/// "Available on crate feature pan only". The generated items exist only when a feature is on (the
/// build generates the enabled products), so this documents the condition; it enforces nothing.
pub fn doc_cfg(features: &[String]) -> TokenStream {
    let conditions = features.iter().map(|f| quote! { feature = #f });
    match features {
        [] => TokenStream::new(),
        [_] => quote! { #[cfg_attr(docsrs, doc(cfg(#(#conditions)*)))] },
        _ => quote! { #[cfg_attr(docsrs, doc(cfg(any(#(#conditions),*))))] },
    }
}

fn text(doc: &Value, spec_op: &Value, op: &GeneratedOperation, features: &[String]) -> String {
    let mut out = String::from("\n");
    let tags: Vec<String> = crate::products::tags_of(spec_op).map(inert).collect();
    let features_text = crate::products::features_listed(features);
    let product = if tags.is_empty() {
        "untagged".to_string()
    } else {
        tags.join(", ")
    };
    out.push_str(&format!(
        "**Product**: {product} (Cargo feature {features_text}; [every operation by product](crate::operations)).\n\n"
    ));
    out.push_str(&format!(
        "**Credentials**: {}.\n\n",
        credentials(doc, spec_op)
    ));
    if let Some(body) = setter_link(op, "body") {
        out.push_str(&format!(
            "**Request body**: {body}, or its builder (`.body(..)` or `.body_map(..)`).\n\n"
        ));
    }
    out.push_str(&format!("**Answer**: {}.\n\n", answer(op)));
    out.push_str("**Documented statuses**:\n");
    for line in statuses(doc, spec_op) {
        out.push_str(&format!("- {line}\n"));
    }
    if let Some(page) = spec_op
        .pointer("/externalDocs/url")
        .and_then(Value::as_str)
        .and_then(https_page)
    {
        out.push_str(&format!("\n**Cashfree's docs**: [{page}]({page})\n"));
    }
    out
}

/// The credentials line: each alternative of the operation's security requirements.
fn credentials(doc: &Value, spec_op: &Value) -> String {
    let alternatives: Vec<String> = security_alternatives(spec_op)
        .map(|alt| alternative(doc, alt))
        .collect();
    match alternatives.len() {
        0 => "none".to_string(),
        1 => alternatives.into_iter().next().unwrap_or_default(),
        _ => format!("one of: {}", alternatives.join("; or ")),
    }
}

fn alternative(doc: &Value, alt: &Map<String, Value>) -> String {
    let mut left: BTreeSet<&str> = alt.keys().map(String::as_str).collect();
    let mut parts = Vec::new();
    for (id, secret, setter) in APP_SETTERS {
        if left.contains(id) && left.contains(secret) {
            left.remove(id);
            left.remove(secret);
            parts.push(format!(
                "`{id}` + `{secret}`, set with [`ClientBuilder::{setter}`](crate::ClientBuilder::{setter})"
            ));
        }
    }
    for name in left {
        let scheme = doc
            .pointer(&format!(
                "/components/securitySchemes/{}",
                cashfree_openapi::escape_pointer(name)
            ))
            .map(|s| resolve(doc, s))
            .unwrap_or(&Value::Null);
        let bearer = scheme.get("type").and_then(Value::as_str) == Some("http")
            && scheme
                .get("scheme")
                .and_then(Value::as_str)
                .is_some_and(|s| s.eq_ignore_ascii_case("bearer"));
        parts.push(if bearer {
            format!(
                "{} (HTTP bearer): the end user's access token, given on each call with `.authorization(token)`",
                inert_code(name)
            )
        } else {
            format!(
                "{}, set with [`ClientBuilder::scheme_credential`](crate::ClientBuilder::scheme_credential)",
                inert_code(name)
            )
        });
    }
    parts.join(" and ")
}

/// `[`X`](crate::types::X)` for the type a setter takes (`types::X`), when it is one.
fn setter_link(op: &GeneratedOperation, setter: &str) -> Option<String> {
    let (_, ty) = op.setters.iter().find(|(n, _)| n == setter)?;
    let ty: String = ty.split_whitespace().collect();
    type_link(ty.strip_prefix("types::")?)
}

fn type_link(name: &str) -> Option<String> {
    let plain = name.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    plain.then(|| format!("[`{name}`](crate::types::{name})"))
}

fn answer(op: &GeneratedOperation) -> String {
    let decoded = op
        .success
        .strip_prefix("Decoded<")
        .and_then(|s| s.strip_suffix('>'))
        .and_then(type_link);
    match decoded {
        Some(link) => format!(
            "{link}, in a [`Decoded`](crate::wire::Decoded) that keeps the body as sent; `?` turns an error into [`Error`](crate::Error)"
        ),
        None => format!(
            "{}; `?` turns an error into [`Error`](crate::Error)",
            inert_code(&op.success)
        ),
    }
}

/// One line per documented status, in numeric order: a success, or the error codes its examples
/// document, each linked to its [`ErrorCode`] variant (the enum has every code of every operation,
/// whatever products are enabled, so the links always resolve).
fn statuses(doc: &Value, spec_op: &Value) -> Vec<String> {
    let mut codes: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for (status, example) in error_examples(doc, spec_op) {
        if let Some(code) = example.get("code").and_then(Value::as_str) {
            let list = codes.entry(status.as_str()).or_default();
            if !list.contains(&code) {
                list.push(code);
            }
        }
    }
    let mut keys: Vec<&String> = spec_op
        .get("responses")
        .and_then(Value::as_object)
        .into_iter()
        .flat_map(|r| r.keys())
        .collect();
    keys.sort_by_key(|k| (k.parse::<u16>().unwrap_or(u16::MAX), k.to_string()));
    keys.into_iter()
        .map(|status| {
            let shown = inert_code(status);
            if status.starts_with('2') {
                return format!("{shown}: success");
            }
            match codes.get(status.as_str()) {
                Some(list) => {
                    let links: Vec<String> = list
                        .iter()
                        .map(|code| {
                            format!(
                                "[{}](crate::ErrorCode::{})",
                                inert_code(code),
                                variant_name(code)
                            )
                        })
                        .collect();
                    format!("{shown}: {}", links.join(", "))
                }
                None => format!("{shown}: no error code documented"),
            }
        })
        .collect()
}

/// The operations index (the docs of the crate's `operations` module): every operation of `doc`
/// (`all`) under its product and Cargo feature, with its method on `Client` and its request. The
/// methods of this build (`built`) are links; the others are named, with the feature that generates
/// them, so that a build without a product has no broken link and still says how to get it.
pub fn operations_index(
    doc: &Value,
    built: &[GeneratedOperation],
    all: &[SpecOperation],
) -> String {
    // feature -> (its tags as written, its operations in document order)
    let mut products: BTreeMap<String, (BTreeSet<String>, Vec<&SpecOperation>)> = BTreeMap::new();
    for op in all {
        let spec_op = operation(doc, &op.path, &op.http_method);
        let tags: Vec<&str> = crate::products::tags_of(spec_op).collect();
        for feature in operation_features(spec_op) {
            let entry = products.entry(feature.clone()).or_default();
            entry.0.extend(
                tags.iter()
                    .filter(|t| crate::products::feature_name(t) == feature)
                    .map(|t| inert(t)),
            );
            entry.1.push(op);
        }
    }
    let built: BTreeSet<&str> = built.iter().map(|o| o.method_name.as_str()).collect();
    let mut out = String::from(
        "Every operation of Cashfree's Verification API, by product: the Cargo feature that \
         generates it, its method on [`Client`](crate::Client) and the request it sends. Each \
         method's page says which credentials it takes, its request and answer types, and its \
         documented statuses and error codes. A method of a product this build does not enable is \
         named without a link: add its feature to the dependency \
         (`features = [\"pan\", \"bav-v2\"]`); docs.rs builds every product.\n",
    );
    for (feature, (tags, ops)) in &products {
        let name = if tags.is_empty() {
            "untagged".to_string()
        } else {
            tags.iter().cloned().collect::<Vec<_>>().join(", ")
        };
        let on = ops.iter().any(|op| built.contains(op.method_name.as_str()));
        let state = if on {
            ""
        } else {
            ", not enabled in this build"
        };
        out.push_str(&format!(
            "\n## {name}\n\nFeature `{feature}`{state}.\n\n| method | request |\n| --- | --- |\n"
        ));
        for op in ops {
            let method = &op.method_name;
            let shown = if built.contains(method.as_str()) {
                format!("[`{method}`](crate::Client::{method})")
            } else {
                format!("`{method}`")
            };
            let request = inert_code(&format!("{} {}", op.http_method, op.path));
            out.push_str(&format!("| {shown} | {request} |\n"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn generated(method: &str, success: &str, body: &str) -> GeneratedOperation {
        GeneratedOperation {
            method_name: method.into(),
            operation_id: "X".into(),
            http_method: "POST".into(),
            path: "/x".into(),
            params: Vec::new(),
            success: success.into(),
            error: "ErrorResponseSchema".into(),
            setters: vec![("body".into(), body.into())],
        }
    }

    #[test]
    fn a_single_feature_and_several() {
        assert_eq!(
            doc_cfg(&["pan".into()]).to_string(),
            quote! { #[cfg_attr(docsrs, doc(cfg(feature = "pan")))] }.to_string()
        );
        assert_eq!(
            doc_cfg(&["a".into(), "b".into()]).to_string(),
            quote! { #[cfg_attr(docsrs, doc(cfg(any(feature = "a", feature = "b"))))] }.to_string()
        );
    }

    #[test]
    fn names_feature_credentials_types_statuses_and_page() {
        let doc = serde_json::json!({
            "paths": {"/x": {"post": {
                "tags": ["BAV V2"],
                "security": [{"XClientID": [], "XClientSecret": []}, {"bearerAuth": []}],
                "externalDocs": {"url": "https://www.cashfree.com/docs/x"},
                "responses": {
                    "200": {"description": "ok"},
                    "409": {"description": "used", "content": {"application/json": {
                        "example": {"code": "verification_id_already_exists", "type": "validation_error"}
                    }}},
                    "500": {"description": "down"}
                }
            }}},
            "components": {"securitySchemes": {"bearerAuth": {"type": "http", "scheme": "bearer"}}}
        });
        let ops = [generated(
            "x",
            "Decoded<XAnswer>",
            "types :: XRequestSchema",
        )];
        let docs = operation_docs(&doc, &ops);
        assert_eq!(docs[0].features, ["bav-v2"]);
        let text = &docs[0].text;
        for expected in [
            "**Product**: BAV V2 (Cargo feature `bav-v2`",
            "`XClientID` + `XClientSecret`, set with [`ClientBuilder::credentials`](crate::ClientBuilder::credentials); or `bearerAuth` (HTTP bearer)",
            "[`XRequestSchema`](crate::types::XRequestSchema)",
            "[`XAnswer`](crate::types::XAnswer), in a [`Decoded`](crate::wire::Decoded)",
            "- `200`: success\n- `409`: [`verification_id_already_exists`](crate::ErrorCode::VerificationIdAlreadyExists)\n- `500`: no error code documented\n",
            "[https://www.cashfree.com/docs/x](https://www.cashfree.com/docs/x)",
        ] {
            assert!(text.contains(expected), "{expected}\nnot in\n{text}");
        }
    }

    #[test]
    fn the_index_links_what_this_build_has_and_names_the_feature_of_the_rest() {
        let doc = serde_json::json!({"paths": {
            "/pan": {"post": {"operationId": "VrsPan", "tags": ["PAN"]}},
            "/gstin": {"post": {"operationId": "VrsGstin", "tags": ["GSTIN"]}},
            "/x|y": {"get": {"operationId": "Odd", "tags": ["[x](javascript:y)"]}}
        }});
        let all = crate::operations::spec_operations(&doc).unwrap();
        let built = [GeneratedOperation {
            path: "/pan".into(),
            ..generated("vrs_pan", "Decoded<A>", "types :: B")
        }];
        let index = operations_index(&doc, &built, &all);
        assert!(
            index.contains("## PAN\n\nFeature `pan`.\n\n| method | request |\n| --- | --- |\n| [`vrs_pan`](crate::Client::vrs_pan) | `POST /pan` |\n"),
            "{index}"
        );
        assert!(
            index.contains("## GSTIN\n\nFeature `gstin`, not enabled in this build.\n\n| method | request |\n| --- | --- |\n| `vrs_gstin` | `POST /gstin` |\n"),
            "{index}"
        );
        // Spec strings stay text: no link, and a `|` cannot split a table cell.
        assert!(
            index.contains("## \\[x\\]\\(javascript\\:y\\)\n"),
            "{index}"
        );
        assert!(index.contains("| `odd` | GET \\/x\\|y |"), "{index}");
    }
}
