//! HELLO and the RESP3 encodings (client census §0.1–0.2: redis-py 8 opens every connection
//! with `HELLO 3` and needs `_` nulls).

use crate::support::{expected_version, Frame, Proto, Server};

/// Checks the HELLO reply fields (keys, their order and types) for `proto`.
fn assert_hello_fields(items: &[(Frame, Frame)], proto: i64) {
    let keys: Vec<Frame> = items.iter().map(|(k, _)| k.clone()).collect();
    let want_keys: Vec<Frame> = ["server", "version", "proto", "id", "mode", "role", "modules"]
        .iter()
        .map(|k| Frame::bulk(k))
        .collect();
    assert_eq!(keys, want_keys, "HELLO keys (bulk strings, in Redis's order)");
    assert_eq!(items[0].1, Frame::bulk("redis"), "server");
    assert_eq!(items[1].1, Frame::bulk(expected_version()), "version must be a bulk string");
    assert_eq!(items[2].1, Frame::Int(proto), "proto");
    assert!(matches!(items[3].1, Frame::Int(id) if id > 0), "id: {:?}", items[3].1);
    assert_eq!(items[4].1, Frame::bulk("standalone"), "mode");
    assert_eq!(items[5].1, Frame::bulk("master"), "role");
    assert_eq!(items[6].1, Frame::Array(vec![]), "modules");
}

fn hello_map(frame: Frame) -> Vec<(Frame, Frame)> {
    match frame {
        Frame::Map(items) => items,
        other => panic!("HELLO 3 must reply a map (%7), got {other:?}"),
    }
}

fn hello_flat(frame: Frame) -> Vec<(Frame, Frame)> {
    match frame {
        Frame::Array(items) => {
            assert_eq!(items.len(), 14, "HELLO 2 replies a flat array of 14");
            items.chunks(2).map(|p| (p[0].clone(), p[1].clone())).collect()
        }
        other => panic!("HELLO 2 must reply a flat array, got {other:?}"),
    }
}

#[test]
fn hello_3_replies_map_with_server_version_proto_id_mode_role_modules() {
    let server = Server::start();
    let mut c = server.raw();
    let items = hello_map(c.frame(&["HELLO", "3"]));
    assert_eq!(items.len(), 7);
    assert_hello_fields(&items, 3);
}

#[test]
fn hello_2_replies_flat_array() {
    let server = Server::start();
    let mut c = server.raw();
    let items = hello_flat(c.frame(&["HELLO", "2"]));
    assert_hello_fields(&items, 2);
}

#[test]
fn hello_without_version_replies_in_current_protocol() {
    let server = Server::start();
    let mut c = server.raw();
    assert_hello_fields(&hello_flat(c.frame(&["HELLO"])), 2);
    hello_map(c.frame(&["HELLO", "3"]));
    assert_hello_fields(&hello_map(c.frame(&["HELLO"])), 3);
}

#[test]
fn hello_id_is_the_connection_id_and_grows() {
    let server = Server::start();
    let id_of = |frame: Frame| match hello_map(frame)[3].1 {
        Frame::Int(id) => id,
        ref other => panic!("id {other:?}"),
    };
    let mut a = server.raw();
    let ida = id_of(a.frame(&["HELLO", "3"]));
    // Connected after `a` was served, so it gets a higher id.
    let mut b = server.raw();
    let idb = id_of(b.frame(&["HELLO", "3"]));
    assert!(idb > ida, "ids {ida} then {idb}");
    // The same connection keeps its id.
    assert_eq!(id_of(a.frame(&["HELLO", "3"])), ida);
}

#[test]
fn get_missing_key_is_dollar_minus_one_in_resp2_and_underscore_in_resp3() {
    let server = Server::start();
    let mut c = server.raw();
    assert_reply!(c.cmd_str(&["GET", "missing"]), b"$-1\r\n");
    c.frame(&["HELLO", "3"]);
    assert_reply!(c.cmd_str(&["GET", "missing"]), b"_\r\n");
    // Back to RESP2.
    c.frame(&["HELLO", "2"]);
    assert_reply!(c.cmd_str(&["GET", "missing"]), b"$-1\r\n");
}

#[test]
fn mget_with_missing_keys_has_null_elements_for_each_protocol() {
    let server = Server::start();
    let mut c = server.raw();
    assert_reply!(c.cmd_str(&["SET", "a", "1"]), b"+OK\r\n");
    assert_reply!(c.cmd_str(&["MGET", "a", "nokey", "a"]), b"*3\r\n$1\r\n1\r\n$-1\r\n$1\r\n1\r\n");
    c.frame(&["HELLO", "3"]);
    assert_reply!(c.cmd_str(&["MGET", "a", "nokey", "a"]), b"*3\r\n$1\r\n1\r\n_\r\n$1\r\n1\r\n");
}

#[test]
fn resp3_connection_never_sends_resp2_nulls_for_common_commands() {
    let server = Server::start();
    let mut c = server.raw();
    c.frame(&["HELLO", "3"]);
    // SET ... GET on a missing key, and SET NX that does not set, reply null.
    assert_reply!(c.cmd_str(&["SET", "k", "v", "GET"]), b"_\r\n");
    assert_reply!(c.cmd_str(&["SET", "k", "w", "NX"]), b"_\r\n");
    assert_reply!(c.cmd_str(&["SET", "k", "w", "XX", "GET"]), b"$1\r\nv\r\n");
}

#[test]
fn hello_unsupported_protocol_version_replies_noproto() {
    let server = Server::start();
    let mut c = server.raw();
    for v in ["4", "1", "0", "-1"] {
        assert_reply!(
            c.cmd_str(&["HELLO", v]),
            b"-NOPROTO unsupported protocol version\r\n",
            "HELLO {v}"
        );
    }
    // The connection is still RESP2.
    assert_reply!(c.cmd_str(&["GET", "missing"]), b"$-1\r\n");
}

#[test]
fn hello_non_integer_version_is_an_error() {
    let server = Server::start();
    let mut c = server.raw();
    assert_reply!(
        c.cmd_str(&["HELLO", "abc"]),
        b"-ERR Protocol version is not an integer or out of range\r\n"
    );
    assert_reply!(
        c.cmd_str(&["HELLO", "99999999999999999999"]),
        b"-ERR Protocol version is not an integer or out of range\r\n"
    );
}

#[test]
fn hello_unknown_or_incomplete_option_is_a_syntax_error() {
    let server = Server::start();
    let mut c = server.raw();
    assert_reply!(
        c.cmd_str(&["HELLO", "3", "foo"]),
        b"-ERR Syntax error in HELLO option 'foo'\r\n"
    );
    assert_reply!(
        c.cmd_str(&["HELLO", "3", "SETNAME"]),
        b"-ERR Syntax error in HELLO option 'SETNAME'\r\n"
    );
    assert_reply!(
        c.cmd_str(&["HELLO", "3", "AUTH", "a"]),
        b"-ERR Syntax error in HELLO option 'AUTH'\r\n"
    );
    // Nothing changed: still RESP2.
    assert_reply!(c.cmd_str(&["GET", "missing"]), b"$-1\r\n");
}

#[test]
fn hello_3_setname_sets_the_client_name() {
    let server = Server::start();
    let mut c = server.raw();
    hello_map(c.frame(&["HELLO", "3", "SETNAME", "myname"]));
    assert_reply!(c.cmd_str(&["CLIENT", "GETNAME"]), b"$6\r\nmyname\r\n");
}

#[test]
fn redis_crate_resp3_connection_sees_resp3_types() {
    let server = Server::start();
    let mut con = server.client(Proto::Resp3);
    let hello: redis::Value = redis::cmd("HELLO").arg(3).query(&mut con).expect("HELLO 3");
    assert!(
        matches!(hello, redis::Value::Map(ref m) if m.len() == 7),
        "HELLO 3 through the crate: {hello:?}"
    );
    let missing: redis::Value = redis::cmd("GET").arg("nokey").query(&mut con).expect("GET");
    assert_eq!(missing, redis::Value::Nil);
    let mut con2 = server.client(Proto::Resp2);
    let hello: redis::Value = redis::cmd("HELLO").query(&mut con2).expect("HELLO");
    assert!(
        matches!(hello, redis::Value::Array(ref a) if a.len() == 14),
        "HELLO on RESP2: {hello:?}"
    );
}
