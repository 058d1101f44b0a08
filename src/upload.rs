//! Files for the operations whose request body is `multipart/form-data` (Aadhaar masking and OCR, PAN
//! OCR, e-sign documents, face match, liveliness, Bharat OCR).
//!
//! Their generated request types hold each file as a [`FilePart`] and every other field as usual; the
//! client sends the body as `multipart/form-data`, one part per field that is set, with the same
//! credentials, `x-api-version`, signature, retries, tracing and typed errors as every other call.
//! The body is built in memory before the first attempt, so a retry (under the client's
//! [`RetryPolicy`](crate::RetryPolicy)) sends the same bytes again.
//!
//! ```no_run
//! use cashfree_verification::{Client, FilePart, types};
//!
//! # async fn run(client: Client) -> Result<(), Box<dyn std::error::Error>> {
//! let result = client
//!     .vrs_face_match_verification()
//!     .body(
//!         types::VrsFaceMatchVerificationBody::builder()
//!             .verification_id("face-42")
//!             .first_image(FilePart::from_path("selfie.jpg")?)
//!             .second_image(FilePart::from_bytes("id.png", "image/png", std::fs::read("id.png")?)),
//!     )
//!     .send()
//!     .await?;
//! # Ok(()) }
//! ```

use std::fmt;
use std::path::Path;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use bytes::Bytes;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// One file of a multipart request: its name, content type and bytes. Cheap to clone (the bytes are
/// shared); its `Debug` shows the name, type and length, never the content.
#[derive(Clone, PartialEq, Eq)]
pub struct FilePart {
    file_name: String,
    content_type: String,
    bytes: Bytes,
}

impl FilePart {
    /// A part from bytes in memory.
    pub fn from_bytes(
        file_name: impl Into<String>,
        content_type: impl Into<String>,
        bytes: impl Into<Bytes>,
    ) -> Self {
        FilePart {
            file_name: file_name.into(),
            content_type: content_type.into(),
            bytes: bytes.into(),
        }
    }

    /// A part read from `path` now: named after the file, with the content type its extension
    /// implies (`.jpg`/`.jpeg`, `.png`, `.pdf`; `application/octet-stream` otherwise; change it with
    /// [`with_content_type`](FilePart::with_content_type)).
    ///
    /// # Errors
    /// The file cannot be read.
    pub fn from_path(path: impl AsRef<Path>) -> std::io::Result<Self> {
        let path = path.as_ref();
        let bytes = std::fs::read(path)?;
        let file_name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "file".into());
        let extension = path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase);
        let content_type = match extension.as_deref() {
            Some("jpg" | "jpeg") => "image/jpeg",
            Some("png") => "image/png",
            Some("pdf") => "application/pdf",
            _ => "application/octet-stream",
        };
        Ok(FilePart::from_bytes(file_name, content_type, bytes))
    }

    /// The same part with another content type.
    #[must_use]
    pub fn with_content_type(mut self, content_type: impl Into<String>) -> Self {
        self.content_type = content_type.into();
        self
    }

    /// The file name sent with the part.
    pub fn file_name(&self) -> &str {
        &self.file_name
    }

    /// The content type sent with the part.
    pub fn content_type(&self) -> &str {
        &self.content_type
    }

    /// The file's bytes.
    pub fn bytes(&self) -> &Bytes {
        &self.bytes
    }
}

impl fmt::Debug for FilePart {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FilePart")
            .field("file_name", &self.file_name)
            .field("content_type", &self.content_type)
            .field("len", &self.bytes.len())
            .finish()
    }
}

/// The key under which a [`FilePart`] travels inside the generated request's JSON, from the builder
/// to the hook that turns the body into multipart.
const FILE_KEY: &str = "$cashfree_file_part";

#[derive(Serialize, Deserialize)]
struct Encoded {
    file_name: String,
    content_type: String,
    base64: String,
}

impl Serialize for FilePart {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap as _;
        let mut map = serializer.serialize_map(Some(1))?;
        map.serialize_entry(
            FILE_KEY,
            &Encoded {
                file_name: self.file_name.clone(),
                content_type: self.content_type.clone(),
                base64: BASE64.encode(&self.bytes),
            },
        )?;
        map.end()
    }
}

impl<'de> Deserialize<'de> for FilePart {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let mut wrapper = std::collections::BTreeMap::<String, Encoded>::deserialize(deserializer)?;
        let encoded = wrapper
            .remove(FILE_KEY)
            .ok_or_else(|| serde::de::Error::custom("not a FilePart"))?;
        let bytes = BASE64
            .decode(encoded.base64)
            .map_err(serde::de::Error::custom)?;
        Ok(FilePart::from_bytes(
            encoded.file_name,
            encoded.content_type,
            bytes,
        ))
    }
}

/// Turns the JSON body the generated code built into the `multipart/form-data` body Cashfree expects:
/// one part per field that is set, files as file parts, strings as they are, numbers and booleans as
/// their JSON text. The new body is in memory, so the request can be retried.
///
/// # Errors
/// The body is not the JSON object the generated code makes.
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
                let part = reqwest::multipart::Part::bytes(file.bytes.to_vec())
                    .file_name(file.file_name)
                    .mime_str(&file.content_type)
                    .map_err(|e| format!("content type of part {name}: {e}"))?;
                form.part(name, part)
            }
            other => form.text(name, other.to_string()),
        };
    }
    let content_type = format!("multipart/form-data; boundary={}", form.boundary());
    let mut body = Vec::new();
    let mut stream = std::pin::pin!(form.into_stream());
    while let Some(chunk) =
        std::future::poll_fn(|cx| futures_core::Stream::poll_next(stream.as_mut(), cx)).await
    {
        body.extend_from_slice(&chunk.map_err(|e| e.to_string())?);
    }
    let headers = request.headers_mut();
    headers.insert(
        reqwest::header::CONTENT_TYPE,
        reqwest::header::HeaderValue::from_str(&content_type).map_err(|e| e.to_string())?,
    );
    headers.remove(reqwest::header::CONTENT_LENGTH);
    *request.body_mut() = Some(reqwest::Body::from(body));
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_part_round_trips_through_json_and_never_debugs_its_bytes() {
        let part = FilePart::from_bytes("a.png", "image/png", b"\x89PNG secret".to_vec());
        let json = serde_json::to_value(&part).unwrap();
        assert_eq!(serde_json::from_value::<FilePart>(json).unwrap(), part);
        let debug = format!("{part:?}");
        assert!(debug.contains("a.png") && debug.contains("len: 11") && !debug.contains("secret"));
    }

    #[tokio::test]
    async fn json_bodies_become_multipart_with_file_and_text_parts() {
        let client = reqwest::Client::new();
        let body = serde_json::json!({
            "verification_id": "v-1",
            "image": FilePart::from_bytes("me.jpg", "image/jpeg", b"JPEGDATA".to_vec()),
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
        let sent = String::from_utf8(request.body().unwrap().as_bytes().unwrap().to_vec()).unwrap();
        assert!(sent.contains(&format!("--{boundary}\r\nContent-Disposition: form-data; name=\"verification_id\"\r\n\r\nv-1\r\n")), "{sent}");
        assert!(sent.contains("name=\"image\"; filename=\"me.jpg\"\r\nContent-Type: image/jpeg\r\n\r\nJPEGDATA\r\n"), "{sent}");
        assert!(
            sent.contains("name=\"strict_check\"\r\n\r\ntrue\r\n"),
            "{sent}"
        );
        assert!(!sent.contains("absent"), "{sent}");
        assert!(
            request.try_clone().is_some(),
            "the body can be sent again on retry"
        );
    }
}
