//! The crate against hand-written reqwest, side by side in one run: the same `POST /oauth/token`
//! (same headers, same JSON, same TLS provider, timeouts and redirect policy) to the same local server,
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
    let exe = std::env::current_exe().unwrap();
    let mut command = match pin(0) {
        Some(mut taskset) => {
            taskset.arg(exe);
            taskset
        }
        None => Command::new(exe),
    };
    let mut child = command
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
    /// The crate without a key, given a signature of the same length on each call: the same bytes
    /// on the wire as signing, without making one.
    Given(Client, String),
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
            Caller::Given(client, signature) => {
                let token = client
                    .vrs_generate_auth_token()
                    .x_cf_signature(signature.as_str())
                    .body(body())
                    .send()
                    .await
                    .unwrap();
                assert!(token.access_token.is_some());
            }
        }
    }
}

/// CPU time of this process so far (all threads, user + system), to the nanosecond.
fn cpu() -> Duration {
    let mut t = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `t` is a valid, writable timespec; the clock id is a constant the platform defines.
    let ok = unsafe { libc::clock_gettime(libc::CLOCK_PROCESS_CPUTIME_ID, &mut t) } == 0;
    assert!(ok, "clock_gettime(CLOCK_PROCESS_CPUTIME_ID) failed");
    Duration::new(t.tv_sec as u64, t.tv_nsec as u32)
}

/// `taskset -c CPU`, when there is a second CPU and `taskset` runs: the server and the client each
/// get a core, so neither measures the other.
fn pin(cpu: usize) -> Option<Command> {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let works = Command::new("taskset")
        .args(["-c", "0", "true"])
        .status()
        .is_ok_and(|s| s.success());
    (cores >= 2 && works).then(|| {
        let mut command = Command::new("taskset");
        command.args(["-c", &cpu.to_string()]);
        command
    })
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
    // The client on CPU 1 (the server gets CPU 0): run again under taskset, once.
    if std::env::var_os("CASHFREE_BENCH_PINNED").is_none()
        && let Some(mut taskset) = pin(1)
    {
        let status = taskset
            .arg(std::env::current_exe().unwrap())
            .args(std::env::args_os().skip(1))
            .env("CASHFREE_BENCH_PINNED", "1")
            .status()
            .unwrap();
        std::process::exit(status.code().unwrap_or(1));
    }
    let pinned = std::env::var_os("CASHFREE_BENCH_PINNED").is_some();
    let (mut child, base) = spawn_server();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        // The crate with its own reqwest::Client, as a user gets it.
        let build = |signing: bool| {
            let mut b = Client::builder()
                .base_url(&base)
                .credentials(ID, SECRET)
                .retry_policy(RetryPolicy::default());
            if signing {
                b = b.public_key_pem(include_str!("../tests/fixtures/test_key_public.pem"));
            }
            Caller::Crate(b.build().unwrap())
        };
        let (ours, signed) = (build(false), build(true));
        // Hand-written reqwest as a careful user writes it: the same TLS provider (ring, installed
        // process-wide by the crate's client above), the same timeouts, no redirects; reqwest's
        // other defaults as they come.
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .connect_timeout(cashfree_verification::config::DEFAULT_CONNECT_TIMEOUT)
            .timeout(cashfree_verification::config::DEFAULT_TIMEOUT)
            .build()
            .unwrap();
        let raw = Caller::Raw(http, base.clone());
        // `--only raw|crate|signed N`: just N sequential calls of one side, for a profiler such as
        // `valgrind --tool=callgrind` (instructions per call: subtract a run with a smaller N).
        let args: Vec<String> = std::env::args().collect();
        if let Some(i) = args.iter().position(|a| a == "--only") {
            let caller = match args.get(i + 1).map(String::as_str) {
                Some("raw") => &raw,
                Some("crate") => &ours,
                Some("signed") => &signed,
                other => panic!("--only takes raw, crate or signed, not {other:?}"),
            };
            let n = args.get(i + 2).and_then(|n| n.parse().ok()).unwrap_or(1000);
            let run = measure(caller, 1, n).await;
            println!(
                "{n} calls, {:.1} allocations each",
                run.allocations_per_request
            );
            return;
        }
        for caller in [&raw, &ours, &signed] {
            measure(caller, 1, 500).await;
        }
        let rounds = 9;
        let mut rows: Vec<(&str, Vec<f64>, Vec<f64>)> = Vec::new();
        for (label, concurrency, requests) in [
            ("sequential req/s", 1, 3000),
            ("32 concurrent req/s", 32, 6400),
        ] {
            let (mut a, mut b, mut cpu_a, mut cpu_b, mut alloc_a, mut alloc_b) =
                (vec![], vec![], vec![], vec![], vec![], vec![]);
            for round in 0..rounds {
                // Alternate which goes first, so neither always gets the warmer caches.
                let (r, o) = if round % 2 == 0 {
                    let r = measure(&raw, concurrency, requests).await;
                    (r, measure(&ours, concurrency, requests).await)
                } else {
                    let o = measure(&ours, concurrency, requests).await;
                    (measure(&raw, concurrency, requests).await, o)
                };
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
        let given = match &ours {
            Caller::Crate(client) => Caller::Given(client.clone(), "A".repeat(344)),
            _ => unreachable!(),
        };
        let (mut off, mut on, mut fixed) = (vec![], vec![], vec![]);
        for round in 0..rounds {
            let mut order = [(&ours, &mut off), (&signed, &mut on), (&given, &mut fixed)];
            order.rotate_left(round % 3);
            for (caller, results) in order {
                results.push(measure(caller, 1, 3000).await.per_second);
            }
        }
        println!(
            "medians of {rounds} interleaved rounds; server in a child process{}",
            if pinned {
                ", server on CPU 0 and client on CPU 1"
            } else {
                " (not pinned: no taskset or one CPU)"
            }
        );
        println!(
            "{:<30} {:>12} {:>12} {:>7}",
            "figure", "raw reqwest", "this crate", "ratio"
        );
        for (label, a, b) in rows {
            let (a, b) = (median(a), median(b));
            println!("{label:<30} {a:>12.1} {b:>12.1} {:>7.3}", b / a);
        }
        let (off, on, fixed) = (median(off), median(on), median(fixed));
        println!(
            "{:<30} {off:>12.1} {on:>12.1} {:>7.3}",
            "signing off vs on (req/s)",
            on / off
        );
        println!(
            "{:<30} {fixed:>12.1} {on:>12.1} {:>7.3}",
            "same header given vs signing",
            on / fixed
        );
    });
    let _ = child.kill();
}
