//! Pattern matching: `fnmatch()`-style matching of one name, and the
//! `glob()` expansion used by wildcard `include` directives.

use std::path::Path;

use crate::value::bytes_path;

/// True if `s` contains a character `glob()` treats as special.
pub(crate) fn has_magic(s: &[u8]) -> bool {
    s.iter().any(|c| matches!(c, b'*' | b'?' | b'['))
}

fn fold(c: u8, nocase: bool) -> u8 {
    if nocase {
        c.to_ascii_lowercase()
    } else {
        c
    }
}

/// Try to match a `[...]` class starting at `p[0] == b'['` against `c`.
/// Returns `(matched, class_len)`, or `None` if the class is not closed (the
/// `[` is then an ordinary character).
fn match_class(p: &[u8], c: u8, nocase: bool) -> Option<(bool, usize)> {
    let mut i = 1;
    let negate = matches!(p.get(i), Some(b'!' | b'^'));
    if negate {
        i += 1;
    }
    let c = fold(c, nocase);
    let mut matched = false;
    let mut first = true;
    loop {
        let mut lo = *p.get(i)?;
        if lo == b']' && !first {
            return Some((matched != negate, i + 1));
        }
        first = false;
        if lo == b'\\' {
            i += 1;
            lo = *p.get(i)?;
        }
        i += 1;
        if p.get(i) == Some(&b'-') && p.get(i + 1).is_some_and(|&h| h != b']') {
            let mut hi = *p.get(i + 1)?;
            i += 2;
            if hi == b'\\' {
                hi = *p.get(i)?;
                i += 1;
            }
            let (lo, hi) = (fold(lo, nocase), fold(hi, nocase));
            let (lo, hi) = if lo <= hi { (lo, hi) } else { (hi, lo) };
            if (lo..=hi).contains(&c) {
                matched = true;
            }
        } else if fold(lo, nocase) == c {
            matched = true;
        }
    }
}

/// Shell-style matching of a whole name: `*`, `?`, `[...]` / `[!...]` /
/// `[^...]` classes with ranges, and `\` escapes. Iterative, no recursion.
pub fn fnmatch(pattern: &[u8], name: &[u8], nocase: bool) -> bool {
    let (mut pi, mut si) = (0usize, 0usize);
    let mut backtrack: Option<(usize, usize)> = None;
    loop {
        if pi < pattern.len() {
            let step = match pattern[pi] {
                b'*' => {
                    backtrack = Some((pi, si));
                    pi += 1;
                    continue;
                }
                b'?' if si < name.len() => Some(1),
                b'?' => None,
                b'[' => match (
                    name.get(si),
                    match_class(&pattern[pi..], name.get(si).copied().unwrap_or(0), nocase),
                ) {
                    (Some(_), Some((true, len))) => Some(len),
                    (_, Some(_)) => None,
                    (Some(&b'['), None) => Some(1),
                    _ => None,
                },
                b'\\' if pi + 1 < pattern.len() => match name.get(si) {
                    Some(&c) if fold(c, nocase) == fold(pattern[pi + 1], nocase) => Some(2),
                    _ => None,
                },
                lit => match name.get(si) {
                    Some(&c) if fold(c, nocase) == fold(lit, nocase) => Some(1),
                    _ => None,
                },
            };
            if let Some(len) = step {
                pi += len;
                si += 1;
                continue;
            }
        } else if si == name.len() {
            return true;
        }
        match backtrack {
            Some((star_pi, star_si)) if star_si < name.len() => {
                backtrack = Some((star_pi, star_si + 1));
                pi = star_pi + 1;
                si = star_si + 1;
            }
            _ => return false,
        }
    }
}

fn unescape(component: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(component.len());
    let mut it = component.iter();
    while let Some(&c) = it.next() {
        if c == b'\\' {
            match it.next() {
                Some(&n) => out.push(n),
                None => out.push(c),
            }
        } else {
            out.push(c);
        }
    }
    out
}

fn join(base: &[u8], name: &[u8]) -> Vec<u8> {
    let mut p = base.to_vec();
    if !p.is_empty() && !p.ends_with(b"/") {
        p.push(b'/');
    }
    p.extend_from_slice(name);
    p
}

fn os_name_bytes(name: &std::ffi::OsStr) -> Vec<u8> {
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        name.as_bytes().to_vec()
    }
    #[cfg(not(unix))]
    {
        name.to_string_lossy().into_owned().into_bytes()
    }
}

/// `glob(pattern, 0, ...)`: the existing paths matching `pattern`, sorted
/// byte-wise. Relative patterns are resolved against `cwd` but returned
/// relative, as `glob()` does. A leading `.` in a name must be matched
/// explicitly. No match (or an unreadable directory) yields nothing.
pub(crate) fn glob(pattern: &[u8], cwd: &Path) -> Vec<Vec<u8>> {
    let fs_path = |p: &[u8]| {
        if p.is_empty() {
            cwd.to_path_buf()
        } else {
            cwd.join(bytes_path(p))
        }
    };
    let components: Vec<&[u8]> = pattern.split(|&b| b == b'/').collect();
    let mut candidates: Vec<Vec<u8>> =
        vec![if pattern.starts_with(b"/") { b"/".to_vec() } else { Vec::new() }];
    let last = components.len().saturating_sub(1);
    for (i, comp) in components.iter().enumerate() {
        if comp.is_empty() {
            continue;
        }
        let mut next = Vec::new();
        for base in &candidates {
            if has_magic(comp) {
                let Ok(entries) = std::fs::read_dir(fs_path(base)) else {
                    continue;
                };
                let mut names: Vec<Vec<u8>> = entries
                    .filter_map(Result::ok)
                    .map(|e| os_name_bytes(&e.file_name()))
                    .filter(|n| {
                        (!n.starts_with(b".") || comp.starts_with(b".")) && fnmatch(comp, n, false)
                    })
                    .collect();
                names.sort();
                for name in names {
                    let p = join(base, &name);
                    if i != last && !fs_path(&p).is_dir() {
                        continue;
                    }
                    next.push(p);
                }
            } else {
                next.push(join(base, &unescape(comp)));
            }
        }
        candidates = next;
    }
    candidates.retain(|p| !p.is_empty() && std::fs::symlink_metadata(fs_path(p)).is_ok());
    candidates.sort();
    candidates.dedup();
    candidates
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fnmatch_basics() {
        assert!(fnmatch(b"*", b"", false));
        assert!(fnmatch(b"*", b"anything", false));
        assert!(fnmatch(b"a*c", b"abbbc", false));
        assert!(!fnmatch(b"a*c", b"abbb", false));
        assert!(fnmatch(b"?x", b"ax", false));
        assert!(!fnmatch(b"?x", b"x", false));
        assert!(fnmatch(b"[a-c]z", b"bz", false));
        assert!(!fnmatch(b"[!a-c]z", b"bz", false));
        assert!(fnmatch(b"[^a-c]z", b"dz", false));
        assert!(fnmatch(b"[]]", b"]", false));
        assert!(fnmatch(b"\\*", b"*", false));
        assert!(!fnmatch(b"\\*", b"x", false));
        assert!(fnmatch(b"[ab", b"[ab", false));
        assert!(fnmatch(b"*.conf", b"x.conf", false));
        assert!(fnmatch(b"MAX*", b"maxmemory", true));
        assert!(!fnmatch(b"MAX*", b"maxmemory", false));
        assert!(fnmatch(b"*a*a*a*a*a*a*a*b", b"aaaaaaaaaaaaaaaaaaaaaaaaaaaab", false));
    }

    #[test]
    fn fnmatch_never_panics_on_odd_patterns() {
        for p in [&b"["[..], b"[!", b"[a-", b"[a-]", b"\\", b"*[", b"[\\", b"[a\\", b"[z-a]"] {
            for s in [&b""[..], b"a", b"[", b"-", b"\\"] {
                let _ = fnmatch(p, s, false);
                let _ = fnmatch(p, s, true);
            }
        }
        assert!(fnmatch(b"[z-a]", b"m", false));
    }

    #[test]
    fn glob_expands_sorted_and_skips_dot_files() {
        let dir = std::env::temp_dir().join(format!("ferrodis-config-glob-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("d")).unwrap();
        for f in ["b.conf", "a.conf", ".hidden.conf", "c.txt"] {
            std::fs::write(dir.join("d").join(f), b"").unwrap();
        }
        let got = glob(b"d/*.conf", &dir);
        assert_eq!(got, vec![b"d/a.conf".to_vec(), b"d/b.conf".to_vec()]);
        let abs = format!("{}/d/.*.conf", dir.display());
        assert_eq!(glob(abs.as_bytes(), Path::new("/")).len(), 1);
        assert!(glob(b"nope/*.conf", &dir).is_empty());
        assert!(glob(b"d/*.none", &dir).is_empty());
        let _ = std::fs::remove_dir_all(&dir);
    }
}
