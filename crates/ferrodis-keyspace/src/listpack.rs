//! `ListPack`: a sequence of byte strings packed into one allocation, the compact encoding
//! behind small lists, hashes, sets and sorted sets (Redis's `listpack`, `src/listpack.c`).
//!
//! The behaviour is Redis's (an entry is a byte string; one that reads as a 64-bit integer
//! under Redis's strict rules is stored as an integer and reads back byte-identical); the
//! byte format is ours:
//!
//! ```text
//! entry   := header payload backlen
//! header  := 0x00..=0xBF            string of that many bytes (0..=191)
//!          | 0xC0 + (n - 1)         integer in n = 1..=8 bytes, little-endian two's complement
//!          | 0xC8 u32-le            string of that many bytes (192 and more)
//!          | 0xC9 + v               integer v in 0..=54, no payload (small counters and
//!                                   scores take 2 bytes with the backlen, as Redis's 7-bit
//!                                   uint does)
//! backlen := size of header + payload, 7 bits per byte, written so that it reads backwards
//!            from the entry's end: the last byte holds the lowest 7 bits and has 0x80 set
//!            when more bytes precede it
//! ```
//!
//! Entries are addressed by byte offset (`Pos`), as Redis's `lpFirst`/`lpNext`/`lpPrev`
//! do, so a scan costs one pass; index-based helpers walk from the nearer end.

use crate::num::parse_i64;
use std::cmp::Ordering;

/// Largest string length stored with a one-byte header.
const SHORT_STR_MAX: usize = 0xBF;
/// First integer header byte (`0xC0 + bytes - 1`).
const INT_BASE: u8 = 0xC0;
/// Header of a long string (u32 length follows).
const LONG_STR: u8 = 0xC8;
/// First header byte of a small non-negative integer held in the header itself.
const SMALL_INT: u8 = 0xC9;
/// Largest integer held in the header (`0xFF - SMALL_INT`).
const SMALL_INT_MAX: i64 = (0xFF - SMALL_INT) as i64;

/// The byte offset of an entry inside a [`ListPack`].
pub type Pos = usize;

/// One entry as stored: a string, or an integer that reads back as its decimal form.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LpValue<'a> {
    /// A byte string.
    Str(&'a [u8]),
    /// A string that reads as this integer (`parse_i64`).
    Int(i64),
}

impl<'a> LpValue<'a> {
    /// The entry's bytes, formatting an integer into `buf` (at most 20 bytes).
    pub fn as_bytes<'b>(&self, buf: &'b mut [u8; 20]) -> &'b [u8]
    where
        'a: 'b,
    {
        match *self {
            LpValue::Str(s) => s,
            LpValue::Int(v) => format_i64(v, buf),
        }
    }

    /// The entry's bytes as a new vector.
    pub fn to_vec(&self) -> Vec<u8> {
        let mut buf = [0u8; 20];
        self.as_bytes(&mut buf).to_vec()
    }

    /// True when the entry's bytes equal `other`.
    pub fn eq_bytes(&self, other: &[u8]) -> bool {
        match *self {
            LpValue::Str(s) => s == other,
            LpValue::Int(v) => {
                let mut buf = [0u8; 20];
                format_i64(v, &mut buf) == other
            }
        }
    }

    /// Compares the entry's bytes with `other` lexicographically (memcmp order).
    pub fn cmp_bytes(&self, other: &[u8]) -> Ordering {
        let mut buf = [0u8; 20];
        self.as_bytes(&mut buf).cmp(other)
    }

    /// The entry as an integer when it is stored as one (the strings of integers are).
    pub fn as_int(&self) -> Option<i64> {
        match *self {
            LpValue::Int(v) => Some(v),
            LpValue::Str(_) => None,
        }
    }

    /// Length of the entry's bytes.
    pub fn len(&self) -> usize {
        match *self {
            LpValue::Str(s) => s.len(),
            LpValue::Int(v) => {
                let mut buf = [0u8; 20];
                format_i64(v, &mut buf).len()
            }
        }
    }

    /// True for the empty string.
    pub fn is_empty(&self) -> bool {
        matches!(*self, LpValue::Str(s) if s.is_empty())
    }
}

/// Writes the decimal form of `v` into `buf` and returns it.
pub fn format_i64(v: i64, buf: &mut [u8; 20]) -> &[u8] {
    let mut n = v.unsigned_abs();
    let mut i = buf.len();
    loop {
        i -= 1;
        buf[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    if v < 0 {
        i -= 1;
        buf[i] = b'-';
    }
    &buf[i..]
}

/// Bytes of the entry-count header at the start of a non-empty listpack's buffer.
const HDR: usize = 4;

/// A packed sequence of byte strings: one exact-size allocation holding a 4-byte entry count
/// and the entries (nothing at all when empty), so the handle is 16 bytes and a small
/// collection costs one allocation sized to its content, as Redis's listpack does. Each edit
/// reallocates to the new exact size (in place when the allocator's size class still fits).
#[derive(Clone, Default, PartialEq, Eq)]
pub struct ListPack {
    buf: Box<[u8]>,
}

impl std::fmt::Debug for ListPack {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list()
            .entries(self.iter().map(|v| String::from_utf8_lossy(&v.to_vec()).into_owned()))
            .finish()
    }
}

/// The entry count stored in a buffer's header.
fn read_count(buf: &[u8]) -> usize {
    u32::from_le_bytes(buf[..HDR].try_into().unwrap()) as usize
}

impl ListPack {
    /// An empty listpack.
    pub fn new() -> Self {
        ListPack::default()
    }

    /// A listpack over packed `entries` holding `count` entries.
    fn from_entries(entries: &[u8], count: usize) -> ListPack {
        if count == 0 {
            return ListPack::new();
        }
        let mut v = Vec::with_capacity(HDR + entries.len());
        v.extend_from_slice(&(count as u32).to_le_bytes());
        v.extend_from_slice(entries);
        ListPack { buf: v.into_boxed_slice() }
    }

    /// The packed entries (positions index into this).
    #[inline]
    fn data(&self) -> &[u8] {
        if self.buf.is_empty() {
            &[]
        } else {
            &self.buf[HDR..]
        }
    }

    /// Runs `f` on the buffer as a vector (header included, `extra` bytes reserved exactly),
    /// then stores the new count (`f` returns the change) and the buffer at its exact size.
    fn edit<R>(&mut self, extra: usize, f: impl FnOnce(&mut Vec<u8>) -> (R, isize)) -> R {
        let mut v = std::mem::take(&mut self.buf).into_vec();
        if v.is_empty() {
            v.extend_from_slice(&[0u8; HDR]);
        }
        v.reserve_exact(extra);
        let (r, delta) = f(&mut v);
        let count = (read_count(&v) as isize + delta) as usize;
        if count == 0 {
            self.buf = Box::default();
        } else {
            v[..HDR].copy_from_slice(&(count as u32).to_le_bytes());
            self.buf = v.into_boxed_slice();
        }
        r
    }

    /// Number of entries.
    pub fn len(&self) -> usize {
        if self.buf.is_empty() {
            0
        } else {
            read_count(&self.buf)
        }
    }

    /// True when there are no entries.
    pub fn is_empty(&self) -> bool {
        self.buf.is_empty()
    }

    /// Bytes used by the packed entries.
    pub fn bytes_used(&self) -> usize {
        self.data().len()
    }

    /// Heap bytes owned (the allocation is exact-size), for MEMORY USAGE.
    pub fn heap_bytes(&self) -> usize {
        self.buf.len()
    }

    /// Position of the first entry, `None` when empty.
    pub fn first(&self) -> Option<Pos> {
        (!self.is_empty()).then_some(0)
    }

    /// Position of the last entry, `None` when empty.
    pub fn last(&self) -> Option<Pos> {
        (!self.is_empty()).then(|| self.prev_start(self.data().len()))
    }

    /// Position of the entry after the one at `pos`.
    pub fn next(&self, pos: Pos) -> Option<Pos> {
        let end = self.entry_end(pos);
        (end < self.data().len()).then_some(end)
    }

    /// Position of the entry before the one at `pos`.
    pub fn prev(&self, pos: Pos) -> Option<Pos> {
        (pos > 0).then(|| self.prev_start(pos))
    }

    /// The entry at `pos`.
    pub fn get_at(&self, pos: Pos) -> LpValue<'_> {
        let d = self.data();
        let h = d[pos];
        match h {
            0..=0xBF => LpValue::Str(&d[pos + 1..pos + 1 + h as usize]),
            LONG_STR => {
                let n = u32::from_le_bytes(d[pos + 1..pos + 5].try_into().unwrap()) as usize;
                LpValue::Str(&d[pos + 5..pos + 5 + n])
            }
            SMALL_INT..=0xFF => LpValue::Int(i64::from(h - SMALL_INT)),
            _ => {
                let n = (h - INT_BASE) as usize + 1;
                let mut bytes = [0u8; 8];
                bytes[..n].copy_from_slice(&d[pos + 1..pos + 1 + n]);
                // Sign-extend from n bytes.
                let shift = 64 - 8 * n as u32;
                LpValue::Int(((i64::from_le_bytes(bytes)) << shift) >> shift)
            }
        }
    }

    /// Position of the entry at `index` (negative counts from the end: -1 is the last), walking
    /// from the nearer end; `None` when out of range.
    pub fn seek(&self, index: i64) -> Option<Pos> {
        let len = self.len() as i64;
        let index = if index < 0 { len + index } else { index };
        if index < 0 || index >= len {
            return None;
        }
        if index <= len / 2 {
            let mut pos = 0;
            for _ in 0..index {
                pos = self.entry_end(pos);
            }
            Some(pos)
        } else {
            let mut pos = self.data().len();
            for _ in index..len {
                pos = self.prev_start(pos);
            }
            Some(pos)
        }
    }

    /// The entry at `index` (negative counts from the end).
    pub fn get(&self, index: i64) -> Option<LpValue<'_>> {
        self.seek(index).map(|p| self.get_at(p))
    }

    /// Entries front to back.
    pub fn iter(&self) -> Iter<'_> {
        Iter { lp: self, front: 0, back: self.data().len(), remaining: self.len() }
    }

    /// Position of the first entry equal to `value`, looking at every `step`-th entry from the
    /// first (step 2 finds hash fields and sorted-set members, skipping values and scores).
    pub fn find(&self, value: &[u8], step: usize) -> Option<Pos> {
        let as_int = if value.len() <= 20 { parse_i64(value) } else { None };
        let mut pos = self.first()?;
        loop {
            let hit = match (self.get_at(pos), as_int) {
                (LpValue::Int(v), Some(i)) => v == i,
                (LpValue::Str(s), None) => s == value,
                _ => false,
            };
            if hit {
                return Some(pos);
            }
            for _ in 0..step {
                pos = self.next(pos)?;
            }
        }
    }

    /// Appends `value`.
    pub fn push_back(&mut self, value: &[u8]) {
        let at = self.data().len();
        self.insert_at(at, value);
    }

    /// Appends an integer entry.
    pub fn push_back_int(&mut self, value: i64) {
        let mut buf = [0u8; 20];
        let s = format_i64(value, &mut buf).to_vec();
        self.push_back(&s);
    }

    /// Prepends `value`.
    pub fn push_front(&mut self, value: &[u8]) {
        self.insert_at(0, value);
    }

    /// Inserts `value` so that it starts at byte offset `pos` (an entry start, or the end).
    pub fn insert_at(&mut self, pos: Pos, value: &[u8]) {
        let mut entry = EntryBuf::new();
        encode_entry(value, &mut entry);
        let n = entry.len();
        self.edit(n, |v| {
            // Open a gap of `n` bytes at the position (one memmove of the tail, as Redis's
            // `lpInsert`) and copy the encoded entry in.
            let old_len = v.len();
            v.resize(old_len + n, 0);
            v.copy_within(HDR + pos..old_len, HDR + pos + n);
            v[HDR + pos..HDR + pos + n].copy_from_slice(&entry);
            ((), 1)
        })
    }

    /// Inserts `value` at `index` (0 = front, `len` = back).
    pub fn insert(&mut self, index: usize, value: &[u8]) {
        let pos =
            if index >= self.len() { self.data().len() } else { self.seek(index as i64).unwrap() };
        self.insert_at(pos, value);
    }

    /// Replaces the entry at `pos` with `value`.
    pub fn replace_at(&mut self, pos: Pos, value: &[u8]) {
        let end = self.entry_end(pos);
        let mut entry = EntryBuf::new();
        encode_entry(value, &mut entry);
        let extra = entry.len().saturating_sub(end - pos);
        self.edit(extra, |v| {
            v.splice(HDR + pos..HDR + end, entry.iter().copied());
            ((), 0)
        })
    }

    /// Removes the entry at `pos`; returns the position of the entry that followed it (or
    /// `None` at the end).
    pub fn remove_at(&mut self, pos: Pos) -> Option<Pos> {
        let end = self.entry_end(pos);
        self.edit(0, |v| {
            v.drain(HDR + pos..HDR + end);
            ((), -1)
        });
        (pos < self.data().len()).then_some(pos)
    }

    /// Removes `count` entries starting at `pos` (fewer if the list ends first).
    pub fn remove_range_at(&mut self, pos: Pos, count: usize) {
        let mut end = pos;
        let mut removed = 0;
        let data_len = self.data().len();
        while removed < count && end < data_len {
            end = self.entry_end(end);
            removed += 1;
        }
        if removed == 0 {
            return;
        }
        self.edit(0, |v| {
            v.drain(HDR + pos..HDR + end);
            ((), -(removed as isize))
        })
    }

    /// Removes `count` entries starting at `index`.
    pub fn remove_range(&mut self, index: usize, count: usize) {
        if let Some(pos) = self.seek(index as i64) {
            self.remove_range_at(pos, count);
        }
    }

    /// Removes and returns the first entry.
    pub fn pop_front(&mut self) -> Option<Vec<u8>> {
        let pos = self.first()?;
        let v = self.get_at(pos).to_vec();
        self.remove_at(pos);
        Some(v)
    }

    /// Removes and returns the last entry.
    pub fn pop_back(&mut self) -> Option<Vec<u8>> {
        let pos = self.last()?;
        let v = self.get_at(pos).to_vec();
        self.remove_at(pos);
        Some(v)
    }

    /// Moves the entries from `index` on into a new listpack (splitting a quicklist node).
    pub fn split_off(&mut self, index: usize) -> ListPack {
        let Some(pos) = self.seek(index as i64) else { return ListPack::new() };
        let moved = self.len() - index;
        let tail = ListPack::from_entries(&self.data()[pos..], moved);
        self.edit(0, |v| {
            v.truncate(HDR + pos);
            ((), -(moved as isize))
        });
        tail
    }

    /// Appends every entry of `other` (merging quicklist nodes).
    pub fn append(&mut self, other: &ListPack) {
        if other.is_empty() {
            return;
        }
        let (data, n) = (other.data(), other.len());
        self.edit(data.len(), |v| {
            v.extend_from_slice(data);
            ((), n as isize)
        })
    }

    /// Removes every entry.
    pub fn clear(&mut self) {
        self.buf = Box::default();
    }

    /// The whole buffer (count header and entries), for a value that stores a listpack as a
    /// bare byte buffer; [`ListPack::from_bytes`] turns it back into a listpack.
    pub fn into_bytes(self) -> Vec<u8> {
        self.buf.into_vec()
    }

    /// A listpack over a buffer from [`ListPack::into_bytes`].
    pub fn from_bytes(buf: Vec<u8>) -> ListPack {
        if buf.len() <= HDR || read_count(&buf) == 0 {
            return ListPack::new();
        }
        ListPack { buf: buf.into_boxed_slice() }
    }

    /// Byte offset just past the entry at `pos`.
    fn entry_end(&self, pos: Pos) -> Pos {
        let size = self.entry_size(pos);
        pos + size + backlen_size(size)
    }

    /// Size of header plus payload of the entry at `pos`.
    fn entry_size(&self, pos: Pos) -> usize {
        let d = self.data();
        let h = d[pos];
        match h {
            0..=0xBF => 1 + h as usize,
            LONG_STR => 5 + u32::from_le_bytes(d[pos + 1..pos + 5].try_into().unwrap()) as usize,
            SMALL_INT..=0xFF => 1,
            _ => 2 + (h - INT_BASE) as usize,
        }
    }

    /// Start of the entry that ends at byte offset `end`.
    fn prev_start(&self, end: Pos) -> Pos {
        let d = self.data();
        let mut p = end - 1;
        let mut size = (d[p] & 0x7f) as usize;
        let mut shift = 7;
        let mut back = 1;
        while d[p] & 0x80 != 0 {
            p -= 1;
            size |= ((d[p] & 0x7f) as usize) << shift;
            shift += 7;
            back += 1;
        }
        end - back - size
    }
}

/// Bytes needed for a backlen of `size`.
fn backlen_size(size: usize) -> usize {
    let mut n = 1;
    let mut s = size >> 7;
    while s > 0 {
        n += 1;
        s >>= 7;
    }
    n
}

/// Encodes one entry (header, payload, backlen) into `out`.
/// An encoded entry under construction: on the stack for values up to about 60 bytes.
type EntryBuf = smallvec::SmallVec<[u8; 64]>;

fn encode_entry(value: &[u8], out: &mut EntryBuf) {
    let start = out.len();
    match (value.len() <= 20).then(|| parse_i64(value)).flatten() {
        Some(v) if (0..=SMALL_INT_MAX).contains(&v) => out.push(SMALL_INT + v as u8),
        Some(v) => {
            let n = int_width(v);
            out.push(INT_BASE + (n as u8 - 1));
            out.extend_from_slice(&v.to_le_bytes()[..n]);
        }
        None if value.len() <= SHORT_STR_MAX => {
            out.push(value.len() as u8);
            out.extend_from_slice(value);
        }
        None => {
            out.push(LONG_STR);
            out.extend_from_slice(&(value.len() as u32).to_le_bytes());
            out.extend_from_slice(value);
        }
    }
    let size = out.len() - start;
    // Most significant group first; every byte after the first has 0x80 set, so reading
    // backwards from the end continues while 0x80 is set.
    let groups = backlen_size(size);
    for i in (0..groups).rev() {
        let g = ((size >> (7 * i)) & 0x7f) as u8;
        out.push(if i == groups - 1 { g } else { g | 0x80 });
    }
}

/// Smallest number of bytes that hold `v` in two's complement.
fn int_width(v: i64) -> usize {
    for n in 1..8 {
        let bits = 8 * n as u32;
        let min = -(1i64 << (bits - 1));
        let max = (1i64 << (bits - 1)) - 1;
        if v >= min && v <= max {
            return n;
        }
    }
    8
}

/// Iterator over a listpack's entries, from either end.
pub struct Iter<'a> {
    lp: &'a ListPack,
    front: Pos,
    back: Pos,
    remaining: usize,
}

impl<'a> Iterator for Iter<'a> {
    type Item = LpValue<'a>;

    fn next(&mut self) -> Option<LpValue<'a>> {
        if self.remaining == 0 {
            return None;
        }
        let v = self.lp.get_at(self.front);
        self.front = self.lp.entry_end(self.front);
        self.remaining -= 1;
        Some(v)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (self.remaining, Some(self.remaining))
    }
}

impl DoubleEndedIterator for Iter<'_> {
    fn next_back(&mut self) -> Option<Self::Item> {
        if self.remaining == 0 {
            return None;
        }
        self.back = self.lp.prev_start(self.back);
        self.remaining -= 1;
        Some(self.lp.get_at(self.back))
    }
}

impl ExactSizeIterator for Iter<'_> {}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(lp: &ListPack) -> Vec<Vec<u8>> {
        lp.iter().map(|v| v.to_vec()).collect()
    }

    #[test]
    fn round_trips_strings_and_integers_both_ways() {
        let long = vec![b'x'; 300];
        let huge = vec![b'y'; 20_000];
        let values: Vec<&[u8]> = vec![
            b"",
            b"a",
            b"0",
            b"-1",
            b"127",
            b"128",
            b"-129",
            b"9223372036854775807",
            b"-9223372036854775808",
            b"01",
            b"+1",
            b"1.5",
            b" 1",
            &long,
            &huge,
            b"-0",
        ];
        let mut lp = ListPack::new();
        for v in &values {
            lp.push_back(v);
        }
        assert_eq!(lp.len(), values.len());
        let fwd = strings(&lp);
        assert_eq!(fwd, values.iter().map(|v| v.to_vec()).collect::<Vec<_>>());
        let mut back: Vec<Vec<u8>> = lp.iter().rev().map(|v| v.to_vec()).collect();
        back.reverse();
        assert_eq!(back, fwd);
        assert_eq!(lp.get(1), Some(LpValue::Str(b"a")));
        assert_eq!(lp.get(3), Some(LpValue::Int(-1)));
        assert_eq!(lp.get(-1).unwrap().to_vec(), b"-0".to_vec());
        assert_eq!(lp.get(-3).unwrap().to_vec(), long);
        assert!(lp.get(values.len() as i64).is_none());
        assert!(lp.get(-(values.len() as i64) - 1).is_none());
    }

    #[test]
    fn integers_are_stored_compactly() {
        let mut lp = ListPack::new();
        lp.push_back(b"100");
        assert_eq!(lp.bytes_used(), 3);
        lp.push_back(b"hello");
        assert_eq!(lp.bytes_used(), 3 + 7);
        // 0..=54 live in the header: two bytes with the backlen.
        for (i, v) in ["0", "7", "54"].iter().enumerate() {
            lp.push_back(v.as_bytes());
            assert_eq!(lp.bytes_used(), 10 + 2 * (i + 1));
        }
        lp.push_back(b"55");
        assert_eq!(lp.bytes_used(), 16 + 3);
        let tail: Vec<LpValue<'_>> = lp.iter().skip(2).collect();
        let want = [0, 7, 54, 55].map(LpValue::Int);
        assert_eq!(tail, want);
        let back: Vec<LpValue<'_>> = lp.iter().rev().take(4).collect();
        assert_eq!(back, [55, 54, 7, 0].map(LpValue::Int));
    }

    #[test]
    fn edits_in_the_middle() {
        let mut lp = ListPack::new();
        for i in 0..10 {
            lp.push_back(format!("v{i}").as_bytes());
        }
        lp.push_front(b"first");
        lp.insert(5, b"mid");
        let pos = lp.find(b"v7", 1).unwrap();
        lp.replace_at(pos, &vec![b'z'; 500]);
        let pos = lp.find(b"v2", 1).unwrap();
        let next = lp.remove_at(pos).unwrap();
        assert_eq!(lp.get_at(next), LpValue::Str(b"v3"));
        assert_eq!(lp.pop_front(), Some(b"first".to_vec()));
        assert_eq!(lp.pop_back(), Some(b"v9".to_vec()));
        let got = strings(&lp);
        let mut want: Vec<Vec<u8>> = vec![b"v0".to_vec(), b"v1".to_vec(), b"v3".to_vec()];
        want.push(b"mid".to_vec());
        want.extend([b"v4".to_vec(), b"v5".to_vec(), b"v6".to_vec(), vec![b'z'; 500]]);
        want.push(b"v8".to_vec());
        assert_eq!(got, want);
        let tail = lp.split_off(4);
        assert_eq!(lp.len(), 4);
        assert_eq!(tail.len(), 5);
        lp.append(&tail);
        assert_eq!(strings(&lp), want);
        lp.remove_range(1, 3);
        assert_eq!(lp.len(), 6);
        assert_eq!(lp.get(1).unwrap().to_vec(), b"v4".to_vec());
    }

    #[test]
    fn find_with_step_skips_values() {
        let mut lp = ListPack::new();
        for (f, v) in [("a", "b"), ("b", "1"), ("1", "c")] {
            lp.push_back(f.as_bytes());
            lp.push_back(v.as_bytes());
        }
        let pos = lp.find(b"b", 2).unwrap();
        assert_eq!(lp.get_at(lp.next(pos).unwrap()), LpValue::Int(1));
        assert_eq!(lp.get_at(lp.next(lp.find(b"1", 2).unwrap()).unwrap()), LpValue::Str(b"c"));
        assert!(lp.find(b"c", 2).is_none());
    }

    #[test]
    fn backlen_handles_multi_byte_sizes() {
        for size in [126usize, 127, 128, 16_383, 16_384, 70_000] {
            let mut lp = ListPack::new();
            lp.push_back(b"head");
            lp.push_back(&vec![b'q'; size]);
            lp.push_back(b"tail");
            let back: Vec<Vec<u8>> = lp.iter().rev().map(|v| v.to_vec()).collect();
            assert_eq!(back[1].len(), size);
            assert_eq!(back[2], b"head".to_vec());
        }
    }
}
