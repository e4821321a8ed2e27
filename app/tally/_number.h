/* JSON number literals to doubles, exactly as Python reads them: float(text), or float(int(text))
 * for a literal with no fraction and no exponent (which is why "-0" gives +0.0). Included by
 * _scan.c only, so that the compiler can inline the reader into the scanning loop.
 *
 * Three ways, fastest first, each exact where it is used:
 * - Clinger's: a mantissa of at most 53 bits times or divided by 10^0..10^22, both exact
 *   doubles, is one correctly rounded IEEE operation;
 * - Eisel and Lemire's: the 19-digit mantissa times a 128-bit truncated power of five, read off
 *   the top bits, with their round-to-even rule ("Number Parsing at a Gigabyte per Second",
 *   2021). Where the truncation could change the answer, or the result is subnormal or
 *   overflows, it gives up;
 * - Python's own reader (PyOS_string_to_double, David Gay's correctly rounded strtod) for the
 *   rest: more than 19 significant digits, far exponents, and every case given up above.
 * The tests compare all of it with float() on many literals, hard cases included. */
#ifndef GOVDESK_NUMBER_H
#define GOVDESK_NUMBER_H

#include <Python.h>
#include <stdint.h>
#include <string.h>

#define POWERS_MIN_Q (-342)
#define POWERS_MAX_Q 308
#define POWERS_COUNT (POWERS_MAX_Q - POWERS_MIN_Q + 1)
#define MAX_FALLBACK_LITERAL 1100 /* longer literals are left to the exact Python path */

/* One JSON number literal. */
typedef struct {
    const unsigned char *end; /* first byte after the literal */
    int is_integer;           /* no fraction and no exponent: Python's json reads an int */
    int fits_int64;           /* is_integer and within int64 (``integer`` is then exact) */
    int64_t integer;
    double value; /* as Python converts it; overflow gives an infinity, as Python's does */
} JsonNumber;

/* 128-bit truncated powers of five, high word first, for q = POWERS_MIN_Q..POWERS_MAX_Q
 * (computed by the Python side with exact integers: app/tally/scan.py). */
static uint64_t powers_of_five[2 * POWERS_COUNT];
static int powers_loaded = 0;

static const double exact_tens[23] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                      1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                                      1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

typedef struct {
    uint64_t high, low;
} U128;

static inline U128 multiply(uint64_t a, uint64_t b) {
    U128 out;
#if defined(__SIZEOF_INT128__)
    const unsigned __int128 product = (unsigned __int128)a * b;
    out.high = (uint64_t)(product >> 64);
    out.low = (uint64_t)product;
#else
    const uint64_t a_lo = (uint32_t)a, a_hi = a >> 32, b_lo = (uint32_t)b, b_hi = b >> 32;
    const uint64_t p0 = a_lo * b_lo, p1 = a_lo * b_hi, p2 = a_hi * b_lo, p3 = a_hi * b_hi;
    const uint64_t middle = (p0 >> 32) + (uint32_t)p1 + (uint32_t)p2;
    out.low = (middle << 32) | (uint32_t)p0;
    out.high = p3 + (p1 >> 32) + (p2 >> 32) + (middle >> 32);
#endif
    return out;
}

static inline int leading_zeros(uint64_t x) { /* x != 0 */
#if defined(__GNUC__) || defined(__clang__)
    return __builtin_clzll(x);
#else
    int count = 0;
    while (!(x >> 63)) {
        x <<= 1;
        count++;
    }
    return count;
#endif
}

/* floor(q * log2(10)) for |q| <= 400, without shifting a negative number. */
static inline int32_t floor_log2_ten(int32_t q) {
    const int64_t scaled = (int64_t)217706 * q; /* 217706 / 2^16 ~ log2(10) */
    return (int32_t)(scaled >= 0 ? scaled / 65536 : -((-scaled + 65535) / 65536));
}

/* w * 10^q correctly rounded, for w != 0 and q in the table's range; 0 when it gives up. */
static inline int eisel_lemire(uint64_t w, int32_t q, double *out) {
    const int lz = leading_zeros(w);
    w <<= lz;
    const uint64_t *power = powers_of_five + 2 * (q - POWERS_MIN_Q);
    U128 product = multiply(w, power[0]);
    if ((product.high & 0x1FF) == 0x1FF) { /* every bit below the rounding point set: refine */
        const U128 second = multiply(w, power[1]);
        product.low += second.high;
        if (second.high > product.low) {
            product.high++;
        }
    }
    if (product.low == UINT64_MAX && (q < -27 || q > 55)) {
        return 0; /* the truncated power might still decide the rounding */
    }
    const int upper = (int)(product.high >> 63);
    const int shift = upper + 64 - 52 - 3;
    uint64_t mantissa = product.high >> shift;
    int32_t power2 = floor_log2_ten(q) + 63 + upper - lz + 1023;
    if (power2 <= 0) {
        return 0; /* subnormal */
    }
    if (product.low <= 1 && q >= -4 && q <= 23 && (mantissa & 3) == 1 &&
        (mantissa << shift) == product.high) {
        mantissa &= ~(uint64_t)1; /* exactly halfway between two doubles: to even, i.e. down */
    }
    mantissa += mantissa & 1;
    mantissa >>= 1;
    if (mantissa >= ((uint64_t)2 << 52)) {
        mantissa = (uint64_t)1 << 52;
        power2++;
    }
    if (power2 >= 0x7FF) {
        return 0; /* overflow */
    }
    const uint64_t bits = (mantissa & ~((uint64_t)1 << 52)) | ((uint64_t)power2 << 52);
    memcpy(out, &bits, sizeof bits);
    return 1;
}

/* Python's reader on a copy of the literal (it needs a terminated string). */
static int python_reader(const unsigned char *start, const unsigned char *stop, double *out) {
    char text[MAX_FALLBACK_LITERAL + 1];
    const size_t length = (size_t)(stop - start);
    if (length > MAX_FALLBACK_LITERAL) {
        return -1;
    }
    memcpy(text, start, length);
    text[length] = '\0';
    const double value = PyOS_string_to_double(text, NULL, NULL); /* NULL: overflow is +-inf */
    if (value == -1.0 && PyErr_Occurred()) {
        if (PyErr_ExceptionMatches(PyExc_MemoryError)) {
            return -2;
        }
        PyErr_Clear();
        return -1;
    }
    *out = value;
    return 0;
}

static inline int is_digit(const unsigned char *p, const unsigned char *end) {
    return p < end && (unsigned char)(*p - '0') <= 9;
}

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define EIGHT_AT_ONCE 1
/* Eight ASCII digits at p, as one number (SWAR: the bytes of one little-endian word). */
static inline int eight_digits(const unsigned char *p, const unsigned char *end, uint64_t *out) {
    if (end - p < 8) {
        return 0;
    }
    uint64_t word;
    memcpy(&word, p, 8);
    /* every byte in '0'..'9': its high nibble is 3, and adding 6 keeps it 3 */
    if ((((word & 0xF0F0F0F0F0F0F0F0) | (((word + 0x0606060606060606) & 0xF0F0F0F0F0F0F0F0) >> 4)) !=
         0x3333333333333333)) {
        return 0;
    }
    word -= 0x3030303030303030;
    word = word * 10 + (word >> 8);                               /* pairs of digits */
    word = (((word & 0x000000FF000000FF) * 0x000F424000000064) + /* 100, 1000000 */
            (((word >> 16) & 0x000000FF000000FF) * 0x0000271000000001)) >> /* 1, 10000 */
           32;
    *out = (uint32_t)word;
    return 1;
}
/* Four ASCII digits at p, as one number (the same test and folding on a 32-bit word). */
static inline int four_digits(const unsigned char *p, const unsigned char *end, uint64_t *out) {
    if (end - p < 4) {
        return 0;
    }
    uint32_t word;
    memcpy(&word, p, 4);
    if ((((word & 0xF0F0F0F0) | (((word + 0x06060606) & 0xF0F0F0F0) >> 4)) != 0x33333333)) {
        return 0;
    }
    word -= 0x30303030;
    word = word * 10 + (word >> 8); /* pairs of digits in bytes 0 and 2 */
    *out = (word & 0xFF) * 100 + ((word >> 16) & 0xFF);
    return 1;
}
#else
#define EIGHT_AT_ONCE 0
static inline int four_digits(const unsigned char *p, const unsigned char *end, uint64_t *out) {
    (void)p;
    (void)end;
    (void)out;
    return 0;
}
static inline int eight_digits(const unsigned char *p, const unsigned char *end, uint64_t *out) {
    (void)p;
    (void)end;
    (void)out;
    return 0;
}
#endif

/* The digits at p into w (19 at most); returns the position after them. */
static inline const unsigned char *read_digits(const unsigned char *p, const unsigned char *end,
                                               uint64_t *w, int *digits, int64_t *exponent,
                                               int *dropped, int fraction) {
    for (;;) {
        uint64_t eight;
        if (*digits <= 11 && (*w != 0 || !fraction) && eight_digits(p, end, &eight)) {
            *w = *w * 100000000 + eight;
            *digits += 8; /* w != 0: an integer part starts with a nonzero digit */
            *exponent -= fraction ? 8 : 0;
            p += 8;
            continue;
        }
        if (*digits <= 15 && (*w != 0 || !fraction) && four_digits(p, end, &eight)) {
            *w = *w * 10000 + eight;
            *digits += 4;
            *exponent -= fraction ? 4 : 0;
            p += 4;
            continue;
        }
        if (!is_digit(p, end)) {
            return p;
        }
        const unsigned digit = (unsigned)(*p - '0');
        if (*digits < 19) {
            if (*w != 0 || digit != 0) { /* zeros before the first significant digit */
                *w = *w * 10 + digit;
                (*digits)++;
            }
            *exponent -= fraction;
        } else {
            *exponent += !fraction;
            *dropped |= digit != 0;
        }
        p++;
    }
}

/* Read the literal at p (before end). 0: read; -1: not a JSON number (a syntax error, or too
 * long); -2: a Python error is set (memory). */
static inline int read_json_number(const unsigned char *p, const unsigned char *end,
                                   JsonNumber *out) {
    const unsigned char *start = p;
    const int negative = p < end && *p == '-';
    p += negative;
    if (!is_digit(p, end)) {
        return -1;
    }
    uint64_t w = 0;       /* the first 19 significant digits */
    int digits = 0;       /* how many of them */
    int64_t exponent = 0; /* value = w * 10^exponent, but for dropped digits */
    int dropped = 0;      /* a nonzero digit beyond the 19th */
    if (*p == '0') {
        p++;
        if (is_digit(p, end)) {
            return -1; /* a leading zero */
        }
    } else {
        p = read_digits(p, end, &w, &digits, &exponent, &dropped, 0);
    }
    int is_integer = 1;
    if (p < end && *p == '.') {
        is_integer = 0;
        p++;
        if (!is_digit(p, end)) {
            return -1;
        }
        p = read_digits(p, end, &w, &digits, &exponent, &dropped, 1);
    }
    if (p < end && (*p == 'e' || *p == 'E')) {
        is_integer = 0;
        p++;
        int exponent_negative = 0;
        if (p < end && (*p == '+' || *p == '-')) {
            exponent_negative = *p == '-';
            p++;
        }
        if (!is_digit(p, end)) {
            return -1;
        }
        int64_t written = 0;
        for (; is_digit(p, end); p++) {
            if (written < 100000000) {
                written = written * 10 + (*p - '0');
            }
        }
        exponent += exponent_negative ? -written : written;
    }
    out->end = p;
    out->is_integer = is_integer;
    out->fits_int64 = 0;
    out->integer = 0;
    if (is_integer && !dropped && exponent == 0 && w <= (uint64_t)INT64_MAX + negative) {
        out->fits_int64 = 1;
        out->integer = negative ? (int64_t)(0 - w) : (int64_t)w;
    }
    if (w == 0) {
        out->value = negative && !is_integer ? -0.0 : 0.0;
        return 0;
    }
    double value;
    if (!dropped && w <= ((uint64_t)1 << 53) && exponent >= -22 && exponent <= 22) {
        value = (double)w;
        value = exponent < 0 ? value / exact_tens[-exponent] : value * exact_tens[exponent];
    } else if (dropped || !powers_loaded || exponent < POWERS_MIN_Q || exponent > POWERS_MAX_Q ||
               !eisel_lemire(w, (int32_t)exponent, &value)) {
        return python_reader(start, p, &out->value);
    }
    out->value = negative ? -value : value;
    return 0;
}

#endif
