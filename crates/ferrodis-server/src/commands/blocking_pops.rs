//! The blocking pops: BLPOP, BRPOP, BLMOVE, BRPOPLPUSH, BLMPOP (list group) and BZPOPMIN,
//! BZPOPMAX, BZMPOP (sorted-set group), after Redis 7.2's `src/t_list.c` and `src/t_zset.c`.
//!
//! Each handler tries its keys in argument order with the non-blocking operation of its
//! family ([`lists::pop_elements`], [`lists::lmove_once`], [`sorted_sets::zpop`]). When there
//! is nothing to serve it parks the client with [`Ctx::block`] (see `crate::blocking`); the
//! same handler runs again when one of the keys is written. Inside MULTI or a script
//! ([`Ctx::may_block`] false) it answers at once as its non-blocking form would.
//!
//! Timeouts are seconds as decimals (`0.5`), 0 meaning forever: `ERR timeout is not a float
//! or out of range`, `ERR timeout is negative`, `ERR timeout is out of range` (Redis's
//! `getTimeoutFromObjectOrReply`). A timeout answers a null array (RESP2 `*-1`, RESP3 `_`).
//!
//! When a parked client runs again, a key that now holds another type is passed over rather
//! than answered with WRONGTYPE, as Redis serves a blocked client only from a key of the
//! type it waits for (`serveClientsBlockedOnKey`).

use crate::args;
use crate::commands::{docs, lists, sorted_sets};
use crate::context::Ctx;
use crate::errors::CommandError;
use crate::spec::{acl, flags, keyflags, BeginSearch, CommandSpec, FindKeys, Group, KeySpec};
use bytes::Bytes;
use ferrodis_keyspace::num;
use ferrodis_keyspace::ValueType;
use ferrodis_resp::Reply;

/// Parses a blocking timeout in seconds into an absolute deadline in Unix milliseconds (0 =
/// wait forever), with Redis 7.2's errors.
pub fn parse_timeout(arg: &[u8], now_ms: u64) -> Result<u64, CommandError> {
    let secs = num::parse_f64(arg)
        .ok_or(CommandError::custom("ERR timeout is not a float or out of range"))?;
    let ms = (secs * 1000.0).ceil();
    if ms > i64::MAX as f64 {
        return Err(CommandError::custom("ERR timeout is out of range"));
    }
    if ms < 0.0 {
        return Err(CommandError::custom("ERR timeout is negative"));
    }
    let ms = ms as u64;
    if ms == 0 {
        return Ok(0);
    }
    match ms.checked_add(now_ms) {
        Some(deadline) if deadline <= i64::MAX as u64 => Ok(deadline),
        _ => Err(CommandError::custom("ERR timeout is out of range")),
    }
}

/// LEFT or RIGHT (BLMOVE's wherefrom/whereto): true for LEFT. Syntax error otherwise.
fn parse_end(arg: &[u8]) -> Result<bool, CommandError> {
    if args::is(arg, "left") {
        Ok(true)
    } else if args::is(arg, "right") {
        Ok(false)
    } else {
        Err(CommandError::Syntax)
    }
}

/// Whether `key` may serve this run. On a re-run of a parked client: only when it holds a
/// `wanted` value (Redis serves a blocked client only from a key of the type it waits for)
/// and the client is first in that key's line.
/// On a first run: always, except that a key of the wanted type which clients are already
/// waiting on is left to them, so a newcomer queues behind them (Redis serves the waiters
/// right after the write that fed the key, before the writer's next command); a key of
/// another type still answers WRONGTYPE. Inside MULTI or a script the key always serves.
fn may_serve(ctx: &mut Ctx<'_>, key: &[u8], wanted: ValueType) -> Result<bool, CommandError> {
    let now = ctx.now_ms;
    let reprocessing = ctx.is_reprocessing();
    let db_index = ctx.client.db;
    if !reprocessing && (!ctx.may_block() || !ctx.server.blocking.has_waiters(db_index, key)) {
        return Ok(true);
    }
    let holds_wanted = ctx.db(key)?.peek(key, now).is_some_and(|e| e.value.value_type() == wanted);
    if reprocessing {
        // Only from keys where this client is first in line: woken for another key, it must
        // not take an element that the first waiter of this key is about to be served.
        let id = ctx.client.id;
        Ok(holds_wanted && ctx.server.blocking.first_in_line(db_index, key, id))
    } else {
        Ok(!holds_wanted)
    }
}

/// Nothing to serve: park on `keys` when blocking is allowed. Either way the reply is what
/// Redis gives a non-blocking run (a null array); dispatch discards it when parked.
fn block_or_null(ctx: &mut Ctx<'_>, keys: &[Bytes], deadline_ms: u64) -> Reply {
    if ctx.may_block() {
        ctx.block(keys, deadline_ms);
    }
    Reply::NullArray
}

/// A score as a reply: a RESP3 double, a RESP2 bulk string in Redis 7.2's format.
fn score(value: f64) -> Reply {
    Reply::Double(value)
}

/// BLPOP and BRPOP: `[key, element]` from the first non-empty list, in argument order.
fn block_pop_list(ctx: &mut Ctx<'_>, argv: &[Bytes], left: bool) -> Result<Reply, CommandError> {
    let deadline = parse_timeout(&argv[argv.len() - 1], ctx.now_ms)?;
    let keys = &argv[1..argv.len() - 1];
    for key in keys {
        if !may_serve(ctx, key, ValueType::List)? {
            continue;
        }
        if let Some(mut popped) = lists::pop_elements(ctx, key, left, 1)? {
            if let Some(element) = popped.pop() {
                return Ok(Reply::Array(vec![Reply::bulk(key), Reply::Bulk(element.into())]));
            }
        }
    }
    Ok(block_or_null(ctx, keys, deadline))
}

/// BLPOP key [key ...] timeout
///
/// Two-element array `[key, element]` popped from the head of the first non-empty list;
/// blocks while all are empty; null array on timeout. Errors: WRONGTYPE, timeout errors.
pub fn blpop(ctx: &mut Ctx<'_>, argv: &[Bytes]) -> Result<Reply, CommandError> {
    block_pop_list(ctx, argv, true)
}

/// BRPOP key [key ...] timeout — as BLPOP, from the tail.
pub fn brpop(ctx: &mut Ctx<'_>, argv: &[Bytes]) -> Result<Reply, CommandError> {
    block_pop_list(ctx, argv, false)
}

/// BLMOVE and BRPOPLPUSH: the moved element, blocking while the source is empty.
fn block_move(
    ctx: &mut Ctx<'_>,
    argv: &[Bytes],
    from_left: bool,
    to_left: bool,
    timeout: &[u8],
) -> Result<Reply, CommandError> {
    let deadline = parse_timeout(timeout, ctx.now_ms)?;
    let (src, dst) = (&argv[1], &argv[2]);
    if may_serve(ctx, src, ValueType::List)? {
        if let Some(element) = lists::lmove_once(ctx, src, dst, from_left, to_left)? {
            return Ok(Reply::Bulk(element.into()));
        }
    }
    if ctx.may_block() {
        ctx.block(std::slice::from_ref(src), deadline);
        return Ok(Reply::NullArray);
    }
    // Inside MULTI or a script: LMOVE's answer for an empty source, a null bulk.
    Ok(Reply::Null)
}

/// BLMOVE source destination LEFT|RIGHT LEFT|RIGHT timeout
///
/// The element moved (bulk string); blocks while the source is empty; null array on
/// timeout. Errors: syntax (bad direction, checked before the timeout), WRONGTYPE for either
/// key (the destination is checked before anything is popped), timeout errors.
pub fn blmove(ctx: &mut Ctx<'_>, argv: &[Bytes]) -> Result<Reply, CommandError> {
    let from_left = parse_end(&argv[3])?;
    let to_left = parse_end(&argv[4])?;
    block_move(ctx, argv, from_left, to_left, &argv[5])
}

/// BRPOPLPUSH source destination timeout — BLMOVE source destination RIGHT LEFT timeout.
pub fn brpoplpush(ctx: &mut Ctx<'_>, argv: &[Bytes]) -> Result<Reply, CommandError> {
    block_move(ctx, argv, false, true, &argv[3])
}

/// BLMPOP timeout numkeys key [key ...] LEFT|RIGHT [COUNT count]
///
/// `[key, [element, ...]]` with up to `count` elements from the first non-empty list;
/// blocks while all are empty; null array on timeout. Errors: timeout errors (checked first),
/// then LMPOP's.
pub fn blmpop(ctx: &mut Ctx<'_>, argv: &[Bytes]) -> Result<Reply, CommandError> {
    let deadline = parse_timeout(&argv[1], ctx.now_ms)?;
    let args::Mpop { keys, first: left, count } = args::mpop(argv, 2, ["left", "right"])?;
    let keys = &argv[keys];
    for key in keys {
        if !may_serve(ctx, key, ValueType::List)? {
            continue;
        }
        if let Some(popped) = lists::pop_elements(ctx, key, left, count)? {
            let elements = popped.into_iter().map(|e| Reply::Bulk(e.into())).collect();
            return Ok(Reply::Array(vec![Reply::bulk(key), Reply::Array(elements)]));
        }
    }
    Ok(block_or_null(ctx, keys, deadline))
}

/// BZPOPMIN and BZPOPMAX: `[key, member, score]` from the first non-empty sorted set.
fn block_pop_zset(ctx: &mut Ctx<'_>, argv: &[Bytes], max: bool) -> Result<Reply, CommandError> {
    let deadline = parse_timeout(&argv[argv.len() - 1], ctx.now_ms)?;
    let keys = &argv[1..argv.len() - 1];
    for key in keys {
        if !may_serve(ctx, key, ValueType::ZSet)? {
            continue;
        }
        if let Some(mut popped) = sorted_sets::zpop(ctx, key, max, 1)? {
            if let Some((member, value)) = popped.pop() {
                return Ok(Reply::Array(vec![
                    Reply::bulk(key),
                    Reply::Bulk(member.into()),
                    score(value),
                ]));
            }
        }
    }
    Ok(block_or_null(ctx, keys, deadline))
}

/// BZPOPMIN key [key ...] timeout
///
/// `[key, member, score]` (score a RESP3 double) with the lowest score of the first non-empty
/// sorted set; blocks while all are empty; null array on timeout.
pub fn bzpopmin(ctx: &mut Ctx<'_>, argv: &[Bytes]) -> Result<Reply, CommandError> {
    block_pop_zset(ctx, argv, false)
}

/// BZPOPMAX key [key ...] timeout — as BZPOPMIN, with the highest score.
pub fn bzpopmax(ctx: &mut Ctx<'_>, argv: &[Bytes]) -> Result<Reply, CommandError> {
    block_pop_zset(ctx, argv, true)
}

/// BZMPOP timeout numkeys key [key ...] MIN|MAX [COUNT count]
///
/// `[key, [[member, score], ...]]` with up to `count` members from the first non-empty
/// sorted set; blocks while all are empty; null array on timeout.
pub fn bzmpop(ctx: &mut Ctx<'_>, argv: &[Bytes]) -> Result<Reply, CommandError> {
    let deadline = parse_timeout(&argv[1], ctx.now_ms)?;
    let args::Mpop { keys, first: min, count } = args::mpop(argv, 2, ["min", "max"])?;
    let keys = &argv[keys];
    for key in keys {
        if !may_serve(ctx, key, ValueType::ZSet)? {
            continue;
        }
        if let Some(popped) = sorted_sets::zpop(ctx, key, !min, count)? {
            let pairs = popped
                .into_iter()
                .map(|(m, s)| Reply::Array(vec![Reply::Bulk(m.into()), score(s)]))
                .collect();
            return Ok(Reply::Array(vec![Reply::bulk(key), Reply::Array(pairs)]));
        }
    }
    Ok(block_or_null(ctx, keys, deadline))
}

/// Keys from index 1 to the one before the timeout: BLPOP, BRPOP, BZPOPMIN, BZPOPMAX.
const KEYS_BEFORE_TIMEOUT: &[KeySpec] = &[KeySpec {
    flags: keyflags::RW | keyflags::ACCESS | keyflags::DELETE,
    notes: None,
    begin: BeginSearch::Index(1),
    find: FindKeys::Range { lastkey: -2, keystep: 1, limit: 0 },
}];

/// Source (popped from) and destination (pushed to): BLMOVE, BRPOPLPUSH.
const SOURCE_DESTINATION: &[KeySpec] = &[
    KeySpec::single(1, keyflags::RW | keyflags::ACCESS | keyflags::DELETE),
    KeySpec::single(2, keyflags::RW | keyflags::INSERT),
];

/// `numkeys` at index 2, the keys after it: BLMPOP, BZMPOP.
const NUMKEYS_AT_2: &[KeySpec] = &[KeySpec {
    flags: keyflags::RW | keyflags::ACCESS | keyflags::DELETE,
    notes: None,
    begin: BeginSearch::Index(2),
    find: FindKeys::Keynum { keynumidx: 0, firstkey: 1, keystep: 1 },
}];

/// The blocking pops (groups `list` and `sorted-set`). Flags are Redis 7.2's: no `noscript`
/// (7.2 lets scripts call them; they do not block there).
pub static SPECS: &[CommandSpec] = &[
    CommandSpec {
        name: "blpop",
        history: docs::TIMEOUT_DOUBLE_HISTORY,
        arguments: docs::BLOCKING_POP,
        arity: -3,
        flags: flags::WRITE | flags::BLOCKING,
        acl: acl::LIST | acl::SLOW | acl::BLOCKING,
        keys: KEYS_BEFORE_TIMEOUT,
        group: Group::List,
        since: "2.0.0",
        summary: "Removes and returns the first element in a list. Blocks until an element is available otherwise. Deletes the list if the last element was popped.",
        complexity: "O(N) where N is the number of provided keys.",
        handler: Some(blpop),
        ..CommandSpec::DEFAULT
    },
    CommandSpec {
        name: "brpop",
        history: docs::TIMEOUT_DOUBLE_HISTORY,
        arguments: docs::BLOCKING_POP,
        arity: -3,
        flags: flags::WRITE | flags::BLOCKING,
        acl: acl::LIST | acl::SLOW | acl::BLOCKING,
        keys: KEYS_BEFORE_TIMEOUT,
        group: Group::List,
        since: "2.0.0",
        summary: "Removes and returns the last element in a list. Blocks until an element is available otherwise. Deletes the list if the last element was popped.",
        complexity: "O(N) where N is the number of provided keys.",
        handler: Some(brpop),
        ..CommandSpec::DEFAULT
    },
    CommandSpec {
        name: "blmove",
        arguments: docs::BLMOVE,
        arity: 6,
        flags: flags::WRITE | flags::DENYOOM | flags::BLOCKING,
        acl: acl::LIST | acl::SLOW | acl::BLOCKING,
        keys: SOURCE_DESTINATION,
        group: Group::List,
        since: "6.2.0",
        summary: "Pops an element from a list, pushes it to another list and returns it. Blocks until an element is available otherwise. Deletes the list if the last element was moved.",
        complexity: "O(1)",
        handler: Some(blmove),
        ..CommandSpec::DEFAULT
    },
    CommandSpec {
        name: "brpoplpush",
        history: docs::TIMEOUT_DOUBLE_HISTORY,
        arguments: docs::BRPOPLPUSH,
        doc_flags: crate::spec::docflags::DEPRECATED,
        deprecated_since: Some("6.2.0"),
        replaced_by: Some("`BLMOVE` with the `RIGHT` and `LEFT` arguments"),
        arity: 4,
        flags: flags::WRITE | flags::DENYOOM | flags::BLOCKING,
        acl: acl::LIST | acl::SLOW | acl::BLOCKING,
        keys: SOURCE_DESTINATION,
        group: Group::List,
        since: "2.2.0",
        summary: "Pops an element from a list, pushes it to another list and returns it. Blocks until an element is available otherwise. Deletes the list if the last element was popped.",
        complexity: "O(1)",
        handler: Some(brpoplpush),
        ..CommandSpec::DEFAULT
    },
    CommandSpec {
        name: "blmpop",
        arguments: docs::BLMPOP,
        arity: -5,
        flags: flags::WRITE | flags::BLOCKING,
        acl: acl::LIST | acl::SLOW | acl::BLOCKING,
        keys: NUMKEYS_AT_2,
        group: Group::List,
        since: "7.0.0",
        summary: "Pops the first element from one of multiple lists. Blocks until an element is available otherwise. Deletes the list if the last element was popped.",
        complexity: "O(N+M) where N is the number of provided keys and M is the number of elements returned.",
        handler: Some(blmpop),
        ..CommandSpec::DEFAULT
    },
    CommandSpec {
        name: "bzpopmin",
        history: docs::TIMEOUT_DOUBLE_HISTORY,
        arguments: docs::BLOCKING_POP,
        arity: -3,
        flags: flags::WRITE | flags::BLOCKING | flags::FAST,
        acl: acl::SORTEDSET | acl::FAST | acl::BLOCKING,
        keys: KEYS_BEFORE_TIMEOUT,
        group: Group::SortedSet,
        since: "5.0.0",
        summary: "Removes and returns the member with the lowest score from one or more sorted sets. Blocks until a member is available otherwise. Deletes the sorted set if the last element was popped.",
        complexity: "O(log(N)) with N being the number of elements in the sorted set.",
        handler: Some(bzpopmin),
        ..CommandSpec::DEFAULT
    },
    CommandSpec {
        name: "bzpopmax",
        history: docs::TIMEOUT_DOUBLE_HISTORY,
        arguments: docs::BLOCKING_POP,
        arity: -3,
        flags: flags::WRITE | flags::BLOCKING | flags::FAST,
        acl: acl::SORTEDSET | acl::FAST | acl::BLOCKING,
        keys: KEYS_BEFORE_TIMEOUT,
        group: Group::SortedSet,
        since: "5.0.0",
        summary: "Removes and returns the member with the highest score from one or more sorted sets. Blocks until a member available otherwise. Deletes the sorted set if the last element was popped.",
        complexity: "O(log(N)) with N being the number of elements in the sorted set.",
        handler: Some(bzpopmax),
        ..CommandSpec::DEFAULT
    },
    CommandSpec {
        name: "bzmpop",
        arguments: docs::BZMPOP,
        arity: -5,
        flags: flags::WRITE | flags::BLOCKING,
        acl: acl::SORTEDSET | acl::SLOW | acl::BLOCKING,
        keys: NUMKEYS_AT_2,
        group: Group::SortedSet,
        since: "7.0.0",
        summary: "Removes and returns a member by score from one or more sorted sets. Blocks until a member is available otherwise. Deletes the sorted set if the last element was popped.",
        complexity: "O(K) + O(M*log(N)) where K is the number of provided keys, N being the number of elements in the sorted set, and M being the number of elements popped.",
        handler: Some(bzmpop),
        ..CommandSpec::DEFAULT
    },
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timeouts_follow_redis_72() {
        assert_eq!(parse_timeout(b"0", 1000).unwrap(), 0);
        assert_eq!(parse_timeout(b"0.0001", 1000).unwrap(), 1001); // ceil to 1 ms
        assert_eq!(parse_timeout(b"1.5", 1000).unwrap(), 2500);
        let err = |a: &[u8]| parse_timeout(a, 1000).unwrap_err().to_string();
        assert_eq!(err(b"-1"), "ERR timeout is negative");
        assert_eq!(err(b"-inf"), "ERR timeout is negative");
        assert_eq!(err(b"abc"), "ERR timeout is not a float or out of range");
        assert_eq!(err(b"nan"), "ERR timeout is not a float or out of range");
        assert_eq!(err(b"inf"), "ERR timeout is out of range");
        assert_eq!(err(b"1e300"), "ERR timeout is out of range");
        assert_eq!(err(b"0x7FFFFFFFFFFFFF"), "ERR timeout is out of range");
    }
}
