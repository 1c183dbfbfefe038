//! Pub/sub commands: SUBSCRIBE, UNSUBSCRIBE, PSUBSCRIBE, PUNSUBSCRIBE, PUBLISH, SSUBSCRIBE,
//! SUNSUBSCRIBE, SPUBLISH and the PUBSUB container (CHANNELS, NUMSUB, NUMPAT,
//! SHARDCHANNELS, SHARDNUMSUB, HELP).
//!
//! Semantics follow <https://redis.io/docs/interact/pubsub/> and Redis 7.2's `src/pubsub.c`;
//! the registry and delivery are in [`crate::pubsub`]. Confirmations are push replies
//! (`Reply::Push`: RESP2 `*3`, RESP3 `>3`) of `[kind, name, count]`, one per name, where the
//! count is the client's channels plus patterns (shard channels for the `s` commands) after
//! the change. UNSUBSCRIBE-style commands without arguments leave every subscription of
//! their kind, and, when there is none, answer one confirmation with a null name.
//! Keyspace notifications are not published yet.

use crate::commands::introspection::{help_reply, subcommand_syntax_error};
use crate::context::Ctx;
use crate::errors::CommandError;
use crate::pubsub::{self, Kind};
use crate::spec::{acl, flags, keyflags, CommandSpec, Group, KeySpec};
use bytes::Bytes;
use ferrodis_resp::Reply;

/// One (un)subscribe confirmation: `[kind, name, count]` as a push (`name` None: a null).
fn confirmation(kind: &'static [u8], name: Option<&Bytes>, count: usize) -> Reply {
    Reply::Push(vec![
        Reply::bulk_static(kind),
        name.map_or(Reply::Null, |n| Reply::Bulk(n.clone())),
        Reply::Integer(count as i64),
    ])
}

/// Several confirmations as consecutive frames (one reply when there is one).
fn frames(mut replies: Vec<Reply>) -> Reply {
    if replies.len() == 1 {
        replies.pop().unwrap_or(Reply::Null)
    } else {
        Reply::Frames(replies)
    }
}

/// Subscribes to every name in `argv[1..]`, answering one `[verb, name, count]` push each.
fn subscribe_all(ctx: &mut Ctx<'_>, argv: &[Bytes], kind: Kind, verb: &'static [u8]) -> Reply {
    let mut replies = Vec::with_capacity(argv.len() - 1);
    for name in &argv[1..] {
        pubsub::subscribe(ctx.server, ctx.client, kind, name);
        replies.push(confirmation(verb, Some(name), ctx.client.pubsub.count(kind)));
    }
    // CLIENT LIST shows the new counts (and the `P` flag) as soon as the reply is out.
    ctx.client.refresh_info();
    frames(replies)
}

/// Unsubscribes from the names in `argv[1..]`, or from all of `kind` without arguments.
fn unsubscribe_all(ctx: &mut Ctx<'_>, argv: &[Bytes], kind: Kind, verb: &'static [u8]) -> Reply {
    let names = if argv.len() > 1 {
        argv[1..].to_vec()
    } else {
        pubsub::subscribed_names(ctx.client, kind)
    };
    if names.is_empty() {
        return confirmation(verb, None, ctx.client.pubsub.count(kind));
    }
    let mut replies = Vec::with_capacity(names.len());
    for name in &names {
        pubsub::unsubscribe(ctx.server, ctx.client, kind, name);
        replies.push(confirmation(verb, Some(name), ctx.client.pubsub.count(kind)));
    }
    ctx.client.refresh_info();
    frames(replies)
}

/// SUBSCRIBE channel [channel ...] — one `["subscribe", channel, count]` push per channel
/// (`count`: channels plus patterns now subscribed). Subscribing twice changes nothing but
/// still confirms. In RESP2 the connection then accepts only the pub/sub commands, PING,
/// QUIT and RESET (see `dispatch::admit`).
pub fn subscribe(ctx: &mut Ctx<'_>, argv: &[Bytes]) -> Result<Reply, CommandError> {
    Ok(subscribe_all(ctx, argv, Kind::Channel, b"subscribe"))
}

/// UNSUBSCRIBE [channel ...] — one `["unsubscribe", channel, count]` push per channel (all
/// subscribed channels without arguments; `["unsubscribe", null, count]` when there are
/// none). Channels not subscribed are confirmed too.
pub fn unsubscribe(ctx: &mut Ctx<'_>, argv: &[Bytes]) -> Result<Reply, CommandError> {
    Ok(unsubscribe_all(ctx, argv, Kind::Channel, b"unsubscribe"))
}

/// PSUBSCRIBE pattern [pattern ...] — one `["psubscribe", pattern, count]` push per pattern.
/// Patterns are Redis globs (`*`, `?`, `[...]`, `\`), matched against published channels.
pub fn psubscribe(ctx: &mut Ctx<'_>, argv: &[Bytes]) -> Result<Reply, CommandError> {
    Ok(subscribe_all(ctx, argv, Kind::Pattern, b"psubscribe"))
}

/// PUNSUBSCRIBE [pattern ...] — as UNSUBSCRIBE, for patterns (`punsubscribe`).
pub fn punsubscribe(ctx: &mut Ctx<'_>, argv: &[Bytes]) -> Result<Reply, CommandError> {
    Ok(unsubscribe_all(ctx, argv, Kind::Pattern, b"punsubscribe"))
}

/// SSUBSCRIBE shardchannel [shardchannel ...] — one `["ssubscribe", channel, count]` push
/// per channel (`count`: shard channels subscribed). Errors, as Redis 7.2: `ERR SSUBSCRIBE
/// isn't allowed for a DENY BLOCKING client` inside MULTI/EXEC.
pub fn ssubscribe(ctx: &mut Ctx<'_>, argv: &[Bytes]) -> Result<Reply, CommandError> {
    if ctx.client.deny_blocking {
        return Err(CommandError::custom(
            "ERR SSUBSCRIBE isn't allowed for a DENY BLOCKING client",
        ));
    }
    Ok(subscribe_all(ctx, argv, Kind::Shard, b"ssubscribe"))
}

/// SUNSUBSCRIBE [shardchannel ...] — as UNSUBSCRIBE, for shard channels (`sunsubscribe`).
pub fn sunsubscribe(ctx: &mut Ctx<'_>, argv: &[Bytes]) -> Result<Reply, CommandError> {
    Ok(unsubscribe_all(ctx, argv, Kind::Shard, b"sunsubscribe"))
}

/// PUBLISH channel message — the number of clients that received it (integer): subscribers
/// of the channel plus one per matching pattern subscription.
pub fn publish(ctx: &mut Ctx<'_>, argv: &[Bytes]) -> Result<Reply, CommandError> {
    Ok(Reply::Integer(pubsub::publish(ctx.server, &argv[1], &argv[2]) as i64))
}

/// SPUBLISH shardchannel message — the number of subscribers of the shard channel (integer).
pub fn spublish(ctx: &mut Ctx<'_>, argv: &[Bytes]) -> Result<Reply, CommandError> {
    Ok(Reply::Integer(pubsub::spublish(ctx.server, &argv[1], &argv[2]) as i64))
}

/// The active names of `kind` matching the optional pattern in `argv[2]`, as an array.
fn channels_reply(ctx: &Ctx<'_>, argv: &[Bytes], kind: Kind) -> Result<Reply, CommandError> {
    if argv.len() > 3 {
        return Err(subcommand_syntax_error(argv));
    }
    let pattern = argv.get(2).map(|p| &p[..]);
    let names = ctx.server.pubsub.names(kind, pattern);
    Ok(Reply::Array(names.into_iter().map(Reply::Bulk).collect()))
}

/// `[name, count, ...]` for the names in `argv[2..]` (a flat array in both protocols).
fn numsub_reply(ctx: &Ctx<'_>, argv: &[Bytes], kind: Kind) -> Reply {
    let mut out = Vec::with_capacity(2 * (argv.len() - 2));
    for name in &argv[2..] {
        out.push(Reply::Bulk(name.clone()));
        out.push(Reply::Integer(ctx.server.pubsub.subscribers(kind, name) as i64));
    }
    Reply::Array(out)
}

/// PUBSUB CHANNELS [pattern] — the channels with at least one subscriber (pattern
/// subscriptions not counted), filtered by the glob. More than one pattern: `ERR unknown
/// subcommand or wrong number of arguments for 'channels'. Try PUBSUB HELP.`
pub fn pubsub_channels(ctx: &mut Ctx<'_>, argv: &[Bytes]) -> Result<Reply, CommandError> {
    channels_reply(ctx, argv, Kind::Channel)
}

/// PUBSUB NUMSUB [channel ...] — `[channel, subscribers, ...]`.
pub fn pubsub_numsub(ctx: &mut Ctx<'_>, argv: &[Bytes]) -> Result<Reply, CommandError> {
    Ok(numsub_reply(ctx, argv, Kind::Channel))
}

/// PUBSUB NUMPAT — the number of distinct patterns subscribed (integer).
pub fn pubsub_numpat(ctx: &mut Ctx<'_>, _argv: &[Bytes]) -> Result<Reply, CommandError> {
    Ok(Reply::Integer(ctx.server.pubsub.len(Kind::Pattern) as i64))
}

/// PUBSUB SHARDCHANNELS [pattern] — as CHANNELS, for shard channels.
pub fn pubsub_shardchannels(ctx: &mut Ctx<'_>, argv: &[Bytes]) -> Result<Reply, CommandError> {
    channels_reply(ctx, argv, Kind::Shard)
}

/// PUBSUB SHARDNUMSUB [shardchannel ...] — `[channel, subscribers, ...]`.
pub fn pubsub_shardnumsub(ctx: &mut Ctx<'_>, argv: &[Bytes]) -> Result<Reply, CommandError> {
    Ok(numsub_reply(ctx, argv, Kind::Shard))
}

/// PUBSUB HELP — Redis 7.2's help lines.
pub fn pubsub_help(_ctx: &mut Ctx<'_>, _argv: &[Bytes]) -> Result<Reply, CommandError> {
    Ok(help_reply(
        "PUBSUB",
        &[
            "CHANNELS [<pattern>]",
            "    Return the currently active channels matching a <pattern> (default: '*').",
            "NUMPAT",
            "    Return number of subscriptions to patterns.",
            "NUMSUB [<channel> ...]",
            "    Return the number of subscribers for the specified channels, excluding",
            "    pattern subscriptions(default: no channels).",
            "SHARDCHANNELS [<pattern>]",
            "    Return the currently active shard level channels matching a <pattern> (default: '*').",
            "SHARDNUMSUB [<shardchannel> ...]",
            "    Return the number of subscribers for the specified shard level channel(s)",
        ],
    ))
}

/// SUBSCRIBE-family flags.
const SUB_FLAGS: u64 = flags::PUBSUB | flags::NOSCRIPT | flags::LOADING | flags::STALE;
/// PUBLISH-family flags.
const PUB_FLAGS: u64 = flags::PUBSUB | flags::LOADING | flags::STALE | flags::FAST;
/// PUBSUB subcommand flags.
const INTROSPECT_FLAGS: u64 = flags::PUBSUB | flags::LOADING | flags::STALE;

/// Shard channels are declared as `not_key` keys from argument 1 to the end.
const SHARD_CHANNELS_KEYS: &[KeySpec] = &[KeySpec::range_to_end(1, 1, keyflags::NOT_KEY)];
/// SPUBLISH's shard channel: argument 1, `not_key`.
const SPUBLISH_KEYS: &[KeySpec] = &[KeySpec::single(1, keyflags::NOT_KEY)];

const fn cmd(
    name: &'static str,
    arity: i32,
    flags: u64,
    since: &'static str,
    summary: &'static str,
    complexity: &'static str,
    handler: crate::spec::Handler,
) -> CommandSpec {
    CommandSpec {
        name,
        arity,
        flags,
        acl: acl::PUBSUB,
        group: Group::PubSub,
        since,
        summary,
        complexity,
        handler: Some(handler),
        ..CommandSpec::DEFAULT
    }
}

/// PUBSUB's subcommands.
static PUBSUB_SUBCOMMANDS: &[CommandSpec] = &[
    CommandSpec {
        arguments: docs::PUBSUB_CHANNELS,
        ..cmd(
            "channels",
            -2,
            INTROSPECT_FLAGS,
            "2.8.0",
            "Returns the active channels.",
            "O(N) where N is the number of active channels, and assuming constant time pattern matching (relatively short channels and patterns)",
            pubsub_channels,
        )
    },
    cmd(
        "numpat",
        2,
        INTROSPECT_FLAGS,
        "2.8.0",
        "Returns a count of unique pattern subscriptions.",
        "O(1)",
        pubsub_numpat,
    ),
    CommandSpec {
        flags: flags::LOADING | flags::STALE,
        acl: 0,
        ..cmd("help", 2, 0, "6.2.0", "Returns helpful text about the different subcommands.", "O(1)", pubsub_help)
    },
    CommandSpec {
        arguments: docs::PUBSUB_SHARDCHANNELS,
        ..cmd(
            "shardchannels",
            -2,
            INTROSPECT_FLAGS,
            "7.0.0",
            "Returns the active shard channels.",
            "O(N) where N is the number of active shard channels, and assuming constant time pattern matching (relatively short shard channels).",
            pubsub_shardchannels,
        )
    },
    CommandSpec {
        arguments: docs::PUBSUB_SHARDNUMSUB,
        ..cmd(
            "shardnumsub",
            -2,
            INTROSPECT_FLAGS,
            "7.0.0",
            "Returns the count of subscribers of shard channels.",
            "O(N) for the SHARDNUMSUB subcommand, where N is the number of requested shard channels",
            pubsub_shardnumsub,
        )
    },
    CommandSpec {
        arguments: docs::PUBSUB_NUMSUB,
        ..cmd(
            "numsub",
            -2,
            INTROSPECT_FLAGS,
            "2.8.0",
            "Returns a count of subscribers to channels.",
            "O(N) for the NUMSUB subcommand, where N is the number of requested channels",
            pubsub_numsub,
        )
    },
];

/// The pub/sub commands.
pub static SPECS: &[CommandSpec] = &[
    CommandSpec {
        arguments: docs::SUBSCRIBE,
        ..cmd(
            "subscribe",
            -2,
            SUB_FLAGS,
            "2.0.0",
            "Listens for messages published to channels.",
            "O(N) where N is the number of channels to subscribe to.",
            subscribe,
        )
    },
    CommandSpec {
        arguments: docs::UNSUBSCRIBE,
        ..cmd(
            "unsubscribe",
            -1,
            SUB_FLAGS,
            "2.0.0",
            "Stops listening to messages posted to channels.",
            "O(N) where N is the number of channels to unsubscribe.",
            unsubscribe,
        )
    },
    CommandSpec {
        arguments: docs::PSUBSCRIBE,
        ..cmd(
            "psubscribe",
            -2,
            SUB_FLAGS,
            "2.0.0",
            "Listens for messages published to channels that match one or more patterns.",
            "O(N) where N is the number of patterns to subscribe to.",
            psubscribe,
        )
    },
    CommandSpec {
        arguments: docs::PUNSUBSCRIBE,
        ..cmd(
            "punsubscribe",
            -1,
            SUB_FLAGS,
            "2.0.0",
            "Stops listening to messages published to channels that match one or more patterns.",
            "O(N) where N is the number of patterns to unsubscribe.",
            punsubscribe,
        )
    },
    CommandSpec {
        arguments: docs::PUBLISH,
        ..cmd(
            "publish",
            3,
            PUB_FLAGS,
            "2.0.0",
            "Posts a message to a channel.",
            "O(N+M) where N is the number of clients subscribed to the receiving channel and M is the total number of subscribed patterns (by any client).",
            publish,
        )
    },
    CommandSpec {
        keys: SHARD_CHANNELS_KEYS,
        arguments: docs::SSUBSCRIBE,
        ..cmd(
            "ssubscribe",
            -2,
            SUB_FLAGS,
            "7.0.0",
            "Listens for messages published to shard channels.",
            "O(N) where N is the number of shard channels to subscribe to.",
            ssubscribe,
        )
    },
    CommandSpec {
        keys: SHARD_CHANNELS_KEYS,
        arguments: docs::SUNSUBSCRIBE,
        ..cmd(
            "sunsubscribe",
            -1,
            SUB_FLAGS,
            "7.0.0",
            "Stops listening to messages posted to shard channels.",
            "O(N) where N is the number of shard channels to unsubscribe.",
            sunsubscribe,
        )
    },
    CommandSpec {
        keys: SPUBLISH_KEYS,
        arguments: docs::SPUBLISH,
        ..cmd(
            "spublish",
            3,
            PUB_FLAGS,
            "7.0.0",
            "Post a message to a shard channel",
            "O(N) where N is the number of clients subscribed to the receiving shard channel.",
            spublish,
        )
    },
    CommandSpec {
        name: "pubsub",
        arity: -2,
        group: Group::PubSub,
        since: "2.8.0",
        summary: "A container for Pub/Sub commands.",
        complexity: "Depends on subcommand.",
        subcommands: PUBSUB_SUBCOMMANDS,
        ..CommandSpec::DEFAULT
    },
];

/// COMMAND DOCS arguments (Redis 7.2's `src/commands/*.json`; the same in 7.0).
mod docs {
    use crate::spec::{argflags, Arg, ArgType};

    const fn string(name: &'static str, flags: u8) -> Arg {
        Arg { name, kind: ArgType::String, flags, ..Arg::DEFAULT }
    }

    const fn pattern(flags: u8) -> Arg {
        Arg { name: "pattern", kind: ArgType::Pattern, flags, ..Arg::DEFAULT }
    }

    pub const SUBSCRIBE: &[Arg] = &[string("channel", argflags::MULTIPLE)];
    pub const UNSUBSCRIBE: &[Arg] = &[string("channel", argflags::OPTIONAL | argflags::MULTIPLE)];
    /// A `block` holding one pattern, `multiple`, as Redis's psubscribe.json declares it.
    pub const PSUBSCRIBE: &[Arg] = &[Arg {
        name: "pattern",
        kind: ArgType::Block,
        flags: argflags::MULTIPLE,
        arguments: &[pattern(0)],
        ..Arg::DEFAULT
    }];
    pub const PUNSUBSCRIBE: &[Arg] = &[pattern(argflags::OPTIONAL | argflags::MULTIPLE)];
    pub const PUBLISH: &[Arg] = &[string("channel", 0), string("message", 0)];
    pub const SSUBSCRIBE: &[Arg] = &[string("shardchannel", argflags::MULTIPLE)];
    pub const SUNSUBSCRIBE: &[Arg] =
        &[string("shardchannel", argflags::OPTIONAL | argflags::MULTIPLE)];
    pub const SPUBLISH: &[Arg] = &[string("shardchannel", 0), string("message", 0)];
    pub const PUBSUB_CHANNELS: &[Arg] = &[pattern(argflags::OPTIONAL)];
    pub const PUBSUB_NUMSUB: &[Arg] = &[string("channel", argflags::OPTIONAL | argflags::MULTIPLE)];
    pub const PUBSUB_SHARDCHANNELS: &[Arg] = &[pattern(argflags::OPTIONAL)];
    pub const PUBSUB_SHARDNUMSUB: &[Arg] =
        &[string("shardchannel", argflags::OPTIONAL | argflags::MULTIPLE)];
}
