//! `Dict`: the keyspace's hash table, after Redis's `src/dict.c`.
//!
//! Power-of-two tables of chained buckets, keyed SipHash, and incremental rehashing: while a
//! resize is in progress both tables are live and every operation moves one bucket, so no
//! single command pays for a whole resize. The cursor of [`Dict::scan`] is Redis's
//! reverse-binary cursor, which keeps SCAN's guarantee: an element present for the whole scan
//! is returned at least once, even while the table grows or shrinks between calls. Standard
//! hash maps cannot give that guarantee, which is why this table is our own.

use crate::bytes::CompactBytes;
use std::hash::BuildHasher;

/// Smallest non-empty table (Redis's `DICT_HT_INITIAL_SIZE`).
const INITIAL_SIZE: usize = 4;

/// A table is shrunk when fewer than this percentage of its buckets would be used
/// (Redis's `HASHTABLE_MIN_FILL`).
const MIN_FILL_PERCENT: usize = 10;

/// The hasher for keys: SipHash-1-3 with a random per-process key, because SCAN order and
/// timing reveal table layout to clients, which a non-keyed hash would let them attack.
pub type KeyHasher = std::collections::hash_map::RandomState;

/// Hashes a key with `hasher`.
#[inline]
pub fn hash_key(hasher: &KeyHasher, key: &[u8]) -> u64 {
    hasher.hash_one(key)
}

/// A software prefetch of the cache line at `p` into every cache level (x86-64
/// `PREFETCHT0`; nothing elsewhere). A hint only: it never faults, whatever `p` points to,
/// and has no effect on behaviour. Used to overlap the memory misses of the keys of a
/// pipelined batch (as Valkey 8's batch key prefetching does), since a random key in a large
/// keyspace costs two misses (bucket slot, then node).
#[inline(always)]
#[allow(unsafe_code)]
pub fn prefetch<T>(p: *const T) {
    #[cfg(target_arch = "x86_64")]
    // SAFETY: PREFETCHT0 is a hint; it does not access memory architecturally and never
    // faults, even for an invalid address. SSE is part of the x86-64 baseline.
    #[allow(unused_unsafe)]
    unsafe {
        core::arch::x86_64::_mm_prefetch(p.cast::<i8>(), core::arch::x86_64::_MM_HINT_T0);
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = p;
}

struct Node<V> {
    next: Option<Box<Node<V>>>,
    key: CompactBytes,
    value: V,
}

struct Table<V> {
    buckets: Vec<Option<Box<Node<V>>>>,
    used: usize,
}

impl<V> Table<V> {
    fn empty() -> Self {
        Table { buckets: Vec::new(), used: 0 }
    }

    fn with_size(size: usize) -> Self {
        let mut buckets = Vec::with_capacity(size);
        buckets.resize_with(size, || None);
        Table { buckets, used: 0 }
    }

    #[inline]
    fn mask(&self) -> u64 {
        (self.buckets.len() as u64).wrapping_sub(1)
    }

    fn find(&self, hash: u64, key: &[u8]) -> Option<&Node<V>> {
        if self.buckets.is_empty() {
            return None;
        }
        let mut cur = self.buckets[(hash & self.mask()) as usize].as_deref();
        while let Some(node) = cur {
            if node.key.as_slice() == key {
                return Some(node);
            }
            cur = node.next.as_deref();
        }
        None
    }

    fn find_mut(&mut self, hash: u64, key: &[u8]) -> Option<&mut Node<V>> {
        if self.buckets.is_empty() {
            return None;
        }
        let idx = (hash & self.mask()) as usize;
        let mut cur = self.buckets[idx].as_deref_mut();
        while let Some(node) = cur {
            if node.key.as_slice() == key {
                return Some(node);
            }
            cur = node.next.as_deref_mut();
        }
        None
    }

    fn remove(&mut self, hash: u64, key: &[u8]) -> Option<Box<Node<V>>> {
        if self.buckets.is_empty() {
            return None;
        }
        let idx = (hash & self.mask()) as usize;
        let mut link = &mut self.buckets[idx];
        loop {
            match link {
                None => return None,
                Some(node) if node.key.as_slice() == key => {
                    let mut removed = link.take()?;
                    *link = removed.next.take();
                    self.used -= 1;
                    return Some(removed);
                }
                Some(node) => link = &mut node.next,
            }
        }
    }
}

/// A hash table from binary keys to `V` with incremental rehashing and a stable SCAN cursor.
pub struct Dict<V> {
    tables: [Table<V>; 2],
    /// Next bucket of `tables[0]` to move into `tables[1]`, while rehashing.
    rehash_idx: Option<usize>,
    hasher: KeyHasher,
}

impl<V> Dict<V> {
    /// Creates an empty dict hashing with `hasher`.
    pub fn new(hasher: KeyHasher) -> Self {
        Dict { tables: [Table::empty(), Table::empty()], rehash_idx: None, hasher }
    }

    /// Number of entries.
    #[inline]
    pub fn len(&self) -> usize {
        self.tables[0].used + self.tables[1].used
    }

    /// True when the dict holds no entry.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Total buckets over both tables, for memory accounting and INFO.
    pub fn buckets(&self) -> usize {
        self.tables[0].buckets.len() + self.tables[1].buckets.len()
    }

    /// True while an incremental rehash is in progress.
    pub fn is_rehashing(&self) -> bool {
        self.rehash_idx.is_some()
    }

    /// The hash of `key` under this dict's hasher.
    #[inline]
    pub fn hash(&self, key: &[u8]) -> u64 {
        hash_key(&self.hasher, key)
    }

    /// Looks `key` up.
    pub fn get(&self, key: &[u8]) -> Option<&V> {
        self.get_hashed(self.hash(key), key)
    }

    /// Looks `key` up given its precomputed hash.
    pub fn get_hashed(&self, hash: u64, key: &[u8]) -> Option<&V> {
        if self.is_empty() {
            return None;
        }
        if let Some(n) = self.tables[0].find(hash, key) {
            return Some(&n.value);
        }
        if self.is_rehashing() {
            return self.tables[1].find(hash, key).map(|n| &n.value);
        }
        None
    }

    /// Looks `key` up for modification, doing one rehash step first as Redis does.
    pub fn get_mut(&mut self, key: &[u8]) -> Option<&mut V> {
        if self.is_empty() {
            return None;
        }
        let hash = self.hash(key);
        self.get_mut_hashed(hash, key)
    }

    /// [`Self::get_mut`] given the key's precomputed hash ([`Self::hash`]).
    pub fn get_mut_hashed(&mut self, hash: u64, key: &[u8]) -> Option<&mut V> {
        if self.is_empty() {
            return None;
        }
        self.rehash_step();
        let rehashing = self.is_rehashing();
        let [t0, t1] = &mut self.tables;
        if let Some(n) = t0.find_mut(hash, key) {
            return Some(&mut n.value);
        }
        if rehashing {
            return t1.find_mut(hash, key).map(|n| &mut n.value);
        }
        None
    }

    /// The tables that hold entries: the first, and the second while rehashing; empty ones
    /// left out (for the prefetch stages).
    #[inline]
    fn live_tables(&self) -> impl Iterator<Item = &Table<V>> {
        let n = if self.is_rehashing() { 2 } else { 1 };
        self.tables[..n].iter().filter(|t| !t.buckets.is_empty())
    }

    /// Batch prefetch, stage 1: asks the CPU to start loading the bucket slot `hash` falls in
    /// (in both tables while rehashing), without reading it. Changes nothing; see
    /// [`prefetch`].
    #[inline]
    pub fn prefetch_bucket(&self, hash: u64) {
        for t in self.live_tables() {
            prefetch(t.buckets.as_ptr().wrapping_add((hash & t.mask()) as usize));
        }
    }

    /// Batch prefetch, stage 2: reads the bucket slot `hash` falls in (loaded by stage 1) and
    /// asks the CPU to start loading the first entry chained there (node, key and value are
    /// one 64-byte node). Changes nothing; see [`prefetch`].
    #[inline]
    pub fn prefetch_entry(&self, hash: u64) {
        for t in self.live_tables() {
            if let Some(node) = t.buckets[(hash & t.mask()) as usize].as_deref() {
                prefetch(node as *const Node<V>);
            }
        }
    }

    /// Batch prefetch, stage 3: when the first entry chained in `hash`'s bucket (loaded by
    /// stage 2) is not `key`, asks the CPU to start loading the next one. Changes nothing;
    /// see [`prefetch`].
    #[inline]
    pub fn prefetch_next(&self, hash: u64, key: &[u8]) {
        for t in self.live_tables() {
            let Some(node) = t.buckets[(hash & t.mask()) as usize].as_deref() else { continue };
            if node.key.as_slice() != key {
                if let Some(next) = node.next.as_deref() {
                    prefetch(next as *const Node<V>);
                }
            }
        }
    }

    /// True when `key` is present.
    pub fn contains_key(&self, key: &[u8]) -> bool {
        self.get(key).is_some()
    }

    /// Inserts or replaces; returns the previous value of `key`, if any.
    pub fn insert(&mut self, key: &[u8], value: V) -> Option<V> {
        if let Some(slot) = self.get_mut(key) {
            return Some(std::mem::replace(slot, value));
        }
        self.insert_new(CompactBytes::new(key), value);
        None
    }

    /// Inserts a key known to be absent (the caller has just looked it up).
    pub fn insert_new(&mut self, key: CompactBytes, value: V) {
        let hash = self.hash(&key);
        self.insert_new_hashed(hash, key, value);
    }

    /// [`Self::insert_new`] given the key's precomputed hash ([`Self::hash`]).
    pub fn insert_new_hashed(&mut self, hash: u64, key: CompactBytes, value: V) {
        self.expand_if_needed();
        let table = if self.is_rehashing() { &mut self.tables[1] } else { &mut self.tables[0] };
        let idx = (hash & table.mask()) as usize;
        let next = table.buckets[idx].take();
        table.buckets[idx] = Some(Box::new(Node { next, key, value }));
        table.used += 1;
    }

    /// Removes `key`, returning its stored key and value.
    pub fn remove(&mut self, key: &[u8]) -> Option<(CompactBytes, V)> {
        if self.is_empty() {
            return None;
        }
        let hash = self.hash(key);
        self.remove_hashed(hash, key)
    }

    /// [`Self::remove`] given the key's precomputed hash ([`Self::hash`]).
    pub fn remove_hashed(&mut self, hash: u64, key: &[u8]) -> Option<(CompactBytes, V)> {
        if self.is_empty() {
            return None;
        }
        self.rehash_step();
        let mut removed = self.tables[0].remove(hash, key);
        if removed.is_none() && self.is_rehashing() {
            removed = self.tables[1].remove(hash, key);
        }
        let node = removed?;
        self.shrink_if_needed();
        let node = *node;
        Some((node.key, node.value))
    }

    /// Removes every entry, keeping the hasher.
    pub fn clear(&mut self) {
        // Dropping long chains recursively could overflow the stack: unlink iteratively.
        for table in &mut self.tables {
            for bucket in &mut table.buckets {
                let mut cur = bucket.take();
                while let Some(mut node) = cur {
                    cur = node.next.take();
                }
            }
        }
        self.tables = [Table::empty(), Table::empty()];
        self.rehash_idx = None;
    }

    /// Visits every entry, in table order.
    pub fn for_each(&self, mut f: impl FnMut(&[u8], &V)) {
        for table in &self.tables {
            for bucket in &table.buckets {
                let mut cur = bucket.as_deref();
                while let Some(node) = cur {
                    f(&node.key, &node.value);
                    cur = node.next.as_deref();
                }
            }
        }
    }

    /// One step of Redis's `dictScan`: visits the entries of the bucket(s) at `cursor` and
    /// returns the next cursor (0 when the scan is complete).
    ///
    /// Every entry present from the first call to the last is visited at least once; entries
    /// may be visited more than once when the table shrank in between.
    pub fn scan(&self, cursor: u64, mut f: impl FnMut(&[u8], &V)) -> u64 {
        if self.is_empty() {
            return 0;
        }
        let mut v = cursor;
        let visit = |table: &Table<V>, idx: u64, f: &mut dyn FnMut(&[u8], &V)| {
            let mut cur = table.buckets[(idx & table.mask()) as usize].as_deref();
            while let Some(node) = cur {
                f(&node.key, &node.value);
                cur = node.next.as_deref();
            }
        };
        if !self.is_rehashing() {
            let t0 = &self.tables[0];
            let m0 = t0.mask();
            visit(t0, v, &mut f);
            v |= !m0;
            v = v.reverse_bits().wrapping_add(1).reverse_bits();
        } else {
            let (small, large) = if self.tables[0].buckets.len() <= self.tables[1].buckets.len() {
                (&self.tables[0], &self.tables[1])
            } else {
                (&self.tables[1], &self.tables[0])
            };
            let m0 = small.mask();
            let m1 = large.mask();
            visit(small, v, &mut f);
            // Visit every bucket of the larger table that expands the small table's bucket.
            loop {
                visit(large, v, &mut f);
                v |= !m1;
                v = v.reverse_bits().wrapping_add(1).reverse_bits();
                if v & (m0 ^ m1) == 0 {
                    break;
                }
            }
        }
        v
    }

    /// A uniformly chosen bucket's random entry (Redis's `dictGetFairRandomKey` is
    /// approximated the same way: a random non-empty bucket, then a random chain element).
    pub fn random_entry(&self, rng: &mut impl rand::Rng) -> Option<(&[u8], &V)> {
        if self.is_empty() {
            return None;
        }
        loop {
            let total = self.tables[0].buckets.len() + self.tables[1].buckets.len();
            let mut idx = rng.random_range(0..total);
            let table = if idx < self.tables[0].buckets.len() {
                &self.tables[0]
            } else {
                idx -= self.tables[0].buckets.len();
                &self.tables[1]
            };
            // Buckets of table 0 below the rehash index are already empty.
            if let Some(first) = table.buckets[idx].as_deref() {
                let mut chain_len = 0;
                let mut cur = Some(first);
                while let Some(n) = cur {
                    chain_len += 1;
                    cur = n.next.as_deref();
                }
                let mut pick = rng.random_range(0..chain_len);
                let mut cur = first;
                while pick > 0 {
                    cur = cur.next.as_deref()?;
                    pick -= 1;
                }
                return Some((&cur.key, &cur.value));
            }
        }
    }

    /// Moves one bucket of the old table to the new one (Redis's `dictRehash(d, 1)`), visiting
    /// at most ten empty buckets.
    fn rehash_step(&mut self) {
        let Some(mut idx) = self.rehash_idx else { return };
        let mut empty_visits = 10;
        let [t0, t1] = &mut self.tables;
        while idx < t0.buckets.len() && t0.buckets[idx].is_none() {
            idx += 1;
            empty_visits -= 1;
            if empty_visits == 0 {
                self.rehash_idx = Some(idx);
                return;
            }
        }
        if idx < t0.buckets.len() {
            let mut cur = t0.buckets[idx].take();
            let mask = t1.mask();
            while let Some(mut node) = cur {
                cur = node.next.take();
                let h = hash_key(&self.hasher, &node.key);
                let dst = (h & mask) as usize;
                node.next = t1.buckets[dst].take();
                t1.buckets[dst] = Some(node);
                t0.used -= 1;
                t1.used += 1;
            }
            idx += 1;
        }
        if t0.used == 0 {
            self.tables[0] = std::mem::replace(&mut self.tables[1], Table::empty());
            self.rehash_idx = None;
        } else {
            self.rehash_idx = Some(idx);
        }
    }

    /// Does rehash work for up to `budget` buckets; returns true while more remains. Used by
    /// the server's cron, like Redis's `incrementallyRehash`.
    pub fn rehash_some(&mut self, budget: usize) -> bool {
        for _ in 0..budget {
            if !self.is_rehashing() {
                return false;
            }
            self.rehash_step();
        }
        self.is_rehashing()
    }

    fn expand_if_needed(&mut self) {
        if self.is_rehashing() {
            self.rehash_step();
            return;
        }
        let size = self.tables[0].buckets.len();
        if size == 0 {
            self.tables[0] = Table::with_size(INITIAL_SIZE);
        } else if self.tables[0].used >= size {
            self.start_resize((self.tables[0].used + 1).next_power_of_two());
        }
    }

    fn shrink_if_needed(&mut self) {
        if self.is_rehashing() {
            return;
        }
        let size = self.tables[0].buckets.len();
        let used = self.tables[0].used;
        if used == 0 {
            self.tables[0] = Table::empty();
            return;
        }
        if size > INITIAL_SIZE && used * 100 / size < MIN_FILL_PERCENT {
            self.start_resize(used.next_power_of_two().max(INITIAL_SIZE));
        }
    }

    fn start_resize(&mut self, size: usize) {
        if size == self.tables[0].buckets.len() {
            return;
        }
        self.tables[1] = Table::with_size(size);
        self.rehash_idx = Some(0);
    }
}

impl<V: Clone> Clone for Dict<V> {
    /// A copy with the same entries and hasher (COPY of a hash or set); the layout is rebuilt,
    /// so a SCAN cursor of the original means nothing to the copy, as in Redis.
    fn clone(&self) -> Self {
        let mut copy = Dict::new(self.hasher.clone());
        self.for_each(|k, v| {
            copy.insert(k, v.clone());
        });
        copy
    }
}

impl<V: std::fmt::Debug> std::fmt::Debug for Dict<V> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut m = f.debug_map();
        self.for_each(|k, v| {
            m.entry(&String::from_utf8_lossy(k), v);
        });
        m.finish()
    }
}

impl<V> Drop for Dict<V> {
    fn drop(&mut self) {
        self.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::{HashMap, HashSet};

    fn key(i: u32) -> Vec<u8> {
        format!("key:{i}").into_bytes()
    }

    #[test]
    fn matches_a_std_model_under_inserts_and_removes() {
        let mut d = Dict::new(KeyHasher::new());
        let mut model = HashMap::new();
        let mut rng = rand::rng();
        use rand::Rng;
        for step in 0..20_000u32 {
            let k = key(rng.random_range(0..3000));
            if rng.random_bool(0.6) {
                assert_eq!(d.insert(&k, step), model.insert(k.clone(), step));
            } else {
                assert_eq!(d.remove(&k).map(|(_, v)| v), model.remove(&k));
            }
            assert_eq!(d.len(), model.len());
        }
        for (k, v) in &model {
            assert_eq!(d.get(k), Some(v));
        }
        let mut seen = 0;
        d.for_each(|k, v| {
            assert_eq!(model.get(k), Some(v));
            seen += 1;
        });
        assert_eq!(seen, model.len());
    }

    #[test]
    fn scan_returns_every_stable_key_while_growing_and_shrinking() {
        let mut d = Dict::new(KeyHasher::new());
        for i in 0..1000 {
            d.insert(&key(i), ());
        }
        let mut seen = HashSet::new();
        let mut cursor = 0;
        let mut round = 0u32;
        loop {
            cursor = d.scan(cursor, |k, _| {
                seen.insert(k.to_vec());
            });
            // Grow, then shrink, with extra keys that come and go during the scan.
            round += 1;
            if round < 50 {
                for j in 0..200 {
                    d.insert(&key(100_000 + round * 1000 + j), ());
                }
            } else if round < 100 {
                for j in 0..200 {
                    d.remove(&key(100_000 + (round - 49) * 1000 + j));
                }
            }
            if cursor == 0 {
                break;
            }
        }
        for i in 0..1000 {
            assert!(seen.contains(&key(i)), "key {i} missed by SCAN");
        }
    }

    #[test]
    fn random_entry_and_clear() {
        let mut d = Dict::new(KeyHasher::new());
        let mut rng = rand::rng();
        assert!(d.random_entry(&mut rng).is_none());
        for i in 0..100 {
            d.insert(&key(i), i);
        }
        let (k, v) = d.random_entry(&mut rng).unwrap();
        assert_eq!(k, &key(*v)[..]);
        d.clear();
        assert!(d.is_empty());
        assert_eq!(d.get(&key(1)), None);
        d.insert(&key(1), 1);
        assert_eq!(d.get(&key(1)), Some(&1));
    }
}
