//! The client-side limiter: requests per window for each tier, kept by every clone of a client.

use std::num::NonZeroU32;
use std::time::Duration;

use governor::clock::{Clock as _, DefaultClock};
use governor::{DefaultDirectRateLimiter, Quota};

use super::RateTier;

/// Keeps a client under Cashfree's rate limits: before each request (each retry and each poll of a
/// wait included) it waits until the operation's tier has room. Set it with
/// [`ClientBuilder::rate_limiter`](crate::ClientBuilder::rate_limiter); every clone of the client
/// shares one count. Needs the `rate-limit` feature.
///
/// [`RateLimiter::documented`] keeps Cashfree's documented tier of each operation at its documented
/// rate (a burst of a whole minute's requests, then one every `60 s / rate`, the generic cell rate
/// algorithm of the `governor` crate). An account with other limits sets its own:
///
/// ```
/// use std::time::Duration;
/// use cashfree_verification::rate_limit::{RateLimiter, RateTier};
///
/// let limiter = RateLimiter::documented()
///     .tier(RateTier::Standard, 300, Duration::from_secs(60))
///     .operation("vrs_bav_sync", RateTier::Medium);
/// let client = cashfree_verification::Client::builder()
///     .base_url("http://127.0.0.1:9")
///     .credentials("id", "secret")
///     .rate_limiter(limiter)
///     .build()
///     .unwrap();
/// # drop(client);
/// ```
///
/// An operation placed in a tier nobody gave a rate (no documented rate, none set) is not limited.
#[derive(Debug, Clone, Default)]
pub struct RateLimiter {
    tiers: [Option<(u32, Duration)>; 3],
    operations: Vec<(String, RateTier)>,
}

impl RateLimiter {
    /// Cashfree's documented tiers and rates, as the operation table gives them.
    #[must_use]
    pub fn documented() -> Self {
        Self::default()
    }

    /// Allows `requests` per `per` in `tier` instead of the documented rate (a request for zero, or
    /// in no time, is refused by `build()`).
    #[must_use]
    pub fn tier(mut self, tier: RateTier, requests: u32, per: Duration) -> Self {
        self.tiers[tier.index()] = Some((requests, per));
        self
    }

    /// Counts operation `name` (the generated method's name, e.g. `vrs_pan_verification`) in `tier`
    /// instead of its documented one (a name this build does not have is refused by `build()`).
    #[must_use]
    pub fn operation(mut self, name: &str, tier: RateTier) -> Self {
        self.operations.push((name.to_owned(), tier));
        self
    }

    /// The shared state for `build()`; every problem with the settings.
    pub(crate) fn prepare(&self) -> Result<Shared, Vec<String>> {
        let operations = crate::spec::operations();
        let mut problems = Vec::new();
        let mut of_operation: Vec<Option<RateTier>> = operations
            .iter()
            .map(|op| op.rate_limit.map(|r| r.tier))
            .collect();
        for (name, tier) in &self.operations {
            match operations.iter().position(|op| op.name == name) {
                Some(i) => of_operation[i] = Some(*tier),
                None => problems.push(format!(
                    "rate_limiter: no operation {name:?} in this build (is its product's feature on?)"
                )),
            }
        }
        let tiers = RateTier::ALL.map(|tier| {
            let documented = operations
                .iter()
                .filter_map(|op| op.rate_limit)
                .find(|r| r.tier == tier)
                .map(|r| (r.per_minute, Duration::from_secs(60)));
            let (requests, per) = self.tiers[tier.index()].or(documented)?;
            match quota(requests, per) {
                Some(quota) => Some(DefaultDirectRateLimiter::direct(quota)),
                None => {
                    problems.push(format!(
                        "rate_limiter: {tier:?} allows {requests} requests per {per:?}; give at least one in a positive time"
                    ));
                    None
                }
            }
        });
        if problems.is_empty() {
            Ok(Shared {
                tiers,
                of_operation,
            })
        } else {
            Err(problems)
        }
    }
}

/// `requests` per `per`: one every `per / requests`, and a burst of all of them.
fn quota(requests: u32, per: Duration) -> Option<Quota> {
    let burst = NonZeroU32::new(requests)?;
    Some(Quota::with_period(per / requests)?.allow_burst(burst))
}

/// The limiter's state, in the settings every clone of a client shares.
pub(crate) struct Shared {
    tiers: [Option<DefaultDirectRateLimiter>; 3],
    /// The tier of each operation, by its index in the operation table.
    of_operation: Vec<Option<RateTier>>,
}

impl std::fmt::Debug for Shared {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let limited: Vec<RateTier> = RateTier::ALL
            .into_iter()
            .filter(|t| self.tiers[t.index()].is_some())
            .collect();
        f.debug_struct("RateLimiter")
            .field("limited_tiers", &limited)
            .finish()
    }
}

impl Shared {
    /// Waits until operation `index`'s tier has room for one more request, and takes it.
    pub(crate) async fn ready(&self, index: usize) {
        let Some(tier) = self.of_operation.get(index).copied().flatten() else {
            return;
        };
        let Some(limiter) = &self.tiers[tier.index()] else {
            return;
        };
        let clock = DefaultClock::default();
        while let Err(not_until) = limiter.check() {
            let wait = not_until.wait_time_from(clock.now());
            tracing::debug!(target: "cashfree_verification::rate_limit", ?tier, ?wait, "waiting for the rate limit");
            tokio::time::sleep(wait).await;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_zero_rate_and_an_unknown_operation_are_refused_with_their_names() {
        let problems = RateLimiter::documented()
            .tier(RateTier::Medium, 0, Duration::from_secs(1))
            .tier(RateTier::Standard, 5, Duration::ZERO)
            .operation("no_such_operation", RateTier::Standard)
            .prepare()
            .unwrap_err()
            .join("\n");
        assert!(problems.contains("\"no_such_operation\""), "{problems}");
        assert!(problems.contains("Medium allows 0 requests"), "{problems}");
        assert!(
            problems.contains("Standard allows 5 requests per 0ns"),
            "{problems}"
        );
    }

    #[tokio::test]
    async fn a_tier_lets_its_burst_through_then_spaces_the_rest() {
        let shared = RateLimiter::documented()
            .tier(RateTier::Standard, 2, Duration::from_millis(400))
            .prepare()
            .unwrap();
        let index = crate::spec::operations()
            .iter()
            .position(|op| op.rate_limit.is_some_and(|r| r.tier == RateTier::Standard))
            .expect("some operation is Standard");
        let start = tokio::time::Instant::now();
        shared.ready(index).await;
        shared.ready(index).await;
        assert!(
            start.elapsed() < Duration::from_millis(150),
            "the burst waits"
        );
        shared.ready(index).await;
        assert!(
            start.elapsed() >= Duration::from_millis(150),
            "the third did not wait"
        );
    }
}
