//! Process memory and CPU figures for INFO: jemalloc's allocation statistics and /proc.

use tikv_jemalloc_ctl::{epoch, stats};

/// Bytes currently allocated through jemalloc (INFO `used_memory`).
pub fn allocated_bytes() -> u64 {
    let _ = epoch::advance();
    stats::allocated::read().map_or(0, |n| n as u64)
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
