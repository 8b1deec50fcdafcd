# A catalogue run split and spread (sourced by tests/cli.sh): parts of a
# catalogue (run --from/--to) merged, and `outagesim-mpi run` over two
# ranks, write every file of one process byte for byte (results.json with
# its risk block, summary.csv, replications.csv, the series and each
# incidents/NAME/ event table), and print the same tables. merge refuses
# parts that cannot make one catalogue run: a part without an incident's
# event table, a gap, a part of a single-incident run, another
# --risk-years.

CX=scenarios/examples/catalogue.yaml
CQ="$TMP/catsplit.d" # every file of this fragment lives here: $TMP is shared
mkdir -p "$CQ"
CS_N=200
CS_RUN=(--risk-years 20000 --quiet)

# same_tree NAME A B: folders A and B hold the same files, byte for byte,
# and A holds the event table of each incident (so that an empty pair
# cannot pass).
same_tree() {
    local out
    if [ ! -f "$2/incidents/fire-north/replications.csv" ] ||
        [ ! -f "$2/incidents/fire-south/results.json" ] || [ ! -f "$2/results.json" ]; then
        bad "$1 (no event tables in $2)" "$(ls -R "$2" 2>&1 | head)"
    elif out=$(diff -r "$2" "$3" 2>&1); then
        ok "$1"
    else
        bad "$1" "$(head -10 <<<"$out")"
    fi
}

# The whole run, one process, one thread: the reference.
"$BIN" run $CX --replications $CS_N --threads 1 "${CS_RUN[@]}" --out "$CQ/whole" \
    >"$CQ/whole.txt" 2>"$CQ/whole.err" || bad "catsplit: the whole run" "$(cat "$CQ/whole.err")"

# Three parts with odd edges, on 2 threads and another chunk, merged in another order.
"$BIN" run $CX --from 0 --to 70 --threads 2 --chunk 7 "${CS_RUN[@]}" --out "$CQ/p1" >/dev/null
"$BIN" run $CX --from 70 --to 121 --threads 1 "${CS_RUN[@]}" --out "$CQ/p2" >/dev/null
"$BIN" run $CX --from 121 --to $CS_N --threads 2 "${CS_RUN[@]}" --out "$CQ/p3" >/dev/null
expect "catsplit: merge of a catalogue's parts rebuilds its year table" 0 \
    "merged 3 parts of a catalogue of 2 incidents: replications 0\.\.$((CS_N - 1))" \
    "$BIN" merge "$CQ/p3" "$CQ/p1" "$CQ/p2" --out "$CQ/merged"
same_tree "catsplit: --from/--to x3 + merge is byte-identical to one run (every file)" \
    "$CQ/whole" "$CQ/merged"
"$BIN" merge "$CQ/p1" "$CQ/p2" "$CQ/p3" --quiet >"$CQ/merged.txt" 2>&1
cmp -s "$CQ/whole.txt" "$CQ/merged.txt" && ok "catsplit: merge prints the tables of one run" ||
    bad "catsplit: merge prints the tables of one run" "$(diff "$CQ/whole.txt" "$CQ/merged.txt" | head)"
# The part's own risk block is over its own range: not the whole run's.
if cmp -s "$CQ/p1/results.json" "$CQ/whole/results.json"; then
    bad "catsplit: a part's document differs from the whole run's (control)"
else
    ok "catsplit: a part's document differs from the whole run's (control)"
fi

# The same run on 2 threads (the thread count is no input either).
"$BIN" run $CX --replications $CS_N --threads 2 --chunk 5 "${CS_RUN[@]}" --out "$CQ/t2" >/dev/null
same_tree "catsplit: 1 and 2 threads are byte-identical (every file)" "$CQ/whole" "$CQ/t2"

# Refusals.
cp -r "$CQ/p3" "$CQ/p3-cut" && rm -rf "$CQ/p3-cut/incidents/fire-south"
expect "catsplit: merge refuses a part without an incident's event table" 2 \
    "has no incidents/fire-south/" "$BIN" merge "$CQ/p1" "$CQ/p2" "$CQ/p3-cut" --quiet
expect "catsplit: merge refuses an incomplete range, naming the missing part" 2 \
    "run them with --from 70 --to 121" "$BIN" merge "$CQ/p1" "$CQ/p3" --quiet
"$BIN" run scenarios/minimal.yaml --from 121 --to $CS_N --quiet --out "$CQ/single" >/dev/null
expect "catsplit: merge refuses a catalogue's part beside a one-incident run's" 2 \
    "is a part of a catalogue run \(incidents:\) and .* is not" \
    "$BIN" merge "$CQ/p1" "$CQ/p2" "$CQ/single" --quiet
"$BIN" run $CX --from 121 --to $CS_N --risk-years 30000 --quiet --out "$CQ/p3-years" >/dev/null
expect "catsplit: merge refuses parts of another --risk-years" 2 "different catalogues" \
    "$BIN" merge "$CQ/p1" "$CQ/p2" "$CQ/p3-years" --quiet
expect "catsplit: --precision is still refused for a catalogue" 2 \
    "--precision cannot be combined with incidents" \
    "$BIN" run $CX --replications 20 --precision incident_cost_money=0.1 --quiet

# MPI: outagesim-mpi run over two ranks. The MPI program is $OUTAGESIM_MPI,
# else the release build's beside the sanitizer build, built here when
# mpicc is installed (as stream.sh and sweep.sh do).
MPI_BIN=${OUTAGESIM_MPI:-${MPI_BIN:-}}
if [ -z "$MPI_BIN" ] && [ "$(basename "$(dirname "$BIN")")" = asan ]; then
    rel=$(dirname "$(dirname "$BIN")")
    MPI_BIN="$rel/outagesim-mpi"
    if command -v mpicc >/dev/null 2>&1; then
        make --no-print-directory -s B="$rel" A="$(dirname "$BIN")" "$MPI_BIN" \
            >"$CQ/make-mpi.log" 2>&1 || bad "catsplit: make $MPI_BIN" "$(tail -20 "$CQ/make-mpi.log")"
    fi
fi
if [ -z "${MPI_BIN:-}" ] || [ ! -x "$MPI_BIN" ] || ! command -v mpirun >/dev/null 2>&1; then
    skip "catsplit: mpirun -np 2 run of a catalogue is byte-identical to one process" \
        "no ${MPI_BIN:-build/outagesim-mpi} or no mpirun (make deps && make mpi)"
else
    MPIRUN=(mpirun --oversubscribe -np 2)
    [ "$(id -u)" = 0 ] && MPIRUN=(mpirun --allow-run-as-root --oversubscribe -np 2)
    "${MPIRUN[@]}" "$MPI_BIN" run $CX --replications $CS_N --threads 1 --chunk 9 "${CS_RUN[@]}" \
        --out "$CQ/mpi" >"$CQ/mpi.txt" 2>"$CQ/mpi.err" ||
        bad "catsplit: mpirun -np 2 run of a catalogue" "$(cat "$CQ/mpi.err")"
    same_tree "catsplit: mpirun -np 2 run of a catalogue is byte-identical to one process" \
        "$CQ/whole" "$CQ/mpi"
    cmp -s "$CQ/whole.txt" "$CQ/mpi.txt" &&
        ok "catsplit: mpirun -np 2 run of a catalogue prints the same tables" ||
        bad "catsplit: mpirun -np 2 run of a catalogue prints the same tables" \
            "$(diff "$CQ/whole.txt" "$CQ/mpi.txt" | head)"
    # A part of a catalogue over MPI, merged with a one-process part.
    "${MPIRUN[@]}" "$MPI_BIN" run $CX --from 0 --to 121 --threads 1 "${CS_RUN[@]}" \
        --out "$CQ/mpi-p" >/dev/null 2>&1
    "$BIN" merge "$CQ/mpi-p" "$CQ/p3" --quiet --out "$CQ/mpi-merged" >/dev/null 2>&1
    same_tree "catsplit: an MPI part merged with a one-process part is byte-identical" \
        "$CQ/whole" "$CQ/mpi-merged"
fi
