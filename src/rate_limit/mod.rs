//! Cashfree's rate limits: what the server says about them (the `X-RateLimit-*` headers, on answers
//! and errors), the tier each operation belongs to, and, with the `rate-limit` feature, a
//! client-side `RateLimiter` that keeps a client under them.
//!
//! Cashfree limits each merchant account in transactions per minute, by tier: Standard (100),
//! Medium (200) and Restricted (5, bulk operations); see
//! <https://www.cashfree.com/docs/api-reference/vrs/v2/verification-rate-limits>. Each
//! operation's tier is reviewed data (`spec/rate-limits/`), in the operation table as
//! [`Operation::rate_limit`](crate::spec::Operation::rate_limit):
//!
//! ```
//! use cashfree_verification::rate_limit::RateTier;
//! use cashfree_verification::spec;
//!
//! # #[cfg(feature = "bav-v2")] {
//! let bulk = spec::find("vrs_bulk_bav_v2").unwrap().rate_limit.unwrap();
//! assert_eq!((bulk.tier, bulk.per_minute), (RateTier::Restricted, 5));
//! # }
//! ```
//!
//! A `429` is retried by the [`RetryPolicy`](crate::RetryPolicy) after `Retry-After`, or, when the
//! answer has none, after `X-RateLimit-Reset` ([`server_delay`]).

mod headers;
#[cfg(feature = "rate-limit")]
mod limiter;

pub use headers::{RateLimit, server_delay};
#[cfg(feature = "rate-limit")]
pub use limiter::RateLimiter;
#[cfg(feature = "rate-limit")]
pub(crate) use limiter::Shared;

/// What `build()` keeps for the rate-limit step: the client's limiter, shared by its clones, if
/// one was set (nothing without the `rate-limit` feature).
#[cfg(feature = "rate-limit")]
pub(crate) type Prepared = Option<Shared>;
/// What `build()` keeps for the rate-limit step: nothing without the `rate-limit` feature.
#[cfg(not(feature = "rate-limit"))]
pub(crate) type Prepared = ();

/// A Cashfree rate-limit tier.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum RateTier {
    /// Verifications that need real-time processing and external data (100 per minute).
    Standard,
    /// Lightweight verifications (200 per minute).
    Medium,
    /// Resource-intensive bulk operations (5 per minute).
    Restricted,
}

impl RateTier {
    /// Every tier, in order.
    pub const ALL: [RateTier; 3] = [RateTier::Standard, RateTier::Medium, RateTier::Restricted];

    /// The tier's position in [`RateTier::ALL`].
    #[must_use]
    pub const fn index(self) -> usize {
        self as usize
    }
}

/// An operation's documented tier and that tier's transactions per minute.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TierRate {
    /// The tier.
    pub tier: RateTier,
    /// Cashfree's documented transactions per minute for the tier.
    pub per_minute: u32,
}

/// One call's way through the limiter: the client's shared state and the operation's index in the
/// operation table (always open without the `rate-limit` feature or a limiter).
#[derive(Clone, Copy, Default)]
pub(crate) struct Gate<'a> {
    #[cfg(feature = "rate-limit")]
    limiter: Option<(&'a Shared, usize)>,
    #[cfg(not(feature = "rate-limit"))]
    limiter: std::marker::PhantomData<&'a ()>,
}

impl<'a> Gate<'a> {
    /// The gate of operation `index` under the limiter `build()` prepared.
    #[cfg_attr(not(feature = "rate-limit"), allow(unused_variables))]
    pub(crate) fn new(prepared: &'a Prepared, index: Option<usize>) -> Self {
        #[cfg(feature = "rate-limit")]
        {
            Gate {
                limiter: prepared.as_ref().zip(index),
            }
        }
        #[cfg(not(feature = "rate-limit"))]
        {
            Gate::default()
        }
    }

    /// Waits until the operation's tier has room for one more request, and takes it.
    pub(crate) async fn ready(self) {
        #[cfg(feature = "rate-limit")]
        if let Some((shared, index)) = self.limiter {
            // Boxed: only a limited call pays for the limiter's future.
            Box::pin(shared.ready(index)).await;
        }
    }
}
