//! Redis's listpack byte format (`src/listpack.c`), as RDB payloads carry it: the blob of
//! small lists (each quicklist node), hashes, sets and sorted sets.
//!
//! ```text
//! listpack := total-bytes:u32le  count:u16le (65535 = unknown)  entry*  0xFF
//! entry    := encoding [payload] backlen
//! encoding := 0xxxxxxx                   7-bit unsigned integer
//!           | 10xxxxxx                   string, 6-bit length
//!           | 110xxxxx yyyyyyyy          13-bit signed integer
//!           | 1110xxxx yyyyyyyy          string, 12-bit length
//!           | 0xF0 len:u32le             string, 32-bit length
//!           | 0xF1 / 0xF2 / 0xF3 / 0xF4  16 / 24 / 32 / 64-bit signed integer, little-endian
//! backlen  := the length of encoding + payload, 7 bits per byte, readable from the entry's
//!             end backwards (`lpEncodeBacklen` / `lpDecodeBacklen`)
//! ```
//!
//! The writer picks encodings as `lpEncodeGetType` does (a string that reads as a 64-bit
//! integer under `string2ll` is stored as an integer), so the bytes equal Redis's. The reader
//! validates everything a deep `lpValidateIntegrity` does, whatever `sanitize-dump-payload`
//! says: a corrupt blob is an error, never a panic.

use super::Corrupt;
use ferrodis_keyspace::listpack::LpValue;
use ferrodis_keyspace::num::parse_i64;

/// Bytes of the listpack header (total bytes, element count).
const HEADER: usize = 6;
/// The end-of-listpack byte.
const EOF: u8 = 0xFF;
/// The element count written when the real one does not fit 16 bits.
const COUNT_UNKNOWN: usize = 65535;

/// Builds a Redis listpack entry by entry.
pub struct Writer {
    buf: Vec<u8>,
    count: usize,
}

impl Default for Writer {
    fn default() -> Self {
        Writer::new()
    }
}

impl Writer {
    /// An empty listpack.
    pub fn new() -> Writer {
        Writer { buf: vec![0; HEADER], count: 0 }
    }

    /// Appends an entry (an integer-looking string is stored as an integer).
    pub fn push(&mut self, v: LpValue<'_>) {
        match v {
            LpValue::Int(i) => self.push_int(i),
            LpValue::Str(s) => match (s.len() <= 20).then(|| parse_i64(s)).flatten() {
                Some(i) => self.push_int(i),
                None => self.push_str(s),
            },
        }
    }

    /// Appends the bytes `s` (as [`Writer::push`]).
    pub fn push_bytes(&mut self, s: &[u8]) {
        self.push(LpValue::Str(s));
    }

    fn push_int(&mut self, v: i64) {
        let start = self.buf.len();
        if (0..=127).contains(&v) {
            self.buf.push(v as u8);
        } else if (-4096..=4095).contains(&v) {
            let u = (v as u16) & 0x1fff;
            self.buf.extend_from_slice(&[0xC0 | (u >> 8) as u8, u as u8]);
        } else if i16::try_from(v).is_ok() {
            self.buf.push(0xF1);
            self.buf.extend_from_slice(&v.to_le_bytes()[..2]);
        } else if (-8_388_608..=8_388_607).contains(&v) {
            self.buf.push(0xF2);
            self.buf.extend_from_slice(&v.to_le_bytes()[..3]);
        } else if i32::try_from(v).is_ok() {
            self.buf.push(0xF3);
            self.buf.extend_from_slice(&v.to_le_bytes()[..4]);
        } else {
            self.buf.push(0xF4);
            self.buf.extend_from_slice(&v.to_le_bytes());
        }
        self.finish_entry(start);
    }

    fn push_str(&mut self, s: &[u8]) {
        let start = self.buf.len();
        let len = s.len();
        if len < 64 {
            self.buf.push(0x80 | len as u8);
        } else if len < 4096 {
            self.buf.extend_from_slice(&[0xE0 | (len >> 8) as u8, len as u8]);
        } else {
            self.buf.push(0xF0);
            self.buf.extend_from_slice(&(len as u32).to_le_bytes());
        }
        self.buf.extend_from_slice(s);
        self.finish_entry(start);
    }

    fn finish_entry(&mut self, start: usize) {
        let l = self.buf.len() - start;
        let mut tmp = [0u8; 5];
        let n = encode_backlen(l, &mut tmp);
        self.buf.extend_from_slice(&tmp[..n]);
        self.count += 1;
    }

    /// The finished listpack bytes.
    pub fn finish(mut self) -> Vec<u8> {
        self.buf.push(EOF);
        let total = self.buf.len() as u32;
        self.buf[0..4].copy_from_slice(&total.to_le_bytes());
        let count = self.count.min(COUNT_UNKNOWN) as u16;
        self.buf[4..6].copy_from_slice(&count.to_le_bytes());
        self.buf
    }
}

/// `lpEncodeBacklen`: writes the backlen of an entry of `l` bytes into `buf`, returns its size.
fn encode_backlen(l: usize, buf: &mut [u8; 5]) -> usize {
    let l = l as u64;
    if l <= 127 {
        buf[0] = l as u8;
        1
    } else if l < 16383 {
        buf[0] = (l >> 7) as u8;
        buf[1] = ((l & 127) | 128) as u8;
        2
    } else if l < 2_097_151 {
        buf[0] = (l >> 14) as u8;
        buf[1] = (((l >> 7) & 127) | 128) as u8;
        buf[2] = ((l & 127) | 128) as u8;
        3
    } else if l < 268_435_455 {
        buf[0] = (l >> 21) as u8;
        buf[1] = (((l >> 14) & 127) | 128) as u8;
        buf[2] = (((l >> 7) & 127) | 128) as u8;
        buf[3] = ((l & 127) | 128) as u8;
        4
    } else {
        buf[0] = (l >> 28) as u8;
        buf[1] = (((l >> 21) & 127) | 128) as u8;
        buf[2] = (((l >> 14) & 127) | 128) as u8;
        buf[3] = (((l >> 7) & 127) | 128) as u8;
        buf[4] = ((l & 127) | 128) as u8;
        5
    }
}

/// Reads `n` little-endian bytes at `p[at..]` as a sign-extended integer.
fn le_signed(p: &[u8], n: usize) -> i64 {
    let mut b = [0u8; 8];
    b[..n].copy_from_slice(&p[..n]);
    let v = u64::from_le_bytes(b);
    let shift = 64 - 8 * n as u32;
    ((v << shift) as i64) >> shift
}

/// Parses and fully validates a Redis listpack: header size, every entry's bounds and
/// backlen, the end byte, and the element count (unless it is 65535, "unknown").
pub fn parse(blob: &[u8]) -> Result<Vec<LpValue<'_>>, Corrupt> {
    if blob.len() < HEADER + 1 {
        return Err(Corrupt);
    }
    let total = u32::from_le_bytes([blob[0], blob[1], blob[2], blob[3]]) as usize;
    let count = u16::from_le_bytes([blob[4], blob[5]]) as usize;
    if total != blob.len() || blob[blob.len() - 1] != EOF {
        return Err(Corrupt);
    }
    let end = blob.len() - 1;
    let mut out = Vec::new();
    let mut pos = HEADER;
    while pos < end {
        let b0 = blob[pos];
        let avail = end - pos;
        let need = |n: usize| if n <= avail { Ok(()) } else { Err(Corrupt) };
        let (value, enc_len) = if b0 & 0x80 == 0 {
            (LpValue::Int(i64::from(b0)), 1)
        } else if b0 & 0xC0 == 0x80 {
            let len = (b0 & 0x3F) as usize;
            need(1 + len)?;
            (LpValue::Str(&blob[pos + 1..pos + 1 + len]), 1 + len)
        } else if b0 & 0xE0 == 0xC0 {
            need(2)?;
            let u = (((b0 & 0x1F) as i64) << 8) | blob[pos + 1] as i64;
            (LpValue::Int(if u >= 4096 { u - 8192 } else { u }), 2)
        } else if b0 & 0xF0 == 0xE0 {
            need(2)?;
            let len = (((b0 & 0x0F) as usize) << 8) | blob[pos + 1] as usize;
            need(2 + len)?;
            (LpValue::Str(&blob[pos + 2..pos + 2 + len]), 2 + len)
        } else {
            match b0 {
                0xF0 => {
                    need(5)?;
                    let len = u32::from_le_bytes([
                        blob[pos + 1],
                        blob[pos + 2],
                        blob[pos + 3],
                        blob[pos + 4],
                    ]) as usize;
                    need(5usize.checked_add(len).ok_or(Corrupt)?)?;
                    (LpValue::Str(&blob[pos + 5..pos + 5 + len]), 5 + len)
                }
                0xF1..=0xF4 => {
                    let n = [2, 3, 4, 8][(b0 - 0xF1) as usize];
                    need(1 + n)?;
                    (LpValue::Int(le_signed(&blob[pos + 1..], n)), 1 + n)
                }
                _ => return Err(Corrupt),
            }
        };
        let mut tmp = [0u8; 5];
        let bl = encode_backlen(enc_len, &mut tmp);
        need(enc_len + bl)?;
        if blob[pos + enc_len..pos + enc_len + bl] != tmp[..bl] {
            return Err(Corrupt);
        }
        out.push(value);
        pos += enc_len + bl;
    }
    if pos != end || (count != COUNT_UNKNOWN && count != out.len()) {
        return Err(Corrupt);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round_trip(values: &[&[u8]]) {
        let mut w = Writer::new();
        for v in values {
            w.push_bytes(v);
        }
        let blob = w.finish();
        let back: Vec<Vec<u8>> = parse(&blob).unwrap().iter().map(|v| v.to_vec()).collect();
        let want: Vec<Vec<u8>> = values.iter().map(|v| v.to_vec()).collect();
        assert_eq!(back, want);
    }

    #[test]
    fn every_encoding_round_trips() {
        let s63 = vec![b'a'; 63];
        let s64 = vec![b'b'; 64];
        let s4095 = vec![b'c'; 4095];
        let s4096 = vec![b'd'; 4096];
        let s20k = vec![b'e'; 20000];
        round_trip(&[
            b"0",
            b"127",
            b"128",
            b"-1",
            b"-4096",
            b"4095",
            b"4096",
            b"-4097",
            b"32767",
            b"-32768",
            b"32768",
            b"8388607",
            b"-8388608",
            b"8388608",
            b"2147483647",
            b"-2147483648",
            b"2147483648",
            b"9223372036854775807",
            b"-9223372036854775808",
            b"9223372036854775808",
            b"",
            b"007",
            b"+1",
            b"-0",
            b"hello",
            &s63,
            &s64,
            &s4095,
            &s4096,
            &s20k,
        ]);
    }

    #[test]
    fn matches_redis_bytes() {
        // Redis 7.0: RPUSH l a 1 -> the listpack node of `DUMP l`.
        let mut w = Writer::new();
        w.push_bytes(b"a");
        w.push_bytes(b"1");
        w.push_bytes(b"-1");
        assert_eq!(
            w.finish(),
            [0x0F, 0, 0, 0, 3, 0, 0x81, b'a', 2, 1, 1, 0xDF, 0xFF, 2, 0xFF].to_vec()
        );
    }

    #[test]
    fn rejects_bad_backlen_and_count() {
        let mut w = Writer::new();
        w.push_bytes(b"abc");
        let good = w.finish();
        assert!(parse(&good).is_ok());
        let mut bad = good.clone();
        bad[4] = 2;
        assert!(parse(&bad).is_err());
        let mut bad = good.clone();
        let n = bad.len();
        bad[n - 2] = 9;
        assert!(parse(&bad).is_err());
        assert!(parse(&good[..good.len() - 1]).is_err());
    }
}
