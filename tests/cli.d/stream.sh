# Command-line tests of long runs (sourced by tests/cli.sh): rows kept on
# disk beyond --rows-memory, replications.csv opt-in above 100,000
# replications, and `outagesim-mpi run` over two ranks.
# Invariants: a run whose rows go to disk writes the bytes of the same run
# in memory (5,000 replications with --rows-memory 0 take the passes over
# the file, not a copy in memory), for 1 and 2 threads, for --from/--to
# parts and their merge, and under mpirun -np 2; the temporary file is
# unlinked while the run works (it is never left behind, even by SIGKILL);
# an unwritable TMPDIR is an error that writes nothing.

S=scenarios/minimal.yaml
Q="$TMP/stream.d" # every file of this fragment lives here: $TMP is shared
mkdir -p "$Q/tmp"
ST_N=5000 # above the 4096 values a summary holds at --rows-memory 0

# same_files NAME A B: the result files of folders A and B are equal.
same_files() {
    local f
    for f in results.json summary.csv replications.csv series.json series-users.dat; do
        if ! cmp -s "$2/$f" "$3/$f"; then
            bad "$1 ($f differs)" "$(diff "$2/$f" "$3/$f" 2>&1 | head -5)"
            return
        fi
    done
    ok "$1"
}

# no_spill_left NAME: nothing of ours is left in $Q/tmp.
no_spill_left() {
    local left
    left=$(find "$Q/tmp" -name '.outagesim-rows-*' 2>/dev/null)
    [ -z "$left" ] && ok "$1" || bad "$1" "$left"
}

"$BIN" run "$S" --replications $ST_N --quiet --threads 2 --out "$Q/mem" >"$Q/mem.txt" 2>&1 ||
    bad "stream: the run in memory" "$(cat "$Q/mem.txt")"
TMPDIR="$Q/tmp" "$BIN" run "$S" --replications $ST_N --quiet --threads 2 --rows-memory 0 \
    --out "$Q/disk" >"$Q/disk.txt" 2>&1
same_files "stream: rows on disk give the bytes of rows in memory" "$Q/mem" "$Q/disk"
cmp -s "$Q/mem.txt" "$Q/disk.txt" && ok "stream: rows on disk print the same tables" ||
    bad "stream: rows on disk print the same tables" "$(diff "$Q/mem.txt" "$Q/disk.txt" | head)"
TMPDIR="$Q/tmp" "$BIN" run "$S" --replications $ST_N --quiet --threads 1 --chunk 7 \
    --rows-memory 0 --out "$Q/disk1" >/dev/null 2>&1
same_files "stream: rows on disk, 1 thread and odd chunks: the same bytes" "$Q/mem" "$Q/disk1"
no_spill_left "stream: a finished run leaves no temporary file"

# Parts on disk, merged: the whole run.
TMPDIR="$Q/tmp" "$BIN" run "$S" --from 0 --to 2100 --quiet --rows-memory 0 --out "$Q/p1" >/dev/null 2>&1
TMPDIR="$Q/tmp" "$BIN" run "$S" --from 2100 --to $ST_N --quiet --rows-memory 0 --out "$Q/p2" \
    >/dev/null 2>&1
"$BIN" merge "$Q/p2" "$Q/p1" --out "$Q/merged" --quiet >/dev/null 2>&1
for f in results.json summary.csv replications.csv; do
    cmp -s "$Q/mem/$f" "$Q/merged/$f" || { bad "stream: parts on disk merge into the whole run ($f)"; f=x; break; }
done
[ "$f" = x ] || ok "stream: parts on disk merge into the whole run"

# --precision with the rows on disk: the same run length and bytes.
"$BIN" run "$S" --replications 500 --precision incident_cost_money=0.02 --max-replications 9000 \
    --quiet --format json >"$Q/prec-mem.json" 2>/dev/null
TMPDIR="$Q/tmp" "$BIN" run "$S" --replications 500 --precision incident_cost_money=0.02 \
    --max-replications 9000 --quiet --format json --rows-memory 0 >"$Q/prec-disk.json" 2>/dev/null
# (0.02 is not reached by 9,000: every batch's decision read the file, past 4,096 values.)
if cmp -s "$Q/prec-mem.json" "$Q/prec-disk.json" && grep -q '"replications": 9000' "$Q/prec-mem.json"; then
    ok "stream: --precision with rows on disk: the same bytes"
else
    bad "stream: --precision with rows on disk: the same bytes" "$(diff "$Q/prec-mem.json" "$Q/prec-disk.json" | head)"
fi

# While the run works its file is open and already unlinked: a SIGKILL
# cannot leave it behind.
TMPDIR="$Q/tmp" "$BIN" run "$S" --replications 3000000 --quiet --rows-memory 0 --threads 1 \
    >/dev/null 2>&1 &
kpid=$!
if wait_for 60 sh -c "ls -l /proc/$kpid/fd 2>/dev/null | grep -q 'outagesim-rows-.*(deleted)'"; then
    ok "stream: the rows' file is unlinked while the run uses it"
else
    bad "stream: the rows' file is unlinked while the run uses it" "$(ls -l /proc/$kpid/fd 2>&1)"
fi
kill -KILL $kpid 2>/dev/null
{ wait $kpid; } 2>/dev/null
no_spill_left "stream: SIGKILL leaves no temporary file"

# A TMPDIR where nothing can be made: exit 1, a message naming it, nothing written.
expect "stream: an unusable TMPDIR is an error naming it" 1 "$Q/nowhere.*temporary file" \
    env TMPDIR="$Q/nowhere" "$BIN" run "$S" --replications 50 --rows-memory 0 --quiet --out "$Q/never"
[ -e "$Q/never" ] && bad "stream: a failed run writes no folder" || ok "stream: a failed run writes no folder"

# --plots needs the rows in memory: refused before the run.
expect "stream: --plots with rows on disk is refused" 2 "--plots needs every row in memory" \
    "$BIN" run "$S" --replications 50 --rows-memory 0 --plots --out "$Q/plots"

# Above 100,000 replications replications.csv is opt-in, and merge says so.
"$BIN" run "$S" --replications 100001 --quiet --threads 2 --out "$Q/big" >"$Q/big.txt" 2>&1
if [ -s "$Q/big/results.json" ] && [ ! -e "$Q/big/replications.csv" ] &&
    grep -q "holds no replications.csv.*--replications-csv" "$Q/big.txt"; then
    ok "stream: above 100,000 replications replications.csv is left out, and the run says so"
else
    bad "stream: above 100,000 replications replications.csv is left out" "$(ls "$Q/big"; cat "$Q/big.txt")"
fi
expect "stream: merge of a run without replications.csv says how to get it" 2 \
    "replications.csv: no such file.*--replications-csv" "$BIN" merge "$Q/big" --out "$Q/big-m"
"$BIN" run "$S" --from 100001 --to 200002 --quiet --threads 2 --replications-csv \
    --out "$Q/big2" >/dev/null 2>&1
if [ "$(grep -vc '^#' "$Q/big2/replications.csv" 2>/dev/null)" = $((2 * 100001 + 1)) ]; then
    ok "stream: --replications-csv writes it above 100,000 replications"
else
    bad "stream: --replications-csv writes it above 100,000 replications" "$(ls "$Q/big2")"
fi

# MPI: outagesim-mpi run over two ranks writes the bytes of one process,
# rows in memory and on disk. The MPI program is $OUTAGESIM_MPI, else the
# release build's beside the sanitizer build, built here when mpicc is
# installed (as sweep.sh does; this file is sourced first).
MPI_BIN=${OUTAGESIM_MPI:-${MPI_BIN:-}}
if [ -z "$MPI_BIN" ] && [ "$(basename "$(dirname "$BIN")")" = asan ]; then
    rel=$(dirname "$(dirname "$BIN")")
    MPI_BIN="$rel/outagesim-mpi"
    if command -v mpicc >/dev/null 2>&1; then
        make --no-print-directory -s B="$rel" A="$(dirname "$BIN")" "$MPI_BIN" >"$Q/make-mpi.log" 2>&1 ||
            bad "stream: make $MPI_BIN" "$(tail -20 "$Q/make-mpi.log")"
    fi
fi
if [ -z "${MPI_BIN:-}" ] || [ ! -x "$MPI_BIN" ] || ! command -v mpirun >/dev/null 2>&1; then
    skip "stream: mpirun -np 2 run is byte-identical to one process" \
        "no ${MPI_BIN:-build/outagesim-mpi} or no mpirun (make deps && make mpi)"
else
    MPIRUN=(mpirun --oversubscribe -np 2)
    [ "$(id -u)" = 0 ] && MPIRUN=(mpirun --allow-run-as-root --oversubscribe -np 2)
    "${MPIRUN[@]}" "$MPI_BIN" run "$S" --replications $ST_N --quiet --threads 1 --chunk 9 \
        --out "$Q/mpi" >"$Q/mpi.txt" 2>"$Q/mpi.err" ||
        bad "stream: mpirun -np 2 run" "$(cat "$Q/mpi.err")"
    same_files "stream: mpirun -np 2 run is byte-identical to one process" "$Q/mem" "$Q/mpi"
    cmp -s "$Q/mem.txt" "$Q/mpi.txt" && ok "stream: mpirun -np 2 run prints the same tables" ||
        bad "stream: mpirun -np 2 run prints the same tables" "$(diff "$Q/mem.txt" "$Q/mpi.txt" | head)"
    TMPDIR="$Q/tmp" "${MPIRUN[@]}" "$MPI_BIN" run "$S" --replications $ST_N --quiet --threads 2 \
        --rows-memory 0 --out "$Q/mpi-disk" >/dev/null 2>"$Q/mpi-disk.err"
    same_files "stream: mpirun -np 2 run with rows on disk is byte-identical" "$Q/mem" "$Q/mpi-disk"
    expect "stream: mpirun -np 2 run refuses --precision" 2 "--precision cannot run over MPI" \
        "${MPIRUN[@]}" "$MPI_BIN" run "$S" --replications 50 --precision incident_cost_money=0.1 --quiet
fi
