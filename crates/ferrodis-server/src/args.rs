//! Typed argument parsing shared by the handlers.
//!
//! Handlers parse every argument before touching the keyspace ("parse everything, check once,
//! then act"), so a bad argument never leaves a half-applied command. Numbers follow Redis's
//! rules (`string2ll`, `string2d`) and fail with Redis's exact errors.

#![deny(clippy::unwrap_used, clippy::expect_used)]

use crate::errors::CommandError;
use bytes::Bytes;
use ferrodis_keyspace::num;

/// True when `arg` equals `keyword`, ignoring ASCII case (`keyword` is given in any case).
#[inline]
pub fn is(arg: &[u8], keyword: &str) -> bool {
    arg.eq_ignore_ascii_case(keyword.as_bytes())
}

/// Parses a signed 64-bit integer, failing with `ERR value is not an integer or out of range`.
pub fn int(arg: &[u8]) -> Result<i64, CommandError> {
    num::parse_i64(arg).ok_or(CommandError::NotInteger)
}

/// Parses a signed 64-bit integer with a custom error.
pub fn int_or(arg: &[u8], err: CommandError) -> Result<i64, CommandError> {
    num::parse_i64(arg).ok_or(err)
}

/// Parses a 32-bit integer as Redis's `getIntFromObjectOrReply`: `msg` (when given) replaces
/// both the not-an-integer and the out-of-range errors; without it they are `ERR value is not
/// an integer or out of range` and `ERR value is out of range, value must between
/// -2147483648 and 2147483647` (sic).
pub fn int32(arg: &[u8], msg: Option<&'static str>) -> Result<i64, CommandError> {
    let value = match num::parse_i64(arg) {
        Some(v) => v,
        None => return Err(msg.map_or(CommandError::NotInteger, CommandError::custom)),
    };
    if value < i64::from(i32::MIN) || value > i64::from(i32::MAX) {
        return Err(msg.map_or_else(
            || {
                CommandError::custom(
                    "ERR value is out of range, value must between -2147483648 and 2147483647",
                )
            },
            CommandError::custom,
        ));
    }
    Ok(value)
}

/// Parses a non-negative integer that fits `usize`, failing with `err` otherwise.
pub fn uint_or(arg: &[u8], err: CommandError) -> Result<usize, CommandError> {
    match num::parse_i64(arg) {
        Some(n) if n >= 0 => Ok(n as usize),
        _ => Err(err),
    }
}

/// Parses a double, failing with `ERR value is not a valid float`.
pub fn float(arg: &[u8]) -> Result<f64, CommandError> {
    num::parse_f64(arg).ok_or(CommandError::NotFloat)
}

/// Parsed `numkeys key [key ...] <direction> [COUNT count]` (see [`mpop`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mpop {
    /// Positions of the keys in argv.
    pub keys: std::ops::Range<usize>,
    /// True when the first of the two directions was given (LEFT, MIN).
    pub first: bool,
    /// Elements to pop at most (1 when COUNT is not given).
    pub count: usize,
}

/// The arguments of LMPOP/BLMPOP/ZMPOP/BZMPOP from `numkeys` on: `numkeys key [key ...]
/// <first|second> [COUNT count]`, where `ends` names the two directions (`left`/`right`,
/// `min`/`max`). Errors as Redis's `lmpopGenericCommand`/`zmpopGenericCommand`:
/// `ERR numkeys should be greater than 0`, `ERR count should be greater than 0`, syntax.
pub fn mpop(argv: &[Bytes], numkeys_index: usize, ends: [&str; 2]) -> Result<Mpop, CommandError> {
    let numkeys = num::parse_i64(&argv[numkeys_index])
        .filter(|&n| n > 0)
        .ok_or(CommandError::custom("ERR numkeys should be greater than 0"))?;
    let first_key = numkeys_index + 1;
    let where_index = usize::try_from(numkeys).ok().and_then(|n| first_key.checked_add(n));
    let Some(where_index) = where_index.filter(|&i| i < argv.len()) else {
        return Err(CommandError::Syntax);
    };
    let first = if is(&argv[where_index], ends[0]) {
        true
    } else if is(&argv[where_index], ends[1]) {
        false
    } else {
        return Err(CommandError::Syntax);
    };
    let mut count = None;
    let mut j = where_index + 1;
    while j < argv.len() {
        if count.is_none() && j + 1 < argv.len() && is(&argv[j], "count") {
            let n = num::parse_i64(&argv[j + 1])
                .filter(|&n| n > 0)
                .ok_or(CommandError::custom("ERR count should be greater than 0"))?;
            count = Some(usize::try_from(n).unwrap_or(usize::MAX));
            j += 2;
        } else {
            return Err(CommandError::Syntax);
        }
    }
    Ok(Mpop { keys: first_key..where_index, first, count: count.unwrap_or(1) })
}

/// A cursor over a command's arguments for option parsing.
pub struct ArgCursor<'a> {
    argv: &'a [Bytes],
    pos: usize,
}

impl<'a> ArgCursor<'a> {
    /// Starts at argument index `pos`.
    pub fn new(argv: &'a [Bytes], pos: usize) -> Self {
        ArgCursor { argv, pos }
    }

    /// The next argument, advancing.
    pub fn next_arg(&mut self) -> Option<&'a [u8]> {
        let a = self.argv.get(self.pos)?;
        self.pos += 1;
        Some(a)
    }

    /// The next argument or `ERR syntax error` when there is none (an option missing its
    /// value).
    pub fn value(&mut self) -> Result<&'a [u8], CommandError> {
        self.next_arg().ok_or(CommandError::Syntax)
    }

    /// Arguments left.
    pub fn remaining(&self) -> usize {
        self.argv.len().saturating_sub(self.pos)
    }

    /// True when every argument was consumed.
    pub fn is_done(&self) -> bool {
        self.pos >= self.argv.len()
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn argv(s: &str) -> Vec<Bytes> {
        s.split(' ').map(|a| Bytes::copy_from_slice(a.as_bytes())).collect()
    }

    #[test]
    fn mpop_arguments() {
        let a = argv("BLMPOP 0 2 k1 k2 LEFT COUNT 3");
        assert_eq!(
            mpop(&a, 2, ["left", "right"]).unwrap(),
            Mpop { keys: 3..5, first: true, count: 3 }
        );
        let a = argv("LMPOP 1 k right");
        assert_eq!(
            mpop(&a, 1, ["left", "right"]).unwrap(),
            Mpop { keys: 2..3, first: false, count: 1 }
        );
        let err = |s: &str, i| mpop(&argv(s), i, ["min", "max"]).unwrap_err().to_string();
        assert_eq!(err("ZMPOP 0 k MIN", 1), "ERR numkeys should be greater than 0");
        assert_eq!(err("ZMPOP x k MIN", 1), "ERR numkeys should be greater than 0");
        assert_eq!(err("ZMPOP 9223372036854775807 k MIN", 1), "ERR syntax error");
        assert_eq!(err("ZMPOP 2 k MIN", 1), "ERR syntax error");
        assert_eq!(err("ZMPOP 1 k LEFT", 1), "ERR syntax error");
        assert_eq!(err("ZMPOP 1 k MIN COUNT 0", 1), "ERR count should be greater than 0");
        assert_eq!(err("ZMPOP 1 k MIN COUNT 1 COUNT 2", 1), "ERR syntax error");
        assert_eq!(err("ZMPOP 1 k MIN COUNT", 1), "ERR syntax error");
    }
}
