//! Retry policy for Cashfree HTTP calls, made for progenitor's `ClientHooks::exec`.
//!
//! By default a call is retried only when retrying cannot repeat work the
//! server already did:
//! - `429 Too Many Requests`: the request was refused, not processed;
//! - connect errors ([`reqwest::Error::is_connect`]): the request never left.
//!
//! `502`, `503` and `504` are retried only after
//! [`RetryPolicy::retry_gateway_errors`]. Other statuses, including every other
//! `4xx` and `500`, and timeouts or other transport errors after the request was
//! sent, are never retried: a `POST` such as Cashfree's Initiate OAuth may already
//! have been processed, and a replay would then fail with `409
//! verification_id_already_exists` instead of returning the first result.
//!
//! Waits follow exponential backoff with jitter from the `backon` crate, unless a
//! `429` or `503` carries `Retry-After`, which is honoured: the retry waits that
//! long, and a server asking for more than the policy's maximum delay is not
//! retried at all (the caller gets the response; [`crate::Error::retry_after`]
//! says when to come back).

use std::time::{Duration, SystemTime};

use backon::{BackoffBuilder as _, ExponentialBuilder};
use reqwest::StatusCode;
use reqwest::header::HeaderValue;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc2822;

mod classify;

pub use classify::{Outcome, RetryAction, TransportError, classify};

/// When and how often a request is retried.
///
/// Start from [`RetryPolicy::default`] or [`RetryPolicy::none`] and adjust with
/// the setters, each of which names its default:
///
/// ```
/// use std::time::Duration;
/// use cashfree_verification::retry::RetryPolicy;
///
/// let policy = RetryPolicy::default()
///     .max_attempts(4)
///     .max_total_wait(Duration::from_secs(10))
///     .retry_gateway_errors(true);
/// assert!(format!("{policy:?}").contains("max_attempts: 4"));
/// ```
///
/// With jitter on, the wait before retry `n` (1, 2, …) when no `Retry-After`
/// applies lies in `[b(n), min(2·b(n), max_delay)]`, where
/// `b(n) = min(initial_delay·2^(n-1), max_delay)`. `backon` computes in `f32`,
/// so for delays that are not a power of two times a millisecond the bounds hold
/// to within a microsecond. Without jitter the wait is exactly `b(n)`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    max_attempts: u32,
    max_total_wait: Duration,
    initial_delay: Duration,
    max_delay: Duration,
    jitter: bool,
    retry_gateway_errors: bool,
    jitter_seed: Option<u64>,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_attempts: 3,
            max_total_wait: Duration::from_secs(30),
            initial_delay: Duration::from_millis(500),
            max_delay: Duration::from_secs(10),
            jitter: true,
            retry_gateway_errors: false,
            jitter_seed: None,
        }
    }
}

impl RetryPolicy {
    /// Returns a policy that sends each request exactly once.
    #[must_use]
    pub fn none() -> Self {
        Self::default().max_attempts(1)
    }

    /// Sets the most attempts per call, the first one included (default 3; 0 counts as 1).
    #[must_use]
    pub fn max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = attempts.max(1);
        self
    }

    /// Sets the most time spent waiting between attempts, all waits together (default 30 s).
    ///
    /// A retry whose wait would exceed what is left is not made. Time spent on
    /// the requests themselves is bounded by the client's own timeouts instead.
    #[must_use]
    pub fn max_total_wait(mut self, budget: Duration) -> Self {
        self.max_total_wait = budget;
        self
    }

    /// Sets the backoff before the first retry, doubled for each later one (default 500 ms).
    #[must_use]
    pub fn initial_delay(mut self, delay: Duration) -> Self {
        self.initial_delay = delay;
        self
    }

    /// Sets the longest single wait (default 10 s). A `Retry-After` longer than this ends the retries.
    #[must_use]
    pub fn max_delay(mut self, delay: Duration) -> Self {
        self.max_delay = delay;
        self
    }

    /// Turns random jitter of the backoff on or off (default on).
    #[must_use]
    pub fn jitter(mut self, on: bool) -> Self {
        self.jitter = on;
        self
    }

    /// Also retries `502`, `503` and `504` (default off).
    ///
    /// Off by default because a gateway may fail after Cashfree processed the
    /// request; turn it on only for calls that are safe to repeat.
    #[must_use]
    pub fn retry_gateway_errors(mut self, on: bool) -> Self {
        self.retry_gateway_errors = on;
        self
    }

    /// Decides what to do after an attempt; pure, so it is easy to test.
    ///
    /// `attempts_made` counts attempts so far (1 after the first), `waited` is
    /// the sum of earlier waits, and `backoff` is the wait to use when the server
    /// gave none (the next value of the policy's backoff sequence).
    #[must_use]
    pub fn decide(
        &self,
        outcome: Outcome,
        attempts_made: u32,
        waited: Duration,
        backoff: Duration,
    ) -> Decision {
        if attempts_made >= self.max_attempts {
            return Decision::Stop;
        }
        let server_delay = match classify(outcome) {
            RetryAction::Retry => match outcome {
                Outcome::Response { retry_after, .. } => retry_after,
                Outcome::Transport(_) => None,
            },
            RetryAction::RetryIfRepeatable if self.retry_gateway_errors => match outcome {
                // Only a 503 carries a Retry-After worth honouring; 502 and 504 come from a gateway.
                Outcome::Response {
                    status: StatusCode::SERVICE_UNAVAILABLE,
                    retry_after,
                } => retry_after,
                _ => None,
            },
            RetryAction::RetryIfRepeatable | RetryAction::Forbidden | RetryAction::NoAction => {
                return Decision::Stop;
            }
        };
        // A server that asks for more than max_delay is not retried early: the caller gets the
        // response, and the error's `retry_after()` says when to come back.
        let delay = match server_delay {
            Some(asked) if asked > self.max_delay => return Decision::Stop,
            Some(asked) => asked,
            None => backoff.min(self.max_delay),
        };
        if waited.saturating_add(delay) > self.max_total_wait {
            Decision::Stop
        } else {
            Decision::Retry(delay)
        }
    }

    /// Returns the backoff waits for retries 1, 2, … (never ends).
    fn backoff(&self) -> impl Iterator<Item = Duration> + Send + use<> {
        let mut builder = ExponentialBuilder::new()
            .with_min_delay(self.initial_delay)
            .with_max_delay(self.max_delay)
            .with_factor(2.0)
            .without_max_times();
        if self.jitter {
            builder = builder.with_jitter();
        }
        if let Some(seed) = self.jitter_seed {
            builder = builder.with_jitter_seed(seed);
        }
        let cap = self.max_delay;
        builder.build().map(move |delay| delay.min(cap))
    }
}

/// What to do after an attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    /// Wait this long, then send the request again.
    Retry(Duration),
    /// Return the last result to the caller.
    Stop,
}

/// Reads a `Retry-After` value: delay-seconds (`120`) or an IMF-fixdate HTTP-date.
///
/// A date in the past gives zero. The obsolete RFC 850 and asctime date forms
/// and anything unreadable give `None`, so the caller falls back to backoff.
///
/// ```
/// use std::time::{Duration, UNIX_EPOCH};
/// use reqwest::header::HeaderValue;
/// use cashfree_verification::retry::parse_retry_after;
///
/// let now = UNIX_EPOCH + Duration::from_secs(1_445_412_480); // Wed, 21 Oct 2015 07:28:00 GMT
/// let date = HeaderValue::from_static("Wed, 21 Oct 2015 07:28:05 GMT");
/// assert_eq!(parse_retry_after(&date, now), Some(Duration::from_secs(5)));
/// assert_eq!(parse_retry_after(&HeaderValue::from_static("2"), now), Some(Duration::from_secs(2)));
/// ```
pub fn parse_retry_after(value: &HeaderValue, now: SystemTime) -> Option<Duration> {
    let text = value.to_str().ok()?.trim();
    if !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()) {
        return text.parse().ok().map(Duration::from_secs);
    }
    if !text.ends_with("GMT") {
        return None;
    }
    let at = SystemTime::from(OffsetDateTime::parse(text, &Rfc2822).ok()?);
    Some(at.duration_since(now).unwrap_or(Duration::ZERO))
}

/// Whether some policy could retry an answer with `status` ([`RetryPolicy::decide`] stops on all
/// others whatever the settings; a test checks the two agree).
fn any_policy_retries(status: StatusCode) -> bool {
    !matches!(
        classify(Outcome::Response {
            status,
            retry_after: None
        }),
        RetryAction::NoAction
    )
}

/// Sends `request`, retrying under `policy`; returns the last result and the attempts made.
///
/// Each retry sends a copy made before the first attempt with [`reqwest::Request::try_clone`], or,
/// for a multipart body, around the same shared chunks ([`crate::upload`]); a request whose body
/// cannot be copied (another stream) is sent once.
/// Waits use `tokio::time::sleep`, so this needs a Tokio runtime with timers.
/// The attempt count is at least 1; a value above 1 means retries happened.
#[cfg(test)]
pub(crate) async fn send_with_retry(
    client: &reqwest::Client,
    request: reqwest::Request,
    policy: &RetryPolicy,
) -> (reqwest::Result<reqwest::Response>, u32) {
    send_with_retry_prepared(client, request, policy, Default::default(), |_| true).await
}

/// Like [`send_with_retry`], but waits at `gate` (the client-side rate limiter) before every attempt,
/// and calls `prepare` on each retry's request just before it is sent, for headers that must be
/// fresh, such as `x-cf-signature`. When `prepare` returns `false` the retry is not sent and the last
/// result is returned.
///
/// A function returning an `async move` block rather than an `async fn`: an `async fn` keeps each
/// argument twice in its future (as passed and as its local), and the request is 264 bytes.
#[allow(
    clippy::manual_async_fn,
    reason = "an async fn would hold the request twice in its future"
)]
pub(crate) fn send_with_retry_prepared<F>(
    client: &reqwest::Client,
    mut request: reqwest::Request,
    policy: &RetryPolicy,
    gate: crate::rate_limit::Gate<'_>,
    mut prepare: F,
) -> impl Future<Output = (reqwest::Result<reqwest::Response>, u32)>
where
    F: FnMut(&mut reqwest::Request) -> bool,
{
    async move {
        // Made at the first failure: a call answered at once never needs it.
        let mut backoff = None;
        let mut waited = Duration::ZERO;
        let mut attempts = 0;
        loop {
            attempts += 1;
            let spare = if attempts < policy.max_attempts {
                crate::upload::try_clone(&request)
            } else {
                None
            };
            gate.ready().await;
            let result = client.execute(request).await;
            let Some(spare) = spare else {
                return (result, attempts);
            };
            // Success and the statuses no policy retries end here, without reading the clock.
            if let Ok(response) = &result
                && !any_policy_retries(response.status())
            {
                return (result, attempts);
            }
            let outcome = Outcome::of(&result, SystemTime::now());
            let proposal = backoff
                .get_or_insert_with(|| policy.backoff())
                .next()
                .unwrap_or(policy.max_delay);
            match policy.decide(outcome, attempts, waited, proposal) {
                Decision::Stop => return (result, attempts),
                Decision::Retry(delay) => {
                    // Boxed: only a retry pays for the timer in the future it waits in.
                    Box::pin(tokio::time::sleep(delay)).await;
                    waited += delay;
                    request = spare;
                    if !prepare(&mut request) {
                        return (result, attempts);
                    }
                    drop(result);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::{Instant, UNIX_EPOCH};

    const MS: fn(u64) -> Duration = Duration::from_millis;
    const SECS: fn(u64) -> Duration = Duration::from_secs;

    fn status(code: u16, retry_after: Option<u64>) -> Outcome {
        Outcome::Response {
            status: StatusCode::from_u16(code).unwrap(),
            retry_after: retry_after.map(SECS),
        }
    }

    /// Decides for the first attempt, nothing waited yet, proposed backoff 700 ms.
    fn first(policy: &RetryPolicy, outcome: Outcome) -> Decision {
        policy.decide(outcome, 1, Duration::ZERO, MS(700))
    }

    #[test]
    fn too_many_requests_honours_retry_after_or_backs_off() {
        let policy = RetryPolicy::default();
        assert_eq!(
            first(&policy, status(429, Some(2))),
            Decision::Retry(SECS(2))
        );
        assert_eq!(
            first(&policy, status(429, Some(0))),
            Decision::Retry(Duration::ZERO)
        );
        assert_eq!(first(&policy, status(429, None)), Decision::Retry(MS(700)));
        // Retry-After above max_delay (10 s) is never retried early; a long backoff is capped.
        assert_eq!(first(&policy, status(429, Some(60))), Decision::Stop);
        let long_backoff = policy.decide(status(429, None), 1, Duration::ZERO, SECS(25));
        assert_eq!(long_backoff, Decision::Retry(SECS(10)));
    }

    /// The loop's shortcut skips `decide` for statuses no policy retries: check that for every
    /// status, under the most permissive policy, with and without `Retry-After`.
    #[test]
    fn the_shortcut_only_skips_statuses_no_policy_retries() {
        let permissive = RetryPolicy::default()
            .retry_gateway_errors(true)
            .max_delay(SECS(3600))
            .max_total_wait(SECS(36000));
        for code in 100..=599 {
            for retry_after in [None, Some(1)] {
                let decision = first(&permissive, status(code, retry_after));
                let code = StatusCode::from_u16(code).unwrap();
                assert_eq!(
                    matches!(decision, Decision::Retry(_)),
                    any_policy_retries(code),
                    "status {code}, Retry-After {retry_after:?}"
                );
            }
        }
    }

    #[test]
    fn server_and_client_errors_stop() {
        let default = RetryPolicy::default();
        let gateway = RetryPolicy::default().retry_gateway_errors(true);
        for code in [200, 201, 301, 400, 401, 403, 404, 409, 422, 500, 501] {
            for policy in [&default, &gateway] {
                let decision = first(policy, status(code, Some(1)));
                assert_eq!(decision, Decision::Stop, "status {code}");
            }
        }
    }

    #[test]
    fn gateway_errors_retry_only_when_enabled() {
        let default = RetryPolicy::default();
        let gateway = RetryPolicy::default().retry_gateway_errors(true);
        for code in [502, 503, 504] {
            assert_eq!(first(&default, status(code, None)), Decision::Stop);
            assert_eq!(
                first(&gateway, status(code, None)),
                Decision::Retry(MS(700))
            );
        }
        // Retry-After counts on 503 only.
        assert_eq!(
            first(&gateway, status(503, Some(3))),
            Decision::Retry(SECS(3))
        );
        assert_eq!(
            first(&gateway, status(504, Some(3))),
            Decision::Retry(MS(700))
        );
    }

    #[test]
    fn only_connect_errors_retry_among_transport_errors() {
        let policy = RetryPolicy::default();
        let transport = |kind| first(&policy, Outcome::Transport(kind));
        assert_eq!(transport(TransportError::Connect), Decision::Retry(MS(700)));
        assert_eq!(transport(TransportError::Timeout), Decision::Stop);
        assert_eq!(transport(TransportError::Other), Decision::Stop);
    }

    #[test]
    fn attempts_and_wait_budget_are_bounded() {
        let policy = RetryPolicy::default();
        let busy = status(429, Some(2));
        assert_eq!(
            policy.decide(busy, 2, SECS(1), MS(1)),
            Decision::Retry(SECS(2))
        );
        assert_eq!(policy.decide(busy, 3, SECS(1), MS(1)), Decision::Stop);
        assert_eq!(
            policy.decide(busy, 2, SECS(28), MS(1)),
            Decision::Retry(SECS(2))
        );
        assert_eq!(policy.decide(busy, 2, SECS(29), MS(1)), Decision::Stop);
        let backoff_only = policy.decide(status(429, None), 2, SECS(29), SECS(2));
        assert_eq!(backoff_only, Decision::Stop);
        assert_eq!(first(&RetryPolicy::none(), busy), Decision::Stop);
        let zero = RetryPolicy::default().max_attempts(0);
        assert_eq!(zero, RetryPolicy::none());
        let more = RetryPolicy::default()
            .max_attempts(5)
            .max_total_wait(SECS(100));
        assert_eq!(
            more.decide(busy, 4, SECS(90), MS(1)),
            Decision::Retry(SECS(2))
        );
    }

    #[test]
    fn jittered_backoff_stays_within_documented_bounds() {
        let policy = RetryPolicy::default();
        let nominal = [500, 1000, 2000, 4000, 8000, 10_000, 10_000].map(MS);
        let mut first_waits = std::collections::BTreeSet::new();
        for _ in 0..2000 {
            for (wait, base) in policy.backoff().zip(nominal) {
                let upper = (base * 2).min(SECS(10));
                assert!(
                    base <= wait && wait <= upper,
                    "{wait:?} not in [{base:?}, {upper:?}]"
                );
            }
            first_waits.insert(policy.backoff().next().unwrap());
        }
        assert!(
            first_waits.len() > 1900,
            "jitter varies: {}",
            first_waits.len()
        );
        let spread = first_waits
            .last()
            .unwrap()
            .abs_diff(*first_waits.first().unwrap());
        assert!(
            spread > MS(450),
            "jitter spans most of [0.5 s, 1 s): {spread:?}"
        );
    }

    #[test]
    fn backoff_without_jitter_doubles_up_to_the_cap() {
        let policy = RetryPolicy::default().jitter(false).initial_delay(MS(300));
        let waits: Vec<_> = policy.max_delay(SECS(3)).backoff().take(6).collect();
        let expected = [300, 600, 1200, 2400, 3000, 3000].map(MS);
        for (wait, want) in waits.iter().zip(expected) {
            assert!(wait.abs_diff(want) < Duration::from_micros(1), "{waits:?}");
        }
        let seeded = RetryPolicy {
            jitter_seed: Some(7),
            ..RetryPolicy::default()
        };
        let a: Vec<_> = seeded.backoff().take(4).collect();
        assert_eq!(a, seeded.backoff().take(4).collect::<Vec<_>>());
    }

    #[test]
    fn retry_after_reads_seconds_and_http_dates() {
        let now = UNIX_EPOCH + SECS(1_445_412_480); // Wed, 21 Oct 2015 07:28:00 GMT
        let read = |text: &'static str| parse_retry_after(&HeaderValue::from_static(text), now);
        assert_eq!(read("2"), Some(SECS(2)));
        assert_eq!(read("0"), Some(Duration::ZERO));
        assert_eq!(read(" 120 "), Some(SECS(120)));
        assert_eq!(read("Wed, 21 Oct 2015 07:28:05 GMT"), Some(SECS(5)));
        assert_eq!(read("Wed, 21 Oct 2015 07:30:00 GMT"), Some(SECS(120)));
        assert_eq!(read("Wed, 21 Oct 2015 07:00:00 GMT"), Some(Duration::ZERO));
        for bad in ["", "-1", "1.5", "soon", "99999999999999999999999"] {
            assert_eq!(read(bad), None, "{bad:?}");
        }
        // The weekday is not cross-checked: the date decides.
        assert_eq!(read("Thu, 21 Oct 2015 07:28:05 GMT"), Some(SECS(5)));
        // Numeric zones and the obsolete RFC 850 / asctime forms are refused.
        for bad in [
            "Wed, 21 Oct 2015 07:28:05 +0000",
            "Wednesday, 21-Oct-15 07:28:05 GMT",
            "Wed Oct 21 07:28:05 2015",
        ] {
            assert_eq!(read(bad), None, "{bad:?}");
        }
        let opaque = HeaderValue::from_bytes(b"\xff5").unwrap();
        assert_eq!(parse_retry_after(&opaque, now), None);
    }

    // The loop's tests need no server: a closed port on 127.0.0.1 gives connect errors, which the
    // policy retries. Answers that decide retries (429 with Retry-After, 500, a timeout after
    // sending) are tested through the client against the sandbox (tests/integration/client.rs).

    fn client() -> reqwest::Client {
        crate::tls::client_builder().no_proxy().build().unwrap()
    }

    /// A policy whose own backoff is short.
    fn quick() -> RetryPolicy {
        RetryPolicy::default().initial_delay(MS(10))
    }

    async fn closed_port() -> String {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}/", listener.local_addr().unwrap());
        drop(listener);
        url
    }

    async fn bounded<T>(test: impl Future<Output = T>) -> T {
        tokio::time::timeout(SECS(10), test)
            .await
            .expect("test took over 10 s")
    }

    #[tokio::test]
    async fn connect_errors_are_retried_until_attempts_run_out() {
        bounded(async {
            let request = client().get(closed_port().await).build().unwrap();
            let started = Instant::now();
            let (result, attempts) = send_with_retry(&client(), request, &quick()).await;
            let error = result.unwrap_err();
            assert!(error.is_connect(), "{error}");
            assert_eq!(attempts, 3);
            // Two backoff waits of at most 20 ms and 40 ms.
            assert!(started.elapsed() >= MS(30), "{:?}", started.elapsed());
        })
        .await;
    }

    #[tokio::test]
    async fn prepare_runs_before_every_retry_and_not_before_the_first_attempt() {
        bounded(async {
            let request = client().get(closed_port().await).build().unwrap();
            let mut seen = Vec::new();
            let (result, attempts) = send_with_retry_prepared(
                &client(),
                request,
                &quick(),
                Default::default(),
                |request| {
                    seen.push(request.headers().get("x-retry").is_some());
                    request
                        .headers_mut()
                        .insert("x-retry", HeaderValue::from(seen.len()));
                    true
                },
            )
            .await;
            assert!(result.unwrap_err().is_connect());
            assert_eq!(attempts, 3);
            // Called before attempts 2 and 3 only: the first attempt went out unprepared.
            assert_eq!(seen.len(), 2);
            assert!(!seen[0], "the first attempt was prepared");
        })
        .await;
    }

    #[tokio::test]
    async fn a_retry_that_cannot_be_prepared_is_not_sent() {
        bounded(async {
            let request = client().get(closed_port().await).build().unwrap();
            let mut calls = 0;
            let (result, attempts) =
                send_with_retry_prepared(&client(), request, &quick(), Default::default(), |_| {
                    calls += 1;
                    false
                })
                .await;
            assert!(
                result.unwrap_err().is_connect(),
                "the last result is returned"
            );
            assert_eq!((attempts, calls), (1, 1));
        })
        .await;
    }

    #[tokio::test]
    async fn streaming_body_is_sent_once() {
        bounded(async {
            let body = reqwest::Body::wrap(String::new());
            let request = client()
                .get(closed_port().await)
                .body(body)
                .build()
                .unwrap();
            let (result, attempts) = send_with_retry(&client(), request, &quick()).await;
            assert!(result.unwrap_err().is_connect());
            assert_eq!(attempts, 1, "a body that cannot be copied is not resent");
        })
        .await;
    }
}
