//! The keyspace: every database, split into shards that threads lock independently.
//!
//! A key lives in shard `hash(key) >> (64 - bits)` in every database, so a command touching
//! one key locks one shard and runs inline on the connection's thread, while commands on other
//! shards run in parallel on other cores. A command over several keys locks their shards in
//! ascending index order (no deadlock); MULTI/EXEC, scripts and whole-keyspace commands
//! (FLUSHALL, SWAPDB, KEYS) lock every shard. While a thread holds the shards a command needs,
//! no other thread can observe a partial result: each command is atomic and isolated, as in
//! Redis. See docs/ARCHITECTURE.md.

use crate::db::{Db, DbStats};
use crate::dict::{hash_key, KeyHasher};
use parking_lot::{Mutex, MutexGuard};

/// A shard: its slice of every database.
pub struct Shard {
    /// One [`Db`] per logical database (`databases` in the config).
    pub dbs: Vec<Db>,
}

impl Shard {
    /// The shard's part of database `index`.
    #[inline]
    pub fn db(&mut self, index: usize) -> &mut Db {
        &mut self.dbs[index]
    }

    /// Sum of the counters of every database in the shard.
    pub fn stats(&self) -> DbStats {
        let mut total = DbStats::default();
        for db in &self.dbs {
            total.expired_keys += db.stats.expired_keys;
            total.keyspace_hits += db.stats.keyspace_hits;
            total.keyspace_misses += db.stats.keyspace_misses;
        }
        total
    }
}

/// All databases of the server, sharded.
pub struct Keyspace {
    shards: Box<[Mutex<Shard>]>,
    shard_bits: u32,
    router: KeyHasher,
    databases: usize,
}

impl Keyspace {
    /// Creates `databases` empty databases split over `shards` shards (rounded up to a power
    /// of two, at least 1).
    pub fn new(databases: usize, shards: usize) -> Keyspace {
        let shards = shards.max(1).next_power_of_two();
        let shard_bits = shards.trailing_zeros();
        let router = KeyHasher::new();
        let shards = (0..shards)
            .map(|_| {
                let dbs = (0..databases).map(|_| Db::new(KeyHasher::new())).collect();
                Mutex::new(Shard { dbs })
            })
            .collect();
        Keyspace { shards, shard_bits, router, databases }
    }

    /// Number of logical databases.
    pub fn databases(&self) -> usize {
        self.databases
    }

    /// Number of shards.
    pub fn shard_count(&self) -> usize {
        self.shards.len()
    }

    /// The shard that holds `key`.
    #[inline]
    pub fn shard_of(&self, key: &[u8]) -> usize {
        if self.shard_bits == 0 {
            return 0;
        }
        (hash_key(&self.router, key) >> (64 - self.shard_bits)) as usize
    }

    /// Locks shard `index`. Callers holding several shards must lock in ascending order.
    #[inline]
    pub fn lock(&self, index: usize) -> MutexGuard<'_, Shard> {
        self.shards[index].lock()
    }

    /// Locks every shard, in order.
    pub fn lock_all(&self) -> Vec<MutexGuard<'_, Shard>> {
        self.shards.iter().map(|s| s.lock()).collect()
    }
}
