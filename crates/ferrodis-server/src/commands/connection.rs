//! Connection commands: PING, ECHO, QUIT, SELECT, AUTH, HELLO, RESET, and the CLIENT
//! container (ID, INFO, LIST, KILL, SETNAME, GETNAME, SETINFO, REPLY, NO-EVICT, NO-TOUCH,
//! PAUSE, UNPAUSE, UNBLOCK, GETREDIR, TRACKINGINFO, HELP).
//!
//! Semantics follow <https://redis.io/commands/> and Redis 7.2's `src/networking.c`
//! (`clientCommand`, `clientKillCommand`, `clientSetinfoCommand`, `resetCommand`),
//! `src/acl.c` (AUTH) and `src/server.c` (PING, ECHO, HELLO).

use crate::args;
use crate::blocking::UnblockReason;
use crate::client::{ClientHandle, ClientInfo, ClientType, ReplyMode};
use crate::commands::docs;
use crate::commands::introspection::{help_reply, subcommand_syntax_error};
use crate::context::Ctx;
use crate::errors::CommandError;
use crate::server::REDIS_VERSION;
use crate::spec::{acl, docflags, flags, CommandSpec, Group, LockScope};
use bytes::Bytes;
use ferrodis_resp::{Reply, RespVersion};
use std::sync::atomic::Ordering;

/// PING [message] — `PONG`, or the message as a bulk string. A RESP2 client with pub/sub
/// subscriptions gets `["pong", message]` instead (an empty message without argument), as
/// Redis's `pingCommand` answers in the pub/sub context.
pub fn ping(ctx: &mut Ctx<'_>, argv: &[Bytes]) -> Result<Reply, CommandError> {
    if argv.len() <= 2 && ctx.client.resp == RespVersion::Resp2 && ctx.client.pubsub.is_subscribed()
    {
        let message = argv.get(1).cloned().unwrap_or_default();
        return Ok(Reply::Array(vec![Reply::bulk_static(b"pong"), Reply::Bulk(message)]));
    }
    match argv.len() {
        1 => Ok(Reply::status("PONG")),
        2 => Ok(Reply::Bulk(argv[1].clone())),
        _ => Err(CommandError::WrongArity("ping".into())),
    }
}

/// ECHO message — the message.
pub fn echo(_ctx: &mut Ctx<'_>, argv: &[Bytes]) -> Result<Reply, CommandError> {
    Ok(Reply::Bulk(argv[1].clone()))
}

/// QUIT — `OK`, then the connection closes.
pub fn quit(ctx: &mut Ctx<'_>, _argv: &[Bytes]) -> Result<Reply, CommandError> {
    ctx.client.close_after_reply = true;
    Ok(Reply::OK)
}

/// SELECT index — `OK`. Errors, as Redis's `selectCommand` (`getIntFromObjectOrReply`):
/// `ERR value is not an integer or out of range`, `ERR value is out of range, value must
/// between -2147483648 and 2147483647` (beyond 32 bits), `ERR DB index is out of range`.
pub fn select(ctx: &mut Ctx<'_>, argv: &[Bytes]) -> Result<Reply, CommandError> {
    let index = args::int32(&argv[1], None)?;
    if index < 0 || index as usize >= ctx.server.keyspace.databases() {
        return Err(CommandError::DbIndexOutOfRange);
    }
    ctx.client.db = index as usize;
    Ok(Reply::OK)
}

/// Checks `user`/`password` against the configured users: today the `default` user with
/// `requirepass` (or no password). Returns true when they match.
pub fn check_credentials(ctx: &Ctx<'_>, user: &[u8], password: &[u8]) -> bool {
    if user != b"default" {
        return false;
    }
    match &ctx.server.settings.read().requirepass {
        None => true,
        Some(pass) => crate::util::constant_time_eq(pass, password),
    }
}

/// AUTH [username] password — `OK`; `WRONGPASS invalid username-password pair or user is
/// disabled.`; the one-argument form errors when no password is configured.
pub fn auth(ctx: &mut Ctx<'_>, argv: &[Bytes]) -> Result<Reply, CommandError> {
    if argv.len() > 3 {
        return Err(CommandError::Syntax);
    }
    let (user, pass): (&[u8], &[u8]) = if argv.len() == 2 {
        if ctx.server.settings.read().requirepass.is_none() {
            return Err(CommandError::custom(
                "ERR AUTH <password> called without any password configured for the default user. Are you sure your configuration is correct?",
            ));
        }
        (b"default", &argv[1])
    } else {
        (&argv[1], &argv[2])
    };
    if check_credentials(ctx, user, pass) {
        ctx.client.authenticated = true;
        ctx.client.user = String::from_utf8_lossy(user).into_owned();
        ctx.client.mark_identity_changed();
        Ok(Reply::OK)
    } else {
        Err(CommandError::WrongPass)
    }
}

/// Validates a client name as Redis's `validateClientName`: printable ASCII without spaces.
pub fn valid_client_name(name: &[u8]) -> bool {
    name.iter().all(|&c| (b'!'..=b'~').contains(&c))
}

/// HELLO [protover [AUTH username password] [SETNAME clientname]]
///
/// A map (RESP3) or flat array (RESP2) of server, version, proto, id, mode, role, modules.
/// Errors: `NOPROTO unsupported protocol version`, `ERR Protocol version is not an integer or
/// out of range`, `ERR Syntax error in HELLO option '<opt>'`, `WRONGPASS ...`, `NOAUTH HELLO
/// must be called with the client already authenticated, ...`.
pub fn hello(ctx: &mut Ctx<'_>, argv: &[Bytes]) -> Result<Reply, CommandError> {
    let mut version = None;
    let mut next = 1;
    if argv.len() >= 2 {
        let v = args::int_or(
            &argv[1],
            CommandError::custom("ERR Protocol version is not an integer or out of range"),
        )?;
        if !(2..=3).contains(&v) {
            return Err(CommandError::custom("NOPROTO unsupported protocol version"));
        }
        version = Some(v);
        next = 2;
    }
    let mut credentials = None;
    let mut name = None;
    let mut j = next;
    while j < argv.len() {
        let more = argv.len() - 1 - j;
        let opt = &argv[j];
        if args::is(opt, "auth") && more >= 2 {
            credentials = Some((argv[j + 1].clone(), argv[j + 2].clone()));
            j += 3;
        } else if args::is(opt, "setname") && more >= 1 {
            if !valid_client_name(&argv[j + 1]) {
                return Err(CommandError::custom(
                    "ERR Client names cannot contain spaces, newlines or special characters.",
                ));
            }
            name = Some(argv[j + 1].clone());
            j += 2;
        } else {
            return Err(CommandError::custom(format!(
                "ERR Syntax error in HELLO option '{}'",
                String::from_utf8_lossy(opt)
            )));
        }
    }
    if let Some((user, pass)) = credentials {
        if !check_credentials(ctx, &user, &pass) {
            return Err(CommandError::WrongPass);
        }
        ctx.client.authenticated = true;
        ctx.client.user = String::from_utf8_lossy(&user).into_owned();
        ctx.client.mark_identity_changed();
    }
    if !ctx.client.authenticated {
        return Err(CommandError::custom(
            "NOAUTH HELLO must be called with the client already authenticated, otherwise the HELLO <proto> AUTH <user> <pass> option can be used to authenticate the client and select the RESP protocol version at the same time",
        ));
    }
    if let Some(name) = name {
        ctx.client.name = if name.is_empty() { None } else { Some(name) };
        ctx.client.mark_identity_changed();
    }
    if let Some(v) = version {
        ctx.client.resp = if v == 3 { RespVersion::Resp3 } else { RespVersion::Resp2 };
        ctx.client.handle.push.resp3.store(v == 3, std::sync::atomic::Ordering::Relaxed);
        if v == 3 {
            // A RESP3 connection can be sent pushes (tracking invalidations redirected to it)
            // at any time: give it a message channel.
            crate::pubsub::message_channel(ctx.client);
        }
    }
    let proto = if ctx.client.resp == RespVersion::Resp3 { 3 } else { 2 };
    Ok(Reply::Map(vec![
        (Reply::bulk_static(b"server"), Reply::bulk_static(b"redis")),
        (Reply::bulk_static(b"version"), Reply::bulk_static(REDIS_VERSION.as_bytes())),
        (Reply::bulk_static(b"proto"), Reply::Integer(proto)),
        (Reply::bulk_static(b"id"), Reply::Integer(ctx.client.id as i64)),
        (Reply::bulk_static(b"mode"), Reply::bulk_static(b"standalone")),
        (Reply::bulk_static(b"role"), Reply::bulk_static(b"master")),
        (Reply::bulk_static(b"modules"), Reply::Array(vec![])),
    ]))
}

/// RESET — `RESET` (a status reply) after returning the connection to its initial state:
/// RESP2, database 0, no name, replies on, no NO-EVICT/NO-TOUCH, out of MONITOR and of every
/// pub/sub subscription, and the
/// default user's authentication (Redis's `clearClientConnectionState`). The library name
/// and version are kept. Never fails.
pub fn reset(ctx: &mut Ctx<'_>, _argv: &[Bytes]) -> Result<Reply, CommandError> {
    ctx.client.multi = None;
    crate::pubsub::unsubscribe_all(ctx.server, ctx.client);
    if ctx.client.tracking.take().is_some() {
        tracking_off(ctx.server, ctx.client.id);
    }
    ctx.client.handle.push.resp3.store(false, std::sync::atomic::Ordering::Relaxed);
    crate::commands::transactions::unwatch_all(ctx);
    ctx.client.handle.dirty_cas.store(false, std::sync::atomic::Ordering::Release);
    let c = &mut *ctx.client;
    c.monitor = false;
    c.db = 0;
    c.resp = RespVersion::Resp2;
    c.name = None;
    c.reply_mode = ReplyMode::On;
    c.no_evict = false;
    c.no_touch = false;
    c.user = "default".into();
    c.mark_identity_changed();
    c.authenticated = ctx.server.settings.read().requirepass.is_none();
    Ok(Reply::status("RESET"))
}

/// Parses `ON`/`OFF` (any case), failing with `ERR syntax error`.
fn on_off(arg: &[u8]) -> Result<bool, CommandError> {
    if args::is(arg, "on") {
        Ok(true)
    } else if args::is(arg, "off") {
        Ok(false)
    } else {
        Err(CommandError::Syntax)
    }
}

/// CLIENT ID — the connection's id (integer).
pub fn client_id(ctx: &mut Ctx<'_>, _argv: &[Bytes]) -> Result<Reply, CommandError> {
    Ok(Reply::Integer(ctx.client.id as i64))
}

/// The caller's CLIENT LIST line, freshly published.
fn own_info_line(ctx: &mut Ctx<'_>, argv: &[Bytes]) -> String {
    ctx.client.refresh_info();
    let info = ctx.client.handle.snapshot();
    let argv_mem = argv.iter().map(|a| a.len()).sum();
    info.render(ctx.client.id, ctx.now_ms, ctx.now_ms, &ctx.server.table.fullnames, argv_mem)
}

/// CLIENT INFO — the caller's CLIENT LIST line plus a newline, as a verbatim string
/// (RESP2: bulk string).
pub fn client_info(ctx: &mut Ctx<'_>, argv: &[Bytes]) -> Result<Reply, CommandError> {
    let mut line = own_info_line(ctx, argv);
    line.push('\n');
    Ok(Reply::Verbatim("txt", Bytes::from(line)))
}

/// The filters CLIENT LIST and CLIENT KILL share (Valkey 8.1's `clientFilter`); `None` or
/// `false` means "any". All given filters must match (AND).
#[derive(Debug, Default)]
struct ClientFilter {
    /// ID: the ids, in the order given.
    ids: Option<Vec<i64>>,
    /// TYPE.
    ctype: Option<ClientType>,
    /// ADDR: the peer address, compared exactly.
    addr: Option<String>,
    /// LADDR: the local address, compared exactly.
    laddr: Option<String>,
    /// USER: an existing user name.
    user: Option<String>,
    /// SKIPME yes: leave the caller out.
    skipme: bool,
    /// MAXAGE: only connections at least this many seconds old.
    max_age_secs: Option<u64>,
}

/// Which command a filter list belongs to: they differ only in how a bad ID is answered,
/// and there each keeps Redis 7.2's reply.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum FilterFor {
    List,
    Kill,
}

/// The filter keywords that take one value.
const FILTER_KEYWORDS: [&str; 7] = ["id", "type", "addr", "laddr", "user", "skipme", "maxage"];

/// Parses `ID id [id ...] | TYPE type | ADDR ip:port | LADDR ip:port | USER name |
/// SKIPME yes|no | MAXAGE secs`, repeated, from `argv[from..]` into `filter`.
///
/// Every form Redis 7.2 accepts means what it means in Redis, with Redis's errors: LIST's
/// `ID` list is Redis's (`ERR Invalid client ID` for a non-integer; ids below 1 match no
/// client), KILL's first id is checked as Redis does (`ERR client-id should be greater than
/// 0`), and a repeated option replaces the earlier one. Beyond that, as Valkey 8.1 does,
/// both take every filter, in any combination, and several ids after one `ID` (the list
/// ends at the next keyword). Errors: `ERR Unknown client type '<t>'`, `ERR No such user
/// '<u>'`, `ERR maxage is not an integer or out of range`, `ERR maxage should be greater
/// than 0`, `ERR syntax error` (unknown option, missing value, SKIPME not yes/no).
fn parse_client_filters(
    ctx: &Ctx<'_>,
    argv: &[Bytes],
    from: usize,
    kind: FilterFor,
    filter: &mut ClientFilter,
) -> Result<(), CommandError> {
    let bad_id = || match kind {
        FilterFor::List => CommandError::custom("ERR Invalid client ID"),
        FilterFor::Kill => CommandError::custom("ERR client-id should be greater than 0"),
    };
    let mut i = from;
    while i < argv.len() {
        let opt = &argv[i];
        let Some(val) = argv.get(i + 1) else {
            return Err(CommandError::Syntax);
        };
        i += 2;
        if args::is(opt, "id") {
            let first = args::int_or(val, bad_id())?;
            if kind == FilterFor::Kill && first < 1 {
                return Err(bad_id());
            }
            let mut ids = vec![first];
            while let Some(a) = argv.get(i) {
                match ferrodis_keyspace::num::parse_i64(a) {
                    Some(id) if kind == FilterFor::Kill && id < 1 => return Err(bad_id()),
                    Some(id) => ids.push(id),
                    None if i + 1 < argv.len()
                        && FILTER_KEYWORDS.iter().any(|k| args::is(a, k)) =>
                    {
                        break
                    }
                    None if kind == FilterFor::List => return Err(bad_id()),
                    None => return Err(CommandError::Syntax),
                }
                i += 1;
            }
            filter.ids = Some(ids);
        } else if args::is(opt, "type") {
            filter.ctype = Some(ClientType::from_name(val).ok_or_else(|| {
                CommandError::custom(format!(
                    "ERR Unknown client type '{}'",
                    String::from_utf8_lossy(val)
                ))
            })?);
        } else if args::is(opt, "addr") {
            filter.addr = Some(String::from_utf8_lossy(val).into_owned());
        } else if args::is(opt, "laddr") {
            filter.laddr = Some(String::from_utf8_lossy(val).into_owned());
        } else if args::is(opt, "user") {
            if !user_exists(ctx, val) {
                return Err(CommandError::custom(format!(
                    "ERR No such user '{}'",
                    String::from_utf8_lossy(val)
                )));
            }
            filter.user = Some(String::from_utf8_lossy(val).into_owned());
        } else if args::is(opt, "skipme") {
            filter.skipme = if args::is(val, "yes") {
                true
            } else if args::is(val, "no") {
                false
            } else {
                return Err(CommandError::Syntax);
            };
        } else if args::is(opt, "maxage") {
            let secs = args::int_or(
                val,
                CommandError::custom("ERR maxage is not an integer or out of range"),
            )?;
            if secs <= 0 {
                return Err(CommandError::custom("ERR maxage should be greater than 0"));
            }
            filter.max_age_secs = Some(secs as u64);
        } else {
            return Err(CommandError::Syntax);
        }
    }
    Ok(())
}

/// True when `name` is a user: today only `default` exists (no ACL SETUSER yet).
fn user_exists(_ctx: &Ctx<'_>, name: &[u8]) -> bool {
    name == b"default"
}

impl ClientFilter {
    /// True when client `id`, as `info` shows it, passes every filter; `me` is the caller.
    fn matches(&self, id: u64, info: &ClientInfo, me: u64, now_ms: u64) -> bool {
        self.ids.as_ref().is_none_or(|ids| ids.contains(&(id as i64)))
            && self.ctype.is_none_or(|t| t == info.client_type())
            && self.addr.as_ref().is_none_or(|a| *a == info.addr)
            && self.laddr.as_ref().is_none_or(|a| *a == info.laddr)
            && self.user.as_ref().is_none_or(|u| *u == info.user)
            && !(self.skipme && id == me)
            && self
                .max_age_secs
                .is_none_or(|max| now_ms.saturating_sub(info.created_ms) / 1000 >= max)
    }
}

/// CLIENT LIST [TYPE NORMAL|MASTER|REPLICA|PUBSUB] [ID client-id [client-id ...]]
/// [ADDR ip:port] [LADDR ip:port] [USER username] [SKIPME yes|no] [MAXAGE secs]
///
/// A verbatim string (RESP2: bulk) with one line per client (fields as CLIENT INFO), each
/// ending in a newline. Filters combine with AND (see [`parse_client_filters`]); SKIPME
/// defaults to no. With ID, the lines come in the order the ids were given (Redis 7.2),
/// otherwise in id order. Errors: `ERR Unknown client type '<t>'`, `ERR Invalid client ID`,
/// `ERR No such user '<u>'`, `ERR maxage ...`, `ERR syntax error` (also for a lone option,
/// `CLIENT LIST TYPE`).
pub fn client_list(ctx: &mut Ctx<'_>, argv: &[Bytes]) -> Result<Reply, CommandError> {
    let mut filter = ClientFilter::default();
    match argv.len() {
        2 => {}
        3 => return Err(CommandError::Syntax),
        _ => parse_client_filters(ctx, argv, 2, FilterFor::List, &mut filter)?,
    }
    let own = own_info_line(ctx, argv);
    let me = ctx.client.id;
    let now = ctx.now_ms;
    let mut out = String::new();
    let mut add = |h: &ClientHandle| {
        let info = h.snapshot();
        if !filter.matches(h.id, &info, me, now) {
            return;
        }
        if h.id == me {
            out.push_str(&own);
        } else {
            let last = h.last_interaction_ms.load(Ordering::Relaxed);
            out.push_str(&info.render(h.id, now, last, &ctx.server.table.fullnames, 0));
        }
        out.push('\n');
    };
    match &filter.ids {
        Some(ids) => {
            for &id in ids {
                if let Some(h) = u64::try_from(id).ok().and_then(|id| ctx.server.clients.get(id)) {
                    add(&h);
                }
            }
        }
        None => {
            for h in ctx.server.clients.all() {
                add(&h);
            }
        }
    }
    Ok(Reply::Verbatim("txt", Bytes::from(out)))
}

/// CLIENT KILL ip:port | CLIENT KILL [ID client-id [client-id ...]] [TYPE type]
/// [USER name] [ADDR ip:port] [LADDR ip:port] [SKIPME yes|no] [MAXAGE secs] ...
///
/// Old form: `OK`, or `ERR No such client`; the caller may kill itself. New form: the
/// number of clients killed (integer); filters combine with AND (see
/// [`parse_client_filters`]); SKIPME defaults to yes. The caller, when killed, gets its reply
/// first. Errors: `ERR client-id should be greater than 0`, `ERR Unknown client type '<t>'`,
/// `ERR No such user '<u>'`, `ERR maxage ...`, `ERR syntax error`.
pub fn client_kill(ctx: &mut Ctx<'_>, argv: &[Bytes]) -> Result<Reply, CommandError> {
    let old_form = argv.len() == 3;
    let mut filter = ClientFilter { skipme: true, ..ClientFilter::default() };
    if old_form {
        filter.addr = Some(String::from_utf8_lossy(&argv[2]).into_owned());
        filter.skipme = false;
    } else {
        parse_client_filters(ctx, argv, 2, FilterFor::Kill, &mut filter)?;
    }
    ctx.client.refresh_info();
    let me = ctx.client.id;
    let mut killed = 0i64;
    for h in ctx.server.clients.all() {
        let info = h.snapshot();
        if !filter.matches(h.id, &info, me, ctx.now_ms) {
            continue;
        }
        if h.id == me {
            ctx.client.close_after_reply = true;
        } else {
            h.kill();
            // Redis frees a killed client at once: it is gone from CLIENT LIST and the
            // client count before the next command, even though its task closes the socket
            // a moment later.
            ctx.server.clients.unregister(h.id);
        }
        killed += 1;
    }
    if old_form {
        if killed == 0 {
            return Err(CommandError::custom("ERR No such client"));
        }
        return Ok(Reply::OK);
    }
    Ok(Reply::Integer(killed))
}

/// CLIENT SETNAME name — `OK`; an empty name removes it. Error: `ERR Client names cannot
/// contain spaces, newlines or special characters.`
pub fn client_setname(ctx: &mut Ctx<'_>, argv: &[Bytes]) -> Result<Reply, CommandError> {
    let name = &argv[2];
    if !valid_client_name(name) {
        return Err(CommandError::custom(
            "ERR Client names cannot contain spaces, newlines or special characters.",
        ));
    }
    ctx.client.name = if name.is_empty() { None } else { Some(name.clone()) };
    ctx.client.mark_identity_changed();
    Ok(Reply::OK)
}

/// CLIENT GETNAME — the name (bulk string), or null when none is set.
pub fn client_getname(ctx: &mut Ctx<'_>, _argv: &[Bytes]) -> Result<Reply, CommandError> {
    Ok(ctx.client.name.clone().map_or(Reply::Null, Reply::Bulk))
}

/// CLIENT SETINFO LIB-NAME name | LIB-VER version — `OK`; an empty value clears it.
/// Errors: `ERR Unrecognized option '<attr>'`, `ERR <attr> cannot contain spaces, newlines
/// or special characters.` (`<attr>` as the client spelled it).
pub fn client_setinfo(ctx: &mut Ctx<'_>, argv: &[Bytes]) -> Result<Reply, CommandError> {
    let attr = &argv[2];
    let val = &argv[3];
    let is_name = if args::is(attr, "lib-name") {
        true
    } else if args::is(attr, "lib-ver") {
        false
    } else {
        return Err(CommandError::custom(format!(
            "ERR Unrecognized option '{}'",
            String::from_utf8_lossy(attr)
        )));
    };
    if !valid_client_name(val) {
        return Err(CommandError::custom(format!(
            "ERR {} cannot contain spaces, newlines or special characters.",
            String::from_utf8_lossy(attr)
        )));
    }
    let v = if val.is_empty() { None } else { Some(val.clone()) };
    if is_name {
        ctx.client.lib_name = v;
    } else {
        ctx.client.lib_ver = v;
    }
    ctx.client.mark_identity_changed();
    Ok(Reply::OK)
}

/// CLIENT REPLY ON|OFF|SKIP — `OK` for ON; OFF and SKIP send no reply (SKIP also skips
/// the next command's). Error: `ERR syntax error`.
pub fn client_reply(ctx: &mut Ctx<'_>, argv: &[Bytes]) -> Result<Reply, CommandError> {
    let mode = if args::is(&argv[2], "on") {
        ReplyMode::On
    } else if args::is(&argv[2], "off") {
        ReplyMode::Off
    } else if args::is(&argv[2], "skip") {
        if ctx.client.reply_mode == ReplyMode::Off {
            ReplyMode::Off
        } else {
            ReplyMode::SkipNext
        }
    } else {
        return Err(CommandError::Syntax);
    };
    ctx.client.reply_mode = mode;
    Ok(Reply::OK)
}

/// CLIENT NO-EVICT ON|OFF — `OK`. Error: `ERR syntax error`.
pub fn client_no_evict(ctx: &mut Ctx<'_>, argv: &[Bytes]) -> Result<Reply, CommandError> {
    ctx.client.no_evict = on_off(&argv[2])?;
    Ok(Reply::OK)
}

/// CLIENT NO-TOUCH ON|OFF — `OK`. Error: `ERR syntax error`.
pub fn client_no_touch(ctx: &mut Ctx<'_>, argv: &[Bytes]) -> Result<Reply, CommandError> {
    ctx.client.no_touch = on_off(&argv[2])?;
    Ok(Reply::OK)
}

/// CLIENT PAUSE timeout [WRITE|ALL]
///
/// `OK`. For `timeout` milliseconds, commands of every client (ALL, the default) or only
/// writes and commands that may replicate (WRITE) wait before executing; a longer pause
/// already running is kept. Errors: `ERR CLIENT PAUSE mode must be WRITE or ALL`, `ERR
/// timeout is not an integer or out of range`, `ERR timeout is negative`, `ERR timeout is
/// out of range`; more arguments: the subcommand syntax error.
pub fn client_pause(ctx: &mut Ctx<'_>, argv: &[Bytes]) -> Result<Reply, CommandError> {
    if argv.len() > 4 {
        return Err(subcommand_syntax_error(argv));
    }
    let mut write_only = false;
    if argv.len() == 4 {
        if args::is(&argv[3], "write") {
            write_only = true;
        } else if !args::is(&argv[3], "all") {
            return Err(CommandError::custom("ERR CLIENT PAUSE mode must be WRITE or ALL"));
        }
    }
    let ms = args::int_or(
        &argv[2],
        CommandError::custom("ERR timeout is not an integer or out of range"),
    )?;
    if ms < 0 {
        return Err(CommandError::custom("ERR timeout is negative"));
    }
    let now = ctx.now_ms as i64;
    if ms > i64::MAX - now {
        return Err(CommandError::custom("ERR timeout is out of range"));
    }
    let until = if ms > 0 { (ms + now) as u64 } else { 0 };
    crate::dispatch::pause_clients(ctx.server, until, write_only);
    Ok(Reply::OK)
}

/// CLIENT UNPAUSE — `OK`; paused clients resume.
pub fn client_unpause(ctx: &mut Ctx<'_>, _argv: &[Bytes]) -> Result<Reply, CommandError> {
    crate::dispatch::unpause_clients(ctx.server);
    Ok(Reply::OK)
}

/// CLIENT UNBLOCK client-id [TIMEOUT|ERROR] — 1 when the client was blocked on keys (BLPOP
/// ...) and is now released, else 0. TIMEOUT (the default) makes its command reply as on
/// timeout; ERROR makes it fail with `-UNBLOCKED client unblocked via CLIENT UNBLOCK`.
/// Errors: not an integer, `ERR CLIENT UNBLOCK reason should be TIMEOUT or ERROR`.
pub fn client_unblock(ctx: &mut Ctx<'_>, argv: &[Bytes]) -> Result<Reply, CommandError> {
    if argv.len() > 4 {
        return Err(subcommand_syntax_error(argv));
    }
    let id = args::int(&argv[2])?;
    let reason = if argv.len() < 4 || args::is(&argv[3], "timeout") {
        UnblockReason::Timeout
    } else if args::is(&argv[3], "error") {
        UnblockReason::Error
    } else {
        return Err(CommandError::custom("ERR CLIENT UNBLOCK reason should be TIMEOUT or ERROR"));
    };
    let released = u64::try_from(id).is_ok_and(|id| ctx.server.blocking.unblock(id, reason));
    Ok(Reply::Integer(i64::from(released)))
}

/// CLIENT TRACKING ON|OFF [REDIRECT client-id] [PREFIX prefix [PREFIX prefix ...]] [BCAST]
/// [OPTIN] [OPTOUT] [NOLOOP]
///
/// `OK` after turning client-side-caching tracking on (with these options) or off; see
/// `crate::tracking` and <https://redis.io/commands/client-tracking/>. Errors, in Redis's
/// order (`clientCommand`): `ERR syntax error`, `ERR A client can only redirect to a single
/// other client`, not an integer, `ERR The client ID you want redirect to does not exist`,
/// `ERR PREFIX option requires BCAST mode to be enabled`, BCAST switched while on, `ERR
/// OPTIN and OPTOUT are not compatible with BCAST`, `ERR You can't use both OPTIN and
/// OPTOUT`, OPTIN/OPTOUT switched while on, overlapping prefixes (`ERR Prefix '...'
/// overlaps with ...`).
pub fn client_tracking(ctx: &mut Ctx<'_>, argv: &[Bytes]) -> Result<Reply, CommandError> {
    use crate::tracking::{errors, Options};
    let mut options = Options::default();
    let mut prefixes: Vec<Bytes> = Vec::new();
    let mut j = 3;
    while j < argv.len() {
        let more = j + 1 < argv.len();
        let a = &argv[j];
        if args::is(a, "redirect") && more {
            j += 1;
            if options.redirect != 0 {
                return Err(CommandError::custom(
                    "ERR A client can only redirect to a single other client",
                ));
            }
            let id = args::int(&argv[j])?;
            if id <= 0 || ctx.server.clients.get(id as u64).is_none() {
                return Err(CommandError::custom(
                    "ERR The client ID you want redirect to does not exist",
                ));
            }
            options.redirect = id as u64;
        } else if args::is(a, "bcast") {
            options.bcast = true;
        } else if args::is(a, "optin") {
            options.optin = true;
        } else if args::is(a, "optout") {
            options.optout = true;
        } else if args::is(a, "noloop") {
            options.noloop = true;
        } else if args::is(a, "prefix") && more {
            j += 1;
            prefixes.push(argv[j].clone());
        } else {
            return Err(CommandError::Syntax);
        }
        j += 1;
    }
    if args::is(&argv[2], "off") {
        if ctx.client.tracking.take().is_some() {
            tracking_off(ctx.server, ctx.client.id);
        }
        return Ok(Reply::OK);
    }
    if !args::is(&argv[2], "on") {
        return Err(CommandError::Syntax);
    }
    let current = ctx.client.tracking;
    if !options.bcast && !prefixes.is_empty() {
        return Err(CommandError::custom(errors::PREFIX_NEEDS_BCAST));
    }
    if current.is_some_and(|c| c.bcast != options.bcast) {
        return Err(CommandError::custom(errors::BCAST_SWITCH));
    }
    if options.bcast && (options.optin || options.optout) {
        return Err(CommandError::custom(errors::BCAST_OPTIN));
    }
    if options.optin && options.optout {
        return Err(CommandError::custom(errors::BOTH_OPTS));
    }
    if current.is_some_and(|c| (options.optin && c.optout) || (options.optout && c.optin)) {
        return Err(CommandError::custom(errors::OPT_SWITCH));
    }
    crate::pubsub::message_channel(ctx.client);
    ctx.server
        .tracking
        .enable(&ctx.client.handle, options.clone(), &prefixes)
        .map_err(CommandError::custom)?;
    ctx.server.notify.set_tracking(&ctx.server.keyspace, true);
    ctx.client.tracking = Some(crate::client::ClientTracking {
        bcast: options.bcast,
        optin: options.optin,
        optout: options.optout,
        // `enableTracking` leaves CLIENT_TRACKING_CACHING as it was.
        caching: current.is_some_and(|c| c.caching),
        redirect: options.redirect,
    });
    Ok(Reply::OK)
}

/// Turns client `id`'s tracking off in the shared tables (CLIENT TRACKING OFF, RESET,
/// disconnection); the last tracking client stops the expiry reporting it needs.
pub fn tracking_off(shared: &crate::server::Shared, id: u64) {
    shared.tracking.disable(id);
    if shared.tracking.client_count() == 0 {
        shared.notify.set_tracking(&shared.keyspace, false);
    }
}

/// CLIENT CACHING YES|NO — `OK`; in OPTIN mode YES (in OPTOUT mode NO) makes the next
/// command's reads tracked (not tracked). Errors: `ERR CLIENT CACHING can be called only when
/// the client is in tracking mode with OPTIN or OPTOUT mode enabled`, `ERR CLIENT CACHING YES
/// is only valid when tracking is enabled in OPTIN mode.` (and the NO/OPTOUT variant), `ERR
/// syntax error`.
pub fn client_caching(ctx: &mut Ctx<'_>, argv: &[Bytes]) -> Result<Reply, CommandError> {
    let Some(tracking) = ctx.client.tracking.as_mut() else {
        return Err(CommandError::custom(
            "ERR CLIENT CACHING can be called only when the client is in tracking mode with OPTIN or OPTOUT mode enabled",
        ));
    };
    if args::is(&argv[2], "yes") {
        if !tracking.optin {
            return Err(CommandError::custom(
                "ERR CLIENT CACHING YES is only valid when tracking is enabled in OPTIN mode.",
            ));
        }
    } else if args::is(&argv[2], "no") {
        if !tracking.optout {
            return Err(CommandError::custom(
                "ERR CLIENT CACHING NO is only valid when tracking is enabled in OPTOUT mode.",
            ));
        }
    } else {
        return Err(CommandError::Syntax);
    }
    tracking.caching = true;
    Ok(Reply::OK)
}

/// CLIENT GETREDIR — the tracking redirection client id (0 without REDIRECT); -1 when
/// tracking is off.
pub fn client_getredir(ctx: &mut Ctx<'_>, _argv: &[Bytes]) -> Result<Reply, CommandError> {
    Ok(Reply::Integer(ctx.client.tracking.map_or(-1, |t| t.redirect as i64)))
}

/// CLIENT TRACKINGINFO — map of `flags` (set: `on`/`off`, `bcast`, `optin`, `caching-yes`,
/// `optout`, `caching-no`, `noloop`, `broken_redirect`), `redirect` (client id, 0 without
/// REDIRECT, -1 when off) and `prefixes` (array, sorted), as `clientTrackingInfoCommand`.
pub fn client_trackinginfo(ctx: &mut Ctx<'_>, _argv: &[Bytes]) -> Result<Reply, CommandError> {
    let flag = |s: &'static [u8]| Reply::bulk_static(s);
    let mut flags = Vec::new();
    let (redirect, prefixes) =
        match (ctx.client.tracking, ctx.server.tracking.options_of(ctx.client.id)) {
            (Some(t), Some((options, prefixes))) => {
                flags.push(flag(b"on"));
                if t.bcast {
                    flags.push(flag(b"bcast"));
                }
                if t.optin {
                    flags.push(flag(b"optin"));
                    if t.caching {
                        flags.push(flag(b"caching-yes"));
                    }
                }
                if t.optout {
                    flags.push(flag(b"optout"));
                    if t.caching {
                        flags.push(flag(b"caching-no"));
                    }
                }
                if options.noloop {
                    flags.push(flag(b"noloop"));
                }
                if ctx.client.handle.push.tracking_broken.load(std::sync::atomic::Ordering::Relaxed)
                {
                    flags.push(flag(b"broken_redirect"));
                }
                (t.redirect as i64, prefixes)
            }
            _ => {
                flags.push(flag(b"off"));
                (-1, Vec::new())
            }
        };
    Ok(Reply::Map(vec![
        (Reply::bulk_static(b"flags"), Reply::Set(flags)),
        (Reply::bulk_static(b"redirect"), Reply::Integer(redirect)),
        (
            Reply::bulk_static(b"prefixes"),
            Reply::Array(prefixes.into_iter().map(Reply::Bulk).collect()),
        ),
    ]))
}

const CLIENT_HELP: &[&str] = &[
    "CACHING (YES|NO)",
    "    Enable/disable tracking of the keys for next command in OPTIN/OPTOUT modes.",
    "GETREDIR",
    "    Return the client ID we are redirecting to when tracking is enabled.",
    "GETNAME",
    "    Return the name of the current connection.",
    "ID",
    "    Return the ID of the current connection.",
    "INFO",
    "    Return information about the current client connection.",
    "KILL <ip:port>",
    "    Kill connection made from <ip:port>.",
    "KILL <option> <value> [<option> <value> [...]]",
    "    Kill connections. Options are:",
    "    * ADDR (<ip:port>|<unixsocket>:0)",
    "      Kill connections made from the specified address",
    "    * LADDR (<ip:port>|<unixsocket>:0)",
    "      Kill connections made to specified local address",
    "    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)",
    "      Kill connections by type.",
    "    * USER <username>",
    "      Kill connections authenticated by <username>.",
    "    * SKIPME (YES|NO)",
    "      Skip killing current connection (default: yes).",
    "LIST [options ...]",
    "    Return information about client connections. Options:",
    "    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)",
    "      Return clients of specified type.",
    "UNPAUSE",
    "    Stop the current client pause, resuming traffic.",
    "PAUSE <timeout> [WRITE|ALL]",
    "    Suspend all, or just write, clients for <timeout> milliseconds.",
    "REPLY (ON|OFF|SKIP)",
    "    Control the replies sent to the current connection.",
    "SETNAME <name>",
    "    Assign the name <name> to the current connection.",
    "SETINFO <option> <value>",
    "    Set client meta attr. Options are:",
    "    * LIB-NAME: the client lib name.",
    "    * LIB-VER: the client lib version.",
    "UNBLOCK <clientid> [TIMEOUT|ERROR]",
    "    Unblock the specified blocked client.",
    "TRACKING (ON|OFF) [REDIRECT <id>] [BCAST] [PREFIX <prefix> [...]]",
    "         [OPTIN] [OPTOUT] [NOLOOP]",
    "    Control server assisted client side caching.",
    "TRACKINGINFO",
    "    Report tracking status for the current connection.",
    "NO-EVICT (ON|OFF)",
    "    Protect current client connection from eviction.",
    "NO-TOUCH (ON|OFF)",
    "    Will not touch LRU/LFU stats when this mode is on.",
];

/// CLIENT HELP — the subcommand list, one status line each.
pub fn client_help(_ctx: &mut Ctx<'_>, _argv: &[Bytes]) -> Result<Reply, CommandError> {
    Ok(help_reply("CLIENT", CLIENT_HELP))
}

/// Tips of CLIENT SETNAME and SETINFO (added in Redis 7.2).
const ALL_NODES_SUCCEEDED: &[&str] = &["request_policy:all_nodes", "response_policy:all_succeeded"];

/// Flags shared by most CLIENT subcommands.
const CLIENT_FLAGS: u64 = flags::NOSCRIPT | flags::LOADING | flags::STALE;
/// Flags of the administrative CLIENT subcommands.
const CLIENT_ADMIN_FLAGS: u64 = flags::ADMIN | flags::NOSCRIPT | flags::LOADING | flags::STALE;

/// A CLIENT subcommand spec.
const fn client_sub(
    name: &'static str,
    arity: i32,
    flags: u64,
    since: &'static str,
    summary: &'static str,
    handler: crate::spec::Handler,
) -> CommandSpec {
    CommandSpec {
        name,
        arity,
        flags,
        acl: acl::CONNECTION,
        group: Group::Connection,
        since,
        summary,
        handler: Some(handler),
        ..CommandSpec::DEFAULT
    }
}

/// CLIENT's subcommands.
static CLIENT_SUBCOMMANDS: &[CommandSpec] = &[
    client_sub(
        "id",
        2,
        CLIENT_FLAGS,
        "5.0.0",
        "Returns the unique id of the connection.",
        client_id,
    ),
    CommandSpec {
        tips: &["nondeterministic_output"],
        ..client_sub(
            "info",
            2,
            CLIENT_FLAGS,
            "6.2.0",
            "Returns this connection's CLIENT LIST line.",
            client_info,
        )
    },
    CommandSpec {
        history: docs::CLIENT_LIST_HISTORY,
        arguments: docs::CLIENT_LIST,
        tips: &["nondeterministic_output"],
        complexity: "O(N) where N is the number of client connections",
        ..client_sub(
            "list",
            -2,
            CLIENT_ADMIN_FLAGS,
            "2.4.0",
            "Lists the open connections.",
            client_list,
        )
    },
    CommandSpec {
        history: docs::CLIENT_KILL_HISTORY,
        arguments: docs::CLIENT_KILL,
        complexity: "O(N) where N is the number of client connections",
        ..client_sub(
            "kill",
            -3,
            CLIENT_ADMIN_FLAGS,
            "2.4.0",
            "Closes the connections that match the filters.",
            client_kill,
        )
    },
    CommandSpec {
        arguments: docs::CLIENT_SETNAME,
        tips: ALL_NODES_SUCCEEDED,
        ..client_sub("setname", 3, CLIENT_FLAGS, "2.6.9", "Names the connection.", client_setname)
    },
    client_sub(
        "getname",
        2,
        CLIENT_FLAGS,
        "2.6.9",
        "Returns the connection's name.",
        client_getname,
    ),
    CommandSpec {
        arguments: docs::CLIENT_SETINFO,
        tips: ALL_NODES_SUCCEEDED,
        ..client_sub(
            "setinfo",
            4,
            CLIENT_FLAGS,
            "7.2.0",
            "Records the client library's name or version.",
            client_setinfo,
        )
    },
    CommandSpec {
        arguments: docs::CLIENT_REPLY,
        ..client_sub(
            "reply",
            3,
            CLIENT_FLAGS,
            "3.2.0",
            "Turns replies to this connection on or off.",
            client_reply,
        )
    },
    CommandSpec {
        arguments: docs::CLIENT_ENABLED,
        ..client_sub(
            "no-evict",
            3,
            CLIENT_ADMIN_FLAGS,
            "7.0.0",
            "Exempts the connection from client eviction.",
            client_no_evict,
        )
    },
    CommandSpec {
        arguments: docs::CLIENT_ENABLED,
        ..client_sub(
            "no-touch",
            3,
            CLIENT_FLAGS,
            "7.2.0",
            "Keeps the connection's commands from updating key access times.",
            client_no_touch,
        )
    },
    CommandSpec {
        history: docs::CLIENT_PAUSE_HISTORY,
        arguments: docs::CLIENT_PAUSE,
        ..client_sub(
            "pause",
            -3,
            CLIENT_ADMIN_FLAGS,
            "3.0.0",
            "Holds the commands of all clients, or only writes, for a while.",
            client_pause,
        )
    },
    client_sub("unpause", 2, CLIENT_ADMIN_FLAGS, "6.2.0", "Ends a CLIENT PAUSE.", client_unpause),
    CommandSpec {
        arguments: docs::CLIENT_UNBLOCK,
        complexity: "O(log N) where N is the number of client connections",
        ..client_sub(
            "unblock",
            -3,
            CLIENT_ADMIN_FLAGS,
            "5.0.0",
            "Wakes a client blocked on a blocking command.",
            client_unblock,
        )
    },
    CommandSpec {
        arguments: docs::CLIENT_TRACKING,
        complexity: "O(1). Some options may introduce additional complexity.",
        ..client_sub(
            "tracking",
            -3,
            CLIENT_FLAGS,
            "6.0.0",
            "Enable or disable server assisted client side caching support",
            client_tracking,
        )
    },
    CommandSpec {
        arguments: docs::CLIENT_CACHING,
        ..client_sub(
            "caching",
            3,
            CLIENT_FLAGS,
            "6.0.0",
            "Instruct the server about tracking or not keys in the next request",
            client_caching,
        )
    },
    client_sub(
        "getredir",
        2,
        CLIENT_FLAGS,
        "6.0.0",
        "Returns the id tracking notifications are redirected to.",
        client_getredir,
    ),
    client_sub(
        "trackinginfo",
        2,
        CLIENT_FLAGS,
        "6.2.0",
        "Describes the connection's key-tracking state.",
        client_trackinginfo,
    ),
    client_sub(
        "help",
        2,
        flags::LOADING | flags::STALE,
        "5.0.0",
        "Lists the CLIENT subcommands.",
        client_help,
    ),
];

/// The connection family.
pub static SPECS: &[CommandSpec] = &[
    CommandSpec {
        name: "ping",
        arguments: docs::PING,
        arity: -1,
        flags: flags::FAST,
        acl: acl::CONNECTION,
        group: Group::Connection,
        since: "1.0.0",
        summary: "Returns the server's liveliness response.",
        tips: &["request_policy:all_shards", "response_policy:all_succeeded"],
        handler: Some(ping),
        ..CommandSpec::DEFAULT
    },
    CommandSpec {
        name: "echo",
        arguments: docs::ECHO,
        arity: 2,
        flags: flags::LOADING | flags::STALE | flags::FAST,
        acl: acl::CONNECTION,
        group: Group::Connection,
        since: "1.0.0",
        summary: "Returns the given string.",
        handler: Some(echo),
        ..CommandSpec::DEFAULT
    },
    CommandSpec {
        name: "quit",
        doc_flags: docflags::DEPRECATED,
        deprecated_since: Some("7.2.0"),
        replaced_by: Some("just closing the connection"),
        arity: -1,
        flags: flags::ALLOW_BUSY
            | flags::NOSCRIPT
            | flags::LOADING
            | flags::STALE
            | flags::FAST
            | flags::NO_AUTH,
        acl: acl::CONNECTION,
        group: Group::Connection,
        since: "1.0.0",
        summary: "Closes the connection.",
        handler: Some(quit),
        ..CommandSpec::DEFAULT
    },
    CommandSpec {
        name: "select",
        arguments: docs::SELECT,
        arity: 2,
        flags: flags::LOADING | flags::STALE | flags::FAST,
        acl: acl::CONNECTION,
        group: Group::Connection,
        since: "1.0.0",
        summary: "Changes the selected database.",
        handler: Some(select),
        ..CommandSpec::DEFAULT
    },
    CommandSpec {
        name: "auth",
        history: docs::AUTH_HISTORY,
        arguments: docs::AUTH,
        arity: -2,
        flags: flags::NOSCRIPT
            | flags::LOADING
            | flags::STALE
            | flags::FAST
            | flags::NO_AUTH
            | flags::ALLOW_BUSY,
        acl: acl::CONNECTION,
        group: Group::Connection,
        since: "1.0.0",
        summary: "Authenticates the connection.",
        complexity: "O(N) where N is the number of passwords defined for the user",
        handler: Some(auth),
        ..CommandSpec::DEFAULT
    },
    CommandSpec {
        name: "hello",
        history: docs::HELLO_HISTORY,
        arguments: docs::HELLO,
        arity: -1,
        flags: flags::NOSCRIPT
            | flags::LOADING
            | flags::STALE
            | flags::FAST
            | flags::NO_AUTH
            | flags::ALLOW_BUSY,
        acl: acl::CONNECTION,
        group: Group::Connection,
        since: "6.0.0",
        summary: "Handshakes with the Redis server.",
        lock: LockScope::Keys,
        handler: Some(hello),
        ..CommandSpec::DEFAULT
    },
    CommandSpec {
        name: "reset",
        arity: 1,
        flags: flags::NOSCRIPT
            | flags::LOADING
            | flags::STALE
            | flags::FAST
            | flags::NO_AUTH
            | flags::ALLOW_BUSY,
        acl: acl::CONNECTION,
        group: Group::Connection,
        since: "6.2.0",
        summary: "Returns the connection to its initial state.",
        handler: Some(reset),
        ..CommandSpec::DEFAULT
    },
    CommandSpec {
        name: "client",
        arity: -2,
        group: Group::Connection,
        since: "2.4.0",
        summary: "A container of commands about client connections.",
        complexity: "Depends on subcommand.",
        subcommands: CLIENT_SUBCOMMANDS,
        ..CommandSpec::DEFAULT
    },
];

#[cfg(test)]
mod tests {
    use crate::harness::Harness;
    use ferrodis_resp::Reply;

    fn err(r: Reply) -> String {
        match r {
            Reply::Error(e) => e.to_string(),
            other => panic!("expected an error, got {other:?}"),
        }
    }

    fn text(r: Reply) -> String {
        match r {
            Reply::Verbatim(_, b) | Reply::Bulk(b) => String::from_utf8_lossy(&b).into_owned(),
            other => panic!("expected text, got {other:?}"),
        }
    }

    #[test]
    fn setinfo_and_no_touch_are_redis_72() {
        let mut h = Harness::new();
        assert_eq!(h.run(&["CLIENT", "SETINFO", "LIB-NAME", "redis-py"]), Reply::OK);
        assert_eq!(h.run(&["CLIENT", "SETINFO", "lib-ver", "5.0.1"]), Reply::OK);
        assert_eq!(
            err(h.run(&["CLIENT", "SETINFO", "Lib-Name", "a b"])),
            "ERR Lib-Name cannot contain spaces, newlines or special characters."
        );
        assert_eq!(err(h.run(&["CLIENT", "SETINFO", "foo", "x"])), "ERR Unrecognized option 'foo'");
        assert_eq!(h.run(&["CLIENT", "NO-TOUCH", "on"]), Reply::OK);
        assert_eq!(err(h.run(&["CLIENT", "NO-TOUCH", "x"])), "ERR syntax error");
        let line = text(h.run(&["CLIENT", "INFO"]));
        assert!(
            // Six commands ran before CLIENT INFO; the harness has no socket to count bytes.
            line.ends_with(
                " resp=2 lib-name=redis-py lib-ver=5.0.1 tot-net-in=0 tot-net-out=0 tot-cmds=6\n"
            ),
            "{line}"
        );
        assert!(line.contains(" flags=T "), "{line}");
        assert!(line.contains(" cmd=client|info "), "{line}");
    }

    #[test]
    fn client_list_field_order() {
        let mut h = Harness::new();
        h.run(&["CLIENT", "SETNAME", "me"]);
        let list = text(h.run(&["CLIENT", "LIST"]));
        let keys: Vec<&str> =
            list.trim_end().split(' ').map(|kv| kv.split('=').next().unwrap_or("")).collect();
        assert_eq!(
            keys,
            [
                "id",
                "addr",
                "laddr",
                "fd",
                "name",
                "age",
                "idle",
                "flags",
                "capa",
                "db",
                "sub",
                "psub",
                "ssub",
                "multi",
                "watch",
                "qbuf",
                "qbuf-free",
                "argv-mem",
                "multi-mem",
                "rbs",
                "rbp",
                "obl",
                "oll",
                "omem",
                "tot-mem",
                "events",
                "cmd",
                "user",
                "redir",
                "resp",
                "lib-name",
                "lib-ver",
                "tot-net-in",
                "tot-net-out",
                "tot-cmds"
            ]
        );
        assert!(list.contains(" name=me "));
        assert_eq!(err(h.run(&["CLIENT", "LIST", "TYPE", "x"])), "ERR Unknown client type 'x'");
        assert_eq!(err(h.run(&["CLIENT", "LIST", "ID", "x"])), "ERR Invalid client ID");
    }

    #[test]
    fn reset_restores_the_initial_state() {
        let mut h = Harness::new();
        h.run(&["SELECT", "3"]);
        h.run(&["HELLO", "3"]);
        h.run(&["CLIENT", "SETNAME", "x"]);
        h.run(&["CLIENT", "NO-EVICT", "on"]);
        h.run(&["MONITOR"]);
        assert_eq!(h.run(&["RESET"]), Reply::status("RESET"));
        assert_eq!(h.client.db, 0);
        assert_eq!(h.client.resp, ferrodis_resp::RespVersion::Resp2);
        assert!(h.client.name.is_none() && !h.client.no_evict && !h.client.monitor);
    }

    #[test]
    fn pause_arguments() {
        let mut h = Harness::new();
        assert_eq!(
            err(h.run(&["CLIENT", "PAUSE", "10", "FOO"])),
            "ERR CLIENT PAUSE mode must be WRITE or ALL"
        );
        assert_eq!(err(h.run(&["CLIENT", "PAUSE", "-1"])), "ERR timeout is negative");
        assert_eq!(
            err(h.run(&["CLIENT", "PAUSE", "1", "WRITE", "x"])),
            "ERR unknown subcommand or wrong number of arguments for 'PAUSE'. Try CLIENT HELP."
        );
        assert_eq!(h.run(&["CLIENT", "PAUSE", "100000", "WRITE"]), Reply::OK);
        let get: Vec<bytes::Bytes> =
            ["GET", "k"].iter().map(|s| bytes::Bytes::from_static(s.as_bytes())).collect();
        let set: Vec<bytes::Bytes> =
            ["SET", "k", "v"].iter().map(|s| bytes::Bytes::from_static(s.as_bytes())).collect();
        let bad: Vec<bytes::Bytes> =
            ["SET", "k"].iter().map(|s| bytes::Bytes::from_static(s.as_bytes())).collect();
        assert!(crate::dispatch::pause_deadline(&h.shared, &h.client, &get).is_none());
        assert!(crate::dispatch::pause_deadline(&h.shared, &h.client, &set).is_some());
        assert!(crate::dispatch::pause_deadline(&h.shared, &h.client, &bad).is_none());
        assert_eq!(h.run(&["CLIENT", "UNPAUSE"]), Reply::OK);
        assert!(crate::dispatch::pause_deadline(&h.shared, &h.client, &set).is_none());
    }

    #[test]
    fn kill_filters() {
        let mut h = Harness::new();
        assert_eq!(
            err(h.run(&["CLIENT", "KILL", "ID", "0"])),
            "ERR client-id should be greater than 0"
        );
        assert_eq!(err(h.run(&["CLIENT", "KILL", "USER", "bob"])), "ERR No such user 'bob'");
        assert_eq!(h.run(&["CLIENT", "KILL", "USER", "default"]), Reply::Integer(0));
        assert_eq!(
            h.run(&["CLIENT", "KILL", "USER", "default", "SKIPME", "no"]),
            Reply::Integer(1)
        );
        assert!(h.client.close_after_reply);
    }
}
