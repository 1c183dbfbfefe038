//! Byte-exact re-implementations of the small libc / `sds.c` / `util.c`
//! helpers that Redis' config code leans on.
//!
//! Redis handles configuration values as C strings in some places (so a NUL
//! byte ends the value) and as length-prefixed `sds` strings in others. Each
//! helper here documents which of the two it follows, because the difference
//! is observable (`CONFIG SET maxmemory "1\0x"` succeeds, `CONFIG SET
//! timeout "1\0x"` does not).
//!
//! Nothing in this module panics, whatever the input.

use std::io;

/// The prefix of `bytes` up to (not including) the first NUL byte: what a C
/// function sees when it is handed `bytes` as a `char *`.
pub(crate) fn cstr(bytes: &[u8]) -> &[u8] {
    match bytes.iter().position(|&b| b == 0) {
        Some(end) => &bytes[..end],
        None => bytes,
    }
}

/// C `isspace()` in the "C" locale.
pub(crate) const fn is_c_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r')
}

fn hex_value(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

/// `sdssplitargs()`: split a line into arguments the way `redis-cli` and
/// `redis.conf` do.
///
/// * Arguments are separated by blanks (C `isspace`).
/// * `"double quotes"` understand `\n \r \t \b \a \\ \"` and `\xHH`; any
///   other escaped character stands for itself.
/// * `'single quotes'` only understand `\'`.
/// * A closing quote must be followed by a blank or the end of the line.
/// * Quotes may start in the middle of a word (`a"b c"` is one argument,
///   `ab c`).
///
/// The line is read as a C string: a NUL byte ends it. Returns `None` for
/// unbalanced quotes (Redis: "Unbalanced quotes in configuration line").
pub(crate) fn split_args(line: &[u8]) -> Option<Vec<Vec<u8>>> {
    let s = cstr(line);
    let at = |i: usize| s.get(i).copied().unwrap_or(0);
    let mut args = Vec::new();
    let mut p = 0usize;
    loop {
        while at(p) != 0 && is_c_space(at(p)) {
            p += 1;
        }
        if at(p) == 0 {
            return Some(args);
        }
        let mut in_dq = false;
        let mut in_sq = false;
        let mut done = false;
        let mut current = Vec::new();
        while !done {
            let c = at(p);
            if in_dq {
                if c == b'\\' && at(p + 1) == b'x' {
                    if let (Some(hi), Some(lo)) = (hex_value(at(p + 2)), hex_value(at(p + 3))) {
                        current.push(hi * 16 + lo);
                        p += 3;
                    } else {
                        // `\x` not followed by two hex digits: a plain escape
                        // of the letter `x`.
                        p += 1;
                        current.push(b'x');
                    }
                } else if c == b'\\' && at(p + 1) != 0 {
                    p += 1;
                    current.push(match at(p) {
                        b'n' => b'\n',
                        b'r' => b'\r',
                        b't' => b'\t',
                        b'b' => 0x08,
                        b'a' => 0x07,
                        other => other,
                    });
                } else if c == b'"' {
                    if at(p + 1) != 0 && !is_c_space(at(p + 1)) {
                        return None;
                    }
                    done = true;
                } else if c == 0 {
                    return None;
                } else {
                    current.push(c);
                }
            } else if in_sq {
                if c == b'\\' && at(p + 1) == b'\'' {
                    p += 1;
                    current.push(b'\'');
                } else if c == b'\'' {
                    if at(p + 1) != 0 && !is_c_space(at(p + 1)) {
                        return None;
                    }
                    done = true;
                } else if c == 0 {
                    return None;
                } else {
                    current.push(c);
                }
            } else {
                match c {
                    b' ' | b'\n' | b'\r' | b'\t' | 0 => done = true,
                    b'"' => in_dq = true,
                    b'\'' => in_sq = true,
                    _ => current.push(c),
                }
            }
            if at(p) != 0 {
                p += 1;
            }
        }
        args.push(current);
    }
}

/// `sdscatrepr()`: a double-quoted, escaped rendering of `bytes` that
/// [`split_args`] reads back to the same bytes.
pub(crate) fn repr(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes.len() + 2);
    out.push(b'"');
    for &b in bytes {
        match b {
            b'\\' => out.extend_from_slice(b"\\\\"),
            b'"' => out.extend_from_slice(b"\\\""),
            b'\n' => out.extend_from_slice(b"\\n"),
            b'\r' => out.extend_from_slice(b"\\r"),
            b'\t' => out.extend_from_slice(b"\\t"),
            0x07 => out.extend_from_slice(b"\\a"),
            0x08 => out.extend_from_slice(b"\\b"),
            0x20..=0x7e => out.push(b),
            _ => out.extend_from_slice(format!("\\x{b:02x}").as_bytes()),
        }
    }
    out.push(b'"');
    out
}

/// `sdssplitlen(s, len, sep, 1)`: split on every occurrence of `sep`,
/// keeping empty fields. An empty input yields no fields at all.
pub(crate) fn split_len(s: &[u8], sep: u8) -> Vec<&[u8]> {
    if s.is_empty() {
        return Vec::new();
    }
    s.split(|&b| b == sep).collect()
}

/// `sdstrim()`: strip any of the bytes in `set` from both ends.
pub(crate) fn trim<'a>(s: &'a [u8], set: &[u8]) -> &'a [u8] {
    let start = s.iter().position(|b| !set.contains(b)).unwrap_or(s.len());
    let end = s.iter().rposition(|b| !set.contains(b)).map_or(start, |i| i + 1);
    s.get(start..end).unwrap_or_default()
}

/// `string2ll()` from `util.c`: a strict signed 64-bit integer parser over the
/// full byte length (`sds` semantics). No blanks, no `+`, no leading zeros,
/// no `-0`, at most 20 bytes.
pub(crate) fn string2ll(s: &[u8]) -> Option<i64> {
    if s.is_empty() || s.len() >= 21 {
        return None;
    }
    if s == b"0" {
        return Some(0);
    }
    let (negative, digits) = match s.split_first() {
        Some((b'-', rest)) => (true, rest),
        _ => (false, s),
    };
    let (&first, rest) = digits.split_first()?;
    if !(b'1'..=b'9').contains(&first) {
        return None;
    }
    let mut v = u64::from(first - b'0');
    for &c in rest {
        if !c.is_ascii_digit() {
            return None;
        }
        v = v.checked_mul(10)?.checked_add(u64::from(c - b'0'))?;
    }
    if negative {
        if v > (i64::MAX as u64) + 1 {
            return None;
        }
        Some((v as i64).wrapping_neg())
    } else {
        i64::try_from(v).ok()
    }
}

/// `memtoull()` from `util.c` (C-string semantics): digits followed by an
/// optional case-insensitive unit `b`, `k` (1000), `kb` (1024), `m`, `mb`,
/// `g`, `gb`.
///
/// Faithful to Redis, including its rough edges: an empty number counts as
/// 0 (`""` and `"kb"` are accepted), a number too large for 64 bits
/// saturates, and the unit multiplication wraps.
pub(crate) fn memtoull(value: &[u8]) -> Option<u64> {
    let s = cstr(value);
    if s.first() == Some(&b'-') {
        return None;
    }
    let digits_end = s.iter().position(|c| !c.is_ascii_digit()).unwrap_or(s.len());
    let (digits, unit) = s.split_at(digits_end);
    let mul: u64 = if unit.is_empty() || unit.eq_ignore_ascii_case(b"b") {
        1
    } else if unit.eq_ignore_ascii_case(b"k") {
        1000
    } else if unit.eq_ignore_ascii_case(b"kb") {
        1024
    } else if unit.eq_ignore_ascii_case(b"m") {
        1000 * 1000
    } else if unit.eq_ignore_ascii_case(b"mb") {
        1024 * 1024
    } else if unit.eq_ignore_ascii_case(b"g") {
        1000 * 1000 * 1000
    } else if unit.eq_ignore_ascii_case(b"gb") {
        1024 * 1024 * 1024
    } else {
        return None;
    };
    if digits.len() >= 128 {
        return None;
    }
    let mut val: u64 = 0;
    for &d in digits {
        val = val
            .checked_mul(10)
            .and_then(|v| v.checked_add(u64::from(d - b'0')))
            .unwrap_or(u64::MAX);
    }
    Some(val.wrapping_mul(mul))
}

/// Result of [`strtoll`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct StrToLl {
    /// The converted value (clamped to `i64` range on overflow).
    pub value: i64,
    /// True when the whole C string was consumed (`*endptr == '\0'`).
    pub complete: bool,
    /// True when the value overflowed (`errno == ERANGE`).
    pub overflow: bool,
}

/// C `strtoll(s, &end, base)` over the C string `s` (base 2..=36 without the
/// `0x` prefix logic, which Redis never needs here). Leading blanks and a
/// sign are accepted; with no digits at all the end pointer stays at the
/// start of the string, so only an empty string is "complete".
pub(crate) fn strtoll(value: &[u8], base: u32) -> StrToLl {
    let s = cstr(value);
    let mut i = 0;
    while i < s.len() && is_c_space(s[i]) {
        i += 1;
    }
    let mut negative = false;
    if let Some(&sign @ (b'+' | b'-')) = s.get(i) {
        negative = sign == b'-';
        i += 1;
    }
    let digits_start = i;
    let mut magnitude: u128 = 0;
    let limit: u128 =
        if negative { u128::from(i64::MAX as u64) + 1 } else { u128::from(i64::MAX as u64) };
    let mut overflow = false;
    while let Some(d) = s.get(i).and_then(|&c| (c as char).to_digit(base)) {
        magnitude = magnitude * u128::from(base) + u128::from(d);
        if magnitude > limit {
            overflow = true;
            magnitude = limit;
        }
        i += 1;
    }
    if i == digits_start {
        return StrToLl { value: 0, complete: s.is_empty(), overflow: false };
    }
    let value = if negative {
        // `magnitude <= 2^63` here.
        (magnitude as u64 as i64).wrapping_neg()
    } else {
        magnitude as i64
    };
    StrToLl { value, complete: i == s.len(), overflow }
}

/// glibc's `strerror()` text for the errors a config file operation can
/// plausibly hit; other errors fall back to Rust's description.
pub(crate) fn strerror(err: &io::Error) -> String {
    let text = match err.raw_os_error() {
        Some(1) => "Operation not permitted",
        Some(2) => "No such file or directory",
        Some(5) => "Input/output error",
        Some(9) => "Bad file descriptor",
        Some(12) => "Cannot allocate memory",
        Some(13) => "Permission denied",
        Some(16) => "Device or resource busy",
        Some(17) => "File exists",
        Some(18) => "Invalid cross-device link",
        Some(20) => "Not a directory",
        Some(21) => "Is a directory",
        Some(22) => "Invalid argument",
        Some(23) => "Too many open files in system",
        Some(24) => "Too many open files",
        Some(27) => "File too large",
        Some(28) => "No space left on device",
        Some(30) => "Read-only file system",
        Some(36) => "File name too long",
        Some(40) => "Too many levels of symbolic links",
        Some(122) => "Disk quota exceeded",
        _ => {
            let full = err.to_string();
            return match full.find(" (os error") {
                Some(cut) => full[..cut].to_string(),
                None => full,
            };
        }
    };
    text.to_string()
}

/// `"%f"` followed by `trimDoubleString()`: six decimals, then trailing
/// zeros (and a trailing dot) removed.
pub(crate) fn format_double_trimmed(v: f64) -> String {
    let mut s = format!("{v:.6}");
    if s.contains('.') {
        while s.ends_with('0') {
            s.pop();
        }
        if s.ends_with('.') {
            s.pop();
        }
    }
    s
}

/// `rewriteConfigFormatMemory()`: render a byte count with the largest of
/// `gb`/`mb`/`kb` that divides it exactly (signed, as Redis passes a
/// `long long`).
pub(crate) fn format_memory(bytes: i64) -> String {
    const GB: i64 = 1024 * 1024 * 1024;
    const MB: i64 = 1024 * 1024;
    const KB: i64 = 1024;
    if bytes != 0 && bytes % GB == 0 {
        format!("{}gb", bytes / GB)
    } else if bytes != 0 && bytes % MB == 0 {
        format!("{}mb", bytes / MB)
    } else if bytes != 0 && bytes % KB == 0 {
        format!("{}kb", bytes / KB)
    } else {
        bytes.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(line: &str) -> Option<Vec<String>> {
        split_args(line.as_bytes())
            .map(|v| v.into_iter().map(|a| String::from_utf8_lossy(&a).into_owned()).collect())
    }

    #[test]
    fn split_plain_words() {
        assert_eq!(args("  port   6379 \t"), Some(vec!["port".into(), "6379".into()]));
        assert_eq!(args(""), Some(vec![]));
        assert_eq!(args("   "), Some(vec![]));
    }

    #[test]
    fn split_double_quote_escapes() {
        let v = split_args(br#"a "x\n\r\t\b\a\\\"\x41\x4g\q" b"#).unwrap();
        assert_eq!(v[0], b"a");
        assert_eq!(v[1], b"x\n\r\t\x08\x07\\\"Ax4gq".to_vec());
        assert_eq!(v[2], b"b");
        // Hex escapes may produce any byte, including NUL.
        assert_eq!(split_args(br#""\x00\xff""#).unwrap(), vec![vec![0u8, 0xff]]);
    }

    #[test]
    fn split_single_quotes_only_unescape_quote() {
        let v = split_args(br"'it\'s \n raw'").unwrap();
        assert_eq!(v, vec![b"it's \\n raw".to_vec()]);
    }

    #[test]
    fn split_quotes_inside_word_and_empty() {
        assert_eq!(args(r#"ab"c d"e"#), None, "closing quote must be followed by a blank");
        assert_eq!(args(r#"ab"c d""#), Some(vec!["abc d".into()]));
        assert_eq!(args(r#"save """#), Some(vec!["save".into(), "".into()]));
        assert_eq!(args("x ''"), Some(vec!["x".into(), "".into()]));
    }

    #[test]
    fn split_unbalanced() {
        assert_eq!(args(r#"a "b"#), None);
        assert_eq!(args("a 'b"), None);
        assert_eq!(args(r#"a "b\"#), None);
        assert_eq!(args(r#""a"b"#), None);
        assert_eq!(args("'a'b"), None);
    }

    #[test]
    fn split_stops_at_nul() {
        assert_eq!(split_args(b"a b\0c d").unwrap(), vec![b"a".to_vec(), b"b".to_vec()]);
    }

    #[test]
    fn repr_round_trips() {
        let all: Vec<u8> = (0..=255).collect();
        let r = repr(&all);
        assert_eq!(split_args(&r).unwrap(), vec![all]);
        assert_eq!(repr(b"a\"b\\c"), br#""a\"b\\c""#.to_vec());
        assert_eq!(repr(b"\x01\xfe"), br#""\x01\xfe""#.to_vec());
    }

    #[test]
    fn string2ll_is_strict() {
        assert_eq!(string2ll(b"0"), Some(0));
        assert_eq!(string2ll(b"-1"), Some(-1));
        assert_eq!(string2ll(b"9223372036854775807"), Some(i64::MAX));
        assert_eq!(string2ll(b"-9223372036854775808"), Some(i64::MIN));
        for bad in
            [&b""[..], b"-", b"-0", b"007", b"+1", b" 1", b"1 ", b"9223372036854775808", b"1a"]
        {
            assert_eq!(string2ll(bad), None, "{:?}", String::from_utf8_lossy(bad));
        }
    }

    #[test]
    fn memtoull_units() {
        assert_eq!(memtoull(b"1k"), Some(1000));
        assert_eq!(memtoull(b"1K"), Some(1000));
        assert_eq!(memtoull(b"1kb"), Some(1024));
        assert_eq!(memtoull(b"1kB"), Some(1024));
        assert_eq!(memtoull(b"2m"), Some(2_000_000));
        assert_eq!(memtoull(b"2MB"), Some(2 * 1024 * 1024));
        assert_eq!(memtoull(b"3g"), Some(3_000_000_000));
        assert_eq!(memtoull(b"3Gb"), Some(3 * 1024 * 1024 * 1024));
        assert_eq!(memtoull(b"7b"), Some(7));
        assert_eq!(memtoull(b"7B"), Some(7));
        assert_eq!(memtoull(b"123"), Some(123));
        // Redis quirks, checked against a real redis-server.
        assert_eq!(memtoull(b""), Some(0));
        assert_eq!(memtoull(b"kb"), Some(0));
        assert_eq!(memtoull(b"99999999999999999999"), Some(u64::MAX));
        assert_eq!(memtoull(b"17179869184gb"), Some(0));
        assert_eq!(memtoull(b"1\0junk"), Some(1));
        for bad in [&b"-1"[..], b"+5", b" 5", b"5 ", b"0x10", b"1tb", b"1.5mb"] {
            assert_eq!(memtoull(bad), None, "{:?}", String::from_utf8_lossy(bad));
        }
    }

    #[test]
    fn strtoll_c_semantics() {
        let r = strtoll(b" 755", 8);
        assert_eq!((r.value, r.complete, r.overflow), (0o755, true, false));
        assert_eq!(strtoll(b"", 8), StrToLl { value: 0, complete: true, overflow: false });
        assert!(!strtoll(b" ", 10).complete);
        assert!(!strtoll(b"778", 8).complete);
        assert_eq!(strtoll(b"-1", 8).value, -1);
        assert_eq!(strtoll(b"+12", 10).value, 12);
        let big = strtoll(b"99999999999999999999", 10);
        assert_eq!((big.value, big.complete, big.overflow), (i64::MAX, true, true));
        let small = strtoll(b"-99999999999999999999", 10);
        assert_eq!((small.value, small.overflow), (i64::MIN, true));
        assert_eq!(strtoll(b"-9223372036854775808", 10).value, i64::MIN);
    }

    #[test]
    fn trim_and_split_len() {
        assert_eq!(trim(b" \t a b \r\n", b" \t\r\n"), b"a b");
        assert_eq!(trim(b" \t\r\n", b" \t\r\n"), b"");
        assert!(split_len(b"", b'\n').is_empty());
        assert_eq!(split_len(b"a\n", b'\n'), vec![&b"a"[..], b""]);
        assert_eq!(split_len(b"a  b", b' '), vec![&b"a"[..], b"", b"b"]);
    }

    #[test]
    fn number_formatting() {
        assert_eq!(format_memory(0), "0");
        assert_eq!(format_memory(1024), "1kb");
        assert_eq!(format_memory(1536), "1536");
        assert_eq!(format_memory(64 * 1024 * 1024), "64mb");
        assert_eq!(format_memory(1024 * 1024 * 1024), "1gb");
        assert_eq!(format_memory(-1), "-1");
        assert_eq!(format_double_trimmed(50.0), "50");
        assert_eq!(format_double_trimmed(99.9), "99.9");
        assert_eq!(format_double_trimmed(0.0001), "0.0001");
    }

    #[test]
    fn strerror_texts() {
        assert_eq!(strerror(&io::Error::from_raw_os_error(2)), "No such file or directory");
        assert_eq!(strerror(&io::Error::from_raw_os_error(20)), "Not a directory");
        assert_eq!(strerror(&io::Error::other("boom")), "boom");
    }
}
