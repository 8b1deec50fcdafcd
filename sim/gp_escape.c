/*
 * gp_escape.c -- gnuplot single-quoted string literals (see gp_escape.h).
 *
 * Invariant: the output starts and ends with a single quote, every quote
 * in between comes in pairs, and it holds no control character and no
 * invalid UTF-8. gnuplot therefore reads exactly one string token from it,
 * whose value is the input text (less control characters, invalid bytes
 * and anything cut), and runs nothing.
 */
#include "gp_escape.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

/* Length of the valid UTF-8 sequence at s (1..4), or 0 if s does not start one. */
static size_t utf8_len(const unsigned char *s)
{
    unsigned char c = s[0];
    size_t n, i;
    unsigned long cp;

    if (c < 0x80)
        return 1;
    if (c >= 0xc2 && c <= 0xdf) {
        n = 2;
        cp = c & 0x1f;
    } else if (c >= 0xe0 && c <= 0xef) {
        n = 3;
        cp = c & 0x0f;
    } else if (c >= 0xf0 && c <= 0xf4) {
        n = 4;
        cp = c & 0x07;
    } else {
        return 0;
    }
    for (i = 1; i < n; i++) {
        if ((s[i] & 0xc0) != 0x80)
            return 0;
        cp = (cp << 6) | (s[i] & 0x3f);
    }
    /* Overlong forms, UTF-16 surrogates and code points past U+10FFFF. */
    if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
        (cp >= 0xd800 && cp <= 0xdfff))
        return 0;
    return n;
}

char *osim__gp_quote(const char *text, size_t max_chars)
{
    static const char ellipsis[] = "\xe2\x80\xa6";  /* U+2026 */
    static const char replacement[] = "\xef\xbf\xbd"; /* U+FFFD */
    const unsigned char *s = (const unsigned char *)(text != NULL ? text : "");
    size_t cap = 2 * strlen((const char *)s) + 3 * strlen((const char *)s) + 8;
    size_t o = 0, chars = 0;
    char *out = malloc(cap);

    /* Worst case per input byte: an invalid byte becomes 3 bytes; a quote 2. */
    if (out == NULL)
        return NULL;
    out[o++] = '\'';
    while (*s != '\0') {
        size_t n = utf8_len(s);
        if (max_chars > 0 && chars == max_chars) {
            /* Cut: replace the last character by the ellipsis. */
            size_t k = o;
            while (k > 1 && (out[k - 1] & 0xc0) == 0x80)
                k--;
            if (k > 1)
                k--;
            if (k > 1 && out[k] == '\'' && out[k - 1] == '\'')
                k--; /* do not split a doubled quote */
            o = k;
            memcpy(out + o, ellipsis, 3);
            o += 3;
            break;
        }
        if (n == 0) {
            memcpy(out + o, replacement, 3);
            o += 3;
            s++;
        } else if (n == 1 && (*s < 0x20 || *s == 0x7f)) {
            out[o++] = ' ';
            s++;
        } else if (n == 1 && *s == '\'') {
            out[o++] = '\'';
            out[o++] = '\'';
            s++;
        } else {
            memcpy(out + o, s, n);
            o += n;
            s += n;
        }
        chars++;
    }
    out[o++] = '\'';
    out[o] = '\0';
    return out;
}
