//! Turns the configuration (file and command line) into [`Settings`].
//!
//! Temporary minimal parser for `--directive value` pairs until the config crate's full
//! directive table is wired in.

use crate::settings::Settings;

/// Parses redis-server style arguments: `[configfile] [--directive value ...]`.
pub fn settings_from_args(args: &[String]) -> Result<(Settings, Option<String>), String> {
    let mut s = Settings::default();
    let mut i = 0;
    let mut config_file = None;
    if let Some(first) = args.first() {
        if !first.starts_with("--") {
            config_file = Some(first.clone());
            i = 1;
        }
    }
    while i < args.len() {
        let name = args[i].trim_start_matches("--").to_ascii_lowercase();
        let mut values = Vec::new();
        i += 1;
        while i < args.len() && !args[i].starts_with("--") {
            values.push(args[i].clone());
            i += 1;
        }
        let v = values.first().cloned().unwrap_or_default();
        match name.as_str() {
            "port" => s.port = v.parse().map_err(|_| format!("bad port {v}"))?,
            "bind" => s.bind = values.iter().flat_map(|x| x.split_whitespace().map(String::from)).collect(),
            "requirepass" => s.requirepass = if v.is_empty() { None } else { Some(v.into_bytes()) },
            "databases" => s.databases = v.parse().map_err(|_| "bad databases".to_string())?,
            "unixsocket" => s.unixsocket = Some(v),
            "protected-mode" => s.protected_mode = v == "yes",
            "enable-debug-command" => s.enable_debug_command = v,
            _ => {}
        }
    }
    Ok((s, config_file))
}
