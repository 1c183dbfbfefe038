//! Typed values of standard directives: parsing (`set`), `CONFIG GET`
//! rendering (`get`) and `CONFIG REWRITE` lines (`rewrite`), one function
//! per Redis type interface in `config.c`.

use std::path::{Path, PathBuf};

use crate::cstr::{self, cstr};
use crate::table::{CType, ConfigDef, EnumSpec, Kind, NumSpec, Special, StrSpec};

/// Output buffer limits of one client class (`clientBufferLimitsConfig`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ObufLimit {
    /// Hard limit in bytes (0 = none).
    pub hard_bytes: u64,
    /// Soft limit in bytes (0 = none).
    pub soft_bytes: u64,
    /// How long the soft limit may be exceeded, in seconds.
    pub soft_seconds: i64,
}

/// Client classes in `client-output-buffer-limit` order.
pub(crate) const OBUF_CLASSES: [&str; 3] = ["normal", "slave", "pubsub"];

pub(crate) const OBUF_DEFAULTS: [ObufLimit; 3] = [
    ObufLimit { hard_bytes: 0, soft_bytes: 0, soft_seconds: 0 },
    ObufLimit { hard_bytes: 256 * 1024 * 1024, soft_bytes: 64 * 1024 * 1024, soft_seconds: 60 },
    ObufLimit { hard_bytes: 32 * 1024 * 1024, soft_bytes: 8 * 1024 * 1024, soft_seconds: 60 },
];

pub(crate) const OOM_DEFAULTS: [i32; 3] = [0, 200, 800];
pub(crate) const SAVE_DEFAULTS: [(i64, i32); 3] = [(3600, 1), (300, 100), (60, 10000)];
/// Ferrodis listens on loopback by default (`bind 127.0.0.1 -::1`, the line Redis's own
/// redis.conf and Debian's package ship), not on every interface as a config-less Redis
/// does: a deliberate, safer default, which CONFIG GET and CONFIG REWRITE report.
pub(crate) const BIND_DEFAULTS: [&[u8]; 2] = [b"127.0.0.1", b"-::1"];
const CONFIG_BINDADDR_MAX: usize = 16;

/// The current value of one standard directive.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Value {
    /// Config-file-only directives carry no value.
    None,
    Bool(bool),
    /// Every numeric type, as the `long long` Redis moves it around in.
    Num(i64),
    /// Enum value, or OR-ed flag values.
    Enum(i32),
    /// `None` is C `NULL`.
    Str(Option<Vec<u8>>),
    /// Absolute, canonical working directory.
    Dir(Vec<u8>),
    Save(Vec<(i64, i32)>),
    Obuf([ObufLimit; 3]),
    Oom([i32; 3]),
    Notify(u32),
    Bind(Vec<Vec<u8>>),
    ReplicaOf(Option<(Vec<u8>, i64)>),
    Percentiles(Vec<f64>),
}

/// Loader state that changes how `save` behaves (Redis' static
/// `reading_config_file` and `save_loaded`).
#[derive(Clone, Copy, Debug)]
pub(crate) struct SaveState {
    pub reading_config_file: bool,
    pub save_loaded: bool,
}

impl SaveState {
    /// State for `CONFIG SET`.
    pub(crate) const RUNTIME: SaveState =
        SaveState { reading_config_file: false, save_loaded: true };
}

/// Everything a setter may need besides the arguments.
pub(crate) struct SetEnv<'a> {
    pub save: &'a mut SaveState,
    /// Current working directory, for relative `dir` values.
    pub cwd: &'a Path,
}

pub(crate) fn default_value(def: &ConfigDef, cwd: &Path) -> Value {
    match def.kind {
        Kind::Bool { default } => Value::Bool(default),
        Kind::Int(n) | Kind::Memory(n) | Kind::MemoryOrPercent(n) | Kind::Octal(n) => {
            Value::Num(n.default)
        }
        Kind::Enum(e) | Kind::Flags(e) => Value::Enum(e.default),
        Kind::String(s) | Kind::Sds(s) => Value::Str(s.default.map(|d| d.as_bytes().to_vec())),
        Kind::Special(special) => match special {
            Special::Dir => Value::Dir(path_bytes(cwd)),
            Special::Save => Value::Save(SAVE_DEFAULTS.to_vec()),
            Special::ClientOutputBufferLimit => Value::Obuf(OBUF_DEFAULTS),
            Special::OomScoreAdjValues => Value::Oom(OOM_DEFAULTS),
            Special::NotifyKeyspaceEvents => Value::Notify(0),
            Special::Bind => Value::Bind(BIND_DEFAULTS.iter().map(|b| b.to_vec()).collect()),
            Special::ReplicaOf => Value::ReplicaOf(None),
            Special::LatencyTrackingInfoPercentiles => Value::Percentiles(vec![50.0, 99.0, 99.9]),
        },
        Kind::Directive(_) | Kind::Deprecated { .. } => Value::None,
    }
}

pub(crate) fn path_bytes(path: &Path) -> Vec<u8> {
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        path.as_os_str().as_bytes().to_vec()
    }
    #[cfg(not(unix))]
    {
        path.to_string_lossy().into_owned().into_bytes()
    }
}

pub(crate) fn bytes_path(bytes: &[u8]) -> PathBuf {
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        PathBuf::from(std::ffi::OsStr::from_bytes(bytes))
    }
    #[cfg(not(unix))]
    {
        PathBuf::from(String::from_utf8_lossy(bytes).into_owned())
    }
}

// ---------------------------------------------------------------------------
// Setters. Each returns the new value or Redis' error text.
// ---------------------------------------------------------------------------

/// Parse `args` (the words after the directive name) into a new value for
/// `def`, starting from `current`. Mirrors each `*ConfigSet()` of Redis.
pub(crate) fn parse(
    def: &ConfigDef,
    current: &Value,
    args: &[Vec<u8>],
    env: &mut SetEnv<'_>,
) -> Result<Value, String> {
    let first = args.first().map(Vec::as_slice).unwrap_or_default();
    match def.kind {
        Kind::Bool { .. } => parse_bool(first),
        Kind::Int(spec) => parse_number(spec, NumFormat::Integer, first),
        Kind::Memory(spec) => parse_number(spec, NumFormat::Memory, first),
        Kind::MemoryOrPercent(spec) => parse_number(spec, NumFormat::MemoryOrPercent, first),
        Kind::Octal(spec) => parse_number(spec, NumFormat::Octal, first),
        Kind::Enum(spec) => parse_enum(spec, args, false),
        Kind::Flags(spec) => parse_enum(spec, args, true),
        Kind::String(spec) => parse_string(spec, cstr(first)),
        Kind::Sds(spec) => parse_string(spec, first),
        Kind::Special(special) => match special {
            Special::Dir => parse_dir(args, env.cwd),
            Special::Save => parse_save(current, args, env.save),
            Special::ClientOutputBufferLimit => parse_obuf(current, args),
            Special::OomScoreAdjValues => parse_oom(args),
            Special::NotifyKeyspaceEvents => parse_notify(args),
            Special::Bind => parse_bind(args),
            Special::ReplicaOf => parse_replicaof(args),
            Special::LatencyTrackingInfoPercentiles => parse_percentiles(args),
        },
        Kind::Directive(_) | Kind::Deprecated { .. } => {
            Err("Bad directive or wrong number of arguments".into())
        }
    }
}

fn parse_bool(arg: &[u8]) -> Result<Value, String> {
    let arg = cstr(arg);
    if arg.eq_ignore_ascii_case(b"yes") {
        Ok(Value::Bool(true))
    } else if arg.eq_ignore_ascii_case(b"no") {
        Ok(Value::Bool(false))
    } else {
        Err("argument must be 'yes' or 'no'".into())
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum NumFormat {
    Integer,
    Memory,
    MemoryOrPercent,
    Octal,
}

/// `numericParseString()` + `numericBoundaryCheck()`.
fn parse_number(spec: NumSpec, format: NumFormat, arg: &[u8]) -> Result<Value, String> {
    let mut parsed: Option<i64> = None;
    if matches!(format, NumFormat::Memory | NumFormat::MemoryOrPercent) {
        parsed = cstr::memtoull(arg).map(|v| v as i64);
    }
    if parsed.is_none()
        && format == NumFormat::MemoryOrPercent
        && arg.len() > 1
        && arg.last() == Some(&b'%')
    {
        parsed = cstr::string2ll(&arg[..arg.len() - 1]).filter(|&v| v >= 0).map(i64::wrapping_neg);
    }
    if parsed.is_none() && format == NumFormat::Octal {
        let r = cstr::strtoll(arg, 8);
        if r.complete && !r.overflow {
            parsed = Some(r.value);
        }
    }
    if parsed.is_none() && format == NumFormat::Integer {
        parsed = cstr::string2ll(arg);
    }
    let Some(ll) = parsed else {
        return Err(match format {
            NumFormat::MemoryOrPercent => "argument must be a memory or percent value",
            NumFormat::Memory => "argument must be a memory value",
            NumFormat::Octal => "argument couldn't be parsed as an octal number",
            NumFormat::Integer => "argument couldn't be parsed into an integer",
        }
        .into());
    };
    if spec.ctype.unsigned_bounds() {
        let (v, lo, hi) = (ll as u64, spec.min as u64, spec.max as u64);
        if v > hi || v < lo {
            return Err(if format == NumFormat::Octal {
                format!("argument must be between {lo:o} and {hi:o} inclusive")
            } else {
                format!("argument must be between {lo} and {hi} inclusive")
            });
        }
    } else if format == NumFormat::MemoryOrPercent && ll < 0 {
        if ll < spec.min {
            return Err(format!(
                "percentage argument must be less or equal to {}",
                spec.min.wrapping_neg()
            ));
        }
    } else if ll > spec.max || ll < spec.min {
        return Err(format!("argument must be between {} and {} inclusive", spec.min, spec.max));
    }
    Ok(Value::Num(truncate_to_ctype(spec.ctype, ll)))
}

/// `setNumericType()` followed by `GET_NUMERIC_TYPE`: the round trip through
/// the C storage type (a no-op for in-bounds values on LP64).
fn truncate_to_ctype(ctype: CType, v: i64) -> i64 {
    match ctype {
        CType::Int => i64::from(v as i32),
        CType::UInt => i64::from(v as u32),
        _ => v,
    }
}

/// `configEnumGetValue()` + `enumConfigSet()`.
fn parse_enum(spec: EnumSpec, args: &[Vec<u8>], bitflags: bool) -> Result<Value, String> {
    let mut value: Option<i32> = None;
    if !args.is_empty() && (bitflags || args.len() == 1) {
        let mut acc = 0i32;
        let mut all_matched = true;
        for arg in args {
            let arg = cstr(arg);
            let mut matched = false;
            for &(name, v) in spec.values {
                if name.as_bytes().eq_ignore_ascii_case(arg) {
                    acc |= v;
                    matched = true;
                }
            }
            if !matched {
                all_matched = false;
                break;
            }
        }
        if all_matched {
            value = Some(acc);
        }
    }
    let Some(v) = value else {
        let names: Vec<&str> = spec.values.iter().map(|(n, _)| *n).collect();
        let mut msg = format!("argument(s) must be one of the following: {}", names.join(", "));
        // Redis copies the message into a 256-byte buffer.
        msg.truncate(255);
        return Err(msg);
    };
    if let Some(validate) = spec.validate {
        validate(v).map_err(str::to_string)?;
    }
    Ok(Value::Enum(v))
}

fn parse_string(spec: StrSpec, arg: &[u8]) -> Result<Value, String> {
    if let Some(validate) = spec.validate {
        validate(arg).map_err(str::to_string)?;
    }
    // String configs get the C string (already cut at NUL), SDS configs the
    // full value; either way "empty" means zero length.
    if spec.empty_is_null && arg.is_empty() {
        Ok(Value::Str(None))
    } else {
        Ok(Value::Str(Some(arg.to_vec())))
    }
}

/// `setConfigDirOption()`: Redis `chdir()`s; we resolve and validate the
/// path the same way without changing the process' directory.
fn parse_dir(args: &[Vec<u8>], cwd: &Path) -> Result<Value, String> {
    let [arg] = args else {
        return Err("wrong number of arguments".into());
    };
    let arg = cstr(arg);
    if arg.is_empty() {
        return Err("No such file or directory".into());
    }
    let target = cwd.join(bytes_path(arg));
    let meta = std::fs::metadata(&target).map_err(|e| cstr::strerror(&e))?;
    if !meta.is_dir() {
        return Err("Not a directory".into());
    }
    let canonical = std::fs::canonicalize(&target).map_err(|e| cstr::strerror(&e))?;
    Ok(Value::Dir(path_bytes(&canonical)))
}

/// `setConfigSaveOption()`, including its config-file quirks: the first
/// `save` line read from a file replaces the defaults and later ones append,
/// but after an `include` (which clears `reading_config_file`) every `save`
/// line replaces the previous ones.
fn parse_save(current: &Value, args: &[Vec<u8>], state: &mut SaveState) -> Result<Value, String> {
    let mut params = match current {
        Value::Save(p) => p.clone(),
        _ => Vec::new(),
    };
    let mut args = args;
    if args.len() == 1 && cstr(&args[0]).is_empty() {
        params.clear();
        args = &[];
    }
    if args.len() % 2 == 1 {
        return Err("Invalid save parameters".into());
    }
    let mut parsed = Vec::with_capacity(args.len() / 2);
    for pair in args.chunks_exact(2) {
        let seconds = cstr::strtoll(&pair[0], 10);
        let changes = cstr::strtoll(&pair[1], 10);
        if !seconds.complete || seconds.value < 1 || !changes.complete || changes.value < 0 {
            return Err("Invalid save parameters".into());
        }
        // `changes` is stored in a C int.
        parsed.push((seconds.value, changes.value as i32));
    }
    if !state.reading_config_file {
        params.clear();
    } else if !state.save_loaded {
        state.save_loaded = true;
        params.clear();
    }
    params.extend(parsed);
    Ok(Value::Save(params))
}

/// `updateClientOutputBufferLimit()`.
fn parse_obuf(current: &Value, args: &[Vec<u8>]) -> Result<Value, String> {
    let mut limits = match current {
        Value::Obuf(l) => *l,
        _ => OBUF_DEFAULTS,
    };
    if !args.len().is_multiple_of(4) {
        return Err("Wrong number of arguments in buffer limit configuration.".into());
    }
    let mut updates = Vec::with_capacity(args.len() / 4);
    for quad in args.chunks_exact(4) {
        let class = cstr(&quad[0]);
        let idx = if class.eq_ignore_ascii_case(b"normal") {
            0
        } else if class.eq_ignore_ascii_case(b"slave") || class.eq_ignore_ascii_case(b"replica") {
            1
        } else if class.eq_ignore_ascii_case(b"pubsub") {
            2
        } else {
            return Err("Invalid client class specified in buffer limit configuration.".into());
        };
        let hard = cstr::memtoull(&quad[1]);
        let soft = cstr::memtoull(&quad[2]);
        let secs = cstr::strtoll(&quad[3], 10);
        // `soft_seconds` goes through a C int.
        let secs_int = secs.value as i32;
        match (hard, soft) {
            (Some(hard_bytes), Some(soft_bytes)) if secs_int >= 0 && secs.complete => {
                updates.push((
                    idx,
                    ObufLimit { hard_bytes, soft_bytes, soft_seconds: i64::from(secs_int) },
                ));
            }
            _ => {
                return Err(
                    "Error in hard, soft or soft_seconds setting in buffer limit configuration."
                        .into(),
                )
            }
        }
    }
    for (idx, limit) in updates {
        limits[idx] = limit;
    }
    Ok(Value::Obuf(limits))
}

fn parse_oom(args: &[Vec<u8>]) -> Result<Value, String> {
    if args.len() != 3 {
        return Err("wrong number of arguments".into());
    }
    let mut values = [0i32; 3];
    for (slot, arg) in values.iter_mut().zip(args) {
        let r = cstr::strtoll(arg, 10);
        if !r.complete || !(-2000..=2000).contains(&r.value) {
            return Err(
                "Invalid oom-score-adj-values, elements must be between -2000 and 2000.".into()
            );
        }
        *slot = r.value as i32;
    }
    Ok(Value::Oom(values))
}

// Keyspace notification flag bits (server.h NOTIFY_*).
pub const NOTIFY_KEYSPACE: u32 = 1 << 0;
pub const NOTIFY_KEYEVENT: u32 = 1 << 1;
pub const NOTIFY_GENERIC: u32 = 1 << 2;
pub const NOTIFY_STRING: u32 = 1 << 3;
pub const NOTIFY_LIST: u32 = 1 << 4;
pub const NOTIFY_SET: u32 = 1 << 5;
pub const NOTIFY_HASH: u32 = 1 << 6;
pub const NOTIFY_ZSET: u32 = 1 << 7;
pub const NOTIFY_EXPIRED: u32 = 1 << 8;
pub const NOTIFY_EVICTED: u32 = 1 << 9;
pub const NOTIFY_STREAM: u32 = 1 << 10;
pub const NOTIFY_KEY_MISS: u32 = 1 << 11;
pub const NOTIFY_MODULE: u32 = 1 << 13;
pub const NOTIFY_NEW: u32 = 1 << 14;
pub const NOTIFY_ALL: u32 = NOTIFY_GENERIC
    | NOTIFY_STRING
    | NOTIFY_LIST
    | NOTIFY_SET
    | NOTIFY_HASH
    | NOTIFY_ZSET
    | NOTIFY_EXPIRED
    | NOTIFY_EVICTED
    | NOTIFY_STREAM
    | NOTIFY_MODULE;

/// `keyspaceEventsStringToFlags()`.
pub(crate) fn notify_flags_from_str(s: &[u8]) -> Option<u32> {
    let mut flags = 0;
    for &c in cstr(s) {
        flags |= match c {
            b'A' => NOTIFY_ALL,
            b'g' => NOTIFY_GENERIC,
            b'$' => NOTIFY_STRING,
            b'l' => NOTIFY_LIST,
            b's' => NOTIFY_SET,
            b'h' => NOTIFY_HASH,
            b'z' => NOTIFY_ZSET,
            b'x' => NOTIFY_EXPIRED,
            b'e' => NOTIFY_EVICTED,
            b'K' => NOTIFY_KEYSPACE,
            b'E' => NOTIFY_KEYEVENT,
            b't' => NOTIFY_STREAM,
            b'm' => NOTIFY_KEY_MISS,
            b'd' => NOTIFY_MODULE,
            b'n' => NOTIFY_NEW,
            _ => return None,
        };
    }
    Some(flags)
}

/// `keyspaceEventsFlagsToString()`.
pub(crate) fn notify_flags_to_string(flags: u32) -> String {
    let mut s = String::new();
    if flags & NOTIFY_ALL == NOTIFY_ALL {
        s.push('A');
    } else {
        for (bit, c) in [
            (NOTIFY_GENERIC, 'g'),
            (NOTIFY_STRING, '$'),
            (NOTIFY_LIST, 'l'),
            (NOTIFY_SET, 's'),
            (NOTIFY_HASH, 'h'),
            (NOTIFY_ZSET, 'z'),
            (NOTIFY_EXPIRED, 'x'),
            (NOTIFY_EVICTED, 'e'),
            (NOTIFY_STREAM, 't'),
            (NOTIFY_MODULE, 'd'),
            (NOTIFY_NEW, 'n'),
        ] {
            if flags & bit != 0 {
                s.push(c);
            }
        }
    }
    for (bit, c) in [(NOTIFY_KEYSPACE, 'K'), (NOTIFY_KEYEVENT, 'E'), (NOTIFY_KEY_MISS, 'm')] {
        if flags & bit != 0 {
            s.push(c);
        }
    }
    s
}

fn parse_notify(args: &[Vec<u8>]) -> Result<Value, String> {
    let [arg] = args else {
        return Err("wrong number of arguments".into());
    };
    notify_flags_from_str(arg)
        .map(Value::Notify)
        .ok_or_else(|| "Invalid event class character. Use 'Ag$lshzxeKEtmdn'.".into())
}

fn parse_bind(args: &[Vec<u8>]) -> Result<Value, String> {
    if args.len() > CONFIG_BINDADDR_MAX {
        return Err("Too many bind addresses specified.".into());
    }
    if args.len() == 1 && args[0].is_empty() {
        return Ok(Value::Bind(Vec::new()));
    }
    Ok(Value::Bind(args.iter().map(|a| cstr(a).to_vec()).collect()))
}

fn parse_replicaof(args: &[Vec<u8>]) -> Result<Value, String> {
    let [host, port] = args else {
        return Err("wrong number of arguments".into());
    };
    if cstr(host).eq_ignore_ascii_case(b"no") && cstr(port).eq_ignore_ascii_case(b"one") {
        return Ok(Value::ReplicaOf(None));
    }
    let p = cstr::strtoll(port, 10);
    // `strtol()` into the C `int` server.masterport.
    let port = i64::from(p.value as i32);
    if !p.complete || !(0..=65535).contains(&port) {
        return Err("Invalid master port".into());
    }
    Ok(Value::ReplicaOf(Some((cstr(host).to_vec(), port))))
}

/// `string2d()`: a strict double parser (no blanks, no NaN, full length).
fn string2d(s: &[u8]) -> Option<f64> {
    if s.first().is_none_or(|&c| cstr::is_c_space(c)) {
        return None;
    }
    let text = std::str::from_utf8(s).ok()?;
    let v: f64 = text.parse().ok()?;
    if v.is_nan() {
        return None;
    }
    Some(v)
}

fn parse_percentiles(args: &[Vec<u8>]) -> Result<Value, String> {
    if args.len() == 1 && args[0].is_empty() {
        return Ok(Value::Percentiles(Vec::new()));
    }
    let mut values = Vec::with_capacity(args.len());
    for arg in args {
        let Some(v) = string2d(arg) else {
            return Err("Invalid latency-tracking-info-percentiles parameters".into());
        };
        if !(0.0..=100.0).contains(&v) {
            return Err(
                "latency-tracking-info-percentiles parameters should sit between [0.0,100.0]"
                    .into(),
            );
        }
        values.push(v);
    }
    Ok(Value::Percentiles(values))
}

// ---------------------------------------------------------------------------
// CONFIG GET rendering.
// ---------------------------------------------------------------------------

/// `configEnumGetName()`: the first name with exactly this value, or for
/// flag sets the names of the contained flags, or `unknown`.
pub(crate) fn enum_name(spec: &EnumSpec, value: i32, bitflags: bool) -> String {
    let mut names: Vec<&str> = Vec::new();
    let mut unmatched = value;
    for &(name, v) in spec.values {
        if value == v {
            return name.to_string();
        }
        if bitflags && v != 0 && v == (unmatched & v) {
            names.push(name);
            unmatched &= !v;
        }
    }
    if names.is_empty() || unmatched != 0 {
        "unknown".to_string()
    } else {
        names.join(" ")
    }
}

/// `CONFIG GET` rendering of a value (each type's `*ConfigGet()`).
pub(crate) fn render(def: &ConfigDef, value: &Value) -> Vec<u8> {
    match (def.kind, value) {
        (Kind::Bool { .. }, Value::Bool(b)) => {
            if *b {
                b"yes".to_vec()
            } else {
                b"no".to_vec()
            }
        }
        (Kind::MemoryOrPercent(_), Value::Num(v)) if *v < 0 => {
            format!("{}%", v.unsigned_abs()).into_bytes()
        }
        (Kind::Memory(_) | Kind::MemoryOrPercent(_), Value::Num(v)) => {
            (*v as u64).to_string().into_bytes()
        }
        (Kind::Octal(_), Value::Num(v)) => format!("{:o}", *v as u64).into_bytes(),
        (Kind::Int(_), Value::Num(v)) => v.to_string().into_bytes(),
        (Kind::Enum(spec), Value::Enum(v)) => enum_name(&spec, *v, false).into_bytes(),
        (Kind::Flags(spec), Value::Enum(v)) => enum_name(&spec, *v, true).into_bytes(),
        (Kind::String(_) | Kind::Sds(_), Value::Str(s)) => s.clone().unwrap_or_default(),
        (_, Value::Dir(d)) => d.clone(),
        (_, Value::Save(params)) => params
            .iter()
            .map(|(s, c)| format!("{s} {c}"))
            .collect::<Vec<_>>()
            .join(" ")
            .into_bytes(),
        (_, Value::Obuf(limits)) => OBUF_CLASSES
            .iter()
            .zip(limits)
            .map(|(class, l)| {
                format!("{class} {} {} {}", l.hard_bytes, l.soft_bytes, l.soft_seconds)
            })
            .collect::<Vec<_>>()
            .join(" ")
            .into_bytes(),
        (_, Value::Oom(v)) => format!("{} {} {}", v[0], v[1], v[2]).into_bytes(),
        (_, Value::Notify(flags)) => notify_flags_to_string(*flags).into_bytes(),
        (_, Value::Bind(addrs)) => addrs.join(&b' '),
        (_, Value::ReplicaOf(Some((host, port)))) => {
            let mut out = host.clone();
            out.extend_from_slice(format!(" {port}").as_bytes());
            out
        }
        (_, Value::Percentiles(p)) => p
            .iter()
            .map(|v| cstr::format_double_trimmed(*v))
            .collect::<Vec<_>>()
            .join(" ")
            .into_bytes(),
        _ => Vec::new(),
    }
}

// ---------------------------------------------------------------------------
// CONFIG REWRITE lines.
// ---------------------------------------------------------------------------

/// What `CONFIG REWRITE` does with one option.
pub(crate) enum RewriteAction {
    /// Mark the option as processed without writing it: its old lines are
    /// blanked (a `NULL` string, the default `bind`, a non-replica
    /// `replicaof`).
    Remove,
    /// Write these lines (each replaces one old line of the option, in
    /// order, or is appended); `force` lines are appended even when the
    /// option was not in the old file.
    Lines(Vec<(Vec<u8>, bool)>),
}

fn line(name: &str, rest: &[u8]) -> Vec<u8> {
    let mut l = Vec::with_capacity(name.len() + 1 + rest.len());
    l.extend_from_slice(name.as_bytes());
    l.push(b' ');
    l.extend_from_slice(rest);
    l
}

/// The rewrite lines of one option (each type's `*ConfigRewrite()`).
pub(crate) fn rewrite(def: &ConfigDef, value: &Value) -> RewriteAction {
    let name = def.name;
    let single =
        |text: Vec<u8>, force: bool| RewriteAction::Lines(vec![(line(name, &text), force)]);
    match (def.kind, value) {
        (Kind::Bool { default }, Value::Bool(b)) => {
            single(if *b { b"yes".to_vec() } else { b"no".to_vec() }, *b != default)
        }
        (Kind::MemoryOrPercent(spec), Value::Num(v)) if *v < 0 => {
            // rewriteConfigPercentOption(value = -v, default): force compares
            // the positive percentage with the stored default.
            single(format!("{}%", v.wrapping_neg()).into_bytes(), v.wrapping_neg() != spec.default)
        }
        (Kind::Memory(spec) | Kind::MemoryOrPercent(spec), Value::Num(v)) => {
            single(cstr::format_memory(*v).into_bytes(), *v != spec.default)
        }
        (Kind::Octal(spec), Value::Num(v)) => {
            single(format!("{:o}", *v as u64).into_bytes(), *v != spec.default)
        }
        (Kind::Int(spec), Value::Num(v)) => single(v.to_string().into_bytes(), *v != spec.default),
        (Kind::Enum(spec), Value::Enum(v)) => {
            single(enum_name(&spec, *v, false).into_bytes(), *v != spec.default)
        }
        (Kind::Flags(spec), Value::Enum(v)) => {
            single(enum_name(&spec, *v, true).into_bytes(), *v != spec.default)
        }
        (Kind::String(spec) | Kind::Sds(spec), Value::Str(s)) => match s {
            None => RewriteAction::Remove,
            Some(s) => {
                let force = spec.default.is_none_or(|d| d.as_bytes() != s.as_slice());
                single(cstr::repr(s), force)
            }
        },
        (_, Value::Dir(d)) => single(cstr::repr(d), true),
        (_, Value::Save(params)) => {
            if params.is_empty() {
                single(b"\"\"".to_vec(), true)
            } else {
                RewriteAction::Lines(
                    params
                        .iter()
                        .map(|(s, c)| (line(name, format!("{s} {c}").as_bytes()), true))
                        .collect(),
                )
            }
        }
        (_, Value::Obuf(limits)) => RewriteAction::Lines(
            limits
                .iter()
                .zip(OBUF_DEFAULTS)
                .zip(["normal", "replica", "pubsub"])
                .map(|((l, d), class)| {
                    let text = format!(
                        "{class} {} {} {}",
                        cstr::format_memory(l.hard_bytes as i64),
                        cstr::format_memory(l.soft_bytes as i64),
                        l.soft_seconds
                    );
                    (line(name, text.as_bytes()), *l != d)
                })
                .collect(),
        ),
        (_, Value::Oom(v)) => {
            single(format!("{} {} {}", v[0], v[1], v[2]).into_bytes(), *v != OOM_DEFAULTS)
        }
        (_, Value::Notify(flags)) => {
            single(cstr::repr(notify_flags_to_string(*flags).as_bytes()), *flags != 0)
        }
        (_, Value::Bind(addrs)) => {
            let is_default = addrs.len() == BIND_DEFAULTS.len()
                && addrs.iter().zip(BIND_DEFAULTS).all(|(a, d)| a.as_slice() == d);
            if is_default {
                RewriteAction::Remove
            } else if addrs.is_empty() {
                single(b"\"\"".to_vec(), true)
            } else {
                single(addrs.join(&b' '), true)
            }
        }
        (_, Value::ReplicaOf(r)) => match r {
            None => RewriteAction::Remove,
            Some((host, port)) => {
                let mut text = host.clone();
                text.extend_from_slice(format!(" {port}").as_bytes());
                single(text, true)
            }
        },
        (_, Value::Percentiles(p)) => {
            if p.is_empty() {
                single(b"\"\"".to_vec(), true)
            } else {
                let text: Vec<String> = p.iter().map(|v| cstr::format_double_trimmed(*v)).collect();
                single(text.join(" ").into_bytes(), true)
            }
        }
        _ => RewriteAction::Lines(Vec::new()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::table::lookup;

    fn def(name: &str) -> &'static ConfigDef {
        lookup(name.as_bytes()).unwrap().def()
    }

    fn set(name: &str, args: &[&str]) -> Result<Value, String> {
        let d = def(name);
        let cur = default_value(d, Path::new("/"));
        let args: Vec<Vec<u8>> = args.iter().map(|a| a.as_bytes().to_vec()).collect();
        let mut save = SaveState::RUNTIME;
        parse(d, &cur, &args, &mut SetEnv { save: &mut save, cwd: Path::new("/") })
    }

    fn get(name: &str, args: &[&str]) -> String {
        let v = set(name, args).unwrap();
        String::from_utf8(render(def(name), &v)).unwrap()
    }

    #[test]
    fn bool_values() {
        assert_eq!(get("daemonize", &["YES"]), "yes");
        assert_eq!(get("daemonize", &["No"]), "no");
        assert_eq!(set("daemonize", &["maybe"]).unwrap_err(), "argument must be 'yes' or 'no'");
    }

    #[test]
    fn numeric_bounds_messages() {
        assert_eq!(
            set("port", &["70000"]).unwrap_err(),
            "argument must be between 0 and 65535 inclusive"
        );
        assert_eq!(set("port", &["x"]).unwrap_err(), "argument couldn't be parsed into an integer");
        assert_eq!(
            set("maxclients", &["0"]).unwrap_err(),
            "argument must be between 1 and 4294967295 inclusive"
        );
        assert_eq!(
            set("maxclients", &["-1"]).unwrap_err(),
            "argument must be between 1 and 4294967295 inclusive"
        );
        assert_eq!(
            set("slowlog-max-len", &["-1"]).unwrap_err(),
            "argument must be between 0 and 9223372036854775807 inclusive"
        );
        assert_eq!(
            set("hash-max-listpack-entries", &["-1"]).unwrap_err(),
            "argument must be between 0 and 9223372036854775807 inclusive"
        );
        assert_eq!(get("list-max-listpack-size", &["-5"]), "-5");
    }

    #[test]
    fn memory_values() {
        assert_eq!(get("maxmemory", &["1gb"]), "1073741824");
        assert_eq!(get("maxmemory", &["1G"]), "1000000000");
        assert_eq!(get("maxmemory", &["99999999999999999999"]), "18446744073709551615");
        assert_eq!(set("maxmemory", &["1tb"]).unwrap_err(), "argument must be a memory value");
        assert_eq!(
            set("proto-max-bulk-len", &["1000"]).unwrap_err(),
            "argument must be between 1048576 and 9223372036854775807 inclusive"
        );
        assert_eq!(get("proto-max-bulk-len", &["1mb"]), "1048576");
    }

    #[test]
    fn percent_values() {
        assert_eq!(get("maxmemory-clients", &["10%"]), "10%");
        assert_eq!(get("maxmemory-clients", &["10mb"]), "10485760");
        assert_eq!(
            set("maxmemory-clients", &["101%"]).unwrap_err(),
            "percentage argument must be less or equal to 100"
        );
        assert_eq!(
            set("maxmemory-clients", &["-5"]).unwrap_err(),
            "argument must be a memory or percent value"
        );
        assert_eq!(
            set("maxmemory-clients", &["-5%"]).unwrap_err(),
            "argument must be a memory or percent value"
        );
    }

    #[test]
    fn octal_values() {
        assert_eq!(get("unixsocketperm", &["700"]), "700");
        assert_eq!(get("unixsocketperm", &[" 755"]), "755");
        assert_eq!(get("unixsocketperm", &[""]), "0");
        assert_eq!(
            set("unixsocketperm", &["778"]).unwrap_err(),
            "argument couldn't be parsed as an octal number"
        );
        assert_eq!(
            set("unixsocketperm", &["-1"]).unwrap_err(),
            "argument must be between 0 and 777 inclusive"
        );
        assert_eq!(
            set("unixsocketperm", &["1000"]).unwrap_err(),
            "argument must be between 0 and 777 inclusive"
        );
    }

    #[test]
    fn enum_values() {
        assert_eq!(get("loglevel", &["WARNING"]), "warning");
        assert_eq!(get("loglevel", &["nothing"]), "nothing");
        assert_eq!(
            set("loglevel", &["x"]).unwrap_err(),
            "argument(s) must be one of the following: debug, verbose, notice, warning, nothing"
        );
        assert_eq!(get("oom-score-adj", &["relative"]), "yes");
        assert_eq!(get("shutdown-on-sigint", &["save", "now"]), "save now");
        assert_eq!(get("shutdown-on-sigint", &["default"]), "default");
        assert_eq!(get("shutdown-on-sigint", &["now", "force", "nosave"]), "nosave now force");
        assert_eq!(
            set("shutdown-on-sigint", &["save", "nosave"]).unwrap_err(),
            "shutdown options SAVE and NOSAVE can't be used simultaneously"
        );
        assert!(set("shutdown-on-sigint", &[]).is_err());
    }

    #[test]
    fn string_values() {
        assert_eq!(
            set("dbfilename", &["a/b"]).unwrap_err(),
            "dbfilename can't be a path, just a filename"
        );
        assert_eq!(set("appendfilename", &[""]).unwrap_err(), "appendfilename can't be empty");
        assert_eq!(set("pidfile", &[""]).unwrap(), Value::Str(None));
        assert_eq!(set("logfile", &[""]).unwrap(), Value::Str(Some(Vec::new())));
        assert_eq!(set("logfile", &["a\0b"]).unwrap(), Value::Str(Some(b"a".to_vec())));
        assert_eq!(set("requirepass", &["a\0b"]).unwrap(), Value::Str(Some(b"a\0b".to_vec())));
        assert_eq!(
            set("cluster-announce-hostname", &["a_b"]).unwrap_err(),
            "Hostnames may only contain alphanumeric characters, hyphens or dots"
        );
    }

    #[test]
    fn special_values() {
        assert_eq!(get("save", &["900", "1", "300", "10"]), "900 1 300 10");
        assert_eq!(get("save", &[""]), "");
        assert_eq!(set("save", &["1"]).unwrap_err(), "Invalid save parameters");
        assert_eq!(set("save", &["0", "1"]).unwrap_err(), "Invalid save parameters");
        assert_eq!(set("save", &["a", "b"]).unwrap_err(), "Invalid save parameters");
        assert_eq!(get("save", &["10", ""]), "10 0");
        assert_eq!(
            get(
                "client-output-buffer-limit",
                &["replica", "1mb", "2m", "3", "NORMAL", "1", "2", "3"]
            ),
            "normal 1 2 3 slave 1048576 2000000 3 pubsub 33554432 8388608 60"
        );
        assert_eq!(
            set("client-output-buffer-limit", &["master", "1", "1", "1"]).unwrap_err(),
            "Invalid client class specified in buffer limit configuration."
        );
        assert_eq!(
            set("client-output-buffer-limit", &["normal", "1", "1"]).unwrap_err(),
            "Wrong number of arguments in buffer limit configuration."
        );
        assert_eq!(
            set("client-output-buffer-limit", &["normal", "1", "1", "-1"]).unwrap_err(),
            "Error in hard, soft or soft_seconds setting in buffer limit configuration."
        );
        assert_eq!(get("oom-score-adj-values", &["-1", "2", "3"]), "-1 2 3");
        assert_eq!(
            set("oom-score-adj-values", &["1", "2"]).unwrap_err(),
            "wrong number of arguments"
        );
        assert_eq!(
            set("oom-score-adj-values", &["1", "2", "2001"]).unwrap_err(),
            "Invalid oom-score-adj-values, elements must be between -2000 and 2000."
        );
        assert_eq!(get("notify-keyspace-events", &["KEA"]), "AKE");
        assert_eq!(get("notify-keyspace-events", &["Kg$lshzxetd"]), "AK");
        assert_eq!(get("notify-keyspace-events", &["mnE"]), "nEm");
        assert_eq!(
            set("notify-keyspace-events", &["X"]).unwrap_err(),
            "Invalid event class character. Use 'Ag$lshzxeKEtmdn'."
        );
        assert_eq!(get("bind", &["127.0.0.1", "-::1"]), "127.0.0.1 -::1");
        assert_eq!(get("bind", &[""]), "");
        let many: Vec<&str> = std::iter::repeat_n("x", 17).collect();
        assert_eq!(set("bind", &many).unwrap_err(), "Too many bind addresses specified.");
        assert_eq!(get("replicaof", &["h", "6380"]), "h 6380");
        assert_eq!(get("replicaof", &["NO", "ONE"]), "");
        assert_eq!(set("replicaof", &["h", "70000"]).unwrap_err(), "Invalid master port");
        assert_eq!(get("latency-tracking-info-percentiles", &["50", "99.99"]), "50 99.99");
        assert_eq!(
            set("latency-tracking-info-percentiles", &["101"]).unwrap_err(),
            "latency-tracking-info-percentiles parameters should sit between [0.0,100.0]"
        );
        assert_eq!(
            set("latency-tracking-info-percentiles", &["x"]).unwrap_err(),
            "Invalid latency-tracking-info-percentiles parameters"
        );
    }

    #[test]
    fn defaults_render_like_redis() {
        let cwd = Path::new("/");
        let render_default = |name: &str| {
            let d = def(name);
            String::from_utf8(render(d, &default_value(d, cwd))).unwrap()
        };
        assert_eq!(render_default("save"), "3600 1 300 100 60 10000");
        assert_eq!(
            render_default("client-output-buffer-limit"),
            "normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60"
        );
        assert_eq!(render_default("oom-score-adj-values"), "0 200 800");
        assert_eq!(render_default("bind"), "127.0.0.1 -::1");
        assert_eq!(render_default("latency-tracking-info-percentiles"), "50 99 99.9");
        assert_eq!(render_default("acl-pubsub-default"), "resetchannels");
        assert_eq!(render_default("syslog-facility"), "local0");
        assert_eq!(render_default("shutdown-on-sigterm"), "default");
        assert_eq!(render_default("proto-max-bulk-len"), "536870912");
        assert_eq!(render_default("unixsocketperm"), "0");
        assert_eq!(render_default("pidfile"), "");
    }
}
