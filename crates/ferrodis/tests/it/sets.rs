//! Set commands through the `redis` crate and raw RESP: Redis 7.2's encodings (the listpack
//! set is new in 7.2, so these run against Ferrodis only; `tests/diff/sets` compares the
//! 7.0-compatible part with a real Redis), reply shapes, random members, SSCAN's guarantee,
//! and a model-based property test against `std` collections.
//! Reference: Redis 7.2 `src/t_set.c`.

use crate::support::{error_text, query, reference_server, Proto, Server, BOTH};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use redis::Value;
use std::collections::{BTreeMap, BTreeSet};

fn strings(v: Value) -> Vec<String> {
    match v {
        Value::Array(items) | Value::Set(items) => items
            .into_iter()
            .map(|i| match i {
                Value::BulkString(b) => String::from_utf8(b).expect("utf8 member"),
                other => panic!("expected a bulk string, got {other:?}"),
            })
            .collect(),
        Value::Nil => Vec::new(),
        other => panic!("expected an array or set, got {other:?}"),
    }
}

fn sorted(v: Value) -> Vec<String> {
    let mut s = strings(v);
    s.sort();
    s
}

fn int(con: &mut redis::Connection, args: &[&str]) -> i64 {
    match query(con, args) {
        Value::Int(n) => n,
        other => panic!("{args:?}: expected an integer, got {other:?}"),
    }
}

fn encoding(con: &mut redis::Connection, key: &str) -> String {
    match query(con, &["OBJECT", "ENCODING", key]) {
        Value::BulkString(b) => String::from_utf8(b).unwrap(),
        Value::SimpleString(s) => s,
        other => panic!("OBJECT ENCODING {key}: {other:?}"),
    }
}

fn sadd(con: &mut redis::Connection, key: &str, members: &[String]) -> i64 {
    let mut args = vec!["SADD", key];
    args.extend(members.iter().map(String::as_str));
    int(con, &args)
}

/// Listpack-encoded sets are new in Redis 7.2: in reference mode against Debian's 7.0 the
/// encoding assertions are skipped.
fn redis72_encodings() -> bool {
    reference_server().is_none()
}

fn range(prefix: &str, n: usize) -> Vec<String> {
    (0..n).map(|i| format!("{prefix}{i}")).collect()
}

#[test]
fn listpack_thresholds_and_conversions() {
    if !redis72_encodings() {
        return;
    }
    let server = Server::start();
    let mut con = server.client(Proto::Resp2);
    let con = &mut con;
    // Integers: intset up to 512, a string turns a small intset into a listpack.
    sadd(con, "i", &range("", 3));
    assert_eq!(encoding(con, "i"), "intset");
    sadd(con, "i", &["a".to_string()]);
    assert_eq!(encoding(con, "i"), "listpack");
    assert_eq!(strings(query(con, &["SMEMBERS", "i"])), ["0", "1", "2", "a"]);
    // ... and a large one (128 or more members) into a hashtable.
    sadd(con, "j", &range("", 128));
    assert_eq!(encoding(con, "j"), "intset");
    sadd(con, "j", &["a".to_string()]);
    assert_eq!(encoding(con, "j"), "hashtable");
    // Strings: listpack up to 128 entries of up to 64 bytes, in insertion order.
    sadd(con, "s", &range("m", 128));
    assert_eq!(encoding(con, "s"), "listpack");
    assert_eq!(strings(query(con, &["SMEMBERS", "s"]))[..3], ["m0", "m1", "m2"]);
    sadd(con, "s", &["m0".to_string()]);
    assert_eq!(encoding(con, "s"), "listpack");
    sadd(con, "s", &["x".to_string()]);
    assert_eq!(encoding(con, "s"), "hashtable");
    sadd(con, "v", &["a".repeat(64)]);
    assert_eq!(encoding(con, "v"), "listpack");
    sadd(con, "v", &["a".repeat(65)]);
    assert_eq!(encoding(con, "v"), "hashtable");
    sadd(con, "w", &["a".repeat(65)]);
    assert_eq!(encoding(con, "w"), "hashtable");
    // An integer wider than 64 bits is a string.
    sadd(con, "big", &["213244124402402314402033402".to_string()]);
    assert_eq!(encoding(con, "big"), "listpack");
    // SADD's size hint: a new key with more arguments than fit goes straight to hashtable,
    // even when they repeat; an existing listpack converts first.
    let mut ones = vec!["1".to_string(); 129];
    ones[0] = "a".to_string();
    assert_eq!(sadd(con, "h", &ones), 2);
    assert_eq!(encoding(con, "h"), "hashtable");
    assert_eq!(sadd(con, "n", &vec!["7".to_string(); 513]), 1);
    assert_eq!(encoding(con, "n"), "hashtable");
    assert_eq!(sadd(con, "n2", &vec!["7".to_string(); 512]), 1);
    assert_eq!(encoding(con, "n2"), "intset");
    sadd(con, "l", &["a".to_string()]);
    sadd(con, "l", &vec!["a".to_string(); 129]);
    assert_eq!(encoding(con, "l"), "hashtable");
    // CONFIG SET moves the thresholds; sets never convert back.
    query(con, &["CONFIG", "SET", "set-max-listpack-entries", "2", "set-max-listpack-value", "3"]);
    sadd(con, "c", &["ab".to_string(), "abc".to_string()]);
    assert_eq!(encoding(con, "c"), "listpack");
    sadd(con, "c", &["x".to_string()]);
    assert_eq!(encoding(con, "c"), "hashtable");
    query(con, &["SREM", "c", "x", "ab"]);
    assert_eq!(encoding(con, "c"), "hashtable");
    sadd(con, "d", &["abcd".to_string()]);
    assert_eq!(encoding(con, "d"), "hashtable");
    // An intset whose widest member has more digits than set-max-listpack-value.
    sadd(con, "e", &["1000".to_string()]);
    sadd(con, "e", &["a".to_string()]);
    assert_eq!(encoding(con, "e"), "hashtable");
    query(
        con,
        &["CONFIG", "SET", "set-max-listpack-entries", "128", "set-max-listpack-value", "64"],
    );
}

#[test]
fn store_results_and_smove_encodings() {
    if !redis72_encodings() {
        return;
    }
    let server = Server::start();
    let mut con = server.client(Proto::Resp2);
    let con = &mut con;
    // Two listpacks whose intersection is all integers: an intset.
    query(con, &["SADD", "a", "a", "b", "c", "1", "3", "6", "x", "y", "z"]);
    query(con, &["SADD", "b", "e", "f", "g", "1", "2", "3", "u", "v", "w"]);
    assert_eq!(int(con, &["SINTERSTORE", "r", "a", "b"]), 2);
    assert_eq!(encoding(con, "r"), "intset");
    // Hashtables whose intersection is 129 integers: an intset as well.
    let nums = range("", 130)[1..].to_vec();
    sadd(con, "h1", &nums);
    sadd(con, "h2", &nums);
    sadd(con, "h1", &["a".to_string()]);
    sadd(con, "h2", &["b".to_string()]);
    assert_eq!(encoding(con, "h1"), "hashtable");
    assert_eq!(int(con, &["SINTERSTORE", "r", "h1", "h2"]), 129);
    assert_eq!(encoding(con, "r"), "intset");
    // A string in the intersection of listpacks: a listpack.
    assert_eq!(int(con, &["SINTERSTORE", "r", "a", "a"]), 9);
    assert_eq!(encoding(con, "r"), "listpack");
    assert_eq!(
        strings(query(con, &["SMEMBERS", "r"])),
        ["a", "b", "c", "1", "3", "6", "x", "y", "z"]
    );
    // SUNION starts from an intset: integers first sorted, then converted in order.
    assert_eq!(
        strings(query(con, &["SUNION", "a", "b"])),
        ["a", "b", "c", "1", "3", "6", "x", "y", "z", "e", "f", "g", "2", "u", "v", "w"]
    );
    query(con, &["SADD", "i1", "5", "1", "3"]);
    query(con, &["SADD", "i2", "4", "2"]);
    assert_eq!(strings(query(con, &["SUNION", "i2", "i1"])), ["1", "2", "3", "4", "5"]);
    assert_eq!(int(con, &["SUNIONSTORE", "u", "i1", "i2"]), 5);
    assert_eq!(encoding(con, "u"), "intset");
    assert_eq!(int(con, &["SUNIONSTORE", "u", "i1", "a"]), 10);
    assert_eq!(encoding(con, "u"), "listpack");
    assert_eq!(int(con, &["SUNIONSTORE", "u", "h1", "i1"]), 130);
    assert_eq!(encoding(con, "u"), "hashtable");
    // SDIFFSTORE of intsets stays an intset.
    assert_eq!(int(con, &["SDIFFSTORE", "df", "i1", "i2"]), 3);
    assert_eq!(encoding(con, "df"), "intset");
    // SMOVE: a string into an intset converts it; an integer does not; a new destination
    // gets setTypeCreate's encoding for that member.
    query(con, &["SADD", "m1", "1", "a", "b"]);
    query(con, &["SADD", "m2", "2", "3", "4"]);
    assert_eq!(int(con, &["SMOVE", "m1", "m2", "1"]), 1);
    assert_eq!(encoding(con, "m2"), "intset");
    assert_eq!(int(con, &["SMOVE", "m1", "m2", "a"]), 1);
    assert_eq!(encoding(con, "m2"), "listpack");
    assert_eq!(int(con, &["SMOVE", "m1", "m3", "b"]), 1);
    assert_eq!(encoding(con, "m3"), "listpack");
    assert_eq!(int(con, &["EXISTS", "m1"]), 0);
    assert_eq!(int(con, &["SMOVE", "m2", "m4", "2"]), 1);
    assert_eq!(encoding(con, "m4"), "intset");
}

#[test]
fn spop_keeps_or_rebuilds_encodings_as_redis() {
    if !redis72_encodings() {
        return;
    }
    let server = Server::start();
    let mut con = server.client(Proto::Resp2);
    let con = &mut con;
    for (content, enc) in [(range("", 20), "intset"), (range("m", 20), "listpack")] {
        for (count, left) in [(2usize, 18usize), (18, 2)] {
            query(con, &["DEL", "s"]);
            sadd(con, "s", &content);
            assert_eq!(encoding(con, "s"), enc);
            let popped = strings(query(con, &["SPOP", "s", &count.to_string()]));
            assert_eq!(popped.len(), count);
            let rest = strings(query(con, &["SMEMBERS", "s"]));
            assert_eq!(rest.len(), left);
            let mut all: Vec<String> = popped.into_iter().chain(rest).collect();
            all.sort();
            all.dedup();
            let mut want = content.clone();
            want.sort();
            assert_eq!(all, want);
            assert_eq!(encoding(con, "s"), enc);
        }
    }
    // A hashtable that loses most of its members is rebuilt as a listpack (Redis's CASE 3:
    // the new set starts as a listpack because hashtable members come as strings) ...
    query(con, &["DEL", "s"]);
    sadd(con, "s", &range("", 1000));
    assert_eq!(encoding(con, "s"), "hashtable");
    assert_eq!(strings(query(con, &["SPOP", "s", "900"])).len(), 900);
    assert_eq!(int(con, &["SCARD", "s"]), 100);
    assert_eq!(encoding(con, "s"), "listpack");
    // ... unless what remains does not fit one; and a few pops leave the encoding alone.
    query(con, &["DEL", "s"]);
    sadd(con, "s", &range("", 1000));
    query(con, &["SPOP", "s", "800"]);
    assert_eq!(encoding(con, "s"), "hashtable");
    query(con, &["SPOP", "s", "10"]);
    assert_eq!(encoding(con, "s"), "hashtable");
    assert_eq!(int(con, &["SCARD", "s"]), 190);
    // count >= size returns everything (sorted when all are integers) and deletes the key.
    query(con, &["SADD", "t", "3", "1", "2"]);
    assert_eq!(strings(query(con, &["SPOP", "t", "3"])), ["1", "2", "3"]);
    assert_eq!(int(con, &["EXISTS", "t"]), 0);
}

#[test]
fn reply_shapes_in_both_protocols() {
    let server = Server::start();
    let mut raw = server.raw();
    raw.cmd_str(&["SADD", "s", "a"]);
    for (proto, null, empty_set, set1) in
        [(2, "$-1\r\n", "*0\r\n", "*1\r\n$1\r\na\r\n"), (3, "_\r\n", "~0\r\n", "~1\r\n$1\r\na\r\n")]
    {
        raw.cmd_str(&["HELLO", &proto.to_string()]);
        assert_reply!(raw.cmd_str(&["SPOP", "nokey"]), null.as_bytes());
        assert_reply!(raw.cmd_str(&["SRANDMEMBER", "nokey"]), null.as_bytes());
        assert_reply!(raw.cmd_str(&["SPOP", "nokey", "2"]), empty_set.as_bytes());
        assert_reply!(raw.cmd_str(&["SPOP", "s", "0"]), empty_set.as_bytes());
        assert_reply!(raw.cmd_str(&["SMEMBERS", "nokey"]), empty_set.as_bytes());
        assert_reply!(raw.cmd_str(&["SMEMBERS", "s"]), set1.as_bytes());
        assert_reply!(raw.cmd_str(&["SINTER", "s", "nokey"]), empty_set.as_bytes());
        assert_reply!(raw.cmd_str(&["SUNION", "s"]), set1.as_bytes());
        assert_reply!(raw.cmd_str(&["SDIFF", "s"]), set1.as_bytes());
        // SRANDMEMBER with a count and SMISMEMBER are arrays, SSCAN an array of two.
        assert_reply!(raw.cmd_str(&["SRANDMEMBER", "nokey", "3"]), b"*0\r\n");
        assert_reply!(raw.cmd_str(&["SRANDMEMBER", "s", "0"]), b"*0\r\n");
        assert_reply!(raw.cmd_str(&["SRANDMEMBER", "s", "-2"]), b"*2\r\n$1\r\na\r\n$1\r\na\r\n");
        assert_reply!(raw.cmd_str(&["SMISMEMBER", "s", "a", "b"]), b"*2\r\n:1\r\n:0\r\n");
        assert_reply!(raw.cmd_str(&["SSCAN", "s", "0"]), b"*2\r\n$1\r\n0\r\n*1\r\n$1\r\na\r\n");
    }
    let mut con = server.client(Proto::Resp2);
    assert_eq!(
        error_text(&mut con, &["SRANDMEMBER", "s", "-9223372036854775808"]),
        "ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807"
    );
    assert_eq!(
        error_text(&mut con, &["SPOP", "s", "-1"]),
        "ERR value is out of range, must be positive"
    );
}

#[test]
fn random_members_are_members_distinct_when_asked() {
    let server = Server::start();
    let mut con = server.client(Proto::Resp3);
    let con = &mut con;
    let cases =
        [("ints", range("", 50)), ("strs", range("m", 50)), ("hash", range("member-", 300))];
    for (key, content) in &cases {
        sadd(con, key, content);
        let all: BTreeSet<&String> = content.iter().collect();
        for count in [1, 5, 20, 45, 49, 50, 60, 299, 300, 400] {
            let got = strings(query(con, &["SRANDMEMBER", key, &count.to_string()]));
            assert_eq!(got.len(), count.min(content.len()), "{key} {count}");
            let distinct: BTreeSet<&String> = got.iter().collect();
            assert_eq!(distinct.len(), got.len(), "{key} {count}: repeated members");
            assert!(distinct.is_subset(&all));
            let got = strings(query(con, &["SRANDMEMBER", key, &format!("-{count}")]));
            assert_eq!(got.len(), count);
            assert!(got.iter().all(|m| all.contains(m)));
        }
        // Every member shows up eventually.
        let mut seen = BTreeSet::new();
        for _ in 0..200 {
            for m in strings(query(con, &["SRANDMEMBER", key, "-20"])) {
                seen.insert(m);
            }
        }
        assert_eq!(seen.len(), content.len(), "{key}");
    }
}

#[test]
fn sscan_returns_every_stable_member_of_a_changing_hashtable() {
    let server = Server::start();
    let mut con = server.client(Proto::Resp2);
    let con = &mut con;
    let stable = range("stable-", 2000);
    sadd(con, "s", &stable);
    let mut seen = BTreeSet::new();
    let mut cursor = "0".to_string();
    let mut round = 0;
    loop {
        let reply = query(con, &["SSCAN", "s", &cursor, "COUNT", "50"]);
        let Value::Array(parts) = reply else { panic!("{reply:?}") };
        let [Value::BulkString(next), members] = &parts[..] else { panic!("{parts:?}") };
        cursor = String::from_utf8(next.clone()).unwrap();
        seen.extend(strings(members.clone()));
        // Grow the table, then shrink it, while the scan goes on.
        round += 1;
        if round < 20 {
            sadd(con, "s", &range(&format!("extra-{round}-"), 300));
        } else if round < 40 {
            let mut args = vec!["SREM".to_string(), "s".to_string()];
            args.extend(range(&format!("extra-{}-", round - 19), 300));
            let args: Vec<&str> = args.iter().map(String::as_str).collect();
            query(con, &args);
        }
        if cursor == "0" {
            break;
        }
    }
    for m in &stable {
        assert!(seen.contains(m), "SSCAN missed {m}");
    }
    // MATCH filters, COUNT bounds the work per call.
    let reply = query(con, &["SSCAN", "s", "0", "MATCH", "stable-1?", "COUNT", "100000"]);
    let Value::Array(parts) = reply else { panic!() };
    assert_eq!(parts[0], Value::BulkString(b"0".to_vec()));
    assert_eq!(
        sorted(parts[1].clone()),
        sorted(Value::Array(
            range("stable-1", 10).into_iter().map(|s| Value::BulkString(s.into_bytes())).collect()
        ))
    );
}

/// What the model expects a set's encoding to be, following Redis 7.2's rules, or `None`
/// once a command rebuilt it in a way the model does not follow (STORE results, SPOP).
type Enc = Option<&'static str>;

/// Thresholds the property test runs with (small, so sets cross them often).
const IMAX: usize = 12;
const LMAX: usize = 8;
const VMAX: usize = 6;

fn is_int(m: &str) -> bool {
    m.parse::<i64>().is_ok_and(|v| v.to_string() == m)
}

/// `setTypeAdd`'s encoding change for adding `m` to a set of `len` members (`m` new).
fn enc_after_add(enc: &'static str, members: &BTreeSet<String>, m: &str) -> &'static str {
    match enc {
        "intset" if is_int(m) => {
            if members.len() + 1 > IMAX {
                "hashtable"
            } else {
                "intset"
            }
        }
        "intset" => {
            let widest = members.iter().map(String::len).max().unwrap_or(0);
            if members.len() < LMAX && m.len() <= VMAX && widest <= VMAX {
                "listpack"
            } else {
                "hashtable"
            }
        }
        "listpack" if members.len() < LMAX && m.len() <= VMAX => "listpack",
        _ => "hashtable",
    }
}

fn model_sadd(
    model: &mut BTreeMap<String, (BTreeSet<String>, Enc)>,
    key: &str,
    members: &[String],
) -> i64 {
    let (set, enc) = model.entry(key.to_string()).or_insert_with(|| {
        let first = &members[0];
        let n = members.len();
        let enc = if is_int(first) && n <= IMAX {
            "intset"
        } else if n <= LMAX {
            "listpack"
        } else {
            "hashtable"
        };
        (BTreeSet::new(), Some(enc))
    });
    if let Some(e) = enc {
        if (*e == "listpack" && members.len() > LMAX) || (*e == "intset" && members.len() > IMAX) {
            *e = "hashtable";
        }
    }
    let mut added = 0;
    for m in members {
        if !set.contains(m) {
            if let Some(e) = enc {
                *e = enc_after_add(e, set, m);
            }
            set.insert(m.clone());
            added += 1;
        }
    }
    added
}

fn random_member(rng: &mut StdRng) -> String {
    match rng.random_range(0..10) {
        0..=3 => rng.random_range(-5..25).to_string(),
        4 => format!("{}", rng.random_range(100_000..100_010)),
        5..=7 => format!("m{}", rng.random_range(0..20)),
        8 => format!("long-{}", rng.random_range(0..5)),
        _ => ["01", "-0", "", " 1", "9223372036854775808"][rng.random_range(0..5)].to_string(),
    }
}

/// Random command sequences on Ferrodis and on a `BTreeMap<key, BTreeSet>` model, with
/// thresholds low enough that sets cross intset -> listpack -> hashtable all the time.
#[test]
fn model_based_random_commands() {
    for proto in BOTH {
        let server = Server::start();
        let mut con = server.client(proto);
        let con = &mut con;
        query(con, &["CONFIG", "SET", "set-max-intset-entries", &IMAX.to_string()]);
        if redis72_encodings() {
            let (lmax, vmax) = (LMAX.to_string(), VMAX.to_string());
            query(con, &["CONFIG", "SET", "set-max-listpack-entries", &lmax]);
            query(con, &["CONFIG", "SET", "set-max-listpack-value", &vmax]);
        }
        let keys = ["k0", "k1", "k2", "k3"];
        let mut encodings_seen = BTreeSet::new();
        for seed in 0..30u64 {
            let mut rng = StdRng::seed_from_u64(seed * 7919 + proto as u64);
            let mut model: BTreeMap<String, (BTreeSet<String>, Enc)> = BTreeMap::new();
            query(con, &["FLUSHALL"]);
            for step in 0..150 {
                let key = keys[rng.random_range(0..keys.len())];
                let other = keys[rng.random_range(0..keys.len())];
                let ctx = format!("{proto:?} seed {seed} step {step}");
                match rng.random_range(0..14) {
                    0..=3 => {
                        let max = if rng.random_bool(0.1) { 20 } else { 4 };
                        let n = rng.random_range(1..max);
                        let members: Vec<String> =
                            (0..n).map(|_| random_member(&mut rng)).collect();
                        let want = model_sadd(&mut model, key, &members);
                        assert_eq!(sadd(con, key, &members), want, "{ctx}: SADD");
                    }
                    4 | 5 => {
                        let members: Vec<String> =
                            (0..rng.random_range(1..4)).map(|_| random_member(&mut rng)).collect();
                        let mut want = 0;
                        if let Some((set, _)) = model.get_mut(key) {
                            for m in &members {
                                if set.remove(m) {
                                    want += 1;
                                }
                            }
                            if set.is_empty() {
                                model.remove(key);
                            }
                        }
                        let mut args = vec!["SREM", key];
                        args.extend(members.iter().map(String::as_str));
                        assert_eq!(int(con, &args), want, "{ctx}: SREM");
                    }
                    6 => {
                        let members: Vec<String> =
                            (0..3).map(|_| random_member(&mut rng)).collect();
                        let want: Vec<Value> = members
                            .iter()
                            .map(|m| {
                                Value::Int(i64::from(
                                    model.get(key).is_some_and(|(s, _)| s.contains(m)),
                                ))
                            })
                            .collect();
                        let mut args = vec!["SMISMEMBER", key];
                        args.extend(members.iter().map(String::as_str));
                        assert_eq!(query(con, &args), Value::Array(want), "{ctx}: SMISMEMBER");
                    }
                    7 => {
                        let m = random_member(&mut rng);
                        let src_has = model.get(key).is_some_and(|(s, _)| s.contains(&m));
                        let want = i64::from(src_has);
                        if src_has && key != other {
                            let (set, _) = model.get_mut(key).unwrap();
                            set.remove(&m);
                            if set.is_empty() {
                                model.remove(key);
                            }
                            if !model.contains_key(other) {
                                let enc = if is_int(&m) { "intset" } else { "listpack" };
                                model.insert(other.to_string(), (BTreeSet::new(), Some(enc)));
                            }
                            let (dset, denc) = model.get_mut(other).unwrap();
                            if !dset.contains(&m) {
                                if let Some(e) = denc {
                                    *e = enc_after_add(e, dset, &m);
                                }
                                dset.insert(m.clone());
                            }
                        }
                        assert_eq!(int(con, &["SMOVE", key, other, &m]), want, "{ctx}: SMOVE");
                    }
                    8 | 9 => {
                        let third = keys[rng.random_range(0..keys.len())];
                        let empty = BTreeSet::new();
                        let get = |k: &str| model.get(k).map_or(&empty, |(s, _)| s);
                        let (a, b, c) = (get(key), get(other), get(third));
                        let inter: BTreeSet<String> = a
                            .iter()
                            .filter(|m| b.contains(*m) && c.contains(*m))
                            .cloned()
                            .collect();
                        let union: BTreeSet<String> = a.iter().chain(b).chain(c).cloned().collect();
                        let diff: BTreeSet<String> = a
                            .iter()
                            .filter(|m| !b.contains(*m) && !c.contains(*m))
                            .cloned()
                            .collect();
                        let v = |s: &BTreeSet<String>| s.iter().cloned().collect::<Vec<_>>();
                        assert_eq!(
                            sorted(query(con, &["SINTER", key, other, third])),
                            v(&inter),
                            "{ctx}: SINTER"
                        );
                        assert_eq!(
                            sorted(query(con, &["SUNION", key, other, third])),
                            v(&union),
                            "{ctx}: SUNION"
                        );
                        assert_eq!(
                            sorted(query(con, &["SDIFF", key, other, third])),
                            v(&diff),
                            "{ctx}: SDIFF"
                        );
                        assert_eq!(
                            int(con, &["SINTERCARD", "3", key, other, third, "LIMIT", "2"]),
                            inter.len().min(2) as i64
                        );
                        let dst = keys[rng.random_range(0..keys.len())];
                        let (cmd, result) = match rng.random_range(0..3) {
                            0 => ("SINTERSTORE", inter),
                            1 => ("SUNIONSTORE", union),
                            _ => ("SDIFFSTORE", diff),
                        };
                        assert_eq!(
                            int(con, &[cmd, dst, key, other, third]),
                            result.len() as i64,
                            "{ctx}: {cmd}"
                        );
                        if result.is_empty() {
                            model.remove(dst);
                        } else {
                            model.insert(dst.to_string(), (result, None));
                        }
                    }
                    10 => {
                        let count = rng.random_range(0..6);
                        let popped = strings(query(con, &["SPOP", key, &count.to_string()]));
                        let size = model.get(key).map_or(0, |(s, _)| s.len());
                        assert_eq!(popped.len(), count.min(size), "{ctx}: SPOP count");
                        if let Some((set, enc)) = model.get_mut(key) {
                            for m in &popped {
                                assert!(set.remove(m), "{ctx}: SPOP returned a non-member {m:?}");
                            }
                            *enc = None;
                            if set.is_empty() {
                                model.remove(key);
                            }
                        }
                    }
                    11 => {
                        let count: i64 = rng.random_range(-6..7);
                        let got = strings(query(con, &["SRANDMEMBER", key, &count.to_string()]));
                        let set = model.get(key).map(|(s, _)| s);
                        let size = set.map_or(0, BTreeSet::len);
                        let want_len = if size == 0 {
                            0
                        } else if count < 0 {
                            count.unsigned_abs() as usize
                        } else {
                            (count as usize).min(size)
                        };
                        assert_eq!(got.len(), want_len, "{ctx}: SRANDMEMBER {count}");
                        assert!(got.iter().all(|m| set.is_some_and(|s| s.contains(m))), "{ctx}");
                        if count > 0 {
                            assert_eq!(
                                got.iter().collect::<BTreeSet<_>>().len(),
                                got.len(),
                                "{ctx}: repeats"
                            );
                        }
                    }
                    _ => {
                        let want = model
                            .get(key)
                            .map(|(s, _)| s.iter().cloned().collect::<Vec<_>>())
                            .unwrap_or_default();
                        assert_eq!(sorted(query(con, &["SMEMBERS", key])), want, "{ctx}: SMEMBERS");
                        assert_eq!(int(con, &["SCARD", key]), want.len() as i64, "{ctx}: SCARD");
                    }
                }
                // Encodings: exact where the model follows them, invariants everywhere.
                for k in keys {
                    match model.get(k) {
                        None => {
                            assert_eq!(int(con, &["EXISTS", k]), 0, "{ctx}: {k} should not exist")
                        }
                        Some((set, enc)) => {
                            let got = encoding(con, k);
                            encodings_seen.insert(got.clone());
                            if let Some(e) = enc.filter(|_| redis72_encodings()) {
                                assert_eq!(got, *e, "{ctx}: encoding of {k} = {set:?}");
                            }
                            match got.as_str() {
                                _ if !redis72_encodings() => {}
                                "intset" => assert!(
                                    set.len() <= IMAX && set.iter().all(|m| is_int(m)),
                                    "{ctx}"
                                ),
                                "listpack" => assert!(
                                    set.len() <= LMAX && set.iter().all(|m| m.len() <= VMAX),
                                    "{ctx}"
                                ),
                                _ => {}
                            }
                        }
                    }
                }
            }
        }
        if redis72_encodings() {
            assert_eq!(encodings_seen.len(), 3, "{encodings_seen:?}");
        }
    }
}
