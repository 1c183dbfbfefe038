//! Regression tests for the Lua 5.1 CVEs Redis fixed in 7.2.11 / 8.2.2, sent through EVAL to
//! the real binary: the script gets Redis's patched answer and the server keeps serving.
//! The patches live in `crates/ferrodis-lua-sys/patches/`; that crate's own tests reproduce
//! the bugs through the C API where a script cannot reach them (the chunk-name
//! use-after-free needs `load` with a reader function, which our sandbox removes; the
//! lexer's uninitialised token needs a 2^31-line chunk).
//!
//! Expected replies are Redis 7.0's (Debian's `redis-server`), which 7.2.11 keeps for these
//! scripts: run with `FERRODIS_IT_REFERENCE=/usr/bin/redis-server` to compare.

use crate::support::{error_text, query, Proto, Server, BOTH};
use redis::Value;

fn bulk(s: &str) -> Value {
    Value::BulkString(s.as_bytes().to_vec())
}

/// The server still answers, and still runs scripts, after the attack scripts.
fn assert_still_serving(server: &mut Server, con: &mut redis::Connection) {
    server.assert_alive();
    assert_eq!(query(con, &["PING"]), Value::SimpleString("PONG".into()));
    assert_eq!(
        query(con, &["EVAL", "return {unpack({1,2,3})}", "0"]),
        Value::Array(vec![Value::Int(1), Value::Int(2), Value::Int(3)])
    );
}

// CVE-2025-46817: `unpack` ranges wider than INT_MAX. Unpatched Lua computed the count in
// signed int; built with optimisation the overflow check vanished and the server wrote
// past the Lua stack (the unpatched library aborts on the first of these).
#[test]
fn cve_2025_46817_unpack_integer_overflow() {
    let mut server = Server::start();
    for proto in BOTH {
        let mut con = server.client(proto);
        for (script, sha) in [
            (
                "return {unpack({1,2,3}, -2, 2147483647)}",
                "0395f41f7d84d21b4b0eb98ccabc18f4db2105a7",
            ),
            ("return {unpack({1,2,3}, 0, 2147483647)}", "99121f1bc192655f687c994215164fe212cd6e73"),
            (
                "return {unpack({1,2,3}, -2147483648, -2)}",
                "7663ebc0c35e4dc823801145cd7799b4c9614473",
            ),
            (
                "return {unpack({1,2,3}, -2147483648, 2147483647)}",
                "061b0396a00f8e34ce62a535eab76ff431c0df68",
            ),
        ] {
            assert_eq!(
                error_text(&mut con, &["EVAL", script, "0"]),
                format!(
                    "ERR user_script:1: too many results to unpack script: {sha}, on @user_script:1."
                ),
                "{script}"
            );
        }
        // The error can be caught, many times over, without corrupting anything.
        assert_eq!(
            query(
                &mut con,
                &[
                    "EVAL",
                    "local n = 0 \
                     for i = 1, 200 do \
                       local ok, err = pcall(unpack, {}, -2147483648 + i, 2147483647 - i) \
                       if not ok and string.find(err, 'too many results to unpack', 1, true) then n = n + 1 end \
                     end \
                     return n",
                    "0"
                ]
            ),
            Value::Int(200)
        );
        // Valid ranges, empty and negative ones included (Redis's regression cases).
        for (script, want) in [
            ("return {unpack({1,2,3}, -1, -2)}", vec![]),
            ("return {unpack({1,2,3}, 1, -1)}", vec![]),
            ("return {unpack({1,2,3}, 2, 3)}", vec![Value::Int(2), Value::Int(3)]),
            ("return {unpack({1,2,3}, 3, 3)}", vec![Value::Int(3)]),
        ] {
            assert_eq!(query(&mut con, &["EVAL", script, "0"]), Value::Array(want), "{script}");
        }
        assert_eq!(
            query(&mut con, &["EVAL", "return select('#', unpack({1,2,3}, -1, 1))", "0"]),
            Value::Int(3)
        );
        assert_still_serving(&mut server, &mut con);
    }
}

// CVE-2025-49844: the chunk name must stay alive while a chunk is parsed. The exploitable
// path is `load` with a reader function that collects garbage (Redis 7 scripts have `load`;
// Ferrodis's sandbox removes it, see ferrodis-lua-sys for the C-level reproduction). What
// scripts here can do is compile named chunks with `loadstring` while collecting garbage,
// and the names must come back intact in error messages.
#[test]
fn cve_2025_49844_chunk_names_survive_collections_during_parsing() {
    let mut server = Server::start();
    for proto in BOTH {
        let mut con = server.client(proto);
        assert_eq!(
            query(
                &mut con,
                &[
                    "EVAL",
                    "local bad = 0 \
                     for i = 1, 300 do \
                       collectgarbage('collect') \
                       local junk = {} \
                       for j = 1, 50 do junk[j] = string.rep('g', 40) .. i .. j end \
                       local name = 'chunk-' .. string.rep('n', i % 50) .. i \
                       local f, err = loadstring('local t = {' .. string.rep('\"s\",', 20) .. '} return = ' .. i, name) \
                       if f ~= nil or string.sub(err, 1, #name + 11) ~= '[string \"' .. name .. '\"]' then bad = bad + 1 end \
                       local ok = loadstring('return ' .. i, name) \
                       if ok() ~= i then bad = bad + 1 end \
                     end \
                     return bad",
                    "0"
                ]
            ),
            Value::Int(0)
        );
        assert_eq!(
            query(
                &mut con,
                &[
                    "EVAL",
                    "collectgarbage('collect') local f, err = loadstring('x = = 1', 'named') return err",
                    "0"
                ]
            ),
            bulk("[string \"named\"]:1: unexpected symbol near '='")
        );
        assert_still_serving(&mut server, &mut con);
    }
}

// CVE-2025-46819: the lexer's error reporting and long brackets. The out-of-bounds reads
// need a 2^31-line chunk or a separator of 2^30 '=' (ferrodis-lua-sys tests the first);
// here: every form of long bracket and token in error messages answers as in Redis.
#[test]
fn cve_2025_46819_lexer_errors_and_long_brackets() {
    let mut server = Server::start();
    for proto in [Proto::Resp2, Proto::Resp3] {
        let mut con = server.client(proto);
        for (script, want) in [
            ("return [==x", "invalid long string delimiter near '[=='"),
            ("return [=", "invalid long string delimiter near '[='"),
            ("return [==[a]=]", "unfinished long string near '<eof>'"),
            ("return 'x' .. 1 ]", "'<eof>' expected near ']'"),
            ("]", "unexpected symbol near ']'"),
            ("return 'abc", "unfinished string near '<eof>'"),
            ("return 1e", "malformed number near '1e'"),
            ("x = [[\n\n", "unfinished long string near '<eof>'"),
        ] {
            let line = if script.starts_with("x = [[") { 3 } else { 1 };
            assert_eq!(
                error_text(&mut con, &["EVAL", script, "0"]),
                format!("ERR Error compiling script (new function): user_script:{line}: {want}"),
                "{script:?}"
            );
        }
        for (script, want) in [
            ("return #[==[ab]==]", Value::Int(2)),
            ("return [==[a]]b]=]c]==]", bulk("a]]b]=]c")),
            ("return [[a [[ b]]", bulk("a [[ b")),
            ("--[==[ long\ncomment ]==] return 'after'", bulk("after")),
            ("local t = {[1]=5} return t[1]", Value::Int(5)),
            (
                "local eq = string.rep('=', 100000) \
                 return #assert(loadstring('return [' .. eq .. '[xyz]' .. eq .. ']'))()",
                Value::Int(3),
            ),
        ] {
            assert_eq!(query(&mut con, &["EVAL", script, "0"]), want, "{script:?}");
        }
        assert_still_serving(&mut server, &mut con);
    }
}

// CVE-2025-46818: one user's script must not change the metatables of basic types, which
// later scripts of other users run through. Redis's fix makes them read-only in its VM;
// here the sandbox already hands scripts a read-only proxy of the string metatable (the one
// basic type with a metatable; without the debug library scripts cannot give other basic
// types one), so no Lua patch is needed. Errors and SHAs as Redis's.
#[test]
fn cve_2025_46818_basic_type_metatables_are_read_only() {
    let mut server = Server::start();
    for proto in BOTH {
        let mut con = server.client(proto);
        for (script, sha, pos) in [
            (
                "getmetatable('').__index = {upper = function() return 'pwned' end}; return 1",
                "1760fd8eba22ff6b4a15dff111d6b803986b47e4",
                "user_script:1: ",
            ),
            (
                "local mt = getmetatable(''); rawset(mt, '__index', {}); return 1",
                "ca7349c48cca61550c39c79f44b99932b2aaeb58",
                "",
            ),
            (
                "getmetatable('').__index.upper = function() return 'pwned' end; return 1",
                "f2eac8c20bfe1fbad1c6355aac7af45b58855925",
                "user_script:1: ",
            ),
            (
                "local mt = getmetatable(''); mt.__index.x = 1; return 1",
                "6b4189727bfa06999ff24c05795d1b4209e52d15",
                "user_script:1: ",
            ),
        ] {
            assert_eq!(
                error_text(&mut con, &["EVAL", script, "0"]),
                format!(
                    "ERR {pos}Attempt to modify a readonly table script: {sha}, on @user_script:1."
                ),
                "{script}"
            );
        }
        assert_eq!(query(&mut con, &["EVAL", "return ('a'):upper()", "0"]), bulk("A"));
        assert_eq!(query(&mut con, &["EVAL", "return type(getmetatable(1))", "0"]), bulk("nil"));
        assert_still_serving(&mut server, &mut con);
    }
}
