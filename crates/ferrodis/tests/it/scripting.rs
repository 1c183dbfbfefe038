//! Lua scripting through the `redis` crate in RESP2 and RESP3: conversions, errors, the
//! script cache, the scripts Django-stack clients run (a redis-py style lock release and
//! extend, a rate limiter, channels_redis's ARGV-keyed sends), and atomicity against other
//! clients. Reference: Redis 7.2 `src/eval.c`, `src/script_lua.c`.

use crate::support::{error_text, query, Proto, Server, BOTH};
use redis::Value;

fn bulk(s: &str) -> Value {
    Value::BulkString(s.as_bytes().to_vec())
}

#[test]
fn conversions_both_ways() {
    let server = Server::start();
    for proto in BOTH {
        let mut con = server.client(proto);
        query(&mut con, &["FLUSHALL"]);
        assert_eq!(query(&mut con, &["EVAL", "return 100.5", "0"]), Value::Int(100));
        assert_eq!(query(&mut con, &["EVAL", "return -3.99", "0"]), Value::Int(-3));
        assert_eq!(query(&mut con, &["EVAL", "return 'hello'", "0"]), bulk("hello"));
        assert_eq!(query(&mut con, &["EVAL", "return true", "0"]), Value::Int(1));
        assert_eq!(query(&mut con, &["EVAL", "return false", "0"]), Value::Nil);
        assert_eq!(
            query(&mut con, &["EVAL", "return {ok='fine'}", "0"]),
            Value::SimpleString("fine".into())
        );
        assert_eq!(
            query(&mut con, &["EVAL", "return {1,2,3,'ciao',{1,2}}", "0"]),
            Value::Array(vec![
                Value::Int(1),
                Value::Int(2),
                Value::Int(3),
                bulk("ciao"),
                Value::Array(vec![Value::Int(1), Value::Int(2)]),
            ])
        );
        // Arrays stop at the first nil.
        assert_eq!(
            query(&mut con, &["EVAL", "return {1,2,nil,4}", "0"]),
            Value::Array(vec![Value::Int(1), Value::Int(2)])
        );
        assert_eq!(
            query(
                &mut con,
                &["EVAL", "return {KEYS[1],KEYS[2],ARGV[1],ARGV[2]}", "2", "a", "b", "c", "d"]
            ),
            Value::Array(vec![bulk("a"), bulk("b"), bulk("c"), bulk("d")])
        );
        // Redis replies to Lua types: integer, bulk, nil bulk (false), status, error.
        query(&mut con, &["SET", "x", "5"]);
        assert_eq!(
            query(
                &mut con,
                &["EVAL", "local v = redis.call('incr', KEYS[1]); return type(v) .. v", "1", "x"]
            ),
            bulk("number6")
        );
        assert_eq!(
            query(&mut con, &["EVAL", "return type(redis.call('get', 'nokey'))", "0"]),
            bulk("boolean")
        );
        assert_eq!(
            query(&mut con, &["EVAL", "return redis.call('set', 'k', 'v')['ok']", "0"]),
            bulk("OK")
        );
        assert_eq!(
            query(&mut con, &["EVAL", "return redis.pcall('incr', 'k')['err']", "0"]),
            bulk("ERR value is not an integer or out of range")
        );
        // Inside the script, replies follow RESP2 rules until redis.setresp(3).
        query(&mut con, &["HSET", "h", "f", "v"]);
        assert_eq!(
            query(&mut con, &["EVAL", "return redis.call('hgetall', 'h')", "0"]),
            Value::Array(vec![bulk("f"), bulk("v")])
        );
        let map =
            query(&mut con, &["EVAL", "redis.setresp(3); return redis.call('hgetall', 'h')", "0"]);
        match proto {
            Proto::Resp2 => assert_eq!(map, Value::Array(vec![bulk("f"), bulk("v")])),
            Proto::Resp3 => assert_eq!(map, Value::Map(vec![(bulk("f"), bulk("v"))])),
        }
        let t = query(&mut con, &["EVAL", "redis.setresp(3); return true", "0"]);
        match proto {
            Proto::Resp2 => assert_eq!(t, Value::Int(1)),
            Proto::Resp3 => assert_eq!(t, Value::Boolean(true)),
        }
        assert_eq!(
            query(
                &mut con,
                &["EVAL", "redis.setresp(3); return redis.call('get', 'nokey') == nil", "0"]
            ),
            match proto {
                Proto::Resp2 => Value::Int(1),
                Proto::Resp3 => Value::Boolean(true),
            }
        );
        assert_eq!(
            query(&mut con, &["EVAL", "return {double=3.5}", "0"]),
            match proto {
                Proto::Resp2 => bulk("3.5"),
                Proto::Resp3 => Value::Double(3.5),
            }
        );
        // Numbers passed to redis.call: integers stay integers.
        assert_eq!(
            query(
                &mut con,
                &["EVAL", "redis.call('set', 'n', 10 * 3); return redis.call('get', 'n')", "0"]
            ),
            bulk("30")
        );
        // The global unpack and string-to-number coercion.
        assert_eq!(query(&mut con, &["EVAL", "return ARGV[1] + 1", "0", "41"]), Value::Int(42));
        assert_eq!(
            query(&mut con, &["EVAL", "return redis.call('mget', unpack(KEYS))", "2", "x", "n"]),
            Value::Array(vec![bulk("6"), bulk("30")])
        );
    }
}

#[test]
fn errors_are_redis_exact() {
    let server = Server::start();
    let mut con = server.client(Proto::Resp2);
    assert_eq!(
        error_text(&mut con, &["EVAL", "return x", "0"]),
        "ERR user_script:1: Script attempted to access nonexistent global variable 'x' script: 03c387736bb5cc009ff35151572cee04677aa374, on @user_script:1."
    );
    assert_eq!(
        error_text(&mut con, &["EVAL", "x = 1", "0"]),
        "ERR user_script:1: Attempt to modify a readonly table script: 34bce5f775de97f557a34088509c8bfe1ea17e52, on @user_script:1."
    );
    query(&mut con, &["SET", "strk", "abc"]);
    assert_eq!(
        error_text(&mut con, &["EVAL", "return redis.call('incr', KEYS[1])", "1", "strk"]),
        "ERR value is not an integer or out of range script: 2bab3b661081db58bd2341920e0ba7cf5dc77b25, on @user_script:1."
    );
    assert_eq!(
        error_text(&mut con, &["EVAL", "return redis.pcall('incr', KEYS[1])", "1", "strk"]),
        "ERR value is not an integer or out of range"
    );
    assert_eq!(
        error_text(&mut con, &["EVAL", "return redis.call('nosuch')", "0"]),
        "ERR Unknown Redis command called from script script: 206396248e12c6e742fd7296250433c8d7343b74, on @user_script:1."
    );
    assert_eq!(
        error_text(&mut con, &["EVAL", "return redis.call('get')", "0"]),
        "ERR Wrong number of args calling Redis command from script script: f187dee77f607f7cff00bbabc9df38507582c78d, on @user_script:1."
    );
    assert_eq!(
        error_text(&mut con, &["EVAL", "return redis.error_reply('My Error')", "0"]),
        "My Error"
    );
    assert_eq!(error_text(&mut con, &["EVAL", "return redis.error_reply('x')", "0"]), "ERR x");
    assert_eq!(
        error_text(&mut con, &["EVAL", "error('boom')", "0"]),
        "ERR user_script:1: boom script: 82903a0434f1503e152f89c03c9acd881a0e8150, on @user_script:1."
    );
    assert_eq!(
        error_text(&mut con, &["EVAL", "error({err='boom'})", "0"]),
        "boom script: b4008f1a5b8fc868d0c8eace17f627e4976c6595, on @user_script:1."
    );
    assert_eq!(
        error_text(&mut con, &["EVAL", "return 1 +", "0"]),
        "ERR Error compiling script (new function): user_script:1: unexpected symbol near '<eof>'"
    );
    assert_eq!(
        error_text(&mut con, &["EVAL", "return redis.call('eval','return 1',0)", "0"]),
        "ERR This Redis command is not allowed from script script: 595931feb16e9cba240a2e4c6a852627761118e3, on @user_script:1."
    );
    assert_eq!(
        error_text(&mut con, &["EVAL_RO", "return redis.call('set', 'a','b')", "0"]),
        "ERR Write commands are not allowed from read-only scripts. script: bd615eaeb323c5b92b0e7eaf2f6911ea2c113f97, on @user_script:1."
    );
    assert_eq!(
        error_text(&mut con, &["EVAL", "#!lua flags=no-writes\nreturn redis.call('set','a','b')", "0"]),
        "ERR Write commands are not allowed from read-only scripts. script: 6acb400a50fe96e33eca4e0af6e9dcfb21193726, on @user_script:2."
    );
    assert_eq!(
        error_text(&mut con, &["EVAL_RO", "#!lua\nreturn 1", "0"]),
        "ERR Can not execute a script with write flag using *_ro command."
    );
    assert_eq!(
        error_text(&mut con, &["EVAL", "return 1", "-1"]),
        "ERR Number of keys can't be negative"
    );
    assert_eq!(
        error_text(&mut con, &["EVAL", "return 1", "2", "a"]),
        "ERR Number of keys can't be greater than number of args"
    );
    assert_eq!(
        error_text(&mut con, &["EVALSHA", "ffffffffffffffffffffffffffffffffffffffff", "0"]),
        "NOSCRIPT No matching script. Please use EVAL."
    );
    assert_eq!(
        error_text(&mut con, &["SCRIPT", "KILL"]),
        "NOTBUSY No scripts in execution right now."
    );
    assert_eq!(
        error_text(&mut con, &["SCRIPT", "FLUSH", "foo"]),
        "ERR SCRIPT FLUSH only support SYNC|ASYNC option"
    );
    // pcall returns the error text of a failed redis.call.
    assert_eq!(
        query(
            &mut con,
            &["EVAL", "local ok, e = pcall(redis.call, 'incr', 'strk'); return e", "0"]
        ),
        bulk("ERR value is not an integer or out of range")
    );
    // The sandbox.
    for script in ["loadfile('x')", "dofile('x')", "print('x')"] {
        assert!(
            error_text(&mut con, &["EVAL", script, "0"]).contains("nonexistent global variable")
        );
    }
    for script in [
        "setmetatable(_G, {})",
        "redis.call = 1",
        "_G = {}",
        "local g = getmetatable(_G); g.__index = {}",
        "cjson.encode = 1",
    ] {
        assert!(
            error_text(&mut con, &["EVAL", script, "0"])
                .contains("Attempt to modify a readonly table"),
            "{script}"
        );
    }
    assert!(error_text(
        &mut con,
        &["EVAL", "return loadstring(string.dump(function() return 1 end))()", "0"]
    )
    .contains("attempt to call a nil value"));
}

#[test]
fn script_cache() {
    let server = Server::start();
    let mut con = server.client(Proto::Resp2);
    let sha = "e0e1f9fabfc9d4800c877a703b823ac0578ff8db";
    assert_eq!(query(&mut con, &["SCRIPT", "LOAD", "return 1"]), bulk(sha));
    assert_eq!(query(&mut con, &["EVALSHA", sha, "0"]), Value::Int(1));
    assert_eq!(query(&mut con, &["EVALSHA", &sha.to_uppercase(), "0"]), Value::Int(1));
    assert_eq!(
        query(&mut con, &["SCRIPT", "EXISTS", sha, "ffffffffffffffffffffffffffffffffffffffff"]),
        Value::Array(vec![Value::Int(1), Value::Int(0)])
    );
    assert_eq!(query(&mut con, &["SCRIPT", "FLUSH", "ASYNC"]), Value::Okay);
    assert_eq!(query(&mut con, &["SCRIPT", "EXISTS", sha]), Value::Array(vec![Value::Int(0)]));
    // EVAL caches the script it runs.
    query(&mut con, &["EVAL", "return 1", "0"]);
    assert_eq!(query(&mut con, &["EVALSHA_RO", sha, "0"]), Value::Int(1));
    assert_eq!(
        query(&mut con, &["EVAL", "return redis.sha1hex('')", "0"]),
        bulk("da39a3ee5e6b4b0d3255bfef95601890afd80709")
    );
    assert_eq!(
        query(&mut con, &["EVAL", "return cjson.encode({1,'a/b'})", "0"]),
        bulk("[1,\"a\\/b\"]")
    );
    assert_eq!(
        query(&mut con, &["EVAL", "return bit.tohex(65535, -2147483648)", "0"]),
        bulk("0000FFFF")
    );
    assert_eq!(
        query(&mut con, &["EVAL", "return redis.REDIS_VERSION_NUM", "0"]),
        Value::Int(0x070204)
    );
}

/// The lock scripts redis-py's `Lock` runs (written from their behaviour): release deletes
/// the key only when it holds our token; extend adds milliseconds only for the owner.
const RELEASE: &str = "local token = redis.call('get', KEYS[1])\nif not token or token ~= ARGV[1] then\n  return 0\nend\nredis.call('del', KEYS[1])\nreturn 1";
const EXTEND: &str = "local token = redis.call('get', KEYS[1])\nif not token or token ~= ARGV[1] then\n  return 0\nend\nlocal expiration = redis.call('pttl', KEYS[1])\nif not expiration then expiration = 0 end\nif expiration < 0 then return 0 end\nredis.call('pexpire', KEYS[1], expiration + ARGV[2])\nreturn 1";

#[test]
fn lock_release_and_extend() {
    let server = Server::start();
    for proto in BOTH {
        let mut con = server.client(proto);
        query(&mut con, &["FLUSHALL"]);
        let release = match query(&mut con, &["SCRIPT", "LOAD", RELEASE]) {
            Value::BulkString(b) => String::from_utf8(b).unwrap(),
            other => panic!("{other:?}"),
        };
        assert_eq!(query(&mut con, &["SET", "lock", "me", "NX", "PX", "10000"]), Value::Okay);
        assert_eq!(query(&mut con, &["SET", "lock", "you", "NX", "PX", "10000"]), Value::Nil);
        assert_eq!(query(&mut con, &["EVAL", EXTEND, "1", "lock", "other", "5000"]), Value::Int(0));
        assert_eq!(query(&mut con, &["EVAL", EXTEND, "1", "lock", "me", "5000"]), Value::Int(1));
        match query(&mut con, &["PTTL", "lock"]) {
            Value::Int(ms) => assert!(ms > 10_000 && ms <= 15_000, "{ms}"),
            other => panic!("{other:?}"),
        }
        assert_eq!(query(&mut con, &["EVALSHA", &release, "1", "lock", "other"]), Value::Int(0));
        assert_eq!(query(&mut con, &["EXISTS", "lock"]), Value::Int(1));
        assert_eq!(query(&mut con, &["EVALSHA", &release, "1", "lock", "me"]), Value::Int(1));
        assert_eq!(query(&mut con, &["EXISTS", "lock"]), Value::Int(0));
        assert_eq!(query(&mut con, &["EVALSHA", &release, "1", "lock", "me"]), Value::Int(0));
    }
}

#[test]
fn rate_limiter_and_channels_style_scripts() {
    let server = Server::start();
    let mut con = server.client(Proto::Resp3);
    // A fixed-window rate limiter: INCR, set the window on the first hit, refuse over the limit.
    let limiter = "local n = redis.call('incr', KEYS[1])\nif n == 1 then redis.call('expire', KEYS[1], ARGV[2]) end\nif n > tonumber(ARGV[1]) then return 0 end\nreturn 1";
    let mut allowed = 0;
    for _ in 0..8 {
        if query(&mut con, &["EVAL", limiter, "1", "rl:user", "5", "60"]) == Value::Int(1) {
            allowed += 1;
        }
    }
    assert_eq!(allowed, 5);
    assert!(matches!(query(&mut con, &["TTL", "rl:user"]), Value::Int(t) if t > 0 && t <= 60));
    // channels_redis passes its keys in ARGV with numkeys 0 and calls ZADD,
    // ZREMRANGEBYSCORE and EXPIRE on them.
    let send = "local t = tonumber(ARGV[3])\nfor i = 1, 3 do\n  local key = ARGV[1] .. i\n  redis.call('zremrangebyscore', key, '-inf', t - 60)\n  redis.call('zadd', key, t, ARGV[2])\n  redis.call('expire', key, 86400)\nend\nreturn redis.call('zcard', ARGV[1] .. '1')";
    assert_eq!(
        query(&mut con, &["EVAL", send, "0", "asgi:group:", "chan!1", "1000"]),
        Value::Int(1)
    );
    assert_eq!(
        query(&mut con, &["EVAL", send, "0", "asgi:group:", "chan!2", "1030"]),
        Value::Int(2)
    );
    // The old member (score 1000) is dropped once the window passes.
    assert_eq!(
        query(&mut con, &["EVAL", send, "0", "asgi:group:", "chan!3", "1070"]),
        Value::Int(2)
    );
    assert_eq!(query(&mut con, &["ZCARD", "asgi:group:3"]), Value::Int(2));
    assert!(matches!(query(&mut con, &["TTL", "asgi:group:2"]), Value::Int(t) if t > 86000));
}

#[test]
fn scripts_are_atomic() {
    let server = Server::start();
    let mut setup = server.client(Proto::Resp2);
    query(&mut setup, &["MSET", "a", "0", "b", "0"]);
    let writer = "for i = 1, 50 do redis.call('incr', 'a'); redis.call('incr', 'b') end return 1";
    let mut handles = Vec::new();
    for _ in 0..4 {
        let mut con = server.client(Proto::Resp2);
        handles.push(std::thread::spawn(move || {
            for _ in 0..25 {
                assert_eq!(query(&mut con, &["EVAL", writer, "0"]), Value::Int(1));
            }
        }));
    }
    let mut reader = server.client(Proto::Resp2);
    for _ in 0..200 {
        match query(&mut reader, &["MGET", "a", "b"]) {
            Value::Array(v) => assert_eq!(v[0], v[1], "a reader saw a half-done script"),
            other => panic!("{other:?}"),
        }
    }
    for h in handles {
        h.join().unwrap();
    }
    assert_eq!(query(&mut setup, &["GET", "a"]), bulk("5000"));
    assert_eq!(query(&mut setup, &["GET", "b"]), bulk("5000"));
    // SELECT inside a script does not change the caller's database; blocking commands
    // do not block inside scripts.
    query(&mut setup, &["EVAL", "redis.call('select', 9); redis.call('set', 'in9', '1')", "0"]);
    assert_eq!(query(&mut setup, &["EXISTS", "in9"]), Value::Int(0));
    assert_eq!(
        query(&mut setup, &["EVAL", "return redis.call('blpop', 'nolist', 0)", "0"]),
        Value::Nil
    );
}

/// Model check of the nested path: random commands run directly on `d:` keys and through
/// `redis.call(unpack(ARGV))` on `s:` keys must give the same replies (after Redis's
/// reply → Lua → reply round trip: statuses stay statuses, errors stay errors, nulls stay
/// nulls, arrays stay arrays), in RESP2 and RESP3 (scripts use RESP2 rules unless they ask).
#[test]
fn redis_call_matches_direct_commands() {
    use rand::rngs::StdRng;
    use rand::{Rng, SeedableRng};
    let server = Server::start();
    for proto in BOTH {
        let mut con = server.client(proto);
        query(&mut con, &["FLUSHALL"]);
        let mut rng = StdRng::seed_from_u64(4);
        let through = "return redis.call(unpack(ARGV))";
        for step in 0..3000 {
            let key = format!("k{}", rng.random_range(0..6));
            let n = rng.random_range(-5..50).to_string();
            let m = format!("m{}", rng.random_range(0..40));
            let op: Vec<String> = match rng.random_range(0..12) {
                0 => vec!["SET".into(), key.clone(), n.clone()],
                1 => vec!["INCRBY".into(), key.clone(), n.clone()],
                2 => vec!["GET".into(), key.clone()],
                3 => vec!["RPUSH".into(), key.clone(), m.clone(), n.clone()],
                4 => vec!["LRANGE".into(), key.clone(), "0".into(), "-1".into()],
                5 => vec!["HSET".into(), key.clone(), m.clone(), n.clone()],
                6 => vec!["HGET".into(), key.clone(), m.clone()],
                7 => vec!["SADD".into(), key.clone(), m.clone()],
                8 => vec!["SCARD".into(), key.clone()],
                9 => vec!["ZADD".into(), key.clone(), n.clone(), m.clone()],
                10 => vec!["ZRANGE".into(), key.clone(), "0".into(), "-1".into()],
                _ => vec!["DEL".into(), key.clone()],
            };
            let mut direct: Vec<String> = op.clone();
            direct[1] = format!("d:{}", op[1]);
            let mut scripted = vec!["EVAL".to_string(), through.into(), "0".into()];
            scripted.extend(op.iter().cloned());
            scripted[4] = format!("s:{}", op[1]);
            let d: Vec<&str> = direct.iter().map(String::as_str).collect();
            let s: Vec<&str> = scripted.iter().map(String::as_str).collect();
            let want = match redis::cmd(d[0]).arg(&d[1..]).query::<Value>(&mut con) {
                Ok(v) => format!("{v:?}"),
                Err(e) => format!("error {}", crate::support::redis_error_text(&e)),
            };
            let got = match redis::cmd(s[0]).arg(&s[1..]).query::<Value>(&mut con) {
                Ok(v) => format!("{v:?}"),
                Err(e) => {
                    let text = crate::support::redis_error_text(&e);
                    // redis.call raises the command's error; the script adds where it was.
                    let text = text.split(" script: ").next().unwrap_or("").to_string();
                    format!("error {text}")
                }
            };
            assert_eq!(got, want, "{proto:?} step {step}: {op:?}");
        }
    }
}

/// A `redis.call` error passed on by the script is counted once in errorstats (by the failed
/// command), while EVAL still counts a failed call; other script errors count normally. Values
/// as Redis 7.0/7.2 give them.
#[test]
fn script_errors_are_counted_once() {
    let server = Server::start();
    let mut con = server.client(Proto::Resp2);
    query(&mut con, &["SET", "strk", "abc"]);
    query(&mut con, &["CONFIG", "RESETSTAT"]);
    for script in [
        "return redis.call('incr', KEYS[1])",
        "return redis.pcall('incr', KEYS[1])",
        "return {err='MY x'}",
        "error('x')",
    ] {
        error_text(&mut con, &["EVAL", script, "1", "strk"]);
    }
    let info = match query(&mut con, &["INFO", "all"]) {
        Value::BulkString(b) => String::from_utf8(b).unwrap(),
        Value::VerbatimString { text, .. } => text,
        other => panic!("{other:?}"),
    };
    for line in ["errorstat_ERR:count=3", "errorstat_MY:count=1", "total_error_replies:4"] {
        assert!(info.contains(line), "{line} missing from INFO");
    }
    assert!(info
        .lines()
        .any(|l| l.starts_with("cmdstat_eval:calls=4,") && l.ends_with("failed_calls=4")));
    assert!(info
        .lines()
        .any(|l| l.starts_with("cmdstat_incr:calls=2,") && l.ends_with("failed_calls=2")));
}

/// Optimistic compare-and-set in Lua from many clients (on every server thread): the final
/// value equals the number of successful swaps.
#[test]
fn lua_compare_and_set_under_contention() {
    let server = Server::start();
    let mut setup = server.client(Proto::Resp2);
    query(&mut setup, &["SET", "cas", "0"]);
    let cas = "if redis.call('get', KEYS[1]) == ARGV[1] then redis.call('set', KEYS[1], ARGV[2]) return 1 end return 0";
    let mut handles = Vec::new();
    for _ in 0..6 {
        let mut con = server.client(Proto::Resp3);
        handles.push(std::thread::spawn(move || {
            let mut won = 0;
            for _ in 0..200 {
                let current = match query(&mut con, &["GET", "cas"]) {
                    Value::BulkString(b) => String::from_utf8(b).unwrap(),
                    other => panic!("{other:?}"),
                };
                let next = (current.parse::<i64>().unwrap() + 1).to_string();
                if query(&mut con, &["EVAL", cas, "1", "cas", &current, &next]) == Value::Int(1) {
                    won += 1;
                }
            }
            won
        }));
    }
    let total: i64 = handles.into_iter().map(|h| h.join().unwrap()).sum();
    assert!(total > 0);
    assert_eq!(query(&mut setup, &["GET", "cas"]), bulk(&total.to_string()));
}

/// A script running past `busy-reply-threshold` makes other clients' commands answer `BUSY`;
/// SCRIPT KILL stops a script that did not write, and refuses one that did (`UNKILLABLE`).
#[test]
fn busy_scripts_and_script_kill() {
    let server = Server::start();
    let mut admin = server.client(Proto::Resp2);
    query(&mut admin, &["CONFIG", "SET", "busy-reply-threshold", "50"]);
    let busy =
        "BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.";
    assert_eq!(
        error_text(&mut admin, &["SCRIPT", "KILL"]),
        "NOTBUSY No scripts in execution right now."
    );

    let mut runner = server.client(Proto::Resp2);
    let looping = std::thread::spawn(move || {
        error_text(
            &mut runner,
            &["EVAL", "local f = function() while true do end end while true do pcall(f) end", "0"],
        )
    });
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    loop {
        match redis::cmd("PING").query::<Value>(&mut admin) {
            Err(e) if crate::support::redis_error_text(&e) == busy => break,
            _ if std::time::Instant::now() > deadline => panic!("the script never became busy"),
            _ => std::thread::sleep(std::time::Duration::from_millis(20)),
        }
    }
    assert_eq!(error_text(&mut admin, &["GET", "x"]), busy);
    assert_eq!(query(&mut admin, &["SCRIPT", "KILL"]), Value::Okay);
    let err = looping.join().unwrap();
    assert!(err.starts_with("ERR Script killed by user with SCRIPT KILL..."), "{err}");
    assert_eq!(query(&mut admin, &["PING"]), Value::SimpleString("PONG".into()));

    // A script that wrote cannot be killed; here it ends by itself.
    let mut writer = server.client(Proto::Resp2);
    let ending = std::thread::spawn(move || {
        let script = "redis.call('set', 'w', '1') local t = redis.call('time')[1] + 0 \
                      while redis.call('time')[1] + 0 < t + 2 do end return 'done'";
        // The error, if any, reaches the assertion below (seen once in a full run: kept so
        // that a recurrence says what the server answered).
        redis::cmd("EVAL").arg(script).arg(0).query::<Value>(&mut writer).map_err(|e| e.to_string())
    });
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    loop {
        match redis::cmd("SCRIPT").arg("KILL").query::<Value>(&mut admin) {
            Err(e)
                if crate::support::redis_error_text(&e)
                    .starts_with("UNKILLABLE Sorry the script already executed write commands") =>
            {
                break
            }
            _ if std::time::Instant::now() > deadline => panic!("never saw UNKILLABLE"),
            _ => std::thread::sleep(std::time::Duration::from_millis(20)),
        }
    }
    assert_eq!(ending.join().unwrap(), Ok(bulk("done")));
    assert_eq!(query(&mut admin, &["GET", "w"]), bulk("1"));
}

/// SCRIPT KILL sent while a script runs but before `busy-reply-threshold` is handled once the
/// script is busy, as in Redis (which reads it only then): a script that writes first thing
/// is never killed before its write. Before this, the kill could land in the script's first
/// microseconds.
#[test]
fn script_kill_before_the_busy_threshold_waits_for_it() {
    let server = Server::start();
    let mut admin = server.client(Proto::Resp2);
    query(&mut admin, &["CONFIG", "SET", "busy-reply-threshold", "100"]);
    let mut writer = server.client(Proto::Resp2);
    let ending = std::thread::spawn(move || {
        let script = "redis.call('set', 'early', '1') local t = redis.call('time')[1] + 0 \
                      while redis.call('time')[1] + 0 < t + 2 do end return 'done'";
        redis::cmd("EVAL").arg(script).arg(0).query::<Value>(&mut writer).map_err(|e| e.to_string())
    });
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    let answer = loop {
        match redis::cmd("SCRIPT").arg("KILL").query::<Value>(&mut admin) {
            Err(e) if crate::support::redis_error_text(&e).starts_with("NOTBUSY") => {
                assert!(std::time::Instant::now() < deadline, "the script never ran");
                std::thread::sleep(std::time::Duration::from_millis(1));
            }
            other => break other.map_err(|e| crate::support::redis_error_text(&e)),
        }
    };
    let err = answer.expect_err("the script wrote: SCRIPT KILL cannot stop it");
    assert!(
        err.starts_with("UNKILLABLE Sorry the script already executed write commands"),
        "{err}"
    );
    assert_eq!(ending.join().unwrap(), Ok(bulk("done")));
    assert_eq!(query(&mut admin, &["GET", "early"]), bulk("1"));
}
