//! The `set` type: its three encodings and the operations the set commands build on.
//!
//! Encodings follow Redis 7.2's `src/t_set.c`:
//!
//! - `intset` ([`IntSet`]): a sorted array of integers packed at the narrowest width (16, 32
//!   or 64 bits) that holds them all, as Redis's `src/intset.c`. Used while every member is
//!   an integer (`string2ll` rules) and there are at most `set-max-intset-entries` members.
//!   The keyspace stores an intset without a boxed [`Set`] ([`Set::into_stored`]): up to 21
//!   bytes of packed integers (ten 16-bit members) inline in the value itself
//!   ([`SmallIntSet`], no allocation at all), bigger ones as their bare packed content
//!   ([`IntSetContent`], one exactly-sized allocation, as Redis's intset blob). Measured with
//!   100,000 keys of 10 integers each (INFO `used_memory` growth; Redis 7.0.15 in brackets):
//!   16-bit members 7.4 MB [10.7 MB], 32-bit members 12.3 MB [12.3 MB].
//! - `listpack` ([`ListPack`]): members in insertion order, while there are at most
//!   `set-max-listpack-entries` of them and none is longer than `set-max-listpack-value`
//!   bytes.
//! - `hashtable` ([`Dict<()>`]): everything else.
//!
//! Conversions only go "up" (intset -> listpack -> hashtable, or intset -> hashtable), except
//! where Redis builds a fresh set (SINTERSTORE's result may become an intset again, SPOP with a
//! large count rebuilds the remaining members): [`Set::create`] is `setTypeCreate`,
//! [`Set::maybe_convert`] is `setTypeMaybeConvert`, [`Set::add`] is `setTypeAddAux`,
//! [`Set::maybe_convert_to_intset`] is `maybeConvertToIntset`.

use crate::bytes::CompactBytes;
use crate::dict::{Dict, KeyHasher};
use crate::limits::EncodingLimits;
use crate::listpack::{format_i64, ListPack, LpValue};
use crate::num::parse_i64;
use rand::Rng;

/// Redis caps an intset at 2^30 entries whatever `set-max-intset-entries` says
/// (`intsetMaxEntries`).
const INTSET_HARD_MAX: usize = 1 << 30;

/// Bytes of packed content (width byte + integers) kept inside the set without allocating.
const INLINE_CAP: usize = 22;

/// An intset whose content fits 22 bytes (a width byte, then ten 16-bit members, five 32-bit or
/// two 64-bit ones), stored without any allocation: inside an [`IntSet`], or directly in
/// the keyspace's [`crate::Value`] (`Value::SmallSet`), which saves a small set's only
/// allocation. 23 bytes, alignment 1, so that `Value` stays 24 bytes.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct SmallIntSet {
    len: u8,
    data: [u8; INLINE_CAP],
}

impl SmallIntSet {
    /// The empty intset (16-bit width).
    pub const EMPTY: SmallIntSet = SmallIntSet {
        len: 1,
        data: [2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
    };

    fn content(&self) -> &[u8] {
        &self.data[..self.len as usize]
    }

    /// Number of members.
    pub fn len(&self) -> usize {
        (self.len as usize - 1) / usize::from(self.data[0])
    }

    /// True when there is no member.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The members as a borrowed [`IntsRef`].
    pub fn ints(&self) -> IntsRef<'_> {
        IntsRef(self.content())
    }

    /// The full set (an `intset`), without allocating.
    pub fn to_set(self) -> Set {
        Set::IntSet(IntSet { store: IntStore::Inline(self) })
    }
}

impl std::fmt::Debug for SmallIntSet {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.to_set().fmt(f)
    }
}

/// Storage of an intset's content: the width byte (2, 4 or 8) followed by the members,
/// ascending, little-endian, each `width` bytes.
#[derive(Clone)]
enum IntStore {
    Inline(SmallIntSet),
    Heap(Box<[u8]>),
}

/// A borrowed intset: its packed content (width byte, then the members ascending), wherever
/// it is stored (inside an [`IntSet`], or directly in a keyspace value).
#[derive(Clone, Copy)]
pub struct IntsRef<'a>(&'a [u8]);

impl<'a> IntsRef<'a> {
    /// Bytes per member: 2, 4 or 8.
    pub fn width(self) -> usize {
        usize::from(self.0[0])
    }

    /// Number of members.
    pub fn len(self) -> usize {
        (self.0.len() - 1) / self.width()
    }

    /// True when there is no member.
    pub fn is_empty(self) -> bool {
        self.len() == 0
    }

    /// The member at `index` (ascending order).
    pub fn get(self, index: usize) -> i64 {
        let w = self.width();
        read_int(&self.0[1 + index * w..], w)
    }

    /// Smallest member (`intsetMin`); the set must not be empty.
    pub fn min(self) -> i64 {
        self.get(0)
    }

    /// Largest member (`intsetMax`); the set must not be empty.
    pub fn max(self) -> i64 {
        self.get(self.len() - 1)
    }

    /// Members in ascending order.
    pub fn iter(self) -> impl DoubleEndedIterator<Item = i64> + ExactSizeIterator + 'a {
        let w = self.width();
        self.0[1..].chunks_exact(w).map(move |c| read_int(c, w))
    }

    /// Binary search: `Ok(index)` when present, `Err(insertion index)` otherwise.
    fn search(self, v: i64) -> Result<usize, usize> {
        let w = self.width();
        let (mut lo, mut hi) = (0usize, self.len());
        if width_of(v) > w {
            return Err(if v < 0 { 0 } else { hi });
        }
        let c = &self.0[1..];
        while lo < hi {
            let mid = (lo + hi) / 2;
            let m = read_int(&c[mid * w..], w);
            match m.cmp(&v) {
                std::cmp::Ordering::Less => lo = mid + 1,
                std::cmp::Ordering::Greater => hi = mid,
                std::cmp::Ordering::Equal => return Ok(mid),
            }
        }
        Err(lo)
    }

    /// True when `v` is a member (`intsetFind`).
    pub fn contains(self, v: i64) -> bool {
        self.search(v).is_ok()
    }
}

/// A sorted set of integers packed at 16, 32 or 64 bits per member (Redis's `intset`).
///
/// The width grows when a member needs it and never shrinks, as in `intsetUpgradeAndAdd`.
#[derive(Clone)]
pub struct IntSet {
    store: IntStore,
}

impl Default for IntSet {
    fn default() -> Self {
        IntSet::new()
    }
}

impl std::fmt::Debug for IntSet {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

/// The narrowest width (2, 4 or 8 bytes) that holds `v`, as `_intsetValueEncoding`.
fn width_of(v: i64) -> usize {
    if i64::from(i16::MIN) <= v && v <= i64::from(i16::MAX) {
        2
    } else if i64::from(i32::MIN) <= v && v <= i64::from(i32::MAX) {
        4
    } else {
        8
    }
}

/// Reads the `width`-byte little-endian two's complement integer at the start of `b`.
#[inline]
fn read_int(b: &[u8], width: usize) -> i64 {
    match width {
        2 => i64::from(i16::from_le_bytes([b[0], b[1]])),
        4 => i64::from(i32::from_le_bytes([b[0], b[1], b[2], b[3]])),
        _ => i64::from_le_bytes([b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7]]),
    }
}

/// Appends `v` as `width` little-endian bytes.
#[inline]
fn push_int(out: &mut Vec<u8>, v: i64, width: usize) {
    out.extend_from_slice(&v.to_le_bytes()[..width]);
}

impl IntSet {
    /// An empty intset (16-bit width).
    pub fn new() -> IntSet {
        IntSet { store: IntStore::Inline(SmallIntSet::EMPTY) }
    }

    fn content(&self) -> &[u8] {
        match &self.store {
            IntStore::Inline(small) => small.content(),
            IntStore::Heap(b) => b,
        }
    }

    fn set_content(&mut self, content: Vec<u8>) {
        self.store = if content.len() <= INLINE_CAP {
            let mut data = [0u8; INLINE_CAP];
            data[..content.len()].copy_from_slice(&content);
            IntStore::Inline(SmallIntSet { len: content.len() as u8, data })
        } else {
            IntStore::Heap(content.into_boxed_slice())
        };
    }

    /// The members as a borrowed [`IntsRef`].
    pub fn ints(&self) -> IntsRef<'_> {
        IntsRef(self.content())
    }

    /// Bytes per member: 2, 4 or 8.
    pub fn width(&self) -> usize {
        self.ints().width()
    }

    /// Number of members.
    pub fn len(&self) -> usize {
        self.ints().len()
    }

    /// True when there is no member.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The member at `index` (ascending order).
    pub fn get(&self, index: usize) -> i64 {
        self.ints().get(index)
    }

    /// Members in ascending order.
    pub fn iter(&self) -> impl DoubleEndedIterator<Item = i64> + ExactSizeIterator + '_ {
        self.ints().iter()
    }

    fn search(&self, v: i64) -> Result<usize, usize> {
        self.ints().search(v)
    }

    /// True when `v` is a member (`intsetFind`).
    pub fn contains(&self, v: i64) -> bool {
        self.ints().contains(v)
    }

    /// An intset holding `content` (width byte and packed members, as [`IntSet::into_content`]
    /// gave it).
    pub(crate) fn from_content(content: Box<[u8]>) -> IntSet {
        let mut is = IntSet::new();
        if content.len() <= INLINE_CAP {
            is.set_content(content.into_vec());
        } else {
            is.store = IntStore::Heap(content);
        }
        is
    }

    /// Adds `v`; false when it was already a member (`intsetAdd`). Widens every member when
    /// `v` needs more bytes than the current width.
    pub fn insert(&mut self, v: i64) -> bool {
        let w = self.width();
        let nw = width_of(v).max(w);
        let at = match self.search(v) {
            Ok(_) => return false,
            Err(at) => at,
        };
        let mut out = Vec::with_capacity(1 + (self.len() + 1) * nw);
        out.push(nw as u8);
        if nw == w {
            let c = self.content();
            out.extend_from_slice(&c[1..1 + at * w]);
            push_int(&mut out, v, w);
            out.extend_from_slice(&c[1 + at * w..]);
        } else {
            // Upgrade: a value too wide for the old width is below or above every member.
            if v < 0 {
                push_int(&mut out, v, nw);
            }
            for m in self.iter() {
                push_int(&mut out, m, nw);
            }
            if v >= 0 {
                push_int(&mut out, v, nw);
            }
        }
        self.set_content(out);
        true
    }

    /// Removes `v`; false when it was not a member (`intsetRemove`; the width is kept).
    pub fn remove(&mut self, v: i64) -> bool {
        let Ok(at) = self.search(v) else { return false };
        let w = self.width();
        let c = self.content();
        let mut out = Vec::with_capacity(c.len() - w);
        out.extend_from_slice(&c[..1 + at * w]);
        out.extend_from_slice(&c[1 + (at + 1) * w..]);
        self.set_content(out);
        true
    }

    /// Heap bytes owned (0 while the content is inline).
    pub fn heap_bytes(&self) -> usize {
        match &self.store {
            IntStore::Inline(_) => 0,
            IntStore::Heap(b) => b.len(),
        }
    }
}

/// Number of characters of `v` in decimal, sign included (Redis's `sdigits10`).
fn digits10(v: i64) -> usize {
    let mut buf = [0u8; 20];
    format_i64(v, &mut buf).len()
}

/// A set value in one of its three encodings.
#[derive(Clone, Debug)]
pub enum Set {
    /// `intset`: sorted integers.
    IntSet(IntSet),
    /// `listpack`: members in insertion order.
    ListPack(ListPack),
    /// `hashtable`: members as keys of a dict.
    Hashtable(Box<Dict<()>>),
}

impl Default for Set {
    fn default() -> Self {
        Set::IntSet(IntSet::new())
    }
}

/// Calls `f` with the bytes of `v`.
fn with_bytes<R>(v: LpValue<'_>, f: impl FnOnce(&[u8]) -> R) -> R {
    let mut buf = [0u8; 20];
    f(v.as_bytes(&mut buf))
}

impl Set {
    /// An empty `intset`-encoded set.
    pub fn new_intset() -> Set {
        Set::IntSet(IntSet::new())
    }

    /// An empty `listpack`-encoded set.
    pub fn new_listpack() -> Set {
        Set::ListPack(ListPack::new())
    }

    /// An empty `hashtable`-encoded set.
    pub fn new_hashtable() -> Set {
        Set::Hashtable(Box::new(Dict::new(KeyHasher::new())))
    }

    /// An empty set able to hold `first` and about `size_hint` members (Redis's
    /// `setTypeCreate`): `intset` when `first` is an integer and the hint fits an intset,
    /// else `listpack` when the hint fits a listpack, else `hashtable`.
    pub fn create(first: &[u8], size_hint: usize, limits: &EncodingLimits) -> Set {
        if parse_i64(first).is_some() && size_hint <= limits.set_max_intset_entries {
            Set::new_intset()
        } else if size_hint <= limits.set_max_listpack_entries {
            Set::new_listpack()
        } else {
            Set::new_hashtable()
        }
    }

    /// The set as a [`SmallIntSet`] when it is an intset stored inline: what the keyspace
    /// keeps in `Value::SmallSet` instead of a boxed set.
    pub fn small(&self) -> Option<SmallIntSet> {
        match self {
            Set::IntSet(IntSet { store: IntStore::Inline(small) }) => Some(*small),
            _ => None,
        }
    }

    /// Number of members.
    pub fn len(&self) -> usize {
        match self {
            Set::IntSet(s) => s.len(),
            Set::ListPack(lp) => lp.len(),
            Set::Hashtable(d) => d.len(),
        }
    }

    /// True when empty (an empty collection is never stored: the key is deleted).
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The encoding name OBJECT ENCODING reports.
    pub fn encoding_name(&self) -> &'static str {
        match self {
            Set::IntSet(_) => "intset",
            Set::ListPack(_) => "listpack",
            Set::Hashtable(_) => "hashtable",
        }
    }

    /// True for the `hashtable` encoding (SSCAN walks it with a cursor).
    pub fn is_hashtable(&self) -> bool {
        matches!(self, Set::Hashtable(_))
    }

    /// Heap bytes owned, for MEMORY USAGE.
    pub fn heap_bytes(&self) -> usize {
        match self {
            Set::IntSet(s) => s.heap_bytes(),
            Set::ListPack(lp) => lp.heap_bytes(),
            Set::Hashtable(d) => {
                let mut bytes = std::mem::size_of::<Dict<()>>() + d.buckets() * 8;
                // A node is a next pointer plus the member (inline up to 22 bytes).
                d.for_each(|k, _| bytes += 32 + if k.len() > 22 { k.len() } else { 0 });
                bytes
            }
        }
    }

    /// Converts to `hashtable` unless already there (`setTypeConvertAndExpand(.., HT, ..)`).
    pub fn convert_to_hashtable(&mut self) {
        if self.is_hashtable() {
            return;
        }
        let mut d = Dict::new(KeyHasher::new());
        self.for_each(|v| with_bytes(v, |b| d.insert_new(CompactBytes::new(b), ())));
        *self = Set::Hashtable(Box::new(d));
    }

    /// Converts an intset to `listpack` (`setTypeConvertAndExpand(.., LISTPACK, ..)`).
    fn convert_intset_to_listpack(&mut self) {
        if let Set::IntSet(s) = self {
            let mut lp = ListPack::new();
            for v in s.iter() {
                lp.push_back_int(v);
            }
            *self = Set::ListPack(lp);
        }
    }

    /// Converts to `hashtable` when about `size_hint` members are coming and they would not
    /// fit the current encoding (Redis's `setTypeMaybeConvert`, used by SADD).
    pub fn maybe_convert(&mut self, size_hint: usize, limits: &EncodingLimits) {
        let too_big = match self {
            Set::ListPack(_) => size_hint > limits.set_max_listpack_entries,
            Set::IntSet(_) => size_hint > limits.set_max_intset_entries,
            Set::Hashtable(_) => false,
        };
        if too_big {
            self.convert_to_hashtable();
        }
    }

    /// Converts to `intset` when every member is an integer and they fit one (Redis's
    /// `maybeConvertToIntset`); the caller knows the members are all integers.
    pub fn maybe_convert_to_intset(&mut self, limits: &EncodingLimits) {
        if matches!(self, Set::IntSet(_))
            || self.len() > limits.set_max_intset_entries.min(INTSET_HARD_MAX)
        {
            return;
        }
        let mut is = IntSet::new();
        let mut all_ints = true;
        self.for_each(|v| match v {
            LpValue::Int(i) => {
                is.insert(i);
            }
            LpValue::Str(s) => match parse_i64(s) {
                Some(i) => {
                    is.insert(i);
                }
                None => all_ints = false,
            },
        });
        if all_ints {
            *self = Set::IntSet(is);
        }
    }

    /// Adds `member`; true when it was not a member yet (Redis's `setTypeAdd`), converting
    /// the encoding when the new member does not fit it.
    pub fn add(&mut self, member: &[u8], limits: &EncodingLimits) -> bool {
        match self {
            Set::Hashtable(d) => {
                if d.contains_key(member) {
                    return false;
                }
                d.insert_new(CompactBytes::new(member), ());
                true
            }
            Set::ListPack(lp) => {
                if lp.find(member, 1).is_some() {
                    return false;
                }
                if lp.len() < limits.set_max_listpack_entries
                    && member.len() <= limits.set_max_listpack_value
                {
                    lp.push_back(member);
                } else {
                    self.convert_to_hashtable();
                    if let Set::Hashtable(d) = self {
                        d.insert_new(CompactBytes::new(member), ());
                    }
                }
                true
            }
            Set::IntSet(is) => {
                if let Some(v) = parse_i64(member) {
                    if !is.insert(v) {
                        return false;
                    }
                    if is.len() > limits.set_max_intset_entries.min(INTSET_HARD_MAX) {
                        self.convert_to_hashtable();
                    }
                    return true;
                }
                // A non-integer: listpack when everything would fit one, else hashtable.
                let n = is.len();
                let max_len = if n == 0 {
                    0
                } else {
                    digits10(is.ints().max()).max(digits10(is.ints().min()))
                };
                if n < limits.set_max_listpack_entries
                    && member.len() <= limits.set_max_listpack_value
                    && max_len <= limits.set_max_listpack_value
                {
                    self.convert_intset_to_listpack();
                    if let Set::ListPack(lp) = self {
                        lp.push_back(member);
                    }
                } else {
                    self.convert_to_hashtable();
                    if let Set::Hashtable(d) = self {
                        d.insert_new(CompactBytes::new(member), ());
                    }
                }
                true
            }
        }
    }

    /// Adds a member given as a stored value (an integer from an intset or listpack, or
    /// bytes), as Redis's `setTypeAddAux`.
    pub fn add_value(&mut self, v: LpValue<'_>, limits: &EncodingLimits) -> bool {
        match (v, &mut *self) {
            (LpValue::Int(i), Set::IntSet(is)) => {
                if !is.insert(i) {
                    return false;
                }
                if is.len() > limits.set_max_intset_entries.min(INTSET_HARD_MAX) {
                    self.convert_to_hashtable();
                }
                true
            }
            _ => with_bytes(v, |b| self.add(b, limits)),
        }
    }

    /// Removes `member`; true when it was a member (Redis's `setTypeRemove`). The encoding
    /// never changes.
    pub fn remove(&mut self, member: &[u8]) -> bool {
        match self {
            Set::Hashtable(d) => d.remove(member).is_some(),
            Set::ListPack(lp) => match lp.find(member, 1) {
                Some(pos) => {
                    lp.remove_at(pos);
                    true
                }
                None => false,
            },
            Set::IntSet(is) => parse_i64(member).is_some_and(|v| is.remove(v)),
        }
    }

    /// Removes a member given as a stored value.
    pub fn remove_value(&mut self, v: LpValue<'_>) -> bool {
        match (v, &mut *self) {
            (LpValue::Int(i), Set::IntSet(is)) => is.remove(i),
            _ => with_bytes(v, |b| self.remove(b)),
        }
    }

    /// A read-only view of the set.
    pub fn view(&self) -> SetView<'_> {
        match self {
            Set::IntSet(is) => SetView::Ints(is.ints()),
            Set::ListPack(lp) => SetView::ListPack(lp),
            Set::Hashtable(d) => SetView::Hashtable(d),
        }
    }

    /// True when `member` is a member (Redis's `setTypeIsMember`).
    pub fn contains(&self, member: &[u8]) -> bool {
        self.view().contains(member)
    }

    /// True when the stored value `v` is a member.
    pub fn contains_value(&self, v: LpValue<'_>) -> bool {
        self.view().contains_value(v)
    }

    /// Visits every member in the encoding's order (see [`SetView::for_each`]).
    pub fn for_each(&self, f: impl FnMut(LpValue<'_>)) {
        self.view().for_each(f)
    }

    /// Every member's bytes, in [`Set::for_each`] order.
    pub fn members(&self) -> Vec<Vec<u8>> {
        self.view().members()
    }

    /// A random member (see [`SetView::random_member`]).
    pub fn random_member(&self, rng: &mut impl Rng) -> Option<Vec<u8>> {
        self.view().random_member(rng)
    }

    /// Removes and returns a random member (Redis's `setTypePopRandom`); no conversion.
    pub fn pop_random(&mut self, rng: &mut impl Rng) -> Option<Vec<u8>> {
        let member = self.random_member(rng)?;
        self.remove(&member);
        Some(member)
    }

    /// Removes the members at the given positions of a listpack-encoded set (ascending,
    /// distinct) and returns them in order (`lpBatchDelete`). Other encodings: unchanged,
    /// empty result.
    pub fn remove_listpack_positions(&mut self, indexes: &[usize]) -> Vec<Vec<u8>> {
        let Set::ListPack(lp) = self else { return Vec::new() };
        let mut out = Vec::with_capacity(indexes.len());
        // Delete from the back so earlier positions stay valid.
        for &i in indexes.iter().rev() {
            if let Some(pos) = lp.seek(i as i64) {
                out.push(lp.get_at(pos).to_vec());
                lp.remove_at(pos);
            }
        }
        out.reverse();
        out
    }
}

/// A read-only view of a set, however it is stored: a boxed [`Set`], or an intset kept
/// directly in the keyspace value (`Value::SmallSet`, `Value::IntSet`). Read commands work on
/// views, so reading an inline or heap intset copies nothing.
#[derive(Clone, Copy)]
pub enum SetView<'a> {
    /// `intset`.
    Ints(IntsRef<'a>),
    /// `listpack`.
    ListPack(&'a ListPack),
    /// `hashtable`.
    Hashtable(&'a Dict<()>),
}

impl<'a> SetView<'a> {
    /// Number of members.
    pub fn len(&self) -> usize {
        match self {
            SetView::Ints(is) => is.len(),
            SetView::ListPack(lp) => lp.len(),
            SetView::Hashtable(d) => d.len(),
        }
    }

    /// True when empty.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// True for the `hashtable` encoding.
    pub fn is_hashtable(&self) -> bool {
        matches!(self, SetView::Hashtable(_))
    }

    /// True for the `listpack` encoding.
    pub fn is_listpack(&self) -> bool {
        matches!(self, SetView::ListPack(_))
    }

    /// True for the `intset` encoding.
    pub fn is_intset(&self) -> bool {
        matches!(self, SetView::Ints(_))
    }

    /// True when `member` is a member (Redis's `setTypeIsMember`).
    pub fn contains(&self, member: &[u8]) -> bool {
        match self {
            SetView::Hashtable(d) => d.contains_key(member),
            SetView::ListPack(lp) => lp.find(member, 1).is_some(),
            SetView::Ints(is) => parse_i64(member).is_some_and(|v| is.contains(v)),
        }
    }

    /// True when the stored value `v` is a member (`setTypeIsMemberAux`).
    pub fn contains_value(&self, v: LpValue<'_>) -> bool {
        match (v, self) {
            (LpValue::Int(i), SetView::Ints(is)) => is.contains(i),
            _ => with_bytes(v, |b| self.contains(b)),
        }
    }

    /// Visits every member in the encoding's order: ascending for an intset, insertion order
    /// for a listpack, table order for a hashtable.
    pub fn for_each(&self, mut f: impl FnMut(LpValue<'_>)) {
        match self {
            SetView::Ints(is) => is.iter().for_each(|v| f(LpValue::Int(v))),
            SetView::ListPack(lp) => lp.iter().for_each(f),
            SetView::Hashtable(d) => d.for_each(|k, _| f(LpValue::Str(k))),
        }
    }

    /// Every member's bytes, in [`SetView::for_each`] order.
    pub fn members(&self) -> Vec<Vec<u8>> {
        let mut out = Vec::with_capacity(self.len());
        self.for_each(|v| out.push(v.to_vec()));
        out
    }

    /// A random member (Redis's `setTypeRandomElement`), or `None` when empty. For a
    /// hashtable: a random non-empty bucket, then a random chain element.
    pub fn random_member(&self, rng: &mut impl Rng) -> Option<Vec<u8>> {
        if self.is_empty() {
            return None;
        }
        let index = rng.random_range(0..self.len());
        match self {
            SetView::Hashtable(d) => d.random_entry(rng).map(|(k, _)| k.to_vec()),
            SetView::Ints(is) => Some(LpValue::Int(is.get(index)).to_vec()),
            SetView::ListPack(lp) => lp.get(index as i64).map(|v| v.to_vec()),
        }
    }

    /// One step of SSCAN over a hashtable set (`dictScan`); `None` for the packed encodings,
    /// which SSCAN returns whole in one call.
    pub fn scan(&self, cursor: u64, mut f: impl FnMut(&[u8])) -> Option<u64> {
        match self {
            SetView::Hashtable(d) => Some(d.scan(cursor, |k, _| f(k))),
            _ => None,
        }
    }

    /// An owned copy of the set.
    pub fn to_set(&self) -> Set {
        match *self {
            SetView::Ints(is) => Set::IntSet(IntSet::from_content(is.0.into())),
            SetView::ListPack(lp) => Set::ListPack(lp.clone()),
            SetView::Hashtable(d) => Set::Hashtable(Box::new(d.clone())),
        }
    }
}

/// How the keyspace stores a set (see [`Set::into_stored`]).
pub enum StoredSet {
    /// An intset small enough to live inline.
    Small(SmallIntSet),
    /// A bigger intset: its packed content alone, without a boxed [`Set`] around it.
    Ints(IntSetContent),
    /// Any other set.
    Boxed(Box<Set>),
}

/// The packed content of an intset stored on its own (width byte, then the members).
#[derive(Clone, PartialEq, Eq)]
pub struct IntSetContent(Box<[u8]>);

impl IntSetContent {
    /// The members as a borrowed [`IntsRef`].
    pub fn ints(&self) -> IntsRef<'_> {
        IntsRef(&self.0)
    }

    /// Heap bytes owned.
    pub fn heap_bytes(&self) -> usize {
        self.0.len()
    }

    /// The full set, taking the content (no copy).
    pub fn into_set(self) -> Set {
        Set::IntSet(IntSet::from_content(self.0))
    }
}

impl std::fmt::Debug for IntSetContent {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.ints().iter()).finish()
    }
}

impl Set {
    /// Splits the set into the form the keyspace stores: an intset inline or as bare
    /// content (saving the boxed set's allocation), anything else boxed.
    pub fn into_stored(self) -> StoredSet {
        match self {
            Set::IntSet(IntSet { store: IntStore::Inline(small) }) => StoredSet::Small(small),
            Set::IntSet(IntSet { store: IntStore::Heap(content) }) => {
                StoredSet::Ints(IntSetContent(content))
            }
            other => StoredSet::Boxed(Box::new(other)),
        }
    }

    /// True for the `intset` encoding.
    pub fn is_intset(&self) -> bool {
        matches!(self, Set::IntSet(_))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    fn limits() -> EncodingLimits {
        EncodingLimits::default()
    }

    fn sorted(s: &Set) -> Vec<Vec<u8>> {
        let mut m = s.members();
        m.sort();
        m
    }

    #[test]
    fn set_and_small_intset_stay_one_allocation() {
        assert_eq!(std::mem::size_of::<Set>(), 24);
        assert_eq!(std::mem::size_of::<SmallIntSet>(), 23);
        let mut is = IntSet::new();
        for v in 0..10 {
            assert!(is.insert(v));
        }
        assert_eq!(is.heap_bytes(), 0, "ten 16-bit members fit inline");
        let set = Set::IntSet(is.clone());
        let small = set.small().expect("inline");
        assert_eq!(small.len(), 10);
        assert_eq!(small.to_set().members(), set.members());
        assert!(is.insert(10));
        assert_eq!(is.heap_bytes(), 23);
        assert!(Set::IntSet(is).small().is_none());
    }

    #[test]
    fn small_intsets_live_inline_in_the_value() {
        use crate::Value;
        let l = limits();
        assert_eq!(std::mem::size_of::<Value>(), 24);
        let mut s = Set::new_intset();
        for i in 0..10 {
            s.add(i.to_string().as_bytes(), &l);
        }
        let v = Value::set(s.clone());
        assert!(matches!(v, Value::SmallSet(_)));
        assert_eq!(v.encoding_name(), "intset");
        assert_eq!(v.heap_bytes(), 0);
        assert_eq!(v.as_set().unwrap().members(), s.members());
        s.add(b"70000", &l);
        let v = Value::set(s.clone());
        assert!(matches!(v, Value::IntSet(_)), "32-bit members need 45 bytes: bare content");
        assert_eq!(v.heap_bytes(), 45);
        assert_eq!(v.set_view().unwrap().members(), s.members());
        s.remove(b"70000");
        assert!(matches!(Value::set(s.clone()), Value::IntSet(_)), "the width stays 32 bits");
        let mut v = Value::set(s.clone());
        assert_eq!(v.take_set().unwrap().members(), s.members());
        assert!(matches!(v, Value::SmallSet(_)));
        assert_eq!(v.set_view().unwrap().len(), 0);
        let mut lp = Set::new_listpack();
        lp.add(b"a", &l);
        assert!(matches!(Value::set(lp), Value::Set(_)));
        assert!(Value::string(b"x").as_set().is_none());
    }

    #[test]
    fn intset_widths_order_and_removal() {
        let mut is = IntSet::new();
        let mut model = BTreeSet::new();
        let mut rng = rand::rng();
        for _ in 0..3000 {
            let v: i64 = match rng.random_range(0..3) {
                0 => rng.random_range(-300..300),
                1 => rng.random_range(-100_000..100_000),
                _ => rng.random(),
            };
            if rng.random_bool(0.7) {
                assert_eq!(is.insert(v), model.insert(v));
            } else {
                assert_eq!(is.remove(v), model.remove(&v));
            }
            assert_eq!(is.len(), model.len());
        }
        assert_eq!(is.iter().collect::<Vec<_>>(), model.iter().copied().collect::<Vec<_>>());
        for v in &model {
            assert!(is.contains(*v));
        }
        let mut w = IntSet::new();
        w.insert(1);
        assert_eq!(w.width(), 2);
        w.insert(70_000);
        assert_eq!(w.width(), 4);
        w.insert(i64::MIN);
        assert_eq!(w.width(), 8);
        assert_eq!(w.iter().collect::<Vec<_>>(), vec![i64::MIN, 1, 70_000]);
        w.remove(i64::MIN);
        assert_eq!(w.width(), 8, "removal never narrows, as intsetRemove");
    }

    #[test]
    fn create_follows_set_type_create() {
        let l = limits();
        assert_eq!(Set::create(b"1", 1, &l).encoding_name(), "intset");
        assert_eq!(Set::create(b"1", 512, &l).encoding_name(), "intset");
        assert_eq!(Set::create(b"1", 513, &l).encoding_name(), "hashtable");
        assert_eq!(Set::create(b"a", 128, &l).encoding_name(), "listpack");
        assert_eq!(Set::create(b"a", 129, &l).encoding_name(), "hashtable");
    }

    #[test]
    fn intset_to_listpack_or_hashtable_on_a_string() {
        let l = limits();
        let mut s = Set::new_intset();
        for i in 1..=3 {
            s.add(i.to_string().as_bytes(), &l);
        }
        assert!(s.add(b"a", &l));
        assert_eq!(s.encoding_name(), "listpack");
        assert_eq!(s.members(), vec![b"1".to_vec(), b"2".to_vec(), b"3".to_vec(), b"a".to_vec()]);

        let mut big = Set::new_intset();
        for i in 0..128 {
            big.add(i.to_string().as_bytes(), &l);
        }
        assert_eq!(big.encoding_name(), "intset");
        big.add(b"a", &l);
        assert_eq!(big.encoding_name(), "hashtable");

        // An integer wider than set-max-listpack-value also rules the listpack out.
        let narrow = EncodingLimits { set_max_listpack_value: 3, ..l };
        let mut s = Set::new_intset();
        s.add(b"1000", &narrow);
        s.add(b"a", &narrow);
        assert_eq!(s.encoding_name(), "hashtable");
    }

    #[test]
    fn thresholds_convert_to_hashtable() {
        let l = limits();
        let mut s = Set::new_intset();
        for i in 0..512 {
            assert!(s.add(i.to_string().as_bytes(), &l));
        }
        assert_eq!(s.encoding_name(), "intset");
        s.add(b"512", &l);
        assert_eq!(s.encoding_name(), "hashtable");
        assert_eq!(s.len(), 513);

        let mut s = Set::new_listpack();
        for i in 0..128 {
            s.add(format!("m{i}").as_bytes(), &l);
        }
        assert_eq!(s.encoding_name(), "listpack");
        assert!(!s.add(b"m0", &l));
        s.add(b"x", &l);
        assert_eq!(s.encoding_name(), "hashtable");

        let mut s = Set::new_listpack();
        s.add(&[b'v'; 64], &l);
        assert_eq!(s.encoding_name(), "listpack");
        s.add(&[b'v'; 65], &l);
        assert_eq!(s.encoding_name(), "hashtable");
        assert!(s.contains(&[b'v'; 64]) && s.contains(&[b'v'; 65]));

        let mut s = Set::new_listpack();
        s.maybe_convert(128, &l);
        assert_eq!(s.encoding_name(), "listpack");
        s.maybe_convert(129, &l);
        assert_eq!(s.encoding_name(), "hashtable");
    }

    #[test]
    fn same_members_whatever_the_encoding() {
        let l = limits();
        let members: Vec<&[u8]> = vec![b"1", b"-5", b"abc", b"9223372036854775807", b"01"];
        for mut s in [Set::new_intset(), Set::new_listpack(), Set::new_hashtable()] {
            for m in &members {
                assert!(s.add(m, &l));
            }
            for m in &members {
                assert!(s.contains(m));
                assert!(!s.add(m, &l));
            }
            assert!(!s.contains(b"2"));
            assert!(s.contains_value(LpValue::Int(-5)));
            assert!(s.remove(b"01"));
            assert!(!s.remove(b"01"));
            assert_eq!(
                sorted(&s),
                vec![
                    b"-5".to_vec(),
                    b"1".to_vec(),
                    b"9223372036854775807".to_vec(),
                    b"abc".to_vec()
                ]
            );
        }
    }

    #[test]
    fn back_to_intset_and_random() {
        let l = limits();
        let mut s = Set::new_hashtable();
        for i in 0..200 {
            s.add(i.to_string().as_bytes(), &l);
        }
        s.maybe_convert_to_intset(&l);
        assert_eq!(s.encoding_name(), "intset");
        assert_eq!(s.len(), 200);
        let mut rng = rand::rng();
        let m = s.pop_random(&mut rng).unwrap();
        assert!(!s.contains(&m));
        assert_eq!(s.len(), 199);
        let mut lp = Set::new_listpack();
        for m in [b"a", b"b", b"c", b"d"] {
            lp.add(m, &l);
        }
        assert_eq!(lp.remove_listpack_positions(&[1, 3]), vec![b"b".to_vec(), b"d".to_vec()]);
        assert_eq!(lp.members(), vec![b"a".to_vec(), b"c".to_vec()]);
    }
}
