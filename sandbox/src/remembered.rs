//! A map that forgets its oldest entries past a size, so a long-running sandbox keeps bounded
//! memory however many ids it issues.

use std::collections::{HashMap, VecDeque};
use std::hash::Hash;

/// At most `cap` entries; inserting one more forgets the oldest.
#[derive(Debug)]
pub(crate) struct Remembered<K, V> {
    map: HashMap<K, V>,
    order: VecDeque<K>,
    cap: usize,
}

impl<K: Eq + Hash + Clone, V> Remembered<K, V> {
    pub fn new(cap: usize) -> Self {
        Remembered {
            map: HashMap::new(),
            order: VecDeque::new(),
            cap,
        }
    }

    pub fn insert(&mut self, key: K, value: V) {
        if self.map.insert(key.clone(), value).is_none() {
            self.order.push_back(key);
            while self.order.len() > self.cap {
                if let Some(old) = self.order.pop_front() {
                    self.map.remove(&old);
                }
            }
        }
    }

    pub fn get(&self, key: &K) -> Option<&V> {
        self.map.get(key)
    }

    pub fn contains(&self, key: &K) -> bool {
        self.map.contains_key(key)
    }

    /// Removes `key`; `true` if it was there. (Its slot in the order is reclaimed when it comes up.)
    pub fn remove(&mut self, key: &K) -> bool {
        self.map.remove(key).is_some()
    }

    #[cfg(test)]
    pub fn len(&self) -> usize {
        self.map.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_oldest_entries_go_first() {
        let mut m = Remembered::new(2);
        m.insert("a", 1);
        m.insert("b", 2);
        m.insert("a", 3);
        m.insert("c", 4);
        assert_eq!(
            (m.get(&"a"), m.get(&"b"), m.get(&"c")),
            (None, Some(&2), Some(&4))
        );
        assert_eq!(m.len(), 2);
        assert!(m.remove(&"b") && !m.contains(&"b"));
    }
}
