//! Smoke tests with Redis's own tools: redis-cli and redis-benchmark (client census §0.12).
//! These are required tools: when one is missing the test fails with the install hint.

use crate::support::{expected_version, require_tool, run_with_timeout, Server};
use std::process::Command;
use std::time::Duration;

const TOOL_TIMEOUT: Duration = Duration::from_secs(120);

fn cli(server: &Server, args: &[&str]) -> String {
    let bin = require_tool("redis-cli", "redis-tools");
    let mut cmd = Command::new(bin);
    cmd.args(["-h", "127.0.0.1", "-p", &server.port().to_string()]).args(args);
    let (code, out, err) = run_with_timeout(&mut cmd, TOOL_TIMEOUT);
    assert_eq!(code, Some(0), "redis-cli {args:?} failed\nstdout: {out}\nstderr: {err}");
    out
}

#[test]
fn redis_cli_set_and_get() {
    let server = Server::start();
    assert_eq!(cli(&server, &["PING"]), "PONG\n");
    assert_eq!(cli(&server, &["set", "a", "b"]), "OK\n");
    // Not a terminal: raw output.
    assert_eq!(cli(&server, &["get", "a"]), "b\n");
    assert_eq!(cli(&server, &["--no-raw", "get", "a"]), "\"b\"\n");
    assert_eq!(cli(&server, &["--no-raw", "get", "nokey"]), "(nil)\n");
    assert_eq!(cli(&server, &["--no-raw", "mget", "a", "nokey"]), "1) \"b\"\n2) (nil)\n");
    assert_eq!(
        cli(&server, &["--no-raw", "incr", "a"]),
        "(error) ERR value is not an integer or out of range\n"
    );
    assert_eq!(cli(&server, &["--no-raw", "dbsize"]), "(integer) 1\n");
}

#[test]
fn redis_cli_resp3_mode() {
    let server = Server::start();
    // -3 sends HELLO 3 first and asserts on the shape of its reply.
    assert_eq!(cli(&server, &["-3", "set", "a", "b"]), "OK\n");
    assert_eq!(cli(&server, &["-3", "--no-raw", "mget", "a", "nokey"]), "1) \"b\"\n2) (nil)\n");
    assert_eq!(cli(&server, &["-3", "--no-raw", "get", "nokey"]), "(nil)\n");
    let hello = cli(&server, &["-3", "--no-raw", "hello", "3"]);
    let lines: Vec<&str> = hello.lines().collect();
    assert_eq!(lines.len(), 7, "HELLO 3 through redis-cli -3:\n{hello}");
    assert_eq!(lines[0], "1# \"server\" => \"redis\"");
    assert_eq!(lines[1], format!("2# \"version\" => \"{}\"", expected_version()));
    assert_eq!(lines[2], "3# \"proto\" => (integer) 3");
    assert!(lines[3].starts_with("4# \"id\" => (integer) "), "{}", lines[3]);
    assert_eq!(lines[4], "5# \"mode\" => \"standalone\"");
    assert_eq!(lines[5], "6# \"role\" => \"master\"");
    assert_eq!(lines[6], "7# \"modules\" => (empty array)");
}

#[test]
fn redis_cli_pipe_mode_transfers_all_commands() {
    let server = Server::start();
    let bin = require_tool("redis-cli", "redis-tools");
    let input = server.dir().join("pipe-input.txt");
    let mut text = String::new();
    for i in 0..100 {
        text.push_str(&format!("SET pipe:{i} {i}\r\n"));
    }
    std::fs::write(&input, text).expect("write pipe input");
    let mut cmd = Command::new("sh");
    cmd.arg("-c").arg(format!(
        "'{}' -h 127.0.0.1 -p {} --pipe < '{}'",
        bin.display(),
        server.port(),
        input.display()
    ));
    let (code, out, err) = run_with_timeout(&mut cmd, TOOL_TIMEOUT);
    assert_eq!(code, Some(0), "redis-cli --pipe failed\nstdout: {out}\nstderr: {err}");
    assert!(out.contains("errors: 0, replies: 100"), "redis-cli --pipe output:\n{out}{err}");
    assert_eq!(cli(&server, &["get", "pipe:99"]), "99\n");
}

/// Runs redis-benchmark; returns (stdout with progress lines split at `\r`, stderr).
fn benchmark(server: &Server, extra: &[&str]) -> (Vec<String>, String) {
    let bin = require_tool("redis-benchmark", "redis-tools");
    let mut cmd = Command::new(bin);
    cmd.args(["-h", "127.0.0.1", "-p", &server.port().to_string(), "-q", "-n", "2000"]).args(extra);
    let (code, out, err) = run_with_timeout(&mut cmd, TOOL_TIMEOUT);
    assert_eq!(code, Some(0), "redis-benchmark {extra:?} failed (it exits on the first error reply)\nstdout: {out}\nstderr: {err}");
    let lines =
        out.split(['\r', '\n']).map(|l| l.trim().to_string()).filter(|l| !l.is_empty()).collect();
    (lines, err)
}

fn assert_reports(lines: &[String], tests: &[&str]) {
    for t in tests {
        let prefix = format!("{t}: ");
        let found = lines.iter().any(|l| {
            l.strip_prefix(&prefix)
                .and_then(|rest| rest.split_whitespace().next())
                .is_some_and(|n| n.parse::<f64>().is_ok_and(|v| v > 0.0))
                && l.contains(" requests per second")
        });
        assert!(found, "redis-benchmark did not report {t}; output lines:\n{}", lines.join("\n"));
    }
}

#[test]
fn redis_benchmark_pipelined_smoke_reports_each_test() {
    let server = Server::start();
    let (lines, _err) = benchmark(&server, &["-t", "ping,set,get,incr,mset", "-P", "16"]);
    assert_reports(&lines, &["PING_INLINE", "PING_MBULK", "SET", "GET", "INCR", "MSET (10 keys)"]);
}

#[test]
fn redis_benchmark_resp3_smoke() {
    let server = Server::start();
    let (lines, _err) = benchmark(&server, &["-3", "-t", "ping,set,get", "-c", "4"]);
    assert_reports(&lines, &["PING_INLINE", "PING_MBULK", "SET", "GET"]);
}

#[test]
fn redis_benchmark_reads_server_config_without_warning() {
    // redis-benchmark starts with `CONFIG GET save` and `CONFIG GET appendonly`; when they fail
    // it prints "WARNING: Could not fetch server CONFIG". Real Redis answers them.
    let server = Server::start();
    let (lines, err) = benchmark(&server, &["-t", "ping", "-n", "100"]);
    assert_reports(&lines, &["PING_INLINE", "PING_MBULK"]);
    assert!(!err.contains("Could not fetch server CONFIG"), "redis-benchmark stderr: {err}");
}
