//! Server-wide counters for INFO stats and errorstats, and the slow log.
//!
//! Counters are relaxed atomics bumped from every connection thread; INFO reads a snapshot.
//! Field names follow Redis 7.2's `genRedisInfoString`.

use crate::client::ClientState;
use crate::errors::CommandError;
use bytes::Bytes;
use parking_lot::Mutex;
use std::collections::{BTreeMap, VecDeque};
use std::sync::atomic::{AtomicU64, Ordering};

/// Server statistics.
#[derive(Debug, Default)]
pub struct Stats {
    /// `total_commands_processed`.
    pub commands_processed: AtomicU64,
    /// Changes since start (`rdb_changes_since_last_save`).
    pub dirty: AtomicU64,
    /// `total_net_input_bytes`.
    pub net_input_bytes: AtomicU64,
    /// `total_net_output_bytes`.
    pub net_output_bytes: AtomicU64,
    /// `total_error_replies`.
    pub error_replies: AtomicU64,
    /// Error counts by prefix (`errorstat_ERR:count=...`).
    pub errors: Mutex<BTreeMap<String, u64>>,
}

/// Redis tracks at most this many distinct error prefixes (`ERROR_STATS_NUMBER`).
const MAX_ERROR_PREFIXES: usize = 128;

impl Stats {
    /// Counts an error reply by its prefix.
    pub fn record_error(&self, err: &CommandError) {
        self.record_error_text(&err.to_string());
    }

    /// Counts an error reply given its full text.
    pub fn record_error_text(&self, text: &str) {
        self.error_replies.fetch_add(1, Ordering::Relaxed);
        let prefix = text.split(' ').next().unwrap_or("ERR");
        let mut errors = self.errors.lock();
        if let Some(n) = errors.get_mut(prefix) {
            *n += 1;
        } else if errors.len() < MAX_ERROR_PREFIXES {
            errors.insert(prefix.to_string(), 1);
        }
    }

    /// Zeroes what CONFIG RESETSTAT resets.
    pub fn reset(&self) {
        self.commands_processed.store(0, Ordering::Relaxed);
        self.net_input_bytes.store(0, Ordering::Relaxed);
        self.net_output_bytes.store(0, Ordering::Relaxed);
        self.error_replies.store(0, Ordering::Relaxed);
        self.errors.lock().clear();
    }
}

/// One slow log entry (SLOWLOG GET shape: id, unix seconds, microseconds, argv, addr, name).
#[derive(Debug, Clone)]
pub struct SlowlogEntry {
    pub id: u64,
    pub time_secs: u64,
    pub duration_us: u64,
    pub argv: Vec<Bytes>,
    pub addr: String,
    pub name: String,
}

/// The slow log (`slowlog-log-slower-than` microseconds, `slowlog-max-len` entries), after
/// Redis's `src/slowlog.c`: at most 32 arguments, each cut to 128 bytes.
#[derive(Debug)]
pub struct Slowlog {
    /// Threshold in microseconds; negative disables the log; 0 logs everything.
    pub threshold_us: AtomicU64,
    /// True when the threshold is negative (disabled).
    pub disabled: std::sync::atomic::AtomicBool,
    /// Maximum length.
    pub max_len: AtomicU64,
    entries: Mutex<(u64, VecDeque<SlowlogEntry>)>,
}

impl Default for Slowlog {
    fn default() -> Self {
        Slowlog {
            threshold_us: AtomicU64::new(10_000),
            disabled: std::sync::atomic::AtomicBool::new(false),
            max_len: AtomicU64::new(128),
            entries: Mutex::new((0, VecDeque::new())),
        }
    }
}

const SLOWLOG_ENTRY_MAX_ARGC: usize = 32;
const SLOWLOG_ENTRY_MAX_STRING: usize = 128;

impl Slowlog {
    /// Records a command that took `duration_us` if it passes the threshold.
    pub fn record(&self, duration_us: u64, argv: &[Bytes], client: &ClientState) {
        if self.disabled.load(Ordering::Relaxed) || duration_us < self.threshold_us.load(Ordering::Relaxed) {
            return;
        }
        let mut args: Vec<Bytes> = Vec::new();
        let shown = argv.len().min(SLOWLOG_ENTRY_MAX_ARGC);
        for (i, a) in argv.iter().take(shown).enumerate() {
            if shown < argv.len() && i == shown - 1 {
                args.push(Bytes::from(format!("... ({} more arguments)", argv.len() - shown + 1)));
            } else if a.len() > SLOWLOG_ENTRY_MAX_STRING {
                let mut s = a[..SLOWLOG_ENTRY_MAX_STRING].to_vec();
                s.extend_from_slice(format!("... ({} more bytes)", a.len() - SLOWLOG_ENTRY_MAX_STRING).as_bytes());
                args.push(Bytes::from(s));
            } else {
                args.push(a.clone());
            }
        }
        let mut guard = self.entries.lock();
        let id = guard.0;
        guard.0 += 1;
        guard.1.push_front(SlowlogEntry {
            id,
            time_secs: ferrodis_keyspace::clock::now_ms() / 1000,
            duration_us,
            argv: args,
            addr: client.addr.clone(),
            name: client.name.as_ref().map(|n| String::from_utf8_lossy(n).into_owned()).unwrap_or_default(),
        });
        let max = self.max_len.load(Ordering::Relaxed) as usize;
        guard.1.truncate(max);
    }

    /// The newest `count` entries (all when `None`).
    pub fn get(&self, count: Option<usize>) -> Vec<SlowlogEntry> {
        let guard = self.entries.lock();
        let n = count.unwrap_or(guard.1.len()).min(guard.1.len());
        guard.1.iter().take(n).cloned().collect()
    }

    /// Number of entries.
    pub fn len(&self) -> usize {
        self.entries.lock().1.len()
    }

    /// True when empty.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Empties the log (ids keep increasing, as in Redis).
    pub fn reset(&self) {
        self.entries.lock().1.clear();
    }

    /// Applies new limits; a negative threshold disables logging.
    pub fn configure(&self, threshold_us: i64, max_len: u64) {
        self.disabled.store(threshold_us < 0, Ordering::Relaxed);
        self.threshold_us.store(threshold_us.max(0) as u64, Ordering::Relaxed);
        self.max_len.store(max_len, Ordering::Relaxed);
        self.entries.lock().1.truncate(max_len as usize);
    }
}
