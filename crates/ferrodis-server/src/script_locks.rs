//! Which shards a script locks (EVAL, EVALSHA and their `_RO` forms).
//!
//! Redis runs a script alone; Ferrodis gives a script the same atomicity by holding shards,
//! but not necessarily all of them. A script whose keys arrive in KEYS (redis-py's Lock,
//! channels_redis's group_send, rate limiters) first runs holding only the shards of those
//! keys, so commands on other shards keep running on other cores. If the script then reaches
//! any other key (or runs a whole-keyspace command):
//!
//! - before it had any side effect (only read-only commands so far), the run is abandoned
//!   (every later `redis.call` fails at once) and the script runs again holding every shard;
//! - after a side effect, the missing shards are locked on the spot, waiting if need be.
//!
//! Either way its SHA1 is remembered, and later runs hold every shard from the start
//! (as do scripts with `numkeys` 0). Waiting for a shard while holding others cannot
//! deadlock: scripts run one at a time (the lane below), and every other command that locks
//! several shards takes them with `try_lock` while holding only the first (see
//! `LockedShards::lock`), so no one else ever waits while holding a shard.

use parking_lot::{Mutex, RwLock};
use std::collections::HashSet;
use std::sync::atomic::{AtomicBool, Ordering};

/// Shared script-locking state (part of `Shared`).
#[derive(Debug, Default)]
pub struct ScriptLocks {
    /// Held for the whole run of a script: one script at a time, as in Redis.
    pub lane: Mutex<()>,
    /// SHA1s (lowercase hex) of scripts seen reaching keys outside KEYS.
    needs_all: RwLock<HashSet<String>>,
    /// True once `needs_all` has an entry: until then a run checks nothing else (a read
    /// lock per run would write the lock's shared cache line).
    any_needs_all: AtomicBool,
}

impl ScriptLocks {
    /// False while no script has been marked: callers can skip computing the SHA1.
    pub fn any_marked(&self) -> bool {
        self.any_needs_all.load(Ordering::Acquire)
    }

    /// True when the script with this SHA1 must hold every shard.
    pub fn needs_all(&self, sha: &str) -> bool {
        self.any_needs_all.load(Ordering::Acquire) && self.needs_all.read().contains(sha)
    }

    /// Remembers that the script with this SHA1 reaches keys outside KEYS.
    pub fn mark_needs_all(&self, sha: &str) {
        if !self.needs_all(sha) {
            self.needs_all.write().insert(sha.to_string());
            self.any_needs_all.store(true, Ordering::Release);
        }
    }

    /// Forgets everything (SCRIPT FLUSH).
    pub fn clear(&self) {
        self.needs_all.write().clear();
    }
}

/// The state of a script running on part of the shards (`Ctx::script_partial`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PartialRun {
    /// A command with side effects (not read-only) has run.
    pub side_effects: bool,
    /// The script reached a shard it does not hold before any side effect: abandon the run
    /// and run it again holding every shard.
    pub retry: bool,
    /// The script reached a shard it did not hold after a side effect, and locked it.
    pub escalated: bool,
}

/// The error `redis.call` raises while a run is being abandoned (never reaches a client:
/// the run is discarded and repeated).
pub const RETRY_ERROR: &str = "ERR script reached keys outside KEYS; it runs again on every shard";
