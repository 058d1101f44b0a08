//! Serves the offline Cashfree sandbox on 127.0.0.1, for tests in other languages and tools.
//!
//! ```sh
//! cargo run -p cashfree-verification-sandbox --example sandbox -- --port 8080
//! cargo run -p cashfree-verification-sandbox --example sandbox -- --port 8080 --private-key key.pem --rate-limit 5
//! ```
//!
//! Options: `--port N` (default 8080; 0 picks a free one), `--private-key PATH` (verify
//! `x-cf-signature` with this RSA private key), `--rate-limit N` (N requests per operation per
//! minute), `--balance N` (N billable calls, then 422). It runs until interrupted.

use std::process::ExitCode;
use std::time::Duration;

use cashfree_verification_sandbox::{
    DEFAULT_ONE_CLICK_CREDENTIALS, DEFAULT_VKYC_CREDENTIALS, Sandbox,
};

#[tokio::main]
async fn main() -> ExitCode {
    match run().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(2)
        }
    }
}

async fn run() -> Result<(), String> {
    let mut builder = Sandbox::builder().port(8080);
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = |name: &str| args.next().ok_or(format!("{name} needs a value"));
        match arg.as_str() {
            "--port" => {
                builder = builder.port(
                    value("--port")?
                        .parse()
                        .map_err(|_| "--port takes a number from 0 to 65535")?,
                )
            }
            "--private-key" => {
                let path = value("--private-key")?;
                let pem = std::fs::read_to_string(&path)
                    .map_err(|e| format!("cannot read {path}: {e}"))?;
                builder = builder.signature_private_key_pem(&pem);
            }
            "--rate-limit" => {
                let n = value("--rate-limit")?
                    .parse()
                    .map_err(|_| "--rate-limit takes a whole number")?;
                builder = builder.rate_limit_per_operation(n, Duration::from_secs(60));
            }
            "--balance" => {
                builder = builder.balance(
                    value("--balance")?
                        .parse()
                        .map_err(|_| "--balance takes a whole number")?,
                )
            }
            "-h" | "--help" => {
                println!(
                    "usage: sandbox [--port N] [--private-key PATH] [--rate-limit N] [--balance N]"
                );
                return Ok(());
            }
            other => return Err(format!("unknown argument {other}; see --help")),
        }
    }
    let sandbox = builder.start().await.map_err(|e| e.to_string())?;
    println!("Cashfree sandbox listening on {}", sandbox.base_url());
    println!(
        "  VKYC credentials     x-client-id: {}  x-client-secret: {}",
        DEFAULT_VKYC_CREDENTIALS.0, DEFAULT_VKYC_CREDENTIALS.1
    );
    println!(
        "  1-Click credentials  x-client-id: {}  x-client-secret: {}",
        DEFAULT_ONE_CLICK_CREDENTIALS.0, DEFAULT_ONE_CLICK_CREDENTIALS.1
    );
    println!("Press Ctrl-C to stop.");
    tokio::signal::ctrl_c()
        .await
        .map_err(|e| format!("cannot wait for Ctrl-C: {e}"))?;
    Ok(())
}
