//! The one declared table of every `redis.conf` directive Redis 7.2 knows.
//!
//! The entries follow `static_configs[]` in Redis 7.2.4 `src/config.c`
//! (same names, aliases, flags, bounds and defaults, same order), followed by
//! the directives that `loadServerConfigFromString()` handles by hand
//! (`include`, `rename-command`, `user`, `loadmodule`, `sentinel`) and the
//! three deprecated names it silently accepts.
//!
//! On top of Redis' data each entry says whether Ferrodis actually
//! implements the directive ([`ConfigDef::enforced`]); the server logs a
//! warning for directives that are set but not enforced.

use crate::cstr;

/// Bit flags of a directive (`*_CONFIG` flags in Redis `server.h`).
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Flags(u16);

impl Flags {
    /// Can be changed with `CONFIG SET` (`MODIFIABLE_CONFIG`, the default).
    pub const MODIFIABLE: Flags = Flags(0);
    /// Only settable at startup; `CONFIG SET` fails with
    /// "can't set immutable config" (`IMMUTABLE_CONFIG`).
    pub const IMMUTABLE: Flags = Flags(1 << 0);
    /// The value is a secret: the server must redact it from `CONFIG SET`
    /// arguments in SLOWLOG/MONITOR (`SENSITIVE_CONFIG`).
    pub const SENSITIVE: Flags = Flags(1 << 1);
    /// Not returned by `CONFIG GET` with a glob pattern, only by exact name
    /// (`HIDDEN_CONFIG`).
    pub const HIDDEN: Flags = Flags(1 << 2);
    /// `CONFIG SET` is refused with `-LOADING` while the dataset is loading
    /// (`DENY_LOADING_CONFIG`).
    pub const DENY_LOADING: Flags = Flags(1 << 3);
    /// `CONFIG SET` needs `enable-protected-configs` (`PROTECTED_CONFIG`).
    pub const PROTECTED: Flags = Flags(1 << 4);
    /// Takes several arguments on one line (`MULTI_ARG_CONFIG`).
    pub const MULTI_ARG: Flags = Flags(1 << 5);

    /// True when every flag of `other` is set in `self`.
    pub const fn contains(self, other: Flags) -> bool {
        self.0 & other.0 == other.0
    }

    /// The union of two flag sets.
    pub const fn union(self, other: Flags) -> Flags {
        Flags(self.0 | other.0)
    }
}

impl std::ops::BitOr for Flags {
    type Output = Flags;
    fn bitor(self, rhs: Flags) -> Flags {
        self.union(rhs)
    }
}

impl std::fmt::Debug for Flags {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let names = [
            (Flags::IMMUTABLE, "IMMUTABLE"),
            (Flags::SENSITIVE, "SENSITIVE"),
            (Flags::HIDDEN, "HIDDEN"),
            (Flags::DENY_LOADING, "DENY_LOADING"),
            (Flags::PROTECTED, "PROTECTED"),
            (Flags::MULTI_ARG, "MULTI_ARG"),
        ];
        let set: Vec<&str> =
            names.iter().filter(|(flag, _)| self.contains(*flag)).map(|(_, name)| *name).collect();
        if set.is_empty() {
            f.write_str("MODIFIABLE")
        } else {
            f.write_str(&set.join("|"))
        }
    }
}

/// The C type Redis stores a numeric directive in. It decides how bounds are
/// compared (unsigned types compare as `u64`, others as `i64`) and therefore
/// which bounds error text appears.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CType {
    /// `int`.
    Int,
    /// `unsigned int` (bounds compared unsigned).
    UInt,
    /// `long`.
    Long,
    /// `unsigned long` (Redis compares these bounds signed).
    ULong,
    /// `long long`.
    LongLong,
    /// `unsigned long long` (bounds compared unsigned).
    ULongLong,
    /// `size_t` (bounds compared unsigned).
    SizeT,
    /// `ssize_t`.
    SSizeT,
    /// `time_t`.
    TimeT,
    /// `off_t`.
    OffT,
}

impl CType {
    /// True for the types `numericBoundaryCheck()` compares as unsigned.
    pub const fn unsigned_bounds(self) -> bool {
        matches!(self, CType::UInt | CType::ULongLong | CType::SizeT)
    }
}

/// Bounds and default of a numeric directive, as Redis declares them
/// (`long long` values; an unsigned upper bound of `ULLONG_MAX` is stored as
/// `-1`, exactly like Redis does).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NumSpec {
    /// Storage type in Redis.
    pub ctype: CType,
    /// Lower bound (inclusive).
    pub min: i64,
    /// Upper bound (inclusive).
    pub max: i64,
    /// Default value.
    pub default: i64,
}

type EnumValidator = fn(i32) -> Result<(), &'static str>;
type StrValidator = fn(&[u8]) -> Result<(), &'static str>;

/// Names and values of an enumerated directive (`configEnum` in Redis).
#[derive(Clone, Copy, Debug)]
pub struct EnumSpec {
    /// `(name, value)` pairs in Redis' order; several names may share a
    /// value (the first one is what `CONFIG GET` prints).
    pub values: &'static [(&'static str, i32)],
    /// Default value.
    pub default: i32,
    pub(crate) validate: Option<EnumValidator>,
}

/// Default and validation of a string directive.
#[derive(Clone, Copy, Debug)]
pub struct StrSpec {
    /// Default value; `None` is Redis' `NULL` (shown as `""`).
    pub default: Option<&'static str>,
    /// Redis' `EMPTY_STRING_IS_NULL`: setting `""` stores `NULL`, which
    /// `CONFIG REWRITE` then removes from the file.
    pub empty_is_null: bool,
    pub(crate) validate: Option<StrValidator>,
}

/// Directives with a hand-written parser (`createSpecialConfig` in Redis).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Special {
    /// `dir <path>`: the working directory (Redis `chdir()`s into it).
    Dir,
    /// `save <seconds> <changes> [...]` or `save ""`.
    Save,
    /// `client-output-buffer-limit <class> <hard> <soft> <seconds> [...]`.
    ClientOutputBufferLimit,
    /// `oom-score-adj-values <master> <replica> <bgchild>`.
    OomScoreAdjValues,
    /// `notify-keyspace-events <flags>` (characters from `Ag$lshzxeKEtmdn`).
    NotifyKeyspaceEvents,
    /// `bind <addr> [<addr> ...]` (up to 16, `""` for none).
    Bind,
    /// `replicaof <host> <port>` or `replicaof no one`.
    ReplicaOf,
    /// `latency-tracking-info-percentiles <p> [<p> ...]`.
    LatencyTrackingInfoPercentiles,
}

/// Directives that only exist in config files (not `CONFIG GET`/`SET`-able).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Directive {
    /// `include <path>` (may contain `*`, `?`, `[`: glob, sorted, no match
    /// is fine).
    Include,
    /// `rename-command <command> <new-name>` (`""` removes the command).
    RenameCommand,
    /// `user <name> [rules ...]`: an ACL user (stored, not interpreted).
    User,
    /// `loadmodule <path> [args ...]` (stored, not loaded).
    LoadModule,
    /// `sentinel ...` (only valid in Sentinel mode).
    Sentinel,
}

/// The value type of a directive.
#[derive(Clone, Copy, Debug)]
pub enum Kind {
    /// `yes`/`no` (case-insensitive).
    Bool {
        /// Default value.
        default: bool,
    },
    /// A plain integer (strict parsing: no blanks, `+`, or leading zeros).
    Int(NumSpec),
    /// A byte count with optional unit `k`/`kb`/`m`/`mb`/`g`/`gb`
    /// (case-insensitive, `k` = 1000, `kb` = 1024); `CONFIG GET` prints
    /// plain bytes.
    Memory(NumSpec),
    /// A byte count, or a percentage `N%` (stored as `-N`).
    MemoryOrPercent(NumSpec),
    /// An octal number (`unixsocketperm`).
    Octal(NumSpec),
    /// One name out of a fixed list (case-insensitive).
    Enum(EnumSpec),
    /// Several names out of a fixed list, OR-ed together (multi-argument).
    Flags(EnumSpec),
    /// A C string (a NUL byte ends it).
    String(StrSpec),
    /// A binary-safe string.
    Sds(StrSpec),
    /// A directive with its own syntax.
    Special(Special),
    /// A config-file-only directive.
    Directive(Directive),
    /// A removed directive that is still accepted, and ignored, when it has
    /// exactly `argc` words (name included).
    Deprecated {
        /// Required word count including the name.
        argc: usize,
    },
}

/// One directive of the table.
#[derive(Clone, Copy, Debug)]
pub struct ConfigDef {
    /// Canonical (lower-case) name.
    pub name: &'static str,
    /// Alternative name (`slave-*` for `replica-*`, `*-ziplist-*` for
    /// `*-listpack-*`, ...). `CONFIG GET` with a glob lists it separately.
    pub alias: Option<&'static str>,
    /// Value type, bounds and default.
    pub kind: Kind,
    /// Redis flags.
    pub flags: Flags,
    /// Whether Ferrodis implements the directive (as opposed to accepting
    /// and storing it).
    pub enforced: bool,
}

impl ConfigDef {
    /// True for directives that `CONFIG GET`/`SET`/`REWRITE` know about
    /// (Redis' `standardConfig`s), false for config-file-only directives.
    pub const fn is_standard(&self) -> bool {
        !matches!(self.kind, Kind::Directive(_) | Kind::Deprecated { .. })
    }

    /// True when the directive has the given flag(s).
    pub const fn has(&self, flag: Flags) -> bool {
        self.flags.contains(flag)
    }
}

// ---------------------------------------------------------------------------
// Enumerations (Redis `configEnum` arrays, same order and values).
// ---------------------------------------------------------------------------

const MAXMEMORY_POLICY: &[(&str, i32)] = &[
    ("volatile-lru", 1),
    ("volatile-lfu", (1 << 8) | 2),
    ("volatile-random", 3 << 8),
    ("volatile-ttl", 2 << 8),
    ("allkeys-lru", (4 << 8) | 1 | 4),
    ("allkeys-lfu", (5 << 8) | 2 | 4),
    ("allkeys-random", (6 << 8) | 4),
    ("noeviction", 7 << 8),
];
const MAXMEMORY_NO_EVICTION: i32 = 7 << 8;

const SYSLOG_FACILITY: &[(&str, i32)] = &[
    ("user", 1 << 3),
    ("local0", 16 << 3),
    ("local1", 17 << 3),
    ("local2", 18 << 3),
    ("local3", 19 << 3),
    ("local4", 20 << 3),
    ("local5", 21 << 3),
    ("local6", 22 << 3),
    ("local7", 23 << 3),
];
const LOG_LOCAL0: i32 = 16 << 3;

/// `loglevel` values: debug 0, verbose 1, notice 2, warning 3, nothing 4.
const LOGLEVEL: &[(&str, i32)] =
    &[("debug", 0), ("verbose", 1), ("notice", 2), ("warning", 3), ("nothing", 4)];

/// `supervised` values: no 0, auto 1, systemd 2, upstart 3.
const SUPERVISED: &[(&str, i32)] = &[("upstart", 3), ("systemd", 2), ("auto", 1), ("no", 0)];

const AOF_FSYNC: &[(&str, i32)] = &[("everysec", 2), ("always", 1), ("no", 0)];

const SHUTDOWN_ON_SIG: &[(&str, i32)] =
    &[("default", 0), ("save", 1), ("nosave", 2), ("now", 4), ("force", 8)];

const REPL_DISKLESS_LOAD: &[(&str, i32)] = &[("disabled", 0), ("on-empty-db", 1), ("swapdb", 2)];

const TLS_AUTH_CLIENTS: &[(&str, i32)] = &[("no", 0), ("yes", 1), ("optional", 2)];

const OOM_SCORE_ADJ: &[(&str, i32)] = &[("no", 0), ("yes", 1), ("relative", 1), ("absolute", 2)];

const ACL_PUBSUB_DEFAULT: &[(&str, i32)] = &[("allchannels", 1 << 3), ("resetchannels", 0)];

const SANITIZE_DUMP_PAYLOAD: &[(&str, i32)] = &[("no", 0), ("yes", 1), ("clients", 2)];

/// `enable-*-command` / `enable-protected-configs` values: no 0, yes 1,
/// local 2.
const PROTECTED_ACTION: &[(&str, i32)] = &[("no", 0), ("yes", 1), ("local", 2)];

const CLUSTER_PREFERRED_ENDPOINT_TYPE: &[(&str, i32)] =
    &[("ip", 0), ("hostname", 1), ("unknown-endpoint", 2)];

const PROPAGATION_ERROR_BEHAVIOR: &[(&str, i32)] =
    &[("ignore", 0), ("panic", 1), ("panic-on-replicas", 2)];

// ---------------------------------------------------------------------------
// Validators (Redis `is_valid_fn`s).
// ---------------------------------------------------------------------------

fn path_is_base_name(v: &[u8]) -> bool {
    !v.contains(&b'/') && !v.contains(&b'\\')
}

fn valid_dbfilename(v: &[u8]) -> Result<(), &'static str> {
    if path_is_base_name(v) {
        Ok(())
    } else {
        Err("dbfilename can't be a path, just a filename")
    }
}

fn valid_appendfilename(v: &[u8]) -> Result<(), &'static str> {
    if v.is_empty() {
        Err("appendfilename can't be empty")
    } else if !path_is_base_name(v) {
        Err("appendfilename can't be a path, just a filename")
    } else {
        Ok(())
    }
}

fn valid_appenddirname(v: &[u8]) -> Result<(), &'static str> {
    if v.is_empty() {
        Err("appenddirname can't be empty")
    } else if !path_is_base_name(v) {
        Err("appenddirname can't be a path, just a dirname")
    } else {
        Ok(())
    }
}

fn valid_announced_hostname(v: &[u8]) -> Result<(), &'static str> {
    // NET_HOST_STR_LEN is 256.
    if v.len() >= 256 {
        return Err("Hostnames must be less than 256 characters");
    }
    if v.iter().all(|&c| c.is_ascii_alphanumeric() || c == b'-' || c == b'.') {
        Ok(())
    } else {
        Err("Hostnames may only contain alphanumeric characters, hyphens or dots")
    }
}

fn valid_announced_nodename(v: &[u8]) -> Result<(), &'static str> {
    // cluster.c isValidAuxChar(): alphanumerics, or anything outside the
    // reserved punctuation list.
    const RESERVED: &[u8] = b"!#$%&()*+:;<>?@[]^{|}~";
    if v.iter().all(|&c| c.is_ascii_alphanumeric() || !RESERVED.contains(&c)) {
        Ok(())
    } else {
        Err("Announced human node name contained invalid character")
    }
}

/// `validateProcTitleTemplate()`: the template must expand (known
/// `{variables}`, balanced braces, `{{` for a literal brace) to something
/// non-blank when the process title itself is empty.
pub(crate) fn proc_title_template_expands(
    template: &[u8],
    expand_var: &dyn Fn(&[u8]) -> Option<Vec<u8>>,
) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    let mut p = template;
    while !p.is_empty() {
        let Some(open) = p.iter().position(|&c| c == b'{') else {
            out.extend_from_slice(p);
            break;
        };
        out.extend_from_slice(&p[..open]);
        let rest = &p[open + 1..];
        match rest.first() {
            None => return None,
            Some(b'{') => {
                out.push(b'{');
                p = &rest[1..];
                continue;
            }
            Some(_) => {}
        }
        let close = rest.iter().position(|&c| c == b'}')?;
        out.extend_from_slice(&expand_var(&rest[..close])?);
        p = &rest[close + 1..];
    }
    Some(cstr::trim(&out, b" ").to_vec())
}

fn valid_proc_title_template(v: &[u8]) -> Result<(), &'static str> {
    // Expansion with an empty title, the way Redis validates templates.
    // Address-like variables always expand to something non-empty.
    let expand = |name: &[u8]| -> Option<Vec<u8>> {
        match name {
            b"title" | b"server-mode" | b"unixsocket" | b"config-file" => Some(Vec::new()),
            b"listen-addr" => Some(b"*:6379".to_vec()),
            b"port" | b"tls-port" => Some(b"0".to_vec()),
            _ => None,
        }
    };
    match proc_title_template_expands(v, &expand) {
        Some(expanded) if !expanded.is_empty() => Ok(()),
        _ => Err("template format is invalid or contains unknown variables"),
    }
}

fn valid_shutdown_flags(v: i32) -> Result<(), &'static str> {
    // SHUTDOWN_SAVE = 1, SHUTDOWN_NOSAVE = 2.
    if v & 1 != 0 && v & 2 != 0 {
        Err("shutdown options SAVE and NOSAVE can't be used simultaneously")
    } else {
        Ok(())
    }
}

// ---------------------------------------------------------------------------
// Entry constructors.
// ---------------------------------------------------------------------------

const M: Flags = Flags::MODIFIABLE;
const I: Flags = Flags::IMMUTABLE;
const H: Flags = Flags::HIDDEN;
const INT_MAX: i64 = i32::MAX as i64;
const INT_MIN: i64 = i32::MIN as i64;
const UINT_MAX: i64 = u32::MAX as i64;
const LONG_MAX: i64 = i64::MAX;
/// `ULLONG_MAX` as Redis stores it in a `long long` bound.
const ULLONG_MAX: i64 = -1;
const MB: i64 = 1024 * 1024;

const fn entry(
    name: &'static str,
    alias: Option<&'static str>,
    flags: Flags,
    kind: Kind,
    enforced: bool,
) -> ConfigDef {
    ConfigDef { name, alias, kind, flags, enforced }
}

const fn boolean(
    name: &'static str,
    alias: Option<&'static str>,
    flags: Flags,
    default: bool,
    enforced: bool,
) -> ConfigDef {
    entry(name, alias, flags, Kind::Bool { default }, enforced)
}

const fn num(ctype: CType, min: i64, max: i64, default: i64) -> NumSpec {
    NumSpec { ctype, min, max, default }
}

#[allow(clippy::too_many_arguments)]
const fn int(
    name: &'static str,
    alias: Option<&'static str>,
    flags: Flags,
    ctype: CType,
    min: i64,
    max: i64,
    default: i64,
    enforced: bool,
) -> ConfigDef {
    entry(name, alias, flags, Kind::Int(num(ctype, min, max, default)), enforced)
}

#[allow(clippy::too_many_arguments)]
const fn memory(
    name: &'static str,
    alias: Option<&'static str>,
    flags: Flags,
    ctype: CType,
    min: i64,
    max: i64,
    default: i64,
    enforced: bool,
) -> ConfigDef {
    entry(name, alias, flags, Kind::Memory(num(ctype, min, max, default)), enforced)
}

const fn string(
    name: &'static str,
    alias: Option<&'static str>,
    flags: Flags,
    empty_is_null: bool,
    default: Option<&'static str>,
    enforced: bool,
) -> ConfigDef {
    entry(
        name,
        alias,
        flags,
        Kind::String(StrSpec { default, empty_is_null, validate: None }),
        enforced,
    )
}

const fn string_checked(
    name: &'static str,
    flags: Flags,
    empty_is_null: bool,
    default: Option<&'static str>,
    validate: StrValidator,
) -> ConfigDef {
    entry(
        name,
        None,
        flags,
        Kind::String(StrSpec { default, empty_is_null, validate: Some(validate) }),
        false,
    )
}

const fn sds(name: &'static str, flags: Flags, enforced: bool) -> ConfigDef {
    entry(
        name,
        None,
        flags,
        Kind::Sds(StrSpec { default: None, empty_is_null: true, validate: None }),
        enforced,
    )
}

const fn enumeration(
    name: &'static str,
    flags: Flags,
    values: &'static [(&'static str, i32)],
    default: i32,
    enforced: bool,
) -> ConfigDef {
    entry(name, None, flags, Kind::Enum(EnumSpec { values, default, validate: None }), enforced)
}

const fn special(
    name: &'static str,
    alias: Option<&'static str>,
    flags: Flags,
    which: Special,
    enforced: bool,
) -> ConfigDef {
    entry(name, alias, flags, Kind::Special(which), enforced)
}

const fn directive(name: &'static str, which: Directive, enforced: bool) -> ConfigDef {
    entry(name, None, Flags::IMMUTABLE, Kind::Directive(which), enforced)
}

const fn deprecated(name: &'static str) -> ConfigDef {
    entry(name, None, Flags::IMMUTABLE, Kind::Deprecated { argc: 2 }, false)
}

const SHUTDOWN_ENUM: EnumSpec =
    EnumSpec { values: SHUTDOWN_ON_SIG, default: 0, validate: Some(valid_shutdown_flags) };

/// Every directive, in Redis 7.2.4 `static_configs[]` order, then the
/// config-file-only directives.
pub const CONFIGS: &[ConfigDef] = &[
    // --- Bool configs ---
    boolean("rdbchecksum", None, I, true, false),
    boolean("daemonize", None, I, false, true),
    boolean("io-threads-do-reads", None, I, false, false),
    boolean("always-show-logo", None, I, false, true),
    boolean("protected-mode", None, M, true, true),
    boolean("rdbcompression", None, M, true, false),
    boolean("rdb-del-sync-files", None, M, false, false),
    boolean("activerehashing", None, M, true, false),
    boolean("stop-writes-on-bgsave-error", None, M, true, false),
    boolean("set-proc-title", None, I, true, true),
    boolean("dynamic-hz", None, M, true, true),
    boolean("lazyfree-lazy-eviction", None, M, false, false),
    boolean("lazyfree-lazy-expire", None, M, false, false),
    boolean("lazyfree-lazy-server-del", None, M, false, false),
    boolean("lazyfree-lazy-user-del", None, M, false, false),
    boolean("lazyfree-lazy-user-flush", None, M, false, false),
    boolean("repl-disable-tcp-nodelay", None, M, false, false),
    boolean("repl-diskless-sync", None, M, true, false),
    boolean("aof-rewrite-incremental-fsync", None, M, true, false),
    boolean("no-appendfsync-on-rewrite", None, M, false, false),
    boolean("cluster-require-full-coverage", None, M, true, false),
    boolean("rdb-save-incremental-fsync", None, M, true, false),
    boolean("aof-load-truncated", None, M, true, false),
    boolean("aof-use-rdb-preamble", None, M, true, false),
    boolean("aof-timestamp-enabled", None, M, false, false),
    boolean("cluster-replica-no-failover", Some("cluster-slave-no-failover"), M, false, false),
    boolean("replica-lazy-flush", Some("slave-lazy-flush"), M, false, false),
    boolean("replica-serve-stale-data", Some("slave-serve-stale-data"), M, true, false),
    boolean("replica-read-only", Some("slave-read-only"), M, true, false),
    boolean("replica-ignore-maxmemory", Some("slave-ignore-maxmemory"), M, true, false),
    boolean("jemalloc-bg-thread", None, M, true, true),
    boolean("activedefrag", None, M, false, false),
    boolean("syslog-enabled", None, I, false, true),
    boolean("cluster-enabled", None, I, false, false),
    boolean("appendonly", None, Flags::DENY_LOADING, false, false),
    boolean("cluster-allow-reads-when-down", None, M, false, false),
    boolean("cluster-allow-pubsubshard-when-down", None, M, true, false),
    boolean("crash-log-enabled", None, M, true, true),
    boolean("crash-memcheck-enabled", None, M, true, false),
    boolean("use-exit-on-panic", None, H, false, false),
    boolean("disable-thp", None, I, true, false),
    boolean("cluster-allow-replica-migration", None, M, true, false),
    boolean("replica-announced", None, M, true, false),
    boolean("latency-tracking", None, M, true, false),
    boolean("aof-disable-auto-gc", None, H, false, false),
    boolean("replica-ignore-disk-write-errors", None, M, false, false),
    // --- String configs ---
    string("aclfile", None, I, false, Some(""), false),
    string("unixsocket", None, I, true, None, true),
    string("pidfile", None, I, true, None, true),
    string("replica-announce-ip", Some("slave-announce-ip"), M, true, None, false),
    string("masteruser", None, Flags::SENSITIVE, true, None, false),
    string("cluster-announce-ip", None, M, true, None, false),
    string("cluster-config-file", None, I, false, Some("nodes.conf"), false),
    string_checked("cluster-announce-hostname", M, true, None, valid_announced_hostname),
    string_checked("cluster-announce-human-nodename", M, true, None, valid_announced_nodename),
    string("syslog-ident", None, I, false, Some("redis"), true),
    string_checked("dbfilename", Flags::PROTECTED, false, Some("dump.rdb"), valid_dbfilename),
    string_checked("appendfilename", I, false, Some("appendonly.aof"), valid_appendfilename),
    string_checked("appenddirname", I, false, Some("appendonlydir"), valid_appenddirname),
    string("server_cpulist", None, I, true, None, false),
    string("bio_cpulist", None, I, true, None, false),
    string("aof_rewrite_cpulist", None, I, true, None, false),
    string("bgsave_cpulist", None, I, true, None, false),
    string("ignore-warnings", None, M, false, Some(""), false),
    string_checked(
        "proc-title-template",
        M,
        false,
        Some("{title} {listen-addr} {server-mode}"),
        valid_proc_title_template,
    ),
    string("bind-source-addr", None, M, true, None, false),
    string("logfile", None, I, false, Some(""), true),
    string("locale-collate", None, M, false, Some(""), false),
    // --- SDS configs ---
    sds("masterauth", Flags::SENSITIVE, false),
    sds("requirepass", Flags::SENSITIVE, true),
    // --- Enum configs ---
    enumeration("supervised", I, SUPERVISED, 0, true),
    enumeration("syslog-facility", I, SYSLOG_FACILITY, LOG_LOCAL0, true),
    enumeration("repl-diskless-load", Flags::DENY_LOADING, REPL_DISKLESS_LOAD, 0, false),
    enumeration("loglevel", M, LOGLEVEL, 2, true),
    enumeration("maxmemory-policy", M, MAXMEMORY_POLICY, MAXMEMORY_NO_EVICTION, false),
    enumeration("appendfsync", M, AOF_FSYNC, 2, false),
    enumeration("oom-score-adj", M, OOM_SCORE_ADJ, 0, false),
    enumeration("acl-pubsub-default", M, ACL_PUBSUB_DEFAULT, 0, false),
    enumeration("sanitize-dump-payload", M, SANITIZE_DUMP_PAYLOAD, 0, false),
    enumeration("enable-protected-configs", I, PROTECTED_ACTION, 0, true),
    enumeration("enable-debug-command", I, PROTECTED_ACTION, 0, true),
    enumeration("enable-module-command", I, PROTECTED_ACTION, 0, true),
    enumeration("cluster-preferred-endpoint-type", M, CLUSTER_PREFERRED_ENDPOINT_TYPE, 0, false),
    enumeration("propagation-error-behavior", M, PROPAGATION_ERROR_BEHAVIOR, 0, false),
    entry("shutdown-on-sigint", None, Flags::MULTI_ARG, Kind::Flags(SHUTDOWN_ENUM), false),
    entry("shutdown-on-sigterm", None, Flags::MULTI_ARG, Kind::Flags(SHUTDOWN_ENUM), false),
    // --- Integer configs ---
    int("databases", None, I, CType::Int, 1, INT_MAX, 16, true),
    int("port", None, M, CType::Int, 0, 65535, 6379, true),
    int("io-threads", None, I, CType::Int, 1, 128, 1, true),
    int("auto-aof-rewrite-percentage", None, M, CType::Int, 0, INT_MAX, 100, false),
    int(
        "cluster-replica-validity-factor",
        Some("cluster-slave-validity-factor"),
        M,
        CType::Int,
        0,
        INT_MAX,
        10,
        false,
    ),
    int(
        "list-max-listpack-size",
        Some("list-max-ziplist-size"),
        M,
        CType::Int,
        INT_MIN,
        INT_MAX,
        -2,
        true,
    ),
    int("tcp-keepalive", None, M, CType::Int, 0, INT_MAX, 300, true),
    int("cluster-migration-barrier", None, M, CType::Int, 0, INT_MAX, 1, false),
    int("active-defrag-cycle-min", None, M, CType::Int, 1, 99, 1, false),
    int("active-defrag-cycle-max", None, M, CType::Int, 1, 99, 25, false),
    int("active-defrag-threshold-lower", None, M, CType::Int, 0, 1000, 10, false),
    int("active-defrag-threshold-upper", None, M, CType::Int, 0, 1000, 100, false),
    int("lfu-log-factor", None, M, CType::Int, 0, INT_MAX, 10, false),
    int("lfu-decay-time", None, M, CType::Int, 0, INT_MAX, 1, false),
    int("replica-priority", Some("slave-priority"), M, CType::Int, 0, INT_MAX, 100, false),
    int("repl-diskless-sync-delay", None, M, CType::Int, 0, INT_MAX, 5, false),
    int("maxmemory-samples", None, M, CType::Int, 1, INT_MAX, 5, false),
    int("maxmemory-eviction-tenacity", None, M, CType::Int, 0, 100, 10, false),
    int("timeout", None, M, CType::Int, 0, INT_MAX, 0, true),
    int("replica-announce-port", Some("slave-announce-port"), M, CType::Int, 0, 65535, 0, false),
    int("tcp-backlog", None, I, CType::Int, 0, INT_MAX, 511, true),
    int("cluster-port", None, I, CType::Int, 0, 65535, 0, false),
    int("cluster-announce-bus-port", None, M, CType::Int, 0, 65535, 0, false),
    int("cluster-announce-port", None, M, CType::Int, 0, 65535, 0, false),
    int("cluster-announce-tls-port", None, M, CType::Int, 0, 65535, 0, false),
    int("repl-timeout", None, M, CType::Int, 1, INT_MAX, 60, false),
    int(
        "repl-ping-replica-period",
        Some("repl-ping-slave-period"),
        M,
        CType::Int,
        1,
        INT_MAX,
        10,
        false,
    ),
    int("list-compress-depth", None, M, CType::Int, 0, INT_MAX, 0, true),
    int("rdb-key-save-delay", None, H, CType::Int, INT_MIN, INT_MAX, 0, false),
    int("key-load-delay", None, H, CType::Int, INT_MIN, INT_MAX, 0, false),
    int("active-expire-effort", None, M, CType::Int, 1, 10, 1, true),
    int("hz", None, M, CType::Int, 0, INT_MAX, 10, true),
    int("min-replicas-to-write", Some("min-slaves-to-write"), M, CType::Int, 0, INT_MAX, 0, false),
    int("min-replicas-max-lag", Some("min-slaves-max-lag"), M, CType::Int, 0, INT_MAX, 10, false),
    int("watchdog-period", None, H, CType::Int, 0, INT_MAX, 0, false),
    int("shutdown-timeout", None, M, CType::Int, 0, INT_MAX, 10, false),
    int("repl-diskless-sync-max-replicas", None, M, CType::Int, 0, INT_MAX, 0, false),
    // --- Unsigned int configs ---
    int("maxclients", None, M, CType::UInt, 1, UINT_MAX, 10000, true),
    entry("unixsocketperm", None, I, Kind::Octal(num(CType::UInt, 0, 0o777, 0)), true),
    int("socket-mark-id", None, I, CType::UInt, 0, UINT_MAX, 0, false),
    // --- Unsigned long configs ---
    int("active-defrag-max-scan-fields", None, M, CType::ULong, 1, LONG_MAX, 1000, false),
    int("slowlog-max-len", None, M, CType::ULong, 0, LONG_MAX, 128, true),
    int("acllog-max-len", None, M, CType::ULong, 0, LONG_MAX, 128, false),
    // --- Long long configs ---
    int(
        "busy-reply-threshold",
        Some("lua-time-limit"),
        M,
        CType::LongLong,
        0,
        LONG_MAX,
        5000,
        true,
    ),
    int("cluster-node-timeout", None, M, CType::LongLong, 0, LONG_MAX, 15000, false),
    int("cluster-ping-interval", None, H, CType::LongLong, 0, LONG_MAX, 0, false),
    int("slowlog-log-slower-than", None, M, CType::LongLong, -1, LONG_MAX, 10000, true),
    int("latency-monitor-threshold", None, M, CType::LongLong, 0, LONG_MAX, 0, true),
    memory("proto-max-bulk-len", None, M, CType::LongLong, MB, LONG_MAX, 512 * MB, true),
    int("stream-node-max-entries", None, M, CType::LongLong, 0, LONG_MAX, 100, false),
    memory("repl-backlog-size", None, M, CType::LongLong, 1, LONG_MAX, MB, false),
    // --- Unsigned long long configs ---
    memory("maxmemory", None, M, CType::ULongLong, 0, ULLONG_MAX, 0, false),
    memory("cluster-link-sendbuf-limit", None, M, CType::ULongLong, 0, ULLONG_MAX, 0, false),
    // --- size_t configs ---
    int(
        "hash-max-listpack-entries",
        Some("hash-max-ziplist-entries"),
        M,
        CType::SizeT,
        0,
        LONG_MAX,
        512,
        true,
    ),
    int("set-max-intset-entries", None, M, CType::SizeT, 0, LONG_MAX, 512, true),
    int("set-max-listpack-entries", None, M, CType::SizeT, 0, LONG_MAX, 128, true),
    int("set-max-listpack-value", None, M, CType::SizeT, 0, LONG_MAX, 64, true),
    int(
        "zset-max-listpack-entries",
        Some("zset-max-ziplist-entries"),
        M,
        CType::SizeT,
        0,
        LONG_MAX,
        128,
        true,
    ),
    memory("active-defrag-ignore-bytes", None, M, CType::SizeT, 1, LONG_MAX, 100 * MB, false),
    memory(
        "hash-max-listpack-value",
        Some("hash-max-ziplist-value"),
        M,
        CType::SizeT,
        0,
        LONG_MAX,
        64,
        true,
    ),
    memory("stream-node-max-bytes", None, M, CType::SizeT, 0, LONG_MAX, 4096, false),
    memory(
        "zset-max-listpack-value",
        Some("zset-max-ziplist-value"),
        M,
        CType::SizeT,
        0,
        LONG_MAX,
        64,
        true,
    ),
    memory("hll-sparse-max-bytes", None, M, CType::SizeT, 0, LONG_MAX, 3000, true),
    int("tracking-table-max-keys", None, M, CType::SizeT, 0, LONG_MAX, 1_000_000, true),
    memory("client-query-buffer-limit", None, M, CType::SizeT, MB, LONG_MAX, 1024 * MB, true),
    entry(
        "maxmemory-clients",
        None,
        M,
        Kind::MemoryOrPercent(num(CType::SSizeT, -100, LONG_MAX, 0)),
        false,
    ),
    // --- Other numeric configs ---
    int("repl-backlog-ttl", None, M, CType::TimeT, 0, LONG_MAX, 3600, false),
    memory("auto-aof-rewrite-min-size", None, M, CType::OffT, 0, LONG_MAX, 64 * MB, false),
    int(
        "loading-process-events-interval-bytes",
        None,
        H,
        CType::OffT,
        1024,
        INT_MAX,
        2 * MB,
        false,
    ),
    // --- TLS configs (always compiled in 7.2) ---
    int("tls-port", None, M, CType::Int, 0, 65535, 0, false),
    int("tls-session-cache-size", None, M, CType::Int, 0, INT_MAX, 20 * 1024, false),
    int("tls-session-cache-timeout", None, M, CType::Int, 0, INT_MAX, 300, false),
    boolean("tls-cluster", None, M, false, false),
    boolean("tls-replication", None, M, false, false),
    enumeration("tls-auth-clients", M, TLS_AUTH_CLIENTS, 1, false),
    boolean("tls-prefer-server-ciphers", None, M, false, false),
    boolean("tls-session-caching", None, M, true, false),
    string("tls-cert-file", None, M, true, None, false),
    string("tls-key-file", None, M, true, None, false),
    string("tls-key-file-pass", None, M, true, None, false),
    string("tls-client-cert-file", None, M, true, None, false),
    string("tls-client-key-file", None, M, true, None, false),
    string("tls-client-key-file-pass", None, M, true, None, false),
    string("tls-dh-params-file", None, M, true, None, false),
    string("tls-ca-cert-file", None, M, true, None, false),
    string("tls-ca-cert-dir", None, M, true, None, false),
    string("tls-protocols", None, M, true, None, false),
    string("tls-ciphers", None, M, true, None, false),
    string("tls-ciphersuites", None, M, true, None, false),
    // --- Special configs ---
    special("dir", None, Flags::PROTECTED.union(Flags::DENY_LOADING), Special::Dir, true),
    special("save", None, Flags::MULTI_ARG, Special::Save, false),
    special(
        "client-output-buffer-limit",
        None,
        Flags::MULTI_ARG,
        Special::ClientOutputBufferLimit,
        true,
    ),
    special("oom-score-adj-values", None, Flags::MULTI_ARG, Special::OomScoreAdjValues, false),
    special("notify-keyspace-events", None, M, Special::NotifyKeyspaceEvents, true),
    special("bind", None, Flags::MULTI_ARG, Special::Bind, true),
    special("replicaof", Some("slaveof"), I.union(Flags::MULTI_ARG), Special::ReplicaOf, false),
    special(
        "latency-tracking-info-percentiles",
        None,
        Flags::MULTI_ARG,
        Special::LatencyTrackingInfoPercentiles,
        false,
    ),
    // --- Config-file-only directives (loadServerConfigFromString) ---
    directive("include", Directive::Include, true),
    directive("rename-command", Directive::RenameCommand, true),
    directive("user", Directive::User, false),
    directive("loadmodule", Directive::LoadModule, false),
    directive("sentinel", Directive::Sentinel, false),
    // --- Deprecated, accepted and ignored with exactly one argument ---
    deprecated("list-max-ziplist-entries"),
    deprecated("list-max-ziplist-value"),
    deprecated("lua-replicate-commands"),
];

const fn str_eq(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if a[i] != b[i] {
            return false;
        }
        i += 1;
    }
    true
}

/// Compile-time index of a canonical name (fails the build if missing).
pub(crate) const fn index_of(name: &str) -> usize {
    let mut i = 0;
    while i < CONFIGS.len() {
        if str_eq(CONFIGS[i].name, name) {
            return i;
        }
        i += 1;
    }
    panic!("directive missing from CONFIGS")
}

/// A successful name lookup: the table index, and whether the name used was
/// the alias.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Lookup {
    /// Index into [`CONFIGS`].
    pub index: usize,
    /// True when `name` matched [`ConfigDef::alias`].
    pub via_alias: bool,
}

impl Lookup {
    /// The directive found.
    pub fn def(&self) -> &'static ConfigDef {
        &CONFIGS[self.index]
    }

    /// The name Redis reports for this lookup (canonical or alias, lower
    /// case).
    pub fn name(&self) -> &'static str {
        let def = self.def();
        match (self.via_alias, def.alias) {
            (true, Some(alias)) => alias,
            _ => def.name,
        }
    }
}

/// Case-insensitive lookup of a directive by canonical name or alias,
/// covering every entry of [`CONFIGS`] (Redis' `lookupConfig()` plus the
/// config-file-only directives).
pub fn lookup(name: &[u8]) -> Option<Lookup> {
    CONFIGS.iter().enumerate().find_map(|(index, def)| {
        if def.name.as_bytes().eq_ignore_ascii_case(name) {
            Some(Lookup { index, via_alias: false })
        } else if def.alias.is_some_and(|a| a.as_bytes().eq_ignore_ascii_case(name)) {
            Some(Lookup { index, via_alias: true })
        } else {
            None
        }
    })
}

/// Like [`lookup`] but only for `CONFIG GET`/`SET`-able directives
/// (Redis `lookupConfig()`).
pub fn lookup_standard(name: &[u8]) -> Option<Lookup> {
    lookup(name).filter(|l| l.def().is_standard())
}

/// True when `CONFIG SET <name> <value>` must have its value redacted from
/// SLOWLOG/MONITOR/command logs (`SENSITIVE_CONFIG`).
pub fn is_sensitive(name: &[u8]) -> bool {
    lookup_standard(name).is_some_and(|l| l.def().has(Flags::SENSITIVE))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn names_and_aliases_are_unique_and_lower_case() {
        let mut seen = HashSet::new();
        for def in CONFIGS {
            for name in std::iter::once(def.name).chain(def.alias) {
                assert!(seen.insert(name), "duplicate {name}");
                assert_eq!(name, name.to_ascii_lowercase());
            }
        }
    }

    #[test]
    fn table_size_matches_redis_7_2() {
        let standard = CONFIGS.iter().filter(|d| d.is_standard()).count();
        let aliases = CONFIGS.iter().filter(|d| d.alias.is_some()).count();
        let hidden = CONFIGS.iter().filter(|d| d.has(Flags::HIDDEN)).count();
        assert_eq!(standard, 183);
        assert_eq!(aliases, 19);
        assert_eq!(hidden, 7);
        assert_eq!(CONFIGS.len(), 191);
    }

    #[test]
    fn defaults_are_within_bounds() {
        for def in CONFIGS {
            let spec = match def.kind {
                Kind::Int(s) | Kind::Memory(s) | Kind::Octal(s) => s,
                Kind::MemoryOrPercent(s) => s,
                _ => continue,
            };
            if spec.ctype.unsigned_bounds() {
                let d = spec.default as u64;
                assert!(d >= spec.min as u64 && d <= spec.max as u64, "{}", def.name);
            } else {
                assert!(spec.default >= spec.min && spec.default <= spec.max, "{}", def.name);
            }
        }
    }

    #[test]
    fn enforced_set_is_the_agreed_one() {
        let enforced: Vec<&str> = CONFIGS.iter().filter(|d| d.enforced).map(|d| d.name).collect();
        for name in [
            "port",
            "bind",
            "unixsocket",
            "unixsocketperm",
            "protected-mode",
            "requirepass",
            "databases",
            "timeout",
            "tcp-keepalive",
            "tcp-backlog",
            "maxclients",
            "daemonize",
            "pidfile",
            "supervised",
            "loglevel",
            "logfile",
            "dir",
            "rename-command",
            "include",
            "proto-max-bulk-len",
            "client-query-buffer-limit",
            "hz",
            "dynamic-hz",
            "slowlog-log-slower-than",
            "slowlog-max-len",
            "latency-monitor-threshold",
            "enable-debug-command",
            "enable-protected-configs",
            "enable-module-command",
            "list-max-listpack-size",
            "list-compress-depth",
            "hash-max-listpack-entries",
            "hash-max-listpack-value",
            "set-max-intset-entries",
            "set-max-listpack-entries",
            "set-max-listpack-value",
            "zset-max-listpack-entries",
            "zset-max-listpack-value",
            "hll-sparse-max-bytes",
            "active-expire-effort",
            "io-threads",
            "always-show-logo",
            "set-proc-title",
            "syslog-enabled",
            "syslog-ident",
            "syslog-facility",
            "crash-log-enabled",
            "client-output-buffer-limit",
            "notify-keyspace-events",
            "tracking-table-max-keys",
            "busy-reply-threshold",
            "jemalloc-bg-thread",
        ] {
            assert!(enforced.contains(&name), "{name} should be enforced");
        }
        assert_eq!(enforced.len(), 52);
    }

    #[test]
    fn lookup_is_case_insensitive_and_knows_aliases() {
        let l = lookup(b"SLAVE-READ-ONLY").unwrap();
        assert!(l.via_alias);
        assert_eq!(l.def().name, "replica-read-only");
        assert_eq!(l.name(), "slave-read-only");
        assert_eq!(
            lookup(b"hash-max-ziplist-entries").unwrap().def().name,
            "hash-max-listpack-entries"
        );
        assert!(lookup_standard(b"include").is_none());
        assert!(lookup(b"include").is_some());
        assert!(lookup(b"nope").is_none());
        assert!(is_sensitive(b"RequirePass"));
        assert!(is_sensitive(b"masterauth"));
        assert!(!is_sensitive(b"port"));
    }

    #[test]
    fn proc_title_templates() {
        assert!(valid_proc_title_template(b"{title} {listen-addr} {server-mode}").is_ok());
        assert!(valid_proc_title_template(b"{title}").is_err());
        assert!(valid_proc_title_template(b"{nope}").is_err());
        assert!(valid_proc_title_template(b"x {").is_err());
        assert!(valid_proc_title_template(b"x {{ } y").is_ok());
        assert!(valid_proc_title_template(b"").is_err());
    }
}
