//! Set commands: SADD, SREM, SINTER, SPOP, SSCAN ...
//!
//! Work in progress under issue 3.

use crate::spec::CommandSpec;

/// The sets commands.
pub static SPECS: &[CommandSpec] = &[];
