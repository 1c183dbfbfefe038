//! `Ctx`: what a handler sees while it runs: the locked shards, its client, the server, and
//! the time the command started.
//!
//! Dispatch locks the shards a command needs before calling its handler (see
//! [`crate::spec::LockScope`]); the handler reaches keys only through [`Ctx::db`], so it can
//! only touch what it locked. Every write reports the keys it changed through
//! [`Ctx::signal_modified`], the one hook that later drives WATCH, keyspace events, blocked
//! clients and propagation.

use crate::client::ClientState;
use crate::errors::CommandError;
use crate::server::Shared;
use bytes::Bytes;
use ferrodis_keyspace::{Db, Shard};
use parking_lot::MutexGuard;
use smallvec::SmallVec;

/// The shards a command holds.
pub struct LockedShards<'a> {
    /// `(shard index, guard)`, ascending by index.
    guards: SmallVec<[(usize, MutexGuard<'a, Shard>); 2]>,
    all: bool,
}

impl<'a> LockedShards<'a> {
    /// Holds nothing.
    pub fn none() -> Self {
        LockedShards { guards: SmallVec::new(), all: false }
    }

    /// Locks the given shard indexes (sorted, deduplicated here). One shard: a plain lock.
    /// Several: [`Self::acquire`]'s wait-free-while-holding protocol.
    pub fn lock(shared: &'a Shared, mut indexes: SmallVec<[usize; 4]>) -> Self {
        indexes.sort_unstable();
        indexes.dedup();
        if indexes.is_empty() {
            return Self::none();
        }
        if let [only] = indexes[..] {
            let mut guards = SmallVec::new();
            guards.push((only, shared.keyspace.lock(only)));
            return LockedShards { guards, all: false };
        }
        LockedShards { guards: Self::acquire(shared, &indexes), all: false }
    }

    /// Locks the given shard indexes only if all are free now (sorted, deduplicated here);
    /// `None` otherwise, holding nothing.
    pub fn try_lock(shared: &'a Shared, mut indexes: SmallVec<[usize; 4]>) -> Option<Self> {
        indexes.sort_unstable();
        indexes.dedup();
        let mut guards = SmallVec::new();
        for i in indexes {
            guards.push((i, shared.keyspace.try_lock(i)?));
        }
        Some(LockedShards { guards, all: false })
    }

    /// Locks every shard only if all are free now; `None` otherwise, holding nothing.
    pub fn try_lock_all(shared: &'a Shared) -> Option<Self> {
        let mut guards = SmallVec::new();
        for i in 0..shared.keyspace.shard_count() {
            guards.push((i, shared.keyspace.try_lock(i)?));
        }
        Some(LockedShards { guards, all: true })
    }

    /// Locks every shard (same protocol).
    pub fn lock_all(shared: &'a Shared) -> Self {
        let indexes: Vec<usize> = (0..shared.keyspace.shard_count()).collect();
        LockedShards { guards: Self::acquire(shared, &indexes), all: true }
    }

    /// Locks every shard of `indexes` (ascending) without ever waiting while holding one:
    /// waits for one shard while holding nothing, then `try_lock`s the others; when one is
    /// busy, lets everything go and waits for that one instead. A thread that must wait
    /// while holding shards (a script reaching keys outside KEYS, see
    /// `crate::script_locks`) therefore never meets another such waiter, and nothing
    /// deadlocks.
    fn acquire(
        shared: &'a Shared,
        indexes: &[usize],
    ) -> SmallVec<[(usize, MutexGuard<'a, Shard>); 2]> {
        let mut first = indexes[0];
        loop {
            let mut guards: SmallVec<[(usize, MutexGuard<'a, Shard>); 2]> = SmallVec::new();
            let held = shared.keyspace.lock(first);
            let mut busy = None;
            for &i in indexes {
                if i == first {
                    continue;
                }
                match shared.keyspace.try_lock(i) {
                    Some(g) => guards.push((i, g)),
                    None => {
                        busy = Some(i);
                        break;
                    }
                }
            }
            match busy {
                None => {
                    guards.push((first, held));
                    guards.sort_unstable_by_key(|(i, _)| *i);
                    return guards;
                }
                Some(i) => {
                    drop(guards);
                    drop(held);
                    first = i;
                }
            }
        }
    }

    /// Adds shard `index` to the held ones, waiting for it (only for a script after a side
    /// effect: see `crate::script_locks` for why this cannot deadlock).
    fn acquire_extra(&mut self, shared: &'a Shared, index: usize) {
        let guard = shared.keyspace.lock(index);
        let at = self.guards.partition_point(|(i, _)| *i < index);
        self.guards.insert(at, (index, guard));
    }

    /// Adds every shard not held yet (a script after a side effect running a
    /// whole-keyspace command).
    fn acquire_rest(&mut self, shared: &'a Shared) {
        for index in 0..shared.keyspace.shard_count() {
            if self.guards.binary_search_by_key(&index, |(i, _)| *i).is_err() {
                self.acquire_extra(shared, index);
            }
        }
        self.all = true;
    }

    /// True when every shard is held.
    pub fn is_all(&self) -> bool {
        self.all
    }

    fn get(&mut self, index: usize) -> Option<&mut Shard> {
        if self.all {
            return self.guards.get_mut(index).map(|(_, g)| &mut **g);
        }
        self.guards.iter_mut().find(|(i, _)| *i == index).map(|(_, g)| &mut **g)
    }

    /// Every held shard, in index order.
    pub fn iter_mut(&mut self) -> impl Iterator<Item = &mut Shard> + use<'_, 'a> {
        self.guards.iter_mut().map(|(_, g)| &mut **g)
    }
}

/// The context of one command execution.
pub struct Ctx<'a> {
    /// Server-wide state: keyspace, config, statistics, clients.
    pub server: &'a Shared,
    /// The calling client.
    pub client: &'a mut ClientState,
    /// The shards this command holds.
    pub shards: LockedShards<'a>,
    /// Unix time in milliseconds when the command started; one "now" for the whole command.
    pub now_ms: u64,
    /// Number of writes this command made (the dirty counter's increment).
    pub dirty: u64,
    /// Set by [`Ctx::block`]: the command found nothing to serve and parks its client.
    pub blocked: Option<BlockRequest>,
    /// A script running on the shards of its KEYS only (see `crate::script_locks`).
    pub script_partial: Option<crate::script_locks::PartialRun>,
}

/// A blocking command's request to wait (see `crate::blocking`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BlockRequest {
    /// Unix milliseconds at which to give up, 0 = wait forever.
    pub deadline_ms: u64,
}

impl<'a> Ctx<'a> {
    /// The calling client's current database, in the shard that holds `key`.
    ///
    /// Errors only if dispatch did not lock that shard, which means the command's key specs
    /// are wrong: a bug, reported to the client as an error rather than a crash.
    pub fn db(&mut self, key: &[u8]) -> Result<&mut Db, CommandError> {
        let db = self.client.db;
        self.db_at(db, key)
    }

    /// Database `db` (not the client's current one) in the shard holding `key`: MOVE, COPY
    /// ... DB.
    pub fn db_at(&mut self, db: usize, key: &[u8]) -> Result<&mut Db, CommandError> {
        let index = self.server.keyspace.shard_of(key);
        if self.shards.get(index).is_none() {
            self.reach_shard(index)?;
        }
        self.shards.get(index).map(|s| s.db(db)).ok_or_else(|| {
            CommandError::custom("ERR internal error: key outside the locked shards")
        })
    }

    /// A script running on part of the shards reached shard `index` (see
    /// `crate::script_locks`): before any side effect, the run is abandoned (the error); after
    /// one, the shard is locked now. Outside such a script, a key outside the locked shards
    /// is an internal error.
    fn reach_shard(&mut self, index: usize) -> Result<(), CommandError> {
        let Some(run) = self.script_partial.as_mut() else {
            return Err(CommandError::custom("ERR internal error: key outside the locked shards"));
        };
        if !run.side_effects {
            run.retry = true;
            return Err(CommandError::custom(crate::script_locks::RETRY_ERROR));
        }
        run.escalated = true;
        self.shards.acquire_extra(self.server, index);
        Ok(())
    }

    /// Before a nested command of a script running on part of the shards: `Err` when the run
    /// is being abandoned; a whole-keyspace command first takes every shard (or abandons the
    /// run when nothing was written yet).
    pub fn script_gate(&mut self, needs_all: bool) -> Result<(), CommandError> {
        let Some(run) = self.script_partial.as_mut() else { return Ok(()) };
        if run.retry {
            return Err(CommandError::custom(crate::script_locks::RETRY_ERROR));
        }
        if needs_all && !self.shards.is_all() {
            if !run.side_effects {
                run.retry = true;
                return Err(CommandError::custom(crate::script_locks::RETRY_ERROR));
            }
            run.escalated = true;
            self.shards.acquire_rest(self.server);
        }
        Ok(())
    }

    /// Releases the held shards and takes every shard (a script run abandoned before any
    /// side effect, about to run again).
    pub fn relock_all(&mut self) {
        self.shards = LockedShards::none();
        self.shards = LockedShards::lock_all(self.server);
    }

    /// The client's current database in every shard this command holds, with the shard's
    /// index (as [`ferrodis_keyspace::Keyspace::shard_of`] numbers it), so that a multi-key
    /// read can hold shared references to values in several shards at once.
    pub fn locked_dbs(&mut self) -> Vec<(usize, &mut Db)> {
        let db = self.client.db;
        self.shards.guards.iter_mut().map(|(i, g)| (*i, g.db(db))).collect()
    }

    /// Records that `key` in database `db` was modified: the single write hook (Redis's
    /// `signalModifiedKey` plus the dirty counter).
    pub fn signal_modified(&mut self, db: usize, key: &[u8]) {
        self.dirty += 1;
        self.signal_key(db, key);
    }

    /// The write hook without the dirty count, for a second key of one logical change
    /// (Redis's `signalModifiedKey` alone: LMOVE counts one change for two keys).
    pub fn signal_key(&mut self, db: usize, key: &[u8]) {
        self.server.watches.touch(db, key);
        self.server.blocking.signal(db, key);
        if self.server.tracking.is_active() {
            self.server.tracking.invalidate_key(self.server, key, Some(self.client.id));
        }
    }

    /// Publishes a keyspace notification (Redis's `notifyKeyspaceEvent`) for a write this
    /// command just made: `class` is one `crate::notify::NOTIFY_*` class bit (`NOTIFY_LIST`
    /// for `l` ...), `event` Redis's event name (`lpush`, `del`, `expire` ...). Events the
    /// databases recorded before it (`expired` by lazy expiry, `new`) are published first, so
    /// subscribers see them in Redis's order. One atomic load when notifications are off.
    #[inline]
    pub fn notify(&mut self, class: u32, event: &str, db: usize, key: &[u8]) {
        let flags = self.server.notify.flags();
        if flags & class == 0 && !self.server.notify.wants_recorded() {
            return;
        }
        self.publish_recorded_events();
        crate::notify::notify(self.server, class, event, key, db);
    }

    /// After a removal from a collection: publishes `del` (class `g`) when `key` no longer
    /// exists in database `db` (the command emptied and deleted it). Looks the key up only
    /// when generic events are enabled.
    pub fn notify_del_if_gone(&mut self, db: usize, key: &[u8]) {
        if self.server.notify.flags() & crate::notify::NOTIFY_GENERIC == 0 {
            return;
        }
        if self.db_at(db, key).is_ok_and(|d| d.get(key).is_none()) {
            self.notify(crate::notify::NOTIFY_GENERIC, "del", db, key);
        }
    }

    /// Publishes the keyspace-side events (`expired`, `new`, `keymiss`) the held shards
    /// recorded so far in this command.
    pub fn publish_recorded_events(&mut self) {
        let server = self.server;
        for shard in self.shards.iter_mut() {
            crate::notify::publish_recorded(server, shard);
        }
    }

    /// Every key of database `db` may have changed (FLUSHDB, SWAPDB): wakes clients blocked
    /// on its keys so they look again.
    pub fn signal_db(&mut self, db: usize) {
        self.server.blocking.signal_db(db);
    }

    /// Database `db` is about to be emptied or swapped (FLUSHDB, FLUSHALL, SWAPDB): touches
    /// the watched keys of `db` that exist now, as Redis's `touchAllWatchedKeysInDb` does
    /// (a watched key that does not exist is not changed by a flush). Call with every shard
    /// held, before the change. For SWAPDB, `other` is the second database: a key watched in
    /// `db` changes if it exists in either.
    pub fn touch_watched_in_db(&mut self, db: usize, other: Option<usize>) {
        let now = self.now_ms;
        for key in self.server.watches.keys_in_db(db) {
            let index = self.server.keyspace.shard_of(&key);
            let exists = self.shards.get(index).is_some_and(|s| {
                s.db(db).exists(&key, now) || other.is_some_and(|o| s.db(o).exists(&key, now))
            });
            if exists {
                self.server.watches.touch(db, &key);
            }
        }
    }

    /// True when a blocking command may park its client: not inside MULTI or a script,
    /// where blocking commands behave as their non-blocking forms (Redis's
    /// `CLIENT_DENY_BLOCKING`).
    pub fn may_block(&self) -> bool {
        !self.client.deny_blocking
    }

    /// True when this run is a blocked client's re-run after one of its keys was written.
    pub fn is_reprocessing(&self) -> bool {
        self.client.blocked.is_some()
    }

    /// Parks the client on `keys` (of its current database) until one of them is written or
    /// `deadline_ms` (Unix milliseconds, 0 = never) passes; the handler then returns any
    /// reply, which dispatch discards. Call only when [`Ctx::may_block`] and with nothing to
    /// serve. A re-run that parks again keeps its place in line.
    pub fn block(&mut self, keys: &[Bytes], deadline_ms: u64) {
        self.server.blocking.park(&self.client.handle, self.client.db, keys);
        self.blocked = Some(BlockRequest { deadline_ms });
    }

    /// Records `n` modifications at once (FLUSHDB, multi-key deletes).
    pub fn add_dirty(&mut self, n: u64) {
        self.dirty += n;
    }
}
