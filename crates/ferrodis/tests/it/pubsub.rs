//! Pub/sub as Redis 7.2 does it, over raw RESP2/RESP3 bytes and the `redis` crate:
//! confirmation shapes, the RESP2 subscribed context, RESP3 pushes beside ordinary replies,
//! patterns, shard channels, a Celery-style result wait (PUBLISH inside MULTI/EXEC from
//! another client), ordering of 10,000 messages, RESET and disconnect leaving subscriptions,
//! CLIENT LIST / INFO figures, and a slow subscriber closed by `client-output-buffer-limit`
//! while the server's memory stays bounded.

use crate::support::{multibulk, query, Frame, Proto, Raw, Server};
use std::time::{Duration, Instant};

/// `[kind, name, count]` confirmation bytes (`*` in RESP2, `>` in RESP3).
fn conf(prefix: char, kind: &str, name: Option<&str>, count: i64) -> Vec<u8> {
    let name = match (name, prefix) {
        (Some(n), _) => format!("${}\r\n{n}\r\n", n.len()),
        (None, '*') => "$-1\r\n".to_string(),
        (None, _) => "_\r\n".to_string(),
    };
    format!("{prefix}3\r\n${}\r\n{kind}\r\n{name}:{count}\r\n", kind.len()).into_bytes()
}

/// Message bytes: `[message, channel, payload]`.
fn message(prefix: char, channel: &str, payload: &str) -> Vec<u8> {
    format!(
        "{prefix}3\r\n$7\r\nmessage\r\n${}\r\n{channel}\r\n${}\r\n{payload}\r\n",
        channel.len(),
        payload.len()
    )
    .into_bytes()
}

/// Polls `PUBSUB NUMSUB channel` until it is `want` (subscriptions leave asynchronously when
/// a connection closes).
fn wait_numsub(c: &mut Raw, channel: &str, want: i64) {
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        let got = c.frame(&["PUBSUB", "NUMSUB", channel]);
        if got == Frame::Array(vec![Frame::bulk(channel), Frame::Int(want)]) {
            return;
        }
        assert!(Instant::now() < deadline, "PUBSUB NUMSUB {channel} stayed {got:?}");
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn confirmations_have_redis_shapes_in_both_protocols() {
    let server = Server::start();
    for (prefix, hello) in [('*', "2"), ('>', "3")] {
        let mut c = server.raw();
        c.frame(&["HELLO", hello]);
        // Nothing subscribed: one confirmation with a null name and a count of 0.
        assert_reply!(c.cmd_str(&["UNSUBSCRIBE"]), conf(prefix, "unsubscribe", None, 0));
        assert_reply!(c.cmd_str(&["PUNSUBSCRIBE"]), conf(prefix, "punsubscribe", None, 0));
        assert_reply!(c.cmd_str(&["SUNSUBSCRIBE"]), conf(prefix, "sunsubscribe", None, 0));
        assert_reply!(
            c.cmd_str(&["UNSUBSCRIBE", "nope"]),
            conf(prefix, "unsubscribe", Some("nope"), 0)
        );
        // One confirmation per channel; the count is channels plus patterns.
        c.send(&multibulk(&[b"SUBSCRIBE", b"a", b"b", b"a"]));
        c.expect(&conf(prefix, "subscribe", Some("a"), 1));
        c.expect(&conf(prefix, "subscribe", Some("b"), 2));
        c.expect(&conf(prefix, "subscribe", Some("a"), 2));
        assert_reply!(c.cmd_str(&["PSUBSCRIBE", "p*"]), conf(prefix, "psubscribe", Some("p*"), 3));
        // Shard channels count on their own.
        assert_reply!(c.cmd_str(&["SSUBSCRIBE", "s"]), conf(prefix, "ssubscribe", Some("s"), 1));
        // PUNSUBSCRIBE without arguments leaves the patterns only.
        assert_reply!(c.cmd_str(&["PUNSUBSCRIBE"]), conf(prefix, "punsubscribe", Some("p*"), 2));
        assert_reply!(c.cmd_str(&["PUNSUBSCRIBE"]), conf(prefix, "punsubscribe", None, 2));
        assert_reply!(c.cmd_str(&["SUNSUBSCRIBE"]), conf(prefix, "sunsubscribe", Some("s"), 0));
        // UNSUBSCRIBE without arguments: every channel, in no particular order.
        c.send(&multibulk(&[b"UNSUBSCRIBE"]));
        let first = c.read_frame();
        let second = c.read_frame();
        let parts = |f: &Frame| match f {
            Frame::Array(v) | Frame::Push(v) => v.clone(),
            other => panic!("not a confirmation: {other:?}"),
        };
        let (a, b) = (parts(&first), parts(&second));
        assert_eq!(
            (&a[0], &a[2], &b[0], &b[2]),
            (
                &Frame::bulk("unsubscribe"),
                &Frame::Int(1),
                &Frame::bulk("unsubscribe"),
                &Frame::Int(0)
            )
        );
        let mut names = vec![a[1].clone(), b[1].clone()];
        names.sort_by_key(|f| format!("{f:?}"));
        assert_eq!(names, vec![Frame::bulk("a"), Frame::bulk("b")]);
        assert_reply!(c.cmd_str(&["PING"]), b"+PONG\r\n");
    }
}

#[test]
fn resp2_subscribed_context_allows_only_pubsub_ping_quit_reset() {
    let server = Server::start();
    let mut c = server.raw();
    c.cmd_str(&["SUBSCRIBE", "ch"]);
    assert_reply!(
        c.cmd_str(&["GET", "k"]),
        b"-ERR Can't execute 'get': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context\r\n"
    );
    assert_reply!(
        c.cmd_str(&["CLIENT", "LIST"]),
        b"-ERR Can't execute 'client|list': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context\r\n"
    );
    // PING answers ["pong", argument] (an empty string without one).
    assert_reply!(c.cmd_str(&["PING"]), b"*2\r\n$4\r\npong\r\n$0\r\n\r\n");
    assert_reply!(c.cmd_str(&["PING", "hi"]), b"*2\r\n$4\r\npong\r\n$2\r\nhi\r\n");
    // RESET leaves every subscription and the context.
    assert_reply!(c.cmd_str(&["RESET"]), b"+RESET\r\n");
    assert_reply!(c.cmd_str(&["PUBSUB", "NUMSUB", "ch"]), b"*2\r\n$2\r\nch\r\n:0\r\n");
    assert_reply!(c.cmd_str(&["PING"]), b"+PONG\r\n");
    // After the last unsubscription, ordinary commands work again.
    c.cmd_str(&["PSUBSCRIBE", "x*"]);
    c.cmd_str(&["PUNSUBSCRIBE", "x*"]);
    assert_reply!(c.cmd_str(&["GET", "k"]), b"$-1\r\n");
}

#[test]
fn resp3_pushes_arrive_beside_ordinary_replies() {
    let server = Server::start();
    let mut sub = server.raw();
    sub.frame(&["HELLO", "3"]);
    sub.cmd_str(&["SUBSCRIBE", "news"]);
    // Any command works while subscribed, and PING is the ordinary PONG.
    assert_reply!(sub.cmd_str(&["SET", "k", "v"]), b"+OK\r\n");
    assert_reply!(sub.cmd_str(&["PING"]), b"+PONG\r\n");
    let mut publisher = server.raw();
    assert_reply!(publisher.cmd_str(&["PUBLISH", "news", "hello"]), b":1\r\n");
    // The push queued before GET is written before GET's reply.
    std::thread::sleep(Duration::from_millis(50));
    sub.send(&multibulk(&[b"GET", b"k"]));
    sub.expect(&message('>', "news", "hello"));
    sub.expect(b"$1\r\nv\r\n");
    // Confirmations are pushes and pass CLIENT REPLY OFF.
    sub.send(&multibulk(&[b"CLIENT", b"REPLY", b"OFF"]));
    sub.send(&multibulk(&[b"SUBSCRIBE", b"more"]));
    sub.expect(&conf('>', "subscribe", Some("more"), 2));
    assert_reply!(publisher.cmd_str(&["PUBLISH", "more", "x"]), b":1\r\n");
    sub.expect(&message('>', "more", "x"));
}

#[test]
fn publish_to_self_inside_multi_comes_after_the_exec_reply() {
    // Redis 7.2 postpones pushes to the executing client until after its reply; 7.0 wrote
    // them inside the EXEC array.
    if crate::support::expected_version().starts_with("7.0.") {
        return;
    }
    let server = Server::start();
    let mut c = server.raw();
    c.frame(&["HELLO", "3"]);
    c.cmd_str(&["SUBSCRIBE", "foo"]);
    c.cmd_str(&["MULTI"]);
    c.cmd_str(&["PING", "abc"]);
    c.cmd_str(&["PUBLISH", "foo", "bar"]);
    c.cmd_str(&["PUBLISH", "foo", "vaz"]);
    c.send(&multibulk(&[b"EXEC"]));
    c.expect(b"*3\r\n$3\r\nabc\r\n:1\r\n:1\r\n");
    c.expect(&message('>', "foo", "bar"));
    c.expect(&message('>', "foo", "vaz"));
}

#[test]
fn patterns_and_channels_deliver_once_per_subscription() {
    let server = Server::start();
    for (prefix, hello) in [('*', "2"), ('>', "3")] {
        let mut sub = server.raw();
        sub.frame(&["HELLO", hello]);
        sub.cmd_str(&["SUBSCRIBE", "news.sport"]);
        sub.cmd_str(&["PSUBSCRIBE", "news.*"]);
        sub.cmd_str(&["PSUBSCRIBE", "n[aeiou]ws.?port"]);
        let mut publisher = server.raw();
        assert_reply!(publisher.cmd_str(&["PUBLISH", "news.sport", "goal"]), b":3\r\n");
        sub.expect(&message(prefix, "news.sport", "goal"));
        // Patterns in no particular order.
        let mut pm = vec![sub.read_frame(), sub.read_frame()];
        pm.sort_by_key(|f| format!("{f:?}"));
        let p = |pat: &str| {
            let items = vec![
                Frame::bulk("pmessage"),
                Frame::bulk(pat),
                Frame::bulk("news.sport"),
                Frame::bulk("goal"),
            ];
            if prefix == '*' {
                Frame::Array(items)
            } else {
                Frame::Push(items)
            }
        };
        let mut want = vec![p("n[aeiou]ws.?port"), p("news.*")];
        want.sort_by_key(|f| format!("{f:?}"));
        assert_eq!(pm, want);
        assert_reply!(publisher.cmd_str(&["PUBLISH", "news.art", "x"]), b":1\r\n");
        assert_reply!(publisher.cmd_str(&["PUBLISH", "sport", "x"]), b":0\r\n");
        // A shard channel is separate from channels and patterns.
        assert_reply!(publisher.cmd_str(&["SPUBLISH", "news.sport", "x"]), b":0\r\n");
        assert_reply!(
            publisher.cmd_str(&["PUBSUB", "NUMSUB", "news.sport", "news.*"]),
            b"*4\r\n$10\r\nnews.sport\r\n:1\r\n$6\r\nnews.*\r\n:0\r\n"
        );
        assert_reply!(publisher.cmd_str(&["PUBSUB", "NUMPAT"]), b":2\r\n");
        assert_reply!(
            publisher.cmd_str(&["PUBSUB", "CHANNELS", "news.*"]),
            b"*1\r\n$10\r\nnews.sport\r\n"
        );
        sub.expect(
            &format!(
                "{prefix}4\r\n$8\r\npmessage\r\n$6\r\nnews.*\r\n$8\r\nnews.art\r\n$1\r\nx\r\n"
            )
            .into_bytes(),
        );
        sub.cmd_str(&["RESET"]);
        assert_reply!(publisher.cmd_str(&["PUBSUB", "NUMPAT"]), b":0\r\n");
    }
}

#[test]
fn shard_channels_publish_smessage() {
    let server = Server::start();
    let mut sub = server.raw();
    assert_reply!(sub.cmd_str(&["SSUBSCRIBE", "s1", "s2"]), conf('*', "ssubscribe", Some("s1"), 1));
    sub.expect(&conf('*', "ssubscribe", Some("s2"), 2));
    let mut publisher = server.raw();
    assert_reply!(publisher.cmd_str(&["PUBLISH", "s1", "x"]), b":0\r\n");
    assert_reply!(publisher.cmd_str(&["SPUBLISH", "s1", "x"]), b":1\r\n");
    sub.expect(b"*3\r\n$8\r\nsmessage\r\n$2\r\ns1\r\n$1\r\nx\r\n");
    assert_reply!(
        publisher.cmd_str(&["PUBSUB", "SHARDNUMSUB", "s1", "zz"]),
        b"*4\r\n$2\r\ns1\r\n:1\r\n$2\r\nzz\r\n:0\r\n"
    );
    let chans = publisher.frame(&["PUBSUB", "SHARDCHANNELS"]);
    let Frame::Array(mut chans) = chans else { panic!("{chans:?}") };
    chans.sort_by_key(|f| format!("{f:?}"));
    assert_eq!(chans, vec![Frame::bulk("s1"), Frame::bulk("s2")]);
    assert_reply!(publisher.cmd_str(&["PUBSUB", "SHARDCHANNELS", "*2"]), b"*1\r\n$2\r\ns2\r\n");
    assert_reply!(publisher.cmd_str(&["PUBSUB", "CHANNELS"]), b"*0\r\n");
    // A disconnect leaves every subscription.
    drop(sub);
    let deadline = Instant::now() + Duration::from_secs(5);
    while publisher.cmd_str(&["PUBSUB", "SHARDNUMSUB", "s1"]) != b"*2\r\n$2\r\ns1\r\n:0\r\n" {
        assert!(Instant::now() < deadline, "the closed subscriber stayed subscribed");
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn celery_style_result_wait_with_publish_inside_multi() {
    let server = Server::start();
    // RESP2: the redis crate's PubSub.
    {
        let mut waiter = server.client(Proto::Resp2);
        let mut ps = waiter.as_pubsub();
        ps.subscribe("celery-task-meta-42").unwrap();
        ps.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
        let mut worker = server.client(Proto::Resp2);
        let (ok, receivers): (String, i64) = redis::pipe()
            .atomic()
            .set("celery-task-meta-42", "{\"status\": \"SUCCESS\"}")
            .publish("celery-task-meta-42", "{\"status\": \"SUCCESS\"}")
            .query(&mut worker)
            .unwrap();
        assert_eq!((ok.as_str(), receivers), ("OK", 1));
        let msg = ps.get_message().unwrap();
        assert_eq!(msg.get_channel_name(), "celery-task-meta-42");
        assert_eq!(msg.get_payload::<String>().unwrap(), "{\"status\": \"SUCCESS\"}");
    }
    // RESP3: pushes reach the push sender while the connection runs ordinary commands.
    {
        let mut waiter = server.client(Proto::Resp3);
        let (tx, rx) = std::sync::mpsc::channel();
        waiter.set_push_sender(tx);
        waiter.subscribe_resp3("celery-task-meta-43").unwrap();
        let mut worker = server.client(Proto::Resp3);
        let (ok, receivers): (String, i64) = redis::pipe()
            .atomic()
            .set("celery-task-meta-43", "done")
            .publish("celery-task-meta-43", "done")
            .query(&mut worker)
            .unwrap();
        assert_eq!((ok.as_str(), receivers), ("OK", 1));
        // An ordinary command on the subscribed connection reads the push on its way.
        let v: String = redis::cmd("GET").arg("celery-task-meta-43").query(&mut waiter).unwrap();
        assert_eq!(v, "done");
        let pushes: Vec<redis::PushInfo> = rx.try_iter().collect();
        let messages: Vec<_> =
            pushes.iter().filter(|p| p.kind == redis::PushKind::Message).collect();
        assert_eq!(messages.len(), 1, "{pushes:?}");
        assert_eq!(
            messages[0].data,
            vec![
                redis::Value::BulkString(b"celery-task-meta-43".to_vec()),
                redis::Value::BulkString(b"done".to_vec())
            ]
        );
    }
}

#[test]
fn ten_thousand_messages_arrive_in_publish_order() {
    let server = Server::start();
    for (prefix, hello) in [('*', "2"), ('>', "3")] {
        let mut sub = server.raw();
        sub.frame(&["HELLO", hello]);
        sub.cmd_str(&["SUBSCRIBE", "seq"]);
        sub.cmd_str(&["PSUBSCRIBE", "s*"]);
        let mut publisher = server.raw();
        let mut batch = Vec::new();
        for i in 0..10_000 {
            batch.extend_from_slice(&multibulk(&[b"PUBLISH", b"seq", i.to_string().as_bytes()]));
        }
        publisher.send(&batch);
        for i in 0..10_000 {
            assert_reply!(publisher.read_reply(), b":2\r\n", "PUBLISH #{i}");
        }
        for i in 0..10_000 {
            let payload = i.to_string();
            sub.expect(&message(prefix, "seq", &payload));
            sub.expect(
                &format!(
                    "{prefix}4\r\n$8\r\npmessage\r\n$2\r\ns*\r\n$3\r\nseq\r\n${}\r\n{payload}\r\n",
                    payload.len()
                )
                .into_bytes(),
            );
        }
    }
}

#[test]
fn client_list_and_info_show_subscriptions() {
    let server = Server::start();
    let mut sub = server.raw();
    sub.frame(&["HELLO", "3"]);
    sub.frame(&["CLIENT", "SETNAME", "listener"]);
    sub.cmd_str(&["SUBSCRIBE", "a", "b"]);
    sub.read_reply();
    sub.cmd_str(&["PSUBSCRIBE", "p*"]);
    sub.cmd_str(&["SSUBSCRIBE", "s"]);
    let mut c = server.client(Proto::Resp2);
    // The subscriber's worker thread records its output buffer as empty just after the write
    // that delivered the replies read above, so another thread may see the bytes as still
    // pending for a moment: ask again until the buffer figures settle (Redis, single-threaded,
    // shows them at once).
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
    loop {
        let list: String = redis::cmd("CLIENT").arg("LIST").query(&mut c).unwrap();
        let line =
            list.lines().find(|l| l.contains("name=listener")).expect("listener line").to_owned();
        let missing: Vec<&str> =
            ["sub=2", "psub=1", "ssub=1", "flags=P", "obl=0", "oll=0", "omem=0"]
                .into_iter()
                .filter(|field| !line.split(' ').any(|f| f == *field))
                .collect();
        if missing.is_empty() {
            break;
        }
        assert!(std::time::Instant::now() < deadline, "{missing:?} missing in {line}");
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    let typed: String =
        redis::cmd("CLIENT").arg("LIST").arg("TYPE").arg("pubsub").query(&mut c).unwrap();
    assert_eq!(typed.lines().count(), 1, "{typed}");
    let info: String = redis::cmd("INFO").query(&mut c).unwrap();
    // `pubsub_clients` is new in Redis 7.2.
    let fields: &[&str] = if crate::support::expected_version().starts_with("7.0.") {
        &["pubsub_channels:2", "pubsub_patterns:1", "pubsubshard_channels:1"]
    } else {
        &["pubsub_channels:2", "pubsub_patterns:1", "pubsubshard_channels:1", "pubsub_clients:1"]
    };
    for field in fields {
        assert!(info.lines().any(|l| l == *field), "{field} missing in INFO");
    }
    // CLIENT KILL TYPE pubsub closes the subscriber, which leaves its channels.
    let killed: i64 =
        redis::cmd("CLIENT").arg("KILL").arg("TYPE").arg("pubsub").query(&mut c).unwrap();
    assert_eq!(killed, 1);
    sub.expect_closed();
    let mut raw = server.raw();
    wait_numsub(&mut raw, "a", 0);
}

/// `used_memory_rss` from INFO memory, in bytes.
fn rss(c: &mut redis::Connection) -> u64 {
    let info: String = redis::cmd("INFO").arg("memory").query(c).unwrap();
    info.lines()
        .find_map(|l| l.strip_prefix("used_memory_rss:"))
        .and_then(|v| v.trim().parse().ok())
        .expect("used_memory_rss")
}

#[test]
fn slow_subscriber_is_closed_by_the_output_buffer_limit() {
    let server = Server::start();
    let mut c = server.client(Proto::Resp2);
    // 4 MiB hard limit so the test is quick; the socket buffers absorb a few MiB more.
    let _: () = redis::cmd("CONFIG")
        .arg("SET")
        .arg("client-output-buffer-limit")
        .arg("pubsub 4mb 2mb 60")
        .query(&mut c)
        .unwrap();
    let before = rss(&mut c);
    let mut slow = server.raw();
    slow.cmd_str(&["SUBSCRIBE", "firehose"]);
    // Never read again; publish 200 MiB of 64 KiB messages.
    let payload = "x".repeat(64 * 1024);
    let mut publisher = server.raw();
    let mut receivers_total = 0;
    for _ in 0..32 {
        let mut batch = Vec::new();
        for _ in 0..100 {
            batch.extend_from_slice(&multibulk(&[b"PUBLISH", b"firehose", payload.as_bytes()]));
        }
        publisher.send(&batch);
        for _ in 0..100 {
            let r = publisher.read_reply();
            receivers_total += i64::from(r == b":1\r\n");
        }
    }
    // The subscriber was closed: it left its channel, and the server counted it.
    wait_numsub(&mut publisher, "firehose", 0);
    assert!(receivers_total < 3200, "every message was still delivered");
    // `client_output_buffer_limit_disconnections` is new in Redis 7.2.
    if !crate::support::expected_version().starts_with("7.0.") {
        let info: String = redis::cmd("INFO").arg("stats").query(&mut c).unwrap();
        assert!(
            info.lines().any(|l| l == "client_output_buffer_limit_disconnections:1"),
            "no disconnection counted"
        );
    }
    let grown = rss(&mut c).saturating_sub(before);
    assert!(grown < 64 * 1024 * 1024, "RSS grew by {grown} bytes");
    let _: () = redis::cmd("CONFIG")
        .arg("SET")
        .arg("client-output-buffer-limit")
        .arg("pubsub 32mb 8mb 60")
        .query(&mut c)
        .unwrap();
    let cfg = query(&mut c, &["CONFIG", "GET", "client-output-buffer-limit"]);
    assert!(format!("{cfg:?}").contains("pubsub 33554432 8388608 60"), "{cfg:?}");
    drop(slow);
}

#[test]
fn a_blocked_resp3_subscriber_still_receives_messages() {
    let server = Server::start();
    let mut sub = server.raw();
    sub.frame(&["HELLO", "3"]);
    sub.cmd_str(&["SUBSCRIBE", "c1"]);
    sub.send(&multibulk(&[b"BLPOP", b"jobs", b"0"]));
    std::thread::sleep(Duration::from_millis(100));
    let mut other = server.raw();
    assert_reply!(other.cmd_str(&["PUBLISH", "c1", "hi"]), b":1\r\n");
    sub.expect(&message('>', "c1", "hi"));
    assert_reply!(other.cmd_str(&["RPUSH", "jobs", "v"]), b":1\r\n");
    sub.expect(b"*2\r\n$4\r\njobs\r\n$1\r\nv\r\n");
}

#[test]
fn the_normal_class_limit_closes_a_client_with_a_big_unread_reply() {
    let server = Server::start();
    let mut c = server.client(Proto::Resp2);
    let _: () = redis::cmd("SET").arg("big").arg("x".repeat(3_000_000)).query(&mut c).unwrap();
    let _: () = redis::cmd("CONFIG")
        .arg("SET")
        .arg("client-output-buffer-limit")
        .arg("normal 1mb 0 0")
        .query(&mut c)
        .unwrap();
    let mut reader = server.raw();
    reader.send(&multibulk(&[b"GET", b"big"]));
    reader.expect_closed();
    let _: () = redis::cmd("CONFIG")
        .arg("SET")
        .arg("client-output-buffer-limit")
        .arg("normal 0 0 0")
        .query(&mut c)
        .unwrap();
    let mut reader = server.raw();
    reader.send(&multibulk(&[b"GET", b"big"]));
    assert_eq!(reader.read_reply().len(), 3_000_000 + "$3000000\r\n\r\n".len());
}

#[test]
fn fan_out_to_many_subscribers_keeps_every_message_and_its_order() {
    // Subscribers drain their queues on other threads while the publisher fills them: the
    // per-client byte counts must never go wrong (a subtraction before its addition once
    // killed subscriber connections here).
    let server = Server::start();
    let mut subs: Vec<Raw> = (0..20)
        .map(|_| {
            let mut s = server.raw();
            s.cmd_str(&["SUBSCRIBE", "fan"]);
            s
        })
        .collect();
    let mut publisher = server.raw();
    let mut batch = Vec::new();
    for i in 0..5_000 {
        batch.extend_from_slice(&multibulk(&[b"PUBLISH", b"fan", i.to_string().as_bytes()]));
    }
    publisher.send(&batch);
    for i in 0..5_000 {
        assert_reply!(publisher.read_reply(), b":20\r\n", "PUBLISH #{i}");
    }
    for (n, s) in subs.iter_mut().enumerate() {
        for i in 0..5_000 {
            let want = message('*', "fan", &i.to_string());
            assert_reply!(s.read_reply(), want, "subscriber {n}, message {i}");
        }
    }
    assert_reply!(publisher.cmd_str(&["PUBSUB", "NUMSUB", "fan"]), b"*2\r\n$3\r\nfan\r\n:20\r\n");
    // Each subscriber's thread records its buffer as drained just after the write that
    // delivered the last message, so ask again until the figures settle.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
    loop {
        let list = String::from_utf8_lossy(&publisher.cmd_str(&["CLIENT", "LIST"])).into_owned();
        let busy = list
            .lines()
            .filter(|l| l.contains("sub=1 "))
            .find(|l| !(l.contains(" oll=0 ") && l.contains(" omem=0 ")))
            .map(str::to_owned);
        let Some(line) = busy else { break };
        assert!(std::time::Instant::now() < deadline, "{line}");
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
}

#[test]
fn the_soft_limit_closes_a_subscriber_only_after_its_seconds() {
    let server = Server::start();
    let mut c = server.client(Proto::Resp2);
    let _: () = redis::cmd("CONFIG")
        .arg("SET")
        .arg("client-output-buffer-limit")
        .arg("pubsub 0 1mb 1")
        .query(&mut c)
        .unwrap();
    let mut slow = server.raw();
    slow.cmd_str(&["SUBSCRIBE", "soft"]);
    let payload = "y".repeat(64 * 1024);
    let mut publisher = server.raw();
    // Far over the soft limit (beyond what the socket buffers absorb), then keep publishing:
    // the subscriber stays until the limit has been exceeded for more than 1 second.
    let started = Instant::now();
    let mut closed_after = None;
    while started.elapsed() < Duration::from_secs(6) {
        let mut batch = Vec::new();
        for _ in 0..16 {
            batch.extend_from_slice(&multibulk(&[b"PUBLISH", b"soft", payload.as_bytes()]));
        }
        publisher.send(&batch);
        let mut delivered = 0;
        for _ in 0..16 {
            delivered += i64::from(publisher.read_reply() == b":1\r\n");
        }
        if delivered == 0 {
            closed_after = Some(started.elapsed());
            break;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    let closed_after = closed_after.expect("the subscriber was never closed");
    assert!(closed_after >= Duration::from_millis(900), "closed after {closed_after:?}");
    let _: () = redis::cmd("CONFIG")
        .arg("SET")
        .arg("client-output-buffer-limit")
        .arg("pubsub 32mb 8mb 60")
        .query(&mut c)
        .unwrap();
    drop(slow);
}
