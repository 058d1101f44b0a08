//! The build pipeline of `cashfree-verification`: load Cashfree's per-operation OpenAPI documents from
//! `spec/`, apply the overlays in `spec/overlays/`, merge, and generate the client with progenitor.
//!
//! `build.rs` calls [`build::run`]; the `cashfree-codegen` binary uses the same functions to import specs
//! and to refresh the review copies in `api/`.

pub mod compare;
pub mod generate;
pub mod merge;
pub mod overlay;
pub mod problem;
pub mod source;
pub mod pipeline;
pub mod summary;
pub mod review;
pub mod build_script;
pub mod import;
