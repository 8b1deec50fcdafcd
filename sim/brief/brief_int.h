/*
 * brief_int.h -- private to sim/brief/: the in-memory model of the report
 * (doc.c), its two renderers (html.c, markdown.c), the one money formatter
 * (fmt.c), the one reader of sources and provenance (provenance.c) and the
 * limitations (limitations.c).
 *
 * The model is a list of sections, each a list of blocks (paragraphs,
 * tables, lists, figures, preformatted text). HTML and Markdown are both
 * written from it, so they carry the same words and the same numbers.
 * Text is plain UTF-8; the only markup is **bold**, which both renderers
 * understand. Builders never check for memory on each call: the first
 * failure is kept in doc->rc and every later call is a no-op.
 */
#ifndef OUTAGESIM_BRIEF_INT_H
#define OUTAGESIM_BRIEF_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "outagesim/brief.h"
#include "outagesim/money.h"

typedef enum brief_kind {
    BRIEF_PARA = 0,
    BRIEF_TABLE,
    BRIEF_LIST,
    BRIEF_FIGURE,
    BRIEF_PRE,
    BRIEF_BOX, /* a highlighted paragraph (the short answer) */
} brief_kind;

typedef struct brief_row {
    char **cells; /* cols entries, or one when span */
    bool span;    /* one cell across the whole table (a legal basis under its row) */
    bool strong;  /* the row stands out (a policy's name and figures) */
} brief_row;

typedef struct brief_block {
    brief_kind kind;
    char *text; /* paragraph, box, preformatted text, table or figure caption */
    /* table */
    char **head;
    size_t cols;
    unsigned right; /* bit c: column c is a figure (right-aligned) */
    brief_row *rows;
    size_t rows_count, rows_cap;
    /* list */
    char **items;
    char **links; /* URL per item or NULL */
    size_t items_count, items_cap;
    /* figure */
    char *svg; /* an <svg> element, ids made unique */
} brief_block;

typedef struct brief_section {
    char *title;
    char *id;
    int level;       /* 2 or 3 */
    bool page_break; /* a major section starts a new printed page */
    brief_block *blocks;
    size_t blocks_count, blocks_cap;
} brief_section;

struct osim_brief {
    char *title;
    char *subtitle; /* scenario and the run */
    char *date;     /* or NULL */
    brief_section *sections;
    size_t sections_count, sections_cap;
    int figures; /* figures added, for unique SVG ids */
    int rc;      /* the first error of a builder call (OSIM_ENOMEM) */
};

/* ----------------------------------------------------------- doc.c */

/* A new section; the blocks added next go into it. */
void osim__brief_section(osim_brief *b, int level, bool page_break, const char *id,
                         const char *title);
void osim__brief_para(osim_brief *b, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
void osim__brief_box(osim_brief *b, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
void osim__brief_pre(osim_brief *b, const char *text);
/* A table with cols columns named head[]; right: bit per figure column. */
void osim__brief_table(osim_brief *b, const char *caption, size_t cols, const char *const *head,
                       unsigned right);
/* A row of the last table: cols cells. */
void osim__brief_row(osim_brief *b, bool strong, const char *const *cells);
/* A row of one cell spanning the last table (Markdown: a row with it in column 2). */
void osim__brief_span(osim_brief *b, const char *text);
void osim__brief_list(osim_brief *b);
void osim__brief_item(osim_brief *b, const char *link, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;
/* A figure from gnuplot's SVG text (the <svg> element is taken, its ids prefixed). */
void osim__brief_figure(osim_brief *b, const char *svg, const char *caption);
/* A malloc'd printf; NULL (and b->rc) when out of memory. */
char *osim__brief_strf(osim_brief *b, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/* ----------------------------------------------------------- html.c, markdown.c */
int osim__brief_html(const osim_brief *b, FILE *f);
int osim__brief_markdown(const osim_brief *b, FILE *f);

/* ----------------------------------------------------------- fmt.c */

#define BRIEF_NUM 64

/*
 * The ONE place where the report formats money, in the result's currency
 * cur (r->currency; NULL: the default, KRW): whole units with thousands
 * separators and the symbol ("557,700,000,000원", "€1,234"), and a short
 * form for ranges, table cells and prose ("5,577.0억원", "€23.4m").
 */
char *osim__brief_money(char *buf, size_t n, double amount, const osim_currency *cur);
char *osim__brief_money_short(char *buf, size_t n, double amount, const osim_currency *cur);
/* The currency's name in prose ("won", else the ISO code: "EUR"). */
const char *osim__brief_currency(const osim_currency *cur);
/* Counts (claimants, users) with separators; hours with 3 significant digits. */
char *osim__brief_count(char *buf, size_t n, double x);
char *osim__brief_hours(char *buf, size_t n, double h);

/* ----------------------------------------------------------- provenance.c */

typedef struct brief_source {
    char *id, *title, *publisher, *date, *url;
} brief_source;

typedef struct brief_prov {
    char *path, *kind, *sources; /* sources: ids joined by ", " */
    char *text;                  /* the reason (assumptions) and the note, joined by " -- " */
} brief_prov;

typedef struct brief_provenance {
    bool has_sources, has_provenance; /* the keys exist in results.json */
    brief_source *sources;
    size_t sources_count;
    brief_prov *items;
    size_t items_count;
} brief_provenance;

/*
 * The ONE reader of results.json's "sources" [{id, title, publisher, date,
 * url}] and "provenance" [{path, kind, sources: [ids], reason, note}] arrays. A
 * missing file or key gives empty lists (0); a key of another shape is
 * OSIM_ESCHEMA with the file named; OSIM_ENOMEM.
 */
int osim__brief_provenance_read(const char *results_json, brief_provenance *p, osim_diag *diag);
void osim__brief_provenance_free(brief_provenance *p);

/* ----------------------------------------------------------- limitations.c */

typedef struct brief_limitation {
    const char *topic;
    const char *text;
} brief_limitation;

/* Where the model and reality differ, in one table; *n gets its length. */
const brief_limitation *osim__brief_limitations(size_t *n);

#endif
