/*
 * mpi_main.h -- the ordinary command dispatcher of sim/cli/main.c, renamed
 * when it is compiled into build/outagesim-mpi (`make mpi` compiles main.c
 * with -Dmain=outagesim_main and includes this header first), so that
 * mpi_main.c's main() can start MPI around it.
 */
#ifndef OUTAGESIM_MPI_MAIN_H
#define OUTAGESIM_MPI_MAIN_H

int outagesim_main(int argc, char **argv);

#endif
