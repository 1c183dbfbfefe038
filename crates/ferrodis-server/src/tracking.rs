//! Client-side caching: CLIENT TRACKING and its invalidation messages, following Redis 7.2's
//! `tracking.c` and <https://redis.io/docs/latest/develop/reference/client-side-caching/>.
//!
//! - **Default mode**: the keys a tracking client reads (read-only commands, and the
//!   read-only commands scripts and transactions run for it) are remembered in the key table
//!   (key → client ids). The first write to such a key sends each of those clients one
//!   `invalidate [key]` message and forgets the key (the client must read it again to be told
//!   again). OPTIN / OPTOUT with CLIENT CACHING yes / no choose per command.
//! - **BCAST mode**: no key table; the client registers prefixes (the empty prefix: every
//!   key) and gets every written key that starts with one of them. Keys written by one
//!   command are collected per prefix and sent together when the command ends (Redis sends
//!   them in `beforeSleep`), one message per prefix.
//! - **Delivery**: RESP3 connections get a push frame `>2 invalidate <keys>`; with REDIRECT,
//!   the target connection gets it, as a push when it speaks RESP3 and as a pub/sub message
//!   on `__redis__:invalidate` when it is a subscribed RESP2 connection. A vanished target
//!   marks the client `broken_redirect` and, in RESP3, sends it `tracking-redir-broken <id>`.
//!   FLUSHDB / FLUSHALL send every tracking client `invalidate` with a null key list.
//!   Messages travel on the connection's message channel, so a client's own invalidations
//!   always follow the reply of the command that caused them.
//! - NOLOOP: writes by the client itself are not reported to it.
//! - `tracking-table-max-keys`: beyond it, keys are dropped from the table (their clients are
//!   sent an invalidation) until it fits.
//!
//! Every write reaches [`Tracking::invalidate_key`] through the keyspace's single write hook
//! (`Ctx::signal_key`); when no client tracks anything, that is one atomic load.

use crate::client::ClientHandle;
use crate::server::Shared;
use bytes::Bytes;
use parking_lot::Mutex;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;

/// The options of CLIENT TRACKING ON (`CLIENT_TRACKING_*` flags).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Options {
    /// REDIRECT target client id; 0 for none (invalidations go to the client itself).
    pub redirect: u64,
    /// BCAST: prefix broadcasting instead of the key table.
    pub bcast: bool,
    /// OPTIN: only reads after CLIENT CACHING yes are remembered.
    pub optin: bool,
    /// OPTOUT: reads after CLIENT CACHING no are not remembered.
    pub optout: bool,
    /// NOLOOP: no invalidations for the client's own writes.
    pub noloop: bool,
}

/// A tracking client as the shared tables know it.
#[derive(Debug)]
struct Tracked {
    handle: Arc<ClientHandle>,
    options: Options,
    /// BCAST prefixes, sorted (Redis keeps them in a radix tree).
    prefixes: BTreeSet<Bytes>,
}

/// One BCAST prefix: its clients, and the keys written since the last broadcast with the
/// client that wrote each (for NOLOOP; `None` for expiry and eviction).
#[derive(Debug, Default)]
struct Prefix {
    clients: BTreeSet<u64>,
    pending: BTreeMap<Bytes, Option<u64>>,
}

#[derive(Debug, Default)]
struct Inner {
    /// Key table: key → ids of the clients that may cache it.
    keys: HashMap<Bytes, HashSet<u64>>,
    /// Sum of the id-set sizes (INFO `tracking_total_items`).
    items: usize,
    /// BCAST prefixes (INFO `tracking_total_prefixes`).
    prefixes: BTreeMap<Bytes, Prefix>,
    /// Clients with tracking on.
    clients: HashMap<u64, Tracked>,
}

/// The server's tracking state (part of `Shared`).
#[derive(Debug, Default)]
pub struct Tracking {
    inner: Mutex<Inner>,
    /// Number of clients with tracking on (INFO `tracking_clients`).
    clients: AtomicUsize,
    /// True while the key table or the prefix table is not empty: writes check it.
    active: AtomicBool,
    /// BCAST keys are waiting to be sent.
    pending: AtomicBool,
}

/// A message about to be sent, once the tracking lock is released.
enum Outgoing {
    /// A ready frame for this connection.
    Direct(Arc<ClientHandle>, Bytes),
    /// An invalidation of `origin` to its redirection target `target`, encoded when sent
    /// (the frame depends on the target's protocol, and the target may have gone away).
    Redirect { origin: Arc<ClientHandle>, target: u64, keys_part: Vec<u8> },
}

/// INFO figures: (tracking_clients, tracking_total_keys, tracking_total_items,
/// tracking_total_prefixes).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TrackingInfo {
    pub clients: usize,
    pub keys: usize,
    pub items: usize,
    pub prefixes: usize,
}

/// Error texts of CLIENT TRACKING ON (Redis's `clientCommand`).
pub mod errors {
    pub const PREFIX_NEEDS_BCAST: &str = "ERR PREFIX option requires BCAST mode to be enabled";
    pub const BCAST_SWITCH: &str = "ERR You can't switch BCAST mode on/off before disabling tracking for this client, and then re-enabling it with a different mode.";
    pub const BCAST_OPTIN: &str = "ERR OPTIN and OPTOUT are not compatible with BCAST";
    pub const BOTH_OPTS: &str = "ERR You can't use both OPTIN and OPTOUT";
    pub const OPT_SWITCH: &str = "ERR You can't switch OPTIN/OPTOUT mode before disabling tracking for this client, and then re-enabling it with a different mode.";
}

/// True when one of `a` and `b` is a prefix of the other (`stringCheckPrefix`).
fn overlaps(a: &[u8], b: &[u8]) -> bool {
    let n = a.len().min(b.len());
    a[..n] == b[..n]
}

impl Tracking {
    /// True while some client tracks keys or prefixes: only then do writes look further.
    #[inline]
    pub fn is_active(&self) -> bool {
        self.active.load(Ordering::Relaxed)
    }

    /// Number of clients with tracking on.
    pub fn client_count(&self) -> usize {
        self.clients.load(Ordering::Relaxed)
    }

    /// The INFO figures.
    pub fn info(&self) -> TrackingInfo {
        let inner = self.inner.lock();
        TrackingInfo {
            clients: self.client_count(),
            keys: inner.keys.len(),
            items: inner.items,
            prefixes: inner.prefixes.len(),
        }
    }

    fn refresh_active(&self, inner: &Inner) {
        self.active.store(!inner.keys.is_empty() || !inner.prefixes.is_empty(), Ordering::Relaxed);
    }

    /// The options and sorted prefixes of client `id`, when its tracking is on.
    pub fn options_of(&self, id: u64) -> Option<(Options, Vec<Bytes>)> {
        let inner = self.inner.lock();
        inner.clients.get(&id).map(|t| (t.options.clone(), t.prefixes.iter().cloned().collect()))
    }

    /// CLIENT TRACKING ON for the client behind `handle` (options already validated against
    /// each other): checks the prefixes for overlaps with each other and with the client's
    /// current ones, then enables tracking (Redis's `enableTracking`). A client already in
    /// BCAST mode keeps its prefixes and adds the new ones. Errors: Redis's exact texts.
    pub fn enable(
        &self,
        handle: &Arc<ClientHandle>,
        options: Options,
        prefixes: &[Bytes],
    ) -> Result<(), String> {
        let mut inner = self.inner.lock();
        if options.bcast {
            let current = inner.clients.get(&handle.id).map(|t| &t.prefixes);
            for (i, p) in prefixes.iter().enumerate() {
                if let Some(existing) = current.and_then(|c| c.iter().find(|e| overlaps(e, p))) {
                    return Err(format!(
                        "ERR Prefix '{}' overlaps with an existing prefix '{}'. Prefixes for a single client must not overlap.",
                        String::from_utf8_lossy(p),
                        String::from_utf8_lossy(existing)
                    ));
                }
                if let Some(other) = prefixes[i + 1..].iter().find(|o| overlaps(p, o)) {
                    return Err(format!(
                        "ERR Prefix '{}' overlaps with another provided prefix '{}'. Prefixes for a single client must not overlap.",
                        String::from_utf8_lossy(p),
                        String::from_utf8_lossy(other)
                    ));
                }
            }
        }
        let id = handle.id;
        let entry = inner.clients.entry(id).or_insert_with(|| {
            self.clients.fetch_add(1, Ordering::Relaxed);
            Tracked {
                handle: handle.clone(),
                options: Options::default(),
                prefixes: BTreeSet::new(),
            }
        });
        entry.options = options.clone();
        handle.push.tracking_broken.store(false, Ordering::Relaxed);
        let mut added = Vec::new();
        if options.bcast {
            let wanted: Vec<Bytes> =
                if prefixes.is_empty() { vec![Bytes::new()] } else { prefixes.to_vec() };
            for p in wanted {
                if entry.prefixes.insert(p.clone()) {
                    added.push(p);
                }
            }
        }
        for p in added {
            inner.prefixes.entry(p).or_default().clients.insert(id);
        }
        self.refresh_active(&inner);
        Ok(())
    }

    /// CLIENT TRACKING OFF, RESET and disconnection (Redis's `disableTracking`): leaves the
    /// prefixes; the client's entries in the key table are dropped lazily.
    pub fn disable(&self, id: u64) {
        let mut inner = self.inner.lock();
        let Some(tracked) = inner.clients.remove(&id) else { return };
        self.clients.fetch_sub(1, Ordering::Relaxed);
        tracked.handle.push.tracking_broken.store(false, Ordering::Relaxed);
        for p in &tracked.prefixes {
            if let Some(prefix) = inner.prefixes.get_mut(p) {
                prefix.clients.remove(&id);
                if prefix.clients.is_empty() {
                    inner.prefixes.remove(p);
                }
            }
        }
        self.refresh_active(&inner);
    }

    /// Remembers that client `id` (tracking on, default mode) read `keys`
    /// (`trackingRememberKeys`), then trims the table to `max_keys` (0: no limit).
    pub fn remember(&self, shared: &Shared, id: u64, keys: &[&[u8]], max_keys: usize) {
        let mut out = Vec::new();
        {
            let mut inner = self.inner.lock();
            for &key in keys {
                let ids = inner.keys.entry(Bytes::copy_from_slice(key)).or_default();
                if ids.insert(id) {
                    inner.items += 1;
                }
            }
            if max_keys > 0 {
                self.trim(&mut inner, max_keys, &mut out);
            }
            self.refresh_active(&inner);
        }
        send_all(shared, out);
    }

    /// Enforces `tracking-table-max-keys` now (CONFIG SET), sending invalidations for the keys
    /// dropped.
    pub fn limit(&self, shared: &Shared, max_keys: usize) {
        if max_keys == 0 {
            return;
        }
        let mut out = Vec::new();
        {
            let mut inner = self.inner.lock();
            self.trim(&mut inner, max_keys, &mut out);
            self.refresh_active(&inner);
        }
        send_all(shared, out);
    }

    /// Drops keys (arbitrary ones, as Redis's random walk) until the table holds `max_keys`,
    /// queueing an invalidation to each of their clients (`trackingLimitUsedSlots`).
    fn trim(&self, inner: &mut Inner, max_keys: usize, out: &mut Vec<Outgoing>) {
        while inner.keys.len() > max_keys {
            let Some(key) = inner.keys.keys().next().cloned() else { break };
            self.invalidate_locked(inner, &key, None, out);
        }
    }

    /// A write to `key` by client `writer` (`None`: expiry or eviction): invalidates the
    /// clients that read it, and queues it for BCAST prefixes that match
    /// (`trackingInvalidateKey`).
    pub fn invalidate_key(&self, shared: &Shared, key: &[u8], writer: Option<u64>) {
        if !self.is_active() {
            return;
        }
        let mut out = Vec::new();
        {
            let mut inner = self.inner.lock();
            let mut queued = false;
            for (p, prefix) in inner.prefixes.iter_mut() {
                if key.starts_with(p) {
                    prefix.pending.insert(Bytes::copy_from_slice(key), writer);
                    queued = true;
                }
            }
            if queued {
                self.pending.store(true, Ordering::Relaxed);
            }
            self.invalidate_locked(&mut inner, key, writer, &mut out);
            self.refresh_active(&inner);
        }
        send_all(shared, out);
    }

    fn invalidate_locked(
        &self,
        inner: &mut Inner,
        key: &[u8],
        writer: Option<u64>,
        out: &mut Vec<Outgoing>,
    ) {
        let Some(ids) = inner.keys.remove(key) else { return };
        inner.items -= ids.len();
        let mut ids: Vec<u64> = ids.into_iter().collect();
        ids.sort_unstable();
        for id in ids {
            let Some(target) = inner.clients.get(&id) else { continue };
            if target.options.bcast || (target.options.noloop && writer == Some(id)) {
                continue;
            }
            message_for(target, &keys_array(&[key]), out);
        }
    }

    /// Sends the BCAST keys collected since the last call, one message per prefix and client
    /// (`trackingBroadcastInvalidationMessages`). Called when a command ends.
    pub fn broadcast(&self, shared: &Shared) {
        // A load first: the swap writes the flag's cache line, which every command of every
        // thread would otherwise bounce between cores.
        if !self.pending.load(Ordering::Relaxed) || !self.pending.swap(false, Ordering::Relaxed) {
            return;
        }
        let mut out = Vec::new();
        {
            let mut inner = self.inner.lock();
            let Inner { prefixes, clients, .. } = &mut *inner;
            for prefix in prefixes.values_mut() {
                if prefix.pending.is_empty() {
                    continue;
                }
                let pending = std::mem::take(&mut prefix.pending);
                let all: Vec<&[u8]> = pending.keys().map(|k| &k[..]).collect();
                let common = keys_array(&all);
                for id in &prefix.clients {
                    let Some(target) = clients.get(id) else { continue };
                    if target.options.noloop {
                        let own: Vec<&[u8]> = pending
                            .iter()
                            .filter(|(_, w)| **w != Some(*id))
                            .map(|(k, _)| &k[..])
                            .collect();
                        if !own.is_empty() {
                            message_for(target, &keys_array(&own), &mut out);
                        }
                    } else {
                        message_for(target, &common, &mut out);
                    }
                }
            }
        }
        send_all(shared, out);
    }

    /// FLUSHDB / FLUSHALL: every tracking client gets `invalidate` with a null key list, and
    /// the key table is emptied (`trackingInvalidateKeysOnFlush`).
    pub fn invalidate_all(&self, shared: &Shared) {
        if self.client_count() == 0 && !self.is_active() {
            return;
        }
        let mut out = Vec::new();
        {
            let mut inner = self.inner.lock();
            let mut ids: Vec<u64> = inner.clients.keys().copied().collect();
            ids.sort_unstable();
            for id in ids {
                if let Some(target) = inner.clients.get(&id) {
                    // The tracking client's own null (`shared.null[c->resp]`).
                    let null: &[u8] = if target.handle.push.resp3.load(Ordering::Relaxed) {
                        b"_\r\n"
                    } else {
                        b"$-1\r\n"
                    };
                    message_for(target, null, &mut out);
                }
            }
            inner.keys.clear();
            inner.items = 0;
            self.refresh_active(&inner);
        }
        send_all(shared, out);
    }
}

/// `*N\r\n$len\r\nkey\r\n...`: the key list of an invalidation.
fn keys_array(keys: &[&[u8]]) -> Vec<u8> {
    let mut out = Vec::with_capacity(8 + keys.iter().map(|k| k.len() + 16).sum::<usize>());
    out.push(b'*');
    out.extend_from_slice(itoa::Buffer::new().format(keys.len()).as_bytes());
    out.extend_from_slice(b"\r\n");
    for k in keys {
        ferrodis_resp::encode::bulk(&mut out, k);
    }
    out
}

/// Queues the invalidation `keys_part` (a RESP array, or a null for flushes) for `target`:
/// to its redirection target, or to itself when it speaks RESP3; a RESP2 client without
/// redirection cannot receive pushes and gets nothing (`sendTrackingMessage`).
fn message_for(target: &Tracked, keys_part: &[u8], out: &mut Vec<Outgoing>) {
    if target.options.redirect != 0 {
        out.push(Outgoing::Redirect {
            origin: target.handle.clone(),
            target: target.options.redirect,
            keys_part: keys_part.to_vec(),
        });
    } else if target.handle.push.resp3.load(Ordering::Relaxed) {
        out.push(Outgoing::Direct(target.handle.clone(), invalidate_push(keys_part)));
    }
}

/// `*2 $10 invalidate <keys>`; written as `>2` to a RESP3 connection.
fn invalidate_push(keys_part: &[u8]) -> Bytes {
    let mut frame = Vec::with_capacity(keys_part.len() + 24);
    frame.extend_from_slice(b"*2\r\n$10\r\ninvalidate\r\n");
    frame.extend_from_slice(keys_part);
    Bytes::from(frame)
}

/// Sends queued messages outside the tracking lock. A redirected invalidation goes to a
/// RESP3 target as the `invalidate` push and to a subscribed RESP2 target as a `message` on
/// `__redis__:invalidate`; a vanished target marks the tracking client broken, and a RESP3
/// tracking client is told with `tracking-redir-broken <id>`.
fn send_all(shared: &Shared, out: Vec<Outgoing>) {
    for message in out {
        match message {
            Outgoing::Direct(handle, frame) => {
                crate::pubsub::push_to(shared, &handle, &frame);
            }
            Outgoing::Redirect { origin, target, keys_part } => match shared.clients.get(target) {
                None => {
                    origin.push.tracking_broken.store(true, Ordering::Relaxed);
                    if origin.push.resp3.load(Ordering::Relaxed) {
                        let mut f = Vec::with_capacity(64);
                        f.extend_from_slice(b"*2\r\n$21\r\ntracking-redir-broken\r\n:");
                        f.extend_from_slice(itoa::Buffer::new().format(target).as_bytes());
                        f.extend_from_slice(b"\r\n");
                        crate::pubsub::push_to(shared, &origin, &Bytes::from(f));
                    }
                }
                Some(redir) => {
                    if redir.push.resp3.load(Ordering::Relaxed) {
                        crate::pubsub::push_to(shared, &redir, &invalidate_push(&keys_part));
                    } else if redir.push.subscribed.load(Ordering::Relaxed) {
                        let mut f = Vec::with_capacity(keys_part.len() + 48);
                        f.extend_from_slice(
                            b"*3\r\n$7\r\nmessage\r\n$20\r\n__redis__:invalidate\r\n",
                        );
                        f.extend_from_slice(&keys_part);
                        crate::pubsub::push_to(shared, &redir, &Bytes::from(f));
                    }
                }
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefixes_overlap_when_one_starts_the_other() {
        assert!(overlaps(b"FOO", b"FOOBAR"));
        assert!(overlaps(b"FOOBAR", b"FOO"));
        assert!(overlaps(b"", b"x"));
        assert!(!overlaps(b"FOO", b"BAR"));
    }

    #[test]
    fn keys_array_is_a_resp_array_of_bulks() {
        assert_eq!(keys_array(&[b"a", b"bc"]), b"*2\r\n$1\r\na\r\n$2\r\nbc\r\n".to_vec());
        assert_eq!(&invalidate_push(b"*0\r\n")[..], b"*2\r\n$10\r\ninvalidate\r\n*0\r\n");
    }
}
