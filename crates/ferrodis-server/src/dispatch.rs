//! Admission and execution of one command, in the order of Redis 7.2's `processCommand`.
//!
//! 1. Look the name up; unknown commands and subcommands get Redis's errors.
//! 2. Check the arity declared in the spec.
//! 3. Refuse DEBUG unless `enable-debug-command` allows it (Redis's protected commands).
//! 4. Check authentication (`NOAUTH`) unless the spec says `no_auth`.
//! 5. CLIENT PAUSE: a paused command is not refused but postponed; the connection asks
//!    [`pause_deadline`] before [`execute`] and waits (asynchronously) until the pause ends.
//! 6. Lock the shards the command's keys live in (or all of them), read the clock once.
//! 7. Run the handler, then record what Redis's `call()` records: command statistics and
//!    the latency histogram (INFO commandstats/latencystats), the slow log, the latency
//!    monitor (`command` / `fast-command` events), the dirty counter, and the MONITOR feed.
//!
//! 4b. A RESP2 client with subscriptions may only run the pub/sub (un)subscribe commands,
//!    PING, QUIT and RESET (Redis's pub/sub context check).
//!
//! Later gates (MULTI queueing, ACL, OOM, busy scripts) slot in between 4 and 5, all
//! reading the same spec.

use crate::blocking::UnblockReason;
use crate::client::{Blocked, ClientState};
use crate::context::{Ctx, LockedShards};
use crate::errors::{show_arg, CommandError};
use crate::server::Shared;
use crate::spec::{flags, CommandSpec, LockScope};
use crate::table::Entry;
use bytes::Bytes;
use ferrodis_keyspace::clock;
use ferrodis_resp::{Reply, RespVersion};
use smallvec::SmallVec;
use std::borrow::Cow;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

/// Redis 7.2's refusal of DEBUG when `enable-debug-command` does not allow the client.
pub const DEBUG_NOT_ALLOWED: &str = "ERR DEBUG command not allowed. If the enable-debug-command option is set to \"local\", you can run it from a local connection, otherwise you need to set this option in the configuration file, and then restart the server.";

/// Executes `argv` for `client` and returns its reply.
pub fn execute(shared: &Shared, client: &mut ClientState, argv: &[Bytes]) -> Reply {
    let reply = execute_command(shared, client, argv);
    if let Some(tracking) = client.tracking.as_mut() {
        // CLIENT CACHING applies to the next command only; commands queued by MULTI and
        // CLIENT itself keep it (Redis's `resetClient`).
        if client.multi.is_none() && !argv[0].eq_ignore_ascii_case(b"client") {
            tracking.caching = false;
        }
    }
    // Keys written by this command, for BCAST tracking clients (Redis sends them in
    // `beforeSleep`).
    shared.tracking.broadcast(shared);
    reply
}

/// Remembers the keys of a read-only command for the client's tracking (Redis's
/// `trackingRememberKeys`, called from `call()` for the command itself and for the commands
/// a script or transaction runs for it; EVAL_RO and friends only through those).
fn track_reads(shared: &Shared, client: &ClientState, spec: &CommandSpec, argv: &[Bytes]) {
    let Some(tracking) = client.tracking else { return };
    if !tracking.remembers()
        || !spec.has(flags::READONLY)
        || spec.has(flags::PUBSUB)
        || matches!(spec.name, "eval_ro" | "evalsha_ro" | "fcall_ro")
    {
        return;
    }
    let positions = spec.key_positions(argv);
    if positions.is_empty() {
        return;
    }
    let keys: SmallVec<[&[u8]; 4]> = positions.iter().map(|&p| &argv[p][..]).collect();
    let max_keys = shared.settings.read().tracking_table_max_keys;
    shared.tracking.remember(shared, client.id, &keys, max_keys);
}

/// [`execute`] without the end-of-command tracking work.
fn execute_command(shared: &Shared, client: &mut ClientState, argv: &[Bytes]) -> Reply {
    let admitted = admit(shared, client, argv);
    if let Some(multi) = client.multi.as_mut() {
        match &admitted {
            // A refused command marks the transaction: EXEC will answer EXECABORT.
            Err(_) => multi.aborted = true,
            Ok(entry) if !is_transaction_control(entry) => {
                if entry.spec.has(flags::NO_MULTI) {
                    multi.aborted = true;
                    let err = CommandError::custom("ERR Command not allowed inside a transaction");
                    shared.stats.record_error(&err);
                    return Reply::Error(err.to_string().into());
                }
                multi.queued.push(argv.to_vec());
                return Reply::status("QUEUED");
            }
            Ok(_) => {}
        }
    }
    let entry = match admitted {
        Ok(entry) => entry,
        Err((entry, err)) => {
            // An unknown subcommand has no command to charge (Redis 7.2's
            // `commandCheckExistence` leaves `c->cmd` NULL): only known commands count.
            if let Some(entry) =
                entry.filter(|_| !matches!(err, CommandError::UnknownSubcommand { .. }))
            {
                shared.table.stats[entry.id].rejected_calls.fetch_add(1, Ordering::Relaxed);
            }
            let err = match entry {
                // A refused EXEC discards the transaction and says why (Redis's
                // `execCommandAbort`): `EXECABORT Transaction discarded because of: <error>`,
                // the error without its `ERR ` (other prefixes such as NOAUTH stay).
                Some(e) if e.fullname == "exec" => {
                    if client.multi.take().is_some() {
                        shared.watches.unwatch(client.id, &client.watched);
                        client.watched.clear();
                        client.handle.dirty_cas.store(false, Ordering::Release);
                    }
                    let text = err.to_string();
                    let why = text.strip_prefix("ERR ").unwrap_or(&text);
                    CommandError::custom(format!(
                        "EXECABORT Transaction discarded because of: {why}"
                    ))
                }
                _ => err,
            };
            shared.stats.record_error(&err);
            return Reply::Error(err.to_string().into());
        }
    };
    run(shared, client, entry, argv)
}

/// When a CLIENT PAUSE holds this command, the Unix millisecond at which the pause ends
/// (the connection waits, then asks again: the pause may have been extended or lifted).
/// Commands that admission would refuse are not held: their error is immediate, as in Redis
/// where the pause check comes after the other gates.
pub fn pause_deadline(shared: &Shared, client: &ClientState, argv: &[Bytes]) -> Option<u64> {
    let until = shared.stats.pause_until_ms.load(Ordering::Acquire);
    if until == 0 {
        return None;
    }
    let now = clock::now_ms();
    if until <= now {
        return None;
    }
    let write_only = shared.stats.pause_write_only.load(Ordering::Acquire);
    let entry = admit(shared, client, argv).ok()?;
    if client.multi.is_some() && !is_transaction_control(entry) {
        return None; // queued, not executed: only EXEC waits
    }
    if !write_only || is_may_replicate(entry) {
        Some(until)
    } else {
        None
    }
}

/// True for commands a write pause holds: writes and commands that may replicate (Redis's
/// `is_may_replicate_command`). EXEC is held too because its queued commands are not
/// visible here; a read-only transaction therefore also waits for a write pause to end.
fn is_may_replicate(entry: &Entry) -> bool {
    entry.spec.has(flags::WRITE | flags::MAY_REPLICATE) || entry.fullname == "exec"
}

/// Starts or extends a pause (CLIENT PAUSE): the end is the later of the current and the
/// new one; the mode is replaced, as Redis's `pauseActions` does.
pub fn pause_clients(shared: &Shared, until_ms: u64, write_only: bool) {
    let mut pause = shared.pause.lock();
    let end = match *pause {
        Some((current, _)) if current > until_ms => current,
        _ => until_ms,
    };
    *pause = Some((end, write_only));
    shared.stats.pause_write_only.store(write_only, Ordering::Release);
    shared.stats.pause_until_ms.store(end, Ordering::Release);
}

/// Ends a pause (CLIENT UNPAUSE).
pub fn unpause_clients(shared: &Shared) {
    let mut pause = shared.pause.lock();
    *pause = None;
    shared.stats.pause_until_ms.store(0, Ordering::Release);
}

/// Resolves the command and runs the gates that come before execution.
fn admit<'t>(
    shared: &'t Shared,
    client: &ClientState,
    argv: &[Bytes],
) -> Result<&'t Entry, (Option<&'t Entry>, CommandError)> {
    let entry = resolve(shared, argv)?;
    if entry.fullname == "debug" && !debug_allowed(shared, client) {
        return Err((Some(entry), CommandError::custom(DEBUG_NOT_ALLOWED)));
    }
    if !client.authenticated && !entry.spec.has(flags::NO_AUTH) {
        return Err((Some(entry), CommandError::NoAuth));
    }
    if client.resp == RespVersion::Resp2
        && client.pubsub.is_subscribed()
        && !allowed_in_pubsub_context(entry)
    {
        return Err((
            Some(entry),
            CommandError::custom(format!(
                "ERR Can't execute '{}': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context",
                entry.fullname
            )),
        ));
    }
    if shared.scripts.is_busy() && !entry.spec.has(flags::ALLOW_BUSY) {
        return Err((Some(entry), CommandError::custom(shared.scripts.busy_error())));
    }
    Ok(entry)
}

/// The commands a RESP2 client with subscriptions may run (Redis 7.2's `processCommand`):
/// the (un)subscribe commands, PING, QUIT and RESET. RESP3 clients may run anything.
fn allowed_in_pubsub_context(entry: &Entry) -> bool {
    matches!(
        entry.fullname.as_str(),
        "ping"
            | "subscribe"
            | "ssubscribe"
            | "unsubscribe"
            | "sunsubscribe"
            | "psubscribe"
            | "punsubscribe"
            | "quit"
            | "reset"
    )
}

/// Looks the command (and subcommand) up and checks the arity.
fn resolve<'t>(
    shared: &'t Shared,
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
        // A container alone: its own arity decides (COMMAND runs; CLIENT is an arity error).
        entry
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
    Ok(entry)
}

/// `enable-debug-command`: `yes` allows everyone, `local` only local clients, `no` nobody.
fn debug_allowed(shared: &Shared, client: &ClientState) -> bool {
    let setting = shared.settings.read().enable_debug_command.to_ascii_lowercase();
    match setting.as_str() {
        "yes" => true,
        "local" => client.is_local(),
        _ => false,
    }
}

/// Locks what the command needs and runs its handler.
fn run(shared: &Shared, client: &mut ClientState, entry: &Entry, argv: &[Bytes]) -> Reply {
    let spec = entry.spec;
    let Some(handler) = spec.handler else {
        return Reply::error(format!(
            "ERR unknown subcommand. Try {} HELP.",
            spec.name.to_ascii_uppercase()
        ));
    };
    // What to lock, decided before locking anything.
    let mut script_partial = None;
    let plan = match spec.lock {
        LockScope::All => LockPlan::All,
        LockScope::Keys if spec.locks_all(argv) => LockPlan::All,
        LockScope::Script => match script_shards(shared, spec, argv) {
            Some(indexes) => {
                script_partial = Some(crate::script_locks::PartialRun::default());
                LockPlan::Shards(indexes)
            }
            None => LockPlan::All,
        },
        LockScope::Transaction => match transaction_shards(shared, client) {
            Some(indexes) => LockPlan::Shards(indexes),
            None => LockPlan::All,
        },
        LockScope::Keys if spec.keys.is_empty() => LockPlan::Nothing,
        LockScope::Keys => {
            let positions = spec.key_positions(argv);
            let mut indexes: SmallVec<[usize; 4]> =
                positions.iter().map(|&p| shared.keyspace.shard_of(&argv[p])).collect();
            if let Some(extra) = spec.lock_keys {
                indexes
                    .extend(extra(argv).iter().map(|&(p, _)| shared.keyspace.shard_of(&argv[p])));
            }
            LockPlan::Shards(indexes)
        }
    };
    // Scripts run one at a time (`crate::script_locks`), on the shards of their KEYS when
    // they stay within them. While a script runs on another thread, this command must not
    // block on the script's locks (this thread must stay free to serve SCRIPT KILL, and
    // after busy-reply-threshold the answer is BUSY): it takes what it needs only if it is
    // free, and otherwise retries off the locks (see `acquire_beside_script`).
    let is_script = spec.lock == LockScope::Script;
    let gated = !matches!(plan, LockPlan::Nothing) && !spec.has(flags::ALLOW_BUSY);
    let acquired = if gated && shared.scripts.is_running() {
        acquire_beside_script(shared, is_script, &plan)
    } else {
        Some(((is_script).then(|| shared.script_locks.lane.lock()), plan.lock(shared)))
    };
    let Some((_script_lane, shards)) = ({ acquired }) else {
        shared.table.stats[entry.id].rejected_calls.fetch_add(1, Ordering::Relaxed);
        let err = CommandError::custom(shared.scripts.busy_error());
        shared.stats.record_error(&err);
        return Reply::Error(err.to_string().into());
    };
    client.last_cmd = Some(entry.id);
    let started = client.clock_hint.take().unwrap_or_else(Instant::now);
    let now_ms = clock::unix_ms_at(started);
    client.last_interaction_ms = now_ms;
    let mut ctx =
        Ctx { server: shared, client, shards, now_ms, dirty: 0, blocked: None, script_partial };
    let result = handler(&mut ctx, argv);
    if shared.notify.wants_recorded() {
        ctx.publish_recorded_events();
    }
    if ctx.client.tracking.is_some() && ctx.blocked.is_none() {
        track_reads(shared, ctx.client, spec, argv);
    }
    let dirty = ctx.dirty;
    let block = ctx.blocked;
    let reprocessed = ctx.client.blocked.is_some();
    if block.is_none() && reprocessed {
        // A blocked client's command completed: it leaves the queues while its shards are
        // still held, handing the turn to the next waiter.
        shared.blocking.leave(ctx.client.id);
    }
    drop(ctx);
    if dirty > 0 {
        shared.stats.dirty.fetch_add(dirty, Ordering::Relaxed);
    }
    if let Some(request) = block {
        // Parked: nothing is counted until the command completes (Redis counts a blocked
        // command once), and MONITOR shows it once, now.
        if !reprocessed {
            client.blocked =
                Some(Blocked { argv: argv.to_vec(), deadline_ms: request.deadline_ms });
            if shared.clients.has_monitors() && !spec.has(flags::SKIP_MONITOR | flags::ADMIN) {
                shared.clients.feed_monitors(monitor_line(client, &redacted(entry, argv)));
            }
        }
        return Reply::Null;
    }
    client.blocked = None;
    let feed_monitor = !reprocessed;
    record_call(shared, client, entry, argv, started, feed_monitor, result)
}

/// What a command locks (see [`run`]).
#[derive(Clone)]
enum LockPlan {
    Nothing,
    All,
    Shards(SmallVec<[usize; 4]>),
}

impl LockPlan {
    /// Locks it, waiting as needed.
    fn lock(self, shared: &Shared) -> LockedShards<'_> {
        match self {
            LockPlan::Nothing => LockedShards::none(),
            LockPlan::All => LockedShards::lock_all(shared),
            LockPlan::Shards(indexes) => LockedShards::lock(shared, indexes),
        }
    }

    /// Locks it only if every shard is free now.
    fn try_lock<'a>(&self, shared: &'a Shared) -> Option<LockedShards<'a>> {
        match self {
            LockPlan::Nothing => Some(LockedShards::none()),
            LockPlan::All => LockedShards::try_lock_all(shared),
            LockPlan::Shards(indexes) => LockedShards::try_lock(shared, indexes.clone()),
        }
    }
}

/// The script lane (held by scripts) and the shards of a command.
type Acquired<'s, 'c> = (Option<parking_lot::MutexGuard<'s, ()>>, LockedShards<'c>);

/// Takes the lane (for a script) and the shards of `plan` while a script runs on another
/// thread, never blocking on them: a command on shards the script does not hold goes ahead
/// at once; otherwise it retries, spinning for a few microseconds (scripts are usually that
/// short), then yielding, then sleeping a millisecond at a time. `None` once the script passed
/// busy-reply-threshold (the caller answers `BUSY`, as Redis does). When the script ends,
/// the ordinary (waiting) locking takes over.
fn acquire_beside_script<'s: 'c, 'c>(
    shared: &'s Shared,
    is_script: bool,
    plan: &LockPlan,
) -> Option<Acquired<'s, 'c>> {
    let started = Instant::now();
    loop {
        if shared.scripts.is_busy() {
            return None;
        }
        if !shared.scripts.is_running() {
            let lane = is_script.then(|| shared.script_locks.lane.lock());
            return Some((lane, plan.clone().lock(shared)));
        }
        let lane =
            if is_script { shared.script_locks.lane.try_lock().map(Some) } else { Some(None) };
        if let Some(lane) = lane {
            if let Some(shards) = plan.try_lock(shared) {
                return Some((lane, shards));
            }
        }
        let waited = started.elapsed();
        if waited < Duration::from_micros(50) {
            std::hint::spin_loop();
        } else if waited < Duration::from_millis(2) {
            std::thread::yield_now();
        } else {
            std::thread::sleep(Duration::from_millis(1));
        }
    }
}

/// The shards EXEC must hold: those of every queued command's keys (as dispatch would lock
/// them one by one) and of the watched keys; `None` when a queued command needs every shard
/// (FLUSHALL, SCAN, EVAL, ...). A transaction therefore locks only what it touches, and
/// still holds all of it at once, so it stays atomic and isolated.
/// The shards a script (EVAL, EVALSHA and their `_RO` forms) runs on: those of its KEYS, or
/// `None` for every shard (no KEYS, or a script known to reach other keys).
fn script_shards(
    shared: &Shared,
    spec: &CommandSpec,
    argv: &[Bytes],
) -> Option<SmallVec<[usize; 4]>> {
    let positions = spec.key_positions(argv);
    if positions.is_empty() {
        return None;
    }
    if !shared.script_locks.any_marked() {
        return Some(positions.iter().map(|&p| shared.keyspace.shard_of(&argv[p])).collect());
    }
    let sha = if spec.name.starts_with("evalsha") {
        String::from_utf8_lossy(&argv[1]).to_ascii_lowercase()
    } else {
        crate::scripting::sha1_hex(&argv[1])
    };
    if shared.script_locks.needs_all(&sha) {
        return None;
    }
    Some(positions.iter().map(|&p| shared.keyspace.shard_of(&argv[p])).collect())
}

fn transaction_shards(shared: &Shared, client: &ClientState) -> Option<SmallVec<[usize; 4]>> {
    let mut indexes: SmallVec<[usize; 4]> =
        client.watched.iter().map(|w| shared.keyspace.shard_of(&w.key)).collect();
    let Some(multi) = client.multi.as_ref() else { return Some(indexes) };
    for argv in &multi.queued {
        let Ok(entry) = lookup(shared, argv) else { continue };
        let spec = entry.spec;
        if spec.lock != LockScope::Keys || spec.locks_all(argv) {
            return None; // All, Script (a script in a transaction holds every shard), SORT BY
        }
        indexes
            .extend(spec.key_positions(argv).iter().map(|&p| shared.keyspace.shard_of(&argv[p])));
        if let Some(extra) = spec.lock_keys {
            indexes.extend(extra(argv).iter().map(|&(p, _)| shared.keyspace.shard_of(&argv[p])));
        }
    }
    Some(indexes)
}

/// Redis's bookkeeping after a call (`call()` in server.c): commandstats, the latency
/// histogram, `total_commands_processed`, the slow log, the latency monitor, the MONITOR
/// feed and errorstats. Turns the handler's result into the reply.
fn record_call(
    shared: &Shared,
    client: &mut ClientState,
    entry: &Entry,
    argv: &[Bytes],
    started: Instant,
    feed_monitor: bool,
    result: Result<Reply, CommandError>,
) -> Reply {
    let spec = entry.spec;
    let ended = Instant::now();
    client.clock_hint = Some(ended);
    let elapsed = ended.saturating_duration_since(started);
    let elapsed_us = elapsed.as_micros() as u64;
    let stats = &shared.table.stats[entry.id];
    stats.calls.fetch_add(1, Ordering::Relaxed);
    stats.usec.fetch_add(elapsed_us, Ordering::Relaxed);
    stats.latency.record(elapsed.as_nanos().min(u128::from(u64::MAX)) as u64);
    shared.stats.commands_processed.fetch_add(1, Ordering::Relaxed);
    client.tot_cmds += 1;
    let shown = redacted(entry, argv);
    if !spec.has(flags::SKIP_SLOWLOG) && shared.slowlog.wants(elapsed_us) {
        shared.slowlog.record(elapsed_us, &shown, client);
    }
    if elapsed_us >= 1000 {
        record_latency(shared, spec.has(flags::FAST), elapsed_us / 1000);
    }
    if feed_monitor
        && shared.clients.has_monitors()
        && !spec.has(flags::SKIP_MONITOR | flags::ADMIN)
    {
        shared.clients.feed_monitors(monitor_line(client, &shown));
    }
    match result {
        Ok(reply) => {
            let counted = std::mem::take(&mut client.error_already_counted);
            if let Reply::Error(text) = &reply {
                stats.failed_calls.fetch_add(1, Ordering::Relaxed);
                if !counted {
                    shared.stats.record_error_text(text);
                }
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

/// Resolves `argv` to its table entry (a command or container subcommand) and checks its
/// arity: Redis's first two gates, for commands that EXEC or a script runs (which apply
/// their own further checks: `noscript`, writes under EVAL_RO). Errors: `ERR unknown command
/// ...`, `ERR unknown subcommand ...`, `ERR wrong number of arguments for '...' command`.
pub fn lookup<'t>(shared: &'t Shared, argv: &[Bytes]) -> Result<&'t Entry, CommandError> {
    resolve(shared, argv).map_err(|(_, err)| err)
}

/// Runs one command from inside EXEC or a script, with the shards the caller already holds
/// (`ctx.shards`: the transaction's or script's), as the same client and with the same
/// "now": the handler plus the per-call bookkeeping of [`record_call`]. The command's writes
/// are added to `ctx.dirty`. The caller sets `ctx.client.deny_blocking` so that blocking
/// commands answer as their non-blocking forms, and applies its own gates first.
pub fn run_nested(ctx: &mut Ctx<'_>, entry: &Entry, argv: &[Bytes]) -> Reply {
    let Some(handler) = entry.spec.handler else {
        return Reply::error(format!(
            "ERR unknown subcommand. Try {} HELP.",
            entry.spec.name.to_ascii_uppercase()
        ));
    };
    if let Err(e) =
        ctx.script_gate(entry.spec.lock != LockScope::Keys || entry.spec.locks_all(argv))
    {
        return Reply::Error(e.to_string().into());
    }
    let outer_dirty = std::mem::take(&mut ctx.dirty);
    let started = ctx.client.clock_hint.take().unwrap_or_else(Instant::now);
    let result = handler(ctx, argv);
    if let Some(run) = ctx.script_partial.as_mut() {
        if !entry.spec.has(flags::READONLY) {
            run.side_effects = true;
        }
    }
    if ctx.client.tracking.is_some() {
        track_reads(ctx.server, ctx.client, entry.spec, argv);
    }
    ctx.dirty += outer_dirty;
    ctx.blocked = None;
    let (shared, client) = (ctx.server, &mut *ctx.client);
    record_call(shared, client, entry, argv, started, true, result)
}

/// The commands that run at once inside MULTI instead of being queued (Redis's
/// `processCommand` list).
fn is_transaction_control(entry: &Entry) -> bool {
    matches!(entry.fullname.as_str(), "exec" | "discard" | "multi" | "watch" | "quit" | "reset")
}

/// Ends a blocked command without running it again: its timeout passed, or CLIENT UNBLOCK
/// released it. Leaves the queues and returns the reply Redis gives (a null array, RESP3
/// null, on timeout; `-UNBLOCKED ...` for CLIENT UNBLOCK ... ERROR), counting the call once,
/// as Redis's `updateStatsOnUnblock` does.
pub fn end_blocked(
    shared: &Shared,
    client: &mut ClientState,
    reason: Option<UnblockReason>,
) -> Reply {
    let left = shared.blocking.leave(client.id);
    let reason = reason.or(left);
    let Some(blocked) = client.blocked.take() else { return Reply::NullArray };
    if let Some(entry) = shared.table.get(&blocked.argv[0]) {
        let stats = &shared.table.stats[entry.id];
        stats.calls.fetch_add(1, Ordering::Relaxed);
        shared.stats.commands_processed.fetch_add(1, Ordering::Relaxed);
        client.tot_cmds += 1;
        if reason == Some(UnblockReason::Error) {
            stats.failed_calls.fetch_add(1, Ordering::Relaxed);
        }
    }
    match reason {
        Some(UnblockReason::Error) => {
            let err = CommandError::custom("UNBLOCKED client unblocked via CLIENT UNBLOCK");
            shared.stats.record_error(&err);
            Reply::Error(err.to_string().into())
        }
        _ => Reply::NullArray,
    }
}

/// Adds a latency-monitor sample when the duration reaches `latency-monitor-threshold`
/// (Redis's `latencyAddSampleIfNeeded` in `call()`).
fn record_latency(shared: &Shared, fast: bool, elapsed_ms: u64) {
    let threshold = shared.settings.read().latency_monitor_threshold_ms;
    if threshold == 0 || elapsed_ms < threshold {
        return;
    }
    let event = if fast { "fast-command" } else { "command" };
    shared.stats.latency.add(event, clock::now_ms() / 1000, elapsed_ms);
}

/// The arguments as the slow log and MONITOR may show them: passwords of AUTH and HELLO
/// ... AUTH replaced by `(redacted)`, as Redis's `redactClientCommandArgument` does.
pub fn redacted<'a>(entry: &Entry, argv: &'a [Bytes]) -> Cow<'a, [Bytes]> {
    const REDACTED: Bytes = Bytes::from_static(b"(redacted)");
    match entry.fullname.as_str() {
        "auth" => {
            let mut v = argv.to_vec();
            for a in v.iter_mut().skip(1) {
                *a = REDACTED;
            }
            Cow::Owned(v)
        }
        "hello" => {
            let Some(pos) = argv.iter().skip(2).position(|a| a.eq_ignore_ascii_case(b"auth"))
            else {
                return Cow::Borrowed(argv);
            };
            let pos = pos + 2;
            let mut v = argv.to_vec();
            for a in v.iter_mut().skip(pos + 1).take(2) {
                *a = REDACTED;
            }
            Cow::Owned(v)
        }
        _ => Cow::Borrowed(argv),
    }
}

/// One MONITOR line: `+<secs>.<usecs> [<db> <addr>] "arg" ...` with each argument quoted
/// and escaped as Redis's `sdscatrepr` does; Unix-socket clients show `unix:<path>`.
pub fn monitor_line(client: &ClientState, argv: &[Bytes]) -> Bytes {
    let now_us = clock::now_us();
    let mut line = Vec::with_capacity(64 + argv.iter().map(|a| a.len() + 3).sum::<usize>());
    line.extend_from_slice(
        format!("+{}.{:06} [{} ", now_us / 1_000_000, now_us % 1_000_000, client.db).as_bytes(),
    );
    if client.is_unix {
        line.extend_from_slice(b"unix:");
        // MONITOR names the socket path itself (`unix:/path`), without CLIENT LIST's `:0`.
        let path = client.laddr.strip_suffix(":0").unwrap_or(&client.laddr);
        line.extend_from_slice(path.as_bytes());
    } else {
        line.extend_from_slice(client.addr.as_bytes());
    }
    line.push(b']');
    for a in argv {
        line.push(b' ');
        repr(a, &mut line);
    }
    line.extend_from_slice(b"\r\n");
    Bytes::from(line)
}

/// Appends `s` quoted and escaped (Redis's `sdscatrepr`).
pub fn repr(s: &[u8], out: &mut Vec<u8>) {
    out.push(b'"');
    for &c in s {
        match c {
            b'\\' | b'"' => {
                out.push(b'\\');
                out.push(c);
            }
            b'\n' => out.extend_from_slice(b"\\n"),
            b'\r' => out.extend_from_slice(b"\\r"),
            b'\t' => out.extend_from_slice(b"\\t"),
            7 => out.extend_from_slice(b"\\a"),
            8 => out.extend_from_slice(b"\\b"),
            0x20..=0x7e => out.push(c),
            _ => out.extend_from_slice(format!("\\x{c:02x}").as_bytes()),
        }
    }
    out.push(b'"');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repr_escapes_like_redis() {
        let mut out = Vec::new();
        repr(b"a\"b\\c\n\x01\xff ", &mut out);
        assert_eq!(out, b"\"a\\\"b\\\\c\\n\\x01\\xff \"".to_vec());
    }
}
