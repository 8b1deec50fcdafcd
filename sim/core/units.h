/*
 * units.h -- internal: parsers for the value syntaxes of scenario files.
 *
 * Each parser is a pure function of one NUL-terminated string: it returns 0
 * and stores the value in the program's unit, or returns a negative OSIM_E*
 * code and points *why at a static phrase that completes the sentence
 * "'<text>' ..." (e.g. "is not a duration (write 90s, 45m, 4h, 2d or 1w)").
 * why may be NULL. Values out of range (negative durations) are
 * OSIM_ERANGE, unparsable text OSIM_ESCHEMA, too large OSIM_EOVERFLOW.
 */
#ifndef OUTAGESIM_UNITS_H
#define OUTAGESIM_UNITS_H

#include <stdbool.h>
#include <stdint.h>

/* A finite decimal number; '_' may separate digits ("1_000.5", "-2", "1e-3"). */
int osim__parse_real(const char *s, double *out, const char **why);

/* A count >= 0: "230000", "230_000", "230k", "1.5M", "2G", "1T". */
int osim__parse_count(const char *s, double *out, const char **why);

/* Whole won >= 0: "30000", "30_000", "30k", "1.5M", "557.7G"; must be whole. */
int osim__parse_money(const char *s, int64_t *out, const char **why);

/* A fraction in [0,1]: "0.35" or "35%". */
int osim__parse_fraction(const char *s, double *out, const char **why);

/*
 * A duration >= 0 in hours: "90s", "45m", "4h", "2d", "1w", a bare number
 * of hours ("1.5"), or a sum of parts each with a unit ("1h30m", "2d 4h").
 */
int osim__parse_duration_h(const char *s, double *out, const char **why);

/*
 * A rate, as a number per unit of time, in units per day: "50/d", "2/h",
 * "100/w", "3/12h" (the part after '/' is a duration; a unit alone is one
 * of it). The number may be 0 or negative: the caller says which it takes.
 */
int osim__parse_rate_per_d(const char *s, double *out, const char **why);

/* true/false/yes/no (any case). */
int osim__parse_bool(const char *s, bool *out, const char **why);

/*
 * A local date-time "YYYY-MM-DD HH:MM" (or with :SS, or 'T' between date and
 * time) -> seconds since 1970-01-01 00:00 of the same wall-clock reading
 * (i.e. as if it were UTC; the loader subtracts the UTC offset).
 */
int osim__parse_datetime(const char *s, int64_t *out, const char **why);

/* A UTC offset "+09:00", "-03:30", "+0900", "+9", "0", "Z" -> hours, in [-14, 14]. */
int osim__parse_utc_offset(const char *s, double *out, const char **why);

/* Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm). */
int64_t osim__days_from_civil(int64_t y, unsigned m, unsigned d);

/* Format a number for display and round-trip: shortest of %.15g..%.17g that reads back. */
void osim__format_real(char *buf, unsigned long n, double v);

/* Format a UTC offset as "+09:00". */
void osim__format_utc_offset(char *buf, unsigned long n, double h);

#endif
