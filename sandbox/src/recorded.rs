//! What a test sees of the traffic and steers: the requests received ([`RecordedRequest`], kept in
//! a log bounded by count and by bytes) and the faults queued for the next ones ([`Fault`]).

use std::collections::VecDeque;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use super::http::HttpRequest;
use super::spec::OpSpec;
use super::{MAX_LOGGED_BODY_BYTES, MAX_LOGGED_BYTES, MAX_LOGGED_REQUESTS};

/// Something the sandbox does instead of (or before) its normal answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fault {
    /// Wait, then answer normally.
    Delay(Duration),
    /// Answer this status, headers and body, whatever the request.
    Respond {
        /// HTTP status.
        status: u16,
        /// `Content-Type` of the body.
        content_type: String,
        /// More headers (`Retry-After`, `Location`, `x-request-id`, ...).
        headers: Vec<(String, String)>,
        /// The body, any bytes.
        body: Vec<u8>,
    },
    /// Answer the operation's documented example for this status (the first by name), whatever the
    /// request. To answer a named example after the usual checks, see
    /// [`Sandbox::scenario`](crate::Sandbox::scenario).
    Documented(u16),
    /// Answer normally, but close the connection halfway through the body.
    Truncate,
    /// Close the connection without answering.
    Drop,
}

/// The faults queued for the next requests, in order.
pub(crate) type FaultQueue = Mutex<VecDeque<Fault>>;

/// A request the sandbox received.
#[derive(Debug, Clone)]
pub struct RecordedRequest {
    /// HTTP method.
    pub method: String,
    /// Path and query.
    pub target: String,
    /// Headers (lower-case names); credentials' secrets and `authorization` read `<redacted>`.
    pub headers: Vec<(String, String)>,
    /// The body as received, at most [`MAX_LOGGED_BODY_BYTES`] of it.
    pub body: Vec<u8>,
    /// The body's whole length.
    pub body_len: usize,
    /// The operation it matched (`operationId`), if any.
    pub operation_id: Option<String>,
    /// The status the sandbox answered (or would have, before a fault).
    pub status: u16,
    /// Why the request broke the spec (header or body), if it did.
    pub violation: Option<String>,
    /// When the sandbox received it (for tests of retry timing).
    pub received_at: Instant,
}

impl RecordedRequest {
    /// The log's entry for `request`, with what it matched and was answered, its secrets redacted
    /// and its body cut at [`MAX_LOGGED_BODY_BYTES`].
    pub(crate) fn received(
        request: &HttpRequest,
        op: Option<&OpSpec>,
        status: u16,
        violation: Option<String>,
    ) -> Self {
        let headers = request
            .headers
            .iter()
            .map(|(k, v)| {
                let secret = k.contains("secret") || k == "authorization";
                (
                    k.clone(),
                    if secret {
                        "<redacted>".to_string()
                    } else {
                        v.clone()
                    },
                )
            })
            .collect();
        let kept = request.body.len().min(MAX_LOGGED_BODY_BYTES);
        RecordedRequest {
            method: request.method.clone(),
            target: request.target.clone(),
            headers,
            body: request.body[..kept].to_vec(),
            body_len: request.body.len(),
            operation_id: op.map(|o| o.operation_id.clone()),
            status,
            violation,
            received_at: Instant::now(),
        }
    }

    /// The first value of header `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        let name = name.to_ascii_lowercase();
        self.headers
            .iter()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v.as_str())
    }

    /// The body as JSON, if it is JSON.
    pub fn json(&self) -> Option<serde_json::Value> {
        serde_json::from_slice(&self.body).ok()
    }

    /// The bytes this entry holds: its texts, its kept body, and the bookkeeping around them.
    fn footprint(&self) -> usize {
        let text = |s: &String| s.capacity() + std::mem::size_of::<String>();
        std::mem::size_of::<RecordedRequest>()
            + text(&self.method)
            + text(&self.target)
            + self
                .headers
                .iter()
                .map(|(k, v)| text(k) + text(v))
                .sum::<usize>()
            + self.body.capacity()
            + self.operation_id.as_ref().map_or(0, text)
            + self.violation.as_ref().map_or(0, text)
    }
}

/// The last [`MAX_LOGGED_REQUESTS`] requests holding at most [`MAX_LOGGED_BYTES`] in all (each
/// body cut at [`MAX_LOGGED_BODY_BYTES`]): the oldest go first.
#[derive(Debug, Default)]
pub(crate) struct RequestLog {
    entries: VecDeque<(RecordedRequest, usize)>,
    bytes: usize,
}

impl RequestLog {
    /// Logs `request` (its body already cut), then drops the oldest until both bounds hold.
    pub fn push(&mut self, request: RecordedRequest) {
        debug_assert!(request.body.len() <= MAX_LOGGED_BODY_BYTES);
        let bytes = request.footprint();
        self.entries.push_back((request, bytes));
        self.bytes += bytes;
        while self.entries.len() > MAX_LOGGED_REQUESTS
            || (self.bytes > MAX_LOGGED_BYTES && self.entries.len() > 1)
        {
            if let Some((_, old)) = self.entries.pop_front() {
                self.bytes -= old;
            }
        }
    }

    /// Every logged request, oldest first.
    pub fn snapshot(&self) -> Vec<RecordedRequest> {
        self.entries.iter().map(|(r, _)| r.clone()).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(body: usize) -> RecordedRequest {
        RecordedRequest {
            method: "POST".into(),
            target: "/pan".into(),
            headers: vec![("content-type".into(), "application/json".into())],
            body: vec![b' '; body],
            body_len: body,
            operation_id: None,
            status: 200,
            violation: None,
            received_at: Instant::now(),
        }
    }

    #[test]
    fn the_log_is_bounded_by_count_and_by_bytes() {
        let mut log = RequestLog::default();
        for _ in 0..MAX_LOGGED_REQUESTS + 10 {
            log.push(request(10));
        }
        assert_eq!(log.snapshot().len(), MAX_LOGGED_REQUESTS);
        for _ in 0..MAX_LOGGED_REQUESTS {
            log.push(request(MAX_LOGGED_BODY_BYTES));
        }
        let kept = log.snapshot().len();
        assert!(log.bytes <= MAX_LOGGED_BYTES, "{} bytes", log.bytes);
        // Each entry is its 64 KiB body and a few hundred bytes more: 63 of them, not 1,000.
        let most = MAX_LOGGED_BYTES / MAX_LOGGED_BODY_BYTES;
        assert!(kept < most && kept > most - 4, "{kept} kept");
    }
}
