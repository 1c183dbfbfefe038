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

// ---------------------------------------------------------------------------------------------
// Connection, server and introspection commands, and the blocking pops
// ---------------------------------------------------------------------------------------------

const fn arg(name: &'static str, kind: ArgType) -> Arg {
    Arg { name, kind, ..Arg::DEFAULT }
}

/// An optional argument introduced by a token (`[TOKEN name]`).
const fn opt_arg(name: &'static str, token: &'static str, kind: ArgType) -> Arg {
    Arg { token: Some(token), flags: argflags::OPTIONAL, ..arg(name, kind) }
}

const fn token(name: &'static str, token: &'static str) -> Arg {
    Arg { token: Some(token), ..arg(name, ArgType::PureToken) }
}

/// A blocking command's trailing `timeout` (seconds, a double since 6.0.0).
const TIMEOUT: Arg = arg("timeout", ArgType::Double);

/// History of the blocking pops whose timeout became a double in 6.0.0.
pub(crate) const TIMEOUT_DOUBLE_HISTORY: &[(&str, &str)] =
    &[("6.0.0", "The timeout may have a fractional part (was an integer).")];

/// BLPOP, BRPOP, BZPOPMIN and BZPOPMAX: `key [key ...] timeout`.
pub(crate) const BLOCKING_POP: &[Arg] = &[DEL[0], TIMEOUT];

/// BLMOVE: LMOVE's arguments and a timeout.
pub(crate) const BLMOVE: &[Arg] = {
    use super::lists::docs::LMOVE;
    &[LMOVE[0], LMOVE[1], LMOVE[2], LMOVE[3], TIMEOUT]
};

/// BRPOPLPUSH: RPOPLPUSH's arguments and a timeout.
pub(crate) const BRPOPLPUSH: &[Arg] = {
    use super::lists::docs::RPOPLPUSH;
    &[RPOPLPUSH[0], RPOPLPUSH[1], TIMEOUT]
};

/// BLMPOP: a timeout, then LMPOP's arguments.
pub(crate) const BLMPOP: &[Arg] = {
    use super::lists::docs::LMPOP;
    &[TIMEOUT, LMPOP[0], LMPOP[1], LMPOP[2], LMPOP[3]]
};

/// BZMPOP: a timeout, then ZMPOP's arguments.
pub(crate) const BZMPOP: &[Arg] = {
    use super::sorted_sets::docs::ZMPOP;
    &[TIMEOUT, ZMPOP[0], ZMPOP[1], ZMPOP[2], ZMPOP[3]]
};

/// WATCH's arguments (`key [key ...]`, as DEL).
pub(crate) const WATCH: &[Arg] = DEL;

/// PING's arguments.
pub(crate) const PING: &[Arg] =
    &[Arg { flags: argflags::OPTIONAL, ..arg("message", ArgType::String) }];

/// ECHO's arguments.
pub(crate) const ECHO: &[Arg] = &[arg("message", ArgType::String)];

/// SELECT's arguments.
pub(crate) const SELECT: &[Arg] = &[arg("index", ArgType::Integer)];

/// AUTH's arguments.
pub(crate) const AUTH: &[Arg] = &[
    Arg { since: Some("6.0.0"), flags: argflags::OPTIONAL, ..arg("username", ArgType::String) },
    arg("password", ArgType::String),
];
/// AUTH's history.
pub(crate) const AUTH_HISTORY: &[(&str, &str)] =
    &[("6.0.0", "Accepts a username before the password (ACL users).")];

/// HELLO's arguments.
pub(crate) const HELLO: &[Arg] = &[Arg {
    flags: argflags::OPTIONAL,
    arguments: &[
        arg("protover", ArgType::Integer),
        Arg {
            token: Some("AUTH"),
            flags: argflags::OPTIONAL,
            arguments: &[arg("username", ArgType::String), arg("password", ArgType::String)],
            ..arg("username_password", ArgType::Block)
        },
        opt_arg("clientname", "SETNAME", ArgType::String),
    ],
    ..arg("arguments", ArgType::Block)
}];
/// HELLO's history.
pub(crate) const HELLO_HISTORY: &[(&str, &str)] =
    &[("6.2.0", "The protocol version is optional; without it HELLO just reports the connection.")];

/// `[ASYNC | SYNC]` of FLUSHALL and FLUSHDB (ASYNC since 4.0.0, SYNC since 6.2.0).
const FLUSH_MODE: Arg = Arg {
    flags: argflags::OPTIONAL,
    arguments: &[
        Arg { since: Some("4.0.0"), ..token("async", "ASYNC") },
        Arg { since: Some("6.2.0"), ..token("sync", "SYNC") },
    ],
    ..arg("async", ArgType::OneOf)
};

/// FLUSHALL's and FLUSHDB's arguments.
pub(crate) const FLUSH: &[Arg] = &[FLUSH_MODE];
/// FLUSHALL's and FLUSHDB's history.
pub(crate) const FLUSH_HISTORY: &[(&str, &str)] =
    &[("4.0.0", "New modifier: ASYNC."), ("6.2.0", "New modifier: SYNC.")];

/// FUNCTION FLUSH's arguments (the same choice, without versions).
pub(crate) const FUNCTION_FLUSH: &[Arg] = &[Arg {
    flags: argflags::OPTIONAL,
    arguments: &[token("async", "ASYNC"), token("sync", "SYNC")],
    ..arg("async", ArgType::OneOf)
}];

/// FUNCTION LIST's arguments.
pub(crate) const FUNCTION_LIST: &[Arg] = &[
    opt_arg("library-name-pattern", "LIBRARYNAME", ArgType::String),
    Arg { flags: argflags::OPTIONAL, ..token("withcode", "WITHCODE") },
];

/// INFO's arguments.
pub(crate) const INFO: &[Arg] =
    &[Arg { flags: argflags::OPTIONAL | argflags::MULTIPLE, ..arg("section", ArgType::String) }];
/// INFO's history.
pub(crate) const INFO_HISTORY: &[(&str, &str)] = &[("7.0.0", "Takes several sections.")];

/// SHUTDOWN's arguments.
pub(crate) const SHUTDOWN: &[Arg] = &[
    Arg {
        flags: argflags::OPTIONAL,
        arguments: &[token("nosave", "NOSAVE"), token("save", "SAVE")],
        ..arg("nosave_save", ArgType::OneOf)
    },
    Arg { since: Some("7.0.0"), flags: argflags::OPTIONAL, ..token("now", "NOW") },
    Arg { since: Some("7.0.0"), flags: argflags::OPTIONAL, ..token("force", "FORCE") },
    Arg { since: Some("7.0.0"), flags: argflags::OPTIONAL, ..token("abort", "ABORT") },
];
/// SHUTDOWN's history.
pub(crate) const SHUTDOWN_HISTORY: &[(&str, &str)] =
    &[("7.0.0", "New modifiers: NOW, FORCE, ABORT.")];

/// SLOWLOG GET's arguments.
pub(crate) const SLOWLOG_GET: &[Arg] =
    &[Arg { flags: argflags::OPTIONAL, ..arg("count", ArgType::Integer) }];
/// SLOWLOG GET's history.
pub(crate) const SLOWLOG_GET_HISTORY: &[(&str, &str)] =
    &[("4.0.0", "Entries carry the client's address and name.")];

/// LATENCY GRAPH's and LATENCY HISTORY's arguments.
pub(crate) const LATENCY_EVENT: &[Arg] = &[arg("event", ArgType::String)];

/// LATENCY RESET's arguments.
pub(crate) const LATENCY_RESET: &[Arg] =
    &[Arg { flags: argflags::OPTIONAL | argflags::MULTIPLE, ..arg("event", ArgType::String) }];

/// LATENCY HISTOGRAM's arguments.
pub(crate) const LATENCY_HISTOGRAM: &[Arg] =
    &[Arg { flags: argflags::OPTIONAL | argflags::MULTIPLE, ..arg("command", ArgType::String) }];

/// MEMORY USAGE's arguments.
pub(crate) const MEMORY_USAGE: &[Arg] = &[GET[0], opt_arg("count", "SAMPLES", ArgType::Integer)];

/// COMMAND DOCS's and COMMAND INFO's arguments.
pub(crate) const COMMAND_NAMES: &[Arg] = &[Arg {
    flags: argflags::OPTIONAL | argflags::MULTIPLE,
    ..arg("command-name", ArgType::String)
}];
/// COMMAND INFO's history.
pub(crate) const COMMAND_INFO_HISTORY: &[(&str, &str)] =
    &[("7.0.0", "Without a name, describes every command.")];

/// COMMAND LIST's arguments.
pub(crate) const COMMAND_LIST: &[Arg] = &[Arg {
    token: Some("FILTERBY"),
    flags: argflags::OPTIONAL,
    arguments: &[
        Arg { token: Some("MODULE"), ..arg("module-name", ArgType::String) },
        Arg { token: Some("ACLCAT"), ..arg("category", ArgType::String) },
        Arg { token: Some("PATTERN"), ..arg("pattern", ArgType::Pattern) },
    ],
    ..arg("filterby", ArgType::OneOf)
}];

/// CONFIG GET's arguments.
pub(crate) const CONFIG_GET: &[Arg] = &[Arg {
    flags: argflags::MULTIPLE,
    arguments: &[arg("parameter", ArgType::String)],
    ..arg("parameter", ArgType::Block)
}];
/// CONFIG GET's history.
pub(crate) const CONFIG_GET_HISTORY: &[(&str, &str)] = &[("7.0.0", "Takes several patterns.")];

/// CONFIG SET's arguments.
pub(crate) const CONFIG_SET: &[Arg] = &[Arg {
    flags: argflags::MULTIPLE,
    arguments: &[arg("parameter", ArgType::String), arg("value", ArgType::String)],
    ..arg("parameter_value", ArgType::Block)
}];
/// CONFIG SET's history.
pub(crate) const CONFIG_SET_HISTORY: &[(&str, &str)] =
    &[("7.0.0", "Sets several parameters at once.")];

/// `ON | OFF` of CLIENT NO-EVICT and CLIENT NO-TOUCH.
pub(crate) const CLIENT_ENABLED: &[Arg] = &[Arg {
    arguments: &[token("on", "ON"), token("off", "OFF")],
    ..arg("enabled", ArgType::OneOf)
}];

/// CLIENT SETNAME's arguments.
pub(crate) const CLIENT_SETNAME: &[Arg] = &[arg("connection-name", ArgType::String)];

/// CLIENT SETINFO's arguments (7.2; `src/commands/client-setinfo.json`, whose lower-case
/// tokens the generated `commands.def` upper-cases, as for every command).
pub(crate) const CLIENT_SETINFO: &[Arg] = &[Arg {
    arguments: &[
        Arg { token: Some("LIB-NAME"), ..arg("libname", ArgType::String) },
        Arg { token: Some("LIB-VER"), ..arg("libver", ArgType::String) },
    ],
    ..arg("attr", ArgType::OneOf)
}];

/// CLIENT REPLY's arguments.
pub(crate) const CLIENT_REPLY: &[Arg] = &[Arg {
    arguments: &[token("on", "ON"), token("off", "OFF"), token("skip", "SKIP")],
    ..arg("on_off_skip", ArgType::OneOf)
}];

/// CLIENT TRACKING's arguments.
pub(crate) const CLIENT_TRACKING: &[Arg] = &[
    Arg { arguments: &[token("on", "ON"), token("off", "OFF")], ..arg("status", ArgType::OneOf) },
    Arg {
        token: Some("REDIRECT"),
        flags: argflags::OPTIONAL,
        ..arg("client-id", ArgType::Integer)
    },
    Arg {
        token: Some("PREFIX"),
        flags: argflags::OPTIONAL | argflags::MULTIPLE | argflags::MULTIPLE_TOKEN,
        ..arg("prefix", ArgType::String)
    },
    Arg { flags: argflags::OPTIONAL, ..token("bcast", "BCAST") },
    Arg { flags: argflags::OPTIONAL, ..token("optin", "OPTIN") },
    Arg { flags: argflags::OPTIONAL, ..token("optout", "OPTOUT") },
    Arg { flags: argflags::OPTIONAL, ..token("noloop", "NOLOOP") },
];

/// CLIENT CACHING's arguments.
pub(crate) const CLIENT_CACHING: &[Arg] =
    &[Arg { arguments: &[token("yes", "YES"), token("no", "NO")], ..arg("mode", ArgType::OneOf) }];

/// CLIENT UNBLOCK's arguments.
pub(crate) const CLIENT_UNBLOCK: &[Arg] = &[
    arg("client-id", ArgType::Integer),
    Arg {
        flags: argflags::OPTIONAL,
        arguments: &[token("timeout", "TIMEOUT"), token("error", "ERROR")],
        ..arg("timeout_error", ArgType::OneOf)
    },
];

/// CLIENT PAUSE's arguments.
pub(crate) const CLIENT_PAUSE: &[Arg] = &[
    arg("timeout", ArgType::Integer),
    Arg {
        since: Some("6.2.0"),
        flags: argflags::OPTIONAL,
        arguments: &[token("write", "WRITE"), token("all", "ALL")],
        ..arg("mode", ArgType::OneOf)
    },
];
/// CLIENT PAUSE's history.
pub(crate) const CLIENT_PAUSE_HISTORY: &[(&str, &str)] =
    &[("6.2.0", "New mode option: WRITE pauses only writes.")];

/// CLIENT LIST's arguments.
pub(crate) const CLIENT_LIST: &[Arg] = &[
    Arg {
        since: Some("5.0.0"),
        arguments: &[
            token("normal", "NORMAL"),
            token("master", "MASTER"),
            token("replica", "REPLICA"),
            token("pubsub", "PUBSUB"),
        ],
        ..opt_arg("normal_master_replica_pubsub", "TYPE", ArgType::OneOf)
    },
    Arg {
        since: Some("6.2.0"),
        arguments: &[Arg { flags: argflags::MULTIPLE, ..arg("client-id", ArgType::Integer) }],
        ..opt_arg("id", "ID", ArgType::Block)
    },
];
/// CLIENT LIST's history.
pub(crate) const CLIENT_LIST_HISTORY: &[(&str, &str)] = &[
    ("2.8.12", "New field: id."),
    ("5.0.0", "New TYPE filter."),
    ("6.0.0", "New field: user."),
    ("6.2.0", "New fields argv-mem, tot-mem, laddr and redir; new ID filter."),
    ("7.0.0", "New fields resp, multi-mem, rbs and rbp."),
    ("7.0.3", "New field: ssub."),
];

/// CLIENT KILL's arguments.
pub(crate) const CLIENT_KILL: &[Arg] = &[Arg {
    arguments: &[
        Arg { deprecated_since: Some("2.8.12"), ..arg("ip:port", ArgType::String) },
        Arg {
            flags: argflags::MULTIPLE,
            arguments: &[
                Arg { since: Some("2.8.12"), ..opt_arg("client-id", "ID", ArgType::Integer) },
                Arg {
                    since: Some("2.8.12"),
                    arguments: &[
                        token("normal", "NORMAL"),
                        Arg { since: Some("3.2.0"), ..token("master", "MASTER") },
                        token("slave", "SLAVE"),
                        Arg { since: Some("5.0.0"), ..token("replica", "REPLICA") },
                        token("pubsub", "PUBSUB"),
                    ],
                    ..opt_arg("normal_master_slave_pubsub", "TYPE", ArgType::OneOf)
                },
                opt_arg("username", "USER", ArgType::String),
                opt_arg("ip:port", "ADDR", ArgType::String),
                Arg { since: Some("6.2.0"), ..opt_arg("ip:port", "LADDR", ArgType::String) },
                opt_arg("yes/no", "SKIPME", ArgType::String),
            ],
            ..arg("new-format", ArgType::OneOf)
        },
    ],
    ..arg("filter", ArgType::OneOf)
}];
/// CLIENT KILL's history.
pub(crate) const CLIENT_KILL_HISTORY: &[(&str, &str)] = &[
    ("2.8.12", "Filters in the new `FILTER value` form."),
    ("2.8.12", "New filter: ID."),
    ("3.2.0", "New TYPE value: master."),
    ("5.0.0", "TYPE replica replaces slave (still accepted)."),
    ("6.2.0", "New filter: LADDR."),
];

/// ZRANK's and ZREVRANK's arguments: Redis 7.2 adds `WITHSCORE`
/// (`src/commands/zrank.json`, `zrevrank.json`).
pub(crate) const ZRANK: &[Arg] = &[
    GET[0],
    arg("member", ArgType::String),
    Arg { flags: argflags::OPTIONAL, ..token("withscore", "WITHSCORE") },
];
/// ZRANK's and ZREVRANK's history.
pub(crate) const ZRANK_HISTORY: &[(&str, &str)] = &[("7.2.0", "New option: WITHSCORE.")];
