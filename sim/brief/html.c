/*
 * html.c -- report.html from the document of a brief.
 *
 * Invariant: the page is self-contained and inert. Styles are one inline
 * <style> element (with print rules for A4: margins, a page break before
 * each major section, table rows and figures that do not split); figures
 * are inline <svg> elements; there is no <script>, no @import, no font
 * file, no <img>, and no attribute that makes a browser fetch anything.
 * Links to sources are <a href> (followed only when clicked). Every text
 * from the scenario or the result is escaped.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "brief/brief_int.h"
#include "core/str.h"

static const char css[] =
    "@page { size: A4; margin: 16mm 15mm 18mm 15mm; }\n"
    "html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }\n"
    "body { font-family: 'DejaVu Sans', 'NanumGothic', 'Noto Sans', sans-serif; font-size: 9.5pt;"
    " line-height: 1.45; color: #1b1f24; max-width: 182mm; margin: 0 auto; padding: 0 4mm; }\n"
    "header.cover { border-top: 6px solid #1f3b5b; padding: 10pt 0 8pt; margin-bottom: 10pt;"
    " border-bottom: 1px solid #c9d3de; }\n"
    "header.cover .kicker { text-transform: uppercase; letter-spacing: 0.12em; font-size: 8pt;"
    " color: #5a6b7d; margin: 0 0 4pt; }\n"
    "header.cover h1 { font-size: 21pt; line-height: 1.2; color: #1f3b5b; margin: 0 0 6pt; }\n"
    "header.cover .sub { font-size: 10.5pt; color: #33414f; margin: 0 0 3pt; }\n"
    "header.cover .date { font-size: 9pt; color: #5a6b7d; margin: 0; }\n"
    "h2 { font-size: 14pt; color: #1f3b5b; border-bottom: 1px solid #c9d3de; padding-bottom: 2pt;"
    " margin: 16pt 0 6pt; break-after: avoid; }\n"
    "h2.break { break-before: page; }\n"
    "h3 { font-size: 11pt; color: #1f3b5b; margin: 12pt 0 4pt; break-after: avoid; }\n"
    "p { margin: 4pt 0 6pt; }\n"
    "p:has(+ table) { break-after: avoid; break-inside: avoid; }\n"
    ".box { border-left: 4px solid #1f3b5b; background: #eef3f8; padding: 7pt 10pt;"
    " margin: 6pt 0 8pt; break-inside: avoid; }\n"
    "table { border-collapse: collapse; width: 100%; font-size: 8pt; margin: 4pt 0 10pt; }\n"
    "caption { caption-side: top; text-align: left; font-size: 8.5pt; color: #33414f;"
    " padding-bottom: 3pt; }\n"
    "thead { display: table-header-group; }\n"
    "th { background: #1f3b5b; color: #fff; text-align: left; font-weight: bold;"
    " padding: 3pt 4pt; vertical-align: bottom; }\n"
    "td { border-bottom: 1px solid #dde3ea; padding: 2.5pt 4pt; vertical-align: top; }\n"
    "th.n { text-align: right; }\n"
    "td.n { text-align: right; word-break: keep-all; }\n"
    "td:first-child { min-width: 28mm; }\n"
    "tr, tbody.group { break-inside: avoid; }\n"
    "table.keep { break-inside: avoid; }\n"
    "tr.strong td { font-weight: bold; border-bottom: none; padding-top: 4pt; }\n"
    "tr.span td { color: #33414f; padding: 0 4pt 4pt 14pt; }\n"
    "ul { margin: 4pt 0 8pt; padding-left: 16pt; }\n"
    "li { margin: 2pt 0; break-inside: avoid; }\n"
    "figure { margin: 8pt 0 10pt; break-inside: avoid; }\n"
    "figure svg { width: 100%; height: auto; display: block; }\n"
    "figcaption { font-size: 8pt; color: #33414f; margin-top: 2pt; }\n"
    "pre { font-family: 'DejaVu Sans Mono', monospace; font-size: 7.5pt; background: #f4f6f8;"
    " padding: 6pt; white-space: pre-wrap; overflow-wrap: anywhere; break-inside: avoid; }\n"
    "a { color: #1f3b5b; }\n"
    "code { font-family: 'DejaVu Sans Mono', monospace; font-size: 0.92em; background: #f1f4f7;"
    " padding: 0 2pt; }\n"
    "@media screen { body { padding-top: 12pt; padding-bottom: 24pt; } }\n"
    /* On paper the page margins frame the text: the body takes the whole
     * 180 mm between them (with its screen padding a wide table ran 4 mm
     * into the right margin and was cut). */
    "@media print { body { max-width: none; padding: 0; } }\n";

/* s escaped for HTML text and attributes; **x** becomes <strong>x</strong>
 * and `x` <code>x</code> when the pair closes (the Markdown they are in
 * report.md). */
static void esc(FILE *f, const char *s, bool markup)
{
    bool strong = false, code = false;

    for (; s != NULL && *s != '\0'; s++) {
        if (markup && s[0] == '`' && (code || strchr(s + 1, '`') != NULL)) {
            fputs(code ? "</code>" : "<code>", f);
            code = !code;
            continue;
        }
        if (markup && !code && s[0] == '*' && s[1] == '*' &&
            (strong || strstr(s + 2, "**") != NULL)) {
            fputs(strong ? "</strong>" : "<strong>", f);
            strong = !strong;
            s++;
            continue;
        }
        switch (*s) {
        case '&': fputs("&amp;", f); break;
        case '<': fputs("&lt;", f); break;
        case '>': fputs("&gt;", f); break;
        case '"': fputs("&quot;", f); break;
        case '\'': fputs("&#39;", f); break;
        default: fputc(*s, f);
        }
    }
    if (code)
        fputs("</code>", f);
    if (strong)
        fputs("</strong>", f);
}

/* Only http, https and mailto links become <a href>: no javascript: and no
 * relative path. Others are shown as text. */
static bool safe_link(const char *u)
{
    return u != NULL && (strncmp(u, "https://", 8) == 0 || strncmp(u, "http://", 7) == 0 ||
                         strncmp(u, "mailto:", 7) == 0);
}

/* A number cell: its spaces are no-break ones ("1.91 h", "2,046.4억원")
 * but for the one after a range's dash, so that a range too wide for its
 * column wraps there ("2.8억원 –" / "3.5억원") rather than pushing the
 * table past the page. (td.n keeps Hangul units with their digits.) */
static void esc_number(FILE *f, const char *s)
{
    static const char dash[] = "\xe2\x80\x93"; /* U+2013 */
    const char *p;

    for (p = s; p != NULL && *p != '\0'; p++) {
        if (*p == ' ' && !(p - s >= 3 && memcmp(p - 3, dash, 3) == 0))
            fputs("&#160;", f);
        else if (*p == '&' || *p == '<' || *p == '>' || *p == '"' || *p == '\'')
            esc(f, (char[]){*p, '\0'}, false);
        else
            fputc(*p, f);
    }
}

#define KEEP_ROWS 12 /* tables of at most this many rows are kept on one page */

static void table(FILE *f, const brief_block *k)
{
    size_t c, r;
    bool open = false;

    /* A short table is kept on one page: a caption and header alone at the
     * foot of a page, their rows on the next, read badly. A long one breaks
     * between rows (keeping it whole would leave most of a page empty). */
    fputs(k->rows_count <= KEEP_ROWS ? "<table class=\"keep\">\n" : "<table>\n", f);
    if (k->text != NULL) {
        fputs("<caption>", f);
        esc(f, k->text, true);
        fputs("</caption>\n", f);
    }
    fputs("<thead><tr>", f);
    for (c = 0; c < k->cols; c++) {
        fputs(k->right & (1u << c) ? "<th class=\"n\">" : "<th>", f);
        esc(f, k->head[c], true);
        fputs("</th>", f);
    }
    fputs("</tr></thead>\n", f);
    for (r = 0; r < k->rows_count; r++) {
        const brief_row *row = &k->rows[r];
        /* A strong row and the span rows after it are one tbody, kept on one
         * page; rows before any strong one are plain rows of one tbody that
         * may break between them. */
        if (row->strong || !open) {
            if (open)
                fputs("</tbody>\n", f);
            fputs(row->strong ? "<tbody class=\"group\">" : "<tbody>", f);
            open = true;
        }
        if (row->span) {
            fprintf(f, "<tr class=\"span\"><td colspan=\"%zu\">", k->cols);
            esc(f, row->cells[0], true);
            fputs("</td></tr>\n", f);
            continue;
        }
        fputs(row->strong ? "<tr class=\"strong\">" : "<tr>", f);
        for (c = 0; c < k->cols; c++) {
            if (k->right & (1u << c)) {
                fputs("<td class=\"n\">", f);
                esc_number(f, row->cells[c]);
            } else {
                fputs("<td>", f);
                esc(f, row->cells[c], true);
            }
            fputs("</td>", f);
        }
        fputs("</tr>\n", f);
    }
    if (open)
        fputs("</tbody>\n", f);
    fputs("</table>\n", f);
}

static void block(FILE *f, const brief_block *k)
{
    size_t i;

    switch (k->kind) {
    case BRIEF_PARA:
        fputs("<p>", f);
        esc(f, k->text, true);
        fputs("</p>\n", f);
        break;
    case BRIEF_BOX: {
        /* Paragraphs of the box are separated by a blank line. */
        const char *p = k->text, *q;
        fputs("<div class=\"box\">\n", f);
        while (p != NULL) {
            char *one;
            q = strstr(p, "\n\n");
            one = q != NULL ? osim__strndup(p, (size_t)(q - p)) : NULL;
            fputs("<p>", f);
            esc(f, q != NULL ? one : p, true);
            fputs("</p>\n", f);
            free(one);
            p = q != NULL ? q + 2 : NULL;
        }
        fputs("</div>\n", f);
        break;
    }
    case BRIEF_PRE:
        fputs("<pre>", f);
        esc(f, k->text, false);
        fputs("</pre>\n", f);
        break;
    case BRIEF_TABLE: table(f, k); break;
    case BRIEF_LIST:
        fputs("<ul>\n", f);
        for (i = 0; i < k->items_count; i++) {
            fputs("<li>", f);
            esc(f, k->items[i], true);
            if (safe_link(k->links[i])) {
                fputs(" <a href=\"", f);
                esc(f, k->links[i], false);
                fputs("\">", f);
                esc(f, k->links[i], false);
                fputs("</a>", f);
            } else if (k->links[i] != NULL) {
                fputc(' ', f);
                esc(f, k->links[i], false);
            }
            fputs("</li>\n", f);
        }
        fputs("</ul>\n", f);
        break;
    case BRIEF_FIGURE:
        fputs("<figure>\n", f);
        fputs(k->svg, f); /* gnuplot's own markup, ids prefixed (doc.c) */
        fputs("\n<figcaption>", f);
        esc(f, k->text, true);
        fputs("</figcaption>\n</figure>\n", f);
        break;
    }
}

int osim__brief_html(const osim_brief *b, FILE *f)
{
    size_t i, j;

    fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n", f);
    fputs("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n", f);
    fputs("<title>", f);
    esc(f, b->title, false);
    fputs("</title>\n<style>\n", f);
    fputs(css, f);
    fputs("</style>\n</head>\n<body>\n<header class=\"cover\">\n", f);
    fputs("<p class=\"kicker\">Liability report &middot; outagesim</p>\n<h1>", f);
    esc(f, b->title, false);
    fputs("</h1>\n<p class=\"sub\">", f);
    esc(f, b->subtitle, true);
    fputs("</p>\n", f);
    if (b->date != NULL) {
        fputs("<p class=\"date\">", f);
        esc(f, b->date, false);
        fputs("</p>\n", f);
    }
    fputs("</header>\n", f);
    for (i = 0; i < b->sections_count; i++) {
        const brief_section *s = &b->sections[i];
        if (s->title != NULL && *s->title != '\0') {
            fprintf(f, "<h%d id=\"", s->level);
            esc(f, s->id, false);
            fputs(s->page_break ? "\" class=\"break\">" : "\">", f);
            esc(f, s->title, true);
            fprintf(f, "</h%d>\n", s->level);
        }
        for (j = 0; j < s->blocks_count; j++)
            block(f, &s->blocks[j]);
    }
    fputs("</body>\n</html>\n", f);
    return ferror(f) ? OSIM_EIO : 0;
}
