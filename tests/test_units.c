/*
 * test_units.c -- the value syntaxes of scenario files.
 *
 * Invariant checked: each parser accepts exactly the documented forms,
 * converts them to the program's unit (hours, whole won, [0,1]) without
 * rounding surprises, and rejects everything else -- negative durations and
 * counts with OSIM_ERANGE, text that is not a value with OSIM_ESCHEMA --
 * rather than reading a prefix and dropping the rest.
 */
/* cmocka needs these first, in this order. */
/* clang-format off */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>

#include <cmocka.h>
/* clang-format on */

#include <math.h>
#include <stdbool.h>
#include <string.h>

#include "core/units.h"
#include "outagesim/error.h"

static void dur_ok(const char *s, double want_h)
{
    double h = -1.0;
    const char *why = NULL;
    int rc = osim__parse_duration_h(s, &h, &why);

    if (rc != 0)
        fail_msg("duration '%s' rejected: %s", s, why ? why : "?");
    if (fabs(h - want_h) > 1e-12 * (1.0 + want_h))
        fail_msg("duration '%s' = %.17g h, want %.17g", s, h, want_h);
}

static void dur_bad(const char *s, int code)
{
    double h = 12345.0;
    const char *why = NULL;
    int rc = osim__parse_duration_h(s, &h, &why);

    if (rc != code)
        fail_msg("duration '%s': rc %d (%s), want %d", s, rc, osim_err_name(rc), code);
    assert_non_null(why);
    assert_true(h == 12345.0); /* untouched on error */
}

static void test_duration(void **state)
{
    (void)state;
    dur_ok("90s", 90.0 / 3600.0);
    dur_ok("45m", 0.75);
    dur_ok("4h", 4.0);
    dur_ok("2d", 48.0);
    dur_ok("1w", 168.0);
    dur_ok("1.5", 1.5); /* a bare number is hours */
    dur_ok("0", 0.0);
    dur_ok("1.5h", 1.5);
    dur_ok("1h30m", 1.5);
    dur_ok("2d 4h", 52.0);
    dur_ok(" 4 h ", 4.0);
    dur_ok("-0h", 0.0);
    dur_bad("-5m", OSIM_ERANGE);
    dur_bad("-1", OSIM_ERANGE);
    dur_bad("4 hours", OSIM_ESCHEMA);
    dur_bad("4hours", OSIM_ESCHEMA);
    dur_bad("90min", OSIM_ESCHEMA);
    dur_bad("3ms", OSIM_ESCHEMA);
    dur_bad("1h 30", OSIM_ESCHEMA); /* 30 what? */
    dur_bad("30 1h", OSIM_ESCHEMA);
    dur_bad("h", OSIM_ESCHEMA);
    dur_bad("", OSIM_ESCHEMA);
    dur_bad("1e3h", OSIM_ESCHEMA);
    dur_bad("1h-5m", OSIM_ESCHEMA);
    dur_bad("nan", OSIM_ESCHEMA);
}

static void money_ok(const char *s, int64_t want)
{
    int64_t v = -1;
    const char *why = NULL;
    int rc = osim__parse_money(s, &v, &why);

    if (rc != 0)
        fail_msg("money '%s' rejected: %s", s, why ? why : "?");
    if (v != want)
        fail_msg("money '%s' = %lld, want %lld", s, (long long)v, (long long)want);
}

static void money_bad(const char *s, int code)
{
    int64_t v = 7;
    int rc = osim__parse_money(s, &v, NULL);

    if (rc != code)
        fail_msg("money '%s': rc %s, want %s", s, osim_err_name(rc), osim_err_name(code));
    assert_int_equal(v, 7);
}

static void test_money(void **state)
{
    (void)state;
    money_ok("30000", 30000);
    money_ok("30_000", 30000);
    money_ok("30k", 30000);
    money_ok("1.5M", 1500000);
    money_ok("2G", 2000000000LL);
    /* 557.7 has no exact double: the decimal parse must still be exact. */
    money_ok("557.7G", 557700000000LL);
    money_ok("0.001k", 1);
    money_ok("1T", 1000000000000LL);
    money_ok("1e3", 1000);
    money_ok("30000.0", 30000);
    money_ok("0", 0);
    money_ok("-0", 0);
    money_ok("9223372036854775807", INT64_MAX);
    money_bad("1.5", OSIM_ERANGE); /* not whole won */
    money_bad("0.0001k", OSIM_ERANGE);
    money_bad("-30k", OSIM_ERANGE);
    money_bad("9223372036854775808", OSIM_EOVERFLOW);
    money_bad("10000000T", OSIM_EOVERFLOW);
    money_bad("30 000", OSIM_ESCHEMA);
    money_bad("30kk", OSIM_ESCHEMA);
    money_bad("30_", OSIM_ESCHEMA);
    money_bad("_30", OSIM_ESCHEMA);
    money_bad("3__0", OSIM_ESCHEMA);
    money_bad("30 won", OSIM_ESCHEMA);
    money_bad("", OSIM_ESCHEMA);
}

static void test_count_real(void **state)
{
    double v;

    (void)state;
    assert_int_equal(osim__parse_count("48_000_000", &v, NULL), 0);
    assert_true(v == 48e6);
    assert_int_equal(osim__parse_count("230k", &v, NULL), 0);
    assert_true(v == 230e3);
    assert_int_equal(osim__parse_count("1.5M", &v, NULL), 0);
    assert_true(v == 1.5e6);
    assert_int_equal(osim__parse_count("1e12", &v, NULL), 0);
    assert_true(v == 1e12);
    assert_int_equal(osim__parse_count("-1", &v, NULL), OSIM_ERANGE);
    assert_int_equal(osim__parse_count("-1k", &v, NULL), OSIM_ERANGE);
    assert_int_equal(osim__parse_count("many", &v, NULL), OSIM_ESCHEMA);
    assert_int_equal(osim__parse_count("12 people", &v, NULL), OSIM_ESCHEMA);

    assert_int_equal(osim__parse_real("-2.5e-3", &v, NULL), 0);
    assert_true(v == -2.5e-3);
    assert_int_equal(osim__parse_real("1_000.5", &v, NULL), 0);
    assert_true(v == 1000.5);
    assert_int_equal(osim__parse_real("inf", &v, NULL), OSIM_ESCHEMA);
    assert_int_equal(osim__parse_real("0x10", &v, NULL), OSIM_ESCHEMA);
    assert_int_equal(osim__parse_real("1e999", &v, NULL), OSIM_EOVERFLOW);
    assert_int_equal(osim__parse_real("1.2.3", &v, NULL), OSIM_ESCHEMA);
}

static void test_fraction(void **state)
{
    double v;

    (void)state;
    assert_int_equal(osim__parse_fraction("0.35", &v, NULL), 0);
    assert_true(v == 0.35);
    assert_int_equal(osim__parse_fraction("35%", &v, NULL), 0);
    assert_true(fabs(v - 0.35) < 1e-15);
    assert_int_equal(osim__parse_fraction("100%", &v, NULL), 0);
    assert_true(v == 1.0);
    assert_int_equal(osim__parse_fraction("0", &v, NULL), 0);
    assert_int_equal(osim__parse_fraction("1", &v, NULL), 0);
    assert_int_equal(osim__parse_fraction("1.5", &v, NULL), OSIM_ERANGE);
    assert_int_equal(osim__parse_fraction("-0.1", &v, NULL), OSIM_ERANGE);
    assert_int_equal(osim__parse_fraction("101%", &v, NULL), OSIM_ERANGE);
    assert_int_equal(osim__parse_fraction("half", &v, NULL), OSIM_ESCHEMA);
    assert_int_equal(osim__parse_fraction("35%%", &v, NULL), OSIM_ESCHEMA);
}

static void test_bool(void **state)
{
    bool b = false;

    (void)state;
    assert_int_equal(osim__parse_bool("true", &b, NULL), 0);
    assert_true(b);
    assert_int_equal(osim__parse_bool("No", &b, NULL), 0);
    assert_false(b);
    assert_int_equal(osim__parse_bool("YES", &b, NULL), 0);
    assert_true(b);
    assert_int_equal(osim__parse_bool("1", &b, NULL), OSIM_ESCHEMA);
    assert_int_equal(osim__parse_bool("truely", &b, NULL), OSIM_ESCHEMA);
}

static void test_datetime(void **state)
{
    int64_t s;

    (void)state;
    assert_int_equal(osim__parse_datetime("1970-01-01 00:00", &s, NULL), 0);
    assert_int_equal(s, 0);
    /* 2022-10-15 15:19 as a wall-clock reading: 19280 days + 15 h 19 m. */
    assert_int_equal(osim__parse_datetime("2022-10-15 15:19", &s, NULL), 0);
    assert_int_equal(s, 1665847140LL);
    assert_int_equal(osim__parse_datetime("2022-10-15T15:19:30", &s, NULL), 0);
    assert_int_equal(s, 1665847170LL);
    assert_int_equal(osim__parse_datetime("2024-02-29 00:00", &s, NULL), 0);
    assert_int_equal(osim__parse_datetime("2023-02-29 00:00", &s, NULL), OSIM_ERANGE);
    assert_int_equal(osim__parse_datetime("1900-02-29 00:00", &s, NULL), OSIM_ERANGE);
    assert_int_equal(osim__parse_datetime("2000-02-29 00:00", &s, NULL), 0);
    assert_int_equal(osim__parse_datetime("2022-13-01 00:00", &s, NULL), OSIM_ERANGE);
    assert_int_equal(osim__parse_datetime("2022-10-15 24:00", &s, NULL), OSIM_ERANGE);
    assert_int_equal(osim__parse_datetime("2022-10-15", &s, NULL), OSIM_ESCHEMA);
    assert_int_equal(osim__parse_datetime("15 Oct 2022 15:19", &s, NULL), OSIM_ESCHEMA);
    assert_int_equal(osim__parse_datetime("2022-10-15 15:19 KST", &s, NULL), OSIM_ESCHEMA);
    /* Before 1970 counts backwards. */
    assert_int_equal(osim__days_from_civil(1969, 12, 31), -1);
}

static void test_utc_offset(void **state)
{
    double h;
    char buf[16];

    (void)state;
    assert_int_equal(osim__parse_utc_offset("+09:00", &h, NULL), 0);
    assert_true(h == 9.0);
    assert_int_equal(osim__parse_utc_offset("-03:30", &h, NULL), 0);
    assert_true(h == -3.5);
    assert_int_equal(osim__parse_utc_offset("+0545", &h, NULL), 0);
    assert_true(fabs(h - 5.75) < 1e-15);
    assert_int_equal(osim__parse_utc_offset("9", &h, NULL), 0);
    assert_true(h == 9.0);
    assert_int_equal(osim__parse_utc_offset("Z", &h, NULL), 0);
    assert_true(h == 0.0);
    assert_int_equal(osim__parse_utc_offset("+15:00", &h, NULL), OSIM_ERANGE);
    assert_int_equal(osim__parse_utc_offset("+09:75", &h, NULL), OSIM_ERANGE);
    assert_int_equal(osim__parse_utc_offset("KST", &h, NULL), OSIM_ESCHEMA);
    assert_int_equal(osim__parse_utc_offset("+9:0", &h, NULL), OSIM_ESCHEMA);
    osim__format_utc_offset(buf, sizeof(buf), -3.5);
    assert_string_equal(buf, "-03:30");
    osim__format_utc_offset(buf, sizeof(buf), 9.0);
    assert_string_equal(buf, "+09:00");
}

static void test_format_real(void **state)
{
    static const double xs[] = {0.0, 1.0, 0.1, 1.0 / 3.0, 8.0 / 60.0, 48e6, 1e-300, 123456789.125};
    char buf[40];
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(xs) / sizeof(xs[0]); i++) {
        double back;
        osim__format_real(buf, sizeof(buf), xs[i]);
        assert_int_equal(osim__parse_real(buf, &back, NULL), 0);
        assert_true(back == xs[i]); /* round-trips exactly */
    }
    osim__format_real(buf, sizeof(buf), 0.1);
    assert_string_equal(buf, "0.1");
    osim__format_real(buf, sizeof(buf), -0.0);
    assert_string_equal(buf, "0");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_duration),   cmocka_unit_test(test_money),
        cmocka_unit_test(test_count_real), cmocka_unit_test(test_fraction),
        cmocka_unit_test(test_bool),       cmocka_unit_test(test_datetime),
        cmocka_unit_test(test_utc_offset), cmocka_unit_test(test_format_real),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
