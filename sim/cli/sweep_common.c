/*
 * sweep_common.c -- pieces of `outagesim sweep` and `outagesim
 * sensitivity` that do not depend on where the units run: rendering the
 * figures (the plot scripts are found by cli_plot_scripts_dir, plot_cli.h).
 * The cells of their tables come from osim_sweep_format_cell (sweep.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/sweep_cli.h"
#include "outagesim/plot.h"

int cli_sweep_render(const char *plot_dir, const char *shown, char *const *figures, size_t n,
                     bool quiet)
{
    osim_plot_options po;
    osim_plot_outcome oc;
    osim_diag d;
    size_t i;
    int rc, code = CLI_FAIL;

    osim_diag_clear(&d);
    memset(&oc, 0, sizeof(oc));
    memset(&po, 0, sizeof(po));
    po.gnuplot = getenv("OUTAGESIM_GNUPLOT");
    if (po.gnuplot != NULL && *po.gnuplot == '\0')
        po.gnuplot = NULL;
    po.format = OSIM_PLOT_PNG;
    po.stop = cli_signals_stop_hook; /* a stop signal kills gnuplot (signals.c) */
    rc = osim_plot_render_figures(plot_dir, (const char *const *)figures, n, &po, &oc, &d);
    if (rc == OSIM_ESTOPPED) {
        code = cli_exit_code(rc);
        goto done;
    }
    if (oc.gnuplot_missing) {
        fprintf(stderr,
                "outagesim: %s (Debian: apt-get install gnuplot-nox); the figures' data and "
                "scripts are in %s -- draw them later with gnuplot NAME.gp there\n",
                d.msg, shown);
        code = CLI_OK;
        goto done;
    }
    if (oc.gnuplot_stderr != NULL && (rc != 0 || !quiet))
        fprintf(stderr, "%s%s", rc != 0 ? "gnuplot said:\n" : "gnuplot warnings:\n",
                oc.gnuplot_stderr);
    if (rc != 0) {
        cli_print_diag(&d);
        code = cli_exit_code(rc);
        goto done;
    }
    if (!quiet) {
        fprintf(stderr, "outagesim: drew %zu figure%s in %s:", oc.rendered,
                oc.rendered == 1 ? "" : "s", shown);
        for (i = 0; i < n; i++)
            fprintf(stderr, " %s.png", figures[i]);
        fputc('\n', stderr);
    }
    code = CLI_OK;
done:
    osim_plot_outcome_free(&oc);
    return code;
}
