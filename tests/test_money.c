/*
 * test_money.c -- invariant: amounts are printed from one rounding of the
 * value, with ',' every three digits, a leading '-' for negatives, the
 * currency's symbol where its readers put it and its large units (억원,
 * €m/€bn, $M/$B, £m/£bn, 億円) with one decimal; short buffers are cut,
 * never overrun; the deprecated won formatters still print as in 0.2.
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

static void test_currency_table(void **state)
{
    (void)state;
    assert_non_null(osim_currency_find("KRW"));
    assert_non_null(osim_currency_find("EUR"));
    assert_non_null(osim_currency_find("USD"));
    assert_non_null(osim_currency_find("GBP"));
    assert_non_null(osim_currency_find("JPY"));
    assert_null(osim_currency_find("eur")); /* ISO codes are upper case */
    assert_null(osim_currency_find("XYZ"));
    assert_null(osim_currency_find(NULL));
    assert_ptr_equal(osim_currency_default(), osim_currency_find("KRW"));
    assert_string_equal(osim_currency_codes(), "KRW, EUR, USD, GBP, JPY");
}

static void test_format_whole(void **state)
{
    char b[OSIM_MONEY_BUF];

    (void)state;
    assert_string_equal(osim_money_format(b, sizeof(b), 557700000000.0, osim_currency_find("KRW")),
                        "557,700,000,000원");
    assert_string_equal(osim_money_format(b, sizeof(b), 1234.5, osim_currency_find("EUR")),
                        "€1,235");
    assert_string_equal(osim_money_format(b, sizeof(b), -1234.5, osim_currency_find("EUR")),
                        "-€1,235");
    assert_string_equal(osim_money_format(b, sizeof(b), 999.0, osim_currency_find("USD")), "$999");
    assert_string_equal(osim_money_format(b, sizeof(b), 1e6, osim_currency_find("GBP")),
                        "£1,000,000");
    assert_string_equal(osim_money_format(b, sizeof(b), 30000.0, osim_currency_find("JPY")),
                        "30,000円");
    assert_string_equal(osim_money_format(b, sizeof(b), -0.4, osim_currency_find("EUR")), "€0");
    assert_string_equal(osim_money_format(b, sizeof(b), NAN, osim_currency_find("EUR")), "n/a");
    /* NULL: the default, KRW */
    assert_string_equal(osim_money_format(b, sizeof(b), 1000.0, NULL), "1,000원");
    assert_string_equal(osim_money_digits(b, sizeof(b), 1234567.0, osim_currency_find("EUR")),
                        "1,234,567");
}

static void test_format_text(void **state)
{
    char b[OSIM_MONEY_BUF];

    (void)state;
    /* KRW keeps the word, so class names read as before ("loss <= 300,000 won"). */
    assert_string_equal(osim_money_text(b, sizeof(b), 300000.0, osim_currency_find("KRW")),
                        "300,000 won");
    assert_string_equal(osim_money_text(b, sizeof(b), 300000.0, osim_currency_find("JPY")),
                        "300,000 yen");
    assert_string_equal(osim_money_text(b, sizeof(b), 300000.0, osim_currency_find("EUR")),
                        "€300,000");
}

static void test_format_large(void **state)
{
    const osim_currency *eur = osim_currency_find("EUR"), *usd = osim_currency_find("USD"),
                        *gbp = osim_currency_find("GBP"), *jpy = osim_currency_find("JPY"),
                        *krw = osim_currency_find("KRW");
    char b[OSIM_MONEY_BUF];

    (void)state;
    assert_string_equal(osim_money_format_large(b, sizeof(b), 557700000000.0, krw), "5,577.0억원");
    assert_string_equal(osim_money_format_large(b, sizeof(b), 2.5e9, eur), "€2.5bn");
    assert_string_equal(osim_money_format_large(b, sizeof(b), 4e6, eur), "€4.0m");
    assert_string_equal(osim_money_format_large(b, sizeof(b), 12345.0, eur), "€0.0m");
    assert_string_equal(osim_money_format_large(b, sizeof(b), -23.45e6, eur), "-€23.5m");
    /* Rounded once in the unit shown: just under 1bn is 1.0bn, not 1,000.0m. */
    assert_string_equal(osim_money_format_large(b, sizeof(b), 999960000.0, eur), "€1.0bn");
    assert_string_equal(osim_money_format_large(b, sizeof(b), 999940000.0, eur), "€999.9m");
    assert_string_equal(osim_money_format_large(b, sizeof(b), 1.2e12, usd), "$1,200.0B");
    assert_string_equal(osim_money_format_large(b, sizeof(b), 7.25e6, usd), "$7.3M");
    assert_string_equal(osim_money_format_large(b, sizeof(b), 3.3e9, gbp), "£3.3bn");
    assert_string_equal(osim_money_format_large(b, sizeof(b), 2.4e8, jpy), "2.4億円");
    assert_string_equal(osim_money_format_large(b, sizeof(b), INFINITY, eur), "n/a");
}

static void test_format_compact(void **state)
{
    const osim_currency *eur = osim_currency_find("EUR"), *krw = osim_currency_find("KRW"),
                        *jpy = osim_currency_find("JPY");
    char b[OSIM_MONEY_BUF];

    (void)state;
    /* KRW: 억원 from one 억, 만원 from one 만, plain won below. */
    assert_string_equal(osim_money_format_compact(b, sizeof(b), 234000000000.0, krw),
                        "2,340.0억원");
    assert_string_equal(osim_money_format_compact(b, sizeof(b), 64820000.0, krw), "6,482만원");
    assert_string_equal(osim_money_format_compact(b, sizeof(b), 0.0, krw), "0원");
    assert_string_equal(osim_money_format_compact(b, sizeof(b), 9999.0, krw), "9,999원");
    assert_string_equal(osim_money_format_compact(b, sizeof(b), 64820000.0, jpy), "6,482万円");
    /* EUR: bn, m, then whole euros. */
    assert_string_equal(osim_money_format_compact(b, sizeof(b), 1.25e9, eur), "€1.3bn");
    assert_string_equal(osim_money_format_compact(b, sizeof(b), 23.4e6, eur), "€23.4m");
    assert_string_equal(osim_money_format_compact(b, sizeof(b), 12345.0, eur), "€12,345");
    assert_string_equal(osim_money_format_compact(b, sizeof(b), 0.0, eur), "€0");
}

static void test_format_table(void **state)
{
    char b[OSIM_MONEY_BUF];

    (void)state;
    /* KRW states every figure in 억원; EUR writes small ones whole. */
    assert_string_equal(
        osim_money_format_table(b, sizeof(b), 30000000.0, osim_currency_find("KRW")), "0.3억원");
    assert_string_equal(osim_money_format_table(b, sizeof(b), 132209.0, osim_currency_find("EUR")),
                        "€132,209");
    assert_string_equal(osim_money_format_table(b, sizeof(b), 23.4e6, osim_currency_find("EUR")),
                        "€23.4m");
}

static void test_unit(void **state)
{
    char b[32];

    (void)state;
    assert_true(osim_money_unit_is_money("money"));
    assert_true(osim_money_unit_is_money("money/year"));
    assert_false(osim_money_unit_is_money("moneys"));
    assert_false(osim_money_unit_is_money("h"));
    assert_false(osim_money_unit_is_money(NULL));
    assert_string_equal(osim_money_unit(b, sizeof(b), "money", osim_currency_find("EUR")), "EUR");
    assert_string_equal(osim_money_unit(b, sizeof(b), "money/year", osim_currency_find("GBP")),
                        "GBP/year");
    assert_string_equal(osim_money_unit(b, sizeof(b), "h", osim_currency_find("GBP")), "h");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_krw_grouping), cmocka_unit_test(test_krw_rounding),
        cmocka_unit_test(test_krw_special),  cmocka_unit_test(test_eok),
        cmocka_unit_test(test_short_buffer), cmocka_unit_test(test_currency_table),
        cmocka_unit_test(test_format_whole), cmocka_unit_test(test_format_text),
        cmocka_unit_test(test_format_large), cmocka_unit_test(test_format_compact),
        cmocka_unit_test(test_format_table), cmocka_unit_test(test_unit),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
