# Command-line tests of `outagesim run` and `outagesim merge` (sourced by tests/cli.sh).
# Invariants: exit codes (0 done, 2 usage/scenario, 130 interrupted); the JSON
# document parses and says what ran; --out writes complete files and no
# temporary leftovers; 1 and 2 threads give byte-identical files; partial runs
# merge into exactly the whole run; Ctrl-C writes the completed replications
# with "interrupted": true and exits 130; a bad scenario writes
# nothing.

S=scenarios/minimal.yaml
R="$TMP/run.d" # every file of this fragment lives here: $TMP is shared
mkdir -p "$R"
RUN_N=60 # replications: small, the sanitizer build is slow

expect "run: help teaches options" 0 "--replications N.*default 1000" "$BIN" run --help
expect "run: no scenario" 2 "which scenario" "$BIN" run
expect "run: unknown option" 2 "unknown option '--frobnicate'" "$BIN" run "$S" --frobnicate
expect "run: bad format" 2 "is not one of table, json, csv" "$BIN" run "$S" --format xml
expect "run: zero threads" 2 "--threads: '0' is not a whole number in 1\.\.1024" "$BIN" run "$S" --threads 0
expect "run: seed out of range" 2 "seed: '-1'" "$BIN" run "$S" --seed -1
expect "run: --to before --from" 2 "must be greater than --from" "$BIN" run "$S" --from 10 --to 5
expect "run: unknown topology" 2 "no topology 'nowhere'" "$BIN" run "$S" --topology nowhere
expect "run: unknown precision metric" 2 "unknown metric 'nope'" \
    "$BIN" run "$S" --replications 5 --precision nope=0.1 --quiet
expect "run: missing scenario file" 2 "no-such-file.yaml" \
    "$BIN" run "$R/no-such-file.yaml" --out "$R/never"
[ -e "$R/never" ] && bad "run: missing scenario leaves no output dir" || ok "run: missing scenario leaves no output dir"

# A scenario with an error: exit 2, the error points into the file, nothing written.
sed 's/^  horizon: 7d/  horizon: -7d/' "$S" >"$R/broken.yaml"
expect "run: bad scenario is exit 2" 2 "broken.yaml:[0-9]+" \
    "$BIN" run "$R/broken.yaml" --out "$R/broken-out"
[ -e "$R/broken-out" ] && bad "run: bad scenario writes no files" || ok "run: bad scenario writes no files"

# --format json: a parsable document that says what ran.
"$BIN" run "$S" --replications $RUN_N --format json --quiet >"$R/doc.json" 2>"$R/doc.err"
rc=$?
if [ $rc -eq 0 ] && python3 - "$R/doc.json" $RUN_N <<'EOF'; then
import json, sys
d = json.load(open(sys.argv[1]))
n = int(sys.argv[2])
assert d["tool"] == "outagesim" and d["replications"] == n and d["seed"] == 1
assert d["from"] == 0 and d["to"] == n and d["interrupted"] is False
assert len(d["scenario"]["sha256"]) == 64
keys = ["mean", "ci95_low", "ci95_high", "p5", "p50", "p95", "min", "max"]
for t in d["topologies"]:
    assert list(t["full_recovery_h"].keys()) == keys
    s = t["full_recovery_h"]
    assert s["min"] <= s["p5"] <= s["p50"] <= s["p95"] <= s["max"]
    assert s["ci95_low"] <= s["mean"] <= s["ci95_high"]
    assert isinstance(t["economics"]["annual_cost_money"], int)
    for svc in t["services"]:
        assert set(["downtime_h", "recovered_h", "user_hours_lost"]) <= set(svc)
EOF
    ok "run: --format json parses and describes the run"
else
    bad "run: --format json parses and describes the run (exit $rc)" "$(cat "$R/doc.err")"
fi

# --out: three complete files, no temporary files; 1 and 2 threads identical.
"$BIN" run "$S" --replications $RUN_N --threads 1 --out "$R/t1" --quiet >/dev/null 2>&1
"$BIN" run "$S" --replications $RUN_N --threads 2 --chunk 3 --out "$R/t2" --quiet >/dev/null 2>&1
if [ -s "$R/t1/results.json" ] && [ -s "$R/t1/summary.csv" ] &&
    [ -s "$R/t1/replications.csv" ]; then
    ok "run: --out writes results.json, summary.csv, replications.csv"
else
    bad "run: --out writes results.json, summary.csv, replications.csv" "$(ls -la "$R/t1" 2>&1)"
fi
if ls -A "$R/t1" "$R/t2" | grep -q '\.tmp'; then
    bad "run: no temporary files left" "$(ls -A "$R/t1" "$R/t2")"
else
    ok "run: no temporary files left"
fi
lines=$(wc -l <"$R/t1/replications.csv")
topos=$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["topologies"]))' "$R/t1/results.json")
[ "$lines" -eq $((RUN_N * topos + 2)) ] && ok "run: one replications.csv row per replication and topology" ||
    bad "run: one replications.csv row per replication and topology ($lines lines)"
if cmp -s "$R/t1/results.json" "$R/t2/results.json" &&
    cmp -s "$R/t1/replications.csv" "$R/t2/replications.csv" &&
    cmp -s "$R/t1/summary.csv" "$R/t2/summary.csv"; then
    ok "run: 1 and 2 threads give byte-identical files"
else
    bad "run: 1 and 2 threads give byte-identical files" "$(diff "$R/t1/results.json" "$R/t2/results.json" | head)"
fi
"$BIN" run "$S" --replications $RUN_N --seed 2 --format json --quiet >"$R/seed2.json" 2>/dev/null
cmp -s "$R/t1/results.json" "$R/seed2.json" && bad "run: another seed gives another result" ||
    ok "run: another seed gives another result"

# Partial runs merge into exactly the whole run (parts given out of order).
"$BIN" run "$S" --from 0 --to 25 --out "$R/p1" --quiet >/dev/null 2>&1
"$BIN" run "$S" --from 25 --to $RUN_N --threads 1 --out "$R/p2" --quiet >/dev/null 2>&1
expect "merge: parts combine" 0 "merged 2 parts: replications 0..$((RUN_N - 1))" \
    "$BIN" merge "$R/p2" "$R/p1" --out "$R/merged"
if cmp -s "$R/t1/results.json" "$R/merged/results.json" &&
    cmp -s "$R/t1/replications.csv" "$R/merged/replications.csv" &&
    cmp -s "$R/t1/summary.csv" "$R/merged/summary.csv"; then
    ok "merge: merged parts are byte-identical to the whole run"
else
    bad "merge: merged parts are byte-identical to the whole run" "$(diff "$R/t1/results.json" "$R/merged/results.json" | head)"
fi
"$BIN" run "$S" --from 30 --to $RUN_N --out "$R/p3" --quiet >/dev/null 2>&1
expect "merge: a gap is refused with the missing range" 2 "run them with --from 25 --to 30" \
    "$BIN" merge "$R/p1" "$R/p3" --out "$R/gap"
[ -e "$R/gap" ] && bad "merge: a refused merge writes nothing" || ok "merge: a refused merge writes nothing"
"$BIN" run "$S" --from 0 --to 25 --seed 9 --out "$R/p1seed9" --quiet >/dev/null 2>&1
expect "merge: different seeds are refused" 2 "different seeds" "$BIN" merge "$R/p1seed9" "$R/p2"
expect "merge: a missing directory is an error" 2 "results.json" "$BIN" merge "$R/nothing-here"
cp -r "$R/p1" "$R/p1edit"
sed -i '3s/,[^,]*$/,12345.5/' "$R/p1edit/replications.csv"
expect "merge: rows that do not match results.json are refused" 2 "does not match the rows" \
    "$BIN" merge "$R/p1edit" "$R/p2"

# Ctrl-C: a long run in the background with stderr on a terminal, SIGINT once
# its progress line shows 100 or more replications done (so there is a
# completed prefix to write). No clock: the bound only guards against a hang.
int_rc=
if ! command -v script >/dev/null 2>&1; then
    skip "run: SIGINT exits 130, writes the completed replications" \
        "no script(1) to give the run a terminal for its progress line"
elif ! on_tty "$R/int.out" "$R/int.tty" "$BIN" run "$S" --replications 200000 --out "$R/int"; then
    bad "run: SIGINT exits 130 (the run did not start)" "$(cat "$R/int.tty" 2>/dev/null)"
elif ! wait_for 120 grep -aqE '[1-9][0-9]{2,}/200000 replications' "$R/int.tty"; then
    bad "run: SIGINT exits 130 (no progress line with 100 replications done)" \
        "$(tr '\r' '\n' <"$R/int.tty" | tail -3)"
    kill -KILL "$cmd_pid" 2>/dev/null
    wait "$tty_pid"
else
    kill -INT "$cmd_pid"
    if wait_for 120 gone "$tty_pid"; then
        wait "$tty_pid"
        int_rc=$?
    else
        int_rc="none (still running after SIGINT)"
        kill -KILL "$cmd_pid" 2>/dev/null
        wait "$tty_pid"
    fi
fi
if [ -n "$int_rc" ]; then
    if [ "$int_rc" = 130 ] && grep -aq "interrupted: finishing the replications" "$R/int.tty"; then
        ok "run: SIGINT exits 130 and says it is finishing"
    else
        bad "run: SIGINT exits 130 and says it is finishing (exit $int_rc)" \
            "$(tr '\r' '\n' <"$R/int.tty" | tail -5)"
    fi
    if python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
assert d["interrupted"] is True and 0 < d["replications"] < 200000 and d["to"] == d["replications"]
' "$R/int/results.json" 2>/dev/null; then
        ok "run: interrupted run writes the completed replications with interrupted: true"
    else
        bad "run: interrupted run writes the completed replications with interrupted: true" \
            "$(tr '\r' '\n' <"$R/int.tty" | tail -5)"
    fi
    grep -q "INTERRUPTED" "$R/int.out" && ok "run: interrupted table says so" ||
        bad "run: interrupted table says so" "$(head -3 "$R/int.out")"
fi
