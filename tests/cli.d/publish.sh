# Fault-injection tests of publication (sourced by tests/cli.sh): the unit of
# publication is a folder (sim/cli/publish.h).
# Invariant: whatever happens to a writer of OUT -- kill -9 at any step of
# publication, a full disk, an immutable file, a second writer, SIGTERM or
# Ctrl-C while plotting -- OUT holds exactly one complete run (every file names
# the same seed, replications and scenario hash), the old one or the new one;
# and after the next successful run no staging folder (.OUT.stage.*) is left.
# Readers refuse a folder whose files disagree.

Q="$TMP/publish.d" # every file of this fragment lives here: $TMP is shared
mkdir -p "$Q"
QS=scenarios/minimal.yaml
export OUTAGESIM_PLOTS="$PWD/plots"

# Helpers of tests/cli.sh when it has them; else these.
if ! declare -F skip >/dev/null; then
    skip() { echo "skip $1${2:+ ($2)}"; }
fi
if ! declare -F wait_for >/dev/null; then
    # wait_for SECONDS CMD...: poll CMD every 50 ms until it succeeds; 1 on timeout.
    wait_for() {
        local t=$(($1 * 20))
        shift
        while ! "$@" 2>/dev/null; do
            t=$((t - 1))
            [ "$t" -gt 0 ] || return 1
            sleep 0.05
        done
    }
fi

# stopped PID: the process stopped itself (state T in /proc/PID/stat).
stopped() { [ "$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null)" = T ]; }

# run_ident DIR: "SHA SEED A..B" when every data file of the run folder DIR
# names one run (and all are there); otherwise a line starting MIXED or MISSING.
run_ident() {
    local d=$1 f ids="" js
    for f in replications.csv summary.csv series-timeline.dat series-users.dat series-loss.dat \
        series-marks.dat; do
        [ -s "$d/$f" ] || {
            echo "MISSING $f"
            return
        }
        ids+=$(head -1 "$d/$f" | sed -n 's/.*sha256 \([0-9a-f]*\); seed \([0-9]*\); replications \([0-9]*\.\.[0-9]*\).*/\1 \2 \3/p')$'\n'
    done
    for f in results.json series.json; do
        [ -s "$d/$f" ] || {
            echo "MISSING $f"
            return
        }
        js=$(grep -m1 -o '"seed": [0-9]*' "$d/$f" | grep -o '[0-9]*$')
        ids+="seed-json $js"$'\n'
    done
    if [ -d "$d/plots" ]; then
        ids+="seed-json $(sed -n "s/^seed = '\([0-9]*\)'$/\1/p" "$d/plots/vars.gp")"$'\n'
    fi
    # Every CSV/.dat line must be the same, and every JSON seed that line's seed.
    local lines seed
    lines=$(grep -v '^seed-json' <<<"$ids" | sort -u | grep -c .)
    seed=$(grep -v '^seed-json' <<<"$ids" | head -1 | awk '{print $2}')
    if [ "$lines" != 1 ] || grep '^seed-json' <<<"$ids" | grep -qv "^seed-json $seed\$"; then
        echo "MIXED $(tr '\n' '|' <<<"$ids")"
        return
    fi
    grep -v '^seed-json' <<<"$ids" | head -1
}

# sweep_ident DIR: "SEED" when sweep.csv, sweep.json and plots/ name one sweep.
sweep_ident() {
    local d=$1 a b c
    a=$(head -1 "$d/sweep.csv" 2>/dev/null | sed -n 's/.*; seed \([0-9]*\);.*/\1/p')
    b=$(grep -m1 -o '"seed": [0-9]*' "$d/sweep.json" 2>/dev/null | grep -o '[0-9]*$')
    c=$(sed -n 's/.*·  seed \([0-9]*\)  ·.*/\1/p' "$d/plots/sweep-vars.gp" 2>/dev/null)
    if [ -n "$a" ] && [ "$a" = "$b" ] && [ "$a" = "$c" ]; then echo "$a"; else echo "MIXED $a/$b/$c"; fi
}

# one_run NAME DIR SEEDS: DIR holds one complete run whose seed is one of SEEDS.
one_run() {
    local id seed
    id=$(run_ident "$2")
    seed=$(awk '{print $2}' <<<"$id")
    if [[ "$id" == MIXED* || "$id" == MISSING* ]]; then
        bad "$1 ($id)"
    elif ! grep -qw "$seed" <<<"$3"; then
        bad "$1 (seed $seed, wanted one of $3)"
    else
        ok "$1"
    fi
}

# no_stage NAME DIR: no staging folder of DIR is left in its parent.
no_stage() {
    local left
    left=$(find "$(dirname "$2")" -maxdepth 1 -name ".$(basename "$2").stage.*" 2>/dev/null)
    if [ -z "$left" ]; then ok "$1"; else bad "$1" "$left"; fi
}

qrun() { "$BIN" run "$QS" --replications 40 --quiet "$@" >/dev/null; }

# ------------------------------------------------------------ kill -9 at each step

# kill_at CMD-NAME STEP OLD NEW OUT CMD...: with OUT holding seed OLD, run CMD
# (which writes seed NEW into OUT) stopped at STEP, kill -9 it there; OUT must
# hold OLD (before the swap) or NEW (from the swap on), whole.
kill_at() {
    local name=$1 step=$2 old=$3 new=$4 out=$5 pid want
    shift 5
    OUTAGESIM_TEST_PAUSE="publish:$step" "$@" >/dev/null 2>&1 &
    pid=$!
    if ! wait_for 60 stopped "$pid"; then
        kill -9 "$pid" 2>/dev/null
        wait "$pid" 2>/dev/null
        bad "publish: $name stops at $step (test hook)"
        return
    fi
    kill -9 "$pid"
    wait "$pid" 2>/dev/null
    case $step in
    locked | begun | staged | before-swap) want=$old ;;
    *) want=$new ;;
    esac
    one_run "publish: $name killed at $step leaves one whole run (seed $want)" "$out" "$want"
}

O="$Q/k/out"
mkdir -p "$Q/k"
qrun --seed 1 --out "$O"
for step in locked begun staged before-swap after-swap before-cleanup done; do
    kill_at "run" "$step" 1 2 "$O" "$BIN" run "$QS" --replications 40 --quiet --seed 2 --out "$O"
    # Put seed 1 back for the next step (and collect what the kill left).
    qrun --seed 1 --out "$O"
done
one_run "publish: run after the kills publishes whole" "$O" 1
no_stage "publish: no staging folder left after kills and a successful run" "$O"

# merge and sweep over an existing folder.
"$BIN" run "$QS" --quiet --seed 5 --from 0 --to 20 --out "$Q/k/p1" >/dev/null
"$BIN" run "$QS" --quiet --seed 5 --from 20 --to 40 --out "$Q/k/p2" >/dev/null
for step in before-swap after-swap; do
    kill_at "merge" "$step" 1 5 "$O" "$BIN" merge "$Q/k/p1" "$Q/k/p2" --quiet --out "$O"
    qrun --seed 1 --out "$O"
done
SW="$Q/k/sweep"
SV='topologies.*.services.*.failover_time=5m,30m'
"$BIN" sweep "$QS" --vary "$SV" --replications 10 --seed 1 --out "$SW" --quiet >/dev/null 2>&1
for step in staged after-swap; do
    OUTAGESIM_TEST_PAUSE="publish:$step" "$BIN" sweep "$QS" --vary "$SV" --replications 10 \
        --seed 2 --out "$SW" --quiet >/dev/null 2>&1 &
    pid=$!
    if wait_for 60 stopped "$pid"; then
        kill -9 "$pid"
        wait "$pid" 2>/dev/null
        id=$(sweep_ident "$SW")
        want=$([ "$step" = staged ] && echo 1 || echo 2)
        if [ "$id" = "$want" ]; then ok "publish: sweep killed at $step leaves one whole sweep"; else
            bad "publish: sweep killed at $step leaves one whole sweep (got $id, wanted $want)"
        fi
    else
        kill -9 "$pid" 2>/dev/null
        wait "$pid" 2>/dev/null
        bad "publish: sweep stops at $step (test hook)"
    fi
done
"$BIN" sweep "$QS" --vary "$SV" --replications 10 --seed 3 --out "$SW" --quiet >/dev/null 2>&1
[ "$(sweep_ident "$SW")" = 3 ] && ok "publish: sweep after kills is whole" ||
    bad "publish: sweep after kills is whole ($(sweep_ident "$SW"))"
no_stage "publish: no sweep staging folder left" "$SW"

# The published folder keeps the permissions of the one it replaces.
chmod 750 "$O"
qrun --seed 1 --out "$O"
[ "$(stat -c %a "$O")" = 750 ] && ok "publish: the new folder keeps OUT's permissions" ||
    bad "publish: the new folder keeps OUT's permissions ($(stat -c %a "$O"))"

# sensitivity: sensitivity.csv, sweep.csv, sweep.json and the tornado, as one.
sens_ident() {
    local d=$1 a b c e
    a=$(head -1 "$d/sensitivity.csv" 2>/dev/null | sed -n 's/.*; seed \([0-9]*\);.*/\1/p')
    b=$(head -1 "$d/sweep.csv" 2>/dev/null | sed -n 's/.*; seed \([0-9]*\);.*/\1/p')
    c=$(grep -m1 -o '"seed": [0-9]*' "$d/sweep.json" 2>/dev/null | grep -o '[0-9]*$')
    e=$(sed -n 's/.*·  seed \([0-9]*\)  ·.*/\1/p' "$d/plots/tornado-vars.gp" 2>/dev/null)
    if [ -n "$a" ] && [ "$a" = "$b" ] && [ "$a" = "$c" ] && [ "$a" = "$e" ]; then echo "$a"; else
        echo "MIXED $a/$b/$c/$e"
    fi
}
SE="$Q/k/sens"
"$BIN" sensitivity "$QS" --replications 10 --seed 1 --out "$SE" --quiet >/dev/null 2>&1
for step in before-swap after-swap; do
    OUTAGESIM_TEST_PAUSE="publish:$step" "$BIN" sensitivity "$QS" --replications 10 --seed 2 \
        --out "$SE" --quiet >/dev/null 2>&1 &
    pid=$!
    if wait_for 60 stopped "$pid"; then
        kill -9 "$pid"
        wait "$pid" 2>/dev/null
        id=$(sens_ident "$SE")
        want=$([ "$step" = before-swap ] && echo 1 || echo 2)
        [ "$id" = "$want" ] && ok "publish: sensitivity killed at $step leaves one whole set" ||
            bad "publish: sensitivity killed at $step leaves one whole set (got $id, wanted $want)"
    else
        kill -9 "$pid" 2>/dev/null
        wait "$pid" 2>/dev/null
        bad "publish: sensitivity stops at $step (test hook)"
    fi
done
"$BIN" sensitivity "$QS" --replications 10 --seed 3 --out "$SE" --quiet >/dev/null 2>&1
[ "$(sens_ident "$SE")" = 3 ] && ok "publish: sensitivity after kills is whole" ||
    bad "publish: sensitivity after kills is whole ($(sens_ident "$SE"))"
no_stage "publish: no sensitivity staging folder left" "$SE"

# ------------------------------------------------------------ readers check identity

M="$Q/mixed"
qrun --seed 1 --out "$M/a"
qrun --seed 2 --out "$M/b"
cp -r "$M/a" "$M/c"
cp "$M/b/series-users.dat" "$M/c/series-users.dat"
expect "publish: plot refuses a folder whose series-users.dat is of another run" 1 \
    "series-users.dat.*mixes two runs" "$BIN" plot "$M/c" --quiet
cp -r "$M/a" "$M/d"
cp "$M/b/summary.csv" "$M/d/summary.csv"
expect "publish: plot refuses a folder whose summary.csv is of another run" 1 \
    "summary.csv and results.json are not from one run" "$BIN" plot "$M/d" --quiet
cp -r "$M/a" "$M/e"
cp "$M/b/series.json" "$M/b"/series-*.dat "$M/e/"
expect "publish: plot refuses series of another run than results.json" 1 \
    "not from one run" "$BIN" plot "$M/e" --quiet
expect "publish: merge refuses a part that mixes runs" 1 "mixes two runs" \
    "$BIN" merge "$M/c" --quiet --out "$M/m"
[ ! -e "$M/m" ] && ok "publish: a refused merge writes nothing" ||
    bad "publish: a refused merge writes nothing"

# ------------------------------------------------------------ plot publishes a whole folder

P2="$Q/plot"
qrun --seed 1 --out "$P2" --plots
qrun --seed 2 --out "$P2"
[ ! -e "$P2/plots" ] && ok "publish: old plots do not survive a new run --out" ||
    bad "publish: old plots do not survive a new run --out"
expect "publish: plot draws into the folder" 0 "drew 7 figures" "$BIN" plot "$P2"
one_run "publish: plot's folder is one run with its figures" "$P2" 2
ino_before=$(stat -c %i "$P2/results.json")
"$BIN" plot "$P2" --quiet --format svg
[ "$(stat -c %i "$P2/results.json")" = "$ino_before" ] &&
    ok "publish: plot links the data files (never rewrites them)" ||
    bad "publish: plot links the data files (never rewrites them)"

# ------------------------------------------------------------ two writers

W="$Q/w/out"
mkdir -p "$Q/w"
qrun --seed 1 --out "$W"
OUTAGESIM_TEST_PAUSE=publish:locked "$BIN" run "$QS" --replications 40 --quiet --seed 2 \
    --out "$W" >/dev/null 2>&1 &
holder=$!
if wait_for 60 stopped "$holder"; then
    expect "publish: a second writer with --no-wait fails at once" 1 \
        "another outagesim \(pid $holder\) is writing .*--no-wait" \
        "$BIN" run "$QS" --replications 40 --quiet --seed 3 --out "$W" --no-wait
    "$BIN" run "$QS" --replications 40 --quiet --seed 4 --out "$W" >/dev/null 2>"$Q/w/err" &
    waiter=$!
    if wait_for 60 grep -q "waiting for another outagesim writing .*(pid $holder)" "$Q/w/err"; then
        ok "publish: a second writer waits, saying for whom"
    else
        bad "publish: a second writer waits, saying for whom" "$(cat "$Q/w/err")"
    fi
    one_run "publish: while both wait, OUT is the old run" "$W" 1
    kill -CONT "$holder"
    wait "$holder"
    rc1=$?
    wait "$waiter"
    rc2=$?
    [ "$rc1" = 0 ] && [ "$rc2" = 0 ] && ok "publish: both writers succeed, one after the other" ||
        bad "publish: both writers succeed, one after the other (exit $rc1, $rc2)"
    one_run "publish: the last writer's run is whole" "$W" 4
else
    kill -9 "$holder" 2>/dev/null
    wait "$holder" 2>/dev/null
    bad "publish: a writer stops at locked (test hook)"
fi
# Four writers at once, no hooks: never interleaved.
pids=""
for s in 11 12 13 14; do
    "$BIN" run "$QS" --replications 40 --quiet --seed $s --out "$W" --plots >/dev/null 2>&1 &
    pids="$pids $!"
done
rcs=""
for p in $pids; do
    wait "$p"
    rcs="$rcs$?"
done
[ "$rcs" = 0000 ] && ok "publish: four concurrent writers all succeed" ||
    bad "publish: four concurrent writers all succeed (exits $rcs)"
one_run "publish: after four concurrent writers OUT is one of their runs, whole" "$W" "11 12 13 14"
no_stage "publish: no staging folder after concurrent writers" "$W"

# Two plots and a run on one folder at once: they take turns, all succeed.
"$BIN" plot "$W" --quiet >/dev/null 2>&1 &
p1=$!
"$BIN" plot "$W" --quiet --format svg >/dev/null 2>&1 &
p2=$!
"$BIN" run "$QS" --replications 40 --quiet --seed 15 --out "$W" --plots >/dev/null 2>&1 &
p3=$!
wait "$p1"
r1=$?
wait "$p2"
r2=$?
wait "$p3"
r3=$?
[ "$r1$r2$r3" = 000 ] && ok "publish: two plots and a run on one folder all succeed" ||
    bad "publish: two plots and a run on one folder all succeed (exits $r1 $r2 $r3)"
one_run "publish: after two plots and a run OUT is whole" "$W" "11 12 13 14 15"

# ------------------------------------------------------------ SIGTERM and Ctrl-C while plotting

G="$Q/g"
mkdir -p "$G"
cat >"$G/slow-gnuplot" <<EOF
#!/bin/sh
echo \$\$ > "$G/started"
exec sleep 60
EOF
chmod +x "$G/slow-gnuplot"
qrun --seed 1 --out "$G/out" --plots
for sig in TERM INT; do
    rm -f "$G/started"
    # A background job of a script ignores SIGINT: give it back its default.
    OUTAGESIM_GNUPLOT="$G/slow-gnuplot" env --default-signal=INT "$BIN" plot "$G/out" --quiet \
        >/dev/null 2>&1 &
    pid=$!
    if wait_for 60 test -s "$G/started"; then
        kill -$sig "$pid"
        wait "$pid"
        rc=$?
        kill "$(cat "$G/started")" 2>/dev/null
        [ "$rc" != 0 ] && ok "publish: SIG$sig while plotting stops plot (exit $rc)" ||
            bad "publish: SIG$sig while plotting stops plot (exit 0)"
        one_run "publish: SIG$sig while plotting leaves one whole run with its figures" "$G/out" 1
        [ -s "$G/out/plots/timeline.png" ] && ok "publish: SIG$sig while plotting keeps the old figures" ||
            bad "publish: SIG$sig while plotting keeps the old figures"
    else
        kill -9 "$pid" 2>/dev/null
        wait "$pid" 2>/dev/null
        bad "publish: the slow gnuplot started (SIG$sig)"
    fi
done
rm -f "$G/started"
OUTAGESIM_GNUPLOT="$G/slow-gnuplot" "$BIN" run "$QS" --replications 40 --quiet --seed 2 \
    --out "$G/out" --plots >/dev/null 2>&1 &
pid=$!
if wait_for 60 test -s "$G/started"; then
    kill -TERM "$pid"
    wait "$pid"
    kill "$(cat "$G/started")" 2>/dev/null
    one_run "publish: SIGTERM while run --plots draws leaves one whole run" "$G/out" "1 2"
else
    kill -9 "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
    bad "publish: the slow gnuplot started (run --plots)"
fi
qrun --seed 3 --out "$G/out" --plots
one_run "publish: the next run --plots is whole" "$G/out" 3
no_stage "publish: no staging folder left after signals and the next run" "$G/out"

# ------------------------------------------------------------ full disk, immutable files (root)

if [ "$(id -u)" != 0 ]; then
    skip "publish: full disk on a small tmpfs" "needs root to mount"
    skip "publish: immutable files" "needs root for chattr +i"
else
    F="$Q/full"
    mkdir -p "$F"
    if mount -t tmpfs -o size=200k tmpfs "$F" 2>/dev/null; then
        qrun --seed 1 --out "$F/out"
        expect "publish: full disk: a second run fails" 1 "" qrun --seed 2 --out "$F/out" \
            --replications 60
        one_run "publish: full disk: OUT is the first run, whole" "$F/out" 1
        no_stage "publish: full disk: the failed stage is removed" "$F/out"
        rm -rf "$F/out"
        # The issue's case: a sweep over a sweep on a disk with room for one.
        "$BIN" sweep "$QS" --vary "$SV" --replications 10 --seed 1 --out "$F/sw" --quiet \
            >/dev/null 2>&1
        expect "publish: full disk: a second sweep fails" 1 "" "$BIN" sweep "$QS" \
            --vary 'topologies.*.services.*.failover_time=5m,30m,1h,2h' --replications 10 \
            --seed 2 --out "$F/sw" --quiet
        [ "$(sweep_ident "$F/sw")" = 1 ] && ok "publish: full disk: the first sweep is whole" ||
            bad "publish: full disk: the first sweep is whole ($(sweep_ident "$F/sw"))"
        no_stage "publish: full disk: the failed sweep's stage is removed" "$F/sw"
        umount "$F"
    else
        skip "publish: full disk on a small tmpfs" "mount -t tmpfs failed"
    fi
    I="$Q/imm"
    mkdir -p "$I"
    qrun --seed 1 --out "$I/out"
    if chattr +i "$I/out/results.json" 2>/dev/null; then
        expect "publish: an immutable file in OUT: the new run is published" 0 \
            "previous run's files .* cannot be removed" \
            "$BIN" run "$QS" --replications 40 --quiet --seed 2 --out "$I/out"
        one_run "publish: immutable file: OUT is the new run, whole" "$I/out" 2
        for f in "$I"/.out.stage.*/results.json; do chattr -i "$f"; done
        qrun --seed 3 --out "$I/out"
        no_stage "publish: immutable file: the old tree goes once it can" "$I/out"
        chattr +i "$I/out"
        expect "publish: an immutable OUT: the run fails, saying so" 1 "unchanged" \
            "$BIN" run "$QS" --replications 40 --quiet --seed 4 --out "$I/out"
        chattr -i "$I/out"
        one_run "publish: immutable OUT: OUT is the old run, whole" "$I/out" 3
        no_stage "publish: immutable OUT: no staging folder left" "$I/out"
    else
        skip "publish: immutable files" "chattr +i not supported here"
    fi
fi
