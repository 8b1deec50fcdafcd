/*
 * test_money.c -- invariant: won amounts are printed from one rounding of
 * the value, with ',' every three digits, a leading '-' for negatives, and
 * 억원 with one decimal; short buffers are cut, never overrun.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <math.h>
#include <string.h>

#include "outagesim/money.h"

static void test_krw_grouping(void **state)
{
    char b[OSIM_MONEY_BUF];

    (void)state;
    assert_string_equal(osim_format_krw(b, sizeof(b), 557700000000.0), "557,700,000,000");
    assert_string_equal(osim_format_krw(b, sizeof(b), 0.0), "0");
    assert_string_equal(osim_format_krw(b, sizeof(b), 999.0), "999");
    assert_string_equal(osim_format_krw(b, sizeof(b), 1000.0), "1,000");
    assert_string_equal(osim_format_krw(b, sizeof(b), 30000.0), "30,000");
    assert_string_equal(osim_format_krw(b, sizeof(b), 1234567.0), "1,234,567");
    assert_string_equal(osim_format_krw(b, sizeof(b), -1234.0), "-1,234");
    /* 2^53: the largest whole-won total the result structs hold exactly. */
    assert_string_equal(osim_format_krw(b, sizeof(b), 9007199254740992.0), "9,007,199,254,740,992");
}

static void test_krw_rounding(void **state)
{
    char b[OSIM_MONEY_BUF];

    (void)state;
    assert_string_equal(osim_format_krw(b, sizeof(b), 1234.5), "1,235");
    assert_string_equal(osim_format_krw(b, sizeof(b), -1234.5), "-1,235");
    assert_string_equal(osim_format_krw(b, sizeof(b), 999.5), "1,000");
    assert_string_equal(osim_format_krw(b, sizeof(b), 0.4), "0");
    /* -0.4 rounds to 0 and must not print "-0". */
    assert_string_equal(osim_format_krw(b, sizeof(b), -0.4), "0");
}

static void test_krw_special(void **state)
{
    char b[OSIM_MONEY_BUF];

    (void)state;
    assert_string_equal(osim_format_krw(b, sizeof(b), NAN), "n/a");
    assert_string_equal(osim_format_krw(b, sizeof(b), INFINITY), "n/a");
    assert_string_equal(osim_format_krw(b, sizeof(b), 1.5e19), "1.5000e+19");
}

static void test_eok(void **state)
{
    char b[OSIM_MONEY_BUF];

    (void)state;
    assert_string_equal(osim_format_eok(b, sizeof(b), 557700000000.0), "5,577.0억원");
    assert_string_equal(osim_format_eok(b, sizeof(b), 312000000000.0), "3,120.0억원");
    assert_string_equal(osim_format_eok(b, sizeof(b), 240000000.0), "2.4억원");
    assert_string_equal(osim_format_eok(b, sizeof(b), 27500000000.0), "275.0억원");
    assert_string_equal(osim_format_eok(b, sizeof(b), 0.0), "0.0억원");
    /* 5,000,000 won is exactly 0.05억: half away from zero. */
    assert_string_equal(osim_format_eok(b, sizeof(b), 5000000.0), "0.1억원");
    assert_string_equal(osim_format_eok(b, sizeof(b), 4999999.0), "0.0억원");
    assert_string_equal(osim_format_eok(b, sizeof(b), -250000000.0), "-2.5억원");
    assert_string_equal(osim_format_eok(b, sizeof(b), 123456789012345.0), "1,234,567.9억원");
    assert_string_equal(osim_format_eok(b, sizeof(b), NAN), "n/a");
}

static void test_short_buffer(void **state)
{
    char b[8];

    (void)state;
    memset(b, 'x', sizeof(b));
    osim_format_krw(b, 6, 557700000000.0);
    assert_string_equal(b, "557,7");
    assert_int_equal(b[6], 'x'); /* nothing written past n */
    assert_null(osim_format_krw(NULL, 0, 1.0));
    osim_format_eok(b, 1, 1.0);
    assert_string_equal(b, "");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_krw_grouping), cmocka_unit_test(test_krw_rounding),
        cmocka_unit_test(test_krw_special),  cmocka_unit_test(test_eok),
        cmocka_unit_test(test_short_buffer),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
