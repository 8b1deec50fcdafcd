/*
 * markdown.c -- report.md from the document of a brief: GitHub-flavoured
 * Markdown (pipe tables), for pasting into a memo.
 *
 * Invariant: the same words and numbers as report.html (both are written
 * from one document). What Markdown cannot hold changes form only: a row
 * spanning a table (the legal basis under a policy) becomes a row with the
 * text in the second column, and a figure becomes a line naming it.
 */
#include <stdio.h>
#include <string.h>

#include "brief/brief_int.h"

/* Whether the '<' at s could open raw HTML in GFM (a tag, a comment, a
 * declaration): only then is it escaped, so "loss <= 300,000 won" stays
 * readable in the Markdown text itself. */
static bool starts_tag(const char *s)
{
    char c = s[1];

    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '/' || c == '!' || c == '?';
}

/* s on one line: '|' escaped in a table cell, a '<' that could open HTML
 * as &lt; (GFM reads raw HTML), line breaks as spaces. */
static void esc(FILE *f, const char *s, bool cell)
{
    for (; s != NULL && *s != '\0'; s++) {
        if (*s == '|' && cell)
            fputs("\\|", f);
        else if (*s == '<' && starts_tag(s))
            fputs("&lt;", f);
        else if (*s == '\n' || *s == '\r')
            fputc(' ', f);
        else
            fputc(*s, f);
    }
}

static void table(FILE *f, const brief_block *k)
{
    size_t c, r;

    if (k->text != NULL) {
        fputc('*', f);
        esc(f, k->text, false);
        fputs("*\n\n", f);
    }
    fputc('|', f);
    for (c = 0; c < k->cols; c++) {
        fputc(' ', f);
        esc(f, k->head[c], true);
        fputs(" |", f);
    }
    fputs("\n|", f);
    for (c = 0; c < k->cols; c++)
        fputs(k->right & (1u << c) ? "---:|" : "---|", f);
    fputc('\n', f);
    for (r = 0; r < k->rows_count; r++) {
        const brief_row *row = &k->rows[r];
        fputc('|', f);
        for (c = 0; c < k->cols; c++) {
            const char *cell =
                row->span ? (c == 1 || k->cols == 1 ? row->cells[0] : "") : row->cells[c];
            fputc(' ', f);
            if (row->span && k->cols > 1 && c == 0)
                ; /* the spanning text goes under the second column */
            else
                esc(f, cell, true);
            fputs(" |", f);
        }
        fputc('\n', f);
    }
    fputc('\n', f);
}

static void block(FILE *f, const brief_block *k)
{
    size_t i;

    switch (k->kind) {
    case BRIEF_PARA:
        esc(f, k->text, false);
        fputs("\n\n", f);
        break;
    case BRIEF_BOX: {
        const char *p;
        fputs("> ", f);
        /* A blank line inside the box stays inside the quote. */
        for (p = k->text; *p != '\0'; p++) {
            if (p[0] == '\n' && p[1] == '\n') {
                fputs("\n>\n> ", f);
                p++;
            } else if (*p == '<' && starts_tag(p))
                fputs("&lt;", f);
            else
                fputc(*p, f);
        }
        fputs("\n\n", f);
        break;
    }
    case BRIEF_PRE: fprintf(f, "```\n%s\n```\n\n", k->text); break;
    case BRIEF_TABLE: table(f, k); break;
    case BRIEF_LIST:
        for (i = 0; i < k->items_count; i++) {
            fputs("- ", f);
            esc(f, k->items[i], false);
            if (k->links[i] != NULL) {
                fputs(" <", f);
                fputs(k->links[i], f);
                fputc('>', f);
            }
            fputc('\n', f);
        }
        fputc('\n', f);
        break;
    case BRIEF_FIGURE:
        fputs("*Figure (in report.html and report.pdf): ", f);
        esc(f, k->text, false);
        fputs("*\n\n", f);
        break;
    }
}

int osim__brief_markdown(const osim_brief *b, FILE *f)
{
    size_t i, j;

    fputs("# ", f);
    esc(f, b->title, false);
    fputs("\n\n", f);
    esc(f, b->subtitle, false);
    fputs("\n\n", f);
    if (b->date != NULL) {
        esc(f, b->date, false);
        fputs("\n\n", f);
    }
    for (i = 0; i < b->sections_count; i++) {
        const brief_section *s = &b->sections[i];
        if (s->title != NULL && *s->title != '\0') {
            fprintf(f, "%s ", s->level <= 2 ? "##" : "###");
            esc(f, s->title, false);
            fputs("\n\n", f);
        }
        for (j = 0; j < s->blocks_count; j++)
            block(f, &s->blocks[j]);
    }
    return ferror(f) ? OSIM_EIO : 0;
}
