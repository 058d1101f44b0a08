//! The whole pipeline, from spec files to generated sources, shared by `build.rs`, the CLI and tests.
//!
//! One entry point per use: the build script calls [`SpecDir::generate_products`]; `check` and
//! `refresh` call [`SpecDir::generate`]; `diff` and `merged` call [`SpecDir::merged`]; `import`
//! checks a file before writing it with [`generate_specs`]; tests of explicit files use
//! [`generate_from`].

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::cycles::unsatisfiable_schemas;
use crate::defaults::nonconforming_defaults;
use crate::generate::generate_client;
use crate::merge::{DocumentationOnly, Merged, merge};
use crate::meta::generate_meta;
use crate::operations::spec_operations;
use crate::overlay::{Overlay, load_overlays};
use crate::problem::Problems;
use crate::products::{features_block, select};
use crate::source::{SpecFile, load_specs};
use crate::spec_dir::{Reviewed, SpecDir};
use crate::summary::{generated_operations, summarize};
use crate::webhooks::generate::generate_events;
use crate::webhooks::webhook_events;

/// The one command that refreshes the review copies in `api/` and the products block of `Cargo.toml`.
pub const REFRESH_COMMAND: &str = "cargo run -p cashfree-verification-codegen -- refresh";

/// Everything generated from one set of specs.
#[derive(Debug, Clone)]
pub struct Generated {
    /// The merged document, overlays applied.
    pub merged: Value,
    /// The client source (progenitor's output, formatted).
    pub client: String,
    /// The human-readable API summary.
    pub summary: String,
    /// The metadata module for the handwritten layer (operations, security, error codes).
    pub meta: String,
    /// The webhook events of the enabled products: the `Event` enum ([`webhooks`](crate::webhooks)).
    pub webhooks: String,
    /// The product features block of `Cargo.toml` (see [`products`](crate::products)).
    pub features_block: String,
    /// The examples that contradict their schemas and what was widened for them
    /// ([`reconcile`](crate::reconcile)), as the review copy `api/reconciliations.txt`.
    pub reconciliations: String,
    /// Warnings worth showing (another `info.title`...).
    pub warnings: Vec<String>,
    /// The components whose copies differ only in documentation between spec files
    /// ([`acknowledged`](crate::acknowledged) says which the build names).
    pub documentation_only: Vec<DocumentationOnly>,
    /// How long each stage took.
    pub timings: Timings,
    /// The hash of the spec directory's inputs ([`fingerprint`](crate::fingerprint)), recorded in
    /// `api/`; `None` for explicit files.
    pub inputs_hash: Option<String>,
}

impl Generated {
    /// The merged document as pretty JSON, with a trailing newline.
    pub fn merged_json(&self) -> String {
        let mut s = serde_json::to_string_pretty(&self.merged).expect("a Value always serializes");
        s.push('\n');
        s
    }
}

/// Time spent per stage.
#[derive(Debug, Clone, Copy, Default)]
pub struct Timings {
    /// Reading and parsing spec and overlay files.
    pub load: Duration,
    /// Applying overlays and merging.
    pub merge: Duration,
    /// Progenitor plus prettyplease.
    pub generate: Duration,
    /// Building the API summary and the metadata module.
    pub summary: Duration,
}

impl Timings {
    /// The sum of all stages.
    pub fn total(&self) -> Duration {
        self.load + self.merge + self.generate + self.summary
    }
}

impl SpecDir {
    /// Runs the pipeline on this directory, every product, with the hash of its inputs (what
    /// `refresh` and `check` compare with `api/`).
    ///
    /// # Errors
    /// Every problem found in every stage that could run.
    pub fn generate(&self) -> Result<Generated, Problems> {
        let mut generated = self.generate_products(|_| true)?;
        generated.inputs_hash =
            Some(crate::fingerprint::inputs_hash(self).map_err(Problems::from)?);
        Ok(generated)
    }

    /// Runs the pipeline on this directory for the products `enabled` accepts (the build script's
    /// entry point): every check runs on the whole document, and the client, summary and operation
    /// table cover the enabled products' operations.
    ///
    /// # Errors
    /// Every problem found in every stage that could run.
    pub fn generate_products(&self, enabled: impl Fn(&str) -> bool) -> Result<Generated, Problems> {
        let start = Instant::now();
        let paths = self.spec_paths().map_err(Problems::from)?;
        let overlays = load_overlays(&self.overlays);
        let mut problems = Problems::new();
        let overlays = overlays.unwrap_or_else(|p| {
            problems.extend(p);
            Vec::new()
        });
        let reviewed = self.reviewed(&mut problems);
        let load_time = start.elapsed();
        let generated = load_specs(&paths)
            .and_then(|specs| generate_products(specs, &overlays, &reviewed, enabled));
        match generated {
            Ok(mut g) if problems.is_empty() => {
                g.timings.load += load_time;
                Ok(g)
            }
            Ok(_) => Err(problems),
            Err(p) => {
                problems.extend(p);
                Err(problems)
            }
        }
    }
}

impl SpecDir {
    /// The merged document of this directory with every overlay applied (no generation).
    ///
    /// # Errors
    /// Every load, overlay and merge problem.
    pub fn merged(&self) -> Result<Value, Problems> {
        let paths = self.spec_paths().map_err(Problems::from)?;
        // Merge even when an overlay does not load, so that one run reports every problem.
        let mut problems = Problems::new();
        let overlays = load_overlays(&self.overlays).unwrap_or_else(|p| {
            problems.extend(p);
            Vec::new()
        });
        let reviewed = self.reviewed(&mut problems);
        match load_specs(&paths).and_then(|specs| merge_specs(specs, &overlays, &reviewed)) {
            Ok(m) if problems.is_empty() => Ok(m.doc),
            Ok(_) => Err(problems),
            Err(p) => {
                problems.extend(p);
                Err(problems)
            }
        }
    }
}

/// Runs the pipeline on explicit spec files and overlays.
///
/// Overlays with `extends` apply to the spec file they name before merging; the others apply to the
/// merged document, in the order given.
///
/// # Errors
/// Every problem found in every stage that could run.
pub fn generate_from(spec_files: &[PathBuf], overlays: &[Overlay]) -> Result<Generated, Problems> {
    let t = Instant::now();
    let specs = load_specs(spec_files)?;
    let mut generated = generate_specs(specs, overlays)?;
    generated.timings.load += t.elapsed().saturating_sub(generated.timings.total());
    Ok(generated)
}

/// The merge (its document with every overlay applied and the waits copied in, and what it
/// noticed): the pipeline up to, not including, generation (what `cashfree-codegen merged` prints,
/// also when generation would fail).
///
/// # Errors
/// Every overlay and merge problem.
fn merge_specs(
    mut specs: Vec<SpecFile>,
    overlays: &[Overlay],
    reviewed: &Reviewed,
) -> Result<Merged, Problems> {
    let mut problems = Problems::new();
    for overlay in overlays {
        let Some(target) = &overlay.extends else {
            continue;
        };
        match specs.iter_mut().find(|s| same_file(&s.path, target)) {
            Some(spec) => {
                if let Err(p) = overlay.apply(&mut spec.doc) {
                    problems.extend(p);
                }
            }
            None => problems.push(format!(
                "overlay {} extends {}, which is not one of the spec files being merged",
                overlay.path.display(),
                target.display()
            )),
        }
    }
    // Merge even when an overlay failed, so that one run reports every problem.
    let merged = match merge(&specs) {
        Ok(m) if problems.is_empty() => m,
        Ok(_) => return Err(problems),
        Err(p) => {
            problems.extend(p);
            return Err(problems);
        }
    };
    let mut merged = merged;
    for overlay in overlays.iter().filter(|o| o.extends.is_none()) {
        if let Err(p) = overlay.apply(&mut merged.doc) {
            problems.extend(p);
        }
    }
    if problems.is_empty()
        && let Err(p) = crate::waits::apply(&mut merged.doc, &reviewed.waits)
    {
        problems.extend(p);
    }
    if let Some(limits) = &reviewed.rate_limits
        && problems.is_empty()
        && let Err(p) = crate::rate_limits::apply(&mut merged.doc, limits)
    {
        problems.extend(p);
    }
    if problems.is_empty() {
        Ok(merged)
    } else {
        Err(problems)
    }
}

/// Runs the pipeline on already loaded spec files (the import command checks a new file this way
/// before writing it).
///
/// # Errors
/// Every problem found in every stage that could run.
pub fn generate_specs(specs: Vec<SpecFile>, overlays: &[Overlay]) -> Result<Generated, Problems> {
    generate_products(specs, overlays, &Reviewed::default(), |_| true)
}

/// [`generate_specs`] for the products (Cargo features, see [`products`](crate::products)) that
/// `enabled` accepts: every check runs on the whole document, and the client, summary and operation
/// table cover the enabled products' operations; the merged document and the error codes stay whole.
///
/// # Errors
/// Every problem found in every stage that could run.
fn generate_products(
    specs: Vec<SpecFile>,
    overlays: &[Overlay],
    reviewed: &Reviewed,
    enabled: impl Fn(&str) -> bool,
) -> Result<Generated, Problems> {
    let mut timings = Timings::default();
    let t = Instant::now();
    let Merged {
        doc,
        warnings,
        documentation_only,
    } = merge_specs(specs, overlays, reviewed)?;
    let mut problems = Problems::new();
    let spec_ops = spec_operations(&doc).unwrap_or_else(|p| {
        p.into_iter().for_each(|p| problems.push(p));
        Vec::new()
    });
    unsatisfiable_schemas(&doc)
        .into_iter()
        .chain(nonconforming_defaults(&doc))
        .chain(webhook_events(&doc).err().into_iter().flatten())
        .for_each(|p| problems.push(p));
    if !problems.is_empty() {
        return Err(problems);
    }

    let selected = select(&doc, &enabled);
    let selected_ops = spec_operations(&selected).map_err(Problems)?;
    let features_block = features_block(&doc);
    timings.merge = t.elapsed();

    let t = Instant::now();
    let (file, client) = generate_client(&selected, &selected_ops).map_err(Problems::from)?;
    timings.generate = t.elapsed();

    let t = Instant::now();
    let events = webhook_events(&selected).map_err(Problems)?;
    let webhooks = generate_events(&events, &file).map_err(Problems::from)?;
    let operations = generated_operations(&file, &selected_ops).map_err(Problems::from)?;
    let summary = summarize(&selected, &operations, &file).map_err(Problems::from)?;
    let meta = generate_meta(&doc, &operations, &spec_ops).map_err(Problems::from)?;
    timings.summary = t.elapsed();

    let reconciliations =
        crate::reconcile::review_text(&doc, &crate::reconcile::reconciliations(&doc));
    Ok(Generated {
        features_block,
        webhooks,
        reconciliations,
        merged: doc,
        client,
        summary,
        meta,
        warnings,
        documentation_only,
        timings,
        inputs_hash: None,
    })
}

fn same_file(a: &Path, b: &Path) -> bool {
    normalize(a) == normalize(b)
}

/// Canonical form of a path whose file may not exist yet (an import checks a file before writing it).
fn normalize(p: &Path) -> PathBuf {
    if let Ok(c) = std::fs::canonicalize(p) {
        return c;
    }
    match (
        p.parent().and_then(|d| std::fs::canonicalize(d).ok()),
        p.file_name(),
    ) {
        (Some(dir), Some(name)) => dir.join(name),
        _ => p.to_path_buf(),
    }
}
