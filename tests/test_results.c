/*
 * test_results.c -- invariants of row blocks (rows.h), the one form in
 * which a run's replications are combined, written and sent. Checked:
 * blocks whose ranges tile an interval concatenate (in any order) into
 * exactly the block of the whole interval, and counts add; gaps, overlaps,
 * other kinds, versions, scenarios, seeds, topologies, columns and notes
 * are refused with their own reason and a message that says what to do;
 * the text codec (replications.csv) writes the same bytes after a round
 * trip and reads back every double it wrote; the binary codec (MPI) gives
 * back every bit, including -0.0, denormals, 1e308 and a NaN payload, and
 * refuses a truncated buffer.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "outagesim/rows.h"

#define T 2
#define C 3

static char *topo_names[T] = {"as-was", "dual, \"quoted\""};
static char *col_names[C] = {"a.downtime_h", "b,with comma", "incident_cost_money"};
static osim_rows_note notes[1] = {{"with different economics settings", "p=0x1p-4"}};

static osim_rows_shape shape_of(osim_rows_kind kind)
{
    osim_rows_shape s;

    memset(&s, 0, sizeof(s));
    s.kind = kind;
    s.version = "9.9.9";
    s.scenario_name = "test";
    s.scenario_file = "test.yaml";
    memset(s.sha256, 'a', 64);
    s.sha256[64] = '\0';
    s.seed = 42;
    s.topologies = topo_names;
    s.topologies_count = T;
    s.columns = col_names;
    s.columns_count = C;
    s.notes = notes;
    s.notes_count = 1;
    s.counts_len = kind == OSIM_ROWS_COUNTS ? 5 : 0;
    return s;
}

/* The value of (rep, t, c): mixed magnitudes, whole numbers, fractions. */
static double value_at(uint64_t rep, size_t t, size_t c)
{
    switch ((rep + t + c) % 6) {
    case 0: return (double)rep * 1000.0 + (double)t;
    case 1: return 0.1 * (double)(rep + 1) + (double)c;
    case 2: return -1.0 / 3.0 * (double)(rep + 1);
    case 3: return 1e308 / (double)(rep + 1);
    case 4: return DBL_MIN / 4.0 * (double)(c + 1); /* a denormal */
    default: return 0.0;
    }
}

/* A VALUES block over [from, to) holding value_at. */
static osim_rows *block(uint64_t from, uint64_t to)
{
    osim_rows_shape s = shape_of(OSIM_ROWS_VALUES);
    osim_rows *b = NULL;
    uint64_t i;
    size_t t, c;

    assert_int_equal(osim_rows_new(&s, from, to, &b), 0);
    for (i = from; i < to; i++)
        for (t = 0; t < T; t++)
            for (c = 0; c < C; c++)
                osim_rows_at(b, i, t)[c] = value_at(i, t, c);
    return b;
}

static void assert_same_values(const osim_rows *a, const osim_rows *b)
{
    assert_true(a->from == b->from && a->to == b->to);
    assert_memory_equal(a->values, b->values, (size_t)(a->to - a->from) * T * C * sizeof(double));
}

static void concat_of_tiles_is_the_whole(void **state)
{
    osim_rows *whole = block(10, 30), *p[4], *m = NULL;
    const osim_rows *parts[4];
    osim_diag d;

    (void)state;
    /* Given out of order, with an empty part where two parts meet. */
    p[0] = block(22, 30);
    p[1] = block(10, 15);
    p[2] = block(15, 22);
    p[3] = block(15, 15);
    p[0]->interrupted = true;
    parts[0] = p[0];
    parts[1] = p[1];
    parts[2] = p[2];
    parts[3] = p[3];
    assert_int_equal(osim_rows_tiles(parts, 4, NULL, NULL), OSIM_ROWS_OK);
    osim_diag_clear(&d);
    assert_int_equal(osim_rows_concat(parts, 4, &m, &d), 0);
    assert_same_values(m, whole);
    assert_int_equal(osim_rows_shape_compare(&m->shape, &whole->shape, NULL), OSIM_ROWS_OK);
    /* interrupted is that of the part that ends the range. */
    assert_true(m->interrupted);
    osim_rows_free(m);
    /* A single part is itself. */
    assert_int_equal(osim_rows_concat((const osim_rows *const *)&whole, 1, &m, &d), 0);
    assert_same_values(m, whole);
    osim_rows_free(m);
    for (int i = 0; i < 4; i++)
        osim_rows_free(p[i]);
    osim_rows_free(whole);
}

/* Concatenation of a and b must be refused for why, with msg in the message. */
static void refused(osim_rows *a, osim_rows *b, osim_rows_why why, const char *msg)
{
    const osim_rows *parts[2] = {a, b};
    osim_rows *m = NULL;
    osim_diag d;

    assert_int_equal(osim_rows_tiles(parts, 2, NULL, NULL), why);
    osim_diag_clear(&d);
    assert_int_equal(osim_rows_concat(parts, 2, &m, &d), OSIM_EINVAL);
    assert_null(m);
    if (strstr(d.msg, msg) == NULL)
        fail_msg("'%s' lacks '%s'", d.msg, msg);
}

static void refusals(void **state)
{
    osim_rows *a = block(0, 10), *b;
    osim_rows_shape s = shape_of(OSIM_ROWS_VALUES);
    osim_rows_note other = {"with different economics settings", "p=0x1p-3"};
    char *fewer_cols[C - 1] = {"a.downtime_h", "b,with comma"};
    char *other_topo[T] = {"as-was", "dual"};

    (void)state;
    b = block(12, 20);
    refused(a, b, OSIM_ROWS_GAP, "run them with --from 10 --to 12");
    osim_rows_free(b);
    b = block(5, 20);
    refused(a, b, OSIM_ROWS_OVERLAP, "overlap");
    osim_rows_free(b);

#define REFUSE_SHAPE(field_change, why, msg)                                                       \
    do {                                                                                           \
        osim_rows_shape x = s;                                                                     \
        field_change;                                                                              \
        assert_int_equal(osim_rows_new(&x, 10, 20, &b), 0);                                        \
        refused(a, b, why, msg);                                                                   \
        osim_rows_free(b);                                                                         \
    } while (0)

    REFUSE_SHAPE(x.version = "9.9.8", OSIM_ROWS_VERSION, "different versions");
    REFUSE_SHAPE(x.sha256[3] = 'b', OSIM_ROWS_SCENARIO, "different scenarios");
    REFUSE_SHAPE(x.seed = 43, OSIM_ROWS_SEED, "different seeds");
    REFUSE_SHAPE(x.topologies = other_topo, OSIM_ROWS_TOPOLOGIES, "topologies");
    REFUSE_SHAPE(x.topologies_count = 1, OSIM_ROWS_TOPOLOGIES, "topologies");
    REFUSE_SHAPE((x.columns = fewer_cols, x.columns_count = C - 1), OSIM_ROWS_COLUMNS,
                 "different metrics");
    REFUSE_SHAPE(x.notes = &other, OSIM_ROWS_NOTE, "economics settings");
    REFUSE_SHAPE(x.notes_count = 0, OSIM_ROWS_NOTE, "economics settings");
    REFUSE_SHAPE((x.kind = OSIM_ROWS_COUNTS, x.counts_len = 1), OSIM_ROWS_KIND, "kinds");
    /* The file a scenario was read from is provenance, not identity. */
    {
        osim_rows_shape x = s;
        const osim_rows *parts[2];
        osim_rows *m = NULL;
        x.scenario_file = "elsewhere/test.yaml";
        assert_int_equal(osim_rows_new(&x, 10, 20, &b), 0);
        parts[0] = b;
        parts[1] = a;
        assert_int_equal(osim_rows_concat(parts, 2, &m, NULL), 0);
        assert_string_equal(m->shape.scenario_file, "test.yaml"); /* the first part's */
        osim_rows_free(m);
        osim_rows_free(b);
    }
#undef REFUSE_SHAPE
    osim_rows_free(a);
}

/* The bytes of the text codec of b. */
static char *text_of(const osim_rows *b, size_t *n)
{
    char *buf = NULL;
    FILE *f = open_memstream(&buf, n);

    assert_non_null(f);
    assert_int_equal(osim_rows_write_text(b, f, NULL), 0);
    fclose(f);
    return buf;
}

/* Read text into a new empty block of b's shape claiming [from, to). */
static int read_back(const char *text, size_t n, uint64_t from, uint64_t to, osim_rows **out,
                     osim_diag *d)
{
    osim_rows_shape s = shape_of(OSIM_ROWS_VALUES);
    FILE *f = fmemopen((void *)text, n, "r");
    int rc;

    assert_non_null(f);
    assert_int_equal(osim_rows_new(&s, from, from, out), 0);
    osim_rows_set_range(*out, from, to, false);
    osim_diag_clear(d);
    rc = osim_rows_read_text(*out, f, "replications.csv", d);
    fclose(f);
    return rc;
}

static void text_codec_round_trip(void **state)
{
    osim_rows *b = block(3, 40), *r = NULL;
    char *one, *two, *cut;
    size_t n1, n2;
    osim_diag d;

    (void)state;
    one = text_of(b, &n1);
    assert_non_null(strstr(one, "# outagesim 9.9.9; scenario test; file test.yaml; sha256 "));
    assert_non_null(strstr(one, "; seed 42; replications 3..39\n"
                                "replication,topology,a.downtime_h,\"b,with comma\","));
    assert_int_equal(read_back(one, n1, 3, 40, &r, &d), 0);
    /* Every double comes back (17 significant digits), and the bytes too. */
    assert_same_values(r, b);
    two = text_of(r, &n2);
    assert_int_equal(n1, n2);
    assert_memory_equal(one, two, n1);
    free(two);
    osim_rows_free(r);

    /* Fewer lines than the range claims, more, or another header: refused. */
    assert_int_equal(read_back(one, n1, 3, 41, &r, &d), OSIM_ESCHEMA);
    assert_non_null(strstr(d.msg, "ends early"));
    osim_rows_free(r);
    assert_int_equal(read_back(one, n1, 3, 39, &r, &d), OSIM_ESCHEMA);
    assert_non_null(strstr(d.msg, "more rows"));
    osim_rows_free(r);
    assert_int_equal(read_back(one, n1, 4, 41, &r, &d), OSIM_ESCHEMA);
    assert_non_null(strstr(d.msg, "expected replication 4"));
    osim_rows_free(r);
    cut = strdup(one);
    assert_non_null(cut);
    *strstr(cut, "a.downtime_h") = 'x';
    assert_int_equal(read_back(cut, n1, 3, 40, &r, &d), OSIM_ESCHEMA);
    assert_non_null(strstr(d.msg, "column 3 is 'x.downtime_h'"));
    osim_rows_free(r);
    free(cut);
    /* A claimed range of 10^18 is "ends early", not an allocation. */
    assert_int_equal(read_back(one, n1, 3, 1000000000000000000ull, &r, &d), OSIM_ESCHEMA);
    assert_non_null(strstr(d.msg, "ends early"));
    osim_rows_free(r);
    free(one);
    osim_rows_free(b);
}

static void binary_codec_round_trip(void **state)
{
    osim_rows *b = block(7, 12), *r = NULL;
    double special[6] = {-0.0, DBL_MIN / 8.0, 1e308, -DBL_MAX, 4.9e-324, 0.0};
    uint64_t payload = 0x7ff8000000c0ffeeull;
    void *buf = NULL;
    size_t len = 0, used = 0, i;
    osim_diag d;

    (void)state;
    memcpy(&special[5], &payload, sizeof(double)); /* a NaN with a payload */
    memcpy(osim_rows_at(b, 9, 1), special, C * sizeof(double));
    memcpy(osim_rows_at(b, 11, 0), special + C, C * sizeof(double));
    b->interrupted = true;
    osim_diag_clear(&d);
    assert_int_equal(osim_rows_pack(b, &buf, &len), 0);
    assert_int_equal(osim_rows_unpack(buf, len, &used, &r, &d), 0);
    assert_int_equal(used, len);
    assert_int_equal(osim_rows_shape_compare(&r->shape, &b->shape, NULL), OSIM_ROWS_OK);
    assert_string_equal(r->shape.scenario_file, "test.yaml");
    assert_true(r->interrupted && r->has_range);
    assert_same_values(r, b); /* bit for bit: memcmp, not == */
    assert_true(signbit(osim_rows_at(r, 9, 1)[0]));
    osim_rows_free(r);
    /* Every truncation is refused, never misread. */
    for (i = 0; i < len; i += 1 + len / 97) {
        r = NULL;
        assert_int_equal(osim_rows_unpack(buf, i, NULL, &r, NULL), OSIM_EINVAL);
        assert_null(r);
    }
    /* Another magic word (byte order, format): refused. */
    ((unsigned char *)buf)[0] ^= 0xff;
    osim_diag_clear(&d);
    assert_int_equal(osim_rows_unpack(buf, len, NULL, &r, &d), OSIM_EINVAL);
    assert_non_null(strstr(d.msg, "another format"));
    free(buf);
    osim_rows_free(b);
}

/* A COUNTS block over [from, to) (or unranged) with counts k * (i + 1). */
static osim_rows *counts(uint64_t from, uint64_t to, bool ranged, uint64_t k)
{
    osim_rows_shape s = shape_of(OSIM_ROWS_COUNTS);
    osim_rows *b = NULL;
    size_t i;

    assert_int_equal(osim_rows_new(&s, from, to, &b), 0);
    if (!ranged)
        osim_rows_clear_range(b);
    for (i = 0; i < s.counts_len; i++)
        b->counts[i] = k * (i + 1);
    return b;
}

static void counts_add_where_rows_concatenate(void **state)
{
    osim_rows *a = counts(10, 20, true, 1), *b = counts(20, 30, true, 2),
              *c = counts(0, 10, true, 4);
    osim_rows *u = counts(0, 0, false, 8), *v = counts(0, 0, false, 16), *m = NULL;
    const osim_rows *parts[3] = {b, c, a};
    void *buf = NULL;
    size_t len = 0, i;
    osim_diag d;

    (void)state;
    /* Concatenation of tiles: counts add, the range is the union. */
    assert_int_equal(osim_rows_concat(parts, 3, &m, NULL), 0);
    assert_true(m->from == 0 && m->to == 30);
    for (i = 0; i < 5; i++)
        assert_int_equal(m->counts[i], 7 * (i + 1));
    /* The binary codec carries counts too. */
    assert_int_equal(osim_rows_pack(m, &buf, &len), 0);
    osim_rows_free(m);
    assert_int_equal(osim_rows_unpack(buf, len, NULL, &m, NULL), 0);
    assert_true(m->from == 0 && m->to == 30 && m->counts[4] == 35);
    free(buf);
    osim_rows_free(m);
    /* In place, either order: the same rule. */
    assert_int_equal(osim_rows_add(a, b, NULL), 0);
    assert_int_equal(osim_rows_add(a, c, NULL), 0);
    assert_true(a->from == 0 && a->to == 30 && a->counts[0] == 7);
    osim_diag_clear(&d);
    assert_int_equal(osim_rows_add(a, b, &d), OSIM_EINVAL);
    assert_non_null(strstr(d.msg, "overlap"));
    assert_true(a->counts[0] == 7); /* unchanged */
    /* The accumulators of one run add without a range, and only among themselves. */
    assert_int_equal(osim_rows_add(u, v, NULL), 0);
    assert_true(!u->has_range && u->counts[1] == 48);
    assert_int_equal(osim_rows_add(a, u, NULL), OSIM_EINVAL);
    {
        const osim_rows *mixed[2] = {a, u};
        assert_int_equal(osim_rows_tiles(mixed, 2, NULL, NULL), OSIM_ROWS_NO_RANGE);
    }
    osim_rows_free(a);
    osim_rows_free(b);
    osim_rows_free(c);
    osim_rows_free(u);
    osim_rows_free(v);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(concat_of_tiles_is_the_whole),
        cmocka_unit_test(refusals),
        cmocka_unit_test(text_codec_round_trip),
        cmocka_unit_test(binary_codec_round_trip),
        cmocka_unit_test(counts_add_where_rows_concatenate),
    };

    return cmocka_run_group_tests_name("results", tests, NULL, NULL);
}
