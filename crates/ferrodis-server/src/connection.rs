//! One client connection: read, decode, execute, encode, write.
//!
//! The loop reads whatever the socket has, executes every complete command in the buffer
//! (pipelining) inline on this thread, encodes each reply for the client's RESP version into
//! one output buffer and writes it with a single write per batch. A protocol error is answered
//! and the connection closed, as Redis does. A query buffer that grows past
//! `client-query-buffer-limit` closes the connection without a reply (Redis's
//! `closeClientOnOutputBufferLimit` sibling for input).

use crate::client::{ClientState, ReplyMode};
use crate::dispatch;
use crate::server::Shared;
use bytes::BytesMut;
use ferrodis_resp::{encode, FrameLimits, Reply, RequestParser};
use std::sync::atomic::Ordering;
use std::sync::Arc;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};

/// Size of a read when no large bulk is pending (Redis's `PROTO_IOBUF_LEN`).
const IOBUF_LEN: usize = 16 * 1024;

/// Serves one client until it quits, is killed, or the socket closes.
pub async fn serve<S>(shared: Arc<Shared>, mut stream: S, mut client: ClientState)
where
    S: AsyncRead + AsyncWrite + Unpin,
{
    let mut inbuf = BytesMut::with_capacity(IOBUF_LEN);
    let mut out: Vec<u8> = Vec::with_capacity(IOBUF_LEN);
    let mut parser = RequestParser::new();
    let handle = client.handle.clone();
    loop {
        let want = parser.pending_bulk_bytes().unwrap_or(0).max(IOBUF_LEN);
        if inbuf.capacity() - inbuf.len() < want {
            inbuf.reserve(want);
        }
        let read = tokio::select! {
            r = stream.read_buf(&mut inbuf) => r,
            _ = handle.wake.notified() => {
                if handle.is_killed() {
                    break;
                }
                continue;
            }
        };
        match read {
            Ok(0) | Err(_) => break,
            Ok(n) => {
                shared.stats.net_input_bytes.fetch_add(n as u64, Ordering::Relaxed);
            }
        }
        if handle.is_killed() {
            break;
        }
        let closing = process_input(&shared, &mut client, &mut parser, &mut inbuf, &mut out);
        if !out.is_empty() {
            if stream.write_all(&out).await.is_err() {
                break;
            }
            shared.stats.net_output_bytes.fetch_add(out.len() as u64, Ordering::Relaxed);
            // Keep a modest buffer around; give back a large one.
            if out.capacity() > 1024 * 1024 {
                out = Vec::with_capacity(IOBUF_LEN);
            } else {
                out.clear();
            }
        }
        client.publish_info(inbuf.len(), inbuf.capacity() - inbuf.len());
        if closing {
            break;
        }
        let limit = shared.settings.read().client_query_buffer_limit;
        if inbuf.len() as u64 > limit {
            crate::log::warning(&format!(
                "Closing client that reached max query buffer length: id={} addr={} (qbuf initial bytes: {:?})",
                client.id,
                client.addr,
                String::from_utf8_lossy(&inbuf[..inbuf.len().min(64)])
            ));
            break;
        }
    }
    let _ = stream.shutdown().await;
    shared.clients.unregister(client.id);
}

/// Executes every complete command in `inbuf`, appending replies to `out`. Returns true when
/// the connection must close after `out` is written.
fn process_input(
    shared: &Shared,
    client: &mut ClientState,
    parser: &mut RequestParser,
    inbuf: &mut BytesMut,
    out: &mut Vec<u8>,
) -> bool {
    let proto_max_bulk_len = shared.settings.read().proto_max_bulk_len;
    loop {
        let limits = FrameLimits { proto_max_bulk_len, auth_required: !client.authenticated };
        let argv = match parser.parse(inbuf, &limits) {
            Ok(Some(argv)) => argv,
            Ok(None) => return false,
            Err(err) => {
                crate::log::verbose(&format!("Protocol error ({err}) from client: id={} addr={}", client.id, client.addr));
                encode(&Reply::error(format!("ERR {err}")), client.resp, out);
                return true;
            }
        };
        if client.reply_mode == ReplyMode::SkipNext {
            client.reply_mode = ReplyMode::Skip;
        }
        let reply = dispatch::execute(shared, client, &argv);
        match client.reply_mode {
            ReplyMode::On => encode(&reply, client.resp, out),
            ReplyMode::Skip => client.reply_mode = ReplyMode::On,
            ReplyMode::Off | ReplyMode::SkipNext => {}
        }
        if client.close_after_reply {
            return true;
        }
    }
}
