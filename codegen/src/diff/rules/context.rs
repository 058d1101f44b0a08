//! The comparison's state: the operations compared, the pairs of referenced schemas queued
//! (each compared once), which origin reaches which pair, and the findings.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde_json::Value;

use crate::diff::{Finding, rule};
use crate::source::resolve;

/// Most levels of inline (not `$ref`) schema nesting a comparison walks from one operation or one
/// referenced schema; references start a new count, as each pair of them is compared on its own.
pub(super) const MAX_DEPTH: usize = 24;

/// Which rules a schema is compared under.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(super) enum Side {
    Request,
    Response,
}

/// What the walk is comparing when it finds something: an operation (by index in
/// [`Context::operations`]) or a pair of referenced schemas (by index in [`Context::pairs`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Origin {
    Operation(usize),
    Pair(usize),
}

/// Two referenced schemas compared once: the `$ref` nodes of each side and the pointer findings
/// inside them are reported at (the new target's; the old one's when the new does not resolve).
pub(super) struct Pair<'a> {
    pub(super) side: Side,
    pub(super) old: &'a Value,
    pub(super) new: &'a Value,
    pub(super) here: String,
}

pub(super) struct Context<'a> {
    pub(super) old_doc: &'a Value,
    pub(super) new_doc: &'a Value,
    /// `METHOD /path (operationId)` of every operation compared, by index.
    pub(super) operations: Vec<String>,
    pub(super) origin: Origin,
    pub(super) findings: Vec<(Origin, Finding)>,
    pub(super) pairs: Vec<Pair<'a>>,
    pub(super) pair_index: HashMap<(Side, &'a str, &'a str), usize>,
    /// (from, to): comparing `from` reached the pair `to`.
    pub(super) edges: BTreeSet<(Origin, usize)>,
}

impl<'a> Context<'a> {
    pub(super) fn push(
        &mut self,
        id: &'static str,
        pointer: String,
        old: Option<&Value>,
        new: Option<&Value>,
    ) {
        let (level, impact) = rule(id);
        self.findings.push((
            self.origin,
            Finding {
                rule: id,
                level,
                impact,
                operations: Vec::new(),
                pointer,
                old: old.cloned(),
                new: new.cloned(),
            },
        ));
    }

    /// When `old` and `new` are both `$ref`s, records that the current origin reaches their pair
    /// (queued for comparison the first time it is seen) and returns `true`: the caller stops there.
    pub(super) fn follow(&mut self, side: Side, old: &'a Value, new: &'a Value) -> bool {
        let (Some(old_ref), Some(new_ref)) = (
            old.get("$ref").and_then(Value::as_str),
            new.get("$ref").and_then(Value::as_str),
        ) else {
            return false;
        };
        let key = (side, old_ref, new_ref);
        let index = match self.pair_index.get(&key) {
            Some(&index) => index,
            None => {
                let target = |doc: &Value, r: &str| {
                    r.strip_prefix('#')
                        .filter(|p| doc.pointer(p).is_some())
                        .map(str::to_string)
                };
                let here = target(self.new_doc, new_ref)
                    .or_else(|| target(self.old_doc, old_ref))
                    .unwrap_or_else(|| new_ref.to_string());
                self.pairs.push(Pair {
                    side,
                    old,
                    new,
                    here,
                });
                self.pair_index.insert(key, self.pairs.len() - 1);
                self.pairs.len() - 1
            }
        };
        self.edges.insert((self.origin, index));
        true
    }

    /// Compares every queued pair with `compare_pair` (the queue grows as pairs reach others;
    /// each pair's schemas come resolved), then gives each
    /// finding the operations that reach where it was found.
    pub(super) fn finish(
        mut self,
        compare_pair: impl Fn(&mut Self, Side, &str, &'a Value, &'a Value),
    ) -> Vec<Finding> {
        let mut next = 0;
        while next < self.pairs.len() {
            let (side, old, new, here) = {
                let p = &self.pairs[next];
                (p.side, p.old, p.new, p.here.clone())
            };
            self.origin = Origin::Pair(next);
            let (old_s, new_s) = (resolve(self.old_doc, old), resolve(self.new_doc, new));
            compare_pair(&mut self, side, &here, old_s, new_s);
            next += 1;
        }
        // Which operations reach each pair: one walk over the edges per operation.
        let mut out_of: BTreeMap<Origin, Vec<usize>> = BTreeMap::new();
        for (from, to) in &self.edges {
            out_of.entry(*from).or_default().push(*to);
        }
        let mut reached_by: Vec<BTreeSet<usize>> = vec![BTreeSet::new(); self.pairs.len()];
        for op in 0..self.operations.len() {
            let mut stack: Vec<usize> = out_of
                .get(&Origin::Operation(op))
                .cloned()
                .unwrap_or_default();
            while let Some(pair) = stack.pop() {
                if reached_by[pair].insert(op) {
                    stack.extend(out_of.get(&Origin::Pair(pair)).into_iter().flatten());
                }
            }
        }
        let operations = self.operations;
        self.findings
            .into_iter()
            .map(|(origin, mut finding)| {
                finding.operations = match origin {
                    Origin::Operation(op) => operations.get(op).cloned().into_iter().collect(),
                    Origin::Pair(pair) => reached_by[pair]
                        .iter()
                        .map(|op| operations[*op].clone())
                        .collect(),
                };
                finding
            })
            .collect()
    }

    /// The origin for a finding about the operation `shown`.
    pub(super) fn operation(&mut self, shown: String) -> Origin {
        let index = match self.operations.iter().position(|o| *o == shown) {
            Some(index) => index,
            None => {
                self.operations.push(shown);
                self.operations.len() - 1
            }
        };
        self.origin = Origin::Operation(index);
        self.origin
    }
}
