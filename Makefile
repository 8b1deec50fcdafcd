# outagesim -- build, test, bench and run.
#
#   make run     install what is missing, build, run the reference scenario
#   make test    install what is missing, build with sanitizers, run every test
#   make bench   release build, print benchmark figures
#   make deps    only check (and as root on Debian, install) the dependencies
#
# Two builds live side by side under build/: the release build (build/outagesim,
# build/liboutagesim.a) used by run and bench, and the sanitizer build under
# build/asan/ used by the tests. Objects are out of tree with -MMD dependency files.

.DEFAULT_GOAL := all
SHELL := /bin/bash

CC ?= cc
STD := -std=c11 -D_POSIX_C_SOURCE=200809L
WARN := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
        -Wformat=2 -Wvla
PKGS := libuv gsl libfyaml jansson libcrypto
OPT_RELEASE := -O2 -g -DNDEBUG
OPT_ASAN := -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined \
            -fno-sanitize-recover=all

# pkg-config is asked lazily (=, not :=) so that `make deps` can install it first.
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS = $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lm
CMOCKA_CFLAGS = $(shell pkg-config --cflags cmocka 2>/dev/null)
CMOCKA_LIBS = $(shell pkg-config --libs cmocka 2>/dev/null)

CPPFLAGS := -Iinclude -Isim
LIB_SRC := $(sort $(wildcard sim/*.c))
CLI_SRC := $(sort $(wildcard sim/cli/*.c))
TEST_SRC := $(sort $(wildcard tests/test_*.c))
BENCH_SRC := $(sort $(wildcard tests/bench/*.c))

B := build
A := build/asan
LIB_OBJ := $(LIB_SRC:%.c=$(B)/obj/%.o)
CLI_OBJ := $(CLI_SRC:%.c=$(B)/obj/%.o)
ALIB_OBJ := $(LIB_SRC:%.c=$(A)/obj/%.o)
ACLI_OBJ := $(CLI_SRC:%.c=$(A)/obj/%.o)
TESTS := $(TEST_SRC:tests/%.c=$(A)/tests/%)
BENCHES := $(BENCH_SRC:tests/bench/%.c=$(B)/bench/%)

# ---------------------------------------------------------------- dependencies
# package-config-name:debian-package, then commands:debian-package.
DEP_LIBS := libuv:libuv1-dev gsl:libgsl-dev cmocka:libcmocka-dev libfyaml:libfyaml-dev \
            jansson:libjansson-dev libcrypto:libssl-dev
DEP_CMDS := pkg-config:pkg-config gnuplot:gnuplot-nox
# Fonts the figures use (file:debian-package): DejaVu Sans for the text and a
# Korean font for 억원 (pango falls back to it for Hangul).
DEP_FILES := /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf:fonts-dejavu-core \
             /usr/share/fonts/truetype/nanum/NanumGothic.ttf:fonts-nanum

# $(call ensure,lib-pairs,cmd-pairs,extra-check-pairs): install what is missing.
define ensure
	@missing=""; \
	for m in $(2); do c=$${m%%:*}; p=$${m#*:}; \
	  command -v $$c >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	for m in $(1); do c=$${m%%:*}; p=$${m#*:}; \
	  pkg-config --exists $$c >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	for m in $(3); do f=$${m%%:*}; p=$${m#*:}; \
	  [ -e $$f ] || missing="$$missing $$p"; done; \
	missing=$$(echo $$missing | tr ' ' '\n' | sort -u | tr '\n' ' '); \
	if [ -n "$${missing// /}" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "deps: installing$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
	      apt-get install -y -qq --no-install-recommends $$missing >/dev/null || exit 1; \
	  else \
	    echo "deps: missing:$$missing" >&2; \
	    echo "deps: run: sudo apt-get update && sudo apt-get install -y $$missing" >&2; \
	    exit 1; \
	  fi; \
	fi
endef

.PHONY: deps bench-deps
deps:
	$(call ensure,$(DEP_LIBS),$(DEP_CMDS),$(DEP_FILES))
	@# Open MPI for build/outagesim-mpi (make mpi): installed when we can (root
	@# with apt-get); the ordinary build never needs it.
	@if ! command -v mpicc >/dev/null 2>&1 && [ "$$(id -u)" = 0 ] && \
	    command -v apt-get >/dev/null 2>&1; then \
	  echo "deps: installing libopenmpi-dev openmpi-bin (for make mpi)"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	    --no-install-recommends libopenmpi-dev openmpi-bin >/dev/null || \
	    echo "deps: could not install Open MPI; make mpi will not build" >&2; \
	fi

bench-deps: deps
	$(call ensure,,hyperfine:hyperfine,/usr/lib/python3/dist-packages/SimPy:python3-simpy)

# ---------------------------------------------------------------- release build
.PHONY: all
all: $(B)/outagesim

$(B)/obj/%.o: %.c | deps
	@mkdir -p $(dir $@)
	$(CC) $(STD) $(WARN) $(OPT_RELEASE) $(CPPFLAGS) $(PKG_CFLAGS) -MMD -MP -c $< -o $@

$(B)/liboutagesim.a: $(LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(B)/outagesim: $(CLI_OBJ) $(B)/liboutagesim.a
	$(CC) $(OPT_RELEASE) -o $@ $(CLI_OBJ) $(B)/liboutagesim.a $(PKG_LIBS) -lpthread

# ---------------------------------------------------------------- MPI (optional)
# build/outagesim-mpi: the same command line, with sweeps spread over MPI
# ranks (sim/mpi/). The library and the CLI objects are the release ones;
# main.c is compiled again with its main() renamed (mpi_main.c starts MPI
# around it), and sim/cli/sweep_exec.c (the one-process executor) is
# replaced by sim/mpi/sweep_exec_mpi.c. `make test` builds it when mpicc is
# there (tests/cli.d/sweep.sh), to check it against the one-process sweep.
MPICC ?= mpicc
MPI_SRC := $(sort $(wildcard sim/mpi/*.c))
MPI_OBJ := $(MPI_SRC:%.c=$(B)/obj/%.o) $(B)/obj/mpi-main/main.o \
           $(filter-out $(B)/obj/sim/cli/main.o $(B)/obj/sim/cli/sweep_exec.o,$(CLI_OBJ))

.PHONY: mpi mpi-deps
mpi-deps: deps
	$(call ensure,,mpicc:libopenmpi-dev mpirun:openmpi-bin,)

mpi: mpi-deps $(B)/outagesim-mpi

$(B)/obj/sim/mpi/%.o: sim/mpi/%.c | mpi-deps
	@mkdir -p $(dir $@)
	$(MPICC) $(STD) $(WARN) $(OPT_RELEASE) $(CPPFLAGS) $(PKG_CFLAGS) -MMD -MP -c $< -o $@

$(B)/obj/mpi-main/main.o: sim/cli/main.c sim/mpi/mpi_main.h | deps
	@mkdir -p $(dir $@)
	$(CC) $(STD) $(WARN) $(OPT_RELEASE) $(CPPFLAGS) $(PKG_CFLAGS) -Dmain=outagesim_main \
	  -include sim/mpi/mpi_main.h -MMD -MP -c $< -o $@

$(B)/outagesim-mpi: $(MPI_OBJ) $(B)/liboutagesim.a
	$(MPICC) $(OPT_RELEASE) -o $@ $(MPI_OBJ) $(B)/liboutagesim.a $(PKG_LIBS) -lpthread

-include $(MPI_SRC:%.c=$(B)/obj/%.d) $(B)/obj/mpi-main/main.d

# ---------------------------------------------------------------- sanitizer build
$(A)/obj/%.o: %.c | deps
	@mkdir -p $(dir $@)
	$(CC) $(STD) $(WARN) $(OPT_ASAN) $(CPPFLAGS) $(PKG_CFLAGS) $(CMOCKA_CFLAGS) -MMD -MP -c $< -o $@

$(A)/liboutagesim.a: $(ALIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(A)/outagesim: $(ACLI_OBJ) $(A)/liboutagesim.a
	$(CC) $(OPT_ASAN) -o $@ $(ACLI_OBJ) $(A)/liboutagesim.a $(PKG_LIBS) -lpthread

$(A)/tests/%: $(A)/obj/tests/%.o $(A)/liboutagesim.a
	@mkdir -p $(dir $@)
	$(CC) $(OPT_ASAN) -o $@ $< $(A)/liboutagesim.a $(CMOCKA_LIBS) $(PKG_LIBS) -lpthread

# ---------------------------------------------------------------- tests
# Every suite runs even when an earlier one fails; the target fails at the end.
.PHONY: test
test: $(TESTS) $(A)/outagesim
	@fail=0; \
	for t in $(abspath $(TESTS)); do \
	  echo "=== $$t"; \
	  ( cd tests && ASAN_OPTIONS=detect_leaks=1 $$t ) || fail=1; \
	done; \
	echo "=== tests/cli.sh"; \
	OUTAGESIM=$(A)/outagesim bash tests/cli.sh || fail=1; \
	if [ $$fail -ne 0 ]; then echo "make test: FAILED" >&2; exit 1; fi; \
	echo "make test: all suites passed"

# ---------------------------------------------------------------- benchmarks
$(B)/bench/%: $(B)/obj/tests/bench/%.o $(B)/liboutagesim.a
	@mkdir -p $(dir $@)
	$(CC) $(OPT_RELEASE) -o $@ $< $(B)/liboutagesim.a $(PKG_LIBS) -lpthread

.PHONY: bench
bench: bench-deps $(BENCHES) $(B)/outagesim
	@for b in $(BENCHES); do $$b || exit 1; done
	@bash tests/bench/simpy.sh $(B)/bench/bench_engine

# ---------------------------------------------------------------- the main job
.PHONY: run
run: $(B)/outagesim
	$(B)/outagesim run scenarios/kakao-pangyo-2022.yaml --out results --plots

.PHONY: clean
clean:
	rm -rf $(B)

-include $(LIB_OBJ:.o=.d) $(CLI_OBJ:.o=.d) $(ALIB_OBJ:.o=.d) $(ACLI_OBJ:.o=.d)
-include $(TESTS:$(A)/tests/%=$(A)/obj/tests/%.d) $(BENCHES:$(B)/bench/%=$(B)/obj/tests/bench/%.d)
