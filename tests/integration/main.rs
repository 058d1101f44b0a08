//! The crate's integration tests, in one binary (one link, one run).

#[path = "../common/mod.rs"]
mod common;

mod client;
mod config;
mod hostile;
mod review;
mod sandbox;
