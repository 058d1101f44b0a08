//! The generated code, included from `$OUT_DIR` (review copies: `api/client.rs`, `api/meta.rs`).
//!
//! Nothing handwritten goes in this file: it only includes the generated code and sets the lints that
//! generated code cannot meet (progenitor's builder methods carry no docs), but not broken links.
#![allow(
    missing_docs,
    missing_debug_implementations,
    unused_imports,
    unused_mut,
    unused_variables,
    dead_code,
    clippy::all,
    rustdoc::all
)]
// The links the build writes into the operations' docs (types, error codes, builder methods) must
// resolve; spec text is escaped and makes none.
#![warn(rustdoc::broken_intra_doc_links)]

include!(concat!(env!("OUT_DIR"), "/codegen.rs"));

/// Operations, security schemes and error codes, generated from the merged spec.
pub mod meta {
    include!(concat!(env!("OUT_DIR"), "/meta.rs"));
}
