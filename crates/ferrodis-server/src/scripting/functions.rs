//! Redis 7 Functions: the server-wide library registry, the library metadata line
//! (`#!lua name=<lib>`), and the FUNCTION DUMP payload, following Redis 7.2's
//! `src/functions.c` (registry, metadata, DUMP/RESTORE) and `src/rdb.c` (string encoding).
//!
//! - A [`Library`] is the code given to FUNCTION LOAD with the names, descriptions and flags
//!   of the functions its body registered. Libraries are keyed by their exact name (Redis's
//!   `librariesDictType` compares case-sensitively); functions by their lowercase name (FCALL
//!   finds `TEST` for `test`, `functionDictType` is case-insensitive).
//! - Each library load gets a fresh id: worker threads compile a library lazily in their
//!   own Lua interpreter and keep it under that id (see `scripting::mod`), so a REPLACE or a
//!   RESTORE is seen by every thread at its next FCALL.
//! - The DUMP payload is Redis's: for each library the opcode `RDB_OPCODE_FUNCTION2` (245)
//!   and the code as an RDB string, then the RDB version (11, Redis 7.2's) in two bytes
//!   little-endian and the CRC64 (Jones polynomial, reflected, as Redis's `crc64.c`) of all
//!   that, little-endian. Restoring accepts LZF-compressed strings as Redis writes them.

use parking_lot::Mutex;
use std::collections::{BTreeMap, HashMap};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

/// `no-writes`: the function may not call write commands.
pub const FLAG_NO_WRITES: u8 = 1;
/// `allow-oom`: may run when used memory is over `maxmemory`.
pub const FLAG_ALLOW_OOM: u8 = 2;
/// `allow-stale`: may run on a stale replica.
pub const FLAG_ALLOW_STALE: u8 = 4;
/// `no-cluster`: refused in cluster mode.
pub const FLAG_NO_CLUSTER: u8 = 8;
/// `allow-cross-slot-keys`: may touch keys of several slots.
pub const FLAG_ALLOW_CROSS_SLOT: u8 = 16;

/// The script flags in Redis's order (`scripts_flags_def`), as FUNCTION LIST shows them.
pub const FLAG_NAMES: &[(u8, &str)] = &[
    (FLAG_NO_WRITES, "no-writes"),
    (FLAG_ALLOW_OOM, "allow-oom"),
    (FLAG_ALLOW_STALE, "allow-stale"),
    (FLAG_NO_CLUSTER, "no-cluster"),
    (FLAG_ALLOW_CROSS_SLOT, "allow-cross-slot-keys"),
];

/// The flag named `name` (case-insensitive, as `luaRegisterFunctionReadFlags`).
pub fn flag_by_name(name: &[u8]) -> Option<u8> {
    FLAG_NAMES.iter().find(|(_, n)| n.as_bytes().eq_ignore_ascii_case(name)).map(|(f, _)| *f)
}

/// One registered function.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FunctionInfo {
    /// The name as registered.
    pub name: String,
    /// The `description` of the table form, if given.
    pub description: Option<Vec<u8>>,
    /// `FLAG_*` bits.
    pub flags: u8,
}

/// A loaded library.
#[derive(Debug, Clone)]
pub struct Library {
    /// Unique per load (threads key their compiled functions by it).
    pub id: u64,
    /// The library name from the metadata line.
    pub name: String,
    /// The whole code as given to FUNCTION LOAD (metadata line included).
    pub code: bytes::Bytes,
    /// Its functions, in registration order.
    pub functions: Vec<FunctionInfo>,
}

/// The metadata line of a library (`functionExtractLibMetaData`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Metadata {
    /// The engine name (`lua`, any case).
    pub engine: String,
    /// The library name.
    pub name: String,
    /// Offset of the body: the newline ending the metadata line (line numbers stay right).
    pub body_start: usize,
}

/// Parses the metadata line. Errors (without `ERR `): `Missing library metadata`, `Invalid
/// library metadata`, `Invalid metadata value, name argument was given multiple times`,
/// `Invalid metadata value given: <part>`, `Library name was not given`.
pub fn parse_metadata(code: &[u8]) -> Result<Metadata, String> {
    if !code.starts_with(b"#!") {
        return Err("Missing library metadata".into());
    }
    // The code is a C string for Redis: a NUL ends it.
    let visible = &code[..code.iter().position(|&c| c == 0).unwrap_or(code.len())];
    let Some(end) = visible.iter().position(|&c| c == b'\n') else {
        return Err("Invalid library metadata".into());
    };
    let parts = match ferrodis_resp::frame::split_args(&code[..end]) {
        Some(parts) if !parts.is_empty() => parts,
        _ => return Err("Invalid library metadata".into()),
    };
    let engine = String::from_utf8_lossy(parts[0].get(2..).unwrap_or_default()).into_owned();
    let mut name = None;
    for part in &parts[1..] {
        if part.len() >= 5 && part[..5].eq_ignore_ascii_case(b"name=") {
            if name.is_some() {
                return Err("Invalid metadata value, name argument was given multiple times".into());
            }
            name = Some(String::from_utf8_lossy(&part[5..]).into_owned());
            continue;
        }
        return Err(format!("Invalid metadata value given: {}", String::from_utf8_lossy(part)));
    }
    let Some(name) = name else {
        return Err("Library name was not given".into());
    };
    Ok(Metadata { engine, name, body_start: end })
}

/// Library and function names: letters, digits and `_`, at least one (`functionsVerifyName`).
pub fn valid_name(name: &[u8]) -> bool {
    !name.is_empty() && name.iter().all(|&c| c.is_ascii_alphanumeric() || c == b'_')
}

/// The error for a bad library or function name (Redis 7.2 uses the library wording for both).
pub const BAD_NAME: &str = "Library names can only contain letters, numbers, or underscores(_) and must be at least one character long";

#[derive(Debug, Default)]
struct Inner {
    libraries: BTreeMap<String, Arc<Library>>,
    /// Lowercase function name → library name.
    functions: HashMap<String, String>,
}

/// The server-wide function registry (FUNCTION LOAD/DELETE/FLUSH/RESTORE, FCALL).
#[derive(Debug, Default)]
pub struct Registry {
    inner: Mutex<Inner>,
    next_id: AtomicU64,
    generation: AtomicU64,
}

/// How FUNCTION RESTORE treats existing libraries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RestorePolicy {
    /// Drop every existing library first.
    Flush,
    /// Add; a library name collision aborts.
    Append,
    /// Add; same-named libraries are replaced.
    Replace,
}

impl Registry {
    /// A fresh library id.
    pub fn new_id(&self) -> u64 {
        self.next_id.fetch_add(1, Ordering::Relaxed) + 1
    }

    /// Bumped at every change: threads drop compiled libraries that are gone.
    pub fn generation(&self) -> u64 {
        self.generation.load(Ordering::Acquire)
    }

    fn changed(&self) {
        self.generation.fetch_add(1, Ordering::Release);
    }

    /// The function `name` (any case): its library and its index there.
    pub fn find(&self, name: &[u8]) -> Option<(Arc<Library>, usize)> {
        let key = String::from_utf8_lossy(name).to_ascii_lowercase();
        let inner = self.inner.lock();
        let lib = inner.libraries.get(inner.functions.get(&key)?)?.clone();
        let index = lib.functions.iter().position(|f| f.name.eq_ignore_ascii_case(&key))?;
        Some((lib, index))
    }

    /// True when a library with this exact name exists.
    pub fn contains(&self, name: &str) -> bool {
        self.inner.lock().libraries.contains_key(name)
    }

    /// The ids of the loaded libraries.
    pub fn live_ids(&self) -> Vec<u64> {
        self.inner.lock().libraries.values().map(|l| l.id).collect()
    }

    /// Every library, by name.
    pub fn libraries(&self) -> Vec<Arc<Library>> {
        self.inner.lock().libraries.values().cloned().collect()
    }

    /// (libraries, functions) counts.
    pub fn counts(&self) -> (usize, usize) {
        let inner = self.inner.lock();
        (inner.libraries.len(), inner.functions.len())
    }

    /// Total bytes of the library codes.
    pub fn code_bytes(&self) -> usize {
        self.inner.lock().libraries.values().map(|l| l.code.len()).sum()
    }

    /// Adds a compiled library (FUNCTION LOAD). Errors (without `ERR `): `Library '<x>'
    /// already exists` (without `replace`), `Function <f> already exists` (another library
    /// has it).
    pub fn insert(&self, lib: Library, replace: bool) -> Result<(), String> {
        let mut inner = self.inner.lock();
        if inner.libraries.contains_key(&lib.name) && !replace {
            return Err(format!("Library '{}' already exists", lib.name));
        }
        for f in &lib.functions {
            if let Some(owner) = inner.functions.get(&f.name.to_ascii_lowercase()) {
                if *owner != lib.name {
                    return Err(format!("Function {} already exists", f.name));
                }
            }
        }
        unlink(&mut inner, &lib.name);
        link(&mut inner, lib);
        drop(inner);
        self.changed();
        Ok(())
    }

    /// Removes a library; false when there is none of that name.
    pub fn delete(&self, name: &str) -> bool {
        let found = unlink(&mut self.inner.lock(), name);
        if found {
            self.changed();
        }
        found
    }

    /// Removes every library.
    pub fn flush(&self) {
        *self.inner.lock() = Inner::default();
        self.changed();
    }

    /// Adds restored libraries (already checked among themselves) with a policy. Errors
    /// (without `ERR `): `Library <x> already exists` (APPEND), `Function <f> already
    /// exists`; on error nothing changes.
    pub fn restore(&self, libs: Vec<Library>, policy: RestorePolicy) -> Result<(), String> {
        let mut inner = self.inner.lock();
        let mut next = if policy == RestorePolicy::Flush {
            Inner::default()
        } else {
            Inner { libraries: inner.libraries.clone(), functions: inner.functions.clone() }
        };
        for lib in &libs {
            if next.libraries.contains_key(&lib.name) {
                if policy == RestorePolicy::Append {
                    return Err(format!("Library {} already exists", lib.name));
                }
                unlink(&mut next, &lib.name);
            }
        }
        for lib in &libs {
            for f in &lib.functions {
                if next.functions.contains_key(&f.name.to_ascii_lowercase()) {
                    return Err(format!("Function {} already exists", f.name));
                }
            }
        }
        for lib in libs {
            link(&mut next, lib);
        }
        *inner = next;
        drop(inner);
        self.changed();
        Ok(())
    }
}

fn unlink(inner: &mut Inner, name: &str) -> bool {
    let Some(old) = inner.libraries.remove(name) else { return false };
    for f in &old.functions {
        inner.functions.remove(&f.name.to_ascii_lowercase());
    }
    true
}

fn link(inner: &mut Inner, lib: Library) {
    for f in &lib.functions {
        inner.functions.insert(f.name.to_ascii_lowercase(), lib.name.clone());
    }
    inner.libraries.insert(lib.name.clone(), Arc::new(lib));
}

// ---------------------------------------------------------------------------------------
// DUMP payload
// ---------------------------------------------------------------------------------------

/// `RDB_OPCODE_FUNCTION2`: a library follows.
pub const RDB_OPCODE_FUNCTION2: u8 = 245;
/// `RDB_OPCODE_FUNCTION_PRE_GA`: the 7.0 release-candidate format (refused).
pub const RDB_OPCODE_FUNCTION_PRE_GA: u8 = 246;
/// Redis 7.2's `RDB_VERSION`.
pub const RDB_VERSION: u16 = 11;

/// CRC-64 as Redis's `crc64.c` (the `crc` crate's `CRC_64_REDIS`, through
/// [`ferrodis_persistence::rdb::crc64`]).
pub use ferrodis_persistence::rdb::crc64;

/// Appends an RDB length (`rdbSaveLen`).
fn put_len(out: &mut Vec<u8>, len: usize) {
    if len < 1 << 6 {
        out.push(len as u8);
    } else if len < 1 << 14 {
        out.push(((len >> 8) as u8) | 0x40);
        out.push(len as u8);
    } else if len <= u32::MAX as usize {
        out.push(0x80);
        out.extend_from_slice(&(len as u32).to_be_bytes());
    } else {
        out.push(0x81);
        out.extend_from_slice(&(len as u64).to_be_bytes());
    }
}

/// The FUNCTION DUMP payload of these library codes.
pub fn dump_payload<'a>(codes: impl IntoIterator<Item = &'a [u8]>) -> Vec<u8> {
    let mut out = Vec::new();
    for code in codes {
        out.push(RDB_OPCODE_FUNCTION2);
        put_len(&mut out, code.len());
        out.extend_from_slice(code);
    }
    out.extend_from_slice(&RDB_VERSION.to_le_bytes());
    let crc = crc64(&out);
    out.extend_from_slice(&crc.to_le_bytes());
    out
}

/// Checks the footer (`verifyDumpPayload`): RDB version not above ours and a matching CRC.
pub fn verify_payload(p: &[u8]) -> bool {
    if p.len() < 10 {
        return false;
    }
    let footer = &p[p.len() - 10..];
    let version = u16::from_le_bytes([footer[0], footer[1]]);
    if version > RDB_VERSION {
        return false;
    }
    crc64(&p[..p.len() - 8]).to_le_bytes() == footer[2..10]
}

/// Reads an RDB length: `(value, is_encoded)`.
fn get_len(p: &[u8], pos: &mut usize) -> Option<(u64, bool)> {
    let first = *p.get(*pos)?;
    *pos += 1;
    match first >> 6 {
        0 => Some((u64::from(first & 0x3f), false)),
        1 => {
            let second = *p.get(*pos)?;
            *pos += 1;
            Some(((u64::from(first & 0x3f) << 8) | u64::from(second), false))
        }
        2 if first == 0x80 => {
            let b = p.get(*pos..*pos + 4)?;
            *pos += 4;
            Some((u64::from(u32::from_be_bytes(b.try_into().ok()?)), false))
        }
        2 if first == 0x81 => {
            let b = p.get(*pos..*pos + 8)?;
            *pos += 8;
            Some((u64::from_be_bytes(b.try_into().ok()?), false))
        }
        3 => Some((u64::from(first & 0x3f), true)),
        _ => None,
    }
}

/// Reads an RDB string (`rdbGenericLoadStringObject`): plain, integer-encoded or LZF.
fn get_string(p: &[u8], pos: &mut usize) -> Option<Vec<u8>> {
    let (len, encoded) = get_len(p, pos)?;
    if encoded {
        return match len {
            0 => {
                let v = *p.get(*pos)? as i8;
                *pos += 1;
                Some(v.to_string().into_bytes())
            }
            1 => {
                let b = p.get(*pos..*pos + 2)?;
                *pos += 2;
                Some(i16::from_le_bytes([b[0], b[1]]).to_string().into_bytes())
            }
            2 => {
                let b = p.get(*pos..*pos + 4)?;
                *pos += 4;
                Some(i32::from_le_bytes(b.try_into().ok()?).to_string().into_bytes())
            }
            3 => {
                let (clen, _) = get_len(p, pos)?;
                let (ulen, _) = get_len(p, pos)?;
                let clen = usize::try_from(clen).ok()?;
                let data = p.get(*pos..pos.checked_add(clen)?)?;
                *pos += clen;
                lzf_decompress(data, usize::try_from(ulen).ok()?)
            }
            _ => None,
        };
    }
    let len = usize::try_from(len).ok()?;
    let s = p.get(*pos..pos.checked_add(len)?)?.to_vec();
    *pos += len;
    Some(s)
}

/// LZF decompression (liblzf's `lzf_decompress`), exactly `out_len` bytes or `None`.
pub use ferrodis_persistence::rdb::lzf_decompress;

/// Splits a verified payload into library codes. Errors (without `ERR `): `can not read
/// data type`, `Pre-GA function format not supported`, `given type is not a function`,
/// `Failed loading library payload`.
pub fn parse_payload(p: &[u8]) -> Result<Vec<Vec<u8>>, String> {
    let mut pos = 0;
    let mut out = Vec::new();
    while p.len() - pos > 10 {
        let kind = p[pos];
        pos += 1;
        if kind == RDB_OPCODE_FUNCTION_PRE_GA {
            return Err("Pre-GA function format not supported".into());
        }
        if kind != RDB_OPCODE_FUNCTION2 {
            return Err("given type is not a function".into());
        }
        match get_string(&p[..p.len() - 10], &mut pos) {
            Some(code) => out.push(code),
            None => return Err("Failed loading library payload".into()),
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crc64_matches_redis() {
        // Redis's crc64.c self test.
        assert_eq!(crc64(b"123456789"), 0xe9c6_d914_c4b8_d9ca);
    }

    #[test]
    fn metadata() {
        let md = parse_metadata(b"#!lua name=mylib\nreturn 1").unwrap();
        assert_eq!(md, Metadata { engine: "lua".into(), name: "mylib".into(), body_start: 16 });
        assert_eq!(parse_metadata(b"#!lua name=\"foo\"\n").unwrap().name, "foo");
        assert_eq!(parse_metadata(b"x").unwrap_err(), "Missing library metadata");
        assert_eq!(parse_metadata(b"#!lua name=x").unwrap_err(), "Invalid library metadata");
        assert_eq!(parse_metadata(b"#!lua\n").unwrap_err(), "Library name was not given");
        assert_eq!(
            parse_metadata(b"#!lua name=a name=b\n").unwrap_err(),
            "Invalid metadata value, name argument was given multiple times"
        );
        assert_eq!(
            parse_metadata(b"#!lua name=a foo=bar\n").unwrap_err(),
            "Invalid metadata value given: foo=bar"
        );
        assert_eq!(parse_metadata(b"#! name=a\n").unwrap().engine, "");
        assert!(valid_name(b"a_1") && !valid_name(b"") && !valid_name(b"a-b"));
    }

    #[test]
    fn payload_round_trip() {
        let long = vec![b'x'; 20000];
        let codes: Vec<&[u8]> = vec![b"#!lua name=a\n", &long];
        let p = dump_payload(codes.iter().copied());
        assert!(verify_payload(&p));
        assert_eq!(parse_payload(&p).unwrap(), vec![b"#!lua name=a\n".to_vec(), long.clone()]);
        let mut bad = p.clone();
        bad[3] ^= 1;
        assert!(!verify_payload(&bad));
        assert!(!verify_payload(b"bad_payload"));
    }

    #[test]
    fn lzf() {
        // "aaaaaaaaaa": literal 'a' then a back reference of length 9 at distance 1.
        assert_eq!(lzf_decompress(&[0, b'a', 0xe0, 0, 0], 10).unwrap(), b"aaaaaaaaaa");
        assert!(lzf_decompress(&[0, b'a', 0xe0, 5, 0], 10).is_none());
    }
}
