//! Transaction commands: MULTI, EXEC, DISCARD, WATCH, UNWATCH, after Redis 7.2's
//! `src/multi.c` and the command pages under <https://redis.io/commands/>. Queueing happens
//! in dispatch (see [`crate::multi`]); EXEC holds the shards of all its commands' keys (every
//! shard if one of them needs it) while they run, so a transaction is atomic and isolated whichever threads and shards its keys live on.

use crate::commands::docs;
use crate::context::Ctx;
use crate::dispatch;
use crate::errors::CommandError;
use crate::multi::{MultiState, WatchedKey};
use crate::spec::{
    acl, flags, keyflags, BeginSearch, CommandSpec, FindKeys, Group, KeySpec, LockScope,
};
use bytes::Bytes;
use ferrodis_resp::Reply;
use std::sync::atomic::Ordering;

/// MULTI — `OK`; later commands are queued until EXEC or DISCARD. Errors: `ERR MULTI calls
/// can not be nested` (the open transaction is kept).
pub fn multi(ctx: &mut Ctx<'_>, _argv: &[Bytes]) -> Result<Reply, CommandError> {
    if ctx.client.multi.is_some() {
        return Err(CommandError::custom("ERR MULTI calls can not be nested"));
    }
    ctx.client.multi = Some(MultiState::default());
    Ok(Reply::OK)
}

/// Forgets the client's watched keys and the dirty mark (Redis's `unwatchAllKeys` plus
/// clearing `CLIENT_DIRTY_CAS`). Returns the keys it watched.
pub fn unwatch_all(ctx: &mut Ctx<'_>) -> Vec<WatchedKey> {
    let watched = std::mem::take(&mut ctx.client.watched);
    ctx.server.watches.unwatch(ctx.client.id, &watched);
    watched
}

/// EXEC — an array with the reply of each queued command (a command that fails answers its
/// error in its slot; the others still run), or a null array (RESP2 `*-1`, RESP3 `_`) when a
/// watched key was modified or expired since WATCH. Errors: `ERR EXEC without MULTI`,
/// `EXECABORT Transaction discarded because of previous errors.` when queueing failed.
/// Blocking commands inside answer as their non-blocking forms.
pub fn exec(ctx: &mut Ctx<'_>, _argv: &[Bytes]) -> Result<Reply, CommandError> {
    let Some(multi) = ctx.client.multi.take() else {
        return Err(CommandError::custom("ERR EXEC without MULTI"));
    };
    let watched = unwatch_all(ctx);
    let dirty_cas = ctx.client.handle.dirty_cas.swap(false, Ordering::AcqRel);
    if multi.aborted {
        return Err(CommandError::custom(
            "EXECABORT Transaction discarded because of previous errors.",
        ));
    }
    let now = ctx.now_ms;
    let mut changed = dirty_cas;
    for w in watched.iter().filter(|w| w.existed) {
        if !ctx.db_at(w.db, &w.key)?.exists(&w.key, now) {
            changed = true; // expired (or went away unnoticed) since WATCH
        }
    }
    if changed {
        return Ok(Reply::NullArray);
    }
    let deny_blocking = std::mem::replace(&mut ctx.client.deny_blocking, true);
    let mut replies = Vec::with_capacity(multi.queued.len());
    for argv in &multi.queued {
        let reply = match dispatch::lookup(ctx.server, argv) {
            Ok(entry) => dispatch::run_nested(ctx, entry, argv),
            Err(err) => Reply::Error(err.to_string().into()),
        };
        replies.push(reply);
    }
    ctx.client.deny_blocking = deny_blocking;
    Ok(Reply::Array(replies))
}

/// DISCARD — `OK`; drops the queued commands and unwatches every key. Errors: `ERR DISCARD
/// without MULTI`.
pub fn discard(ctx: &mut Ctx<'_>, _argv: &[Bytes]) -> Result<Reply, CommandError> {
    if ctx.client.multi.take().is_none() {
        return Err(CommandError::custom("ERR DISCARD without MULTI"));
    }
    unwatch_all(ctx);
    ctx.client.handle.dirty_cas.store(false, Ordering::Release);
    Ok(Reply::OK)
}

/// WATCH key [key ...] — `OK`; the next EXEC fails if any of the keys is written (or
/// expires) before it. Errors: `ERR WATCH inside MULTI is not allowed`.
pub fn watch(ctx: &mut Ctx<'_>, argv: &[Bytes]) -> Result<Reply, CommandError> {
    if ctx.client.multi.is_some() {
        return Err(CommandError::custom("ERR WATCH inside MULTI is not allowed"));
    }
    let (db, now) = (ctx.client.db, ctx.now_ms);
    for key in &argv[1..] {
        if ctx.client.watched.iter().any(|w| w.db == db && w.key == *key) {
            continue;
        }
        let existed = ctx.db(key)?.exists(key, now);
        ctx.server.watches.watch(&ctx.client.handle, db, key);
        ctx.client.watched.push(WatchedKey { db, key: key.clone(), existed });
    }
    Ok(Reply::OK)
}

/// UNWATCH — `OK`; forgets every watched key.
pub fn unwatch(ctx: &mut Ctx<'_>, _argv: &[Bytes]) -> Result<Reply, CommandError> {
    unwatch_all(ctx);
    ctx.client.handle.dirty_cas.store(false, Ordering::Release);
    Ok(Reply::OK)
}

/// The transaction commands (group `transactions`).
pub static SPECS: &[CommandSpec] = &[
    CommandSpec {
        name: "multi",
        arity: 1,
        flags: flags::NOSCRIPT | flags::LOADING | flags::STALE | flags::FAST | flags::ALLOW_BUSY,
        acl: acl::TRANSACTION,
        group: Group::Transactions,
        since: "1.2.0",
        summary: "Starts a transaction.",
        complexity: "O(1)",
        handler: Some(multi),
        ..CommandSpec::DEFAULT
    },
    CommandSpec {
        name: "exec",
        arity: 1,
        flags: flags::NOSCRIPT | flags::LOADING | flags::STALE | flags::SKIP_SLOWLOG,
        acl: acl::TRANSACTION,
        group: Group::Transactions,
        since: "1.2.0",
        summary: "Executes all commands in a transaction.",
        complexity: "Depends on commands in the transaction",
        handler: Some(exec),
        lock: LockScope::Transaction,
        ..CommandSpec::DEFAULT
    },
    CommandSpec {
        name: "discard",
        arity: 1,
        flags: flags::NOSCRIPT | flags::LOADING | flags::STALE | flags::FAST | flags::ALLOW_BUSY,
        acl: acl::TRANSACTION,
        group: Group::Transactions,
        since: "2.0.0",
        summary: "Discards a transaction.",
        complexity: "O(N), when N is the number of queued commands",
        handler: Some(discard),
        ..CommandSpec::DEFAULT
    },
    CommandSpec {
        name: "watch",
        arguments: docs::WATCH,
        arity: -2,
        flags: flags::NOSCRIPT | flags::LOADING | flags::STALE | flags::FAST | flags::ALLOW_BUSY,
        acl: acl::TRANSACTION,
        keys: &[KeySpec {
            flags: keyflags::RO,
            notes: None,
            begin: BeginSearch::Index(1),
            find: FindKeys::Range { lastkey: -1, keystep: 1, limit: 0 },
        }],
        group: Group::Transactions,
        since: "2.2.0",
        summary: "Monitors changes to keys to determine the execution of a transaction.",
        complexity: "O(1) for every key.",
        handler: Some(watch),
        ..CommandSpec::DEFAULT
    },
    CommandSpec {
        name: "unwatch",
        arity: 1,
        flags: flags::NOSCRIPT | flags::LOADING | flags::STALE | flags::FAST | flags::ALLOW_BUSY,
        acl: acl::TRANSACTION,
        group: Group::Transactions,
        since: "2.2.0",
        summary: "Forgets about watched keys of a transaction.",
        complexity: "O(1)",
        handler: Some(unwatch),
        ..CommandSpec::DEFAULT
    },
];
