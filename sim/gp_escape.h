/*
 * gp_escape.h -- text from a scenario made safe to hand to gnuplot.
 *
 * gnuplot reads its scripts as commands, and several things in a command
 * line run other programs or re-read text as commands: backquotes (`cmd`
 * is replaced by the output of cmd), system("cmd"), @name macros, and
 * double-quoted strings, which undergo backquote substitution and
 * backslash escapes. Scenario names and descriptions are written by
 * whoever wrote the scenario file, so they must reach gnuplot as inert
 * data. The one gnuplot construct that is inert is the single-quoted
 * string literal: no backquote substitution, no macro expansion, no
 * backslash escapes; the only special character is the quote itself,
 * written twice ('it''s'). (Checked against gnuplot 5.4's documentation,
 * "quote marks" and "substitution", and by tests that run gnuplot.)
 *
 * The literal must stay on one line (a line break would end the command)
 * and be valid UTF-8 (cairo refuses other bytes). Strings built this way
 * are assigned to variables in a generated file (vars.gp); the scripts use
 * the variables as values only -- never with @, eval, load or as a sprintf
 * format -- and render text with enhanced mode off, so ^ _ { } @ & ~ are
 * printed as they are.
 */
#ifndef OUTAGESIM_GP_ESCAPE_H
#define OUTAGESIM_GP_ESCAPE_H

#include <stddef.h>

/*
 * The gnuplot single-quoted literal for text (NULL is taken as ""), newly
 * allocated (the caller frees it), or NULL when out of memory:
 *   '  -> ''                      (the only escape a single-quoted string has)
 *   control characters (tab, line breaks, other bytes below 0x20, 0x7f)
 *      -> one space each          (a literal never spans lines)
 *   bytes that are not valid UTF-8 -> U+FFFD, the replacement character
 * Everything else, backquotes, @, $, backslashes and double quotes
 * included, is kept as it is and is inert inside the quotes.
 * max_chars > 0 cuts the text to at most that many characters (code
 * points), ending it with "…" when cut; 0 means no limit.
 */
char *osim__gp_quote(const char *text, size_t max_chars);

#endif
