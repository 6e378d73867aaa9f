//! [`UserMap`]: the client's per-user cache entries, found without hashing when the user is
//! the one looked up last.
//!
//! Most processes ask for one user (or a few) on every request, so the entry of the last
//! lookup is checked first with one comparison of the identifier; any other identifier goes
//! through the hash map, whose hasher is keyed per process (identifiers may be chosen by
//! callers, so a predictable hash would let them slow the map down).

use std::cell::Cell;
use std::collections::HashMap;

/// Entries by user identifier, remembering the position of the last one found.
pub(super) struct UserMap<V> {
    /// The entries, in insertion order; only ever cleared as a whole.
    entries: Vec<(String, V)>,
    /// Each identifier's position in `entries`.
    positions: HashMap<String, usize>,
    /// The position of the entry found or inserted last (may be stale: checked before use).
    last: Cell<usize>,
}

impl<V> Default for UserMap<V> {
    fn default() -> Self {
        UserMap {
            entries: Vec::new(),
            positions: HashMap::new(),
            last: Cell::new(0),
        }
    }
}

impl<V> UserMap<V> {
    /// The position of `user`'s entry, trying the last one found first.
    fn position(&self, user: &str) -> Option<usize> {
        let last = self.last.get();
        if self.entries.get(last).is_some_and(|(name, _)| name == user) {
            return Some(last);
        }
        let found = *self.positions.get(user)?;
        self.last.set(found);
        Some(found)
    }

    /// `user`'s entry.
    pub(super) fn get(&self, user: &str) -> Option<&V> {
        let at = self.position(user)?;
        self.entries.get(at).map(|(_, value)| value)
    }

    /// `user`'s entry, to change it.
    pub(super) fn get_mut(&mut self, user: &str) -> Option<&mut V> {
        let at = self.position(user)?;
        self.entries.get_mut(at).map(|(_, value)| value)
    }

    /// Sets `user`'s entry (replacing an earlier one).
    pub(super) fn insert(&mut self, user: &str, value: V) {
        if let Some(entry) = self.get_mut(user) {
            *entry = value;
            return;
        }
        let at = self.entries.len();
        self.entries.push((user.to_string(), value));
        self.positions.insert(user.to_string(), at);
        self.last.set(at);
    }

    /// Removes every entry.
    pub(super) fn clear(&mut self) {
        self.entries.clear();
        self.positions.clear();
        self.last.set(0);
    }
}

#[cfg(test)]
mod tests {
    use super::UserMap;

    #[test]
    fn finds_each_user_whatever_was_looked_up_last() {
        let mut map = UserMap::default();
        for i in 0..50 {
            map.insert(&format!("user{i}@example.com"), i);
        }
        for round in 0..3 {
            for i in (0..50).rev() {
                let user = format!("user{i}@example.com");
                assert_eq!(map.get(&user), Some(&i), "round {round}");
                assert_eq!(map.get(&user), Some(&i), "again, from the last slot");
            }
        }
        assert_eq!(map.get("user50@example.com"), None);
        assert_eq!(map.get(""), None);
    }

    #[test]
    fn insert_replaces_and_clear_forgets() {
        let mut map = UserMap::default();
        map.insert("a@example.com", 1);
        map.insert("b@example.com", 2);
        map.insert("a@example.com", 3);
        assert_eq!(map.get("a@example.com"), Some(&3));
        assert_eq!(map.get("b@example.com"), Some(&2));
        if let Some(entry) = map.get_mut("b@example.com") {
            *entry = 4;
        }
        assert_eq!(map.get("b@example.com"), Some(&4));
        map.clear();
        assert_eq!(map.get("a@example.com"), None);
        assert_eq!(
            map.get("b@example.com"),
            None,
            "the last slot is not trusted after clear"
        );
        map.insert("c@example.com", 5);
        assert_eq!(map.get("c@example.com"), Some(&5));
        assert_eq!(map.get("a@example.com"), None);
    }

    #[test]
    fn identifiers_differing_in_case_or_padding_are_different_users() {
        let mut map = UserMap::default();
        map.insert("User@Example.com", 1);
        assert_eq!(map.get("user@example.com"), None);
        assert_eq!(map.get("User@Example.com "), None);
        assert_eq!(map.get("User@Example.com"), Some(&1));
    }
}
