//! Generic key commands: existence, deletion, types and TTLs.
//!
//! Semantics follow <https://redis.io/commands/> and Redis 7.2's `src/db.c` and
//! `src/expire.c`. TTL arguments are seconds for EXPIRE/EXPIREAT/TTL and milliseconds for the
//! P-variants.

use crate::args;
use crate::context::Ctx;
use crate::errors::CommandError;
use crate::spec::{acl, flags, keyflags, CommandSpec, KeySpec};
use bytes::Bytes;
use ferrodis_resp::Reply;

/// DEL key [key ...] — number of keys removed.
pub fn del(ctx: &mut Ctx<'_>, argv: &[Bytes]) -> Result<Reply, CommandError> {
    let now = ctx.now_ms;
    let db_index = ctx.client.db;
    let mut removed = 0;
    for key in &argv[1..] {
        if ctx.db(key)?.remove(key, now).is_some() {
            ctx.signal_modified(db_index, key);
            removed += 1;
        }
    }
    Ok(Reply::Integer(removed))
}

/// EXISTS key [key ...] — number of arguments that name existing keys (a key named twice
/// counts twice).
pub fn exists(ctx: &mut Ctx<'_>, argv: &[Bytes]) -> Result<Reply, CommandError> {
    let now = ctx.now_ms;
    let mut count = 0;
    for key in &argv[1..] {
        if ctx.db(key)?.exists(key, now) {
            count += 1;
        }
    }
    Ok(Reply::Integer(count))
}

/// TYPE key — status reply with the type name, `none` for a missing key.
pub fn type_(ctx: &mut Ctx<'_>, argv: &[Bytes]) -> Result<Reply, CommandError> {
    let now = ctx.now_ms;
    let name = match ctx.db(&argv[1])?.lookup(&argv[1], now) {
        Some(e) => e.value.value_type().name(),
        None => "none",
    };
    Ok(Reply::status(name))
}

/// Options of the EXPIRE family (Redis 7.0+).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ExpireCondition {
    Always,
    Nx,
    Xx,
    Gt,
    Lt,
}

fn parse_expire_condition(argv: &[Bytes]) -> Result<ExpireCondition, CommandError> {
    let (mut nx, mut xx, mut gt, mut lt) = (false, false, false, false);
    for opt in &argv[3..] {
        if args::is(opt, "nx") {
            nx = true;
        } else if args::is(opt, "xx") {
            xx = true;
        } else if args::is(opt, "gt") {
            gt = true;
        } else if args::is(opt, "lt") {
            lt = true;
        } else {
            return Err(CommandError::custom(format!(
                "ERR Unsupported option {}",
                String::from_utf8_lossy(opt)
            )));
        }
    }
    if nx && (xx || gt || lt) {
        return Err(CommandError::custom(
            "ERR NX and XX, GT or LT options at the same time are not compatible",
        ));
    }
    if gt && lt {
        return Err(CommandError::custom("ERR GT and LT options at the same time are not compatible"));
    }
    Ok(if nx {
        ExpireCondition::Nx
    } else if gt {
        // XX combined with GT/LT: GT/LT already imply an existing TTL for GT; XX adds nothing
        // more than requiring a TTL, which is checked below.
        ExpireCondition::Gt
    } else if lt {
        ExpireCondition::Lt
    } else if xx {
        ExpireCondition::Xx
    } else {
        ExpireCondition::Always
    })
}

/// Shared body of EXPIRE, PEXPIRE, EXPIREAT and PEXPIREAT (Redis's `expireGenericCommand`).
/// `relative` adds the command time; `unit_secs` multiplies by 1000.
fn expire_generic(ctx: &mut Ctx<'_>, argv: &[Bytes], relative: bool, unit_secs: bool) -> Result<Reply, CommandError> {
    let cmd = String::from_utf8_lossy(&argv[0]).to_ascii_lowercase();
    let mut when = args::int(&argv[2])?;
    let condition = parse_expire_condition(argv)?;
    let xx_too = argv[3..].iter().any(|o| args::is(o, "xx"));
    let invalid = || CommandError::InvalidExpireTime(cmd.clone());
    if unit_secs {
        if when > i64::MAX / 1000 || when < i64::MIN / 1000 {
            return Err(invalid());
        }
        when *= 1000;
    }
    let base = if relative { ctx.now_ms as i64 } else { 0 };
    if when > i64::MAX - base {
        return Err(invalid());
    }
    when += base;
    let now = ctx.now_ms;
    let db_index = ctx.client.db;
    let key = &argv[1];
    let db = ctx.db(key)?;
    let Some(entry) = db.lookup_mut(key, now) else { return Ok(Reply::Integer(0)) };
    let current = entry.expire_at_ms().map(|t| t as i64);
    let allowed = match condition {
        ExpireCondition::Always => true,
        ExpireCondition::Nx => current.is_none(),
        ExpireCondition::Xx => current.is_some(),
        ExpireCondition::Gt => matches!(current, Some(c) if when > c),
        ExpireCondition::Lt => match current {
            None => !xx_too,
            Some(c) => when < c,
        },
    };
    if !allowed {
        return Ok(Reply::Integer(0));
    }
    if when <= now as i64 {
        db.remove(key, now);
    } else {
        db.set_expire(key, when as u64, now);
    }
    ctx.signal_modified(db_index, key);
    Ok(Reply::Integer(1))
}

/// EXPIRE key seconds [NX | XX | GT | LT] — 1 when the TTL was set (or the key deleted by a
/// TTL in the past), 0 when the key is missing or the condition failed.
pub fn expire(ctx: &mut Ctx<'_>, argv: &[Bytes]) -> Result<Reply, CommandError> {
    expire_generic(ctx, argv, true, true)
}

/// PEXPIRE key milliseconds [NX | XX | GT | LT].
pub fn pexpire(ctx: &mut Ctx<'_>, argv: &[Bytes]) -> Result<Reply, CommandError> {
    expire_generic(ctx, argv, true, false)
}

/// EXPIREAT key unix-time-seconds [NX | XX | GT | LT].
pub fn expireat(ctx: &mut Ctx<'_>, argv: &[Bytes]) -> Result<Reply, CommandError> {
    expire_generic(ctx, argv, false, true)
}

/// PEXPIREAT key unix-time-milliseconds [NX | XX | GT | LT].
pub fn pexpireat(ctx: &mut Ctx<'_>, argv: &[Bytes]) -> Result<Reply, CommandError> {
    expire_generic(ctx, argv, false, false)
}

/// Shared body of TTL and PTTL: -2 missing, -1 no TTL, else the remaining time (seconds
/// rounded to nearest, or milliseconds).
fn ttl_generic(ctx: &mut Ctx<'_>, argv: &[Bytes], ms: bool) -> Result<Reply, CommandError> {
    let now = ctx.now_ms;
    let Some(entry) = ctx.db(&argv[1])?.lookup_read(&argv[1], now) else { return Ok(Reply::Integer(-2)) };
    let Some(at) = entry.expire_at_ms() else { return Ok(Reply::Integer(-1)) };
    let left = at.saturating_sub(now) as i64;
    Ok(Reply::Integer(if ms { left } else { (left + 500) / 1000 }))
}

/// TTL key — seconds to live, -1 without TTL, -2 when missing.
pub fn ttl(ctx: &mut Ctx<'_>, argv: &[Bytes]) -> Result<Reply, CommandError> {
    ttl_generic(ctx, argv, false)
}

/// PTTL key — milliseconds to live, -1 without TTL, -2 when missing.
pub fn pttl(ctx: &mut Ctx<'_>, argv: &[Bytes]) -> Result<Reply, CommandError> {
    ttl_generic(ctx, argv, true)
}

/// PERSIST key — 1 when a TTL was removed, 0 otherwise.
pub fn persist(ctx: &mut Ctx<'_>, argv: &[Bytes]) -> Result<Reply, CommandError> {
    let now = ctx.now_ms;
    let db_index = ctx.client.db;
    let removed = ctx.db(&argv[1])?.persist(&argv[1], now);
    if removed {
        ctx.signal_modified(db_index, &argv[1]);
    }
    Ok(Reply::Integer(i64::from(removed)))
}

const EXPIRE_KEYS: &[KeySpec] = &[KeySpec::single(1, keyflags::RW | keyflags::UPDATE)];
const TTL_KEYS: &[KeySpec] = &[KeySpec::single(1, keyflags::RO | keyflags::ACCESS)];

/// The generic (keys) family.
pub static SPECS: &[CommandSpec] = &[
    CommandSpec {
        name: "del",
        arity: -2,
        flags: flags::WRITE,
        acl: acl::KEYSPACE,
        keys: &[KeySpec::range_to_end(1, 1, keyflags::RM | keyflags::DELETE)],
        since: "1.0.0",
        summary: "Deletes one or more keys.",
        complexity: "O(N) where N is the number of keys that will be removed.",
        tips: &["request_policy:multi_shard", "response_policy:agg_sum"],
        handler: Some(del),
        ..CommandSpec::DEFAULT
    },
    CommandSpec {
        name: "exists",
        arity: -2,
        flags: flags::READONLY | flags::FAST,
        acl: acl::KEYSPACE,
        keys: &[KeySpec::range_to_end(1, 1, keyflags::RO)],
        since: "1.0.0",
        summary: "Determines whether one or more keys exist.",
        complexity: "O(N) where N is the number of keys to check.",
        tips: &["request_policy:multi_shard", "response_policy:agg_sum"],
        handler: Some(exists),
        ..CommandSpec::DEFAULT
    },
    CommandSpec {
        name: "type",
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
        name: "persist",
        arity: 2,
        flags: flags::WRITE | flags::FAST,
        acl: acl::KEYSPACE,
        keys: EXPIRE_KEYS,
        since: "2.2.0",
        summary: "Removes the expiration time of a key.",
        handler: Some(persist),
        ..CommandSpec::DEFAULT
    },
];
