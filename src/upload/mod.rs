//! Files for the operations whose request body is `multipart/form-data` (Aadhaar masking and OCR, PAN
//! OCR, e-sign documents, face match, liveliness, Bharat OCR).
//!
//! Their generated request types hold each file as a [`FilePart`] and every other field as usual; the
//! client sends the body as `multipart/form-data`, one part per field that is set, with the same
//! credentials, `x-api-version`, signature, retries, tracing and typed errors as every other call.
//!
//! Memory: a file is held once. Its bytes are shared (never copied) by every clone of the part, by
//! the request body (the multipart framing around them is a few hundred bytes) and by each retry
//! (under the client's [`RetryPolicy`](crate::RetryPolicy)), which sends the same bytes again. A file
//! may have at most [`MAX_FILE_BYTES`]: [`FilePart::from_path`] checks the size from the file's
//! metadata before reading it, and a call whose part is larger fails before any I/O.
//!
//! ```no_run
//! use cashfree_verification::{Client, FilePart, types};
//!
//! # #[cfg(feature = "face-match")] // the example's operation: compiled where its product is
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

use std::collections::BTreeMap;
use std::fmt;
use std::hash::{BuildHasher as _, Hasher as _};
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError, Weak};

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use bytes::Bytes;
use serde::{Deserialize, Serialize};

/// Most bytes one file of a multipart call may have: 32 MiB. Cashfree documents 5 or 10 MB per file
/// for its upload operations; the margin leaves room for a raised limit without letting a mistaken
/// path (a disk image, a log) be read into memory.
pub const MAX_FILE_BYTES: u64 = 32 * 1024 * 1024;

/// One file of a multipart request: its name, content type and bytes. Cheap to clone (the bytes are
/// shared); its `Debug` shows the name, type and length, never the content.
///
/// It serializes as a reference to its bytes in this process (so a request body never holds a copy
/// of the file), valid while the part or a clone of it lives. To give a file as JSON yourself (to
/// [`Client::call_json`](crate::Client::call_json)), write it in full:
/// `{"$cashfree_file_part": {"file_name": "a.png", "content_type": "image/png", "base64": "..."}}`.
#[derive(Clone)]
pub struct FilePart {
    file_name: String,
    content_type: String,
    shared: Arc<Shared>,
}

/// The bytes of a part and the reference its JSON carries; registered while a part holds it.
struct Shared {
    id: u64,
    /// Unguessable: JSON that names a part must have come from serializing it.
    tag: u64,
    bytes: Bytes,
}

/// Every part alive in the process, by id, for the hook that finds them from the request's JSON.
static REGISTRY: Mutex<BTreeMap<u64, Weak<Shared>>> = Mutex::new(BTreeMap::new());
static NEXT_ID: AtomicU64 = AtomicU64::new(1);

fn registry() -> std::sync::MutexGuard<'static, BTreeMap<u64, Weak<Shared>>> {
    REGISTRY.lock().unwrap_or_else(PoisonError::into_inner)
}

impl Drop for Shared {
    fn drop(&mut self) {
        registry().remove(&self.id);
    }
}

impl PartialEq for FilePart {
    fn eq(&self, other: &Self) -> bool {
        self.file_name == other.file_name
            && self.content_type == other.content_type
            && self.shared.bytes == other.shared.bytes
    }
}

impl Eq for FilePart {}

impl FilePart {
    /// A part from bytes in memory (not copied).
    pub fn from_bytes(
        file_name: impl Into<String>,
        content_type: impl Into<String>,
        bytes: impl Into<Bytes>,
    ) -> Self {
        let id = NEXT_ID.fetch_add(1, Ordering::Relaxed);
        let mut hasher = std::hash::RandomState::new().build_hasher();
        hasher.write_u64(id);
        let shared = Arc::new(Shared {
            id,
            tag: hasher.finish(),
            bytes: bytes.into(),
        });
        registry().insert(id, Arc::downgrade(&shared));
        FilePart {
            file_name: file_name.into(),
            content_type: content_type.into(),
            shared,
        }
    }

    /// A part read from `path` now: named after the file, with the content type its extension
    /// implies, in any case (`.jpg`/`.JPEG` `image/jpeg`, `.png`, `.pdf`, `.heic`, ... as `mime_guess`
    /// knows them; `application/octet-stream` for an unknown or missing extension; change it with
    /// [`with_content_type`](FilePart::with_content_type)).
    ///
    /// Only a regular file of at most [`MAX_FILE_BYTES`] is read, its size checked from its metadata
    /// first ([`local_file::read`](crate::local_file::read)): a FIFO, a device or a larger file is
    /// refused at once, without reading.
    ///
    /// # Errors
    /// The file cannot be read, is not a regular file (`InvalidInput`), or is larger than
    /// [`MAX_FILE_BYTES`] (`FileTooLarge`, naming the limit).
    pub fn from_path(path: impl AsRef<Path>) -> std::io::Result<Self> {
        let path = path.as_ref();
        let bytes = crate::local_file::read(path, MAX_FILE_BYTES, "a file to upload")?;
        let file_name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "file".into());
        let content_type = mime_guess::from_path(path).first_or_octet_stream();
        Ok(FilePart::from_bytes(
            file_name,
            content_type.essence_str(),
            bytes,
        ))
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
        &self.shared.bytes
    }

    fn handle(&self) -> String {
        format!("{:x}-{:016x}", self.shared.id, self.shared.tag)
    }

    /// The bytes of the live part `handle` names, if one does.
    fn bytes_of(handle: &str) -> Option<Bytes> {
        let (id, tag) = handle.split_once('-')?;
        let id = u64::from_str_radix(id, 16).ok()?;
        let tag = u64::from_str_radix(tag, 16).ok()?;
        let shared = registry().get(&id)?.upgrade()?;
        (shared.tag == tag).then(|| shared.bytes.clone())
    }
}

impl fmt::Debug for FilePart {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FilePart")
            .field("file_name", &self.file_name)
            .field("content_type", &self.content_type)
            .field("len", &self.shared.bytes.len())
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
    /// A live part in this process (what serializing one writes).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    handle: Option<String>,
    /// The whole file (what a caller of `call_json` may write).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    base64: Option<String>,
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
                handle: Some(self.handle()),
                base64: None,
            },
        )?;
        map.end()
    }
}

impl<'de> Deserialize<'de> for FilePart {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        use serde::de::Error as _;
        let mut wrapper = BTreeMap::<String, Encoded>::deserialize(deserializer)?;
        let encoded = wrapper
            .remove(FILE_KEY)
            .ok_or_else(|| D::Error::custom("not a FilePart"))?;
        let bytes = match (&encoded.handle, &encoded.base64) {
            (_, Some(text)) => Bytes::from(BASE64.decode(text).map_err(D::Error::custom)?),
            (Some(handle), None) => FilePart::bytes_of(handle).ok_or_else(|| {
                D::Error::custom(
                    "the FilePart this JSON refers to no longer exists (a serialized FilePart is valid while the part lives; give \"base64\" to carry the file itself)",
                )
            })?,
            (None, None) => return Err(D::Error::custom("a FilePart needs \"base64\"")),
        };
        Ok(FilePart::from_bytes(
            encoded.file_name,
            encoded.content_type,
            bytes,
        ))
    }
}

mod multipart;

pub(crate) use multipart::{into_multipart, try_clone};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_read_from_a_path_takes_the_content_type_of_its_extension() {
        let dir = std::env::temp_dir().join(format!("cf-upload-types-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        for (name, expected) in [
            ("front.JPG", "image/jpeg"),
            ("scan.jpeg", "image/jpeg"),
            ("card.png", "image/png"),
            ("statement.pdf", "application/pdf"),
            ("photo.heic", "image/heic"),
            ("no-extension", "application/octet-stream"),
            ("data.unknown-ext", "application/octet-stream"),
        ] {
            let path = dir.join(name);
            std::fs::write(&path, b"bytes").unwrap();
            let part = FilePart::from_path(&path).unwrap();
            assert_eq!(part.content_type(), expected, "{name}");
            assert_eq!(part.file_name(), name);
        }
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_part_round_trips_through_json_and_never_debugs_its_bytes() {
        let part = FilePart::from_bytes("a.png", "image/png", b"\x89PNG secret".to_vec());
        let json = serde_json::to_value(&part).unwrap();
        assert_eq!(serde_json::from_value::<FilePart>(json).unwrap(), part);
        let debug = format!("{part:?}");
        assert!(debug.contains("a.png") && debug.contains("len: 11") && !debug.contains("secret"));
    }

    #[test]
    fn json_naming_a_part_works_while_it_lives_and_never_by_guessing() {
        let part = FilePart::from_bytes("a.png", "image/png", b"PNG".to_vec());
        let json = serde_json::to_value(&part).unwrap();
        assert!(!json.to_string().contains("UE5H"), "no base64 copy: {json}");
        let mut forged = json.clone();
        let handle = forged[FILE_KEY]["handle"].as_str().unwrap().to_string();
        let (id, _) = handle.split_once('-').unwrap();
        forged[FILE_KEY]["handle"] = serde_json::Value::String(format!("{id}-0000000000000000"));
        assert!(serde_json::from_value::<FilePart>(forged).is_err());
        drop(part);
        let err = serde_json::from_value::<FilePart>(json).unwrap_err();
        assert!(err.to_string().contains("no longer exists"), "{err}");
        let given = serde_json::json!({FILE_KEY: {"file_name": "b.png", "content_type": "image/png", "base64": "UE5H"}});
        assert_eq!(
            serde_json::from_value::<FilePart>(given)
                .unwrap()
                .bytes()
                .as_ref(),
            b"PNG"
        );
    }
}
