#![doc = include_str!("../README.md")]
// docs.rs (`--cfg docsrs`, nightly) shows each product's feature on its operations.
#![cfg_attr(docsrs, feature(doc_cfg))]
#![forbid(unsafe_code)]

// Generated types name handwritten ones by crate path (`::cashfree_verification::FilePart`), as
// typify's `x-rust-type` does; this makes that path resolve inside the crate too.
extern crate self as cashfree_verification;

mod call;
pub mod config;
pub mod error;
pub mod expiry;
mod generated;
pub mod local_file;
mod needs_feature;
pub mod rate_limit;
pub mod retry;
#[cfg(feature = "signing")]
pub mod signing;
pub mod spec;
pub mod tls;
pub mod upload;
pub mod wait;
pub mod webhook;
pub mod wire;

pub use call::api_version::DEFAULT_API_VERSION;
pub use call::user_agent::USER_AGENT_VALUE;
pub use config::{ClientBuilder, Environment};
pub use error::{Error, ErrorCode, ErrorKind};
pub use expiry::{Expiry, parse_expiry};
pub use generated::meta::operations;
pub use generated::{Client, ResponseValue, builder, prelude, types};
pub use needs_feature::NeedsCargoFeature;
pub use retry::RetryPolicy;
pub use upload::FilePart;

/// Progenitor's error type, returned by the generated `send()` methods; `?` converts it into [`Error`].
/// A call that got no answer arrives here as an `UnexpectedResponse` of status 999 carrying the
/// failure, its operation and elapsed time, which the conversion reads back: convert before matching.
pub type GeneratedError<E> = generated::Error<E>;

impl Client {
    /// A [`ClientBuilder`] with every default (sandbox, no credentials).
    pub fn builder() -> ClientBuilder {
        ClientBuilder::new()
    }

    /// A client configured from `CASHFREE_*` environment variables; see [`ClientBuilder::from_env`].
    ///
    /// # Errors
    /// Every malformed or inconsistent variable, named.
    pub fn from_env() -> Result<Client, Error> {
        ClientBuilder::from_env().build()
    }
}
