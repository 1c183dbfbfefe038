//! HyperLogLog: PFADD, PFCOUNT, PFMERGE (Redis 7.2 `src/hyperloglog.c`).
//!
//! An HLL is a string in Redis's byte format, so besides replies these tests compare bytes:
//! HLLs written by a real Redis must count the same here, ours must count the same there, and
//! identical commands must leave byte-identical values on both servers.
//!
//! The tests named `*_redis_oracle` start a real `redis-server` (from PATH) next to Ferrodis
//! and use it only as the oracle for the expected bytes and replies; without redis-server they
//! skip with a message. In reference mode (`FERRODIS_IT_REFERENCE`) both sides are Redis.

use crate::support::{reference_server, Frame, Raw, Server};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use std::collections::{BTreeMap, HashSet};
use std::path::PathBuf;

const NOT_HLL: &str = "WRONGTYPE Key is not a valid HyperLogLog string value.";
const INVALIDOBJ: &str = "INVALIDOBJ Corrupted HLL object detected";
const DENSE_SIZE: usize = 12304;

fn err(text: &str) -> Frame {
    Frame::Error(text.into())
}

fn int(c: &mut Raw, args: &[&str]) -> i64 {
    match c.frame(args) {
        Frame::Int(n) => n,
        other => panic!("{args:?}: expected an integer, got {other:?}"),
    }
}

fn get_bytes(c: &mut Raw, key: &str) -> Vec<u8> {
    match c.frame(&["GET", key]) {
        Frame::Bulk(b) => b,
        other => panic!("GET {key}: {other:?}"),
    }
}

fn set_bytes(c: &mut Raw, key: &str, value: &[u8]) {
    let reply = c.cmd(&[b"SET", key.as_bytes(), value]);
    assert_eq!(reply, b"+OK\r\n");
}

/// PFADD `key` with all `items`, 500 per command, pipelined; returns the replies.
fn pfadd_all(c: &mut Raw, key: &str, items: &[String]) -> Vec<Vec<u8>> {
    let chunks: Vec<&[String]> = items.chunks(500).collect();
    for chunk in &chunks {
        let mut args: Vec<&[u8]> = vec![b"PFADD", key.as_bytes()];
        args.extend(chunk.iter().map(|s| s.as_bytes()));
        c.send(&crate::support::multibulk(&args));
    }
    chunks.iter().map(|_| c.read_reply()).collect()
}

/// The real Redis used as the oracle, or `None` (with a message) when it is not installed.
fn oracle_binary() -> Option<PathBuf> {
    let path = std::env::var_os("PATH").unwrap_or_default();
    let found = std::env::split_paths(&path).map(|d| d.join("redis-server")).find(|p| p.is_file());
    if found.is_none() {
        eprintln!(
            "SKIPPED: redis-server is not on PATH; the HyperLogLog oracle tests compare with a \
             real Redis (Debian: apt-get install -y redis-server)"
        );
    }
    found
}

/// Starts the oracle Redis (no persistence).
fn start_oracle(bin: PathBuf) -> Server {
    Server::builder().binary(bin).arg("save", &[""]).arg("appendonly", &["no"]).start()
}

fn random_items(rng: &mut StdRng, n: usize) -> Vec<String> {
    (0..n).map(|_| format!("item:{}", rng.random::<u64>())).collect()
}

#[test]
fn pfadd_pfcount_basics_and_cache_byte() {
    let server = Server::start();
    let mut c = server.raw();
    assert_eq!(c.frame(&["PFADD", "hll"]), Frame::Int(1));
    assert_eq!(c.frame(&["PFADD", "hll"]), Frame::Int(0));
    let empty = get_bytes(&mut c, "hll");
    // Header, stale cache (top bit of byte 15), one XZERO:16384.
    assert_eq!(empty, b"HYLL\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x80\x7f\xff".to_vec());
    assert_eq!(c.frame(&["PFCOUNT", "hll"]), Frame::Int(0));
    assert_eq!(get_bytes(&mut c, "hll")[15], 0x00);
    assert_eq!(c.frame(&["PFADD", "hll", "a", "b", "c"]), Frame::Int(1));
    assert_eq!(get_bytes(&mut c, "hll")[15], 0x80);
    assert_eq!(c.frame(&["PFCOUNT", "hll"]), Frame::Int(3));
    assert_eq!(get_bytes(&mut c, "hll")[8..16], [3, 0, 0, 0, 0, 0, 0, 0]);
    // No register changed: the cache stays valid.
    assert_eq!(c.frame(&["PFADD", "hll", "a", "b", "c"]), Frame::Int(0));
    assert_eq!(get_bytes(&mut c, "hll")[15], 0x00);
    assert_eq!(c.frame(&["OBJECT", "ENCODING", "hll"]), Frame::bulk("raw"));
    assert_eq!(c.frame(&["PFCOUNT", "nokey"]), Frame::Int(0));
    assert_eq!(c.frame(&["EXISTS", "nokey"]), Frame::Int(0));
}

#[test]
fn errors_are_redis_texts() {
    let server = Server::start();
    let mut c = server.raw();
    c.frame(&["SET", "str", "hello"]);
    assert_eq!(c.frame(&["PFADD", "str", "a"]), err(NOT_HLL));
    assert_eq!(c.frame(&["PFCOUNT", "str"]), err(NOT_HLL));
    assert_eq!(c.frame(&["PFCOUNT", "nokey", "str"]), err(NOT_HLL));
    assert_eq!(c.frame(&["PFMERGE", "dest", "str"]), err(NOT_HLL));
    assert_eq!(c.frame(&["PFMERGE", "str", "nokey"]), err(NOT_HLL));
    assert_eq!(c.frame(&["EXISTS", "dest"]), Frame::Int(0));
    // A dense header with the wrong length.
    set_bytes(&mut c, "d", b"HYLL\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x80\x7f\xff");
    assert_eq!(c.frame(&["PFCOUNT", "d"]), err(NOT_HLL));
    // Corrupted sparse: extra bytes at the tail.
    c.frame(&["PFADD", "hll", "a", "b", "c"]);
    c.frame(&["APPEND", "hll", "hello"]);
    assert_eq!(c.frame(&["PFCOUNT", "hll"]), err(INVALIDOBJ));
    assert_eq!(c.frame(&["PFCOUNT", "hll", "nokey"]), err(INVALIDOBJ));
    assert_eq!(c.frame(&["PFMERGE", "dest", "hll"]), err(INVALIDOBJ));
    assert_eq!(c.frame(&["EXISTS", "dest"]), Frame::Int(0));
    assert_eq!(c.frame(&["PFADD"]), err("ERR wrong number of arguments for 'pfadd' command"));
}

#[test]
fn pfmerge_creates_and_unions() {
    let server = Server::start();
    let mut c = server.raw();
    assert_eq!(c.frame(&["PFMERGE", "dest", "missing1", "missing2"]), Frame::Simple("OK".into()));
    assert_eq!(c.frame(&["EXISTS", "dest"]), Frame::Int(1));
    assert_eq!(c.frame(&["PFCOUNT", "dest"]), Frame::Int(0));
    assert_eq!(c.frame(&["PFMERGE", "alone"]), Frame::Simple("OK".into()));
    assert_eq!(c.frame(&["PFCOUNT", "alone"]), Frame::Int(0));
    c.frame(&["PFADD", "h1", "a", "b", "c"]);
    c.frame(&["PFADD", "h2", "b", "c", "d"]);
    c.frame(&["PFADD", "h3", "c", "d", "e"]);
    assert_eq!(c.frame(&["PFMERGE", "h", "h1", "h2", "h3"]), Frame::Simple("OK".into()));
    assert_eq!(c.frame(&["PFCOUNT", "h"]), Frame::Int(5));
    // The destination counts as a source.
    assert_eq!(c.frame(&["PFMERGE", "h1", "h3"]), Frame::Simple("OK".into()));
    assert_eq!(c.frame(&["PFCOUNT", "h1"]), Frame::Int(5));
    // PFCOUNT of several keys does not modify them.
    c.frame(&["PFADD", "h2", "x"]);
    let before = get_bytes(&mut c, "h2");
    assert_eq!(c.frame(&["PFCOUNT", "h2", "h3"]), Frame::Int(5));
    assert_eq!(get_bytes(&mut c, "h2"), before);
}

#[test]
fn pfcount_of_a_million_distinct_items_is_within_two_percent() {
    let server = Server::start();
    let mut c = server.raw();
    let items: Vec<String> = (0..1_000_000).map(|i| format!("element-{i}")).collect();
    let replies = pfadd_all(&mut c, "big", &items);
    assert!(replies.iter().all(|r| r == b":1\r\n" || r == b":0\r\n"));
    assert_eq!(get_bytes(&mut c, "big").len(), DENSE_SIZE);
    let n = int(&mut c, &["PFCOUNT", "big"]) as f64;
    let err = (n - 1_000_000.0).abs() / 1_000_000.0;
    assert!(err < 0.02, "PFCOUNT {n} is {:.3}% off", err * 100.0);
    // The same items again change nothing.
    let again = pfadd_all(&mut c, "big", &items[..10_000]);
    assert!(again.iter().all(|r| r == b":0\r\n"));
}

#[test]
fn pfselftest_passes() {
    if reference_server().is_some() {
        // Same command in Redis; nothing specific to check there.
        return;
    }
    let server = Server::start();
    let mut c = server.raw();
    c.set_read_timeout(std::time::Duration::from_secs(120));
    assert_eq!(c.frame(&["PFSELFTEST"]), Frame::Simple("OK".into()));
}

#[test]
fn hll_bytes_move_between_ferrodis_and_redis_redis_oracle() {
    let Some(bin) = oracle_binary() else { return };
    let oracle = start_oracle(bin);
    let ours = Server::start();
    let mut r = oracle.raw();
    let mut f = ours.raw();
    let mut rng = StdRng::seed_from_u64(0x4c4c_5948);
    // Sizes from empty through sparse to dense.
    for (round, n) in [0usize, 1, 3, 10, 100, 500, 1500, 3000, 20_000].into_iter().enumerate() {
        let items = random_items(&mut rng, n);
        let key = format!("h{round}");
        // Redis -> Ferrodis: Redis's bytes count the same here.
        r.frame(&["PFADD", &key]);
        pfadd_all(&mut r, &key, &items);
        let from_redis = get_bytes(&mut r, &key);
        set_bytes(&mut f, "imported", &from_redis);
        let want = int(&mut r, &["PFCOUNT", &key]);
        assert_eq!(int(&mut f, &["PFCOUNT", "imported"]), want, "n={n}");
        // Both rewrote the cache identically.
        assert_eq!(get_bytes(&mut f, "imported"), get_bytes(&mut r, &key), "n={n}");
        // Ferrodis -> Redis.
        f.frame(&["PFADD", &key]);
        pfadd_all(&mut f, &key, &items);
        let from_us = get_bytes(&mut f, &key);
        // Identical commands gave identical bytes (cache byte stale on both).
        assert_eq!(from_us, from_redis, "n={n}: bytes after identical PFADDs");
        set_bytes(&mut r, "imported", &from_us);
        assert_eq!(int(&mut r, &["PFCOUNT", "imported"]), int(&mut f, &["PFCOUNT", &key]));
        // Extending an imported HLL keeps both in step.
        let more = random_items(&mut rng, 50);
        pfadd_all(&mut r, "imported", &more);
        pfadd_all(&mut f, "imported", &more);
        assert_eq!(get_bytes(&mut f, "imported"), get_bytes(&mut r, "imported"), "n={n}");
    }
    // Merges of sparse and dense inputs give the same bytes.
    for c in [&mut r, &mut f] {
        assert_eq!(c.frame(&["PFMERGE", "m1", "h2", "h3", "h4"]), Frame::Simple("OK".into()));
        assert_eq!(c.frame(&["PFMERGE", "m2", "h5", "h8"]), Frame::Simple("OK".into()));
        assert_eq!(c.frame(&["PFMERGE", "h4", "h6"]), Frame::Simple("OK".into()));
    }
    for key in ["m1", "m2", "h4"] {
        assert_eq!(get_bytes(&mut f, key), get_bytes(&mut r, key), "{key}");
    }
    let union = ["PFCOUNT", "h1", "h5", "h7", "m2"];
    assert_eq!(int(&mut f, &union), int(&mut r, &union));
}

/// One random command for the property test.
fn random_command(rng: &mut StdRng, pool: &[String]) -> Vec<String> {
    let keys = ["a", "b", "c", "d"];
    let k1 = keys[rng.random_range(0..keys.len())].to_string();
    match rng.random_range(0..100) {
        0..=49 => {
            let n = match rng.random_range(0..10) {
                0 => 0,
                1..=6 => rng.random_range(1..20),
                7 | 8 => rng.random_range(20..300),
                _ => rng.random_range(300..2000),
            };
            let mut cmd = vec!["PFADD".to_string(), k1];
            cmd.extend((0..n).map(|_| pool[rng.random_range(0..pool.len())].clone()));
            cmd
        }
        50..=69 => {
            let mut cmd = vec!["PFCOUNT".to_string(), k1];
            for _ in 0..rng.random_range(0..3) {
                cmd.push(keys[rng.random_range(0..keys.len())].to_string());
            }
            cmd
        }
        70..=79 => {
            let mut cmd = vec!["PFMERGE".to_string(), k1];
            for _ in 0..rng.random_range(0..3) {
                cmd.push(keys[rng.random_range(0..keys.len())].to_string());
            }
            cmd
        }
        80..=87 => vec!["GET".to_string(), k1],
        88..=91 => vec!["PFDEBUG".to_string(), "ENCODING".to_string(), k1],
        92..=93 => vec!["DEL".to_string(), k1],
        94 => vec!["PFDEBUG".to_string(), "TODENSE".to_string(), k1],
        _ => {
            let limit = ["0", "30", "100", "300", "1000", "3000"][rng.random_range(0..6)];
            vec!["CONFIG".into(), "SET".into(), "hll-sparse-max-bytes".into(), limit.into()]
        }
    }
}

/// Random command sequences applied to Ferrodis and to the oracle Redis: every reply must be
/// byte-identical (counts, GET of the HLL bytes, PFDEBUG ENCODING, errors). A std model of the
/// true distinct elements per key bounds the estimates, and every HLL stays within the sparse
/// size limit while sparse and is exactly 12304 bytes once dense.
#[test]
fn random_sequences_match_the_redis_oracle() {
    let Some(bin) = oracle_binary() else { return };
    let oracle = start_oracle(bin);
    let ours = Server::start();
    let mut r = oracle.raw();
    let mut f = ours.raw();
    let mut rng = StdRng::seed_from_u64(20_261_129);
    let mut sequences = 0;
    for _ in 0..40 {
        // Small pools make repeats (registers that do not change) frequent.
        let pool_size = [5usize, 50, 500, 5000, 50_000][rng.random_range(0..5)];
        let pool: Vec<String> = (0..pool_size).map(|i| format!("p{i}")).collect();
        let mut model: BTreeMap<String, HashSet<String>> = BTreeMap::new();
        for c in [&mut r, &mut f] {
            c.frame(&["FLUSHALL"]);
            c.frame(&["CONFIG", "SET", "hll-sparse-max-bytes", "3000"]);
        }
        for _ in 0..60 {
            let cmd = random_command(&mut rng, &pool);
            let args: Vec<&[u8]> = cmd.iter().map(|s| s.as_bytes()).collect();
            let want = r.cmd(&args);
            let got = f.cmd(&args);
            assert_eq!(
                crate::support::show(&got),
                crate::support::show(&want),
                "command {:?}",
                &cmd[..cmd.len().min(4)]
            );
            sequences += 1;
            match cmd[0].as_str() {
                "PFADD" => {
                    model.entry(cmd[1].clone()).or_default().extend(cmd[2..].iter().cloned())
                }
                "DEL" => {
                    model.remove(&cmd[1]);
                }
                "PFMERGE" => {
                    let union: HashSet<String> = cmd[1..]
                        .iter()
                        .filter_map(|k| model.get(k))
                        .flat_map(|s| s.iter().cloned())
                        .collect();
                    model.insert(cmd[1].clone(), union);
                }
                "PFCOUNT" => {
                    let truth: HashSet<&String> = cmd[1..]
                        .iter()
                        .filter_map(|k| model.get(k))
                        .flat_map(|s| s.iter())
                        .collect();
                    let est = match crate::support::parse_frame(&got, 0) {
                        Ok(Some((Frame::Int(n), _))) => n as f64,
                        other => panic!("PFCOUNT reply {other:?}"),
                    };
                    let n = truth.len() as f64;
                    assert!((est - n).abs() <= 2.0 + 0.05 * n, "estimate {est} for {n} items");
                }
                "GET" => {
                    if let Ok(Some((Frame::Bulk(b), _))) = crate::support::parse_frame(&got, 0) {
                        if b[4] == 1 {
                            // Sparse: within the limit in force when it last grew (the limit
                            // may have been lowered since), so within the largest, 3000.
                            assert!(b.len() <= 3000, "sparse HLL of {} bytes", b.len());
                        } else {
                            assert_eq!(b.len(), DENSE_SIZE);
                        }
                    }
                }
                _ => {}
            }
        }
    }
    assert!(sequences >= 2000);
    r.frame(&["CONFIG", "SET", "hll-sparse-max-bytes", "3000"]);
}

#[test]
fn sparse_promotes_exactly_at_the_configured_size_redis_oracle() {
    let Some(bin) = oracle_binary() else { return };
    let oracle = start_oracle(bin);
    let ours = Server::start();
    let mut r = oracle.raw();
    let mut f = ours.raw();
    for max in ["100", "500", "3000"] {
        for c in [&mut r, &mut f] {
            c.frame(&["CONFIG", "SET", "hll-sparse-max-bytes", max]);
            c.frame(&["DEL", "hll"]);
            c.frame(&["PFADD", "hll"]);
        }
        let max_len: usize = max.parse().unwrap();
        let mut i = 0;
        loop {
            let enc_f = f.frame(&["PFDEBUG", "ENCODING", "hll"]);
            assert_eq!(enc_f, r.frame(&["PFDEBUG", "ENCODING", "hll"]));
            let len_f = get_bytes(&mut f, "hll").len();
            assert_eq!(get_bytes(&mut f, "hll"), get_bytes(&mut r, "hll"), "max {max}");
            if enc_f == Frame::Simple("dense".into()) {
                assert_eq!(len_f, DENSE_SIZE);
                break;
            }
            assert!(len_f <= max_len, "sparse HLL of {len_f} bytes over {max}");
            let e = format!("e{i}");
            i += 1;
            assert_eq!(f.frame(&["PFADD", "hll", &e]), r.frame(&["PFADD", "hll", &e]));
        }
    }
    r.frame(&["CONFIG", "SET", "hll-sparse-max-bytes", "3000"]);
}
