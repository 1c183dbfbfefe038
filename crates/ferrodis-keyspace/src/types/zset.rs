//! The sorted set type (`zset`): its two encodings and operations, after Redis 7.2's
//! `src/t_zset.c`.
//!
//! - `listpack`: one [`ListPack`] of `member, score, member, score, ...` entries sorted by score,
//!   then by member bytes (memcmp order). Scores are stored as Redis 7.2 writes them
//!   (`d2string`: integral scores as integers, the rest in the shortest round-trip form), so
//!   they read back bit-identical. Used while the set has at most `zset-max-listpack-entries`
//!   members, none longer than `zset-max-listpack-value` bytes.
//! - `skiplist`: a [`SkipList`] (Redis's `zskiplist`: levels with spans, so rank operations
//!   are O(log n)) plus a member -> score [`Dict`] for O(1) ZSCORE and the SCAN cursor.
//!
//! Conversion follows Redis 7.2: a write that would cross a threshold converts to `skiplist`
//! ([`ZSet::maybe_convert`], `zsetTypeMaybeConvert`; [`ZSet::add`] converts before inserting
//! one member too many or too long), and a set is never converted back except for the
//! results of store commands ([`ZSet::convert_to_listpack_if_needed`],
//! `zsetConvertToListpackIfNeeded`).
//!
//! Ranks here are 0-based positions in ascending (score, member) order.

use crate::bytes::CompactBytes;
use crate::dict::{Dict, KeyHasher};
use crate::limits::EncodingLimits;
use crate::listpack::{ListPack, LpValue, Pos};
use crate::num::parse_f64;
use std::cmp::Ordering;

/// Compares `(s1, m1)` with `(s2, m2)` in sorted-set order (score, then member bytes).
fn cmp_entry(s1: f64, m1: &[u8], s2: f64, m2: &[u8]) -> Ordering {
    match s1.partial_cmp(&s2) {
        Some(Ordering::Equal) | None => m1.cmp(m2),
        Some(o) => o,
    }
}

/// Writes a score as Redis 7.2's `d2string` does (integral values as integers, otherwise the
/// shortest round-trip form; `inf`, `-inf`); used for listpack score entries.
pub fn score_text(score: f64, out: &mut Vec<u8>) {
    if score.is_infinite() {
        out.extend_from_slice(if score < 0.0 { b"-inf" } else { b"inf" });
    } else if score == 0.0 {
        out.extend_from_slice(if score.is_sign_negative() { b"-0" } else { b"0" });
    } else if score.fract() == 0.0 && score.abs() < 1e17 {
        out.extend_from_slice((score as i64).to_string().as_bytes());
    } else {
        // The shorter of Rust's two shortest round-trip forms (plain `0.1`, scientific
        // `1e300`); parse_f64 reads either back exactly.
        let plain = format!("{score}");
        let sci = format!("{score:e}");
        out.extend_from_slice(if plain.len() <= sci.len() { &plain } else { &sci }.as_bytes());
    }
}

/// Reads a listpack score entry.
fn lp_score(v: LpValue<'_>) -> f64 {
    match v {
        LpValue::Int(i) => i as f64,
        LpValue::Str(s) => parse_f64(s).unwrap_or(0.0),
    }
}

/// A score interval, as ZRANGEBYSCORE takes it (Redis's `zrangespec`).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ScoreRange {
    /// Lower bound.
    pub min: f64,
    /// Upper bound.
    pub max: f64,
    /// `(min`: the lower bound is excluded.
    pub minex: bool,
    /// `(max`: the upper bound is excluded.
    pub maxex: bool,
}

impl ScoreRange {
    /// True when `score` is at or above the lower bound (`zslValueGteMin`).
    pub fn gte_min(&self, score: f64) -> bool {
        if self.minex {
            score > self.min
        } else {
            score >= self.min
        }
    }

    /// True when `score` is at or below the upper bound (`zslValueLteMax`).
    pub fn lte_max(&self, score: f64) -> bool {
        if self.maxex {
            score < self.max
        } else {
            score <= self.max
        }
    }
}

/// One end of a lexicographic interval (`-`, `+`, `[member`, `(member`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LexBound {
    /// `-`: below every member.
    NegInf,
    /// `+`: above every member.
    PosInf,
    /// `[member`: inclusive.
    Incl(Vec<u8>),
    /// `(member`: exclusive.
    Excl(Vec<u8>),
}

/// A lexicographic interval, as ZRANGEBYLEX takes it (Redis's `zlexrangespec`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LexRange {
    /// Lower bound.
    pub min: LexBound,
    /// Upper bound.
    pub max: LexBound,
}

impl LexRange {
    /// True when `m` is at or above the lower bound (`zslLexValueGteMin`).
    pub fn gte_min(&self, m: &[u8]) -> bool {
        match &self.min {
            LexBound::NegInf => true,
            LexBound::PosInf => false,
            LexBound::Incl(b) => m >= b.as_slice(),
            LexBound::Excl(b) => m > b.as_slice(),
        }
    }

    /// True when `m` is at or below the upper bound (`zslLexValueLteMax`).
    pub fn lte_max(&self, m: &[u8]) -> bool {
        match &self.max {
            LexBound::NegInf => false,
            LexBound::PosInf => true,
            LexBound::Incl(b) => m <= b.as_slice(),
            LexBound::Excl(b) => m < b.as_slice(),
        }
    }
}

/// ZADD's condition flags (Redis's `ZADD_IN_*`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct AddFlags {
    /// INCR: add the score to the current one.
    pub incr: bool,
    /// NX: only add new members.
    pub nx: bool,
    /// XX: only update existing members.
    pub xx: bool,
    /// GT: only update when the new score is greater.
    pub gt: bool,
    /// LT: only update when the new score is less.
    pub lt: bool,
}

/// What [`ZSet::add`] did (Redis's `ZADD_OUT_*`).
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum AddOutcome {
    /// A new member was added with this score.
    Added(f64),
    /// An existing member's score changed to this.
    Updated(f64),
    /// The member exists with this score, which the command left as it was (the same score
    /// given, or INCR by 0).
    Unchanged(f64),
    /// Nothing done because of NX, XX, GT or LT.
    Nop,
}

/// The result of a score that is not a number (`ZADD_OUT_NAN`): INCR of `inf` by `-inf`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NanScore;

const NIL: u32 = u32::MAX;
/// Redis's `ZSKIPLIST_MAXLEVEL`.
const MAX_LEVEL: usize = 32;
/// Node ids carry their height class in the top two bits and the index in that class's
/// arena below.
const CLASS_SHIFT: u32 = 30;
const INDEX_MASK: u32 = (1 << CLASS_SHIFT) - 1;
/// Most levels a node of class 0 and 1 holds (class 2 holds [`MAX_LEVEL`]). With Redis's
/// p = 1/4, 63 of 64 nodes have at most 3 levels and nearly all the rest at most 11.
const CLASS0_LEVELS: usize = 3;
const CLASS1_LEVELS: usize = 11;
/// The header: class 2, index 0.
const HEAD: u32 = 2 << CLASS_SHIFT;

#[derive(Clone, Copy, Debug, Default)]
struct Level {
    next: u32,
    span: u32,
}

const NIL_LEVEL: Level = Level { next: NIL, span: 0 };

/// A node with room for `L` levels, all inline: a hop of a walk reads the node it lands on
/// and nothing else (its member is inline too when short), as Redis's `zskiplistNode` with
/// its flexible `level[]` array.
#[derive(Clone, Debug)]
struct Node<const L: usize> {
    /// Inline up to 22 bytes (most members), so comparing against it during a walk does
    /// not follow a second pointer.
    member: CompactBytes,
    score: f64,
    backward: u32,
    levels: [Level; L],
}

impl<const L: usize> Node<L> {
    fn new(member: &[u8], score: f64) -> Self {
        Node { member: CompactBytes::new(member), score, backward: NIL, levels: [NIL_LEVEL; L] }
    }
}

/// Class 0 nodes fill one cache line.
#[derive(Clone, Debug)]
#[repr(align(64))]
struct Node0(Node<CLASS0_LEVELS>);
/// Class 1 nodes fill an aligned pair of lines (which x86 fetches together).
#[derive(Clone, Debug)]
#[repr(align(128))]
struct Node1(Node<CLASS1_LEVELS>);
#[derive(Clone, Debug)]
#[repr(align(64))]
struct Node2(Node<MAX_LEVEL>);

/// Runs `$body` with `$n` bound to the node `$id` (`&` or `&mut` by `$($m)?`).
macro_rules! with_node {
    ($sl:expr, $id:expr, |$n:ident| $body:expr) => {{
        let id: u32 = $id;
        let i = (id & INDEX_MASK) as usize;
        match id >> CLASS_SHIFT {
            0 => {
                let $n = &$sl.c0[i].0;
                $body
            }
            1 => {
                let $n = &$sl.c1[i].0;
                $body
            }
            _ => {
                let $n = &$sl.c2[i].0;
                $body
            }
        }
    }};
    (mut $sl:expr, $id:expr, |$n:ident| $body:expr) => {{
        let id: u32 = $id;
        let i = (id & INDEX_MASK) as usize;
        match id >> CLASS_SHIFT {
            0 => {
                let $n = &mut $sl.c0[i].0;
                $body
            }
            1 => {
                let $n = &mut $sl.c1[i].0;
                $body
            }
            _ => {
                let $n = &mut $sl.c2[i].0;
                $body
            }
        }
    }};
}

/// Redis's `zskiplist`: nodes sorted by (score, member) with forward links on up to 32
/// levels, each carrying the number of nodes it skips (its span), so that finding an element
/// by rank and the rank of an element are O(log n). Nodes live in three arenas by height
/// (at most 3, 11 or 32 levels, each node's levels inline) and are named by `u32` ids; the
/// header is the first node of the tallest class.
#[derive(Clone, Debug)]
pub struct SkipList {
    c0: Vec<Node0>,
    c1: Vec<Node1>,
    c2: Vec<Node2>,
    /// Free slots per class, reused before an arena grows.
    free: [Vec<u32>; 3],
    tail: u32,
    len: usize,
    level: usize,
    rng: u64,
}

impl Default for SkipList {
    fn default() -> Self {
        SkipList::new()
    }
}

impl SkipList {
    /// An empty skiplist.
    pub fn new() -> SkipList {
        SkipList {
            c0: Vec::new(),
            c1: Vec::new(),
            c2: vec![Node2(Node::new(b"", 0.0))],
            free: [Vec::new(), Vec::new(), Vec::new()],
            tail: NIL,
            len: 0,
            level: 1,
            rng: 0x9E37_79B9_7F4A_7C15 ^ (rand::random::<u64>() | 1),
        }
    }

    /// Number of elements.
    pub fn len(&self) -> usize {
        self.len
    }

    /// True when empty.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Redis's `zslRandomLevel`: level k+1 with probability 1/4 of level k.
    fn random_level(&mut self) -> usize {
        let mut level = 1;
        loop {
            // xorshift64*
            self.rng ^= self.rng >> 12;
            self.rng ^= self.rng << 25;
            self.rng ^= self.rng >> 27;
            let r = self.rng.wrapping_mul(0x2545_F491_4F6C_DD1D);
            if (r >> 40) & 3 != 0 || level >= MAX_LEVEL {
                return level;
            }
            level += 1;
        }
    }

    #[inline]
    fn lvl(&self, node: u32, i: usize) -> Level {
        with_node!(self, node, |n| n.levels[i])
    }

    #[inline]
    fn lvl_mut(&mut self, node: u32, i: usize) -> &mut Level {
        with_node!(mut self, node, |n| &mut n.levels[i])
    }

    #[inline]
    fn entry(&self, node: u32) -> (&[u8], f64) {
        with_node!(self, node, |n| (&n.member[..], n.score))
    }

    #[inline]
    fn backward(&self, node: u32) -> u32 {
        with_node!(self, node, |n| n.backward)
    }

    #[inline]
    fn set_backward(&mut self, node: u32, to: u32) {
        with_node!(mut self, node, |n| n.backward = to)
    }

    /// For each level, the last node before (score, member) and its rank.
    fn find_update(&self, score: f64, member: &[u8]) -> ([u32; MAX_LEVEL], [u32; MAX_LEVEL]) {
        let mut update = [HEAD; MAX_LEVEL];
        let mut rank = [0u32; MAX_LEVEL];
        let mut x = HEAD;
        for i in (0..self.level).rev() {
            rank[i] = if i == self.level - 1 { 0 } else { rank[i + 1] };
            loop {
                let l = self.lvl(x, i);
                if l.next == NIL {
                    break;
                }
                let (m, s) = self.entry(l.next);
                if cmp_entry(s, m, score, member) != Ordering::Less {
                    break;
                }
                rank[i] += l.span;
                x = l.next;
            }
            update[i] = x;
        }
        (update, rank)
    }

    /// Stores a new node of `level` levels (all unlinked) and returns its id.
    fn alloc(&mut self, level: usize, score: f64, member: &[u8]) -> u32 {
        let mut class = if level <= CLASS0_LEVELS {
            0
        } else if level <= CLASS1_LEVELS {
            1
        } else {
            2
        };
        // An arena holds 2^30 nodes (the index bits of an id); a full one spills into the
        // next, taller class (the node then has unused levels), so only 3 x 2^30 nodes of
        // any heights are the limit of one sorted set.
        let arena_len = |sl: &SkipList, class: usize| match class {
            0 => sl.c0.len(),
            1 => sl.c1.len(),
            _ => sl.c2.len(),
        };
        while class < 2
            && self.free[class].is_empty()
            && arena_len(self, class) > INDEX_MASK as usize
        {
            class += 1;
        }
        assert!(
            !self.free[class].is_empty() || arena_len(self, class) <= INDEX_MASK as usize,
            "skiplist arenas full"
        );
        if let Some(id) = self.free[class].pop() {
            let i = (id & INDEX_MASK) as usize;
            match class {
                0 => self.c0[i] = Node0(Node::new(member, score)),
                1 => self.c1[i] = Node1(Node::new(member, score)),
                _ => self.c2[i] = Node2(Node::new(member, score)),
            }
            return id;
        }
        let i = match class {
            0 => {
                self.c0.push(Node0(Node::new(member, score)));
                self.c0.len() - 1
            }
            1 => {
                self.c1.push(Node1(Node::new(member, score)));
                self.c1.len() - 1
            }
            _ => {
                self.c2.push(Node2(Node::new(member, score)));
                self.c2.len() - 1
            }
        };
        ((class as u32) << CLASS_SHIFT) | i as u32
    }

    /// Releases the slot of a node already unlinked.
    fn release(&mut self, x: u32) {
        with_node!(mut self, x, |n| n.member = CompactBytes::new(b""));
        self.free[(x >> CLASS_SHIFT) as usize].push(x);
    }

    /// Inserts an element known to be absent (`zslInsert`).
    pub fn insert(&mut self, score: f64, member: &[u8]) {
        let level = self.random_level();
        self.insert_with_level(score, member, level);
    }

    /// [`SkipList::insert`] with the node's level given (1..=32).
    fn insert_with_level(&mut self, score: f64, member: &[u8], level: usize) {
        let (mut update, mut rank) = self.find_update(score, member);
        if level > self.level {
            for i in self.level..level {
                rank[i] = 0;
                update[i] = HEAD;
                self.lvl_mut(HEAD, i).span = self.len as u32;
            }
            self.level = level;
        }
        let x = self.alloc(level, score, member);
        for i in 0..level {
            let u = self.lvl(update[i], i);
            *self.lvl_mut(x, i) = Level { next: u.next, span: u.span - (rank[0] - rank[i]) };
            *self.lvl_mut(update[i], i) = Level { next: x, span: rank[0] - rank[i] + 1 };
        }
        for (i, &u) in update.iter().enumerate().take(self.level).skip(level) {
            self.lvl_mut(u, i).span += 1;
        }
        self.set_backward(x, if update[0] == HEAD { NIL } else { update[0] });
        let next = self.lvl(x, 0).next;
        if next != NIL {
            self.set_backward(next, x);
        } else {
            self.tail = x;
        }
        self.len += 1;
    }

    /// Removes (score, member); false when absent (`zslDelete`).
    pub fn delete(&mut self, score: f64, member: &[u8]) -> bool {
        let (update, _) = self.find_update(score, member);
        let x = self.lvl(update[0], 0).next;
        if x == NIL {
            return false;
        }
        let (m, s) = self.entry(x);
        if s != score || m != member {
            return false;
        }
        self.delete_node(x, &update);
        true
    }

    fn delete_node(&mut self, x: u32, update: &[u32; MAX_LEVEL]) {
        for (i, &u) in update.iter().enumerate().take(self.level) {
            let ul = self.lvl(u, i);
            if ul.next == x {
                let xl = self.lvl(x, i);
                *self.lvl_mut(u, i) = Level { next: xl.next, span: ul.span + xl.span - 1 };
            } else {
                self.lvl_mut(u, i).span -= 1;
            }
        }
        let next = self.lvl(x, 0).next;
        let back = self.backward(x);
        if next != NIL {
            self.set_backward(next, back);
        } else {
            self.tail = back;
        }
        while self.level > 1 && self.lvl(HEAD, self.level - 1).next == NIL {
            self.level -= 1;
        }
        self.len -= 1;
        self.release(x);
        if self.len == 0 {
            self.c0 = Vec::new();
            self.c1 = Vec::new();
            self.c2.truncate(1);
            self.free = [Vec::new(), Vec::new(), Vec::new()];
        }
    }

    /// Number of leading elements for which `pred` holds, `pred` being true on a prefix of
    /// the order (a walk down the levels, O(log n)).
    pub fn count_while(&self, pred: impl Fn(f64, &[u8]) -> bool) -> usize {
        let mut x = HEAD;
        let mut r = 0usize;
        for i in (0..self.level).rev() {
            loop {
                let l = self.lvl(x, i);
                if l.next == NIL {
                    break;
                }
                let (m, s) = self.entry(l.next);
                if !pred(s, m) {
                    break;
                }
                r += l.span as usize;
                x = l.next;
            }
        }
        r
    }

    /// 0-based rank of (score, member), which must be present.
    pub fn rank(&self, score: f64, member: &[u8]) -> usize {
        self.count_while(|s, m| cmp_entry(s, m, score, member) == Ordering::Less)
    }

    /// The node at 0-based `rank` (`zslGetElementByRank`).
    fn node_at(&self, rank: usize) -> u32 {
        let target = rank + 1;
        let mut traversed = 0usize;
        let mut x = HEAD;
        for i in (0..self.level).rev() {
            loop {
                let l = self.lvl(x, i);
                if l.next == NIL || traversed + l.span as usize > target {
                    break;
                }
                traversed += l.span as usize;
                x = l.next;
            }
            if traversed == target {
                return x;
            }
        }
        NIL
    }

    /// The element at 0-based `rank`.
    pub fn get(&self, rank: usize) -> Option<(&[u8], f64)> {
        if rank >= self.len {
            return None;
        }
        Some(self.entry(self.node_at(rank)))
    }

    /// Calls `f` for `count` elements from 0-based `rank`, ascending, or descending when
    /// `rev` (then `rank` is the first, highest, element visited).
    pub fn walk(&self, rank: usize, count: usize, rev: bool, mut f: impl FnMut(&[u8], f64)) {
        if rank >= self.len {
            return;
        }
        let mut x = self.node_at(rank);
        for _ in 0..count {
            if x == NIL {
                break;
            }
            let (m, s) = self.entry(x);
            f(m, s);
            x = if rev { self.backward(x) } else { self.lvl(x, 0).next };
        }
    }

    /// Heap bytes owned, approximately.
    pub fn heap_bytes(&self) -> usize {
        self.c0.capacity() * std::mem::size_of::<Node0>()
            + self.c1.capacity() * std::mem::size_of::<Node1>()
            + self.c2.capacity() * std::mem::size_of::<Node2>()
            + self.c0.iter().map(|n| n.0.member.heap_bytes()).sum::<usize>()
            + self.c1.iter().map(|n| n.0.member.heap_bytes()).sum::<usize>()
            + self.c2.iter().map(|n| n.0.member.heap_bytes()).sum::<usize>()
            + self.free.iter().map(|f| f.capacity() * 4).sum::<usize>()
    }
}

/// The skiplist encoding: ordered skiplist plus member -> score dict, as Redis's `zset`.
#[derive(Clone, Debug)]
pub struct SkipListSet {
    zsl: SkipList,
    dict: Dict<f64>,
}

impl SkipListSet {
    fn new() -> SkipListSet {
        SkipListSet { zsl: SkipList::new(), dict: Dict::new(KeyHasher::new()) }
    }
}

/// A sorted set value.
#[derive(Clone, Debug)]
pub enum ZSet {
    /// `listpack`: member, score pairs sorted by score then member.
    ListPack(ListPack),
    /// `skiplist`: skiplist plus dict.
    SkipList(Box<SkipListSet>),
}

impl Default for ZSet {
    fn default() -> Self {
        ZSet::ListPack(ListPack::new())
    }
}

impl ZSet {
    /// An empty sorted set in the encoding Redis's `zsetTypeCreate(size_hint,
    /// value_len_hint)` picks: `listpack` when `size_hint` members of up to `value_len_hint`
    /// bytes fit the thresholds, else `skiplist`.
    pub fn with_hint(size_hint: usize, value_len_hint: usize, limits: &EncodingLimits) -> ZSet {
        if size_hint <= limits.zset_max_listpack_entries
            && value_len_hint <= limits.zset_max_listpack_value
        {
            ZSet::ListPack(ListPack::new())
        } else {
            ZSet::SkipList(Box::new(SkipListSet::new()))
        }
    }

    /// An empty `skiplist`-encoded set (store commands build their result in one).
    pub fn new_skiplist() -> ZSet {
        ZSet::SkipList(Box::new(SkipListSet::new()))
    }

    /// Number of members.
    pub fn len(&self) -> usize {
        match self {
            ZSet::ListPack(lp) => lp.len() / 2,
            ZSet::SkipList(s) => s.zsl.len(),
        }
    }

    /// True when empty (an empty collection is never stored: the key is deleted).
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The encoding name OBJECT ENCODING reports.
    pub fn encoding_name(&self) -> &'static str {
        match self {
            ZSet::ListPack(_) => "listpack",
            ZSet::SkipList(_) => "skiplist",
        }
    }

    /// Heap bytes owned, for MEMORY USAGE.
    pub fn heap_bytes(&self) -> usize {
        match self {
            ZSet::ListPack(lp) => lp.heap_bytes(),
            ZSet::SkipList(s) => {
                std::mem::size_of::<SkipListSet>()
                    + s.zsl.heap_bytes()
                    + s.dict.buckets() * 8
                    + s.dict.len() * 48
            }
        }
    }

    /// Converts to `skiplist` (`zsetConvert`).
    pub fn convert_to_skiplist(&mut self) {
        if let ZSet::ListPack(_) = self {
            let mut s = Box::new(SkipListSet::new());
            for (m, sc) in self.to_vec() {
                s.zsl.insert(sc, &m);
                s.dict.insert(&m, sc);
            }
            *self = ZSet::SkipList(s);
        }
    }

    /// Converts to `listpack`.
    fn convert_to_listpack(&mut self) {
        if let ZSet::SkipList(_) = self {
            let mut lp = ListPack::new();
            let mut buf = Vec::new();
            for (m, sc) in self.to_vec() {
                lp.push_back(&m);
                buf.clear();
                score_text(sc, &mut buf);
                lp.push_back(&buf);
            }
            *self = ZSet::ListPack(lp);
        }
    }

    /// Redis's `zsetTypeMaybeConvert`: converts a `listpack` set to `skiplist` up front when
    /// a write will bring `size_hint` members or one of `value_len_hint` bytes.
    pub fn maybe_convert(
        &mut self,
        size_hint: usize,
        value_len_hint: usize,
        limits: &EncodingLimits,
    ) {
        if matches!(self, ZSet::ListPack(_))
            && (size_hint > limits.zset_max_listpack_entries
                || value_len_hint > limits.zset_max_listpack_value)
        {
            self.convert_to_skiplist();
        }
    }

    /// Redis's `zsetConvertToListpackIfNeeded`: a `skiplist` set (a store command's result)
    /// becomes `listpack` when its size and longest member (`maxelelen`) fit the thresholds.
    pub fn convert_to_listpack_if_needed(&mut self, maxelelen: usize, limits: &EncodingLimits) {
        if let ZSet::SkipList(s) = self {
            if s.zsl.len() <= limits.zset_max_listpack_entries
                && maxelelen <= limits.zset_max_listpack_value
            {
                self.convert_to_listpack();
            }
        }
    }

    /// Position of `member` in the listpack and its score.
    fn lp_find(lp: &ListPack, member: &[u8]) -> Option<(Pos, f64)> {
        let pos = lp.find(member, 2)?;
        let spos = lp.next(pos)?;
        Some((pos, lp_score(lp.get_at(spos))))
    }

    /// Inserts (score, member), absent, into the listpack at its sorted place (`zzlInsert`).
    fn lp_insert(lp: &mut ListPack, member: &[u8], score: f64) {
        let mut pos = lp.first();
        while let Some(p) = pos {
            let sp = lp.next(p).expect("score follows member");
            let s = lp_score(lp.get_at(sp));
            let before = match s.partial_cmp(&score) {
                Some(Ordering::Greater) => true,
                Some(Ordering::Equal) => lp.get_at(p).cmp_bytes(member) == Ordering::Greater,
                _ => false,
            };
            if before {
                break;
            }
            pos = lp.next(sp);
        }
        let at = pos.unwrap_or(lp.bytes_used());
        let mut buf = Vec::with_capacity(24);
        score_text(score, &mut buf);
        lp.insert_at(at, &buf);
        lp.insert_at(at, member);
    }

    /// The score of `member`.
    pub fn score(&self, member: &[u8]) -> Option<f64> {
        match self {
            ZSet::ListPack(lp) => Self::lp_find(lp, member).map(|(_, s)| s),
            ZSet::SkipList(s) => s.dict.get(member).copied(),
        }
    }

    /// Redis's `zsetAdd`: adds `member` with `score` or updates it under `flags`, converting
    /// to `skiplist` first when one more member, or this member's length, would cross a
    /// threshold. Errors when the resulting score is NaN.
    pub fn add(
        &mut self,
        member: &[u8],
        score: f64,
        flags: AddFlags,
        limits: &EncodingLimits,
    ) -> Result<AddOutcome, NanScore> {
        if score.is_nan() {
            return Err(NanScore);
        }
        if let Some(cur) = self.score(member) {
            if flags.nx {
                return Ok(AddOutcome::Nop);
            }
            let mut new = score;
            if flags.incr {
                new += cur;
                if new.is_nan() {
                    return Err(NanScore);
                }
            }
            if (flags.lt && new >= cur) || (flags.gt && new <= cur) {
                return Ok(AddOutcome::Nop);
            }
            if new == cur {
                return Ok(AddOutcome::Unchanged(cur));
            }
            self.remove(member);
            self.insert_new(member, new, limits);
            return Ok(AddOutcome::Updated(new));
        }
        if flags.xx {
            return Ok(AddOutcome::Nop);
        }
        self.insert_new(member, score, limits);
        Ok(AddOutcome::Added(score))
    }

    /// Inserts an absent member, converting first when it would cross a threshold.
    fn insert_new(&mut self, member: &[u8], score: f64, limits: &EncodingLimits) {
        if let ZSet::ListPack(lp) = self {
            if lp.len() / 2 + 1 > limits.zset_max_listpack_entries
                || member.len() > limits.zset_max_listpack_value
            {
                self.convert_to_skiplist();
            }
        }
        match self {
            ZSet::ListPack(lp) => Self::lp_insert(lp, member, score),
            ZSet::SkipList(s) => {
                s.zsl.insert(score, member);
                s.dict.insert(member, score);
            }
        }
    }

    /// Removes `member`; false when absent.
    pub fn remove(&mut self, member: &[u8]) -> bool {
        match self {
            ZSet::ListPack(lp) => match lp.find(member, 2) {
                Some(pos) => {
                    lp.remove_range_at(pos, 2);
                    true
                }
                None => false,
            },
            ZSet::SkipList(s) => match s.dict.remove(member) {
                Some((_, score)) => {
                    s.zsl.delete(score, member);
                    true
                }
                None => false,
            },
        }
    }

    /// 0-based rank of `member` (from the highest when `rev`) and its score.
    pub fn rank(&self, member: &[u8], rev: bool) -> Option<(usize, f64)> {
        let len = self.len();
        let (rank, score) = match self {
            ZSet::ListPack(lp) => {
                let (pos, score) = Self::lp_find(lp, member)?;
                let mut rank = 0;
                let mut p = lp.first();
                while let Some(q) = p {
                    if q == pos {
                        break;
                    }
                    rank += 1;
                    p = lp.next(q).and_then(|s| lp.next(s));
                }
                (rank, score)
            }
            ZSet::SkipList(s) => {
                let score = *s.dict.get(member)?;
                (s.zsl.rank(score, member), score)
            }
        };
        Some((if rev { len - 1 - rank } else { rank }, score))
    }

    /// Number of leading members (in ascending order) for which `pred(score, member)` holds;
    /// `pred` must hold on a prefix of the order.
    fn count_while(&self, pred: impl Fn(f64, &[u8]) -> bool) -> usize {
        match self {
            ZSet::ListPack(lp) => {
                let mut n = 0;
                let mut it = lp.iter();
                while let (Some(m), Some(s)) = (it.next(), it.next()) {
                    let mut buf = [0u8; 20];
                    if !pred(lp_score(s), m.as_bytes(&mut buf)) {
                        break;
                    }
                    n += 1;
                }
                n
            }
            ZSet::SkipList(s) => s.zsl.count_while(pred),
        }
    }

    /// The ranks `[lo, hi)` of the members whose scores fall in `range` (`lo >= hi`: none).
    pub fn score_ranks(&self, range: &ScoreRange) -> (usize, usize) {
        let lo = self.count_while(|s, _| !range.gte_min(s));
        let hi = self.count_while(|s, _| range.lte_max(s));
        (lo, hi.max(lo))
    }

    /// The ranks `[lo, hi)` of the members in the lexicographic `range` (meaningful when all
    /// scores are equal, as the command pages require).
    pub fn lex_ranks(&self, range: &LexRange) -> (usize, usize) {
        let lo = self.count_while(|_, m| !range.gte_min(m));
        let hi = self.count_while(|_, m| range.lte_max(m));
        (lo, hi.max(lo))
    }

    /// The member at 0-based `rank` and its score.
    pub fn get(&self, rank: usize) -> Option<(Vec<u8>, f64)> {
        match self {
            ZSet::ListPack(lp) => {
                let p = lp.seek(2 * rank as i64)?;
                let s = lp.next(p)?;
                Some((lp.get_at(p).to_vec(), lp_score(lp.get_at(s))))
            }
            ZSet::SkipList(s) => s.zsl.get(rank).map(|(m, sc)| (m.to_vec(), sc)),
        }
    }

    /// Calls `f` for up to `count` members from 0-based (ascending) `rank`, ascending, or
    /// descending when `rev`.
    pub fn walk(&self, rank: usize, count: usize, rev: bool, mut f: impl FnMut(&[u8], f64)) {
        match self {
            ZSet::ListPack(lp) => {
                let Some(mut p) = lp.seek(2 * rank as i64) else { return };
                let mut buf = [0u8; 20];
                for _ in 0..count {
                    let sp = lp.next(p).expect("score follows member");
                    f(lp.get_at(p).as_bytes(&mut buf), lp_score(lp.get_at(sp)));
                    let next = if rev { lp.prev(p).and_then(|q| lp.prev(q)) } else { lp.next(sp) };
                    match next {
                        Some(n) => p = n,
                        None => break,
                    }
                }
            }
            ZSet::SkipList(s) => s.zsl.walk(rank, count, rev, f),
        }
    }

    /// Up to `count` members from 0-based (ascending) `rank`, in the walk's order.
    pub fn range(&self, rank: usize, count: usize, rev: bool) -> Vec<(Vec<u8>, f64)> {
        let mut out = Vec::with_capacity(count.min(self.len()));
        self.walk(rank, count, rev, |m, s| out.push((m.to_vec(), s)));
        out
    }

    /// Every member with its score, ascending.
    pub fn to_vec(&self) -> Vec<(Vec<u8>, f64)> {
        self.range(0, self.len(), false)
    }

    /// Removes the members at ranks `[lo, hi)`; returns how many.
    pub fn remove_ranks(&mut self, lo: usize, hi: usize) -> usize {
        if lo >= hi || lo >= self.len() {
            return 0;
        }
        let hi = hi.min(self.len());
        match self {
            ZSet::ListPack(lp) => {
                if let Some(p) = lp.seek(2 * lo as i64) {
                    lp.remove_range_at(p, 2 * (hi - lo));
                }
            }
            ZSet::SkipList(_) => {
                for (m, _) in self.range(lo, hi - lo, false) {
                    self.remove(&m);
                }
            }
        }
        hi - lo
    }

    /// ZSCAN: calls `f` for members from `cursor`, returns the next cursor (0 when done). A
    /// `listpack` set is returned whole at once, as Redis does; a `skiplist` set is scanned
    /// through its dict with Redis's reverse-binary cursor.
    pub fn scan(&self, cursor: u64, mut f: impl FnMut(&[u8], f64)) -> u64 {
        match self {
            ZSet::ListPack(_) => {
                self.walk(0, self.len(), false, f);
                0
            }
            ZSet::SkipList(s) => s.dict.scan(cursor, |m, sc| f(m, *sc)),
        }
    }

    /// Longest member, in bytes.
    pub fn max_member_len(&self) -> usize {
        let mut max = 0;
        self.walk(0, self.len(), false, |m, _| max = max.max(m.len()));
        max
    }
}

#[cfg(test)]
mod node_layout {
    #[test]
    fn skiplist_nodes_fill_whole_cache_lines() {
        assert_eq!(std::mem::size_of::<super::Node0>(), 64);
        assert_eq!(std::mem::size_of::<super::Node1>(), 128);
        assert_eq!(std::mem::size_of::<super::Node2>(), 320);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limits(entries: usize, value: usize) -> EncodingLimits {
        EncodingLimits {
            zset_max_listpack_entries: entries,
            zset_max_listpack_value: value,
            ..EncodingLimits::default()
        }
    }

    fn add(z: &mut ZSet, m: &str, s: f64, l: &EncodingLimits) -> AddOutcome {
        z.add(m.as_bytes(), s, AddFlags::default(), l).unwrap()
    }

    #[test]
    fn listpack_sorted_by_score_then_member() {
        let l = EncodingLimits::default();
        let mut z = ZSet::with_hint(3, 1, &l);
        add(&mut z, "b", 1.0, &l);
        add(&mut z, "a", 1.0, &l);
        add(&mut z, "c", -0.5, &l);
        add(&mut z, "d", f64::INFINITY, &l);
        add(&mut z, "e", 0.1, &l);
        let v: Vec<_> =
            z.to_vec().into_iter().map(|(m, s)| (String::from_utf8(m).unwrap(), s)).collect();
        assert_eq!(
            v,
            vec![
                ("c".into(), -0.5),
                ("e".into(), 0.1),
                ("a".into(), 1.0),
                ("b".into(), 1.0),
                ("d".into(), f64::INFINITY)
            ]
        );
        assert_eq!(z.encoding_name(), "listpack");
        assert_eq!(z.rank(b"b", false), Some((3, 1.0)));
        assert_eq!(z.rank(b"b", true), Some((1, 1.0)));
        assert_eq!(z.score(b"e"), Some(0.1));
    }

    #[test]
    fn converts_at_entry_and_value_thresholds() {
        let l = limits(4, 8);
        let mut z = ZSet::with_hint(1, 1, &l);
        for (i, m) in ["a", "b", "c", "d"].iter().enumerate() {
            add(&mut z, m, i as f64, &l);
        }
        assert_eq!(z.encoding_name(), "listpack");
        add(&mut z, "e", 9.0, &l);
        assert_eq!(z.encoding_name(), "skiplist");
        assert_eq!(z.len(), 5);
        let mut z = ZSet::with_hint(1, 1, &l);
        add(&mut z, "12345678", 1.0, &l);
        assert_eq!(z.encoding_name(), "listpack");
        add(&mut z, "123456789", 1.0, &l);
        assert_eq!(z.encoding_name(), "skiplist");
        z.remove(b"123456789");
        assert_eq!(z.encoding_name(), "skiplist");
        let max = z.max_member_len();
        z.convert_to_listpack_if_needed(max, &l);
        assert_eq!(z.encoding_name(), "listpack");
        assert_eq!(z.to_vec(), vec![(b"12345678".to_vec(), 1.0)]);
        assert_eq!(ZSet::with_hint(5, 1, &l).encoding_name(), "skiplist");
        assert_eq!(ZSet::with_hint(4, 9, &l).encoding_name(), "skiplist");
    }

    #[test]
    fn add_flags() {
        let l = EncodingLimits::default();
        let mut z = ZSet::default();
        let nx = AddFlags { nx: true, ..AddFlags::default() };
        let gt = AddFlags { gt: true, ..AddFlags::default() };
        let incr = AddFlags { incr: true, ..AddFlags::default() };
        assert_eq!(z.add(b"a", 1.0, nx, &l), Ok(AddOutcome::Added(1.0)));
        assert_eq!(z.add(b"a", 2.0, nx, &l), Ok(AddOutcome::Nop));
        assert_eq!(z.add(b"a", 0.5, gt, &l), Ok(AddOutcome::Nop));
        assert_eq!(z.add(b"a", 3.0, gt, &l), Ok(AddOutcome::Updated(3.0)));
        assert_eq!(z.add(b"a", 3.0, AddFlags::default(), &l), Ok(AddOutcome::Unchanged(3.0)));
        assert_eq!(z.add(b"a", f64::INFINITY, incr, &l), Ok(AddOutcome::Updated(f64::INFINITY)));
        assert_eq!(z.add(b"a", f64::NEG_INFINITY, incr, &l), Err(NanScore));
        let xx = AddFlags { xx: true, ..AddFlags::default() };
        assert_eq!(z.add(b"zz", 1.0, xx, &l), Ok(AddOutcome::Nop));
    }

    /// Every height class, with nodes freed and reused: order both ways, ranks and lookups
    /// by rank stay exact.
    #[test]
    fn skiplist_height_classes_keep_order_and_ranks() {
        let mut sl = SkipList::new();
        let mut model: Vec<(f64, Vec<u8>)> = Vec::new();
        let mut seed = 99u64;
        let mut rnd = || {
            seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            (seed >> 33) as usize
        };
        for round in 0..3 {
            for i in 0..4000 {
                let m = format!("member-{round}-{i}").into_bytes();
                let s = (rnd() % 1000) as f64 / 7.0;
                // Tall nodes now and then (classes 1 and 2), the rest at random.
                let level = match i % 500 {
                    0 => 32,
                    1 => 12,
                    2..=20 => 4 + i % 8,
                    _ => sl.random_level(),
                };
                sl.insert_with_level(s, &m, level);
                model.push((s, m));
            }
            model.sort_by(|a, b| cmp_entry(a.0, &a.1, b.0, &b.1));
            // Delete every third element (tall ones included), freeing slots for the next
            // round to reuse.
            let mut kept = Vec::new();
            for (i, (s, m)) in model.drain(..).enumerate() {
                if i % 3 == 0 {
                    assert!(sl.delete(s, &m));
                    assert!(!sl.delete(s, &m));
                } else {
                    kept.push((s, m));
                }
            }
            model = kept;
            assert_eq!(sl.len(), model.len());
            let mut fwd = Vec::new();
            sl.walk(0, sl.len(), false, |m, s| fwd.push((s, m.to_vec())));
            assert_eq!(fwd, model);
            let mut back = Vec::new();
            sl.walk(sl.len() - 1, sl.len(), true, |m, s| back.push((s, m.to_vec())));
            back.reverse();
            assert_eq!(back, model);
            for (i, (s, m)) in model.iter().enumerate().step_by(37) {
                assert_eq!(sl.rank(*s, m), i);
                assert_eq!(sl.get(i), Some((&m[..], *s)));
            }
        }
        for (s, m) in std::mem::take(&mut model) {
            assert!(sl.delete(s, &m));
        }
        assert!(sl.is_empty());
        assert_eq!(sl.get(0), None);
        sl.insert(1.0, b"again");
        assert_eq!(sl.get(0), Some((&b"again"[..], 1.0)));
    }

    #[test]
    fn skiplist_matches_sorted_vec() {
        let l = limits(0, 0);
        let mut z = ZSet::with_hint(1, 1, &l);
        assert_eq!(z.encoding_name(), "skiplist");
        let mut model: Vec<(f64, Vec<u8>)> = Vec::new();
        let mut seed = 12345u64;
        let mut rnd = || {
            seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            (seed >> 33) as usize
        };
        for _ in 0..3000 {
            let m = format!("m{}", rnd() % 300).into_bytes();
            let s = (rnd() % 50) as f64;
            if rnd() % 3 == 0 {
                let removed = z.remove(&m);
                let idx = model.iter().position(|(_, mm)| *mm == m);
                assert_eq!(removed, idx.is_some());
                if let Some(i) = idx {
                    model.remove(i);
                }
            } else {
                z.add(&m, s, AddFlags::default(), &l).unwrap();
                model.retain(|(_, mm)| *mm != m);
                model.push((s, m));
                model.sort_by(|a, b| cmp_entry(a.0, &a.1, b.0, &b.1));
            }
        }
        let got: Vec<(f64, Vec<u8>)> = z.to_vec().into_iter().map(|(m, s)| (s, m)).collect();
        assert_eq!(got, model);
        for (i, (s, m)) in model.iter().enumerate() {
            assert_eq!(z.rank(m, false), Some((i, *s)));
            assert_eq!(z.get(i), Some((m.clone(), *s)));
        }
        let r = ScoreRange { min: 10.0, max: 20.0, minex: true, maxex: false };
        let (lo, hi) = z.score_ranks(&r);
        let expect: Vec<_> = model.iter().filter(|(s, _)| r.gte_min(*s) && r.lte_max(*s)).collect();
        assert_eq!(hi - lo, expect.len());
        let rev: Vec<_> = z.range(hi - 1, hi - lo, true);
        assert_eq!(rev.len(), expect.len());
        assert_eq!(rev[0].0, expect.last().unwrap().1);
        let n = z.len();
        assert_eq!(z.remove_ranks(lo, hi), hi - lo);
        assert_eq!(z.len(), n - (hi - lo));
    }

    #[test]
    fn score_text_round_trips() {
        for v in [0.1, 1e-5, 1724131234.5678282, -3.0, 1e300, f64::MIN_POSITIVE, 2.5e-320] {
            let mut b = Vec::new();
            score_text(v, &mut b);
            assert_eq!(parse_f64(&b), Some(v), "{}", String::from_utf8_lossy(&b));
        }
        let text = |v: f64| {
            let mut b = Vec::new();
            score_text(v, &mut b);
            String::from_utf8(b).unwrap()
        };
        assert_eq!(text(1.5), "1.5");
        assert_eq!(text(1e300), "1e300");
        assert_eq!(text(-2.0), "-2");
        assert_eq!(text(f64::NEG_INFINITY), "-inf");
    }
}
