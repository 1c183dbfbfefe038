//! Generic key commands: existence, deletion, types, TTLs, renames, copies and moves between
//! databases, keyspace walks (KEYS, SCAN, RANDOMKEY), SWAPDB and OBJECT.
//!
//! Semantics follow <https://redis.io/commands/> and Redis 7.2's `src/db.c`, `src/expire.c`
//! and `src/object.c`. TTL arguments are seconds for EXPIRE/EXPIREAT/TTL/EXPIRETIME and
//! milliseconds for the P-variants. Commands over several keys (RENAME, COPY, MOVE) get their
//! shards locked by dispatch from the key specs; whole-keyspace commands (KEYS, SCAN,
//! RANDOMKEY, SWAPDB) declare `LockScope::All`. Expired keys are invisible to every command
//! here, walks included.

use crate::args::{self, ArgCursor};
use crate::commands::docs;
use crate::context::Ctx;
use crate::errors::{show_arg, CommandError};
use crate::notify::NOTIFY_GENERIC;
use crate::spec::{acl, flags, keyflags, CommandSpec, KeySpec, LockScope};
use bytes::Bytes;
use ferrodis_keyspace::glob::string_match;
use ferrodis_keyspace::keyspace::scan_shards;
use ferrodis_keyspace::{num, Db, Entry, Shard, TtlUpdate, Value};
use ferrodis_persistence::rdb;
use ferrodis_resp::Reply;
use rand::Rng;

/// Deletes every key in `argv[1..]` (DEL and UNLINK; memory is freed inline either way).
fn del_generic(ctx: &mut Ctx<'_>, argv: &[Bytes]) -> Result<Reply, CommandError> {
    let now = ctx.now_ms;
    let db_index = ctx.client.db;
    let mut removed = 0;
    for key in &argv[1..] {
        if ctx.db(key)?.remove(key, now).is_some() {
            ctx.signal_modified(db_index, key);
            ctx.notify(NOTIFY_GENERIC, "del", db_index, key);
            removed += 1;
        }
    }
    Ok(Reply::Integer(removed))
}

/// DEL: removes keys.
///
/// ```text
/// DEL key [key ...]
/// ```
/// Integer: the number of keys removed (expired keys do not count).
pub fn del(ctx: &mut Ctx<'_>, argv: &[Bytes]) -> Result<Reply, CommandError> {
    del_generic(ctx, argv)
}

/// UNLINK: removes keys; Redis frees large values in the background, Ferrodis frees them
/// inline (the reply is the same).
///
/// ```text
/// UNLINK key [key ...]
/// ```
/// Integer: the number of keys removed.
pub fn unlink(ctx: &mut Ctx<'_>, argv: &[Bytes]) -> Result<Reply, CommandError> {
    del_generic(ctx, argv)
}

/// EXISTS: counts existing keys.
///
/// ```text
/// EXISTS key [key ...]
/// ```
/// Integer: the number of arguments that name existing keys (a key named twice counts
/// twice). Does not change the keys' access time.
pub fn exists(ctx: &mut Ctx<'_>, argv: &[Bytes]) -> Result<Reply, CommandError> {
    let now = ctx.now_ms;
    let mut count = 0;
    for key in &argv[1..] {
        if ctx.db(key)?.lookup_read_notouch(key, now).is_some() {
            count += 1;
        }
    }
    Ok(Reply::Integer(count))
}

/// TOUCH: records an access to keys (their OBJECT IDLETIME restarts from 0).
///
/// ```text
/// TOUCH key [key ...]
/// ```
/// Integer: the number of keys that exist.
pub fn touch(ctx: &mut Ctx<'_>, argv: &[Bytes]) -> Result<Reply, CommandError> {
    let now = ctx.now_ms;
    let mut count = 0;
    for key in &argv[1..] {
        if ctx.db(key)?.lookup_read(key, now).is_some() {
            count += 1;
        }
    }
    Ok(Reply::Integer(count))
}

/// TYPE: names a key's type.
///
/// ```text
/// TYPE key
/// ```
/// Status: `string`, `list`, `set`, `zset`, `hash`, `stream`, or `none` for a missing key.
pub fn type_(ctx: &mut Ctx<'_>, argv: &[Bytes]) -> Result<Reply, CommandError> {
    let now = ctx.now_ms;
    let name = match ctx.db(&argv[1])?.lookup_read_notouch(&argv[1], now) {
        Some(e) => e.value.value_type().name(),
        None => "none",
    };
    Ok(Reply::status(name))
}

/// Conditions of the EXPIRE family (Redis 7.0+), as bits.
const EXPIRE_NX: u8 = 1;
const EXPIRE_XX: u8 = 2;
const EXPIRE_GT: u8 = 4;
const EXPIRE_LT: u8 = 8;

/// Parses the NX/XX/GT/LT options of the EXPIRE family (Redis's
/// `parseExtendedExpireArgumentsOrReply`); they are checked before the time argument.
fn parse_expire_flags(argv: &[Bytes]) -> Result<u8, CommandError> {
    let mut flags = 0;
    for opt in &argv[3..] {
        flags |= if args::is(opt, "nx") {
            EXPIRE_NX
        } else if args::is(opt, "xx") {
            EXPIRE_XX
        } else if args::is(opt, "gt") {
            EXPIRE_GT
        } else if args::is(opt, "lt") {
            EXPIRE_LT
        } else {
            return Err(CommandError::custom(format!("ERR Unsupported option {}", show_arg(opt))));
        };
    }
    if flags & EXPIRE_NX != 0 && flags & (EXPIRE_XX | EXPIRE_GT | EXPIRE_LT) != 0 {
        return Err(CommandError::custom(
            "ERR NX and XX, GT or LT options at the same time are not compatible",
        ));
    }
    if flags & EXPIRE_GT != 0 && flags & EXPIRE_LT != 0 {
        return Err(CommandError::custom(
            "ERR GT and LT options at the same time are not compatible",
        ));
    }
    Ok(flags)
}

/// Shared body of EXPIRE, PEXPIRE, EXPIREAT and PEXPIREAT (Redis's `expireGenericCommand`).
/// `relative` adds the command time; `unit_secs` multiplies by 1000.
fn expire_generic(
    ctx: &mut Ctx<'_>,
    argv: &[Bytes],
    relative: bool,
    unit_secs: bool,
) -> Result<Reply, CommandError> {
    let flags = parse_expire_flags(argv)?;
    let mut when = args::int(&argv[2])?;
    let invalid =
        || CommandError::InvalidExpireTime(String::from_utf8_lossy(&argv[0]).to_ascii_lowercase());
    if unit_secs {
        when = when.checked_mul(1000).ok_or_else(invalid)?;
    }
    if relative {
        when = when.checked_add(ctx.now_ms as i64).ok_or_else(invalid)?;
    }
    let now = ctx.now_ms;
    let db_index = ctx.client.db;
    let key = &argv[1];
    let db = ctx.db(key)?;
    let Some(entry) = db.lookup_mut(key, now) else {
        return Ok(Reply::Integer(0));
    };
    let current = entry.expire_at_ms().map(|t| t as i64);
    let refused = (flags & EXPIRE_NX != 0 && current.is_some())
        || (flags & EXPIRE_XX != 0 && current.is_none())
        || (flags & EXPIRE_GT != 0 && current.is_none_or(|c| when <= c))
        || (flags & EXPIRE_LT != 0 && current.is_some_and(|c| when >= c));
    if refused {
        return Ok(Reply::Integer(0));
    }
    let event = if when <= now as i64 {
        db.remove(key, now);
        "del"
    } else {
        db.set_expire(key, when as u64, now);
        "expire"
    };
    ctx.signal_modified(db_index, key);
    ctx.notify(NOTIFY_GENERIC, event, db_index, key);
    Ok(Reply::Integer(1))
}

/// EXPIRE: sets a key's time to live in seconds.
///
/// ```text
/// EXPIRE key seconds [NX | XX | GT | LT]
/// ```
/// Integer: 1 when the TTL was set (or the key deleted, for a time not in the future), 0
/// when the key is missing or the condition failed. Errors: `ERR Unsupported option <opt>`,
/// the NX/GT/LT incompatibility errors, `ERR value is not an integer or out of range`,
/// `ERR invalid expire time in 'expire' command` on overflow.
pub fn expire(ctx: &mut Ctx<'_>, argv: &[Bytes]) -> Result<Reply, CommandError> {
    expire_generic(ctx, argv, true, true)
}

/// PEXPIRE: sets a key's time to live in milliseconds.
///
/// ```text
/// PEXPIRE key milliseconds [NX | XX | GT | LT]
/// ```
/// Replies and errors as EXPIRE.
pub fn pexpire(ctx: &mut Ctx<'_>, argv: &[Bytes]) -> Result<Reply, CommandError> {
    expire_generic(ctx, argv, true, false)
}

/// EXPIREAT: sets a key's expiry as a Unix time in seconds.
///
/// ```text
/// EXPIREAT key unix-time-seconds [NX | XX | GT | LT]
/// ```
/// Replies and errors as EXPIRE.
pub fn expireat(ctx: &mut Ctx<'_>, argv: &[Bytes]) -> Result<Reply, CommandError> {
    expire_generic(ctx, argv, false, true)
}

/// PEXPIREAT: sets a key's expiry as a Unix time in milliseconds.
///
/// ```text
/// PEXPIREAT key unix-time-milliseconds [NX | XX | GT | LT]
/// ```
/// Replies and errors as EXPIRE.
pub fn pexpireat(ctx: &mut Ctx<'_>, argv: &[Bytes]) -> Result<Reply, CommandError> {
    expire_generic(ctx, argv, false, false)
}

/// Shared body of TTL, PTTL, EXPIRETIME and PEXPIRETIME (Redis's `ttlGenericCommand`): -2
/// missing, -1 no TTL, else the remaining time (`absolute`: the expiry time), in
/// milliseconds or in seconds rounded to nearest.
fn ttl_generic(
    ctx: &mut Ctx<'_>,
    argv: &[Bytes],
    ms: bool,
    absolute: bool,
) -> Result<Reply, CommandError> {
    let now = ctx.now_ms;
    let Some(entry) = ctx.db(&argv[1])?.lookup_read_notouch(&argv[1], now) else {
        return Ok(Reply::Integer(-2));
    };
    let Some(at) = entry.expire_at_ms() else {
        return Ok(Reply::Integer(-1));
    };
    let value = if absolute { at as i64 } else { at.saturating_sub(now) as i64 };
    Ok(Reply::Integer(if ms { value } else { value.saturating_add(500) / 1000 }))
}

/// TTL: a key's remaining time to live in seconds.
///
/// ```text
/// TTL key
/// ```
/// Integer: seconds (rounded), -1 when the key has no TTL, -2 when it is missing.
pub fn ttl(ctx: &mut Ctx<'_>, argv: &[Bytes]) -> Result<Reply, CommandError> {
    ttl_generic(ctx, argv, false, false)
}

/// PTTL: a key's remaining time to live in milliseconds.
///
/// ```text
/// PTTL key
/// ```
/// Integer: milliseconds, -1 when the key has no TTL, -2 when it is missing.
pub fn pttl(ctx: &mut Ctx<'_>, argv: &[Bytes]) -> Result<Reply, CommandError> {
    ttl_generic(ctx, argv, true, false)
}

/// EXPIRETIME: a key's expiry as a Unix time in seconds.
///
/// ```text
/// EXPIRETIME key
/// ```
/// Integer: Unix seconds (rounded), -1 when the key has no TTL, -2 when it is missing.
pub fn expiretime(ctx: &mut Ctx<'_>, argv: &[Bytes]) -> Result<Reply, CommandError> {
    ttl_generic(ctx, argv, false, true)
}

/// PEXPIRETIME: a key's expiry as a Unix time in milliseconds.
///
/// ```text
/// PEXPIRETIME key
/// ```
/// Integer: Unix milliseconds, -1 when the key has no TTL, -2 when it is missing.
pub fn pexpiretime(ctx: &mut Ctx<'_>, argv: &[Bytes]) -> Result<Reply, CommandError> {
    ttl_generic(ctx, argv, true, true)
}

/// PERSIST: removes a key's TTL.
///
/// ```text
/// PERSIST key
/// ```
/// Integer: 1 when a TTL was removed, 0 when the key is missing or has none.
pub fn persist(ctx: &mut Ctx<'_>, argv: &[Bytes]) -> Result<Reply, CommandError> {
    let now = ctx.now_ms;
    let db_index = ctx.client.db;
    let removed = ctx.db(&argv[1])?.persist(&argv[1], now);
    if removed {
        ctx.signal_modified(db_index, &argv[1]);
        ctx.notify(NOTIFY_GENERIC, "persist", db_index, &argv[1]);
    }
    Ok(Reply::Integer(i64::from(removed)))
}

/// KEYS: every key matching a glob pattern.
///
/// ```text
/// KEYS pattern
/// ```
/// Array of bulk strings, in no particular order. A lone `*` matches every key, the empty
/// key included. Expired keys are never listed. O(N) in the database size.
pub fn keys(ctx: &mut Ctx<'_>, argv: &[Bytes]) -> Result<Reply, CommandError> {
    let now = ctx.now_ms;
    let db = ctx.client.db;
    let pattern = &argv[1][..];
    let all = pattern == b"*";
    let mut out = Vec::new();
    for shard in ctx.shards.iter_mut() {
        shard.db(db).for_each(now, |k, _| {
            if all || string_match(pattern, k, false) {
                out.push(Reply::Bulk(Bytes::copy_from_slice(k)));
            }
        });
    }
    Ok(Reply::Array(out))
}

/// Parses a SCAN cursor as Redis does with `strtoul`: decimal, an optional sign (a negative
/// number wraps, as in C), no leading space, nothing after the digits; the empty string is 0.
/// Bytes from a NUL on are ignored, as Redis reads the argument as a C string.
pub(crate) fn parse_cursor(arg: &[u8]) -> Option<u64> {
    let arg = arg.iter().position(|&b| b == 0).map_or(arg, |nul| &arg[..nul]);
    if arg.is_empty() {
        return Some(0);
    }
    let (negative, digits) = match arg[0] {
        b'-' => (true, &arg[1..]),
        b'+' => (false, &arg[1..]),
        _ => (false, arg),
    };
    if digits.is_empty() || !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let mut value: u64 = 0;
    for &d in digits {
        value = value.checked_mul(10)?.checked_add(u64::from(d - b'0'))?;
    }
    Some(if negative { value.wrapping_neg() } else { value })
}

/// SCAN: one step of an incremental walk over the keys of the selected database.
///
/// ```text
/// SCAN cursor [MATCH pattern] [COUNT count] [TYPE type]
/// ```
/// Array of two: the next cursor as a bulk string ("0" when the walk is complete) and an
/// array of keys. Start with cursor 0. Every key present for the whole walk is returned at
/// least once; keys may repeat. COUNT (default 10) is a hint of the keys examined per call;
/// MATCH and TYPE filter what was examined, so a call may return no key. Errors: `ERR invalid
/// cursor`, `ERR value is not an integer or out of range` (COUNT), `ERR syntax error` (COUNT
/// below 1, unknown option). The cursor encodes the keyspace shard in its low bits (see
/// `ferrodis_keyspace::keyspace::scan_shards`).
pub fn scan(ctx: &mut Ctx<'_>, argv: &[Bytes]) -> Result<Reply, CommandError> {
    let cursor = parse_cursor(&argv[1]).ok_or(CommandError::custom("ERR invalid cursor"))?;
    let mut count: i64 = 10;
    let mut pattern: Option<&[u8]> = None;
    let mut type_name: Option<&[u8]> = None;
    let mut cur = ArgCursor::new(argv, 2);
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
        } else if args::is(opt, "type") {
            type_name = Some(cur.value()?);
        } else {
            return Err(CommandError::Syntax);
        }
    }
    let now = ctx.now_ms;
    let db = ctx.client.db;
    let count = usize::try_from(count).unwrap_or(usize::MAX);
    let mut out = Vec::new();
    let mut expired: Vec<Bytes> = Vec::new();
    let next = {
        let shards: Vec<&mut Shard> = ctx.shards.iter_mut().collect();
        let refs: Vec<&Shard> = shards.iter().map(|s| &**s).collect();
        // Filters in Redis's order: pattern, then type, then expiry (expired keys that pass
        // the other filters are reclaimed, as Redis's `expireIfNeeded` does here).
        scan_shards(&refs, db, cursor, count, |k, e| {
            if pattern.is_some_and(|p| !string_match(p, k, false)) {
                return;
            }
            if e.is_expired(now) {
                expired.push(Bytes::copy_from_slice(k));
                return;
            }
            if type_name
                .is_some_and(|t| !t.eq_ignore_ascii_case(e.value.value_type().name().as_bytes()))
            {
                return;
            }
            out.push(Reply::Bulk(Bytes::copy_from_slice(k)));
        })
    };
    for key in &expired {
        ctx.db(key)?.remove(key, now);
    }
    let mut buf = itoa::Buffer::new();
    let next = Bytes::copy_from_slice(buf.format(next).as_bytes());
    Ok(Reply::Array(vec![Reply::Bulk(next), Reply::Array(out)]))
}

/// RANDOMKEY: a random key of the selected database.
///
/// ```text
/// RANDOMKEY
/// ```
/// Bulk string, or null when the database is empty. Expired keys met on the way are
/// deleted, never returned.
pub fn randomkey(ctx: &mut Ctx<'_>, _argv: &[Bytes]) -> Result<Reply, CommandError> {
    let now = ctx.now_ms;
    let db = ctx.client.db;
    let mut rng = rand::rng();
    let mut shards: Vec<&mut Shard> = ctx.shards.iter_mut().collect();
    loop {
        // Each round either returns a key or deletes at least one expired key, so it ends.
        let total: usize = shards.iter().map(|s| s.dbs.get(db).map_or(0, Db::len)).sum();
        if total == 0 {
            return Ok(Reply::Null);
        }
        let mut pick = rng.random_range(0..total);
        let Some(shard) = shards.iter_mut().find(|s| {
            let len = s.dbs.get(db).map_or(0, Db::len);
            if pick < len {
                return true;
            }
            pick -= len;
            false
        }) else {
            return Ok(Reply::Null);
        };
        if let Some(key) = shard.db(db).random_key(now, &mut rng) {
            return Ok(Reply::Bulk(Bytes::from(key)));
        }
    }
}

/// Shared body of RENAME and RENAMENX (Redis's `renameGenericCommand`). The TTL moves with
/// the value.
fn rename_generic(ctx: &mut Ctx<'_>, argv: &[Bytes], nx: bool) -> Result<Reply, CommandError> {
    let (src, dst) = (&argv[1], &argv[2]);
    let now = ctx.now_ms;
    let db_index = ctx.client.db;
    if ctx.db(src)?.lookup_mut(src, now).is_none() {
        return Err(CommandError::NoSuchKey);
    }
    if src == dst {
        return Ok(if nx { Reply::Integer(0) } else { Reply::OK });
    }
    if nx && ctx.db(dst)?.lookup(dst, now).is_some() {
        return Ok(Reply::Integer(0));
    }
    let entry = ctx.db(src)?.take(src, now).ok_or(CommandError::NoSuchKey)?;
    // An existing destination is deleted, then the key added (Redis's dbDelete + dbAdd:
    // a `new` event either way).
    let target = ctx.db(dst)?;
    target.remove(dst, now);
    target.put(dst, entry, now);
    ctx.signal_modified(db_index, src);
    ctx.signal_modified(db_index, dst);
    ctx.notify(NOTIFY_GENERIC, "rename_from", db_index, src);
    ctx.notify(NOTIFY_GENERIC, "rename_to", db_index, dst);
    Ok(if nx { Reply::Integer(1) } else { Reply::OK })
}

/// RENAME: renames a key, replacing any key already named `newkey`.
///
/// ```text
/// RENAME key newkey
/// ```
/// `OK` (also when both names are the same and the key exists). The TTL moves with the value.
/// Errors: `ERR no such key`.
pub fn rename(ctx: &mut Ctx<'_>, argv: &[Bytes]) -> Result<Reply, CommandError> {
    rename_generic(ctx, argv, false)
}

/// RENAMENX: renames a key only when `newkey` does not exist.
///
/// ```text
/// RENAMENX key newkey
/// ```
/// Integer: 1 when renamed, 0 when `newkey` exists (or both names are the same). Errors:
/// `ERR no such key`.
pub fn renamenx(ctx: &mut Ctx<'_>, argv: &[Bytes]) -> Result<Reply, CommandError> {
    rename_generic(ctx, argv, true)
}

/// Parses a database index argument: a 32-bit integer naming an existing database.
fn parse_db_index(
    ctx: &Ctx<'_>,
    arg: &[u8],
    msg: Option<&'static str>,
) -> Result<usize, CommandError> {
    let id = args::int32(arg, msg)?;
    if id < 0 || id as usize >= ctx.server.keyspace.databases() {
        return Err(CommandError::DbIndexOutOfRange);
    }
    Ok(id as usize)
}

/// `ERR source and destination objects are the same` (Redis's `shared.sameobjecterr`).
fn same_object() -> CommandError {
    CommandError::custom("ERR source and destination objects are the same")
}

/// COPY: copies a key's value and TTL to another key, possibly in another database.
///
/// ```text
/// COPY source destination [DB destination-db] [REPLACE]
/// ```
/// Integer: 1 when copied, 0 when the source is missing or the destination exists (without
/// REPLACE). Errors: `ERR syntax error`, `ERR value is not an integer or out of range`, `ERR
/// DB index is out of range`, `ERR source and destination objects are the same`.
pub fn copy(ctx: &mut Ctx<'_>, argv: &[Bytes]) -> Result<Reply, CommandError> {
    let src_db = ctx.client.db;
    let mut dst_db = src_db;
    let mut replace = false;
    let mut cur = ArgCursor::new(argv, 3);
    while let Some(opt) = cur.next_arg() {
        if args::is(opt, "replace") {
            replace = true;
        } else if args::is(opt, "db") && cur.remaining() >= 1 {
            dst_db = parse_db_index(ctx, cur.value()?, None)?;
        } else {
            return Err(CommandError::Syntax);
        }
    }
    let (src, dst) = (&argv[1], &argv[2]);
    if src_db == dst_db && src == dst {
        return Err(same_object());
    }
    let now = ctx.now_ms;
    let Some(entry) = ctx.db(src)?.lookup_read(src, now).cloned() else {
        return Ok(Reply::Integer(0));
    };
    let target = ctx.db_at(dst_db, dst)?;
    if target.lookup(dst, now).is_some() && !replace {
        return Ok(Reply::Integer(0));
    }
    target.remove(dst, now);
    target.put(dst, entry, now);
    ctx.signal_modified(dst_db, dst);
    ctx.notify(NOTIFY_GENERIC, "copy_to", dst_db, dst);
    Ok(Reply::Integer(1))
}

/// MOVE: moves a key, with its TTL, to another database.
///
/// ```text
/// MOVE key db
/// ```
/// Integer: 1 when moved, 0 when the key is missing or already exists in the target
/// database. Errors: `ERR value is not an integer or out of range`, `ERR value is out of
/// range, value must between -2147483648 and 2147483647`, `ERR DB index is out of range`,
/// `ERR source and destination objects are the same`.
pub fn move_(ctx: &mut Ctx<'_>, argv: &[Bytes]) -> Result<Reply, CommandError> {
    let src_db = ctx.client.db;
    let dst_db = parse_db_index(ctx, &argv[2], None)?;
    if dst_db == src_db {
        return Err(same_object());
    }
    let key = &argv[1];
    let now = ctx.now_ms;
    if ctx.db(key)?.lookup(key, now).is_none() {
        return Ok(Reply::Integer(0));
    }
    if ctx.db_at(dst_db, key)?.lookup(key, now).is_some() {
        return Ok(Reply::Integer(0));
    }
    let Some(entry) = ctx.db(key)?.take(key, now) else {
        return Ok(Reply::Integer(0));
    };
    ctx.db_at(dst_db, key)?.put(key, entry, now);
    ctx.signal_modified(src_db, key);
    ctx.signal_modified(dst_db, key);
    ctx.notify(NOTIFY_GENERIC, "move_from", src_db, key);
    ctx.notify(NOTIFY_GENERIC, "move_to", dst_db, key);
    Ok(Reply::Integer(1))
}

/// SWAPDB: exchanges the contents of two databases; clients connected to one see the other's
/// keys at once.
///
/// ```text
/// SWAPDB index1 index2
/// ```
/// `OK`. Errors: `ERR invalid first DB index`, `ERR invalid second DB index`, `ERR DB index
/// is out of range`.
pub fn swapdb(ctx: &mut Ctx<'_>, argv: &[Bytes]) -> Result<Reply, CommandError> {
    let a = args::int32(&argv[1], Some("ERR invalid first DB index"))?;
    let b = args::int32(&argv[2], Some("ERR invalid second DB index"))?;
    let n = ctx.server.keyspace.databases() as i64;
    if a < 0 || a >= n || b < 0 || b >= n {
        return Err(CommandError::DbIndexOutOfRange);
    }
    if a != b {
        // A watched key that exists in either database changes (Redis's
        // `touchAllWatchedKeysInDb(db1, db2)` and the reverse).
        ctx.touch_watched_in_db(a as usize, Some(b as usize));
        ctx.touch_watched_in_db(b as usize, Some(a as usize));
        for shard in ctx.shards.iter_mut() {
            shard.swap_dbs(a as usize, b as usize);
        }
        // Clients blocked on keys of either database look again (Redis's
        // `scanDatabaseForReadyKeys`).
        ctx.signal_db(a as usize);
        ctx.signal_db(b as usize);
    }
    ctx.add_dirty(1);
    Ok(Reply::OK)
}

/// DUMP: the serialized form of a key's value, for RESTORE.
///
/// ```text
/// DUMP key
/// ```
/// Bulk string: Redis 7.2's payload (the value in RDB format with the encodings Redis 7.2
/// writes, RDB version 11, CRC-64; see [`ferrodis_persistence::rdb`]); null when the key is
/// missing. Follows `dumpCommand` in Redis's `src/cluster.c`; counts a keyspace hit or miss
/// and records an access, as its `lookupKeyRead` does.
pub fn dump(ctx: &mut Ctx<'_>, argv: &[Bytes]) -> Result<Reply, CommandError> {
    let now = ctx.now_ms;
    Ok(match ctx.db(&argv[1])?.lookup_read(&argv[1], now) {
        Some(entry) => Reply::Bulk(Bytes::from(rdb::dump_payload(&entry.value))),
        None => Reply::Null,
    })
}

/// RESTORE: creates a key from a DUMP payload.
///
/// ```text
/// RESTORE key ttl serialized-value [REPLACE] [ABSTTL] [IDLETIME seconds] [FREQ frequency]
/// ```
/// `OK`. `ttl` is in milliseconds, 0 for none; relative, or a Unix time with ABSTTL (a time
/// already past creates nothing, deleting the old key under REPLACE, and still replies OK).
/// IDLETIME sets the key's idle time in seconds; FREQ (0..=255) is accepted and ignored, as
/// Ferrodis tracks no LFU counter. The value takes the encodings the current thresholds pick.
/// Errors, in Redis's order (`restoreCommand`, `src/cluster.c`): `ERR syntax error`, `ERR
/// value is not an integer or out of range`, `ERR Invalid IDLETIME value, must be >= 0`, `ERR
/// Invalid FREQ value, must be >= 0 and <= 255`, `BUSYKEY Target key name already exists.`,
/// `ERR Invalid TTL value, must be >= 0`, `ERR DUMP payload version or checksum are wrong`
/// (RDB version above 11 or CRC mismatch), `ERR Bad data format` (corrupt content).
pub fn restore(ctx: &mut Ctx<'_>, argv: &[Bytes]) -> Result<Reply, CommandError> {
    let (mut replace, mut absttl) = (false, false);
    let mut idle: Option<i64> = None;
    let mut freq: Option<i64> = None;
    let mut cur = ArgCursor::new(argv, 4);
    while let Some(opt) = cur.next_arg() {
        if args::is(opt, "replace") {
            replace = true;
        } else if args::is(opt, "absttl") {
            absttl = true;
        } else if args::is(opt, "idletime") && cur.remaining() >= 1 && freq.is_none() {
            let v = args::int(cur.value()?)?;
            if v < 0 {
                return Err(CommandError::custom("ERR Invalid IDLETIME value, must be >= 0"));
            }
            idle = Some(v);
        } else if args::is(opt, "freq") && cur.remaining() >= 1 && idle.is_none() {
            let v = args::int(cur.value()?)?;
            if !(0..=255).contains(&v) {
                return Err(CommandError::custom(
                    "ERR Invalid FREQ value, must be >= 0 and <= 255",
                ));
            }
            freq = Some(v);
        } else {
            return Err(CommandError::Syntax);
        }
    }
    let key = &argv[1];
    let now = ctx.now_ms;
    if !replace && ctx.db(key)?.lookup(key, now).is_some() {
        return Err(CommandError::BusyKey);
    }
    let ttl = args::int(&argv[2])?;
    if ttl < 0 {
        return Err(CommandError::custom("ERR Invalid TTL value, must be >= 0"));
    }
    rdb::verify_payload(&argv[3])
        .map_err(|_| CommandError::custom("ERR DUMP payload version or checksum are wrong"))?;
    let limits = ctx.server.settings.read().encoding;
    // Read from the whole payload, footer included, as Redis's `rioInitWithBuffer` does: a
    // corrupt object that runs into the footer reads its bytes.
    let value = rdb::decode_value(&argv[3], &limits)
        .map_err(|_| CommandError::custom("ERR Bad data format"))?;
    let db_index = ctx.client.db;
    let db = ctx.db(key)?;
    let deleted = replace && db.remove(key, now).is_some();
    let when = match (ttl, absttl) {
        (0, _) => None,
        (t, true) => Some(t),
        (t, false) => Some(t.saturating_add(now as i64)),
    };
    if when.is_some_and(|at| at <= now as i64) {
        // Already expired (`checkAlreadyExpired`): nothing is created.
        if deleted {
            ctx.signal_modified(db_index, key);
            ctx.notify(NOTIFY_GENERIC, "del", db_index, key);
        }
        return Ok(Reply::OK);
    }
    let ttl_update = match when {
        Some(at) => TtlUpdate::At(at as u64),
        None => TtlUpdate::Clear,
    };
    db.set(key, value, ttl_update, now);
    if let Some(idle) = idle {
        if let Some(entry) = db.lookup_mut(key, now) {
            entry.touch(now.saturating_sub((idle as u64).saturating_mul(1000)));
        }
    }
    ctx.signal_modified(db_index, key);
    ctx.notify(NOTIFY_GENERIC, "restore", db_index, key);
    Ok(Reply::OK)
}

/// Values below this are shared integer objects in Redis (`OBJ_SHARED_INTEGERS`).
const SHARED_INTEGERS: i64 = 10_000;

/// The reference count Redis reports for shared objects (`OBJ_SHARED_REFCOUNT`).
const SHARED_REFCOUNT: i64 = i32::MAX as i64;

/// Looks up the key of an OBJECT subcommand without touching it.
fn object_lookup<'c>(ctx: &'c mut Ctx<'_>, key: &[u8]) -> Result<Option<&'c Entry>, CommandError> {
    let now = ctx.now_ms;
    Ok(ctx.db(key)?.lookup_read_notouch(key, now))
}

/// OBJECT ENCODING: the internal representation of a key's value.
///
/// ```text
/// OBJECT ENCODING key
/// ```
/// Bulk string (`int`, `embstr`, `raw`, `listpack`, ...), or null when the key is missing.
pub fn object_encoding(ctx: &mut Ctx<'_>, argv: &[Bytes]) -> Result<Reply, CommandError> {
    Ok(match object_lookup(ctx, &argv[2])? {
        Some(e) => Reply::bulk(e.value.encoding_name().as_bytes()),
        None => Reply::Null,
    })
}

/// OBJECT REFCOUNT: the reference count Redis would report for a key's value.
///
/// ```text
/// OBJECT REFCOUNT key
/// ```
/// Integer: 2147483647 for the integers 0..9999 that Redis shares, 1 otherwise; null when the
/// key is missing.
pub fn object_refcount(ctx: &mut Ctx<'_>, argv: &[Bytes]) -> Result<Reply, CommandError> {
    Ok(match object_lookup(ctx, &argv[2])? {
        Some(e) => {
            let shared = matches!(&e.value, Value::Str(s)
                if e.value.encoding_name() == "int"
                    && num::parse_i64(s.as_slice()).is_some_and(|v| (0..SHARED_INTEGERS).contains(&v)));
            Reply::Integer(if shared { SHARED_REFCOUNT } else { 1 })
        }
        None => Reply::Null,
    })
}

/// OBJECT IDLETIME: seconds since the key was last read or written.
///
/// ```text
/// OBJECT IDLETIME key
/// ```
/// Integer seconds (one-second LRU clock), or null when the key is missing. OBJECT itself,
/// EXISTS, TYPE, TTL and SCAN do not count as accesses.
pub fn object_idletime(ctx: &mut Ctx<'_>, argv: &[Bytes]) -> Result<Reply, CommandError> {
    let now = ctx.now_ms;
    Ok(match object_lookup(ctx, &argv[2])? {
        Some(e) => Reply::Integer(e.idle_secs(now) as i64),
        None => Reply::Null,
    })
}

/// OBJECT FREQ: the LFU access counter of a key.
///
/// ```text
/// OBJECT FREQ key
/// ```
/// Null when the key is missing; otherwise an error, because Ferrodis runs with the default
/// `maxmemory-policy noeviction` and tracks no access frequency (the error is Redis's for a
/// non-LFU policy).
pub fn object_freq(ctx: &mut Ctx<'_>, argv: &[Bytes]) -> Result<Reply, CommandError> {
    if object_lookup(ctx, &argv[2])?.is_none() {
        return Ok(Reply::Null);
    }
    Err(CommandError::custom(
        "ERR An LFU maxmemory policy is not selected, access frequency not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.",
    ))
}

/// OBJECT HELP: the list of subcommands.
///
/// ```text
/// OBJECT HELP
/// ```
/// Array of status lines, as Redis prints them.
pub fn object_help(_ctx: &mut Ctx<'_>, _argv: &[Bytes]) -> Result<Reply, CommandError> {
    const LINES: &[&str] = &[
        "OBJECT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
        "ENCODING <key>",
        "    Return the kind of internal representation used in order to store the value",
        "    associated with a <key>.",
        "FREQ <key>",
        "    Return the access frequency index of the <key>. The returned integer is",
        "    proportional to the logarithm of the recent access frequency of the key.",
        "IDLETIME <key>",
        "    Return the idle time of the <key>, that is the approximated number of",
        "    seconds elapsed since the last access to the key.",
        "REFCOUNT <key>",
        "    Return the number of references of the value associated with the specified",
        "    <key>.",
        "HELP",
        "    Prints this help.",
    ];
    Ok(Reply::Array(LINES.iter().map(|&l| Reply::status(l)).collect()))
}

const EXPIRE_KEYS: &[KeySpec] = &[KeySpec::single(1, keyflags::RW | keyflags::UPDATE)];
const TTL_KEYS: &[KeySpec] = &[KeySpec::single(1, keyflags::RO | keyflags::ACCESS)];
const DEL_KEYS: &[KeySpec] = &[KeySpec::range_to_end(1, 1, keyflags::RM | keyflags::DELETE)];
const OBJECT_KEYS: &[KeySpec] = &[KeySpec::single(2, keyflags::RO)];
const MULTI_KEY_TIPS: &[&str] = &["request_policy:multi_shard", "response_policy:agg_sum"];

/// The OBJECT subcommands.
static OBJECT_SUBCOMMANDS: &[CommandSpec] = &[
    CommandSpec {
        name: "encoding",
        arguments: docs::OBJECT_ENCODING,
        arity: 3,
        flags: flags::READONLY,
        acl: acl::KEYSPACE,
        keys: OBJECT_KEYS,
        since: "2.2.3",
        summary: "Returns the internal encoding of a key's value.",
        tips: &["nondeterministic_output"],
        handler: Some(object_encoding),
        ..CommandSpec::DEFAULT
    },
    CommandSpec {
        name: "freq",
        arguments: docs::OBJECT_FREQ,
        arity: 3,
        flags: flags::READONLY,
        acl: acl::KEYSPACE,
        keys: OBJECT_KEYS,
        since: "4.0.0",
        summary: "Returns the logarithmic access frequency counter of a key.",
        tips: &["nondeterministic_output"],
        handler: Some(object_freq),
        ..CommandSpec::DEFAULT
    },
    CommandSpec {
        name: "help",
        arity: 2,
        flags: flags::LOADING | flags::STALE,
        acl: acl::KEYSPACE,
        since: "6.2.0",
        summary: "Lists the OBJECT subcommands.",
        handler: Some(object_help),
        ..CommandSpec::DEFAULT
    },
    CommandSpec {
        name: "idletime",
        arguments: docs::OBJECT_IDLETIME,
        arity: 3,
        flags: flags::READONLY,
        acl: acl::KEYSPACE,
        keys: OBJECT_KEYS,
        since: "2.2.3",
        summary: "Returns the seconds since a key was last accessed.",
        tips: &["nondeterministic_output"],
        handler: Some(object_idletime),
        ..CommandSpec::DEFAULT
    },
    CommandSpec {
        name: "refcount",
        arguments: docs::OBJECT_REFCOUNT,
        arity: 3,
        flags: flags::READONLY,
        acl: acl::KEYSPACE,
        keys: OBJECT_KEYS,
        since: "2.2.3",
        summary: "Returns the reference count of a key's value.",
        tips: &["nondeterministic_output"],
        handler: Some(object_refcount),
        ..CommandSpec::DEFAULT
    },
];

/// The generic (keys) family.
pub static SPECS: &[CommandSpec] = &[
    CommandSpec {
        name: "del",
        arguments: docs::DEL,
        arity: -2,
        flags: flags::WRITE,
        acl: acl::KEYSPACE,
        keys: DEL_KEYS,
        since: "1.0.0",
        summary: "Deletes one or more keys.",
        complexity: "O(N) where N is the number of keys that will be removed.",
        tips: MULTI_KEY_TIPS,
        handler: Some(del),
        ..CommandSpec::DEFAULT
    },
    CommandSpec {
        name: "unlink",
        arguments: docs::UNLINK,
        arity: -2,
        flags: flags::WRITE | flags::FAST,
        acl: acl::KEYSPACE,
        keys: DEL_KEYS,
        since: "4.0.0",
        summary: "Deletes one or more keys; large values may be freed in the background.",
        complexity: "O(1) for each key removed regardless of its size.",
        tips: MULTI_KEY_TIPS,
        handler: Some(unlink),
        ..CommandSpec::DEFAULT
    },
    CommandSpec {
        name: "exists",
        history: docs::EXISTS_HISTORY,
        arguments: docs::EXISTS,
        arity: -2,
        flags: flags::READONLY | flags::FAST,
        acl: acl::KEYSPACE,
        keys: &[KeySpec::range_to_end(1, 1, keyflags::RO)],
        since: "1.0.0",
        summary: "Determines whether one or more keys exist.",
        complexity: "O(N) where N is the number of keys to check.",
        tips: MULTI_KEY_TIPS,
        handler: Some(exists),
        ..CommandSpec::DEFAULT
    },
    CommandSpec {
        name: "touch",
        arguments: docs::TOUCH,
        arity: -2,
        flags: flags::READONLY | flags::FAST,
        acl: acl::KEYSPACE,
        keys: &[KeySpec::range_to_end(1, 1, keyflags::RO)],
        since: "3.2.1",
        summary: "Marks keys as accessed and counts the ones that exist.",
        complexity: "O(N) where N is the number of keys that will be touched.",
        tips: MULTI_KEY_TIPS,
        handler: Some(touch),
        ..CommandSpec::DEFAULT
    },
    CommandSpec {
        name: "dump",
        arguments: dump_docs::DUMP,
        arity: 2,
        flags: flags::READONLY,
        acl: acl::KEYSPACE,
        keys: &[KeySpec::single(1, keyflags::RO | keyflags::ACCESS)],
        since: "2.6.0",
        summary: "Returns a serialized representation of the value stored at a key.",
        complexity: "O(1) to access the key and additional O(N*M) to serialize it, where N is the number of Redis objects composing the value and M their average size. For small string values the time complexity is thus O(1)+O(1*M) where M is small, so simply O(1).",
        tips: &["nondeterministic_output"],
        handler: Some(dump),
        ..CommandSpec::DEFAULT
    },
    CommandSpec {
        name: "restore",
        history: dump_docs::RESTORE_HISTORY,
        arguments: dump_docs::RESTORE,
        arity: -4,
        flags: flags::WRITE | flags::DENYOOM,
        acl: acl::KEYSPACE | acl::DANGEROUS,
        keys: &[KeySpec::single(1, keyflags::OW | keyflags::UPDATE)],
        since: "2.6.0",
        summary: "Creates a key from the serialized representation of a value.",
        complexity: "O(1) to create the new key and additional O(N*M) to reconstruct the serialized value, where N is the number of Redis objects composing the value and M their average size. For small string values the time complexity is thus O(1)+O(1*M) where M is small, so simply O(1). However for sorted set values the complexity is O(N*M*log(N)) because inserting values into sorted sets is O(log(N)).",
        handler: Some(restore),
        ..CommandSpec::DEFAULT
    },
    CommandSpec {
        name: "type",
        arguments: docs::TYPE,
        arity: 2,
        flags: flags::READONLY | flags::FAST,
        acl: acl::KEYSPACE,
        keys: &[KeySpec::single(1, keyflags::RO)],
        since: "1.0.0",
        summary: "Determines the type of value stored at a key.",
        handler: Some(type_),
        ..CommandSpec::DEFAULT
    },
    CommandSpec {
        name: "expire",
        history: docs::EXPIRE_FAMILY_HISTORY,
        arguments: docs::EXPIRE,
        arity: -3,
        flags: flags::WRITE | flags::FAST,
        acl: acl::KEYSPACE,
        keys: EXPIRE_KEYS,
        since: "1.0.0",
        summary: "Sets the expiration time of a key in seconds.",
        handler: Some(expire),
        ..CommandSpec::DEFAULT
    },
    CommandSpec {
        name: "pexpire",
        history: docs::EXPIRE_FAMILY_HISTORY,
        arguments: docs::PEXPIRE,
        arity: -3,
        flags: flags::WRITE | flags::FAST,
        acl: acl::KEYSPACE,
        keys: EXPIRE_KEYS,
        since: "2.6.0",
        summary: "Sets the expiration time of a key in milliseconds.",
        handler: Some(pexpire),
        ..CommandSpec::DEFAULT
    },
    CommandSpec {
        name: "expireat",
        history: docs::EXPIRE_FAMILY_HISTORY,
        arguments: docs::EXPIREAT,
        arity: -3,
        flags: flags::WRITE | flags::FAST,
        acl: acl::KEYSPACE,
        keys: EXPIRE_KEYS,
        since: "1.2.0",
        summary: "Sets the expiration time of a key to a Unix timestamp.",
        handler: Some(expireat),
        ..CommandSpec::DEFAULT
    },
    CommandSpec {
        name: "pexpireat",
        history: docs::EXPIRE_FAMILY_HISTORY,
        arguments: docs::PEXPIREAT,
        arity: -3,
        flags: flags::WRITE | flags::FAST,
        acl: acl::KEYSPACE,
        keys: EXPIRE_KEYS,
        since: "2.6.0",
        summary: "Sets the expiration time of a key to a Unix milliseconds timestamp.",
        handler: Some(pexpireat),
        ..CommandSpec::DEFAULT
    },
    CommandSpec {
        name: "ttl",
        history: docs::TTL_HISTORY,
        arguments: docs::TTL,
        arity: 2,
        flags: flags::READONLY | flags::FAST,
        acl: acl::KEYSPACE,
        keys: TTL_KEYS,
        since: "1.0.0",
        summary: "Returns the expiration time in seconds of a key.",
        tips: &["nondeterministic_output"],
        handler: Some(ttl),
        ..CommandSpec::DEFAULT
    },
    CommandSpec {
        name: "pttl",
        history: docs::PTTL_HISTORY,
        arguments: docs::PTTL,
        arity: 2,
        flags: flags::READONLY | flags::FAST,
        acl: acl::KEYSPACE,
        keys: TTL_KEYS,
        since: "2.6.0",
        summary: "Returns the expiration time in milliseconds of a key.",
        tips: &["nondeterministic_output"],
        handler: Some(pttl),
        ..CommandSpec::DEFAULT
    },
    CommandSpec {
        name: "expiretime",
        arguments: docs::EXPIRETIME,
        arity: 2,
        flags: flags::READONLY | flags::FAST,
        acl: acl::KEYSPACE,
        keys: TTL_KEYS,
        since: "7.0.0",
        summary: "Returns the expiration time of a key as a Unix timestamp in seconds.",
        handler: Some(expiretime),
        ..CommandSpec::DEFAULT
    },
    CommandSpec {
        name: "pexpiretime",
        arguments: docs::PEXPIRETIME,
        arity: 2,
        flags: flags::READONLY | flags::FAST,
        acl: acl::KEYSPACE,
        keys: TTL_KEYS,
        since: "7.0.0",
        summary: "Returns the expiration time of a key as a Unix timestamp in milliseconds.",
        handler: Some(pexpiretime),
        ..CommandSpec::DEFAULT
    },
    CommandSpec {
        name: "persist",
        arguments: docs::PERSIST,
        arity: 2,
        flags: flags::WRITE | flags::FAST,
        acl: acl::KEYSPACE,
        keys: EXPIRE_KEYS,
        since: "2.2.0",
        summary: "Removes the expiration time of a key.",
        handler: Some(persist),
        ..CommandSpec::DEFAULT
    },
    CommandSpec {
        name: "keys",
        arguments: docs::KEYS,
        arity: 2,
        flags: flags::READONLY,
        acl: acl::KEYSPACE | acl::DANGEROUS,
        since: "1.0.0",
        summary: "Returns every key name matching a pattern.",
        complexity: "O(N) with N being the number of keys in the database, under the assumption that the key names in the database and the given pattern have limited length.",
        tips: &["request_policy:all_shards", "nondeterministic_output_order"],
        handler: Some(keys),
        lock: LockScope::All,
        ..CommandSpec::DEFAULT
    },
    CommandSpec {
        name: "scan",
        history: docs::SCAN_HISTORY,
        arguments: docs::SCAN,
        arity: -2,
        flags: flags::READONLY,
        acl: acl::KEYSPACE,
        since: "2.8.0",
        summary: "Walks the key names of the database incrementally.",
        complexity: "O(1) for every call. O(N) for a complete iteration, including enough command calls for the cursor to return back to 0. N is the number of elements inside the collection.",
        // Redis 7.2 added response_policy:special (7.0 had only the first two).
        tips: &["nondeterministic_output", "request_policy:special", "response_policy:special"],
        handler: Some(scan),
        lock: LockScope::All,
        ..CommandSpec::DEFAULT
    },
    CommandSpec {
        name: "randomkey",
        arity: 1,
        flags: flags::READONLY,
        acl: acl::KEYSPACE,
        since: "1.0.0",
        summary: "Returns a random key name from the database.",
        // Redis 7.2 added response_policy:special (7.0 had only the other two).
        tips: &["request_policy:all_shards", "response_policy:special", "nondeterministic_output"],
        handler: Some(randomkey),
        lock: LockScope::All,
        ..CommandSpec::DEFAULT
    },
    CommandSpec {
        name: "rename",
        arguments: docs::RENAME,
        arity: 3,
        flags: flags::WRITE,
        acl: acl::KEYSPACE,
        keys: &[
            KeySpec::single(1, keyflags::RW | keyflags::ACCESS | keyflags::DELETE),
            KeySpec::single(2, keyflags::OW | keyflags::UPDATE),
        ],
        since: "1.0.0",
        summary: "Renames a key, overwriting the destination.",
        handler: Some(rename),
        ..CommandSpec::DEFAULT
    },
    CommandSpec {
        name: "renamenx",
        history: docs::RENAMENX_HISTORY,
        arguments: docs::RENAMENX,
        arity: 3,
        flags: flags::WRITE | flags::FAST,
        acl: acl::KEYSPACE,
        keys: &[
            KeySpec::single(1, keyflags::RW | keyflags::ACCESS | keyflags::DELETE),
            KeySpec::single(2, keyflags::OW | keyflags::INSERT),
        ],
        since: "1.0.0",
        summary: "Renames a key only when the new name does not exist.",
        handler: Some(renamenx),
        ..CommandSpec::DEFAULT
    },
    CommandSpec {
        name: "copy",
        arguments: docs::COPY,
        arity: -3,
        flags: flags::WRITE | flags::DENYOOM,
        acl: acl::KEYSPACE,
        keys: &[
            KeySpec::single(1, keyflags::RO | keyflags::ACCESS),
            KeySpec::single(2, keyflags::OW | keyflags::UPDATE),
        ],
        since: "6.2.0",
        summary: "Copies a key's value and TTL to a new key.",
        complexity: "O(N) worst case for collections, where N is the number of nested items. O(1) for string values.",
        handler: Some(copy),
        ..CommandSpec::DEFAULT
    },
    CommandSpec {
        name: "move",
        arguments: docs::MOVE,
        arity: 3,
        flags: flags::WRITE | flags::FAST,
        acl: acl::KEYSPACE,
        keys: &[KeySpec::single(1, keyflags::RW | keyflags::ACCESS | keyflags::UPDATE)],
        since: "1.0.0",
        summary: "Moves a key to another database.",
        handler: Some(move_),
        ..CommandSpec::DEFAULT
    },
    CommandSpec {
        name: "swapdb",
        arguments: docs::SWAPDB,
        arity: 3,
        flags: flags::WRITE | flags::FAST,
        acl: acl::KEYSPACE | acl::DANGEROUS,
        since: "4.0.0",
        summary: "Exchanges the contents of two databases.",
        complexity: "O(N) where N is the count of clients watching or blocking on keys from both databases.",
        handler: Some(swapdb),
        lock: LockScope::All,
        ..CommandSpec::DEFAULT
    },
    CommandSpec {
        name: "object",
        arity: -2,
        since: "2.2.3",
        summary: "A container for object introspection commands.",
        complexity: "Depends on subcommand.",
        subcommands: OBJECT_SUBCOMMANDS,
        ..CommandSpec::DEFAULT
    },
];

/// COMMAND DOCS arguments of DUMP and RESTORE (Redis 7.2's `dump.json`, `restore.json`).
mod dump_docs {
    use crate::spec::{argflags, Arg, ArgType};

    /// DUMP's arguments.
    pub(super) const DUMP: &[Arg] =
        &[Arg { name: "key", kind: ArgType::Key, key_spec_index: Some(0), ..Arg::DEFAULT }];

    /// RESTORE's history.
    pub(super) const RESTORE_HISTORY: &[(&str, &str)] = &[
        ("3.0.0", "Added the `REPLACE` modifier."),
        ("5.0.0", "Added the `ABSTTL` modifier."),
        ("5.0.0", "Added the `IDLETIME` and `FREQ` options."),
    ];

    /// RESTORE's arguments.
    pub(super) const RESTORE: &[Arg] = &[
        Arg { name: "key", kind: ArgType::Key, key_spec_index: Some(0), ..Arg::DEFAULT },
        Arg { name: "ttl", kind: ArgType::Integer, ..Arg::DEFAULT },
        Arg { name: "serialized-value", kind: ArgType::String, ..Arg::DEFAULT },
        Arg {
            name: "replace",
            kind: ArgType::PureToken,
            token: Some("REPLACE"),
            since: Some("3.0.0"),
            flags: argflags::OPTIONAL,
            ..Arg::DEFAULT
        },
        Arg {
            name: "absttl",
            kind: ArgType::PureToken,
            token: Some("ABSTTL"),
            since: Some("5.0.0"),
            flags: argflags::OPTIONAL,
            ..Arg::DEFAULT
        },
        Arg {
            name: "seconds",
            kind: ArgType::Integer,
            token: Some("IDLETIME"),
            since: Some("5.0.0"),
            flags: argflags::OPTIONAL,
            ..Arg::DEFAULT
        },
        Arg {
            name: "frequency",
            kind: ArgType::Integer,
            token: Some("FREQ"),
            since: Some("5.0.0"),
            flags: argflags::OPTIONAL,
            ..Arg::DEFAULT
        },
    ];
}
