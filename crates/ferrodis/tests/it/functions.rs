//! Redis 7 Functions through the `redis` crate: FUNCTION LOAD/LIST/STATS shapes in RESP2 and
//! RESP3, DUMP/RESTORE (Redis's payload format, a payload made by Redis 7.0 with an
//! LZF-compressed library), every worker thread seeing loads, replacements and deletions,
//! BUSY and FUNCTION KILL, and a model-based test of random LOAD/REPLACE/DELETE/FLUSH/
//! RESTORE/FCALL sequences. Reference: Redis 7.2 `src/functions.c`, `src/function_lua.c`.

use crate::support::{error_text, query, Proto, Server, BOTH};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use redis::Value;
use std::collections::BTreeMap;
use std::time::{Duration, Instant};

fn bulk(s: &str) -> Value {
    Value::BulkString(s.as_bytes().to_vec())
}

fn lib(name: &str, functions: &[(&str, &str)]) -> String {
    let mut code = format!("#!lua name={name}\n");
    for (f, ret) in functions {
        code.push_str(&format!(
            "redis.register_function('{f}', function(keys, args) return {ret} end)\n"
        ));
    }
    code
}

fn bytes_of(v: Value) -> Vec<u8> {
    match v {
        Value::BulkString(b) => b,
        other => panic!("expected a bulk string, got {other:?}"),
    }
}

fn hex(s: &str) -> Vec<u8> {
    (0..s.len()).step_by(2).map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap()).collect()
}

#[test]
fn list_and_stats_shapes() {
    let server = Server::start();
    for proto in BOTH {
        let mut con = server.client(proto);
        query(&mut con, &["FUNCTION", "FLUSH"]);
        let code = "#!lua name=mylib\nredis.register_function{function_name='f', callback=function(keys, args) return {keys[1], args[1]} end, flags={'no-writes', 'allow-oom'}, description='desc'}\nredis.register_function('g', function() return 1 end)";
        assert_eq!(query(&mut con, &["FUNCTION", "LOAD", code]), bulk("mylib"));
        assert_eq!(
            query(&mut con, &["FCALL", "F", "1", "k", "a"]),
            Value::Array(vec![bulk("k"), bulk("a")])
        );
        assert_eq!(
            query(&mut con, &["FCALL_RO", "f", "1", "k", "a"]),
            Value::Array(vec![bulk("k"), bulk("a")])
        );
        let list = query(&mut con, &["FUNCTION", "LIST", "WITHCODE"]);
        let st = |s: &str| Value::SimpleString(s.into());
        let (f, g) = match proto {
            Proto::Resp2 => (
                Value::Array(vec![
                    bulk("name"),
                    bulk("f"),
                    bulk("description"),
                    bulk("desc"),
                    bulk("flags"),
                    Value::Array(vec![st("no-writes"), st("allow-oom")]),
                ]),
                Value::Array(vec![
                    bulk("name"),
                    bulk("g"),
                    bulk("description"),
                    Value::Nil,
                    bulk("flags"),
                    Value::Array(vec![]),
                ]),
            ),
            Proto::Resp3 => (
                Value::Map(vec![
                    (bulk("name"), bulk("f")),
                    (bulk("description"), bulk("desc")),
                    (bulk("flags"), Value::Set(vec![st("no-writes"), st("allow-oom")])),
                ]),
                Value::Map(vec![
                    (bulk("name"), bulk("g")),
                    (bulk("description"), Value::Nil),
                    (bulk("flags"), Value::Set(vec![])),
                ]),
            ),
        };
        let fields = vec![
            (bulk("library_name"), bulk("mylib")),
            (bulk("engine"), bulk("LUA")),
            (bulk("functions"), Value::Array(vec![f, g])),
            (bulk("library_code"), bulk(code)),
        ];
        let expected = match proto {
            Proto::Resp2 => {
                Value::Array(fields.into_iter().flat_map(|(k, v)| [k, v]).collect::<Vec<_>>())
            }
            Proto::Resp3 => Value::Map(fields),
        };
        assert_eq!(list, Value::Array(vec![expected]));
        let engines = [(
            bulk("LUA"),
            vec![
                (bulk("libraries_count"), Value::Int(1)),
                (bulk("functions_count"), Value::Int(2)),
            ],
        )];
        let stats = query(&mut con, &["FUNCTION", "STATS"]);
        let expected = match proto {
            Proto::Resp2 => Value::Array(vec![
                bulk("running_script"),
                Value::Nil,
                bulk("engines"),
                Value::Array(vec![
                    bulk("LUA"),
                    Value::Array(engines[0].1.iter().cloned().flat_map(|(k, v)| [k, v]).collect()),
                ]),
            ]),
            Proto::Resp3 => Value::Map(vec![
                (bulk("running_script"), Value::Nil),
                (
                    bulk("engines"),
                    Value::Map(vec![(bulk("LUA"), Value::Map(engines[0].1.clone()))]),
                ),
            ]),
        };
        assert_eq!(stats, expected);
        // SCRIPT FLUSH and FLUSHALL leave functions alone; FUNCTION FLUSH clears them.
        query(&mut con, &["SCRIPT", "FLUSH"]);
        query(&mut con, &["FLUSHALL"]);
        assert_eq!(query(&mut con, &["FCALL", "g", "0"]), Value::Int(1));
        query(&mut con, &["FUNCTION", "FLUSH", "ASYNC"]);
        assert_eq!(error_text(&mut con, &["FCALL", "g", "0"]), "ERR Function not found");
    }
}

#[test]
fn dump_and_restore() {
    let server = Server::start();
    let mut con = server.client(Proto::Resp2);
    let code = lib("a", &[("fa", "'A'")]);
    query(&mut con, &["FUNCTION", "LOAD", &code]);
    let payload = bytes_of(query(&mut con, &["FUNCTION", "DUMP"]));
    // Redis's format: opcode 245, the code as an RDB string, RDB version 11 (LE), CRC64 (LE).
    assert_eq!(payload[0], 245);
    // The length: 14 bits, big-endian, tagged 01 (64 <= length < 16384).
    assert!((64..16384).contains(&code.len()));
    assert_eq!(payload[1..3], [0x40 | (code.len() >> 8) as u8, code.len() as u8]);
    assert_eq!(&payload[3..3 + code.len()], code.as_bytes());
    assert_eq!(&payload[3 + code.len()..5 + code.len()], &[11, 0]);
    assert_eq!(payload.len(), code.len() + 13);

    let restore = |con: &mut redis::Connection, p: &[u8], policy: Option<&str>| {
        let mut cmd = redis::cmd("FUNCTION");
        cmd.arg("RESTORE").arg(p);
        if let Some(policy) = policy {
            cmd.arg(policy);
        }
        cmd.query::<Value>(con).map_err(|e| crate::support::redis_error_text(&e))
    };
    // APPEND (default) refuses an existing library; REPLACE and FLUSH take it.
    assert_eq!(restore(&mut con, &payload, None), Err("ERR Library a already exists".into()));
    query(&mut con, &["FUNCTION", "LOAD", "REPLACE", &lib("a", &[("fa", "'changed'")])]);
    assert_eq!(restore(&mut con, &payload, Some("REPLACE")), Ok(Value::Okay));
    assert_eq!(query(&mut con, &["FCALL", "fa", "0"]), bulk("A"));
    query(&mut con, &["FUNCTION", "LOAD", &lib("b", &[("fb", "'B'")])]);
    assert_eq!(restore(&mut con, &payload, Some("FLUSH")), Ok(Value::Okay));
    assert_eq!(error_text(&mut con, &["FCALL", "fb", "0"]), "ERR Function not found");
    // A function collision with another library aborts, leaving everything as it was.
    query(&mut con, &["FUNCTION", "FLUSH"]);
    query(&mut con, &["FUNCTION", "LOAD", &lib("other", &[("fa", "'other'")])]);
    assert_eq!(restore(&mut con, &payload, None), Err("ERR Function fa already exists".into()));
    assert_eq!(
        restore(&mut con, &payload, Some("REPLACE")),
        Err("ERR Function fa already exists".into())
    );
    assert_eq!(query(&mut con, &["FCALL", "fa", "0"]), bulk("other"));
    // Corrupted payloads.
    let mut bad = payload.clone();
    bad[5] ^= 1;
    assert_eq!(
        restore(&mut con, &bad, None),
        Err("ERR DUMP payload version or checksum are wrong".into())
    );
    assert_eq!(
        restore(&mut con, &payload, Some("bad")),
        Err("ERR Wrong restore policy given, value should be either FLUSH, APPEND or REPLACE."
            .into())
    );
    // A payload FUNCTION DUMP of Redis 7.0.15 wrote (RDB version 10), its library code
    // LZF-compressed.
    let redis70 = hex("f5c34049407f1f23216c7561206e616d653d7a6c69620a72656469732e72656769737465725f660d756e6374696f6e28277a66272c20e0000e0a292072657475726e20277ae02e00052720656e64290a002408188dde63c5ad");
    assert_eq!(restore(&mut con, &redis70, None), Ok(Value::Okay));
    assert_eq!(query(&mut con, &["FCALL", "zf", "0"]), bulk(&"z".repeat(56)));
    // Round trip of two libraries.
    let all = bytes_of(query(&mut con, &["FUNCTION", "DUMP"]));
    query(&mut con, &["FUNCTION", "FLUSH"]);
    assert_eq!(restore(&mut con, &all, None), Ok(Value::Okay));
    assert_eq!(query(&mut con, &["FCALL", "fa", "0"]), bulk("other"));
    assert_eq!(query(&mut con, &["FCALL", "zf", "0"]), bulk(&"z".repeat(56)));
}

/// Each worker thread compiles libraries lazily: loads, replacements and deletions made on
/// one connection are seen by connections served by the other threads.
#[test]
fn every_thread_sees_the_registry() {
    let server = Server::start();
    let mut admin = server.client(Proto::Resp2);
    let mut clients: Vec<_> = (0..8).map(|_| server.client(Proto::Resp2)).collect();
    for version in 0..5 {
        let code = lib("shared", &[("which", &format!("{version}"))]);
        query(&mut admin, &["FUNCTION", "LOAD", "REPLACE", &code]);
        for c in &mut clients {
            assert_eq!(query(c, &["FCALL", "which", "0"]), Value::Int(version));
        }
    }
    query(&mut admin, &["FUNCTION", "DELETE", "shared"]);
    for c in &mut clients {
        assert_eq!(error_text(c, &["FCALL", "which", "0"]), "ERR Function not found");
    }
}

/// A function running past `busy-reply-threshold`: other commands get the FUNCTION flavour of
/// BUSY, SCRIPT KILL refuses it, FUNCTION STATS shows it, FUNCTION KILL stops it. Redis 7.2
/// (and 7.0) end it with the SCRIPT KILL text.
#[test]
fn busy_function_and_function_kill() {
    let server = Server::start();
    let mut admin = server.client(Proto::Resp2);
    query(&mut admin, &["CONFIG", "SET", "busy-reply-threshold", "50"]);
    assert_eq!(
        error_text(&mut admin, &["FUNCTION", "KILL"]),
        "NOTBUSY No scripts in execution right now."
    );
    query(
        &mut admin,
        &["FUNCTION", "LOAD", "#!lua name=l\nredis.register_function('spin', function()\nlocal a = 1 while true do a = a + 1 end end)"],
    );
    let mut runner = server.client(Proto::Resp2);
    let looping = std::thread::spawn(move || error_text(&mut runner, &["FCALL", "spin", "0", "x"]));
    let busy =
        "BUSY Redis is busy running a script. You can only call FUNCTION KILL or SHUTDOWN NOSAVE.";
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        match redis::cmd("PING").query::<Value>(&mut admin) {
            Err(e) if crate::support::redis_error_text(&e) == busy => break,
            _ if Instant::now() > deadline => panic!("the function never became busy"),
            _ => std::thread::sleep(Duration::from_millis(20)),
        }
    }
    assert_eq!(error_text(&mut admin, &["SCRIPT", "KILL"]), busy);
    let Value::Array(stats) = query(&mut admin, &["FUNCTION", "STATS"]) else { panic!() };
    let Value::Array(running) = &stats[1] else { panic!("{stats:?}") };
    assert_eq!(
        running[0..4],
        [
            bulk("name"),
            bulk("spin"),
            bulk("command"),
            Value::Array(vec![bulk("FCALL"), bulk("spin"), bulk("0"), bulk("x")])
        ]
    );
    assert_eq!(query(&mut admin, &["FUNCTION", "KILL"]), Value::Okay);
    assert_eq!(
        looping.join().unwrap(),
        "ERR Script killed by user with SCRIPT KILL... script: spin, on @user_function:3."
    );
    assert_eq!(query(&mut admin, &["PING"]), Value::SimpleString("PONG".into()));
    // FUNCTION KILL does not stop an EVAL.
    let mut runner = server.client(Proto::Resp2);
    let looping = std::thread::spawn(move || {
        error_text(&mut runner, &["EVAL", "local a = 1 while true do a = a + 1 end", "0"])
    });
    let eval_busy =
        "BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.";
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        match redis::cmd("PING").query::<Value>(&mut admin) {
            Err(e) if crate::support::redis_error_text(&e) == eval_busy => break,
            _ if Instant::now() > deadline => panic!("the script never became busy"),
            _ => std::thread::sleep(Duration::from_millis(20)),
        }
    }
    assert_eq!(error_text(&mut admin, &["FUNCTION", "KILL"]), eval_busy);
    assert_eq!(error_text(&mut admin, &["FUNCTION", "STATS"]), eval_busy);
    assert_eq!(query(&mut admin, &["SCRIPT", "KILL"]), Value::Okay);
    assert!(looping.join().unwrap().starts_with("ERR Script killed by user with SCRIPT KILL..."));
}

/// The model: library name → its functions (name → returned integer).
type Model = BTreeMap<String, BTreeMap<String, i64>>;

fn owner<'m>(model: &'m Model, f: &str) -> Option<&'m String> {
    model.iter().find(|(_, fns)| fns.keys().any(|k| k.eq_ignore_ascii_case(f))).map(|(l, _)| l)
}

/// Random FUNCTION LOAD [REPLACE] / DELETE / FLUSH / DUMP+RESTORE / FCALL sequences against
/// a std-collections model of the registry: every reply (library name, OK, the value a
/// function returns, or Redis's error text) must match.
#[test]
fn model_based_registry() {
    let server = Server::start();
    let mut cons: Vec<_> = (0..3).map(|_| server.client(Proto::Resp2)).collect();
    let mut rng = StdRng::seed_from_u64(0xF0CA11);
    let mut model: Model = BTreeMap::new();
    let mut dumps: Vec<(Vec<u8>, Model)> = Vec::new();
    let libs = ["la", "lb", "lc", "ld"];
    let fnames = ["f1", "f2", "f3", "F4", "f5", "f6"];
    for step in 0..4000 {
        let con = &mut cons[step % 3];
        match rng.random_range(0..100) {
            0..=34 => {
                let name = libs[rng.random_range(0..libs.len())];
                let replace = rng.random_bool(0.5);
                let n = rng.random_range(1..=3);
                let mut fns: BTreeMap<String, i64> = BTreeMap::new();
                for _ in 0..n {
                    let f = fnames[rng.random_range(0..fnames.len())];
                    if !fns.keys().any(|k| k.eq_ignore_ascii_case(f)) {
                        fns.insert(f.to_string(), rng.random_range(-1000..1000));
                    }
                }
                let pairs: Vec<(String, String)> =
                    fns.iter().map(|(f, v)| (f.clone(), v.to_string())).collect();
                let refs: Vec<(&str, &str)> =
                    pairs.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
                let code = lib(name, &refs);
                let mut args = vec!["FUNCTION", "LOAD"];
                if replace {
                    args.push("REPLACE");
                }
                args.push(&code);
                let expected = if model.contains_key(name) && !replace {
                    Err(format!("ERR Library '{name}' already exists"))
                } else if let Some(f) =
                    fns.keys().find(|f| owner(&model, f).is_some_and(|o| o != name))
                {
                    Err(format!("ERR Function {f} already exists"))
                } else {
                    model.insert(name.to_string(), fns);
                    Ok(bulk(name))
                };
                let got = redis::cmd(args[0])
                    .arg(&args[1..])
                    .query::<Value>(con)
                    .map_err(|e| crate::support::redis_error_text(&e));
                assert_eq!(got, expected, "step {step}: {code}");
            }
            35..=44 => {
                let name = libs[rng.random_range(0..libs.len())];
                let expected = if model.remove(name).is_some() {
                    Ok(Value::Okay)
                } else {
                    Err("ERR Library not found".to_string())
                };
                let got = redis::cmd("FUNCTION")
                    .arg("DELETE")
                    .arg(name)
                    .query::<Value>(con)
                    .map_err(|e| crate::support::redis_error_text(&e));
                assert_eq!(got, expected, "step {step}");
            }
            45..=46 => {
                query(con, &["FUNCTION", "FLUSH"]);
                model.clear();
            }
            47..=54 => {
                dumps.push((bytes_of(query(con, &["FUNCTION", "DUMP"])), model.clone()));
            }
            55..=62 if !dumps.is_empty() => {
                let (payload, saved) = &dumps[rng.random_range(0..dumps.len())];
                let policy = ["APPEND", "REPLACE", "FLUSH"][rng.random_range(0..3)];
                let mut next = if policy == "FLUSH" { Model::new() } else { model.clone() };
                let mut expected = Ok(Value::Okay);
                if policy == "APPEND" {
                    if let Some(l) = saved.keys().find(|l| next.contains_key(*l)) {
                        expected = Err(format!("ERR Library {l} already exists"));
                    }
                }
                if expected.is_ok() {
                    for l in saved.keys() {
                        next.remove(l);
                    }
                    for fns in saved.values() {
                        if let Some(f) = fns.keys().find(|f| owner(&next, f).is_some()) {
                            expected = Err(format!("ERR Function {f} already exists"));
                        }
                    }
                }
                if expected.is_ok() {
                    next.extend(saved.clone());
                    model = next;
                }
                let got = redis::cmd("FUNCTION")
                    .arg("RESTORE")
                    .arg(payload.as_slice())
                    .arg(policy)
                    .query::<Value>(con)
                    .map_err(|e| crate::support::redis_error_text(&e));
                // With several colliding functions, Redis names whichever it meets first.
                match (&got, &expected) {
                    (Err(g), Err(e)) if e.starts_with("ERR Function") => {
                        assert!(g.starts_with("ERR Function"), "step {step}: {g}")
                    }
                    _ => assert_eq!(got, expected, "step {step} {policy}"),
                }
            }
            _ => {
                let f = fnames[rng.random_range(0..fnames.len())];
                let expected = match model
                    .values()
                    .flat_map(|fns| fns.iter())
                    .find(|(k, _)| k.eq_ignore_ascii_case(f))
                {
                    Some((_, v)) => Ok(Value::Int(*v)),
                    None => Err("ERR Function not found".to_string()),
                };
                let got = redis::cmd("FCALL")
                    .arg(f)
                    .arg(0)
                    .query::<Value>(con)
                    .map_err(|e| crate::support::redis_error_text(&e));
                assert_eq!(got, expected, "step {step}: FCALL {f}");
            }
        }
    }
    let (libraries, functions): (usize, usize) =
        (model.len(), model.values().map(BTreeMap::len).sum());
    let Value::Array(stats) = query(&mut cons[0], &["FUNCTION", "STATS"]) else { panic!() };
    assert_eq!(
        stats[3],
        Value::Array(vec![
            bulk("LUA"),
            Value::Array(vec![
                bulk("libraries_count"),
                Value::Int(libraries as i64),
                bulk("functions_count"),
                Value::Int(functions as i64),
            ]),
        ])
    );
}

/// FCALL is atomic like EVAL: a read-modify-write function run by many clients on every
/// worker thread loses no update, and INFO counts the libraries and functions.
#[test]
fn fcall_is_atomic_across_threads() {
    let server = Server::start();
    let mut admin = server.client(Proto::Resp2);
    let code = "#!lua name=counter\nredis.register_function('bump', function(keys)\n  local v = tonumber(redis.call('get', keys[1]) or '0')\n  redis.call('set', keys[1], v + 1)\n  return v + 1\nend)\nredis.register_function{function_name='peek', callback=function(keys) return redis.call('get', keys[1]) end, flags={'no-writes'}}";
    query(&mut admin, &["FUNCTION", "LOAD", code]);
    let info = String::from_utf8(bytes_of(query(&mut admin, &["INFO", "memory"]))).unwrap();
    assert!(info.contains("number_of_functions:2\r\nnumber_of_libraries:1\r\n"), "{info}");
    let workers: Vec<_> = (0..8)
        .map(|_| {
            let mut con = server.client(Proto::Resp2);
            std::thread::spawn(move || {
                for _ in 0..200 {
                    query(&mut con, &["FCALL", "bump", "1", "counter"]);
                    query(&mut con, &["FCALL_RO", "peek", "1", "counter"]);
                }
            })
        })
        .collect();
    for w in workers {
        w.join().unwrap();
    }
    assert_eq!(query(&mut admin, &["FCALL_RO", "peek", "1", "counter"]), bulk("1600"));
}
