//! The `zset` type: its encodings and operations. Work in progress under issue 3.

/// A zset value.
#[derive(Clone, Debug, Default)]
pub struct ZSet {}

impl ZSet {
    /// Number of elements.
    pub fn len(&self) -> usize {
        0
    }

    /// True when empty (an empty collection is never stored: the key is deleted).
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The encoding name OBJECT ENCODING reports.
    pub fn encoding_name(&self) -> &'static str {
        "listpack"
    }

    /// Heap bytes owned, for MEMORY USAGE.
    pub fn heap_bytes(&self) -> usize {
        0
    }
}
