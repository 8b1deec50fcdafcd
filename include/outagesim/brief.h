/*
 * brief.h -- the liability report for counsel: report.html, report.md and
 * report.pdf from a run's result.
 *
 * A brief is built once from a summarised result (and, when available, the
 * scenario it ran, the figures as SVG and the sources and provenance that
 * results.json records) into an in-memory document of sections, tables and
 * paragraphs; HTML and Markdown are both written from that one document, so
 * they carry the same numbers, which are the numbers of results.json.
 *
 * Contents, in the order a lawyer reads: the question and the short answer;
 * the incident and each design in plain words; liability per regime and
 * design (full legal basis, nominal value beside the expected cost,
 * claimants, 5-95% range and what drives it); claimant classes and
 * brackets; design economics; sources and assumptions; limitations; how to
 * reproduce the figures.
 *
 * report.html is self-contained: inline CSS (with print rules for A4),
 * figures as inline SVG, no script, nothing loaded from anywhere.
 * report.html and report.md are pure functions of the inputs (no clock):
 * the same result gives the same bytes. report.pdf is printed from
 * report.html by headless Chromium (osim_brief_print_pdf); a PDF carries
 * its creation time, so it is not byte-reproducible.
 *
 * Lifecycle: osim_brief_new, then osim_brief_write_dir (or the two writers
 * on streams), then osim_brief_free. A brief is read-only once built and
 * may be written from any one thread at a time.
 */
#ifndef OUTAGESIM_BRIEF_H
#define OUTAGESIM_BRIEF_H

#include <stdbool.h>
#include <stdio.h>

#include "outagesim/error.h"
#include "outagesim/figures.h"
#include "outagesim/result.h"
#include "outagesim/scenario.h"

#define OSIM_BRIEF_HTML "report.html"
#define OSIM_BRIEF_MD "report.md"
#define OSIM_BRIEF_PDF "report.pdf"

typedef struct osim_brief osim_brief;

/* What a brief is built from. Everything is borrowed for the call only. */
typedef struct osim_brief_input {
    const osim_mc_result *result; /* summarised; required */
    /* results.json of the run, read for its "sources" and "provenance"
     * arrays (absent today: the report then says so); NULL: not read. */
    const char *results_json;
    /* The scenario the run used (the same sha256), for the descriptions of
     * the incident and designs and the scenario's sources; NULL when it
     * could not be had, scenario_note then says why (shown in the report). */
    const osim_scenario *scenario;
    const char *scenario_note;
    /* Printed under the title, e.g. "4 December 2026"; NULL: none (the
     * default keeps the report a pure function of the result). */
    const char *date;
    /* The folder holding <figure>.svg for the figures of figures.h (as
     * `outagesim plot DIR --format svg` draws them), or NULL; a missing
     * figure is left out and figures_note (if set) says why. */
    const char *svg_dir;
    const char *figures_note;
} osim_brief_input;

/*
 * Build the brief. Returns 0; OSIM_EINVAL (no result, or not summarised);
 * OSIM_ESCHEMA when results.json's sources or provenance are malformed
 * (diag names the file); OSIM_EIO (an SVG that cannot be read);
 * OSIM_ENOMEM.
 */
int osim_brief_new(const osim_brief_input *in, osim_brief **out, osim_diag *diag);

/* report.html and report.md on a stream: 0 or OSIM_EIO. */
int osim_brief_write_html(const osim_brief *b, FILE *f);
int osim_brief_write_markdown(const osim_brief *b, FILE *f);

/* Write dir/report.html and dir/report.md, each under a temporary name,
 * flushed and renamed (atomic_file.h). 0 or OSIM_EIO. */
int osim_brief_write_dir(const osim_brief *b, const char *dir, osim_diag *diag);

/* Free a brief. NULL is a no-op. */
void osim_brief_free(osim_brief *b);

/* ------------------------------------------------------------ the PDF */

typedef struct osim_brief_pdf_options {
    const char *chromium; /* program; NULL: "chromium", looked up on PATH */
    unsigned timeout_s;   /* 0 means 120 */
    /* Asked about every 50 ms while Chromium runs; nonzero kills it and the
     * call returns OSIM_ESTOPPED. NULL: never stop. */
    int (*stop)(void *ud);
    void *stop_ud;
} osim_brief_pdf_options;

typedef struct osim_brief_pdf_outcome {
    bool chromium_missing; /* the program could not be started: no PDF */
    char *chromium_stderr; /* what it said (at most 16 KiB), or NULL; owned */
    int killed_by;         /* the signal that killed it, or 0 */
} osim_brief_pdf_outcome;

/*
 * Print dir/report.html to dir/report.pdf with headless Chromium (A4, no
 * header or footer), spawned without a shell with a private, temporary
 * profile folder (removed after). The PDF is written to a temporary name in
 * dir and renamed when Chromium exits 0 having written it; otherwise it is
 * removed and an older report.pdf is removed too (a PDF beside the HTML is
 * always printed from it). Returns 0; OSIM_ENOTSUP with
 * out->chromium_missing when the program cannot be started; OSIM_EIO when
 * it fails, writes nothing or runs past the timeout; OSIM_ESTOPPED.
 * Uses a private event loop; call from one thread.
 */
int osim_brief_print_pdf(const char *dir, const osim_brief_pdf_options *opt,
                         osim_brief_pdf_outcome *out, osim_diag *diag);

/* Free the strings of an outcome. NULL is a no-op. */
void osim_brief_pdf_outcome_free(osim_brief_pdf_outcome *o);

#endif
