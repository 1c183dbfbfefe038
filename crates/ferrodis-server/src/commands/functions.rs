//! Redis 7 Functions: FCALL, FCALL_RO and FUNCTION (LOAD, DELETE, FLUSH, LIST, STATS, KILL,
//! DUMP, RESTORE, HELP), following <https://redis.io/docs/latest/develop/interact/programmability/functions-intro/>
//! and Redis 7.2's `src/functions.c`. The registry, the metadata line and the DUMP payload
//! live in [`crate::scripting::functions`]; compiling and running in [`crate::scripting`]
//! (the interpreter EVAL uses).
//!
//! FCALL locks every shard like EVAL (`LockScope::All`) while its key specs declare the
//! `numkeys` keys. The FUNCTION subcommands touch no key: they run without shard locks (the
//! registry has its own lock); FUNCTION KILL and STATS are `allow-busy`.

use crate::args;
use crate::commands::docs as shared_docs;
use crate::commands::introspection::{help_reply, subcommand_syntax_error};
use crate::commands::scripting::{feed_monitors, kill_reply};
use crate::context::Ctx;
use crate::errors::CommandError;
use crate::scripting::{self, functions};
use crate::spec::{
    acl, flags, keyflags, BeginSearch, CommandSpec, FindKeys, Group, KeySpec, LockScope,
};
use bytes::Bytes;
use ferrodis_keyspace::glob::string_match;
use ferrodis_resp::Reply;

fn err(text: String) -> CommandError {
    CommandError::Custom(text.into())
}

fn fcall_generic(
    ctx: &mut Ctx<'_>,
    argv: &[Bytes],
    read_only: bool,
) -> Result<Reply, CommandError> {
    feed_monitors(ctx, argv);
    let Some((lib, index)) = ctx.server.scripts.functions.find(&argv[1]) else {
        return Err(CommandError::custom("ERR Function not found"));
    };
    let Ok(numkeys) = args::int(&argv[2]) else {
        return Err(CommandError::custom("ERR Bad number of keys provided"));
    };
    if numkeys > argv.len() as i64 - 3 {
        return Err(CommandError::custom(
            "ERR Number of keys can't be greater than number of args",
        ));
    }
    if numkeys < 0 {
        return Err(CommandError::custom("ERR Number of keys can't be negative"));
    }
    let split = 3 + numkeys as usize;
    scripting::fcall(ctx, &lib, index, argv, &argv[3..split], &argv[split..], read_only)
}

/// FCALL function numkeys [key ...] [arg ...]
///
/// Runs a loaded function with its KEYS and ARGV tables as arguments; the reply is its return
/// value converted as for EVAL. Errors: `ERR Function not found`, `ERR Bad number of keys
/// provided`, the numkeys errors of EVAL, and script errors (`... script: <function>, on
/// @user_function:<line>.`).
pub fn fcall(ctx: &mut Ctx<'_>, argv: &[Bytes]) -> Result<Reply, CommandError> {
    fcall_generic(ctx, argv, false)
}

/// FCALL_RO function numkeys [key ...] [arg ...]
///
/// FCALL for functions flagged `no-writes`; others are refused with `ERR Can not execute a
/// script with write flag using *_ro command.`
pub fn fcall_ro(ctx: &mut Ctx<'_>, argv: &[Bytes]) -> Result<Reply, CommandError> {
    fcall_generic(ctx, argv, true)
}

/// FUNCTION LOAD [REPLACE] function-code
///
/// Loads a library (`#!lua name=<lib>` then Lua code calling `redis.register_function`);
/// replies the library name (bulk). Errors: `ERR Unknown option given: <x>`, `ERR Missing
/// library metadata`, `ERR Invalid metadata value given: <x>`, `ERR Library name was not
/// given`, `ERR Library names can only contain ...`, `ERR Engine '<x>' not found`, `ERR
/// Library '<x>' already exists`, `ERR Error compiling function: ...`, `ERR Error registering
/// functions: ...`, `ERR No functions registered`, `ERR Function <f> already exists`.
pub fn function_load(ctx: &mut Ctx<'_>, argv: &[Bytes]) -> Result<Reply, CommandError> {
    let mut replace = false;
    let mut pos = 2;
    while pos < argv.len() - 1 {
        if args::is(&argv[pos], "replace") {
            replace = true;
            pos += 1;
            continue;
        }
        return Err(err(format!(
            "ERR Unknown option given: {}",
            String::from_utf8_lossy(&argv[pos])
        )));
    }
    let name = scripting::load_library(&ctx.server.scripts, &argv[pos], replace)?;
    ctx.add_dirty(1);
    Ok(Reply::Bulk(Bytes::from(name)))
}

/// FUNCTION DELETE library-name
///
/// Deletes a library and its functions; `OK`. Errors: `ERR Library not found` (names are
/// case-sensitive).
pub fn function_delete(ctx: &mut Ctx<'_>, argv: &[Bytes]) -> Result<Reply, CommandError> {
    let name = String::from_utf8_lossy(&argv[2]);
    if !ctx.server.scripts.functions.delete(&name) {
        return Err(CommandError::custom("ERR Library not found"));
    }
    ctx.add_dirty(1);
    Ok(Reply::OK)
}

/// FUNCTION FLUSH [ASYNC|SYNC]
///
/// Deletes every library; `OK`. Errors: `ERR FUNCTION FLUSH only supports SYNC|ASYNC option`;
/// more arguments: the subcommand syntax error.
pub fn function_flush(ctx: &mut Ctx<'_>, argv: &[Bytes]) -> Result<Reply, CommandError> {
    if argv.len() > 3 {
        return Err(subcommand_syntax_error(argv));
    }
    if argv.len() == 3 && !args::is(&argv[2], "sync") && !args::is(&argv[2], "async") {
        return Err(CommandError::custom("ERR FUNCTION FLUSH only supports SYNC|ASYNC option"));
    }
    ctx.server.scripts.functions.flush();
    ctx.add_dirty(1);
    Ok(Reply::OK)
}

/// FUNCTION LIST [LIBRARYNAME pattern] [WITHCODE]
///
/// An array with one map per library (matching the glob `pattern`, case-insensitively):
/// `library_name`, `engine` (`LUA`), `functions` (maps of `name`, `description` — null when
/// not given — and `flags`, a set of status strings) and, with WITHCODE, `library_code`.
/// Libraries come in name order. Errors: `ERR library name argument was not given`, `ERR
/// Unknown argument <arg>` (also for a repeated option).
pub fn function_list(ctx: &mut Ctx<'_>, argv: &[Bytes]) -> Result<Reply, CommandError> {
    let mut with_code = false;
    let mut pattern: Option<&Bytes> = None;
    let mut i = 2;
    while i < argv.len() {
        let a = &argv[i];
        if !with_code && args::is(a, "withcode") {
            with_code = true;
        } else if pattern.is_none() && args::is(a, "libraryname") {
            if i + 1 >= argv.len() {
                return Err(CommandError::custom("ERR library name argument was not given"));
            }
            pattern = Some(&argv[i + 1]);
            i += 1;
        } else {
            return Err(err(format!("ERR Unknown argument {}", String::from_utf8_lossy(a))));
        }
        i += 1;
    }
    let bulk = |s: &str| Reply::Bulk(Bytes::copy_from_slice(s.as_bytes()));
    let mut out = Vec::new();
    for lib in ctx.server.scripts.functions.libraries() {
        if let Some(p) = pattern {
            if !string_match(p, lib.name.as_bytes(), true) {
                continue;
            }
        }
        let fns = lib
            .functions
            .iter()
            .map(|f| {
                let flags = functions::FLAG_NAMES
                    .iter()
                    .filter(|(bit, _)| f.flags & bit != 0)
                    .map(|(_, name)| Reply::status(name))
                    .collect();
                Reply::Map(vec![
                    (bulk("name"), bulk(&f.name)),
                    (
                        bulk("description"),
                        f.description
                            .as_ref()
                            .map_or(Reply::Null, |d| Reply::Bulk(Bytes::copy_from_slice(d))),
                    ),
                    (bulk("flags"), Reply::Set(flags)),
                ])
            })
            .collect();
        let mut entry = vec![
            (bulk("library_name"), bulk(&lib.name)),
            (bulk("engine"), bulk("LUA")),
            (bulk("functions"), Reply::Array(fns)),
        ];
        if with_code {
            entry.push((bulk("library_code"), Reply::Bulk(lib.code.clone())));
        }
        out.push(Reply::Map(entry));
    }
    Ok(Reply::Array(out))
}

/// FUNCTION STATS
///
/// A map: `running_script` (null, or a map of `name`, `command` — the FCALL line — and
/// `duration_ms`) and `engines` (`LUA` → `libraries_count`, `functions_count`). Errors: the
/// EVAL `BUSY` error while a busy EVAL runs.
pub fn function_stats(ctx: &mut Ctx<'_>, _argv: &[Bytes]) -> Result<Reply, CommandError> {
    let bulk = |s: &str| Reply::Bulk(Bytes::copy_from_slice(s.as_bytes()));
    let running = match ctx.server.scripts.running_function() {
        Err(busy) => return Err(CommandError::custom(busy)),
        Ok(None) => Reply::Null,
        Ok(Some(f)) => Reply::Map(vec![
            (bulk("name"), bulk(&f.name)),
            (bulk("command"), Reply::Array(f.command.into_iter().map(Reply::Bulk).collect())),
            (bulk("duration_ms"), Reply::Integer(f.started.elapsed().as_millis() as i64)),
        ]),
    };
    let (libraries, functions) = ctx.server.scripts.functions.counts();
    Ok(Reply::Map(vec![
        (bulk("running_script"), running),
        (
            bulk("engines"),
            Reply::Map(vec![(
                bulk("LUA"),
                Reply::Map(vec![
                    (bulk("libraries_count"), Reply::Integer(libraries as i64)),
                    (bulk("functions_count"), Reply::Integer(functions as i64)),
                ]),
            )]),
        ),
    ]))
}

/// FUNCTION KILL
///
/// Stops the running function at its next instruction hook (`OK`). Errors: `NOTBUSY No
/// scripts in execution right now.`, `UNKILLABLE ...` once it wrote, the EVAL `BUSY` error
/// when the running script is an EVAL (SCRIPT KILL stops those).
pub fn function_kill(ctx: &mut Ctx<'_>, _argv: &[Bytes]) -> Result<Reply, CommandError> {
    kill_reply(ctx, true)
}

/// FUNCTION DUMP
///
/// The libraries as a binary payload (bulk) for FUNCTION RESTORE: Redis's format (opcode 245
/// and the code per library, RDB version 11, CRC64).
pub fn function_dump(ctx: &mut Ctx<'_>, _argv: &[Bytes]) -> Result<Reply, CommandError> {
    let libs = ctx.server.scripts.functions.libraries();
    let payload = functions::dump_payload(libs.iter().map(|l| &l.code[..]));
    Ok(Reply::Bulk(Bytes::from(payload)))
}

/// FUNCTION RESTORE serialized-value [FLUSH|APPEND|REPLACE]
///
/// Loads the libraries of a FUNCTION DUMP payload (APPEND by default); `OK`. Errors: `ERR
/// Wrong restore policy given, value should be either FLUSH, APPEND or REPLACE.`, `ERR DUMP
/// payload version or checksum are wrong`, payload errors (`ERR given type is not a
/// function`, ...), the library errors of FUNCTION LOAD, `ERR Library <x> already exists`
/// (APPEND), `ERR Function <f> already exists`; nothing changes on error. More than one
/// policy: the subcommand syntax error.
pub fn function_restore(ctx: &mut Ctx<'_>, argv: &[Bytes]) -> Result<Reply, CommandError> {
    if argv.len() > 4 {
        return Err(subcommand_syntax_error(argv));
    }
    let policy =
        match argv.get(3) {
            None => functions::RestorePolicy::Append,
            Some(p) if args::is(p, "append") => functions::RestorePolicy::Append,
            Some(p) if args::is(p, "replace") => functions::RestorePolicy::Replace,
            Some(p) if args::is(p, "flush") => functions::RestorePolicy::Flush,
            Some(_) => return Err(CommandError::custom(
                "ERR Wrong restore policy given, value should be either FLUSH, APPEND or REPLACE.",
            )),
        };
    let payload = &argv[2];
    if !functions::verify_payload(payload) {
        return Err(CommandError::custom("ERR DUMP payload version or checksum are wrong"));
    }
    let codes = functions::parse_payload(payload).map_err(|e| err(format!("ERR {e}")))?;
    let libs = scripting::compile_libraries(&ctx.server.scripts, codes)?;
    ctx.server.scripts.functions.restore(libs, policy).map_err(|e| err(format!("ERR {e}")))?;
    ctx.add_dirty(1);
    Ok(Reply::OK)
}

const FUNCTION_HELP: &[&str] = &[
    "LOAD [REPLACE] <FUNCTION CODE>",
    "    Create a new library with the given library name and code.",
    "DELETE <LIBRARY NAME>",
    "    Delete the given library.",
    "LIST [LIBRARYNAME PATTERN] [WITHCODE]",
    "    Return general information on all the libraries:",
    "    * Library name",
    "    * The engine used to run the Library",
    "    * Library description",
    "    * Functions list",
    "    * Library code (if WITHCODE is given)",
    "    It also possible to get only function that matches a pattern using LIBRARYNAME argument.",
    "STATS",
    "    Return information about the current function running:",
    "    * Function name",
    "    * Command used to run the function",
    "    * Duration in MS that the function is running",
    "    If no function is running, return nil",
    "    In addition, returns a list of available engines.",
    "KILL",
    "    Kill the current running function.",
    "FLUSH [ASYNC|SYNC]",
    "    Delete all the libraries.",
    "    When called without the optional mode argument, the behavior is determined by the",
    "    lazyfree-lazy-user-flush configuration directive. Valid modes are:",
    "    * ASYNC: Asynchronously flush the libraries.",
    "    * SYNC: Synchronously flush the libraries.",
    "DUMP",
    "    Return a serialized payload representing the current libraries, can be restored using FUNCTION RESTORE command",
    "RESTORE <PAYLOAD> [FLUSH|APPEND|REPLACE]",
    "    Restore the libraries represented by the given payload, it is possible to give a restore policy to",
    "    control how to handle existing libraries (default APPEND):",
    "    * FLUSH: delete all existing libraries.",
    "    * APPEND: appends the restored libraries to the existing libraries. On collision, abort.",
    "    * REPLACE: appends the restored libraries to the existing libraries, On collision, replace the old",
    "      libraries with the new libraries (notice that even on this option there is a chance of failure",
    "      in case of functions name collision with another library).",
];

/// FUNCTION HELP — the subcommand list (status lines).
pub fn function_help(_ctx: &mut Ctx<'_>, _argv: &[Bytes]) -> Result<Reply, CommandError> {
    Ok(help_reply("FUNCTION", FUNCTION_HELP))
}

// ---------------------------------------------------------------------------------------
// Specs
// ---------------------------------------------------------------------------------------

const FCALL_FLAGS: u64 = flags::NOSCRIPT
    | flags::SKIP_MONITOR
    | flags::MAY_REPLICATE
    | flags::NO_MANDATORY_KEYS
    | flags::STALE
    | flags::MOVABLE_KEYS;
const FCALL_RO_FLAGS: u64 = flags::NOSCRIPT
    | flags::SKIP_MONITOR
    | flags::NO_MANDATORY_KEYS
    | flags::STALE
    | flags::READONLY
    | flags::MOVABLE_KEYS;

const fn numkeys_spec(flags: u32, notes: &'static str) -> KeySpec {
    KeySpec {
        flags,
        notes: Some(notes),
        begin: BeginSearch::Index(2),
        find: FindKeys::Keynum { keynumidx: 0, firstkey: 1, keystep: 1 },
    }
}

const FCALL_KEYS: &[KeySpec] = &[numkeys_spec(
    keyflags::RW | keyflags::ACCESS | keyflags::UPDATE,
    "We cannot tell how the keys will be used so we assume the worst, RW and UPDATE",
)];
const FCALL_RO_KEYS: &[KeySpec] = &[numkeys_spec(
    keyflags::RO | keyflags::ACCESS,
    "We cannot tell how the keys will be used so we assume the worst, RO and ACCESS",
)];

const ALL_SHARDS_SUCCEEDED: &[&str] =
    &["request_policy:all_shards", "response_policy:all_succeeded"];

const fn sub(
    name: &'static str,
    arity: i32,
    flags: u64,
    summary: &'static str,
    handler: crate::spec::Handler,
) -> CommandSpec {
    CommandSpec {
        name,
        arity,
        flags,
        acl: acl::SCRIPTING,
        group: Group::Scripting,
        since: "7.0.0",
        summary,
        handler: Some(handler),
        ..CommandSpec::DEFAULT
    }
}

static FUNCTION_SUBCOMMANDS: &[CommandSpec] = &[
    CommandSpec {
        tips: ALL_SHARDS_SUCCEEDED,
        complexity: "O(1) (considering compilation time is redundant)",
        arguments: docs::LOAD,
        ..sub(
            "load",
            -3,
            flags::WRITE | flags::DENYOOM | flags::NOSCRIPT,
            "Creates a library.",
            function_load,
        )
    },
    CommandSpec {
        tips: ALL_SHARDS_SUCCEEDED,
        arguments: docs::DELETE,
        ..sub(
            "delete",
            3,
            flags::WRITE | flags::NOSCRIPT,
            "Deletes a library and its functions.",
            function_delete,
        )
    },
    CommandSpec {
        arguments: shared_docs::FUNCTION_FLUSH,
        tips: ALL_SHARDS_SUCCEEDED,
        complexity: "O(N) where N is the number of functions deleted",
        ..sub("flush", -2, flags::WRITE | flags::NOSCRIPT, "Deletes all libraries.", function_flush)
    },
    CommandSpec {
        arguments: shared_docs::FUNCTION_LIST,
        tips: &["nondeterministic_output_order"],
        complexity: "O(N) where N is the number of functions",
        ..sub(
            "list",
            -2,
            flags::NOSCRIPT,
            "Returns information about all libraries.",
            function_list,
        )
    },
    CommandSpec {
        tips: &["nondeterministic_output", "request_policy:all_shards", "response_policy:special"],
        ..sub(
            "stats",
            2,
            flags::NOSCRIPT | flags::ALLOW_BUSY,
            "Returns information about a function during execution.",
            function_stats,
        )
    },
    CommandSpec {
        tips: &["request_policy:all_shards", "response_policy:one_succeeded"],
        ..sub(
            "kill",
            2,
            flags::NOSCRIPT | flags::ALLOW_BUSY,
            "Terminates a function during execution.",
            function_kill,
        )
    },
    CommandSpec {
        complexity: "O(N) where N is the number of functions",
        ..sub(
            "dump",
            2,
            flags::NOSCRIPT,
            "Dumps all libraries into a serialized binary payload.",
            function_dump,
        )
    },
    CommandSpec {
        tips: ALL_SHARDS_SUCCEEDED,
        complexity: "O(N) where N is the number of functions on the payload",
        arguments: docs::RESTORE,
        ..sub(
            "restore",
            -3,
            flags::WRITE | flags::DENYOOM | flags::NOSCRIPT,
            "Restores all libraries from a payload.",
            function_restore,
        )
    },
    sub(
        "help",
        2,
        flags::LOADING | flags::STALE,
        "Returns helpful text about the different subcommands.",
        function_help,
    ),
];

/// The functions family.
pub static SPECS: &[CommandSpec] = &[
    CommandSpec {
        name: "fcall",
        arity: -3,
        flags: FCALL_FLAGS,
        acl: acl::SCRIPTING,
        keys: FCALL_KEYS,
        group: Group::Scripting,
        since: "7.0.0",
        summary: "Invokes a function.",
        complexity: "Depends on the function that is executed.",
        handler: Some(fcall),
        arguments: docs::FCALL,
        lock: LockScope::All,
        ..CommandSpec::DEFAULT
    },
    CommandSpec {
        name: "fcall_ro",
        arity: -3,
        flags: FCALL_RO_FLAGS,
        acl: acl::SCRIPTING,
        keys: FCALL_RO_KEYS,
        group: Group::Scripting,
        since: "7.0.0",
        summary: "Invokes a read-only function.",
        complexity: "Depends on the function that is executed.",
        handler: Some(fcall_ro),
        arguments: docs::FCALL,
        lock: LockScope::All,
        ..CommandSpec::DEFAULT
    },
    CommandSpec {
        name: "function",
        arity: -2,
        group: Group::Scripting,
        since: "7.0.0",
        summary: "A container for function commands.",
        complexity: "Depends on subcommand.",
        subcommands: FUNCTION_SUBCOMMANDS,
        ..CommandSpec::DEFAULT
    },
];

/// COMMAND DOCS arguments (Redis 7.2 `src/commands/fcall.json`, `fcall_ro.json`,
/// `function-load.json`, `function-delete.json`, `function-restore.json`).
mod docs {
    use crate::spec::{argflags, Arg, ArgType};

    use crate::commands::scripting::docs::KEYS_AND_ARGS;

    pub(super) const FCALL: &[Arg] = &[
        Arg { name: "function", kind: ArgType::String, ..Arg::DEFAULT },
        KEYS_AND_ARGS[0],
        KEYS_AND_ARGS[1],
        KEYS_AND_ARGS[2],
    ];

    pub(super) const LOAD: &[Arg] = &[
        Arg {
            name: "replace",
            kind: ArgType::PureToken,
            token: Some("REPLACE"),
            flags: argflags::OPTIONAL,
            ..Arg::DEFAULT
        },
        Arg { name: "function-code", kind: ArgType::String, ..Arg::DEFAULT },
    ];

    pub(super) const DELETE: &[Arg] =
        &[Arg { name: "library-name", kind: ArgType::String, ..Arg::DEFAULT }];

    pub(super) const RESTORE: &[Arg] = &[
        Arg { name: "serialized-value", kind: ArgType::String, ..Arg::DEFAULT },
        Arg {
            name: "policy",
            kind: ArgType::OneOf,
            flags: argflags::OPTIONAL,
            arguments: &[
                Arg {
                    name: "flush",
                    kind: ArgType::PureToken,
                    token: Some("FLUSH"),
                    ..Arg::DEFAULT
                },
                Arg {
                    name: "append",
                    kind: ArgType::PureToken,
                    token: Some("APPEND"),
                    ..Arg::DEFAULT
                },
                Arg {
                    name: "replace",
                    kind: ArgType::PureToken,
                    token: Some("REPLACE"),
                    ..Arg::DEFAULT
                },
            ],
            ..Arg::DEFAULT
        },
    ];
}
