//! The collection types, each in its own module with its encodings and operations.
//! Commands call these; replies and argument parsing stay in the server crate.

pub mod hash;
pub mod hyperloglog;
pub mod list;
pub mod set;
pub mod zset;

pub use hash::Hash;
pub use list::List;
pub use set::Set;
pub use zset::ZSet;
