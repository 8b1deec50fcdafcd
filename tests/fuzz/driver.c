/*
 * driver.c -- a standalone main() for libFuzzer harnesses: runs every file
 * named on the command line (a directory means every file in it) through
 * LLVMFuzzerTestOneInput once, in name order, without fuzzing.
 *
 * Invariant checked: the harness's own invariants (it aborts on a broken
 * one, and the sanitizer build aborts on any memory or undefined-behaviour
 * error or leak) hold for every input of the corpus, crash inputs found by
 * earlier fuzzing included -- so `make test` catches a regression with the
 * project's compiler and no clang at all.
 */
#include <dirent.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

/* The input being run, for the message when the harness aborts on it. */
static const char *volatile current;

static void on_abort(int sig)
{
    static const char pre[] = "driver: the input that failed: ";
    const char *p = current;

    if (p != NULL) {
        (void)!write(2, pre, sizeof(pre) - 1);
        (void)!write(2, p, strlen(p));
        (void)!write(2, "\n", 1);
    }
    signal(sig, SIG_DFL);
    raise(sig);
}

static int run_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    uint8_t *buf = NULL;
    size_t n = 0, cap = 0, r;

    if (f == NULL) {
        perror(path);
        return -1;
    }
    for (;;) {
        if (n == cap) {
            uint8_t *nb;
            cap = cap == 0 ? 65536 : cap * 2;
            if ((nb = realloc(buf, cap)) == NULL) {
                fprintf(stderr, "%s: out of memory\n", path);
                free(buf);
                fclose(f);
                return -1;
            }
            buf = nb;
        }
        r = fread(buf + n, 1, cap - n, f);
        n += r;
        if (r == 0)
            break;
    }
    if (ferror(f)) {
        perror(path);
        free(buf);
        fclose(f);
        return -1;
    }
    fclose(f);
    current = path;
    LLVMFuzzerTestOneInput(buf, n);
    current = NULL;
    free(buf);
    return 0;
}

static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Run every regular file of dir, in name order; adds to *count. */
static int run_dir(const char *dir, size_t *count)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    char **names = NULL;
    size_t n = 0, cap = 0, i;
    int rc = 0;

    if (d == NULL) {
        perror(dir);
        return -1;
    }
    while ((e = readdir(d)) != NULL) {
        char *p;
        struct stat st;
        size_t len;
        if (e->d_name[0] == '.')
            continue;
        len = strlen(dir) + strlen(e->d_name) + 2;
        if ((p = malloc(len)) == NULL) {
            rc = -1;
            break;
        }
        snprintf(p, len, "%s/%s", dir, e->d_name);
        if (stat(p, &st) != 0 || !S_ISREG(st.st_mode)) {
            free(p);
            continue;
        }
        if (n == cap) {
            char **nn;
            cap = cap == 0 ? 64 : cap * 2;
            if ((nn = realloc(names, cap * sizeof(*nn))) == NULL) {
                free(p);
                rc = -1;
                break;
            }
            names = nn;
        }
        names[n++] = p;
    }
    closedir(d);
    if (n > 0)
        qsort(names, n, sizeof(*names), cmp_names);
    for (i = 0; i < n; i++) {
        if (rc == 0 && run_file(names[i]) != 0)
            rc = -1;
        else if (rc == 0)
            (*count)++;
        free(names[i]);
    }
    free(names);
    return rc;
}

int main(int argc, char **argv)
{
    size_t count = 0;
    int i, rc = 0;

    if (argc < 2) {
        fprintf(stderr, "usage: %s FILE|DIR...\n", argv[0]);
        return 2;
    }
    signal(SIGABRT, on_abort);
    LLVMFuzzerInitialize(&argc, &argv);
    for (i = 1; i < argc && rc == 0; i++) {
        struct stat st;
        if (stat(argv[i], &st) != 0) {
            perror(argv[i]);
            rc = -1;
        } else if (S_ISDIR(st.st_mode)) {
            rc = run_dir(argv[i], &count);
        } else if (run_file(argv[i]) == 0) {
            count++;
        } else {
            rc = -1;
        }
    }
    if (rc != 0)
        return 1;
    if (count == 0) {
        fprintf(stderr, "%s: no input files\n", argv[0]);
        return 1;
    }
    printf("%zu passed, 0 failed\n", count);
    return 0;
}
