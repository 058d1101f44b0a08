//! A multipart body made from the JSON the generated code built, and resent by a retry around the
//! same chunks.

use std::collections::BTreeMap;
use std::pin::Pin;
use std::sync::{Arc, Mutex, PoisonError, Weak};
use std::task::{Context, Poll};

use bytes::Bytes;
use serde_json::Value;

use super::*;

/// A multipart body as the chunks reqwest's `Form` made (boundaries and part headers, and each
/// file's bytes, shared): sent as it is, and sent again by a retry, without a copy.
#[derive(Clone)]
pub(crate) struct Chunks(Arc<[Bytes]>);

/// The chunks of every multipart body a live request holds, by its boundary (random, and named by
/// the request's `Content-Type`): how [`try_clone`] finds them, since reqwest can copy no streamed
/// body and keeps its request extensions private.
static BODIES: Mutex<BTreeMap<String, Weak<[Bytes]>>> = Mutex::new(BTreeMap::new());

pub(super) fn bodies() -> std::sync::MutexGuard<'static, BTreeMap<String, Weak<[Bytes]>>> {
    BODIES.lock().unwrap_or_else(PoisonError::into_inner)
}

impl Chunks {
    fn len(&self) -> u64 {
        self.0.iter().map(|c| c.len() as u64).sum()
    }

    fn body(&self) -> reqwest::Body {
        reqwest::Body::wrap(ChunkBody {
            chunks: self.0.clone(),
            next: 0,
            remaining: self.len(),
        })
    }

    /// Registers these chunks as the body with `boundary` (and forgets bodies no request holds).
    fn register(&self, boundary: &str) {
        let mut bodies = bodies();
        bodies.retain(|_, body| body.strong_count() > 0);
        bodies.insert(boundary.to_string(), Arc::downgrade(&self.0));
    }

    /// The chunks of the multipart body `request` holds, if it is one [`into_multipart`] made.
    fn of(request: &reqwest::Request) -> Option<Chunks> {
        let content_type = request.headers().get(reqwest::header::CONTENT_TYPE)?;
        let boundary = content_type
            .to_str()
            .ok()?
            .strip_prefix("multipart/form-data; boundary=")?;
        bodies().get(boundary)?.upgrade().map(Chunks)
    }
}

struct ChunkBody {
    chunks: Arc<[Bytes]>,
    next: usize,
    remaining: u64,
}

impl http_body::Body for ChunkBody {
    type Data = Bytes;
    type Error = std::convert::Infallible;

    fn poll_frame(
        self: Pin<&mut Self>,
        _: &mut Context<'_>,
    ) -> Poll<Option<Result<http_body::Frame<Bytes>, Self::Error>>> {
        let this = self.get_mut();
        let Some(chunk) = this.chunks.get(this.next).cloned() else {
            return Poll::Ready(None);
        };
        this.next += 1;
        this.remaining -= chunk.len() as u64;
        Poll::Ready(Some(Ok(http_body::Frame::data(chunk))))
    }

    fn is_end_stream(&self) -> bool {
        self.next >= self.chunks.len()
    }

    fn size_hint(&self) -> http_body::SizeHint {
        http_body::SizeHint::with_exact(self.remaining)
    }
}

/// A copy of `request` to send again: [`reqwest::Request::try_clone`], or, for a multipart body
/// (a stream reqwest cannot copy), the same request around the same chunks.
pub(crate) fn try_clone(request: &reqwest::Request) -> Option<reqwest::Request> {
    if let Some(copy) = request.try_clone() {
        return Some(copy);
    }
    let chunks = Chunks::of(request)?;
    let mut copy = reqwest::Request::new(request.method().clone(), request.url().clone());
    *copy.timeout_mut() = request.timeout().copied();
    *copy.headers_mut() = request.headers().clone();
    *copy.version_mut() = request.version();
    *copy.body_mut() = Some(chunks.body());
    Some(copy)
}

/// Turns the JSON body the generated code built into the `multipart/form-data` body Cashfree expects:
/// one part per field that is set, files as file parts, strings as they are, numbers and booleans as
/// their JSON text. Each file's bytes are shared, not copied; [`try_clone`] copies the request for
/// a retry.
///
/// # Errors
/// The body is not the JSON object the generated code makes, or a file is larger than
/// [`MAX_FILE_BYTES`]. Nothing has been sent.
pub(crate) async fn into_multipart(request: &mut reqwest::Request) -> Result<(), String> {
    let Some(json) = request.body().and_then(reqwest::Body::as_bytes) else {
        return Ok(());
    };
    let fields: serde_json::Map<String, Value> = serde_json::from_slice(json)
        .map_err(|e| format!("the multipart body is not a JSON object: {e}"))?;
    let mut form = reqwest::multipart::Form::new();
    for (name, value) in fields {
        form = match value {
            Value::Null => form,
            Value::String(text) => form.text(name, text),
            Value::Object(ref map) if map.contains_key(FILE_KEY) => {
                let file = FilePart::deserialize(&value).map_err(|e| e.to_string())?;
                let len = file.bytes().len() as u64;
                if len > MAX_FILE_BYTES {
                    return Err(format!(
                        "file part {name} ({:?}) is {len} bytes, larger than {MAX_FILE_BYTES} bytes, the limit for a file to upload (upload::MAX_FILE_BYTES; Cashfree documents at most 10 MB)",
                        file.file_name
                    ));
                }
                let part = reqwest::multipart::Part::stream_with_length(
                    reqwest::Body::from(file.bytes().clone()),
                    len,
                )
                .file_name(file.file_name.clone())
                .mime_str(&file.content_type)
                .map_err(|e| format!("content type of part {name}: {e}"))?;
                form.part(name, part)
            }
            other => form.text(name, other.to_string()),
        };
    }
    let boundary = form.boundary().to_string();
    let content_type = format!("multipart/form-data; boundary={boundary}");
    let mut chunks = Vec::new();
    let mut stream = std::pin::pin!(form.into_stream());
    while let Some(chunk) =
        std::future::poll_fn(|cx| futures_core::Stream::poll_next(stream.as_mut(), cx)).await
    {
        chunks.push(chunk.map_err(|e| e.to_string())?);
    }
    let chunks = Chunks(chunks.into());
    let headers = request.headers_mut();
    headers.insert(
        reqwest::header::CONTENT_TYPE,
        reqwest::header::HeaderValue::from_str(&content_type).map_err(|e| e.to_string())?,
    );
    headers.insert(reqwest::header::CONTENT_LENGTH, chunks.len().into());
    *request.body_mut() = Some(chunks.body());
    chunks.register(&boundary);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn json_bodies_become_multipart_with_file_and_text_parts() {
        let client = crate::tls::client_builder().build().unwrap();
        // Alive until the body is made, as the generated request's field is.
        let image = FilePart::from_bytes("me.jpg", "image/jpeg", b"JPEGDATA".to_vec());
        let body = serde_json::json!({
            "verification_id": "v-1",
            "image": image,
            "strict_check": true,
            "absent": null
        });
        let mut request = client
            .post("http://127.0.0.1:9/liveliness")
            .json(&body)
            .build()
            .unwrap();
        into_multipart(&mut request).await.unwrap();
        let content_type = request.headers()["content-type"]
            .to_str()
            .unwrap()
            .to_string();
        let boundary = content_type
            .strip_prefix("multipart/form-data; boundary=")
            .unwrap();
        let chunks = Chunks::of(&request).unwrap();
        assert!(
            chunks
                .0
                .iter()
                .any(|c| c.as_ptr() == image.bytes().as_ptr()),
            "the file's bytes are sent, not a copy"
        );
        assert_eq!(
            request.headers()["content-length"],
            chunks.len().to_string().as_str()
        );
        let sent = String::from_utf8(chunks.0.concat()).unwrap();
        assert!(sent.contains(&format!("--{boundary}\r\nContent-Disposition: form-data; name=\"verification_id\"\r\n\r\nv-1\r\n")), "{sent}");
        assert!(sent.contains("name=\"image\"; filename=\"me.jpg\"\r\nContent-Type: image/jpeg\r\n\r\nJPEGDATA\r\n"), "{sent}");
        assert!(
            sent.contains("name=\"strict_check\"\r\n\r\ntrue\r\n"),
            "{sent}"
        );
        assert!(!sent.contains("absent"), "{sent}");
        let again = try_clone(&request).expect("the body can be sent again on retry");
        assert!(Arc::ptr_eq(&Chunks::of(&again).unwrap().0, &chunks.0));
        drop((request, again, chunks));
        assert!(bodies().get(boundary).is_none_or(|b| b.strong_count() == 0));
    }
}
