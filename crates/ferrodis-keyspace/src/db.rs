//! One logical database: the dict of keys and their TTLs, with lazy and active expiry.
//!
//! Follows Redis's `src/db.c` (lookup, add, overwrite, delete) and `src/expire.c`. Every read
//! and write goes through [`Db::lookup`] / [`Db::lookup_mut`], which delete a key whose TTL has
//! passed before the caller sees it, so no command ever observes an expired key. Times are Unix
//! milliseconds.

use crate::bytes::CompactBytes;
use crate::dict::{Dict, KeyHasher};
use crate::value::Value;

/// Bit set in [`Entry`]'s metadata word when it holds an exact expiry time and no LRU clock.
const FAR_FLAG: u64 = 1 << 63;
/// Width of the LRU clock kept with an entry: seconds, wrapping every 2^23 s (97 days).
const LRU_BITS: u32 = 23;
/// Mask of the LRU clock.
const LRU_MASK: u64 = (1 << LRU_BITS) - 1;
/// Position of the LRU clock in the metadata word; the bits below it hold the expiry offset.
const LRU_SHIFT: u32 = 40;
/// Mask of the expiry offset (0 = no TTL; otherwise 1 + milliseconds since [`NEAR_BASE_MS`]).
const OFFSET_MASK: u64 = (1 << LRU_SHIFT) - 1;
/// Origin of the compact expiry encoding: 2024-01-01T00:00:00Z in Unix milliseconds. Expiry
/// times from here to about 2058 share the word with the LRU clock.
const NEAR_BASE_MS: u64 = 1_704_067_200_000;

/// The LRU clock for `now_ms`: Unix seconds modulo 2^23 (Redis's `LRU_CLOCK()` with its one
/// second resolution).
#[inline]
pub fn lru_clock(now_ms: u64) -> u64 {
    (now_ms / 1000) & LRU_MASK
}

/// A key's value, its absolute expiry time and its last access time.
///
/// The expiry time and the LRU clock share one `u64` so that a dict node stays at 64 bytes
/// (see the `entry_keeps_the_node_in_a_cache_line` test):
///
/// - bit 63 clear: bits 40..63 hold the LRU clock ([`lru_clock`]), bits 0..40 the expiry as
///   an offset from 2024-01-01 (0 = no TTL). This covers every key without a TTL and every TTL
///   ending before about 2058.
/// - bit 63 set: bits 0..63 hold the exact expiry time (any value Redis accepts, e.g.
///   `PEXPIREAT k 9223372036854770000`); such rare keys keep no LRU clock and report an idle
///   time of 0.
#[derive(Debug, Clone)]
pub struct Entry {
    /// The value.
    pub value: Value,
    /// Packed expiry time and LRU clock, as described above.
    meta: u64,
}

impl Entry {
    /// An entry without a TTL (its access time is set when it is stored).
    pub fn new(value: Value) -> Entry {
        Entry { value, meta: 0 }
    }

    /// The expiry time in Unix milliseconds, if the key has a TTL.
    #[inline]
    pub fn expire_at_ms(&self) -> Option<u64> {
        if self.meta & FAR_FLAG != 0 {
            return Some(self.meta & !FAR_FLAG);
        }
        let offset = self.meta & OFFSET_MASK;
        (offset != 0).then(|| NEAR_BASE_MS + offset - 1)
    }

    /// True when the key has a TTL that ended at or before `now_ms`.
    #[inline]
    pub fn is_expired(&self, now_ms: u64) -> bool {
        if self.meta & (FAR_FLAG | OFFSET_MASK) == 0 {
            return false;
        }
        matches!(self.expire_at_ms(), Some(at) if at <= now_ms)
    }

    /// Seconds since the key was last accessed (OBJECT IDLETIME), computed on the wrapping
    /// LRU clock as Redis's `estimateObjectIdleTime` does. 0 for keys with a far TTL.
    pub fn idle_secs(&self, now_ms: u64) -> u64 {
        if self.meta & FAR_FLAG != 0 {
            return 0;
        }
        let lru = (self.meta >> LRU_SHIFT) & LRU_MASK;
        lru_clock(now_ms).wrapping_sub(lru) & LRU_MASK
    }

    /// Records an access at `now_ms` (Redis's `val->lru = LRU_CLOCK()`).
    #[inline]
    pub fn touch(&mut self, now_ms: u64) {
        if self.meta & FAR_FLAG == 0 {
            self.meta = (self.meta & !(LRU_MASK << LRU_SHIFT)) | (lru_clock(now_ms) << LRU_SHIFT);
        }
    }

    /// Sets the expiry time (`None` removes it) and records an access at `now_ms`. Times are
    /// clamped to 1..=i64::MAX, the range Redis can store.
    fn set_expire_and_touch(&mut self, at: Option<u64>, now_ms: u64) {
        let lru = lru_clock(now_ms) << LRU_SHIFT;
        self.meta = match at {
            None => lru,
            Some(at) => {
                let at = at.clamp(1, i64::MAX as u64);
                match at.checked_sub(NEAR_BASE_MS) {
                    Some(d) if d < OFFSET_MASK => lru | (d + 1),
                    _ => FAR_FLAG | at,
                }
            }
        };
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

/// Keyspace events a database records for the server to publish (keyspace notifications,
/// `notify-keyspace-events`): the ones that happen inside the keyspace rather than in a
/// command handler. A bit set; see [`Db::set_event_log`].
pub mod events {
    /// A key was reclaimed because its TTL passed, lazily or by the active cycle
    /// (`expired`, class `x`).
    pub const EXPIRED: u8 = 1;
    /// A key was added to the database (`new`, class `n`; Redis's `dbAdd`).
    pub const NEW: u8 = 2;
    /// A read command looked up a key that does not exist (`keymiss`, class `m`).
    pub const KEY_MISS: u8 = 4;
}

/// One logical database (`SELECT` index).
pub struct Db {
    dict: Dict<Entry>,
    /// Number of keys that have a TTL (the `expires=` field of INFO keyspace).
    expires: usize,
    /// Where the active expire cycle resumes its walk of the dict.
    expire_cursor: u64,
    /// Which [`events`] to record (0: none, the usual case, costs one branch).
    event_mask: u8,
    /// Recorded events, oldest first, until [`Db::take_events`].
    event_log: Vec<(u8, CompactBytes)>,
    /// Counters for INFO.
    pub stats: DbStats,
}

impl Db {
    /// Creates an empty database.
    pub fn new(hasher: KeyHasher) -> Db {
        Db {
            dict: Dict::new(hasher),
            expires: 0,
            expire_cursor: 0,
            event_mask: 0,
            event_log: Vec::new(),
            stats: DbStats::default(),
        }
    }

    /// Chooses which [`events`] this database records from now on (a bit set; 0 stops
    /// recording and drops what was recorded).
    pub fn set_event_log(&mut self, mask: u8) {
        self.event_mask = mask;
        if mask == 0 {
            self.event_log = Vec::new();
        }
    }

    /// True when events were recorded since the last [`Db::take_events`].
    #[inline]
    pub fn has_events(&self) -> bool {
        !self.event_log.is_empty()
    }

    /// The recorded events, oldest first: `(event bit, key)`.
    pub fn take_events(&mut self) -> Vec<(u8, CompactBytes)> {
        std::mem::take(&mut self.event_log)
    }

    #[inline]
    fn record(&mut self, event: u8, key: &[u8]) {
        if self.event_mask & event != 0 {
            self.event_log.push((event, CompactBytes::new(key)));
        }
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

    /// The hash of `key` in this database's dict, for [`Db::prefetch_bucket`] and
    /// [`Db::prefetch_entry`].
    #[inline]
    pub fn key_hash(&self, key: &[u8]) -> u64 {
        self.dict.hash(key)
    }

    /// Batch prefetch, stage 1 for a key of hash `hash` ([`Db::key_hash`]): see
    /// [`crate::dict::Dict::prefetch_bucket`]. A hint; changes nothing.
    #[inline]
    pub fn prefetch_bucket(&self, hash: u64) {
        self.dict.prefetch_bucket(hash);
    }

    /// Batch prefetch, stage 2: see [`crate::dict::Dict::prefetch_entry`]. A hint; changes
    /// nothing.
    #[inline]
    pub fn prefetch_entry(&self, hash: u64) {
        self.dict.prefetch_entry(hash);
    }

    /// Batch prefetch, stage 3: see [`crate::dict::Dict::prefetch_next`]. A hint; changes
    /// nothing.
    #[inline]
    pub fn prefetch_next(&self, hash: u64, key: &[u8]) {
        self.dict.prefetch_next(hash, key);
    }

    /// Looks a key up for a write (Redis's `lookupKeyWrite`): deletes it first when it has
    /// expired, records the access, counts no hit or miss.
    pub fn lookup(&mut self, key: &[u8], now_ms: u64) -> Option<&Entry> {
        self.lookup_mut(key, now_ms).map(|e| &*e)
    }

    /// Looks a key up for a read command (Redis's `lookupKeyRead`): like [`Db::lookup`], and
    /// counts a keyspace hit or miss.
    pub fn lookup_read(&mut self, key: &[u8], now_ms: u64) -> Option<&Entry> {
        let hash = self.expire_if_needed(key, now_ms);
        match self.dict.get_mut_hashed(hash, key) {
            Some(entry) => {
                entry.touch(now_ms);
                self.stats.keyspace_hits += 1;
                Some(&*entry)
            }
            None => {
                self.stats.keyspace_misses += 1;
                if self.event_mask & events::KEY_MISS != 0 {
                    self.event_log.push((events::KEY_MISS, CompactBytes::new(key)));
                }
                None
            }
        }
    }

    /// Looks a key up for a read that must not change its access time (Redis's
    /// `LOOKUP_NOTOUCH`: EXISTS, TYPE, TTL, OBJECT ...); counts a keyspace hit or miss.
    pub fn lookup_read_notouch(&mut self, key: &[u8], now_ms: u64) -> Option<&Entry> {
        let hash = self.expire_if_needed(key, now_ms);
        let found = self.dict.get_hashed(hash, key);
        if found.is_some() {
            self.stats.keyspace_hits += 1;
        } else {
            self.stats.keyspace_misses += 1;
            if self.event_mask & events::KEY_MISS != 0 {
                self.event_log.push((events::KEY_MISS, CompactBytes::new(key)));
            }
        }
        found
    }

    /// Looks a key up without touching it or counting statistics (an expired key is still
    /// deleted and reported missing).
    pub fn peek(&mut self, key: &[u8], now_ms: u64) -> Option<&Entry> {
        let hash = self.expire_if_needed(key, now_ms);
        self.dict.get_hashed(hash, key)
    }

    /// Looks a key up for modification, deleting it first when it has expired; records the
    /// access.
    pub fn lookup_mut(&mut self, key: &[u8], now_ms: u64) -> Option<&mut Entry> {
        let hash = self.expire_if_needed(key, now_ms);
        let entry = self.dict.get_mut_hashed(hash, key)?;
        entry.touch(now_ms);
        Some(entry)
    }

    /// [`Db::lookup_mut`], adding the key with the value `make` gives (and no TTL) when it is
    /// missing, hashing the key once either way (Redis's `lookupKeyWrite` then `dbAdd`, as
    /// LPUSH, HSET and ZADD do). The entry and whether it was added.
    pub fn lookup_mut_or_add(
        &mut self,
        key: &[u8],
        now_ms: u64,
        make: impl FnOnce() -> Value,
    ) -> (&mut Entry, bool) {
        let hash = self.expire_if_needed(key, now_ms);
        let added = self.dict.get_hashed(hash, key).is_none();
        if added {
            self.dict.insert_new_hashed(hash, CompactBytes::new(key), Entry::new(make()));
            self.record(events::NEW, key);
        }
        let Some(entry) = self.dict.get_mut_hashed(hash, key) else {
            unreachable!("the key is present: found or just inserted")
        };
        entry.touch(now_ms);
        (entry, added)
    }

    /// Looks a key up with no side effect at all: no lazy expiry, access time or statistics.
    /// For multi-key commands that already looked each key up (which expired and counted
    /// it) and then need shared references to several values at once (SINTER, SUNION ...).
    pub fn get(&self, key: &[u8]) -> Option<&Entry> {
        self.dict.get(key)
    }

    /// True when the key exists and has not expired (no access recorded, no statistics).
    pub fn exists(&mut self, key: &[u8], now_ms: u64) -> bool {
        self.peek(key, now_ms).is_some()
    }

    /// Sets `key` to `value`, creating or overwriting it, with the TTL handled by `ttl`.
    /// Records an access at `now_ms`.
    pub fn set(&mut self, key: &[u8], value: Value, ttl: TtlUpdate, now_ms: u64) {
        let hash = self.expire_if_needed(key, now_ms);
        if let Some(entry) = self.dict.get_mut_hashed(hash, key) {
            let old = entry.expire_at_ms();
            entry.value = value;
            let new = match ttl {
                TtlUpdate::Keep => old,
                TtlUpdate::Clear => None,
                TtlUpdate::At(at) => Some(at),
            };
            entry.set_expire_and_touch(new, now_ms);
            self.adjust_expires(old.is_some(), new.is_some());
            return;
        }
        let mut entry = Entry::new(value);
        let at = match ttl {
            TtlUpdate::At(at) => Some(at),
            TtlUpdate::Keep | TtlUpdate::Clear => None,
        };
        entry.set_expire_and_touch(at, now_ms);
        if at.is_some() {
            self.expires += 1;
        }
        self.dict.insert_new_hashed(hash, CompactBytes::new(key), entry);
        self.record(events::NEW, key);
    }

    /// Adds a key known to be absent (the caller looked it up in this command), without a
    /// TTL; its access time is the current clock.
    pub fn add(&mut self, key: &[u8], value: Value) {
        let mut entry = Entry::new(value);
        entry.touch(crate::clock::now_ms());
        self.dict.insert_new(CompactBytes::new(key), entry);
        self.record(events::NEW, key);
    }

    /// Deletes `key`; returns the entry if the key existed and had not expired.
    pub fn remove(&mut self, key: &[u8], now_ms: u64) -> Option<Entry> {
        let (_, entry) = self.dict.remove(key)?;
        if entry.expire_at_ms().is_some() {
            self.expires -= 1;
        }
        if entry.is_expired(now_ms) {
            self.stats.expired_keys += 1;
            self.record(events::EXPIRED, key);
            return None;
        }
        Some(entry)
    }

    /// Sets the TTL of an existing key to the absolute Unix time `at_ms`; returns false when
    /// the key does not exist.
    pub fn set_expire(&mut self, key: &[u8], at_ms: u64, now_ms: u64) -> bool {
        let Some(entry) = self.lookup_mut(key, now_ms) else {
            return false;
        };
        let had = entry.expire_at_ms().is_some();
        entry.set_expire_and_touch(Some(at_ms), now_ms);
        self.adjust_expires(had, true);
        true
    }

    /// Removes the TTL of `key`; returns true when it had one.
    pub fn persist(&mut self, key: &[u8], now_ms: u64) -> bool {
        let Some(entry) = self.lookup_mut(key, now_ms) else {
            return false;
        };
        if entry.expire_at_ms().is_none() {
            return false;
        }
        entry.set_expire_and_touch(None, now_ms);
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

    /// One SCAN step that also visits expired keys not yet reclaimed (the caller filters them;
    /// see [`crate::keyspace::scan_shards`]).
    pub fn scan_all(&self, cursor: u64, f: impl FnMut(&[u8], &Entry)) -> u64 {
        self.dict.scan(cursor, f)
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
            let _ = self.expire_if_needed(&key, now_ms);
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
                if e.expire_at_ms().is_some() {
                    examined += 1;
                    if e.is_expired(now_ms) {
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
                if self.event_mask & events::EXPIRED != 0 {
                    self.event_log.push((events::EXPIRED, key));
                }
            }
        }
        self.dict.rehash_some(1);
        (examined, expired)
    }

    /// Moves `key` (with its TTL) out of this database, for MOVE, COPY and RENAME.
    pub fn take(&mut self, key: &[u8], now_ms: u64) -> Option<Entry> {
        self.remove(key, now_ms)
    }

    /// Inserts a whole entry (value and TTL), replacing any existing key; records an access
    /// at `now_ms`.
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

    /// Deletes `key` if it has expired (lazy expiry); returns the key's hash for the lookup
    /// that follows, so a lookup hashes the key once.
    fn expire_if_needed(&mut self, key: &[u8], now_ms: u64) -> u64 {
        let hash = self.dict.hash(key);
        if self.expires == 0 {
            return hash;
        }
        let expired = matches!(self.dict.get_hashed(hash, key), Some(e) if e.is_expired(now_ms));
        if expired {
            self.dict.remove_hashed(hash, key);
            self.expires -= 1;
            self.stats.expired_keys += 1;
            self.record(events::EXPIRED, key);
        }
        hash
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
    fn lookup_mut_or_add_finds_creates_and_replaces_an_expired_key() {
        let mut db = Db::new(KeyHasher::new());
        let (entry, added) = db.lookup_mut_or_add(b"k", 10, || Value::string(b"new"));
        assert!(added);
        assert_eq!(entry.value.as_string(), Some(&b"new"[..]));
        entry.value = Value::string(b"changed");
        let (entry, added) = db.lookup_mut_or_add(b"k", 20, || Value::string(b"other"));
        assert!(!added);
        assert_eq!(entry.value.as_string(), Some(&b"changed"[..]));
        assert_eq!(db.len(), 1);
        // An expired key is reclaimed first, then created afresh without a TTL.
        db.set(b"t", Value::string(b"old"), TtlUpdate::At(100), 0);
        let (entry, added) = db.lookup_mut_or_add(b"t", 100, || Value::string(b"fresh"));
        assert!(added);
        assert_eq!(entry.value.as_string(), Some(&b"fresh"[..]));
        assert_eq!(entry.expire_at_ms(), None);
        assert_eq!(db.expires_count(), 0);
        assert_eq!(db.stats.expired_keys, 1);
        assert_eq!(db.len(), 2);
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
    fn event_log_records_only_enabled_events_in_order() {
        let mut db = Db::new(KeyHasher::new());
        let now = 1_000_000;
        // Off: nothing is recorded.
        db.set(b"a", Value::string(b"1"), TtlUpdate::At(now + 10), now);
        assert!(db.lookup_read(b"missing", now).is_none());
        assert!(!db.has_events());
        db.set_event_log(events::EXPIRED | events::NEW | events::KEY_MISS);
        db.set(b"b", Value::string(b"1"), TtlUpdate::Clear, now);
        db.set(b"b", Value::string(b"2"), TtlUpdate::Clear, now); // overwrite: not new
        assert!(db.lookup_read(b"a", now + 20).is_none()); // lazily expired, then a miss
        db.add(b"c", Value::string(b"3"));
        let log: Vec<(u8, Vec<u8>)> =
            db.take_events().into_iter().map(|(e, k)| (e, k.to_vec())).collect();
        assert_eq!(
            log,
            vec![
                (events::NEW, b"b".to_vec()),
                (events::EXPIRED, b"a".to_vec()),
                (events::KEY_MISS, b"a".to_vec()),
                (events::NEW, b"c".to_vec()),
            ]
        );
        // Only the expired class: the active cycle records what it reclaims.
        db.set_event_log(events::EXPIRED);
        db.set(b"d", Value::string(b"1"), TtlUpdate::At(now + 10), now);
        assert!(db.lookup_read(b"nothing", now).is_none());
        assert_eq!(db.active_expire(now + 20, 64), (1, 1));
        let log: Vec<(u8, Vec<u8>)> =
            db.take_events().into_iter().map(|(e, k)| (e, k.to_vec())).collect();
        assert_eq!(log, vec![(events::EXPIRED, b"d".to_vec())]);
        db.set_event_log(0);
        assert!(!db.has_events());
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
    #[test]
    fn entry_keeps_the_node_in_a_cache_line() {
        // A dict node is the next pointer, the key and the entry.
        assert_eq!(std::mem::size_of::<Entry>(), 32);
        let node = std::mem::size_of::<usize>()
            + std::mem::size_of::<CompactBytes>()
            + std::mem::size_of::<Entry>();
        assert!(node <= 64, "dict node grew to {node} bytes");
    }

    #[test]
    fn packed_expiry_is_exact_near_and_far() {
        let now = NEAR_BASE_MS + 5_000_000;
        for at in [
            1,
            999,
            NEAR_BASE_MS - 1,
            NEAR_BASE_MS,
            now + 1,
            NEAR_BASE_MS + OFFSET_MASK - 1,
            NEAR_BASE_MS + OFFSET_MASK,
            9_223_372_036_854_770_000,
            i64::MAX as u64,
        ] {
            let mut e = Entry::new(Value::string(b"v"));
            e.set_expire_and_touch(Some(at), now);
            assert_eq!(e.expire_at_ms(), Some(at), "expiry {at}");
            assert_eq!(e.is_expired(now), at <= now);
        }
        let mut e = Entry::new(Value::string(b"v"));
        e.set_expire_and_touch(Some(u64::MAX), now);
        assert_eq!(e.expire_at_ms(), Some(i64::MAX as u64));
        e.set_expire_and_touch(None, now);
        assert_eq!(e.expire_at_ms(), None);
        assert!(!e.is_expired(u64::MAX));
    }

    #[test]
    fn lru_clock_tracks_idle_time_and_wraps() {
        let t0 = NEAR_BASE_MS + 123_456;
        let mut db = Db::new(KeyHasher::new());
        db.set(b"a", Value::string(b"1"), TtlUpdate::Clear, t0);
        db.set(b"b", Value::string(b"1"), TtlUpdate::At(t0 + 86_400_000), t0);
        let later = t0 + 42_000;
        assert_eq!(db.peek(b"a", later).unwrap().idle_secs(later), 42);
        assert_eq!(db.lookup_read_notouch(b"b", later).unwrap().idle_secs(later), 42);
        assert_eq!(db.lookup_read(b"a", later).unwrap().idle_secs(later), 0);
        assert_eq!(db.peek(b"b", later).unwrap().expire_at_ms(), Some(t0 + 86_400_000));
        let wrapped = later + (LRU_MASK + 1 + 7) * 1000;
        assert_eq!(db.peek(b"a", wrapped).unwrap().idle_secs(wrapped), 7);
        assert_eq!(db.stats.keyspace_hits, 2);
    }
}
