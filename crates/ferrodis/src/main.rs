//! `ferrodis-server [configfile] [--directive value ...]`: starts Ferrodis like redis-server.

use ferrodis_server::{config_bridge, log, process, server};
use std::sync::Arc;

#[global_allocator]
static GLOBAL: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if matches!(args.first().map(String::as_str), Some("-v" | "--version")) {
        println!(
            "Ferrodis server v={} (Redis compatible v={}) bits=64",
            server::FERRODIS_VERSION,
            server::REDIS_VERSION
        );
        return;
    }
    if matches!(args.first().map(String::as_str), Some("-h" | "--help")) {
        println!("Usage: ./ferrodis-server [/path/to/redis.conf] [options] [-]");
        println!("       ./ferrodis-server - (read config from stdin)");
        println!("       ./ferrodis-server -v or --version");
        println!("       ./ferrodis-server -h or --help");
        return;
    }
    let config = match config_bridge::load(&args) {
        Ok(c) => c,
        Err(report) => {
            eprint!("{report}");
            if !report.ends_with('\n') {
                eprintln!();
            }
            std::process::exit(1);
        }
    };
    let mut settings = config_bridge::settings_from(&config);
    process::daemonize_if_needed(&settings);
    config_bridge::apply_logging(&settings);
    ferrodis_server::memory::set_background_thread(settings.jemalloc_bg_thread);
    if let Err(e) = std::env::set_current_dir(&settings.dir) {
        log::warning(&format!("Can't chdir to '{}': {e}", settings.dir));
        std::process::exit(1);
    }
    log::notice("oO0OoO0OoO0Oo Ferrodis is starting oO0OoO0OoO0Oo");
    log::notice(&format!(
        "Ferrodis version={}, Redis compatibility={}, bits=64, pid={}, just started",
        server::FERRODIS_VERSION,
        server::REDIS_VERSION,
        std::process::id()
    ));
    if args.is_empty() {
        log::warning("Warning: no config file specified, using the default config. In order to specify a config file use ./ferrodis-server /path/to/redis.conf");
    } else if let Some(path) = config.config_file() {
        log::notice(&format!("Configuration loaded from {}", path.display()));
    } else {
        log::notice("Configuration loaded");
    }
    config_bridge::warn_unenforced(&config);
    settings.maxclients = process::adjust_open_files_limit(settings.maxclients);
    process::write_pidfile(&settings);
    let shared = match server::Shared::new(config) {
        Ok(s) => Arc::new(s),
        Err(e) => {
            log::warning(&e);
            std::process::exit(1);
        }
    };
    shared.settings.write().maxclients = settings.maxclients;
    let threads = worker_threads(&shared);
    log::notice(&format!("Executing commands on {threads} worker thread(s)"));
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(threads)
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            log::warning(&format!("Cannot start the runtime: {e}"));
            std::process::exit(1);
        }
    };
    let code = runtime.block_on(server::run(shared));
    runtime.shutdown_timeout(std::time::Duration::from_millis(200));
    std::process::exit(code);
}

/// How many worker threads run connections and commands: `io-threads` if the config file or
/// command line set it, else `FERRODIS_WORKER_THREADS` if set, else one per core minus one;
/// at least one.
///
/// Leaving a core spare follows Redis's advice for its I/O threads ("leaving at least one
/// spare core"): the kernel's TCP work for the clients costs about as much CPU as executing
/// simple commands, and on small machines the clients often share the host. On the project's
/// 2-core machine one worker beat two on every benchmark row (docs/PERFORMANCE.md): the
/// second worker, the client and the kernel preempted each other, and two workers on one hot
/// key passed its cache lines back and forth. One worker is enough for Redis's semantics too:
/// a script that runs long hands the worker's tokio core to another thread from its hook
/// (`block_in_place`, see `scripting::hook_tick`), which goes on serving the other clients
/// (`BUSY`, SCRIPT KILL, SHUTDOWN NOSAVE).
fn worker_threads(shared: &server::Shared) -> usize {
    if let Some(n) = shared.config.lock().io_threads_explicit() {
        return (n as usize).max(1);
    }
    if let Some(n) = std::env::var("FERRODIS_WORKER_THREADS").ok().and_then(|v| v.parse().ok()) {
        return std::cmp::max(n, 1);
    }
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    cores.saturating_sub(1).max(1)
}
