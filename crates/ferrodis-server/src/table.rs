//! The command table: every family's specs, indexed by name, with per-command statistics.
//!
//! Built once at start-up from each family's `SPECS`, after applying `rename-command`. Runtime
//! data (call counts, time spent) lives in a parallel array indexed by the entry id, never in
//! the spec, as Redis separates declarative and runtime fields of `struct redisCommand`.

use crate::spec::CommandSpec;
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};

/// Runtime counters of one command (INFO commandstats).
#[derive(Debug, Default)]
pub struct CommandStats {
    /// Executions.
    pub calls: AtomicU64,
    /// Microseconds spent executing.
    pub usec: AtomicU64,
    /// Calls refused before execution (arity, auth, ...).
    pub rejected_calls: AtomicU64,
    /// Executions that replied with an error.
    pub failed_calls: AtomicU64,
}

impl CommandStats {
    /// Zeroes the counters (CONFIG RESETSTAT).
    pub fn reset(&self) {
        self.calls.store(0, Ordering::Relaxed);
        self.usec.store(0, Ordering::Relaxed);
        self.rejected_calls.store(0, Ordering::Relaxed);
        self.failed_calls.store(0, Ordering::Relaxed);
    }
}

/// A command or subcommand in the table.
#[derive(Debug)]
pub struct Entry {
    /// The declaration.
    pub spec: &'static CommandSpec,
    /// Full name: `get`, or `config|get` for a subcommand.
    pub fullname: String,
    /// Index into [`CommandTable::stats`].
    pub id: usize,
    /// Subcommands by lowercase name.
    pub subcommands: HashMap<Vec<u8>, Entry>,
}

/// All commands, by lowercase name (after renames).
#[derive(Debug)]
pub struct CommandTable {
    by_name: HashMap<Vec<u8>, Entry>,
    /// Counters, indexed by [`Entry::id`].
    pub stats: Vec<CommandStats>,
    /// Full names, indexed by [`Entry::id`].
    pub fullnames: Vec<String>,
}

impl CommandTable {
    /// Builds the table from `specs`, applying `renames` (`(old, Some(new))` renames,
    /// `(old, None)` disables). Unknown names in `renames` are returned as an error, as Redis
    /// refuses to start on them.
    pub fn new(
        specs: impl IntoIterator<Item = &'static CommandSpec>,
        renames: &[(String, Option<String>)],
    ) -> Result<CommandTable, String> {
        let mut fullnames = Vec::new();
        let mut by_name = HashMap::new();
        for spec in specs {
            let entry = Self::entry(spec, None, &mut fullnames);
            by_name.insert(spec.name.as_bytes().to_vec(), entry);
        }
        for (old, new) in renames {
            let key = old.to_ascii_lowercase().into_bytes();
            let Some(entry) = by_name.remove(&key) else {
                return Err(format!("No such command in rename-command: {old}"));
            };
            if let Some(new) = new {
                by_name.insert(new.to_ascii_lowercase().into_bytes(), entry);
            }
        }
        let stats = fullnames.iter().map(|_| CommandStats::default()).collect();
        Ok(CommandTable { by_name, stats, fullnames })
    }

    fn entry(spec: &'static CommandSpec, parent: Option<&str>, names: &mut Vec<String>) -> Entry {
        let fullname = match parent {
            Some(p) => format!("{p}|{}", spec.name),
            None => spec.name.to_string(),
        };
        let id = names.len();
        names.push(fullname.clone());
        let subcommands = spec
            .subcommands
            .iter()
            .map(|sub| (sub.name.as_bytes().to_vec(), Self::entry(sub, Some(&fullname), names)))
            .collect();
        Entry { spec, fullname, id, subcommands }
    }

    /// Looks a command up by name, case-insensitively.
    pub fn get(&self, name: &[u8]) -> Option<&Entry> {
        if name.iter().any(u8::is_ascii_uppercase) {
            self.by_name.get(&name.to_ascii_lowercase())
        } else {
            self.by_name.get(name)
        }
    }

    /// Every top-level command, sorted by name.
    pub fn commands(&self) -> Vec<(&[u8], &Entry)> {
        let mut all: Vec<_> = self.by_name.iter().map(|(k, v)| (k.as_slice(), v)).collect();
        all.sort_by(|a, b| a.0.cmp(b.0));
        all
    }

    /// Number of top-level commands.
    pub fn len(&self) -> usize {
        self.by_name.len()
    }

    /// True when the table is empty.
    pub fn is_empty(&self) -> bool {
        self.by_name.is_empty()
    }

    /// Resolves argv to the entry that handles it (a subcommand when the command is a
    /// container and argv names one). `None` when argv names no known command.
    pub fn resolve(&self, argv: &[bytes::Bytes]) -> Option<&Entry> {
        let entry = self.get(argv.first()?)?;
        if entry.subcommands.is_empty() || argv.len() < 2 {
            return Some(entry);
        }
        entry.subcommands.get(&argv[1].to_ascii_lowercase()).or(Some(entry))
    }
}
