//! The `cmsgpack` library scripts see (lua-cmsgpack 0.4 as Redis bundles it), in Rust.
//!
//! `cmsgpack.pack(v1, ...)` concatenates the encodings of its arguments: integral numbers use
//! the smallest integer format, other numbers float32 when that is lossless, else float64;
//! strings fixstr/str8/str16/str32; a table whose keys are exactly 1..n is an array, any
//! other table a map (key order as Lua's `next`); tables nested deeper than 16 levels, and
//! values of other types, encode as nil. `cmsgpack.unpack(s)` returns every object;
//! `unpack_one(s [, offset])` and `unpack_limit(s, limit [, offset])` return the offset of
//! the next object (-1 at the end) followed by the objects.

use super::raise_message;
use mlua::{Lua, MultiValue, Table, Value};

const MAX_NESTING: usize = 16;

/// Builds the `cmsgpack` table.
pub fn module(lua: &Lua) -> mlua::Result<Table> {
    let t = lua.create_table()?;
    t.raw_set(
        "pack",
        lua.create_function(|lua, a: MultiValue| {
            if a.is_empty() {
                return Err(raise_message(lua, "MessagePack pack needs input."));
            }
            let mut out = Vec::new();
            for v in a.iter() {
                encode(v, &mut out, 0);
            }
            lua.create_string(&out)
        })?,
    )?;
    t.raw_set(
        "unpack",
        lua.create_function(|lua, a: MultiValue| {
            let s = input(lua, &a)?;
            let mut d = Decoder { s: &s, pos: 0, lua };
            let mut out = MultiValue::new();
            while d.pos < s.len() {
                out.push_back(d.value().map_err(|e| raise_message(lua, e))?);
            }
            Ok(out)
        })?,
    )?;
    t.raw_set(
        "unpack_one",
        lua.create_function(|lua, a: MultiValue| {
            let offset = number_arg(&a, 1).unwrap_or(0.0);
            unpack_limited(lua, &a, 1, offset)
        })?,
    )?;
    t.raw_set(
        "unpack_limit",
        lua.create_function(|lua, a: MultiValue| {
            let limit = number_arg(&a, 1).unwrap_or(0.0);
            let offset = number_arg(&a, 2).unwrap_or(0.0);
            unpack_limited(lua, &a, limit as usize, offset)
        })?,
    )?;
    Ok(t)
}

fn number_arg(a: &MultiValue, i: usize) -> Option<f64> {
    match a.get(i) {
        Some(Value::Integer(n)) => Some(*n as f64),
        Some(Value::Number(n)) => Some(*n),
        _ => None,
    }
}

fn input(lua: &Lua, a: &MultiValue) -> mlua::Result<Vec<u8>> {
    match a.front() {
        Some(Value::String(s)) => Ok(s.as_bytes().to_vec()),
        _ => Err(raise_message(lua, "MessagePack unpack needs a string.")),
    }
}

fn unpack_limited(
    lua: &Lua,
    a: &MultiValue,
    limit: usize,
    offset: f64,
) -> mlua::Result<MultiValue> {
    let s = input(lua, a)?;
    if offset < 0.0 || offset as usize > s.len() {
        return Err(raise_message(lua, "Start offset is greater than input length."));
    }
    let mut d = Decoder { s: &s, pos: offset as usize, lua };
    let mut values = Vec::new();
    while d.pos < s.len() && (limit == 0 || values.len() < limit) {
        values.push(d.value().map_err(|e| raise_message(lua, e))?);
    }
    let next = if d.pos < s.len() { d.pos as f64 } else { -1.0 };
    let mut out = MultiValue::new();
    out.push_back(Value::Number(next));
    for v in values {
        out.push_back(v);
    }
    Ok(out)
}

fn encode(v: &Value, out: &mut Vec<u8>, level: usize) {
    match v {
        Value::Boolean(b) => out.push(if *b { 0xc3 } else { 0xc2 }),
        Value::Integer(n) => encode_int(*n, out),
        Value::Number(n) => {
            let n = *n;
            if n.fract() == 0.0 && (-9.223372036854776e18..9.223372036854776e18).contains(&n) {
                encode_int(n as i64, out);
            } else if (n as f32) as f64 == n || n.is_nan() {
                out.push(0xca);
                out.extend_from_slice(&(n as f32).to_be_bytes());
            } else {
                out.push(0xcb);
                out.extend_from_slice(&n.to_be_bytes());
            }
        }
        Value::String(s) => {
            let b = s.as_bytes();
            let len = b.len();
            if len < 32 {
                out.push(0xa0 | len as u8);
            } else if len <= 0xff {
                out.push(0xd9);
                out.push(len as u8);
            } else if len <= 0xffff {
                out.push(0xda);
                out.extend_from_slice(&(len as u16).to_be_bytes());
            } else {
                out.push(0xdb);
                out.extend_from_slice(&(len as u32).to_be_bytes());
            }
            out.extend_from_slice(&b);
        }
        Value::Table(t) if level < MAX_NESTING => {
            let pairs: Vec<(Value, Value)> = t.pairs::<Value, Value>().flatten().collect();
            let mut max = 0usize;
            let is_array = pairs.iter().all(|(k, _)| {
                let n = match k {
                    Value::Integer(n) => *n as f64,
                    Value::Number(n) => *n,
                    _ => return false,
                };
                if n >= 1.0 && n.fract() == 0.0 {
                    max = max.max(n as usize);
                    true
                } else {
                    false
                }
            }) && max == pairs.len();
            if is_array {
                header(out, pairs.len(), 0x90, 0xdc, 0xdd);
                for i in 1..=pairs.len() {
                    let item: Value = t.raw_get(i).unwrap_or(Value::Nil);
                    encode(&item, out, level + 1);
                }
            } else {
                header(out, pairs.len(), 0x80, 0xde, 0xdf);
                for (k, v) in &pairs {
                    encode(k, out, level + 1);
                    encode(v, out, level + 1);
                }
            }
        }
        _ => out.push(0xc0),
    }
}

fn header(out: &mut Vec<u8>, len: usize, fix: u8, b16: u8, b32: u8) {
    if len < 16 {
        out.push(fix | len as u8);
    } else if len <= 0xffff {
        out.push(b16);
        out.extend_from_slice(&(len as u16).to_be_bytes());
    } else {
        out.push(b32);
        out.extend_from_slice(&(len as u32).to_be_bytes());
    }
}

fn encode_int(n: i64, out: &mut Vec<u8>) {
    if n >= 0 {
        if n < 128 {
            out.push(n as u8);
        } else if n < 256 {
            out.push(0xcc);
            out.push(n as u8);
        } else if n < 65536 {
            out.push(0xcd);
            out.extend_from_slice(&(n as u16).to_be_bytes());
        } else if n < 1 << 32 {
            out.push(0xce);
            out.extend_from_slice(&(n as u32).to_be_bytes());
        } else {
            out.push(0xcf);
            out.extend_from_slice(&(n as u64).to_be_bytes());
        }
    } else if n >= -32 {
        out.push(n as i8 as u8);
    } else if n >= -128 {
        out.push(0xd0);
        out.push(n as i8 as u8);
    } else if n >= -32768 {
        out.push(0xd1);
        out.extend_from_slice(&(n as i16).to_be_bytes());
    } else if n >= -(1 << 31) {
        out.push(0xd2);
        out.extend_from_slice(&(n as i32).to_be_bytes());
    } else {
        out.push(0xd3);
        out.extend_from_slice(&n.to_be_bytes());
    }
}

struct Decoder<'a> {
    s: &'a [u8],
    pos: usize,
    lua: &'a Lua,
}

const MISSING: &str = "Missing bytes in input.";
const BAD: &str = "Bad data format in input.";

impl Decoder<'_> {
    fn take(&mut self, n: usize) -> Result<&[u8], &'static str> {
        let end = self.pos.checked_add(n).ok_or(MISSING)?;
        let bytes = self.s.get(self.pos..end).ok_or(MISSING)?;
        self.pos = end;
        Ok(bytes)
    }

    fn uint(&mut self, n: usize) -> Result<u64, &'static str> {
        Ok(self.take(n)?.iter().fold(0u64, |acc, &b| (acc << 8) | u64::from(b)))
    }

    fn string(&mut self, len: usize) -> Result<Value, &'static str> {
        let bytes = self.take(len)?.to_vec();
        self.lua.create_string(&bytes).map(Value::String).map_err(|_| BAD)
    }

    fn array(&mut self, len: usize) -> Result<Value, &'static str> {
        let t = self.lua.create_table().map_err(|_| BAD)?;
        for i in 1..=len {
            let v = self.value()?;
            t.raw_set(i, v).map_err(|_| BAD)?;
        }
        Ok(Value::Table(t))
    }

    fn map(&mut self, len: usize) -> Result<Value, &'static str> {
        let t = self.lua.create_table().map_err(|_| BAD)?;
        for _ in 0..len {
            let k = self.value()?;
            let v = self.value()?;
            if k != Value::Nil {
                t.raw_set(k, v).map_err(|_| BAD)?;
            }
        }
        Ok(Value::Table(t))
    }

    fn value(&mut self) -> Result<Value, &'static str> {
        let tag = self.take(1)?[0];
        Ok(match tag {
            0x00..=0x7f => Value::Number(f64::from(tag)),
            0x80..=0x8f => return self.map(usize::from(tag & 0x0f)),
            0x90..=0x9f => return self.array(usize::from(tag & 0x0f)),
            0xa0..=0xbf => return self.string(usize::from(tag & 0x1f)),
            0xc0 => Value::Nil,
            0xc2 => Value::Boolean(false),
            0xc3 => Value::Boolean(true),
            0xc4 | 0xd9 => {
                let n = self.uint(1)? as usize;
                return self.string(n);
            }
            0xc5 | 0xda => {
                let n = self.uint(2)? as usize;
                return self.string(n);
            }
            0xc6 | 0xdb => {
                let n = self.uint(4)? as usize;
                return self.string(n);
            }
            0xca => Value::Number(f64::from(f32::from_bits(self.uint(4)? as u32))),
            0xcb => Value::Number(f64::from_bits(self.uint(8)?)),
            0xcc => Value::Number(self.uint(1)? as f64),
            0xcd => Value::Number(self.uint(2)? as f64),
            0xce => Value::Number(self.uint(4)? as f64),
            0xcf => Value::Number(self.uint(8)? as f64),
            0xd0 => Value::Number(f64::from(self.uint(1)? as u8 as i8)),
            0xd1 => Value::Number(f64::from(self.uint(2)? as u16 as i16)),
            0xd2 => Value::Number(f64::from(self.uint(4)? as u32 as i32)),
            0xd3 => Value::Number(self.uint(8)? as i64 as f64),
            0xdc => {
                let n = self.uint(2)? as usize;
                return self.array(n);
            }
            0xdd => {
                let n = self.uint(4)? as usize;
                return self.array(n);
            }
            0xde => {
                let n = self.uint(2)? as usize;
                return self.map(n);
            }
            0xdf => {
                let n = self.uint(4)? as usize;
                return self.map(n);
            }
            0xe0..=0xff => Value::Number(f64::from(tag as i8)),
            _ => return Err(BAD),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hex(lua: &Lua, code: &str) -> String {
        let s: mlua::LuaString = lua.load(code).eval().unwrap();
        s.as_bytes().iter().map(|b| format!("{b:02x}")).collect()
    }

    #[test]
    fn encodings_like_redis() {
        let lua = Lua::new();
        lua.globals().set("cmsgpack", module(&lua).unwrap()).unwrap();
        assert_eq!(hex(&lua, "return cmsgpack.pack(0.1)"), "cb3fb999999999999a");
        assert_eq!(hex(&lua, "return cmsgpack.pack(-1099511627776)"), "d3ffffff0000000000");
        assert_eq!(hex(&lua, "return cmsgpack.pack(1.5)"), "ca3fc00000");
        assert_eq!(hex(&lua, "return cmsgpack.pack({1, 2, 'a'})"), "930102a161");
        assert_eq!(hex(&lua, "return cmsgpack.pack(-1, 200, nil, true)"), "ffccc8c0c3");
        let v: i64 = lua
            .load("local o, a, b = cmsgpack.unpack_limit(cmsgpack.pack(5, 6), 1, 0); return o * 100 + a")
            .eval()
            .unwrap();
        assert_eq!(v, 105);
        let v: String =
            lua.load("return cmsgpack.unpack(cmsgpack.pack({x = 'y'})).x").eval().unwrap();
        assert_eq!(v, "y");
    }
}
