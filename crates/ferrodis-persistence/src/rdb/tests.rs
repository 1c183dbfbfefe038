use super::*;
use ferrodis_keyspace::types::set::Set;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

fn hex(s: &str) -> Vec<u8> {
    (0..s.len()).step_by(2).map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap()).collect()
}

fn limits() -> EncodingLimits {
    EncodingLimits::default()
}

/// Restores a payload with the default limits.
fn restore(payload: &[u8]) -> Result<Value, Corrupt> {
    verify_payload(payload).map_err(|_| Corrupt)?;
    decode_value(payload, &limits())
}

/// Contents of a value in a comparable form: type, encoding and sorted contents (lists and
/// sorted sets keep their order).
fn contents(v: &Value) -> (String, Vec<Vec<u8>>) {
    let mut items: Vec<Vec<u8>> = match v {
        Value::Str(_) | Value::RawStr(_) | Value::NoIntStr(_) => {
            vec![v.as_string().unwrap().to_vec()]
        }
        Value::List(l) => l.to_vec(),
        Value::Hash(h) => {
            let mut p: Vec<Vec<u8>> =
                h.pairs().into_iter().map(|(f, v)| [f, b"=".to_vec(), v].concat()).collect();
            p.sort();
            p
        }
        Value::Set(_) | Value::SmallSet(_) | Value::IntSet(_) => {
            let mut m = v.set_view().unwrap().members();
            m.sort();
            m
        }
        Value::ZSet(z) => z
            .to_vec()
            .into_iter()
            .map(|(m, s)| [m, b"=".to_vec(), s.to_bits().to_string().into_bytes()].concat())
            .collect(),
    };
    if let Value::List(_) | Value::ZSet(_) = v {
    } else {
        items.sort();
    }
    (format!("{}/{}", v.value_type().name(), v.encoding_name()), items)
}

/// DUMP then RESTORE (default limits) gives the same contents and encoding.
fn assert_round_trip(v: &Value) -> Vec<u8> {
    let payload = dump_payload(v);
    let back = restore(&payload).expect("round trip");
    assert_eq!(contents(&back), contents(v));
    payload
}

fn list_of(items: &[Vec<u8>], fill: i32) -> Value {
    let mut l = List::new();
    for it in items {
        l.try_convert_growing(fill, it.len(), 1);
        l.push(it, false, fill);
    }
    Value::List(Box::new(l))
}

fn hash_of(pairs: &[(Vec<u8>, Vec<u8>)]) -> Value {
    let mut h = Hash::new();
    for (f, v) in pairs {
        h.set(f, v, &limits());
    }
    Value::Hash(h)
}

fn set_of(members: &[Vec<u8>]) -> Value {
    let mut s = Set::create(&members[0], members.len(), &limits());
    for m in members {
        s.add(m, &limits());
    }
    Value::set(s)
}

fn zset_of(pairs: &[(Vec<u8>, f64)]) -> Value {
    let mut z = ZSet::with_hint(pairs.len(), 0, &limits());
    for (m, s) in pairs {
        z.add(m, *s, AddFlags::default(), &limits()).unwrap();
    }
    Value::ZSet(z)
}

fn strs(n: usize, f: impl Fn(usize) -> String) -> Vec<Vec<u8>> {
    (0..n).map(|i| f(i).into_bytes()).collect()
}

#[test]
fn crc64_is_redis_crc64() {
    assert_eq!(crc64(b"123456789"), 0xe9c6_d914_c4b8_d9ca);
}

#[test]
fn strings_round_trip_in_every_encoding() {
    for s in [
        &b""[..],
        b"0",
        b"-1",
        b"127",
        b"-128",
        b"128",
        b"32767",
        b"-32769",
        b"2147483647",
        b"-2147483648",
        b"2147483648",
        b"12345678901",
        b"9223372036854775807",
        b"007",
        b"hello",
        b"a string longer than twenty bytes but incompressible?!",
    ] {
        assert_round_trip(&Value::string(s));
    }
    let long = b"abcdefgh".repeat(1000);
    let payload = assert_round_trip(&Value::string(&long));
    assert!(payload.len() < 200, "long repetitive strings are LZF-compressed");
    let mut raw = Value::string(b"x");
    raw.string_mut().unwrap().extend_from_slice(b"yz");
    // A `raw` string (modified in place) comes back `embstr`, as `tryObjectEncoding` makes it.
    let back = restore(&dump_payload(&raw)).unwrap();
    assert_eq!((back.as_string(), back.encoding_name()), (Some(&b"xyz"[..]), "embstr"));
}

#[test]
fn our_string_payloads_equal_redis() {
    // `DUMP` of Redis 7.0.15 (RDB version 10), same body as 7.2 writes.
    assert_eq!(dump_payload(&Value::string(b"12345"))[..3], hex("00c13930")[..3]);
    let body = |h: &str| hex(h)[..hex(h).len() - 10].to_vec();
    let mut out = Vec::new();
    encode_value(&Value::string(b"12345"), &mut out);
    assert_eq!(out, body("00c139300a009d94ea2793fc08b9"));
    out.clear();
    encode_value(&Value::string(b"hello"), &mut out);
    assert_eq!(out, body("000568656c6c6f0a006372df766534200a"));
    // LZF: Redis's compressed bytes decode to the string; ours are LZF too (not necessarily
    // the same matches as Redis's compressor) and decode to the same string.
    let redis = hex("00c30a405002616261e042010161620a00949d5f0eb1dea445");
    assert_eq!(restore(&redis).unwrap().as_string(), Some(&b"ab".repeat(40)[..]));
    out.clear();
    encode_value(&Value::string(&b"ab".repeat(40)), &mut out);
    assert_eq!(&out[..2], &[TYPE_STRING, 0xC3]);
    assert!(out.len() < 20);
    assert_eq!(decode_value(&out, &limits()).unwrap().as_string(), Some(&b"ab".repeat(40)[..]));
}

#[test]
fn restores_redis_7_0_payloads() {
    let cases: &[(&str, &str, &[&str])] = &[
        ("00c139300a009d94ea2793fc08b9", "string/int", &["12345"]),
        ("000568656c6c6f0a006372df766534200a", "string/embstr", &["hello"]),
        (
            "1201021414000000050081610281620201010201df9c02ff0a0076452b1bf9e9b2aa",
            "list/listpack",
            &["a", "b", "1", "2", "-100"],
        ),
        (
            "10151500000004008266310382763103826632030201ff0a005c5ea813feec1ff5",
            "hash/listpack",
            &["f1=v1", "f2=2"],
        ),
        (
            "0b180400000004000000010000000200000003000000701101000a00ef2e6521e385a22a",
            "set/intset",
            &["1", "2", "3", "70000"],
        ),
        ("0202017801790a00ac3a8d681184aa31", "set/listpack", &["x", "y"]),
        ("04020162c0020161c0010a006684aa0d26dd4ab2", "hash/listpack", &["a=1", "b=2"]),
    ];
    for (h, enc, want) in cases {
        let v = restore(&hex(h)).unwrap();
        let (e, items) = contents(&v);
        assert_eq!(&e, enc, "{h}");
        let want: Vec<Vec<u8>> = want.iter().map(|s| s.as_bytes().to_vec()).collect();
        assert_eq!(items, want, "{h}");
    }
    let z1 = restore(&hex(
        "111a1a0000000600816302dffd02816102010181620283322e3504ff0a00a68a1ab1a9f2dcc2",
    ))
    .unwrap();
    let Value::ZSet(z) = &z1 else { panic!() };
    assert_eq!(z.encoding_name(), "listpack");
    assert_eq!(z.to_vec(), vec![(b"c".to_vec(), -3.0), (b"a".to_vec(), 1.0), (b"b".to_vec(), 2.5)]);
    let z2 =
        restore(&hex("0502016200000000000004400161000000000000f03f0a00f46eb73919767291")).unwrap();
    let Value::ZSet(z) = &z2 else { panic!() };
    assert_eq!(z.encoding_name(), "listpack", "converted on load: small enough");
    assert_eq!(z.to_vec(), vec![(b"a".to_vec(), 1.0), (b"b".to_vec(), 2.5)]);
}

#[test]
fn footer_errors() {
    let good = dump_payload(&Value::string(b"bar"));
    assert!(verify_payload(&good).is_ok());
    let mut bad_crc = good.clone();
    *bad_crc.last_mut().unwrap() ^= 1;
    assert_eq!(verify_payload(&bad_crc), Err(BadFooter));
    // Future RDB version 222 with a valid CRC (the Valkey test's payload).
    let future = b"\x00\x03\x62\x61\x72\xde\x00\x0fYUza\xd3\xec\xe0";
    assert_eq!(verify_payload(future), Err(BadFooter));
    assert_eq!(verify_payload(&good[..9]), Err(BadFooter));
    // Version 10 (Redis 7.0) and 9 are accepted.
    let mut v10 = good[..good.len() - 10].to_vec();
    v10.extend_from_slice(&10u16.to_le_bytes());
    let crc = crc64(&v10);
    v10.extend_from_slice(&crc.to_le_bytes());
    assert!(verify_payload(&v10).is_ok());
}

#[test]
fn lists_round_trip_in_both_encodings() {
    assert_round_trip(&list_of(&strs(5, |i| i.to_string()), -2));
    let big = strs(3000, |i| format!("element-{i}"));
    let v = list_of(&big, -2);
    assert_eq!(v.encoding_name(), "quicklist");
    assert_round_trip(&v);
    // Plain nodes: elements bigger than a node.
    let mut items = strs(10, |i| i.to_string());
    items.push(vec![b'p'; 10000]);
    items.push(b"tail".to_vec());
    let v = list_of(&items, -2);
    assert_round_trip(&v);
    // Count fill: many small nodes, node boundaries kept.
    let v = list_of(&strs(100, |i| format!("v{i}")), 5);
    let payload = dump_payload(&v);
    let back = decode_value(
        verify_payload(&payload).unwrap(),
        &EncodingLimits { list_max_listpack_size: 5, ..limits() },
    )
    .unwrap();
    let (Value::List(a), Value::List(b)) = (&v, &back) else { panic!() };
    assert_eq!(a.node_lengths(), b.node_lengths());
    assert_eq!(a.to_vec(), b.to_vec());
}

#[test]
fn hashes_round_trip_in_both_encodings() {
    let small: Vec<(Vec<u8>, Vec<u8>)> =
        (0..10).map(|i| (format!("f{i}").into_bytes(), i.to_string().into_bytes())).collect();
    assert_round_trip(&hash_of(&small));
    let big: Vec<(Vec<u8>, Vec<u8>)> =
        (0..500).map(|i| (format!("f{i}").into_bytes(), format!("v{i}").into_bytes())).collect();
    let v = hash_of(&big);
    assert_eq!(v.encoding_name(), "hashtable");
    assert_round_trip(&v);
    let long = vec![(b"f".to_vec(), vec![b'x'; 100])];
    assert_eq!(hash_of(&long).encoding_name(), "hashtable");
    assert_round_trip(&hash_of(&long));
}

#[test]
fn hash_listpack_converts_by_count_on_load() {
    let small: Vec<(Vec<u8>, Vec<u8>)> =
        (0..10).map(|i| (format!("f{i}").into_bytes(), i.to_string().into_bytes())).collect();
    let payload = dump_payload(&hash_of(&small));
    let tight = EncodingLimits { hash_max_listpack_entries: 2, ..limits() };
    let v = decode_value(verify_payload(&payload).unwrap(), &tight).unwrap();
    assert_eq!(v.encoding_name(), "hashtable");
    assert_eq!(contents(&v).1, contents(&hash_of(&small)).1);
}

#[test]
fn sets_round_trip_in_every_encoding() {
    let v = set_of(&strs(5, |i| i.to_string()));
    assert_eq!(v.encoding_name(), "intset");
    assert_round_trip(&v);
    let v = set_of(&strs(400, |i| (i as i64 * 1_000_000_007).to_string()));
    assert_eq!(v.encoding_name(), "intset");
    assert_round_trip(&v);
    let v = set_of(&strs(20, |i| format!("m{i}")));
    assert_eq!(v.encoding_name(), "listpack");
    assert_round_trip(&v);
    let v = set_of(&strs(1000, |i| format!("m{i}")));
    assert_eq!(v.encoding_name(), "hashtable");
    assert_round_trip(&v);
    let v = set_of(&strs(1000, |i| i.to_string()));
    assert_eq!(v.encoding_name(), "hashtable");
    assert_round_trip(&v);
}

#[test]
fn zsets_round_trip_in_both_encodings() {
    let pairs: Vec<(Vec<u8>, f64)> = (0..10)
        .map(|i| {
            (format!("m{i}").into_bytes(), [1.5, -2.0, 0.1, f64::INFINITY, 1e300][i % 5] * i as f64)
        })
        .collect();
    let v = zset_of(&pairs);
    assert_eq!(v.encoding_name(), "listpack");
    assert_round_trip(&v);
    let pairs: Vec<(Vec<u8>, f64)> =
        (0..300).map(|i| (format!("m{i}").into_bytes(), (i as f64) / 7.0)).collect();
    let v = zset_of(&pairs);
    assert_eq!(v.encoding_name(), "skiplist");
    assert_round_trip(&v);
    let v = zset_of(&[(b"a".to_vec(), f64::NEG_INFINITY), (b"b".to_vec(), 0.0)]);
    assert_round_trip(&v);
}

#[test]
fn old_encodings_load() {
    use ziplist::tests::build;
    // LIST_ZIPLIST.
    let zl = build(&[LpValue::Str(b"a"), LpValue::Int(7), LpValue::Int(-70000)]);
    let mut body = vec![TYPE_LIST_ZIPLIST];
    put_string(&mut body, &zl);
    let v = decode_value(&body, &limits()).unwrap();
    assert_eq!(
        contents(&v),
        ("list/listpack".to_string(), vec![b"a".to_vec(), b"7".to_vec(), b"-70000".to_vec()])
    );
    // LIST_QUICKLIST with two ziplist nodes.
    let mut body = vec![TYPE_LIST_QUICKLIST];
    put_len(&mut body, 2);
    put_string(&mut body, &build(&[LpValue::Str(b"x")]));
    put_string(&mut body, &build(&[LpValue::Int(1), LpValue::Int(2)]));
    let v = decode_value(&body, &limits()).unwrap();
    assert_eq!(contents(&v).1, vec![b"x".to_vec(), b"1".to_vec(), b"2".to_vec()]);
    // HASH_ZIPLIST and ZSET_ZIPLIST.
    let zl = build(&[LpValue::Str(b"f"), LpValue::Int(1), LpValue::Str(b"g"), LpValue::Str(b"v")]);
    let mut body = vec![TYPE_HASH_ZIPLIST];
    put_string(&mut body, &zl);
    let v = decode_value(&body, &limits()).unwrap();
    assert_eq!(contents(&v), ("hash/listpack".to_string(), vec![b"f=1".to_vec(), b"g=v".to_vec()]));
    let zl =
        build(&[LpValue::Str(b"b"), LpValue::Str(b"2.5"), LpValue::Str(b"a"), LpValue::Int(1)]);
    let mut body = vec![TYPE_ZSET_ZIPLIST];
    put_string(&mut body, &zl);
    let Value::ZSet(z) = decode_value(&body, &limits()).unwrap() else { panic!() };
    assert_eq!(z.to_vec(), vec![(b"a".to_vec(), 1.0), (b"b".to_vec(), 2.5)]);
    // ZSET with string scores, the plain LIST and SET.
    let mut body = vec![TYPE_ZSET];
    put_len(&mut body, 3);
    put_string(&mut body, b"a");
    body.push(3);
    body.extend_from_slice(b"1.5");
    put_string(&mut body, b"b");
    body.push(254);
    put_string(&mut body, b"c");
    body.push(255);
    let Value::ZSet(z) = decode_value(&body, &limits()).unwrap() else { panic!() };
    assert_eq!(
        z.to_vec(),
        vec![
            (b"c".to_vec(), f64::NEG_INFINITY),
            (b"a".to_vec(), 1.5),
            (b"b".to_vec(), f64::INFINITY)
        ]
    );
    let mut body = vec![TYPE_ZSET];
    put_len(&mut body, 1);
    put_string(&mut body, b"a");
    body.push(253);
    assert_eq!(decode_value(&body, &limits()).unwrap_err(), Corrupt, "NaN score");
    let mut body = vec![TYPE_LIST];
    put_len(&mut body, 2);
    put_string(&mut body, b"1");
    put_string(&mut body, b"two");
    assert_eq!(
        contents(&decode_value(&body, &limits()).unwrap()).1,
        vec![b"1".to_vec(), b"two".to_vec()]
    );
}

#[test]
fn duplicates_and_empties_are_corrupt() {
    let mut body = vec![TYPE_SET];
    put_len(&mut body, 2);
    put_string(&mut body, b"a");
    put_string(&mut body, b"a");
    assert!(decode_value(&body, &limits()).is_err());
    let mut w = listpack::Writer::new();
    for e in [&b"f"[..], b"1", b"f", b"2"] {
        w.push_bytes(e);
    }
    let mut body = vec![TYPE_HASH_LISTPACK];
    put_string(&mut body, &w.finish());
    assert!(decode_value(&body, &limits()).is_err());
    let mut body = vec![TYPE_HASH];
    put_len(&mut body, 0);
    assert!(decode_value(&body, &limits()).is_err());
    let mut body = vec![TYPE_LIST_QUICKLIST_2];
    put_len(&mut body, 0);
    assert!(decode_value(&body, &limits()).is_err());
    let mut body = vec![TYPE_SET_INTSET];
    put_string(&mut body, &[2, 0, 0, 0, 2, 0, 0, 0, 5, 0, 5, 0]);
    assert!(decode_value(&body, &limits()).is_err(), "intset not strictly ascending");
    assert!(decode_value(&[6], &limits()).is_err(), "module type");
    assert!(decode_value(&[15], &limits()).is_err(), "stream type");
    assert!(decode_value(&[], &limits()).is_err());
}

/// Bodies of valid payloads of every type and encoding (for the corruption test).
fn sample_bodies() -> Vec<Vec<u8>> {
    let values = vec![
        Value::string(b"hello"),
        Value::string(b"12345"),
        Value::string(&b"xyz".repeat(100)),
        list_of(&strs(20, |i| format!("e{i}")), -2),
        list_of(&strs(30, |i| i.to_string()), 4),
        list_of(&[vec![b'q'; 9000], b"x".to_vec()], -2),
        hash_of(&[(b"a".to_vec(), b"1".to_vec()), (b"b".to_vec(), b"two".to_vec())]),
        hash_of(
            &(0..200).map(|i| (i.to_string().into_bytes(), vec![b'v'; i % 7])).collect::<Vec<_>>(),
        ),
        set_of(&strs(8, |i| (i * 1000).to_string())),
        set_of(&strs(8, |i| format!("s{i}"))),
        set_of(&strs(200, |i| format!("s{i}"))),
        zset_of(
            &(0..8).map(|i| (format!("z{i}").into_bytes(), i as f64 * 1.25)).collect::<Vec<_>>(),
        ),
        zset_of(&(0..200).map(|i| (format!("z{i}").into_bytes(), i as f64)).collect::<Vec<_>>()),
    ];
    let mut bodies: Vec<Vec<u8>> = values
        .iter()
        .map(|v| {
            let mut b = Vec::new();
            encode_value(v, &mut b);
            b
        })
        .collect();
    let mut zm = vec![TYPE_HASH_ZIPMAP];
    put_string(&mut zm, &[2, 1, b'a', 1, 3, b'x', 0, 0, 0, 1, b'b', 2, 0, b'y', b'z', 255]);
    bodies.push(zm);
    let zl = ziplist::tests::build(&[
        LpValue::Str(b"a"),
        LpValue::Int(1),
        LpValue::Str(b"b"),
        LpValue::Int(-5),
    ]);
    for ty in [TYPE_LIST_ZIPLIST, TYPE_HASH_ZIPLIST, TYPE_ZSET_ZIPLIST] {
        let mut b = vec![ty];
        put_string(&mut b, &zl);
        bodies.push(b);
    }
    bodies
}

#[test]
fn random_corruption_never_panics() {
    let mut rng = StdRng::seed_from_u64(0x5eed_d00d);
    let bodies = sample_bodies();
    for body in &bodies {
        assert!(decode_value(body, &limits()).is_ok());
    }
    let mut errors = 0;
    for round in 0..20_000 {
        let mut b = bodies[round % bodies.len()].clone();
        match rng.random_range(0..4) {
            0 => {
                let n = rng.random_range(0..b.len());
                b.truncate(n);
            }
            1 => {
                for _ in 0..rng.random_range(1..4) {
                    let i = rng.random_range(0..b.len());
                    b[i] ^= 1 << rng.random_range(0..8);
                }
            }
            2 => {
                let i = rng.random_range(0..b.len());
                b[i] = rng.random();
            }
            _ => {
                let i = rng.random_range(0..b.len());
                let len = rng.random_range(1..8);
                b.splice(i..i, (0..len).map(|_| rng.random::<u8>()));
            }
        }
        // Framed with a correct CRC so that RESTORE's decoder itself sees the damage.
        let payload = frame_payload(b);
        if restore(&payload).is_err() {
            errors += 1;
        }
    }
    assert!(errors > 1000, "most corruptions are detected ({errors})");
}

#[test]
fn huge_claimed_lengths_are_refused_without_allocating() {
    // A string claiming 2^40 bytes, an LZF string claiming a huge output, a set claiming
    // 2^32 members.
    let mut b = vec![TYPE_STRING, 0x81];
    b.extend_from_slice(&(1u64 << 40).to_be_bytes());
    assert!(decode_value(&b, &limits()).is_err());
    let mut b = vec![TYPE_STRING, 0xC3, 2];
    put_len(&mut b, 1 << 40);
    b.extend_from_slice(&[0, b'a']);
    assert!(decode_value(&b, &limits()).is_err());
    let mut b = vec![TYPE_SET, 0x80];
    b.extend_from_slice(&u32::MAX.to_be_bytes());
    b.extend_from_slice(&[1, b'a']);
    assert!(decode_value(&b, &limits()).is_err());
}

#[test]
fn zset_listpack_scores_are_written_as_redis_7_2_d2string() {
    // Redis 7.2 stores `d2string` text: `1e+300`, integers as integers (here 1e17).
    let v = zset_of(&[(b"big".to_vec(), 1e300), (b"i".to_vec(), 1e17), (b"f".to_vec(), 0.1)]);
    let mut out = Vec::new();
    encode_value(&v, &mut out);
    let mut w = listpack::Writer::new();
    for e in [&b"f"[..], b"0.1", b"i", b"100000000000000000", b"big", b"1e+300"] {
        w.push_bytes(e);
    }
    let mut want = vec![TYPE_ZSET_LISTPACK];
    put_string(&mut want, &w.finish());
    assert_eq!(out, want);
}

#[test]
fn zipmap_hashes_load() {
    // Redis 2.4's zipmap of {"foo": "bar", "hello": "world"} with 2 free bytes after "bar".
    let mut zm = vec![2, 3];
    zm.extend_from_slice(b"foo");
    zm.extend_from_slice(&[3, 2]);
    zm.extend_from_slice(b"bar\0\0");
    zm.push(5);
    zm.extend_from_slice(b"hello");
    zm.extend_from_slice(&[5, 0]);
    zm.extend_from_slice(b"world");
    zm.push(255);
    let mut body = vec![TYPE_HASH_ZIPMAP];
    put_string(&mut body, &zm);
    let v = decode_value(&body, &limits()).unwrap();
    assert_eq!(
        contents(&v),
        ("hash/listpack".to_string(), vec![b"foo=bar".to_vec(), b"hello=world".to_vec()])
    );
    let tight = EncodingLimits { hash_max_listpack_value: 4, ..limits() };
    assert_eq!(decode_value(&body, &tight).unwrap().encoding_name(), "hashtable");
    // Wrong count, missing end byte, duplicate key.
    let mut bad = zm.clone();
    bad[0] = 3;
    let mut b = vec![TYPE_HASH_ZIPMAP];
    put_string(&mut b, &bad);
    assert!(decode_value(&b, &limits()).is_err());
    let mut b = vec![TYPE_HASH_ZIPMAP];
    put_string(&mut b, &zm[..zm.len() - 1]);
    assert!(decode_value(&b, &limits()).is_err());
    let mut dup = vec![2, 1, b'a', 1, 0, b'x', 1, b'a', 1, 0, b'y', 255];
    let mut b = vec![TYPE_HASH_ZIPMAP];
    put_string(&mut b, &dup);
    assert!(decode_value(&b, &limits()).is_err());
    dup[0] = 254;
    dup[7] = b'b';
    let mut b = vec![TYPE_HASH_ZIPMAP];
    put_string(&mut b, &dup);
    assert_eq!(decode_value(&b, &limits()).unwrap().encoding_name(), "listpack");
}

#[test]
fn huge_thresholds_still_load_in_linear_time() {
    // The Valkey tests raise hash-max-ziplist-entries to 10^9; a big HASH or SET payload must
    // not be loaded with a search per field (quadratic).
    let huge = EncodingLimits {
        hash_max_listpack_entries: 1_000_000_000,
        hash_max_listpack_value: 1_000_000_000,
        set_max_listpack_entries: 1_000_000_000,
        set_max_intset_entries: 1_000_000_000,
        ..limits()
    };
    let n = 100_000;
    let mut body = vec![TYPE_HASH];
    put_len(&mut body, n);
    for i in 0..n {
        put_string(&mut body, format!("field{i}").as_bytes());
        put_string(&mut body, b"v");
    }
    let start = std::time::Instant::now();
    let v = decode_value(&body, &huge).unwrap();
    assert_eq!(v.encoding_name(), "listpack");
    let mut body = vec![TYPE_SET];
    put_len(&mut body, n);
    for i in 0..n {
        put_string(&mut body, format!("m{i}").as_bytes());
    }
    let v = decode_value(&body, &huge).unwrap();
    assert_eq!(v.encoding_name(), "listpack");
    let mut body = vec![TYPE_SET];
    put_len(&mut body, n);
    for i in (0..n).rev() {
        put_string(&mut body, (i as i64 * 7).to_string().as_bytes());
    }
    let v = decode_value(&body, &huge).unwrap();
    assert_eq!(v.encoding_name(), "intset");
    assert!(start.elapsed() < std::time::Duration::from_secs(10), "{:?}", start.elapsed());
}

#[test]
fn zero_and_negative_zero_scores_sort_by_member() {
    // Found by the rdb_value fuzz target: a ZSET_LISTPACK whose -0 and 0 scores must stay in
    // member order, as the skiplist keeps them (scores compare equal).
    let v = zset_of(&[(b"b".to_vec(), -0.0), (b"a".to_vec(), 0.0), (b"c".to_vec(), -0.0)]);
    let Value::ZSet(z) = &v else { panic!() };
    let order: Vec<Vec<u8>> = z.to_vec().into_iter().map(|(m, _)| m).collect();
    assert_eq!(order, vec![b"a".to_vec(), b"b".to_vec(), b"c".to_vec()]);
    assert_round_trip(&v);
    let mut w = listpack::Writer::new();
    for e in [&b"c"[..], b"-0", b"a", b"0", b"b", b"-0"] {
        w.push_bytes(e);
    }
    let mut body = vec![TYPE_ZSET_LISTPACK];
    put_string(&mut body, &w.finish());
    let Value::ZSet(z) = decode_value(&body, &limits()).unwrap() else { panic!() };
    let order: Vec<Vec<u8>> = z.to_vec().into_iter().map(|(m, _)| m).collect();
    assert_eq!(order, vec![b"a".to_vec(), b"b".to_vec(), b"c".to_vec()]);
}
