//! Cashfree's rate limits through the sandbox: the `X-RateLimit-*` headers on errors, a `429` that
//! carries only `X-RateLimit-Reset` (retried after it), and the client-side limiter shared by clones.

use std::time::Duration;

use cashfree_verification::{Error, RetryPolicy};
use cashfree_verification_sandbox::Sandbox;

use crate::common::calls::{
    ONE_CLICK_ID, ONE_CLICK_SECRET, VKYC_ID, VKYC_SECRET, client_for, session_call,
};
use crate::common::scripted::{Server, bounded};

/// A sandbox that allows one request per operation each `window` and answers a 429 with only
/// `X-RateLimit-*` (no `Retry-After`).
async fn limited_server(window: Duration) -> Server {
    let sandbox = Sandbox::builder()
        .credentials(VKYC_ID, VKYC_SECRET)
        .one_click_credentials(ONE_CLICK_ID, ONE_CLICK_SECRET)
        .rate_limit_per_operation(1, window)
        .rate_limit_retry_after(false)
        .start()
        .await
        .expect("the sandbox starts");
    Server {
        url: sandbox.base_url().to_string(),
        sandbox,
    }
}

#[tokio::test]
async fn a_429_with_only_x_ratelimit_reset_is_retried_after_the_reset() {
    bounded(20, async {
        let server = limited_server(Duration::from_secs(1)).await;
        let client = client_for(&server)
            .retry_policy(RetryPolicy::default().jitter(false))
            .build()
            .unwrap();
        session_call(&client, "rl-1", "9988123456")
            .send()
            .await
            .map_err(Error::from)
            .unwrap();
        let answer = session_call(&client, "rl-2", "9988123456")
            .send()
            .await
            .map_err(Error::from)
            .expect("the refused request is sent again after X-RateLimit-Reset");
        assert!(
            answer.into_inner().raw_json().contains("rl-2"),
            "the second call's own answer"
        );
        let requests = server.requests();
        let statuses: Vec<u16> = requests.iter().map(|r| r.status).collect();
        assert_eq!(statuses, [200, 429, 200], "one refusal, then the retry");
        let gap = requests[2].at - requests[1].at;
        assert!(
            gap >= Duration::from_millis(900),
            "retried {gap:?} after a 429 whose X-RateLimit-Reset said 1 s (backoff alone is 500 ms)"
        );
    })
    .await;
}

#[tokio::test]
async fn a_reset_beyond_the_policy_ends_with_the_headers_and_when_to_come_back() {
    bounded(20, async {
        let server = limited_server(Duration::from_secs(30)).await;
        let client = client_for(&server)
            .retry_policy(RetryPolicy::default().max_delay(Duration::from_secs(2)))
            .build()
            .unwrap();
        session_call(&client, "rl-3", "9988123456")
            .send()
            .await
            .map_err(Error::from)
            .unwrap();
        let err = session_call(&client, "rl-4", "9988123456")
            .send()
            .await
            .map_err(Error::from)
            .unwrap_err();
        assert_eq!(err.status().map(|s| s.as_u16()), Some(429), "{err}");
        let limit = err.rate_limit().expect("the 429 carries X-RateLimit-*");
        assert_eq!((limit.limit, limit.remaining), (Some(1), Some(0)));
        let reset = limit.reset.expect("X-RateLimit-Reset");
        assert!(
            reset > Duration::from_secs(2) && reset <= Duration::from_secs(30),
            "{reset:?}"
        );
        assert_eq!(
            err.retry_after(),
            Some(reset),
            "without Retry-After, -Reset says when"
        );
        assert!(err.is_retryable());
        assert!(err.to_string().contains("[retry after "), "{err}");
        assert_eq!(
            server.requests().len(),
            2,
            "a reset beyond max_delay is not waited for"
        );
    })
    .await;
}

#[cfg(feature = "rate-limit")]
mod client_side {
    use super::*;
    use cashfree_verification::rate_limit::{RateLimiter, RateTier};

    #[tokio::test]
    async fn the_limiter_spaces_the_requests_of_every_clone_of_a_client() {
        bounded(20, async {
            let server = Server::start().await;
            // Two a second: a burst of two, then one every 500 ms, counted across clones.
            let limiter =
                RateLimiter::documented().tier(RateTier::Standard, 2, Duration::from_secs(1));
            let client = client_for(&server).rate_limiter(limiter).build().unwrap();
            let clone = client.clone();
            for (i, c) in [&client, &clone, &client, &clone].into_iter().enumerate() {
                session_call(c, &format!("lim-{i}"), "9988123456")
                    .send()
                    .await
                    .map_err(Error::from)
                    .unwrap();
            }
            let at: Vec<_> = server.requests().iter().map(|r| r.at).collect();
            assert_eq!(at.len(), 4);
            assert!(
                at[1] - at[0] < Duration::from_millis(200),
                "the burst of two waited"
            );
            assert!(
                at[2] - at[0] >= Duration::from_millis(400),
                "the third came {:?} after the first",
                at[2] - at[0]
            );
            assert!(
                at[3] - at[0] >= Duration::from_millis(900),
                "the fourth came {:?} after the first",
                at[3] - at[0]
            );
        })
        .await;
    }

    #[tokio::test]
    async fn an_operation_moved_to_a_spent_tier_waits_and_sends_nothing_meanwhile() {
        bounded(20, async {
            let server = Server::start().await;
            let limiter = RateLimiter::documented()
                .tier(RateTier::Restricted, 1, Duration::from_secs(600))
                .operation("vrs_user_vault_oauth_initiation", RateTier::Restricted);
            let client = client_for(&server).rate_limiter(limiter).build().unwrap();
            session_call(&client, "spent-1", "9988123456")
                .send()
                .await
                .map_err(Error::from)
                .unwrap();
            let second = tokio::time::timeout(
                Duration::from_millis(500),
                session_call(&client, "spent-2", "9988123456").send(),
            )
            .await;
            assert!(second.is_err(), "the second call did not wait for its tier");
            // Another operation, in another tier, is not held up.
            crate::common::calls::token_call(&client)
                .send()
                .await
                .map_err(Error::from)
                .unwrap();
            let paths: Vec<String> = server.requests().into_iter().map(|r| r.path).collect();
            assert_eq!(paths.len(), 2, "{paths:?}");
            assert!(
                paths[0].ends_with("/oauth2/session") && paths[1].ends_with("/oauth/token"),
                "{paths:?}"
            );
        })
        .await;
    }

    #[test]
    fn a_bad_limiter_is_refused_by_build_with_every_reason() {
        let err = cashfree_verification::Client::builder()
            .base_url("http://127.0.0.1:9")
            .credentials("id", "secret")
            .rate_limiter(
                RateLimiter::documented()
                    .tier(RateTier::Medium, 0, Duration::from_secs(60))
                    .operation("vrs_nothing_like_this", RateTier::Standard),
            )
            .build()
            .unwrap_err();
        let shown = err.to_string();
        assert!(shown.contains("Medium allows 0 requests"), "{shown}");
        assert!(shown.contains("\"vrs_nothing_like_this\""), "{shown}");
    }
}
