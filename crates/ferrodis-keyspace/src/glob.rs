//! Glob-style pattern matching (`KEYS`, `SCAN ... MATCH`, `PSUBSCRIBE`, ACL key and channel
//! patterns, `CONFIG GET` ...).
//!
//! An exact port of Redis 7.2's `stringmatchlen` / `stringmatchlen_impl` (`src/util.c`, 7.2
//! branch), quirks included, so every pattern selects exactly the keys Redis would:
//!
//! - `*` any run of bytes, `?` one byte, `\x` a literal `x`;
//! - `[...]` a class with `^` negation, ranges `a-z` (reversed ranges like `z-a` work too) and
//!   `\` escapes; an unterminated class runs to the end of the pattern;
//! - `nocase` lowers ASCII letters only (the C locale's `tolower`), except for escaped bytes
//!   inside a class, which Redis compares case-sensitively;
//! - range bounds and the subject byte compare as C `char`, signed on x86-64 Linux (the
//!   platform we match), so bytes >= 0x80 sort below `\0` in a range; with `nocase` they
//!   first pass through glibc's `tolower`, which maps 0x80..=0xFE back to 128..=254 and leaves
//!   0xFF as `EOF` (-1);
//! - a pattern reads a virtual NUL byte past its end, as Redis reads the `sds` terminator;
//! - an empty subject matches nothing, not even `*` (Redis's `KEYS` and `SCAN` special-case a
//!   lone `*` before calling the matcher, so callers must too if they want that);
//! - hostile patterns stay cheap: once a `*` has tried every suffix of the subject in vain, no
//!   earlier `*` retries a longer match (`skipLongerMatches`, CVE-2022-36021), and recursion
//!   stops past 1000 nested `*`s, failing the match (CVE-2024-31228). Time is polynomial and
//!   stack depth bounded, for any input.

/// Recursion depth past which a branch fails, as Redis's `nesting > 1000`.
const MAX_NESTING: u32 = 1000;

/// Returns whether `string` matches the glob `pattern`, exactly as Redis 7.2's
/// `stringmatchlen(pattern, len, string, len, nocase)` decides it.
///
/// `nocase` makes ASCII letters compare case-insensitively (`KEYS` and `SCAN` pass `false`;
/// `CONFIG GET` and a few others pass `true`). Both arguments are arbitrary bytes. Never
/// panics; the running time is polynomial in the input lengths and the recursion depth is at
/// most 1001 frames.
#[must_use]
pub fn string_match(pattern: &[u8], string: &[u8], nocase: bool) -> bool {
    let mut skip_longer_matches = false;
    match_impl(pattern, string, nocase, &mut skip_longer_matches, 0)
}

/// The pattern byte at `i`, or NUL past the end (Redis reads the `sds` terminator there).
#[inline]
fn byte_at(pattern: &[u8], i: usize) -> u8 {
    pattern.get(i).copied().unwrap_or(0)
}

/// A byte as C's (signed) `char` promoted to `int`.
#[inline]
fn as_c_char(b: u8) -> i32 {
    i32::from(b as i8)
}

/// glibc's C-locale `tolower` on a promoted `char`: ASCII letters fold, and (glibc's table
/// accepting signed `char`s) -128..=-2 map to their `unsigned char` values 128..=254, while
/// -1 is `EOF` and stays -1. Only range bounds in `nocase` classes can tell the difference.
#[inline]
fn c_tolower(c: i32) -> i32 {
    if (i32::from(b'A')..=i32::from(b'Z')).contains(&c) {
        c + 32
    } else if (-128..=-2).contains(&c) {
        c + 256
    } else {
        c
    }
}

/// `stringmatchlen_impl`. `p` indexes the pattern (the C code's `pattern`, with
/// `patternLen == pattern.len() - p`), `s` the subject.
fn match_impl(
    pattern: &[u8],
    string: &[u8],
    nocase: bool,
    skip_longer_matches: &mut bool,
    nesting: u32,
) -> bool {
    // Protection against abusive patterns.
    if nesting > MAX_NESTING {
        return false;
    }

    let mut p = 0usize;
    let mut s = 0usize;
    while p < pattern.len() && s < string.len() {
        match pattern[p] {
            b'*' => {
                while p < pattern.len() && byte_at(pattern, p + 1) == b'*' {
                    p += 1;
                }
                if pattern.len() - p == 1 {
                    return true;
                }
                while s < string.len() {
                    if match_impl(
                        &pattern[p + 1..],
                        &string[s..],
                        nocase,
                        skip_longer_matches,
                        nesting + 1,
                    ) {
                        return true;
                    }
                    if *skip_longer_matches {
                        return false;
                    }
                    s += 1;
                }
                // The rest of the pattern matches no suffix of the subject, so no earlier
                // `*` can help by matching more: tell them all to stop.
                *skip_longer_matches = true;
                return false;
            }
            b'?' => s += 1,
            b'[' => {
                let c = string[s];
                p += 1;
                let not = byte_at(pattern, p) == b'^';
                if not {
                    p += 1;
                }
                let mut matched = false;
                loop {
                    // p <= pattern.len() throughout.
                    let remaining = pattern.len() - p;
                    let pc = byte_at(pattern, p);
                    if pc == b'\\' && remaining >= 2 {
                        p += 1;
                        // Escaped bytes compare exactly, even with `nocase`.
                        if pattern[p] == c {
                            matched = true;
                        }
                    } else if pc == b']' {
                        break;
                    } else if remaining == 0 {
                        // Unterminated class: back up onto its last byte, which the outer
                        // loop then consumes. p >= 1 here since a '[' precedes it.
                        p -= 1;
                        break;
                    } else if remaining >= 3 && pattern[p + 1] == b'-' {
                        let mut start = as_c_char(pc);
                        let mut end = as_c_char(pattern[p + 2]);
                        let mut ch = as_c_char(c);
                        if start > end {
                            std::mem::swap(&mut start, &mut end);
                        }
                        if nocase {
                            start = c_tolower(start);
                            end = c_tolower(end);
                            ch = c_tolower(ch);
                        }
                        p += 2;
                        if (start..=end).contains(&ch) {
                            matched = true;
                        }
                    } else if nocase {
                        if pc.eq_ignore_ascii_case(&c) {
                            matched = true;
                        }
                    } else if pc == c {
                        matched = true;
                    }
                    p += 1;
                }
                if not {
                    matched = !matched;
                }
                if !matched {
                    return false;
                }
                s += 1;
            }
            first => {
                let literal = if first == b'\\' && pattern.len() - p >= 2 {
                    p += 1;
                    pattern[p]
                } else {
                    first
                };
                let same = if nocase {
                    literal.eq_ignore_ascii_case(&string[s])
                } else {
                    literal == string[s]
                };
                if !same {
                    return false;
                }
                s += 1;
            }
        }
        p += 1;
        if s == string.len() {
            while byte_at(pattern, p) == b'*' {
                p += 1;
            }
            break;
        }
    }
    p == pattern.len() && s == string.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(pattern: &str, string: &str) -> bool {
        string_match(pattern.as_bytes(), string.as_bytes(), false)
    }

    fn mi(pattern: &str, string: &str) -> bool {
        string_match(pattern.as_bytes(), string.as_bytes(), true)
    }

    fn keys<'a>(pattern: &str, all: &[&'a str]) -> Vec<&'a str> {
        let mut v: Vec<&str> = all.iter().copied().filter(|k| m(pattern, k)).collect();
        v.sort_unstable();
        v
    }

    #[test]
    fn keyspace_tcl_keys_with_pattern() {
        let all = ["key_x", "key_y", "key_z", "foo_a", "foo_b", "foo_c"];
        assert_eq!(keys("foo*", &all), ["foo_a", "foo_b", "foo_c"]);
        assert_eq!(keys("*", &all).len(), 6);
        let tagged = ["{a}x", "{a}y", "{a}z", "{b}a", "{b}b", "{b}c"];
        assert_eq!(keys("{a}*", &tagged), ["{a}x", "{a}y", "{a}z"]);
        assert_eq!(keys("*{b}*", &tagged), ["{b}a", "{b}b", "{b}c"]);
    }

    #[test]
    fn keyspace_tcl_long_nested_loops() {
        let key = "a".repeat(64);
        assert!(!m("a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*b", &key));
        let key = "a".repeat(50_000);
        let pattern = "*?".repeat(50_000);
        assert!(!m(&pattern, &key));
    }

    #[test]
    fn hostile_patterns_are_fast_and_shallow() {
        let subject = "a".repeat(10_000);
        let pattern = format!("{}b", "a*".repeat(5_000));
        assert!(!m(&pattern, &subject));
        let pattern = "*".repeat(100_000);
        assert!(m(&pattern, "abc"));
        let pattern = "*a".repeat(3_000);
        assert!(!m(&pattern, &"a".repeat(2_000)));
        // Past the nesting limit a match that would otherwise succeed fails, as in Redis.
        assert!(m(&"*a".repeat(1000), &"a".repeat(1000)));
        assert!(!m(&"*a".repeat(1002), &"a".repeat(1002)));
        let class_heavy = format!("{}z", "*[a-z]".repeat(2_000));
        assert!(!m(&class_heavy, &"q".repeat(5_000)));
    }

    #[test]
    fn star_and_question() {
        assert!(m("*", "x"));
        assert!(m("h?llo", "hello"));
        assert!(m("h?llo", "hallo"));
        assert!(!m("h?llo", "hllo"));
        assert!(m("h*llo", "hllo"));
        assert!(m("h*llo", "heeeello"));
        assert!(m("a*", "a"));
        assert!(m("a**", "a"));
        assert!(m("*a*", "bab"));
        assert!(!m("*a*", "bbb"));
        assert!(m("**a", "ba"));
        assert!(!m("a?", "a"));
        assert!(m("?", "\u{7f}"));
        assert!(!m("abc", "abcd"));
        assert!(!m("abcd", "abc"));
    }

    #[test]
    fn empty_subject_matches_nothing() {
        // Redis 7.2: the main loop never runs for an empty subject.
        assert!(!m("*", ""));
        assert!(!m("**", ""));
        assert!(!m("?*", ""));
        assert!(!m("a", ""));
        assert!(m("", ""));
        assert!(!m("", "a"));
    }

    #[test]
    fn classes() {
        assert!(m("h[ae]llo", "hello"));
        assert!(m("h[ae]llo", "hallo"));
        assert!(!m("h[ae]llo", "hillo"));
        assert!(m("h[^e]llo", "hallo"));
        assert!(!m("h[^e]llo", "hello"));
        assert!(m("h[a-b]llo", "hbllo"));
        assert!(!m("h[a-b]llo", "hcllo"));
        // Reversed range.
        assert!(m("h[b-a]llo", "hallo"));
        assert!(m("[z-a]", "q"));
        // A leading '-' is literal; a trailing one makes a range ending at ']', which is then
        // not a terminator: "[a-]" is the unterminated class of ']'..='a'.
        assert!(m("[-a]", "-"));
        assert!(!m("[a-]", "-"));
        assert!(m("[a-]", "_"));
        assert!(m("[a-]", "]"));
        // ']' first closes an empty class, which matches nothing.
        assert!(!m("[]a]", "a"));
        assert!(m("[^]a", "xa"));
    }

    #[test]
    fn unterminated_classes() {
        // The class runs to the end of the pattern.
        assert!(m("[abc", "b"));
        assert!(!m("[abc", "d"));
        assert!(m("a[bc", "ac"));
        // A lone '[' at the end matches nothing; "[^" at the end matches any byte.
        assert!(!m("[", "["));
        assert!(!m("a[", "ab"));
        assert!(m("[^", "x"));
        assert!(m("a[^", "ab"));
        // A trailing backslash in a class is a literal backslash.
        assert!(m("[\\", "\\"));
        assert!(m("[a\\", "\\"));
        // A range needs three bytes left.
        assert!(m("[a-", "-"));
        assert!(m("[a-", "a"));
        assert!(!m("[a-", "b"));
    }

    #[test]
    fn escapes() {
        assert!(m("\\*", "*"));
        assert!(!m("\\*", "a"));
        assert!(m("a\\?b", "a?b"));
        assert!(!m("a\\?b", "axb"));
        assert!(m("\\[a]", "[a]"));
        assert!(m("\\\\", "\\"));
        // A trailing backslash is a literal backslash.
        assert!(m("a\\", "a\\"));
        assert!(m("[\\]]", "]"));
        assert!(m("[\\-]", "-"));
        assert!(!m("[\\-]", "\\"));
        assert!(m("[\\^]", "^"));
    }

    #[test]
    fn django_redis_escapes() {
        // django-redis escapes glob metacharacters by wrapping them in a class.
        assert!(m("[*]", "*"));
        assert!(!m("[*]", "a"));
        assert!(m("[?]", "?"));
        assert!(!m("[?]", "a"));
        assert!(m("[[]", "["));
        assert!(!m("[[]", "a"));
        assert!(m(":1:key[*]name*", ":1:key*name-x"));
        assert!(!m(":1:key[*]name*", ":1:keyXname-x"));
        assert!(m("prefix[[]x]*", "prefix[x]suffix"));
    }

    #[test]
    fn nocase() {
        assert!(mi("HELLO", "hello"));
        assert!(mi("h*O", "HELLO"));
        assert!(!m("HELLO", "hello"));
        assert!(mi("[A-C]x", "bX"));
        assert!(mi("[a-c]x", "BX"));
        assert!(mi("[ABC]", "b"));
        assert!(!m("[ABC]", "b"));
        // Escaped bytes in a class compare exactly even with nocase.
        assert!(!mi("[\\A]", "a"));
        assert!(mi("[\\A]", "A"));
        // Outside a class an escaped byte honours nocase.
        assert!(mi("\\A", "a"));
        // Only ASCII letters fold.
        assert!(!mi("\u{e9}", "\u{c9}"));
        // Ranges lower their bounds: [Z-a] is ['Z'..'a'] = 90..=97 -> 122..=97 after lowering
        // 'Z', an empty range; Redis shares the quirk.
        assert!(m("[Z-a]", "_"));
        assert!(!mi("[Z-a]", "_"));
    }

    #[test]
    fn ranges_compare_as_signed_char() {
        // [a-\xff] is [-1..97] as signed char: digits in, 'z' and 0x80 out, 0xff in.
        let pattern = b"[a-\xff]";
        assert!(string_match(pattern, b"0", false));
        assert!(string_match(pattern, b"a", false));
        assert!(!string_match(pattern, b"z", false));
        assert!(!string_match(pattern, b"\x80", false));
        assert!(string_match(pattern, b"\xff", false));
        assert!(string_match(b"[\x80-\xff]", b"\x90", false));
        assert!(!string_match(b"[\x80-\xff]", b"a", false));
        // With nocase, glibc's tolower lifts 0x80..=0xfe to 128..=254 but leaves 0xff at -1:
        // [?-\x80] becomes [128..=63], empty, and [\x80-\xfe] becomes [128..=254].
        assert!(string_match(b"[?-\x80]", b"\xff", false));
        assert!(!string_match(b"[?-\x80]", b"\xff", true));
        assert!(string_match(b"[\x80-\xfe]", b"\x90", true));
        assert!(!string_match(b"[\x80-\xff]", b"\xff", true));
    }

    #[test]
    fn binary_bytes_and_nul() {
        assert!(string_match(b"a\0b", b"a\0b", false));
        assert!(string_match(b"a?b", b"a\0b", false));
        assert!(string_match(b"*\0", b"xyz\0", false));
        assert!(string_match(b"[\0]", b"\0", false));
        assert!(!string_match(b"a", b"a\0", false));
    }

    /// Redis's own fuzz test shape: random short patterns never panic.
    #[test]
    fn fuzz_no_panic() {
        let mut state = 0x2545_F491_4F6C_DD1Du64;
        let mut next = || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        let alphabet = b"ab*?[]^-\\\x80\xff";
        for _ in 0..200_000 {
            let plen = (next() % 12) as usize;
            let slen = (next() % 12) as usize;
            let pat: Vec<u8> =
                (0..plen).map(|_| alphabet[(next() % alphabet.len() as u64) as usize]).collect();
            let s: Vec<u8> = (0..slen).map(|_| alphabet[(next() % 4) as usize]).collect();
            let _ = string_match(&pat, &s, next() & 1 == 0);
        }
    }
}
