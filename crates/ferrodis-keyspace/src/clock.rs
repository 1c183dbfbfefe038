//! Time for the keyspace: Unix milliseconds from the system clock.
//!
//! Redis reads the clock once per command (`commandTimeSnapshot`) so a command sees one
//! consistent "now"; callers here do the same and pass `now_ms` down.

use std::time::{SystemTime, UNIX_EPOCH};

/// The current Unix time in milliseconds.
pub fn now_ms() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_millis() as u64)
}

/// The current Unix time in microseconds.
pub fn now_us() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_micros() as u64)
}
