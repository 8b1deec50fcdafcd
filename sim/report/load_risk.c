/*
 * load_risk.c -- the head of a catalogue run's risk block, read back from
 * its results.json: which incidents it holds, in which order, and how many
 * years its year loss table simulated.
 *
 * Why only the head: the year table and every curve are functions of the
 * incidents' event tables (incidents/NAME/ beside results.json), which
 * load.c reads back exactly; `merge` rebuilds the risk from those once
 * they are merged, and needs from the document only what is not in them.
 */
#include <errno.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "core/str.h"
#include "outagesim/atomic_file.h"
#include "outagesim/report.h"

void osim_report_risk_head_free(osim_report_risk_head *h)
{
    size_t k;

    if (h == NULL)
        return;
    for (k = 0; h->incidents != NULL && k < h->incidents_count; k++)
        free(h->incidents[k]);
    free(h->incidents);
    free(h);
}

/* A malformed risk block: the file and what is wrong. */
static int malformed(osim_diag *diag, const char *path, const char *what)
{
    return osim_diag_set(diag, OSIM_ESCHEMA, path, 0, 0, "risk: %s", what);
}

/* risk.incidents[].name into h; 0 or an error (diag). */
static int read_incidents(json_t *arr, const char *path, osim_report_risk_head *h, osim_diag *diag)
{
    size_t k, n = json_array_size(arr);

    if (!json_is_array(arr) || n == 0)
        return malformed(diag, path, "expected a non-empty array 'incidents'");
    if ((h->incidents = calloc(n, sizeof(*h->incidents))) == NULL)
        return OSIM_ENOMEM;
    for (k = 0; k < n; k++) {
        json_t *name = json_object_get(json_array_get(arr, k), "name");
        if (!json_is_string(name))
            return malformed(diag, path, "an incident without a 'name'");
        if ((h->incidents[k] = osim__strdup(json_string_value(name))) == NULL)
            return OSIM_ENOMEM;
        h->incidents_count = k + 1;
    }
    return 0;
}

int osim_report_load_risk_head(const char *dir, osim_report_risk_head **out, osim_diag *diag)
{
    char *path = osim_path_join(dir, OSIM_REPORT_RESULTS_JSON);
    osim_report_risk_head *h = NULL;
    json_error_t jerr;
    json_t *doc = NULL, *risk, *years;
    int rc = OSIM_ENOMEM;

    *out = NULL;
    if (path == NULL)
        goto done;
    if ((doc = json_load_file(path, 0, &jerr)) == NULL) {
        rc = osim_diag_set(diag, errno == ENOENT ? OSIM_ENOENT : OSIM_ESYNTAX, path, jerr.line,
                           jerr.column, "%s", jerr.text);
        goto done;
    }
    rc = 0;
    if ((risk = json_object_get(doc, "risk")) == NULL)
        goto done; /* one incident: no risk block */
    years = json_object_get(risk, "years");
    if (!json_is_integer(years) || json_integer_value(years) < 1) {
        rc = malformed(diag, path, "'years' must be a positive integer");
        goto done;
    }
    if ((h = calloc(1, sizeof(*h))) == NULL) {
        rc = OSIM_ENOMEM;
        goto done;
    }
    h->years = (size_t)json_integer_value(years);
    if ((rc = read_incidents(json_object_get(risk, "incidents"), path, h, diag)) != 0)
        goto done;
    *out = h;
    h = NULL;
done:
    osim_report_risk_head_free(h);
    json_decref(doc);
    free(path);
    return rc;
}
