//! One client connection: read, decode, execute, encode, write.
//!
//! The loop reads whatever the socket has, executes every complete command in the buffer
//! (pipelining) inline on this thread, encodes each reply for the client's RESP version into
//! one output buffer and writes it with a single write per batch. A protocol error is answered
//! and the connection closed, as Redis does. A query buffer that grows past
//! `client-query-buffer-limit` closes the connection without a reply (Redis's
//! `closeClientOnOutputBufferLimit` sibling for input).
//!
//! Two things make the connection wait or write without a request of its own:
//! - CLIENT PAUSE: a command the pause holds is not executed; the replies so far are flushed
//!   and the task sleeps (never blocking a runtime thread) until the pause ends, then runs
//!   the held command and the rest of the pipeline in order.
//! - MONITOR: once the client is a monitor, its task also drains a channel of formatted
//!   command lines fed by dispatch and writes them as they come.
//! - Pub/sub: once the client subscribed, its task drains its message channel (see
//!   `crate::pubsub`) into the output buffer: as messages come, and before each command so
//!   that a message queued earlier precedes the command's reply. The output buffer (unsent
//!   bytes plus queued messages) is checked against `client-output-buffer-limit` for the
//!   client's class (`pubsub` while subscribed, else `normal`); over it, the client is closed.

use crate::client::{ClientState, ReplyMode};
use crate::dispatch;
use crate::lookahead::Lookahead;
use crate::server::Shared;
use bytes::{Bytes, BytesMut};
use ferrodis_keyspace::clock;
use ferrodis_resp::{encode, FrameLimits, Reply, RequestParser, RespVersion};
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Duration;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::sync::mpsc::{unbounded_channel, UnboundedReceiver};

/// Size of a read when no large bulk is pending (Redis's `PROTO_IOBUF_LEN`).
const IOBUF_LEN: usize = 16 * 1024;

/// Longest single sleep while paused, so UNPAUSE and kills are noticed promptly.
const PAUSE_POLL: Duration = Duration::from_millis(10);

/// Interval of the instantaneous-rate sampler (Redis samples every 100 ms).
const RATE_SAMPLE_PERIOD: Duration = Duration::from_millis(100);

/// What processing the input buffer ended with.
enum Batch {
    /// Every complete command ran; read more.
    Done,
    /// Write the output, then close.
    Close,
    /// This command is held by CLIENT PAUSE: write the output, wait, then run it.
    Paused(Vec<Bytes>),
    /// A blocking command parked the client: write the output and wait until it is served,
    /// times out or is released; the rest of the input waits too.
    Blocked,
}

/// How a wait in the blocked state ended.
enum BlockedEnd {
    /// The command completed (its reply is in the output): carry on with the input.
    Resume,
    /// The client left or was killed: close without writing.
    Gone,
}

/// The channels a connection drains besides its socket.
#[derive(Default)]
struct Feeds {
    /// MONITOR lines, while the client is a monitor.
    monitor: Option<UnboundedReceiver<Bytes>>,
    /// Pub/sub messages (RESP2 frames), once the client subscribed.
    pubsub: Option<UnboundedReceiver<Bytes>>,
}

/// Replies waiting to be written: `buf[pos..]` is still unsent.
#[derive(Default)]
struct Output {
    buf: Vec<u8>,
    pos: usize,
}

impl Output {
    fn pending(&self) -> bool {
        self.pos < self.buf.len()
    }

    /// Unsent bytes.
    fn unsent(&self) -> u64 {
        (self.buf.len() - self.pos) as u64
    }

    /// Records that `n` more bytes were written; resets (and shrinks a large buffer) once
    /// everything went out.
    fn advance(&mut self, n: usize) {
        self.pos += n;
        if self.pos >= self.buf.len() {
            self.pos = 0;
            if self.buf.capacity() > 1024 * 1024 {
                self.buf = Vec::with_capacity(IOBUF_LEN);
            } else {
                self.buf.clear();
            }
        }
    }
}

/// Serves one client until it quits, is killed, or the socket closes.
///
/// Reading and writing are independent: while the client does not read its replies (a
/// pipeline sent in full before reading, as redis-py does), the connection keeps reading and
/// executing, and the replies wait in the output buffer, as in Redis (whose `normal` clients
/// have no output-buffer limit by default). Otherwise both sides would wait on each other.
pub async fn serve<R, W>(shared: Arc<Shared>, mut rd: R, mut wr: W, mut client: ClientState)
where
    R: AsyncRead + Unpin,
    W: AsyncWrite + Unpin,
{
    start_rate_sampler(&shared);
    let mut inbuf = BytesMut::with_capacity(IOBUF_LEN);
    let mut out = Output { buf: Vec::with_capacity(IOBUF_LEN), pos: 0 };
    let mut parser = RequestParser::new();
    let mut look = Lookahead::default();
    let mut feeds = Feeds::default();
    let mut held: Option<Vec<Bytes>> = None;
    let mut resume = false;
    let handle = client.handle.clone();
    // Replies produced before a close (QUIT's OK, a protocol error) are still written; a
    // killed client's are dropped, as Redis frees it at once.
    let mut write_on_exit = true;
    // Set when the last read ran several commands (see the write below).
    let mut defer_write = false;
    'conn: loop {
        // A command held by CLIENT PAUSE runs first, then the rest of the pipeline; after a
        // blocking command completed, the rest of the pipeline runs before reading more.
        if held.is_some() || resume {
            let batch = if let Some(argv) = held.take() {
                if !flush(&shared, &mut wr, &mut out, &mut client.tot_net_out).await {
                    write_on_exit = false;
                    break;
                }
                while let Some(until) = dispatch::pause_deadline(&shared, &client, &argv) {
                    let wait = Duration::from_millis(until.saturating_sub(clock::now_ms()))
                        .min(PAUSE_POLL);
                    shared.stats.paused_clients.fetch_add(1, Ordering::Relaxed);
                    tokio::select! {
                        _ = tokio::time::sleep(wait) => {}
                        _ = handle.wake.notified() => {}
                    }
                    shared.stats.paused_clients.fetch_sub(1, Ordering::Relaxed);
                    if handle.is_killed() {
                        write_on_exit = false;
                        break 'conn;
                    }
                }
                run_one(&shared, &mut client, argv, &mut feeds, &mut out.buf)
            } else {
                Batch::Done
            };
            resume = false;
            let batch = match batch {
                Batch::Done => process_input(
                    &shared,
                    &mut client,
                    &mut parser,
                    &mut look,
                    &mut inbuf,
                    &mut out.buf,
                    &mut feeds,
                ),
                other => other,
            };
            match batch {
                Batch::Done => {}
                Batch::Close => break,
                Batch::Paused(argv) => {
                    held = Some(argv);
                    continue;
                }
                Batch::Blocked => {
                    let end = wait_blocked(
                        &shared,
                        &mut rd,
                        &mut wr,
                        &mut client,
                        &mut inbuf,
                        &mut out,
                        &mut feeds.pubsub,
                    );
                    if let BlockedEnd::Gone = end.await {
                        write_on_exit = false;
                        break;
                    }
                    resume = true;
                    continue;
                }
            }
        }
        // A large bulk announced by the client is not reserved up front: the buffer grows
        // (doubling) with the bytes that actually arrive, so a client that declares 512 MB
        // and sends little costs little, as in Redis.
        let pending = parser.pending_bulk_bytes().unwrap_or(0);
        let want = pending.min(inbuf.len().max(IOBUF_LEN)).max(IOBUF_LEN);
        if inbuf.capacity() - inbuf.len() < want {
            inbuf.reserve(want);
        }
        // Usually the socket takes the whole batch of replies at once: try that first without
        // going through the select below (which would cost one more loop per batch).
        // After a pipelined batch, the replies wait until the other connections this worker
        // has ready have run theirs, as Redis writes every client's replies together before
        // it sleeps (`handleClientsWithPendingWrites` in `beforeSleep`): the sends then
        // follow each other, so a client process serving many connections (redis-benchmark,
        // a web worker's pool) is woken once for several of them instead of once per reply.
        // A single command is answered at once (its extra task poll would cost more than the
        // wake-ups it saves).
        if std::mem::take(&mut defer_write) && out.pending() {
            tokio::task::yield_now().await;
        }
        if out.pending() {
            match write_now(&mut wr, &out.buf[out.pos..]) {
                Some(Ok(0)) | Some(Err(_)) => {
                    write_on_exit = false;
                    break;
                }
                Some(Ok(n)) => {
                    shared.stats.net_output_bytes.fetch_add(n as u64, Ordering::Relaxed);
                    client.tot_net_out += n as u64;
                    out.advance(n);
                    handle.obuf.pending_bytes.store(out.unsent(), Ordering::Relaxed);
                    if !out.pending() {
                        client.publish_info(inbuf.len(), inbuf.capacity() - inbuf.len());
                    }
                }
                None => {}
            }
        }
        let writing = out.pending();
        let read = tokio::select! {
            biased;
            written = wr.write(&out.buf[out.pos..]), if writing => {
                match written {
                    Ok(0) | Err(_) => {
                        write_on_exit = false;
                        break;
                    }
                    Ok(n) => {
                        shared.stats.net_output_bytes.fetch_add(n as u64, Ordering::Relaxed);
                        client.tot_net_out += n as u64;
                        out.advance(n);
                        handle.obuf.pending_bytes.store(out.unsent(), Ordering::Relaxed);
                        if !out.pending() {
                            client.publish_info(inbuf.len(), inbuf.capacity() - inbuf.len());
                        }
                    }
                }
                continue;
            }
            r = rd.read_buf(&mut inbuf) => r,
            _ = handle.wake.notified() => {
                if handle.is_killed() {
                    write_on_exit = false;
                    break;
                }
                continue;
            }
            line = next_monitor_line(&mut feeds.monitor) => {
                if let Some(line) = line {
                    out.buf.extend_from_slice(&line);
                }
                continue;
            }
            message = next_monitor_line(&mut feeds.pubsub) => {
                if let (Some(message), Some(rx)) = (message, feeds.pubsub.as_mut()) {
                    drain_messages(&client, rx, Some(message), &mut out.buf);
                }
                if over_output_limit(&shared, &client, &out) {
                    write_on_exit = false;
                    break;
                }
                continue;
            }
        };
        match read {
            Ok(0) | Err(_) => {
                write_on_exit = false;
                break;
            }
            Ok(n) => {
                shared.stats.net_input_bytes.fetch_add(n as u64, Ordering::Relaxed);
                client.tot_net_in += n as u64;
            }
        }
        if handle.is_killed() {
            write_on_exit = false;
            break;
        }
        let cmds_before = client.tot_cmds;
        let batch = process_input(
            &shared,
            &mut client,
            &mut parser,
            &mut look,
            &mut inbuf,
            &mut out.buf,
            &mut feeds,
        );
        defer_write = client.tot_cmds - cmds_before > 1;
        if over_output_limit(&shared, &client, &out) {
            write_on_exit = false;
            break;
        }
        if !out.pending() {
            client.publish_info(inbuf.len(), inbuf.capacity() - inbuf.len());
        }
        match batch {
            Batch::Done => {}
            Batch::Close => break,
            Batch::Paused(argv) => held = Some(argv),
            Batch::Blocked => {
                let end = wait_blocked(
                    &shared,
                    &mut rd,
                    &mut wr,
                    &mut client,
                    &mut inbuf,
                    &mut out,
                    &mut feeds.pubsub,
                );
                if let BlockedEnd::Gone = end.await {
                    write_on_exit = false;
                    break;
                }
                resume = true;
                continue;
            }
        }
        let limit = shared.settings.read().client_query_buffer_limit;
        if inbuf.len() as u64 > limit {
            crate::log::warning(&format!(
                "Closing client that reached max query buffer length: id={} addr={} (qbuf initial bytes: {:?})",
                client.id,
                client.addr,
                String::from_utf8_lossy(&inbuf[..inbuf.len().min(64)])
            ));
            write_on_exit = false;
            break;
        }
    }
    if feeds.monitor.is_some() {
        shared.clients.remove_monitor(client.id);
    }
    crate::pubsub::unsubscribe_all(&shared, &mut client);
    if client.tracking.take().is_some() {
        crate::commands::connection::tracking_off(&shared, client.id);
    }
    // A client that leaves while blocked takes nothing with it: it only leaves the queues.
    shared.blocking.leave(client.id);
    shared.watches.unwatch(client.id, &client.watched);
    if write_on_exit {
        let _ = flush(&shared, &mut wr, &mut out, &mut client.tot_net_out).await;
    }
    let _ = wr.shutdown().await;
    shared.clients.unregister(client.id);
}

/// Waits while the client is parked by a blocking command (see `crate::blocking`): writes
/// what is pending, keeps reading (buffering, not executing: a blocked client's later commands
/// wait, as in Redis) so a disconnect is noticed, and re-runs the command each time one of
/// its keys is written, until it completes, times out, is released by CLIENT UNBLOCK, or
/// the client goes away. Pub/sub messages keep flowing meanwhile.
async fn wait_blocked<R, W>(
    shared: &Shared,
    rd: &mut R,
    wr: &mut W,
    client: &mut ClientState,
    inbuf: &mut BytesMut,
    out: &mut Output,
    pubsub: &mut Option<UnboundedReceiver<Bytes>>,
) -> BlockedEnd
where
    R: AsyncRead + Unpin,
    W: AsyncWrite + Unpin,
{
    let handle = client.handle.clone();
    let mut reading = true;
    loop {
        let Some(blocked) = client.blocked.as_ref() else { return BlockedEnd::Resume };
        let deadline_ms = blocked.deadline_ms;
        if !out.pending() {
            client.publish_info(inbuf.len(), inbuf.capacity() - inbuf.len());
        }
        let sleep_ms = if deadline_ms == 0 {
            u64::MAX / 4
        } else {
            deadline_ms.saturating_sub(clock::now_ms())
        };
        if inbuf.capacity() - inbuf.len() < IOBUF_LEN {
            inbuf.reserve(IOBUF_LEN);
        }
        let writing = out.pending();
        tokio::select! {
            biased;
            _ = handle.wake.notified() => {
                if handle.is_killed() {
                    return BlockedEnd::Gone;
                }
                if let Some(reason) = shared.blocking.unblock_requested(client.id) {
                    let reply = dispatch::end_blocked(shared, client, Some(reason));
                    encode_reply(client, &reply, &mut out.buf);
                    return BlockedEnd::Resume;
                }
                let argv = client.blocked.as_ref().map(|b| b.argv.clone()).unwrap_or_default();
                let mut no_feeds = Feeds::default();
                if let Batch::Done | Batch::Close = run_one(shared, client, argv, &mut no_feeds, &mut out.buf) {
                    return BlockedEnd::Resume;
                }
            }
            _ = tokio::time::sleep(Duration::from_millis(sleep_ms)) => {
                if deadline_ms != 0 && clock::now_ms() >= deadline_ms {
                    let reply = dispatch::end_blocked(shared, client, None);
                    encode_reply(client, &reply, &mut out.buf);
                    return BlockedEnd::Resume;
                }
            }
            written = wr.write(&out.buf[out.pos..]), if writing => {
                match written {
                    Ok(0) | Err(_) => return BlockedEnd::Gone,
                    Ok(n) => {
                        shared.stats.net_output_bytes.fetch_add(n as u64, Ordering::Relaxed);
                        client.tot_net_out += n as u64;
                        out.advance(n);
                        handle.obuf.pending_bytes.store(out.unsent(), Ordering::Relaxed);
                    }
                }
            }
            message = next_monitor_line(pubsub) => {
                // A subscribed (RESP3) client keeps receiving messages while blocked.
                if let (Some(message), Some(rx)) = (message, pubsub.as_mut()) {
                    drain_messages(client, rx, Some(message), &mut out.buf);
                }
                if over_output_limit(shared, client, out) {
                    return BlockedEnd::Gone;
                }
            }
            r = rd.read_buf(inbuf), if reading => {
                match r {
                    Ok(0) | Err(_) => return BlockedEnd::Gone,
                    Ok(n) => {
                        shared.stats.net_input_bytes.fetch_add(n as u64, Ordering::Relaxed);
                        client.tot_net_in += n as u64;
                        // Stop reading past the query-buffer limit; the main loop closes the
                        // client once the command completes.
                        reading = (inbuf.len() as u64) < shared.settings.read().client_query_buffer_limit;
                    }
                }
            }
        }
    }
}

/// Encodes a reply according to CLIENT REPLY (ON writes it; SKIP drops this one). Push
/// replies (pub/sub confirmations; arrays in RESP2) are written whatever the mode, as Redis
/// 7.2 lets them through with `CLIENT_PUSHING` in both protocols (Redis 7.0 dropped them in
/// RESP2; Valkey's "Keyspace notifications" tests rely on 7.2's behaviour).
fn encode_reply(client: &mut ClientState, reply: &Reply, out: &mut Vec<u8>) {
    if is_push(reply) {
        encode(reply, client.resp, out);
        if client.reply_mode == ReplyMode::Skip {
            client.reply_mode = ReplyMode::On;
        }
        return;
    }
    match client.reply_mode {
        ReplyMode::On => encode(reply, client.resp, out),
        ReplyMode::Skip => client.reply_mode = ReplyMode::On,
        ReplyMode::Off | ReplyMode::SkipNext => {}
    }
}

/// Polls one write of `buf` once, without waiting: `None` when the socket is not writable
/// now (the select loop then waits for it with a real waker).
fn write_now<W: AsyncWrite + Unpin>(wr: &mut W, buf: &[u8]) -> Option<std::io::Result<usize>> {
    let mut cx = std::task::Context::from_waker(std::task::Waker::noop());
    match std::pin::Pin::new(wr).poll_write(&mut cx, buf) {
        std::task::Poll::Ready(r) => Some(r),
        std::task::Poll::Pending => None,
    }
}

/// True for push replies (one or several frames).
fn is_push(reply: &Reply) -> bool {
    match reply {
        Reply::Push(_) => true,
        Reply::Frames(frames) => frames.iter().all(is_push),
        _ => false,
    }
}

/// The next MONITOR line or pub/sub message, or never when the feed is not open.
async fn next_monitor_line(feed: &mut Option<UnboundedReceiver<Bytes>>) -> Option<Bytes> {
    match feed {
        Some(rx) => rx.recv().await,
        None => std::future::pending().await,
    }
}

/// Moves `first` and every message already queued into `out`: as RESP3 pushes (`>`) or
/// RESP2 arrays, whatever CLIENT REPLY says (Redis 7.2's `CLIENT_PUSHING`). Takes them off
/// the client's queued-bytes count.
fn drain_messages(
    client: &ClientState,
    rx: &mut UnboundedReceiver<Bytes>,
    first: Option<Bytes>,
    out: &mut Vec<u8>,
) {
    let resp3 = client.resp == RespVersion::Resp3;
    let (mut bytes, mut count) = (0u64, 0u64);
    let mut next = first.or_else(|| rx.try_recv().ok());
    while let Some(frame) = next {
        bytes += frame.len() as u64;
        count += 1;
        let start = out.len();
        out.extend_from_slice(&frame);
        if resp3 {
            out[start] = b'>';
        }
        next = rx.try_recv().ok();
    }
    if count > 0 {
        let ob = &client.handle.obuf;
        ob.queued_bytes.fetch_sub(bytes, Ordering::Relaxed);
        ob.queued_msgs.fetch_sub(count, Ordering::Relaxed);
    }
}

/// Publishes the unsent output size and checks `client-output-buffer-limit` for the client's
/// class; true when the client must be closed (it is then marked killed and logged).
fn over_output_limit(shared: &Shared, client: &ClientState, out: &Output) -> bool {
    let ob = &client.handle.obuf;
    let pending = out.unsent();
    ob.pending_bytes.store(pending, Ordering::Relaxed);
    let class = if client.pubsub.is_subscribed() { 2 } else { 0 };
    let limit = shared.settings.read().client_output_buffer_limits[class];
    if limit.hard_bytes == 0 && limit.soft_bytes == 0 {
        return false;
    }
    let used = pending.saturating_add(ob.queued_bytes.load(Ordering::Relaxed));
    if ob.limit_reached(&limit, used, clock::now_ms()) {
        crate::pubsub::close_for_output_limit(shared, &client.handle);
        return true;
    }
    false
}

/// Writes everything pending in `out`, adding it to the server's and the client's
/// (`tot_net_out`) output totals; false when the socket failed.
async fn flush<W: AsyncWrite + Unpin>(
    shared: &Shared,
    wr: &mut W,
    out: &mut Output,
    tot_net_out: &mut u64,
) -> bool {
    if !out.pending() {
        return true;
    }
    let n = out.buf.len() - out.pos;
    if wr.write_all(&out.buf[out.pos..]).await.is_err() {
        return false;
    }
    shared.stats.net_output_bytes.fetch_add(n as u64, Ordering::Relaxed);
    *tot_net_out += n as u64;
    out.advance(n);
    true
}

/// Executes every complete command in `inbuf`, appending replies to `out`.
fn process_input(
    shared: &Shared,
    client: &mut ClientState,
    parser: &mut RequestParser,
    look: &mut Lookahead,
    inbuf: &mut BytesMut,
    out: &mut Vec<u8>,
    feeds: &mut Feeds,
) -> Batch {
    let batch = execute_batch(shared, client, parser, look, inbuf, out, feeds);
    // The connection goes back to waiting: the next command must read the clock itself.
    client.clock_hint = None;
    batch
}

/// [`process_input`]'s loop.
fn execute_batch(
    shared: &Shared,
    client: &mut ClientState,
    parser: &mut RequestParser,
    look: &mut Lookahead,
    inbuf: &mut BytesMut,
    out: &mut Vec<u8>,
    feeds: &mut Feeds,
) -> Batch {
    loop {
        // Read for every request: a CONFIG SET earlier in the batch applies to the rest.
        let proto_max_bulk_len = shared.settings.read().proto_max_bulk_len;
        let limits = FrameLimits { proto_max_bulk_len, auth_required: !client.authenticated };
        let argv = match look.next(shared, client, parser, inbuf, &limits) {
            Ok(Some(argv)) => argv,
            Ok(None) => return Batch::Done,
            Err(err) => {
                crate::log::verbose(&format!(
                    "Protocol error ({err}) from client: id={} addr={}",
                    client.id, client.addr
                ));
                encode(&Reply::error(format!("ERR {err}")), client.resp, out);
                return Batch::Close;
            }
        };
        if dispatch::pause_deadline(shared, client, &argv).is_some() {
            return Batch::Paused(argv);
        }
        match run_one(shared, client, argv, feeds, out) {
            Batch::Done => {}
            other => return other,
        }
    }
}

/// Executes one command and encodes its reply according to CLIENT REPLY.
fn run_one(
    shared: &Shared,
    client: &mut ClientState,
    argv: Vec<Bytes>,
    feeds: &mut Feeds,
    out: &mut Vec<u8>,
) -> Batch {
    // Messages queued before this command are written before its reply.
    if let Some(rx) = feeds.pubsub.as_mut() {
        drain_messages(client, rx, None, out);
    }
    if client.reply_mode == ReplyMode::SkipNext {
        client.reply_mode = ReplyMode::Skip;
    }
    let reply = dispatch::execute(shared, client, &argv);
    if client.blocked.is_some() {
        return Batch::Blocked;
    }
    encode_reply(client, &reply, out);
    sync_monitor(shared, client, &mut feeds.monitor);
    if client.pubsub.receiver.is_some() {
        feeds.pubsub = client.pubsub.receiver.take();
    }
    if client.close_after_reply {
        return Batch::Close;
    }
    Batch::Done
}

/// Registers or unregisters the MONITOR channel after MONITOR or RESET changed the mode.
fn sync_monitor(
    shared: &Shared,
    client: &ClientState,
    monitor: &mut Option<UnboundedReceiver<Bytes>>,
) {
    if client.monitor && monitor.is_none() {
        let (tx, rx) = unbounded_channel();
        shared.clients.add_monitor(client.id, tx);
        *monitor = Some(rx);
    } else if !client.monitor && monitor.is_some() {
        shared.clients.remove_monitor(client.id);
        *monitor = None;
    }
}

/// Starts, once per server, the task that samples the command and network totals for the
/// `instantaneous_*` INFO fields.
fn start_rate_sampler(shared: &Arc<Shared>) {
    if !shared.stats.rates.claim_start() {
        return;
    }
    let weak = Arc::downgrade(shared);
    tokio::spawn(async move {
        loop {
            tokio::time::sleep(RATE_SAMPLE_PERIOD).await;
            let Some(shared) = weak.upgrade() else { return };
            if shared.shutting_down.load(Ordering::Relaxed) {
                return;
            }
            let st = &shared.stats;
            st.rates.sample(
                clock::now_ms(),
                [
                    st.commands_processed.load(Ordering::Relaxed),
                    st.net_input_bytes.load(Ordering::Relaxed),
                    st.net_output_bytes.load(Ordering::Relaxed),
                ],
            );
        }
    });
}
