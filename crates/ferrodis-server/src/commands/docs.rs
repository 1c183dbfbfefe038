//! Argument metadata and history for COMMAND DOCS, per command (Redis's `arguments` and
//! `history` in `commands/*.json`). Names, types, tokens, flags and versions are Redis's facts,
//! taken from the reference's COMMAND DOCS (Redis 7.0) and checked against it by the
//! `command_docs` integration test; argument summaries are left out and the history notes
//! are our own words (the test compares history versions only).

use crate::spec::{argflags, Arg, ArgType};

/// GET's arguments.
pub(crate) const GET: &[Arg] =
    &[Arg { name: "key", kind: ArgType::Key, key_spec_index: Some(0), ..Arg::DEFAULT }];

/// SET's arguments.
pub(crate) const SET: &[Arg] = &[
    Arg { name: "key", kind: ArgType::Key, key_spec_index: Some(0), ..Arg::DEFAULT },
    Arg { name: "value", kind: ArgType::String, ..Arg::DEFAULT },
    Arg {
        name: "condition",
        kind: ArgType::OneOf,
        since: Some("2.6.12"),
        flags: argflags::OPTIONAL,
        arguments: &[
            Arg { name: "nx", kind: ArgType::PureToken, token: Some("NX"), ..Arg::DEFAULT },
            Arg { name: "xx", kind: ArgType::PureToken, token: Some("XX"), ..Arg::DEFAULT },
        ],
        ..Arg::DEFAULT
    },
    Arg {
        name: "get",
        kind: ArgType::PureToken,
        token: Some("GET"),
        since: Some("6.2.0"),
        flags: argflags::OPTIONAL,
        ..Arg::DEFAULT
    },
    Arg {
        name: "expiration",
        kind: ArgType::OneOf,
        flags: argflags::OPTIONAL,
        arguments: &[
            Arg {
                name: "seconds",
                kind: ArgType::Integer,
                token: Some("EX"),
                since: Some("2.6.12"),
                ..Arg::DEFAULT
            },
            Arg {
                name: "milliseconds",
                kind: ArgType::Integer,
                token: Some("PX"),
                since: Some("2.6.12"),
                ..Arg::DEFAULT
            },
            Arg {
                name: "unix-time-seconds",
                kind: ArgType::UnixTime,
                token: Some("EXAT"),
                since: Some("6.2.0"),
                ..Arg::DEFAULT
            },
            Arg {
                name: "unix-time-milliseconds",
                kind: ArgType::UnixTime,
                token: Some("PXAT"),
                since: Some("6.2.0"),
                ..Arg::DEFAULT
            },
            Arg {
                name: "keepttl",
                kind: ArgType::PureToken,
                token: Some("KEEPTTL"),
                since: Some("6.0.0"),
                ..Arg::DEFAULT
            },
        ],
        ..Arg::DEFAULT
    },
];
/// SET's history.
pub(crate) const SET_HISTORY: &[(&str, &str)] = &[
    ("2.6.12", "New options: EX, PX, NX, XX."),
    ("6.0.0", "New option: KEEPTTL."),
    ("6.2.0", "New options: GET, EXAT, PXAT."),
    ("7.0.0", "NX and GET may be combined."),
];

/// SETNX's arguments.
pub(crate) const SETNX: &[Arg] = &[
    Arg { name: "key", kind: ArgType::Key, key_spec_index: Some(0), ..Arg::DEFAULT },
    Arg { name: "value", kind: ArgType::String, ..Arg::DEFAULT },
];

/// SETEX's arguments.
pub(crate) const SETEX: &[Arg] = &[
    Arg { name: "key", kind: ArgType::Key, key_spec_index: Some(0), ..Arg::DEFAULT },
    Arg { name: "seconds", kind: ArgType::Integer, ..Arg::DEFAULT },
    Arg { name: "value", kind: ArgType::String, ..Arg::DEFAULT },
];

/// PSETEX's arguments.
pub(crate) const PSETEX: &[Arg] = &[
    Arg { name: "key", kind: ArgType::Key, key_spec_index: Some(0), ..Arg::DEFAULT },
    Arg { name: "milliseconds", kind: ArgType::Integer, ..Arg::DEFAULT },
    Arg { name: "value", kind: ArgType::String, ..Arg::DEFAULT },
];

/// GETSET's arguments.
pub(crate) const GETSET: &[Arg] = &[
    Arg { name: "key", kind: ArgType::Key, key_spec_index: Some(0), ..Arg::DEFAULT },
    Arg { name: "value", kind: ArgType::String, ..Arg::DEFAULT },
];

/// GETDEL's arguments.
pub(crate) const GETDEL: &[Arg] =
    &[Arg { name: "key", kind: ArgType::Key, key_spec_index: Some(0), ..Arg::DEFAULT }];

/// GETEX's arguments.
pub(crate) const GETEX: &[Arg] = &[
    Arg { name: "key", kind: ArgType::Key, key_spec_index: Some(0), ..Arg::DEFAULT },
    Arg {
        name: "expiration",
        kind: ArgType::OneOf,
        flags: argflags::OPTIONAL,
        arguments: &[
            Arg { name: "seconds", kind: ArgType::Integer, token: Some("EX"), ..Arg::DEFAULT },
            Arg { name: "milliseconds", kind: ArgType::Integer, token: Some("PX"), ..Arg::DEFAULT },
            Arg {
                name: "unix-time-seconds",
                kind: ArgType::UnixTime,
                token: Some("EXAT"),
                ..Arg::DEFAULT
            },
            Arg {
                name: "unix-time-milliseconds",
                kind: ArgType::UnixTime,
                token: Some("PXAT"),
                ..Arg::DEFAULT
            },
            Arg {
                name: "persist",
                kind: ArgType::PureToken,
                token: Some("PERSIST"),
                ..Arg::DEFAULT
            },
        ],
        ..Arg::DEFAULT
    },
];

/// MGET's arguments.
pub(crate) const MGET: &[Arg] = &[Arg {
    name: "key",
    kind: ArgType::Key,
    key_spec_index: Some(0),
    flags: argflags::MULTIPLE,
    ..Arg::DEFAULT
}];

/// MSET's arguments.
pub(crate) const MSET: &[Arg] = &[Arg {
    name: "key_value",
    kind: ArgType::Block,
    flags: argflags::MULTIPLE,
    arguments: &[
        Arg { name: "key", kind: ArgType::Key, key_spec_index: Some(0), ..Arg::DEFAULT },
        Arg { name: "value", kind: ArgType::String, ..Arg::DEFAULT },
    ],
    ..Arg::DEFAULT
}];

/// MSETNX's arguments.
pub(crate) const MSETNX: &[Arg] = &[Arg {
    name: "key_value",
    kind: ArgType::Block,
    flags: argflags::MULTIPLE,
    arguments: &[
        Arg { name: "key", kind: ArgType::Key, key_spec_index: Some(0), ..Arg::DEFAULT },
        Arg { name: "value", kind: ArgType::String, ..Arg::DEFAULT },
    ],
    ..Arg::DEFAULT
}];

/// APPEND's arguments.
pub(crate) const APPEND: &[Arg] = &[
    Arg { name: "key", kind: ArgType::Key, key_spec_index: Some(0), ..Arg::DEFAULT },
    Arg { name: "value", kind: ArgType::String, ..Arg::DEFAULT },
];

/// STRLEN's arguments.
pub(crate) const STRLEN: &[Arg] =
    &[Arg { name: "key", kind: ArgType::Key, key_spec_index: Some(0), ..Arg::DEFAULT }];

/// GETRANGE's arguments.
pub(crate) const GETRANGE: &[Arg] = &[
    Arg { name: "key", kind: ArgType::Key, key_spec_index: Some(0), ..Arg::DEFAULT },
    Arg { name: "start", kind: ArgType::Integer, ..Arg::DEFAULT },
    Arg { name: "end", kind: ArgType::Integer, ..Arg::DEFAULT },
];

/// SUBSTR's arguments.
pub(crate) const SUBSTR: &[Arg] = &[
    Arg { name: "key", kind: ArgType::Key, key_spec_index: Some(0), ..Arg::DEFAULT },
    Arg { name: "start", kind: ArgType::Integer, ..Arg::DEFAULT },
    Arg { name: "end", kind: ArgType::Integer, ..Arg::DEFAULT },
];

/// SETRANGE's arguments.
pub(crate) const SETRANGE: &[Arg] = &[
    Arg { name: "key", kind: ArgType::Key, key_spec_index: Some(0), ..Arg::DEFAULT },
    Arg { name: "offset", kind: ArgType::Integer, ..Arg::DEFAULT },
    Arg { name: "value", kind: ArgType::String, ..Arg::DEFAULT },
];

/// INCR's arguments.
pub(crate) const INCR: &[Arg] =
    &[Arg { name: "key", kind: ArgType::Key, key_spec_index: Some(0), ..Arg::DEFAULT }];

/// DECR's arguments.
pub(crate) const DECR: &[Arg] =
    &[Arg { name: "key", kind: ArgType::Key, key_spec_index: Some(0), ..Arg::DEFAULT }];

/// INCRBY's arguments.
pub(crate) const INCRBY: &[Arg] = &[
    Arg { name: "key", kind: ArgType::Key, key_spec_index: Some(0), ..Arg::DEFAULT },
    Arg { name: "increment", kind: ArgType::Integer, ..Arg::DEFAULT },
];

/// DECRBY's arguments.
pub(crate) const DECRBY: &[Arg] = &[
    Arg { name: "key", kind: ArgType::Key, key_spec_index: Some(0), ..Arg::DEFAULT },
    Arg { name: "decrement", kind: ArgType::Integer, ..Arg::DEFAULT },
];

/// INCRBYFLOAT's arguments.
pub(crate) const INCRBYFLOAT: &[Arg] = &[
    Arg { name: "key", kind: ArgType::Key, key_spec_index: Some(0), ..Arg::DEFAULT },
    Arg { name: "increment", kind: ArgType::Double, ..Arg::DEFAULT },
];

/// LCS's arguments.
pub(crate) const LCS: &[Arg] = &[
    Arg { name: "key1", kind: ArgType::Key, key_spec_index: Some(0), ..Arg::DEFAULT },
    Arg { name: "key2", kind: ArgType::Key, key_spec_index: Some(0), ..Arg::DEFAULT },
    Arg {
        name: "len",
        kind: ArgType::PureToken,
        token: Some("LEN"),
        flags: argflags::OPTIONAL,
        ..Arg::DEFAULT
    },
    Arg {
        name: "idx",
        kind: ArgType::PureToken,
        token: Some("IDX"),
        flags: argflags::OPTIONAL,
        ..Arg::DEFAULT
    },
    Arg {
        name: "len",
        kind: ArgType::Integer,
        token: Some("MINMATCHLEN"),
        flags: argflags::OPTIONAL,
        ..Arg::DEFAULT
    },
    Arg {
        name: "withmatchlen",
        kind: ArgType::PureToken,
        token: Some("WITHMATCHLEN"),
        flags: argflags::OPTIONAL,
        ..Arg::DEFAULT
    },
];

/// DEL's arguments.
pub(crate) const DEL: &[Arg] = &[Arg {
    name: "key",
    kind: ArgType::Key,
    key_spec_index: Some(0),
    flags: argflags::MULTIPLE,
    ..Arg::DEFAULT
}];

/// UNLINK's arguments.
pub(crate) const UNLINK: &[Arg] = &[Arg {
    name: "key",
    kind: ArgType::Key,
    key_spec_index: Some(0),
    flags: argflags::MULTIPLE,
    ..Arg::DEFAULT
}];

/// EXISTS's arguments.
pub(crate) const EXISTS: &[Arg] = &[Arg {
    name: "key",
    kind: ArgType::Key,
    key_spec_index: Some(0),
    flags: argflags::MULTIPLE,
    ..Arg::DEFAULT
}];
/// EXISTS's history.
pub(crate) const EXISTS_HISTORY: &[(&str, &str)] = &[("3.0.3", "Takes several keys.")];

/// TOUCH's arguments.
pub(crate) const TOUCH: &[Arg] = &[Arg {
    name: "key",
    kind: ArgType::Key,
    key_spec_index: Some(0),
    flags: argflags::MULTIPLE,
    ..Arg::DEFAULT
}];

/// TYPE's arguments.
pub(crate) const TYPE: &[Arg] =
    &[Arg { name: "key", kind: ArgType::Key, key_spec_index: Some(0), ..Arg::DEFAULT }];

/// The `NX | XX | GT | LT` condition shared by the EXPIRE family (since 7.0.0).
const EXPIRE_CONDITION: Arg = Arg {
    name: "condition",
    kind: ArgType::OneOf,
    since: Some("7.0.0"),
    flags: argflags::OPTIONAL,
    arguments: &[
        Arg { name: "nx", kind: ArgType::PureToken, token: Some("NX"), ..Arg::DEFAULT },
        Arg { name: "xx", kind: ArgType::PureToken, token: Some("XX"), ..Arg::DEFAULT },
        Arg { name: "gt", kind: ArgType::PureToken, token: Some("GT"), ..Arg::DEFAULT },
        Arg { name: "lt", kind: ArgType::PureToken, token: Some("LT"), ..Arg::DEFAULT },
    ],
    ..Arg::DEFAULT
};

/// History of every EXPIRE-family command.
pub(crate) const EXPIRE_FAMILY_HISTORY: &[(&str, &str)] =
    &[("7.0.0", "New options: NX, XX, GT, LT.")];

/// EXPIRE's arguments.
pub(crate) const EXPIRE: &[Arg] = &[
    Arg { name: "key", kind: ArgType::Key, key_spec_index: Some(0), ..Arg::DEFAULT },
    Arg { name: "seconds", kind: ArgType::Integer, ..Arg::DEFAULT },
    EXPIRE_CONDITION,
];

/// PEXPIRE's arguments.
pub(crate) const PEXPIRE: &[Arg] = &[
    Arg { name: "key", kind: ArgType::Key, key_spec_index: Some(0), ..Arg::DEFAULT },
    Arg { name: "milliseconds", kind: ArgType::Integer, ..Arg::DEFAULT },
    EXPIRE_CONDITION,
];

/// EXPIREAT's arguments.
pub(crate) const EXPIREAT: &[Arg] = &[
    Arg { name: "key", kind: ArgType::Key, key_spec_index: Some(0), ..Arg::DEFAULT },
    Arg { name: "unix-time-seconds", kind: ArgType::UnixTime, ..Arg::DEFAULT },
    EXPIRE_CONDITION,
];

/// PEXPIREAT's arguments.
pub(crate) const PEXPIREAT: &[Arg] = &[
    Arg { name: "key", kind: ArgType::Key, key_spec_index: Some(0), ..Arg::DEFAULT },
    Arg { name: "unix-time-milliseconds", kind: ArgType::UnixTime, ..Arg::DEFAULT },
    EXPIRE_CONDITION,
];

/// TTL's arguments.
pub(crate) const TTL: &[Arg] =
    &[Arg { name: "key", kind: ArgType::Key, key_spec_index: Some(0), ..Arg::DEFAULT }];
/// TTL's history.
pub(crate) const TTL_HISTORY: &[(&str, &str)] =
    &[("2.8.0", "Replies -2 for a missing key (was -1).")];

/// PTTL's arguments.
pub(crate) const PTTL: &[Arg] =
    &[Arg { name: "key", kind: ArgType::Key, key_spec_index: Some(0), ..Arg::DEFAULT }];
/// PTTL's history.
pub(crate) const PTTL_HISTORY: &[(&str, &str)] =
    &[("2.8.0", "Replies -2 for a missing key (was -1).")];

/// EXPIRETIME's arguments.
pub(crate) const EXPIRETIME: &[Arg] =
    &[Arg { name: "key", kind: ArgType::Key, key_spec_index: Some(0), ..Arg::DEFAULT }];

/// PEXPIRETIME's arguments.
pub(crate) const PEXPIRETIME: &[Arg] =
    &[Arg { name: "key", kind: ArgType::Key, key_spec_index: Some(0), ..Arg::DEFAULT }];

/// PERSIST's arguments.
pub(crate) const PERSIST: &[Arg] =
    &[Arg { name: "key", kind: ArgType::Key, key_spec_index: Some(0), ..Arg::DEFAULT }];

/// KEYS's arguments.
pub(crate) const KEYS: &[Arg] = &[Arg { name: "pattern", kind: ArgType::Pattern, ..Arg::DEFAULT }];

/// SCAN's arguments.
pub(crate) const SCAN: &[Arg] = &[
    Arg { name: "cursor", kind: ArgType::Integer, ..Arg::DEFAULT },
    Arg {
        name: "pattern",
        kind: ArgType::Pattern,
        token: Some("MATCH"),
        flags: argflags::OPTIONAL,
        ..Arg::DEFAULT
    },
    Arg {
        name: "count",
        kind: ArgType::Integer,
        token: Some("COUNT"),
        flags: argflags::OPTIONAL,
        ..Arg::DEFAULT
    },
    Arg {
        name: "type",
        kind: ArgType::String,
        token: Some("TYPE"),
        since: Some("6.0.0"),
        flags: argflags::OPTIONAL,
        ..Arg::DEFAULT
    },
];
/// SCAN's history.
pub(crate) const SCAN_HISTORY: &[(&str, &str)] = &[("6.0.0", "New option: TYPE.")];

/// RENAME's arguments.
pub(crate) const RENAME: &[Arg] = &[
    Arg { name: "key", kind: ArgType::Key, key_spec_index: Some(0), ..Arg::DEFAULT },
    Arg { name: "newkey", kind: ArgType::Key, key_spec_index: Some(1), ..Arg::DEFAULT },
];

/// RENAMENX's arguments.
pub(crate) const RENAMENX: &[Arg] = &[
    Arg { name: "key", kind: ArgType::Key, key_spec_index: Some(0), ..Arg::DEFAULT },
    Arg { name: "newkey", kind: ArgType::Key, key_spec_index: Some(1), ..Arg::DEFAULT },
];
/// RENAMENX's history.
pub(crate) const RENAMENX_HISTORY: &[(&str, &str)] = &[(
    "3.2.0",
    "The command no longer returns an error when source and destination names are the same.",
)];

/// COPY's arguments.
pub(crate) const COPY: &[Arg] = &[
    Arg { name: "source", kind: ArgType::Key, key_spec_index: Some(0), ..Arg::DEFAULT },
    Arg { name: "destination", kind: ArgType::Key, key_spec_index: Some(1), ..Arg::DEFAULT },
    Arg {
        name: "destination-db",
        kind: ArgType::Integer,
        token: Some("DB"),
        flags: argflags::OPTIONAL,
        ..Arg::DEFAULT
    },
    Arg {
        name: "replace",
        kind: ArgType::PureToken,
        token: Some("REPLACE"),
        flags: argflags::OPTIONAL,
        ..Arg::DEFAULT
    },
];

/// MOVE's arguments.
pub(crate) const MOVE: &[Arg] = &[
    Arg { name: "key", kind: ArgType::Key, key_spec_index: Some(0), ..Arg::DEFAULT },
    Arg { name: "db", kind: ArgType::Integer, ..Arg::DEFAULT },
];

/// SWAPDB's arguments.
pub(crate) const SWAPDB: &[Arg] = &[
    Arg { name: "index1", kind: ArgType::Integer, ..Arg::DEFAULT },
    Arg { name: "index2", kind: ArgType::Integer, ..Arg::DEFAULT },
];

/// OBJECT|ENCODING's arguments.
pub(crate) const OBJECT_ENCODING: &[Arg] =
    &[Arg { name: "key", kind: ArgType::Key, key_spec_index: Some(0), ..Arg::DEFAULT }];

/// OBJECT|FREQ's arguments.
pub(crate) const OBJECT_FREQ: &[Arg] =
    &[Arg { name: "key", kind: ArgType::Key, key_spec_index: Some(0), ..Arg::DEFAULT }];

/// OBJECT|IDLETIME's arguments.
pub(crate) const OBJECT_IDLETIME: &[Arg] =
    &[Arg { name: "key", kind: ArgType::Key, key_spec_index: Some(0), ..Arg::DEFAULT }];

/// OBJECT|REFCOUNT's arguments.
pub(crate) const OBJECT_REFCOUNT: &[Arg] =
    &[Arg { name: "key", kind: ArgType::Key, key_spec_index: Some(0), ..Arg::DEFAULT }];

/// SETBIT's arguments.
pub(crate) const SETBIT: &[Arg] = &[
    Arg { name: "key", kind: ArgType::Key, key_spec_index: Some(0), ..Arg::DEFAULT },
    Arg { name: "offset", kind: ArgType::Integer, ..Arg::DEFAULT },
    Arg { name: "value", kind: ArgType::Integer, ..Arg::DEFAULT },
];

/// GETBIT's arguments.
pub(crate) const GETBIT: &[Arg] = &[
    Arg { name: "key", kind: ArgType::Key, key_spec_index: Some(0), ..Arg::DEFAULT },
    Arg { name: "offset", kind: ArgType::Integer, ..Arg::DEFAULT },
];

/// BITCOUNT's arguments.
pub(crate) const BITCOUNT: &[Arg] = &[
    Arg { name: "key", kind: ArgType::Key, key_spec_index: Some(0), ..Arg::DEFAULT },
    Arg {
        name: "index",
        kind: ArgType::Block,
        flags: argflags::OPTIONAL,
        arguments: &[
            Arg { name: "start", kind: ArgType::Integer, ..Arg::DEFAULT },
            Arg { name: "end", kind: ArgType::Integer, ..Arg::DEFAULT },
            Arg {
                name: "index_unit",
                kind: ArgType::OneOf,
                since: Some("7.0.0"),
                flags: argflags::OPTIONAL,
                arguments: &[
                    Arg {
                        name: "byte",
                        kind: ArgType::PureToken,
                        token: Some("BYTE"),
                        ..Arg::DEFAULT
                    },
                    Arg {
                        name: "bit",
                        kind: ArgType::PureToken,
                        token: Some("BIT"),
                        ..Arg::DEFAULT
                    },
                ],
                ..Arg::DEFAULT
            },
        ],
        ..Arg::DEFAULT
    },
];
/// BITCOUNT's history.
pub(crate) const BITCOUNT_HISTORY: &[(&str, &str)] = &[("7.0.0", "New option: BYTE | BIT.")];

/// BITPOS's arguments.
pub(crate) const BITPOS: &[Arg] = &[
    Arg { name: "key", kind: ArgType::Key, key_spec_index: Some(0), ..Arg::DEFAULT },
    Arg { name: "bit", kind: ArgType::Integer, ..Arg::DEFAULT },
    Arg {
        name: "index",
        kind: ArgType::Block,
        flags: argflags::OPTIONAL,
        arguments: &[
            Arg { name: "start", kind: ArgType::Integer, ..Arg::DEFAULT },
            Arg {
                name: "end_index",
                kind: ArgType::Block,
                flags: argflags::OPTIONAL,
                arguments: &[
                    Arg { name: "end", kind: ArgType::Integer, ..Arg::DEFAULT },
                    Arg {
                        name: "index_unit",
                        kind: ArgType::OneOf,
                        since: Some("7.0.0"),
                        flags: argflags::OPTIONAL,
                        arguments: &[
                            Arg {
                                name: "byte",
                                kind: ArgType::PureToken,
                                token: Some("BYTE"),
                                ..Arg::DEFAULT
                            },
                            Arg {
                                name: "bit",
                                kind: ArgType::PureToken,
                                token: Some("BIT"),
                                ..Arg::DEFAULT
                            },
                        ],
                        ..Arg::DEFAULT
                    },
                ],
                ..Arg::DEFAULT
            },
        ],
        ..Arg::DEFAULT
    },
];
/// BITPOS's history.
pub(crate) const BITPOS_HISTORY: &[(&str, &str)] = &[("7.0.0", "New option: BYTE | BIT.")];

/// BITOP's arguments.
pub(crate) const BITOP: &[Arg] = &[
    Arg { name: "operation", kind: ArgType::String, ..Arg::DEFAULT },
    Arg { name: "destkey", kind: ArgType::Key, key_spec_index: Some(0), ..Arg::DEFAULT },
    Arg {
        name: "key",
        kind: ArgType::Key,
        key_spec_index: Some(1),
        flags: argflags::MULTIPLE,
        ..Arg::DEFAULT
    },
];

/// BITFIELD's arguments.
pub(crate) const BITFIELD: &[Arg] = &[
    Arg { name: "key", kind: ArgType::Key, key_spec_index: Some(0), ..Arg::DEFAULT },
    Arg {
        name: "operation",
        kind: ArgType::OneOf,
        flags: argflags::OPTIONAL | argflags::MULTIPLE,
        arguments: &[
            Arg {
                name: "encoding_offset",
                kind: ArgType::Block,
                token: Some("GET"),
                arguments: &[
                    Arg { name: "encoding", kind: ArgType::String, ..Arg::DEFAULT },
                    Arg { name: "offset", kind: ArgType::Integer, ..Arg::DEFAULT },
                ],
                ..Arg::DEFAULT
            },
            Arg {
                name: "write",
                kind: ArgType::Block,
                arguments: &[
                    Arg {
                        name: "wrap_sat_fail",
                        kind: ArgType::OneOf,
                        token: Some("OVERFLOW"),
                        flags: argflags::OPTIONAL,
                        arguments: &[
                            Arg {
                                name: "wrap",
                                kind: ArgType::PureToken,
                                token: Some("WRAP"),
                                ..Arg::DEFAULT
                            },
                            Arg {
                                name: "sat",
                                kind: ArgType::PureToken,
                                token: Some("SAT"),
                                ..Arg::DEFAULT
                            },
                            Arg {
                                name: "fail",
                                kind: ArgType::PureToken,
                                token: Some("FAIL"),
                                ..Arg::DEFAULT
                            },
                        ],
                        ..Arg::DEFAULT
                    },
                    Arg {
                        name: "write_operation",
                        kind: ArgType::OneOf,
                        arguments: &[
                            Arg {
                                name: "encoding_offset_value",
                                kind: ArgType::Block,
                                token: Some("SET"),
                                arguments: &[
                                    Arg { name: "encoding", kind: ArgType::String, ..Arg::DEFAULT },
                                    Arg { name: "offset", kind: ArgType::Integer, ..Arg::DEFAULT },
                                    Arg { name: "value", kind: ArgType::Integer, ..Arg::DEFAULT },
                                ],
                                ..Arg::DEFAULT
                            },
                            Arg {
                                name: "encoding_offset_increment",
                                kind: ArgType::Block,
                                token: Some("INCRBY"),
                                arguments: &[
                                    Arg { name: "encoding", kind: ArgType::String, ..Arg::DEFAULT },
                                    Arg { name: "offset", kind: ArgType::Integer, ..Arg::DEFAULT },
                                    Arg {
                                        name: "increment",
                                        kind: ArgType::Integer,
                                        ..Arg::DEFAULT
                                    },
                                ],
                                ..Arg::DEFAULT
                            },
                        ],
                        ..Arg::DEFAULT
                    },
                ],
                ..Arg::DEFAULT
            },
        ],
        ..Arg::DEFAULT
    },
];

/// BITFIELD_RO's arguments.
pub(crate) const BITFIELD_RO: &[Arg] = &[
    Arg { name: "key", kind: ArgType::Key, key_spec_index: Some(0), ..Arg::DEFAULT },
    Arg {
        name: "encoding_offset",
        kind: ArgType::Block,
        token: Some("GET"),
        flags: argflags::OPTIONAL | argflags::MULTIPLE | argflags::MULTIPLE_TOKEN,
        arguments: &[
            Arg { name: "encoding", kind: ArgType::String, ..Arg::DEFAULT },
            Arg { name: "offset", kind: ArgType::Integer, ..Arg::DEFAULT },
        ],
        ..Arg::DEFAULT
    },
];
