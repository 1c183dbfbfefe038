//! Process-level duties of a Redis-style server: daemonizing, the pid file, the open-file
//! limit, and systemd readiness. Follows `daemonize`, `createPidFile`, `adjustOpenFilesLimit`
//! and `redisCommunicateSystemd` in Redis's `src/server.c`.

use crate::log;
use crate::settings::Settings;

/// File descriptors Redis reserves beyond `maxclients` for its own use (`CONFIG_MIN_RESERVED_FDS`).
const MIN_RESERVED_FDS: u64 = 32;

/// Forks into the background when `daemonize yes` and not supervised, as Redis does: the
/// parent exits, the child starts a new session and points standard streams at /dev/null.
/// Must run before any thread is started.
#[allow(unsafe_code)]
pub fn daemonize_if_needed(settings: &Settings) {
    if !settings.daemonize || settings.supervised == "systemd" {
        return;
    }
    // SAFETY: called from main before the tokio runtime or any other thread exists, so fork
    // duplicates a single-threaded process; the parent exits immediately.
    unsafe {
        let pid = libc::fork();
        if pid < 0 {
            return;
        }
        if pid > 0 {
            libc::_exit(0);
        }
        libc::setsid();
        let fd = libc::open(c"/dev/null".as_ptr(), libc::O_RDWR, 0);
        if fd >= 0 {
            libc::dup2(fd, 0);
            libc::dup2(fd, 1);
            libc::dup2(fd, 2);
            if fd > 2 {
                libc::close(fd);
            }
        }
    }
}

/// Writes the pid file when configured (Redis writes `/var/run/redis.pid` by default only
/// when daemonized).
pub fn write_pidfile(settings: &Settings) {
    let path = match (&settings.pidfile, settings.daemonize) {
        (Some(p), _) => p.clone(),
        (None, true) => "/var/run/redis.pid".to_string(),
        (None, false) => return,
    };
    if let Err(e) = std::fs::write(&path, format!("{}\n", std::process::id())) {
        log::warning(&format!("Failed to write PID file: {e}"));
    }
}

/// Raises the open-file limit to fit `maxclients` plus reserved descriptors; when that is not
/// allowed, lowers the effective maxclients and logs it, as Redis's `adjustOpenFilesLimit`.
/// Returns the maxclients value to use.
#[allow(unsafe_code)]
pub fn adjust_open_files_limit(maxclients: usize) -> usize {
    let wanted = maxclients as u64 + MIN_RESERVED_FDS;
    let mut lim = libc::rlimit { rlim_cur: 0, rlim_max: 0 };
    // SAFETY: getrlimit writes into the valid rlimit struct passed by pointer.
    if unsafe { libc::getrlimit(libc::RLIMIT_NOFILE, &mut lim) } != 0 {
        log::warning("Unable to obtain the current NOFILE limit, assuming 1024 and setting the max clients configuration accordingly.");
        return 1024usize.saturating_sub(MIN_RESERVED_FDS as usize).max(1).min(maxclients);
    }
    if lim.rlim_cur >= wanted {
        return maxclients;
    }
    let mut best = wanted;
    while best > lim.rlim_cur {
        let new = libc::rlimit { rlim_cur: best, rlim_max: best.max(lim.rlim_max) };
        // SAFETY: setrlimit reads the valid rlimit struct passed by pointer.
        if unsafe { libc::setrlimit(libc::RLIMIT_NOFILE, &new) } == 0 {
            break;
        }
        best = best.saturating_sub(16);
    }
    if best >= wanted {
        log::notice(&format!(
            "Increased maximum number of open files to {wanted} (it was originally set to {}).",
            lim.rlim_cur
        ));
        return maxclients;
    }
    let limit = best.max(lim.rlim_cur);
    let allowed = limit.saturating_sub(MIN_RESERVED_FDS).max(1) as usize;
    log::warning(&format!(
        "You requested maxclients of {maxclients} requiring at least {wanted} max file descriptors."
    ));
    log::warning(&format!(
        "Server can't set maximum open files to {wanted} because of OS error: Operation not permitted."
    ));
    log::warning(&format!(
        "Current maximum open files is {limit}. maxclients has been reduced to {allowed} to compensate for low ulimit. If you need higher maxclients increase 'ulimit -n'."
    ));
    allowed.min(maxclients)
}

/// Tells systemd the server is ready (`READY=1` on `$NOTIFY_SOCKET`) when supervised by it.
pub fn notify_ready(settings: &Settings) {
    let supervised = settings.supervised.as_str();
    if supervised != "systemd" && supervised != "auto" {
        return;
    }
    let Ok(path) = std::env::var("NOTIFY_SOCKET") else {
        if supervised == "systemd" {
            log::warning("systemd supervision requested or auto-detected, but NOTIFY_SOCKET environment variable is not set.");
        }
        return;
    };
    log::notice("Supervised by systemd. Please make sure you set appropriate values for TimeoutStartSec and TimeoutStopSec in your service unit.");
    let sock = match std::os::unix::net::UnixDatagram::unbound() {
        Ok(s) => s,
        Err(_) => return,
    };
    let msg = "STATUS=Ready to accept connections\nREADY=1\n";
    let result = if let Some(abstract_name) = path.strip_prefix('@') {
        use std::os::linux::net::SocketAddrExt;
        std::os::unix::net::SocketAddr::from_abstract_name(abstract_name.as_bytes())
            .and_then(|addr| sock.send_to_addr(msg.as_bytes(), &addr))
    } else {
        sock.send_to(msg.as_bytes(), &path)
    };
    if let Err(e) = result {
        log::warning(&format!("Could not notify systemd: {e}"));
    }
}
