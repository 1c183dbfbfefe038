//! The server: shared state, listeners, the accept loop, the background cron and shutdown.
//!
//! Threading (see docs/ARCHITECTURE.md): a multi-threaded tokio runtime with one worker per
//! core runs the connection tasks; each task executes its commands inline, locking only the
//! keyspace shards the command touches. There is no data-owner thread and no cross-thread hop
//! on the command path.

use crate::client::{ClientHandle, ClientInfo, ClientRegistry, ClientState, ReplyMode};
use crate::stats::{Slowlog, Stats};
use crate::table::CommandTable;
use crate::{commands, connection, log};
use ferrodis_keyspace::{clock, Keyspace};
use ferrodis_resp::RespVersion;
use parking_lot::Mutex;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::io::AsyncWriteExt;
use tokio::net::{TcpListener, UnixListener};
use tokio::sync::Notify;

/// The Redis version Ferrodis reports (HELLO, INFO `redis_version`): the compatibility level
/// clients gate features on.
pub const REDIS_VERSION: &str = "7.2.4";

/// Ferrodis's own version (INFO `ferrodis_version`).
pub const FERRODIS_VERSION: &str = env!("CARGO_PKG_VERSION");

/// State shared by every connection and background task.
pub struct Shared {
    /// All databases.
    pub keyspace: Keyspace,
    /// The command table.
    pub table: CommandTable,
    /// Typed snapshot of the enforced configuration.
    pub settings: crate::settings::SettingsCell,
    /// The full directive table (CONFIG GET/SET/REWRITE).
    pub config: Mutex<ferrodis_config::Config>,
    /// Server statistics.
    pub stats: Stats,
    /// The slow log.
    pub slowlog: Slowlog,
    /// Connected clients.
    pub clients: ClientRegistry,
    /// Clients blocked on keys (BLPOP ...).
    pub blocking: crate::blocking::Blocking,
    /// Keys watched by clients (WATCH).
    pub watches: crate::multi::WatchRegistry,
    /// Pub/sub channels, patterns and shard channels with their subscribers.
    pub pubsub: crate::pubsub::PubSub,
    /// When the server started.
    pub started: Instant,
    /// Unix milliseconds at start.
    pub started_ms: u64,
    /// 40 random hex characters identifying this run (INFO `run_id`).
    pub run_id: String,
    /// Set once shutdown has begun.
    pub shutting_down: AtomicBool,
    /// Wakes the main task to shut down.
    pub shutdown: Notify,
    /// Exit code for the process once shut down.
    pub exit_code: AtomicU64,
    /// TCP port actually bound (INFO `tcp_port`).
    pub tcp_port: AtomicU64,
    /// Unix milliseconds until which clients are paused (CLIENT PAUSE), and whether only
    /// writes are paused.
    pub pause: Mutex<Option<(u64, bool)>>,
    /// Path of the config file, if one was given (INFO `config_file`, CONFIG REWRITE).
    pub config_file: Option<String>,
    /// The Lua script cache (EVAL, EVALSHA, SCRIPT).
    pub scripts: crate::scripting::ScriptCache,
    /// Keyspace notifications (`notify-keyspace-events`).
    pub notify: crate::notify::Notifier,
    /// Client-side caching (CLIENT TRACKING).
    pub tracking: crate::tracking::Tracking,
    /// Which shards scripts lock, and the one-script-at-a-time lane.
    pub script_locks: crate::script_locks::ScriptLocks,
}

impl Shared {
    /// Builds the shared state from a loaded configuration.
    pub fn new(config: ferrodis_config::Config) -> Result<Shared, String> {
        let settings = crate::config_bridge::settings_from(&config);
        let config_file = config.config_file().map(|p| p.display().to_string());
        let table = CommandTable::new(commands::all_specs(), &settings.renamed_commands)?;
        // Enough shards that two multi-key commands (MSET of 10 random keys) running on
        // different cores rarely want the same shard: with 16 shards they nearly always
        // collided and waited on each other; 64 per core keeps the collision odds low while
        // lock-all commands (FLUSHALL, KEYS, INFO) still take only microseconds.
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        let shards = (cores * 64).clamp(64, 1024);
        let keyspace = Keyspace::new(settings.databases, shards);
        let slowlog = Slowlog::default();
        slowlog.configure(settings.slowlog_log_slower_than_us, settings.slowlog_max_len);
        let run_id: String = (0..40).map(|_| format!("{:x}", rand::random::<u8>() % 16)).collect();
        let notify_flags = settings.notify_keyspace_events;
        let shared = Shared {
            keyspace,
            table,
            settings: crate::settings::SettingsCell::new(settings),
            config: Mutex::new(config),
            stats: Stats::default(),
            slowlog,
            clients: ClientRegistry::default(),
            blocking: Default::default(),
            watches: Default::default(),
            pubsub: Default::default(),
            started: Instant::now(),
            started_ms: clock::now_ms(),
            run_id,
            shutting_down: AtomicBool::new(false),
            shutdown: Notify::new(),
            exit_code: AtomicU64::new(0),
            tcp_port: AtomicU64::new(0),
            pause: Mutex::new(None),
            config_file,
            scripts: crate::scripting::ScriptCache::default(),
            notify: Default::default(),
            tracking: Default::default(),
            script_locks: Default::default(),
        };
        shared.notify.configure(&shared.keyspace, notify_flags);
        Ok(shared)
    }

    /// Starts shutdown: the main task stops accepting, closes clients and exits.
    pub fn request_shutdown(&self) {
        self.shutting_down.store(true, Ordering::SeqCst);
        self.shutdown.notify_one();
    }

    /// Seconds since start.
    pub fn uptime_secs(&self) -> u64 {
        self.started.elapsed().as_secs()
    }
}

/// Runs the server until shutdown; returns the process exit code.
pub async fn run(shared: Arc<Shared>) -> i32 {
    let settings = shared.settings.read().clone();
    let mut bound_any = false;
    if settings.port != 0 {
        for addr in &settings.bind {
            let (optional, addr) = match addr.strip_prefix('-') {
                Some(rest) => (true, rest),
                None => (false, addr.as_str()),
            };
            match bind_tcp(addr, settings.port, settings.tcp_backlog) {
                Ok(listener) => {
                    bound_any = true;
                    shared.tcp_port.store(u64::from(settings.port), Ordering::Relaxed);
                    tokio::spawn(accept_tcp(shared.clone(), listener));
                }
                Err(e) if optional => {
                    log::verbose(&format!("Skipping optional bind {addr}:{}: {e}", settings.port));
                }
                Err(e) => {
                    log::warning(&format!(
                        "Warning: Could not create server TCP listening socket {addr}:{}: {e}",
                        settings.port
                    ));
                    log::warning(&format!(
                        "Failed listening on port {} (tcp), aborting.",
                        settings.port
                    ));
                    return 1;
                }
            }
        }
    }
    if let Some(path) = &settings.unixsocket {
        let _ = std::fs::remove_file(path);
        match UnixListener::bind(path) {
            Ok(listener) => {
                if settings.unixsocketperm != 0 {
                    use std::os::unix::fs::PermissionsExt;
                    let _ = std::fs::set_permissions(
                        path,
                        std::fs::Permissions::from_mode(settings.unixsocketperm),
                    );
                }
                bound_any = true;
                tokio::spawn(accept_unix(shared.clone(), listener, path.clone()));
            }
            Err(e) => {
                log::warning(&format!("Failed opening Unix socket: {e}"));
                return 1;
            }
        }
    }
    if !bound_any {
        log::warning("Configured to not listen anywhere, exiting.");
        return 1;
    }
    tokio::spawn(cron(shared.clone()));
    let tcp = if settings.port != 0 { " tcp" } else { "" };
    let unix = if settings.unixsocket.is_some() { " unix" } else { "" };
    log::notice(&format!("Ready to accept connections{tcp}{unix}"));
    crate::process::notify_ready(&settings);

    let mut sigterm =
        tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()).ok();
    tokio::select! {
        _ = shared.shutdown.notified() => {}
        _ = tokio::signal::ctrl_c() => {
            log::warning("Received SIGINT scheduling shutdown...");
        }
        _ = async { match sigterm.as_mut() { Some(s) => { s.recv().await; } None => std::future::pending::<()>().await } } => {
            log::warning("Received SIGTERM scheduling shutdown...");
        }
    }
    shared.shutting_down.store(true, Ordering::SeqCst);
    // A running script (even one that wrote) stops at its next hook (SHUTDOWN NOSAVE).
    shared.scripts.abort();
    log::warning("User requested shutdown...");
    for c in shared.clients.all() {
        c.kill();
    }
    if let Some(path) = &settings.unixsocket {
        log::notice("Removing the unix socket file.");
        let _ = std::fs::remove_file(path);
    }
    if let Some(pidfile) = &settings.pidfile {
        log::notice("Removing the pid file.");
        let _ = std::fs::remove_file(pidfile);
    }
    log::warning("Ferrodis is now ready to exit, bye bye...");
    shared.exit_code.load(Ordering::SeqCst) as i32
}

fn bind_tcp(addr: &str, port: u16, backlog: u32) -> std::io::Result<TcpListener> {
    use socket2::{Domain, Socket, Type};
    let ip = match addr {
        "*" => "0.0.0.0",
        "::*" => "::",
        other => other,
    };
    let sockaddr: SocketAddr =
        format!("{}:{port}", if ip.contains(':') { format!("[{ip}]") } else { ip.to_string() })
            .parse()
            .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidInput, format!("{e}")))?;
    let socket = Socket::new(Domain::for_address(sockaddr), Type::STREAM, None)?;
    socket.set_reuse_address(true)?;
    if sockaddr.is_ipv6() {
        socket.set_only_v6(true)?;
    }
    socket.set_nonblocking(true)?;
    socket.bind(&sockaddr.into())?;
    socket.listen(backlog.min(i32::MAX as u32) as i32)?;
    TcpListener::from_std(socket.into())
}

async fn accept_tcp(shared: Arc<Shared>, listener: TcpListener) {
    loop {
        let (stream, peer) = match listener.accept().await {
            Ok(x) => x,
            Err(e) => {
                log::warning(&format!("Accepting client connection: {e}"));
                tokio::time::sleep(Duration::from_millis(10)).await;
                continue;
            }
        };
        if shared.shutting_down.load(Ordering::Relaxed) {
            return;
        }
        let _ = stream.set_nodelay(true);
        let keepalive = shared.settings.read().tcp_keepalive_secs;
        if keepalive > 0 {
            let sock = socket2::SockRef::from(&stream);
            let ka = socket2::TcpKeepalive::new()
                .with_time(Duration::from_secs(keepalive))
                .with_interval(Duration::from_secs((keepalive / 3).max(1)));
            let _ = sock.set_tcp_keepalive(&ka);
        }
        let local = stream.local_addr().map(|a| a.to_string()).unwrap_or_default();
        use std::os::fd::AsRawFd;
        let fd = i64::from(stream.as_raw_fd());
        let is_local = peer.ip().is_loopback();
        let shared2 = shared.clone();
        tokio::spawn(async move {
            start_client(
                shared2,
                stream.into_split(),
                peer.to_string(),
                local,
                fd,
                is_local,
                false,
            )
            .await;
        });
    }
}

async fn accept_unix(shared: Arc<Shared>, listener: UnixListener, path: String) {
    loop {
        let (stream, _) = match listener.accept().await {
            Ok(x) => x,
            Err(e) => {
                log::warning(&format!("Accepting client connection: {e}"));
                tokio::time::sleep(Duration::from_millis(10)).await;
                continue;
            }
        };
        if shared.shutting_down.load(Ordering::Relaxed) {
            return;
        }
        use std::os::fd::AsRawFd;
        let fd = i64::from(stream.as_raw_fd());
        let shared2 = shared.clone();
        let laddr = path.clone();
        tokio::spawn(async move {
            // Redis prints both ends of a Unix-socket client as `<path>:0` in CLIENT LIST.
            let addr = format!("{laddr}:0");
            start_client(shared2, stream.into_split(), addr.clone(), addr, fd, true, true).await;
        });
    }
}

/// Message for a non-local client refused by protected mode (Redis 7.2 `networking.c`).
const PROTECTED_MODE_ERROR: &str = "-DENIED Redis is running in protected mode because protected mode is enabled and no password is set for the default user. In this mode connections are only accepted from the loopback interface. If you want to connect from external computers to Redis you may adopt one of the following solutions: 1) Just disable protected mode sending the command 'CONFIG SET protected-mode no' from the loopback interface by connecting to Redis from the same host the server is running, however MAKE SURE Redis is not publicly accessible from internet if you do so. Use CONFIG REWRITE to make this change permanent. 2) Alternatively you can just disable the protected mode by editing the Redis configuration file, and setting the protected mode option to 'no', and then restarting the server. 3) If you started the server manually just for testing, restart it with the '--protected-mode no' option. 4) Set up an authentication password for the default user. NOTE: You only need to do one of the above things in order for the server to start accepting connections from the outside.\r\n";

async fn start_client<R, W>(
    shared: Arc<Shared>,
    (reader, mut stream): (R, W),
    addr: String,
    laddr: String,
    fd: i64,
    is_local: bool,
    is_unix: bool,
) where
    R: tokio::io::AsyncRead + Unpin,
    W: tokio::io::AsyncWrite + Unpin,
{
    let (maxclients, protected, needs_auth) = {
        let s = shared.settings.read();
        (s.maxclients, s.protected_mode, s.requirepass.is_some())
    };
    if shared.clients.len() >= maxclients {
        shared.clients.rejected_connections.fetch_add(1, Ordering::Relaxed);
        let _ = stream.write_all(b"-ERR max number of clients reached\r\n").await;
        return;
    }
    if protected && !needs_auth && !is_local {
        let _ = stream.write_all(PROTECTED_MODE_ERROR.as_bytes()).await;
        return;
    }
    let client = new_client(&shared, addr, laddr, fd, is_unix, !needs_auth);
    let handle = client.handle.clone();
    client.publish_info(0, 0);
    shared.clients.register(handle);
    connection::serve(shared, reader, stream, client).await;
}

/// Creates the state of a new client and its shared handle (not yet registered).
pub fn new_client(
    shared: &Shared,
    addr: String,
    laddr: String,
    fd: i64,
    is_unix: bool,
    authenticated: bool,
) -> ClientState {
    let id = shared.clients.next_id();
    let now = clock::now_ms();
    let handle = Arc::new(ClientHandle {
        id,
        kill: AtomicBool::new(false),
        wake: Notify::new(),
        info: Mutex::new(ClientInfo { redir: -1, ..ClientInfo::default() }),
        last_interaction_ms: AtomicU64::new(now),
        dirty_cas: AtomicBool::new(false),
        obuf: Default::default(),
        push: Default::default(),
    });
    ClientState {
        id,
        db: 0,
        resp: RespVersion::Resp2,
        name: None,
        lib_name: None,
        lib_ver: None,
        identity_changed: std::cell::Cell::new(true),
        authenticated,
        user: "default".into(),
        close_after_reply: false,
        reply_mode: ReplyMode::On,
        no_evict: false,
        no_touch: false,
        addr,
        laddr,
        fd,
        created_ms: now,
        last_interaction_ms: now,
        clock_hint: None,
        last_cmd: None,
        is_unix,
        monitor: false,
        tot_net_in: 0,
        tot_net_out: 0,
        tot_cmds: 0,
        handle,
        blocked: None,
        deny_blocking: false,
        in_script: false,
        error_already_counted: false,
        multi: None,
        watched: Vec::new(),
        pubsub: Default::default(),
        tracking: None,
    }
}

/// The background task (Redis's `serverCron`): active expiry and idle-client timeouts, `hz`
/// times per second.
async fn cron(shared: Arc<Shared>) {
    let mut shard_cursor = 0usize;
    let mut last_client_check = Instant::now();
    loop {
        let (hz, timeout_secs, effort) = {
            let s = shared.settings.read();
            (s.hz.clamp(1, 500), s.timeout_secs, s.active_expire_effort.clamp(1, 10))
        };
        let period = Duration::from_micros(1_000_000 / u64::from(hz));
        tokio::time::sleep(period).await;
        if shared.shutting_down.load(Ordering::Relaxed) {
            return;
        }
        // Active expiry may use up to 25% of a core (more with a higher effort), in short
        // slices so that no client waits on a shard lock for long.
        // DEBUG SET-ACTIVE-EXPIRE 0 turns it off (Redis's `active_expire_enabled`): keys then
        // expire only when a command touches them.
        if !shared.stats.active_expire_disabled.load(Ordering::Relaxed) {
            let budget = period.mul_f64(0.25 + 0.05 * f64::from(effort - 1));
            let sh = shared.clone();
            let cursor = shard_cursor;
            shard_cursor =
                tokio::task::spawn_blocking(move || active_expire_cycle(&sh, cursor, budget))
                    .await
                    .unwrap_or(0);
        }
        if last_client_check.elapsed() >= Duration::from_secs(1) {
            last_client_check = Instant::now();
            if timeout_secs > 0 {
                let now = clock::now_ms();
                for c in shared.clients.all() {
                    let idle_ms = now.saturating_sub(c.last_interaction_ms.load(Ordering::Relaxed));
                    let exempt = c.info.lock().monitor;
                    if !exempt && idle_ms > timeout_secs * 1000 {
                        log::verbose(&format!("Closing idle client id={}", c.id));
                        c.kill();
                    }
                }
            }
        }
    }
}

/// Runs active expiry over the shards, starting at `start`, for at most `budget`. Keeps going
/// on a shard while more than 10% of the keys examined had expired (Redis's
/// `ACTIVE_EXPIRE_CYCLE_ACCEPTABLE_STALE`). Returns the shard to start from next time.
fn active_expire_cycle(shared: &Shared, start: usize, budget: Duration) -> usize {
    const BUCKETS_PER_SLICE: usize = 64;
    let deadline = Instant::now() + budget;
    let shards = shared.keyspace.shard_count();
    let mut index = start % shards;
    for _ in 0..shards {
        loop {
            let now = clock::now_ms();
            let (examined, expired) = {
                let mut shard = shared.keyspace.lock(index);
                let mut total = (0, 0);
                for db in shard.dbs.iter_mut() {
                    let (e, x) = db.active_expire(now, BUCKETS_PER_SLICE);
                    total.0 += e;
                    total.1 += x;
                }
                if total.1 > 0 {
                    // `expired` events and tracking invalidations, sent while the shard is
                    // held (as Redis does inside its cycle), so they precede any later write
                    // to those keys.
                    crate::notify::publish_recorded(shared, &mut shard);
                }
                total
            };
            if Instant::now() >= deadline {
                shared.tracking.broadcast(shared);
                return index;
            }
            if examined == 0 || expired * 10 <= examined {
                break;
            }
        }
        index = (index + 1) % shards;
    }
    // Keys reclaimed for BCAST tracking clients, as Redis's next `beforeSleep`.
    shared.tracking.broadcast(shared);
    index
}
