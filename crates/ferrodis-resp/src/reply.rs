//! Semantic replies: what a command answers, independent of the protocol version.
//!
//! A handler says "a map" or "a double"; [`crate::encode`] decides the bytes for the
//! connection's RESP version, as Redis's `addReplyMapLen`, `addReplyDouble` and `addReplyNull`
//! do in `src/networking.c`.

use bytes::Bytes;
use std::borrow::Cow;

/// One reply, by meaning.
#[derive(Debug, Clone, PartialEq)]
pub enum Reply {
    /// A simple string such as `OK` or `PONG` (`+OK\r\n`).
    Status(Cow<'static, str>),
    /// An error; the text includes its prefix word (`ERR ...`, `WRONGTYPE ...`) and never a
    /// newline.
    Error(Cow<'static, str>),
    /// A signed 64-bit integer (`:42\r\n`).
    Integer(i64),
    /// A binary-safe string (`$3\r\nfoo\r\n`).
    Bulk(Bytes),
    /// The null bulk string: RESP2 `$-1`, RESP3 `_`.
    Null,
    /// The null array: RESP2 `*-1`, RESP3 `_` (BLPOP timeout, aborted EXEC).
    NullArray,
    /// An ordered array.
    Array(Vec<Reply>),
    /// An ordered array of bulk strings packed in one buffer: the same bytes on the wire as
    /// an `Array` of `Bulk`s in both RESP versions, built without an allocation or a
    /// reference count per element (LRANGE of hundreds of elements).
    Bulks(BulkList),
    /// Key/value pairs: RESP3 `%`, RESP2 a flat array of twice the length.
    Map(Vec<(Reply, Reply)>),
    /// An unordered collection: RESP3 `~`, RESP2 an array.
    Set(Vec<Reply>),
    /// A double: RESP3 `,`, RESP2 a bulk string, both formatted as Redis 7.2 does.
    Double(f64),
    /// A double in Redis's "human" long double text (`addReplyHumanLongDouble`: `%.17Lf`
    /// with trailing zeros and a trailing dot removed, `-0` as `0`): RESP2 a bulk string,
    /// RESP3 a `,` double. GEOPOS and the WITHCOORD replies use it.
    HumanDouble(f64),
    /// A boolean: RESP3 `#t`/`#f`, RESP2 the integer 1 or 0.
    Boolean(bool),
    /// A big number in decimal: RESP3 `(`, RESP2 a bulk string.
    BigNumber(String),
    /// A verbatim string with a three-letter format (`txt`, `mkd`): RESP3 `=`, RESP2 a bulk
    /// string of the text alone.
    Verbatim(&'static str, Bytes),
    /// Out-of-band data such as pub/sub messages: RESP3 `>`, RESP2 an array.
    Push(Vec<Reply>),
    /// Several replies written one after another as separate frames: SUBSCRIBE with several
    /// channels answers one confirmation per channel (Redis's `addReplyPubsubSubscribed`
    /// called once per channel).
    Frames(Vec<Reply>),
}

/// Byte strings stored back to back, with where each ends; see [`Reply::Bulks`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BulkList {
    data: Vec<u8>,
    ends: Vec<usize>,
}

impl BulkList {
    /// An empty list with room for `count` elements.
    pub fn with_capacity(count: usize) -> BulkList {
        BulkList { data: Vec::new(), ends: Vec::with_capacity(count) }
    }

    /// Appends one element.
    pub fn push(&mut self, bytes: &[u8]) {
        self.data.extend_from_slice(bytes);
        self.ends.push(self.data.len());
    }

    /// Number of elements.
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    /// True when there are no elements.
    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// Total bytes of the elements.
    pub fn data_len(&self) -> usize {
        self.data.len()
    }

    /// The elements in order.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = &[u8]> + '_ {
        self.ends.iter().enumerate().map(|(i, &end)| {
            let start = if i == 0 { 0 } else { self.ends[i - 1] };
            &self.data[start..end]
        })
    }

    /// The same reply as an `Array` of `Bulk`s.
    pub fn to_replies(&self) -> Vec<Reply> {
        self.iter().map(Reply::bulk).collect()
    }
}

impl Reply {
    /// `+OK`.
    pub const OK: Reply = Reply::Status(Cow::Borrowed("OK"));

    /// A status reply from a static string.
    pub const fn status(s: &'static str) -> Reply {
        Reply::Status(Cow::Borrowed(s))
    }

    /// An error reply from its full text, prefix included (`ERR syntax error`).
    pub fn error(text: impl Into<Cow<'static, str>>) -> Reply {
        Reply::Error(text.into())
    }

    /// A bulk string copied from a byte slice.
    pub fn bulk(bytes: &[u8]) -> Reply {
        Reply::Bulk(Bytes::copy_from_slice(bytes))
    }

    /// A bulk string from a static byte slice, without copying.
    pub const fn bulk_static(bytes: &'static [u8]) -> Reply {
        Reply::Bulk(Bytes::from_static(bytes))
    }

    /// A bulk string holding the decimal form of an integer.
    pub fn bulk_int(n: i64) -> Reply {
        let mut b = itoa::Buffer::new();
        Reply::bulk(b.format(n).as_bytes())
    }

    /// A bulk string or null, from an optional byte slice.
    pub fn bulk_or_null(bytes: Option<&[u8]>) -> Reply {
        bytes.map_or(Reply::Null, Reply::bulk)
    }

    /// True for an error reply.
    pub fn is_error(&self) -> bool {
        matches!(self, Reply::Error(_))
    }
}

impl From<i64> for Reply {
    fn from(n: i64) -> Self {
        Reply::Integer(n)
    }
}

impl From<Bytes> for Reply {
    fn from(b: Bytes) -> Self {
        Reply::Bulk(b)
    }
}

impl From<Vec<u8>> for Reply {
    fn from(b: Vec<u8>) -> Self {
        Reply::Bulk(Bytes::from(b))
    }
}
