/*
 * str.c -- string copies and UTF-8 decoding (str.h).
 */
#include "core/str.h"

#include <stdlib.h>
#include <string.h>

#include "outagesim/error.h"

char *osim__strndup(const char *s, size_t n)
{
    char *d;

    if (s == NULL)
        return NULL;
    d = malloc(n + 1);
    if (d != NULL) {
        memcpy(d, s, n);
        d[n] = '\0';
    }
    return d;
}

char *osim__strdup(const char *s)
{
    return s != NULL ? osim__strndup(s, strlen(s)) : NULL;
}

void osim__strv_free(char **v, size_t n)
{
    size_t i;

    if (v == NULL)
        return;
    for (i = 0; i < n; i++)
        free(v[i]);
    free(v);
}

int osim__strv_dup(char *const *v, size_t n, char ***out)
{
    char **d;
    size_t i;

    *out = NULL;
    if (n == 0)
        return 0;
    if (v == NULL)
        return OSIM_EINVAL;
    d = calloc(n, sizeof(*d));
    if (d == NULL)
        return OSIM_ENOMEM;
    for (i = 0; i < n; i++) {
        d[i] = osim__strdup(v[i]);
        if (d[i] == NULL && v[i] != NULL) {
            osim__strv_free(d, i);
            return OSIM_ENOMEM;
        }
    }
    *out = d;
    return 0;
}

size_t osim__utf8_decode(const char *s, size_t n, uint32_t *cp)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t len, k;
    uint32_t c;

    if (n == 0)
        return 0;
    if (p[0] < 0x80) {
        if (cp != NULL)
            *cp = p[0];
        return 1;
    }
    /* 0xc0 and 0xc1 can only start overlong two-byte forms; 0xf5.. go past U+10FFFF. */
    if (p[0] >= 0xc2 && p[0] <= 0xdf) {
        len = 2;
        c = p[0] & 0x1fu;
    } else if (p[0] >= 0xe0 && p[0] <= 0xef) {
        len = 3;
        c = p[0] & 0x0fu;
    } else if (p[0] >= 0xf0 && p[0] <= 0xf4) {
        len = 4;
        c = p[0] & 0x07u;
    } else {
        return 0;
    }
    if (n < len)
        return 0;
    for (k = 1; k < len; k++) {
        if ((p[k] & 0xc0) != 0x80)
            return 0;
        c = (c << 6) | (p[k] & 0x3fu);
    }
    /* Overlong three- and four-byte forms, surrogates and values past U+10FFFF. */
    if ((len == 3 && c < 0x800) || (len == 4 && (c < 0x10000 || c > 0x10ffff)) ||
        (c >= 0xd800 && c <= 0xdfff))
        return 0;
    if (cp != NULL)
        *cp = c;
    return len;
}

const char *osim__utf8_invalid(const char *s, size_t n)
{
    size_t i = 0;

    while (i < n) {
        size_t len = osim__utf8_decode(s + i, n - i, NULL);
        if (len == 0)
            return s + i;
        i += len;
    }
    return NULL;
}

void osim__csv_field(FILE *f, const char *s)
{
    const char *p;

    if (strpbrk(s, ",\"\r\n") == NULL) {
        fputs(s, f);
        return;
    }
    fputc('"', f);
    for (p = s; *p != '\0'; p++) {
        if (*p == '"')
            fputc('"', f);
        fputc(*p, f);
    }
    fputc('"', f);
}
