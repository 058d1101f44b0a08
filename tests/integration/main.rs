//! The crate's integration tests, in one binary (one link, one run).

// The tests that call every operation are compiled with `all-products` only; without it, what they
// import goes unused.
#![cfg_attr(not(feature = "all-products"), allow(unused_imports))]

#[path = "../common/mod.rs"]
mod common;

mod client;
mod config;
mod documented_answers;
mod hostile;
mod rate_limits;
mod review;
mod sandbox;
mod signing;
mod waits;
mod webhook_round_trip;
mod webhooks;
