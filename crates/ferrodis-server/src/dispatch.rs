//! Admission and execution of one command, in the order of Redis 7.2's `processCommand`.
//!
//! 1. Look the name up; unknown commands and subcommands get Redis's errors.
//! 2. Check the arity declared in the spec.
//! 3. Check authentication (`NOAUTH`) unless the spec says `no_auth`.
//! 4. Lock the shards the command's keys live in (or all of them), read the clock once.
//! 5. Run the handler, then record statistics, the slow log and the dirty counter.
//!
//! Later gates (MULTI queueing, ACL, OOM, pub/sub context, busy scripts) slot in between 3
//! and 4, all reading the same spec.

use crate::client::ClientState;
use crate::context::{Ctx, LockedShards};
use crate::errors::{show_arg, CommandError};
use crate::server::Shared;
use crate::spec::{flags, LockScope};
use crate::table::Entry;
use bytes::Bytes;
use ferrodis_keyspace::clock;
use ferrodis_resp::Reply;
use smallvec::SmallVec;
use std::sync::atomic::Ordering;
use std::time::Instant;

/// Executes `argv` for `client` and returns its reply.
pub fn execute(shared: &Shared, client: &mut ClientState, argv: &[Bytes]) -> Reply {
    let entry = match admit(shared, client, argv) {
        Ok(entry) => entry,
        Err((entry, err)) => {
            if let Some(entry) = entry {
                shared.table.stats[entry.id].rejected_calls.fetch_add(1, Ordering::Relaxed);
            }
            shared.stats.record_error(&err);
            return Reply::Error(err.to_string().into());
        }
    };
    run(shared, client, entry, argv)
}

/// Resolves the command and runs the gates that come before execution.
fn admit<'t>(
    shared: &'t Shared,
    client: &ClientState,
    argv: &[Bytes],
) -> Result<&'t Entry, (Option<&'t Entry>, CommandError)> {
    let table = &shared.table;
    let Some(entry) = table.get(&argv[0]) else {
        let mut args = Vec::new();
        let mut shown = 0;
        for a in &argv[1..] {
            if shown >= 128 {
                break;
            }
            let s = show_arg(&a[..a.len().min(128 - shown)]);
            shown += s.len() + 3;
            args.push(s);
        }
        return Err((None, CommandError::UnknownCommand { name: show_arg(&argv[0]), args }));
    };
    let entry = if entry.subcommands.is_empty() {
        entry
    } else if argv.len() < 2 {
        return Err((Some(entry), CommandError::WrongArity(entry.fullname.clone())));
    } else {
        match entry.subcommands.get(&argv[1].to_ascii_lowercase()) {
            Some(sub) => sub,
            None => {
                return Err((
                    Some(entry),
                    CommandError::UnknownSubcommand {
                        sub: show_arg(&argv[1]),
                        cmd: entry.spec.name.to_ascii_uppercase(),
                    },
                ))
            }
        }
    };
    if !entry.spec.arity_ok(argv.len()) {
        return Err((Some(entry), CommandError::WrongArity(entry.fullname.clone())));
    }
    if !client.authenticated && !entry.spec.has(flags::NO_AUTH) {
        return Err((Some(entry), CommandError::NoAuth));
    }
    Ok(entry)
}

/// Locks what the command needs and runs its handler.
fn run(shared: &Shared, client: &mut ClientState, entry: &Entry, argv: &[Bytes]) -> Reply {
    let spec = entry.spec;
    let Some(handler) = spec.handler else {
        return Reply::error(format!("ERR unknown subcommand. Try {} HELP.", spec.name.to_ascii_uppercase()));
    };
    let shards = match spec.lock {
        LockScope::All => LockedShards::lock_all(shared),
        LockScope::Keys if spec.keys.is_empty() => LockedShards::none(),
        LockScope::Keys => {
            let positions = spec.key_positions(argv);
            let indexes: SmallVec<[usize; 4]> =
                positions.iter().map(|&p| shared.keyspace.shard_of(&argv[p])).collect();
            LockedShards::lock(shared, indexes)
        }
    };
    client.last_cmd = Some(entry.id);
    let started = Instant::now();
    let now_ms = clock::now_ms();
    client.last_interaction_ms = now_ms;
    let mut ctx = Ctx { server: shared, client, shards, now_ms, dirty: 0 };
    let result = handler(&mut ctx, argv);
    let dirty = ctx.dirty;
    drop(ctx);
    let elapsed_us = started.elapsed().as_micros() as u64;
    let stats = &shared.table.stats[entry.id];
    stats.calls.fetch_add(1, Ordering::Relaxed);
    stats.usec.fetch_add(elapsed_us, Ordering::Relaxed);
    shared.stats.commands_processed.fetch_add(1, Ordering::Relaxed);
    if dirty > 0 {
        shared.stats.dirty.fetch_add(dirty, Ordering::Relaxed);
    }
    if !spec.has(flags::SKIP_SLOWLOG) {
        shared.slowlog.record(elapsed_us, argv, client);
    }
    match result {
        Ok(reply) => {
            if let Reply::Error(text) = &reply {
                stats.failed_calls.fetch_add(1, Ordering::Relaxed);
                shared.stats.record_error_text(text);
            }
            reply
        }
        Err(err) => {
            stats.failed_calls.fetch_add(1, Ordering::Relaxed);
            shared.stats.record_error(&err);
            Reply::Error(err.to_string().into())
        }
    }
}
