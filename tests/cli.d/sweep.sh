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
    --metric incident_cost_krw --out "$W/one" >"$W/one.txt" 2>"$W/one.err"
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
assert any(r[4] == "incident_cost_krw" and r[6] == str(n) for r in body)
assert any(r[4] == "economics.net_annual_benefit_krw" for r in body)
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
grep -q "incident_cost_krw" "$W/one.txt" && ok "sweep: prints the table" ||
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
    --metric incident_cost_krw --replications $SW_N --quiet --out "$W/sens" >"$W/sens.txt" 2>&1
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
        --quiet --no-plots --metric incident_cost_krw --block 5 --out "$W/mpi" \
        >"$W/mpi.txt" 2>"$W/mpi.err"
    rc=$?
    "$BIN" sweep "$S" --vary "$VARY1" --vary "$VARY2" --replications $SW_N --quiet --no-plots \
        --metric incident_cost_krw --out "$W/one-np" >"$W/one-np.txt" 2>&1
    if [ $rc -eq 0 ] && cmp -s "$W/mpi/sweep.csv" "$W/one-np/sweep.csv" &&
        cmp -s "$W/mpi/sweep.json" "$W/one-np/sweep.json" && cmp -s "$W/mpi.txt" "$W/one-np.txt"; then
        ok "sweep: mpirun -np 2 is byte-identical to one process"
    else
        bad "sweep: mpirun -np 2 is byte-identical to one process (exit $rc)" "$(cat "$W/mpi.err")"
    fi
fi
