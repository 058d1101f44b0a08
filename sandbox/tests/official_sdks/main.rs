//! Cashfree's official SDKs, PyPI `cashfree-verification` and npm `cashfree-verification` at the
//! versions pinned in `sdk-tests/`, call every operation they expose against the standalone
//! `cashfree-sandbox`, pointed at it in code (Python: the configuration's host; Node:
//! `Cashfree.basePath`, with `Cashfree.XEnableErrorAnalytics = false`).
//!
//! Each script prints one JSON line per operation; every failure must be on the expected-failure
//! list (`sdk-tests/expected-failures.txt`, a reason per entry: where Cashfree's own SDK cannot
//! read Cashfree's own documented answer, or sends what Cashfree's spec refuses), and every entry
//! on it must still fail. No test traffic leaves 127.0.0.1: each script refuses, in process, any
//! connection or name lookup for another host and reports each refusal (there must be none), and
//! every proxy variable points at a closed port on 127.0.0.1, so a path that escaped the guard
//! would fail loudly there rather than reach a network.
//!
//! Without the SDKs installed (a fresh clone) both tests say plainly that they skipped; with
//! `CASHFREE_REQUIRE_SDKS=1` (as `.ci/run` sets) that is a failure. Install them with
//! `sdk-tests/install`, which prints the variable to set.

mod child;
mod expected;
mod requests;

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use cashfree_verification_sandbox::DEFAULT_CREDENTIALS;
use serde_json::Value;

use child::{Sandbox, run_bounded};
use expected::Outcome;

/// The Python interpreter with the pinned SDK installed.
const PYTHON_VAR: &str = "CASHFREE_SDK_PYTHON";
/// `1`: a missing SDK fails the test instead of skipping it.
const REQUIRE_VAR: &str = "CASHFREE_REQUIRE_SDKS";
/// A whole script: ~40 calls on loopback take a few seconds; the rest is headroom for a loaded
/// machine.
const SCRIPT_LIMIT: Duration = Duration::from_secs(180);

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the sandbox crate sits in the workspace")
        .to_path_buf()
}

#[test]
fn python_sdk_calls_every_operation_against_the_standalone_sandbox() {
    let folder = repo().join("sdk-tests/python");
    let Some(python) = std::env::var_os(PYTHON_VAR) else {
        return skipped(
            "python",
            &format!("{PYTHON_VAR} is not set (sdk-tests/install makes a venv and prints it)"),
        );
    };
    let mut command = Command::new(&python);
    command
        .arg(folder.join("call_every_operation.py"))
        .env("PYTHONDONTWRITEBYTECODE", "1")
        .current_dir(&folder);
    let pinned = pinned_in(
        &folder.join("requirements.txt"),
        "cashfree-verification==",
        "",
    );
    check_sdk("python", command, &pinned);
}

#[test]
fn node_sdk_calls_every_operation_against_the_standalone_sandbox() {
    let folder = repo().join("sdk-tests/node");
    if !folder
        .join("node_modules/cashfree-verification/package.json")
        .exists()
    {
        return skipped(
            "node",
            "sdk-tests/node/node_modules has no cashfree-verification (run `npm ci` there, or sdk-tests/install)",
        );
    }
    if Command::new("node").arg("--version").output().is_err() {
        return skipped("node", "no `node` on PATH");
    }
    let mut command = Command::new("node");
    command
        .arg(folder.join("call_every_operation.js"))
        .current_dir(&folder);
    let pinned = pinned_in(
        &folder.join("package.json"),
        "\"cashfree-verification\": \"",
        "\"",
    );
    check_sdk("node", command, &pinned);
}

fn skipped(sdk: &str, why: &str) {
    if std::env::var(REQUIRE_VAR).as_deref() == Ok("1") {
        panic!("{REQUIRE_VAR}=1 but the {sdk} SDK is not installed: {why}");
    }
    eprintln!("skipped: Cashfree's official {sdk} SDK against the sandbox: {why}");
}

/// The version pinned in a committed file: the text between `before` and `after` on its line.
fn pinned_in(file: &Path, before: &str, after: &str) -> String {
    let text = std::fs::read_to_string(file).expect("read the pin file");
    let rest = text
        .split_once(before)
        .unwrap_or_else(|| panic!("no {before:?} in {}", file.display()))
        .1;
    let end = if after.is_empty() {
        rest.find(|c: char| c.is_whitespace() || c == '\\')
    } else {
        rest.find(after)
    };
    rest[..end.unwrap_or(rest.len())].trim().to_string()
}

/// Runs one SDK's script against a fresh sandbox and checks what it reports.
fn check_sdk(sdk: &str, mut command: Command, pinned: &str) {
    let work = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("official_sdks")
        .join(sdk);
    std::fs::create_dir_all(&work).expect("create the work folder");
    let requests_file = write_requests(&work);

    let sandbox = Sandbox::start();
    // Cashfree's servers answer at `https://…/verification`; the SDKs are pointed at the same shape.
    let base_url = format!("{}/verification", sandbox.base_url);
    command
        .arg(&base_url)
        .arg(&requests_file)
        .env("CASHFREE_SDK_TEST_CLIENT_ID", DEFAULT_CREDENTIALS.0)
        .env("CASHFREE_SDK_TEST_CLIENT_SECRET", DEFAULT_CREDENTIALS.1);
    let dead_end = format!("http://127.0.0.1:{}", closed_port());
    for proxy in [
        "HTTP_PROXY",
        "HTTPS_PROXY",
        "ALL_PROXY",
        "http_proxy",
        "https_proxy",
        "all_proxy",
    ] {
        command.env(proxy, &dead_end);
    }
    command
        .env("NO_PROXY", "127.0.0.1,localhost")
        .env("no_proxy", "127.0.0.1,localhost");

    let finished = run_bounded(command, SCRIPT_LIMIT).unwrap_or_else(|e| panic!("{sdk}: {e}"));
    let report = Report::parse(sdk, &finished.stdout).unwrap_or_else(|e| {
        panic!(
            "{sdk}: {e}\nexit: {}\nstdout:\n{}\nstderr:\n{}",
            finished.status, finished.stdout, finished.stderr
        )
    });
    assert!(
        finished.status.success(),
        "{sdk} script exited {}\nstderr:\n{}",
        finished.status,
        finished.stderr
    );
    for o in &report.outcomes {
        let status = o.status.map_or("-".into(), |s| s.to_string());
        let word = if o.ok { "ok" } else { "FAILED" };
        println!(
            "{sdk} {:<44} {:<44} {word:<6} {status:<3} {}",
            o.operation, o.request, o.reason
        );
    }
    let failed = report.outcomes.iter().filter(|o| !o.ok).count();
    println!(
        "{sdk} cashfree-verification {}: {} operations, {} ok, {failed} failed, against {base_url}",
        report.version,
        report.outcomes.len(),
        report.outcomes.len() - failed
    );

    assert_eq!(
        report.version, pinned,
        "{sdk}: the installed SDK is not the pinned one"
    );
    assert!(
        report.guard_self_test,
        "{sdk}: the loopback guard did not refuse its own test connection"
    );
    assert!(
        !report.error_analytics,
        "{sdk}: the SDK's error analytics (Sentry) started: they report outside 127.0.0.1"
    );
    assert!(
        report.refused.is_empty(),
        "{sdk}: traffic for hosts other than 127.0.0.1 was attempted (and refused): {:?}",
        report.refused
    );
    let list = std::fs::read_to_string(repo().join("sdk-tests/expected-failures.txt"))
        .expect("read sdk-tests/expected-failures.txt");
    let list = expected::parse(&list).expect("sdk-tests/expected-failures.txt");
    let problems = expected::disagreements(sdk, &report.outcomes, &list);
    assert!(
        problems.is_empty(),
        "{} disagreement(s) with sdk-tests/expected-failures.txt:\n{}",
        problems.len(),
        problems.join("\n")
    );
}

/// Writes the sample requests and the files multipart calls upload; returns the requests file.
fn write_requests(work: &Path) -> PathBuf {
    let spec =
        std::fs::read_to_string(repo().join("api/openapi.json")).expect("read api/openapi.json");
    let doc: Value = serde_json::from_str(&spec).expect("api/openapi.json is JSON");
    let image = work.join("sample.png");
    let pdf = work.join("sample.pdf");
    std::fs::write(&image, SAMPLE_PNG).expect("write sample.png");
    std::fs::write(&pdf, SAMPLE_PDF).expect("write sample.pdf");
    let requests = requests::sample_requests(
        &doc,
        image.to_str().expect("a UTF-8 target path"),
        pdf.to_str().expect("a UTF-8 target path"),
    );
    let file = work.join("requests.json");
    std::fs::write(&file, serde_json::to_vec_pretty(&requests).unwrap())
        .expect("write requests.json");
    file
}

/// A port on 127.0.0.1 that nothing listens on (bound, then released).
fn closed_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind an ephemeral port");
    listener.local_addr().unwrap().port()
}

/// A 1×1 PNG: what the image uploads (OCR, masking, face match) carry.
const SAMPLE_PNG: &[u8] = &[
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52,
    0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1f, 0x15, 0xc4,
    0x89, 0x00, 0x00, 0x00, 0x0b, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9c, 0x63, 0xf8, 0x0f, 0x04, 0x00,
    0x09, 0xfb, 0x03, 0xfd, 0xfb, 0x5e, 0x6b, 0x2b, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4e, 0x44,
    0xae, 0x42, 0x60, 0x82,
];

/// A one-page PDF: what the e-sign document upload carries.
const SAMPLE_PDF: &[u8] = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n\
2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n\
3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\n\
trailer<</Root 1 0 R>>\n%%EOF\n";

/// What one script printed, checked for shape.
struct Report {
    version: String,
    outcomes: Vec<Outcome>,
    guard_self_test: bool,
    refused: Vec<String>,
    /// Whether the SDK's error reporting had started (the Node SDK reports to Sentry unless
    /// `Cashfree.XEnableErrorAnalytics` is false; the Python SDK has none).
    error_analytics: bool,
}

impl Report {
    /// Reads the script's lines: one `sdk` line, one `call` line per operation, one `guard` line.
    fn parse(sdk: &str, stdout: &str) -> Result<Report, String> {
        let (mut version, mut operations, mut guard) = (None, None, None);
        let mut outcomes = Vec::new();
        for line in stdout.lines().filter(|l| l.starts_with('{')) {
            let v: Value =
                serde_json::from_str(line).map_err(|e| format!("not JSON ({e}): {line}"))?;
            let text = |key: &str| v[key].as_str().unwrap_or_default().to_string();
            match v["kind"].as_str() {
                Some("sdk") => {
                    version = Some(text("version"));
                    operations = v["operations"].as_u64();
                }
                Some("call") => outcomes.push(Outcome {
                    sdk: text("sdk"),
                    operation: text("operation"),
                    request: text("request"),
                    ok: v["outcome"] == "ok",
                    status: v["status"].as_u64().and_then(|s| u16::try_from(s).ok()),
                    reason: text("reason"),
                }),
                Some("guard") => guard = Some(v),
                _ => return Err(format!("unknown line: {line}")),
            }
        }
        let version = version.ok_or("no `sdk` line")?;
        let operations = operations.ok_or("the `sdk` line has no operation count")?;
        let guard = guard.ok_or("no `guard` line (the script stopped early?)")?;
        if outcomes.len() as u64 != operations {
            return Err(format!(
                "the SDK exposes {operations} operations but {} were reported",
                outcomes.len()
            ));
        }
        let mut names: Vec<&str> = outcomes.iter().map(|o| o.operation.as_str()).collect();
        names.sort_unstable();
        if names.windows(2).any(|w| w[0] == w[1]) || outcomes.iter().any(|o| o.sdk != sdk) {
            return Err("an operation was reported twice, or by another SDK".into());
        }
        if operations == 0 {
            return Err("the SDK exposes no operation".into());
        }
        Ok(Report {
            version,
            outcomes,
            guard_self_test: guard["self_test"] == true,
            error_analytics: guard["error_analytics"] == true,
            refused: guard["refused"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|h| h.as_str().unwrap_or_default().to_string())
                .collect(),
        })
    }
}
