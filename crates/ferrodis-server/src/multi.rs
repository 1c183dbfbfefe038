//! Transactions: the MULTI queue of a client and the WATCH registry, after Redis 7.2's
//! `src/multi.c`.
//!
//! - A client in MULTI queues every command but EXEC, DISCARD, MULTI, WATCH, QUIT and RESET
//!   (dispatch answers `QUEUED`); an error while queueing (unknown command, wrong arity, a
//!   `no-multi` command) marks the transaction, and EXEC then fails with `EXECABORT`.
//! - EXEC holds the shards of all its queued commands' keys and watched keys (every shard
//!   when a queued command needs them all) for the whole transaction, so no other client, on any thread,
//!   sees part of it; its commands run one after another through `dispatch::run_nested`.
//! - WATCH records `(db, key)` in the registry below. The write hook
//!   (`Ctx::signal_modified`) marks every client watching a written key as dirty (Redis's
//!   `CLIENT_DIRTY_CAS`), and EXEC of a dirty client returns a null array. A watched key that
//!   existed when it was watched and no longer exists at EXEC (it expired, even if nobody
//!   noticed yet) aborts too, which is how expiry counts as a change.

use crate::client::ClientHandle;
use bytes::Bytes;
use parking_lot::Mutex;
use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

/// A client's open transaction.
#[derive(Debug, Default)]
pub struct MultiState {
    /// Queued commands (their arguments; resolved again at EXEC).
    pub queued: Vec<Vec<Bytes>>,
    /// An error happened while queueing: EXEC answers `EXECABORT`.
    pub aborted: bool,
}

/// One key a client watches.
#[derive(Debug, Clone)]
pub struct WatchedKey {
    /// Database index.
    pub db: usize,
    /// The key.
    pub key: Bytes,
    /// Whether it existed (and had not expired) when WATCH ran.
    pub existed: bool,
}

/// The clients watching each key of one database.
type DbWatchers = HashMap<Bytes, Vec<Arc<ClientHandle>>>;

/// Who watches which keys.
#[derive(Default)]
pub struct WatchRegistry {
    /// Number of watched `(db, key)` pairs: writers skip the registry when it is 0.
    watched: AtomicUsize,
    /// db -> key -> watchers.
    keys: Mutex<HashMap<usize, DbWatchers>>,
}

impl WatchRegistry {
    /// Adds `handle` as a watcher of `key` in `db` (once).
    pub fn watch(&self, handle: &Arc<ClientHandle>, db: usize, key: &Bytes) {
        let mut keys = self.keys.lock();
        let watchers = keys.entry(db).or_default().entry(key.clone()).or_default();
        if watchers.is_empty() {
            self.watched.fetch_add(1, Ordering::AcqRel);
        }
        if !watchers.iter().any(|h| h.id == handle.id) {
            watchers.push(handle.clone());
        }
    }

    /// Removes client `id` from the watchers of `watched`.
    pub fn unwatch(&self, id: u64, watched: &[WatchedKey]) {
        if watched.is_empty() {
            return;
        }
        let mut keys = self.keys.lock();
        for w in watched {
            let Some(db_keys) = keys.get_mut(&w.db) else { continue };
            let Some(watchers) = db_keys.get_mut(&w.key) else { continue };
            watchers.retain(|h| h.id != id);
            if watchers.is_empty() {
                db_keys.remove(&w.key);
                self.watched.fetch_sub(1, Ordering::AcqRel);
                if db_keys.is_empty() {
                    keys.remove(&w.db);
                }
            }
        }
    }

    /// `key` in `db` was written: every client watching it becomes dirty. One atomic load
    /// when nothing is watched.
    #[inline]
    pub fn touch(&self, db: usize, key: &[u8]) {
        if self.watched.load(Ordering::Acquire) == 0 {
            return;
        }
        let keys = self.keys.lock();
        if let Some(watchers) = keys.get(&db).and_then(|k| k.get(key)) {
            for h in watchers {
                h.mark_dirty_cas();
            }
        }
    }

    /// The watched keys of database `db` (for FLUSHDB/FLUSHALL/SWAPDB, which touch those that
    /// exist).
    pub fn keys_in_db(&self, db: usize) -> Vec<Bytes> {
        if self.watched.load(Ordering::Acquire) == 0 {
            return Vec::new();
        }
        self.keys.lock().get(&db).map(|k| k.keys().cloned().collect()).unwrap_or_default()
    }

    /// `(watching clients, watched keys)` for INFO.
    pub fn counts(&self) -> (usize, usize) {
        let keys = self.keys.lock();
        let mut clients = std::collections::HashSet::new();
        let mut n = 0;
        for db_keys in keys.values() {
            for watchers in db_keys.values() {
                n += 1;
                clients.extend(watchers.iter().map(|h| h.id));
            }
        }
        (clients.len(), n)
    }
}
