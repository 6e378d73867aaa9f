//! A small least-recently-used map: the door's caches of configuration → client (a handful of
//! entries, so a vector searched in order is enough and keeps no hashing requirement).

/// At most `capacity` entries; inserting into a full map drops the least recently used one,
/// and a hit makes its entry the most recently used.
#[derive(Debug)]
pub struct Lru<K, V> {
    capacity: usize,
    /// Least recently used first.
    entries: Vec<(K, V)>,
}

impl<K: PartialEq, V> Lru<K, V> {
    /// An empty map keeping at most `capacity` entries (usable in a `static`).
    pub const fn new(capacity: usize) -> Self {
        Lru {
            capacity,
            entries: Vec::new(),
        }
    }

    /// The value for `key`, which becomes the most recently used entry.
    pub fn get(&mut self, key: &K) -> Option<&V> {
        let pos = self.entries.iter().position(|(k, _)| k == key)?;
        let entry = self.entries.remove(pos);
        self.entries.push(entry);
        self.entries.last().map(|(_, v)| v)
    }

    /// Keeps `value` for `key` as the most recently used entry (replacing an earlier value for
    /// `key`), dropping the least recently used entry when the map is full.
    pub fn insert(&mut self, key: K, value: V) {
        self.entries.retain(|(k, _)| *k != key);
        if self.capacity == 0 {
            return;
        }
        if self.entries.len() >= self.capacity {
            self.entries.remove(0);
        }
        self.entries.push((key, value));
    }

    /// How many entries are kept.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether no entry is kept.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_full_map_drops_the_least_recently_used_entry() {
        let mut lru = Lru::new(3);
        for k in 1..=3 {
            lru.insert(k, k * 10);
        }
        lru.insert(4, 40);
        assert_eq!(lru.len(), 3);
        assert_eq!(lru.get(&1), None, "the oldest went first");
        assert_eq!(lru.get(&2), Some(&20));
        assert_eq!(lru.get(&3), Some(&30));
        assert_eq!(lru.get(&4), Some(&40));
    }

    #[test]
    fn a_hit_makes_its_entry_the_most_recently_used() {
        let mut lru = Lru::new(3);
        for k in 1..=3 {
            lru.insert(k, k * 10);
        }
        assert_eq!(lru.get(&1), Some(&10));
        lru.insert(4, 40);
        assert_eq!(lru.get(&2), None, "2 is now the least recently used");
        assert_eq!(lru.get(&1), Some(&10));
        lru.insert(5, 50);
        assert_eq!(lru.get(&3), None);
        assert_eq!(lru.get(&1), Some(&10));
        assert_eq!(lru.get(&9), None, "a miss changes nothing");
        assert_eq!(lru.len(), 3);
    }

    #[test]
    fn the_size_never_passes_the_capacity_and_a_key_is_kept_once() {
        let mut lru = Lru::new(32);
        for k in 0..1000 {
            lru.insert(k % 50, k);
            assert!(lru.len() <= 32);
        }
        assert_eq!(lru.len(), 32);
        lru.insert(999 % 50, 7);
        assert_eq!(lru.len(), 32, "re-inserting a kept key replaces it");
        assert_eq!(lru.get(&(999 % 50)), Some(&7));
        let mut none = Lru::new(0);
        none.insert("a", 1);
        assert_eq!(none.get(&"a"), None);
        assert!(none.is_empty());
    }
}
