/*
 * str.h -- internal: the small string helpers every module needs, once.
 *
 * Strings are NUL-terminated and heap-allocated with malloc; whoever gets
 * one from these functions owns it and frees it with free() (a vector with
 * osim__strv_free). NULL in gives NULL out, so optional fields copy
 * without a test at each call site. None of these keeps state: any thread
 * may call them.
 *
 * UTF-8 is checked strictly (RFC 3629): no overlong forms, no UTF-16
 * surrogates (U+D800..U+DFFF), nothing past U+10FFFF, no truncated
 * sequence. Scenario text is rejected on the first such byte, so every
 * name that reaches a report or a figure is valid UTF-8.
 */
#ifndef OUTAGESIM_STR_H
#define OUTAGESIM_STR_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* A copy of s, or NULL when s is NULL or memory runs out. */
/* Write s to f as one CSV field (RFC 4180: quoted, with quotes doubled,
 * when it holds a comma, a quote or a line break). */
void osim__csv_field(FILE *f, const char *s);

char *osim__strdup(const char *s);

/* A NUL-terminated copy of the n bytes at s (which need hold no NUL), or NULL
 * when s is NULL or memory runs out. */
char *osim__strndup(const char *s, size_t n);

/* Free v[0..n-1] and v. NULL is a no-op. */
void osim__strv_free(char **v, size_t n);

/*
 * Copy n strings into a new vector *out (its entries may be NULL where
 * v's are). n == 0 gives *out = NULL and 0. Returns 0 or OSIM_ENOMEM, with
 * *out NULL and nothing leaked.
 */
int osim__strv_dup(char *const *v, size_t n, char ***out);

/*
 * Decode the UTF-8 sequence at s, of which n bytes may be read. Returns
 * its length (1..4) and stores the code point in *cp (cp may be NULL), or
 * returns 0 when s does not start a valid sequence within n bytes (or n
 * is 0); *cp is then untouched.
 */
size_t osim__utf8_decode(const char *s, size_t n, uint32_t *cp);

/* The first byte of s[0..n-1] that does not start a valid UTF-8 sequence, or NULL. */
const char *osim__utf8_invalid(const char *s, size_t n);

#endif
