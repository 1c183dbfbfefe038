//! Hash commands: HSET, HSETNX, HMSET, HGET, HMGET, HGETALL, HKEYS, HVALS, HDEL, HEXISTS,
//! HLEN, HSTRLEN, HINCRBY, HINCRBYFLOAT, HRANDFIELD, HSCAN.
//!
//! Semantics follow the command pages under <https://redis.io/commands/> and Redis 7.2's
//! `src/t_hash.c`: error texts, the order in which arguments, types and sizes are checked, and
//! the encoding conversions (`listpack` to `hashtable`, never back; see
//! `ferrodis_keyspace::types::hash`). A hash left empty by HDEL is deleted.

use crate::args::{self, ArgCursor};
use crate::commands::keys::parse_cursor;
use crate::context::Ctx;
use crate::errors::CommandError;
use crate::notify::{NOTIFY_GENERIC, NOTIFY_HASH};
use crate::spec::{acl, flags, keyflags, CommandSpec, Group, KeySpec};
use bytes::Bytes;
use ferrodis_keyspace::glob::string_match;
use ferrodis_keyspace::num::{self, LongDoubleError};
use ferrodis_keyspace::types::hash::HashValue;
use ferrodis_keyspace::types::Hash;
use ferrodis_keyspace::{Db, EncodingLimits, Value};
use ferrodis_resp::{Reply, RespVersion};

/// Reads a hash: `Ok(None)` when the key is missing, `WRONGTYPE` for another type. Counts a
/// keyspace hit or miss, as Redis's `lookupKeyRead` does.
fn read_hash<'d>(
    db: &'d mut Db,
    key: &[u8],
    now_ms: u64,
) -> Result<Option<&'d Hash>, CommandError> {
    match db.lookup_read(key, now_ms) {
        None => Ok(None),
        Some(entry) => match &entry.value {
            Value::Hash(h) => Ok(Some(h)),
            _ => Err(CommandError::WrongType),
        },
    }
}

/// The hash at `key` for writing: `Ok(None)` when the key is missing (the caller creates it
/// once it knows it will write), `WRONGTYPE` for another type.
fn write_hash<'d>(
    db: &'d mut Db,
    key: &[u8],
    now_ms: u64,
) -> Result<Option<&'d mut Hash>, CommandError> {
    match db.lookup_mut(key, now_ms) {
        None => Ok(None),
        Some(entry) => match &mut entry.value {
            Value::Hash(h) => Ok(Some(h)),
            _ => Err(CommandError::WrongType),
        },
    }
}

/// The hash at `key`, created empty when missing (Redis's `hashTypeLookupWriteOrCreate`). The
/// caller must write at least one field, so no empty hash is left behind.
fn write_or_create<'d>(
    db: &'d mut Db,
    key: &[u8],
    now_ms: u64,
) -> Result<&'d mut Hash, CommandError> {
    match &mut db.lookup_mut_or_add(key, now_ms, || Value::Hash(Hash::new())).0.value {
        Value::Hash(h) => Ok(h),
        _ => Err(CommandError::WrongType),
    }
}

/// A field or value as a bulk string.
fn bulk(v: HashValue<'_>) -> Reply {
    match v {
        HashValue::Str(s) => Reply::bulk(s),
        HashValue::Int(i) => Reply::bulk_int(i),
    }
}

/// The server's encoding thresholds.
fn limits(ctx: &Ctx<'_>) -> EncodingLimits {
    ctx.server.settings.read().encoding
}

/// The body of HSET and HMSET: sets every pair of `argv[2..]`, converting first as Redis's
/// `hashTypeTryConversion` does. Returns how many fields were created.
fn set_pairs(ctx: &mut Ctx<'_>, argv: &[Bytes], cmd: &str) -> Result<i64, CommandError> {
    if argv.len() % 2 == 1 {
        return Err(CommandError::WrongArity(cmd.into()));
    }
    let now = ctx.now_ms;
    let db_index = ctx.client.db;
    let limits = limits(ctx);
    let key = &argv[1];
    let db = ctx.db(key)?;
    let hash = write_or_create(db, key, now)?;
    let pairs: Vec<&[u8]> = argv[2..].iter().map(|a| &a[..]).collect();
    hash.try_conversion(&pairs, &limits);
    let mut created = 0;
    for pair in pairs.chunks_exact(2) {
        created += i64::from(hash.set(pair[0], pair[1], &limits));
    }
    ctx.signal_modified(db_index, key);
    ctx.notify(NOTIFY_HASH, "hset", db_index, key);
    Ok(created)
}

/// HSET key field value [field value ...]
///
/// ```text
/// HSET key field value [field value ...]
/// ```
/// Integer: the number of fields created (updated ones are not counted). Errors: `ERR wrong
/// number of arguments for 'hset' command` (odd number of field/value arguments),
/// `WRONGTYPE`. Since 2.0.0; several pairs since 4.0.0.
pub fn hset(ctx: &mut Ctx<'_>, argv: &[Bytes]) -> Result<Reply, CommandError> {
    Ok(Reply::Integer(set_pairs(ctx, argv, "hset")?))
}

/// HMSET key field value [field value ...]
///
/// ```text
/// HMSET key field value [field value ...]
/// ```
/// `OK`. Errors as HSET (with `'hmset'` in the arity error). Deprecated since 4.0.0.
pub fn hmset(ctx: &mut Ctx<'_>, argv: &[Bytes]) -> Result<Reply, CommandError> {
    set_pairs(ctx, argv, "hmset")?;
    Ok(Reply::OK)
}

/// HSETNX key field value
///
/// ```text
/// HSETNX key field value
/// ```
/// Integer: 1 when the field was set, 0 when it already existed (the hash is then left as it
/// was, encoding included, as in Redis 7.0 and later). Errors: `WRONGTYPE`.
pub fn hsetnx(ctx: &mut Ctx<'_>, argv: &[Bytes]) -> Result<Reply, CommandError> {
    let now = ctx.now_ms;
    let db_index = ctx.client.db;
    let limits = limits(ctx);
    let key = &argv[1];
    let db = ctx.db(key)?;
    if write_hash(db, key, now)?.is_some_and(|h| h.contains(&argv[2])) {
        return Ok(Reply::Integer(0));
    }
    let hash = write_or_create(db, key, now)?;
    hash.try_conversion(&[&argv[2], &argv[3]], &limits);
    hash.set(&argv[2], &argv[3], &limits);
    ctx.signal_modified(db_index, key);
    ctx.notify(NOTIFY_HASH, "hset", db_index, key);
    Ok(Reply::Integer(1))
}

/// HGET key field
///
/// ```text
/// HGET key field
/// ```
/// Bulk string, or null when the key or field is missing. Errors: `WRONGTYPE`.
pub fn hget(ctx: &mut Ctx<'_>, argv: &[Bytes]) -> Result<Reply, CommandError> {
    let now = ctx.now_ms;
    let db = ctx.db(&argv[1])?;
    Ok(read_hash(db, &argv[1], now)?
        .and_then(|h| h.get_with(&argv[2], bulk))
        .unwrap_or(Reply::Null))
}

/// HMGET key field [field ...]
///
/// ```text
/// HMGET key field [field ...]
/// ```
/// Array of bulk strings, null for each missing field (all null for a missing key). Errors:
/// `WRONGTYPE`.
pub fn hmget(ctx: &mut Ctx<'_>, argv: &[Bytes]) -> Result<Reply, CommandError> {
    let now = ctx.now_ms;
    let db = ctx.db(&argv[1])?;
    let hash = read_hash(db, &argv[1], now)?;
    Ok(Reply::Array(
        argv[2..]
            .iter()
            .map(|f| hash.and_then(|h| h.get_with(f, bulk)).unwrap_or(Reply::Null))
            .collect(),
    ))
}

/// What HGETALL, HKEYS and HVALS return.
#[derive(Clone, Copy, PartialEq, Eq)]
enum GetAll {
    Keys,
    Values,
    Both,
}

/// The body of HGETALL, HKEYS and HVALS (Redis's `genericHgetallCommand`).
fn get_all(ctx: &mut Ctx<'_>, argv: &[Bytes], what: GetAll) -> Result<Reply, CommandError> {
    let now = ctx.now_ms;
    let db = ctx.db(&argv[1])?;
    let hash = read_hash(db, &argv[1], now)?;
    let len = hash.map_or(0, Hash::len);
    Ok(match what {
        GetAll::Both => {
            let mut out = Vec::with_capacity(len);
            if let Some(h) = hash {
                h.for_each(|k, v| out.push((bulk(k), bulk(v))));
            }
            Reply::Map(out)
        }
        GetAll::Keys | GetAll::Values => {
            let mut out = Vec::with_capacity(len);
            if let Some(h) = hash {
                h.for_each(|k, v| out.push(bulk(if what == GetAll::Keys { k } else { v })));
            }
            Reply::Array(out)
        }
    })
}

/// HGETALL key
///
/// ```text
/// HGETALL key
/// ```
/// Map of field to value (RESP3 `%`, RESP2 a flat array `field value ...`); empty for a
/// missing key. Order: insertion order for `listpack`, table order for `hashtable`. Errors:
/// `WRONGTYPE`.
pub fn hgetall(ctx: &mut Ctx<'_>, argv: &[Bytes]) -> Result<Reply, CommandError> {
    get_all(ctx, argv, GetAll::Both)
}

/// HKEYS key
///
/// ```text
/// HKEYS key
/// ```
/// Array of the fields (an array in RESP3 too); empty for a missing key. Errors: `WRONGTYPE`.
pub fn hkeys(ctx: &mut Ctx<'_>, argv: &[Bytes]) -> Result<Reply, CommandError> {
    get_all(ctx, argv, GetAll::Keys)
}

/// HVALS key
///
/// ```text
/// HVALS key
/// ```
/// Array of the values; empty for a missing key. Errors: `WRONGTYPE`.
pub fn hvals(ctx: &mut Ctx<'_>, argv: &[Bytes]) -> Result<Reply, CommandError> {
    get_all(ctx, argv, GetAll::Values)
}

/// HDEL key field [field ...]
///
/// ```text
/// HDEL key field [field ...]
/// ```
/// Integer: the number of fields removed. The key is deleted when the hash becomes empty
/// (further fields are then not looked at). Errors: `WRONGTYPE`.
pub fn hdel(ctx: &mut Ctx<'_>, argv: &[Bytes]) -> Result<Reply, CommandError> {
    let now = ctx.now_ms;
    let db_index = ctx.client.db;
    let key = &argv[1];
    let db = ctx.db(key)?;
    let Some(hash) = write_hash(db, key, now)? else { return Ok(Reply::Integer(0)) };
    let mut deleted = 0;
    for field in &argv[2..] {
        if hash.remove(field) {
            deleted += 1;
            if hash.is_empty() {
                break;
            }
        }
    }
    let emptied = hash.is_empty();
    if emptied {
        db.remove(key, now);
    }
    if deleted > 0 {
        ctx.signal_modified(db_index, key);
        ctx.notify(NOTIFY_HASH, "hdel", db_index, key);
        if emptied {
            ctx.notify(NOTIFY_GENERIC, "del", db_index, key);
        }
    }
    Ok(Reply::Integer(deleted))
}

/// HEXISTS key field
///
/// ```text
/// HEXISTS key field
/// ```
/// Integer: 1 when the field exists, else 0. Errors: `WRONGTYPE`.
pub fn hexists(ctx: &mut Ctx<'_>, argv: &[Bytes]) -> Result<Reply, CommandError> {
    let now = ctx.now_ms;
    let db = ctx.db(&argv[1])?;
    let found = read_hash(db, &argv[1], now)?.is_some_and(|h| h.contains(&argv[2]));
    Ok(Reply::Integer(i64::from(found)))
}

/// HLEN key
///
/// ```text
/// HLEN key
/// ```
/// Integer: the number of fields, 0 for a missing key. Errors: `WRONGTYPE`.
pub fn hlen(ctx: &mut Ctx<'_>, argv: &[Bytes]) -> Result<Reply, CommandError> {
    let now = ctx.now_ms;
    let db = ctx.db(&argv[1])?;
    let len = read_hash(db, &argv[1], now)?.map_or(0, Hash::len);
    Ok(Reply::Integer(len as i64))
}

/// HSTRLEN key field
///
/// ```text
/// HSTRLEN key field
/// ```
/// Integer: the length in bytes of the field's value, 0 when the key or field is missing.
/// An integer-encoded value counts the bytes of its decimal form. Errors: `WRONGTYPE`.
pub fn hstrlen(ctx: &mut Ctx<'_>, argv: &[Bytes]) -> Result<Reply, CommandError> {
    let now = ctx.now_ms;
    let db = ctx.db(&argv[1])?;
    let len =
        read_hash(db, &argv[1], now)?.and_then(|h| h.get_with(&argv[2], |v| v.len())).unwrap_or(0);
    Ok(Reply::Integer(len as i64))
}

/// HINCRBY key field increment
///
/// ```text
/// HINCRBY key field increment
/// ```
/// Integer: the new value; a missing field (or key) counts as 0. Errors, in this order:
/// `ERR value is not an integer or out of range` (increment), `WRONGTYPE`, `ERR hash value is
/// not an integer` (the current value is not a strict 64-bit integer), `ERR increment or
/// decrement would overflow`.
pub fn hincrby(ctx: &mut Ctx<'_>, argv: &[Bytes]) -> Result<Reply, CommandError> {
    let incr = args::int(&argv[3])?;
    let now = ctx.now_ms;
    let db_index = ctx.client.db;
    let limits = limits(ctx);
    let key = &argv[1];
    let field = &argv[2];
    let db = ctx.db(key)?;
    let current = match write_hash(db, key, now)?.and_then(|h| {
        h.get_with(field, |v| match v {
            HashValue::Int(v) => Some(v),
            HashValue::Str(s) => num::parse_i64(s),
        })
    }) {
        None => 0,
        Some(Some(v)) => v,
        Some(None) => return Err(CommandError::custom("ERR hash value is not an integer")),
    };
    let value = current.checked_add(incr).ok_or(CommandError::Overflow)?;
    let mut buf = itoa::Buffer::new();
    write_or_create(db, key, now)?.set(field, buf.format(value).as_bytes(), &limits);
    ctx.signal_modified(db_index, key);
    ctx.notify(NOTIFY_HASH, "hincrby", db_index, key);
    Ok(Reply::Integer(value))
}

/// HINCRBYFLOAT key field increment
///
/// ```text
/// HINCRBYFLOAT key field increment
/// ```
/// Bulk string: the new value, computed in `long double` and printed as INCRBYFLOAT does
/// (`ferrodis_keyspace::num::incr_long_double`); a missing field counts as 0. Errors, in this
/// order: `ERR value is not a valid float` (increment), `ERR value is NaN or Infinity`
/// (increment), `WRONGTYPE`, `ERR hash value is not a float`, `ERR increment would produce NaN
/// or Infinity`.
pub fn hincrbyfloat(ctx: &mut Ctx<'_>, argv: &[Bytes]) -> Result<Reply, CommandError> {
    match num::long_double_is_finite(&argv[3]) {
        None => return Err(CommandError::NotFloat),
        Some(false) => return Err(CommandError::custom("ERR value is NaN or Infinity")),
        Some(true) => {}
    }
    let now = ctx.now_ms;
    let db_index = ctx.client.db;
    let limits = limits(ctx);
    let key = &argv[1];
    let field = &argv[2];
    let db = ctx.db(key)?;
    let current = write_hash(db, key, now)?.and_then(|h| h.get(field));
    let text = num::incr_long_double(current.as_deref().unwrap_or(b"0"), &argv[3]).map_err(
        |e| match e {
            LongDoubleError::InvalidCurrent => {
                CommandError::custom("ERR hash value is not a float")
            }
            LongDoubleError::InvalidIncrement => CommandError::NotFloat,
            LongDoubleError::NotFinite => {
                CommandError::custom("ERR increment would produce NaN or Infinity")
            }
        },
    )?;
    write_or_create(db, key, now)?.set(field, &text, &limits);
    ctx.signal_modified(db_index, key);
    ctx.notify(NOTIFY_HASH, "hincrbyfloat", db_index, key);
    Ok(Reply::Bulk(Bytes::from(text)))
}

/// HRANDFIELD key [count [WITHVALUES]]
///
/// ```text
/// HRANDFIELD key [count [WITHVALUES]]
/// ```
/// Without count: a random field (bulk string), or null for a missing key. With a positive
/// count: up to `count` distinct fields; with a negative count: exactly `-count` fields, which
/// may repeat; an empty array for a missing key or count 0. WITHVALUES adds each value: RESP2
/// flat `field value ...`, RESP3 an array of `[field, value]` pairs. Errors, in this order:
/// `ERR value is not an integer or out of range`, `ERR value is out of range, value must
/// between -9223372036854775807 and 9223372036854775807` (count is `i64::MIN`), `ERR syntax
/// error`, `ERR value is out of range` (WITHVALUES with |count| above `i64::MAX / 2`),
/// `WRONGTYPE`. Since 6.2.0.
pub fn hrandfield(ctx: &mut Ctx<'_>, argv: &[Bytes]) -> Result<Reply, CommandError> {
    let mut count: Option<i64> = None;
    let mut with_values = false;
    if argv.len() >= 3 {
        let c = args::int(&argv[2])?;
        if c == i64::MIN {
            return Err(CommandError::custom(
                "ERR value is out of range, value must between -9223372036854775807 and \
                 9223372036854775807",
            ));
        }
        if argv.len() > 4 || (argv.len() == 4 && !args::is(&argv[3], "withvalues")) {
            return Err(CommandError::Syntax);
        }
        with_values = argv.len() == 4;
        if with_values && c.unsigned_abs() > (i64::MAX / 2) as u64 {
            return Err(CommandError::custom("ERR value is out of range"));
        }
        count = Some(c);
    }
    let resp3 = ctx.client.resp == RespVersion::Resp3;
    let now = ctx.now_ms;
    let db = ctx.db(&argv[1])?;
    let hash = read_hash(db, &argv[1], now)?;
    let mut rng = rand::rng();
    let Some(count) = count else {
        return Ok(match hash.and_then(|h| h.random_pair(&mut rng)) {
            Some((k, _)) => Reply::Bulk(Bytes::from(k)),
            None => Reply::Null,
        });
    };
    let Some(hash) = hash else { return Ok(Reply::Array(Vec::new())) };
    let pairs = if count < 0 {
        hash.random_pairs(count.unsigned_abs() as usize, &mut rng)
    } else {
        hash.random_distinct(count as usize, &mut rng)
    };
    let mut out = Vec::with_capacity(pairs.len() * if with_values && !resp3 { 2 } else { 1 });
    for (k, v) in pairs {
        let (k, v) = (Reply::Bulk(Bytes::from(k)), Reply::Bulk(Bytes::from(v)));
        match (with_values, resp3) {
            (false, _) => out.push(k),
            (true, true) => out.push(Reply::Array(vec![k, v])),
            (true, false) => out.extend([k, v]),
        }
    }
    Ok(Reply::Array(out))
}

/// HSCAN key cursor [MATCH pattern] [COUNT count]
///
/// ```text
/// HSCAN key cursor [MATCH pattern] [COUNT count]
/// ```
/// Array of two: the next cursor (bulk string, "0" when done) and a flat array `field value
/// ...`. A `listpack` hash is returned whole in one call with cursor 0, as Redis does; a
/// `hashtable` is walked with Redis's reverse-binary cursor, so every field present for the
/// whole scan is returned at least once. COUNT (default 10) is a hint; MATCH filters fields.
/// Errors, in this order: `ERR invalid cursor`, `WRONGTYPE`, `ERR value is not an integer or
/// out of range` (COUNT), `ERR syntax error` (COUNT below 1, unknown option such as TYPE or
/// NOVALUES, a missing option value). A missing key replies `0` and an empty array before
/// options are parsed.
pub fn hscan(ctx: &mut Ctx<'_>, argv: &[Bytes]) -> Result<Reply, CommandError> {
    let cursor = parse_cursor(&argv[2]).ok_or(CommandError::custom("ERR invalid cursor"))?;
    let now = ctx.now_ms;
    let db = ctx.db(&argv[1])?;
    let Some(hash) = read_hash(db, &argv[1], now)? else {
        return Ok(Reply::Array(vec![Reply::bulk_static(b"0"), Reply::Array(Vec::new())]));
    };
    let mut count: i64 = 10;
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
    let mut out = Vec::new();
    let count = usize::try_from(count).unwrap_or(usize::MAX);
    let next = hash.scan(cursor, count, |k, v| {
        if let Some(p) = pattern {
            let mut buf = [0u8; 20];
            if !string_match(p, k.as_bytes(&mut buf), false) {
                return;
            }
        }
        out.push(bulk(k));
        out.push(bulk(v));
    });
    let mut buf = itoa::Buffer::new();
    let next = Bytes::copy_from_slice(buf.format(next).as_bytes());
    Ok(Reply::Array(vec![Reply::Bulk(next), Reply::Array(out)]))
}

const RO: &[KeySpec] = &[KeySpec::single(1, keyflags::RO)];
const RO_ACCESS: &[KeySpec] = &[KeySpec::single(1, keyflags::RO | keyflags::ACCESS)];
const RW_UPDATE: &[KeySpec] = &[KeySpec::single(1, keyflags::RW | keyflags::UPDATE)];
const RW_INSERT: &[KeySpec] = &[KeySpec::single(1, keyflags::RW | keyflags::INSERT)];
const RW_DELETE: &[KeySpec] = &[KeySpec::single(1, keyflags::RW | keyflags::DELETE)];
const RW_ACCESS_UPDATE: &[KeySpec] =
    &[KeySpec::single(1, keyflags::RW | keyflags::ACCESS | keyflags::UPDATE)];

/// The hash family.
pub static SPECS: &[CommandSpec] = &[
    CommandSpec {
        name: "hset",
        arguments: docs::HSET,
        history: &[("4.0.0", "Accepts multiple `field` and `value` arguments.")],
        arity: -4,
        flags: flags::WRITE | flags::DENYOOM | flags::FAST,
        acl: acl::HASH,
        keys: RW_UPDATE,
        group: Group::Hash,
        since: "2.0.0",
        summary: "Creates or modifies the value of a field in a hash.",
        complexity: "O(1) for each field/value pair added, so O(N) to add N field/value pairs when the command is called with multiple field/value pairs.",
        handler: Some(hset),
        ..CommandSpec::DEFAULT
    },
    CommandSpec {
        name: "hsetnx",
        arguments: docs::HSETNX,
        arity: 4,
        flags: flags::WRITE | flags::DENYOOM | flags::FAST,
        acl: acl::HASH,
        keys: RW_INSERT,
        group: Group::Hash,
        since: "2.0.0",
        summary: "Sets the value of a field in a hash only when the field doesn't exist.",
        complexity: "O(1)",
        handler: Some(hsetnx),
        ..CommandSpec::DEFAULT
    },
    CommandSpec {
        name: "hget",
        arguments: docs::HGET,
        arity: 3,
        flags: flags::READONLY | flags::FAST,
        acl: acl::HASH,
        keys: RO_ACCESS,
        group: Group::Hash,
        since: "2.0.0",
        summary: "Returns the value of a field in a hash.",
        complexity: "O(1)",
        handler: Some(hget),
        ..CommandSpec::DEFAULT
    },
    CommandSpec {
        name: "hmget",
        arguments: docs::HMGET,
        arity: -3,
        flags: flags::READONLY | flags::FAST,
        acl: acl::HASH,
        keys: RO_ACCESS,
        group: Group::Hash,
        since: "2.0.0",
        summary: "Returns the values of all fields in a hash.",
        complexity: "O(N) where N is the number of fields being requested.",
        handler: Some(hmget),
        ..CommandSpec::DEFAULT
    },
    CommandSpec {
        name: "hmset",
        arguments: docs::HSET,
        doc_flags: crate::spec::docflags::DEPRECATED,
        deprecated_since: Some("4.0.0"),
        replaced_by: Some("`HSET` with multiple field-value pairs"),
        arity: -4,
        flags: flags::WRITE | flags::DENYOOM | flags::FAST,
        acl: acl::HASH,
        keys: RW_UPDATE,
        group: Group::Hash,
        since: "2.0.0",
        summary: "Sets the values of multiple fields.",
        complexity: "O(N) where N is the number of fields being set.",
        handler: Some(hmset),
        ..CommandSpec::DEFAULT
    },
    CommandSpec {
        name: "hgetall",
        arguments: docs::KEY_ONLY,
        arity: 2,
        flags: flags::READONLY,
        acl: acl::HASH,
        keys: RO_ACCESS,
        group: Group::Hash,
        since: "2.0.0",
        summary: "Returns all fields and values in a hash.",
        complexity: "O(N) where N is the size of the hash.",
        tips: &["nondeterministic_output_order"],
        handler: Some(hgetall),
        ..CommandSpec::DEFAULT
    },
    CommandSpec {
        name: "hdel",
        arguments: docs::HDEL,
        history: &[("2.4.0", "Accepts multiple `field` arguments.")],
        arity: -3,
        flags: flags::WRITE | flags::FAST,
        acl: acl::HASH,
        keys: RW_DELETE,
        group: Group::Hash,
        since: "2.0.0",
        summary: "Deletes one or more fields and their values from a hash. Deletes the hash if no fields remain.",
        complexity: "O(N) where N is the number of fields to be removed.",
        handler: Some(hdel),
        ..CommandSpec::DEFAULT
    },
    CommandSpec {
        name: "hexists",
        arguments: docs::HGET,
        arity: 3,
        flags: flags::READONLY | flags::FAST,
        acl: acl::HASH,
        keys: RO,
        group: Group::Hash,
        since: "2.0.0",
        summary: "Determines whether a field exists in a hash.",
        complexity: "O(1)",
        handler: Some(hexists),
        ..CommandSpec::DEFAULT
    },
    CommandSpec {
        name: "hlen",
        arguments: docs::KEY_ONLY,
        arity: 2,
        flags: flags::READONLY | flags::FAST,
        acl: acl::HASH,
        keys: RO,
        group: Group::Hash,
        since: "2.0.0",
        summary: "Returns the number of fields in a hash.",
        complexity: "O(1)",
        handler: Some(hlen),
        ..CommandSpec::DEFAULT
    },
    CommandSpec {
        name: "hkeys",
        arguments: docs::KEY_ONLY,
        arity: 2,
        flags: flags::READONLY,
        acl: acl::HASH,
        keys: RO_ACCESS,
        group: Group::Hash,
        since: "2.0.0",
        summary: "Returns all fields in a hash.",
        complexity: "O(N) where N is the size of the hash.",
        tips: &["nondeterministic_output_order"],
        handler: Some(hkeys),
        ..CommandSpec::DEFAULT
    },
    CommandSpec {
        name: "hvals",
        arguments: docs::KEY_ONLY,
        arity: 2,
        flags: flags::READONLY,
        acl: acl::HASH,
        keys: RO_ACCESS,
        group: Group::Hash,
        since: "2.0.0",
        summary: "Returns all values in a hash.",
        complexity: "O(N) where N is the size of the hash.",
        tips: &["nondeterministic_output_order"],
        handler: Some(hvals),
        ..CommandSpec::DEFAULT
    },
    CommandSpec {
        name: "hincrby",
        arguments: docs::HINCRBY,
        arity: 4,
        flags: flags::WRITE | flags::DENYOOM | flags::FAST,
        acl: acl::HASH,
        keys: RW_ACCESS_UPDATE,
        group: Group::Hash,
        since: "2.0.0",
        summary: "Increments the integer value of a field in a hash by a number. Uses 0 as initial value if the field doesn't exist.",
        complexity: "O(1)",
        handler: Some(hincrby),
        ..CommandSpec::DEFAULT
    },
    CommandSpec {
        name: "hincrbyfloat",
        arguments: docs::HINCRBYFLOAT,
        arity: 4,
        flags: flags::WRITE | flags::DENYOOM | flags::FAST,
        acl: acl::HASH,
        keys: RW_ACCESS_UPDATE,
        group: Group::Hash,
        since: "2.6.0",
        summary: "Increments the floating point value of a field by a number. Uses 0 as initial value if the field doesn't exist.",
        complexity: "O(1)",
        handler: Some(hincrbyfloat),
        ..CommandSpec::DEFAULT
    },
    CommandSpec {
        name: "hstrlen",
        arguments: docs::HGET,
        arity: 3,
        flags: flags::READONLY | flags::FAST,
        acl: acl::HASH,
        keys: RO,
        group: Group::Hash,
        since: "3.2.0",
        summary: "Returns the length of the value of a field.",
        complexity: "O(1)",
        handler: Some(hstrlen),
        ..CommandSpec::DEFAULT
    },
    CommandSpec {
        name: "hrandfield",
        arguments: docs::HRANDFIELD,
        arity: -2,
        flags: flags::READONLY,
        acl: acl::HASH,
        keys: RO_ACCESS,
        group: Group::Hash,
        since: "6.2.0",
        summary: "Returns one or more random fields from a hash.",
        complexity: "O(N) where N is the number of fields returned",
        tips: &["nondeterministic_output"],
        handler: Some(hrandfield),
        ..CommandSpec::DEFAULT
    },
    CommandSpec {
        name: "hscan",
        arguments: docs::HSCAN,
        arity: -3,
        flags: flags::READONLY,
        acl: acl::HASH,
        keys: RO_ACCESS,
        group: Group::Hash,
        since: "2.8.0",
        summary: "Iterates over fields and values of a hash.",
        complexity: "O(1) for every call. O(N) for a complete iteration, including enough command calls for the cursor to return back to 0. N is the number of elements inside the collection.",
        tips: &["nondeterministic_output"],
        handler: Some(hscan),
        ..CommandSpec::DEFAULT
    },
];

/// COMMAND DOCS arguments of the hash commands (Redis 7.2's `src/commands/h*.json`).
mod docs {
    use crate::spec::{argflags, Arg, ArgType};

    const KEY: Arg =
        Arg { name: "key", kind: ArgType::Key, key_spec_index: Some(0), ..Arg::DEFAULT };
    const FIELD: Arg = Arg { name: "field", kind: ArgType::String, ..Arg::DEFAULT };
    const FIELDS: Arg = Arg { flags: argflags::MULTIPLE, ..FIELD };

    /// `key`.
    pub const KEY_ONLY: &[Arg] = &[KEY];
    /// `key field`.
    pub const HGET: &[Arg] = &[KEY, FIELD];
    /// `key field [field ...]`.
    pub const HMGET: &[Arg] = &[KEY, FIELDS];
    /// `key field [field ...]`.
    pub const HDEL: &[Arg] = &[KEY, FIELDS];
    /// `key field value [field value ...]` (HSET, HMSET).
    pub const HSET: &[Arg] = &[
        KEY,
        Arg {
            name: "field_value",
            kind: ArgType::Block,
            flags: argflags::MULTIPLE,
            arguments: &[FIELD, Arg { name: "value", kind: ArgType::String, ..Arg::DEFAULT }],
            ..Arg::DEFAULT
        },
    ];
    /// `key field value`.
    pub const HSETNX: &[Arg] =
        &[KEY, FIELD, Arg { name: "value", kind: ArgType::String, ..Arg::DEFAULT }];
    /// `key field increment` (integer).
    pub const HINCRBY: &[Arg] =
        &[KEY, FIELD, Arg { name: "increment", kind: ArgType::Integer, ..Arg::DEFAULT }];
    /// `key field increment` (double).
    pub const HINCRBYFLOAT: &[Arg] =
        &[KEY, FIELD, Arg { name: "increment", kind: ArgType::Double, ..Arg::DEFAULT }];
    /// `key [count [WITHVALUES]]`.
    pub const HRANDFIELD: &[Arg] = &[
        KEY,
        Arg {
            name: "options",
            kind: ArgType::Block,
            flags: argflags::OPTIONAL,
            arguments: &[
                Arg { name: "count", kind: ArgType::Integer, ..Arg::DEFAULT },
                Arg {
                    name: "withvalues",
                    kind: ArgType::PureToken,
                    token: Some("WITHVALUES"),
                    flags: argflags::OPTIONAL,
                    ..Arg::DEFAULT
                },
            ],
            ..Arg::DEFAULT
        },
    ];
    /// `key cursor [MATCH pattern] [COUNT count]`.
    pub const HSCAN: &[Arg] = &[
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
