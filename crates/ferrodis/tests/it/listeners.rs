//! Listeners and connection limits: the Unix socket (`unixsocket`, `unixsocketperm`) and
//! `maxclients`. Reference: Redis 7.2 `server.c` (`listenToPort`, `anetUnixServer`) and
//! `networking.c` (`acceptCommonHandler`).

use crate::support::{Raw, Server};
use std::os::unix::fs::{FileTypeExt, PermissionsExt};
use std::time::{Duration, Instant};

#[test]
fn unix_socket_answers_ping_and_has_the_configured_permissions() {
    let server = Server::builder().unixsocket().arg("unixsocketperm", &["700"]).start();
    let path = server.unixsocket();
    let meta = std::fs::metadata(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    assert!(meta.file_type().is_socket(), "{} is not a socket", path.display());
    let mut c = Raw::connect_unix(path);
    c.send(b"PING\r\n");
    c.expect(b"+PONG\r\n");
    assert_reply!(c.cmd_str(&["SET", "via", "unix"]), b"+OK\r\n");
    // The same keyspace as TCP.
    assert_reply!(server.raw().cmd_str(&["GET", "via"]), b"$4\r\nunix\r\n");
    assert_eq!(meta.permissions().mode() & 0o777, 0o700, "unixsocketperm 700");
    // Both ends of a Unix-socket client print as `<path>:0`, and its flags carry `U`.
    let info = String::from_utf8(c.cmd_str(&["CLIENT", "INFO"])).expect("utf-8");
    let want_addr = format!(" addr={}:0 laddr={}:0 ", path.display(), path.display());
    assert!(info.contains(&want_addr), "CLIENT INFO {info:?} lacks {want_addr:?}");
    assert!(info.contains(" flags=U "), "CLIENT INFO {info:?} lacks flags=U");
}

#[test]
fn unix_socket_works_with_the_redis_crate() {
    let server = Server::builder().unixsocket().start();
    let client = redis::Client::open(format!("redis+unix://{}", server.unixsocket().display()))
        .expect("open");
    let mut con = client.get_connection().expect("connect over the Unix socket");
    let pong: String = redis::cmd("PING").query(&mut con).expect("PING");
    assert_eq!(pong, "PONG");
}

/// Opens a connection and checks it is served (PING answers +PONG).
fn served_connection(server: &Server) -> Option<Raw> {
    let mut c = server.raw();
    c.send(b"PING\r\n");
    let reply = c.read_reply();
    (reply == b"+PONG\r\n").then_some(c)
}

#[test]
fn maxclients_rejects_the_connection_over_the_limit() {
    let server = Server::builder().arg("maxclients", &["2"]).start();
    // The start-up probe's connection may still be counted for a moment.
    let deadline = Instant::now() + Duration::from_secs(3);
    let (c1, c2) = loop {
        let c1 = served_connection(&server);
        let c2 = served_connection(&server);
        if let (Some(a), Some(b)) = (c1, c2) {
            break (a, b);
        }
        assert!(Instant::now() < deadline, "could not get 2 served connections with maxclients 2");
        std::thread::sleep(Duration::from_millis(50));
    };
    let mut c3 = server.raw();
    c3.expect(b"-ERR max number of clients reached\r\n");
    c3.expect_closed();
    // A slot frees up when a client leaves.
    drop(c1);
    let deadline = Instant::now() + Duration::from_secs(3);
    loop {
        if served_connection(&server).is_some() {
            break;
        }
        assert!(Instant::now() < deadline, "no connection accepted after a client left");
        std::thread::sleep(Duration::from_millis(50));
    }
    drop(c2);
}
