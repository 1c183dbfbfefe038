//! Redis-style log lines: `pid:M 29 Nov 2026 09:30:00.123 * message`.
//!
//! Levels and markers follow Redis's `serverLog` (`.` debug, `-` verbose, `*` notice,
//! `#` warning). Lines go to standard output or are appended to `logfile`, which is reopened
//! for each line so that log rotation works, as in Redis.

use parking_lot::RwLock;
use std::io::Write;
use std::sync::OnceLock;

/// Log verbosity, from most to least verbose.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Level {
    Debug,
    Verbose,
    Notice,
    Warning,
}

impl Level {
    /// Parses a `loglevel` value.
    pub fn parse(s: &str) -> Option<Level> {
        Some(match s.to_ascii_lowercase().as_str() {
            "debug" => Level::Debug,
            "verbose" => Level::Verbose,
            "notice" => Level::Notice,
            "warning" => Level::Warning,
            "nothing" => Level::Warning,
            _ => return None,
        })
    }

    fn marker(self) -> char {
        match self {
            Level::Debug => '.',
            Level::Verbose => '-',
            Level::Notice => '*',
            Level::Warning => '#',
        }
    }
}

struct Logger {
    level: Level,
    file: String,
}

fn logger() -> &'static RwLock<Logger> {
    static LOGGER: OnceLock<RwLock<Logger>> = OnceLock::new();
    LOGGER.get_or_init(|| RwLock::new(Logger { level: Level::Notice, file: String::new() }))
}

/// Sets the level and destination (`""` = standard output).
pub fn configure(level: Level, file: &str) {
    let mut l = logger().write();
    l.level = level;
    l.file = file.to_string();
}

/// Logs at `level`.
pub fn log(level: Level, msg: &str) {
    let l = logger().read();
    if level < l.level {
        return;
    }
    let line = format!("{}:M {} {} {}\n", std::process::id(), timestamp(), level.marker(), msg);
    if l.file.is_empty() {
        let _ = std::io::stdout().lock().write_all(line.as_bytes());
    } else if let Ok(mut f) = std::fs::OpenOptions::new().create(true).append(true).open(&l.file) {
        let _ = f.write_all(line.as_bytes());
    }
}

/// Logs a notice.
pub fn notice(msg: &str) {
    log(Level::Notice, msg);
}

/// Logs a warning.
pub fn warning(msg: &str) {
    log(Level::Warning, msg);
}

/// Logs at verbose level.
pub fn verbose(msg: &str) {
    log(Level::Verbose, msg);
}

/// `29 Nov 2026 09:30:00.123` in UTC.
fn timestamp() -> String {
    let ms = ferrodis_keyspace::clock::now_ms();
    let secs = ms / 1000;
    let days = (secs / 86_400) as i64;
    let rem = secs % 86_400;
    let (y, m, d) = civil_from_days(days);
    const MONTHS: [&str; 12] =
        ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
    format!(
        "{:02} {} {} {:02}:{:02}:{:02}.{:03}",
        d,
        MONTHS[(m - 1) as usize],
        y,
        rem / 3600,
        (rem / 60) % 60,
        rem % 60,
        ms % 1000
    )
}

/// Converts days since 1970-01-01 to (year, month, day), Howard Hinnant's algorithm.
fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (if m <= 2 { y + 1 } else { y }, m, d)
}

#[cfg(test)]
mod tests {
    #[test]
    fn civil_dates() {
        assert_eq!(super::civil_from_days(0), (1970, 1, 1));
        assert_eq!(super::civil_from_days(20_786), (2026, 11, 29));
    }
}
