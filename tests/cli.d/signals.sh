# shellcheck shell=bash
# Signals a batch system sends (issue 14): SIGTERM and SIGHUP do what Ctrl-C
# (SIGINT) does -- the completed work is kept, marked interrupted, published
# whole, and the exit code is 128 + the signal (130, 143, 129) -- for run,
# sweep (whose completed points `sweep --resume` completes, byte for byte as
# a sweep never stopped), plot and replay. A reader of stdout that goes away
# ends the command quietly with 141, the files of --out whole.
#
# Every signal is sent on an observable sign (a progress line on a
# pseudo-terminal, a narration line, a marker a stand-in gnuplot writes),
# never after a fixed sleep; the 120 s bounds only guard against hangs.
G=$TMP/signals
mkdir -p "$G"
GS=scenarios/kakao-pangyo-2022.yaml

sig_code() {
    case $1 in
    INT) echo 130 ;;
    TERM) echo 143 ;;
    HUP) echo 129 ;;
    esac
}

# signal_on_sign SIG PATTERN LOG OUT CMD...: start CMD with stderr on a
# terminal (on_tty), wait until LOG matches PATTERN, send SIG to CMD and wait
# for it. sig_rc: CMD's exit code, or "none (why)".
signal_on_sign() {
    local sig=$1 pat=$2 log=$3 out=$4
    shift 4
    sig_rc=
    if ! on_tty "$out" "$log" "$@"; then
        sig_rc="none (did not start)"
        return
    fi
    if ! wait_for 120 grep -saqE "$pat" "$log"; then
        kill -KILL "$cmd_pid" 2>/dev/null
        wait "$tty_pid"
        sig_rc="none (no sign /$pat/ in its stderr)"
        return
    fi
    kill -"$sig" "$cmd_pid"
    if wait_for 120 gone "$tty_pid"; then
        wait "$tty_pid"
        sig_rc=$?
    else
        kill -KILL "$cmd_pid" 2>/dev/null
        wait "$tty_pid"
        sig_rc="none (still running after SIG$sig)"
    fi
}

# A run folder is whole: every file, no staging left, and every data file
# names the same range as results.json (which says interrupted: true).
run_folder_whole() {
    local d=$1 f to
    for f in results.json summary.csv replications.csv series.json series-timeline.dat \
        series-users.dat series-loss.dat series-marks.dat; do
        [ -s "$d/$f" ] || { echo "missing $f"; return 1; }
    done
    # Staging (publish.h) is a hidden folder beside the output, temporary files inside it.
    if compgen -G "$(dirname "$d")/.$(basename "$d").stage.*" >/dev/null ||
        compgen -G "$d/.*.tmp" >/dev/null; then
        echo "staging left: $(ls -a "$d" "$(dirname "$d")")"
        return 1
    fi
    to=$(python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
assert d["interrupted"] is True, "not marked interrupted"
assert 0 < d["replications"] == d["to"] - d["from"], "no completed replications"
print(d["to"])
' "$d/results.json") || return 1
    for f in summary.csv replications.csv; do
        head -1 "$d/$f" | grep -q "replications 0\.\.$((to - 1)); interrupted" ||
            { echo "$f: $(head -1 "$d/$f")"; return 1; }
    done
}

if ! command -v script >/dev/null 2>&1; then
    skip "signals: run, sweep stopped by SIGTERM, SIGHUP, SIGINT" \
        "no script(1) to give the command a terminal for its progress line"
else
    # run: stop once the progress line shows 100 or more replications done.
    for sig in TERM HUP INT; do
        want=$(sig_code $sig)
        signal_on_sign $sig '[1-9][0-9]{2,}/200000 replications' "$G/run-$sig.tty" \
            "$G/run-$sig.out" "$BIN" run "$GS" --incident fire-pangyo --replications 200000 --out "$G/run-$sig"
        if [ "$sig_rc" != "$want" ]; then
            bad "signals: run stopped by SIG$sig exits $want (got $sig_rc)" \
                "$(tr '\r' '\n' <"$G/run-$sig.tty" | tail -4)"
            continue
        fi
        ok "signals: run stopped by SIG$sig exits $want"
        if why=$(run_folder_whole "$G/run-$sig" 2>&1); then
            ok "signals: run stopped by SIG$sig publishes a whole folder marked interrupted"
        else
            bad "signals: run stopped by SIG$sig publishes a whole folder marked interrupted" "$why"
        fi
        if grep -q "INTERRUPTED" "$G/run-$sig.out" && grep -aq "(SIG$sig)" "$G/run-$sig.tty"; then
            ok "signals: run stopped by SIG$sig says so (table and stderr)"
        else
            bad "signals: run stopped by SIG$sig says so (table and stderr)" \
                "$(head -3 "$G/run-$sig.out"; tr '\r' '\n' <"$G/run-$sig.tty" | tail -3)"
        fi
    done

    # sweep: three points of N; stop once the first point is done (the
    # progress line counts N or more of 3N), keep it, resume the rest.
    SV='topologies.dual-active-standby.services.*.failover_time=5m,30m,2h'
    SN=3000
    "$BIN" sweep "$GS" --vary "$SV" --replications $SN --out "$G/sw-whole" --no-plots --quiet \
        >"$G/sw-whole.out" 2>&1
    for sig in TERM HUP INT; do
        want=$(sig_code $sig)
        D=$G/sw-$sig
        signal_on_sign $sig "([3-8][0-9]{3})/9000 replications" "$D.tty" "$D.out" \
            "$BIN" sweep "$GS" --vary "$SV" --replications $SN --out "$D" --no-plots
        if [ "$sig_rc" != "$want" ]; then
            bad "signals: sweep stopped by SIG$sig exits $want (got $sig_rc)" \
                "$(tr '\r' '\n' <"$D.tty" | tail -4)"
            continue
        fi
        if python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
assert d["interrupted"] is True and d["complete_points"].startswith("1")
done = [p for p in d["points"] if p.get("complete", True)]
assert done and all(p["result"] is not None for p in done)
assert any(p.get("complete") is False and p["result"] is None for p in d["points"])
' "$D/sweep.json" 2>/dev/null && head -1 "$D/sweep.csv" | grep -q "; interrupted; complete points 1" &&
            [ -s "$D/sweep.resume" ]; then
            ok "signals: sweep stopped by SIG$sig exits $want and keeps its complete points"
        else
            bad "signals: sweep stopped by SIG$sig exits $want and keeps its complete points" \
                "$(ls -a "$D"; head -1 "$D/sweep.csv"; tr '\r' '\n' <"$D.tty" | tail -3)"
            continue
        fi
        if [ $sig = TERM ]; then
            if ! python3 -c 'import jsonschema' 2>/dev/null; then
                skip "signals: an interrupted sweep.json follows docs/schemas/sweep.schema.json" \
                    "no python3 jsonschema"
            elif out=$(python3 -c '
import json, sys, jsonschema
jsonschema.validate(json.load(open(sys.argv[1])), json.load(open(sys.argv[2])))
' "$D/sweep.json" docs/schemas/sweep.schema.json 2>&1); then
                ok "signals: an interrupted sweep.json follows docs/schemas/sweep.schema.json"
            else
                bad "signals: an interrupted sweep.json follows docs/schemas/sweep.schema.json" \
                    "$(tail -5 <<<"$out")"
            fi
            cp -r "$D" "$D-other"
            expect "signals: sweep --resume of another sweep (seed) is refused, saying why" 2 \
                "another sweep: its seed is 1 there, 2 here" \
                "$BIN" sweep "$GS" --vary "$SV" --replications $SN --seed 2 --resume "$D-other" \
                --no-plots --quiet
            expect "signals: sweep --resume with other axes is refused" 2 "another sweep: its" \
                "$BIN" sweep "$GS" --vary "${SV%,2h}" --replications $SN --resume "$D-other" \
                --no-plots --quiet
            if cmp -s "$D/sweep.resume" "$D-other/sweep.resume"; then
                ok "signals: a refused --resume leaves the folder as it was"
            else
                bad "signals: a refused --resume leaves the folder as it was"
            fi
        fi
        "$BIN" sweep "$GS" --vary "$SV" --replications $SN --resume "$D" --no-plots \
            >"$D.resumed.out" 2>"$D.resumed.err"
        rc=$?
        if [ $rc = 0 ] && cmp -s "$D/sweep.csv" "$G/sw-whole/sweep.csv" &&
            cmp -s "$D/sweep.json" "$G/sw-whole/sweep.json" && [ ! -e "$D/sweep.resume" ] &&
            grep -q "points done there" "$D.resumed.err"; then
            ok "signals: sweep --resume after SIG$sig equals a whole sweep byte for byte"
        else
            bad "signals: sweep --resume after SIG$sig equals a whole sweep byte for byte (exit $rc)" \
                "$(cat "$D.resumed.err"; ls -a "$D"; diff "$D/sweep.csv" "$G/sw-whole/sweep.csv" | head -3)"
        fi
    done
    # sensitivity: a swing set is written whole or not at all.
    signal_on_sign TERM "[1-9][0-9]{2,}/[0-9]+ replications" "$G/sens.tty" "$G/sens.out" \
        "$BIN" sensitivity "$GS" --params incident.pangyo.suppression --replications 20000 \
        --out "$G/sens" --no-plots
    if [ "$sig_rc" = 143 ] && [ ! -e "$G/sens/sweep.json" ] && [ ! -e "$G/sens/sensitivity.csv" ] &&
        grep -aq "interrupted (SIGTERM).*nothing will be written" "$G/sens.tty"; then
        ok "signals: sensitivity stopped by SIGTERM exits 143 and writes nothing"
    else
        bad "signals: sensitivity stopped by SIGTERM exits 143 and writes nothing (got $sig_rc)" \
            "$(ls -a "$G/sens" 2>&1; tr '\r' '\n' <"$G/sens.tty" | tail -3)"
    fi
fi
expect "signals: sweep --resume of a folder with no interrupted sweep is refused" 2 \
    "no interrupted sweep here" \
    "$BIN" sweep "$GS" --vary 'topologies.dual-active-standby.services.*.failover_time=5m,30m,2h' \
    --replications 3000 --resume "$G/nothing" --no-plots --quiet

# plot: a stand-in gnuplot notes that it started and waits (up to 120 s) to
# be released; the signal goes to outagesim alone (as kill or a batch system
# sends it), once the stand-in has started: plot kills it at once (it is
# never released), keeps no new figure and exits 128 + signal.
"$BIN" run "$GS" --replications 20 --out "$G/pl" --quiet >/dev/null 2>&1
cat >"$G/fake-gnuplot" <<'EOF'
#!/bin/sh
echo $$ >>"$SIG_MARK"
i=0
while [ ! -e "$SIG_RELEASE" ] && [ $i -lt 2400 ]; do sleep 0.05; i=$((i + 1)); done
exit 0
EOF
chmod +x "$G/fake-gnuplot"
for sig in TERM HUP INT; do
    want=$(sig_code $sig)
    rm -f "$G/pl-mark" "$G/pl-release"
    SIG_MARK=$G/pl-mark SIG_RELEASE=$G/pl-release OUTAGESIM_GNUPLOT=$G/fake-gnuplot \
        "$BIN" plot "$G/pl" >"$G/pl-$sig.log" 2>&1 &
    pl_pid=$!
    fake=
    if wait_for 120 test -s "$G/pl-mark"; then
        fake=$(head -1 "$G/pl-mark")
        kill -$sig "$pl_pid"
        wait_for 120 gone "$pl_pid" || kill -KILL "$pl_pid" 2>/dev/null
    else
        kill -KILL "$pl_pid" 2>/dev/null
    fi
    wait "$pl_pid"
    rc=$?
    # Released only now: if plot waited for it, it had 120 s to see this.
    fake_alive=no
    [ -n "$fake" ] && kill -0 "$fake" 2>/dev/null && fake_alive=yes
    touch "$G/pl-release"
    if [ "$rc" = "$want" ] && [ $fake_alive = no ] && grep -q "interrupted (SIG$sig)" "$G/pl-$sig.log" &&
        ! compgen -G "$G/pl/plots/*.png" >/dev/null; then
        ok "signals: plot stopped by SIG$sig stops gnuplot and exits $want"
    else
        bad "signals: plot stopped by SIG$sig stops gnuplot and exits $want (got $rc, gnuplot alive: $fake_alive)" \
            "$(cat "$G/pl-$sig.log")"
    fi
done

# replay: a paced replay stops on SIGTERM and SIGHUP as on Ctrl-C, once the
# first narration line is out.
for sig in TERM HUP; do
    want=$(sig_code $sig)
    "$BIN" replay "$GS" --topology as-was --speed 3600 >"$G/rp-$sig.txt" 2>&1 &
    rp_pid=$!
    if wait_for 120 grep -sqE "^[0-9]{4}-[0-9]{2}-[0-9]{2} " "$G/rp-$sig.txt"; then
        kill -$sig "$rp_pid"
        wait_for 120 gone "$rp_pid" || kill -KILL "$rp_pid" 2>/dev/null
    else
        kill -KILL "$rp_pid" 2>/dev/null
    fi
    wait "$rp_pid"
    rc=$?
    if [ "$rc" = "$want" ] && grep -q "replay interrupted (SIG$sig)" "$G/rp-$sig.txt"; then
        ok "signals: paced replay stopped by SIG$sig exits $want"
    else
        bad "signals: paced replay stopped by SIG$sig exits $want (got $rc)" "$(tail -3 "$G/rp-$sig.txt")"
    fi
done

# SIGPIPE: stdout is a pipe whose reader has already gone (so the write
# fails however fast the run is): exit 141, nothing on stderr, --out whole.
if out=$(python3 - "$BIN" "$GS" "$G/pipe" 2>&1 <<'EOF'
import os, subprocess, sys
r, w = os.pipe()
os.close(r)
p = subprocess.run([sys.argv[1], "run", sys.argv[2], "--replications", "30", "--format", "csv",
                    "--quiet", "--out", sys.argv[3]], stdout=w, stderr=subprocess.PIPE)
print(p.returncode, repr(p.stderr.decode()))
sys.exit(0 if p.returncode == 141 and p.stderr == b"" else 1)
EOF
); then
    ok "signals: a stdout reader gone ends run quietly with 141"
else
    bad "signals: a stdout reader gone ends run quietly with 141" "$out"
fi
if [ -s "$G/pipe/results.json" ] && [ -s "$G/pipe/series-marks.dat" ] &&
    ! compgen -G "$G/.pipe.stage.*" >/dev/null &&
    python3 -c 'import json,sys; assert json.load(open(sys.argv[1]))["interrupted"] is False' \
        "$G/pipe/results.json" 2>/dev/null; then
    ok "signals: a stdout reader gone leaves --out whole"
else
    bad "signals: a stdout reader gone leaves --out whole" "$(ls -a "$G/pipe" 2>&1)"
fi
# As a user writes it: `| head -1` prints the first line and no error.
pipe_err=$("$BIN" run "$GS" --replications 30 --format csv --quiet 2>&1 >/dev/null | cat)
first=$("$BIN" run "$GS" --replications 30 --format csv --quiet 2>"$G/head.err" | head -1)
if [[ $first == "# outagesim "* ]] && [ ! -s "$G/head.err" ] && [ -z "$pipe_err" ]; then
    ok "signals: run ... | head -1 prints the first line and no error"
else
    bad "signals: run ... | head -1 prints the first line and no error" "$first $(cat "$G/head.err")"
fi
