//! One logical database: the dict of keys and their TTLs, with lazy and active expiry.
//!
//! Follows Redis's `src/db.c` (lookup, add, overwrite, delete) and `src/expire.c`. Every read
//! and write goes through [`Db::lookup`] / [`Db::lookup_mut`], which delete a key whose TTL has
//! passed before the caller sees it, so no command ever observes an expired key. Times are Unix
//! milliseconds.

use crate::bytes::CompactBytes;
use crate::dict::{Dict, KeyHasher};
use crate::value::Value;

/// A key's value and its absolute expiry time.
#[derive(Debug, Clone)]
pub struct Entry {
    /// The value.
    pub value: Value,
    /// Unix time in milliseconds at which the key expires; 0 when it has no TTL.
    expire_at_ms: u64,
}

impl Entry {
    /// An entry without a TTL.
    pub fn new(value: Value) -> Entry {
        Entry { value, expire_at_ms: 0 }
    }

    /// The expiry time in Unix milliseconds, if the key has a TTL.
    pub fn expire_at_ms(&self) -> Option<u64> {
        (self.expire_at_ms != 0).then_some(self.expire_at_ms)
    }

    /// True when the key has a TTL that ended at or before `now_ms`.
    #[inline]
    pub fn is_expired(&self, now_ms: u64) -> bool {
        self.expire_at_ms != 0 && self.expire_at_ms <= now_ms
    }
}

/// What to do with the TTL when a write replaces a key's value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TtlUpdate {
    /// Drop any TTL (a plain SET).
    Clear,
    /// Keep the existing TTL (SET ... KEEPTTL, and in-place updates such as INCR).
    Keep,
    /// Expire at this Unix time in milliseconds.
    At(u64),
}

/// Counters a database feeds into INFO.
#[derive(Debug, Default, Clone, Copy)]
pub struct DbStats {
    /// Keys removed because their TTL passed (`expired_keys`).
    pub expired_keys: u64,
    /// Successful lookups of existing keys by read commands (`keyspace_hits`).
    pub keyspace_hits: u64,
    /// Lookups of missing keys by read commands (`keyspace_misses`).
    pub keyspace_misses: u64,
}

/// One logical database (`SELECT` index).
pub struct Db {
    dict: Dict<Entry>,
    /// Number of keys that have a TTL (the `expires=` field of INFO keyspace).
    expires: usize,
    /// Where the active expire cycle resumes its walk of the dict.
    expire_cursor: u64,
    /// Counters for INFO.
    pub stats: DbStats,
}

impl Db {
    /// Creates an empty database.
    pub fn new(hasher: KeyHasher) -> Db {
        Db { dict: Dict::new(hasher), expires: 0, expire_cursor: 0, stats: DbStats::default() }
    }

    /// Number of keys, including keys whose TTL passed but that were not reclaimed yet
    /// (DBSIZE counts them too in Redis).
    pub fn len(&self) -> usize {
        self.dict.len()
    }

    /// True when the database holds no key.
    pub fn is_empty(&self) -> bool {
        self.dict.is_empty()
    }

    /// Number of keys with a TTL.
    pub fn expires_count(&self) -> usize {
        self.expires
    }

    /// Looks a key up, deleting it first when it has expired.
    pub fn lookup(&mut self, key: &[u8], now_ms: u64) -> Option<&Entry> {
        self.expire_if_needed(key, now_ms);
        self.dict.get(key)
    }

    /// Looks a key up for a read command: like [`Db::lookup`], and counts a keyspace hit or
    /// miss.
    pub fn lookup_read(&mut self, key: &[u8], now_ms: u64) -> Option<&Entry> {
        self.expire_if_needed(key, now_ms);
        let found = self.dict.get(key);
        if found.is_some() {
            self.stats.keyspace_hits += 1;
        } else {
            self.stats.keyspace_misses += 1;
        }
        found
    }

    /// Looks a key up for modification, deleting it first when it has expired.
    pub fn lookup_mut(&mut self, key: &[u8], now_ms: u64) -> Option<&mut Entry> {
        self.expire_if_needed(key, now_ms);
        self.dict.get_mut(key)
    }

    /// True when the key exists and has not expired.
    pub fn exists(&mut self, key: &[u8], now_ms: u64) -> bool {
        self.lookup(key, now_ms).is_some()
    }

    /// Sets `key` to `value`, creating or overwriting it, with the TTL handled by `ttl`.
    pub fn set(&mut self, key: &[u8], value: Value, ttl: TtlUpdate, now_ms: u64) {
        self.expire_if_needed(key, now_ms);
        if let Some(entry) = self.dict.get_mut(key) {
            let had_ttl = entry.expire_at_ms != 0;
            entry.value = value;
            match ttl {
                TtlUpdate::Keep => {}
                TtlUpdate::Clear => entry.expire_at_ms = 0,
                TtlUpdate::At(at) => entry.expire_at_ms = at.max(1),
            }
            let has_ttl = entry.expire_at_ms != 0;
            self.adjust_expires(had_ttl, has_ttl);
            return;
        }
        let expire_at_ms = match ttl {
            TtlUpdate::At(at) => at.max(1),
            TtlUpdate::Keep | TtlUpdate::Clear => 0,
        };
        if expire_at_ms != 0 {
            self.expires += 1;
        }
        self.dict.insert_new(CompactBytes::new(key), Entry { value, expire_at_ms });
    }

    /// Adds a key known to be absent (the caller looked it up in this command).
    pub fn add(&mut self, key: &[u8], value: Value) {
        self.dict.insert_new(CompactBytes::new(key), Entry::new(value));
    }

    /// Deletes `key`; returns the entry if the key existed and had not expired.
    pub fn remove(&mut self, key: &[u8], now_ms: u64) -> Option<Entry> {
        let (_, entry) = self.dict.remove(key)?;
        if entry.expire_at_ms != 0 {
            self.expires -= 1;
        }
        if entry.is_expired(now_ms) {
            self.stats.expired_keys += 1;
            return None;
        }
        Some(entry)
    }

    /// Sets the TTL of an existing key to the absolute Unix time `at_ms`; returns false when
    /// the key does not exist.
    pub fn set_expire(&mut self, key: &[u8], at_ms: u64, now_ms: u64) -> bool {
        let Some(entry) = self.lookup_mut(key, now_ms) else { return false };
        let had = entry.expire_at_ms != 0;
        entry.expire_at_ms = at_ms.max(1);
        self.adjust_expires(had, true);
        true
    }

    /// Removes the TTL of `key`; returns true when it had one.
    pub fn persist(&mut self, key: &[u8], now_ms: u64) -> bool {
        let Some(entry) = self.lookup_mut(key, now_ms) else { return false };
        if entry.expire_at_ms == 0 {
            return false;
        }
        entry.expire_at_ms = 0;
        self.expires -= 1;
        true
    }

    /// Removes every key.
    pub fn clear(&mut self) {
        self.dict.clear();
        self.expires = 0;
        self.expire_cursor = 0;
    }

    /// One SCAN step over this database (see [`Dict::scan`]); expired keys are skipped.
    pub fn scan(&self, cursor: u64, now_ms: u64, mut f: impl FnMut(&[u8], &Entry)) -> u64 {
        self.dict.scan(cursor, |k, e| {
            if !e.is_expired(now_ms) {
                f(k, e)
            }
        })
    }

    /// Visits every live key.
    pub fn for_each(&self, now_ms: u64, mut f: impl FnMut(&[u8], &Entry)) {
        self.dict.for_each(|k, e| {
            if !e.is_expired(now_ms) {
                f(k, e)
            }
        })
    }

    /// A random live key, deleting expired keys it meets on the way (as RANDOMKEY does);
    /// gives up after 100 tries when every sampled key has expired.
    pub fn random_key(&mut self, now_ms: u64, rng: &mut impl rand::Rng) -> Option<Vec<u8>> {
        for _ in 0..100 {
            let (key, expired) = {
                let (k, e) = self.dict.random_entry(rng)?;
                (k.to_vec(), e.is_expired(now_ms))
            };
            if !expired {
                return Some(key);
            }
            self.expire_if_needed(&key, now_ms);
        }
        None
    }

    /// One slice of the active expire cycle: walks up to `max_buckets` buckets from where the
    /// last call stopped and deletes the keys whose TTL passed. Returns (keys with a TTL
    /// examined, keys expired). Follows the spirit of `activeExpireCycle` in `expire.c`, which
    /// also walks the table with a scan cursor.
    pub fn active_expire(&mut self, now_ms: u64, max_buckets: usize) -> (usize, usize) {
        if self.expires == 0 {
            return (0, 0);
        }
        let mut examined = 0;
        let mut doomed: Vec<CompactBytes> = Vec::new();
        let mut cursor = self.expire_cursor;
        for _ in 0..max_buckets {
            cursor = self.dict.scan(cursor, |k, e| {
                if e.expire_at_ms != 0 {
                    examined += 1;
                    if e.expire_at_ms <= now_ms {
                        doomed.push(CompactBytes::new(k));
                    }
                }
            });
            if cursor == 0 {
                break;
            }
        }
        self.expire_cursor = cursor;
        let expired = doomed.len();
        for key in doomed {
            if self.dict.remove(&key).is_some() {
                self.expires -= 1;
                self.stats.expired_keys += 1;
            }
        }
        self.dict.rehash_some(1);
        (examined, expired)
    }

    /// Moves `key` (with its TTL) out of this database, for MOVE, COPY and RENAME.
    pub fn take(&mut self, key: &[u8], now_ms: u64) -> Option<Entry> {
        self.remove(key, now_ms)
    }

    /// Inserts a whole entry (value and TTL), replacing any existing key.
    pub fn put(&mut self, key: &[u8], entry: Entry, now_ms: u64) {
        let ttl = match entry.expire_at_ms() {
            Some(at) => TtlUpdate::At(at),
            None => TtlUpdate::Clear,
        };
        self.set(key, entry.value, ttl, now_ms);
    }

    /// Approximate bytes used by the dict's table and nodes, for INFO memory and MEMORY USAGE.
    pub fn table_bytes(&self) -> usize {
        self.dict.buckets() * std::mem::size_of::<usize>()
    }

    fn expire_if_needed(&mut self, key: &[u8], now_ms: u64) {
        if self.expires == 0 {
            return;
        }
        let expired = matches!(self.dict.get(key), Some(e) if e.is_expired(now_ms));
        if expired {
            self.dict.remove(key);
            self.expires -= 1;
            self.stats.expired_keys += 1;
        }
    }

    fn adjust_expires(&mut self, had: bool, has: bool) {
        match (had, has) {
            (false, true) => self.expires += 1,
            (true, false) => self.expires -= 1,
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lazy_expiry_hides_and_reclaims_keys() {
        let mut db = Db::new(KeyHasher::new());
        db.set(b"a", Value::string(b"1"), TtlUpdate::At(1000), 0);
        db.set(b"b", Value::string(b"2"), TtlUpdate::Clear, 0);
        assert_eq!(db.expires_count(), 1);
        assert!(db.lookup(b"a", 999).is_some());
        assert!(db.lookup(b"a", 1000).is_none());
        assert_eq!(db.len(), 1);
        assert_eq!(db.expires_count(), 0);
        assert_eq!(db.stats.expired_keys, 1);
    }

    #[test]
    fn overwrite_clears_or_keeps_ttl() {
        let mut db = Db::new(KeyHasher::new());
        db.set(b"a", Value::string(b"1"), TtlUpdate::At(5000), 0);
        db.set(b"a", Value::string(b"2"), TtlUpdate::Keep, 0);
        assert_eq!(db.lookup(b"a", 0).unwrap().expire_at_ms(), Some(5000));
        db.set(b"a", Value::string(b"3"), TtlUpdate::Clear, 0);
        assert_eq!(db.lookup(b"a", 0).unwrap().expire_at_ms(), None);
        assert_eq!(db.expires_count(), 0);
    }

    #[test]
    fn active_expire_reclaims_without_access() {
        let mut db = Db::new(KeyHasher::new());
        for i in 0..10_000 {
            let key = format!("k{i}");
            let ttl = if i % 2 == 0 { TtlUpdate::At(100) } else { TtlUpdate::At(10_000) };
            db.set(key.as_bytes(), Value::string(b"v"), ttl, 0);
        }
        let mut total = 0;
        for _ in 0..1000 {
            total += db.active_expire(200, 64).1;
        }
        assert_eq!(total, 5000);
        assert_eq!(db.len(), 5000);
        assert_eq!(db.expires_count(), 5000);
    }
}
