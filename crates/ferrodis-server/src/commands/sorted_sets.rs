//! SortedSet commands: ZADD, ZRANGE and its variants, ZPOPMIN, ZUNIONSTORE, ZSCAN ...
//!
//! Work in progress under issue 3.

use crate::spec::CommandSpec;

/// The sorted_sets commands.
pub static SPECS: &[CommandSpec] = &[];
