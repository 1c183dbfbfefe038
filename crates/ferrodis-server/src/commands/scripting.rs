//! Scripting commands: EVAL, EVALSHA, EVAL_RO, EVALSHA_RO and SCRIPT (LOAD, EXISTS, FLUSH,
//! KILL, HELP), following <https://redis.io/docs/latest/develop/interact/programmability/eval-intro/>
//! and Redis 7.2's `src/eval.c`. The interpreter, the sandbox and the conversions live in
//! [`crate::scripting`].
//!
//! Scripts run one at a time, holding the shards of their KEYS, or every shard once they are
//! known to reach other keys (`LockScope::Script`, see `crate::script_locks`). A script past
//! `busy-reply-threshold` makes other commands answer `BUSY`, and SCRIPT KILL stops it unless
//! it wrote.

use crate::args;
use crate::commands::introspection::{help_reply, subcommand_syntax_error};
use crate::context::Ctx;
use crate::errors::CommandError;
use crate::scripting::{self, Mode};
use crate::spec::{
    acl, flags, keyflags, BeginSearch, CommandSpec, FindKeys, Group, KeySpec, LockScope,
};
use bytes::Bytes;
use ferrodis_resp::Reply;

/// Splits EVAL's arguments after the script: `(keys, args)`. Errors (Redis 7.2
/// `evalGenericCommand`): `ERR value is not an integer or out of range`, `ERR Number of keys
/// can't be greater than number of args`, `ERR Number of keys can't be negative`.
pub fn keys_and_args(argv: &[Bytes]) -> Result<(&[Bytes], &[Bytes]), CommandError> {
    let numkeys = args::int(&argv[2])?;
    if numkeys > (argv.len() as i64 - 3) {
        return Err(CommandError::custom(
            "ERR Number of keys can't be greater than number of args",
        ));
    }
    if numkeys < 0 {
        return Err(CommandError::custom("ERR Number of keys can't be negative"));
    }
    let split = 3 + numkeys as usize;
    Ok((&argv[3..split], &argv[split..]))
}

/// Feeds MONITOR with the EVAL itself before it runs, so that the commands the script calls
/// appear after it (Redis's `evalCommand`; the spec's `skip_monitor` keeps dispatch from
/// feeding it again afterwards).
pub fn feed_monitors(ctx: &mut Ctx<'_>, argv: &[Bytes]) {
    if ctx.server.clients.has_monitors() {
        let line = crate::dispatch::monitor_line(ctx.client, argv);
        ctx.server.clients.feed_monitors(line);
    }
}

fn eval_generic(ctx: &mut Ctx<'_>, argv: &[Bytes], mode: Mode) -> Result<Reply, CommandError> {
    feed_monitors(ctx, argv);
    let (keys, args) = keys_and_args(argv)?;
    let body = argv[1].clone();
    let sha = scripting::sha1_hex(&body);
    let script = match ctx.server.scripts.get(&sha) {
        Some(script) => script,
        None => {
            scripting::load(&ctx.server.scripts, &sha, &body)?;
            ctx.server.scripts.get(&sha).ok_or_else(|| CommandError::custom("ERR script cache"))?
        }
    };
    run_with_shards(ctx, &sha, &script, keys, args, mode)
}

/// Runs the script; when it ran on the shards of its KEYS and reached other keys (see
/// `crate::script_locks`), remembers it, and, if the run was abandoned before any side
/// effect, runs it again holding every shard.
fn run_with_shards(
    ctx: &mut Ctx<'_>,
    sha: &str,
    script: &scripting::Script,
    keys: &[Bytes],
    args: &[Bytes],
    mode: Mode,
) -> Result<Reply, CommandError> {
    let result = scripting::run(ctx, sha, script, keys, args, mode);
    let Some(run) = ctx.script_partial else { return result };
    if run.retry || run.escalated {
        ctx.server.script_locks.mark_needs_all(sha);
    }
    if !run.retry {
        return result;
    }
    ctx.script_partial = None;
    ctx.relock_all();
    scripting::run(ctx, sha, script, keys, args, mode)
}

fn evalsha_generic(ctx: &mut Ctx<'_>, argv: &[Bytes], mode: Mode) -> Result<Reply, CommandError> {
    const NOSCRIPT: &str = "NOSCRIPT No matching script. Please use EVAL.";
    feed_monitors(ctx, argv);
    // A SHA1 of the wrong length cannot match: NOSCRIPT before numkeys is even parsed.
    if argv[1].len() != 40 {
        return Err(CommandError::custom(NOSCRIPT));
    }
    let (keys, args) = keys_and_args(argv)?;
    // Lower-cased on the stack (no allocation per run); not hex, not cached.
    let mut lower = [0u8; 40];
    lower.copy_from_slice(&argv[1]);
    lower.make_ascii_lowercase();
    let Ok(sha) = std::str::from_utf8(&lower) else {
        return Err(CommandError::custom(NOSCRIPT));
    };
    let Some(script) = ctx.server.scripts.get(sha) else {
        return Err(CommandError::custom(NOSCRIPT));
    };
    run_with_shards(ctx, sha, &script, keys, args, mode)
}

/// EVAL script numkeys [key ...] [arg ...]
///
/// Caches the script (under its SHA1) and runs it; the reply is the script's return value
/// converted as Redis does. Errors: numkeys errors, `ERR Error compiling script (new
/// function): ...`, script errors (`... script: <sha>, on @user_script:<line>.`).
pub fn eval(ctx: &mut Ctx<'_>, argv: &[Bytes]) -> Result<Reply, CommandError> {
    eval_generic(ctx, argv, Mode::ReadWrite)
}

/// EVAL_RO script numkeys [key ...] [arg ...]
///
/// As EVAL, but write commands fail with `ERR Write commands are not allowed from read-only
/// scripts.`; a script with a shebang lacking `no-writes` is refused with `ERR Can not
/// execute a script with write flag using *_ro command.`
pub fn eval_ro(ctx: &mut Ctx<'_>, argv: &[Bytes]) -> Result<Reply, CommandError> {
    eval_generic(ctx, argv, Mode::ReadOnly)
}

/// EVALSHA sha1 numkeys [key ...] [arg ...]
///
/// Runs a cached script (the SHA1 in any case). Errors: `NOSCRIPT No matching script. Please
/// use EVAL.`, and those of EVAL.
pub fn evalsha(ctx: &mut Ctx<'_>, argv: &[Bytes]) -> Result<Reply, CommandError> {
    evalsha_generic(ctx, argv, Mode::ReadWrite)
}

/// EVALSHA_RO sha1 numkeys [key ...] [arg ...]
///
/// EVALSHA with EVAL_RO's restrictions.
pub fn evalsha_ro(ctx: &mut Ctx<'_>, argv: &[Bytes]) -> Result<Reply, CommandError> {
    evalsha_generic(ctx, argv, Mode::ReadOnly)
}

/// SCRIPT LOAD script
///
/// Compiles and caches the script without running it; replies its SHA1 (bulk string).
/// Errors: shebang and compile errors as EVAL.
pub fn script_load(ctx: &mut Ctx<'_>, argv: &[Bytes]) -> Result<Reply, CommandError> {
    let sha = scripting::sha1_hex(&argv[2]);
    if !ctx.server.scripts.contains(&sha) {
        scripting::load(&ctx.server.scripts, &sha, &argv[2])?;
    }
    Ok(Reply::Bulk(Bytes::from(sha)))
}

/// SCRIPT EXISTS sha1 [sha1 ...]
///
/// An array of integers, 1 for each SHA1 (any case) in the cache, else 0.
pub fn script_exists(ctx: &mut Ctx<'_>, argv: &[Bytes]) -> Result<Reply, CommandError> {
    let out = argv[2..]
        .iter()
        .map(|sha| {
            let sha = String::from_utf8_lossy(sha).to_ascii_lowercase();
            Reply::Integer(i64::from(ctx.server.scripts.contains(&sha)))
        })
        .collect();
    Ok(Reply::Array(out))
}

/// SCRIPT FLUSH [ASYNC|SYNC]
///
/// Empties the script cache; `OK`. Errors: `ERR SCRIPT FLUSH only support SYNC|ASYNC option`.
pub fn script_flush(ctx: &mut Ctx<'_>, argv: &[Bytes]) -> Result<Reply, CommandError> {
    let ok = match argv.len() {
        2 => true,
        3 => args::is(&argv[2], "sync") || args::is(&argv[2], "async"),
        _ => false,
    };
    if !ok {
        return Err(CommandError::custom("ERR SCRIPT FLUSH only support SYNC|ASYNC option"));
    }
    ctx.server.scripts.flush();
    ctx.server.script_locks.clear();
    Ok(Reply::OK)
}

/// SCRIPT KILL
///
/// Stops the running script at its next instruction hook (`OK`): `NOTBUSY No scripts in
/// execution right now.` when none runs, `UNKILLABLE ...` when it has written.
pub fn script_kill(ctx: &mut Ctx<'_>, _argv: &[Bytes]) -> Result<Reply, CommandError> {
    kill_reply(ctx, false)
}

/// SCRIPT KILL's and FUNCTION KILL's reply (Redis 7.2 `scriptKill`): `OK`, `NOTBUSY ...`,
/// `UNKILLABLE ...`, or `BUSY ...` when the running script is of the other kind.
///
/// Redis handles a SCRIPT KILL only while the script is busy (past `busy-reply-threshold`,
/// when it serves other clients from its hook); one sent earlier waits in its input until the
/// script is busy or done. Here other clients run on other threads, so the command itself
/// waits for either, off every lock: a script is never killed in its first milliseconds,
/// before it had the chance to write. The wait is bounded by the threshold (plus a second),
/// so a script that cannot turn busy (`busy-reply-threshold 0`, which never marks scripts
/// busy here, or a threshold raised after the script started) is still killed.
pub fn kill_reply(ctx: &mut Ctx<'_>, function_kill: bool) -> Result<Reply, CommandError> {
    let scripts = &ctx.server.scripts;
    let threshold_ms = ctx.server.settings.read().busy_reply_threshold_ms;
    if threshold_ms > 0 {
        let give_up = std::time::Instant::now()
            + std::time::Duration::from_millis(threshold_ms.saturating_add(1000));
        while scripts.is_running() && !scripts.is_busy() && std::time::Instant::now() < give_up {
            std::thread::sleep(std::time::Duration::from_millis(1));
        }
    }
    match scripts.kill(function_kill) {
        scripting::KillOutcome::NotBusy => {
            Err(CommandError::custom("NOTBUSY No scripts in execution right now."))
        }
        scripting::KillOutcome::Unkillable => Err(CommandError::custom(
            "UNKILLABLE Sorry the script already executed write commands against the dataset. You can either wait the script termination or kill the server in a hard way using the SHUTDOWN NOSAVE command.",
        )),
        scripting::KillOutcome::WrongKind(busy) => Err(CommandError::custom(busy)),
        scripting::KillOutcome::Killed => Ok(Reply::OK),
    }
}

const SCRIPT_HELP: &[&str] = &[
    "DEBUG (YES|SYNC|NO)",
    "    Set the debug mode for subsequent scripts executed.",
    "EXISTS <sha1> [<sha1> ...]",
    "    Return information about the existence of the scripts in the script cache.",
    "FLUSH [ASYNC|SYNC]",
    "    Flush the Lua scripts cache. Very dangerous on replicas.",
    "    When called without the optional mode argument, the behavior is determined by the",
    "    lazyfree-lazy-user-flush configuration directive. Valid modes are:",
    "    * ASYNC: Asynchronously flush the scripts cache.",
    "    * SYNC: Synchronously flush the scripts cache.",
    "KILL",
    "    Kill the currently executing Lua script.",
    "LOAD <script>",
    "    Load a script into the scripts cache without executing it.",
];

/// SCRIPT HELP — the subcommand list (status lines).
pub fn script_help(_ctx: &mut Ctx<'_>, argv: &[Bytes]) -> Result<Reply, CommandError> {
    if argv.len() != 2 {
        return Err(subcommand_syntax_error(argv));
    }
    Ok(help_reply("SCRIPT", SCRIPT_HELP))
}

// ---------------------------------------------------------------------------------------
// Specs
// ---------------------------------------------------------------------------------------

const EVAL_FLAGS: u64 = flags::NOSCRIPT
    | flags::SKIP_MONITOR
    | flags::MAY_REPLICATE
    | flags::NO_MANDATORY_KEYS
    | flags::STALE
    | flags::MOVABLE_KEYS;
const EVAL_RO_FLAGS: u64 = flags::NOSCRIPT
    | flags::SKIP_MONITOR
    | flags::NO_MANDATORY_KEYS
    | flags::STALE
    | flags::READONLY
    | flags::MOVABLE_KEYS;

const fn numkeys_spec(flags: u32, notes: Option<&'static str>) -> KeySpec {
    KeySpec {
        flags,
        notes,
        begin: BeginSearch::Index(2),
        find: FindKeys::Keynum { keynumidx: 0, firstkey: 1, keystep: 1 },
    }
}

const RW_KEYS: &[KeySpec] = &[numkeys_spec(
    keyflags::RW | keyflags::ACCESS | keyflags::UPDATE,
    Some("We cannot tell how the keys will be used so we assume the worst, RW and UPDATE"),
)];
const RW_KEYS_SHA: &[KeySpec] =
    &[numkeys_spec(keyflags::RW | keyflags::ACCESS | keyflags::UPDATE, None)];
const RO_KEYS: &[KeySpec] = &[numkeys_spec(
    keyflags::RO | keyflags::ACCESS,
    Some("We cannot tell how the keys will be used so we assume the worst, RO and ACCESS"),
)];
const RO_KEYS_SHA: &[KeySpec] = &[numkeys_spec(keyflags::RO | keyflags::ACCESS, None)];

const SCRIPT_SUBCOMMANDS: &[CommandSpec] = &[
    CommandSpec {
        name: "exists",
        arity: -3,
        flags: flags::NOSCRIPT,
        acl: acl::SCRIPTING,
        group: Group::Scripting,
        since: "2.6.0",
        summary: "Determines whether server-side Lua scripts exist in the script cache.",
        complexity: "O(N) with N being the number of scripts to check (so checking a single script is an O(1) operation).",
        tips: &["request_policy:all_shards", "response_policy:agg_logical_and"],
        handler: Some(script_exists),
        arguments: docs::SCRIPT_EXISTS,
        ..CommandSpec::DEFAULT
    },
    CommandSpec {
        name: "flush",
        arity: -2,
        flags: flags::NOSCRIPT,
        acl: acl::SCRIPTING,
        group: Group::Scripting,
        since: "2.6.0",
        summary: "Removes all server-side Lua scripts from the script cache.",
        complexity: "O(N) with N being the number of scripts in cache",
        tips: &["request_policy:all_nodes", "response_policy:all_succeeded"],
        history: &[("6.2.0", "Added the `ASYNC` and `SYNC` flushing mode modifiers.")],
        handler: Some(script_flush),
        ..CommandSpec::DEFAULT
    },
    CommandSpec {
        name: "help",
        arity: 2,
        flags: flags::LOADING | flags::STALE,
        acl: acl::SCRIPTING,
        group: Group::Scripting,
        since: "5.0.0",
        summary: "Returns helpful text about the different subcommands.",
        handler: Some(script_help),
        ..CommandSpec::DEFAULT
    },
    CommandSpec {
        name: "kill",
        arity: 2,
        flags: flags::NOSCRIPT | flags::ALLOW_BUSY,
        acl: acl::SCRIPTING,
        group: Group::Scripting,
        since: "2.6.0",
        summary: "Terminates a server-side Lua script during execution.",
        tips: &["request_policy:all_shards", "response_policy:one_succeeded"],
        handler: Some(script_kill),
        ..CommandSpec::DEFAULT
    },
    CommandSpec {
        name: "load",
        arity: 3,
        flags: flags::NOSCRIPT | flags::STALE,
        acl: acl::SCRIPTING,
        group: Group::Scripting,
        since: "2.6.0",
        summary: "Loads a server-side Lua script to the script cache.",
        complexity: "O(N) with N being the length in bytes of the script body.",
        tips: &["request_policy:all_nodes", "response_policy:all_succeeded"],
        handler: Some(script_load),
        arguments: docs::SCRIPT_LOAD,
        ..CommandSpec::DEFAULT
    },
];

/// The scripting family.
pub static SPECS: &[CommandSpec] = &[
    CommandSpec {
        name: "eval",
        arity: -3,
        flags: EVAL_FLAGS,
        acl: acl::SCRIPTING,
        keys: RW_KEYS,
        group: Group::Scripting,
        since: "2.6.0",
        summary: "Executes a server-side Lua script.",
        complexity: "Depends on the script that is executed.",
        handler: Some(eval),
        arguments: docs::EVAL,
        lock: LockScope::Script,
        ..CommandSpec::DEFAULT
    },
    CommandSpec {
        name: "evalsha",
        arity: -3,
        flags: EVAL_FLAGS,
        acl: acl::SCRIPTING,
        keys: RW_KEYS_SHA,
        group: Group::Scripting,
        since: "2.6.0",
        summary: "Executes a server-side Lua script by SHA1 digest.",
        complexity: "Depends on the script that is executed.",
        handler: Some(evalsha),
        arguments: docs::EVALSHA,
        lock: LockScope::Script,
        ..CommandSpec::DEFAULT
    },
    CommandSpec {
        name: "eval_ro",
        arity: -3,
        flags: EVAL_RO_FLAGS,
        acl: acl::SCRIPTING,
        keys: RO_KEYS,
        group: Group::Scripting,
        since: "7.0.0",
        summary: "Executes a read-only server-side Lua script.",
        complexity: "Depends on the script that is executed.",
        handler: Some(eval_ro),
        arguments: docs::EVAL,
        lock: LockScope::Script,
        ..CommandSpec::DEFAULT
    },
    CommandSpec {
        name: "evalsha_ro",
        arity: -3,
        flags: EVAL_RO_FLAGS,
        acl: acl::SCRIPTING,
        keys: RO_KEYS_SHA,
        group: Group::Scripting,
        since: "7.0.0",
        summary: "Executes a read-only server-side Lua script by SHA1 digest.",
        complexity: "Depends on the script that is executed.",
        handler: Some(evalsha_ro),
        arguments: docs::EVALSHA,
        lock: LockScope::Script,
        ..CommandSpec::DEFAULT
    },
    CommandSpec {
        name: "script",
        arity: -2,
        group: Group::Scripting,
        since: "2.6.0",
        summary: "A container for Lua scripts management commands.",
        complexity: "Depends on subcommand.",
        subcommands: SCRIPT_SUBCOMMANDS,
        ..CommandSpec::DEFAULT
    },
];

/// COMMAND DOCS arguments of the scripting commands (Redis 7.2 `src/commands/eval.json`,
/// `evalsha.json`, `eval_ro.json`, `evalsha_ro.json`, `script-exists.json`,
/// `script-load.json`). SCRIPT FLUSH is not described: 7.2 names its argument `flush-type`
/// where the 7.0 reference of `tests/it/command_docs.rs` says `async`.
pub(crate) mod docs {
    use crate::spec::{argflags, Arg, ArgType};

    /// `numkeys key... arg...`, shared with FCALL's docs (`commands/functions.rs`).
    pub(crate) const KEYS_AND_ARGS: [Arg; 3] = [
        Arg { name: "numkeys", kind: ArgType::Integer, ..Arg::DEFAULT },
        Arg {
            name: "key",
            kind: ArgType::Key,
            key_spec_index: Some(0),
            flags: argflags::OPTIONAL | argflags::MULTIPLE,
            ..Arg::DEFAULT
        },
        Arg {
            name: "arg",
            kind: ArgType::String,
            flags: argflags::OPTIONAL | argflags::MULTIPLE,
            ..Arg::DEFAULT
        },
    ];

    pub(super) const EVAL: &[Arg] = &[
        Arg { name: "script", kind: ArgType::String, ..Arg::DEFAULT },
        KEYS_AND_ARGS[0],
        KEYS_AND_ARGS[1],
        KEYS_AND_ARGS[2],
    ];

    pub(super) const EVALSHA: &[Arg] = &[
        Arg { name: "sha1", kind: ArgType::String, ..Arg::DEFAULT },
        KEYS_AND_ARGS[0],
        KEYS_AND_ARGS[1],
        KEYS_AND_ARGS[2],
    ];

    pub(super) const SCRIPT_EXISTS: &[Arg] =
        &[Arg { name: "sha1", kind: ArgType::String, flags: argflags::MULTIPLE, ..Arg::DEFAULT }];

    pub(super) const SCRIPT_LOAD: &[Arg] =
        &[Arg { name: "script", kind: ArgType::String, ..Arg::DEFAULT }];
}
