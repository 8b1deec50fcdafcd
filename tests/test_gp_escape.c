/*
 * test_gp_escape.c -- scenario text reaches gnuplot as inert data
 * (sim/report/gp_escape.c).
 *
 * Checked: the expression is single-quoted literals free of ' " ` @ \ ,
 * with those five as octal escapes in double quotes, on one line, in valid
 * UTF-8 (invalid bytes become U+FFFD), cut on a character boundary with an
 * ellipsis; and -- by running the real gnuplot when it is installed --
 * that gnuplot reads each expression back as exactly the original text
 * (runs of quotes included, which gnuplot's own '' escape gets wrong, and
 * "@mac" after a quote, which its macro pass expanded under an earlier
 * scheme) while backquotes, system("..."), @macros, $(...) and quotes in
 * it run nothing: the marker files the payloads would create do not
 * appear, though the same payload in double quotes does run.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "report/gp_escape.h"

static void expect_quote(const char *in, size_t max, const char *want)
{
    char *q = osim__gp_quote(in, max);

    assert_non_null(q);
    assert_string_equal(q, want);
    free(q);
}

static void test_plain_and_escapes(void **state)
{
    (void)state;
    expect_quote("as-was", 0, "'as-was'");
    expect_quote("", 0, "''");
    expect_quote(NULL, 0, "''");
    expect_quote("카카오 억원 {x}_y^2 & $HOME", 0, "'카카오 억원 {x}_y^2 & $HOME'");
    /* The five characters a pre-scanner might act on become octal escapes
     * in double quotes; a run of them shares one string. */
    expect_quote("it's", 0, "'it'.\"\\047\".'s'");
    expect_quote("''", 0, "\"\\047\\047\"");
    expect_quote("'a'", 0, "\"\\047\".'a'.\"\\047\"");
    expect_quote("a `id` b", 0, "'a '.\"\\140\".'id'.\"\\140\".' b'");
    expect_quote("system(\"rm\")", 0, "'system('.\"\\042\".'rm'.\"\\042\".')'");
    expect_quote("@mac\\n", 0, "\"\\100\".'mac'.\"\\134\".'n'");
}

/* Between tokens only '.'; inside single quotes none of the five and no
 * control character; inside double quotes only \NNN escapes. */
static void assert_inert(const char *q)
{
    const char *p = q;

    while (*p != '\0') {
        if (*p == '\'') {
            for (p++; *p != '\''; p++) {
                assert_true(*p != '\0' && *p != '"' && *p != '`' && *p != '@' && *p != '\\');
                assert_true((unsigned char)*p >= 0x20 && *p != 0x7f);
            }
            p++;
        } else if (*p == '"') {
            for (p++; *p != '"'; p += 4)
                assert_true(p[0] == '\\' && p[1] >= '0' && p[1] <= '3' && p[2] >= '0' &&
                            p[2] <= '7' && p[3] >= '0' && p[3] <= '7');
            p++;
        } else {
            fail_msg("unexpected character '%c' between the tokens of %s", *p, q);
        }
        if (*p == '.')
            p++;
    }
}

static void test_inert_shape(void **state)
{
    static const char *const texts[] = {
        "",
        "'",
        "'''''",
        "a\"b\"c",
        "`id`",
        "@@x@",
        "\\\\",
        "x'.system(\"id\").'",
        "\n'@",
        "q'\t",
        "end'",
        "'start",
        "mixed 'all' \"of\" `them` @ \\ here",
    };
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
        char *q = osim__gp_quote(texts[i], 0);
        assert_non_null(q);
        assert_inert(q);
        free(q);
    }
}

static void test_one_line_valid_utf8(void **state)
{
    (void)state;
    expect_quote("a\nb\rc\td", 0, "'a b c d'");
    expect_quote("x\x01\x7fy", 0, "'x  y'");
    /* A lone continuation byte, a truncated sequence, an overlong form and
     * a UTF-16 surrogate are each replaced by U+FFFD. */
    expect_quote("a\x80z", 0, "'a\xef\xbf\xbdz'");
    expect_quote("a\xe2\x82", 0, "'a\xef\xbf\xbd\xef\xbf\xbd'");
    expect_quote("\xc0\xaf", 0, "'\xef\xbf\xbd\xef\xbf\xbd'");
    expect_quote("\xed\xa0\x80", 0, "'\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd'");
}

static void test_cut(void **state)
{
    (void)state;
    expect_quote("abcdef", 4, "'abc\xe2\x80\xa6'");
    expect_quote("abcd", 4, "'abcd'");
    /* A cut never splits a multibyte character or an escape. */
    expect_quote("가나다라", 3, "'가나\xe2\x80\xa6'");
    expect_quote("ab'cd", 3, "'ab\xe2\x80\xa6'");
    expect_quote("a'bcd", 3, "'a'.\"\\047\".'\xe2\x80\xa6'");
}

/* ------------------------------------------------------------ real gnuplot */

static const char *const payloads[] = {
    "scenario `touch MARK/bq` end",
    "svc system(\"touch MARK/sys\") end",
    "it's \"quoted\" 'twice' ''",
    "''''' five",
    "'",
    "it's @mac and 'again' @mac `touch MARK/mac`",
    "@mac and $(touch MARK/dollar) and \\`touch MARK/bs`",
    "x'.system(\"touch MARK/concat\").'",
    "line\nbreak `touch MARK/nl`",
    "카카오 억원 {x}_y^2 & < >",
};

static bool have_gnuplot(void)
{
    return system("command -v gnuplot >/dev/null 2>&1") == 0;
}

/* payload with MARK replaced by dir (malloc'd). */
static char *with_dir(const char *p, const char *dir)
{
    size_t n = strlen(p) + 8 * strlen(dir) + 1, o = 0;
    char *s = malloc(n);

    assert_non_null(s);
    while (*p != '\0') {
        if (strncmp(p, "MARK", 4) == 0) {
            o += (size_t)snprintf(s + o, n - o, "%s", dir);
            p += 4;
        } else {
            s[o++] = *p++;
        }
    }
    s[o] = '\0';
    return s;
}

static void test_gnuplot_reads_text_back(void **state)
{
    static const char *const marks[] = {"bq", "sys", "mac", "dollar", "bs", "concat", "nl"};
    char dir[] = "/tmp/osim-gp-escape-XXXXXX";
    char script[256], printed[256], cmd[768], line[1024], mark[300];
    const size_t n = sizeof(payloads) / sizeof(payloads[0]);
    struct stat st;
    size_t i;
    FILE *f;

    (void)state;
    if (!have_gnuplot()) {
        print_message("skipped: no gnuplot on PATH\n");
        skip();
    }
    assert_non_null(mkdtemp(dir));
    snprintf(script, sizeof(script), "%s/t.gp", dir);
    snprintf(printed, sizeof(printed), "%s/printed.txt", dir);
    f = fopen(script, "w");
    assert_non_null(f);
    fprintf(f, "set print '%s'\n", printed);
    /* A macro a payload might expand: its value must never appear. */
    fprintf(f, "mac = 'BOOM'\n");
    for (i = 0; i < n; i++) {
        char *text = with_dir(payloads[i], dir);
        char *q = osim__gp_quote(text, 0);
        assert_non_null(q);
        /* Assigned, printed, and used as a title: the ways the scripts use text. */
        fprintf(f, "v%zu = %s\nprint v%zu\nset title v%zu\n", i, q, i, i);
        free(q);
        free(text);
    }
    fclose(f);
    snprintf(cmd, sizeof(cmd), "gnuplot '%s' >/dev/null 2>&1", script);
    assert_int_equal(system(cmd), 0);

    f = fopen(printed, "r");
    assert_non_null(f);
    for (i = 0; i < n; i++) {
        char *text = with_dir(payloads[i], dir), *nl;
        assert_non_null(fgets(line, sizeof(line), f));
        if ((nl = strchr(line, '\n')) != NULL)
            *nl = '\0';
        for (nl = text; *nl != '\0'; nl++)
            if (*nl == '\n')
                *nl = ' '; /* the one change the quoting makes here */
        assert_string_equal(line, text);
        free(text);
    }
    fclose(f);

    /* Nothing ran. */
    for (i = 0; i < sizeof(marks) / sizeof(marks[0]); i++) {
        snprintf(mark, sizeof(mark), "%s/%s", dir, marks[i]);
        assert_int_not_equal(stat(mark, &st), 0);
    }
    remove(printed);
    remove(script);
    rmdir(dir);
}

/* The control: the same payload in a double-quoted gnuplot string DOES run,
 * so the check above can fail. */
static void test_control_double_quotes_run(void **state)
{
    char dir[] = "/tmp/osim-gp-escape-XXXXXX";
    char script[256], cmd[512], mark[300];
    struct stat st;
    FILE *f;

    (void)state;
    if (!have_gnuplot()) {
        print_message("skipped: no gnuplot on PATH\n");
        skip();
    }
    assert_non_null(mkdtemp(dir));
    snprintf(script, sizeof(script), "%s/t.gp", dir);
    snprintf(mark, sizeof(mark), "%s/bq", dir);
    f = fopen(script, "w");
    assert_non_null(f);
    fprintf(f, "v = \"`touch %s`\"\n", mark);
    fclose(f);
    snprintf(cmd, sizeof(cmd), "gnuplot '%s' >/dev/null 2>&1", script);
    assert_int_equal(system(cmd), 0);
    assert_int_equal(stat(mark, &st), 0);
    remove(mark);
    remove(script);
    rmdir(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_plain_and_escapes),
        cmocka_unit_test(test_inert_shape),
        cmocka_unit_test(test_one_line_valid_utf8),
        cmocka_unit_test(test_cut),
        cmocka_unit_test(test_gnuplot_reads_text_back),
        cmocka_unit_test(test_control_double_quotes_run),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
