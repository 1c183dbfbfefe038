//! Connection commands: PING, ECHO, QUIT, SELECT, AUTH, HELLO, and the CLIENT container.
//!
//! Semantics follow <https://redis.io/commands/> and Redis 7.2's `src/networking.c`,
//! `src/acl.c` (AUTH) and `src/server.c` (PING, ECHO, HELLO).

use crate::args;
use crate::context::Ctx;
use crate::errors::CommandError;
use crate::server::REDIS_VERSION;
use crate::spec::{acl, flags, CommandSpec, Group, LockScope};
use bytes::Bytes;
use ferrodis_resp::{Reply, RespVersion};

/// PING [message] — `PONG`, or the message as a bulk string.
pub fn ping(_ctx: &mut Ctx<'_>, argv: &[Bytes]) -> Result<Reply, CommandError> {
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

/// SELECT index — `OK`; `ERR DB index is out of range`, or not-an-integer.
pub fn select(ctx: &mut Ctx<'_>, argv: &[Bytes]) -> Result<Reply, CommandError> {
    let index = args::int(&argv[1])?;
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
        let v = args::int_or(&argv[1], CommandError::custom("ERR Protocol version is not an integer or out of range"))?;
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
    }
    if !ctx.client.authenticated {
        return Err(CommandError::custom(
            "NOAUTH HELLO must be called with the client already authenticated, otherwise the HELLO <proto> AUTH <user> <pass> option can be used to authenticate the client and select the RESP protocol version at the same time",
        ));
    }
    if let Some(name) = name {
        ctx.client.name = if name.is_empty() { None } else { Some(name) };
    }
    if let Some(v) = version {
        ctx.client.resp = if v == 3 { RespVersion::Resp3 } else { RespVersion::Resp2 };
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

/// The connection family.
pub static SPECS: &[CommandSpec] = &[
    CommandSpec {
        name: "ping",
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
        arity: 2,
        flags: flags::FAST,
        acl: acl::CONNECTION,
        group: Group::Connection,
        since: "1.0.0",
        summary: "Returns the given string.",
        handler: Some(echo),
        ..CommandSpec::DEFAULT
    },
    CommandSpec {
        name: "quit",
        arity: -1,
        flags: flags::ALLOW_BUSY | flags::NOSCRIPT | flags::LOADING | flags::STALE | flags::FAST | flags::NO_AUTH,
        acl: acl::CONNECTION,
        group: Group::Connection,
        since: "1.0.0",
        summary: "Closes the connection.",
        handler: Some(quit),
        ..CommandSpec::DEFAULT
    },
    CommandSpec {
        name: "select",
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
        arity: -2,
        flags: flags::NOSCRIPT | flags::LOADING | flags::STALE | flags::FAST | flags::NO_AUTH | flags::ALLOW_BUSY,
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
        arity: -1,
        flags: flags::NOSCRIPT | flags::LOADING | flags::STALE | flags::FAST | flags::NO_AUTH | flags::ALLOW_BUSY,
        acl: acl::CONNECTION,
        group: Group::Connection,
        since: "6.0.0",
        summary: "Handshakes with the Redis server.",
        lock: LockScope::Keys,
        handler: Some(hello),
        ..CommandSpec::DEFAULT
    },
];
