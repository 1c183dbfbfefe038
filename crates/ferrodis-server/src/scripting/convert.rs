//! Conversions between command replies and Lua values, as Redis 7.2's `script_lua.c` does
//! them (`redisProtocolToLuaType_*` and `luaReplyToRedisReply`).
//!
//! Reply → Lua (what `redis.call` returns), under the script's protocol (`redis.setresp`):
//!
//! | reply | RESP2 script | RESP3 script |
//! |---|---|---|
//! | integer | number | number |
//! | bulk / verbatim / big number | string | string / `{verbatim_string={format=,string=}}` / `{big_number=}` |
//! | null bulk, null array | `false` | `nil` |
//! | status | `{ok=...}` | `{ok=...}` |
//! | error | `{err="CODE msg"}` | same |
//! | array, set, push | array table | array / `{set={m=true}}` |
//! | map | flat array | `{map={k=v}}` |
//! | double | string (Redis's double text) | `{double=n}` |
//! | boolean | 1 / 0 | `true` / `false` |
//!
//! Lua → reply (what the script returns): strings are bulk strings, numbers are integers
//! (truncated toward zero), `true` is 1 (RESP3 scripts: a boolean), `false` is null (RESP3
//! scripts: a boolean), tables with a string `err`/`ok` field are errors/statuses, `double`,
//! `big_number`, `verbatim_string`, `map` and `set` tables become those types, any other table
//! is an array that stops at its first nil, and anything else is null.

use bytes::Bytes;
use ferrodis_resp::Reply;
use mlua::{Lua, Table, Value};

/// The deepest nesting converted; deeper tables give Redis's `reached lua stack limit`.
const MAX_DEPTH: usize = 1000;

/// Builds Redis's error-table text from an error string (`luaPushErrorBuff`): `-CODE msg`
/// keeps its code, `-msg` (no space) and `msg` get `ERR`; trailing CR/LF are trimmed.
pub fn error_text(raw: &str) -> String {
    let (code, msg) = match raw.strip_prefix('-') {
        Some(rest) => match rest.split_once(' ') {
            Some((code, msg)) => (code, msg),
            None => ("ERR", rest),
        },
        None => ("ERR", raw),
    };
    format!("{code} {}", msg.trim_end_matches(['\r', '\n']))
}

/// Converts a command reply to the Lua value a script sees; `resp3` is the script's protocol.
pub fn reply_to_lua(lua: &Lua, reply: &Reply, resp3: bool) -> mlua::Result<Value> {
    Ok(match reply {
        Reply::Integer(n) => Value::Number(*n as f64),
        Reply::Bulk(b) => Value::String(lua.create_string(b)?),
        Reply::Null | Reply::NullArray => {
            if resp3 {
                Value::Nil
            } else {
                Value::Boolean(false)
            }
        }
        Reply::Status(s) => single_field(lua, "ok", Value::String(lua.create_string(&**s)?))?,
        Reply::Error(e) => {
            let t = lua.create_table()?;
            t.raw_set("err", error_text(&format!("-{e}")))?;
            Value::Table(t)
        }
        Reply::Array(items) | Reply::Push(items) => array(lua, items, resp3)?,
        // Several top-level replies come only from (un)subscribe commands, which are
        // `noscript`: a script cannot see them; read as an array if it ever did.
        Reply::Frames(items) => array(lua, items, resp3)?,
        Reply::Bulks(list) => {
            let t = lua.create_table_with_capacity(list.len(), 0)?;
            for (i, item) in list.iter().enumerate() {
                t.raw_set(i + 1, lua.create_string(item)?)?;
            }
            Value::Table(t)
        }
        Reply::Set(items) => {
            if resp3 {
                let set = lua.create_table_with_capacity(0, items.len())?;
                for item in items {
                    set.raw_set(reply_to_lua(lua, item, resp3)?, true)?;
                }
                single_field(lua, "set", Value::Table(set))?
            } else {
                array(lua, items, resp3)?
            }
        }
        Reply::Map(pairs) => {
            if resp3 {
                let map = lua.create_table_with_capacity(0, pairs.len())?;
                for (k, v) in pairs {
                    map.raw_set(reply_to_lua(lua, k, resp3)?, reply_to_lua(lua, v, resp3)?)?;
                }
                single_field(lua, "map", Value::Table(map))?
            } else {
                let t = lua.create_table_with_capacity(pairs.len() * 2, 0)?;
                for (i, (k, v)) in pairs.iter().enumerate() {
                    t.raw_set(2 * i + 1, reply_to_lua(lua, k, resp3)?)?;
                    t.raw_set(2 * i + 2, reply_to_lua(lua, v, resp3)?)?;
                }
                Value::Table(t)
            }
        }
        Reply::Double(d) => {
            if resp3 {
                single_field(lua, "double", Value::Number(*d))?
            } else {
                let mut text = Vec::new();
                ferrodis_resp::double::format_double(*d, &mut text);
                Value::String(lua.create_string(&text)?)
            }
        }
        Reply::HumanDouble(d) => {
            let mut text = Vec::new();
            ferrodis_resp::double::format_human_double(*d, &mut text);
            if resp3 {
                let n = std::str::from_utf8(&text).ok().and_then(|t| t.parse().ok()).unwrap_or(*d);
                single_field(lua, "double", Value::Number(n))?
            } else {
                Value::String(lua.create_string(&text)?)
            }
        }
        Reply::Boolean(b) => {
            if resp3 {
                Value::Boolean(*b)
            } else {
                Value::Number(if *b { 1.0 } else { 0.0 })
            }
        }
        Reply::BigNumber(n) => {
            let s = Value::String(lua.create_string(n)?);
            if resp3 {
                single_field(lua, "big_number", s)?
            } else {
                s
            }
        }
        Reply::Verbatim(format, text) => {
            if resp3 {
                let inner = lua.create_table()?;
                inner.raw_set("format", *format)?;
                inner.raw_set("string", lua.create_string(text)?)?;
                single_field(lua, "verbatim_string", Value::Table(inner))?
            } else {
                Value::String(lua.create_string(text)?)
            }
        }
    })
}

fn single_field(lua: &Lua, name: &str, value: Value) -> mlua::Result<Value> {
    let t = lua.create_table()?;
    t.raw_set(name, value)?;
    Ok(Value::Table(t))
}

fn array(lua: &Lua, items: &[Reply], resp3: bool) -> mlua::Result<Value> {
    let t = lua.create_table_with_capacity(items.len(), 0)?;
    for (i, item) in items.iter().enumerate() {
        t.raw_set(i + 1, reply_to_lua(lua, item, resp3)?)?;
    }
    Ok(Value::Table(t))
}

/// Converts a script's return value to the reply sent to the caller. `resp3` is the script's
/// protocol (`redis.setresp`), which decides how booleans are sent. Error tables become
/// [`Reply::Error`] with their `err` text (newlines replaced by spaces).
pub fn lua_to_reply(value: &Value, resp3: bool) -> Reply {
    to_reply(value, resp3, 0)
}

fn to_reply(value: &Value, resp3: bool, depth: usize) -> Reply {
    if depth > MAX_DEPTH {
        return Reply::error("ERR reached lua stack limit");
    }
    match value {
        Value::String(s) => Reply::Bulk(Bytes::copy_from_slice(&s.as_bytes())),
        Value::Boolean(b) => {
            if resp3 {
                Reply::Boolean(*b)
            } else if *b {
                Reply::Integer(1)
            } else {
                Reply::Null
            }
        }
        Value::Integer(n) => Reply::Integer(*n),
        Value::Number(n) => Reply::Integer(lua_number_to_integer(*n)),
        Value::Table(t) => table_to_reply(t, resp3, depth),
        _ => Reply::Null,
    }
}

fn table_to_reply(t: &Table, resp3: bool, depth: usize) -> Reply {
    if let Ok(Value::String(e)) = t.raw_get::<Value>("err") {
        return Reply::Error(one_line(&e.to_string_lossy()).into());
    }
    if let Ok(Value::String(ok)) = t.raw_get::<Value>("ok") {
        return Reply::Status(one_line(&ok.to_string_lossy()).into());
    }
    match t.raw_get::<Value>("double") {
        Ok(Value::Number(d)) => return Reply::Double(d),
        Ok(Value::Integer(d)) => return Reply::Double(d as f64),
        _ => {}
    }
    if let Ok(Value::String(n)) = t.raw_get::<Value>("big_number") {
        return Reply::BigNumber(one_line(&n.to_string_lossy()));
    }
    if let Ok(Value::Table(v)) = t.raw_get::<Value>("verbatim_string") {
        if let (Ok(Value::String(f)), Ok(Value::String(s))) =
            (v.raw_get::<Value>("format"), v.raw_get::<Value>("string"))
        {
            let format: &'static str = match &*f.to_string_lossy() {
                "mkd" => "mkd",
                _ => "txt",
            };
            return Reply::Verbatim(format, Bytes::copy_from_slice(&s.as_bytes()));
        }
    }
    if let Ok(Value::Table(m)) = t.raw_get::<Value>("map") {
        let mut pairs = Vec::new();
        for (k, v) in m.pairs::<Value, Value>().flatten() {
            pairs.push((to_reply(&k, resp3, depth + 1), to_reply(&v, resp3, depth + 1)));
        }
        return Reply::Map(pairs);
    }
    if let Ok(Value::Table(s)) = t.raw_get::<Value>("set") {
        let mut items = Vec::new();
        for (k, _) in s.pairs::<Value, Value>().flatten() {
            items.push(to_reply(&k, resp3, depth + 1));
        }
        return Reply::Set(items);
    }
    let mut items = Vec::new();
    let mut j = 1usize;
    loop {
        match t.raw_get::<Value>(j) {
            Ok(Value::Nil) | Err(_) => break,
            Ok(v) => items.push(to_reply(&v, resp3, depth + 1)),
        }
        j += 1;
    }
    Reply::Array(items)
}

/// Redis replaces CR and LF by spaces in status and error texts built from scripts.
fn one_line(s: &str) -> String {
    s.replace(['\r', '\n'], " ")
}

/// A Lua number as the integer reply Redis gives: C's `(long long)` cast, which truncates and,
/// on x86-64, turns NaN, infinities and out-of-range values into `LLONG_MIN` (Rust's `as`
/// would saturate instead).
pub fn lua_number_to_integer(n: f64) -> i64 {
    if !(-9_223_372_036_854_775_808.0..9_223_372_036_854_775_808.0).contains(&n) {
        i64::MIN
    } else {
        n as i64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_text_rules() {
        assert_eq!(error_text("-WRONGTYPE bad"), "WRONGTYPE bad");
        assert_eq!(error_text("-x"), "ERR x");
        assert_eq!(error_text("plain message"), "ERR plain message");
        assert_eq!(error_text("-ERR trailing\r\n"), "ERR trailing");
    }

    #[test]
    fn replies_to_lua_and_back() {
        let lua = Lua::new();
        let r = Reply::Array(vec![
            Reply::Integer(3),
            Reply::bulk(b"x"),
            Reply::Null,
            Reply::bulk(b"after"),
        ]);
        let v = reply_to_lua(&lua, &r, false).unwrap();
        // The null bulk becomes false, so the array keeps its fourth element.
        assert_eq!(
            lua_to_reply(&v, false),
            Reply::Array(vec![
                Reply::Integer(3),
                Reply::bulk(b"x"),
                Reply::Null,
                Reply::bulk(b"after")
            ])
        );
        // RESP2 map: flat array; double: its text.
        let m = Reply::Map(vec![(Reply::bulk(b"k"), Reply::Double(1.5))]);
        let v = reply_to_lua(&lua, &m, false).unwrap();
        assert_eq!(
            lua_to_reply(&v, false),
            Reply::Array(vec![Reply::bulk(b"k"), Reply::bulk(b"1.5")])
        );
        // RESP3: map and double survive the round trip.
        let v = reply_to_lua(&lua, &m, true).unwrap();
        assert_eq!(lua_to_reply(&v, true), m);
        // Status and error tables.
        let v = reply_to_lua(&lua, &Reply::OK, false).unwrap();
        assert_eq!(lua_to_reply(&v, false), Reply::OK);
        let v = reply_to_lua(&lua, &Reply::error("WRONGTYPE x y"), false).unwrap();
        assert_eq!(lua_to_reply(&v, false), Reply::error("WRONGTYPE x y"));
        // RESP3 booleans and nulls.
        assert_eq!(reply_to_lua(&lua, &Reply::Null, true).unwrap(), Value::Nil);
        assert_eq!(reply_to_lua(&lua, &Reply::Boolean(true), false).unwrap(), Value::Number(1.0));
    }

    #[test]
    fn lua_scalars_to_replies() {
        assert_eq!(lua_to_reply(&Value::Number(3.99), false), Reply::Integer(3));
        assert_eq!(lua_to_reply(&Value::Number(-3.99), false), Reply::Integer(-3));
        assert_eq!(lua_to_reply(&Value::Boolean(true), false), Reply::Integer(1));
        assert_eq!(lua_to_reply(&Value::Boolean(false), false), Reply::Null);
        assert_eq!(lua_to_reply(&Value::Boolean(false), true), Reply::Boolean(false));
        assert_eq!(lua_to_reply(&Value::Nil, false), Reply::Null);
    }

    #[test]
    fn lua_numbers_become_integers_as_a_c_cast_on_x86_64() {
        assert_eq!(lua_number_to_integer(3.99), 3);
        assert_eq!(lua_number_to_integer(-3.99), -3);
        assert_eq!(lua_number_to_integer(f64::INFINITY), i64::MIN);
        assert_eq!(lua_number_to_integer(f64::NEG_INFINITY), i64::MIN);
        assert_eq!(lua_number_to_integer(f64::NAN), i64::MIN);
        assert_eq!(lua_number_to_integer(1e19), i64::MIN);
        assert_eq!(lua_number_to_integer(9_223_372_036_854_774_784.0), 9_223_372_036_854_774_784);
    }
}
