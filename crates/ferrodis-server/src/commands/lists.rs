//! List commands: LPUSH, LPOP, LRANGE, LMOVE ... (the blocking forms live in `blocking`)
//!
//! Work in progress under issue 3.

use crate::spec::CommandSpec;

/// The lists commands.
pub static SPECS: &[CommandSpec] = &[];
