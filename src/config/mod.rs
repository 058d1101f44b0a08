//! Client configuration: environment, credentials per security scheme, API version, signing key,
//! timeouts and retries, from code or from the environment.
//!
//! ```
//! use std::time::Duration;
//! use cashfree_verification::{Client, Environment};
//!
//! let client = Client::builder()
//!     .environment(Environment::Sandbox)
//!     .credentials("CF_CLIENT_ID", "CF_CLIENT_SECRET")
//!     .one_click_credentials("CF_1CLICK_ID", "CF_1CLICK_SECRET")
//!     .timeout(Duration::from_secs(20))
//!     .build()?;
//! # Ok::<(), cashfree_verification::Error>(())
//! ```

mod apps;
mod base_url;
mod build;
mod builder;
mod environment;
mod from_env;
mod settings;

use std::time::Duration;

pub use crate::call::api_version::is_api_version;
pub use apps::{APPS, App};
pub use builder::ClientBuilder;
pub use environment::Environment;
pub use settings::Settings;
#[cfg(test)]
pub(crate) use settings::SettingsInner;

/// Default for [`ClientBuilder::connect_timeout`].
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// Default for [`ClientBuilder::timeout`].
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);
/// Default for [`ClientBuilder::max_response_bytes`].
pub const DEFAULT_MAX_RESPONSE_BYTES: usize = 1024 * 1024;
