//! The `cjson` library scripts see (lua-cjson 2.1 as Redis configures it), written in Rust.
//!
//! `cjson.encode(v)`: numbers as `%.14g`, `/` escaped as `\/`, tables with only positive
//! integer keys are arrays (holes become `null`; an array whose largest index is over 10 and
//! over twice its element count is "excessively sparse"), other tables are objects with
//! string or number keys, an empty table is `{}`; `cjson.null` (a NULL light userdata) is
//! `null`. `cjson.decode(s)`: objects and arrays become tables, `null` becomes `cjson.null`.
//! Nesting is limited to 1000 levels both ways, as lua-cjson's defaults.

use super::raise_message;
use mlua::{Lua, MultiValue, Table, Value};
use std::cell::Cell;

/// lua-cjson's settings that scripts may change.
#[derive(Debug, Clone, Copy)]
struct Config {
    encode_max_depth: usize,
    decode_max_depth: usize,
    encode_invalid_numbers: bool,
}

thread_local! {
    static CONFIG: Cell<Config> = const {
        Cell::new(Config { encode_max_depth: 1000, decode_max_depth: 1000, encode_invalid_numbers: false })
    };
}

/// Applies a numeric setting when the first argument is a number; returns the settings.
fn update(a: &MultiValue, set: impl FnOnce(&mut Config, f64)) -> Config {
    let mut c = CONFIG.with(Cell::get);
    let n = match a.front() {
        Some(Value::Integer(n)) => Some(*n as f64),
        Some(Value::Number(n)) => Some(*n),
        _ => None,
    };
    if let Some(n) = n {
        set(&mut c, n);
        CONFIG.with(|cell| cell.set(c));
    }
    c
}

/// Formats a number as C's `%.14g` (lua-cjson's `encode_number_precision` and Lua's
/// `tostring`).
pub fn format_g14(n: f64) -> String {
    if n.is_nan() {
        return if n.is_sign_negative() { "-nan".into() } else { "nan".into() };
    }
    if n.is_infinite() {
        return if n < 0.0 { "-inf".into() } else { "inf".into() };
    }
    if n == 0.0 {
        return if n.is_sign_negative() { "-0".into() } else { "0".into() };
    }
    let sci = format!("{n:.13e}");
    let (mantissa, exp) = sci.split_once('e').unwrap_or((&sci, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    if !(-4..14).contains(&exp) {
        let m = trim_zeros(mantissa);
        let sign = if exp < 0 { '-' } else { '+' };
        format!("{m}e{sign}{:02}", exp.abs())
    } else {
        let decimals = (13 - exp).max(0) as usize;
        trim_zeros(&format!("{n:.decimals$}")).to_string()
    }
}

fn trim_zeros(s: &str) -> &str {
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.')
    } else {
        s
    }
}

/// Builds the `cjson` table.
pub fn module(lua: &Lua) -> mlua::Result<Table> {
    let t = lua.create_table()?;
    t.raw_set(
        "encode",
        lua.create_function(|lua, a: MultiValue| {
            if a.len() != 1 {
                return Err(raise_message(
                    lua,
                    "bad argument #1 to 'encode' (expected 1 argument)",
                ));
            }
            let mut out = Vec::new();
            encode(&a[0], &mut out, 0).map_err(|e| raise_message(lua, &e))?;
            lua.create_string(&out)
        })?,
    )?;
    t.raw_set(
        "decode",
        lua.create_function(|lua, a: MultiValue| {
            let Some(Value::String(s)) = a.front() else {
                return Err(raise_message(lua, "bad argument #1 to 'decode' (string expected)"));
            };
            let bytes = s.as_bytes().to_vec();
            let mut p = Parser { s: &bytes, pos: 0, lua };
            let v = p.value(0).map_err(|e| raise_message(lua, &e))?;
            p.ws();
            if p.pos < bytes.len() {
                return Err(raise_message(lua, &p.unexpected("the end")));
            }
            Ok(v)
        })?,
    )?;
    t.raw_set("null", Value::NULL)?;
    // lua-cjson's configuration functions (the settings last as long as the interpreter,
    // as in Redis): called without a value they only return the current one.
    t.raw_set(
        "encode_max_depth",
        lua.create_function(|_, a: MultiValue| {
            Ok(update(&a, |c, n| c.encode_max_depth = n.max(1.0) as usize).encode_max_depth)
        })?,
    )?;
    t.raw_set(
        "decode_max_depth",
        lua.create_function(|_, a: MultiValue| {
            Ok(update(&a, |c, n| c.decode_max_depth = n.max(1.0) as usize).decode_max_depth)
        })?,
    )?;
    t.raw_set(
        "encode_invalid_numbers",
        lua.create_function(|_, a: MultiValue| {
            let mut c = CONFIG.with(Cell::get);
            if let Some(v) = a.front() {
                c.encode_invalid_numbers = matches!(v, Value::Boolean(true))
                    || matches!(v, Value::String(s) if &*s.as_bytes() == b"on");
                CONFIG.with(|cell| cell.set(c));
            }
            Ok(c.encode_invalid_numbers)
        })?,
    )?;
    for name in [
        "encode_keep_buffer",
        "encode_number_precision",
        "decode_invalid_numbers",
        "encode_sparse_array",
    ] {
        t.raw_set(name, lua.create_function(|_, _: MultiValue| Ok(()))?)?;
    }
    Ok(t)
}

fn encode(v: &Value, out: &mut Vec<u8>, depth: usize) -> Result<(), String> {
    match v {
        Value::Nil => out.extend_from_slice(b"null"),
        Value::LightUserData(p) if p.0.is_null() => out.extend_from_slice(b"null"),
        Value::Boolean(b) => out.extend_from_slice(if *b { b"true" } else { b"false" }),
        // Lua 5.1 has only doubles (mlua hands integral ones over as integers): `%.14g` too.
        Value::Integer(n) => out.extend_from_slice(format_g14(*n as f64).as_bytes()),
        Value::Number(n) => {
            if !n.is_finite() && !CONFIG.with(Cell::get).encode_invalid_numbers {
                return Err("Cannot serialise number: must not be NaN or Inf".into());
            }
            out.extend_from_slice(format_g14(*n).as_bytes());
        }
        Value::String(s) => encode_string(&s.as_bytes(), out),
        Value::Table(t) => {
            if depth + 1 > CONFIG.with(Cell::get).encode_max_depth {
                return Err(format!("Cannot serialise, excessive nesting ({})", depth + 1));
            }
            match array_length(t)? {
                Some(len) if len > 0 => {
                    out.push(b'[');
                    for i in 1..=len {
                        if i > 1 {
                            out.push(b',');
                        }
                        let item: Value = t.raw_get(i).map_err(|e| e.to_string())?;
                        encode(&item, out, depth + 1)?;
                    }
                    out.push(b']');
                }
                _ => {
                    out.push(b'{');
                    let mut first = true;
                    for pair in t.pairs::<Value, Value>() {
                        let (k, item) = pair.map_err(|e| e.to_string())?;
                        if !first {
                            out.push(b',');
                        }
                        first = false;
                        match &k {
                            Value::String(s) => encode_string(&s.as_bytes(), out),
                            Value::Integer(n) => encode_string(n.to_string().as_bytes(), out),
                            Value::Number(n) => encode_string(format_g14(*n).as_bytes(), out),
                            other => {
                                return Err(format!(
                                    "Cannot serialise {}: table key must be a number or string",
                                    other.type_name()
                                ))
                            }
                        }
                        out.push(b':');
                        encode(&item, out, depth + 1)?;
                    }
                    out.push(b'}');
                }
            }
        }
        other => return Err(format!("Cannot serialise {}: type not supported", other.type_name())),
    }
    Ok(())
}

/// lua-cjson's `lua_array_length`: `Some(max index)` when every key is a positive integer.
fn array_length(t: &Table) -> Result<Option<usize>, String> {
    let mut max = 0usize;
    let mut items = 0usize;
    for pair in t.pairs::<Value, Value>() {
        let (k, _) = pair.map_err(|e| e.to_string())?;
        let n = match k {
            Value::Integer(n) => n as f64,
            Value::Number(n) => n,
            _ => return Ok(None),
        };
        if n < 1.0 || n.fract() != 0.0 {
            return Ok(None);
        }
        max = max.max(n as usize);
        items += 1;
    }
    if max > 10 && max > items * 2 {
        return Err("Cannot serialise table: excessively sparse array".into());
    }
    Ok(Some(max))
}

fn encode_string(s: &[u8], out: &mut Vec<u8>) {
    out.push(b'"');
    for &c in s {
        match c {
            b'"' => out.extend_from_slice(b"\\\""),
            b'\\' => out.extend_from_slice(b"\\\\"),
            b'/' => out.extend_from_slice(b"\\/"),
            b'\n' => out.extend_from_slice(b"\\n"),
            b'\r' => out.extend_from_slice(b"\\r"),
            b'\t' => out.extend_from_slice(b"\\t"),
            8 => out.extend_from_slice(b"\\b"),
            12 => out.extend_from_slice(b"\\f"),
            c if c < 0x20 || c == 0x7f => out.extend_from_slice(format!("\\u{c:04x}").as_bytes()),
            c => out.push(c),
        }
    }
    out.push(b'"');
}

struct Parser<'a> {
    s: &'a [u8],
    pos: usize,
    lua: &'a Lua,
}

impl Parser<'_> {
    fn ws(&mut self) {
        while self.pos < self.s.len() && matches!(self.s[self.pos], b' ' | b'\t' | b'\n' | b'\r') {
            self.pos += 1;
        }
    }

    fn unexpected(&self, what: &str) -> String {
        let rest = &self.s[self.pos.min(self.s.len())..];
        let found = match rest.first() {
            None => "T_END",
            Some(b'{') => "T_OBJ_BEGIN",
            Some(b'}') => "T_OBJ_END",
            Some(b'[') => "T_ARR_BEGIN",
            Some(b']') => "T_ARR_END",
            Some(b',') => "T_COMMA",
            Some(b':') => "T_COLON",
            Some(b'"') => "T_STRING",
            Some(b'-' | b'0'..=b'9') => "T_NUMBER",
            Some(_) if rest.starts_with(b"true") || rest.starts_with(b"false") => "T_BOOLEAN",
            Some(_) if rest.starts_with(b"null") => "T_NULL",
            Some(_) => "invalid token",
        };
        format!("Expected {what} but found {found} at character {}", self.pos + 1)
    }

    fn value(&mut self, depth: usize) -> Result<Value, String> {
        self.ws();
        let Some(&c) = self.s.get(self.pos) else { return Err(self.unexpected("value")) };
        match c {
            b'{' => {
                if depth + 1 > CONFIG.with(Cell::get).decode_max_depth {
                    return Err(format!(
                        "Found too many nested data structures ({}) at character {}",
                        depth + 1,
                        self.pos + 1
                    ));
                }
                self.pos += 1;
                let t = self.lua.create_table().map_err(|e| e.to_string())?;
                self.ws();
                if self.s.get(self.pos) == Some(&b'}') {
                    self.pos += 1;
                    return Ok(Value::Table(t));
                }
                loop {
                    self.ws();
                    if self.s.get(self.pos) != Some(&b'"') {
                        return Err(self.unexpected("object key string"));
                    }
                    let k = self.string()?;
                    self.ws();
                    if self.s.get(self.pos) != Some(&b':') {
                        return Err(self.unexpected("colon"));
                    }
                    self.pos += 1;
                    let v = self.value(depth + 1)?;
                    let k = self.lua.create_string(&k).map_err(|e| e.to_string())?;
                    t.raw_set(k, v).map_err(|e| e.to_string())?;
                    self.ws();
                    match self.s.get(self.pos) {
                        Some(b',') => self.pos += 1,
                        Some(b'}') => {
                            self.pos += 1;
                            return Ok(Value::Table(t));
                        }
                        _ => return Err(self.unexpected("comma or object end")),
                    }
                }
            }
            b'[' => {
                if depth + 1 > CONFIG.with(Cell::get).decode_max_depth {
                    return Err(format!(
                        "Found too many nested data structures ({}) at character {}",
                        depth + 1,
                        self.pos + 1
                    ));
                }
                self.pos += 1;
                let t = self.lua.create_table().map_err(|e| e.to_string())?;
                self.ws();
                if self.s.get(self.pos) == Some(&b']') {
                    self.pos += 1;
                    return Ok(Value::Table(t));
                }
                let mut i = 1;
                loop {
                    let v = self.value(depth + 1)?;
                    t.raw_set(i, v).map_err(|e| e.to_string())?;
                    i += 1;
                    self.ws();
                    match self.s.get(self.pos) {
                        Some(b',') => self.pos += 1,
                        Some(b']') => {
                            self.pos += 1;
                            return Ok(Value::Table(t));
                        }
                        _ => return Err(self.unexpected("comma or array end")),
                    }
                }
            }
            b'"' => {
                let s = self.string()?;
                Ok(Value::String(self.lua.create_string(&s).map_err(|e| e.to_string())?))
            }
            b't' if self.s[self.pos..].starts_with(b"true") => {
                self.pos += 4;
                Ok(Value::Boolean(true))
            }
            b'f' if self.s[self.pos..].starts_with(b"false") => {
                self.pos += 5;
                Ok(Value::Boolean(false))
            }
            b'n' if self.s[self.pos..].starts_with(b"null") => {
                self.pos += 4;
                Ok(Value::NULL)
            }
            b'-' | b'0'..=b'9' => {
                let start = self.pos;
                while self.pos < self.s.len()
                    && matches!(self.s[self.pos], b'-' | b'+' | b'.' | b'e' | b'E' | b'0'..=b'9')
                {
                    self.pos += 1;
                }
                let text = std::str::from_utf8(&self.s[start..self.pos]).unwrap_or("");
                match text.parse::<f64>() {
                    Ok(n) => Ok(Value::Number(n)),
                    Err(_) => {
                        self.pos = start;
                        Err(self.unexpected("value"))
                    }
                }
            }
            _ => Err(self.unexpected("value")),
        }
    }

    fn string(&mut self) -> Result<Vec<u8>, String> {
        let start = self.pos;
        self.pos += 1;
        let mut out = Vec::new();
        loop {
            let Some(&c) = self.s.get(self.pos) else {
                self.pos = start;
                return Err(self.unexpected("value"));
            };
            self.pos += 1;
            match c {
                b'"' => return Ok(out),
                b'\\' => {
                    let Some(&e) = self.s.get(self.pos) else {
                        self.pos = start;
                        return Err(self.unexpected("value"));
                    };
                    self.pos += 1;
                    match e {
                        b'"' | b'\\' | b'/' => out.push(e),
                        b'b' => out.push(8),
                        b'f' => out.push(12),
                        b'n' => out.push(b'\n'),
                        b'r' => out.push(b'\r'),
                        b't' => out.push(b'\t'),
                        b'u' => {
                            let cp = self.hex4()?;
                            let cp = if (0xd800..0xdc00).contains(&cp)
                                && self.s[self.pos..].starts_with(b"\\u")
                            {
                                self.pos += 2;
                                let low = self.hex4()?;
                                0x10000 + ((cp - 0xd800) << 10) + (low.wrapping_sub(0xdc00) & 0x3ff)
                            } else {
                                cp
                            };
                            let ch = char::from_u32(cp).unwrap_or('\u{fffd}');
                            let mut buf = [0u8; 4];
                            out.extend_from_slice(ch.encode_utf8(&mut buf).as_bytes());
                        }
                        _ => {
                            self.pos = start;
                            return Err(self.unexpected("value"));
                        }
                    }
                }
                c => out.push(c),
            }
        }
    }

    fn hex4(&mut self) -> Result<u32, String> {
        let digits = self.s.get(self.pos..self.pos + 4).ok_or_else(|| self.unexpected("value"))?;
        let text = std::str::from_utf8(digits).map_err(|_| self.unexpected("value"))?;
        let v = u32::from_str_radix(text, 16).map_err(|_| self.unexpected("value"))?;
        self.pos += 4;
        Ok(v)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn g14() {
        assert_eq!(format_g14(0.1), "0.1");
        assert_eq!(format_g14(1e20), "1e+20");
        assert_eq!(format_g14(123456.789), "123456.789");
        assert_eq!(format_g14(1.0 / 3.0), "0.33333333333333");
        assert_eq!(format_g14(0.0001), "0.0001");
        assert_eq!(format_g14(0.00001), "1e-05");
        assert_eq!(format_g14(100.0), "100");
    }

    #[test]
    fn round_trip() {
        let lua = Lua::new();
        lua.globals().set("cjson", module(&lua).unwrap()).unwrap();
        let s: String =
            lua.load(r#"return cjson.encode({1, 2, "a/b", {x = true}})"#).eval().unwrap();
        assert_eq!(s, r#"[1,2,"a\/b",{"x":true}]"#);
        let s: String = lua.load(r#"return cjson.encode({})"#).eval().unwrap();
        assert_eq!(s, "{}");
        let s: String = lua.load(r#"return cjson.encode({[1]=1,[3]=3})"#).eval().unwrap();
        assert_eq!(s, "[1,null,3]");
        let n: f64 = lua.load(r#"return cjson.decode('{"a":[1,2.5,null]}').a[2]"#).eval().unwrap();
        assert_eq!(n, 2.5);
        let null: bool =
            lua.load(r#"return cjson.decode('[null]')[1] == cjson.null"#).eval().unwrap();
        assert!(null);
        assert!(lua.load(r#"return cjson.encode({[20]=1})"#).eval::<String>().is_err());
    }
}
