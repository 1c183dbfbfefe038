//! Fuzzes Redis's number parsers and the glob matcher: no panic, and parsed integers print
//! back to the same bytes (the property that lets `int` encodings round-trip).

#![no_main]

use ferrodis_keyspace::{glob, num};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Some(n) = num::parse_i64(data) {
        assert_eq!(n.to_string().as_bytes(), data);
    }
    let _ = num::parse_f64(data);
    let _ = num::incr_long_double(data, b"1");
    let split = data.first().map_or(0, |b| usize::from(*b)) % (data.len().max(1));
    let (pattern, subject) = data.split_at(split);
    let _ = glob::string_match(pattern, subject, false);
    let _ = glob::string_match(pattern, subject, true);
});
