//! Geohash math for the GEO commands: pure functions, no I/O.
//!
//! Follows Redis 7.2's `src/geohash.c` and `src/geohash_helper.c` step for step (our own
//! code): a point is a 52-bit integer (26 bits of latitude and 26 of longitude interleaved,
//! latitude in the even bits) over the Web Mercator ranges (longitude -180..180, latitude
//! -85.05112878..85.05112878), stored as a sorted set score. A radius or box search covers
//! the shape with the geohash box of the centre plus its 8 neighbours at a step chosen from
//! the radius (`geohashCalculateAreasByShapeWGS84`), reads each box as a score range, and
//! keeps the points inside the shape by their haversine distance.

/// Smallest longitude (`GEO_LONG_MIN`).
pub const LONG_MIN: f64 = -180.0;
/// Largest longitude (`GEO_LONG_MAX`).
pub const LONG_MAX: f64 = 180.0;
/// Smallest latitude (`GEO_LAT_MIN`, the Web Mercator limit).
pub const LAT_MIN: f64 = -85.051_128_78;
/// Largest latitude (`GEO_LAT_MAX`).
pub const LAT_MAX: f64 = 85.051_128_78;
/// Bits per coordinate of a stored point (`GEO_STEP_MAX`): 26, so 52 bits in all.
pub const STEP_MAX: u8 = 26;
/// Earth's quadratic mean radius for WGS-84, in meters (`EARTH_RADIUS_IN_METERS`).
pub const EARTH_RADIUS_IN_METERS: f64 = 6_372_797.560_856;
/// `MERCATOR_MAX`, used to estimate the search step from a radius.
const MERCATOR_MAX: f64 = 20_037_726.37;
/// Degrees to radians as `geohash_helper.c`'s `D_R` (`M_PI / 180.0`).
const D_R: f64 = std::f64::consts::PI / 180.0;

/// A geohash of `step` bits per coordinate (`GeoHashBits`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct HashBits {
    /// The interleaved bits (latitude in the even positions).
    pub bits: u64,
    /// Bits per coordinate, 1..=32 (0 with `bits` 0: the "zero" hash, `HASHISZERO`).
    pub step: u8,
}

impl HashBits {
    /// `HASHISZERO`: a neighbour box excluded from the search.
    pub fn is_zero(&self) -> bool {
        self.bits == 0 && self.step == 0
    }
}

/// A coordinate interval (`GeoHashRange`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Range {
    /// Lower bound, degrees.
    pub min: f64,
    /// Upper bound, degrees.
    pub max: f64,
}

/// The longitude range of stored points.
pub const LONG_RANGE: Range = Range { min: LONG_MIN, max: LONG_MAX };
/// The latitude range of stored points.
pub const LAT_RANGE: Range = Range { min: LAT_MIN, max: LAT_MAX };

/// The rectangle a geohash covers (`GeoHashArea`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Area {
    /// Longitude interval.
    pub longitude: Range,
    /// Latitude interval.
    pub latitude: Range,
}

/// Spreads the low 32 bits of `x` into the even bits and those of `y` into the odd bits
/// (`interleave64`).
fn interleave64(x: u32, y: u32) -> u64 {
    fn spread(v: u32) -> u64 {
        let mut v = u64::from(v);
        v = (v | (v << 16)) & 0x0000_FFFF_0000_FFFF;
        v = (v | (v << 8)) & 0x00FF_00FF_00FF_00FF;
        v = (v | (v << 4)) & 0x0F0F_0F0F_0F0F_0F0F;
        v = (v | (v << 2)) & 0x3333_3333_3333_3333;
        (v | (v << 1)) & 0x5555_5555_5555_5555
    }
    spread(x) | (spread(y) << 1)
}

/// The inverse of [`interleave64`]: even bits in the low 32 bits of the result, odd bits in
/// the high 32 (`deinterleave64`).
fn deinterleave64(interleaved: u64) -> u64 {
    fn squash(v: u64) -> u64 {
        let mut v = v & 0x5555_5555_5555_5555;
        v = (v | (v >> 1)) & 0x3333_3333_3333_3333;
        v = (v | (v >> 2)) & 0x0F0F_0F0F_0F0F_0F0F;
        v = (v | (v >> 4)) & 0x00FF_00FF_00FF_00FF;
        v = (v | (v >> 8)) & 0x0000_FFFF_0000_FFFF;
        (v | (v >> 16)) & 0x0000_0000_FFFF_FFFF
    }
    squash(interleaved) | (squash(interleaved >> 1) << 32)
}

/// A C `double` to `uint32_t` conversion of an in-range offset (truncation).
fn to_u32(v: f64) -> u32 {
    v as u32
}

/// Encodes a point with `step` bits per coordinate over the given ranges (`geohashEncode`).
/// `None` when the step is not in 1..=32, the point is outside the Web Mercator limits, or
/// outside the ranges.
pub fn encode(
    long_range: Range,
    lat_range: Range,
    lon: f64,
    lat: f64,
    step: u8,
) -> Option<HashBits> {
    if step == 0 || step > 32 || lat_range.min == 0.0 && lat_range.max == 0.0 {
        return None;
    }
    if !(LONG_MIN..=LONG_MAX).contains(&lon) || !(LAT_MIN..=LAT_MAX).contains(&lat) {
        return None;
    }
    if lat < lat_range.min || lat > lat_range.max || lon < long_range.min || lon > long_range.max {
        return None;
    }
    let scale = (1u64 << step) as f64;
    let lat_offset = (lat - lat_range.min) / (lat_range.max - lat_range.min) * scale;
    let long_offset = (lon - long_range.min) / (long_range.max - long_range.min) * scale;
    Some(HashBits { bits: interleave64(to_u32(lat_offset), to_u32(long_offset)), step })
}

/// Encodes a point over the stored ranges (`geohashEncodeWGS84`).
pub fn encode_wgs84(lon: f64, lat: f64, step: u8) -> Option<HashBits> {
    encode(LONG_RANGE, LAT_RANGE, lon, lat, step)
}

/// The rectangle covered by `hash` over the given ranges (`geohashDecode`); `None` for the
/// zero hash.
pub fn decode(long_range: Range, lat_range: Range, hash: HashBits) -> Option<Area> {
    if hash.is_zero() {
        return None;
    }
    let sep = deinterleave64(hash.bits);
    let lat_scale = lat_range.max - lat_range.min;
    let long_scale = long_range.max - long_range.min;
    let ilato = sep as u32;
    let ilono = (sep >> 32) as u32;
    let div = (1u64 << hash.step) as f64;
    Some(Area {
        latitude: Range {
            min: lat_range.min + (f64::from(ilato) / div) * lat_scale,
            max: lat_range.min + ((f64::from(ilato) + 1.0) / div) * lat_scale,
        },
        longitude: Range {
            min: long_range.min + (f64::from(ilono) / div) * long_scale,
            max: long_range.min + ((f64::from(ilono) + 1.0) / div) * long_scale,
        },
    })
}

/// The rectangle of `hash` over the stored ranges (`geohashDecodeWGS84`).
pub fn decode_wgs84(hash: HashBits) -> Option<Area> {
    decode(LONG_RANGE, LAT_RANGE, hash)
}

/// The centre `(longitude, latitude)` of `hash`, clamped to the stored ranges
/// (`geohashDecodeToLongLatWGS84`, `geohashDecodeAreaToLongLat`).
pub fn decode_to_lon_lat(hash: HashBits) -> Option<(f64, f64)> {
    let a = decode_wgs84(hash)?;
    let lon = ((a.longitude.min + a.longitude.max) / 2.0).clamp(LONG_MIN, LONG_MAX);
    let lat = ((a.latitude.min + a.latitude.max) / 2.0).clamp(LAT_MIN, LAT_MAX);
    Some((lon, lat))
}

/// A C `(uint64_t)` cast of a double as x86-64 GCC compiles it (`cvttsd2si`, with the
/// `2^63` split): what Redis does to a score that no GEOADD wrote (negative, fractional or
/// huge scores set with ZADD).
fn score_to_u64(score: f64) -> u64 {
    const TWO63: f64 = 9_223_372_036_854_775_808.0;
    fn cvtt(v: f64) -> i64 {
        if v.is_nan() || !(-TWO63..TWO63).contains(&v) {
            i64::MIN
        } else {
            v as i64
        }
    }
    if score >= TWO63 {
        (cvtt(score - TWO63) as u64) ^ 0x8000_0000_0000_0000
    } else {
        cvtt(score) as u64
    }
}

/// The `(longitude, latitude)` of a stored point from its score (`decodeGeohash`).
pub fn decode_score(score: f64) -> Option<(f64, f64)> {
    decode_to_lon_lat(HashBits { bits: score_to_u64(score), step: STEP_MAX })
}

/// The score GEOADD stores for a point (`geohashEncodeWGS84` at step 26, then
/// `geohashAlign52Bits`); `None` outside the Web Mercator limits.
pub fn score_of(lon: f64, lat: f64) -> Option<u64> {
    encode_wgs84(lon, lat, STEP_MAX).map(align52)
}

/// `hash` shifted to a 52-bit score prefix (`geohashAlign52Bits`).
pub fn align52(hash: HashBits) -> u64 {
    hash.bits << (52 - u32::from(hash.step) * 2)
}

/// The score interval `[min, max)` holding every point inside `hash` (`scoresOfGeoHashBox`).
pub fn score_range_of_box(hash: HashBits) -> (u64, u64) {
    let min = align52(hash);
    let max = align52(HashBits { bits: hash.bits + 1, step: hash.step });
    (min, max)
}

/// The standard 11-character base32 geohash of a stored point, as GEOHASH gives it: the
/// point decoded, then re-encoded over -180..180 / -90..90 at step 26, the 11th character
/// always `0` (52 bits only). `None` when the score does not decode.
pub fn geohash_string(score: f64) -> Option<[u8; 11]> {
    const ALPHABET: &[u8; 32] = b"0123456789bcdefghjkmnpqrstuvwxyz";
    let (lon, lat) = decode_score(score)?;
    let bits = encode(
        Range { min: -180.0, max: 180.0 },
        Range { min: -90.0, max: 90.0 },
        lon,
        lat,
        STEP_MAX,
    )
    .map_or(0, |h| h.bits);
    let mut out = [0u8; 11];
    for (i, c) in out.iter_mut().enumerate() {
        let idx = if i == 10 { 0 } else { (bits >> (52 - (i + 1) * 5)) & 0x1f };
        *c = ALPHABET[idx as usize];
    }
    Some(out)
}

/// Moves `hash` one box east (`d > 0`) or west (`geohash_move_x`).
fn move_x(hash: &mut HashBits, d: i8) {
    if d == 0 {
        return;
    }
    let shift = 64 - u32::from(hash.step) * 2;
    let mut x = hash.bits & 0xaaaa_aaaa_aaaa_aaaa;
    let y = hash.bits & 0x5555_5555_5555_5555;
    let zz = 0x5555_5555_5555_5555u64 >> shift;
    if d > 0 {
        x = x.wrapping_add(zz + 1);
    } else {
        x |= zz;
        x = x.wrapping_sub(zz + 1);
    }
    x &= 0xaaaa_aaaa_aaaa_aaaau64 >> shift;
    hash.bits = x | y;
}

/// Moves `hash` one box north (`d > 0`) or south (`geohash_move_y`).
fn move_y(hash: &mut HashBits, d: i8) {
    if d == 0 {
        return;
    }
    let shift = 64 - u32::from(hash.step) * 2;
    let x = hash.bits & 0xaaaa_aaaa_aaaa_aaaa;
    let mut y = hash.bits & 0x5555_5555_5555_5555;
    let zz = 0xaaaa_aaaa_aaaa_aaaau64 >> shift;
    if d > 0 {
        y = y.wrapping_add(zz + 1);
    } else {
        y |= zz;
        y = y.wrapping_sub(zz + 1);
    }
    y &= 0x5555_5555_5555_5555u64 >> shift;
    hash.bits = x | y;
}

/// The 8 neighbours of a box (`GeoHashNeighbors`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Neighbors {
    pub north: HashBits,
    pub south: HashBits,
    pub east: HashBits,
    pub west: HashBits,
    pub north_east: HashBits,
    pub north_west: HashBits,
    pub south_east: HashBits,
    pub south_west: HashBits,
}

/// The neighbours of `hash` (`geohashNeighbors`).
pub fn neighbors(hash: HashBits) -> Neighbors {
    let at = |dx: i8, dy: i8| {
        let mut h = hash;
        move_x(&mut h, dx);
        move_y(&mut h, dy);
        h
    };
    Neighbors {
        east: at(1, 0),
        west: at(-1, 0),
        south: at(0, -1),
        north: at(0, 1),
        north_west: at(-1, 1),
        north_east: at(1, 1),
        south_east: at(1, -1),
        south_west: at(-1, -1),
    }
}

/// The search step (bits per coordinate) for a radius in meters at a latitude
/// (`geohashEstimateStepsByRadius`).
pub fn estimate_steps_by_radius(range_meters: f64, lat: f64) -> u8 {
    if range_meters == 0.0 {
        return 26;
    }
    let mut range = range_meters;
    let mut step: i32 = 1;
    while range < MERCATOR_MAX {
        range *= 2.0;
        step += 1;
    }
    step -= 2;
    if !(-66.0..=66.0).contains(&lat) {
        step -= 1;
        if !(-80.0..=80.0).contains(&lat) {
            step -= 1;
        }
    }
    step.clamp(1, 26) as u8
}

/// What a search looks for (`GeoShape`): a circle or an axis-aligned box around a centre.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Shape {
    /// Centre longitude.
    pub lon: f64,
    /// Centre latitude.
    pub lat: f64,
    /// Meters per unit of the sizes below (1, 1000, 0.3048 or 1609.34).
    pub conversion: f64,
    /// The shape's size, in the unit.
    pub kind: ShapeKind,
}

/// A search shape's size, in the search's unit.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum ShapeKind {
    /// BYRADIUS: the radius.
    Circle { radius: f64 },
    /// BYBOX: width (east-west) and height (north-south).
    Box { width: f64, height: f64 },
}

/// The bounding box of a shape as `[min_lon, min_lat, max_lon, max_lat]`
/// (`geohashBoundingBox`).
pub fn bounding_box(shape: &Shape) -> [f64; 4] {
    let (height, width) = match shape.kind {
        ShapeKind::Circle { radius } => (radius, radius),
        ShapeKind::Box { width, height } => (height / 2.0, width / 2.0),
    };
    let height = shape.conversion * height;
    let width = shape.conversion * width;
    let lat_delta = (height / EARTH_RADIUS_IN_METERS) / D_R;
    let long_delta_top =
        (width / EARTH_RADIUS_IN_METERS / ((shape.lat + lat_delta) * D_R).cos()) / D_R;
    let long_delta_bottom =
        (width / EARTH_RADIUS_IN_METERS / ((shape.lat - lat_delta) * D_R).cos()) / D_R;
    let southern = shape.lat < 0.0;
    let long_delta = if southern { long_delta_bottom } else { long_delta_top };
    [shape.lon - long_delta, shape.lat - lat_delta, shape.lon + long_delta, shape.lat + lat_delta]
}

/// The boxes to read for a search, in Redis's order: the centre box, then north, south, east,
/// west, north-east, north-west, south-east, south-west; excluded neighbours are zero
/// (`geohashCalculateAreasByShapeWGS84` and the order of `membersOfAllNeighbors`).
pub fn search_boxes(shape: &Shape) -> [HashBits; 9] {
    let [min_lon, min_lat, max_lon, max_lat] = bounding_box(shape);
    let radius_meters = match shape.kind {
        ShapeKind::Circle { radius } => radius,
        ShapeKind::Box { width, height } => {
            ((width / 2.0) * (width / 2.0) + (height / 2.0) * (height / 2.0)).sqrt()
        }
    } * shape.conversion;
    let mut steps = estimate_steps_by_radius(radius_meters, shape.lat);
    let encode_at = |steps: u8| encode_wgs84(shape.lon, shape.lat, steps).unwrap_or_default();
    let mut hash = encode_at(steps);
    let mut n = neighbors(hash);
    let area_of = |h: HashBits| decode_wgs84(h);
    let mut area = area_of(hash);
    // Is the step small enough at the edges of the covered area?
    let decrease = {
        let north = area_of(n.north);
        let south = area_of(n.south);
        let east = area_of(n.east);
        let west = area_of(n.west);
        north.is_some_and(|a| a.latitude.max < max_lat)
            || south.is_some_and(|a| a.latitude.min > min_lat)
            || east.is_some_and(|a| a.longitude.max < max_lon)
            || west.is_some_and(|a| a.longitude.min > min_lon)
    };
    if steps > 1 && decrease {
        steps -= 1;
        hash = encode_at(steps);
        n = neighbors(hash);
        area = area_of(hash);
    }
    if steps >= 2 {
        if let Some(area) = area {
            let zero = HashBits::default();
            if area.latitude.min < min_lat {
                n.south = zero;
                n.south_west = zero;
                n.south_east = zero;
            }
            if area.latitude.max > max_lat {
                n.north = zero;
                n.north_east = zero;
                n.north_west = zero;
            }
            if area.longitude.min < min_lon {
                n.west = zero;
                n.south_west = zero;
                n.north_west = zero;
            }
            if area.longitude.max > max_lon {
                n.east = zero;
                n.south_east = zero;
                n.north_east = zero;
            }
        }
    }
    [hash, n.north, n.south, n.east, n.west, n.north_east, n.north_west, n.south_east, n.south_west]
}

/// Redis's `pqsort` (`src/pqsort.c`, NetBSD's Bentley-McIlroy quicksort that only descends
/// into partitions overlapping the element range `[lrange, rrange]`; Redis 7 dropped the
/// switch to insertion sort after a swap-free partition), used by the searches
/// when COUNT keeps fewer points than were found. Ported for its exact (unstable) order of
/// equal elements. `cmp` returns a negative, zero or positive number like a C comparator.
pub fn pqsort<T>(v: &mut [T], cmp: &impl Fn(&T, &T) -> i32, lrange: usize, rrange: usize) {
    pqsort_part(v, 0, cmp, lrange, rrange);
}

/// Insertion sort of the whole slice (pqsort's small-array path).
fn insertion_sort<T>(v: &mut [T], cmp: &impl Fn(&T, &T) -> i32) {
    for pm in 1..v.len() {
        let mut pl = pm;
        while pl > 0 && cmp(&v[pl - 1], &v[pl]) > 0 {
            v.swap(pl, pl - 1);
            pl -= 1;
        }
    }
}

/// The median of three elements by index (`med3`).
fn med3<T>(v: &[T], a: usize, b: usize, c: usize, cmp: &impl Fn(&T, &T) -> i32) -> usize {
    if cmp(&v[a], &v[b]) < 0 {
        if cmp(&v[b], &v[c]) < 0 {
            b
        } else if cmp(&v[a], &v[c]) < 0 {
            c
        } else {
            a
        }
    } else if cmp(&v[b], &v[c]) > 0 {
        b
    } else if cmp(&v[a], &v[c]) < 0 {
        a
    } else {
        c
    }
}

/// Swaps `n` elements from `a` with `n` elements from `b` (`vecswap`).
fn vecswap<T>(v: &mut [T], a: usize, b: usize, n: usize) {
    for i in 0..n {
        v.swap(a + i, b + i);
    }
}

/// `_pqsort` on `v`, which starts at element `base` of the whole array.
fn pqsort_part<T>(
    mut v: &mut [T],
    mut base: usize,
    cmp: &impl Fn(&T, &T) -> i32,
    lrange: usize,
    rrange: usize,
) {
    // A partition [start, start + len) is visited unless the range lies wholly outside it.
    let overlaps = |start: usize, len: usize| {
        !((lrange < start && rrange < start) || (lrange >= start + len && rrange >= start + len))
    };
    loop {
        let n = v.len();
        if n < 7 {
            insertion_sort(v, cmp);
            return;
        }
        let mut pm = n / 2;
        if n > 7 {
            let mut pl = 0;
            let mut pn = n - 1;
            if n > 40 {
                let d = n / 8;
                pl = med3(v, pl, pl + d, pl + 2 * d, cmp);
                pm = med3(v, pm - d, pm, pm + d, cmp);
                pn = med3(v, pn - 2 * d, pn - d, pn, cmp);
            }
            pm = med3(v, pl, pm, pn, cmp);
        }
        v.swap(0, pm);
        let (mut pa, mut pb) = (1isize, 1isize);
        let (mut pc, mut pd) = (n as isize - 1, n as isize - 1);
        loop {
            while pb <= pc {
                let r = cmp(&v[pb as usize], &v[0]);
                if r > 0 {
                    break;
                }
                if r == 0 {
                    v.swap(pa as usize, pb as usize);
                    pa += 1;
                }
                pb += 1;
            }
            while pb <= pc {
                let r = cmp(&v[pc as usize], &v[0]);
                if r < 0 {
                    break;
                }
                if r == 0 {
                    v.swap(pc as usize, pd as usize);
                    pd -= 1;
                }
                pc -= 1;
            }
            if pb > pc {
                break;
            }
            v.swap(pb as usize, pc as usize);
            pb += 1;
            pc -= 1;
        }
        let pn = n as isize;
        let r = pa.min(pb - pa);
        vecswap(v, 0, (pb - r) as usize, r as usize);
        let r = (pd - pc).min(pn - pd - 1);
        vecswap(v, pb as usize, (pn - r) as usize, r as usize);
        let r = (pb - pa) as usize;
        if r > 1 && overlaps(base, r) {
            pqsort_part(&mut v[..r], base, cmp, lrange, rrange);
        }
        let r = (pd - pc) as usize;
        if r <= 1 {
            return;
        }
        let start = n - r;
        if !overlaps(base + start, r) {
            return;
        }
        v = &mut v[start..];
        base += start;
    }
}

/// The distance in meters along a meridian between two latitudes (`geohashGetLatDistance`).
pub fn lat_distance(lat1: f64, lat2: f64) -> f64 {
    EARTH_RADIUS_IN_METERS * ((lat2 * D_R) - (lat1 * D_R)).abs()
}

/// The haversine great-circle distance in meters between two points (`geohashGetDistance`).
pub fn distance(lon1: f64, lat1: f64, lon2: f64, lat2: f64) -> f64 {
    let lon1r = lon1 * D_R;
    let lon2r = lon2 * D_R;
    let v = ((lon2r - lon1r) / 2.0).sin();
    if v == 0.0 {
        return lat_distance(lat1, lat2);
    }
    let lat1r = lat1 * D_R;
    let lat2r = lat2 * D_R;
    let u = ((lat2r - lat1r) / 2.0).sin();
    let a = u * u + lat1r.cos() * lat2r.cos() * v * v;
    2.0 * EARTH_RADIUS_IN_METERS * a.sqrt().asin()
}

/// The point stored with `score` when it lies inside `shape`: its `(lon, lat)` and its
/// distance in meters from the centre (`geoWithinShape`).
pub fn within_shape(shape: &Shape, score: f64) -> Option<((f64, f64), f64)> {
    let (lon, lat) = decode_score(score)?;
    let dist = match shape.kind {
        ShapeKind::Circle { radius } => {
            let d = distance(shape.lon, shape.lat, lon, lat);
            if d > radius * shape.conversion {
                return None;
            }
            d
        }
        ShapeKind::Box { width, height } => {
            // geohashGetDistanceIfInRectangle: latitude first, it is cheaper.
            let (w, h) = (width * shape.conversion, height * shape.conversion);
            if lat_distance(lat, shape.lat) > h / 2.0 {
                return None;
            }
            if distance(lon, lat, shape.lon, lat) > w / 2.0 {
                return None;
            }
            distance(shape.lon, shape.lat, lon, lat)
        }
    };
    Some(((lon, lat), dist))
}

/// A distance as GEODIST and WITHDIST print it: 4 decimals, Redis 7.2's
/// `fixedpoint_d2string(..., 4)` (the value times 10^4 rounded half-to-even with `llrint`,
/// `0.0000` for zero). Redis 7.0 used `%.4f`, which differs only on exact ties.
pub fn format_distance(d: f64) -> String {
    if d == 0.0 {
        return "0.0000".to_string();
    }
    let scaled = (d * 10_000.0).round_ties_even();
    let v = if scaled.is_finite() && scaled.abs() < 9.2e18 { scaled as i64 } else { i64::MIN };
    let (neg, abs) = (v < 0, v.unsigned_abs());
    format!("{}{}.{:04}", if neg { "-" } else { "" }, abs / 10_000, abs % 10_000)
}

#[cfg(test)]
mod tests {
    use super::*;

    // Expected values below come from a real Redis 7.0 (GEOADD then ZSCORE / GEOPOS /
    // GEODIST / GEOHASH), which shares this math with 7.2.

    #[test]
    fn encode_matches_redis_scores() {
        assert_eq!(score_of(13.361389, 38.115556), Some(3_479_099_956_230_698));
        assert_eq!(score_of(15.087269, 37.502669), Some(3_479_447_370_796_909));
        assert_eq!(score_of(200.0, 100.0), None);
        assert_eq!(score_of(0.0, 85.06), None);
    }

    #[test]
    fn decode_matches_redis_positions() {
        let (lon, lat) = decode_score(3_479_099_956_230_698.0).unwrap();
        let mut t = Vec::new();
        ferrodis_resp::double::format_human_double(lon, &mut t);
        assert_eq!(t, b"13.36138933897018433");
        t.clear();
        ferrodis_resp::double::format_human_double(lat, &mut t);
        assert_eq!(t, b"38.11555639549629859");
    }

    /// Redis 7.0: `GEOADD k 180 85.05112878 ne` then `GEOPOS k ne` gives `180` and
    /// `85.0511287799999991` (the box centre is clamped to the ranges).
    #[test]
    fn decode_clamps_to_the_ranges() {
        let score = score_of(180.0, LAT_MAX).unwrap();
        assert_eq!(score, 13_510_798_882_111_488);
        assert_eq!(decode_score(score as f64), Some((180.0, LAT_MAX)));
        assert_eq!(decode_score(-1.0).map(|(lon, _)| lon), Some(180.0));
    }

    #[test]
    fn distance_matches_redis_geodist() {
        let (a, b) = (
            decode_score(3_479_099_956_230_698.0).unwrap(),
            decode_score(3_479_447_370_796_909.0).unwrap(),
        );
        let d = distance(a.0, a.1, b.0, b.1);
        assert_eq!(format_distance(d), "166274.1516");
        assert_eq!(format_distance(d / 1000.0), "166.2742");
        assert_eq!(format_distance(0.0), "0.0000");
    }

    /// Redis 7.2's `fixedpoint_d2string` rounds `d * 10^4` with `llrint` (ties to even):
    /// 0.00005 * 10^4 is exactly 0.5 as a double, so 7.2 prints `0.0000` where 7.0's
    /// `%.4f` printed `0.0001` (the double 0.00005 is a little above the tie).
    #[test]
    fn distance_text_follows_redis_72() {
        assert_eq!(format_distance(0.00005), "0.0000");
        assert_eq!(format_distance(0.00015), "0.0001");
        assert_eq!(format_distance(1.23456), "1.2346");
        assert_eq!(format_distance(12_345_678.9), "12345678.9000");
    }

    #[test]
    fn geohash_strings_match_redis() {
        assert_eq!(&geohash_string(3_479_099_956_230_698.0).unwrap(), b"sqc8b49rny0");
        assert_eq!(&geohash_string(3_479_447_370_796_909.0).unwrap(), b"sqdtr74hyu0");
    }

    #[test]
    fn interleave_roundtrip() {
        for (x, y) in [(0u32, 0u32), (1, 0), (0, 1), (0x3ff_ffff, 0x155_5555), (u32::MAX, 7)] {
            let i = interleave64(x, y);
            assert_eq!(deinterleave64(i), u64::from(x) | (u64::from(y) << 32));
        }
    }

    /// pqsort sorts the requested prefix like a full sort (up to the order of ties).
    #[test]
    fn pqsort_sorts_the_requested_range() {
        let cmp = |a: &u32, b: &u32| (*a as i32 / 3) - (*b as i32 / 3);
        let mut seed = 12345u32;
        for n in [0usize, 1, 5, 7, 8, 40, 41, 100, 500] {
            let v: Vec<u32> = (0..n)
                .map(|_| {
                    seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12345);
                    (seed >> 16) % 200
                })
                .collect();
            for keep in [1usize, 3, n / 2, n] {
                if keep == 0 || keep > n {
                    continue;
                }
                let mut got = v.clone();
                pqsort(&mut got, &cmp, 0, keep - 1);
                let mut want = v.clone();
                want.sort_by_key(|x| x / 3);
                let key = |s: &[u32]| s.iter().map(|x| x / 3).collect::<Vec<_>>();
                assert_eq!(key(&got[..keep]), key(&want[..keep]), "n={n} keep={keep}");
                let mut all = got.clone();
                all.sort_unstable();
                let mut orig = v.clone();
                orig.sort_unstable();
                assert_eq!(all, orig);
            }
        }
    }

    #[test]
    fn steps_by_radius() {
        assert_eq!(estimate_steps_by_radius(0.0, 0.0), 26);
        assert_eq!(estimate_steps_by_radius(200_000.0, 38.0), 6);
        assert_eq!(estimate_steps_by_radius(200_000.0, 70.0), 5);
        assert_eq!(estimate_steps_by_radius(200_000.0, 85.0), 4);
        assert_eq!(estimate_steps_by_radius(1e9, 0.0), 1);
    }

    #[test]
    fn neighbours_wrap_like_redis() {
        let h = HashBits { bits: 0, step: 1 };
        let n = neighbors(h);
        // step 1: x (longitude) in bit 1, y (latitude) in bit 0.
        assert_eq!(n.east.bits, 0b10);
        assert_eq!(n.north.bits, 0b01);
        assert_eq!(n.west.bits, 0b10);
        assert_eq!(n.north_east.bits, 0b11);
    }
}
