//! Redis's RDB encoding of one value, and the DUMP/RESTORE payload around it.
//!
//! Follows Redis 7.2: type codes from `src/rdb.h`; [`encode_value`] writes what
//! `rdbSaveObjectType` + `rdbSaveObject` (`src/rdb.c`) write, with the same encodings (so a
//! real Redis 7.2 restores our payloads), and [`decode_value`] reads everything
//! `rdbLoadObject` reads for RDB versions up to 11, including the older encodings (ziplists,
//! `LIST_QUICKLIST` with ziplist nodes, `ZSET` with string scores, the plain `LIST`), then
//! picks Ferrodis's encodings from the configured thresholds as Redis converts on load.
//! [`dump_payload`] / [`verify_payload`] are `createDumpPayload` / `verifyDumpPayload` of
//! `src/cluster.c`: the object, the 2-byte little-endian RDB version, and the CRC-64 (Jones,
//! Redis's `src/crc64.c`) of everything before it, little-endian.
//!
//! Layout of a value (`rdbSaveObject`):
//!
//! | type | code | body |
//! |---|---|---|
//! | string | 0 `STRING` | string |
//! | list | 18 `LIST_QUICKLIST_2` | node count, then per node: container (1 plain, 2 packed), string (the element, or a listpack) |
//! | set | 11 `SET_INTSET` / 20 `SET_LISTPACK` / 2 `SET` | intset or listpack as a string; or count + members |
//! | sorted set | 17 `ZSET_LISTPACK` / 5 `ZSET_2` | listpack (member, score pairs) as a string; or count + (member, 8-byte LE double) from the highest score down |
//! | hash | 16 `HASH_LISTPACK` / 4 `HASH` | listpack (field, value pairs) as a string; or count + (field, value) |
//!
//! Strings (`rdbSaveRawString`): up to 11 bytes that read as a 32-bit integer are stored as
//! an 8/16/32-bit integer; longer than 20 bytes, LZF-compressed when that saves at least 4
//! bytes (`rdbSaveLzfStringObject`); else length + bytes. LZF is the `lzf-rust` crate (its
//! compressor keeps its hash table on the stack, so the many small strings of a big hash cost
//! no allocation each); its output is valid LZF that Redis decompresses, but it may choose
//! other matches than Redis's `lzf_c.c`, so compressed strings are not always byte-identical
//! to Redis's. Lengths (`rdbSaveLen`): 6-bit,
//! 14-bit, or 0x80 + u32 / 0x81 + u64 big-endian.
//!
//! Decoding never panics and never allocates more than the input justifies: any
//! inconsistency is [`Corrupt`] (RESTORE's `ERR Bad data format`). Validation is always
//! the deep one (`sanitize-dump-payload yes`), whatever the configuration says.

pub mod listpack;
pub mod ziplist;

use crc::{Crc, Table, CRC_64_REDIS};
use ferrodis_keyspace::listpack::{ListPack, LpValue};
use ferrodis_keyspace::num::{parse_f64, parse_i64};
use ferrodis_keyspace::types::set::{IntSet, Set, SetView};
use ferrodis_keyspace::types::zset::{score_text, AddFlags};
use ferrodis_keyspace::types::{Hash, List, ZSet};
use ferrodis_keyspace::{EncodingLimits, Value};
use std::borrow::Cow;
use std::collections::HashSet;

/// The RDB version DUMP writes: Redis 7.2's `RDB_VERSION`.
pub const RDB_VERSION: u16 = 11;

/// `RDB_TYPE_STRING`.
pub const TYPE_STRING: u8 = 0;
/// `RDB_TYPE_LIST` (linked list, before Redis 3.2).
pub const TYPE_LIST: u8 = 1;
/// `RDB_TYPE_SET` (hash table).
pub const TYPE_SET: u8 = 2;
/// `RDB_TYPE_ZSET` (scores as strings, before Redis 3.0).
pub const TYPE_ZSET: u8 = 3;
/// `RDB_TYPE_HASH` (hash table).
pub const TYPE_HASH: u8 = 4;
/// `RDB_TYPE_ZSET_2` (skiplist, binary scores).
pub const TYPE_ZSET_2: u8 = 5;
/// `RDB_TYPE_HASH_ZIPMAP` (Redis 2.4 and older).
pub const TYPE_HASH_ZIPMAP: u8 = 9;
/// `RDB_TYPE_LIST_ZIPLIST`.
pub const TYPE_LIST_ZIPLIST: u8 = 10;
/// `RDB_TYPE_SET_INTSET`.
pub const TYPE_SET_INTSET: u8 = 11;
/// `RDB_TYPE_ZSET_ZIPLIST`.
pub const TYPE_ZSET_ZIPLIST: u8 = 12;
/// `RDB_TYPE_HASH_ZIPLIST`.
pub const TYPE_HASH_ZIPLIST: u8 = 13;
/// `RDB_TYPE_LIST_QUICKLIST` (ziplist nodes, Redis 3.2 to 6.2).
pub const TYPE_LIST_QUICKLIST: u8 = 14;
/// `RDB_TYPE_HASH_LISTPACK`.
pub const TYPE_HASH_LISTPACK: u8 = 16;
/// `RDB_TYPE_ZSET_LISTPACK`.
pub const TYPE_ZSET_LISTPACK: u8 = 17;
/// `RDB_TYPE_LIST_QUICKLIST_2` (listpack or plain nodes, Redis 7).
pub const TYPE_LIST_QUICKLIST_2: u8 = 18;
/// `RDB_TYPE_SET_LISTPACK` (Redis 7.2, RDB version 11).
pub const TYPE_SET_LISTPACK: u8 = 20;

/// `QUICKLIST_NODE_CONTAINER_PLAIN`.
const CONTAINER_PLAIN: u64 = 1;
/// `QUICKLIST_NODE_CONTAINER_PACKED`.
const CONTAINER_PACKED: u64 = 2;

/// The payload's content is not a valid RDB value (RESTORE: `ERR Bad data format`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Corrupt;

/// The payload's footer is wrong: an RDB version above ours or a CRC mismatch (RESTORE:
/// `ERR DUMP payload version or checksum are wrong`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BadFooter;

const CRC64: Crc<u64, Table<16>> = Crc::<u64, Table<16>>::new(&CRC_64_REDIS);

/// CRC-64 of `data` as Redis's `crc64(0, data, len)` (`src/crc64.c`: Jones polynomial,
/// reflected, no final xor); `crc64(b"123456789") == 0xe9c6d914c4b8d9ca`.
pub fn crc64(data: &[u8]) -> u64 {
    CRC64.checksum(data)
}

/// Frames an RDB body as a DUMP payload (`createDumpPayload`): appends RDB version 11 and the
/// CRC-64 of everything before it, both little-endian.
pub fn frame_payload(mut body: Vec<u8>) -> Vec<u8> {
    body.extend_from_slice(&RDB_VERSION.to_le_bytes());
    let crc = crc64(&body);
    body.extend_from_slice(&crc.to_le_bytes());
    body
}

/// DUMP's payload for `value`: [`encode_value`] framed by [`frame_payload`].
pub fn dump_payload(value: &Value) -> Vec<u8> {
    let mut body = Vec::new();
    encode_value(value, &mut body);
    frame_payload(body)
}

/// Checks a payload's footer (`verifyDumpPayload`): at least 10 bytes, an RDB version not
/// above 11, and a matching CRC-64. Returns the body (type byte and object) before it.
///
/// RESTORE then decodes the whole payload, footer included, not just the body: Redis reads
/// the object from the whole buffer, so a corrupt object that runs into the footer reads its
/// bytes (and may still be accepted) there too.
pub fn verify_payload(payload: &[u8]) -> Result<&[u8], BadFooter> {
    if payload.len() < 10 {
        return Err(BadFooter);
    }
    let split = payload.len() - 10;
    let footer = &payload[split..];
    let version = u16::from_le_bytes([footer[0], footer[1]]);
    if version > RDB_VERSION {
        return Err(BadFooter);
    }
    if crc64(&payload[..payload.len() - 8]).to_le_bytes() != footer[2..10] {
        return Err(BadFooter);
    }
    Ok(&payload[..split])
}

// ---------------------------------------------------------------------------------------
// Encoding
// ---------------------------------------------------------------------------------------

/// Appends an RDB length (`rdbSaveLen`).
pub fn put_len(out: &mut Vec<u8>, len: u64) {
    if len < 1 << 6 {
        out.push(len as u8);
    } else if len < 1 << 14 {
        out.push(((len >> 8) as u8) | 0x40);
        out.push(len as u8);
    } else if len <= u64::from(u32::MAX) {
        out.push(0x80);
        out.extend_from_slice(&(len as u32).to_be_bytes());
    } else {
        out.push(0x81);
        out.extend_from_slice(&len.to_be_bytes());
    }
}

/// Appends a string as `rdbSaveRawString` does: integer encoding for short integers, LZF
/// for long compressible strings, else length + bytes.
pub fn put_string(out: &mut Vec<u8>, s: &[u8]) {
    if s.len() <= 11 {
        if let Some(v) = parse_i64(s).and_then(|v| i32::try_from(v).ok()) {
            if let Ok(b) = i8::try_from(v) {
                out.extend_from_slice(&[0xC0, b as u8]);
            } else if let Ok(h) = i16::try_from(v) {
                out.push(0xC1);
                out.extend_from_slice(&h.to_le_bytes());
            } else {
                out.push(0xC2);
                out.extend_from_slice(&v.to_le_bytes());
            }
            return;
        }
    }
    if s.len() > 20 {
        // `rdbSaveLzfStringObject`: worth it only when at least 4 bytes are saved, so the
        // output buffer is 4 bytes shorter than the input (the compressor fails when the
        // result does not fit).
        let mut c = vec![0u8; s.len() - 4];
        if let Ok(n) = lzf_rust::compress(s, &mut c) {
            if n > 0 {
                out.push(0xC3);
                put_len(out, n as u64);
                put_len(out, s.len() as u64);
                out.extend_from_slice(&c[..n]);
                return;
            }
        }
    }
    put_len(out, s.len() as u64);
    out.extend_from_slice(s);
}

/// The score held by a zset listpack entry.
fn lp_score(v: LpValue<'_>) -> f64 {
    match v {
        LpValue::Int(i) => i as f64,
        LpValue::Str(s) => parse_f64(s).unwrap_or(0.0),
    }
}

/// Appends a listpack entry's bytes as a string.
fn put_lpvalue(out: &mut Vec<u8>, v: LpValue<'_>) {
    let mut buf = [0u8; 20];
    put_string(out, v.as_bytes(&mut buf));
}

/// Re-encodes one of our listpacks in Redis's listpack format.
fn redis_listpack<'a>(entries: impl Iterator<Item = LpValue<'a>>) -> Vec<u8> {
    let mut w = listpack::Writer::new();
    for v in entries {
        w.push(v);
    }
    w.finish()
}

/// Appends `value` in RDB format: its type byte (`rdbSaveObjectType`), then the object
/// (`rdbSaveObject`), with Redis 7.2's encodings (see the module docs).
pub fn encode_value(value: &Value, out: &mut Vec<u8>) {
    match value {
        Value::Str(_) | Value::RawStr(_) | Value::NoIntStr(_) => {
            out.push(TYPE_STRING);
            put_string(out, value.as_string().unwrap_or_default());
        }
        Value::List(list) => {
            out.push(TYPE_LIST_QUICKLIST_2);
            put_len(out, list.node_count() as u64);
            list.for_each_node(|lp, plain| {
                if plain {
                    put_len(out, CONTAINER_PLAIN);
                    match lp.get(0) {
                        Some(v) => put_lpvalue(out, v),
                        None => put_string(out, b""),
                    }
                } else {
                    put_len(out, CONTAINER_PACKED);
                    put_string(out, &redis_listpack(lp.iter()));
                }
            });
        }
        Value::Hash(hash) => match hash {
            Hash::ListPack(bytes) => {
                out.push(TYPE_HASH_LISTPACK);
                let lp = ListPack::from_bytes(bytes.to_vec());
                put_string(out, &redis_listpack(lp.iter()));
            }
            Hash::Table(_) => {
                out.push(TYPE_HASH);
                put_len(out, hash.len() as u64);
                hash.for_each(|f, v| {
                    put_lpvalue(out, f);
                    put_lpvalue(out, v);
                });
            }
        },
        Value::Set(_) | Value::SmallSet(_) | Value::IntSet(_) => {
            let Some(view) = value.set_view() else { return };
            match view {
                SetView::Ints(ints) => {
                    out.push(TYPE_SET_INTSET);
                    let width = ints.width();
                    let mut blob = Vec::with_capacity(8 + width * ints.len());
                    blob.extend_from_slice(&(width as u32).to_le_bytes());
                    blob.extend_from_slice(&(ints.len() as u32).to_le_bytes());
                    for v in ints.iter() {
                        blob.extend_from_slice(&v.to_le_bytes()[..width]);
                    }
                    put_string(out, &blob);
                }
                SetView::ListPack(lp) => {
                    out.push(TYPE_SET_LISTPACK);
                    put_string(out, &redis_listpack(lp.iter()));
                }
                SetView::Hashtable(_) => {
                    out.push(TYPE_SET);
                    put_len(out, view.len() as u64);
                    view.for_each(|m| put_lpvalue(out, m));
                }
            }
        }
        Value::ZSet(z) => match z {
            ZSet::ListPack(lp) => {
                out.push(TYPE_ZSET_LISTPACK);
                // Scores as Redis 7.2's `zzlInsertAt` stores them: `d2string` text (an
                // integral score as an integer), whatever text our listpack keeps.
                let mut w = listpack::Writer::new();
                let mut it = lp.iter();
                let mut text = Vec::with_capacity(32);
                while let (Some(member), Some(score)) = (it.next(), it.next()) {
                    w.push(member);
                    text.clear();
                    ferrodis_resp::double::format_double(lp_score(score), &mut text);
                    w.push_bytes(&text);
                }
                put_string(out, &w.finish());
            }
            ZSet::SkipList(_) => {
                out.push(TYPE_ZSET_2);
                put_len(out, z.len() as u64);
                z.walk(z.len().saturating_sub(1), z.len(), true, |m, s| {
                    put_string(out, m);
                    out.extend_from_slice(&s.to_le_bytes());
                });
            }
        },
    }
}

/// LZF decompression of `input` into exactly `out_len` bytes (liblzf's `lzf_decompress` as
/// `rdbLoadLzfStringObject` uses it), `None` when the data is corrupt or does not produce
/// exactly `out_len` bytes. An LZF back-reference of at most 3 bytes expands to at most 264
/// bytes, so lengths no input of this size could produce are refused before anything is
/// allocated.
pub fn lzf_decompress(input: &[u8], out_len: usize) -> Option<Vec<u8>> {
    if out_len == 0 || out_len > input.len().saturating_mul(90).saturating_add(64) {
        return None;
    }
    let mut out = vec![0u8; out_len];
    let n = lzf_rust::decompress(input, &mut out).ok()?;
    (n == out_len).then_some(out)
}

// ---------------------------------------------------------------------------------------
// Decoding
// ---------------------------------------------------------------------------------------

/// A cursor over an RDB body; every read is bounds-checked.
struct Reader<'a> {
    p: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    fn remaining(&self) -> usize {
        self.p.len() - self.pos
    }

    fn byte(&mut self) -> Result<u8, Corrupt> {
        let b = *self.p.get(self.pos).ok_or(Corrupt)?;
        self.pos += 1;
        Ok(b)
    }

    fn take(&mut self, n: u64) -> Result<&'a [u8], Corrupt> {
        let n = usize::try_from(n).map_err(|_| Corrupt)?;
        if n > self.remaining() {
            return Err(Corrupt);
        }
        let s = &self.p[self.pos..self.pos + n];
        self.pos += n;
        Ok(s)
    }

    /// `rdbLoadLenByRef`: `(value, is_encoded)`.
    fn len_or_enc(&mut self) -> Result<(u64, bool), Corrupt> {
        let b = self.byte()?;
        Ok(match b >> 6 {
            0 => (u64::from(b & 0x3F), false),
            1 => (u64::from(b & 0x3F) << 8 | u64::from(self.byte()?), false),
            3 => (u64::from(b & 0x3F), true),
            _ => match b {
                0x80 => {
                    let s = self.take(4)?;
                    (u64::from(u32::from_be_bytes([s[0], s[1], s[2], s[3]])), false)
                }
                0x81 => {
                    let s = self.take(8)?;
                    (u64::from_be_bytes(s.try_into().map_err(|_| Corrupt)?), false)
                }
                _ => return Err(Corrupt),
            },
        })
    }

    /// A plain (not encoded) length.
    fn len(&mut self) -> Result<u64, Corrupt> {
        match self.len_or_enc()? {
            (n, false) => Ok(n),
            _ => Err(Corrupt),
        }
    }

    /// `rdbGenericLoadStringObject`: a string, integer- or LZF-encoded or plain.
    fn string(&mut self) -> Result<Cow<'a, [u8]>, Corrupt> {
        let (n, encoded) = self.len_or_enc()?;
        if !encoded {
            return Ok(Cow::Borrowed(self.take(n)?));
        }
        let v: i64 = match n {
            0 => i64::from(self.byte()? as i8),
            1 => {
                let s = self.take(2)?;
                i64::from(i16::from_le_bytes([s[0], s[1]]))
            }
            2 => {
                let s = self.take(4)?;
                i64::from(i32::from_le_bytes([s[0], s[1], s[2], s[3]]))
            }
            3 => {
                let clen = self.len()?;
                let len = self.len()?;
                let c = self.take(clen)?;
                let len = usize::try_from(len).map_err(|_| Corrupt)?;
                return lzf_decompress(c, len).map(Cow::Owned).ok_or(Corrupt);
            }
            _ => return Err(Corrupt),
        };
        Ok(Cow::Owned(v.to_string().into_bytes()))
    }

    /// `rdbLoadBinaryDoubleValue`.
    fn binary_double(&mut self) -> Result<f64, Corrupt> {
        let s = self.take(8)?;
        Ok(f64::from_le_bytes(s.try_into().map_err(|_| Corrupt)?))
    }

    /// `rdbLoadDoubleValue`: a length byte (253 NaN, 254 +inf, 255 -inf) and ASCII digits.
    fn string_double(&mut self) -> Result<f64, Corrupt> {
        match self.byte()? {
            253 => Ok(f64::NAN),
            254 => Ok(f64::INFINITY),
            255 => Ok(f64::NEG_INFINITY),
            n => parse_f64(self.take(u64::from(n))?).ok_or(Corrupt),
        }
    }

    /// A count of elements, each of which takes at least `min_bytes` bytes: refused when the
    /// rest of the input cannot hold them (so no loop runs on a corrupt count).
    fn count(&mut self, min_bytes: usize) -> Result<usize, Corrupt> {
        let n = self.len()?;
        let n = usize::try_from(n).map_err(|_| Corrupt)?;
        if n.saturating_mul(min_bytes) > self.remaining() {
            return Err(Corrupt);
        }
        Ok(n)
    }
}

/// Reads one value (type byte, then the object) from the start of `body`, as
/// `rdbLoadObjectType` + `rdbLoadObject`, and returns it in the encoding Ferrodis picks for
/// `limits`. Bytes after the object are ignored, as Redis's RESTORE does. Empty collections,
/// duplicate members/fields, NaN scores and unknown or unsupported types (modules, streams)
/// are [`Corrupt`].
pub fn decode_value(body: &[u8], limits: &EncodingLimits) -> Result<Value, Corrupt> {
    let mut r = Reader { p: body, pos: 0 };
    let ty = r.byte()?;
    let fill = limits.list_max_listpack_size;
    match ty {
        TYPE_STRING => Ok(Value::string(&r.string()?)),
        TYPE_LIST => {
            let n = r.count(1)?;
            let mut elements = Vec::with_capacity(n);
            for _ in 0..n {
                elements.push(r.string()?);
            }
            list_from_elements(elements.iter().map(|e| LpValue::Str(e)), fill)
        }
        TYPE_LIST_ZIPLIST => {
            let blob = r.string()?;
            list_from_elements(ziplist::parse(&blob)?.into_iter(), fill)
        }
        TYPE_LIST_QUICKLIST | TYPE_LIST_QUICKLIST_2 => {
            let n = r.count(1)?;
            let mut nodes = Vec::with_capacity(n);
            for _ in 0..n {
                let container =
                    if ty == TYPE_LIST_QUICKLIST_2 { r.len()? } else { CONTAINER_PACKED };
                let data = r.string()?;
                if data.is_empty() {
                    return Err(Corrupt);
                }
                let mut lp = ListPack::new();
                match container {
                    CONTAINER_PLAIN => {
                        lp.push_back(&data);
                        nodes.push((lp, true));
                        continue;
                    }
                    CONTAINER_PACKED => {}
                    _ => return Err(Corrupt),
                }
                let entries = if ty == TYPE_LIST_QUICKLIST_2 {
                    listpack::parse(&data)?
                } else {
                    ziplist::parse(&data)?
                };
                for v in entries {
                    push_lpvalue(&mut lp, v);
                }
                nodes.push((lp, false));
            }
            let list = List::from_nodes(nodes, fill);
            if list.is_empty() {
                return Err(Corrupt);
            }
            Ok(Value::List(Box::new(list)))
        }
        TYPE_SET => {
            let n = r.count(1)?;
            if n == 0 {
                return Err(Corrupt);
            }
            let mut members = Vec::with_capacity(n);
            for _ in 0..n {
                members.push(r.string()?);
            }
            check_unique(members.iter().map(|m| LpValue::Str(m)))?;
            Ok(Value::set(set_from_members(&members, limits)))
        }
        TYPE_SET_INTSET => {
            let blob = r.string()?;
            let mut set = Set::IntSet(parse_intset(&blob)?);
            if set.len() > limits.set_max_intset_entries {
                set.convert_to_hashtable();
            }
            Ok(Value::set(set))
        }
        TYPE_SET_LISTPACK => {
            let blob = r.string()?;
            let entries = listpack::parse(&blob)?;
            if entries.is_empty() {
                return Err(Corrupt);
            }
            check_unique(entries.iter().copied())?;
            let mut lp = ListPack::new();
            for v in entries {
                push_lpvalue(&mut lp, v);
            }
            let mut set = Set::ListPack(lp);
            if set.len() > limits.set_max_listpack_entries {
                set.convert_to_hashtable();
            }
            Ok(Value::set(set))
        }
        TYPE_ZSET | TYPE_ZSET_2 => {
            let n = r.count(2)?;
            if n == 0 {
                return Err(Corrupt);
            }
            let mut z = ZSet::new_skiplist();
            let mut maxelelen = 0;
            for _ in 0..n {
                let m = r.string()?;
                let score = if ty == TYPE_ZSET_2 { r.binary_double()? } else { r.string_double()? };
                if score.is_nan() || z.score(&m).is_some() {
                    return Err(Corrupt);
                }
                maxelelen = maxelelen.max(m.len());
                z.add(&m, score, AddFlags::default(), limits).map_err(|_| Corrupt)?;
            }
            z.convert_to_listpack_if_needed(maxelelen, limits);
            Ok(Value::ZSet(z))
        }
        TYPE_ZSET_ZIPLIST | TYPE_ZSET_LISTPACK => {
            let blob = r.string()?;
            let entries = if ty == TYPE_ZSET_LISTPACK {
                listpack::parse(&blob)?
            } else {
                ziplist::parse(&blob)?
            };
            let pairs = pairs_of(&entries)?;
            let mut scored = Vec::with_capacity(pairs.len());
            for (m, s) in pairs {
                let score = match s {
                    LpValue::Int(i) => i as f64,
                    LpValue::Str(b) => parse_f64(b).ok_or(Corrupt)?,
                };
                // `zzlGetScore` reads with `strtod`: a score text that is not a number is
                // refused here rather than read as 0.
                if score.is_nan() {
                    return Err(Corrupt);
                }
                scored.push((m.to_vec(), score));
            }
            // Sorted-set order (`zslValueGteMin` & co.): scores compare as numbers, so -0 and
            // 0 are equal and ordered by member (NaN was refused above).
            scored.sort_by(|a, b| {
                a.1.partial_cmp(&b.1)
                    .unwrap_or(std::cmp::Ordering::Equal)
                    .then_with(|| a.0.cmp(&b.0))
            });
            let mut lp = ListPack::new();
            let mut buf = Vec::new();
            for (m, score) in &scored {
                lp.push_back(m);
                buf.clear();
                score_text(*score, &mut buf);
                lp.push_back(&buf);
            }
            let mut z = ZSet::ListPack(lp);
            if z.len() > limits.zset_max_listpack_entries {
                z.convert_to_skiplist();
            }
            Ok(Value::ZSet(z))
        }
        TYPE_HASH => {
            let n = r.count(2)?;
            if n == 0 {
                return Err(Corrupt);
            }
            let mut pairs = Vec::with_capacity(n);
            for _ in 0..n {
                let f = r.string()?;
                let v = r.string()?;
                pairs.push((f, v));
            }
            check_unique(pairs.iter().map(|p| LpValue::Str(&p.0)))?;
            // Redis starts a listpack unless there are too many pairs, and converts at the
            // first field or value over `hash-max-listpack-value`: the result is a listpack
            // exactly when both limits hold. Built directly, without per-field searches.
            let mut lp = ListPack::new();
            for (f, v) in &pairs {
                lp.push_back(f);
                lp.push_back(v);
            }
            let mut h = Hash::ListPack(lp.into_bytes().into_boxed_slice());
            let maxlen = pairs.iter().map(|(f, v)| f.len().max(v.len())).max().unwrap_or(0);
            if n > limits.hash_max_listpack_entries || maxlen > limits.hash_max_listpack_value {
                h.convert();
            }
            Ok(Value::Hash(h))
        }
        TYPE_HASH_ZIPMAP => {
            let blob = r.string()?;
            let pairs = parse_zipmap(&blob)?;
            if pairs.is_empty() {
                return Err(Corrupt);
            }
            check_unique(pairs.iter().map(|p| LpValue::Str(p.0)))?;
            let mut lp = ListPack::new();
            let mut maxlen = 0;
            for (f, v) in &pairs {
                lp.push_back(f);
                lp.push_back(v);
                maxlen = maxlen.max(f.len()).max(v.len());
            }
            let mut h = Hash::ListPack(lp.into_bytes().into_boxed_slice());
            if pairs.len() > limits.hash_max_listpack_entries
                || maxlen > limits.hash_max_listpack_value
            {
                h.convert();
            }
            Ok(Value::Hash(h))
        }
        TYPE_HASH_ZIPLIST | TYPE_HASH_LISTPACK => {
            let blob = r.string()?;
            let entries = if ty == TYPE_HASH_LISTPACK {
                listpack::parse(&blob)?
            } else {
                ziplist::parse(&blob)?
            };
            let pairs = pairs_of(&entries)?;
            check_unique(pairs.iter().map(|p| p.0))?;
            let mut lp = ListPack::new();
            for (f, v) in &pairs {
                push_lpvalue(&mut lp, *f);
                push_lpvalue(&mut lp, *v);
            }
            let mut h = Hash::ListPack(lp.into_bytes().into_boxed_slice());
            if pairs.len() > limits.hash_max_listpack_entries {
                h.convert();
            }
            Ok(Value::Hash(h))
        }
        _ => Err(Corrupt),
    }
}

/// A set of distinct `members` (the `SET` type) in the encoding Redis 7.2's loader ends
/// with: `hashtable` when there are more than `set-max-intset-entries`; else `intset` when all
/// are integers; else `listpack` when they fit `set-max-listpack-entries` and
/// `set-max-listpack-value`; else `hashtable`. (Redis adds them one by one, converting
/// intset -> listpack -> hashtable as they stop fitting; the end result is the same.) Built
/// without per-member searches.
fn set_from_members(members: &[Cow<'_, [u8]>], limits: &EncodingLimits) -> Set {
    let n = members.len();
    let ints: Option<Vec<i64>> = members.iter().map(|m| parse_i64(m)).collect();
    let mut set = if n > limits.set_max_intset_entries.min(1 << 30) {
        Set::new_hashtable()
    } else if let Some(mut ints) = ints {
        ints.sort_unstable();
        let mut is = IntSet::new();
        for v in ints {
            is.insert(v);
        }
        return Set::IntSet(is);
    } else if n <= limits.set_max_listpack_entries
        && members.iter().all(|m| m.len() <= limits.set_max_listpack_value)
    {
        let mut lp = ListPack::new();
        for m in members {
            lp.push_back(m);
        }
        return Set::ListPack(lp);
    } else {
        Set::new_hashtable()
    };
    for m in members {
        set.add(m, limits);
    }
    set
}

/// Appends a decoded entry to one of our listpacks.
fn push_lpvalue(lp: &mut ListPack, v: LpValue<'_>) {
    match v {
        LpValue::Int(i) => lp.push_back_int(i),
        LpValue::Str(s) => lp.push_back(s),
    }
}

/// A list from single elements (the old `LIST` and `LIST_ZIPLIST` types): pushed into a
/// quicklist node by node, then converted as Redis does after loading.
fn list_from_elements<'a>(
    elements: impl Iterator<Item = LpValue<'a>>,
    fill: i32,
) -> Result<Value, Corrupt> {
    let mut list = List::from_nodes(Vec::new(), fill);
    for v in elements {
        let mut buf = [0u8; 20];
        list.push(v.as_bytes(&mut buf), false, fill);
    }
    if list.is_empty() {
        return Err(Corrupt);
    }
    list.convert_after_load(fill);
    Ok(Value::List(Box::new(list)))
}

/// Entries taken two by two (an odd count or none at all is corrupt).
fn pairs_of<'a>(entries: &[LpValue<'a>]) -> Result<Vec<(LpValue<'a>, LpValue<'a>)>, Corrupt> {
    if entries.is_empty() || !entries.len().is_multiple_of(2) {
        return Err(Corrupt);
    }
    Ok(entries.chunks_exact(2).map(|c| (c[0], c[1])).collect())
}

/// Corrupt when two entries have the same bytes (`lpValidateIntegrityAndDups`).
fn check_unique<'a>(entries: impl Iterator<Item = LpValue<'a>>) -> Result<(), Corrupt> {
    let mut seen = HashSet::new();
    for v in entries {
        if !seen.insert(v.to_vec()) {
            return Err(Corrupt);
        }
    }
    Ok(())
}

/// A field and its value, borrowed from a blob.
type BytePair<'a> = (&'a [u8], &'a [u8]);

/// Parses and validates a zipmap (`src/zipmap.c`, the small-hash encoding of Redis 2.4 and
/// older), as the deep `zipmapValidateIntegrity`:
///
/// ```text
/// zipmap := count:u8 (254 = unknown)  (len key  len free:u8 value  free-bytes)*  0xFF
/// len    := u8 (< 254) | 0xFE u32le
/// ```
fn parse_zipmap(blob: &[u8]) -> Result<Vec<BytePair<'_>>, Corrupt> {
    let mut r = Reader { p: blob, pos: 0 };
    let count = r.byte()?;
    let len = |r: &mut Reader<'_>| -> Result<Option<u64>, Corrupt> {
        match r.byte()? {
            255 => Ok(None),
            254 => {
                let b = r.take(4)?;
                Ok(Some(u64::from(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))))
            }
            n => Ok(Some(u64::from(n))),
        }
    };
    let mut pairs = Vec::new();
    while let Some(klen) = len(&mut r)? {
        let key = r.take(klen)?;
        let vlen = len(&mut r)?.ok_or(Corrupt)?;
        let free = r.byte()?;
        let value = r.take(vlen)?;
        r.take(u64::from(free))?;
        pairs.push((key, value));
    }
    if r.remaining() != 0 || (count < 254 && usize::from(count) != pairs.len()) {
        return Err(Corrupt);
    }
    Ok(pairs)
}

/// Parses and validates a Redis intset (`intsetValidateIntegrity`, deep): encoding 2, 4 or
/// 8, `8 + count * encoding` bytes, at least one member, strictly ascending.
fn parse_intset(blob: &[u8]) -> Result<IntSet, Corrupt> {
    if blob.len() < 8 {
        return Err(Corrupt);
    }
    let width = u32::from_le_bytes([blob[0], blob[1], blob[2], blob[3]]) as usize;
    let count = u32::from_le_bytes([blob[4], blob[5], blob[6], blob[7]]) as usize;
    if !matches!(width, 2 | 4 | 8)
        || count == 0
        || Some(blob.len()) != count.checked_mul(width).map(|n| n + 8)
    {
        return Err(Corrupt);
    }
    let mut set = IntSet::new();
    let mut prev: Option<i64> = None;
    for chunk in blob[8..].chunks_exact(width) {
        let mut b = [0u8; 8];
        b[..width].copy_from_slice(chunk);
        let shift = 64 - 8 * width as u32;
        let v = ((u64::from_le_bytes(b) << shift) as i64) >> shift;
        if prev.is_some_and(|p| p >= v) {
            return Err(Corrupt);
        }
        prev = Some(v);
        set.insert(v);
    }
    Ok(set)
}

#[cfg(test)]
mod tests;
