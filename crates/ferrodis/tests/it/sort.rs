//! SORT and SORT_RO (Redis 7.2's `src/sort.c`): BY/GET patterns reading keys on every shard
//! while other clients write, WATCH on the STORE destination, keyspace events, the 7.2-only
//! encodings (the stored list's `listpack`/`quicklist`, `listpack` sets' insertion order),
//! and a model-based test replaying thousands of random SORT calls against Ferrodis and a
//! model of `sortCommandGeneric`.
//!
//! Redis 7.0 (the reference in `FERRODIS_IT_REFERENCE` mode) has no `listpack` lists or sets,
//! so the assertions that depend on them run against Ferrodis only.

use crate::support::{error_text, query, reference_server, Proto, Server, BOTH};
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use redis::Value;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

fn strings(v: Value) -> Vec<Option<String>> {
    match v {
        Value::Array(items) => items
            .into_iter()
            .map(|i| match i {
                Value::BulkString(b) => Some(String::from_utf8(b).unwrap()),
                Value::Nil => None,
                other => panic!("not a bulk string: {other:?}"),
            })
            .collect(),
        other => panic!("not an array: {other:?}"),
    }
}

fn sorted(con: &mut redis::Connection, args: &[&str]) -> Vec<String> {
    strings(query(con, args)).into_iter().map(|s| s.expect("no null")).collect()
}

fn encoding(con: &mut redis::Connection, key: &str) -> String {
    match query(con, &["OBJECT", "ENCODING", key]) {
        Value::BulkString(b) => String::from_utf8(b).unwrap(),
        Value::SimpleString(s) => s,
        other => panic!("OBJECT ENCODING {key}: {other:?}"),
    }
}

fn int(con: &mut redis::Connection, args: &[&str]) -> i64 {
    match query(con, args) {
        Value::Int(n) => n,
        other => panic!("{args:?}: not an integer: {other:?}"),
    }
}

/// BY and GET read keys that hash to every shard while writers replace all of them at once
/// (MSET, atomic): each SORT must see one whole generation, so it must hold every shard.
#[test]
fn by_and_get_read_other_shards_atomically_while_others_write() {
    let server = Server::start();
    let mut c = server.client(Proto::Resp2);
    const N: usize = 64;
    for i in 0..N {
        query(&mut c, &["RPUSH", "items", &i.to_string()]);
    }
    let stop = Arc::new(AtomicBool::new(false));
    let mut writers = Vec::new();
    for t in 0..2u64 {
        let mut w = server.client(Proto::Resp2);
        let stop = stop.clone();
        writers.push(std::thread::spawn(move || {
            let mut rng = StdRng::seed_from_u64(t);
            let mut generation = 0u64;
            while !stop.load(Ordering::Relaxed) {
                generation += 1;
                let mut weights: Vec<usize> = (0..N).collect();
                weights.shuffle(&mut rng);
                let mut args = vec!["MSET".to_string()];
                for (i, w) in weights.iter().enumerate() {
                    args.push(format!("w_{i}"));
                    args.push(w.to_string());
                    args.push(format!("g_{i}"));
                    args.push(format!("{t}:{generation}"));
                }
                let mut cmd = redis::cmd("MSET");
                for a in &args[1..] {
                    cmd.arg(a);
                }
                cmd.query::<()>(&mut w).unwrap();
                // Hashes too, through a transaction.
                let mut pipe = redis::pipe();
                pipe.atomic();
                for (i, w) in weights.iter().enumerate() {
                    pipe.hset(format!("h_{i}"), "f", *w).ignore();
                    pipe.hset(format!("h_{i}"), "g", format!("{t}:{generation}")).ignore();
                }
                pipe.query::<()>(&mut w).unwrap();
            }
        }));
    }
    std::thread::sleep(Duration::from_millis(50));
    let expected: Vec<String> = (0..N).map(|i| i.to_string()).collect();
    for round in 0..200 {
        let (by, get_w, get_g) =
            if round % 2 == 0 { ("w_*", "w_*", "g_*") } else { ("h_*->f", "h_*->f", "h_*->g") };
        let cmd = if round % 3 == 0 { "SORT_RO" } else { "SORT" };
        let out = strings(query(&mut c, &[cmd, "items", "BY", by, "GET", get_w, "GET", get_g]));
        if out.iter().all(Option::is_none) {
            continue; // before the first write of this kind
        }
        let weights: Vec<String> = out.iter().step_by(2).map(|v| v.clone().unwrap()).collect();
        assert_eq!(weights, expected, "round {round}: weights sorted ascending");
        let generations: BTreeSet<String> =
            out.iter().skip(1).step_by(2).map(|v| v.clone().unwrap()).collect();
        assert_eq!(generations.len(), 1, "round {round}: one generation, saw {generations:?}");
    }
    // STORE too: the destination written while the weights change.
    for _ in 0..50 {
        assert_eq!(
            int(&mut c, &["SORT", "items", "BY", "w_*", "GET", "g_*", "STORE", "dst"]),
            N as i64
        );
        let stored = sorted(&mut c, &["LRANGE", "dst", "0", "-1"]);
        assert_eq!(stored.iter().collect::<BTreeSet<_>>().len(), 1, "{stored:?}");
    }
    stop.store(true, Ordering::Relaxed);
    for w in writers {
        w.join().unwrap();
    }
}

/// SORT with BY/GET inside MULTI and inside scripts declaring only the sorted key.
#[test]
fn patterns_in_transactions_and_scripts() {
    let server = Server::start();
    for proto in BOTH {
        let mut c = server.client(proto);
        query(&mut c, &["FLUSHALL"]);
        query(&mut c, &["RPUSH", "l", "1", "2", "3"]);
        query(&mut c, &["MSET", "w_1", "3", "w_2", "1", "w_3", "2", "v_1", "a", "v_2", "b"]);
        let (r1, r2): (Vec<Option<String>>, i64) = redis::pipe()
            .atomic()
            .cmd("SORT")
            .arg("l")
            .arg("BY")
            .arg("w_*")
            .arg("GET")
            .arg("v_*")
            .cmd("SORT")
            .arg("l")
            .arg("BY")
            .arg("w_*")
            .arg("STORE")
            .arg("dst")
            .query(&mut c)
            .unwrap();
        assert_eq!(r1, vec![Some("b".into()), None, Some("a".into())]);
        assert_eq!(r2, 3);
        assert_eq!(sorted(&mut c, &["LRANGE", "dst", "0", "-1"]), ["2", "3", "1"]);
        let out = strings(query(
            &mut c,
            &[
                "EVAL",
                "return redis.call('sort', KEYS[1], 'by', 'w_*', 'get', '#', 'get', 'v_*')",
                "1",
                "l",
            ],
        ));
        let want = [Some("2"), Some("b"), Some("3"), None, Some("1"), Some("a")];
        assert_eq!(out, want.map(|s| s.map(String::from)));
        let out = sorted(
            &mut c,
            &["EVAL_RO", "return redis.call('sort_ro', KEYS[1], 'by', 'w_*', 'desc')", "1", "l"],
        );
        assert_eq!(out, ["1", "3", "2"]);
        // A script writing a key outside its KEYS through STORE.
        let n = int(
            &mut c,
            &["EVAL", "return redis.call('sort', KEYS[1], 'store', 'elsewhere')", "1", "l"],
        );
        assert_eq!(n, 3);
        assert_eq!(sorted(&mut c, &["LRANGE", "elsewhere", "0", "-1"]), ["1", "2", "3"]);
        let err = error_text(
            &mut c,
            &["EVAL_RO", "return redis.call('sort', KEYS[1], 'store', 'x')", "1", "l"],
        );
        assert!(
            err.starts_with("ERR Write commands are not allowed from read-only scripts"),
            "{err}"
        );
    }
}

/// WATCH on the STORE destination: a SORT ... STORE that writes or deletes it fails the
/// transaction; one that finds nothing to delete does not touch it.
#[test]
fn watch_on_the_store_destination() {
    let server = Server::start();
    let mut c = server.client(Proto::Resp2);
    let mut other = server.client(Proto::Resp2);
    let exec_after = |c: &mut redis::Connection, other: &mut redis::Connection, cmd: &[&str]| {
        query(c, &["WATCH", "dst"]);
        query(other, cmd);
        query(c, &["MULTI"]);
        query(c, &["PING"]);
        query(c, &["EXEC"])
    };
    query(&mut c, &["RPUSH", "src", "2", "1"]);
    // Written.
    let r = exec_after(&mut c, &mut other, &["SORT", "src", "STORE", "dst"]);
    assert_eq!(r, Value::Nil);
    // Deleted by an empty result (the Valkey unit/multi test).
    let r = exec_after(&mut c, &mut other, &["SORT", "emptylist", "STORE", "dst"]);
    assert_eq!(r, Value::Nil);
    assert_eq!(int(&mut c, &["EXISTS", "dst"]), 0);
    // Nothing to delete: not a change.
    let r = exec_after(&mut c, &mut other, &["SORT", "emptylist", "STORE", "dst"]);
    assert_eq!(r, Value::Array(vec![Value::SimpleString("PONG".into())]));
    // Refused SORT: no change.
    query(&mut c, &["SET", "str", "x"]);
    let _ = error_text(&mut other, &["SORT", "str", "STORE", "dst"]);
    query(&mut c, &["WATCH", "dst"]);
    let _ = error_text(&mut other, &["SORT", "src", "BY", "nosort", "LIMIT", "x", "1"]);
    let _ = error_text(&mut other, &["SORT_RO", "src", "STORE", "dst"]);
    query(&mut c, &["MULTI"]);
    query(&mut c, &["PING"]);
    assert_eq!(query(&mut c, &["EXEC"]), Value::Array(vec![Value::SimpleString("PONG".into())]));
    // SORT_RO reading the watched key does not touch it.
    query(&mut c, &["RPUSH", "dst", "z"]);
    let r = exec_after(&mut c, &mut other, &["SORT_RO", "dst", "ALPHA"]);
    assert_eq!(r, Value::Array(vec![Value::SimpleString("PONG".into())]));
    // A blocked BLPOP on the destination is served by STORE.
    query(&mut c, &["DEL", "dst"]);
    let mut blocked = server.client(Proto::Resp2);
    let waiter = std::thread::spawn(move || query(&mut blocked, &["BLPOP", "dst", "5"]));
    std::thread::sleep(Duration::from_millis(100));
    assert_eq!(int(&mut other, &["SORT", "src", "STORE", "dst"]), 2);
    let got = strings(waiter.join().unwrap());
    assert_eq!(got, [Some("dst".to_string()), Some("1".to_string())]);
}

/// Keyspace events: `sortstore` (class l) for a stored result, `del` (class g) when an
/// empty result deletes the destination, nothing when there was nothing to delete.
#[test]
fn store_keyspace_events() {
    let server = Server::start();
    let mut c = server.client(Proto::Resp2);
    query(&mut c, &["CONFIG", "SET", "notify-keyspace-events", "KEA"]);
    let mut sub = server.client(Proto::Resp2);
    let mut ps = sub.as_pubsub();
    ps.psubscribe("__keyevent@0__:*").unwrap();
    ps.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    query(&mut c, &["RPUSH", "src", "b", "a"]);
    let mut next = || {
        let m = ps.get_message().unwrap();
        (m.get_channel_name().to_string(), m.get_payload::<String>().unwrap())
    };
    assert_eq!(next(), ("__keyevent@0__:rpush".into(), "src".into()));
    query(&mut c, &["SORT", "src", "ALPHA", "STORE", "dst"]);
    assert_eq!(next(), ("__keyevent@0__:sortstore".into(), "dst".into()));
    query(&mut c, &["SORT", "nosuch", "STORE", "nothere"]);
    query(&mut c, &["SORT", "nosuch", "STORE", "dst"]);
    assert_eq!(next(), ("__keyevent@0__:del".into(), "dst".into()));
    query(&mut c, &["SORT_RO", "src", "ALPHA"]);
    query(&mut c, &["SET", "marker", "1"]);
    assert_eq!(next(), ("__keyevent@0__:set".into(), "marker".into()));
}

/// COMMAND GETKEYS / GETKEYSANDFLAGS and COMMAND INFO's movablekeys.
#[test]
fn keys_of_sort() {
    let server = Server::start();
    let mut c = server.client(Proto::Resp2);
    let keys = |c: &mut redis::Connection, args: &[&str]| {
        let mut full = vec!["COMMAND", "GETKEYS"];
        full.extend_from_slice(args);
        sorted(c, &full)
    };
    assert_eq!(keys(&mut c, &["SORT", "abc", "STORE", "def"]), ["abc", "def"]);
    assert_eq!(
        keys(&mut c, &["SORT", "abc", "store", "x", "store", "y", "STORE", "def"]),
        ["abc", "def"]
    );
    assert_eq!(keys(&mut c, &["SORT", "abc", "BY", "store", "GET", "store"]), ["abc"]);
    assert_eq!(keys(&mut c, &["SORT", "abc", "LIMIT", "store", "x", "STORE", "d"]), ["abc", "d"]);
    assert_eq!(keys(&mut c, &["SORT_RO", "abc", "BY", "w_*"]), ["abc"]);
    let flags = query(&mut c, &["COMMAND", "GETKEYSANDFLAGS", "SORT", "k1", "STORE", "k2"]);
    let text = format!("{flags:?}");
    assert!(text.contains("OW") && text.contains("update") && text.contains("access"), "{text}");
}

/// Redis 7.2 only: the stored list is `listpack` up to list-max-listpack-size entries and
/// `quicklist` beyond; an unsorted `listpack` set keeps insertion order; weights that
/// underflow are errors.
#[test]
fn redis72_encodings_and_orders() {
    if reference_server().is_some() {
        return;
    }
    let server = Server::start();
    let mut c = server.client(Proto::Resp2);
    query(&mut c, &["CONFIG", "SET", "list-max-listpack-size", "4"]);
    query(&mut c, &["RPUSH", "src", "5", "4", "3", "2", "1"]);
    for (limit, enc) in [("4", "listpack"), ("5", "quicklist"), ("1", "listpack")] {
        assert_eq!(
            int(&mut c, &["SORT", "src", "LIMIT", "0", limit, "STORE", "dst"]) as usize,
            limit.parse::<usize>().unwrap()
        );
        assert_eq!(encoding(&mut c, "dst"), enc, "LIMIT 0 {limit}");
    }
    query(&mut c, &["CONFIG", "SET", "list-max-listpack-size", "-2"]);
    query(&mut c, &["SADD", "ls", "c", "a", "b"]);
    assert_eq!(encoding(&mut c, "ls"), "listpack");
    assert_eq!(sorted(&mut c, &["SORT", "ls", "BY", "nosort"]), ["c", "a", "b"]);
    assert_eq!(
        sorted(&mut c, &["SORT", "ls", "BY", "nosort", "DESC", "LIMIT", "1", "5"]),
        ["a", "b"]
    );
    // From a script, or with STORE, the set is sorted ALPHA.
    let out =
        sorted(&mut c, &["EVAL", "return redis.call('sort', KEYS[1], 'by', 'nosort')", "1", "ls"]);
    assert_eq!(out, ["a", "b", "c"]);
    assert_eq!(int(&mut c, &["SORT", "ls", "BY", "nosort", "STORE", "d2"]), 3);
    assert_eq!(sorted(&mut c, &["LRANGE", "d2", "0", "-1"]), ["a", "b", "c"]);
    // Not inside MULTI.
    let (r,): (Vec<String>,) =
        redis::pipe().atomic().cmd("SORT").arg("ls").arg("BY").arg("nosort").query(&mut c).unwrap();
    assert_eq!(r, ["c", "a", "b"]);
    // A listpack sorted set becomes a skiplist, even through SORT_RO.
    query(&mut c, &["ZADD", "z", "1", "a"]);
    assert_eq!(encoding(&mut c, "z"), "listpack");
    sorted(&mut c, &["SORT_RO", "z", "ALPHA"]);
    assert_eq!(encoding(&mut c, "z"), "skiplist");
    // Out-of-range weights.
    for bad in ["1e-400", "1e400", "1e-310"] {
        query(&mut c, &["DEL", "b"]);
        query(&mut c, &["RPUSH", "b", bad, "1"]);
        assert_eq!(
            error_text(&mut c, &["SORT", "b"]),
            "ERR One or more scores can't be converted into double"
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Model-based test
// ---------------------------------------------------------------------------------------------

#[derive(Clone, Debug)]
enum Coll {
    List(Vec<String>),
    Set(BTreeSet<String>),
    /// member -> score
    ZSet(BTreeMap<String, i64>),
}

/// The model: the collections under test, string weights `w_<e>` and hash weights
/// `h_<e>` (field `f`), and which set was last made how (for the unsorted-set order).
#[derive(Default)]
struct Model {
    colls: HashMap<String, Coll>,
    weights: HashMap<String, String>,
    hweights: HashMap<String, String>,
}

fn as_number(s: &str) -> Option<f64> {
    s.parse::<i64>().ok().map(|n| n as f64)
}

/// What SORT answers, as `sortCommandGeneric` computes it: `Err(())` for the numeric error,
/// `Ok(None)` when the order is not determined (ties in ALPHA BY).
#[allow(clippy::too_many_arguments)]
fn model_sort(
    m: &Model,
    key: &str,
    by: Option<&str>,
    limit: Option<(i64, i64)>,
    gets: &[&str],
    desc: bool,
    alpha: bool,
    store: bool,
) -> Result<Option<Vec<Option<String>>>, ()> {
    let lookup = |pattern: &str, e: &str| -> Option<String> {
        match pattern {
            "#" => Some(e.to_string()),
            "w_*" => m.weights.get(e).cloned(),
            "h_*->f" => m.hweights.get(e).cloned(),
            _ => None,
        }
    };
    let dontsort = by.is_some_and(|b| !b.contains('*'));
    let (mut elems, is_set): (Vec<String>, bool) = match m.colls.get(key) {
        None => (Vec::new(), false),
        Some(Coll::List(l)) => (l.clone(), false),
        Some(Coll::Set(s)) => (s.iter().cloned().collect(), true),
        Some(Coll::ZSet(z)) => {
            let mut v: Vec<(&String, &i64)> = z.iter().collect();
            v.sort_by(|a, b| a.1.cmp(b.1).then(a.0.cmp(b.0)));
            (v.into_iter().map(|(k, _)| k.clone()).collect(), false)
        }
    };
    let (mut dontsort, mut alpha, mut by) = (dontsort, alpha, by);
    if dontsort && is_set && store {
        dontsort = false;
        alpha = true;
        by = None;
    }
    if dontsort && desc && !is_set {
        elems.reverse();
    }
    let len = elems.len() as i64;
    let (ls, lc) = limit.unwrap_or((0, -1));
    let mut start = ls.max(0).min(len);
    let lc = lc.max(-1).min(len);
    let mut end = if lc < 0 { len - 1 } else { start + lc - 1 };
    if start >= len {
        start = len - 1;
        end = len - 2;
    }
    if end >= len {
        end = len - 1;
    }
    if !dontsort {
        let mut keyed: Vec<(String, f64, Option<String>)> = Vec::new();
        for e in elems {
            let w = match by {
                Some(p) => lookup(p, &e),
                None => Some(e.clone()),
            };
            let score = if alpha {
                0.0
            } else {
                match &w {
                    None => 0.0,
                    Some(w) => as_number(w).ok_or(())?,
                }
            };
            keyed.push((e, score, if alpha && by.is_some() { w } else { None }));
        }
        if alpha && by.is_some() && keyed.iter().filter(|k| k.2.is_none()).count() > 1 {
            return Ok(None);
        }
        keyed.sort_by(|a, b| {
            let c = if !alpha {
                a.1.partial_cmp(&b.1).unwrap().then_with(|| a.0.cmp(&b.0))
            } else if by.is_some() {
                a.2.cmp(&b.2)
            } else {
                a.0.cmp(&b.0)
            };
            if desc {
                c.reverse()
            } else {
                c
            }
        });
        if alpha && by.is_some() {
            // Equal ALPHA weights keep an order the model does not know.
            let ws: Vec<_> = keyed.iter().map(|k| k.2.clone()).collect();
            if ws.windows(2).any(|w| w[0] == w[1]) {
                return Ok(None);
            }
        }
        elems = keyed.into_iter().map(|k| k.0).collect();
    }
    let mut out = Vec::new();
    if end >= start {
        for e in &elems[start as usize..=end as usize] {
            if gets.is_empty() {
                out.push(Some(e.clone()));
            }
            for g in gets {
                out.push(lookup(g, e));
            }
        }
    }
    Ok(Some(out))
}

fn random_elem(rng: &mut StdRng) -> String {
    if rng.random_bool(0.6) {
        rng.random_range(-20..60).to_string()
    } else {
        ["a", "b", "c", "aa", "ab", "z", "B", "x1", "10a"][rng.random_range(0..9)].to_string()
    }
}

#[test]
fn model_based_random_sorts() {
    let server = Server::start();
    let ferrodis = reference_server().is_none();
    for proto in BOTH {
        let mut c = server.client(proto);
        query(&mut c, &["FLUSHALL"]);
        query(&mut c, &["CONFIG", "SET", "list-max-listpack-size", "16"]);
        query(&mut c, &["CONFIG", "SET", "set-max-intset-entries", "32"]);
        if ferrodis {
            query(&mut c, &["CONFIG", "SET", "set-max-listpack-entries", "16"]);
            // 7.2 only
        }
        query(&mut c, &["CONFIG", "SET", "zset-max-listpack-entries", "16"]);
        let mut rng = StdRng::seed_from_u64(0x5012 + proto as u64);
        let mut m = Model::default();
        let keys = ["k1", "k2", "k3"];
        let mut checked = 0;
        let mut seen_encodings = BTreeSet::new();
        for step in 0..5000 {
            let key = keys[rng.random_range(0..keys.len())];
            match rng.random_range(0..20) {
                0 => {
                    query(&mut c, &["DEL", key]);
                    m.colls.remove(key);
                }
                1..=3 => {
                    // Make or grow a collection; an integer-only set may become an intset.
                    let n = rng.random_range(1..12);
                    let elems: Vec<String> = (0..n).map(|_| random_elem(&mut rng)).collect();
                    let kind = match m.colls.get(key) {
                        Some(Coll::List(_)) => 0,
                        Some(Coll::Set(_)) => 1,
                        Some(Coll::ZSet(_)) => 2,
                        None => rng.random_range(0..3),
                    };
                    let e: Vec<&str> = elems.iter().map(String::as_str).collect();
                    match kind {
                        0 => {
                            let mut args = vec!["RPUSH", key];
                            args.extend(&e);
                            query(&mut c, &args);
                            let Coll::List(l) =
                                m.colls.entry(key.into()).or_insert(Coll::List(Vec::new()))
                            else {
                                unreachable!()
                            };
                            l.extend(elems);
                        }
                        1 => {
                            let mut args = vec!["SADD", key];
                            args.extend(&e);
                            query(&mut c, &args);
                            let Coll::Set(s) =
                                m.colls.entry(key.into()).or_insert(Coll::Set(BTreeSet::new()))
                            else {
                                unreachable!()
                            };
                            s.extend(elems);
                        }
                        _ => {
                            let mut args = vec!["ZADD".to_string(), key.to_string()];
                            let mut scores = Vec::new();
                            for el in &elems {
                                let sc = rng.random_range(-5..5i64);
                                scores.push((el.clone(), sc));
                                args.push(sc.to_string());
                                args.push(el.clone());
                            }
                            let a: Vec<&str> = args.iter().map(String::as_str).collect();
                            query(&mut c, &a);
                            let Coll::ZSet(z) =
                                m.colls.entry(key.into()).or_insert(Coll::ZSet(BTreeMap::new()))
                            else {
                                unreachable!()
                            };
                            z.extend(scores);
                        }
                    }
                }
                4..=6 => {
                    let e = random_elem(&mut rng);
                    let w = if rng.random_bool(0.9) {
                        rng.random_range(-1000..1000).to_string()
                    } else {
                        "notanumber".to_string()
                    };
                    if rng.random_bool(0.5) {
                        query(&mut c, &["SET", &format!("w_{e}"), &w]);
                        m.weights.insert(e, w);
                    } else {
                        query(&mut c, &["HSET", &format!("h_{e}"), "f", &w]);
                        m.hweights.insert(e, w);
                    }
                }
                7 => {
                    let e = random_elem(&mut rng);
                    query(&mut c, &["DEL", &format!("w_{e}"), &format!("h_{e}")]);
                    m.weights.remove(&e);
                    m.hweights.remove(&e);
                }
                _ => {
                    // A SORT with random options.
                    let mut args: Vec<String> = vec!["SORT".into(), key.into()];
                    let by = match rng.random_range(0..5) {
                        0 => Some("w_*"),
                        1 => Some("h_*->f"),
                        2 => Some("nosort"),
                        _ => None,
                    };
                    let is_set = matches!(m.colls.get(key), Some(Coll::Set(_)));
                    let store = rng.random_bool(0.25);
                    if by == Some("nosort") && is_set && !store {
                        continue; // the order of an unsorted set is its layout's
                    }
                    if let Some(b) = by {
                        args.extend(["BY".into(), b.into()]);
                    }
                    let limit = rng
                        .random_bool(0.4)
                        .then(|| (rng.random_range(-3..20i64), rng.random_range(-3..20i64)));
                    if let Some((s, n)) = limit {
                        args.extend(["LIMIT".into(), s.to_string(), n.to_string()]);
                    }
                    let mut gets = Vec::new();
                    for _ in 0..rng.random_range(0..3) {
                        let g = ["#", "w_*", "h_*->f", "const"][rng.random_range(0..4)];
                        gets.push(g);
                        args.extend(["GET".into(), g.into()]);
                    }
                    let desc = rng.random_bool(0.4);
                    if desc {
                        args.push("DESC".into());
                    }
                    let alpha = rng.random_bool(0.4);
                    if alpha {
                        args.push("ALPHA".into());
                    }
                    if store {
                        args.extend(["STORE".into(), "dst".into()]);
                    } else if rng.random_bool(0.3) {
                        args[0] = "SORT_RO".into();
                    }
                    args.shuffle_options(&mut rng);
                    let a: Vec<&str> = args.iter().map(String::as_str).collect();
                    let want = model_sort(&m, key, by, limit, &gets, desc, alpha, store);
                    if ferrodis && m.colls.contains_key(key) {
                        seen_encodings.insert(encoding(&mut c, key));
                    }
                    let mut cmd = redis::cmd(a[0]);
                    for x in &a[1..] {
                        cmd.arg(*x);
                    }
                    let got = cmd.query::<Value>(&mut c);
                    match want {
                        Err(()) => {
                            let e = got.expect_err("numeric error expected");
                            assert_eq!(
                                crate::support::redis_error_text(&e),
                                "ERR One or more scores can't be converted into double",
                                "step {step}: {a:?}"
                            );
                        }
                        Ok(None) => {}
                        Ok(Some(want)) => {
                            let got = got.unwrap_or_else(|e| panic!("step {step}: {a:?}: {e}"));
                            checked += 1;
                            if store {
                                assert_eq!(
                                    got,
                                    Value::Int(want.len() as i64),
                                    "step {step}: {a:?}"
                                );
                                let stored = strings(query(&mut c, &["LRANGE", "dst", "0", "-1"]));
                                let want: Vec<Option<String>> =
                                    want.into_iter().map(|v| Some(v.unwrap_or_default())).collect();
                                assert_eq!(stored, want, "step {step}: {a:?}");
                                let n = stored.len();
                                if ferrodis && n > 0 {
                                    let enc = if n <= 16 { "listpack" } else { "quicklist" };
                                    assert_eq!(encoding(&mut c, "dst"), enc, "step {step}");
                                }
                                if n == 0 {
                                    assert_eq!(int(&mut c, &["EXISTS", "dst"]), 0);
                                }
                            } else {
                                assert_eq!(strings(got), want, "step {step}: {a:?}");
                            }
                            if ferrodis && matches!(m.colls.get(key), Some(Coll::ZSet(_))) {
                                assert_eq!(encoding(&mut c, key), "skiplist", "step {step}");
                            }
                        }
                    }
                }
            }
        }
        assert!(checked > 500, "only {checked} SORTs checked");
        if ferrodis {
            // The sources crossed their thresholds during the run.
            for enc in ["quicklist", "hashtable", "skiplist"] {
                assert!(seen_encodings.contains(enc), "never sorted a {enc}: {seen_encodings:?}");
            }
        }
        query(&mut c, &["CONFIG", "SET", "list-max-listpack-size", "-2"]);
        query(&mut c, &["CONFIG", "SET", "set-max-intset-entries", "512"]);
        if ferrodis {
            query(&mut c, &["CONFIG", "SET", "set-max-listpack-entries", "128"]);
        }
        query(&mut c, &["CONFIG", "SET", "zset-max-listpack-entries", "128"]);
    }
}

/// Shuffles the options of a SORT argv (after the key) as whole groups, keeping the order of
/// the GETs among themselves: the result must not depend on where options are.
trait ShuffleOptions {
    fn shuffle_options(&mut self, rng: &mut StdRng);
}

impl ShuffleOptions for Vec<String> {
    fn shuffle_options(&mut self, rng: &mut StdRng) {
        let mut groups: Vec<Vec<String>> = Vec::new();
        let mut i = 2;
        while i < self.len() {
            let n = match self[i].as_str() {
                "LIMIT" => 3,
                "BY" | "GET" | "STORE" => 2,
                _ => 1,
            };
            groups.push(self[i..i + n].to_vec());
            i += n;
        }
        let (gets, mut others): (Vec<_>, Vec<_>) = groups.into_iter().partition(|g| g[0] == "GET");
        others.shuffle(rng);
        let at = rng.random_range(0..=others.len());
        let mut out = self[..2].to_vec();
        for (j, g) in others.iter().enumerate() {
            if j == at {
                gets.iter().for_each(|g| out.extend(g.iter().cloned()));
            }
            out.extend(g.iter().cloned());
        }
        if at == others.len() {
            gets.iter().for_each(|g| out.extend(g.iter().cloned()));
        }
        *self = out;
    }
}
