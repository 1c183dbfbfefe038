//! Key expiry: lazy (on access) and active (background cycle). Reference: Redis 7.2
//! `expire.c` (`activeExpireCycle`), `db.c` (`expireIfNeeded`).

use crate::support::{multibulk, query, Proto, Server};
use redis::Value;
use std::time::{Duration, Instant};

#[test]
fn key_with_100ms_ttl_is_gone_for_get_exists_and_ttl_after_expiry() {
    let server = Server::start();
    for proto in crate::support::BOTH {
        let mut con = server.client(proto);
        assert_eq!(query(&mut con, &["SET", "px", "v", "PX", "100"]), Value::Okay);
        assert_eq!(query(&mut con, &["SET", "pexpire", "v"]), Value::Okay);
        assert_eq!(query(&mut con, &["PEXPIRE", "pexpire", "100"]), Value::Int(1));
        assert_eq!(query(&mut con, &["SET", "kept", "v"]), Value::Okay);
        assert_eq!(
            query(&mut con, &["GET", "px"]),
            Value::BulkString(b"v".to_vec()),
            "{proto:?}: before expiry"
        );
        assert_eq!(query(&mut con, &["EXISTS", "px", "pexpire"]), Value::Int(2));
        std::thread::sleep(Duration::from_millis(200));
        assert_eq!(query(&mut con, &["GET", "px"]), Value::Nil, "{proto:?}");
        assert_eq!(
            query(&mut con, &["EXISTS", "px", "pexpire", "kept"]),
            Value::Int(1),
            "{proto:?}"
        );
        assert_eq!(query(&mut con, &["TTL", "pexpire"]), Value::Int(-2), "{proto:?}");
        assert_eq!(query(&mut con, &["PTTL", "px"]), Value::Int(-2), "{proto:?}");
        assert_eq!(
            query(&mut con, &["MGET", "px", "kept", "pexpire"]),
            Value::Array(vec![Value::Nil, Value::BulkString(b"v".to_vec()), Value::Nil]),
            "{proto:?}"
        );
        // SET NX succeeds on an expired key.
        assert_eq!(query(&mut con, &["SET", "px", "new", "NX"]), Value::Okay, "{proto:?}");
        assert_eq!(query(&mut con, &["FLUSHALL"]), Value::Okay);
    }
}

#[test]
fn expired_key_reads_as_null_on_the_wire() {
    let server = Server::start();
    let mut c = server.raw();
    assert_reply!(c.cmd_str(&["SET", "k", "v", "PX", "50"]), b"+OK\r\n");
    std::thread::sleep(Duration::from_millis(120));
    assert_reply!(c.cmd_str(&["GET", "k"]), b"$-1\r\n");
    assert_reply!(c.cmd_str(&["SET", "k", "v", "PX", "50"]), b"+OK\r\n");
    c.frame(&["HELLO", "3"]);
    std::thread::sleep(Duration::from_millis(120));
    assert_reply!(c.cmd_str(&["GET", "k"]), b"_\r\n");
}

#[test]
fn active_expiry_reclaims_10000_keys_within_2s_without_access() {
    let server = Server::start();
    let mut c = server.raw();
    let started = Instant::now();
    // Pipelined in batches of 1000, then the replies.
    for batch in 0..10 {
        let mut req = Vec::new();
        for i in 0..1000 {
            let key = format!("volatile:{}", batch * 1000 + i);
            req.extend(multibulk(&[b"SET", key.as_bytes(), b"v", b"PX", b"200"]));
        }
        c.send(&req);
        c.expect(&b"+OK\r\n".repeat(1000));
    }
    let ttl_over = Instant::now() + Duration::from_millis(200);
    let mut con = server.client(Proto::Resp2);
    let dbsize =
        |con: &mut redis::Connection| -> i64 { redis::cmd("DBSIZE").query(con).expect("DBSIZE") };
    let first = dbsize(&mut con);
    if started.elapsed() < Duration::from_millis(150) {
        // Nothing has expired yet, and DBSIZE counts keys not yet reclaimed.
        assert_eq!(first, 10_000, "DBSIZE right after the writes");
    }
    let deadline = ttl_over + Duration::from_secs(2);
    let mut last;
    loop {
        last = dbsize(&mut con);
        if last == 0 || Instant::now() > deadline {
            break;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    assert_eq!(last, 0, "active expiry left {last} of 10000 expired keys after 2 s");
}
