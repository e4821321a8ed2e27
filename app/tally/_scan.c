/* A vote document's JSON bytes straight into a VoteTable's columns, in one pass, no objects.
 *
 * The document is an object; ``path`` names the keys down to the array of votes ("votes" for a
 * tally document, "data" then "votes" for a hub page). Every other member is skipped here and
 * read afterwards by the exact Python decoder, from the document with the votes cut out. Each
 * vote is an object of known fields:
 * - tally document: choice, balance, scores (a list of numbers);
 * - hub page: voter (a string), created (an integer), choice, vp, vp_by_strategy (a list of
 *   numbers, null or absent: then vp counts for every strategy, as the Python path does).
 * Choices are classified as app/tally/table.py's build_table does (INT: an integer literal
 * within int64; LIST: a list of those; MAPPING: canonical array-index keys to finite numbers);
 * any other choice is an "odd" row: its byte range is returned, and Python decodes those ranges
 * with the exact decoder and checks that build_table also calls them odd.
 *
 * Nothing unusual is guessed at: an unknown or repeated field, an escaped key, a balance that is
 * not a finite number, a differing score count, any syntax this reader does not take, and the
 * answer is None, meaning "read this document with the exact Python path". Skipped values nest
 * at most MAX_SKIP_DEPTH levels and are scanned without recursion, so hostile input stays
 * bounded; all memory is linear in the input. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "_number.h"

enum { KIND_INT = 0, KIND_LIST = 1, KIND_MAPPING = 2, KIND_OTHER = 3 };
enum { OK = 0, UNUSUAL = 1, FAILED = -1 }; /* FAILED: a Python error is set */
enum { F_CHOICE, F_BALANCE, F_SCORES, F_VOTER, F_CREATED, F_COUNT };

#define MAX_SKIP_DEPTH 48
#define MAX_ARRAY_INDEX 4294967294ULL
#define CHECK(call)                                                                             \
    do {                                                                                        \
        const int status_ = (call);                                                             \
        if (status_ != OK) {                                                                    \
            return status_;                                                                     \
        }                                                                                       \
    } while (0)

/* A growing array, kept in a bytearray so that the result needs no copy. */
typedef struct {
    PyObject *array;
    char *data;
    size_t len, cap;
} Buf;

typedef struct {
    const unsigned char *base, *p, *end;
    int hub;
    Py_ssize_t strategies; /* -1 until the first vote (tally document) */
    Py_ssize_t rows;
    Buf kinds, ints, list_offsets, list_items, map_offsets, map_keys, map_values, powers, spans,
        scores, voters, voter_ends, created;
} Scan;

static int grow(Buf *b, size_t cap) {
    if (cap > (size_t)PY_SSIZE_T_MAX) {
        PyErr_NoMemory();
        return FAILED;
    }
    if (b->array == NULL) {
        b->array = PyByteArray_FromStringAndSize(NULL, (Py_ssize_t)cap);
        if (b->array == NULL) {
            return FAILED;
        }
    } else if (PyByteArray_Resize(b->array, (Py_ssize_t)cap) != 0) {
        return FAILED;
    }
    b->data = PyByteArray_AS_STRING(b->array);
    b->cap = cap;
    return OK;
}

static int reserve(Buf *b, size_t extra) {
    if (b->len + extra <= b->cap) {
        return OK;
    }
    size_t cap = b->cap ? b->cap : 4096;
    while (cap < b->len + extra) {
        cap *= 2;
    }
    return grow(b, cap);
}

static inline int put(Buf *b, const void *value, size_t size) {
    if (b->len + size > b->cap && reserve(b, size) != OK) {
        return FAILED;
    }
    memcpy(b->data + b->len, value, size);
    b->len += size;
    return OK;
}

/* The array, cut to its length (a new reference; the Buf keeps none). */
static PyObject *finish(Buf *b) {
    if (b->array == NULL && grow(b, 0) != OK) {
        return NULL;
    }
    if (PyByteArray_Resize(b->array, (Py_ssize_t)b->len) != 0) {
        return NULL;
    }
    PyObject *array = b->array;
    b->array = NULL;
    return array;
}

static inline int put_i64(Buf *b, int64_t value) { return put(b, &value, sizeof value); }
static inline int put_f64(Buf *b, double value) { return put(b, &value, sizeof value); }

static void skip_ws(Scan *s) {
    while (s->p < s->end && (*s->p == ' ' || *s->p == '\n' || *s->p == '\r' || *s->p == '\t')) {
        s->p++;
    }
}

/* Expect byte c (after whitespace) and step over it. */
static int expect(Scan *s, unsigned char c) {
    skip_ws(s);
    if (s->p >= s->end || *s->p != c) {
        return UNUSUAL;
    }
    s->p++;
    return OK;
}

/* A string at s->p: its raw bytes between the quotes, and whether it holds an escape. */
static int read_string(Scan *s, const unsigned char **text, size_t *length, int *escaped) {
    if (s->p >= s->end || *s->p != '"') {
        return UNUSUAL;
    }
    const unsigned char *p = ++s->p;
    *escaped = 0;
    while (p < s->end && *p != '"') {
        if (*p == '\\') {
            if (p + 1 >= s->end) {
                return UNUSUAL;
            }
            *escaped = 1;
            p += 2;
        } else if (*p < 0x20) {
            return UNUSUAL; /* control characters are not JSON */
        } else {
            p++;
        }
    }
    if (p >= s->end) {
        return UNUSUAL;
    }
    *text = s->p;
    *length = (size_t)(p - s->p);
    s->p = p + 1;
    return OK;
}

/* Step over one value without judging it (the exact decoder reads it later). */
static int skip_value(Scan *s) {
    int depth = 0;
    do {
        skip_ws(s);
        if (s->p >= s->end) {
            return UNUSUAL;
        }
        const unsigned char c = *s->p;
        if (c == '"') {
            const unsigned char *text;
            size_t length;
            int escaped;
            CHECK(read_string(s, &text, &length, &escaped));
        } else if (c == '[' || c == '{') {
            if (++depth > MAX_SKIP_DEPTH) {
                return UNUSUAL;
            }
            s->p++;
        } else if (c == ']' || c == '}') {
            if (depth == 0) {
                return UNUSUAL;
            }
            depth--;
            s->p++;
        } else if (c == ',' || c == ':') {
            if (depth == 0) {
                return UNUSUAL;
            }
            s->p++;
        } else {
            const unsigned char *q = s->p; /* a number or a literal */
            while (q < s->end && ((*q >= '0' && *q <= '9') || (*q >= 'a' && *q <= 'z') ||
                                  *q == '-' || *q == '+' || *q == '.' || *q == 'E')) {
                q++;
            }
            if (q == s->p) {
                return UNUSUAL;
            }
            s->p = q;
        }
    } while (depth > 0);
    return OK;
}

static int read_number(Scan *s, JsonNumber *number) {
    skip_ws(s);
    const int status = read_json_number(s->p, s->end, number);
    if (status == -2) {
        return FAILED;
    }
    if (status != 0) {
        return UNUSUAL;
    }
    s->p = number->end;
    return OK;
}

/* An integer literal of at most 18 digits (no fraction, no exponent) at s->p: 1 and its value,
 * or 0 with nothing consumed, for read_number to judge. */
static inline int read_plain_int(Scan *s, int64_t *value) {
    const unsigned char *p = s->p, *end = s->end;
    const int negative = p < end && *p == '-';
    p += negative;
    if (!is_digit(p, end) || (*p == '0' && is_digit(p + 1, end))) {
        return 0;
    }
    uint64_t w = 0;
    for (int n = 0; n < 18 && is_digit(p, end); n++, p++) {
        w = w * 10 + (uint64_t)(*p - '0');
    }
    if (is_digit(p, end) || (p < end && (*p == '.' || *p == 'e' || *p == 'E'))) {
        return 0;
    }
    *value = negative ? -(int64_t)w : (int64_t)w;
    s->p = p;
    return 1;
}

static int starts_number(const Scan *s) {
    return s->p < s->end && (*s->p == '-' || (*s->p >= '0' && *s->p <= '9'));
}

/* After the opening bracket: the next element follows (1), the list ends (0), or neither. */
static int next_element(Scan *s, unsigned char close, int first) {
    skip_ws(s);
    if (s->p < s->end && *s->p == close) {
        s->p++;
        return 0;
    }
    if (!first) {
        if (s->p >= s->end || *s->p != ',') {
            return -1;
        }
        s->p++;
        skip_ws(s);
    }
    return 1;
}

/* A list of plain integers; 1 in *odd (and nothing kept) when some element is anything else. */
static int read_int_list(Scan *s, int *odd) {
    const size_t mark = s->list_items.len;
    s->p++;
    for (int first = 1;; first = 0) {
        const int more = next_element(s, ']', first);
        if (more < 0) {
            return UNUSUAL;
        }
        if (more == 0) {
            return OK;
        }
        JsonNumber number;
        int64_t plain;
        if (read_plain_int(s, &plain)) {
            CHECK(put_i64(&s->list_items, plain));
            continue;
        }
        if (!starts_number(s)) {
            break;
        }
        CHECK(read_number(s, &number));
        if (!number.fits_int64) {
            break;
        }
        CHECK(put_i64(&s->list_items, number.integer));
    }
    s->list_items.len = mark;
    *odd = 1;
    return OK;
}

/* A canonical array index ("0", "7", "42", at most 2^32 - 2), or -1. */
static int64_t array_index(const unsigned char *text, size_t length) {
    if (length == 0 || length > 10 || (length > 1 && text[0] == '0')) {
        return -1;
    }
    uint64_t value = 0;
    for (size_t i = 0; i < length; i++) {
        if (text[i] < '0' || text[i] > '9') {
            return -1;
        }
        value = value * 10 + (uint64_t)(text[i] - '0');
    }
    return value <= MAX_ARRAY_INDEX ? (int64_t)value : -1;
}

static int compare_keys(const void *a, const void *b) {
    const int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

/* Whether keys[0..count) holds a key twice (JSON keeps the last value: not a plain row). */
static int repeats_key(const int64_t *keys, size_t count, int *failed) {
    uint64_t small = 0;
    size_t large = 0;
    for (size_t i = 0; i < count; i++) {
        if (keys[i] < 64) {
            const uint64_t bit = (uint64_t)1 << keys[i];
            if (small & bit) {
                return 1;
            }
            small |= bit;
        } else {
            large++;
        }
    }
    if (large < 2) {
        return 0;
    }
    int64_t *sorted = malloc(large * sizeof *sorted);
    if (sorted == NULL) {
        *failed = 1;
        return 0;
    }
    size_t n = 0;
    for (size_t i = 0; i < count; i++) {
        if (keys[i] >= 64) {
            sorted[n++] = keys[i];
        }
    }
    qsort(sorted, n, sizeof *sorted, compare_keys);
    int repeated = 0;
    for (size_t i = 1; i < n && !repeated; i++) {
        repeated = sorted[i] == sorted[i - 1];
    }
    free(sorted);
    return repeated;
}

/* A mapping of array-index keys to finite numbers; *odd as for lists. */
static int read_mapping(Scan *s, int *odd) {
    const size_t keys_mark = s->map_keys.len, values_mark = s->map_values.len;
    s->p++;
    for (int first = 1;; first = 0) {
        const int more = next_element(s, '}', first);
        if (more < 0) {
            return UNUSUAL;
        }
        if (more == 0) {
            break;
        }
        const unsigned char *text;
        size_t length;
        int escaped;
        CHECK(read_string(s, &text, &length, &escaped));
        const int64_t key = escaped ? -1 : array_index(text, length);
        CHECK(expect(s, ':'));
        skip_ws(s);
        JsonNumber number;
        if (key < 0 || !starts_number(s)) {
            goto odd;
        }
        CHECK(read_number(s, &number));
        if (number.value - number.value != 0) { /* infinite */
            goto odd;
        }
        CHECK(put_i64(&s->map_keys, key));
        CHECK(put_f64(&s->map_values, number.value));
    }
    int failed = 0;
    const int64_t *keys = (const int64_t *)(s->map_keys.data + keys_mark);
    const size_t count = (s->map_keys.len - keys_mark) / sizeof(int64_t);
    if (!repeats_key(keys, count, &failed)) {
        return failed ? (PyErr_NoMemory(), FAILED) : OK;
    }
odd:
    s->map_keys.len = keys_mark;
    s->map_values.len = values_mark;
    *odd = 1;
    return OK;
}

/* One vote's choice: its kind, its integer, its list or mapping entries, or its byte range. */
static int read_choice(Scan *s) {
    skip_ws(s);
    const unsigned char *start = s->p;
    int odd = 0;
    unsigned char kind = KIND_OTHER;
    int64_t integer = 0;
    if (read_plain_int(s, &integer)) {
        kind = KIND_INT;
    } else if (starts_number(s)) {
        JsonNumber number;
        CHECK(read_number(s, &number));
        odd = !number.fits_int64;
        kind = KIND_INT;
        integer = number.integer;
    } else if (s->p < s->end && *s->p == '[') {
        CHECK(read_int_list(s, &odd));
        kind = KIND_LIST;
    } else if (s->p < s->end && *s->p == '{') {
        CHECK(read_mapping(s, &odd));
        kind = KIND_MAPPING;
    } else {
        odd = 1;
    }
    if (odd) {
        s->p = start;
        CHECK(skip_value(s));
        kind = KIND_OTHER;
        integer = 0;
        CHECK(put_i64(&s->spans, s->rows));
        CHECK(put_i64(&s->spans, (int64_t)(start - s->base)));
        CHECK(put_i64(&s->spans, (int64_t)(s->p - s->base)));
    }
    CHECK(put(&s->kinds, &kind, 1));
    CHECK(put_i64(&s->ints, integer));
    CHECK(put_i64(&s->list_offsets, (int64_t)(s->list_items.len / sizeof(int64_t))));
    return put_i64(&s->map_offsets, (int64_t)(s->map_keys.len / sizeof(int64_t)));
}

/* A finite number (a balance, a score, vp). */
static int read_power(Scan *s, double *value) {
    skip_ws(s);
    JsonNumber number;
    if (!starts_number(s)) {
        return UNUSUAL;
    }
    CHECK(read_number(s, &number));
    if (number.value - number.value != 0) {
        return UNUSUAL; /* overflow: the exact path says what to do with it */
    }
    *value = number.value;
    return OK;
}

/* A list of finite numbers into s->scores (null on a hub page: none, as an empty list). */
static int read_scores(Scan *s) {
    skip_ws(s);
    s->scores.len = 0;
    if (s->hub && s->end - s->p >= 4 && memcmp(s->p, "null", 4) == 0) {
        s->p += 4;
        return OK;
    }
    if (s->p >= s->end || *s->p != '[') {
        return UNUSUAL;
    }
    s->p++;
    for (int first = 1;; first = 0) {
        const int more = next_element(s, ']', first);
        if (more < 0) {
            return UNUSUAL;
        }
        if (more == 0) {
            return OK;
        }
        double value;
        CHECK(read_power(s, &value));
        CHECK(put_f64(&s->scores, value));
    }
}

/* A voter address: plain ASCII, lowered as Python's str.lower() lowers it. */
static int read_voter(Scan *s) {
    skip_ws(s);
    const unsigned char *text;
    size_t length;
    int escaped;
    CHECK(read_string(s, &text, &length, &escaped));
    if (escaped) {
        return UNUSUAL;
    }
    CHECK(reserve(&s->voters, length));
    char *out = s->voters.data + s->voters.len;
    for (size_t i = 0; i < length; i++) {
        const unsigned char c = text[i];
        if (c >= 0x80) {
            return UNUSUAL;
        }
        out[i] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
    }
    s->voters.len += length;
    return put_i64(&s->voter_ends, (int64_t)s->voters.len);
}

static int read_created(Scan *s) {
    skip_ws(s);
    JsonNumber number;
    if (!starts_number(s)) {
        return UNUSUAL;
    }
    CHECK(read_number(s, &number));
    return number.fits_int64 ? put_i64(&s->created, number.integer) : UNUSUAL;
}

typedef struct {
    const char *name;
    size_t length;
} Field;

static const Field TALLY_FIELDS[F_COUNT] = {{"choice", 6}, {"balance", 7}, {"scores", 6},
                                            {NULL, 0}, {NULL, 0}};
static const Field HUB_FIELDS[F_COUNT] = {
    {"choice", 6}, {"vp", 2}, {"vp_by_strategy", 14}, {"voter", 5}, {"created", 7}};

static inline int field_of(const Scan *s, const unsigned char *text, size_t length) {
    const Field *fields = s->hub ? HUB_FIELDS : TALLY_FIELDS;
    for (int f = 0; f < F_COUNT; f++) {
        if (fields[f].length == length && memcmp(fields[f].name, text, length) == 0) {
            return f;
        }
    }
    return -1;
}

static int read_field(Scan *s, int field, double *balance) {
    switch (field) {
    case F_CHOICE:
        return read_choice(s);
    case F_BALANCE:
        return read_power(s, balance);
    case F_SCORES:
        return read_scores(s);
    case F_VOTER:
        return read_voter(s);
    default:
        return read_created(s);
    }
}

/* The vote's powers row: its balance, then a score per strategy. */
static int put_powers(Scan *s, double balance) {
    const Py_ssize_t count = (Py_ssize_t)(s->scores.len / sizeof(double));
    const int fill = s->hub && count == 0; /* null, absent or []: vp for every strategy */
    if (!fill) {
        if (s->strategies < 0) {
            s->strategies = count;
        } else if (count != s->strategies) {
            return UNUSUAL; /* the exact path names the vote in its error */
        }
    }
    CHECK(put_f64(&s->powers, balance));
    if (fill) {
        for (Py_ssize_t i = 0; i < s->strategies; i++) {
            CHECK(put_f64(&s->powers, balance));
        }
        return OK;
    }
    return put(&s->powers, s->scores.data, s->scores.len);
}

static int read_vote(Scan *s) {
    CHECK(expect(s, '{'));
    int seen = 0;
    double balance = 0.0;
    s->scores.len = 0;
    for (int first = 1;; first = 0) {
        const int more = next_element(s, '}', first);
        if (more < 0) {
            return UNUSUAL;
        }
        if (more == 0) {
            break;
        }
        const unsigned char *text;
        size_t length;
        int escaped;
        CHECK(read_string(s, &text, &length, &escaped));
        const int field = escaped ? -1 : field_of(s, text, length);
        if (field < 0 || (seen & (1 << field))) {
            return UNUSUAL; /* an unknown or repeated field */
        }
        seen |= 1 << field;
        CHECK(expect(s, ':'));
        CHECK(read_field(s, field, &balance));
    }
    const int required = s->hub ? (1 << F_CHOICE) | (1 << F_BALANCE) | (1 << F_VOTER) |
                                      (1 << F_CREATED)
                                : (1 << F_CHOICE) | (1 << F_BALANCE) | (1 << F_SCORES);
    if ((seen & required) != required) {
        return UNUSUAL;
    }
    CHECK(put_powers(s, balance));
    s->rows++;
    return OK;
}

static int read_votes(Scan *s) {
    CHECK(expect(s, '['));
    for (int first = 1;; first = 0) {
        const int more = next_element(s, ']', first);
        if (more < 0) {
            return UNUSUAL;
        }
        if (more == 0) {
            return OK;
        }
        CHECK(read_vote(s));
    }
}

/* Walk the object at s->p down ``path`` (a tuple of bytes) from ``level`` to the votes. */
static int walk(Scan *s, PyObject *path, Py_ssize_t level, Py_ssize_t *votes_start,
                Py_ssize_t *votes_end) {
    PyObject *name = PyTuple_GET_ITEM(path, level);
    const size_t want = (size_t)PyBytes_GET_SIZE(name);
    const char *wanted = PyBytes_AS_STRING(name);
    int found = 0;
    CHECK(expect(s, '{'));
    for (int first = 1;; first = 0) {
        const int more = next_element(s, '}', first);
        if (more < 0) {
            return UNUSUAL;
        }
        if (more == 0) {
            return found ? OK : UNUSUAL;
        }
        const unsigned char *text;
        size_t length;
        int escaped;
        CHECK(read_string(s, &text, &length, &escaped));
        if (escaped) {
            return UNUSUAL; /* it might spell the name we look for */
        }
        CHECK(expect(s, ':'));
        if (length != want || memcmp(text, wanted, want) != 0) {
            CHECK(skip_value(s));
            continue;
        }
        if (found) {
            return UNUSUAL; /* twice: the exact decoder keeps the last one */
        }
        found = 1;
        if (level + 1 < PyTuple_GET_SIZE(path)) {
            CHECK(walk(s, path, level + 1, votes_start, votes_end));
        } else {
            skip_ws(s);
            *votes_start = s->p - s->base;
            CHECK(read_votes(s));
            *votes_end = s->p - s->base;
        }
    }
}

/* The voters as fixed-width rows (the widest voter's width, at least 1), zero-padded. */
static PyObject *voter_rows(const Scan *s, Py_ssize_t *width) {
    const int64_t *ends = (const int64_t *)s->voter_ends.data;
    int64_t widest = 1, previous = 0;
    for (Py_ssize_t r = 0; r < s->rows; r++) {
        widest = ends[r] - previous > widest ? ends[r] - previous : widest;
        previous = ends[r];
    }
    *width = (Py_ssize_t)widest;
    PyObject *rows = PyByteArray_FromStringAndSize(NULL, s->rows * widest);
    if (rows == NULL) {
        return NULL;
    }
    char *out = PyByteArray_AS_STRING(rows);
    memset(out, 0, (size_t)(s->rows * widest));
    previous = 0;
    for (Py_ssize_t r = 0; r < s->rows; r++) {
        memcpy(out + r * widest, s->voters.data + previous, (size_t)(ends[r] - previous));
        previous = ends[r];
    }
    return rows;
}

static int set_item(PyObject *result, const char *key, PyObject *value) {
    if (value == NULL) {
        return FAILED;
    }
    const int status = PyDict_SetItemString(result, key, value);
    Py_DECREF(value);
    return status == 0 ? OK : FAILED;
}

/* The columns as a dict of bytearrays (the voters fixed-width) and counts. */
static PyObject *result_of(Scan *s, Py_ssize_t votes_start, Py_ssize_t votes_end) {
    PyObject *result = PyDict_New();
    if (result == NULL) {
        return NULL;
    }
    Py_ssize_t width = 0;
    const char *names[] = {"kinds",    "ints",       "list_offsets", "list_items", "map_offsets",
                           "map_keys", "map_values", "powers",       "spans"};
    Buf *bufs[] = {&s->kinds,    &s->ints,       &s->list_offsets, &s->list_items, &s->map_offsets,
                   &s->map_keys, &s->map_values, &s->powers,       &s->spans};
    int status = set_item(result, "start", PyLong_FromSsize_t(votes_start));
    status = status == OK ? set_item(result, "end", PyLong_FromSsize_t(votes_end)) : status;
    status = status == OK ? set_item(result, "rows", PyLong_FromSsize_t(s->rows)) : status;
    status = status == OK ? set_item(result, "strategies", PyLong_FromSsize_t(s->strategies))
                          : status;
    for (size_t i = 0; i < sizeof bufs / sizeof bufs[0] && status == OK; i++) {
        status = set_item(result, names[i], finish(bufs[i]));
    }
    if (status == OK && s->hub) {
        status = set_item(result, "voters", voter_rows(s, &width));
        status = status == OK ? set_item(result, "created", finish(&s->created)) : status;
    }
    status = status == OK ? set_item(result, "voter_width", PyLong_FromSsize_t(width)) : status;
    if (status != OK) {
        Py_DECREF(result);
        return NULL;
    }
    return result;
}

static void release(Scan *s) {
    Buf *bufs[] = {&s->kinds,  &s->ints,       &s->list_offsets, &s->list_items, &s->map_offsets,
                   &s->map_keys, &s->map_values, &s->powers,       &s->spans,      &s->scores,
                   &s->voters, &s->voter_ends, &s->created};
    for (size_t i = 0; i < sizeof bufs / sizeof bufs[0]; i++) {
        Py_CLEAR(bufs[i]->array);
    }
}

/* Room for as many rows as the input can hold (a vote takes 37 bytes or more), so that the
 * row arrays never move; pages never written cost nothing. */
static int reserve_rows(Scan *s) {
    const size_t rows = (size_t)(s->end - s->base) / 37 + 2;
    const size_t per_row[] = {1, 8, 8, 8};
    Buf *bufs[] = {&s->kinds, &s->ints, &s->list_offsets, &s->map_offsets};
    for (int i = 0; i < 4; i++) {
        if (grow(bufs[i], rows * per_row[i]) != OK) {
            return FAILED;
        }
    }
    return OK;
}

static PyObject *scan_votes(PyObject *self, PyObject *args) {
    (void)self;
    Py_buffer data;
    PyObject *path;
    int hub;
    Py_ssize_t strategies;
    if (!PyArg_ParseTuple(args, "y*O!pn", &data, &PyTuple_Type, &path, &hub, &strategies)) {
        return NULL;
    }
    for (Py_ssize_t i = 0; i < PyTuple_GET_SIZE(path); i++) {
        if (!PyBytes_Check(PyTuple_GET_ITEM(path, i))) {
            PyBuffer_Release(&data);
            PyErr_SetString(PyExc_TypeError, "path must be a tuple of bytes");
            return NULL;
        }
    }
    if (PyTuple_GET_SIZE(path) == 0 || !powers_loaded || (hub && strategies < 0)) {
        PyBuffer_Release(&data);
        PyErr_SetString(PyExc_ValueError, "an empty path, no powers of five, or no strategies");
        return NULL;
    }
    Scan s;
    memset(&s, 0, sizeof s);
    s.base = s.p = data.buf;
    s.end = s.base + data.len;
    s.hub = hub;
    s.strategies = strategies;
    Py_ssize_t votes_start = 0, votes_end = 0;
    int status = reserve_rows(&s);
    status = status == OK ? put_i64(&s.list_offsets, 0) : status;
    status = status == OK ? put_i64(&s.map_offsets, 0) : status;
    status = status == OK ? walk(&s, path, 0, &votes_start, &votes_end) : status;
    if (status == OK) {
        skip_ws(&s);
        status = s.p == s.end ? OK : UNUSUAL;
    }
    PyObject *result = NULL;
    if (status == OK) {
        result = result_of(&s, votes_start, votes_end);
    } else if (status == UNUSUAL) {
        result = Py_None;
        Py_INCREF(result);
    }
    release(&s);
    PyBuffer_Release(&data);
    return result;
}

static PyObject *load_powers(PyObject *self, PyObject *args) {
    (void)self;
    Py_buffer words;
    if (!PyArg_ParseTuple(args, "y*", &words)) {
        return NULL;
    }
    if (words.len != (Py_ssize_t)(2 * POWERS_COUNT * sizeof(uint64_t))) {
        PyBuffer_Release(&words);
        PyErr_SetString(PyExc_ValueError, "the table needs 651 pairs of 64-bit words");
        return NULL;
    }
    memcpy(powers_of_five, words.buf, sizeof powers_of_five);
    powers_loaded = 1;
    PyBuffer_Release(&words);
    Py_RETURN_NONE;
}

static PyObject *parse_number(PyObject *self, PyObject *args) {
    (void)self;
    Py_buffer text;
    if (!PyArg_ParseTuple(args, "y*", &text)) {
        return NULL;
    }
    JsonNumber number;
    const unsigned char *start = text.buf, *end = start + text.len;
    const int status = read_json_number(start, end, &number);
    PyBuffer_Release(&text);
    if (status == -2) {
        return NULL;
    }
    if (status != 0 || number.end != end) {
        Py_RETURN_NONE;
    }
    if (number.fits_int64) {
        return Py_BuildValue("(dL)", number.value, (long long)number.integer);
    }
    return Py_BuildValue("(dO)", number.value, Py_None);
}

static PyMethodDef methods[] = {
    {"scan_votes", scan_votes, METH_VARARGS,
     "scan_votes(data, path, hub, strategies): the columns of the votes at ``path`` (a dict of "
     "bytearrays and counts), or None when the exact Python path must read the document."},
    {"load_powers", load_powers, METH_VARARGS,
     "load_powers(words): the 128-bit powers of five, 10^-342..10^308, high word first."},
    {"parse_number", parse_number, METH_VARARGS,
     "parse_number(literal): (float value, int64 value or None) of one JSON number, or None."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "_scan",
                                    "Vote documents to columns (see _scan.c).", -1, methods,
                                    NULL, NULL, NULL, NULL};

PyMODINIT_FUNC PyInit__scan(void) { return PyModule_Create(&module); }
