//! `redis.conf` syntax and startup loading: the argv → config text
//! conversion of `redis-server`'s `main()`, `loadServerConfig()` (files,
//! stdin, wildcard includes) and `loadServerConfigFromString()` (the
//! per-line directive dispatch and its FATAL error report).

use std::collections::HashSet;
use std::fmt;
use std::io::Read;
use std::path::Path;

use crate::config::Config;
use crate::cstr::{self, cstr};
use crate::glob;
use crate::table::{self, Directive, Flags, Kind};
use crate::value::{self, bytes_path, SaveState, SetEnv, Value};

/// The Redis version Ferrodis reports in config error reports (and that its
/// config behaviour follows).
pub const REDIS_VERSION: &str = "7.2.4";

/// Include nesting limit. Redis has none (it recurses until the C stack
/// overflows); we stop with a FATAL error instead of crashing.
const MAX_INCLUDE_DEPTH: usize = 64;

/// The configuration sources named on the `redis-server` command line.
///
/// Built by [`ArgvConfig::from_args`] exactly like Redis 7.2 `main()` does:
///
/// * a first argument not starting with `-` is the config file;
/// * a lone `-` as the first or last argument means "also read stdin";
/// * `--name` starts a new directive line; following arguments that do not
///   start with `--` are its values (so `--save ""` and `--save "900 1"`
///   work, and so does `--port --123` for a value starting with dashes when
///   the option has no value yet);
/// * `--save` or `--sentinel` with no value become `save ""` / `sentinel`.
///
/// `--help`, `--version`, `--test-memory` and `--check-system` are the
/// server's business and must be handled before calling this.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ArgvConfig {
    /// Config file path as given (relative to the process' working
    /// directory).
    pub config_file: Option<Vec<u8>>,
    /// Whether to append the contents of stdin after the file.
    pub read_stdin: bool,
    /// The generated config text for `--name value` options, or `None` when
    /// `redis-server` was started without any argument (then nothing at all
    /// is loaded, not even an empty text).
    pub options: Option<Vec<u8>>,
}

fn starts_with_dashdash(arg: &[u8]) -> bool {
    arg.starts_with(b"--")
}

impl ArgvConfig {
    /// Convert `redis-server`'s arguments (`argv[1..]`, without the program
    /// name) to config sources. Arguments are raw bytes (on Unix use
    /// `OsStrExt::as_bytes`); like C strings they end at a NUL byte.
    pub fn from_args<A: AsRef<[u8]>>(args: &[A]) -> ArgvConfig {
        let args: Vec<&[u8]> = args.iter().map(|a| cstr(a.as_ref())).collect();
        if args.is_empty() {
            return ArgvConfig::default();
        }
        let mut out = ArgvConfig { options: Some(Vec::new()), ..ArgvConfig::default() };
        let mut options = Vec::new();
        let mut j = 0;
        if args[0].first() != Some(&b'-') {
            out.config_file = Some(args[0].to_vec());
            j = 1;
        }
        let n = args.len();
        let mut handled_last_config_arg = true;
        while j < n {
            let arg = args[j];
            let next_is_option = j + 1 < n && starts_with_dashdash(args[j + 1]);
            if arg == b"-" && (j == 0 || j == n - 1) {
                out.read_stdin = true;
            } else if handled_last_config_arg && starts_with_dashdash(arg) {
                if !options.is_empty() {
                    options.push(b'\n');
                }
                options.extend_from_slice(&arg[2..]);
                options.push(b' ');
                let words = cstr::split_args(arg).map_or(0, |v| v.len());
                if words == 1 {
                    handled_last_config_arg = false;
                    if arg.eq_ignore_ascii_case(b"--save") {
                        if next_is_option {
                            options.extend_from_slice(b"\"\"");
                            handled_last_config_arg = true;
                        } else if j == n - 1 {
                            options.extend_from_slice(b"\"\"");
                        }
                    } else if arg.eq_ignore_ascii_case(b"--sentinel") && next_is_option {
                        handled_last_config_arg = true;
                    }
                } else {
                    handled_last_config_arg = true;
                }
            } else {
                options.extend_from_slice(&cstr::repr(arg));
                options.push(b' ');
                handled_last_config_arg = true;
            }
            j += 1;
        }
        out.options = Some(options);
        out
    }
}

/// `rename-command` validation callback: does a command with this
/// (lower-case) name exist in the server's original command table?
pub type CommandExistsFn<'a> = &'a dyn Fn(&[u8]) -> bool;

/// `user` validation callback: `Err((index of the offending word, ACL error
/// text))` for a bad declaration.
pub type CheckUserFn<'a> = &'a dyn Fn(&[Vec<u8>]) -> Result<(), (usize, String)>;

/// Callbacks for checks that need the server's own tables.
#[derive(Default, Clone, Copy)]
pub struct LoadHooks<'a> {
    /// Does a command with this (lower-case) name exist in the original
    /// command table? Used to validate `rename-command` like Redis does ("No
    /// such command in rename-command", "Target command name already
    /// exists"). Without it every rename is accepted as written.
    pub command_exists: Option<CommandExistsFn<'a>>,
    /// Validate a `user` directive (`argv` without the word `user`). On
    /// error return the index into that slice of the offending word and
    /// the ACL error text; the report reads `Error in user declaration
    /// '<word>': <text>`. Without it users are stored unchecked.
    pub check_user: Option<CheckUserFn<'a>>,
}

impl fmt::Debug for LoadHooks<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LoadHooks")
            .field("command_exists", &self.command_exists.is_some())
            .field("check_user", &self.check_user.is_some())
            .finish()
    }
}

/// A configuration error that makes `redis-server` exit with status 1
/// (`loadServerConfigFromString()`'s `loaderr:` report).
///
/// `Display` (and [`FatalConfigError::to_bytes`]) produce the exact bytes
/// Redis writes to stderr, leading and trailing newlines included:
///
/// ```text
///
/// *** FATAL CONFIG FILE ERROR (Redis 7.2.4) ***
/// Reading the configuration file, at line 2
/// >>> 'foo bar'
/// Bad directive or wrong number of arguments
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FatalConfigError {
    line: Option<(usize, Vec<u8>)>,
    message: String,
}

impl FatalConfigError {
    pub(crate) fn at_line(number: usize, line: &[u8], message: impl Into<String>) -> Self {
        FatalConfigError { line: Some((number, cstr(line).to_vec())), message: message.into() }
    }

    /// An error detected after all lines were read (Redis then omits the
    /// "Reading the configuration file" lines). The server uses this for its
    /// own post-load checks, e.g. `Can't open the log file: <strerror>`.
    pub fn without_line(message: impl Into<String>) -> Self {
        FatalConfigError { line: None, message: message.into() }
    }

    /// 1-based line number within the text being parsed (a file, stdin plus
    /// options, or an included file), if the error belongs to a line.
    pub fn line_number(&self) -> Option<usize> {
        self.line.as_ref().map(|(n, _)| *n)
    }

    /// The offending line (trimmed), if any.
    pub fn line(&self) -> Option<&[u8]> {
        self.line.as_ref().map(|(_, l)| l.as_slice())
    }

    /// The error text (last line of the report).
    pub fn message(&self) -> &str {
        &self.message
    }

    /// The exact report bytes Redis prints on stderr.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out =
            format!("\n*** FATAL CONFIG FILE ERROR (Redis {REDIS_VERSION}) ***\n").into_bytes();
        if let Some((number, line)) = &self.line {
            out.extend_from_slice(
                format!("Reading the configuration file, at line {number}\n>>> '").as_bytes(),
            );
            out.extend_from_slice(line);
            out.extend_from_slice(b"'\n");
        }
        out.extend_from_slice(self.message.as_bytes());
        out.push(b'\n');
        out
    }
}

impl fmt::Display for FatalConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&String::from_utf8_lossy(&self.to_bytes()))
    }
}

impl std::error::Error for FatalConfigError {}

/// Why loading the startup configuration failed. Either way Redis exits
/// with status 1.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LoadError {
    /// A directive was wrong: print [`FatalConfigError`] to stderr as is.
    Fatal(FatalConfigError),
    /// A config file (main or included) could not be opened. Redis logs
    /// this at WARNING level through its logger:
    /// `Fatal error, can't open config file '<path>': <strerror>`.
    CantOpen {
        /// The path as written (glob results are relative like the pattern).
        path: Vec<u8>,
        /// `strerror(errno)` text, e.g. `No such file or directory`.
        reason: String,
    },
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LoadError::Fatal(e) => e.fmt(f),
            LoadError::CantOpen { path, reason } => write!(
                f,
                "Fatal error, can't open config file '{}': {reason}",
                String::from_utf8_lossy(path)
            ),
        }
    }
}

impl std::error::Error for LoadError {}

impl From<FatalConfigError> for LoadError {
    fn from(e: FatalConfigError) -> Self {
        LoadError::Fatal(e)
    }
}

/// `fgets()` into a 1025-byte buffer followed by `sdscat()`: each chunk of at
/// most 1024 bytes (or up to a newline) is cut at its first NUL byte.
fn c_text(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes.len());
    let mut rest = bytes;
    while !rest.is_empty() {
        let window = &rest[..rest.len().min(1024)];
        let len = window.iter().position(|&b| b == b'\n').map_or(window.len(), |i| i + 1);
        out.extend_from_slice(cstr(&rest[..len]));
        rest = &rest[len..];
    }
    out
}

/// Read a file like `fopen()` + `fgets()`: failing to open is an error,
/// failing to read (e.g. a directory) just ends the content.
fn read_config_file(display: &[u8], path: &Path) -> Result<Vec<u8>, LoadError> {
    let mut file = std::fs::File::open(path)
        .map_err(|e| LoadError::CantOpen { path: display.to_vec(), reason: cstr::strerror(&e) })?;
    let mut bytes = Vec::new();
    // A read error mid-way behaves like EOF for fgets().
    let _ = file.read_to_end(&mut bytes);
    Ok(c_text(&bytes))
}

/// Simulation of the command table for `rename-command` validation.
#[derive(Default)]
struct CommandTable {
    removed: HashSet<Vec<u8>>,
    added: HashSet<Vec<u8>>,
}

impl CommandTable {
    fn exists(&self, name: &[u8], original: &dyn Fn(&[u8]) -> bool) -> bool {
        self.added.contains(name)
            || (!self.removed.contains(name) && !name.contains(&b'|') && original(name))
    }
}

pub(crate) struct Loader<'c, 'h> {
    pub(crate) cfg: &'c mut Config,
    hooks: LoadHooks<'h>,
    save: SaveState,
    commands: CommandTable,
    depth: usize,
}

impl<'c, 'h> Loader<'c, 'h> {
    pub(crate) fn new(cfg: &'c mut Config, hooks: LoadHooks<'h>) -> Self {
        Loader {
            cfg,
            hooks,
            save: SaveState { reading_config_file: false, save_loaded: false },
            commands: CommandTable::default(),
            depth: 0,
        }
    }

    /// `loadServerConfig()`: concatenate the file (or the files a wildcard
    /// matches), stdin, and `"\n"` + options, then parse the whole text.
    pub(crate) fn load_server_config(
        &mut self,
        filename: Option<&[u8]>,
        stdin: Option<&[u8]>,
        options: Option<&[u8]>,
    ) -> Result<(), LoadError> {
        let mut config = Vec::new();
        if let Some(name) = filename {
            let name = cstr(name);
            let cwd = self.cfg.cwd();
            if glob::has_magic(name) {
                for found in glob::glob(name, &cwd) {
                    config.extend(read_config_file(&found, &cwd.join(bytes_path(&found)))?);
                }
            } else {
                config.extend(read_config_file(name, &cwd.join(bytes_path(name)))?);
            }
        }
        if let Some(input) = stdin {
            config.extend(c_text(input));
        }
        if let Some(options) = options {
            config.push(b'\n');
            config.extend_from_slice(cstr(options));
        }
        self.load_from_string(&config)
    }

    /// `loadServerConfigFromString()`.
    pub(crate) fn load_from_string(&mut self, config: &[u8]) -> Result<(), LoadError> {
        self.save.reading_config_file = true;
        for (i, raw) in cstr::split_len(config, b'\n').into_iter().enumerate() {
            let linenum = i + 1;
            let line = cstr::trim(raw, b" \t\r\n");
            if line.is_empty() || line[0] == b'#' {
                continue;
            }
            let fatal =
                |message: &str| LoadError::Fatal(FatalConfigError::at_line(linenum, line, message));
            let Some(mut argv) = cstr::split_args(line) else {
                return Err(fatal("Unbalanced quotes in configuration line"));
            };
            let Some(first) = argv.first_mut() else {
                continue;
            };
            first.make_ascii_lowercase();
            self.directive(&argv, linenum, line)?;
        }
        self.post_load_checks()?;
        self.save.reading_config_file = false;
        Ok(())
    }

    fn directive(
        &mut self,
        argv: &[Vec<u8>],
        linenum: usize,
        line: &[u8],
    ) -> Result<(), LoadError> {
        let fatal =
            |message: &str| LoadError::Fatal(FatalConfigError::at_line(linenum, line, message));
        let name = argv[0].as_slice();
        let argc = argv.len();
        let found = table::lookup(name);
        if let Some(l) = found.filter(|l| l.def().is_standard()) {
            let def = l.def();
            let multi = def.has(Flags::MULTI_ARG);
            if !multi && argc != 2 {
                return Err(fatal("wrong number of arguments"));
            }
            let args: Vec<Vec<u8>> = if multi && argc == 2 && !argv[1].is_empty() {
                // `--save "900 1"` style: one argument holding several.
                cstr::split_args(&argv[1]).unwrap_or_default()
            } else {
                argv[1..].to_vec()
            };
            return self.set_standard(l.index, &args).map_err(|e| fatal(&e));
        }
        match found.map(|l| l.def().kind) {
            Some(Kind::Deprecated { argc: wanted }) if wanted == argc => Ok(()),
            Some(Kind::Directive(Directive::Include)) if argc == 2 => {
                if self.depth >= MAX_INCLUDE_DEPTH {
                    return Err(fatal("Too many nested include directives"));
                }
                self.depth += 1;
                let result = self.load_server_config(Some(&argv[1]), None, None);
                self.depth -= 1;
                result
            }
            Some(Kind::Directive(Directive::RenameCommand)) if argc == 3 => {
                self.rename_command(&argv[1], &argv[2]).map_err(fatal)
            }
            Some(Kind::Directive(Directive::User)) if argc >= 2 => {
                if let Some(check) = self.hooks.check_user {
                    if let Err((idx, msg)) = check(&argv[1..]) {
                        let word = argv
                            .get(idx + 1)
                            .map(|w| String::from_utf8_lossy(cstr(w)).into_owned());
                        let mut text = format!(
                            "Error in user declaration '{}': {msg}",
                            word.unwrap_or_default()
                        );
                        // Redis formats into a 1024-byte buffer.
                        truncate_utf8(&mut text, 1023);
                        return Err(fatal(&text));
                    }
                }
                self.cfg.users.push(argv[1..].to_vec());
                self.cfg.explicit_directive("user");
                Ok(())
            }
            Some(Kind::Directive(Directive::LoadModule)) if argc >= 2 => {
                self.cfg.modules.push(argv[1..].to_vec());
                self.cfg.explicit_directive("loadmodule");
                Ok(())
            }
            _ if name.contains(&b'.') => {
                if argc < 2 {
                    return Err(fatal("Module config specified without value"));
                }
                let value = argv[2..].iter().fold(argv[1].clone(), |mut acc, word| {
                    acc.push(b' ');
                    acc.extend_from_slice(word);
                    acc
                });
                match self.cfg.module_configs.iter_mut().find(|(n, _)| n == name) {
                    Some(slot) => slot.1 = value,
                    None => self.cfg.module_configs.push((name.to_vec(), value)),
                }
                Ok(())
            }
            Some(Kind::Directive(Directive::Sentinel)) => {
                // A bare `sentinel` is main()'s business (Sentinel mode is
                // chosen from argv); anything else needs Sentinel mode,
                // which Ferrodis never runs in.
                if argc != 1 {
                    return Err(fatal("sentinel directive while not in sentinel mode"));
                }
                self.cfg.sentinel_directive = true;
                Ok(())
            }
            _ => Err(fatal("Bad directive or wrong number of arguments")),
        }
    }

    fn set_standard(&mut self, index: usize, args: &[Vec<u8>]) -> Result<(), String> {
        let def = &table::CONFIGS[index];
        let cwd = self.cfg.cwd();
        let current = &self.cfg.values[index];
        let mut env = SetEnv { save: &mut self.save, cwd: &cwd };
        let new = value::parse(def, current, args, &mut env)?;
        self.cfg.values[index] = new;
        self.cfg.explicit[index] = true;
        Ok(())
    }

    fn rename_command(&mut self, from: &[u8], to: &[u8]) -> Result<(), &'static str> {
        let from = from.to_ascii_lowercase();
        let to = to.to_ascii_lowercase();
        if let Some(original) = self.hooks.command_exists {
            if !self.commands.exists(&from, original) {
                return Err("No such command in rename-command");
            }
            if !self.commands.added.remove(&from) {
                self.commands.removed.insert(from.clone());
            }
            if !to.is_empty() {
                if self.commands.exists(&to, original) {
                    return Err("Target command name already exists");
                }
                self.commands.added.insert(to.clone());
            }
        }
        self.cfg.renames.push((from, to));
        Ok(())
    }

    /// The checks at the end of `loadServerConfigFromString()` that do not
    /// need the server (the log file check is left to the server).
    fn post_load_checks(&mut self) -> Result<(), LoadError> {
        use crate::config::id;
        let cluster = matches!(self.cfg.values[id::CLUSTER_ENABLED], Value::Bool(true));
        if cluster && matches!(self.cfg.values[id::REPLICAOF], Value::ReplicaOf(Some(_))) {
            return Err(FatalConfigError::without_line(
                "replicaof directive not allowed in cluster mode",
            )
            .into());
        }
        if let (true, Value::Num(dbnum)) = (cluster, &self.cfg.values[id::DATABASES]) {
            if *dbnum > 1 {
                self.cfg.warnings.push(format!(
                    "WARNING: Changing databases number from {dbnum} to 1 since we are in cluster mode"
                ));
                self.cfg.values[id::DATABASES] = Value::Num(1);
            }
        }
        self.cfg.clamp_hz();
        Ok(())
    }
}

fn truncate_utf8(s: &mut String, max: usize) {
    if s.len() > max {
        let mut cut = max;
        while !s.is_char_boundary(cut) {
            cut -= 1;
        }
        s.truncate(cut);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn opts(args: &[&str]) -> String {
        String::from_utf8(ArgvConfig::from_args(args).options.unwrap()).unwrap()
    }

    #[test]
    fn argv_conversion_matches_redis_main() {
        let a = ArgvConfig::from_args(&["/etc/redis.conf", "--port", "6380", "--save", "900 1"]);
        assert_eq!(a.config_file.as_deref(), Some(&b"/etc/redis.conf"[..]));
        assert!(!a.read_stdin);
        assert_eq!(
            String::from_utf8(a.options.unwrap()).unwrap(),
            "port \"6380\" \nsave \"900 1\" "
        );
        assert_eq!(opts(&["--save", ""]), "save \"\" ");
        assert_eq!(opts(&["--save"]), "save \"\"");
        assert_eq!(opts(&["--save", "--port", "1"]), "save \"\"\nport \"1\" ");
        assert_eq!(opts(&["--port 6380", "--bind", "a", "b"]), "port 6380 \nbind \"a\" \"b\" ");
        assert_eq!(opts(&["--port", "--123"]), "port \"--123\" ");
        assert_eq!(opts(&["--sentinel", "--port", "1"]), "sentinel \nport \"1\" ");
        assert_eq!(opts(&["--requirepass", "a\"b\n"]), "requirepass \"a\\\"b\\n\" ");
    }

    #[test]
    fn argv_stdin_dash() {
        let a = ArgvConfig::from_args(&["-", "--port", "1"]);
        assert!(a.read_stdin);
        assert_eq!(a.config_file, None);
        let b = ArgvConfig::from_args(&["f.conf", "--port", "1", "-"]);
        assert!(b.read_stdin);
        let c = ArgvConfig::from_args(&["--port", "-", "--x", "1"]);
        assert!(!c.read_stdin);
        assert_eq!(String::from_utf8(c.options.unwrap()).unwrap(), "port \"-\" \nx \"1\" ");
    }

    #[test]
    fn argv_empty_loads_nothing() {
        assert_eq!(ArgvConfig::from_args::<&str>(&[]), ArgvConfig::default());
        assert_eq!(ArgvConfig::from_args(&["f"]).options, Some(Vec::new()));
    }

    #[test]
    fn c_text_cuts_chunks_at_nul() {
        // The newline after the NUL is lost too, exactly like fgets+strlen.
        assert_eq!(c_text(b"ab\0cd\nef"), b"abef".to_vec());
        assert_eq!(c_text(b"ab\ncd\0\nef"), b"ab\ncdef".to_vec());
        let mut long = vec![b'a'; 1030];
        long[1] = 0;
        assert_eq!(c_text(&long), vec![b'a'; 7]);
    }

    #[test]
    fn fatal_report_layout() {
        let e =
            FatalConfigError::at_line(2, b"foo bar", "Bad directive or wrong number of arguments");
        assert_eq!(
            e.to_string(),
            "\n*** FATAL CONFIG FILE ERROR (Redis 7.2.4) ***\nReading the configuration file, at line 2\n>>> 'foo bar'\nBad directive or wrong number of arguments\n"
        );
        let g = FatalConfigError::without_line("Can't open the log file: Permission denied");
        assert_eq!(
            g.to_string(),
            "\n*** FATAL CONFIG FILE ERROR (Redis 7.2.4) ***\nCan't open the log file: Permission denied\n"
        );
        let o = LoadError::CantOpen {
            path: b"/x".to_vec(),
            reason: "No such file or directory".into(),
        };
        assert_eq!(
            o.to_string(),
            "Fatal error, can't open config file '/x': No such file or directory"
        );
    }
}
