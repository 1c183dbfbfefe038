//! AUTH, `requirepass` and HELLO ... AUTH (client census §1.1). Reference: Redis 7.2
//! `acl.c` (`authCommand`, `ACLAuthenticateUser`) and `networking.c` (`helloCommand`).

use crate::support::{redis_error_text, text_for_version, Frame, Proto, Server, BOTH};

const WRONGPASS: &[u8] = b"-WRONGPASS invalid username-password pair or user is disabled.\r\n";

fn hello_noauth() -> String {
    format!(
        "-NOAUTH HELLO must be called with the client already authenticated, otherwise the {} option can be used to authenticate the client and select the RESP protocol version at the same time\r\n",
        text_for_version("HELLO <proto> AUTH <user> <pass>", "HELLO AUTH <user> <pass>")
    )
}

fn protected() -> Server {
    Server::builder().requirepass("pw").start()
}

#[test]
fn commands_before_auth_reply_noauth() {
    let server = protected();
    let mut c = server.raw();
    for cmd in [&["GET", "a"][..], &["PING"], &["SET", "a", "b"], &["SELECT", "1"], &["DBSIZE"]] {
        assert_reply!(c.cmd_str(cmd), b"-NOAUTH Authentication required.\r\n", "{cmd:?}");
    }
    c.send(b"PING\r\n");
    c.expect(b"-NOAUTH Authentication required.\r\n");
}

#[test]
fn hello_before_auth_replies_noauth() {
    let server = protected();
    let mut c = server.raw();
    for cmd in [&["HELLO", "3"][..], &["HELLO", "2"], &["HELLO"]] {
        assert_reply!(c.cmd_str(cmd), hello_noauth(), "{cmd:?}");
    }
    // Still unauthenticated and RESP2.
    assert_reply!(c.cmd_str(&["GET", "a"]), b"-NOAUTH Authentication required.\r\n");
}

#[test]
fn auth_with_wrong_password_replies_wrongpass() {
    let server = protected();
    let mut c = server.raw();
    assert_reply!(c.cmd_str(&["AUTH", "wrong"]), WRONGPASS);
    assert_reply!(c.cmd_str(&["AUTH", "default", "wrong"]), WRONGPASS);
    assert_reply!(c.cmd_str(&["AUTH", "nosuchuser", "pw"]), WRONGPASS);
    assert_reply!(c.cmd_str(&["GET", "a"]), b"-NOAUTH Authentication required.\r\n");
}

#[test]
fn auth_with_password_allows_commands() {
    let server = protected();
    let mut c = server.raw();
    assert_reply!(c.cmd_str(&["AUTH", "pw"]), b"+OK\r\n");
    assert_reply!(c.cmd_str(&["GET", "a"]), b"$-1\r\n");
    let mut d = server.raw();
    assert_reply!(d.cmd_str(&["AUTH", "default", "pw"]), b"+OK\r\n");
    assert_reply!(d.cmd_str(&["PING"]), b"+PONG\r\n");
}

#[test]
fn auth_with_too_many_arguments_is_a_syntax_error() {
    let server = protected();
    let mut c = server.raw();
    assert_reply!(c.cmd_str(&["AUTH", "a", "b", "c"]), b"-ERR syntax error\r\n");
}

#[test]
fn hello_3_auth_default_password_authenticates_and_switches_to_resp3() {
    let server = protected();
    let mut c = server.raw();
    match c.frame(&["HELLO", "3", "AUTH", "default", "pw"]) {
        Frame::Map(items) => {
            assert_eq!(items.len(), 7);
            assert_eq!(items[2], (Frame::bulk("proto"), Frame::Int(3)));
        }
        other => panic!("HELLO 3 AUTH must reply a map, got {other:?}"),
    }
    assert_reply!(c.cmd_str(&["GET", "a"]), b"_\r\n");
}

#[test]
fn hello_3_auth_with_setname_authenticates_and_names() {
    let server = protected();
    let mut c = server.raw();
    assert!(matches!(
        c.frame(&["HELLO", "3", "AUTH", "default", "pw", "SETNAME", "celery"]),
        Frame::Map(_)
    ));
    assert_reply!(c.cmd_str(&["CLIENT", "GETNAME"]), b"$6\r\ncelery\r\n");
}

#[test]
fn hello_3_auth_with_wrong_password_replies_wrongpass_and_stays_resp2() {
    let server = protected();
    let mut c = server.raw();
    assert_reply!(c.cmd_str(&["HELLO", "3", "AUTH", "default", "wrong"]), WRONGPASS);
    assert_reply!(c.cmd_str(&["GET", "a"]), b"-NOAUTH Authentication required.\r\n");
}

#[test]
fn auth_one_argument_without_password_configured_is_an_error() {
    let server = Server::start();
    let mut c = server.raw();
    assert_reply!(
        c.cmd_str(&["AUTH", "x"]),
        b"-ERR AUTH <password> called without any password configured for the default user. Are you sure your configuration is correct?\r\n"
    );
}

#[test]
fn auth_default_user_without_password_configured_accepts_any_password() {
    // The default user is `nopass`: any password matches (redis-py sends `HELLO 3 AUTH default x`).
    let server = Server::start();
    let mut c = server.raw();
    assert_reply!(c.cmd_str(&["AUTH", "default", "anything"]), b"+OK\r\n");
    assert!(matches!(c.frame(&["HELLO", "3", "AUTH", "default", "whatever"]), Frame::Map(_)));
}

#[test]
fn unauthenticated_client_cannot_send_big_multibulk() {
    let server = protected();
    let mut c = server.raw();
    c.send(b"*11\r\n");
    c.expect(b"-ERR Protocol error: unauthenticated multibulk length\r\n");
    c.expect_closed();
    let mut d = server.raw();
    d.send(b"*1\r\n$16385\r\n");
    d.expect(b"-ERR Protocol error: unauthenticated bulk length\r\n");
    d.expect_closed();
}

#[test]
fn redis_crate_logs_in_with_password_in_both_protocols() {
    let server = protected();
    for proto in BOTH {
        let mut con = server.client(proto);
        let pong: String = redis::cmd("PING").query(&mut con).expect("PING");
        assert_eq!(pong, "PONG", "{proto:?}");
    }
}

#[test]
fn redis_crate_with_wrong_password_fails_to_connect() {
    let server = protected();
    for (proto, q) in [(Proto::Resp2, ""), (Proto::Resp3, "?protocol=resp3")] {
        let client = redis::Client::open(format!("redis://:bad@127.0.0.1:{}/{q}", server.port()))
            .expect("open");
        match client.get_connection() {
            Ok(_) => panic!("{proto:?}: connected with a wrong password"),
            Err(e) => {
                let text = redis_error_text(&e);
                assert!(
                    text.contains("WRONGPASS")
                        || e.kind() == redis::ErrorKind::AuthenticationFailed,
                    "{proto:?}: {text}"
                );
            }
        }
    }
}
