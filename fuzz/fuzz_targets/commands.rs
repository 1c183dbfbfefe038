//! Fuzzes command execution: arbitrary argument vectors, drawn from a dictionary of command
//! names, options and numbers, run through the real dispatch. No input may panic the server.

#![no_main]

use bytes::Bytes;
use ferrodis_server::harness::Harness;
use libfuzzer_sys::fuzz_target;
use std::cell::RefCell;

const WORDS: &[&str] = &[
    "SET",
    "GET",
    "DEL",
    "EXISTS",
    "EXPIRE",
    "PEXPIRE",
    "EXPIREAT",
    "TTL",
    "PTTL",
    "PERSIST",
    "INCR",
    "INCRBY",
    "DECRBY",
    "INCRBYFLOAT",
    "MSET",
    "MGET",
    "MSETNX",
    "APPEND",
    "SETRANGE",
    "GETRANGE",
    "SETBIT",
    "GETBIT",
    "BITCOUNT",
    "BITPOS",
    "BITOP",
    "BITFIELD",
    "LCS",
    "GETEX",
    "GETDEL",
    "GETSET",
    "SETNX",
    "SETEX",
    "STRLEN",
    "KEYS",
    "SCAN",
    "RENAME",
    "RENAMENX",
    "COPY",
    "MOVE",
    "SWAPDB",
    "TYPE",
    "OBJECT",
    "SELECT",
    "FLUSHDB",
    "DBSIZE",
    "RANDOMKEY",
    "TOUCH",
    "UNLINK",
    "CLIENT",
    "COMMAND",
    "INFO",
    "HELLO",
    "PING",
    "ECHO",
    "CONFIG",
    "SLOWLOG",
    "MEMORY",
    "TIME",
    "EX",
    "PX",
    "EXAT",
    "PXAT",
    "NX",
    "XX",
    "GT",
    "LT",
    "KEEPTTL",
    "MATCH",
    "COUNT",
    "TYPE",
    "DB",
    "REPLACE",
    "LEN",
    "IDX",
    "BYTE",
    "BIT",
    "AND",
    "OR",
    "XOR",
    "NOT",
    "OVERFLOW",
    "WRAP",
    "SAT",
    "FAIL",
    "i8",
    "u16",
    "i64",
    "#1",
    "k",
    "k2",
    "{k}x",
    "*",
    "?",
    "[a-",
    "0",
    "1",
    "-1",
    "2",
    "100",
    "9223372036854775807",
    "-9223372036854775808",
    "4294967295",
    "1.5",
    "inf",
    "-inf",
    "nan",
    "1e308",
    "",
    "\r\n",
    "\x00",
    "LPUSH",
    "RPUSH",
    "LPOP",
    "RPOP",
    "LRANGE",
    "LINDEX",
    "LSET",
    "LINSERT",
    "LREM",
    "LTRIM",
    "LPOS",
    "LMOVE",
    "LMPOP",
    "BLPOP",
    "BLMOVE",
    "BLMPOP",
    "HSET",
    "HGET",
    "HDEL",
    "HGETALL",
    "HINCRBY",
    "HINCRBYFLOAT",
    "HRANDFIELD",
    "HSCAN",
    "SADD",
    "SREM",
    "SPOP",
    "SRANDMEMBER",
    "SINTER",
    "SINTERSTORE",
    "SINTERCARD",
    "SUNION",
    "SDIFFSTORE",
    "SMOVE",
    "SSCAN",
    "ZADD",
    "ZRANGE",
    "ZRANGESTORE",
    "ZRANGEBYSCORE",
    "ZRANGEBYLEX",
    "ZREMRANGEBYSCORE",
    "ZPOPMIN",
    "BZPOPMIN",
    "ZMPOP",
    "BZMPOP",
    "ZUNIONSTORE",
    "ZINTER",
    "ZDIFF",
    "ZRANDMEMBER",
    "ZINCRBY",
    "ZSCAN",
    "ZRANK",
    "PFADD",
    "PFCOUNT",
    "PFMERGE",
    "MULTI",
    "EXEC",
    "DISCARD",
    "WATCH",
    "UNWATCH",
    "GEOADD",
    "GEOSEARCH",
    "GEORADIUS",
    "GEODIST",
    "LEFT",
    "RIGHT",
    "MIN",
    "MAX",
    "BYSCORE",
    "BYLEX",
    "REV",
    "LIMIT",
    "WITHSCORES",
    "WITHSCORE",
    "WEIGHTS",
    "AGGREGATE",
    "SUM",
    "CH",
    "RANK",
    "MAXLEN",
    "BEFORE",
    "AFTER",
    "WITHVALUES",
    "FROMLONLAT",
    "BYRADIUS",
    "m",
    "(1",
    "[a",
    "+",
    "-",
    "0.01",
];

thread_local! {
    static HARNESS: RefCell<Harness> = RefCell::new(Harness::new());
}

fuzz_target!(|data: &[u8]| {
    let mut argv: Vec<Bytes> = Vec::new();
    let mut i = 0;
    while i < data.len() && argv.len() < 12 {
        let b = data[i];
        if b < 0xF0 {
            // Two bytes pick a word, so every word of the dictionary is reachable.
            let pick = usize::from(b) * 256 + usize::from(data.get(i + 1).copied().unwrap_or(0));
            argv.push(Bytes::from_static(WORDS[pick % WORDS.len()].as_bytes()));
            i += 2;
        } else {
            // A raw argument: the next (b & 0x0F) bytes.
            let n = usize::from(b & 0x0F);
            let end = (i + 1 + n).min(data.len());
            argv.push(Bytes::copy_from_slice(&data[i + 1..end]));
            i = end;
        }
    }
    if argv.is_empty()
        || argv[0].eq_ignore_ascii_case(b"SHUTDOWN")
        || argv[0].eq_ignore_ascii_case(b"DEBUG")
    {
        return;
    }
    HARNESS.with(|h| {
        let mut h = h.borrow_mut();
        let _ = h.run_bytes(&argv);
        // Keep the dataset small so the run stays fast.
        if h.run(&["DBSIZE"]) != ferrodis_resp::Reply::Integer(0) && data.len() % 7 == 0 {
            let _ = h.run(&["FLUSHALL"]);
        }
    });
});
