//! The thresholds that choose a collection's encoding, from the `*-max-listpack-*`,
//! `set-max-intset-entries` and `list-*` directives of redis.conf (Redis 7.2 names and
//! defaults). The server refreshes them on CONFIG SET; a collection converts when a write
//! crosses one, as Redis's `*TypeTryConversion` functions do.

/// Encoding thresholds, Redis 7.2's defaults in [`Default`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct EncodingLimits {
    /// `list-max-listpack-size`: positive = entries per listpack node; -1..=-5 = node size
    /// 4/8/16/32/64 KiB.
    pub list_max_listpack_size: i32,
    /// `list-compress-depth`: nodes at each end left uncompressed (0 = none compressed).
    pub list_compress_depth: u32,
    /// `hash-max-listpack-entries`.
    pub hash_max_listpack_entries: usize,
    /// `hash-max-listpack-value` (bytes).
    pub hash_max_listpack_value: usize,
    /// `set-max-intset-entries`.
    pub set_max_intset_entries: usize,
    /// `set-max-listpack-entries`.
    pub set_max_listpack_entries: usize,
    /// `set-max-listpack-value` (bytes).
    pub set_max_listpack_value: usize,
    /// `zset-max-listpack-entries`.
    pub zset_max_listpack_entries: usize,
    /// `zset-max-listpack-value` (bytes).
    pub zset_max_listpack_value: usize,
    /// `hll-sparse-max-bytes`.
    pub hll_sparse_max_bytes: usize,
}

impl Default for EncodingLimits {
    fn default() -> Self {
        EncodingLimits {
            list_max_listpack_size: -2,
            list_compress_depth: 0,
            hash_max_listpack_entries: 128,
            hash_max_listpack_value: 64,
            set_max_intset_entries: 512,
            set_max_listpack_entries: 128,
            set_max_listpack_value: 64,
            zset_max_listpack_entries: 128,
            zset_max_listpack_value: 64,
            hll_sparse_max_bytes: 3000,
        }
    }
}
