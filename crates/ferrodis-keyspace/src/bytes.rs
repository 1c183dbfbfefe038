//! `CompactBytes`: a binary-safe byte string stored inline when short.
//!
//! Keys and short string values live inside the dictionary node itself (no second allocation)
//! up to [`INLINE_CAP`] bytes, the way Redis's `embstr` keeps short strings next to their
//! object header. Longer strings are one boxed slice with no spare capacity.

use std::borrow::Borrow;
use std::fmt;

/// Longest byte string stored inline (the type is 24 bytes in all).
pub const INLINE_CAP: usize = 22;

/// An immutable byte string of at most 24 bytes of overhead, inline up to [`INLINE_CAP`] bytes.
#[derive(Clone)]
pub enum CompactBytes {
    /// Short strings: `len` bytes of `buf` are used.
    Inline { len: u8, buf: [u8; INLINE_CAP] },
    /// Longer strings, boxed.
    Heap(Box<[u8]>),
}

impl CompactBytes {
    /// Copies `bytes` into a new value.
    pub fn new(bytes: &[u8]) -> Self {
        if bytes.len() <= INLINE_CAP {
            let mut buf = [0u8; INLINE_CAP];
            buf[..bytes.len()].copy_from_slice(bytes);
            CompactBytes::Inline { len: bytes.len() as u8, buf }
        } else {
            CompactBytes::Heap(bytes.into())
        }
    }

    /// Takes ownership of `bytes`, moving short strings inline.
    pub fn from_vec(bytes: Vec<u8>) -> Self {
        if bytes.len() <= INLINE_CAP {
            Self::new(&bytes)
        } else {
            CompactBytes::Heap(bytes.into_boxed_slice())
        }
    }

    /// The bytes.
    #[inline]
    pub fn as_slice(&self) -> &[u8] {
        match self {
            CompactBytes::Inline { len, buf } => &buf[..usize::from(*len)],
            CompactBytes::Heap(b) => b,
        }
    }

    /// Length in bytes.
    #[inline]
    pub fn len(&self) -> usize {
        match self {
            CompactBytes::Inline { len, .. } => usize::from(*len),
            CompactBytes::Heap(b) => b.len(),
        }
    }

    /// True for the empty string.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Heap bytes owned beyond the value itself (0 when inline), for memory accounting.
    pub fn heap_bytes(&self) -> usize {
        match self {
            CompactBytes::Inline { .. } => 0,
            CompactBytes::Heap(b) => b.len(),
        }
    }
}

impl std::ops::Deref for CompactBytes {
    type Target = [u8];
    fn deref(&self) -> &[u8] {
        self.as_slice()
    }
}

impl Borrow<[u8]> for CompactBytes {
    fn borrow(&self) -> &[u8] {
        self.as_slice()
    }
}

impl PartialEq for CompactBytes {
    fn eq(&self, other: &Self) -> bool {
        self.as_slice() == other.as_slice()
    }
}

impl Eq for CompactBytes {}

impl fmt::Debug for CompactBytes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?}", String::from_utf8_lossy(self.as_slice()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inline_and_heap_round_trip() {
        assert_eq!(std::mem::size_of::<CompactBytes>(), 24);
        for len in [0, 1, INLINE_CAP, INLINE_CAP + 1, 1000] {
            let data: Vec<u8> = (0..len).map(|i| i as u8).collect();
            let c = CompactBytes::new(&data);
            assert_eq!(c.as_slice(), &data[..]);
            assert_eq!(c.len(), len);
            assert_eq!(matches!(c, CompactBytes::Inline { .. }), len <= INLINE_CAP);
            assert_eq!(CompactBytes::from_vec(data.clone()).as_slice(), &data[..]);
        }
    }
}
