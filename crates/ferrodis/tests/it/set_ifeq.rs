//! SET ... IFEQ comparison-value (Valkey 8.1): the write happens only when the key holds a
//! string equal to comparison-value. Reference: Valkey 8.1 `t_string.c`
//! (`parseExtendedStringArgumentsOrReply`, `setGenericCommand`) and its tests
//! (`unit/type/string.tcl`, "SET with IFEQ conditional"). Redis 7.2 has no IFEQ (`ERR syntax
//! error`), so in reference mode (`FERRODIS_IT_REFERENCE`) only that is checked.

use crate::support::{reference_server, Frame, Server};

fn bulk(s: &str) -> Frame {
    Frame::Bulk(s.as_bytes().to_vec())
}

fn ok() -> Frame {
    Frame::Simple("OK".into())
}

fn syntax_error() -> Frame {
    Frame::Error("ERR syntax error".into())
}

#[test]
fn ifeq_writes_only_over_an_equal_string() {
    let server = Server::start();
    let mut c = server.raw();
    assert_eq!(c.frame(&["SET", "foo", "initial_value"]), ok());
    if reference_server().is_some() {
        assert_eq!(c.frame(&["SET", "foo", "new_value", "IFEQ", "initial_value"]), syntax_error());
        return;
    }
    assert_eq!(c.frame(&["SET", "foo", "new_value", "IFEQ", "initial_value"]), ok());
    assert_eq!(c.frame(&["GET", "foo"]), bulk("new_value"));
    assert_eq!(c.frame(&["SET", "foo", "should_not_set", "ifeq", "wrong_value"]), Frame::NullBulk);
    assert_eq!(c.frame(&["GET", "foo"]), bulk("new_value"));
    // Binary-safe, exact comparison: a prefix or another case is not equal.
    assert_eq!(c.frame(&["SET", "foo", "x", "IfEq", "new_"]), Frame::NullBulk);
    assert_eq!(c.frame(&["SET", "foo", "x", "IFEQ", "NEW_VALUE"]), Frame::NullBulk);
    // An integer-encoded value compares as its text.
    assert_eq!(c.frame(&["SET", "n", "12"]), ok());
    assert_eq!(c.frame(&["SET", "n", "13", "IFEQ", "12"]), ok());
    assert_eq!(c.frame(&["GET", "n"]), bulk("13"));
    // A missing key is never written.
    assert_eq!(c.frame(&["SET", "missing", "v", "IFEQ", "v"]), Frame::NullBulk);
    assert_eq!(c.frame(&["EXISTS", "missing"]), Frame::Int(0));
}

#[test]
fn ifeq_with_get_and_expiry() {
    if reference_server().is_some() {
        return;
    }
    let server = Server::start();
    let mut c = server.raw();
    // GET on a missing key: null, nothing written.
    assert_eq!(
        c.frame(&["SET", "foo", "new_value", "IFEQ", "initial_value", "GET"]),
        Frame::NullBulk
    );
    assert_eq!(c.frame(&["GET", "foo"]), Frame::NullBulk);
    assert_eq!(c.frame(&["SET", "foo", "initial_value"]), ok());
    // GET returns the old value whether or not the write happened.
    assert_eq!(
        c.frame(&["SET", "foo", "new_value", "GET", "IFEQ", "initial_value"]),
        bulk("initial_value")
    );
    assert_eq!(c.frame(&["GET", "foo"]), bulk("new_value"));
    assert_eq!(
        c.frame(&["SET", "foo", "other", "IFEQ", "initial_value", "GET"]),
        bulk("new_value")
    );
    assert_eq!(c.frame(&["GET", "foo"]), bulk("new_value"));
    // With an expiry: set only when equal, and then the TTL applies.
    assert_eq!(c.frame(&["SET", "foo", "v2", "IFEQ", "nope", "EX", "100"]), Frame::NullBulk);
    assert_eq!(c.frame(&["TTL", "foo"]), Frame::Int(-1));
    assert_eq!(c.frame(&["SET", "foo", "v2", "EX", "100", "IFEQ", "new_value"]), ok());
    assert_eq!(c.frame(&["TTL", "foo"]), Frame::Int(100));
    assert_eq!(c.frame(&["SET", "foo", "v3", "IFEQ", "v2", "KEEPTTL"]), ok());
    assert_eq!(c.frame(&["TTL", "foo"]), Frame::Int(100));
    assert_eq!(c.frame(&["GET", "foo"]), bulk("v3"));
}

#[test]
fn ifeq_argument_errors() {
    if reference_server().is_some() {
        return;
    }
    let server = Server::start();
    let mut c = server.raw();
    for args in [
        &["SET", "foo", "v", "IFEQ", "a", "XX"][..],
        &["SET", "foo", "v", "IFEQ", "a", "NX"][..],
        &["SET", "foo", "v", "NX", "IFEQ", "a"][..],
        &["SET", "foo", "v", "XX", "IFEQ", "a"][..],
        &["SET", "foo", "v", "IFEQ", "a", "IFEQ", "a"][..],
        &["SET", "foo", "v", "IFEQ"][..],
        &["SETNX", "foo", "v", "IFEQ", "a"][..],
    ] {
        let want = if args[0] == "SETNX" {
            Frame::Error("ERR wrong number of arguments for 'setnx' command".into())
        } else {
            syntax_error()
        };
        assert_eq!(c.frame(args), want, "{args:?}");
    }
    // The comparison value may look like an option.
    assert_eq!(c.frame(&["SET", "foo", "GET"]), ok());
    assert_eq!(c.frame(&["SET", "foo", "v", "IFEQ", "GET"]), ok());
    assert_eq!(c.frame(&["GET", "foo"]), bulk("v"));
    // IFEQ belongs to SET only: GETEX refuses it.
    assert_eq!(c.frame(&["GETEX", "foo", "IFEQ", "v"]), syntax_error());
    // COMMAND INFO stays Redis 7.2's (arity -3, same flags).
    let info = c.frame(&["COMMAND", "INFO", "SET"]);
    let Frame::Array(items) = info else { panic!("COMMAND INFO: {info:?}") };
    let Frame::Array(set) = &items[0] else { panic!("COMMAND INFO SET: {items:?}") };
    assert_eq!(set[1], Frame::Int(-3));
}
