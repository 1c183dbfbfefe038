//! CLIENT LIST / CLIENT INFO fields and the CLIENT LIST / CLIENT KILL filters.
//!
//! Ferrodis prints Redis 7.2's fields in Redis's order plus the ones Valkey 8.1 adds where
//! Valkey puts them (`capa`, `watch`, `tot-net-in`, `tot-net-out`, `tot-cmds`), and takes
//! Valkey's filters (ADDR, LADDR, USER, SKIPME, MAXAGE, several IDs with other filters) on
//! both LIST and KILL. Where Redis 7.2 already answers a form, its reply is kept (ID parsing
//! errors). Reference: Redis 7.2 `networking.c` (`clientCommand`, `clientKillCommand`),
//! Valkey 8.1 `networking.c` (`catClientInfoString`, `parseClientFiltersOrReply`).
//!
//! In reference mode (`FERRODIS_IT_REFERENCE`, a real Redis), the Valkey additions are not
//! asserted: see [`valkey_additions`].

use crate::support::{multibulk, parse_frame, reference_server, Frame, Raw, Server};
use std::time::{Duration, Instant};

/// True when the server under test is Ferrodis (the Valkey additions are asserted), false
/// against a reference Redis, which has none of them.
fn valkey_additions() -> bool {
    reference_server().is_none()
}

/// The text of a CLIENT LIST / CLIENT INFO reply (bulk in RESP2).
fn text(frame: Frame) -> String {
    match frame {
        Frame::Bulk(b) | Frame::Verbatim(_, b) => String::from_utf8(b).expect("utf-8"),
        other => panic!("expected a bulk reply, got {other:?}"),
    }
}

fn error(frame: Frame) -> String {
    match frame {
        Frame::Error(e) => e,
        other => panic!("expected an error, got {other:?}"),
    }
}

/// The value of `field` in one CLIENT LIST line.
fn field<'a>(line: &'a str, name: &str) -> &'a str {
    line.split(' ')
        .find_map(|kv| kv.strip_prefix(name)?.strip_prefix('='))
        .unwrap_or_else(|| panic!("no {name}= in {line:?}"))
}

/// The ids of the lines of a CLIENT LIST reply, in order (id order unless ID gave one).
fn ids(list: &str) -> Vec<u64> {
    list.lines().map(|l| field(l, "id").parse().expect("numeric id")).collect()
}

fn client_id(c: &mut Raw) -> u64 {
    match c.frame(&["CLIENT", "ID"]) {
        Frame::Int(n) => n as u64,
        other => panic!("CLIENT ID: {other:?}"),
    }
}

/// Waits until CLIENT LIST shows exactly `n` clients: the connection the test support used
/// to see the server ready may still be closing.
fn settle(c: &mut Raw, n: usize) {
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        let count = text(c.frame(&["CLIENT", "LIST"])).lines().count();
        if count == n {
            return;
        }
        assert!(Instant::now() < deadline, "{count} clients, expected {n}");
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// (`tot-net-in`, `tot-net-out`, `tot-cmds`) of a CLIENT LIST / INFO line.
fn totals(line: &str) -> (u64, u64, u64) {
    let line = line.trim_end();
    let n = |f| field(line, f).parse::<u64>().expect("numeric total");
    (n("tot-net-in"), n("tot-net-out"), n("tot-cmds"))
}

#[test]
fn client_info_fields_in_order_with_valkey_additions() {
    let server = Server::start();
    let mut c = server.raw();
    let line = text(c.frame(&["CLIENT", "INFO"]));
    assert!(line.ends_with('\n') && line.lines().count() == 1, "{line:?}");
    let keys: Vec<&str> =
        line.trim_end().split(' ').map(|kv| kv.split('=').next().unwrap_or("")).collect();
    let redis_72 = [
        "id",
        "addr",
        "laddr",
        "fd",
        "name",
        "age",
        "idle",
        "flags",
        "db",
        "sub",
        "psub",
        "ssub",
        "multi",
        "qbuf",
        "qbuf-free",
        "argv-mem",
        "multi-mem",
        "rbs",
        "rbp",
        "obl",
        "oll",
        "omem",
        "tot-mem",
        "events",
        "cmd",
        "user",
        "redir",
        "resp",
        "lib-name",
        "lib-ver",
    ];
    if !valkey_additions() {
        // Redis 7.0 has no lib-name/lib-ver yet; its fields are the same prefix otherwise.
        assert_eq!(keys[..], redis_72[..keys.len()]);
        return;
    }
    let valkey_81 = [
        "id",
        "addr",
        "laddr",
        "fd",
        "name",
        "age",
        "idle",
        "flags",
        "capa",
        "db",
        "sub",
        "psub",
        "ssub",
        "multi",
        "watch",
        "qbuf",
        "qbuf-free",
        "argv-mem",
        "multi-mem",
        "rbs",
        "rbp",
        "obl",
        "oll",
        "omem",
        "tot-mem",
        "events",
        "cmd",
        "user",
        "redir",
        "resp",
        "lib-name",
        "lib-ver",
        "tot-net-in",
        "tot-net-out",
        "tot-cmds",
    ];
    assert_eq!(keys, valkey_81);
    // Every Redis 7.2 field is there, in Redis's relative order.
    let kept: Vec<&str> = keys.iter().copied().filter(|k| redis_72.contains(k)).collect();
    assert_eq!(kept, redis_72);
    assert_eq!(field(&line, "flags"), "N");
    assert_eq!(field(&line, "capa"), "");
    assert_eq!(field(&line, "multi"), "-1");
    assert_eq!(field(&line, "watch"), "0");
    assert_eq!(field(&line, "cmd"), "client|info");
    assert_eq!(field(&line, "user"), "default");
    assert_eq!(field(&line, "redir"), "-1");
    assert_eq!(field(&line, "lib-name"), "");
    // The first command of a raw connection: its 26 request bytes are counted, nothing was
    // written yet, and CLIENT INFO itself is counted once it has run.
    assert_eq!(totals(&line), (26, 0, 0));
}

/// A raw client that adds up the bytes it sends and receives.
struct Counted {
    c: Raw,
    sent: u64,
    received: u64,
}

impl Counted {
    fn cmd(&mut self, args: &[&str]) -> Vec<u8> {
        let a: Vec<&[u8]> = args.iter().map(|s| s.as_bytes()).collect();
        self.sent += multibulk(&a).len() as u64;
        let reply = self.c.cmd(&a);
        self.received += reply.len() as u64;
        reply
    }

    fn info(&mut self) -> String {
        let reply = self.cmd(&["CLIENT", "INFO"]);
        text(parse_frame(&reply, 0).expect("frame").expect("complete").0)
    }
}

#[test]
fn tot_net_in_out_and_cmds_count_exactly() {
    if !valkey_additions() {
        return;
    }
    let server = Server::start();
    let mut c = Counted { c: server.raw(), sent: 0, received: 0 };
    // *2 $6 CLIENT $4 INFO is 26 bytes; nothing was written before; CLIENT INFO is counted
    // once it has run (Valkey counts in `call()`, after the command).
    assert_eq!(totals(&c.info()), (26, 0, 0));
    let (sent, received) = (c.sent, c.received);
    assert_eq!(totals(&c.info()), (sent + 26, received, 1));

    // A pipeline of three PINGs in one write: 14 bytes each, +PONG is 7 bytes each.
    let mut req = Vec::new();
    for _ in 0..3 {
        req.extend(multibulk(&[b"PING"]));
    }
    c.c.send(&req);
    c.c.expect(&b"+PONG\r\n".repeat(3));
    c.sent += 42;
    c.received += 21;
    // Rejected before execution (unknown command, wrong arity): the bytes count, the
    // commands do not. Commands whose handler fails ran, and count.
    c.cmd(&["NOSUCHCMD"]);
    c.cmd(&["GET"]);
    c.cmd(&["SET", "s", "abc"]);
    c.cmd(&["INCR", "s"]);
    c.cmd(&["SELECT", "x"]);
    let (sent, received) = (c.sent, c.received);
    assert_eq!(totals(&c.info()), (sent + 26, received, 2 + 3 + 3));

    // Another client sees the same totals in CLIENT LIST (published after each batch).
    let id = String::from_utf8(c.cmd(&["CLIENT", "ID"])).expect("utf-8");
    let id = id.trim_start_matches(':').trim_end();
    let want = (c.sent, c.received, 10);
    let mut other = server.raw();
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        let list = text(other.frame(&["CLIENT", "LIST", "ID", id]));
        let got = totals(list.lines().next().expect("one line"));
        if got == want || Instant::now() > deadline {
            assert_eq!(got, want);
            break;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn list_filters_addr_laddr_user_skipme_and_ids() {
    let server = Server::start();
    let mut a = server.raw();
    let mut b = server.raw();
    let a_id = client_id(&mut a);
    let b_id = client_id(&mut b);
    // Ids are given in accept order, which may differ from connect order.
    let (lo, hi) = (a_id.min(b_id), a_id.max(b_id));
    // Until the server has seen the start-up probe's connection close, it is listed too:
    // wait for exactly these two (both registered: each has answered CLIENT ID).
    let deadline = Instant::now() + Duration::from_secs(5);
    while ids(&text(b.frame(&["CLIENT", "LIST"]))) != [lo, hi] {
        assert!(Instant::now() < deadline, "clients other than {lo} and {hi} stay listed");
        std::thread::sleep(Duration::from_millis(20));
    }
    let a_info = text(a.frame(&["CLIENT", "INFO"]));
    let a_addr = field(&a_info, "addr").to_string();
    let laddr = field(&a_info, "laddr").to_string();

    // ID alone: Redis 7.2's form, lines in the order given; unknown and non-positive ids
    // match nothing.
    let both = text(b.frame(&[
        "CLIENT",
        "LIST",
        "ID",
        &b_id.to_string(),
        &a_id.to_string(),
        "0",
        "999999",
    ]));
    assert_eq!(ids(&both), [b_id, a_id]);
    assert_eq!(text(b.frame(&["CLIENT", "LIST", "ID", "-1"])), "");
    if !valkey_additions() {
        return;
    }

    let by_addr = text(b.frame(&["CLIENT", "LIST", "ADDR", &a_addr]));
    assert_eq!(ids(&by_addr), [a_id]);
    assert_eq!(field(&by_addr, "addr"), a_addr);
    assert_eq!(text(b.frame(&["CLIENT", "LIST", "ADDR", "1.2.3.4:5"])), "");
    let by_laddr = text(b.frame(&["CLIENT", "LIST", "LADDR", &laddr]));
    assert_eq!(ids(&by_laddr), [lo, hi]);
    let b_info = text(b.frame(&["CLIENT", "INFO"]));
    let mine = text(b.frame(&["CLIENT", "LIST", "ADDR", field(&b_info, "addr")]));
    assert_eq!(ids(&mine), [b_id]);
    assert_eq!(field(&mine, "cmd"), "client|list");
    let by_user = text(b.frame(&["CLIENT", "LIST", "USER", "default"]));
    assert_eq!(ids(&by_user), [lo, hi]);
    let skip = text(b.frame(&["CLIENT", "LIST", "SKIPME", "yes"]));
    assert_eq!(ids(&skip), [a_id]);
    let noskip = text(b.frame(&["CLIENT", "LIST", "SKIPME", "no"]));
    assert_eq!(ids(&noskip), [lo, hi]);
    // Several ids with other filters (AND).
    let ids_type = text(b.frame(&[
        "CLIENT",
        "LIST",
        "ID",
        &a_id.to_string(),
        &b_id.to_string(),
        "TYPE",
        "normal",
    ]));
    // With other filters too, the lines come in the order the ids were given.
    assert_eq!(ids(&ids_type), [a_id, b_id]);
    let ids_skip = text(b.frame(&[
        "client",
        "list",
        "type",
        "normal",
        "id",
        &a_id.to_string(),
        &b_id.to_string(),
        "skipme",
        "yes",
    ]));
    assert_eq!(ids(&ids_skip), [a_id]);
    assert_eq!(text(b.frame(&["CLIENT", "LIST", "ID", &a_id.to_string(), "TYPE", "pubsub"])), "");
    assert_eq!(
        text(b.frame(&["CLIENT", "LIST", "ID", &a_id.to_string(), "ADDR", "1.2.3.4:5"])),
        ""
    );
}

#[test]
fn list_maxage_and_kill_maxage() {
    if !valkey_additions() {
        return;
    }
    let server = Server::start();
    let mut old = server.raw();
    let old_id = client_id(&mut old);
    std::thread::sleep(Duration::from_millis(2100));
    let mut young = server.raw();
    let young_id = client_id(&mut young);
    assert_eq!(ids(&text(young.frame(&["CLIENT", "LIST", "MAXAGE", "2"]))), [old_id]);
    assert_eq!(
        ids(&text(young.frame(&["CLIENT", "LIST", "MAXAGE", "1000000"]))),
        Vec::<u64>::new()
    );
    assert_eq!(young.frame(&["CLIENT", "KILL", "MAXAGE", "2"]), Frame::Int(1));
    old.expect_closed();
    assert_eq!(ids(&text(young.frame(&["CLIENT", "LIST"]))), [young_id]);
}

#[test]
fn kill_with_several_ids_and_filters() {
    let server = Server::start();
    let mut a = server.raw();
    let mut b = server.raw();
    let mut me = server.raw();
    settle(&mut me, 3);
    let (a_id, b_id) = (client_id(&mut a), client_id(&mut b));
    // Redis 7.2's forms.
    assert_eq!(me.frame(&["CLIENT", "KILL", "ID", "999999", "SKIPME", "no"]), Frame::Int(0));
    if !valkey_additions() {
        return;
    }
    assert_eq!(
        me.frame(&["CLIENT", "KILL", "ID", &a_id.to_string(), &b_id.to_string(), "TYPE", "pubsub"]),
        Frame::Int(0)
    );
    assert_eq!(
        me.frame(&[
            "CLIENT",
            "KILL",
            "ID",
            &a_id.to_string(),
            &b_id.to_string(),
            "USER",
            "default"
        ]),
        Frame::Int(2)
    );
    a.expect_closed();
    b.expect_closed();
    let me_id = client_id(&mut me);
    assert_eq!(ids(&text(me.frame(&["CLIENT", "LIST"]))), [me_id]);
}

#[test]
fn list_and_kill_argument_errors() {
    let server = Server::start();
    let mut c = server.raw();
    // Replies Redis 7.2 gives, kept (Valkey 8.1 answers `syntax error` or `client-id should be
    // greater than 0` to some of them).
    for (args, want) in [
        (&["CLIENT", "LIST", "ID", "str"][..], "ERR Invalid client ID"),
        (&["CLIENT", "LIST", "ID", "10", "wrong_arg"][..], "ERR Invalid client ID"),
        (&["CLIENT", "LIST", "TYPE", "wrong_type"][..], "ERR Unknown client type 'wrong_type'"),
        (&["CLIENT", "LIST", "TYPE"][..], "ERR syntax error"),
        (&["CLIENT", "LIST", "foo"][..], "ERR syntax error"),
        (&["CLIENT", "LIST", "SKIPME", "yes_or_no"][..], "ERR syntax error"),
        (&["CLIENT", "KILL", "ID", "str"][..], "ERR client-id should be greater than 0"),
        (&["CLIENT", "KILL", "ID", "0"][..], "ERR client-id should be greater than 0"),
        (&["CLIENT", "KILL", "ID", "-1"][..], "ERR client-id should be greater than 0"),
        (&["CLIENT", "KILL", "ID", "10", "wrong_arg"][..], "ERR syntax error"),
        (&["CLIENT", "KILL", "ID", "5", "addr"][..], "ERR syntax error"),
        (&["CLIENT", "KILL", "TYPE", "wrong_type"][..], "ERR Unknown client type 'wrong_type'"),
        (&["CLIENT", "KILL", "USER", "wrong_user"][..], "ERR No such user 'wrong_user'"),
        (&["CLIENT", "KILL", "SKIPME", "yes_or_no"][..], "ERR syntax error"),
        (&["CLIENT", "KILL"][..], "ERR wrong number of arguments for 'client|kill' command"),
    ] {
        assert_eq!(error(c.frame(args)), want, "{args:?}");
    }
    if !valkey_additions() {
        return;
    }
    for (args, want) in [
        (&["CLIENT", "LIST", "USER", "invalid_user"][..], "ERR No such user 'invalid_user'"),
        (&["CLIENT", "LIST", "MAXAGE", "str"][..], "ERR maxage is not an integer or out of range"),
        (
            &["CLIENT", "LIST", "MAXAGE", "9999999999999999999"][..],
            "ERR maxage is not an integer or out of range",
        ),
        (&["CLIENT", "LIST", "MAXAGE", "-1"][..], "ERR maxage should be greater than 0"),
        (&["CLIENT", "LIST", "MAXAGE", "0"][..], "ERR maxage should be greater than 0"),
        (&["CLIENT", "KILL", "MAXAGE", "str"][..], "ERR maxage is not an integer or out of range"),
        (&["CLIENT", "KILL", "MAXAGE", "-1"][..], "ERR maxage should be greater than 0"),
        (&["CLIENT", "KILL", "ID", "1", "0"][..], "ERR client-id should be greater than 0"),
        (&["CLIENT", "LIST", "ID", "1", "TYPE"][..], "ERR Invalid client ID"),
    ] {
        assert_eq!(error(c.frame(args)), want, "{args:?}");
    }
}
