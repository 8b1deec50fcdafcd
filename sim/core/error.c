/*
 * error.c -- the status-code table and diagnostics.
 *
 * Messages come from one X-macro table so that a code, its name and its text
 * can never drift apart.
 */
#include "outagesim/error.h"

#include <gsl/gsl_errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

const char *osim_strerror(int code)
{
    switch (code) {
    case 0: return "success";
#define XX(name, value, msg)                                                                       \
    case OSIM_##name: return msg;
        OSIM_ERRNO_MAP(XX)
#undef XX
    default: return "unknown error";
    }
}

const char *osim_err_name(int code)
{
    switch (code) {
    case 0: return "OSIM_OK";
#define XX(name, value, msg)                                                                       \
    case OSIM_##name: return "OSIM_" #name;
        OSIM_ERRNO_MAP(XX)
#undef XX
    default: return "OSIM_UNKNOWN";
    }
}

void osim_diag_clear(osim_diag *d)
{
    if (d != NULL)
        memset(d, 0, sizeof(*d));
}

int osim_diag_set(osim_diag *d, int code, const char *file, int line, int col, const char *fmt, ...)
{
    va_list ap;

    if (d == NULL || d->code != 0)
        return code;
    d->code = code;
    d->line = line;
    d->col = col;
    d->file[0] = '\0';
    if (file != NULL)
        snprintf(d->file, sizeof(d->file), "%s", file);
    va_start(ap, fmt);
    vsnprintf(d->msg, sizeof(d->msg), fmt, ap);
    va_end(ap);
    return code;
}

char *osim_diag_format(const osim_diag *d, char *buf, size_t n)
{
    const char *msg;

    if (n == 0)
        return buf;
    msg = d->msg[0] != '\0' ? d->msg : osim_strerror(d->code);
    if (d->file[0] != '\0' && d->line > 0 && d->col > 0)
        snprintf(buf, n, "%s:%d:%d: %s", d->file, d->line, d->col, msg);
    else if (d->file[0] != '\0' && d->line > 0)
        snprintf(buf, n, "%s:%d: %s", d->file, d->line, msg);
    else if (d->file[0] != '\0')
        snprintf(buf, n, "%s: %s", d->file, msg);
    else
        snprintf(buf, n, "%s", msg);
    return buf;
}

void osim_global_init(void)
{
    /* GSL's default handler calls abort(); outagesim checks return values. */
    gsl_set_error_handler_off();
}
