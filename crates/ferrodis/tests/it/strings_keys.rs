//! String and key basics through the `redis` crate, each in RESP2 and in RESP3.
//! Reference: Redis 7.2 `t_string.c`, `expire.c`, `db.c`.

use crate::support::{error_text, query, Proto, Server, BOTH};
use redis::Value;

/// Runs `body` once per protocol, each on a fresh server (so keys never leak between them).
fn each_protocol(body: impl Fn(&mut redis::Connection, Proto)) {
    for proto in BOTH {
        let server = Server::start();
        let mut con = server.client(proto);
        body(&mut con, proto);
    }
}

fn get(con: &mut redis::Connection, key: &str) -> Option<String> {
    redis::cmd("GET").arg(key).query(con).expect("GET")
}

fn int(con: &mut redis::Connection, args: &[&str]) -> i64 {
    match query(con, args) {
        Value::Int(n) => n,
        other => panic!("{args:?}: expected an integer reply, got {other:?}"),
    }
}

#[test]
fn set_with_nx_and_px_in_either_order() {
    each_protocol(|con, proto| {
        // redis-py >= 7.1 sends NX then PX; older versions PX then NX.
        assert_eq!(query(con, &["SET", "k", "v", "NX", "PX", "100000"]), Value::Okay, "{proto:?}");
        assert_eq!(query(con, &["SET", "k", "w", "PX", "100000", "NX"]), Value::Nil, "{proto:?}");
        assert_eq!(query(con, &["SET", "k2", "w", "PX", "100000", "NX"]), Value::Okay, "{proto:?}");
        assert_eq!(get(con, "k").as_deref(), Some("v"));
        let pttl = int(con, &["PTTL", "k2"]);
        assert!((99_000..=100_000).contains(&pttl), "{proto:?}: PTTL {pttl}");
        // XX and EX in either order too.
        assert_eq!(query(con, &["SET", "k", "x", "EX", "100", "XX"]), Value::Okay);
        assert_eq!(query(con, &["SET", "k", "y", "XX", "EX", "100"]), Value::Okay);
        assert_eq!(get(con, "k").as_deref(), Some("y"));
    });
}

#[test]
fn set_conflicting_options_is_a_syntax_error() {
    each_protocol(|con, proto| {
        assert_eq!(
            error_text(con, &["SET", "a", "b", "NX", "XX"]),
            "ERR syntax error",
            "{proto:?}"
        );
        assert_eq!(error_text(con, &["SET", "a", "b", "PX", "10", "EX", "10"]), "ERR syntax error");
        assert_eq!(
            error_text(con, &["SET", "a", "b", "EX", "0"]),
            "ERR invalid expire time in 'set' command"
        );
        assert_eq!(
            error_text(con, &["SET", "a", "b", "EX", "x"]),
            "ERR value is not an integer or out of range"
        );
    });
}

#[test]
fn set_get_option_returns_the_old_value() {
    each_protocol(|con, proto| {
        assert_eq!(query(con, &["SET", "k", "v1", "GET"]), Value::Nil, "{proto:?}");
        assert_eq!(
            query(con, &["SET", "k", "v2", "GET"]),
            Value::BulkString(b"v1".to_vec()),
            "{proto:?}"
        );
        assert_eq!(get(con, "k").as_deref(), Some("v2"));
    });
}

#[test]
fn expire_zero_deletes_the_key_and_returns_one() {
    // Django `cache.touch(k, 0)` and `set_many(..., 0)` rely on this.
    each_protocol(|con, proto| {
        assert_eq!(query(con, &["SET", "k", "v"]), Value::Okay);
        assert_eq!(int(con, &["EXPIRE", "k", "0"]), 1, "{proto:?}");
        assert_eq!(int(con, &["EXISTS", "k"]), 0, "{proto:?}");
        assert_eq!(get(con, "k"), None);
        assert_eq!(int(con, &["EXPIRE", "k", "0"]), 0, "{proto:?}: missing key");
        assert_eq!(query(con, &["SET", "k", "v"]), Value::Okay);
        assert_eq!(int(con, &["EXPIRE", "k", "-5"]), 1, "{proto:?}: negative");
        assert_eq!(int(con, &["EXISTS", "k"]), 0);
    });
}

#[test]
fn ttl_is_minus_one_without_expiry_and_minus_two_when_missing() {
    each_protocol(|con, proto| {
        assert_eq!(query(con, &["SET", "k", "v"]), Value::Okay);
        assert_eq!(int(con, &["TTL", "k"]), -1, "{proto:?}");
        assert_eq!(int(con, &["PTTL", "k"]), -1, "{proto:?}");
        assert_eq!(int(con, &["TTL", "missing"]), -2, "{proto:?}");
        assert_eq!(int(con, &["PTTL", "missing"]), -2, "{proto:?}");
        assert_eq!(int(con, &["EXPIRE", "k", "100"]), 1);
        let ttl = int(con, &["TTL", "k"]);
        assert!((99..=100).contains(&ttl), "{proto:?}: TTL {ttl}");
        assert_eq!(int(con, &["PERSIST", "k"]), 1);
        assert_eq!(int(con, &["TTL", "k"]), -1);
    });
}

#[test]
fn incrby_on_non_integer_value_is_an_error() {
    each_protocol(|con, proto| {
        assert_eq!(query(con, &["SET", "s", "abc"]), Value::Okay);
        assert_eq!(
            error_text(con, &["INCRBY", "s", "5"]),
            "ERR value is not an integer or out of range",
            "{proto:?}"
        );
        assert_eq!(error_text(con, &["INCR", "s"]), "ERR value is not an integer or out of range");
        assert_eq!(
            error_text(con, &["INCRBY", "n", "x"]),
            "ERR value is not an integer or out of range"
        );
        // Redis's string2ll: no spaces, no leading +.
        assert_eq!(query(con, &["SET", "sp", " 1"]), Value::Okay);
        assert_eq!(error_text(con, &["INCR", "sp"]), "ERR value is not an integer or out of range");
        assert_eq!(query(con, &["SET", "max", "9223372036854775807"]), Value::Okay);
        assert_eq!(error_text(con, &["INCR", "max"]), "ERR increment or decrement would overflow");
        assert_eq!(get(con, "s").as_deref(), Some("abc"), "value unchanged after the error");
    });
}

#[test]
fn incrby_creates_the_key_and_keeps_its_ttl() {
    each_protocol(|con, proto| {
        assert_eq!(int(con, &["INCRBY", "n", "5"]), 5, "{proto:?}");
        assert_eq!(int(con, &["INCRBY", "n", "-7"]), -2);
        assert_eq!(int(con, &["DECR", "n"]), -3);
        assert_eq!(int(con, &["EXPIRE", "n", "100"]), 1);
        assert_eq!(int(con, &["INCR", "n"]), -2);
        let ttl = int(con, &["TTL", "n"]);
        assert!((99..=100).contains(&ttl), "{proto:?}: INCR must keep the TTL, got {ttl}");
    });
}

#[test]
fn select_out_of_range_is_an_error() {
    each_protocol(|con, proto| {
        assert_eq!(error_text(con, &["SELECT", "16"]), "ERR DB index is out of range", "{proto:?}");
        assert_eq!(error_text(con, &["SELECT", "-1"]), "ERR DB index is out of range");
        assert_eq!(
            error_text(con, &["SELECT", "abc"]),
            "ERR value is not an integer or out of range"
        );
        // Databases 0..15 exist and are separate.
        assert_eq!(query(con, &["SET", "k", "in0"]), Value::Okay);
        assert_eq!(query(con, &["SELECT", "15"]), Value::Okay);
        assert_eq!(get(con, "k"), None);
        assert_eq!(query(con, &["SET", "k", "in15"]), Value::Okay);
        assert_eq!(query(con, &["SELECT", "0"]), Value::Okay);
        assert_eq!(get(con, "k").as_deref(), Some("in0"));
    });
}

#[test]
fn mget_with_missing_keys_returns_nils_in_place() {
    each_protocol(|con, proto| {
        assert_eq!(query(con, &["MSET", "a", "1", "b", "2"]), Value::Okay);
        let got: Vec<Option<String>> = redis::cmd("MGET")
            .arg("a")
            .arg("nokey")
            .arg("b")
            .arg("nokey2")
            .query(con)
            .expect("MGET");
        assert_eq!(got, vec![Some("1".into()), None, Some("2".into()), None], "{proto:?}");
        assert_eq!(
            query(con, &["MGET", "x", "a"]),
            Value::Array(vec![Value::Nil, Value::BulkString(b"1".to_vec())]),
            "{proto:?}"
        );
    });
}

#[test]
fn dbsize_counts_the_keys_of_the_selected_database() {
    each_protocol(|con, proto| {
        assert_eq!(int(con, &["DBSIZE"]), 0, "{proto:?}");
        assert_eq!(query(con, &["MSET", "a", "1", "b", "2", "c", "3"]), Value::Okay);
        assert_eq!(int(con, &["DBSIZE"]), 3, "{proto:?}");
        assert_eq!(int(con, &["DEL", "a", "nokey"]), 1);
        assert_eq!(int(con, &["DBSIZE"]), 2);
        assert_eq!(query(con, &["SELECT", "3"]), Value::Okay);
        assert_eq!(int(con, &["DBSIZE"]), 0);
    });
}

#[test]
fn flushdb_empties_only_the_selected_database() {
    each_protocol(|con, proto| {
        assert_eq!(query(con, &["MSET", "a", "1", "b", "2"]), Value::Okay);
        assert_eq!(query(con, &["SELECT", "1"]), Value::Okay);
        assert_eq!(query(con, &["SET", "c", "3"]), Value::Okay);
        assert_eq!(query(con, &["FLUSHDB"]), Value::Okay, "{proto:?}");
        assert_eq!(int(con, &["DBSIZE"]), 0);
        assert_eq!(query(con, &["SELECT", "0"]), Value::Okay);
        assert_eq!(int(con, &["DBSIZE"]), 2, "{proto:?}: db 0 untouched");
        assert_eq!(query(con, &["FLUSHALL"]), Value::Okay);
        assert_eq!(int(con, &["DBSIZE"]), 0);
    });
}

#[test]
fn del_and_exists_count_each_key() {
    each_protocol(|con, proto| {
        assert_eq!(query(con, &["MSET", "a", "1", "b", "2"]), Value::Okay);
        // EXISTS counts repeated keys each time.
        assert_eq!(int(con, &["EXISTS", "a", "a", "b", "nokey"]), 3, "{proto:?}");
        assert_eq!(int(con, &["DEL", "a", "a", "b", "nokey"]), 2, "{proto:?}");
        assert_eq!(int(con, &["EXISTS", "a", "b"]), 0);
    });
}

#[test]
fn type_reports_string_and_none() {
    each_protocol(|con, proto| {
        assert_eq!(query(con, &["SET", "a", "1"]), Value::Okay);
        assert_eq!(query(con, &["TYPE", "a"]), Value::SimpleString("string".into()), "{proto:?}");
        assert_eq!(query(con, &["TYPE", "nokey"]), Value::SimpleString("none".into()), "{proto:?}");
    });
}

/// The value of `field` in `INFO stats`.
fn stats_field(con: &mut redis::Connection, field: &str) -> String {
    let info: String = redis::cmd("INFO").arg("stats").query(con).expect("INFO stats");
    let prefix = format!("{field}:");
    info.lines()
        .find_map(|l| l.strip_prefix(&prefix))
        .unwrap_or_else(|| panic!("no {field} in {info}"))
        .to_string()
}

#[test]
fn config_resetstat_zeroes_keyspace_hits_misses_and_expired_keys() {
    // Redis's resetServerStats zeroes stat_keyspace_hits, stat_keyspace_misses and
    // stat_expiredkeys with the other counters.
    let server = Server::start();
    let mut con = server.client(Proto::Resp2);
    query(&mut con, &["SET", "k", "v"]);
    query(&mut con, &["SET", "gone", "v", "PX", "1"]);
    std::thread::sleep(std::time::Duration::from_millis(20));
    query(&mut con, &["GET", "k"]);
    query(&mut con, &["GET", "k"]);
    query(&mut con, &["GET", "missing"]);
    query(&mut con, &["GET", "gone"]);
    assert_eq!(stats_field(&mut con, "keyspace_hits"), "2");
    assert_eq!(stats_field(&mut con, "keyspace_misses"), "2");
    assert_eq!(stats_field(&mut con, "expired_keys"), "1");
    assert_eq!(query(&mut con, &["CONFIG", "RESETSTAT"]), Value::Okay);
    for field in ["keyspace_hits", "keyspace_misses", "expired_keys"] {
        assert_eq!(stats_field(&mut con, field), "0", "{field}");
    }
}

/// `used_memory_rss` from INFO memory, in bytes.
fn rss(con: &mut redis::Connection) -> i64 {
    let info: String = redis::cmd("INFO").arg("memory").query(con).unwrap();
    let line = info.lines().find(|l| l.starts_with("used_memory_rss:")).expect("used_memory_rss");
    line["used_memory_rss:".len()..].trim().parse().unwrap()
}

/// Stores 64 MiB of 1 KiB values under `prefix`, 1024 keys per pipeline.
fn fill_64_mib(con: &mut redis::Connection, prefix: &str) {
    let value = "v".repeat(1024);
    for batch in 0..64 {
        let mut pipe = redis::pipe();
        for i in 0..1024 {
            pipe.cmd("SET").arg(format!("{prefix}:{batch}:{i}")).arg(&value).ignore();
        }
        pipe.query::<()>(con).unwrap();
    }
}

/// MEMORY PURGE returns freed pages to the system at once (jemalloc keeps them otherwise
/// until its decay time passes): 64 MiB of values deleted, at least half of it leaves the
/// resident set. A synchronous FLUSHALL or FLUSHDB does the same by itself, as in Redis.
#[test]
fn memory_purge_and_sync_flushes_return_freed_pages() {
    let server = Server::start();
    let mut con = server.client(Proto::Resp2);
    // Debian's Redis 7.0 (the reference) answers the same but its resident set does not
    // shrink here (it runs the system's jemalloc), so the resident-set checks apply to
    // Ferrodis only.
    let check_rss = crate::support::reference_server().is_none();
    fill_64_mib(&mut con, "key");
    for batch in 0..64 {
        let mut del = redis::cmd("DEL");
        for i in 0..1024 {
            del.arg(format!("key:{batch}:{i}"));
        }
        let n: i64 = del.query(&mut con).unwrap();
        assert_eq!(n, 1024);
    }
    let before = rss(&mut con);
    let reply: String = redis::cmd("MEMORY").arg("PURGE").query(&mut con).unwrap();
    assert_eq!(reply, "OK");
    let after = rss(&mut con);
    assert!(!check_rss || before - after >= 32 << 20, "RSS {before} -> {after} after MEMORY PURGE");
    for flush in ["FLUSHALL", "FLUSHDB"] {
        fill_64_mib(&mut con, flush);
        let before = rss(&mut con);
        let _: () = redis::cmd(flush).query(&mut con).unwrap();
        let after = rss(&mut con);
        assert!(!check_rss || before - after >= 32 << 20, "RSS {before} -> {after} after {flush}");
        let dbsize: i64 = redis::cmd("DBSIZE").query(&mut con).unwrap();
        assert_eq!(dbsize, 0);
    }
}
