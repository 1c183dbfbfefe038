//! Client state and the registry of connected clients.
//!
//! [`ClientState`] belongs to the connection task and is handed to handlers through the
//! context. [`ClientHandle`] is the part other clients may see or act on (CLIENT LIST,
//! CLIENT KILL, maxclients), shared through [`ClientRegistry`]. Field names follow the
//! `CLIENT LIST` format of Redis 7.2 (`src/networking.c` `catClientInfoString`), with the
//! fields Valkey 8.1 adds (`capa`, `watch`, `tot-net-in`, `tot-net-out`, `tot-cmds`) where
//! Valkey prints them; nothing Redis prints is renamed, moved or dropped.
//!
//! The registry also holds the MONITOR subscribers: each monitoring connection registers an
//! unbounded channel and its task writes whatever arrives (see `connection.rs`).

use bytes::Bytes;
use ferrodis_resp::RespVersion;
use parking_lot::Mutex;
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use tokio::sync::mpsc::UnboundedSender;
use tokio::sync::Notify;

/// CLIENT REPLY mode.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReplyMode {
    /// Replies are sent (default).
    On,
    /// No replies until CLIENT REPLY ON.
    Off,
    /// The next command's reply is skipped.
    SkipNext,
    /// The current command's reply is skipped (set from SkipNext when a command starts).
    Skip,
}

/// The state of one connection, owned by its task.
#[derive(Debug)]
pub struct ClientState {
    /// Unique id (CLIENT ID), increasing from 1.
    pub id: u64,
    /// Selected database.
    pub db: usize,
    /// Negotiated protocol.
    pub resp: RespVersion,
    /// CLIENT SETNAME value.
    pub name: Option<Bytes>,
    /// CLIENT SETINFO LIB-NAME value.
    pub lib_name: Option<Bytes>,
    /// CLIENT SETINFO LIB-VER value.
    pub lib_ver: Option<Bytes>,
    /// Set when the name, user or library fields changed since [`Self::publish_info`] last
    /// copied them (see [`Self::mark_identity_changed`]): the per-batch publish then skips
    /// the string comparisons.
    pub identity_changed: std::cell::Cell<bool>,
    /// True once AUTH/HELLO AUTH succeeded, or when no password is required.
    pub authenticated: bool,
    /// Authenticated user name.
    pub user: String,
    /// Close the connection once the current replies are written (QUIT, protocol errors).
    pub close_after_reply: bool,
    /// CLIENT REPLY mode.
    pub reply_mode: ReplyMode,
    /// CLIENT NO-EVICT flag.
    pub no_evict: bool,
    /// CLIENT NO-TOUCH flag.
    pub no_touch: bool,
    /// Peer address `ip:port` (or `path:0` style for Unix sockets, as Redis prints them).
    pub addr: String,
    /// Local address.
    pub laddr: String,
    /// Socket file descriptor (for CLIENT LIST's `fd=`).
    pub fd: i64,
    /// Unix milliseconds when the connection was accepted.
    pub created_ms: u64,
    /// Unix milliseconds of the last command.
    pub last_interaction_ms: u64,
    /// When the previous command of the current batch ended: the next command's start, so a
    /// command reads the clock once (at its end) instead of twice. Cleared whenever the
    /// connection stops executing (end of a batch), so it is never older than the batch.
    pub clock_hint: Option<std::time::Instant>,
    /// Table id of the last command (resolved to `client|list` style names by the table).
    pub last_cmd: Option<usize>,
    /// True for a Unix-socket client.
    pub is_unix: bool,
    /// Set by MONITOR.
    pub monitor: bool,
    /// Bytes read from the socket so far (`tot-net-in`), counted when read, before the
    /// commands they hold run.
    pub tot_net_in: u64,
    /// Bytes written to the socket so far (`tot-net-out`).
    pub tot_net_out: u64,
    /// Commands executed so far (`tot-cmds`): those that reached their handler, as Valkey's
    /// `commands_processed` counts them in `call()`.
    pub tot_cmds: u64,
    /// Shared handle for other clients.
    pub handle: Arc<ClientHandle>,
    /// While parked by a blocking command: the command to re-run and when to give up.
    pub blocked: Option<Blocked>,
    /// Blocking commands must not block (inside MULTI/EXEC or a script).
    pub deny_blocking: bool,
    /// A script (EVAL, FCALL and their `_RO` forms) is running the commands (Redis's
    /// `CLIENT_SCRIPT` on the script's fake client): SORT then orders what it would not.
    pub in_script: bool,
    /// The error reply of the command being run was already counted in errorstats (a script
    /// passing on the error of a failed `redis.call`, Redis's `ERR_REPLY_FLAG_NO_STATS_UPDATE`):
    /// the call still counts as failed, the error is not counted twice. Reset after each call.
    pub error_already_counted: bool,
    /// The open transaction (after MULTI).
    pub multi: Option<crate::multi::MultiState>,
    /// Keys this client WATCHes.
    pub watched: Vec<crate::multi::WatchedKey>,
    /// Pub/sub subscriptions (SUBSCRIBE, PSUBSCRIBE, SSUBSCRIBE) and the message channel.
    pub pubsub: crate::pubsub::Subscriptions,
    /// CLIENT TRACKING state while it is on (the shared tables hold the rest; see
    /// `crate::tracking`).
    pub tracking: Option<ClientTracking>,
}

/// What a tracking client's own commands need to know about its tracking mode.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ClientTracking {
    /// BCAST mode: reads are not remembered.
    pub bcast: bool,
    /// OPTIN mode: reads are remembered only after CLIENT CACHING yes.
    pub optin: bool,
    /// OPTOUT mode: reads are remembered unless CLIENT CACHING no came first.
    pub optout: bool,
    /// CLIENT CACHING yes (OPTIN) or no (OPTOUT) applies to the next command
    /// (`CLIENT_TRACKING_CACHING`).
    pub caching: bool,
    /// The REDIRECT target (0: none), for CLIENT GETREDIR and CLIENT LIST `redir=`.
    pub redirect: u64,
}

impl ClientTracking {
    /// True when the next read-only command's keys are to be remembered
    /// (`trackingRememberKeys`'s OPTIN/OPTOUT test).
    pub fn remembers(&self) -> bool {
        let opted_out = (self.optin && !self.caching) || (self.optout && self.caching);
        !(self.bcast || opted_out)
    }
}

/// A client parked by a blocking command (BLPOP ...).
#[derive(Debug, Clone)]
pub struct Blocked {
    /// The command, re-run when one of its keys is written.
    pub argv: Vec<Bytes>,
    /// Unix milliseconds at which it times out, 0 = never.
    pub deadline_ms: u64,
}

/// What other clients may see of, or do to, a connection.
#[derive(Debug)]
pub struct ClientHandle {
    /// CLIENT ID.
    pub id: u64,
    /// Set to ask the connection to close (CLIENT KILL, maxclients, SHUTDOWN).
    pub kill: AtomicBool,
    /// Wakes the connection task after `kill` is set or a message is queued.
    pub wake: Notify,
    /// Snapshot for CLIENT LIST, refreshed by the connection after each batch.
    pub info: Mutex<ClientInfo>,
    /// Unix milliseconds of the last command, for `idle=` and the idle timeout.
    pub last_interaction_ms: AtomicU64,
    /// A key this client WATCHes was written (Redis's `CLIENT_DIRTY_CAS`): its EXEC fails.
    pub dirty_cas: AtomicBool,
    /// Output-buffer accounting for `client-output-buffer-limit`.
    pub obuf: OutputBufferState,
    /// What other connections need to push messages to this one (pub/sub, tracking).
    pub push: PushState,
}

/// The parts of a connection that other threads read to send it out-of-band messages:
/// pub/sub messages and client-side-caching invalidations (see `crate::tracking`).
#[derive(Debug, Default)]
pub struct PushState {
    /// The sending end of the connection's message channel, once it has one (its first
    /// subscription, or CLIENT TRACKING ON).
    pub tx: Mutex<Option<tokio::sync::mpsc::UnboundedSender<Bytes>>>,
    /// The connection speaks RESP3 (HELLO 3): invalidations go to it as push frames.
    pub resp3: AtomicBool,
    /// The connection has a subscription (Redis's `CLIENT_PUBSUB`): in RESP2 it can receive
    /// redirected invalidations as `__redis__:invalidate` messages.
    pub subscribed: AtomicBool,
    /// Its tracking redirection target has gone away (`CLIENT_TRACKING_BROKEN_REDIR`).
    pub tracking_broken: AtomicBool,
}

/// A client's output-buffer figures, shared between its connection (which drains and
/// writes) and publishers (which queue pub/sub messages for it without waiting).
#[derive(Debug, Default)]
pub struct OutputBufferState {
    /// Bytes of pub/sub messages queued for the connection and not yet in its output buffer.
    pub queued_bytes: AtomicU64,
    /// Number of those messages (CLIENT LIST `oll=`).
    pub queued_msgs: AtomicU64,
    /// Unsent bytes in the connection's output buffer.
    pub pending_bytes: AtomicU64,
    /// Unix milliseconds since which the soft limit has been exceeded (0 = it is not), as
    /// Redis's `obuf_soft_limit_reached_time`.
    pub soft_since_ms: AtomicU64,
}

impl OutputBufferState {
    /// Total bytes waiting to reach the socket.
    pub fn total(&self) -> u64 {
        self.queued_bytes
            .load(Ordering::Relaxed)
            .saturating_add(self.pending_bytes.load(Ordering::Relaxed))
    }

    /// Redis's `checkClientOutputBufferLimits`: true when `used` bytes exceed the hard limit,
    /// or have exceeded the soft limit for more than its seconds (the soft-limit clock starts
    /// the first time it is exceeded and stops when usage falls back under it). A limit of 0
    /// is no limit.
    pub fn limit_reached(
        &self,
        limit: &ferrodis_config::ObufLimit,
        used: u64,
        now_ms: u64,
    ) -> bool {
        let hard = limit.hard_bytes != 0 && used >= limit.hard_bytes;
        let mut soft = limit.soft_bytes != 0 && used >= limit.soft_bytes;
        if soft {
            let since = self.soft_since_ms.load(Ordering::Relaxed);
            if since == 0 {
                self.soft_since_ms.store(now_ms.max(1), Ordering::Relaxed);
                soft = false;
            } else {
                let elapsed_secs = now_ms.saturating_sub(since) / 1000;
                if elapsed_secs as i64 <= limit.soft_seconds {
                    soft = false;
                }
            }
        } else {
            self.soft_since_ms.store(0, Ordering::Relaxed);
        }
        hard || soft
    }
}

/// A client's CLIENT LIST fields as last published by its connection.
#[derive(Debug, Clone, Default)]
pub struct ClientInfo {
    pub addr: String,
    pub laddr: String,
    pub fd: i64,
    pub name: String,
    pub created_ms: u64,
    pub db: usize,
    pub last_cmd: Option<usize>,
    pub resp: u8,
    /// CLIENT LIST `redir=`: the tracking redirection (0 without one), -1 with tracking off.
    pub redir: i64,
    pub user: String,
    pub lib_name: String,
    pub lib_ver: String,
    pub flags: String,
    pub qbuf: usize,
    pub qbuf_free: usize,
    pub omem: usize,
    pub tot_mem: usize,
    pub multi: i64,
    pub watch: usize,
    pub monitor: bool,
    pub no_evict: bool,
    pub no_touch: bool,
    pub tot_net_in: u64,
    pub tot_net_out: u64,
    pub tot_cmds: u64,
    /// Channels subscribed with SUBSCRIBE (`sub=`).
    pub sub: usize,
    /// Patterns subscribed with PSUBSCRIBE (`psub=`).
    pub psub: usize,
    /// Shard channels subscribed with SSUBSCRIBE (`ssub=`).
    pub ssub: usize,
    /// Output buffer: bytes in the "static" part (`obl=`), queued messages (`oll=`).
    pub obl: usize,
    pub oll: usize,
}

impl ClientHandle {
    /// The client's CLIENT LIST fields: the last published snapshot with the output-buffer
    /// figures as they are now (`obl`, `oll`, `omem`).
    pub fn snapshot(&self) -> ClientInfo {
        let mut info = self.info.lock().clone();
        let pending = self.obuf.pending_bytes.load(Ordering::Relaxed) as usize;
        info.obl = pending.min(16 * 1024);
        info.oll = self.obuf.queued_msgs.load(Ordering::Relaxed) as usize;
        info.omem = (self.obuf.queued_bytes.load(Ordering::Relaxed) as usize)
            .saturating_add(pending - info.obl);
        info
    }

    /// Asks the connection to close.
    pub fn kill(&self) {
        self.kill.store(true, Ordering::Release);
        self.wake.notify_one();
    }

    /// True once killed.
    pub fn is_killed(&self) -> bool {
        self.kill.load(Ordering::Acquire)
    }

    /// Marks the client's watched keys as modified (its next EXEC fails).
    pub fn mark_dirty_cas(&self) {
        self.dirty_cas.store(true, Ordering::Release);
    }
}

/// Every connected client, by id.
#[derive(Debug, Default)]
pub struct ClientRegistry {
    next_id: AtomicU64,
    clients: Mutex<BTreeMap<u64, Arc<ClientHandle>>>,
    /// Total connections accepted (`total_connections_received`).
    pub total_connections: AtomicU64,
    /// Connections refused for maxclients (`rejected_connections`).
    pub rejected_connections: AtomicU64,
    /// MONITOR subscribers: client id and the channel its connection drains.
    monitors: Mutex<Vec<(u64, UnboundedSender<Bytes>)>>,
    /// Number of MONITOR subscribers, read without the lock on every command.
    monitor_count: AtomicU64,
}

impl ClientRegistry {
    /// Allocates the next client id (starting at 1).
    pub fn next_id(&self) -> u64 {
        self.next_id.fetch_add(1, Ordering::Relaxed) + 1
    }

    /// Registers a client.
    pub fn register(&self, handle: Arc<ClientHandle>) {
        self.total_connections.fetch_add(1, Ordering::Relaxed);
        self.clients.lock().insert(handle.id, handle);
    }

    /// Removes a client.
    pub fn unregister(&self, id: u64) {
        self.clients.lock().remove(&id);
    }

    /// Number of connected clients.
    pub fn len(&self) -> usize {
        self.clients.lock().len()
    }

    /// True when no client is connected.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Handles of all clients, in id order.
    pub fn all(&self) -> Vec<Arc<ClientHandle>> {
        self.clients.lock().values().cloned().collect()
    }

    /// One client by id.
    pub fn get(&self, id: u64) -> Option<Arc<ClientHandle>> {
        self.clients.lock().get(&id).cloned()
    }

    /// Adds a MONITOR subscriber.
    pub fn add_monitor(&self, id: u64, tx: UnboundedSender<Bytes>) {
        let mut m = self.monitors.lock();
        m.retain(|(i, _)| *i != id);
        m.push((id, tx));
        self.monitor_count.store(m.len() as u64, Ordering::Release);
    }

    /// Removes a MONITOR subscriber (RESET, disconnect).
    pub fn remove_monitor(&self, id: u64) {
        let mut m = self.monitors.lock();
        m.retain(|(i, _)| *i != id);
        self.monitor_count.store(m.len() as u64, Ordering::Release);
    }

    /// True when at least one client is in MONITOR mode.
    #[inline]
    pub fn has_monitors(&self) -> bool {
        self.monitor_count.load(Ordering::Acquire) > 0
    }

    /// Sends one formatted MONITOR line (`+<time> [<db> <addr>] "arg" ...\r\n`) to every
    /// subscriber; subscribers whose connection is gone are dropped.
    pub fn feed_monitors(&self, line: Bytes) {
        let mut m = self.monitors.lock();
        m.retain(|(_, tx)| tx.send(line.clone()).is_ok());
        self.monitor_count.store(m.len() as u64, Ordering::Release);
    }
}

/// The client type names CLIENT LIST TYPE and CLIENT KILL TYPE accept (Redis's
/// `getClientTypeByName`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClientType {
    Normal,
    Replica,
    PubSub,
    Master,
}

impl ClientType {
    /// Parses a type name, case-insensitively (`slave` and `replica` are the same).
    pub fn from_name(name: &[u8]) -> Option<ClientType> {
        let lower = name.to_ascii_lowercase();
        match lower.as_slice() {
            b"normal" => Some(ClientType::Normal),
            b"slave" | b"replica" => Some(ClientType::Replica),
            b"pubsub" => Some(ClientType::PubSub),
            b"master" => Some(ClientType::Master),
            _ => None,
        }
    }
}

impl ClientInfo {
    /// The client's type: `pubsub` while it has a subscription (Redis's `CLIENT_PUBSUB`),
    /// else `normal` (a MONITOR client is `normal` in Redis too).
    pub fn client_type(&self) -> ClientType {
        if self.sub + self.psub + self.ssub > 0 {
            ClientType::PubSub
        } else {
            ClientType::Normal
        }
    }

    /// One CLIENT LIST line (without the newline): Redis 7.2's fields in Redis's order, with
    /// Valkey 8.1's additions where Valkey puts them (`capa` after `flags`, `watch` after
    /// `multi`, `tot-net-in`, `tot-net-out` and `tot-cmds` at the end). `fullnames`
    /// resolves the last command's table id; `now_ms` gives `age` and `idle`;
    /// `last_interaction_ms` is the handle's idle clock; `argv_mem` is the size of the
    /// command being executed (non-zero only for the caller).
    pub fn render(
        &self,
        id: u64,
        now_ms: u64,
        last_interaction_ms: u64,
        fullnames: &[String],
        argv_mem: usize,
    ) -> String {
        let cmd = self.last_cmd.and_then(|i| fullnames.get(i)).map_or("NULL", String::as_str);
        let age = now_ms.saturating_sub(self.created_ms) / 1000;
        let idle = now_ms.saturating_sub(last_interaction_ms) / 1000;
        let rbs = 1024usize;
        let tot_mem = self.qbuf + self.qbuf_free + argv_mem + rbs + self.obl + self.omem + 1024;
        format!(
            "id={id} addr={} laddr={} fd={} name={} age={age} idle={idle} flags={} capa= db={} sub={} psub={} ssub={} multi={} watch={} qbuf={} qbuf-free={} argv-mem={argv_mem} multi-mem=0 rbs={rbs} rbp=0 obl={} oll={} omem={} tot-mem={tot_mem} events=r cmd={cmd} user={} redir={} resp={} lib-name={} lib-ver={} tot-net-in={} tot-net-out={} tot-cmds={}",
            self.addr,
            self.laddr,
            self.fd,
            self.name,
            self.flags,
            self.db,
            self.sub,
            self.psub,
            self.ssub,
            self.multi,
            self.watch,
            self.qbuf,
            self.qbuf_free,
            self.obl,
            self.oll,
            self.omem,
            self.user,
            self.redir,
            self.resp,
            self.lib_name,
            self.lib_ver,
            self.tot_net_in,
            self.tot_net_out,
            self.tot_cmds,
        )
    }
}

impl ClientState {
    /// The flags letters of CLIENT LIST (`N` for none).
    pub fn flags_string(&self) -> String {
        let (buf, len) = self.flags_buf();
        String::from_utf8_lossy(&buf[..len]).into_owned()
    }

    /// The CLIENT LIST flag letters without allocating: (letters, count).
    fn flags_buf(&self) -> ([u8; 12], usize) {
        let mut buf = [0u8; 12];
        let mut len = 0;
        // Redis's order (`getClientInfoString`).
        let tracking = self.tracking.is_some();
        for (on, letter) in [
            (self.monitor, b'O'),
            (self.pubsub.is_subscribed(), b'P'),
            (self.multi.is_some(), b'x'),
            (self.blocked.is_some(), b'b'),
            (tracking, b't'),
            (tracking && self.handle.push.tracking_broken.load(Ordering::Relaxed), b'R'),
            (self.tracking.is_some_and(|t| t.bcast), b'B'),
            (self.handle.dirty_cas.load(Ordering::Relaxed) && !self.watched.is_empty(), b'd'),
            (self.close_after_reply, b'c'),
            (self.is_unix, b'U'),
            (self.no_evict, b'e'),
            (self.no_touch, b'T'),
        ] {
            if on {
                buf[len] = letter;
                len += 1;
            }
        }
        if len == 0 {
            buf[0] = b'N';
            len = 1;
        }
        (buf, len)
    }

    /// Records that the name, user, address or library fields changed, for the next
    /// [`Self::publish_info`]. Every command that assigns one of them calls this.
    pub fn mark_identity_changed(&self) {
        self.identity_changed.set(true);
    }

    /// Publishes the fields other clients read (CLIENT LIST) into the shared handle.
    pub fn publish_info(&self, qbuf: usize, qbuf_free: usize) {
        // Runs after every batch: copy only what changed, and never allocate when nothing did.
        fn sync(dst: &mut String, src: Option<&Bytes>) {
            let src: &[u8] = src.map_or(b"", |b| b);
            if dst.as_bytes() != src {
                *dst = String::from_utf8_lossy(src).into_owned();
            }
        }
        let mut info = self.handle.info.lock();
        if self.identity_changed.replace(false) {
            if info.addr != self.addr {
                info.addr.clone_from(&self.addr);
            }
            if info.laddr != self.laddr {
                info.laddr.clone_from(&self.laddr);
            }
            sync(&mut info.name, self.name.as_ref());
            if info.user != self.user {
                info.user.clone_from(&self.user);
            }
            sync(&mut info.lib_name, self.lib_name.as_ref());
            sync(&mut info.lib_ver, self.lib_ver.as_ref());
        }
        info.fd = self.fd;
        info.created_ms = self.created_ms;
        info.db = self.db;
        info.last_cmd = self.last_cmd;
        info.resp = if self.resp == RespVersion::Resp3 { 3 } else { 2 };
        info.redir = self.tracking.map_or(-1, |t| t.redirect as i64);
        let (flags, len) = self.flags_buf();
        if info.flags.as_bytes() != &flags[..len] {
            info.flags = String::from_utf8_lossy(&flags[..len]).into_owned();
        }
        info.multi = self.multi.as_ref().map_or(-1, |m| m.queued.len() as i64);
        info.watch = self.watched.len();
        info.qbuf = qbuf;
        info.qbuf_free = qbuf_free;
        info.monitor = self.monitor;
        info.no_evict = self.no_evict;
        info.no_touch = self.no_touch;
        info.tot_net_in = self.tot_net_in;
        info.tot_net_out = self.tot_net_out;
        info.tot_cmds = self.tot_cmds;
        info.sub = self.pubsub.channels.len();
        info.psub = self.pubsub.patterns.len();
        info.ssub = self.pubsub.shard_channels.len();
        self.handle.last_interaction_ms.store(self.last_interaction_ms, Ordering::Relaxed);
    }

    /// Publishes the current state keeping the last query-buffer figures, so that CLIENT
    /// LIST and CLIENT INFO show the caller as it is now (its name, db, last command).
    pub fn refresh_info(&self) {
        let (qbuf, qbuf_free) = {
            let info = self.handle.info.lock();
            (info.qbuf, info.qbuf_free)
        };
        self.publish_info(qbuf, qbuf_free);
    }

    /// True when the peer is on this host: a Unix socket or a loopback address (Redis's
    /// `islocalClient`, used by `enable-debug-command local`).
    pub fn is_local(&self) -> bool {
        self.is_unix
            || self.addr.starts_with("127.")
            || self.addr.starts_with("[::1]")
            || self.addr.starts_with("::1")
    }
}
