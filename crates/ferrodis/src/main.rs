//! `ferrodis-server [configfile] [--directive value ...]`: starts Ferrodis like redis-server.

use std::sync::Arc;

#[global_allocator]
static GLOBAL: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (mut settings, config_file) = match ferrodis_server::config_bridge::settings_from_args(&args) {
        Ok(x) => x,
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(1);
        }
    };
    ferrodis_server::process::daemonize_if_needed(&settings);
    settings.maxclients = ferrodis_server::process::adjust_open_files_limit(settings.maxclients);
    ferrodis_server::process::write_pidfile(&settings);
    let shared = match ferrodis_server::server::Shared::new(settings, config_file) {
        Ok(s) => Arc::new(s),
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(1);
        }
    };
    let threads = std::thread::available_parallelism().map_or(2, |n| n.get());
    let runtime = match tokio::runtime::Builder::new_multi_thread().worker_threads(threads).enable_all().build() {
        Ok(r) => r,
        Err(e) => {
            eprintln!("cannot start the runtime: {e}");
            std::process::exit(1);
        }
    };
    let code = runtime.block_on(ferrodis_server::server::run(shared));
    runtime.shutdown_timeout(std::time::Duration::from_millis(200));
    std::process::exit(code);
}
