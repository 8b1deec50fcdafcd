/*
 * gp_escape.c -- scenario text as an inert gnuplot string expression (see
 * gp_escape.h).
 *
 * Invariant: the output is tokens joined by '.', each either a
 * single-quoted literal holding none of ' " ` @ \ , no control character
 * and no invalid UTF-8, or a double-quoted string of octal escapes only.
 * gnuplot therefore reads string constants only, whose concatenation is
 * the input text (less control characters, invalid bytes and anything
 * cut), and neither its backquote nor its macro pass finds anything.
 */
#include "report/gp_escape.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "core/str.h"

typedef struct out {
    char *p;
    size_t n;
    char open; /* 0, or the quote of the token being written: ' or " */
    bool any;  /* a token has been written */
} out;

static void put(out *o, const char *s, size_t n)
{
    memcpy(o->p + o->n, s, n);
    o->n += n;
}

/* Continue, or start, a token of kind q: ' literal text, " octal escapes. */
static void token(out *o, char q)
{
    if (o->open == q)
        return;
    if (o->open != 0)
        put(o, &o->open, 1);
    if (o->any)
        put(o, ".", 1);
    put(o, &q, 1);
    o->open = q;
    o->any = true;
}

static void text(out *o, const char *s, size_t n)
{
    token(o, '\'');
    put(o, s, n);
}

/* One of the characters no pre-scanner may see, as an octal escape. */
static void escaped(out *o, unsigned char c)
{
    char e[4];

    token(o, '"');
    e[0] = '\\';
    e[1] = (char)('0' + ((c >> 6) & 7));
    e[2] = (char)('0' + ((c >> 3) & 7));
    e[3] = (char)('0' + (c & 7));
    put(o, e, 4);
}

char *osim__gp_quote(const char *text_in, size_t max_chars)
{
    static const char ellipsis[] = "\xe2\x80\xa6";    /* U+2026 */
    static const char replacement[] = "\xef\xbf\xbd"; /* U+FFFD */
    const unsigned char *s = (const unsigned char *)(text_in != NULL ? text_in : "");
    size_t len = strlen((const char *)s), chars = 0;
    const unsigned char *end = s + len;
    out o = {NULL, 0, 0, false};

    /* Worst case per input byte: an escape after a token change, '."\047
     * (8 bytes); an invalid byte: 3 bytes after a token change. */
    o.p = malloc(8 * len + 16);
    if (o.p == NULL)
        return NULL;
    while (*s != '\0') {
        size_t n = osim__utf8_decode((const char *)s, (size_t)(end - s), NULL);
        if (max_chars > 0 && chars + 1 == max_chars && s[n ? n : 1] != '\0') {
            /* Room for one more character and more text follows: end here. */
            text(&o, ellipsis, 3);
            break;
        }
        if (n == 0) {
            text(&o, replacement, 3);
            n = 1;
        } else if (n == 1 && (*s < 0x20 || *s == 0x7f)) {
            text(&o, " ", 1);
        } else if (n == 1 && strchr("'\"`@\\", *s) != NULL) {
            escaped(&o, *s);
        } else {
            text(&o, (const char *)s, n);
        }
        s += n;
        chars++;
    }
    if (!o.any)
        put(&o, "''", 2);
    else
        put(&o, &o.open, 1);
    o.p[o.n] = '\0';
    return o.p;
}

int osim__gp_assign(FILE *f, const char *name, const char *text, size_t max_chars)
{
    char *q = osim__gp_quote(text, max_chars);

    if (q == NULL)
        return OSIM_ENOMEM;
    fprintf(f, "%s = %s\n", name, q);
    free(q);
    return 0;
}
