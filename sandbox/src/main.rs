//! `cashfree-sandbox`: the offline Cashfree sandbox on 127.0.0.1, for tests in other languages and
//! tools. It prints the base URL and both credential pairs, then serves until interrupted.
//!
//! ```sh
//! cargo run -p cashfree-verification-sandbox -- --port 8080
//! cargo run -p cashfree-verification-sandbox -- --port 8080 --private-key key.pem --rate-limit 5
//! cargo run -p cashfree-verification-sandbox -- --port 8080 --async-delay-ms 2000
//! ```

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use clap::Parser;

use cashfree_verification_sandbox::{
    DEFAULT_CREDENTIALS, DEFAULT_ONE_CLICK_CREDENTIALS, READ_TIMEOUT, Sandbox,
};

/// The offline Cashfree Verification sandbox on 127.0.0.1.
#[derive(Debug, Parser)]
#[command(name = "cashfree-sandbox", version)]
struct Args {
    /// Port to listen on; 0 picks a free one (the printed base URL names it).
    #[arg(long, default_value_t = 8080)]
    port: u16,
    /// Verify `x-cf-signature` with this RSA private key (PEM, PKCS#8 or PKCS#1).
    #[arg(long, value_name = "PATH")]
    private_key: Option<PathBuf>,
    /// Answer 429 after N requests per operation per minute.
    #[arg(long, value_name = "N")]
    rate_limit: Option<u32>,
    /// Answer 422 `insufficient_balance` after N billable calls.
    #[arg(long, value_name = "N")]
    balance: Option<u64>,
    /// Seconds a connection may take to send a request head or body, or sit idle between requests.
    #[arg(long, value_name = "SECONDS", default_value_t = READ_TIMEOUT.as_secs(),
          value_parser = clap::value_parser!(u64).range(1..))]
    read_timeout: u64,
    /// Seconds ahead the expiries the sandbox answers are (tokens, 1-Click sessions), after which
    /// it refuses the token (`access_token_value_invalid`) or the session's consent.
    #[arg(long, value_name = "SECONDS", default_value_t = 3600,
          value_parser = clap::value_parser!(u64).range(1..))]
    expires_in: u64,
    /// Milliseconds after a create that its status operation answers a pending status (e.g.
    /// RECEIVED) before the finished one; a create's `x-sandbox-async-delay-ms` header overrides it.
    #[arg(long, value_name = "MS", default_value_t = 0)]
    async_delay_ms: u64,
    /// With --rate-limit: answer 429 without `Retry-After`, only `X-RateLimit-Reset` telling when.
    #[arg(long)]
    rate_limit_no_retry_after: bool,
    /// Send Cashfree's webhooks to this URL (signed with the Verification app's client secret).
    #[arg(long, value_name = "URL")]
    webhook_url: Option<String>,
}

fn main() -> ExitCode {
    let args = Args::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("error: cannot start the runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(args)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

async fn run(args: Args) -> Result<(), String> {
    let mut builder = Sandbox::builder();
    if let Some(url) = &args.webhook_url {
        builder = builder.webhook_url(url);
    }
    let mut builder = builder
        .port(args.port)
        .read_timeout(Duration::from_secs(args.read_timeout))
        .expires_in(Duration::from_secs(args.expires_in))
        .async_delay(Duration::from_millis(args.async_delay_ms))
        .rate_limit_retry_after(!args.rate_limit_no_retry_after);
    if let Some(path) = &args.private_key {
        // The client's bounded reading: a regular file of at most 16 KiB, checked before reading,
        // so a FIFO or /dev/zero is refused at once instead of blocking or reading without end.
        let pem = cashfree_verification::local_file::read(
            path,
            cashfree_verification::local_file::MAX_KEY_FILE_BYTES,
            "a PEM private key file",
        )
        .map_err(|e| format!("cannot read --private-key: {e}"))?;
        let pem = String::from_utf8(pem)
            .map_err(|_| format!("--private-key {} is not UTF-8 text", path.display()))?;
        builder = builder.signature_private_key_pem(&pem);
    }
    if let Some(n) = args.rate_limit {
        builder = builder.rate_limit_per_operation(n, Duration::from_secs(60));
    }
    if let Some(n) = args.balance {
        builder = builder.balance(n);
    }
    let sandbox = builder.start().await.map_err(|e| e.to_string())?;
    println!("Cashfree sandbox listening on {}", sandbox.base_url());
    println!(
        "  Verification app credentials (every product, VKYC included)  x-client-id: {}  x-client-secret: {}",
        DEFAULT_CREDENTIALS.0, DEFAULT_CREDENTIALS.1
    );
    println!(
        "  1-Click credentials  x-client-id: {}  x-client-secret: {}",
        DEFAULT_ONE_CLICK_CREDENTIALS.0, DEFAULT_ONE_CLICK_CREDENTIALS.1
    );
    println!(
        "  Sandbox-only routes  POST /__sandbox/consent {{\"verification_id\"}} (1-Click consent), \
         POST /__sandbox/scenario {{\"operation_id\", \"example\"}} (a documented answer by name), \
         POST /__sandbox/fault {{\"fault\": \"delay\", \"ms\"}} (delay, drop, truncate, respond, documented); \
         also under /verification"
    );
    println!("Press Ctrl-C to stop.");
    tokio::signal::ctrl_c()
        .await
        .map_err(|e| format!("cannot wait for Ctrl-C: {e}"))
}
