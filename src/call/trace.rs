//! Step 7 of a call: one `cashfree.request` span per call (operation, method, path template,
//! status, attempts, duration, request id), an INFO event when it finishes and a WARN event when it
//! fails. Nothing is recorded without a subscriber for the span.

use std::time::Instant;

use progenitor_client::OperationInfo;

use crate::spec::Operation;

/// The span of one call, and its start when the span records.
pub(crate) fn span(
    info: &OperationInfo,
    op: Option<&Operation>,
    method: &reqwest::Method,
) -> (tracing::Span, Option<Instant>) {
    let operation_id = op.map_or(info.operation_id, |op| op.operation_id);
    let span = tracing::info_span!(
        "cashfree.request",
        operation = info.operation_id,
        operation_id,
        method = %method,
        path = op.map_or("", |op| op.path),
        status = tracing::field::Empty,
        attempts = tracing::field::Empty,
        duration_ms = tracing::field::Empty,
        request_id = tracing::field::Empty,
    );
    // Timed only for a span that records it.
    let started = (!span.is_disabled()).then(Instant::now);
    (span, started)
}

/// Records the outcome in the call's `span` and logs it within that span; returns `result` as it
/// was (an error without its URL at WARN, see [`log_failure`]).
pub(crate) fn finish(
    span: &tracing::Span,
    result: reqwest::Result<reqwest::Response>,
    attempts: u32,
    started: Option<Instant>,
    operation: &str,
    path: &str,
) -> reqwest::Result<reqwest::Response> {
    if span.is_disabled() {
        return report(result, attempts, operation, path);
    }
    span.record("attempts", attempts);
    if let Some(started) = started {
        span.record("duration_ms", started.elapsed().as_millis() as u64);
    }
    if let Ok(response) = &result {
        span.record("status", response.status().as_u16());
        if let Some(id) = crate::error::request_id(response.headers()) {
            span.record("request_id", id);
        }
    }
    span.in_scope(|| report(result, attempts, operation, path))
}

/// The INFO event of a finished call, or the WARN of a failed one ([`log_failure`]).
fn report(
    result: reqwest::Result<reqwest::Response>,
    attempts: u32,
    operation: &str,
    path: &str,
) -> reqwest::Result<reqwest::Response> {
    let result = result.map_err(|e| log_failure(e, attempts, operation, path));
    if let Ok(response) = &result {
        tracing::info!(
            status = response.status().as_u16(),
            attempts,
            "cashfree request finished"
        );
    }
    result
}

/// Logs a failed call at WARN with its operation and path template and the error without its URL,
/// whose query may hold ids (`reference_id`, `user_id`); the URL is logged at DEBUG only, for
/// whoever turns that level on for this crate. Returns the error as it was.
fn log_failure(e: reqwest::Error, attempts: u32, operation: &str, path: &str) -> reqwest::Error {
    let url = e.url().cloned();
    let e = e.without_url();
    tracing::warn!(operation, path, attempts, error = %e, "cashfree request failed");
    match url {
        Some(url) => {
            tracing::debug!(url = url.as_str(), "cashfree request failed: its URL");
            e.with_url(url)
        }
        None => e,
    }
}
