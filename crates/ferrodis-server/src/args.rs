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
