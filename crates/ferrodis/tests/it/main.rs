//! Integration tests: the real `ferrodis-server` binary on a free port, driven through raw
//! bytes, the `redis` crate (RESP2 and RESP3), redis-cli and redis-benchmark.
//!
//! Every test asserts what Redis 7.2 replies. Run them against a real Redis to check that:
//! `FERRODIS_IT_REFERENCE=/usr/bin/redis-server cargo test -p ferrodis --test it`
//! (see `support` for the few replies whose wording changed between 7.0 and 7.2).
//!
//! Layout: one module per area; `support` starts servers and holds the clients.

/// `assert_eq!` for reply bytes, printing both sides as escaped text rather than numbers.
macro_rules! assert_reply {
    ($got:expr, $want:expr $(,)?) => {
        $crate::support::check_bytes(&$got, &$want, format_args!(""))
    };
    ($got:expr, $want:expr, $($ctx:tt)+) => {
        $crate::support::check_bytes(&$got, &$want, format_args!($($ctx)+))
    };
}

mod atomicity;
mod auth;
mod blocking;
mod client_list;
mod command_docs;
mod command_info;
mod config_file;
mod dump_restore;
mod expiry;
mod functions;
mod geo;
mod hashes;
mod hyperloglog;
mod listeners;
mod lists;
mod lua_cves;
mod protocol;
mod pubsub;
mod redis72_details;
mod resp3;
mod script_shards;
mod scripting;
mod set_ifeq;
mod sets;
mod sort;
mod sorted_sets;
mod strings_keys;
mod support;
mod tools;
mod tracking;
mod transactions;
