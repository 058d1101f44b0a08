//! Step 6 of a call, after the answer arrives: a response body is read into memory up to
//! `max_response_bytes` and never further.

use bytes::BytesMut;
use reqwest::header::{CONTENT_LENGTH, TRANSFER_ENCODING};

use super::boundary::{BufferedBody, UnreadableBody};

/// `response` as the generated code may read it: as it is when it is a documented success whose
/// `Content-Length` fits (hyper never reads past `Content-Length`, so the bound holds, and nothing is
/// copied), else read at most `limit` bytes into memory ([`buffer`]).
pub(crate) async fn bound(
    response: reqwest::Response,
    documented_success: &[u16],
    limit: usize,
) -> reqwest::Result<reqwest::Response> {
    if documented_success.contains(&response.status().as_u16())
        && response.content_length().is_some_and(|n| n <= limit as u64)
    {
        return Ok(response);
    }
    // Boxed, so the common path's future is not sized for the buffering one.
    Box::pin(buffer(response, limit)).await
}

/// Reads at most `limit` bytes of the body and rebuilds the response around them, keeping them as
/// [`BufferedBody`]. A body cut at `limit`, and a non-2xx body that is not Cashfree's JSON error
/// object, are marked [`UnreadableBody`]: the call then ends as an undecodable answer with its status,
/// request id, why, and the bounded body, rather than a decode of half a body (or an empty error).
async fn buffer(
    mut response: reqwest::Response,
    limit: usize,
) -> reqwest::Result<reqwest::Response> {
    let status = response.status();
    let version = response.version();
    let url = response.url().clone();
    let mut headers = std::mem::take(response.headers_mut());
    let mut body = BytesMut::new();
    let mut truncated = false;
    while let Some(chunk) = response.chunk().await? {
        let room = limit - body.len();
        if chunk.len() > room {
            body.extend_from_slice(&chunk[..room]);
            truncated = true;
            break;
        }
        body.extend_from_slice(&chunk);
    }
    drop(response);
    let body = body.freeze();
    headers.remove(CONTENT_LENGTH);
    headers.remove(TRANSFER_ENCODING);
    let why = if truncated {
        Some(format!("body longer than {limit} bytes, cut"))
    } else if status.is_success() {
        None
    } else {
        match serde_json::from_slice::<serde_json::Value>(&body) {
            Err(_) => Some("body is not JSON".to_string()),
            Ok(v) if !crate::error::is_error_object(&v) => {
                Some("body is not Cashfree's error object".to_string())
            }
            Ok(_) => None,
        }
    };
    let unreadable = why.map(|why| UnreadableBody { why });
    // The URL goes along (without it reqwest parses a placeholder URL, and `url()` is wrong).
    let mut rebuilt = reqwest::ResponseBuilderExt::url(http::Response::builder(), url)
        .status(status)
        .version(version)
        .body(body.clone())
        .expect("status and version come from a valid response");
    *rebuilt.headers_mut() = headers;
    rebuilt.extensions_mut().insert(BufferedBody(body));
    if let Some(marker) = unreadable {
        rebuilt.extensions_mut().insert(marker);
    }
    Ok(reqwest::Response::from(rebuilt))
}
