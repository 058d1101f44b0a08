//! The crate against hand-written reqwest, side by side in one run: the same `POST /oauth/token`
//! (same headers, same JSON, same TLS set-up and connection pool settings) to the same local server,
//! which runs in a child process so the CPU measured is the client's alone.
//!
//! ```sh
//! cargo bench --bench overhead
//! ```
//!
//! Prints, for hand-written reqwest and for the crate, interleaved rounds: requests per second
//! sequentially and with 32 concurrent tasks, client CPU time per request, heap allocations per
//! request, and the crate with request signing on against off.
// Counting allocations takes a global allocator, which is `unsafe impl`; the library forbids unsafe.
#![allow(unsafe_code)]

use std::alloc::{GlobalAlloc, Layout, System};
use std::convert::Infallible;
use std::io::{BufRead as _, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use bytes::Bytes;
use cashfree_verification::{Client, RetryPolicy, types};
use http_body_util::Full;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;

/// Counts heap allocations, to report allocations per request.
struct Counting;

static ALLOCATIONS: AtomicU64 = AtomicU64::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        // SAFETY: forwarded unchanged to the system allocator.
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: forwarded unchanged to the system allocator.
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        // SAFETY: forwarded unchanged to the system allocator.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

const ANSWER: &str =
    r#"{"access_token":"eyJhbGciOiJIUzI1NiJ9.e30.sig","expiry":"2025-05-05T18:01:05+05:30"}"#;
const ID: &str = "bench-client-id";
const SECRET: &str = "bench-client-secret";

/// The child process: a minimal hyper server on 127.0.0.1 that prints its port.
fn serve() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        println!("{}", listener.local_addr().unwrap().port());
        loop {
            let (socket, _) = listener.accept().await.unwrap();
            let _ = socket.set_nodelay(true);
            tokio::spawn(async move {
                let service = service_fn(|_req| async {
                    Ok::<_, Infallible>(
                        hyper::Response::builder()
                            .header("content-type", "application/json")
                            .body(Full::new(Bytes::from_static(ANSWER.as_bytes())))
                            .unwrap(),
                    )
                });
                let _ = http1::Builder::new()
                    .serve_connection(TokioIo::new(socket), service)
                    .await;
            });
        }
    });
}

fn spawn_server() -> (Child, String) {
    let mut child = Command::new(std::env::current_exe().unwrap())
        .arg("--serve")
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    (child, format!("http://127.0.0.1:{}", line.trim()))
}

/// The request body, as the crate's types serialize it.
fn body() -> types::CreateAuthRequestSchema {
    types::CreateAuthRequestSchema::builder()
        .app_id("app_id_for_vkyc")
        .product("VKYC")
        .metadata(types::CreateAuthRequestSchemaMetadata::builder().vkyc_request_id("249749"))
        .authenticated_user(
            types::CreateAuthRequestSchemaAuthenticatedUser::builder()
                .identifier_type("userId")
                .identifier_value("123456"),
        )
        .try_into()
        .unwrap()
}

#[derive(Clone)]
enum Caller {
    Raw(reqwest::Client, String),
    Crate(Client),
}

impl Caller {
    async fn call(&self) {
        match self {
            Caller::Raw(http, base) => {
                let response = http
                    .post(format!("{base}/oauth/token"))
                    .header("x-client-id", ID)
                    .header("x-client-secret", SECRET)
                    .header("x-api-version", "2024-12-01")
                    .json(&body())
                    .send()
                    .await
                    .unwrap();
                assert!(response.status().is_success());
                let token: types::AuthResponseSchema = response.json().await.unwrap();
                assert!(token.access_token.is_some());
            }
            Caller::Crate(client) => {
                let token = client
                    .vrs_generate_auth_token()
                    .body(body())
                    .send()
                    .await
                    .unwrap();
                assert!(token.access_token.is_some());
            }
        }
    }
}

/// Client CPU time of this process so far (user + system), from /proc.
fn cpu() -> Duration {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let fields: Vec<&str> = stat.rsplit(") ").next().unwrap_or("").split(' ').collect();
    let ticks: u64 = fields.get(11).and_then(|v| v.parse().ok()).unwrap_or(0)
        + fields.get(12).and_then(|v| v.parse().ok()).unwrap_or(0);
    Duration::from_millis(ticks * 10)
}

struct Run {
    per_second: f64,
    cpu_per_request: Duration,
    allocations_per_request: f64,
}

async fn measure(caller: &Caller, concurrency: usize, requests: usize) -> Run {
    let per_task = requests / concurrency;
    let (cpu0, alloc0, started) = (cpu(), ALLOCATIONS.load(Ordering::Relaxed), Instant::now());
    let tasks: Vec<_> = (0..concurrency)
        .map(|_| {
            let caller = caller.clone();
            tokio::spawn(async move {
                for _ in 0..per_task {
                    caller.call().await;
                }
            })
        })
        .collect();
    for t in tasks {
        t.await.unwrap();
    }
    let n = (per_task * concurrency) as f64;
    Run {
        per_second: n / started.elapsed().as_secs_f64(),
        cpu_per_request: (cpu() - cpu0).div_f64(n),
        allocations_per_request: (ALLOCATIONS.load(Ordering::Relaxed) - alloc0) as f64 / n,
    }
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn main() {
    if std::env::args().any(|a| a == "--serve") {
        return serve();
    }
    let (mut child, base) = spawn_server();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let http = cashfree_verification::tls::client_builder()
            .build()
            .unwrap();
        let raw = Caller::Raw(http.clone(), base.clone());
        let build = |signing: bool| {
            let mut b = Client::builder()
                .base_url(&base)
                .vkyc_credentials(ID, SECRET)
                .retry_policy(RetryPolicy::default())
                .http_client(http.clone());
            if signing {
                b = b.public_key_pem(include_str!("../tests/fixtures/test_key_public.pem"));
            }
            Caller::Crate(b.build().unwrap())
        };
        let (ours, signed) = (build(false), build(true));
        for caller in [&raw, &ours, &signed] {
            measure(caller, 1, 500).await;
        }
        let rounds = 5;
        let mut rows: Vec<(&str, Vec<f64>, Vec<f64>)> = Vec::new();
        for (label, concurrency, requests) in [
            ("sequential req/s", 1, 3000),
            ("32 concurrent req/s", 32, 6400),
        ] {
            let (mut a, mut b, mut cpu_a, mut cpu_b, mut alloc_a, mut alloc_b) =
                (vec![], vec![], vec![], vec![], vec![], vec![]);
            for _ in 0..rounds {
                let r = measure(&raw, concurrency, requests).await;
                let o = measure(&ours, concurrency, requests).await;
                a.push(r.per_second);
                b.push(o.per_second);
                cpu_a.push(r.cpu_per_request.as_secs_f64() * 1e6);
                cpu_b.push(o.cpu_per_request.as_secs_f64() * 1e6);
                alloc_a.push(r.allocations_per_request);
                alloc_b.push(o.allocations_per_request);
            }
            rows.push((label, a, b));
            if concurrency == 32 {
                rows.push(("client CPU us/request at c32", cpu_a, cpu_b));
            } else {
                rows.push(("allocations/request", alloc_a, alloc_b));
            }
        }
        let (mut off, mut on) = (vec![], vec![]);
        for _ in 0..rounds {
            off.push(measure(&ours, 1, 2000).await.per_second);
            on.push(measure(&signed, 1, 2000).await.per_second);
        }
        println!("medians of {rounds} interleaved rounds; server in a child process");
        println!(
            "{:<30} {:>12} {:>12} {:>7}",
            "figure", "raw reqwest", "this crate", "ratio"
        );
        for (label, a, b) in rows {
            let (a, b) = (median(a), median(b));
            println!("{label:<30} {a:>12.1} {b:>12.1} {:>7.3}", b / a);
        }
        let (off, on) = (median(off), median(on));
        println!(
            "{:<30} {off:>12.1} {on:>12.1} {:>7.3}",
            "signing off vs on (req/s)",
            on / off
        );
    });
    let _ = child.kill();
}
