//! The build pipeline of `cashfree-verification`: load Cashfree's per-operation OpenAPI documents from
//! `spec/`, apply the overlays in `spec/overlays/`, merge, and generate the client with progenitor.
//!
//! `build.rs` calls [`build_script::run`]; the `cashfree-codegen` binary uses the same functions to import specs
//! and to refresh the review copies in `api/`.

pub mod acknowledged;
pub mod build_script;
pub mod call_json;
pub mod compare;
pub mod cycles;
pub mod defaults;
#[cfg(feature = "cli")]
pub mod diff;
pub mod doc_text;
pub mod edits;
pub mod error_codes;
pub mod fingerprint;
pub mod generate;
pub mod generated_file;
#[cfg(feature = "cli")]
pub mod import;
#[cfg(feature = "cli")]
pub mod manifest;
pub mod merge;
pub mod meta;
pub mod not_built;
pub mod operation_docs;
pub mod operations;
pub mod overlay;
pub mod pipeline;
pub mod problem;
pub mod products;
pub mod rate_limits;
pub mod reconcile;
#[cfg(feature = "cli")]
pub mod review;
pub mod rules;
pub mod source;
pub mod spec_dir;
pub mod summary;
pub mod waits;
pub mod webhooks;
