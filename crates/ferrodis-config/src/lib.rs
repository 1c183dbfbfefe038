//! Ferrodis configuration: everything Redis 7.2's `config.c` does, as a
//! library.
//!
//! This crate owns:
//!
//! * [`table`]: the single declared table of every `redis.conf` directive
//!   (name, alias, type, bounds, default, Redis flags, and whether Ferrodis
//!   enforces it);
//! * [`parse`]: `redis.conf` syntax (`sdssplitargs()` quoting), `include`,
//!   the `redis-server [file] [-] [--name value ...]` argv conversion, and
//!   the exact `*** FATAL CONFIG FILE ERROR ***` reports;
//! * [`Config`]: current values with typed getters, `CONFIG GET` /
//!   `CONFIG SET` semantics and error texts, and `CONFIG REWRITE`.
//!
//! It performs no I/O besides reading config files (and stdin when asked),
//! checking that `dir` exists, and writing the config file on
//! [`Config::rewrite`]. Side effects of a change (listening on a new port,
//! `chdir()`, opening the log file, ...) are the server's job: it applies
//! the names listed in [`SetOutcome::changed`] and rolls back with
//! [`Config::rollback`] if that fails.
//!
//! ```
//! use ferrodis_config::{ArgvConfig, Config, LoadHooks, SetContext};
//!
//! let argv = ArgvConfig::from_args(&["--port", "6400", "--save", ""]);
//! let mut cfg = Config::load(&argv, &LoadHooks::default()).unwrap();
//! assert_eq!(cfg.port(), 6400);
//! assert_eq!(cfg.get_value("save").unwrap(), b"");
//!
//! let out = cfg.set(&[("maxmemory", "1mb")], &SetContext::default()).unwrap();
//! assert_eq!(out.changed, ["maxmemory"]);
//! assert_eq!(cfg.get_value("maxmemory").unwrap(), b"1048576");
//!
//! let err = cfg.set(&[("daemonize", "yes")], &SetContext::default()).unwrap_err();
//! assert_eq!(
//!     err.to_string(),
//!     "ERR CONFIG SET failed (possibly related to argument 'daemonize') - can't set immutable config"
//! );
//! ```

mod config;
mod cstr;
mod glob;
pub mod parse;
mod rewrite;
pub mod table;
mod value;

pub use config::{
    Config, LogLevel, ProtectedAction, SetContext, SetError, SetOutcome, Supervised, Unenforced,
};
pub use glob::fnmatch;
pub use parse::{
    ArgvConfig, CheckUserFn, CommandExistsFn, FatalConfigError, LoadError, LoadHooks, REDIS_VERSION,
};
pub use rewrite::{RewriteError, RewriteOptions, NO_CONFIG_FILE_ERROR, REWRITE_SIGNATURE};
pub use table::{is_sensitive, lookup, ConfigDef, Flags, Kind};
pub use value::ObufLimit;

/// The bits of `notify-keyspace-events` (Redis's `NOTIFY_*` in `server.h`), as
/// [`Config::notify_keyspace_events`] returns them.
pub mod notify {
    pub use crate::value::{
        NOTIFY_ALL, NOTIFY_EVICTED, NOTIFY_EXPIRED, NOTIFY_GENERIC, NOTIFY_HASH, NOTIFY_KEYEVENT,
        NOTIFY_KEYSPACE, NOTIFY_KEY_MISS, NOTIFY_LIST, NOTIFY_MODULE, NOTIFY_NEW, NOTIFY_SET,
        NOTIFY_STREAM, NOTIFY_STRING, NOTIFY_ZSET,
    };
}

#[cfg(test)]
mod tests;
