//! The request protocol: inline commands, pipelining, protocol errors, big and binary values.
//! Reference: Redis 7.2 `networking.c` (`processInlineBuffer`, `processMultibulkBuffer`).

use crate::support::{multibulk, show, Server};
use std::time::Duration;

#[test]
fn inline_ping_replies_pong() {
    let server = Server::start();
    let mut c = server.raw();
    c.send(b"PING\r\n");
    c.expect(b"+PONG\r\n");
    // A bare LF ends an inline command too.
    c.send(b"PING\n");
    c.expect(b"+PONG\r\n");
    c.send(b"ping hello\r\n");
    c.expect(b"$5\r\nhello\r\n");
}

#[test]
fn inline_command_with_quoted_arguments() {
    let server = Server::start();
    let mut c = server.raw();
    c.send(b"SET \"k y\" \"a b\"\r\nGET \"k y\"\r\n");
    c.expect(b"+OK\r\n$3\r\na b\r\n");
    // Single quotes: only \' is an escape.
    c.send(b"ECHO 'a\\'b'\r\n");
    c.expect(b"$3\r\na'b\r\n");
    // Double quotes: \xHH, \n and friends.
    c.send(b"ECHO \"\\x41\\n\"\r\n");
    c.expect(b"$2\r\nA\n\r\n");
    // Runs of spaces separate arguments; an empty quoted string is an argument.
    c.send(b"SET   spaced    \"\"  \r\nGET spaced\r\n");
    c.expect(b"+OK\r\n$0\r\n\r\n");
}

#[test]
fn empty_inline_line_is_ignored() {
    let server = Server::start();
    let mut c = server.raw();
    // redis-cli --pipe ends with an empty line before its ECHO marker.
    c.send(b"\r\n");
    c.expect_silence(Duration::from_millis(200));
    c.send(b"\r\n   \r\nPING\r\n\nECHO 01234567890123456789\r\n");
    c.expect(b"+PONG\r\n$20\r\n01234567890123456789\r\n");
}

#[test]
fn empty_multibulk_is_ignored() {
    let server = Server::start();
    let mut c = server.raw();
    c.send(b"*0\r\n*-1\r\nPING\r\n");
    c.expect(b"+PONG\r\n");
}

#[test]
fn pipeline_of_1000_commands_in_one_write_gets_1000_replies_in_order() {
    let server = Server::start();
    let mut c = server.raw();
    let mut req = Vec::new();
    for i in 0..1000 {
        if i % 2 == 0 {
            req.extend(multibulk(&[b"INCR", b"counter"]));
        } else {
            req.extend(multibulk(&[b"GET", b"counter"]));
        }
    }
    c.send(&req);
    for i in 0..1000 {
        let n = i / 2 + 1;
        let expected = if i % 2 == 0 {
            format!(":{n}\r\n")
        } else {
            format!("${}\r\n{n}\r\n", n.to_string().len())
        };
        c.expect(expected.as_bytes());
    }
    c.expect_silence(Duration::from_millis(100));
}

#[test]
fn pipeline_of_1000_inline_commands_in_one_write() {
    let server = Server::start();
    let mut c = server.raw();
    c.send(&b"PING\r\n".repeat(1000));
    c.expect(&b"+PONG\r\n".repeat(1000));
}

/// A protocol error is answered with `-ERR Protocol error: ...` and the connection closed.
fn assert_protocol_error(request: &[u8], message: &str) {
    let server = Server::start();
    let mut c = server.raw();
    // Replies to the commands before the bad one come first.
    let mut req = b"PING\r\n".to_vec();
    req.extend_from_slice(request);
    c.send(&req);
    c.expect(b"+PONG\r\n");
    c.expect(format!("-ERR Protocol error: {message}\r\n").as_bytes());
    c.expect_closed();
    // The server carries on for other clients.
    let mut other = server.raw();
    other.send(b"PING\r\n");
    other.expect(b"+PONG\r\n");
}

#[test]
fn invalid_multibulk_length_is_protocol_error_and_closes() {
    assert_protocol_error(b"*a\r\n", "invalid multibulk length");
}

#[test]
fn multibulk_length_above_int_max_is_protocol_error() {
    assert_protocol_error(b"*99999999999\r\n", "invalid multibulk length");
}

#[test]
fn missing_dollar_in_multibulk_is_protocol_error_and_closes() {
    assert_protocol_error(b"*1\r\nfoo\r\n", "expected '$', got 'f'");
}

#[test]
fn invalid_bulk_length_is_protocol_error_and_closes() {
    assert_protocol_error(b"*1\r\n$x\r\n", "invalid bulk length");
}

#[test]
fn negative_bulk_length_in_request_is_protocol_error() {
    assert_protocol_error(b"*3\r\n$3\r\nset\r\n$1\r\nk\r\n$-1\r\n", "invalid bulk length");
}

#[test]
fn bulk_length_above_proto_max_bulk_len_is_protocol_error() {
    // proto-max-bulk-len defaults to 512 MB.
    assert_protocol_error(b"*1\r\n$536870913\r\n", "invalid bulk length");
}

#[test]
fn unbalanced_quotes_in_inline_command_is_protocol_error_and_closes() {
    assert_protocol_error(b"SET \"a\r\n", "unbalanced quotes in request");
}

#[test]
fn closing_quote_followed_by_text_is_unbalanced_quotes() {
    assert_protocol_error(b"SET \"a\"b c\r\n", "unbalanced quotes in request");
}

#[test]
fn unknown_command_error_lists_the_first_arguments() {
    let server = Server::start();
    let mut c = server.raw();
    c.send(b"FOO a b\r\n");
    c.expect(b"-ERR unknown command 'FOO', with args beginning with: 'a' 'b' \r\n");
    c.send(b"\"\"\r\n");
    c.expect(b"-ERR unknown command '', with args beginning with: \r\n");
    // The connection stays usable.
    c.send(b"PING\r\n");
    c.expect(b"+PONG\r\n");
}

#[test]
fn wrong_arity_error_names_the_command() {
    let server = Server::start();
    let mut c = server.raw();
    c.send(b"GET\r\n");
    c.expect(b"-ERR wrong number of arguments for 'get' command\r\n");
    c.send(b"gEt a b\r\n");
    c.expect(b"-ERR wrong number of arguments for 'get' command\r\n");
}

#[test]
fn one_mb_value_round_trip() {
    let server = Server::start();
    let mut c = server.raw();
    let value: Vec<u8> = (0..1024 * 1024).map(|i| (i * 7 % 251) as u8).collect();
    assert_reply!(c.cmd(&[b"SET", b"big", &value]), b"+OK\r\n");
    let reply = c.cmd(&[b"GET", b"big"]);
    let mut expected = format!("${}\r\n", value.len()).into_bytes();
    expected.extend_from_slice(&value);
    expected.extend_from_slice(b"\r\n");
    assert!(reply == expected, "GET big returned {} ({} bytes)", show(&reply), reply.len());
}

#[test]
fn fifty_mb_value_split_across_many_writes() {
    let server = Server::start();
    let mut c = server.raw();
    let len = 50 * 1024 * 1024;
    let value: Vec<u8> = (0..len).map(|i| (i % 253) as u8 ^ 0x5a).collect();
    let request = multibulk(&[b"SET", b"huge", &value]);
    // Many small writes, with pauses, so the server sees the bulk arrive in pieces.
    for (i, chunk) in request.chunks(64 * 1024 + 7).enumerate() {
        c.send(chunk);
        if i % 100 == 0 {
            std::thread::sleep(Duration::from_millis(2));
        }
    }
    c.expect(b"+OK\r\n");
    let reply = c.cmd(&[b"GET", b"huge"]);
    let header = format!("${len}\r\n");
    assert!(
        reply.starts_with(header.as_bytes()),
        "GET huge starts with {}",
        show(&reply[..64.min(reply.len())])
    );
    assert_eq!(reply.len(), header.len() + len + 2, "GET huge reply length");
    assert!(
        reply[header.len()..header.len() + len] == value[..],
        "GET huge returned different bytes"
    );
    assert!(reply.ends_with(b"\r\n"));
}

#[test]
fn binary_safe_keys_and_values() {
    let server = Server::start();
    let mut c = server.raw();
    // kombu's priority separator \x06\x16, NULs, CR/LF and high bytes in keys and values.
    let key: &[u8] = b"celery\x06\x163\x00nul\r\nkey\xff";
    let value: &[u8] = b"\x00\x01\x02\r\n$-1\r\n\x80\xfe\xff\x06\x16";
    assert_reply!(c.cmd(&[b"SET", key, value]), b"+OK\r\n");
    let mut expected = format!("${}\r\n", value.len()).into_bytes();
    expected.extend_from_slice(value);
    expected.extend_from_slice(b"\r\n");
    assert_reply!(c.cmd(&[b"GET", key]), expected);
    // A key differing only after the NUL is a different key.
    assert_reply!(c.cmd(&[b"GET", b"celery\x06\x163\x00"]), b"$-1\r\n");
    assert_reply!(c.cmd(&[b"EXISTS", key, b"celery\x06\x163"]), b":1\r\n");

    // The same through the redis crate, both protocols.
    for proto in crate::support::BOTH {
        let mut con = server.client(proto);
        let got: Vec<u8> = redis::cmd("GET").arg(key).query(&mut con).expect("GET");
        assert_eq!(got, value, "{proto:?}");
        let got: Vec<Option<Vec<u8>>> =
            redis::cmd("MGET").arg(key).arg(b"\x00").query(&mut con).expect("MGET");
        assert_eq!(got, vec![Some(value.to_vec()), None], "{proto:?}");
    }
}

#[test]
fn quit_replies_ok_and_closes() {
    let server = Server::start();
    let mut c = server.raw();
    c.send(b"QUIT\r\nPING\r\n");
    c.expect(b"+OK\r\n");
    c.expect_closed();
}

/// A client that sends a whole pipeline before reading any reply (redis-py's pipelines do)
/// must not deadlock the connection: Redis keeps reading and buffers the replies. Found by
/// black-box testing with 1,000,000 INCRs, which hung.
#[test]
fn pipeline_sent_in_full_before_reading_gets_every_reply() {
    use std::io::{Read, Write};
    let server = Server::start();
    let mut s = std::net::TcpStream::connect(server.addr()).expect("connect");
    s.set_read_timeout(Some(std::time::Duration::from_secs(30))).expect("timeout");
    let n = 1_000_000usize;
    let request = b"*2\r\n$4\r\nINCR\r\n$1\r\nx\r\n".repeat(n);
    // The whole request goes out before a single reply is read: 24 MB of input and about
    // 9 MB of replies, far more than the loopback socket buffers hold.
    s.write_all(&request).expect("write the whole pipeline");
    let mut replies = Vec::new();
    let mut buf = vec![0u8; 1 << 20];
    let mut lines = 0;
    while lines < n {
        let got = s.read(&mut buf).expect("read replies");
        assert!(got > 0, "connection closed after {lines} replies");
        lines += buf[..got].iter().filter(|&&b| b == b'\n').count();
        replies.extend_from_slice(&buf[..got]);
    }
    assert!(replies.starts_with(b":1\r\n:2\r\n"));
    assert!(replies.ends_with(format!(":{n}\r\n").as_bytes()));
}

// Pipelines of key commands are parsed ahead of execution so their keys can be prefetched
// (`crate::lookahead` in the server). These tests pin what must not change with it: the
// order of effects, and the limits each request is parsed under.

#[test]
fn protocol_error_after_pipelined_key_commands_runs_them_first() {
    let server = Server::start();
    let mut c = server.raw();
    c.send(b"SET a 1\r\nINCR a\r\nSET b 2\r\nGET a\r\n*1\r\n$x\r\nSET c 3\r\n");
    c.expect(b"+OK\r\n:2\r\n+OK\r\n$1\r\n2\r\n");
    c.expect(b"-ERR Protocol error: invalid bulk length\r\n");
    c.expect_closed();
    // Everything before the bad request took effect, nothing after it.
    let mut other = server.raw();
    other.send(b"MGET a b c\r\n");
    other.expect(b"*3\r\n$1\r\n2\r\n$1\r\n2\r\n$-1\r\n");
}

#[test]
fn reset_in_a_pipeline_applies_the_unauthenticated_limits_to_what_follows() {
    // RESET logs the client out when the default user has a password (Redis's
    // `clearClientConnectionState`), so the request after it is parsed under the
    // unauthenticated limits (at most 10 arguments), even though it came in the same write.
    let server = Server::builder().requirepass("pw").start();
    let mut c = server.raw();
    c.send(b"AUTH pw\r\n");
    c.expect(b"+OK\r\n");
    let mut req = b"SET k v\r\nGET k\r\nRESET\r\n".to_vec();
    req.extend_from_slice(&multibulk(&mset_11()));
    c.send(&req);
    c.expect(b"+OK\r\n$1\r\nv\r\n+RESET\r\n");
    c.expect(b"-ERR Protocol error: unauthenticated multibulk length\r\n");
    c.expect_closed();
}

#[test]
fn auth_in_a_pipeline_lifts_the_unauthenticated_limits_for_what_follows() {
    let server = Server::builder().requirepass("pw").start();
    let mut c = server.raw();
    let mut req = b"AUTH pw\r\n".to_vec();
    req.extend_from_slice(&multibulk(&mset_11()));
    req.extend_from_slice(b"GET e\r\n");
    c.send(&req);
    c.expect(b"+OK\r\n+OK\r\n$1\r\n5\r\n");
}

#[test]
fn select_in_a_pipeline_applies_to_the_keys_after_it() {
    let server = Server::start();
    let mut c = server.raw();
    c.send(b"SET k zero\r\nGET k\r\nSELECT 1\r\nSET k one\r\nGET k\r\nSELECT 0\r\nGET k\r\n");
    c.expect(b"+OK\r\n$4\r\nzero\r\n+OK\r\n+OK\r\n$3\r\none\r\n+OK\r\n$4\r\nzero\r\n");
}

#[test]
fn config_set_in_a_pipeline_applies_its_bulk_limit_to_what_follows() {
    let server = Server::start();
    let mut c = server.raw();
    c.send(b"SET k v\r\nCONFIG SET proto-max-bulk-len 1mb\r\nGET k\r\n*3\r\n$3\r\nSET\r\n$1\r\nx\r\n$2000000\r\n");
    c.expect(b"+OK\r\n+OK\r\n$1\r\nv\r\n-ERR Protocol error: invalid bulk length\r\n");
    c.expect_closed();
}

#[test]
fn long_pipelines_of_mixed_commands_keep_their_order() {
    // Batches of key commands interleaved with commands that end a lookahead, longer than
    // one lookahead, with keys on every shard.
    let server = Server::start();
    let mut c = server.raw();
    let mut req = Vec::new();
    let mut expected = Vec::new();
    for i in 0..200 {
        req.extend_from_slice(format!("INCR n{}\r\nRPUSH l{} {i}\r\n", i % 37, i % 5).as_bytes());
        expected.extend_from_slice(format!(":{}\r\n:{}\r\n", i / 37 + 1, i / 5 + 1).as_bytes());
        if i % 50 == 49 {
            req.extend_from_slice(b"PING\r\n");
            expected.extend_from_slice(b"+PONG\r\n");
        }
    }
    req.extend_from_slice(b"LRANGE l3 0 2\r\n");
    expected.extend_from_slice(b"*3\r\n$1\r\n3\r\n$1\r\n8\r\n$2\r\n13\r\n");
    c.send(&req);
    c.expect(&expected);
}

/// `MSET a 1 b 2 c 3 d 4 e 5`: 11 arguments, one more than an unauthenticated client may send.
fn mset_11() -> Vec<&'static [u8]> {
    ["MSET", "a", "1", "b", "2", "c", "3", "d", "4", "e", "5"]
        .iter()
        .map(|s| s.as_bytes())
        .collect()
}
