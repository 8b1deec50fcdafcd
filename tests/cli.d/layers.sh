# The include graph points one way (sourced by tests/cli.sh): tests/layers.py
# on this tree finds no include that goes up the module order, reaches into
# another module's *_int.h, or pulls libuv or a sim/ header into a public
# header. So that a silent checker cannot pass, it is first run on a copy of
# the tree with one planted include of each kind, and must name all three.

L="$TMP/layers"
mkdir -p "$L"
cp -r sim include "$L/"
printf '#include "sweep/sweep.h"\n' >>"$L/sim/core/error.c"     # (a) up the order
printf '#include "comp/comp_int.h"\n' >>"$L/sim/results/stats.c" # (b) another module's private header
printf '#include <uv.h>\n' >>"$L/include/outagesim/engine.h"    # (c) libuv in a public header
lout=$(python3 tests/layers.py "$L" 2>&1)
if [ $? -eq 1 ] &&
    grep -q 'sim/core/error.c:[0-9]*: includes sweep/sweep.h: .*(a)' <<<"$lout" &&
    grep -q 'sim/results/stats.c:[0-9]*: includes comp/comp_int.h: .*(b)' <<<"$lout" &&
    grep -q 'include/outagesim/engine.h:[0-9]*: includes uv.h: .*(c)' <<<"$lout"; then
    ok "layers: the checker names a planted upward, private and libuv include"
else
    bad "layers: the checker names a planted upward, private and libuv include" "$lout"
fi

if lout=$(python3 tests/layers.py . 2>&1); then
    ok "layers: includes point down the module order, no *_int.h crosses a module"
else
    bad "layers: includes point down the module order, no *_int.h crosses a module" "$lout"
fi
