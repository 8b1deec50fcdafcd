/*
 * error.h -- status codes and caller-owned diagnostics.
 *
 * Every fallible function in outagesim returns an int: 0 on success, or a
 * negative OSIM_E* code from the single table below. Details that a user
 * must see (which file, which line, what was wrong) go into an optional
 * osim_diag that the caller owns; the library never prints and never exits.
 */
#ifndef OUTAGESIM_ERROR_H
#define OUTAGESIM_ERROR_H

#include <stddef.h>

/* X-macro: name, value, message. Values are stable; add new ones at the end. */
#define OSIM_ERRNO_MAP(XX)                                                                         \
    XX(ENOMEM, -1, "out of memory")                                                                \
    XX(EINVAL, -2, "invalid argument")                                                             \
    XX(EIO, -3, "input/output error")                                                              \
    XX(ESYNTAX, -4, "syntax error")                                                                \
    XX(ESCHEMA, -5, "scenario does not match the schema")                                          \
    XX(ERANGE, -6, "value out of range")                                                           \
    XX(EREF, -7, "reference to an unknown name")                                                   \
    XX(ECYCLE, -8, "dependency cycle")                                                             \
    XX(ENOENT, -9, "no such file, key or name")                                                    \
    XX(EOVERFLOW, -10, "numeric overflow")                                                         \
    XX(ESTOPPED, -11, "stopped on request")                                                        \
    XX(ENOTSUP, -12, "not supported")                                                              \
    XX(EINTERNAL, -13, "internal error")

enum {
#define XX(name, value, msg) OSIM_##name = value,
    OSIM_ERRNO_MAP(XX)
#undef XX
};

/* A static English message for a status code; never NULL. */
const char *osim_strerror(int code);

/* The symbolic name of a status code ("OSIM_ENOMEM"), or "OSIM_UNKNOWN". */
const char *osim_err_name(int code);

#define OSIM_DIAG_MSG_MAX 512
#define OSIM_DIAG_FILE_MAX 256

/*
 * A diagnostic: where something went wrong and what. Owned by the caller,
 * usually on its stack. line and col are 1-based; 0 means "not known".
 * Functions that take an osim_diag * accept NULL.
 */
typedef struct osim_diag {
    int code;
    int line;
    int col;
    char file[OSIM_DIAG_FILE_MAX];
    char msg[OSIM_DIAG_MSG_MAX];
} osim_diag;

/* Reset d to "no error". NULL is accepted. */
void osim_diag_clear(osim_diag *d);

/*
 * Record an error in d (if d is not NULL and holds no error yet: the first
 * error wins, because later ones are usually consequences). Returns code so
 * that callers can write `return osim_diag_set(d, OSIM_EINVAL, ...)`.
 * file may be NULL.
 */
int osim_diag_set(osim_diag *d, int code, const char *file, int line, int col, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 6, 7)))
#endif
    ;

/*
 * Format d as one line, "file:line:col: message" (parts that are unknown are
 * left out), into buf of size n. Returns buf.
 */
char *osim_diag_format(const osim_diag *d, char *buf, size_t n);

/*
 * Process-wide set-up: the only place outagesim touches global state. It
 * switches off GSL's aborting error handler, so that a bad argument to a GSL
 * routine becomes a status code instead of a crash. Call once, before any
 * thread starts. Idempotent.
 */
void osim_global_init(void);

#endif
