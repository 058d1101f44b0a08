//! The checks a request passes before the sandbox answers it, one concern a file, in the order
//! `handler` runs them.

pub(crate) mod balance;
pub(crate) mod body;
pub(crate) mod consent;
pub(crate) mod credentials;
pub(crate) mod duplicate;
pub(crate) mod headers;
pub(crate) mod lookup;
pub(crate) mod params;
pub(crate) mod rate;
pub(crate) mod signature;
