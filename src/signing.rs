//! Request signatures for Cashfree's "2FA by public key" (`x-cf-signature` header).
//!
//! The signature is the standard, padded base64 encoding of the RSA-OAEP
//! encryption (SHA-1 digest, MGF1 with SHA-1, empty label) of the ASCII text
//! `client_id + "." + unix_time_in_whole_seconds` under Cashfree's RSA public key.
//!
//! Only public-key encryption happens here: no private key is ever loaded, so the
//! RSA private-key timing issue RUSTSEC-2023-0071 does not apply to this module.

use std::fmt;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{SystemTime, UNIX_EPOCH};

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64_STANDARD;
use reqwest::header::HeaderValue;
use rsa::pkcs1::DecodeRsaPublicKey as _;
use rsa::pkcs8::DecodePublicKey as _;
use rsa::rand_core::OsRng;
use rsa::traits::PublicKeyParts as _;
use rsa::{Oaep, RsaPublicKey};
use sha1::Sha1;

/// Name of the HTTP header that carries the signature.
pub const SIGNATURE_HEADER: &str = "x-cf-signature";

/// PEM label of an SPKI (X.509 `SubjectPublicKeyInfo`) public key.
const SPKI_LABEL: &str = "PUBLIC KEY";
/// PEM label of a PKCS#1 RSA public key.
const PKCS1_LABEL: &str = "RSA PUBLIC KEY";
/// Output size of SHA-1 in bytes, which fixes the OAEP overhead.
const SHA1_LEN: usize = 20;
/// Most signatures kept by [`Signer::signature_now`] (all for the same second).
const CACHE_CAPACITY: usize = 16;

/// Why a [`Signer`] could not be built or a signature could not be made.
///
/// No variant carries PEM content, so the error can be logged safely.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum SigningError {
    /// The PEM text is empty or only whitespace.
    EmptyPem,
    /// The text does not begin with a readable `-----BEGIN <LABEL>-----` line.
    NotPem,
    /// The PEM holds a private key, but Cashfree's public key is needed.
    PrivateKeyPem,
    /// The PEM label is neither `PUBLIC KEY` nor `RSA PUBLIC KEY`.
    UnsupportedPemLabel {
        /// The label found, such as `CERTIFICATE`.
        label: String,
    },
    /// The PEM has a supported label but does not hold a valid RSA public key.
    InvalidKey {
        /// The label found: `PUBLIC KEY` or `RSA PUBLIC KEY`.
        label: &'static str,
        /// What the decoder reported (never key bytes).
        reason: String,
    },
    /// The text `client_id.timestamp` is too long to encrypt with this key.
    MessageTooLong {
        /// Length of the text in bytes.
        len: usize,
        /// Longest text this key can encrypt with RSA-OAEP-SHA1, in bytes.
        max: usize,
    },
    /// The system clock reads a time before 1970-01-01T00:00:00Z.
    ClockBeforeUnixEpoch,
    /// RSA encryption failed for another reason, such as the random source.
    Encryption {
        /// What the RSA implementation reported.
        reason: String,
    },
}

impl fmt::Display for SigningError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let expected = "expected `-----BEGIN PUBLIC KEY-----` (SPKI) \
                        or `-----BEGIN RSA PUBLIC KEY-----` (PKCS#1)";
        match self {
            Self::EmptyPem => write!(f, "the RSA public key PEM is empty; {expected}"),
            Self::NotPem => write!(f, "the RSA public key is not PEM text; {expected}"),
            Self::PrivateKeyPem => write!(
                f,
                "the PEM holds a private key, not Cashfree's public key; {expected}"
            ),
            Self::UnsupportedPemLabel { label } => {
                write!(f, "unsupported PEM label `{label}`; {expected}")
            }
            Self::InvalidKey { label, reason } => write!(
                f,
                "the PEM labelled `{label}` is not a valid RSA public key: {reason}"
            ),
            Self::MessageTooLong { len, max } => write!(
                f,
                "the signature text `client_id.timestamp` is {len} bytes, \
                 more than the {max} bytes this key can encrypt"
            ),
            Self::ClockBeforeUnixEpoch => write!(
                f,
                "the system clock reads a time before 1970, so no Unix timestamp can be signed"
            ),
            Self::Encryption { reason } => write!(f, "RSA-OAEP encryption failed: {reason}"),
        }
    }
}

impl std::error::Error for SigningError {}

/// Makes `x-cf-signature` values from Cashfree's RSA public key.
///
/// Cloning is cheap: clones share the key and the per-second signature cache.
/// `Debug` shows only the key size, e.g. `Signer { key_bits: 2048 }`.
///
/// ```
/// use cashfree_verification::signing::{SIGNATURE_HEADER, Signer};
///
/// # let pem = include_str!("../tests/fixtures/test_key_public.pem");
/// let signer = Signer::from_pem(pem)?;
/// assert_eq!(format!("{signer:?}"), "Signer { key_bits: 2048 }");
/// let value = signer.signature_now("CF_CLIENT_ID")?;
/// assert_eq!(value.len(), 344); // base64 of one 256-byte RSA block
/// assert_eq!(SIGNATURE_HEADER, "x-cf-signature");
/// # Ok::<(), cashfree_verification::signing::SigningError>(())
/// ```
#[derive(Clone)]
pub struct Signer {
    inner: Arc<Inner>,
}

/// State shared by all clones of one [`Signer`].
struct Inner {
    key: RsaPublicKey,
    cache: Mutex<Vec<CachedSignature>>,
}

/// A signature made for one client id during one whole second.
struct CachedSignature {
    client_id: String,
    unix_seconds: u64,
    /// The signature as the header value it is sent as (sensitive), so a cache hit copies nothing.
    signature: HeaderValue,
}

impl fmt::Debug for Signer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Signer")
            .field("key_bits", &self.key_bits())
            .finish()
    }
}

impl Signer {
    /// Builds a signer from an RSA public key in SPKI or PKCS#1 PEM form.
    ///
    /// Surrounding whitespace and CRLF line endings are accepted. Anything else,
    /// including a private key, is rejected with an error that never repeats the
    /// PEM content.
    ///
    /// # Errors
    ///
    /// [`SigningError::EmptyPem`], [`SigningError::NotPem`],
    /// [`SigningError::PrivateKeyPem`], [`SigningError::UnsupportedPemLabel`] or
    /// [`SigningError::InvalidKey`], as their docs describe.
    pub fn from_pem(pem: &str) -> Result<Self, SigningError> {
        let pem = pem.trim();
        if pem.is_empty() {
            return Err(SigningError::EmptyPem);
        }
        let key = match pem_label(pem).ok_or(SigningError::NotPem)? {
            SPKI_LABEL => {
                RsaPublicKey::from_public_key_pem(pem).map_err(|e| SigningError::InvalidKey {
                    label: SPKI_LABEL,
                    reason: e.to_string(),
                })?
            }
            PKCS1_LABEL => {
                RsaPublicKey::from_pkcs1_pem(pem).map_err(|e| SigningError::InvalidKey {
                    label: PKCS1_LABEL,
                    reason: e.to_string(),
                })?
            }
            label if label.ends_with("PRIVATE KEY") => return Err(SigningError::PrivateKeyPem),
            label => {
                return Err(SigningError::UnsupportedPemLabel {
                    label: label.to_owned(),
                });
            }
        };
        let cache = Mutex::new(Vec::with_capacity(CACHE_CAPACITY));
        Ok(Self {
            inner: Arc::new(Inner { key, cache }),
        })
    }

    /// Returns the size of the RSA modulus in bits, such as 2048.
    #[must_use]
    pub fn key_bits(&self) -> usize {
        self.inner.key.n().bits()
    }

    /// Signs `client_id.unix_seconds` with fresh random OAEP padding.
    ///
    /// Two calls with the same input give different values; both are valid.
    ///
    /// # Errors
    ///
    /// [`SigningError::MessageTooLong`] if the text exceeds what the key can
    /// encrypt (214 bytes for a 2048-bit key), or [`SigningError::Encryption`]
    /// if the operating system's random source fails.
    pub fn signature(&self, client_id: &str, unix_seconds: u64) -> Result<String, SigningError> {
        let message = format!("{client_id}.{unix_seconds}");
        let max = self.inner.key.size().saturating_sub(2 * SHA1_LEN + 2);
        if message.len() > max {
            return Err(SigningError::MessageTooLong {
                len: message.len(),
                max,
            });
        }
        let ciphertext = self
            .inner
            .key
            .encrypt(&mut OsRng, Oaep::new::<Sha1>(), message.as_bytes())
            .map_err(|e| SigningError::Encryption {
                reason: e.to_string(),
            })?;
        Ok(BASE64_STANDARD.encode(ciphertext))
    }

    /// Signs `client_id` with the current Unix time, reusing a signature made
    /// for the same client id earlier in the same whole second.
    ///
    /// The cache holds at most 16 entries, all for the current second.
    ///
    /// # Errors
    ///
    /// As [`Signer::signature`], plus [`SigningError::ClockBeforeUnixEpoch`].
    pub fn signature_now(&self, client_id: &str) -> Result<String, SigningError> {
        let value = self.signature_header_now(client_id)?;
        // Base64 is ASCII.
        Ok(String::from_utf8_lossy(value.as_bytes()).into_owned())
    }

    /// [`signature_now`](Signer::signature_now) as the `x-cf-signature` header value (marked
    /// sensitive); a cache hit costs a reference count, not a copy.
    pub(crate) fn signature_header_now(
        &self,
        client_id: &str,
    ) -> Result<HeaderValue, SigningError> {
        let unix_seconds = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_err(|_| SigningError::ClockBeforeUnixEpoch)?
            .as_secs();
        self.cached_signature(client_id, unix_seconds)
    }

    /// Returns the cached signature for `(client_id, unix_seconds)` or makes one.
    fn cached_signature(
        &self,
        client_id: &str,
        unix_seconds: u64,
    ) -> Result<HeaderValue, SigningError> {
        let find = |cache: &[CachedSignature]| {
            cache
                .iter()
                .find(|c| c.unix_seconds == unix_seconds && c.client_id == client_id)
                .map(|c| c.signature.clone())
        };
        if let Some(hit) = find(&self.lock_cache()) {
            return Ok(hit);
        }
        // Encrypt without holding the lock; a racing thread may do the same work.
        let mut signature = HeaderValue::try_from(self.signature(client_id, unix_seconds)?)
            .map_err(|e| SigningError::Encryption {
                reason: e.to_string(),
            })?;
        signature.set_sensitive(true);
        let mut cache = self.lock_cache();
        cache.retain(|c| c.unix_seconds >= unix_seconds);
        if let Some(hit) = find(&cache) {
            return Ok(hit);
        }
        if cache.len() >= CACHE_CAPACITY {
            cache.remove(0);
        }
        cache.push(CachedSignature {
            client_id: client_id.to_owned(),
            unix_seconds,
            signature: signature.clone(),
        });
        Ok(signature)
    }

    /// Locks the cache, recovering it if another thread panicked while holding it.
    fn lock_cache(&self) -> std::sync::MutexGuard<'_, Vec<CachedSignature>> {
        self.inner
            .cache
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }
}

/// Most bytes [`read_pem_file`] reads: an RSA-4096 public key PEM is under 1 KB.
pub const MAX_PEM_FILE_BYTES: u64 = crate::local_file::MAX_KEY_FILE_BYTES;

/// Reads a public key PEM from `path`: a regular file (links followed) of at most
/// [`MAX_PEM_FILE_BYTES`], in UTF-8, read with [`local_file::read`](crate::local_file::read) (the
/// same bounded reading as every file the crate opens).
///
/// Devices (`/dev/zero`), FIFOs and directories are refused before they are opened, so the call never
/// blocks on a FIFO nor reads without end; a larger file is refused from its metadata, before it is
/// read.
///
/// ```
/// use cashfree_verification::signing::read_pem_file;
/// # let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/test_key_public.pem");
/// assert!(read_pem_file(path.as_ref()).unwrap().starts_with("-----BEGIN PUBLIC KEY-----"));
/// assert!(read_pem_file("/dev/zero".as_ref()).unwrap_err().contains("not a regular file"));
/// ```
///
/// # Errors
/// A message naming the path and what is wrong; it never quotes the file's content.
pub fn read_pem_file(path: &std::path::Path) -> Result<String, String> {
    let bytes = crate::local_file::read(path, MAX_PEM_FILE_BYTES, "a PEM public key file")
        .map_err(|e| e.to_string())?;
    String::from_utf8(bytes).map_err(|_| format!("{} is not UTF-8 text", path.display()))
}

/// Returns the label of the first `-----BEGIN <LABEL>-----` line, if readable.
///
/// Only labels made of ASCII capitals, digits and spaces are returned, so an
/// error quoting the label cannot leak arbitrary text.
fn pem_label(pem: &str) -> Option<&str> {
    let first_line = pem.lines().next()?.trim_end();
    let label = first_line
        .strip_prefix("-----BEGIN ")?
        .strip_suffix("-----")?;
    let plain = |b: u8| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b' ';
    (!label.is_empty() && label.len() <= 40 && label.bytes().all(plain)).then_some(label)
}

#[cfg(test)]
mod tests {
    use super::*;

    const PUBLIC_SPKI: &str = include_str!("../tests/fixtures/test_key_public.pem");
    const EC_PUBLIC: &str = include_str!("../tests/fixtures/test_ec_public.pem");

    fn signer() -> Signer {
        Signer::from_pem(PUBLIC_SPKI).expect("fixture SPKI key parses")
    }

    #[test]
    fn cache_renews_each_second_and_stays_small() {
        let signer = signer();
        let at_100 = signer.cached_signature("A", 100).unwrap();
        assert!(at_100.is_sensitive(), "a signature never prints");
        assert_eq!(signer.cached_signature("A", 100).unwrap(), at_100);
        let at_101 = signer.cached_signature("A", 101).unwrap();
        assert_ne!(at_101, at_100);
        assert_eq!(
            signer.lock_cache().len(),
            1,
            "entries for second 100 dropped"
        );
        for i in 0..40 {
            signer.cached_signature(&format!("client{i}"), 101).unwrap();
        }
        assert_eq!(signer.lock_cache().len(), CACHE_CAPACITY);
    }

    #[test]
    fn rejects_empty_and_non_pem_input() {
        assert_eq!(Signer::from_pem("").unwrap_err(), SigningError::EmptyPem);
        assert_eq!(
            Signer::from_pem(" \n\t").unwrap_err(),
            SigningError::EmptyPem
        );
        let garbage = Signer::from_pem("not a key at all").unwrap_err();
        assert_eq!(garbage, SigningError::NotPem);
        assert!(!garbage.to_string().contains("not a key"));
        let lower = Signer::from_pem("-----BEGIN secret stuff-----\nAAAA\n").unwrap_err();
        assert_eq!(lower, SigningError::NotPem);
    }

    #[test]
    fn rejects_private_key_without_echoing_it() {
        // The label decides: no key material is parsed (tests/integration/signing.rs gives it the
        // test key pair's real private key, which the package does not ship).
        let pkcs8 = "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7\n-----END PRIVATE KEY-----\n";
        let err = Signer::from_pem(pkcs8).unwrap_err();
        assert_eq!(err, SigningError::PrivateKeyPem);
        let shown = format!("{err} {err:?}");
        assert!(shown.contains("private key"), "{shown}");
        assert!(!shown.contains("MIIEvQIB"), "error echoes key material");
        let rsa_private = "-----BEGIN RSA PRIVATE KEY-----\nMIIB\n-----END RSA PRIVATE KEY-----";
        assert_eq!(
            Signer::from_pem(rsa_private).unwrap_err(),
            SigningError::PrivateKeyPem
        );
    }

    #[test]
    fn rejects_other_labels_and_bad_bodies() {
        let cert = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";
        let err = Signer::from_pem(cert).unwrap_err();
        assert_eq!(
            err,
            SigningError::UnsupportedPemLabel {
                label: "CERTIFICATE".into()
            }
        );
        assert!(err.to_string().contains("`CERTIFICATE`"));

        let body = "QUJDREVGR0hJSktMTU5PUA==";
        let junk = format!("-----BEGIN PUBLIC KEY-----\n{body}\n-----END PUBLIC KEY-----\n");
        let err = Signer::from_pem(&junk).unwrap_err();
        assert!(matches!(
            err,
            SigningError::InvalidKey {
                label: SPKI_LABEL,
                ..
            }
        ));
        assert!(!err.to_string().contains(body));

        // A valid SPKI body under the PKCS#1 label, and a non-RSA SPKI key.
        let mislabelled = PUBLIC_SPKI.replace("PUBLIC KEY", "RSA PUBLIC KEY");
        let err = Signer::from_pem(&mislabelled).unwrap_err();
        assert!(matches!(
            err,
            SigningError::InvalidKey {
                label: PKCS1_LABEL,
                ..
            }
        ));
        let err = Signer::from_pem(EC_PUBLIC).unwrap_err();
        assert!(matches!(
            err,
            SigningError::InvalidKey {
                label: SPKI_LABEL,
                ..
            }
        ));
        assert!(err.to_string().starts_with("the PEM labelled `PUBLIC KEY`"));
    }

    #[test]
    fn too_long_client_id_is_an_error() {
        let long_id = "x".repeat(300);
        let err = signer().signature(&long_id, 1).unwrap_err();
        assert_eq!(err, SigningError::MessageTooLong { len: 302, max: 214 });
        let exact = "y".repeat(214 - ".1".len());
        // The longest text fits (tests/integration/signing.rs decrypts it).
        assert_eq!(signer().signature(&exact, 1).unwrap().len(), 344);
    }

    #[test]
    fn debug_shows_only_the_key_size() {
        let signer = signer();
        signer.signature_now("CLIENT").unwrap();
        assert_eq!(format!("{signer:?}"), "Signer { key_bits: 2048 }");
        assert_eq!(format!("{signer:#?}"), "Signer {\n    key_bits: 2048,\n}");
    }

    #[test]
    fn signer_is_send_and_sync() {
        fn assert_send_sync<T: Send + Sync + 'static>() {}
        assert_send_sync::<Signer>();
        assert_send_sync::<SigningError>();
    }
}
