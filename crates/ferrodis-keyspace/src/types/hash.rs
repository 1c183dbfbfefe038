//! The `hash` type: a map from field to value, both binary-safe strings (Redis's
//! `src/t_hash.c`).
//!
//! Two encodings, with Redis's names for OBJECT ENCODING:
//!
//! - `listpack`: a [`ListPack`] of `field, value, field, value, ...` in insertion order, while
//!   the hash has at most `hash-max-listpack-entries` fields and every field and value is at
//!   most `hash-max-listpack-value` bytes. Lookups are linear, as in Redis.
//! - `hashtable`: a [`Dict`] from field to value ([`CompactBytes`], inline up to 22 bytes),
//!   with Redis's reverse-binary SCAN cursor.
//!
//! A hash converts from `listpack` to `hashtable` when a write crosses a threshold
//! ([`Hash::try_conversion`] before HSET/HMSET, [`Hash::set`] after each write) and never
//! converts back, as Redis does.

use crate::bytes::CompactBytes;
use crate::dict::{Dict, KeyHasher};
use crate::limits::EncodingLimits;
use crate::listpack::{ListPack, LpValue};
use rand::Rng;

/// A hash value: 16 bytes, stored in [`crate::Value`] without a box of its own, so a small
/// hash costs its packed bytes and one pointer.
#[derive(Clone, Debug)]
pub enum Hash {
    /// `listpack`: the bytes of a [`ListPack`] whose entries alternate field, value
    /// ([`ListPack::into_bytes`]), exactly sized. Operations rebuild a `ListPack` around them
    /// (writes without copying; reads copy the few hundred bytes, and the entry count is
    /// recounted, like Redis's `lpLength` past 65535 entries).
    ListPack(Box<[u8]>),
    /// `hashtable`.
    Table(Box<Dict<CompactBytes>>),
}

impl Default for Hash {
    fn default() -> Self {
        Hash::ListPack(Box::default())
    }
}

/// A field's value as stored: listpack entries may be integers.
pub type HashValue<'a> = LpValue<'a>;

impl Hash {
    /// An empty `listpack`-encoded hash.
    pub fn new() -> Hash {
        Hash::default()
    }

    /// A copy of the listpack, for reading.
    fn read_lp(bytes: &[u8]) -> ListPack {
        ListPack::from_bytes(bytes.to_vec())
    }

    /// Runs `f` on the listpack of a `listpack` hash, storing it back exactly sized. `None`
    /// for a `hashtable`.
    fn with_lp<R>(&mut self, f: impl FnOnce(&mut ListPack) -> R) -> Option<R> {
        let Hash::ListPack(bytes) = self else { return None };
        let mut lp = ListPack::from_bytes(Vec::from(std::mem::take(bytes)));
        let r = f(&mut lp);
        *bytes = lp.into_bytes().into_boxed_slice();
        Some(r)
    }

    /// Number of fields.
    pub fn len(&self) -> usize {
        match self {
            Hash::ListPack(b) => Hash::read_lp(b).len() / 2,
            Hash::Table(d) => d.len(),
        }
    }

    /// True when empty (an empty collection is never stored: the key is deleted).
    pub fn is_empty(&self) -> bool {
        match self {
            Hash::ListPack(b) => b.is_empty(),
            Hash::Table(d) => d.is_empty(),
        }
    }

    /// The encoding name OBJECT ENCODING reports: `listpack` or `hashtable`.
    pub fn encoding_name(&self) -> &'static str {
        match self {
            Hash::ListPack(_) => "listpack",
            Hash::Table(_) => "hashtable",
        }
    }

    /// True while `listpack`-encoded.
    pub fn is_listpack(&self) -> bool {
        matches!(self, Hash::ListPack(_))
    }

    /// Heap bytes owned, for MEMORY USAGE: the listpack's bytes, or the table's buckets,
    /// nodes (key, value, link) and out-of-line strings.
    pub fn heap_bytes(&self) -> usize {
        match self {
            Hash::ListPack(b) => b.len(),
            Hash::Table(d) => {
                let node = 8 + 2 * std::mem::size_of::<CompactBytes>();
                let mut total = std::mem::size_of::<Dict<CompactBytes>>() + d.buckets() * 8;
                d.for_each(|k, v| total += node + v.heap_bytes() + k.len().saturating_sub(22));
                total
            }
        }
    }

    /// Calls `f` with the value of `field`, if present.
    pub fn get_with<R>(&self, field: &[u8], f: impl FnOnce(HashValue<'_>) -> R) -> Option<R> {
        match self {
            Hash::ListPack(b) => {
                let lp = Hash::read_lp(b);
                let pos = lp.find(field, 2)?;
                lp.next(pos).map(|v| f(lp.get_at(v)))
            }
            Hash::Table(d) => d.get(field).map(|v| f(LpValue::Str(v.as_slice()))),
        }
    }

    /// The value of `field` as bytes, if present.
    pub fn get(&self, field: &[u8]) -> Option<Vec<u8>> {
        self.get_with(field, |v| v.to_vec())
    }

    /// True when `field` is present.
    pub fn contains(&self, field: &[u8]) -> bool {
        match self {
            Hash::ListPack(b) => Hash::read_lp(b).find(field, 2).is_some(),
            Hash::Table(d) => d.contains_key(field),
        }
    }

    /// Converts to `hashtable` before a multi-field write, as Redis 7.2's
    /// `hashTypeTryConversion`: when `args` (fields and values alternating) hold more pairs
    /// than `hash-max-listpack-entries` (even if fields repeat), or any of them is longer than
    /// `hash-max-listpack-value`.
    pub fn try_conversion(&mut self, args: &[&[u8]], limits: &EncodingLimits) {
        if !self.is_listpack() {
            return;
        }
        if args.len() / 2 > limits.hash_max_listpack_entries
            || args.iter().any(|a| a.len() > limits.hash_max_listpack_value)
        {
            self.convert();
        }
    }

    /// Sets `field` to `value`; returns true when the field is new. Converts to `hashtable`
    /// when the field or value is longer than `hash-max-listpack-value`, or when the hash
    /// then has more than `hash-max-listpack-entries` fields (Redis's `hashTypeSet`).
    pub fn set(&mut self, field: &[u8], value: &[u8], limits: &EncodingLimits) -> bool {
        if self.is_listpack()
            && (field.len() > limits.hash_max_listpack_value
                || value.len() > limits.hash_max_listpack_value)
        {
            self.convert();
        }
        let listpack = self.with_lp(|lp| match lp.find(field, 2) {
            Some(pos) => {
                let vpos = lp.next(pos).expect("listpack hash: field without value");
                lp.replace_at(vpos, value);
                (false, lp.len() / 2)
            }
            None => {
                lp.push_back(field);
                lp.push_back(value);
                (true, lp.len() / 2)
            }
        });
        match listpack {
            Some((created, len)) => {
                if len > limits.hash_max_listpack_entries {
                    self.convert();
                }
                created
            }
            None => match self {
                Hash::Table(d) => d.insert(field, CompactBytes::new(value)).is_none(),
                Hash::ListPack(_) => unreachable!("with_lp handles listpacks"),
            },
        }
    }

    /// Removes `field`; returns true when it was present.
    pub fn remove(&mut self, field: &[u8]) -> bool {
        if let Some(removed) = self.with_lp(|lp| match lp.find(field, 2) {
            Some(pos) => {
                lp.remove_range_at(pos, 2);
                true
            }
            None => false,
        }) {
            return removed;
        }
        match self {
            Hash::Table(d) => d.remove(field).is_some(),
            Hash::ListPack(_) => false,
        }
    }

    /// Converts a `listpack` hash to `hashtable` (Redis's `hashTypeConvertListpack`).
    pub fn convert(&mut self) {
        if let Hash::ListPack(b) = self {
            let lp = ListPack::from_bytes(Vec::from(std::mem::take(b)));
            let mut d = Dict::new(KeyHasher::new());
            let mut it = lp.iter();
            while let (Some(f), Some(v)) = (it.next(), it.next()) {
                d.insert(&f.to_vec(), CompactBytes::from_vec(v.to_vec()));
            }
            *self = Hash::Table(Box::new(d));
        }
    }

    /// Visits every field and value: insertion order for `listpack`, table order for
    /// `hashtable`.
    pub fn for_each(&self, mut f: impl FnMut(HashValue<'_>, HashValue<'_>)) {
        match self {
            Hash::ListPack(b) => {
                let lp = Hash::read_lp(b);
                let mut it = lp.iter();
                while let (Some(k), Some(v)) = (it.next(), it.next()) {
                    f(k, v);
                }
            }
            Hash::Table(d) => d.for_each(|k, v| f(LpValue::Str(k), LpValue::Str(v))),
        }
    }

    /// Every field and value as owned bytes, in [`Hash::for_each`] order.
    pub fn pairs(&self) -> Vec<(Vec<u8>, Vec<u8>)> {
        let mut out = Vec::new();
        self.for_each(|k, v| out.push((k.to_vec(), v.to_vec())));
        out
    }

    /// One step of HSCAN (Redis's `scanGenericCommand` on a hash): a `listpack` hash is
    /// returned whole with next cursor 0; a `hashtable` visits buckets from `cursor` until
    /// `count` pairs were seen or `count * 10` buckets were visited, and returns the next
    /// cursor (0 when done). Every field present for the whole scan is visited at least once.
    pub fn scan(
        &self,
        cursor: u64,
        count: usize,
        mut f: impl FnMut(HashValue<'_>, HashValue<'_>),
    ) -> u64 {
        match self {
            Hash::ListPack(_) => {
                self.for_each(f);
                0
            }
            Hash::Table(d) => {
                let mut seen = 0usize;
                let mut cursor = cursor;
                let mut budget = count.saturating_mul(10);
                loop {
                    cursor = d.scan(cursor, |k, v| {
                        seen += 1;
                        f(LpValue::Str(k), LpValue::Str(v));
                    });
                    if cursor == 0 || budget == 0 || seen >= count {
                        break;
                    }
                    budget -= 1;
                }
                cursor
            }
        }
    }

    /// One field and value chosen at random (`None` when empty). For `hashtable` this is a
    /// fair pick, like Redis's `dictGetFairRandomKey`: a uniformly random bucket (a SCAN
    /// cursor), then one of [`FAIR_CHAIN_SLOTS`] slots per bucket visited, retrying when the
    /// slot is past the bucket's chain, so elements of long chains are not favoured and those
    /// of short chains not neglected.
    pub fn random_pair(&self, rng: &mut impl Rng) -> Option<(Vec<u8>, Vec<u8>)> {
        match self {
            Hash::ListPack(b) => {
                let lp = Hash::read_lp(b);
                let n = lp.len() / 2;
                if n == 0 {
                    return None;
                }
                let pos = lp.seek(2 * rng.random_range(0..n) as i64)?;
                let v = lp.next(pos)?;
                Some((lp.get_at(pos).to_vec(), lp.get_at(v).to_vec()))
            }
            Hash::Table(d) => {
                if d.is_empty() {
                    return None;
                }
                // A cursor below the smaller table's size visits one bucket of it and, while
                // rehashing, every bucket of the larger table that it expands to: groups of
                // equal share, chosen uniformly.
                let total = d.buckets();
                let (small, per_group) = if d.is_rehashing() {
                    let small = total & total.wrapping_neg();
                    (small, 1 + (total - small) / small)
                } else {
                    (total, 1)
                };
                let mut chain: Vec<(Vec<u8>, Vec<u8>)> = Vec::new();
                loop {
                    chain.clear();
                    let cursor = rng.random_range(0..small) as u64;
                    d.scan(cursor, |k, v| chain.push((k.to_vec(), v.to_vec())));
                    let slots = (FAIR_CHAIN_SLOTS * per_group).max(chain.len());
                    let pick = rng.random_range(0..slots);
                    if pick < chain.len() {
                        return Some(chain.swap_remove(pick));
                    }
                }
            }
        }
    }

    /// `count` pairs chosen at random with repetition (HRANDFIELD with a negative count). A
    /// `listpack`, or a `hashtable` of at most [`SAMPLE_ALL_MAX`] fields, is decoded once and
    /// sampled uniformly; bigger tables use [`Hash::random_pair`] per pick.
    pub fn random_pairs(&self, count: usize, rng: &mut impl Rng) -> Vec<(Vec<u8>, Vec<u8>)> {
        if self.is_empty() {
            return Vec::new();
        }
        let len = self.len();
        // Reserve little up front: a huge count grows the reply as Redis's does, instead of
        // failing one giant allocation.
        let mut out = Vec::with_capacity(count.min(1024));
        if self.is_listpack() || len <= SAMPLE_ALL_MAX || count >= len {
            let all = self.pairs();
            for _ in 0..count {
                out.push(all[rng.random_range(0..all.len())].clone());
            }
        } else {
            for _ in 0..count {
                out.extend(self.random_pair(rng));
            }
        }
        out
    }

    /// `count` distinct pairs chosen at random (HRANDFIELD with a positive count): the whole
    /// hash when `count` reaches its size, otherwise Redis's two strategies (remove random
    /// pairs from a copy when `count * 3 > size`, else pick random pairs until `count`
    /// distinct ones were found). Order is not meaningful.
    pub fn random_distinct(&self, count: usize, rng: &mut impl Rng) -> Vec<(Vec<u8>, Vec<u8>)> {
        let size = self.len();
        if count >= size {
            return self.pairs();
        }
        if count.saturating_mul(3) > size || self.is_listpack() {
            let mut all = self.pairs();
            while all.len() > count {
                let i = rng.random_range(0..all.len());
                all.swap_remove(i);
            }
            return all;
        }
        let mut seen = std::collections::HashSet::with_capacity(count);
        let mut out = Vec::with_capacity(count);
        while out.len() < count {
            let Some((k, v)) = self.random_pair(rng) else { break };
            if seen.insert(k.clone()) {
                out.push((k, v));
            }
        }
        out
    }
}

/// Slots per bucket in the fair random pick of a `hashtable` field: chains are rarely longer
/// (the table grows at one entry per bucket); a longer chain uses its own length.
const FAIR_CHAIN_SLOTS: usize = 4;

/// Largest `hashtable` that HRANDFIELD with a negative count decodes whole to sample exactly
/// uniformly.
const SAMPLE_ALL_MAX: usize = 1024;

#[cfg(test)]
mod tests {
    use super::*;

    fn limits(entries: usize, value: usize) -> EncodingLimits {
        EncodingLimits {
            hash_max_listpack_entries: entries,
            hash_max_listpack_value: value,
            ..EncodingLimits::default()
        }
    }

    fn get(h: &Hash, f: &[u8]) -> Option<Vec<u8>> {
        h.get(f)
    }

    #[test]
    fn listpack_set_get_remove() {
        let l = limits(4, 8);
        let mut h = Hash::new();
        assert!(h.set(b"a", b"1", &l));
        assert!(h.set(b"b", b"x", &l));
        assert!(!h.set(b"a", b"22", &l));
        assert_eq!(h.len(), 2);
        assert_eq!(h.encoding_name(), "listpack");
        assert_eq!(get(&h, b"a"), Some(b"22".to_vec()));
        // An integer-looking field must not match a value.
        assert_eq!(get(&h, b"22"), None);
        assert!(h.contains(b"b"));
        assert!(h.remove(b"a"));
        assert!(!h.remove(b"a"));
        assert_eq!(h.pairs(), vec![(b"b".to_vec(), b"x".to_vec())]);
    }

    #[test]
    fn converts_on_entries_and_value_length_and_never_back() {
        let l = limits(2, 4);
        let mut h = Hash::new();
        h.set(b"a", b"1", &l);
        h.set(b"b", b"2", &l);
        assert!(h.is_listpack());
        h.set(b"c", b"3", &l);
        assert_eq!(h.encoding_name(), "hashtable");
        h.remove(b"c");
        h.remove(b"b");
        assert_eq!(h.encoding_name(), "hashtable");
        assert_eq!(get(&h, b"a"), Some(b"1".to_vec()));

        let mut h = Hash::new();
        h.set(b"a", b"1234", &l);
        assert!(h.is_listpack());
        h.set(b"a", b"12345", &l);
        assert_eq!(h.encoding_name(), "hashtable");
        assert_eq!(get(&h, b"a"), Some(b"12345".to_vec()));

        let mut h = Hash::new();
        h.set(b"abcde", b"1", &l);
        assert_eq!(h.encoding_name(), "hashtable");
    }

    #[test]
    fn try_conversion_counts_pairs_and_lengths() {
        let l = limits(2, 4);
        let mut h = Hash::new();
        h.try_conversion(&[b"a", b"1", b"a", b"1"], &l);
        assert!(h.is_listpack());
        h.try_conversion(&[b"a", b"1", b"a", b"1", b"a", b"1"], &l);
        assert!(!h.is_listpack());
        let mut h = Hash::new();
        h.try_conversion(&[b"a", b"12345"], &l);
        assert!(!h.is_listpack());
    }

    #[test]
    fn scan_and_random() {
        let l = limits(8, 64);
        let mut h = Hash::new();
        for i in 0..100 {
            h.set(format!("f{i}").as_bytes(), format!("{i}").as_bytes(), &l);
        }
        assert!(!h.is_listpack());
        let mut seen = std::collections::HashSet::new();
        let mut cursor = 0;
        loop {
            cursor = h.scan(cursor, 10, |k, _| {
                seen.insert(k.to_vec());
            });
            if cursor == 0 {
                break;
            }
        }
        assert_eq!(seen.len(), 100);
        let mut rng = rand::rng();
        let picked = h.random_distinct(10, &mut rng);
        let distinct: std::collections::HashSet<_> = picked.iter().map(|p| &p.0).collect();
        assert_eq!(distinct.len(), 10);
        assert_eq!(h.random_distinct(60, &mut rng).len(), 60);
        assert_eq!(h.random_pairs(500, &mut rng).len(), 500);
        for (k, v) in h.random_pairs(50, &mut rng) {
            assert_eq!(get(&h, &k), Some(v));
        }
    }

    #[test]
    fn small_hash_is_its_packed_bytes_and_value_stays_24_bytes() {
        assert_eq!(std::mem::size_of::<Hash>(), 16);
        assert_eq!(std::mem::size_of::<crate::Value>(), 24);
        let l = limits(128, 64);
        let mut h = Hash::new();
        for i in 0..10 {
            h.set(format!("field{i}").as_bytes(), format!("value{i}").as_bytes(), &l);
        }
        // The listpack's 4-byte entry count, then 10 * (1 + 6 + 1) + 10 * (1 + 6 + 1): header,
        // payload and backlen of each entry.
        assert_eq!(h.heap_bytes(), 4 + 160);
        assert_eq!(h.len(), 10);
    }

    /// Chi-square statistic of `counts` against a uniform distribution.
    fn chi_square(counts: &std::collections::HashMap<Vec<u8>, usize>) -> f64 {
        let total: usize = counts.values().sum();
        let expected = total as f64 / counts.len() as f64;
        counts.values().map(|&c| (c as f64 - expected).powi(2) / expected).sum()
    }

    #[test]
    fn random_picks_on_a_hashtable_are_uniform() {
        use rand::SeedableRng;
        let l = limits(4, 64);
        let mut rng = rand::rngs::StdRng::seed_from_u64(7);
        // Sizes that leave the table mid-rehash and not.
        for size in [10usize, 12, 17, 40] {
            let mut h = Hash::new();
            for i in 0..size {
                h.set(format!("f{i}").as_bytes(), b"v", &l);
            }
            assert!(!h.is_listpack());
            let mut single = std::collections::HashMap::new();
            let mut distinct = std::collections::HashMap::new();
            for _ in 0..size * 200 {
                *single.entry(h.random_pair(&mut rng).unwrap().0).or_insert(0) += 1;
                for (k, _) in h.random_distinct(2, &mut rng) {
                    *distinct.entry(k).or_insert(0) += 1;
                }
            }
            assert_eq!(single.len(), size);
            // df = size - 1; these bounds are far in the tail for uniform picks.
            let bound = 3.0 * size as f64 + 20.0;
            assert!(chi_square(&single) < bound, "size {size}: {}", chi_square(&single));
            assert!(chi_square(&distinct) < bound, "size {size}: {}", chi_square(&distinct));
        }
    }
}
