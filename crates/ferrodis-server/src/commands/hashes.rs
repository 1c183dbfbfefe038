//! Hash commands: HSET, HGET, HGETALL, HINCRBY, HRANDFIELD, HSCAN ...
//!
//! Work in progress under issue 3.

use crate::spec::CommandSpec;

/// The hashes commands.
pub static SPECS: &[CommandSpec] = &[];
