//! COMMAND DOCS argument parity: for every command and subcommand whose `arguments` Ferrodis
//! declares, our `arguments` (argument summaries left out), `history`, `doc_flags`,
//! `deprecated_since` and `replaced_by` must equal a real Redis's, in RESP2 and in RESP3.
//!
//! The reference is the `redis-server` on PATH (Debian's 7.0.15), started here as in
//! `command_info`. Whole frames are compared, so field order and RESP types (sets of status
//! strings for flags, a set of arrays for history, integers for key_spec_index) count too.
//! Command summaries and argument summaries are our own words and are not compared.
//!
//! A floor of commands that must carry arguments keeps the test from passing vacuously; the
//! commands Ferrodis has not described yet simply have no `arguments` field.

use crate::support::{require_tool, Frame, Raw, Server};
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
            if !doc.contains_key("arguments") {
                continue;
            }
            let Some(theirs) = ref_docs.get(name) else {
                problems.push(format!("{proto} {name}: the reference has no docs for it"));
                continue;
            };
            compared_count += 1;
            for ((field, mine), (_, want)) in compared(doc).into_iter().zip(compared(theirs)) {
                if mine != want {
                    problems.push(format!(
                        "{proto} {name}: {field}: ours {mine:?} / reference {want:?}"
                    ));
                }
            }
            if !name.contains('|') {
                let strip = |v: Vec<String>| -> Vec<String> {
                    v.into_iter().filter(|k| k != "summary").collect()
                };
                let (mine, want) =
                    (strip(key_order(&mut our_raw, name)), strip(key_order(&mut ref_raw, name)));
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
