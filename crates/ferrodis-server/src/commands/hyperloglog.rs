//! HyperLogLog commands: PFADD, PFCOUNT, PFMERGE, PFSELFTEST and PFDEBUG.
//!
//! Semantics follow the command pages under <https://redis.io/commands/> and Redis 7.2's
//! `src/hyperloglog.c`. An HLL is an ordinary string value holding Redis's byte format (see
//! [`ferrodis_keyspace::types::hyperloglog`]), so GET/SET move HLLs between Ferrodis and Redis
//! unchanged. Commands that modify an HLL in place leave the string `raw`-encoded, as Redis's
//! `dbUnshareStringValue` does (PFCOUNT too, even when it only reads the cached cardinality).
//!
//! Errors: a string that is not an HLL (too short, wrong magic, unknown encoding byte, or a
//! dense HLL of the wrong length) is `WRONGTYPE Key is not a valid HyperLogLog string value.`;
//! a sparse HLL whose opcodes do not describe exactly 16384 registers is `INVALIDOBJ
//! Corrupted HLL object detected`; another type is the usual `WRONGTYPE`.

use crate::context::Ctx;
use crate::errors::CommandError;
use crate::spec::{acl, flags, keyflags, CommandSpec, Group, KeySpec};
use bytes::Bytes;
use ferrodis_keyspace::types::hyperloglog::{self as hll, Encoding, REGISTERS};
use ferrodis_keyspace::{Db, Value};
use ferrodis_resp::Reply;
use rand::Rng;

/// `WRONGTYPE` for a string that is not an HLL (Redis's `isHLLObjectOrReply`).
fn not_hll() -> CommandError {
    CommandError::custom("WRONGTYPE Key is not a valid HyperLogLog string value.")
}

/// `INVALIDOBJ` for a corrupted sparse HLL (Redis's `invalid_hll_err`).
fn corrupt() -> CommandError {
    CommandError::custom("INVALIDOBJ Corrupted HLL object detected")
}

/// The server's `hll-sparse-max-bytes`.
fn sparse_max_bytes(ctx: &Ctx<'_>) -> usize {
    ctx.server.settings.read().encoding.hll_sparse_max_bytes
}

/// Validates a looked-up value as an HLL: `WRONGTYPE` for another type or a string that is
/// not an HLL.
fn as_hll(value: &Value) -> Result<(&[u8], Encoding), CommandError> {
    let s = value.as_string().ok_or(CommandError::WrongType)?;
    let enc = hll::check(s).ok_or_else(not_hll)?;
    Ok((s, enc))
}

/// The HLL at `key` for in-place modification, converted to `raw` (it exists and was
/// validated by the caller in this command).
fn hll_mut<'d>(db: &'d mut Db, key: &[u8], now: u64) -> &'d mut Vec<u8> {
    db.lookup_mut(key, now)
        .and_then(|e| e.value.string_mut())
        .expect("HLL validated earlier in the command")
}

/// PFADD key [element ...]
///
/// ```text
/// PFADD key [element [element ...]]
/// ```
/// Adds the elements to the HLL at `key`, creating an empty (sparse) HLL when the key is
/// missing. Integer: 1 when the key was created or at least one register changed, else 0.
/// A sparse HLL is promoted to dense when a register exceeds 32 or its size would exceed
/// `hll-sparse-max-bytes`. Errors: `WRONGTYPE` (either text), `INVALIDOBJ`.
pub fn pfadd(ctx: &mut Ctx<'_>, argv: &[Bytes]) -> Result<Reply, CommandError> {
    let max_bytes = sparse_max_bytes(ctx);
    let now = ctx.now_ms;
    let db_index = ctx.client.db;
    let key = &argv[1];
    let db = ctx.db(key)?;
    let mut updated = 0u64;
    match db.lookup(key, now) {
        Some(e) => {
            as_hll(&e.value)?;
        }
        None => {
            db.add(key, Value::RawStr(Box::new(hll::new_sparse())));
            updated += 1;
        }
    }
    let s = hll_mut(db, key, now);
    for ele in &argv[2..] {
        if hll::add(s, ele, max_bytes).map_err(|_| corrupt())? {
            updated += 1;
        }
    }
    if updated > 0 {
        hll::invalidate_cache(s);
        // Redis adds one to `dirty` per changed register.
        ctx.signal_modified(db_index, key);
        ctx.notify(crate::notify::NOTIFY_STRING, "pfadd", db_index, key);
        ctx.add_dirty(updated - 1);
    }
    Ok(Reply::Integer(i64::from(updated > 0)))
}

/// PFCOUNT key [key ...]
///
/// ```text
/// PFCOUNT key [key ...]
/// ```
/// Integer: the estimated cardinality. With one key, the cached cardinality when valid, else
/// the estimate, which is then cached in the value (a modification: the key is signalled and
/// `dirty` counted); 0 for a missing key. With several keys, the cardinality of their union,
/// computed without modifying any (missing keys count as empty HLLs). Errors: `WRONGTYPE`
/// (either text), `INVALIDOBJ`.
pub fn pfcount(ctx: &mut Ctx<'_>, argv: &[Bytes]) -> Result<Reply, CommandError> {
    let now = ctx.now_ms;
    if argv.len() > 2 {
        let mut max = Box::new([0u8; REGISTERS]);
        for key in &argv[1..] {
            let db = ctx.db(key)?;
            let Some(e) = db.lookup_read(key, now) else {
                continue;
            };
            let (s, _) = as_hll(&e.value)?;
            hll::merge_into(&mut max, s).map_err(|_| corrupt())?;
        }
        return Ok(Reply::Integer(hll::estimate(&hll::raw_histogram(&max)) as i64));
    }
    let db_index = ctx.client.db;
    let key = &argv[1];
    let db = ctx.db(key)?;
    match db.lookup_read(key, now) {
        None => return Ok(Reply::Integer(0)),
        Some(e) => {
            as_hll(&e.value)?;
        }
    }
    let s = hll_mut(db, key, now);
    if let Some(card) = hll::cached_cardinality(s) {
        return Ok(Reply::Integer(card as i64));
    }
    let card = hll::count(s).map_err(|_| corrupt())?;
    hll::set_cached_cardinality(s, card);
    ctx.signal_modified(db_index, key);
    Ok(Reply::Integer(card as i64))
}

/// PFMERGE destkey [sourcekey ...]
///
/// ```text
/// PFMERGE destkey [sourcekey [sourcekey ...]]
/// ```
/// Stores at `destkey` the union of the HLLs at `destkey` and the source keys (missing keys
/// count as empty HLLs; a missing destination is created, so `PFMERGE dest` alone creates an
/// empty HLL). The destination becomes dense when any input is dense, and stays sparse
/// otherwise unless the merge promotes it. `OK`. Errors: `WRONGTYPE` (either text, for the
/// destination as for the sources), `INVALIDOBJ`.
pub fn pfmerge(ctx: &mut Ctx<'_>, argv: &[Bytes]) -> Result<Reply, CommandError> {
    let max_bytes = sparse_max_bytes(ctx);
    let now = ctx.now_ms;
    let db_index = ctx.client.db;
    let mut max = Box::new([0u8; REGISTERS]);
    let mut use_dense = false;
    for key in &argv[1..] {
        let db = ctx.db(key)?;
        let Some(e) = db.lookup_read(key, now) else {
            continue;
        };
        let (s, enc) = as_hll(&e.value)?;
        use_dense |= enc == Encoding::Dense;
        hll::merge_into(&mut max, s).map_err(|_| corrupt())?;
    }
    let dest = &argv[1];
    let db = ctx.db(dest)?;
    if db.lookup(dest, now).is_none() {
        db.add(dest, Value::RawStr(Box::new(hll::new_sparse())));
    }
    let s = hll_mut(db, dest, now);
    if use_dense {
        hll::promote(s).map_err(|_| corrupt())?;
    }
    for (j, &m) in max.iter().enumerate() {
        if m != 0 {
            hll::raise_register(s, j, m, max_bytes).map_err(|_| corrupt())?;
        }
    }
    hll::invalidate_cache(s);
    ctx.signal_modified(db_index, dest);
    ctx.notify(crate::notify::NOTIFY_STRING, "pfadd", db_index, dest);
    Ok(Reply::OK)
}

/// Register read/write cycles of PFSELFTEST's first test.
const SELFTEST_CYCLES: usize = 1000;

/// PFSELFTEST
///
/// ```text
/// PFSELFTEST
/// ```
/// Redis's internal self test (`pfselftestCommand`): dense register access with random
/// values, then ten million elements added to a dense and a sparse HLL side by side,
/// checking at 1, 10, 100, ... elements that the sparse one is still sparse while small, that
/// both estimate the same, and that the error stays within six standard errors. `OK`, or
/// an error starting with `TESTFAILED`.
pub fn pfselftest(ctx: &mut Ctx<'_>, _argv: &[Bytes]) -> Result<Reply, CommandError> {
    let max_bytes = sparse_max_bytes(ctx);
    let mut rng = rand::rng();
    let mut dense = hll::new_dense();
    let mut bytes = vec![0u8; REGISTERS];
    for _ in 0..SELFTEST_CYCLES {
        let regs = &mut dense[hll::HEADER_SIZE..];
        for (i, b) in bytes.iter_mut().enumerate() {
            *b = rng.random::<u8>() & hll::REGISTER_MAX;
            hll::dense_set(regs, i, *b);
        }
        for (i, &b) in bytes.iter().enumerate() {
            let val = hll::dense_get(regs, i);
            if val != b {
                return Err(CommandError::Custom(
                    format!("TESTFAILED Register {i} should be {b} but is {val}").into(),
                ));
            }
        }
    }
    let mut dense = hll::new_dense();
    let mut sparse = hll::new_sparse();
    let relerr = 1.04 / (REGISTERS as f64).sqrt();
    let mut checkpoint: u64 = 1;
    let seed: u64 = rng.random();
    for j in 1..=10_000_000u64 {
        let ele = (j ^ seed).to_ne_bytes();
        // Neither HLL can be corrupted: they were built here.
        let _ = hll::add(&mut dense, &ele, max_bytes);
        let _ = hll::add(&mut sparse, &ele, max_bytes);
        if j != checkpoint {
            continue;
        }
        if (j as usize) < max_bytes / 2 && sparse[4] != hll::ENCODING_SPARSE {
            return Err(CommandError::custom("TESTFAILED sparse encoding not used"));
        }
        let card = hll::count(&dense).unwrap_or(0);
        if hll::count(&sparse).ok() != Some(card) {
            return Err(CommandError::custom("TESTFAILED dense/sparse disagree"));
        }
        let abserr = checkpoint.abs_diff(card);
        let maxerr = if j == 10 { 1 } else { (relerr * 6.0 * checkpoint as f64).ceil() as u64 };
        if abserr > maxerr {
            return Err(CommandError::Custom(
                format!("TESTFAILED Too big error. card:{checkpoint} abserr:{abserr}").into(),
            ));
        }
        checkpoint *= 10;
    }
    Ok(Reply::OK)
}

/// PFDEBUG subcommand key
///
/// ```text
/// PFDEBUG GETREG | DECODE | ENCODING | TODENSE key
/// ```
/// Internal debugging of an HLL (Redis's `pfdebugCommand`): GETREG replies the 16384
/// register values (converting a sparse HLL to dense), DECODE the sparse opcodes as text
/// (`Z:<len>`, `z:<len>`, `v:<value>,<len>`), ENCODING `dense` or `sparse` (status), TODENSE
/// converts to dense (integer 1, or 0 when already dense). Errors: `ERR The specified key does
/// not exist`, `WRONGTYPE` (either text), `INVALIDOBJ`, `ERR HLL encoding is not sparse`
/// (DECODE), `ERR Unknown PFDEBUG subcommand '<name>'`.
pub fn pfdebug(ctx: &mut Ctx<'_>, argv: &[Bytes]) -> Result<Reply, CommandError> {
    let now = ctx.now_ms;
    let key = &argv[2];
    let db = ctx.db(key)?;
    match db.lookup(key, now) {
        None => return Err(CommandError::custom("ERR The specified key does not exist")),
        Some(e) => {
            as_hll(&e.value)?;
        }
    }
    let s = hll_mut(db, key, now);
    let sub = &argv[1];
    if crate::args::is(sub, "getreg") {
        let converted = hll::promote(s).map_err(|_| corrupt())?;
        let regs = &s[hll::HEADER_SIZE..];
        let reply =
            (0..REGISTERS).map(|i| Reply::Integer(i64::from(hll::dense_get(regs, i)))).collect();
        if converted {
            ctx.add_dirty(1);
        }
        Ok(Reply::Array(reply))
    } else if crate::args::is(sub, "decode") {
        if s[4] != hll::ENCODING_SPARSE {
            return Err(CommandError::custom("ERR HLL encoding is not sparse"));
        }
        Ok(Reply::Bulk(Bytes::from(hll::decode_sparse(s))))
    } else if crate::args::is(sub, "encoding") {
        let enc = if s[4] == hll::ENCODING_DENSE { Encoding::Dense } else { Encoding::Sparse };
        Ok(Reply::Status(enc.name().into()))
    } else if crate::args::is(sub, "todense") {
        let converted = hll::promote(s).map_err(|_| corrupt())?;
        if converted {
            ctx.add_dirty(1);
        }
        Ok(Reply::Integer(i64::from(converted)))
    } else {
        Err(CommandError::Custom(
            format!("ERR Unknown PFDEBUG subcommand '{}'", String::from_utf8_lossy(sub)).into(),
        ))
    }
}

/// The hyperloglog commands.
pub static SPECS: &[CommandSpec] = &[
    CommandSpec {
        name: "pfadd",
        arguments: docs::PFADD,
        arity: -2,
        flags: flags::WRITE | flags::DENYOOM | flags::FAST,
        acl: acl::HYPERLOGLOG,
        keys: &[KeySpec::single(1, keyflags::RW | keyflags::INSERT)],
        group: Group::HyperLogLog,
        since: "2.8.9",
        summary: "Adds elements to a HyperLogLog, creating it when the key is missing.",
        complexity: "O(1) to add every element.",
        handler: Some(pfadd),
        ..CommandSpec::DEFAULT
    },
    CommandSpec {
        name: "pfcount",
        arguments: docs::PFCOUNT,
        arity: -2,
        flags: flags::READONLY,
        acl: acl::HYPERLOGLOG,
        keys: &[KeySpec::range_to_end(1, 1, keyflags::RW | keyflags::ACCESS).with_notes(
            "RW because it may change the internal representation of the key, and propagate to replicas",
        )],
        group: Group::HyperLogLog,
        since: "2.8.9",
        summary: "Estimates the number of distinct elements seen by one HyperLogLog or by the union of several.",
        complexity: "O(1) with a very small average constant time when called with a single key. O(N) with N being the number of keys, and much bigger constant times, when called with multiple keys.",
        handler: Some(pfcount),
        ..CommandSpec::DEFAULT
    },
    CommandSpec {
        name: "pfmerge",
        arguments: docs::PFMERGE,
        arity: -2,
        flags: flags::WRITE | flags::DENYOOM,
        acl: acl::HYPERLOGLOG,
        keys: &[
            KeySpec::single(1, keyflags::RW | keyflags::ACCESS | keyflags::INSERT),
            KeySpec::range_to_end(2, 1, keyflags::RO | keyflags::ACCESS),
        ],
        group: Group::HyperLogLog,
        since: "2.8.9",
        summary: "Stores the union of HyperLogLogs in a destination HyperLogLog.",
        complexity: "O(N) to merge N HyperLogLogs, but with high constant times.",
        handler: Some(pfmerge),
        ..CommandSpec::DEFAULT
    },
    CommandSpec {
        name: "pfselftest",
        arity: 1,
        flags: flags::ADMIN,
        acl: acl::HYPERLOGLOG,
        group: Group::HyperLogLog,
        since: "2.8.9",
        summary: "Runs the internal self test of the HyperLogLog implementation.",
        complexity: "N/A",
        handler: Some(pfselftest),
        doc_flags: crate::spec::docflags::SYSCMD,
        ..CommandSpec::DEFAULT
    },
    CommandSpec {
        name: "pfdebug",
        arguments: docs::PFDEBUG,
        arity: 3,
        flags: flags::WRITE | flags::DENYOOM | flags::ADMIN,
        acl: acl::HYPERLOGLOG,
        keys: &[KeySpec::single(2, keyflags::RW | keyflags::ACCESS)],
        group: Group::HyperLogLog,
        since: "2.8.9",
        summary: "Inspects or converts the internal representation of a HyperLogLog.",
        complexity: "N/A",
        handler: Some(pfdebug),
        doc_flags: crate::spec::docflags::SYSCMD,
        ..CommandSpec::DEFAULT
    },
];

/// COMMAND DOCS arguments of the hyperloglog commands (Redis 7.2's `src/commands/pf*.json`).
mod docs {
    use crate::spec::{argflags, Arg, ArgType};

    const KEY0: Arg =
        Arg { name: "key", kind: ArgType::Key, key_spec_index: Some(0), ..Arg::DEFAULT };

    pub const PFADD: &[Arg] = &[
        KEY0,
        Arg {
            name: "element",
            kind: ArgType::String,
            flags: argflags::OPTIONAL | argflags::MULTIPLE,
            ..Arg::DEFAULT
        },
    ];

    pub const PFCOUNT: &[Arg] = &[Arg { flags: argflags::MULTIPLE, ..KEY0 }];

    /// `sourcekey` is `optional` and `multiple` as in Redis 7.2's `pfmerge.json` (7.0 has
    /// only `multiple`, though its arity of -2 already allowed `PFMERGE destkey` alone).
    pub const PFMERGE: &[Arg] = &[
        Arg { name: "destkey", kind: ArgType::Key, key_spec_index: Some(0), ..Arg::DEFAULT },
        Arg {
            name: "sourcekey",
            kind: ArgType::Key,
            key_spec_index: Some(1),
            flags: argflags::OPTIONAL | argflags::MULTIPLE,
            ..Arg::DEFAULT
        },
    ];

    pub const PFDEBUG: &[Arg] =
        &[Arg { name: "subcommand", kind: ArgType::String, ..Arg::DEFAULT }, KEY0];
}
