//! Rate limits per client IP and per operation: 429 once a window is full, and Cashfree's
//! rate-limit headers on every answer past this check.
//!
//! Cashfree documents three headers (<https://www.cashfree.com/docs/api-reference/rate-limits>,
//! "Response Headers"): `X-RateLimit-Limit` (requests allowed in the current window),
//! `X-RateLimit-Remaining` (requests left in it) and `X-RateLimit-Reset` ("the time (in seconds)
//! until the rate limit resets": seconds from now, not an epoch time). Where both windows are
//! configured, the headers describe the one with fewer requests left (the one that refuses
//! first). Requests refused before this check (credentials, signature, required headers) neither
//! count nor carry the headers.
//!
//! A 429 carries `Retry-After` (the same seconds as `X-RateLimit-Reset`) unless the sandbox was
//! built with [`rate_limit_retry_after(false)`](crate::SandboxBuilder::rate_limit_retry_after):
//! then only the `X-RateLimit-*` headers say when to try again.

use std::net::IpAddr;
use std::time::{Duration, Instant};

use super::super::refusal::{Checked, Refusal, error};
use super::super::spec::OpSpec;
use super::super::state::Shared;

/// The `X-RateLimit-*` headers for one answer (none when no limit is configured).
pub(crate) type Window = Vec<(String, String)>;

/// Counts this request in its windows: the headers to send with its answer, or the 429.
pub(crate) fn check(shared: &Shared, op: &OpSpec, ip: IpAddr) -> Checked<Window> {
    let config = &shared.config;
    let now = Instant::now();
    let mut state = shared.state();
    let longest = [config.per_ip, config.per_operation]
        .into_iter()
        .flatten()
        .map(|(_, window)| window)
        .max()
        .unwrap_or_default();
    state.prune_windows(longest, now);
    // (max, requests left, seconds until the window resets) of the tightest window.
    let mut tightest: Option<(u32, u32, u64)> = None;
    for (limit, key, code) in [
        (
            config.per_ip,
            format!("ip {ip}"),
            "too_many_requests_per_ip",
        ),
        (
            config.per_operation,
            format!("op {}", op.operation_id),
            "too_many_requests_per_operation",
        ),
    ] {
        let Some((max, window)) = limit else { continue };
        let slot = state.windows.entry(key).or_insert((now, 0));
        if now.duration_since(slot.0) >= window {
            *slot = (now, 0);
        }
        let reset = seconds_until(window.saturating_sub(now.duration_since(slot.0)));
        if slot.1 >= max {
            let mut response = error(op, code, 429, "Too many requests, rate limit reached");
            response.headers.extend(headers(max, 0, reset));
            if config.retry_after {
                response
                    .headers
                    .push(("retry-after".into(), reset.to_string()));
            }
            return Err(Refusal::answer(response));
        }
        slot.1 += 1;
        let left = max - slot.1;
        if tightest.is_none_or(|(_, fewest, _)| left <= fewest) {
            tightest = Some((max, left, reset));
        }
    }
    Ok(tightest.map_or_else(Vec::new, |(max, left, reset)| headers(max, left, reset)))
}

/// Whole seconds, rounded up and at least 1, so a client that waits them finds a new window.
fn seconds_until(left: Duration) -> u64 {
    (left.as_secs_f64().ceil() as u64).max(1)
}

fn headers(max: u32, left: u32, reset: u64) -> Window {
    vec![
        ("x-ratelimit-limit".into(), max.to_string()),
        ("x-ratelimit-remaining".into(), left.to_string()),
        ("x-ratelimit-reset".into(), reset.to_string()),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;

    fn op() -> &'static OpSpec {
        &crate::spec::operations()[0]
    }

    fn value<'a>(window: &'a Window, name: &str) -> Option<&'a str> {
        window
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    #[test]
    fn the_tightest_window_is_told_and_counts_down() {
        let shared = Shared::new(Config {
            per_ip: Some((10, Duration::from_secs(60))),
            per_operation: Some((3, Duration::from_secs(30))),
            ..Config::default()
        });
        let ip = IpAddr::from([127, 0, 0, 1]);
        let left: Vec<String> = (0..3)
            .map(|_| {
                let window = check(&shared, op(), ip).unwrap();
                assert_eq!(value(&window, "x-ratelimit-limit"), Some("3"));
                assert_eq!(value(&window, "x-ratelimit-reset"), Some("30"));
                value(&window, "x-ratelimit-remaining").unwrap().to_string()
            })
            .collect();
        assert_eq!(left, ["2", "1", "0"]);
        let refused = check(&shared, op(), ip).unwrap_err().response;
        assert_eq!(refused.status, 429);
        let names: Vec<&str> = refused.headers.iter().map(|(k, _)| k.as_str()).collect();
        assert!(names.contains(&"retry-after") && names.contains(&"x-ratelimit-reset"));
    }

    #[test]
    fn without_retry_after_a_429_says_when_only_by_its_reset() {
        let shared = Shared::new(Config {
            per_operation: Some((1, Duration::from_secs(5))),
            retry_after: false,
            ..Config::default()
        });
        let ip = IpAddr::from([127, 0, 0, 1]);
        check(&shared, op(), ip).unwrap();
        let refused = check(&shared, op(), ip).unwrap_err().response;
        assert!(!refused.headers.iter().any(|(k, _)| k == "retry-after"));
        assert_eq!(value(&refused.headers, "x-ratelimit-reset"), Some("5"));
        assert_eq!(value(&refused.headers, "x-ratelimit-remaining"), Some("0"));
        // No limit configured: no headers.
        let open = Shared::new(Config::default());
        assert!(check(&open, op(), ip).unwrap().is_empty());
    }
}
