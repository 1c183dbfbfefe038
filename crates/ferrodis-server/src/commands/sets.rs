//! Set commands: SADD, SREM, SCARD, SISMEMBER, SMISMEMBER, SMEMBERS, SPOP, SRANDMEMBER,
//! SMOVE, SINTER, SINTERCARD, SUNION, SDIFF, their STORE variants, and SSCAN.
//!
//! Semantics follow the command pages under <https://redis.io/commands/> and Redis 7.2's
//! `src/t_set.c`: argument errors before the key lookup, WRONGTYPE at the first key of the
//! wrong type, an empty result deletes a STORE destination, and the encoding rules of
//! [`ferrodis_keyspace::types::set`] (`setTypeCreate` size hints, conversions on add, the
//! intset/listpack/hashtable results of SINTERSTORE, SUNIONSTORE and SDIFFSTORE, and the set
//! SPOP rebuilds when it pops most members). Set replies are [`Reply::Set`] (RESP3 `~`);
//! SRANDMEMBER with a count and SMISMEMBER reply with arrays, as Redis does.

use crate::args::{self, ArgCursor};
use crate::commands::keys::parse_cursor;
use crate::context::Ctx;
use crate::errors::CommandError;
use crate::notify::{NOTIFY_GENERIC, NOTIFY_SET};
use crate::spec::{acl, flags, keyflags, BeginSearch, CommandSpec, FindKeys, Group, KeySpec};
use bytes::Bytes;
use ferrodis_keyspace::glob::string_match;
use ferrodis_keyspace::listpack::LpValue;
use ferrodis_keyspace::num::parse_i64;
use ferrodis_keyspace::types::set::SetView;
use ferrodis_keyspace::types::Set;
use ferrodis_keyspace::{Db, EncodingLimits, TtlUpdate, Value, ValueType};
use ferrodis_resp::Reply;
use rand::seq::index::sample;
use rand::Rng;

/// SPOP rebuilds the set from the members it keeps when the set is more than this many times
/// bigger than what remains (Redis's `SPOP_MOVE_STRATEGY_MUL`).
const SPOP_MOVE_STRATEGY_MUL: u64 = 5;

/// SRANDMEMBER with a positive count copies the set and removes members when the set is at
/// most this many times bigger than the count (Redis's `SRANDMEMBER_SUB_STRATEGY_MUL`).
const SRANDMEMBER_SUB_STRATEGY_MUL: u64 = 3;

/// Hashtable sets up to this size are sampled from a copy of their members, which is exactly
/// uniform; bigger ones pick random buckets as Redis's `dictGetFairRandomKey` does.
const UNIFORM_SAMPLE_MAX: usize = 1024;

/// Most members SRANDMEMBER with a negative count returns. Redis has no bound and would fill
/// its output buffer until memory runs out; Ferrodis refuses instead (a deliberate deviation).
const SRANDMEMBER_MAX_REPEATS: u64 = 100_000_000;

/// The encoding thresholds in force.
fn limits(ctx: &Ctx<'_>) -> EncodingLimits {
    ctx.server.settings.read().encoding
}

/// A member as a bulk string.
fn member_reply(v: LpValue<'_>) -> Reply {
    match v {
        LpValue::Int(i) => Reply::bulk_int(i),
        LpValue::Str(s) => Reply::bulk(s),
    }
}

/// Every member of `set` as bulk strings, in the encoding's order.
fn members_reply(set: SetView<'_>) -> Vec<Reply> {
    let mut out = Vec::with_capacity(set.len());
    set.for_each(|v| out.push(member_reply(v)));
    out
}

/// Reads a set for a read command (`lookupKeyRead`): `Ok(None)` when missing, `WRONGTYPE`
/// for another type. A small intset stored inline comes out as a copy (no allocation).
fn read_set<'d>(db: &'d mut Db, key: &[u8], now: u64) -> Result<Option<SetView<'d>>, CommandError> {
    match db.lookup_read(key, now) {
        None => Ok(None),
        Some(entry) => entry.value.set_view().map(Some).ok_or(CommandError::WrongType),
    }
}

/// The value storing `set` (a small intset inline).
fn stored(set: Set) -> Value {
    Value::set(set)
}

/// Runs `f` on the set at `key` for a write (`lookupKeyWrite`), then stores the set back in
/// its compact form (inline when it is a small intset, [`Value::set`]) or deletes the key
/// when the set became empty. `Ok(None)` when the key is missing; `WRONGTYPE` for another
/// type.
fn update_set<R>(
    db: &mut Db,
    key: &[u8],
    now: u64,
    f: impl FnOnce(&mut Set) -> R,
) -> Result<Option<R>, CommandError> {
    let Some(entry) = db.lookup_mut(key, now) else { return Ok(None) };
    let (result, empty) = match &mut entry.value {
        // A boxed set is updated in place; it leaves its box when it became an intset.
        Value::Set(set) if !set.is_intset() => {
            let result = f(set);
            let empty = set.is_empty();
            if set.is_intset() {
                let set = std::mem::take(&mut **set);
                entry.value = stored(set);
            }
            (result, empty)
        }
        // An intset kept in the value is taken out (no copy) and stored back.
        value => {
            let Some(mut set) = value.take_set() else { return Err(CommandError::WrongType) };
            let result = f(&mut set);
            let empty = set.is_empty();
            *value = stored(set);
            (result, empty)
        }
    };
    if empty {
        db.remove(key, now);
    }
    Ok(Some(result))
}

/// Looks every key up as a read (expiring it and counting a hit or miss), failing with
/// `WRONGTYPE` at the first key holding another type; returns which keys hold a set.
fn check_sets(ctx: &mut Ctx<'_>, keys: &[Bytes]) -> Result<Vec<bool>, CommandError> {
    let now = ctx.now_ms;
    let mut exists = Vec::with_capacity(keys.len());
    for key in keys {
        exists.push(read_set(ctx.db(key)?, key, now)?.is_some());
    }
    Ok(exists)
}

/// Shared references to the sets at `keys` (already checked by [`check_sets`]), from the
/// databases of every locked shard.
fn sets_at<'d>(
    dbs: &[(usize, &'d Db)],
    shard_of: impl Fn(&[u8]) -> usize,
    keys: &[Bytes],
) -> Vec<Option<SetView<'d>>> {
    keys.iter()
        .map(|key| {
            let shard = shard_of(key);
            let db = dbs.iter().find(|(i, _)| *i == shard)?.1;
            db.get(key)?.value.set_view()
        })
        .collect()
}

/// Runs `f` with the sets at `keys` (after [`check_sets`]).
fn with_sets<R>(
    ctx: &mut Ctx<'_>,
    keys: &[Bytes],
    f: impl FnOnce(Vec<Option<SetView<'_>>>) -> R,
) -> R {
    let server = ctx.server;
    let dbs: Vec<(usize, &Db)> = ctx.locked_dbs().into_iter().map(|(i, d)| (i, &*d)).collect();
    f(sets_at(&dbs, |k| server.keyspace.shard_of(k), keys))
}

/// Stores a non-empty `result` at `dst` (replacing any value and TTL, as `setKey`), or
/// deletes `dst` when the result is empty; replies with the result's size. `event` is the
/// keyspace event of a non-empty store (`sinterstore` ...); an emptied destination gets `del`.
fn store_result(
    ctx: &mut Ctx<'_>,
    dst: &Bytes,
    result: Set,
    event: &'static str,
) -> Result<Reply, CommandError> {
    let now = ctx.now_ms;
    let db_index = ctx.client.db;
    let len = result.len();
    let db = ctx.db(dst)?;
    if len > 0 {
        db.set(dst, stored(result), TtlUpdate::Clear, now);
        ctx.signal_modified(db_index, dst);
        ctx.notify(NOTIFY_SET, event, db_index, dst);
    } else if db.remove(dst, now).is_some() {
        ctx.signal_modified(db_index, dst);
        ctx.notify(NOTIFY_GENERIC, "del", db_index, dst);
    }
    Ok(Reply::Integer(len as i64))
}

/// SADD: adds members to a set, creating it when missing.
///
/// ```text
/// SADD key member [member ...]
/// ```
/// Integer: the number of members that were not there yet. A new set is created by
/// `setTypeCreate` with the number of members given as size hint; an existing one converts to
/// `hashtable` first when that many members could not fit its encoding. Errors: `WRONGTYPE`.
pub fn sadd(ctx: &mut Ctx<'_>, argv: &[Bytes]) -> Result<Reply, CommandError> {
    let limits = limits(ctx);
    let now = ctx.now_ms;
    let db_index = ctx.client.db;
    let (key, members) = (&argv[1], &argv[2..]);
    let db = ctx.db(key)?;
    let existing = update_set(db, key, now, |set| {
        set.maybe_convert(members.len(), &limits);
        members.iter().filter(|m| set.add(m, &limits)).count()
    })?;
    let added = match existing {
        Some(added) => added,
        None => {
            let mut set = Set::create(&members[0], members.len(), &limits);
            let added = members.iter().filter(|m| set.add(m, &limits)).count();
            db.add(key, stored(set));
            added
        }
    };
    if added > 0 {
        ctx.signal_modified(db_index, key);
        ctx.notify(NOTIFY_SET, "sadd", db_index, key);
        ctx.add_dirty(added as u64 - 1);
    }
    Ok(Reply::Integer(added as i64))
}

/// SREM: removes members from a set.
///
/// ```text
/// SREM key member [member ...]
/// ```
/// Integer: the number of members removed (0 for a missing key). The key is deleted when the
/// set becomes empty. Errors: `WRONGTYPE`.
pub fn srem(ctx: &mut Ctx<'_>, argv: &[Bytes]) -> Result<Reply, CommandError> {
    let now = ctx.now_ms;
    let db_index = ctx.client.db;
    let key = &argv[1];
    let deleted = update_set(ctx.db(key)?, key, now, |set| {
        let mut deleted = 0u64;
        for m in &argv[2..] {
            if set.remove(m) {
                deleted += 1;
                if set.is_empty() {
                    break;
                }
            }
        }
        deleted
    })?
    .unwrap_or(0);
    if deleted > 0 {
        ctx.signal_modified(db_index, key);
        ctx.notify(NOTIFY_SET, "srem", db_index, key);
        ctx.notify_del_if_gone(db_index, key);
        ctx.add_dirty(deleted - 1);
    }
    Ok(Reply::Integer(deleted as i64))
}

/// SCARD: the number of members.
///
/// ```text
/// SCARD key
/// ```
/// Integer (0 for a missing key). Errors: `WRONGTYPE`.
pub fn scard(ctx: &mut Ctx<'_>, argv: &[Bytes]) -> Result<Reply, CommandError> {
    let now = ctx.now_ms;
    let len = read_set(ctx.db(&argv[1])?, &argv[1], now)?.map_or(0, |s| s.len());
    Ok(Reply::Integer(len as i64))
}

/// SISMEMBER: whether a value is a member.
///
/// ```text
/// SISMEMBER key member
/// ```
/// Integer 1 or 0 (0 for a missing key). Errors: `WRONGTYPE`.
pub fn sismember(ctx: &mut Ctx<'_>, argv: &[Bytes]) -> Result<Reply, CommandError> {
    let now = ctx.now_ms;
    let set = read_set(ctx.db(&argv[1])?, &argv[1], now)?;
    Ok(Reply::Integer(i64::from(set.is_some_and(|s| s.contains(&argv[2])))))
}

/// SMISMEMBER: whether each value is a member.
///
/// ```text
/// SMISMEMBER key member [member ...]
/// ```
/// Array of integers 1 or 0, one per member (all 0 for a missing key). Errors: `WRONGTYPE`.
pub fn smismember(ctx: &mut Ctx<'_>, argv: &[Bytes]) -> Result<Reply, CommandError> {
    let now = ctx.now_ms;
    let set = read_set(ctx.db(&argv[1])?, &argv[1], now)?;
    Ok(Reply::Array(
        argv[2..]
            .iter()
            .map(|m| Reply::Integer(i64::from(set.is_some_and(|s| s.contains(m)))))
            .collect(),
    ))
}

/// SMEMBERS: every member.
///
/// ```text
/// SMEMBERS key
/// ```
/// Set reply (RESP2 array): ascending for an intset, insertion order for a listpack, table
/// order for a hashtable; empty for a missing key. Errors: `WRONGTYPE`.
pub fn smembers(ctx: &mut Ctx<'_>, argv: &[Bytes]) -> Result<Reply, CommandError> {
    let now = ctx.now_ms;
    let set = read_set(ctx.db(&argv[1])?, &argv[1], now)?;
    Ok(Reply::Set(set.map_or_else(Vec::new, members_reply)))
}

/// SPOP: removes and returns random members.
///
/// ```text
/// SPOP key [count]
/// ```
/// Without a count: a bulk string, or null for a missing key. With a count: a set reply of up
/// to `count` distinct members (empty for a missing key or a count of 0). The key is deleted
/// when it becomes empty. When the count leaves fewer than a fifth of it, the remaining
/// members are moved to a new set (`intset` from an intset, `listpack` otherwise, converted
/// as members are added), as Redis's `spopWithCountCommand`. Errors: `ERR value is out of
/// range, must be positive` for a count that is negative or not an integer, `ERR syntax
/// error` for more arguments, `WRONGTYPE`.
pub fn spop(ctx: &mut Ctx<'_>, argv: &[Bytes]) -> Result<Reply, CommandError> {
    if argv.len() == 3 {
        return spop_with_count(ctx, argv);
    } else if argv.len() > 3 {
        return Err(CommandError::Syntax);
    }
    let now = ctx.now_ms;
    let db_index = ctx.client.db;
    let key = &argv[1];
    let popped = update_set(ctx.db(key)?, key, now, |set| set.pop_random(&mut rand::rng()))?;
    let Some(member) = popped.flatten() else { return Ok(Reply::Null) };
    ctx.signal_modified(db_index, key);
    ctx.notify(NOTIFY_SET, "spop", db_index, key);
    ctx.notify_del_if_gone(db_index, key);
    Ok(Reply::Bulk(Bytes::from(member)))
}

/// `count` distinct positions in `0..size`, ascending (Redis's `lpNextRandom` walk).
fn sorted_sample(rng: &mut impl Rng, size: usize, count: usize) -> Vec<usize> {
    let mut idx = sample(rng, size, count).into_vec();
    idx.sort_unstable();
    idx
}

/// The SPOP variant with a count.
fn spop_with_count(ctx: &mut Ctx<'_>, argv: &[Bytes]) -> Result<Reply, CommandError> {
    let count = match parse_i64(&argv[2]) {
        Some(n) if n >= 0 => n as u64,
        _ => return Err(CommandError::custom("ERR value is out of range, must be positive")),
    };
    let limits = limits(ctx);
    let now = ctx.now_ms;
    let db_index = ctx.client.db;
    let key = &argv[1];
    let popped = update_set(ctx.db(key)?, key, now, |set| spop_members(set, count, &limits))?;
    let popped = popped.unwrap_or_default();
    if !popped.is_empty() {
        ctx.signal_modified(db_index, key);
        ctx.notify(NOTIFY_SET, "spop", db_index, key);
        ctx.notify_del_if_gone(db_index, key);
        ctx.add_dirty(popped.len() as u64 - 1);
    }
    Ok(Reply::Set(popped))
}

/// Pops `count` random members of `set` (Redis's three `spopWithCountCommand` cases); an
/// emptied set is left empty for the caller to delete.
fn spop_members(set: &mut Set, count: u64, limits: &EncodingLimits) -> Vec<Reply> {
    if count == 0 {
        return Vec::new();
    }
    let size = set.len() as u64;
    if count >= size {
        // The whole set, replied as SUNION of that one set would (`sunionDiffGenericCommand`).
        let reply = members_reply(union(&[Some(set.view())], limits).view());
        *set = Set::new_intset();
        return reply;
    }
    let mut rng = rand::rng();
    let remaining = size - count;
    let popped: Vec<Vec<u8>> = if remaining * SPOP_MOVE_STRATEGY_MUL > count {
        // Few members to pop: take them out one by one (a listpack in one pass).
        if matches!(set, Set::ListPack(_)) {
            let idx = sorted_sample(&mut rng, size as usize, count as usize);
            set.remove_listpack_positions(&idx)
        } else {
            (0..count).filter_map(|_| set.pop_random(&mut rng)).collect()
        }
    } else {
        // Most members go: move the ones that stay to a new set and reply with the old one.
        let mut newset =
            if matches!(set, Set::IntSet(_)) { Set::new_intset() } else { Set::new_listpack() };
        if matches!(set, Set::ListPack(_)) {
            let idx = sorted_sample(&mut rng, size as usize, remaining as usize);
            for m in set.remove_listpack_positions(&idx) {
                newset.add(&m, limits);
            }
        } else {
            for _ in 0..remaining {
                if let Some(m) = set.pop_random(&mut rng) {
                    newset.add(&m, limits);
                }
            }
        }
        let popped = set.members();
        *set = newset;
        popped
    };
    popped.into_iter().map(|m| Reply::Bulk(Bytes::from(m))).collect()
}

/// SRANDMEMBER: random members, without removing them.
///
/// ```text
/// SRANDMEMBER key [count]
/// ```
/// Without a count: a bulk string, or null for a missing key. With a positive count: an array
/// of up to `count` distinct members (the whole set when the count reaches its size); with a
/// negative count: exactly `-count` members, possibly repeated; an empty array for a missing
/// key or a count of 0. Errors: `ERR value is not an integer or out of range`, `ERR value is
/// out of range, value must between -9223372036854775807 and 9223372036854775807` (i64::MIN),
/// `ERR syntax error` for more arguments, `WRONGTYPE`; and, unlike Redis, an error for a
/// negative count beyond 100,000,000 members.
pub fn srandmember(ctx: &mut Ctx<'_>, argv: &[Bytes]) -> Result<Reply, CommandError> {
    if argv.len() == 3 {
        return srandmember_with_count(ctx, argv);
    } else if argv.len() > 3 {
        return Err(CommandError::Syntax);
    }
    let now = ctx.now_ms;
    let Some(set) = read_set(ctx.db(&argv[1])?, &argv[1], now)? else {
        return Ok(Reply::Null);
    };
    Ok(set.random_member(&mut rand::rng()).map_or(Reply::Null, |m| Reply::Bulk(Bytes::from(m))))
}

/// The SRANDMEMBER variant with a count (Redis's `srandmemberWithCountCommand`).
fn srandmember_with_count(ctx: &mut Ctx<'_>, argv: &[Bytes]) -> Result<Reply, CommandError> {
    let l = args::int(&argv[2])?;
    if l == i64::MIN {
        return Err(CommandError::custom(
            "ERR value is out of range, value must between -9223372036854775807 and \
             9223372036854775807",
        ));
    }
    let (count, unique) = (l.unsigned_abs(), l >= 0);
    let now = ctx.now_ms;
    let Some(set) = read_set(ctx.db(&argv[1])?, &argv[1], now)? else {
        return Ok(Reply::Array(Vec::new()));
    };
    if count == 0 {
        return Ok(Reply::Array(Vec::new()));
    }
    let size = set.len();
    let mut rng = rand::rng();
    // A copy of the members to sample from uniformly, unless the set is a big hashtable.
    let pool = || (!set.is_hashtable() || size <= UNIFORM_SAMPLE_MAX).then(|| set.members());
    let bulk = |m: &[u8]| Reply::bulk(m);
    if !unique || count == 1 {
        if count > SRANDMEMBER_MAX_REPEATS {
            return Err(CommandError::custom(
                "ERR SRANDMEMBER count is too large (at most 100000000 repeated members)",
            ));
        }
        let out = match pool() {
            Some(all) => (0..count).map(|_| bulk(&all[rng.random_range(0..size)])).collect(),
            None => (0..count)
                .filter_map(|_| set.random_member(&mut rng))
                .map(|m| Reply::Bulk(Bytes::from(m)))
                .collect(),
        };
        return Ok(Reply::Array(out));
    }
    if count >= size as u64 {
        return Ok(Reply::Array(members_reply(set)));
    }
    let count = count as usize;
    if set.is_listpack() {
        // Distinct members in listpack order (Redis's CASE 2.5).
        let all = set.members();
        let idx = sorted_sample(&mut rng, size, count);
        return Ok(Reply::Array(idx.into_iter().map(|i| bulk(&all[i])).collect()));
    }
    let out = match pool() {
        Some(all) => sample(&mut rng, size, count).into_iter().map(|i| bulk(&all[i])).collect(),
        None if (count as u64) * SRANDMEMBER_SUB_STRATEGY_MUL > size as u64 => {
            let all = set.members();
            sample(&mut rng, size, count).into_iter().map(|i| bulk(&all[i])).collect()
        }
        None => {
            let mut seen = std::collections::HashSet::with_capacity(count);
            while seen.len() < count {
                if let Some(m) = set.random_member(&mut rng) {
                    seen.insert(m);
                }
            }
            seen.into_iter().map(|m| Reply::Bulk(Bytes::from(m))).collect()
        }
    };
    Ok(Reply::Array(out))
}

/// SMOVE: moves a member from one set to another.
///
/// ```text
/// SMOVE source destination member
/// ```
/// Integer 1 when the member was in `source` (and is now in `destination`), 0 otherwise; with
/// `source` equal to `destination`, whether the member is there. A missing destination is
/// created by `setTypeCreate` (hint 1); an emptied source is deleted. Errors: `WRONGTYPE` when
/// the source, or an existing destination, is not a set (a missing source replies 0 first).
pub fn smove(ctx: &mut Ctx<'_>, argv: &[Bytes]) -> Result<Reply, CommandError> {
    let limits = limits(ctx);
    let now = ctx.now_ms;
    let db_index = ctx.client.db;
    let (src, dst, member) = (&argv[1], &argv[2], &argv[3]);
    let is_set = |e: &mut ferrodis_keyspace::Entry| e.value.value_type() == ValueType::Set;
    let src_state = ctx.db(src)?.lookup_mut(src, now).map(is_set);
    let dst_state = ctx.db(dst)?.lookup_mut(dst, now).map(is_set);
    match src_state {
        None => return Ok(Reply::Integer(0)),
        Some(false) => return Err(CommandError::WrongType),
        Some(true) => {}
    }
    if dst_state == Some(false) {
        return Err(CommandError::WrongType);
    }
    if src == dst {
        let found = update_set(ctx.db(src)?, src, now, |s| s.contains(member))?;
        return Ok(Reply::Integer(i64::from(found == Some(true))));
    }
    if update_set(ctx.db(src)?, src, now, |s| s.remove(member))? != Some(true) {
        return Ok(Reply::Integer(0));
    }
    ctx.signal_modified(db_index, src);
    ctx.notify(NOTIFY_SET, "srem", db_index, src);
    ctx.notify_del_if_gone(db_index, src);
    let db = ctx.db(dst)?;
    let added = match update_set(db, dst, now, |s| s.add(member, &limits))? {
        Some(added) => added,
        None => {
            let mut set = Set::create(member, 1, &limits);
            set.add(member, &limits);
            db.add(dst, stored(set));
            true
        }
    };
    if added {
        ctx.signal_modified(db_index, dst);
        ctx.notify(NOTIFY_SET, "sadd", db_index, dst);
    }
    Ok(Reply::Integer(1))
}

/// What [`sinter_generic`] produces.
enum InterOutput {
    Members,
    Cardinality(u64),
    Store,
}

/// SINTER, SINTERCARD and SINTERSTORE (Redis's `sinterGenericCommand`): walks the smallest
/// set and keeps the members found in every other one. A missing key makes the result empty.
fn sinter_generic(
    ctx: &mut Ctx<'_>,
    keys: &[Bytes],
    dst: Option<&Bytes>,
    output: InterOutput,
) -> Result<Reply, CommandError> {
    let exists = check_sets(ctx, keys)?;
    if exists.iter().any(|e| !e) {
        return match (dst, output) {
            (Some(dst), _) => store_result(ctx, dst, Set::new_intset(), "sinterstore"),
            (None, InterOutput::Cardinality(_)) => Ok(Reply::Integer(0)),
            _ => Ok(Reply::Set(Vec::new())),
        };
    }
    let limits = limits(ctx);
    let limit = match output {
        InterOutput::Cardinality(l) => l,
        _ => 0,
    };
    let (replies, card, stored) = with_sets(ctx, keys, |sets| {
        let mut sets: Vec<(&Bytes, SetView<'_>)> =
            keys.iter().zip(sets).filter_map(|(k, s)| Some((k, s?))).collect();
        // Smallest first (a stable sort, like glibc's qsort on such small arrays).
        sets.sort_by_key(|(_, s)| s.len());
        let (first_key, first) = sets[0];
        let first_is_hashtable = first.is_hashtable();
        let mut replies = Vec::new();
        let mut card = 0u64;
        let mut dstset = match output {
            InterOutput::Store if first.is_intset() => Some(Set::new_intset()),
            InterOutput::Store => Some(Set::new_listpack()),
            _ => None,
        };
        let mut only_integers = true;
        let mut done = false;
        first.for_each(|v| {
            if done {
                return;
            }
            let in_all = sets[1..].iter().all(|(k, s)| *k == first_key || s.contains_value(v));
            if !in_all {
                return;
            }
            card += 1;
            match (&output, dstset.as_mut()) {
                (InterOutput::Cardinality(_), _) => done = limit != 0 && card >= limit,
                (_, Some(dstset)) => {
                    if let LpValue::Str(s) = v {
                        if !(first_is_hashtable && parse_i64(s).is_some()) {
                            only_integers = false;
                        }
                    }
                    dstset.add_value(v, &limits);
                }
                _ => replies.push(member_reply(v)),
            }
        });
        if let Some(d) = dstset.as_mut() {
            if only_integers && !d.is_empty() {
                d.maybe_convert_to_intset(&limits);
            }
        }
        (replies, card, dstset)
    });
    match (dst, stored) {
        (Some(dst), Some(set)) => store_result(ctx, dst, set, "sinterstore"),
        _ if matches!(output, InterOutput::Cardinality(_)) => Ok(Reply::Integer(card as i64)),
        _ => Ok(Reply::Set(replies)),
    }
}

/// SINTER: the intersection of sets.
///
/// ```text
/// SINTER key [key ...]
/// ```
/// Set reply, in the order of the smallest set; empty when a key is missing. Errors:
/// `WRONGTYPE` when any key holds another type.
pub fn sinter(ctx: &mut Ctx<'_>, argv: &[Bytes]) -> Result<Reply, CommandError> {
    sinter_generic(ctx, &argv[1..], None, InterOutput::Members)
}

/// SINTERCARD: the size of the intersection, optionally stopping at a limit.
///
/// ```text
/// SINTERCARD numkeys key [key ...] [LIMIT limit]
/// ```
/// Integer. Errors: `ERR numkeys should be greater than 0`, `ERR Number of keys can't be
/// greater than number of args`, `ERR LIMIT can't be negative` (also for a non-integer),
/// `ERR syntax error`, `WRONGTYPE`.
pub fn sintercard(ctx: &mut Ctx<'_>, argv: &[Bytes]) -> Result<Reply, CommandError> {
    let numkeys = match parse_i64(&argv[1]) {
        Some(n) if n >= 1 => n as u64,
        _ => return Err(CommandError::custom("ERR numkeys should be greater than 0")),
    };
    if numkeys > (argv.len() - 2) as u64 {
        return Err(CommandError::custom(
            "ERR Number of keys can't be greater than number of args",
        ));
    }
    let numkeys = numkeys as usize;
    let mut limit = 0u64;
    let mut cur = ArgCursor::new(argv, 2 + numkeys);
    while let Some(opt) = cur.next_arg() {
        if args::is(opt, "limit") && !cur.is_done() {
            limit = match parse_i64(cur.value()?) {
                Some(n) if n >= 0 => n as u64,
                _ => return Err(CommandError::custom("ERR LIMIT can't be negative")),
            };
        } else {
            return Err(CommandError::Syntax);
        }
    }
    sinter_generic(ctx, &argv[2..2 + numkeys], None, InterOutput::Cardinality(limit))
}

/// SINTERSTORE: stores the intersection.
///
/// ```text
/// SINTERSTORE destination key [key ...]
/// ```
/// Integer: the size of the result. An empty result deletes `destination`. The result starts
/// as an intset when the smallest source is one, else as a listpack, converts as members are
/// added, and becomes an intset at the end when every member is an integer and they fit.
/// Errors: `WRONGTYPE` (the destination is then left untouched).
pub fn sinterstore(ctx: &mut Ctx<'_>, argv: &[Bytes]) -> Result<Reply, CommandError> {
    sinter_generic(ctx, &argv[2..], Some(&argv[1]), InterOutput::Store)
}

/// The union of `sets` (missing ones are empty), built from an empty intset with
/// `setTypeAdd`, as Redis's `sunionDiffGenericCommand` does.
fn union(sets: &[Option<SetView<'_>>], limits: &EncodingLimits) -> Set {
    let mut dstset = Set::new_intset();
    for set in sets.iter().flatten() {
        set.for_each(|v| {
            dstset.add_value(v, limits);
        });
    }
    dstset
}

/// The difference of `sets` (`keys[i]` names `sets[i]`), with Redis's choice between its
/// two algorithms, which decides the result's encoding and order.
fn diff(keys: &[Bytes], sets: &[Option<SetView<'_>>], limits: &EncodingLimits) -> Set {
    let mut dstset = Set::new_intset();
    let Some(first) = sets[0] else { return dstset };
    let same_set = sets[1..].iter().zip(&keys[1..]).any(|(s, k)| s.is_some() && *k == keys[0]);
    if same_set {
        return dstset;
    }
    // Algorithm 1: O(N*M) over the first set; algorithm 2: O(total size). Algorithm 1 gets
    // its work halved as a bonus, as in Redis.
    let present = sets.iter().flatten();
    let algo_one_work = present.clone().count() as u64 * first.len() as u64 / 2;
    let algo_two_work: u64 = present.map(|s| s.len() as u64).sum();
    if algo_one_work <= algo_two_work {
        first.for_each(|v| {
            if !sets[1..].iter().flatten().any(|s| s.contains_value(v)) {
                dstset.add_value(v, limits);
            }
        });
    } else {
        first.for_each(|v| {
            dstset.add_value(v, limits);
        });
        for set in sets[1..].iter().flatten() {
            set.for_each(|v| {
                dstset.remove_value(v);
            });
            if dstset.is_empty() {
                break;
            }
        }
    }
    dstset
}

/// SUNION and SDIFF with their STORE variants.
fn sunion_diff_generic(
    ctx: &mut Ctx<'_>,
    keys: &[Bytes],
    dst: Option<&Bytes>,
    is_union: bool,
) -> Result<Reply, CommandError> {
    check_sets(ctx, keys)?;
    let limits = limits(ctx);
    let result = with_sets(ctx, keys, |sets| {
        if is_union {
            union(&sets, &limits)
        } else {
            diff(keys, &sets, &limits)
        }
    });
    match dst {
        Some(dst) => {
            let event = if is_union { "sunionstore" } else { "sdiffstore" };
            store_result(ctx, dst, result, event)
        }
        None => Ok(Reply::Set(members_reply(result.view()))),
    }
}

/// SUNION: the union of sets.
///
/// ```text
/// SUNION key [key ...]
/// ```
/// Set reply (missing keys are empty sets). Errors: `WRONGTYPE`.
pub fn sunion(ctx: &mut Ctx<'_>, argv: &[Bytes]) -> Result<Reply, CommandError> {
    sunion_diff_generic(ctx, &argv[1..], None, true)
}

/// SUNIONSTORE: stores the union.
///
/// ```text
/// SUNIONSTORE destination key [key ...]
/// ```
/// Integer: the size of the result; an empty result deletes `destination`. The result is
/// built from an empty intset, converting as members are added. Errors: `WRONGTYPE`.
pub fn sunionstore(ctx: &mut Ctx<'_>, argv: &[Bytes]) -> Result<Reply, CommandError> {
    sunion_diff_generic(ctx, &argv[2..], Some(&argv[1]), true)
}

/// SDIFF: the members of the first set that are in none of the others.
///
/// ```text
/// SDIFF key [key ...]
/// ```
/// Set reply (missing keys are empty sets). Errors: `WRONGTYPE`.
pub fn sdiff(ctx: &mut Ctx<'_>, argv: &[Bytes]) -> Result<Reply, CommandError> {
    sunion_diff_generic(ctx, &argv[1..], None, false)
}

/// SDIFFSTORE: stores the difference.
///
/// ```text
/// SDIFFSTORE destination key [key ...]
/// ```
/// Integer: the size of the result; an empty result deletes `destination`. Errors:
/// `WRONGTYPE`.
pub fn sdiffstore(ctx: &mut Ctx<'_>, argv: &[Bytes]) -> Result<Reply, CommandError> {
    sunion_diff_generic(ctx, &argv[2..], Some(&argv[1]), false)
}

/// SSCAN: one step of an incremental walk over a set's members.
///
/// ```text
/// SSCAN key cursor [MATCH pattern] [COUNT count]
/// ```
/// A two-element array: the next cursor (bulk string, "0" when done) and an array of members.
/// An intset or listpack is returned whole in one call with cursor 0; a hashtable is walked
/// with the reverse-binary cursor (every member present for the whole walk is returned at
/// least once), visiting buckets until `count` (default 10) members are collected or
/// `count * 10` buckets were visited; MATCH filters afterwards. A missing key replies
/// `0` and an empty array. Errors, in Redis's order: `ERR invalid cursor`, `WRONGTYPE`, then
/// `ERR syntax error` (unknown option, missing value, COUNT below 1) and `ERR value is not an
/// integer or out of range`.
pub fn sscan(ctx: &mut Ctx<'_>, argv: &[Bytes]) -> Result<Reply, CommandError> {
    let cursor = parse_cursor(&argv[2]).ok_or(CommandError::custom("ERR invalid cursor"))?;
    let now = ctx.now_ms;
    let empty = || Reply::Array(vec![Reply::bulk_static(b"0"), Reply::Array(Vec::new())]);
    let Some(set) = read_set(ctx.db(&argv[1])?, &argv[1], now)? else { return Ok(empty()) };
    let mut count: i64 = 10;
    let mut pattern: Option<&[u8]> = None;
    let mut cur = ArgCursor::new(argv, 3);
    while let Some(opt) = cur.next_arg() {
        if cur.is_done() {
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
    let keep = |m: &[u8]| pattern.is_none_or(|p| string_match(p, m, false));
    let mut out = Vec::new();
    let next = if set.is_hashtable() {
        let count = usize::try_from(count).unwrap_or(usize::MAX);
        let mut budget = count.saturating_mul(10);
        let mut found: Vec<Bytes> = Vec::new();
        let mut cursor = cursor;
        loop {
            cursor = set.scan(cursor, |m| found.push(Bytes::copy_from_slice(m))).unwrap_or(0);
            if cursor == 0 || budget == 0 || found.len() >= count {
                break;
            }
            budget -= 1;
        }
        out.extend(found.into_iter().filter(|m| keep(m)).map(Reply::Bulk));
        cursor
    } else {
        set.for_each(|v| {
            let mut buf = [0u8; 20];
            let m = v.as_bytes(&mut buf);
            if keep(m) {
                out.push(Reply::bulk(m));
            }
        });
        0
    };
    let mut buf = itoa::Buffer::new();
    Ok(Reply::Array(vec![Reply::bulk(buf.format(next).as_bytes()), Reply::Array(out)]))
}

/// Key spec of the one-key commands: read-only.
const RO: &[KeySpec] = &[KeySpec::single(1, keyflags::RO)];
/// Key spec of the one-key commands: read-only, returning data.
const RO_ACCESS: &[KeySpec] = &[KeySpec::single(1, keyflags::RO | keyflags::ACCESS)];
/// Keys from 1 to the end, read-only, returning data.
const RO_ACCESS_ALL: &[KeySpec] = &[KeySpec::range_to_end(1, 1, keyflags::RO | keyflags::ACCESS)];
/// Destination at 1, sources from 2 on (SUNIONSTORE, SDIFFSTORE).
const OW_DST_RO_SRC: &[KeySpec] = &[
    KeySpec::single(1, keyflags::OW | keyflags::UPDATE),
    KeySpec::range_to_end(2, 1, keyflags::RO | keyflags::ACCESS),
];
/// Destination at 1 (RW), sources from 2 on (SINTERSTORE).
const RW_DST_RO_SRC: &[KeySpec] = &[
    KeySpec::single(1, keyflags::RW | keyflags::UPDATE),
    KeySpec::range_to_end(2, 1, keyflags::RO | keyflags::ACCESS),
];
/// SINTERCARD: `numkeys` keys after argument 1.
const NUMKEYS_RO_ACCESS: &[KeySpec] = &[KeySpec {
    flags: keyflags::RO | keyflags::ACCESS,
    notes: None,
    begin: BeginSearch::Index(1),
    find: FindKeys::Keynum { keynumidx: 0, firstkey: 1, keystep: 1 },
}];

/// The sets commands.
pub static SPECS: &[CommandSpec] = &[
    CommandSpec {
        name: "sadd",
        arguments: docs::SADD,
        history: &[("2.4.0", "Accepts multiple `member` arguments.")],
        arity: -3,
        flags: flags::WRITE | flags::DENYOOM | flags::FAST,
        acl: acl::SET,
        keys: &[KeySpec::single(1, keyflags::RW | keyflags::INSERT)],
        group: Group::Set,
        since: "1.0.0",
        summary: "Adds one or more members to a set. Creates the key if it doesn't exist.",
        complexity: "O(1) for each element added, so O(N) to add N elements when the command is called with multiple arguments.",
        handler: Some(sadd),
        ..CommandSpec::DEFAULT
    },
    CommandSpec {
        name: "srem",
        arguments: docs::SREM,
        history: &[("2.4.0", "Accepts multiple `member` arguments.")],
        arity: -3,
        flags: flags::WRITE | flags::FAST,
        acl: acl::SET,
        keys: &[KeySpec::single(1, keyflags::RW | keyflags::DELETE)],
        group: Group::Set,
        since: "1.0.0",
        summary: "Removes one or more members from a set. Deletes the set if the last member was removed.",
        complexity: "O(N) where N is the number of members to be removed.",
        handler: Some(srem),
        ..CommandSpec::DEFAULT
    },
    CommandSpec {
        name: "scard",
        arguments: docs::KEY_ONLY,
        arity: 2,
        flags: flags::READONLY | flags::FAST,
        acl: acl::SET,
        keys: RO,
        group: Group::Set,
        since: "1.0.0",
        summary: "Returns the number of members in a set.",
        handler: Some(scard),
        ..CommandSpec::DEFAULT
    },
    CommandSpec {
        name: "sismember",
        arguments: docs::KEY_MEMBER,
        arity: 3,
        flags: flags::READONLY | flags::FAST,
        acl: acl::SET,
        keys: RO,
        group: Group::Set,
        since: "1.0.0",
        summary: "Determines whether a member belongs to a set.",
        handler: Some(sismember),
        ..CommandSpec::DEFAULT
    },
    CommandSpec {
        name: "smismember",
        arguments: docs::KEY_MEMBERS,
        arity: -3,
        flags: flags::READONLY | flags::FAST,
        acl: acl::SET,
        keys: RO_ACCESS,
        group: Group::Set,
        since: "6.2.0",
        summary: "Determines whether multiple members belong to a set.",
        complexity: "O(N) where N is the number of elements being checked for membership",
        handler: Some(smismember),
        ..CommandSpec::DEFAULT
    },
    CommandSpec {
        name: "smembers",
        arguments: docs::KEY_ONLY,
        arity: 2,
        flags: flags::READONLY,
        acl: acl::SET,
        keys: RO_ACCESS,
        group: Group::Set,
        since: "1.0.0",
        summary: "Returns all members of a set.",
        complexity: "O(N) where N is the set cardinality.",
        tips: &["nondeterministic_output_order"],
        handler: Some(smembers),
        ..CommandSpec::DEFAULT
    },
    CommandSpec {
        name: "spop",
        arguments: docs::SPOP,
        history: &[("3.2.0", "Added the `count` argument.")],
        arity: -2,
        flags: flags::WRITE | flags::FAST,
        acl: acl::SET,
        keys: &[KeySpec::single(1, keyflags::RW | keyflags::ACCESS | keyflags::DELETE)],
        group: Group::Set,
        since: "1.0.0",
        summary: "Returns one or more random members from a set after removing them. Deletes the set if the last member was popped.",
        complexity: "Without the count argument O(1), otherwise O(N) where N is the value of the passed count.",
        tips: &["nondeterministic_output"],
        handler: Some(spop),
        ..CommandSpec::DEFAULT
    },
    CommandSpec {
        name: "srandmember",
        arguments: docs::SRANDMEMBER,
        history: &[("2.6.0", "Added the optional `count` argument.")],
        arity: -2,
        flags: flags::READONLY,
        acl: acl::SET,
        keys: RO_ACCESS,
        group: Group::Set,
        since: "1.0.0",
        summary: "Get one or multiple random members from a set",
        complexity: "Without the count argument O(1), otherwise O(N) where N is the absolute value of the passed count.",
        tips: &["nondeterministic_output"],
        handler: Some(srandmember),
        ..CommandSpec::DEFAULT
    },
    CommandSpec {
        name: "smove",
        arguments: docs::SMOVE,
        arity: 4,
        flags: flags::WRITE | flags::FAST,
        acl: acl::SET,
        keys: &[
            KeySpec::single(1, keyflags::RW | keyflags::ACCESS | keyflags::DELETE),
            KeySpec::single(2, keyflags::RW | keyflags::INSERT),
        ],
        group: Group::Set,
        since: "1.0.0",
        summary: "Moves a member from one set to another.",
        handler: Some(smove),
        ..CommandSpec::DEFAULT
    },
    CommandSpec {
        name: "sinter",
        arguments: docs::KEYS,
        arity: -2,
        flags: flags::READONLY,
        acl: acl::SET,
        keys: RO_ACCESS_ALL,
        group: Group::Set,
        since: "1.0.0",
        summary: "Returns the intersect of multiple sets.",
        complexity: "O(N*M) worst case where N is the cardinality of the smallest set and M is the number of sets.",
        tips: &["nondeterministic_output_order"],
        handler: Some(sinter),
        ..CommandSpec::DEFAULT
    },
    CommandSpec {
        name: "sintercard",
        arguments: docs::SINTERCARD,
        arity: -3,
        flags: flags::READONLY,
        acl: acl::SET,
        keys: NUMKEYS_RO_ACCESS,
        group: Group::Set,
        since: "7.0.0",
        summary: "Returns the number of members of the intersect of multiple sets.",
        complexity: "O(N*M) worst case where N is the cardinality of the smallest set and M is the number of sets.",
        handler: Some(sintercard),
        ..CommandSpec::DEFAULT
    },
    CommandSpec {
        name: "sunion",
        arguments: docs::KEYS,
        arity: -2,
        flags: flags::READONLY,
        acl: acl::SET,
        keys: RO_ACCESS_ALL,
        group: Group::Set,
        since: "1.0.0",
        summary: "Returns the union of multiple sets.",
        complexity: "O(N) where N is the total number of elements in all given sets.",
        tips: &["nondeterministic_output_order"],
        handler: Some(sunion),
        ..CommandSpec::DEFAULT
    },
    CommandSpec {
        name: "sdiff",
        arguments: docs::KEYS,
        arity: -2,
        flags: flags::READONLY,
        acl: acl::SET,
        keys: RO_ACCESS_ALL,
        group: Group::Set,
        since: "1.0.0",
        summary: "Returns the difference of multiple sets.",
        complexity: "O(N) where N is the total number of elements in all given sets.",
        tips: &["nondeterministic_output_order"],
        handler: Some(sdiff),
        ..CommandSpec::DEFAULT
    },
    CommandSpec {
        name: "sinterstore",
        arguments: docs::STORE,
        arity: -3,
        flags: flags::WRITE | flags::DENYOOM,
        acl: acl::SET,
        keys: RW_DST_RO_SRC,
        group: Group::Set,
        since: "1.0.0",
        summary: "Stores the intersect of multiple sets in a key.",
        complexity: "O(N*M) worst case where N is the cardinality of the smallest set and M is the number of sets.",
        handler: Some(sinterstore),
        ..CommandSpec::DEFAULT
    },
    CommandSpec {
        name: "sunionstore",
        arguments: docs::STORE,
        arity: -3,
        flags: flags::WRITE | flags::DENYOOM,
        acl: acl::SET,
        keys: OW_DST_RO_SRC,
        group: Group::Set,
        since: "1.0.0",
        summary: "Stores the union of multiple sets in a key.",
        complexity: "O(N) where N is the total number of elements in all given sets.",
        handler: Some(sunionstore),
        ..CommandSpec::DEFAULT
    },
    CommandSpec {
        name: "sdiffstore",
        arguments: docs::STORE,
        arity: -3,
        flags: flags::WRITE | flags::DENYOOM,
        acl: acl::SET,
        keys: OW_DST_RO_SRC,
        group: Group::Set,
        since: "1.0.0",
        summary: "Stores the difference of multiple sets in a key.",
        complexity: "O(N) where N is the total number of elements in all given sets.",
        handler: Some(sdiffstore),
        ..CommandSpec::DEFAULT
    },
    CommandSpec {
        name: "sscan",
        arguments: docs::SSCAN,
        arity: -3,
        flags: flags::READONLY,
        acl: acl::SET,
        keys: RO_ACCESS,
        group: Group::Set,
        since: "2.8.0",
        summary: "Iterates over members of a set.",
        complexity: "O(1) for every call. O(N) for a complete iteration, including enough command calls for the cursor to return back to 0. N is the number of elements inside the collection.",
        tips: &["nondeterministic_output"],
        handler: Some(sscan),
        ..CommandSpec::DEFAULT
    },
];

/// COMMAND DOCS arguments of the set commands (Redis 7.2's `commands/s*.json`).
mod docs {
    use crate::spec::{argflags, Arg, ArgType};

    const KEY: Arg =
        Arg { name: "key", kind: ArgType::Key, key_spec_index: Some(0), ..Arg::DEFAULT };
    const MEMBER: Arg = Arg { name: "member", kind: ArgType::String, ..Arg::DEFAULT };
    const MEMBERS: Arg = Arg { flags: argflags::MULTIPLE, ..MEMBER };
    const KEYS_ARG: Arg = Arg { flags: argflags::MULTIPLE, ..KEY };
    const DESTINATION: Arg =
        Arg { name: "destination", kind: ArgType::Key, key_spec_index: Some(0), ..Arg::DEFAULT };

    pub const KEY_ONLY: &[Arg] = &[KEY];
    pub const KEY_MEMBER: &[Arg] = &[KEY, MEMBER];
    pub const KEY_MEMBERS: &[Arg] = &[KEY, MEMBERS];
    pub const SADD: &[Arg] = KEY_MEMBERS;
    pub const SREM: &[Arg] = KEY_MEMBERS;
    pub const KEYS: &[Arg] = &[KEYS_ARG];
    pub const STORE: &[Arg] = &[DESTINATION, Arg { key_spec_index: Some(1), ..KEYS_ARG }];
    pub const SPOP: &[Arg] = &[
        KEY,
        Arg {
            name: "count",
            kind: ArgType::Integer,
            since: Some("3.2.0"),
            flags: argflags::OPTIONAL,
            ..Arg::DEFAULT
        },
    ];
    pub const SRANDMEMBER: &[Arg] = &[
        KEY,
        Arg {
            name: "count",
            kind: ArgType::Integer,
            since: Some("2.6.0"),
            flags: argflags::OPTIONAL,
            ..Arg::DEFAULT
        },
    ];
    pub const SMOVE: &[Arg] = &[
        Arg { name: "source", kind: ArgType::Key, key_spec_index: Some(0), ..Arg::DEFAULT },
        Arg { name: "destination", kind: ArgType::Key, key_spec_index: Some(1), ..Arg::DEFAULT },
        MEMBER,
    ];
    pub const SINTERCARD: &[Arg] = &[
        Arg { name: "numkeys", kind: ArgType::Integer, ..Arg::DEFAULT },
        KEYS_ARG,
        Arg {
            name: "limit",
            kind: ArgType::Integer,
            token: Some("LIMIT"),
            flags: argflags::OPTIONAL,
            ..Arg::DEFAULT
        },
    ];
    pub const SSCAN: &[Arg] = &[
        KEY,
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
