//! Lua scripting: the script cache, one sandboxed Lua 5.1 interpreter per worker thread, and
//! running a script (EVAL, EVALSHA and their `_RO` forms) with Redis 7.2's semantics.
//!
//! - The cache ([`ScriptCache`], in `Shared`) maps the lowercase SHA1 hex of a body to the
//!   body and its shebang flags. It lives until SCRIPT FLUSH, which bumps a generation counter
//!   so that every thread drops the functions it compiled.
//! - Each tokio worker thread owns a `mlua::Lua` (a `thread_local!`), built once with Redis's
//!   libraries and sandbox (`sandbox.lua`), and compiles scripts from the cache lazily, with
//!   the chunk name `@user_script` so errors read `user_script:1: ...` as in Redis.
//! - A script runs with every shard locked by dispatch (`LockScope::All`): it may touch keys
//!   it did not declare (channels_redis passes them in ARGV with `numkeys 0`), and nothing
//!   else runs while it does, which makes it atomic and isolated.
//! - `redis.call` / `redis.pcall` are created per run with `Lua::scope`, borrowing the
//!   handler's `Ctx`; they resolve the command (`dispatch::lookup`), apply the script gates
//!   (`noscript`, writes under EVAL_RO or `no-writes`), and run it with
//!   `dispatch::run_nested` under the script's protocol (`redis.setresp`).
//! - Errors follow Redis 7.2's `luaCallFunction`: `ERR user_script:1: <msg> script: <sha>,
//!   on @user_script:1.` for Lua errors, `<err> script: <sha>, on @user_script:<line>.` for
//!   error tables raised by `redis.call` or `error({err=...})`.
//!
//! - Long scripts: an instruction hook (every 100 000 instructions) marks the script busy once
//!   it has run `busy-reply-threshold` ms (dispatch then answers other commands `BUSY`) and
//!   stops it after SCRIPT KILL (refused with `UNKILLABLE` once it wrote) or at shutdown. A
//!   script that has run half the threshold (at most 100 ms) hands its tokio worker core to
//!   another thread (`block_in_place` from the hook) so the clients of its worker keep being
//!   served; shorter scripts never do, though the hook's count, which runs across scripts,
//!   fires inside them now and then.
//!
//! - Functions (FUNCTION LOAD, FCALL): the registry is server-wide ([`functions::Registry`]
//!   in the cache, untouched by SCRIPT FLUSH); each thread runs a library's body once in its
//!   interpreter, in Redis's load environment (only `redis.register_function`, `redis.log`,
//!   the log levels and the version), and keeps the registered Lua functions under the
//!   library's id. Library code shares one read-only environment whose globals are swapped
//!   between the load environment and the script globals, as Redis swaps its globals'
//!   `__index`; errors read `... script: <function>, on @user_function:<line>.`
//!
//! Not done yet: Redis's Lua security patches (this is mlua's vendored Lua 5.1.5).

pub mod bit;
pub mod cjson;
pub mod cmsgpack;
pub mod convert;
pub mod functions;
pub mod lstruct;

use crate::context::Ctx;
use crate::dispatch;
use crate::errors::CommandError;
use crate::log::{self, Level};
use crate::spec::flags;
use bytes::Bytes;
use ferrodis_resp::{Reply, RespVersion};
use mlua::{Function, Lua, LuaOptions, MultiValue, StdLib, Table, Value};
use parking_lot::Mutex;
use sha1::{Digest, Sha1};
use smallvec::SmallVec;
use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::fmt;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// The Redis version scripts see (`redis.REDIS_VERSION`), Ferrodis's compatibility level.
const VERSION: &str = crate::server::REDIS_VERSION;

/// The shebang flags of a script (`#!lua flags=...`, Redis 7's `SCRIPT_FLAG_*`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ScriptFlags {
    /// The body starts with a shebang (no shebang is Redis's "EVAL compatibility mode").
    pub shebang: bool,
    /// `no-writes`: the script may not call write commands.
    pub no_writes: bool,
}

/// A cached script: its body and shebang flags.
#[derive(Debug, Clone)]
pub struct Script {
    /// The script source as given to EVAL or SCRIPT LOAD.
    pub body: Bytes,
    /// Its shebang flags.
    pub flags: ScriptFlags,
}

/// The server-wide script cache (EVAL, EVALSHA, SCRIPT LOAD/EXISTS/FLUSH) and the state of
/// the running script (at most one runs at a time: scripts lock every shard).
#[derive(Debug, Default)]
pub struct ScriptCache {
    scripts: Mutex<HashMap<String, Script>>,
    generation: AtomicU64,
    /// Shared with the interpreter's instruction hook.
    control: Arc<RunControl>,
    /// The FUNCTION libraries (survive SCRIPT FLUSH).
    pub functions: functions::Registry,
}

/// What the instruction hook, SCRIPT KILL and the BUSY gate share about the running script.
#[derive(Debug, Default)]
pub struct RunControl {
    /// A script is running.
    running: AtomicBool,
    /// The running script passed `busy-reply-threshold`: other commands get `BUSY`.
    busy: AtomicBool,
    /// SCRIPT KILL asked the running script to stop.
    kill: AtomicBool,
    /// The running script has written: SCRIPT KILL answers `UNKILLABLE`.
    wrote: AtomicBool,
    /// The running script is a function (FCALL), not an EVAL.
    is_function: AtomicBool,
    /// The running function, for FUNCTION STATS.
    current: Mutex<Option<RunningFunction>>,
}

/// What FUNCTION STATS reports about the running function.
#[derive(Debug, Clone)]
pub struct RunningFunction {
    /// The function name as registered.
    pub name: String,
    /// The FCALL command line.
    pub command: Vec<Bytes>,
    /// When it started.
    pub started: Instant,
}

/// Redis's reply to commands sent while a script is busy (`shared.slowevalerr`).
pub const BUSY_ERROR: &str =
    "BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.";

/// The same while a function is busy (`shared.slowscripterr`).
pub const BUSY_FUNCTION_ERROR: &str =
    "BUSY Redis is busy running a script. You can only call FUNCTION KILL or SHUTDOWN NOSAVE.";

/// The error a killed script ends with (Redis 7.2 `luaMaskCountHook`).
const KILLED_ERROR: &str = "ERR Script killed by user with SCRIPT KILL...";

/// What SCRIPT KILL found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KillOutcome {
    /// No script is running (`NOTBUSY`).
    NotBusy,
    /// The script wrote already (`UNKILLABLE`).
    Unkillable,
    /// The script will stop at its next hook (`OK`).
    Killed,
    /// SCRIPT KILL of a function or FUNCTION KILL of an EVAL: this `BUSY` error.
    WrongKind(&'static str),
}

impl ScriptCache {
    /// The script with this lowercase SHA1 hex, if cached.
    pub fn get(&self, sha: &str) -> Option<Script> {
        self.scripts.lock().get(sha).cloned()
    }

    /// True when the script is cached.
    pub fn contains(&self, sha: &str) -> bool {
        self.scripts.lock().contains_key(sha)
    }

    /// Adds a script under its SHA1.
    pub fn insert(&self, sha: String, script: Script) {
        self.scripts.lock().insert(sha, script);
    }

    /// Removes every script (SCRIPT FLUSH); threads drop their compiled functions.
    pub fn flush(&self) {
        self.scripts.lock().clear();
        self.generation.fetch_add(1, Ordering::Release);
    }

    /// Number of cached scripts (INFO `number_of_cached_scripts`).
    pub fn len(&self) -> usize {
        self.scripts.lock().len()
    }

    /// True when no script is cached.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// True while a script or function runs (on any thread).
    pub fn is_running(&self) -> bool {
        self.control.running.load(Ordering::Acquire)
    }

    /// True while a script has run past `busy-reply-threshold`: commands without the
    /// `allow-busy` flag are answered [`BUSY_ERROR`].
    pub fn is_busy(&self) -> bool {
        self.control.busy.load(Ordering::Acquire)
    }

    /// SCRIPT KILL (`function_kill` false) or FUNCTION KILL: asks the running script to
    /// stop unless it wrote (Redis 7.2 `scriptKill`). Each kills only its own kind.
    pub fn kill(&self, function_kill: bool) -> KillOutcome {
        let c = &self.control;
        if !c.running.load(Ordering::Acquire) {
            return KillOutcome::NotBusy;
        }
        if c.wrote.load(Ordering::Acquire) {
            return KillOutcome::Unkillable;
        }
        let is_function = c.is_function.load(Ordering::Acquire);
        if is_function && !function_kill {
            return KillOutcome::WrongKind(BUSY_FUNCTION_ERROR);
        }
        if !is_function && function_kill {
            return KillOutcome::WrongKind(BUSY_ERROR);
        }
        c.kill.store(true, Ordering::Release);
        KillOutcome::Killed
    }

    /// The `BUSY` error for the running script's kind.
    pub fn busy_error(&self) -> &'static str {
        if self.control.is_function.load(Ordering::Acquire) {
            BUSY_FUNCTION_ERROR
        } else {
            BUSY_ERROR
        }
    }

    /// What FUNCTION STATS shows: `Ok(None)` when no script is busy, the running function,
    /// or `Err(BUSY_ERROR)` when the busy script is an EVAL.
    pub fn running_function(&self) -> Result<Option<RunningFunction>, &'static str> {
        let c = &self.control;
        if !c.busy.load(Ordering::Acquire) {
            return Ok(None);
        }
        if !c.is_function.load(Ordering::Acquire) {
            return Err(BUSY_ERROR);
        }
        Ok(c.current.lock().clone())
    }

    /// Stops the running script at its next hook even if it wrote (server shutdown).
    pub fn abort(&self) {
        self.control.kill.store(true, Ordering::Release);
    }

    /// Total bytes of the cached bodies (INFO `used_memory_scripts_eval`).
    pub fn body_bytes(&self) -> usize {
        self.scripts.lock().values().map(|s| s.body.len()).sum()
    }
}

/// The lowercase SHA1 hex digest of `data` (script ids, `redis.sha1hex`).
pub fn sha1_hex(data: &[u8]) -> String {
    let digest = Sha1::digest(data);
    let mut out = String::with_capacity(40);
    for b in digest {
        out.push_str(&format!("{b:02x}"));
    }
    out
}

/// Parses the shebang line (Redis 7.2 `evalExtractShebangFlags`). Returns the flags and the
/// length of the shebang line (the body compiled starts at its newline, so line numbers stay).
/// Errors (without the `ERR ` prefix): `Invalid script shebang`, `Unexpected engine in script
/// shebang: <x>`, `Unexpected flag in script shebang: <x>`, `Unknown lua shebang option: <x>`.
pub fn parse_shebang(body: &[u8]) -> Result<(ScriptFlags, usize), String> {
    if !body.starts_with(b"#!") {
        return Ok((ScriptFlags::default(), 0));
    }
    let Some(end) = body.iter().position(|&c| c == b'\n') else {
        return Err("Invalid script shebang".into());
    };
    let line = String::from_utf8_lossy(&body[..end]);
    let mut parts = line.split_ascii_whitespace();
    let engine = parts.next().unwrap_or("");
    if engine != "#!lua" {
        return Err(format!("Unexpected engine in script shebang: {engine}"));
    }
    let mut flags = ScriptFlags { shebang: true, no_writes: false };
    for part in parts {
        if let Some(list) = part.strip_prefix("flags=") {
            for flag in list.split(',').filter(|f| !f.is_empty()) {
                match flag {
                    "no-writes" => flags.no_writes = true,
                    "allow-oom" | "allow-stale" | "no-cluster" | "allow-cross-slot-keys" => {}
                    other => return Err(format!("Unexpected flag in script shebang: {other}")),
                }
            }
        } else {
            return Err(format!("Unknown lua shebang option: {part}"));
        }
    }
    Ok((flags, end))
}

/// An error raised from Rust into Lua (a Rust callback cannot raise a plain Lua value).
/// The error handler and the `pcall` wrapper turn it back into what Redis would have raised.
#[derive(Debug, Clone)]
pub enum Raise {
    /// An error table `{err = text}` (`redis.call` failures); `ignore_stats` when the command
    /// already counted the error.
    Table { err: String, ignore_stats: bool },
    /// A Lua error string, position included (`user_script:1: msg`), like `luaL_error`.
    Message(String),
}

impl fmt::Display for Raise {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Raise::Table { err, .. } => f.write_str(err),
            Raise::Message(m) => f.write_str(m),
        }
    }
}

impl std::error::Error for Raise {}

/// Raises `msg` as `luaL_error` would: prefixed with the calling script line.
pub fn raise_message(lua: &Lua, msg: &str) -> mlua::Error {
    let place = lua
        .inspect_stack(1, |d| {
            let src = d.source();
            match (src.short_src, d.current_line()) {
                (Some(s), Some(line)) => format!("{s}:{line}: "),
                _ => String::new(),
            }
        })
        .unwrap_or_default();
    mlua::Error::external(Raise::Message(format!("{place}{msg}")))
}

/// Redis's VM-level refusal to write a read-only table, raised from a library function
/// (no position prefix, as `lua_setmetatable`/`lua_rawset` raise it in Redis).
fn readonly_error() -> mlua::Error {
    mlua::Error::external(Raise::Message("Attempt to modify a readonly table".into()))
}

/// Raises an error table `{err = text}` with `text` normalised as `luaPushError` does.
pub fn raise_table(text: &str) -> mlua::Error {
    mlua::Error::external(Raise::Table { err: convert::error_text(text), ignore_stats: false })
}

/// One thread's interpreter.
struct Engine {
    lua: Lua,
    /// The real globals table (KEYS and ARGV are set here).
    globals: Table,
    /// What scripts see as their globals.
    env: Table,
    /// `xpcall` and the error handler, kept out of the script's reach.
    xpcall: Function,
    handler: Function,
    /// Compiled scripts by SHA1, valid for `generation`.
    functions: HashMap<String, Function>,
    generation: u64,
    /// The environment of library code, its metatable (whose `__index` is swapped) and the
    /// load-time globals.
    fn_env: Table,
    fn_mt: Table,
    load_globals: Table,
    /// `(f, handler, keys, args)` → `xpcall(function() return f(keys, args) end, handler)`.
    fcall_helper: Function,
    /// Compiled libraries: library id → lowercase function name → function.
    libraries: HashMap<u64, HashMap<String, Function>>,
    /// The registry generation `libraries` was last pruned at.
    fn_generation: u64,
    /// Runs since the last garbage-collection step (see [`GC_CYCLE_PERIOD`]).
    gc_count: u32,
}

/// An incremental garbage-collection step runs after every this-many script runs (Redis's
/// `LUA_GC_CYCLE_PERIOD` in `luaCallFunction`): a step after every run costs too much CPU,
/// and leaving it all to Lua's own cycles adds latency spikes. Lua's automatic collector
/// still bounds the heap between steps.
const GC_CYCLE_PERIOD: u32 = 50;

/// A function registered by a library body being loaded.
struct Registered {
    info: functions::FunctionInfo,
    function: Function,
}

thread_local! {
    static ENGINE: RefCell<Option<Engine>> = const { RefCell::new(None) };
    /// Set by the hook once this thread's running script is killed: the script's `pcall`
    /// re-raises instead of catching, so the kill cannot be swallowed.
    static KILLED: Cell<bool> = const { Cell::new(false) };
    /// The functions registered so far while a library body runs (`None` otherwise:
    /// `redis.register_function` is refused).
    static LOADING: RefCell<Option<Vec<Registered>>> = const { RefCell::new(None) };
}

/// The run that `redis.call`, `redis.pcall` and `redis.setresp` act on: the running
/// command's context and the script's own state. Those three are plain Lua functions made
/// once per engine (as in Redis); they reach the run through [`with_active_run`]. Creating
/// them per run as scoped closures cost more than the whole run of a short script.
struct ActiveRun<'r, 'c> {
    ctx: RefCell<&'r mut Ctx<'c>>,
    /// EVAL_RO / `no-writes`: write commands are refused.
    read_only: bool,
    /// `redis.setresp(3)` was called: command replies convert with RESP3 rules.
    resp3: Cell<bool>,
}

thread_local! {
    /// The [`ActiveRun`] of this thread's running script (null between runs), installed by
    /// [`ActiveGuard`].
    static ACTIVE_RUN: Cell<*const ()> = const { Cell::new(std::ptr::null()) };
    /// What the instruction hook (installed once per engine) checks.
    static HOOK: RefCell<HookMode> = const { RefCell::new(HookMode::Idle) };
}

/// Makes `run` this thread's active run until the guard drops (also on unwinding).
struct ActiveGuard {
    previous: *const (),
}

impl ActiveGuard {
    fn install(run: &ActiveRun<'_, '_>) -> ActiveGuard {
        let ptr = (run as *const ActiveRun<'_, '_>).cast::<()>();
        ActiveGuard { previous: ACTIVE_RUN.with(|a| a.replace(ptr)) }
    }
}

impl Drop for ActiveGuard {
    fn drop(&mut self) {
        ACTIVE_RUN.with(|a| a.set(self.previous));
    }
}

/// Calls `f` with this thread's active run; `None` when no script is running.
#[allow(unsafe_code)]
fn with_active_run<R>(f: impl for<'r, 'c> FnOnce(&ActiveRun<'r, 'c>) -> R) -> Option<R> {
    let ptr = ACTIVE_RUN.with(Cell::get);
    if ptr.is_null() {
        return None;
    }
    // SAFETY: a non-null pointer was installed by `ActiveGuard::install` from a live
    // `ActiveRun` on the stack of `run_function`, on this thread; the guard is dropped (and
    // the pointer restored) before that `ActiveRun` goes out of scope, even on unwinding.
    // The callbacks that get here run only inside that frame's Lua call. `f` must work for
    // any lifetimes, so it cannot keep the borrow beyond the call.
    let run = unsafe { &*ptr.cast::<ActiveRun<'_, '_>>() };
    Some(f(run))
}

/// What the instruction hook does (every 100,000 instructions).
enum HookMode {
    /// No script is running on this thread.
    Idle,
    /// A script or function runs: SCRIPT KILL, busy-reply-threshold, tokio hand-off.
    Run {
        control: Arc<RunControl>,
        started: Instant,
        threshold_ms: u64,
        multi_thread: bool,
        hand_offs: u8,
    },
    /// A library body runs (FUNCTION LOAD): stopped after `limit`.
    Load { started: Instant, limit: Duration },
}

/// How long a script runs before its thread hands its tokio core away (see [`hook_tick`]):
/// half of `busy-reply-threshold` (so another thread is there to answer `BUSY` when the
/// script becomes busy), at most 100 ms; 100 ms when the threshold is 0 (never busy, but
/// SCRIPT KILL must still be served).
fn hand_off_after(threshold_ms: u64) -> Duration {
    match threshold_ms {
        0 => Duration::from_millis(100),
        t => Duration::from_millis((t / 2).min(100)),
    }
}

/// The instruction hook's check (see [`HookMode`]).
fn hook_tick() -> mlua::Result<mlua::VmState> {
    let hand_off = HOOK.with(|h| match &mut *h.borrow_mut() {
        HookMode::Run { multi_thread: true, hand_offs, started, threshold_ms, .. }
            if *hand_offs < 4 && started.elapsed() >= hand_off_after(*threshold_ms) =>
        {
            *hand_offs += 1;
            true
        }
        _ => false,
    });
    if hand_off {
        // A script that has run for a while may run for long (until SCRIPT KILL): the worker
        // thread hands its tokio core (its other clients and the I/O driver) to another
        // thread, which then keeps serving other clients (BUSY replies, SCRIPT KILL). The
        // hook's instruction count runs across scripts, so it also fires inside short
        // scripts now and then: those must not pay for a hand-off (it parks the thread for
        // 200 µs holding the script's locks), hence the elapsed-time condition. The hand-off
        // happens while `block_in_place` runs; tokio reclaims the core if no thread took it
        // yet, so it is tried on the first few hooks.
        tokio::task::block_in_place(|| std::thread::sleep(Duration::from_micros(200)));
    }
    HOOK.with(|h| match &*h.borrow() {
        HookMode::Idle => Ok(mlua::VmState::Continue),
        HookMode::Load { started, limit } => {
            if started.elapsed() > *limit {
                return Err(raise_table("FUNCTION LOAD timeout"));
            }
            Ok(mlua::VmState::Continue)
        }
        HookMode::Run { control, started, threshold_ms, .. } => {
            if control.kill.load(Ordering::Acquire) {
                KILLED.with(|k| k.set(true));
                log::notice("Lua script killed by user with SCRIPT KILL.");
                return Err(mlua::Error::external(Raise::Table {
                    err: KILLED_ERROR.to_string(),
                    ignore_stats: false,
                }));
            }
            if *threshold_ms > 0
                && !control.busy.load(Ordering::Relaxed)
                && started.elapsed() >= Duration::from_millis(*threshold_ms)
            {
                control.busy.store(true, Ordering::Release);
            }
            Ok(mlua::VmState::Continue)
        }
    })
}

/// Sets the hook mode until the guard drops.
struct HookGuard;

impl HookGuard {
    fn set(mode: HookMode) -> HookGuard {
        HOOK.with(|h| *h.borrow_mut() = mode);
        HookGuard
    }
}

impl Drop for HookGuard {
    fn drop(&mut self) {
        HOOK.with(|h| *h.borrow_mut() = HookMode::Idle);
    }
}

/// `redis.call` / `redis.pcall` for the active run: the reply converted for Lua, or the error
/// text (`pcall` returns it as an error table, `call` raises it).
fn active_call(lua: &Lua, argv: MultiValue) -> mlua::Result<Result<Value, String>> {
    with_active_run(|run| {
        let mut ctx = run.ctx.borrow_mut();
        redis_call(lua, &mut ctx, argv, run.read_only, run.resp3.get())
    })
    .unwrap_or_else(|| Err(raise_table("ERR redis.call is only available while a script runs")))
}

/// Registers `redis.call`, `redis.pcall` and `redis.setresp` (once per engine).
fn register_run_api(lua: &Lua, redis: &Table) -> mlua::Result<()> {
    let call = lua.create_function(|lua, argv: MultiValue| match active_call(lua, argv)? {
        Ok(v) => Ok(v),
        Err(err) => Err(mlua::Error::external(Raise::Table { err, ignore_stats: true })),
    })?;
    let pcall = lua.create_function(|lua, argv: MultiValue| match active_call(lua, argv)? {
        Ok(v) => Ok(v),
        Err(err) => {
            let t = lua.create_table()?;
            t.raw_set("err", err)?;
            t.raw_set("ignore_error_stats_update", true)?;
            Ok(Value::Table(t))
        }
    })?;
    let setresp = lua.create_function(|_, argv: MultiValue| {
        if argv.len() != 1 {
            return Err(raise_table("redis.setresp() requires one argument."));
        }
        let resp = match &argv[0] {
            Value::Integer(n) => *n,
            Value::Number(n) => *n as i64,
            Value::String(s) => {
                s.to_str().ok().and_then(|s| s.trim().parse::<f64>().ok()).map_or(0, |n| n as i64)
            }
            _ => 0,
        };
        if resp != 2 && resp != 3 {
            return Err(raise_table("RESP version must be 2 or 3."));
        }
        with_active_run(|run| run.resp3.set(resp == 3));
        Ok(())
    })?;
    redis.raw_set("call", call)?;
    redis.raw_set("pcall", pcall)?;
    redis.raw_set("setresp", setresp)?;
    Ok(())
}

fn engine_error(e: mlua::Error) -> CommandError {
    CommandError::Custom(format!("ERR {}", e.to_string().replace(['\r', '\n'], " ")).into())
}

impl Engine {
    fn new() -> mlua::Result<Engine> {
        let lua = Lua::new_with(
            StdLib::TABLE | StdLib::STRING | StdLib::MATH | StdLib::OS,
            LuaOptions::default(),
        )?;
        let globals = lua.globals();
        for name in ["loadfile", "dofile", "print", "require", "module", "package"] {
            globals.raw_set(name, Value::Nil)?;
        }
        // os is cut down to clock.
        let os: Table = globals.get("os")?;
        let clock: Value = os.get("clock")?;
        let small_os = lua.create_table()?;
        small_os.raw_set("clock", clock)?;
        globals.raw_set("os", small_os)?;

        let redis = lua.create_table()?;
        register_redis_api(&lua, &redis)?;
        register_run_api(&lua, &redis)?;
        globals.raw_set("redis", redis.clone())?;
        globals.raw_set("cjson", cjson::module(&lua)?)?;
        globals.raw_set("bit", bit::module(&lua)?)?;
        globals.raw_set("cmsgpack", cmsgpack::module(&lua)?)?;
        globals.raw_set("struct", lstruct::module(&lua)?)?;
        let xpcall: Function = globals.get("xpcall")?;
        let handler = lua.create_function(error_handler)?;
        let errval = lua.create_function(pcall_error_value)?;
        let libs = lua.create_sequence_from([
            "redis",
            "string",
            "math",
            "table",
            "os",
            "cjson",
            "bit",
            "cmsgpack",
            "struct",
            "coroutine",
        ])?;
        let raw_setmetatable: Function = globals.get("setmetatable")?;
        let load_api = lua.create_table()?;
        register_load_api(&lua, &load_api)?;
        let (env, protected, fn_env, fn_mt, load_globals): (Table, Table, Table, Table, Table) =
            lua.load(include_str!("sandbox.lua")).set_name("=ferrodis_sandbox").call((
                globals.clone(),
                errval,
                libs,
                load_api,
            ))?;
        let fcall_helper: Function = lua
            .load(
                "local xpcall_ = xpcall\n\
                 return function(f, h, keys, args)\n\
                   return xpcall_(function() return f(keys, args) end, h)\n\
                 end",
            )
            .set_name("=ferrodis_fcall")
            .call(())?;
        // setmetatable and rawset refuse protected tables. They are Rust (C) functions, as in
        // Redis, so a failing `return rawset(_G, ...)` still reports the script line.
        let guard = protected.clone();
        globals.raw_set(
            "setmetatable",
            lua.create_function(move |_, (t, mt): (Value, Value)| {
                if let Value::Table(table) = &t {
                    if guard.raw_get::<bool>(table.clone()).unwrap_or(false) {
                        return Err(readonly_error());
                    }
                }
                raw_setmetatable.call::<Value>((t, mt))
            })?,
        )?;
        globals.raw_set(
            "rawset",
            lua.create_function(move |lua, (t, k, v): (Value, Value, Value)| {
                let Value::Table(table) = &t else {
                    return Err(raise_message(lua, "bad argument #1 to 'rawset' (table expected)"));
                };
                if protected.raw_get::<bool>(table.clone()).unwrap_or(false) {
                    return Err(readonly_error());
                }
                table.raw_set(k, v)?;
                Ok(t)
            })?,
        )?;
        lua.set_hook(mlua::HookTriggers::new().every_nth_instruction(100_000), |_, _| hook_tick())?;
        Ok(Engine {
            lua,
            globals,
            env,
            xpcall,
            handler,
            functions: HashMap::new(),
            generation: 0,
            fn_env,
            fn_mt,
            load_globals,
            fcall_helper,
            libraries: HashMap::new(),
            fn_generation: 0,
            gc_count: 0,
        })
    }

    /// Runs a library body (the code after the metadata line, which stays as an empty first
    /// line) in the load environment and returns what it registered, in order. `timeout`
    /// stops a body running longer (FUNCTION LOAD: 500 ms). Errors (the full reply text):
    /// `ERR Error compiling function: ...`, `ERR Error registering functions: <err>`, `ERR No
    /// functions registered`.
    fn load_library(
        &mut self,
        body: &[u8],
        timeout: Option<Duration>,
    ) -> Result<Vec<Registered>, CommandError> {
        let chunk = compile_chunk(&self.lua, &self.fn_env, body, "@user_function", "function")?;
        let started = Instant::now();
        let _hook = timeout.map(|limit| HookGuard::set(HookMode::Load { started, limit }));
        let swap = |index: &Table| self.fn_mt.raw_set("__index", index.clone());
        swap(&self.load_globals).map_err(engine_error)?;
        LOADING.with(|l| *l.borrow_mut() = Some(Vec::new()));
        let outcome: mlua::Result<MultiValue> = self.xpcall.call((chunk, self.handler.clone()));
        let registered = LOADING.with(|l| l.borrow_mut().take()).unwrap_or_default();
        swap(&self.globals).map_err(engine_error)?;
        let out = outcome.map_err(engine_error)?;
        let mut it = out.into_iter();
        if !matches!(it.next(), Some(Value::Boolean(true))) {
            let err = match it.next() {
                Some(Value::Table(t)) => match t.raw_get::<Value>("err") {
                    Ok(Value::String(s)) => s.to_string_lossy(),
                    _ => "ERR execution failure".to_string(),
                },
                _ => "ERR execution failure".to_string(),
            };
            return Err(CommandError::Custom(
                format!("ERR Error registering functions: {err}").replace(['\r', '\n'], " ").into(),
            ));
        }
        if registered.is_empty() {
            return Err(CommandError::custom("ERR No functions registered"));
        }
        Ok(registered)
    }

    /// The compiled function of a cached script, compiling it on first use in this thread.
    /// Errors: `ERR Error compiling script (new function): user_script:1: ...`.
    fn function(
        &mut self,
        sha: &str,
        body: &[u8],
        shebang_len: usize,
    ) -> Result<Function, CommandError> {
        if let Some(f) = self.functions.get(sha) {
            return Ok(f.clone());
        }
        let f = compile(&self.lua, &self.env, &body[shebang_len..])?;
        self.functions.insert(sha.to_string(), f.clone());
        Ok(f)
    }
}

fn compile(lua: &Lua, env: &Table, source: &[u8]) -> Result<Function, CommandError> {
    if source.first() == Some(&27) {
        return Err(CommandError::custom(
            "ERR Error compiling script (new function): user_script: bad binary format (precompiled chunks are not allowed)",
        ));
    }
    compile_chunk(lua, env, source, "@user_script", "script (new function)")
}

/// Compiles text source with a chunk name; errors read `ERR Error compiling <what>: <msg>`.
fn compile_chunk(
    lua: &Lua,
    env: &Table,
    source: &[u8],
    name: &str,
    what: &str,
) -> Result<Function, CommandError> {
    lua.load(source)
        .set_name(name)
        .set_mode(mlua::chunk::ChunkMode::Text)
        .set_environment(env.clone())
        .into_function()
        .map_err(|e| {
            let msg = match &e {
                mlua::Error::SyntaxError { message, .. } => message.clone(),
                other => other.to_string(),
            };
            CommandError::Custom(
                format!("ERR Error compiling {what}: {}", msg.replace(['\r', '\n'], " ")).into(),
            )
        })
}

/// Runs `f` with this thread's engine, creating it on first use and dropping compiled
/// functions after a SCRIPT FLUSH.
fn with_engine<R>(
    cache: &ScriptCache,
    f: impl FnOnce(&mut Engine) -> Result<R, CommandError>,
) -> Result<R, CommandError> {
    ENGINE.with(|cell| {
        let mut slot = cell.borrow_mut();
        if slot.is_none() {
            *slot = Some(Engine::new().map_err(engine_error)?);
        }
        let engine = slot.as_mut().expect("engine was just created");
        let generation = cache.generation.load(Ordering::Acquire);
        if engine.generation != generation {
            engine.functions.clear();
            engine.generation = generation;
        }
        let fn_generation = cache.functions.generation();
        if engine.fn_generation != fn_generation {
            let live = cache.functions.live_ids();
            engine.libraries.retain(|id, _| live.contains(id));
            engine.fn_generation = fn_generation;
        }
        f(engine)
    })
}

/// Checks that a body compiles (SCRIPT LOAD, and EVAL before caching) and returns its flags.
pub fn load(cache: &ScriptCache, sha: &str, body: &Bytes) -> Result<ScriptFlags, CommandError> {
    let (flags, shebang_len) =
        parse_shebang(body).map_err(|e| CommandError::Custom(format!("ERR {e}").into()))?;
    with_engine(cache, |engine| engine.function(sha, body, shebang_len).map(|_| ()))?;
    cache.insert(sha.to_string(), Script { body: body.clone(), flags });
    Ok(flags)
}

/// How a script was invoked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// EVAL / EVALSHA.
    ReadWrite,
    /// EVAL_RO / EVALSHA_RO: write commands are refused.
    ReadOnly,
}

/// Runs a cached script with `keys` and `args`, as EVAL does once the script is known.
pub fn run(
    ctx: &mut Ctx<'_>,
    sha: &str,
    script: &Script,
    keys: &[Bytes],
    args: &[Bytes],
    mode: Mode,
) -> Result<Reply, CommandError> {
    if mode == Mode::ReadOnly && script.flags.shebang && !script.flags.no_writes {
        return Err(CommandError::custom(
            "ERR Can not execute a script with write flag using *_ro command.",
        ));
    }
    let read_only = mode == Mode::ReadOnly || script.flags.no_writes;
    let (_, shebang_len) = parse_shebang(&script.body).unwrap_or((ScriptFlags::default(), 0));
    let run = Run { name: sha, keys, args, read_only, is_function: false };
    run_with(ctx, run, |engine| engine.function(sha, &script.body, shebang_len))
}

/// One script or function run.
struct Run<'a> {
    /// The SHA1 of a script or the name of a function (error replies name it).
    name: &'a str,
    keys: &'a [Bytes],
    args: &'a [Bytes],
    read_only: bool,
    /// A function gets KEYS and ARGV as its two arguments instead of globals.
    is_function: bool,
}

/// Runs the function `get` returns with the client's db, protocol and blocking mode restored
/// afterwards.
fn run_with(
    ctx: &mut Ctx<'_>,
    run: Run<'_>,
    get: impl FnOnce(&mut Engine) -> Result<Function, CommandError>,
) -> Result<Reply, CommandError> {
    let server = ctx.server;
    let saved_db = ctx.client.db;
    let saved_resp = ctx.client.resp;
    let saved_deny = ctx.client.deny_blocking;
    let saved_in_script = std::mem::replace(&mut ctx.client.in_script, true);
    ctx.client.deny_blocking = true;
    let result = with_engine(&server.scripts, |engine| {
        let function = get(engine)?;
        run_function(engine, ctx, &run, function)
    });
    ctx.client.db = saved_db;
    ctx.client.resp = saved_resp;
    ctx.client.deny_blocking = saved_deny;
    ctx.client.in_script = saved_in_script;
    result
}

/// Compiles a library on this thread (FUNCTION LOAD, RESTORE, or a thread's first FCALL of
/// it): checks the metadata and names and runs the body. Errors are whole reply texts
/// (`ERR Missing library metadata`, `ERR Engine 'x' not found`, compile and registration
/// errors, ...).
fn compile_library(
    engine: &mut Engine,
    code: &[u8],
    timeout: Option<Duration>,
) -> Result<(String, Vec<Registered>), CommandError> {
    let err = |e: String| CommandError::Custom(format!("ERR {e}").into());
    let md = functions::parse_metadata(code).map_err(err)?;
    if !functions::valid_name(md.name.as_bytes()) {
        return Err(err(functions::BAD_NAME.into()));
    }
    if !md.engine.eq_ignore_ascii_case("lua") {
        return Err(err(format!("Engine '{}' not found", md.engine)));
    }
    let registered = engine.load_library(&code[md.body_start..], timeout)?;
    Ok((md.name, registered))
}

/// FUNCTION LOAD's work: compiles `code` here (500 ms limit for the body) and adds the
/// library; replies its name. Errors: those of the metadata and the body, `ERR Library 'x'
/// already exists` (without `replace`), `ERR Function f already exists`.
pub fn load_library(
    cache: &ScriptCache,
    code: &Bytes,
    replace: bool,
) -> Result<String, CommandError> {
    with_engine(cache, |engine| {
        let md = functions::parse_metadata(code).ok();
        if let Some(md) = md {
            if !replace
                && functions::valid_name(md.name.as_bytes())
                && md.engine.eq_ignore_ascii_case("lua")
                && cache.functions.contains(&md.name)
            {
                return Err(CommandError::Custom(
                    format!("ERR Library '{}' already exists", md.name).into(),
                ));
            }
        }
        let (name, registered) = compile_library(engine, code, Some(Duration::from_millis(500)))?;
        let id = cache.functions.new_id();
        let lib = functions::Library {
            id,
            name: name.clone(),
            code: code.clone(),
            functions: registered.iter().map(|r| r.info.clone()).collect(),
        };
        cache
            .functions
            .insert(lib, replace)
            .map_err(|e| CommandError::Custom(format!("ERR {e}").into()))?;
        let compiled = registered
            .into_iter()
            .map(|r| (r.info.name.to_ascii_lowercase(), r.function))
            .collect();
        engine.libraries.insert(id, compiled);
        Ok(name)
    })
}

/// Compiles the libraries of a FUNCTION RESTORE payload (no time limit, as Redis loads RDB
/// functions). Errors: as FUNCTION LOAD's, `ERR Library 'x' already exists` for a library
/// twice in the payload, `ERR Function f already exists` for a function in two of them.
pub fn compile_libraries(
    cache: &ScriptCache,
    codes: Vec<Vec<u8>>,
) -> Result<Vec<functions::Library>, CommandError> {
    with_engine(cache, |engine| {
        let mut out: Vec<functions::Library> = Vec::new();
        for code in codes {
            let (name, registered) = compile_library(engine, &code, None)?;
            if out.iter().any(|l| l.name == name) {
                return Err(CommandError::Custom(
                    format!("ERR Library '{name}' already exists").into(),
                ));
            }
            for r in &registered {
                if out
                    .iter()
                    .flat_map(|l| &l.functions)
                    .any(|f| f.name.eq_ignore_ascii_case(&r.info.name))
                {
                    return Err(CommandError::Custom(
                        format!("ERR Function {} already exists", r.info.name).into(),
                    ));
                }
            }
            out.push(functions::Library {
                id: cache.functions.new_id(),
                name,
                code: Bytes::from(code),
                functions: registered.into_iter().map(|r| r.info).collect(),
            });
        }
        Ok(out)
    })
}

/// FCALL / FCALL_RO once the function is found: runs function `index` of `lib` with `keys`
/// and `args` (its two arguments). `read_only` (FCALL_RO) refuses a function without
/// `no-writes` (`ERR Can not execute a script with write flag using *_ro command.`); write
/// commands inside a `no-writes` function fail as in EVAL_RO. `command` is the FCALL line
/// for FUNCTION STATS.
pub fn fcall(
    ctx: &mut Ctx<'_>,
    lib: &functions::Library,
    index: usize,
    command: &[Bytes],
    keys: &[Bytes],
    args: &[Bytes],
    read_only: bool,
) -> Result<Reply, CommandError> {
    let info = &lib.functions[index];
    let no_writes = info.flags & functions::FLAG_NO_WRITES != 0;
    if read_only && !no_writes {
        return Err(CommandError::custom(
            "ERR Can not execute a script with write flag using *_ro command.",
        ));
    }
    let control = ctx.server.scripts.control.clone();
    *control.current.lock() = Some(RunningFunction {
        name: info.name.clone(),
        command: command.to_vec(),
        started: Instant::now(),
    });
    let run =
        Run { name: &info.name, keys, args, read_only: read_only || no_writes, is_function: true };
    let key = info.name.to_ascii_lowercase();
    let result = run_with(ctx, run, |engine| {
        if !engine.libraries.contains_key(&lib.id) {
            let (_, registered) = compile_library(engine, &lib.code, None)?;
            let compiled = registered
                .into_iter()
                .map(|r| (r.info.name.to_ascii_lowercase(), r.function))
                .collect();
            engine.libraries.insert(lib.id, compiled);
        }
        engine
            .libraries
            .get(&lib.id)
            .and_then(|fns| fns.get(&key))
            .cloned()
            .ok_or_else(|| CommandError::custom("ERR Function not found"))
    });
    *control.current.lock() = None;
    result
}

fn string_array(lua: &Lua, items: &[Bytes]) -> mlua::Result<Table> {
    let t = lua.create_table_with_capacity(items.len(), 0)?;
    for (i, item) in items.iter().enumerate() {
        t.raw_set(i + 1, lua.create_string(item)?)?;
    }
    Ok(t)
}

fn run_function(
    engine: &mut Engine,
    ctx: &mut Ctx<'_>,
    run: &Run<'_>,
    function: Function,
) -> Result<Reply, CommandError> {
    let (sha, read_only) = (run.name, run.read_only);
    let lua = &engine.lua;
    let keys = string_array(lua, run.keys).map_err(engine_error)?;
    let args = string_array(lua, run.args).map_err(engine_error)?;
    let call_args = if run.is_function {
        // Functions get them as arguments; KEYS and ARGV are not globals for them.
        engine.globals.raw_set("KEYS", Value::Nil).map_err(engine_error)?;
        engine.globals.raw_set("ARGV", Value::Nil).map_err(engine_error)?;
        Some((keys, args))
    } else {
        engine.globals.raw_set("KEYS", keys).map_err(engine_error)?;
        engine.globals.raw_set("ARGV", args).map_err(engine_error)?;
        None
    };
    let control = &ctx.server.scripts.control;
    control.busy.store(false, Ordering::Release);
    control.kill.store(false, Ordering::Release);
    control.wrote.store(false, Ordering::Release);
    control.is_function.store(run.is_function, Ordering::Release);
    control.running.store(true, Ordering::Release);
    KILLED.with(|k| k.set(false));
    let hook = HookGuard::set(HookMode::Run {
        control: Arc::clone(control),
        started: Instant::now(),
        // From the settings snapshot: no global config lock on every run.
        threshold_ms: ctx.server.settings.read().busy_reply_threshold_ms,
        multi_thread: tokio::runtime::Handle::try_current()
            .is_ok_and(|h| h.runtime_flavor() == tokio::runtime::RuntimeFlavor::MultiThread),
        hand_offs: 0,
    });
    let control = Arc::clone(control);
    let active = ActiveRun { ctx: RefCell::new(ctx), read_only, resp3: Cell::new(false) };
    let guard = ActiveGuard::install(&active);
    let outcome: mlua::Result<(bool, Value)> = (|| {
        let out: MultiValue = match call_args {
            Some((keys, args)) => {
                engine.fcall_helper.call((function, engine.handler.clone(), keys, args))?
            }
            None => engine.xpcall.call((function, engine.handler.clone()))?,
        };
        let mut it = out.into_iter();
        let ok = matches!(it.next(), Some(Value::Boolean(true)));
        Ok((ok, it.next().unwrap_or(Value::Nil)))
    })();
    drop(guard);
    drop(hook);
    let resp3 = active.resp3.get();
    let ctx = active.ctx.into_inner();
    control.running.store(false, Ordering::Release);
    control.busy.store(false, Ordering::Release);
    control.kill.store(false, Ordering::Release);
    KILLED.with(|k| k.set(false));
    engine.gc_count += 1;
    if engine.gc_count >= GC_CYCLE_PERIOD {
        engine.gc_count = 0;
        let _ = engine.lua.gc_step();
    }
    let (ok, value) = outcome.map_err(engine_error)?;
    let reply = if ok { convert::lua_to_reply(&value, resp3) } else { error_reply(&value, sha) };
    if reply.is_error() {
        if let Value::Table(t) = &value {
            if t.raw_get::<bool>("ignore_error_stats_update").unwrap_or(false) {
                ctx.client.error_already_counted = true;
            }
        }
    }
    Ok(reply)
}

/// The reply for a failed script (Redis 7.2 `luaCallFunction`): `<err> script: <sha>, on
/// <source>:<line>.` when the handler found the script line, else `Error running script`.
fn error_reply(value: &Value, sha: &str) -> Reply {
    let Value::Table(t) = value else {
        let msg = match value {
            Value::String(s) => s.to_string_lossy(),
            _ => "execution failure".to_string(),
        };
        let msg: String = msg.chars().take(100).collect();
        return Reply::Error(
            format!("ERR Error running script {sha}, {msg}").replace(['\r', '\n'], " ").into(),
        );
    };
    let err = match t.raw_get::<Value>("err") {
        Ok(Value::String(s)) => s.to_string_lossy(),
        Ok(Value::Number(n)) => n.to_string(),
        Ok(Value::Integer(n)) => n.to_string(),
        _ => String::new(),
    };
    let source: Option<String> = t.raw_get::<Option<String>>("source").ok().flatten();
    let line: Option<String> = match t.raw_get::<Value>("line") {
        Ok(Value::Integer(n)) => Some(n.to_string()),
        Ok(Value::Number(n)) => Some((n as i64).to_string()),
        Ok(Value::String(s)) => Some(s.to_string_lossy()),
        _ => None,
    };
    let mut text = err;
    if let (Some(source), Some(line)) = (source, line) {
        text.push_str(&format!(" script: {sha}, on {source}:{line}."));
    }
    Reply::Error(text.replace(['\r', '\n'], " ").into())
}

/// The message handler of every script run (Redis's `__redis__err__handler`): turns the
/// error into a table `{err=, source=, line=}` with the script line that raised it.
fn error_handler(lua: &Lua, err: Value) -> mlua::Result<Table> {
    let t = match err {
        Value::Table(t) => t,
        other => {
            let t = lua.create_table()?;
            let (text, ignore) = match other {
                Value::String(s) => (format!("ERR {}", s.to_string_lossy()), false),
                Value::Integer(n) => (format!("ERR {n}"), false),
                Value::Number(n) => (format!("ERR {n}"), false),
                Value::Error(e) => match e.downcast_ref::<Raise>() {
                    Some(Raise::Table { err, ignore_stats }) => (err.clone(), *ignore_stats),
                    Some(Raise::Message(m)) => (format!("ERR {m}"), false),
                    None => (format!("ERR {}", root_message(&e)), false),
                },
                Value::Nil => ("ERR nil".to_string(), false),
                Value::Boolean(b) => (format!("ERR {b}"), false),
                _ => ("ERR execution failure".to_string(), false),
            };
            t.raw_set("err", text)?;
            if ignore {
                t.raw_set("ignore_error_stats_update", true)?;
            }
            t
        }
    };
    // The first frame above the handler that is script code (not C, not the sandbox).
    for level in 1..64 {
        let Some(found) = lua.inspect_stack(level, |d| {
            let src = d.source();
            if src.what == "C" {
                return None;
            }
            let source = src.source.as_deref().unwrap_or("");
            if source.starts_with("=ferrodis") {
                return None;
            }
            Some((source.to_string(), d.current_line()))
        }) else {
            break;
        };
        if let Some((source, line)) = found {
            t.raw_set("source", source)?;
            if let Some(line) = line {
                t.raw_set("line", line as i64)?;
            }
            break;
        }
    }
    Ok(t)
}

/// The innermost message of an mlua error (without `runtime error:` and tracebacks).
fn root_message(e: &mlua::Error) -> String {
    match e {
        mlua::Error::CallbackError { cause, .. } => root_message(cause),
        mlua::Error::RuntimeError(m) => m.clone(),
        mlua::Error::MemoryError(m) => m.clone(),
        other => other.to_string(),
    }
}

/// What the script's `pcall` returns as the error value: the `err` string of an error table
/// or of a Rust-raised error, otherwise the value itself.
fn pcall_error_value(lua: &Lua, err: Value) -> mlua::Result<Value> {
    if KILLED.with(Cell::get) {
        return Err(mlua::Error::external(Raise::Table {
            err: KILLED_ERROR.to_string(),
            ignore_stats: false,
        }));
    }
    Ok(match err {
        Value::Error(e) => {
            let text = match e.downcast_ref::<Raise>() {
                Some(Raise::Table { err, .. }) => err.clone(),
                Some(Raise::Message(m)) => m.clone(),
                None => root_message(&e),
            };
            Value::String(lua.create_string(text)?)
        }
        Value::Table(t) => match t.get::<Value>("err") {
            Ok(v @ Value::String(_)) => v,
            Ok(Value::Number(n)) => Value::Number(n),
            Ok(Value::Integer(n)) => Value::Integer(n),
            _ => Value::Table(t),
        },
        other => other,
    })
}

/// Converts `redis.call` arguments to a command argv (Redis's `luaArgsToRedisArgv`): strings
/// as they are, numbers as integers when integral, else as Redis's double text.
fn lua_argv(argv: &MultiValue) -> Result<Vec<Bytes>, String> {
    if argv.is_empty() {
        return Err("Please specify at least one argument for this redis lib call".into());
    }
    // All arguments go into one buffer (one allocation per call, not one per argument).
    let mut buf = bytes::BytesMut::new();
    let mut ends: SmallVec<[usize; 8]> = SmallVec::with_capacity(argv.len());
    for v in argv.iter() {
        match v {
            Value::String(s) => buf.extend_from_slice(&s.as_bytes()),
            Value::Integer(n) => buf.extend_from_slice(itoa::Buffer::new().format(*n).as_bytes()),
            Value::Number(n) => {
                let mut text = Vec::new();
                ferrodis_resp::double::format_double(*n, &mut text);
                buf.extend_from_slice(&text);
            }
            _ => return Err("Lua redis lib command arguments must be strings or integers".into()),
        }
        ends.push(buf.len());
    }
    let all = buf.freeze();
    let mut start = 0;
    Ok(ends
        .into_iter()
        .map(|end| {
            let arg = all.slice(start..end);
            start = end;
            arg
        })
        .collect())
}

/// Runs one `redis.call`/`redis.pcall`: `Ok(Ok(value))` with the converted reply, or
/// `Ok(Err(text))` with the error-table text (`CODE message`).
fn redis_call(
    lua: &Lua,
    ctx: &mut Ctx<'_>,
    argv: MultiValue,
    read_only: bool,
    resp3: bool,
) -> mlua::Result<Result<Value, String>> {
    let argv = match lua_argv(&argv) {
        Ok(a) => a,
        Err(e) => return Ok(Err(convert::error_text(&e))),
    };
    let server = ctx.server;
    let entry = match dispatch::lookup(server, &argv) {
        Ok(entry) => entry,
        Err(CommandError::WrongArity(_)) => {
            return Ok(Err(convert::error_text(
                "Wrong number of args calling Redis command from script",
            )))
        }
        Err(_) => return Ok(Err(convert::error_text("Unknown Redis command called from script"))),
    };
    if entry.spec.has(flags::NOSCRIPT) {
        return Ok(Err(convert::error_text("This Redis command is not allowed from script")));
    }
    if read_only && entry.spec.has(flags::WRITE) {
        return Ok(Err(convert::error_text(
            "Write commands are not allowed from read-only scripts.",
        )));
    }
    let outer_resp = ctx.client.resp;
    ctx.client.resp = if resp3 { RespVersion::Resp3 } else { RespVersion::Resp2 };
    // MONITOR shows commands run by scripts as coming from `lua` (`[0 lua] "set" ...`).
    let monitored = ctx.server.clients.has_monitors();
    let saved_addr = monitored.then(|| {
        (
            std::mem::replace(&mut ctx.client.addr, "lua".into()),
            std::mem::take(&mut ctx.client.is_unix),
        )
    });
    let reply = dispatch::run_nested(ctx, entry, &argv);
    if let Some((addr, is_unix)) = saved_addr {
        ctx.client.addr = addr;
        ctx.client.is_unix = is_unix;
        ctx.client.mark_identity_changed();
    }
    ctx.client.resp = outer_resp;
    if ctx.dirty > 0 {
        ctx.server.scripts.control.wrote.store(true, Ordering::Release);
    }
    if let Reply::Error(text) = &reply {
        return Ok(Err(convert::error_text(&format!("-{text}"))));
    }
    Ok(Ok(convert::reply_to_lua(lua, &reply, resp3)?))
}

/// `redis.*` functions that do not need the running command: sha1hex, error_reply,
/// status_reply, log and its levels, set_repl and its flags, replicate_commands, the
/// version fields, breakpoint and debug.
fn register_redis_api(lua: &Lua, redis: &Table) -> mlua::Result<()> {
    redis.raw_set(
        "sha1hex",
        lua.create_function(|_, argv: MultiValue| {
            if argv.len() != 1 {
                return Err(raise_table("wrong number of arguments"));
            }
            let bytes = match &argv[0] {
                Value::String(s) => s.as_bytes().to_vec(),
                Value::Integer(n) => n.to_string().into_bytes(),
                Value::Number(n) => lua_number_text(*n).into_bytes(),
                _ => Vec::new(),
            };
            Ok(sha1_hex(&bytes))
        })?,
    )?;
    redis.raw_set(
        "error_reply",
        lua.create_function(|lua, argv: MultiValue| {
            let t = lua.create_table()?;
            match (argv.len(), argv.front()) {
                (1, Some(Value::String(s))) => {
                    let s = s.to_string_lossy();
                    let raw = if s.starts_with('-') { s } else { format!("-{s}") };
                    t.raw_set("err", convert::error_text(&raw))?;
                }
                _ => t.raw_set("err", "ERR wrong number or type of arguments")?,
            }
            Ok(t)
        })?,
    )?;
    redis.raw_set(
        "status_reply",
        lua.create_function(|lua, argv: MultiValue| {
            let t = lua.create_table()?;
            match (argv.len(), argv.front()) {
                (1, Some(Value::String(s))) => t.raw_set("ok", s.clone())?,
                _ => t.raw_set("err", "ERR wrong number or type of arguments")?,
            }
            Ok(t)
        })?,
    )?;
    redis.raw_set(
        "log",
        lua.create_function(|_, argv: MultiValue| {
            if argv.len() < 2 {
                return Err(raise_table("redis.log() requires two arguments or more."));
            }
            let level = match &argv[0] {
                Value::Integer(n) => *n,
                Value::Number(n) => *n as i64,
                _ => return Err(raise_table("First argument must be a number (log level).")),
            };
            let level = match level {
                0 => Level::Debug,
                1 => Level::Verbose,
                2 => Level::Notice,
                3 => Level::Warning,
                _ => return Err(raise_table("Invalid debug level.")),
            };
            let mut parts = Vec::new();
            for v in argv.iter().skip(1) {
                match v {
                    Value::String(s) => parts.push(s.to_string_lossy()),
                    Value::Integer(n) => parts.push(n.to_string()),
                    Value::Number(n) => parts.push(lua_number_text(*n)),
                    _ => {}
                }
            }
            log::log(level, &parts.join(" "));
            Ok(())
        })?,
    )?;
    for (name, value) in
        [("LOG_DEBUG", 0), ("LOG_VERBOSE", 1), ("LOG_NOTICE", 2), ("LOG_WARNING", 3)]
    {
        redis.raw_set(name, value)?;
    }
    redis.raw_set(
        "set_repl",
        lua.create_function(|_, argv: MultiValue| {
            if argv.len() != 1 {
                return Err(raise_table("redis.set_repl() requires one argument."));
            }
            let flags = match &argv[0] {
                Value::Integer(n) => *n,
                Value::Number(n) => *n as i64,
                _ => 0,
            };
            if flags & !3 != 0 {
                return Err(raise_table(
                    "Invalid replication flags. Use REPL_AOF, REPL_REPLICA, REPL_ALL or REPL_NONE.",
                ));
            }
            Ok(())
        })?,
    )?;
    for (name, value) in
        [("REPL_NONE", 0), ("REPL_AOF", 1), ("REPL_SLAVE", 2), ("REPL_REPLICA", 2), ("REPL_ALL", 3)]
    {
        redis.raw_set(name, value)?;
    }
    redis.raw_set("replicate_commands", lua.create_function(|_, ()| Ok(true))?)?;
    redis.raw_set("breakpoint", lua.create_function(|_, ()| Ok(false))?)?;
    redis.raw_set("debug", lua.create_function(|_, _: MultiValue| Ok(()))?)?;
    redis.raw_set("REDIS_VERSION", VERSION)?;
    redis.raw_set("REDIS_VERSION_NUM", version_num(VERSION))?;
    redis.raw_set("setresp", lua.create_function(|_, _: MultiValue| Ok(()))?)?;
    Ok(())
}

/// The `redis` table a library body sees while FUNCTION LOAD runs it (Redis's load API):
/// `register_function`, `log` and its levels, `REDIS_VERSION` and `REDIS_VERSION_NUM`.
fn register_load_api(lua: &Lua, api: &Table) -> mlua::Result<()> {
    let full = lua.create_table()?;
    register_redis_api(lua, &full)?;
    for name in [
        "log",
        "LOG_DEBUG",
        "LOG_VERBOSE",
        "LOG_NOTICE",
        "LOG_WARNING",
        "REDIS_VERSION",
        "REDIS_VERSION_NUM",
    ] {
        api.raw_set(name, full.raw_get::<Value>(name)?)?;
    }
    api.raw_set("register_function", lua.create_function(register_function)?)?;
    Ok(())
}

/// A name as `luaGetStringSds` takes it: a string or a number (as Lua prints it).
fn lua_name(v: &Value) -> Option<Vec<u8>> {
    match v {
        Value::String(s) => Some(s.as_bytes().to_vec()),
        Value::Integer(n) => Some(n.to_string().into_bytes()),
        Value::Number(n) => Some(lua_number_text(*n).into_bytes()),
        _ => None,
    }
}

/// `redis.register_function(name, callback)` or `redis.register_function{function_name=,
/// callback=, flags=, description=}` (Redis 7.2 `luaRegisterFunction`), only while a library
/// body runs. Errors are error tables with Redis's texts.
fn register_function(_lua: &Lua, argv: MultiValue) -> mlua::Result<()> {
    if LOADING.with(|l| l.borrow().is_none()) {
        return Err(raise_table(
            "redis.register_function can only be called on FUNCTION LOAD command",
        ));
    }
    if argv.is_empty() || argv.len() > 2 {
        return Err(raise_table("wrong number of arguments to redis.register_function"));
    }
    let (name, description, callback, flags) = if argv.len() == 2 {
        let Some(name) = lua_name(&argv[0]) else {
            return Err(raise_table("first argument to redis.register_function must be a string"));
        };
        let Value::Function(f) = &argv[1] else {
            return Err(raise_table(
                "second argument to redis.register_function must be a function",
            ));
        };
        (name, None, f.clone(), 0u8)
    } else {
        let Value::Table(t) = &argv[0] else {
            return Err(raise_table("calling redis.register_function with a single argument is only applicable to Lua table (representing named arguments)."));
        };
        let (mut name, mut description, mut callback, mut flags) = (None, None, None, 0u8);
        for pair in t.clone().pairs::<Value, Value>() {
            let (k, v) = pair?;
            let Some(key) = lua_name(&k) else {
                return Err(raise_table(
                    "named argument key given to redis.register_function is not a string",
                ));
            };
            if key.eq_ignore_ascii_case(b"function_name") {
                name = Some(lua_name(&v).ok_or_else(|| {
                    raise_table(
                        "function_name argument given to redis.register_function must be a string",
                    )
                })?);
            } else if key.eq_ignore_ascii_case(b"description") {
                description = Some(lua_name(&v).ok_or_else(|| {
                    raise_table(
                        "description argument given to redis.register_function must be a string",
                    )
                })?);
            } else if key.eq_ignore_ascii_case(b"callback") {
                let Value::Function(f) = v else {
                    return Err(raise_table(
                        "callback argument given to redis.register_function must be a function",
                    ));
                };
                callback = Some(f);
            } else if key.eq_ignore_ascii_case(b"flags") {
                let Value::Table(list) = v else {
                    return Err(raise_table("flags argument to redis.register_function must be a table representing function flags"));
                };
                let mut i = 1;
                loop {
                    let item: Value = list.get(i)?;
                    if item.is_nil() {
                        break;
                    }
                    match lua_name(&item).as_deref().and_then(functions::flag_by_name) {
                        Some(f) => flags |= f,
                        None => return Err(raise_table("unknown flag given")),
                    }
                    i += 1;
                }
            } else {
                return Err(raise_table("unknown argument given to redis.register_function"));
            }
        }
        let Some(name) = name else {
            return Err(raise_table("redis.register_function must get a function name argument"));
        };
        let Some(callback) = callback else {
            return Err(raise_table("redis.register_function must get a callback argument"));
        };
        (name, description, callback, flags)
    };
    if !functions::valid_name(&name) {
        return Err(raise_table(functions::BAD_NAME));
    }
    let name = String::from_utf8_lossy(&name).into_owned();
    LOADING.with(|l| {
        let mut l = l.borrow_mut();
        let list = l.as_mut().expect("checked above");
        if list.iter().any(|r| r.info.name.eq_ignore_ascii_case(&name)) {
            return Err(raise_table("Function already exists in the library"));
        }
        list.push(Registered {
            info: functions::FunctionInfo { name, description, flags },
            function: callback,
        });
        Ok(())
    })
}

/// `7.2.4` → `0x070204`, Redis's `REDIS_VERSION_NUM`.
fn version_num(version: &str) -> i64 {
    version.split('.').take(3).fold(0, |acc, part| (acc << 8) | part.parse::<i64>().unwrap_or(0))
}

/// A Lua number as Lua's `tostring` prints it (`%.14g`).
pub fn lua_number_text(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        return format!("{}", n as i64);
    }
    cjson::format_g14(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A short script never hands its core away (the hook fires inside it only because its
    /// count runs across scripts); a long one does before it becomes busy.
    #[test]
    fn hand_off_waits_for_half_the_busy_threshold_at_most_100_ms() {
        assert_eq!(hand_off_after(5000), Duration::from_millis(100));
        assert_eq!(hand_off_after(100), Duration::from_millis(50));
        assert_eq!(hand_off_after(0), Duration::from_millis(100));
        assert!(hand_off_after(1) < Duration::from_millis(1));
    }

    #[test]
    fn sha1_of_scripts() {
        assert_eq!(sha1_hex(b""), "da39a3ee5e6b4b0d3255bfef95601890afd80709");
        assert_eq!(sha1_hex(b"return 1"), "e0e1f9fabfc9d4800c877a703b823ac0578ff8db");
    }

    #[test]
    fn shebangs() {
        assert_eq!(parse_shebang(b"return 1").unwrap(), (ScriptFlags::default(), 0));
        let (flags, len) = parse_shebang(b"#!lua flags=no-writes,allow-oom\nreturn 1").unwrap();
        assert!(flags.shebang && flags.no_writes);
        assert_eq!(len, 31);
        assert_eq!(parse_shebang(b"#!lua").unwrap_err(), "Invalid script shebang");
        assert_eq!(
            parse_shebang(b"#!py\n").unwrap_err(),
            "Unexpected engine in script shebang: #!py"
        );
        assert_eq!(
            parse_shebang(b"#!lua flags=bad\n").unwrap_err(),
            "Unexpected flag in script shebang: bad"
        );
        assert_eq!(parse_shebang(b"#!lua x=1\n").unwrap_err(), "Unknown lua shebang option: x=1");
    }

    fn load_err(cache: &ScriptCache, code: &str, replace: bool) -> String {
        load_library(cache, &Bytes::from(code.to_string()), replace).unwrap_err().to_string()
    }

    #[test]
    fn function_libraries_load_in_redis_environment() {
        let cache = ScriptCache::default();
        let code = "#!lua name=lib\nlocal function one() return 1 end\nredis.register_function('f', function() return one() end)\nredis.register_function{function_name='g', callback=function() end, flags={'no-writes', 'ALLOW-STALE'}, description='d'}";
        assert_eq!(load_library(&cache, &Bytes::from(code), false).unwrap(), "lib");
        let (lib, index) = cache.functions.find(b"G").unwrap();
        assert_eq!(
            lib.functions[index],
            functions::FunctionInfo {
                name: "g".into(),
                description: Some(b"d".to_vec()),
                flags: functions::FLAG_NO_WRITES | functions::FLAG_ALLOW_STALE,
            }
        );
        assert_eq!(load_err(&cache, code, false), "ERR Library 'lib' already exists");
        assert_eq!(
            load_err(
                &cache,
                "#!lua name=other\nredis.register_function('F', function() end)",
                false
            ),
            "ERR Function F already exists"
        );
        // The body sees only redis.register_function, redis.log, the levels and the version.
        assert_eq!(
            load_err(&cache, "#!lua name=x\nreturn math.random()", false),
            "ERR Error registering functions: ERR user_function:2: Script attempted to access nonexistent global variable 'math'"
        );
        assert_eq!(
            load_err(&cache, "#!lua name=x\nredis.call('ping')", false),
            "ERR Error registering functions: ERR user_function:2: Script attempted to access nonexistent global variable 'call'"
        );
        assert_eq!(
            load_err(&cache, "#!lua name=x\nx = 1", false),
            "ERR Error registering functions: ERR user_function:2: Attempt to modify a readonly table"
        );
        assert_eq!(
            load_err(
                &cache,
                "#!lua name=x\nredis.log(redis.LOG_DEBUG, redis.REDIS_VERSION)",
                false
            ),
            "ERR No functions registered"
        );
        assert_eq!(
            load_err(&cache, "#!lua name=x\nwhile true do end", false),
            "ERR Error registering functions: ERR FUNCTION LOAD timeout"
        );
        assert_eq!(
            load_err(&cache, "#!lua name=x\nbad code", false),
            "ERR Error compiling function: user_function:2: '=' expected near 'code'"
        );
        assert_eq!(load_err(&cache, "#!js name=x\n", false), "ERR Engine 'js' not found");
        // A failed REPLACE keeps the old library.
        load_err(&cache, "#!lua name=lib\nerror", true);
        assert!(cache.functions.find(b"f").is_some());
        assert_eq!(cache.functions.counts(), (1, 2));
    }

    #[test]
    fn restore_compiles_every_library_first() {
        let cache = ScriptCache::default();
        let a = b"#!lua name=a\nredis.register_function('fa', function() end)".to_vec();
        let b = b"#!lua name=b\nredis.register_function('FA', function() end)".to_vec();
        assert_eq!(
            compile_libraries(&cache, vec![a.clone(), b]).unwrap_err().to_string(),
            "ERR Function FA already exists"
        );
        assert_eq!(
            compile_libraries(&cache, vec![a.clone(), a.clone()]).unwrap_err().to_string(),
            "ERR Library 'a' already exists"
        );
        let libs = compile_libraries(&cache, vec![a]).unwrap();
        cache.functions.restore(libs, functions::RestorePolicy::Append).unwrap();
        assert_eq!(cache.functions.counts(), (1, 1));
    }

    #[test]
    fn version_number() {
        assert_eq!(version_num("7.2.4"), 0x070204);
    }
}
