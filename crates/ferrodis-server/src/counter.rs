//! Statistics counters that many threads bump without sharing a cache line.
//!
//! Every command updates a handful of counters (INFO commandstats, `total_commands_processed`,
//! the latency histogram). With plain atomics, connection threads on different cores would
//! bounce the same cache line on every command. A [`StripedCounter`] gives each thread its
//! own padded slot and sums the slots when read, which is rare (INFO). The API mirrors
//! `AtomicU64` so call sites read the same.

use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};

/// Number of slots; threads beyond it share slots round-robin.
pub const STRIPES: usize = 8;

/// One cache line (128 bytes covers adjacent-line prefetching on x86).
#[derive(Debug, Default)]
#[repr(align(128))]
struct Slot(AtomicU64);

/// The slot of the calling thread, fixed on first use.
#[inline]
pub fn stripe() -> usize {
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    thread_local! {
        static STRIPE: usize = NEXT.fetch_add(1, Ordering::Relaxed) % STRIPES;
    }
    STRIPE.with(|s| *s)
}

/// A `u64` counter split into per-thread slots.
#[derive(Debug, Default)]
pub struct StripedCounter {
    slots: [Slot; STRIPES],
}

impl StripedCounter {
    /// Adds `n` in the calling thread's slot.
    #[inline]
    pub fn fetch_add(&self, n: u64, order: Ordering) {
        self.slots[stripe()].0.fetch_add(n, order);
    }

    /// Subtracts `n` in the calling thread's slot (the sum stays correct; slots may wrap).
    #[inline]
    pub fn fetch_sub(&self, n: u64, order: Ordering) {
        self.slots[stripe()].0.fetch_sub(n, order);
    }

    /// The sum over all slots.
    pub fn load(&self, order: Ordering) -> u64 {
        self.slots.iter().fold(0u64, |acc, s| acc.wrapping_add(s.0.load(order)))
    }

    /// Sets the counter to `value` (used to reset to 0).
    pub fn store(&self, value: u64, order: Ordering) {
        for (i, s) in self.slots.iter().enumerate() {
            s.0.store(if i == 0 { value } else { 0 }, order);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sums_across_threads() {
        let c = std::sync::Arc::new(StripedCounter::default());
        let handles: Vec<_> = (0..4)
            .map(|_| {
                let c = c.clone();
                std::thread::spawn(move || {
                    for _ in 0..1000 {
                        c.fetch_add(1, Ordering::Relaxed);
                    }
                })
            })
            .collect();
        for h in handles {
            h.join().unwrap();
        }
        assert_eq!(c.load(Ordering::Relaxed), 4000);
        c.store(0, Ordering::Relaxed);
        assert_eq!(c.load(Ordering::Relaxed), 0);
    }
}
