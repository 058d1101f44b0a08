//! The client's side of the waits: the `WAITS` table (`crate::wait::Pair`) and, for each pair of
//! this build's products, a `<create>_and_wait` method (start, then poll) and a `<create>_wait`
//! method (poll a verification already started), read from the merged document's
//! [`WAIT`](super::WAIT) extensions (read by [`cashfree_openapi::wait`]). Only names checked as identifiers and the reviewed values (as
//! string literals, made inert in docs) reach the generated code.

use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;
use serde_json::Value;

use cashfree_openapi::wait::{IdSource, Wait, waits_of};

use crate::doc_text::inert_code;
use crate::summary::GeneratedOperation;

/// The tokens of the table and the methods, for the metadata module.
///
/// # Errors
/// A wait whose operations are enabled but whose answers are not decoded into a type, or whose
/// parameter has no setter.
pub fn wait_tokens(doc: &Value, ops: &[GeneratedOperation]) -> Result<TokenStream, String> {
    let by_id = |id: &str| ops.iter().find(|o| o.operation_id == id);
    let mut table = Vec::new();
    let mut methods = Vec::new();
    let mut problems = Vec::new();
    let all = waits_of(doc);
    for wait in &all {
        let create_id = &wait.create;
        // A create with more than one status operation names each wait after it.
        let shared = all.iter().filter(|w| w.create == *create_id).count() > 1;
        // Both operations must be in this build (their products enabled).
        let (Some(create), Some(status)) = (by_id(create_id), by_id(&wait.status)) else {
            continue;
        };
        let index = table.len();
        let conflicts = documented_conflicts(doc, create_id);
        let suffix = if shared {
            format!("_via_{}", status.method_name)
        } else {
            String::new()
        };
        let cfg = crate::operation_docs::doc_cfg(&create.features(doc));
        match pair_tokens(create, status, wait, &conflicts, &suffix, index, &cfg) {
            Ok((entry, method)) => {
                table.push(entry);
                methods.push(method);
            }
            Err(e) => problems.push(format!("wait {create_id} -> {}: {e}", wait.status)),
        }
    }
    if !problems.is_empty() {
        return Err(problems.join("\n"));
    }
    Ok(quote! {
        /// Every create-then-poll pair of this build's products (`spec/waits/`).
        pub(crate) static WAITS: &[crate::wait::Pair] = &[#(#table),*];
        #(#methods)*
    })
}
/// The error codes the create `operation_id` documents for 409 (a caller id used before).
fn documented_conflicts(doc: &Value, operation_id: &str) -> Vec<String> {
    let Some((_, _, op)) = cashfree_openapi::operations_of(doc)
        .find(|(_, _, op)| op.get("operationId").and_then(Value::as_str) == Some(operation_id))
    else {
        return Vec::new();
    };
    cashfree_openapi::error_examples(doc, op)
        .into_iter()
        .filter(|(status, _)| status.as_str() == "409")
        .filter_map(|(_, v)| v.get("code").and_then(Value::as_str).map(String::from))
        .collect()
}

fn pair_tokens(
    create: &GeneratedOperation,
    status: &GeneratedOperation,
    wait: &Wait,
    conflicts: &[String],
    suffix: &str,
    index: usize,
    cfg: &TokenStream,
) -> Result<(TokenStream, TokenStream), String> {
    let answer = status.decoded_type().ok_or_else(|| {
        format!(
            "{} answers {}, not a decoded type",
            status.method_name, status.success
        )
    })?;
    let body = create
        .setter_type("body")
        .ok_or_else(|| format!("{} takes no body", create.method_name))?;
    let (create_name, status_name) = (&create.method_name, &status.method_name);
    let mut links = Vec::new();
    let mut sets = Vec::new();
    for link in &wait.ids {
        let setter = crate::summary::rust_ident(&link.parameter);
        let ty = status
            .setter_type(&setter)
            .ok_or_else(|| format!("{status_name} has no setter {setter}"))?;
        let parameter = &link.parameter;
        let from = match &link.source {
            IdSource::Request(name) => quote! { crate::wait::IdSource::Request(#name) },
            IdSource::Response(name) => quote! { crate::wait::IdSource::Response(#name) },
        };
        links.push(
            quote! { crate::wait::Link { parameter: #parameter, setter: #setter, from: #from } },
        );
        let ident = Ident::new(&setter, Span::call_site());
        sets.push(quote! {
            #setter => call = call.#ident(id_argument::<#ty>(#status_name, #setter, &value)?),
        });
    }
    let (field, pending, terminal) = (&wait.field, &wait.pending, &wait.terminal);
    let mut conflicts = conflicts.to_vec();
    conflicts.sort();
    conflicts.dedup();
    let duplicate = &wait.duplicate;
    let source = &wait.source;
    let entry = quote! {
        crate::wait::Pair {
            create: #create_name,
            status: #status_name,
            ids: &[#(#links),*],
            field: #field,
            pending: &[#(#pending),*],
            terminal: &[#(#terminal),*],
            conflicts: &[#(#conflicts),*],
            duplicate: &[#(#duplicate),*],
            source: #source,
        }
    };
    let and_wait = Ident::new(
        &format!("{create_name}_and_wait{suffix}"),
        Span::call_site(),
    );
    let just_wait = Ident::new(&format!("{create_name}_wait{suffix}"), Span::call_site());
    let poll_fn = Ident::new(&format!("wait_status_{index}"), Span::call_site());
    let create_ident = Ident::new(create_name, Span::call_site());
    let status_ident = Ident::new(status_name, Span::call_site());
    let list = |v: &[String]| {
        if v.is_empty() {
            "none".to_string()
        } else {
            v.iter()
                .map(|s| inert_code(s.as_str()))
                .collect::<Vec<_>>()
                .join(", ")
        }
    };
    let values = format!(
        "Pending statuses (at {}): {}. Terminal: {}.",
        inert_code(field),
        list(pending),
        list(terminal)
    );
    let doc_and_wait = format!(
        "Starts a verification with [`Client::{create_name}`](crate::Client::{create_name}) (sent once) and waits for its outcome \
         through [`Client::{status_name}`](crate::Client::{status_name}) ([`wait`](crate::wait)).\n\n{values}\n\n\
         # Errors\nThe create's or a poll's error; [`ErrorKind::WaitDeadline`](crate::ErrorKind::WaitDeadline) \
         naming the last status. A create whose answer was lost, or refused for a caller id used \
         before, is looked up by that id under \
         [`ClientBuilder::resolve_ambiguous_creates`](crate::ClientBuilder::resolve_ambiguous_creates), \
         and otherwise fails naming it ([`Error::first_attempt`](crate::Error::first_attempt))."
    );
    let doc_wait = format!(
        "Waits for the outcome of a verification started with [`Client::{create_name}`](crate::Client::{create_name}), polling \
         [`Client::{status_name}`](crate::Client::{status_name}) with the ids of `started` ([`wait`](crate::wait)).\n\n{values}\n\n\
         # Errors\nA poll's error, or [`ErrorKind::WaitDeadline`](crate::ErrorKind::WaitDeadline)."
    );
    let method = quote! {
        impl crate::Client {
            #[doc = #doc_and_wait]
            #cfg
            pub async fn #and_wait<B>(
                &self,
                body: B,
                wait: &crate::wait::Wait,
            ) -> Result<crate::wait::Waited<#answer>, crate::Error>
            where
                B: TryInto<#body>,
                B::Error: std::fmt::Display,
            {
                let body: #body = body
                    .try_into()
                    .map_err(|e| crate::Error::invalid_argument(#create_name, "body", e))?;
                crate::wait::create_then_wait(
                    self,
                    &WAITS[#index],
                    wait,
                    body,
                    |body| async move {
                        Ok::<_, crate::Error>(self.#create_ident().body(body).send().await?.into_inner())
                    },
                    |ids| #poll_fn(self, ids),
                )
                .await
            }

            #[doc = #doc_wait]
            #cfg
            pub async fn #just_wait(
                &self,
                started: &crate::wait::Started,
                wait: &crate::wait::Wait,
            ) -> Result<crate::wait::Waited<#answer>, crate::Error> {
                crate::wait::poll(&WAITS[#index], wait, started, crate::wait::Resolution::Polled, |ids| {
                    #poll_fn(self, ids)
                })
                .await
            }
        }

        async fn #poll_fn(
            client: &crate::Client,
            ids: Vec<(&'static str, serde_json::Value)>,
        ) -> Result<crate::wire::Decoded<#answer>, crate::Error> {
            let mut call = client.#status_ident();
            for (setter, value) in ids {
                match setter {
                    #(#sets)*
                    _ => {}
                }
            }
            Ok(call.send().await?.into_inner())
        }
    };
    Ok((entry, method))
}
