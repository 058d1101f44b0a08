//! The client tests' server: the sandbox (one HTTP server for every test), with a script of answers
//! on top for tests that need a particular one (a 429 with `Retry-After`, an HTML 502, a redirect).

use std::time::{Duration, Instant};

use cashfree_verification_sandbox::{Fault, RecordedRequest, Sandbox};

use super::calls::{ONE_CLICK_ID, ONE_CLICK_SECRET, VKYC_ID, VKYC_SECRET};

/// A request as the server received it (secrets redacted by the sandbox).
#[derive(Debug, Clone)]
pub struct Recorded {
    pub method: String,
    pub path: String,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    pub at: Instant,
    /// The status the sandbox answered.
    pub status: u16,
}

impl Recorded {
    /// The first value of header `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).expect("request body is JSON")
    }
}

impl From<RecordedRequest> for Recorded {
    fn from(r: RecordedRequest) -> Self {
        Recorded {
            method: r.method,
            path: r.target,
            headers: r.headers,
            body: r.body,
            at: r.received_at,
            status: r.status,
        }
    }
}

/// What the server does with the next request, instead of the sandbox's own answer.
#[derive(Debug, Clone)]
pub enum Reply {
    Respond {
        status: u16,
        content_type: String,
        headers: Vec<(String, String)>,
        body: Vec<u8>,
    },
    /// Wait, then answer as the sandbox does.
    Delay(Duration),
    /// Read the request, then close the connection without answering.
    Close,
}

impl Reply {
    pub fn json(status: u16, body: serde_json::Value) -> Reply {
        Reply::raw(status, "application/json", body.to_string().into_bytes())
    }

    pub fn raw(status: u16, content_type: &str, body: impl Into<Vec<u8>>) -> Reply {
        Reply::Respond {
            status,
            content_type: content_type.into(),
            headers: Vec::new(),
            body: body.into(),
        }
    }

    pub fn header(mut self, name: &str, value: &str) -> Reply {
        if let Reply::Respond { headers, .. } = &mut self {
            headers.push((name.into(), value.into()));
        }
        self
    }
}

/// The sandbox, accepting the test credentials of `calls`.
pub struct Server {
    pub url: String,
    pub sandbox: Sandbox,
}

impl Server {
    /// Starts a sandbox that accepts the test credentials and answers as Cashfree documents, unless
    /// a reply is scripted.
    pub async fn start() -> Server {
        let sandbox = Sandbox::builder()
            .credentials(VKYC_ID, VKYC_SECRET)
            .one_click_credentials(ONE_CLICK_ID, ONE_CLICK_SECRET)
            .start()
            .await
            .expect("the sandbox starts");
        Server {
            url: sandbox.base_url().to_string(),
            sandbox,
        }
    }

    /// Queues `reply` for the next request.
    pub fn push(&self, reply: Reply) -> &Self {
        let fault = match reply {
            Reply::Respond {
                status,
                content_type,
                headers,
                body,
            } => Fault::Respond {
                status,
                content_type,
                headers,
                body,
            },
            Reply::Delay(d) => Fault::Delay(d),
            Reply::Close => Fault::Drop,
        };
        self.sandbox.inject(fault, 1);
        self
    }

    pub fn requests(&self) -> Vec<Recorded> {
        self.sandbox
            .requests()
            .into_iter()
            .map(Recorded::from)
            .collect()
    }
}

/// Runs `f` and fails the test if it takes longer than `secs` seconds.
pub async fn bounded<T>(secs: u64, f: impl std::future::Future<Output = T>) -> T {
    tokio::time::timeout(Duration::from_secs(secs), f)
        .await
        .expect("test exceeded its time bound")
}
