#!/usr/bin/env bash
# Install test (make test-install, part of make test): `make install` into a
# temporary DESTDIR, then use the installed tree alone, from a folder outside
# the source tree, as a user would:
#   - every file install promises is there (library with its soname, headers,
#     outagesim.pc with the version of version.h, scripts, scenarios, man page,
#     completion);
#   - every installed header compiles on its own (a .c that includes only it),
#     so each is self-contained;
#   - tests/install/api.c, built with `pkg-config --cflags --libs outagesim`
#     only, against the shared and the static library, loads the installed
#     minimal scenario, runs replications through the public API, and gives
#     the same figures and the same result document as the installed program;
#   - the installed program draws figures with OUTAGESIM_PLOTS unset (its
#     scripts come from <bin>/../share/outagesim/plots), and a copy of it with
#     no share/ beside it finds none (so the first check can fail);
#   - the result documents of the installed program validate against the
#     installed JSON Schemas (docs/schemas; python3-jsonschema);
#   - the man page renders with `man -l`, the bash completion completes;
#   - `make uninstall` removes every file again.
# The staged tree is used as installed by telling pkg-config where the
# prefix now is (--define-variable=prefix=$DESTDIR$PREFIX, the usual way to
# use a DESTDIR staging tree). Each check prints ok/FAIL/skip; the last line
# is "N passed, M failed, K skipped". A skip says why; with CI=true a skip is
# a failure (as in tests/cli.sh: CI skips none).
set -u
cd "$(dirname "$0")/../.."
SRC=$PWD
MAKE=${MAKE:-make}
CC=${CC:-cc}
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
pass=0
fail=0
skipped=0

ok() { pass=$((pass + 1)); echo "ok   $1"; }
bad() { fail=$((fail + 1)); echo "FAIL $1"; [ -n "${2:-}" ] && sed 's/^/     | /' <<<"$2"; }
skip() {
    if [ "${CI:-}" = true ]; then
        bad "$1 (skipped; CI=true skips none)"
    else
        skipped=$((skipped + 1))
        echo "skip $1"
    fi
}

PREFIX=/usr/local
D=$TMP/dest
P=$D$PREFIX
VERSION=$(sed -n 's/^#define OSIM_VERSION "\(.*\)"$/\1/p' include/outagesim/version.h)

# -------------------------------------------------------------- install
out=$($MAKE --no-print-directory install DESTDIR="$D" PREFIX=$PREFIX 2>&1)
if [ $? -ne 0 ]; then
    bad "make install DESTDIR=... failed" "$out"
    echo "$pass passed, $fail failed, $skipped skipped"
    exit 1
fi
ok "make install DESTDIR=$D PREFIX=$PREFIX"

missing=""
for f in bin/outagesim lib/liboutagesim.a lib/liboutagesim.so lib/pkgconfig/outagesim.pc \
    include/outagesim.h share/man/man1/outagesim.1 \
    share/bash-completion/completions/outagesim share/outagesim/scenarios/minimal.yaml \
    share/outagesim/scenarios/kakao-pangyo-2022.yaml share/outagesim/scenarios/README.md \
    share/outagesim/scenarios/policies/README.md; do
    [ -e "$P/$f" ] || missing="$missing $f"
done
for f in include/outagesim/*.h plots/*.gp scenarios/*.yaml scenarios/examples/*.yaml \
    scenarios/policies/*.yaml docs/schemas/*.json; do
    case $f in
    include/*) t=$f ;;
    plots/*) t=share/outagesim/$f ;;
    scenarios/*) t=share/outagesim/$f ;;
    docs/schemas/*) t=share/outagesim/schemas/${f#docs/schemas/} ;;
    esac
    cmp -s "$f" "$P/$t" || missing="$missing $t"
done
if [ -z "$missing" ]; then ok "installed files are there and equal their sources"; else
    bad "installed files missing or different:$missing"; fi

soname=$(readelf -d "$P/lib/liboutagesim.so" 2>/dev/null | sed -n 's/.*(SONAME).*\[\(.*\)\]/\1/p')
if [ -n "$soname" ] && [ -L "$P/lib/$soname" ] && [ -f "$P/lib/liboutagesim.so.$VERSION" ] &&
    [ "$(readlink -f "$P/lib/liboutagesim.so")" = "$(readlink -f "$P/lib/liboutagesim.so.$VERSION")" ]; then
    ok "shared library liboutagesim.so.$VERSION with soname $soname and its links"
else
    bad "shared library: soname '$soname', links" "$(ls -l "$P/lib")"
fi
internal=$(nm -D --defined-only "$P/lib/liboutagesim.so" | awk '$3 !~ /^osim_[a-z]/ {print $3}')
if [ -z "$internal" ]; then ok "the shared library exports only osim_ names (no osim__)"; else
    bad "the shared library exports internal names" "$internal"; fi

missing=""
for h in "$P"/include/outagesim/*.h; do
    n=outagesim/${h##*/}
    grep -q "^#include \"$n\"" "$P/include/outagesim.h" || missing="$missing $n"
done
if [ -z "$missing" ]; then ok "outagesim.h includes every public header"; else
    bad "outagesim.h does not include:$missing"; fi

# -------------------------------------------------------------- pkg-config
export PKG_CONFIG_PATH=$P/lib/pkgconfig
PC="pkg-config --define-variable=prefix=$P"
v=$($PC --modversion outagesim 2>&1)
if [ "$v" = "$VERSION" ]; then ok "pkg-config --modversion outagesim = OSIM_VERSION ($v)"; else
    bad "pkg-config --modversion outagesim: '$v', version.h says '$VERSION'"; fi
CFLAGS_PC=$($PC --cflags outagesim)
LIBS_PC=$($PC --libs outagesim)
if grep -q -- "-I$P/include" <<<"$CFLAGS_PC" && grep -q -- "-L$P/lib -loutagesim" <<<"$LIBS_PC"; then
    ok "pkg-config --cflags --libs outagesim point into the installed tree"
else
    bad "pkg-config --cflags --libs outagesim: $CFLAGS_PC $LIBS_PC"
fi
if [ "$($PC --variable=scenariosdir outagesim)" = "$P/share/outagesim/scenarios" ] &&
    [ "$($PC --variable=plotsdir outagesim)" = "$P/share/outagesim/plots" ]; then
    ok "pkg-config variables scenariosdir and plotsdir"
else
    bad "pkg-config scenariosdir/plotsdir" "$($PC --print-variables outagesim)"
fi

# Everything from here on runs outside the source tree.
W=$TMP/work
mkdir -p "$W"
cd "$W" || exit 1

# -------------------------------------------------------------- headers alone
# Each header in the compiler's default dialect, and in strict C11 with the
# POSIX level outagesim is built with.
hfail=""
nh=0
for h in "$P"/include/outagesim/*.h "$P"/include/outagesim.h; do
    n=${h#"$P"/include/}
    printf '#include <%s>\ntypedef int header_check_only;\n' "$n" > h.c
    for std in "" "-std=c11 -D_POSIX_C_SOURCE=200809L"; do
        # shellcheck disable=SC2086 # word lists
        if ! e=$($CC $std -Wall -Wextra -Werror -pedantic $CFLAGS_PC -c h.c -o h.o 2>&1); then
            hfail="$hfail
$n (${std:-default}): $(head -5 <<<"$e")"
        fi
    done
    nh=$((nh + 1))
done
if [ -z "$hfail" ]; then ok "each of the $nh installed headers compiles alone (default and -std=c11)"; else
    bad "installed headers that do not compile alone" "$hfail"; fi

# Every installed scenario loads from the installed tree (examples include
# ../policies/ there as in the source tree).
nsc=0
scfail=""
for f in "$P"/share/outagesim/scenarios/*.yaml "$P"/share/outagesim/scenarios/examples/*.yaml; do
    nsc=$((nsc + 1))
    e=$("$P/bin/outagesim" validate "$f" 2>&1) || scfail="$scfail
$e"
done
if [ -z "$scfail" ] && [ "$nsc" -ge 6 ]; then
    ok "the $nsc installed scenarios (library and examples) validate from the installed tree"
else
    bad "installed scenarios: $nsc found, some do not validate" "$scfail"
fi

# -------------------------------------------------------------- the public API
SC=$P/share/outagesim/scenarios/minimal.yaml
# shellcheck disable=SC2086
if e=$($CC -std=c11 -D_POSIX_C_SOURCE=200809L -Wall -Wextra -Werror $CFLAGS_PC \
    "$SRC/tests/install/api.c" -o api-shared $LIBS_PC 2>&1); then
    ok "api.c builds with pkg-config --cflags --libs outagesim (shared library)"
else
    bad "api.c does not build against the installed tree" "$e"
fi
# The static library: -loutagesim taken from the .a, the rest from --static.
# shellcheck disable=SC2086
if e=$($CC -std=c11 -D_POSIX_C_SOURCE=200809L -Wall -Wextra -Werror $CFLAGS_PC \
    "$SRC/tests/install/api.c" -o api-static -L"$P/lib" -Wl,-Bstatic -loutagesim -Wl,-Bdynamic \
    $($PC --static --libs outagesim | sed 's/-loutagesim//') 2>&1); then
    if readelf -d api-static | grep -q 'liboutagesim'; then
        bad "api-static needs liboutagesim.so" "$(readelf -d api-static | grep NEEDED)"
    else
        ok "api.c builds against liboutagesim.a with pkg-config --static --libs"
    fi
else
    bad "api.c does not build against the installed static library" "$e"
fi

REPS=40
SEED=5
if [ -x api-shared ]; then
    lib=$(LD_LIBRARY_PATH=$P/lib ldd ./api-shared | awk '/liboutagesim/ {print $3}')
    if [ "$lib" = "$P/lib/$soname" ]; then ok "api-shared loads the installed $soname"; else
        bad "api-shared loads '$lib', not $P/lib/$soname"; fi
    if out=$(LD_LIBRARY_PATH=$P/lib ./api-shared "$SC" $REPS $SEED api.json 2>&1); then
        # minimal.yaml: a fire at north; single-site has everything there, so
        # every replication costs something, and the standby design never
        # costs more at the median than having no standby.
        single=$(sed -n "s/^single-site n=$REPS p50=\([0-9]*\) max=\([0-9]*\)$/\1 \2/p" <<<"$out")
        topo2=$(sed -n "2s/^\([a-z0-9-]*\) n=$REPS p50=\([0-9]*\) max=.*/\2/p" <<<"$out")
        if [ "$(wc -l <<<"$out")" = 2 ] && [ -n "$single" ] && [ -n "$topo2" ] &&
            [ "${single% *}" -gt 0 ] && [ "$topo2" -le "${single% *}" ]; then
            ok "public API: $REPS replications of the installed minimal scenario, incident cost p50 single-site ${single% *} won >= ${topo2} won"
        else
            bad "public API: unexpected figures" "$out"
        fi
    else
        bad "api-shared failed" "$out"
    fi
fi
if [ -x api-static ]; then
    if out2=$(./api-static "$SC" $REPS $SEED api-static.json 2>&1) && [ "$out2" = "${out:-}" ] &&
        cmp -s api.json api-static.json; then
        ok "static and shared library give the same figures and document"
    else
        bad "api-static differs from api-shared" "$out2"
    fi
fi
"$P/bin/outagesim" run "$SC" --replications $REPS --seed $SEED --format json > cli.json 2> cli.err
if [ -s api.json ] && cmp -s api.json cli.json; then
    ok "the API's result document equals the installed program's run --format json, byte for byte"
else
    bad "api.json differs from outagesim run --format json" "$(diff api.json cli.json | head -10; cat cli.err)"
fi

# -------------------------------------------------------------- plots, installed
unset OUTAGESIM_PLOTS
"$P/bin/outagesim" run "$SC" --replications 30 --out res --quiet > /dev/null 2>&1
if e=$(env -u OUTAGESIM_PLOTS "$P/bin/outagesim" plot res --quiet 2>&1) &&
    cmp -s res/plots/common.gp "$P/share/outagesim/plots/common.gp"; then
    if command -v gnuplot > /dev/null 2>&1 || [ -n "${OUTAGESIM_GNUPLOT:-}" ]; then
        if [ -s res/plots/timeline.png ] && [ -s res/plots/designs.png ]; then
            ok "installed plot, OUTAGESIM_PLOTS unset, outside the source tree: scripts found, figures drawn"
        else
            bad "installed plot drew no figures" "$e$(ls res/plots)"
        fi
    else
        ok "installed plot, OUTAGESIM_PLOTS unset, outside the source tree: scripts found"
        skip "figures not drawn: no gnuplot"
    fi
else
    bad "installed plot with OUTAGESIM_PLOTS unset" "$e"
fi
mkdir -p lone/bin
cp "$P/bin/outagesim" lone/bin/
e=$(env -u OUTAGESIM_PLOTS lone/bin/outagesim plot res --quiet 2>&1)
rc=$?
if [ $rc -ne 0 ] && grep -q "cannot find the plot scripts" <<<"$e"; then
    ok "a copy with no share/outagesim beside it finds no scripts (exit $rc)"
else
    bad "a copy with no share/ beside it still plotted (exit $rc)" "$e"
fi

# -------------------------------------------------------------- JSON Schemas
# The Debian package (python3-jsonschema, from make deps) or any python3 with it.
PY=""
for p in /usr/bin/python3 python3; do
    if "$p" -c 'import jsonschema' > /dev/null 2>&1; then
        PY=$p
        break
    fi
done
SCH=$P/share/outagesim/schemas
if [ -z "$PY" ]; then
    bad "JSON Schemas: no python3 with jsonschema (make deps installs python3-jsonschema)"
else
    "$P/bin/outagesim" run "$P/share/outagesim/scenarios/kakao-pangyo-2022.yaml" \
        --replications 20 --out ref --quiet > /dev/null 2>&1
    "$P/bin/outagesim" sweep "$SC" --vary 'population.users=1M,2M' --replications 10 \
        --out sweep --no-plots --quiet > /dev/null 2>&1
    "$P/bin/outagesim" run "$SC" --replications 10 --from 5 --out part --quiet > /dev/null 2>&1
    for pair in results:res/results.json results:ref/results.json results:part/results.json \
        results:cli.json series:res/series.json series:ref/series.json sweep:sweep/sweep.json; do
        s=${pair%%:*}
        f=${pair#*:}
        if e=$("$PY" "$SRC/tests/install/validate.py" "$SCH/$s.schema.json" "$f" 2>&1); then
            ok "$f validates against $s.schema.json"
        else
            bad "$f does not validate against $s.schema.json" "$e"
        fi
    done
    # The schemas must be able to fail: a document with a wrong type, a
    # missing required key and an unknown key is refused.
    "$PY" - res/results.json > broken.json <<'PYEOF'
import json, sys
d = json.load(open(sys.argv[1]))
d["seed"] = "one"
d.pop("version", None)
d["unexpected"] = 1
json.dump(d, sys.stdout)
PYEOF
    if e=$("$PY" "$SRC/tests/install/validate.py" "$SCH/results.schema.json" broken.json 2>&1); then
        bad "a broken results.json validates"
    else
        ok "a broken results.json is refused ($(grep -c . <<<"$e") errors)"
    fi
fi

# -------------------------------------------------------------- man page
man_th=$(sed -n 's/^\.TH OUTAGESIM 1 "[^"]*" "outagesim \([^"]*\)".*/\1/p' "$P/share/man/man1/outagesim.1")
if command -v man > /dev/null 2>&1; then
    e=$(LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings -l "$P/share/man/man1/outagesim.1" 2>&1 > man.txt)
    if [ -z "$e" ] && grep -q "^NAME" man.txt && grep -q "outagesim sensitivity" man.txt &&
        [ "$man_th" = "$VERSION" ]; then
        ok "man -l renders outagesim.1 without warnings (version $man_th)"
    else
        bad "man page: warnings, missing sections or version '$man_th' (not $VERSION)" "$e"
    fi
else
    skip "man page not rendered: no man"
fi

# -------------------------------------------------------------- completion
# complete WORDS...: what the completion offers for the last word.
complete_words() {
    bash -c 'shopt -s extglob progcomp
        complete() { :; }; compopt() { :; }
        . "$1"; shift
        COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1))
        _outagesim; printf "%s\n" "${COMPREPLY[@]}" | sort | tr "\n" " "' \
        _ "$P/share/bash-completion/completions/outagesim" "$@"
}
cp "$SC" ./mini.yaml
cexp() {
    local want=$1 got
    shift
    got=$(PATH=$P/bin:$PATH complete_words "$@")
    if [ "$got" = "$want" ]; then ok "completion: ${*:2}| -> $want"; else
        bad "completion: '$*' gave '$got', wanted '$want'"; fi
}
cexp "replay report run " outagesim r
cexp "--format " outagesim plot --f
cexp "pdf png svg " outagesim plot res --format ""
cexp "active-standby all single-site " outagesim run mini.yaml --topology ""
cexp "population.users= " outagesim sweep mini.yaml --vary population.use
cexp "mini.yaml " outagesim validate mi
cexp "--max-replications " outagesim run mini.yaml --max

# -------------------------------------------------------------- uninstall
cd "$SRC" || exit 1
out=$($MAKE --no-print-directory uninstall DESTDIR="$D" PREFIX=$PREFIX 2>&1)
left=$(find "$D" ! -type d)
if [ -z "$left" ]; then ok "make uninstall removes every installed file"; else
    bad "make uninstall left files" "$out
$left"; fi

echo "$pass passed, $fail failed, $skipped skipped"
[ "$fail" -eq 0 ]
