//! Measures the sandbox against a minimal hyper server answering the same bytes, in one process:
//! sequential kept-alive requests (p50, p99), throughput with 32 connections, and the process's
//! memory growth over 300 requests of 900 KB.
//!
//! ```sh
//! cargo run --release -p cashfree-verification-sandbox --example bench
//! ```

use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use bytes::Bytes;
use cashfree_verification_sandbox::{DEFAULT_CREDENTIALS, Sandbox};
use http_body_util::Full;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;

const BODY: &str = r#"{"app_id": "a", "product": "VKYC", "metadata": {"vkyc_request_id": "1"}, "authenticated_user": {"identifier_type": "userId", "identifier_value": "42"}}"#;

/// A server that answers every request with `answer`.
async fn minimal(answer: Bytes) -> SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        while let Ok((socket, _)) = listener.accept().await {
            let _ = socket.set_nodelay(true);
            let answer = answer.clone();
            tokio::spawn(async move {
                let service = service_fn(move |_req| {
                    let answer = answer.clone();
                    async move {
                        Ok::<_, Infallible>(
                            hyper::Response::builder()
                                .header("content-type", "application/json")
                                .body(Full::new(answer))
                                .unwrap(),
                        )
                    }
                });
                let _ = http1::Builder::new()
                    .serve_connection(TokioIo::new(socket), service)
                    .await;
            });
        }
    });
    addr
}

fn request(client: &reqwest::Client, base: &str, body: Bytes) -> reqwest::RequestBuilder {
    client
        .post(format!("{base}/oauth/token"))
        .header("x-client-id", DEFAULT_CREDENTIALS.0)
        .header("x-client-secret", DEFAULT_CREDENTIALS.1)
        .header("x-api-version", "2024-12-01")
        .header("content-type", "application/json")
        .body(body)
}

/// p50 and p99 of `n` sequential requests on one kept-alive connection.
async fn sequential(client: &reqwest::Client, base: &str, n: usize) -> (Duration, Duration) {
    let mut times = Vec::with_capacity(n);
    for _ in 0..n {
        let started = Instant::now();
        let response = request(client, base, Bytes::from_static(BODY.as_bytes()))
            .send()
            .await
            .unwrap();
        assert!(response.status().is_success());
        response.bytes().await.unwrap();
        times.push(started.elapsed());
    }
    times.sort();
    (times[n / 2], times[n * 99 / 100])
}

/// Requests per second with `connections` concurrent connections for `each` requests each.
async fn concurrent(base: &str, connections: usize, each: usize) -> f64 {
    let started = Instant::now();
    let tasks: Vec<_> = (0..connections)
        .map(|_| {
            let base = base.to_string();
            tokio::spawn(async move {
                let client = cashfree_verification::tls::client_builder()
                    .pool_max_idle_per_host(1)
                    .build()
                    .unwrap();
                for _ in 0..each {
                    let r = request(&client, &base, Bytes::from_static(BODY.as_bytes()))
                        .send()
                        .await
                        .unwrap();
                    r.bytes().await.unwrap();
                }
            })
        })
        .collect();
    for t in tasks {
        t.await.unwrap();
    }
    (connections * each) as f64 / started.elapsed().as_secs_f64()
}

fn rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
        })
        .unwrap_or(0)
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let sandbox = Arc::new(Sandbox::start().await.unwrap());
    let client = cashfree_verification::tls::client_builder()
        .build()
        .unwrap();
    let answer = request(
        &client,
        sandbox.base_url(),
        Bytes::from_static(BODY.as_bytes()),
    )
    .send()
    .await
    .unwrap()
    .bytes()
    .await
    .unwrap();
    let plain = format!("http://{}", minimal(answer).await);

    // Warm up both, then interleave rounds so neither gets the quieter moment.
    sequential(&client, sandbox.base_url(), 200).await;
    sequential(&client, &plain, 200).await;
    let (mut s50, mut s99, mut m50, mut m99) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for _ in 0..5 {
        let (a, b) = sequential(&client, sandbox.base_url(), 1000).await;
        s50.push(a);
        s99.push(b);
        let (a, b) = sequential(&client, &plain, 1000).await;
        m50.push(a);
        m99.push(b);
    }
    let median = |v: &mut Vec<Duration>| {
        v.sort();
        v[v.len() / 2]
    };
    let (s50, s99, m50, m99) = (
        median(&mut s50),
        median(&mut s99),
        median(&mut m50),
        median(&mut m99),
    );
    println!("sequential kept-alive, 5 x 1000 requests each, medians of the rounds:");
    println!("  sandbox  p50 {s50:>9.1?}  p99 {s99:>9.1?}");
    println!("  minimal  p50 {m50:>9.1?}  p99 {m99:>9.1?}");
    println!(
        "  sandbox/minimal p50 ratio {:.2}",
        s50.as_secs_f64() / m50.as_secs_f64()
    );

    let mut sr = Vec::new();
    let mut mr = Vec::new();
    for _ in 0..3 {
        sr.push(concurrent(sandbox.base_url(), 32, 200).await);
        mr.push(concurrent(&plain, 32, 200).await);
    }
    sr.sort_by(f64::total_cmp);
    mr.sort_by(f64::total_cmp);
    println!("32 connections x 200 requests, median of 3 rounds:");
    println!(
        "  sandbox {:>8.0} req/s   minimal {:>8.0} req/s   ratio {:.2}",
        sr[1],
        mr[1],
        sr[1] / mr[1]
    );

    // Memory: 300 requests of 900 KB through the sandbox (bodies are logged, bounded).
    let before = rss_kib();
    let mut big = BODY.as_bytes().to_vec();
    big.extend(std::iter::repeat_n(b' ', 900 * 1024));
    let big = Bytes::from(big);
    for _ in 0..300 {
        let r = request(&client, sandbox.base_url(), big.clone())
            .send()
            .await
            .unwrap();
        assert!(r.status().is_success());
        r.bytes().await.unwrap();
    }
    let after = rss_kib();
    println!(
        "RSS over 300 requests of 900 KB: {} KiB -> {} KiB (growth {:.1} MiB)",
        before,
        after,
        after.saturating_sub(before) as f64 / 1024.0
    );
}
