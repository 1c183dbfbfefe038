//! INFO: the server's state as `field:value` lines under `# Section` headers.
//!
//! Field names are Redis 7.2's (`genRedisInfoString` in `src/server.c`) so redis-cli,
//! exporters and RedisInsight parse them. Sections: server, clients, memory, persistence,
//! stats, replication, cpu, commandstats, errorstats, keyspace; `all`, `everything` and
//! `default` select groups as in Redis.

use crate::context::Ctx;
use crate::server::{FERRODIS_VERSION, REDIS_VERSION};
use bytes::Bytes;
use std::fmt::Write;
use std::sync::atomic::Ordering;

const DEFAULT_SECTIONS: &[&str] = &[
    "server", "clients", "memory", "persistence", "stats", "replication", "cpu", "modules", "errorstats", "cluster", "keyspace",
];

/// Renders the sections named by `args` (none = `default`).
pub fn render(ctx: &mut Ctx<'_>, args: &[Bytes]) -> String {
    let mut wanted: Vec<String> = args.iter().map(|a| String::from_utf8_lossy(a).to_ascii_lowercase()).collect();
    if wanted.is_empty() {
        wanted.push("default".into());
    }
    let mut sections: Vec<&str> = Vec::new();
    let all_like = |w: &str| w == "all" || w == "everything";
    for w in &wanted {
        if w == "default" || all_like(w) {
            for s in DEFAULT_SECTIONS {
                if !sections.contains(s) {
                    sections.push(s);
                }
            }
            if all_like(w) && !sections.contains(&"commandstats") {
                sections.push("commandstats");
            }
        } else if let Some(s) = [
            "server", "clients", "memory", "persistence", "stats", "replication", "cpu", "modules", "commandstats", "errorstats",
            "cluster", "keyspace", "latencystats",
        ]
        .iter()
        .find(|s| **s == w.as_str())
        {
            if !sections.contains(s) {
                sections.push(s);
            }
        }
    }
    let mut out = String::new();
    for s in sections {
        if !out.is_empty() {
            out.push_str("\r\n");
        }
        section(ctx, s, &mut out);
    }
    out
}

fn section(ctx: &mut Ctx<'_>, name: &str, out: &mut String) {
    let server = ctx.server;
    match name {
        "server" => {
            let s = server.settings.read();
            let uptime = server.uptime_secs();
            out.push_str("# Server\r\n");
            let _ = write!(
                out,
                "redis_version:{REDIS_VERSION}\r\nferrodis_version:{FERRODIS_VERSION}\r\nredis_git_sha1:00000000\r\nredis_git_dirty:0\r\nredis_build_id:0\r\nredis_mode:standalone\r\nos:{}\r\narch_bits:64\r\nmonotonic_clock:POSIX clock_gettime\r\nmultiplexing_api:epoll\r\natomicvar_api:c11-builtin\r\ngcc_version:0.0.0\r\nprocess_id:{}\r\nprocess_supervised:{}\r\nrun_id:{}\r\ntcp_port:{}\r\nserver_time_usec:{}\r\nuptime_in_seconds:{uptime}\r\nuptime_in_days:{}\r\nhz:{}\r\nconfigured_hz:{}\r\nlru_clock:{}\r\nexecutable:{}\r\nconfig_file:{}\r\nio_threads_active:0\r\nlistener0:name=tcp,bind={},port={}\r\n",
                std::env::consts::OS,
                std::process::id(),
                s.supervised,
                server.run_id,
                server.tcp_port.load(Ordering::Relaxed),
                ferrodis_keyspace::clock::now_us(),
                uptime / 86400,
                s.hz,
                s.hz,
                (ferrodis_keyspace::clock::now_ms() / 1000) & ((1 << 24) - 1),
                std::env::current_exe().map(|p| p.display().to_string()).unwrap_or_default(),
                server.config_file.clone().unwrap_or_default(),
                s.bind.join(" "),
                s.port,
            );
        }
        "clients" => {
            out.push_str("# Clients\r\n");
            let _ = write!(
                out,
                "connected_clients:{}\r\ncluster_connections:0\r\nmaxclients:{}\r\nclient_recent_max_input_buffer:0\r\nclient_recent_max_output_buffer:0\r\nblocked_clients:0\r\ntracking_clients:0\r\nclients_in_timeout_table:0\r\ntotal_blocking_keys:0\r\ntotal_blocking_keys_on_nokey:0\r\n",
                server.clients.len(),
                server.settings.read().maxclients
            );
        }
        "memory" => {
            let used = crate::memory::allocated_bytes();
            let rss = crate::memory::rss_bytes();
            out.push_str("# Memory\r\n");
            let _ = write!(
                out,
                "used_memory:{used}\r\nused_memory_human:{}\r\nused_memory_rss:{rss}\r\nused_memory_rss_human:{}\r\nused_memory_peak:{used}\r\nused_memory_peak_human:{}\r\nmaxmemory:0\r\nmaxmemory_human:0B\r\nmaxmemory_policy:noeviction\r\nmem_fragmentation_ratio:{:.2}\r\nmem_allocator:jemalloc-5.3.0\r\nlazyfree_pending_objects:0\r\n",
                human_bytes(used),
                human_bytes(rss),
                human_bytes(used),
                if used > 0 { rss as f64 / used as f64 } else { 0.0 }
            );
        }
        "persistence" => {
            out.push_str("# Persistence\r\n");
            let _ = write!(
                out,
                "loading:0\r\nasync_loading:0\r\ncurrent_cow_peak:0\r\ncurrent_cow_size:0\r\ncurrent_cow_size_age:0\r\ncurrent_fork_perc:0.00\r\ncurrent_save_keys_processed:0\r\ncurrent_save_keys_total:0\r\nrdb_changes_since_last_save:{}\r\nrdb_bgsave_in_progress:0\r\nrdb_last_save_time:{}\r\nrdb_last_bgsave_status:ok\r\nrdb_last_bgsave_time_sec:-1\r\nrdb_current_bgsave_time_sec:-1\r\nrdb_saves:0\r\nrdb_last_cow_size:0\r\nrdb_last_load_keys_expired:0\r\nrdb_last_load_keys_loaded:0\r\naof_enabled:0\r\naof_rewrite_in_progress:0\r\naof_rewrite_scheduled:0\r\naof_last_rewrite_time_sec:-1\r\naof_current_rewrite_time_sec:-1\r\naof_last_bgrewrite_status:ok\r\naof_rewrites:0\r\naof_rewrites_consecutive_failures:0\r\naof_last_write_status:ok\r\naof_last_cow_size:0\r\nmodule_fork_in_progress:0\r\nmodule_fork_last_cow_size:0\r\n",
                server.stats.dirty.load(Ordering::Relaxed),
                server.started_ms / 1000
            );
        }
        "stats" => {
            let mut expired = 0;
            let mut hits = 0;
            let mut misses = 0;
            for shard in ctx.shards.iter_mut() {
                let st = shard.stats();
                expired += st.expired_keys;
                hits += st.keyspace_hits;
                misses += st.keyspace_misses;
            }
            let st = &server.stats;
            out.push_str("# Stats\r\n");
            let _ = write!(
                out,
                "total_connections_received:{}\r\ntotal_commands_processed:{}\r\ninstantaneous_ops_per_sec:0\r\ntotal_net_input_bytes:{}\r\ntotal_net_output_bytes:{}\r\ntotal_net_repl_input_bytes:0\r\ntotal_net_repl_output_bytes:0\r\ninstantaneous_input_kbps:0.00\r\ninstantaneous_output_kbps:0.00\r\ninstantaneous_input_repl_kbps:0.00\r\ninstantaneous_output_repl_kbps:0.00\r\nrejected_connections:{}\r\nsync_full:0\r\nsync_partial_ok:0\r\nsync_partial_err:0\r\nexpired_keys:{expired}\r\nexpired_stale_perc:0.00\r\nexpired_time_cap_reached_count:0\r\nexpire_cycle_cpu_milliseconds:0\r\nevicted_keys:0\r\nevicted_clients:0\r\ntotal_eviction_exceeded_time:0\r\ncurrent_eviction_exceeded_time:0\r\nkeyspace_hits:{hits}\r\nkeyspace_misses:{misses}\r\npubsub_channels:0\r\npubsub_patterns:0\r\npubsubshard_channels:0\r\nlatest_fork_usec:0\r\ntotal_forks:0\r\nmigrate_cached_sockets:0\r\nslave_expires_tracked_keys:0\r\nactive_defrag_hits:0\r\nactive_defrag_misses:0\r\nactive_defrag_key_hits:0\r\nactive_defrag_key_misses:0\r\ntotal_active_defrag_time:0\r\ncurrent_active_defrag_time:0\r\ntracking_total_keys:0\r\ntracking_total_items:0\r\ntracking_total_prefixes:0\r\nunexpected_error_replies:0\r\ntotal_error_replies:{}\r\ndump_payload_sanitizations:0\r\ntotal_reads_processed:0\r\ntotal_writes_processed:0\r\nio_threaded_reads_processed:0\r\nio_threaded_writes_processed:0\r\nreply_buffer_shrinks:0\r\nreply_buffer_expands:0\r\neventloop_cycles:0\r\neventloop_duration_sum:0\r\neventloop_duration_cmd_sum:0\r\ninstantaneous_eventloop_cycles_per_sec:0\r\ninstantaneous_eventloop_duration_usec:0\r\nacl_access_denied_auth:0\r\nacl_access_denied_cmd:0\r\nacl_access_denied_key:0\r\nacl_access_denied_channel:0\r\n",
                server.clients.total_connections.load(Ordering::Relaxed),
                st.commands_processed.load(Ordering::Relaxed),
                st.net_input_bytes.load(Ordering::Relaxed),
                st.net_output_bytes.load(Ordering::Relaxed),
                server.clients.rejected_connections.load(Ordering::Relaxed),
                st.error_replies.load(Ordering::Relaxed),
            );
        }
        "replication" => {
            out.push_str("# Replication\r\nrole:master\r\nconnected_slaves:0\r\nmaster_failover_state:no-failover\r\nmaster_replid:0000000000000000000000000000000000000000\r\nmaster_replid2:0000000000000000000000000000000000000000\r\nmaster_repl_offset:0\r\nsecond_repl_offset:-1\r\nrepl_backlog_active:0\r\nrepl_backlog_size:1048576\r\nrepl_backlog_first_byte_offset:0\r\nrepl_backlog_histlen:0\r\n");
        }
        "cpu" => {
            let (user, sys) = crate::memory::cpu_times();
            out.push_str("# CPU\r\n");
            let _ = write!(
                out,
                "used_cpu_sys:{sys:.6}\r\nused_cpu_user:{user:.6}\r\nused_cpu_sys_children:0.000000\r\nused_cpu_user_children:0.000000\r\nused_cpu_sys_main_thread:{sys:.6}\r\nused_cpu_user_main_thread:{user:.6}\r\n"
            );
        }
        "modules" => out.push_str("# Modules\r\n"),
        "cluster" => out.push_str("# Cluster\r\ncluster_enabled:0\r\n"),
        "commandstats" => {
            out.push_str("# Commandstats\r\n");
            let table = &server.table;
            for (id, name) in table.fullnames.iter().enumerate() {
                let st = &table.stats[id];
                let calls = st.calls.load(Ordering::Relaxed);
                let rejected = st.rejected_calls.load(Ordering::Relaxed);
                let failed = st.failed_calls.load(Ordering::Relaxed);
                if calls == 0 && rejected == 0 && failed == 0 {
                    continue;
                }
                let usec = st.usec.load(Ordering::Relaxed);
                let per = if calls > 0 { usec as f64 / calls as f64 } else { 0.0 };
                let _ = write!(
                    out,
                    "cmdstat_{name}:calls={calls},usec={usec},usec_per_call={per:.2},rejected_calls={rejected},failed_calls={failed}\r\n"
                );
            }
        }
        "errorstats" => {
            out.push_str("# Errorstats\r\n");
            for (prefix, count) in server.stats.errors.lock().iter() {
                let _ = write!(out, "errorstat_{prefix}:count={count}\r\n");
            }
        }
        "latencystats" => out.push_str("# Latencystats\r\n"),
        "keyspace" => {
            out.push_str("# Keyspace\r\n");
            let dbs = server.keyspace.databases();
            let mut keys = vec![0usize; dbs];
            let mut expires = vec![0usize; dbs];
            for shard in ctx.shards.iter_mut() {
                for (i, db) in shard.dbs.iter().enumerate() {
                    keys[i] += db.len();
                    expires[i] += db.expires_count();
                }
            }
            for i in 0..dbs {
                if keys[i] > 0 {
                    let _ = write!(out, "db{i}:keys={},expires={},avg_ttl=0\r\n", keys[i], expires[i]);
                }
            }
        }
        _ => {}
    }
}

/// Redis's `bytesToHuman`: `1.50K`, `2.00M`, ...
pub fn human_bytes(n: u64) -> String {
    let n = n as f64;
    const K: f64 = 1024.0;
    if n < K {
        format!("{}B", n as u64)
    } else if n < K * K {
        format!("{:.2}K", n / K)
    } else if n < K * K * K {
        format!("{:.2}M", n / (K * K))
    } else if n < K * K * K * K {
        format!("{:.2}G", n / (K * K * K))
    } else {
        format!("{:.2}T", n / (K * K * K * K))
    }
}
