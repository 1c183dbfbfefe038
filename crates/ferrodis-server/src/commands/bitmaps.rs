//! Bitmap commands: bit-level access to string values (SETBIT, GETBIT, BITCOUNT, BITPOS,
//! BITOP, BITFIELD, BITFIELD_RO).
//!
//! Semantics follow the command pages under <https://redis.io/commands/> and Redis 7.2's
//! `src/bitops.c`. Bits are numbered from the most significant bit of the first byte: bit 0
//! is `0x80` of byte 0. Offsets are limited by `proto-max-bulk-len` (512MB by default, so bit
//! offsets below 2^32). Writes grow the string with zero bytes and turn its encoding `raw`,
//! as Redis's `lookupStringForBitCommand` and `dbUnshareStringValue` do.

use crate::args;
use crate::commands::docs;
use crate::commands::strings::proto_max_bulk_len;
use crate::context::Ctx;
use crate::errors::CommandError;
use crate::notify::{NOTIFY_GENERIC, NOTIFY_STRING};
use crate::spec::{acl, flags, keyflags, CommandSpec, Group, KeySpec};
use bytes::Bytes;
use ferrodis_keyspace::{num, TtlUpdate, Value};
use ferrodis_resp::Reply;

const BIT_OFFSET_ERR: &str = "ERR bit offset is not an integer or out of range";
const BIT_VALUE_ERR: &str = "ERR bit is not an integer or out of range";
const BITFIELD_TYPE_ERR: &str =
    "ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but i64 is.";

/// Parses a bit offset as Redis's `getBitOffsetFromArgument`: a non-negative integer whose
/// byte (`offset / 8`) lies below `max_bytes`; with `width` non-zero, `#N` means `N * width`.
fn bit_offset(arg: &[u8], width: u32, max_bytes: u64) -> Result<u64, CommandError> {
    let err = || CommandError::custom(BIT_OFFSET_ERR);
    let hash = width > 0 && arg.first() == Some(&b'#');
    let digits = if hash { &arg[1..] } else { arg };
    let mut offset = num::parse_i64(digits).ok_or_else(err)?;
    if hash {
        // Redis multiplies without an overflow check; wrapping keeps its observable result.
        offset = offset.wrapping_mul(i64::from(width));
    }
    if offset < 0 || ((offset as u64) >> 3) >= max_bytes {
        return Err(err());
    }
    Ok(offset as u64)
}

/// Makes sure the string at `key` exists and holds at least `bytes` bytes, zero-padding it,
/// and returns it for in-place modification (Redis's `lookupStringForBitCommand`). The bool
/// is true when the key was created or grown.
fn string_for_write<'c>(
    ctx: &'c mut Ctx<'_>,
    key: &[u8],
    bytes: usize,
) -> Result<(&'c mut Vec<u8>, bool), CommandError> {
    let now = ctx.now_ms;
    let db = ctx.db(key)?;
    let exists = match db.lookup(key, now) {
        None => false,
        Some(e) if e.value.as_string().is_some() => true,
        Some(_) => return Err(CommandError::WrongType),
    };
    if !exists {
        db.add(key, Value::RawStr(Box::new(vec![0u8; bytes])));
    }
    let s = db
        .lookup_mut(key, now)
        .and_then(|e| e.value.string_mut())
        .ok_or(CommandError::WrongType)?;
    let mut grown = !exists;
    if s.len() < bytes {
        s.resize(bytes, 0);
        grown = true;
    }
    Ok((s, grown))
}

/// The bit at `offset`, 0 past the end.
#[inline]
fn bit_at(s: &[u8], offset: u64) -> u8 {
    let byte = (offset >> 3) as usize;
    s.get(byte).map_or(0, |b| (b >> (7 - (offset & 7))) & 1)
}

/// SETBIT key offset value
///
/// ```text
/// SETBIT key offset value
/// ```
/// Sets or clears the bit at `offset` (growing the string with zero bytes). Integer: the bit's
/// previous value. Errors: `ERR bit offset is not an integer or out of range` (negative, or
/// beyond `proto-max-bulk-len` bytes), `ERR bit is not an integer or out of range` (not 0 or
/// 1), `WRONGTYPE`.
pub fn setbit(ctx: &mut Ctx<'_>, argv: &[Bytes]) -> Result<Reply, CommandError> {
    let offset = bit_offset(&argv[2], 0, proto_max_bulk_len(ctx))?;
    let on = num::parse_i64(&argv[3]).ok_or(CommandError::custom(BIT_VALUE_ERR))?;
    if on & !1 != 0 {
        return Err(CommandError::custom(BIT_VALUE_ERR));
    }
    let db_index = ctx.client.db;
    let key = &argv[1];
    let (s, grown) = string_for_write(ctx, key, (offset >> 3) as usize + 1)?;
    let byte = &mut s[(offset >> 3) as usize];
    let shift = 7 - (offset & 7);
    let old = (*byte >> shift) & 1;
    let changed = grown || i64::from(old) != on;
    if on == 1 {
        *byte |= 1 << shift;
    } else {
        *byte &= !(1 << shift);
    }
    if changed {
        ctx.signal_modified(db_index, key);
        ctx.notify(NOTIFY_STRING, "setbit", db_index, key);
    }
    Ok(Reply::Integer(i64::from(old)))
}

/// GETBIT key offset
///
/// ```text
/// GETBIT key offset
/// ```
/// Integer: the bit at `offset`, 0 past the end or for a missing key. Errors: `ERR bit offset
/// is not an integer or out of range`, `WRONGTYPE`.
pub fn getbit(ctx: &mut Ctx<'_>, argv: &[Bytes]) -> Result<Reply, CommandError> {
    let offset = bit_offset(&argv[2], 0, proto_max_bulk_len(ctx))?;
    let now = ctx.now_ms;
    let db = ctx.db(&argv[1])?;
    let bit = match db.lookup_read(&argv[1], now) {
        None => 0,
        Some(e) => bit_at(e.value.as_string().ok_or(CommandError::WrongType)?, offset),
    };
    Ok(Reply::Integer(i64::from(bit)))
}

/// Parses a BYTE | BIT unit argument: true for BIT.
fn unit_is_bit(arg: &[u8]) -> Result<bool, CommandError> {
    if args::is(arg, "bit") {
        Ok(true)
    } else if args::is(arg, "byte") {
        Ok(false)
    } else {
        Err(CommandError::Syntax)
    }
}

/// Resolves a BITCOUNT/BITPOS range (Redis 7.2's rules) over a string of `len` bytes into an
/// inclusive range of bit positions, or `None` when it is empty. `end` defaults to the last
/// unit; negative indexes count from the end and clamp at 0.
fn bit_range(start: i64, end: Option<i64>, is_bit: bool, len: usize) -> Option<(u64, u64)> {
    let total = if is_bit { len as i64 * 8 } else { len as i64 };
    let mut start = start;
    let mut end = end.unwrap_or(total - 1);
    if start < 0 {
        start += total;
    }
    if end < 0 {
        end += total;
    }
    start = start.max(0);
    end = end.max(0);
    if end >= total {
        end = total - 1;
    }
    if start > end {
        return None;
    }
    let (start, end) = (start as u64, end as u64);
    Some(if is_bit { (start, end) } else { (start * 8, end * 8 + 7) })
}

/// Number of set bits in the inclusive bit range `[first, last]` of `s` (within bounds).
fn count_bits(s: &[u8], first: u64, last: u64) -> u64 {
    let (fb, lb) = ((first >> 3) as usize, (last >> 3) as usize);
    let Some(bytes) = s.get(fb..=lb) else {
        return 0;
    };
    let mut count = popcount(bytes);
    // Remove the bits of the edge bytes that lie outside the range.
    let head = (first & 7) as u32;
    if head != 0 {
        count -= u64::from((bytes[0] >> (8 - head)).count_ones());
    }
    let tail = 7 - (last & 7) as u32;
    if tail != 0 {
        count -= u64::from((bytes[bytes.len() - 1] & ((1u8 << tail) - 1)).count_ones());
    }
    count
}

/// Population count of a byte slice, eight bytes at a time.
fn popcount(bytes: &[u8]) -> u64 {
    let mut chunks = bytes.chunks_exact(8);
    let mut count: u64 = 0;
    for c in &mut chunks {
        let mut word = [0u8; 8];
        word.copy_from_slice(c);
        count += u64::from(u64::from_ne_bytes(word).count_ones());
    }
    count + chunks.remainder().iter().map(|b| u64::from(b.count_ones())).sum::<u64>()
}

/// BITCOUNT key [start end [BYTE | BIT]]
///
/// ```text
/// BITCOUNT key [start end [BYTE | BIT]]
/// ```
/// Integer: the number of set bits in the string or in the range (inclusive, in bytes unless
/// BIT; negative indexes count from the end); 0 for a missing key. Errors: `ERR syntax
/// error`, `ERR value is not an integer or out of range`, `WRONGTYPE`. The arguments are
/// checked before the key is looked up (7.2). BYTE|BIT since 7.0.0.
pub fn bitcount(ctx: &mut Ctx<'_>, argv: &[Bytes]) -> Result<Reply, CommandError> {
    let range = match argv.len() {
        2 => None,
        4 | 5 => {
            let start = args::int(&argv[2])?;
            let end = args::int(&argv[3])?;
            let is_bit = match argv.get(4) {
                Some(unit) => unit_is_bit(unit)?,
                None => false,
            };
            Some((start, end, is_bit))
        }
        _ => return Err(CommandError::Syntax),
    };
    let now = ctx.now_ms;
    let db = ctx.db(&argv[1])?;
    let Some(entry) = db.lookup_read(&argv[1], now) else {
        return Ok(Reply::Integer(0));
    };
    let s = entry.value.as_string().ok_or(CommandError::WrongType)?;
    let bits = match range {
        None => bit_range(0, None, false, s.len()),
        Some((start, end, _)) if start < 0 && end < 0 && start > end => None,
        Some((start, end, is_bit)) => bit_range(start, Some(end), is_bit, s.len()),
    };
    Ok(Reply::Integer(bits.map_or(0, |(first, last)| count_bits(s, first, last)) as i64))
}

/// First bit equal to `bit` in the inclusive bit range `[first, last]` of `s` (within
/// bounds), skipping whole words that cannot match.
fn find_bit(s: &[u8], first: u64, last: u64, bit: bool) -> Option<u64> {
    let skip = if bit { 0u8 } else { 0xff };
    let mut pos = first;
    while pos <= last {
        let byte_index = (pos >> 3) as usize;
        // Fast path: whole aligned bytes (and 8-byte words) inside the range.
        if pos & 7 == 0 && pos + 7 <= last {
            let whole_bytes = ((last + 1 - pos) >> 3) as usize;
            let mut i = byte_index;
            let end = byte_index + whole_bytes;
            while i + 8 <= end && s[i..i + 8].iter().all(|&b| b == skip) {
                i += 8;
            }
            while i < end && s[i] == skip {
                i += 1;
            }
            if i > byte_index {
                pos = (i as u64) << 3;
                continue;
            }
        }
        if (bit_at(s, pos) == 1) == bit {
            return Some(pos);
        }
        pos += 1;
    }
    None
}

/// BITPOS key bit [start [end [BYTE | BIT]]]
///
/// ```text
/// BITPOS key bit [start [end [BYTE | BIT]]]
/// ```
/// Integer: the position (in bits, from the start of the string) of the first bit equal to
/// `bit` within the range. A missing key is all zeros: 0 when looking for 0, -1 for 1. Not
/// found: -1, except when looking for 0 without an explicit `end`, where the string counts as
/// padded with zeros and the first bit after it is returned. An empty range gives -1. Errors:
/// `ERR The bit argument must be 1 or 0.`, `ERR value is not an integer or out of range`,
/// `ERR syntax error`, `WRONGTYPE`. BYTE|BIT since 7.0.0.
pub fn bitpos(ctx: &mut Ctx<'_>, argv: &[Bytes]) -> Result<Reply, CommandError> {
    let bit = args::int(&argv[2])?;
    if bit != 0 && bit != 1 {
        return Err(CommandError::custom("ERR The bit argument must be 1 or 0."));
    }
    let bit = bit == 1;
    if argv.len() > 6 {
        return Err(CommandError::Syntax);
    }
    let start = match argv.get(3) {
        Some(a) => args::int(a)?,
        None => 0,
    };
    let is_bit = match argv.get(5) {
        Some(unit) => unit_is_bit(unit)?,
        None => false,
    };
    let end = match argv.get(4) {
        Some(a) => Some(args::int(a)?),
        None => None,
    };
    let now = ctx.now_ms;
    let db = ctx.db(&argv[1])?;
    let Some(entry) = db.lookup_read(&argv[1], now) else {
        return Ok(Reply::Integer(if bit { -1 } else { 0 }));
    };
    let s = entry.value.as_string().ok_or(CommandError::WrongType)?;
    let Some((first, last)) = bit_range(start, end, is_bit, s.len()) else {
        return Ok(Reply::Integer(-1));
    };
    Ok(Reply::Integer(match find_bit(s, first, last, bit) {
        Some(pos) => pos as i64,
        None if !bit && end.is_none() => (last + 1) as i64,
        None => -1,
    }))
}

/// A BITOP operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum BitOp {
    And,
    Or,
    Xor,
    Not,
}

/// BITOP AND | OR | XOR | NOT destkey key [key ...]
///
/// ```text
/// BITOP <AND | OR | XOR | NOT> destkey key [key ...]
/// ```
/// Combines the source strings byte by byte (shorter ones padded with zero bytes) and stores
/// the result at `destkey` (dropping its TTL), or deletes `destkey` when every source is empty
/// or missing. Integer: the length of the result in bytes. Errors: `ERR syntax error` (unknown
/// operation), `ERR BITOP NOT must be called with a single source key.`, `WRONGTYPE`.
pub fn bitop(ctx: &mut Ctx<'_>, argv: &[Bytes]) -> Result<Reply, CommandError> {
    let op = if args::is(&argv[1], "and") {
        BitOp::And
    } else if args::is(&argv[1], "or") {
        BitOp::Or
    } else if args::is(&argv[1], "xor") {
        BitOp::Xor
    } else if args::is(&argv[1], "not") {
        BitOp::Not
    } else {
        return Err(CommandError::Syntax);
    };
    if op == BitOp::Not && argv.len() != 4 {
        return Err(CommandError::custom("ERR BITOP NOT must be called with a single source key."));
    }
    let now = ctx.now_ms;
    let mut sources: Vec<Option<Vec<u8>>> = Vec::with_capacity(argv.len() - 3);
    for key in &argv[3..] {
        let src = match ctx.db(key)?.lookup_read(key, now) {
            None => None,
            Some(e) => Some(e.value.as_string().ok_or(CommandError::WrongType)?.to_vec()),
        };
        sources.push(src);
    }
    let max_len = sources.iter().map(|s| s.as_ref().map_or(0, Vec::len)).max().unwrap_or(0);
    let dest = &argv[2];
    let db_index = ctx.client.db;
    if max_len == 0 {
        if ctx.db(dest)?.remove(dest, now).is_some() {
            ctx.signal_modified(db_index, dest);
            ctx.notify(NOTIFY_GENERIC, "del", db_index, dest);
        }
        return Ok(Reply::Integer(0));
    }
    let byte =
        |src: &Option<Vec<u8>>, i: usize| src.as_ref().and_then(|s| s.get(i)).copied().unwrap_or(0);
    let mut out = vec![0u8; max_len];
    if let Some(first) = &sources[0] {
        out[..first.len()].copy_from_slice(first);
    }
    match op {
        BitOp::Not => out.iter_mut().for_each(|b| *b = !*b),
        BitOp::And => {
            for src in &sources[1..] {
                for (i, b) in out.iter_mut().enumerate() {
                    *b &= byte(src, i);
                }
            }
        }
        BitOp::Or | BitOp::Xor => {
            for src in sources[1..].iter().flatten() {
                for (b, s) in out.iter_mut().zip(src) {
                    if op == BitOp::Or {
                        *b |= s;
                    } else {
                        *b ^= s;
                    }
                }
            }
        }
    }
    ctx.db(dest)?.set(dest, Value::RawStr(Box::new(out)), TtlUpdate::Clear, now);
    ctx.signal_modified(db_index, dest);
    ctx.notify(NOTIFY_STRING, "set", db_index, dest);
    Ok(Reply::Integer(max_len as i64))
}

/// BITFIELD's overflow policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Overflow {
    Wrap,
    Sat,
    Fail,
}

/// What a BITFIELD operation does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum FieldOpKind {
    Get,
    Set,
    IncrBy,
}

/// One parsed BITFIELD operation.
#[derive(Debug, Clone, Copy)]
struct FieldOp {
    kind: FieldOpKind,
    signed: bool,
    bits: u32,
    offset: u64,
    value: i64,
    overflow: Overflow,
}

/// Parses a field type `i1`..`i64` or `u1`..`u63` (lowercase only, as in Redis).
fn field_type(arg: &[u8]) -> Result<(bool, u32), CommandError> {
    let err = || CommandError::custom(BITFIELD_TYPE_ERR);
    let signed = match arg.first() {
        Some(b'i') => true,
        Some(b'u') => false,
        _ => return Err(err()),
    };
    // Redis reads the width with C string functions: it ends at the first NUL byte.
    let digits = &arg[1..];
    let digits = &digits[..digits.iter().position(|&b| b == 0).unwrap_or(digits.len())];
    let bits = num::parse_i64(digits).ok_or_else(err)?;
    if bits < 1 || (signed && bits > 64) || (!signed && bits > 63) {
        return Err(err());
    }
    Ok((signed, bits as u32))
}

/// Parses every BITFIELD operation (Redis's `bitfieldGeneric` first loop).
fn parse_bitfield(argv: &[Bytes], max_bytes: u64) -> Result<Vec<FieldOp>, CommandError> {
    let mut ops = Vec::new();
    let mut overflow = Overflow::Wrap;
    let mut j = 2;
    while j < argv.len() {
        let remaining = argv.len() - j - 1;
        let sub = &argv[j];
        let kind = if args::is(sub, "get") && remaining >= 2 {
            FieldOpKind::Get
        } else if args::is(sub, "set") && remaining >= 3 {
            FieldOpKind::Set
        } else if args::is(sub, "incrby") && remaining >= 3 {
            FieldOpKind::IncrBy
        } else if args::is(sub, "overflow") && remaining >= 1 {
            let name = &argv[j + 1];
            overflow = if args::is(name, "wrap") {
                Overflow::Wrap
            } else if args::is(name, "sat") {
                Overflow::Sat
            } else if args::is(name, "fail") {
                Overflow::Fail
            } else {
                return Err(CommandError::custom("ERR Invalid OVERFLOW type specified"));
            };
            j += 2;
            continue;
        } else {
            return Err(CommandError::Syntax);
        };
        let (signed, bits) = field_type(&argv[j + 1])?;
        let offset = bit_offset(&argv[j + 2], bits, max_bytes)?;
        let value = if kind == FieldOpKind::Get { 0 } else { args::int(&argv[j + 3])? };
        ops.push(FieldOp { kind, signed, bits, offset, value, overflow });
        j += if kind == FieldOpKind::Get { 3 } else { 4 };
    }
    Ok(ops)
}

/// Reads `bits` bits from bit `offset` as an unsigned number (bits past the end are 0).
fn get_unsigned(s: &[u8], offset: u64, bits: u32) -> u64 {
    (0..u64::from(bits)).fold(0u64, |v, i| (v << 1) | u64::from(bit_at(s, offset + i)))
}

/// Reads `bits` bits from bit `offset` as a two's complement signed number.
fn get_signed(s: &[u8], offset: u64, bits: u32) -> i64 {
    let v = get_unsigned(s, offset, bits);
    if bits < 64 && v & (1u64 << (bits - 1)) != 0 {
        (v | (u64::MAX << bits)) as i64
    } else {
        v as i64
    }
}

/// Writes the low `bits` bits of `value` at bit `offset` (the string is long enough).
fn set_field(s: &mut [u8], offset: u64, bits: u32, value: u64) {
    for i in 0..u64::from(bits) {
        let bit = (value >> (u64::from(bits) - 1 - i)) & 1;
        let pos = offset + i;
        if let Some(byte) = s.get_mut((pos >> 3) as usize) {
            let mask = 1u8 << (7 - (pos & 7));
            if bit == 1 {
                *byte |= mask;
            } else {
                *byte &= !mask;
            }
        }
    }
}

/// Redis's `checkUnsignedBitfieldOverflow`: whether `value + incr` leaves the range of a
/// `bits`-wide unsigned field, and the value to store instead under WRAP or SAT.
fn unsigned_overflow(value: u64, incr: i64, bits: u32, policy: Overflow) -> (bool, u64) {
    let max = if bits == 64 { u64::MAX } else { (1u64 << bits) - 1 };
    let max_incr = max.wrapping_sub(value) as i64;
    let min_incr = value.wrapping_neg() as i64;
    let wrap = || {
        let sum = value.wrapping_add(incr as u64);
        if bits >= 64 {
            sum
        } else {
            sum & !(u64::MAX << bits)
        }
    };
    if value > max || (incr > 0 && incr > max_incr) {
        (true, if policy == Overflow::Wrap { wrap() } else { max })
    } else if incr < 0 && incr < min_incr {
        (true, if policy == Overflow::Wrap { wrap() } else { 0 })
    } else {
        (false, 0)
    }
}

/// Redis's `checkSignedBitfieldOverflow`: whether `value + incr` leaves the range of a
/// `bits`-wide signed field, and the value to store instead under WRAP or SAT.
fn signed_overflow(value: i64, incr: i64, bits: u32, policy: Overflow) -> (bool, i64) {
    let max = if bits == 64 { i64::MAX } else { (1i64 << (bits - 1)) - 1 };
    let min = -max - 1;
    let max_incr = (max as u64).wrapping_sub(value as u64) as i64;
    let min_incr = min.wrapping_sub(value);
    let wrap = || {
        let mut c = (value as u64).wrapping_add(incr as u64);
        if bits < 64 {
            let mask = u64::MAX << bits;
            if c & (1u64 << (bits - 1)) != 0 {
                c |= mask;
            } else {
                c &= !mask;
            }
        }
        c as i64
    };
    if value > max || (bits != 64 && incr > max_incr) || (value >= 0 && incr > 0 && incr > max_incr)
    {
        (true, if policy == Overflow::Wrap { wrap() } else { max })
    } else if value < min
        || (bits != 64 && incr < min_incr)
        || (value < 0 && incr < 0 && incr < min_incr)
    {
        (true, if policy == Overflow::Wrap { wrap() } else { min })
    } else {
        (false, 0)
    }
}

/// Runs one SET or INCRBY on `s`: the reply (null when FAIL refused it) and whether the
/// stored bits changed.
fn apply_write(s: &mut [u8], op: &FieldOp) -> (Reply, bool) {
    if op.signed {
        let old = get_signed(s, op.offset, op.bits);
        let (overflow, new, reply) = if op.kind == FieldOpKind::IncrBy {
            let (overflow, limit) = signed_overflow(old, op.value, op.bits, op.overflow);
            let new = if overflow { limit } else { old.wrapping_add(op.value) };
            (overflow, new, new)
        } else {
            let (overflow, limit) = signed_overflow(op.value, 0, op.bits, op.overflow);
            (overflow, if overflow { limit } else { op.value }, old)
        };
        if overflow && op.overflow == Overflow::Fail {
            return (Reply::Null, false);
        }
        set_field(s, op.offset, op.bits, new as u64);
        (Reply::Integer(reply), old != new)
    } else {
        let old = get_unsigned(s, op.offset, op.bits);
        let (overflow, new, reply) = if op.kind == FieldOpKind::IncrBy {
            let (overflow, limit) = unsigned_overflow(old, op.value, op.bits, op.overflow);
            let new = if overflow { limit } else { old.wrapping_add(op.value as u64) };
            (overflow, new, new)
        } else {
            let value = op.value as u64;
            let (overflow, limit) = unsigned_overflow(value, 0, op.bits, op.overflow);
            (overflow, if overflow { limit } else { value }, old)
        };
        if overflow && op.overflow == Overflow::Fail {
            return (Reply::Null, false);
        }
        set_field(s, op.offset, op.bits, new);
        (Reply::Integer(reply as i64), old != new)
    }
}

/// The result of a GET operation on `s`.
fn apply_get(s: &[u8], op: &FieldOp) -> Reply {
    if op.signed {
        Reply::Integer(get_signed(s, op.offset, op.bits))
    } else {
        Reply::Integer(get_unsigned(s, op.offset, op.bits) as i64)
    }
}

/// The shared body of BITFIELD and BITFIELD_RO (Redis's `bitfieldGeneric`).
fn bitfield_generic(
    ctx: &mut Ctx<'_>,
    argv: &[Bytes],
    read_only_cmd: bool,
) -> Result<Reply, CommandError> {
    let ops = parse_bitfield(argv, proto_max_bulk_len(ctx))?;
    let key = &argv[1];
    let now = ctx.now_ms;
    let highest = ops
        .iter()
        .filter(|op| op.kind != FieldOpKind::Get)
        .map(|op| op.offset + u64::from(op.bits) - 1)
        .max();
    let Some(highest) = highest else {
        let db = ctx.db(key)?;
        let s = match db.lookup_read(key, now) {
            None => &[][..],
            Some(e) => e.value.as_string().ok_or(CommandError::WrongType)?,
        };
        return Ok(Reply::Array(ops.iter().map(|op| apply_get(s, op)).collect()));
    };
    if read_only_cmd {
        return Err(CommandError::custom("ERR BITFIELD_RO only supports the GET subcommand"));
    }
    let db_index = ctx.client.db;
    let (s, grown) = string_for_write(ctx, key, (highest >> 3) as usize + 1)?;
    let mut changes = 0u64;
    let mut out = Vec::with_capacity(ops.len());
    for op in &ops {
        if op.kind == FieldOpKind::Get {
            out.push(apply_get(s, op));
        } else {
            let (reply, changed) = apply_write(s, op);
            if !reply.is_error() && reply != Reply::Null && (grown || changed) {
                changes += 1;
            }
            out.push(reply);
        }
    }
    if changes > 0 {
        ctx.signal_modified(db_index, key);
        ctx.notify(NOTIFY_STRING, "setbit", db_index, key);
        ctx.add_dirty(changes - 1);
    }
    Ok(Reply::Array(out))
}

/// BITFIELD key [GET encoding offset | [OVERFLOW WRAP | SAT | FAIL]
/// <SET encoding offset value | INCRBY encoding offset increment> ...]
///
/// ```text
/// BITFIELD key [GET encoding offset | [OVERFLOW <WRAP | SAT | FAIL>]
///   <SET encoding offset value | INCRBY encoding offset increment>
///   [GET encoding offset | [OVERFLOW <WRAP | SAT | FAIL>]
///   <SET encoding offset value | INCRBY encoding offset increment> ...]]
/// ```
/// Runs integer operations on bit fields: `encoding` is `i1`..`i64` or `u1`..`u63`; `offset`
/// is in bits, or `#N` for N times the field width. Array with one reply per GET/SET/INCRBY:
/// GET the value, SET the old value, INCRBY the new value; null when OVERFLOW FAIL refused the
/// write (OVERFLOW applies to the operations after it; the default is WRAP). Writes grow the
/// string with zero bytes. Errors: `ERR syntax error`, `ERR Invalid OVERFLOW type specified`,
/// `ERR Invalid bitfield type. ...`, `ERR bit offset is not an integer or out of range`,
/// `ERR value is not an integer or out of range`, `WRONGTYPE`.
pub fn bitfield(ctx: &mut Ctx<'_>, argv: &[Bytes]) -> Result<Reply, CommandError> {
    bitfield_generic(ctx, argv, false)
}

/// BITFIELD_RO key [GET encoding offset [GET encoding offset ...]]
///
/// ```text
/// BITFIELD_RO key [GET encoding offset [GET encoding offset ...]]
/// ```
/// The read-only BITFIELD: array of integers. Errors: those of BITFIELD, and `ERR BITFIELD_RO
/// only supports the GET subcommand` (after all arguments parsed). Since 6.0.0.
pub fn bitfield_ro(ctx: &mut Ctx<'_>, argv: &[Bytes]) -> Result<Reply, CommandError> {
    bitfield_generic(ctx, argv, true)
}

const RO_ACCESS: &[KeySpec] = &[KeySpec::single(1, keyflags::RO | keyflags::ACCESS)];

/// BITFIELD's key flags (Redis's `bitfieldGetKeys`): read-only (RO ACCESS) when every
/// operation is a GET (or OVERFLOW), otherwise RW ACCESS UPDATE.
pub fn bitfield_get_keys(argv: &[Bytes]) -> Vec<(usize, u32)> {
    let mut readonly = true;
    let mut i = 2;
    while i < argv.len() {
        let remaining = argv.len() - i - 1;
        let arg = &argv[i];
        if args::is(arg, "get") && remaining >= 2 {
            i += 3;
        } else if (args::is(arg, "set") || args::is(arg, "incrby")) && remaining >= 3 {
            readonly = false;
            break;
        } else if args::is(arg, "overflow") && remaining >= 1 {
            i += 2;
        } else {
            readonly = false;
            break;
        }
    }
    let flags = if readonly {
        keyflags::RO | keyflags::ACCESS
    } else {
        keyflags::RW | keyflags::ACCESS | keyflags::UPDATE
    };
    vec![(1, flags)]
}

/// The bitmap family.
pub static SPECS: &[CommandSpec] = &[
    CommandSpec {
        name: "setbit",
        arguments: docs::SETBIT,
        arity: 4,
        flags: flags::WRITE | flags::DENYOOM,
        acl: acl::BITMAP,
        keys: &[KeySpec::single(1, keyflags::RW | keyflags::ACCESS | keyflags::UPDATE)],
        group: Group::Bitmap,
        since: "2.2.0",
        summary: "Sets or clears one bit of a string value and returns its previous state.",
        handler: Some(setbit),
        ..CommandSpec::DEFAULT
    },
    CommandSpec {
        name: "getbit",
        arguments: docs::GETBIT,
        arity: 3,
        flags: flags::READONLY | flags::FAST,
        acl: acl::BITMAP,
        keys: RO_ACCESS,
        group: Group::Bitmap,
        since: "2.2.0",
        summary: "Reads one bit of a string value.",
        handler: Some(getbit),
        ..CommandSpec::DEFAULT
    },
    CommandSpec {
        name: "bitcount",
        history: docs::BITCOUNT_HISTORY,
        arguments: docs::BITCOUNT,
        arity: -2,
        flags: flags::READONLY,
        acl: acl::BITMAP,
        keys: RO_ACCESS,
        group: Group::Bitmap,
        since: "2.6.0",
        summary: "Counts the bits set to 1 in a string value or a range of it.",
        complexity: "O(N)",
        handler: Some(bitcount),
        ..CommandSpec::DEFAULT
    },
    CommandSpec {
        name: "bitpos",
        history: docs::BITPOS_HISTORY,
        arguments: docs::BITPOS,
        arity: -3,
        flags: flags::READONLY,
        acl: acl::BITMAP,
        keys: RO_ACCESS,
        group: Group::Bitmap,
        since: "2.8.7",
        summary: "Locates the first bit equal to 0 or 1 in a string value or a range of it.",
        complexity: "O(N)",
        handler: Some(bitpos),
        ..CommandSpec::DEFAULT
    },
    CommandSpec {
        name: "bitop",
        arguments: docs::BITOP,
        arity: -4,
        flags: flags::WRITE | flags::DENYOOM,
        acl: acl::BITMAP,
        keys: &[
            KeySpec::single(2, keyflags::OW | keyflags::UPDATE),
            KeySpec::range_to_end(3, 1, keyflags::RO | keyflags::ACCESS),
        ],
        group: Group::Bitmap,
        since: "2.6.0",
        summary: "Combines string values with AND, OR, XOR or NOT and stores the outcome in a key.",
        complexity: "O(N)",
        handler: Some(bitop),
        ..CommandSpec::DEFAULT
    },
    CommandSpec {
        name: "bitfield",
        arguments: docs::BITFIELD,
        arity: -2,
        flags: flags::WRITE | flags::DENYOOM,
        acl: acl::BITMAP,
        keys: &[KeySpec::single(
            1,
            keyflags::RW | keyflags::ACCESS | keyflags::UPDATE | keyflags::VARIABLE_FLAGS,
        )
        .with_notes("This command allows both access and modification of the key")],
        group: Group::Bitmap,
        since: "3.2.0",
        summary:
            "Reads, writes and increments integer fields of arbitrary width inside a string value.",
        complexity: "O(1) for each subcommand specified",
        handler: Some(bitfield),
        get_keys: Some(bitfield_get_keys),
        ..CommandSpec::DEFAULT
    },
    CommandSpec {
        name: "bitfield_ro",
        arguments: docs::BITFIELD_RO,
        arity: -2,
        flags: flags::READONLY | flags::FAST,
        acl: acl::BITMAP,
        keys: RO_ACCESS,
        group: Group::Bitmap,
        since: "6.0.0",
        summary: "Reads integer fields of arbitrary width inside a string value.",
        complexity: "O(1) for each subcommand specified",
        handler: Some(bitfield_ro),
        ..CommandSpec::DEFAULT
    },
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_follow_redis_limits() {
        let max = 512 * 1024 * 1024;
        assert_eq!(bit_offset(b"4294967295", 0, max), Ok(4294967295));
        assert!(bit_offset(b"4294967296", 0, max).is_err());
        assert!(bit_offset(b"-1", 0, max).is_err());
        assert!(bit_offset(b"#2", 0, max).is_err());
        assert_eq!(bit_offset(b"#2", 8, max), Ok(16));
    }

    #[test]
    fn ranges_and_counts() {
        let s = b"foobar";
        assert_eq!(bit_range(0, None, false, 6).map(|(a, b)| count_bits(s, a, b)), Some(26));
        assert_eq!(bit_range(1, Some(1), false, 6).map(|(a, b)| count_bits(s, a, b)), Some(6));
        assert_eq!(bit_range(5, Some(30), true, 6).map(|(a, b)| count_bits(s, a, b)), Some(17));
        assert_eq!(bit_range(5, Some(2), false, 6), None);
        assert_eq!(popcount(&[0xff; 17]), 136);
    }

    #[test]
    fn find_bit_skips_words() {
        let mut s = vec![0u8; 40];
        s[33] = 0x10;
        assert_eq!(find_bit(&s, 0, 319, true), Some(33 * 8 + 3));
        assert_eq!(find_bit(&s, 0, 263, true), None);
        let ones = vec![0xffu8; 20];
        assert_eq!(find_bit(&ones, 3, 159, false), None);
    }

    #[test]
    fn field_overflow_rules() {
        assert_eq!(signed_overflow(127, 1, 8, Overflow::Wrap), (true, -128));
        assert_eq!(signed_overflow(127, 1, 8, Overflow::Sat), (true, 127));
        assert_eq!(signed_overflow(-128, -1, 8, Overflow::Sat), (true, -128));
        assert_eq!(signed_overflow(i64::MAX, 1, 64, Overflow::Wrap), (true, i64::MIN));
        assert_eq!(unsigned_overflow(255, 1, 8, Overflow::Wrap), (true, 0));
        assert_eq!(unsigned_overflow(0, -1, 8, Overflow::Sat), (true, 0));
        assert_eq!(unsigned_overflow(u64::MAX, 0, 8, Overflow::Sat), (true, 255));
        assert_eq!(unsigned_overflow(10, 5, 8, Overflow::Fail), (false, 0));
        let mut s = vec![0u8; 2];
        set_field(&mut s, 4, 8, 0xab);
        assert_eq!(s, vec![0x0a, 0xb0]);
        assert_eq!(get_unsigned(&s, 4, 8), 0xab);
        assert_eq!(get_signed(&s, 4, 8), 0xab_u8 as i8 as i64);
    }
}
