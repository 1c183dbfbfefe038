//! Ferrodis's keyspace: databases, values and their encodings, and expiry.
//!
//! Synchronous and free of I/O: no sockets, no async, no protocol. The server crate calls in
//! with the shards it has locked and the time it read. Layout:
//!
//! - [`keyspace`]: the databases split into lockable shards.
//! - [`db`]: one database: lookup with lazy expiry, set, delete, TTLs, SCAN, active expiry.
//! - [`dict`]: the hash table (incremental rehash, reverse-binary SCAN cursor).
//! - [`value`]: value types and the encoding names OBJECT ENCODING reports.
//! - [`types`]: the collection types (list, hash, set, sorted set) and their encodings.
//! - [`listpack`]: the packed sequence behind small collections.
//! - [`limits`]: the encoding thresholds from redis.conf.
//! - [`bytes`]: compact inline byte strings for keys and short values.
//! - [`num`], [`glob`]: Redis's number parsing/formatting and glob matching rules.
//! - [`clock`]: Unix time in milliseconds.

pub mod bytes;
pub mod clock;
pub mod db;
pub mod dict;
pub mod glob;
pub mod keyspace;
pub mod limits;
pub mod listpack;
pub mod num;
pub mod types;
pub mod value;

pub use db::{Db, Entry, TtlUpdate};
pub use keyspace::{Keyspace, Shard};
pub use limits::EncodingLimits;
pub use value::{Value, ValueType};
