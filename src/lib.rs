//! Typed client for Cashfree's Verification ("Secure ID") API, generated at build time from Cashfree's
//! own OpenAPI documents in `spec/`.

mod generated;

pub use generated::{Client, ClientInfo, Error, ResponseValue, builder, prelude, types};
