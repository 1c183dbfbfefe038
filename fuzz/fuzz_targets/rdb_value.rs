//! Fuzzes RESTORE's decoder (`ferrodis_persistence::rdb::decode_value`): any bytes, under
//! default and tiny encoding thresholds, never panic; a value that decodes DUMPs to a payload
//! that passes `verify_payload` and decodes again to the same value (type, encoding, content).

#![no_main]

use ferrodis_keyspace::{EncodingLimits, Value};
use ferrodis_persistence::rdb;
use libfuzzer_sys::fuzz_target;

/// Type, encoding and content (hash-table iteration order normalised).
fn describe(v: &Value) -> (String, Vec<Vec<u8>>) {
    let mut items: Vec<Vec<u8>> = match v {
        Value::List(l) => l.to_vec(),
        Value::Hash(h) => h.pairs().into_iter().map(|(f, v)| [f, vec![0], v].concat()).collect(),
        Value::ZSet(z) => z
            .to_vec()
            .into_iter()
            .map(|(m, s)| [m, s.to_bits().to_le_bytes().to_vec()].concat())
            .collect(),
        _ => match v.set_view() {
            Some(s) => s.members(),
            None => vec![v.as_string().unwrap_or_default().to_vec()],
        },
    };
    if !matches!(v, Value::List(_) | Value::ZSet(_)) {
        items.sort();
    }
    (format!("{}/{}", v.value_type().name(), v.encoding_name()), items)
}

fuzz_target!(|data: &[u8]| {
    let tiny = EncodingLimits {
        list_max_listpack_size: 2,
        hash_max_listpack_entries: 2,
        hash_max_listpack_value: 4,
        set_max_intset_entries: 2,
        set_max_listpack_entries: 2,
        set_max_listpack_value: 4,
        zset_max_listpack_entries: 2,
        zset_max_listpack_value: 4,
        ..EncodingLimits::default()
    };
    for limits in [EncodingLimits::default(), tiny] {
        let Ok(value) = rdb::decode_value(data, &limits) else { continue };
        let payload = rdb::dump_payload(&value);
        assert!(rdb::verify_payload(&payload).is_ok());
        let again = rdb::decode_value(&payload, &limits).expect("our own DUMP decodes");
        assert_eq!(describe(&again), describe(&value));
    }
});
