/*
 * money.h -- amounts written the way readers of the scenario's currency
 * expect them.
 *
 * Every amount in outagesim is a whole number of units of one currency,
 * the scenario's (scenario.currency, an ISO 4217 code): there are no cents,
 * no exchange rates at run time and no mixing. A currency here is only how
 * its amounts are shown: the symbol and where it goes, the thousands
 * separator, and the large-number units tables and figures use. The
 * supported currencies are a fixed table (osim_currency_find):
 *
 *   KRW  1,234원      tables 억원 (10^8) and 만원 (10^4)   figures 억원
 *   JPY  1,234円      tables 億円 (10^8) and 万円 (10^4)   figures 億円
 *   EUR  €1,234       tables €m (10^6) and €bn (10^9)     figures € million
 *   USD  $1,234       tables $M (10^6) and $B (10^9)      figures $ million
 *   GBP  £1,234       tables £m (10^6) and £bn (10^9)     figures £ million
 *
 * KRW and JPY follow the East Asian myriad grouping of large numbers
 * (만/万 = 10^4, 억/億 = 10^8), which is how Korean and Japanese finance
 * tables state amounts; the others the short scale (million, billion) with
 * the abbreviations of their financial press (FT and Economist "m"/"bn",
 * US "M"/"B").
 *
 * Every formatting function is pure, thread-safe and never allocates: the
 * caller owns buf. They behave like snprintf on a short buffer (the text is
 * cut and always NUL-terminated) and return buf so that they can sit inside
 * a printf argument list. Non-finite amounts give "n/a"; magnitudes of 10^18
 * or more, where doubles no longer hold whole units, are written in
 * scientific notation.
 */
#ifndef OUTAGESIM_MONEY_H
#define OUTAGESIM_MONEY_H

#include <stdbool.h>
#include <stddef.h>

/* Enough for any double formatted by the functions below. */
#define OSIM_MONEY_BUF 48

/* One step of a currency's compact notation: amounts of at least `size`
 * are divided by it and shown with `decimals` digits and the unit. */
typedef struct osim_money_step {
    double size;      /* 1e8 for 억 */
    int decimals;     /* digits after the point */
    const char *unit; /* "억원", "m", ... written after the number */
} osim_money_step;

/* How one currency's amounts are written (static data; see the table in
 * money.c). */
typedef struct osim_currency {
    const char *code;   /* ISO 4217: "KRW" */
    const char *symbol; /* "원", "€", "$", "£", "円" */
    bool symbol_first;  /* "€1,234" (true) or "1,234원" (false) */
    /* In running text after a number ("300,000 won"); NULL: the symbol
     * form ("€300,000"). Kept for KRW so that class names stay as they were. */
    const char *word;
    char group;              /* thousands separator */
    int minor_digits;        /* ISO 4217 minor unit (2 for cents); amounts stay whole */
    osim_money_step big[2];  /* compact steps, largest first; size 0 = unused */
    osim_money_step small;   /* below big[last]: {1e4, 0, "만원"}, or size 0 for plain amounts */
    double figure_size;      /* the scale of figure axes and figure data */
    const char *figure_unit; /* short label of that scale: "억원", "€ million" */
    const char *figure_long; /* with its size spelled out, for axis titles */
} osim_currency;

/* The currency with ISO code `code` (case-sensitive, "KRW"), or NULL. */
const osim_currency *osim_currency_find(const char *code);

/* The currency of an unset code: KRW, the reference scenario's. Never NULL. */
const osim_currency *osim_currency_default(void);

/* The supported codes, comma-separated ("KRW, EUR, USD, GBP, JPY"), for messages. */
const char *osim_currency_codes(void);

/*
 * amount rounded to whole units (half away from zero), grouped every three
 * digits, with the symbol: KRW 557700000000 -> "557,700,000,000원", EUR
 * -1234.5 -> "-€1,235". cur NULL means the default (KRW).
 */
char *osim_money_format(char *buf, size_t n, double amount, const osim_currency *cur);

/* The same digits without the symbol: "557,700,000,000" (also for counts). */
char *osim_money_digits(char *buf, size_t n, double amount, const osim_currency *cur);

/* An amount for running text: with the currency's word when it has one
 * ("300,000 won"), else as osim_money_format ("€300,000"). */
char *osim_money_text(char *buf, size_t n, double amount, const osim_currency *cur);

/*
 * amount in the currency's large unit with its decimals (one): the largest
 * big step the amount reaches, else the smallest big step. KRW 557700000000
 * -> "5,577.0억원", 240000000 -> "2.4억원", 0 -> "0.0억원"; EUR 2.5e9 ->
 * "€2.5bn", 4e6 -> "€4.0m", 12345 -> "€0.0m".
 */
char *osim_money_format_large(char *buf, size_t n, double amount, const osim_currency *cur);

/*
 * amount as short as a table cell wants it: the large unit from the
 * smallest big step up, then the small step (KRW 만원), then whole units
 * with the symbol. KRW: "2,340.0억원", "6,482만원", "0원"; EUR: "€1.2bn",
 * "€23.4m", "€12,345".
 */
char *osim_money_format_compact(char *buf, size_t n, double amount, const osim_currency *cur);

/*
 * amount for a column of figures that should share one unit where the
 * currency's tables do: currencies with a small step (KRW, JPY) state every
 * figure in their large unit, as Korean and Japanese tables do (as
 * osim_money_format_large: "0.3억원"); the others write amounts below their
 * smallest big step whole (as osim_money_format_compact: "€132,209",
 * "€23.4m"), since "€0.1m" would hide most of a small figure.
 */
char *osim_money_format_table(char *buf, size_t n, double amount, const osim_currency *cur);

/*
 * The unit of a catalogue figure as written in CSV files and documents:
 * "money" -> the code ("EUR"), "money/year" -> "EUR/year"; any other unit
 * is copied.
 */
char *osim_money_unit(char *buf, size_t n, const char *unit, const osim_currency *cur);

/* Whether a catalogue unit is money ("money" or "money/..."). */
bool osim_money_unit_is_money(const char *unit);

/* Deprecated, kept for callers of 0.2: osim_money_digits and
 * osim_money_format_large in KRW ("557,700,000,000", "5,577.0억원"). */
char *osim_format_krw(char *buf, size_t n, double krw);
char *osim_format_eok(char *buf, size_t n, double krw);

#endif
