//! The `bit` library scripts see (LuaBitOp 1.0, as Redis bundles it), written in Rust.
//!
//! Every operation works on 32-bit integers: arguments are numbers normalised as LuaBitOp's
//! `barg` does (rounded to nearest, taken modulo 2^32) and results are signed 32-bit numbers.
//! `bit.tohex(x [, n])` prints `|n|` hex digits (at most 8, default 8), uppercase when `n` is
//! negative; `n = -2^31` gives 8 uppercase digits (the fix for CVE-2024-31449, where Redis's C
//! version overflowed).

use super::raise_message;
use mlua::{Lua, MultiValue, Table, Value};

/// LuaBitOp's argument normalisation.
fn to_bits(n: f64) -> i32 {
    let r = n.round_ties_even();
    if !r.is_finite() {
        return 0;
    }
    (r.rem_euclid(4_294_967_296.0) as u64 as u32) as i32
}

fn arg(lua: &Lua, argv: &MultiValue, i: usize, fname: &str) -> mlua::Result<i32> {
    let n = match argv.get(i) {
        Some(Value::Integer(n)) => *n as f64,
        Some(Value::Number(n)) => *n,
        Some(Value::String(s)) => {
            match s.to_str().ok().and_then(|s| s.trim().parse::<f64>().ok()) {
                Some(n) => n,
                None => return Err(bad_arg(lua, i, fname, "string")),
            }
        }
        other => {
            let got = match other {
                None | Some(Value::Nil) => "no value",
                Some(v) => v.type_name(),
            };
            return Err(bad_arg(lua, i, fname, got));
        }
    };
    Ok(to_bits(n))
}

fn bad_arg(lua: &Lua, i: usize, fname: &str, got: &str) -> mlua::Error {
    raise_message(
        lua,
        &format!("bad argument #{} to '{fname}' (number expected, got {got})", i + 1),
    )
}

/// Builds the `bit` table.
pub fn module(lua: &Lua) -> mlua::Result<Table> {
    let t = lua.create_table()?;
    t.raw_set("tobit", lua.create_function(|lua, a: MultiValue| arg(lua, &a, 0, "tobit"))?)?;
    t.raw_set("bnot", lua.create_function(|lua, a: MultiValue| Ok(!arg(lua, &a, 0, "bnot")?))?)?;
    type Fold = fn(i32, i32) -> i32;
    let folds: [(&str, Fold); 3] =
        [("band", |a, b| a & b), ("bor", |a, b| a | b), ("bxor", |a, b| a ^ b)];
    for (name, op) in folds {
        t.raw_set(
            name,
            lua.create_function(move |lua, a: MultiValue| {
                let mut acc = arg(lua, &a, 0, name)?;
                for i in 1..a.len() {
                    acc = op(acc, arg(lua, &a, i, name)?);
                }
                Ok(acc)
            })?,
        )?;
    }
    type Shift = fn(i32, u32) -> i32;
    let shifts: [(&str, Shift); 5] = [
        ("lshift", |x, n| ((x as u32) << n) as i32),
        ("rshift", |x, n| ((x as u32) >> n) as i32),
        ("arshift", |x, n| x >> n),
        ("rol", |x, n| (x as u32).rotate_left(n) as i32),
        ("ror", |x, n| (x as u32).rotate_right(n) as i32),
    ];
    for (name, op) in shifts {
        t.raw_set(
            name,
            lua.create_function(move |lua, a: MultiValue| {
                let x = arg(lua, &a, 0, name)?;
                let n = arg(lua, &a, 1, name)? as u32 & 31;
                Ok(op(x, n))
            })?,
        )?;
    }
    t.raw_set(
        "bswap",
        lua.create_function(|lua, a: MultiValue| arg(lua, &a, 0, "bswap").map(i32::swap_bytes))?,
    )?;
    t.raw_set(
        "tohex",
        lua.create_function(|lua, a: MultiValue| {
            let x = arg(lua, &a, 0, "tohex")? as u32;
            let n = if matches!(a.get(1), None | Some(Value::Nil)) {
                8
            } else {
                arg(lua, &a, 1, "tohex")?
            };
            Ok(tohex(x, n))
        })?,
    )?;
    Ok(t)
}

/// `bit.tohex`.
pub fn tohex(x: u32, n: i32) -> String {
    let upper = n < 0;
    let digits = (n.unsigned_abs()).min(8) as usize;
    let full = if upper { format!("{x:08X}") } else { format!("{x:08x}") };
    full[8 - digits..].to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tohex_like_redis() {
        assert_eq!(tohex(65535, -2147483648), "0000FFFF");
        assert_eq!(tohex(1, 8), "00000001");
        assert_eq!(tohex(0xabcd, -4), "ABCD");
        assert_eq!(tohex(0xabcd, 2), "cd");
    }

    #[test]
    fn normalisation() {
        assert_eq!(to_bits(4294967295.0), -1);
        assert_eq!(to_bits(-1.0), -1);
        assert_eq!(to_bits(2.5), 2);
        assert_eq!(to_bits(3.5), 4);
    }

    #[test]
    fn from_lua() {
        let lua = Lua::new();
        lua.globals().set("bit", module(&lua).unwrap()).unwrap();
        let v: i64 = lua.load("return bit.band(0xff, 0x0f, 0x3)").eval().unwrap();
        assert_eq!(v, 3);
        let v: i64 = lua.load("return bit.lshift(1, 31)").eval().unwrap();
        assert_eq!(v, -2147483648);
        let v: i64 = lua.load("return bit.rshift(-1, 28)").eval().unwrap();
        assert_eq!(v, 15);
        let v: i64 = lua.load("return bit.tobit(0xffffffff + 1)").eval().unwrap();
        assert_eq!(v, 0);
    }
}
