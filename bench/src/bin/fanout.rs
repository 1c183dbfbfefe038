//! `fanout`: a pub/sub fan-out load generator (redis-benchmark cannot count deliveries).
//!
//! ```text
//! fanout --port P [--host H] [--subscribers 100] [--payload 16] [--seconds 5] [--window 2000]
//! ```
//!
//! Connects `--subscribers` RESP2 clients that SUBSCRIBE to one channel, then one publisher
//! that PUBLISHes `--payload`-byte messages for `--seconds`, pipelined in batches of 32. The
//! publisher never runs more than `--window` messages ahead of the slowest subscriber, so no
//! output buffer grows without bound (and `client-output-buffer-limit pubsub` never
//! disconnects anyone). Every message is checked: each subscriber must receive exactly the
//! messages published, as whole frames. Prints one line:
//!
//! ```text
//! published=N delivered=M seconds=S deliveries_per_sec=R receivers_per_publish=K
//! ```
//! where `seconds` runs from the first PUBLISH until the last subscriber has every message,
//! and `receivers_per_publish` is PUBLISH's reply (must equal `--subscribers`). The caller
//! (bench/compare --fanout) measures the server's CPU time around the run.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Barrier};
use std::time::{Duration, Instant};

const CHANNEL: &str = "fanout";
const BATCH: usize = 32;

struct Args {
    host: String,
    port: u16,
    subscribers: usize,
    payload: usize,
    seconds: f64,
    window: u64,
}

fn parse_args() -> Result<Args, String> {
    let mut a = Args {
        host: "127.0.0.1".into(),
        port: 0,
        subscribers: 100,
        payload: 16,
        seconds: 5.0,
        window: 2000,
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let value = it.next().ok_or_else(|| format!("{flag} needs a value"))?;
        let bad = || format!("bad value for {flag}: {value}");
        match flag.as_str() {
            "--host" => a.host = value.clone(),
            "--port" => a.port = value.parse().map_err(|_| bad())?,
            "--subscribers" => a.subscribers = value.parse().map_err(|_| bad())?,
            "--payload" => a.payload = value.parse().map_err(|_| bad())?,
            "--seconds" => a.seconds = value.parse().map_err(|_| bad())?,
            "--window" => a.window = value.parse().map_err(|_| bad())?,
            _ => return Err(format!("unknown option {flag}")),
        }
    }
    if a.port == 0 {
        return Err("--port is required".into());
    }
    Ok(a)
}

fn command(parts: &[&[u8]]) -> Vec<u8> {
    let mut out = format!("*{}\r\n", parts.len()).into_bytes();
    for p in parts {
        out.extend_from_slice(format!("${}\r\n", p.len()).as_bytes());
        out.extend_from_slice(p);
        out.extend_from_slice(b"\r\n");
    }
    out
}

fn read_exact_bytes(s: &mut TcpStream, want: &[u8]) -> Result<(), String> {
    let mut got = vec![0u8; want.len()];
    s.read_exact(&mut got).map_err(|e| format!("read: {e}"))?;
    if got != want {
        return Err(format!(
            "unexpected reply {:?}, wanted {:?}",
            String::from_utf8_lossy(&got),
            String::from_utf8_lossy(want)
        ));
    }
    Ok(())
}

fn main() {
    let args = match parse_args() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("fanout: {e}");
            std::process::exit(2);
        }
    };
    if let Err(e) = run(&args) {
        eprintln!("fanout: {e}");
        std::process::exit(1);
    }
}

fn run(args: &Args) -> Result<(), String> {
    let addr = format!("{}:{}", args.host, args.port);
    let payload = vec![b'x'; args.payload];
    let message = command(&[b"message", CHANNEL.as_bytes(), &payload]);
    let received: Arc<Vec<AtomicU64>> =
        Arc::new((0..args.subscribers).map(|_| AtomicU64::new(0)).collect());
    let stop = Arc::new(AtomicBool::new(false));
    let ready = Arc::new(Barrier::new(args.subscribers + 1));
    let mut threads = Vec::new();
    for i in 0..args.subscribers {
        let (addr, received, stop, ready) =
            (addr.clone(), received.clone(), stop.clone(), ready.clone());
        let message = message.clone();
        threads.push(std::thread::spawn(move || -> Result<(), String> {
            let mut s = TcpStream::connect(&addr).map_err(|e| format!("connect: {e}"))?;
            s.set_nodelay(true).ok();
            s.write_all(&command(&[b"SUBSCRIBE", CHANNEL.as_bytes()]))
                .map_err(|e| format!("write: {e}"))?;
            let confirm =
                format!("*3\r\n$9\r\nsubscribe\r\n${}\r\n{CHANNEL}\r\n:1\r\n", CHANNEL.len());
            read_exact_bytes(&mut s, confirm.as_bytes())?;
            ready.wait();
            s.set_read_timeout(Some(Duration::from_millis(200))).ok();
            let mut buf = vec![0u8; 1 << 16];
            // Bytes of a frame split across reads, checked once complete.
            let mut partial: Vec<u8> = Vec::new();
            loop {
                match s.read(&mut buf) {
                    Ok(0) => return Err("server closed a subscriber".into()),
                    Ok(n) => {
                        partial.extend_from_slice(&buf[..n]);
                        let whole = partial.len() / message.len();
                        for f in partial.chunks_exact(message.len()) {
                            if f != &message[..] {
                                return Err("a subscriber received a malformed message".into());
                            }
                        }
                        partial.drain(..whole * message.len());
                        received[i].fetch_add(whole as u64, Ordering::Relaxed);
                    }
                    Err(e)
                        if e.kind() == std::io::ErrorKind::WouldBlock
                            || e.kind() == std::io::ErrorKind::TimedOut =>
                    {
                        if stop.load(Ordering::Relaxed) {
                            return Ok(());
                        }
                    }
                    Err(e) => return Err(format!("subscriber read: {e}")),
                }
            }
        }));
    }
    ready.wait();
    let mut publisher = TcpStream::connect(&addr).map_err(|e| format!("connect: {e}"))?;
    publisher.set_nodelay(true).ok();
    let one = command(&[b"PUBLISH", CHANNEL.as_bytes(), &payload]);
    let batch: Vec<u8> = one.iter().copied().cycle().take(one.len() * BATCH).collect();
    let reply = format!(":{}\r\n", args.subscribers).into_bytes();
    let batch_reply: Vec<u8> = reply.iter().copied().cycle().take(reply.len() * BATCH).collect();
    let start = Instant::now();
    let run_for = Duration::from_secs_f64(args.seconds);
    let mut published: u64 = 0;
    let slowest = |r: &[AtomicU64]| r.iter().map(|c| c.load(Ordering::Relaxed)).min().unwrap_or(0);
    while start.elapsed() < run_for {
        while published.saturating_sub(slowest(&received)) > args.window {
            std::thread::yield_now();
        }
        publisher.write_all(&batch).map_err(|e| format!("publish: {e}"))?;
        read_exact_bytes(&mut publisher, &batch_reply).map_err(|e| {
            format!("{e} (PUBLISH must reach all {} subscribers)", args.subscribers)
        })?;
        published += BATCH as u64;
    }
    let deadline = Instant::now() + Duration::from_secs(30);
    while slowest(&received) < published {
        if Instant::now() > deadline {
            return Err(format!(
                "subscribers stalled: slowest has {} of {published}",
                slowest(&received)
            ));
        }
        std::thread::sleep(Duration::from_micros(200));
    }
    let seconds = start.elapsed().as_secs_f64();
    stop.store(true, Ordering::Relaxed);
    for t in threads {
        t.join().map_err(|_| "a subscriber thread panicked".to_string())??;
    }
    let delivered: u64 = received.iter().map(|c| c.load(Ordering::Relaxed)).sum();
    if delivered != published * args.subscribers as u64 {
        return Err(format!(
            "delivered {delivered} messages, expected {}",
            published * args.subscribers as u64
        ));
    }
    println!(
        "published={published} delivered={delivered} seconds={seconds:.3} deliveries_per_sec={:.0} receivers_per_publish={}",
        delivered as f64 / seconds,
        args.subscribers
    );
    Ok(())
}
