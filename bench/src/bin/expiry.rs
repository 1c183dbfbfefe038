//! Active-expiry benchmark: how fast keys with a TTL are reclaimed when no client touches
//! them, and what that costs the latency of concurrent GETs.
//!
//! ```text
//! cargo run --release -p ferrodis-bench --bin expiry -- [host:port] [keys] [ttl_ms]
//! ```
//!
//! 1. FLUSHALL, load `keys` keys (default 1,000,000) without TTL, and measure GET latency for
//!    3 s at a fixed rate of 5,000 requests/s (the baseline p50/p99).
//! 2. FLUSHALL, load the same keys with `PX ttl_ms` (default 1000), then for 8 s keep issuing
//!    GETs of keys that do not exist (so reads never trigger lazy expiry) at the same rate,
//!    while sampling DBSIZE every 100 ms: DBSIZE counts keys not yet reclaimed.
//! 3. Report the share reclaimed 5 s after the TTL ended and the p99 during reclaim vs the
//!    baseline. The issue's target: >= 90% reclaimed, p99 within 2x.
//!
//! Talks RESP over plain TCP; works against Redis too, for comparison.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

fn connect(addr: &str) -> (BufReader<TcpStream>, TcpStream) {
    let s = TcpStream::connect(addr).unwrap_or_else(|e| panic!("connect {addr}: {e}"));
    s.set_nodelay(true).ok();
    let w = s.try_clone().expect("clone socket");
    (BufReader::new(s), w)
}

fn command(parts: &[&[u8]], out: &mut Vec<u8>) {
    out.extend_from_slice(format!("*{}\r\n", parts.len()).as_bytes());
    for p in parts {
        out.extend_from_slice(format!("${}\r\n", p.len()).as_bytes());
        out.extend_from_slice(p);
        out.extend_from_slice(b"\r\n");
    }
}

/// Reads one reply and returns its first line (bulk payloads are skipped).
fn read_reply(r: &mut BufReader<TcpStream>) -> String {
    let mut line = String::new();
    r.read_line(&mut line).expect("read reply");
    if let Some(len) = line.strip_prefix('$') {
        let n: i64 = len.trim().parse().unwrap_or(-1);
        if n >= 0 {
            let mut buf = vec![0u8; n as usize + 2];
            r.read_exact(&mut buf).expect("read bulk");
        }
    }
    line.trim_end().to_string()
}

fn load(addr: &str, keys: usize, ttl_ms: Option<u64>) {
    let (mut r, mut w) = connect(addr);
    let batch = 10_000;
    let ttl = ttl_ms.map(|t| t.to_string());
    let mut i = 0;
    while i < keys {
        let mut out = Vec::new();
        let n = batch.min(keys - i);
        for j in i..i + n {
            let key = format!("key:{j:012}");
            match &ttl {
                Some(t) => command(
                    &[b"SET", key.as_bytes(), b"0123456789abcdef", b"PX", t.as_bytes()],
                    &mut out,
                ),
                None => command(&[b"SET", key.as_bytes(), b"0123456789abcdef"], &mut out),
            }
        }
        w.write_all(&out).expect("write");
        for _ in 0..n {
            read_reply(&mut r);
        }
        i += n;
    }
}

fn dbsize(r: &mut BufReader<TcpStream>, w: &mut TcpStream) -> u64 {
    let mut out = Vec::new();
    command(&[b"DBSIZE"], &mut out);
    w.write_all(&out).expect("write");
    read_reply(r).trim_start_matches(':').parse().unwrap_or(0)
}

/// GETs at `rate` per second for `duration`, calling `tick` every 100 ms; returns latencies.
fn paced_gets(
    addr: &str,
    rate: u64,
    duration: Duration,
    mut tick: impl FnMut(Duration),
) -> Vec<Duration> {
    let (mut r, mut w) = connect(addr);
    let interval = Duration::from_nanos(1_000_000_000 / rate);
    let start = Instant::now();
    let mut next = start;
    let mut next_tick = start + Duration::from_millis(100);
    let mut lat = Vec::new();
    let mut i = 0u64;
    while start.elapsed() < duration {
        let now = Instant::now();
        if now < next {
            std::thread::sleep(next - now);
        }
        // Latency is measured from the scheduled send time (open loop): a stall shows up.
        let scheduled = next;
        let key = format!("missing:{i}");
        let mut out = Vec::new();
        command(&[b"GET", key.as_bytes()], &mut out);
        w.write_all(&out).expect("write");
        read_reply(&mut r);
        lat.push(Instant::now().saturating_duration_since(scheduled));
        next += interval;
        i += 1;
        if Instant::now() >= next_tick {
            tick(start.elapsed());
            next_tick += Duration::from_millis(100);
        }
    }
    lat
}

fn percentile(lat: &mut [Duration], p: f64) -> Duration {
    lat.sort_unstable();
    if lat.is_empty() {
        return Duration::ZERO;
    }
    let idx = ((lat.len() as f64 - 1.0) * p).round() as usize;
    lat[idx]
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let addr = args.first().cloned().unwrap_or_else(|| "127.0.0.1:6379".into());
    let keys: usize = args.get(1).and_then(|s| s.parse().ok()).unwrap_or(1_000_000);
    let ttl_ms: u64 = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(1000);
    // One synchronous connection manages about 15-20k round trips per second here; pacing
    // well below that keeps the open-loop schedule honest (no self-inflicted backlog).
    let rate = 5_000;
    let (mut r, mut w) = connect(&addr);
    let mut flush = Vec::new();
    command(&[b"FLUSHALL"], &mut flush);

    w.write_all(&flush).expect("write");
    read_reply(&mut r);
    load(&addr, keys, None);
    let mut base = paced_gets(&addr, rate, Duration::from_secs(3), |_| {});
    let base_p50 = percentile(&mut base, 0.50);
    let base_p99 = percentile(&mut base, 0.99);

    w.write_all(&flush).expect("write");
    read_reply(&mut r);
    let load_start = Instant::now();
    load(&addr, keys, Some(ttl_ms));
    let loaded_in = load_start.elapsed();
    // Keys expire ttl_ms after they were set; the last one ttl_ms after loading finished.
    let expiry_done = Duration::from_millis(ttl_ms);
    let mut samples: Vec<(Duration, u64)> = Vec::new();
    let (mut r2, mut w2) = connect(&addr);
    let mut during = paced_gets(&addr, rate, Duration::from_secs(8), |t| {
        samples.push((t, dbsize(&mut r2, &mut w2)));
    });
    let p50 = percentile(&mut during, 0.50);
    let p99 = percentile(&mut during, 0.99);
    let at_5s = samples
        .iter()
        .find(|(t, _)| *t >= expiry_done + Duration::from_secs(5))
        .or(samples.last())
        .map_or(keys as u64, |s| s.1);
    let reclaimed = 100.0 * (keys as f64 - at_5s as f64) / keys as f64;
    println!("server                {addr}");
    println!("keys                  {keys} (loaded in {:.2?}), ttl {ttl_ms} ms", loaded_in);
    for (t, n) in samples.iter().step_by(5) {
        println!("  t={:>5.1}s  dbsize={n}", t.as_secs_f64());
    }
    println!("reclaimed 5 s after TTL {reclaimed:.1}% (target >= 90%)");
    println!("GET p50 baseline/during {base_p50:.2?} / {p50:.2?}");
    println!(
        "GET p99 baseline/during {base_p99:.2?} / {p99:.2?}  ratio {:.2} (target <= 2.0)",
        p99.as_secs_f64() / base_p99.as_secs_f64().max(1e-9)
    );
}
