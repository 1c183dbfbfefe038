//! The command table: every family's specs, indexed by name, with per-command statistics.
//!
//! Built once at start-up from each family's `SPECS`, after applying `rename-command`. Runtime
//! data (call counts, time spent) lives in a parallel array indexed by the entry id, never in
//! the spec, as Redis separates declarative and runtime fields of `struct redisCommand`.

use crate::counter::{stripe, StripedCounter, STRIPES};
use crate::spec::CommandSpec;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// FNV-1a for command names: a fixed set of short, server-chosen keys, so a keyed hash buys
/// nothing on this lookup, which every command pays.
#[derive(Default)]
pub struct NameHasher(u64);

impl Hasher for NameHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut h = if self.0 == 0 { 0xcbf2_9ce4_8422_2325 } else { self.0 };
        for &b in bytes {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        self.0 = h;
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

/// A map keyed by lower-case command names.
pub type NameMap<V> = HashMap<Vec<u8>, V, BuildHasherDefault<NameHasher>>;
use std::sync::atomic::{AtomicU64, Ordering};

/// Runtime counters of one command (INFO commandstats), striped per thread (see
/// [`crate::counter`]).
#[derive(Debug, Default)]
pub struct CommandStats {
    /// Executions.
    pub calls: StripedCounter,
    /// Microseconds spent executing.
    pub usec: StripedCounter,
    /// Calls refused before execution (arity, auth, ...).
    pub rejected_calls: StripedCounter,
    /// Executions that replied with an error.
    pub failed_calls: StripedCounter,
    /// Execution-time distribution (INFO latencystats, LATENCY HISTOGRAM).
    pub latency: LatencyHistogram,
}

/// A lock-free log-linear histogram of durations in nanoseconds: eight linear sub-buckets per
/// power of two (about 12% relative precision), allocated on the first sample so commands
/// never called cost nothing. Stands in for Redis's `hdr_histogram` per command.
#[derive(Debug, Default)]
pub struct LatencyHistogram {
    /// One bucket array per thread stripe, allocated on that stripe's first sample.
    buckets: [std::sync::OnceLock<Box<[AtomicU64]>>; STRIPES],
}

/// Sub-buckets per power of two, as a power of two.
const SUB_BITS: u32 = 3;
/// Number of buckets: enough for durations up to 2^48 ns (about three days).
const BUCKETS: usize = ((48 - SUB_BITS as usize) + 1) << SUB_BITS;

impl LatencyHistogram {
    fn index(ns: u64) -> usize {
        let ns = ns.max(1);
        let exp = 63 - ns.leading_zeros();
        if exp < SUB_BITS {
            return ns as usize;
        }
        let sub = (ns >> (exp - SUB_BITS)) & ((1 << SUB_BITS) - 1);
        (((exp - SUB_BITS + 1) << SUB_BITS) as usize + sub as usize).min(BUCKETS - 1)
    }

    /// The highest duration (ns) that falls in bucket `i`.
    fn upper(i: usize) -> u64 {
        let sub_count = 1usize << SUB_BITS;
        if i < sub_count {
            return i as u64;
        }
        let exp = (i >> SUB_BITS) as u32 - 1 + SUB_BITS;
        let sub = (i & (sub_count - 1)) as u64;
        let width = 1u64 << (exp - SUB_BITS);
        (1u64 << exp) + (sub + 1) * width - 1
    }

    /// Records one duration.
    pub fn record(&self, ns: u64) {
        let buckets = self.buckets[stripe()]
            .get_or_init(|| (0..BUCKETS).map(|_| AtomicU64::new(0)).collect());
        buckets[Self::index(ns)].fetch_add(1, Ordering::Relaxed);
    }

    /// `(upper bound in ns, count)` of every non-empty bucket, ascending.
    pub fn snapshot(&self) -> Vec<(u64, u64)> {
        let mut sums = vec![0u64; BUCKETS];
        let mut any = false;
        for stripe in &self.buckets {
            if let Some(buckets) = stripe.get() {
                any = true;
                for (sum, b) in sums.iter_mut().zip(buckets.iter()) {
                    *sum += b.load(Ordering::Relaxed);
                }
            }
        }
        if !any {
            return Vec::new();
        }
        sums.into_iter()
            .enumerate()
            .filter(|&(_, n)| n > 0)
            .map(|(i, n)| (Self::upper(i), n))
            .collect()
    }

    /// The duration (ns) at or below which `pct` percent of the samples fall; `None` when
    /// empty.
    pub fn percentile(snapshot: &[(u64, u64)], pct: f64) -> Option<u64> {
        let total: u64 = snapshot.iter().map(|(_, n)| n).sum();
        if total == 0 {
            return None;
        }
        let wanted = ((pct / 100.0) * total as f64).ceil().max(1.0) as u64;
        let mut seen = 0;
        for &(upper, n) in snapshot {
            seen += n;
            if seen >= wanted {
                return Some(upper);
            }
        }
        snapshot.last().map(|(u, _)| *u)
    }

    /// Forgets every sample (CONFIG RESETSTAT).
    pub fn reset(&self) {
        for stripe in &self.buckets {
            if let Some(buckets) = stripe.get() {
                for b in buckets.iter() {
                    b.store(0, Ordering::Relaxed);
                }
            }
        }
    }
}

impl CommandStats {
    /// Zeroes the counters (CONFIG RESETSTAT).
    pub fn reset(&self) {
        self.calls.store(0, Ordering::Relaxed);
        self.usec.store(0, Ordering::Relaxed);
        self.rejected_calls.store(0, Ordering::Relaxed);
        self.failed_calls.store(0, Ordering::Relaxed);
        self.latency.reset();
    }
}

/// A command or subcommand in the table.
#[derive(Debug)]
pub struct Entry {
    /// The declaration.
    pub spec: &'static CommandSpec,
    /// Full name: `get`, or `config|get` for a subcommand.
    pub fullname: String,
    /// Index into [`CommandTable::stats`].
    pub id: usize,
    /// Subcommands by lowercase name.
    pub subcommands: NameMap<Entry>,
}

/// A command name of at most [`SHORT_NAME_MAX`] bytes, lower-cased and packed with its
/// length into one integer: the key of the fast lookup path.
fn short_key(name: &[u8]) -> Option<u128> {
    if name.len() > SHORT_NAME_MAX {
        return None;
    }
    // Shifted into registers byte by byte: copying a variable length into a stack buffer
    // and reading it back as one word stalls on store forwarding.
    let mut key = (name.len() as u128) << 120;
    for (i, &b) in name.iter().enumerate() {
        key |= u128::from(b.to_ascii_lowercase()) << (8 * i);
    }
    Some(key)
}

/// Longest name [`short_key`] packs (the 16th byte holds the length).
const SHORT_NAME_MAX: usize = 15;

/// Hashes a packed short name with one multiply per half.
#[derive(Default)]
pub struct ShortNameHasher(u64);

impl Hasher for ShortNameHasher {
    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut w = [0u8; 8];
            w[..chunk.len()].copy_from_slice(chunk);
            self.write_u64(u64::from_le_bytes(w));
        }
    }

    fn write_u128(&mut self, v: u128) {
        self.write_u64(v as u64);
        self.write_u64((v >> 64) as u64);
    }

    fn write_u64(&mut self, v: u64) {
        self.0 = (self.0 ^ v).wrapping_mul(0x9e37_79b9_7f4a_7c15).rotate_left(26);
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

/// All commands, by lowercase name (after renames).
#[derive(Debug)]
pub struct CommandTable {
    /// Top-level entries, named by `by_name` and `by_short_name`.
    entries: Vec<Entry>,
    by_name: NameMap<usize>,
    /// The same names when [`short_key`] packs them: the lookup every request makes,
    /// without hashing bytes one by one.
    by_short_name: HashMap<u128, usize, BuildHasherDefault<ShortNameHasher>>,
    /// Counters, indexed by [`Entry::id`].
    pub stats: Vec<CommandStats>,
    /// Full names, indexed by [`Entry::id`].
    pub fullnames: Vec<String>,
}

impl CommandTable {
    /// Builds the table from `specs`, applying `renames` (`(old, Some(new))` renames,
    /// `(old, None)` disables). Unknown names in `renames` are returned as an error, as Redis
    /// refuses to start on them.
    pub fn new(
        specs: impl IntoIterator<Item = &'static CommandSpec>,
        renames: &[(String, Option<String>)],
    ) -> Result<CommandTable, String> {
        let mut fullnames = Vec::new();
        let mut entries = Vec::new();
        let mut by_name = NameMap::default();
        for spec in specs {
            entries.push(Self::entry(spec, None, &mut fullnames));
            by_name.insert(spec.name.as_bytes().to_vec(), entries.len() - 1);
        }
        for (old, new) in renames {
            let key = old.to_ascii_lowercase().into_bytes();
            let Some(index) = by_name.remove(&key) else {
                return Err(format!("No such command in rename-command: {old}"));
            };
            if let Some(new) = new {
                by_name.insert(new.to_ascii_lowercase().into_bytes(), index);
            }
        }
        let by_short_name = by_name
            .iter()
            .filter_map(|(name, &index)| short_key(name).map(|key| (key, index)))
            .collect();
        let stats = fullnames.iter().map(|_| CommandStats::default()).collect();
        Ok(CommandTable { entries, by_name, by_short_name, stats, fullnames })
    }

    fn entry(spec: &'static CommandSpec, parent: Option<&str>, names: &mut Vec<String>) -> Entry {
        let fullname = match parent {
            Some(p) => format!("{p}|{}", spec.name),
            None => spec.name.to_string(),
        };
        let id = names.len();
        names.push(fullname.clone());
        let subcommands = spec
            .subcommands
            .iter()
            .map(|sub| (sub.name.as_bytes().to_vec(), Self::entry(sub, Some(&fullname), names)))
            .collect();
        Entry { spec, fullname, id, subcommands }
    }

    /// Looks a command up by name, case-insensitively.
    pub fn get(&self, name: &[u8]) -> Option<&Entry> {
        let index = match short_key(name) {
            Some(key) => self.by_short_name.get(&key),
            None => self.by_name.get(&name.to_ascii_lowercase()),
        };
        index.map(|&i| &self.entries[i])
    }

    /// Every top-level command, sorted by name.
    pub fn commands(&self) -> Vec<(&[u8], &Entry)> {
        let mut all: Vec<_> =
            self.by_name.iter().map(|(k, &i)| (k.as_slice(), &self.entries[i])).collect();
        all.sort_by(|a, b| a.0.cmp(b.0));
        all
    }

    /// Number of top-level commands.
    pub fn len(&self) -> usize {
        self.by_name.len()
    }

    /// True when the table is empty.
    pub fn is_empty(&self) -> bool {
        self.by_name.is_empty()
    }

    /// Looks an entry up by full name: `get`, or `config|get` for a subcommand (COMMAND INFO
    /// and DOCS accept both forms).
    pub fn by_fullname(&self, name: &[u8]) -> Option<&Entry> {
        let lower = name.to_ascii_lowercase();
        match lower.iter().position(|&c| c == b'|') {
            None => self.get(&lower),
            Some(bar) => self.get(&lower[..bar])?.subcommands.get(&lower[bar + 1..]),
        }
    }

    /// Resolves argv to the entry that handles it (a subcommand when the command is a
    /// container and argv names one). `None` when argv names no known command.
    pub fn resolve(&self, argv: &[bytes::Bytes]) -> Option<&Entry> {
        let entry = self.get(argv.first()?)?;
        if entry.subcommands.is_empty() || argv.len() < 2 {
            return Some(entry);
        }
        entry.subcommands.get(&argv[1].to_ascii_lowercase()).or(Some(entry))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lookup_ignores_case_and_follows_renames_for_short_and_long_names() {
        let renames = vec![
            ("flushall".to_string(), Some("secret-flushall".to_string())),
            ("debug".to_string(), None),
            ("georadiusbymember_ro".to_string(), Some("GEO-BY-MEMBER-READONLY".to_string())),
        ];
        let table = CommandTable::new(crate::commands::all_specs(), &renames).unwrap();
        for name in [&b"GET"[..], b"get", b"GeT"] {
            assert_eq!(table.get(name).map(|e| e.fullname.as_str()), Some("get"));
        }
        // 15 bytes: the longest packed name; 20 bytes: the byte-hashed path.
        assert_eq!(table.get(b"SECRET-FLUSHALL").map(|e| e.spec.name), Some("flushall"));
        assert_eq!(
            table.get(b"geo-by-member-readonly").map(|e| e.spec.name),
            Some("georadiusbymember_ro")
        );
        assert_eq!(table.get(b"ZRANGEBYSCORE").map(|e| e.spec.name), Some("zrangebyscore"));
        assert_eq!(table.get(b"GEORADIUS_RO").map(|e| e.spec.name), Some("georadius_ro"));
        for missing in
            [&b"flushall"[..], b"debug", b"georadiusbymember_ro", b"", b"ge", b"get\0", b"gett"]
        {
            assert!(table.get(missing).is_none(), "{}", String::from_utf8_lossy(missing));
        }
        assert!(table.commands().iter().any(|(name, _)| *name == b"secret-flushall"));
        assert_eq!(table.len(), table.commands().len());
    }

    #[test]
    fn histogram_buckets_are_ordered_and_cover_values() {
        for ns in [1u64, 5, 7, 8, 9, 100, 1000, 1023, 1024, 123_456, 10_000_000_000] {
            let i = LatencyHistogram::index(ns);
            assert!(LatencyHistogram::upper(i) >= ns, "{ns}");
            if i > 0 {
                assert!(LatencyHistogram::upper(i - 1) < ns, "{ns}");
            }
        }
        let h = LatencyHistogram::default();
        for ns in 1..=100u64 {
            h.record(ns * 1000);
        }
        let snap = h.snapshot();
        let p50 = LatencyHistogram::percentile(&snap, 50.0).unwrap_or(0);
        assert!((45_000..=60_000).contains(&p50), "{p50}");
        assert_eq!(LatencyHistogram::percentile(&[], 50.0), None);
    }
}
