//! The generated `Event` enum and event table, included from `$OUT_DIR` (review copy:
//! `api/webhooks.rs`). Nothing handwritten goes in this file.
#![allow(missing_docs, clippy::all, rustdoc::all)]

include!(concat!(env!("OUT_DIR"), "/webhooks.rs"));
