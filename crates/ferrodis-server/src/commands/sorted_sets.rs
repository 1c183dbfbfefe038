//! Sorted set commands: ZADD, ZRANGE and its variants, ZPOPMIN, ZUNIONSTORE, ZSCAN ...
//!
//! Semantics follow the command pages under <https://redis.io/commands/> and Redis 7.2's
//! `src/t_zset.c`: argument parsing order (all arguments before the key is looked up, except
//! for ZUNION/ZINTER/ZDIFF/ZINTERCARD, which look up their keys before parsing options),
//! error texts, and reply shapes. Scores are doubles parsed with Redis's `string2d`
//! ([`num::parse_f64`]), and range bounds with `strtod` as `zslParseRange` does. Replies give
//! scores as [`Reply::Double`] (RESP2 bulk strings, RESP3 doubles, formatted as Redis 7.2);
//! `WITHSCORES` replies are flat `[member, score, ...]` arrays in RESP2 and arrays of
//! `[member, score]` pairs in RESP3, as Redis 7.2's `zrangeResultEmit*` writes them.
//!
//! The data structure lives in [`ferrodis_keyspace::types::zset`].

use crate::args::{self, ArgCursor};
use crate::context::Ctx;
use crate::errors::CommandError;
use crate::notify::{NOTIFY_GENERIC, NOTIFY_ZSET};
use crate::spec::{
    acl, docflags, flags, keyflags, Arg, BeginSearch, CommandSpec, FindKeys, Group, KeySpec,
};
use bytes::Bytes;
use ferrodis_keyspace::glob::string_match;
use ferrodis_keyspace::num;
use ferrodis_keyspace::types::zset::{AddFlags, AddOutcome, LexBound, LexRange, ScoreRange, ZSet};
use ferrodis_keyspace::{Db, EncodingLimits, Entry, TtlUpdate, Value};
use ferrodis_resp::{Reply, RespVersion};
use std::collections::HashMap;

/// `ERR min or max is not a float`
const ERR_MINMAX_FLOAT: &str = "ERR min or max is not a float";
/// `ERR min or max not valid string range item`
const ERR_MINMAX_LEX: &str = "ERR min or max not valid string range item";

/// A (member, score) pair as commands move them around.
pub type Scored = (Vec<u8>, f64);

/// The sorted set at `key` for a read (counts a hit or miss): `Ok(None)` when missing,
/// `WRONGTYPE` for another type.
pub(crate) fn read_zset<'d>(
    db: &'d mut Db,
    key: &[u8],
    now: u64,
) -> Result<Option<&'d ZSet>, CommandError> {
    match db.lookup_read(key, now) {
        None => Ok(None),
        Some(e) => match &e.value {
            Value::ZSet(z) => Ok(Some(z)),
            _ => Err(CommandError::WrongType),
        },
    }
}

/// The sorted set at `key` for a write: `Ok(None)` when missing, `WRONGTYPE` for another type.
fn write_zset<'d>(
    db: &'d mut Db,
    key: &[u8],
    now: u64,
) -> Result<Option<&'d mut ZSet>, CommandError> {
    match db.lookup_mut(key, now) {
        None => Ok(None),
        Some(e) => match &mut e.value {
            Value::ZSet(z) => Ok(Some(z)),
            _ => Err(CommandError::WrongType),
        },
    }
}

/// The encoding thresholds in force.
pub(crate) fn limits(ctx: &Ctx<'_>) -> EncodingLimits {
    ctx.server.settings.read().encoding
}

fn resp3(ctx: &Ctx<'_>) -> bool {
    ctx.client.resp == RespVersion::Resp3
}

/// Replies with members, with their scores when `withscores`: RESP2 flat, RESP3 pairs.
fn scored_reply(items: Vec<Scored>, withscores: bool, resp3: bool) -> Reply {
    let mut out = Vec::with_capacity(items.len() * if withscores && !resp3 { 2 } else { 1 });
    for (m, s) in items {
        let m = Reply::Bulk(Bytes::from(m));
        if !withscores {
            out.push(m);
        } else if resp3 {
            out.push(Reply::Array(vec![m, Reply::Double(s)]));
        } else {
            out.push(m);
            out.push(Reply::Double(s));
        }
    }
    Reply::Array(out)
}

/// A range bound as Redis's `zslParseRange` reads it with `strtod`: the empty string is 0,
/// leading whitespace is skipped, overflow gives ±inf, NaN is refused.
fn parse_bound_float(s: &[u8]) -> Option<f64> {
    if s.is_empty() {
        return Some(0.0);
    }
    let start = s.iter().position(|b| !matches!(b, b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r'));
    let t = &s[start?..];
    if let Some(v) = num::parse_f64(t) {
        return Some(v);
    }
    // parse_f64 refuses what overflows or underflows; strtod gives ±inf or 0 there.
    let text = std::str::from_utf8(t).ok()?;
    if text.bytes().all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'e' | b'E' | b'+' | b'-')) {
        text.parse::<f64>().ok().filter(|v| !v.is_nan())
    } else {
        None
    }
}

/// Parses a score range `min max` (`(` for exclusive bounds) as Redis's `zslParseRange`.
pub(crate) fn parse_score_range(min: &[u8], max: &[u8]) -> Result<ScoreRange, CommandError> {
    let one = |s: &[u8]| -> Option<(f64, bool)> {
        match s.first() {
            Some(b'(') => parse_bound_float(&s[1..]).map(|v| (v, true)),
            _ => parse_bound_float(s).map(|v| (v, false)),
        }
    };
    match (one(min), one(max)) {
        (Some((min, minex)), Some((max, maxex))) => Ok(ScoreRange { min, max, minex, maxex }),
        _ => Err(CommandError::custom(ERR_MINMAX_FLOAT)),
    }
}

/// Parses a lexicographic range `min max` (`-`, `+`, `[m`, `(m`) as `zslParseLexRange`.
pub(crate) fn parse_lex_range(min: &[u8], max: &[u8]) -> Result<LexRange, CommandError> {
    let one = |s: &[u8]| -> Option<LexBound> {
        match s.first()? {
            b'+' if s.len() == 1 => Some(LexBound::PosInf),
            b'-' if s.len() == 1 => Some(LexBound::NegInf),
            b'(' => Some(LexBound::Excl(s[1..].to_vec())),
            b'[' => Some(LexBound::Incl(s[1..].to_vec())),
            _ => None,
        }
    };
    match (one(min), one(max)) {
        (Some(min), Some(max)) => Ok(LexRange { min, max }),
        _ => Err(CommandError::custom(ERR_MINMAX_LEX)),
    }
}

/// Stores `zset` at `dst` (or deletes `dst` when the result is empty) and replies with the
/// number of members, as the store variants do (`setKey` clears any TTL). `event` is the
/// keyspace event of a non-empty store (`zunionstore`, `georadiusstore` ...); an emptied
/// destination gets `del`.
pub(crate) fn store_result(
    ctx: &mut Ctx<'_>,
    dst: &[u8],
    zset: ZSet,
    event: &'static str,
) -> Result<Reply, CommandError> {
    let now = ctx.now_ms;
    let db_index = ctx.client.db;
    let len = zset.len();
    let db = ctx.db(dst)?;
    if len > 0 {
        db.set(dst, Value::ZSet(zset), TtlUpdate::Clear, now);
        ctx.signal_modified(db_index, dst);
        ctx.notify(NOTIFY_ZSET, event, db_index, dst);
    } else if db.remove(dst, now).is_some() {
        ctx.signal_modified(db_index, dst);
        ctx.notify(NOTIFY_GENERIC, "del", db_index, dst);
    }
    Ok(Reply::Integer(len as i64))
}

// ---------------------------------------------------------------------------------------------
// ZADD, ZINCRBY

/// ZADD key [NX|XX] [GT|LT] [CH] [INCR] score member [score member ...]
///
/// Integer: members added (with CH: added or changed). With INCR: the new score as a double,
/// or null when NX/XX/GT/LT prevented the update. Errors (in Redis's order): `ERR syntax
/// error` (odd or no score/member arguments), `ERR XX and NX options at the same time are not
/// compatible`, `ERR GT, LT, and/or NX options at the same time are not compatible`, `ERR INCR
/// option supports a single increment-element pair`, `ERR value is not a valid float`,
/// `WRONGTYPE`, `ERR resulting score is not a number (NaN)`. Follows `zaddGenericCommand`:
/// a new key is created with `zsetTypeCreate(elements, len(first member))`, an existing one
/// converted up front by `zsetTypeMaybeConvert(elements)`.
pub fn zadd(ctx: &mut Ctx<'_>, argv: &[Bytes]) -> Result<Reply, CommandError> {
    zadd_generic(ctx, argv, false)
}

/// ZINCRBY key increment member
///
/// Double: the member's new score (the member is added with `increment` when absent).
/// Errors: `ERR value is not a valid float`, `WRONGTYPE`, `ERR resulting score is not a number
/// (NaN)`.
pub fn zincrby(ctx: &mut Ctx<'_>, argv: &[Bytes]) -> Result<Reply, CommandError> {
    zadd_generic(ctx, argv, true)
}

fn zadd_generic(ctx: &mut Ctx<'_>, argv: &[Bytes], zincrby: bool) -> Result<Reply, CommandError> {
    let mut f = AddFlags { incr: zincrby, ..AddFlags::default() };
    let mut ch = false;
    let mut idx = 2;
    while idx < argv.len() {
        let a = &argv[idx];
        if args::is(a, "nx") {
            f.nx = true;
        } else if args::is(a, "xx") {
            f.xx = true;
        } else if args::is(a, "ch") {
            ch = true;
        } else if args::is(a, "incr") {
            f.incr = true;
        } else if args::is(a, "gt") {
            f.gt = true;
        } else if args::is(a, "lt") {
            f.lt = true;
        } else {
            break;
        }
        idx += 1;
    }
    let rest = &argv[idx..];
    if rest.is_empty() || !rest.len().is_multiple_of(2) {
        return Err(CommandError::Syntax);
    }
    if f.nx && f.xx {
        return Err(CommandError::custom(
            "ERR XX and NX options at the same time are not compatible",
        ));
    }
    if (f.nx && (f.gt || f.lt)) || (f.gt && f.lt) {
        return Err(CommandError::custom(
            "ERR GT, LT, and/or NX options at the same time are not compatible",
        ));
    }
    let elements = rest.len() / 2;
    if f.incr && elements > 1 {
        return Err(CommandError::custom(
            "ERR INCR option supports a single increment-element pair",
        ));
    }
    let scores = rest.chunks(2).map(|p| args::float(&p[0])).collect::<Result<Vec<_>, _>>()?;
    let limits = limits(ctx);
    let now = ctx.now_ms;
    let db_index = ctx.client.db;
    let key = &argv[1];
    let db = ctx.db(key)?;
    // XX never creates the key; otherwise one lookup finds or creates it (an empty set left
    // by NaN is removed below).
    let zset = if f.xx {
        write_zset(db, key, now)?.map(|z| (z, true))
    } else {
        let make = || Value::ZSet(ZSet::with_hint(elements, rest[1].len(), &limits));
        match db.lookup_mut_or_add(key, now, make) {
            (Entry { value: Value::ZSet(z), .. }, added) => Some((z, !added)),
            _ => return Err(CommandError::WrongType),
        }
    };
    let (mut added, mut updated, mut processed) = (0i64, 0i64, 0i64);
    let mut last = 0.0;
    let mut nan = false;
    if let Some((z, exists)) = zset {
        if exists {
            z.maybe_convert(elements, 0, &limits);
        }
        for (pair, &score) in rest.chunks(2).zip(&scores) {
            match z.add(&pair[1], score, f, &limits) {
                Err(_) => {
                    nan = true;
                    break;
                }
                Ok(AddOutcome::Added(s)) => {
                    added += 1;
                    processed += 1;
                    last = s;
                }
                Ok(AddOutcome::Updated(s)) => {
                    updated += 1;
                    processed += 1;
                    last = s;
                }
                Ok(AddOutcome::Unchanged(s)) => {
                    processed += 1;
                    last = s;
                }
                Ok(AddOutcome::Nop) => {}
            }
        }
        if z.is_empty() {
            db.remove(key, now);
        }
    }
    if added + updated > 0 {
        ctx.signal_modified(db_index, key);
        ctx.notify(NOTIFY_ZSET, if f.incr { "zincr" } else { "zadd" }, db_index, key);
        ctx.add_dirty((added + updated - 1) as u64);
    }
    if nan {
        return Err(CommandError::custom("ERR resulting score is not a number (NaN)"));
    }
    Ok(if f.incr {
        if processed > 0 {
            Reply::Double(last)
        } else {
            Reply::Null
        }
    } else {
        Reply::Integer(if ch { added + updated } else { added })
    })
}

// ---------------------------------------------------------------------------------------------
// Simple reads

/// ZCARD key
///
/// Integer: the number of members, 0 for a missing key. Errors: `WRONGTYPE`.
pub fn zcard(ctx: &mut Ctx<'_>, argv: &[Bytes]) -> Result<Reply, CommandError> {
    let now = ctx.now_ms;
    let db = ctx.db(&argv[1])?;
    Ok(Reply::Integer(read_zset(db, &argv[1], now)?.map_or(0, |z| z.len() as i64)))
}

/// ZSCORE key member
///
/// Double, or null when the key or member is missing. Errors: `WRONGTYPE`.
pub fn zscore(ctx: &mut Ctx<'_>, argv: &[Bytes]) -> Result<Reply, CommandError> {
    let now = ctx.now_ms;
    let db = ctx.db(&argv[1])?;
    Ok(match read_zset(db, &argv[1], now)?.and_then(|z| z.score(&argv[2])) {
        Some(s) => Reply::Double(s),
        None => Reply::Null,
    })
}

/// ZMSCORE key member [member ...]
///
/// Array of doubles, null for each missing member (all null for a missing key). Errors:
/// `WRONGTYPE`.
pub fn zmscore(ctx: &mut Ctx<'_>, argv: &[Bytes]) -> Result<Reply, CommandError> {
    let now = ctx.now_ms;
    let db = ctx.db(&argv[1])?;
    let z = read_zset(db, &argv[1], now)?;
    Ok(Reply::Array(
        argv[2..]
            .iter()
            .map(|m| z.and_then(|z| z.score(m)).map_or(Reply::Null, Reply::Double))
            .collect(),
    ))
}

/// ZRANK key member [WITHSCORE] / ZREVRANK key member [WITHSCORE]
///
/// Integer: the member's 0-based rank by ascending (ZREVRANK: descending) score; null when
/// the key or member is missing. WITHSCORE (Redis 7.2): an array `[rank, score]`, or a null
/// array. Errors: `ERR wrong number of arguments` (more than 4 arguments), `ERR syntax error`,
/// `WRONGTYPE`.
pub fn zrank(ctx: &mut Ctx<'_>, argv: &[Bytes]) -> Result<Reply, CommandError> {
    zrank_generic(ctx, argv, false)
}

/// ZREVRANK key member [WITHSCORE]: see [`zrank`].
pub fn zrevrank(ctx: &mut Ctx<'_>, argv: &[Bytes]) -> Result<Reply, CommandError> {
    zrank_generic(ctx, argv, true)
}

fn zrank_generic(ctx: &mut Ctx<'_>, argv: &[Bytes], rev: bool) -> Result<Reply, CommandError> {
    if argv.len() > 4 {
        let name = if rev { "zrevrank" } else { "zrank" };
        return Err(CommandError::WrongArity(name.into()));
    }
    let withscore = match argv.get(3) {
        None => false,
        Some(a) if args::is(a, "withscore") => true,
        Some(_) => return Err(CommandError::Syntax),
    };
    let now = ctx.now_ms;
    let db = ctx.db(&argv[1])?;
    let found = read_zset(db, &argv[1], now)?.and_then(|z| z.rank(&argv[2], rev));
    Ok(match (found, withscore) {
        (None, false) => Reply::Null,
        (None, true) => Reply::NullArray,
        (Some((r, _)), false) => Reply::Integer(r as i64),
        (Some((r, s)), true) => Reply::Array(vec![Reply::Integer(r as i64), Reply::Double(s)]),
    })
}

/// ZCOUNT key min max
///
/// Integer: members with scores in `[min, max]` (`(` excludes a bound; `-inf`, `+inf`).
/// Errors: `ERR min or max is not a float`, `WRONGTYPE`.
pub fn zcount(ctx: &mut Ctx<'_>, argv: &[Bytes]) -> Result<Reply, CommandError> {
    let range = parse_score_range(&argv[2], &argv[3])?;
    let now = ctx.now_ms;
    let db = ctx.db(&argv[1])?;
    Ok(Reply::Integer(read_zset(db, &argv[1], now)?.map_or(0, |z| {
        let (lo, hi) = z.score_ranks(&range);
        (hi - lo) as i64
    })))
}

/// ZLEXCOUNT key min max
///
/// Integer: members between `min` and `max` lexicographically (`[` inclusive, `(` exclusive,
/// `-`/`+` the ends). Errors: `ERR min or max not valid string range item`, `WRONGTYPE`.
pub fn zlexcount(ctx: &mut Ctx<'_>, argv: &[Bytes]) -> Result<Reply, CommandError> {
    let range = parse_lex_range(&argv[2], &argv[3])?;
    let now = ctx.now_ms;
    let db = ctx.db(&argv[1])?;
    Ok(Reply::Integer(read_zset(db, &argv[1], now)?.map_or(0, |z| {
        let (lo, hi) = z.lex_ranks(&range);
        (hi - lo) as i64
    })))
}

// ---------------------------------------------------------------------------------------------
// ZREM, ZREMRANGEBY*

/// ZREM key member [member ...]
///
/// Integer: members removed. The key is deleted when it becomes empty. Errors: `WRONGTYPE`.
pub fn zrem(ctx: &mut Ctx<'_>, argv: &[Bytes]) -> Result<Reply, CommandError> {
    let now = ctx.now_ms;
    let db_index = ctx.client.db;
    let key = &argv[1];
    let db = ctx.db(key)?;
    let Some(z) = write_zset(db, key, now)? else { return Ok(Reply::Integer(0)) };
    let mut deleted = 0;
    for m in &argv[2..] {
        if z.remove(m) {
            deleted += 1;
            if z.is_empty() {
                break;
            }
        }
    }
    let emptied = z.is_empty();
    if emptied {
        db.remove(key, now);
    }
    if deleted > 0 {
        ctx.signal_modified(db_index, key);
        ctx.notify(NOTIFY_ZSET, "zrem", db_index, key);
        if emptied {
            ctx.notify(NOTIFY_GENERIC, "del", db_index, key);
        }
        ctx.add_dirty(deleted - 1);
    }
    Ok(Reply::Integer(deleted as i64))
}

/// Which ZREMRANGEBY* command.
enum RemRange {
    Rank(i64, i64),
    Score(ScoreRange),
    Lex(LexRange),
}

/// ZREMRANGEBYRANK key start stop
///
/// Integer: members removed whose 0-based rank is in `[start, stop]` (negative counts from
/// the end). Errors: `ERR value is not an integer or out of range`, `WRONGTYPE`.
pub fn zremrangebyrank(ctx: &mut Ctx<'_>, argv: &[Bytes]) -> Result<Reply, CommandError> {
    let range = RemRange::Rank(args::int(&argv[2])?, args::int(&argv[3])?);
    zremrange_generic(ctx, argv, range)
}

/// ZREMRANGEBYSCORE key min max
///
/// Integer: members removed whose score is in the range. Errors: `ERR min or max is not a
/// float`, `WRONGTYPE`.
pub fn zremrangebyscore(ctx: &mut Ctx<'_>, argv: &[Bytes]) -> Result<Reply, CommandError> {
    let range = RemRange::Score(parse_score_range(&argv[2], &argv[3])?);
    zremrange_generic(ctx, argv, range)
}

/// ZREMRANGEBYLEX key min max
///
/// Integer: members removed in the lexicographic range. Errors: `ERR min or max not valid
/// string range item`, `WRONGTYPE`.
pub fn zremrangebylex(ctx: &mut Ctx<'_>, argv: &[Bytes]) -> Result<Reply, CommandError> {
    let range = RemRange::Lex(parse_lex_range(&argv[2], &argv[3])?);
    zremrange_generic(ctx, argv, range)
}

fn zremrange_generic(
    ctx: &mut Ctx<'_>,
    argv: &[Bytes],
    range: RemRange,
) -> Result<Reply, CommandError> {
    let event = match &range {
        RemRange::Rank(..) => "zremrangebyrank",
        RemRange::Score(_) => "zremrangebyscore",
        RemRange::Lex(_) => "zremrangebylex",
    };
    let now = ctx.now_ms;
    let db_index = ctx.client.db;
    let key = &argv[1];
    let db = ctx.db(key)?;
    let Some(z) = write_zset(db, key, now)? else { return Ok(Reply::Integer(0)) };
    let len = z.len() as i64;
    let (lo, hi) = match range {
        RemRange::Rank(mut start, mut end) => {
            if start < 0 {
                start += len;
            }
            if end < 0 {
                end += len;
            }
            start = start.max(0);
            if start > end || start >= len {
                return Ok(Reply::Integer(0));
            }
            (start as usize, (end.min(len - 1) + 1) as usize)
        }
        RemRange::Score(r) => z.score_ranks(&r),
        RemRange::Lex(r) => z.lex_ranks(&r),
    };
    let deleted = z.remove_ranks(lo, hi);
    let emptied = z.is_empty();
    if emptied {
        db.remove(key, now);
    }
    if deleted > 0 {
        ctx.signal_modified(db_index, key);
        ctx.notify(NOTIFY_ZSET, event, db_index, key);
        if emptied {
            ctx.notify(NOTIFY_GENERIC, "del", db_index, key);
        }
        ctx.add_dirty(deleted as u64 - 1);
    }
    Ok(Reply::Integer(deleted as i64))
}

// ---------------------------------------------------------------------------------------------
// ZRANGE family

/// How a range is given.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum RangeType {
    Auto,
    Rank,
    Score,
    Lex,
}

/// Direction of a range.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Direction {
    Auto,
    Forward,
    Reverse,
}

/// A parsed range request.
enum RangeSpec {
    Rank(i64, i64),
    Score(ScoreRange),
    Lex(LexRange),
}

/// Arguments of the ZRANGE family after parsing (`zrangeGenericCommand` steps 1 and 2).
struct RangeArgs {
    spec: RangeSpec,
    rev: bool,
    withscores: bool,
    offset: i64,
    limit: i64,
}

/// Parses `argv[start..]` = `src min max [options]` as Redis's `zrangeGenericCommand`.
fn parse_range(
    argv: &[Bytes],
    start: usize,
    store: bool,
    mut rangetype: RangeType,
    mut direction: Direction,
) -> Result<RangeArgs, CommandError> {
    let (mut minidx, mut maxidx) = (start + 1, start + 2);
    let mut withscores = false;
    let (mut offset, mut limit) = (0i64, -1i64);
    let mut j = start + 3;
    while j < argv.len() {
        let a = &argv[j];
        let left = argv.len() - j - 1;
        if !store && args::is(a, "withscores") {
            withscores = true;
        } else if args::is(a, "limit") && left >= 2 {
            offset = args::int(&argv[j + 1])?;
            limit = args::int(&argv[j + 2])?;
            j += 2;
        } else if direction == Direction::Auto && args::is(a, "rev") {
            direction = Direction::Reverse;
        } else if rangetype == RangeType::Auto && args::is(a, "bylex") {
            rangetype = RangeType::Lex;
        } else if rangetype == RangeType::Auto && args::is(a, "byscore") {
            rangetype = RangeType::Score;
        } else {
            return Err(CommandError::Syntax);
        }
        j += 1;
    }
    if direction == Direction::Auto {
        direction = Direction::Forward;
    }
    if rangetype == RangeType::Auto {
        rangetype = RangeType::Rank;
    }
    if limit != -1 && rangetype == RangeType::Rank {
        return Err(CommandError::custom(
            "ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX",
        ));
    }
    if withscores && rangetype == RangeType::Lex {
        return Err(CommandError::custom(
            "ERR syntax error, WITHSCORES not supported in combination with BYLEX",
        ));
    }
    let rev = direction == Direction::Reverse;
    if rev && rangetype != RangeType::Rank {
        std::mem::swap(&mut minidx, &mut maxidx);
    }
    let spec = match rangetype {
        RangeType::Score => RangeSpec::Score(parse_score_range(&argv[minidx], &argv[maxidx])?),
        RangeType::Lex => RangeSpec::Lex(parse_lex_range(&argv[minidx], &argv[maxidx])?),
        _ => RangeSpec::Rank(args::int(&argv[minidx])?, args::int(&argv[maxidx])?),
    };
    Ok(RangeArgs { spec, rev, withscores, offset, limit })
}

/// The members a parsed range selects, in reply order.
fn select_range(z: &ZSet, r: &RangeArgs) -> Vec<Scored> {
    let len = z.len() as i64;
    let (lo, hi) = match &r.spec {
        RangeSpec::Rank(start, end) => {
            let (mut start, mut end) = (*start, *end);
            if start < 0 {
                start += len;
            }
            if end < 0 {
                end += len;
            }
            start = start.max(0);
            if start > end || start >= len {
                return Vec::new();
            }
            end = end.min(len - 1);
            let count = (end - start + 1) as usize;
            return if r.rev {
                z.range((len - 1 - start) as usize, count, true)
            } else {
                z.range(start as usize, count, false)
            };
        }
        RangeSpec::Score(s) => z.score_ranks(s),
        RangeSpec::Lex(l) => z.lex_ranks(l),
    };
    if r.offset < 0 || lo >= hi {
        return Vec::new();
    }
    let n = hi - lo;
    let offset = usize::try_from(r.offset).unwrap_or(usize::MAX);
    if offset >= n {
        return Vec::new();
    }
    let avail = n - offset;
    let count = if r.limit < 0 { avail } else { avail.min(r.limit as usize) };
    if r.rev {
        z.range(hi - 1 - offset, count, true)
    } else {
        z.range(lo + offset, count, false)
    }
}

fn zrange_generic(
    ctx: &mut Ctx<'_>,
    argv: &[Bytes],
    rangetype: RangeType,
    direction: Direction,
) -> Result<Reply, CommandError> {
    let r = parse_range(argv, 1, false, rangetype, direction)?;
    let now = ctx.now_ms;
    let resp3 = resp3(ctx);
    let db = ctx.db(&argv[1])?;
    let items = match read_zset(db, &argv[1], now)? {
        None => Vec::new(),
        Some(z) => select_range(z, &r),
    };
    Ok(scored_reply(items, r.withscores, resp3))
}

/// ZRANGE key start stop [BYSCORE|BYLEX] [REV] [LIMIT offset count] [WITHSCORES]
///
/// Array of members (with WITHSCORES: RESP2 `[m, s, ...]`, RESP3 `[[m, s], ...]`), by rank
/// by default, by score with BYSCORE, lexicographically with BYLEX; REV reverses the order
/// (and takes the bounds as `max min` for BYSCORE/BYLEX). An empty array for a missing key.
/// Errors: `ERR syntax error` (unknown or repeated option), `ERR syntax error, LIMIT is only
/// supported in combination with either BYSCORE or BYLEX`, `ERR syntax error, WITHSCORES not
/// supported in combination with BYLEX`, `ERR value is not an integer or out of range`,
/// `ERR min or max is not a float`, `ERR min or max not valid string range item`,
/// `WRONGTYPE`.
pub fn zrange(ctx: &mut Ctx<'_>, argv: &[Bytes]) -> Result<Reply, CommandError> {
    zrange_generic(ctx, argv, RangeType::Auto, Direction::Auto)
}

/// ZREVRANGE key start stop [WITHSCORES]: ZRANGE ... REV by rank.
pub fn zrevrange(ctx: &mut Ctx<'_>, argv: &[Bytes]) -> Result<Reply, CommandError> {
    zrange_generic(ctx, argv, RangeType::Rank, Direction::Reverse)
}

/// ZRANGEBYSCORE key min max [WITHSCORES] [LIMIT offset count]: ZRANGE ... BYSCORE.
pub fn zrangebyscore(ctx: &mut Ctx<'_>, argv: &[Bytes]) -> Result<Reply, CommandError> {
    zrange_generic(ctx, argv, RangeType::Score, Direction::Forward)
}

/// ZREVRANGEBYSCORE key max min [WITHSCORES] [LIMIT offset count]: ZRANGE ... BYSCORE REV.
pub fn zrevrangebyscore(ctx: &mut Ctx<'_>, argv: &[Bytes]) -> Result<Reply, CommandError> {
    zrange_generic(ctx, argv, RangeType::Score, Direction::Reverse)
}

/// ZRANGEBYLEX key min max [LIMIT offset count]: ZRANGE ... BYLEX.
pub fn zrangebylex(ctx: &mut Ctx<'_>, argv: &[Bytes]) -> Result<Reply, CommandError> {
    zrange_generic(ctx, argv, RangeType::Lex, Direction::Forward)
}

/// ZREVRANGEBYLEX key max min [LIMIT offset count]: ZRANGE ... BYLEX REV.
pub fn zrevrangebylex(ctx: &mut Ctx<'_>, argv: &[Bytes]) -> Result<Reply, CommandError> {
    zrange_generic(ctx, argv, RangeType::Lex, Direction::Reverse)
}

/// ZRANGESTORE dst src min max [BYSCORE|BYLEX] [REV] [LIMIT offset count]
///
/// Integer: the number of members stored at `dst` (which is overwritten, or deleted when the
/// range is empty). Errors: as ZRANGE (WITHSCORES is a syntax error), `WRONGTYPE` for `src`.
pub fn zrangestore(ctx: &mut Ctx<'_>, argv: &[Bytes]) -> Result<Reply, CommandError> {
    let r = parse_range(argv, 2, true, RangeType::Auto, Direction::Auto)?;
    let now = ctx.now_ms;
    let limits = limits(ctx);
    let db = ctx.db(&argv[2])?;
    let items = match read_zset(db, &argv[2], now)? {
        None => Vec::new(),
        Some(z) => select_range(z, &r),
    };
    let mut out = ZSet::with_hint(items.len(), 0, &limits);
    for (m, s) in &items {
        let _ = out.add(m, *s, AddFlags::default(), &limits);
    }
    store_result(ctx, &argv[1], out, "zrangestore")
}

// ---------------------------------------------------------------------------------------------
// Pops

/// Pops up to `count` members with the lowest (or, with `max`, highest) scores from the sorted
/// set at `key`, for ZPOPMIN/ZPOPMAX/ZMPOP and the lead's BZPOPMIN/BZPOPMAX/BZMPOP.
///
/// `Ok(None)` when the key is missing; `Ok(Some(v))` with the popped `(member, score)` pairs
/// in pop order (possibly empty when `count` is 0). Deletes the key when it becomes empty and
/// signals the write (`ctx.signal_modified`) when anything was popped. Errors: `WRONGTYPE`.
/// Follows `genericZpopCommand`.
pub(crate) fn zpop(
    ctx: &mut Ctx<'_>,
    key: &[u8],
    max: bool,
    count: usize,
) -> Result<Option<Vec<Scored>>, CommandError> {
    let now = ctx.now_ms;
    let db_index = ctx.client.db;
    let db = ctx.db(key)?;
    let Some(z) = write_zset(db, key, now)? else { return Ok(None) };
    let len = z.len();
    let n = count.min(len);
    let items = if max { z.range(len - 1, n, true) } else { z.range(0, n, false) };
    if max {
        z.remove_ranks(len - n, len);
    } else {
        z.remove_ranks(0, n);
    }
    let emptied = z.is_empty();
    if emptied {
        db.remove(key, now);
    }
    if n > 0 {
        ctx.signal_modified(db_index, key);
        ctx.notify(NOTIFY_ZSET, if max { "zpopmax" } else { "zpopmin" }, db_index, key);
        if emptied {
            ctx.notify(NOTIFY_GENERIC, "del", db_index, key);
        }
        ctx.add_dirty(n as u64 - 1);
    }
    Ok(Some(items))
}

/// ZPOPMIN key [count] / ZPOPMAX key [count]
///
/// Without count: `[member, score]` (flat in both protocols), or an empty array. With count:
/// RESP2 a flat `[m, s, ...]`, RESP3 `[[m, s], ...]`. Errors: `ERR syntax error` (more than
/// one count), `ERR value is out of range, must be positive` (also for a non-integer), `WRONGTYPE`.
pub fn zpopmin(ctx: &mut Ctx<'_>, argv: &[Bytes]) -> Result<Reply, CommandError> {
    zpop_command(ctx, argv, false)
}

/// ZPOPMAX key [count]: see [`zpopmin`].
pub fn zpopmax(ctx: &mut Ctx<'_>, argv: &[Bytes]) -> Result<Reply, CommandError> {
    zpop_command(ctx, argv, true)
}

/// A count that must be a non-negative integer: `ERR value is out of range, must be positive`
/// otherwise (for a non-integer too).
fn positive_long(arg: &[u8]) -> Result<i64, CommandError> {
    num::parse_i64(arg)
        .filter(|&v| v >= 0)
        .ok_or(CommandError::custom("ERR value is out of range, must be positive"))
}

fn zpop_command(ctx: &mut Ctx<'_>, argv: &[Bytes], max: bool) -> Result<Reply, CommandError> {
    if argv.len() > 3 {
        return Err(CommandError::Syntax);
    }
    let count = match argv.get(2) {
        Some(a) => Some(positive_long(a)? as usize),
        None => None,
    };
    let nested = resp3(ctx) && count.is_some();
    Ok(match zpop(ctx, &argv[1], max, count.unwrap_or(1))? {
        None => Reply::Array(Vec::new()),
        Some(items) => scored_reply(items, true, nested),
    })
}

/// ZMPOP's parsed arguments: the key positions, the side and the count.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct ZmpopArgs {
    /// Indexes in argv of the keys, in order.
    pub keys: std::ops::Range<usize>,
    /// MAX (true) or MIN.
    pub max: bool,
    /// COUNT, 1 by default.
    pub count: usize,
}

/// Parses `numkeys key [key ...] MIN|MAX [COUNT count]` with numkeys at `argv[numkeys_idx]`
/// (1 for ZMPOP, 2 for BZMPOP), as Redis's `zmpopGenericCommand`. Errors: `ERR numkeys should
/// be greater than 0`, `ERR syntax error`, `ERR count should be greater than 0`.
pub(crate) fn parse_zmpop(argv: &[Bytes], numkeys_idx: usize) -> Result<ZmpopArgs, CommandError> {
    let m = args::mpop(argv, numkeys_idx, ["min", "max"])?;
    Ok(ZmpopArgs { keys: m.keys, max: !m.first, count: m.count })
}

/// ZMPOP numkeys key [key ...] MIN|MAX [COUNT count]
///
/// Pops from the first non-empty sorted set among the keys: `[key, [[member, score], ...]]`
/// (pairs nested in both protocols), or a null array when every key is missing. Errors: see
/// [`parse_zmpop`], `WRONGTYPE` (the first existing key of another type, in key order).
pub fn zmpop(ctx: &mut Ctx<'_>, argv: &[Bytes]) -> Result<Reply, CommandError> {
    let a = parse_zmpop(argv, 1)?;
    for i in a.keys.clone() {
        if let Some(items) = zpop(ctx, &argv[i], a.max, a.count)? {
            let pairs = items
                .into_iter()
                .map(|(m, s)| Reply::Array(vec![Reply::Bulk(Bytes::from(m)), Reply::Double(s)]))
                .collect();
            return Ok(Reply::Array(vec![Reply::Bulk(argv[i].clone()), Reply::Array(pairs)]));
        }
    }
    Ok(Reply::NullArray)
}

// ---------------------------------------------------------------------------------------------
// ZRANDMEMBER

/// Largest negative ZRANDMEMBER count served (see [`zrandmember`]).
const MAX_RANDOM_REPEATS: usize = 1 << 31;

/// ZRANDMEMBER key [count [WITHSCORES]]
///
/// Without count: a random member, or null. With a positive count: up to `count` distinct
/// members; with a negative count: exactly `-count` members, repeats allowed. WITHSCORES:
/// RESP2 flat, RESP3 pairs. Errors: `ERR value is not an integer or out of range`, `ERR value
/// is out of range, value must between -9223372036854775807 and 9223372036854775807` (sic), `ERR
/// syntax error`, `ERR value is out of range` (WITHSCORES with |count| beyond `LONG_MAX/2`;
/// also, unlike Redis, any negative count beyond -2^31, whose reply would exhaust memory),
/// `WRONGTYPE`.
pub fn zrandmember(ctx: &mut Ctx<'_>, argv: &[Bytes]) -> Result<Reply, CommandError> {
    use rand::Rng;
    let now = ctx.now_ms;
    let resp3 = resp3(ctx);
    let mut count: Option<i64> = None;
    let mut withscores = false;
    if argv.len() >= 3 {
        let l = args::int(&argv[2])?;
        if l == i64::MIN {
            return Err(CommandError::custom(
                "ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807",
            ));
        }
        if argv.len() > 4 || (argv.len() == 4 && !args::is(&argv[3], "withscores")) {
            return Err(CommandError::Syntax);
        }
        if argv.len() == 4 {
            withscores = true;
            if !(-(i64::MAX / 2)..=i64::MAX / 2).contains(&l) {
                return Err(CommandError::custom("ERR value is out of range"));
            }
        }
        count = Some(l);
    }
    let db = ctx.db(&argv[1])?;
    let z = read_zset(db, &argv[1], now)?;
    let mut rng = rand::rng();
    let Some(l) = count else {
        return Ok(match z {
            None => Reply::Null,
            Some(z) => {
                Reply::Bulk(Bytes::from(z.get(rng.random_range(0..z.len())).expect("rank").0))
            }
        });
    };
    let Some(z) = z else { return Ok(Reply::Array(Vec::new())) };
    let len = z.len();
    if l == 0 {
        return Ok(Reply::Array(Vec::new()));
    }
    let items: Vec<Scored> = if l < 0 || l == 1 {
        let n = l.unsigned_abs() as usize;
        // Redis would stream such a reply until memory runs out; we refuse counts whose
        // reply could not be built (a deliberate deviation, with Redis's range error text).
        if n > MAX_RANDOM_REPEATS {
            return Err(CommandError::custom("ERR value is out of range"));
        }
        if matches!(z, ZSet::ListPack(_)) {
            let all = z.to_vec();
            (0..n).map(|_| all[rng.random_range(0..len)].clone()).collect()
        } else {
            (0..n).map(|_| z.get(rng.random_range(0..len)).expect("rank")).collect()
        }
    } else if l as usize >= len {
        // The whole set, highest score first, as Redis replies.
        z.range(len - 1, len, true)
    } else {
        let n = l as usize;
        let mut ranks: Vec<usize> = (0..len).collect();
        for i in 0..n {
            let j = rng.random_range(i..len);
            ranks.swap(i, j);
        }
        ranks.truncate(n);
        if matches!(z, ZSet::ListPack(_)) {
            let all = z.to_vec();
            ranks.into_iter().map(|r| all[r].clone()).collect()
        } else {
            ranks.into_iter().map(|r| z.get(r).expect("rank")).collect()
        }
    };
    Ok(scored_reply(items, withscores, resp3))
}

// ---------------------------------------------------------------------------------------------
// ZUNION, ZINTER, ZDIFF and their STORE forms, ZINTERCARD

/// The set operation.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum SetOp {
    Union,
    Inter,
    Diff,
}

/// How scores of a member present in several inputs combine.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Aggregate {
    Sum,
    Min,
    Max,
}

/// `zunionInterAggregate`: NaN from `inf + -inf` becomes 0.
fn aggregate(target: &mut f64, val: f64, how: Aggregate) {
    match how {
        Aggregate::Sum => {
            *target += val;
            if target.is_nan() {
                *target = 0.0;
            }
        }
        Aggregate::Min => *target = target.min(val),
        Aggregate::Max => *target = target.max(val),
    }
}

/// One input: its members with scores, and a member index for lookups.
struct Source {
    items: Vec<Scored>,
    index: HashMap<Vec<u8>, f64>,
    weight: f64,
}

impl Source {
    fn find(&self, m: &[u8]) -> Option<f64> {
        self.index.get(m).copied()
    }
}

/// Reads the input keys (`argv[first..first + n]`), failing with `WRONGTYPE` for a key that
/// is neither a sorted set nor a set.
fn read_sources(
    ctx: &mut Ctx<'_>,
    argv: &[Bytes],
    first: usize,
    n: usize,
) -> Result<Vec<Source>, CommandError> {
    let now = ctx.now_ms;
    let mut out = Vec::with_capacity(n);
    for key in &argv[first..first + n] {
        let db = ctx.db(key)?;
        let items: Vec<Scored> = match db.lookup_read(key, now) {
            None => Vec::new(),
            Some(e) => match (&e.value, e.value.set_view()) {
                (Value::ZSet(z), _) => z.to_vec(),
                // A plain set (any of its stored forms): every member with score 1, as
                // `zuiNext` reads a set input.
                (_, Some(set)) => set.members().into_iter().map(|m| (m, 1.0)).collect(),
                _ => return Err(CommandError::WrongType),
            },
        };
        out.push(Source { items, index: HashMap::new(), weight: 1.0 });
    }
    Ok(out)
}

/// Parses numkeys at `argv[idx]` as `zunionInterDiffGenericCommand`: an integer at least 1
/// and no more than the arguments left.
fn parse_numkeys(argv: &[Bytes], idx: usize, cmd: &str) -> Result<usize, CommandError> {
    let n = args::int(&argv[idx])?;
    if n < 1 {
        return Err(CommandError::custom(format!(
            "ERR at least 1 input key is needed for '{cmd}' command"
        )));
    }
    if n as u64 > (argv.len() - idx - 1) as u64 {
        return Err(CommandError::Syntax);
    }
    Ok(n as usize)
}

/// Computes the operation over the sources (weights applied), as Redis does: inputs sorted by
/// cardinality, NaN products and sums taken as 0. Returns the members sorted by score.
fn compute(mut src: Vec<Source>, op: SetOp, agg: Aggregate) -> Vec<Scored> {
    let mut acc: HashMap<Vec<u8>, f64> = HashMap::new();
    let mut order: Vec<Vec<u8>> = Vec::new();
    match op {
        SetOp::Union => {
            src.sort_by_key(|s| s.items.len());
            for s in &src {
                for (m, v) in &s.items {
                    let mut score = s.weight * v;
                    if score.is_nan() {
                        score = 0.0;
                    }
                    match acc.get_mut(m) {
                        Some(t) => aggregate(t, score, agg),
                        None => {
                            acc.insert(m.clone(), score);
                            order.push(m.clone());
                        }
                    }
                }
            }
        }
        SetOp::Inter => {
            src.sort_by_key(|s| s.items.len());
            for s in src.iter_mut().skip(1) {
                s.index = s.items.iter().cloned().collect();
            }
            if let Some((first, rest)) = src.split_first() {
                'outer: for (m, v) in &first.items {
                    let mut score = first.weight * v;
                    if score.is_nan() {
                        score = 0.0;
                    }
                    for s in rest {
                        match s.find(m) {
                            Some(o) => {
                                let mut val = s.weight * o;
                                if val.is_nan() {
                                    val = 0.0;
                                }
                                aggregate(&mut score, val, agg);
                            }
                            None => continue 'outer,
                        }
                    }
                    acc.insert(m.clone(), score);
                    order.push(m.clone());
                }
            }
        }
        SetOp::Diff => {
            for s in src.iter_mut().skip(1) {
                s.index = s.items.iter().cloned().collect();
            }
            if let Some((first, rest)) = src.split_first() {
                for (m, v) in &first.items {
                    if rest.iter().all(|s| s.find(m).is_none()) {
                        acc.insert(m.clone(), *v);
                        order.push(m.clone());
                    }
                }
            }
        }
    }
    let mut out: Vec<Scored> = order
        .into_iter()
        .map(|m| {
            let s = acc[&m];
            (m, s)
        })
        .collect();
    out.sort_by(|a, b| {
        a.1.partial_cmp(&b.1).unwrap_or(std::cmp::Ordering::Equal).then(a.0.cmp(&b.0))
    });
    out
}

/// The shared body of ZUNION/ZINTER/ZDIFF (`dst` None) and their STORE forms.
fn zsetop_generic(
    ctx: &mut Ctx<'_>,
    argv: &[Bytes],
    numkeys_idx: usize,
    dst: Option<&Bytes>,
    op: SetOp,
) -> Result<Reply, CommandError> {
    let cmd = String::from_utf8_lossy(&argv[0]).to_ascii_lowercase();
    let n = parse_numkeys(argv, numkeys_idx, &cmd)?;
    let first = numkeys_idx + 1;
    let mut src = read_sources(ctx, argv, first, n)?;
    let mut agg = Aggregate::Sum;
    let mut withscores = false;
    let mut j = first + n;
    while j < argv.len() {
        let remaining = argv.len() - j;
        let a = &argv[j];
        if op != SetOp::Diff && remaining > n && args::is(a, "weights") {
            for (i, s) in src.iter_mut().enumerate() {
                s.weight = num::parse_f64(&argv[j + 1 + i])
                    .ok_or(CommandError::custom("ERR weight value is not a float"))?;
            }
            j += 1 + n;
        } else if op != SetOp::Diff && remaining >= 2 && args::is(a, "aggregate") {
            let v = &argv[j + 1];
            agg = if args::is(v, "sum") {
                Aggregate::Sum
            } else if args::is(v, "min") {
                Aggregate::Min
            } else if args::is(v, "max") {
                Aggregate::Max
            } else {
                return Err(CommandError::Syntax);
            };
            j += 2;
        } else if dst.is_none() && args::is(a, "withscores") {
            withscores = true;
            j += 1;
        } else {
            return Err(CommandError::Syntax);
        }
    }
    let result = compute(src, op, agg);
    match dst {
        None => Ok(scored_reply(result, withscores, resp3(ctx))),
        Some(dst) => {
            let limits = limits(ctx);
            let mut z = ZSet::new_skiplist();
            let mut maxlen = 0;
            for (m, s) in &result {
                maxlen = maxlen.max(m.len());
                let _ = z.add(m, *s, AddFlags::default(), &limits);
            }
            z.convert_to_listpack_if_needed(maxlen, &limits);
            let event = match op {
                SetOp::Union => "zunionstore",
                SetOp::Inter => "zinterstore",
                SetOp::Diff => "zdiffstore",
            };
            store_result(ctx, dst, z, event)
        }
    }
}

/// ZUNION numkeys key [key ...] [WEIGHTS weight ...] [AGGREGATE SUM|MIN|MAX] [WITHSCORES]
///
/// Array of the union's members by score (WITHSCORES: RESP2 flat, RESP3 pairs). Sets count
/// as sorted sets with every score 1. Errors: `ERR value is not an integer or out of range`,
/// `ERR at least 1 input key is needed for 'zunion' command`, `ERR syntax error`,
/// `WRONGTYPE` (checked before the options), `ERR weight value is not a float`.
pub fn zunion(ctx: &mut Ctx<'_>, argv: &[Bytes]) -> Result<Reply, CommandError> {
    zsetop_generic(ctx, argv, 1, None, SetOp::Union)
}

/// ZINTER numkeys key [key ...] [WEIGHTS ...] [AGGREGATE ...] [WITHSCORES]: see [`zunion`].
pub fn zinter(ctx: &mut Ctx<'_>, argv: &[Bytes]) -> Result<Reply, CommandError> {
    zsetop_generic(ctx, argv, 1, None, SetOp::Inter)
}

/// ZDIFF numkeys key [key ...] [WITHSCORES]: the first input's members found in no other
/// input, with their scores. See [`zunion`].
pub fn zdiff(ctx: &mut Ctx<'_>, argv: &[Bytes]) -> Result<Reply, CommandError> {
    zsetop_generic(ctx, argv, 1, None, SetOp::Diff)
}

/// ZUNIONSTORE destination numkeys key [key ...] [WEIGHTS ...] [AGGREGATE ...]
///
/// Integer: the size of the result stored at `destination` (overwritten; deleted when the
/// result is empty), encoded as `zsetConvertToListpackIfNeeded` decides. Errors: as ZUNION.
pub fn zunionstore(ctx: &mut Ctx<'_>, argv: &[Bytes]) -> Result<Reply, CommandError> {
    zsetop_generic(ctx, argv, 2, Some(&argv[1]), SetOp::Union)
}

/// ZINTERSTORE destination numkeys key [key ...] [WEIGHTS ...] [AGGREGATE ...]: see
/// [`zunionstore`].
pub fn zinterstore(ctx: &mut Ctx<'_>, argv: &[Bytes]) -> Result<Reply, CommandError> {
    zsetop_generic(ctx, argv, 2, Some(&argv[1]), SetOp::Inter)
}

/// ZDIFFSTORE destination numkeys key [key ...]: see [`zunionstore`].
pub fn zdiffstore(ctx: &mut Ctx<'_>, argv: &[Bytes]) -> Result<Reply, CommandError> {
    zsetop_generic(ctx, argv, 2, Some(&argv[1]), SetOp::Diff)
}

/// ZINTERCARD numkeys key [key ...] [LIMIT limit]
///
/// Integer: the size of the intersection, stopping at `limit` when it is not 0. Errors: `ERR
/// at least 1 input key is needed for 'zintercard' command`, `ERR syntax error`, `WRONGTYPE`,
/// `ERR LIMIT can't be negative`.
pub fn zintercard(ctx: &mut Ctx<'_>, argv: &[Bytes]) -> Result<Reply, CommandError> {
    let n = parse_numkeys(argv, 1, "zintercard")?;
    let src = read_sources(ctx, argv, 2, n)?;
    let mut limit = 0i64;
    let mut j = 2 + n;
    while j < argv.len() {
        if argv.len() - j >= 2 && args::is(&argv[j], "limit") {
            limit =
                args::int_or(&argv[j + 1], CommandError::custom("ERR LIMIT can't be negative"))?;
            if limit < 0 {
                return Err(CommandError::custom("ERR LIMIT can't be negative"));
            }
            j += 2;
        } else {
            return Err(CommandError::Syntax);
        }
    }
    let total = compute(src, SetOp::Inter, Aggregate::Sum).len() as i64;
    Ok(Reply::Integer(if limit > 0 { total.min(limit) } else { total }))
}

// ---------------------------------------------------------------------------------------------
// ZSCAN

/// ZSCAN key cursor [MATCH pattern] [COUNT count]
///
/// `[next cursor, [member, score, ...]]` with scores as bulk strings in both protocols (as
/// Redis's `scanGenericCommand`). A `listpack` set is returned whole with cursor 0; a
/// `skiplist` set is walked through its dict (every member present for the whole scan is
/// returned at least once). A missing key gives `["0", []]`. Errors: `ERR invalid cursor`,
/// `WRONGTYPE`, `ERR value is not an integer or out of range`, `ERR syntax error`.
pub fn zscan(ctx: &mut Ctx<'_>, argv: &[Bytes]) -> Result<Reply, CommandError> {
    let cursor = crate::commands::keys::parse_cursor(&argv[2])
        .ok_or(CommandError::custom("ERR invalid cursor"))?;
    let now = ctx.now_ms;
    let db = ctx.db(&argv[1])?;
    let empty = || Reply::Array(vec![Reply::bulk(b"0"), Reply::Array(Vec::new())]);
    let Some(z) = read_zset(db, &argv[1], now)? else { return Ok(empty()) };
    let mut count = 10i64;
    let mut pattern: Option<&[u8]> = None;
    let mut cur = ArgCursor::new(argv, 3);
    while let Some(opt) = cur.next_arg() {
        if cur.remaining() == 0 {
            return Err(CommandError::Syntax);
        }
        if args::is(opt, "count") {
            count = args::int(cur.value()?)?;
            if count < 1 {
                return Err(CommandError::Syntax);
            }
        } else if args::is(opt, "match") {
            let p = cur.value()?;
            pattern = (p != b"*").then_some(p);
        } else {
            return Err(CommandError::Syntax);
        }
    }
    let mut items: Vec<Scored> = Vec::new();
    let next = match z {
        ZSet::ListPack(_) => z.scan(0, |m, s| items.push((m.to_vec(), s))),
        ZSet::SkipList(_) => {
            let count = usize::try_from(count).unwrap_or(usize::MAX);
            let mut iterations = count.saturating_mul(10);
            let mut c = cursor;
            loop {
                c = z.scan(c, |m, s| items.push((m.to_vec(), s)));
                iterations = iterations.saturating_sub(1);
                if c == 0 || iterations == 0 || items.len() >= count {
                    break;
                }
            }
            c
        }
    };
    let mut out = Vec::with_capacity(items.len() * 2);
    for (m, s) in items {
        if pattern.is_some_and(|p| !string_match(p, &m, false)) {
            continue;
        }
        let mut buf = Vec::with_capacity(24);
        ferrodis_resp::double::format_double(s, &mut buf);
        out.push(Reply::Bulk(Bytes::from(m)));
        out.push(Reply::Bulk(Bytes::from(buf)));
    }
    let next = Bytes::copy_from_slice(itoa::Buffer::new().format(next).as_bytes());
    Ok(Reply::Array(vec![Reply::Bulk(next), Reply::Array(out)]))
}

// ---------------------------------------------------------------------------------------------
// Specs

const RO_ACCESS: &[KeySpec] = &[KeySpec::single(1, keyflags::RO | keyflags::ACCESS)];
const RO: &[KeySpec] = &[KeySpec::single(1, keyflags::RO)];
const RW_UPDATE: &[KeySpec] = &[KeySpec::single(1, keyflags::RW | keyflags::UPDATE)];
const RW_ACCESS_UPDATE: &[KeySpec] =
    &[KeySpec::single(1, keyflags::RW | keyflags::ACCESS | keyflags::UPDATE)];
const RW_DELETE: &[KeySpec] = &[KeySpec::single(1, keyflags::RW | keyflags::DELETE)];
const RW_ACCESS_DELETE: &[KeySpec] =
    &[KeySpec::single(1, keyflags::RW | keyflags::ACCESS | keyflags::DELETE)];
/// `numkeys key [key ...]` at index 1, read.
const KEYNUM_RO: &[KeySpec] = &[KeySpec {
    flags: keyflags::RO | keyflags::ACCESS,
    notes: None,
    begin: BeginSearch::Index(1),
    find: FindKeys::Keynum { keynumidx: 0, firstkey: 1, keystep: 1 },
}];
/// ZMPOP's keys.
const KEYNUM_POP: &[KeySpec] = &[KeySpec {
    flags: keyflags::RW | keyflags::ACCESS | keyflags::DELETE,
    notes: None,
    begin: BeginSearch::Index(1),
    find: FindKeys::Keynum { keynumidx: 0, firstkey: 1, keystep: 1 },
}];
/// A store command's destination at 1 and `numkeys key [key ...]` at 2.
const STORE_KEYNUM: &[KeySpec] = &[
    KeySpec::single(1, keyflags::OW | keyflags::UPDATE),
    KeySpec {
        flags: keyflags::RO | keyflags::ACCESS,
        notes: None,
        begin: BeginSearch::Index(2),
        find: FindKeys::Keynum { keynumidx: 0, firstkey: 1, keystep: 1 },
    },
];
const RANGESTORE_KEYS: &[KeySpec] = &[
    KeySpec::single(1, keyflags::OW | keyflags::UPDATE),
    KeySpec::single(2, keyflags::RO | keyflags::ACCESS),
];

const W: u64 = flags::WRITE;
const R: u64 = flags::READONLY;

macro_rules! zspec {
    ($name:literal, $handler:ident, $arity:expr, $flags:expr, $keys:expr, $since:literal, $summary:literal, $complexity:literal) => {
        zspec!($name, $handler, $arity, $flags, $keys, $since, $summary, $complexity, &[])
    };
    ($name:literal, $handler:ident, $arity:expr, $flags:expr, $keys:expr, $since:literal, $summary:literal, $complexity:literal, $tips:expr) => {
        CommandSpec {
            name: $name,
            arity: $arity,
            flags: $flags,
            acl: acl::SORTEDSET,
            keys: $keys,
            group: Group::SortedSet,
            since: $since,
            summary: $summary,
            complexity: $complexity,
            tips: $tips,
            handler: Some($handler),
            ..CommandSpec::DEFAULT
        }
    };
}

/// Adds COMMAND DOCS arguments and history to a spec.
const fn with_docs(
    mut spec: CommandSpec,
    arguments: &'static [Arg],
    history: &'static [(&'static str, &'static str)],
) -> CommandSpec {
    spec.arguments = arguments;
    spec.history = history;
    spec
}

/// Marks a spec deprecated since 6.2.0 (the legacy ZRANGE forms), naming its replacement.
const fn deprecated(mut spec: CommandSpec, replaced_by: &'static str) -> CommandSpec {
    spec.doc_flags = docflags::DEPRECATED;
    spec.deprecated_since = Some("6.2.0");
    spec.replaced_by = Some(replaced_by);
    spec
}

/// The sorted set commands.
pub static SPECS: &[CommandSpec] = &[
    with_docs(zspec!("zadd", zadd, -4, W | flags::DENYOOM | flags::FAST, RW_UPDATE, "1.2.0",
        "Adds members with scores to a sorted set or updates their scores, creating the key when needed.",
        "O(log(N)) for each item added, where N is the number of elements in the sorted set."), docs::ZADD, docs::ZADD_HISTORY),
    with_docs(zspec!("zincrby", zincrby, 4, W | flags::DENYOOM | flags::FAST, RW_ACCESS_UPDATE, "1.2.0",
        "Adds an increment to one member's score.",
        "O(log(N)) where N is the number of elements in the sorted set."), docs::ZINCRBY, &[]),
    with_docs(zspec!("zcard", zcard, 2, R | flags::FAST, RO, "1.2.0",
        "Counts the members of a sorted set.", "O(1)"), docs::ZCARD, &[]),
    with_docs(zspec!("zscore", zscore, 3, R | flags::FAST, RO_ACCESS, "1.2.0",
        "Gives the score of one member.", "O(1)"), docs::ZSCORE, &[]),
    with_docs(zspec!("zmscore", zmscore, -3, R | flags::FAST, RO_ACCESS, "6.2.0",
        "Gives the scores of several members.",
        "O(N) where N is the number of members being requested."), docs::ZMSCORE, &[]),
    with_docs(zspec!("zrank", zrank, -3, R | flags::FAST, RO_ACCESS, "2.0.0",
        "Gives a member's position when ordered by ascending score.",
        "O(log(N))"), super::docs::ZRANK, super::docs::ZRANK_HISTORY),
    with_docs(zspec!("zrevrank", zrevrank, -3, R | flags::FAST, RO_ACCESS, "2.0.0",
        "Gives a member's position when ordered by descending score.",
        "O(log(N))"), super::docs::ZRANK, super::docs::ZRANK_HISTORY),
    with_docs(zspec!("zcount", zcount, 4, R | flags::FAST, RO_ACCESS, "2.0.0",
        "Counts the members whose score falls in a range.",
        "O(log(N)) with N being the number of elements in the sorted set."), docs::ZCOUNT, &[]),
    with_docs(zspec!("zlexcount", zlexcount, 4, R | flags::FAST, RO_ACCESS, "2.8.9",
        "Counts the members between two strings in lexicographical order.",
        "O(log(N)) with N being the number of elements in the sorted set."), docs::ZLEXCOUNT, &[]),
    with_docs(zspec!("zrem", zrem, -3, W | flags::FAST, RW_DELETE, "1.2.0",
        "Removes members; the key goes away with its last member.",
        "O(M*log(N)) with N being the number of elements in the sorted set and M the number of elements to be removed."), docs::ZREM, docs::ZREM_HISTORY),
    with_docs(zspec!("zrange", zrange, -4, R, RO_ACCESS, "1.2.0",
        "Reads members by position, score or lexicographical range, in either direction.",
        "O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements returned."), docs::ZRANGE, docs::ZRANGE_HISTORY),
    deprecated(with_docs(zspec!("zrevrange", zrevrange, -4, R, RO_ACCESS, "1.2.0",
        "Reads members by position, highest score first.",
        "O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements returned."), docs::ZREVRANGE, &[]), "`ZRANGE` with the `REV` argument"),
    deprecated(with_docs(zspec!("zrangebyscore", zrangebyscore, -4, R, RO_ACCESS, "1.0.5",
        "Reads members whose score falls in a range, lowest first.",
        "O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements being returned. If M is constant (e.g. always asking for the first 10 elements with LIMIT), you can consider it O(log(N))."), docs::ZRANGEBYSCORE, docs::ZRANGEBYSCORE_HISTORY), "`ZRANGE` with the `BYSCORE` argument"),
    deprecated(with_docs(zspec!("zrevrangebyscore", zrevrangebyscore, -4, R, RO_ACCESS, "2.2.0",
        "Reads members whose score falls in a range, highest first.",
        "O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements being returned. If M is constant (e.g. always asking for the first 10 elements with LIMIT), you can consider it O(log(N))."), docs::ZREVRANGEBYSCORE, docs::ZREVRANGEBYSCORE_HISTORY), "`ZRANGE` with the `REV` and `BYSCORE` arguments"),
    deprecated(with_docs(zspec!("zrangebylex", zrangebylex, -4, R, RO_ACCESS, "2.8.9",
        "Reads members between two strings, in ascending lexicographical order.",
        "O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements being returned. If M is constant (e.g. always asking for the first 10 elements with LIMIT), you can consider it O(log(N))."), docs::ZRANGEBYLEX, &[]), "`ZRANGE` with the `BYLEX` argument"),
    deprecated(with_docs(zspec!("zrevrangebylex", zrevrangebylex, -4, R, RO_ACCESS, "2.8.9",
        "Reads members between two strings, in descending lexicographical order.",
        "O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements being returned. If M is constant (e.g. always asking for the first 10 elements with LIMIT), you can consider it O(log(N))."), docs::ZREVRANGEBYLEX, &[]), "`ZRANGE` with the `REV` and `BYLEX` arguments"),
    with_docs(zspec!("zrangestore", zrangestore, -5, W | flags::DENYOOM, RANGESTORE_KEYS, "6.2.0",
        "Copies a range of members, as ZRANGE selects them, into another key.",
        "O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements stored into the destination key."), docs::ZRANGESTORE, &[]),
    with_docs(zspec!("zremrangebyrank", zremrangebyrank, 4, W, RW_DELETE, "2.0.0",
        "Removes the members within a range of positions.",
        "O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements removed by the operation."), docs::ZREMRANGEBYRANK, &[]),
    with_docs(zspec!("zremrangebyscore", zremrangebyscore, 4, W, RW_DELETE, "1.2.0",
        "Removes the members whose score falls in a range.",
        "O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements removed by the operation."), docs::ZREMRANGEBYSCORE, &[]),
    with_docs(zspec!("zremrangebylex", zremrangebylex, 4, W, RW_DELETE, "2.8.9",
        "Removes the members between two strings in lexicographical order.",
        "O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements removed by the operation."), docs::ZREMRANGEBYLEX, &[]),
    with_docs(zspec!("zpopmin", zpopmin, -2, W | flags::FAST, RW_ACCESS_DELETE, "5.0.0",
        "Removes and hands back the members with the lowest scores.",
        "O(log(N)*M) with N being the number of elements in the sorted set, and M being the number of elements popped."), docs::ZPOPMIN, &[]),
    with_docs(zspec!("zpopmax", zpopmax, -2, W | flags::FAST, RW_ACCESS_DELETE, "5.0.0",
        "Removes and hands back the members with the highest scores.",
        "O(log(N)*M) with N being the number of elements in the sorted set, and M being the number of elements popped."), docs::ZPOPMAX, &[]),
    with_docs(zspec!("zmpop", zmpop, -4, W | flags::MOVABLE_KEYS, KEYNUM_POP, "7.0.0",
        "Removes and hands back the lowest- or highest-scoring members of the first non-empty sorted set among several keys.",
        "O(K) + O(M*log(N)) where K is the number of provided keys, N being the number of elements in the sorted set, and M being the number of elements popped."), docs::ZMPOP, &[]),
    with_docs(zspec!("zrandmember", zrandmember, -2, R, RO_ACCESS, "6.2.0",
        "Picks random members, optionally with repeats and scores.",
        "O(N) where N is the number of members returned", &["nondeterministic_output"]), docs::ZRANDMEMBER, &[]),
    with_docs(zspec!("zunion", zunion, -3, R | flags::MOVABLE_KEYS, KEYNUM_RO, "6.2.0",
        "Combines several sorted sets into their union.",
        "O(N)+O(M*log(M)) with N being the sum of the sizes of the input sorted sets, and M being the number of elements in the resulting sorted set."), docs::ZUNION, &[]),
    with_docs(zspec!("zinter", zinter, -3, R | flags::MOVABLE_KEYS, KEYNUM_RO, "6.2.0",
        "Combines several sorted sets into their intersection.",
        "O(N*K)+O(M*log(M)) worst case with N being the smallest input sorted set, K being the number of input sorted sets and M being the number of elements in the resulting sorted set."), docs::ZINTER, &[]),
    with_docs(zspec!("zdiff", zdiff, -3, R | flags::MOVABLE_KEYS, KEYNUM_RO, "6.2.0",
        "Gives the members of the first sorted set that no other given set holds.",
        "O(L + (N-K)log(N)) worst case where L is the total number of elements in all the sets, N is the size of the first set, and K is the size of the result set."), docs::ZDIFF, &[]),
    with_docs(zspec!("zunionstore", zunionstore, -4, W | flags::DENYOOM | flags::MOVABLE_KEYS, STORE_KEYNUM, "2.0.0",
        "Stores the union of several sorted sets in a key.",
        "O(N)+O(M log(M)) with N being the sum of the sizes of the input sorted sets, and M being the number of elements in the resulting sorted set."), docs::ZUNIONSTORE, &[]),
    with_docs(zspec!("zinterstore", zinterstore, -4, W | flags::DENYOOM | flags::MOVABLE_KEYS, STORE_KEYNUM, "2.0.0",
        "Stores the intersection of several sorted sets in a key.",
        "O(N*K)+O(M*log(M)) worst case with N being the smallest input sorted set, K being the number of input sorted sets and M being the number of elements in the resulting sorted set."), docs::ZINTERSTORE, &[]),
    with_docs(zspec!("zdiffstore", zdiffstore, -4, W | flags::DENYOOM | flags::MOVABLE_KEYS, STORE_KEYNUM, "6.2.0",
        "Stores the difference of several sorted sets in a key.",
        "O(L + (N-K)log(N)) worst case where L is the total number of elements in all the sets, N is the size of the first set, and K is the size of the result set."), docs::ZDIFFSTORE, &[]),
    with_docs(zspec!("zintercard", zintercard, -3, R | flags::MOVABLE_KEYS, KEYNUM_RO, "7.0.0",
        "Counts the members of the intersection of several sorted sets.",
        "O(N*K) worst case with N being the smallest input sorted set, K being the number of input sorted sets."), docs::ZINTERCARD, &[]),
    with_docs(zspec!("zscan", zscan, -3, R, RO_ACCESS, "2.8.0",
        "Walks the members and scores of a sorted set incrementally.",
        "O(1) for every call. O(N) for a complete iteration, including enough command calls for the cursor to return back to 0. N is the number of elements inside the collection.",
        &["nondeterministic_output"]), docs::ZSCAN, &[]),
];

/// COMMAND DOCS arguments and history of the sorted set commands (Redis's `arguments` and
/// `history` in `commands/z*.json`): names, types, tokens, flags and versions are Redis's
/// facts, checked against the reference by the `command_docs` test; history notes are our
/// own words. ZRANK and ZREVRANK are not described: 7.2 adds WITHSCORE, which the 7.0
/// reference the test compares with does not have.
pub(crate) mod docs {
    use crate::spec::{argflags, Arg, ArgType};

    /// ZADD's arguments.
    pub(crate) const ZADD: &[Arg] = &[
        Arg { name: "key", kind: ArgType::Key, key_spec_index: Some(0), ..Arg::DEFAULT },
        Arg {
            name: "condition",
            kind: ArgType::OneOf,
            since: Some("3.0.2"),
            flags: argflags::OPTIONAL,
            arguments: &[
                Arg { name: "nx", kind: ArgType::PureToken, token: Some("NX"), ..Arg::DEFAULT },
                Arg { name: "xx", kind: ArgType::PureToken, token: Some("XX"), ..Arg::DEFAULT },
            ],
            ..Arg::DEFAULT
        },
        Arg {
            name: "comparison",
            kind: ArgType::OneOf,
            since: Some("6.2.0"),
            flags: argflags::OPTIONAL,
            arguments: &[
                Arg { name: "gt", kind: ArgType::PureToken, token: Some("GT"), ..Arg::DEFAULT },
                Arg { name: "lt", kind: ArgType::PureToken, token: Some("LT"), ..Arg::DEFAULT },
            ],
            ..Arg::DEFAULT
        },
        Arg {
            name: "change",
            kind: ArgType::PureToken,
            token: Some("CH"),
            since: Some("3.0.2"),
            flags: argflags::OPTIONAL,
            ..Arg::DEFAULT
        },
        Arg {
            name: "increment",
            kind: ArgType::PureToken,
            token: Some("INCR"),
            since: Some("3.0.2"),
            flags: argflags::OPTIONAL,
            ..Arg::DEFAULT
        },
        Arg {
            name: "score_member",
            kind: ArgType::Block,
            flags: argflags::MULTIPLE,
            arguments: &[
                Arg { name: "score", kind: ArgType::Double, ..Arg::DEFAULT },
                Arg { name: "member", kind: ArgType::String, ..Arg::DEFAULT },
            ],
            ..Arg::DEFAULT
        },
    ];
    /// ZADD's history.
    pub(crate) const ZADD_HISTORY: &[(&str, &str)] = &[
        ("2.4.0", "Takes several members in one call."),
        ("3.0.2", "New options XX, NX, CH and INCR."),
        ("6.2.0", "New options GT and LT."),
    ];
    /// ZINCRBY's arguments.
    pub(crate) const ZINCRBY: &[Arg] = &[
        Arg { name: "key", kind: ArgType::Key, key_spec_index: Some(0), ..Arg::DEFAULT },
        Arg { name: "increment", kind: ArgType::Integer, ..Arg::DEFAULT },
        Arg { name: "member", kind: ArgType::String, ..Arg::DEFAULT },
    ];
    /// ZCARD's arguments.
    pub(crate) const ZCARD: &[Arg] =
        &[Arg { name: "key", kind: ArgType::Key, key_spec_index: Some(0), ..Arg::DEFAULT }];
    /// ZSCORE's arguments.
    pub(crate) const ZSCORE: &[Arg] = &[
        Arg { name: "key", kind: ArgType::Key, key_spec_index: Some(0), ..Arg::DEFAULT },
        Arg { name: "member", kind: ArgType::String, ..Arg::DEFAULT },
    ];
    /// ZMSCORE's arguments.
    pub(crate) const ZMSCORE: &[Arg] = &[
        Arg { name: "key", kind: ArgType::Key, key_spec_index: Some(0), ..Arg::DEFAULT },
        Arg { name: "member", kind: ArgType::String, flags: argflags::MULTIPLE, ..Arg::DEFAULT },
    ];
    /// ZCOUNT's arguments.
    pub(crate) const ZCOUNT: &[Arg] = &[
        Arg { name: "key", kind: ArgType::Key, key_spec_index: Some(0), ..Arg::DEFAULT },
        Arg { name: "min", kind: ArgType::Double, ..Arg::DEFAULT },
        Arg { name: "max", kind: ArgType::Double, ..Arg::DEFAULT },
    ];
    /// ZLEXCOUNT's arguments.
    pub(crate) const ZLEXCOUNT: &[Arg] = &[
        Arg { name: "key", kind: ArgType::Key, key_spec_index: Some(0), ..Arg::DEFAULT },
        Arg { name: "min", kind: ArgType::String, ..Arg::DEFAULT },
        Arg { name: "max", kind: ArgType::String, ..Arg::DEFAULT },
    ];
    /// ZREM's arguments.
    pub(crate) const ZREM: &[Arg] = &[
        Arg { name: "key", kind: ArgType::Key, key_spec_index: Some(0), ..Arg::DEFAULT },
        Arg { name: "member", kind: ArgType::String, flags: argflags::MULTIPLE, ..Arg::DEFAULT },
    ];
    /// ZREM's history.
    pub(crate) const ZREM_HISTORY: &[(&str, &str)] =
        &[("2.4.0", "Takes several members in one call.")];
    /// ZRANGE's arguments.
    pub(crate) const ZRANGE: &[Arg] = &[
        Arg { name: "key", kind: ArgType::Key, key_spec_index: Some(0), ..Arg::DEFAULT },
        Arg { name: "start", kind: ArgType::String, ..Arg::DEFAULT },
        Arg { name: "stop", kind: ArgType::String, ..Arg::DEFAULT },
        Arg {
            name: "sortby",
            kind: ArgType::OneOf,
            since: Some("6.2.0"),
            flags: argflags::OPTIONAL,
            arguments: &[
                Arg {
                    name: "byscore",
                    kind: ArgType::PureToken,
                    token: Some("BYSCORE"),
                    ..Arg::DEFAULT
                },
                Arg {
                    name: "bylex",
                    kind: ArgType::PureToken,
                    token: Some("BYLEX"),
                    ..Arg::DEFAULT
                },
            ],
            ..Arg::DEFAULT
        },
        Arg {
            name: "rev",
            kind: ArgType::PureToken,
            token: Some("REV"),
            since: Some("6.2.0"),
            flags: argflags::OPTIONAL,
            ..Arg::DEFAULT
        },
        Arg {
            name: "offset_count",
            kind: ArgType::Block,
            token: Some("LIMIT"),
            since: Some("6.2.0"),
            flags: argflags::OPTIONAL,
            arguments: &[
                Arg { name: "offset", kind: ArgType::Integer, ..Arg::DEFAULT },
                Arg { name: "count", kind: ArgType::Integer, ..Arg::DEFAULT },
            ],
            ..Arg::DEFAULT
        },
        Arg {
            name: "withscores",
            kind: ArgType::PureToken,
            token: Some("WITHSCORES"),
            flags: argflags::OPTIONAL,
            ..Arg::DEFAULT
        },
    ];
    /// ZRANGE's history.
    pub(crate) const ZRANGE_HISTORY: &[(&str, &str)] =
        &[("6.2.0", "New options REV, BYSCORE, BYLEX and LIMIT.")];
    /// ZREVRANGE's arguments.
    pub(crate) const ZREVRANGE: &[Arg] = &[
        Arg { name: "key", kind: ArgType::Key, key_spec_index: Some(0), ..Arg::DEFAULT },
        Arg { name: "start", kind: ArgType::Integer, ..Arg::DEFAULT },
        Arg { name: "stop", kind: ArgType::Integer, ..Arg::DEFAULT },
        Arg {
            name: "withscores",
            kind: ArgType::PureToken,
            token: Some("WITHSCORES"),
            flags: argflags::OPTIONAL,
            ..Arg::DEFAULT
        },
    ];
    /// ZRANGEBYSCORE's arguments.
    pub(crate) const ZRANGEBYSCORE: &[Arg] = &[
        Arg { name: "key", kind: ArgType::Key, key_spec_index: Some(0), ..Arg::DEFAULT },
        Arg { name: "min", kind: ArgType::Double, ..Arg::DEFAULT },
        Arg { name: "max", kind: ArgType::Double, ..Arg::DEFAULT },
        Arg {
            name: "withscores",
            kind: ArgType::PureToken,
            token: Some("WITHSCORES"),
            since: Some("2.0.0"),
            flags: argflags::OPTIONAL,
            ..Arg::DEFAULT
        },
        Arg {
            name: "offset_count",
            kind: ArgType::Block,
            token: Some("LIMIT"),
            flags: argflags::OPTIONAL,
            arguments: &[
                Arg { name: "offset", kind: ArgType::Integer, ..Arg::DEFAULT },
                Arg { name: "count", kind: ArgType::Integer, ..Arg::DEFAULT },
            ],
            ..Arg::DEFAULT
        },
    ];
    /// ZRANGEBYSCORE's history.
    pub(crate) const ZRANGEBYSCORE_HISTORY: &[(&str, &str)] =
        &[("2.0.0", "New WITHSCORES option.")];
    /// ZREVRANGEBYSCORE's arguments.
    pub(crate) const ZREVRANGEBYSCORE: &[Arg] = &[
        Arg { name: "key", kind: ArgType::Key, key_spec_index: Some(0), ..Arg::DEFAULT },
        Arg { name: "max", kind: ArgType::Double, ..Arg::DEFAULT },
        Arg { name: "min", kind: ArgType::Double, ..Arg::DEFAULT },
        Arg {
            name: "withscores",
            kind: ArgType::PureToken,
            token: Some("WITHSCORES"),
            flags: argflags::OPTIONAL,
            ..Arg::DEFAULT
        },
        Arg {
            name: "offset_count",
            kind: ArgType::Block,
            token: Some("LIMIT"),
            flags: argflags::OPTIONAL,
            arguments: &[
                Arg { name: "offset", kind: ArgType::Integer, ..Arg::DEFAULT },
                Arg { name: "count", kind: ArgType::Integer, ..Arg::DEFAULT },
            ],
            ..Arg::DEFAULT
        },
    ];
    /// ZREVRANGEBYSCORE's history.
    pub(crate) const ZREVRANGEBYSCORE_HISTORY: &[(&str, &str)] =
        &[("2.1.6", "Exclusive min and max bounds.")];
    /// ZRANGEBYLEX's arguments.
    pub(crate) const ZRANGEBYLEX: &[Arg] = &[
        Arg { name: "key", kind: ArgType::Key, key_spec_index: Some(0), ..Arg::DEFAULT },
        Arg { name: "min", kind: ArgType::String, ..Arg::DEFAULT },
        Arg { name: "max", kind: ArgType::String, ..Arg::DEFAULT },
        Arg {
            name: "offset_count",
            kind: ArgType::Block,
            token: Some("LIMIT"),
            flags: argflags::OPTIONAL,
            arguments: &[
                Arg { name: "offset", kind: ArgType::Integer, ..Arg::DEFAULT },
                Arg { name: "count", kind: ArgType::Integer, ..Arg::DEFAULT },
            ],
            ..Arg::DEFAULT
        },
    ];
    /// ZREVRANGEBYLEX's arguments.
    pub(crate) const ZREVRANGEBYLEX: &[Arg] = &[
        Arg { name: "key", kind: ArgType::Key, key_spec_index: Some(0), ..Arg::DEFAULT },
        Arg { name: "max", kind: ArgType::String, ..Arg::DEFAULT },
        Arg { name: "min", kind: ArgType::String, ..Arg::DEFAULT },
        Arg {
            name: "offset_count",
            kind: ArgType::Block,
            token: Some("LIMIT"),
            flags: argflags::OPTIONAL,
            arguments: &[
                Arg { name: "offset", kind: ArgType::Integer, ..Arg::DEFAULT },
                Arg { name: "count", kind: ArgType::Integer, ..Arg::DEFAULT },
            ],
            ..Arg::DEFAULT
        },
    ];
    /// ZRANGESTORE's arguments.
    pub(crate) const ZRANGESTORE: &[Arg] = &[
        Arg { name: "dst", kind: ArgType::Key, key_spec_index: Some(0), ..Arg::DEFAULT },
        Arg { name: "src", kind: ArgType::Key, key_spec_index: Some(1), ..Arg::DEFAULT },
        Arg { name: "min", kind: ArgType::String, ..Arg::DEFAULT },
        Arg { name: "max", kind: ArgType::String, ..Arg::DEFAULT },
        Arg {
            name: "sortby",
            kind: ArgType::OneOf,
            flags: argflags::OPTIONAL,
            arguments: &[
                Arg {
                    name: "byscore",
                    kind: ArgType::PureToken,
                    token: Some("BYSCORE"),
                    ..Arg::DEFAULT
                },
                Arg {
                    name: "bylex",
                    kind: ArgType::PureToken,
                    token: Some("BYLEX"),
                    ..Arg::DEFAULT
                },
            ],
            ..Arg::DEFAULT
        },
        Arg {
            name: "rev",
            kind: ArgType::PureToken,
            token: Some("REV"),
            flags: argflags::OPTIONAL,
            ..Arg::DEFAULT
        },
        Arg {
            name: "offset_count",
            kind: ArgType::Block,
            token: Some("LIMIT"),
            flags: argflags::OPTIONAL,
            arguments: &[
                Arg { name: "offset", kind: ArgType::Integer, ..Arg::DEFAULT },
                Arg { name: "count", kind: ArgType::Integer, ..Arg::DEFAULT },
            ],
            ..Arg::DEFAULT
        },
    ];
    /// ZREMRANGEBYRANK's arguments.
    pub(crate) const ZREMRANGEBYRANK: &[Arg] = &[
        Arg { name: "key", kind: ArgType::Key, key_spec_index: Some(0), ..Arg::DEFAULT },
        Arg { name: "start", kind: ArgType::Integer, ..Arg::DEFAULT },
        Arg { name: "stop", kind: ArgType::Integer, ..Arg::DEFAULT },
    ];
    /// ZREMRANGEBYSCORE's arguments.
    pub(crate) const ZREMRANGEBYSCORE: &[Arg] = &[
        Arg { name: "key", kind: ArgType::Key, key_spec_index: Some(0), ..Arg::DEFAULT },
        Arg { name: "min", kind: ArgType::Double, ..Arg::DEFAULT },
        Arg { name: "max", kind: ArgType::Double, ..Arg::DEFAULT },
    ];
    /// ZREMRANGEBYLEX's arguments.
    pub(crate) const ZREMRANGEBYLEX: &[Arg] = &[
        Arg { name: "key", kind: ArgType::Key, key_spec_index: Some(0), ..Arg::DEFAULT },
        Arg { name: "min", kind: ArgType::String, ..Arg::DEFAULT },
        Arg { name: "max", kind: ArgType::String, ..Arg::DEFAULT },
    ];
    /// ZPOPMIN's arguments.
    pub(crate) const ZPOPMIN: &[Arg] = &[
        Arg { name: "key", kind: ArgType::Key, key_spec_index: Some(0), ..Arg::DEFAULT },
        Arg { name: "count", kind: ArgType::Integer, flags: argflags::OPTIONAL, ..Arg::DEFAULT },
    ];
    /// ZPOPMAX's arguments.
    pub(crate) const ZPOPMAX: &[Arg] = &[
        Arg { name: "key", kind: ArgType::Key, key_spec_index: Some(0), ..Arg::DEFAULT },
        Arg { name: "count", kind: ArgType::Integer, flags: argflags::OPTIONAL, ..Arg::DEFAULT },
    ];
    /// ZMPOP's arguments.
    pub(crate) const ZMPOP: &[Arg] = &[
        Arg { name: "numkeys", kind: ArgType::Integer, ..Arg::DEFAULT },
        Arg {
            name: "key",
            kind: ArgType::Key,
            key_spec_index: Some(0),
            flags: argflags::MULTIPLE,
            ..Arg::DEFAULT
        },
        Arg {
            name: "where",
            kind: ArgType::OneOf,
            arguments: &[
                Arg { name: "min", kind: ArgType::PureToken, token: Some("MIN"), ..Arg::DEFAULT },
                Arg { name: "max", kind: ArgType::PureToken, token: Some("MAX"), ..Arg::DEFAULT },
            ],
            ..Arg::DEFAULT
        },
        Arg {
            name: "count",
            kind: ArgType::Integer,
            token: Some("COUNT"),
            flags: argflags::OPTIONAL,
            ..Arg::DEFAULT
        },
    ];
    /// ZRANDMEMBER's arguments.
    pub(crate) const ZRANDMEMBER: &[Arg] = &[
        Arg { name: "key", kind: ArgType::Key, key_spec_index: Some(0), ..Arg::DEFAULT },
        Arg {
            name: "options",
            kind: ArgType::Block,
            flags: argflags::OPTIONAL,
            arguments: &[
                Arg { name: "count", kind: ArgType::Integer, ..Arg::DEFAULT },
                Arg {
                    name: "withscores",
                    kind: ArgType::PureToken,
                    token: Some("WITHSCORES"),
                    flags: argflags::OPTIONAL,
                    ..Arg::DEFAULT
                },
            ],
            ..Arg::DEFAULT
        },
    ];
    /// ZUNION's arguments.
    pub(crate) const ZUNION: &[Arg] = &[
        Arg { name: "numkeys", kind: ArgType::Integer, ..Arg::DEFAULT },
        Arg {
            name: "key",
            kind: ArgType::Key,
            key_spec_index: Some(0),
            flags: argflags::MULTIPLE,
            ..Arg::DEFAULT
        },
        Arg {
            name: "weight",
            kind: ArgType::Integer,
            token: Some("WEIGHTS"),
            flags: argflags::OPTIONAL | argflags::MULTIPLE,
            ..Arg::DEFAULT
        },
        Arg {
            name: "aggregate",
            kind: ArgType::OneOf,
            token: Some("AGGREGATE"),
            flags: argflags::OPTIONAL,
            arguments: &[
                Arg { name: "sum", kind: ArgType::PureToken, token: Some("SUM"), ..Arg::DEFAULT },
                Arg { name: "min", kind: ArgType::PureToken, token: Some("MIN"), ..Arg::DEFAULT },
                Arg { name: "max", kind: ArgType::PureToken, token: Some("MAX"), ..Arg::DEFAULT },
            ],
            ..Arg::DEFAULT
        },
        Arg {
            name: "withscores",
            kind: ArgType::PureToken,
            token: Some("WITHSCORES"),
            flags: argflags::OPTIONAL,
            ..Arg::DEFAULT
        },
    ];
    /// ZINTER's arguments.
    pub(crate) const ZINTER: &[Arg] = &[
        Arg { name: "numkeys", kind: ArgType::Integer, ..Arg::DEFAULT },
        Arg {
            name: "key",
            kind: ArgType::Key,
            key_spec_index: Some(0),
            flags: argflags::MULTIPLE,
            ..Arg::DEFAULT
        },
        Arg {
            name: "weight",
            kind: ArgType::Integer,
            token: Some("WEIGHTS"),
            flags: argflags::OPTIONAL | argflags::MULTIPLE,
            ..Arg::DEFAULT
        },
        Arg {
            name: "aggregate",
            kind: ArgType::OneOf,
            token: Some("AGGREGATE"),
            flags: argflags::OPTIONAL,
            arguments: &[
                Arg { name: "sum", kind: ArgType::PureToken, token: Some("SUM"), ..Arg::DEFAULT },
                Arg { name: "min", kind: ArgType::PureToken, token: Some("MIN"), ..Arg::DEFAULT },
                Arg { name: "max", kind: ArgType::PureToken, token: Some("MAX"), ..Arg::DEFAULT },
            ],
            ..Arg::DEFAULT
        },
        Arg {
            name: "withscores",
            kind: ArgType::PureToken,
            token: Some("WITHSCORES"),
            flags: argflags::OPTIONAL,
            ..Arg::DEFAULT
        },
    ];
    /// ZDIFF's arguments.
    pub(crate) const ZDIFF: &[Arg] = &[
        Arg { name: "numkeys", kind: ArgType::Integer, ..Arg::DEFAULT },
        Arg {
            name: "key",
            kind: ArgType::Key,
            key_spec_index: Some(0),
            flags: argflags::MULTIPLE,
            ..Arg::DEFAULT
        },
        Arg {
            name: "withscores",
            kind: ArgType::PureToken,
            token: Some("WITHSCORES"),
            flags: argflags::OPTIONAL,
            ..Arg::DEFAULT
        },
    ];
    /// ZUNIONSTORE's arguments.
    pub(crate) const ZUNIONSTORE: &[Arg] = &[
        Arg { name: "destination", kind: ArgType::Key, key_spec_index: Some(0), ..Arg::DEFAULT },
        Arg { name: "numkeys", kind: ArgType::Integer, ..Arg::DEFAULT },
        Arg {
            name: "key",
            kind: ArgType::Key,
            key_spec_index: Some(1),
            flags: argflags::MULTIPLE,
            ..Arg::DEFAULT
        },
        Arg {
            name: "weight",
            kind: ArgType::Integer,
            token: Some("WEIGHTS"),
            flags: argflags::OPTIONAL | argflags::MULTIPLE,
            ..Arg::DEFAULT
        },
        Arg {
            name: "aggregate",
            kind: ArgType::OneOf,
            token: Some("AGGREGATE"),
            flags: argflags::OPTIONAL,
            arguments: &[
                Arg { name: "sum", kind: ArgType::PureToken, token: Some("SUM"), ..Arg::DEFAULT },
                Arg { name: "min", kind: ArgType::PureToken, token: Some("MIN"), ..Arg::DEFAULT },
                Arg { name: "max", kind: ArgType::PureToken, token: Some("MAX"), ..Arg::DEFAULT },
            ],
            ..Arg::DEFAULT
        },
    ];
    /// ZINTERSTORE's arguments.
    pub(crate) const ZINTERSTORE: &[Arg] = &[
        Arg { name: "destination", kind: ArgType::Key, key_spec_index: Some(0), ..Arg::DEFAULT },
        Arg { name: "numkeys", kind: ArgType::Integer, ..Arg::DEFAULT },
        Arg {
            name: "key",
            kind: ArgType::Key,
            key_spec_index: Some(1),
            flags: argflags::MULTIPLE,
            ..Arg::DEFAULT
        },
        Arg {
            name: "weight",
            kind: ArgType::Integer,
            token: Some("WEIGHTS"),
            flags: argflags::OPTIONAL | argflags::MULTIPLE,
            ..Arg::DEFAULT
        },
        Arg {
            name: "aggregate",
            kind: ArgType::OneOf,
            token: Some("AGGREGATE"),
            flags: argflags::OPTIONAL,
            arguments: &[
                Arg { name: "sum", kind: ArgType::PureToken, token: Some("SUM"), ..Arg::DEFAULT },
                Arg { name: "min", kind: ArgType::PureToken, token: Some("MIN"), ..Arg::DEFAULT },
                Arg { name: "max", kind: ArgType::PureToken, token: Some("MAX"), ..Arg::DEFAULT },
            ],
            ..Arg::DEFAULT
        },
    ];
    /// ZDIFFSTORE's arguments.
    pub(crate) const ZDIFFSTORE: &[Arg] = &[
        Arg { name: "destination", kind: ArgType::Key, key_spec_index: Some(0), ..Arg::DEFAULT },
        Arg { name: "numkeys", kind: ArgType::Integer, ..Arg::DEFAULT },
        Arg {
            name: "key",
            kind: ArgType::Key,
            key_spec_index: Some(1),
            flags: argflags::MULTIPLE,
            ..Arg::DEFAULT
        },
    ];
    /// ZINTERCARD's arguments.
    pub(crate) const ZINTERCARD: &[Arg] = &[
        Arg { name: "numkeys", kind: ArgType::Integer, ..Arg::DEFAULT },
        Arg {
            name: "key",
            kind: ArgType::Key,
            key_spec_index: Some(0),
            flags: argflags::MULTIPLE,
            ..Arg::DEFAULT
        },
        Arg {
            name: "limit",
            kind: ArgType::Integer,
            token: Some("LIMIT"),
            flags: argflags::OPTIONAL,
            ..Arg::DEFAULT
        },
    ];
    /// ZSCAN's arguments.
    pub(crate) const ZSCAN: &[Arg] = &[
        Arg { name: "key", kind: ArgType::Key, key_spec_index: Some(0), ..Arg::DEFAULT },
        Arg { name: "cursor", kind: ArgType::Integer, ..Arg::DEFAULT },
        Arg {
            name: "pattern",
            kind: ArgType::Pattern,
            token: Some("MATCH"),
            flags: argflags::OPTIONAL,
            ..Arg::DEFAULT
        },
        Arg {
            name: "count",
            kind: ArgType::Integer,
            token: Some("COUNT"),
            flags: argflags::OPTIONAL,
            ..Arg::DEFAULT
        },
    ];
}
