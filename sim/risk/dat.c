/*
 * dat.c -- the exceedance data file read by plots/exceedance.gp.
 *
 * Text that comes from a scenario (design and measure names) goes into
 * comment lines only, with control characters replaced, so that nothing a
 * scenario says can end a comment and reach gnuplot as data. The script
 * takes the designs' names from vars.gp, where they are made inert.
 */
#include "outagesim/risk.h"

/* A comment line "# <label>: <text>", with control characters as '?'. */
static void comment(FILE *f, const char *label, const char *text)
{
    const unsigned char *p = (const unsigned char *)(text != NULL ? text : "");

    fprintf(f, "# %s: ", label);
    for (; *p != '\0'; p++)
        fputc(*p < 0x20 || *p == 0x7f ? '?' : *p, f);
    fputc('\n', f);
}

int osim_risk_write_dat_header(FILE *f, const char *measure, const osim_risk_summary *s)
{
    if (f == NULL || s == NULL)
        return OSIM_EINVAL;
    fprintf(f, "# outagesim exceedance curves, format 1: one block per design (gnuplot index\n"
               "# t - 1 is vars.gp's topology[t]), blocks separated by two blank lines.\n");
    comment(f, "measure", measure);
    fprintf(f, "# years: %zu simulated years (curve points up to that return period)\n",
            s->n_years);
    fprintf(f, "# columns: return_period_y exceedance_probability aep oep\n");
    return ferror(f) ? OSIM_EIO : 0;
}

int osim_risk_write_dat(FILE *f, const char *design, const osim_risk_summary *s, double unit,
                        int first)
{
    size_t k;

    if (f == NULL || s == NULL || !(unit > 0.0))
        return OSIM_EINVAL;
    if (!first)
        fputs("\n\n", f);
    comment(f, "design", design);
    for (k = 0; k < s->curve_count; k++) {
        const osim_risk_point *p = &s->curve[k];

        fprintf(f, "%.10g %.10g %.10g %.10g\n", p->return_period_y, 1.0 / p->return_period_y,
                p->aep / unit, p->oep / unit);
    }
    return ferror(f) ? OSIM_EIO : 0;
}
