//! `txn`: MULTI/EXEC load generator (redis-benchmark sends one command shape per request and
//! cannot send a transaction).
//!
//! ```text
//! txn --port P [--host H] [--clients 50] [--seconds 5] [--keyspace 100000]
//! ```
//!
//! Each of `--clients` connections sends, back to back, the transaction a Django request
//! sends through redis-py's `pipeline()` (transaction=True): `MULTI`, `INCR rl:<n>`,
//! `EXPIRE rl:<n> 60`, `SET cache:<n> <16 bytes>`, `SET cache:<m> <16 bytes>`, `GET cache:<m>`,
//! `EXEC` (5 queued commands), written in one go, and reads the 7 replies, checking their
//! shapes (`+OK`, five `+QUEUED`, a 5-element array). Keys are drawn from `--keyspace`.
//! Prints `transactions=N seconds=S tps=R`; the caller (bench/compare --scripts) measures the
//! server's CPU around the run.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

fn command(parts: &[&[u8]]) -> Vec<u8> {
    let mut out = format!("*{}\r\n", parts.len()).into_bytes();
    for p in parts {
        out.extend_from_slice(format!("${}\r\n", p.len()).as_bytes());
        out.extend_from_slice(p);
        out.extend_from_slice(b"\r\n");
    }
    out
}

/// Reads one RESP2 reply and returns its first line (nested elements are consumed).
fn read_reply(r: &mut BufReader<TcpStream>) -> Result<String, String> {
    let mut line = String::new();
    r.read_line(&mut line).map_err(|e| format!("read: {e}"))?;
    if line.is_empty() {
        return Err("connection closed".into());
    }
    let head = line.trim_end().to_string();
    match head.as_bytes().first() {
        Some(b'$') => {
            let n: i64 = head[1..].parse().map_err(|_| format!("bad bulk {head}"))?;
            if n >= 0 {
                let mut buf = vec![0u8; n as usize + 2];
                r.read_exact(&mut buf).map_err(|e| format!("read: {e}"))?;
            }
        }
        Some(b'*') => {
            let n: i64 = head[1..].parse().map_err(|_| format!("bad array {head}"))?;
            for _ in 0..n.max(0) {
                read_reply(r)?;
            }
        }
        Some(b'-') => return Err(format!("error reply: {head}")),
        _ => {}
    }
    Ok(head)
}

/// A small xorshift generator (no dependencies).
struct Rng(u64);
impl Rng {
    fn next(&mut self, bound: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % bound
    }
}

fn main() {
    let mut host = "127.0.0.1".to_string();
    let (mut port, mut clients, mut seconds, mut keyspace) = (0u16, 50usize, 5.0f64, 100_000u64);
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let value = it.next().unwrap_or_default();
        let ok = match flag.as_str() {
            "--host" => {
                host = value.clone();
                true
            }
            "--port" => value.parse().map(|v| port = v).is_ok(),
            "--clients" => value.parse().map(|v| clients = v).is_ok(),
            "--seconds" => value.parse().map(|v| seconds = v).is_ok(),
            "--keyspace" => value.parse().map(|v| keyspace = v).is_ok(),
            _ => false,
        };
        if !ok {
            eprintln!("txn: bad option {flag} {value}");
            std::process::exit(2);
        }
    }
    if port == 0 {
        eprintln!("txn: --port is required");
        std::process::exit(2);
    }
    let addr = format!("{host}:{port}");
    let done = Arc::new(AtomicU64::new(0));
    let stop = Arc::new(AtomicBool::new(false));
    let start = Instant::now();
    let mut threads = Vec::new();
    for t in 0..clients {
        let (addr, done, stop) = (addr.clone(), done.clone(), stop.clone());
        threads.push(std::thread::spawn(move || -> Result<(), String> {
            let s = TcpStream::connect(&addr).map_err(|e| format!("connect: {e}"))?;
            s.set_nodelay(true).ok();
            let mut w = s.try_clone().map_err(|e| e.to_string())?;
            let mut r = BufReader::new(s);
            let mut rng = Rng(0x9e37_79b9_7f4a_7c15 ^ (t as u64 + 1));
            let value = [b'v'; 16];
            while !stop.load(Ordering::Relaxed) {
                let (a, b) = (rng.next(keyspace).to_string(), rng.next(keyspace).to_string());
                let (rl, c1, c2) = (format!("rl:{a}"), format!("cache:{a}"), format!("cache:{b}"));
                let mut out = command(&[b"MULTI"]);
                out.extend(command(&[b"INCR", rl.as_bytes()]));
                out.extend(command(&[b"EXPIRE", rl.as_bytes(), b"60"]));
                out.extend(command(&[b"SET", c1.as_bytes(), &value]));
                out.extend(command(&[b"SET", c2.as_bytes(), &value]));
                out.extend(command(&[b"GET", c2.as_bytes()]));
                out.extend(command(&[b"EXEC"]));
                w.write_all(&out).map_err(|e| format!("write: {e}"))?;
                let mut heads = Vec::with_capacity(7);
                for _ in 0..7 {
                    heads.push(read_reply(&mut r)?);
                }
                if heads[0] != "+OK"
                    || heads[1..6].iter().any(|h| h != "+QUEUED")
                    || heads[6] != "*5"
                {
                    return Err(format!("unexpected replies {heads:?}"));
                }
                done.fetch_add(1, Ordering::Relaxed);
            }
            Ok(())
        }));
    }
    std::thread::sleep(Duration::from_secs_f64(seconds));
    stop.store(true, Ordering::Relaxed);
    for t in threads {
        match t.join() {
            Ok(Ok(())) => {}
            Ok(Err(e)) => {
                eprintln!("txn: {e}");
                std::process::exit(1);
            }
            Err(_) => {
                eprintln!("txn: a client thread panicked");
                std::process::exit(1);
            }
        }
    }
    let secs = start.elapsed().as_secs_f64();
    let n = done.load(Ordering::Relaxed);
    println!("transactions={n} seconds={secs:.3} tps={:.0}", n as f64 / secs);
}
