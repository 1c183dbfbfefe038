//! The pub/sub registry: which connections subscribe to which channels, patterns and shard
//! channels, and the delivery of published messages, after Redis 7.2's `src/pubsub.c`.
//!
//! - Each subscribed connection owns an unbounded channel ([`Subscriber`]); publishing never
//!   blocks or does I/O for a subscriber: it encodes the message once (RESP2 bytes, shared by
//!   every receiver through `Bytes`), queues it on each receiver's channel and counts the
//!   queued bytes on the receiver's [`crate::client::OutputBufferState`]. The connection task
//!   drains its channel into its output buffer, turning the leading `*` into RESP3's `>` when
//!   the subscriber speaks RESP3 (the two encodings of a pub/sub message differ only there).
//! - `client-output-buffer-limit pubsub <hard> <soft> <seconds>` is checked on every queued
//!   message: a subscriber over the limit is killed (Redis's `closeClientOnOutputBufferLimit`
//!   and its `Client ... scheduled to be closed ASAP for overcoming of output buffer limits.`
//!   log line), and gets nothing more.
//! - Order: messages from one publisher reach a subscriber in publish order (one FIFO
//!   channel per subscriber, filled synchronously by the publishing command). A message that
//!   matches a channel subscription and pattern subscriptions of one client is delivered once
//!   per subscription, channel first, as Redis's `pubsubPublishMessage` does.
//! - A connection drains pending messages before running each command, so a message queued
//!   before a command is written before its reply, and a message published to itself during
//!   a command (PUBLISH inside MULTI) after it, as Redis 7.2 postpones pushes to the current
//!   client (`server.pending_push_messages`).
//! - Nothing costs anything while nobody subscribes: PUBLISH reads two atomic counters.

use crate::client::{ClientHandle, ClientState};
use crate::server::Shared;
use bytes::Bytes;
use ferrodis_keyspace::glob::string_match;
use parking_lot::RwLock;
use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use tokio::sync::mpsc::{unbounded_channel, UnboundedReceiver, UnboundedSender};

/// The three kinds of subscription.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// SUBSCRIBE: an exact channel name.
    Channel,
    /// PSUBSCRIBE: a glob pattern over channel names.
    Pattern,
    /// SSUBSCRIBE: a shard channel (SPUBLISH only reaches these).
    Shard,
}

/// One subscribed connection as publishers see it.
#[derive(Debug)]
pub struct Subscriber {
    /// The connection's handle (kill flag, output-buffer figures).
    pub handle: Arc<ClientHandle>,
    /// Its message channel: RESP2-encoded frames.
    tx: UnboundedSender<Bytes>,
}

/// A connection's own subscriptions (part of [`ClientState`]).
#[derive(Debug, Default)]
pub struct Subscriptions {
    /// Channels (SUBSCRIBE).
    pub channels: HashSet<Bytes>,
    /// Patterns (PSUBSCRIBE).
    pub patterns: HashSet<Bytes>,
    /// Shard channels (SSUBSCRIBE).
    pub shard_channels: HashSet<Bytes>,
    /// This connection as registered with the registry, once it first subscribed.
    subscriber: Option<Arc<Subscriber>>,
    /// The receiving end of the message channel, created with the subscriber; the
    /// connection task takes it (see `connection.rs`).
    pub receiver: Option<UnboundedReceiver<Bytes>>,
}

impl Subscriptions {
    /// True while the client has any subscription (Redis's `CLIENT_PUBSUB` flag).
    pub fn is_subscribed(&self) -> bool {
        !(self.channels.is_empty() && self.patterns.is_empty() && self.shard_channels.is_empty())
    }

    /// The count a (un)subscribe confirmation carries: channels plus patterns for
    /// SUBSCRIBE/PSUBSCRIBE (Redis's `clientSubscriptionsCount`), shard channels for
    /// SSUBSCRIBE (`clientShardSubscriptionsCount`).
    pub fn count(&self, kind: Kind) -> usize {
        match kind {
            Kind::Channel | Kind::Pattern => self.channels.len() + self.patterns.len(),
            Kind::Shard => self.shard_channels.len(),
        }
    }

    /// The set holding subscriptions of `kind`.
    pub fn set(&self, kind: Kind) -> &HashSet<Bytes> {
        match kind {
            Kind::Channel => &self.channels,
            Kind::Pattern => &self.patterns,
            Kind::Shard => &self.shard_channels,
        }
    }

    fn set_mut(&mut self, kind: Kind) -> &mut HashSet<Bytes> {
        match kind {
            Kind::Channel => &mut self.channels,
            Kind::Pattern => &mut self.patterns,
            Kind::Shard => &mut self.shard_channels,
        }
    }
}

/// Names (channels, patterns or shard channels) and their subscribers, in subscription order.
type Table = HashMap<Bytes, Vec<Arc<Subscriber>>>;

/// Every subscription of the server.
#[derive(Debug, Default)]
pub struct PubSub {
    channels: RwLock<Table>,
    patterns: RwLock<Table>,
    shard_channels: RwLock<Table>,
    /// Number of distinct channels / patterns / shard channels, read without a lock.
    channel_count: AtomicUsize,
    pattern_count: AtomicUsize,
    shard_count: AtomicUsize,
    /// Clients with at least one subscription (INFO `pubsub_clients`).
    clients: AtomicUsize,
}

impl PubSub {
    fn table(&self, kind: Kind) -> &RwLock<Table> {
        match kind {
            Kind::Channel => &self.channels,
            Kind::Pattern => &self.patterns,
            Kind::Shard => &self.shard_channels,
        }
    }

    fn counter(&self, kind: Kind) -> &AtomicUsize {
        match kind {
            Kind::Channel => &self.channel_count,
            Kind::Pattern => &self.pattern_count,
            Kind::Shard => &self.shard_count,
        }
    }

    /// Number of distinct names of `kind` with at least one subscriber (INFO
    /// `pubsub_channels`, `pubsub_patterns`, `pubsubshard_channels`; PUBSUB NUMPAT).
    pub fn len(&self, kind: Kind) -> usize {
        self.counter(kind).load(Ordering::Acquire)
    }

    /// True when nothing at all is subscribed.
    pub fn is_empty(&self) -> bool {
        self.len(Kind::Channel) + self.len(Kind::Pattern) + self.len(Kind::Shard) == 0
    }

    /// Number of clients with at least one subscription (INFO `pubsub_clients`).
    pub fn client_count(&self) -> usize {
        self.clients.load(Ordering::Acquire)
    }

    /// The active names of `kind` (channels with subscribers) matching the glob `pattern`
    /// (all when None): PUBSUB CHANNELS / SHARDCHANNELS.
    pub fn names(&self, kind: Kind, pattern: Option<&[u8]>) -> Vec<Bytes> {
        if self.len(kind) == 0 {
            return Vec::new();
        }
        let table = self.table(kind).read();
        table
            .keys()
            .filter(|name| pattern.is_none_or(|p| string_match(p, name, false)))
            .cloned()
            .collect()
    }

    /// Number of subscribers of `name` (PUBSUB NUMSUB / SHARDNUMSUB; patterns not counted).
    pub fn subscribers(&self, kind: Kind, name: &[u8]) -> usize {
        if self.len(kind) == 0 {
            return 0;
        }
        self.table(kind).read().get(name).map_or(0, Vec::len)
    }
}

/// Subscribes `client` to `name` (a channel, pattern or shard channel); false when it
/// already was. Registers the client with the registry on its first subscription.
pub fn subscribe(shared: &Shared, client: &mut ClientState, kind: Kind, name: &Bytes) -> bool {
    if client.pubsub.set(kind).contains(name) {
        return false;
    }
    let was_subscribed = client.pubsub.is_subscribed();
    let sub = message_channel(client);
    let registry = &shared.pubsub;
    {
        let mut table = registry.table(kind).write();
        let subs = table.entry(name.clone()).or_default();
        if subs.is_empty() {
            registry.counter(kind).fetch_add(1, Ordering::AcqRel);
        }
        subs.push(sub);
    }
    client.pubsub.set_mut(kind).insert(name.clone());
    if !was_subscribed {
        registry.clients.fetch_add(1, Ordering::AcqRel);
        client.handle.push.subscribed.store(true, Ordering::Relaxed);
    }
    true
}

/// Unsubscribes `client` from `name`; false when it was not subscribed.
pub fn unsubscribe(shared: &Shared, client: &mut ClientState, kind: Kind, name: &[u8]) -> bool {
    if !client.pubsub.set_mut(kind).remove(name) {
        return false;
    }
    let registry = &shared.pubsub;
    {
        let mut table = registry.table(kind).write();
        if let Some(subs) = table.get_mut(name) {
            subs.retain(|s| s.handle.id != client.id);
            if subs.is_empty() {
                table.remove(name);
                registry.counter(kind).fetch_sub(1, Ordering::AcqRel);
            }
        }
    }
    if !client.pubsub.is_subscribed() {
        registry.clients.fetch_sub(1, Ordering::AcqRel);
        client.handle.push.subscribed.store(false, Ordering::Relaxed);
    }
    true
}

/// The client's message channel (pub/sub messages, tracking invalidations), created on
/// first use: its sender is also left in the client's handle for other threads
/// ([`push_to`]); the connection task takes the receiver after the command.
pub fn message_channel(client: &mut ClientState) -> Arc<Subscriber> {
    if let Some(sub) = &client.pubsub.subscriber {
        return sub.clone();
    }
    let (tx, rx) = unbounded_channel();
    *client.handle.push.tx.lock() = Some(tx.clone());
    let sub = Arc::new(Subscriber { handle: client.handle.clone(), tx });
    client.pubsub.subscriber = Some(sub.clone());
    client.pubsub.receiver = Some(rx);
    sub
}

/// Queues `frame` (a RESP2-encoded array; written with `>` to a RESP3 connection) on the
/// message channel of the connection behind `handle`, counting it against the connection's
/// output-buffer limit (`pubsub` class while subscribed, else `normal`). False when the
/// connection has no message channel.
pub fn push_to(shared: &Shared, handle: &ClientHandle, frame: &Bytes) -> bool {
    let Some(tx) = handle.push.tx.lock().clone() else { return false };
    let class = if handle.push.subscribed.load(Ordering::Relaxed) { 2 } else { 0 };
    let limit = shared.settings.read().client_output_buffer_limits[class];
    deliver_on(shared, handle, &tx, frame, &limit, ferrodis_keyspace::clock::now_ms());
    true
}

/// The subscriptions of `kind` the client has, in no particular order (Redis iterates its
/// dict), for UNSUBSCRIBE / PUNSUBSCRIBE / SUNSUBSCRIBE without arguments.
pub fn subscribed_names(client: &ClientState, kind: Kind) -> Vec<Bytes> {
    client.pubsub.set(kind).iter().cloned().collect()
}

/// Leaves every subscription without replying: RESET and disconnection.
pub fn unsubscribe_all(shared: &Shared, client: &mut ClientState) {
    for kind in [Kind::Channel, Kind::Pattern, Kind::Shard] {
        for name in subscribed_names(client, kind) {
            unsubscribe(shared, client, kind, &name);
        }
    }
}

/// Encodes a pub/sub message as a RESP2 array of bulk strings (`*N\r\n$..`); a RESP3
/// subscriber writes it with `>` in place of the leading `*`.
pub fn encode_frame(parts: &[&[u8]]) -> Bytes {
    let mut out = Vec::with_capacity(16 + parts.iter().map(|p| p.len() + 16).sum::<usize>());
    out.push(b'*');
    out.extend_from_slice(itoa::Buffer::new().format(parts.len()).as_bytes());
    out.extend_from_slice(b"\r\n");
    for p in parts {
        ferrodis_resp::encode::bulk(&mut out, p);
    }
    Bytes::from(out)
}

/// Queues `frame` for `sub` and enforces the `pubsub` output-buffer limit.
fn deliver(
    shared: &Shared,
    sub: &Subscriber,
    frame: &Bytes,
    limit: &ferrodis_config::ObufLimit,
    now_ms: u64,
) {
    deliver_on(shared, &sub.handle, &sub.tx, frame, limit, now_ms)
}

/// Queues `frame` on `tx`, the message channel of `handle`'s connection, and enforces
/// `limit`.
fn deliver_on(
    shared: &Shared,
    handle: &ClientHandle,
    tx: &UnboundedSender<Bytes>,
    frame: &Bytes,
    limit: &ferrodis_config::ObufLimit,
    now_ms: u64,
) {
    if handle.is_killed() {
        return;
    }
    // Count the message before queueing it: the subscriber may take it off the queue (and
    // subtract it) as soon as it is sent.
    let len = frame.len() as u64;
    let ob = &handle.obuf;
    ob.queued_msgs.fetch_add(1, Ordering::Relaxed);
    let queued = ob.queued_bytes.fetch_add(len, Ordering::Relaxed) + len;
    if tx.send(frame.clone()).is_err() {
        ob.queued_msgs.fetch_sub(1, Ordering::Relaxed);
        ob.queued_bytes.fetch_sub(len, Ordering::Relaxed);
        return;
    }
    let used = queued.saturating_add(ob.pending_bytes.load(Ordering::Relaxed));
    if ob.limit_reached(limit, used, now_ms) {
        close_for_output_limit(shared, handle);
    }
}

/// Kills a client over its output-buffer limit, logging as Redis does.
pub fn close_for_output_limit(shared: &Shared, handle: &ClientHandle) {
    if handle.kill.swap(true, Ordering::AcqRel) {
        return;
    }
    handle.wake.notify_one();
    shared.stats.obuf_limit_disconnections.fetch_add(1, Ordering::Relaxed);
    let addr = handle.info.lock().addr.clone();
    crate::log::warning(&format!(
        "Client id={} addr={addr} scheduled to be closed ASAP for overcoming of output buffer limits.",
        handle.id
    ));
}

/// PUBLISH: delivers `message` to the subscribers of `channel` and of every pattern matching
/// it; returns the number of deliveries (Redis's `pubsubPublishMessage`).
pub fn publish(shared: &Shared, channel: &Bytes, message: &Bytes) -> usize {
    let registry = &shared.pubsub;
    let has_channels = registry.len(Kind::Channel) > 0;
    let has_patterns = registry.len(Kind::Pattern) > 0;
    if !has_channels && !has_patterns {
        return 0;
    }
    let limit = shared.settings.read().client_output_buffer_limits[2];
    let now_ms = ferrodis_keyspace::clock::now_ms();
    let mut receivers = 0;
    if has_channels {
        let table = registry.channels.read();
        if let Some(subs) = table.get(channel) {
            let frame = encode_frame(&[b"message", channel, message]);
            for sub in subs {
                deliver(shared, sub, &frame, &limit, now_ms);
            }
            receivers += subs.len();
        }
    }
    if has_patterns {
        let table = registry.patterns.read();
        for (pattern, subs) in table.iter() {
            if !string_match(pattern, channel, false) {
                continue;
            }
            let frame = encode_frame(&[b"pmessage", pattern, channel, message]);
            for sub in subs {
                deliver(shared, sub, &frame, &limit, now_ms);
            }
            receivers += subs.len();
        }
    }
    receivers
}

/// SPUBLISH: delivers `message` to the subscribers of shard channel `channel`; returns their
/// number (patterns never match shard channels).
pub fn spublish(shared: &Shared, channel: &Bytes, message: &Bytes) -> usize {
    let registry = &shared.pubsub;
    if registry.len(Kind::Shard) == 0 {
        return 0;
    }
    let limit = shared.settings.read().client_output_buffer_limits[2];
    let now_ms = ferrodis_keyspace::clock::now_ms();
    let table = registry.shard_channels.read();
    let Some(subs) = table.get(channel) else { return 0 };
    let frame = encode_frame(&[b"smessage", channel, message]);
    for sub in subs {
        deliver(shared, sub, &frame, &limit, now_ms);
    }
    subs.len()
}

#[cfg(test)]
mod tests {
    use super::*;
    use ferrodis_config::ObufLimit;

    #[test]
    fn frames_are_resp2_arrays() {
        assert_eq!(
            &encode_frame(&[b"message", b"ch", b"hi"])[..],
            b"*3\r\n$7\r\nmessage\r\n$2\r\nch\r\n$2\r\nhi\r\n"
        );
    }

    #[test]
    fn soft_limit_needs_its_seconds() {
        let ob = crate::client::OutputBufferState::default();
        let limit = ObufLimit { hard_bytes: 100, soft_bytes: 10, soft_seconds: 2 };
        assert!(!ob.limit_reached(&limit, 5, 1_000));
        assert!(!ob.limit_reached(&limit, 20, 1_000)); // soft clock starts
        assert!(!ob.limit_reached(&limit, 20, 2_500));
        assert!(ob.limit_reached(&limit, 20, 4_000)); // over for more than 2 s
        assert!(!ob.limit_reached(&limit, 5, 4_100)); // back under: clock stops
        assert!(!ob.limit_reached(&limit, 20, 4_200));
        assert!(ob.limit_reached(&limit, 100, 4_200)); // hard limit at once
        let none = ObufLimit { hard_bytes: 0, soft_bytes: 0, soft_seconds: 0 };
        assert!(!ob.limit_reached(&none, u64::MAX / 2, 0));
    }
}
