//! Hyperloglog commands: PFADD, PFCOUNT, PFMERGE
//!
//! Work in progress under issue 3.

use crate::spec::CommandSpec;

/// The hyperloglog commands.
pub static SPECS: &[CommandSpec] = &[];
