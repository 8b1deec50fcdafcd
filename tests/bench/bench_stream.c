/*
 * bench_stream.c -- memory that does not grow with replications, and one
 * run spread over MPI ranks.
 *
 * Runs build/outagesim as a child, as a user would, and reads the child's
 * own peak resident memory from wait4 (ru_maxrss: what the kernel counted
 * for that process alone, not the page cache of its rows' file):
 *   peak memory run minimal.yaml 1e5 replications: N MB (S s)
 *   ... 1e6 and 1e7 (the last takes minutes: its rows, about 6.4 GB, go to
 *   an unlinked file in $TMPDIR, default /tmp)
 * and the wall time of one run on one process (all threads of the machine)
 * and on two MPI ranks (build/outagesim-mpi under mpirun -np 2, the
 * threads shared between them), whose outputs are byte-identical:
 *   run minimal.yaml N reps: 1 process X s, mpirun -np 2 Y s
 * It prints figures; it asserts nothing.
 *
 * Usage: bench_stream [--max-exp K] [--mpi-replications N]
 *   Defaults: 10^5 .. 10^7 (K = 7), N = 10^6. Run from the repository root.
 */
#define _DEFAULT_SOURCE /* wait4 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define SCENARIO "scenarios/minimal.yaml"
#define BIN "build/outagesim"
#define MPI_BIN "build/outagesim-mpi"

static double now_s(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* Run argv (stdout and stderr to /dev/null); its peak RSS (MB) and wall
 * time (s). 0, or -1 when it could not run or failed. */
static int child(char *const argv[], double *mb, double *s)
{
    struct rusage ru;
    double t0 = now_s();
    int status = 0;
    pid_t pid = fork();

    if (pid < 0)
        return -1;
    if (pid == 0) {
        if (freopen("/dev/null", "w", stdout) == NULL || freopen("/dev/null", "w", stderr) == NULL)
            _exit(127);
        execvp(argv[0], argv);
        _exit(127);
    }
    if (wait4(pid, &status, 0, &ru) < 0)
        return -1;
    *s = now_s() - t0;
    *mb = (double)ru.ru_maxrss / 1024.0; /* kilobytes on Linux */
    return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}

static int on_path(const char *cmd)
{
    char buf[256];

    snprintf(buf, sizeof(buf), "command -v %s >/dev/null 2>&1", cmd);
    return system(buf) == 0;
}

int main(int argc, char **argv)
{
    int max_exp = 7, e, i, fail = 0;
    unsigned long long mpi_n = 1000000ull;
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    char reps[32], threads[24], half[24];
    double mb, s, s1, s2;

    for (i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--max-exp") == 0 && i + 1 < argc) {
            max_exp = atoi(argv[++i]);
        } else if (strcmp(argv[i], "--mpi-replications") == 0 && i + 1 < argc) {
            mpi_n = strtoull(argv[++i], NULL, 10);
        } else {
            fprintf(stderr, "usage: bench_stream [--max-exp K] [--mpi-replications N]\n");
            return 2;
        }
    }
    if (cores < 1)
        cores = 1;
    snprintf(threads, sizeof(threads), "%ld", cores);
    snprintf(half, sizeof(half), "%ld", cores > 1 ? cores / 2 : 1);

    for (e = 5; e <= max_exp; e++) {
        unsigned long long n = 1;
        char *args[] = {BIN,     "run",     SCENARIO, "--replications", reps, "--threads",
                        threads, "--quiet", NULL};
        for (i = 0; i < e; i++)
            n *= 10;
        snprintf(reps, sizeof(reps), "%llu", n);
        if (child(args, &mb, &s) != 0) {
            printf("peak memory run minimal.yaml 1e%d replications: failed\n", e);
            fail = 1;
            continue;
        }
        printf("peak memory run minimal.yaml 1e%d replications: %.1f MB (%.1f s, %s threads)\n", e,
               mb, s, threads);
        fflush(stdout);
    }

    snprintf(reps, sizeof(reps), "%llu", mpi_n);
    {
        char *one[] = {BIN,     "run",     SCENARIO, "--replications", reps, "--threads",
                       threads, "--quiet", NULL};
        char *two[] = {"mpirun",
                       "--allow-run-as-root",
                       "--oversubscribe",
                       "-np",
                       "2",
                       MPI_BIN,
                       "run",
                       SCENARIO,
                       "--replications",
                       reps,
                       "--threads",
                       half,
                       "--quiet",
                       NULL};
        if (child(one, &mb, &s1) != 0) {
            printf("run minimal.yaml %s reps: failed\n", reps);
            return 1;
        }
        if (access(MPI_BIN, X_OK) != 0 || !on_path("mpirun")) {
            printf("run minimal.yaml %s reps: 1 process %.1f s, mpirun -np 2 not measured (no %s "
                   "or no mpirun: make mpi)\n",
                   reps, s1, MPI_BIN);
        } else if (child(two, &mb, &s2) != 0) {
            printf("run minimal.yaml %s reps: 1 process %.1f s, mpirun -np 2 failed\n", reps, s1);
            fail = 1;
        } else {
            printf("run minimal.yaml %s reps: 1 process %.1f s (%s threads), mpirun -np 2 %.1f s "
                   "(%s threads each)\n",
                   reps, s1, threads, s2, half);
        }
    }
    return fail;
}
