//! Encoding of [`Reply`] values into RESP2 or RESP3 bytes.
//!
//! RESP2 never sees a RESP3 type: maps flatten to arrays, sets become arrays, doubles and big
//! numbers become bulk strings, booleans become integers, and both nulls keep their RESP2
//! spellings (`$-1`, `*-1`). Follows <https://redis.io/docs/reference/protocol-spec/> and the
//! `addReply*` functions of Redis's `src/networking.c`.

use crate::double::format_double;
use crate::reply::Reply;

/// The protocol version a connection negotiated with `HELLO` (2 until then).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum RespVersion {
    /// RESP2, the default.
    #[default]
    Resp2,
    /// RESP3, after `HELLO 3`.
    Resp3,
}

/// Appends the encoding of `reply` for `version` to `out`.
pub fn encode(reply: &Reply, version: RespVersion, out: &mut Vec<u8>) {
    match reply {
        Reply::Status(s) => line(out, b'+', s.as_bytes()),
        Reply::Error(s) => {
            out.push(b'-');
            // An error text must stay on one line, as Redis's addReplyErrorLength ensures.
            out.extend(s.bytes().map(|b| if b == b'\r' || b == b'\n' { b' ' } else { b }));
            out.extend_from_slice(b"\r\n");
        }
        Reply::Integer(n) => int_line(out, b':', *n),
        Reply::Bulk(b) => bulk(out, b),
        Reply::Null => match version {
            RespVersion::Resp2 => out.extend_from_slice(b"$-1\r\n"),
            RespVersion::Resp3 => out.extend_from_slice(b"_\r\n"),
        },
        Reply::NullArray => match version {
            RespVersion::Resp2 => out.extend_from_slice(b"*-1\r\n"),
            RespVersion::Resp3 => out.extend_from_slice(b"_\r\n"),
        },
        Reply::Array(items) => {
            int_line(out, b'*', items.len() as i64);
            for item in items {
                encode(item, version, out);
            }
        }
        Reply::Bulks(list) => {
            out.reserve(list.data_len() + 16 * list.len() + 16);
            int_line(out, b'*', list.len() as i64);
            for item in list.iter() {
                bulk(out, item);
            }
        }
        Reply::Map(pairs) => {
            match version {
                RespVersion::Resp2 => int_line(out, b'*', 2 * pairs.len() as i64),
                RespVersion::Resp3 => int_line(out, b'%', pairs.len() as i64),
            }
            for (k, v) in pairs {
                encode(k, version, out);
                encode(v, version, out);
            }
        }
        Reply::Set(items) => {
            let prefix = if version == RespVersion::Resp3 { b'~' } else { b'*' };
            int_line(out, prefix, items.len() as i64);
            for item in items {
                encode(item, version, out);
            }
        }
        Reply::Double(d) => {
            let mut text = Vec::with_capacity(24);
            format_double(*d, &mut text);
            match version {
                RespVersion::Resp2 => bulk(out, &text),
                RespVersion::Resp3 => line(out, b',', &text),
            }
        }
        Reply::HumanDouble(d) => {
            let mut text = Vec::with_capacity(48);
            crate::double::format_human_double(*d, &mut text);
            match version {
                RespVersion::Resp2 => bulk(out, &text),
                RespVersion::Resp3 => line(out, b',', &text),
            }
        }
        Reply::Boolean(b) => match version {
            RespVersion::Resp2 => int_line(out, b':', i64::from(*b)),
            RespVersion::Resp3 => out.extend_from_slice(if *b { b"#t\r\n" } else { b"#f\r\n" }),
        },
        Reply::BigNumber(n) => match version {
            RespVersion::Resp2 => bulk(out, n.as_bytes()),
            RespVersion::Resp3 => line(out, b'(', n.as_bytes()),
        },
        Reply::Verbatim(format, text) => match version {
            RespVersion::Resp2 => bulk(out, text),
            RespVersion::Resp3 => {
                int_line(out, b'=', (text.len() + 4) as i64);
                out.extend_from_slice(format.as_bytes());
                out.push(b':');
                out.extend_from_slice(text);
                out.extend_from_slice(b"\r\n");
            }
        },
        Reply::Push(items) => {
            let prefix = if version == RespVersion::Resp3 { b'>' } else { b'*' };
            int_line(out, prefix, items.len() as i64);
            for item in items {
                encode(item, version, out);
            }
        }
        Reply::Frames(frames) => {
            for frame in frames {
                encode(frame, version, out);
            }
        }
    }
}

/// Appends a bulk string: `$<len>\r\n<bytes>\r\n`.
pub fn bulk(out: &mut Vec<u8>, bytes: &[u8]) {
    int_line(out, b'$', bytes.len() as i64);
    out.extend_from_slice(bytes);
    out.extend_from_slice(b"\r\n");
}

fn line(out: &mut Vec<u8>, prefix: u8, text: &[u8]) {
    out.push(prefix);
    out.extend_from_slice(text);
    out.extend_from_slice(b"\r\n");
}

fn int_line(out: &mut Vec<u8>, prefix: u8, n: i64) {
    out.push(prefix);
    let mut b = itoa::Buffer::new();
    out.extend_from_slice(b.format(n).as_bytes());
    out.extend_from_slice(b"\r\n");
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::BulkList;
    use bytes::Bytes;

    fn enc(r: &Reply, v: RespVersion) -> String {
        let mut out = Vec::new();
        encode(r, v, &mut out);
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn a_bulk_list_encodes_as_an_array_of_bulks_in_both_versions() {
        let mut list = BulkList::with_capacity(3);
        for item in [&b"a"[..], b"", b"hello\r\n"] {
            list.push(item);
        }
        let array = Reply::Array(list.to_replies());
        for v in [RespVersion::Resp2, RespVersion::Resp3] {
            assert_eq!(
                enc(&Reply::Bulks(list.clone()), v),
                "*3\r\n$1\r\na\r\n$0\r\n\r\n$7\r\nhello\r\n\r\n"
            );
            assert_eq!(enc(&Reply::Bulks(list.clone()), v), enc(&array, v));
        }
        assert_eq!(enc(&Reply::Bulks(BulkList::default()), RespVersion::Resp3), "*0\r\n");
    }

    #[test]
    fn nulls_per_version() {
        assert_eq!(enc(&Reply::Null, RespVersion::Resp2), "$-1\r\n");
        assert_eq!(enc(&Reply::NullArray, RespVersion::Resp2), "*-1\r\n");
        assert_eq!(enc(&Reply::Null, RespVersion::Resp3), "_\r\n");
        assert_eq!(enc(&Reply::NullArray, RespVersion::Resp3), "_\r\n");
    }

    #[test]
    fn map_set_double_boolean_per_version() {
        let map = Reply::Map(vec![(Reply::bulk(b"a"), Reply::Integer(1))]);
        assert_eq!(enc(&map, RespVersion::Resp2), "*2\r\n$1\r\na\r\n:1\r\n");
        assert_eq!(enc(&map, RespVersion::Resp3), "%1\r\n$1\r\na\r\n:1\r\n");
        let set = Reply::Set(vec![Reply::bulk(b"x")]);
        assert_eq!(enc(&set, RespVersion::Resp2), "*1\r\n$1\r\nx\r\n");
        assert_eq!(enc(&set, RespVersion::Resp3), "~1\r\n$1\r\nx\r\n");
        assert_eq!(enc(&Reply::Double(1.5), RespVersion::Resp2), "$3\r\n1.5\r\n");
        assert_eq!(enc(&Reply::Double(1.5), RespVersion::Resp3), ",1.5\r\n");
        assert_eq!(enc(&Reply::Double(f64::INFINITY), RespVersion::Resp3), ",inf\r\n");
        assert_eq!(enc(&Reply::Boolean(true), RespVersion::Resp2), ":1\r\n");
        assert_eq!(enc(&Reply::Boolean(false), RespVersion::Resp3), "#f\r\n");
    }

    #[test]
    fn verbatim_push_status_error() {
        let v = Reply::Verbatim("txt", Bytes::from_static(b"hi"));
        assert_eq!(enc(&v, RespVersion::Resp2), "$2\r\nhi\r\n");
        assert_eq!(enc(&v, RespVersion::Resp3), "=6\r\ntxt:hi\r\n");
        let p = Reply::Push(vec![Reply::bulk(b"message")]);
        assert_eq!(enc(&p, RespVersion::Resp2), "*1\r\n$7\r\nmessage\r\n");
        assert_eq!(enc(&p, RespVersion::Resp3), ">1\r\n$7\r\nmessage\r\n");
        assert_eq!(enc(&Reply::OK, RespVersion::Resp2), "+OK\r\n");
        assert_eq!(enc(&Reply::error("ERR a\r\nb"), RespVersion::Resp2), "-ERR a  b\r\n");
    }

    #[test]
    fn frames_are_written_one_after_another() {
        let f = Reply::Frames(vec![
            Reply::Push(vec![Reply::Integer(1)]),
            Reply::Push(vec![Reply::Integer(2)]),
        ]);
        assert_eq!(enc(&f, RespVersion::Resp2), "*1\r\n:1\r\n*1\r\n:2\r\n");
        assert_eq!(enc(&f, RespVersion::Resp3), ">1\r\n:1\r\n>1\r\n:2\r\n");
    }
}
