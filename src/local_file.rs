//! Reading a file the crate is given a path to (a public key, a file to upload), the one way every
//! such read goes: regular files only, the size checked from metadata before any byte is read, and
//! never more than the limit read.
//!
//! A FIFO would block the read until a writer comes (forever, if none does), a device such as
//! `/dev/zero` never ends, and a sparse file can claim gigabytes it would take to hold in memory:
//! all three are refused before the file is read, with an error naming the path and the limit.
//!
//! ```
//! use cashfree_verification::local_file::read;
//! # let key = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/test_key_public.pem");
//! assert!(read(key.as_ref(), 16 * 1024, "a PEM file").unwrap().starts_with(b"-----BEGIN"));
//! let err = read("/dev/zero".as_ref(), 16 * 1024, "a PEM file").unwrap_err();
//! assert!(err.to_string().contains("not a regular file"));
//! let err = read(key.as_ref(), 10, "a PEM file").unwrap_err();
//! assert_eq!(err.kind(), std::io::ErrorKind::FileTooLarge);
//! assert!(err.to_string().contains("larger than 10 bytes, the limit for a PEM file"), "{err}");
//! ```

use std::io::{self, Read as _};
use std::path::Path;

/// Most bytes read from a key file (the client's public key, the sandbox's private key): an
/// RSA-4096 private key in PKCS#8 PEM is about 3.3 KB.
pub const MAX_KEY_FILE_BYTES: u64 = 16 * 1024;

/// The content of the regular file at `path`, at most `limit` bytes; `what` names what the file
/// is for in errors ("a PEM file", "a file to upload").
///
/// The file's metadata is read first: anything but a regular file (a directory, a FIFO, a device)
/// is refused before it is opened, and a file whose size is over `limit` before any byte is read.
/// What was opened is checked again (the path may have changed in between), and at most `limit + 1`
/// bytes are read, so a file that grows meanwhile is refused too.
///
/// # Errors
/// The path cannot be read (`NotFound`, `PermissionDenied`, ...); it is not a regular file
/// (`InvalidInput`); it is larger than `limit` (`FileTooLarge`). Each message names the path, and
/// the limit where it applies; none quotes the file's content.
pub fn read(path: &Path, limit: u64, what: &str) -> io::Result<Vec<u8>> {
    let shown = path.display();
    let with_path = |e: io::Error| io::Error::new(e.kind(), format!("{shown}: {e}"));
    let check = |meta: &std::fs::Metadata| -> io::Result<u64> {
        if !meta.file_type().is_file() {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                format!("{shown} is not a regular file ({what} is expected)"),
            ));
        }
        too_large(meta.len(), limit, &shown, what)?;
        Ok(meta.len())
    };
    check(&std::fs::metadata(path).map_err(with_path)?)?;
    let file = std::fs::File::open(path).map_err(with_path)?;
    let len = check(&file.metadata().map_err(with_path)?)?;
    let mut bytes = Vec::with_capacity(len as usize);
    file.take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(with_path)?;
    too_large(bytes.len() as u64, limit, &shown, what)?;
    Ok(bytes)
}

fn too_large(len: u64, limit: u64, shown: &std::path::Display<'_>, what: &str) -> io::Result<()> {
    if len > limit {
        return Err(io::Error::new(
            io::ErrorKind::FileTooLarge,
            format!("{shown} is {len} bytes, larger than {limit} bytes, the limit for {what}"),
        ));
    }
    Ok(())
}
