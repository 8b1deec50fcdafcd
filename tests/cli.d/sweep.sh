# Command-line tests of `outagesim sweep` and `outagesim sensitivity` (sourced by tests/cli.sh).
# Invariants: bad axes and options exit 2 before anything runs, naming the
# problem; a sweep writes sweep.csv (one row per point, topology and metric),
# sweep.json and its figures; sensitivity writes its CSV and tornado; and
# build/outagesim-mpi under `mpirun -np 2` writes byte-identical files.
# The MPI binary is $OUTAGESIM_MPI (make test builds it when mpicc is
# there); without it the MPI check is skipped (a failure under CI=true).

S=scenarios/minimal.yaml
W="$TMP/sweep.d"
mkdir -p "$W"
SW_N=12 # replications per point: small, the sanitizer build is slow
VARY1='incident.north.power_cut.mean=1h,3h'
VARY2='incident.north.detection=10m:30m:3'

expect "sweep: help teaches --vary" 0 "LO:HI:STEPS" "$BIN" sweep --help
expect "sweep: no --vary" 2 "at least one --vary" "$BIN" sweep "$S"
expect "sweep: bad range" 2 "same unit suffix" "$BIN" sweep "$S" --vary 'x.y=30m:4h:3'
expect "sweep: no = in --vary" 2 "expected PATH=VALUES" "$BIN" sweep "$S" --vary nothing
expect "sweep: unknown path" 2 "point 1 .*no key 'nope'" "$BIN" sweep "$S" --vary nope.x=1,2 --quiet
expect "sweep: bad value at one point" 2 "point 2 \(incident.north.suppression.median=20h\)" \
    "$BIN" sweep "$S" --vary incident.north.suppression.median=2h,20h --quiet
expect "sweep: set and varied" 2 "both set" \
    "$BIN" sweep "$S" --vary "$VARY1" --set incident.north.power_cut.mean=2h
expect "sweep: unknown metric" 2 "no metric 'nope'" "$BIN" sweep "$S" --vary "$VARY1" --metric nope
expect "sweep: pattern matches nothing" 2 "matches no settable path" \
    "$BIN" sweep "$S" --vary 'services.*.nope=1,2'

"$BIN" sweep "$S" --vary "$VARY1" --vary "$VARY2" --replications $SW_N --quiet \
    --metric incident_cost_money --out "$W/one" >"$W/one.txt" 2>"$W/one.err"
rc=$?
if [ $rc -eq 0 ] && python3 - "$W/one" $SW_N <<'PYEOF'; then
import csv, json, sys
d, n = sys.argv[1], int(sys.argv[2])
rows = [r for r in csv.reader(l for l in open(d + "/sweep.csv") if not l.startswith("#"))]
head, body = rows[0], rows[1:]
assert head[:3] == ["point", "incident.north.power_cut.mean", "incident.north.detection"], head
pts = sorted(set(r[0] for r in body), key=int)
assert pts == [str(i) for i in range(1, 7)], pts
# first axis slowest: point 4 is power_cut 3h with detection 10m
p4 = [r for r in body if r[0] == "4"][0]
assert p4[1] == "3h" and p4[2] == "10m", p4
assert any(r[4] == "incident_cost_money" and r[6] == str(n) for r in body)
assert any(r[4] == "economics.net_annual_benefit_money" for r in body)
j = json.load(open(d + "/sweep.json"))
assert j["sweep"]["replications"] == n and len(j["points"]) == 6
assert j["sweep"]["axes"][1]["values"] == ["10m", "20m", "30m"]
assert j["points"][3]["values"] == {"incident.north.power_cut.mean": "3h",
                                    "incident.north.detection": "10m"}
assert j["points"][3]["result"]["replications"] == n
PYEOF
    ok "sweep: writes sweep.csv and sweep.json in grid order"
else
    bad "sweep: writes sweep.csv and sweep.json in grid order (exit $rc)" "$(cat "$W/one.err")"
fi
if command -v gnuplot >/dev/null 2>&1; then
    if [ -s "$W/one/plots/sweep-axis-1.png" ] && [ -s "$W/one/plots/sweep-axis-2.png" ] &&
        [ -s "$W/one/plots/sweep-heatmap.png" ]; then
        ok "sweep: draws a line plot per axis and a heat map"
    else
        bad "sweep: draws a line plot per axis and a heat map" "$(ls "$W/one/plots" 2>&1)"
    fi
else
    skip "sweep: draws a line plot per axis and a heat map" "no gnuplot on PATH"
fi
grep -q "incident_cost_money" "$W/one.txt" && ok "sweep: prints the table" ||
    bad "sweep: prints the table" "$(cat "$W/one.txt")"

# A point of the sweep is exactly a plain run with the same --set.
"$BIN" run "$S" --replications $SW_N --quiet --format json \
    --set incident.north.power_cut.mean=3h --set incident.north.detection=10m >"$W/run4.json"
if python3 - "$W/one/sweep.json" "$W/run4.json" <<'PYEOF'; then
import json, sys
a = json.load(open(sys.argv[1]))["points"][3]["result"]
b = json.load(open(sys.argv[2]))
assert a == b
PYEOF
    ok "sweep: a point equals a plain run with the same --set"
else
    bad "sweep: a point equals a plain run with the same --set"
fi

# Sensitivity: a tornado of two parameters.
"$BIN" sensitivity "$S" --params incident.north.suppression,services.chat.restart \
    --metric incident_cost_money --replications $SW_N --quiet --out "$W/sens" >"$W/sens.txt" 2>&1
rc=$?
if [ $rc -eq 0 ] && [ "$(grep -vc '^#' "$W/sens/sensitivity.csv")" = 3 ] &&
    grep -q "^1,incident.north.suppression\|^1,services.chat.restart" "$W/sens/sensitivity.csv"; then
    ok "sensitivity: ranks parameters, writes sensitivity.csv"
else
    bad "sensitivity: ranks parameters, writes sensitivity.csv (exit $rc)" "$(cat "$W/sens.txt")"
fi
if ! command -v gnuplot >/dev/null 2>&1; then
    skip "sensitivity: draws the tornado" "no gnuplot on PATH"
elif [ -s "$W/sens/plots/tornado.png" ]; then
    ok "sensitivity: draws the tornado"
else
    bad "sensitivity: draws the tornado" "$(cat "$W/sens.txt")"
fi
expect "sensitivity: bad range" 2 "0 < LO < HI" "$BIN" sensitivity "$S" --range 2:1
expect "sensitivity: not a parameter" 2 "not a number or distribution" \
    "$BIN" sensitivity "$S" --params scenario.name

# Scale-factor axes: x1 is the base run, x0.5 of a distribution is --set of
# every parameter halved, and the table labels points by their factor.
"$BIN" sweep "$S" --vary 'incident.north.suppression=x0.5,x1' --replications $SW_N --quiet \
    --no-plots --metric full_recovery_h --out "$W/scale" >"$W/scale.txt" 2>"$W/scale.err"
rc=$?
"$BIN" run "$S" --replications $SW_N --quiet --out "$W/scale-x1" >/dev/null 2>&1
"$BIN" run "$S" --replications $SW_N --quiet --out "$W/scale-half" \
    --set incident.north.suppression.median=3h --set incident.north.suppression.p95=5h \
    >/dev/null 2>&1
if [ $rc -eq 0 ] && python3 - "$W/scale/sweep.csv" "$W/scale-x1/summary.csv" \
    "$W/scale-half/summary.csv" <<'PYEOF'; then
import csv, sys
def rows(path, skip):
    return [r[skip:] for r in csv.reader(l for l in open(path) if not l.startswith("#"))][1:]
sweep = [r for r in csv.reader(l for l in open(sys.argv[1]) if not l.startswith("#"))][1:]
x05 = [r[2:] for r in sweep if r[0] == "1"]
x1 = [r[2:] for r in sweep if r[0] == "2"]
assert all(r[1] == "x0.5" for r in sweep if r[0] == "1")
assert x1 == rows(sys.argv[2], 0), "x1 differs from the base run"
assert x05 == rows(sys.argv[3], 0), "x0.5 differs from --set median=3h p95=5h"
assert x05 != x1
PYEOF
    ok "sweep: a factor axis: x1 is the base run, x0.5 is every parameter halved"
else
    bad "sweep: a factor axis: x1 is the base run, x0.5 is every parameter halved (exit $rc)" \
        "$(cat "$W/scale.err")"
fi
if grep -Eq '^ +1  x0\.5 ' "$W/scale.txt" && grep -q 'incident.north.suppression  ' "$W/scale.txt"
then
    ok "sweep: the table labels a factor axis x0.5 under its whole path"
else
    bad "sweep: the table labels a factor axis x0.5 under its whole path" "$(cat "$W/scale.txt")"
fi
expect "sweep: a range of factors" 0 '^ +3  x1\.5 ' "$BIN" sweep "$S" --quiet --replications 2 \
    --vary 'incident.north.power_cut=x0.5:x1.5:3'
expect "sweep: a distribution axis is labelled by its numbers" 0 \
    '^ +2  uniform min 30m max 1h  ' "$BIN" sweep "$S" --quiet --replications 2 \
    --vary 'incident.north.detection={dist: uniform, min: 5m, max: 30m},{dist: uniform, min: 30m, max: 1h}'
out=$("$BIN" sweep "$S" --quiet --replications 2 \
    --vary 'incident.north.detection={dist: uniform, min: 5m, max: 30m},{dist: uniform, min: 30m, max: 1h}' 2>&1)
if grep -q '{dist' <<<"$out"; then bad "sweep: the table shows no YAML" "$out"; else ok "sweep: the table shows no YAML"; fi

# --set PATH=xF scales a whole distribution in run (and so in sweep and sensitivity).
"$BIN" run "$S" --replications $SW_N --quiet --format json \
    --set incident.north.suppression=x0.5 >"$W/run-x05.json" 2>&1
if python3 - "$W/run-x05.json" "$W/scale-half/results.json" <<'PYEOF'; then
import json, sys
a, b = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
assert a["scenario"]["overrides"] != b["scenario"]["overrides"]
assert a["topologies"] == b["topologies"]
PYEOF
    ok "run: --set PATH=x0.5 equals --set of every parameter halved"
else
    bad "run: --set PATH=x0.5 equals --set of every parameter halved" "$(head -c 400 "$W/run-x05.json")"
fi
expect "run: --set of one key that breaks its distribution says how to move both" 2 \
    "minimal.yaml:30:53: .*set incident.north.suppression.p95 too, or scale the whole distribution with --set incident.north.suppression=xF" \
    "$BIN" run "$S" --replications 2 --quiet --set incident.north.suppression.median=20h

# No table cuts the names that tell its rows apart: a 60-character topology.
LONG=active-standby-whose-name-is-long-enough-to-be-cut-by-tables
sed "s/name: active-standby\$/name: $LONG/" "$S" >"$W/long.yaml"
out=$("$BIN" sweep "$W/long.yaml" --quiet --replications 2 \
    --vary "topologies.$LONG.services.*.failover_time=5m,2h" 2>&1)
if [ ${#LONG} -eq 60 ] && [ "$(grep -c -- "$LONG" <<<"$out")" -ge 1 ] &&
    grep -q "topologies.$LONG.services.\*.failover_time" <<<"$out"; then
    ok "sweep: a 60-character topology and its axis path are printed whole"
else
    bad "sweep: a 60-character topology and its axis path are printed whole" "$out"
fi
out=$("$BIN" run "$W/long.yaml" --quiet --replications 2 2>&1)
if [ "$(grep -c -- "^$LONG " <<<"$out")" -ge 2 ]; then
    ok "run: the tables print a 60-character topology whole"
else
    bad "run: the tables print a 60-character topology whole" "$out"
fi
out=$("$BIN" sensitivity "$W/long.yaml" --quiet --replications 2 --topology "$LONG" \
    --params "topologies.$LONG.services.chat.failover_time" --metric full_recovery_h 2>&1)
if grep -q "  topologies.$LONG.services.chat.failover_time  " <<<"$out"; then
    ok "sensitivity: a long parameter name is printed whole"
else
    bad "sensitivity: a long parameter name is printed whole" "$out"
fi

# MPI: mpirun -np 2 gives the same bytes as one process (odd blocks on purpose).
# The MPI program is $OUTAGESIM_MPI, else the release build's beside the
# sanitizer build ($B/asan/outagesim -> $B/outagesim-mpi), built here with
# `make` when mpicc is installed (make deps installs it as root).
MPI_BIN=${OUTAGESIM_MPI:-}
if [ -z "$MPI_BIN" ] && [ "$(basename "$(dirname "$BIN")")" = asan ]; then
    rel=$(dirname "$(dirname "$BIN")")
    MPI_BIN="$rel/outagesim-mpi"
    if command -v mpicc >/dev/null 2>&1; then
        make --no-print-directory -s B="$rel" A="$(dirname "$BIN")" "$MPI_BIN" >"$W/make-mpi.log" 2>&1 ||
            bad "sweep: make $MPI_BIN" "$(tail -20 "$W/make-mpi.log")"
    fi
fi
if [ -z "$MPI_BIN" ] || [ ! -x "$MPI_BIN" ] || ! command -v mpirun >/dev/null 2>&1; then
    skip "sweep: mpirun -np 2 is byte-identical to one process" \
        "no ${MPI_BIN:-build/outagesim-mpi} or no mpirun (make deps && make mpi)"
else
    MPIRUN=(mpirun --oversubscribe -np 2)
    [ "$(id -u)" = 0 ] && MPIRUN=(mpirun --allow-run-as-root --oversubscribe -np 2)
    "${MPIRUN[@]}" "$MPI_BIN" sweep "$S" --vary "$VARY1" --vary "$VARY2" --replications $SW_N \
        --quiet --no-plots --metric incident_cost_money --block 5 --out "$W/mpi" \
        >"$W/mpi.txt" 2>"$W/mpi.err"
    rc=$?
    "$BIN" sweep "$S" --vary "$VARY1" --vary "$VARY2" --replications $SW_N --quiet --no-plots \
        --metric incident_cost_money --out "$W/one-np" >"$W/one-np.txt" 2>&1
    if [ $rc -eq 0 ] && cmp -s "$W/mpi/sweep.csv" "$W/one-np/sweep.csv" &&
        cmp -s "$W/mpi/sweep.json" "$W/one-np/sweep.json" && cmp -s "$W/mpi.txt" "$W/one-np.txt"; then
        ok "sweep: mpirun -np 2 is byte-identical to one process"
    else
        bad "sweep: mpirun -np 2 is byte-identical to one process (exit $rc)" "$(cat "$W/mpi.err")"
    fi
fi
