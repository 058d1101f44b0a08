//! A crate's spec directory: where Cashfree's documents, the overlays, the webhook events and the
//! reviewed data (waits, rate-limit tiers) sit, and reading the reviewed data. The pipeline runs on
//! it ([`pipeline`](crate::pipeline)); its inputs' hash is [`fingerprint`](crate::fingerprint)'s.
//!
//! ```
//! use cashfree_codegen::spec_dir::SpecDir;
//!
//! let dir = SpecDir::new("spec");
//! assert_eq!(dir.overlays, std::path::Path::new("spec/overlays"));
//! assert_eq!(dir.rate_limits, std::path::Path::new("spec/rate-limits"));
//! ```

use std::path::PathBuf;

use crate::problem::Problems;
use crate::source::spec_paths;

/// The spec directory layout of a crate: `spec/` with `spec/overlays/` and `spec/webhooks/` inside it.
#[derive(Debug, Clone)]
pub struct SpecDir {
    /// The directory holding Cashfree's documents.
    pub specs: PathBuf,
    /// The directory holding overlay documents.
    pub overlays: PathBuf,
    /// The directory holding the webhook event documents ([`webhooks`](crate::webhooks)); they
    /// merge with the others.
    pub webhooks: PathBuf,
    /// The directory holding the reviewed data of asynchronous verifications
    /// ([`waits`](crate::waits)), copied into the merged document.
    pub waits: PathBuf,
    /// The directory holding the reviewed rate-limit tiers ([`rate_limits`](crate::rate_limits)),
    /// copied into the merged document.
    pub rate_limits: PathBuf,
}

/// The reviewed data that the merge copies into the merged document: the waits of asynchronous
/// verifications and the rate-limit tiers.
#[derive(Debug, Clone, Default)]
pub struct Reviewed {
    /// `spec/waits/`.
    pub waits: Vec<crate::waits::Wait>,
    /// `spec/rate-limits/`.
    pub rate_limits: Option<crate::rate_limits::RateLimits>,
}

impl SpecDir {
    /// `dir` for specs, `dir/overlays` for overlays, `dir/webhooks` for webhook events, `dir/waits`
    /// for the waits of asynchronous verifications, `dir/rate-limits` for the rate-limit tiers.
    pub fn new(dir: impl Into<PathBuf>) -> Self {
        let specs = dir.into();
        let overlays = specs.join("overlays");
        let webhooks = specs.join("webhooks");
        let waits = specs.join("waits");
        let rate_limits = specs.join("rate-limits");
        SpecDir {
            specs,
            overlays,
            webhooks,
            waits,
            rate_limits,
        }
    }

    /// The reviewed data of this directory; what cannot be read goes to `problems`.
    pub(crate) fn reviewed(&self, problems: &mut Problems) -> Reviewed {
        let waits = crate::waits::load(&self.waits).unwrap_or_else(|p| {
            problems.extend(p);
            Vec::new()
        });
        let rate_limits = crate::rate_limits::load(&self.rate_limits).unwrap_or_else(|p| {
            problems.extend(p);
            None
        });
        Reviewed { waits, rate_limits }
    }

    /// Every document to merge: those of `specs`, then those of `webhooks` when it exists.
    ///
    /// # Errors
    /// A directory cannot be read.
    pub fn spec_paths(&self) -> Result<Vec<PathBuf>, String> {
        let mut paths = spec_paths(&self.specs)?;
        if self.webhooks.is_dir() {
            paths.extend(spec_paths(&self.webhooks)?);
        }
        Ok(paths)
    }
}
