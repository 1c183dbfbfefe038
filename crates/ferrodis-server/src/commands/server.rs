//! Server commands: DBSIZE, FLUSHDB, FLUSHALL, INFO, SHUTDOWN, TIME, LASTSAVE.
//!
//! Semantics follow <https://redis.io/commands/> and Redis 7.2's `src/server.c` and
//! `src/db.c`.

use crate::args;
use crate::commands::docs;
use crate::context::Ctx;
use crate::errors::CommandError;
use crate::spec::{acl, flags, CommandSpec, Group, LockScope};
use bytes::Bytes;
use ferrodis_resp::Reply;

/// DBSIZE — number of keys in the selected database.
pub fn dbsize(ctx: &mut Ctx<'_>, _argv: &[Bytes]) -> Result<Reply, CommandError> {
    let db = ctx.client.db;
    let total: usize = ctx.shards.iter_mut().map(|s| s.db(db).len()).sum();
    Ok(Reply::Integer(total as i64))
}

/// Parses the optional ASYNC/SYNC argument of FLUSHDB/FLUSHALL: true for ASYNC (without an
/// argument the flush is synchronous, `lazyfree-lazy-user-flush no`).
fn parse_flush_mode(argv: &[Bytes]) -> Result<bool, CommandError> {
    match argv.len() {
        1 => Ok(false),
        2 if args::is(&argv[1], "async") => Ok(true),
        2 if args::is(&argv[1], "sync") => Ok(false),
        _ => Err(CommandError::Syntax),
    }
}

/// After a synchronous flush, the freed pages go back to the system at once, as Redis 7.2's
/// `flushAllDataAndResetRDB` and `flushdbCommand` call `jemalloc_purge` (jemalloc would
/// otherwise keep them until its decay time, and without traffic, longer).
fn purge_after_flush(is_async: bool) {
    if !is_async {
        crate::memory::purge();
    }
}

/// FLUSHDB [ASYNC | SYNC] — `OK` after removing every key of the selected database.
pub fn flushdb(ctx: &mut Ctx<'_>, argv: &[Bytes]) -> Result<Reply, CommandError> {
    let is_async = parse_flush_mode(argv)?;
    let db = ctx.client.db;
    ctx.touch_watched_in_db(db, None);
    let mut removed = 0;
    for shard in ctx.shards.iter_mut() {
        removed += shard.db(db).len() as u64;
        shard.db(db).clear();
    }
    ctx.add_dirty(removed);
    ctx.server.tracking.invalidate_all(ctx.server);
    purge_after_flush(is_async);
    Ok(Reply::OK)
}

/// FLUSHALL [ASYNC | SYNC] — `OK` after removing every key of every database.
pub fn flushall(ctx: &mut Ctx<'_>, argv: &[Bytes]) -> Result<Reply, CommandError> {
    let is_async = parse_flush_mode(argv)?;
    for db in 0..ctx.server.keyspace.databases() {
        ctx.touch_watched_in_db(db, None);
    }
    let mut removed = 0;
    for shard in ctx.shards.iter_mut() {
        for db in shard.dbs.iter_mut() {
            removed += db.len() as u64;
            db.clear();
        }
    }
    ctx.add_dirty(removed.max(1));
    ctx.server.tracking.invalidate_all(ctx.server);
    purge_after_flush(is_async);
    Ok(Reply::OK)
}

/// INFO [section [section ...]] — a bulk string (RESP3: verbatim `txt`) of `field:value`
/// lines grouped under `# Section` headers.
pub fn info(ctx: &mut Ctx<'_>, argv: &[Bytes]) -> Result<Reply, CommandError> {
    let text = crate::info::render(ctx, &argv[1..]);
    Ok(Reply::Verbatim("txt", Bytes::from(text)))
}

/// SHUTDOWN [NOSAVE | SAVE] [NOW] [FORCE] [ABORT] — no reply on success: the server exits.
pub fn shutdown(ctx: &mut Ctx<'_>, argv: &[Bytes]) -> Result<Reply, CommandError> {
    for opt in &argv[1..] {
        if !(args::is(opt, "nosave")
            || args::is(opt, "save")
            || args::is(opt, "now")
            || args::is(opt, "force")
            || args::is(opt, "abort"))
        {
            return Err(CommandError::Syntax);
        }
    }
    let has = |name: &str| argv[1..].iter().any(|o| args::is(o, name));
    let abort = has("abort");
    // Redis refuses contradictory combinations: ABORT with anything, NOSAVE with SAVE.
    if (abort && argv[1..].iter().any(|o| !args::is(o, "abort"))) || (has("nosave") && has("save"))
    {
        return Err(CommandError::Syntax);
    }
    if abort {
        return Err(CommandError::custom("ERR No shutdown in progress."));
    }
    ctx.server.request_shutdown();
    ctx.client.close_after_reply = true;
    ctx.client.reply_mode = crate::client::ReplyMode::Skip;
    Ok(Reply::OK)
}

/// TIME — the server clock as two bulk strings: Unix seconds and the microseconds within
/// the second.
pub fn time(_ctx: &mut Ctx<'_>, _argv: &[Bytes]) -> Result<Reply, CommandError> {
    let us = ferrodis_keyspace::clock::now_us();
    Ok(Reply::Array(vec![
        Reply::bulk_int((us / 1_000_000) as i64),
        Reply::bulk_int((us % 1_000_000) as i64),
    ]))
}

/// LASTSAVE — Unix seconds of the last successful save (integer); the start time until a
/// save happens.
pub fn lastsave(ctx: &mut Ctx<'_>, _argv: &[Bytes]) -> Result<Reply, CommandError> {
    Ok(Reply::Integer((ctx.server.started_ms / 1000) as i64))
}

/// The server family.
pub static SPECS: &[CommandSpec] = &[
    CommandSpec {
        name: "dbsize",
        arity: 1,
        flags: flags::READONLY | flags::FAST,
        acl: acl::KEYSPACE,
        group: Group::Server,
        since: "1.0.0",
        summary: "Returns the number of keys in the database.",
        tips: &["request_policy:all_shards", "response_policy:agg_sum"],
        lock: LockScope::All,
        handler: Some(dbsize),
        ..CommandSpec::DEFAULT
    },
    CommandSpec {
        name: "flushdb",
        history: docs::FLUSH_HISTORY,
        arguments: docs::FLUSH,
        arity: -1,
        flags: flags::WRITE,
        acl: acl::KEYSPACE | acl::DANGEROUS,
        group: Group::Server,
        since: "1.0.0",
        summary: "Removes all keys from the current database.",
        complexity: "O(N) where N is the number of keys in the selected database",
        tips: &["request_policy:all_shards", "response_policy:all_succeeded"],
        lock: LockScope::All,
        handler: Some(flushdb),
        ..CommandSpec::DEFAULT
    },
    CommandSpec {
        name: "flushall",
        history: docs::FLUSH_HISTORY,
        arguments: docs::FLUSH,
        arity: -1,
        flags: flags::WRITE,
        acl: acl::KEYSPACE | acl::DANGEROUS,
        group: Group::Server,
        since: "1.0.0",
        summary: "Removes all keys from all databases.",
        complexity: "O(N) where N is the total number of keys in all databases",
        tips: &["request_policy:all_shards", "response_policy:all_succeeded"],
        lock: LockScope::All,
        handler: Some(flushall),
        ..CommandSpec::DEFAULT
    },
    CommandSpec {
        name: "info",
        history: docs::INFO_HISTORY,
        arguments: docs::INFO,
        arity: -1,
        flags: flags::LOADING | flags::STALE,
        acl: acl::DANGEROUS,
        group: Group::Server,
        since: "1.0.0",
        summary: "Returns information and statistics about the server.",
        tips: &["nondeterministic_output", "request_policy:all_shards", "response_policy:special"],
        lock: LockScope::All,
        handler: Some(info),
        ..CommandSpec::DEFAULT
    },
    CommandSpec {
        name: "shutdown",
        history: docs::SHUTDOWN_HISTORY,
        arguments: docs::SHUTDOWN,
        arity: -1,
        flags: flags::ADMIN | flags::NOSCRIPT | flags::LOADING | flags::STALE | flags::NO_MULTI | flags::ALLOW_BUSY,
        group: Group::Server,
        since: "1.0.0",
        summary: "Synchronously saves the database(s) to disk and shuts down the Redis server.",
        complexity: "O(N) when saving, where N is the total number of keys in all databases when saving data, otherwise O(1)",
        handler: Some(shutdown),
        ..CommandSpec::DEFAULT
    },
    CommandSpec {
        name: "time",
        arity: 1,
        flags: flags::LOADING | flags::STALE | flags::FAST,
        group: Group::Server,
        since: "2.6.0",
        summary: "Returns the server time.",
        tips: &["nondeterministic_output"],
        handler: Some(time),
        ..CommandSpec::DEFAULT
    },
    CommandSpec {
        name: "lastsave",
        arity: 1,
        flags: flags::LOADING | flags::STALE | flags::FAST,
        acl: acl::ADMIN | acl::DANGEROUS,
        group: Group::Server,
        since: "1.0.0",
        summary: "Returns the Unix time of the last successful save to disk.",
        tips: &["nondeterministic_output"],
        handler: Some(lastsave),
        ..CommandSpec::DEFAULT
    },
];
