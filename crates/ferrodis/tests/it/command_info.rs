//! COMMAND INFO parity: for every command and subcommand Ferrodis lists (`COMMAND LIST`), our
//! `COMMAND INFO <name>` must equal a real Redis's, in RESP2 and in RESP3.
//!
//! The reference is the `redis-server` on PATH (Debian's 7.0.15; the test fails with an
//! apt-get hint when it is missing), started here on a free port with `--save ''`. Ferrodis is
//! always the freshly built binary, also in reference mode (`FERRODIS_IT_REFERENCE`): this test
//! is itself the comparison.
//!
//! Compared per entry: name, arity, flags (as a set), first/last/step, ACL categories (as a
//! set), tips (as a set), key specs (in order: flags, begin_search, find_keys, notes; the
//! whole map, so the reply types too), and subcommands (as a set keyed by full name, each
//! compared recursively; Redis emits them in dict order). The RESP types of the fields (set
//! vs array) are compared as well.
//!
//! Ferrodis answers as Redis 7.2, the reference is 7.0. Where 7.2 legitimately differs, the
//! tables below state the 7.2 value with its source (redis 7.2 `src/commands/<cmd>.json`), and
//! the test asserts that OUR value equals it. When the reference itself is a 7.2, it must
//! agree with the table too, so the table is checked against a real 7.2 when one is at hand.

use crate::support::{reference_version, require_tool, Frame, Raw, Server};
use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

// ---------------------------------------------------------------------------------------------
// Redis 7.2 exception tables
// ---------------------------------------------------------------------------------------------

/// A whole COMMAND INFO entry of a command added in Redis 7.1/7.2 (the 7.0 reference replies
/// null for it). None of these has key specs or subcommands.
struct Only72 {
    name: &'static str,
    arity: i64,
    flags: &'static [&'static str],
    /// first, last, step.
    range: (i64, i64, i64),
    acl: &'static [&'static str],
    tips: &'static [&'static str],
    /// Where the 7.2 value comes from.
    #[allow(dead_code)]
    source: &'static str,
}

/// Commands and subcommands that Redis 7.2 has and 7.0 does not.
const ONLY_IN_72: &[Only72] = &[
    // CLIENT SETINFO (since 7.2.0): "arity": 4, "command_flags": NOSCRIPT LOADING STALE
    // SENTINEL (SENTINEL is not shown by COMMAND INFO), "acl_categories": CONNECTION (+ the
    // implicit @slow), "command_tips": REQUEST_POLICY:ALL_NODES RESPONSE_POLICY:ALL_SUCCEEDED,
    // no key specs. Seen in the generated commands.def of a redis 7.2.1 tree
    // (CLIENT_SETINFO_Tips) and in valkey's client-setinfo.json (forked from 7.2); an early
    // unstable commit of the file (redis/redis a51eb05) predates the tips.
    Only72 {
        name: "client|setinfo",
        arity: 4,
        flags: &["noscript", "loading", "stale"],
        range: (0, 0, 0),
        acl: &["@slow", "@connection"],
        tips: &["request_policy:all_nodes", "response_policy:all_succeeded"],
        source: "redis 7.2 src/commands/client-setinfo.json",
    },
    // CLIENT NO-TOUCH (since 7.2.0): "arity": 3, "command_flags": NOSCRIPT LOADING STALE,
    // "acl_categories": CONNECTION (+ the implicit @slow), no tips, no key specs.
    Only72 {
        name: "client|no-touch",
        arity: 3,
        flags: &["noscript", "loading", "stale"],
        range: (0, 0, 0),
        acl: &["@slow", "@connection"],
        tips: &[],
        source: "redis 7.2 src/commands/client-no-touch.json",
    },
];

/// One COMMAND INFO field whose 7.2 value differs from 7.0's.
#[allow(dead_code)]
enum Field72 {
    Flags(&'static [&'static str]),
    Acl(&'static [&'static str]),
    Tips(&'static [&'static str]),
    Arity(i64),
}

/// A field of an existing command that changed in Redis 7.2: OUR value must be `value`; the
/// 7.0 reference's must differ from it (else the entry is stale), a 7.2 reference's must equal
/// it.
struct Changed72 {
    name: &'static str,
    value: Field72,
    /// Where the 7.2 value comes from.
    #[allow(dead_code)]
    source: &'static str,
}

const CHANGED_IN_72: &[Changed72] = &[
    // BLPOP, BRPOP, BLMOVE, BRPOPLPUSH, BZPOPMIN, BZPOPMAX: 7.2 drops NOSCRIPT (7.0 has it):
    // blocking commands may run in scripts, where they behave as their non-blocking forms
    // (redis/redis#11568, released in 7.2; valkey's blpop.json etc. are ["WRITE","BLOCKING"]).
    Changed72 {
        name: "blpop",
        value: Field72::Flags(&["write", "blocking"]),
        source: "redis 7.2 src/commands/blpop.json",
    },
    Changed72 {
        name: "brpop",
        value: Field72::Flags(&["write", "blocking"]),
        source: "redis 7.2 src/commands/brpop.json",
    },
    Changed72 {
        name: "blmove",
        value: Field72::Flags(&["write", "denyoom", "blocking"]),
        source: "redis 7.2 src/commands/blmove.json",
    },
    Changed72 {
        name: "brpoplpush",
        value: Field72::Flags(&["write", "denyoom", "blocking"]),
        source: "redis 7.2 src/commands/brpoplpush.json",
    },
    Changed72 {
        name: "bzpopmin",
        value: Field72::Flags(&["write", "blocking", "fast"]),
        source: "redis 7.2 src/commands/bzpopmin.json",
    },
    Changed72 {
        name: "bzpopmax",
        value: Field72::Flags(&["write", "blocking", "fast"]),
        source: "redis 7.2 src/commands/bzpopmax.json",
    },
    // COMMAND GETKEYS: 7.0 has "arity": -4, 7.2 has "arity": -3 (the command to inspect may
    // come without arguments); redis/redis#11201 ("change arity to -3, fixes regression in
    // redis 7.0"), merged into unstable for 7.2 and not backported (7.0.15 still says -4).
    Changed72 {
        name: "command|getkeys",
        value: Field72::Arity(-3),
        source: "redis 7.2 src/commands/command-getkeys.json",
    },
    // COMMAND GETKEYSANDFLAGS: same change as GETKEYS, same PR.
    Changed72 {
        name: "command|getkeysandflags",
        value: Field72::Arity(-3),
        source: "redis 7.2 src/commands/command-getkeysandflags.json",
    },
    // ZRANK and ZREVRANK: 7.0 has "arity": 3, 7.2 has "arity": -3 for the optional
    // WITHSCORE argument added in 7.2.0 (redis/redis#11235; zrank.json / zrevrank.json
    // "history": [["7.2.0", "Added the optional `WITHSCORE` argument."]]).
    Changed72 {
        name: "zrank",
        value: Field72::Arity(-3),
        source: "redis 7.2 src/commands/zrank.json",
    },
    Changed72 {
        name: "zrevrank",
        value: Field72::Arity(-3),
        source: "redis 7.2 src/commands/zrevrank.json",
    },
    // CLIENT SETNAME: 7.2 adds "command_tips" REQUEST_POLICY:ALL_NODES
    // RESPONSE_POLICY:ALL_SUCCEEDED (7.0 has none), like the new CLIENT SETINFO. Seen in a
    // redis 7.2.1 commands.def (CLIENT_SETNAME_Tips) and valkey's client-setname.json.
    Changed72 {
        name: "client|setname",
        value: Field72::Tips(&["request_policy:all_nodes", "response_policy:all_succeeded"]),
        source: "redis 7.2 src/commands/client-setname.json",
    },
    // CONFIG RESETSTAT and CONFIG REWRITE: 7.2 adds "command_tips" REQUEST_POLICY:ALL_NODES
    // RESPONSE_POLICY:ALL_SUCCEEDED (7.0 has none). Seen in a redis 7.2.1 commands.def
    // (CONFIG_RESETSTAT_Tips, CONFIG_REWRITE_Tips) and valkey's config-resetstat.json /
    // config-rewrite.json.
    Changed72 {
        name: "config|resetstat",
        value: Field72::Tips(&["request_policy:all_nodes", "response_policy:all_succeeded"]),
        source: "redis 7.2 src/commands/config-resetstat.json",
    },
    Changed72 {
        name: "config|rewrite",
        value: Field72::Tips(&["request_policy:all_nodes", "response_policy:all_succeeded"]),
        source: "redis 7.2 src/commands/config-rewrite.json",
    },
    // LATENCY RESET: 7.0 has response_policy:all_succeeded, 7.2 response_policy:agg_sum (the
    // reply is the number of reset series, summed over nodes). Seen in a redis 7.2.1
    // commands.def (LATENCY_RESET_Tips) and valkey's latency-reset.json.
    Changed72 {
        name: "latency|reset",
        value: Field72::Tips(&["request_policy:all_nodes", "response_policy:agg_sum"]),
        source: "redis 7.2 src/commands/latency-reset.json",
    },
    // MSETNX: 7.0 has tips request_policy:multi_shard + response_policy:agg_min; 7.2 has no
    // "command_tips" (commands.def of a 7.2.1 tree: MSETNX_Tips NULL, 0 tips; valkey's
    // msetnx.json, forked from 7.2, has none either).
    Changed72 {
        name: "msetnx",
        value: Field72::Tips(&[]),
        source: "redis 7.2 src/commands/msetnx.json",
    },
    // RANDOMKEY: 7.2 adds RESPONSE_POLICY:SPECIAL to 7.0's two tips (7.2.1 commands.def:
    // RANDOMKEY_Tips, 3 tips; valkey randomkey.json lists all three).
    Changed72 {
        name: "randomkey",
        value: Field72::Tips(&[
            "request_policy:all_shards",
            "response_policy:special",
            "nondeterministic_output",
        ]),
        source: "redis 7.2 src/commands/randomkey.json",
    },
    // SCAN: 7.2 adds RESPONSE_POLICY:SPECIAL to 7.0's two tips (7.2.1 commands.def: SCAN_Tips,
    // 3 tips; valkey scan.json lists all three).
    Changed72 {
        name: "scan",
        value: Field72::Tips(&[
            "nondeterministic_output",
            "request_policy:special",
            "response_policy:special",
        ]),
        source: "redis 7.2 src/commands/scan.json",
    },
];

/// Redis 7.0 subcommands of containers Ferrodis implements, that Ferrodis does not implement
/// yet. Each must be absent from our COMMAND LIST and present in the reference's; when one is
/// implemented, remove it here and the comparison covers it.
const NOT_YET_IMPLEMENTED_SUBCOMMANDS: &[&str] = &["script|debug"];

// ---------------------------------------------------------------------------------------------
// Reading COMMAND INFO entries
// ---------------------------------------------------------------------------------------------

/// One COMMAND INFO entry, its fields kept as frames (so RESP types are compared too).
#[derive(Debug, Clone)]
struct Info {
    name: String,
    arity: Frame,
    flags: Frame,
    first: Frame,
    last: Frame,
    step: Frame,
    acl: Frame,
    tips: Frame,
    key_specs: Frame,
    subcommands: Frame,
}

fn text(f: &Frame) -> String {
    match f {
        Frame::Simple(s) => s.clone(),
        Frame::Bulk(b) => String::from_utf8_lossy(b).into_owned(),
        other => panic!("expected a string, got {other:?}"),
    }
}

fn parse_info(f: &Frame, what: &str) -> Info {
    let Frame::Array(items) = f else {
        panic!("{what}: a COMMAND INFO entry must be an array, got {f:?}")
    };
    assert_eq!(items.len(), 10, "{what}: a COMMAND INFO entry has 10 fields: {f:?}");
    Info {
        name: text(&items[0]),
        arity: items[1].clone(),
        flags: items[2].clone(),
        first: items[3].clone(),
        last: items[4].clone(),
        step: items[5].clone(),
        acl: items[6].clone(),
        tips: items[7].clone(),
        key_specs: items[8].clone(),
        subcommands: items[9].clone(),
    }
}

/// The reply kind of an aggregate (`~` set, `*` array, ...).
fn kind(f: &Frame) -> &'static str {
    match f {
        Frame::Array(_) => "array",
        Frame::Set(_) => "set",
        Frame::Map(_) => "map",
        Frame::Null => "null",
        Frame::NullArray => "null array",
        Frame::NullBulk => "null bulk",
        Frame::Int(_) => "integer",
        Frame::Bulk(_) => "bulk",
        Frame::Simple(_) => "status",
        _ => "other",
    }
}

/// Elements of an array or set.
fn elems(f: &Frame) -> &[Frame] {
    match f {
        Frame::Array(v) | Frame::Set(v) => v,
        other => panic!("expected an array or set, got {other:?}"),
    }
}

/// A set-like field as (reply kind, element texts): order is not compared.
fn as_set(f: &Frame) -> (&'static str, BTreeSet<String>) {
    (kind(f), elems(f).iter().map(|e| format!("{e:?}")).collect())
}

/// Sorts the elements of every RESP3 set inside `f` (key-spec flags), leaving arrays alone.
fn normalize(f: &Frame) -> Frame {
    match f {
        Frame::Set(v) => {
            let mut v: Vec<Frame> = v.iter().map(normalize).collect();
            v.sort_by_key(|e| format!("{e:?}"));
            Frame::Set(v)
        }
        Frame::Array(v) => Frame::Array(v.iter().map(normalize).collect()),
        Frame::Map(v) => Frame::Map(v.iter().map(|(k, x)| (normalize(k), normalize(x))).collect()),
        other => other.clone(),
    }
}

/// Key specs in order, each normalized (RESP2: the maps are flat arrays, compared as they are).
fn key_specs(f: &Frame) -> (&'static str, Vec<Frame>) {
    (kind(f), elems(f).iter().map(normalize).collect())
}

/// Subcommand entries by full name, and the reply kind of the list.
fn subcommands(f: &Frame, what: &str) -> (&'static str, BTreeMap<String, Info>) {
    let mut out = BTreeMap::new();
    for e in elems(f) {
        let info = parse_info(e, what);
        out.insert(info.name.clone(), info);
    }
    (kind(f), out)
}

fn strs(f: &Frame) -> BTreeSet<String> {
    elems(f).iter().map(text).collect()
}

fn owned(v: &[&str]) -> BTreeSet<String> {
    v.iter().map(|s| s.to_string()).collect()
}

fn only_72(name: &str) -> Option<&'static Only72> {
    ONLY_IN_72.iter().find(|o| o.name == name)
}

// ---------------------------------------------------------------------------------------------
// Comparison
// ---------------------------------------------------------------------------------------------

/// Compares one of our entries with the 7.2 exception tables and the reference's entry;
/// pushes one line per difference.
fn compare(
    ours: &Info,
    reference: Option<&Info>,
    ref_is_70: bool,
    proto: &str,
    out: &mut Vec<String>,
) {
    let name = ours.name.as_str();
    let diff = |out: &mut Vec<String>, field: &str, ours: String, theirs: String| {
        out.push(format!("{proto} {name}: {field}: ours {ours} / reference {theirs}"));
    };

    if let Some(want) = only_72(name) {
        // Added in 7.1/7.2: compare with the table; a 7.2 reference must agree with it.
        check_only_72(ours, want, proto, out);
        match reference {
            None if ref_is_70 => {}
            None => out.push(format!(
                "{proto} {name}: the (non-7.0) reference does not know this 7.2 command"
            )),
            Some(r) => check_only_72(r, want, &format!("{proto} (reference)"), out),
        }
        return;
    }
    let Some(theirs) = reference else {
        out.push(format!(
            "{proto} {name}: the reference does not know this command (COMMAND INFO replies null) \
             and it is not in ONLY_IN_72"
        ));
        return;
    };

    if ours.name != theirs.name {
        diff(out, "name", ours.name.clone(), theirs.name.clone());
    }
    let changes: Vec<&Field72> =
        CHANGED_IN_72.iter().filter(|c| c.name == name).map(|c| &c.value).collect();
    let arity_72 =
        changes.iter().find_map(|c| if let Field72::Arity(a) = c { Some(*a) } else { None });
    let flags_72 =
        changes.iter().find_map(|c| if let Field72::Flags(v) = c { Some(*v) } else { None });
    let acl_72 = changes.iter().find_map(|c| if let Field72::Acl(v) = c { Some(*v) } else { None });
    let tips_72 =
        changes.iter().find_map(|c| if let Field72::Tips(v) = c { Some(*v) } else { None });

    match arity_72 {
        Some(a) => check_changed(
            name,
            "arity",
            proto,
            &Frame::Int(a),
            &ours.arity,
            &theirs.arity,
            ref_is_70,
            out,
        ),
        None if ours.arity != theirs.arity => {
            diff(out, "arity", format!("{:?}", ours.arity), format!("{:?}", theirs.arity))
        }
        None => {}
    }
    for (field, o, t, exc) in [
        ("flags", &ours.flags, &theirs.flags, flags_72),
        ("acl categories", &ours.acl, &theirs.acl, acl_72),
        ("tips", &ours.tips, &theirs.tips, tips_72),
    ] {
        if kind(o) != kind(t) {
            diff(out, field, format!("a {}", kind(o)), format!("a {}", kind(t)));
            continue;
        }
        match exc {
            Some(v72) => {
                let (ov, tv, wv) = (strs(o), strs(t), owned(v72));
                if ov != wv {
                    out.push(format!(
                        "{proto} {name}: {field}: ours {ov:?} / Redis 7.2 (CHANGED_IN_72) {wv:?}"
                    ));
                }
                if ref_is_70 && tv == wv {
                    out.push(format!("{proto} {name}: {field}: CHANGED_IN_72 entry is stale: the 7.0 reference has the same {tv:?}"));
                }
                if !ref_is_70 && tv != wv {
                    out.push(format!("{proto} {name}: {field}: the 7.2 reference has {tv:?}, CHANGED_IN_72 says {wv:?}"));
                }
            }
            None => {
                let (os, ts) = (as_set(o).1, as_set(t).1);
                if os != ts {
                    let only_ours: Vec<_> = os.difference(&ts).collect();
                    let only_theirs: Vec<_> = ts.difference(&os).collect();
                    out.push(format!(
                        "{proto} {name}: {field}: only ours {only_ours:?}, only the reference {only_theirs:?}"
                    ));
                }
            }
        }
    }
    for (field, o, t) in [
        ("first key", &ours.first, &theirs.first),
        ("last key", &ours.last, &theirs.last),
        ("step", &ours.step, &theirs.step),
    ] {
        if o != t {
            diff(out, field, format!("{o:?}"), format!("{t:?}"));
        }
    }
    let (ok, ospecs) = key_specs(&ours.key_specs);
    let (tk, tspecs) = key_specs(&theirs.key_specs);
    if ok != tk {
        diff(out, "key specs", format!("a {ok}"), format!("a {tk}"));
    } else if ospecs != tspecs {
        diff(out, "key specs", format!("{ospecs:?}"), format!("{tspecs:?}"));
    }

    // Subcommands, as a set by full name, recursively.
    let (ok, osubs) = subcommands(&ours.subcommands, name);
    let (tk, tsubs) = subcommands(&theirs.subcommands, name);
    if ok != tk {
        diff(out, "subcommands", format!("a {ok}"), format!("a {tk}"));
    }
    for (sub, o) in &osubs {
        compare(o, tsubs.get(sub), ref_is_70, proto, out);
    }
    for sub in tsubs.keys() {
        if !osubs.contains_key(sub) && !NOT_YET_IMPLEMENTED_SUBCOMMANDS.contains(&sub.as_str()) {
            out.push(format!(
                "{proto} {name}: subcommand {sub} is missing from ours (and not in NOT_YET_IMPLEMENTED_SUBCOMMANDS)"
            ));
        }
    }
}

/// A 7.2-only entry against its table row.
fn check_only_72(got: &Info, want: &Only72, proto: &str, out: &mut Vec<String>) {
    let name = want.name;
    let mut check = |field: &str, ok: bool, got: String, want: String| {
        if !ok {
            out.push(format!("{proto} {name}: {field}: got {got} / Redis 7.2 (ONLY_IN_72) {want}"));
        }
    };
    check(
        "arity",
        got.arity == Frame::Int(want.arity),
        format!("{:?}", got.arity),
        want.arity.to_string(),
    );
    let range = (got.first.clone(), got.last.clone(), got.step.clone());
    let want_range = (Frame::Int(want.range.0), Frame::Int(want.range.1), Frame::Int(want.range.2));
    check(
        "first/last/step",
        range == want_range,
        format!("{range:?}"),
        format!("{:?}", want.range),
    );
    for (field, f, w) in [
        ("flags", &got.flags, want.flags),
        ("acl categories", &got.acl, want.acl),
        ("tips", &got.tips, want.tips),
    ] {
        check(field, strs(f) == owned(w), format!("{:?}", strs(f)), format!("{:?}", owned(w)));
    }
    check(
        "key specs",
        elems(&got.key_specs).is_empty(),
        format!("{:?}", got.key_specs),
        "none".into(),
    );
    check(
        "subcommands",
        elems(&got.subcommands).is_empty(),
        format!("{:?}", got.subcommands),
        "none".into(),
    );
}

/// A CHANGED_IN_72 scalar field.
#[allow(clippy::too_many_arguments)]
fn check_changed(
    name: &str,
    field: &str,
    proto: &str,
    want: &Frame,
    ours: &Frame,
    theirs: &Frame,
    ref_is_70: bool,
    out: &mut Vec<String>,
) {
    if ours != want {
        out.push(format!(
            "{proto} {name}: {field}: ours {ours:?} / Redis 7.2 (CHANGED_IN_72) {want:?}"
        ));
    }
    if ref_is_70 && theirs == want {
        out.push(format!("{proto} {name}: {field}: CHANGED_IN_72 entry is stale: the 7.0 reference has the same {theirs:?}"));
    }
    if !ref_is_70 && theirs != want {
        out.push(format!("{proto} {name}: {field}: the 7.2 reference has {theirs:?}, CHANGED_IN_72 says {want:?}"));
    }
}

// ---------------------------------------------------------------------------------------------
// The test
// ---------------------------------------------------------------------------------------------

fn connect(server: &Server, resp3: bool) -> Raw {
    let mut raw = server.raw();
    if resp3 {
        let hello = raw.frame(&["HELLO", "3"]);
        assert!(matches!(hello, Frame::Map(_)), "HELLO 3: {hello:?}");
    }
    raw
}

/// COMMAND INFO of one name: `None` when the server replies null (unknown command).
fn info(raw: &mut Raw, name: &str, what: &str) -> Option<Info> {
    let reply = raw.frame(&["COMMAND", "INFO", name]);
    let Frame::Array(items) = &reply else {
        panic!("{what}: COMMAND INFO {name}: expected an array, got {reply:?}")
    };
    assert_eq!(items.len(), 1, "{what}: COMMAND INFO {name}: one entry expected: {reply:?}");
    match &items[0] {
        Frame::Null | Frame::NullArray | Frame::NullBulk => None,
        entry => {
            let info = parse_info(entry, what);
            assert_eq!(info.name, name, "{what}: COMMAND INFO {name} names another command");
            Some(info)
        }
    }
}

fn names(raw: &mut Raw, args: &[&str]) -> BTreeSet<String> {
    let reply = raw.frame(args);
    elems(&reply).iter().map(text).collect()
}

#[test]
fn command_info_matches_redis() {
    let redis = require_tool("redis-server", "redis-server");
    let reference =
        Server::builder().binary(redis).arg("save", &[""]).arg("appendonly", &["no"]).start();
    let ours =
        Server::builder().binary(PathBuf::from(env!("CARGO_BIN_EXE_ferrodis-server"))).start();

    let version = reference_version(&mut reference.raw());
    let ref_is_70 = version.starts_with("7.0.");

    let our_names = names(&mut ours.raw(), &["COMMAND", "LIST"]);
    let ref_names = names(&mut reference.raw(), &["COMMAND", "LIST"]);
    assert!(our_names.len() > 50, "our COMMAND LIST is suspiciously short: {our_names:?}");

    let mut problems = Vec::new();

    // Every command we list exists in the reference, or is a 7.2 addition.
    for n in &our_names {
        let known = ref_names.contains(n) || (ref_is_70 && only_72(n).is_some());
        if !known {
            problems.push(format!(
                "{n}: in our COMMAND LIST but not in the reference's (nor ONLY_IN_72)"
            ));
        }
    }
    for o in ONLY_IN_72 {
        if ref_is_70 && ref_names.contains(o.name) {
            problems
                .push(format!("ONLY_IN_72 entry {} is stale: the 7.0 reference has it", o.name));
        }
    }
    for c in CHANGED_IN_72 {
        if !our_names.contains(c.name) {
            problems.push(format!("CHANGED_IN_72 entry {} is not one of our commands", c.name));
        }
    }
    // The not-yet-implemented list stays honest in both directions.
    for sub in NOT_YET_IMPLEMENTED_SUBCOMMANDS {
        if our_names.contains(*sub) {
            problems.push(format!(
                "{sub} is implemented now: remove it from NOT_YET_IMPLEMENTED_SUBCOMMANDS"
            ));
        }
        if !ref_names.contains(*sub) {
            problems.push(format!(
                "{sub} (NOT_YET_IMPLEMENTED_SUBCOMMANDS) is not a reference command"
            ));
        }
    }

    for resp3 in [false, true] {
        let proto = if resp3 { "RESP3" } else { "RESP2" };
        let mut o = connect(&ours, resp3);
        let mut r = connect(&reference, resp3);
        for n in &our_names {
            let Some(mine) = info(&mut o, n, &format!("ours, {proto}")) else {
                problems.push(format!(
                    "{proto} {n}: listed by our COMMAND LIST, but our COMMAND INFO replies null"
                ));
                continue;
            };
            let theirs = info(&mut r, n, &format!("reference, {proto}"));
            compare(&mine, theirs.as_ref(), ref_is_70, proto, &mut problems);
        }
    }

    // Each difference shows up once per path (top level and as a subcommand entry): dedup.
    let mut seen = BTreeSet::new();
    problems.retain(|p| seen.insert(p.clone()));
    assert!(
        problems.is_empty(),
        "COMMAND INFO differs from Redis {version} (Ferrodis must answer as Redis 7.2; 7.2 changes \
         go in ONLY_IN_72 / CHANGED_IN_72 with their source) in {} places:\n{}",
        problems.len(),
        problems.join("\n")
    );
}
