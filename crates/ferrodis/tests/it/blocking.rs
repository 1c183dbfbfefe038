//! Blocking pops (BLPOP, BRPOP, BLMOVE, BRPOPLPUSH, BLMPOP, BZPOPMIN, BZPOPMAX, BZMPOP): who
//! is served, in which order, with which reply, and that nothing is lost when a blocked client
//! leaves. Replies are compared byte for byte with what Redis 7.2 sends.

use crate::support::{multibulk, Raw, Server};
use std::time::{Duration, Instant};

/// Sends a command without reading its reply (the client is about to block).
fn send(c: &mut Raw, args: &[&str]) {
    let a: Vec<&[u8]> = args.iter().map(|s| s.as_bytes()).collect();
    c.send(&multibulk(&a));
}

/// INFO clients' `blocked_clients`.
fn blocked_clients(admin: &mut Raw) -> usize {
    let info = String::from_utf8_lossy(&admin.cmd_str(&["INFO", "clients"])).into_owned();
    let line = info.lines().find(|l| l.starts_with("blocked_clients:")).expect("blocked_clients");
    line["blocked_clients:".len()..].trim().parse().expect("number")
}

/// Waits until `n` clients are blocked (Valkey's `wait_for_blocked_clients_count`).
fn wait_blocked(admin: &mut Raw, n: usize) {
    let start = Instant::now();
    while blocked_clients(admin) != n {
        assert!(start.elapsed() < Duration::from_secs(10), "never reached {n} blocked clients");
        std::thread::sleep(Duration::from_millis(5));
    }
}

#[test]
fn blpop_is_served_by_a_later_push_in_both_protocols() {
    let server = Server::start();
    let mut admin = server.raw();
    let mut resp2 = server.raw();
    let mut resp3 = server.raw();
    resp3.cmd_str(&["HELLO", "3"]);
    send(&mut resp2, &["BLPOP", "q2", "0"]);
    send(&mut resp3, &["BZPOPMIN", "z3", "0"]);
    wait_blocked(&mut admin, 2);
    assert_reply!(admin.cmd_str(&["RPUSH", "q2", "a", "b"]), b":2\r\n");
    assert_reply!(resp2.read_reply(), b"*2\r\n$2\r\nq2\r\n$1\r\na\r\n");
    assert_reply!(admin.cmd_str(&["ZADD", "z3", "1.5", "m"]), b":1\r\n");
    assert_reply!(resp3.read_reply(), b"*3\r\n$2\r\nz3\r\n$1\r\nm\r\n,1.5\r\n");
    assert_reply!(admin.cmd_str(&["LRANGE", "q2", "0", "-1"]), b"*1\r\n$1\r\nb\r\n");
    assert_reply!(admin.cmd_str(&["EXISTS", "z3"]), b":0\r\n");
    wait_blocked(&mut admin, 0);
}

#[test]
fn timeouts_answer_a_null_array_and_bad_timeouts_are_errors() {
    let server = Server::start();
    let mut c = server.raw();
    let start = Instant::now();
    assert_reply!(c.cmd_str(&["BLPOP", "nothing", "0.2"]), b"*-1\r\n");
    assert!(start.elapsed() >= Duration::from_millis(200), "returned before the timeout");
    assert_reply!(c.cmd_str(&["BLMOVE", "a", "b", "LEFT", "RIGHT", "0.01"]), b"*-1\r\n");
    assert_reply!(c.cmd_str(&["BZMPOP", "0.01", "1", "z", "MIN"]), b"*-1\r\n");
    c.cmd_str(&["HELLO", "3"]);
    assert_reply!(c.cmd_str(&["BRPOP", "nothing", "0.01"]), b"_\r\n");
    assert_reply!(c.cmd_str(&["BLPOP", "k", "-1"]), b"-ERR timeout is negative\r\n");
    assert_reply!(
        c.cmd_str(&["BLPOP", "k", "x"]),
        b"-ERR timeout is not a float or out of range\r\n"
    );
    // Redis 7.2 (and Valkey 8.1) check the range; 7.0 said "timeout is negative" here.
    assert_reply!(
        c.cmd_str(&["BLPOP", "k", "0x7FFFFFFFFFFFFF"]),
        b"-ERR timeout is out of range\r\n"
    );
    assert_reply!(
        c.cmd_str(&["BLMPOP", "0", "0", "k", "LEFT"]),
        b"-ERR numkeys should be greater than 0\r\n"
    );
    // The commands after a timed-out one in the same pipeline still run.
    c.send(&multibulk(&[b"BLPOP", b"k", b"0.01"]));
    c.send(&multibulk(&[b"PING"]));
    assert_reply!(c.read_reply(), b"_\r\n");
    assert_reply!(c.read_reply(), b"+PONG\r\n");
}

#[test]
fn twenty_blocked_clients_each_get_one_element_in_arrival_order() {
    let server = Server::start();
    let mut admin = server.raw();
    let mut waiters: Vec<Raw> = Vec::new();
    for i in 0..20 {
        let mut c = server.raw();
        send(&mut c, &["BLPOP", "jobs", "0"]);
        wait_blocked(&mut admin, i + 1);
        waiters.push(c);
    }
    let elements: Vec<String> = (0..20).map(|i| format!("job{i}")).collect();
    let mut push = vec!["RPUSH", "jobs"];
    push.extend(elements.iter().map(String::as_str));
    assert_reply!(admin.cmd_str(&push), b":20\r\n");
    for (i, c) in waiters.iter_mut().enumerate() {
        let want = format!("*2\r\n$4\r\njobs\r\n${}\r\n{}\r\n", elements[i].len(), elements[i]);
        assert_reply!(c.read_reply(), want.as_bytes(), "waiter {i}");
    }
    assert_reply!(admin.cmd_str(&["EXISTS", "jobs"]), b":0\r\n");
    wait_blocked(&mut admin, 0);
}

#[test]
fn separate_pushes_serve_waiters_first_come_first_served() {
    let server = Server::start();
    let mut admin = server.raw();
    let mut a = server.raw();
    let mut b = server.raw();
    send(&mut a, &["BRPOP", "q", "0"]);
    wait_blocked(&mut admin, 1);
    send(&mut b, &["BRPOP", "q", "0"]);
    wait_blocked(&mut admin, 2);
    admin.cmd_str(&["LPUSH", "q", "first"]);
    admin.cmd_str(&["LPUSH", "q", "second"]);
    assert_reply!(a.read_reply(), b"*2\r\n$1\r\nq\r\n$5\r\nfirst\r\n");
    assert_reply!(b.read_reply(), b"*2\r\n$1\r\nq\r\n$6\r\nsecond\r\n");
}

#[test]
fn kombu_brpop_takes_keys_in_argument_order_with_binary_names() {
    // kombu names priority queues `queue\x06\x16N` and BRPOPs them highest priority first.
    let server = Server::start();
    let mut c = server.raw();
    let q0: &[u8] = b"celery";
    let q3: &[u8] = b"celery\x06\x163";
    let q6: &[u8] = b"celery\x06\x166";
    c.cmd(&[b"LPUSH", q6, b"low"]);
    c.cmd(&[b"LPUSH", q3, b"mid"]);
    assert_reply!(
        c.cmd(&[b"BRPOP", q0, q3, q6, b"1"]),
        b"*2\r\n$9\r\ncelery\x06\x163\r\n$3\r\nmid\r\n"
    );
    assert_reply!(
        c.cmd(&[b"BRPOP", q0, q3, q6, b"1"]),
        b"*2\r\n$9\r\ncelery\x06\x166\r\n$3\r\nlow\r\n"
    );
    // Blocked over all three, woken by a push to the last one.
    let mut admin = server.raw();
    c.send(&multibulk(&[b"BRPOP", q0, q3, q6, b"0"]));
    wait_blocked(&mut admin, 1);
    admin.cmd(&[b"LPUSH", q6, b"late"]);
    assert_reply!(c.read_reply(), b"*2\r\n$9\r\ncelery\x06\x166\r\n$4\r\nlate\r\n");
}

#[test]
fn a_client_that_leaves_or_is_unblocked_takes_nothing_with_it() {
    let server = Server::start();
    let mut admin = server.raw();
    {
        let mut gone = server.raw();
        send(&mut gone, &["BLPOP", "keep", "0"]);
        wait_blocked(&mut admin, 1);
    } // disconnects while blocked
    wait_blocked(&mut admin, 0);
    admin.cmd_str(&["RPUSH", "keep", "x"]);
    assert_reply!(admin.cmd_str(&["LLEN", "keep"]), b":1\r\n");

    let mut c = server.raw();
    let id = String::from_utf8(c.cmd_str(&["CLIENT", "ID"])).unwrap();
    let id = id.trim_start_matches(':').trim().to_string();
    send(&mut c, &["BLPOP", "empty", "0"]);
    wait_blocked(&mut admin, 1);
    assert_reply!(admin.cmd_str(&["CLIENT", "UNBLOCK", &id]), b":1\r\n");
    assert_reply!(c.read_reply(), b"*-1\r\n");
    send(&mut c, &["BZPOPMAX", "empty", "0"]);
    wait_blocked(&mut admin, 1);
    assert_reply!(admin.cmd_str(&["CLIENT", "UNBLOCK", &id, "ERROR"]), b":1\r\n");
    assert_reply!(c.read_reply(), b"-UNBLOCKED client unblocked via CLIENT UNBLOCK\r\n");
    assert_reply!(admin.cmd_str(&["CLIENT", "UNBLOCK", &id]), b":0\r\n");
    assert_reply!(admin.cmd_str(&["LLEN", "keep"]), b":1\r\n");
}

#[test]
fn blmove_chains_and_wrong_destination_keeps_the_element() {
    let server = Server::start();
    let mut admin = server.raw();
    let mut first = server.raw();
    let mut second = server.raw();
    // Linked moves: a -> b (first), b -> c (second).
    send(&mut first, &["BLMOVE", "a", "b", "RIGHT", "LEFT", "0"]);
    wait_blocked(&mut admin, 1);
    send(&mut second, &["BRPOPLPUSH", "b", "c", "0"]);
    wait_blocked(&mut admin, 2);
    admin.cmd_str(&["RPUSH", "a", "v"]);
    assert_reply!(first.read_reply(), b"$1\r\nv\r\n");
    assert_reply!(second.read_reply(), b"$1\r\nv\r\n");
    assert_reply!(admin.cmd_str(&["LRANGE", "c", "0", "-1"]), b"*1\r\n$1\r\nv\r\n");
    assert_reply!(admin.cmd_str(&["EXISTS", "a", "b"]), b":0\r\n");
    // The destination became a string while the client waited: WRONGTYPE, source intact.
    admin.cmd_str(&["SET", "target", "nolist"]);
    send(&mut first, &["BRPOPLPUSH", "src", "target", "0"]);
    wait_blocked(&mut admin, 1);
    admin.cmd_str(&["RPUSH", "src", "foo"]);
    assert_reply!(
        first.read_reply(),
        b"-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"
    );
    assert_reply!(admin.cmd_str(&["LRANGE", "src", "0", "-1"]), b"*1\r\n$3\r\nfoo\r\n");
}

#[test]
fn rename_move_and_swapdb_wake_blocked_clients() {
    let server = Server::start();
    let mut admin = server.raw();
    let mut c = server.raw();
    send(&mut c, &["BLPOP", "target", "0"]);
    wait_blocked(&mut admin, 1);
    admin.cmd_str(&["RPUSH", "staging", "renamed"]);
    admin.cmd_str(&["RENAME", "staging", "target"]);
    assert_reply!(c.read_reply(), b"*2\r\n$6\r\ntarget\r\n$7\r\nrenamed\r\n");

    send(&mut c, &["BLPOP", "target", "0"]);
    wait_blocked(&mut admin, 1);
    admin.cmd_str(&["SELECT", "9"]);
    admin.cmd_str(&["RPUSH", "target", "moved"]);
    admin.cmd_str(&["MOVE", "target", "0"]);
    assert_reply!(c.read_reply(), b"*2\r\n$6\r\ntarget\r\n$5\r\nmoved\r\n");

    send(&mut c, &["BLPOP", "target", "0"]);
    wait_blocked(&mut admin, 1);
    admin.cmd_str(&["RPUSH", "target", "swapped"]);
    admin.cmd_str(&["SWAPDB", "0", "9"]);
    assert_reply!(c.read_reply(), b"*2\r\n$6\r\ntarget\r\n$7\r\nswapped\r\n");
}

#[test]
fn blmpop_and_bzmpop_reply_shapes() {
    let server = Server::start();
    let mut c = server.raw();
    c.cmd_str(&["RPUSH", "l", "a", "b", "c"]);
    assert_reply!(
        c.cmd_str(&["BLMPOP", "0", "2", "none", "l", "RIGHT", "COUNT", "2"]),
        b"*2\r\n$1\r\nl\r\n*2\r\n$1\r\nc\r\n$1\r\nb\r\n"
    );
    c.cmd_str(&["ZADD", "z", "1", "a", "2", "b"]);
    assert_reply!(
        c.cmd_str(&["BZMPOP", "0", "1", "z", "MAX", "COUNT", "5"]),
        b"*2\r\n$1\r\nz\r\n*2\r\n*2\r\n$1\r\nb\r\n$1\r\n2\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n"
    );
    c.cmd_str(&["HELLO", "3"]);
    c.cmd_str(&["ZADD", "z", "0.5", "x"]);
    assert_reply!(
        c.cmd_str(&["BZMPOP", "0", "1", "z", "MIN"]),
        b"*2\r\n$1\r\nz\r\n*1\r\n*2\r\n$1\r\nx\r\n,0.5\r\n"
    );
    // WRONGTYPE on the first run, as Redis.
    c.cmd_str(&["SET", "s", "x"]);
    assert_reply!(
        c.cmd_str(&["BLPOP", "none", "s", "0"]),
        b"-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"
    );
}

#[test]
fn blocked_command_is_counted_once_in_commandstats() {
    let server = Server::start();
    let mut admin = server.raw();
    let mut c = server.raw();
    send(&mut c, &["BRPOP", "q", "0"]);
    wait_blocked(&mut admin, 1);
    admin.cmd_str(&["LPUSH", "unrelated", "x"]); // no wake-up for another key
    admin.cmd_str(&["LPUSH", "q", "x"]);
    c.read_reply();
    send(&mut c, &["BRPOP", "q", "0.01"]);
    c.read_reply();
    let stats = String::from_utf8_lossy(&admin.cmd_str(&["INFO", "commandstats"])).into_owned();
    let line = stats.lines().find(|l| l.starts_with("cmdstat_brpop:")).expect("brpop stats");
    assert!(line.starts_with("cmdstat_brpop:calls=2,"), "{line}");
}

#[test]
fn a_client_woken_for_one_key_does_not_take_from_a_key_where_others_are_ahead() {
    // Valkey's "Unblock fairness is kept during nested unblock": one EXEC feeds l1 and l2;
    // the move from l1 to l3 wakes the third client, which also waits on l2 behind the second
    // client: it must take from l3, leaving l2's element to the client first in its line.
    let server = Server::start();
    let mut admin = server.raw();
    let (mut rd1, mut rd2, mut rd3) = (server.raw(), server.raw(), server.raw());
    send(&mut rd1, &["BRPOPLPUSH", "l1", "l3", "0"]);
    wait_blocked(&mut admin, 1);
    send(&mut rd2, &["BLPOP", "l2", "0"]);
    wait_blocked(&mut admin, 2);
    send(&mut rd3, &["BLMPOP", "0", "2", "l2", "l3", "LEFT", "COUNT", "1"]);
    wait_blocked(&mut admin, 3);
    admin.cmd_str(&["MULTI"]);
    admin.cmd_str(&["LPUSH", "l1", "1"]);
    admin.cmd_str(&["LPUSH", "l2", "2"]);
    assert_reply!(admin.cmd_str(&["EXEC"]), b"*2\r\n:1\r\n:1\r\n");
    wait_blocked(&mut admin, 0);
    assert_reply!(rd1.read_reply(), b"$1\r\n1\r\n");
    assert_reply!(rd2.read_reply(), b"*2\r\n$2\r\nl2\r\n$1\r\n2\r\n");
    assert_reply!(rd3.read_reply(), b"*2\r\n$2\r\nl3\r\n*1\r\n$1\r\n1\r\n");
}
