//! Ferrodis's persistence formats, synchronous and free of I/O.
//!
//! - [`rdb`]: Redis's RDB encoding of one value (the object part of an RDB file, as Redis's
//!   `src/rdb.c` writes and reads it) and the DUMP/RESTORE payload framing around it
//!   (`createDumpPayload` / `verifyDumpPayload` in Redis's `src/cluster.c`). RDB snapshots
//!   will reuse the same value codec.

pub mod rdb;
