/* longdouble.c -- INCRBYFLOAT / HINCRBYFLOAT arithmetic in C `long double`.
 *
 * Rust has no `long double` (x87 80-bit on x86-64, IEEE quad on aarch64 Linux), and
 * Redis's INCRBYFLOAT results depend on its precision and on glibc's strtold / printf
 * rounding. This shim reproduces, with the same libc calls, Redis 7.2's:
 *
 *   - string2ld()               (src/util.c): strict parse of a whole buffer;
 *   - the `value += incr` and NaN/Inf check of incrbyfloatCommand (src/t_string.c) and
 *     hincrbyfloatCommand (src/t_hash.c);
 *   - ld2string(..., LD_STR_HUMAN) (src/util.c): "%.17Lf", trailing zeros and dot trimmed,
 *     "-0" turned into "0".
 *
 * Called from crates/ferrodis-keyspace/src/num.rs, which owns the safe API. Thread-safe: all
 * state is on the stack (errno is thread-local). Numbers are parsed and printed in whatever
 * LC_NUMERIC locale the process has, like Redis; Ferrodis never changes it from "C".
 */

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Redis's MAX_LONG_DOUBLE_CHARS: inputs must be shorter, and "%.17Lf" of the largest finite
 * long double (4933 integer digits) fits. */
#define FERRODIS_MAX_LONG_DOUBLE_CHARS (5 * 1024)

/* Return codes shared with num.rs. */
#define FERRODIS_LD_OK 0
#define FERRODIS_LD_BAD_CURRENT 1
#define FERRODIS_LD_BAD_INCR 2
#define FERRODIS_LD_NOT_FINITE 3
#define FERRODIS_LD_NO_ROOM 4

/* string2ld(): 1 and *out set when s[0..slen) is exactly one number strtold accepts, with no
 * leading space, no overflow, no underflow to zero and no NaN; 0 otherwise. */
static int ld_parse(const char *s, size_t slen, long double *out) {
    char buf[FERRODIS_MAX_LONG_DOUBLE_CHARS];
    char *eptr;
    long double value;

    if (slen == 0 || slen >= sizeof(buf)) return 0;
    memcpy(buf, s, slen);
    buf[slen] = '\0';

    errno = 0;
    value = strtold(buf, &eptr);
    if (isspace((unsigned char)buf[0]) || eptr[0] != '\0' || (size_t)(eptr - buf) != slen ||
        (errno == ERANGE &&
         (value == HUGE_VALL || value == -HUGE_VALL || fpclassify(value) == FP_ZERO)) ||
        errno == EINVAL || isnan(value))
        return 0;

    *out = value;
    return 1;
}

/* ld2string(buf, len, value, LD_STR_HUMAN) for a finite value: 1 and *outlen set on success,
 * 0 if the text (plus a NUL) does not fit in len bytes. */
static int ld_format_human(char *buf, size_t len, long double value, size_t *outlen) {
    int n = snprintf(buf, len, "%.17Lf", value);
    size_t l;

    if (n < 0 || (size_t)n + 1 > len) return 0;
    l = (size_t)n;
    /* Remove trailing zeros after the '.', then the '.' itself. */
    if (memchr(buf, '.', l) != NULL) {
        while (l > 0 && buf[l - 1] == '0') l--;
        if (l > 0 && buf[l - 1] == '.') l--;
    }
    if (l == 2 && buf[0] == '-' && buf[1] == '0') {
        buf[0] = '0';
        l = 1;
    }
    *outlen = l;
    return 1;
}

/* Parses cur and incr as string2ld does, adds them and writes the LD_STR_HUMAN text of the
 * sum to out[0..*outlen) (not NUL-terminated in the contract, though a NUL follows).
 * Returns one of the FERRODIS_LD_* codes. */
int ferrodis_ld_incr(const char *cur, size_t curlen, const char *incr, size_t incrlen,
                     char *out, size_t outcap, size_t *outlen) {
    long double value, delta;

    if (!ld_parse(cur, curlen, &value)) return FERRODIS_LD_BAD_CURRENT;
    if (!ld_parse(incr, incrlen, &delta)) return FERRODIS_LD_BAD_INCR;
    value += delta;
    if (isnan(value) || isinf(value)) return FERRODIS_LD_NOT_FINITE;
    if (!ld_format_human(out, outcap, value, outlen)) return FERRODIS_LD_NO_ROOM;
    return FERRODIS_LD_OK;
}

/* -1 if s[0..len) is not a string2ld number, 0 if it is an infinity, 1 if it is finite. */
int ferrodis_ld_classify(const char *s, size_t len) {
    long double value;

    if (!ld_parse(s, len, &value)) return -1;
    return isinf(value) ? 0 : 1;
}
