//! Small Redis 7.2 details: SELECT's range errors, the encoding of INCRBYFLOAT's result and
//! DEBUG SET-ACTIVE-EXPIRE. Debian's Redis 7.0 behaves the same, so every assertion holds in
//! reference mode too. Reference: Redis 7.2 `db.c` (`selectCommand`), `object.c`
//! (`getIntFromObjectOrReply`, `createStringObjectFromLongDouble`), `debug.c`, `expire.c`.

use crate::support::{Frame, Server};
use std::time::{Duration, Instant};

fn error(s: &str) -> Frame {
    Frame::Error(s.into())
}

#[test]
fn select_parses_a_32_bit_index() {
    let server = Server::start();
    let mut c = server.raw();
    let out_of_range = "ERR value is out of range, value must between -2147483648 and 2147483647";
    for (index, want) in [
        ("4294967296", out_of_range),
        ("2147483648", out_of_range),
        ("-2147483649", out_of_range),
        ("9223372036854775807", out_of_range),
        ("2147483647", "ERR DB index is out of range"),
        ("-2147483648", "ERR DB index is out of range"),
        ("16", "ERR DB index is out of range"),
        ("-1", "ERR DB index is out of range"),
        ("99999999999999999999", "ERR value is not an integer or out of range"),
        ("1.5", "ERR value is not an integer or out of range"),
        ("abc", "ERR value is not an integer or out of range"),
    ] {
        assert_eq!(c.frame(&["SELECT", index]), error(want), "SELECT {index}");
    }
    assert_eq!(c.frame(&["SELECT", "15"]), Frame::Simple("OK".into()));
}

fn encoding(c: &mut crate::support::Raw, key: &str) -> Frame {
    c.frame(&["OBJECT", "ENCODING", key])
}

fn bulk(s: &str) -> Frame {
    Frame::Bulk(s.as_bytes().to_vec())
}

#[test]
fn incrbyfloat_result_is_embstr_even_when_integral() {
    let server = Server::start();
    let mut c = server.raw();
    assert_eq!(c.frame(&["SET", "f", "1.5"]), Frame::Simple("OK".into()));
    assert_eq!(c.frame(&["INCRBYFLOAT", "f", "1.5"]), bulk("3"));
    assert_eq!(encoding(&mut c, "f"), bulk("embstr"));
    assert_eq!(c.frame(&["OBJECT", "REFCOUNT", "f"]), Frame::Int(1));
    assert_eq!(c.frame(&["INCRBYFLOAT", "new", "10"]), bulk("10"));
    assert_eq!(encoding(&mut c, "new"), bulk("embstr"));
    assert_eq!(c.frame(&["INCRBYFLOAT", "half", "0.5"]), bulk("0.5"));
    assert_eq!(encoding(&mut c, "half"), bulk("embstr"));
    // The value still reads and counts as an integer; INCR stores an `int` again.
    assert_eq!(c.frame(&["GET", "f"]), bulk("3"));
    assert_eq!(c.frame(&["STRLEN", "f"]), Frame::Int(1));
    assert_eq!(c.frame(&["INCR", "f"]), Frame::Int(4));
    assert_eq!(encoding(&mut c, "f"), bulk("int"));
    // APPEND makes it `raw`, as for any string.
    assert_eq!(c.frame(&["INCRBYFLOAT", "a", "7"]), bulk("7"));
    assert_eq!(c.frame(&["APPEND", "a", "x"]), Frame::Int(2));
    assert_eq!(encoding(&mut c, "a"), bulk("raw"));
    // Beyond 44 bytes the result is `raw`.
    let Frame::Bulk(big) = c.frame(&["INCRBYFLOAT", "big", "1e50"]) else {
        panic!("INCRBYFLOAT big")
    };
    assert_eq!(big.len(), 51, "{}", String::from_utf8_lossy(&big));
    assert_eq!(encoding(&mut c, "big"), bulk("raw"));
    // A plain SET of the same text is still `int`.
    assert_eq!(c.frame(&["SET", "i", "3"]), Frame::Simple("OK".into()));
    assert_eq!(encoding(&mut c, "i"), bulk("int"));
}

#[test]
fn debug_set_active_expire_0_stops_active_expiry() {
    let server = Server::builder().arg("enable-debug-command", &["yes"]).start();
    let mut c = server.raw();
    let ok = Frame::Simple("OK".into());
    assert_eq!(c.frame(&["DEBUG", "SET-ACTIVE-EXPIRE", "0"]), ok);
    for i in 0..100 {
        let key = format!("k{i}");
        assert_eq!(c.frame(&["SET", &key, "v", "PX", "50"]), ok);
    }
    std::thread::sleep(Duration::from_millis(600));
    // DBSIZE counts keys not reclaimed yet: none was, nothing touched them.
    assert_eq!(c.frame(&["DBSIZE"]), Frame::Int(100));
    // A key a command touches is still deleted lazily.
    assert_eq!(c.frame(&["GET", "k0"]), Frame::NullBulk);
    assert_eq!(c.frame(&["DBSIZE"]), Frame::Int(99));
    assert_eq!(c.frame(&["DEBUG", "SET-ACTIVE-EXPIRE", "1"]), ok);
    let deadline = Instant::now() + Duration::from_secs(3);
    loop {
        let n = c.frame(&["DBSIZE"]);
        if n == Frame::Int(0) {
            break;
        }
        assert!(Instant::now() < deadline, "active expiry left {n:?} keys");
        std::thread::sleep(Duration::from_millis(50));
    }
}
