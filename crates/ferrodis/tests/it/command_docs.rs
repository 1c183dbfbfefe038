//! COMMAND DOCS argument parity: for every command and subcommand whose `arguments` Ferrodis
//! declares, our `arguments` (argument summaries left out), `history`, `doc_flags`,
//! `deprecated_since` and `replaced_by` must equal a real Redis's, in RESP2 and in RESP3.
//!
//! The reference is the `redis-server` on PATH (Debian's 7.0.15), started here as in
//! `command_info`. Whole frames are compared, so field order and RESP types (sets of status
//! strings for flags, a set of arrays for history, integers for key_spec_index) count too.
//! Command summaries and argument summaries are our own words and are not compared.
//!
//! `history`, `doc_flags`, `deprecated_since` and `replaced_by` are compared for every command
//! both servers know, `arguments` for those Ferrodis describes. Ferrodis follows Redis 7.2:
//! where 7.2's docs differ from the 7.0 reference, the `ONLY_IN_72` and `CHANGED_IN_72` tables
//! give the 7.2 value and its source (as `command_info` does for COMMAND INFO).
//!
//! Known gap, not covered by the tables: redis/redis#11051 (merged 2022-07, after 7.0, so in
//! 7.2) made argument names unique and hyphenated (`flush-type`, `client-type`,
//! `unblock-type`, `data`, `limit`, `range`, ...) and gives every argument that is not a
//! `oneof` or `block` a `display_text`. Ferrodis still serves the 7.0 names without
//! `display_text`, which is what this test checks; the table values are in that 7.0 shape.
//!
//! A floor of commands that must carry arguments keeps the test from passing vacuously; the
//! commands Ferrodis has not described yet simply have no `arguments` field.

use crate::support::{reference_version, require_tool, Frame, Raw, Server};
use std::collections::BTreeMap;
use std::path::PathBuf;

/// Commands whose arguments Ferrodis declares; each must have them and match the reference.
const DESCRIBED: &[&str] = &[
    // strings
    "get",
    "set",
    "setnx",
    "setex",
    "psetex",
    "getset",
    "getdel",
    "getex",
    "mget",
    "mset",
    "msetnx",
    "append",
    "strlen",
    "getrange",
    "substr",
    "setrange",
    "incr",
    "decr",
    "incrby",
    "decrby",
    "incrbyfloat",
    "lcs",
    // generic
    "del",
    "unlink",
    "exists",
    "touch",
    "type",
    "expire",
    "pexpire",
    "expireat",
    "pexpireat",
    "ttl",
    "pttl",
    "expiretime",
    "pexpiretime",
    "persist",
    "keys",
    "scan",
    "rename",
    "renamenx",
    "copy",
    "move",
    "swapdb",
    "object|encoding",
    "object|freq",
    "object|idletime",
    "object|refcount",
    // bitmaps
    "setbit",
    "getbit",
    "bitcount",
    "bitpos",
    "bitop",
    "bitfield",
    "bitfield_ro",
    // lists
    "lindex",
    "linsert",
    "llen",
    "lmove",
    "lmpop",
    "lpop",
    "lpos",
    "lpush",
    "lpushx",
    "lrange",
    "lrem",
    "lset",
    "ltrim",
    "rpop",
    "rpoplpush",
    "rpush",
    "rpushx",
    // hashes
    "hdel",
    "hexists",
    "hget",
    "hgetall",
    "hincrby",
    "hincrbyfloat",
    "hkeys",
    "hlen",
    "hmget",
    "hmset",
    "hrandfield",
    "hscan",
    "hset",
    "hsetnx",
    "hstrlen",
    "hvals",
    // sets
    "sadd",
    "scard",
    "sdiff",
    "sdiffstore",
    "sinter",
    "sintercard",
    "sinterstore",
    "sismember",
    "smembers",
    "smismember",
    "smove",
    "spop",
    "srandmember",
    "srem",
    "sscan",
    "sunion",
    "sunionstore",
    // sorted sets
    "zadd",
    "zcard",
    "zcount",
    "zdiff",
    "zdiffstore",
    "zincrby",
    "zinter",
    "zintercard",
    "zinterstore",
    "zlexcount",
    "zmpop",
    "zmscore",
    "zpopmax",
    "zpopmin",
    "zrandmember",
    "zrange",
    "zrangebylex",
    "zrangebyscore",
    "zrangestore",
    "zrem",
    "zremrangebylex",
    "zremrangebyrank",
    "zremrangebyscore",
    "zrevrange",
    "zrevrangebylex",
    "zrevrangebyscore",
    "zscan",
    "zscore",
    "zunion",
    "zunionstore",
    // hyperloglog
    "pfadd",
    "pfcount",
    "pfdebug",
    "pfmerge",
    // blocking pops and transactions
    "blpop",
    "brpop",
    "blmove",
    "brpoplpush",
    "blmpop",
    "bzpopmin",
    "bzpopmax",
    "bzmpop",
    "watch",
    // connection
    "ping",
    "echo",
    "select",
    "auth",
    "hello",
    "client|kill",
    "client|list",
    "client|no-evict",
    "client|pause",
    "client|reply",
    "client|setname",
    "client|unblock",
    // server and introspection
    "flushall",
    "flushdb",
    "info",
    "shutdown",
    "config|get",
    "config|set",
    "command|docs",
    "command|info",
    "command|list",
    "slowlog|get",
    "latency|graph",
    "latency|histogram",
    "latency|history",
    "latency|reset",
    "memory|usage",
    "function|flush",
    "function|list",
    // Redis 7.2 (see the tables below)
    "zrank",
    "zrevrank",
    "client|setinfo",
    "client|no-touch",
];

/// (name, [(field, 7.2 value)], source).
type Only72 = (&'static str, &'static [(&'static str, &'static str)], &'static str);

/// Commands that exist only since Redis 7.1/7.2, so a 7.0 reference has no docs for them:
/// (name, the compared fields as [`render`] writes them, source). Each is also compared with
/// a 7.2 reference when the reference is 7.2.
const ONLY_IN_72: &[Only72] = &[
    // "arguments": one `attr` oneof of `LIB-NAME libname` and `LIB-VER libver`; no history. The
    // json writes the tokens in lower case, the generated commands.def (what COMMAND DOCS
    // serves) in upper case: CLIENT_SETINFO_attr_Subargs in redis/redis da13ede src/commands.def.
    (
        "client|setinfo",
        &[(
            "arguments",
            r#"[{"name":"attr","type":"oneof","arguments":[{"name":"libname","type":"string","token":"LIB-NAME"},{"name":"libver","type":"string","token":"LIB-VER"}]}]"#,
        )],
        "redis 7.2 src/commands/client-setinfo.json (valkey 8.1 client-setinfo.json agrees)",
    ),
    // "arguments": the `enabled` oneof ON | OFF, as CLIENT NO-EVICT.
    (
        "client|no-touch",
        &[(
            "arguments",
            r#"[{"name":"enabled","type":"oneof","arguments":[{"name":"on","type":"pure-token","token":"ON"},{"name":"off","type":"pure-token","token":"OFF"}]}]"#,
        )],
        "redis 7.2 src/commands/client-no-touch.json (valkey 8.1 client-no-touch.json agrees)",
    ),
];

/// Docs fields that Redis 7.2 changed: (name, field, the 7.2 value as [`render`] writes it,
/// source). With a 7.0 reference, ours must equal the 7.2 value and the reference must still
/// differ from it (else the entry is stale); with a 7.2 reference, both must equal it.
const CHANGED_IN_72: &[(&str, &str, &str, &str)] = &[
    // ZRANK/ZREVRANK gain `[WITHSCORE]` (optional pure token) and a 7.2.0 history entry.
    (
        "zrank",
        "arguments",
        r#"[{"name":"key","type":"key","key_spec_index":0},{"name":"member","type":"string"},{"name":"withscore","type":"pure-token","token":"WITHSCORE","flags":["optional"]}]"#,
        "redis 7.2 src/commands/zrank.json (valkey 8.1 zrank.json agrees)",
    ),
    ("zrank", "history", r#"["7.2.0"]"#, "redis 7.2 src/commands/zrank.json"),
    (
        "zrevrank",
        "arguments",
        r#"[{"name":"key","type":"key","key_spec_index":0},{"name":"member","type":"string"},{"name":"withscore","type":"pure-token","token":"WITHSCORE","flags":["optional"]}]"#,
        "redis 7.2 src/commands/zrevrank.json (valkey 8.1 zrevrank.json agrees)",
    ),
    ("zrevrank", "history", r#"["7.2.0"]"#, "redis 7.2 src/commands/zrevrank.json"),
    // PFMERGE's `sourcekey` becomes optional (arity -2 always allowed `PFMERGE destkey`).
    (
        "pfmerge",
        "arguments",
        r#"[{"name":"destkey","type":"key","key_spec_index":0},{"name":"sourcekey","type":"key","key_spec_index":1,"flags":["optional","multiple"]}]"#,
        "redis 7.2 src/commands/pfmerge.json (valkey 8.1 pfmerge.json agrees)",
    ),
    // QUIT is deprecated in 7.2.0: clients should just close the connection.
    ("quit", "doc_flags", r#"["deprecated"]"#, "redis 7.2 src/commands/quit.json"),
    ("quit", "deprecated_since", r#""7.2.0""#, "redis 7.2 src/commands/quit.json"),
    (
        "quit",
        "replaced_by",
        r#""just closing the connection""#,
        "redis 7.2 src/commands/quit.json (valkey 8.1 quit.json agrees)",
    ),
];

/// The docs fields compared (besides the summary, since, group and complexity).
const FIELDS: &[&str] = &["doc_flags", "deprecated_since", "replaced_by", "history", "arguments"];

fn text(f: &Frame) -> String {
    match f {
        Frame::Bulk(b) => String::from_utf8_lossy(b).into_owned(),
        Frame::Simple(s) => s.clone(),
        other => panic!("expected a string, got {other:?}"),
    }
}

/// The (key, value) pairs of a map, RESP3 map or RESP2 flat array.
fn pairs(f: &Frame) -> Vec<(Frame, Frame)> {
    match f {
        Frame::Map(m) => m.clone(),
        Frame::Array(a) => {
            assert!(a.len() % 2 == 0, "odd flat map: {f:?}");
            a.chunks(2).map(|c| (c[0].clone(), c[1].clone())).collect()
        }
        other => panic!("expected a map, got {other:?}"),
    }
}

/// Rebuilds a map in the shape it came in (RESP3 map or RESP2 flat array).
fn rebuild(like: &Frame, pairs: Vec<(Frame, Frame)>) -> Frame {
    match like {
        Frame::Map(_) => Frame::Map(pairs),
        _ => Frame::Array(pairs.into_iter().flat_map(|(k, v)| [k, v]).collect()),
    }
}

/// A `history` set reduced to its versions: the change notes are prose, written in our own
/// words, while the versions in which a command changed are facts that must match.
fn history_versions(history: &Frame) -> Frame {
    let items = match history {
        Frame::Array(a) | Frame::Set(a) => a,
        other => panic!("history: expected an array or set, got {other:?}"),
    };
    let mut versions: Vec<String> = items
        .iter()
        .map(|entry| match entry {
            Frame::Array(pair) if pair.len() == 2 => text(&pair[0]),
            other => panic!("history entry: expected [version, note], got {other:?}"),
        })
        .collect();
    versions.sort();
    Frame::Array(versions.into_iter().map(|v| Frame::Bulk(v.into_bytes())).collect())
}

/// An `arguments` list with every argument's `summary` removed, recursively.
fn strip_summaries(args: &Frame) -> Frame {
    let Frame::Array(items) = args else { panic!("arguments: expected an array, got {args:?}") };
    Frame::Array(
        items
            .iter()
            .map(|arg| {
                let kept =
                    pairs(arg)
                        .into_iter()
                        .filter(|(k, _)| text(k) != "summary")
                        .map(|(k, v)| {
                            if text(&k) == "arguments" {
                                (k, strip_summaries(&v))
                            } else {
                                (k, v)
                            }
                        })
                        .collect();
                rebuild(arg, kept)
            })
            .collect(),
    )
}

/// Every docs entry of a COMMAND DOCS reply, subcommands included, by full name.
fn entries(reply: &Frame, out: &mut BTreeMap<String, BTreeMap<String, Frame>>) {
    for (name, doc) in pairs(reply) {
        let fields: BTreeMap<String, Frame> =
            pairs(&doc).into_iter().map(|(k, v)| (text(&k), v)).collect();
        if let Some(subs) = fields.get("subcommands") {
            entries(subs, out);
        }
        out.insert(text(&name), fields);
    }
}

/// The compared fields of one entry, in reply order (arguments without summaries).
fn compared(doc: &BTreeMap<String, Frame>) -> Vec<(String, Option<Frame>)> {
    FIELDS
        .iter()
        .map(|f| {
            let v = doc.get(*f).map(|v| match *f {
                "arguments" => strip_summaries(v),
                "history" => history_versions(v),
                _ => v.clone(),
            });
            (f.to_string(), v)
        })
        .collect()
}

/// A compared field as compact JSON (the form of the 7.2 tables); `absent` when missing.
fn render(field: &str, value: &Option<Frame>) -> String {
    match value {
        None => "absent".to_string(),
        Some(v) if field == "arguments" => render_args(v),
        Some(v) => render_plain(v),
    }
}

fn render_plain(f: &Frame) -> String {
    match f {
        Frame::Bulk(_) | Frame::Simple(_) => format!("{:?}", text(f)),
        Frame::Int(n) => n.to_string(),
        Frame::Array(a) | Frame::Set(a) => {
            format!("[{}]", a.iter().map(render_plain).collect::<Vec<_>>().join(","))
        }
        other => panic!("unexpected docs value {other:?}"),
    }
}

fn render_args(args: &Frame) -> String {
    let Frame::Array(items) = args else { panic!("arguments: expected an array, got {args:?}") };
    let one = |arg: &Frame| {
        let fields: Vec<String> = pairs(arg)
            .iter()
            .map(|(k, v)| {
                let k = text(k);
                let v = if k == "arguments" { render_args(v) } else { render_plain(v) };
                format!("{k:?}:{v}")
            })
            .collect();
        format!("{{{}}}", fields.join(","))
    };
    format!("[{}]", items.iter().map(one).collect::<Vec<_>>().join(","))
}

/// Compares one entry that exists only since 7.2 with its ONLY_IN_72 row (and with a 7.2
/// reference's entry, when there is one).
fn check_only_72(
    name: &str,
    doc: &BTreeMap<String, Frame>,
    want: &[(&str, &str)],
    reference: Option<&BTreeMap<String, Frame>>,
    ref_is_70: bool,
    proto: &str,
    problems: &mut Vec<String>,
) {
    let theirs = reference.map(compared);
    for (i, (field, mine)) in compared(doc).into_iter().enumerate() {
        let expected = want.iter().find(|(f, _)| *f == field).map_or("absent", |(_, v)| *v);
        let mine = render(&field, &mine);
        if mine != expected {
            problems.push(format!(
                "{proto} {name}: {field}: ours {mine} / Redis 7.2 (ONLY_IN_72) {expected}"
            ));
        }
        if let Some(theirs) = &theirs {
            let theirs = render(&field, &theirs[i].1);
            if ref_is_70 || theirs != expected {
                problems.push(format!(
                    "{proto} {name}: {field}: the reference has {theirs}, ONLY_IN_72 says {expected}"
                ));
            }
        }
    }
}

fn docs(raw: &mut Raw, names: &[&str]) -> BTreeMap<String, BTreeMap<String, Frame>> {
    let mut args = vec!["COMMAND", "DOCS"];
    args.extend_from_slice(names);
    let reply = raw.frame(&args);
    let mut out = BTreeMap::new();
    entries(&reply, &mut out);
    out
}

/// The order of a docs entry's keys (to check our field order against the reference's).
fn key_order(raw: &mut Raw, name: &str) -> Vec<String> {
    let reply = raw.frame(&["COMMAND", "DOCS", name]);
    let (_, doc) = pairs(&reply).into_iter().next().expect("one entry");
    pairs(&doc).into_iter().map(|(k, _)| text(&k)).collect()
}

#[test]
fn command_docs_arguments_match_redis() {
    let redis = require_tool("redis-server", "redis-server");
    let reference =
        Server::builder().binary(redis).arg("save", &[""]).arg("appendonly", &["no"]).start();
    let ours =
        Server::builder().binary(PathBuf::from(env!("CARGO_BIN_EXE_ferrodis-server"))).start();

    let version = reference_version(&mut reference.raw());
    let ref_is_70 = version.starts_with("7.0.");

    let mut problems = Vec::new();
    for resp3 in [false, true] {
        let proto = if resp3 { "RESP3" } else { "RESP2" };
        let (mut our_raw, mut ref_raw) = (ours.raw(), reference.raw());
        if resp3 {
            our_raw.frame(&["HELLO", "3"]);
            ref_raw.frame(&["HELLO", "3"]);
        }
        let our_docs = docs(&mut our_raw, &[]);
        let ref_docs = docs(&mut ref_raw, &[]);
        for name in DESCRIBED {
            let has = our_docs.get(*name).is_some_and(|d| d.contains_key("arguments"));
            if !has {
                problems.push(format!("{proto} {name}: no arguments in our COMMAND DOCS"));
            }
        }
        let mut compared_count = 0;
        for (name, doc) in &our_docs {
            let has_args = doc.contains_key("arguments");
            if let Some((_, want, _)) = ONLY_IN_72.iter().find(|(n, _, _)| n == name) {
                compared_count += usize::from(has_args);
                let theirs = ref_docs.get(name);
                check_only_72(name, doc, want, theirs, ref_is_70, proto, &mut problems);
                continue;
            }
            let Some(theirs) = ref_docs.get(name) else {
                if has_args {
                    problems.push(format!("{proto} {name}: the reference has no docs for it"));
                }
                continue;
            };
            compared_count += usize::from(has_args);
            // Every entry's history, doc flags and deprecation; arguments where we have them.
            for ((field, mine), (_, want)) in compared(doc).into_iter().zip(compared(theirs)) {
                if field == "arguments" && !has_args {
                    continue;
                }
                let change = CHANGED_IN_72.iter().find(|(n, f, _, _)| n == name && *f == field);
                if let Some((_, _, v72, _)) = change {
                    let (mine, want) = (render(&field, &mine), render(&field, &want));
                    if mine != *v72 {
                        problems.push(format!(
                            "{proto} {name}: {field}: ours {mine} / Redis 7.2 (CHANGED_IN_72) {v72}"
                        ));
                    }
                    if ref_is_70 == (want == *v72) {
                        problems.push(format!(
                            "{proto} {name}: {field}: the {version} reference has {want}, CHANGED_IN_72 says {v72}"
                        ));
                    }
                } else if mine != want {
                    problems.push(format!(
                        "{proto} {name}: {field}: ours {mine:?} / reference {want:?}"
                    ));
                }
            }
            if has_args && !name.contains('|') {
                // Field order, over the fields both have (a 7.2 change may add one).
                let (mine, want) = (key_order(&mut our_raw, name), key_order(&mut ref_raw, name));
                let both = |v: &[String], other: &[String]| -> Vec<String> {
                    v.iter().filter(|k| *k != "summary" && other.contains(k)).cloned().collect()
                };
                let (mine, want) = (both(&mine, &want), both(&want, &mine));
                if mine != want {
                    problems.push(format!(
                        "{proto} {name}: field order: ours {mine:?} / reference {want:?}"
                    ));
                }
            }
        }
        assert!(compared_count >= DESCRIBED.len(), "{proto}: only {compared_count} compared");

        // Named lookups answer the same as the full listing.
        let some = docs(&mut our_raw, &["set", "object|encoding", "scan"]);
        for (name, doc) in &some {
            assert_eq!(compared(doc), compared(&our_docs[name]), "{proto} {name}: named lookup");
        }
    }
    assert!(problems.is_empty(), "COMMAND DOCS differences:\n{}", problems.join("\n"));
}
