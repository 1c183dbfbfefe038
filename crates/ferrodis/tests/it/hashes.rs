//! Hash commands through the `redis` crate: RESP3 shapes (HGETALL map, HRANDFIELD pairs),
//! HRANDFIELD's distinctness and limits, HSCAN's guarantee on a `hashtable`, Redis 7.2's
//! HSET pre-conversion, and a model-based test of random command sequences against a
//! `BTreeMap` model that also predicts OBJECT ENCODING. Reference: Redis 7.2 `src/t_hash.c`.

use crate::support::{error_text, query, text_for_version, Proto, Server, BOTH};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use redis::Value;
use std::collections::{BTreeMap, BTreeSet};

fn bulk_str(v: &Value) -> String {
    match v {
        Value::BulkString(b) => String::from_utf8_lossy(b).into_owned(),
        Value::SimpleString(s) => s.clone(),
        Value::Int(n) => n.to_string(),
        Value::Nil => "(nil)".into(),
        other => panic!("expected a string reply, got {other:?}"),
    }
}

fn array(v: Value) -> Vec<Value> {
    match v {
        Value::Array(a) | Value::Set(a) => a,
        other => panic!("expected an array reply, got {other:?}"),
    }
}

fn strings(v: Value) -> Vec<String> {
    array(v).iter().map(bulk_str).collect()
}

fn int(con: &mut redis::Connection, args: &[&str]) -> i64 {
    match query(con, args) {
        Value::Int(n) => n,
        other => panic!("{args:?}: expected an integer reply, got {other:?}"),
    }
}

fn encoding(con: &mut redis::Connection, key: &str) -> String {
    bulk_str(&query(con, &["OBJECT", "ENCODING", key]))
}

#[test]
fn hgetall_is_a_map_in_resp3_and_flat_in_resp2() {
    let server = Server::start();
    let mut c2 = server.client(Proto::Resp2);
    let mut c3 = server.client(Proto::Resp3);
    query(&mut c2, &["HSET", "h", "a", "1", "b", "2"]);
    assert_eq!(strings(query(&mut c2, &["HGETALL", "h"])), ["a", "1", "b", "2"]);
    match query(&mut c3, &["HGETALL", "h"]) {
        Value::Map(pairs) => {
            let got: Vec<(String, String)> =
                pairs.iter().map(|(k, v)| (bulk_str(k), bulk_str(v))).collect();
            assert_eq!(got, [("a".into(), "1".into()), ("b".into(), "2".into())]);
        }
        other => panic!("HGETALL in RESP3: expected a map, got {other:?}"),
    }
    assert_eq!(query(&mut c3, &["HGETALL", "nokey"]), Value::Map(vec![]));
    // HKEYS and HVALS stay arrays in RESP3.
    assert!(matches!(query(&mut c3, &["HKEYS", "h"]), Value::Array(_)));
    assert!(matches!(query(&mut c3, &["HVALS", "h"]), Value::Array(_)));
}

#[test]
fn hrandfield_shapes_distinctness_and_repetition() {
    let server = Server::start();
    let mut c2 = server.client(Proto::Resp2);
    let mut c3 = server.client(Proto::Resp3);
    for (key, big) in [("lp", false), ("ht", true)] {
        for i in 0..10 {
            let field = if big && i == 9 { "x".repeat(80) } else { format!("f{i}") };
            query(&mut c2, &["HSET", key, &field, &format!("v{i}")]);
        }
        assert_eq!(encoding(&mut c2, key), if big { "hashtable" } else { "listpack" });
        let all: BTreeSet<String> = strings(query(&mut c2, &["HKEYS", key])).into_iter().collect();
        // Positive counts: distinct fields, at most the hash's size.
        for count in [1, 2, 3, 4, 8, 9, 10, 20] {
            for _ in 0..20 {
                let got = strings(query(&mut c2, &["HRANDFIELD", key, &count.to_string()]));
                assert_eq!(got.len(), count.min(10), "{key} {count}");
                let set: BTreeSet<String> = got.iter().cloned().collect();
                assert_eq!(set.len(), got.len(), "{key} {count}: repeated field in {got:?}");
                assert!(set.is_subset(&all));
            }
        }
        // Negative counts: exactly |count| fields, repetition allowed, every field eventually.
        let got = strings(query(&mut c2, &["HRANDFIELD", key, "-1000"]));
        assert_eq!(got.len(), 1000);
        let set: BTreeSet<String> = got.into_iter().collect();
        assert_eq!(set, all, "{key}: 1000 draws should cover 10 fields");
        // WITHVALUES: RESP2 flat, RESP3 pairs; the value belongs to the field.
        let flat = strings(query(&mut c2, &["HRANDFIELD", key, "-5", "WITHVALUES"]));
        assert_eq!(flat.len(), 10);
        for pair in flat.chunks(2) {
            assert_eq!(bulk_str(&query(&mut c2, &["HGET", key, &pair[0]])), pair[1]);
        }
        for count in ["3", "-3", "20"] {
            let pairs = array(query(&mut c3, &["HRANDFIELD", key, count, "WITHVALUES"]));
            assert_eq!(pairs.len(), if count == "20" { 10 } else { 3 });
            for p in pairs {
                let p = strings(p);
                assert_eq!(p.len(), 2, "RESP3 HRANDFIELD WITHVALUES: pairs");
                assert_eq!(bulk_str(&query(&mut c3, &["HGET", key, &p[0]])), p[1]);
            }
        }
        // Without values RESP3 is a flat array of fields.
        assert!(matches!(
            array(query(&mut c3, &["HRANDFIELD", key, "3"]))[0],
            Value::BulkString(_)
        ));
    }
    assert_eq!(query(&mut c3, &["HRANDFIELD", "nokey"]), Value::Nil);
    assert_eq!(query(&mut c3, &["HRANDFIELD", "nokey", "3"]), Value::Array(vec![]));
    assert_eq!(query(&mut c3, &["HRANDFIELD", "lp", "0", "WITHVALUES"]), Value::Array(vec![]));
    for args in [
        &["HRANDFIELD", "lp", "-9223372036854770000", "WITHVALUES"][..],
        &["HRANDFIELD", "lp", "9223372036854775807", "WITHVALUES"],
        &["HRANDFIELD", "nokey", "-4611686018427387904", "WITHVALUES"],
    ] {
        assert_eq!(error_text(&mut c2, args), "ERR value is out of range");
    }
    assert_eq!(
        error_text(&mut c2, &["HRANDFIELD", "lp", "-9223372036854775808"]),
        "ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807"
    );
}

#[test]
fn hscan_of_a_hashtable_returns_every_stable_field() {
    for proto in BOTH {
        let server = Server::start();
        let mut con = server.client(proto);
        query(&mut con, &["CONFIG", "SET", "hash-max-listpack-entries", "16"]);
        for i in 0..1000 {
            query(&mut con, &["HSET", "h", &format!("f{i}"), &i.to_string()]);
        }
        assert_eq!(encoding(&mut con, "h"), "hashtable");
        let mut seen = BTreeMap::new();
        let mut cursor = "0".to_string();
        let mut calls = 0;
        let mut extra = 0;
        loop {
            let reply = array(query(&mut con, &["HSCAN", "h", &cursor, "COUNT", "20"]));
            cursor = bulk_str(&reply[0]);
            let flat = strings(reply[1].clone());
            for pair in flat.chunks(2) {
                seen.insert(pair[0].clone(), pair[1].clone());
            }
            calls += 1;
            // Grow the table during the scan: the original fields must all still come back.
            if extra < 2000 {
                for _ in 0..100 {
                    query(&mut con, &["HSET", "h", &format!("new{extra}"), "x"]);
                    extra += 1;
                }
            }
            if cursor == "0" {
                break;
            }
        }
        assert!(calls > 1, "{proto:?}: a hashtable scan takes several calls");
        for i in 0..1000 {
            assert_eq!(seen.get(&format!("f{i}")), Some(&i.to_string()), "{proto:?}: f{i}");
        }
        // MATCH filters fields.
        let reply =
            array(query(&mut con, &["HSCAN", "h", "0", "MATCH", "f99*", "COUNT", "100000"]));
        assert_eq!(bulk_str(&reply[0]), "0");
        let fields: BTreeSet<String> =
            strings(reply[1].clone()).chunks(2).map(|p| p[0].clone()).collect();
        let want: BTreeSet<String> =
            ["f99", "f990", "f991", "f992", "f993", "f994", "f995", "f996", "f997", "f998", "f999"]
                .iter()
                .map(|s| s.to_string())
                .collect();
        assert_eq!(fields, want);
    }
}

#[test]
fn hset_with_more_pairs_than_listpack_entries_converts_even_with_repeats() {
    // Redis 7.2 (PR #12019) converts before inserting when the argument pairs outnumber
    // hash-max-listpack-entries; Redis 7.0 kept such a hash as listpack.
    let server = Server::start();
    let mut con = server.client(Proto::Resp2);
    query(&mut con, &["CONFIG", "SET", "hash-max-listpack-entries", "2"]);
    assert_eq!(int(&mut con, &["HSET", "h", "a", "1", "a", "1", "a", "1"]), 1);
    assert_eq!(encoding(&mut con, "h"), text_for_version("hashtable", "listpack"));
    assert_eq!(int(&mut con, &["HSET", "g", "a", "1", "a", "1"]), 1);
    assert_eq!(encoding(&mut con, "g"), "listpack");
}

/// The model: field -> value per key, and whether the key has converted to `hashtable`.
#[derive(Default)]
struct ModelHash {
    map: BTreeMap<String, String>,
    table: bool,
}

const ENTRIES: usize = 8;
const VALUE: usize = 16;

impl ModelHash {
    fn set(&mut self, field: &str, value: &str) -> bool {
        if field.len() > VALUE || value.len() > VALUE {
            self.table = true;
        }
        let created = self.map.insert(field.to_string(), value.to_string()).is_none();
        if self.map.len() > ENTRIES {
            self.table = true;
        }
        created
    }
}

fn random_field(rng: &mut StdRng) -> String {
    match rng.random_range(0..10) {
        0 => rng.random_range(-20..20).to_string(),
        1 => "x".repeat(rng.random_range(15..19)),
        _ => format!("f{}", rng.random_range(0..14)),
    }
}

fn random_value(rng: &mut StdRng) -> String {
    match rng.random_range(0..6) {
        0 => rng.random_range(-1000..1000).to_string(),
        1 => "v".repeat(rng.random_range(14..20)),
        2 => String::new(),
        _ => format!("val{}", rng.random_range(0..100)),
    }
}

#[test]
fn model_based_random_commands() {
    let server = Server::start();
    for (seed, proto) in [(1u64, Proto::Resp2), (2, Proto::Resp3), (3, Proto::Resp2)] {
        let mut con = server.client(proto);
        query(&mut con, &["FLUSHALL"]);
        query(&mut con, &["CONFIG", "SET", "hash-max-listpack-entries", &ENTRIES.to_string()]);
        query(&mut con, &["CONFIG", "SET", "hash-max-listpack-value", &VALUE.to_string()]);
        let mut rng = StdRng::seed_from_u64(seed);
        let mut model: BTreeMap<String, ModelHash> = BTreeMap::new();
        let keys = ["k0", "k1", "k2"];
        for step in 0..3000 {
            let key = keys[rng.random_range(0..keys.len())];
            let ctx = format!("seed {seed} step {step} key {key}");
            match rng.random_range(0..12) {
                0 | 1 => {
                    let n = rng.random_range(1..4);
                    let mut args = vec!["HSET".to_string(), key.to_string()];
                    for _ in 0..n {
                        args.push(random_field(&mut rng));
                        args.push(random_value(&mut rng));
                    }
                    let refs: Vec<&str> = args.iter().map(String::as_str).collect();
                    let got = int(&mut con, &refs);
                    let m = model.entry(key.to_string()).or_default();
                    if n > ENTRIES || args[2..].iter().any(|a| a.len() > VALUE) {
                        m.table = true;
                    }
                    let mut created = 0;
                    for p in args[2..].chunks(2) {
                        created += i64::from(m.set(&p[0], &p[1]));
                    }
                    assert_eq!(got, created, "{ctx} {args:?}");
                }
                2 => {
                    let (f, v) = (random_field(&mut rng), random_value(&mut rng));
                    let got = int(&mut con, &["HSETNX", key, &f, &v]);
                    let m = model.entry(key.to_string()).or_default();
                    let want = if m.map.contains_key(&f) { 0 } else { i64::from(m.set(&f, &v)) };
                    assert_eq!(got, want, "{ctx} HSETNX {f} {v}");
                }
                3 | 4 => {
                    let fields: Vec<String> =
                        (0..rng.random_range(1..4)).map(|_| random_field(&mut rng)).collect();
                    let mut args = vec!["HDEL", key];
                    args.extend(fields.iter().map(String::as_str));
                    let got = int(&mut con, &args);
                    let mut want = 0;
                    if let Some(m) = model.get_mut(key) {
                        for f in &fields {
                            if m.map.remove(f).is_some() {
                                want += 1;
                            }
                            if m.map.is_empty() {
                                break;
                            }
                        }
                        if m.map.is_empty() {
                            model.remove(key);
                        }
                    }
                    assert_eq!(got, want, "{ctx} {args:?}");
                }
                5 => {
                    let f = random_field(&mut rng);
                    let incr: i64 = rng.random_range(-50..50);
                    let current = model.get(key).and_then(|m| m.map.get(&f)).cloned();
                    let args = ["HINCRBY", key, &f, &incr.to_string()];
                    match current.as_deref().map(str::parse::<i64>) {
                        Some(Err(_)) => assert_eq!(
                            error_text(&mut con, &args),
                            "ERR hash value is not an integer",
                            "{ctx}"
                        ),
                        Some(Ok(v)) if current.as_deref() != Some(&v.to_string()) => {
                            // "+5" or "05": Redis's strict parser refuses them; our values
                            // never take that shape.
                            unreachable!("{ctx}");
                        }
                        other => {
                            let new = other.map_or(0, |r| r.unwrap()) + incr;
                            assert_eq!(int(&mut con, &args), new, "{ctx}");
                            model.entry(key.to_string()).or_default().set(&f, &new.to_string());
                        }
                    }
                }
                6 => {
                    let f = random_field(&mut rng);
                    let want = model.get(key).and_then(|m| m.map.get(&f)).cloned();
                    let got = query(&mut con, &["HGET", key, &f]);
                    match want {
                        Some(v) => assert_eq!(got, Value::BulkString(v.into_bytes()), "{ctx}"),
                        None => assert_eq!(got, Value::Nil, "{ctx}"),
                    }
                    let len = want_len(&model, key, &f);
                    assert_eq!(int(&mut con, &["HSTRLEN", key, &f]), len, "{ctx}");
                    let exists = i64::from(model.get(key).is_some_and(|m| m.map.contains_key(&f)));
                    assert_eq!(int(&mut con, &["HEXISTS", key, &f]), exists, "{ctx}");
                }
                7 => {
                    let fields: Vec<String> = (0..3).map(|_| random_field(&mut rng)).collect();
                    let mut args = vec!["HMGET", key];
                    args.extend(fields.iter().map(String::as_str));
                    let got = array(query(&mut con, &args));
                    for (f, g) in fields.iter().zip(got) {
                        match model.get(key).and_then(|m| m.map.get(f)) {
                            Some(v) => assert_eq!(g, Value::BulkString(v.clone().into_bytes())),
                            None => assert_eq!(g, Value::Nil, "{ctx}"),
                        }
                    }
                }
                8 => {
                    let want: Vec<(String, String)> = model
                        .get(key)
                        .map(|m| m.map.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
                        .unwrap_or_default();
                    let mut got: Vec<(String, String)> = match query(&mut con, &["HGETALL", key]) {
                        Value::Map(pairs) => {
                            pairs.iter().map(|(k, v)| (bulk_str(k), bulk_str(v))).collect()
                        }
                        Value::Array(flat) => {
                            flat.chunks(2).map(|p| (bulk_str(&p[0]), bulk_str(&p[1]))).collect()
                        }
                        other => panic!("{ctx}: HGETALL gave {other:?}"),
                    };
                    got.sort();
                    assert_eq!(got, want, "{ctx}");
                    let mut keys_got = strings(query(&mut con, &["HKEYS", key]));
                    keys_got.sort();
                    let keys_want: Vec<String> = want.iter().map(|p| p.0.clone()).collect();
                    assert_eq!(keys_got, keys_want, "{ctx}");
                }
                9 => {
                    let len = model.get(key).map_or(0, |m| m.map.len() as i64);
                    assert_eq!(int(&mut con, &["HLEN", key]), len, "{ctx}");
                    assert_eq!(int(&mut con, &["EXISTS", key]), i64::from(len > 0), "{ctx}");
                }
                10 => {
                    // A full HSCAN returns exactly the hash.
                    let mut got = BTreeMap::new();
                    let mut cursor = "0".to_string();
                    loop {
                        let reply = array(query(&mut con, &["HSCAN", key, &cursor, "COUNT", "3"]));
                        cursor = bulk_str(&reply[0]);
                        for p in strings(reply[1].clone()).chunks(2) {
                            got.insert(p[0].clone(), p[1].clone());
                        }
                        if cursor == "0" {
                            break;
                        }
                    }
                    let want = model.get(key).map(|m| m.map.clone()).unwrap_or_default();
                    assert_eq!(got, want, "{ctx}");
                }
                _ => {
                    let n: i64 = rng.random_range(-5..12);
                    let got = strings(query(&mut con, &["HRANDFIELD", key, &n.to_string()]));
                    let size = model.get(key).map_or(0, |m| m.map.len());
                    let want_len = if n < 0 && size > 0 {
                        n.unsigned_abs() as usize
                    } else if n < 0 {
                        0
                    } else {
                        (n as usize).min(size)
                    };
                    assert_eq!(got.len(), want_len, "{ctx} HRANDFIELD {n}");
                    if n > 0 {
                        let set: BTreeSet<&String> = got.iter().collect();
                        assert_eq!(set.len(), got.len(), "{ctx}: repeated field");
                    }
                    for f in &got {
                        assert!(model[key].map.contains_key(f), "{ctx}: unknown field {f}");
                    }
                }
            }
            // The encoding follows the thresholds after every command.
            if let Some(m) = model.get(key) {
                let want = if m.table { "hashtable" } else { "listpack" };
                assert_eq!(encoding(&mut con, key), want, "{ctx}");
            }
        }
        assert!(
            model.values().any(|m| m.table),
            "seed {seed}: the sequence should cross the thresholds"
        );
        query(&mut con, &["CONFIG", "SET", "hash-max-listpack-entries", "128"]);
        query(&mut con, &["CONFIG", "SET", "hash-max-listpack-value", "64"]);
    }
}

fn want_len(model: &BTreeMap<String, ModelHash>, key: &str, field: &str) -> i64 {
    model.get(key).and_then(|m| m.map.get(field)).map_or(0, |v| v.len() as i64)
}
