//! Lists: Redis 7.2's encodings and conversions (`listpack` <-> `quicklist` by
//! `list-max-listpack-size`, `src/t_list.c` `listTypeTryConversion*`), the 7.2-only replies,
//! and a model-based test replaying thousands of random list commands against Ferrodis and a
//! `VecDeque` model.
//!
//! Redis 7.0 (the reference binary in `FERRODIS_IT_REFERENCE` mode) has only `quicklist`
//! lists, so the encoding assertions run against Ferrodis only.

use crate::support::{error_text, query, reference_server, Proto, Server, BOTH};
use redis::Value;
use std::collections::{HashMap, VecDeque};

fn encoding(con: &mut redis::Connection, key: &str) -> String {
    match query(con, &["OBJECT", "ENCODING", key]) {
        Value::BulkString(b) => String::from_utf8(b).unwrap(),
        Value::SimpleString(s) => s,
        other => panic!("OBJECT ENCODING {key}: {other:?}"),
    }
}

fn run(con: &mut redis::Connection, args: &[&str]) {
    let mut c = redis::cmd(args[0]);
    for a in &args[1..] {
        c.arg(*a);
    }
    c.query::<Value>(con).unwrap_or_else(|e| panic!("{args:?}: {e}"));
}

/// `create_listpack` / `create_quicklist` of the Valkey list tests: a fresh list at `key`
/// holding `items`, asserting the encoding it starts with.
fn create(con: &mut redis::Connection, key: &str, items: &[&str], enc: &str) {
    run(con, &["DEL", key]);
    for i in items {
        run(con, &["RPUSH", key, i]);
    }
    assert_eq!(encoding(con, key), enc, "{key} after RPUSH of {} items", items.len());
}

#[test]
fn listpack_to_quicklist_at_the_node_limit() {
    if reference_server().is_some() {
        return;
    }
    let server = Server::start();
    let mut c = server.client(Proto::Resp2);
    let large = "x".repeat(8192);
    for (fill, big) in [("3", "d"), ("-1", large.as_str())] {
        run(&mut c, &["CONFIG", "SET", "list-max-listpack-size", fill]);
        create(&mut c, "lst", &["a", "b", "c"], "listpack");
        run(&mut c, &["RPUSH", "lst", big]);
        assert_eq!(encoding(&mut c, "lst"), "quicklist", "RPUSH, fill {fill}");
        create(&mut c, "lst", &["a", "b", "c"], "listpack");
        run(&mut c, &["LINSERT", "lst", "AFTER", "b", big]);
        assert_eq!(encoding(&mut c, "lst"), "quicklist", "LINSERT, fill {fill}");
        create(&mut c, "lst", &["a", "b", "c"], "listpack");
        run(&mut c, &["LSET", "lst", "0", big]);
        assert_eq!(encoding(&mut c, "lst"), "quicklist", "LSET, fill {fill}");
        create(&mut c, "dst", &["d", "e", "f"], "listpack");
        run(&mut c, &["DEL", "src"]);
        run(&mut c, &["RPUSH", "src", "a", "b", "c", big]);
        run(&mut c, &["LMOVE", "src", "dst", "RIGHT", "RIGHT"]);
        assert_eq!(encoding(&mut c, "dst"), "quicklist", "LMOVE, fill {fill}");
    }
    // As in Redis, LINSERT with a missing pivot and LSET out of range still convert: the
    // conversion is checked before the write is attempted.
    run(&mut c, &["CONFIG", "SET", "list-max-listpack-size", "3"]);
    create(&mut c, "lst", &["a", "b", "c"], "listpack");
    assert_eq!(query(&mut c, &["LINSERT", "lst", "AFTER", "zz", "x"]), Value::Int(-1));
    assert_eq!(encoding(&mut c, "lst"), "quicklist");
    create(&mut c, "lst", &["a", "b", "c"], "listpack");
    assert_eq!(error_text(&mut c, &["LSET", "lst", "9", "x"]), "ERR index out of range");
    assert_eq!(encoding(&mut c, "lst"), "quicklist");
    run(&mut c, &["CONFIG", "SET", "list-max-listpack-size", "-2"]);
}

#[test]
fn quicklist_back_to_listpack_at_half_the_limit() {
    if reference_server().is_some() {
        return;
    }
    let server = Server::start();
    let mut c = server.client(Proto::Resp2);
    run(&mut c, &["CONFIG", "SET", "list-max-listpack-size", "3"]);
    create(&mut c, "lst", &["a", "b", "c", "d"], "quicklist");
    run(&mut c, &["RPOP", "lst", "3"]);
    assert_eq!(encoding(&mut c, "lst"), "listpack");
    create(&mut c, "lst", &["a", "a", "a", "d"], "quicklist");
    run(&mut c, &["LREM", "lst", "3", "a"]);
    assert_eq!(encoding(&mut c, "lst"), "listpack");
    create(&mut c, "lst", &["a", "b", "c", "d"], "quicklist");
    run(&mut c, &["LTRIM", "lst", "1", "1"]);
    assert_eq!(encoding(&mut c, "lst"), "listpack");

    run(&mut c, &["CONFIG", "SET", "list-max-listpack-size", "-1"]);
    let large = "x".repeat(8192);
    create(&mut c, "lst", &["a", "b", "c", &large], "quicklist");
    run(&mut c, &["RPOP", "lst", "1"]);
    assert_eq!(encoding(&mut c, "lst"), "listpack");
    create(&mut c, "lst", &["a", &large], "quicklist");
    run(&mut c, &["LREM", "lst", "1", &large]);
    assert_eq!(encoding(&mut c, "lst"), "listpack");
    create(&mut c, "lst", &["a", "b", &large], "quicklist");
    run(&mut c, &["LTRIM", "lst", "0", "1"]);
    assert_eq!(encoding(&mut c, "lst"), "listpack");
    create(&mut c, "lst", &[&large, "a", "b"], "quicklist");
    run(&mut c, &["RPOP", "lst", "2"]);
    assert_eq!(encoding(&mut c, "lst"), "quicklist");
    run(&mut c, &["LSET", "lst", "-1", "c"]);
    assert_eq!(encoding(&mut c, "lst"), "listpack");
    run(&mut c, &["CONFIG", "SET", "list-max-listpack-size", "-2"]);
}

#[test]
fn encoding_at_each_count_threshold() {
    if reference_server().is_some() {
        return;
    }
    let server = Server::start();
    let mut c = server.client(Proto::Resp2);
    for fill in [1usize, 2, 5, 16, 128] {
        run(&mut c, &["CONFIG", "SET", "list-max-listpack-size", &fill.to_string()]);
        run(&mut c, &["DEL", "l"]);
        for i in 1..=fill {
            run(&mut c, &["RPUSH", "l", &i.to_string()]);
            assert_eq!(encoding(&mut c, "l"), "listpack", "fill {fill}, {i} elements");
        }
        run(&mut c, &["RPUSH", "l", "x"]);
        assert_eq!(encoding(&mut c, "l"), "quicklist", "fill {fill}, {} elements", fill + 1);
        // Nodes [fill][1]: popping the tail leaves one node, which converts back only at
        // half the limit.
        let mut len = fill + 1;
        while len > 1 {
            run(&mut c, &["RPOP", "l"]);
            len -= 1;
            let want = if len <= fill / 2 { "listpack" } else { "quicklist" };
            assert_eq!(encoding(&mut c, "l"), want, "fill {fill}, popped down to {len}");
        }
    }
    // Fill 0 means one entry per node; it never shrinks back (half of 1 is 0).
    run(&mut c, &["CONFIG", "SET", "list-max-listpack-size", "0"]);
    run(&mut c, &["DEL", "l"]);
    run(&mut c, &["RPUSH", "l", "a"]);
    assert_eq!(encoding(&mut c, "l"), "listpack");
    run(&mut c, &["RPUSH", "l", "b"]);
    assert_eq!(encoding(&mut c, "l"), "quicklist");
    run(&mut c, &["RPOP", "l"]);
    assert_eq!(encoding(&mut c, "l"), "quicklist");
    // Below -5 is treated as -5 (64 KiB), sizes counted as Redis's listpack does.
    run(&mut c, &["CONFIG", "SET", "list-max-listpack-size", "-6"]);
    run(&mut c, &["DEL", "l"]);
    run(&mut c, &["RPUSH", "l", &"x".repeat(60000)]);
    assert_eq!(encoding(&mut c, "l"), "listpack");
    run(&mut c, &["RPUSH", "l", &"x".repeat(5520)]);
    assert_eq!(encoding(&mut c, "l"), "listpack");
    run(&mut c, &["RPUSH", "l", &"x".repeat(10)]);
    assert_eq!(encoding(&mut c, "l"), "quicklist");
    // Default -2 (8 KiB): 7 header bytes + entries.
    run(&mut c, &["CONFIG", "SET", "list-max-listpack-size", "-2"]);
    run(&mut c, &["DEL", "l"]);
    run(&mut c, &["RPUSH", "l", &"x".repeat(8185)]);
    assert_eq!(encoding(&mut c, "l"), "listpack");
    run(&mut c, &["DEL", "l"]);
    run(&mut c, &["RPUSH", "l", &"x".repeat(8186)]);
    assert_eq!(encoding(&mut c, "l"), "quicklist");
}

#[test]
fn redis72_replies() {
    if reference_server().is_some() {
        return;
    }
    let server = Server::start();
    for proto in BOTH {
        let mut c = server.client(proto);
        run(&mut c, &["RPUSH", "l", "a", "b"]);
        // 7.2 bounds RANK to -LONG_MAX..LONG_MAX (7.0 negated LONG_MIN).
        assert_eq!(
            error_text(&mut c, &["LPOS", "l", "a", "RANK", "-9223372036854775808"]),
            "ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807"
        );
        // Null shapes: LPOP key count on a missing key is a null array (RESP3 null).
        assert_eq!(query(&mut c, &["LPOP", "nokey", "1"]), Value::Nil);
        assert_eq!(query(&mut c, &["LMPOP", "1", "nokey", "LEFT"]), Value::Nil);
        assert_eq!(query(&mut c, &["LPOP", "l", "0"]), Value::Array(vec![]));
        run(&mut c, &["DEL", "l"]);
    }
}

/// SplitMix64: a small seeded generator, so a failure replays from its seed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    fn range(&mut self, lo: i64, hi: i64) -> i64 {
        lo + self.below((hi - lo + 1) as u64) as i64
    }
}

fn bulk(v: &[u8]) -> Value {
    Value::BulkString(v.to_vec())
}

fn array(items: impl IntoIterator<Item = Vec<u8>>) -> Value {
    Value::Array(items.into_iter().map(Value::BulkString).collect())
}

/// Redis's start/stop clamping for LRANGE and LTRIM: `(first, count)`.
fn clamp(start: i64, end: i64, len: usize) -> (usize, usize) {
    let l = len as i64;
    let mut s = if start < 0 { l + start } else { start };
    let mut e = if end < 0 { l + end } else { end };
    if s < 0 {
        s = 0;
    }
    if s > e || s >= l {
        return (0, 0);
    }
    if e >= l {
        e = l - 1;
    }
    (s as usize, (e - s + 1) as usize)
}

/// The std-collections model of the keyspace's lists.
#[derive(Default)]
struct Model {
    lists: HashMap<String, VecDeque<Vec<u8>>>,
}

impl Model {
    fn get(&self, k: &str) -> Option<&VecDeque<Vec<u8>>> {
        self.lists.get(k)
    }

    fn fix(&mut self, k: &str) {
        if self.lists.get(k).is_some_and(|l| l.is_empty()) {
            self.lists.remove(k);
        }
    }

    fn pop(&mut self, k: &str, left: bool, n: usize) -> Option<Vec<Vec<u8>>> {
        let l = self.lists.get_mut(k)?;
        let mut out = Vec::new();
        for _ in 0..n {
            match if left { l.pop_front() } else { l.pop_back() } {
                Some(v) => out.push(v),
                None => break,
            }
        }
        self.fix(k);
        Some(out)
    }

    /// Applies a command and returns the RESP2 reply Redis gives.
    fn apply(&mut self, args: &[Vec<u8>]) -> Value {
        let s = |i: usize| String::from_utf8(args[i].clone()).unwrap();
        let int = |i: usize| s(i).parse::<i64>().unwrap();
        let name = s(0);
        match name.as_str() {
            "LPUSH" | "RPUSH" | "LPUSHX" | "RPUSHX" => {
                let k = s(1);
                if name.ends_with('X') && !self.lists.contains_key(&k) {
                    return Value::Int(0);
                }
                let l = self.lists.entry(k).or_default();
                for v in &args[2..] {
                    if name.starts_with('L') {
                        l.push_front(v.clone());
                    } else {
                        l.push_back(v.clone());
                    }
                }
                Value::Int(l.len() as i64)
            }
            "LPOP" | "RPOP" => {
                let left = name == "LPOP";
                if args.len() == 3 {
                    match self.pop(&s(1), left, int(2) as usize) {
                        None => Value::Nil,
                        Some(v) => array(v),
                    }
                } else {
                    match self.pop(&s(1), left, 1) {
                        Some(mut v) if !v.is_empty() => bulk(&v.remove(0)),
                        _ => Value::Nil,
                    }
                }
            }
            "LLEN" => Value::Int(self.get(&s(1)).map_or(0, |l| l.len()) as i64),
            "LRANGE" => {
                let Some(l) = self.get(&s(1)) else { return Value::Array(vec![]) };
                let (f, n) = clamp(int(2), int(3), l.len());
                array(l.iter().skip(f).take(n).cloned())
            }
            "LINDEX" => {
                let Some(l) = self.get(&s(1)) else { return Value::Nil };
                let i = int(2);
                let i = if i < 0 { l.len() as i64 + i } else { i };
                if i < 0 || i >= l.len() as i64 {
                    Value::Nil
                } else {
                    bulk(&l[i as usize])
                }
            }
            "LSET" => {
                // Errors (missing key, out of range) are checked by the caller.
                let Some(l) = self.lists.get_mut(&s(1)) else { return Value::Nil };
                let i = int(2);
                let i = if i < 0 { l.len() as i64 + i } else { i };
                if i < 0 || i >= l.len() as i64 {
                    return Value::Nil;
                }
                l[i as usize] = args[3].clone();
                Value::Okay
            }
            "LINSERT" => {
                let Some(l) = self.lists.get_mut(&s(1)) else { return Value::Int(0) };
                let Some(p) = l.iter().position(|v| *v == args[3]) else { return Value::Int(-1) };
                let at = if s(2) == "AFTER" { p + 1 } else { p };
                l.insert(at, args[4].clone());
                Value::Int(l.len() as i64)
            }
            "LREM" => {
                let k = s(1);
                let Some(l) = self.lists.get_mut(&k) else { return Value::Int(0) };
                let count = int(2);
                let limit = count.unsigned_abs() as usize;
                let mut removed = 0;
                let mut v: Vec<Vec<u8>> = l.drain(..).collect();
                if count < 0 {
                    v.reverse();
                }
                let mut kept = Vec::new();
                for e in v {
                    if e == args[3] && (limit == 0 || removed < limit) {
                        removed += 1;
                    } else {
                        kept.push(e);
                    }
                }
                if count < 0 {
                    kept.reverse();
                }
                *l = kept.into();
                self.fix(&k);
                Value::Int(removed as i64)
            }
            "LTRIM" => {
                let k = s(1);
                if let Some(l) = self.lists.get_mut(&k) {
                    let (f, n) = clamp(int(2), int(3), l.len());
                    *l = l.iter().skip(f).take(n).cloned().collect();
                }
                self.fix(&k);
                Value::Okay
            }
            "LPOS" => {
                let (rank, count, maxlen) = (int(4), int(6), int(8));
                let Some(l) = self.get(&s(1)) else { return Value::Array(vec![]) };
                let len = l.len();
                let order: Vec<usize> =
                    if rank < 0 { (0..len).rev().collect() } else { (0..len).collect() };
                let rank = rank.unsigned_abs() as usize;
                let mut matches = 0;
                let mut out = Vec::new();
                for (scanned, i) in order.into_iter().enumerate() {
                    if maxlen != 0 && scanned >= maxlen as usize {
                        break;
                    }
                    if l[i] == args[2] {
                        matches += 1;
                        if matches >= rank {
                            out.push(Value::Int(i as i64));
                            if count != 0 && out.len() >= count as usize {
                                break;
                            }
                        }
                    }
                }
                Value::Array(out)
            }
            "LMOVE" => {
                let (src, dst) = (s(1), s(2));
                let Some(mut v) = self.pop(&src, s(3) == "LEFT", 1) else { return Value::Nil };
                let v = v.remove(0);
                let l = self.lists.entry(dst).or_default();
                if s(4) == "LEFT" {
                    l.push_front(v.clone());
                } else {
                    l.push_back(v.clone());
                }
                bulk(&v)
            }
            "LMPOP" => {
                let n = int(1) as usize;
                let left = s(2 + n) == "LEFT";
                let count = int(4 + n) as usize;
                for i in 0..n {
                    let k = s(2 + i);
                    if let Some(v) = self.pop(&k, left, count) {
                        return Value::Array(vec![bulk(k.as_bytes()), array(v)]);
                    }
                }
                Value::Nil
            }
            _ => unreachable!("{name}"),
        }
    }
}

const KEYS: [&str; 3] = ["k1", "k2", "k3"];

fn random_value(rng: &mut Rng) -> Vec<u8> {
    match rng.below(10) {
        0..=4 => {
            [b"a".as_slice(), b"b", b"c", b"1", b"-7", b"", b"300"][rng.below(7) as usize].to_vec()
        }
        5..=7 => format!("v{}", rng.below(20)).into_bytes(),
        _ => vec![b'x' + rng.below(2) as u8; 200 + rng.below(1500) as usize],
    }
}

fn random_command(rng: &mut Rng, model: &Model) -> Vec<Vec<u8>> {
    let key = KEYS[rng.below(3) as usize];
    let len = model.get(key).map_or(0, |l| l.len()) as i64;
    let idx = |rng: &mut Rng| rng.range(-len - 2, len + 2);
    let present = |rng: &mut Rng| -> Vec<u8> {
        match model.get(key) {
            Some(l) if rng.below(4) != 0 => l[rng.below(l.len() as u64) as usize].clone(),
            _ => random_value(rng),
        }
    };
    let mut a: Vec<Vec<u8>> = Vec::new();
    macro_rules! push {
        ($s:expr) => {
            a.push($s.as_bytes().to_vec())
        };
    }
    match rng.below(20) {
        0..=5 => {
            let name =
                ["LPUSH", "RPUSH", "LPUSH", "RPUSH", "LPUSHX", "RPUSHX"][rng.below(6) as usize];
            push!(name);
            push!(key);
            for _ in 0..1 + rng.below(4) {
                a.push(random_value(rng));
            }
        }
        6 | 7 => {
            push!(if rng.below(2) == 0 { "LPOP" } else { "RPOP" });
            push!(key);
            if rng.below(2) == 0 {
                push!(&rng.below(5).to_string());
            }
        }
        8 => {
            push!("LRANGE");
            push!(key);
            push!(&idx(rng).to_string());
            push!(&idx(rng).to_string());
        }
        9 => {
            push!("LINDEX");
            push!(key);
            push!(&idx(rng).to_string());
        }
        10 => {
            push!("LSET");
            push!(key);
            push!(&idx(rng).to_string());
            a.push(random_value(rng));
        }
        11 => {
            push!("LINSERT");
            push!(key);
            push!(if rng.below(2) == 0 { "BEFORE" } else { "AFTER" });
            a.push(present(rng));
            a.push(random_value(rng));
        }
        12 => {
            push!("LREM");
            push!(key);
            push!(&rng.range(-3, 3).to_string());
            a.push(present(rng));
        }
        13 => {
            push!("LTRIM");
            push!(key);
            let s = rng.range(-2, 3);
            let e = rng.range(-3, len + 1);
            push!(&s.to_string());
            push!(&e.to_string());
        }
        14 => {
            push!("LPOS");
            push!(key);
            a.push(present(rng));
            let mut rank = rng.range(-3, 3);
            if rank == 0 {
                rank = 1;
            }
            for (opt, v) in
                [("RANK", rank), ("COUNT", rng.range(0, 3)), ("MAXLEN", rng.range(0, len + 1))]
            {
                push!(opt);
                push!(&v.to_string());
            }
        }
        15..=17 => {
            push!("LMOVE");
            push!(key);
            push!(KEYS[rng.below(3) as usize]);
            push!(if rng.below(2) == 0 { "LEFT" } else { "RIGHT" });
            push!(if rng.below(2) == 0 { "LEFT" } else { "RIGHT" });
        }
        18 => {
            push!("LMPOP");
            let n = 1 + rng.below(3) as usize;
            push!(&n.to_string());
            for _ in 0..n {
                push!(KEYS[rng.below(3) as usize]);
            }
            push!(if rng.below(2) == 0 { "LEFT" } else { "RIGHT" });
            push!("COUNT");
            push!(&(1 + rng.below(4)).to_string());
        }
        _ => {
            push!("LLEN");
            push!(key);
        }
    }
    a
}

#[test]
fn random_commands_match_a_model() {
    let server = Server::start();
    let mut c = server.client(Proto::Resp2);
    let mut quicklists_seen = 0;
    for (seed, fill) in [(1u64, "3"), (2, "5"), (3, "-1"), (4, "1"), (5, "-2"), (6, "16")] {
        run(&mut c, &["FLUSHALL"]);
        run(&mut c, &["CONFIG", "SET", "list-max-listpack-size", fill]);
        let mut rng = Rng(seed);
        let mut model = Model::default();
        for step in 0..1500 {
            let args = random_command(&mut rng, &model);
            let mut cmd = redis::cmd(std::str::from_utf8(&args[0]).unwrap());
            for a in &args[1..] {
                cmd.arg(a.as_slice());
            }
            let got = cmd.query::<Value>(&mut c);
            let shown: Vec<String> = args
                .iter()
                .map(|a| String::from_utf8_lossy(&a[..a.len().min(12)]).into_owned())
                .collect();
            let is_lset_oob = args[0] == b"LSET"
                && model.get(std::str::from_utf8(&args[1]).unwrap()).is_some_and(|l| {
                    let i = std::str::from_utf8(&args[2]).unwrap().parse::<i64>().unwrap();
                    let n = l.len() as i64;
                    !(-n..n).contains(&i)
                });
            let lset_missing =
                args[0] == b"LSET" && model.get(std::str::from_utf8(&args[1]).unwrap()).is_none();
            let want = model.apply(&args);
            match got {
                Err(e) => {
                    let text = crate::support::redis_error_text(&e);
                    let expected = if is_lset_oob {
                        "ERR index out of range"
                    } else if lset_missing {
                        "ERR no such key"
                    } else {
                        "(none)"
                    };
                    assert_eq!(text, expected, "seed {seed} step {step}: {shown:?}");
                }
                Ok(got) => {
                    assert!(
                        !is_lset_oob && !lset_missing,
                        "seed {seed} step {step}: {shown:?} gave {got:?}"
                    );
                    assert_eq!(got, want, "seed {seed} step {step}: {shown:?}");
                }
            }
            if step % 50 == 0 {
                for k in KEYS {
                    let want = model.get(k).map(|l| l.iter().cloned().collect::<Vec<_>>());
                    let got = query(&mut c, &["LRANGE", k, "0", "-1"]);
                    assert_eq!(
                        got,
                        array(want.clone().unwrap_or_default()),
                        "seed {seed} step {step}: {k}"
                    );
                    if want.is_some() && reference_server().is_none() {
                        let enc = encoding(&mut c, k);
                        assert!(enc == "listpack" || enc == "quicklist");
                        if enc == "quicklist" {
                            quicklists_seen += 1;
                        }
                    }
                }
            }
        }
    }
    if reference_server().is_none() {
        assert!(quicklists_seen > 10, "the random lists should cross the thresholds");
    }
    run(&mut c, &["CONFIG", "SET", "list-max-listpack-size", "-2"]);
}

/// DEBUG OBJECT's `ql_nodes` follows Redis's node layout through pushes, LINSERT splits,
/// LSET, LREM and LTRIM (expected counts taken from Valkey 8.1, whose quicklist is Redis
/// 7.2's).
#[test]
fn quicklist_nodes_split_and_merge_as_redis() {
    if reference_server().is_some() {
        return;
    }
    let server = Server::builder().arg("enable-debug-command", &["yes"]).start();
    let mut c = server.client(Proto::Resp2);
    run(&mut c, &["CONFIG", "SET", "list-max-listpack-size", "3"]);
    let long = "a".repeat(115);
    let steps: [(&[&str], usize); 7] = [
        (&["RPUSH", "l", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10"], 4),
        (&["LINSERT", "l", "AFTER", "5", "x"], 5),
        (&["LINSERT", "l", "BEFORE", "4", "y"], 5),
        (&["LINSERT", "l", "AFTER", "10", "z"], 5),
        (&["LSET", "l", "1", &long], 5),
        (&["LREM", "l", "0", "x"], 5),
        (&["LTRIM", "l", "1", "-2"], 5),
    ];
    for (cmd, nodes) in steps {
        run(&mut c, cmd);
        let Value::SimpleString(info) = query(&mut c, &["DEBUG", "OBJECT", "l"]) else {
            panic!("DEBUG OBJECT l")
        };
        assert!(info.contains(&format!(" ql_nodes:{nodes} ")), "after {cmd:?}: {info}");
    }
    run(&mut c, &["CONFIG", "SET", "list-max-listpack-size", "-2"]);
}
