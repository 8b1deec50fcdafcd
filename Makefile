# outagesim -- build, test, bench, run and install.
#
#   make         build build/outagesim and the library (checks the dependencies,
#                never installs them: if one is missing it says to run make deps)
#   make run     install what is missing, build, run the reference scenario
#   make test    install what is missing, build with sanitizers, run every test
#                (and an install into a temporary DESTDIR, test-install)
#   make bench   release build, print benchmark figures
#   make deps    only check (and as root on Debian, install) the dependencies
#                (as root also chromium and poppler-utils, for report.pdf)
#   make install PREFIX=/usr/local DESTDIR=   program, library, headers, pkg-config
#                file, plot scripts, scenarios, man page, bash completion;
#                make uninstall removes them again
#   make format-check  clang-format --dry-run --Werror over every tracked .c/.h
#                (make format rewrites them)
#   make fuzz    libFuzzer on the scenario loader and --set (clang), FUZZ_SECONDS=N;
#                fuzz-merge folds new inputs into tests/fuzz/corpus, fuzz-coverage
#                reports the line coverage of the corpus
#   make memcheck  valgrind on the release build: run, validate, replay; fails on
#                any error or definite/indirect leak
#
# Two builds live side by side under build/: the release build (build/outagesim,
# build/liboutagesim.a, build/liboutagesim.so.*) used by run, bench and install,
# and the sanitizer build under build/asan/ used by the tests. Objects are out of
# tree with -MMD dependency files.
#
# Flags are layered as in Redis's Makefile: the project's own flags (STD, WARN,
# OPT_*, OSIM_CPPFLAGS, the pkg-config flags) come first and the user's CPPFLAGS,
# CFLAGS and LDFLAGS are appended, so `make CFLAGS=-O3` or `make CC=clang` work
# and the user's word wins where flags conflict.

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
# The user's flags (empty unless given on the command line or in the environment).
CFLAGS ?=
LDFLAGS ?=
# With the user's CFLAGS (-O3, say) GCC's range analysis can report truncations
# that the code makes on purpose (snprintf cutting table cells): still shown,
# but not fatal then. Only compilers that know the option get it (clang 14
# does not).
ifneq ($(strip $(CFLAGS)),)
WARN += $(shell $(CC) -Werror -Wno-error=format-truncation -E -x c /dev/null \
          >/dev/null 2>&1 && echo -Wno-error=format-truncation)
endif
# The flags each build compiles and links with: the project's, then the user's.
RELEASE_CFLAGS = $(OPT_RELEASE) $(CFLAGS)
ASAN_CFLAGS = $(OPT_ASAN) $(CFLAGS)

# The version, from its one source of truth (include/outagesim/version.h).
VERSION := $(shell sed -n 's/^\#define OSIM_VERSION "\(.*\)"$$/\1/p' include/outagesim/version.h)
VERSION_MAJOR := $(word 1,$(subst ., ,$(VERSION)))
VERSION_MINOR := $(word 2,$(subst ., ,$(VERSION)))

# pkg-config is asked lazily (=, not :=) so that `make deps` can install it first.
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS = $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lm
CMOCKA_CFLAGS = $(shell pkg-config --cflags cmocka 2>/dev/null)
CMOCKA_LIBS = $(shell pkg-config --libs cmocka 2>/dev/null)

# The project's include folders come before whatever CPPFLAGS the user gives
# (so an installed outagesim's headers never shadow the tree's); `override`
# keeps them even when CPPFLAGS is set on the command line.
OSIM_CPPFLAGS := -Iinclude -Isim
override CPPFLAGS := $(OSIM_CPPFLAGS) $(CPPFLAGS)
# The library is every module folder of sim/ but the front ends (cli, mpi).
LIB_DIRS := core risk engine scenario model comp results mc report sweep brief
LIB_SRC := $(sort $(foreach d,$(LIB_DIRS),$(wildcard sim/$(d)/*.c)))
CLI_SRC := $(sort $(wildcard sim/cli/*.c))
TEST_SRC := $(sort $(wildcard tests/test_*.c))
BENCH_SRC := $(sort $(wildcard tests/bench/*.c))

B := build
A := build/asan
LIB_OBJ := $(LIB_SRC:%.c=$(B)/obj/%.o)
PIC_OBJ := $(LIB_SRC:%.c=$(B)/pic/%.o)
CLI_OBJ := $(CLI_SRC:%.c=$(B)/obj/%.o)
ALIB_OBJ := $(LIB_SRC:%.c=$(A)/obj/%.o)
ACLI_OBJ := $(CLI_SRC:%.c=$(A)/obj/%.o)
TESTS := $(TEST_SRC:tests/%.c=$(A)/tests/%)
FUZZ_CORPUS_RUNNER := $(A)/fuzz/fuzz_corpus
BENCHES := $(BENCH_SRC:tests/bench/%.c=$(B)/bench/%)

# ---------------------------------------------------------------- dependencies
# package-config-name:debian-package, then commands:debian-package.
# BUILD_LIBS and BUILD_CMDS are what compiling needs (checked by a plain make);
# the rest is for the tests, the figures and the install test.
BUILD_LIBS := libuv:libuv1-dev gsl:libgsl-dev libfyaml:libfyaml-dev \
              jansson:libjansson-dev libcrypto:libssl-dev
BUILD_CMDS := pkg-config:pkg-config
DEP_LIBS := $(BUILD_LIBS) cmocka:libcmocka-dev
DEP_CMDS := $(BUILD_CMDS) gnuplot:gnuplot-nox clang-format:clang-format man:man-db
# Fonts the figures use (file:debian-package): DejaVu Sans for the text and a
# Korean font for 억원 (pango falls back to it for Hangul). Debian's
# python3-jsonschema validates the documents against docs/schemas in make test.
DEP_FILES := /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf:fonts-dejavu-core \
             /usr/share/fonts/truetype/nanum/NanumGothic.ttf:fonts-nanum \
             /usr/lib/python3/dist-packages/jsonschema:python3-jsonschema

# $(call ensure,lib-pairs,cmd-pairs,extra-check-pairs[,check]): install what is
# missing; with a fourth argument only report it and fail.
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
	  if [ -z "$(4)" ] && [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "deps: installing$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
	      apt-get install -y -qq --no-install-recommends $$missing >/dev/null || exit 1; \
	  else \
	    echo "deps: missing:$$missing" >&2; \
	    if [ -n "$(4)" ]; then echo "deps: run 'make deps' (as root on Debian) to install them" >&2; fi; \
	    echo "deps: run: sudo apt-get update && sudo apt-get install -y $$missing" >&2; \
	    exit 1; \
	  fi; \
	fi
endef

# The targets that may install what is missing; any other goal (a plain make,
# make all, make install) only checks what compiling needs (deps-check).
SETUP_GOALS := deps run test bench memcheck mpi fuzz fuzz-merge fuzz-coverage test-install
ifneq ($(filter $(SETUP_GOALS),$(MAKECMDGOALS)),)
DEPS_STEP := deps
else
DEPS_STEP := deps-check
endif

.PHONY: deps deps-check bench-deps
deps-check:
	$(call ensure,$(BUILD_LIBS),$(BUILD_CMDS),,check)

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
	@# Chromium prints report.pdf (outagesim report) and poppler-utils
	@# (pdftotext, pdfinfo, pdftoppm) reads it back in the tests: installed
	@# when we can; without them the report has no PDF and those tests skip.
	@missing=""; command -v chromium >/dev/null 2>&1 || missing="chromium"; \
	command -v pdftotext >/dev/null 2>&1 || missing="$$missing poppler-utils"; \
	if [ -n "$$missing" ] && [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	  echo "deps: installing $$missing (for report.pdf)"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	    --no-install-recommends $$missing >/dev/null || \
	    echo "deps: could not install $$missing; outagesim report will skip the PDF" >&2; \
	fi

bench-deps: deps
	$(call ensure,,hyperfine:hyperfine,/usr/lib/python3/dist-packages/SimPy:python3-simpy)

# ---------------------------------------------------------------- release build
# The shared library's soname carries the ABI version: the major version, and
# while that is 0 the minor too (0.x releases may break the ABI).
ifeq ($(VERSION_MAJOR),0)
SOVERSION := $(VERSION_MAJOR).$(VERSION_MINOR)
else
SOVERSION := $(VERSION_MAJOR)
endif
SONAME := liboutagesim.so.$(SOVERSION)
SHLIB := liboutagesim.so.$(VERSION)

.PHONY: all
all: $(B)/outagesim $(B)/liboutagesim.a $(B)/$(SHLIB)

$(B)/obj/%.o: %.c | $(DEPS_STEP)
	@mkdir -p $(dir $@)
	$(CC) $(STD) $(WARN) $(RELEASE_CFLAGS) $(CPPFLAGS) $(PKG_CFLAGS) -MMD -MP -c $< -o $@

$(B)/liboutagesim.a: $(LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(B)/outagesim: $(CLI_OBJ) $(B)/liboutagesim.a
	$(CC) $(RELEASE_CFLAGS) $(LDFLAGS) -o $@ $(CLI_OBJ) $(B)/liboutagesim.a $(PKG_LIBS) -lpthread

# The shared library: the same sources compiled position-independent (the
# static library and the program keep their non-PIC objects). Only the public
# names (osim_ and a letter) are exported: osim__ names are internal.
$(B)/pic/%.o: %.c | $(DEPS_STEP)
	@mkdir -p $(dir $@)
	$(CC) $(STD) $(WARN) $(RELEASE_CFLAGS) -fPIC $(CPPFLAGS) $(PKG_CFLAGS) -MMD -MP -c $< -o $@

$(B)/liboutagesim.map: Makefile
	@mkdir -p $(dir $@)
	printf '{\n  global: osim_[a-z]*;\n  local: *;\n};\n' > $@

$(B)/$(SHLIB): $(PIC_OBJ) $(B)/liboutagesim.map
	$(CC) $(RELEASE_CFLAGS) $(LDFLAGS) -shared -Wl,-soname,$(SONAME) \
	  -Wl,--version-script,$(B)/liboutagesim.map -Wl,--no-undefined \
	  -o $@ $(PIC_OBJ) $(PKG_LIBS) -lpthread
	ln -sf $(SHLIB) $(B)/$(SONAME)
	ln -sf $(SONAME) $(B)/liboutagesim.so

# ---------------------------------------------------------------- MPI (optional)
# build/outagesim-mpi: the same command line, with sweeps spread over MPI
# ranks. The library and every CLI object (main.c included) are the release
# ones; the link line only adds sim/mpi/exec_mpi.o ahead of the library. It
# defines the symbols of the library's one-process stub sim/mc/exec_solo.c
# (osim__exec_procs, osim__procs_*: MPI init and finalise, the ranks), so
# the linker never takes the stub from the archive. `make test` builds it
# when mpicc is there (tests/cli.d/sweep.sh), to check it against the
# one-process sweep.
MPICC ?= mpicc
MPI_SRC := $(sort $(wildcard sim/mpi/*.c))
MPI_OBJ := $(MPI_SRC:%.c=$(B)/obj/%.o) $(CLI_OBJ)

.PHONY: mpi mpi-deps
mpi-deps: deps
	$(call ensure,,mpicc:libopenmpi-dev mpirun:openmpi-bin,)

mpi: mpi-deps $(B)/outagesim-mpi

$(B)/obj/sim/mpi/%.o: sim/mpi/%.c | mpi-deps
	@mkdir -p $(dir $@)
	$(MPICC) $(STD) $(WARN) $(OPT_RELEASE) $(CPPFLAGS) $(PKG_CFLAGS) -MMD -MP -c $< -o $@

$(B)/outagesim-mpi: $(MPI_OBJ) $(B)/liboutagesim.a
	$(MPICC) $(OPT_RELEASE) -o $@ $(MPI_OBJ) $(B)/liboutagesim.a $(PKG_LIBS) -lpthread

-include $(MPI_SRC:%.c=$(B)/obj/%.d)

# ---------------------------------------------------------------- sanitizer build
$(A)/obj/%.o: %.c | $(DEPS_STEP)
	@mkdir -p $(dir $@)
	$(CC) $(STD) $(WARN) $(ASAN_CFLAGS) $(CPPFLAGS) $(PKG_CFLAGS) $(CMOCKA_CFLAGS) -MMD -MP -c $< -o $@

$(A)/liboutagesim.a: $(ALIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(A)/outagesim: $(ACLI_OBJ) $(A)/liboutagesim.a
	$(CC) $(ASAN_CFLAGS) $(LDFLAGS) -o $@ $(ACLI_OBJ) $(A)/liboutagesim.a $(PKG_LIBS) -lpthread

$(A)/tests/%: $(A)/obj/tests/%.o $(A)/liboutagesim.a
	@mkdir -p $(dir $@)
	$(CC) $(ASAN_CFLAGS) $(LDFLAGS) -o $@ $< $(A)/liboutagesim.a $(CMOCKA_LIBS) $(PKG_LIBS) -lpthread

# ---------------------------------------------------------------- tests
# Every suite runs even when an earlier one fails; the target fails at the end.
.PHONY: test test-install
test: $(TESTS) $(A)/outagesim $(FUZZ_CORPUS_RUNNER) all
	@fail=0; log=$$(mktemp); \
	for t in $(abspath $(TESTS)); do \
	  echo "=== $$t"; \
	  ( cd tests && ASAN_OPTIONS=detect_leaks=1 $$t ) 2>&1 | tee -a $$log; \
	  [ $${PIPESTATUS[0]} -eq 0 ] || fail=1; \
	done; \
	echo "=== fuzz corpus: tests/fuzz/corpus through the harness once"; \
	ASAN_OPTIONS=detect_leaks=1 $(FUZZ_CORPUS_RUNNER) tests/fuzz/corpus 2>&1 | tee -a $$log; \
	[ $${PIPESTATUS[0]} -eq 0 ] || fail=1; \
	echo "=== tests/cli.sh"; \
	OUTAGESIM=$(A)/outagesim bash tests/cli.sh 2>&1 | tee -a $$log; \
	[ $${PIPESTATUS[0]} -eq 0 ] || fail=1; \
	echo "=== tests/install/check.sh: make install into a temporary DESTDIR, used from outside"; \
	MAKE="$(MAKE)" CC="$(CC)" bash tests/install/check.sh 2>&1 | tee -a $$log; \
	[ $${PIPESTATUS[0]} -eq 0 ] || fail=1; \
	passed=$$(awk '/^\[  PASSED  \] [0-9]+ test/ {s += $$4} /^[0-9]+ passed, [0-9]+ failed(, [0-9]+ skipped)?$$/ {s += $$1} END {print s + 0}' $$log); \
	failed=$$(awk '/^\[  FAILED  \] [0-9]+ test/ {s += $$4} /^[0-9]+ passed, [0-9]+ failed(, [0-9]+ skipped)?$$/ {s += $$3} END {print s + 0}' $$log); \
	skipped=$$(awk '/^\[  SKIPPED \] [0-9]+ test/ {s += $$4} /^[0-9]+ passed, [0-9]+ failed, [0-9]+ skipped$$/ {s += $$5} END {print s + 0}' $$log); \
	rm -f $$log; \
	if [ "$${CI:-}" = true ] && [ "$${skipped:-0}" -gt 0 ]; then \
	  echo "make test: CI=true skips none: $$skipped skipped counted as failed" >&2; \
	  failed=$$(($${failed:-0} + skipped)); skipped=0; fail=1; fi; \
	[ $$fail -eq 0 ] || [ "$${failed:-0}" -gt 0 ] || failed=1; \
	if [ $$fail -ne 0 ]; then echo "make test: FAILED" >&2; fi; \
	echo "total: $${passed:-0} passed, $${failed:-0} failed, $${skipped:-0} skipped"; \
	[ $$fail -eq 0 ]

# The install test alone (make test runs it too): tests/install/check.sh.
test-install: all
	@MAKE="$(MAKE)" CC="$(CC)" bash tests/install/check.sh

# Test objects are intermediate files; keep them so a second `make test` relinks nothing.
.SECONDARY:

# ---------------------------------------------------------------- fuzzing
# tests/fuzz/fuzz_scenario.c is one harness built two ways. For `make test`
# the project's compiler builds it with ASan/UBSan and tests/fuzz/driver.c,
# which runs every corpus file through it once (no clang needed). For
# `make fuzz` clang builds it with libFuzzer: the library is instrumented
# for coverage (-fsanitize=fuzzer-no-link), new inputs go to $(F)/corpus,
# crashes to $(F)/artifacts/. Copy a crash into tests/fuzz/corpus/ as
# crash-<what> once fixed; `make fuzz-merge` folds what the fuzzer found
# into tests/fuzz/corpus/ (minimised with -merge=1, seed-* and crash-*
# files kept as they are). Run from the repository root: the harness loads
# its input as scenarios/fuzz.yaml, so includes of the presets resolve.
FUZZ_SECONDS ?= 60
FUZZ_FLAGS ?=
F := $(B)/fuzz
FUZZ_CC := clang
OPT_FUZZ := -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined \
            -fno-sanitize-recover=all
FLIB_OBJ := $(LIB_SRC:%.c=$(F)/obj/%.o)
FUZZ_LIBFUZZER := $(F)/fuzz_scenario
FUZZ_OPTS = -max_total_time=$(FUZZ_SECONDS) -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
            -dict=tests/fuzz/scenario.dict -artifact_prefix=$(F)/artifacts/ \
            -print_final_stats=1 $(FUZZ_FLAGS)

$(A)/fuzz/fuzz_corpus: $(A)/obj/tests/fuzz/fuzz_scenario.o $(A)/obj/tests/fuzz/driver.o \
                       $(A)/obj/sim/cli/args.o $(A)/liboutagesim.a
	@mkdir -p $(dir $@)
	$(CC) $(ASAN_CFLAGS) $(LDFLAGS) -o $@ $(filter %.o,$^) $(A)/liboutagesim.a $(PKG_LIBS) -lpthread

.PHONY: fuzz-deps fuzz fuzz-merge
fuzz-deps: deps
	$(call ensure,,clang:clang,$(shell clang -print-file-name=libclang_rt.fuzzer-x86_64.a 2>/dev/null || echo /nonexistent):libclang-rt-14-dev)

$(F)/obj/%.o: %.c | fuzz-deps
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(STD) $(WARN) $(OPT_FUZZ) -fsanitize=fuzzer-no-link $(CPPFLAGS) $(PKG_CFLAGS) \
	  -MMD -MP -c $< -o $@

$(FUZZ_LIBFUZZER): $(F)/obj/tests/fuzz/fuzz_scenario.o $(F)/obj/sim/cli/args.o $(FLIB_OBJ)
	$(FUZZ_CC) $(OPT_FUZZ) -fsanitize=fuzzer -o $@ $^ $(PKG_LIBS) -lpthread

fuzz: $(FUZZ_LIBFUZZER)
	@mkdir -p $(F)/corpus $(F)/artifacts
	$(FUZZ_LIBFUZZER) $(FUZZ_OPTS) $(F)/corpus tests/fuzz/corpus

fuzz-merge: $(FUZZ_LIBFUZZER)
	@rm -rf $(F)/merged && mkdir -p $(F)/merged $(F)/corpus
	$(FUZZ_LIBFUZZER) -merge=1 -timeout=10 -rss_limit_mb=2048 -max_len=65536 $(F)/merged \
	  tests/fuzz/corpus $(F)/corpus
	@find tests/fuzz/corpus -type f -regextype posix-extended -regex '.*/[0-9a-f]{40}' -delete
	@for f in $(F)/merged/*; do \
	  h=$$(sha1sum < "$$f" | cut -c1-40); \
	  dup=0; for k in tests/fuzz/corpus/seed-* tests/fuzz/corpus/crash-*; do \
	    cmp -s "$$f" "$$k" && { dup=1; break; }; done; \
	  [ $$dup = 1 ] || cp "$$f" tests/fuzz/corpus/$$h; \
	done
	@echo "tests/fuzz/corpus: $$(ls tests/fuzz/corpus | wc -l) files, $$(du -sh tests/fuzz/corpus | cut -f1)"

# Line coverage of the loader and models by the corpus (clang source-based
# coverage: the figure the fuzzing note quotes).
COV := $(B)/fuzz-cov
FUZZ_COV_SRC := $(LIB_SRC) sim/cli/args.c tests/fuzz/fuzz_scenario.c tests/fuzz/driver.c
FUZZ_COV_REPORT := $(wildcard sim/scenario/*.c) sim/core/units.c sim/cli/args.c \
                   sim/model/incident.c sim/model/replay.c sim/model/impact.c $(wildcard sim/comp/*.c)

.PHONY: fuzz-coverage
fuzz-coverage: fuzz-deps
	$(call ensure,,llvm-cov:llvm llvm-profdata:llvm,)
	@rm -rf $(COV) && mkdir -p $(COV)
	@for f in $(FUZZ_COV_SRC); do \
	  $(FUZZ_CC) $(STD) -O0 -g -fprofile-instr-generate -fcoverage-mapping $(CPPFLAGS) \
	    $(PKG_CFLAGS) -c $$f -o $(COV)/$$(echo $$f | tr / _).o || exit 1; done
	$(FUZZ_CC) -fprofile-instr-generate -o $(COV)/corpus $(COV)/*.o $(PKG_LIBS) -lpthread
	LLVM_PROFILE_FILE=$(COV)/corpus.profraw $(COV)/corpus tests/fuzz/corpus
	llvm-profdata merge -o $(COV)/corpus.profdata $(COV)/corpus.profraw
	llvm-cov report $(COV)/corpus -instr-profile=$(COV)/corpus.profdata $(FUZZ_COV_REPORT)

# ---------------------------------------------------------------- memcheck
# valgrind (memcheck) on the release build: a run of the reference scenario
# with 20 replications on 2 threads, the same in two parts and their merge
# (which must equal the whole run: the reference is a catalogue, so this is
# a catalogue's merge), the figures, validate (good and broken)
# and replay (at once and paced by the libuv timer). Any memory error or a
# "definitely" or "indirectly lost" block fails the target. "Possibly lost"
# does not count: libuv's thread-pool threads are never joined at exit (by
# design: programs do not call uv_library_shutdown), so on some libuv builds
# their stacks show up as possibly lost (libuv 1.44.2 here frees everything:
# "All heap blocks were freed").
MEMCHECK_DIR := $(B)/memcheck
VALGRIND := valgrind --tool=memcheck --leak-check=full --error-exitcode=1 \
            --errors-for-leak-kinds=definite,indirect --show-leak-kinds=definite,indirect \
            --track-origins=yes --quiet

.PHONY: memcheck-deps memcheck
memcheck-deps: deps
	$(call ensure,,valgrind:valgrind,)

memcheck: memcheck-deps $(B)/outagesim
	@rm -rf $(MEMCHECK_DIR) && mkdir -p $(MEMCHECK_DIR)
	$(VALGRIND) $(B)/outagesim run scenarios/kakao-pangyo-2022.yaml --replications 20 \
	  --threads 2 --quiet --out $(MEMCHECK_DIR)/run > /dev/null
	$(VALGRIND) $(B)/outagesim validate scenarios/kakao-pangyo-2022.yaml > /dev/null
	$(VALGRIND) $(B)/outagesim replay scenarios/kakao-pangyo-2022.yaml --topology as-was > /dev/null
	$(VALGRIND) $(B)/outagesim replay scenarios/kakao-pangyo-2022.yaml --topology as-was \
	  --speed 36000000 > /dev/null
	$(VALGRIND) $(B)/outagesim run scenarios/kakao-pangyo-2022.yaml --from 0 --to 8 \
	  --threads 2 --quiet --out $(MEMCHECK_DIR)/part1 > /dev/null
	$(VALGRIND) $(B)/outagesim run scenarios/kakao-pangyo-2022.yaml --from 8 --to 20 \
	  --threads 2 --quiet --out $(MEMCHECK_DIR)/part2 > /dev/null
	$(VALGRIND) $(B)/outagesim merge $(MEMCHECK_DIR)/part1 $(MEMCHECK_DIR)/part2 \
	  --out $(MEMCHECK_DIR)/merged --quiet > /dev/null
	cmp $(MEMCHECK_DIR)/run/results.json $(MEMCHECK_DIR)/merged/results.json
	$(VALGRIND) $(B)/outagesim plot $(MEMCHECK_DIR)/run --quiet > /dev/null
	$(VALGRIND) $(B)/outagesim validate tests/fixtures/bad/cycle.yaml > /dev/null 2>&1; \
	  [ $$? -eq 2 ] || { echo "memcheck: validate of a broken file did not exit 2" >&2; exit 1; }
	@echo "memcheck: no errors, no definite or indirect leaks"

# ---------------------------------------------------------------- benchmarks
$(B)/bench/%: $(B)/obj/tests/bench/%.o $(B)/liboutagesim.a
	@mkdir -p $(dir $@)
	$(CC) $(RELEASE_CFLAGS) $(LDFLAGS) -o $@ $< $(B)/liboutagesim.a $(PKG_LIBS) -lpthread

.PHONY: bench
bench: bench-deps $(BENCHES) $(B)/outagesim
	@# bench_stream times outagesim-mpi too, when Open MPI is there to build it.
	@if command -v mpicc >/dev/null 2>&1; then $(MAKE) --no-print-directory $(B)/outagesim-mpi; fi
	@for b in $(BENCHES); do $$b || exit 1; done
	@bash tests/bench/simpy.sh $(B)/bench/bench_engine

# ---------------------------------------------------------------- install
# make install [PREFIX=/usr/local] [DESTDIR=staging]: the program (and
# outagesim-mpi when make mpi built it), the static and shared library, the
# headers with the umbrella outagesim.h, outagesim.pc, the plot scripts, the
# scenario library (every scenarios/*.yaml, examples/ and policies/) and the
# JSON Schemas under share/outagesim, the man page and the bash completion. The installed program finds its plot scripts at
# <bin>/../share/outagesim/plots, so BINDIR and DATADIR should stay siblings
# (they are unless set apart by hand). make uninstall removes what install
# wrote (with the same PREFIX and DESTDIR).
PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
LIBDIR ?= $(PREFIX)/lib
INCLUDEDIR ?= $(PREFIX)/include
DATADIR ?= $(PREFIX)/share
MANDIR ?= $(DATADIR)/man
DOCDIR ?= $(DATADIR)/doc/outagesim
PKGCONFIGDIR ?= $(LIBDIR)/pkgconfig
BASHCOMPDIR ?= $(DATADIR)/bash-completion/completions
INSTALL ?= install
D := $(DESTDIR)

PUBLIC_HEADERS := $(sort $(wildcard include/outagesim/*.h))
PLOT_SCRIPTS := $(sort $(wildcard plots/*.gp))
# The whole scenario library (reference, minimal and the other incidents), the
# examples (which include ../policies/ as in the tree) and the policy presets.
SCENARIO_FILES := scenarios/README.md $(sort $(wildcard scenarios/*.yaml))
EXAMPLE_FILES := $(sort $(wildcard scenarios/examples/*.yaml))
POLICY_FILES := $(sort $(wildcard scenarios/policies/*.yaml)) scenarios/policies/README.md
SCHEMA_FILES := $(sort $(wildcard docs/schemas/*.json))

# outagesim.pc: paths under PREFIX are written relative to ${prefix}, so that
# pkg-config --define-variable=prefix=... can relocate a staged install.
$(B)/outagesim.pc: outagesim.pc.in include/outagesim/version.h Makefile
	@mkdir -p $(dir $@)
	sed -e 's|@prefix@|$(PREFIX)|' \
	    -e 's|@libdir@|$(patsubst $(PREFIX)/%,$${exec_prefix}/%,$(LIBDIR))|' \
	    -e 's|@includedir@|$(patsubst $(PREFIX)/%,$${prefix}/%,$(INCLUDEDIR))|' \
	    -e 's|@datadir@|$(patsubst $(PREFIX)/%,$${prefix}/%,$(DATADIR))|' \
	    -e 's|@version@|$(VERSION)|' -e 's|@requires_private@|$(PKGS)|' $< > $@

.PHONY: install uninstall FORCE
# The .pc file depends on PREFIX, which make cannot see change: remade each time.
$(B)/outagesim.pc: FORCE
FORCE:

install: all $(B)/outagesim.pc
	$(INSTALL) -d $(D)$(BINDIR) $(D)$(LIBDIR) $(D)$(PKGCONFIGDIR) $(D)$(INCLUDEDIR)/outagesim \
	  $(D)$(DATADIR)/outagesim/plots $(D)$(DATADIR)/outagesim/scenarios/policies \
	  $(D)$(DATADIR)/outagesim/scenarios/examples \
	  $(D)$(DATADIR)/outagesim/schemas $(D)$(MANDIR)/man1 $(D)$(BASHCOMPDIR) $(D)$(DOCDIR)
	$(INSTALL) -m 755 $(B)/outagesim $(D)$(BINDIR)/outagesim
	if [ -f $(B)/outagesim-mpi ]; then \
	  $(INSTALL) -m 755 $(B)/outagesim-mpi $(D)$(BINDIR)/outagesim-mpi; fi
	$(INSTALL) -m 644 $(B)/liboutagesim.a $(D)$(LIBDIR)/liboutagesim.a
	$(INSTALL) -m 755 $(B)/$(SHLIB) $(D)$(LIBDIR)/$(SHLIB)
	ln -sf $(SHLIB) $(D)$(LIBDIR)/$(SONAME)
	ln -sf $(SONAME) $(D)$(LIBDIR)/liboutagesim.so
	$(INSTALL) -m 644 $(B)/outagesim.pc $(D)$(PKGCONFIGDIR)/outagesim.pc
	$(INSTALL) -m 644 include/outagesim.h $(D)$(INCLUDEDIR)/outagesim.h
	$(INSTALL) -m 644 $(PUBLIC_HEADERS) $(D)$(INCLUDEDIR)/outagesim/
	$(INSTALL) -m 644 $(PLOT_SCRIPTS) $(D)$(DATADIR)/outagesim/plots/
	$(INSTALL) -m 644 $(SCENARIO_FILES) $(D)$(DATADIR)/outagesim/scenarios/
	$(INSTALL) -m 644 $(POLICY_FILES) $(D)$(DATADIR)/outagesim/scenarios/policies/
	$(INSTALL) -m 644 $(EXAMPLE_FILES) $(D)$(DATADIR)/outagesim/scenarios/examples/
	$(if $(SCHEMA_FILES),$(INSTALL) -m 644 $(SCHEMA_FILES) $(D)$(DATADIR)/outagesim/schemas/)
	$(INSTALL) -m 644 man/outagesim.1 $(D)$(MANDIR)/man1/outagesim.1
	$(INSTALL) -m 644 completion/outagesim.bash $(D)$(BASHCOMPDIR)/outagesim
	$(INSTALL) -m 644 LICENSE CHANGELOG.md $(D)$(DOCDIR)/
	@# The run-time linker's cache, for a real install as root (not a staged one).
	@if [ -z "$(DESTDIR)" ] && [ "$$(id -u)" = 0 ] && command -v ldconfig >/dev/null 2>&1; then \
	  ldconfig; fi

uninstall:
	rm -f $(D)$(BINDIR)/outagesim $(D)$(BINDIR)/outagesim-mpi
	rm -f $(D)$(LIBDIR)/liboutagesim.a $(D)$(LIBDIR)/liboutagesim.so \
	  $(D)$(LIBDIR)/liboutagesim.so.* $(D)$(PKGCONFIGDIR)/outagesim.pc
	rm -f $(D)$(INCLUDEDIR)/outagesim.h
	rm -rf $(D)$(INCLUDEDIR)/outagesim $(D)$(DATADIR)/outagesim $(D)$(DOCDIR)
	rm -f $(D)$(MANDIR)/man1/outagesim.1 $(D)$(BASHCOMPDIR)/outagesim

# ---------------------------------------------------------------- formatting
# Every tracked C file must be as clang-format (.clang-format) would write it;
# CI runs this before the tests. Outside a git checkout, every .c/.h of the tree.
FORMAT_FILES = $(shell git ls-files '*.c' '*.h' 2>/dev/null || \
                 find include sim tests -name '*.c' -o -name '*.h')

.PHONY: format-check format
format-check:
	$(call ensure,,clang-format:clang-format,)
	@clang-format --dry-run --Werror $(FORMAT_FILES) && \
	  echo "format-check: $(words $(FORMAT_FILES)) files as clang-format writes them"

# Rewrite every tracked C file in the house format (what format-check wants).
format:
	$(call ensure,,clang-format:clang-format,)
	clang-format -i $(FORMAT_FILES)

# ---------------------------------------------------------------- the main job
.PHONY: run
run: $(B)/outagesim
	$(B)/outagesim run scenarios/kakao-pangyo-2022.yaml --out results --plots

.PHONY: clean
clean:
	rm -rf $(B)

-include $(LIB_OBJ:.o=.d) $(PIC_OBJ:.o=.d) $(CLI_OBJ:.o=.d) $(ALIB_OBJ:.o=.d) $(ACLI_OBJ:.o=.d) $(FLIB_OBJ:.o=.d)
-include $(A)/obj/tests/fuzz/fuzz_scenario.d $(A)/obj/tests/fuzz/driver.d \
         $(F)/obj/tests/fuzz/fuzz_scenario.d $(F)/obj/sim/cli/args.d
-include $(TESTS:$(A)/tests/%=$(A)/obj/tests/%.d) $(BENCHES:$(B)/bench/%=$(B)/obj/tests/bench/%.d)
