//! Reading Redis's ziplist byte format (`src/ziplist.c`), which RDB versions before 10
//! (Redis 6.2 and older) use for small lists, hashes and sorted sets. Redis 7 converts a
//! ziplist to a listpack on load and never writes one; so does Ferrodis.
//!
//! ```text
//! ziplist := zlbytes:u32le  zltail:u32le  zllen:u16le (65535 = unknown)  entry*  0xFF
//! entry   := prevlen encoding payload
//! prevlen := u8 (< 254) | 0xFE u32le          length of the previous entry
//! encoding:= 00pppppp                         string, 6-bit length
//!          | 01pppppp qqqqqqqq                string, 14-bit length (big-endian)
//!          | 10______ u32be                   string, 32-bit length
//!          | 0xC0 / 0xD0 / 0xE0 / 0xF0 / 0xFE int16 / int32 / int64 / int24 / int8, LE
//!          | 0xF1..=0xFD                      immediate integer 0..=12, no payload
//! ```
//!
//! Validation is the deep `ziplistValidateIntegrity`: sizes, bounds, every prevlen, the tail
//! offset, the count and the end byte.

use super::Corrupt;
use ferrodis_keyspace::listpack::LpValue;

/// Bytes of the ziplist header.
const HEADER: usize = 10;

/// Parses and fully validates a ziplist.
pub fn parse(blob: &[u8]) -> Result<Vec<LpValue<'_>>, Corrupt> {
    if blob.len() < HEADER + 1 {
        return Err(Corrupt);
    }
    let zlbytes = u32::from_le_bytes([blob[0], blob[1], blob[2], blob[3]]) as usize;
    let zltail = u32::from_le_bytes([blob[4], blob[5], blob[6], blob[7]]) as usize;
    let zllen = u16::from_le_bytes([blob[8], blob[9]]) as usize;
    if zlbytes != blob.len() || blob[blob.len() - 1] != 0xFF {
        return Err(Corrupt);
    }
    let end = blob.len() - 1;
    let mut out = Vec::new();
    let mut pos = HEADER;
    let mut prev_len = 0usize;
    let mut last_start = HEADER;
    while pos < end {
        let start = pos;
        let avail = |p: usize, n: usize| {
            if p.checked_add(n).is_some_and(|e| e <= end) {
                Ok(())
            } else {
                Err(Corrupt)
            }
        };
        // prevlen
        let p0 = blob[pos];
        let prevlen = if p0 < 254 {
            pos += 1;
            p0 as usize
        } else if p0 == 254 {
            avail(pos, 5)?;
            let v =
                u32::from_le_bytes([blob[pos + 1], blob[pos + 2], blob[pos + 3], blob[pos + 4]]);
            pos += 5;
            v as usize
        } else {
            return Err(Corrupt);
        };
        if prevlen != prev_len {
            return Err(Corrupt);
        }
        avail(pos, 1)?;
        let e = blob[pos];
        let value = match e >> 6 {
            0 => {
                let len = (e & 0x3F) as usize;
                avail(pos, 1 + len)?;
                let v = LpValue::Str(&blob[pos + 1..pos + 1 + len]);
                pos += 1 + len;
                v
            }
            1 => {
                avail(pos, 2)?;
                let len = (((e & 0x3F) as usize) << 8) | blob[pos + 1] as usize;
                avail(pos, 2 + len)?;
                let v = LpValue::Str(&blob[pos + 2..pos + 2 + len]);
                pos += 2 + len;
                v
            }
            2 => {
                avail(pos, 5)?;
                let len = u32::from_be_bytes([
                    blob[pos + 1],
                    blob[pos + 2],
                    blob[pos + 3],
                    blob[pos + 4],
                ]) as usize;
                avail(pos, 5usize.checked_add(len).ok_or(Corrupt)?)?;
                let v = LpValue::Str(&blob[pos + 5..pos + 5 + len]);
                pos += 5 + len;
                v
            }
            _ => {
                let n = match e {
                    0xC0 => 2,
                    0xD0 => 4,
                    0xE0 => 8,
                    0xF0 => 3,
                    0xFE => 1,
                    0xF1..=0xFD => 0,
                    _ => return Err(Corrupt),
                };
                avail(pos, 1 + n)?;
                let v = if n == 0 {
                    i64::from(e & 0x0F) - 1
                } else {
                    let mut b = [0u8; 8];
                    b[..n].copy_from_slice(&blob[pos + 1..pos + 1 + n]);
                    let shift = 64 - 8 * n as u32;
                    ((u64::from_le_bytes(b) << shift) as i64) >> shift
                };
                pos += 1 + n;
                LpValue::Int(v)
            }
        };
        out.push(value);
        prev_len = pos - start;
        last_start = start;
    }
    if pos != end || zltail != last_start || (zllen != 65535 && zllen != out.len()) {
        return Err(Corrupt);
    }
    Ok(out)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// Builds a ziplist (test helper, Redis's encodings) from entries.
    pub fn build(entries: &[LpValue<'_>]) -> Vec<u8> {
        let mut body = Vec::new();
        let mut prev = 0usize;
        let mut tail = HEADER;
        for v in entries {
            let start = body.len();
            tail = HEADER + start;
            if prev < 254 {
                body.push(prev as u8);
            } else {
                body.push(254);
                body.extend_from_slice(&(prev as u32).to_le_bytes());
            }
            match *v {
                LpValue::Str(s) => {
                    let len = s.len();
                    if len < 64 {
                        body.push(len as u8);
                    } else if len < 16384 {
                        body.extend_from_slice(&[0x40 | (len >> 8) as u8, len as u8]);
                    } else {
                        body.push(0x80);
                        body.extend_from_slice(&(len as u32).to_be_bytes());
                    }
                    body.extend_from_slice(s);
                }
                LpValue::Int(i) => {
                    if (0..=12).contains(&i) {
                        body.push(0xF1 + i as u8);
                    } else if i8::try_from(i).is_ok() {
                        body.push(0xFE);
                        body.push(i as u8);
                    } else if i16::try_from(i).is_ok() {
                        body.push(0xC0);
                        body.extend_from_slice(&(i as i16).to_le_bytes());
                    } else if (-8_388_608..=8_388_607).contains(&i) {
                        body.push(0xF0);
                        body.extend_from_slice(&i.to_le_bytes()[..3]);
                    } else if i32::try_from(i).is_ok() {
                        body.push(0xD0);
                        body.extend_from_slice(&(i as i32).to_le_bytes());
                    } else {
                        body.push(0xE0);
                        body.extend_from_slice(&i.to_le_bytes());
                    }
                }
            }
            prev = body.len() - start;
        }
        let mut out = Vec::new();
        out.extend_from_slice(&((HEADER + body.len() + 1) as u32).to_le_bytes());
        out.extend_from_slice(&(tail as u32).to_le_bytes());
        out.extend_from_slice(&(entries.len().min(65535) as u16).to_le_bytes());
        out.extend_from_slice(&body);
        out.push(0xFF);
        out
    }

    #[test]
    fn every_encoding_round_trips() {
        let big = vec![b'x'; 70000];
        let mid = vec![b'y'; 300];
        let entries = [
            LpValue::Str(b"abc"),
            LpValue::Int(0),
            LpValue::Int(12),
            LpValue::Int(13),
            LpValue::Int(-128),
            LpValue::Int(32767),
            LpValue::Int(-8_388_608),
            LpValue::Int(2_147_483_647),
            LpValue::Int(i64::MIN),
            LpValue::Str(&mid),
            LpValue::Str(&big),
            LpValue::Str(b""),
        ];
        let zl = build(&entries);
        assert_eq!(parse(&zl).unwrap(), entries.to_vec());
    }

    #[test]
    fn redis_6_ziplist_of_a_list() {
        // Redis 6.2: RPUSH l a 1 -> ziplist node "a", 1.
        let zl = build(&[LpValue::Str(b"a"), LpValue::Int(1)]);
        assert_eq!(parse(&zl).unwrap(), vec![LpValue::Str(b"a"), LpValue::Int(1)]);
        let mut bad = zl.clone();
        bad[4] = 11; // wrong tail offset
        assert!(parse(&bad).is_err());
        let mut bad = zl.clone();
        bad[13] = 9; // wrong prevlen of the second entry
        assert!(parse(&bad).is_err());
    }
}
