//! The command families, one module per Redis command group.
//!
//! Each family exports `SPECS`, its command declarations with their handlers; [`all_specs`]
//! gathers them for the command table.

pub mod bitmaps;
pub mod blocking_pops;
pub mod config;
pub mod connection;
pub mod docs;
pub mod functions;
pub mod geo;
pub mod hashes;
pub mod hyperloglog;
pub mod introspection;
pub mod keys;
pub mod lists;
pub mod pubsub;
pub mod scripting;
pub mod server;
pub mod sets;
pub mod sort;
pub mod sorted_sets;
pub mod strings;
pub mod transactions;

use crate::spec::CommandSpec;

/// Every command Ferrodis implements.
pub fn all_specs() -> impl Iterator<Item = &'static CommandSpec> {
    [
        connection::SPECS,
        keys::SPECS,
        strings::SPECS,
        bitmaps::SPECS,
        lists::SPECS,
        blocking_pops::SPECS,
        hashes::SPECS,
        sets::SPECS,
        sorted_sets::SPECS,
        sort::SPECS,
        hyperloglog::SPECS,
        geo::SPECS,
        transactions::SPECS,
        pubsub::SPECS,
        scripting::SPECS,
        functions::SPECS,
        server::SPECS,
        introspection::SPECS,
        config::SPECS,
    ]
    .into_iter()
    .flatten()
}
