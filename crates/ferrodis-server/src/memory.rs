//! Process memory and CPU figures for INFO: jemalloc's allocation statistics and /proc.

use tikv_jemalloc_ctl::{epoch, stats};

/// Bytes currently allocated through jemalloc (INFO `used_memory`).
pub fn allocated_bytes() -> u64 {
    let _ = epoch::advance();
    stats::allocated::read().map_or(0, |n| n as u64)
}

/// Turns jemalloc's background threads on or off (`jemalloc-bg-thread`, Redis's
/// `set_jemalloc_bg_thread`): with them, dirty pages freed by the server are returned to the
/// system over jemalloc's decay time even while no allocation happens. A jemalloc that
/// refuses (built without background-thread support) leaves things as they were.
pub fn set_background_thread(on: bool) {
    if let Err(e) = tikv_jemalloc_ctl::background_thread::write(on) {
        crate::log::verbose(&format!("jemalloc background_thread={on} refused: {e}"));
    }
}

/// Returns every arena's dirty pages to the system now (MEMORY PURGE; Redis's
/// `jemalloc_purge`: `arena.<MALLCTL_ARENAS_ALL>.purge`). False when jemalloc refused.
pub fn purge() -> bool {
    // This thread's cache first (Redis 7.2 does it before purging after a flush; it fails
    // harmlessly when the cache is disabled), then every arena.
    mallctl_void(b"thread.tcache.flush\0");
    mallctl_void(b"arena.4096.purge\0")
}

/// Runs a jemalloc control that takes and returns nothing; true on success.
fn mallctl_void(name: &[u8]) -> bool {
    assert_eq!(name.last(), Some(&0), "mallctl names are NUL-terminated");
    // SAFETY: `name` is NUL-terminated (checked above) and names a control that takes no
    // value and returns none, so every other argument is null, as jemalloc requires.
    #[allow(unsafe_code)]
    let rc = unsafe {
        tikv_jemalloc_sys::mallctl(
            name.as_ptr().cast(),
            std::ptr::null_mut(),
            std::ptr::null_mut(),
            std::ptr::null_mut(),
            0,
        )
    };
    rc == 0
}

/// Resident set size in bytes, from /proc/self/statm (INFO `used_memory_rss`).
pub fn rss_bytes() -> u64 {
    let Ok(statm) = std::fs::read_to_string("/proc/self/statm") else { return 0 };
    let pages: u64 = statm.split_whitespace().nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
    pages * 4096
}

/// User and system CPU seconds used by the process (INFO `used_cpu_user`, `used_cpu_sys`).
pub fn cpu_times() -> (f64, f64) {
    let Ok(stat) = std::fs::read_to_string("/proc/self/stat") else { return (0.0, 0.0) };
    // Fields after the command name, which is in parentheses and may contain spaces.
    let Some(rest) = stat.rfind(')').map(|i| &stat[i + 2..]) else { return (0.0, 0.0) };
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let ticks = 100.0;
    let utime: f64 = fields.get(11).and_then(|s| s.parse().ok()).unwrap_or(0.0);
    let stime: f64 = fields.get(12).and_then(|s| s.parse().ok()).unwrap_or(0.0);
    (utime / ticks, stime / ticks)
}
