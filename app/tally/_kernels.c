/* Copeland's count in one pass over a VoteTable's columns, in snapshot.js's exact order.
 *
 * snapshot.js folds, ballot after ballot, `pw[a][b] += w; pw[b][a] -= w; supportFor[a] += w`
 * for every pair of ranks (p, q > p), and `total += w` once per valid ballot. Each of those sums
 * is a chain of IEEE-754 double additions whose rounding depends on every partial sum, so it is
 * computed here in that same order, one addition at a time (no reassociation: this file must not
 * be built with -ffast-math, and it has no multiplications a compiler could fuse).
 * pw[b][a] is always exactly -pw[a][b] (negation commutes with rounding), so only a < b is kept
 * and mirrored at the end. Only pw's signs matter; with a groups buffer the ballots are instead
 * summed per ranking (code = the ranking's digits in base n), and the caller decides each sign
 * from those sums with an error bound, coming back for the exact fold only if one is too close.
 * That grouped fold (2 <= n <= 6, the usual case) is compiled once per n and counts four columns
 * side by side, so that its sums stay in registers (fold_grouped_lanes).
 *
 * Validity is snapshot.js's isValidChoice for the table's plain rows (kind LIST, elements int64):
 * current variant: exactly n elements, each 1..n, none repeated; legacy: 1..n elements of the same
 * kind. Tables with odd rows are counted by the numpy path, which judges those rows one by one.
 *
 * Plain C and the CPython buffer protocol only: no numpy headers, any C99 compiler. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define KIND_LIST 1

#if defined(__clang__)
#pragma STDC FP_CONTRACT OFF /* as -ffp-contract=off does for GCC (setup.py) */
#endif

static int get_buffer(PyObject *object, Py_buffer *view, Py_ssize_t item, int writable,
                      const char *what) {
    int flags = PyBUF_C_CONTIGUOUS | (writable ? PyBUF_WRITABLE : 0);
    if (PyObject_GetBuffer(object, view, flags) != 0) {
        return -1;
    }
    if (view->itemsize != item) {
        PyErr_Format(PyExc_TypeError, "%s has items of %zd bytes, expected %zd", what,
                     view->itemsize, item);
        PyBuffer_Release(view);
        return -1;
    }
    return 0;
}

/* Every buffer, or none: views from ``first_writable`` on must be writable. On failure the ones
 * already taken are released and a Python error is set. */
static int get_buffers(int count, PyObject *const *objects, Py_buffer *const *views,
                       const Py_ssize_t *sizes, const char *const *names, int first_writable) {
    for (int i = 0; i < count; i++) {
        if (get_buffer(objects[i], views[i], sizes[i], i >= first_writable, names[i]) != 0) {
            while (i-- > 0) {
                PyBuffer_Release(views[i]);
            }
            return -1;
        }
    }
    return 0;
}

static void release_buffers(int count, Py_buffer *const *views) {
    for (int i = 0; i < count; i++) {
        PyBuffer_Release(views[i]);
    }
}

#if defined(__GNUC__) || defined(__clang__)
#define ALWAYS_INLINE inline __attribute__((always_inline))
#elif defined(_MSC_VER)
#define ALWAYS_INLINE __forceinline
#else
#define ALWAYS_INLINE inline
#endif

#define LANES 4          /* columns counted side by side: the compiler's vector registers */
#define MAX_GROUPED_N 6  /* n ** n ranking codes stay within the caller's 2 ** 17 */

/* A table's plain-row columns and the fold's outputs, as the grouped fold reads and writes them. */
typedef struct {
    const uint8_t *kind;
    const int64_t *offset, *item;
    Py_ssize_t rows, item_count, columns;
    const double *power;
    uint8_t *ok;
    double *support, *total, *group; /* [column][a], [column], [code][column] */
} Grouped;

/* The current variant with a groups buffer, for ``LANES`` columns from ``first``: every ballot's
 * validity, the totals and the average-support sums in snapshot.js's order, and the ballots'
 * powers summed per ranking code (for pw's signs). With n a constant (see fold_grouped), the
 * accumulators are local arrays the compiler keeps in registers or the stack: no memory they
 * could alias, so the additions of different cells and columns overlap. Each cell still receives
 * its additions one after another in ballot order, which is all that rounding depends on.
 * Padding lanes add +0.0, and the lanes are written back only up to ``width``. */
static ALWAYS_INLINE void fold_grouped_lanes(const Grouped *g, const Py_ssize_t n,
                                             const Py_ssize_t first, const Py_ssize_t width) {
    double support[MAX_GROUPED_N][LANES], total[LANES];
    memset(support, 0, sizeof support);
    memset(total, 0, sizeof total);
    Py_ssize_t rank[MAX_GROUPED_N];
    for (Py_ssize_t r = 0; r < g->rows; r++) {
        g->ok[r] = 0;
        if (g->kind[r] != KIND_LIST) {
            continue;
        }
        const int64_t start = g->offset[r], stop = g->offset[r + 1];
        if (start < 0 || stop > g->item_count || stop - start != n) {
            continue;
        }
        unsigned mask = 0;
        Py_ssize_t code = 0;
        int good = 1;
        for (Py_ssize_t k = 0; k < n; k++) {
            const int64_t c = g->item[start + k];
            if (c < 1 || c > n || (mask >> (c - 1) & 1u)) {
                good = 0;
                break;
            }
            mask |= 1u << (c - 1);
            rank[k] = (Py_ssize_t)(c - 1);
            code = code * n + (Py_ssize_t)(c - 1);
        }
        if (!good) {
            continue;
        }
        g->ok[r] = 1;
        const double *row = g->power + r * g->columns + first;
        double w[LANES];
        for (Py_ssize_t l = 0; l < LANES; l++) {
            w[l] = l < width ? row[l] : 0.0;
        }
        for (Py_ssize_t l = 0; l < LANES; l++) {
            total[l] += w[l];
        }
        double *sums = g->group + code * g->columns + first;
        for (Py_ssize_t l = 0; l < width; l++) {
            sums[l] += w[l];
        }
        /* supportFor[rank[p]] receives w once per lower rank: n - 1 - p additions. */
        for (Py_ssize_t p = 0; p + 1 < n; p++) {
            double *cell = support[rank[p]];
            for (Py_ssize_t k = p; k + 1 < n; k++) {
                for (Py_ssize_t l = 0; l < LANES; l++) {
                    cell[l] += w[l];
                }
            }
        }
    }
    for (Py_ssize_t l = 0; l < width; l++) {
        g->total[first + l] = total[l];
        for (Py_ssize_t a = 0; a < n; a++) {
            g->support[(first + l) * n + a] = support[a][l];
        }
    }
}

/* One call per block of LANES columns, n made a constant for the compiler. */
static void fold_grouped(const Grouped *g, Py_ssize_t n) {
    for (Py_ssize_t first = 0; first < g->columns; first += LANES) {
        const Py_ssize_t left = g->columns - first, width = left < LANES ? left : LANES;
        switch (n) {
        case 2:
            fold_grouped_lanes(g, 2, first, width);
            break;
        case 3:
            fold_grouped_lanes(g, 3, first, width);
            break;
        case 4:
            fold_grouped_lanes(g, 4, first, width);
            break;
        case 5:
            fold_grouped_lanes(g, 5, first, width);
            break;
        default:
            fold_grouped_lanes(g, 6, first, width);
            break;
        }
    }
}

static PyObject *copeland_fold(PyObject *self, PyObject *args) {
    (void)self;
    PyObject *kinds_o, *offsets_o, *items_o, *powers_o, *valid_o, *pw_o, *support_o, *totals_o,
        *groups_o;
    Py_ssize_t n, columns;
    int legacy;
    if (!PyArg_ParseTuple(args, "OOOOnnpOOOOO", &kinds_o, &offsets_o, &items_o, &powers_o, &n,
                          &columns, &legacy, &valid_o, &pw_o, &support_o, &totals_o,
                          &groups_o)) {
        return NULL;
    }
    Py_buffer kinds, offsets, items, powers, valid, pw, support, totals, groups;
    Py_buffer *views[9] = {&kinds, &offsets, &items,  &powers, &valid,
                           &pw,    &support, &totals, &groups};
    PyObject *objects[9] = {kinds_o, offsets_o, items_o,  powers_o, valid_o,
                            pw_o,    support_o, totals_o, groups_o};
    const Py_ssize_t sizes[9] = {1, 8, 8, 8, 1, 8, 8, 8, 8};
    const char *names[9] = {"kinds", "offsets", "items",  "powers", "valid",
                            "pw",    "support", "totals", "groups"};
    if (get_buffers(9, objects, views, sizes, names, 4) != 0) {
        return NULL;
    }
    if (n < 0 || columns < 1) {
        PyErr_SetString(PyExc_ValueError, "bad choice or column count");
        goto fail;
    }
    const Py_ssize_t rows = kinds.len;
    if (offsets.len != 8 * (rows + 1) || powers.len != 8 * rows * columns || valid.len != rows ||
        pw.len != 8 * n * n * columns || support.len != 8 * columns * n ||
        totals.len != 8 * columns) {
        PyErr_SetString(PyExc_ValueError, "column sizes do not match");
        goto fail;
    }
    /* Grouping (full rankings only): ballots summed per ranking code, for pw's signs. */
    Py_ssize_t codes = 1;
    for (Py_ssize_t i = 0; i < n && groups.len > 0; i++) {
        codes *= n;
    }
    const int grouped = groups.len > 0 && !legacy;
    if (groups.len > 0 &&
        (legacy || n < 2 || n > MAX_GROUPED_N || groups.len != 8 * codes * columns)) {
        PyErr_SetString(PyExc_ValueError,
                        "the group buffer needs n ** n rows, 2 <= n <= 6 (current only)");
        goto fail;
    }
    double *group = groups.buf;
    if (grouped) {
        memset(group, 0, (size_t)groups.len);
    }
    const uint8_t *kind = kinds.buf;
    const int64_t *offset = offsets.buf;
    const int64_t *item = items.buf;
    const Py_ssize_t item_count = items.len / 8;
    const double *power = powers.buf;
    uint8_t *ok = valid.buf;
    double *pairs = pw.buf;       /* [a][b][column], a < b filled, then mirrored */
    double *backing = support.buf; /* [column][a] */
    double *total = totals.buf;
    memset(pairs, 0, (size_t)pw.len);
    memset(backing, 0, (size_t)support.len);
    memset(total, 0, (size_t)totals.len);
    unsigned char *seen = calloc((size_t)n + 1, 1);
    Py_ssize_t *rank = malloc(sizeof(Py_ssize_t) * ((size_t)n + 1));
    double *negated = malloc(sizeof(double) * (size_t)columns);
    if (seen == NULL || rank == NULL || negated == NULL) {
        free(seen);
        free(rank);
        free(negated);
        PyErr_NoMemory();
        goto fail;
    }
    if (grouped) {
        const Grouped g = {kind, offset, item, rows, item_count, columns, power, ok, backing,
                           total, group};
        Py_BEGIN_ALLOW_THREADS;
        fold_grouped(&g, n);
        Py_END_ALLOW_THREADS;
        goto done;
    }
    Py_BEGIN_ALLOW_THREADS;
    for (Py_ssize_t r = 0; r < rows; r++) {
        ok[r] = 0;
        if (kind[r] != KIND_LIST) {
            continue;
        }
        const int64_t start = offset[r], stop = offset[r + 1];
        const int64_t length = stop - start;
        if (start < 0 || stop > item_count || length < 1 || length > n ||
            (!legacy && length != n)) {
            continue;
        }
        int good = 1;
        if (n <= 64) { /* one bit per choice */
            uint64_t mask = 0;
            for (int64_t k = 0; k < length; k++) {
                const int64_t c = item[start + k];
                const uint64_t bit = (uint64_t)1 << ((c - 1) & 63);
                if (c < 1 || c > n || (mask & bit)) {
                    good = 0;
                    break;
                }
                mask |= bit;
                rank[k] = (Py_ssize_t)(c - 1);
            }
        } else {
            for (int64_t k = 0; k < length; k++) {
                const int64_t c = item[start + k];
                if (c < 1 || c > n || seen[c]) {
                    good = 0;
                    break;
                }
                seen[c] = 1;
                rank[k] = (Py_ssize_t)(c - 1);
            }
            for (int64_t k = 0; k < length; k++) { /* reset what this ballot marked */
                const int64_t c = item[start + k];
                if (c >= 1 && c <= n) {
                    seen[c] = 0;
                }
            }
        }
        if (!good) {
            continue;
        }
        ok[r] = 1;
        const double *w = power + r * columns;
        for (Py_ssize_t col = 0; col < columns; col++) {
            total[col] += w[col];
            negated[col] = -w[col];
        }
        for (int64_t p = 0; p < length; p++) {
            const Py_ssize_t a = rank[p];
            for (int64_t q = p + 1; q < length; q++) {
                const Py_ssize_t b = rank[q];
                /* Branch-free: the cell (low, high) receives +w when a is the lower index. */
                const Py_ssize_t low = a < b ? a : b, high = a < b ? b : a;
                const double *add = a < b ? w : negated;
                double *cell = pairs + (low * n + high) * columns;
                for (Py_ssize_t col = 0; col < columns; col++) {
                    cell[col] += add[col];
                }
            }
            if (!legacy) {
                /* supportFor[a] receives w once per lower rank, one addition after another. */
                const int64_t times = length - 1 - p;
                for (Py_ssize_t col = 0; col < columns; col++) {
                    double sum = backing[col * n + a];
                    for (int64_t k = 0; k < times; k++) {
                        sum += w[col];
                    }
                    backing[col * n + a] = sum;
                }
            }
        }
    }
    for (Py_ssize_t a = 0; a < n; a++) {
        for (Py_ssize_t b = a + 1; b < n; b++) {
            for (Py_ssize_t col = 0; col < columns; col++) {
                pairs[(b * n + a) * columns + col] = -pairs[(a * n + b) * columns + col];
            }
        }
    }
    Py_END_ALLOW_THREADS;
done:
    free(seen);
    free(rank);
    free(negated);
    release_buffers(9, views);
    Py_RETURN_NONE;
fail:
    release_buffers(9, views);
    return NULL;
}

/* fold_rows(targets, owners, powers, out): out[col][targets[i]] += powers[owners[i]][col] for
 * i in order, skipping negative targets; owners may be empty (then row i). Per cell this is the
 * same chain of additions, in the same order, as numpy's add.at column by column. */
static PyObject *fold_rows(PyObject *self, PyObject *args) {
    (void)self;
    PyObject *targets_o, *owners_o, *powers_o, *out_o;
    Py_ssize_t columns, bins;
    if (!PyArg_ParseTuple(args, "OOOnnO", &targets_o, &owners_o, &powers_o, &columns, &bins,
                          &out_o)) {
        return NULL;
    }
    Py_buffer targets, owners, powers, out;
    Py_buffer *views[4] = {&targets, &owners, &powers, &out};
    PyObject *objects[4] = {targets_o, owners_o, powers_o, out_o};
    const Py_ssize_t sizes[4] = {8, 8, 8, 8};
    const char *names[4] = {"targets", "owners", "powers", "out"};
    if (get_buffers(4, objects, views, sizes, names, 3) != 0) {
        return NULL;
    }
    const Py_ssize_t count = targets.len / 8, rows = columns > 0 ? powers.len / 8 / columns : 0;
    const int by_owner = owners.len > 0;
    if (columns < 1 || bins < 0 || out.len != 8 * columns * bins ||
        (by_owner && owners.len != targets.len) || (!by_owner && count > rows)) {
        PyErr_SetString(PyExc_ValueError, "fold_rows: sizes do not match");
        goto fail;
    }
    const int64_t *target = targets.buf, *owner = owners.buf;
    const double *power = powers.buf;
    double *cell = out.buf;
    for (Py_ssize_t i = 0; i < count; i++) {
        const int64_t t = target[i], r = by_owner ? owner[i] : i;
        if (t < 0 || t >= bins || r < 0 || r >= rows) {
            if (t < 0) {
                continue;
            }
            PyErr_SetString(PyExc_IndexError, "fold_rows: a target or owner is out of range");
            goto fail;
        }
        const double *w = power + r * columns;
        for (Py_ssize_t col = 0; col < columns; col++) {
            cell[col * bins + t] += w[col];
        }
    }
    release_buffers(4, views);
    Py_RETURN_NONE;
fail:
    release_buffers(4, views);
    return NULL;
}

#define KIND_MAPPING 2

/* weights_fold(kinds, map_offsets, map_keys, map_values, powers, n, columns, quadratic, valid,
 * folded, totals): snapshot.js's weighted or quadratic count over a table's plain rows.
 *
 * A ballot is valid when it is a mapping with at least one entry, every key an index 1..n, every
 * value >= 0 and one above zero. Its sum S adds the values from 0 in Object.values order (keys
 * ascending). Choice i then receives, per column, (w / S * 100, NaN as 0) / 100 * power
 * (weighted) or sqrt((w / S, NaN as 0) * power) (quadratic), added to folded[column][i] in
 * ballot order; choices the ballot leaves out add +0 in snapshot.js, which changes no sum.
 * totals[0] folds the valid ballots' balances, totals[1] every ballot's. Each product is its own
 * rounded operation: this file is built with floating-point contraction off (setup.py), so that
 * no compiler fuses a product into the addition that follows it. */
static PyObject *weights_fold(PyObject *self, PyObject *args) {
    (void)self;
    PyObject *kinds_o, *offsets_o, *keys_o, *values_o, *powers_o, *valid_o, *folded_o, *totals_o;
    Py_ssize_t n, columns;
    int quadratic;
    if (!PyArg_ParseTuple(args, "OOOOOnnpOOO", &kinds_o, &offsets_o, &keys_o, &values_o,
                          &powers_o, &n, &columns, &quadratic, &valid_o, &folded_o, &totals_o)) {
        return NULL;
    }
    Py_buffer kinds, offsets, keys, values, powers, valid, folded, totals;
    Py_buffer *views[8] = {&kinds, &offsets, &keys, &values, &powers, &valid, &folded, &totals};
    PyObject *objects[8] = {kinds_o,  offsets_o, keys_o,   values_o,
                            powers_o, valid_o,   folded_o, totals_o};
    const Py_ssize_t sizes[8] = {1, 8, 8, 8, 8, 1, 8, 8};
    const char *names[8] = {"kinds", "offsets", "keys", "values",
                            "powers", "valid", "folded", "totals"};
    if (get_buffers(8, objects, views, sizes, names, 5) != 0) {
        return NULL;
    }
    const Py_ssize_t rows = kinds.len;
    if (n < 1 || columns < 1 || offsets.len != 8 * (rows + 1) || keys.len != values.len ||
        powers.len != 8 * rows * columns || valid.len != rows || folded.len != 8 * columns * n ||
        totals.len != 16) {
        PyErr_SetString(PyExc_ValueError, "weights_fold: sizes do not match");
        goto fail;
    }
    const uint8_t *kind = kinds.buf;
    const int64_t *offset = offsets.buf, *key = keys.buf;
    const double *value = values.buf, *power = powers.buf;
    const Py_ssize_t entry_count = keys.len / 8;
    uint8_t *ok = valid.buf;
    double *bins = folded.buf; /* [column][choice] */
    double *total = totals.buf;
    memset(bins, 0, (size_t)folded.len);
    double valid_total = 0.0, all_total = 0.0;
    Py_ssize_t *order = malloc(sizeof(Py_ssize_t) * (size_t)(n + 1));
    if (order == NULL) {
        PyErr_NoMemory();
        goto fail;
    }
    Py_BEGIN_ALLOW_THREADS;
    for (Py_ssize_t r = 0; r < rows; r++) {
        const double *p = power + r * columns;
        all_total += p[0];
        ok[r] = 0;
        if (kind[r] != KIND_MAPPING) {
            continue;
        }
        const int64_t start = offset[r], stop = offset[r + 1];
        const int64_t length = stop - start;
        if (start < 0 || stop > entry_count || length < 1 || length > n) {
            continue; /* keys are unique in a plain row: more than n cannot all be 1..n */
        }
        int good = 1, positive = 0;
        for (int64_t k = 0; k < length; k++) { /* entries sorted by key (insertion sort) */
            const int64_t c = key[start + k];
            const double v = value[start + k];
            if (c < 1 || c > n || !(v >= 0)) {
                good = 0;
                break;
            }
            positive |= v > 0;
            Py_ssize_t at = (Py_ssize_t)k;
            while (at > 0 && key[start + order[at - 1]] > c) {
                order[at] = order[at - 1];
                at--;
            }
            order[at] = (Py_ssize_t)k;
        }
        if (!good || !positive) {
            continue;
        }
        ok[r] = 1;
        valid_total += p[0];
        double sum = 0.0;
        for (int64_t k = 0; k < length; k++) {
            sum += value[start + order[k]];
        }
        for (int64_t k = 0; k < length; k++) {
            const Py_ssize_t choice = (Py_ssize_t)(key[start + k] - 1);
            double share = value[start + k] / sum;
            if (!quadratic) {
                share = share * 100;
            }
            if (share != share) {
                share = 0.0; /* NaN: snapshot.js counts it as 0 */
            }
            if (!quadratic) {
                share = share / 100;
            }
            for (Py_ssize_t col = 0; col < columns; col++) {
                const double product = share * p[col];
                bins[col * n + choice] += quadratic ? sqrt(product) : product;
            }
        }
    }
    Py_END_ALLOW_THREADS;
    free(order);
    total[0] = valid_total + 0.0;
    total[1] = all_total + 0.0;
    release_buffers(8, views);
    Py_RETURN_NONE;
fail:
    release_buffers(8, views);
    return NULL;
}

/* approval_fold(kinds, list_offsets, list_items, powers, n, columns, folded, totals): snapshot.js's
 * approval count over a table's plain rows. A ballot is valid when it is a list of 0..n choices,
 * each 1..n, none repeated; it adds its whole power, per column, to every choice it approves
 * (folded[column][choice], in ballot order). totals[0] folds every ballot's balance. */
static PyObject *approval_fold(PyObject *self, PyObject *args) {
    (void)self;
    PyObject *kinds_o, *offsets_o, *items_o, *powers_o, *folded_o, *totals_o;
    Py_ssize_t n, columns;
    if (!PyArg_ParseTuple(args, "OOOOnnOO", &kinds_o, &offsets_o, &items_o, &powers_o, &n,
                          &columns, &folded_o, &totals_o)) {
        return NULL;
    }
    Py_buffer kinds, offsets, items, powers, folded, totals;
    Py_buffer *views[6] = {&kinds, &offsets, &items, &powers, &folded, &totals};
    PyObject *objects[6] = {kinds_o, offsets_o, items_o, powers_o, folded_o, totals_o};
    const Py_ssize_t sizes[6] = {1, 8, 8, 8, 8, 8};
    const char *names[6] = {"kinds", "offsets", "items", "powers", "folded", "totals"};
    if (get_buffers(6, objects, views, sizes, names, 4) != 0) {
        return NULL;
    }
    const Py_ssize_t rows = kinds.len;
    if (n < 1 || columns < 1 || offsets.len != 8 * (rows + 1) ||
        powers.len != 8 * rows * columns || folded.len != 8 * columns * n || totals.len != 8) {
        PyErr_SetString(PyExc_ValueError, "approval_fold: sizes do not match");
        goto fail;
    }
    const uint8_t *kind = kinds.buf;
    const int64_t *offset = offsets.buf, *item = items.buf;
    const Py_ssize_t item_count = items.len / 8;
    const double *power = powers.buf;
    double *bins = folded.buf; /* [column][choice] */
    memset(bins, 0, (size_t)folded.len);
    double all_total = 0.0;
    unsigned char *seen = calloc((size_t)n + 1, 1);
    if (seen == NULL) {
        PyErr_NoMemory();
        goto fail;
    }
    Py_BEGIN_ALLOW_THREADS;
    for (Py_ssize_t r = 0; r < rows; r++) {
        const double *p = power + r * columns;
        all_total += p[0];
        if (kind[r] != KIND_LIST) {
            continue;
        }
        const int64_t start = offset[r], stop = offset[r + 1];
        if (start < 0 || stop > item_count || stop - start > n) {
            continue;
        }
        int good = 1;
        int64_t k = start;
        for (; k < stop; k++) {
            const int64_t c = item[k];
            if (c < 1 || c > n || seen[c]) {
                good = 0;
                break;
            }
            seen[c] = 1;
        }
        for (int64_t j = start; j < k; j++) { /* unmark what this ballot marked */
            seen[item[j]] = 0;
        }
        if (!good) {
            continue;
        }
        for (k = start; k < stop; k++) {
            double *cell = bins + (item[k] - 1);
            for (Py_ssize_t col = 0; col < columns; col++) {
                cell[col * n] += p[col];
            }
        }
    }
    Py_END_ALLOW_THREADS;
    free(seen);
    ((double *)totals.buf)[0] = all_total + 0.0;
    release_buffers(6, views);
    Py_RETURN_NONE;
fail:
    release_buffers(6, views);
    return NULL;
}

static PyMethodDef methods[] = {
    {"copeland_fold", copeland_fold, METH_VARARGS,
     "copeland_fold(kinds, list_offsets, list_items, powers, n, columns, legacy, valid, pw, "
     "support, totals, groups): fold a table's plain rows as snapshot.js's Copeland does; "
     "with a non-empty groups buffer (n ** n x columns), pw is left at zero and the ballots' "
     "powers are summed per ranking code instead."},
    {"fold_rows", fold_rows, METH_VARARGS,
     "fold_rows(targets, owners, powers, columns, bins, out): add each row's powers to its "
     "target bin, in order, per column (negative targets are skipped)."},
    {"approval_fold", approval_fold, METH_VARARGS,
     "approval_fold(kinds, list_offsets, list_items, powers, n, columns, folded, totals): "
     "snapshot.js's approval sums over a table's plain rows (see _kernels.c)."},
    {"weights_fold", weights_fold, METH_VARARGS,
     "weights_fold(kinds, map_offsets, map_keys, map_values, powers, n, columns, quadratic, "
     "valid, folded, totals): snapshot.js's weighted or quadratic sums over a table's plain "
     "rows (see _kernels.c)."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "_kernels",
                                    "Compiled tally kernels (see _kernels.c).", -1, methods,
                                    NULL, NULL, NULL, NULL};

PyMODINIT_FUNC PyInit__kernels(void) { return PyModule_Create(&module); }
