//! A small unified-diff applier, used by `build.rs` to apply `patches/*.patch` to the Lua
//! sources (no dependency on the `patch` binary).
//!
//! The format is the one `diff -u` writes: free text (the patch's header comment) until the
//! first `--- ` line, then one `--- a/FILE` / `+++ b/FILE` pair per file, each followed by
//! `@@ ... @@` hunks of ` ` (context), `-` (removed) and `+` (added) lines. A hunk applies
//! only where its context and removed lines occur **exactly once** in the file, byte for
//! byte; line numbers in the `@@` header are ignored. Anything else (no match, several
//! matches, a malformed patch) is an error naming the patch, file and hunk, so a patch that
//! no longer fits the sources fails the build loudly instead of being half applied.

use std::fmt;

/// One file's changes in a patch: the file name (last path component of `+++ b/...`) and
/// its hunks as (old lines, new lines).
#[derive(Debug, PartialEq, Eq)]
pub struct FilePatch {
    pub file: String,
    pub hunks: Vec<Hunk>,
}

/// One hunk: the lines it expects (context and removed) and the lines that replace them
/// (context and added), without the leading marker character and without line ends.
#[derive(Debug, PartialEq, Eq)]
pub struct Hunk {
    /// 1-based index of the hunk within its file, for error messages.
    pub index: usize,
    pub old: Vec<String>,
    pub new: Vec<String>,
}

/// Why a patch could not be parsed or applied.
#[derive(Debug, PartialEq, Eq)]
pub struct PatchError(pub String);

impl fmt::Display for PatchError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for PatchError {}

fn err(msg: impl Into<String>) -> PatchError {
    PatchError(msg.into())
}

/// Parses a unified diff into its per-file hunks. The text before the first `--- ` line is
/// the header comment and is skipped.
pub fn parse(patch: &str) -> Result<Vec<FilePatch>, PatchError> {
    let mut files: Vec<FilePatch> = Vec::new();
    let mut lines = patch.lines().peekable();
    // Skip the header comment.
    while let Some(line) = lines.peek() {
        if line.starts_with("--- ") {
            break;
        }
        lines.next();
    }
    while let Some(line) = lines.next() {
        if line.starts_with("--- ") {
            let plus = lines.next().ok_or_else(|| err("`--- ` line without a `+++ ` line"))?;
            let target = plus
                .strip_prefix("+++ ")
                .ok_or_else(|| err(format!("expected `+++ ` after `{line}`, found `{plus}`")))?;
            let path = target.split('\t').next().unwrap_or(target).trim();
            let file = path.rsplit('/').next().unwrap_or(path).to_string();
            if file.is_empty() {
                return Err(err(format!("no file name in `{plus}`")));
            }
            files.push(FilePatch { file, hunks: Vec::new() });
        } else if let Some(rest) = line.strip_prefix("@@ ") {
            let (old_len, new_len) = hunk_lengths(rest)?;
            let current = files.last_mut().ok_or_else(|| err("hunk before any `--- ` line"))?;
            let mut hunk =
                Hunk { index: current.hunks.len() + 1, old: Vec::new(), new: Vec::new() };
            while hunk.old.len() < old_len || hunk.new.len() < new_len {
                let body = lines.next().ok_or_else(|| {
                    err(format!("{}: hunk {} ends early", current.file, hunk.index))
                })?;
                if body.starts_with('\\') {
                    continue; // "\ No newline at end of file"
                }
                let (marker, text) = match body.chars().next() {
                    Some(c) => (c, &body[c.len_utf8()..]),
                    None => (' ', ""), // an empty context line whose space was trimmed
                };
                match marker {
                    ' ' => {
                        hunk.old.push(text.to_string());
                        hunk.new.push(text.to_string());
                    }
                    '-' => hunk.old.push(text.to_string()),
                    '+' => hunk.new.push(text.to_string()),
                    other => {
                        return Err(err(format!(
                            "{}: hunk {}: unexpected line marker `{other}` in `{body}`",
                            current.file, hunk.index
                        )))
                    }
                }
            }
            if hunk.old.len() != old_len || hunk.new.len() != new_len {
                return Err(err(format!(
                    "{}: hunk {} has {} old / {} new lines, its header says {old_len} / {new_len}",
                    current.file,
                    hunk.index,
                    hunk.old.len(),
                    hunk.new.len()
                )));
            }
            current.hunks.push(hunk);
        } else if !line.trim().is_empty() && !line.starts_with('\\') {
            return Err(err(format!("unexpected line outside a hunk: `{line}`")));
        }
    }
    if files.is_empty() {
        return Err(err("no `--- `/`+++ ` file header found"));
    }
    if let Some(f) = files.iter().find(|f| f.hunks.is_empty()) {
        return Err(err(format!("{}: no hunks", f.file)));
    }
    Ok(files)
}

/// The old and new line counts of `-a,b +c,d @@` (a missing count means 1).
fn hunk_lengths(header: &str) -> Result<(usize, usize), PatchError> {
    let bad = || err(format!("malformed hunk header `@@ {header}`"));
    let mut parts = header.split_whitespace();
    let old = parts.next().and_then(|p| p.strip_prefix('-')).ok_or_else(bad)?;
    let new = parts.next().and_then(|p| p.strip_prefix('+')).ok_or_else(bad)?;
    let count = |range: &str| -> Result<usize, PatchError> {
        match range.split_once(',') {
            Some((_, n)) => n.parse().map_err(|_| bad()),
            None => range.parse::<usize>().map(|_| 1).map_err(|_| bad()),
        }
    };
    Ok((count(old)?, count(new)?))
}

/// Applies one file's hunks to `source`, in order. Each hunk's old lines must occur exactly
/// once in the file as it is after the previous hunks. Line ends are kept as `\n`; a final
/// newline is kept if the source had one.
pub fn apply(source: &str, patch: &FilePatch) -> Result<String, PatchError> {
    let mut lines: Vec<String> = source.lines().map(str::to_string).collect();
    for hunk in &patch.hunks {
        let n = hunk.old.len();
        let matches: Vec<usize> = if n == 0 {
            Vec::new()
        } else {
            (0..=lines.len().saturating_sub(n))
                .filter(|&at| lines.len() >= n && lines[at..at + n] == hunk.old[..])
                .collect()
        };
        match matches.as_slice() {
            [at] => {
                lines.splice(*at..*at + n, hunk.new.iter().cloned());
            }
            [] => {
                return Err(err(format!(
                    "{}: hunk {} does not apply: its context/removed lines were not found \
                     (first line: `{}`)",
                    patch.file,
                    hunk.index,
                    hunk.old.first().map(String::as_str).unwrap_or("")
                )))
            }
            many => {
                return Err(err(format!(
                    "{}: hunk {} is ambiguous: its context/removed lines occur {} times",
                    patch.file,
                    hunk.index,
                    many.len()
                )))
            }
        }
    }
    let mut out = lines.join("\n");
    if source.ends_with('\n') {
        out.push('\n');
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SOURCE: &str = "int a;\nint b;\nint c;\nint d;\n";

    fn patch_text(body: &str) -> String {
        format!("Header comment naming the CVE.\n\n--- a/x.c\n+++ b/x.c\n{body}")
    }

    #[test]
    fn applies_a_hunk_and_skips_the_header_comment() {
        let files =
            parse(&patch_text("@@ -2,2 +2,3 @@\n int b;\n-int c;\n+long c;\n+long e;\n")).unwrap();
        assert_eq!(files.len(), 1);
        assert_eq!(files[0].file, "x.c");
        let out = apply(SOURCE, &files[0]).unwrap();
        assert_eq!(out, "int a;\nint b;\nlong c;\nlong e;\nint d;\n");
    }

    #[test]
    fn ignores_line_numbers_and_applies_hunks_in_order() {
        let files = parse(&patch_text(
            "@@ -90,1 +90,1 @@\n-int a;\n+int A;\n@@ -1 +1 @@\n-int d;\n+int D;\n",
        ))
        .unwrap();
        assert_eq!(apply(SOURCE, &files[0]).unwrap(), "int A;\nint b;\nint c;\nint D;\n");
    }

    #[test]
    fn a_hunk_that_does_not_match_fails_loudly() {
        let files = parse(&patch_text("@@ -1,1 +1,1 @@\n-int z;\n+int y;\n")).unwrap();
        let e = apply(SOURCE, &files[0]).unwrap_err();
        assert!(e.0.contains("x.c: hunk 1 does not apply"), "{e}");
    }

    #[test]
    fn an_ambiguous_hunk_fails_loudly() {
        let files = parse(&patch_text("@@ -1,1 +1,1 @@\n-x\n+y\n")).unwrap();
        let e = apply("x\nx\n", &files[0]).unwrap_err();
        assert!(e.0.contains("occur 2 times"), "{e}");
    }

    #[test]
    fn a_hunk_shorter_than_its_header_is_an_error() {
        let e = parse(&patch_text("@@ -1,3 +1,3 @@\n int a;\n")).unwrap_err();
        assert!(e.0.contains("ends early"), "{e}");
    }

    #[test]
    fn a_patch_without_file_header_is_an_error() {
        assert!(parse("just a comment\n").is_err());
        assert!(parse("--- a/x.c\n+++ b/x.c\n").unwrap_err().0.contains("no hunks"));
    }

    #[test]
    fn empty_context_lines_and_no_newline_markers_are_accepted() {
        let files =
            parse(&patch_text("@@ -1,3 +1,3 @@\n a\n\n-b\n+c\n\\ No newline at end of file\n"))
                .unwrap();
        assert_eq!(apply("a\n\nb", &files[0]).unwrap(), "a\n\nc");
    }

    #[test]
    fn the_shipped_patches_parse_and_name_their_cve() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("patches");
        let mut count = 0;
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == "patch") {
                let text = std::fs::read_to_string(&path).unwrap();
                assert!(text.starts_with("CVE-"), "{} must start with its CVE", path.display());
                parse(&text).unwrap();
                count += 1;
            }
        }
        assert_eq!(count, 3);
    }
}
