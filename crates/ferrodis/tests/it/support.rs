//! Test support: start the real server binary, talk to it with raw bytes or with the `redis`
//! crate, and find the external tools (redis-cli, redis-benchmark).
//!
//! Every test starts its own server on a free 127.0.0.1 port, in its own temporary directory
//! (the working directory of the process), with standard output and error captured to
//! `server.log` there. Dropping the [`Server`] kills it; when the test failed (or the server
//! died on its own) the log is printed so the failure message says what the server did.
//!
//! Reference mode: `FERRODIS_IT_REFERENCE=/usr/bin/redis-server cargo test -p ferrodis --test it`
//! runs the same tests against a real Redis, to prove they assert Redis's behaviour. Debian's
//! Redis is 7.0; the few replies that changed in 7.2 go through [`text_for_version`].

#![allow(dead_code)]

use std::fmt::Write as _;
use std::fs::File;
use std::io::{ErrorKind, Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::os::unix::net::UnixStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

/// How long a raw read waits before the test fails.
pub const READ_TIMEOUT: Duration = Duration::from_secs(10);

/// The Redis version Ferrodis claims (HELLO `version`, INFO `redis_version`).
pub const FERRODIS_REDIS_VERSION: &str = "7.2.4";

/// The real Redis binary the tests run against instead of Ferrodis, if any.
pub fn reference_server() -> Option<PathBuf> {
    std::env::var_os("FERRODIS_IT_REFERENCE").filter(|v| !v.is_empty()).map(PathBuf::from)
}

/// The binary under test.
pub fn server_binary() -> PathBuf {
    reference_server().unwrap_or_else(|| PathBuf::from(env!("CARGO_BIN_EXE_ferrodis-server")))
}

/// The version string the server under test reports in HELLO: Ferrodis's claimed 7.2.4, or
/// the reference binary's own version (`redis-server --version` prints `... v=7.0.15 ...`).
pub fn expected_version() -> &'static str {
    static VERSION: OnceLock<String> = OnceLock::new();
    VERSION.get_or_init(|| match reference_server() {
        None => FERRODIS_REDIS_VERSION.to_string(),
        Some(bin) => {
            let out =
                Command::new(&bin).arg("--version").output().expect("run the reference --version");
            let text = String::from_utf8_lossy(&out.stdout).into_owned();
            text.split_whitespace()
                .find_map(|w| w.strip_prefix("v="))
                .unwrap_or_else(|| panic!("no v= in {text:?}"))
                .to_string()
        }
    })
}

/// Picks the reply text of Redis 7.2 (what Ferrodis must give), or the 7.0 text when the
/// reference server is a 7.0 (Debian's). Only for replies whose wording changed in 7.2.
pub fn text_for_version(redis_72: &'static str, redis_70: &'static str) -> &'static str {
    if expected_version().starts_with("7.0.") {
        redis_70
    } else {
        redis_72
    }
}

// ---------------------------------------------------------------------------------------------
// Temporary directory
// ---------------------------------------------------------------------------------------------

/// A fresh directory under the system temp dir, removed on drop (kept when the environment
/// has `FERRODIS_IT_KEEP=1`, for looking at a failed test's files; the server log is printed
/// on failure anyway).
pub struct TempDir {
    path: PathBuf,
}

impl TempDir {
    pub fn new(label: &str) -> TempDir {
        static COUNTER: AtomicUsize = AtomicUsize::new(0);
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.subsec_nanos())
            .unwrap_or(0);
        // Short names: a Unix socket path must stay under 108 bytes.
        let path =
            std::env::temp_dir().join(format!("fdit-{label}-{}-{n}-{nanos:x}", std::process::id()));
        std::fs::create_dir_all(&path).unwrap_or_else(|e| panic!("create {}: {e}", path.display()));
        TempDir { path }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        if std::env::var_os("FERRODIS_IT_KEEP").is_some_and(|v| v == "1") {
            eprintln!("kept {}", self.path.display());
        } else {
            let _ = std::fs::remove_dir_all(&self.path);
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Server
// ---------------------------------------------------------------------------------------------

/// Finds a free TCP port on 127.0.0.1 (the OS picks; the listener is closed again, so another
/// process could take it before the server binds: [`ServerBuilder::start`] retries then).
pub fn free_port() -> u16 {
    let l = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
    l.local_addr().expect("local_addr").port()
}

/// Options for starting a server.
#[derive(Default, Clone)]
pub struct ServerBuilder {
    args: Vec<String>,
    password: Option<String>,
    unixsocket: bool,
    binary: Option<PathBuf>,
    config_file: Option<PathBuf>,
}

impl ServerBuilder {
    /// Starts the server with this redis.conf as its first argument (directives on the
    /// command line, such as the port, still override it).
    pub fn config_file(mut self, path: PathBuf) -> Self {
        self.config_file = Some(path);
        self
    }

    /// Adds `--name value...` to the command line.
    pub fn arg(mut self, name: &str, values: &[&str]) -> Self {
        self.args.push(format!("--{name}"));
        self.args.extend(values.iter().map(|v| v.to_string()));
        self
    }

    /// `--requirepass pw`; clients made by [`Server::client`] then log in with it.
    pub fn requirepass(mut self, pw: &str) -> Self {
        self.password = Some(pw.to_string());
        self.arg("requirepass", &[pw])
    }

    /// `--unixsocket <dir>/f.sock` (the path is [`Server::unixsocket`]).
    pub fn unixsocket(mut self) -> Self {
        self.unixsocket = true;
        self
    }

    /// Runs `path` instead of [`server_binary`] (tests that compare two servers side by side).
    pub fn binary(mut self, path: PathBuf) -> Self {
        self.binary = Some(path);
        self
    }

    /// Starts the server and waits until it answers PING. Retries on a new port when the
    /// process exits at once (another process may have taken the port).
    pub fn start(self) -> Server {
        let mut last_log = String::new();
        for attempt in 1..=5 {
            let port = free_port();
            match Server::try_start(&self, TempDir::new("srv"), port) {
                Ok(server) => return server,
                Err(log) => {
                    eprintln!("server start attempt {attempt} on port {port} failed; log:\n{log}");
                    last_log = log;
                }
            }
        }
        panic!(
            "the server ({}) did not start after 5 attempts; last log:\n{last_log}",
            self.binary.clone().unwrap_or_else(server_binary).display()
        );
    }
}

/// A running server process, killed on drop.
pub struct Server {
    child: Option<Child>,
    port: u16,
    password: Option<String>,
    unixsocket: Option<PathBuf>,
    log_path: PathBuf,
    bin: PathBuf,
    // Last: removed after the process is gone.
    dir: TempDir,
}

impl Server {
    /// A server with default settings.
    pub fn start() -> Server {
        Server::builder().start()
    }

    pub fn builder() -> ServerBuilder {
        ServerBuilder::default()
    }

    fn try_start(opts: &ServerBuilder, dir: TempDir, port: u16) -> Result<Server, String> {
        let log_path = dir.path().join("server.log");
        let log = File::create(&log_path).expect("create server.log");
        let log2 = log.try_clone().expect("clone log handle");
        let mut args: Vec<String> = Vec::new();
        if let Some(conf) = &opts.config_file {
            args.push(conf.display().to_string());
        }
        args.extend(["--port".into(), port.to_string(), "--bind".into(), "127.0.0.1".into()]);
        if reference_server().is_some() {
            // No RDB/AOF files from the reference.
            args.extend(["--save".into(), String::new(), "--appendonly".into(), "no".into()]);
        }
        let unixsocket = opts.unixsocket.then(|| dir.path().join("f.sock"));
        if let Some(path) = &unixsocket {
            args.push("--unixsocket".into());
            args.push(path.display().to_string());
        }
        args.extend(opts.args.iter().cloned());
        let bin = opts.binary.clone().unwrap_or_else(server_binary);
        // Two worker threads unless the caller chose (the default is one per core minus one,
        // so one on a 2-core machine): the tests must exercise commands running on several
        // threads at once. `io-threads` on the command line still wins.
        let threads = std::env::var("FERRODIS_WORKER_THREADS").unwrap_or_else(|_| "2".into());
        let child = Command::new(&bin)
            .args(&args)
            .env("FERRODIS_WORKER_THREADS", threads)
            .current_dir(dir.path())
            .stdin(Stdio::null())
            .stdout(Stdio::from(log))
            .stderr(Stdio::from(log2))
            .spawn()
            .unwrap_or_else(|e| panic!("cannot run {}: {e}", bin.display()));
        let mut server = Server {
            child: Some(child),
            port,
            password: opts.password.clone(),
            unixsocket,
            log_path,
            bin,
            dir,
        };
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            if let Some(status) = server.child.as_mut().and_then(|c| c.try_wait().ok().flatten()) {
                server.child = None;
                return Err(format!("(exited with {status}; args {args:?})\n{}", server.log()));
            }
            if server.answers_ping() {
                return Ok(server);
            }
            if Instant::now() > deadline {
                panic!(
                    "the server did not answer PING on port {port} within 10 s; log:\n{}",
                    server.log()
                );
            }
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    /// True when a connection gets any reply to an inline PING (`+PONG`, or `-NOAUTH` when a
    /// password is required).
    fn answers_ping(&self) -> bool {
        let Ok(mut s) = TcpStream::connect(("127.0.0.1", self.port)) else {
            return false;
        };
        let _ = s.set_read_timeout(Some(Duration::from_secs(2)));
        if s.write_all(b"PING\r\n").is_err() {
            return false;
        }
        let mut b = [0u8; 1];
        matches!(s.read(&mut b), Ok(1) if b[0] == b'+' || b[0] == b'-')
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// `host:port`.
    pub fn addr(&self) -> String {
        format!("127.0.0.1:{}", self.port)
    }

    pub fn dir(&self) -> &Path {
        self.dir.path()
    }

    pub fn unixsocket(&self) -> &Path {
        self.unixsocket.as_deref().expect("server started without .unixsocket()")
    }

    /// The server's process id.
    pub fn pid(&self) -> u32 {
        self.child.as_ref().expect("running").id()
    }

    /// The captured standard output and error of the server so far.
    pub fn log(&self) -> String {
        std::fs::read(&self.log_path)
            .map(|b| String::from_utf8_lossy(&b).into_owned())
            .unwrap_or_default()
    }

    /// Panics (with the log) if the process has exited.
    pub fn assert_alive(&mut self) {
        if let Some(status) = self.child.as_mut().and_then(|c| c.try_wait().ok().flatten()) {
            panic!("the server exited unexpectedly with {status}; log:\n{}", self.log());
        }
    }

    /// A raw connection over TCP.
    pub fn raw(&self) -> Raw {
        Raw::connect(self.port)
    }

    /// A raw connection that has logged in when the server requires a password.
    pub fn raw_authed(&self) -> Raw {
        let mut r = self.raw();
        if let Some(pw) = &self.password {
            r.send(&multibulk(&[b"AUTH", pw.as_bytes()]));
            r.expect(b"+OK\r\n");
        }
        r
    }

    /// The URL for the `redis` crate.
    pub fn url(&self, proto: Proto) -> String {
        let auth = match &self.password {
            Some(pw) => format!(":{pw}@"),
            None => String::new(),
        };
        let q = match proto {
            Proto::Resp2 => "",
            Proto::Resp3 => "?protocol=resp3",
        };
        format!("redis://{auth}127.0.0.1:{}/{q}", self.port)
    }

    /// A `redis` crate connection speaking `proto` (RESP3 sends `HELLO 3` when connecting).
    pub fn client(&self, proto: Proto) -> redis::Connection {
        let client = redis::Client::open(self.url(proto)).expect("redis::Client::open");
        let con = client.get_connection_with_timeout(Duration::from_secs(10)).unwrap_or_else(|e| {
            panic!("connect with the redis crate ({proto:?}): {e}; log:\n{}", self.log())
        });
        con.set_read_timeout(Some(READ_TIMEOUT)).expect("set_read_timeout");
        con.set_write_timeout(Some(READ_TIMEOUT)).expect("set_write_timeout");
        con
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let Some(mut child) = self.child.take() else {
            return;
        };
        let exited = child.try_wait().ok().flatten();
        let _ = child.kill();
        let _ = child.wait();
        if std::thread::panicking() {
            eprintln!(
                "---- server log ({}, port {}, dir {}; FERRODIS_IT_KEEP=1 keeps it) ----\n{}---- end of server log ----",
                self.bin.display(),
                self.port,
                self.dir.path().display(),
                tail(&self.log(), 200)
            );
        } else if let Some(status) = exited {
            panic!(
                "the server exited on its own during the test ({status}); log:\n{}",
                tail(&self.log(), 200)
            );
        }
    }
}

fn tail(text: &str, lines: usize) -> String {
    let all: Vec<&str> = text.lines().collect();
    let start = all.len().saturating_sub(lines);
    let mut out = String::new();
    for l in &all[start..] {
        let _ = writeln!(out, "{l}");
    }
    out
}

/// The RESP version a `redis` crate client speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Proto {
    Resp2,
    Resp3,
}

/// Both protocol versions, for tests that must behave the same in each.
pub const BOTH: [Proto; 2] = [Proto::Resp2, Proto::Resp3];

/// Runs a `redis` command and returns the error text as Redis sent it (`"ERR syntax error"`),
/// failing the test if the command succeeded.
pub fn error_text(con: &mut redis::Connection, args: &[&str]) -> String {
    let mut c = redis::cmd(args[0]);
    for a in &args[1..] {
        c.arg(*a);
    }
    match c.query::<redis::Value>(con) {
        Ok(v) => panic!("{args:?} succeeded with {v:?}; expected an error"),
        Err(e) => redis_error_text(&e),
    }
}

/// `CODE detail` of a server error from the `redis` crate.
pub fn redis_error_text(e: &redis::RedisError) -> String {
    match (e.code(), e.detail()) {
        (Some(code), Some(detail)) => format!("{code} {detail}"),
        (Some(code), None) => code.to_string(),
        _ => format!("(not a server error) {e}"),
    }
}

/// Runs a command through the `redis` crate and returns the raw value.
pub fn query(con: &mut redis::Connection, args: &[&str]) -> redis::Value {
    let mut c = redis::cmd(args[0]);
    for a in &args[1..] {
        c.arg(*a);
    }
    c.query::<redis::Value>(con).unwrap_or_else(|e| panic!("{args:?} failed: {e}"))
}

// ---------------------------------------------------------------------------------------------
// Raw RESP client
// ---------------------------------------------------------------------------------------------

trait Stream: Read + Write + Send {
    fn set_timeout(&self, d: Option<Duration>);
    fn shutdown_write(&self);
}

impl Stream for TcpStream {
    fn set_timeout(&self, d: Option<Duration>) {
        let _ = self.set_read_timeout(d);
    }
    fn shutdown_write(&self) {
        let _ = self.shutdown(Shutdown::Write);
    }
}

impl Stream for UnixStream {
    fn set_timeout(&self, d: Option<Duration>) {
        let _ = self.set_read_timeout(d);
    }
    fn shutdown_write(&self) {
        let _ = self.shutdown(Shutdown::Write);
    }
}

/// A client that sends bytes and reads exact reply bytes, for protocol edges.
pub struct Raw {
    stream: Box<dyn Stream>,
    buf: Vec<u8>,
}

impl Raw {
    pub fn connect(port: u16) -> Raw {
        let s = TcpStream::connect(("127.0.0.1", port))
            .unwrap_or_else(|e| panic!("connect 127.0.0.1:{port}: {e}"));
        let _ = s.set_nodelay(true);
        s.set_timeout(Some(READ_TIMEOUT));
        Raw { stream: Box::new(s), buf: Vec::new() }
    }

    pub fn connect_unix(path: &Path) -> Raw {
        let s =
            UnixStream::connect(path).unwrap_or_else(|e| panic!("connect {}: {e}", path.display()));
        s.set_timeout(Some(READ_TIMEOUT));
        Raw { stream: Box::new(s), buf: Vec::new() }
    }

    pub fn set_read_timeout(&mut self, d: Duration) {
        self.stream.set_timeout(Some(d));
    }

    pub fn send(&mut self, bytes: &[u8]) {
        self.stream.write_all(bytes).unwrap_or_else(|e| panic!("write {}: {e}", show(bytes)));
    }

    /// Sends a command as a multibulk request and returns its reply's raw bytes.
    pub fn cmd(&mut self, args: &[&[u8]]) -> Vec<u8> {
        self.send(&multibulk(args));
        self.read_reply()
    }

    /// Like [`Raw::cmd`] with string arguments.
    pub fn cmd_str(&mut self, args: &[&str]) -> Vec<u8> {
        let a: Vec<&[u8]> = args.iter().map(|s| s.as_bytes()).collect();
        self.cmd(&a)
    }

    /// Sends a command and parses its reply.
    pub fn frame(&mut self, args: &[&str]) -> Frame {
        let a: Vec<&[u8]> = args.iter().map(|s| s.as_bytes()).collect();
        self.send(&multibulk(&a));
        self.read_frame()
    }

    /// Reads more bytes into the buffer; panics on timeout or EOF.
    fn fill(&mut self, what: &str) {
        let mut chunk = vec![0u8; 256 * 1024];
        match self.stream.read(&mut chunk) {
            Ok(0) => panic!(
                "connection closed while waiting for {what}; received so far: {}",
                show(&self.buf)
            ),
            Ok(n) => self.buf.extend_from_slice(&chunk[..n]),
            Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {
                panic!("timed out waiting for {what}; received so far: {}", show(&self.buf))
            }
            Err(e) => panic!(
                "read error while waiting for {what}: {e}; received so far: {}",
                show(&self.buf)
            ),
        }
    }

    /// Reads one complete reply and returns its bytes.
    pub fn read_reply(&mut self) -> Vec<u8> {
        loop {
            match parse_frame(&self.buf, 0) {
                Ok(Some((_, n))) => return self.buf.drain(..n).collect(),
                Ok(None) => self.fill("a reply"),
                Err(e) => panic!("malformed reply ({e}): {}", show(&self.buf)),
            }
        }
    }

    /// Reads one complete reply and parses it.
    pub fn read_frame(&mut self) -> Frame {
        let bytes = self.read_reply();
        parse_frame(&bytes, 0).expect("reparse").expect("complete").0
    }

    /// Reads exactly `expected.len()` bytes and asserts they are `expected`.
    pub fn expect(&mut self, expected: &[u8]) {
        while self.buf.len() < expected.len() {
            if !expected.starts_with(&self.buf) {
                break;
            }
            self.fill(&show(expected));
        }
        let n = expected.len().min(self.buf.len());
        let got: Vec<u8> = self.buf.drain(..n).collect();
        assert!(
            got == expected,
            "unexpected reply bytes\n  expected: {}\n       got: {}",
            show(expected),
            show(&got)
        );
    }

    /// Asserts that nothing more arrives within `wait` (the connection stays open and silent).
    pub fn expect_silence(&mut self, wait: Duration) {
        assert!(self.buf.is_empty(), "unexpected bytes: {}", show(&self.buf));
        self.stream.set_timeout(Some(wait));
        let mut b = [0u8; 4096];
        match self.stream.read(&mut b) {
            Ok(0) => panic!("the server closed the connection; expected it to stay open"),
            Ok(n) => panic!("expected no reply, got {}", show(&b[..n])),
            Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {}
            Err(e) => panic!("read error: {e}"),
        }
        self.stream.set_timeout(Some(READ_TIMEOUT));
    }

    /// Asserts that the server closes the connection (EOF or reset) with nothing more sent.
    pub fn expect_closed(&mut self) {
        assert!(self.buf.is_empty(), "unexpected bytes before close: {}", show(&self.buf));
        let mut b = [0u8; 4096];
        let deadline = Instant::now() + READ_TIMEOUT;
        loop {
            match self.stream.read(&mut b) {
                Ok(0) => return,
                Ok(n) => panic!("expected the connection to close, got {}", show(&b[..n])),
                Err(e) if e.kind() == ErrorKind::ConnectionReset => return,
                Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {
                    panic!("the server did not close the connection within {READ_TIMEOUT:?}")
                }
                Err(e) if e.kind() == ErrorKind::Interrupted && Instant::now() < deadline => {
                    continue
                }
                Err(e) => panic!("read error while waiting for close: {e}"),
            }
        }
    }

    /// Half-closes the connection (no more requests).
    pub fn shutdown_write(&mut self) {
        self.stream.shutdown_write();
    }
}

/// Encodes a request as a RESP multibulk.
pub fn multibulk(args: &[&[u8]]) -> Vec<u8> {
    let mut out = format!("*{}\r\n", args.len()).into_bytes();
    for a in args {
        out.extend_from_slice(format!("${}\r\n", a.len()).as_bytes());
        out.extend_from_slice(a);
        out.extend_from_slice(b"\r\n");
    }
    out
}

/// Printable form of bytes (like Python's `repr` of a bytes object), shortened when long.
pub fn show(bytes: &[u8]) -> String {
    const MAX: usize = 400;
    let mut s = String::from("b\"");
    for &b in bytes.iter().take(MAX) {
        match b {
            b'\r' => s.push_str("\\r"),
            b'\n' => s.push_str("\\n"),
            b'\t' => s.push_str("\\t"),
            b'"' => s.push_str("\\\""),
            b'\\' => s.push_str("\\\\"),
            0x20..=0x7e => s.push(b as char),
            _ => {
                let _ = write!(s, "\\x{b:02x}");
            }
        }
    }
    s.push('"');
    if bytes.len() > MAX {
        let _ = write!(s, "... ({} bytes in all)", bytes.len());
    }
    s
}

/// One RESP2/RESP3 reply, keeping the distinctions that matter on the wire (`$-1` vs `_`).
#[derive(Debug, Clone, PartialEq)]
pub enum Frame {
    Simple(String),
    Error(String),
    Int(i64),
    Bulk(Vec<u8>),
    /// RESP2 `$-1`.
    NullBulk,
    /// RESP2 `*-1`.
    NullArray,
    /// RESP3 `_`.
    Null,
    Array(Vec<Frame>),
    Map(Vec<(Frame, Frame)>),
    Set(Vec<Frame>),
    Push(Vec<Frame>),
    /// RESP3 `,` (kept as text: the exact digits matter).
    Double(String),
    Bool(bool),
    /// RESP3 `=`: format and text.
    Verbatim(String, Vec<u8>),
    BigNumber(String),
}

/// The version a Redis 7.x reference reports in HELLO 3 (panics when it is not 7.x). The
/// connection is left in RESP3.
pub fn reference_version(raw: &mut Raw) -> String {
    let Frame::Map(hello) = raw.frame(&["HELLO", "3"]) else { panic!("reference HELLO 3") };
    let version = hello
        .iter()
        .find(|(k, _)| *k == Frame::bulk("version"))
        .map(|(_, v)| match v {
            Frame::Bulk(b) => String::from_utf8_lossy(b).into_owned(),
            Frame::Simple(s) => s.clone(),
            other => panic!("HELLO version: {other:?}"),
        })
        .expect("reference HELLO has a version");
    assert!(version.starts_with("7."), "the reference must be Redis 7.x, got {version}");
    version
}

impl Frame {
    /// A bulk string frame.
    pub fn bulk(s: &str) -> Frame {
        Frame::Bulk(s.as_bytes().to_vec())
    }
}

/// Parses one reply at `buf[at..]`: `Ok(None)` when incomplete, else the frame and the index
/// just past it (relative to the start of `buf`).
pub fn parse_frame(buf: &[u8], at: usize) -> Result<Option<(Frame, usize)>, String> {
    let Some(rel) = buf[at..].windows(2).position(|w| w == b"\r\n") else {
        return Ok(None);
    };
    if rel == 0 {
        return Err("empty line".into());
    }
    let line = &buf[at + 1..at + rel];
    let text = || String::from_utf8_lossy(line).into_owned();
    let int = || -> Result<i64, String> {
        text().parse::<i64>().map_err(|_| format!("bad integer {:?}", text()))
    };
    let mut pos = at + rel + 2;
    let frame = match buf[at] {
        b'+' => Frame::Simple(text()),
        b'-' => Frame::Error(text()),
        b':' => Frame::Int(int()?),
        b',' => Frame::Double(text()),
        b'(' => Frame::BigNumber(text()),
        b'#' => match line {
            b"t" => Frame::Bool(true),
            b"f" => Frame::Bool(false),
            _ => return Err(format!("bad boolean {:?}", text())),
        },
        b'_' => {
            if !line.is_empty() {
                return Err("bad null".into());
            }
            Frame::Null
        }
        b'$' | b'=' | b'!' => {
            let n = int()?;
            if n < 0 {
                if buf[at] != b'$' || n != -1 {
                    return Err(format!("bad length {n}"));
                }
                Frame::NullBulk
            } else {
                let n = n as usize;
                if buf.len() < pos + n + 2 {
                    return Ok(None);
                }
                if &buf[pos + n..pos + n + 2] != b"\r\n" {
                    return Err("bulk not terminated by CRLF".into());
                }
                let data = buf[pos..pos + n].to_vec();
                pos += n + 2;
                match buf[at] {
                    b'$' => Frame::Bulk(data),
                    b'!' => Frame::Error(String::from_utf8_lossy(&data).into_owned()),
                    _ => {
                        if data.len() < 4 || data[3] != b':' {
                            return Err("verbatim string without a format".into());
                        }
                        Frame::Verbatim(
                            String::from_utf8_lossy(&data[..3]).into_owned(),
                            data[4..].to_vec(),
                        )
                    }
                }
            }
        }
        b'*' | b'~' | b'>' | b'%' => {
            let n = int()?;
            if n < 0 {
                if buf[at] != b'*' || n != -1 {
                    return Err(format!("bad aggregate length {n}"));
                }
                Frame::NullArray
            } else {
                let count = if buf[at] == b'%' { n as usize * 2 } else { n as usize };
                let mut items = Vec::with_capacity(count.min(4096));
                for _ in 0..count {
                    match parse_frame(buf, pos)? {
                        None => return Ok(None),
                        Some((f, next)) => {
                            items.push(f);
                            pos = next;
                        }
                    }
                }
                match buf[at] {
                    b'*' => Frame::Array(items),
                    b'~' => Frame::Set(items),
                    b'>' => Frame::Push(items),
                    _ => {
                        let mut pairs = Vec::with_capacity(items.len() / 2);
                        let mut it = items.into_iter();
                        while let (Some(k), Some(v)) = (it.next(), it.next()) {
                            pairs.push((k, v));
                        }
                        Frame::Map(pairs)
                    }
                }
            }
        }
        other => return Err(format!("unknown reply type byte {:?}", other as char)),
    };
    Ok(Some((frame, pos)))
}

// ---------------------------------------------------------------------------------------------
// External tools
// ---------------------------------------------------------------------------------------------

/// The full path of `tool` on PATH; fails the test (does not skip) when it is missing.
pub fn require_tool(tool: &str, package: &str) -> PathBuf {
    let path = std::env::var_os("PATH").unwrap_or_default();
    for dir in std::env::split_paths(&path) {
        let candidate = dir.join(tool);
        if candidate.is_file() {
            return candidate;
        }
    }
    panic!(
        "{tool} is not on PATH: this test needs it (Debian: apt-get install -y {package}). \
         It is a required test tool, so the test fails rather than skips."
    );
}

/// Runs a command with a time limit; returns (exit code, stdout, stderr).
pub fn run_with_timeout(cmd: &mut Command, limit: Duration) -> (Option<i32>, String, String) {
    let mut child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("spawn {cmd:?}: {e}"));
    let mut out = child.stdout.take().expect("stdout");
    let mut err = child.stderr.take().expect("stderr");
    let t_out = std::thread::spawn(move || {
        let mut s = Vec::new();
        let _ = out.read_to_end(&mut s);
        s
    });
    let t_err = std::thread::spawn(move || {
        let mut s = Vec::new();
        let _ = err.read_to_end(&mut s);
        s
    });
    let deadline = Instant::now() + limit;
    let status = loop {
        if let Some(st) = child.try_wait().expect("try_wait") {
            break st;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            let o = t_out.join().unwrap_or_default();
            let e = t_err.join().unwrap_or_default();
            panic!(
                "{cmd:?} did not finish within {limit:?}\nstdout: {}\nstderr: {}",
                String::from_utf8_lossy(&o),
                String::from_utf8_lossy(&e)
            );
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let o = t_out.join().unwrap_or_default();
    let e = t_err.join().unwrap_or_default();
    (
        status.code(),
        String::from_utf8_lossy(&o).into_owned(),
        String::from_utf8_lossy(&e).into_owned(),
    )
}

/// Backs `assert_reply!`: compares bytes and fails with both sides shown as escaped text.
#[track_caller]
pub fn check_bytes(got: impl AsRef<[u8]>, want: impl AsRef<[u8]>, ctx: std::fmt::Arguments<'_>) {
    let (got, want) = (got.as_ref(), want.as_ref());
    if got != want {
        panic!("reply mismatch {ctx}\n  expected: {}\n       got: {}", show(want), show(got));
    }
}
