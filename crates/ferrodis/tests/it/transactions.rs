//! MULTI/EXEC/WATCH as Redis 7.2 answers them, over the `redis` crate (whose pipelines in
//! atomic mode are MULTI/EXEC, as redis-py's are) and raw bytes: queueing, EXECABORT,
//! WATCH aborts (other client, expiry, FLUSHALL), isolation from other threads, and blocked
//! clients woken by a transaction's writes.

use crate::support::{multibulk, Proto, Raw, Server, BOTH};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

#[test]
fn exec_returns_every_reply_and_runtime_errors_fail_only_their_command() {
    let server = Server::start();
    let mut c = server.raw();
    for (cmd, want) in [
        (vec!["MULTI"], &b"+OK\r\n"[..]),
        (vec!["SET", "k", "v"], b"+QUEUED\r\n"),
        (vec!["INCR", "k"], b"+QUEUED\r\n"),
        (vec!["GET", "k"], b"+QUEUED\r\n"),
    ] {
        assert_reply!(c.cmd_str(&cmd), want);
    }
    assert_reply!(
        c.cmd_str(&["EXEC"]),
        b"*3\r\n+OK\r\n-ERR value is not an integer or out of range\r\n$1\r\nv\r\n"
    );
    // A queue-time error discards the whole transaction.
    c.cmd_str(&["MULTI"]);
    c.cmd_str(&["SET", "k", "other"]);
    assert_reply!(c.cmd_str(&["GET"]), b"-ERR wrong number of arguments for 'get' command\r\n");
    assert_reply!(
        c.cmd_str(&["EXEC"]),
        b"-EXECABORT Transaction discarded because of previous errors.\r\n"
    );
    assert_reply!(c.cmd_str(&["GET", "k"]), b"$1\r\nv\r\n");
    assert_reply!(c.cmd_str(&["EXEC"]), b"-ERR EXEC without MULTI\r\n");
}

#[test]
fn watch_aborts_on_another_clients_write_and_on_expiry() {
    let server = Server::start();
    for proto in BOTH {
        let mut c = server.raw();
        let null: &[u8] = if proto == Proto::Resp3 {
            c.cmd_str(&["HELLO", "3"]);
            b"_\r\n"
        } else {
            b"*-1\r\n"
        };
        let mut other = server.raw();
        c.cmd_str(&["SET", "w", "1"]);
        c.cmd_str(&["WATCH", "w"]);
        other.cmd_str(&["SET", "w", "2"]);
        c.cmd_str(&["MULTI"]);
        c.cmd_str(&["SET", "w", "mine"]);
        assert_reply!(c.cmd_str(&["EXEC"]), null, "{proto:?}");
        assert_reply!(c.cmd_str(&["GET", "w"]), b"$1\r\n2\r\n");
        // Not modified: runs. The watch ends with EXEC.
        c.cmd_str(&["WATCH", "w"]);
        c.cmd_str(&["MULTI"]);
        c.cmd_str(&["INCR", "w"]);
        assert_reply!(c.cmd_str(&["EXEC"]), b"*1\r\n:3\r\n");
        // A watched key that expires before EXEC aborts it, even if nobody touched it.
        c.cmd_str(&["SET", "e", "x", "PX", "50"]);
        c.cmd_str(&["WATCH", "e"]);
        std::thread::sleep(Duration::from_millis(100));
        c.cmd_str(&["MULTI"]);
        c.cmd_str(&["PING"]);
        assert_reply!(c.cmd_str(&["EXEC"]), null, "{proto:?} expiry");
        // FLUSHALL touches watched keys that exist, not those that do not.
        c.cmd_str(&["SET", "f", "1"]);
        c.cmd_str(&["WATCH", "f", "absent"]);
        other.cmd_str(&["FLUSHALL"]);
        c.cmd_str(&["MULTI"]);
        c.cmd_str(&["PING"]);
        assert_reply!(c.cmd_str(&["EXEC"]), null, "{proto:?} flushall");
        c.cmd_str(&["WATCH", "absent"]);
        other.cmd_str(&["FLUSHALL"]);
        c.cmd_str(&["MULTI"]);
        c.cmd_str(&["PING"]);
        assert_reply!(c.cmd_str(&["EXEC"]), b"*1\r\n+PONG\r\n", "{proto:?} untouched");
    }
}

#[test]
fn redis_crate_atomic_pipeline_is_a_transaction() {
    let server = Server::start();
    for proto in BOTH {
        let mut con = server.client(proto);
        let (a, b): (i64, i64) = redis::pipe()
            .atomic()
            .cmd("INCR")
            .arg("rate:1")
            .cmd("EXPIRE")
            .arg("rate:1")
            .arg(60)
            .ignore()
            .cmd("TTL")
            .arg("rate:1")
            .query(&mut con)
            .unwrap();
        assert!(a >= 1 && (59..=60).contains(&b), "{proto:?}: {a} {b}");
    }
}

#[test]
fn no_other_client_sees_half_a_transaction() {
    let server = Server::start();
    let stop = Arc::new(AtomicBool::new(false));
    let reader = {
        let stop = stop.clone();
        let mut r = server.raw();
        std::thread::spawn(move || {
            let mut checks = 0;
            while !stop.load(Ordering::Relaxed) {
                let reply = r.cmd_str(&["MGET", "tx:a", "tx:b", "tx:c"]);
                let text = String::from_utf8_lossy(&reply).into_owned();
                let values: Vec<&str> =
                    text.lines().filter(|l| !l.starts_with(['*', '$'])).collect();
                assert!(values.windows(2).all(|w| w[0] == w[1]), "saw a partial EXEC: {text:?}");
                checks += 1;
            }
            checks
        })
    };
    let mut w = server.raw();
    let deadline = Instant::now() + Duration::from_secs(2);
    let mut n = 0;
    while Instant::now() < deadline {
        let v = n.to_string();
        let mut batch = multibulk(&[b"MULTI"]);
        for key in ["tx:a", "tx:b", "tx:c"] {
            batch.extend(multibulk(&[b"SET", key.as_bytes(), v.as_bytes()]));
        }
        batch.extend(multibulk(&[b"EXEC"]));
        w.send(&batch);
        for _ in 0..4 {
            w.read_reply();
        }
        assert_reply!(w.read_reply(), b"*3\r\n+OK\r\n+OK\r\n+OK\r\n");
        n += 1;
    }
    stop.store(true, Ordering::Relaxed);
    let checks = reader.join().expect("reader thread");
    assert!(n > 100 && checks > 100, "too few rounds: {n} transactions, {checks} reads");
}

#[test]
fn writes_inside_exec_wake_blocked_clients_after_the_transaction() {
    let server = Server::start();
    let mut admin = server.raw();
    let mut blocked = server.raw();
    blocked.send(&multibulk(&[b"BLPOP", b"jobs", b"0"]));
    let start = Instant::now();
    loop {
        let info = String::from_utf8_lossy(&admin.cmd_str(&["INFO", "clients"])).into_owned();
        if info.contains("blocked_clients:1\r\n") {
            break;
        }
        assert!(start.elapsed() < Duration::from_secs(10), "client never blocked");
        std::thread::sleep(Duration::from_millis(5));
    }
    let mut tx = server.raw();
    tx.cmd_str(&["MULTI"]);
    tx.cmd_str(&["RPUSH", "jobs", "a", "b"]);
    tx.cmd_str(&["LPOP", "jobs"]);
    // The blocked client cannot take "a" between the push and the pop of the transaction.
    assert_reply!(tx.cmd_str(&["EXEC"]), b"*2\r\n:2\r\n$1\r\na\r\n");
    assert_reply!(blocked.read_reply(), b"*2\r\n$4\r\njobs\r\n$1\r\nb\r\n");
}

#[test]
fn client_list_shows_the_transaction() {
    let server = Server::start();
    let mut c: Raw = server.raw();
    c.cmd_str(&["WATCH", "a", "b"]);
    c.cmd_str(&["MULTI"]);
    c.cmd_str(&["PING"]);
    let info = String::from_utf8_lossy(&server.raw().cmd_str(&["CLIENT", "LIST"])).into_owned();
    let line = info.lines().find(|l| l.contains("multi=1")).unwrap_or_else(|| panic!("{info}"));
    assert!(line.contains(" flags=x ") && line.contains(" watch=2 "), "{line}");
}
