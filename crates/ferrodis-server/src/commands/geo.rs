//! Geospatial commands: GEOADD, GEOPOS, GEODIST, GEOHASH, GEOSEARCH, GEOSEARCHSTORE and the
//! deprecated GEORADIUS, GEORADIUSBYMEMBER and their `_RO` forms.
//!
//! Points live in ordinary sorted sets, their score being the 52-bit interleaved geohash of
//! the point ([`hash`]); GEOADD is ZADD with computed scores and the searches read score
//! ranges, both through the sorted set family ([`super::sorted_sets`]). Semantics, argument
//! parsing order, error texts and reply shapes follow Redis 7.2's `src/geo.c` and the command
//! pages under <https://redis.io/commands/>:
//!
//! - coordinates (GEOPOS, WITHCOORD) are [`Reply::HumanDouble`]: `%.17Lf` trimmed, a bulk
//!   string in RESP2 and a `,` double in RESP3 (`addReplyHumanLongDouble`);
//! - distances (GEODIST, WITHDIST) are bulk strings with 4 decimals in both protocols
//!   (`addReplyDoubleDistance`);
//! - WITHHASH gives the score as an integer.

pub mod hash;

use self::hash::{Shape, ShapeKind};
use super::sorted_sets::{self, read_zset, store_result};
use crate::args;
use crate::context::Ctx;
use crate::errors::CommandError;
use crate::spec::{
    acl, docflags, flags, keyflags, Arg, BeginSearch, CommandSpec, FindKeys, Group, KeySpec,
};
use bytes::Bytes;
use ferrodis_keyspace::num;
use ferrodis_keyspace::types::zset::{AddFlags, ScoreRange, ZSet};
use ferrodis_resp::Reply;

/// Parses a longitude/latitude pair (`extractLongLatOrReply`): `ERR value is not a valid
/// float`, or `ERR invalid longitude,latitude pair <lon>,<lat>` (`%f`) outside
/// -180..180 / -85.05112878..85.05112878.
fn parse_lon_lat(lon: &[u8], lat: &[u8]) -> Result<(f64, f64), CommandError> {
    let lon = args::float(lon)?;
    let lat = args::float(lat)?;
    if !(hash::LONG_MIN..=hash::LONG_MAX).contains(&lon)
        || !(hash::LAT_MIN..=hash::LAT_MAX).contains(&lat)
    {
        return Err(CommandError::custom(format!(
            "ERR invalid longitude,latitude pair {lon:.6},{lat:.6}"
        )));
    }
    Ok((lon, lat))
}

/// Meters per unit (`extractUnitOrReply`, case-insensitive): `m`, `km`, `ft`, `mi`, else
/// `ERR unsupported unit provided. please use M, KM, FT, MI`.
fn parse_unit(unit: &[u8]) -> Result<f64, CommandError> {
    if args::is(unit, "m") {
        Ok(1.0)
    } else if args::is(unit, "km") {
        Ok(1000.0)
    } else if args::is(unit, "ft") {
        Ok(0.3048)
    } else if args::is(unit, "mi") {
        Ok(1609.34)
    } else {
        Err(CommandError::custom("ERR unsupported unit provided. please use M, KM, FT, MI"))
    }
}

/// A double with a command-specific error text (`getDoubleFromObjectOrReply` with a message).
fn float_or(arg: &[u8], msg: &'static str) -> Result<f64, CommandError> {
    num::parse_f64(arg).ok_or_else(|| CommandError::custom(msg))
}

/// `radius unit` (`extractDistanceOrReply`): the radius in the unit and the unit's meters.
fn parse_radius(radius: &[u8], unit: &[u8]) -> Result<(f64, f64), CommandError> {
    let r = float_or(radius, "ERR need numeric radius")?;
    if r < 0.0 {
        return Err(CommandError::custom("ERR radius cannot be negative"));
    }
    Ok((r, parse_unit(unit)?))
}

/// `width height unit` (`extractBoxOrReply`).
fn parse_box(width: &[u8], height: &[u8], unit: &[u8]) -> Result<(f64, f64, f64), CommandError> {
    let w = float_or(width, "ERR need numeric width")?;
    let h = float_or(height, "ERR need numeric height")?;
    if h < 0.0 || w < 0.0 {
        return Err(CommandError::custom("ERR height or width cannot be negative"));
    }
    Ok((w, h, parse_unit(unit)?))
}

/// A point's coordinates as a two-element array of human doubles.
fn coord_reply(lon: f64, lat: f64) -> Reply {
    Reply::Array(vec![Reply::HumanDouble(lon), Reply::HumanDouble(lat)])
}

/// A distance as a 4-decimal bulk string.
fn dist_reply(d: f64) -> Reply {
    Reply::Bulk(Bytes::from(hash::format_distance(d)))
}

// ---------------------------------------------------------------------------------------------
// GEOADD

/// GEOADD key [NX|XX] [CH] longitude latitude member [longitude latitude member ...]
///
/// Integer: members added (with CH: added or moved). Errors, in Redis's order: `ERR syntax
/// error` (options not followed by triples, or NX with XX), `ERR value is not a valid float`,
/// `ERR invalid longitude,latitude pair ...`, then ZADD's (`WRONGTYPE`). Follows
/// `geoaddCommand`: the triples become `ZADD key [options] score member ...` with the 52-bit
/// geohash scores, run by the sorted set family's ZADD.
pub fn geoadd(ctx: &mut Ctx<'_>, argv: &[Bytes]) -> Result<Reply, CommandError> {
    let (mut nx, mut xx) = (false, false);
    let mut longidx = 2;
    while longidx < argv.len() {
        let opt = &argv[longidx];
        if args::is(opt, "nx") {
            nx = true;
        } else if args::is(opt, "xx") {
            xx = true;
        } else if !args::is(opt, "ch") {
            break;
        }
        longidx += 1;
    }
    if !(argv.len() - longidx).is_multiple_of(3) || (nx && xx) {
        return Err(CommandError::Syntax);
    }
    let mut zargv: Vec<Bytes> = Vec::with_capacity(longidx + (argv.len() - longidx) / 3 * 2);
    zargv.push(Bytes::from_static(b"zadd"));
    zargv.extend_from_slice(&argv[1..longidx]);
    for triple in argv[longidx..].chunks(3) {
        let (lon, lat) = parse_lon_lat(&triple[0], &triple[1])?;
        let score = hash::score_of(lon, lat).unwrap_or(0);
        zargv.push(Bytes::copy_from_slice(itoa::Buffer::new().format(score).as_bytes()));
        zargv.push(triple[2].clone());
    }
    sorted_sets::zadd(ctx, &zargv)
}

// ---------------------------------------------------------------------------------------------
// GEOPOS, GEODIST, GEOHASH

/// GEOPOS key [member ...]
///
/// Array with one entry per member: `[longitude, latitude]` (human doubles) or a null array
/// for a missing member (all null for a missing key). Errors: `WRONGTYPE`. Follows
/// `geoposCommand`.
pub fn geopos(ctx: &mut Ctx<'_>, argv: &[Bytes]) -> Result<Reply, CommandError> {
    let now = ctx.now_ms;
    let db = ctx.db(&argv[1])?;
    let z = read_zset(db, &argv[1], now)?;
    let out = argv[2..]
        .iter()
        .map(|m| {
            z.and_then(|z| z.score(m))
                .and_then(hash::decode_score)
                .map_or(Reply::NullArray, |(lon, lat)| coord_reply(lon, lat))
        })
        .collect();
    Ok(Reply::Array(out))
}

/// GEODIST key member1 member2 [M|KM|FT|MI]
///
/// Bulk string: the distance with 4 decimals in the unit (meters by default); null when the
/// key or a member is missing. Errors: `ERR syntax error` (more than one unit argument),
/// `ERR unsupported unit provided. please use M, KM, FT, MI` (both before the key is looked
/// up), `WRONGTYPE`. Follows `geodistCommand`.
pub fn geodist(ctx: &mut Ctx<'_>, argv: &[Bytes]) -> Result<Reply, CommandError> {
    let to_meter = match argv.len() {
        5 => parse_unit(&argv[4])?,
        n if n > 5 => return Err(CommandError::Syntax),
        _ => 1.0,
    };
    let now = ctx.now_ms;
    let db = ctx.db(&argv[1])?;
    let Some(z) = read_zset(db, &argv[1], now)? else { return Ok(Reply::Null) };
    let (Some(s1), Some(s2)) = (z.score(&argv[2]), z.score(&argv[3])) else {
        return Ok(Reply::Null);
    };
    match (hash::decode_score(s1), hash::decode_score(s2)) {
        (Some(a), Some(b)) => Ok(dist_reply(hash::distance(a.0, a.1, b.0, b.1) / to_meter)),
        _ => Ok(Reply::Null),
    }
}

/// GEOHASH key [member ...]
///
/// Array of 11-character standard geohash strings, null for missing members (all null for a
/// missing key). Errors: `WRONGTYPE`. Follows `geohashCommand`.
pub fn geohash(ctx: &mut Ctx<'_>, argv: &[Bytes]) -> Result<Reply, CommandError> {
    let now = ctx.now_ms;
    let db = ctx.db(&argv[1])?;
    let z = read_zset(db, &argv[1], now)?;
    let out = argv[2..]
        .iter()
        .map(|m| {
            z.and_then(|z| z.score(m))
                .and_then(hash::geohash_string)
                .map_or(Reply::Null, |s| Reply::Bulk(Bytes::copy_from_slice(&s)))
        })
        .collect();
    Ok(Reply::Array(out))
}

// ---------------------------------------------------------------------------------------------
// Searches

/// Which search command runs (`georadiusGeneric`'s flags).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Command {
    /// GEORADIUS / GEORADIUS_RO (`RADIUS_COORDS`).
    Radius { store: bool },
    /// GEORADIUSBYMEMBER / GEORADIUSBYMEMBER_RO (`RADIUS_MEMBER`).
    RadiusByMember { store: bool },
    /// GEOSEARCH.
    GeoSearch,
    /// GEOSEARCHSTORE.
    GeoSearchStore,
}

/// Result ordering.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Sort {
    None,
    Asc,
    Desc,
}

/// One point found by a search (`geoPoint`).
struct Point {
    lon: f64,
    lat: f64,
    /// Meters from the centre (divided by the unit's meters before output).
    dist: f64,
    score: f64,
    member: Vec<u8>,
}

/// The points of `z` inside `shape` (`membersOfAllNeighbors` over the boxes of
/// [`hash::search_boxes`]), stopping once `limit` points are found when it is not 0 (ANY).
fn points_in_shape(z: &ZSet, shape: &Shape, limit: usize) -> Vec<Point> {
    let boxes = hash::search_boxes(shape);
    let mut out: Vec<Point> = Vec::new();
    let mut last: Option<usize> = None;
    for (i, b) in boxes.iter().enumerate() {
        if b.is_zero() {
            continue;
        }
        // Adjacent neighbours can be the same box with huge radii: skip repeats.
        if let Some(l) = last {
            if l != 0 && boxes[l] == *b {
                continue;
            }
        }
        if limit != 0 && out.len() >= limit {
            break;
        }
        let (min, max) = hash::score_range_of_box(*b);
        let range = ScoreRange { min: min as f64, max: max as f64, minex: false, maxex: true };
        let (lo, hi) = z.score_ranks(&range);
        let mut full = false;
        z.walk(lo, hi - lo, false, |m, score| {
            if full {
                return;
            }
            if let Some(((lon, lat), dist)) = hash::within_shape(shape, score) {
                out.push(Point { lon, lat, dist, score, member: m.to_vec() });
            }
            if limit != 0 && out.len() >= limit {
                full = true;
            }
        });
        last = Some(i);
    }
    out
}

/// GEORADIUS, GEORADIUSBYMEMBER, their `_RO` forms, GEOSEARCH and GEOSEARCHSTORE
/// (`georadiusGeneric`): looks the source key up (WRONGTYPE first), parses the options in
/// Redis's order and with its errors, searches, sorts, then replies or stores.
fn georadius_generic(
    ctx: &mut Ctx<'_>,
    argv: &[Bytes],
    src_idx: usize,
    kind: Command,
) -> Result<Reply, CommandError> {
    let now = ctx.now_ms;
    let is_search = matches!(kind, Command::GeoSearch | Command::GeoSearchStore);
    let src = &argv[src_idx];
    let db = ctx.db(src)?;
    let z = read_zset(db, src, now)?;

    let mut storekey: Option<&Bytes> = None;
    let mut storedist = false;
    let mut center = (0.0, 0.0);
    let mut size = ShapeKind::Circle { radius: 0.0 };
    let mut conversion = 1.0;
    let base_args = match kind {
        Command::Radius { .. } => {
            center = parse_lon_lat(&argv[2], &argv[3])?;
            let (r, c) = parse_radius(&argv[4], &argv[5])?;
            size = ShapeKind::Circle { radius: r };
            conversion = c;
            6
        }
        Command::RadiusByMember { .. } => {
            if let Some(z) = z {
                center = z.score(&argv[2]).and_then(hash::decode_score).ok_or_else(|| {
                    CommandError::custom("ERR could not decode requested zset member")
                })?;
                let (r, c) = parse_radius(&argv[3], &argv[4])?;
                size = ShapeKind::Circle { radius: r };
                conversion = c;
            }
            5
        }
        Command::GeoSearch => 2,
        Command::GeoSearchStore => {
            storekey = Some(&argv[1]);
            3
        }
    };
    let can_store =
        matches!(kind, Command::Radius { store: true } | Command::RadiusByMember { store: true });

    let (mut withdist, mut withhash, mut withcoords) = (false, false, false);
    let (mut frommember, mut fromloc, mut byradius, mut bybox) = (false, false, false, false);
    let mut sort = Sort::None;
    let mut any = false;
    let mut count: i64 = 0;
    let rest = &argv[base_args.min(argv.len())..];
    let remaining = rest.len();
    let mut i = 0;
    while i < remaining {
        let arg = &rest[i];
        if args::is(arg, "withdist") {
            withdist = true;
        } else if args::is(arg, "withhash") {
            withhash = true;
        } else if args::is(arg, "withcoord") {
            withcoords = true;
        } else if args::is(arg, "any") {
            any = true;
        } else if args::is(arg, "asc") {
            sort = Sort::Asc;
        } else if args::is(arg, "desc") {
            sort = Sort::Desc;
        } else if args::is(arg, "count") && i + 1 < remaining {
            count = args::int(&rest[i + 1])?;
            if count <= 0 {
                return Err(CommandError::custom("ERR COUNT must be > 0"));
            }
            i += 1;
        } else if args::is(arg, "store") && i + 1 < remaining && can_store {
            storekey = Some(&rest[i + 1]);
            storedist = false;
            i += 1;
        } else if args::is(arg, "storedist") && i + 1 < remaining && can_store {
            storekey = Some(&rest[i + 1]);
            storedist = true;
            i += 1;
        } else if args::is(arg, "storedist") && kind == Command::GeoSearchStore {
            storedist = true;
        } else if args::is(arg, "frommember") && i + 1 < remaining && is_search && !fromloc {
            if let Some(z) = z {
                center = z.score(&rest[i + 1]).and_then(hash::decode_score).ok_or_else(|| {
                    CommandError::custom("ERR could not decode requested zset member")
                })?;
            }
            frommember = true;
            i += 1;
        } else if args::is(arg, "fromlonlat") && i + 2 < remaining && is_search && !frommember {
            center = parse_lon_lat(&rest[i + 1], &rest[i + 2])?;
            fromloc = true;
            i += 2;
        } else if args::is(arg, "byradius") && i + 2 < remaining && is_search && !bybox {
            let (r, c) = parse_radius(&rest[i + 1], &rest[i + 2])?;
            size = ShapeKind::Circle { radius: r };
            conversion = c;
            byradius = true;
            i += 2;
        } else if args::is(arg, "bybox") && i + 3 < remaining && is_search && !byradius {
            let (w, h, c) = parse_box(&rest[i + 1], &rest[i + 2], &rest[i + 3])?;
            size = ShapeKind::Box { width: w, height: h };
            conversion = c;
            bybox = true;
            i += 3;
        } else {
            return Err(CommandError::Syntax);
        }
        i += 1;
    }

    if storekey.is_some() && (withdist || withhash || withcoords) {
        return Err(CommandError::custom(if kind == Command::GeoSearchStore {
            "ERR GEOSEARCHSTORE is not compatible with WITHDIST, WITHHASH and WITHCOORD options"
        } else {
            "ERR STORE option in GEORADIUS is not compatible with WITHDIST, WITHHASH and WITHCOORD options"
        }));
    }
    let name = String::from_utf8_lossy(&argv[0]);
    if is_search && !(frommember || fromloc) {
        return Err(CommandError::custom(format!(
            "ERR exactly one of FROMMEMBER or FROMLONLAT can be specified for {name}"
        )));
    }
    if is_search && !(byradius || bybox) {
        return Err(CommandError::custom(format!(
            "ERR exactly one of BYRADIUS and BYBOX can be specified for {name}"
        )));
    }
    if any && count == 0 {
        return Err(CommandError::custom("ERR the ANY argument requires COUNT argument"));
    }

    let Some(z) = z else {
        return match storekey {
            Some(dst) => {
                let db_index = ctx.client.db;
                if ctx.db(dst)?.remove(dst, now).is_some() {
                    ctx.signal_modified(db_index, dst);
                    ctx.notify(crate::notify::NOTIFY_GENERIC, "del", db_index, dst);
                }
                Ok(Reply::Integer(0))
            }
            None => Ok(Reply::Array(Vec::new())),
        };
    };
    if count != 0 && sort == Sort::None && !any {
        sort = Sort::Asc;
    }
    let shape = Shape { lon: center.0, lat: center.1, conversion, kind: size };
    let limit = if any { count as usize } else { 0 };
    let mut points = points_in_shape(z, &shape, limit);
    if points.is_empty() && storekey.is_none() {
        return Ok(Reply::Array(Vec::new()));
    }
    let returned = if count == 0 { points.len() } else { points.len().min(count as usize) };
    if sort != Sort::None {
        // sort_gp_asc / sort_gp_desc.
        let sign = if sort == Sort::Asc { 1 } else { -1 };
        let cmp = |a: &Point, b: &Point| {
            sign * if a.dist > b.dist {
                1
            } else if a.dist == b.dist {
                0
            } else {
                -1
            }
        };
        if returned == points.len() {
            // qsort: glibc's merge sort, stable, so equal distances keep the scan order.
            points.sort_by(|a, b| cmp(a, b).cmp(&0));
        } else {
            hash::pqsort(&mut points, &cmp, 0, returned - 1);
        }
    }
    points.truncate(returned);

    let Some(dst) = storekey else {
        let options = usize::from(withdist) + usize::from(withhash) + usize::from(withcoords);
        let out = points
            .into_iter()
            .map(|p| {
                let member = Reply::Bulk(Bytes::from(p.member));
                if options == 0 {
                    return member;
                }
                let mut item = Vec::with_capacity(options + 1);
                item.push(member);
                if withdist {
                    item.push(dist_reply(p.dist / conversion));
                }
                if withhash {
                    item.push(Reply::Integer(p.score as i64));
                }
                if withcoords {
                    item.push(coord_reply(p.lon, p.lat));
                }
                Reply::Array(item)
            })
            .collect();
        return Ok(Reply::Array(out));
    };

    let limits = sorted_sets::limits(ctx);
    let mut out = ZSet::new_skiplist();
    let mut maxelelen = 0;
    for p in &points {
        let score = if storedist { p.dist / conversion } else { p.score };
        maxelelen = maxelelen.max(p.member.len());
        let _ = out.add(&p.member, score, AddFlags::default(), &limits);
    }
    out.convert_to_listpack_if_needed(maxelelen, &limits);
    let dst = dst.clone();
    let event = match kind {
        Command::GeoSearchStore => "geosearchstore",
        _ => "georadiusstore",
    };
    let reply = store_result(ctx, &dst, out, event)?;
    if returned > 1 {
        ctx.add_dirty(returned as u64 - 1);
    }
    Ok(reply)
}

/// GEORADIUS key longitude latitude radius M|KM|FT|MI [WITHCOORD] [WITHDIST] [WITHHASH]
/// [COUNT count [ANY]] [ASC|DESC] [STORE key|STOREDIST key]
///
/// Array of members, or of `[member, dist?, hash?, [lon, lat]?]` arrays with the WITH
/// options; with STORE/STOREDIST the integer number of members stored (scores are the
/// geohashes, or the distances in the unit). Errors: `WRONGTYPE`, float and coordinate
/// errors, `ERR need numeric radius`, `ERR radius cannot be negative`, the unit error,
/// `ERR syntax error`, `ERR COUNT must be > 0`, `ERR STORE option in GEORADIUS is not
/// compatible with WITHDIST, WITHHASH and WITHCOORD options`, `ERR the ANY argument requires
/// COUNT argument`. Deprecated since 6.2.0 (GEOSEARCH / GEOSEARCHSTORE).
pub fn georadius(ctx: &mut Ctx<'_>, argv: &[Bytes]) -> Result<Reply, CommandError> {
    georadius_generic(ctx, argv, 1, Command::Radius { store: true })
}

/// GEORADIUS_RO: GEORADIUS without STORE/STOREDIST (which are syntax errors here).
pub fn georadius_ro(ctx: &mut Ctx<'_>, argv: &[Bytes]) -> Result<Reply, CommandError> {
    georadius_generic(ctx, argv, 1, Command::Radius { store: false })
}

/// GEORADIUSBYMEMBER key member radius M|KM|FT|MI [options as GEORADIUS]
///
/// As GEORADIUS around an existing member; `ERR could not decode requested zset member` when
/// it is missing. With a missing key the radius is not parsed and the reply is empty (0 with
/// STORE, the destination deleted).
pub fn georadiusbymember(ctx: &mut Ctx<'_>, argv: &[Bytes]) -> Result<Reply, CommandError> {
    georadius_generic(ctx, argv, 1, Command::RadiusByMember { store: true })
}

/// GEORADIUSBYMEMBER_RO: GEORADIUSBYMEMBER without STORE/STOREDIST.
pub fn georadiusbymember_ro(ctx: &mut Ctx<'_>, argv: &[Bytes]) -> Result<Reply, CommandError> {
    georadius_generic(ctx, argv, 1, Command::RadiusByMember { store: false })
}

/// GEOSEARCH key FROMMEMBER member|FROMLONLAT longitude latitude BYRADIUS radius
/// M|KM|FT|MI|BYBOX width height M|KM|FT|MI [ASC|DESC] [COUNT count [ANY]] [WITHCOORD]
/// [WITHDIST] [WITHHASH]
///
/// Reply as GEORADIUS. Extra errors: `ERR exactly one of FROMMEMBER or FROMLONLAT can be
/// specified for <command>`, `ERR exactly one of BYRADIUS and BYBOX can be specified for
/// <command>` (the command name as the client typed it), `ERR need numeric width|height`,
/// `ERR height or width cannot be negative`.
pub fn geosearch(ctx: &mut Ctx<'_>, argv: &[Bytes]) -> Result<Reply, CommandError> {
    georadius_generic(ctx, argv, 1, Command::GeoSearch)
}

/// GEOSEARCHSTORE destination source (GEOSEARCH's options, without WITH*) [STOREDIST]
///
/// Integer: the number of points stored at `destination` (replaced, TTL cleared; deleted when
/// nothing matches). Errors as GEOSEARCH, and `ERR GEOSEARCHSTORE is not compatible with
/// WITHDIST, WITHHASH and WITHCOORD options`.
pub fn geosearchstore(ctx: &mut Ctx<'_>, argv: &[Bytes]) -> Result<Reply, CommandError> {
    georadius_generic(ctx, argv, 2, Command::GeoSearchStore)
}

/// Every argument that follows a STORE or STOREDIST token from index 5 on: the destinations
/// GEORADIUS / GEORADIUSBYMEMBER may write (the last one wins, as in Redis's
/// `georadiusGetKeys`), for dispatch to lock. The key specs find only the first of each
/// keyword, which is also what COMMAND GETKEYS reports.
pub fn georadius_lock_keys(argv: &[Bytes]) -> Vec<(usize, u32)> {
    (5..argv.len().saturating_sub(1))
        .filter(|&i| args::is(&argv[i], "store") || args::is(&argv[i], "storedist"))
        .map(|i| (i + 1, keyflags::OW | keyflags::UPDATE))
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Specs

const RW_UPDATE: &[KeySpec] = &[KeySpec::single(1, keyflags::RW | keyflags::UPDATE)];
const RO_ACCESS: &[KeySpec] = &[KeySpec::single(1, keyflags::RO | keyflags::ACCESS)];
const SEARCHSTORE_KEYS: &[KeySpec] = &[
    KeySpec::single(1, keyflags::OW | keyflags::UPDATE),
    KeySpec::single(2, keyflags::RO | keyflags::ACCESS),
];

/// The source key at 1, and the destinations after the STORE / STOREDIST keywords searched
/// from `startfrom` (GEORADIUS: 6, GEORADIUSBYMEMBER: 5), as Redis 7.2's key specs.
const fn radius_store_keys(startfrom: i32) -> [KeySpec; 3] {
    [
        KeySpec::single(1, keyflags::RO | keyflags::ACCESS),
        KeySpec {
            flags: keyflags::OW | keyflags::UPDATE,
            notes: None,
            begin: BeginSearch::Keyword { keyword: "STORE", startfrom },
            find: FindKeys::Range { lastkey: 0, keystep: 1, limit: 0 },
        },
        KeySpec {
            flags: keyflags::OW | keyflags::UPDATE,
            notes: None,
            begin: BeginSearch::Keyword { keyword: "STOREDIST", startfrom },
            find: FindKeys::Range { lastkey: 0, keystep: 1, limit: 0 },
        },
    ]
}
const GEORADIUS_KEYS: &[KeySpec] = &radius_store_keys(6);
const GEORADIUSBYMEMBER_KEYS: &[KeySpec] = &radius_store_keys(5);

const W: u64 = flags::WRITE;
const R: u64 = flags::READONLY;

macro_rules! gspec {
    ($name:literal, $handler:ident, $arity:expr, $flags:expr, $keys:expr, $since:literal, $summary:literal, $complexity:literal) => {
        CommandSpec {
            name: $name,
            arity: $arity,
            flags: $flags,
            acl: acl::GEO,
            keys: $keys,
            group: Group::Geo,
            since: $since,
            summary: $summary,
            complexity: $complexity,
            handler: Some($handler),
            ..CommandSpec::DEFAULT
        }
    };
}

/// Adds COMMAND DOCS arguments and history to a spec.
const fn with_docs(
    mut spec: CommandSpec,
    arguments: &'static [Arg],
    history: &'static [(&'static str, &'static str)],
) -> CommandSpec {
    spec.arguments = arguments;
    spec.history = history;
    spec
}

/// Adds the STORE / STOREDIST destinations to what dispatch locks ([`georadius_lock_keys`]).
const fn store_locks(mut spec: CommandSpec) -> CommandSpec {
    spec.lock_keys = Some(georadius_lock_keys);
    spec
}

/// Marks a spec deprecated since 6.2.0, naming its replacement.
const fn deprecated(mut spec: CommandSpec, replaced_by: &'static str) -> CommandSpec {
    spec.doc_flags = docflags::DEPRECATED;
    spec.deprecated_since = Some("6.2.0");
    spec.replaced_by = Some(replaced_by);
    spec
}

/// The geospatial commands.
pub static SPECS: &[CommandSpec] = &[
    with_docs(gspec!("geoadd", geoadd, -5, W | flags::DENYOOM, RW_UPDATE, "3.2.0",
        "Adds members with their longitude and latitude to a geospatial index (a sorted set), creating the key when needed.",
        "O(log(N)) for each item added, where N is the number of elements in the sorted set."), docs::GEOADD, docs::GEOADD_HISTORY),
    with_docs(gspec!("geopos", geopos, -2, R, RO_ACCESS, "3.2.0",
        "Gives the longitude and latitude of members of a geospatial index.",
        "O(1) for each member requested."), docs::GEOPOS, &[]),
    with_docs(gspec!("geodist", geodist, -4, R, RO_ACCESS, "3.2.0",
        "Gives the distance between two members of a geospatial index.",
        "O(1)"), docs::GEODIST, &[]),
    with_docs(gspec!("geohash", geohash, -2, R, RO_ACCESS, "3.2.0",
        "Gives the standard geohash strings of members of a geospatial index.",
        "O(1) for each member requested."), docs::GEOHASH, &[]),
    with_docs(gspec!("geosearch", geosearch, -7, R, RO_ACCESS, "6.2.0",
        "Finds the members of a geospatial index within a circle or a box around a member or a point.",
        "O(N+log(M)) where N is the number of elements in the grid-aligned bounding box area around the shape provided as the filter and M is the number of items inside the shape"), docs::GEOSEARCH, docs::GEOSEARCH_HISTORY),
    with_docs(gspec!("geosearchstore", geosearchstore, -8, W | flags::DENYOOM, SEARCHSTORE_KEYS, "6.2.0",
        "Stores the members of a geospatial index found within a circle or a box into another key.",
        "O(N+log(M)) where N is the number of elements in the grid-aligned bounding box area around the shape provided as the filter and M is the number of items inside the shape"), docs::GEOSEARCHSTORE, docs::GEOSEARCH_HISTORY),
    deprecated(store_locks(with_docs(gspec!("georadius", georadius, -6, W | flags::DENYOOM | flags::MOVABLE_KEYS, GEORADIUS_KEYS, "3.2.0",
        "Finds the members of a geospatial index within a radius of a point, optionally storing them.",
        "O(N+log(M)) where N is the number of elements inside the bounding box of the circular area delimited by center and radius and M is the number of items inside the index."), docs::GEORADIUS, docs::GEORADIUS_HISTORY)),
        "`GEOSEARCH` and `GEOSEARCHSTORE` with the `BYRADIUS` argument"),
    deprecated(with_docs(gspec!("georadius_ro", georadius_ro, -6, R, RO_ACCESS, "3.2.10",
        "Finds the members of a geospatial index within a radius of a point.",
        "O(N+log(M)) where N is the number of elements inside the bounding box of the circular area delimited by center and radius and M is the number of items inside the index."), docs::GEORADIUS_RO, docs::GEORADIUS_RO_HISTORY),
        "`GEOSEARCH` with the `BYRADIUS` argument"),
    deprecated(store_locks(with_docs(gspec!("georadiusbymember", georadiusbymember, -5, W | flags::DENYOOM | flags::MOVABLE_KEYS, GEORADIUSBYMEMBER_KEYS, "3.2.0",
        "Finds the members of a geospatial index within a radius of one of its members, optionally storing them.",
        "O(N+log(M)) where N is the number of elements inside the bounding box of the circular area delimited by center and radius and M is the number of items inside the index."), docs::GEORADIUSBYMEMBER, docs::GEORADIUSBYMEMBER_HISTORY)),
        "`GEOSEARCH` and `GEOSEARCHSTORE` with the `BYRADIUS` and `FROMMEMBER` arguments"),
    deprecated(with_docs(gspec!("georadiusbymember_ro", georadiusbymember_ro, -5, R, RO_ACCESS, "3.2.10",
        "Finds the members of a geospatial index within a radius of one of its members.",
        "O(N+log(M)) where N is the number of elements inside the bounding box of the circular area delimited by center and radius and M is the number of items inside the index."), docs::GEORADIUSBYMEMBER_RO, &[]),
        "`GEOSEARCH` with the `BYRADIUS` and `FROMMEMBER` arguments"),
];

/// COMMAND DOCS arguments and history of the GEO commands (argument structure as Redis 7.2's
/// `src/commands/geo*.json`; the history notes are our own words).
mod docs {
    use crate::spec::{argflags, Arg, ArgType};

    /// GEOADD's arguments.
    pub(crate) const GEOADD: &[Arg] = &[
        Arg { name: "key", kind: ArgType::Key, key_spec_index: Some(0), ..Arg::DEFAULT },
        Arg {
            name: "condition",
            kind: ArgType::OneOf,
            since: Some("6.2.0"),
            flags: argflags::OPTIONAL,
            arguments: &[
                Arg { name: "nx", kind: ArgType::PureToken, token: Some("NX"), ..Arg::DEFAULT },
                Arg { name: "xx", kind: ArgType::PureToken, token: Some("XX"), ..Arg::DEFAULT },
            ],
            ..Arg::DEFAULT
        },
        Arg {
            name: "change",
            kind: ArgType::PureToken,
            token: Some("CH"),
            since: Some("6.2.0"),
            flags: argflags::OPTIONAL,
            ..Arg::DEFAULT
        },
        Arg {
            name: "longitude_latitude_member",
            kind: ArgType::Block,
            flags: argflags::MULTIPLE,
            arguments: &[
                Arg { name: "longitude", kind: ArgType::Double, ..Arg::DEFAULT },
                Arg { name: "latitude", kind: ArgType::Double, ..Arg::DEFAULT },
                Arg { name: "member", kind: ArgType::String, ..Arg::DEFAULT },
            ],
            ..Arg::DEFAULT
        },
    ];
    /// GEOPOS's arguments.
    pub(crate) const GEOPOS: &[Arg] = &[
        Arg { name: "key", kind: ArgType::Key, key_spec_index: Some(0), ..Arg::DEFAULT },
        Arg { name: "member", kind: ArgType::String, flags: argflags::MULTIPLE, ..Arg::DEFAULT },
    ];
    /// GEODIST's arguments.
    pub(crate) const GEODIST: &[Arg] = &[
        Arg { name: "key", kind: ArgType::Key, key_spec_index: Some(0), ..Arg::DEFAULT },
        Arg { name: "member1", kind: ArgType::String, ..Arg::DEFAULT },
        Arg { name: "member2", kind: ArgType::String, ..Arg::DEFAULT },
        Arg {
            name: "unit",
            kind: ArgType::OneOf,
            flags: argflags::OPTIONAL,
            arguments: &[
                Arg { name: "m", kind: ArgType::PureToken, token: Some("M"), ..Arg::DEFAULT },
                Arg { name: "km", kind: ArgType::PureToken, token: Some("KM"), ..Arg::DEFAULT },
                Arg { name: "ft", kind: ArgType::PureToken, token: Some("FT"), ..Arg::DEFAULT },
                Arg { name: "mi", kind: ArgType::PureToken, token: Some("MI"), ..Arg::DEFAULT },
            ],
            ..Arg::DEFAULT
        },
    ];
    /// GEOHASH's arguments.
    pub(crate) const GEOHASH: &[Arg] = &[
        Arg { name: "key", kind: ArgType::Key, key_spec_index: Some(0), ..Arg::DEFAULT },
        Arg { name: "member", kind: ArgType::String, flags: argflags::MULTIPLE, ..Arg::DEFAULT },
    ];
    /// GEOSEARCH's and GEOSEARCHSTORE's `from` argument.
    const SEARCH_FROM: Arg = Arg {
        name: "from",
        kind: ArgType::OneOf,
        arguments: &[
            Arg {
                name: "member",
                kind: ArgType::String,
                token: Some("FROMMEMBER"),
                ..Arg::DEFAULT
            },
            Arg {
                name: "longitude_latitude",
                kind: ArgType::Block,
                token: Some("FROMLONLAT"),
                arguments: &[
                    Arg { name: "longitude", kind: ArgType::Double, ..Arg::DEFAULT },
                    Arg { name: "latitude", kind: ArgType::Double, ..Arg::DEFAULT },
                ],
                ..Arg::DEFAULT
            },
        ],
        ..Arg::DEFAULT
    };
    /// GEOSEARCH's and GEOSEARCHSTORE's `by` argument.
    const SEARCH_BY: Arg = Arg {
        name: "by",
        kind: ArgType::OneOf,
        arguments: &[
            Arg {
                name: "circle",
                kind: ArgType::Block,
                arguments: &[
                    Arg {
                        name: "radius",
                        kind: ArgType::Double,
                        token: Some("BYRADIUS"),
                        ..Arg::DEFAULT
                    },
                    Arg {
                        name: "unit",
                        kind: ArgType::OneOf,
                        arguments: &[
                            Arg {
                                name: "m",
                                kind: ArgType::PureToken,
                                token: Some("M"),
                                ..Arg::DEFAULT
                            },
                            Arg {
                                name: "km",
                                kind: ArgType::PureToken,
                                token: Some("KM"),
                                ..Arg::DEFAULT
                            },
                            Arg {
                                name: "ft",
                                kind: ArgType::PureToken,
                                token: Some("FT"),
                                ..Arg::DEFAULT
                            },
                            Arg {
                                name: "mi",
                                kind: ArgType::PureToken,
                                token: Some("MI"),
                                ..Arg::DEFAULT
                            },
                        ],
                        ..Arg::DEFAULT
                    },
                ],
                ..Arg::DEFAULT
            },
            Arg {
                name: "box",
                kind: ArgType::Block,
                arguments: &[
                    Arg {
                        name: "width",
                        kind: ArgType::Double,
                        token: Some("BYBOX"),
                        ..Arg::DEFAULT
                    },
                    Arg { name: "height", kind: ArgType::Double, ..Arg::DEFAULT },
                    Arg {
                        name: "unit",
                        kind: ArgType::OneOf,
                        arguments: &[
                            Arg {
                                name: "m",
                                kind: ArgType::PureToken,
                                token: Some("M"),
                                ..Arg::DEFAULT
                            },
                            Arg {
                                name: "km",
                                kind: ArgType::PureToken,
                                token: Some("KM"),
                                ..Arg::DEFAULT
                            },
                            Arg {
                                name: "ft",
                                kind: ArgType::PureToken,
                                token: Some("FT"),
                                ..Arg::DEFAULT
                            },
                            Arg {
                                name: "mi",
                                kind: ArgType::PureToken,
                                token: Some("MI"),
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
    };
    /// GEOSEARCH's and GEOSEARCHSTORE's `order` argument.
    const SEARCH_ORDER: Arg = Arg {
        name: "order",
        kind: ArgType::OneOf,
        flags: argflags::OPTIONAL,
        arguments: &[
            Arg { name: "asc", kind: ArgType::PureToken, token: Some("ASC"), ..Arg::DEFAULT },
            Arg { name: "desc", kind: ArgType::PureToken, token: Some("DESC"), ..Arg::DEFAULT },
        ],
        ..Arg::DEFAULT
    };
    /// GEOSEARCH's and GEOSEARCHSTORE's `count` argument.
    const SEARCH_COUNT: Arg = Arg {
        name: "count",
        kind: ArgType::Block,
        flags: argflags::OPTIONAL,
        arguments: &[
            Arg { name: "count", kind: ArgType::Integer, token: Some("COUNT"), ..Arg::DEFAULT },
            Arg {
                name: "any",
                kind: ArgType::PureToken,
                token: Some("ANY"),
                flags: argflags::OPTIONAL,
                ..Arg::DEFAULT
            },
        ],
        ..Arg::DEFAULT
    };
    /// GEOSEARCH's arguments.
    pub(crate) const GEOSEARCH: &[Arg] = &[
        Arg { name: "key", kind: ArgType::Key, key_spec_index: Some(0), ..Arg::DEFAULT },
        SEARCH_FROM,
        SEARCH_BY,
        SEARCH_ORDER,
        SEARCH_COUNT,
        Arg {
            name: "withcoord",
            kind: ArgType::PureToken,
            token: Some("WITHCOORD"),
            flags: argflags::OPTIONAL,
            ..Arg::DEFAULT
        },
        Arg {
            name: "withdist",
            kind: ArgType::PureToken,
            token: Some("WITHDIST"),
            flags: argflags::OPTIONAL,
            ..Arg::DEFAULT
        },
        Arg {
            name: "withhash",
            kind: ArgType::PureToken,
            token: Some("WITHHASH"),
            flags: argflags::OPTIONAL,
            ..Arg::DEFAULT
        },
    ];
    /// GEOSEARCHSTORE's arguments.
    pub(crate) const GEOSEARCHSTORE: &[Arg] = &[
        Arg { name: "destination", kind: ArgType::Key, key_spec_index: Some(0), ..Arg::DEFAULT },
        Arg { name: "source", kind: ArgType::Key, key_spec_index: Some(1), ..Arg::DEFAULT },
        SEARCH_FROM,
        SEARCH_BY,
        SEARCH_ORDER,
        SEARCH_COUNT,
        Arg {
            name: "storedist",
            kind: ArgType::PureToken,
            token: Some("STOREDIST"),
            flags: argflags::OPTIONAL,
            ..Arg::DEFAULT
        },
    ];
    /// GEORADIUS's arguments.
    pub(crate) const GEORADIUS: &[Arg] = &[
        Arg { name: "key", kind: ArgType::Key, key_spec_index: Some(0), ..Arg::DEFAULT },
        Arg { name: "longitude", kind: ArgType::Double, ..Arg::DEFAULT },
        Arg { name: "latitude", kind: ArgType::Double, ..Arg::DEFAULT },
        Arg { name: "radius", kind: ArgType::Double, ..Arg::DEFAULT },
        Arg {
            name: "unit",
            kind: ArgType::OneOf,
            arguments: &[
                Arg { name: "m", kind: ArgType::PureToken, token: Some("M"), ..Arg::DEFAULT },
                Arg { name: "km", kind: ArgType::PureToken, token: Some("KM"), ..Arg::DEFAULT },
                Arg { name: "ft", kind: ArgType::PureToken, token: Some("FT"), ..Arg::DEFAULT },
                Arg { name: "mi", kind: ArgType::PureToken, token: Some("MI"), ..Arg::DEFAULT },
            ],
            ..Arg::DEFAULT
        },
        Arg {
            name: "withcoord",
            kind: ArgType::PureToken,
            token: Some("WITHCOORD"),
            flags: argflags::OPTIONAL,
            ..Arg::DEFAULT
        },
        Arg {
            name: "withdist",
            kind: ArgType::PureToken,
            token: Some("WITHDIST"),
            flags: argflags::OPTIONAL,
            ..Arg::DEFAULT
        },
        Arg {
            name: "withhash",
            kind: ArgType::PureToken,
            token: Some("WITHHASH"),
            flags: argflags::OPTIONAL,
            ..Arg::DEFAULT
        },
        Arg {
            name: "count",
            kind: ArgType::Block,
            flags: argflags::OPTIONAL,
            arguments: &[
                Arg { name: "count", kind: ArgType::Integer, token: Some("COUNT"), ..Arg::DEFAULT },
                Arg {
                    name: "any",
                    kind: ArgType::PureToken,
                    token: Some("ANY"),
                    since: Some("6.2.0"),
                    flags: argflags::OPTIONAL,
                    ..Arg::DEFAULT
                },
            ],
            ..Arg::DEFAULT
        },
        Arg {
            name: "order",
            kind: ArgType::OneOf,
            flags: argflags::OPTIONAL,
            arguments: &[
                Arg { name: "asc", kind: ArgType::PureToken, token: Some("ASC"), ..Arg::DEFAULT },
                Arg { name: "desc", kind: ArgType::PureToken, token: Some("DESC"), ..Arg::DEFAULT },
            ],
            ..Arg::DEFAULT
        },
        Arg {
            name: "key",
            kind: ArgType::Key,
            key_spec_index: Some(1),
            token: Some("STORE"),
            flags: argflags::OPTIONAL,
            ..Arg::DEFAULT
        },
        Arg {
            name: "key",
            kind: ArgType::Key,
            key_spec_index: Some(2),
            token: Some("STOREDIST"),
            flags: argflags::OPTIONAL,
            ..Arg::DEFAULT
        },
    ];
    /// GEORADIUS_RO's arguments.
    pub(crate) const GEORADIUS_RO: &[Arg] = &[
        Arg { name: "key", kind: ArgType::Key, key_spec_index: Some(0), ..Arg::DEFAULT },
        Arg { name: "longitude", kind: ArgType::Double, ..Arg::DEFAULT },
        Arg { name: "latitude", kind: ArgType::Double, ..Arg::DEFAULT },
        Arg { name: "radius", kind: ArgType::Double, ..Arg::DEFAULT },
        Arg {
            name: "unit",
            kind: ArgType::OneOf,
            arguments: &[
                Arg { name: "m", kind: ArgType::PureToken, token: Some("M"), ..Arg::DEFAULT },
                Arg { name: "km", kind: ArgType::PureToken, token: Some("KM"), ..Arg::DEFAULT },
                Arg { name: "ft", kind: ArgType::PureToken, token: Some("FT"), ..Arg::DEFAULT },
                Arg { name: "mi", kind: ArgType::PureToken, token: Some("MI"), ..Arg::DEFAULT },
            ],
            ..Arg::DEFAULT
        },
        Arg {
            name: "withcoord",
            kind: ArgType::PureToken,
            token: Some("WITHCOORD"),
            flags: argflags::OPTIONAL,
            ..Arg::DEFAULT
        },
        Arg {
            name: "withdist",
            kind: ArgType::PureToken,
            token: Some("WITHDIST"),
            flags: argflags::OPTIONAL,
            ..Arg::DEFAULT
        },
        Arg {
            name: "withhash",
            kind: ArgType::PureToken,
            token: Some("WITHHASH"),
            flags: argflags::OPTIONAL,
            ..Arg::DEFAULT
        },
        Arg {
            name: "count",
            kind: ArgType::Block,
            flags: argflags::OPTIONAL,
            arguments: &[
                Arg { name: "count", kind: ArgType::Integer, token: Some("COUNT"), ..Arg::DEFAULT },
                Arg {
                    name: "any",
                    kind: ArgType::PureToken,
                    token: Some("ANY"),
                    since: Some("6.2.0"),
                    flags: argflags::OPTIONAL,
                    ..Arg::DEFAULT
                },
            ],
            ..Arg::DEFAULT
        },
        Arg {
            name: "order",
            kind: ArgType::OneOf,
            flags: argflags::OPTIONAL,
            arguments: &[
                Arg { name: "asc", kind: ArgType::PureToken, token: Some("ASC"), ..Arg::DEFAULT },
                Arg { name: "desc", kind: ArgType::PureToken, token: Some("DESC"), ..Arg::DEFAULT },
            ],
            ..Arg::DEFAULT
        },
    ];
    /// GEORADIUSBYMEMBER's arguments.
    pub(crate) const GEORADIUSBYMEMBER: &[Arg] = &[
        Arg { name: "key", kind: ArgType::Key, key_spec_index: Some(0), ..Arg::DEFAULT },
        Arg { name: "member", kind: ArgType::String, ..Arg::DEFAULT },
        Arg { name: "radius", kind: ArgType::Double, ..Arg::DEFAULT },
        Arg {
            name: "unit",
            kind: ArgType::OneOf,
            arguments: &[
                Arg { name: "m", kind: ArgType::PureToken, token: Some("M"), ..Arg::DEFAULT },
                Arg { name: "km", kind: ArgType::PureToken, token: Some("KM"), ..Arg::DEFAULT },
                Arg { name: "ft", kind: ArgType::PureToken, token: Some("FT"), ..Arg::DEFAULT },
                Arg { name: "mi", kind: ArgType::PureToken, token: Some("MI"), ..Arg::DEFAULT },
            ],
            ..Arg::DEFAULT
        },
        Arg {
            name: "withcoord",
            kind: ArgType::PureToken,
            token: Some("WITHCOORD"),
            flags: argflags::OPTIONAL,
            ..Arg::DEFAULT
        },
        Arg {
            name: "withdist",
            kind: ArgType::PureToken,
            token: Some("WITHDIST"),
            flags: argflags::OPTIONAL,
            ..Arg::DEFAULT
        },
        Arg {
            name: "withhash",
            kind: ArgType::PureToken,
            token: Some("WITHHASH"),
            flags: argflags::OPTIONAL,
            ..Arg::DEFAULT
        },
        Arg {
            name: "count",
            kind: ArgType::Block,
            flags: argflags::OPTIONAL,
            arguments: &[
                Arg { name: "count", kind: ArgType::Integer, token: Some("COUNT"), ..Arg::DEFAULT },
                Arg {
                    name: "any",
                    kind: ArgType::PureToken,
                    token: Some("ANY"),
                    flags: argflags::OPTIONAL,
                    ..Arg::DEFAULT
                },
            ],
            ..Arg::DEFAULT
        },
        Arg {
            name: "order",
            kind: ArgType::OneOf,
            flags: argflags::OPTIONAL,
            arguments: &[
                Arg { name: "asc", kind: ArgType::PureToken, token: Some("ASC"), ..Arg::DEFAULT },
                Arg { name: "desc", kind: ArgType::PureToken, token: Some("DESC"), ..Arg::DEFAULT },
            ],
            ..Arg::DEFAULT
        },
        Arg {
            name: "key",
            kind: ArgType::Key,
            key_spec_index: Some(1),
            token: Some("STORE"),
            flags: argflags::OPTIONAL,
            ..Arg::DEFAULT
        },
        Arg {
            name: "key",
            kind: ArgType::Key,
            key_spec_index: Some(2),
            token: Some("STOREDIST"),
            flags: argflags::OPTIONAL,
            ..Arg::DEFAULT
        },
    ];
    /// GEORADIUSBYMEMBER_RO's arguments.
    pub(crate) const GEORADIUSBYMEMBER_RO: &[Arg] = &[
        Arg { name: "key", kind: ArgType::Key, key_spec_index: Some(0), ..Arg::DEFAULT },
        Arg { name: "member", kind: ArgType::String, ..Arg::DEFAULT },
        Arg { name: "radius", kind: ArgType::Double, ..Arg::DEFAULT },
        Arg {
            name: "unit",
            kind: ArgType::OneOf,
            arguments: &[
                Arg { name: "m", kind: ArgType::PureToken, token: Some("M"), ..Arg::DEFAULT },
                Arg { name: "km", kind: ArgType::PureToken, token: Some("KM"), ..Arg::DEFAULT },
                Arg { name: "ft", kind: ArgType::PureToken, token: Some("FT"), ..Arg::DEFAULT },
                Arg { name: "mi", kind: ArgType::PureToken, token: Some("MI"), ..Arg::DEFAULT },
            ],
            ..Arg::DEFAULT
        },
        Arg {
            name: "withcoord",
            kind: ArgType::PureToken,
            token: Some("WITHCOORD"),
            flags: argflags::OPTIONAL,
            ..Arg::DEFAULT
        },
        Arg {
            name: "withdist",
            kind: ArgType::PureToken,
            token: Some("WITHDIST"),
            flags: argflags::OPTIONAL,
            ..Arg::DEFAULT
        },
        Arg {
            name: "withhash",
            kind: ArgType::PureToken,
            token: Some("WITHHASH"),
            flags: argflags::OPTIONAL,
            ..Arg::DEFAULT
        },
        Arg {
            name: "count",
            kind: ArgType::Block,
            flags: argflags::OPTIONAL,
            arguments: &[
                Arg { name: "count", kind: ArgType::Integer, token: Some("COUNT"), ..Arg::DEFAULT },
                Arg {
                    name: "any",
                    kind: ArgType::PureToken,
                    token: Some("ANY"),
                    flags: argflags::OPTIONAL,
                    ..Arg::DEFAULT
                },
            ],
            ..Arg::DEFAULT
        },
        Arg {
            name: "order",
            kind: ArgType::OneOf,
            flags: argflags::OPTIONAL,
            arguments: &[
                Arg { name: "asc", kind: ArgType::PureToken, token: Some("ASC"), ..Arg::DEFAULT },
                Arg { name: "desc", kind: ArgType::PureToken, token: Some("DESC"), ..Arg::DEFAULT },
            ],
            ..Arg::DEFAULT
        },
    ];
    /// GEOADD's history.
    pub(crate) const GEOADD_HISTORY: &[(&str, &str)] = &[("6.2.0", "New options CH, NX and XX.")];
    /// GEOSEARCH's and GEOSEARCHSTORE's history.
    pub(crate) const GEOSEARCH_HISTORY: &[(&str, &str)] =
        &[("7.0.0", "Unit names are accepted in any case.")];
    /// GEORADIUS's history.
    pub(crate) const GEORADIUS_HISTORY: &[(&str, &str)] = &[
        ("6.2.0", "New ANY option for COUNT."),
        ("7.0.0", "Unit names are accepted in any case."),
    ];
    /// GEORADIUS_RO's history.
    pub(crate) const GEORADIUS_RO_HISTORY: &[(&str, &str)] =
        &[("6.2.0", "New ANY option for COUNT.")];
    /// GEORADIUSBYMEMBER's history.
    pub(crate) const GEORADIUSBYMEMBER_HISTORY: &[(&str, &str)] =
        &[("7.0.0", "Unit names are accepted in any case.")];
}
