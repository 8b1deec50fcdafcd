/*
 * provenance.c -- the ONE reader of the sources and assumptions that
 * results.json records: "sources" [{id, title, publisher, date, url}] and
 * "provenance" [{path, kind: "source" | "assumption" | "set", sources:
 * [ids], reason, note}]. Everything else of results.json reaches the report through the
 * result (osim_report_load_dir); these two arrays are read here only, so
 * that a change of their shape is one change.
 *
 * Absent keys (documents written before sources were data) give empty
 * lists; the report then says so plainly. Members other than the listed
 * ones are ignored; a listed member of the wrong type is an error.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "brief/brief_int.h"
#include "core/str.h"

/* A string member (absent or null: ""), or NULL with *rc set. */
static char *member(json_t *o, const char *key, const char *path, const char *what, int *rc,
                    osim_diag *diag)
{
    json_t *v = json_object_get(o, key);
    char *s;

    if (*rc != 0)
        return NULL;
    if (v != NULL && !json_is_null(v) && !json_is_string(v)) {
        *rc = osim_diag_set(diag, OSIM_ESCHEMA, path, 0, 0, "%s: '%s' is not a string", what, key);
        return NULL;
    }
    s = osim__strdup(json_is_string(v) ? json_string_value(v) : "");
    if (s == NULL)
        *rc = OSIM_ENOMEM;
    return s;
}

/* An assumption's reason and the note, joined by " -- " when both are there. */
static char *reason_and_note(json_t *o, const char *path, int *rc, osim_diag *diag)
{
    char *reason = member(o, "reason", path, "provenance", rc, diag);
    char *note = member(o, "note", path, "provenance", rc, diag);
    char *s = NULL;

    if (*rc == 0) {
        size_t len = strlen(reason) + strlen(note) + 5;
        if ((s = malloc(len)) == NULL)
            *rc = OSIM_ENOMEM;
        else
            snprintf(s, len, "%s%s%s", reason, *reason && *note ? " -- " : "", note);
    }
    free(reason);
    free(note);
    return s;
}

/* The ids of "sources" joined by ", ". */
static char *ids(json_t *o, const char *path, int *rc, osim_diag *diag)
{
    json_t *a = json_object_get(o, "sources"), *e;
    size_t i, len = 1;
    char *s;

    if (*rc != 0)
        return NULL;
    if (a != NULL && !json_is_array(a)) {
        *rc = osim_diag_set(diag, OSIM_ESCHEMA, path, 0, 0,
                            "provenance: 'sources' is not an array of source ids");
        return NULL;
    }
    json_array_foreach(a, i, e)
    {
        if (!json_is_string(e)) {
            *rc = osim_diag_set(diag, OSIM_ESCHEMA, path, 0, 0,
                                "provenance: a source id is not a string");
            return NULL;
        }
        len += strlen(json_string_value(e)) + 2;
    }
    if ((s = calloc(1, len)) == NULL) {
        *rc = OSIM_ENOMEM;
        return NULL;
    }
    json_array_foreach(a, i, e)
    {
        if (i > 0)
            strcat(s, ", ");
        strcat(s, json_string_value(e));
    }
    return s;
}

int osim__brief_provenance_read(const char *results_json, brief_provenance *p, osim_diag *diag)
{
    json_error_t err;
    json_t *doc = NULL, *a, *e;
    size_t i;
    int rc = 0;

    memset(p, 0, sizeof(*p));
    if (results_json == NULL)
        return 0;
    if ((doc = json_load_file(results_json, 0, &err)) == NULL)
        return osim_diag_set(diag, OSIM_ESCHEMA, results_json, err.line, err.column, "%s",
                             err.text);
    a = json_object_get(doc, "sources");
    if (a != NULL && !json_is_array(a)) {
        rc = osim_diag_set(diag, OSIM_ESCHEMA, results_json, 0, 0, "'sources' is not an array");
        goto fail;
    }
    p->has_sources = a != NULL;
    if (json_array_size(a) > 0 &&
        (p->sources = calloc(json_array_size(a), sizeof(*p->sources))) == NULL) {
        rc = OSIM_ENOMEM;
        goto fail;
    }
    json_array_foreach(a, i, e)
    {
        brief_source *s = &p->sources[i];
        if (!json_is_object(e)) {
            rc = osim_diag_set(diag, OSIM_ESCHEMA, results_json, 0, 0,
                               "sources[%zu] is not an object", i);
            goto fail;
        }
        p->sources_count = i + 1;
        s->id = member(e, "id", results_json, "sources", &rc, diag);
        s->title = member(e, "title", results_json, "sources", &rc, diag);
        s->publisher = member(e, "publisher", results_json, "sources", &rc, diag);
        s->date = member(e, "date", results_json, "sources", &rc, diag);
        s->url = member(e, "url", results_json, "sources", &rc, diag);
        if (rc != 0)
            goto fail;
    }
    a = json_object_get(doc, "provenance");
    if (a != NULL && !json_is_array(a)) {
        rc = osim_diag_set(diag, OSIM_ESCHEMA, results_json, 0, 0, "'provenance' is not an array");
        goto fail;
    }
    p->has_provenance = a != NULL;
    if (json_array_size(a) > 0 &&
        (p->items = calloc(json_array_size(a), sizeof(*p->items))) == NULL) {
        rc = OSIM_ENOMEM;
        goto fail;
    }
    json_array_foreach(a, i, e)
    {
        brief_prov *v = &p->items[i];
        if (!json_is_object(e)) {
            rc = osim_diag_set(diag, OSIM_ESCHEMA, results_json, 0, 0,
                               "provenance[%zu] is not an object", i);
            goto fail;
        }
        p->items_count = i + 1;
        v->path = member(e, "path", results_json, "provenance", &rc, diag);
        v->kind = member(e, "kind", results_json, "provenance", &rc, diag);
        v->text = reason_and_note(e, results_json, &rc, diag);
        v->sources = ids(e, results_json, &rc, diag);
        if (rc != 0)
            goto fail;
    }
    json_decref(doc);
    return 0;
fail:
    json_decref(doc);
    osim__brief_provenance_free(p);
    return rc;
}

void osim__brief_provenance_free(brief_provenance *p)
{
    size_t i;

    if (p == NULL)
        return;
    for (i = 0; i < p->sources_count; i++) {
        free(p->sources[i].id);
        free(p->sources[i].title);
        free(p->sources[i].publisher);
        free(p->sources[i].date);
        free(p->sources[i].url);
    }
    for (i = 0; i < p->items_count; i++) {
        free(p->items[i].path);
        free(p->items[i].kind);
        free(p->items[i].sources);
        free(p->items[i].text);
    }
    free(p->sources);
    free(p->items);
    memset(p, 0, sizeof(*p));
}
