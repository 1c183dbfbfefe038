//! String commands: GET, SET and their variants, ranges, APPEND, counters and LCS.
//!
//! Semantics follow the command pages under <https://redis.io/commands/> and Redis 7.2's
//! `src/t_string.c`, including its error texts and the order in which it checks arguments,
//! types and sizes. Bit-level commands on strings live in [`super::bitmaps`].
//!
//! Encodings follow `src/object.c`: a string written as a whole is `int`/`embstr`/`raw` by its
//! content; one modified in place (APPEND, SETRANGE) or created by SETRANGE is `raw`, which is
//! what `Value::string_mut` and `Value::RawStr` give.

use crate::args::{self, ArgCursor};
use crate::commands::docs;
use crate::context::Ctx;
use crate::errors::CommandError;
use crate::notify::{NOTIFY_GENERIC, NOTIFY_STRING};
use crate::spec::{acl, docflags, flags, keyflags, CommandSpec, Group, KeySpec};
use bytes::Bytes;
use ferrodis_keyspace::num::{self, LongDoubleError};
use ferrodis_keyspace::{Db, TtlUpdate, Value};
use ferrodis_resp::Reply;

/// Reads a string value: `Ok(None)` when the key is missing, `WRONGTYPE` for another type.
/// Counts a keyspace hit or miss, as Redis's `lookupKeyRead` does.
pub fn read_string<'d>(
    db: &'d mut Db,
    key: &[u8],
    now_ms: u64,
) -> Result<Option<&'d [u8]>, CommandError> {
    match db.lookup_read(key, now_ms) {
        None => Ok(None),
        Some(entry) => entry.value.as_string().map(Some).ok_or(CommandError::WrongType),
    }
}

/// The server's `proto-max-bulk-len`: the longest string a command may build.
pub fn proto_max_bulk_len(ctx: &Ctx<'_>) -> u64 {
    ctx.server.settings.read().proto_max_bulk_len
}

/// Redis's `checkStringLength`: fails with `ERR string exceeds maximum allowed size
/// (proto-max-bulk-len)` when a string of `size + append` bytes would be too long.
fn check_string_length(ctx: &Ctx<'_>, size: u64, append: u64) -> Result<(), CommandError> {
    match size.checked_add(append) {
        Some(total) if total <= proto_max_bulk_len(ctx) => Ok(()),
        _ => Err(CommandError::StringTooLong),
    }
}

/// GET key
///
/// ```text
/// GET key
/// ```
/// Bulk string, or null (RESP2 `$-1`, RESP3 `_`) when the key is missing. Errors:
/// `WRONGTYPE` for a non-string.
pub fn get(ctx: &mut Ctx<'_>, argv: &[Bytes]) -> Result<Reply, CommandError> {
    let now = ctx.now_ms;
    let db = ctx.db(&argv[1])?;
    Ok(Reply::bulk_or_null(read_string(db, &argv[1], now)?))
}

/// SET's condition option.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum SetCondition<'a> {
    Always,
    Nx,
    Xx,
    /// IFEQ comparison-value (Valkey 8.1): only when the current value equals it.
    IfEq(&'a [u8]),
}

/// The expiry option of SET and GETEX, with the unit of the value given.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Expiry {
    None,
    KeepTtl,
    Persist,
    Ex,
    Px,
    ExAt,
    PxAt,
}

/// The four options that take a time value, by name.
const TIMED_EXPIRIES: [(&str, Expiry); 4] =
    [("ex", Expiry::Ex), ("px", Expiry::Px), ("exat", Expiry::ExAt), ("pxat", Expiry::PxAt)];

impl Expiry {
    /// The absolute expiry time for a timed option, validated as Redis's
    /// `getExpireMillisecondsOrReply` does; `None` for the untimed options.
    fn at_ms(self, arg: &[u8], now_ms: u64, cmd: &str) -> Result<Option<u64>, CommandError> {
        Ok(Some(match self {
            Expiry::Ex => expire_at_ms(arg, true, true, now_ms, cmd)?,
            Expiry::Px => expire_at_ms(arg, false, true, now_ms, cmd)?,
            Expiry::ExAt => expire_at_ms(arg, true, false, now_ms, cmd)?,
            Expiry::PxAt => expire_at_ms(arg, false, false, now_ms, cmd)?,
            Expiry::None | Expiry::KeepTtl | Expiry::Persist => return Ok(None),
        }))
    }

    /// True for EXAT and PXAT, whose time may already have passed.
    fn is_absolute(self) -> bool {
        matches!(self, Expiry::ExAt | Expiry::PxAt)
    }
}

/// SET's key flags (Redis's `setGetKeys`): with GET the key is read too (RW ACCESS UPDATE),
/// otherwise it is only overwritten (OW UPDATE).
pub fn set_get_keys(argv: &[Bytes]) -> Vec<(usize, u32)> {
    let flags = if argv.iter().skip(3).any(|a| args::is(a, "get")) {
        keyflags::RW | keyflags::ACCESS | keyflags::UPDATE
    } else {
        keyflags::OW | keyflags::UPDATE
    };
    vec![(1, flags)]
}

/// Parsed arguments of SET.
struct SetArgs<'a> {
    condition: SetCondition<'a>,
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

/// Parses the options of SET (`for_set`) or GETEX from `argv[from..]`, as Redis's
/// `parseExtendedStringArgumentsOrReply` does: an option is accepted only when it does not
/// conflict with one seen before, repeating the same option is allowed (the last value
/// wins), and NX, XX, GET and KEEPTTL belong to SET while PERSIST belongs to GETEX.
/// Valkey 8.1's `IFEQ comparison-value` (SET only) conflicts with NX, XX and another IFEQ.
fn parse_extended(
    argv: &[Bytes],
    from: usize,
    for_set: bool,
) -> Result<(SetCondition<'_>, bool, Expiry, &[u8]), CommandError> {
    let mut condition = SetCondition::Always;
    let mut get = false;
    let mut expiry = Expiry::None;
    let mut expiry_arg: &[u8] = b"";
    let mut cur = ArgCursor::new(argv, from);
    while let Some(opt) = cur.next_arg() {
        let has_next = !cur.is_done();
        if for_set
            && args::is(opt, "nx")
            && matches!(condition, SetCondition::Always | SetCondition::Nx)
        {
            condition = SetCondition::Nx;
        } else if for_set
            && args::is(opt, "xx")
            && matches!(condition, SetCondition::Always | SetCondition::Xx)
        {
            condition = SetCondition::Xx;
        } else if for_set && has_next && args::is(opt, "ifeq") && condition == SetCondition::Always
        {
            condition = SetCondition::IfEq(cur.value()?);
        } else if for_set && args::is(opt, "get") {
            get = true;
        } else if for_set
            && args::is(opt, "keepttl")
            && matches!(expiry, Expiry::None | Expiry::KeepTtl)
        {
            expiry = Expiry::KeepTtl;
        } else if !for_set
            && args::is(opt, "persist")
            && matches!(expiry, Expiry::None | Expiry::Persist)
        {
            expiry = Expiry::Persist;
        } else if let Some(&(_, kind)) = TIMED_EXPIRIES.iter().find(|(name, kind)| {
            has_next && args::is(opt, name) && (expiry == Expiry::None || expiry == *kind)
        }) {
            expiry = kind;
            expiry_arg = cur.value()?;
        } else {
            return Err(CommandError::Syntax);
        }
    }
    Ok((condition, get, expiry, expiry_arg))
}

fn parse_set(argv: &[Bytes], now_ms: u64) -> Result<SetArgs<'_>, CommandError> {
    let (condition, get, expiry, expiry_arg) = parse_extended(argv, 3, true)?;
    let ttl = match expiry.at_ms(expiry_arg, now_ms, "set")? {
        Some(at) => TtlUpdate::At(at),
        None if expiry == Expiry::KeepTtl => TtlUpdate::Keep,
        None => TtlUpdate::Clear,
    };
    Ok(SetArgs { condition, get, ttl })
}

/// The shared body of SET, SETNX, SETEX and PSETEX (Redis's `setGenericCommand`). Returns
/// whether the value was written and, with `get`, the old value. IFEQ (Valkey 8.1's
/// `setGenericCommand`) writes only over a string equal to the comparison value: a missing
/// key or another string is not written, another type is `WRONGTYPE`.
fn set_generic(
    ctx: &mut Ctx<'_>,
    key: &[u8],
    value: &[u8],
    condition: SetCondition<'_>,
    get: bool,
    ttl: TtlUpdate,
) -> Result<(bool, Option<Bytes>), CommandError> {
    let now = ctx.now_ms;
    let db_index = ctx.client.db;
    let db = ctx.db(key)?;
    let mut old = None;
    if get || condition != SetCondition::Always {
        let found = if get {
            match read_string(db, key, now)? {
                Some(s) => {
                    old = Some(Bytes::copy_from_slice(s));
                    true
                }
                None => false,
            }
        } else {
            db.exists(key, now)
        };
        let allowed = match condition {
            SetCondition::Always => true,
            SetCondition::Nx => !found,
            SetCondition::Xx => found,
            SetCondition::IfEq(expected) => match db.lookup(key, now) {
                None => false,
                Some(e) => e.value.as_string().ok_or(CommandError::WrongType)? == expected,
            },
        };
        if !allowed {
            return Ok((false, old));
        }
    }
    db.set(key, Value::string(value), ttl, now);
    ctx.signal_modified(db_index, key);
    ctx.notify(NOTIFY_STRING, "set", db_index, key);
    if matches!(ttl, TtlUpdate::At(_)) {
        ctx.notify(NOTIFY_GENERIC, "expire", db_index, key);
    }
    Ok((true, old))
}

/// SET key value [NX | XX | IFEQ comparison-value] [GET] [EX seconds | PX milliseconds |
/// EXAT unix-time-seconds | PXAT unix-time-milliseconds | KEEPTTL]
///
/// ```text
/// SET key value [NX | XX | IFEQ comparison-value] [GET] [EX seconds | PX milliseconds |
///   EXAT unix-time-seconds | PXAT unix-time-milliseconds | KEEPTTL]
/// ```
/// Options in any order. `OK`, or null when NX/XX/IFEQ prevented the write; with GET, the
/// old value (or null) instead. IFEQ (Valkey 8.1) writes only when the key holds a string
/// equal to comparison-value. Errors: `ERR syntax error` (also IFEQ with NX, XX or another
/// IFEQ), `ERR invalid expire time in 'set' command`, `ERR value is not an integer or out of
/// range`, `WRONGTYPE` (GET or IFEQ on a non-string). COMMAND INFO/DOCS stay Redis 7.2's.
pub fn set(ctx: &mut Ctx<'_>, argv: &[Bytes]) -> Result<Reply, CommandError> {
    let a = parse_set(argv, ctx.now_ms)?;
    let (written, old) = set_generic(ctx, &argv[1], &argv[2], a.condition, a.get, a.ttl)?;
    Ok(if a.get {
        old.map_or(Reply::Null, Reply::Bulk)
    } else if written {
        Reply::OK
    } else {
        Reply::Null
    })
}

/// SETNX key value
///
/// ```text
/// SETNX key value
/// ```
/// Sets the key only when it does not exist. Integer: 1 when set, 0 when the key existed.
pub fn setnx(ctx: &mut Ctx<'_>, argv: &[Bytes]) -> Result<Reply, CommandError> {
    let (written, _) =
        set_generic(ctx, &argv[1], &argv[2], SetCondition::Nx, false, TtlUpdate::Clear)?;
    Ok(Reply::Integer(i64::from(written)))
}

/// SETEX key seconds value
///
/// ```text
/// SETEX key seconds value
/// ```
/// Sets the value with a TTL in seconds. `OK`. Errors: `ERR value is not an integer or out
/// of range`, `ERR invalid expire time in 'setex' command` (not positive, or overflowing).
pub fn setex(ctx: &mut Ctx<'_>, argv: &[Bytes]) -> Result<Reply, CommandError> {
    let at = expire_at_ms(&argv[2], true, true, ctx.now_ms, "setex")?;
    set_generic(ctx, &argv[1], &argv[3], SetCondition::Always, false, TtlUpdate::At(at))?;
    Ok(Reply::OK)
}

/// PSETEX key milliseconds value
///
/// ```text
/// PSETEX key milliseconds value
/// ```
/// Sets the value with a TTL in milliseconds. `OK`. Errors: `ERR value is not an integer or
/// out of range`, `ERR invalid expire time in 'psetex' command`.
pub fn psetex(ctx: &mut Ctx<'_>, argv: &[Bytes]) -> Result<Reply, CommandError> {
    let at = expire_at_ms(&argv[2], false, true, ctx.now_ms, "psetex")?;
    set_generic(ctx, &argv[1], &argv[3], SetCondition::Always, false, TtlUpdate::At(at))?;
    Ok(Reply::OK)
}

/// GETSET key value
///
/// ```text
/// GETSET key value
/// ```
/// Sets the value (dropping any TTL) and returns the old one: bulk string, or null when the
/// key did not exist. Errors: `WRONGTYPE` (nothing is written).
pub fn getset(ctx: &mut Ctx<'_>, argv: &[Bytes]) -> Result<Reply, CommandError> {
    let (_, old) =
        set_generic(ctx, &argv[1], &argv[2], SetCondition::Always, true, TtlUpdate::Clear)?;
    Ok(old.map_or(Reply::Null, Reply::Bulk))
}

/// GETDEL key
///
/// ```text
/// GETDEL key
/// ```
/// Returns the value and deletes the key: bulk string, or null when the key is missing.
/// Errors: `WRONGTYPE` (the key is kept). Since 6.2.0.
pub fn getdel(ctx: &mut Ctx<'_>, argv: &[Bytes]) -> Result<Reply, CommandError> {
    let now = ctx.now_ms;
    let db_index = ctx.client.db;
    let key = &argv[1];
    let db = ctx.db(key)?;
    let value = match read_string(db, key, now)? {
        None => return Ok(Reply::Null),
        Some(s) => Bytes::copy_from_slice(s),
    };
    db.remove(key, now);
    ctx.signal_modified(db_index, key);
    ctx.notify(NOTIFY_GENERIC, "del", db_index, key);
    Ok(Reply::Bulk(value))
}

/// GETEX key [EX seconds | PX milliseconds | EXAT unix-time-seconds |
/// PXAT unix-time-milliseconds | PERSIST]
///
/// ```text
/// GETEX key [EX seconds | PX milliseconds | EXAT unix-time-seconds |
///   PXAT unix-time-milliseconds | PERSIST]
/// ```
/// Returns the value (bulk string, or null for a missing key) and changes the TTL: sets it,
/// removes it with PERSIST, or deletes the key when EXAT/PXAT is already in the past.
/// Errors, in this order: `ERR syntax error`, `WRONGTYPE`, `ERR value is not an integer or
/// out of range`, `ERR invalid expire time in 'getex' command` (the time is checked only for
/// an existing string key). Since 6.2.0.
pub fn getex(ctx: &mut Ctx<'_>, argv: &[Bytes]) -> Result<Reply, CommandError> {
    let now = ctx.now_ms;
    let (_, _, expiry, expiry_arg) = parse_extended(argv, 2, false)?;
    let db_index = ctx.client.db;
    let key = &argv[1];
    let db = ctx.db(key)?;
    let value = match read_string(db, key, now)? {
        None => return Ok(Reply::Null),
        Some(s) => Bytes::copy_from_slice(s),
    };
    // Redis validates the time only once it knows the key holds a string.
    let at = expiry.at_ms(expiry_arg, now, "getex")?;
    let event = match at {
        Some(at) if expiry.is_absolute() && at <= now => {
            db.remove(key, now);
            Some("del")
        }
        Some(at) => db.set_expire(key, at, now).then_some("expire"),
        None if expiry == Expiry::Persist => db.persist(key, now).then_some("persist"),
        None => None,
    };
    if let Some(event) = event {
        ctx.signal_modified(db_index, key);
        ctx.notify(NOTIFY_GENERIC, event, db_index, key);
    }
    Ok(Reply::Bulk(value))
}

/// MGET key [key ...]
///
/// ```text
/// MGET key [key ...]
/// ```
/// Array of bulk strings, with null for missing keys and for keys of other types.
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
/// ```text
/// MSET key value [key value ...]
/// ```
/// Always `OK`; every TTL is dropped. Errors: `ERR wrong number of arguments for 'mset'
/// command` for an odd count.
pub fn mset(ctx: &mut Ctx<'_>, argv: &[Bytes]) -> Result<Reply, CommandError> {
    if argv.len().is_multiple_of(2) {
        return Err(CommandError::WrongArity("mset".into()));
    }
    let now = ctx.now_ms;
    let db_index = ctx.client.db;
    for pair in argv[1..].chunks_exact(2) {
        ctx.db(&pair[0])?.set(&pair[0], Value::string(&pair[1]), TtlUpdate::Clear, now);
        ctx.signal_modified(db_index, &pair[0]);
        ctx.notify(NOTIFY_STRING, "set", db_index, &pair[0]);
    }
    Ok(Reply::OK)
}

/// MSETNX key value [key value ...]
///
/// ```text
/// MSETNX key value [key value ...]
/// ```
/// Sets every pair only when none of the keys exists. Integer: 1 when set, 0 otherwise.
/// Errors: `ERR wrong number of arguments for 'msetnx' command` for an odd count.
pub fn msetnx(ctx: &mut Ctx<'_>, argv: &[Bytes]) -> Result<Reply, CommandError> {
    if argv.len().is_multiple_of(2) {
        return Err(CommandError::WrongArity("msetnx".into()));
    }
    let now = ctx.now_ms;
    for pair in argv[1..].chunks_exact(2) {
        if ctx.db(&pair[0])?.exists(&pair[0], now) {
            return Ok(Reply::Integer(0));
        }
    }
    let db_index = ctx.client.db;
    for pair in argv[1..].chunks_exact(2) {
        ctx.db(&pair[0])?.set(&pair[0], Value::string(&pair[1]), TtlUpdate::Clear, now);
        ctx.signal_modified(db_index, &pair[0]);
        ctx.notify(NOTIFY_STRING, "set", db_index, &pair[0]);
    }
    Ok(Reply::Integer(1))
}

/// APPEND key value
///
/// ```text
/// APPEND key value
/// ```
/// Appends to the string (creating it when missing). Integer: the new length in bytes.
/// Errors: `WRONGTYPE`, `ERR string exceeds maximum allowed size (proto-max-bulk-len)`.
pub fn append(ctx: &mut Ctx<'_>, argv: &[Bytes]) -> Result<Reply, CommandError> {
    let now = ctx.now_ms;
    let db_index = ctx.client.db;
    let (key, tail) = (&argv[1], &argv[2]);
    let current_len = match ctx.db(key)?.lookup(key, now) {
        None => None,
        Some(e) => Some(e.value.as_string().ok_or(CommandError::WrongType)?.len()),
    };
    let total = match current_len {
        None => {
            ctx.db(key)?.add(key, Value::string(tail));
            tail.len()
        }
        Some(len) => {
            check_string_length(ctx, len as u64, tail.len() as u64)?;
            let db = ctx.db(key)?;
            let s = db
                .lookup_mut(key, now)
                .and_then(|e| e.value.string_mut())
                .ok_or(CommandError::WrongType)?;
            s.extend_from_slice(tail);
            s.len()
        }
    };
    ctx.signal_modified(db_index, key);
    ctx.notify(NOTIFY_STRING, "append", db_index, key);
    Ok(Reply::Integer(total as i64))
}

/// STRLEN key
///
/// ```text
/// STRLEN key
/// ```
/// Integer: the length in bytes, 0 for a missing key. Errors: `WRONGTYPE`.
pub fn strlen(ctx: &mut Ctx<'_>, argv: &[Bytes]) -> Result<Reply, CommandError> {
    let now = ctx.now_ms;
    let db = ctx.db(&argv[1])?;
    Ok(Reply::Integer(read_string(db, &argv[1], now)?.map_or(0, |s| s.len() as i64)))
}

/// GETRANGE key start end (and its old name SUBSTR)
///
/// ```text
/// GETRANGE key start end
/// ```
/// Bulk string with the bytes from `start` to `end` inclusive (negative indexes count from
/// the end); empty for a missing key or an empty range. Errors: `ERR value is not an
/// integer or out of range`, `WRONGTYPE`.
pub fn getrange(ctx: &mut Ctx<'_>, argv: &[Bytes]) -> Result<Reply, CommandError> {
    let start = args::int(&argv[2])?;
    let end = args::int(&argv[3])?;
    let now = ctx.now_ms;
    let db = ctx.db(&argv[1])?;
    let Some(s) = read_string(db, &argv[1], now)? else {
        return Ok(Reply::bulk_static(b""));
    };
    Ok(match byte_range(start, end, s.len()) {
        Some((from, to)) => Reply::bulk(&s[from..=to]),
        None => Reply::bulk_static(b""),
    })
}

/// GETRANGE's index rules (7.2): both negative with `start > end` is empty; negative indexes
/// count from the end and clamp at 0; `end` clamps at the last byte. `None` when empty.
fn byte_range(start: i64, end: i64, len: usize) -> Option<(usize, usize)> {
    if start < 0 && end < 0 && start > end {
        return None;
    }
    let len = len as i128;
    let mut start = i128::from(start);
    let mut end = i128::from(end);
    if start < 0 {
        start += len;
    }
    if end < 0 {
        end += len;
    }
    start = start.max(0);
    end = end.max(0);
    if end >= len {
        end = len - 1;
    }
    if start > end || len == 0 {
        return None;
    }
    Some((start as usize, end as usize))
}

/// SETRANGE key offset value
///
/// ```text
/// SETRANGE key offset value
/// ```
/// Overwrites bytes from `offset` (zero-padding as needed; creates the key unless `value` is
/// empty). Integer: the new length in bytes. Errors: `ERR value is not an integer or out of
/// range`, `ERR offset is out of range` (negative), `WRONGTYPE`, `ERR string exceeds maximum
/// allowed size (proto-max-bulk-len)`.
pub fn setrange(ctx: &mut Ctx<'_>, argv: &[Bytes]) -> Result<Reply, CommandError> {
    let offset = args::int(&argv[2])?;
    if offset < 0 {
        return Err(CommandError::custom("ERR offset is out of range"));
    }
    let offset = offset as u64;
    let (key, value) = (&argv[1], &argv[3]);
    let now = ctx.now_ms;
    let db_index = ctx.client.db;
    let current_len = match ctx.db(key)?.lookup(key, now) {
        None => None,
        Some(e) => Some(e.value.as_string().ok_or(CommandError::WrongType)?.len()),
    };
    if value.is_empty() {
        return Ok(Reply::Integer(current_len.unwrap_or(0) as i64));
    }
    check_string_length(ctx, offset, value.len() as u64)?;
    let offset = offset as usize;
    let needed = offset + value.len();
    let db = ctx.db(key)?;
    let new_len = match current_len {
        None => {
            let mut bytes = vec![0u8; needed];
            bytes[offset..].copy_from_slice(value);
            db.add(key, Value::RawStr(Box::new(bytes)));
            needed
        }
        Some(_) => {
            let s = db
                .lookup_mut(key, now)
                .and_then(|e| e.value.string_mut())
                .ok_or(CommandError::WrongType)?;
            if s.len() < needed {
                s.resize(needed, 0);
            }
            s[offset..needed].copy_from_slice(value);
            s.len()
        }
    };
    ctx.signal_modified(db_index, key);
    ctx.notify(NOTIFY_STRING, "setrange", db_index, key);
    Ok(Reply::Integer(new_len as i64))
}

/// Adds `delta` to the integer stored at `key` (Redis's `incrDecrCommand`), keeping its TTL.
/// One dict lookup on the hot path: the entry's value is replaced in place.
fn incr_generic(ctx: &mut Ctx<'_>, key: &[u8], delta: i64) -> Result<Reply, CommandError> {
    let now = ctx.now_ms;
    let db_index = ctx.client.db;
    let db = ctx.db(key)?;
    let mut buf = itoa::Buffer::new();
    let new = match db.lookup_mut(key, now) {
        Some(e) => {
            let s = e.value.as_string().ok_or(CommandError::WrongType)?;
            let current = num::parse_i64(s).ok_or(CommandError::NotInteger)?;
            let new = current.checked_add(delta).ok_or(CommandError::Overflow)?;
            e.value = Value::string(buf.format(new).as_bytes());
            new
        }
        None => {
            db.add(key, Value::string(buf.format(delta).as_bytes()));
            delta
        }
    };
    ctx.signal_modified(db_index, key);
    ctx.notify(NOTIFY_STRING, "incrby", db_index, key);
    Ok(Reply::Integer(new))
}

/// INCR key
///
/// ```text
/// INCR key
/// ```
/// Integer after the increment (a missing key counts as 0; the TTL is kept). Errors:
/// `ERR value is not an integer or out of range`, `ERR increment or decrement would
/// overflow`, `WRONGTYPE`.
pub fn incr(ctx: &mut Ctx<'_>, argv: &[Bytes]) -> Result<Reply, CommandError> {
    incr_generic(ctx, &argv[1], 1)
}

/// DECR key
///
/// ```text
/// DECR key
/// ```
/// Integer after the decrement; errors as INCR.
pub fn decr(ctx: &mut Ctx<'_>, argv: &[Bytes]) -> Result<Reply, CommandError> {
    incr_generic(ctx, &argv[1], -1)
}

/// INCRBY key increment
///
/// ```text
/// INCRBY key increment
/// ```
/// Integer after the increment; errors as INCR (a bad increment is reported before the key's
/// type is checked).
pub fn incrby(ctx: &mut Ctx<'_>, argv: &[Bytes]) -> Result<Reply, CommandError> {
    let delta = args::int(&argv[2])?;
    incr_generic(ctx, &argv[1], delta)
}

/// DECRBY key decrement
///
/// ```text
/// DECRBY key decrement
/// ```
/// Integer after the decrement; errors as INCR, plus `ERR decrement would overflow` for the
/// minimum 64-bit integer.
pub fn decrby(ctx: &mut Ctx<'_>, argv: &[Bytes]) -> Result<Reply, CommandError> {
    let delta = args::int(&argv[2])?;
    if delta == i64::MIN {
        return Err(CommandError::custom("ERR decrement would overflow"));
    }
    incr_generic(ctx, &argv[1], -delta)
}

/// INCRBYFLOAT key increment
///
/// ```text
/// INCRBYFLOAT key increment
/// ```
/// Adds in C `long double` precision and stores the result as text (`%.17Lf`, trailing
/// zeros trimmed, never exponent notation); the TTL is kept. The result is never
/// `int`-encoded (OBJECT ENCODING `embstr`, or `raw` beyond 44 bytes), as Redis creates it
/// with `createStringObjectFromLongDouble`. Bulk string: the new value.
/// Errors, in this order: `WRONGTYPE`, `ERR value is not a valid float` (the stored value,
/// then the increment), `ERR increment would produce NaN or Infinity`.
pub fn incrbyfloat(ctx: &mut Ctx<'_>, argv: &[Bytes]) -> Result<Reply, CommandError> {
    let now = ctx.now_ms;
    let db_index = ctx.client.db;
    let key = &argv[1];
    let db = ctx.db(key)?;
    let result = match db.lookup_mut(key, now) {
        Some(e) => {
            let s = e.value.as_string().ok_or(CommandError::WrongType)?;
            let text = num::incr_long_double(s, &argv[2]).map_err(long_double_error)?;
            e.value = Value::string_no_int(&text);
            text
        }
        None => {
            let text = num::incr_long_double(b"0", &argv[2]).map_err(long_double_error)?;
            db.add(key, Value::string_no_int(&text));
            text
        }
    };
    ctx.signal_modified(db_index, key);
    ctx.notify(NOTIFY_STRING, "incrbyfloat", db_index, key);
    Ok(Reply::Bulk(Bytes::from(result)))
}

/// INCRBYFLOAT's error replies.
fn long_double_error(e: LongDoubleError) -> CommandError {
    match e {
        LongDoubleError::InvalidCurrent | LongDoubleError::InvalidIncrement => {
            CommandError::NotFloat
        }
        LongDoubleError::NotFinite => {
            CommandError::custom("ERR increment would produce NaN or Infinity")
        }
    }
}

/// Options of LCS.
#[derive(Debug, Default)]
struct LcsArgs {
    len: bool,
    idx: bool,
    with_match_len: bool,
    min_match_len: u64,
}

fn parse_lcs(argv: &[Bytes]) -> Result<LcsArgs, CommandError> {
    let mut a = LcsArgs::default();
    let mut cur = ArgCursor::new(argv, 3);
    while let Some(opt) = cur.next_arg() {
        if args::is(opt, "idx") {
            a.idx = true;
        } else if args::is(opt, "len") {
            a.len = true;
        } else if args::is(opt, "withmatchlen") {
            a.with_match_len = true;
        } else if args::is(opt, "minmatchlen") && !cur.is_done() {
            a.min_match_len = args::int(cur.value()?)?.max(0) as u64;
        } else {
            return Err(CommandError::Syntax);
        }
    }
    if a.idx && a.len {
        return Err(CommandError::custom(
            "ERR If you want both the length and indexes, please just use IDX.",
        ));
    }
    Ok(a)
}

/// Reads one LCS operand: a copy of the string, empty for a missing key, `None` for another
/// type.
fn lcs_operand(ctx: &mut Ctx<'_>, key: &[u8]) -> Result<Option<Vec<u8>>, CommandError> {
    let now = ctx.now_ms;
    Ok(match ctx.db(key)?.lookup_read(key, now) {
        None => Some(Vec::new()),
        Some(e) => e.value.as_string().map(<[u8]>::to_vec),
    })
}

/// LCS key1 key2 [LEN] [IDX] [MINMATCHLEN min-match-len] [WITHMATCHLEN]
///
/// ```text
/// LCS key1 key2 [LEN] [IDX] [MINMATCHLEN min-match-len] [WITHMATCHLEN]
/// ```
/// The longest common subsequence of two strings (missing keys are empty). Default: bulk
/// string. LEN: integer. IDX: a map (RESP2: flat array) `matches` → array of
/// `[[a_start, a_end], [b_start, b_end]]` (plus the match length with WITHMATCHLEN), from
/// the end of the strings backwards, keeping matches of at least MINMATCHLEN bytes, and `len`
/// → integer. Errors: `ERR The specified keys must contain string values`, `ERR syntax
/// error`, `ERR value is not an integer or out of range`, `ERR If you want both the length
/// and indexes, please just use IDX.`, `ERR String too long for LCS`, `ERR Insufficient
/// memory, transient memory for LCS exceeds proto-max-bulk-len`. Since 7.0.0.
pub fn lcs(ctx: &mut Ctx<'_>, argv: &[Bytes]) -> Result<Reply, CommandError> {
    let a = lcs_operand(ctx, &argv[1])?;
    let b = lcs_operand(ctx, &argv[2])?;
    let (Some(a), Some(b)) = (a, b) else {
        return Err(CommandError::custom("ERR The specified keys must contain string values"));
    };
    let opts = parse_lcs(argv)?;
    if a.len() as u64 >= u64::from(u32::MAX) - 1 || b.len() as u64 >= u64::from(u32::MAX) - 1 {
        return Err(CommandError::custom("ERR String too long for LCS"));
    }
    let cells = (a.len() as u64 + 1) * (b.len() as u64 + 1);
    if cells.saturating_mul(4) > proto_max_bulk_len(ctx) {
        return Err(CommandError::custom(
            "ERR Insufficient memory, transient memory for LCS exceeds proto-max-bulk-len",
        ));
    }
    let table = LcsTable::build(&a, &b);
    let total = table.at(a.len(), b.len());
    if opts.len && !opts.idx {
        return Ok(Reply::Integer(i64::from(total)));
    }
    let (text, matches) = table.walk(&a, &b, opts.idx);
    if !opts.idx {
        return Ok(Reply::Bulk(Bytes::from(text)));
    }
    let items = matches
        .into_iter()
        .filter(|m| opts.min_match_len == 0 || u64::from(m.len) >= opts.min_match_len)
        .map(|m| {
            let mut item = vec![
                Reply::Array(vec![
                    Reply::Integer(i64::from(m.a.0)),
                    Reply::Integer(i64::from(m.a.1)),
                ]),
                Reply::Array(vec![
                    Reply::Integer(i64::from(m.b.0)),
                    Reply::Integer(i64::from(m.b.1)),
                ]),
            ];
            if opts.with_match_len {
                item.push(Reply::Integer(i64::from(m.len)));
            }
            Reply::Array(item)
        })
        .collect();
    Ok(Reply::Map(vec![
        (Reply::bulk_static(b"matches"), Reply::Array(items)),
        (Reply::bulk_static(b"len"), Reply::Integer(i64::from(total))),
    ]))
}

/// One contiguous match found by LCS IDX: inclusive ranges in each string and its length.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct LcsMatch {
    a: (u32, u32),
    b: (u32, u32),
    len: u32,
}

/// The dynamic-programming table of LCS lengths: `at(i, j)` is the LCS length of the first
/// `i` bytes of A and the first `j` bytes of B.
struct LcsTable {
    cells: Vec<u32>,
    width: usize,
}

impl LcsTable {
    fn build(a: &[u8], b: &[u8]) -> LcsTable {
        let width = b.len() + 1;
        let mut cells = vec![0u32; (a.len() + 1) * width];
        for i in 1..=a.len() {
            for j in 1..=b.len() {
                cells[i * width + j] = if a[i - 1] == b[j - 1] {
                    cells[(i - 1) * width + j - 1] + 1
                } else {
                    cells[(i - 1) * width + j].max(cells[i * width + j - 1])
                };
            }
        }
        LcsTable { cells, width }
    }

    fn at(&self, i: usize, j: usize) -> u32 {
        self.cells[i * self.width + j]
    }

    /// Walks back from the end of both strings as Redis does, collecting the LCS text and,
    /// when `ranges` is set, the contiguous matches in the order Redis emits them.
    fn walk(&self, a: &[u8], b: &[u8], ranges: bool) -> (Vec<u8>, Vec<LcsMatch>) {
        let mut text = vec![0u8; self.at(a.len(), b.len()) as usize];
        let mut idx = text.len();
        let mut matches = Vec::new();
        let (mut i, mut j) = (a.len(), b.len());
        // The range being tracked: (a_start, a_end, b_start, b_end).
        let mut current: Option<(usize, usize, usize, usize)> = None;
        while i > 0 && j > 0 {
            let mut emit = false;
            if a[i - 1] == b[j - 1] {
                text[idx - 1] = a[i - 1];
                match current {
                    None => current = Some((i - 1, i - 1, j - 1, j - 1)),
                    Some((a_start, a_end, b_start, b_end)) if a_start == i && b_start == j => {
                        current = Some((a_start - 1, a_end, b_start - 1, b_end));
                    }
                    Some(_) => emit = true,
                }
                if let Some((a_start, _, b_start, _)) = current {
                    if a_start == 0 || b_start == 0 {
                        emit = true;
                    }
                }
                idx -= 1;
                i -= 1;
                j -= 1;
            } else {
                if self.at(i - 1, j) > self.at(i, j - 1) {
                    i -= 1;
                } else {
                    j -= 1;
                }
                emit = current.is_some();
            }
            if emit {
                if let Some((a_start, a_end, b_start, b_end)) = current.take() {
                    if ranges {
                        matches.push(LcsMatch {
                            a: (a_start as u32, a_end as u32),
                            b: (b_start as u32, b_end as u32),
                            len: (a_end - a_start + 1) as u32,
                        });
                    }
                }
            }
        }
        (text, matches)
    }
}

const RO_ACCESS: &[KeySpec] = &[KeySpec::single(1, keyflags::RO | keyflags::ACCESS)];
const RW_UPDATE: &[KeySpec] =
    &[KeySpec::single(1, keyflags::RW | keyflags::ACCESS | keyflags::UPDATE)];
const OW_INSERT: &[KeySpec] = &[KeySpec::single(1, keyflags::OW | keyflags::INSERT)];
const OW_UPDATE: &[KeySpec] = &[KeySpec::single(1, keyflags::OW | keyflags::UPDATE)];

/// The string family.
pub static SPECS: &[CommandSpec] = &[
    CommandSpec {
        name: "get",
        arguments: docs::GET,
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
        history: docs::SET_HISTORY,
        arguments: docs::SET,
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
        get_keys: Some(set_get_keys),
        ..CommandSpec::DEFAULT
    },
    CommandSpec {
        name: "setnx",
        arguments: docs::SETNX,
        arity: 3,
        flags: flags::WRITE | flags::DENYOOM | flags::FAST,
        acl: acl::STRING,
        keys: OW_INSERT,
        group: Group::String,
        since: "1.0.0",
        summary: "Sets a key's string value only when the key does not exist yet.",
        handler: Some(setnx),
        ..CommandSpec::DEFAULT
    },
    CommandSpec {
        name: "setex",
        arguments: docs::SETEX,
        arity: 4,
        flags: flags::WRITE | flags::DENYOOM,
        acl: acl::STRING,
        keys: OW_UPDATE,
        group: Group::String,
        since: "2.0.0",
        summary: "Sets a key's string value together with a time to live in seconds.",
        handler: Some(setex),
        ..CommandSpec::DEFAULT
    },
    CommandSpec {
        name: "psetex",
        arguments: docs::PSETEX,
        arity: 4,
        flags: flags::WRITE | flags::DENYOOM,
        acl: acl::STRING,
        keys: OW_UPDATE,
        group: Group::String,
        since: "2.6.0",
        summary: "Sets a key's string value together with a time to live in milliseconds.",
        handler: Some(psetex),
        ..CommandSpec::DEFAULT
    },
    CommandSpec {
        name: "getset",
        arguments: docs::GETSET,
        doc_flags: docflags::DEPRECATED,
        deprecated_since: Some("6.2.0"),
        replaced_by: Some("`SET` with the `!GET` argument"),
        arity: 3,
        flags: flags::WRITE | flags::DENYOOM | flags::FAST,
        acl: acl::STRING,
        keys: RW_UPDATE,
        group: Group::String,
        since: "1.0.0",
        summary: "Replaces a key's string value and hands back the value it held before.",
        handler: Some(getset),
        ..CommandSpec::DEFAULT
    },
    CommandSpec {
        name: "getdel",
        arguments: docs::GETDEL,
        arity: 2,
        flags: flags::WRITE | flags::FAST,
        acl: acl::STRING,
        keys: &[KeySpec::single(1, keyflags::RW | keyflags::ACCESS | keyflags::DELETE)],
        group: Group::String,
        since: "6.2.0",
        summary: "Reads a key's string value and removes the key in the same step.",
        handler: Some(getdel),
        ..CommandSpec::DEFAULT
    },
    CommandSpec {
        name: "getex",
        arguments: docs::GETEX,
        arity: -2,
        flags: flags::WRITE | flags::FAST,
        acl: acl::STRING,
        keys: &[KeySpec::single(1, keyflags::RW | keyflags::ACCESS | keyflags::UPDATE)
            .with_notes("RW and UPDATE because it changes the TTL")],
        group: Group::String,
        since: "6.2.0",
        summary: "Reads a key's string value and optionally changes or removes its expiration.",
        handler: Some(getex),
        ..CommandSpec::DEFAULT
    },
    CommandSpec {
        name: "mget",
        arguments: docs::MGET,
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
        arguments: docs::MSET,
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
        name: "msetnx",
        arguments: docs::MSETNX,
        arity: -3,
        flags: flags::WRITE | flags::DENYOOM,
        acl: acl::STRING,
        keys: &[KeySpec::range_to_end(1, 2, keyflags::OW | keyflags::INSERT)],
        group: Group::String,
        since: "1.0.1",
        summary: "Sets several keys at once, but only if none of them exists yet.",
        complexity: "O(N) where N is the number of keys to set.",
        // No tips: Redis 7.2 dropped 7.0's multi_shard/agg_min (MSETNX must stay on one shard).
        handler: Some(msetnx),
        ..CommandSpec::DEFAULT
    },
    CommandSpec {
        name: "append",
        arguments: docs::APPEND,
        arity: 3,
        flags: flags::WRITE | flags::DENYOOM | flags::FAST,
        acl: acl::STRING,
        keys: &[KeySpec::single(1, keyflags::RW | keyflags::INSERT)],
        group: Group::String,
        since: "2.0.0",
        summary: "Adds bytes to the end of a string value, creating the key when it is missing.",
        complexity: "O(1). The amortized time complexity is O(1) assuming the appended value is small and the already present value is of any size, since the dynamic string library used by Redis will double the free space available on every reallocation.",
        handler: Some(append),
        ..CommandSpec::DEFAULT
    },
    CommandSpec {
        name: "strlen",
        arguments: docs::STRLEN,
        arity: 2,
        flags: flags::READONLY | flags::FAST,
        acl: acl::STRING,
        keys: &[KeySpec::single(1, keyflags::RO)],
        group: Group::String,
        since: "2.2.0",
        summary: "Tells how many bytes a string value holds.",
        handler: Some(strlen),
        ..CommandSpec::DEFAULT
    },
    CommandSpec {
        name: "getrange",
        arguments: docs::GETRANGE,
        arity: 4,
        flags: flags::READONLY,
        acl: acl::STRING,
        keys: RO_ACCESS,
        group: Group::String,
        since: "2.4.0",
        summary: "Reads a slice of a string value between two byte offsets.",
        complexity: "O(N) where N is the length of the returned string. The complexity is ultimately determined by the returned length, but because creating a substring from an existing string is very cheap, it can be considered O(1) for small strings.",
        handler: Some(getrange),
        ..CommandSpec::DEFAULT
    },
    CommandSpec {
        name: "substr",
        arguments: docs::SUBSTR,
        doc_flags: docflags::DEPRECATED,
        deprecated_since: Some("2.0.0"),
        replaced_by: Some("`GETRANGE`"),
        arity: 4,
        flags: flags::READONLY,
        acl: acl::STRING,
        keys: RO_ACCESS,
        group: Group::String,
        since: "1.0.0",
        summary: "Reads a slice of a string value between two byte offsets (old name of GETRANGE).",
        complexity: "O(N) where N is the length of the returned string. The complexity is ultimately determined by the returned length, but because creating a substring from an existing string is very cheap, it can be considered O(1) for small strings.",
        handler: Some(getrange),
        ..CommandSpec::DEFAULT
    },
    CommandSpec {
        name: "setrange",
        arguments: docs::SETRANGE,
        arity: 4,
        flags: flags::WRITE | flags::DENYOOM,
        acl: acl::STRING,
        keys: &[KeySpec::single(1, keyflags::RW | keyflags::UPDATE)],
        group: Group::String,
        since: "2.2.0",
        summary: "Writes bytes into a string value at an offset, padding with zero bytes as needed.",
        complexity: "O(1), not counting the time taken to copy the new string in place. Usually, this string is very small so the amortized complexity is O(1). Otherwise, complexity is O(M) with M being the length of the value argument.",
        handler: Some(setrange),
        ..CommandSpec::DEFAULT
    },
    CommandSpec {
        name: "incr",
        arguments: docs::INCR,
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
        arguments: docs::DECR,
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
        arguments: docs::INCRBY,
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
        arguments: docs::DECRBY,
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
    CommandSpec {
        name: "incrbyfloat",
        arguments: docs::INCRBYFLOAT,
        arity: 3,
        flags: flags::WRITE | flags::DENYOOM | flags::FAST,
        acl: acl::STRING,
        keys: RW_UPDATE,
        group: Group::String,
        since: "2.6.0",
        summary: "Adds a floating-point amount to a key's numeric string value, starting from 0 when missing.",
        handler: Some(incrbyfloat),
        ..CommandSpec::DEFAULT
    },
    CommandSpec {
        name: "lcs",
        arguments: docs::LCS,
        arity: -3,
        flags: flags::READONLY,
        acl: acl::STRING,
        keys: &[KeySpec {
            flags: keyflags::RO | keyflags::ACCESS,
            notes: None,
            begin: crate::spec::BeginSearch::Index(1),
            find: crate::spec::FindKeys::Range { lastkey: 1, keystep: 1, limit: 0 },
        }],
        group: Group::String,
        since: "7.0.0",
        summary: "Computes the longest common subsequence of two string values.",
        complexity: "O(N*M) where N and M are the lengths of s1 and s2, respectively",
        handler: Some(lcs),
        ..CommandSpec::DEFAULT
    },
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn getrange_index_rules() {
        assert_eq!(byte_range(0, -1, 5), Some((0, 4)));
        assert_eq!(byte_range(-1, -5, 5), None);
        assert_eq!(byte_range(-100, -100, 5), Some((0, 0)));
        assert_eq!(byte_range(3, 100, 5), Some((3, 4)));
        assert_eq!(byte_range(5, 100, 5), None);
        assert_eq!(byte_range(0, 0, 0), None);
        assert_eq!(byte_range(i64::MIN, i64::MAX, 5), Some((0, 4)));
    }

    #[test]
    fn lcs_walk_matches_redis_example() {
        // The example of the LCS command page: ohmytext / mynewtext.
        let (a, b) = (b"ohmytext".as_slice(), b"mynewtext".as_slice());
        let table = LcsTable::build(a, b);
        assert_eq!(table.at(a.len(), b.len()), 6);
        let (text, matches) = table.walk(a, b, true);
        assert_eq!(text, b"mytext");
        assert_eq!(
            matches,
            vec![
                LcsMatch { a: (4, 7), b: (5, 8), len: 4 },
                LcsMatch { a: (2, 3), b: (0, 1), len: 2 },
            ]
        );
    }
}
