//! The keyspace: every database, split into shards that threads lock independently.
//!
//! A key lives in shard `hash(key) >> (64 - bits)` in every database, so a command touching
//! one key locks one shard and runs inline on the connection's thread, while commands on other
//! shards run in parallel on other cores. A command over several keys takes their shards
//! without waiting while holding one (the server's `LockedShards::acquire`); whole-keyspace
//! commands (FLUSHALL, SWAPDB, KEYS) lock every shard, EXEC and scripts the shards of their
//! keys. While a thread holds the shards a command needs,
//! no other thread can observe a partial result: each command is atomic and isolated, as in
//! Redis. See docs/ARCHITECTURE.md.

use crate::db::{Db, DbStats, Entry};
use crate::dict::KeyHasher;
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

    /// Exchanges databases `a` and `b` in this shard (SWAPDB does it in every shard).
    pub fn swap_dbs(&mut self, a: usize, b: usize) {
        self.dbs.swap(a, b);
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

/// The shard-routing hash: a fast seeded multiply-mix over 8-byte words with a murmur3
/// finaliser. It only decides which shard (and so which lock) a key uses; the dicts inside a
/// shard use keyed SipHash, so crafted keys can at worst crowd one shard, never degrade a
/// table. A few nanoseconds instead of SipHash's twenty on the path of every command.
#[inline]
fn route_hash(seed: u64, key: &[u8]) -> u64 {
    const K: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut h = seed ^ (key.len() as u64).wrapping_mul(K);
    let mut chunks = key.chunks_exact(8);
    for c in &mut chunks {
        let mut w = [0u8; 8];
        w.copy_from_slice(c);
        h = (h ^ u64::from_le_bytes(w)).wrapping_mul(K).rotate_left(29);
    }
    let rest = chunks.remainder();
    if !rest.is_empty() {
        let mut w = [0u8; 8];
        w[..rest.len()].copy_from_slice(rest);
        h = (h ^ u64::from_le_bytes(w)).wrapping_mul(K).rotate_left(29);
    }
    h ^= h >> 33;
    h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
    h ^= h >> 33;
    h = h.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    h ^ (h >> 33)
}

/// Most keys one [`Keyspace::prefetch`] call handles.
pub const PREFETCH_BATCH: usize = 16;

/// All databases of the server, sharded.
pub struct Keyspace {
    shards: Box<[Mutex<Shard>]>,
    shard_bits: u32,
    /// Random seed of the shard-routing hash.
    router_seed: u64,
    databases: usize,
}

impl Keyspace {
    /// Creates `databases` empty databases split over `shards` shards (rounded up to a power
    /// of two, at least 1).
    pub fn new(databases: usize, shards: usize) -> Keyspace {
        let shards = shards.max(1).next_power_of_two();
        let shard_bits = shards.trailing_zeros();
        let router_seed = rand::random::<u64>() | 1;
        let shards = (0..shards)
            .map(|_| {
                let dbs = (0..databases).map(|_| Db::new(KeyHasher::new())).collect();
                Mutex::new(Shard { dbs })
            })
            .collect();
        Keyspace { shards, shard_bits, router_seed, databases }
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
        (route_hash(self.router_seed, key) >> (64 - self.shard_bits)) as usize
    }

    /// Locks shard `index`. Callers holding several shards must lock in ascending order.
    #[inline]
    pub fn lock(&self, index: usize) -> MutexGuard<'_, Shard> {
        self.shards[index].lock()
    }

    /// Locks shard `index` if it is free now.
    #[inline]
    pub fn try_lock(&self, index: usize) -> Option<MutexGuard<'_, Shard>> {
        self.shards[index].try_lock()
    }

    /// Asks the CPU to start loading, for each of `keys` in database `db`, the dict bucket
    /// slot and then the entry it holds, so that the commands of a pipelined batch find their
    /// keys in cache instead of each paying two memory misses in turn (at most
    /// [`PREFETCH_BATCH`] keys; the server calls it before executing a batch). Stage 1 hints
    /// every bucket slot, stage 2 reads the slots and hints the entries, so the misses of the
    /// whole batch overlap. Each shard is held only for a moment and only if it is free: a
    /// busy shard is skipped, never waited for. Changes nothing but the cache.
    pub fn prefetch(&self, db: usize, keys: &[&[u8]]) {
        let mut slots: smallvec::SmallVec<[(usize, usize, u64); PREFETCH_BATCH]> =
            smallvec::SmallVec::new();
        for (k, key) in keys.iter().enumerate().take(PREFETCH_BATCH) {
            let shard = self.shard_of(key);
            if let Some(guard) = self.try_lock(shard) {
                if let Some(d) = guard.dbs.get(db) {
                    let hash = d.key_hash(key);
                    d.prefetch_bucket(hash);
                    slots.push((k, shard, hash));
                }
            }
        }
        for &(_, shard, hash) in &slots {
            if let Some(guard) = self.try_lock(shard) {
                if let Some(d) = guard.dbs.get(db) {
                    d.prefetch_entry(hash);
                }
            }
        }
        for &(k, shard, hash) in &slots {
            if let Some(guard) = self.try_lock(shard) {
                if let Some(d) = guard.dbs.get(db) {
                    d.prefetch_next(hash, keys[k]);
                }
            }
        }
    }

    /// Locks every shard, in order.
    pub fn lock_all(&self) -> Vec<MutexGuard<'_, Shard>> {
        self.shards.iter().map(|s| s.lock()).collect()
    }

    /// Makes every database of every shard record the keyspace events in `mask` (see
    /// [`crate::db::events`] and [`Db::set_event_log`]); 0 stops recording.
    pub fn set_event_log(&self, mask: u8) {
        for shard in &self.shards {
            for db in shard.lock().dbs.iter_mut() {
                db.set_event_log(mask);
            }
        }
    }
}

/// One step of a SCAN over database `db` split across `shards` (every shard, in index order;
/// their number must be a power of two, as [`Keyspace::new`] makes it).
///
/// The cursor is an unsigned 64-bit number: its low `log2(shards.len())` bits are the shard
/// being walked, the remaining high bits that shard's dict cursor (Redis's reverse-binary
/// cursor, see [`crate::dict::Dict::scan`]). Shards are walked in ascending order, each from
/// dict cursor 0 until its dict cursor returns to 0, so the whole keyspace is covered and
/// SCAN's guarantee holds: a key present from the first call to the last is returned at least
/// once, even while tables grow or shrink between calls (keys never change shard). Any
/// client-supplied cursor is accepted.
///
/// Visits every entry of the walked buckets with `f`, **expired ones included** (the caller
/// filters them out with [`Entry::is_expired`] and may reclaim them, as Redis's SCAN does),
/// until at least `count` entries were visited or `count * 10` non-empty buckets were walked
/// (Redis's `maxiterations`), or the walk ends. Empty shards are skipped without using the
/// budget. Returns the next cursor, 0 when the walk is complete.
pub fn scan_shards(
    shards: &[&Shard],
    db: usize,
    cursor: u64,
    count: usize,
    mut f: impl FnMut(&[u8], &Entry),
) -> u64 {
    let n = shards.len();
    if n == 0 {
        return 0;
    }
    debug_assert!(n.is_power_of_two());
    let bits = n.trailing_zeros();
    let mask = (n as u64) - 1;
    let mut shard = (cursor & mask) as usize;
    let mut inner = if bits == 0 { cursor } else { cursor >> bits };
    let mut budget = count.saturating_mul(10).max(1);
    let mut visited = 0usize;
    loop {
        inner = match shards[shard].dbs.get(db) {
            Some(d) if !d.is_empty() => {
                budget -= 1;
                d.scan_all(inner, |k, e| {
                    visited += 1;
                    f(k, e);
                })
            }
            _ => 0,
        };
        if inner == 0 {
            shard += 1;
            if shard == n {
                return 0;
            }
        }
        if budget == 0 || visited >= count {
            return (inner << bits) | shard as u64;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::TtlUpdate;
    use crate::value::Value;
    use rand::Rng;
    use std::collections::HashSet;

    fn key(i: u32) -> Vec<u8> {
        format!("key:{i}").into_bytes()
    }

    fn set(ks: &Keyspace, k: &[u8], ttl: TtlUpdate) {
        ks.lock(ks.shard_of(k)).db(0).set(k, Value::string(b"v"), ttl, 0);
    }

    fn del(ks: &Keyspace, k: &[u8]) {
        ks.lock(ks.shard_of(k)).db(0).remove(k, 0);
    }

    /// One SCAN call as the server makes it: every shard locked.
    fn scan_once(
        ks: &Keyspace,
        cursor: u64,
        count: usize,
        now: u64,
        out: &mut Vec<Vec<u8>>,
    ) -> u64 {
        let guards = ks.lock_all();
        let refs: Vec<&Shard> = guards.iter().map(|g| &**g).collect();
        scan_shards(&refs, 0, cursor, count, |k, e| {
            if !e.is_expired(now) {
                out.push(k.to_vec())
            }
        })
    }

    #[test]
    fn scan_covers_every_shard_of_a_static_keyspace() {
        for shards in [1, 2, 8, 64] {
            let ks = Keyspace::new(2, shards);
            for i in 0..500 {
                set(&ks, &key(i), TtlUpdate::Clear);
            }
            let mut seen = Vec::new();
            let mut cursor = 0;
            let mut calls = 0;
            loop {
                cursor = scan_once(&ks, cursor, 10, 0, &mut seen);
                calls += 1;
                if cursor == 0 {
                    break;
                }
                assert!(calls < 10_000, "scan does not terminate");
            }
            let set: HashSet<_> = seen.iter().cloned().collect();
            assert_eq!(set.len(), 500, "{shards} shards");
            // Without resizes between calls every key is returned exactly once.
            assert_eq!(seen.len(), 500, "{shards} shards");
        }
    }

    #[test]
    fn scan_keeps_its_guarantee_while_keys_come_and_go() {
        let mut rng = rand::rng();
        for round in 0..20 {
            let shards = [1, 4, 16, 32][round % 4];
            let ks = Keyspace::new(1, shards);
            let stable: Vec<u32> = (0..rng.random_range(0..800)).collect();
            for &i in &stable {
                set(&ks, &key(i), TtlUpdate::Clear);
            }
            let mut transient: Vec<u32> = Vec::new();
            let mut next_transient = 1_000_000u32;
            let mut seen = HashSet::new();
            let mut cursor = 0;
            let mut calls = 0u32;
            loop {
                let mut batch = Vec::new();
                cursor = scan_once(&ks, cursor, rng.random_range(1..30), 0, &mut batch);
                seen.extend(batch);
                calls += 1;
                // Between calls: grow by a burst, or shrink by deleting many transient keys,
                // so the shard tables resize and rehash while the scan is in progress.
                if rng.random_bool(0.5) {
                    for _ in 0..rng.random_range(0..300) {
                        set(&ks, &key(next_transient), TtlUpdate::Clear);
                        transient.push(next_transient);
                        next_transient += 1;
                    }
                } else {
                    let n = rng.random_range(0..=transient.len());
                    for t in transient.drain(..n) {
                        del(&ks, &key(t));
                    }
                }
                if cursor == 0 {
                    break;
                }
                assert!(calls < 100_000, "scan does not terminate");
            }
            for &i in &stable {
                assert!(seen.contains(&key(i)), "key {i} missed with {shards} shards");
            }
        }
    }

    #[test]
    fn scan_skips_expired_keys_and_accepts_any_cursor() {
        let ks = Keyspace::new(1, 8);
        set(&ks, b"live", TtlUpdate::Clear);
        set(&ks, b"dead", TtlUpdate::At(50));
        let mut seen = Vec::new();
        assert_eq!(scan_once(&ks, 0, 1000, 100, &mut seen), 0);
        assert_eq!(seen, vec![b"live".to_vec()]);
        for cursor in [1, 7, u64::MAX, u64::MAX - 8, 1 << 63] {
            let mut out = Vec::new();
            let mut c = cursor;
            for _ in 0..1000 {
                c = scan_once(&ks, c, 10, 100, &mut out);
                if c == 0 {
                    break;
                }
            }
            assert_eq!(c, 0);
        }
    }

    #[test]
    fn swap_dbs_exchanges_contents() {
        let ks = Keyspace::new(3, 4);
        set(&ks, b"a", TtlUpdate::Clear);
        for mut g in ks.lock_all() {
            g.swap_dbs(0, 2);
        }
        let i = ks.shard_of(b"a");
        assert!(ks.lock(i).db(2).exists(b"a", 0));
        assert!(!ks.lock(i).db(0).exists(b"a", 0));
    }
}
