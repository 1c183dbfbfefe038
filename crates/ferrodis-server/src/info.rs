//! INFO: the server's state as `field:value` lines under `# Section` headers.
//!
//! Field names and their order are Redis 7.2's (`genRedisInfoString` in `src/server.c`) so
//! redis-cli, exporters and RedisInsight parse them; Ferrodis adds one field,
//! `ferrodis_version`, after `redis_version`. Sections are always emitted in Redis's order
//! (server, clients, memory, persistence, stats, replication, cpu, modules, commandstats,
//! errorstats, latencystats, cluster, keyspace), whatever order the arguments name them in.
//! Arguments select: none or `default` (everything but commandstats and latencystats),
//! `all` (everything), `everything` (the same here: there are no module sections), or
//! section names, case-insensitively; unknown names select nothing.

use crate::context::Ctx;
use crate::server::{FERRODIS_VERSION, REDIS_VERSION};
use bytes::Bytes;
use std::fmt::Write;
use std::sync::atomic::Ordering;

/// Every section, in output order.
const SECTIONS: &[&str] = &[
    "server",
    "clients",
    "memory",
    "persistence",
    "stats",
    "replication",
    "cpu",
    "modules",
    "commandstats",
    "errorstats",
    "latencystats",
    "cluster",
    "keyspace",
];

/// Sections that `default` (and no argument) leaves out.
const NOT_DEFAULT: &[&str] = &["commandstats", "latencystats"];

/// Which sections `args` select, as flags parallel to [`SECTIONS`].
fn select(args: &[Bytes]) -> [bool; SECTIONS.len()] {
    let mut on = [false; SECTIONS.len()];
    let set_default = |on: &mut [bool; SECTIONS.len()]| {
        for (i, s) in SECTIONS.iter().enumerate() {
            if !NOT_DEFAULT.contains(s) {
                on[i] = true;
            }
        }
    };
    if args.is_empty() {
        set_default(&mut on);
        return on;
    }
    for a in args {
        let w = String::from_utf8_lossy(a).to_ascii_lowercase();
        match w.as_str() {
            "default" => set_default(&mut on),
            "all" | "everything" => on = [true; SECTIONS.len()],
            name => {
                if let Some(i) = SECTIONS.iter().position(|s| *s == name) {
                    on[i] = true;
                }
            }
        }
    }
    on
}

/// Renders the sections named by `args` (none = `default`).
pub fn render(ctx: &mut Ctx<'_>, args: &[Bytes]) -> String {
    let on = select(args);
    let mut out = String::new();
    for (i, s) in SECTIONS.iter().enumerate() {
        if !on[i] {
            continue;
        }
        if !out.is_empty() {
            out.push_str("\r\n");
        }
        section(ctx, s, &mut out);
    }
    out
}

/// `Linux 6.1.0 x86_64`, as Redis prints `uname` (sysname, release, machine).
fn os_string() -> String {
    let read =
        |p: &str| std::fs::read_to_string(p).map(|s| s.trim().to_string()).unwrap_or_default();
    let sysname = read("/proc/sys/kernel/ostype");
    let sysname = if sysname.is_empty() { "Linux".to_string() } else { sysname };
    format!("{sysname} {} {}", read("/proc/sys/kernel/osrelease"), std::env::consts::ARCH)
}

/// Total physical memory in bytes, from /proc/meminfo.
fn total_system_memory() -> u64 {
    let Ok(text) = std::fs::read_to_string("/proc/meminfo") else {
        return 0;
    };
    text.lines()
        .find_map(|l| l.strip_prefix("MemTotal:"))
        .and_then(|rest| rest.split_whitespace().next())
        .and_then(|kb| kb.parse::<u64>().ok())
        .map_or(0, |kb| kb * 1024)
}

/// A replication id derived from the run id (stable for the process).
fn replid(run_id: &str) -> String {
    let (a, b) = run_id.split_at(run_id.len() / 2);
    format!("{b}{a}")
}

fn section(ctx: &mut Ctx<'_>, name: &str, out: &mut String) {
    let server = ctx.server;
    match name {
        "server" => {
            let s = server.settings.read();
            let uptime = server.uptime_secs();
            let binds: Vec<String> = s.bind.iter().map(|b| format!("bind={b}")).collect();
            let _ = write!(
                out,
                "# Server\r\nredis_version:{REDIS_VERSION}\r\nferrodis_version:{FERRODIS_VERSION}\r\nredis_git_sha1:00000000\r\nredis_git_dirty:0\r\nredis_build_id:0\r\nredis_mode:standalone\r\nos:{}\r\narch_bits:64\r\nmonotonic_clock:POSIX clock_gettime\r\nmultiplexing_api:epoll\r\natomicvar_api:c11-builtin\r\ngcc_version:0.0.0\r\nprocess_id:{}\r\nprocess_supervised:{}\r\nrun_id:{}\r\ntcp_port:{}\r\nserver_time_usec:{}\r\nuptime_in_seconds:{uptime}\r\nuptime_in_days:{}\r\nhz:{}\r\nconfigured_hz:{}\r\nlru_clock:{}\r\nexecutable:{}\r\nconfig_file:{}\r\nio_threads_active:0\r\n",
                os_string(),
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
            );
            if s.port != 0 {
                let _ = write!(out, "listener0:name=tcp,{},port={}\r\n", binds.join(","), s.port);
            }
            if let Some(path) = &s.unixsocket {
                let n = usize::from(s.port != 0);
                let _ = write!(out, "listener{n}:name=unix,bind={path}\r\n");
            }
        }
        "clients" => {
            let (blocked, blocking_keys) = server.blocking.counts();
            let (watching, watched_keys) = server.watches.counts();
            let pubsub_clients = server.pubsub.client_count();
            let tracking_clients = server.tracking.client_count();
            let _ = write!(
                out,
                "# Clients\r\nconnected_clients:{}\r\ncluster_connections:0\r\nmaxclients:{}\r\nclient_recent_max_input_buffer:0\r\nclient_recent_max_output_buffer:0\r\nblocked_clients:{}\r\ntracking_clients:{tracking_clients}\r\npubsub_clients:{pubsub_clients}\r\nwatching_clients:{}\r\nclients_in_timeout_table:0\r\ntotal_watched_keys:{}\r\ntotal_blocking_keys:{}\r\ntotal_blocking_keys_on_nokey:0\r\n",
                server.clients.len(),
                server.settings.read().maxclients,
                server.stats.paused_clients.load(Ordering::Relaxed) as usize + blocked,
                watching,
                watched_keys,
                blocking_keys,
            );
        }
        "memory" => {
            let used = crate::memory::allocated_bytes();
            let rss = crate::memory::rss_bytes();
            let peak = server.stats.memory_peak.fetch_max(used, Ordering::Relaxed).max(used);
            let sys = total_system_memory();
            let overhead = server.clients.len() as u64 * 20 * 1024;
            let dataset = used.saturating_sub(overhead);
            let pct = |a: u64, b: u64| {
                if b > 0 {
                    a as f64 * 100.0 / b as f64
                } else {
                    0.0
                }
            };
            let ratio = |a: u64, b: u64| if b > 0 { a as f64 / b as f64 } else { 0.0 };
            let scripts_bytes = server.scripts.body_bytes();
            let scripts_count = server.scripts.len();
            let (libraries_count, functions_count) = server.scripts.functions.counts();
            let _ = write!(
                out,
                "# Memory\r\nused_memory:{used}\r\nused_memory_human:{}\r\nused_memory_rss:{rss}\r\nused_memory_rss_human:{}\r\nused_memory_peak:{peak}\r\nused_memory_peak_human:{}\r\nused_memory_peak_perc:{:.2}%\r\nused_memory_overhead:{overhead}\r\nused_memory_startup:0\r\nused_memory_dataset:{dataset}\r\nused_memory_dataset_perc:{:.2}%\r\nallocator_allocated:{used}\r\nallocator_active:{used}\r\nallocator_resident:{rss}\r\ntotal_system_memory:{sys}\r\ntotal_system_memory_human:{}\r\nused_memory_lua:31744\r\nused_memory_vm_eval:31744\r\nused_memory_lua_human:31.00K\r\nused_memory_scripts_eval:{scripts_bytes}\r\nnumber_of_cached_scripts:{scripts_count}\r\nnumber_of_functions:{functions_count}\r\nnumber_of_libraries:{libraries_count}\r\nused_memory_vm_functions:32768\r\nused_memory_vm_total:64512\r\nused_memory_vm_total_human:63.00K\r\nused_memory_functions:184\r\nused_memory_scripts:184\r\nused_memory_scripts_human:184B\r\nmaxmemory:0\r\nmaxmemory_human:0B\r\nmaxmemory_policy:noeviction\r\nallocator_frag_ratio:1.00\r\nallocator_frag_bytes:0\r\nallocator_rss_ratio:{:.2}\r\nallocator_rss_bytes:{}\r\nrss_overhead_ratio:1.00\r\nrss_overhead_bytes:0\r\nmem_fragmentation_ratio:{:.2}\r\nmem_fragmentation_bytes:{}\r\nmem_not_counted_for_evict:0\r\nmem_replication_backlog:0\r\nmem_total_replication_buffers:0\r\nmem_clients_slaves:0\r\nmem_clients_normal:{overhead}\r\nmem_cluster_links:0\r\nmem_aof_buffer:0\r\nmem_allocator:jemalloc-5.3.0\r\nactive_defrag_running:0\r\nlazyfree_pending_objects:0\r\nlazyfreed_objects:0\r\n",
                human_bytes(used),
                human_bytes(rss),
                human_bytes(peak),
                pct(used, peak),
                pct(dataset, used),
                human_bytes(sys),
                ratio(rss, used),
                rss as i64 - used as i64,
                ratio(rss, used),
                rss as i64 - used as i64,
            );
        }
        "persistence" => {
            let _ = write!(
                out,
                "# Persistence\r\nloading:0\r\nasync_loading:0\r\ncurrent_cow_peak:0\r\ncurrent_cow_size:0\r\ncurrent_cow_size_age:0\r\ncurrent_fork_perc:0.00\r\ncurrent_save_keys_processed:0\r\ncurrent_save_keys_total:0\r\nrdb_changes_since_last_save:{}\r\nrdb_bgsave_in_progress:0\r\nrdb_last_save_time:{}\r\nrdb_last_bgsave_status:ok\r\nrdb_last_bgsave_time_sec:-1\r\nrdb_current_bgsave_time_sec:-1\r\nrdb_saves:0\r\nrdb_last_cow_size:0\r\nrdb_last_load_keys_expired:0\r\nrdb_last_load_keys_loaded:0\r\naof_enabled:0\r\naof_rewrite_in_progress:0\r\naof_rewrite_scheduled:0\r\naof_last_rewrite_time_sec:-1\r\naof_current_rewrite_time_sec:-1\r\naof_last_bgrewrite_status:ok\r\naof_rewrites:0\r\naof_rewrites_consecutive_failures:0\r\naof_last_write_status:ok\r\naof_last_cow_size:0\r\nmodule_fork_in_progress:0\r\nmodule_fork_last_cow_size:0\r\n",
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
            let [ops, in_bps, out_bps] = st.rates.rates();
            let pchannels = server.pubsub.len(crate::pubsub::Kind::Channel);
            let ppatterns = server.pubsub.len(crate::pubsub::Kind::Pattern);
            let pshard = server.pubsub.len(crate::pubsub::Kind::Shard);
            let obuf_disconnections = st.obuf_limit_disconnections.load(Ordering::Relaxed);
            let tracking = server.tracking.info();
            let _ = write!(
                out,
                "# Stats\r\ntotal_connections_received:{}\r\ntotal_commands_processed:{}\r\ninstantaneous_ops_per_sec:{}\r\ntotal_net_input_bytes:{}\r\ntotal_net_output_bytes:{}\r\ntotal_net_repl_input_bytes:0\r\ntotal_net_repl_output_bytes:0\r\ninstantaneous_input_kbps:{:.2}\r\ninstantaneous_output_kbps:{:.2}\r\ninstantaneous_input_repl_kbps:0.00\r\ninstantaneous_output_repl_kbps:0.00\r\nrejected_connections:{}\r\nsync_full:0\r\nsync_partial_ok:0\r\nsync_partial_err:0\r\nexpired_keys:{expired}\r\nexpired_stale_perc:0.00\r\nexpired_time_cap_reached_count:0\r\nexpire_cycle_cpu_milliseconds:0\r\nevicted_keys:0\r\nevicted_clients:0\r\ntotal_eviction_exceeded_time:0\r\ncurrent_eviction_exceeded_time:0\r\nkeyspace_hits:{hits}\r\nkeyspace_misses:{misses}\r\npubsub_channels:{pchannels}\r\npubsub_patterns:{ppatterns}\r\npubsubshard_channels:{pshard}\r\nlatest_fork_usec:0\r\ntotal_forks:0\r\nmigrate_cached_sockets:0\r\nslave_expires_tracked_keys:0\r\nactive_defrag_hits:0\r\nactive_defrag_misses:0\r\nactive_defrag_key_hits:0\r\nactive_defrag_key_misses:0\r\ntotal_active_defrag_time:0\r\ncurrent_active_defrag_time:0\r\ntracking_total_keys:{}\r\ntracking_total_items:{}\r\ntracking_total_prefixes:{}\r\nunexpected_error_replies:0\r\ntotal_error_replies:{}\r\ndump_payload_sanitizations:0\r\ntotal_reads_processed:{}\r\ntotal_writes_processed:{}\r\nio_threaded_reads_processed:0\r\nio_threaded_writes_processed:0\r\nclient_query_buffer_limit_disconnections:0\r\nclient_output_buffer_limit_disconnections:{obuf_disconnections}\r\nreply_buffer_shrinks:0\r\nreply_buffer_expands:0\r\neventloop_cycles:0\r\neventloop_duration_sum:0\r\neventloop_duration_cmd_sum:0\r\ninstantaneous_eventloop_cycles_per_sec:0\r\ninstantaneous_eventloop_duration_usec:0\r\nacl_access_denied_auth:0\r\nacl_access_denied_cmd:0\r\nacl_access_denied_key:0\r\nacl_access_denied_channel:0\r\n",
                server.clients.total_connections.load(Ordering::Relaxed),
                st.commands_processed.load(Ordering::Relaxed),
                ops.round() as u64,
                st.net_input_bytes.load(Ordering::Relaxed),
                st.net_output_bytes.load(Ordering::Relaxed),
                in_bps / 1024.0,
                out_bps / 1024.0,
                server.clients.rejected_connections.load(Ordering::Relaxed),
                tracking.keys,
                tracking.items,
                tracking.prefixes,
                st.error_replies.load(Ordering::Relaxed),
                st.commands_processed.load(Ordering::Relaxed),
                st.commands_processed.load(Ordering::Relaxed),
            );
        }
        "replication" => {
            let _ = write!(
                out,
                "# Replication\r\nrole:master\r\nconnected_slaves:0\r\nmaster_failover_state:no-failover\r\nmaster_replid:{}\r\nmaster_replid2:0000000000000000000000000000000000000000\r\nmaster_repl_offset:0\r\nsecond_repl_offset:-1\r\nrepl_backlog_active:0\r\nrepl_backlog_size:1048576\r\nrepl_backlog_first_byte_offset:0\r\nrepl_backlog_histlen:0\r\n",
                replid(&server.run_id)
            );
        }
        "cpu" => {
            let (user, sys) = crate::memory::cpu_times();
            let _ = write!(
                out,
                "# CPU\r\nused_cpu_sys:{sys:.6}\r\nused_cpu_user:{user:.6}\r\nused_cpu_sys_children:0.000000\r\nused_cpu_user_children:0.000000\r\nused_cpu_sys_main_thread:{sys:.6}\r\nused_cpu_user_main_thread:{user:.6}\r\n"
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
        "latencystats" => {
            out.push_str("# Latencystats\r\n");
            crate::commands::introspection::latencystats_lines(&server.table, out);
        }
        "keyspace" => {
            out.push_str("# Keyspace\r\n");
            let dbs = server.keyspace.databases();
            let now = ferrodis_keyspace::clock::now_ms();
            let mut keys = vec![0usize; dbs];
            let mut expires = vec![0usize; dbs];
            // avg_ttl is an estimate in Redis too: sample a few buckets per shard.
            let mut ttl_sum = vec![0u128; dbs];
            let mut ttl_n = vec![0u64; dbs];
            for shard in ctx.shards.iter_mut() {
                for (i, db) in shard.dbs.iter().enumerate() {
                    keys[i] += db.len();
                    let e = db.expires_count();
                    expires[i] += e;
                    if e == 0 {
                        continue;
                    }
                    let mut cursor = 0;
                    for _ in 0..4 {
                        cursor = db.scan(cursor, now, |_, entry| {
                            if let Some(at) = entry.expire_at_ms() {
                                ttl_sum[i] += u128::from(at.saturating_sub(now));
                                ttl_n[i] += 1;
                            }
                        });
                        if cursor == 0 {
                            break;
                        }
                    }
                }
            }
            for i in 0..dbs {
                if keys[i] > 0 {
                    let avg =
                        if ttl_n[i] > 0 { (ttl_sum[i] / u128::from(ttl_n[i])) as u64 } else { 0 };
                    let _ = write!(
                        out,
                        "db{i}:keys={},expires={},avg_ttl={avg}\r\n",
                        keys[i], expires[i]
                    );
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
    } else if n < K * K * K * K * K {
        format!("{:.2}T", n / (K * K * K * K))
    } else {
        format!("{:.2}P", n / (K * K * K * K * K))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sel(words: &[&str]) -> Vec<&'static str> {
        let args: Vec<Bytes> = words.iter().map(|w| Bytes::copy_from_slice(w.as_bytes())).collect();
        let on = select(&args);
        SECTIONS.iter().enumerate().filter(|(i, _)| on[*i]).map(|(_, s)| *s).collect()
    }

    #[test]
    fn section_selection_follows_redis() {
        assert!(!sel(&[]).contains(&"commandstats"));
        assert!(sel(&[]).contains(&"keyspace"));
        assert_eq!(sel(&["KEYSPACE", "server"]), vec!["server", "keyspace"]);
        assert_eq!(sel(&["all"]).len(), SECTIONS.len());
        assert!(sel(&["nope"]).is_empty());
        assert_eq!(sel(&["default", "commandstats"]).len(), SECTIONS.len() - 1);
    }

    #[test]
    fn human() {
        assert_eq!(human_bytes(1023), "1023B");
        assert_eq!(human_bytes(1536), "1.50K");
    }
}
