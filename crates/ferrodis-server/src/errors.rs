//! Every client-visible error, byte-exact.
//!
//! `Display` yields the text after the `-`, prefix word included, because INFO errorstats
//! counts by prefix. Texts follow Redis 7.2's `shared.*err` objects (`src/server.c`
//! `createSharedObjects`) and the `addReplyError*` call sites.

use std::borrow::Cow;
use std::fmt;

/// An error reply.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CommandError {
    /// `WRONGTYPE Operation against a key holding the wrong kind of value`
    WrongType,
    /// `ERR syntax error`
    Syntax,
    /// `ERR value is not an integer or out of range`
    NotInteger,
    /// `ERR value is not a valid float`
    NotFloat,
    /// `ERR increment or decrement would overflow`
    Overflow,
    /// `ERR index out of range`
    OutOfRange,
    /// `ERR no such key`
    NoSuchKey,
    /// `ERR wrong number of arguments for '<cmd>' command`
    WrongArity(String),
    /// `ERR unknown command '<name>', with args beginning with: '<a>' '<b>' `
    UnknownCommand { name: String, args: Vec<String> },
    /// `ERR unknown subcommand '<sub>'. Try <CMD> HELP.`
    UnknownSubcommand { sub: String, cmd: String },
    /// `NOAUTH Authentication required.`
    NoAuth,
    /// `WRONGPASS invalid username-password pair or user is disabled.`
    WrongPass,
    /// `ERR DB index is out of range`
    DbIndexOutOfRange,
    /// `ERR invalid expire time in '<cmd>' command`
    InvalidExpireTime(String),
    /// `ERR timeout is not an integer or out of range`
    TimeoutNotInteger,
    /// `ERR string exceeds maximum allowed size (proto-max-bulk-len)`
    StringTooLong,
    /// `BUSYKEY Target key name already exists.`
    BusyKey,
    /// Any other text, prefix included (`ERR ...`, or another prefix).
    Custom(Cow<'static, str>),
}

impl CommandError {
    /// An `ERR`-prefixed or otherwise prefixed custom error from its full text.
    pub fn custom(text: impl Into<Cow<'static, str>>) -> CommandError {
        CommandError::Custom(text.into())
    }

    /// The error's prefix word (`ERR`, `WRONGTYPE`, ...), as INFO errorstats counts it.
    pub fn prefix(&self) -> String {
        let text = self.to_string();
        text.split(' ').next().unwrap_or("ERR").to_string()
    }
}

impl fmt::Display for CommandError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CommandError::WrongType => {
                f.write_str("WRONGTYPE Operation against a key holding the wrong kind of value")
            }
            CommandError::Syntax => f.write_str("ERR syntax error"),
            CommandError::NotInteger => f.write_str("ERR value is not an integer or out of range"),
            CommandError::NotFloat => f.write_str("ERR value is not a valid float"),
            CommandError::Overflow => f.write_str("ERR increment or decrement would overflow"),
            CommandError::OutOfRange => f.write_str("ERR index out of range"),
            CommandError::NoSuchKey => f.write_str("ERR no such key"),
            CommandError::WrongArity(cmd) => {
                write!(f, "ERR wrong number of arguments for '{cmd}' command")
            }
            CommandError::UnknownCommand { name, args } => {
                write!(f, "ERR unknown command '{name}', with args beginning with: ")?;
                for a in args {
                    write!(f, "'{a}' ")?;
                }
                Ok(())
            }
            CommandError::UnknownSubcommand { sub, cmd } => {
                write!(f, "ERR unknown subcommand '{sub}'. Try {cmd} HELP.")
            }
            CommandError::NoAuth => f.write_str("NOAUTH Authentication required."),
            CommandError::WrongPass => {
                f.write_str("WRONGPASS invalid username-password pair or user is disabled.")
            }
            CommandError::DbIndexOutOfRange => f.write_str("ERR DB index is out of range"),
            CommandError::InvalidExpireTime(cmd) => {
                write!(f, "ERR invalid expire time in '{cmd}' command")
            }
            CommandError::TimeoutNotInteger => {
                f.write_str("ERR timeout is not an integer or out of range")
            }
            CommandError::StringTooLong => {
                f.write_str("ERR string exceeds maximum allowed size (proto-max-bulk-len)")
            }
            CommandError::BusyKey => f.write_str("BUSYKEY Target key name already exists."),
            CommandError::Custom(text) => f.write_str(text),
        }
    }
}

impl std::error::Error for CommandError {}

/// Renders an argument for an error message the way Redis does: at most 128 bytes, with
/// newlines replaced by spaces (Redis's `sdscatrepr`-free truncation in `processCommand`).
pub fn show_arg(arg: &[u8]) -> String {
    let cut = &arg[..arg.len().min(128)];
    String::from_utf8_lossy(cut).replace(['\r', '\n'], " ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn texts_are_redis_exact() {
        assert_eq!(
            CommandError::UnknownCommand { name: "foo".into(), args: vec!["a".into(), "b".into()] }
                .to_string(),
            "ERR unknown command 'foo', with args beginning with: 'a' 'b' "
        );
        assert_eq!(
            CommandError::WrongArity("get".into()).to_string(),
            "ERR wrong number of arguments for 'get' command"
        );
        assert_eq!(
            CommandError::UnknownSubcommand { sub: "x".into(), cmd: "CLIENT".into() }.to_string(),
            "ERR unknown subcommand 'x'. Try CLIENT HELP."
        );
        assert_eq!(CommandError::WrongType.prefix(), "WRONGTYPE");
    }
}
