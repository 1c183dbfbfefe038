//! CONFIG: GET, SET, RESETSTAT, REWRITE, HELP, over the config crate's directive table.
//!
//! `ferrodis_config::Config` owns the values, their parsing and the exact CONFIG GET/SET/
//! REWRITE semantics and error texts (Redis 7.2's `src/config.c`); this module is the
//! command surface and the "apply" step: after a successful CONFIG SET it refreshes the
//! server's enforced [`crate::settings::Settings`] snapshot, reconfigures the slow log and
//! logging, changes directory for `dir`, and rolls back what cannot be applied at run time
//! (a new `port` or `bind`), as Redis does when applying fails.

use crate::commands::docs;
use crate::context::Ctx;
use crate::errors::CommandError;
use crate::spec::{flags, CommandSpec, Group, LockScope};
use bytes::Bytes;
use ferrodis_config::{RewriteOptions, SetContext, SetError, NO_CONFIG_FILE_ERROR};
use ferrodis_resp::Reply;

/// CONFIG GET parameter [parameter ...]
///
/// A map (RESP2: flat array) of every directive name matching one of the glob patterns
/// (case-insensitive) to its value as a string; names are not repeated; unknown names
/// give nothing.
pub fn config_get(ctx: &mut Ctx<'_>, argv: &[Bytes]) -> Result<Reply, CommandError> {
    let config = ctx.server.config.lock();
    let pairs = config.get(&argv[2..], |p, n| ferrodis_keyspace::glob::string_match(p, n, true));
    Ok(Reply::Map(
        pairs
            .into_iter()
            .map(|(n, v)| (Reply::bulk(n.as_bytes()), Reply::Bulk(Bytes::from(v))))
            .collect(),
    ))
}

/// CONFIG SET parameter value [parameter value ...]
///
/// `OK` once every directive is set and applied, all or nothing. Errors: `ERR syntax
/// error` (odd number of arguments), and the config crate's texts: `ERR Unknown option or
/// number of arguments for CONFIG SET - '<name>'`, `ERR CONFIG SET failed (possibly related
/// to argument '<name>') - <reason>` (immutable, protected, duplicate, invalid value, or
/// not applicable at run time: `Unable to listen on this port`, `Failed to bind to
/// specified addresses.`).
pub fn config_set(ctx: &mut Ctx<'_>, argv: &[Bytes]) -> Result<Reply, CommandError> {
    if argv.len() % 2 == 1 {
        return Err(CommandError::Syntax);
    }
    let pairs: Vec<(&[u8], &[u8])> =
        argv[2..].chunks_exact(2).map(|p| (&p[0][..], &p[1][..])).collect();
    let set_ctx = SetContext { client_is_local: ctx.client.is_local(), loading: false };
    let mut config = ctx.server.config.lock();
    let outcome = config.set(&pairs, &set_ctx).map_err(set_error)?;
    let current = ctx.server.settings.read().clone();
    let mut next = crate::config_bridge::settings_from(&config);
    // What cannot change while running is restored, as a failed apply step in Redis.
    let refusal = if next.port != current.port {
        Some(("port", "Unable to listen on this port"))
    } else if next.bind != current.bind {
        Some(("bind", "Failed to bind to specified addresses."))
    } else {
        None
    };
    if let Some((name, reason)) = refusal {
        config.rollback(&outcome);
        return Err(set_error(SetError::apply_failed(name, reason)));
    }
    if next.dir != current.dir {
        if let Err(e) = std::env::set_current_dir(&next.dir) {
            config.rollback(&outcome);
            return Err(set_error(SetError::apply_failed("dir", &e.to_string())));
        }
    }
    drop(config);
    next.renamed_commands = current.renamed_commands.clone();
    next.maxclients = next.maxclients.max(1);
    ctx.server.slowlog.configure(next.slowlog_log_slower_than_us, next.slowlog_max_len);
    if next.loglevel != current.loglevel || next.logfile != current.logfile {
        crate::config_bridge::apply_logging(&next);
    }
    if next.jemalloc_bg_thread != current.jemalloc_bg_thread {
        crate::memory::set_background_thread(next.jemalloc_bg_thread);
    }
    ctx.server.notify.configure(&ctx.server.keyspace, next.notify_keyspace_events);
    let max_keys = next.tracking_table_max_keys;
    *ctx.server.settings.write() = next;
    if max_keys != current.tracking_table_max_keys {
        ctx.server.tracking.limit(ctx.server, max_keys);
    }
    for name in outcome.unenforced_changed() {
        crate::log::warning(&format!(
            "WARNING: the configuration directive '{name}' is accepted but not enforced by Ferrodis yet."
        ));
    }
    Ok(Reply::OK)
}

fn set_error(e: SetError) -> CommandError {
    CommandError::custom(e.to_string())
}

/// CONFIG RESETSTAT — `OK` after zeroing the statistics INFO reports: command and error
/// counters, per-command statistics and latency histograms, network totals, and the
/// keyspace's `keyspace_hits`, `keyspace_misses` and `expired_keys` (Redis's
/// `resetServerStats`).
pub fn config_resetstat(ctx: &mut Ctx<'_>, _argv: &[Bytes]) -> Result<Reply, CommandError> {
    for shard in ctx.shards.iter_mut() {
        for db in shard.dbs.iter_mut() {
            db.stats = Default::default();
        }
    }
    ctx.server.stats.reset();
    for s in &ctx.server.table.stats {
        s.reset();
    }
    ctx.server.clients.rejected_connections.store(0, std::sync::atomic::Ordering::Relaxed);
    Ok(Reply::OK)
}

/// CONFIG REWRITE — `OK` after rewriting the config file with the current values. Errors:
/// `ERR The server is running without a config file`, `ERR Rewriting config file:
/// <reason>`.
pub fn config_rewrite(ctx: &mut Ctx<'_>, _argv: &[Bytes]) -> Result<Reply, CommandError> {
    let config = ctx.server.config.lock();
    let Some(path) = config.config_file().map(|p| p.to_path_buf()) else {
        return Err(CommandError::custom(format!("ERR {NO_CONFIG_FILE_ERROR}")));
    };
    match config.rewrite(&path, &RewriteOptions::default()) {
        Ok(()) => {
            crate::log::notice("CONFIG REWRITE executed with success.");
            Ok(Reply::OK)
        }
        Err(e) => {
            crate::log::warning(&format!("CONFIG REWRITE failed: {}", e.reason()));
            Err(CommandError::custom(e.to_string()))
        }
    }
}

const CONFIG_HELP: &[&str] = &[
    "GET <pattern>",
    "    Return parameters matching the glob-like <pattern> and their values.",
    "SET <directive> <value>",
    "    Set the configuration <directive> to <value>.",
    "RESETSTAT",
    "    Reset statistics reported by the INFO command.",
    "REWRITE",
    "    Rewrite the configuration file.",
];

/// CONFIG HELP — the subcommand list.
pub fn config_help(_ctx: &mut Ctx<'_>, _argv: &[Bytes]) -> Result<Reply, CommandError> {
    Ok(crate::commands::introspection::help_reply("CONFIG", CONFIG_HELP))
}

const ADMIN: u64 = flags::ADMIN | flags::NOSCRIPT | flags::LOADING | flags::STALE;

static CONFIG_SUBCOMMANDS: &[CommandSpec] = &[
    CommandSpec {
        name: "get",
        history: docs::CONFIG_GET_HISTORY,
        arguments: docs::CONFIG_GET,
        arity: -3,
        flags: ADMIN,
        group: Group::Server,
        since: "2.0.0",
        summary: "Returns the values of configuration directives.",
        complexity: "O(N) when N is the number of configuration parameters provided",
        handler: Some(config_get),
        ..CommandSpec::DEFAULT
    },
    CommandSpec {
        name: "set",
        history: docs::CONFIG_SET_HISTORY,
        arguments: docs::CONFIG_SET,
        arity: -4,
        flags: ADMIN,
        group: Group::Server,
        since: "2.0.0",
        summary: "Sets configuration directives at run time.",
        complexity: "O(N) when N is the number of configuration parameters provided",
        tips: &["request_policy:all_nodes", "response_policy:all_succeeded"],
        handler: Some(config_set),
        ..CommandSpec::DEFAULT
    },
    CommandSpec {
        name: "resetstat",
        arity: 2,
        flags: ADMIN,
        tips: &["request_policy:all_nodes", "response_policy:all_succeeded"],
        group: Group::Server,
        since: "2.0.0",
        summary: "Zeroes the server's statistics.",
        handler: Some(config_resetstat),
        lock: LockScope::All,
        ..CommandSpec::DEFAULT
    },
    CommandSpec {
        name: "rewrite",
        arity: 2,
        flags: ADMIN,
        tips: &["request_policy:all_nodes", "response_policy:all_succeeded"],
        group: Group::Server,
        since: "2.8.0",
        summary: "Saves the running configuration to the config file.",
        handler: Some(config_rewrite),
        ..CommandSpec::DEFAULT
    },
    CommandSpec {
        name: "help",
        arity: 2,
        flags: flags::LOADING | flags::STALE,
        group: Group::Server,
        since: "5.0.0",
        summary: "Lists the CONFIG subcommands.",
        handler: Some(config_help),
        ..CommandSpec::DEFAULT
    },
];

/// The CONFIG family.
pub static SPECS: &[CommandSpec] = &[CommandSpec {
    name: "config",
    arity: -2,
    group: Group::Server,
    since: "2.0.0",
    summary: "A container of runtime configuration commands.",
    complexity: "Depends on subcommand.",
    subcommands: CONFIG_SUBCOMMANDS,
    ..CommandSpec::DEFAULT
}];
