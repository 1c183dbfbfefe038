//! SORT and SORT_RO: sorting the elements of a list, set or sorted set, numerically or
//! lexicographically, by themselves or by weights read from other keys (`BY pattern`),
//! returning them or values read through `GET pattern`s, or storing the result as a list
//! (`STORE`, SORT only).
//!
//! Semantics follow <https://redis.io/commands/sort/>, <https://redis.io/commands/sort_ro/>
//! and Redis 7.2's `src/sort.c` (`sortCommandGeneric`, `lookupKeyByPattern`, `sortCompare`):
//!
//! - Options are parsed left to right; the first bad one answers (`ERR syntax error`, or
//!   `ERR value is not an integer or out of range` for LIMIT's numbers); STORE is a syntax
//!   error for SORT_RO. Then the key is read: a missing key sorts as an empty list, a type
//!   other than list, set and sorted set is `WRONGTYPE`.
//! - `BY` with a pattern without `*` means "do not sort" (`BY nosort`): lists and sorted sets
//!   keep their order (reversed by DESC, LIMIT applied in that order), sets their iteration
//!   order (DESC ignored), except that a set sorted with STORE or from a script is sorted
//!   ALPHA so that the result does not depend on the set's layout.
//! - Numeric sorting reads each weight with `strtod` semantics (leading blanks allowed, the
//!   text up to a NUL byte must be a whole number; the empty string is 0; a missing BY key
//!   weighs 0); any bad weight answers `ERR One or more scores can't be converted into
//!   double`. Equal weights order by the elements' bytes. ALPHA compares bytes (Redis uses
//!   `strcoll`, byte order in the C locale, and stops at a NUL byte; with STORE it compares
//!   whole byte strings); with BY, elements whose weight key is missing sort first.
//! - Patterns: `#` is the element itself; otherwise the first `*` is replaced by the element
//!   and the key must be a string, or with `key->field` (the `->` after the `*`, a non-empty
//!   field) a hash whose field is read; anything else, or a pattern without `*`, is missing
//!   (a null in the reply, an empty string in a stored list).
//! - STORE replaces the destination with a list (`listpack` when small enough, else
//!   `quicklist`, its TTL cleared; keyspace event `sortstore`), or deletes it when the
//!   result is empty (event `del`); the reply is the stored length.
//! - Sorting a `listpack` sorted set converts it to `skiplist` (as `zsetConvert` in
//!   `sortCommandGeneric` does, SORT_RO included).
//!
//! BY and GET patterns read keys that no argument names: such a command holds every shard
//! ([`CommandSpec::lock_all_when`], [`reaches_pattern_keys`]). The STORE destination is found
//! by [`sort_get_keys`] (Redis's `sortGetKeys`: the last STORE wins), which COMMAND GETKEYS
//! and dispatch's locking use. A BY with a LIMIT that cuts the result sorts with Redis's
//! partial quicksort (`pqsort`, shared with GEOSEARCH: [`super::geo::hash::pqsort`]), other
//! sorts with a stable sort (glibc's `qsort` is a merge sort), so elements of equal ALPHA
//! weight land where Redis puts them. Not emulated: the cluster-mode and ACL refusals of
//! BY/GET; Redis reading a stale `errno` after an out-of-range weight (its later numeric
//! sorts may fail too).

use crate::args;
use crate::context::Ctx;
use crate::errors::CommandError;
use crate::notify::{NOTIFY_GENERIC, NOTIFY_LIST};
use crate::spec::{acl, flags, keyflags, BeginSearch, CommandSpec, FindKeys, Group, KeySpec};
use bytes::Bytes;
use ferrodis_keyspace::types::List;
use ferrodis_keyspace::{TtlUpdate, Value};
use ferrodis_resp::Reply;
use std::cmp::Ordering;

/// The error for a weight that is not a number.
const NOT_DOUBLE: &str = "ERR One or more scores can't be converted into double";

/// Parsed options of one SORT / SORT_RO call.
#[derive(Debug, Default)]
struct Options {
    desc: bool,
    alpha: bool,
    /// `LIMIT offset count`, as given.
    limit: Option<(i64, i64)>,
    /// The last BY pattern.
    by: Option<Bytes>,
    /// BY with a constant pattern: do not sort.
    dontsort: bool,
    /// GET patterns, in order.
    gets: Vec<Bytes>,
    /// STORE destination (the last one given).
    store: Option<Bytes>,
}

/// Parses the options after the key, as `sortCommandGeneric` does: left to right, the first
/// bad option answers. `readonly` (SORT_RO) refuses STORE as a syntax error.
fn parse_options(argv: &[Bytes], readonly: bool) -> Result<Options, CommandError> {
    let mut o = Options::default();
    let mut j = 2;
    while j < argv.len() {
        let left = argv.len() - j - 1;
        let a = &argv[j];
        if args::is(a, "asc") {
            o.desc = false;
        } else if args::is(a, "desc") {
            o.desc = true;
        } else if args::is(a, "alpha") {
            o.alpha = true;
        } else if args::is(a, "limit") && left >= 2 {
            let start = args::int(&argv[j + 1])?;
            let count = args::int(&argv[j + 2])?;
            o.limit = Some((start, count));
            j += 2;
        } else if !readonly && args::is(a, "store") && left >= 1 {
            o.store = Some(argv[j + 1].clone());
            j += 1;
        } else if args::is(a, "by") && left >= 1 {
            // The last BY pattern is used; any constant one (no `*` before a NUL byte) means
            // "do not sort", even when a later BY has a pattern.
            o.by = Some(argv[j + 1].clone());
            if !c_str(&argv[j + 1]).contains(&b'*') {
                o.dontsort = true;
            }
            j += 1;
        } else if args::is(a, "get") && left >= 1 {
            o.gets.push(argv[j + 1].clone());
            j += 1;
        } else {
            return Err(CommandError::Syntax);
        }
        j += 1;
    }
    Ok(o)
}

/// The bytes of `s` up to its first NUL byte: what C string functions (`strchr`, `strtod`,
/// `strcoll`) see of an sds.
fn c_str(s: &[u8]) -> &[u8] {
    match s.iter().position(|&b| b == 0) {
        Some(i) => &s[..i],
        None => s,
    }
}

/// A weight read as `strtod` does in `sortCommandGeneric`: the text up to a NUL byte, leading
/// C blanks skipped, must be a whole number (the empty string reads as 0); NaN and values out
/// of a double's range (`ERANGE`) are errors (`None`).
fn parse_weight(s: &[u8]) -> Option<f64> {
    let s = c_str(s);
    if s.is_empty() {
        return Some(0.0);
    }
    let start = s
        .iter()
        .position(|b| !matches!(b, b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r'))
        .unwrap_or(s.len());
    let v = ferrodis_keyspace::num::parse_f64(&s[start..])?;
    // glibc's strtod reports ERANGE for results that underflow into the subnormal range.
    if v != 0.0 && !v.is_normal() && v.is_finite() {
        return None;
    }
    Some(v)
}

/// Redis's `lookupKeyByPattern`: the value `pattern` names for element `subst`, reading the
/// key with `lookupKeyRead` (a keyspace hit or miss). `Ok(None)` when missing.
fn lookup_by_pattern(
    ctx: &mut Ctx<'_>,
    pattern: &[u8],
    subst: &[u8],
) -> Result<Option<Vec<u8>>, CommandError> {
    if pattern == b"#" {
        return Ok(Some(subst.to_vec()));
    }
    let visible = c_str(pattern);
    let Some(star) = visible.iter().position(|&b| b == b'*') else { return Ok(None) };
    // A hash field: the first "->" after the '*', with something after it.
    let arrow = visible[star + 1..]
        .windows(2)
        .position(|w| w == b"->")
        .map(|i| star + 1 + i)
        .filter(|&i| i + 2 < visible.len());
    let (postfix_end, field) = match arrow {
        Some(i) => (i, Some(&pattern[i + 2..])),
        None => (pattern.len(), None),
    };
    let mut key = Vec::with_capacity(pattern.len() + subst.len());
    key.extend_from_slice(&pattern[..star]);
    key.extend_from_slice(subst);
    key.extend_from_slice(&pattern[star + 1..postfix_end]);
    let now = ctx.now_ms;
    let db = ctx.db(&key)?;
    let Some(entry) = db.lookup_read(&key, now) else { return Ok(None) };
    Ok(match (field, &entry.value) {
        (Some(field), Value::Hash(h)) => h.get(field),
        (Some(_), _) => None,
        (None, v) => v.as_string().map(<[u8]>::to_vec),
    })
}

/// One element of the sorting vector (Redis's `redisSortObject`).
struct Item {
    obj: Vec<u8>,
    score: f64,
    /// The BY value, for ALPHA with BY (`None`: its key is missing).
    cmp: Option<Vec<u8>>,
}

/// Redis's `sortCompare`.
fn compare(a: &Item, b: &Item, alpha: bool, by: bool, store: bool, desc: bool) -> Ordering {
    let cmp = if !alpha {
        if a.score > b.score {
            Ordering::Greater
        } else if a.score < b.score {
            Ordering::Less
        } else {
            a.obj.cmp(&b.obj)
        }
    } else if by {
        match (&a.cmp, &b.cmp) {
            (None, None) => Ordering::Equal,
            (None, Some(_)) => Ordering::Less,
            (Some(_), None) => Ordering::Greater,
            (Some(x), Some(y)) if store => x.cmp(y),
            (Some(x), Some(y)) => c_str(x).cmp(c_str(y)),
        }
    } else if store {
        a.obj.cmp(&b.obj)
    } else {
        c_str(&a.obj).cmp(c_str(&b.obj))
    };
    if desc {
        cmp.reverse()
    } else {
        cmp
    }
}

/// The type of the value sorted.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    List,
    Set,
    ZSet,
}

/// `sortCommandGeneric`.
fn sort_generic(ctx: &mut Ctx<'_>, argv: &[Bytes], readonly: bool) -> Result<Reply, CommandError> {
    let mut o = parse_options(argv, readonly)?;
    let key = &argv[1];
    let now = ctx.now_ms;
    let in_script = ctx.client.in_script;
    let db = ctx.db(key)?;
    let kind = match db.lookup_read(key, now).map(|e| &e.value) {
        None | Some(Value::List(_)) => Kind::List,
        Some(Value::ZSet(_)) => Kind::ZSet,
        Some(v) if v.set_view().is_some() => Kind::Set,
        Some(_) => return Err(CommandError::WrongType),
    };
    // A set must come out in the same order on every replica and in scripts.
    if o.dontsort && kind == Kind::Set && (o.store.is_some() || in_script) {
        o.dontsort = false;
        o.alpha = true;
        o.by = None;
    }
    let sorting_by = if o.dontsort { None } else { o.by.clone() };
    let entry = db.lookup_mut(key, now);
    let value = entry.map(|e| &mut e.value);
    if let Some(Value::ZSet(z)) = value {
        z.convert_to_skiplist();
    }
    let db = ctx.db(key)?;
    let value = db.get(key).map(|e| &e.value);
    let len = match value {
        None => 0,
        Some(Value::List(l)) => l.len(),
        Some(Value::ZSet(z)) => z.len(),
        Some(v) => v.set_view().map_or(0, |s| s.len()),
    } as i64;

    // LIMIT sanity checks, as Redis does them.
    let (limit_start, limit_count) = o.limit.unwrap_or((0, -1));
    let mut start = limit_start.max(0).min(len);
    let limit_count = limit_count.max(-1).min(len);
    let mut end = if limit_count < 0 { len - 1 } else { start + limit_count - 1 };
    if start >= len {
        start = len - 1;
        end = len - 2;
    }
    if end >= len {
        end = len - 1;
    }

    // Load the vector; unsorted lists and sorted sets load only the range, in order.
    let mut objs: Vec<Vec<u8>> = Vec::new();
    match value {
        None => {}
        Some(Value::List(l)) if o.dontsort => {
            if end >= start {
                let count = (end - start + 1) as usize;
                let from = if o.desc { len - start - 1 } else { start } as usize;
                l.for_range(from, count, o.desc, |v| objs.push(v.to_vec()));
            }
            end -= start;
            start = 0;
        }
        Some(Value::List(l)) => objs = l.to_vec(),
        Some(Value::ZSet(z)) if o.dontsort => {
            if end >= start {
                let count = (end - start + 1) as usize;
                let from = if o.desc { len - start - 1 } else { start } as usize;
                z.walk(from, count, o.desc, |m, _| objs.push(m.to_vec()));
            }
            end -= start;
            start = 0;
        }
        Some(Value::ZSet(z)) => {
            objs = Vec::with_capacity(z.len());
            z.walk(0, z.len(), false, |m, _| objs.push(m.to_vec()));
        }
        Some(v) => {
            if let Some(s) = v.set_view() {
                objs = s.members();
            }
        }
    }
    let mut vector: Vec<Item> =
        objs.into_iter().map(|obj| Item { obj, score: 0.0, cmp: None }).collect();

    // Weights, then the sort.
    let mut conversion_error = false;
    if !o.dontsort {
        for item in vector.iter_mut() {
            let by_value;
            let weight: &[u8] = match &sorting_by {
                Some(pattern) => match lookup_by_pattern(ctx, pattern, &item.obj)? {
                    Some(v) => {
                        by_value = v;
                        &by_value
                    }
                    None => continue,
                },
                None => &item.obj,
            };
            if o.alpha {
                if sorting_by.is_some() {
                    item.cmp = Some(weight.to_vec());
                }
            } else {
                match parse_weight(weight) {
                    Some(score) => item.score = score,
                    None => conversion_error = true,
                }
            }
        }
        if !conversion_error {
            let (alpha, by, store, desc) =
                (o.alpha, sorting_by.is_some(), o.store.is_some(), o.desc);
            let cmp = |a: &Item, b: &Item| compare(a, b, alpha, by, store, desc);
            if by && (start != 0 || end != len - 1) {
                // Redis sorts only what the LIMIT keeps, with its partial quicksort, which
                // decides where equal elements land (nothing is kept: no order to give).
                if end >= start {
                    let cmp = |a: &Item, b: &Item| cmp(a, b) as i32;
                    super::geo::hash::pqsort(&mut vector, &cmp, start as usize, end as usize);
                }
            } else {
                // glibc's qsort: a stable merge sort.
                vector.sort_by(cmp);
            }
        }
    }
    if conversion_error {
        return Err(CommandError::custom(NOT_DOUBLE));
    }

    let range = if end >= start { start as usize..end as usize + 1 } else { 0..0 };
    let Some(dest) = o.store.clone() else {
        let mut out = Vec::new();
        for item in &vector[range] {
            if o.gets.is_empty() {
                out.push(Reply::bulk(&item.obj));
            }
            for pattern in &o.gets {
                let v = lookup_by_pattern(ctx, pattern, &item.obj)?;
                out.push(v.map_or(Reply::Null, |v| Reply::Bulk(Bytes::from(v))));
            }
        }
        return Ok(Reply::Array(out));
    };

    let mut values: Vec<Vec<u8>> = Vec::new();
    for item in vector.drain(range) {
        if o.gets.is_empty() {
            values.push(item.obj);
            continue;
        }
        for pattern in &o.gets {
            values.push(lookup_by_pattern(ctx, pattern, &item.obj)?.unwrap_or_default());
        }
    }
    let db_index = ctx.client.db;
    let count = values.len();
    let fill = ctx.server.settings.read().encoding.list_max_listpack_size;
    let db = ctx.db(&dest)?;
    if count > 0 {
        let mut list = List::new_quicklist();
        for v in &values {
            list.push(v, false, fill);
        }
        list.try_convert_auto(fill);
        db.set(&dest, Value::List(Box::new(list)), TtlUpdate::Clear, now);
        ctx.signal_modified(db_index, &dest);
        ctx.notify(NOTIFY_LIST, "sortstore", db_index, &dest);
        ctx.add_dirty(count as u64 - 1);
    } else if db.remove(&dest, now).is_some() {
        ctx.signal_modified(db_index, &dest);
        ctx.notify(NOTIFY_GENERIC, "del", db_index, &dest);
    }
    Ok(Reply::Integer(count as i64))
}

/// `SORT key [BY pattern] [LIMIT offset count] [GET pattern ...] [ASC|DESC] [ALPHA]
/// [STORE destination]`
///
/// Array reply: the sorted elements (or, with GET, one value or null per GET pattern and
/// element); with STORE, integer reply: the length of the stored list. Errors: `ERR syntax
/// error`, `ERR value is not an integer or out of range` (LIMIT), `WRONGTYPE`, `ERR One or
/// more scores can't be converted into double`. See the module documentation.
pub fn sort(ctx: &mut Ctx<'_>, argv: &[Bytes]) -> Result<Reply, CommandError> {
    sort_generic(ctx, argv, false)
}

/// `SORT_RO key [BY pattern] [LIMIT offset count] [GET pattern ...] [ASC|DESC] [ALPHA]`
///
/// SORT without STORE (which is a syntax error here), allowed in read-only contexts.
pub fn sort_ro(ctx: &mut Ctx<'_>, argv: &[Bytes]) -> Result<Reply, CommandError> {
    sort_generic(ctx, argv, true)
}

/// SORT's keys (Redis's `sortGetKeys`): the sorted key, read, and the destination of the
/// last `STORE`, overwritten. Skips LIMIT's two arguments and BY's and GET's one, so that a
/// pattern or number spelled `store` is not taken for the option.
pub fn sort_get_keys(argv: &[Bytes]) -> Vec<(usize, u32)> {
    let mut keys = vec![(1, keyflags::RO | keyflags::ACCESS)];
    let mut store = None;
    let mut i = 2;
    while i < argv.len() {
        let a = &argv[i];
        if args::is(a, "limit") {
            i += 2;
        } else if args::is(a, "store") && i + 1 < argv.len() {
            store = Some(i + 1);
        } else if args::is(a, "get") || args::is(a, "by") {
            i += 1;
        }
        i += 1;
    }
    if let Some(pos) = store {
        keys.push((pos, keyflags::OW | keyflags::UPDATE));
    }
    keys
}

/// SORT_RO's keys (Redis's `sortROGetKeys`): the sorted key.
pub fn sort_ro_get_keys(_argv: &[Bytes]) -> Vec<(usize, u32)> {
    vec![(1, keyflags::RO | keyflags::ACCESS)]
}

/// True when a BY or GET pattern may name keys (it contains a `*`): the command then reads
/// keys derived from the sorted elements, and dispatch holds every shard.
pub fn reaches_pattern_keys(argv: &[Bytes]) -> bool {
    argv.get(2..)
        .unwrap_or_default()
        .windows(2)
        .any(|w| (args::is(&w[0], "by") || args::is(&w[0], "get")) && w[1].contains(&b'*'))
}

const BY_GET_NOTES: &str = "For the optional BY/GET keyword. It is marked 'unknown' because the key names derive from the content of the key we sort";
const STORE_NOTES: &str = "For the optional STORE keyword. It is marked 'unknown' because the keyword can appear anywhere in the argument array";

const SORT_RO_KEYS: &[KeySpec] = &[
    KeySpec::single(1, keyflags::RO | keyflags::ACCESS),
    KeySpec {
        flags: keyflags::RO | keyflags::ACCESS,
        notes: Some(BY_GET_NOTES),
        begin: BeginSearch::Unknown,
        find: FindKeys::Unknown,
    },
];
const SORT_KEYS: &[KeySpec] = &[
    KeySpec::single(1, keyflags::RO | keyflags::ACCESS),
    KeySpec {
        flags: keyflags::RO | keyflags::ACCESS,
        notes: Some(BY_GET_NOTES),
        begin: BeginSearch::Unknown,
        find: FindKeys::Unknown,
    },
    KeySpec {
        flags: keyflags::OW | keyflags::UPDATE,
        notes: Some(STORE_NOTES),
        begin: BeginSearch::Unknown,
        find: FindKeys::Unknown,
    },
];

const COMPLEXITY: &str = "O(N+M*log(M)) where N is the number of elements in the list or set to sort, and M the number of returned elements. When the elements are not sorted, complexity is O(N).";

/// The SORT commands.
pub static SPECS: &[CommandSpec] = &[
    CommandSpec {
        name: "sort",
        arity: -2,
        flags: flags::WRITE | flags::DENYOOM | flags::MOVABLE_KEYS,
        acl: acl::SET | acl::SORTEDSET | acl::LIST | acl::DANGEROUS,
        keys: SORT_KEYS,
        group: Group::Generic,
        since: "1.0.0",
        summary:
            "Sorts the elements in a list, a set, or a sorted set, optionally storing the result.",
        complexity: COMPLEXITY,
        handler: Some(sort),
        get_keys: Some(sort_get_keys),
        lock_keys: Some(sort_get_keys),
        lock_all_when: Some(reaches_pattern_keys),
        arguments: docs::SORT,
        ..CommandSpec::DEFAULT
    },
    CommandSpec {
        name: "sort_ro",
        arity: -2,
        flags: flags::READONLY | flags::MOVABLE_KEYS,
        acl: acl::SET | acl::SORTEDSET | acl::LIST | acl::DANGEROUS,
        keys: SORT_RO_KEYS,
        group: Group::Generic,
        since: "7.0.0",
        summary: "Returns the sorted elements of a list, a set, or a sorted set.",
        complexity: COMPLEXITY,
        handler: Some(sort_ro),
        get_keys: Some(sort_ro_get_keys),
        lock_all_when: Some(reaches_pattern_keys),
        arguments: docs::SORT_RO,
        ..CommandSpec::DEFAULT
    },
];

/// COMMAND DOCS arguments of SORT and SORT_RO (Redis 7.2's `commands/sort.json`,
/// `sort_ro.json`).
mod docs {
    use crate::spec::{argflags, Arg, ArgType};

    const KEY: Arg =
        Arg { name: "key", kind: ArgType::Key, key_spec_index: Some(0), ..Arg::DEFAULT };
    const BY: Arg = Arg {
        name: "pattern",
        kind: ArgType::Pattern,
        key_spec_index: Some(1),
        token: Some("BY"),
        flags: argflags::OPTIONAL,
        ..Arg::DEFAULT
    };
    const LIMIT: Arg = Arg {
        name: "offset_count",
        kind: ArgType::Block,
        token: Some("LIMIT"),
        flags: argflags::OPTIONAL,
        arguments: &[
            Arg { name: "offset", kind: ArgType::Integer, ..Arg::DEFAULT },
            Arg { name: "count", kind: ArgType::Integer, ..Arg::DEFAULT },
        ],
        ..Arg::DEFAULT
    };
    const GET: Arg = Arg {
        name: "pattern",
        kind: ArgType::Pattern,
        key_spec_index: Some(1),
        token: Some("GET"),
        flags: argflags::OPTIONAL | argflags::MULTIPLE | argflags::MULTIPLE_TOKEN,
        ..Arg::DEFAULT
    };
    const ORDER: Arg = Arg {
        name: "order",
        kind: ArgType::OneOf,
        flags: argflags::OPTIONAL,
        arguments: &[
            Arg { name: "asc", kind: ArgType::PureToken, token: Some("ASC"), ..Arg::DEFAULT },
            Arg { name: "desc", kind: ArgType::PureToken, token: Some("DESC"), ..Arg::DEFAULT },
        ],
        ..Arg::DEFAULT
    };
    const SORTING: Arg = Arg {
        name: "sorting",
        kind: ArgType::PureToken,
        token: Some("ALPHA"),
        flags: argflags::OPTIONAL,
        ..Arg::DEFAULT
    };
    const STORE: Arg = Arg {
        name: "destination",
        kind: ArgType::Key,
        key_spec_index: Some(2),
        token: Some("STORE"),
        flags: argflags::OPTIONAL,
        ..Arg::DEFAULT
    };

    /// SORT's arguments.
    pub(crate) const SORT: &[Arg] = &[KEY, BY, LIMIT, GET, ORDER, SORTING, STORE];
    /// SORT_RO's arguments.
    pub(crate) const SORT_RO: &[Arg] = &[KEY, BY, LIMIT, GET, ORDER, SORTING];
}

#[cfg(test)]
mod tests {
    use super::*;

    fn argv(words: &[&str]) -> Vec<Bytes> {
        words.iter().map(|w| Bytes::copy_from_slice(w.as_bytes())).collect()
    }

    #[test]
    fn get_keys_takes_the_last_store() {
        let keys =
            sort_get_keys(&argv(&["sort", "abc", "store", "x", "store", "y", "store", "def"]));
        assert_eq!(keys.iter().map(|k| k.0).collect::<Vec<_>>(), vec![1, 7]);
        let keys = sort_get_keys(&argv(&["sort", "abc", "by", "store", "get", "store"]));
        assert_eq!(keys.len(), 1);
        let keys = sort_get_keys(&argv(&["sort", "abc", "limit", "store", "x", "store", "d"]));
        assert_eq!(keys.iter().map(|k| k.0).collect::<Vec<_>>(), vec![1, 6]);
    }

    #[test]
    fn pattern_keys_need_a_star() {
        assert!(reaches_pattern_keys(&argv(&["sort", "k", "by", "w_*"])));
        assert!(reaches_pattern_keys(&argv(&["sort", "k", "GET", "h_*->f"])));
        assert!(!reaches_pattern_keys(&argv(&["sort", "k", "by", "nosort", "get", "#"])));
        assert!(!reaches_pattern_keys(&argv(&["sort", "by", "*"])));
    }

    #[test]
    fn weights_read_as_strtod() {
        assert_eq!(parse_weight(b""), Some(0.0));
        assert_eq!(parse_weight(b"  1.5"), Some(1.5));
        assert_eq!(parse_weight(b"1.5 "), None);
        assert_eq!(parse_weight(b"2\0junk"), Some(2.0));
        assert_eq!(parse_weight(b"nan"), None);
        assert_eq!(parse_weight(b"1e400"), None);
        assert_eq!(parse_weight(b"-inf"), Some(f64::NEG_INFINITY));
        assert_eq!(parse_weight(b"   "), None);
        assert_eq!(parse_weight(b"abc"), None);
    }
}
