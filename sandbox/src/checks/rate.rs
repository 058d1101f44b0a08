//! Rate limits per client IP and per operation: 429 with `Retry-After` once a window is full.

use std::net::IpAddr;
use std::time::Instant;

use super::super::refusal::{Checked, Refusal, error};
use super::super::spec::OpSpec;
use super::super::state::Shared;

pub(crate) fn check(shared: &Shared, op: &OpSpec, ip: IpAddr) -> Checked {
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
        if slot.1 >= max {
            let wait = window
                .saturating_sub(now.duration_since(slot.0))
                .as_secs_f64()
                .ceil()
                .max(1.0) as u64;
            let mut response = error(op, code, 429, "Too many requests, rate limit reached");
            response
                .headers
                .push(("retry-after".into(), wait.to_string()));
            return Err(Refusal::answer(response));
        }
        slot.1 += 1;
    }
    Ok(())
}
