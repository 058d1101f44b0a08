//! Whether the review copies in `api/` were generated from the spec inputs there are now: a hash of
//! every file the pipeline reads (spec files, webhook documents, overlays, the reviewed waits and
//! rate-limit tiers; names and bytes), recorded
//! by `refresh` in `api/spec-inputs.txt` and compared by the build script, which then needs no
//! generation to tell that `api/` is stale. Only a checkout has `api/`: a registry build never looks.

use std::path::Path;

use crate::overlay::overlay_paths;
use crate::spec_dir::SpecDir;

/// The review copy that records the hash, inside `api/`.
pub const FILE: &str = "spec-inputs.txt";

/// FNV-1a, 64 bits: no dependency, stable across Rust releases (unlike `DefaultHasher`), and fast
/// enough for the ~1 MB of spec/ on every build (not a defence against anyone: a staleness hint).
#[derive(Debug, Clone, Copy)]
struct Fnv1a(u64);

impl Fnv1a {
    fn new() -> Self {
        Fnv1a(0xcbf2_9ce4_8422_2325)
    }

    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 ^= u64::from(*b);
            self.0 = self.0.wrapping_mul(0x0100_0000_01b3);
        }
    }
}

/// The hash of `dir`'s inputs, as 16 hex digits: each file's path relative to `dir.specs` (with `/`),
/// its length and its bytes, in path order.
///
/// # Errors
/// A directory or file cannot be read.
pub fn inputs_hash(dir: &SpecDir) -> Result<String, String> {
    let mut paths = dir.spec_paths()?;
    // The reviewed data directories read like the overlays' (every YAML or JSON file, when present).
    for reviewed in [&dir.overlays, &dir.waits, &dir.rate_limits] {
        paths.extend(overlay_paths(reviewed)?);
    }
    let mut named: Vec<(String, &Path)> = paths
        .iter()
        .map(|p| {
            let relative = p.strip_prefix(&dir.specs).unwrap_or(p);
            let name = relative
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect::<Vec<_>>()
                .join("/");
            (name, p.as_path())
        })
        .collect();
    named.sort();
    let mut hash = Fnv1a::new();
    for (name, path) in named {
        let bytes =
            std::fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        hash.write(name.as_bytes());
        hash.write(&[0]);
        hash.write(&(bytes.len() as u64).to_le_bytes());
        hash.write(&bytes);
    }
    Ok(format!("{:016x}", hash.0))
}

/// The text of `api/spec-inputs.txt` for `hash`.
pub fn record(hash: &str) -> String {
    format!(
        "# The hash of the spec inputs (spec/ and its webhooks/, overlays/, waits/ and rate-limits/: names\n# and bytes) that api/ was generated from; the build warns when spec/ no longer has it. Written by\n# refresh.\nfnv1a64 {hash}\n"
    )
}

/// The hash `text` (an `api/spec-inputs.txt`) records.
pub fn recorded(text: &str) -> Option<&str> {
    text.lines()
        .find_map(|l| l.strip_prefix("fnv1a64 "))
        .map(str::trim)
}

/// The build's warning when `api_dir` exists and does not record `hash` (the inputs now), naming
/// `refresh_command`; `None` when it does, or when there is no `api_dir` (a registry build).
pub fn stale_warning(api_dir: &Path, hash: &str, refresh_command: &str) -> Option<String> {
    if !api_dir.is_dir() {
        return None;
    }
    let text = std::fs::read_to_string(api_dir.join(FILE)).unwrap_or_default();
    let was = recorded(&text);
    if was == Some(hash) {
        return None;
    }
    Some(format!(
        "api/ no longer matches spec/: the review copies were generated from other spec inputs ({}, now {hash}); `{refresh_command}` regenerates them, then review the diff",
        was.map_or_else(
            || format!("api/{FILE} records none"),
            |h| format!("hash {h}")
        ),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec_dir(root: &Path) -> SpecDir {
        let dir = SpecDir::new(root.join("spec"));
        std::fs::create_dir_all(&dir.overlays).unwrap();
        std::fs::write(dir.specs.join("a.yaml"), "openapi: 3.0.0\n").unwrap();
        std::fs::write(dir.overlays.join("o.yaml"), "overlay: 1.0.0\n").unwrap();
        dir
    }

    #[test]
    fn the_hash_follows_every_input_and_the_build_warns_only_in_a_checkout() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = spec_dir(tmp.path());
        let api = tmp.path().join("api");
        let first = inputs_hash(&dir).unwrap();
        assert_eq!(first.len(), 16);
        assert_eq!(inputs_hash(&dir).unwrap(), first, "stable");

        // No api/ (a registry build): silent whatever the inputs.
        assert_eq!(stale_warning(&api, &first, "refresh"), None);

        std::fs::create_dir(&api).unwrap();
        let missing = stale_warning(&api, &first, "cargo run -- refresh").unwrap();
        assert!(
            missing.starts_with("api/ no longer matches spec/")
                && missing.contains("records none")
                && missing.contains("`cargo run -- refresh`"),
            "{missing}"
        );
        std::fs::write(api.join(FILE), record(&first)).unwrap();
        assert_eq!(stale_warning(&api, &first, "refresh"), None);

        // An overlay edit, a spec edit and a rename each change the hash.
        std::fs::write(dir.overlays.join("o.yaml"), "overlay: 1.0.0\nx: 1\n").unwrap();
        let overlay_edit = inputs_hash(&dir).unwrap();
        assert_ne!(overlay_edit, first);
        let warning = stale_warning(&api, &overlay_edit, "refresh").unwrap();
        assert!(
            warning.contains(&format!("hash {first}, now {overlay_edit}")),
            "{warning}"
        );
        std::fs::write(dir.specs.join("a.yaml"), "openapi: 3.0.1\n").unwrap();
        let spec_edit = inputs_hash(&dir).unwrap();
        assert_ne!(spec_edit, overlay_edit);
        std::fs::rename(dir.specs.join("a.yaml"), dir.specs.join("b.yaml")).unwrap();
        assert_ne!(inputs_hash(&dir).unwrap(), spec_edit);
    }
}
