//! The configuration values the running server reads on its hot paths.
//!
//! The config crate owns the full directive table (CONFIG GET/SET/REWRITE); this is the typed
//! snapshot of the directives Ferrodis enforces, refreshed whenever CONFIG SET changes one.
//! Units are in the field names.

use parking_lot::{Mutex, MutexGuard};
use std::cell::RefCell;
use std::rc::Rc;
use std::sync::atomic::{AtomicU64, Ordering};

/// Enforced settings, with Redis 7.2's defaults.
#[derive(Debug, Clone)]
pub struct Settings {
    /// `port` (0 disables TCP).
    pub port: u16,
    /// `bind` addresses; a leading `-` marks an address that may fail to bind.
    pub bind: Vec<String>,
    /// `unixsocket` path, if any.
    pub unixsocket: Option<String>,
    /// `unixsocketperm`, octal permission bits (0 = leave as created).
    pub unixsocketperm: u32,
    /// `protected-mode`.
    pub protected_mode: bool,
    /// `requirepass` (None = the default user needs no password).
    pub requirepass: Option<Vec<u8>>,
    /// `databases`.
    pub databases: usize,
    /// `timeout`: idle seconds before a client is closed (0 = never).
    pub timeout_secs: u64,
    /// `tcp-keepalive` seconds (0 = off).
    pub tcp_keepalive_secs: u64,
    /// `tcp-backlog`.
    pub tcp_backlog: u32,
    /// `maxclients`.
    pub maxclients: usize,
    /// `proto-max-bulk-len` bytes.
    pub proto_max_bulk_len: u64,
    /// `client-query-buffer-limit` bytes.
    pub client_query_buffer_limit: u64,
    /// `hz`: background task frequency per second.
    pub hz: u32,
    /// `enable-debug-command`: "no", "yes" or "local".
    pub enable_debug_command: String,
    /// `slowlog-log-slower-than` microseconds (negative disables).
    pub slowlog_log_slower_than_us: i64,
    /// `slowlog-max-len`.
    pub slowlog_max_len: u64,
    /// `latency-monitor-threshold` milliseconds (0 = off).
    pub latency_monitor_threshold_ms: u64,
    /// `active-expire-effort` (1..10).
    pub active_expire_effort: u32,
    /// `dir`: working directory.
    pub dir: String,
    /// `logfile` ("" = standard output).
    pub logfile: String,
    /// `loglevel`.
    pub loglevel: String,
    /// `pidfile`.
    pub pidfile: Option<String>,
    /// `daemonize`.
    pub daemonize: bool,
    /// `supervised`: "no", "systemd", "upstart" or "auto".
    pub supervised: String,
    /// `rename-command` pairs: (old, new or None to disable).
    pub renamed_commands: Vec<(String, Option<String>)>,
    /// The collection encoding thresholds (`*-max-listpack-*`, `set-max-intset-entries`,
    /// `list-compress-depth`, `hll-sparse-max-bytes`).
    pub encoding: ferrodis_keyspace::EncodingLimits,
    /// `client-output-buffer-limit` for the `normal`, `replica` and `pubsub` classes, in
    /// that order (hard bytes, soft bytes, soft seconds; 0 = no limit).
    pub client_output_buffer_limits: [ferrodis_config::ObufLimit; 3],
    /// `notify-keyspace-events` as a bit set of `ferrodis_config::notify` flags (0: off).
    pub notify_keyspace_events: u32,
    /// `tracking-table-max-keys` (0: no limit).
    pub tracking_table_max_keys: usize,
    /// `busy-reply-threshold` in milliseconds (0: scripts never become busy).
    pub busy_reply_threshold_ms: u64,
    /// `jemalloc-bg-thread`: jemalloc's background purging threads are on.
    pub jemalloc_bg_thread: bool,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            port: 6379,
            bind: vec!["127.0.0.1".into(), "-::1".into()],
            unixsocket: None,
            unixsocketperm: 0,
            protected_mode: true,
            requirepass: None,
            databases: 16,
            timeout_secs: 0,
            tcp_keepalive_secs: 300,
            tcp_backlog: 511,
            maxclients: 10_000,
            proto_max_bulk_len: 512 * 1024 * 1024,
            client_query_buffer_limit: 1024 * 1024 * 1024,
            hz: 10,
            enable_debug_command: "no".into(),
            slowlog_log_slower_than_us: 10_000,
            slowlog_max_len: 128,
            latency_monitor_threshold_ms: 0,
            active_expire_effort: 1,
            dir: ".".into(),
            logfile: String::new(),
            loglevel: "notice".into(),
            pidfile: None,
            daemonize: false,
            supervised: "no".into(),
            renamed_commands: Vec::new(),
            encoding: ferrodis_keyspace::EncodingLimits::default(),
            notify_keyspace_events: 0,
            tracking_table_max_keys: 1_000_000,
            busy_reply_threshold_ms: 5000,
            jemalloc_bg_thread: true,
            client_output_buffer_limits: [
                ferrodis_config::ObufLimit { hard_bytes: 0, soft_bytes: 0, soft_seconds: 0 },
                ferrodis_config::ObufLimit {
                    hard_bytes: 256 * 1024 * 1024,
                    soft_bytes: 64 * 1024 * 1024,
                    soft_seconds: 60,
                },
                ferrodis_config::ObufLimit {
                    hard_bytes: 32 * 1024 * 1024,
                    soft_bytes: 8 * 1024 * 1024,
                    soft_seconds: 60,
                },
            ],
        }
    }
}

/// The enforced settings, shared by every connection thread.
///
/// [`SettingsCell::read`] hands out the calling thread's own copy, refreshed when the
/// generation changed: a read is one atomic load that never writes a shared cache line (a
/// `RwLock` read would, on every batch of every thread, bouncing the lock's line between
/// cores). [`SettingsCell::write`] changes the settings under a mutex and bumps the
/// generation before releasing it, so a thread reads either the old copy or a fresh one.
#[derive(Debug)]
pub struct SettingsCell {
    /// Distinguishes cells (servers) in one process for the per-thread copy.
    id: u64,
    current: Mutex<Settings>,
    generation: AtomicU64,
}

/// The per-thread copy: (cell id, generation, settings).
type ThreadCopy = Option<(u64, u64, Rc<Settings>)>;

thread_local! {
    static COPY: RefCell<ThreadCopy> = const { RefCell::new(None) };
}

impl SettingsCell {
    /// A cell holding `settings`.
    pub fn new(settings: Settings) -> Self {
        static NEXT_ID: AtomicU64 = AtomicU64::new(1);
        SettingsCell {
            id: NEXT_ID.fetch_add(1, Ordering::Relaxed),
            current: Mutex::new(settings),
            generation: AtomicU64::new(0),
        }
    }

    /// The current settings (this thread's copy; cheap to call per command).
    pub fn read(&self) -> Rc<Settings> {
        let generation = self.generation.load(Ordering::Acquire);
        COPY.with(|copy| {
            let mut copy = copy.borrow_mut();
            if let Some((id, g, settings)) = copy.as_ref() {
                if *id == self.id && *g == generation {
                    return Rc::clone(settings);
                }
            }
            let fresh = Rc::new(self.current.lock().clone());
            *copy = Some((self.id, generation, Rc::clone(&fresh)));
            fresh
        })
    }

    /// Exclusive access for a change (CONFIG SET, start-up); every thread sees the new
    /// values from its next [`Self::read`] once the guard is dropped.
    pub fn write(&self) -> SettingsWrite<'_> {
        SettingsWrite { guard: self.current.lock(), generation: &self.generation }
    }
}

/// A change in progress (see [`SettingsCell::write`]).
pub struct SettingsWrite<'a> {
    guard: MutexGuard<'a, Settings>,
    generation: &'a AtomicU64,
}

impl std::ops::Deref for SettingsWrite<'_> {
    type Target = Settings;
    fn deref(&self) -> &Settings {
        &self.guard
    }
}

impl std::ops::DerefMut for SettingsWrite<'_> {
    fn deref_mut(&mut self) -> &mut Settings {
        &mut self.guard
    }
}

impl Drop for SettingsWrite<'_> {
    fn drop(&mut self) {
        // Still under the mutex: a reader that sees the new generation waits for the lock
        // and copies the finished settings.
        self.generation.fetch_add(1, Ordering::AcqRel);
    }
}

#[cfg(test)]
mod cell_tests {
    use super::*;

    #[test]
    fn readers_see_writes_from_their_next_read() {
        let cell = SettingsCell::new(Settings::default());
        let before = cell.read();
        cell.write().maxclients = 7;
        assert_ne!(before.maxclients, 7, "a copy taken before the write keeps its values");
        assert_eq!(cell.read().maxclients, 7);
        let other = std::thread::scope(|s| s.spawn(|| cell.read().maxclients).join().unwrap());
        assert_eq!(other, 7);
        // A second cell in the same thread does not reuse the first one's copy.
        let second = SettingsCell::new(Settings::default());
        assert_ne!(second.read().maxclients, 7);
        assert_eq!(cell.read().maxclients, 7);
    }
}
