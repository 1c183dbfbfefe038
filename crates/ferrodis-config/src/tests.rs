//! Cross-module tests: loading, FATAL reports, CONFIG GET/SET, REWRITE,
//! the stock Debian redis.conf, and robustness against arbitrary input.

use std::path::{Path, PathBuf};

use crate::*;

/// Every name `CONFIG GET *` returns on a stock Redis 7.2.4 build.
const REDIS_7_2_GET_ALL: &[&str] = &[
    "acl-pubsub-default",
    "aclfile",
    "acllog-max-len",
    "active-defrag-cycle-max",
    "active-defrag-cycle-min",
    "active-defrag-ignore-bytes",
    "active-defrag-max-scan-fields",
    "active-defrag-threshold-lower",
    "active-defrag-threshold-upper",
    "active-expire-effort",
    "activedefrag",
    "activerehashing",
    "always-show-logo",
    "aof-load-truncated",
    "aof-rewrite-incremental-fsync",
    "aof-timestamp-enabled",
    "aof-use-rdb-preamble",
    "aof_rewrite_cpulist",
    "appenddirname",
    "appendfilename",
    "appendfsync",
    "appendonly",
    "auto-aof-rewrite-min-size",
    "auto-aof-rewrite-percentage",
    "bgsave_cpulist",
    "bind",
    "bind-source-addr",
    "bio_cpulist",
    "busy-reply-threshold",
    "client-output-buffer-limit",
    "client-query-buffer-limit",
    "cluster-allow-pubsubshard-when-down",
    "cluster-allow-reads-when-down",
    "cluster-allow-replica-migration",
    "cluster-announce-bus-port",
    "cluster-announce-hostname",
    "cluster-announce-human-nodename",
    "cluster-announce-ip",
    "cluster-announce-port",
    "cluster-announce-tls-port",
    "cluster-config-file",
    "cluster-enabled",
    "cluster-link-sendbuf-limit",
    "cluster-migration-barrier",
    "cluster-node-timeout",
    "cluster-port",
    "cluster-preferred-endpoint-type",
    "cluster-replica-no-failover",
    "cluster-replica-validity-factor",
    "cluster-require-full-coverage",
    "cluster-slave-no-failover",
    "cluster-slave-validity-factor",
    "crash-log-enabled",
    "crash-memcheck-enabled",
    "daemonize",
    "databases",
    "dbfilename",
    "dir",
    "disable-thp",
    "dynamic-hz",
    "enable-debug-command",
    "enable-module-command",
    "enable-protected-configs",
    "hash-max-listpack-entries",
    "hash-max-listpack-value",
    "hash-max-ziplist-entries",
    "hash-max-ziplist-value",
    "hll-sparse-max-bytes",
    "hz",
    "ignore-warnings",
    "io-threads",
    "io-threads-do-reads",
    "jemalloc-bg-thread",
    "latency-monitor-threshold",
    "latency-tracking",
    "latency-tracking-info-percentiles",
    "lazyfree-lazy-eviction",
    "lazyfree-lazy-expire",
    "lazyfree-lazy-server-del",
    "lazyfree-lazy-user-del",
    "lazyfree-lazy-user-flush",
    "lfu-decay-time",
    "lfu-log-factor",
    "list-compress-depth",
    "list-max-listpack-size",
    "list-max-ziplist-size",
    "locale-collate",
    "logfile",
    "loglevel",
    "lua-time-limit",
    "masterauth",
    "masteruser",
    "maxclients",
    "maxmemory",
    "maxmemory-clients",
    "maxmemory-eviction-tenacity",
    "maxmemory-policy",
    "maxmemory-samples",
    "min-replicas-max-lag",
    "min-replicas-to-write",
    "min-slaves-max-lag",
    "min-slaves-to-write",
    "no-appendfsync-on-rewrite",
    "notify-keyspace-events",
    "oom-score-adj",
    "oom-score-adj-values",
    "pidfile",
    "port",
    "proc-title-template",
    "propagation-error-behavior",
    "protected-mode",
    "proto-max-bulk-len",
    "rdb-del-sync-files",
    "rdb-save-incremental-fsync",
    "rdbchecksum",
    "rdbcompression",
    "repl-backlog-size",
    "repl-backlog-ttl",
    "repl-disable-tcp-nodelay",
    "repl-diskless-load",
    "repl-diskless-sync",
    "repl-diskless-sync-delay",
    "repl-diskless-sync-max-replicas",
    "repl-ping-replica-period",
    "repl-ping-slave-period",
    "repl-timeout",
    "replica-announce-ip",
    "replica-announce-port",
    "replica-announced",
    "replica-ignore-disk-write-errors",
    "replica-ignore-maxmemory",
    "replica-lazy-flush",
    "replica-priority",
    "replica-read-only",
    "replica-serve-stale-data",
    "replicaof",
    "requirepass",
    "sanitize-dump-payload",
    "save",
    "server_cpulist",
    "set-max-intset-entries",
    "set-max-listpack-entries",
    "set-max-listpack-value",
    "set-proc-title",
    "shutdown-on-sigint",
    "shutdown-on-sigterm",
    "shutdown-timeout",
    "slave-announce-ip",
    "slave-announce-port",
    "slave-ignore-maxmemory",
    "slave-lazy-flush",
    "slave-priority",
    "slave-read-only",
    "slave-serve-stale-data",
    "slaveof",
    "slowlog-log-slower-than",
    "slowlog-max-len",
    "socket-mark-id",
    "stop-writes-on-bgsave-error",
    "stream-node-max-bytes",
    "stream-node-max-entries",
    "supervised",
    "syslog-enabled",
    "syslog-facility",
    "syslog-ident",
    "tcp-backlog",
    "tcp-keepalive",
    "timeout",
    "tls-auth-clients",
    "tls-ca-cert-dir",
    "tls-ca-cert-file",
    "tls-cert-file",
    "tls-ciphers",
    "tls-ciphersuites",
    "tls-client-cert-file",
    "tls-client-key-file",
    "tls-client-key-file-pass",
    "tls-cluster",
    "tls-dh-params-file",
    "tls-key-file",
    "tls-key-file-pass",
    "tls-port",
    "tls-prefer-server-ciphers",
    "tls-protocols",
    "tls-replication",
    "tls-session-cache-size",
    "tls-session-cache-timeout",
    "tls-session-caching",
    "tracking-table-max-keys",
    "unixsocket",
    "unixsocketperm",
    "zset-max-listpack-entries",
    "zset-max-listpack-value",
    "zset-max-ziplist-entries",
    "zset-max-ziplist-value",
];

fn hooks() -> LoadHooks<'static> {
    LoadHooks::default()
}

fn load(text: &str) -> Result<Config, LoadError> {
    Config::load_str(text.as_bytes(), &hooks())
}

fn loaded(text: &str) -> Config {
    match load(text) {
        Ok(c) => c,
        Err(e) => panic!("unexpected load error: {e}"),
    }
}

fn fatal(text: &str) -> String {
    match load(text) {
        Ok(_) => panic!("expected a FATAL error for {text:?}"),
        Err(e) => e.to_string(),
    }
}

fn report(line: usize, content: &str, message: &str) -> String {
    format!(
        "\n*** FATAL CONFIG FILE ERROR (Redis 7.2.4) ***\nReading the configuration file, at line {line}\n>>> '{content}'\n{message}\n"
    )
}

fn get(cfg: &Config, name: &str) -> String {
    String::from_utf8(cfg.get_value(name).unwrap_or_else(|| panic!("no {name}"))).unwrap()
}

fn glob(pattern: &[u8], name: &[u8]) -> bool {
    fnmatch(pattern, name, true)
}

fn ctx() -> SetContext {
    SetContext::default()
}

/// A fresh scratch directory under the system temp dir.
fn scratch(tag: &str) -> PathBuf {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static N: AtomicUsize = AtomicUsize::new(0);
    let dir = std::env::temp_dir().join(format!(
        "ferrodis-config-{tag}-{}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::canonicalize(&dir).unwrap()
}

// ---------------------------------------------------------------------------
// Loading
// ---------------------------------------------------------------------------

#[test]
fn defaults_without_arguments() {
    let cfg = Config::load(&ArgvConfig::from_args::<&str>(&[]), &hooks()).unwrap();
    assert_eq!(cfg.port(), 6379);
    // Loopback by default (the project's choice; Redis without a config file binds `* -::*`).
    assert_eq!(cfg.bind(), vec!["127.0.0.1".to_string(), "-::1".to_string()]);
    assert_eq!(cfg.databases(), 16);
    assert_eq!(cfg.maxclients(), 10000);
    assert_eq!(cfg.hz(), 10);
    assert_eq!(cfg.loglevel(), LogLevel::Notice);
    assert_eq!(cfg.supervised(), Supervised::No);
    assert_eq!(cfg.requirepass(), None);
    assert_eq!(cfg.proto_max_bulk_len(), 512 * 1024 * 1024);
    assert_eq!(cfg.client_query_buffer_limit(), 1024 * 1024 * 1024);
    assert_eq!(cfg.enable_debug_command(), ProtectedAction::No);
    assert_eq!(cfg.dir(), std::env::current_dir().unwrap());
    assert_eq!(cfg.logfile(), None);
    assert_eq!(cfg.pidfile(), None);
    assert_eq!(cfg.tcp_backlog(), 511);
    assert_eq!(cfg.syslog_ident(), "redis");
    assert_eq!(cfg.syslog_facility(), 128);
    assert!(cfg.unenforced().is_empty());
    assert_eq!(cfg.save_params(), vec![(3600, 1), (300, 100), (60, 10000)]);
}

#[test]
fn comments_blank_lines_case_and_quotes() {
    let cfg = loaded(
        "# comment\n\n   \t\r\n  PORT 7000  \r\n  # indented comment\nRequirePass \"p\\x41ss word\"\nlogfile 'it\\'s.log'\n",
    );
    assert_eq!(cfg.port(), 7000);
    assert_eq!(cfg.requirepass(), Some(b"pAss word".to_vec()));
    assert_eq!(cfg.logfile(), Some(PathBuf::from("it's.log")));
}

#[test]
fn units_and_aliases() {
    let cfg = loaded(
        "maxmemory 2GB\nproto-max-bulk-len 1mb\nclient-query-buffer-limit 2M\nhash-max-ziplist-entries 100\nslave-read-only no\nhash-max-ziplist-value 1k\n",
    );
    assert_eq!(get(&cfg, "maxmemory"), "2147483648");
    assert_eq!(cfg.proto_max_bulk_len(), 1024 * 1024);
    assert_eq!(cfg.client_query_buffer_limit(), 2_000_000);
    assert_eq!(cfg.hash_max_listpack_entries(), 100);
    assert_eq!(cfg.hash_max_listpack_value(), 1000);
    assert_eq!(get(&cfg, "replica-read-only"), "no");
    assert_eq!(get(&cfg, "slave-read-only"), "no");
}

#[test]
fn last_value_wins_and_save_accumulates() {
    let cfg = loaded("port 1\nport 2\nsave 900 1\nsave 300 10\n");
    assert_eq!(cfg.port(), 2);
    assert_eq!(get(&cfg, "save"), "900 1 300 10");
    let cfg = loaded("save 900 1\nsave \"\"\n");
    assert_eq!(get(&cfg, "save"), "");
    let cfg = loaded("save \"\"\nsave 5 5\n");
    assert_eq!(get(&cfg, "save"), "5 5");
    let cfg = loaded("save \"60 1 30 2\"\n");
    assert_eq!(get(&cfg, "save"), "60 1 30 2");
}

#[test]
fn hz_is_clamped_after_loading() {
    assert_eq!(loaded("hz 0\n").hz(), 1);
    assert_eq!(get(&loaded("hz 0\n"), "hz"), "1");
    assert_eq!(get(&loaded("hz 100000\n"), "hz"), "500");
}

#[test]
fn deprecated_directives_are_ignored() {
    let cfg = loaded(
        "list-max-ziplist-entries 5\nlist-max-ziplist-value 6\nlua-replicate-commands yes\n",
    );
    assert_eq!(cfg.list_max_listpack_size(), -2);
    assert!(
        fatal("lua-replicate-commands\n").ends_with("Bad directive or wrong number of arguments\n")
    );
}

#[test]
fn file_only_directives_are_stored() {
    let cfg = loaded(
        "rename-command CONFIG \"\"\nrename-command FLUSHALL myflush\nuser alice on >pw ~* +@all\nloadmodule /x/m.so a b\nfoo.bar 1 2\nsentinel\n",
    );
    assert_eq!(
        cfg.renamed_commands(),
        vec![("config".to_string(), None), ("flushall".to_string(), Some("myflush".to_string()))]
    );
    assert_eq!(cfg.users().len(), 1);
    assert_eq!(cfg.users()[0][0], b"alice");
    assert_eq!(cfg.load_modules()[0], vec![b"/x/m.so".to_vec(), b"a".to_vec(), b"b".to_vec()]);
    assert_eq!(cfg.module_configs(), &[(b"foo.bar".to_vec(), b"1 2".to_vec())]);
    assert!(cfg.sentinel_directive());
    let names: Vec<String> = cfg.unenforced().into_iter().map(|u| u.name).collect();
    assert_eq!(names, ["user", "loadmodule", "foo.bar"]);
}

#[test]
fn unenforced_directives_are_reported() {
    let cfg = loaded("port 7000\nappendonly no\nmaxmemory 1gb\n");
    assert_eq!(
        cfg.unenforced(),
        vec![
            Unenforced { name: "appendonly".into(), non_default: false },
            Unenforced { name: "maxmemory".into(), non_default: true },
        ]
    );
}

#[test]
fn cluster_mode_sanity_checks() {
    let cfg = loaded("cluster-enabled yes\ndatabases 4\n");
    assert_eq!(cfg.databases(), 1);
    assert_eq!(
        cfg.warnings(),
        ["WARNING: Changing databases number from 4 to 1 since we are in cluster mode".to_string()]
    );
    assert_eq!(
        fatal("replicaof 127.0.0.1 6380\ncluster-enabled yes\n"),
        "\n*** FATAL CONFIG FILE ERROR (Redis 7.2.4) ***\nreplicaof directive not allowed in cluster mode\n"
    );
}

// ---------------------------------------------------------------------------
// FATAL reports
// ---------------------------------------------------------------------------

#[test]
fn fatal_bad_directive_layout() {
    assert_eq!(
        fatal("port 6379\nfoo bar\n"),
        report(2, "foo bar", "Bad directive or wrong number of arguments")
    );
}

#[test]
fn fatal_messages() {
    let cases: &[(&str, &str, &str)] = &[
        ("port \"6379", "port \"6379", "Unbalanced quotes in configuration line"),
        ("port '1'2", "port '1'2", "Unbalanced quotes in configuration line"),
        ("port", "port", "wrong number of arguments"),
        ("port 1 2", "port 1 2", "wrong number of arguments"),
        ("port 6379 # comment", "port 6379 # comment", "wrong number of arguments"),
        ("port 70000", "port 70000", "argument must be between 0 and 65535 inclusive"),
        ("port abc", "port abc", "argument couldn't be parsed into an integer"),
        ("databases 0", "databases 0", "argument must be between 1 and 2147483647 inclusive"),
        ("maxclients 0", "maxclients 0", "argument must be between 1 and 4294967295 inclusive"),
        ("daemonize maybe", "daemonize maybe", "argument must be 'yes' or 'no'"),
        ("maxmemory 1tb", "maxmemory 1tb", "argument must be a memory value"),
        (
            "maxmemory-clients 1x",
            "maxmemory-clients 1x",
            "argument must be a memory or percent value",
        ),
        (
            "unixsocketperm 778",
            "unixsocketperm 778",
            "argument couldn't be parsed as an octal number",
        ),
        (
            "unixsocketperm 1000",
            "unixsocketperm 1000",
            "argument must be between 0 and 777 inclusive",
        ),
        (
            "loglevel loud",
            "loglevel loud",
            "argument(s) must be one of the following: debug, verbose, notice, warning, nothing",
        ),
        ("save 1", "save 1", "Invalid save parameters"),
        ("save a b", "save a b", "Invalid save parameters"),
        (
            "client-output-buffer-limit master 1 1 1",
            "client-output-buffer-limit master 1 1 1",
            "Invalid client class specified in buffer limit configuration.",
        ),
        ("oom-score-adj-values 1 2", "oom-score-adj-values 1 2", "wrong number of arguments"),
        (
            "notify-keyspace-events Q",
            "notify-keyspace-events Q",
            "Invalid event class character. Use 'Ag$lshzxeKEtmdn'.",
        ),
        ("dbfilename a/b.rdb", "dbfilename a/b.rdb", "dbfilename can't be a path, just a filename"),
        ("dir /nonexistent/ferrodis", "dir /nonexistent/ferrodis", "No such file or directory"),
        ("replicaof host", "replicaof host", "wrong number of arguments"),
        ("replicaof host x", "replicaof host x", "Invalid master port"),
        ("a.b", "a.b", "Module config specified without value"),
        (
            "sentinel monitor m 1 2",
            "sentinel monitor m 1 2",
            "sentinel directive while not in sentinel mode",
        ),
        ("include", "include", "Bad directive or wrong number of arguments"),
        ("rename-command a", "rename-command a", "Bad directive or wrong number of arguments"),
        ("user", "user", "Bad directive or wrong number of arguments"),
        ("loadmodule", "loadmodule", "Bad directive or wrong number of arguments"),
        (
            "shutdown-on-sigterm save nosave",
            "shutdown-on-sigterm save nosave",
            "shutdown options SAVE and NOSAVE can't be used simultaneously",
        ),
    ];
    for (input, line, message) in cases {
        assert_eq!(
            fatal(&format!("# first\n{input}\n")),
            report(2, line, message),
            "input {input:?}"
        );
    }
}

#[test]
fn fatal_dir_not_a_directory() {
    let dir = scratch("notdir");
    let file = dir.join("plain");
    std::fs::write(&file, b"x").unwrap();
    let line = format!("dir {}", file.display());
    assert_eq!(fatal(&format!("{line}\n")), report(1, &line, "Not a directory"));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn fatal_report_shows_trimmed_line() {
    assert_eq!(
        fatal("  \tbogus  x \r\n"),
        report(1, "bogus  x", "Bad directive or wrong number of arguments")
    );
}

#[test]
fn fatal_rename_command_with_command_table() {
    let known = |name: &[u8]| matches!(name, b"get" | b"set" | b"config");
    let hooks = LoadHooks { command_exists: Some(&known), ..LoadHooks::default() };
    let err = |text: &str| Config::load_str(text.as_bytes(), &hooks).unwrap_err().to_string();
    assert_eq!(
        err("rename-command nope x\n"),
        report(1, "rename-command nope x", "No such command in rename-command")
    );
    assert_eq!(
        err("rename-command get set\n"),
        report(1, "rename-command get set", "Target command name already exists")
    );
    assert_eq!(
        err("rename-command GET g2\nrename-command get x\n"),
        report(2, "rename-command get x", "No such command in rename-command")
    );
    let ok = Config::load_str(b"rename-command GET g2\nrename-command g2 g3\nrename-command set get\nrename-command get get\n", &hooks)
        .unwrap();
    assert_eq!(ok.renamed_commands().len(), 4);
}

#[test]
fn fatal_user_check_hook() {
    let check = |argv: &[Vec<u8>]| -> Result<(), (usize, String)> {
        match argv.iter().position(|w| w == b"bogus") {
            Some(i) => Err((i, "Syntax error".to_string())),
            None => Ok(()),
        }
    };
    let hooks = LoadHooks { check_user: Some(&check), ..LoadHooks::default() };
    let err = Config::load_str(b"user alice on bogus\n", &hooks).unwrap_err().to_string();
    assert_eq!(
        err,
        report(1, "user alice on bogus", "Error in user declaration 'bogus': Syntax error")
    );
}

#[test]
fn fatal_line_numbers_with_command_line_options() {
    // `redis-server --port 6402 --save '' --foo bar`: no file, so the text is
    // "\n" + options and the bad option is on line 4 (checked against
    // redis-server 7.0.15, same code as 7.2).
    let argv = ArgvConfig::from_args(&["--port", "6402", "--save", "", "--foo", "bar"]);
    let err = Config::load(&argv, &hooks()).unwrap_err().to_string();
    assert_eq!(err, report(4, "foo \"bar\"", "Bad directive or wrong number of arguments"));
    let argv = ArgvConfig::from_args(&["--port", "6402", "--save", "", "--port", "1", "2"]);
    let err = Config::load(&argv, &hooks()).unwrap_err().to_string();
    assert_eq!(err, report(4, "port \"1\" \"2\"", "wrong number of arguments"));
}

#[test]
fn fatal_missing_config_file() {
    let argv = ArgvConfig::from_args(&["/nonexistent/ferrodis.conf"]);
    let err = Config::load(&argv, &hooks()).unwrap_err();
    assert_eq!(
        err.to_string(),
        "Fatal error, can't open config file '/nonexistent/ferrodis.conf': No such file or directory"
    );
}

// ---------------------------------------------------------------------------
// argv / stdin / include
// ---------------------------------------------------------------------------

#[test]
fn argv_file_then_stdin_then_options() {
    let dir = scratch("argv");
    let file = dir.join("r.conf");
    std::fs::write(&file, "port 1000\ntimeout 5\n").unwrap();
    let file_arg = file.to_str().unwrap();
    let argv = ArgvConfig::from_args(&[file_arg, "-"]);
    assert!(argv.read_stdin);
    let mut stdin: &[u8] = b"port 2000\nloglevel warning\n";
    let cfg = Config::load_with_stdin(&argv, &mut stdin, &hooks()).unwrap();
    assert_eq!(cfg.port(), 2000);
    assert_eq!(cfg.timeout_secs(), 5);
    assert_eq!(cfg.loglevel(), LogLevel::Warning);
    assert_eq!(cfg.config_file(), Some(file.as_path()));

    let argv = ArgvConfig::from_args(&[
        file_arg,
        "--port",
        "3000",
        "--save",
        "900 1",
        "--bind",
        "127.0.0.1",
        "::1",
    ]);
    let cfg = Config::load(&argv, &hooks()).unwrap();
    assert_eq!(cfg.port(), 3000);
    assert_eq!(get(&cfg, "save"), "900 1");
    assert_eq!(cfg.bind(), vec!["127.0.0.1".to_string(), "::1".to_string()]);

    let argv = ArgvConfig::from_args(&["--save", "--bind", "127.0.0.1  ::1"]);
    let cfg = Config::load(&argv, &hooks()).unwrap();
    assert_eq!(get(&cfg, "save"), "");
    assert_eq!(get(&cfg, "bind"), "127.0.0.1 ::1");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn include_relative_to_dir_and_nested() {
    let dir = scratch("include");
    std::fs::create_dir_all(dir.join("sub")).unwrap();
    std::fs::write(dir.join("sub/a.conf"), "include b.conf\nport 1234\n").unwrap();
    std::fs::write(dir.join("sub/b.conf"), "timeout 9\n").unwrap();
    let text = format!("dir {}\ninclude sub/a.conf\n", dir.display());
    // `include b.conf` inside sub/a.conf is relative to `dir`, not to
    // sub/: Redis uses the process' working directory.
    let err = load(&text).unwrap_err().to_string();
    assert_eq!(err, "Fatal error, can't open config file 'b.conf': No such file or directory");
    std::fs::write(dir.join("b.conf"), "timeout 9\n").unwrap();
    let cfg = loaded(&text);
    assert_eq!(cfg.port(), 1234);
    assert_eq!(cfg.timeout_secs(), 9);
    // Errors inside an included file report that file's line numbers.
    std::fs::write(dir.join("bad.conf"), "\n\nnope\n").unwrap();
    let err = load(&format!("dir {}\ninclude bad.conf\n", dir.display())).unwrap_err().to_string();
    assert_eq!(err, report(3, "nope", "Bad directive or wrong number of arguments"));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn include_wildcards() {
    let dir = scratch("wild");
    std::fs::create_dir_all(dir.join("conf.d")).unwrap();
    std::fs::create_dir_all(dir.join("empty.d")).unwrap();
    std::fs::write(dir.join("conf.d/20-b.conf"), "port 2\n").unwrap();
    std::fs::write(dir.join("conf.d/10-a.conf"), "port 1\ntimeout 1\n").unwrap();
    let cfg =
        loaded(&format!("include {0}/conf.d/*.conf\ninclude {0}/empty.d/*.conf\n", dir.display()));
    assert_eq!(cfg.port(), 2, "files are included in sorted order");
    assert_eq!(cfg.timeout_secs(), 1);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn include_resets_save_accumulation_like_redis() {
    // Redis quirk (verified on redis-server 7.0.15): after an include the
    // "reading config file" flag is cleared, so each later `save` line
    // replaces the previous ones.
    let dir = scratch("savequirk");
    std::fs::write(dir.join("i.conf"), "save 10 1\n").unwrap();
    let cfg = loaded(&format!("include {}/i.conf\nsave 900 1\nsave 300 10\n", dir.display()));
    assert_eq!(get(&cfg, "save"), "300 10");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn include_recursion_is_bounded() {
    let dir = scratch("loop");
    let file = dir.join("self.conf");
    std::fs::write(&file, format!("include {}\n", file.display())).unwrap();
    let err = load(&format!("include {}\n", file.display())).unwrap_err().to_string();
    assert!(err.ends_with("Too many nested include directives\n"), "{err}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn dir_directive_is_resolved() {
    let dir = scratch("dir");
    std::fs::create_dir_all(dir.join("a/b")).unwrap();
    let cfg = loaded(&format!("dir {}\ndir a\ndir ./b/\n", dir.display()));
    assert_eq!(cfg.dir(), dir.join("a/b"));
    assert_eq!(get(&cfg, "dir"), dir.join("a/b").display().to_string());
    let _ = std::fs::remove_dir_all(&dir);
}

// ---------------------------------------------------------------------------
// Debian's stock redis.conf
// ---------------------------------------------------------------------------

#[test]
fn loads_debian_stock_redis_conf() {
    let path = Path::new("/etc/redis/redis.conf");
    assert!(
        path.exists(),
        "{} is missing: this test needs Debian's stock config, run `apt-get install redis-server`",
        path.display()
    );
    // The stock file's `dir /var/lib/redis` must exist for loading to work
    // (Redis chdir()s into it); the redis-server package creates it.
    let argv = ArgvConfig::from_args(&["/etc/redis/redis.conf"]);
    let cfg = match Config::load(&argv, &hooks()) {
        Ok(c) => c,
        Err(e) => panic!("stock redis.conf failed to load (is redis-server installed?): {e}"),
    };
    assert_eq!(cfg.port(), 6379);
    assert!(cfg.daemonize());
    assert_eq!(cfg.dir(), PathBuf::from("/var/lib/redis"));
    assert_eq!(cfg.bind(), vec!["127.0.0.1".to_string(), "-::1".to_string()]);
    assert!(cfg.protected_mode());
    assert_eq!(cfg.pidfile(), Some(PathBuf::from("/run/redis/redis-server.pid")));
    assert_eq!(cfg.logfile(), Some(PathBuf::from("/var/log/redis/redis-server.log")));
    assert_eq!(cfg.databases(), 16);
    assert_eq!(cfg.tcp_keepalive_secs(), 300);
    assert_eq!(cfg.loglevel(), LogLevel::Notice);
    assert_eq!(
        get(&cfg, "client-output-buffer-limit"),
        "normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60"
    );
    assert_eq!(get(&cfg, "auto-aof-rewrite-min-size"), "67108864");
    assert_eq!(get(&cfg, "notify-keyspace-events"), "");
    // The stock file sets many directives Ferrodis does not implement, all
    // to their defaults.
    let unenforced = cfg.unenforced();
    assert!(unenforced.iter().any(|u| u.name == "appendonly"));
    let non_default: Vec<&str> =
        unenforced.iter().filter(|u| u.non_default).map(|u| u.name.as_str()).collect();
    assert!(non_default.is_empty(), "{non_default:?}");
}

// ---------------------------------------------------------------------------
// CONFIG GET
// ---------------------------------------------------------------------------

#[test]
fn get_star_matches_redis_7_2_names() {
    let cfg = Config::new();
    let mut names: Vec<String> = cfg.get(&["*"], glob).into_iter().map(|(n, _)| n).collect();
    names.sort();
    let expected: Vec<String> = REDIS_7_2_GET_ALL.iter().map(|s| s.to_string()).collect();
    assert_eq!(names, expected);
}

#[test]
fn get_glob_exact_and_alias_semantics() {
    let cfg = loaded("port 6380\n");
    // Exact names echo the client's spelling.
    assert_eq!(cfg.get(&["PORT"], glob), vec![("PORT".to_string(), b"6380".to_vec())]);
    assert_eq!(
        cfg.get(&["slave-read-only"], glob),
        vec![("slave-read-only".to_string(), b"yes".to_vec())]
    );
    // Globs are case-insensitive and list aliases separately.
    let got: Vec<String> = cfg.get(&["PO*"], glob).into_iter().map(|(n, _)| n).collect();
    assert_eq!(got, ["port"]);
    let mut got: Vec<String> = cfg.get(&["*read-only"], glob).into_iter().map(|(n, _)| n).collect();
    got.sort();
    assert_eq!(got, ["replica-read-only", "slave-read-only"]);
    // Duplicates across patterns are dropped.
    let got = cfg.get(&["port", "PORT", "p?rt", "*"], glob);
    assert_eq!(got.iter().filter(|(n, _)| n.eq_ignore_ascii_case("port")).count(), 1);
    // Hidden configs need their exact name.
    assert!(cfg.get(&["watchdog*"], glob).is_empty());
    assert_eq!(cfg.get(&["watchdog-period"], glob).len(), 1);
    // Unknown and config-file-only names return nothing.
    assert!(cfg.get(&["nope", "include", "rename-command"], glob).is_empty());
    assert!(cfg.get::<&str>(&[], glob).is_empty());
}

#[test]
fn get_renders_values_like_redis() {
    let cfg = loaded(
        "maxmemory 1kb\nunixsocketperm 755\nloglevel WARNING\nsave 900 1\nnotify-keyspace-events KEA\nmaxmemory-clients 5%\nslowlog-log-slower-than -1\n",
    );
    for (name, value) in [
        ("maxmemory", "1024"),
        ("unixsocketperm", "755"),
        ("loglevel", "warning"),
        ("save", "900 1"),
        ("notify-keyspace-events", "AKE"),
        ("maxmemory-clients", "5%"),
        ("slowlog-log-slower-than", "-1"),
        ("oom-score-adj-values", "0 200 800"),
        ("daemonize", "no"),
        ("replicaof", ""),
        ("requirepass", ""),
        ("proc-title-template", "{title} {listen-addr} {server-mode}"),
        ("latency-tracking-info-percentiles", "50 99 99.9"),
    ] {
        assert_eq!(get(&cfg, name), value, "{name}");
    }
}

// ---------------------------------------------------------------------------
// CONFIG SET
// ---------------------------------------------------------------------------

#[test]
fn set_is_all_or_nothing() {
    let mut cfg = Config::new();
    let err =
        cfg.set(&[("maxmemory", "10mb"), ("timeout", "x"), ("port", "1")], &ctx()).unwrap_err();
    assert_eq!(
        err.to_string(),
        "ERR CONFIG SET failed (possibly related to argument 'timeout') - argument couldn't be parsed into an integer"
    );
    assert_eq!(get(&cfg, "maxmemory"), "0");
    assert_eq!(cfg.port(), 6379);

    let out =
        cfg.set(&[("maxmemory", "10mb"), ("port", "6380"), ("timeout", "0")], &ctx()).unwrap();
    assert_eq!(out.changed, ["maxmemory", "port"]);
    assert_eq!(out.unenforced_changed(), ["maxmemory"]);
    assert_eq!(cfg.port(), 6380);
    cfg.rollback(&out);
    assert_eq!(cfg.port(), 6379);
    assert_eq!(get(&cfg, "maxmemory"), "0");
}

#[test]
fn set_error_texts_and_precedence() {
    let mut cfg = Config::new();
    let e = |cfg: &mut Config, pairs: &[(&str, &str)], ctx: SetContext| {
        cfg.set(pairs, &ctx).unwrap_err().to_string()
    };
    assert_eq!(
        e(&mut cfg, &[("foo", "1")], ctx()),
        "ERR Unknown option or number of arguments for CONFIG SET - 'foo'"
    );
    assert_eq!(
        e(&mut cfg, &[("maxmemory", "1x")], ctx()),
        "ERR CONFIG SET failed (possibly related to argument 'maxmemory') - argument must be a memory value"
    );
    assert_eq!(
        e(&mut cfg, &[("DAEMONIZE", "yes")], ctx()),
        "ERR CONFIG SET failed (possibly related to argument 'DAEMONIZE') - can't set immutable config"
    );
    // Parse errors name the config in lower case (or the alias used).
    assert_eq!(
        e(&mut cfg, &[("MAXMEMORY", "1x")], ctx()),
        "ERR CONFIG SET failed (possibly related to argument 'maxmemory') - argument must be a memory value"
    );
    assert_eq!(
        e(&mut cfg, &[("Slave-Priority", "x")], ctx()),
        "ERR CONFIG SET failed (possibly related to argument 'slave-priority') - argument couldn't be parsed into an integer"
    );
    assert_eq!(
        e(&mut cfg, &[("port", "1"), ("PORT", "2")], ctx()),
        "ERR CONFIG SET failed (possibly related to argument 'PORT') - duplicate parameter"
    );
    // The first problem wins; an unknown name only if nothing failed before.
    assert_eq!(
        e(&mut cfg, &[("daemonize", "yes"), ("foo", "1")], ctx()),
        "ERR CONFIG SET failed (possibly related to argument 'daemonize') - can't set immutable config"
    );
    assert_eq!(
        e(&mut cfg, &[("foo", "1"), ("daemonize", "yes")], ctx()),
        "ERR Unknown option or number of arguments for CONFIG SET - 'foo'"
    );
    assert_eq!(
        e(&mut cfg, &[("dir", "/tmp")], ctx()),
        "ERR CONFIG SET failed (possibly related to argument 'dir') - can't set protected config"
    );
    assert_eq!(
        e(&mut cfg, &[("appendonly", "yes")], SetContext { loading: true, ..ctx() }),
        "LOADING Redis is loading the dataset in memory"
    );
    assert_eq!(
        e(&mut cfg, &[("foo", "1"), ("appendonly", "yes")], SetContext { loading: true, ..ctx() }),
        "ERR Unknown option or number of arguments for CONFIG SET - 'foo'"
    );
    assert_eq!(
        e(&mut cfg, &[("appendonly", "yes"), ("foo", "1")], SetContext { loading: true, ..ctx() }),
        "LOADING Redis is loading the dataset in memory"
    );
    assert_eq!(
        SetError::apply_failed("port", "Unable to listen on this port. Check server logs.").to_string(),
        "ERR CONFIG SET failed (possibly related to argument 'port') - Unable to listen on this port. Check server logs."
    );
    assert!(cfg.set(&[("include", "x")], &ctx()).is_err());
}

#[test]
fn set_alias_and_canonical_in_one_call() {
    // Redis treats an alias and its canonical name as different config
    // objects: no "duplicate parameter", the last one wins.
    let mut cfg = Config::new();
    let out = cfg.set(&[("slave-read-only", "no"), ("replica-read-only", "yes")], &ctx()).unwrap();
    assert!(out.changed.is_empty());
    assert_eq!(get(&cfg, "replica-read-only"), "yes");
}

#[test]
fn set_protected_configs_with_permission() {
    let dir = scratch("protected");
    let mut cfg = loaded("enable-protected-configs local\n");
    assert!(cfg.set(&[("dir", dir.to_str().unwrap())], &ctx()).is_err());
    let local = SetContext { client_is_local: true, ..ctx() };
    let out = cfg.set(&[("dir", dir.to_str().unwrap())], &local).unwrap();
    assert_eq!(out.changed, ["dir"]);
    assert_eq!(cfg.dir(), dir);
    let err = cfg.set(&[("dir", "no-such-subdir")], &local).unwrap_err().to_string();
    assert_eq!(
        err,
        "ERR CONFIG SET failed (possibly related to argument 'dir') - No such file or directory"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn set_multi_arg_values() {
    let mut cfg = Config::new();
    cfg.set(&[("save", "3600 1 300 100")], &ctx()).unwrap();
    assert_eq!(get(&cfg, "save"), "3600 1 300 100");
    cfg.set(&[("save", "")], &ctx()).unwrap();
    assert_eq!(get(&cfg, "save"), "");
    assert!(cfg.set(&[("save", "3600  1")], &ctx()).is_err(), "double space yields an empty word");
    cfg.set(&[("bind", "127.0.0.1 ::1")], &ctx()).unwrap();
    assert_eq!(cfg.bind(), vec!["127.0.0.1".to_string(), "::1".to_string()]);
    cfg.set(&[("client-output-buffer-limit", "pubsub 1mb 2mb 3")], &ctx()).unwrap();
    assert_eq!(
        get(&cfg, "client-output-buffer-limit"),
        "normal 0 0 0 slave 268435456 67108864 60 pubsub 1048576 2097152 3"
    );
    cfg.set(&[("shutdown-on-sigint", "save now")], &ctx()).unwrap();
    assert_eq!(get(&cfg, "shutdown-on-sigint"), "save now");
    cfg.set(&[("hz", "1000")], &ctx()).unwrap();
    assert_eq!(get(&cfg, "hz"), "500");
    cfg.set(&[("requirepass", "s3cret")], &ctx()).unwrap();
    assert_eq!(cfg.requirepass(), Some(b"s3cret".to_vec()));
    cfg.set(&[("requirepass", "")], &ctx()).unwrap();
    assert_eq!(cfg.requirepass(), None);
}

// ---------------------------------------------------------------------------
// CONFIG REWRITE
// ---------------------------------------------------------------------------

#[test]
fn rewrite_matches_redis_layout() {
    let dir = scratch("rewrite");
    std::fs::write(dir.join("inc.conf"), "timeout 5\n").unwrap();
    let original = format!(
        "# top comment\nport 6403\nsave 900 1\nsave 300 10\n\nslave-read-only no\nhash-max-ziplist-entries 100\nbind 127.0.0.1\ninclude {0}/inc.conf\nrename-command FLUSHALL \"\"\nuser alice on >pw ~* +@all\nlist-max-ziplist-entries 5\nMaxmemory 100mb\nlogfile \"\"\ndaemonize no\ndir {0}\n",
        dir.display()
    );
    let mut cfg = loaded(&original);
    cfg.set(
        &[
            ("maxmemory", "200mb"),
            ("loglevel", "warning"),
            ("notify-keyspace-events", "KEA"),
            ("client-output-buffer-limit", "pubsub 1mb 2mb 3"),
            ("requirepass", "a\"b\\c"),
        ],
        &ctx(),
    )
    .unwrap();
    let new =
        String::from_utf8(cfg.rewrite_content(original.as_bytes(), &RewriteOptions::default()))
            .unwrap();
    let expected = format!(
        "# top comment\nport 6403\nsave 900 1\nsave 300 10\n\nreplica-read-only no\nhash-max-listpack-entries 100\nbind 127.0.0.1\ninclude {0}/inc.conf\nrename-command FLUSHALL \"\"\nuser alice on >pw ~* +@all\n# ??? list-max-ziplist-entries 5\nmaxmemory 200mb\nlogfile \"\"\ndaemonize no\ndir \"{0}\"\n\n# Generated by CONFIG REWRITE\nrequirepass \"a\\\"b\\\\c\"\nloglevel warning\ntimeout 5\nclient-output-buffer-limit pubsub 1mb 2mb 3\nnotify-keyspace-events \"AKE\"\nlatency-tracking-info-percentiles 50 99 99.9\n",
        dir.display()
    );
    assert_eq!(new, expected);

    // Reloading the rewritten file gives the same values.
    let reloaded = loaded(&new);
    assert_eq!(reloaded.get(&["*"], glob), cfg.get(&["*"], glob));

    // Like Redis, a second rewrite reuses the `client-output-buffer-limit`
    // line for the first class (`normal`, at its default) and appends the
    // non-default `pubsub` line again; the values still round-trip.
    let again =
        String::from_utf8(cfg.rewrite_content(new.as_bytes(), &RewriteOptions::default())).unwrap();
    let expected_again = new.replace(
        "client-output-buffer-limit pubsub 1mb 2mb 3\n",
        "client-output-buffer-limit normal 0 0 0\n",
    ) + "\nclient-output-buffer-limit pubsub 1mb 2mb 3\n";
    assert_eq!(again, expected_again);
    assert_eq!(loaded(&again).get(&["*"], glob), cfg.get(&["*"], glob));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn rewrite_removes_orphans_and_defaults() {
    let mut cfg = loaded(
        "save 1 1\nsave 2 2\nsave 3 3\nbind 1.2.3.4\npidfile /tmp/x.pid\nslaveof 10.0.0.1 6379\n",
    );
    cfg.set(&[("save", "10 1"), ("bind", "127.0.0.1 -::1")], &ctx()).unwrap();
    let mut cfg2 = cfg.clone();
    let old =
        "save 1 1\nsave 2 2\nsave 3 3\nbind 1.2.3.4\npidfile /tmp/x.pid\nslaveof 10.0.0.1 6379\n";
    let new =
        String::from_utf8(cfg.rewrite_content(old.as_bytes(), &RewriteOptions::default())).unwrap();
    assert_eq!(
        new,
        format!(
            "save 10 1\n\npidfile \"/tmp/x.pid\"\nreplicaof 10.0.0.1 6379\n\n# Generated by CONFIG REWRITE\ndir \"{}\"\nlatency-tracking-info-percentiles 50 99 99.9\n",
            cfg.dir().display()
        )
    );
    cfg2.set(&[("save", "")], &ctx()).unwrap();
    let new = String::from_utf8(cfg2.rewrite_content(b"", &RewriteOptions::default())).unwrap();
    assert!(new.starts_with("# Generated by CONFIG REWRITE\npidfile \"/tmp/x.pid\"\n"), "{new}");
    assert!(new.contains("\nsave \"\"\n"));
    assert!(new.contains("\nreplicaof 10.0.0.1 6379\n"));
}

#[test]
fn rewrite_users_and_modules_when_known() {
    let cfg = loaded("user alice on\nuser bob off\nloadmodule /a.so\n");
    let opts = RewriteOptions {
        users: Some(vec![b"default on nopass ~* &* +@all".to_vec()]),
        modules: Some(Vec::new()),
    };
    let new = String::from_utf8(
        cfg.rewrite_content(b"user alice on\nuser bob off\nloadmodule /a.so\n", &opts),
    )
    .unwrap();
    assert_eq!(
        new,
        format!(
            "user default on nopass ~* &* +@all\n\n# Generated by CONFIG REWRITE\ndir \"{}\"\nsave 3600 1\nsave 300 100\nsave 60 10000\nlatency-tracking-info-percentiles 50 99 99.9\n",
            cfg.dir().display()
        )
    );
}

#[test]
fn rewrite_writes_file_atomically() {
    let dir = scratch("rwfile");
    let path = dir.join("redis.conf");
    std::fs::write(&path, "# keep me\nport 7777\n").unwrap();
    let mut cfg =
        Config::load(&ArgvConfig::from_args(&[path.to_str().unwrap()]), &hooks()).unwrap();
    cfg.set(&[("port", "7778")], &ctx()).unwrap();
    cfg.rewrite(&path, &RewriteOptions::default()).unwrap();
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.starts_with("# keep me\nport 7778\n"), "{text}");
    let leftovers: Vec<_> = std::fs::read_dir(&dir).unwrap().filter_map(Result::ok).collect();
    assert_eq!(leftovers.len(), 1, "no temporary file left behind");
    // A missing file is created.
    let fresh = dir.join("new.conf");
    cfg.rewrite(&fresh, &RewriteOptions::default()).unwrap();
    assert!(std::fs::read_to_string(&fresh).unwrap().contains("port 7778\n"));
    // Errors are reported like Redis.
    let err = cfg.rewrite(&dir.join("no/such/dir.conf"), &RewriteOptions::default()).unwrap_err();
    assert_eq!(err.to_string(), "ERR Rewriting config file: No such file or directory");
    let _ = std::fs::remove_dir_all(&dir);
}

// ---------------------------------------------------------------------------
// Robustness: arbitrary input never panics.
// ---------------------------------------------------------------------------

struct XorShift(u64);

impl XorShift {
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }

    fn bytes(&mut self, max: usize) -> Vec<u8> {
        const ALPHABET: &[u8] =
            b" \t\r\n\"'\\x0123456789abcdefkmgbKMGB-+%*?[]{}#.yesnoYESNO\0\x0b\xff";
        let len = (self.next() % (max as u64 + 1)) as usize;
        (0..len)
            .map(|_| {
                if self.next().is_multiple_of(4) {
                    (self.next() & 0xff) as u8
                } else {
                    ALPHABET[(self.next() % ALPHABET.len() as u64) as usize]
                }
            })
            .collect()
    }
}

#[test]
fn arbitrary_input_never_panics() {
    let mut rng = XorShift(0x9E37_79B9_7F4A_7C15);
    let names: Vec<&str> = crate::table::CONFIGS
        .iter()
        .flat_map(|d| std::iter::once(d.name).chain(d.alias))
        .filter(|n| *n != "include" && *n != "dir")
        .collect();
    for _ in 0..3000 {
        let name = names[(rng.next() % names.len() as u64) as usize];
        let mut line = name.as_bytes().to_vec();
        line.push(b' ');
        line.extend(rng.bytes(24));
        line.push(b'\n');
        let _ = Config::load_str(&line, &hooks());
        let _ = Config::load_str(&rng.bytes(64), &hooks());
        let mut cfg = Config::new();
        let value = rng.bytes(24);
        let _ = cfg.set(&[(name.as_bytes(), value.as_slice())], &ctx());
        let pattern = rng.bytes(8);
        let _ = cfg.get(&[pattern.as_slice()], |p, n| fnmatch(p, n, true));
        let _ = cfg.rewrite_content(&rng.bytes(128), &RewriteOptions::default());
        let args: Vec<Vec<u8>> = (0..(rng.next() % 5)).map(|_| rng.bytes(12)).collect();
        let _ = ArgvConfig::from_args(&args);
    }
}
