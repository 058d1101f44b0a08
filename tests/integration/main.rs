//! The crate's integration tests, in one binary (one link, one run).

mod client;
mod config;
mod review;
mod secrecy;
mod support;
