//! Running progenitor on the merged document and formatting the result.
//!
//! Settings, and why:
//! - **Builder interface** (`InterfaceStyle::Builder`): Cashfree adds optional fields and headers over
//!   time; with builders a new optional parameter is a new method, not a breaking change to every call.
//! - **Merged tags** (`TagStyle::Merged`): one `Client` with every operation. Cashfree's tags (`Auth`,
//!   `1-Click`) are documentation, and separate traits per tag would make users import traits per product.
//! - **Inner type `crate::config::Settings` and `HooksMode::Expected`**: credentials, signing, the API
//!   version, retries and tracing go in through progenitor's `ClientHooks` (implemented by hand in
//!   `src/hooks.rs`), never by editing generated text; `Expected` makes a missing implementation a
//!   compile error rather than a silent fallback to no auth.
//! - **No extra derives or type patches** here: corrections to types belong in the overlay data, where they
//!   are reviewable next to the spec, not in generator settings.

use std::panic::{AssertUnwindSafe, catch_unwind};

use progenitor::{CrateVers, GenerationSettings, Generator, HooksMode, InterfaceStyle, TagStyle};
use quote::quote;
use serde_json::Value;

use crate::doc_text::{doc_attributes, doctest_lines, neutralize_document};
use crate::edits::{
    with_client_made_by_the_builder, with_operation_docs, with_wire_decoding,
    without_api_version_header,
};
use crate::operation_docs::operation_docs;
use crate::operations::{SpecOperation, with_method_names};
use crate::rules::{RUST_NAME, apply_generation_rules};

/// Progenitor's settings for this crate.
pub fn settings() -> GenerationSettings {
    let mut settings = GenerationSettings::new();
    settings
        .with_interface(InterfaceStyle::Builder)
        .with_tag(TagStyle::Merged)
        .with_inner_type(quote!(crate::config::Settings))
        // Binary multipart parts are the handwritten `FilePart` (see `crate::rules`); the
        // crate names itself `cashfree_verification` (`extern crate self`) so the path resolves.
        .with_crate("cashfree-verification", CrateVers::Any, None)
        .with_hooks(HooksMode::Expected);
    settings
}

/// Generates the client for `merged`, whose operations are `ops`: the syntax tree and its formatted
/// source.
///
/// Progenitor sees a copy of the document in which each operationId is the method name of
/// [`operations`](crate::operations) and every description, summary and title is
/// [neutralized](crate::doc_text::neutralize); the generated docs are then checked to hold no code block
/// rustdoc would run. Progenitor reports some unsupported inputs by panicking; the panic is caught and
/// turned into an ordinary error so a build script never dies with a backtrace.
///
/// # Errors
/// The document is not readable as OpenAPI, progenitor cannot generate code for it, or a generated
/// doc comment would hold a doctest.
pub fn generate_client(
    merged: &Value,
    ops: &[SpecOperation],
) -> Result<(syn::File, String), String> {
    let mut input = with_method_names(merged, ops);
    neutralize_document(&mut input);
    apply_generation_rules(&mut input)?;
    let spec: openapiv3::OpenAPI = serde_json::from_value(input)
        .map_err(|e| format!("the merged document is not valid OpenAPI 3.0: {e}"))?;
    let tokens = quiet_catch(|| Generator::new(&settings()).generate_tokens(&spec))
        .map_err(|panic| format!("progenitor could not generate the client: {panic}"))?
        .map_err(|e| format!("progenitor could not generate the client: {e}"))?;
    let (tokens, decoders) = with_wire_decoding(tokens);
    if decoders.replaced != decoders.seen {
        return Err(format!(
            "progenitor decodes {} answers in a way the build does not recognise ({} of {} calls of `from_response` were `ResponseValue::from_response`); the wire rules would not apply to them",
            decoders.seen - decoders.replaced,
            decoders.replaced,
            decoders.seen
        ));
    }
    let mut file: syn::File = syn::parse2(tokens)
        .map_err(|e| format!("progenitor produced code that does not parse: {e}"))?;
    without_api_version_header(&mut file);
    let generated = crate::summary::generated_operations(&file, ops)?;
    with_operation_docs(&mut file, &operation_docs(merged, &generated))?;
    with_client_made_by_the_builder(&mut file)?;
    no_doctest(&file)?;
    let twice = duplicate_type_names(&file);
    if !twice.is_empty() {
        return Err(format!(
            "two schemas become the same Rust type {}: give an inline schema a `title`, or a component an `{RUST_NAME}`, with an overlay",
            twice.join(", ")
        ));
    }
    let text = crate::generated_file::unparse(&file);
    Ok((file, text))
}

/// Fails when a doc comment of `file` would hold a code block rustdoc compiles: spec text (or
/// anything built from it) must never become a doctest.
fn no_doctest(file: &syn::File) -> Result<(), String> {
    for doc in doc_attributes(quote::ToTokens::to_token_stream(file)) {
        if let Some(line) = doctest_lines(&doc).first() {
            let shown: String = doc
                .lines()
                .nth(line - 1)
                .unwrap_or("")
                .chars()
                .take(80)
                .collect();
            return Err(format!(
                "a generated doc comment would hold a doctest (line {line}: {shown:?}); spec text must never become code"
            ));
        }
    }
    Ok(())
}

fn duplicate_type_names(file: &syn::File) -> Vec<String> {
    let mut seen = std::collections::BTreeSet::new();
    let mut twice = Vec::new();
    for item in &file.items {
        let syn::Item::Mod(m) = item else { continue };
        if m.ident != "types" {
            continue;
        }
        for item in m.content.iter().flat_map(|(_, items)| items) {
            let name = match item {
                syn::Item::Struct(s) => &s.ident,
                syn::Item::Enum(e) => &e.ident,
                syn::Item::Type(t) => &t.ident,
                _ => continue,
            };
            if !seen.insert(name.to_string()) {
                twice.push(name.to_string());
            }
        }
    }
    twice
}

/// Runs `f`, turning a panic into `Err(message)` without printing the default panic report.
///
/// The panic hook is never swapped per call (that races with panics on other threads): one hook,
/// installed once, stays silent for the threads inside `quiet_catch` and hands every other panic to
/// the hook that was there before.
fn quiet_catch<T>(f: impl FnOnce() -> T) -> Result<T, String> {
    use std::cell::Cell;
    thread_local! {
        static QUIET: Cell<bool> = const { Cell::new(false) };
    }
    static INSTALL: std::sync::Once = std::sync::Once::new();
    INSTALL.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !QUIET.with(Cell::get) {
                previous(info);
            }
        }));
    });
    let was = QUIET.with(|q| q.replace(true));
    let result = catch_unwind(AssertUnwindSafe(f));
    QUIET.with(|q| q.set(was));
    result.map_err(|payload| {
        payload
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| payload.downcast_ref::<&str>().map(|s| s.to_string()))
            .unwrap_or_else(|| "it panicked without a message".into())
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::operations::spec_operations;

    /// The one edit of progenitor's output: if a progenitor release decodes answers another way,
    /// this fails (and so does the build, which counts every `from_response`).
    #[test]
    fn a_panic_is_an_error_and_other_threads_still_report_theirs() {
        assert_eq!(
            quiet_catch(|| -> u8 { panic!("typify gave up") }),
            Err("typify gave up".to_string())
        );
        assert_eq!(quiet_catch(|| 7), Ok(7));
        // Each thread has its own flag: a catch on another thread works the same.
        let other = std::thread::spawn(|| quiet_catch(|| -> u8 { panic!("{}", 42) }));
        assert_eq!(other.join().unwrap(), Err("42".to_string()));
    }

    #[test]
    fn answers_decode_through_the_wire_rules_and_successes_keep_their_body() {
        let doc = serde_json::json!({
            "openapi": "3.0.0",
            "info": {"title": "T", "version": "1"},
            "paths": {"/pan": {"post": {
                "operationId": "VrsPan",
                "responses": {
                    "200": {"description": "ok", "content": {"application/json": {"schema": {
                        "type": "object", "properties": {"pan": {"type": "string"}}
                    }}}},
                    "400": {"description": "bad", "content": {"application/json": {"schema": {
                        "$ref": "#/components/schemas/ErrorResponseSchema"
                    }}}}
                }
            }}},
            "components": {"schemas": {"ErrorResponseSchema": {"type": "object", "properties": {
                "type": {"type": "string"}, "code": {"type": "string"}, "message": {"type": "string"}
            }}}}
        });
        let ops = spec_operations(&doc).unwrap();
        let (_, text) = generate_client(&doc, &ops).unwrap();
        let compact: String = text.split_whitespace().collect();
        assert!(
            compact.contains("200u16=>crate::wire::from_response(response).await"),
            "{text}"
        );
        assert!(
            compact.contains(
                "Error::ErrorResponse(crate::wire::error_from_response(response).await?,)"
            ) || compact.contains(
                "Error::ErrorResponse(crate::wire::error_from_response(response).await?)"
            ),
            "{text}"
        );
        assert!(!compact.contains("ResponseValue::from_response"), "{text}");
        // The inline answer keeps progenitor's name, wrapped in `Decoded`.
        assert!(
            compact.contains(
                "ResponseValue<::cashfree_verification::wire::Decoded<types::VrsPanResponse>>"
            ),
            "{text}"
        );
        assert!(compact.contains("pubstructVrsPanResponse{"), "{text}");
    }

    #[test]
    fn the_unusable_constructors_are_hidden_and_client_says_how_to_make_one() {
        let doc = serde_json::json!({
            "openapi": "3.0.0",
            "info": {"title": "T", "version": "1"},
            "paths": {"/pan": {"post": {
                "operationId": "VrsPan", "tags": ["PAN"],
                "responses": {"200": {"description": "ok"}}
            }}}
        });
        let ops = spec_operations(&doc).unwrap();
        let (file, text) = generate_client(&doc, &ops).unwrap();
        let compact: String = text.split_whitespace().collect();
        assert!(
            compact.contains("#[doc(hidden)]pubfnnew(baseurl:&str"),
            "{text}"
        );
        assert!(
            compact.contains("#[doc(hidden)]pubfnnew_with_client("),
            "{text}"
        );
        let docs = crate::doc_text::doc_attributes(quote::ToTokens::to_token_stream(&file));
        assert!(
            docs.iter().any(|d| d == crate::edits::CLIENT_DOC),
            "{docs:?}"
        );
        // The operation's own section and its feature badge.
        assert!(
            docs.iter()
                .any(|d| d.contains("**Product**: PAN (Cargo feature `pan`")),
            "{docs:?}"
        );
        assert!(
            compact.contains(r#"#[cfg_attr(docsrs,doc(cfg(feature="pan")))]pubfnvrs_pan("#),
            "{text}"
        );
    }
}
