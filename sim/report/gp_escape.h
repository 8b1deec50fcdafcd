/*
 * gp_escape.h -- text from a scenario made safe to hand to gnuplot.
 *
 * The report module's interface for every writer of gnuplot files: the
 * run's figures (figures.c) and, above report, the sweep's figures and the
 * tornado (sweep/sweep_figures.c). Not public API.
 *
 * gnuplot reads its scripts as commands, and several things in a command
 * line run other programs or re-read text as commands: backquotes (`cmd`
 * is replaced by the output of cmd), system("cmd"), @name macros, and
 * double-quoted strings, which undergo backquote substitution and
 * backslash escapes. Scenario names and descriptions are written by
 * whoever wrote the scenario file, so they must reach gnuplot as inert
 * data. Single-quoted strings are meant to be inert (no backquote
 * substitution, no macro expansion, no backslash escapes, '' for a quote),
 * but gnuplot 5.4 is not reliable at the edges: its scanner fails on some
 * runs of doubled quotes ('''' or 'a'''''), and the pass that expands
 * @macros before a line is parsed tracks quotes on its own and can be
 * thrown off (a '@name' after a double-quoted "'" was expanded in tests).
 * So the text is written such that no pre-scanner has anything to find:
 * single-quoted runs that hold none of  ' " ` @ \  and, for each of those
 * five characters, an octal escape in a double-quoted string ("\047" for
 * a quote), joined by gnuplot's concatenation operator:
 *   it's @home  ->  'it'."\047".'s '."\100".'home'
 * A double-quoted string holding only octal escapes has no backquote, no
 * @ and no quote for any scanner to act on, and gnuplot decodes the
 * escapes only when it evaluates the string. (Checked against gnuplot
 * 5.4's documentation, "quote marks" and "substitution", and by tests
 * that run gnuplot on every payload.)
 *
 * The text must stay on one line (a line break would end the command) and
 * be valid UTF-8 (cairo refuses other bytes). Strings built this way are
 * assigned to variables in a generated file (vars.gp); the scripts use
 * the variables as values only -- never with @, eval, load or as a sprintf
 * format -- and render text with enhanced mode off, so ^ _ { } & ~ are
 * printed as they are.
 */
#ifndef OUTAGESIM_GP_ESCAPE_H
#define OUTAGESIM_GP_ESCAPE_H

#include <stddef.h>
#include <stdio.h>

#include "outagesim/error.h"

/*
 * A gnuplot string expression whose value is text (NULL is taken as ""),
 * newly allocated (the caller frees it), or NULL when out of memory:
 *   ' " ` @ \  -> "\047" "\042" "\140" "\100" "\134"  (see above)
 *   control characters (tab, line breaks, other bytes below 0x20, 0x7f)
 *               -> one space each (an expression never spans lines)
 *   bytes that are not valid UTF-8 -> U+FFFD, the replacement character
 *   everything else, in single quotes
 * "" gives ''. Use it where gnuplot takes an expression: on the right of
 * an assignment (as vars.gp does). max_chars > 0 cuts the text to at most
 * that many characters (code points), ending it with "…" when cut; 0
 * means no limit.
 */
char *osim__gp_quote(const char *text, size_t max_chars);

/*
 * Write the gnuplot assignment "name = <osim__gp_quote(text, max_chars)>"
 * and a newline to f (name is the caller's, never scenario text). 0 or
 * OSIM_ENOMEM.
 */
int osim__gp_assign(FILE *f, const char *name, const char *text, size_t max_chars);

#endif
