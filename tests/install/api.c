/*
 * api.c -- a program built against an installed outagesim only (see
 * check.sh): the proof that the installed headers, library and pkg-config
 * file are enough to use the public API.
 *
 * usage: api SCENARIO REPLICATIONS SEED OUT_JSON
 * Loads SCENARIO, runs replications 0..REPLICATIONS-1 of every topology
 * with SEED on two threads, writes the result document to OUT_JSON (it must
 * equal `outagesim run SCENARIO --replications N --seed S --format json`,
 * byte for byte) and prints, per topology, the replications summarised and
 * the median and maximum of incident_cost_money (whole won):
 *   TOPOLOGY n=N p50=P max=M
 * Exit status 0, or 1 with a message on stderr.
 */
#include <outagesim.h>

#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
    osim_scenario *sc = NULL;
    osim_mc *mc = NULL;
    osim_mc_result *r = NULL;
    osim_mc_options opt = {0};
    osim_diag d;
    FILE *f = NULL;
    long m;

    if (argc != 5) {
        fprintf(stderr, "usage: api SCENARIO REPLICATIONS SEED OUT_JSON\n");
        return 1;
    }
    osim_global_init();
    osim_diag_clear(&d);
    if (osim_comp_scenario_load(argv[1], NULL, 0, &sc, &d) != 0)
        goto fail;
    opt.seed = strtoull(argv[3], NULL, 10);
    opt.from = 0;
    opt.to = strtoull(argv[2], NULL, 10);
    opt.max_to = opt.to;
    opt.threads = 2;
    if (osim_mc_new(sc, &opt, &mc, &d) != 0 || osim_mc_run(mc, &d) != 0)
        goto fail;
    r = osim_mc_take_result(mc);
    if (r == NULL || (m = osim_mc_result_metric_index(r, "incident_cost_money")) < 0) {
        fprintf(stderr, "api: no result, or no incident_cost_money in it\n");
        goto fail;
    }
    for (size_t t = 0; t < r->topologies_count; t++) {
        const osim_stats *s = osim_mc_result_stats(r, t, (size_t)m);
        printf("%s n=%zu p50=%.0f max=%.0f\n", r->topologies[t], s->n, s->p50, s->max);
    }
    if ((f = fopen(argv[4], "w")) == NULL) {
        fprintf(stderr, "api: cannot write %s\n", argv[4]);
        goto fail;
    }
    if (osim_report_json(r, f, &d) != 0)
        goto fail;
    if (fclose(f) != 0) {
        f = NULL;
        fprintf(stderr, "api: cannot write %s\n", argv[4]);
        goto fail;
    }
    osim_mc_result_free(r);
    osim_mc_free(mc);
    osim_scenario_free(sc);
    return 0;

fail:
    /* Library failures leave their message in d; the others printed theirs. */
    if (d.code != 0)
        fprintf(stderr, "api: %s: %s:%d:%d: %s\n", osim_strerror(d.code), d.file, d.line, d.col,
                d.msg);
    if (f != NULL)
        fclose(f);
    osim_mc_result_free(r);
    osim_mc_free(mc);
    osim_scenario_free(sc);
    return 1;
}
