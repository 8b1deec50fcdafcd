/*
 * test_core.c -- the small string helpers of sim/core/str.c.
 *
 * Invariants checked:
 * - the copies are exact and owned (ASan's leak checker runs the suite),
 *   NULL in gives NULL out, a vector copy keeps NULL entries and frees
 *   nothing twice;
 * - the UTF-8 decoder accepts exactly RFC 3629: every boundary code point
 *   decodes to itself, while overlong forms, UTF-16 surrogates, values
 *   past U+10FFFF, stray continuation bytes and sequences cut short by the
 *   buffer's end are refused (and leave the output untouched);
 * - osim__utf8_invalid points at the first bad byte, not somewhere after it.
 */
/* cmocka needs these first, in this order. */
/* clang-format off */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>

#include <cmocka.h>
/* clang-format on */

#include <stdlib.h>
#include <string.h>

#include "core/str.h"
#include "outagesim/error.h"

static void test_strdup(void **state)
{
    const char text[] = "억원 and more";
    char *d;

    (void)state;
    assert_null(osim__strdup(NULL));
    assert_null(osim__strndup(NULL, 3));
    d = osim__strdup(text);
    assert_non_null(d);
    assert_ptr_not_equal(d, text);
    assert_string_equal(d, text);
    free(d);
    d = osim__strdup("");
    assert_non_null(d);
    assert_string_equal(d, "");
    free(d);
    /* strndup copies exactly n bytes and terminates, whether or not s has a NUL there. */
    d = osim__strndup("abcdef", 3);
    assert_string_equal(d, "abc");
    free(d);
    d = osim__strndup((const char[]){'x', 'y'}, 2);
    assert_string_equal(d, "xy");
    free(d);
    d = osim__strndup("abc", 0);
    assert_string_equal(d, "");
    free(d);
}

static void test_strv(void **state)
{
    char a[] = "alpha", b[] = "beta";
    char *v[] = {a, NULL, b};
    char **d = (char **)&d;

    (void)state;
    osim__strv_free(NULL, 5); /* no-op */
    assert_int_equal(osim__strv_dup(v, 0, &d), 0);
    assert_null(d);
    assert_int_equal(osim__strv_dup(NULL, 2, &d), OSIM_EINVAL);
    assert_null(d);
    assert_int_equal(osim__strv_dup(v, 3, &d), 0);
    assert_non_null(d);
    assert_ptr_not_equal(d[0], a);
    assert_string_equal(d[0], "alpha");
    assert_null(d[1]);
    assert_string_equal(d[2], "beta");
    a[0] = 'A'; /* the copy is its own */
    assert_string_equal(d[0], "alpha");
    osim__strv_free(d, 3);
}

typedef struct utf8_case {
    const char *bytes;
    size_t n;    /* bytes the decoder may read */
    size_t len;  /* expected length, 0 for invalid */
    uint32_t cp; /* expected code point when valid */
    const char *what;
} utf8_case;

static const utf8_case utf8_cases[] = {
    /* Valid, at every boundary of every length. */
    {"A", 1, 1, 0x41, "ASCII"},
    {"\x7f", 1, 1, 0x7f, "last one-byte"},
    {"\xc2\x80", 2, 2, 0x80, "first two-byte"},
    {"\xdf\xbf", 2, 2, 0x7ff, "last two-byte"},
    {"\xe0\xa0\x80", 3, 3, 0x800, "first three-byte"},
    {"\xed\x9f\xbf", 3, 3, 0xd7ff, "just below the surrogates"},
    {"\xee\x80\x80", 3, 3, 0xe000, "just above the surrogates"},
    {"\xec\x96\xb5", 3, 3, 0xc5b5, "Hangul syllable eok"},
    {"\xef\xbf\xbf", 3, 3, 0xffff, "last three-byte"},
    {"\xf0\x90\x80\x80", 4, 4, 0x10000, "first four-byte"},
    {"\xf4\x8f\xbf\xbf", 4, 4, 0x10ffff, "last code point"},
    {"\xc3\xa9tc", 4, 2, 0xe9, "reads one character only"},
    /* Overlong forms. */
    {"\xc0\x80", 2, 0, 0, "overlong NUL"},
    {"\xc1\xbf", 2, 0, 0, "overlong two-byte"},
    {"\xe0\x80\x80", 3, 0, 0, "overlong three-byte NUL"},
    {"\xe0\x9f\xbf", 3, 0, 0, "overlong U+07FF"},
    {"\xf0\x80\x80\x80", 4, 0, 0, "overlong four-byte NUL"},
    {"\xf0\x8f\xbf\xbf", 4, 0, 0, "overlong U+FFFF"},
    /* UTF-16 surrogates. */
    {"\xed\xa0\x80", 3, 0, 0, "first surrogate"},
    {"\xed\xbf\xbf", 3, 0, 0, "last surrogate"},
    /* Past U+10FFFF, and bytes that never start a sequence. */
    {"\xf4\x90\x80\x80", 4, 0, 0, "U+110000"},
    {"\xf5\x80\x80\x80", 4, 0, 0, "lead byte 0xF5"},
    {"\xff", 1, 0, 0, "byte 0xFF"},
    {"\x80", 1, 0, 0, "stray continuation"},
    {"\xbf\xbf", 2, 0, 0, "stray continuations"},
    /* Broken or cut-short sequences. */
    {"\xe2\x28\xa1", 3, 0, 0, "second byte not a continuation"},
    {"\xe2\x82\x28", 3, 0, 0, "third byte not a continuation"},
    {"\xe2\x82\xac", 2, 0, 0, "euro sign cut by the buffer"},
    {"\xf0\x9f\x98", 3, 0, 0, "four-byte cut short"},
    {"\xc3", 1, 0, 0, "lead byte alone"},
    {"A", 0, 0, 0, "empty buffer"},
};

static void test_utf8_decode(void **state)
{
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(utf8_cases) / sizeof(utf8_cases[0]); i++) {
        const utf8_case *c = &utf8_cases[i];
        uint32_t cp = 0xdeadbeef;
        size_t len = osim__utf8_decode(c->bytes, c->n, &cp);
        if (len != c->len)
            fail_msg("%s: length %zu, want %zu", c->what, len, c->len);
        if (c->len != 0 && cp != c->cp)
            fail_msg("%s: U+%04X, want U+%04X", c->what, (unsigned)cp, (unsigned)c->cp);
        if (c->len == 0 && cp != 0xdeadbeef)
            fail_msg("%s: refused but wrote U+%04X", c->what, (unsigned)cp);
        /* cp may be NULL. */
        assert_int_equal(osim__utf8_decode(c->bytes, c->n, NULL), c->len);
    }
}

static void test_utf8_invalid(void **state)
{
    static const char good[] = "Pangyo \xed\x8c\x90\xea\xb5\x90 \xf0\x9f\x94\xa5 ok";
    static const char bad[] = "ab\xc3\xa9\xed\xa0\x80z";   /* a surrogate at offset 4 */
    static const char cut[] = "xyz\xe2\x82";               /* cut short at offset 3 */
    static const char overlong[] = "\xc3\xa9\xc0\xaf/etc"; /* overlong '/' at offset 2 */

    (void)state;
    assert_null(osim__utf8_invalid(good, strlen(good)));
    assert_null(osim__utf8_invalid("", 0));
    assert_ptr_equal(osim__utf8_invalid(bad, strlen(bad)), bad + 4);
    assert_ptr_equal(osim__utf8_invalid(cut, strlen(cut)), cut + 3);
    assert_ptr_equal(osim__utf8_invalid(overlong, strlen(overlong)), overlong + 2);
    /* Only n bytes are looked at: the surrogate past them does not count. */
    assert_null(osim__utf8_invalid(bad, 4));
    /* A NUL is a valid (one-byte) character here; callers that refuse it check for it. */
    assert_null(osim__utf8_invalid("a\0b", 3));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_strdup),
        cmocka_unit_test(test_strv),
        cmocka_unit_test(test_utf8_decode),
        cmocka_unit_test(test_utf8_invalid),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
