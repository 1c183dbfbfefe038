//! String commands: GET, SET and friends, counters.
//!
//! Semantics follow the command pages under <https://redis.io/commands/> and Redis 7.2's
//! `src/t_string.c`.

use crate::args::{self, ArgCursor};
use crate::context::Ctx;
use crate::errors::CommandError;
use crate::spec::{acl, flags, keyflags, CommandSpec, Group, KeySpec};
use bytes::Bytes;
use ferrodis_keyspace::{num, Db, TtlUpdate, Value};
use ferrodis_resp::Reply;

/// Reads a string value: `Ok(None)` when the key is missing, `WRONGTYPE` for another type.
pub fn read_string<'d>(db: &'d mut Db, key: &[u8], now_ms: u64) -> Result<Option<&'d [u8]>, CommandError> {
    match db.lookup_read(key, now_ms) {
        None => Ok(None),
        Some(entry) => entry.value.as_string().map(Some).ok_or(CommandError::WrongType),
    }
}

/// GET key
///
/// ```text
/// GET key
/// ```
/// Bulk string, or null when the key is missing. `WRONGTYPE` for a non-string.
pub fn get(ctx: &mut Ctx<'_>, argv: &[Bytes]) -> Result<Reply, CommandError> {
    let now = ctx.now_ms;
    let db = ctx.db(&argv[1])?;
    Ok(Reply::bulk_or_null(read_string(db, &argv[1], now)?))
}

/// SET's condition option.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum SetCondition {
    Always,
    Nx,
    Xx,
}

/// SET's expiry option, with the unit of the value given.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Expiry {
    None,
    KeepTtl,
    Ex,
    Px,
    ExAt,
    PxAt,
}

/// Parsed arguments of SET.
struct SetArgs {
    condition: SetCondition,
    get: bool,
    ttl: TtlUpdate,
}

/// Turns an expire argument into an absolute Unix time in milliseconds, with Redis's errors
/// (`getExpireMillisecondsOrReply`): not an integer, non-positive, or overflowing.
pub fn expire_at_ms(
    arg: &[u8],
    unit_secs: bool,
    relative: bool,
    now_ms: u64,
    cmd: &str,
) -> Result<u64, CommandError> {
    let value = args::int(arg)?;
    let invalid = || CommandError::InvalidExpireTime(cmd.to_string());
    if value <= 0 || (unit_secs && value > i64::MAX / 1000) {
        return Err(invalid());
    }
    let mut ms = if unit_secs { value * 1000 } else { value };
    if relative {
        let base = now_ms as i64;
        if ms > i64::MAX - base {
            return Err(invalid());
        }
        ms += base;
    }
    Ok(ms as u64)
}

fn parse_set(argv: &[Bytes], now_ms: u64) -> Result<SetArgs, CommandError> {
    let mut condition = SetCondition::Always;
    let mut get = false;
    let mut expiry = Expiry::None;
    let mut expiry_arg: &[u8] = b"";
    let mut cur = ArgCursor::new(argv, 3);
    // Mirrors parseExtendedStringArgumentsOrReply: an option is accepted only when it does
    // not conflict with one seen before; repeating the same option is allowed.
    while let Some(opt) = cur.next_arg() {
        let has_next = !cur.is_done();
        if args::is(opt, "nx") && condition != SetCondition::Xx {
            condition = SetCondition::Nx;
        } else if args::is(opt, "xx") && condition != SetCondition::Nx {
            condition = SetCondition::Xx;
        } else if args::is(opt, "get") {
            get = true;
        } else if args::is(opt, "keepttl") && matches!(expiry, Expiry::None | Expiry::KeepTtl) {
            expiry = Expiry::KeepTtl;
        } else if has_next
            && [("ex", Expiry::Ex), ("px", Expiry::Px), ("exat", Expiry::ExAt), ("pxat", Expiry::PxAt)]
                .iter()
                .any(|(name, kind)| args::is(opt, name) && (expiry == Expiry::None || expiry == *kind))
        {
            expiry = [("ex", Expiry::Ex), ("px", Expiry::Px), ("exat", Expiry::ExAt), ("pxat", Expiry::PxAt)]
                .iter()
                .find(|(name, _)| args::is(opt, name))
                .map_or(Expiry::None, |(_, k)| *k);
            expiry_arg = cur.value()?;
        } else {
            return Err(CommandError::Syntax);
        }
    }
    let ttl = match expiry {
        Expiry::None => TtlUpdate::Clear,
        Expiry::KeepTtl => TtlUpdate::Keep,
        Expiry::Ex => TtlUpdate::At(expire_at_ms(expiry_arg, true, true, now_ms, "set")?),
        Expiry::Px => TtlUpdate::At(expire_at_ms(expiry_arg, false, true, now_ms, "set")?),
        Expiry::ExAt => TtlUpdate::At(expire_at_ms(expiry_arg, true, false, now_ms, "set")?),
        Expiry::PxAt => TtlUpdate::At(expire_at_ms(expiry_arg, false, false, now_ms, "set")?),
    };
    Ok(SetArgs { condition, get, ttl })
}

/// SET key value [NX | XX] [GET] [EX seconds | PX milliseconds | EXAT unix-time-seconds |
/// PXAT unix-time-milliseconds | KEEPTTL]
///
/// Options in any order. `OK`, or null when NX/XX prevented the write; with GET, the old
/// value (or null) instead. Errors: `ERR syntax error`, `ERR invalid expire time in 'set'
/// command`, `ERR value is not an integer or out of range`, `WRONGTYPE` (GET on a non-string).
pub fn set(ctx: &mut Ctx<'_>, argv: &[Bytes]) -> Result<Reply, CommandError> {
    let now = ctx.now_ms;
    let a = parse_set(argv, now)?;
    let key = &argv[1];
    let db_index = ctx.client.db;
    let db = ctx.db(key)?;
    let (found, old) = match db.lookup(key, now) {
        None => (false, None),
        Some(e) if a.get => match e.value.as_string() {
            Some(s) => (true, Some(Bytes::copy_from_slice(s))),
            None => return Err(CommandError::WrongType),
        },
        Some(_) => (true, None),
    };
    let old_reply = || old.clone().map_or(Reply::Null, Reply::Bulk);
    if (a.condition == SetCondition::Nx && found) || (a.condition == SetCondition::Xx && !found) {
        return Ok(if a.get { old_reply() } else { Reply::Null });
    }
    db.set(key, Value::string(&argv[2]), a.ttl, now);
    ctx.signal_modified(db_index, key);
    Ok(if a.get { old_reply() } else { Reply::OK })
}

/// MGET key [key ...]
///
/// Array of bulk strings, null for missing keys and for keys of other types.
pub fn mget(ctx: &mut Ctx<'_>, argv: &[Bytes]) -> Result<Reply, CommandError> {
    let now = ctx.now_ms;
    let mut out = Vec::with_capacity(argv.len() - 1);
    for key in &argv[1..] {
        let db = ctx.db(key)?;
        let v = match db.lookup_read(key, now) {
            Some(e) => e.value.as_string().map_or(Reply::Null, Reply::bulk),
            None => Reply::Null,
        };
        out.push(v);
    }
    Ok(Reply::Array(out))
}

/// MSET key value [key value ...]
///
/// Always `OK`; `ERR wrong number of arguments for 'mset' command` for an odd count.
pub fn mset(ctx: &mut Ctx<'_>, argv: &[Bytes]) -> Result<Reply, CommandError> {
    if argv.len() % 2 == 0 {
        return Err(CommandError::WrongArity("mset".into()));
    }
    let now = ctx.now_ms;
    let db_index = ctx.client.db;
    for pair in argv[1..].chunks(2) {
        ctx.db(&pair[0])?.set(&pair[0], Value::string(&pair[1]), TtlUpdate::Clear, now);
        ctx.signal_modified(db_index, &pair[0]);
    }
    Ok(Reply::OK)
}

/// Adds `delta` to the integer stored at `key` (Redis's `incrDecrCommand`), keeping its TTL.
fn incr_generic(ctx: &mut Ctx<'_>, key: &[u8], delta: i64) -> Result<Reply, CommandError> {
    let now = ctx.now_ms;
    let db_index = ctx.client.db;
    let db = ctx.db(key)?;
    let current = match db.lookup(key, now) {
        None => 0,
        Some(e) => {
            let s = e.value.as_string().ok_or(CommandError::WrongType)?;
            num::parse_i64(s).ok_or(CommandError::NotInteger)?
        }
    };
    let new = current.checked_add(delta).ok_or(CommandError::Overflow)?;
    let mut buf = itoa::Buffer::new();
    db.set(key, Value::string(buf.format(new).as_bytes()), TtlUpdate::Keep, now);
    ctx.signal_modified(db_index, key);
    Ok(Reply::Integer(new))
}

/// INCR key — integer after increment. Errors: `ERR value is not an integer or out of
/// range`, `ERR increment or decrement would overflow`, `WRONGTYPE`.
pub fn incr(ctx: &mut Ctx<'_>, argv: &[Bytes]) -> Result<Reply, CommandError> {
    incr_generic(ctx, &argv[1], 1)
}

/// DECR key — integer after decrement.
pub fn decr(ctx: &mut Ctx<'_>, argv: &[Bytes]) -> Result<Reply, CommandError> {
    incr_generic(ctx, &argv[1], -1)
}

/// INCRBY key increment — integer after increment.
pub fn incrby(ctx: &mut Ctx<'_>, argv: &[Bytes]) -> Result<Reply, CommandError> {
    let delta = args::int(&argv[2])?;
    incr_generic(ctx, &argv[1], delta)
}

/// DECRBY key decrement — integer after decrement; `ERR decrement would overflow` for
/// the minimum 64-bit integer.
pub fn decrby(ctx: &mut Ctx<'_>, argv: &[Bytes]) -> Result<Reply, CommandError> {
    let delta = args::int(&argv[2])?;
    if delta == i64::MIN {
        return Err(CommandError::custom("ERR decrement would overflow"));
    }
    incr_generic(ctx, &argv[1], -delta)
}

const RO_ACCESS: &[KeySpec] = &[KeySpec::single(1, keyflags::RO | keyflags::ACCESS)];
const RW_UPDATE: &[KeySpec] = &[KeySpec::single(1, keyflags::RW | keyflags::ACCESS | keyflags::UPDATE)];

/// The string family.
pub static SPECS: &[CommandSpec] = &[
    CommandSpec {
        name: "get",
        arity: 2,
        flags: flags::READONLY | flags::FAST,
        acl: acl::STRING,
        keys: RO_ACCESS,
        group: Group::String,
        since: "1.0.0",
        summary: "Returns the string value of a key.",
        handler: Some(get),
        ..CommandSpec::DEFAULT
    },
    CommandSpec {
        name: "set",
        arity: -3,
        flags: flags::WRITE | flags::DENYOOM,
        acl: acl::STRING,
        keys: &[KeySpec::single(1, keyflags::RW | keyflags::ACCESS | keyflags::UPDATE | keyflags::VARIABLE_FLAGS)
            .with_notes("RW and ACCESS due to the optional `GET` argument")],
        group: Group::String,
        since: "1.0.0",
        summary: "Sets the string value of a key, ignoring its type. The key is created if it doesn't exist.",
        complexity: "O(1)",
        handler: Some(set),
        ..CommandSpec::DEFAULT
    },
    CommandSpec {
        name: "mget",
        arity: -2,
        flags: flags::READONLY | flags::FAST,
        acl: acl::STRING,
        keys: &[KeySpec::range_to_end(1, 1, keyflags::RO | keyflags::ACCESS)],
        group: Group::String,
        since: "1.0.0",
        summary: "Atomically returns the string values of one or more keys.",
        complexity: "O(N) where N is the number of keys to retrieve.",
        tips: &["request_policy:multi_shard"],
        handler: Some(mget),
        ..CommandSpec::DEFAULT
    },
    CommandSpec {
        name: "mset",
        arity: -3,
        flags: flags::WRITE | flags::DENYOOM,
        acl: acl::STRING,
        keys: &[KeySpec::range_to_end(1, 2, keyflags::OW | keyflags::UPDATE)],
        group: Group::String,
        since: "1.0.1",
        summary: "Atomically creates or modifies the string values of one or more keys.",
        complexity: "O(N) where N is the number of keys to set.",
        tips: &["request_policy:multi_shard", "response_policy:all_succeeded"],
        handler: Some(mset),
        ..CommandSpec::DEFAULT
    },
    CommandSpec {
        name: "incr",
        arity: 2,
        flags: flags::WRITE | flags::DENYOOM | flags::FAST,
        acl: acl::STRING,
        keys: RW_UPDATE,
        group: Group::String,
        since: "1.0.0",
        summary: "Increments the integer value of a key by one. Uses 0 as initial value if the key doesn't exist.",
        handler: Some(incr),
        ..CommandSpec::DEFAULT
    },
    CommandSpec {
        name: "decr",
        arity: 2,
        flags: flags::WRITE | flags::DENYOOM | flags::FAST,
        acl: acl::STRING,
        keys: RW_UPDATE,
        group: Group::String,
        since: "1.0.0",
        summary: "Decrements the integer value of a key by one. Uses 0 as initial value if the key doesn't exist.",
        handler: Some(decr),
        ..CommandSpec::DEFAULT
    },
    CommandSpec {
        name: "incrby",
        arity: 3,
        flags: flags::WRITE | flags::DENYOOM | flags::FAST,
        acl: acl::STRING,
        keys: RW_UPDATE,
        group: Group::String,
        since: "1.0.0",
        summary: "Increments the integer value of a key by a number. Uses 0 as initial value if the key doesn't exist.",
        handler: Some(incrby),
        ..CommandSpec::DEFAULT
    },
    CommandSpec {
        name: "decrby",
        arity: 3,
        flags: flags::WRITE | flags::DENYOOM | flags::FAST,
        acl: acl::STRING,
        keys: RW_UPDATE,
        group: Group::String,
        since: "1.0.0",
        summary: "Decrements a number from the integer value of a key. Uses 0 as initial value if the key doesn't exist.",
        handler: Some(decrby),
        ..CommandSpec::DEFAULT
    },
];
