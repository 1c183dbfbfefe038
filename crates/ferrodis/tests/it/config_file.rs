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
fn io_threads_sets_the_number_of_worker_threads() {
    // Ferrodis runs `io-threads` worker threads when the config sets it (Redis: threads for
    // socket I/O), over FERRODIS_WORKER_THREADS (which the harness sets to 2).
    if crate::support::reference_server().is_some() {
        return;
    }
    for n in ["1", "3"] {
        let server = Server::builder().arg("io-threads", &[n]).start();
        let line = format!("Executing commands on {n} worker thread(s)");
        assert!(server.log().contains(&line), "{}", server.log());
        assert_eq!(worker_thread_count(&server).to_string(), n);
    }
    let server = Server::start();
    assert!(server.log().contains("Executing commands on 2 worker thread(s)"), "{}", server.log());
    assert_eq!(worker_thread_count(&server), 2);
}

#[test]
fn one_worker_thread_still_serves_script_kill_during_a_busy_script() {
    // With one worker, a long script hands the worker's core to another thread from its
    // hook, so other clients get BUSY and SCRIPT KILL stops the script.
    let server = Server::builder().arg("io-threads", &["1"]).start();
    let mut admin = server.client(crate::support::Proto::Resp2);
    crate::support::query(&mut admin, &["CONFIG", "SET", "busy-reply-threshold", "50"]);
    let mut runner = server.client(crate::support::Proto::Resp2);
    let looping = std::thread::spawn(move || {
        redis::cmd("EVAL")
            .arg("while true do end")
            .arg(0)
            .query::<redis::Value>(&mut runner)
            .map_err(|e| crate::support::redis_error_text(&e))
    });
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    loop {
        match redis::cmd("PING").query::<redis::Value>(&mut admin) {
            Err(e) if crate::support::redis_error_text(&e).starts_with("BUSY ") => break,
            _ if std::time::Instant::now() > deadline => panic!("the script never became busy"),
            _ => std::thread::sleep(std::time::Duration::from_millis(10)),
        }
    }
    assert_eq!(crate::support::query(&mut admin, &["SCRIPT", "KILL"]), redis::Value::Okay);
    let err = looping.join().unwrap().expect_err("killed");
    assert!(err.starts_with("ERR Script killed by user with SCRIPT KILL..."), "{err}");
    assert_eq!(
        crate::support::query(&mut admin, &["PING"]),
        redis::Value::SimpleString("PONG".into())
    );
}
