//! HyperLogLog: Redis's cardinality estimator stored in a plain string value, byte for byte in
//! Redis's format (Redis 7.2 `src/hyperloglog.c`), so that a value written by Redis counts the
//! same here and the other way round.
//!
//! Layout: a 16-byte header (`HYLL`, one encoding byte, three unused bytes, the cached
//! cardinality as a little-endian u64 whose top bit set means "stale"), then the registers.
//! There are 16384 registers (P = 14) of 6 bits each.
//!
//! - **dense**: the registers packed 6 bits each, from the least significant bit of each byte
//!   upwards, 12288 bytes; the whole value is exactly 12304 bytes.
//! - **sparse**: a run-length encoding of the registers with three opcodes: ZERO `00xxxxxx`
//!   (1..=64 zero registers), XZERO `01xxxxxx yyyyyyyy` (1..=16384 zero registers, 14-bit
//!   length), VAL `1vvvvvxx` (1..=4 registers of value 1..=32). A new HLL is sparse; it is
//!   promoted to dense when a register needs a value above 32 or when the sparse bytes would
//!   grow beyond `hll-sparse-max-bytes`.
//!
//! Elements are hashed with MurmurHash64A (seed `0xadc83b19`): the low 14 bits pick the
//! register, the position of the first 1 bit in the remaining 50 bits (counting from 1) is the
//! candidate register value. The estimate is Otmar Ertl's improved estimator
//! ("New cardinality estimation algorithms for HyperLogLog sketches", arXiv:1702.01284), as in
//! Redis's `hllCount`.
//!
//! Every function here works on a value's bytes and never panics on corrupted input: what
//! Redis reports as a corrupted object is [`Corrupt`]. Corrupted sparse values are also
//! rewritten as Redis rewrites them, with one known exception: after Redis rewrites an XZERO
//! cut by the end of the string, the byte its length arithmetic left just past the end stays
//! in the allocation and a later write of the same HLL reads it; here that byte is gone (it
//! reads as zero, like a fresh terminator).

/// Register index bits (`HLL_P`).
pub const HLL_P: u32 = 14;
/// Hash bits used for the run of zeros (`HLL_Q`).
pub const HLL_Q: u32 = 64 - HLL_P;
/// Number of registers (`HLL_REGISTERS`).
pub const REGISTERS: usize = 1 << HLL_P;
/// Bits per dense register.
pub const BITS: u32 = 6;
/// Largest register value.
pub const REGISTER_MAX: u8 = (1 << BITS) - 1;
/// Header size in bytes.
pub const HEADER_SIZE: usize = 16;
/// Size of a dense HLL value, header included.
pub const DENSE_SIZE: usize = HEADER_SIZE + (REGISTERS * BITS as usize).div_ceil(8);
/// Encoding byte of the dense representation.
pub const ENCODING_DENSE: u8 = 0;
/// Encoding byte of the sparse representation.
pub const ENCODING_SPARSE: u8 = 1;
/// Largest value a sparse VAL opcode holds.
pub const SPARSE_VAL_MAX_VALUE: u8 = 32;
/// Longest run of a VAL opcode.
const SPARSE_VAL_MAX_LEN: usize = 4;
/// Longest run of a ZERO opcode.
const SPARSE_ZERO_MAX_LEN: usize = 64;
/// Longest run of an XZERO opcode.
const SPARSE_XZERO_MAX_LEN: usize = 16384;
/// The hash seed Redis uses for HyperLogLog elements.
pub const HASH_SEED: u64 = 0xadc8_3b19;
/// `0.5 / ln(2)`, the estimator's constant for an infinite number of registers.
const ALPHA_INF: f64 = 0.721_347_520_444_481_7;

/// The HLL is corrupted (Redis's `INVALIDOBJ Corrupted HLL object detected`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Corrupt;

/// The representation named by the header's encoding byte.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    /// 6-bit packed registers.
    Dense,
    /// Run-length encoded registers.
    Sparse,
}

impl Encoding {
    /// The name PFDEBUG ENCODING replies with.
    pub fn name(self) -> &'static str {
        match self {
            Encoding::Dense => "dense",
            Encoding::Sparse => "sparse",
        }
    }
}

/// Checks that a string is an HLL as Redis's `isHLLObjectOrReply` does: at least a header,
/// the `HYLL` magic, a known encoding, and exactly [`DENSE_SIZE`] bytes when dense. `None`
/// means "not a valid HyperLogLog string value" (a `WRONGTYPE` error for the commands). The
/// sparse opcodes are not checked here: walking them reports [`Corrupt`].
pub fn check(bytes: &[u8]) -> Option<Encoding> {
    if bytes.len() < HEADER_SIZE || &bytes[..4] != b"HYLL" {
        return None;
    }
    match bytes[4] {
        ENCODING_DENSE if bytes.len() == DENSE_SIZE => Some(Encoding::Dense),
        ENCODING_SPARSE => Some(Encoding::Sparse),
        _ => None,
    }
}

/// MurmurHash64A as Redis computes it (`MurmurHash64A` in `src/hyperloglog.c`): 8-byte
/// blocks read little-endian whatever the platform, the length folded into the seed.
pub fn murmurhash64a(data: &[u8], seed: u64) -> u64 {
    const M: u64 = 0xc6a4_a793_5bd1_e995;
    const R: u32 = 47;
    let mut h = seed ^ (data.len() as u64).wrapping_mul(M);
    let mut blocks = data.chunks_exact(8);
    for block in &mut blocks {
        let mut k = u64::from_le_bytes(block.try_into().expect("8-byte block"));
        k = k.wrapping_mul(M);
        k ^= k >> R;
        k = k.wrapping_mul(M);
        h ^= k;
        h = h.wrapping_mul(M);
    }
    let tail = blocks.remainder();
    if !tail.is_empty() {
        for (i, &b) in tail.iter().enumerate() {
            h ^= u64::from(b) << (8 * i);
        }
        h = h.wrapping_mul(M);
    }
    h ^= h >> R;
    h = h.wrapping_mul(M);
    h ^= h >> R;
    h
}

/// The register an element maps to and the length of its `000..1` pattern (1..=51), as
/// Redis's `hllPatLen`.
pub fn pattern_len(ele: &[u8]) -> (usize, u8) {
    let hash = murmurhash64a(ele, HASH_SEED);
    let index = (hash & (REGISTERS as u64 - 1)) as usize;
    // A 1 at bit Q bounds the run so the count is at most Q + 1.
    let rest = (hash >> HLL_P) | (1u64 << HLL_Q);
    (index, rest.trailing_zeros() as u8 + 1)
}

/// A new, empty HLL: sparse, its registers as XZERO opcodes of 16384 each (one), the cached
/// cardinality 0 (Redis's `createHLLObject`).
pub fn new_sparse() -> Vec<u8> {
    let mut v = Vec::with_capacity(HEADER_SIZE + 2);
    v.extend_from_slice(b"HYLL");
    v.push(ENCODING_SPARSE);
    v.extend_from_slice(&[0; 11]);
    let mut left = REGISTERS;
    while left > 0 {
        let run = left.min(SPARSE_XZERO_MAX_LEN);
        push_xzero(&mut v, run);
        left -= run;
    }
    v
}

/// A new, empty dense HLL (cached cardinality 0).
pub fn new_dense() -> Vec<u8> {
    let mut v = vec![0u8; DENSE_SIZE];
    v[..4].copy_from_slice(b"HYLL");
    v[4] = ENCODING_DENSE;
    v
}

/// The cached cardinality, `None` when the cache is stale (top bit set).
pub fn cached_cardinality(hll: &[u8]) -> Option<u64> {
    let card = u64::from_le_bytes(hll[8..16].try_into().expect("header"));
    (card >> 63 == 0).then_some(card)
}

/// Stores `card` as the cached cardinality (valid).
pub fn set_cached_cardinality(hll: &mut [u8], card: u64) {
    hll[8..16].copy_from_slice(&card.to_le_bytes());
}

/// Marks the cached cardinality stale (Redis's `HLL_INVALIDATE_CACHE`).
pub fn invalidate_cache(hll: &mut [u8]) {
    hll[15] |= 0x80;
}

/// Reads dense register `i` from the register bytes (those after the header).
#[inline]
pub fn dense_get(regs: &[u8], i: usize) -> u8 {
    let byte = i * BITS as usize / 8;
    let fb = (i * BITS as usize) & 7;
    let b0 = u16::from(regs[byte]);
    // The last register's second byte is Redis's sds terminator: zero.
    let b1 = u16::from(regs.get(byte + 1).copied().unwrap_or(0));
    (((b0 >> fb) | (b1 << (8 - fb))) & u16::from(REGISTER_MAX)) as u8
}

/// Writes dense register `i` (`val` at most 63) in the register bytes.
#[inline]
pub fn dense_set(regs: &mut [u8], i: usize, val: u8) {
    let byte = i * BITS as usize / 8;
    let fb = (i * BITS as usize) & 7;
    let v = u16::from(val);
    let max = u16::from(REGISTER_MAX);
    regs[byte] = ((u16::from(regs[byte]) & !(max << fb)) | (v << fb)) as u8;
    if let Some(next) = regs.get_mut(byte + 1) {
        let fb8 = 8 - fb;
        *next = ((u16::from(*next) & !(max >> fb8)) | (v >> fb8)) as u8;
    }
}

// Sparse opcodes.

#[inline]
fn is_zero(b: u8) -> bool {
    b & 0xc0 == 0
}

#[inline]
fn is_xzero(b: u8) -> bool {
    b & 0xc0 == 0x40
}

#[inline]
fn is_val(b: u8) -> bool {
    b & 0x80 != 0
}

#[inline]
fn zero_len(b: u8) -> usize {
    usize::from(b & 0x3f) + 1
}

/// XZERO length; `b1` is the second byte (zero past the end, as Redis reads its terminator).
#[inline]
fn xzero_len(b0: u8, b1: u8) -> usize {
    ((usize::from(b0 & 0x3f) << 8) | usize::from(b1)) + 1
}

#[inline]
fn val_value(b: u8) -> u8 {
    ((b >> 2) & 0x1f) + 1
}

#[inline]
fn val_len(b: u8) -> usize {
    usize::from(b & 0x3) + 1
}

#[inline]
fn val_op(val: u8, len: usize) -> u8 {
    (((val - 1) << 2) | (len as u8 - 1)) | 0x80
}

fn push_xzero(out: &mut Vec<u8>, len: usize) {
    let l = len - 1;
    out.push((l >> 8) as u8 | 0x40);
    out.push((l & 0xff) as u8);
}

/// Appends a ZERO or XZERO opcode for `len` zero registers, as Redis chooses.
fn push_zeros(out: &mut Vec<u8>, len: usize) {
    if len > SPARSE_ZERO_MAX_LEN {
        push_xzero(out, len);
    } else {
        out.push((len - 1) as u8);
    }
}

/// One decoded sparse opcode.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Opcode {
    /// `len` registers at zero (ZERO when `wide` is false, XZERO when true).
    Zeros { len: usize, wide: bool },
    /// `len` registers at `value`.
    Val { value: u8, len: usize },
}

/// Walks the sparse opcodes after the header, as Redis's loops do (an XZERO cut by the end
/// of the string reads a zero second byte).
pub fn sparse_opcodes(hll: &[u8]) -> impl Iterator<Item = Opcode> + '_ {
    let body = hll.get(HEADER_SIZE..).unwrap_or(&[]);
    let mut p = 0;
    std::iter::from_fn(move || {
        let b = *body.get(p)?;
        Some(if is_zero(b) {
            p += 1;
            Opcode::Zeros { len: zero_len(b), wide: false }
        } else if is_xzero(b) {
            let len = xzero_len(b, body.get(p + 1).copied().unwrap_or(0));
            p += 2;
            Opcode::Zeros { len, wide: true }
        } else {
            p += 1;
            Opcode::Val { value: val_value(b), len: val_len(b) }
        })
    })
}

/// Calls `f(index, value)` for every register a VAL opcode sets, checking the sparse
/// opcodes cover exactly 16384 registers (Redis's `hllSparseToDense` and `hllMerge` walk):
/// a VAL past the end or a total other than 16384 is [`Corrupt`].
fn for_each_sparse_val(hll: &[u8], mut f: impl FnMut(usize, u8)) -> Result<(), Corrupt> {
    let mut idx = 0usize;
    for op in sparse_opcodes(hll) {
        match op {
            Opcode::Zeros { len, .. } => idx += len,
            Opcode::Val { value, len } => {
                // A VAL beyond the last register is corrupt (Redis 7.2.10 / 7.0.15, after the
                // CVE-2025-32023 fix; earlier versions stopped there and accepted the rest).
                if idx + len > REGISTERS {
                    return Err(Corrupt);
                }
                for i in idx..idx + len {
                    f(i, value);
                }
                idx += len;
            }
        }
    }
    if idx == REGISTERS {
        Ok(())
    } else {
        Err(Corrupt)
    }
}

/// The dense form of a sparse HLL, header (magic, cached cardinality) copied (Redis's
/// `hllSparseToDense`). A dense input is returned as is.
pub fn sparse_to_dense(hll: &[u8]) -> Result<Vec<u8>, Corrupt> {
    if hll[4] == ENCODING_DENSE {
        return Ok(hll.to_vec());
    }
    let mut dense = vec![0u8; DENSE_SIZE];
    dense[..HEADER_SIZE].copy_from_slice(&hll[..HEADER_SIZE]);
    dense[4] = ENCODING_DENSE;
    let regs = &mut dense[HEADER_SIZE..];
    for_each_sparse_val(hll, |i, v| dense_set(regs, i, v))?;
    Ok(dense)
}

/// Converts `hll` to dense in place; true when it was sparse.
pub fn promote(hll: &mut Vec<u8>) -> Result<bool, Corrupt> {
    if hll[4] == ENCODING_DENSE {
        return Ok(false);
    }
    *hll = sparse_to_dense(hll)?;
    Ok(true)
}

/// Raises dense register `index` to `count`; true when it changed (`hllDenseSet`).
fn dense_raise(regs: &mut [u8], index: usize, count: u8) -> bool {
    if count > dense_get(regs, index) {
        dense_set(regs, index, count);
        true
    } else {
        false
    }
}

/// Raises register `index` of a sparse HLL to `count` in place, exactly as Redis's
/// `hllSparseSet`: find the opcode covering the register, replace it by up to three opcodes,
/// merge equal adjacent VALs in a window of five opcodes from the previous one, and invalidate
/// the cached cardinality. Promotes to dense when `count` exceeds 32 or the sparse bytes
/// would exceed `sparse_max_bytes`. True when the register changed.
fn sparse_raise(
    hll: &mut Vec<u8>,
    index: usize,
    count: u8,
    sparse_max_bytes: usize,
) -> Result<bool, Corrupt> {
    if count > SPARSE_VAL_MAX_VALUE {
        return promote_and_raise(hll, index, count);
    }
    // Step 1: find the opcode covering `index`.
    let mut end = hll.len();
    let mut p = HEADER_SIZE;
    let mut first = 0usize;
    let mut prev: Option<usize> = None;
    let mut span = 0usize;
    while p < end {
        let b = hll[p];
        let mut oplen = 1;
        if is_zero(b) {
            span = zero_len(b);
        } else if is_val(b) {
            span = val_len(b);
        } else {
            // An XZERO cut by the end of the string reads a zero second byte, as Redis reads
            // its sds terminator.
            span = xzero_len(b, hll.get(p + 1).copied().unwrap_or(0));
            oplen = 2;
        }
        if index < first + span {
            break;
        }
        prev = Some(p);
        p += oplen;
        first += span;
    }
    if span == 0 || p >= end {
        return Err(Corrupt);
    }
    let b = hll[p];
    let (zero, xzero) = (is_zero(b), is_xzero(b));
    let runlen = span;

    // Step 2: the trivial in-place cases, else build the replacement sequence.
    let updated_in_place = if is_val(b) {
        if val_value(b) >= count {
            return Ok(false);
        }
        if runlen == 1 {
            hll[p] = val_op(count, 1);
            true
        } else {
            false
        }
    } else if zero && runlen == 1 {
        hll[p] = val_op(count, 1);
        true
    } else {
        false
    };

    if !updated_in_place {
        let last = first + span - 1;
        let mut seq: Vec<u8> = Vec::with_capacity(5);
        if zero || xzero {
            if index != first {
                push_zeros(&mut seq, index - first);
            }
            seq.push(val_op(count, 1));
            if index != last {
                push_zeros(&mut seq, last - index);
            }
        } else {
            let cur = val_value(b);
            if index != first {
                seq.push(val_op(cur, index - first));
            }
            seq.push(val_op(count, 1));
            if index != last {
                seq.push(val_op(cur, last - index));
            }
        }
        // Step 3: substitute the sequence for the old opcode.
        let oldlen = if xzero { 2 } else { 1 };
        if seq.len() > oldlen && hll.len() + seq.len() - oldlen > sparse_max_bytes {
            return promote_and_raise(hll, index, count);
        }
        if p + oldlen <= end {
            end = end + seq.len() - oldlen;
            hll.splice(p..p + oldlen, seq);
        } else {
            // A corrupted XZERO cut by the end: Redis writes the whole sequence but grows
            // the length by `seq.len() - 2`, so the sequence's last byte falls outside.
            hll.truncate(p);
            hll.extend_from_slice(&seq[..seq.len() - 1]);
            end = hll.len();
        }
    }

    // Step 4: merge adjacent VAL opcodes of equal value, scanning up to five opcodes.
    let mut p = prev.unwrap_or(HEADER_SIZE);
    let mut scan = 5;
    while p < end {
        if scan == 0 {
            break;
        }
        scan -= 1;
        let b = hll[p];
        if is_xzero(b) {
            p += 2;
            continue;
        } else if is_zero(b) {
            p += 1;
            continue;
        }
        if p + 1 < end && is_val(hll[p + 1]) {
            let v1 = val_value(b);
            let v2 = val_value(hll[p + 1]);
            if v1 == v2 {
                let len = val_len(b) + val_len(hll[p + 1]);
                if len <= SPARSE_VAL_MAX_LEN {
                    hll[p + 1] = val_op(v1, len);
                    hll.remove(p);
                    end -= 1;
                    continue;
                }
            }
        }
        p += 1;
    }
    invalidate_cache(hll);
    Ok(true)
}

/// The promotion path of `hllSparseSet`: convert to dense, then set the register (which must
/// change, since the sparse form needed an update).
fn promote_and_raise(hll: &mut Vec<u8>, index: usize, count: u8) -> Result<bool, Corrupt> {
    promote(hll)?;
    Ok(dense_raise(&mut hll[HEADER_SIZE..], index, count))
}

/// Raises register `index` to `count` in either representation; true when it changed. A
/// sparse HLL may be promoted to dense (see [`sparse_raise`]). The dense path leaves the
/// cached cardinality alone (the caller invalidates it, as PFADD and PFMERGE do).
pub fn raise_register(
    hll: &mut Vec<u8>,
    index: usize,
    count: u8,
    sparse_max_bytes: usize,
) -> Result<bool, Corrupt> {
    match hll[4] {
        ENCODING_DENSE => Ok(dense_raise(&mut hll[HEADER_SIZE..], index, count)),
        ENCODING_SPARSE => sparse_raise(hll, index, count, sparse_max_bytes),
        _ => Err(Corrupt),
    }
}

/// Adds an element (Redis's `hllAdd`): true when a register changed.
pub fn add(hll: &mut Vec<u8>, ele: &[u8], sparse_max_bytes: usize) -> Result<bool, Corrupt> {
    let (index, count) = pattern_len(ele);
    raise_register(hll, index, count, sparse_max_bytes)
}

/// The register-value histogram of a dense or sparse HLL (`hllDenseRegHisto`,
/// `hllSparseRegHisto`); a sparse HLL whose opcodes do not cover exactly 16384 registers is
/// [`Corrupt`].
pub fn histogram(hll: &[u8]) -> Result<[u32; 64], Corrupt> {
    let mut h = [0u32; 64];
    match hll[4] {
        ENCODING_DENSE => {
            let regs = &hll[HEADER_SIZE..];
            for chunk in regs.chunks_exact(3) {
                let (a, b, c) = (chunk[0], chunk[1], chunk[2]);
                h[usize::from(a & 63)] += 1;
                h[usize::from((a >> 6 | b << 2) & 63)] += 1;
                h[usize::from((b >> 4 | c << 4) & 63)] += 1;
                h[usize::from(c >> 2)] += 1;
            }
        }
        ENCODING_SPARSE => {
            let mut idx = 0usize;
            for op in sparse_opcodes(hll) {
                match op {
                    Opcode::Zeros { len, .. } => {
                        idx += len;
                        h[0] += len as u32;
                    }
                    Opcode::Val { value, len } => {
                        idx += len;
                        h[usize::from(value)] += len as u32;
                    }
                }
            }
            if idx != REGISTERS {
                return Err(Corrupt);
            }
        }
        _ => return Err(Corrupt),
    }
    Ok(h)
}

/// The histogram of raw registers, one byte each (`hllRawRegHisto`).
pub fn raw_histogram(regs: &[u8; REGISTERS]) -> [u32; 64] {
    let mut h = [0u32; 64];
    for &r in regs.iter() {
        h[usize::from(r & 63)] += 1;
    }
    h
}

/// `hllSigma` (Ertl).
fn sigma(mut x: f64) -> f64 {
    if x == 1.0 {
        return f64::INFINITY;
    }
    let mut y = 1.0;
    let mut z = x;
    loop {
        x *= x;
        let z_prime = z;
        z += x * y;
        y += y;
        if z_prime == z {
            return z;
        }
    }
}

/// `hllTau` (Ertl).
fn tau(mut x: f64) -> f64 {
    if x == 0.0 || x == 1.0 {
        return 0.0;
    }
    let mut y = 1.0;
    let mut z = 1.0 - x;
    loop {
        x = x.sqrt();
        let z_prime = z;
        y *= 0.5;
        let d = 1.0 - x;
        z -= d * d * y;
        if z_prime == z {
            return z / 3.0;
        }
    }
}

/// The cardinality estimate from a register histogram, with the same floating-point
/// operations in the same order as Redis's `hllCount`, so the result is identical.
pub fn estimate(h: &[u32; 64]) -> u64 {
    let m = REGISTERS as f64;
    let q = HLL_Q as usize;
    let mut z = m * tau((m - f64::from(h[q + 1])) / m);
    for j in (1..=q).rev() {
        z += f64::from(h[j]);
        z *= 0.5;
    }
    z += m * sigma(f64::from(h[0]) / m);
    let e = (ALPHA_INF * m * m / z).round();
    // Redis's `llroundl` of an infinite or out-of-range value gives LLONG_MIN, which it then
    // converts to 2^63 (only corrupted registers, e.g. all above 50, get here).
    if e < 9_223_372_036_854_775_808.0 {
        e as u64
    } else {
        1 << 63
    }
}

/// The estimated cardinality of an HLL (not using the cache).
pub fn count(hll: &[u8]) -> Result<u64, Corrupt> {
    Ok(estimate(&histogram(hll)?))
}

/// Raises each of `max`'s raw registers to the HLL's (Redis's `hllMerge`).
pub fn merge_into(max: &mut [u8; REGISTERS], hll: &[u8]) -> Result<(), Corrupt> {
    match hll[4] {
        ENCODING_DENSE => {
            let regs = &hll[HEADER_SIZE..];
            for (i, m) in max.iter_mut().enumerate() {
                let v = dense_get(regs, i);
                if v > *m {
                    *m = v;
                }
            }
            Ok(())
        }
        ENCODING_SPARSE => for_each_sparse_val(hll, |i, v| {
            if v > max[i] {
                max[i] = v;
            }
        }),
        _ => Err(Corrupt),
    }
}

/// The sparse opcodes in PFDEBUG DECODE's text form: `Z:<n>` (XZERO), `z:<n>` (ZERO),
/// `v:<value>,<len>` (VAL), separated by spaces.
pub fn decode_sparse(hll: &[u8]) -> String {
    let parts: Vec<String> = sparse_opcodes(hll)
        .map(|op| match op {
            Opcode::Zeros { len, wide: true } => format!("Z:{len}"),
            Opcode::Zeros { len, wide: false } => format!("z:{len}"),
            Opcode::Val { value, len } => format!("v:{value},{len}"),
        })
        .collect();
    parts.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::{Rng, SeedableRng};

    #[test]
    fn murmurhash64a_matches_reference_vectors() {
        // Vectors of the original C MurmurHash64A with seed 0x344d1f5c, as published in Apache
        // Commons Codec's MurmurHash2Test (EXPECTED_64_SEEDED): 16, 13, 8, 1 and 0 bytes, so
        // full blocks, every tail length class and the empty input are covered.
        let seed = 0x344d_1f5c;
        let v0 = [
            0xed, 0x53, 0xc4, 0xa5, 0x3b, 0x1b, 0xbd, 0xc2, 0x52, 0x7d, 0xc3, 0xef, 0x53, 0x5f,
            0xae, 0x3b,
        ];
        let v3 = [0x8e, 0xa7, 0x9a, 0x02, 0xe8, 0xb9, 0x6a, 0xda, 0x92, 0xad, 0xe9, 0x2d, 0x21];
        let v8 = [0x23, 0xa8, 0xb1, 0x87, 0x55, 0xf7, 0x8a, 0x4b];
        assert_eq!(murmurhash64a(&v0, seed), 0x0822_b148_1a92_e97b);
        assert_eq!(murmurhash64a(&v3, seed), 0xc970_296e_32e1_d1c1);
        assert_eq!(murmurhash64a(&v8, seed), 0xff16_2ca8_d6da_8c47);
        assert_eq!(murmurhash64a(&[0x7e], seed), 0x694d_d315_c935_4ca9);
        assert_eq!(murmurhash64a(&[], seed), 0xa970_52a8_f088_ae6c);
        assert_eq!(murmurhash64a(b"", 0), 0);
    }

    #[test]
    fn new_hll_is_one_xzero() {
        let h = new_sparse();
        assert_eq!(h.len(), 18);
        assert_eq!(&h[..5], b"HYLL\x01");
        assert_eq!(&h[16..], &[0x7f, 0xff]);
        assert_eq!(check(&h), Some(Encoding::Sparse));
        assert_eq!(count(&h), Ok(0));
        assert_eq!(decode_sparse(&h), "Z:16384");
    }

    #[test]
    fn check_follows_is_hll_object() {
        assert_eq!(check(b"HYLL"), None);
        let mut h = new_sparse();
        h[4] = 2;
        assert_eq!(check(&h), None);
        let mut d = new_dense();
        assert_eq!(check(&d), Some(Encoding::Dense));
        d.push(0);
        assert_eq!(check(&d), None);
        let mut s = new_sparse();
        s[0] = b'h';
        assert_eq!(check(&s), None);
    }

    #[test]
    fn dense_registers_round_trip_without_touching_neighbours() {
        let mut rng = rand::rngs::StdRng::seed_from_u64(7);
        let mut d = new_dense();
        let mut want = vec![0u8; REGISTERS];
        for _ in 0..3 {
            for (i, w) in want.iter_mut().enumerate() {
                *w = rng.random_range(0..=63);
                dense_set(&mut d[HEADER_SIZE..], i, *w);
            }
            for (i, &w) in want.iter().enumerate() {
                assert_eq!(dense_get(&d[HEADER_SIZE..], i), w, "register {i}");
            }
        }
    }

    #[test]
    fn sparse_split_and_merge_follow_redis() {
        // XZERO:16384 -> XZERO:1000 VAL:2,1 XZERO:15383
        let mut h = new_sparse();
        assert_eq!(sparse_raise(&mut h, 1000, 2, 3000), Ok(true));
        assert_eq!(decode_sparse(&h), "Z:1000 v:2,1 Z:15383");
        assert_eq!(cached_cardinality(&h), None);
        assert_eq!(sparse_raise(&mut h, 1000, 2, 3000), Ok(false));
        assert_eq!(sparse_raise(&mut h, 1001, 2, 3000), Ok(true));
        assert_eq!(decode_sparse(&h), "Z:1000 v:2,2 Z:15382");
        assert_eq!(sparse_raise(&mut h, 1003, 3, 3000), Ok(true));
        assert_eq!(decode_sparse(&h), "Z:1000 v:2,2 z:1 v:3,1 Z:15380");
        assert_eq!(sparse_raise(&mut h, 1002, 2, 3000), Ok(true));
        assert_eq!(decode_sparse(&h), "Z:1000 v:2,3 v:3,1 Z:15380");
        // Raising the middle of a VAL run splits it.
        assert_eq!(sparse_raise(&mut h, 1001, 5, 3000), Ok(true));
        assert_eq!(decode_sparse(&h), "Z:1000 v:2,1 v:5,1 v:2,1 v:3,1 Z:15380");
        // A value above 32 promotes.
        assert_eq!(sparse_raise(&mut h, 0, 33, 3000), Ok(true));
        assert_eq!(h.len(), DENSE_SIZE);
        assert_eq!(h[4], ENCODING_DENSE);
        let regs = &h[HEADER_SIZE..];
        assert_eq!((dense_get(regs, 0), dense_get(regs, 1000), dense_get(regs, 1001)), (33, 2, 5));
        assert_eq!((dense_get(regs, 1002), dense_get(regs, 1003), dense_get(regs, 1)), (2, 3, 0));
    }

    #[test]
    fn sparse_promotes_past_max_bytes() {
        let mut h = new_sparse();
        let mut i = 0usize;
        while h[4] == ENCODING_SPARSE {
            assert!(h.len() <= 40);
            add(&mut h, format!("e{i}").as_bytes(), 40).unwrap();
            i += 1;
        }
        assert_eq!(h.len(), DENSE_SIZE);
    }

    #[test]
    fn sparse_and_dense_agree_and_convert() {
        let mut rng = rand::rngs::StdRng::seed_from_u64(11);
        for n in [0usize, 1, 10, 100, 500, 2000] {
            let mut s = new_sparse();
            let mut d = new_dense();
            for _ in 0..n {
                let e: u64 = rng.random();
                let e = e.to_string();
                let a = add(&mut s, e.as_bytes(), usize::MAX).unwrap();
                let b = add(&mut d, e.as_bytes(), usize::MAX).unwrap();
                assert_eq!(a, b);
            }
            assert_eq!(count(&s), count(&d));
            let mut converted = sparse_to_dense(&s).unwrap();
            converted[8..16].copy_from_slice(&d[8..16]);
            assert_eq!(converted, d, "n={n}");
            let mut max = [0u8; REGISTERS];
            merge_into(&mut max, &s).unwrap();
            let mut max2 = [0u8; REGISTERS];
            merge_into(&mut max2, &d).unwrap();
            assert_eq!(max, max2);
            assert_eq!(estimate(&raw_histogram(&max)), count(&d).unwrap());
        }
    }

    #[test]
    fn corrupted_sparse_is_detected() {
        let mut h = new_sparse();
        add(&mut h, b"a", 3000).unwrap();
        let mut longer = h.clone();
        longer.extend_from_slice(b"hello");
        assert_eq!(count(&longer), Err(Corrupt));
        assert_eq!(sparse_to_dense(&longer), Err(Corrupt));
        let mut max = [0u8; REGISTERS];
        assert_eq!(merge_into(&mut max, &longer), Err(Corrupt));
        // XZERO:16384 then VAL:1,1: one register too many.
        let mut extra_val = new_sparse();
        extra_val.push(0x80);
        assert_eq!(count(&extra_val), Err(Corrupt));
        assert_eq!(sparse_to_dense(&extra_val), Err(Corrupt));
        assert_eq!(merge_into(&mut max, &extra_val), Err(Corrupt));
        let mut short = h.clone();
        short.pop();
        assert_eq!(count(&short), Err(Corrupt));
        // Random corruption never panics.
        let mut rng = rand::rngs::StdRng::seed_from_u64(3);
        for _ in 0..2000 {
            let mut c = h.clone();
            for _ in 0..rng.random_range(1..4) {
                let at = rng.random_range(HEADER_SIZE..c.len());
                c[at] = rng.random();
            }
            let _ = count(&c);
            let _ = add(&mut c, b"x", 3000);
            let _ = add(&mut c, b"y", 3000);
        }
    }

    #[test]
    fn xzero_cut_by_the_end_is_rewritten_as_redis_does() {
        // A corrupted body of one XZERO byte: its length reads a zero second byte (257).
        let mut h = new_sparse();
        h.truncate(HEADER_SIZE);
        h.push(0x41);
        assert_eq!(decode_sparse(&h), "Z:257");
        assert_eq!(count(&h), Err(Corrupt));
        // ZERO:10 VAL:3,1 XZERO:246 replaces it, but the length grows by the sequence minus
        // the two bytes of an XZERO, so the last byte is cut.
        assert_eq!(sparse_raise(&mut h, 10, 3, 3000), Ok(true));
        assert_eq!(&h[HEADER_SIZE..], &[0x09, 0x88, 0x40]);
    }

    #[test]
    fn registers_beyond_the_hash_range_estimate_like_redis() {
        // Every register at 63: nothing in the histogram's 0..=51 range, z = 0.
        let mut d = new_dense();
        d[HEADER_SIZE..].fill(0xff);
        assert_eq!(count(&d), Ok(1 << 63));
    }

    #[test]
    fn estimate_is_close_for_many_items() {
        let mut d = new_dense();
        for i in 0..200_000u32 {
            add(&mut d, &i.to_le_bytes(), 3000).unwrap();
        }
        let c = count(&d).unwrap() as f64;
        assert!((c - 200_000.0).abs() / 200_000.0 < 0.02, "{c}");
    }
}
