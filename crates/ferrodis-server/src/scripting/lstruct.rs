//! The `struct` library scripts see (Roberto Ierusalimschy's struct 0.2 as Redis bundles
//! it), in Rust: `struct.pack(fmt, ...)`, `struct.unpack(fmt, s [, pos])` (the values, then
//! the 1-based position after them) and `struct.size(fmt)`.
//!
//! Format: `>`/`<`/`=` endianness (native is little-endian here), `!n` maximum alignment
//! (`!` alone: 8), `x` a zero byte, `b`/`B` 1-byte, `h`/`H` 2-byte, `l`/`L` and `T` 8-byte,
//! `i`/`I[n]` n-byte (default 4) integers, `f` float, `d` double, `s` zero-terminated string,
//! `c[n]` fixed-length string (`c0`: the whole string when packing, the length read just
//! before when unpacking); spaces are ignored. Integer sizes are limited to 32 bytes (the
//! check Redis's CVE-2020-14147 fix relies on); bytes past the eighth are zero.

use super::raise_message;
use mlua::{Lua, MultiValue, Table, Value};

const MAX_INT: usize = 32;

#[derive(Clone, Copy)]
struct State {
    little: bool,
    align: usize,
}

/// One parsed option.
enum Opt {
    Pad,
    Int { size: usize, signed: bool },
    Float,
    Double,
    ZString,
    Chars(usize),
}

/// Reads the optional number after an option.
fn number(fmt: &[u8], i: &mut usize, default: usize) -> usize {
    if *i >= fmt.len() || !fmt[*i].is_ascii_digit() {
        return default;
    }
    let mut n = 0usize;
    while *i < fmt.len() && fmt[*i].is_ascii_digit() {
        n = n.saturating_mul(10).saturating_add(usize::from(fmt[*i] - b'0'));
        *i += 1;
    }
    n
}

/// The next option, applying the state changes (`<`, `>`, `!`, spaces) on the way.
fn next_opt(fmt: &[u8], i: &mut usize, st: &mut State, fname: &str) -> Result<Option<Opt>, String> {
    while *i < fmt.len() {
        let c = fmt[*i];
        *i += 1;
        let opt = match c {
            b' ' => continue,
            b'>' => {
                st.little = false;
                continue;
            }
            b'<' | b'=' => {
                st.little = true;
                continue;
            }
            b'!' => {
                st.align = number(fmt, i, 8);
                continue;
            }
            b'x' => Opt::Pad,
            b'b' => Opt::Int { size: 1, signed: true },
            b'B' => Opt::Int { size: 1, signed: false },
            b'h' => Opt::Int { size: 2, signed: true },
            b'H' => Opt::Int { size: 2, signed: false },
            b'l' => Opt::Int { size: 8, signed: true },
            b'L' | b'T' => Opt::Int { size: 8, signed: false },
            b'i' | b'I' => {
                let size = number(fmt, i, 4);
                if size > MAX_INT {
                    return Err(format!("integral size {size} is larger than limit of {MAX_INT}"));
                }
                Opt::Int { size, signed: c == b'i' }
            }
            b'f' => Opt::Float,
            b'd' => Opt::Double,
            b's' => Opt::ZString,
            b'c' => Opt::Chars(number(fmt, i, 1)),
            other => {
                return Err(format!(
                    "bad argument #1 to '{fname}' (invalid format option '{}')",
                    other as char
                ))
            }
        };
        return Ok(Some(opt));
    }
    Ok(None)
}

fn opt_size(opt: &Opt) -> usize {
    match opt {
        Opt::Pad => 1,
        Opt::Int { size, .. } => *size,
        Opt::Float => 4,
        Opt::Double => 8,
        Opt::ZString | Opt::Chars(_) => 1,
    }
}

/// Padding before an option of `size` at offset `len` (struct's `gettoalign`).
fn to_align(len: usize, opt: &Opt, st: State) -> usize {
    let size = match opt {
        Opt::Int { .. } | Opt::Float | Opt::Double => opt_size(opt),
        _ => return 0,
    };
    let align = size.min(st.align);
    if align <= 1 || !align.is_power_of_two() {
        return 0;
    }
    (align - (len & (align - 1))) & (align - 1)
}

fn num(v: Option<&Value>) -> Option<f64> {
    match v {
        Some(Value::Integer(n)) => Some(*n as f64),
        Some(Value::Number(n)) => Some(*n),
        Some(Value::String(s)) => s.to_str().ok().and_then(|s| s.trim().parse().ok()),
        _ => None,
    }
}

/// `bad argument #n to 'pack' (<what> expected, got <type>)`.
fn expected(a: &MultiValue, arg: usize, what: &str) -> String {
    let got = a.get(arg).map_or("nil", Value::type_name);
    format!("bad argument #{} to 'pack' ({what} expected, got {got})", arg + 1)
}

fn pack(lua: &Lua, a: &MultiValue) -> Result<Vec<u8>, String> {
    const FNAME: &str = "pack";
    let Some(Value::String(fmt)) = a.front() else {
        return Err("bad argument #1 to 'pack' (string expected)".into());
    };
    let fmt = fmt.as_bytes().to_vec();
    let mut st = State { little: true, align: 1 };
    let mut out = Vec::new();
    let mut i = 0;
    let mut arg = 1;
    let _ = lua;
    while let Some(opt) = next_opt(&fmt, &mut i, &mut st, FNAME)? {
        out.resize(out.len() + to_align(out.len(), &opt, st), 0);
        match opt {
            Opt::Pad => out.push(0),
            Opt::Int { size, .. } => {
                let n = num(a.get(arg)).ok_or_else(|| expected(a, arg, "number"))?;
                arg += 1;
                let v = if n < 0.0 { n as i64 as u64 } else { n as u64 };
                // Bytes past the eighth are zero, as struct's `putinteger` shifts them out.
                let mut bytes = [0u8; MAX_INT];
                bytes[..8].copy_from_slice(&v.to_le_bytes());
                if st.little {
                    out.extend_from_slice(&bytes[..size]);
                } else {
                    out.extend(bytes[..size].iter().rev());
                }
            }
            Opt::Float | Opt::Double => {
                let n = num(a.get(arg)).ok_or_else(|| expected(a, arg, "number"))?;
                arg += 1;
                let bytes: Vec<u8> = if matches!(opt, Opt::Float) {
                    (n as f32).to_le_bytes().to_vec()
                } else {
                    n.to_le_bytes().to_vec()
                };
                if st.little {
                    out.extend_from_slice(&bytes);
                } else {
                    out.extend(bytes.iter().rev());
                }
            }
            Opt::ZString | Opt::Chars(_) => {
                let s = match a.get(arg) {
                    Some(Value::String(s)) => s.as_bytes().to_vec(),
                    Some(Value::Integer(n)) => n.to_string().into_bytes(),
                    Some(Value::Number(n)) => super::lua_number_text(*n).into_bytes(),
                    _ => return Err(expected(a, arg, "string")),
                };
                arg += 1;
                match opt {
                    Opt::ZString => {
                        out.extend_from_slice(&s);
                        out.push(0);
                    }
                    Opt::Chars(n) => {
                        let n = if n == 0 { s.len() } else { n };
                        if s.len() < n {
                            // struct 0.2 names the argument after this one.
                            return Err(format!(
                                "bad argument #{} to 'pack' (string too short)",
                                arg + 1
                            ));
                        }
                        out.extend_from_slice(&s[..n]);
                    }
                    _ => {}
                }
            }
        }
    }
    Ok(out)
}

fn unpack(lua: &Lua, a: &MultiValue) -> Result<MultiValue, String> {
    const FNAME: &str = "unpack";
    let (Some(Value::String(fmt)), Some(Value::String(data))) = (a.front(), a.get(1)) else {
        return Err("bad argument to 'unpack' (string expected)".into());
    };
    let fmt = fmt.as_bytes().to_vec();
    let data = data.as_bytes().to_vec();
    let start = num(a.get(2)).unwrap_or(1.0);
    if start < 1.0 {
        return Err("bad argument #3 to 'unpack' (offset must be 1 or greater)".into());
    }
    let mut pos = start as usize - 1;
    let mut st = State { little: true, align: 1 };
    let mut out = MultiValue::new();
    let mut i = 0;
    let mut last_int: Option<f64> = None;
    let too_short = || "bad argument #2 to 'unpack' (data string too short)".to_string();
    while let Some(opt) = next_opt(&fmt, &mut i, &mut st, FNAME)? {
        pos += to_align(pos, &opt, st);
        if pos > data.len() {
            return Err(too_short());
        }
        match opt {
            Opt::Pad => pos += 1,
            Opt::Int { size, signed } => {
                let bytes = data.get(pos..pos + size).ok_or_else(too_short)?;
                let mut v: u64 = 0;
                for k in 0..size {
                    let b = if st.little { bytes[size - 1 - k] } else { bytes[k] };
                    v = v.wrapping_shl(8) | u64::from(b);
                }
                let n = if signed && (1..8).contains(&size) && v >> (size * 8 - 1) & 1 == 1 {
                    (v as i64 - (1i64 << (size * 8))) as f64
                } else if signed {
                    v as i64 as f64
                } else {
                    v as f64
                };
                last_int = Some(n);
                out.push_back(Value::Number(n));
                pos += size;
            }
            Opt::Float | Opt::Double => {
                let size = opt_size(&opt);
                let bytes = data.get(pos..pos + size).ok_or_else(too_short)?;
                let mut b = bytes.to_vec();
                if !st.little {
                    b.reverse();
                }
                let n = if size == 4 {
                    f64::from(f32::from_le_bytes([b[0], b[1], b[2], b[3]]))
                } else {
                    f64::from_le_bytes([b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7]])
                };
                out.push_back(Value::Number(n));
                pos += size;
            }
            Opt::ZString => {
                let rest = &data[pos..];
                let end = rest.iter().position(|&c| c == 0).ok_or_else(|| {
                    "bad argument #2 to 'unpack' (unfinished string in data)".to_string()
                })?;
                out.push_back(Value::String(
                    lua.create_string(&rest[..end]).map_err(|e| e.to_string())?,
                ));
                pos += end + 1;
            }
            Opt::Chars(n) => {
                let n = if n == 0 {
                    let len = last_int.take().ok_or_else(|| {
                        "bad argument #1 to 'unpack' (format 'c0' needs a previous size)"
                            .to_string()
                    })?;
                    out.pop_back();
                    len.max(0.0) as usize
                } else {
                    n
                };
                let bytes = data.get(pos..pos + n).ok_or_else(too_short)?;
                out.push_back(Value::String(lua.create_string(bytes).map_err(|e| e.to_string())?));
                pos += n;
            }
        }
    }
    out.push_back(Value::Number((pos + 1) as f64));
    Ok(out)
}

fn size(a: &MultiValue) -> Result<usize, String> {
    const FNAME: &str = "size";
    let Some(Value::String(fmt)) = a.front() else {
        return Err("bad argument #1 to 'size' (string expected)".into());
    };
    let fmt = fmt.as_bytes().to_vec();
    let mut st = State { little: true, align: 1 };
    let mut total = 0usize;
    let mut i = 0;
    while let Some(opt) = next_opt(&fmt, &mut i, &mut st, FNAME)? {
        match opt {
            Opt::ZString => {
                return Err("bad argument #1 to 'size' (option 's' has no fixed size)".into())
            }
            Opt::Chars(0) => {
                return Err("bad argument #1 to 'size' (option 'c0' has no fixed size)".into())
            }
            _ => {}
        }
        total += to_align(total, &opt, st);
        total += match opt {
            Opt::Chars(n) => n,
            ref other => opt_size(other),
        };
    }
    Ok(total)
}

/// Builds the `struct` table.
pub fn module(lua: &Lua) -> mlua::Result<Table> {
    let t = lua.create_table()?;
    t.raw_set(
        "pack",
        lua.create_function(|lua, a: MultiValue| {
            let bytes = pack(lua, &a).map_err(|e| raise_message(lua, &e))?;
            lua.create_string(&bytes)
        })?,
    )?;
    t.raw_set(
        "unpack",
        lua.create_function(|lua, a: MultiValue| {
            unpack(lua, &a).map_err(|e| raise_message(lua, &e))
        })?,
    )?;
    t.raw_set(
        "size",
        lua.create_function(|lua, a: MultiValue| size(&a).map_err(|e| raise_message(lua, &e)))?,
    )?;
    Ok(t)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pack_unpack_size() {
        let lua = Lua::new();
        lua.globals().set("struct", module(&lua).unwrap()).unwrap();
        let hex: String = lua
            .load("local s = struct.pack('>HbI3', 258, -1, 65536); return (s:gsub('.', function(c) return string.format('%02x', c:byte()) end))")
            .eval()
            .unwrap();
        assert_eq!(hex, "0102ff010000");
        let (a, b, c, next): (i64, i64, String, i64) = lua
            .load("return struct.unpack('<hBs', struct.pack('<hBs', -2, 200, 'hi'))")
            .eval()
            .unwrap();
        assert_eq!((a, b, c.as_str(), next), (-2, 200, "hi", 7));
        let n: i64 = lua.load("return struct.size('>i4hd')").eval().unwrap();
        assert_eq!(n, 14);
        let n: i64 = lua.load("return struct.size('!>i2i4')").eval().unwrap();
        assert_eq!(n, 8);
        let (s, next): (String, i64) =
            lua.load("return struct.unpack('Bc0', struct.pack('Bc0', 3, 'abc'))").eval().unwrap();
        assert_eq!((s.as_str(), next), ("abc", 5));
        assert!(lua.load("return struct.pack('i33', 1)").exec().is_err());
    }
}
