//! Redis's number rules for command arguments and stored values.
//!
//! Owns the exact acceptance rules, so that every command rejects precisely what Redis 7.2
//! rejects:
//!
//! - [`parse_i64`]: `string2ll` (`src/util.c`), behind `getLongLongFromObject`, `INCR`,
//!   `EXPIRE`, `LRANGE` indexes, integer encodings ... (`string2l` is the same on LP64).
//! - [`parse_f64`]: `string2d` (`src/util.c`), behind `getDoubleFromObject`
//!   (`src/object.c`): `ZADD` scores, `ZINCRBY`, `GEOADD`, ... glibc `strtod` syntax and
//!   range rules, checked here without calling C.
//! - [`incr_long_double`] / [`long_double_is_finite`]: `INCRBYFLOAT` (`src/t_string.c`) and
//!   `HINCRBYFLOAT` (`src/t_hash.c`), which compute in C `long double` with `string2ld` and
//!   print with `ld2string(..., LD_STR_HUMAN)`. Rust has no `long double`, so these call the
//!   small C shim `csrc/longdouble.c` through the one `unsafe` module in this file.
//!
//! Integer formatting is `itoa`'s job; double formatting for replies lives in
//! `ferrodis_resp::double`.

use std::fmt;

/// Redis's `LONG_STR_SIZE` (21): `string2ll` refuses inputs this long or longer.
const LONG_STR_SIZE: usize = 21;

/// Parses a signed 64-bit integer exactly as Redis's `string2ll` does.
///
/// Accepts `0` and `-?[1-9][0-9]*` within `i64`, at most 20 bytes. Rejects the empty string,
/// a leading `+`, leading zeros (`01`, `-0`), spaces anywhere, any other byte, and overflow.
/// Because it is this strict, a value that parses prints back to the same bytes, which is what
/// lets Redis (and Ferrodis) store such strings as integers.
#[must_use]
pub fn parse_i64(s: &[u8]) -> Option<i64> {
    if s.is_empty() || s.len() >= LONG_STR_SIZE {
        return None;
    }
    if s == b"0" {
        return Some(0);
    }
    let (negative, digits) = match s {
        [b'-', rest @ ..] => (true, rest),
        _ => (false, s),
    };
    let (&first, rest) = digits.split_first()?;
    if !(b'1'..=b'9').contains(&first) {
        return None;
    }
    let mut v = u64::from(first - b'0');
    for &b in rest {
        if !b.is_ascii_digit() {
            return None;
        }
        v = v.checked_mul(10)?.checked_add(u64::from(b - b'0'))?;
    }
    if negative {
        // -(2^63) is the one magnitude beyond i64::MAX that fits.
        if v > i64::MIN.unsigned_abs() {
            return None;
        }
        Some(0i64.wrapping_sub_unsigned(v))
    } else {
        i64::try_from(v).ok()
    }
}

/// Parses a double exactly as Redis's `string2d` (and so `getDoubleFromObject`) does.
///
/// The whole input must be one number in glibc `strtod` syntax, in the C locale:
///
/// - an optional sign, then decimal digits with an optional `.` and at least one digit
///   (`1`, `.5`, `5.`, `+1.5`, `1724131234.5678282`), then an optional exponent
///   `[eE][+-]?[0-9]+` (`1e-05`);
/// - or a hexadecimal float `0x1.8p3` (`p` exponent optional), correctly rounded (glibc 2.36
///   mis-rounds a few hex inputs with 14+ digits that land on subnormals by one unit in the
///   last place; we return the correctly rounded value there);
/// - or `inf` / `infinity` in any case, with an optional sign.
///
/// Returns `None` for the empty string, a leading whitespace byte (and any trailing or inner
/// garbage), any `nan` spelling, a finite number too large for a double (`1e309`: `strtod`'s
/// `ERANGE` with `±HUGE_VAL`) and a non-zero number that rounds to zero (`1e-400`: `ERANGE`
/// with a zero result). Numbers that round to a subnormal are accepted, as in Redis, and so is
/// `-0` (which yields `-0.0`). Never panics.
#[must_use]
pub fn parse_f64(s: &[u8]) -> Option<f64> {
    let (&first, _) = s.split_first()?;
    if is_c_space(first) {
        return None;
    }
    let (negative, body) = match first {
        b'-' => (true, &s[1..]),
        b'+' => (false, &s[1..]),
        _ => (false, s),
    };
    let magnitude = if body.eq_ignore_ascii_case(b"inf") || body.eq_ignore_ascii_case(b"infinity") {
        f64::INFINITY
    } else if body.len() >= 2 && body[0] == b'0' && (body[1] == b'x' || body[1] == b'X') {
        // A "0x" with no hex number after it makes strtod stop after the "0": a mismatch.
        parse_hex(&body[2..])?
    } else {
        parse_decimal(body)?
    };
    Some(if negative { -magnitude } else { magnitude })
}

/// C-locale `isspace`.
fn is_c_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r')
}

/// An unsigned decimal float: validates the `strtod` grammar, then lets the standard library
/// round it (correctly, as glibc does) and applies `string2d`'s range checks.
fn parse_decimal(body: &[u8]) -> Option<f64> {
    let mut i = 0;
    let mut digits = 0usize;
    let mut nonzero = false;
    while let Some(&b) = body.get(i).filter(|b| b.is_ascii_digit()) {
        nonzero |= b != b'0';
        digits += 1;
        i += 1;
    }
    if body.get(i) == Some(&b'.') {
        i += 1;
        while let Some(&b) = body.get(i).filter(|b| b.is_ascii_digit()) {
            nonzero |= b != b'0';
            digits += 1;
            i += 1;
        }
    }
    if digits == 0 {
        return None;
    }
    if matches!(body.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(body.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        let start = i;
        while body.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
        if i == start {
            // strtod would stop before the 'e': trailing garbage.
            return None;
        }
    }
    if i != body.len() {
        return None;
    }
    // Only ASCII digits, '.', 'e', '+', '-' remain: valid UTF-8 and valid Rust float syntax.
    let value: f64 = std::str::from_utf8(body).ok()?.parse().ok()?;
    if value.is_infinite() || (value == 0.0 && nonzero) {
        return None; // ERANGE: overflow, or underflow to zero
    }
    Some(value)
}

/// The digits after `0x` of a hexadecimal float, correctly rounded (ties to even).
fn parse_hex(body: &[u8]) -> Option<f64> {
    // The significand keeps at least 57 bits, so every dropped digit lies below the rounding
    // bit and only matters as "sticky" (non-zero or not).
    const KEEP_BELOW: u64 = 1 << 56;
    // Exponent magnitudes beyond this are all overflow or underflow; clamping keeps the
    // arithmetic in range for any input length.
    const EXP_CLAMP: i64 = 1 << 40;

    let mut mant = 0u64;
    let mut exp: i64 = 0;
    let mut sticky = false;
    let mut digits = 0usize;
    let mut seen_point = false;
    let mut i = 0;
    while let Some(&b) = body.get(i) {
        if let Some(d) = char::from(b).to_digit(16) {
            digits += 1;
            if mant < KEEP_BELOW {
                mant = (mant << 4) | u64::from(d);
                if seen_point {
                    exp -= 4;
                }
            } else {
                sticky |= d != 0;
                if !seen_point {
                    exp += 4;
                }
            }
        } else if b == b'.' && !seen_point {
            seen_point = true;
        } else {
            break;
        }
        i += 1;
    }
    if digits == 0 {
        return None;
    }
    if matches!(body.get(i), Some(b'p' | b'P')) {
        i += 1;
        let negative = match body.get(i) {
            Some(b'-') => {
                i += 1;
                true
            }
            Some(b'+') => {
                i += 1;
                false
            }
            _ => false,
        };
        let start = i;
        let mut pexp: i64 = 0;
        while let Some(&b) = body.get(i).filter(|b| b.is_ascii_digit()) {
            pexp = (pexp * 10 + i64::from(b - b'0')).min(EXP_CLAMP);
            i += 1;
        }
        if i == start {
            return None;
        }
        exp += if negative { -pexp } else { pexp };
    }
    if i != body.len() {
        return None;
    }
    round_binary(mant, exp.clamp(-EXP_CLAMP, EXP_CLAMP), sticky)
}

/// `(mant + sticky·ε) · 2^exp` rounded to the nearest double (ties to even). `None` on
/// overflow and on a non-zero value that rounds to zero, as `string2d` rejects both.
fn round_binary(mant: u64, exp: i64, sticky: bool) -> Option<f64> {
    if mant == 0 {
        return Some(0.0); // exact zero: no ERANGE (sticky is only set once mant >= 2^56)
    }
    let bits = i64::from(64 - mant.leading_zeros());
    let top = exp + bits - 1; // binary exponent of the leading 1
    if top > 1023 {
        return None;
    }
    // Significant bits available at this magnitude: 53 for normals, fewer for subnormals
    // (whose last bit is worth 2^-1074).
    let keep = (top + 1075).min(53);
    if keep < 0 {
        return None; // below half the smallest subnormal: rounds to zero
    }
    let shift = bits - keep; // bits to drop; <= 64 since keep >= 0
    let q = if shift <= 0 {
        mant << (-shift) // -shift <= 52
    } else {
        let wide = u128::from(mant);
        let q = (wide >> shift) as u64;
        let rem = wide & ((1u128 << shift) - 1);
        let half = 1u128 << (shift - 1);
        let round_up = rem > half || (rem == half && (sticky || q & 1 == 1));
        q + u64::from(round_up)
    };
    let bits = if keep == 53 {
        // Normal: q in [2^52, 2^53]; a carry to 2^53 bumps the exponent.
        let (q, top) = if q == 1 << 53 { (q >> 1, top + 1) } else { (q, top) };
        if top > 1023 {
            return None;
        }
        ((top + 1023) as u64) << 52 | (q & ((1 << 52) - 1))
    } else {
        // Subnormal: q is the bit pattern itself (2^52 being the smallest normal).
        if q == 0 {
            return None;
        }
        q
    };
    Some(f64::from_bits(bits))
}

/// Why [`incr_long_double`] refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LongDoubleError {
    /// The current value is not a `string2ld` number. `INCRBYFLOAT` replies
    /// `ERR value is not a valid float`; `HINCRBYFLOAT` replies
    /// `ERR hash value is not a float`.
    InvalidCurrent,
    /// The increment is not a `string2ld` number: `ERR value is not a valid float`.
    InvalidIncrement,
    /// The sum is NaN or infinite (including an infinite increment):
    /// `ERR increment would produce NaN or Infinity`.
    NotFinite,
}

impl fmt::Display for LongDoubleError {
    /// The `INCRBYFLOAT` error text, without the `ERR ` prefix.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            LongDoubleError::InvalidCurrent | LongDoubleError::InvalidIncrement => {
                "value is not a valid float"
            }
            LongDoubleError::NotFinite => "increment would produce NaN or Infinity",
        })
    }
}

impl std::error::Error for LongDoubleError {}

/// Longest text `ld2string` produces for a finite `long double` plus its NUL
/// (`MAX_LONG_DOUBLE_CHARS`); inputs of this length or more are rejected.
const MAX_LONG_DOUBLE_CHARS: usize = 5 * 1024;

/// `INCRBYFLOAT` / `HINCRBYFLOAT` arithmetic: `current + incr` in C `long double`, returned as
/// the text Redis 7.2 stores and replies with.
///
/// Both inputs are parsed with `string2ld` rules (glibc `strtold`, the whole buffer, no leading
/// space, no NaN, no overflow or underflow to zero, under 5120 bytes); `current` first. For a
/// missing key or field pass `b"0"`; for an integer-encoded value pass its decimal text.
/// The sum is printed as `ld2string(..., LD_STR_HUMAN)`: `%.17Lf` with trailing zeros and `.`
/// trimmed, `-0` as `0` (`0.1` + `0.2` = `0.3`, `5.0e3` + `2.0e2` = `5200`, `1` + `-1.1` =
/// `-0.1`). The text is plain decimal, never exponent notation, and can be thousands of bytes
/// long for huge values.
///
/// # Errors
///
/// [`LongDoubleError::InvalidCurrent`] or [`LongDoubleError::InvalidIncrement`] for a bad
/// input, [`LongDoubleError::NotFinite`] when the sum is NaN or infinite.
pub fn incr_long_double(current: &[u8], incr: &[u8]) -> Result<Vec<u8>, LongDoubleError> {
    let mut buf = [0u8; MAX_LONG_DOUBLE_CHARS];
    let (code, len) = ffi::incr(current, incr, &mut buf);
    match code {
        ffi::LD_OK => Ok(buf[..len.min(buf.len())].to_vec()),
        ffi::LD_BAD_CURRENT => Err(LongDoubleError::InvalidCurrent),
        ffi::LD_BAD_INCR => Err(LongDoubleError::InvalidIncrement),
        // LD_NO_ROOM cannot happen (the largest finite long double prints in under 5000
        // bytes); treat it, and any unknown code, as a result Redis could not represent.
        _ => Err(LongDoubleError::NotFinite),
    }
}

/// Classifies `s` under `string2ld` rules: `None` if it is not a valid long double,
/// `Some(true)` if it is finite, `Some(false)` if it is `inf`/`-inf` (any accepted spelling).
///
/// `HINCRBYFLOAT` checks its increment with this before touching the key: `None` replies
/// `ERR value is not a valid float`, `Some(false)` replies `ERR value is NaN or Infinity`.
#[must_use]
pub fn long_double_is_finite(s: &[u8]) -> Option<bool> {
    match ffi::classify(s) {
        1 => Some(true),
        0 => Some(false),
        _ => None,
    }
}

/// The only unsafe code in this crate: calls into `csrc/longdouble.c`.
#[allow(unsafe_code)]
mod ffi {
    use std::os::raw::{c_char, c_int};

    pub(super) const LD_OK: c_int = 0;
    pub(super) const LD_BAD_CURRENT: c_int = 1;
    pub(super) const LD_BAD_INCR: c_int = 2;

    extern "C" {
        fn ferrodis_ld_incr(
            cur: *const c_char,
            curlen: usize,
            incr: *const c_char,
            incrlen: usize,
            out: *mut c_char,
            outcap: usize,
            outlen: *mut usize,
        ) -> c_int;

        fn ferrodis_ld_classify(s: *const c_char, len: usize) -> c_int;
    }

    /// Runs `ferrodis_ld_incr`, returning its code and the number of bytes written to `out`.
    pub(super) fn incr(current: &[u8], incr: &[u8], out: &mut [u8]) -> (c_int, usize) {
        let mut len = 0usize;
        // SAFETY: each pointer/length pair describes a live slice (the C side reads at most
        // `curlen`/`incrlen` bytes and copies them before use, and reads nothing for a zero
        // length); `out` is writable for `out.len()` bytes and the C side writes at most
        // `outcap` bytes; `len` is a valid `size_t` destination. No pointer outlives the call.
        let code = unsafe {
            ferrodis_ld_incr(
                current.as_ptr().cast(),
                current.len(),
                incr.as_ptr().cast(),
                incr.len(),
                out.as_mut_ptr().cast(),
                out.len(),
                &raw mut len,
            )
        };
        (code, len)
    }

    /// Runs `ferrodis_ld_classify`: -1 invalid, 0 infinite, 1 finite.
    pub(super) fn classify(s: &[u8]) -> c_int {
        // SAFETY: `s` is a live slice of `s.len()` bytes; the C side reads at most that many
        // and keeps no pointer.
        unsafe { ferrodis_ld_classify(s.as_ptr().cast(), s.len()) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn string2ll_cases_from_util_c() {
        assert_eq!(parse_i64(b"+1"), None);
        assert_eq!(parse_i64(b" 1"), None);
        assert_eq!(parse_i64(b"1 "), None);
        assert_eq!(parse_i64(b"01"), None);
        assert_eq!(parse_i64(b"-1"), Some(-1));
        assert_eq!(parse_i64(b"0"), Some(0));
        assert_eq!(parse_i64(b"1"), Some(1));
        assert_eq!(parse_i64(b"99"), Some(99));
        assert_eq!(parse_i64(b"-99"), Some(-99));
        assert_eq!(parse_i64(b"-9223372036854775808"), Some(i64::MIN));
        assert_eq!(parse_i64(b"-9223372036854775809"), None);
        assert_eq!(parse_i64(b"9223372036854775807"), Some(i64::MAX));
        assert_eq!(parse_i64(b"9223372036854775808"), None);
    }

    #[test]
    fn string2ll_edges() {
        assert_eq!(parse_i64(b""), None);
        assert_eq!(parse_i64(b"-"), None);
        assert_eq!(parse_i64(b"-0"), None);
        assert_eq!(parse_i64(b"00"), None);
        assert_eq!(parse_i64(b"1a"), None);
        assert_eq!(parse_i64(b"1.0"), None);
        assert_eq!(parse_i64(b"1\0"), None);
        assert_eq!(parse_i64(b"18446744073709551616"), None);
        assert_eq!(parse_i64(b"99999999999999999999"), None);
        // 21 bytes is refused before parsing, even for a would-be valid shape.
        assert_eq!(parse_i64(b"-09223372036854775808"), None);
        assert_eq!(parse_i64(b"123456789012345678901"), None);
        assert_eq!(parse_i64(b"12345678901234567890"), None); // 20 bytes, overflows
        assert_eq!(parse_i64(b"1234567890123456789"), Some(1234567890123456789));
    }

    #[test]
    fn string2d_accepts_strtod_forms() {
        assert_eq!(parse_f64(b"1"), Some(1.0));
        assert_eq!(parse_f64(b"1e-05"), Some(1e-5));
        assert_eq!(parse_f64(b"1724131234.5678282"), Some(1724131234.5678282));
        assert_eq!(parse_f64(b".5"), Some(0.5));
        assert_eq!(parse_f64(b"5."), Some(5.0));
        assert_eq!(parse_f64(b"+1.5"), Some(1.5));
        assert_eq!(parse_f64(b"-1.5"), Some(-1.5));
        assert_eq!(parse_f64(b"1E3"), Some(1000.0));
        assert_eq!(parse_f64(b"1e+3"), Some(1000.0));
        assert_eq!(parse_f64(b"0e-400"), Some(0.0));
        assert_eq!(parse_f64(b"1e0000000000000000000000000001"), Some(10.0));
        assert!(parse_f64(b"-0").is_some_and(|v| v == 0.0 && v.is_sign_negative()));
        assert_eq!(parse_f64(b"1e-310"), Some(1e-310));
        assert_eq!(parse_f64(b"4.9406564584124654e-324"), Some(5e-324));
        assert_eq!(parse_f64(b"2.4703282292062328e-324"), Some(5e-324));
        assert_eq!(parse_f64(b"1.7976931348623157e308"), Some(f64::MAX));
        assert_eq!(parse_f64(b"inf"), Some(f64::INFINITY));
        assert_eq!(parse_f64(b"+inf"), Some(f64::INFINITY));
        assert_eq!(parse_f64(b"-inf"), Some(f64::NEG_INFINITY));
        assert_eq!(parse_f64(b"INF"), Some(f64::INFINITY));
        assert_eq!(parse_f64(b"Infinity"), Some(f64::INFINITY));
        assert_eq!(parse_f64(b"-INFINITY"), Some(f64::NEG_INFINITY));
    }

    #[test]
    fn string2d_rejects() {
        for bad in [
            &b""[..],
            b" 1",
            b"1 ",
            b"\t1",
            b"\x0b1",
            b".",
            b"+",
            b"-",
            b"+-1",
            b"--1",
            b"1e",
            b"1e+",
            b"e5",
            b"1_0",
            b"1,5",
            b"1\0",
            b"nan",
            b"NaN",
            b"-nan",
            b"nan(123)",
            b"infin",
            b"infinityx",
            b"in",
            b"1e309",
            b"-1e309",
            b"1e-400",
            b"2.4703282292062327e-324",
            b"1.7976931348623159e308",
            b"0x",
            b"0x.",
            b"0xg",
            b"0x1p",
            b"0x1p+",
            b"0x1.8q",
            b"\xc2\xa01",
        ] {
            assert_eq!(parse_f64(bad), None, "{:?}", String::from_utf8_lossy(bad));
        }
    }

    #[test]
    fn string2d_hex_floats() {
        assert_eq!(parse_f64(b"0x10"), Some(16.0));
        assert_eq!(parse_f64(b"0X10"), Some(16.0));
        assert_eq!(parse_f64(b"0x1p3"), Some(8.0));
        assert_eq!(parse_f64(b"0x1.8p1"), Some(3.0));
        assert_eq!(parse_f64(b"0x.8"), Some(0.5));
        assert_eq!(parse_f64(b"0x1."), Some(1.0));
        assert_eq!(parse_f64(b"-0x1P-2"), Some(-0.25));
        assert_eq!(parse_f64(b"0x0p99999999999999999999"), Some(0.0));
        assert_eq!(parse_f64(b"0x1.fffffffffffffp1023"), Some(f64::MAX));
        assert_eq!(parse_f64(b"0x1p-1074"), Some(5e-324));
        assert_eq!(parse_f64(b"0x1p-1022"), Some(f64::MIN_POSITIVE));
        assert_eq!(parse_f64(b"0x0.0000000000001p-1022"), Some(5e-324));
        // Ties to even, and the sticky bit beyond 57 kept bits.
        assert_eq!(parse_f64(b"0x1.00000000000008p0"), Some(1.0));
        assert_eq!(parse_f64(b"0x1.00000000000018p0"), Some(1.0 + 2.0 * f64::EPSILON));
        assert_eq!(parse_f64(b"0x1.000000000000080000000001p0"), Some(1.0 + f64::EPSILON));
        // Rounding up into the next binade and to the smallest subnormal.
        assert_eq!(parse_f64(b"0x1.fffffffffffff8p0"), Some(2.0));
        assert_eq!(parse_f64(b"0x1.000001p-1075"), Some(5e-324));
        // Overflow, including by rounding, and underflow to zero.
        assert_eq!(parse_f64(b"0x1p1024"), None);
        assert_eq!(parse_f64(b"0x1.fffffffffffff8p1023"), None);
        assert_eq!(parse_f64(b"0x1p-1075"), None);
        assert_eq!(parse_f64(b"0x1p-99999999999999999999"), None);
    }

    #[test]
    fn incrbyfloat_examples() {
        let ok = |a: &str, b: &str| {
            String::from_utf8(incr_long_double(a.as_bytes(), b.as_bytes()).unwrap()).unwrap()
        };
        assert_eq!(ok("0.1", "0.2"), "0.3");
        assert_eq!(ok("10.5", "0.1"), "10.6");
        assert_eq!(ok("5.0e3", "2.0e2"), "5200");
        assert_eq!(ok("1", "-1.1"), "-0.1");
        assert_eq!(ok("3.0e3", "0"), "3000");
        assert_eq!(ok("0", "1"), "1");
        assert_eq!(ok("0", "1.5e-7"), "0.00000015");
        assert_eq!(ok("0", "-0.0000000000000000001"), "0");
        assert_eq!(ok("0", "-0"), "0");
        assert_eq!(ok("0", "1e-18"), "0");
        assert_eq!(ok("0", "0x10"), "16");
        assert_eq!(ok("0", "123456789012345678901234567890"), "123456789012345678899921813504");
        assert_eq!(ok("10", "-10"), "0");
        let huge = ok("0", "1e4000");
        assert_eq!(huge.len(), 4000); // the long double just below 10^4000
        assert!(huge.starts_with("99999999999999999999654638730996237849324925835069576313"));
        // Twice f64::MAX, beyond any double, is fine in long double (Redis prints these 309).
        let twice_max = ok("1.7976931348623157e308", "1.7976931348623157e308");
        assert_eq!(twice_max.len(), 309);
        assert!(twice_max.starts_with("35953862697246313999184209354820886809677289388865835"));
        assert!(twice_max.ends_with("9503223382416235440319971852753604933726679072768"));
    }

    #[test]
    fn incrbyfloat_errors() {
        use LongDoubleError::*;
        assert_eq!(incr_long_double(b"1", b"inf"), Err(NotFinite));
        assert_eq!(incr_long_double(b"0", b"-inf"), Err(NotFinite));
        assert_eq!(incr_long_double(b"inf", b"-inf"), Err(NotFinite));
        assert_eq!(incr_long_double(b"0", b"1e5000"), Err(InvalidIncrement));
        assert_eq!(incr_long_double(b"0", b" 1"), Err(InvalidIncrement));
        assert_eq!(incr_long_double(b"0", b"nan"), Err(InvalidIncrement));
        assert_eq!(incr_long_double(b"0", b""), Err(InvalidIncrement));
        assert_eq!(incr_long_double(b"abc", b"1"), Err(InvalidCurrent));
        assert_eq!(incr_long_double(b"", b"1"), Err(InvalidCurrent));
        assert_eq!(incr_long_double(b"1\0", b"1"), Err(InvalidCurrent));
        assert_eq!(incr_long_double(b"abc", b"xyz"), Err(InvalidCurrent));
        let long = vec![b'1'; MAX_LONG_DOUBLE_CHARS];
        assert_eq!(incr_long_double(b"0", &long), Err(InvalidIncrement));
        assert_eq!(NotFinite.to_string(), "increment would produce NaN or Infinity");
        assert_eq!(InvalidCurrent.to_string(), "value is not a valid float");
    }

    #[test]
    fn long_double_classification() {
        assert_eq!(long_double_is_finite(b"1.5"), Some(true));
        assert_eq!(long_double_is_finite(b"1e4000"), Some(true));
        assert_eq!(long_double_is_finite(b"inf"), Some(false));
        assert_eq!(long_double_is_finite(b"-Infinity"), Some(false));
        assert_eq!(long_double_is_finite(b"nan"), None);
        assert_eq!(long_double_is_finite(b"1e5000"), None);
        assert_eq!(long_double_is_finite(b""), None);
    }
}
