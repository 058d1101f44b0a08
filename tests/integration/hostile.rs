//! Hostile servers and hostile configuration (issue "Hostile input", client items 1 to 6): each test
//! is named for the item it guards, over real HTTP on 127.0.0.1 where a server is involved.

use std::time::{Duration, Instant};

use cashfree_verification::{Client, ClientBuilder, Error, ErrorKind};
use serde_json::json;

use crate::common::calls::{VKYC_ID, VKYC_SECRET, client_for, closed_port, token_call};
use crate::common::scripted::{Reply, Server, bounded};

fn unauthorized(message: &str) -> Reply {
    Reply::json(
        401,
        json!({"type": "authentication_error", "code": "authentication_failed", "message": message}),
    )
}

/// Item 1: a 3xx to another host or port is an error naming status and `Location`; the other host
/// receives nothing, whatever the status (307/308 would also replay the body).
#[tokio::test]
async fn hostile_1_redirects_are_never_followed() {
    bounded(20, async {
        let api = Server::start().await;
        let elsewhere = Server::start().await;
        let target = format!("{}/steal", elsewhere.url);
        let own_client = cashfree_verification::tls::client_builder()
            .build()
            .unwrap();
        for (status, custom_http) in [
            (301, false),
            (302, false),
            (303, false),
            (307, false),
            (308, false),
            (307, true),
        ] {
            api.push(Reply::raw(status, "text/plain", "").header("location", &target));
            let mut builder = client_for(&api);
            if custom_http {
                builder = builder.http_client(own_client.clone());
            }
            let client = builder.build().unwrap();
            let err = token_call(&client)
                .send()
                .await
                .map_err(Error::from)
                .unwrap_err();
            assert_eq!(err.kind(), ErrorKind::Redirect, "{status}: {err}");
            assert_eq!(err.status().map(|s| s.as_u16()), Some(status));
            assert_eq!(err.location(), Some(target.as_str()));
            let shown = err.to_string();
            assert!(
                shown.contains(&format!("HTTP {status}")) && shown.contains(&target),
                "{shown}"
            );
            assert!(!err.is_retryable());
        }
        assert_eq!(api.requests().len(), 6);
        assert!(
            elsewhere.requests().is_empty(),
            "credentials followed a redirect"
        );
    })
    .await;
}

/// Item 2: `Display` is one line with control characters escaped and server text bounded; the whole
/// message stays available from `api_message()`.
#[tokio::test]
async fn hostile_2_display_is_one_bounded_line() {
    bounded(20, async {
        let server = Server::start().await;
        let forged =
            "denied\n2026-01-01 INFO payment ok\r\x1b[31mred\x1b[0m\u{202e}txt.exe\u{2028}x";
        let huge = "A".repeat(900_000);
        server.push(unauthorized(forged)).push(unauthorized(&huge));
        let client = client_for(&server).build().unwrap();

        let err = token_call(&client)
            .send()
            .await
            .map_err(Error::from)
            .unwrap_err();
        assert_eq!(err.api_message(), Some(forged));
        let shown = err.to_string();
        for bad in ['\n', '\r', '\x1b', '\u{202e}', '\u{2028}'] {
            assert!(!shown.contains(bad), "{bad:?} printed raw in {shown:?}");
        }
        assert!(
            shown.contains("denied\\n2026-01-01 INFO payment ok\\r\\u{1b}[31mred"),
            "{shown}"
        );

        let err = token_call(&client)
            .send()
            .await
            .map_err(Error::from)
            .unwrap_err();
        assert_eq!(err.api_message().map(str::len), Some(900_000));
        let shown = err.to_string();
        assert!(shown.len() < 600, "Display is {} bytes", shown.len());
        assert!(shown.contains(&format!("{}…", "A".repeat(200))), "{shown}");
    })
    .await;
}

/// Item 3: a base URL with user name, password, query or fragment is refused, and neither the error
/// nor any `Debug` shows the secret part.
#[test]
fn hostile_3_base_url_userinfo_query_and_fragment_are_refused_unechoed() {
    for url in [
        "http://admin:pw-SECRET@example.com",
        "https://admin:pw-SECRET@api.example.com/verification",
        "https://user-SECRET@api.example.com",
        "http://admin:pw-SECRET@127.0.0.1:9",
        "https://api.example.com/ok?token=pw-SECRET",
        "https://api.example.com/ok?",
        "https://api.example.com/ok#",
        "https://api.example.com/ok#pw-SECRET",
        "http://admin:pw-SECRET@exa mple.com",
    ] {
        let builder = Client::builder()
            .base_url(url)
            .credentials(VKYC_ID, VKYC_SECRET);
        let debug = format!("{builder:?}");
        assert!(!debug.contains("SECRET"), "{debug}");
        let err = builder.build().unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Config, "{url}");
        let shown = format!("{err} {err:?}");
        assert!(!shown.contains("SECRET"), "{shown}");
        assert!(shown.contains("base URL"), "{shown}");
    }
    let env = cashfree_verification::Environment::Custom("https://a:pw-SECRET@x.example".into());
    assert!(!format!("{env:?}").contains("SECRET"));
    // What is refused stays refused; what is fine stays fine.
    assert!(
        Client::builder()
            .base_url("https://api.example.com/verification/")
            .build()
            .is_ok()
    );
}

/// Item 4: `CASHFREE_PUBLIC_KEY` as a path reads only a small regular file: devices, FIFOs and big
/// files are refused at once with a clear error.
#[test]
fn hostile_4_public_key_file_is_a_small_regular_file() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("key.fifo");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(made.success());
    let big = dir.path().join("big.pem");
    std::fs::write(&big, vec![b'A'; 50 * 1024 * 1024]).unwrap();
    let cases = [
        ("/dev/zero".to_string(), "not a regular file"),
        (fifo.display().to_string(), "not a regular file"),
        (dir.path().display().to_string(), "not a regular file"),
        (big.display().to_string(), "larger than 16384 bytes"),
        (
            dir.path().join("absent.pem").display().to_string(),
            "No such file",
        ),
    ];
    for (path, why) in cases {
        let started = Instant::now();
        let err =
            ClientBuilder::from_vars(|name| (name == "CASHFREE_PUBLIC_KEY").then(|| path.clone()))
                .build()
                .unwrap_err();
        assert!(
            started.elapsed() < Duration::from_secs(2),
            "{path} took {:?}",
            started.elapsed()
        );
        let shown = err.to_string();
        assert!(
            shown.contains("CASHFREE_PUBLIC_KEY") && shown.contains(why),
            "{path}: {shown}"
        );
    }
    let key = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/test_key_public.pem"
    );
    let ok =
        ClientBuilder::from_vars(|name| (name == "CASHFREE_PUBLIC_KEY").then(|| key.to_string()));
    assert!(ok.build().is_ok());
}

/// Item 6: `x-api-version` must name a real date, from the builder and on a call; the bad call sends
/// nothing.
#[tokio::test]
async fn hostile_6_api_version_is_a_real_date() {
    bounded(10, async {
        for bad in ["2024-02-31", "2023-02-29", "2024-04-31"] {
            let err = Client::builder().api_version(bad).build().unwrap_err();
            assert!(err.to_string().contains(bad), "{err}");
        }
        assert!(Client::builder().api_version("2024-02-29").build().is_ok());

        let server = Server::start().await;
        let client = client_for(&server).build().unwrap();
        let err = token_call(&client)
            .x_api_version("2024-02-31")
            .send()
            .await
            .map_err(Error::from)
            .unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Validation, "{err}");
        assert_eq!(
            err.code().map(|c| c.as_str()),
            Some("x-api-version_value_invalid")
        );
        assert!(server.requests().is_empty());
    })
    .await;
}

// Second round (issue 20): rows 1, 2, 5, 6, 7 and the failure log, each from outside the crate:
// real files (a FIFO, a sparse file), a raw HTTP server on 127.0.0.1 that sees exactly what was
// sent, and fresh child processes where memory or process-wide state is measured.

/// One request as [`Capture`] received it: its head as text, and its body's length and FNV-1a hash
/// (the body itself is not kept, so a large upload costs the server no memory).
#[derive(Debug, Clone, PartialEq, Eq)]
struct Seen {
    head: String,
    len: u64,
    hash: u64,
}

/// A raw HTTP/1.1 server on 127.0.0.1 (std threads, keep-alive): answers each request with the
/// next of `replies` (the last one again when they run out) and records what it received.
struct Capture {
    url: String,
    seen: std::sync::Arc<std::sync::Mutex<Vec<Seen>>>,
}

impl Capture {
    fn start(replies: Vec<(u16, &'static str)>) -> Capture {
        use std::io::{BufRead as _, Read as _, Write as _};
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let seen = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let replies = std::sync::Arc::new(std::sync::Mutex::new(replies));
        let record = seen.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(stream) = stream else { return };
                let (record, replies) = (record.clone(), replies.clone());
                std::thread::spawn(move || {
                    let mut writer = stream.try_clone().unwrap();
                    let mut reader = std::io::BufReader::new(stream);
                    loop {
                        let mut head = String::new();
                        loop {
                            let mut line = String::new();
                            if reader.read_line(&mut line).unwrap_or(0) == 0 {
                                return;
                            }
                            if line == "\r\n" {
                                break;
                            }
                            head.push_str(&line);
                        }
                        let len: u64 = head
                            .lines()
                            .find_map(|l| {
                                let (k, v) = l.split_once(':')?;
                                k.eq_ignore_ascii_case("content-length")
                                    .then(|| v.trim().parse().ok())?
                            })
                            .unwrap_or(0);
                        let (mut hash, mut left) = (0xcbf2_9ce4_8422_2325_u64, len);
                        let mut buf = vec![0u8; 64 * 1024];
                        while left > 0 {
                            let want = buf.len().min(left as usize);
                            let Ok(n) = reader.read(&mut buf[..want]) else {
                                return;
                            };
                            if n == 0 {
                                return;
                            }
                            for b in &buf[..n] {
                                hash = (hash ^ u64::from(*b)).wrapping_mul(0x100_0000_01b3);
                            }
                            left -= n as u64;
                        }
                        record.lock().unwrap().push(Seen { head, len, hash });
                        let (status, body) = {
                            let mut r = replies.lock().unwrap();
                            if r.len() > 1 { r.remove(0) } else { r[0] }
                        };
                        let extra = if status == 429 {
                            "retry-after: 0\r\n"
                        } else {
                            ""
                        };
                        let answer = format!(
                            "HTTP/1.1 {status} X\r\ncontent-type: application/json\r\n{extra}content-length: {}\r\n\r\n{body}",
                            body.len()
                        );
                        if writer.write_all(answer.as_bytes()).is_err() {
                            return;
                        }
                    }
                });
            }
        });
        Capture { url, seen }
    }

    fn seen(&self) -> Vec<Seen> {
        self.seen.lock().unwrap().clone()
    }
}

/// Runs the `#[ignore]`d test `name` of this binary alone in a fresh process, with
/// `CASHFREE_HOSTILE_CHILD=mode`: (exit code, stdout, stderr). Bounded by the child's own bound.
fn child(name: &str, mode: &str) -> (Option<i32>, String, String) {
    let out = std::process::Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            name,
            "--ignored",
            "--nocapture",
            "--test-threads",
            "1",
        ])
        .env("CASHFREE_HOSTILE_CHILD", mode)
        .env("RUST_BACKTRACE", "0")
        .output()
        .unwrap();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn child_mode() -> String {
    std::env::var("CASHFREE_HOSTILE_CHILD").expect("run by its parent test, which sets the mode")
}

/// Row 1: `FilePart::from_path` reads only a regular file of at most `upload::MAX_FILE_BYTES`,
/// checked from metadata: a FIFO with no writer, `/dev/zero`, a directory and a sparse 2 GB file
/// are refused at once (no read, no hang) with an error naming why and the limit.
#[test]
fn hostile2_1_from_path_reads_only_a_bounded_regular_file() {
    use cashfree_verification::FilePart;
    use cashfree_verification::upload::MAX_FILE_BYTES;
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("photo.jpg");
    assert!(
        std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    let sparse = dir.path().join("disk.png");
    std::fs::File::create(&sparse)
        .unwrap()
        .set_len(2 * 1024 * 1024 * 1024)
        .unwrap();
    let limit = format!("larger than {MAX_FILE_BYTES} bytes, the limit for a file to upload");
    let cases = [
        (
            fifo.clone(),
            std::io::ErrorKind::InvalidInput,
            "not a regular file".to_string(),
        ),
        (
            "/dev/zero".into(),
            std::io::ErrorKind::InvalidInput,
            "not a regular file".into(),
        ),
        (
            dir.path().to_path_buf(),
            std::io::ErrorKind::InvalidInput,
            "not a regular file".into(),
        ),
        (
            sparse.clone(),
            std::io::ErrorKind::FileTooLarge,
            format!("is 2147483648 bytes, {limit}"),
        ),
    ];
    // Each in a thread of its own, so a read that blocks (a FIFO) fails the test instead of hanging it.
    let from_path = |path: &std::path::Path| {
        let (tx, rx) = std::sync::mpsc::channel();
        let path = path.to_path_buf();
        std::thread::spawn(move || {
            let _ = tx.send(FilePart::from_path(&path).map(|p| p.bytes().len()));
        });
        rx.recv_timeout(Duration::from_secs(5))
            .expect("from_path returned within 5 s")
    };
    for (path, kind, why) in cases {
        let started = Instant::now();
        let err = from_path(&path).unwrap_err();
        assert!(
            started.elapsed() < Duration::from_secs(2),
            "{}: {:?}",
            path.display(),
            started.elapsed()
        );
        assert_eq!(err.kind(), kind, "{}: {err}", path.display());
        let shown = err.to_string();
        assert!(
            shown.contains(&path.display().to_string()) && shown.contains(&why),
            "{shown}"
        );
    }
    // Just at the limit is read; one byte more is refused before reading.
    let at_limit = dir.path().join("big.jpg");
    let file = std::fs::File::create(&at_limit).unwrap();
    file.set_len(MAX_FILE_BYTES).unwrap();
    let part = FilePart::from_path(&at_limit).unwrap();
    assert_eq!(
        (part.bytes().len() as u64, part.content_type()),
        (MAX_FILE_BYTES, "image/jpeg")
    );
    file.set_len(MAX_FILE_BYTES + 1).unwrap();
    let err = FilePart::from_path(&at_limit).unwrap_err();
    assert!(err.to_string().contains(&limit), "{err}");
}

/// Row 2, in a child process: a 30 MiB face-match upload answered 429 then 200. The file's bytes
/// exist once; the call (both attempts) adds at most a fraction of the body to the peak RSS.
#[cfg(all(target_os = "linux", feature = "face-match"))]
#[test]
#[ignore = "run in a fresh process by hostile2_2_an_upload_holds_its_file_once_and_resends_the_same_bytes"]
fn hostile2_2_child_upload() {
    use cashfree_verification::{FilePart, RetryPolicy, types};
    assert_eq!(child_mode(), "upload");
    let status = |key: &str| -> u64 {
        let text = std::fs::read_to_string("/proc/self/status").unwrap();
        text.lines()
            .find_map(|l| {
                l.strip_prefix(key)?
                    .trim()
                    .strip_suffix("kB")?
                    .trim()
                    .parse()
                    .ok()
            })
            .unwrap()
    };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let server = Capture::start(vec![(429, "{}"), (200, r#"{"verification_id": "face-1"}"#)]);
    let client = Client::builder()
        .base_url(&server.url)
        .credentials(VKYC_ID, VKYC_SECRET)
        .retry_policy(RetryPolicy::default())
        .build()
        .unwrap();
    const SIZE: usize = 30 * 1024 * 1024;
    // Every page written, so the file is resident before measuring.
    let bytes: Vec<u8> = (0..SIZE).map(|i| (i * 7 % 251) as u8).collect();
    let first = FilePart::from_bytes("selfie.jpg", "image/jpeg", bytes);
    let second = FilePart::from_bytes("id.png", "image/png", b"PNG".to_vec());
    // The peak from here on (Linux: writing 5 to clear_refs resets VmHWM to the current RSS).
    std::fs::write("/proc/self/clear_refs", "5").unwrap();
    let before = status("VmRSS:");
    let call = client.vrs_face_match_verification().body(
        types::VrsFaceMatchVerificationBody::builder()
            .verification_id("face-1")
            .first_image(first.clone())
            .second_image(second),
    );
    let _ = runtime.block_on(async {
        tokio::time::timeout(Duration::from_secs(60), call.send())
            .await
            .expect("bounded")
    });
    let peak = status("VmHWM:");
    let seen = server.seen();
    println!(
        "RESULT before_kib={before} peak_kib={peak} requests={} len0={} len1={} same={}",
        seen.len(),
        seen.first().map_or(0, |s| s.len),
        seen.get(1).map_or(0, |s| s.len),
        seen.len() == 2 && seen[0].len == seen[1].len && seen[0].hash == seen[1].hash
    );
    drop(first);
}

/// Row 2: a 30 MiB upload retried once costs about nothing over the file itself (it was five times
/// the file: base64 JSON, a parsed copy, a decoded copy, the part and the body), and the retry
/// sends the same bytes; a part over the limit fails before any I/O, naming the limit.
#[cfg(all(target_os = "linux", feature = "face-match"))]
#[tokio::test]
async fn hostile2_2_an_upload_holds_its_file_once_and_resends_the_same_bytes() {
    use cashfree_verification::{FilePart, types};
    let (code, stdout, stderr) = child("hostile::hostile2_2_child_upload", "upload");
    assert_eq!(code, Some(0), "{stdout}{stderr}");
    let line = stdout
        .lines()
        .find_map(|l| Some(&l[l.find("RESULT ")?..]))
        .unwrap_or_else(|| panic!("{stdout}{stderr}"));
    let field = |k: &str| -> String {
        line.split(' ')
            .find_map(|kv| kv.strip_prefix(&format!("{k}=")))
            .unwrap()
            .to_string()
    };
    let num = |k: &str| field(k).parse::<u64>().unwrap();
    assert_eq!(num("requests"), 2, "{line}");
    assert!(num("len0") > 30 * 1024 * 1024, "{line}");
    assert_eq!(field("same"), "true", "{line}");
    let extra_kib = num("peak_kib") - num("before_kib");
    assert!(
        extra_kib < 8 * 1024,
        "the call raised peak RSS by {extra_kib} KiB for a 30 MiB file: {line}"
    );

    bounded(20, async {
        let server = Capture::start(vec![(200, "{}")]);
        let client = Client::builder()
            .base_url(&server.url)
            .credentials(VKYC_ID, VKYC_SECRET)
            .build()
            .unwrap();
        let size = 100 * 1024 * 1024;
        let huge = FilePart::from_bytes("huge.jpg", "image/jpeg", vec![0u8; size]);
        let err = client
            .vrs_face_match_verification()
            .body(
                types::VrsFaceMatchVerificationBody::builder()
                    .verification_id("face-2")
                    .first_image(huge)
                    .second_image(FilePart::from_bytes("b.png", "image/png", b"P".to_vec())),
            )
            .send()
            .await
            .map_err(Error::from)
            .unwrap_err();
        let shown = err.to_string();
        assert!(
            shown.contains(&format!(
                "is {size} bytes, larger than {} bytes, the limit for a file to upload",
                cashfree_verification::upload::MAX_FILE_BYTES
            )),
            "{shown}"
        );
        assert!(server.seen().is_empty(), "nothing is sent");
    })
    .await;
}

/// Row 5: a per-call bearer token is refused before I/O when empty or not visible ASCII, and its
/// scheme is recognised whatever its case; what the server receives is checked on the wire.
#[tokio::test]
async fn hostile2_5_a_bearer_token_given_on_the_call_is_checked() {
    bounded(20, async {
        let server = Capture::start(vec![(200, "{}")]);
        let client = Client::builder()
            .base_url(&server.url)
            .one_click_credentials("uv-id", "uv-secret")
            .build()
            .unwrap();
        let send = |token: &'static str| {
            let client = &client;
            async move {
                client
                    .vrs_user_vault_fetch_details_from_access_token()
                    .authorization(token)
                    .send()
                    .await
                    .map_err(Error::from)
            }
        };
        for (token, why) in [
            ("", "is empty"),
            (" ", "is empty"),
            (
                "Bearer ",
                "is empty (no credential after the Bearer scheme)",
            ),
            ("bearer", "is empty (no credential after the Bearer scheme)"),
            ("tök", "not visible ASCII"),
            ("a b", "not visible ASCII"),
            ("Bearer a\tb", "not visible ASCII"),
        ] {
            let err = send(token).await.unwrap_err();
            assert_eq!(
                err.kind(),
                ErrorKind::MissingCredentials,
                "{token:?}: {err}"
            );
            let shown = err.to_string();
            assert!(
                shown.contains("the authorization header given on the call") && shown.contains(why),
                "{token:?}: {shown}"
            );
            assert!(!shown.contains("tök"), "{shown}");
        }
        assert!(server.seen().is_empty(), "a refused token was sent");
        for (token, sent) in [
            ("bearer x", "Bearer x"),
            ("BEARER  x.y-z", "Bearer x.y-z"),
            ("Bearer tok", "Bearer tok"),
            (" tok ", "Bearer tok"),
            ("bearerish", "Bearer bearerish"),
        ] {
            let _ = send(token).await;
            let seen = server.seen();
            let head = &seen.last().unwrap().head;
            let value = head
                .lines()
                .find_map(|l| l.strip_prefix("authorization: "))
                .unwrap_or_else(|| panic!("{head}"));
            assert_eq!(value, sent, "{token:?}");
        }
    })
    .await;
}

/// Row 6: `CASHFREE_BASE_URL` whose password holds `/`, `?`, `#` or `@` (so the URL does not
/// parse, or parses with the password in the path) is refused, and no part of the password shows
/// in the error or in the builder's `Debug`.
#[test]
fn hostile2_6_no_part_of_a_base_url_password_is_ever_shown() {
    let secrets = ["SEC/RET", "SEC?RET", "SEC#RET", "SE@C/R?E#T", "SEC://RET"];
    for secret in secrets {
        for url in [
            format!("https://admin:{secret}@api.example.com/verification"),
            format!("https://{secret}@api.example.com"),
            format!("http://admin:{secret}@127.0.0.1:9"),
            format!("https://api.example.com/ok?token={secret}"),
            format!("https://admin:{secret}@api.example.com/x?q={secret}#{secret}"),
        ] {
            let builder =
                ClientBuilder::from_vars(|name| (name == "CASHFREE_BASE_URL").then(|| url.clone()))
                    .credentials(VKYC_ID, VKYC_SECRET);
            let debug = format!("{builder:?}");
            let err = builder.build().unwrap_err();
            let shown = format!("{debug} {err} {err:?}");
            for piece in ["SEC", "RET", "E#T", "R?E"] {
                assert!(!shown.contains(piece), "{url}: {piece} in {shown}");
            }
            assert!(shown.contains("base URL"), "{shown}");
        }
    }
}

/// Row 7, in a child process: what a program that builds its own `reqwest::Client` gets, by what
/// it does first.
#[test]
#[ignore = "run in a fresh process by hostile2_7_the_applications_own_reqwest_client_works"]
fn hostile2_7_child_own_reqwest() {
    match child_mode().as_str() {
        "documented" => cashfree_verification::tls::install_default_provider(),
        "crate-builder-first" => drop(Client::builder()),
        "nothing-first" => {}
        other => panic!("unknown mode {other}"),
    }
    let mine = reqwest::Client::builder().build();
    println!("RESULT built={}", mine.is_ok());
}

/// Row 7: the crate enables reqwest's rustls without a provider (to build ring, not aws-lc-rs),
/// in the application's reqwest too. An application that calls
/// `tls::install_default_provider()` first, or makes the crate's builder first, can build its own
/// `reqwest::Client`; one that does neither panics as reqwest says (the control, which shows the
/// child can fail).
#[cfg(all(feature = "rustls", not(feature = "native-tls")))]
#[test]
fn hostile2_7_the_applications_own_reqwest_client_works() {
    for mode in ["documented", "crate-builder-first"] {
        let (code, stdout, stderr) = child("hostile::hostile2_7_child_own_reqwest", mode);
        assert_eq!(code, Some(0), "{mode}: {stdout}{stderr}");
        assert!(stdout.contains("RESULT built=true"), "{mode}: {stdout}");
    }
    let (code, stdout, stderr) = child("hostile::hostile2_7_child_own_reqwest", "nothing-first");
    assert_ne!(code, Some(0), "{stdout}");
    assert!(stderr.contains("No rustls crypto provider"), "{stderr}");
}

/// The failure log: a failed call is logged at WARN with its operation and path template, never
/// the URL's query (ids such as `reference_id`, `user_id`); the URL is logged at DEBUG only.
#[cfg(feature = "bav-v2")]
#[tokio::test]
async fn hostile2_failure_log_names_the_path_template_not_the_query() {
    use std::sync::{Arc, Mutex};
    #[derive(Clone, Default)]
    struct Lines(Arc<Mutex<Vec<u8>>>);
    impl std::io::Write for Lines {
        fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(b);
            Ok(b.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let lines = Lines::default();
    let writer = lines.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::WARN)
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);
    // Nothing listens on this port: the call fails to connect.
    let port = closed_port();
    let client = Client::builder()
        .base_url(format!("http://127.0.0.1:{port}"))
        .credentials(VKYC_ID, VKYC_SECRET)
        .retry_policy(cashfree_verification::RetryPolicy::none())
        .build()
        .unwrap();
    let err = bounded(10, async {
        client
            .vrs_bav_get_status()
            .reference_id("ref-ID-SECRET-7")
            .user_id("user-ID-SECRET-42")
            .send()
            .await
            .map_err(Error::from)
            .unwrap_err()
    })
    .await;
    assert!(!err.to_string().is_empty());
    let text = String::from_utf8(lines.0.lock().unwrap().clone()).unwrap();
    assert!(text.contains("cashfree request failed"), "{text}");
    assert!(
        text.contains("path=\"/bank-account\"") || text.contains("path=/bank-account"),
        "{text}"
    );
    assert!(text.contains("vrs_bav_get_status"), "{text}");
    assert!(!text.contains("ID-SECRET"), "{text}");
}

/// Issue 20, row 4: a 200 whose body is not JSON, too large, endless or too deeply nested ends as a
/// `Decode` error that keeps the status, the request id and the body as read (bounded), and says why.
#[tokio::test]
async fn hostile2_4_an_unreadable_200_keeps_status_request_id_and_bounded_body() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    bounded(30, async {
        const LIMIT: usize = 64 * 1024;
        let server = Server::start().await;
        let client = client_for(&server).max_response_bytes(LIMIT).build().unwrap();
        let deep = "[".repeat(5_000) + &"]".repeat(5_000);
        let large = format!("{{\"access_token\": \"{}\"}}", "x".repeat(3 * LIMIT));
        for (what, body, why) in [
            ("not JSON", "<html>ok</html>".to_string(), "does not decode"),
            ("too large", large, "cut"),
            ("too deep", deep, "does not decode"),
        ] {
            server.push(Reply::Respond {
                status: 200,
                content_type: "application/json".into(),
                headers: vec![("x-request-id".into(), "r4".into())],
                body: body.clone().into_bytes(),
            });
            let err = Error::from(token_call(&client).send().await.unwrap_err());
            assert_eq!(err.kind(), ErrorKind::Decode, "{what}: {err}");
            assert_eq!(err.status().map(|s| s.as_u16()), Some(200), "{what}");
            assert_eq!(err.request_id(), Some("r4"), "{what}");
            let kept = err.body().expect("the body as read is kept");
            assert!(kept.len() <= LIMIT, "{what}: {} bytes kept", kept.len());
            assert_eq!(kept, &body.as_bytes()[..kept.len()], "{what}: kept as sent");
            assert!(err.to_string().contains(why), "{what}: {err}");
        }

        // Endless: a chunked 200 that never ends is read up to the bound, then reported.
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move {
            let (mut stream, _) = listener.accept().await.unwrap();
            let mut head = [0u8; 4096];
            let _ = stream.read(&mut head).await;
            let _ = stream
                .write_all(b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\nx-request-id: r4-endless\r\ntransfer-encoding: chunked\r\n\r\n")
                .await;
            let chunk = format!("{:x}\r\n{}\r\n", 1024, "[".repeat(1024));
            while stream.write_all(chunk.as_bytes()).await.is_ok() {}
        });
        let client = Client::builder()
            .base_url(format!("http://{addr}"))
            .credentials(VKYC_ID, VKYC_SECRET)
            .max_response_bytes(LIMIT)
            .build()
            .unwrap();
        let err = Error::from(token_call(&client).send().await.unwrap_err());
        assert_eq!(err.kind(), ErrorKind::Decode, "endless: {err}");
        assert_eq!(err.status().map(|s| s.as_u16()), Some(200));
        assert_eq!(err.request_id(), Some("r4-endless"));
        assert_eq!(err.body().map(<[u8]>::len), Some(LIMIT));
        assert!(err.to_string().contains("cut"), "{err}");
    })
    .await;
}
