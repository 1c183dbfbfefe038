//! The command declaration: one [`CommandSpec`] per command carries everything about it.
//!
//! Arity, flags, key specs, ACL categories and docs are declared once, next to the handler, and
//! every consumer reads them: dispatch (unknown command, arity, auth, lock scope), COMMAND
//! (INFO, DOCS, COUNT, LIST, GETKEYS), and later MULTI, scripts, ACL and OOM checks. The
//! shapes mirror Redis 7.2's `struct redisCommand` and `commands/*.json`; flag and category
//! names are Redis's spellings. Facts (arity, flags, key specs, categories) must equal Redis's,
//! which a reference-mode test checks against a real server.

use crate::context::Ctx;
use crate::errors::CommandError;
use bytes::Bytes;
use ferrodis_resp::Reply;

/// A command handler: parses `args` (the full argv, command name included), acts through the
/// context, and returns a reply by meaning.
pub type Handler = fn(&mut Ctx<'_>, &[Bytes]) -> Result<Reply, CommandError>;

/// Command flags, Redis's `CMD_*` (see `COMMAND INFO`'s flags field).
pub mod flags {
    /// May modify the keyspace.
    pub const WRITE: u64 = 1 << 0;
    /// Only reads the keyspace.
    pub const READONLY: u64 = 1 << 1;
    /// May grow memory: refused under OOM.
    pub const DENYOOM: u64 = 1 << 2;
    /// Administrative.
    pub const ADMIN: u64 = 1 << 4;
    /// Pub/sub related.
    pub const PUBSUB: u64 = 1 << 5;
    /// Not allowed inside scripts.
    pub const NOSCRIPT: u64 = 1 << 6;
    /// May block the client.
    pub const BLOCKING: u64 = 1 << 8;
    /// Allowed while loading the dataset.
    pub const LOADING: u64 = 1 << 9;
    /// Allowed on a stale replica.
    pub const STALE: u64 = 1 << 10;
    /// Not shown in MONITOR.
    pub const SKIP_MONITOR: u64 = 1 << 11;
    /// Not shown in the slow log.
    pub const SKIP_SLOWLOG: u64 = 1 << 12;
    /// Runs in O(1) or O(log N).
    pub const FAST: u64 = 1 << 14;
    /// Allowed before authentication.
    pub const NO_AUTH: u64 = 1 << 15;
    /// May replicate even when read-only.
    pub const MAY_REPLICATE: u64 = 1 << 16;
    /// Not allowed inside MULTI.
    pub const NO_MULTI: u64 = 1 << 19;
    /// Allowed while a script is busy.
    pub const ALLOW_BUSY: u64 = 1 << 21;
    /// Key names may be inside the command's arguments in ways key specs cannot express.
    pub const MOVABLE_KEYS: u64 = 1 << 22;
    /// Not allowed in async-loading.
    pub const NO_ASYNC_LOADING: u64 = 1 << 23;
    /// Not mandatory keys (Redis's `no_mandatory_keys`).
    pub const NO_MANDATORY_KEYS: u64 = 1 << 24;
    /// Names in the order COMMAND INFO lists them.
    pub const NAMES: &[(u64, &str)] = &[
        (WRITE, "write"),
        (READONLY, "readonly"),
        (DENYOOM, "denyoom"),
        (ADMIN, "admin"),
        (PUBSUB, "pubsub"),
        (NOSCRIPT, "noscript"),
        (BLOCKING, "blocking"),
        (LOADING, "loading"),
        (STALE, "stale"),
        (SKIP_MONITOR, "skip_monitor"),
        (SKIP_SLOWLOG, "skip_slowlog"),
        (FAST, "fast"),
        (NO_AUTH, "no_auth"),
        (MAY_REPLICATE, "may_replicate"),
        (NO_MULTI, "no_multi"),
        (MOVABLE_KEYS, "movablekeys"),
        (ALLOW_BUSY, "allow_busy"),
        (NO_ASYNC_LOADING, "no_async_loading"),
        (NO_MANDATORY_KEYS, "no_mandatory_keys"),
    ];
}

/// ACL categories, Redis's `ACL_CATEGORY_*`. Only explicit ones are declared; `@read`,
/// `@write`, `@fast`, `@slow`, `@admin` and `@dangerous` are derived from the flags as in
/// `setImplicitACLCategories`.
pub mod acl {
    pub const KEYSPACE: u64 = 1 << 0;
    pub const READ: u64 = 1 << 1;
    pub const WRITE: u64 = 1 << 2;
    pub const SET: u64 = 1 << 3;
    pub const SORTEDSET: u64 = 1 << 4;
    pub const LIST: u64 = 1 << 5;
    pub const HASH: u64 = 1 << 6;
    pub const STRING: u64 = 1 << 7;
    pub const BITMAP: u64 = 1 << 8;
    pub const HYPERLOGLOG: u64 = 1 << 9;
    pub const GEO: u64 = 1 << 10;
    pub const STREAM: u64 = 1 << 11;
    pub const PUBSUB: u64 = 1 << 12;
    pub const ADMIN: u64 = 1 << 13;
    pub const FAST: u64 = 1 << 14;
    pub const SLOW: u64 = 1 << 15;
    pub const BLOCKING: u64 = 1 << 16;
    pub const DANGEROUS: u64 = 1 << 17;
    pub const CONNECTION: u64 = 1 << 18;
    pub const TRANSACTION: u64 = 1 << 19;
    pub const SCRIPTING: u64 = 1 << 20;

    /// Names in Redis's order (`ACLCommandCategories`).
    pub const NAMES: &[(u64, &str)] = &[
        (KEYSPACE, "keyspace"),
        (READ, "read"),
        (WRITE, "write"),
        (SET, "set"),
        (SORTEDSET, "sortedset"),
        (LIST, "list"),
        (HASH, "hash"),
        (STRING, "string"),
        (BITMAP, "bitmap"),
        (HYPERLOGLOG, "hyperloglog"),
        (GEO, "geo"),
        (STREAM, "stream"),
        (PUBSUB, "pubsub"),
        (ADMIN, "admin"),
        (FAST, "fast"),
        (SLOW, "slow"),
        (BLOCKING, "blocking"),
        (DANGEROUS, "dangerous"),
        (CONNECTION, "connection"),
        (TRANSACTION, "transaction"),
        (SCRIPTING, "scripting"),
    ];
}

/// Key-spec flags (Redis's `CMD_KEY_*`), in COMMAND INFO order.
pub mod keyflags {
    pub const RO: u32 = 1 << 0;
    pub const RW: u32 = 1 << 1;
    pub const OW: u32 = 1 << 2;
    pub const RM: u32 = 1 << 3;
    pub const ACCESS: u32 = 1 << 4;
    pub const UPDATE: u32 = 1 << 5;
    pub const INSERT: u32 = 1 << 6;
    pub const DELETE: u32 = 1 << 7;
    pub const NOT_KEY: u32 = 1 << 8;
    pub const INCOMPLETE: u32 = 1 << 9;
    pub const VARIABLE_FLAGS: u32 = 1 << 10;

    /// Names as COMMAND INFO prints them.
    pub const NAMES: &[(u32, &str)] = &[
        (RO, "RO"),
        (RW, "RW"),
        (OW, "OW"),
        (RM, "RM"),
        (ACCESS, "access"),
        (UPDATE, "update"),
        (INSERT, "insert"),
        (DELETE, "delete"),
        (NOT_KEY, "not_key"),
        (INCOMPLETE, "incomplete"),
        (VARIABLE_FLAGS, "variable_flags"),
    ];
}

/// Where the search for keys begins (Redis's `begin_search`).
#[derive(Debug, Clone, Copy)]
pub enum BeginSearch {
    /// At this argument index.
    Index(i32),
    /// After the keyword, searched from `startfrom` (negative: from the end).
    Keyword { keyword: &'static str, startfrom: i32 },
    /// Unknown (the command's `get_keys` function decides).
    Unknown,
}

/// How keys are found from the beginning (Redis's `find_keys`).
#[derive(Debug, Clone, Copy)]
pub enum FindKeys {
    /// `lastkey` relative to the begin index (negative: from the end), every `keystep`
    /// arguments; `limit` divides the remaining arguments when lastkey is -1.
    Range { lastkey: i32, keystep: i32, limit: i32 },
    /// The number of keys is at `keynumidx` (relative), keys start at `firstkey`, every `step`.
    Keynum { keynumidx: i32, firstkey: i32, keystep: i32 },
    /// Unknown.
    Unknown,
}

/// One key spec.
#[derive(Debug, Clone, Copy)]
pub struct KeySpec {
    /// `keyflags` bits.
    pub flags: u32,
    /// Optional note shown by COMMAND INFO.
    pub notes: Option<&'static str>,
    /// Begin search.
    pub begin: BeginSearch,
    /// Find keys.
    pub find: FindKeys,
}

impl KeySpec {
    /// The common shape: one key at `index`.
    pub const fn single(index: i32, flags: u32) -> KeySpec {
        KeySpec {
            flags,
            notes: None,
            begin: BeginSearch::Index(index),
            find: FindKeys::Range { lastkey: 0, keystep: 1, limit: 0 },
        }
    }

    /// Keys from `index` to the end (`lastkey -1`), every `step`.
    pub const fn range_to_end(index: i32, step: i32, flags: u32) -> KeySpec {
        KeySpec {
            flags,
            notes: None,
            begin: BeginSearch::Index(index),
            find: FindKeys::Range { lastkey: -1, keystep: step, limit: 0 },
        }
    }

    /// Adds a note.
    pub const fn with_notes(mut self, notes: &'static str) -> KeySpec {
        self.notes = Some(notes);
        self
    }
}

/// The type of a command argument, as COMMAND DOCS names it (Redis's `redisCommandArgType`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ArgType {
    String,
    Integer,
    Double,
    Key,
    Pattern,
    UnixTime,
    PureToken,
    OneOf,
    Block,
}

impl ArgType {
    /// The type's name in COMMAND DOCS.
    pub fn name(self) -> &'static str {
        match self {
            ArgType::String => "string",
            ArgType::Integer => "integer",
            ArgType::Double => "double",
            ArgType::Key => "key",
            ArgType::Pattern => "pattern",
            ArgType::UnixTime => "unix-time",
            ArgType::PureToken => "pure-token",
            ArgType::OneOf => "oneof",
            ArgType::Block => "block",
        }
    }
}

/// Argument flags (Redis's `CMD_ARG_*`), in COMMAND DOCS order.
pub mod argflags {
    pub const OPTIONAL: u8 = 1 << 0;
    pub const MULTIPLE: u8 = 1 << 1;
    pub const MULTIPLE_TOKEN: u8 = 1 << 2;

    /// Names as COMMAND DOCS prints them.
    pub const NAMES: &[(u8, &str)] =
        &[(OPTIONAL, "optional"), (MULTIPLE, "multiple"), (MULTIPLE_TOKEN, "multiple_token")];
}

/// Command doc flags (Redis's `CMD_DOC_*`).
pub mod docflags {
    pub const DEPRECATED: u8 = 1 << 0;
    pub const SYSCMD: u8 = 1 << 1;

    /// Names as COMMAND DOCS prints them.
    pub const NAMES: &[(u8, &str)] = &[(DEPRECATED, "deprecated"), (SYSCMD, "syscmd")];
}

/// One command argument, for COMMAND DOCS (Redis's `redisCommandArg`).
#[derive(Debug, Clone, Copy)]
pub struct Arg {
    /// Argument name.
    pub name: &'static str,
    /// Argument type.
    pub kind: ArgType,
    /// Display text, when it differs from the name (Redis's `display_text`).
    pub display: Option<&'static str>,
    /// Index into the command's key specs, for `key` arguments.
    pub key_spec_index: Option<u32>,
    /// The token preceding the argument (`EX`, `MATCH`), or the pure token itself.
    pub token: Option<&'static str>,
    /// Optional summary (our own words).
    pub summary: Option<&'static str>,
    /// Version that added the argument.
    pub since: Option<&'static str>,
    /// `argflags` bits.
    pub flags: u8,
    /// Version that deprecated the argument.
    pub deprecated_since: Option<&'static str>,
    /// Sub-arguments of `oneof` and `block` arguments.
    pub arguments: &'static [Arg],
}

impl Arg {
    /// A neutral argument, to be completed with struct update syntax.
    pub const DEFAULT: Arg = Arg {
        name: "",
        kind: ArgType::String,
        display: None,
        key_spec_index: None,
        token: None,
        summary: None,
        since: None,
        flags: 0,
        deprecated_since: None,
        arguments: &[],
    };
}

/// Command group, as COMMAND DOCS names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Group {
    Generic,
    String,
    List,
    Set,
    SortedSet,
    Hash,
    PubSub,
    Transactions,
    Connection,
    Server,
    Scripting,
    HyperLogLog,
    Cluster,
    Sentinel,
    Geo,
    Stream,
    Bitmap,
}

impl Group {
    /// The group's name in COMMAND DOCS.
    pub fn name(self) -> &'static str {
        match self {
            Group::Generic => "generic",
            Group::String => "string",
            Group::List => "list",
            Group::Set => "set",
            Group::SortedSet => "sorted-set",
            Group::Hash => "hash",
            Group::PubSub => "pubsub",
            Group::Transactions => "transactions",
            Group::Connection => "connection",
            Group::Server => "server",
            Group::Scripting => "scripting",
            Group::HyperLogLog => "hyperloglog",
            Group::Cluster => "cluster",
            Group::Sentinel => "sentinel",
            Group::Geo => "geo",
            Group::Stream => "stream",
            Group::Bitmap => "bitmap",
        }
    }
}

/// A command's own key finder (Redis's `getkeys_proc`), for commands whose key flags depend
/// on their arguments (`variable_flags`): returns `(position, keyflags)` pairs.
pub type GetKeys = fn(&[Bytes]) -> Vec<(usize, u32)>;

/// Which shards of the keyspace a command locks before its handler runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LockScope {
    /// The shards of the keys found by the key specs (none when there are no keys).
    Keys,
    /// Every shard: whole-keyspace commands (FLUSHALL, KEYS, SCAN, DBSIZE, SWAPDB, ...).
    All,
    /// EXEC: the shards of every queued command's keys and of the watched keys, or every
    /// shard when a queued command needs them all.
    Transaction,
    /// EVAL and friends: the shards of the KEYS, or every shard for scripts that reach other
    /// keys (see `crate::script_locks`); inside MULTI, every shard.
    Script,
}

/// One command (or subcommand) declaration.
#[derive(Debug, Clone, Copy)]
pub struct CommandSpec {
    /// Lowercase name (`get`; subcommands by their own name, e.g. `getname`).
    pub name: &'static str,
    /// Redis arity: positive = exact argc, negative = at least -arity (argc includes the name).
    pub arity: i32,
    /// `flags` bits.
    pub flags: u64,
    /// Explicit `acl` categories.
    pub acl: u64,
    /// Key specs.
    pub keys: &'static [KeySpec],
    /// Group for COMMAND DOCS.
    pub group: Group,
    /// Version that introduced the command.
    pub since: &'static str,
    /// One-line summary (our own words).
    pub summary: &'static str,
    /// Time complexity.
    pub complexity: &'static str,
    /// Command tips (`nondeterministic_output`, `request_policy:all_shards`, ...).
    pub tips: &'static [&'static str],
    /// Subcommands, for containers such as CONFIG and CLIENT.
    pub subcommands: &'static [CommandSpec],
    /// The handler; `None` for containers, which dispatch to subcommands.
    pub handler: Option<Handler>,
    /// Which shards to lock.
    pub lock: LockScope,
    /// Key finder overriding the key specs' flags (SET, BITFIELD), as Redis's `getkeys_proc`.
    pub get_keys: Option<GetKeys>,
    /// Keys the handler may write that the key specs miss, locked by dispatch in addition to
    /// the key specs' (GEORADIUS with a repeated STORE keyword writes the last one, which the
    /// keyword search does not find). COMMAND GETKEYS ignores it, as Redis does.
    pub lock_keys: Option<GetKeys>,
    /// True when these arguments make the handler read keys named by no argument (SORT's
    /// BY and GET patterns, whose keys derive from the sorted elements): dispatch, EXEC and
    /// scripts then hold every shard, as for [`LockScope::All`].
    pub lock_all_when: Option<fn(&[Bytes]) -> bool>,
    /// Arguments, for COMMAND DOCS (empty: not declared).
    pub arguments: &'static [Arg],
    /// History for COMMAND DOCS: (version, change) pairs.
    pub history: &'static [(&'static str, &'static str)],
    /// `docflags` bits.
    pub doc_flags: u8,
    /// Version that deprecated the command.
    pub deprecated_since: Option<&'static str>,
    /// What replaces a deprecated command.
    pub replaced_by: Option<&'static str>,
}

impl CommandSpec {
    /// A spec with neutral defaults, to be completed with struct update syntax.
    pub const DEFAULT: CommandSpec = CommandSpec {
        name: "",
        arity: 1,
        flags: 0,
        acl: 0,
        keys: &[],
        group: Group::Generic,
        since: "1.0.0",
        summary: "",
        complexity: "O(1)",
        tips: &[],
        subcommands: &[],
        handler: None,
        lock: LockScope::Keys,
        get_keys: None,
        lock_keys: None,
        lock_all_when: None,
        arguments: &[],
        history: &[],
        doc_flags: 0,
        deprecated_since: None,
        replaced_by: None,
    };

    /// True when `argc` arguments (name included) satisfy the arity.
    pub fn arity_ok(&self, argc: usize) -> bool {
        let argc = argc as i64;
        let arity = i64::from(self.arity);
        if arity >= 0 {
            argc == arity
        } else {
            argc >= -arity
        }
    }

    /// True when this run of the command must hold every shard: [`LockScope::All`], or
    /// arguments that [`CommandSpec::lock_all_when`] says reach unnamed keys.
    pub fn locks_all(&self, argv: &[Bytes]) -> bool {
        self.lock == LockScope::All || self.lock_all_when.is_some_and(|f| f(argv))
    }

    /// True when any of `bits` is set in the flags.
    #[inline]
    pub fn has(&self, bits: u64) -> bool {
        self.flags & bits != 0
    }

    /// All ACL categories, explicit and implicit (Redis's `setImplicitACLCategories`).
    pub fn acl_categories(&self) -> u64 {
        let mut cats = self.acl;
        if self.has(flags::WRITE) {
            cats |= acl::WRITE;
        }
        // Redis: read category for readonly commands unless they are @scripting.
        if self.has(flags::READONLY) && cats & acl::SCRIPTING == 0 {
            cats |= acl::READ;
        }
        if self.has(flags::ADMIN) {
            cats |= acl::ADMIN | acl::DANGEROUS;
        }
        if self.has(flags::PUBSUB) {
            cats |= acl::PUBSUB;
        }
        if self.has(flags::FAST) {
            cats |= acl::FAST;
        }
        if self.has(flags::BLOCKING) {
            cats |= acl::BLOCKING;
        }
        if cats & acl::FAST == 0 {
            cats |= acl::SLOW;
        }
        cats
    }

    /// Legacy (first, last, step) key range for COMMAND INFO, derived from the key specs as
    /// Redis's `populateCommandLegacyRangeSpec` does.
    pub fn legacy_range(&self) -> (i64, i64, i64) {
        let mut first = 0i64;
        let mut last = 0i64;
        let mut step = 0i64;
        let mut prev_last = 0i64;
        for spec in self.keys {
            if spec.flags & keyflags::INCOMPLETE != 0 {
                continue;
            }
            let BeginSearch::Index(begin) = spec.begin else { continue };
            let FindKeys::Range { lastkey, keystep, limit } = spec.find else { continue };
            if limit > 1 {
                continue;
            }
            let begin = i64::from(begin);
            let spec_last =
                if lastkey < 0 { i64::from(lastkey) } else { begin + i64::from(lastkey) };
            if first != 0 && step != i64::from(keystep) {
                continue;
            }
            if first == 0 {
                first = begin;
                last = spec_last;
                step = i64::from(keystep);
                prev_last = spec_last;
                continue;
            }
            // Specs must be adjacent to merge.
            if prev_last >= 0 && begin == prev_last + step {
                last = spec_last;
                prev_last = spec_last;
            }
        }
        (first, last, step)
    }

    /// Positions in `argv` of the command's keys, found with the key specs (the algorithm of
    /// Redis's `getKeysUsingKeySpecs`). Positions are deduplicated and in spec order.
    pub fn key_positions(&self, argv: &[Bytes]) -> smallvec::SmallVec<[usize; 4]> {
        let mut out = smallvec::SmallVec::new();
        // The common case, one key at a fixed index, without the general search.
        if let [KeySpec {
            begin: BeginSearch::Index(i),
            find: FindKeys::Range { lastkey: 0, .. },
            flags,
            ..
        }] = self.keys
        {
            let i = *i as usize;
            if flags & keyflags::NOT_KEY == 0 && i > 0 && i < argv.len() {
                out.push(i);
            }
            return out;
        }
        let argc = argv.len() as i64;
        for spec in self.keys {
            if spec.flags & keyflags::NOT_KEY != 0 {
                continue;
            }
            let first = match spec.begin {
                BeginSearch::Index(i) => i64::from(i),
                BeginSearch::Keyword { keyword, startfrom } => {
                    let (start, end, dir): (i64, i64, i64) = if startfrom >= 0 {
                        (i64::from(startfrom), argc - 1, 1)
                    } else {
                        (argc + i64::from(startfrom), 1, -1)
                    };
                    let mut found = None;
                    let mut i = start;
                    while (dir > 0 && i <= end) || (dir < 0 && i >= end) {
                        if i > 0
                            && i < argc
                            && argv[i as usize].eq_ignore_ascii_case(keyword.as_bytes())
                        {
                            found = Some(i + 1);
                            break;
                        }
                        i += dir;
                    }
                    match found {
                        Some(f) => f,
                        None => continue,
                    }
                }
                BeginSearch::Unknown => continue,
            };
            if first >= argc || first <= 0 {
                continue;
            }
            let (last, step) = match spec.find {
                FindKeys::Range { lastkey, keystep, limit } => {
                    let last = if lastkey >= 0 {
                        first + i64::from(lastkey)
                    } else if limit <= 1 {
                        argc + i64::from(lastkey)
                    } else {
                        first + ((argc - first) / i64::from(limit)) + i64::from(lastkey)
                    };
                    (last, i64::from(keystep.max(1)))
                }
                FindKeys::Keynum { keynumidx, firstkey, keystep } => {
                    let idx = first + i64::from(keynumidx);
                    if idx >= argc {
                        continue;
                    }
                    let numkeys =
                        ferrodis_keyspace::num::parse_i64(&argv[idx as usize]).unwrap_or(0).max(0);
                    let start = first + i64::from(firstkey);
                    let step = i64::from(keystep.max(1));
                    let (first_key, last) =
                        (start, start.saturating_add((numkeys - 1).saturating_mul(step)));
                    let mut i = first_key;
                    while i <= last && i < argc {
                        out.push(i as usize);
                        i += step;
                    }
                    continue;
                }
                FindKeys::Unknown => continue,
            };
            let mut i = first;
            while i <= last && i < argc {
                out.push(i as usize);
                i += step;
            }
        }
        out.sort_unstable();
        out.dedup();
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn argv(words: &[&str]) -> Vec<Bytes> {
        words.iter().map(|w| Bytes::copy_from_slice(w.as_bytes())).collect()
    }

    #[test]
    fn key_positions_from_specs() {
        const MSET_KEYS: &[KeySpec] = &[KeySpec::range_to_end(1, 2, keyflags::OW)];
        const GET_KEYS: &[KeySpec] = &[KeySpec::single(1, keyflags::RO)];
        let mset = CommandSpec { keys: MSET_KEYS, ..CommandSpec::DEFAULT };
        assert_eq!(mset.key_positions(&argv(&["mset", "a", "1", "b", "2"])).to_vec(), vec![1, 3]);
        assert_eq!(mset.legacy_range(), (1, -1, 2));
        let get = CommandSpec { keys: GET_KEYS, ..CommandSpec::DEFAULT };
        assert_eq!(get.key_positions(&argv(&["get", "k"])).to_vec(), vec![1]);
        assert_eq!(get.legacy_range(), (1, 1, 1));
        const EVAL_KEYS: &[KeySpec] = &[KeySpec {
            flags: keyflags::RW,
            notes: None,
            begin: BeginSearch::Index(2),
            find: FindKeys::Keynum { keynumidx: 0, firstkey: 1, keystep: 1 },
        }];
        let eval = CommandSpec { keys: EVAL_KEYS, ..CommandSpec::DEFAULT };
        assert_eq!(
            eval.key_positions(&argv(&["eval", "s", "2", "a", "b", "x"])).to_vec(),
            vec![3, 4]
        );
        assert_eq!(eval.legacy_range(), (0, 0, 0));
    }

    #[test]
    fn arity_rules() {
        let exact = CommandSpec { arity: 2, ..CommandSpec::DEFAULT };
        assert!(exact.arity_ok(2) && !exact.arity_ok(3));
        let at_least = CommandSpec { arity: -3, ..CommandSpec::DEFAULT };
        assert!(at_least.arity_ok(3) && at_least.arity_ok(9) && !at_least.arity_ok(2));
    }
}
