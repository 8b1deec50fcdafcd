# Source checks of the runner's boundaries (sourced by tests/cli.sh; run from
# the repository root). Invariants: no public header names libuv (the
# executors are private, sim/mc/exec.h); only sim/mc/exec_pool.c sizes
# libuv's pool; the MPI program is main.c compiled once, with no -Dmain.

hits=$(grep -ln 'uv\.h\|uv_[a-z_]*_t\b\|uv_loop\|libuv' include/outagesim/*.h 2>/dev/null)
[ -z "$hits" ] && ok "runner: no public header names libuv" ||
    bad "runner: no public header names libuv" "$hits"

hits=$(grep -rln 'UV_THREADPOOL_SIZE' sim tests include Makefile 2>/dev/null |
    grep -v -e '^sim/mc/exec_pool\.c$' -e '^tests/cli\.d/runner\.sh$')
[ -z "$hits" ] && ok "runner: only exec_pool.c sizes the thread pool" ||
    bad "runner: only exec_pool.c sizes the thread pool" "$hits"

hits=$(grep -n -e '-Dmain' -e 'mpi_main' Makefile)
[ -z "$hits" ] && ok "runner: the MPI program links an executor, no -Dmain" ||
    bad "runner: the MPI program links an executor, no -Dmain" "$hits"
