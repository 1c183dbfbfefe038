//! Fuzzes the request parser: arbitrary bytes, fed in arbitrary chunk sizes, must never panic
//! and must decode the same requests as when fed in one piece.

#![no_main]

use bytes::BytesMut;
use ferrodis_resp::{FrameLimits, RequestParser};
use libfuzzer_sys::fuzz_target;

fn decode_all(input: &[u8], chunk: usize, limits: &FrameLimits) -> (Vec<Vec<bytes::Bytes>>, bool) {
    let mut parser = RequestParser::new();
    let mut buf = BytesMut::new();
    let mut out = Vec::new();
    for piece in input.chunks(chunk.max(1)) {
        buf.extend_from_slice(piece);
        loop {
            match parser.parse(&mut buf, limits) {
                Ok(Some(args)) => out.push(args),
                Ok(None) => break,
                Err(_) => return (out, true),
            }
        }
    }
    (out, false)
}

fuzz_target!(|data: &[u8]| {
    if data.is_empty() {
        return;
    }
    let chunk = usize::from(data[0] % 16) + 1;
    let limits = FrameLimits { proto_max_bulk_len: 1 << 20, auth_required: data[0] & 0x80 != 0 };
    let body = &data[1..];
    let whole = decode_all(body, body.len().max(1), &limits);
    let pieces = decode_all(body, chunk, &limits);
    // Chunking may only change where an error is noticed, never what was decoded before it.
    if !whole.1 && !pieces.1 {
        assert_eq!(whole.0, pieces.0);
    }
});
