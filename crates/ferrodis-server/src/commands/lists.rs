//! List commands: pushes and pops at both ends, ranges, LINDEX/LSET/LINSERT/LREM/LTRIM, LPOS,
//! LMOVE/RPOPLPUSH and LMPOP. The blocking forms (BLPOP, BRPOP, BLMOVE, BRPOPLPUSH, BLMPOP)
//! build on [`pop_elements`], [`lmove_once`] and [`parse_mpop`].
//!
//! Semantics follow the command pages under <https://redis.io/commands/> and Redis 7.2's
//! `src/t_list.c`, including the order in which it checks arguments, keys and types (LINDEX
//! and LSET look the key up before parsing the index; LPOP parses its count first) and its
//! error texts. Encodings (`listpack`, `quicklist`) and their conversions live in
//! [`ferrodis_keyspace::types::List`]; the handlers call its `try_convert_growing` before a
//! write that adds elements and `try_convert_shrinking` after one that removes some, exactly
//! where `t_list.c` calls `listTypeTryConversion*`.

use crate::args;
use crate::context::Ctx;
use crate::errors::CommandError;
use crate::notify::{NOTIFY_GENERIC, NOTIFY_LIST};
use crate::spec::{acl, flags, keyflags, BeginSearch, CommandSpec, FindKeys, Group, KeySpec};
use bytes::Bytes;
use ferrodis_keyspace::types::List;
use ferrodis_keyspace::{Db, Entry, Value};
use ferrodis_resp::{BulkList, Reply};
use smallvec::SmallVec;
use std::ops::Range;

/// The `list-max-listpack-size` setting (the quicklist `fill`).
fn fill(ctx: &Ctx<'_>) -> i32 {
    ctx.server.settings.read().encoding.list_max_listpack_size
}

/// The list at `key` for writing (Redis's `lookupKeyWrite` + `checkType`): `Ok(None)` when
/// missing, `WRONGTYPE` for another type.
fn list_mut<'d>(
    db: &'d mut Db,
    key: &[u8],
    now: u64,
) -> Result<Option<&'d mut List>, CommandError> {
    match db.lookup_mut(key, now) {
        None => Ok(None),
        Some(entry) => match &mut entry.value {
            Value::List(l) => Ok(Some(l)),
            _ => Err(CommandError::WrongType),
        },
    }
}

/// The list at `key` for reading (`lookupKeyRead`, counting a hit or miss): `Ok(None)` when
/// missing, `WRONGTYPE` for another type.
fn list_read<'d>(db: &'d mut Db, key: &[u8], now: u64) -> Result<Option<&'d List>, CommandError> {
    match db.lookup_read(key, now) {
        None => Ok(None),
        Some(entry) => match &entry.value {
            Value::List(l) => Ok(Some(l)),
            _ => Err(CommandError::WrongType),
        },
    }
}

/// After elements were removed from the list at `key`: deletes the key when the list is
/// empty, otherwise tries the shrinking conversion (Redis's `listElementsRemoved`).
fn after_removal(db: &mut Db, key: &[u8], now: u64, fill: i32) -> bool {
    let empty = match db.lookup_mut(key, now) {
        Some(entry) => match &mut entry.value {
            Value::List(l) if l.is_empty() => true,
            Value::List(l) => {
                l.try_convert_shrinking(fill);
                false
            }
            _ => false,
        },
        None => false,
    };
    if empty {
        db.remove(key, now);
    }
    empty
}

/// Pushes `values` at the head (`left`) or tail of the list at `key`, creating it unless
/// `only_existing`. Returns the new length, or `None` when the key is missing and
/// `only_existing`. `WRONGTYPE` for another type. Converts the encoding first, as
/// `listTypeTryConversionAppend` does, counting `add_bytes` for the new elements (their
/// lengths, except those Redis holds as integer objects).
#[allow(clippy::too_many_arguments)] // the arguments of Redis's push paths, one each
fn push_values(
    db: &mut Db,
    key: &[u8],
    now: u64,
    fill: i32,
    values: &[&[u8]],
    left: bool,
    only_existing: bool,
    add_bytes: usize,
) -> Result<Option<usize>, CommandError> {
    let list = if only_existing {
        match list_mut(db, key, now)? {
            Some(list) => list,
            None => return Ok(None),
        }
    } else {
        match db.lookup_mut_or_add(key, now, || Value::List(Box::new(List::new()))).0 {
            Entry { value: Value::List(list), .. } => list,
            _ => return Err(CommandError::WrongType),
        }
    };
    list.try_convert_growing(fill, add_bytes, values.len());
    for v in values {
        list.push(v, left, fill);
    }
    Ok(Some(list.len()))
}

/// LPUSH/RPUSH/LPUSHX/RPUSHX (`pushGenericCommand`).
fn push_generic(
    ctx: &mut Ctx<'_>,
    argv: &[Bytes],
    left: bool,
    only_existing: bool,
) -> Result<Reply, CommandError> {
    let (now, fill, db_index) = (ctx.now_ms, fill(ctx), ctx.client.db);
    let key = &argv[1];
    let values: SmallVec<[&[u8]; 4]> = argv[2..].iter().map(|a| &a[..]).collect();
    let db = ctx.db(key)?;
    let add_bytes = values.iter().map(|v| v.len()).sum();
    match push_values(db, key, now, fill, &values, left, only_existing, add_bytes)? {
        None => Ok(Reply::Integer(0)),
        Some(len) => {
            ctx.signal_modified(db_index, key);
            ctx.notify(NOTIFY_LIST, if left { "lpush" } else { "rpush" }, db_index, key);
            ctx.add_dirty(values.len() as u64 - 1);
            Ok(Reply::Integer(len as i64))
        }
    }
}

/// LPUSH key element [element ...]
///
/// Inserts the elements at the head, one after the other (so the last given ends up first),
/// creating the list. Integer reply: the new length. Errors: `WRONGTYPE`.
pub fn lpush(ctx: &mut Ctx<'_>, argv: &[Bytes]) -> Result<Reply, CommandError> {
    push_generic(ctx, argv, true, false)
}

/// RPUSH key element [element ...]
///
/// Appends the elements at the tail, creating the list. Integer reply: the new length.
/// Errors: `WRONGTYPE`.
pub fn rpush(ctx: &mut Ctx<'_>, argv: &[Bytes]) -> Result<Reply, CommandError> {
    push_generic(ctx, argv, false, false)
}

/// LPUSHX key element [element ...]
///
/// LPUSH only when the list exists. Integer reply: the new length, 0 when the key is missing.
/// Errors: `WRONGTYPE`.
pub fn lpushx(ctx: &mut Ctx<'_>, argv: &[Bytes]) -> Result<Reply, CommandError> {
    push_generic(ctx, argv, true, true)
}

/// RPUSHX key element [element ...]
///
/// RPUSH only when the list exists. Integer reply: the new length, 0 when the key is missing.
/// Errors: `WRONGTYPE`.
pub fn rpushx(ctx: &mut Ctx<'_>, argv: &[Bytes]) -> Result<Reply, CommandError> {
    push_generic(ctx, argv, false, true)
}

/// Pops up to `count` elements from the head (`left`) or tail of the list at `key`, in pop
/// order. `Ok(None)` when the key is missing; `WRONGTYPE` for another type; `Ok(Some(vec![]))`
/// without touching the list when `count` is 0. Deletes the key when the list becomes empty,
/// otherwise tries the shrinking conversion, and signals the write (Redis's
/// `listPopRangeAndReplyWithKey` / `listElementsRemoved`). Used by LPOP, RPOP, LMPOP and the
/// blocking pops.
pub(crate) fn pop_elements(
    ctx: &mut Ctx<'_>,
    key: &[u8],
    left: bool,
    count: usize,
) -> Result<Option<Vec<Vec<u8>>>, CommandError> {
    let (now, fill, db_index) = (ctx.now_ms, fill(ctx), ctx.client.db);
    let db = ctx.db(key)?;
    let Some(list) = list_mut(db, key, now)? else { return Ok(None) };
    let n = count.min(list.len());
    if n == 0 {
        return Ok(Some(Vec::new()));
    }
    let mut out = Vec::with_capacity(n);
    for _ in 0..n {
        match list.pop(left) {
            Some(v) => out.push(v),
            None => break,
        }
    }
    let deleted = after_removal(db, key, now, fill);
    ctx.signal_modified(db_index, key);
    ctx.notify(NOTIFY_LIST, if left { "lpop" } else { "rpop" }, db_index, key);
    if deleted {
        ctx.notify(NOTIFY_GENERIC, "del", db_index, key);
    }
    ctx.add_dirty(out.len() as u64 - 1);
    Ok(Some(out))
}

/// LPOP/RPOP (`popGenericCommand`).
fn pop_generic(ctx: &mut Ctx<'_>, argv: &[Bytes], left: bool) -> Result<Reply, CommandError> {
    if argv.len() > 3 {
        return Err(CommandError::WrongArity(String::from_utf8_lossy(&argv[0]).to_lowercase()));
    }
    let count = match argv.get(2) {
        None => None,
        Some(a) => Some(args::uint_or(
            a,
            CommandError::custom("ERR value is out of range, must be positive"),
        )?),
    };
    let popped = pop_elements(ctx, &argv[1], left, count.unwrap_or(1))?;
    Ok(match (popped, count) {
        (None, None) => Reply::Null,
        (None, Some(_)) => Reply::NullArray,
        (Some(mut v), None) => v.pop().map_or(Reply::Null, Reply::from),
        (Some(v), Some(_)) => Reply::Array(v.into_iter().map(Reply::from).collect()),
    })
}

/// LPOP key [count]
///
/// Without count: the head element (bulk), null when the key is missing. With count: an
/// array of up to count elements from the head; a missing key gives a null array (RESP2
/// `*-1`, RESP3 `_`), count 0 an empty array. Errors: `ERR value is out of range, must be positive` for a count
/// that is not a non-negative integer (checked before the key), `WRONGTYPE`, arity for more
/// than one count.
pub fn lpop(ctx: &mut Ctx<'_>, argv: &[Bytes]) -> Result<Reply, CommandError> {
    pop_generic(ctx, argv, true)
}

/// RPOP key [count]
///
/// LPOP from the tail (the array is in pop order: last element first).
pub fn rpop(ctx: &mut Ctx<'_>, argv: &[Bytes]) -> Result<Reply, CommandError> {
    pop_generic(ctx, argv, false)
}

/// LLEN key
///
/// Integer reply: the length, 0 for a missing key. Errors: `WRONGTYPE`.
pub fn llen(ctx: &mut Ctx<'_>, argv: &[Bytes]) -> Result<Reply, CommandError> {
    let now = ctx.now_ms;
    let db = ctx.db(&argv[1])?;
    Ok(Reply::Integer(list_read(db, &argv[1], now)?.map_or(0, |l| l.len()) as i64))
}

/// Clamps Redis's inclusive `start`/`end` (negative from the tail) to `(first, count)`;
/// count 0 for an empty range (`addListRangeReply`, `ltrimCommand`).
fn clamp_range(start: i64, end: i64, len: usize) -> (usize, usize) {
    let llen = len as i64;
    let mut start = if start < 0 { llen.saturating_add(start) } else { start };
    let mut end = if end < 0 { llen.saturating_add(end) } else { end };
    if start < 0 {
        start = 0;
    }
    if start > end || start >= llen {
        return (0, 0);
    }
    if end >= llen {
        end = llen - 1;
    }
    (start as usize, (end - start + 1) as usize)
}

/// LRANGE key start stop
///
/// Array of the elements from start to stop inclusive (negative indexes count from the
/// tail, out-of-range ones are clamped); empty for a missing key. Errors: `ERR value is not
/// an integer or out of range` (checked before the key), `WRONGTYPE`.
pub fn lrange(ctx: &mut Ctx<'_>, argv: &[Bytes]) -> Result<Reply, CommandError> {
    let start = args::int(&argv[2])?;
    let end = args::int(&argv[3])?;
    let now = ctx.now_ms;
    let db = ctx.db(&argv[1])?;
    let Some(list) = list_read(db, &argv[1], now)? else { return Ok(Reply::Array(vec![])) };
    let (first, count) = clamp_range(start, end, list.len());
    Ok(Reply::Bulks(range_replies(list, first, count)))
}

/// `count` elements from `first`, packed in one buffer (no allocation or reference count
/// per element).
fn range_replies(list: &List, first: usize, count: usize) -> BulkList {
    let mut items = BulkList::with_capacity(count);
    let mut num = [0u8; 20];
    list.for_range(first, count, false, |v| items.push(v.as_bytes(&mut num)));
    items
}

/// LINDEX key index
///
/// The element at index (negative from the tail), or null when out of range or the key is
/// missing (the key is looked up before the index is parsed). Errors: `WRONGTYPE`, `ERR value
/// is not an integer or out of range`.
pub fn lindex(ctx: &mut Ctx<'_>, argv: &[Bytes]) -> Result<Reply, CommandError> {
    let now = ctx.now_ms;
    let db = ctx.db(&argv[1])?;
    let Some(list) = list_read(db, &argv[1], now)? else { return Ok(Reply::Null) };
    let index = args::int(&argv[2])?;
    Ok(list.get(index).map_or(Reply::Null, |v| Reply::from(v.to_vec())))
}

/// LSET key index element
///
/// Replaces the element at index. `+OK`. Errors (in Redis's order): `ERR no such key`,
/// `WRONGTYPE`, `ERR value is not an integer or out of range`, `ERR index out of range`. Like
/// Redis, the listpack may become a quicklist even when the index is out of range.
pub fn lset(ctx: &mut Ctx<'_>, argv: &[Bytes]) -> Result<Reply, CommandError> {
    let (now, fill, db_index) = (ctx.now_ms, fill(ctx), ctx.client.db);
    let key = &argv[1];
    let db = ctx.db(key)?;
    let Some(list) = list_mut(db, key, now)? else { return Err(CommandError::NoSuchKey) };
    let index = args::int(&argv[2])?;
    list.try_convert_growing(fill, argv[3].len(), 1);
    if !list.set(index, &argv[3], fill) {
        return Err(CommandError::OutOfRange);
    }
    list.try_convert_shrinking(fill);
    ctx.signal_modified(db_index, key);
    ctx.notify(NOTIFY_LIST, "lset", db_index, key);
    Ok(Reply::OK)
}

/// LINSERT key BEFORE|AFTER pivot element
///
/// Inserts element before or after the first occurrence of pivot. Integer reply: the new
/// length, -1 when the pivot is absent, 0 when the key is missing. Errors: `ERR syntax error`
/// (checked first), `WRONGTYPE`.
pub fn linsert(ctx: &mut Ctx<'_>, argv: &[Bytes]) -> Result<Reply, CommandError> {
    let after = if args::is(&argv[2], "after") {
        true
    } else if args::is(&argv[2], "before") {
        false
    } else {
        return Err(CommandError::Syntax);
    };
    let (now, fill, db_index) = (ctx.now_ms, fill(ctx), ctx.client.db);
    let key = &argv[1];
    let db = ctx.db(key)?;
    let Some(list) = list_mut(db, key, now)? else { return Ok(Reply::Integer(0)) };
    list.try_convert_growing(fill, argv[4].len(), 1);
    if !list.insert(&argv[3], &argv[4], after, fill) {
        return Ok(Reply::Integer(-1));
    }
    let len = list.len();
    ctx.signal_modified(db_index, key);
    ctx.notify(NOTIFY_LIST, "linsert", db_index, key);
    Ok(Reply::Integer(len as i64))
}

/// LREM key count element
///
/// Removes occurrences of element: the first count from the head (count > 0), the last
/// |count| from the tail (count < 0), or all (0). Integer reply: how many were removed.
/// Errors: `ERR value is not an integer or out of range` (checked first), `WRONGTYPE`.
pub fn lrem(ctx: &mut Ctx<'_>, argv: &[Bytes]) -> Result<Reply, CommandError> {
    let count = args::int(&argv[2])?;
    let (now, fill, db_index) = (ctx.now_ms, fill(ctx), ctx.client.db);
    let key = &argv[1];
    let db = ctx.db(key)?;
    let Some(list) = list_mut(db, key, now)? else { return Ok(Reply::Integer(0)) };
    let removed = list.remove_matching(
        &argv[3],
        count.unsigned_abs().min(usize::MAX as u64) as usize,
        count < 0,
    );
    if removed > 0 {
        let deleted = after_removal(db, key, now, fill);
        ctx.signal_modified(db_index, key);
        ctx.notify(NOTIFY_LIST, "lrem", db_index, key);
        if deleted {
            ctx.notify(NOTIFY_GENERIC, "del", db_index, key);
        }
        ctx.add_dirty(removed as u64 - 1);
    }
    Ok(Reply::Integer(removed as i64))
}

/// LTRIM key start stop
///
/// Keeps only the elements from start to stop inclusive (LRANGE's index rules); an empty
/// range deletes the key. `+OK`, also for a missing key. Errors: `ERR value is not an integer
/// or out of range` (checked first), `WRONGTYPE`.
pub fn ltrim(ctx: &mut Ctx<'_>, argv: &[Bytes]) -> Result<Reply, CommandError> {
    let start = args::int(&argv[2])?;
    let end = args::int(&argv[3])?;
    let (now, fill, db_index) = (ctx.now_ms, fill(ctx), ctx.client.db);
    let key = &argv[1];
    let db = ctx.db(key)?;
    let Some(list) = list_mut(db, key, now)? else { return Ok(Reply::OK) };
    let len = list.len();
    let (first, count) = clamp_range(start, end, len);
    let (ltrim, rtrim) = if count == 0 { (len, 0) } else { (first, len - first - count) };
    list.remove_range(0, ltrim);
    let rest = list.len();
    list.remove_range(rest - rtrim, rtrim);
    let deleted = after_removal(db, key, now, fill);
    ctx.signal_modified(db_index, key);
    ctx.notify(NOTIFY_LIST, "ltrim", db_index, key);
    if deleted {
        ctx.notify(NOTIFY_GENERIC, "del", db_index, key);
    }
    Ok(Reply::OK)
}

/// LPOS key element [RANK rank] [COUNT num-matches] [MAXLEN len]
///
/// Index of the rank-th match of element (negative rank: searching from the tail), scanning
/// at most len elements (0 = all); null when none. With COUNT, an array of up to num-matches
/// indexes (0 = all), empty when none or the key is missing. Errors: `ERR value is not an
/// integer or out of range`, `ERR value is out of range, value must between
/// -9223372036854775807 and 9223372036854775807` (RANK i64::MIN), `ERR RANK can't be zero:
/// ...`, `ERR COUNT can't be negative`, `ERR MAXLEN can't be negative`, `ERR syntax error`,
/// then `WRONGTYPE`.
pub fn lpos(ctx: &mut Ctx<'_>, argv: &[Bytes]) -> Result<Reply, CommandError> {
    let mut rank: i64 = 1;
    let mut count: Option<usize> = None;
    let mut maxlen: usize = 0;
    let mut j = 3;
    while j < argv.len() {
        let opt = &argv[j];
        let more = j + 1 < argv.len();
        if args::is(opt, "rank") && more {
            j += 1;
            rank = args::int(&argv[j])?;
            if rank == i64::MIN {
                return Err(CommandError::custom(
                    "ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807",
                ));
            }
            if rank == 0 {
                return Err(CommandError::custom(
                    "ERR RANK can't be zero: use 1 to start from the first match, 2 from the second ... or use negative to start from the end of the list",
                ));
            }
        } else if args::is(opt, "count") && more {
            j += 1;
            count =
                Some(args::uint_or(&argv[j], CommandError::custom("ERR COUNT can't be negative"))?);
        } else if args::is(opt, "maxlen") && more {
            j += 1;
            maxlen = args::uint_or(&argv[j], CommandError::custom("ERR MAXLEN can't be negative"))?;
        } else {
            return Err(CommandError::Syntax);
        }
        j += 1;
    }
    let from_tail = rank < 0;
    let rank = rank.unsigned_abs();
    let now = ctx.now_ms;
    let db = ctx.db(&argv[1])?;
    let Some(list) = list_read(db, &argv[1], now)? else {
        return Ok(if count.is_some() { Reply::Array(vec![]) } else { Reply::Null });
    };
    let ele = &argv[2];
    let mut matches: u64 = 0;
    let mut found: Vec<Reply> = Vec::new();
    let mut single: Option<usize> = None;
    let mut scanned = 0usize;
    list.scan(from_tail, |index, v| {
        if maxlen != 0 && scanned >= maxlen {
            return false;
        }
        scanned += 1;
        if v.eq_bytes(ele) {
            matches += 1;
            if matches >= rank {
                match count {
                    Some(c) => {
                        found.push(Reply::Integer(index as i64));
                        if c != 0 && (matches - rank + 1) as usize >= c {
                            return false;
                        }
                    }
                    None => {
                        single = Some(index);
                        return false;
                    }
                }
            }
        }
        true
    });
    Ok(match count {
        Some(_) => Reply::Array(found),
        None => single.map_or(Reply::Null, |i| Reply::Integer(i as i64)),
    })
}

/// Parses LEFT or RIGHT (`getListPositionFromObjectOrReply`): true for LEFT; `ERR syntax
/// error` otherwise.
fn parse_side(arg: &[u8]) -> Result<bool, CommandError> {
    if args::is(arg, "left") {
        Ok(true)
    } else if args::is(arg, "right") {
        Ok(false)
    } else {
        Err(CommandError::Syntax)
    }
}

/// LMOVE's effect (`lmoveGenericCommand`): pops one element from the head (`from_left`) or
/// tail of `src` and pushes it at the head (`to_left`) or tail of `dst`, creating `dst`.
/// Returns the moved element, or `Ok(None)` when `src` is missing. `WRONGTYPE` when either
/// key holds another type — the destination is checked before popping, so nothing is lost.
/// Deletes `src` when it becomes empty (unless it is `dst`), runs the encoding conversions
/// and signals both keys. Used by LMOVE, RPOPLPUSH, BLMOVE and BRPOPLPUSH.
pub(crate) fn lmove_once(
    ctx: &mut Ctx<'_>,
    src: &[u8],
    dst: &[u8],
    from_left: bool,
    to_left: bool,
) -> Result<Option<Vec<u8>>, CommandError> {
    let (now, fill, db_index) = (ctx.now_ms, fill(ctx), ctx.client.db);
    {
        let db = ctx.db(src)?;
        match list_mut(db, src, now)? {
            Some(l) if !l.is_empty() => {}
            _ => return Ok(None),
        }
    }
    {
        let db = ctx.db(dst)?;
        list_mut(db, dst, now)?;
    }
    let (value, add_bytes) = {
        let db = ctx.db(src)?;
        let Some(list) = list_mut(db, src, now)? else { return Ok(None) };
        let from_quicklist = list.is_quicklist();
        let Some(v) = list.pop(from_left) else { return Ok(None) };
        // Redis pops an integer entry of a quicklist as an integer object, which
        // listTypeTryConvertListpack does not count in the added bytes.
        let is_int = v.len() <= 20 && ferrodis_keyspace::num::parse_i64(&v).is_some();
        let add_bytes = if from_quicklist && is_int { 0 } else { v.len() };
        (v, add_bytes)
    };
    {
        let db = ctx.db(dst)?;
        push_values(db, dst, now, fill, &[&value], to_left, false, add_bytes)?;
    }
    ctx.signal_modified(db_index, dst);
    ctx.notify(NOTIFY_LIST, if to_left { "lpush" } else { "rpush" }, db_index, dst);
    let db = ctx.db(src)?;
    let deleted = after_removal(db, src, now, fill);
    // One change for the dirty counter, as Redis's `lmoveGenericCommand` counts it.
    ctx.signal_key(db_index, src);
    ctx.notify(NOTIFY_LIST, if from_left { "lpop" } else { "rpop" }, db_index, src);
    if deleted {
        ctx.notify(NOTIFY_GENERIC, "del", db_index, src);
    }
    Ok(Some(value))
}

/// LMOVE source destination LEFT|RIGHT LEFT|RIGHT
///
/// Atomically pops from one end of source and pushes at one end of destination (which may be
/// the same list). Bulk reply: the element, null when source is missing. Errors: `ERR syntax
/// error` (checked first), `WRONGTYPE` for either key.
pub fn lmove(ctx: &mut Ctx<'_>, argv: &[Bytes]) -> Result<Reply, CommandError> {
    let from_left = parse_side(&argv[3])?;
    let to_left = parse_side(&argv[4])?;
    Ok(lmove_once(ctx, &argv[1], &argv[2], from_left, to_left)?.map_or(Reply::Null, Reply::from))
}

/// RPOPLPUSH source destination
///
/// LMOVE source destination RIGHT LEFT.
pub fn rpoplpush(ctx: &mut Ctx<'_>, argv: &[Bytes]) -> Result<Reply, CommandError> {
    Ok(lmove_once(ctx, &argv[1], &argv[2], false, true)?.map_or(Reply::Null, Reply::from))
}

/// The parsed `numkeys key [key ...] LEFT|RIGHT [COUNT count]` of LMPOP and BLMPOP.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct MpopArgs {
    /// Positions of the keys in argv.
    pub keys: Range<usize>,
    /// True for LEFT (pop from the head).
    pub left: bool,
    /// Elements to pop at most (1 when COUNT is not given).
    pub count: usize,
}

/// Parses LMPOP's (`numkeys_idx` 1) or BLMPOP's (`numkeys_idx` 2) arguments as Redis's
/// `lmpopGenericCommand`: `ERR numkeys should be greater than 0` for a numkeys that is not a
/// positive integer, `ERR syntax error` when LEFT/RIGHT is missing or wrong or an option is
/// unknown or repeated, `ERR count should be greater than 0` for a bad COUNT.
pub(crate) fn parse_mpop(argv: &[Bytes], numkeys_idx: usize) -> Result<MpopArgs, CommandError> {
    let m = args::mpop(argv, numkeys_idx, ["left", "right"])?;
    Ok(MpopArgs { keys: m.keys, left: m.first, count: m.count })
}

/// LMPOP numkeys key [key ...] LEFT|RIGHT [COUNT count]
///
/// Pops up to count elements from the first non-empty list among the keys. Array reply
/// `[key, [elements...]]`, or a null array (RESP2 `*-1`, RESP3 `_`) when every key is
/// missing. Errors: [`parse_mpop`]'s, then `WRONGTYPE` for the first key (in order) that
/// holds another type.
pub fn lmpop(ctx: &mut Ctx<'_>, argv: &[Bytes]) -> Result<Reply, CommandError> {
    let args = parse_mpop(argv, 1)?;
    for i in args.keys.clone() {
        let key = &argv[i];
        if let Some(v) = pop_elements(ctx, key, args.left, args.count)? {
            if v.is_empty() {
                continue;
            }
            return Ok(Reply::Array(vec![
                Reply::Bulk(key.clone()),
                Reply::Array(v.into_iter().map(Reply::from).collect()),
            ]));
        }
    }
    Ok(Reply::NullArray)
}

/// LMPOP's keys for COMMAND GETKEYS (Redis's `lmpopGetKeys`): numkeys keys after numkeys,
/// none when numkeys is not between 1 and the number of arguments left.
pub fn lmpop_get_keys(argv: &[Bytes]) -> Vec<(usize, u32)> {
    let num = argv.get(1).and_then(|a| ferrodis_keyspace::num::parse_i64(a)).unwrap_or(0);
    if num < 1 || num as u64 > argv.len().saturating_sub(2) as u64 {
        return Vec::new();
    }
    (2..2 + num as usize).map(|i| (i, keyflags::RW | keyflags::ACCESS | keyflags::DELETE)).collect()
}

const RW_INSERT: &[KeySpec] = &[KeySpec::single(1, keyflags::RW | keyflags::INSERT)];
const RW_ACCESS_DELETE: &[KeySpec] =
    &[KeySpec::single(1, keyflags::RW | keyflags::ACCESS | keyflags::DELETE)];
const RO: &[KeySpec] = &[KeySpec::single(1, keyflags::RO)];
const RO_ACCESS: &[KeySpec] = &[KeySpec::single(1, keyflags::RO | keyflags::ACCESS)];
const RW_DELETE: &[KeySpec] = &[KeySpec::single(1, keyflags::RW | keyflags::DELETE)];
const MOVE_KEYS: &[KeySpec] = &[
    KeySpec::single(1, keyflags::RW | keyflags::ACCESS | keyflags::DELETE),
    KeySpec::single(2, keyflags::RW | keyflags::INSERT),
];

/// The lists commands.
pub static SPECS: &[CommandSpec] = &[
    CommandSpec {
        name: "lpush",
        arity: -3,
        flags: flags::WRITE | flags::DENYOOM | flags::FAST,
        acl: acl::LIST,
        keys: RW_INSERT,
        group: Group::List,
        since: "1.0.0",
        summary: "Prepends one or more elements to a list. Creates the key if it doesn't exist.",
        complexity: "O(1) for each element added, so O(N) to add N elements when the command is called with multiple arguments.",
        handler: Some(lpush),
        history: &[("2.4.0", "Accepts multiple `element` arguments.")],
        arguments: docs::LPUSH,
        ..CommandSpec::DEFAULT
    },
    CommandSpec {
        name: "rpush",
        arity: -3,
        flags: flags::WRITE | flags::DENYOOM | flags::FAST,
        acl: acl::LIST,
        keys: RW_INSERT,
        group: Group::List,
        since: "1.0.0",
        summary: "Appends one or more elements to a list. Creates the key if it doesn't exist.",
        complexity: "O(1) for each element added, so O(N) to add N elements when the command is called with multiple arguments.",
        handler: Some(rpush),
        history: &[("2.4.0", "Accepts multiple `element` arguments.")],
        arguments: docs::LPUSH,
        ..CommandSpec::DEFAULT
    },
    CommandSpec {
        name: "lpushx",
        arity: -3,
        flags: flags::WRITE | flags::DENYOOM | flags::FAST,
        acl: acl::LIST,
        keys: RW_INSERT,
        group: Group::List,
        since: "2.2.0",
        summary: "Prepends one or more elements to a list only when the list exists.",
        complexity: "O(1) for each element added, so O(N) to add N elements when the command is called with multiple arguments.",
        handler: Some(lpushx),
        history: &[("4.0.0", "Accepts multiple `element` arguments.")],
        arguments: docs::LPUSH,
        ..CommandSpec::DEFAULT
    },
    CommandSpec {
        name: "rpushx",
        arity: -3,
        flags: flags::WRITE | flags::DENYOOM | flags::FAST,
        acl: acl::LIST,
        keys: RW_INSERT,
        group: Group::List,
        since: "2.2.0",
        summary: "Appends an element to a list only when the list exists.",
        complexity: "O(1) for each element added, so O(N) to add N elements when the command is called with multiple arguments.",
        handler: Some(rpushx),
        history: &[("4.0.0", "Accepts multiple `element` arguments.")],
        arguments: docs::LPUSH,
        ..CommandSpec::DEFAULT
    },
    CommandSpec {
        name: "lpop",
        arity: -2,
        flags: flags::WRITE | flags::FAST,
        acl: acl::LIST,
        keys: RW_ACCESS_DELETE,
        group: Group::List,
        since: "1.0.0",
        summary: "Returns the first elements in a list after removing it. Deletes the list if the last element was popped.",
        complexity: "O(N) where N is the number of elements returned",
        handler: Some(lpop),
        history: &[("6.2.0", "Added the `count` argument.")],
        arguments: docs::LPOP,
        ..CommandSpec::DEFAULT
    },
    CommandSpec {
        name: "rpop",
        arity: -2,
        flags: flags::WRITE | flags::FAST,
        acl: acl::LIST,
        keys: RW_ACCESS_DELETE,
        group: Group::List,
        since: "1.0.0",
        summary: "Returns and removes the last elements of a list. Deletes the list if the last element was popped.",
        complexity: "O(N) where N is the number of elements returned",
        handler: Some(rpop),
        history: &[("6.2.0", "Added the `count` argument.")],
        arguments: docs::LPOP,
        ..CommandSpec::DEFAULT
    },
    CommandSpec {
        name: "llen",
        arity: 2,
        flags: flags::READONLY | flags::FAST,
        acl: acl::LIST,
        keys: RO,
        group: Group::List,
        since: "1.0.0",
        summary: "Returns the length of a list.",
        handler: Some(llen),
        arguments: docs::KEY,
        ..CommandSpec::DEFAULT
    },
    CommandSpec {
        name: "lrange",
        arity: 4,
        flags: flags::READONLY,
        acl: acl::LIST,
        keys: RO_ACCESS,
        group: Group::List,
        since: "1.0.0",
        summary: "Returns a range of elements from a list.",
        complexity: "O(S+N) where S is the distance of start offset from HEAD for small lists, from nearest end (HEAD or TAIL) for large lists; and N is the number of elements in the specified range.",
        handler: Some(lrange),
        arguments: docs::LRANGE,
        ..CommandSpec::DEFAULT
    },
    CommandSpec {
        name: "lindex",
        arity: 3,
        flags: flags::READONLY,
        acl: acl::LIST,
        keys: RO_ACCESS,
        group: Group::List,
        since: "1.0.0",
        summary: "Returns an element from a list by its index.",
        complexity: "O(N) where N is the number of elements to traverse to get to the element at index. This makes asking for the first or the last element of the list O(1).",
        handler: Some(lindex),
        arguments: docs::LINDEX,
        ..CommandSpec::DEFAULT
    },
    CommandSpec {
        name: "lset",
        arity: 4,
        flags: flags::WRITE | flags::DENYOOM,
        acl: acl::LIST,
        keys: &[KeySpec::single(1, keyflags::RW | keyflags::UPDATE)],
        group: Group::List,
        since: "1.0.0",
        summary: "Sets the value of an element in a list by its index.",
        complexity: "O(N) where N is the length of the list. Setting either the first or the last element of the list is O(1).",
        handler: Some(lset),
        arguments: docs::LSET,
        ..CommandSpec::DEFAULT
    },
    CommandSpec {
        name: "linsert",
        arity: 5,
        flags: flags::WRITE | flags::DENYOOM,
        acl: acl::LIST,
        keys: RW_INSERT,
        group: Group::List,
        since: "2.2.0",
        summary: "Inserts an element before or after another element in a list.",
        complexity: "O(N) where N is the number of elements to traverse before seeing the value pivot. This means that inserting somewhere on the left end on the list (head) can be considered O(1) and inserting somewhere on the right end (tail) is O(N).",
        handler: Some(linsert),
        arguments: docs::LINSERT,
        ..CommandSpec::DEFAULT
    },
    CommandSpec {
        name: "lrem",
        arity: 4,
        flags: flags::WRITE,
        acl: acl::LIST,
        keys: RW_DELETE,
        group: Group::List,
        since: "1.0.0",
        summary: "Removes elements from a list. Deletes the list if the last element was removed.",
        complexity: "O(N+M) where N is the length of the list and M is the number of elements removed.",
        handler: Some(lrem),
        arguments: docs::LREM,
        ..CommandSpec::DEFAULT
    },
    CommandSpec {
        name: "ltrim",
        arity: 4,
        flags: flags::WRITE,
        acl: acl::LIST,
        keys: RW_DELETE,
        group: Group::List,
        since: "1.0.0",
        summary: "Removes elements from both ends a list. Deletes the list if all elements were trimmed.",
        complexity: "O(N) where N is the number of elements to be removed by the operation.",
        handler: Some(ltrim),
        arguments: docs::LTRIM,
        ..CommandSpec::DEFAULT
    },
    CommandSpec {
        name: "lpos",
        arity: -3,
        flags: flags::READONLY,
        acl: acl::LIST,
        keys: RO_ACCESS,
        group: Group::List,
        since: "6.0.6",
        summary: "Returns the index of matching elements in a list.",
        complexity: "O(N) where N is the number of elements in the list, for the average case. When searching for elements near the head or the tail of the list, or when the MAXLEN option is provided, the command may run in constant time.",
        handler: Some(lpos),
        arguments: docs::LPOS,
        ..CommandSpec::DEFAULT
    },
    CommandSpec {
        name: "lmove",
        arity: 5,
        flags: flags::WRITE | flags::DENYOOM,
        acl: acl::LIST,
        keys: MOVE_KEYS,
        group: Group::List,
        since: "6.2.0",
        summary: "Returns an element after popping it from one list and pushing it to another. Deletes the list if the last element was moved.",
        handler: Some(lmove),
        arguments: docs::LMOVE,
        ..CommandSpec::DEFAULT
    },
    CommandSpec {
        name: "rpoplpush",
        arity: 3,
        flags: flags::WRITE | flags::DENYOOM,
        acl: acl::LIST,
        keys: MOVE_KEYS,
        group: Group::List,
        since: "1.2.0",
        summary: "Returns the last element of a list after removing and pushing it to another list. Deletes the list if the last element was popped.",
        handler: Some(rpoplpush),
        doc_flags: crate::spec::docflags::DEPRECATED,
        deprecated_since: Some("6.2.0"),
        replaced_by: Some("`LMOVE` with the `RIGHT` and `LEFT` arguments"),
        arguments: docs::RPOPLPUSH,
        ..CommandSpec::DEFAULT
    },
    CommandSpec {
        name: "lmpop",
        arity: -4,
        flags: flags::WRITE | flags::MOVABLE_KEYS,
        acl: acl::LIST,
        keys: &[KeySpec {
            flags: keyflags::RW | keyflags::ACCESS | keyflags::DELETE,
            notes: None,
            begin: BeginSearch::Index(1),
            find: FindKeys::Keynum { keynumidx: 0, firstkey: 1, keystep: 1 },
        }],
        group: Group::List,
        since: "7.0.0",
        summary: "Returns multiple elements from a list after removing them. Deletes the list if the last element was popped.",
        complexity: "O(N+M) where N is the number of provided keys and M is the number of elements returned.",
        handler: Some(lmpop),
        get_keys: Some(lmpop_get_keys),
        arguments: docs::LMPOP,
        ..CommandSpec::DEFAULT
    },
];

/// COMMAND DOCS arguments of the list commands (Redis 7.2's `src/commands/*.json`).
pub mod docs {
    use crate::spec::{argflags, Arg, ArgType};

    const fn arg(name: &'static str, kind: ArgType) -> Arg {
        Arg { name, kind, ..Arg::DEFAULT }
    }

    const KEY0: Arg = Arg { key_spec_index: Some(0), ..arg("key", ArgType::Key) };

    /// `key`.
    pub const KEY: &[Arg] = &[KEY0];

    /// `key element [element ...]` (LPUSH, RPUSH, LPUSHX, RPUSHX).
    pub const LPUSH: &[Arg] =
        &[KEY0, Arg { flags: argflags::MULTIPLE, ..arg("element", ArgType::String) }];

    /// `key [count]` (LPOP, RPOP).
    pub const LPOP: &[Arg] = &[
        KEY0,
        Arg { since: Some("6.2.0"), flags: argflags::OPTIONAL, ..arg("count", ArgType::Integer) },
    ];

    /// `key start stop`.
    pub const LRANGE: &[Arg] =
        &[KEY0, arg("start", ArgType::Integer), arg("stop", ArgType::Integer)];

    /// `key index`.
    pub const LINDEX: &[Arg] = &[KEY0, arg("index", ArgType::Integer)];

    /// `key index element`.
    pub const LSET: &[Arg] =
        &[KEY0, arg("index", ArgType::Integer), arg("element", ArgType::String)];

    /// `key BEFORE|AFTER pivot element`.
    pub const LINSERT: &[Arg] = &[
        KEY0,
        Arg {
            arguments: &[
                Arg { token: Some("BEFORE"), ..arg("before", ArgType::PureToken) },
                Arg { token: Some("AFTER"), ..arg("after", ArgType::PureToken) },
            ],
            ..arg("where", ArgType::OneOf)
        },
        arg("pivot", ArgType::String),
        arg("element", ArgType::String),
    ];

    /// `key count element`.
    pub const LREM: &[Arg] =
        &[KEY0, arg("count", ArgType::Integer), arg("element", ArgType::String)];

    /// `key start stop`.
    pub const LTRIM: &[Arg] = LRANGE;

    /// `key element [RANK rank] [COUNT num-matches] [MAXLEN len]`.
    pub const LPOS: &[Arg] = &[
        KEY0,
        arg("element", ArgType::String),
        Arg { token: Some("RANK"), flags: argflags::OPTIONAL, ..arg("rank", ArgType::Integer) },
        Arg {
            token: Some("COUNT"),
            flags: argflags::OPTIONAL,
            ..arg("num-matches", ArgType::Integer)
        },
        Arg { token: Some("MAXLEN"), flags: argflags::OPTIONAL, ..arg("len", ArgType::Integer) },
    ];

    const WHEREFROM: Arg = Arg {
        arguments: &[
            Arg { token: Some("LEFT"), ..arg("left", ArgType::PureToken) },
            Arg { token: Some("RIGHT"), ..arg("right", ArgType::PureToken) },
        ],
        ..arg("wherefrom", ArgType::OneOf)
    };

    const WHERETO: Arg = Arg { name: "whereto", ..WHEREFROM };

    /// `source destination LEFT|RIGHT LEFT|RIGHT`.
    pub const LMOVE: &[Arg] = &[
        Arg { key_spec_index: Some(0), ..arg("source", ArgType::Key) },
        Arg { key_spec_index: Some(1), ..arg("destination", ArgType::Key) },
        WHEREFROM,
        WHERETO,
    ];

    /// `source destination`.
    pub const RPOPLPUSH: &[Arg] = &[
        Arg { key_spec_index: Some(0), ..arg("source", ArgType::Key) },
        Arg { key_spec_index: Some(1), ..arg("destination", ArgType::Key) },
    ];

    /// `numkeys key [key ...] LEFT|RIGHT [COUNT count]`.
    pub const LMPOP: &[Arg] = &[
        arg("numkeys", ArgType::Integer),
        Arg { key_spec_index: Some(0), flags: argflags::MULTIPLE, ..arg("key", ArgType::Key) },
        Arg {
            arguments: &[
                Arg { token: Some("LEFT"), ..arg("left", ArgType::PureToken) },
                Arg { token: Some("RIGHT"), ..arg("right", ArgType::PureToken) },
            ],
            ..arg("where", ArgType::OneOf)
        },
        Arg { token: Some("COUNT"), flags: argflags::OPTIONAL, ..arg("count", ArgType::Integer) },
    ];
}

#[cfg(test)]
mod tests {
    use super::*;

    fn argv(words: &[&str]) -> Vec<Bytes> {
        words.iter().map(|w| Bytes::copy_from_slice(w.as_bytes())).collect()
    }

    #[test]
    fn mpop_parsing_matches_redis_errors() {
        let ok = parse_mpop(&argv(&["lmpop", "2", "a", "b", "LEFT", "COUNT", "3"]), 1).unwrap();
        assert_eq!(ok, MpopArgs { keys: 2..4, left: true, count: 3 });
        let ok = parse_mpop(&argv(&["blmpop", "0", "1", "a", "right"]), 2).unwrap();
        assert_eq!(ok, MpopArgs { keys: 3..4, left: false, count: 1 });
        let err = |w: &[&str]| parse_mpop(&argv(w), 1).unwrap_err().to_string();
        assert_eq!(err(&["lmpop", "0", "a", "left"]), "ERR numkeys should be greater than 0");
        assert_eq!(err(&["lmpop", "x", "a", "left"]), "ERR numkeys should be greater than 0");
        assert_eq!(err(&["lmpop", "3", "a", "left"]), "ERR syntax error");
        assert_eq!(err(&["lmpop", "1", "a", "up"]), "ERR syntax error");
        assert_eq!(
            err(&["lmpop", "1", "a", "left", "count", "0"]),
            "ERR count should be greater than 0"
        );
        assert_eq!(
            err(&["lmpop", "1", "a", "left", "count", "1", "count", "2"]),
            "ERR syntax error"
        );
        assert_eq!(err(&["lmpop", "1", "a", "left", "count"]), "ERR syntax error");
    }

    #[test]
    fn lmpop_getkeys() {
        assert_eq!(lmpop_get_keys(&argv(&["lmpop", "2", "a", "b", "left"])).len(), 2);
        assert!(lmpop_get_keys(&argv(&["lmpop", "0", "a", "left"])).is_empty());
        assert!(lmpop_get_keys(&argv(&["lmpop", "5", "a", "left"])).is_empty());
    }

    #[test]
    fn ranges_clamp_like_redis() {
        assert_eq!(clamp_range(0, -1, 5), (0, 5));
        assert_eq!(clamp_range(-100, 100, 5), (0, 5));
        assert_eq!(clamp_range(3, 1, 5), (0, 0));
        assert_eq!(clamp_range(5, 10, 5), (0, 0));
        assert_eq!(clamp_range(-2, -1, 5), (3, 2));
        assert_eq!(clamp_range(i64::MIN, i64::MAX, 5), (0, 5));
    }
}
