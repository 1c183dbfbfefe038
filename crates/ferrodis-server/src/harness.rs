//! An in-process server for tests and fuzzing: runs commands through the real dispatch
//! without sockets (the "family" test level of docs/ARCHITECTURE.md).
//!
//! ```
//! let mut h = ferrodis_server::harness::Harness::new();
//! assert_eq!(h.run(&["SET", "k", "v"]), ferrodis_resp::Reply::OK);
//! ```

use crate::client::ClientState;
use crate::dispatch;
use crate::server::{new_client, Shared};
use bytes::Bytes;
use ferrodis_resp::{encode, Reply};
use std::sync::Arc;

/// A server with one connected client, driven by direct calls.
pub struct Harness {
    /// The server state.
    pub shared: Arc<Shared>,
    /// The client commands run as.
    pub client: ClientState,
}

impl Default for Harness {
    fn default() -> Self {
        Self::new()
    }
}

impl Harness {
    /// A server with default settings.
    pub fn new() -> Harness {
        Self::with_args(&[])
    }

    /// A server configured by redis-server style arguments (`["--requirepass", "pw"]`).
    pub fn with_args(args: &[&str]) -> Harness {
        let args: Vec<String> = args.iter().map(|a| a.to_string()).collect();
        let config = match crate::config_bridge::load(&args) {
            Ok(c) => c,
            Err(e) => panic!("harness configuration rejected: {e}"),
        };
        let shared = match Shared::new(config) {
            Ok(s) => Arc::new(s),
            Err(e) => panic!("harness configuration rejected: {e}"),
        };
        let needs_auth = shared.settings.read().requirepass.is_some();
        let client = new_client(
            &shared,
            "127.0.0.1:1".into(),
            "127.0.0.1:6379".into(),
            -1,
            false,
            !needs_auth,
        );
        shared.clients.register(client.handle.clone());
        Harness { shared, client }
    }

    /// Runs one command given as strings.
    pub fn run(&mut self, argv: &[&str]) -> Reply {
        let argv: Vec<Bytes> = argv.iter().map(|a| Bytes::copy_from_slice(a.as_bytes())).collect();
        self.run_bytes(&argv)
    }

    /// Runs one command given as byte strings. A blocking command that would wait answers at
    /// once as if its timeout had passed (there is no other client to serve it here).
    pub fn run_bytes(&mut self, argv: &[Bytes]) -> Reply {
        if argv.is_empty() {
            return Reply::Null;
        }
        // Each call is a batch of its own (see `ClientState::clock_hint`).
        self.client.clock_hint = None;
        let reply = dispatch::execute(&self.shared, &mut self.client, argv);
        if self.client.blocked.is_some() {
            return dispatch::end_blocked(&self.shared, &mut self.client, None);
        }
        reply
    }

    /// Runs a command and encodes the reply for the client's protocol version.
    pub fn run_encoded(&mut self, argv: &[&str]) -> Vec<u8> {
        let reply = self.run(argv);
        let mut out = Vec::new();
        encode(&reply, self.client.resp, &mut out);
        out
    }
}
