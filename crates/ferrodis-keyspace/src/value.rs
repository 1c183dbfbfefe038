//! Values stored in the keyspace and their encodings.
//!
//! `OBJECT ENCODING` reports Redis's names (`int`, `embstr`, `raw`, ...); how bytes are laid
//! out is ours. Strings follow `src/object.c`: a string that parses as a 64-bit integer is
//! `int`, a short one (at most 44 bytes) is `embstr`, and anything longer, or any string that
//! was modified in place by APPEND, SETRANGE or SETBIT, is `raw`. A string Redis creates
//! without trying the `int` encoding (INCRBYFLOAT's result, `createStringObjectFromLongDouble`)
//! is `embstr` even when it reads as an integer: [`Value::string_no_int`].

use crate::bytes::CompactBytes;
use crate::num::parse_i64;
use crate::types::set::{IntSetContent, SetView, SmallIntSet, StoredSet};
use crate::types::{Hash, List, Set, ZSet};
use std::borrow::Cow;

/// Longest string Redis stores as `embstr` (`OBJ_ENCODING_EMBSTR_SIZE_LIMIT`).
pub const EMBSTR_SIZE_LIMIT: usize = 44;

/// A stored value.
#[derive(Clone, Debug)]
pub enum Value {
    /// A string set as a whole (SET, INCR, ...).
    Str(CompactBytes),
    /// A string modified in place (APPEND, SETRANGE, SETBIT): keeps spare capacity so repeated
    /// appends are amortised, like an sds with free space.
    RawStr(Box<Vec<u8>>),
    /// A string set as a whole that reads as an integer but is not `int`-encoded
    /// ([`Value::string_no_int`]): `embstr` (it is at most 20 bytes). Boxed so that `Value`
    /// stays 24 bytes and a dict node 64.
    NoIntStr(Box<[u8]>),
    /// A list (`listpack` or `quicklist`).
    List(Box<List>),
    /// A hash (`listpack` or `hashtable`), unboxed: `Hash` is 16 bytes and holds the
    /// listpack's bytes directly, so a small hash costs one allocation.
    Hash(Hash),
    /// A set (`intset`, `listpack` or `hashtable`).
    Set(Box<Set>),
    /// A small intset (at most 21 bytes of packed integers: ten 16-bit members) kept inline,
    /// without the set's allocation; `intset` for OBJECT ENCODING. Read any set through
    /// [`Value::as_set`]; store one with [`Value::set`], which picks this form when it fits.
    SmallSet(SmallIntSet),
    /// A bigger intset kept as its packed content alone (no boxed [`Set`] around it); `intset`
    /// for OBJECT ENCODING.
    IntSet(IntSetContent),
    /// A sorted set (`listpack` or `skiplist`).
    ZSet(ZSet),
}

/// The type of a value, as TYPE names it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ValueType {
    /// `string`
    String,
    /// `list`
    List,
    /// `set`
    Set,
    /// `zset`
    ZSet,
    /// `hash`
    Hash,
    /// `stream`
    Stream,
}

impl ValueType {
    /// The name TYPE replies with.
    pub fn name(self) -> &'static str {
        match self {
            ValueType::String => "string",
            ValueType::List => "list",
            ValueType::Set => "set",
            ValueType::ZSet => "zset",
            ValueType::Hash => "hash",
            ValueType::Stream => "stream",
        }
    }

    /// Parses a type name as SCAN's TYPE option takes it (case-insensitive).
    pub fn from_name(name: &[u8]) -> Option<ValueType> {
        let lower = name.to_ascii_lowercase();
        Some(match &lower[..] {
            b"string" => ValueType::String,
            b"list" => ValueType::List,
            b"set" => ValueType::Set,
            b"zset" => ValueType::ZSet,
            b"hash" => ValueType::Hash,
            b"stream" => ValueType::Stream,
            _ => return None,
        })
    }
}

impl Value {
    /// A string value holding a copy of `bytes`.
    pub fn string(bytes: &[u8]) -> Value {
        Value::Str(CompactBytes::new(bytes))
    }

    /// A string value taking ownership of `bytes`.
    pub fn string_from_vec(bytes: Vec<u8>) -> Value {
        Value::Str(CompactBytes::from_vec(bytes))
    }

    /// A string value holding a copy of `bytes` that is never `int`-encoded: `embstr` up to
    /// 44 bytes, `raw` beyond, as Redis's `createStringObject` (no `tryObjectEncoding`) makes
    /// it. INCRBYFLOAT stores its result this way.
    pub fn string_no_int(bytes: &[u8]) -> Value {
        if bytes.len() <= 20 && parse_i64(bytes).is_some() {
            Value::NoIntStr(bytes.into())
        } else {
            // By content these are `embstr` or `raw` already.
            Value::string(bytes)
        }
    }

    /// A set value: inline when it is a small intset ([`Value::SmallSet`]), boxed otherwise.
    pub fn set(set: Set) -> Value {
        match set.into_stored() {
            StoredSet::Small(small) => Value::SmallSet(small),
            StoredSet::Ints(content) => Value::IntSet(content),
            StoredSet::Boxed(set) => Value::Set(set),
        }
    }

    /// The set held by a set value, whichever form it is stored in (an intset kept in the
    /// value is copied out); `None` for other types. [`Value::set_view`] copies nothing.
    pub fn as_set(&self) -> Option<Cow<'_, Set>> {
        match self {
            Value::Set(s) => Some(Cow::Borrowed(&**s)),
            Value::SmallSet(small) => Some(Cow::Owned(small.to_set())),
            Value::IntSet(content) => Some(Cow::Owned(content.clone().into_set())),
            _ => None,
        }
    }

    /// A read-only view of a set value, whichever form it is stored in; `None` for other
    /// types.
    pub fn set_view(&self) -> Option<SetView<'_>> {
        match self {
            Value::Set(s) => Some(s.view()),
            Value::SmallSet(small) => Some(SetView::Ints(small.ints())),
            Value::IntSet(content) => Some(SetView::Ints(content.ints())),
            _ => None,
        }
    }

    /// Takes a set value out as an owned [`Set`] (moving its content, no copy), leaving an
    /// empty set in its place to be overwritten with [`Value::set`]; `None` for other types.
    pub fn take_set(&mut self) -> Option<Set> {
        if self.value_type() != ValueType::Set {
            return None;
        }
        Some(match std::mem::replace(self, Value::SmallSet(SmallIntSet::EMPTY)) {
            Value::Set(s) => *s,
            Value::SmallSet(small) => small.to_set(),
            Value::IntSet(content) => content.into_set(),
            _ => return None,
        })
    }

    /// The value's type.
    pub fn value_type(&self) -> ValueType {
        match self {
            Value::Str(_) | Value::RawStr(_) | Value::NoIntStr(_) => ValueType::String,
            Value::List(_) => ValueType::List,
            Value::Hash(_) => ValueType::Hash,
            Value::Set(_) | Value::SmallSet(_) | Value::IntSet(_) => ValueType::Set,
            Value::ZSet(_) => ValueType::ZSet,
        }
    }

    /// The bytes of a string value, or `None` for other types.
    pub fn as_string(&self) -> Option<&[u8]> {
        match self {
            Value::Str(b) => Some(b.as_slice()),
            Value::RawStr(v) => Some(v.as_slice()),
            Value::NoIntStr(b) => Some(b),
            _ => None,
        }
    }

    /// A string value's bytes for in-place modification; converts it to the `raw` encoding,
    /// as Redis's `dbUnshareStringValue` does. `None` for other types.
    pub fn string_mut(&mut self) -> Option<&mut Vec<u8>> {
        match self {
            Value::Str(b) => *self = Value::RawStr(Box::new(b.as_slice().to_vec())),
            Value::NoIntStr(b) => *self = Value::RawStr(Box::new(b.to_vec())),
            Value::RawStr(_) => {}
            _ => return None,
        }
        match self {
            Value::RawStr(v) => Some(v),
            _ => None,
        }
    }

    /// The encoding name OBJECT ENCODING reports.
    pub fn encoding_name(&self) -> &'static str {
        match self {
            Value::Str(b) => {
                if b.len() <= 20 && parse_i64(b).is_some() {
                    "int"
                } else if b.len() <= EMBSTR_SIZE_LIMIT {
                    "embstr"
                } else {
                    "raw"
                }
            }
            Value::NoIntStr(_) => "embstr",
            Value::RawStr(_) => "raw",
            Value::List(v) => v.encoding_name(),
            Value::Hash(v) => v.encoding_name(),
            Value::Set(v) => v.encoding_name(),
            Value::SmallSet(_) | Value::IntSet(_) => "intset",
            Value::ZSet(v) => v.encoding_name(),
        }
    }

    /// Heap bytes owned by the value beyond its inline part, for MEMORY USAGE.
    pub fn heap_bytes(&self) -> usize {
        match self {
            Value::Str(b) => b.heap_bytes(),
            Value::RawStr(v) => std::mem::size_of::<Vec<u8>>() + v.capacity(),
            Value::NoIntStr(b) => b.len(),
            Value::List(v) => std::mem::size_of::<List>() + v.heap_bytes(),
            Value::Hash(v) => v.heap_bytes(),
            Value::Set(v) => std::mem::size_of::<Set>() + v.heap_bytes(),
            Value::SmallSet(_) => 0,
            Value::IntSet(content) => content.heap_bytes(),
            Value::ZSet(v) => v.heap_bytes(),
        }
    }
}
