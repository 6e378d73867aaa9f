//! Values that belong to the process that made them: the one fork-aware holder.
//!
//! PHP-FPM forks its workers from a master, and any process may `fork()` while it holds an
//! HTTP client, a MySQL session, a Redis connection or a user lock. The child then holds a
//! copy of something that is still the parent's: a socket the parent goes on using, a
//! runtime whose thread does not exist in the child. Using such a value in the child would
//! interleave with the parent's traffic; dropping it could wait forever for that missing
//! thread, or say goodbye (`COM_QUIT`) on the parent's connection.
//!
//! [`ProcessOwned`] keeps a value with the id of the process that made it. Only that process
//! gets the value ([`ProcessOwned::get_mut`]); in any other (a child)
//! it is as if empty, and it is forgotten when dropped there, never dropped, unless it was
//! made with [`ProcessOwned::closed_in_child`] (for a value whose drop only closes this
//! process's descriptor). [`current`] clears an inherited value out of a slot.

/// A value and the process that made it; see the module documentation.
pub(crate) struct ProcessOwned<T> {
    /// Always `Some` until dropped.
    value: Option<T>,
    pid: u32,
    drop_in_child: bool,
}

impl<T> ProcessOwned<T> {
    /// `value`, made by this process; forgotten, never dropped, in a forked child.
    pub(crate) fn new(value: T) -> ProcessOwned<T> {
        ProcessOwned {
            value: Some(value),
            pid: std::process::id(),
            drop_in_child: false,
        }
    }

    /// `value`, made by this process; dropped in a forked child too, for a value whose drop
    /// only closes the child's copy of a descriptor and sends nothing.
    #[cfg_attr(not(feature = "redis"), allow(dead_code))] // only the Redis store's connection
    pub(crate) fn closed_in_child(value: T) -> ProcessOwned<T> {
        let mut owned = ProcessOwned::new(value);
        owned.drop_in_child = true;
        owned
    }

    /// Whether this process made the value (it was not inherited through `fork`).
    pub(crate) fn is_ours(&self) -> bool {
        self.pid == std::process::id()
    }

    /// The value, in the process that made it; `None` in a forked child.
    pub(crate) fn get_mut(&mut self) -> Option<&mut T> {
        if self.is_ours() {
            self.value.as_mut()
        } else {
            None
        }
    }
}

impl<T> Drop for ProcessOwned<T> {
    fn drop(&mut self) {
        if let Some(value) = self.value.take()
            && !self.is_ours()
            && !self.drop_in_child
        {
            std::mem::forget(value);
        }
    }
}

/// This process's value in `slot`: an inherited one is cleared out first (forgotten or
/// closed, as it was made), so that the slot can be filled again.
pub(crate) fn current<T>(slot: &mut Option<ProcessOwned<T>>) -> Option<&mut T> {
    if slot.as_ref().is_some_and(|owned| !owned.is_ours()) {
        *slot = None;
    }
    slot.as_mut().and_then(ProcessOwned::get_mut)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};

    /// Counts its drops.
    struct Counted(Arc<AtomicUsize>);

    impl Drop for Counted {
        fn drop(&mut self) {
            self.0.fetch_add(1, Ordering::SeqCst);
        }
    }

    fn inherited<T>(mut owned: ProcessOwned<T>) -> ProcessOwned<T> {
        owned.pid = owned.pid.wrapping_add(1);
        owned
    }

    #[test]
    fn the_maker_gets_its_value_and_drops_it() {
        let drops = Arc::new(AtomicUsize::new(0));
        let mut owned = ProcessOwned::new(Counted(drops.clone()));
        assert!(owned.is_ours());
        assert!(owned.get_mut().is_some());
        drop(owned);
        assert_eq!(drops.load(Ordering::SeqCst), 1);
    }

    #[test]
    fn an_inherited_value_is_hidden_and_forgotten() {
        let drops = Arc::new(AtomicUsize::new(0));
        let mut owned = inherited(ProcessOwned::new(Counted(drops.clone())));
        assert!(!owned.is_ours());
        assert!(owned.get_mut().is_none());
        drop(owned);
        assert_eq!(drops.load(Ordering::SeqCst), 0, "dropped in a child");
    }

    #[test]
    fn an_inherited_value_made_to_close_is_dropped() {
        let drops = Arc::new(AtomicUsize::new(0));
        let mut owned = inherited(ProcessOwned::closed_in_child(Counted(drops.clone())));
        assert!(owned.get_mut().is_none());
        drop(owned);
        assert_eq!(drops.load(Ordering::SeqCst), 1);
    }

    #[test]
    fn current_clears_an_inherited_value_and_keeps_ours() {
        let drops = Arc::new(AtomicUsize::new(0));
        let mut slot = Some(inherited(ProcessOwned::new(Counted(drops.clone()))));
        assert!(current(&mut slot).is_none());
        assert!(slot.is_none(), "the slot is free to be filled again");
        assert_eq!(drops.load(Ordering::SeqCst), 0);
        let mut slot = Some(ProcessOwned::new(7));
        assert_eq!(current(&mut slot).copied(), Some(7));
        assert!(slot.is_some());
    }
}
