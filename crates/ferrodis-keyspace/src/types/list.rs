//! The `list` type: a sequence of byte strings with O(1) pushes and pops at both ends.
//!
//! Two encodings, as Redis 7.2 (`src/t_list.c`, `src/quicklist.c`):
//!
//! - `listpack`: one [`ListPack`] holding every element, for small lists.
//! - `quicklist`: a deque of listpack nodes, each bounded by `list-max-listpack-size`
//!   (`fill`): a positive fill is an entry count per node (and a node never grows past 8 KiB,
//!   `SIZE_SAFETY_LIMIT`), a negative one a byte size class (-1..=-5 = 4/8/16/32/64 KiB, below
//!   -5 treated as -5). An element too big for any node (`isLargeElement`) lives alone in a
//!   "plain" node. Pushes and pops touch one end node; LINDEX/LSET walk the node counts from
//!   the nearer end, then one node.
//!
//! Conversions follow `listTypeTryConvertListpack` / `listTypeTryConvertQuicklist`: before a
//! write that grows the list (push, LINSERT, LSET, LMOVE's push), a listpack whose Redis byte
//! size plus the new elements' lengths, or whose length plus their count, would exceed the
//! node limit becomes a one-node quicklist; after a write that shrinks it (pops, LREM, LTRIM,
//! LSET), a quicklist left with a single packed node of at most half the limit (bytes and
//! count) becomes a listpack again.
//!
//! The byte sizes those rules compare are Redis's (`lpBytes`: its listpack entry encodings),
//! tracked per node beside our own packed bytes, so that OBJECT ENCODING changes at the same
//! writes as in Redis. Node splits and merges on LINSERT/LSET follow `_quicklistInsert`,
//! `quicklistReplaceEntry`, `_quicklistSplitNode` and `_quicklistMergeNodes` (a packed node
//! takes an LSET value in place whatever its size; a full node splits on LINSERT), so the
//! node count DEBUG OBJECT reports (`ql_nodes`) and the quicklist -> listpack conversion,
//! which needs a single node, happen as in Redis (checked command by command against Valkey
//! 8.1, whose quicklist is Redis 7.2's). `list-compress-depth` is accepted (the server keeps
//! the setting) but nodes are never LZF-compressed.

use crate::listpack::{ListPack, LpValue, Pos};
use crate::num::parse_i64;
use std::collections::VecDeque;

/// Node byte limits for negative fills (`optimization_level` in `src/quicklist.c`).
const OPTIMIZATION_LEVEL: [usize; 5] = [4096, 8192, 16384, 32768, 65536];
/// Largest multi-element node when the fill is an entry count (`SIZE_SAFETY_LIMIT`).
pub const SIZE_SAFETY_LIMIT: usize = 8192;
/// Redis's per-insert overestimate of an entry's header bytes (`SIZE_ESTIMATE_OVERHEAD`).
const SIZE_ESTIMATE_OVERHEAD: usize = 8;
/// Bytes of an empty Redis listpack: 6-byte header plus the end byte.
const LP_EMPTY_BYTES: usize = 7;

/// `quicklistNodeLimit`: (byte limit, count limit) of a node for `fill`; the unused one is
/// `usize::MAX`. A fill of 0 means one entry per node.
pub fn node_limit(fill: i32) -> (usize, usize) {
    if fill >= 0 {
        (usize::MAX, if fill == 0 { 1 } else { fill as usize })
    } else {
        let offset = ((-(fill as i64)) - 1).min(OPTIMIZATION_LEVEL.len() as i64 - 1) as usize;
        (OPTIMIZATION_LEVEL[offset], usize::MAX)
    }
}

/// `quicklistNodeExceedsLimit`: true when a node (or a listpack) of `new_sz` Redis bytes and
/// `new_count` entries is over the limit for `fill`.
pub fn exceeds_limit(fill: i32, new_sz: usize, new_count: usize) -> bool {
    let (sz_limit, count_limit) = node_limit(fill);
    if sz_limit != usize::MAX {
        new_sz > sz_limit
    } else {
        new_sz > SIZE_SAFETY_LIMIT || new_count > count_limit
    }
}

/// `isLargeElement`: an element of `len` bytes that gets a plain node of its own.
fn is_large_element(len: usize, fill: i32) -> bool {
    if fill >= 0 {
        len > SIZE_SAFETY_LIMIT
    } else {
        len > node_limit(fill).0
    }
}

/// Bytes of Redis's `lpEncodeBacklen` for an entry of `len` bytes.
fn backlen_bytes(len: usize) -> usize {
    match len {
        0..=127 => 1,
        128..=16382 => 2,
        16383..=2097150 => 3,
        2097151..=268435454 => 4,
        _ => 5,
    }
}

/// Bytes a Redis listpack spends on the integer `v` (encoding plus backlen).
fn lp_int_bytes(v: i64) -> usize {
    let enc = if (0..=127).contains(&v) {
        1
    } else if (-4096..=4095).contains(&v) {
        2
    } else if (-32768..=32767).contains(&v) {
        3
    } else if (-8_388_608..=8_388_607).contains(&v) {
        4
    } else if i32::try_from(v).is_ok() {
        5
    } else {
        9
    };
    enc + backlen_bytes(enc)
}

/// Bytes a Redis listpack spends on a string of `len` bytes (encoding plus backlen).
fn lp_str_bytes(len: usize) -> usize {
    let enc = if len < 64 {
        1 + len
    } else if len < 4096 {
        2 + len
    } else {
        5 + len
    };
    enc + backlen_bytes(enc)
}

/// Bytes a Redis listpack spends on the entry `value` (an integer-looking string is stored as
/// an integer, as `lpEncodeGetType` does).
pub fn lp_entry_bytes(value: &[u8]) -> usize {
    match (value.len() <= 20).then(|| parse_i64(value)).flatten() {
        Some(v) => lp_int_bytes(v),
        None => lp_str_bytes(value.len()),
    }
}

/// [`lp_entry_bytes`] of a stored entry.
fn lpvalue_bytes(v: LpValue<'_>) -> usize {
    match v {
        LpValue::Int(i) => lp_int_bytes(i),
        LpValue::Str(s) => lp_str_bytes(s.len()),
    }
}

/// One listpack with its size as Redis would count it (`lpBytes`, the `sz` of a quicklist
/// node). A plain node holds one large element (`QUICKLIST_NODE_CONTAINER_PLAIN`).
#[derive(Clone, Debug, PartialEq, Eq)]
struct Node {
    lp: ListPack,
    sz: usize,
    plain: bool,
}

impl Default for Node {
    fn default() -> Self {
        Node { lp: ListPack::new(), sz: LP_EMPTY_BYTES, plain: false }
    }
}

impl Node {
    fn with(value: &[u8], plain: bool) -> Node {
        let mut n = Node { plain, ..Node::default() };
        n.push(value, false);
        n
    }

    fn len(&self) -> usize {
        self.lp.len()
    }

    fn push(&mut self, value: &[u8], left: bool) {
        if left {
            self.lp.push_front(value);
        } else {
            self.lp.push_back(value);
        }
        self.sz += lp_entry_bytes(value);
    }

    fn insert_at(&mut self, pos: Pos, value: &[u8]) {
        self.lp.insert_at(pos, value);
        self.sz += lp_entry_bytes(value);
    }

    fn remove_at(&mut self, pos: Pos) -> Option<Pos> {
        self.sz -= lpvalue_bytes(self.lp.get_at(pos));
        self.lp.remove_at(pos)
    }

    fn pop(&mut self, left: bool) -> Option<Vec<u8>> {
        let pos = if left { self.lp.first()? } else { self.lp.last()? };
        let v = self.lp.get_at(pos).to_vec();
        self.remove_at(pos);
        Some(v)
    }

    fn replace_at(&mut self, pos: Pos, value: &[u8]) {
        self.sz -= lpvalue_bytes(self.lp.get_at(pos));
        self.lp.replace_at(pos, value);
        self.sz += lp_entry_bytes(value);
    }

    /// Removes `count` entries from index `start` (clamped to the node).
    fn remove_range(&mut self, start: usize, count: usize) {
        let Some(pos) = self.lp.seek(start as i64) else { return };
        let mut p = Some(pos);
        let mut n = 0;
        while let (Some(q), true) = (p, n < count) {
            self.sz -= lpvalue_bytes(self.lp.get_at(q));
            p = self.lp.next(q);
            n += 1;
        }
        self.lp.remove_range_at(pos, count);
    }

    /// `_quicklistNodeAllowInsert`: may an element of `len` bytes join this node?
    fn allow_insert(&self, fill: i32, len: usize) -> bool {
        !self.plain
            && !is_large_element(len, fill)
            && !exceeds_limit(fill, self.sz + len + SIZE_ESTIMATE_OVERHEAD, self.len() + 1)
    }

    /// `_quicklistNodeAllowMerge`.
    fn allow_merge(&self, other: &Node, fill: i32) -> bool {
        !self.plain
            && !other.plain
            && !exceeds_limit(fill, self.sz + other.sz - LP_EMPTY_BYTES, self.len() + other.len())
    }

    /// Moves the entries from `index` on into a new node.
    fn split_off(&mut self, index: usize) -> Node {
        let tail = self.lp.split_off(index);
        let tail_sz = LP_EMPTY_BYTES + tail.iter().map(lpvalue_bytes).sum::<usize>();
        self.sz -= tail_sz - LP_EMPTY_BYTES;
        Node { lp: tail, sz: tail_sz, plain: false }
    }

    /// Appends the entries of `other`.
    fn append(&mut self, other: &Node) {
        self.lp.append(&other.lp);
        self.sz += other.sz - LP_EMPTY_BYTES;
        self.plain = false;
    }
}

/// The quicklist encoding: listpack nodes and the total element count.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct Quicklist {
    nodes: VecDeque<Node>,
    count: usize,
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Repr {
    Listpack(Node),
    Quicklist(Box<Quicklist>),
}

/// A list value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct List {
    repr: Repr,
}

impl Default for List {
    fn default() -> Self {
        List { repr: Repr::Listpack(Node::default()) }
    }
}

/// A position in a list: node index and entry position inside it.
#[derive(Clone, Copy, Debug)]
struct Cursor {
    node: usize,
    pos: Pos,
}

impl List {
    /// An empty list in the `listpack` encoding (Redis's `createListListpackObject`).
    pub fn new() -> List {
        List::default()
    }

    /// An empty list in the `quicklist` encoding (Redis's `createQuicklistObject`), for a list
    /// built whole and then converted with [`List::try_convert_auto`] (SORT ... STORE).
    pub fn new_quicklist() -> List {
        List { repr: Repr::Quicklist(Box::default()) }
    }

    /// Number of elements.
    pub fn len(&self) -> usize {
        match &self.repr {
            Repr::Listpack(n) => n.len(),
            Repr::Quicklist(q) => q.count,
        }
    }

    /// True when empty (an empty collection is never stored: the key is deleted).
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The encoding name OBJECT ENCODING reports: `listpack` or `quicklist`.
    pub fn encoding_name(&self) -> &'static str {
        match self.repr {
            Repr::Listpack(_) => "listpack",
            Repr::Quicklist(_) => "quicklist",
        }
    }

    /// True in the `quicklist` encoding.
    pub fn is_quicklist(&self) -> bool {
        matches!(self.repr, Repr::Quicklist(_))
    }

    /// Number of quicklist nodes (1 for a listpack).
    pub fn node_count(&self) -> usize {
        match &self.repr {
            Repr::Listpack(_) => 1,
            Repr::Quicklist(q) => q.nodes.len(),
        }
    }

    /// Bytes Redis's listpacks would use for this list (the sum of the nodes' `lpBytes`), as
    /// DEBUG OBJECT's `ql_uncompressed_size` reports.
    pub fn redis_bytes(&self) -> usize {
        (0..self.nodes_len()).map(|i| self.node(i).sz).sum()
    }

    /// Element counts of the quicklist nodes, head to tail (one entry for a listpack).
    pub fn node_lengths(&self) -> Vec<usize> {
        (0..self.nodes_len()).map(|i| self.node(i).len()).collect()
    }

    /// Heap bytes owned, for MEMORY USAGE.
    pub fn heap_bytes(&self) -> usize {
        match &self.repr {
            Repr::Listpack(n) => n.lp.heap_bytes(),
            Repr::Quicklist(q) => {
                std::mem::size_of::<Quicklist>()
                    + q.nodes.capacity() * std::mem::size_of::<Node>()
                    + q.nodes.iter().map(|n| n.lp.heap_bytes()).sum::<usize>()
            }
        }
    }

    // ---- node access shared by both encodings (a listpack is one node) ----

    fn nodes_len(&self) -> usize {
        match &self.repr {
            Repr::Listpack(_) => 1,
            Repr::Quicklist(q) => q.nodes.len(),
        }
    }

    fn node(&self, i: usize) -> &Node {
        match &self.repr {
            Repr::Listpack(n) => n,
            Repr::Quicklist(q) => &q.nodes[i],
        }
    }

    fn node_mut(&mut self, i: usize) -> &mut Node {
        match &mut self.repr {
            Repr::Listpack(n) => n,
            Repr::Quicklist(q) => &mut q.nodes[i],
        }
    }

    /// Adjusts the quicklist's element count by `delta`.
    fn add_count(&mut self, delta: isize) {
        if let Repr::Quicklist(q) = &mut self.repr {
            q.count = q.count.wrapping_add_signed(delta);
        }
    }

    /// Drops node `i` when it is empty (a listpack keeps its one node).
    fn drop_if_empty(&mut self, i: usize) -> bool {
        if let Repr::Quicklist(q) = &mut self.repr {
            if q.nodes[i].len() == 0 {
                q.nodes.remove(i);
                return true;
            }
        }
        false
    }

    /// The node and in-node index of element `index` (in range), walking from the nearer end.
    fn locate(&self, index: usize) -> (usize, usize) {
        let n = self.nodes_len();
        let len = self.len();
        if index < len / 2 || n == 1 {
            let mut acc = 0;
            for i in 0..n {
                let c = self.node(i).len();
                if index < acc + c {
                    return (i, index - acc);
                }
                acc += c;
            }
            (n - 1, self.node(n - 1).len() - 1)
        } else {
            let mut acc = len;
            for i in (0..n).rev() {
                let c = self.node(i).len();
                acc -= c;
                if index >= acc {
                    return (i, index - acc);
                }
            }
            (0, 0)
        }
    }

    /// Normalises a Redis index (negative counts from the tail); `None` when out of range.
    fn normalize(&self, index: i64) -> Option<usize> {
        let len = self.len() as i64;
        let i = if index < 0 { len + index } else { index };
        (0..len).contains(&i).then_some(i as usize)
    }

    fn cursor_at(&self, index: usize) -> Option<Cursor> {
        if index >= self.len() {
            return None;
        }
        let (node, off) = self.locate(index);
        let pos = self.node(node).lp.seek(off as i64)?;
        Some(Cursor { node, pos })
    }

    fn cursor_step(&self, c: Cursor, forward: bool) -> Option<Cursor> {
        let lp = &self.node(c.node).lp;
        let next = if forward { lp.next(c.pos) } else { lp.prev(c.pos) };
        if let Some(pos) = next {
            return Some(Cursor { node: c.node, pos });
        }
        let mut node = c.node;
        loop {
            if forward {
                node += 1;
                if node >= self.nodes_len() {
                    return None;
                }
            } else {
                node = node.checked_sub(1)?;
            }
            let lp = &self.node(node).lp;
            if let Some(pos) = if forward { lp.first() } else { lp.last() } {
                return Some(Cursor { node, pos });
            }
        }
    }

    fn value_at(&self, c: Cursor) -> LpValue<'_> {
        self.node(c.node).lp.get_at(c.pos)
    }

    // ---- conversions ----

    /// `listTypeTryConvertListpack`: before adding `add_count` elements totalling `add_bytes`
    /// bytes, converts a listpack that would exceed the node limit into a quicklist.
    pub fn try_convert_growing(&mut self, fill: i32, add_bytes: usize, add_count: usize) {
        if let Repr::Listpack(n) = &mut self.repr {
            if exceeds_limit(fill, n.sz + add_bytes, n.len() + add_count) {
                let node = std::mem::take(n);
                let count = node.len();
                let mut nodes = VecDeque::new();
                if count > 0 {
                    nodes.push_back(node);
                }
                self.repr = Repr::Quicklist(Box::new(Quicklist { nodes, count }));
            }
        }
    }

    /// `listTypeTryConvertQuicklist` with `shrinking`: a quicklist of one packed node within
    /// the limit (half the limit when shrinking) becomes a listpack.
    pub fn try_convert_shrinking(&mut self, fill: i32) {
        self.try_convert_quicklist(fill, true);
    }

    /// `listTypeTryConversion` with `LIST_CONV_AUTO` on a quicklist: one packed node within
    /// the (full) node limit becomes a listpack.
    pub fn try_convert_auto(&mut self, fill: i32) {
        self.try_convert_quicklist(fill, false);
    }

    fn try_convert_quicklist(&mut self, fill: i32, shrinking: bool) {
        let Repr::Quicklist(q) = &mut self.repr else { return };
        if q.nodes.len() != 1 || q.nodes[0].plain {
            return;
        }
        let (mut sz_limit, mut count_limit) = node_limit(fill);
        if shrinking {
            sz_limit /= 2;
            count_limit /= 2;
        }
        if q.nodes[0].sz > sz_limit || q.count > count_limit {
            return;
        }
        let node = q.nodes.pop_front().unwrap_or_default();
        self.repr = Repr::Listpack(node);
    }

    // ---- whole-list access for persistence (DUMP/RESTORE, RDB) ----

    /// Calls `f` on each node, head to tail, with its listpack and whether it is a plain node
    /// (one large element); a `listpack` list is one packed node. This is the node layout
    /// Redis 7.2's `rdbSaveObject` writes as `RDB_TYPE_LIST_QUICKLIST_2`.
    pub fn for_each_node(&self, mut f: impl FnMut(&ListPack, bool)) {
        for i in 0..self.nodes_len() {
            let n = self.node(i);
            f(&n.lp, n.plain);
        }
    }

    /// Builds a list from loaded quicklist nodes (`(listpack, plain)`, head to tail; empty
    /// packed nodes are skipped, as Redis's loader does), then converts a single small packed
    /// node to the `listpack` encoding (`listTypeTryConversion(.., LIST_CONV_AUTO, ..)` after
    /// `rdbLoadObject` in Redis 7.2). A plain node must hold exactly one element.
    pub fn from_nodes(nodes: Vec<(ListPack, bool)>, fill: i32) -> List {
        let mut q = Quicklist::default();
        for (lp, plain) in nodes {
            if lp.is_empty() {
                continue;
            }
            let sz = LP_EMPTY_BYTES + lp.iter().map(lpvalue_bytes).sum::<usize>();
            q.count += lp.len();
            q.nodes.push_back(Node { lp, sz, plain });
        }
        let mut list = List { repr: Repr::Quicklist(Box::new(q)) };
        list.try_convert_quicklist(fill, false);
        list
    }

    /// `listTypeTryConversion(.., LIST_CONV_AUTO, ..)` as Redis 7.2 runs it after loading a
    /// list: a quicklist left with a single small packed node becomes a `listpack`.
    pub fn convert_after_load(&mut self, fill: i32) {
        self.try_convert_quicklist(fill, false);
    }

    // ---- reads ----

    /// The element at `index` (negative counts from the tail), as LINDEX.
    pub fn get(&self, index: i64) -> Option<LpValue<'_>> {
        let c = self.cursor_at(self.normalize(index)?)?;
        Some(self.value_at(c))
    }

    /// Calls `f` on `count` elements starting at element `from` (a valid index), walking
    /// towards the tail, or towards the head when `reverse`.
    pub fn for_range(
        &self,
        from: usize,
        count: usize,
        reverse: bool,
        mut f: impl FnMut(LpValue<'_>),
    ) {
        let mut c = self.cursor_at(from);
        for _ in 0..count {
            let Some(cur) = c else { break };
            f(self.value_at(cur));
            c = self.cursor_step(cur, !reverse);
        }
    }

    /// Every element, head to tail.
    pub fn to_vec(&self) -> Vec<Vec<u8>> {
        let mut out = Vec::with_capacity(self.len());
        self.for_range(0, self.len(), false, |v| out.push(v.to_vec()));
        out
    }

    /// Walks from the head (or from the tail when `from_tail`) calling `f(index, element)`
    /// until it returns false; indexes are LINDEX's (0 = head).
    pub fn scan(&self, from_tail: bool, mut f: impl FnMut(usize, LpValue<'_>) -> bool) {
        let len = self.len();
        if len == 0 {
            return;
        }
        let mut c = self.cursor_at(if from_tail { len - 1 } else { 0 });
        let mut i = 0;
        while let Some(cur) = c {
            let index = if from_tail { len - 1 - i } else { i };
            if !f(index, self.value_at(cur)) {
                return;
            }
            i += 1;
            c = self.cursor_step(cur, !from_tail);
        }
    }

    /// Index of the first element equal to `value` from the head.
    fn find_first(&self, value: &[u8]) -> Option<usize> {
        let mut found = None;
        self.scan(false, |i, v| {
            if v.eq_bytes(value) {
                found = Some(i);
                false
            } else {
                true
            }
        });
        found
    }

    // ---- writes ----

    /// Pushes `value` at the head (`left`) or the tail. Call [`List::try_convert_growing`]
    /// first, as Redis does before pushing.
    pub fn push(&mut self, value: &[u8], left: bool, fill: i32) {
        match &mut self.repr {
            Repr::Listpack(n) => n.push(value, left),
            Repr::Quicklist(q) => {
                let end = if left { q.nodes.front_mut() } else { q.nodes.back_mut() };
                match end {
                    Some(node) if node.allow_insert(fill, value.len()) => node.push(value, left),
                    _ => {
                        let node = Node::with(value, is_large_element(value.len(), fill));
                        if left {
                            q.nodes.push_front(node);
                        } else {
                            q.nodes.push_back(node);
                        }
                    }
                }
                q.count += 1;
            }
        }
    }

    /// Pops the head (`left`) or tail element. Call [`List::try_convert_shrinking`] after
    /// (when the list is not empty), as Redis does.
    pub fn pop(&mut self, left: bool) -> Option<Vec<u8>> {
        if self.is_empty() {
            return None;
        }
        let i = if left { 0 } else { self.nodes_len() - 1 };
        let v = self.node_mut(i).pop(left);
        self.add_count(-1);
        self.drop_if_empty(i);
        v
    }

    /// Removes `count` elements from index `start` (clamped), as `quicklistDelRange`.
    pub fn remove_range(&mut self, start: usize, count: usize) {
        let len = self.len();
        if start >= len || count == 0 {
            return;
        }
        let mut left = count.min(len - start);
        let (mut ni, mut off) = self.locate(start);
        while left > 0 {
            let node_len = self.node(ni).len();
            let n = left.min(node_len - off);
            if off == 0 && n == node_len && self.is_quicklist() {
                if let Repr::Quicklist(q) = &mut self.repr {
                    q.nodes.remove(ni);
                    q.count -= n;
                }
            } else {
                self.node_mut(ni).remove_range(off, n);
                self.add_count(-(n as isize));
                if !self.drop_if_empty(ni) {
                    ni += 1;
                }
            }
            left -= n;
            off = 0;
        }
    }

    /// Removes elements equal to `value`: up to `limit` of them (0 = all), scanning from the
    /// head, or from the tail when `from_tail`. Returns how many were removed (LREM).
    pub fn remove_matching(&mut self, value: &[u8], limit: usize, from_tail: bool) -> usize {
        let mut removed = 0;
        let n = self.nodes_len();
        let order: Vec<usize> = if from_tail { (0..n).rev().collect() } else { (0..n).collect() };
        let mut emptied = Vec::new();
        'outer: for ni in order {
            let node = self.node_mut(ni);
            let mut p = if from_tail { node.lp.last() } else { node.lp.first() };
            while let Some(pos) = p {
                let hit = node.lp.get_at(pos).eq_bytes(value);
                if from_tail {
                    let prev = node.lp.prev(pos);
                    if hit {
                        node.remove_at(pos);
                    }
                    p = prev;
                } else if hit {
                    p = node.remove_at(pos);
                } else {
                    p = node.lp.next(pos);
                }
                if hit {
                    removed += 1;
                    if node.len() == 0 {
                        emptied.push(ni);
                    }
                    if limit != 0 && removed == limit {
                        break 'outer;
                    }
                }
            }
        }
        self.add_count(-(removed as isize));

        emptied.sort_unstable();
        for ni in emptied.into_iter().rev() {
            self.drop_if_empty(ni);
        }
        removed
    }

    /// Replaces the element at `index` (negative from the tail); false when out of range
    /// (LSET). Call [`List::try_convert_growing`] before and
    /// [`List::try_convert_shrinking`] after, as Redis does.
    pub fn set(&mut self, index: i64, value: &[u8], fill: i32) -> bool {
        let Some(i) = self.normalize(index) else { return false };
        let (ni, off) = self.locate(i);
        let Repr::Quicklist(q) = &mut self.repr else {
            let node = self.node_mut(0);
            if let Some(pos) = node.lp.seek(off as i64) {
                node.replace_at(pos, value);
            }
            return true;
        };
        let large = is_large_element(value.len(), fill);
        let node = &mut q.nodes[ni];
        if !node.plain && !large {
            // quicklistReplaceEntry: a packed node takes the new value in place, whatever
            // its size.
            let Some(pos) = node.lp.seek(off as i64) else { return false };
            node.replace_at(pos, value);
            return true;
        }
        if node.plain && large {
            *node = Node::with(value, true);
            return true;
        }
        if node.plain {
            // A small value replacing a plain node is inserted after it, then the node goes.
            q.count += 1;
            insert_at_entry(&mut q.nodes, ni, 0, value, true, fill);
            q.nodes.remove(ni);
            q.count -= 1;
            return true;
        }
        // A large value into a packed node: split after the entry, put the value in a plain
        // node after it, delete the old entry, then merge around the new node.
        let split = (off + 1 < node.len()).then(|| node.split_off(off + 1));
        q.nodes.insert(ni + 1, Node::with(value, true));
        if let Some(s) = split {
            q.nodes.insert(ni + 2, s);
        }
        if q.nodes[ni].len() == 1 {
            q.nodes.remove(ni);
        } else {
            q.nodes[ni].pop(false);
            merge_around(&mut q.nodes, ni + 1, fill);
        }
        true
    }

    /// Inserts `value` before (or `after`) the first element equal to `pivot` (LINSERT).
    /// Returns false when the pivot is absent. Call [`List::try_convert_growing`] first.
    pub fn insert(&mut self, pivot: &[u8], value: &[u8], after: bool, fill: i32) -> bool {
        let Some(index) = self.find_first(pivot) else { return false };
        let (ni, off) = self.locate(index);
        let Repr::Quicklist(q) = &mut self.repr else {
            let node = self.node_mut(0);
            node.lp.insert(off + usize::from(after), value);
            node.sz += lp_entry_bytes(value);
            return true;
        };
        q.count += 1;
        insert_at_entry(&mut q.nodes, ni, off, value, after, fill);
        true
    }
}

/// `_quicklistInsert`: inserts `value` before (or `after`) entry `off` of node `ni`: into
/// that node when it has room, else into the neighbouring node at the matching end when that
/// one has room, else into a new node between them, else by splitting the node (and merging
/// what can be merged afterwards).
fn insert_at_entry(
    nodes: &mut VecDeque<Node>,
    ni: usize,
    off: usize,
    value: &[u8],
    after: bool,
    fill: i32,
) {
    let len = value.len();
    let full = !nodes[ni].allow_insert(fill, len);
    let at_tail = after && off + 1 == nodes[ni].len();
    let at_head = !after && off == 0;
    let avail_next = at_tail && ni + 1 < nodes.len() && nodes[ni + 1].allow_insert(fill, len);
    let avail_prev = at_head && ni > 0 && nodes[ni - 1].allow_insert(fill, len);
    if is_large_element(len, fill) {
        // A large element gets a plain node of its own, next to the entry's node or
        // between its two halves.
        let node = Node::with(value, true);
        if nodes[ni].plain || at_tail || at_head {
            nodes.insert(if after { ni + 1 } else { ni }, node);
        } else {
            insert_split(nodes, ni, off, after, node);
        }
    } else if !full {
        let node = &mut nodes[ni];
        let pos = if after {
            node.lp.seek(off as i64 + 1).unwrap_or(node.lp.bytes_used())
        } else {
            node.lp.seek(off as i64).unwrap_or(0)
        };
        node.insert_at(pos, value);
    } else if avail_next {
        nodes[ni + 1].push(value, true);
    } else if avail_prev {
        nodes[ni - 1].push(value, false);
    } else if at_tail || at_head {
        nodes.insert(if after { ni + 1 } else { ni }, Node::with(value, false));
    } else {
        // Split the full node at the entry, put the value into the new half, then merge
        // around the original node.
        let center = if after {
            let mut tail = nodes[ni].split_off(off + 1);
            tail.push(value, true);
            nodes.insert(ni + 1, tail);
            ni
        } else {
            let rest = nodes[ni].split_off(off);
            let mut head = std::mem::replace(&mut nodes[ni], rest);
            head.push(value, false);
            nodes.insert(ni, head);
            ni + 1
        };
        merge_around(nodes, center, fill);
    }
}

/// Puts `node` next to entry `off` of node `ni`, splitting that node when the entry is not at
/// the matching end.
fn insert_split(nodes: &mut VecDeque<Node>, ni: usize, off: usize, after: bool, node: Node) {
    let cut = if after { off + 1 } else { off };
    if cut == 0 {
        nodes.insert(ni, node);
    } else if cut >= nodes[ni].len() {
        nodes.insert(ni + 1, node);
    } else {
        let tail = nodes[ni].split_off(cut);
        nodes.insert(ni + 1, node);
        nodes.insert(ni + 2, tail);
    }
}

/// `_quicklistMergeNodes`: tries to merge the two nodes before `center`, the two after it,
/// then `center` with its previous and the result with its next. Returns the index of the
/// node that holds `center`'s entries.
fn merge_around(nodes: &mut VecDeque<Node>, center: usize, fill: i32) -> usize {
    let mut center = center;
    // prev_prev + prev
    if center >= 2 && nodes[center - 2].allow_merge(&nodes[center - 1], fill) {
        let b = nodes.remove(center - 1).unwrap_or_default();
        nodes[center - 2].append(&b);
        center -= 1;
    }
    // next + next_next
    if center + 2 < nodes.len() && nodes[center + 1].allow_merge(&nodes[center + 2], fill) {
        let b = nodes.remove(center + 2).unwrap_or_default();
        nodes[center + 1].append(&b);
    }
    // prev + center
    if center >= 1 && nodes[center - 1].allow_merge(&nodes[center], fill) {
        let b = nodes.remove(center).unwrap_or_default();
        nodes[center - 1].append(&b);
        center -= 1;
    }
    // target + next
    if center + 1 < nodes.len() && nodes[center].allow_merge(&nodes[center + 1], fill) {
        let b = nodes.remove(center + 1).unwrap_or_default();
        nodes[center].append(&b);
    }
    center
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Checks the bookkeeping: counts, Redis byte sizes, no empty quicklist node.
    fn check(l: &List) {
        let mut total = 0;
        for i in 0..l.nodes_len() {
            let n = l.node(i);
            let sz = LP_EMPTY_BYTES + n.lp.iter().map(lpvalue_bytes).sum::<usize>();
            assert_eq!(n.sz, sz, "node {i} size");
            if l.is_quicklist() {
                assert!(n.len() > 0, "empty node {i}");
            }
            total += n.len();
        }
        assert_eq!(l.len(), total);
    }

    #[test]
    fn random_operations_match_a_vecdeque() {
        let mut seed: u64 = 42;
        let mut rnd = move |n: u64| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed % n
        };
        for fill in [1, 2, 3, 7, -1, -2, 0] {
            let mut l = List::new();
            let mut m: VecDeque<Vec<u8>> = VecDeque::new();
            for _ in 0..3000 {
                let v: Vec<u8> = match rnd(4) {
                    0 => rnd(300).to_string().into_bytes(),
                    1 => vec![b'a' + rnd(3) as u8; 1 + rnd(3) as usize],
                    2 => vec![b'z'; 100 + rnd(3000) as usize],
                    _ => format!("s{}", rnd(10)).into_bytes(),
                };
                match rnd(9) {
                    0 | 1 => {
                        let left = rnd(2) == 0;
                        l.try_convert_growing(fill, v.len(), 1);
                        l.push(&v, left, fill);
                        if left {
                            m.push_front(v);
                        } else {
                            m.push_back(v);
                        }
                    }
                    2 => {
                        let left = rnd(2) == 0;
                        let got = l.pop(left);
                        let want = if left { m.pop_front() } else { m.pop_back() };
                        assert_eq!(got, want);
                        l.try_convert_shrinking(fill);
                    }
                    3 if !m.is_empty() => {
                        let i = rnd(m.len() as u64) as usize;
                        l.try_convert_growing(fill, v.len(), 1);
                        assert!(l.set(i as i64, &v, fill));
                        m[i] = v;
                        l.try_convert_shrinking(fill);
                    }
                    4 if !m.is_empty() => {
                        let pivot = m[rnd(m.len() as u64) as usize].clone();
                        let after = rnd(2) == 0;
                        l.try_convert_growing(fill, v.len(), 1);
                        assert!(l.insert(&pivot, &v, after, fill));
                        let p = m.iter().position(|x| *x == pivot).unwrap();
                        m.insert(p + usize::from(after), v);
                    }
                    5 if !m.is_empty() => {
                        let target = m[rnd(m.len() as u64) as usize].clone();
                        let limit = rnd(3) as usize;
                        let from_tail = rnd(2) == 0;
                        let removed = l.remove_matching(&target, limit, from_tail);
                        let mut v: Vec<Vec<u8>> = m.drain(..).collect();
                        if from_tail {
                            v.reverse();
                        }
                        let mut n = 0;
                        v.retain(|x| {
                            if *x == target && (limit == 0 || n < limit) {
                                n += 1;
                                false
                            } else {
                                true
                            }
                        });
                        if from_tail {
                            v.reverse();
                        }
                        m = v.into();
                        assert_eq!(removed, n);
                        l.try_convert_shrinking(fill);
                    }
                    6 if !m.is_empty() => {
                        let start = rnd(m.len() as u64) as usize;
                        let count = rnd(4) as usize;
                        l.remove_range(start, count);
                        let end = (start + count).min(m.len());
                        m.drain(start..end);
                        l.try_convert_shrinking(fill);
                    }
                    _ => {
                        if !m.is_empty() {
                            let i = rnd(m.len() as u64) as i64;
                            assert_eq!(l.get(i).unwrap().to_vec(), m[i as usize]);
                            assert_eq!(
                                l.get(-1 - i).unwrap().to_vec(),
                                m[m.len() - 1 - i as usize]
                            );
                        }
                    }
                }
                check(&l);
                assert_eq!(l.len(), m.len());
            }
            assert_eq!(l.to_vec(), m.iter().cloned().collect::<Vec<_>>());
        }
    }

    fn push_all(l: &mut List, items: &[&[u8]], left: bool, fill: i32) {
        let bytes = items.iter().map(|v| v.len()).sum();
        l.try_convert_growing(fill, bytes, items.len());
        for v in items {
            l.push(v, left, fill);
        }
    }

    fn strs(l: &List) -> Vec<String> {
        l.to_vec().into_iter().map(|v| String::from_utf8(v).unwrap()).collect()
    }

    #[test]
    fn redis_entry_sizes() {
        assert_eq!(lp_entry_bytes(b"1"), 2);
        assert_eq!(lp_entry_bytes(b"127"), 2);
        assert_eq!(lp_entry_bytes(b"128"), 3);
        assert_eq!(lp_entry_bytes(b"-4096"), 3);
        assert_eq!(lp_entry_bytes(b"32767"), 4);
        assert_eq!(lp_entry_bytes(b"8388607"), 5);
        assert_eq!(lp_entry_bytes(b"2147483647"), 6);
        assert_eq!(lp_entry_bytes(b"9223372036854775807"), 10);
        assert_eq!(lp_entry_bytes(b"a"), 3);
        assert_eq!(lp_entry_bytes(&[b'x'; 63]), 65);
        assert_eq!(lp_entry_bytes(&[b'x'; 64]), 67);
        assert_eq!(lp_entry_bytes(&[b'x'; 200]), 204);
        assert_eq!(lp_entry_bytes(&[b'x'; 5000]), 5007);
    }

    #[test]
    fn limits() {
        assert_eq!(node_limit(-2), (8192, usize::MAX));
        assert_eq!(node_limit(-9), (65536, usize::MAX));
        assert_eq!(node_limit(0), (usize::MAX, 1));
        assert_eq!(node_limit(128), (usize::MAX, 128));
        assert!(exceeds_limit(3, 100, 4));
        assert!(!exceeds_limit(3, 100, 3));
        assert!(exceeds_limit(3, 9000, 1));
    }

    #[test]
    fn count_fill_converts_and_back() {
        let mut l = List::new();
        push_all(&mut l, &[b"a", b"b", b"c"], false, 3);
        assert_eq!(l.encoding_name(), "listpack");
        push_all(&mut l, &[b"d"], false, 3);
        assert_eq!(l.encoding_name(), "quicklist");
        assert_eq!(l.node_count(), 2);
        assert_eq!(strs(&l), ["a", "b", "c", "d"]);
        // RPOP 3: nodes [a b c][d] -> [a]
        for _ in 0..3 {
            l.pop(false);
        }
        l.try_convert_shrinking(3);
        assert_eq!(l.encoding_name(), "listpack");
        assert_eq!(strs(&l), ["a"]);
    }

    #[test]
    fn size_fill_converts() {
        let mut l = List::new();
        push_all(&mut l, &[b"a", b"b", b"c"], false, -1);
        let big = vec![b'x'; 5000];
        push_all(&mut l, &[&big], false, -1);
        assert_eq!(l.encoding_name(), "quicklist");
        assert_eq!(l.node_count(), 2);
        assert_eq!(l.pop(false).unwrap(), big);
        l.try_convert_shrinking(-1);
        assert_eq!(l.encoding_name(), "listpack");
    }

    #[test]
    fn many_nodes_index_set_insert_remove() {
        let fill = 4;
        let mut l = List::new();
        let mut model: Vec<Vec<u8>> = Vec::new();
        for i in 0..50 {
            let v = format!("v{i}").into_bytes();
            l.try_convert_growing(fill, v.len(), 1);
            l.push(&v, i % 2 == 0, fill);
            if i % 2 == 0 {
                model.insert(0, v);
            } else {
                model.push(v);
            }
        }
        assert!(l.node_count() >= 13);
        assert_eq!(l.to_vec(), model);
        for i in 0..50i64 {
            assert_eq!(l.get(i).unwrap().to_vec(), model[i as usize]);
            assert_eq!(l.get(-1 - i).unwrap().to_vec(), model[49 - i as usize]);
        }
        assert!(l.set(10, b"X", fill));
        model[10] = b"X".to_vec();
        assert!(l.insert(b"v7", b"Y", true, fill));
        let p = model.iter().position(|v| v == b"v7").unwrap();
        model.insert(p + 1, b"Y".to_vec());
        assert!(l.insert(b"v8", b"Z", false, fill));
        let p = model.iter().position(|v| v == b"v8").unwrap();
        model.insert(p, b"Z".to_vec());
        assert_eq!(l.to_vec(), model);
        assert_eq!(l.len(), model.len());
        l.remove_range(3, 20);
        model.drain(3..23);
        assert_eq!(l.to_vec(), model);
        assert_eq!(l.len(), model.len());
        assert_eq!(l.remove_matching(b"X", 0, true), 0);
        let target = model[5].clone();
        assert_eq!(l.remove_matching(&target, 0, false), 1);
        model.retain(|v| *v != target);
        assert_eq!(l.to_vec(), model);
        assert_eq!(l.len(), model.len());
    }

    #[test]
    fn lset_replaces_in_full_node() {
        let fill = -1;
        let mut l = List::new();
        let big = vec![b'q'; 3000];
        for _ in 0..3 {
            l.try_convert_growing(fill, big.len(), 1);
            l.push(&big, false, fill);
        }
        assert!(l.is_quicklist());
        let other = vec![b'r'; 3500];
        l.try_convert_growing(fill, other.len(), 1);
        assert!(l.set(1, &other, fill));
        assert_eq!(l.to_vec(), vec![big.clone(), other, big]);
        assert_eq!(l.len(), 3);
    }

    #[test]
    fn from_nodes_keeps_nodes_and_converts_a_single_small_one() {
        let lp = |items: &[&[u8]]| {
            let mut lp = ListPack::new();
            for i in items {
                lp.push_back(i);
            }
            lp
        };
        // Two packed nodes and a plain one, as a loaded RDB_TYPE_LIST_QUICKLIST_2: kept as is
        // (empty nodes dropped), with Redis's node sizes.
        let big = vec![b'p'; 10000];
        let l = List::from_nodes(
            vec![
                (lp(&[b"a", b"1"]), false),
                (lp(&[]), false),
                (lp(&[&big]), true),
                (lp(&[b"z"]), false),
            ],
            -2,
        );
        check(&l);
        assert_eq!(l.encoding_name(), "quicklist");
        assert_eq!(l.node_lengths(), vec![2, 1, 1]);
        assert_eq!(l.to_vec(), vec![b"a".to_vec(), b"1".to_vec(), big, b"z".to_vec()]);
        let mut seen = Vec::new();
        l.for_each_node(|lp, plain| seen.push((lp.len(), plain)));
        assert_eq!(seen, vec![(2, false), (1, true), (1, false)]);
        // A single packed node within the limit becomes a listpack; over it, it stays.
        let l = List::from_nodes(vec![(lp(&[b"a", b"b", b"c"]), false)], -2);
        assert_eq!(l.encoding_name(), "listpack");
        let l = List::from_nodes(vec![(lp(&[b"a", b"b", b"c"]), false)], 2);
        assert_eq!(l.encoding_name(), "quicklist");
        // Elements pushed one by one (older RDB types), then converted after the load.
        let mut l = List::from_nodes(Vec::new(), -2);
        for i in 0..10 {
            l.push(format!("e{i}").as_bytes(), false, -2);
        }
        l.convert_after_load(-2);
        assert_eq!(l.encoding_name(), "listpack");
        assert_eq!(l.len(), 10);
    }
}
