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
