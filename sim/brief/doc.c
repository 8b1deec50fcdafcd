/*
 * doc.c -- the in-memory document of a brief: sections of paragraphs,
 * tables, lists and figures (brief_int.h).
 *
 * Invariant: a builder call either adds what it was asked to or records
 * the first failure in b->rc and adds nothing; after a failure every call
 * is a no-op, so the builder (build.c) checks b->rc once at the end.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "brief/brief_int.h"
#include "core/str.h"

/* Grow *v (of elem bytes, *cap entries) to hold one more; false on failure. */
static bool grow(osim_brief *b, void **v, size_t *cap, size_t count, size_t elem)
{
    void *n;
    size_t nc;

    if (b->rc != 0)
        return false;
    if (count < *cap)
        return true;
    nc = *cap ? 2 * *cap : 8;
    if ((n = realloc(*v, nc * elem)) == NULL) {
        b->rc = OSIM_ENOMEM;
        return false;
    }
    memset((char *)n + *cap * elem, 0, (nc - *cap) * elem);
    *v = n;
    *cap = nc;
    return true;
}

static char *vstrf(osim_brief *b, const char *fmt, va_list ap)
{
    va_list cp;
    int len;
    char *s;

    if (b->rc != 0)
        return NULL;
    va_copy(cp, ap);
    len = vsnprintf(NULL, 0, fmt, cp);
    va_end(cp);
    if (len < 0 || (s = malloc((size_t)len + 1)) == NULL) {
        b->rc = OSIM_ENOMEM;
        return NULL;
    }
    vsnprintf(s, (size_t)len + 1, fmt, ap);
    return s;
}

char *osim__brief_strf(osim_brief *b, const char *fmt, ...)
{
    va_list ap;
    char *s;

    va_start(ap, fmt);
    s = vstrf(b, fmt, ap);
    va_end(ap);
    return s;
}

static char *dup(osim_brief *b, const char *s)
{
    char *d;

    if (b->rc != 0)
        return NULL;
    if ((d = osim__strdup(s != NULL ? s : "")) == NULL)
        b->rc = OSIM_ENOMEM;
    return d;
}

void osim__brief_section(osim_brief *b, int level, bool page_break, const char *id,
                         const char *title)
{
    brief_section *s;

    if (!grow(b, (void **)&b->sections, &b->sections_cap, b->sections_count, sizeof(*s)))
        return;
    s = &b->sections[b->sections_count++];
    s->level = level;
    s->page_break = page_break;
    s->id = dup(b, id);
    s->title = dup(b, title);
}

/* A new block of kind in the current section (a section "" is opened if none is). */
static brief_block *add_block(osim_brief *b, brief_kind kind)
{
    brief_section *s;
    brief_block *k;

    if (b->rc == 0 && b->sections_count == 0)
        osim__brief_section(b, 2, false, "top", "");
    if (b->rc != 0)
        return NULL;
    s = &b->sections[b->sections_count - 1];
    if (!grow(b, (void **)&s->blocks, &s->blocks_cap, s->blocks_count, sizeof(*k)))
        return NULL;
    k = &s->blocks[s->blocks_count++];
    k->kind = kind;
    return k;
}

/* The last block of the current section if it is of kind, else NULL. */
static brief_block *last_block(osim_brief *b, brief_kind kind)
{
    brief_section *s;

    if (b->rc != 0 || b->sections_count == 0)
        return NULL;
    s = &b->sections[b->sections_count - 1];
    if (s->blocks_count == 0 || s->blocks[s->blocks_count - 1].kind != kind)
        return NULL;
    return &s->blocks[s->blocks_count - 1];
}

static void text_block(osim_brief *b, brief_kind kind, const char *fmt, va_list ap)
{
    char *t = vstrf(b, fmt, ap);
    brief_block *k;

    if (t == NULL || (k = add_block(b, kind)) == NULL) {
        free(t);
        return;
    }
    k->text = t;
}

void osim__brief_para(osim_brief *b, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    text_block(b, BRIEF_PARA, fmt, ap);
    va_end(ap);
}

void osim__brief_box(osim_brief *b, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    text_block(b, BRIEF_BOX, fmt, ap);
    va_end(ap);
}

void osim__brief_pre(osim_brief *b, const char *text)
{
    osim__brief_para(b, "%s", text); /* made a paragraph, then turned into a PRE */
    if (b->rc == 0)
        b->sections[b->sections_count - 1]
            .blocks[b->sections[b->sections_count - 1].blocks_count - 1]
            .kind = BRIEF_PRE;
}

void osim__brief_table(osim_brief *b, const char *caption, size_t cols, const char *const *head,
                       unsigned right)
{
    brief_block *k;
    size_t c;

    if ((k = add_block(b, BRIEF_TABLE)) == NULL)
        return;
    k->text = caption != NULL ? dup(b, caption) : NULL;
    k->cols = cols;
    k->right = right;
    if ((k->head = calloc(cols, sizeof(*k->head))) == NULL) {
        b->rc = OSIM_ENOMEM;
        return;
    }
    for (c = 0; c < cols; c++)
        k->head[c] = dup(b, head[c]);
}

static brief_row *add_row(osim_brief *b)
{
    brief_block *k = last_block(b, BRIEF_TABLE);

    if (k == NULL) {
        if (b->rc == 0)
            b->rc = OSIM_EINTERNAL; /* a row with no table before it: a builder bug */
        return NULL;
    }
    if (!grow(b, (void **)&k->rows, &k->rows_cap, k->rows_count, sizeof(brief_row)))
        return NULL;
    return &k->rows[k->rows_count++];
}

void osim__brief_row(osim_brief *b, bool strong, const char *const *cells)
{
    brief_block *k = last_block(b, BRIEF_TABLE);
    brief_row *r;
    size_t c;

    if (k == NULL || (r = add_row(b)) == NULL)
        return;
    r->strong = strong;
    if ((r->cells = calloc(k->cols, sizeof(*r->cells))) == NULL) {
        b->rc = OSIM_ENOMEM;
        return;
    }
    for (c = 0; c < k->cols; c++)
        r->cells[c] = dup(b, cells[c]);
}

void osim__brief_span(osim_brief *b, const char *text)
{
    brief_row *r = add_row(b);

    if (r == NULL)
        return;
    r->span = true;
    if ((r->cells = calloc(1, sizeof(*r->cells))) == NULL) {
        b->rc = OSIM_ENOMEM;
        return;
    }
    r->cells[0] = dup(b, text);
}

void osim__brief_list(osim_brief *b)
{
    add_block(b, BRIEF_LIST);
}

void osim__brief_item(osim_brief *b, const char *link, const char *fmt, ...)
{
    brief_block *k = last_block(b, BRIEF_LIST);
    va_list ap;
    size_t old_cap;
    char *t;

    if (k == NULL) {
        if (b->rc == 0)
            b->rc = OSIM_EINTERNAL;
        return;
    }
    va_start(ap, fmt);
    t = vstrf(b, fmt, ap);
    va_end(ap);
    if (t == NULL)
        return;
    old_cap = k->items_cap;
    if (!grow(b, (void **)&k->items, &k->items_cap, k->items_count, sizeof(char *))) {
        free(t);
        return;
    }
    if (k->links == NULL || k->items_cap != old_cap) {
        /* links has the capacity of items. */
        char **nl = realloc(k->links, k->items_cap * sizeof(char *));
        if (nl == NULL) {
            free(t);
            b->rc = OSIM_ENOMEM;
            return;
        }
        k->links = nl;
    }
    k->items[k->items_count] = t;
    k->links[k->items_count] = link != NULL && *link != '\0' ? dup(b, link) : NULL;
    k->items_count++;
}

/*
 * Append s[0..n) to *out (a growing buffer of *len bytes, *cap room).
 * Returns false when memory runs out.
 */
static bool append(char **out, size_t *len, size_t *cap, const char *s, size_t n)
{
    if (*len + n + 1 > *cap) {
        size_t nc = (*len + n + 1) * 2;
        char *nb = realloc(*out, nc);
        if (nb == NULL)
            return false;
        *out = nb;
        *cap = nc;
    }
    memcpy(*out + *len, s, n);
    *len += n;
    (*out)[*len] = '\0';
    return true;
}

/*
 * gnuplot's SVG from the <svg element on (the XML declaration and DOCTYPE
 * dropped), with every id="X" made id="figN-X" and every reference to one
 * ("#X" after href=" and url(#) made "#figN-X": several figures inline in
 * one page share one id space, and gnuplot names its markers alike in every
 * file. Nothing else is changed.
 */
static char *svg_inline(const char *svg, int fig)
{
    static const char *const keys[] = {"id=\"", "href=\"#", "url(#"};
    const char *p = strstr(svg, "<svg");
    char *out = NULL, prefix[24];
    size_t len = 0, cap = 0, k;

    if (p == NULL)
        return NULL;
    snprintf(prefix, sizeof(prefix), "fig%d-", fig);
    while (*p != '\0') {
        const char *hit = NULL;
        size_t hk = 0;
        for (k = 0; k < sizeof(keys) / sizeof(keys[0]); k++) {
            const char *h = strstr(p, keys[k]);
            if (h != NULL && (hit == NULL || h < hit)) {
                hit = h;
                hk = k;
            }
        }
        if (hit == NULL) {
            if (!append(&out, &len, &cap, p, strlen(p)))
                goto fail;
            break;
        }
        if (!append(&out, &len, &cap, p, (size_t)(hit - p) + strlen(keys[hk])) ||
            !append(&out, &len, &cap, prefix, strlen(prefix)))
            goto fail;
        p = hit + strlen(keys[hk]);
    }
    return out;
fail:
    free(out);
    return NULL;
}

void osim__brief_figure(osim_brief *b, const char *svg, const char *caption)
{
    brief_block *k;
    char *s;

    if (b->rc != 0)
        return;
    if ((s = svg_inline(svg, ++b->figures)) == NULL) {
        if (strstr(svg, "<svg") != NULL)
            b->rc = OSIM_ENOMEM;
        return; /* not an SVG: left out */
    }
    if ((k = add_block(b, BRIEF_FIGURE)) == NULL) {
        free(s);
        return;
    }
    k->svg = s;
    k->text = dup(b, caption);
}

void osim_brief_free(osim_brief *b)
{
    size_t i, j, r;

    if (b == NULL)
        return;
    for (i = 0; i < b->sections_count; i++) {
        brief_section *s = &b->sections[i];
        for (j = 0; j < s->blocks_count; j++) {
            brief_block *k = &s->blocks[j];
            free(k->text);
            free(k->svg);
            osim__strv_free(k->head, k->head != NULL ? k->cols : 0);
            for (r = 0; r < k->rows_count; r++)
                osim__strv_free(k->rows[r].cells, k->rows[r].cells == NULL ? 0
                                                  : k->rows[r].span        ? 1
                                                                           : k->cols);
            free(k->rows);
            osim__strv_free(k->items, k->items_count);
            osim__strv_free(k->links, k->items_count);
        }
        free(s->blocks);
        free(s->title);
        free(s->id);
    }
    free(b->sections);
    free(b->title);
    free(b->subtitle);
    free(b->date);
    free(b);
}
