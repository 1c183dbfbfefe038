//! Server-wide counters for INFO stats and errorstats, the slow log, the latency monitor and
//! the instantaneous-rate sampler.
//!
//! Counters are relaxed atomics bumped from every connection thread; INFO reads a snapshot.
//! Field names follow Redis 7.2's `genRedisInfoString`; the latency monitor follows
//! `src/latency.c` (160 samples per event, one per second, the maximum kept per second); the
//! sampler follows `trackInstantaneousMetric` (16 samples, 100 ms apart).

use crate::client::ClientState;
use crate::errors::CommandError;
use bytes::Bytes;
use parking_lot::Mutex;
use std::collections::{BTreeMap, VecDeque};
use std::sync::atomic::{AtomicU64, Ordering};

/// Server statistics.
#[derive(Debug, Default)]
pub struct Stats {
    /// `total_commands_processed` (striped: bumped by every command on every thread).
    pub commands_processed: crate::counter::StripedCounter,
    /// Changes since start (`rdb_changes_since_last_save`).
    pub dirty: crate::counter::StripedCounter,
    /// `total_net_input_bytes`.
    pub net_input_bytes: crate::counter::StripedCounter,
    /// `total_net_output_bytes`.
    pub net_output_bytes: crate::counter::StripedCounter,
    /// `total_error_replies`.
    pub error_replies: AtomicU64,
    /// Error counts by prefix (`errorstat_ERR:count=...`).
    pub errors: Mutex<BTreeMap<String, u64>>,
    /// Clients currently waiting for a CLIENT PAUSE to end (counted in `blocked_clients`).
    pub paused_clients: AtomicU64,
    /// Latency spikes by event (LATENCY LATEST/HISTORY).
    pub latency: LatencyMonitor,
    /// `instantaneous_*` rates.
    pub rates: RateSampler,
    /// DEBUG SET-ACTIVE-EXPIRE: false stops the active expire cycle (read by the cron).
    pub active_expire_disabled: std::sync::atomic::AtomicBool,
    /// Peak of `used_memory` seen by INFO (`used_memory_peak`).
    pub memory_peak: AtomicU64,
    /// CLIENT PAUSE end, Unix milliseconds (0 = not paused): the lock-free mirror of
    /// `Shared::pause` that dispatch checks on every command.
    pub pause_until_ms: AtomicU64,
    /// True when the current pause holds only writes (CLIENT PAUSE ... WRITE).
    pub pause_write_only: std::sync::atomic::AtomicBool,
    /// `client_output_buffer_limit_disconnections`.
    pub obuf_limit_disconnections: AtomicU64,
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

/// Samples per latency event (Redis's `LATENCY_TS_LEN`).
const LATENCY_TS_LEN: usize = 160;

/// One latency sample: Unix seconds and milliseconds.
#[derive(Debug, Clone, Copy, Default)]
pub struct LatencySample {
    pub time_secs: u64,
    pub latency_ms: u64,
}

/// The samples of one event.
#[derive(Debug, Clone, Default)]
pub struct LatencySeries {
    /// Ring of samples; `time_secs == 0` marks an empty slot.
    pub samples: Vec<LatencySample>,
    /// Next slot to write.
    pub idx: usize,
    /// Highest latency ever recorded for the event.
    pub max: u64,
}

impl LatencySeries {
    /// Non-empty samples, oldest first.
    pub fn history(&self) -> Vec<LatencySample> {
        let n = self.samples.len();
        (0..n).map(|j| self.samples[(self.idx + j) % n]).filter(|s| s.time_secs != 0).collect()
    }

    /// The newest sample.
    pub fn latest(&self) -> LatencySample {
        let n = self.samples.len();
        self.samples[(self.idx + n - 1) % n]
    }
}

/// The latency monitor: events whose duration reached `latency-monitor-threshold`.
#[derive(Debug, Default)]
pub struct LatencyMonitor {
    events: Mutex<BTreeMap<String, LatencySeries>>,
}

impl LatencyMonitor {
    /// Records `latency_ms` for `event` at `now_secs`; within the same second only the
    /// highest latency is kept (Redis's `latencyAddSample`).
    pub fn add(&self, event: &str, now_secs: u64, latency_ms: u64) {
        let mut events = self.events.lock();
        let series = events.entry(event.to_string()).or_insert_with(|| LatencySeries {
            samples: vec![LatencySample::default(); LATENCY_TS_LEN],
            idx: 0,
            max: 0,
        });
        series.max = series.max.max(latency_ms);
        let prev = (series.idx + LATENCY_TS_LEN - 1) % LATENCY_TS_LEN;
        if series.samples[prev].time_secs == now_secs {
            let s = &mut series.samples[prev];
            s.latency_ms = s.latency_ms.max(latency_ms);
            return;
        }
        series.samples[series.idx] = LatencySample { time_secs: now_secs, latency_ms };
        series.idx = (series.idx + 1) % LATENCY_TS_LEN;
    }

    /// Every event with its series, by name.
    pub fn snapshot(&self) -> Vec<(String, LatencySeries)> {
        self.events.lock().iter().map(|(k, v)| (k.clone(), v.clone())).collect()
    }

    /// One event's series.
    pub fn get(&self, event: &str) -> Option<LatencySeries> {
        self.events.lock().get(event).cloned()
    }

    /// Forgets the named events (all when `names` is empty); returns how many existed.
    pub fn reset(&self, names: &[String]) -> usize {
        let mut events = self.events.lock();
        if names.is_empty() {
            let n = events.len();
            events.clear();
            return n;
        }
        names.iter().filter(|n| events.remove(n.as_str()).is_some()).count()
    }
}

/// Samples kept per metric (Redis's `STATS_METRIC_SAMPLES`).
const RATE_SAMPLES: usize = 16;

/// Instantaneous rates from periodic samples of the running totals.
#[derive(Debug, Default)]
pub struct RateSampler {
    started: std::sync::atomic::AtomicBool,
    inner: Mutex<RateState>,
}

#[derive(Debug, Default)]
struct RateState {
    last: Option<(u64, [u64; 3])>,
    samples: Vec<[f64; 3]>,
    idx: usize,
}

impl RateSampler {
    /// True the first time it is called: the caller then starts the sampling task.
    pub fn claim_start(&self) -> bool {
        !self.started.swap(true, Ordering::AcqRel)
    }

    /// Feeds the current totals (commands, input bytes, output bytes) at `now_ms`.
    pub fn sample(&self, now_ms: u64, totals: [u64; 3]) {
        let mut st = self.inner.lock();
        if let Some((t, prev)) = st.last {
            let dt = now_ms.saturating_sub(t);
            if dt > 0 {
                let mut rate = [0.0; 3];
                for i in 0..3 {
                    rate[i] = totals[i].saturating_sub(prev[i]) as f64 * 1000.0 / dt as f64;
                }
                if st.samples.len() < RATE_SAMPLES {
                    st.samples.push(rate);
                } else {
                    let i = st.idx;
                    st.samples[i] = rate;
                }
                st.idx = (st.idx + 1) % RATE_SAMPLES;
            }
        }
        st.last = Some((now_ms, totals));
    }

    /// Average per-second rates of (commands, input bytes, output bytes).
    pub fn rates(&self) -> [f64; 3] {
        let st = self.inner.lock();
        if st.samples.is_empty() {
            return [0.0; 3];
        }
        let mut sum = [0.0; 3];
        for s in &st.samples {
            for i in 0..3 {
                sum[i] += s[i];
            }
        }
        sum.map(|x| x / st.samples.len() as f64)
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
    /// True when a command that took `duration_us` belongs in the log.
    pub fn wants(&self, duration_us: u64) -> bool {
        !self.disabled.load(Ordering::Relaxed)
            && duration_us >= self.threshold_us.load(Ordering::Relaxed)
    }

    /// Records a command that took `duration_us` if it passes the threshold.
    pub fn record(&self, duration_us: u64, argv: &[Bytes], client: &ClientState) {
        if !self.wants(duration_us) {
            return;
        }
        let mut args: Vec<Bytes> = Vec::new();
        let shown = argv.len().min(SLOWLOG_ENTRY_MAX_ARGC);
        for (i, a) in argv.iter().take(shown).enumerate() {
            if shown < argv.len() && i == shown - 1 {
                args.push(Bytes::from(format!("... ({} more arguments)", argv.len() - shown + 1)));
            } else if a.len() > SLOWLOG_ENTRY_MAX_STRING {
                let mut s = a[..SLOWLOG_ENTRY_MAX_STRING].to_vec();
                s.extend_from_slice(
                    format!("... ({} more bytes)", a.len() - SLOWLOG_ENTRY_MAX_STRING).as_bytes(),
                );
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
            name: client
                .name
                .as_ref()
                .map(|n| String::from_utf8_lossy(n).into_owned())
                .unwrap_or_default(),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn latency_keeps_max_per_second_and_resets() {
        let m = LatencyMonitor::default();
        m.add("command", 100, 5);
        m.add("command", 100, 9);
        m.add("command", 100, 3);
        m.add("command", 101, 2);
        let s = m.get("command").map(|s| s.history()).unwrap_or_default();
        assert_eq!(s.len(), 2);
        assert_eq!((s[0].time_secs, s[0].latency_ms), (100, 9));
        assert_eq!(m.get("command").map(|s| s.max), Some(9));
        assert_eq!(m.reset(&["nope".into()]), 0);
        assert_eq!(m.reset(&[]), 1);
        assert!(m.snapshot().is_empty());
    }

    #[test]
    fn rates_average_samples() {
        let r = RateSampler::default();
        r.sample(1000, [0, 0, 0]);
        r.sample(1100, [10, 0, 0]);
        assert!((r.rates()[0] - 100.0).abs() < 1e-9);
    }
}
