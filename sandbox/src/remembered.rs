//! A map that forgets its oldest entries past a count and past a size in bytes, so a long-running
//! sandbox keeps bounded memory however many ids it issues and however long they are.
//!
//! ```text
//! let mut m = Remembered::new(2, 1024);
//! m.insert("a".to_string(), ());  // count 1
//! m.insert("b".to_string(), ());  // count 2
//! m.insert("c".to_string(), ());  // count 3 > 2: "a" goes
//! m.insert("x".repeat(900), ());  // bytes over 1024: "b" and "c" go
//! ```

use std::collections::{HashMap, VecDeque};
use std::hash::Hash;
use std::sync::Arc;

use serde_json::Value;

/// What an entry's bookkeeping costs besides its text: the map slot, the order slot, the `Arc`
/// and the `String` headers. An estimate on the high side, so the byte bound is not exceeded.
pub(crate) const ENTRY_OVERHEAD: usize = 128;

/// The bytes a remembered key or value holds on the heap (its text; numbers and `()` nothing).
pub(crate) trait Footprint {
    /// Heap bytes, estimated on the high side.
    fn footprint(&self) -> usize;
}

impl Footprint for () {
    fn footprint(&self) -> usize {
        0
    }
}

impl Footprint for String {
    fn footprint(&self) -> usize {
        self.capacity()
    }
}

impl Footprint for i64 {
    fn footprint(&self) -> usize {
        0
    }
}

impl<T: Footprint> Footprint for Option<T> {
    fn footprint(&self) -> usize {
        self.as_ref().map_or(0, Footprint::footprint)
    }
}

impl<A: Footprint, B: Footprint> Footprint for (A, B) {
    fn footprint(&self) -> usize {
        self.0.footprint() + self.1.footprint()
    }
}

impl<A: Footprint, B: Footprint, C: Footprint> Footprint for (A, B, C) {
    fn footprint(&self) -> usize {
        self.0.footprint() + self.1.footprint() + self.2.footprint()
    }
}

impl<T: Footprint + ?Sized> Footprint for Arc<T> {
    /// Counted whole for every holder: shared values are over-counted, never under.
    fn footprint(&self) -> usize {
        (**self).footprint()
    }
}

impl Footprint for Value {
    fn footprint(&self) -> usize {
        // Each JSON value is a 32-byte enum beside its text; a map entry holds its key too.
        32 + match self {
            Value::String(s) => s.capacity(),
            Value::Array(items) => items.iter().map(Footprint::footprint).sum(),
            Value::Object(map) => map
                .iter()
                .map(|(k, v)| 32 + k.capacity() + v.footprint())
                .sum(),
            _ => 0,
        }
    }
}

struct Entry<V> {
    value: V,
    /// Which insertion this is: an order slot of an older insertion of the same key is stale.
    seq: u64,
    bytes: usize,
}

/// At most `max_count` entries holding at most `max_bytes` (keys, values and [`ENTRY_OVERHEAD`]);
/// inserting past either forgets the oldest first. One entry larger than `max_bytes` on its own is
/// not kept at all.
pub(crate) struct Remembered<K, V> {
    map: HashMap<Arc<K>, Entry<V>>,
    /// Keys in insertion order, with the insertion they stand for (the key's text is shared with
    /// the map, not copied).
    order: VecDeque<(Arc<K>, u64)>,
    max_count: usize,
    max_bytes: usize,
    bytes: usize,
    next_seq: u64,
}

impl<K, V> std::fmt::Debug for Remembered<K, V> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Remembered")
            .field("count", &self.map.len())
            .field("bytes", &self.bytes)
            .field("max_count", &self.max_count)
            .field("max_bytes", &self.max_bytes)
            .finish()
    }
}

impl<K: Eq + Hash + Footprint, V: Footprint> Remembered<K, V> {
    pub fn new(max_count: usize, max_bytes: usize) -> Self {
        Remembered {
            map: HashMap::new(),
            order: VecDeque::new(),
            max_count,
            max_bytes,
            bytes: 0,
            next_seq: 0,
        }
    }

    /// Remembers `value` under `key` (replacing what it held, which then counts as new), then
    /// forgets the oldest entries until both bounds hold.
    pub fn insert(&mut self, key: K, value: V) {
        let bytes = key.footprint() + value.footprint() + ENTRY_OVERHEAD;
        self.remove(&key);
        if bytes > self.max_bytes {
            return;
        }
        let key = Arc::new(key);
        let seq = self.next_seq;
        self.next_seq += 1;
        self.order.push_back((key.clone(), seq));
        self.map.insert(key, Entry { value, seq, bytes });
        self.bytes += bytes;
        while self.map.len() > self.max_count || self.bytes > self.max_bytes {
            let Some((old, seq)) = self.order.pop_front() else {
                break;
            };
            if self.map.get(&old).is_some_and(|e| e.seq == seq) {
                self.take(&old);
            }
        }
    }

    pub fn get(&self, key: &K) -> Option<&V> {
        self.map.get(key).map(|e| &e.value)
    }

    pub fn contains(&self, key: &K) -> bool {
        self.map.contains_key(key)
    }

    /// Forgets `key`; `true` if it was there.
    pub fn remove(&mut self, key: &K) -> bool {
        let found = self.take(key);
        // Its order slot is now stale; drop stale slots once they outnumber live ones, so
        // inserting and removing forever (auth codes) keeps the order bounded too.
        if found && self.order.len() > 2 * self.map.len() + 64 {
            let map = &self.map;
            self.order
                .retain(|(k, seq)| map.get(k).is_some_and(|e| e.seq == *seq));
        }
        found
    }

    fn take(&mut self, key: &K) -> bool {
        match self.map.remove(key) {
            Some(entry) => {
                self.bytes -= entry.bytes;
                true
            }
            None => false,
        }
    }

    /// How many entries, and the bytes they are counted as.
    #[cfg(test)]
    pub fn size(&self) -> (usize, usize) {
        (self.map.len(), self.bytes)
    }

    #[cfg(test)]
    fn slots(&self) -> usize {
        self.order.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(s: &str) -> String {
        s.to_string()
    }

    #[test]
    fn the_oldest_entries_go_first_past_the_count() {
        let mut m = Remembered::new(2, usize::MAX);
        m.insert(text("a"), text("1"));
        m.insert(text("b"), text("2"));
        m.insert(text("a"), text("3"));
        m.insert(text("c"), text("4"));
        // "a" was inserted again after "b", so "b" is the oldest.
        assert_eq!(
            (m.get(&text("a")), m.get(&text("b")), m.get(&text("c"))),
            (Some(&text("3")), None, Some(&text("4")))
        );
        assert_eq!(m.size().0, 2);
        assert!(m.remove(&text("c")) && !m.contains(&text("c")));
    }

    #[test]
    fn the_oldest_entries_go_first_past_the_bytes() {
        let budget = 4 * (1000 + ENTRY_OVERHEAD);
        let mut m = Remembered::new(usize::MAX, budget);
        for i in 0..10 {
            m.insert(format!("{i}{}", "x".repeat(999)), ());
        }
        let (count, bytes) = m.size();
        assert_eq!(count, 4);
        assert!(bytes <= budget, "{bytes} > {budget}");
        assert!(m.contains(&format!("9{}", "x".repeat(999))));
        assert!(!m.contains(&format!("5{}", "x".repeat(999))));
        // One entry over the whole budget is not kept, and forgets nothing.
        m.insert("y".repeat(budget), ());
        assert_eq!(m.size().0, 4);
        assert!(!m.contains(&"y".repeat(budget)));
    }

    #[test]
    fn inserting_and_removing_forever_keeps_the_order_bounded() {
        let mut m = Remembered::new(10, usize::MAX);
        m.insert(text("kept"), ());
        for i in 0..10_000 {
            m.insert(format!("code{i}"), ());
            assert!(m.remove(&format!("code{i}")));
        }
        assert!(m.slots() < 200, "{} order slots", m.slots());
        assert_eq!(m.size(), (1, 4 + ENTRY_OVERHEAD));
        // A key removed and inserted again is not forgotten early by its old slot.
        let mut m = Remembered::new(2, usize::MAX);
        m.insert(text("a"), ());
        m.remove(&text("a"));
        m.insert(text("b"), ());
        m.insert(text("a"), ());
        m.insert(text("c"), ());
        assert!(m.contains(&text("a")) && !m.contains(&text("b")));
    }

    #[test]
    fn json_is_counted_by_its_text() {
        let small = serde_json::json!({"reference_id": 1});
        let big = serde_json::json!({"reference_id": "x".repeat(10_000)});
        assert!(small.footprint() < 200);
        assert!(big.footprint() >= 10_000);
    }
}
