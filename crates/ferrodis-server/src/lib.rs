//! The Ferrodis server: networking, connections, the command table and the command families.
//!
//! How a command flows (docs/ARCHITECTURE.md has the picture):
//!
//! 1. [`server`] accepts a TCP or Unix connection and spawns [`connection::serve`] on the
//!    multi-threaded runtime.
//! 2. The connection reads into its buffer; `ferrodis_resp::RequestParser` decodes every
//!    complete request (multibulk or inline).
//! 3. [`dispatch::execute`] resolves the command in the [`table`], checks arity and
//!    authentication from its [`spec`], locks the keyspace shards holding its keys, and calls
//!    the handler from [`commands`] with a [`context::Ctx`].
//! 4. The handler parses its arguments, acts on `ferrodis_keyspace` databases, and returns a
//!    `Reply` by meaning.
//! 5. The connection encodes each reply for the client's RESP version and writes the whole
//!    batch with one write.

// The Lua 5.1 library mlua calls (mlua-sys's `external` feature): lua-src's sources with
// our CVE patches, built by ferrodis-lua-sys. Named here so that it is part of the link.
use ferrodis_lua_sys as _;

pub mod args;
pub mod blocking;
pub mod client;
pub mod commands;
pub mod config_bridge;
pub mod connection;
pub mod context;
pub mod counter;
pub mod dispatch;
pub mod errors;
pub mod harness;
pub mod info;
pub mod log;
pub mod lookahead;
pub mod memory;
pub mod multi;
pub mod notify;
pub mod process;
pub mod pubsub;
pub mod script_locks;
pub mod scripting;
pub mod server;
pub mod settings;
pub mod spec;
pub mod stats;
pub mod table;
pub mod tracking;
pub mod util;
