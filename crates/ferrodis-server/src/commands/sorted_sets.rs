//! SortedSet commands: ZADD, ZRANGE and its variants, ZPOPMIN, ZUNIONSTORE, ZSCAN ...
//!
//! Work in progress under issue 3.

use crate::spec::CommandSpec;

/// The sorted_sets commands.
pub static SPECS: &[CommandSpec] = &[];

/// Placeholder until the sorted-set family lands (issue 3): pops nothing.
pub(crate) fn zpop(
    _ctx: &mut crate::context::Ctx<'_>,
    _key: &[u8],
    _max: bool,
    _count: usize,
) -> Result<Option<Vec<(Vec<u8>, f64)>>, crate::errors::CommandError> {
    Ok(None)
}
