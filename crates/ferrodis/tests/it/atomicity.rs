//! Multi-key commands are atomic across connection threads: a reader never sees half of an
//! MSET, even when its keys live in different keyspace shards.

use crate::support::{Proto, Server};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

const PAIRS: usize = 256;
const WRITERS: usize = 8;
const READERS: usize = 4;
const RUN_FOR: Duration = Duration::from_secs(3);
/// Upper bound on requests per thread, so the test stops on a very fast machine too.
const MAX_OPS_PER_THREAD: u64 = 200_000;

// Keys without `{}` hash tags: the keyspace hashes the whole key, so the two keys of a pair
// fall into different shards for most pairs.
fn key_a(i: usize) -> String {
    format!("atomic:a:{i}")
}
fn key_b(i: usize) -> String {
    format!("atomic:b:{i}")
}

#[test]
fn mset_is_never_seen_half_done_by_concurrent_mget() {
    let server = Server::start();
    let stop = Arc::new(AtomicBool::new(false));
    let writes = Arc::new(AtomicU64::new(0));
    let reads = Arc::new(AtomicU64::new(0));
    let deadline = Instant::now() + RUN_FOR;
    let mut handles = Vec::new();
    for w in 0..WRITERS {
        let mut con = server.client(if w % 2 == 0 { Proto::Resp2 } else { Proto::Resp3 });
        let (stop, writes) = (stop.clone(), writes.clone());
        handles.push(std::thread::spawn(move || -> Result<(), String> {
            let mut n: u64 = 0;
            while !stop.load(Ordering::Relaxed)
                && Instant::now() < deadline
                && n < MAX_OPS_PER_THREAD
            {
                let i = (n as usize * 31 + w * 7) % PAIRS;
                let value = format!("w{w}-{n}");
                redis::cmd("MSET")
                    .arg(key_a(i))
                    .arg(&value)
                    .arg(key_b(i))
                    .arg(&value)
                    .query::<()>(&mut con)
                    .map_err(|e| format!("writer {w}: MSET failed: {e}"))?;
                n += 1;
            }
            writes.fetch_add(n, Ordering::Relaxed);
            Ok(())
        }));
    }
    for r in 0..READERS {
        let mut con = server.client(if r % 2 == 0 { Proto::Resp3 } else { Proto::Resp2 });
        let (stop, reads) = (stop.clone(), reads.clone());
        handles.push(std::thread::spawn(move || -> Result<(), String> {
            let mut n: u64 = 0;
            let result = loop {
                if stop.load(Ordering::Relaxed)
                    || Instant::now() >= deadline
                    || n >= MAX_OPS_PER_THREAD
                {
                    break Ok(());
                }
                let i = (n as usize * 17 + r * 13) % PAIRS;
                let got: Vec<Option<String>> =
                    match redis::cmd("MGET").arg(key_a(i)).arg(key_b(i)).query(&mut con) {
                        Ok(v) => v,
                        Err(e) => break Err(format!("reader {r}: MGET failed: {e}")),
                    };
                if got.len() != 2 || got[0] != got[1] {
                    stop.store(true, Ordering::Relaxed);
                    break Err(format!(
                        "reader {r}: MGET {} {} saw {got:?} (a half-applied MSET)",
                        key_a(i),
                        key_b(i)
                    ));
                }
                n += 1;
            };
            reads.fetch_add(n, Ordering::Relaxed);
            result
        }));
    }
    let errors: Vec<String> = handles
        .into_iter()
        .filter_map(|h| match h.join() {
            Ok(Ok(())) => None,
            Ok(Err(e)) => Some(e),
            Err(_) => Some("a thread panicked".to_string()),
        })
        .collect();
    assert!(errors.is_empty(), "{}", errors.join("\n"));
    let (w, r) = (writes.load(Ordering::Relaxed), reads.load(Ordering::Relaxed));
    eprintln!("{w} MSETs and {r} MGETs");
    assert!(w > 1000 && r > 1000, "too little traffic to mean anything: {w} MSETs, {r} MGETs");
}

/// Pipelines on one hot key from several connections (each batch keeps the key's shard
/// locked across its commands, see `dispatch::HeldShard`): every increment and push is
/// counted once, a client blocked on the list is served by a pipelined push, and a
/// transaction on the same key interleaved with the pipelines stays atomic. Redis gives the
/// same totals (the sum of what was sent).
#[test]
fn pipelines_on_one_hot_key_from_several_connections_lose_nothing() {
    const CLIENTS: usize = 6;
    const BATCHES: usize = 200;
    const PER_BATCH: usize = 32;
    let server = Server::start();
    let mut waiter = server.client(Proto::Resp2);
    let blocked = std::thread::spawn(move || -> Option<(String, String)> {
        redis::cmd("BLPOP").arg("hot:list").arg(10).query(&mut waiter).ok()
    });
    std::thread::sleep(Duration::from_millis(100));
    let mut handles = Vec::new();
    for c in 0..CLIENTS {
        let mut con = server.client(if c % 2 == 0 { Proto::Resp2 } else { Proto::Resp3 });
        handles.push(std::thread::spawn(move || -> Result<(), String> {
            for b in 0..BATCHES {
                let mut pipe = redis::pipe();
                for i in 0..PER_BATCH {
                    pipe.cmd("INCR").arg("hot:counter");
                    pipe.cmd("RPUSH").arg("hot:list").arg(format!("{c}:{b}:{i}"));
                }
                let _: Vec<redis::Value> =
                    pipe.query(&mut con).map_err(|e| format!("client {c}: {e}"))?;
                if b % 20 == 0 {
                    // A transaction on the same key between pipelined batches.
                    let (n, m): (i64, i64) = redis::pipe()
                        .atomic()
                        .cmd("INCRBY")
                        .arg("hot:counter")
                        .arg(0)
                        .cmd("INCRBY")
                        .arg("hot:counter")
                        .arg(0)
                        .query(&mut con)
                        .map_err(|e| format!("client {c}: MULTI: {e}"))?;
                    if n != m {
                        return Err(format!("client {c}: a transaction saw {n} then {m}"));
                    }
                }
            }
            Ok(())
        }));
    }
    for h in handles {
        h.join().expect("client thread").expect("client");
    }
    let served = blocked.join().expect("waiter thread");
    let (key, _) = served.expect("the blocked client was served by a pipelined RPUSH");
    assert_eq!(key, "hot:list");
    let mut con = server.client(Proto::Resp2);
    let total = (CLIENTS * BATCHES * PER_BATCH) as i64;
    let counter: i64 = redis::cmd("GET").arg("hot:counter").query(&mut con).unwrap();
    assert_eq!(counter, total);
    let len: i64 = redis::cmd("LLEN").arg("hot:list").query(&mut con).unwrap();
    assert_eq!(len, total - 1, "every pushed element is in the list but the one BLPOP took");
}
