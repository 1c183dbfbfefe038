//! Pipeline lookahead: parse a few requests ahead and prefetch their keys.
//!
//! A pipelined batch of single-key commands over a large keyspace spends much of its time
//! waiting on memory: each key costs a miss on its dict bucket slot and another on its entry,
//! one command after the other. Before executing such a batch, the connection parses up to
//! [`PREFETCH_BATCH`] requests ahead and asks [`Keyspace::prefetch`] to start loading all
//! their buckets, then all their entries, so the misses overlap (Valkey 8 does the same for
//! the batches its I/O threads parse). Behaviour is unchanged: requests still run one by one
//! in order, and only the cache differs.
//!
//! Parsing ahead must not parse a request under the wrong limits: `FrameLimits` depend on
//! whether the client is authenticated, and `proto-max-bulk-len` can be changed by CONFIG
//! SET. So the lookahead only starts for an authenticated client outside MULTI, and only
//! continues past requests for ordinary key commands ([`LockScope::Keys`] with keys: GET,
//! SET, INCR, HSET, ...), which change neither; the first other request ends it (it was
//! parsed under limits that still held). A protocol error met while looking ahead is kept and
//! reported after the requests before it have run, exactly when Redis would report it.
//!
//! [`Keyspace::prefetch`]: ferrodis_keyspace::Keyspace::prefetch

use crate::client::ClientState;
use crate::dispatch;
use crate::server::Shared;
use crate::spec::{CommandSpec, LockScope};
use bytes::{Bytes, BytesMut};
use ferrodis_keyspace::keyspace::PREFETCH_BATCH;
use ferrodis_resp::{FrameLimits, ProtocolError, RequestParser};
use smallvec::SmallVec;
use std::collections::VecDeque;

/// Requests parsed ahead of their execution, in arrival order, and the protocol error that
/// ended the lookahead, if one did. Lives as long as the connection, so requests parsed
/// before a blocking command or a CLIENT PAUSE run after it, before anything read later.
#[derive(Default)]
pub struct Lookahead {
    /// Each request with its command's spec when it is an ordinary key command.
    queue: VecDeque<(Vec<Bytes>, Option<&'static CommandSpec>)>,
    error: Option<ProtocolError>,
}

impl Lookahead {
    /// The next request to execute: a request parsed ahead, else the error that ended the
    /// lookahead, else the next complete request in `inbuf` (`Ok(None)`: none yet). When that
    /// request is an ordinary key command and more requests are buffered, parses ahead and
    /// prefetches their keys first (see the module documentation).
    pub fn next(
        &mut self,
        shared: &Shared,
        client: &ClientState,
        parser: &mut RequestParser,
        inbuf: &mut BytesMut,
        limits: &FrameLimits,
    ) -> Result<Option<Vec<Bytes>>, ProtocolError> {
        if let Some((argv, _)) = self.queue.pop_front() {
            return Ok(Some(argv));
        }
        if let Some(err) = self.error.take() {
            return Err(err);
        }
        let Some(first) = parser.parse(inbuf, limits)? else { return Ok(None) };
        if inbuf.is_empty() || !client.authenticated || client.multi.is_some() {
            return Ok(Some(first));
        }
        let Some(first_spec) = key_command(shared, &first) else { return Ok(Some(first)) };
        while self.queue.len() + 1 < PREFETCH_BATCH {
            match parser.parse(inbuf, limits) {
                Ok(Some(argv)) => {
                    let spec = key_command(shared, &argv);
                    self.queue.push_back((argv, spec));
                    if spec.is_none() {
                        break;
                    }
                }
                Ok(None) => break,
                Err(err) => {
                    self.error = Some(err);
                    break;
                }
            }
        }
        if !self.queue.is_empty() {
            self.prefetch(shared, client.db, &first, first_spec);
        }
        Ok(Some(first))
    }

    /// Prefetches the keys of `first` (a command of spec `spec`) and of the queued key
    /// commands, in database `db`.
    fn prefetch(&self, shared: &Shared, db: usize, first: &[Bytes], spec: &CommandSpec) {
        let mut keys: SmallVec<[&[u8]; PREFETCH_BATCH]> = SmallVec::new();
        let queued = self.queue.iter().filter_map(|(a, s)| s.map(|s| (a.as_slice(), s)));
        for (argv, spec) in std::iter::once((first, spec)).chain(queued) {
            for p in spec.key_positions(argv) {
                let key: &[u8] = &argv[p];
                // A key repeated by consecutive commands is loaded once (a hot key: all of
                // them; a read-modify pair such as INCR then EXPIRE).
                if keys.len() < PREFETCH_BATCH && keys.last() != Some(&key) {
                    keys.push(key);
                }
            }
        }
        // One distinct key is used by the first command at once: nothing to overlap.
        if keys.len() > 1 {
            shared.keyspace.prefetch(db, &keys);
        }
    }
}

/// The spec of a request to an ordinary key command: known, of valid arity, locking only the
/// shards of its keys, with at least one key. Such a command changes neither the client's
/// authentication nor the protocol limits, so requests after it may be parsed ahead.
fn key_command(shared: &Shared, argv: &[Bytes]) -> Option<&'static CommandSpec> {
    let spec = dispatch::lookup(shared, argv).ok()?.spec;
    (spec.lock == LockScope::Keys && !spec.keys.is_empty() && !spec.locks_all(argv)).then_some(spec)
}
