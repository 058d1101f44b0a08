//! The processes this test starts: the standalone `cashfree-sandbox` on an ephemeral port, and an
//! SDK script run to completion within a time limit (killed past it, with what it printed so far).

use std::io::{BufRead as _, BufReader, Read};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::thread;
use std::time::{Duration, Instant};

/// A running `cashfree-sandbox`, killed when dropped.
pub struct Sandbox {
    child: Child,
    /// `http://127.0.0.1:PORT`, from its banner.
    pub base_url: String,
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Sandbox {
    /// Starts the server as another language's test suite would, and reads its base URL from the
    /// banner it prints before serving.
    pub fn start() -> Sandbox {
        let mut child = Command::new(env!("CARGO_BIN_EXE_cashfree-sandbox"))
            .args(["--port", "0"])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("spawn cashfree-sandbox");
        let mut out = BufReader::new(child.stdout.take().expect("piped stdout"));
        let mut banner = String::new();
        let deadline = Instant::now() + Duration::from_secs(30);
        while !banner.contains("Ctrl-C") {
            assert!(Instant::now() < deadline, "no banner in 30 s: {banner}");
            if out.read_line(&mut banner).expect("read the banner") == 0 {
                panic!("cashfree-sandbox exited: {banner}");
            }
        }
        let base_url = banner
            .split_whitespace()
            .find(|word| word.starts_with("http://127.0.0.1:"))
            .expect("a base URL in the banner")
            .trim_end_matches('/')
            .to_string();
        // Nothing more is read from it: drain its output so it never blocks on a full pipe.
        thread::spawn(move || std::io::copy(&mut out, &mut std::io::sink()));
        Sandbox { child, base_url }
    }
}

/// What a finished script left.
#[derive(Debug)]
pub struct Finished {
    /// How it exited.
    pub status: ExitStatus,
    /// Everything it wrote to stdout.
    pub stdout: String,
    /// Everything it wrote to stderr.
    pub stderr: String,
}

/// Runs `command` to completion, or kills it after `limit`.
///
/// # Errors
/// It could not start, or ran past `limit` (the message holds what it printed until then).
pub fn run_bounded(mut command: Command, limit: Duration) -> Result<Finished, String> {
    let mut child = command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot start {command:?}: {e}"))?;
    let stdout = collect(child.stdout.take());
    let stderr = collect(child.stderr.take());
    let deadline = Instant::now() + limit;
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if Instant::now() < deadline => thread::sleep(Duration::from_millis(50)),
            Ok(None) => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(format!(
                    "{command:?} ran past {limit:?} and was killed\nstdout:\n{}\nstderr:\n{}",
                    stdout.join().unwrap_or_default(),
                    stderr.join().unwrap_or_default()
                ));
            }
            Err(e) => return Err(format!("cannot wait for {command:?}: {e}")),
        }
    };
    Ok(Finished {
        status,
        stdout: stdout.join().unwrap_or_default(),
        stderr: stderr.join().unwrap_or_default(),
    })
}

/// Reads a pipe to the end on its own thread (so neither pipe can fill and stall the child).
fn collect(pipe: Option<impl Read + Send + 'static>) -> thread::JoinHandle<String> {
    thread::spawn(move || {
        let mut text = String::new();
        if let Some(mut pipe) = pipe {
            let mut bytes = Vec::new();
            let _ = pipe.read_to_end(&mut bytes);
            text = String::from_utf8_lossy(&bytes).into_owned();
        }
        text
    })
}
