//! Client-side caching (CLIENT TRACKING) as Redis 7.2 does it, over raw RESP2/RESP3 bytes
//! and the `redis` crate's RESP3 push channel: invalidations for keys a client read, the
//! key table forgetting a key once invalidated, REDIRECT to a RESP2 subscriber of
//! `__redis__:invalidate`, BCAST prefixes with NOLOOP and per-command batching, OPTIN with
//! CLIENT CACHING, FLUSHALL's null invalidation, `tracking-table-max-keys`, the
//! introspection commands and the errors. The exact frames are the ones Redis sends (Valkey
//! 8.1's unit/tracking checks the same through the conformance suite).

use crate::support::{Frame, Proto, Server};
use std::time::Duration;

fn invalidate(keys: &[&str]) -> Vec<u8> {
    let mut out = format!(">2\r\n$10\r\ninvalidate\r\n*{}\r\n", keys.len()).into_bytes();
    for k in keys {
        out.extend_from_slice(format!("${}\r\n{k}\r\n", k.len()).as_bytes());
    }
    out
}

const QUIET: Duration = Duration::from_millis(150);

#[test]
fn resp3_client_is_told_once_per_read_key() {
    let server = Server::start();
    let mut tracker = server.raw();
    let mut writer = server.raw();
    tracker.frame(&["HELLO", "3"]);
    assert_reply!(tracker.cmd_str(&["CLIENT", "TRACKING", "ON"]), b"+OK\r\n");
    writer.cmd_str(&["MSET", "a", "1", "b", "1"]);
    assert_reply!(tracker.cmd_str(&["GET", "a"]), b"$1\r\n1\r\n");
    writer.cmd_str(&["INCR", "b"]); // never read: no message
    writer.cmd_str(&["INCR", "a"]);
    tracker.expect(&invalidate(&["a"]));
    // The key was forgotten: a second write says nothing until the key is read again.
    writer.cmd_str(&["INCR", "a"]);
    tracker.expect_silence(QUIET);
    // A client's own write is reported too (no NOLOOP), after the reply of the write.
    assert_reply!(tracker.cmd_str(&["GET", "a"]), b"$1\r\n3\r\n");
    assert_reply!(tracker.cmd_str(&["DEL", "a"]), b":1\r\n");
    tracker.expect(&invalidate(&["a"]));
    // FLUSHALL: every tracking client gets `invalidate` with a null list.
    tracker.cmd_str(&["GET", "b"]);
    writer.cmd_str(&["FLUSHALL"]);
    tracker.expect(b">2\r\n$10\r\ninvalidate\r\n_\r\n");
    assert_reply!(tracker.cmd_str(&["CLIENT", "TRACKING", "OFF"]), b"+OK\r\n");
    tracker.cmd_str(&["GET", "b"]);
    writer.cmd_str(&["SET", "b", "2"]);
    tracker.expect_silence(QUIET);
}

#[test]
fn redirect_to_a_resp2_subscriber_of_redis_invalidate() {
    let server = Server::start();
    let mut sink = server.raw();
    let mut tracker = server.raw();
    let mut writer = server.raw();
    let Frame::Int(sink_id) = sink.frame(&["CLIENT", "ID"]) else { panic!("CLIENT ID") };
    sink.cmd_str(&["SUBSCRIBE", "__redis__:invalidate"]);
    let id = sink_id.to_string();
    assert_reply!(tracker.cmd_str(&["CLIENT", "TRACKING", "ON", "REDIRECT", &id]), b"+OK\r\n");
    assert_eq!(tracker.frame(&["CLIENT", "GETREDIR"]), Frame::Int(sink_id));
    tracker.cmd_str(&["MGET", "k1", "k2"]);
    writer.cmd_str(&["SET", "k2", "v"]);
    sink.expect(b"*3\r\n$7\r\nmessage\r\n$20\r\n__redis__:invalidate\r\n*1\r\n$2\r\nk2\r\n");
    // The target goes away: the tracking client is marked broken_redirect.
    drop(sink);
    std::thread::sleep(Duration::from_millis(100));
    writer.cmd_str(&["SET", "k1", "v"]);
    let info = tracker.frame(&["CLIENT", "TRACKINGINFO"]);
    assert_eq!(
        info,
        Frame::Array(vec![
            Frame::bulk("flags"),
            Frame::Array(vec![Frame::bulk("on"), Frame::bulk("broken_redirect")]),
            Frame::bulk("redirect"),
            Frame::Int(sink_id),
            Frame::bulk("prefixes"),
            Frame::Array(vec![]),
        ])
    );
}

#[test]
fn bcast_prefixes_batch_each_command_and_noloop_skips_own_writes() {
    let server = Server::start();
    let mut tracker = server.raw();
    let mut writer = server.raw();
    tracker.frame(&["HELLO", "3"]);
    assert_reply!(
        tracker.cmd_str(&[
            "CLIENT", "TRACKING", "ON", "BCAST", "PREFIX", "user:", "PREFIX", "job:", "NOLOOP"
        ]),
        b"+OK\r\n"
    );
    // One command, several keys of one prefix: one message, keys sorted.
    writer.cmd_str(&["MSET", "user:2", "x", "user:1", "y", "other", "z"]);
    tracker.expect(&invalidate(&["user:1", "user:2"]));
    // A transaction touching two prefixes: one message per prefix, in prefix order.
    writer.cmd_str(&["MULTI"]);
    writer.cmd_str(&["INCR", "user:9"]);
    writer.cmd_str(&["INCR", "job:9"]);
    writer.cmd_str(&["EXEC"]);
    tracker.expect(&invalidate(&["job:9"]));
    tracker.expect(&invalidate(&["user:9"]));
    // NOLOOP: the tracker's own writes are not reported to it.
    assert_reply!(tracker.cmd_str(&["SET", "user:me", "1"]), b"+OK\r\n");
    tracker.expect_silence(QUIET);
    // Overlapping prefixes are refused, naming both.
    assert_reply!(
        tracker.cmd_str(&["CLIENT", "TRACKING", "ON", "BCAST", "PREFIX", "us"]),
        b"-ERR Prefix 'us' overlaps with an existing prefix 'user:'. Prefixes for a single client must not overlap.\r\n"
    );
    assert_eq!(
        tracker.frame(&["CLIENT", "TRACKINGINFO"]),
        Frame::Map(vec![
            (
                Frame::bulk("flags"),
                Frame::Set(vec![Frame::bulk("on"), Frame::bulk("bcast"), Frame::bulk("noloop")])
            ),
            (Frame::bulk("redirect"), Frame::Int(0)),
            (
                Frame::bulk("prefixes"),
                Frame::Array(vec![Frame::bulk("job:"), Frame::bulk("user:")])
            ),
        ])
    );
    let info = String::from_utf8(tracker.cmd_str(&["INFO", "stats"])).unwrap();
    assert!(info.contains("tracking_total_prefixes:2\r\n"), "{info}");
}

#[test]
fn optin_tracks_only_after_caching_yes() {
    let server = Server::start();
    let mut tracker = server.raw();
    let mut writer = server.raw();
    tracker.frame(&["HELLO", "3"]);
    tracker.cmd_str(&["CLIENT", "TRACKING", "ON", "OPTIN"]);
    tracker.cmd_str(&["GET", "plain"]);
    assert_reply!(tracker.cmd_str(&["CLIENT", "CACHING", "YES"]), b"+OK\r\n");
    tracker.cmd_str(&["GET", "cached"]);
    tracker.cmd_str(&["GET", "after"]); // CACHING applied to one command only
    writer.cmd_str(&["MSET", "plain", "1", "after", "1"]);
    writer.cmd_str(&["SET", "cached", "1"]);
    tracker.expect(&invalidate(&["cached"]));
    tracker.expect_silence(QUIET);
    assert_reply!(
        tracker.cmd_str(&["CLIENT", "CACHING", "NO"]),
        b"-ERR CLIENT CACHING NO is only valid when tracking is enabled in OPTOUT mode.\r\n"
    );
}

#[test]
fn tracking_errors_and_introspection_when_off() {
    let server = Server::start();
    let mut c = server.raw();
    assert_reply!(
        c.cmd_str(&["CLIENT", "TRACKING", "ON", "PREFIX", "a"]),
        b"-ERR PREFIX option requires BCAST mode to be enabled\r\n"
    );
    assert_reply!(
        c.cmd_str(&["CLIENT", "TRACKING", "ON", "OPTIN", "OPTOUT"]),
        b"-ERR You can't use both OPTIN and OPTOUT\r\n"
    );
    assert_reply!(
        c.cmd_str(&["CLIENT", "TRACKING", "ON", "BCAST", "OPTIN"]),
        b"-ERR OPTIN and OPTOUT are not compatible with BCAST\r\n"
    );
    assert_reply!(
        c.cmd_str(&["CLIENT", "TRACKING", "ON", "REDIRECT", "999999"]),
        b"-ERR The client ID you want redirect to does not exist\r\n"
    );
    assert_reply!(c.cmd_str(&["CLIENT", "TRACKING", "MAYBE"]), b"-ERR syntax error\r\n");
    assert_reply!(
        c.cmd_str(&["CLIENT", "CACHING", "YES"]),
        b"-ERR CLIENT CACHING can be called only when the client is in tracking mode with OPTIN or OPTOUT mode enabled\r\n"
    );
    assert_eq!(c.frame(&["CLIENT", "GETREDIR"]), Frame::Int(-1));
    c.cmd_str(&["CLIENT", "TRACKING", "ON", "BCAST"]);
    assert_reply!(
        c.cmd_str(&["CLIENT", "TRACKING", "ON"]),
        b"-ERR You can't switch BCAST mode on/off before disabling tracking for this client, and then re-enabling it with a different mode.\r\n"
    );
    let list = String::from_utf8(c.cmd_str(&["CLIENT", "INFO"])).unwrap();
    assert!(list.contains(" flags=tB ") && list.contains(" redir=0 "), "{list}");
}

#[test]
fn table_limit_evicts_keys_with_an_invalidation() {
    let server = Server::start();
    let mut tracker = server.raw();
    tracker.frame(&["HELLO", "3"]);
    tracker.cmd_str(&["CLIENT", "TRACKING", "ON"]);
    tracker.cmd_str(&["MGET", "a", "b", "c"]);
    let info = String::from_utf8(tracker.cmd_str(&["INFO", "stats"])).unwrap();
    assert!(info.contains("tracking_total_keys:3\r\ntracking_total_items:3\r\n"), "{info}");
    let mut admin = server.raw();
    admin.cmd_str(&["CONFIG", "SET", "tracking-table-max-keys", "1"]);
    // Two keys leave the table, each with an invalidation (which ones is unspecified).
    let mut evicted = Vec::new();
    for _ in 0..2 {
        match tracker.read_frame() {
            Frame::Push(parts) => match &parts[..] {
                [Frame::Bulk(kind), Frame::Array(keys)] if kind == b"invalidate" => {
                    evicted.extend(keys.iter().cloned())
                }
                other => panic!("unexpected push {other:?}"),
            },
            other => panic!("expected a push, got {other:?}"),
        }
    }
    assert_eq!(evicted.len(), 2);
    let info = String::from_utf8(tracker.cmd_str(&["INFO", "stats"])).unwrap();
    assert!(info.contains("tracking_total_keys:1\r\n"), "{info}");
}

#[test]
fn redis_crate_receives_invalidations_on_its_push_channel() {
    let server = Server::start();
    let mut con = server.client(Proto::Resp3);
    let (tx, rx) = std::sync::mpsc::channel();
    con.set_push_sender(tx);
    let _: () = redis::cmd("CLIENT").arg("TRACKING").arg("ON").query(&mut con).unwrap();
    let _: () = redis::cmd("SET").arg("session:1").arg("v").query(&mut con).unwrap();
    let got: String = redis::cmd("GET").arg("session:1").query(&mut con).unwrap();
    assert_eq!(got, "v");
    let mut other = server.client(Proto::Resp2);
    let _: () = redis::cmd("SET").arg("session:1").arg("w").query(&mut other).unwrap();
    // The push arrives on the connection; the crate hands it over while reading a reply.
    let deadline = std::time::Instant::now() + Duration::from_secs(5);
    let push = loop {
        let _: String = redis::cmd("PING").query(&mut con).unwrap();
        if let Ok(p) = rx.try_recv() {
            break p;
        }
        assert!(std::time::Instant::now() < deadline, "no invalidation push");
        std::thread::sleep(Duration::from_millis(20));
    };
    assert_eq!(push.kind, redis::PushKind::Invalidate);
    assert_eq!(
        push.data,
        vec![redis::Value::Array(vec![redis::Value::BulkString(b"session:1".to_vec())])]
    );
}
