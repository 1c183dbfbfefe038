//! Turns the configuration (redis.conf plus command-line directives) into the running
//! server's [`Settings`], and applies CONFIG SET changes to them.
//!
//! The config crate owns the directive table, parsing and CONFIG GET/SET/REWRITE semantics;
//! this module knows which directives the server enforces and how.

use crate::commands;
use crate::log;
use crate::settings::Settings;
use ferrodis_config::{ArgvConfig, Config, LoadHooks, LogLevel, ProtectedAction, Supervised};

/// Loads the configuration from redis-server style arguments
/// (`[configfile] [--directive value ...]`). On failure returns the exact report Redis prints
/// (`*** FATAL CONFIG FILE ERROR ***` naming the line).
pub fn load(args: &[String]) -> Result<Config, String> {
    let argv = ArgvConfig::from_args(args);
    let exists =
        |name: &[u8]| commands::all_specs().any(|s| s.name.as_bytes().eq_ignore_ascii_case(name));
    let hooks = LoadHooks { command_exists: Some(&exists), ..LoadHooks::default() };
    Config::load(&argv, &hooks).map_err(|e| e.to_string())
}

/// The enforced settings of `config`.
pub fn settings_from(config: &Config) -> Settings {
    Settings {
        port: config.port(),
        bind: config.bind(),
        unixsocket: config.unixsocket().map(|p| p.display().to_string()),
        unixsocketperm: config.unixsocketperm(),
        protected_mode: config.protected_mode(),
        requirepass: config.requirepass(),
        databases: config.databases(),
        timeout_secs: config.timeout_secs(),
        tcp_keepalive_secs: config.tcp_keepalive_secs(),
        tcp_backlog: config.tcp_backlog(),
        maxclients: config.maxclients() as usize,
        proto_max_bulk_len: config.proto_max_bulk_len(),
        client_query_buffer_limit: config.client_query_buffer_limit(),
        hz: config.hz(),
        enable_debug_command: match config.enable_debug_command() {
            ProtectedAction::No => "no",
            ProtectedAction::Yes => "yes",
            ProtectedAction::Local => "local",
        }
        .to_string(),
        slowlog_log_slower_than_us: config.slowlog_log_slower_than(),
        slowlog_max_len: config.slowlog_max_len(),
        latency_monitor_threshold_ms: config.latency_monitor_threshold(),
        active_expire_effort: config.active_expire_effort(),
        dir: config.dir().display().to_string(),
        logfile: config.logfile().map(|p| p.display().to_string()).unwrap_or_default(),
        loglevel: match config.loglevel() {
            LogLevel::Debug => "debug",
            LogLevel::Verbose => "verbose",
            LogLevel::Notice => "notice",
            LogLevel::Warning => "warning",
            LogLevel::Nothing => "nothing",
        }
        .to_string(),
        pidfile: config.pidfile().map(|p| p.display().to_string()),
        daemonize: config.daemonize(),
        supervised: match config.supervised() {
            Supervised::No => "no",
            Supervised::Upstart => "upstart",
            Supervised::Systemd => "systemd",
            Supervised::Auto => "auto",
        }
        .to_string(),
        renamed_commands: config.renamed_commands(),
        encoding: ferrodis_keyspace::EncodingLimits {
            list_max_listpack_size: config.list_max_listpack_size(),
            list_compress_depth: config.list_compress_depth(),
            hash_max_listpack_entries: config.hash_max_listpack_entries(),
            hash_max_listpack_value: config.hash_max_listpack_value(),
            set_max_intset_entries: config.set_max_intset_entries(),
            set_max_listpack_entries: config.set_max_listpack_entries(),
            set_max_listpack_value: config.set_max_listpack_value(),
            zset_max_listpack_entries: config.zset_max_listpack_entries(),
            zset_max_listpack_value: config.zset_max_listpack_value(),
            hll_sparse_max_bytes: config.hll_sparse_max_bytes(),
        },
        client_output_buffer_limits: config.client_output_buffer_limits(),
        notify_keyspace_events: config.notify_keyspace_events(),
        tracking_table_max_keys: config.tracking_table_max_keys(),
        busy_reply_threshold_ms: config.busy_reply_threshold_ms(),
        jemalloc_bg_thread: config.jemalloc_bg_thread(),
    }
}

/// Applies the logging settings.
pub fn apply_logging(settings: &Settings) {
    let level = log::Level::parse(&settings.loglevel).unwrap_or(log::Level::Notice);
    log::configure(level, &settings.logfile);
}

/// Logs a WARNING for every directive that is set to a non-default value but not enforced
/// yet, as the issue requires at start-up.
pub fn warn_unenforced(config: &Config) {
    for w in config.warnings() {
        log::warning(w);
    }
    // Persistence is the one unenforced setting whose default matters: Redis saves RDB
    // snapshots by default, Ferrodis does not write any yet. Say so whatever the config.
    if !config.save_params().is_empty()
        || config.get_value("appendonly").as_deref() == Some(&b"yes"[..])
    {
        log::warning(
            "WARNING: persistence is not implemented yet: no RDB snapshot ('save') or AOF is written, and data is lost when the server stops.",
        );
    }
    for u in config.unenforced() {
        if u.non_default {
            log::warning(&format!(
                "WARNING: the configuration directive '{}' is accepted but not enforced by Ferrodis yet.",
                u.name
            ));
        }
    }
}
