/*
 * money.h -- won amounts written the way Korean legal and finance readers
 * expect them: whole won with thousands separators, and 억원 (10^8 won).
 *
 * Both functions are pure, thread-safe and never allocate: the caller owns
 * buf. They behave like snprintf on a short buffer (the text is cut and
 * always NUL-terminated) and return buf so that they can sit inside a
 * printf argument list.
 */
#ifndef OUTAGESIM_MONEY_H
#define OUTAGESIM_MONEY_H

#include <stddef.h>

/* Enough for any double formatted by the functions below. */
#define OSIM_MONEY_BUF 48

/*
 * krw rounded to whole won (half away from zero) with ',' every three
 * digits: 557700000000 -> "557,700,000,000", -1234.5 -> "-1,235".
 * Also suits counts (claimants). Non-finite values give "n/a"; magnitudes
 * of 10^18 won or more, where doubles no longer hold whole won, are written
 * in scientific notation ("1.2346e+18").
 */
char *osim_format_krw(char *buf, size_t n, double krw);

/*
 * krw in 억원 (hundred million won) with one decimal, rounded half away
 * from zero, thousands separators on the integer part and the unit:
 * 557700000000 -> "5,577.0억원", 240000000 -> "2.4억원". Non-finite: "n/a".
 */
char *osim_format_eok(char *buf, size_t n, double krw);

#endif
