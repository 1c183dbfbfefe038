//! The live configuration: every directive's current value, `CONFIG GET`,
//! `CONFIG SET`, and typed getters for what Ferrodis enforces.

use std::fmt;
use std::io::Read;
use std::path::{Path, PathBuf};

use crate::cstr::cstr;
use crate::parse::{ArgvConfig, LoadError, LoadHooks, Loader};
use crate::table::{self, ConfigDef, Flags, Kind, CONFIGS};
use crate::value::{self, bytes_path, path_bytes, SaveState, SetEnv, Value};

/// Table indices of the directives with typed getters (checked at compile
/// time).
pub(crate) mod id {
    use crate::table::index_of;
    pub const PORT: usize = index_of("port");
    pub const BIND: usize = index_of("bind");
    pub const UNIXSOCKET: usize = index_of("unixsocket");
    pub const UNIXSOCKETPERM: usize = index_of("unixsocketperm");
    pub const PROTECTED_MODE: usize = index_of("protected-mode");
    pub const REQUIREPASS: usize = index_of("requirepass");
    pub const DATABASES: usize = index_of("databases");
    pub const TIMEOUT: usize = index_of("timeout");
    pub const TCP_KEEPALIVE: usize = index_of("tcp-keepalive");
    pub const TCP_BACKLOG: usize = index_of("tcp-backlog");
    pub const MAXCLIENTS: usize = index_of("maxclients");
    pub const DAEMONIZE: usize = index_of("daemonize");
    pub const JEMALLOC_BG_THREAD: usize = index_of("jemalloc-bg-thread");
    pub const PIDFILE: usize = index_of("pidfile");
    pub const SUPERVISED: usize = index_of("supervised");
    pub const LOGLEVEL: usize = index_of("loglevel");
    pub const LOGFILE: usize = index_of("logfile");
    pub const DIR: usize = index_of("dir");
    pub const PROTO_MAX_BULK_LEN: usize = index_of("proto-max-bulk-len");
    pub const CLIENT_QUERY_BUFFER_LIMIT: usize = index_of("client-query-buffer-limit");
    pub const HZ: usize = index_of("hz");
    pub const DYNAMIC_HZ: usize = index_of("dynamic-hz");
    pub const SLOWLOG_LOG_SLOWER_THAN: usize = index_of("slowlog-log-slower-than");
    pub const SLOWLOG_MAX_LEN: usize = index_of("slowlog-max-len");
    pub const LATENCY_MONITOR_THRESHOLD: usize = index_of("latency-monitor-threshold");
    pub const ENABLE_DEBUG_COMMAND: usize = index_of("enable-debug-command");
    pub const ENABLE_PROTECTED_CONFIGS: usize = index_of("enable-protected-configs");
    pub const ENABLE_MODULE_COMMAND: usize = index_of("enable-module-command");
    pub const LIST_MAX_LISTPACK_SIZE: usize = index_of("list-max-listpack-size");
    pub const LIST_COMPRESS_DEPTH: usize = index_of("list-compress-depth");
    pub const HASH_MAX_LISTPACK_ENTRIES: usize = index_of("hash-max-listpack-entries");
    pub const HASH_MAX_LISTPACK_VALUE: usize = index_of("hash-max-listpack-value");
    pub const SET_MAX_INTSET_ENTRIES: usize = index_of("set-max-intset-entries");
    pub const SET_MAX_LISTPACK_ENTRIES: usize = index_of("set-max-listpack-entries");
    pub const SET_MAX_LISTPACK_VALUE: usize = index_of("set-max-listpack-value");
    pub const ZSET_MAX_LISTPACK_ENTRIES: usize = index_of("zset-max-listpack-entries");
    pub const ZSET_MAX_LISTPACK_VALUE: usize = index_of("zset-max-listpack-value");
    pub const HLL_SPARSE_MAX_BYTES: usize = index_of("hll-sparse-max-bytes");
    pub const ACTIVE_EXPIRE_EFFORT: usize = index_of("active-expire-effort");
    pub const IO_THREADS: usize = index_of("io-threads");
    pub const ALWAYS_SHOW_LOGO: usize = index_of("always-show-logo");
    pub const SET_PROC_TITLE: usize = index_of("set-proc-title");
    pub const PROC_TITLE_TEMPLATE: usize = index_of("proc-title-template");
    pub const SYSLOG_ENABLED: usize = index_of("syslog-enabled");
    pub const SYSLOG_IDENT: usize = index_of("syslog-ident");
    pub const SYSLOG_FACILITY: usize = index_of("syslog-facility");
    pub const CRASH_LOG_ENABLED: usize = index_of("crash-log-enabled");
    pub const CLUSTER_ENABLED: usize = index_of("cluster-enabled");
    pub const REPLICAOF: usize = index_of("replicaof");
    pub const ACLFILE: usize = index_of("aclfile");
    pub const MAXMEMORY: usize = index_of("maxmemory");
    pub const SAVE: usize = index_of("save");
    pub const CLIENT_OUTPUT_BUFFER_LIMIT: usize = index_of("client-output-buffer-limit");
    pub const NOTIFY_KEYSPACE_EVENTS: usize = index_of("notify-keyspace-events");
    pub const TRACKING_TABLE_MAX_KEYS: usize = index_of("tracking-table-max-keys");
    pub const BUSY_REPLY_THRESHOLD: usize = index_of("busy-reply-threshold");
}

/// `loglevel` (`LL_*` in Redis).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum LogLevel {
    /// `debug`: a lot of information.
    Debug,
    /// `verbose`.
    Verbose,
    /// `notice` (default).
    Notice,
    /// `warning`: only important messages.
    Warning,
    /// `nothing`: log nothing.
    Nothing,
}

/// `supervised` mode.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Supervised {
    /// `no` (default).
    No,
    /// `upstart`: signal readiness with SIGSTOP.
    Upstart,
    /// `systemd`: signal readiness over `$NOTIFY_SOCKET`.
    Systemd,
    /// `auto`: detect from `UPSTART_JOB` / `NOTIFY_SOCKET`.
    Auto,
}

/// Values of `enable-debug-command`, `enable-module-command` and
/// `enable-protected-configs`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ProtectedAction {
    /// `no`: always refused (default).
    No,
    /// `yes`: always allowed.
    Yes,
    /// `local`: allowed for connections from loopback or a Unix socket.
    Local,
}

impl ProtectedAction {
    /// Redis `allowProtectedAction()`.
    pub fn allows(self, client_is_local: bool) -> bool {
        match self {
            ProtectedAction::No => false,
            ProtectedAction::Yes => true,
            ProtectedAction::Local => client_is_local,
        }
    }
}

/// Where the server is in its life cycle when `CONFIG SET` runs, and who
/// asks.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SetContext {
    /// The client is connected over loopback or a Unix socket (for
    /// `enable-protected-configs local`).
    pub client_is_local: bool,
    /// The dataset is being loaded (`DENY_LOADING` directives are refused).
    pub loading: bool,
}

/// A successful `CONFIG SET`: which directives changed, and what they were
/// before (so the server can [`Config::rollback`] if applying a change
/// fails, as Redis does when e.g. it cannot listen on a new port).
#[derive(Clone, Debug)]
pub struct SetOutcome {
    /// Canonical names whose value differs from before, in argument order,
    /// without duplicates.
    pub changed: Vec<&'static str>,
    previous: Vec<(usize, Value)>,
}

impl SetOutcome {
    /// The changed directives Ferrodis does not enforce (the server logs a
    /// warning for each).
    pub fn unenforced_changed(&self) -> Vec<&'static str> {
        self.changed
            .iter()
            .copied()
            .filter(|n| table::lookup(n.as_bytes()).is_some_and(|l| !l.def().enforced))
            .collect()
    }
}

/// Why `CONFIG SET` failed. `Display` is the exact error line Redis replies
/// with (without the leading `-`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SetError {
    /// A `DENY_LOADING` directive while loading:
    /// `LOADING Redis is loading the dataset in memory`.
    Loading,
    /// `ERR Unknown option or number of arguments for CONFIG SET - '<name>'`.
    UnknownOption(String),
    /// `ERR CONFIG SET failed (possibly related to argument '<name>') -
    /// <reason>` (or without ` - <reason>`).
    Failed {
        /// The argument named in the message.
        name: String,
        /// The reason, e.g. `can't set immutable config`.
        reason: Option<String>,
    },
}

impl SetError {
    /// The error for a failed apply step (listening on a new port, ...),
    /// after the server has called [`Config::rollback`].
    pub fn apply_failed(name: &str, reason: &str) -> SetError {
        SetError::Failed { name: name.to_string(), reason: Some(reason.to_string()) }
    }
}

impl fmt::Display for SetError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SetError::Loading => f.write_str("LOADING Redis is loading the dataset in memory"),
            SetError::UnknownOption(name) => {
                write!(f, "ERR Unknown option or number of arguments for CONFIG SET - '{name}'")
            }
            SetError::Failed { name, reason: Some(reason) } => {
                write!(
                    f,
                    "ERR CONFIG SET failed (possibly related to argument '{name}') - {reason}"
                )
            }
            SetError::Failed { name, reason: None } => {
                write!(f, "ERR CONFIG SET failed (possibly related to argument '{name}')")
            }
        }
    }
}

impl std::error::Error for SetError {}

/// A directive that was set (in the config file, on the command line, or
/// with `CONFIG SET`) but that Ferrodis does not implement.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Unenforced {
    /// Canonical directive name, or the module config name.
    pub name: String,
    /// Whether the value differs from Redis' default (`user`, `loadmodule`
    /// and module configs always count as non-default).
    pub non_default: bool,
}

/// The full configuration state: one value per directive of
/// [`table::CONFIGS`], plus the config-file-only directives.
///
/// Created with [`Config::new`] (defaults) or [`Config::load`] (startup);
/// changed with [`Config::set`]; read with [`Config::get`] and the typed
/// getters; saved with [`Config::rewrite`].
#[derive(Clone, Debug)]
pub struct Config {
    pub(crate) values: Vec<Value>,
    pub(crate) explicit: Vec<bool>,
    pub(crate) renames: Vec<(Vec<u8>, Vec<u8>)>,
    pub(crate) users: Vec<Vec<Vec<u8>>>,
    pub(crate) modules: Vec<Vec<Vec<u8>>>,
    pub(crate) module_configs: Vec<(Vec<u8>, Vec<u8>)>,
    pub(crate) sentinel_directive: bool,
    pub(crate) config_file: Option<PathBuf>,
    pub(crate) warnings: Vec<String>,
}

impl Default for Config {
    fn default() -> Self {
        Config::new()
    }
}

impl Config {
    /// Every directive at its Redis 7.2 default. `dir` defaults to the
    /// process' current directory (empty if it cannot be determined, like a
    /// failing `getcwd()`).
    pub fn new() -> Config {
        let cwd = std::env::current_dir().unwrap_or_default();
        Config {
            values: CONFIGS.iter().map(|d| value::default_value(d, &cwd)).collect(),
            explicit: vec![false; CONFIGS.len()],
            renames: Vec::new(),
            users: Vec::new(),
            modules: Vec::new(),
            module_configs: Vec::new(),
            sentinel_directive: false,
            config_file: None,
            warnings: Vec::new(),
        }
    }

    /// Load the startup configuration like `redis-server` does: the config
    /// file, then stdin (if `argv.read_stdin`, read here from the process'
    /// stdin), then the command-line options. `include`d files are read as
    /// they are met; relative paths are relative to the current `dir`.
    ///
    /// On error the caller prints the [`LoadError`] (to stderr for
    /// [`LoadError::Fatal`], through its logger for
    /// [`LoadError::CantOpen`]) and exits with status 1.
    ///
    /// Not done here (server's job, after this returns): the check that
    /// `logfile` can be opened for appending (report it with
    /// [`crate::FatalConfigError::without_line`]`("Can't open the log file:
    /// <strerror>")`), and actually `chdir()`ing into [`Config::dir`].
    pub fn load(argv: &ArgvConfig, hooks: &LoadHooks<'_>) -> Result<Config, LoadError> {
        let mut stdin = std::io::stdin();
        Config::load_with_stdin(argv, &mut stdin, hooks)
    }

    /// [`Config::load`] with an explicit stdin (only read when
    /// `argv.read_stdin`).
    pub fn load_with_stdin(
        argv: &ArgvConfig,
        stdin: &mut dyn Read,
        hooks: &LoadHooks<'_>,
    ) -> Result<Config, LoadError> {
        let mut cfg = Config::new();
        if argv.options.is_none() && argv.config_file.is_none() && !argv.read_stdin {
            return Ok(cfg);
        }
        if let Some(file) = &argv.config_file {
            cfg.config_file = Some(cfg.cwd().join(bytes_path(cstr(file))));
        }
        let input = if argv.read_stdin {
            let mut buf = Vec::new();
            // fgets() stops at the first read error, like EOF.
            let _ = stdin.read_to_end(&mut buf);
            Some(buf)
        } else {
            None
        };
        Loader::new(&mut cfg, *hooks).load_server_config(
            argv.config_file.as_deref(),
            input.as_deref(),
            Some(argv.options.as_deref().unwrap_or_default()),
        )?;
        Ok(cfg)
    }

    /// Load `text` as the content of a config file (handy for tests and
    /// embedding; `include` paths are relative to the current directory).
    pub fn load_str(text: &[u8], hooks: &LoadHooks<'_>) -> Result<Config, LoadError> {
        let mut cfg = Config::new();
        Loader::new(&mut cfg, *hooks).load_from_string(text)?;
        Ok(cfg)
    }

    pub(crate) fn cwd(&self) -> PathBuf {
        match &self.values[id::DIR] {
            Value::Dir(d) => bytes_path(d),
            _ => PathBuf::new(),
        }
    }

    pub(crate) fn explicit_directive(&mut self, name: &str) {
        if let Some(l) = table::lookup(name.as_bytes()) {
            self.explicit[l.index] = true;
        }
    }

    /// `updateHZ()` / end of config loading: `hz` is a hint, clamped to
    /// 1..=500.
    pub(crate) fn clamp_hz(&mut self) {
        if let Value::Num(hz) = &mut self.values[id::HZ] {
            *hz = (*hz).clamp(1, 500);
        }
    }

    // -----------------------------------------------------------------------
    // CONFIG GET
    // -----------------------------------------------------------------------

    /// `CONFIG GET pattern [pattern ...]` (Redis 7.2 `configGetCommand()`).
    ///
    /// * A pattern without `*`, `?` or `[` is an exact, case-insensitive name
    ///   lookup (hidden directives included); the reply uses the name as the
    ///   client wrote it (`CONFIG GET PORT` answers `PORT`).
    /// * Otherwise every non-hidden name matching `matches(pattern, name)`
    ///   is returned: canonical names and aliases alike (`CONFIG GET *`
    ///   returns both `replica-read-only` and `slave-read-only`). Redis
    ///   matches case-insensitively (`stringmatch(pattern, name, 1)`), so
    ///   `matches` should be the server's glob matcher with `nocase` set.
    /// * A name already in the reply is not repeated (compared
    ///   case-insensitively).
    ///
    /// Returns `(name, value)` pairs; values render exactly as Redis 7.2
    /// (memory in plain bytes, `yes`/`no`, enum names, `save` as
    /// `"3600 1 300 100 60 10000"`, ...). Redis answers in hash-table order;
    /// this answers in table order.
    pub fn get<P: AsRef<[u8]>>(
        &self,
        patterns: &[P],
        matches: impl Fn(&[u8], &[u8]) -> bool,
    ) -> Vec<(String, Vec<u8>)> {
        let mut out: Vec<(String, Vec<u8>)> = Vec::new();
        let seen = |out: &Vec<(String, Vec<u8>)>, name: &[u8]| {
            out.iter().any(|(n, _)| n.as_bytes().eq_ignore_ascii_case(name))
        };
        for pattern in patterns {
            let pattern = pattern.as_ref();
            let c_pattern = cstr(pattern);
            if !c_pattern.iter().any(|c| matches!(c, b'[' | b'*' | b'?')) {
                if seen(&out, pattern) {
                    continue;
                }
                if let Some(l) = table::lookup_standard(pattern) {
                    let name = String::from_utf8_lossy(c_pattern).into_owned();
                    out.push((name, self.render(l.index)));
                }
                continue;
            }
            for (index, def) in CONFIGS.iter().enumerate() {
                if !def.is_standard() || def.has(Flags::HIDDEN) {
                    continue;
                }
                for name in std::iter::once(def.name).chain(def.alias) {
                    if !seen(&out, name.as_bytes()) && matches(c_pattern, name.as_bytes()) {
                        out.push((name.to_string(), self.render(index)));
                    }
                }
            }
        }
        out
    }

    /// The `CONFIG GET` rendering of one directive (canonical name or alias,
    /// case-insensitive), or `None` if there is no such standard directive.
    pub fn get_value(&self, name: &str) -> Option<Vec<u8>> {
        table::lookup_standard(name.as_bytes()).map(|l| self.render(l.index))
    }

    fn render(&self, index: usize) -> Vec<u8> {
        value::render(&CONFIGS[index], &self.values[index])
    }

    // -----------------------------------------------------------------------
    // CONFIG SET
    // -----------------------------------------------------------------------

    /// `CONFIG SET name value [name value ...]` (Redis 7.2
    /// `configSetCommand()`), all or nothing.
    ///
    /// Checks, in Redis' order and with Redis' messages: unknown names
    /// (`Unknown option or number of arguments for CONFIG SET - '<name>'`),
    /// `can't set immutable config`, `can't set protected config` (unless
    /// `enable-protected-configs` allows it for this client), `LOADING` for
    /// `DENY_LOADING` directives while loading, `duplicate parameter`; then
    /// parses every value in order (multi-argument directives split the
    /// value on single spaces) and fails with the first parse error,
    /// leaving the configuration untouched.
    ///
    /// On success the new values are in place; the server must then apply
    /// the changed ones (listen on the new port, ...) and, if that fails,
    /// call [`Config::rollback`] and reply with
    /// [`SetError::apply_failed`]. `hz` is clamped to 1..=500 here, like
    /// Redis' apply step does. `dir` is validated and made absolute but the
    /// process' directory is not changed.
    pub fn set<N: AsRef<[u8]>, V: AsRef<[u8]>>(
        &mut self,
        pairs: &[(N, V)],
        ctx: &SetContext,
    ) -> Result<SetOutcome, SetError> {
        let protected_ok =
            self.protected_action(id::ENABLE_PROTECTED_CONFIGS).allows(ctx.client_is_local);
        let mut invalid = false;
        let mut deny_loading = false;
        let mut unknown: Option<&[u8]> = None;
        let mut failure: Option<(&[u8], &'static str)> = None;
        let mut targets: Vec<table::Lookup> = Vec::with_capacity(pairs.len());
        for (name, _) in pairs {
            let name = name.as_ref();
            let Some(l) = table::lookup_standard(name) else {
                if !invalid {
                    unknown = Some(name);
                    invalid = true;
                }
                continue;
            };
            if invalid {
                continue;
            }
            let def = l.def();
            if def.has(Flags::IMMUTABLE) || (def.has(Flags::PROTECTED) && !protected_ok) {
                let why = if def.has(Flags::IMMUTABLE) {
                    "can't set immutable config"
                } else {
                    "can't set protected config"
                };
                failure = Some((name, why));
                invalid = true;
                continue;
            }
            if ctx.loading && def.has(Flags::DENY_LOADING) {
                deny_loading = true;
                invalid = true;
                continue;
            }
            // Redis compares config objects: an alias and its canonical name
            // are distinct objects, the same name in another case is not.
            if targets.contains(&l) {
                failure = Some((name, "duplicate parameter"));
                invalid = true;
            }
            targets.push(l);
        }
        if invalid {
            return Err(if deny_loading {
                SetError::Loading
            } else if let Some(name) = unknown {
                SetError::UnknownOption(String::from_utf8_lossy(cstr(name)).into_owned())
            } else {
                let (name, why) = failure.unwrap_or((b"", ""));
                SetError::Failed {
                    name: String::from_utf8_lossy(cstr(name)).into_owned(),
                    reason: Some(why.to_string()),
                }
            });
        }

        // Parse everything against a staged copy, in argument order.
        let mut staged: Vec<(usize, Value)> = Vec::new();
        for (l, (_, raw)) in targets.iter().zip(pairs) {
            let def = l.def();
            let raw = raw.as_ref();
            let args: Vec<Vec<u8>> = if def.has(Flags::MULTI_ARG) {
                crate::cstr::split_len(raw, b' ').into_iter().map(<[u8]>::to_vec).collect()
            } else {
                vec![raw.to_vec()]
            };
            let current = staged
                .iter()
                .rev()
                .find(|(i, _)| *i == l.index)
                .map_or(&self.values[l.index], |(_, v)| v);
            let cwd = match staged.iter().rev().find(|(i, _)| *i == id::DIR) {
                Some((_, Value::Dir(d))) => bytes_path(d),
                _ => self.cwd(),
            };
            let mut save = SaveState::RUNTIME;
            let mut env = SetEnv { save: &mut save, cwd: &cwd };
            match value::parse(def, current, &args, &mut env) {
                Ok(mut v) => {
                    if l.index == id::HZ {
                        if let Value::Num(hz) = &mut v {
                            *hz = (*hz).clamp(1, 500);
                        }
                    }
                    staged.push((l.index, v));
                }
                Err(reason) => {
                    return Err(SetError::Failed {
                        name: l.name().to_string(),
                        reason: Some(reason),
                    })
                }
            }
        }

        let mut previous: Vec<(usize, Value)> = Vec::new();
        let mut changed: Vec<&'static str> = Vec::new();
        for (index, _) in &staged {
            if !previous.iter().any(|(i, _)| i == index) {
                previous.push((*index, self.values[*index].clone()));
            }
        }
        for (index, v) in staged {
            self.values[index] = v;
            self.explicit[index] = true;
        }
        for (index, old) in &previous {
            if self.values[*index] != *old {
                changed.push(CONFIGS[*index].name);
            }
        }
        Ok(SetOutcome { changed, previous })
    }

    /// Undo a [`Config::set`] (Redis `restoreBackupConfig()`), e.g. when the
    /// server failed to apply the new values.
    pub fn rollback(&mut self, outcome: &SetOutcome) {
        for (index, old) in &outcome.previous {
            if let Some(slot) = self.values.get_mut(*index) {
                *slot = old.clone();
            }
        }
    }

    // -----------------------------------------------------------------------
    // Reporting
    // -----------------------------------------------------------------------

    /// Directives that were set (config file, command line or `CONFIG SET`)
    /// but are not implemented by Ferrodis, plus `user`, `loadmodule` and
    /// module configs, in table order. The server logs a WARNING for each
    /// (typically only for `non_default` ones).
    pub fn unenforced(&self) -> Vec<Unenforced> {
        let cwd = self.cwd();
        let mut out = Vec::new();
        for (index, def) in CONFIGS.iter().enumerate() {
            if !self.explicit[index] || def.enforced {
                continue;
            }
            let non_default = match def.kind {
                Kind::Directive(_) => true,
                _ => self.values[index] != value::default_value(def, &cwd),
            };
            out.push(Unenforced { name: def.name.to_string(), non_default });
        }
        for (name, _) in &self.module_configs {
            out.push(Unenforced {
                name: String::from_utf8_lossy(name).into_owned(),
                non_default: true,
            });
        }
        out
    }

    /// Warnings produced while loading (e.g. `databases` forced to 1 in
    /// cluster mode), for the server to log at WARNING level.
    pub fn warnings(&self) -> &[String] {
        &self.warnings
    }

    /// Absolute path of the config file given at startup, if any (what
    /// `CONFIG REWRITE` rewrites).
    pub fn config_file(&self) -> Option<&Path> {
        self.config_file.as_deref()
    }

    /// The table entry and current `CONFIG GET` rendering of every standard
    /// directive (canonical names only), e.g. for `INFO`/debug dumps.
    pub fn iter(&self) -> impl Iterator<Item = (&'static ConfigDef, Vec<u8>)> + '_ {
        CONFIGS
            .iter()
            .enumerate()
            .filter(|(_, d)| d.is_standard())
            .map(|(i, d)| (d, self.render(i)))
    }

    // -----------------------------------------------------------------------
    // Typed getters (enforced directives)
    // -----------------------------------------------------------------------

    fn num(&self, index: usize) -> i64 {
        match (&self.values[index], CONFIGS[index].kind) {
            (Value::Num(v), _) => *v,
            (_, Kind::Int(s) | Kind::Memory(s) | Kind::MemoryOrPercent(s) | Kind::Octal(s)) => {
                s.default
            }
            _ => 0,
        }
    }

    fn flag(&self, index: usize) -> bool {
        match (&self.values[index], CONFIGS[index].kind) {
            (Value::Bool(b), _) => *b,
            (_, Kind::Bool { default }) => default,
            _ => false,
        }
    }

    fn enum_value(&self, index: usize) -> i32 {
        match (&self.values[index], CONFIGS[index].kind) {
            (Value::Enum(v), _) => *v,
            (_, Kind::Enum(e) | Kind::Flags(e)) => e.default,
            _ => 0,
        }
    }

    fn string(&self, index: usize) -> Option<&[u8]> {
        match &self.values[index] {
            Value::Str(Some(s)) => Some(s.as_slice()),
            _ => None,
        }
    }

    fn protected_action(&self, index: usize) -> ProtectedAction {
        match self.enum_value(index) {
            1 => ProtectedAction::Yes,
            2 => ProtectedAction::Local,
            _ => ProtectedAction::No,
        }
    }

    /// `port`: TCP port, 0 = do not listen on TCP.
    pub fn port(&self) -> u16 {
        u16::try_from(self.num(id::PORT)).unwrap_or(6379)
    }

    /// `bind`: addresses to listen on (default `["*", "-::*"]`; a leading
    /// `-` means "skip if unavailable", `*` any IPv4, `::*` any IPv6). Empty
    /// means no TCP listening.
    pub fn bind(&self) -> Vec<String> {
        match &self.values[id::BIND] {
            Value::Bind(a) => a.iter().map(|b| String::from_utf8_lossy(b).into_owned()).collect(),
            _ => Vec::new(),
        }
    }

    /// `unixsocket`: Unix socket path, `None` when not set.
    pub fn unixsocket(&self) -> Option<PathBuf> {
        self.string(id::UNIXSOCKET).map(bytes_path)
    }

    /// `unixsocketperm`: permission bits for the Unix socket (0 = leave the
    /// umask-derived mode).
    pub fn unixsocketperm(&self) -> u32 {
        u32::try_from(self.num(id::UNIXSOCKETPERM)).unwrap_or(0)
    }

    /// `protected-mode`.
    pub fn protected_mode(&self) -> bool {
        self.flag(id::PROTECTED_MODE)
    }

    /// `requirepass`: the default user's password (binary-safe), `None`
    /// when unset.
    pub fn requirepass(&self) -> Option<Vec<u8>> {
        self.string(id::REQUIREPASS).map(<[u8]>::to_vec)
    }

    /// `databases`: number of logical databases (>= 1).
    pub fn databases(&self) -> usize {
        usize::try_from(self.num(id::DATABASES)).unwrap_or(16)
    }

    /// `timeout`: idle client timeout in seconds, 0 = never.
    pub fn timeout_secs(&self) -> u64 {
        u64::try_from(self.num(id::TIMEOUT)).unwrap_or(0)
    }

    /// `tcp-keepalive`: TCP keepalive period in seconds, 0 = off.
    pub fn tcp_keepalive_secs(&self) -> u64 {
        u64::try_from(self.num(id::TCP_KEEPALIVE)).unwrap_or(0)
    }

    /// `tcp-backlog`: `listen()` backlog.
    pub fn tcp_backlog(&self) -> u32 {
        u32::try_from(self.num(id::TCP_BACKLOG)).unwrap_or(511)
    }

    /// `maxclients`: maximum simultaneous clients (>= 1).
    pub fn maxclients(&self) -> u32 {
        u32::try_from(self.num(id::MAXCLIENTS)).unwrap_or(10000)
    }

    /// `daemonize`.
    pub fn daemonize(&self) -> bool {
        self.flag(id::DAEMONIZE)
    }

    /// `jemalloc-bg-thread`: jemalloc purges dirty pages from background threads (Redis
    /// 7.2's default, `yes`).
    pub fn jemalloc_bg_thread(&self) -> bool {
        self.flag(id::JEMALLOC_BG_THREAD)
    }

    /// `pidfile`, `None` when not set (Redis then uses `/var/run/redis.pid`
    /// only when daemonized).
    pub fn pidfile(&self) -> Option<PathBuf> {
        self.string(id::PIDFILE).map(bytes_path)
    }

    /// `supervised`.
    pub fn supervised(&self) -> Supervised {
        match self.enum_value(id::SUPERVISED) {
            1 => Supervised::Auto,
            2 => Supervised::Systemd,
            3 => Supervised::Upstart,
            _ => Supervised::No,
        }
    }

    /// `loglevel`.
    pub fn loglevel(&self) -> LogLevel {
        match self.enum_value(id::LOGLEVEL) {
            0 => LogLevel::Debug,
            1 => LogLevel::Verbose,
            3 => LogLevel::Warning,
            4 => LogLevel::Nothing,
            _ => LogLevel::Notice,
        }
    }

    /// `logfile`: `None` for `""` (log to standard output).
    pub fn logfile(&self) -> Option<PathBuf> {
        self.string(id::LOGFILE).filter(|s| !s.is_empty()).map(bytes_path)
    }

    /// `dir`: the absolute, canonical working directory. Redis `chdir()`s
    /// into it; the server must do the same (or use it as a base).
    pub fn dir(&self) -> PathBuf {
        self.cwd()
    }

    /// `rename-command` directives in file order: `(command, new_name)`,
    /// lower-cased, `None` when the command is removed (`""`). The server
    /// must apply them in order to its command table.
    pub fn renamed_commands(&self) -> Vec<(String, Option<String>)> {
        self.renames
            .iter()
            .map(|(from, to)| {
                let to = (!to.is_empty()).then(|| String::from_utf8_lossy(to).into_owned());
                (String::from_utf8_lossy(from).into_owned(), to)
            })
            .collect()
    }

    /// `proto-max-bulk-len`: largest bulk string a client may send, bytes.
    pub fn proto_max_bulk_len(&self) -> u64 {
        u64::try_from(self.num(id::PROTO_MAX_BULK_LEN)).unwrap_or(512 * 1024 * 1024)
    }

    /// `client-query-buffer-limit`: largest client query buffer, bytes.
    pub fn client_query_buffer_limit(&self) -> u64 {
        u64::try_from(self.num(id::CLIENT_QUERY_BUFFER_LIMIT)).unwrap_or(1024 * 1024 * 1024)
    }

    /// `hz`: background task frequency (already clamped to 1..=500).
    pub fn hz(&self) -> u32 {
        u32::try_from(self.num(id::HZ).clamp(1, 500)).unwrap_or(10)
    }

    /// `dynamic-hz`.
    pub fn dynamic_hz(&self) -> bool {
        self.flag(id::DYNAMIC_HZ)
    }

    /// `slowlog-log-slower-than`: microseconds; negative disables the slow
    /// log, 0 logs every command.
    pub fn slowlog_log_slower_than(&self) -> i64 {
        self.num(id::SLOWLOG_LOG_SLOWER_THAN)
    }

    /// `slowlog-max-len`: entries kept in the slow log.
    pub fn slowlog_max_len(&self) -> u64 {
        u64::try_from(self.num(id::SLOWLOG_MAX_LEN)).unwrap_or(128)
    }

    /// `latency-monitor-threshold`: milliseconds, 0 = latency monitor off.
    pub fn latency_monitor_threshold(&self) -> u64 {
        u64::try_from(self.num(id::LATENCY_MONITOR_THRESHOLD)).unwrap_or(0)
    }

    /// `enable-debug-command`.
    pub fn enable_debug_command(&self) -> ProtectedAction {
        self.protected_action(id::ENABLE_DEBUG_COMMAND)
    }

    /// `enable-protected-configs`.
    pub fn enable_protected_configs(&self) -> ProtectedAction {
        self.protected_action(id::ENABLE_PROTECTED_CONFIGS)
    }

    /// `enable-module-command`.
    pub fn enable_module_command(&self) -> ProtectedAction {
        self.protected_action(id::ENABLE_MODULE_COMMAND)
    }

    /// `list-max-listpack-size`: positive = max entries per quicklist node,
    /// -1..-5 = max node size 4/8/16/32/64 KiB.
    pub fn list_max_listpack_size(&self) -> i32 {
        i32::try_from(self.num(id::LIST_MAX_LISTPACK_SIZE)).unwrap_or(-2)
    }

    /// `list-compress-depth`: uncompressed quicklist nodes at each end,
    /// 0 = no compression.
    pub fn list_compress_depth(&self) -> u32 {
        u32::try_from(self.num(id::LIST_COMPRESS_DEPTH)).unwrap_or(0)
    }

    /// `hash-max-listpack-entries`.
    pub fn hash_max_listpack_entries(&self) -> usize {
        usize::try_from(self.num(id::HASH_MAX_LISTPACK_ENTRIES)).unwrap_or(512)
    }

    /// `hash-max-listpack-value` (bytes).
    pub fn hash_max_listpack_value(&self) -> usize {
        usize::try_from(self.num(id::HASH_MAX_LISTPACK_VALUE)).unwrap_or(64)
    }

    /// `set-max-intset-entries`.
    pub fn set_max_intset_entries(&self) -> usize {
        usize::try_from(self.num(id::SET_MAX_INTSET_ENTRIES)).unwrap_or(512)
    }

    /// `set-max-listpack-entries`.
    pub fn set_max_listpack_entries(&self) -> usize {
        usize::try_from(self.num(id::SET_MAX_LISTPACK_ENTRIES)).unwrap_or(128)
    }

    /// `set-max-listpack-value` (bytes).
    pub fn set_max_listpack_value(&self) -> usize {
        usize::try_from(self.num(id::SET_MAX_LISTPACK_VALUE)).unwrap_or(64)
    }

    /// `zset-max-listpack-entries`.
    pub fn zset_max_listpack_entries(&self) -> usize {
        usize::try_from(self.num(id::ZSET_MAX_LISTPACK_ENTRIES)).unwrap_or(128)
    }

    /// `zset-max-listpack-value` (bytes).
    pub fn zset_max_listpack_value(&self) -> usize {
        usize::try_from(self.num(id::ZSET_MAX_LISTPACK_VALUE)).unwrap_or(64)
    }

    /// `hll-sparse-max-bytes`.
    pub fn hll_sparse_max_bytes(&self) -> usize {
        usize::try_from(self.num(id::HLL_SPARSE_MAX_BYTES)).unwrap_or(3000)
    }

    /// `active-expire-effort` (1..=10).
    pub fn active_expire_effort(&self) -> u32 {
        u32::try_from(self.num(id::ACTIVE_EXPIRE_EFFORT)).unwrap_or(1)
    }

    /// `io-threads` (1..=128; accepted, Ferrodis may ignore it).
    pub fn io_threads(&self) -> u32 {
        u32::try_from(self.num(id::IO_THREADS)).unwrap_or(1)
    }

    /// `io-threads` when the config file or command line set it (the server then runs that
    /// many worker threads); `None` when it was left at its default.
    pub fn io_threads_explicit(&self) -> Option<u32> {
        self.explicit[id::IO_THREADS].then(|| self.io_threads())
    }

    /// `always-show-logo`.
    pub fn always_show_logo(&self) -> bool {
        self.flag(id::ALWAYS_SHOW_LOGO)
    }

    /// `set-proc-title`.
    pub fn set_proc_title(&self) -> bool {
        self.flag(id::SET_PROC_TITLE)
    }

    /// `proc-title-template`.
    pub fn proc_title_template(&self) -> String {
        String::from_utf8_lossy(self.string(id::PROC_TITLE_TEMPLATE).unwrap_or_default())
            .into_owned()
    }

    /// `syslog-enabled`.
    pub fn syslog_enabled(&self) -> bool {
        self.flag(id::SYSLOG_ENABLED)
    }

    /// `syslog-ident`.
    pub fn syslog_ident(&self) -> String {
        String::from_utf8_lossy(self.string(id::SYSLOG_IDENT).unwrap_or_default()).into_owned()
    }

    /// `syslog-facility` as its syslog(3) code (`LOG_USER` = 8,
    /// `LOG_LOCAL0`..`LOG_LOCAL7` = 128..184).
    pub fn syslog_facility(&self) -> i32 {
        self.enum_value(id::SYSLOG_FACILITY)
    }

    /// `crash-log-enabled`.
    pub fn crash_log_enabled(&self) -> bool {
        self.flag(id::CRASH_LOG_ENABLED)
    }

    /// `aclfile` (`None` when empty).
    pub fn aclfile(&self) -> Option<PathBuf> {
        self.string(id::ACLFILE).filter(|s| !s.is_empty()).map(bytes_path)
    }

    /// `maxmemory` in bytes (0 = no limit; not enforced by Ferrodis yet).
    pub fn maxmemory(&self) -> u64 {
        self.num(id::MAXMEMORY) as u64
    }

    /// `save` points as `(seconds, changes)` pairs; empty = RDB snapshots
    /// disabled (not enforced by Ferrodis yet).
    pub fn save_params(&self) -> Vec<(i64, i32)> {
        match &self.values[id::SAVE] {
            Value::Save(p) => p.clone(),
            _ => Vec::new(),
        }
    }

    /// `busy-reply-threshold` (alias `lua-time-limit`): milliseconds a script or function runs
    /// before other clients get `BUSY` (0: never).
    pub fn busy_reply_threshold_ms(&self) -> u64 {
        self.num(id::BUSY_REPLY_THRESHOLD).max(0) as u64
    }

    /// `tracking-table-max-keys`: most keys the client-side-caching table holds (0: no
    /// limit).
    pub fn tracking_table_max_keys(&self) -> usize {
        self.num(id::TRACKING_TABLE_MAX_KEYS).max(0) as usize
    }

    /// `notify-keyspace-events` as a bit set of [`crate::notify`] flags (0: off).
    pub fn notify_keyspace_events(&self) -> u32 {
        match &self.values[id::NOTIFY_KEYSPACE_EVENTS] {
            Value::Notify(f) => *f,
            _ => 0,
        }
    }

    /// `client-output-buffer-limit` for the `normal`, `replica` and
    /// `pubsub` classes, in that order (the `normal` and `pubsub` classes are enforced).
    pub fn client_output_buffer_limits(&self) -> [crate::ObufLimit; 3] {
        match &self.values[id::CLIENT_OUTPUT_BUFFER_LIMIT] {
            Value::Obuf(l) => *l,
            _ => value::OBUF_DEFAULTS,
        }
    }

    /// `user` directives (words after `user`), in file order.
    pub fn users(&self) -> &[Vec<Vec<u8>>] {
        &self.users
    }

    /// `loadmodule` directives (path then arguments), in file order.
    pub fn load_modules(&self) -> &[Vec<Vec<u8>>] {
        &self.modules
    }

    /// Module configs (`<module>.<name> <value>` lines) with their values.
    pub fn module_configs(&self) -> &[(Vec<u8>, Vec<u8>)] {
        &self.module_configs
    }

    /// True if a bare `sentinel` directive was seen (Redis' hint that the
    /// file is a Sentinel config).
    pub fn sentinel_directive(&self) -> bool {
        self.sentinel_directive
    }

    /// Set `dir` without `CONFIG SET`'s protections (for the server's own
    /// use, e.g. after it `chdir()`ed). The path must exist.
    pub fn set_dir(&mut self, path: &Path) -> Result<(), String> {
        let cwd = self.cwd();
        let mut save = SaveState::RUNTIME;
        let mut env = SetEnv { save: &mut save, cwd: &cwd };
        let v =
            value::parse(&CONFIGS[id::DIR], &self.values[id::DIR], &[path_bytes(path)], &mut env)?;
        self.values[id::DIR] = v;
        Ok(())
    }
}
