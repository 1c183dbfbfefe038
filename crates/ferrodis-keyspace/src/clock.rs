//! Time for the keyspace: Unix milliseconds from the system clock.
//!
//! Redis reads the clock once per command (`commandTimeSnapshot`) so a command sees one
//! consistent "now"; callers here do the same and pass `now_ms` down.

use std::cell::Cell;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

/// The current Unix time in milliseconds.
pub fn now_ms() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_millis() as u64)
}

/// The current Unix time in microseconds.
pub fn now_us() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_micros() as u64)
}

/// The Unix time in milliseconds at monotonic instant `at` (a command's start), without a
/// second clock read: derived from a per-thread pair (monotonic instant, Unix microseconds)
/// taken from the system clock at most every [`RESYNC`], so it agrees with [`now_ms`] read
/// at `at` (both round down). Between resyncs it follows the monotonic clock, so a wall-clock
/// step (NTP, `date -s`) shows up within [`RESYNC`]. An `at` before the pair (another
/// thread's older instant) resyncs too.
pub fn unix_ms_at(at: Instant) -> u64 {
    BASE.with(|base| {
        let (instant, us) = base.get();
        let us = match at.checked_duration_since(instant) {
            Some(d) if d < RESYNC => us + d.as_micros() as u64,
            _ => {
                let now = (Instant::now(), now_us());
                base.set(now);
                now.1.saturating_sub(now.0.saturating_duration_since(at).as_micros() as u64)
            }
        };
        us / 1000
    })
}

/// How long [`unix_ms_at`] follows the monotonic clock before reading the system clock again.
pub const RESYNC: Duration = Duration::from_millis(250);

thread_local! {
    static BASE: Cell<(Instant, u64)> = Cell::new((Instant::now(), now_us()));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unix_ms_at_follows_the_system_clock() {
        let at = Instant::now();
        let before = now_ms();
        let derived = unix_ms_at(at);
        let after = now_ms();
        assert!(before <= derived + 1 && derived <= after, "{before} <= {derived} <= {after}");
        std::thread::sleep(Duration::from_millis(30));
        let later = unix_ms_at(Instant::now());
        assert!((28..=60).contains(&(later - derived)), "advanced {} ms", later - derived);
        // Past the resync period the pair is taken again.
        std::thread::sleep(RESYNC + Duration::from_millis(5));
        let resynced = unix_ms_at(Instant::now());
        assert!(now_ms().abs_diff(resynced) <= 2);
    }
}
