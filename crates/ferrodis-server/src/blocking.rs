//! Clients blocked on keys (BLPOP, BRPOP, BLMOVE, BRPOPLPUSH, BLMPOP, BZPOPMIN, BZPOPMAX,
//! BZMPOP), after Redis 7.2's `src/blocked.c`.
//!
//! The model is Redis 7's: a blocking command that finds nothing to serve parks its client on
//! its keys; when one of those keys is written, the client re-runs the same command, which
//! either serves it or parks it again at the same place in line. There is no second "serve"
//! code path per command.
//!
//! Here the re-run happens on the blocked client's own connection task, so it needs its own
//! state and nothing else; the registry only decides *who* runs next:
//!
//! - Each `(db, key)` has a FIFO of waiting client ids. A write to a key that has waiters
//!   ([`Blocking::signal`], called from the single write hook `Ctx::signal_modified` while
//!   the writer still holds the key's shard) wakes the **first** waiter only.
//! - A waiter leaves its queues when its command completes (served, error, timeout, CLIENT
//!   UNBLOCK, disconnect), and leaving wakes the new first waiter of each of its keys. So a
//!   push of 20 elements onto a list that 20 clients wait on serves them one after another,
//!   in arrival order, each taking one element; a waiter that took nothing (someone else won
//!   the race) stays in place.
//! - Registration happens under the shard lock of the keys (the handler calls
//!   `Ctx::block`), so a push cannot slip between "found nothing" and "parked".
//!
//! Lock order: shard locks, then this registry's mutex (never the reverse).

use crate::client::ClientHandle;
use bytes::Bytes;
use parking_lot::Mutex;
use std::collections::{HashMap, VecDeque};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

/// Why CLIENT UNBLOCK released a client.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnblockReason {
    /// `CLIENT UNBLOCK id` / `... TIMEOUT`: reply as if the timeout fired.
    Timeout,
    /// `CLIENT UNBLOCK id ERROR`: reply `-UNBLOCKED client unblocked via CLIENT UNBLOCK`.
    Error,
}

/// One parked client.
struct Waiter {
    /// `(db, key)` pairs it waits on, in argument order.
    keys: Vec<(usize, Bytes)>,
    /// Its connection's handle, whose `wake` resumes the task.
    handle: Arc<ClientHandle>,
    /// Set by CLIENT UNBLOCK.
    unblock: Option<UnblockReason>,
}

#[derive(Default)]
struct Inner {
    /// db -> key -> client ids in arrival order.
    queues: HashMap<usize, HashMap<Bytes, VecDeque<u64>>>,
    waiters: HashMap<u64, Waiter>,
}

impl Inner {
    fn wake_first(&self, queue: &VecDeque<u64>) {
        if let Some(w) = queue.front().and_then(|id| self.waiters.get(id)) {
            w.handle.wake.notify_one();
        }
    }
}

/// The registry of blocked clients.
#[derive(Default)]
pub struct Blocking {
    /// Number of keys with at least one waiter: writers skip the registry when it is 0.
    keys_with_waiters: AtomicUsize,
    inner: Mutex<Inner>,
}

impl Blocking {
    /// True when no client is blocked on any key (the common case; one atomic load).
    #[inline]
    pub fn is_idle(&self) -> bool {
        self.keys_with_waiters.load(Ordering::Acquire) == 0
    }

    /// Parks client `id` on `keys` of database `db`, keeping its place if it is already
    /// parked (a re-run that still found nothing). Call with the keys' shards locked.
    pub fn park(&self, handle: &Arc<ClientHandle>, db: usize, keys: &[Bytes]) {
        let id = handle.id;
        let mut inner = self.inner.lock();
        if inner.waiters.contains_key(&id) {
            return;
        }
        let mut mine: Vec<(usize, Bytes)> = Vec::with_capacity(keys.len());
        // A key given twice waits once (a set keeps this linear for BLPOP over many keys).
        let mut seen: std::collections::HashSet<&[u8]> =
            std::collections::HashSet::with_capacity(keys.len());
        for key in keys {
            if !seen.insert(key.as_ref()) {
                continue;
            }
            let queue = inner.queues.entry(db).or_default().entry(key.clone()).or_default();
            if queue.is_empty() {
                self.keys_with_waiters.fetch_add(1, Ordering::AcqRel);
            }
            queue.push_back(id);
            mine.push((db, key.clone()));
        }
        inner.waiters.insert(id, Waiter { keys: mine, handle: handle.clone(), unblock: None });
    }

    /// Removes client `id` from every queue (its command completed, timed out, was
    /// unblocked, or the client left) and wakes the next waiter of each of its keys. Returns
    /// the CLIENT UNBLOCK reason if one was set. No-op for a client that is not parked.
    pub fn leave(&self, id: u64) -> Option<UnblockReason> {
        let mut inner = self.inner.lock();
        let waiter = inner.waiters.remove(&id)?;
        for (db, key) in &waiter.keys {
            let Some(keys) = inner.queues.get_mut(db) else { continue };
            let Some(queue) = keys.get_mut(key) else { continue };
            queue.retain(|&w| w != id);
            if queue.is_empty() {
                keys.remove(key);
                if keys.is_empty() {
                    inner.queues.remove(db);
                }
                self.keys_with_waiters.fetch_sub(1, Ordering::AcqRel);
            } else {
                let inner = &*inner;
                inner.wake_first(&inner.queues[db][key]);
            }
        }
        waiter.unblock
    }

    /// A key was written: wakes its first waiter, if any. Cheap when nobody is blocked.
    pub fn signal(&self, db: usize, key: &[u8]) {
        if self.is_idle() {
            return;
        }
        let inner = self.inner.lock();
        if let Some(queue) = inner.queues.get(&db).and_then(|keys| keys.get(key)) {
            inner.wake_first(queue);
        }
    }

    /// Every key of database `db` may have changed (SWAPDB, FLUSHDB, FLUSHALL): wakes the
    /// first waiter of each of its keys, like Redis's `scanDatabaseForReadyKeys`.
    pub fn signal_db(&self, db: usize) {
        if self.is_idle() {
            return;
        }
        let inner = self.inner.lock();
        for queue in inner.queues.get(&db).into_iter().flat_map(|keys| keys.values()) {
            inner.wake_first(queue);
        }
    }

    /// True when some client waits on `key` of database `db`.
    pub fn has_waiters(&self, db: usize, key: &[u8]) -> bool {
        if self.is_idle() {
            return false;
        }
        self.inner.lock().queues.get(&db).is_some_and(|keys| keys.contains_key(key))
    }

    /// True unless another client is ahead of client `id` in the line for `key` of `db`: a
    /// woken client may only take from keys where it is first, so that a client woken for one
    /// key does not take an element meant for the first waiter of another.
    pub fn first_in_line(&self, db: usize, key: &[u8], id: u64) -> bool {
        let inner = self.inner.lock();
        match inner.queues.get(&db).and_then(|keys| keys.get(key)) {
            Some(queue) => queue.front() == Some(&id) || !queue.contains(&id),
            None => true,
        }
    }

    /// CLIENT UNBLOCK: marks client `id` to be released for `reason` and wakes it. False when
    /// it is not blocked on keys.
    pub fn unblock(&self, id: u64, reason: UnblockReason) -> bool {
        let mut inner = self.inner.lock();
        match inner.waiters.get_mut(&id) {
            Some(w) => {
                w.unblock = Some(reason);
                w.handle.wake.notify_one();
                true
            }
            None => false,
        }
    }

    /// The CLIENT UNBLOCK reason set for client `id`, if any (it stays parked until it
    /// leaves).
    pub fn unblock_requested(&self, id: u64) -> Option<UnblockReason> {
        self.inner.lock().waiters.get(&id).and_then(|w| w.unblock)
    }

    /// True when client `id` is parked.
    pub fn is_blocked(&self, id: u64) -> bool {
        self.inner.lock().waiters.contains_key(&id)
    }

    /// `(blocked clients, keys with waiters)` for INFO's `blocked_clients` and
    /// `total_blocking_keys`.
    pub fn counts(&self) -> (usize, usize) {
        let inner = self.inner.lock();
        (inner.waiters.len(), inner.queues.values().map(HashMap::len).sum())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(s: &str) -> Bytes {
        Bytes::copy_from_slice(s.as_bytes())
    }

    fn handle(id: u64) -> Arc<ClientHandle> {
        Arc::new(ClientHandle {
            id,
            kill: Default::default(),
            wake: Default::default(),
            info: Default::default(),
            last_interaction_ms: Default::default(),
            dirty_cas: Default::default(),
            obuf: Default::default(),
            push: Default::default(),
        })
    }

    #[test]
    fn first_in_line_is_woken_and_leaving_passes_the_turn() {
        let b = Blocking::default();
        let (h1, h2) = (handle(1), handle(2));
        assert!(b.is_idle());
        b.park(&h1, 0, &[key("q"), key("q")]);
        b.park(&h2, 0, &[key("q")]);
        b.park(&h1, 0, &[key("other")]); // already parked: keeps its place, no new keys
        assert_eq!(b.counts(), (2, 1));
        b.signal(0, b"q");
        b.signal(1, b"q"); // another database: nobody
        assert_eq!(b.leave(1), None);
        assert_eq!(b.counts(), (1, 1));
        assert!(b.unblock(2, UnblockReason::Error));
        assert!(!b.unblock(1, UnblockReason::Error));
        assert_eq!(b.leave(2), Some(UnblockReason::Error));
        assert!(b.is_idle());
        assert_eq!(b.counts(), (0, 0));
        // Permits were stored for both waiters: 1 by the signal, 2 when 1 left.
        let rt = tokio::runtime::Builder::new_current_thread().enable_time().build().unwrap();
        rt.block_on(async {
            let second = std::time::Duration::from_secs(1);
            tokio::time::timeout(second, h1.wake.notified()).await.unwrap();
            tokio::time::timeout(second, h2.wake.notified()).await.unwrap();
        });
    }
}
