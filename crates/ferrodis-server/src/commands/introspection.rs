//! Introspection and diagnostics: COMMAND, SLOWLOG, LATENCY, MEMORY, DEBUG, MONITOR, and the
//! FUNCTION subcommands that answer for an empty library set (FLUSH, LIST, HELP).
//!
//! COMMAND renders the command table from each [`CommandSpec`], in the reply shapes of Redis
//! 7.2's `src/server.c` (`addReplyCommandInfo`, `addReplyCommandDocs`, `commandListCommand`,
//! `getKeysSubcommandImpl`): flags, categories, tips and key specs are sets in RESP3, key-spec
//! details are maps. SLOWLOG follows `src/slowlog.c`, LATENCY `src/latency.c`, MEMORY
//! `src/object.c`, DEBUG `src/debug.c`, MONITOR `src/replication.c` (`monitorCommand`).

use crate::args;
use crate::client::ReplyMode;
use crate::commands::docs;
use crate::context::{Ctx, LockedShards};
use crate::errors::CommandError;
use crate::spec::{
    acl, argflags, docflags, flags, keyflags, Arg, BeginSearch, CommandSpec, FindKeys, Group,
    KeySpec, LockScope,
};
use crate::table::{Entry, LatencyHistogram};
use bytes::Bytes;
use ferrodis_resp::Reply;
use smallvec::smallvec;
use std::sync::atomic::Ordering;

/// A HELP reply: the `<CMD> <subcommand> ...` header, `lines`, and the HELP entry, each a
/// status string (Redis's `addReplyHelp`).
pub fn help_reply(cmd: &str, lines: &[&str]) -> Reply {
    let mut out = Vec::with_capacity(lines.len() + 3);
    out.push(Reply::Status(
        format!("{cmd} <subcommand> [<arg> [value] [opt] ...]. Subcommands are:").into(),
    ));
    for l in lines {
        out.push(Reply::Status((*l).to_string().into()));
    }
    out.push(Reply::status("HELP"));
    out.push(Reply::status("    Prints this help."));
    Reply::Array(out)
}

/// Redis's `addReplySubcommandSyntaxError`: `ERR unknown subcommand or wrong number of
/// arguments for '<sub>'. Try <CMD> HELP.`
pub fn subcommand_syntax_error(argv: &[Bytes]) -> CommandError {
    let sub = argv
        .get(1)
        .map(|s| String::from_utf8_lossy(&s[..s.len().min(128)]).into_owned())
        .unwrap_or_default();
    let cmd = String::from_utf8_lossy(&argv[0]).to_ascii_uppercase();
    CommandError::custom(format!(
        "ERR unknown subcommand or wrong number of arguments for '{sub}'. Try {cmd} HELP."
    ))
}

// ---------------------------------------------------------------------------------------
// COMMAND
// ---------------------------------------------------------------------------------------

/// Flag names COMMAND INFO shows, in Redis 7.2's order (`may_replicate` is hidden).
const SHOWN_FLAGS: &[(u64, &str)] = &[
    (flags::WRITE, "write"),
    (flags::READONLY, "readonly"),
    (flags::DENYOOM, "denyoom"),
    (flags::ADMIN, "admin"),
    (flags::PUBSUB, "pubsub"),
    (flags::NOSCRIPT, "noscript"),
    (flags::BLOCKING, "blocking"),
    (flags::LOADING, "loading"),
    (flags::STALE, "stale"),
    (flags::SKIP_MONITOR, "skip_monitor"),
    (flags::SKIP_SLOWLOG, "skip_slowlog"),
    (flags::FAST, "fast"),
    (flags::NO_AUTH, "no_auth"),
    (flags::NO_MANDATORY_KEYS, "no_mandatory_keys"),
    (flags::NO_ASYNC_LOADING, "no_async_loading"),
    (flags::NO_MULTI, "no_multi"),
    (flags::MOVABLE_KEYS, "movablekeys"),
    (flags::ALLOW_BUSY, "allow_busy"),
];

/// True when the command's keys cannot be found from a fixed range (Redis's
/// `populateCommandMovableKeys`).
fn movable_keys(spec: &CommandSpec) -> bool {
    spec.has(flags::MOVABLE_KEYS)
        || spec.keys.iter().any(|k| {
            !matches!(k.begin, BeginSearch::Index(_)) || !matches!(k.find, FindKeys::Range { .. })
        })
}

fn status(s: &str) -> Reply {
    Reply::Status(s.to_string().into())
}

fn bulk_str(s: &str) -> Reply {
    Reply::bulk(s.as_bytes())
}

/// The key-spec flags as a set of status strings.
fn key_flags_reply(bits: u32) -> Reply {
    Reply::Set(
        keyflags::NAMES.iter().filter(|(b, _)| bits & b != 0).map(|(_, n)| status(n)).collect(),
    )
}

fn key_spec_reply(k: &KeySpec) -> Reply {
    let mut map = Vec::with_capacity(4);
    if let Some(notes) = k.notes {
        map.push((bulk_str("notes"), bulk_str(notes)));
    }
    map.push((bulk_str("flags"), key_flags_reply(k.flags)));
    let begin = match k.begin {
        BeginSearch::Index(i) => vec![
            (bulk_str("type"), bulk_str("index")),
            (bulk_str("spec"), Reply::Map(vec![(bulk_str("index"), Reply::Integer(i64::from(i)))])),
        ],
        BeginSearch::Keyword { keyword, startfrom } => vec![
            (bulk_str("type"), bulk_str("keyword")),
            (
                bulk_str("spec"),
                Reply::Map(vec![
                    (bulk_str("keyword"), bulk_str(keyword)),
                    (bulk_str("startfrom"), Reply::Integer(i64::from(startfrom))),
                ]),
            ),
        ],
        BeginSearch::Unknown => {
            vec![(bulk_str("type"), bulk_str("unknown")), (bulk_str("spec"), Reply::Map(vec![]))]
        }
    };
    map.push((bulk_str("begin_search"), Reply::Map(begin)));
    let find = match k.find {
        FindKeys::Range { lastkey, keystep, limit } => vec![
            (bulk_str("type"), bulk_str("range")),
            (
                bulk_str("spec"),
                Reply::Map(vec![
                    (bulk_str("lastkey"), Reply::Integer(i64::from(lastkey))),
                    (bulk_str("keystep"), Reply::Integer(i64::from(keystep))),
                    (bulk_str("limit"), Reply::Integer(i64::from(limit))),
                ]),
            ),
        ],
        FindKeys::Keynum { keynumidx, firstkey, keystep } => vec![
            (bulk_str("type"), bulk_str("keynum")),
            (
                bulk_str("spec"),
                Reply::Map(vec![
                    (bulk_str("keynumidx"), Reply::Integer(i64::from(keynumidx))),
                    (bulk_str("firstkey"), Reply::Integer(i64::from(firstkey))),
                    (bulk_str("keystep"), Reply::Integer(i64::from(keystep))),
                ]),
            ),
        ],
        FindKeys::Unknown => {
            vec![(bulk_str("type"), bulk_str("unknown")), (bulk_str("spec"), Reply::Map(vec![]))]
        }
    };
    map.push((bulk_str("find_keys"), Reply::Map(find)));
    Reply::Map(map)
}

/// Subcommand entries in declaration order.
fn sub_entries(entry: &Entry) -> Vec<&Entry> {
    entry.spec.subcommands.iter().filter_map(|s| entry.subcommands.get(s.name.as_bytes())).collect()
}

/// One COMMAND INFO entry: name, arity, flags, first key, last key, step, ACL categories,
/// tips, key specs, subcommands.
pub fn command_info_reply(entry: &Entry) -> Reply {
    let spec = entry.spec;
    let mut flag_names: Vec<Reply> = Vec::new();
    for (bit, name) in SHOWN_FLAGS {
        let on = if *bit == flags::MOVABLE_KEYS { movable_keys(spec) } else { spec.has(*bit) };
        if on {
            flag_names.push(status(name));
        }
    }
    let (first, last, step) = spec.legacy_range();
    let cats = spec.acl_categories();
    let cat_names = acl::NAMES
        .iter()
        .filter(|(b, _)| cats & b != 0)
        .map(|(_, n)| status(&format!("@{n}")))
        .collect();
    let subs: Vec<Reply> = sub_entries(entry).into_iter().map(command_info_reply).collect();
    Reply::Array(vec![
        bulk_str(&entry.fullname),
        Reply::Integer(i64::from(spec.arity)),
        Reply::Set(flag_names),
        Reply::Integer(first),
        Reply::Integer(last),
        Reply::Integer(step),
        Reply::Set(cat_names),
        Reply::Set(spec.tips.iter().map(|t| bulk_str(t)).collect()),
        Reply::Set(spec.keys.iter().map(key_spec_reply).collect()),
        if subs.is_empty() { Reply::Set(vec![]) } else { Reply::Array(subs) },
    ])
}

/// One COMMAND DOCS entry: summary, since, group, complexity, subcommands.
fn command_docs_reply(entry: &Entry) -> Reply {
    let spec = entry.spec;
    let mut map = Vec::with_capacity(5);
    if !spec.summary.is_empty() {
        map.push((bulk_str("summary"), bulk_str(spec.summary)));
    }
    map.push((bulk_str("since"), bulk_str(spec.since)));
    map.push((bulk_str("group"), bulk_str(spec.group.name())));
    if !spec.complexity.is_empty() {
        map.push((bulk_str("complexity"), bulk_str(spec.complexity)));
    }
    if spec.doc_flags != 0 {
        let names = docflags::NAMES
            .iter()
            .filter(|(bit, _)| spec.doc_flags & bit != 0)
            .map(|(_, n)| status(n))
            .collect();
        map.push((bulk_str("doc_flags"), Reply::Set(names)));
    }
    if let Some(v) = spec.deprecated_since {
        map.push((bulk_str("deprecated_since"), bulk_str(v)));
    }
    if let Some(v) = spec.replaced_by {
        map.push((bulk_str("replaced_by"), bulk_str(v)));
    }
    if !spec.history.is_empty() {
        let items = spec
            .history
            .iter()
            .map(|(version, change)| Reply::Array(vec![bulk_str(version), bulk_str(change)]))
            .collect();
        map.push((bulk_str("history"), Reply::Set(items)));
    }
    if !spec.arguments.is_empty() {
        map.push((bulk_str("arguments"), arg_list_reply(spec.arguments)));
    }
    let subs = sub_entries(entry);
    if !subs.is_empty() {
        map.push((
            bulk_str("subcommands"),
            Reply::Map(
                subs.into_iter().map(|e| (bulk_str(&e.fullname), command_docs_reply(e))).collect(),
            ),
        ));
    }
    Reply::Map(map)
}

/// COMMAND DOCS's `arguments`: one map per argument, fields in Redis's order (name, type,
/// display_text, key_spec_index, token, summary, since, flags, deprecated_since, arguments).
fn arg_list_reply(args: &[Arg]) -> Reply {
    Reply::Array(
        args.iter()
            .map(|arg| {
                let mut map = Vec::with_capacity(4);
                map.push((bulk_str("name"), bulk_str(arg.name)));
                map.push((bulk_str("type"), bulk_str(arg.kind.name())));
                if let Some(v) = arg.display {
                    map.push((bulk_str("display_text"), bulk_str(v)));
                }
                if let Some(i) = arg.key_spec_index {
                    map.push((bulk_str("key_spec_index"), Reply::Integer(i64::from(i))));
                }
                if let Some(v) = arg.token {
                    map.push((bulk_str("token"), bulk_str(v)));
                }
                if let Some(v) = arg.summary {
                    map.push((bulk_str("summary"), bulk_str(v)));
                }
                if let Some(v) = arg.since {
                    map.push((bulk_str("since"), bulk_str(v)));
                }
                if arg.flags != 0 {
                    let names = argflags::NAMES
                        .iter()
                        .filter(|(bit, _)| arg.flags & bit != 0)
                        .map(|(_, n)| status(n))
                        .collect();
                    map.push((bulk_str("flags"), Reply::Set(names)));
                }
                if let Some(v) = arg.deprecated_since {
                    map.push((bulk_str("deprecated_since"), bulk_str(v)));
                }
                if !arg.arguments.is_empty() {
                    map.push((bulk_str("arguments"), arg_list_reply(arg.arguments)));
                }
                Reply::Map(map)
            })
            .collect(),
    )
}

/// COMMAND — COMMAND INFO for every command (array, in no particular order).
pub fn command(ctx: &mut Ctx<'_>, _argv: &[Bytes]) -> Result<Reply, CommandError> {
    Ok(Reply::Array(
        ctx.server.table.commands().into_iter().map(|(_, e)| command_info_reply(e)).collect(),
    ))
}

/// COMMAND COUNT — the number of top-level commands.
pub fn command_count(ctx: &mut Ctx<'_>, _argv: &[Bytes]) -> Result<Reply, CommandError> {
    Ok(Reply::Integer(ctx.server.table.len() as i64))
}

/// COMMAND INFO [command-name ...] — an array with one entry per name (null for unknown
/// names); all commands when no name is given. Names may be `container|sub`.
pub fn command_info(ctx: &mut Ctx<'_>, argv: &[Bytes]) -> Result<Reply, CommandError> {
    if argv.len() == 2 {
        return command(ctx, argv);
    }
    let table = &ctx.server.table;
    Ok(Reply::Array(
        argv[2..]
            .iter()
            .map(|n| table.by_fullname(n).map_or(Reply::Null, command_info_reply))
            .collect(),
    ))
}

/// COMMAND DOCS [command-name ...] — a map (RESP2: flat array) of name to its docs map;
/// unknown names are left out; all commands when no name is given.
pub fn command_docs(ctx: &mut Ctx<'_>, argv: &[Bytes]) -> Result<Reply, CommandError> {
    let table = &ctx.server.table;
    let entries: Vec<&Entry> = if argv.len() == 2 {
        table.commands().into_iter().map(|(_, e)| e).collect()
    } else {
        argv[2..].iter().filter_map(|n| table.by_fullname(n)).collect()
    };
    Ok(Reply::Map(
        entries.into_iter().map(|e| (bulk_str(&e.fullname), command_docs_reply(e))).collect(),
    ))
}

/// COMMAND LIST [FILTERBY MODULE name | ACLCAT category | PATTERN pattern] — every command
/// and subcommand full name (array). Errors: `ERR syntax error`.
pub fn command_list(ctx: &mut Ctx<'_>, argv: &[Bytes]) -> Result<Reply, CommandError> {
    enum Filter {
        None,
        Module,
        AclCat(u64),
        Pattern(Bytes),
    }
    let filter = if argv.len() == 2 {
        Filter::None
    } else if argv.len() == 5 && args::is(&argv[2], "filterby") {
        if args::is(&argv[3], "module") {
            Filter::Module
        } else if args::is(&argv[3], "aclcat") {
            let cat = acl::NAMES.iter().find(|(_, n)| args::is(&argv[4], n)).map_or(0, |(b, _)| *b);
            Filter::AclCat(cat)
        } else if args::is(&argv[3], "pattern") {
            Filter::Pattern(argv[4].clone())
        } else {
            return Err(CommandError::Syntax);
        }
    } else {
        return Err(CommandError::Syntax);
    };
    let mut out = Vec::new();
    let mut visit = |e: &Entry| {
        let keep = match &filter {
            Filter::None => true,
            Filter::Module => false,
            Filter::AclCat(cat) => *cat != 0 && e.spec.acl_categories() & cat != 0,
            Filter::Pattern(p) => {
                ferrodis_keyspace::glob::string_match(p, e.fullname.as_bytes(), true)
            }
        };
        if keep {
            out.push(bulk_str(&e.fullname));
        }
    };
    for (_, e) in ctx.server.table.commands() {
        visit(e);
        for s in sub_entries(e) {
            visit(s);
        }
    }
    Ok(Reply::Array(out))
}

/// The keys of `argv` (a full command) with the flags of the key spec that found each, in
/// key-spec order (Redis's `getKeysUsingKeySpecs`).
fn keys_with_flags(spec: &'static CommandSpec, argv: &[Bytes]) -> Vec<(usize, u32)> {
    if let Some(get_keys) = spec.get_keys {
        return get_keys(argv);
    }
    let mut out = Vec::new();
    for k in spec.keys {
        if k.flags & keyflags::NOT_KEY != 0 {
            continue;
        }
        let one = CommandSpec { keys: std::slice::from_ref(k), ..*spec };
        for pos in one.key_positions(argv) {
            out.push((pos, k.flags));
        }
    }
    out
}

/// COMMAND GETKEYS / GETKEYSANDFLAGS shared implementation.
fn getkeys(ctx: &mut Ctx<'_>, argv: &[Bytes], with_flags: bool) -> Result<Reply, CommandError> {
    let cmd_argv = &argv[2..];
    let table = &ctx.server.table;
    let entry = table.get(&cmd_argv[0]).and_then(|e| {
        if e.subcommands.is_empty() || cmd_argv.len() == 1 {
            Some(e)
        } else {
            e.subcommands.get(&cmd_argv[1].to_ascii_lowercase())
        }
    });
    let Some(entry) = entry else {
        return Err(CommandError::custom("ERR Invalid command specified"));
    };
    let spec = entry.spec;
    if !spec.keys.iter().any(|k| k.flags & keyflags::NOT_KEY == 0) {
        return Err(CommandError::custom("ERR The command has no key arguments"));
    }
    if !spec.arity_ok(cmd_argv.len()) {
        return Err(CommandError::custom("ERR Invalid number of arguments specified for command"));
    }
    let keys = keys_with_flags(spec, cmd_argv);
    if keys.is_empty() && !spec.has(flags::NO_MANDATORY_KEYS) {
        return Err(CommandError::custom("ERR Invalid arguments specified for command"));
    }
    Ok(Reply::Array(
        keys.into_iter()
            .map(|(pos, f)| {
                let key = Reply::Bulk(cmd_argv[pos].clone());
                if with_flags {
                    Reply::Array(vec![key, key_flags_reply(f)])
                } else {
                    key
                }
            })
            .collect(),
    ))
}

/// COMMAND GETKEYS command [arg ...] — the key names of a full command (array). Errors:
/// `ERR Invalid command specified`, `ERR The command has no key arguments`, `ERR Invalid
/// number of arguments specified for command`, `ERR Invalid arguments specified for
/// command`.
pub fn command_getkeys(ctx: &mut Ctx<'_>, argv: &[Bytes]) -> Result<Reply, CommandError> {
    getkeys(ctx, argv, false)
}

/// COMMAND GETKEYSANDFLAGS command [arg ...] — like GETKEYS, each key paired with its
/// key-spec flags (set).
pub fn command_getkeysandflags(ctx: &mut Ctx<'_>, argv: &[Bytes]) -> Result<Reply, CommandError> {
    getkeys(ctx, argv, true)
}

const COMMAND_HELP: &[&str] = &[
    "(no subcommand)",
    "    Return details about all Redis commands.",
    "COUNT",
    "    Return the total number of commands in this Redis server.",
    "LIST",
    "    Return a list of all commands in this Redis server.",
    "INFO [<command-name> ...]",
    "    Return details about multiple Redis commands.",
    "    If no command names are given, documentation details for all",
    "    commands are returned.",
    "DOCS [<command-name> ...]",
    "    Return documentation details about multiple Redis commands.",
    "    If no command names are given, documentation details for all",
    "    commands are returned.",
    "GETKEYS <full-command>",
    "    Return the keys from a full Redis command.",
    "GETKEYSANDFLAGS <full-command>",
    "    Return the keys and the access flags from a full Redis command.",
];

/// COMMAND HELP — the subcommand list.
pub fn command_help(_ctx: &mut Ctx<'_>, _argv: &[Bytes]) -> Result<Reply, CommandError> {
    Ok(help_reply("COMMAND", COMMAND_HELP))
}

// ---------------------------------------------------------------------------------------
// SLOWLOG
// ---------------------------------------------------------------------------------------

/// SLOWLOG GET [count] — the newest `count` entries (default 10, -1 = all), newest first;
/// each an array of id, Unix time (s), duration (µs), arguments, client address, client
/// name. Error: `ERR count should be greater than or equal to -1`.
pub fn slowlog_get(ctx: &mut Ctx<'_>, argv: &[Bytes]) -> Result<Reply, CommandError> {
    if argv.len() > 3 {
        return Err(subcommand_syntax_error(argv));
    }
    let mut count = Some(10usize);
    if argv.len() == 3 {
        let err = || CommandError::custom("ERR count should be greater than or equal to -1");
        let n = args::int_or(&argv[2], err())?;
        if n < -1 {
            return Err(err());
        }
        count = if n == -1 { None } else { Some(n as usize) };
    }
    let entries = ctx.server.slowlog.get(count);
    Ok(Reply::Array(
        entries
            .into_iter()
            .map(|e| {
                Reply::Array(vec![
                    Reply::Integer(e.id as i64),
                    Reply::Integer(e.time_secs as i64),
                    Reply::Integer(e.duration_us as i64),
                    Reply::Array(e.argv.into_iter().map(Reply::Bulk).collect()),
                    bulk_str(&e.addr),
                    bulk_str(&e.name),
                ])
            })
            .collect(),
    ))
}

/// SLOWLOG LEN — the number of entries.
pub fn slowlog_len(ctx: &mut Ctx<'_>, _argv: &[Bytes]) -> Result<Reply, CommandError> {
    Ok(Reply::Integer(ctx.server.slowlog.len() as i64))
}

/// SLOWLOG RESET — `OK` after emptying the log.
pub fn slowlog_reset(ctx: &mut Ctx<'_>, _argv: &[Bytes]) -> Result<Reply, CommandError> {
    ctx.server.slowlog.reset();
    Ok(Reply::OK)
}

const SLOWLOG_HELP: &[&str] = &[
    "GET [<count>]",
    "    Return top <count> entries from the slowlog (default: 10, -1 mean all).",
    "    Entries are made of:",
    "    id, timestamp, time in microseconds, arguments array, client IP and port,",
    "    client name",
    "LEN",
    "    Return the length of the slowlog.",
    "RESET",
    "    Reset the slowlog.",
];

/// SLOWLOG HELP — the subcommand list.
pub fn slowlog_help(_ctx: &mut Ctx<'_>, _argv: &[Bytes]) -> Result<Reply, CommandError> {
    Ok(help_reply("SLOWLOG", SLOWLOG_HELP))
}

// ---------------------------------------------------------------------------------------
// LATENCY
// ---------------------------------------------------------------------------------------

/// LATENCY LATEST — for each event: name, Unix time of the latest spike, its latency (ms),
/// and the all-time maximum (ms).
pub fn latency_latest(ctx: &mut Ctx<'_>, _argv: &[Bytes]) -> Result<Reply, CommandError> {
    Ok(Reply::Array(
        ctx.server
            .stats
            .latency
            .snapshot()
            .into_iter()
            .map(|(name, series)| {
                let last = series.latest();
                Reply::Array(vec![
                    bulk_str(&name),
                    Reply::Integer(last.time_secs as i64),
                    Reply::Integer(last.latency_ms as i64),
                    Reply::Integer(series.max as i64),
                ])
            })
            .collect(),
    ))
}

/// LATENCY HISTORY event — `[unix time, latency ms]` pairs, oldest first; empty for an
/// unknown event.
pub fn latency_history(ctx: &mut Ctx<'_>, argv: &[Bytes]) -> Result<Reply, CommandError> {
    let name = String::from_utf8_lossy(&argv[2]);
    let samples = ctx.server.stats.latency.get(&name).map(|s| s.history()).unwrap_or_default();
    Ok(Reply::Array(
        samples
            .into_iter()
            .map(|s| {
                Reply::Array(vec![
                    Reply::Integer(s.time_secs as i64),
                    Reply::Integer(s.latency_ms as i64),
                ])
            })
            .collect(),
    ))
}

/// LATENCY RESET [event ...] — the number of event series removed (all when none given).
pub fn latency_reset(ctx: &mut Ctx<'_>, argv: &[Bytes]) -> Result<Reply, CommandError> {
    let names: Vec<String> =
        argv[2..].iter().map(|a| String::from_utf8_lossy(a).into_owned()).collect();
    Ok(Reply::Integer(ctx.server.stats.latency.reset(&names) as i64))
}

/// LATENCY GRAPH event — an ASCII chart of the event's samples (verbatim string). Error:
/// `ERR No samples available for event '<event>'`.
pub fn latency_graph(ctx: &mut Ctx<'_>, argv: &[Bytes]) -> Result<Reply, CommandError> {
    let name = String::from_utf8_lossy(&argv[2]).into_owned();
    let Some(series) = ctx.server.stats.latency.get(&name) else {
        return Err(CommandError::custom(format!("ERR No samples available for event '{name}'")));
    };
    let samples = series.history();
    let max = samples.iter().map(|s| s.latency_ms).max().unwrap_or(0).max(1);
    let min = samples.iter().map(|s| s.latency_ms).min().unwrap_or(0);
    let now = ctx.now_ms / 1000;
    let mut text =
        format!("{name} - high {max} ms, low {min} ms (all time high {} ms)\n", series.max);
    text.push_str(&"-".repeat(80));
    text.push('\n');
    const ROWS: u64 = 4;
    for row in (1..=ROWS).rev() {
        let line: String = samples
            .iter()
            .map(|s| if s.latency_ms * ROWS >= row * max { '#' } else { ' ' })
            .collect();
        text.push_str(line.trim_end());
        text.push('\n');
    }
    let ages: Vec<String> =
        samples.iter().map(|s| format!("{}s", now.saturating_sub(s.time_secs))).collect();
    text.push_str(&ages.join(" "));
    text.push('\n');
    Ok(Reply::Verbatim("txt", Bytes::from(text)))
}

/// LATENCY DOCTOR — a human-readable report (verbatim string).
pub fn latency_doctor(ctx: &mut Ctx<'_>, _argv: &[Bytes]) -> Result<Reply, CommandError> {
    let threshold = ctx.server.settings.read().latency_monitor_threshold_ms;
    let events = ctx.server.stats.latency.snapshot();
    let text = if events.is_empty() && threshold == 0 {
        "I'm sorry, Dave, I can't do that. Latency monitoring is disabled in this Redis instance. You may use \"CONFIG SET latency-monitor-threshold <milliseconds>.\" in order to enable it. If we weren't in a deep space mission I'd suggest to take a look at https://redis.io/topics/latency-monitor.\n".to_string()
    } else if events.is_empty() {
        "Dave, no latency spike was observed during the lifetime of this Redis instance, not in the slightest bit. I honestly think you ought to sleep better, Dave.\n".to_string()
    } else {
        let mut t = String::from("Dave, I have observed latency spikes in this Redis instance. You don't mind talking about it, do you Dave?\n\n");
        for (i, (name, s)) in events.iter().enumerate() {
            let h = s.history();
            let avg = h.iter().map(|x| x.latency_ms).sum::<u64>() / (h.len().max(1) as u64);
            t.push_str(&format!(
                "{}. {name}: {} latency spikes (average {avg}ms, mean deviation 0ms, period 0 sec). Worst all time event {}ms.\n",
                i + 1,
                h.len(),
                s.max
            ));
        }
        t.push_str("\nI have a few advices for you:\n\n- Check your slow log (SLOWLOG GET) for commands that take long to execute.\n");
        t
    };
    Ok(Reply::Verbatim("txt", Bytes::from(text)))
}

/// A command's cumulative latency distribution: `calls` and `histogram_usec`, a map of
/// power-of-two microsecond bounds to the number of calls at or below them.
fn histogram_reply(entry: &Entry, snapshot: &[(u64, u64)]) -> (Reply, Reply) {
    let total: u64 = snapshot.iter().map(|(_, n)| n).sum();
    let mut buckets = Vec::new();
    let mut bound_us = 1u64;
    let mut cumulative = 0u64;
    let mut i = 0;
    while cumulative < total {
        let before = cumulative;
        while i < snapshot.len() && snapshot[i].0 <= bound_us * 1024 {
            cumulative += snapshot[i].1;
            i += 1;
        }
        if cumulative > before {
            buckets.push((Reply::Integer(bound_us as i64), Reply::Integer(cumulative as i64)));
        }
        match bound_us.checked_mul(2) {
            Some(b) => bound_us = b,
            None => break,
        }
    }
    (
        bulk_str(&entry.fullname),
        Reply::Map(vec![
            (bulk_str("calls"), Reply::Integer(total as i64)),
            (bulk_str("histogram_usec"), Reply::Map(buckets)),
        ]),
    )
}

/// LATENCY HISTOGRAM [command ...] — a map of command name to `calls` and
/// `histogram_usec`; only commands with samples; all of them when none is named (a
/// container name covers its subcommands).
pub fn latency_histogram(ctx: &mut Ctx<'_>, argv: &[Bytes]) -> Result<Reply, CommandError> {
    let table = &ctx.server.table;
    let mut wanted: Vec<&Entry> = Vec::new();
    if argv.len() == 2 {
        for (_, e) in table.commands() {
            wanted.push(e);
            wanted.extend(sub_entries(e));
        }
    } else {
        for name in &argv[2..] {
            if let Some(e) = table.by_fullname(name) {
                wanted.push(e);
                wanted.extend(sub_entries(e));
            }
        }
    }
    let mut out = Vec::new();
    for e in wanted {
        let snap = table.stats[e.id].latency.snapshot();
        if !snap.is_empty() {
            out.push(histogram_reply(e, &snap));
        }
    }
    Ok(Reply::Map(out))
}

const LATENCY_HELP: &[&str] = &[
    "DOCTOR",
    "    Return a human readable latency analysis report.",
    "GRAPH <event>",
    "    Return an ASCII latency graph for the <event> class.",
    "HISTORY <event>",
    "    Return time-latency samples for the <event> class.",
    "LATEST",
    "    Return the latest latency samples for all events.",
    "RESET [<event> ...]",
    "    Reset latency data of one or more <event> classes.",
    "    (default: reset all data for all event classes)",
    "HISTOGRAM [COMMAND ...]",
    "    Return a cumulative distribution of latencies in the format of a histogram for the specified command names.",
    "    If no commands are specified then all histograms are replied.",
];

/// LATENCY HELP — the subcommand list.
pub fn latency_help(_ctx: &mut Ctx<'_>, _argv: &[Bytes]) -> Result<Reply, CommandError> {
    Ok(help_reply("LATENCY", LATENCY_HELP))
}

/// INFO latencystats lines: `latency_percentiles_usec_<cmd>:p50=..,p99=..,p99.9=..`.
pub fn latencystats_lines(table: &crate::table::CommandTable, out: &mut String) {
    use std::fmt::Write;
    for (id, name) in table.fullnames.iter().enumerate() {
        let snap = table.stats[id].latency.snapshot();
        if snap.is_empty() {
            continue;
        }
        let p = |pct| LatencyHistogram::percentile(&snap, pct).unwrap_or(0) as f64 / 1000.0;
        let _ = write!(
            out,
            "latency_percentiles_usec_{name}:p50={:.3},p99={:.3},p99.9={:.3}\r\n",
            p(50.0),
            p(99.0),
            p(99.9)
        );
    }
}

// ---------------------------------------------------------------------------------------
// MEMORY
// ---------------------------------------------------------------------------------------

/// jemalloc's size class for an allocation of `n` bytes.
fn jemalloc_size(n: usize) -> usize {
    if n <= 8 {
        return 8;
    }
    if n <= 128 {
        return n.div_ceil(16) * 16;
    }
    // Four classes per power of two above 128.
    let p = usize::BITS - (n - 1).leading_zeros();
    let step = 1usize << (p - 3);
    n.div_ceil(step) * step
}

/// Bytes of an SDS string of `len` bytes (header, content, terminator).
fn sds_size(len: usize) -> usize {
    let header = if len < 32 {
        1
    } else if len < 256 {
        3
    } else if len < 65536 {
        5
    } else {
        9
    };
    jemalloc_size(header + len + 1)
}

/// An estimate of the bytes a key and its value use, in the terms of Redis's
/// `objectComputeSize` for strings: the dict entry, the key's SDS, the object header and
/// the value's encoding.
fn key_usage(key: &[u8], value: &ferrodis_keyspace::Value) -> usize {
    const DICT_ENTRY: usize = 24;
    const ROBJ: usize = 16;
    let value_bytes = match (value.encoding_name(), value.as_string()) {
        ("int", _) => ROBJ,
        ("embstr", Some(s)) => jemalloc_size(ROBJ + 3 + s.len() + 1),
        (_, Some(s)) => ROBJ + sds_size(s.len()),
        (_, None) => ROBJ + value.heap_bytes(),
    };
    DICT_ENTRY + sds_size(key.len()) + value_bytes
}

/// MEMORY USAGE key [SAMPLES count] — estimated bytes used by the key and its value, or
/// null when the key does not exist. Errors: `ERR syntax error` (unknown option, negative
/// count), not an integer.
pub fn memory_usage(ctx: &mut Ctx<'_>, argv: &[Bytes]) -> Result<Reply, CommandError> {
    let mut j = 3;
    while j < argv.len() {
        if args::is(&argv[j], "samples") && j + 1 < argv.len() {
            let n = args::int(&argv[j + 1])?;
            if n < 0 {
                return Err(CommandError::Syntax);
            }
            j += 2;
        } else {
            return Err(CommandError::Syntax);
        }
    }
    let now = ctx.now_ms;
    let key = &argv[2];
    let db = ctx.db(key)?;
    Ok(match db.lookup(key, now) {
        None => Reply::Null,
        Some(entry) => Reply::Integer(key_usage(key, &entry.value) as i64),
    })
}

/// MEMORY STATS — a map of memory figures (bytes, ratios as doubles) in Redis's field
/// order, with a `db.<n>` map for each non-empty database.
pub fn memory_stats(ctx: &mut Ctx<'_>, _argv: &[Bytes]) -> Result<Reply, CommandError> {
    let used = crate::memory::allocated_bytes();
    let rss = crate::memory::rss_bytes().max(1);
    let peak = ctx.server.stats.memory_peak.fetch_max(used, Ordering::Relaxed).max(used);
    let dbs = ctx.server.keyspace.databases();
    let mut keys = vec![0usize; dbs];
    let mut expires = vec![0usize; dbs];
    for shard in ctx.shards.iter_mut() {
        for (i, db) in shard.dbs.iter().enumerate() {
            keys[i] += db.len();
            expires[i] += db.expires_count();
        }
    }
    let total_keys: usize = keys.iter().sum();
    let clients = ctx.server.clients.len() as u64 * 20 * 1024;
    let int = |n: u64| Reply::Integer(n.min(i64::MAX as u64) as i64);
    let mut map = vec![
        (bulk_str("peak.allocated"), int(peak)),
        (bulk_str("total.allocated"), int(used)),
        (bulk_str("startup.allocated"), int(0)),
        (bulk_str("replication.backlog"), int(0)),
        (bulk_str("clients.slaves"), int(0)),
        (bulk_str("clients.normal"), int(clients)),
        (bulk_str("cluster.links"), int(0)),
        (bulk_str("aof.buffer"), int(0)),
        (bulk_str("lua.caches"), int(0)),
        (bulk_str("functions.caches"), int(0)),
    ];
    let mut overhead = clients;
    for i in 0..dbs {
        if keys[i] == 0 {
            continue;
        }
        let main = (keys[i] * 24 + keys[i].next_power_of_two() * 8) as u64;
        let exp = (expires[i] * 24 + expires[i].next_power_of_two() * 8) as u64;
        overhead += main + exp;
        map.push((
            bulk_str(&format!("db.{i}")),
            Reply::Map(vec![
                (bulk_str("overhead.hashtable.main"), int(main)),
                (bulk_str("overhead.hashtable.expires"), int(exp)),
                (bulk_str("overhead.hashtable.slot-to-keys"), int(0)),
            ]),
        ));
    }
    let dataset = used.saturating_sub(overhead);
    map.extend([
        (bulk_str("overhead.total"), int(overhead)),
        (bulk_str("keys.count"), int(total_keys as u64)),
        (
            bulk_str("keys.bytes-per-key"),
            int(if total_keys > 0 { used / total_keys as u64 } else { 0 }),
        ),
        (bulk_str("dataset.bytes"), int(dataset)),
        (
            bulk_str("dataset.percentage"),
            Reply::Double(if used > 0 { dataset as f64 * 100.0 / used as f64 } else { 0.0 }),
        ),
        (
            bulk_str("peak.percentage"),
            Reply::Double(if peak > 0 { used as f64 * 100.0 / peak as f64 } else { 0.0 }),
        ),
        (bulk_str("allocator.allocated"), int(used)),
        (bulk_str("allocator.active"), int(used)),
        (bulk_str("allocator.resident"), int(rss)),
        (bulk_str("allocator-fragmentation.ratio"), Reply::Double(1.0)),
        (bulk_str("allocator-fragmentation.bytes"), int(0)),
        (bulk_str("allocator-rss.ratio"), Reply::Double(rss as f64 / used.max(1) as f64)),
        (bulk_str("allocator-rss.bytes"), Reply::Integer(rss as i64 - used as i64)),
        (bulk_str("rss-overhead.ratio"), Reply::Double(1.0)),
        (bulk_str("rss-overhead.bytes"), int(0)),
        (bulk_str("fragmentation"), Reply::Double(rss as f64 / used.max(1) as f64)),
        (bulk_str("fragmentation.bytes"), Reply::Integer(rss as i64 - used as i64)),
    ]);
    Ok(Reply::Map(map))
}

/// MEMORY DOCTOR — a memory report (verbatim string).
pub fn memory_doctor(ctx: &mut Ctx<'_>, _argv: &[Bytes]) -> Result<Reply, CommandError> {
    let used = crate::memory::allocated_bytes();
    let text = if used < 5 * 1024 * 1024 {
        "Hi Sam, this instance is empty or is using very little memory, my issues detector can't be used in these conditions. Please, leave for your mission on Earth and fill it with some data. The new Sam and I will be back to our programming as soon as I finished rebooting.\n"
    } else {
        "Hi Sam, I can't find any memory issue in your instance. I can only account for what occurs on this base.\n"
    };
    let _ = ctx;
    Ok(Reply::Verbatim("txt", Bytes::from_static(text.as_bytes())))
}

/// MEMORY MALLOC-STATS — the allocator's statistics report (verbatim string).
pub fn memory_malloc_stats(_ctx: &mut Ctx<'_>, _argv: &[Bytes]) -> Result<Reply, CommandError> {
    let text = format!(
        "___ Begin jemalloc statistics ___\nAllocated: {}, resident: {}\n--- End jemalloc statistics ---\n",
        crate::memory::allocated_bytes(),
        crate::memory::rss_bytes()
    );
    Ok(Reply::Verbatim("txt", Bytes::from(text)))
}

/// MEMORY PURGE — `OK` after returning jemalloc's dirty pages to the system (Redis's
/// `jemalloc_purge`); `ERR Error purging dirty pages` when jemalloc refuses.
pub fn memory_purge(_ctx: &mut Ctx<'_>, _argv: &[Bytes]) -> Result<Reply, CommandError> {
    if crate::memory::purge() {
        Ok(Reply::OK)
    } else {
        Err(CommandError::custom("ERR Error purging dirty pages"))
    }
}

const MEMORY_HELP: &[&str] = &[
    "DOCTOR",
    "    Return memory problems reports.",
    "MALLOC-STATS",
    "    Return internal statistics report from the memory allocator.",
    "PURGE",
    "    Attempt to purge dirty pages for reclamation by the allocator.",
    "STATS",
    "    Return information about the memory usage of the server.",
    "USAGE <key> [SAMPLES <count>]",
    "    Return memory in bytes used by <key> and its value. Nested values are",
    "    sampled up to <count> times (default: 5, 0 means sample all).",
];

/// MEMORY HELP — the subcommand list.
pub fn memory_help(_ctx: &mut Ctx<'_>, _argv: &[Bytes]) -> Result<Reply, CommandError> {
    Ok(help_reply("MEMORY", MEMORY_HELP))
}

// ---------------------------------------------------------------------------------------
// DEBUG, MONITOR
// ---------------------------------------------------------------------------------------

const DEBUG_HELP: &[&str] = &[
    "CHANGE-REPL-ID",
    "    Change the replication IDs of the instance.",
    "    Dangerous: should be used only for testing the replication subsystem.",
    "LISTPACK <key>",
    "    Show low level info about the ziplist encoding of <key>.",
    "LOG <message>",
    "    Write <message> to the server log.",
    "OBJECT <key>",
    "    Show low level info about `key` and associated value.",
    "QUICKLIST-PACKED-THRESHOLD <size>",
    "    Sets the threshold for elements to be inserted as plain vs packed nodes",
    "    Default value is 1GB, allows values up to 4GB. Setting to 0 restores to default.",
    "SET-ACTIVE-EXPIRE <0|1>",
    "    Setting it to 0 disables expiring keys in background when they are not",
    "    accessed (otherwise the Redis behavior). Setting it to 1 reenables back the",
    "    default.",
    "SLEEP <seconds>",
    "    Stop the server for <seconds>. Decimals allowed.",
];

/// DEBUG subcommand [arg ...] — diagnostics for tests. Allowed only as
/// `enable-debug-command` permits (checked in dispatch).
///
/// - `SLEEP seconds` (decimals allowed): `OK` after blocking that long.
/// - `OBJECT key`: a status line `Value at:... refcount:1 encoding:<enc> serializedlength:<n>
///   lru:<clock> lru_seconds_idle:0`; `ERR no such key`.
/// - `SET-ACTIVE-EXPIRE 0|1`: `OK`; 0 stops the background expiry.
/// - `CHANGE-REPL-ID`, `QUICKLIST-PACKED-THRESHOLD size`, `LOG message`: `OK`.
/// - `LISTPACK key`: `ERR Not a listpack encoded object.` unless the value is a listpack.
/// - `HELP`: the list above. Anything else: the subcommand syntax error.
pub fn debug(ctx: &mut Ctx<'_>, argv: &[Bytes]) -> Result<Reply, CommandError> {
    let sub = &argv[1];
    let argc = argv.len();
    if args::is(sub, "help") && argc == 2 {
        return Ok(help_reply("DEBUG", DEBUG_HELP));
    }
    if args::is(sub, "sleep") && argc == 3 {
        let secs = std::str::from_utf8(&argv[2])
            .ok()
            .and_then(|s| s.trim().parse::<f64>().ok())
            .unwrap_or(0.0);
        if secs.is_finite() && secs > 0.0 {
            std::thread::sleep(std::time::Duration::from_secs_f64(secs.min(86_400.0)));
        }
        return Ok(Reply::OK);
    }
    if args::is(sub, "set-active-expire") && argc == 3 {
        let on = ferrodis_keyspace::num::parse_i64(&argv[2]).unwrap_or(0) != 0;
        ctx.server.stats.active_expire_disabled.store(!on, Ordering::Relaxed);
        return Ok(Reply::OK);
    }
    if (args::is(sub, "change-repl-id") && argc == 2)
        || (args::is(sub, "quicklist-packed-threshold") && argc == 3)
    {
        return Ok(Reply::OK);
    }
    if args::is(sub, "log") && argc == 3 {
        crate::log::warning(&format!("DEBUG LOG: {}", String::from_utf8_lossy(&argv[2])));
        return Ok(Reply::OK);
    }
    if (args::is(sub, "object") || args::is(sub, "listpack")) && argc == 3 {
        let key = &argv[2];
        let server = ctx.server;
        let mut shards = LockedShards::lock(server, smallvec![server.keyspace.shard_of(key)]);
        let db_index = ctx.client.db;
        let now = ctx.now_ms;
        let Some(shard) = shards.iter_mut().next() else {
            return Err(CommandError::NoSuchKey);
        };
        let Some(entry) = shard.db(db_index).lookup(key, now) else {
            return Err(CommandError::NoSuchKey);
        };
        let encoding = entry.value.encoding_name();
        if args::is(sub, "listpack") {
            if encoding != "listpack" {
                return Err(CommandError::custom("ERR Not a listpack encoded object."));
            }
            return Ok(Reply::status("Listpack structure printed on stdout"));
        }
        let serialized = entry.value.as_string().map_or(0, |s| s.len() + 1);
        let addr = entry as *const _ as usize;
        let lru = (now / 1000) & ((1 << 24) - 1);
        // A quicklist adds its node statistics, as Redis's debugCommand does.
        let extra = match &entry.value {
            ferrodis_keyspace::Value::List(l) if l.is_quicklist() => {
                let nodes = l.node_count();
                format!(
                    " ql_nodes:{nodes} ql_avg_node:{:.2} ql_listpack_max:{} ql_compressed:0 ql_uncompressed_size:{}",
                    l.len() as f64 / nodes.max(1) as f64,
                    ctx.server.settings.read().encoding.list_max_listpack_size,
                    l.redis_bytes()
                )
            }
            _ => String::new(),
        };
        return Ok(Reply::Status(
            format!(
                "Value at:0x{addr:x} refcount:1 encoding:{encoding} serializedlength:{serialized} lru:{lru} lru_seconds_idle:0{extra}"
            )
            .into(),
        ));
    }
    Err(subcommand_syntax_error(argv))
}

/// MONITOR — `OK`, then every command other clients run is pushed to this connection as a
/// status line `+<unix.micros> [<db> <addr>] "<arg>" ...` (admin commands and those flagged
/// `skip_monitor` are not shown). A client already monitoring gets no reply.
pub fn monitor(ctx: &mut Ctx<'_>, _argv: &[Bytes]) -> Result<Reply, CommandError> {
    if ctx.client.monitor {
        if ctx.client.reply_mode == ReplyMode::On {
            ctx.client.reply_mode = ReplyMode::Skip;
        }
        return Ok(Reply::OK);
    }
    ctx.client.monitor = true;
    Ok(Reply::OK)
}

// ---------------------------------------------------------------------------------------
// Specs
// ---------------------------------------------------------------------------------------

const LS: u64 = flags::LOADING | flags::STALE;
const ADMIN_LS: u64 = flags::ADMIN | flags::LOADING | flags::STALE;
const ADMIN_NS_LS: u64 = flags::ADMIN | flags::NOSCRIPT | flags::LOADING | flags::STALE;
const TIPS_NODES_SPECIAL: &[&str] =
    &["nondeterministic_output", "request_policy:all_nodes", "response_policy:special"];
const TIPS_SHARDS_SPECIAL: &[&str] =
    &["nondeterministic_output", "request_policy:all_shards", "response_policy:special"];

/// A subcommand spec with the common fields.
#[allow(clippy::too_many_arguments)]
const fn sub(
    name: &'static str,
    arity: i32,
    flags: u64,
    acl: u64,
    group: Group,
    since: &'static str,
    summary: &'static str,
    handler: crate::spec::Handler,
) -> CommandSpec {
    CommandSpec {
        name,
        arity,
        flags,
        acl,
        group,
        since,
        summary,
        handler: Some(handler),
        ..CommandSpec::DEFAULT
    }
}

/// A container spec.
const fn container(
    name: &'static str,
    group: Group,
    since: &'static str,
    summary: &'static str,
    subs: &'static [CommandSpec],
) -> CommandSpec {
    CommandSpec {
        name,
        arity: -2,
        group,
        since,
        summary,
        complexity: "Depends on subcommand.",
        subcommands: subs,
        ..CommandSpec::DEFAULT
    }
}

const NONDET_ORDER: &[&str] = &["nondeterministic_output_order"];

static COMMAND_SUBCOMMANDS: &[CommandSpec] = &[
    sub(
        "count",
        2,
        LS,
        acl::CONNECTION,
        Group::Server,
        "2.8.13",
        "Returns the number of commands.",
        command_count,
    ),
    CommandSpec {
        arguments: docs::COMMAND_NAMES,
        tips: NONDET_ORDER,
        complexity: "O(N) where N is the number of commands to look up",
        ..sub(
            "docs",
            -2,
            LS,
            acl::CONNECTION,
            Group::Server,
            "7.0.0",
            "Returns documentation about commands.",
            command_docs,
        )
    },
    CommandSpec {
        complexity: "O(N) where N is the number of arguments to the command",
        ..sub(
            "getkeys",
            -3,
            LS,
            acl::CONNECTION,
            Group::Server,
            "2.8.13",
            "Extracts the key names of a full command.",
            command_getkeys,
        )
    },
    CommandSpec {
        complexity: "O(N) where N is the number of arguments to the command",
        ..sub(
            "getkeysandflags",
            -3,
            LS,
            acl::CONNECTION,
            Group::Server,
            "7.0.0",
            "Extracts the key names and their access flags of a full command.",
            command_getkeysandflags,
        )
    },
    sub(
        "help",
        2,
        LS,
        acl::CONNECTION,
        Group::Server,
        "5.0.0",
        "Lists the COMMAND subcommands.",
        command_help,
    ),
    CommandSpec {
        history: docs::COMMAND_INFO_HISTORY,
        arguments: docs::COMMAND_NAMES,
        tips: NONDET_ORDER,
        complexity: "O(N) where N is the number of commands to look up",
        ..sub(
            "info",
            -2,
            LS,
            acl::CONNECTION,
            Group::Server,
            "2.8.13",
            "Returns information about commands.",
            command_info,
        )
    },
    CommandSpec {
        arguments: docs::COMMAND_LIST,
        tips: NONDET_ORDER,
        complexity: "O(N) where N is the total number of Redis commands",
        ..sub(
            "list",
            -2,
            LS,
            acl::CONNECTION,
            Group::Server,
            "7.0.0",
            "Lists command names, optionally filtered.",
            command_list,
        )
    },
];

static SLOWLOG_SUBCOMMANDS: &[CommandSpec] = &[
    CommandSpec {
        history: docs::SLOWLOG_GET_HISTORY,
        arguments: docs::SLOWLOG_GET,
        tips: &["request_policy:all_nodes", "nondeterministic_output"],
        complexity: "O(N) where N is the number of entries returned",
        ..sub(
            "get",
            -2,
            ADMIN_LS,
            0,
            Group::Server,
            "2.2.12",
            "Returns the newest slow log entries.",
            slowlog_get,
        )
    },
    CommandSpec {
        tips: &["request_policy:all_nodes", "response_policy:agg_sum", "nondeterministic_output"],
        ..sub(
            "len",
            2,
            ADMIN_LS,
            0,
            Group::Server,
            "2.2.12",
            "Returns the number of slow log entries.",
            slowlog_len,
        )
    },
    CommandSpec {
        tips: &["request_policy:all_nodes", "response_policy:all_succeeded"],
        complexity: "O(N) where N is the number of entries in the slowlog",
        ..sub(
            "reset",
            2,
            ADMIN_LS,
            0,
            Group::Server,
            "2.2.12",
            "Empties the slow log.",
            slowlog_reset,
        )
    },
    sub("help", 2, LS, 0, Group::Server, "6.2.0", "Lists the SLOWLOG subcommands.", slowlog_help),
];

static LATENCY_SUBCOMMANDS: &[CommandSpec] = &[
    CommandSpec {
        tips: TIPS_NODES_SPECIAL,
        ..sub(
            "doctor",
            2,
            ADMIN_NS_LS,
            0,
            Group::Server,
            "2.8.13",
            "Returns a human-readable latency report.",
            latency_doctor,
        )
    },
    CommandSpec {
        arguments: docs::LATENCY_EVENT,
        tips: TIPS_NODES_SPECIAL,
        ..sub(
            "graph",
            3,
            ADMIN_NS_LS,
            0,
            Group::Server,
            "2.8.13",
            "Draws an ASCII chart of an event's latency samples.",
            latency_graph,
        )
    },
    CommandSpec {
        arguments: docs::LATENCY_HISTOGRAM,
        tips: TIPS_NODES_SPECIAL,
        complexity:
            "O(N) where N is the number of commands with latency information being retrieved.",
        ..sub(
            "histogram",
            -2,
            ADMIN_NS_LS,
            0,
            Group::Server,
            "7.0.0",
            "Returns per-command latency distributions.",
            latency_histogram,
        )
    },
    CommandSpec {
        arguments: docs::LATENCY_EVENT,
        tips: TIPS_NODES_SPECIAL,
        ..sub(
            "history",
            3,
            ADMIN_NS_LS,
            0,
            Group::Server,
            "2.8.13",
            "Returns an event's latency samples.",
            latency_history,
        )
    },
    CommandSpec {
        tips: TIPS_NODES_SPECIAL,
        ..sub(
            "latest",
            2,
            ADMIN_NS_LS,
            0,
            Group::Server,
            "2.8.13",
            "Returns the latest sample of every event.",
            latency_latest,
        )
    },
    CommandSpec {
        arguments: docs::LATENCY_RESET,
        tips: &["request_policy:all_nodes", "response_policy:agg_sum"],
        ..sub(
            "reset",
            -2,
            ADMIN_NS_LS,
            0,
            Group::Server,
            "2.8.13",
            "Forgets the samples of some or all events.",
            latency_reset,
        )
    },
    sub("help", 2, LS, 0, Group::Server, "2.8.13", "Lists the LATENCY subcommands.", latency_help),
];

static MEMORY_USAGE_KEYS: &[KeySpec] = &[KeySpec::single(2, keyflags::RO)];

static MEMORY_SUBCOMMANDS: &[CommandSpec] = &[
    CommandSpec {
        tips: TIPS_SHARDS_SPECIAL,
        ..sub("doctor", 2, 0, 0, Group::Server, "4.0.0", "Reports memory problems.", memory_doctor)
    },
    CommandSpec {
        tips: TIPS_SHARDS_SPECIAL,
        complexity: "Depends on how much memory is allocated, could be slow",
        ..sub(
            "malloc-stats",
            2,
            0,
            0,
            Group::Server,
            "4.0.0",
            "Returns the allocator's statistics.",
            memory_malloc_stats,
        )
    },
    CommandSpec {
        tips: &["request_policy:all_shards", "response_policy:all_succeeded"],
        complexity: "Depends on how much memory is allocated, could be slow",
        ..sub(
            "purge",
            2,
            0,
            0,
            Group::Server,
            "4.0.0",
            "Asks the allocator to release memory.",
            memory_purge,
        )
    },
    CommandSpec {
        tips: TIPS_SHARDS_SPECIAL,
        lock: LockScope::All,
        ..sub(
            "stats",
            2,
            0,
            0,
            Group::Server,
            "4.0.0",
            "Returns memory usage figures.",
            memory_stats,
        )
    },
    CommandSpec {
        arguments: docs::MEMORY_USAGE,
        keys: MEMORY_USAGE_KEYS,
        complexity: "O(N) where N is the number of samples.",
        ..sub(
            "usage",
            -3,
            flags::READONLY,
            0,
            Group::Server,
            "4.0.0",
            "Estimates the memory a key and its value use.",
            memory_usage,
        )
    },
    sub("help", 2, LS, 0, Group::Server, "4.0.0", "Lists the MEMORY subcommands.", memory_help),
];

/// The introspection family.
pub static SPECS: &[CommandSpec] = &[
    CommandSpec {
        name: "command",
        arity: -1,
        flags: LS,
        acl: acl::CONNECTION,
        group: Group::Server,
        since: "2.8.13",
        summary: "Returns detailed information about all commands.",
        complexity: "O(N) where N is the total number of Redis commands",
        tips: NONDET_ORDER,
        subcommands: COMMAND_SUBCOMMANDS,
        handler: Some(command),
        ..CommandSpec::DEFAULT
    },
    container(
        "slowlog",
        Group::Server,
        "2.2.12",
        "A container of slow log commands.",
        SLOWLOG_SUBCOMMANDS,
    ),
    container(
        "latency",
        Group::Server,
        "2.8.13",
        "A container of latency diagnostics commands.",
        LATENCY_SUBCOMMANDS,
    ),
    container(
        "memory",
        Group::Server,
        "4.0.0",
        "A container of memory diagnostics commands.",
        MEMORY_SUBCOMMANDS,
    ),
    CommandSpec {
        name: "debug",
        doc_flags: docflags::SYSCMD,
        arity: -2,
        flags: ADMIN_NS_LS,
        group: Group::Server,
        since: "1.0.0",
        summary: "A container of debugging commands.",
        complexity: "Depends on subcommand.",
        handler: Some(debug),
        ..CommandSpec::DEFAULT
    },
    CommandSpec {
        name: "monitor",
        arity: 1,
        flags: ADMIN_NS_LS,
        group: Group::Server,
        since: "1.0.0",
        summary: "Streams every command the server executes.",
        handler: Some(monitor),
        ..CommandSpec::DEFAULT
    },
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jemalloc_classes() {
        assert_eq!(jemalloc_size(1), 8);
        assert_eq!(jemalloc_size(17), 32);
        assert_eq!(jemalloc_size(129), 160);
        assert_eq!(jemalloc_size(200), 224);
        assert_eq!(jemalloc_size(257), 320);
    }

    use crate::harness::Harness;

    fn err(r: Reply) -> String {
        match r {
            Reply::Error(e) => e.to_string(),
            other => panic!("expected an error, got {other:?}"),
        }
    }

    #[test]
    fn command_info_renders_every_command() {
        let mut h = Harness::new();
        let Reply::Array(all) = h.run(&["COMMAND"]) else { panic!("COMMAND is an array") };
        assert_eq!(all.len(), h.shared.table.len());
        assert_eq!(h.run(&["COMMAND", "COUNT"]), Reply::Integer(all.len() as i64));
        // MAY_REPLICATE is hidden; flags come as status strings in Redis's order.
        let Reply::Array(info) = h.run(&["COMMAND", "INFO", "echo", "nosuch", "CLIENT|SETINFO"])
        else {
            panic!()
        };
        assert_eq!(info[1], Reply::Null);
        let Reply::Array(echo) = &info[0] else { panic!() };
        assert_eq!(echo[2], Reply::Set(vec![status("loading"), status("stale"), status("fast")]));
        let Reply::Array(setinfo) = &info[2] else { panic!() };
        assert_eq!(setinfo[0], bulk_str("client|setinfo"));
        assert_eq!(setinfo[1], Reply::Integer(4));
    }

    #[test]
    fn getkeys_follows_key_specs() {
        let mut h = Harness::new();
        assert_eq!(
            h.run(&["COMMAND", "GETKEYS", "mset", "a", "1", "b", "2"]),
            Reply::Array(vec![bulk_str("a"), bulk_str("b")])
        );
        // Arity -3 (Redis 7.2): a lone command name reaches the handler.
        assert_eq!(
            err(h.run(&["COMMAND", "GETKEYS", "get"])),
            "ERR Invalid number of arguments specified for command"
        );
        assert_eq!(
            err(h.run(&["COMMAND", "GETKEYS", "ping"])),
            "ERR The command has no key arguments"
        );
        assert_eq!(err(h.run(&["COMMAND", "GETKEYS", "nosuch"])), "ERR Invalid command specified");
        assert_eq!(
            h.run(&["COMMAND", "GETKEYSANDFLAGS", "memory", "usage", "k"]),
            Reply::Array(vec![Reply::Array(vec![bulk_str("k"), Reply::Set(vec![status("RO")])])])
        );
    }

    #[test]
    fn command_list_filters() {
        let mut h = Harness::new();
        let Reply::Array(l) = h.run(&["COMMAND", "LIST", "FILTERBY", "PATTERN", "client|no-*"])
        else {
            panic!()
        };
        let mut names: Vec<_> = l.into_iter().collect();
        names.sort_by_key(|r| format!("{r:?}"));
        assert_eq!(names, vec![bulk_str("client|no-evict"), bulk_str("client|no-touch")]);
        assert_eq!(h.run(&["COMMAND", "LIST", "FILTERBY", "ACLCAT", "nope"]), Reply::Array(vec![]));
        assert_eq!(err(h.run(&["COMMAND", "LIST", "FILTERBY", "x", "y"])), "ERR syntax error");
    }

    #[test]
    fn debug_is_gated() {
        let mut h = Harness::new();
        assert_eq!(err(h.run(&["DEBUG", "SLEEP", "0"])), crate::dispatch::DEBUG_NOT_ALLOWED);
        let mut h = Harness::with_args(&["--enable-debug-command", "local"]);
        assert_eq!(h.run(&["DEBUG", "SLEEP", "0"]), Reply::OK);
        assert_eq!(err(h.run(&["DEBUG", "OBJECT", "nope"])), "ERR no such key");
        h.run(&["SET", "k", "12345"]);
        let Reply::Status(s) = h.run(&["DEBUG", "OBJECT", "k"]) else { panic!() };
        assert!(s.contains(" encoding:int serializedlength:"), "{s}");
        assert!(err(h.run(&["DEBUG", "NOPE"]))
            .starts_with("ERR unknown subcommand or wrong number of arguments for 'NOPE'"));
    }

    #[test]
    fn slowlog_and_latency() {
        let mut h = Harness::with_args(&[
            "--slowlog-log-slower-than",
            "0",
            "--latency-monitor-threshold",
            "1",
            "--enable-debug-command",
            "yes",
        ]);
        h.run(&["SLOWLOG", "RESET"]);
        h.run(&["AUTH", "secret"]);
        let Reply::Array(entries) = h.run(&["SLOWLOG", "GET", "1"]) else { panic!() };
        let Reply::Array(e) = &entries[0] else { panic!() };
        assert_eq!(e[3], Reply::Array(vec![bulk_str("AUTH"), bulk_str("(redacted)")]));
        assert_eq!(
            err(h.run(&["SLOWLOG", "GET", "-2"])),
            "ERR count should be greater than or equal to -1"
        );
        h.run(&["DEBUG", "SLEEP", "0.01"]);
        let Reply::Array(latest) = h.run(&["LATENCY", "LATEST"]) else { panic!() };
        let Reply::Array(ev) = &latest[0] else { panic!() };
        assert_eq!(ev[0], bulk_str("command"));
        assert_eq!(h.run(&["LATENCY", "RESET"]), Reply::Integer(1));
        assert_eq!(
            err(h.run(&["LATENCY", "GRAPH", "command"])),
            "ERR No samples available for event 'command'"
        );
    }

    #[test]
    fn memory_usage_and_function_stubs() {
        let mut h = Harness::new();
        assert_eq!(h.run(&["MEMORY", "USAGE", "nope"]), Reply::Null);
        h.run(&["SET", "k1", "v"]);
        assert_eq!(h.run(&["MEMORY", "USAGE", "k1"]), Reply::Integer(64));
        assert_eq!(err(h.run(&["MEMORY", "USAGE", "k1", "SAMPLES", "-1"])), "ERR syntax error");
        assert_eq!(h.run(&["FUNCTION", "FLUSH"]), Reply::OK);
        assert_eq!(h.run(&["FUNCTION", "LIST"]), Reply::Array(vec![]));
        assert_eq!(err(h.run(&["FUNCTION", "LIST", "foo"])), "ERR Unknown argument foo");
    }

    #[test]
    fn syntax_error_text() {
        let argv = vec![Bytes::from_static(b"client"), Bytes::from_static(b"pause")];
        assert_eq!(
            subcommand_syntax_error(&argv).to_string(),
            "ERR unknown subcommand or wrong number of arguments for 'pause'. Try CLIENT HELP."
        );
    }
}
