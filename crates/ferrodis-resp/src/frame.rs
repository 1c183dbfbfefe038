//! Request framing: turns the bytes a client sent into command argument vectors.
//!
//! Follows `processInputBuffer`, `processMultibulkBuffer` and `processInlineBuffer` in Redis
//! 7.2's `src/networking.c`: a buffer whose first byte is `*` holds a multibulk request, any
//! other byte starts an inline request (`PING\r\n`, telnet use). Parsing is incremental: a
//! partial request is kept in the parser's state and never re-scanned, so a 512 MB bulk string
//! costs one pass.
//!
//! Errors carry Redis's exact texts; after one, the connection must write the error reply and
//! close, as Redis does with `CLIENT_CLOSE_AFTER_REPLY`.

use bytes::{Buf, Bytes, BytesMut};

/// The longest inline request, or multibulk/bulk length line, accepted without a newline
/// (Redis's `PROTO_INLINE_MAX_SIZE`, 64 KiB).
pub const PROTO_INLINE_MAX_SIZE: usize = 64 * 1024;

/// The largest multibulk count an unauthenticated client may send (Redis's hard-coded 10).
const UNAUTHENTICATED_MAX_MULTIBULK: i64 = 10;

/// The largest bulk length an unauthenticated client may send (Redis's hard-coded 16384).
const UNAUTHENTICATED_MAX_BULK: i64 = 16384;

/// Limits that apply to the next request, read from the server config and client state.
#[derive(Debug, Clone, Copy)]
pub struct FrameLimits {
    /// `proto-max-bulk-len`, in bytes (default 512 MB).
    pub proto_max_bulk_len: u64,
    /// True while the client still has to authenticate: Redis then limits multibulk
    /// counts to 10 and bulk lengths to 16384 bytes.
    pub auth_required: bool,
}

impl Default for FrameLimits {
    fn default() -> Self {
        FrameLimits { proto_max_bulk_len: 512 * 1024 * 1024, auth_required: false }
    }
}

/// A malformed request. `Display` gives the exact text Redis replies with, without the leading
/// `-ERR ` (for example `Protocol error: invalid bulk length`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProtocolError {
    /// A `*<count>` line longer than 64 KiB without a newline.
    TooBigMultibulkCount,
    /// A `*<count>` that is not an integer or exceeds `i32::MAX`.
    InvalidMultibulkLength,
    /// More than 10 arguments before authentication.
    UnauthenticatedMultibulkLength,
    /// A `$<len>` line longer than 64 KiB without a newline.
    TooBigBulkCount,
    /// A bulk header that does not start with `$`; carries the byte found instead.
    ExpectedDollar(u8),
    /// A `$<len>` that is not an integer, is negative or exceeds `proto-max-bulk-len`.
    InvalidBulkLength,
    /// A bulk longer than 16384 bytes before authentication.
    UnauthenticatedBulkLength,
    /// An inline request longer than 64 KiB without a newline.
    TooBigInlineRequest,
    /// An inline request with unbalanced quotes.
    UnbalancedQuotes,
}

impl std::fmt::Display for ProtocolError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ProtocolError::TooBigMultibulkCount => {
                f.write_str("Protocol error: too big mbulk count string")
            }
            ProtocolError::InvalidMultibulkLength => {
                f.write_str("Protocol error: invalid multibulk length")
            }
            ProtocolError::UnauthenticatedMultibulkLength => {
                f.write_str("Protocol error: unauthenticated multibulk length")
            }
            ProtocolError::TooBigBulkCount => {
                f.write_str("Protocol error: too big bulk count string")
            }
            ProtocolError::ExpectedDollar(b) => {
                write!(f, "Protocol error: expected '$', got '{}'", char::from(*b))
            }
            ProtocolError::InvalidBulkLength => f.write_str("Protocol error: invalid bulk length"),
            ProtocolError::UnauthenticatedBulkLength => {
                f.write_str("Protocol error: unauthenticated bulk length")
            }
            ProtocolError::TooBigInlineRequest => {
                f.write_str("Protocol error: too big inline request")
            }
            ProtocolError::UnbalancedQuotes => {
                f.write_str("Protocol error: unbalanced quotes in request")
            }
        }
    }
}

impl std::error::Error for ProtocolError {}

/// Incremental request decoder for one connection.
///
/// Call [`RequestParser::parse`] after every read; it consumes complete requests from the front
/// of the buffer and keeps the state of a partial multibulk request between calls.
#[derive(Debug, Default)]
pub struct RequestParser {
    /// Arguments still to read for the multibulk request in progress (0 = none in progress).
    multibulk_remaining: usize,
    /// Length of the bulk argument whose header was read but whose payload has not arrived.
    bulk_len: Option<usize>,
    /// Arguments read so far for the request in progress.
    args: Vec<Bytes>,
}

impl RequestParser {
    /// Creates a parser with no request in progress.
    pub fn new() -> Self {
        Self::default()
    }

    /// True when part of a request has been consumed but the request is not complete.
    pub fn in_progress(&self) -> bool {
        self.multibulk_remaining > 0
    }

    /// Bytes still needed to finish the bulk argument being read, if one is pending: lets the
    /// connection size its next read for a large value.
    pub fn pending_bulk_bytes(&self) -> Option<usize> {
        self.bulk_len.map(|n| n + 2)
    }

    /// Decodes the next complete request from `buf`, consuming its bytes.
    ///
    /// Returns `Ok(Some(args))` for a request with at least one argument, `Ok(None)` when `buf`
    /// holds no complete request yet (empty requests such as `*0\r\n` or a blank inline line
    /// are skipped, as in Redis), and `Err` for a malformed request, after which the
    /// connection must reply with the error and close.
    pub fn parse(
        &mut self,
        buf: &mut BytesMut,
        limits: &FrameLimits,
    ) -> Result<Option<Vec<Bytes>>, ProtocolError> {
        loop {
            if self.multibulk_remaining == 0 {
                let Some(&first) = buf.first() else { return Ok(None) };
                if first == b'*' {
                    match self.start_multibulk(buf, limits)? {
                        Step::NeedMore => return Ok(None),
                        Step::Empty => continue,
                        Step::Started => {}
                    }
                } else {
                    match parse_inline(buf)? {
                        Inline::NeedMore => return Ok(None),
                        Inline::Empty => continue,
                        Inline::Args(args) => return Ok(Some(args)),
                    }
                }
            }
            if !self.read_bulks(buf, limits)? {
                return Ok(None);
            }
            self.multibulk_remaining = 0;
            return Ok(Some(std::mem::take(&mut self.args)));
        }
    }

    /// Reads the `*<count>\r\n` header.
    fn start_multibulk(
        &mut self,
        buf: &mut BytesMut,
        limits: &FrameLimits,
    ) -> Result<Step, ProtocolError> {
        let Some(cr) = memchr::memchr(b'\r', buf) else {
            if buf.len() > PROTO_INLINE_MAX_SIZE {
                return Err(ProtocolError::TooBigMultibulkCount);
            }
            return Ok(Step::NeedMore);
        };
        // The buffer must also hold the byte after `\r`.
        if cr + 2 > buf.len() {
            return Ok(Step::NeedMore);
        }
        let count = match parse_len(&buf[1..cr]) {
            Some(n) if n <= i64::from(i32::MAX) => n,
            _ => return Err(ProtocolError::InvalidMultibulkLength),
        };
        if count > UNAUTHENTICATED_MAX_MULTIBULK && limits.auth_required {
            return Err(ProtocolError::UnauthenticatedMultibulkLength);
        }
        buf.advance(cr + 2);
        if count <= 0 {
            return Ok(Step::Empty);
        }
        // Bound the up-front allocation: a client may announce far more than it sends.
        let count = count as usize;
        self.multibulk_remaining = count;
        self.args = Vec::with_capacity(count.min(1024));
        Ok(Step::Started)
    }

    /// Reads bulk arguments until the request is complete (true) or the buffer runs dry.
    fn read_bulks(
        &mut self,
        buf: &mut BytesMut,
        limits: &FrameLimits,
    ) -> Result<bool, ProtocolError> {
        while self.args.len() < self.multibulk_remaining {
            let len = match self.bulk_len {
                Some(len) => len,
                None => {
                    let Some(cr) = memchr::memchr(b'\r', buf) else {
                        if buf.len() > PROTO_INLINE_MAX_SIZE {
                            return Err(ProtocolError::TooBigBulkCount);
                        }
                        return Ok(false);
                    };
                    if cr + 2 > buf.len() {
                        return Ok(false);
                    }
                    if buf[0] != b'$' {
                        return Err(ProtocolError::ExpectedDollar(buf[0]));
                    }
                    let len = match parse_len(&buf[1..cr]) {
                        Some(n) if n >= 0 && (n as u64) <= limits.proto_max_bulk_len => n,
                        _ => return Err(ProtocolError::InvalidBulkLength),
                    };
                    if len > UNAUTHENTICATED_MAX_BULK && limits.auth_required {
                        return Err(ProtocolError::UnauthenticatedBulkLength);
                    }
                    buf.advance(cr + 2);
                    let len = len as usize;
                    self.bulk_len = Some(len);
                    len
                }
            };
            if buf.len() < len + 2 {
                return Ok(false);
            }
            let arg = buf.split_to(len).freeze();
            // Like Redis, the two bytes after the payload are skipped without inspection.
            buf.advance(2);
            self.args.push(arg);
            self.bulk_len = None;
        }
        Ok(true)
    }
}

enum Step {
    NeedMore,
    Empty,
    Started,
}

enum Inline {
    NeedMore,
    Empty,
    Args(Vec<Bytes>),
}

/// Parses one inline request (`processInlineBuffer`).
fn parse_inline(buf: &mut BytesMut) -> Result<Inline, ProtocolError> {
    let Some(nl) = memchr::memchr(b'\n', buf) else {
        if buf.len() > PROTO_INLINE_MAX_SIZE {
            return Err(ProtocolError::TooBigInlineRequest);
        }
        return Ok(Inline::NeedMore);
    };
    let line_end = if nl > 0 && buf[nl - 1] == b'\r' { nl - 1 } else { nl };
    let args = split_args(&buf[..line_end]).ok_or(ProtocolError::UnbalancedQuotes)?;
    buf.advance(nl + 1);
    if args.is_empty() {
        return Ok(Inline::Empty);
    }
    Ok(Inline::Args(args.into_iter().map(Bytes::from).collect()))
}

/// Parses a length in a protocol header with Redis's `string2ll` rules: optional `-`, digits,
/// no `+`, no leading zeros, no spaces, at most 20 bytes.
fn parse_len(digits: &[u8]) -> Option<i64> {
    if digits.is_empty() || digits.len() > 20 {
        return None;
    }
    if digits == b"0" {
        return Some(0);
    }
    let (negative, rest) = match digits.split_first() {
        Some((b'-', rest)) => (true, rest),
        _ => (false, digits),
    };
    match rest.first() {
        Some(b'1'..=b'9') => {}
        _ => return None,
    }
    let mut value: i64 = 0;
    for &d in rest {
        if !d.is_ascii_digit() {
            return None;
        }
        let digit = i64::from(d - b'0');
        value = if negative {
            value.checked_mul(10)?.checked_sub(digit)?
        } else {
            value.checked_mul(10)?.checked_add(digit)?
        };
    }
    Some(value)
}

/// Splits a line into arguments with the quoting rules of Redis's `sdssplitargs`.
///
/// Returns `None` for unbalanced quotes, or a closing quote not followed by a space. Inside
/// double quotes `\n \r \t \b \a \\ \"` and `\xHH` are decoded; inside single quotes only `\'`.
pub fn split_args(line: &[u8]) -> Option<Vec<Vec<u8>>> {
    let mut args = Vec::new();
    let mut i = 0;
    let n = line.len();
    loop {
        while i < n && is_space(line[i]) {
            i += 1;
        }
        if i >= n {
            return Some(args);
        }
        let mut current = Vec::new();
        let mut in_double = false;
        let mut in_single = false;
        loop {
            if in_double {
                if i >= n {
                    return None;
                }
                let c = line[i];
                if c == b'\\'
                    && i + 3 < n
                    && line[i + 1] == b'x'
                    && is_hex(line[i + 2])
                    && is_hex(line[i + 3])
                {
                    current.push(hex_val(line[i + 2]) * 16 + hex_val(line[i + 3]));
                    i += 3;
                } else if c == b'\\' && i + 1 < n {
                    i += 1;
                    current.push(match line[i] {
                        b'n' => b'\n',
                        b'r' => b'\r',
                        b't' => b'\t',
                        b'b' => 0x08,
                        b'a' => 0x07,
                        other => other,
                    });
                } else if c == b'"' {
                    // A closing quote must be followed by a space or the end of the line.
                    if i + 1 < n && !is_space(line[i + 1]) {
                        return None;
                    }
                    i += 1;
                    break;
                } else {
                    current.push(c);
                }
            } else if in_single {
                if i >= n {
                    return None;
                }
                let c = line[i];
                if c == b'\\' && i + 1 < n && line[i + 1] == b'\'' {
                    i += 1;
                    current.push(b'\'');
                } else if c == b'\'' {
                    if i + 1 < n && !is_space(line[i + 1]) {
                        return None;
                    }
                    i += 1;
                    break;
                } else {
                    current.push(c);
                }
            } else {
                if i >= n {
                    break;
                }
                match line[i] {
                    b' ' | b'\n' | b'\r' | b'\t' | 0 => {
                        i += 1;
                        break;
                    }
                    b'"' => in_double = true,
                    b'\'' => in_single = true,
                    c => current.push(c),
                }
            }
            i += 1;
        }
        args.push(current);
    }
}

/// C's `isspace` in the "C" locale, which `sdssplitargs` uses: space, \t, \n, \v, \f, \r.
fn is_space(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r')
}

fn is_hex(c: u8) -> bool {
    c.is_ascii_hexdigit()
}

fn hex_val(c: u8) -> u8 {
    match c {
        b'0'..=b'9' => c - b'0',
        b'a'..=b'f' => c - b'a' + 10,
        b'A'..=b'F' => c - b'A' + 10,
        _ => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_all(input: &[u8]) -> (Vec<Vec<Bytes>>, Result<(), ProtocolError>, usize) {
        let mut parser = RequestParser::new();
        let mut buf = BytesMut::from(input);
        let mut out = Vec::new();
        loop {
            match parser.parse(&mut buf, &FrameLimits::default()) {
                Ok(Some(args)) => out.push(args),
                Ok(None) => return (out, Ok(()), buf.len()),
                Err(e) => return (out, Err(e), buf.len()),
            }
        }
    }

    #[test]
    fn multibulk_and_inline_requests_pipeline() {
        let (reqs, res, rest) = parse_all(b"*2\r\n$3\r\nGET\r\n$1\r\nk\r\nPING\r\nECHO \"a b\"\n");
        assert_eq!(res, Ok(()));
        assert_eq!(rest, 0);
        assert_eq!(reqs.len(), 3);
        assert_eq!(reqs[0], vec![Bytes::from_static(b"GET"), Bytes::from_static(b"k")]);
        assert_eq!(reqs[1], vec![Bytes::from_static(b"PING")]);
        assert_eq!(reqs[2], vec![Bytes::from_static(b"ECHO"), Bytes::from_static(b"a b")]);
    }

    #[test]
    fn partial_request_is_resumed_byte_by_byte() {
        let input = b"*3\r\n$3\r\nSET\r\n$3\r\nkey\r\n$5\r\nvalue\r\n";
        let mut parser = RequestParser::new();
        let mut buf = BytesMut::new();
        let mut got = None;
        for &b in input.iter() {
            buf.extend_from_slice(&[b]);
            if let Some(args) = parser.parse(&mut buf, &FrameLimits::default()).unwrap() {
                got = Some(args);
            }
        }
        let args = got.unwrap();
        assert_eq!(args.len(), 3);
        assert_eq!(&args[2][..], b"value");
        assert!(buf.is_empty());
    }

    #[test]
    fn empty_requests_are_skipped() {
        let (reqs, res, _) = parse_all(b"*0\r\n*-1\r\n\r\n   \nPING\r\n");
        assert_eq!(res, Ok(()));
        assert_eq!(reqs, vec![vec![Bytes::from_static(b"PING")]]);
    }

    #[test]
    fn protocol_errors_have_redis_texts() {
        let cases: &[(&[u8], &str)] = &[
            (b"*abc\r\n", "Protocol error: invalid multibulk length"),
            (b"*3000000000\r\n", "Protocol error: invalid multibulk length"),
            (b"*1\r\nfoo\r\n", "Protocol error: expected '$', got 'f'"),
            (b"*1\r\n$-1\r\n", "Protocol error: invalid bulk length"),
            (b"*1\r\n$x\r\n", "Protocol error: invalid bulk length"),
            (b"*1\r\n$600000000\r\n", "Protocol error: invalid bulk length"),
            (b"ECHO \"unbalanced\n", "Protocol error: unbalanced quotes in request"),
        ];
        for (input, text) in cases {
            let (_, res, _) = parse_all(input);
            assert_eq!(
                res.unwrap_err().to_string(),
                *text,
                "input {:?}",
                String::from_utf8_lossy(input)
            );
        }
    }

    #[test]
    fn oversized_lines_without_newline_are_refused() {
        let mut big = vec![b'*'];
        big.extend(std::iter::repeat_n(b'1', PROTO_INLINE_MAX_SIZE + 1));
        assert_eq!(parse_all(&big).1, Err(ProtocolError::TooBigMultibulkCount));
        let big_inline = vec![b'a'; PROTO_INLINE_MAX_SIZE + 1];
        assert_eq!(parse_all(&big_inline).1, Err(ProtocolError::TooBigInlineRequest));
        let mut big_bulk = b"*1\r\n".to_vec();
        big_bulk.extend(std::iter::repeat_n(b'$', PROTO_INLINE_MAX_SIZE + 1));
        assert_eq!(parse_all(&big_bulk).1, Err(ProtocolError::TooBigBulkCount));
    }

    #[test]
    fn unauthenticated_limits() {
        let limits = FrameLimits { auth_required: true, ..FrameLimits::default() };
        let mut p = RequestParser::new();
        let mut buf = BytesMut::from(&b"*11\r\n"[..]);
        assert_eq!(p.parse(&mut buf, &limits), Err(ProtocolError::UnauthenticatedMultibulkLength));
        let mut p = RequestParser::new();
        let mut buf = BytesMut::from(&b"*1\r\n$16385\r\n"[..]);
        assert_eq!(p.parse(&mut buf, &limits), Err(ProtocolError::UnauthenticatedBulkLength));
    }

    #[test]
    fn split_args_follows_sdssplitargs() {
        assert_eq!(
            split_args(b"set k \"a\\x41\\n\" 'it\\'s'").unwrap(),
            vec![b"set".to_vec(), b"k".to_vec(), b"aA\n".to_vec(), b"it's".to_vec()]
        );
        assert_eq!(split_args(b"\"a\"b"), None);
        assert_eq!(split_args(b"'abc"), None);
        assert_eq!(split_args(b"   ").unwrap(), Vec::<Vec<u8>>::new());
        assert_eq!(split_args(b"\"\"").unwrap(), vec![Vec::<u8>::new()]);
        // Vertical tab and form feed are spaces between arguments (C isspace), but not
        // terminators inside an unquoted argument.
        assert_eq!(
            split_args(b"\x0bECHO \"a\"\x0b").unwrap(),
            vec![b"ECHO".to_vec(), b"a".to_vec()]
        );
        assert_eq!(split_args(b"a\x0bb").unwrap(), vec![b"a\x0bb".to_vec()]);
    }

    #[test]
    fn parse_len_follows_string2ll() {
        assert_eq!(parse_len(b"0"), Some(0));
        assert_eq!(parse_len(b"-1"), Some(-1));
        assert_eq!(parse_len(b"+1"), None);
        assert_eq!(parse_len(b"01"), None);
        assert_eq!(parse_len(b""), None);
        assert_eq!(parse_len(b"-0"), None);
        assert_eq!(parse_len(b"9223372036854775808"), None);
    }
}
