//! The Redis serialization protocol (RESP) as Ferrodis speaks it.
//!
//! This crate owns the bytes on the wire and nothing else: it knows no sockets, no keyspace
//! and no commands. It has three parts:
//!
//! - [`frame`]: decoding of client requests, both multibulk (`*2\r\n$3\r\nGET\r\n$1\r\nk\r\n`)
//!   and inline (`GET k\r\n`), incrementally and with Redis's limits and exact
//!   `Protocol error: ...` texts (after `processMultibulkBuffer` and `processInlineBuffer` in
//!   Redis's `src/networking.c`).
//! - [`reply`]: the semantic [`Reply`] a command handler returns (null, map, set, double, push,
//!   verbatim, ...). Handlers never mention a protocol version.
//! - [`encode`]: turning a [`Reply`] into RESP2 or RESP3 bytes for one connection, following the
//!   `addReply*` family of `src/networking.c` and <https://redis.io/docs/reference/protocol-spec/>.
//!
//! [`double`] formats doubles exactly as Redis 7.2 does in replies.

#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used))]

pub mod double;
pub mod encode;
pub mod frame;
pub mod reply;

pub use encode::{encode, RespVersion};
pub use frame::{FrameLimits, ProtocolError, RequestParser};
pub use reply::{BulkList, Reply};
