//! Scripts that run on the shards of their KEYS only (see `ferrodis_server::script_locks`):
//! whatever keys a script reaches beyond KEYS — before or after its first write, through a
//! whole-keyspace command, or with `numkeys` 0 as channels_redis does — it sees and changes
//! exactly what Redis would, atomically; and many clients mixing such scripts with
//! multi-key commands and transactions finish (no deadlock) with consistent totals.

use crate::support::{Proto, Server};
use std::time::{Duration, Instant};

fn eval(con: &mut redis::Connection, script: &str, keys: &[&str], args: &[&str]) -> redis::Value {
    let mut cmd = redis::cmd("EVAL");
    cmd.arg(script).arg(keys.len());
    for k in keys {
        cmd.arg(*k);
    }
    for a in args {
        cmd.arg(*a);
    }
    cmd.query(con).unwrap()
}

#[test]
fn scripts_reaching_keys_outside_keys_see_and_change_the_right_values() {
    let server = Server::start();
    let mut con = server.client(Proto::Resp2);
    // Many keys, so that some live on shards other than the declared key's.
    let mut pipe = redis::pipe();
    for i in 0..200 {
        pipe.cmd("SET").arg(format!("k{i}")).arg(i).ignore();
    }
    let _: () = pipe.query(&mut con).unwrap();
    // Reads outside KEYS before any write: the run is repeated on every shard.
    let sum = "local s = 0 for i = 0, 199 do s = s + tonumber(redis.call('GET', 'k' .. i)) end \
               redis.call('SET', KEYS[1], s) return s";
    assert_eq!(eval(&mut con, sum, &["total"], &[]), redis::Value::Int(19900));
    let total: i64 = redis::cmd("GET").arg("total").query(&mut con).unwrap();
    assert_eq!(total, 19900);
    // A write first, then keys outside KEYS: the missing shards are taken on the spot.
    let spread =
        "redis.call('INCR', KEYS[1]) for i = 0, 199 do redis.call('INCRBY', 'k' .. i, 1) end \
                  return redis.call('GET', KEYS[1])";
    assert_eq!(eval(&mut con, spread, &["counter"], &[]), redis::Value::BulkString(b"1".to_vec()));
    let k199: i64 = redis::cmd("GET").arg("k199").query(&mut con).unwrap();
    assert_eq!(k199, 200);
    // A whole-keyspace command inside a script with one declared key.
    assert_eq!(
        eval(
            &mut con,
            "redis.call('SET', KEYS[1], 'x') return redis.call('DBSIZE')",
            &["extra"],
            &[]
        ),
        redis::Value::Int(203)
    );
    assert_eq!(
        eval(&mut con, "return #redis.call('KEYS', 'k1*')", &["k1"], &[]),
        redis::Value::Int(111)
    );
    // numkeys 0, keys in ARGV (channels_redis's flush and cleanup scripts).
    let cleanup = "local n = 0 for i = 1, #ARGV do n = n + redis.call('DEL', ARGV[i]) end return n";
    assert_eq!(eval(&mut con, cleanup, &[], &["k0", "k1", "k2", "nope"]), redis::Value::Int(3));
    // The same scripts again (now known to need every shard) give the same answers.
    let _: () = redis::cmd("SET").arg("k0").arg(0).query(&mut con).unwrap();
    let _: () = redis::cmd("SET").arg("k1").arg(1).query(&mut con).unwrap();
    let _: () = redis::cmd("SET").arg("k2").arg(2).query(&mut con).unwrap();
    // k3..k199 hold i + 1 after the INCRBY pass; k0..k2 were set back to 0, 1, 2.
    assert_eq!(eval(&mut con, sum, &["total"], &[]), redis::Value::Int(20097));
}

#[test]
fn scripts_multi_key_commands_and_transactions_never_deadlock() {
    let server = Server::start();
    let addr_port = server.port();
    let deadline = Instant::now() + Duration::from_secs(60);
    let mut threads = Vec::new();
    for t in 0..8u64 {
        let url = format!("redis://127.0.0.1:{addr_port}/");
        threads.push(std::thread::spawn(move || {
            let client = redis::Client::open(url).unwrap();
            let mut con = client.get_connection().unwrap();
            let mut done = 0u64;
            for i in 0..300u64 {
                let a = format!("acct:{}", (i * 7 + t) % 50);
                let b = format!("acct:{}", (i * 13 + t * 3) % 50);
                match (t + i) % 4 {
                    // Declared keys only: a transfer between two accounts.
                    0 => {
                        let _: i64 = redis::cmd("EVAL")
                            .arg("redis.call('DECRBY', KEYS[1], 1) return redis.call('INCRBY', KEYS[2], 1)")
                            .arg(2)
                            .arg(&a)
                            .arg(&b)
                            .query(&mut con)
                            .unwrap();
                    }
                    // A write, then keys outside KEYS (escalation while holding a shard).
                    1 => {
                        let _: i64 = redis::cmd("EVAL")
                            .arg("redis.call('DECRBY', KEYS[1], 1) return redis.call('INCRBY', ARGV[1], 1)")
                            .arg(1)
                            .arg(&a)
                            .arg(&b)
                            .query(&mut con)
                            .unwrap();
                    }
                    // A transaction over two shards.
                    2 => {
                        let _: (i64, i64) = redis::pipe()
                            .atomic()
                            .cmd("DECRBY")
                            .arg(&a)
                            .arg(1)
                            .cmd("INCRBY")
                            .arg(&b)
                            .arg(1)
                            .query(&mut con)
                            .unwrap();
                    }
                    // A multi-key command.
                    _ => {
                        let _: () = redis::cmd("MSET").arg(format!("m:{t}:{i}")).arg(1).arg("m:x").arg(i).query(&mut con).unwrap();
                    }
                }
                done += 1;
            }
            done
        }));
    }
    let mut total = 0;
    for t in threads {
        assert!(Instant::now() < deadline, "took too long: a deadlock?");
        total += t.join().expect("a client thread failed");
    }
    assert_eq!(total, 8 * 300);
    // Every transfer moved one unit: the accounts still sum to zero.
    let mut con = server.client(Proto::Resp2);
    let sum: i64 = redis::cmd("EVAL")
        .arg("local s = 0 for i = 0, 49 do s = s + tonumber(redis.call('GET', 'acct:' .. i) or '0') end return s")
        .arg(0)
        .query(&mut con)
        .unwrap();
    assert_eq!(sum, 0);
}
