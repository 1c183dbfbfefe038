//! Start-up configuration as operators use it: a redis.conf file, directives on the command
//! line, rename-command, and Redis's fatal report for a bad file. Reference: Redis 7.2
//! `config.c` (`loadServerConfigFromString`) and the Redis-in-Django production checklist.

use crate::support::{expected_version, server_binary, Frame, Server, TempDir};
use std::process::Command;

/// Debian's stock /etc/redis/redis.conf loads unchanged (only what a test must change is
/// overridden on the command line: it daemonizes and logs to /var/log by default).
#[test]
fn debian_stock_redis_conf_loads_and_serves() {
    let conf = std::path::PathBuf::from("/etc/redis/redis.conf");
    assert!(conf.exists(), "/etc/redis/redis.conf is missing: apt-get install -y redis-server");
    let tmp = TempDir::new("conf");
    let server = Server::builder()
        .config_file(conf)
        .arg("daemonize", &["no"])
        .arg("logfile", &[""])
        .arg("pidfile", &[&tmp.path().join("f.pid").display().to_string()])
        .arg("dir", &[&tmp.path().display().to_string()])
        .arg("save", &[""])
        .start();
    let mut c = server.raw();
    assert_eq!(c.frame(&["PING"]), Frame::Simple("PONG".into()));
    // Values from the stock file itself.
    assert_eq!(
        c.frame(&["CONFIG", "GET", "supervised"]),
        Frame::Array(vec![Frame::Bulk(b"supervised".to_vec()), Frame::Bulk(b"no".to_vec())])
    );
    assert_eq!(
        c.frame(&["CONFIG", "GET", "databases"]),
        Frame::Array(vec![Frame::Bulk(b"databases".to_vec()), Frame::Bulk(b"16".to_vec())])
    );
}

/// `rename-command NAME ""` disables a command and `rename-command NAME NEW` renames it, as the
/// production checklist does for FLUSHALL and CONFIG.
#[test]
fn rename_command_disables_and_renames() {
    let server = Server::builder()
        .arg("rename-command", &["flushall", ""])
        .arg("rename-command", &["CONFIG", "ops-config"])
        .start();
    let mut c = server.raw();
    assert_eq!(
        c.frame(&["FLUSHALL"]),
        Frame::Error("ERR unknown command 'FLUSHALL', with args beginning with: ".into())
    );
    assert_eq!(
        c.frame(&["CONFIG", "GET", "port"]),
        Frame::Error(
            "ERR unknown command 'CONFIG', with args beginning with: 'GET' 'port' ".into()
        )
    );
    assert_eq!(
        c.frame(&["OPS-CONFIG", "GET", "databases"]),
        Frame::Array(vec![Frame::Bulk(b"databases".to_vec()), Frame::Bulk(b"16".to_vec())])
    );
}

/// A bad directive stops start-up with Redis's report naming the line, on standard error,
/// and exit status 1.
#[test]
fn bad_directive_stops_start_up_with_the_fatal_report() {
    let tmp = TempDir::new("badconf");
    let conf = tmp.path().join("bad.conf");
    std::fs::write(&conf, "port 6390\nfoo bar\n").expect("write conf");
    let out = Command::new(server_binary()).arg(&conf).output().expect("run the server");
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        stderr,
        format!(
            "\n*** FATAL CONFIG FILE ERROR (Redis {}) ***\nReading the configuration file, at line 2\n>>> 'foo bar'\nBad directive or wrong number of arguments\n",
            expected_version()
        )
    );
}

/// Threads of the server process named `tokio-rt-worker` (Linux).
fn worker_thread_count(server: &Server) -> usize {
    let tasks = std::fs::read_dir(format!("/proc/{}/task", server.pid())).expect("/proc");
    tasks
        .filter_map(|t| std::fs::read_to_string(t.ok()?.path().join("comm")).ok())
        .filter(|comm| comm.trim() == "tokio-rt-worker")
        .count()
}

#[test]
fn io_threads_sets_the_number_of_worker_threads_at_least_two() {
    // Ferrodis runs `io-threads` worker threads when the config sets it (Redis: threads for
    // socket I/O), and never fewer than two: one must stay free while a script is busy.
    if crate::support::reference_server().is_some() {
        return;
    }
    let server = Server::builder().arg("io-threads", &["3"]).start();
    assert!(server.log().contains("Executing commands on 3 worker thread(s)"), "{}", server.log());
    assert_eq!(worker_thread_count(&server), 3);
    let server = Server::builder().arg("io-threads", &["1"]).start();
    assert!(server.log().contains("Executing commands on 2 worker thread(s)"), "{}", server.log());
    assert_eq!(worker_thread_count(&server), 2);
}
