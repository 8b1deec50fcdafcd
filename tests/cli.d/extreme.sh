# Extreme and hostile inputs through the command line (sourced by tests/cli.sh).
# Invariant: each gives a correct result or a clear error (exit 1 or 2 with a
# message), never a crash (a sanitizer report is exit 1 with no message we
# expect), a hang (every run is under `timeout`), NaN or infinity in any
# output, or a half-written file under its final name.
# Large inputs are generated here into $TMP, never stored in the repository.

X="$TMP/extreme"
mkdir -p "$X"
XF=tests/fixtures/extreme
MIN=scenarios/minimal.yaml
REF=scenarios/kakao-pangyo-2022.yaml
XT=120 # seconds: a generous bound for the sanitizer build; a hang fails

# no_naninf NAME FILE...: no NaN or infinity (as a word) in the files.
no_naninf() {
    local name=$1
    shift
    if grep -IiwqE 'nan|-?inf|infinity|n/a' -- "$@"; then
        bad "$name: NaN or infinity in the output" "$(grep -IiwnE 'nan|-?inf|infinity|n/a' -- "$@" | head -5)"
    else
        ok "$name: no NaN or infinity in the output"
    fi
}

# xrun NAME FILE CMD...: run CMD (stdout to FILE), expecting exit 0 and
# outputs free of NaN/infinity.
xrun() {
    local name=$1 file=$2 rc
    shift 2
    timeout $XT "$@" >"$file" 2>"$file.err"
    rc=$?
    if [ $rc -ne 0 ]; then
        bad "$name (exit $rc, wanted 0)" "$(tail -5 "$file.err")"
        return 1
    fi
    ok "$name"
    no_naninf "$name" "$file"
}

# jq_py NAME FILE PYTHON: a Python assertion block over the JSON document d.
jq_py() {
    local name=$1 file=$2 code=$3 out
    if out=$(python3 -c "
import json, math, sys
d = json.load(open(sys.argv[1]))
T = {t['name']: t for t in d['topologies']}
def S(t, name): return [s for s in T[t]['services'] if s['name'] == name][0]
def P(t, name): return [p for p in T[t]['compensation'] if p['policy'] == name][0]
$code
" "$file" 2>&1); then
        ok "$name"
    else
        bad "$name" "$out"
    fi
}

# bounded NAME MAX_MB MAX_S CODE PATTERN CMD...: exit CODE, output matching
# PATTERN, peak memory (max RSS) at most MAX_MB and wall time at most MAX_S.
BOUNDED_PY='
import re, resource, subprocess, sys, time
mb, secs, code, pat, cmd = int(sys.argv[1]), float(sys.argv[2]), int(sys.argv[3]), sys.argv[4], sys.argv[5:]
t = time.time()
try:
    r = subprocess.run(cmd, capture_output=True, timeout=4 * secs)
except subprocess.TimeoutExpired:
    sys.exit("did not finish in %g s" % (4 * secs))
wall = time.time() - t
rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024
text = (r.stdout + r.stderr).decode("utf-8", "replace")
print("exit %d, %.1f s, %d MB: %s" % (r.returncode, wall, rss, text.strip()[:200]))
assert r.returncode == code, "exit %d, wanted %d" % (r.returncode, code)
assert re.search(pat, text), "output does not match /%s/" % pat
assert rss <= mb, "%d MB > %d MB" % (rss, mb)
assert wall <= secs, "%.1f s > %g s" % (wall, secs)
'
bounded() {
    local name=$1 mb=$2 secs=$3 code=$4 pat=$5 out
    shift 5
    if out=$(python3 -c "$BOUNDED_PY" "$mb" "$secs" "$code" "$pat" "$@" 2>&1); then
        ok "$name"
    else
        bad "$name" "$out"
    fi
}

# ------------------------------------------------------------------ population

xrun "extreme: zero users" "$X/users0.json" \
    "$BIN" run "$REF" --replications 5 --set population.users=0 --format json --quiet &&
    jq_py "extreme: zero users affect nobody and cost no per-user money" "$X/users0.json" '
for t in T.values():
    assert t["users"]["distinct_affected"]["max"] == 0
    assert t["users"]["user_hours_lost"]["max"] == 0
    for s in t["services"]:
        assert s["user_hours_lost"]["max"] == 0
    assert P(t["name"], "kakao-2022-paid-extensions")["total_money"]["max"] >= 0
'

"$BIN" run "$MIN" --replications 5 --format json --quiet >"$X/users1e7.json" 2>/dev/null
xrun "extreme: 10^12 users" "$X/users1e12.json" \
    "$BIN" run "$MIN" --replications 5 --set population.users=1T --format json --quiet &&
    jq_py "extreme: 10^12 users scale user figures exactly 10^5 x 10^7 users" "$X/users1e12.json" "
small = json.load(open('$X/users1e7.json'))
St = {t['name']: t for t in small['topologies']}
for name, t in T.items():
    for k in ('distinct_affected', 'user_hours_lost', 'peak_affected'):
        a, b = t['users'][k]['mean'], St[name]['users'][k]['mean']
        assert abs(a - 1e5 * b) <= 1e-9 * abs(a), (name, k, a, b)
"
expect "extreme: users beyond 10^15 is a clear error" 2 "too large \(counts are limited to 10\^15" \
    timeout $XT "$BIN" validate "$MIN" --set population.users=1e308

# ------------------------------------------------------------------ money at scale

xrun "extreme: 10^12 users x 10,000 won" "$X/money.json" \
    "$BIN" run "$XF/money-scale.yaml" --replications 5 --format json --quiet &&
    jq_py "extreme: 10^12 x 10,000 won is exactly 10^16 won in the document" "$X/money.json" '
p = P("single-site", "per-user-credit")
for k in ("mean", "ci95_low", "ci95_high", "p5", "p50", "p95", "min", "max"):
    assert p["total_money"][k] == 10**16 and isinstance(p["total_money"][k], int), (k, p["total_money"][k])
assert p["claimants"]["mean"] == 1e12
'
"$BIN" run "$XF/money-scale.yaml" --replications 5 --quiet >"$X/money.txt" 2>&1
if grep -q "10,000,000,000,000,000원" "$X/money.txt"; then
    ok "extreme: the table prints 10^16 won to the last won"
else
    bad "extreme: the table prints 10^16 won to the last won" "$(grep per-user "$X/money.txt")"
fi
# 10^12 users x 10^10 won = 10^22 won: past int64, refused, and nothing written.
# The scenario's amounts are what is wrong: bad input, exit 2 (cli.h's table).
expect "extreme: money past int64 won is a clear error" 2 "out of range" \
    timeout $XT "$BIN" run "$XF/money-scale.yaml" --replications 3 --quiet \
    --set policies.per-user-credit.params.amount=10G --out "$X/money-huge"
if [ -z "$(ls -A "$X/money-huge" 2>/dev/null)" ]; then
    ok "extreme: money past int64 leaves no file in --out"
else
    bad "extreme: money past int64 leaves no file in --out" "$(ls -A "$X/money-huge")"
fi

# ------------------------------------------------------------------ businesses

xrun "extreme: no business segments" "$X/nobiz.json" \
    "$BIN" run "$MIN" --replications 5 --set 'businesses=[]' --format json --quiet &&
    jq_py "extreme: no business segments lose nothing" "$X/nobiz.json" '
for t in T.values():
    for k in ("affected", "revenue_loss_money", "lost_profit_money", "claimants"):
        assert t["small_business"][k]["max"] == 0, k
'
xrun "extreme: a segment of zero businesses" "$X/biz0.json" \
    "$BIN" run "$MIN" --replications 5 --set businesses.shops.count=0 --format json --quiet &&
    jq_py "extreme: zero businesses lose nothing" "$X/biz0.json" '
for t in T.values():
    assert t["small_business"]["revenue_loss_money"]["max"] == 0
'

# ------------------------------------------------------------------ dependencies

xrun "extreme: a hub every service needs, and a service alone" "$X/hub.json" \
    "$BIN" run "$XF/hub.yaml" --replications 3 --format json --quiet &&
    jq_py "extreme: hub and lone service recover exactly when they must" "$X/hub.json" '
want = {"core": 3.5, "alone": 3.5, "a": 4.5, "b": 4.5, "c": 4.5, "d": 4.5}
for name, down in want.items():
    s = S("one-site", name)
    assert s["downtime_h"]["min"] == s["downtime_h"]["max"] == down, (name, s["downtime_h"])
assert T["one-site"]["full_recovery_h"]["max"] == 5.0
'

# ------------------------------------------------------------------ durations

xrun "extreme: every duration zero" "$X/dur0.json" \
    "$BIN" run "$MIN" --replications 5 --format json --quiet \
    --set incident.north.detection=0 --set incident.north.ups_ride_through=0 \
    --set incident.north.power_cut=0 --set incident.north.suppression=0 \
    --set 'incident.north.restoration.profile=[{after: 0, fraction: 1}]' \
    --set 'incident.north.restoration.scale=1' \
    --set 'incident.north.destroyed.fraction=0' \
    --set services.login.restart=0 --set services.chat.restart=0 \
    --set services.pay.restart=0 --set services.maps.restart=0 &&
    jq_py "extreme: zero durations mean zero downtime" "$X/dur0.json" '
for t in T.values():
    assert t["full_recovery_h"]["max"] == 0, t["full_recovery_h"]
    assert t["users"]["user_hours_lost"]["max"] == 0
'
expect "extreme: a zero horizon is a clear error" 2 "scenario.horizon must be > 0" \
    timeout $XT "$BIN" validate "$MIN" --set scenario.horizon=0
xrun "extreme: ten years of horizon and of fire" "$X/10y.json" \
    "$BIN" run "$MIN" --replications 3 --format json --quiet \
    --set scenario.horizon=3653d --set incident.north.suppression=3653d &&
    jq_py "extreme: a ten-year outage is censored at the ten-year horizon" "$X/10y.json" '
t = T["single-site"]
assert t["full_recovery_h"]["min"] == 3653 * 24, t["full_recovery_h"]
for s in t["services"]:
    # down from the power cut (about 1.5 h) to the horizon
    assert 3653 * 24 - 3 < s["downtime_h"]["min"] <= 3653 * 24, (s["name"], s["downtime_h"])
'
expect "extreme: a horizon past ten years is a clear error" 2 "at most 3653d \(ten years\)" \
    timeout $XT "$BIN" validate "$MIN" --set scenario.horizon=99999999999999999999d

# ------------------------------------------------------------------ every site destroyed

xrun "extreme: an incident that destroys every site" "$X/destroy.json" \
    "$BIN" run "$XF/destroy-all.yaml" --replications 3 --format json --quiet &&
    jq_py "extreme: every site destroyed: 124 h down and every copy of the data lost" "$X/destroy.json" '
for name in ("single-site", "active-active"):
    t = T[name]
    assert t["full_recovery_h"]["min"] == t["full_recovery_h"]["max"] == 124.0, (name, t["full_recovery_h"])
    assert t["data_loss"]["lost_gb"]["min"] == 100.0, (name, t["data_loss"])
    assert t["users"]["distinct_affected"]["min"] == 10e6
'

# ------------------------------------------------------------------ replications

xrun "extreme: one replication" "$X/one.json" \
    "$BIN" run "$REF" --replications 1 --format json --quiet &&
    jq_py "extreme: one replication: the interval collapses to the value" "$X/one.json" '
assert d["replications"] == 1
for t in T.values():
    f = t["full_recovery_h"]
    assert f["ci95_low"] == f["mean"] == f["ci95_high"] == f["min"] == f["max"]
'
expect "extreme: zero replications is a usage error" 2 "--replications: '0' is not a whole number in 1\.\." \
    timeout $XT "$BIN" run "$MIN" --replications 0 --quiet

# 10^6 replications of the reference, interrupted: exit 130,
# the completed prefix written with "interrupted": true, memory bounded
# (rows are reserved, not touched, so only what ran is resident).
rm -rf "$X/million"
# SIGINT once the progress line (stderr on a terminal) shows a replication
# done: the handler is in place and there is a prefix to write.
mrc=
if ! command -v script >/dev/null 2>&1; then
    skip "extreme: 10^6 replications interrupted" \
        "no script(1) to give the run a terminal for its progress line"
elif on_tty "$X/million.out" "$X/million.err" "$BIN" run "$REF" --incident fire-pangyo --replications 1000000 \
    --threads 2 --out "$X/million" &&
    wait_for $XT grep -aqE '[1-9][0-9]*/1000000 replications' "$X/million.err"; then
    kill -INT "$cmd_pid"
    if wait_for $XT gone "$tty_pid"; then
        wait "$tty_pid"
        mrc=$?
    else
        kill -KILL "$cmd_pid" 2>/dev/null
        wait "$tty_pid"
        mrc="none: still running ${XT}s after SIGINT"
    fi
else
    [ -n "$cmd_pid" ] && kill -KILL "$cmd_pid" 2>/dev/null
    wait "$tty_pid"
    mrc="none: no progress line"
fi
if [ -z "$mrc" ]; then
    : # skipped above
elif [ "$mrc" = 130 ] && python3 - "$X/million/results.json" <<'EOF'; then
import json, sys
d = json.load(open(sys.argv[1]))
assert d["interrupted"] is True
assert 0 < d["replications"] < 1000000 and d["to"] == d["replications"]
EOF
    ok "extreme: 10^6 replications interrupted: exit 130, completed prefix written"
    no_naninf "extreme: 10^6 interrupted" "$X/million"/*.json "$X/million"/*.csv
else
    bad "extreme: 10^6 replications interrupted: exit 130, completed prefix written (exit $mrc)" \
        "$(tr '\r' '\n' <"$X/million.err" | tail -5)"
fi
# (ASan's allocator aborts where malloc returns NULL unless told to behave alike.)
expect "extreme: 10^8 replications: a clear error, not an allocation failure" 1 \
    "cannot hold 100000000 replications in memory" \
    env ASAN_OPTIONS=allocator_may_return_null=1 \
    timeout $XT "$BIN" run "$REF" --incident fire-pangyo --replications 100000000 --quiet --out "$X/never"

# ------------------------------------------------------------------ YAML bombs and big files

bounded "extreme: billion laughs (aliases) is refused at once" 200 10 \
    2 "aliases .* are not supported" "$BIN" validate tests/fixtures/bad/bomb.yaml
# Deep nesting right at the size cap: libfyaml's own depth limit, in bounded time.
python3 -c "import sys; sys.stdout.write('scenario: ' + '[' * (2 * 1024 * 1024 - 20))" >"$X/deep.yaml"
# Measured: 0.7 GB and 1 s (release), 1.0 GB and 2 s (sanitizer build).
bounded "extreme: 2 MiB of nested '[' is a clear error in bounded memory and time" 1500 60 \
    2 "Max depth" "$BIN" validate "$X/deep.yaml"
python3 -c "import sys; sys.stdout.write('scenario:\n' + ' [\n' * 600000)" >"$X/deep-lines.yaml"
expect "extreme: nesting over many lines is a clear error" 2 "Max depth" \
    timeout $XT "$BIN" validate "$X/deep-lines.yaml"
python3 -c "import sys; sys.stdout.write('scenario: [' + '[a],' * 520000 + ']\n')" >"$X/wide.yaml"
bounded "extreme: 2 MiB flat list is a clear error in bounded memory and time" 1500 60 \
    2 "expected a mapping" "$BIN" validate "$X/wide.yaml"
# 100 MB: refused before it is read.
head -c 100000000 /dev/zero | tr '\0' '#' >"$X/100mb.yaml"
expect "extreme: a 100 MB file is refused by its size" 2 "limited to 2 MiB" \
    timeout 10 "$BIN" validate "$X/100mb.yaml"
# ... and through a pipe, where there is no size to look at: reading stops at the cap.
expect "extreme: 100 MB through a pipe stops at the cap" 2 "larger than the 2 MiB limit" \
    timeout 30 "$BIN" validate <(cat "$X/100mb.yaml")
rm -f "$X/100mb.yaml" "$X/deep.yaml" "$X/deep-lines.yaml" "$X/wide.yaml"
# A file that includes itself, and one included a thousand times.
printf -- '- include: self.yaml\n' >"$X/self.yaml"
{
    cat "$MIN"
    printf 'policies:\n  - include: self.yaml\n'
} >"$X/includes-self.yaml"
expect "extreme: a file that includes itself is a clear error" 2 "nested more than 8 deep" \
    timeout 10 "$BIN" validate "$X/includes-self.yaml"
{
    for i in $(seq 1 40); do echo "# $(head -c 3000 /dev/zero | tr '\0' 'x')"; done
    echo "- {name: p, model: flat_credit, legal_basis: x, params: {amount: 1}}"
} >"$X/pol.yaml"
{
    cat "$MIN"
    echo "policies:"
    for i in $(seq 1 1000); do echo "  - include: pol.yaml"; done
} >"$X/many-includes.yaml"
expect "extreme: one file included a thousand times hits the cap" 2 "includes come to more than" \
    timeout 30 "$BIN" validate "$X/many-includes.yaml"
{
    cat "$MIN"
    printf 'policies:\n  - include: /dev/stdin\n'
} >"$X/include-stdin.yaml"
expect "extreme: include of /dev/stdin is refused, never waited on" 2 "not a regular file" \
    timeout 10 "$BIN" validate "$X/include-stdin.yaml"

# ------------------------------------------------------------------ names

printf 'scenario:\n  name: \xc7\xd1\xb1\xb9\n' >"$X/euc-kr.yaml"
expect "extreme: a file in EUC-KR is refused where it goes wrong" 2 "euc-kr.yaml:2:9: not UTF-8" \
    timeout 10 "$BIN" validate "$X/euc-kr.yaml"
expect "extreme: a non-UTF-8 --set value is refused" 2 "value of override 1 is not UTF-8" \
    timeout 10 "$BIN" validate "$MIN" --set "$(printf 'scenario.name=caf\xe9')"
cp "$MIN" "$X/$(printf 'r\xe9sum\xe9').yaml"
xrun "extreme: a scenario file name that is not UTF-8" "$X/latin1-name.json" \
    "$BIN" run "$X/$(printf 'r\xe9sum\xe9').yaml" --replications 3 --format json --quiet &&
    jq_py "extreme: the non-UTF-8 file name is kept in the document (U+FFFD)" "$X/latin1-name.json" '
assert d["scenario"]["file"].endswith("r\ufffdsum\ufffd.yaml"), d["scenario"]
assert d["scenario"]["name"] == "minimal"
'
# Korean names with CSV and shell metacharacters go through every output intact.
xrun "extreme: names with Korean text, commas and quotes" "$X/names.csv" \
    "$BIN" run "$MIN" --replications 3 --quiet --out "$X/names" --format csv \
    --set 'scenario.name=판교 화재, "최악"' --set 'topologies.single-site.description=a,b"c'
if python3 - "$X/names" <<'EOF'; then
import csv, json, sys
d = json.load(open(sys.argv[1] + "/results.json"))
assert d["scenario"]["name"] == '판교 화재, "최악"'
rows = [r for r in csv.reader(l for l in open(sys.argv[1] + "/summary.csv") if not l.startswith("#"))]
assert all(len(r) == len(rows[0]) for r in rows), "ragged summary.csv"
EOF
    ok "extreme: Korean and CSV-special names survive JSON and CSV"
else
    bad "extreme: Korean and CSV-special names survive JSON and CSV"
fi

# ------------------------------------------------------------------ outputs that cannot be written

# An output directory that cannot be created, even by root: a path through a file.
: >"$X/a-file"
expect "extreme: --out under a regular file is a clear error" 1 "cannot create directory" \
    timeout $XT "$BIN" run "$MIN" --replications 3 --quiet --out "$X/a-file/out"
# stdout on a full device, for every command that prints.
for cmd in "validate $MIN" "params $MIN" "replay $MIN --topology single-site" \
    "run $MIN --replications 3 --quiet" "run $MIN --replications 3 --quiet --format json" \
    "run $MIN --replications 3 --quiet --format csv"; do
    # shellcheck disable=SC2086
    expect "extreme: $cmd > /dev/full is exit 1" 1 "cannot write" \
        bash -c 'exec "$@" >/dev/full' _ timeout $XT "$BIN" $cmd
done

# A read-only file system and a disk that fills: a tiny tmpfs when this
# machine lets us mount one (root in CI); otherwise say so and skip.
mkdir -p "$X/tiny" "$X/ro"
if mount -t tmpfs -o size=64k tmpfs "$X/tiny" 2>/dev/null; then
    expect "extreme: --out on a full disk is exit 1" 1 "No space left on device" \
        timeout $XT "$BIN" run "$REF" --replications 30 --quiet --out "$X/tiny/out"
    left=$(find "$X/tiny/out" -type f 2>/dev/null | grep -E '/(results\.json|summary\.csv|replications\.csv)$')
    tmpleft=$(find "$X/tiny" -name '.*.tmp.*' 2>/dev/null)
    if [ -z "$left" ] && [ -z "$tmpleft" ]; then
        ok "extreme: a full disk leaves no file under a final name and no temporary"
    else
        bad "extreme: a full disk leaves no file under a final name and no temporary" "$left $tmpleft"
    fi
    # A complete earlier result survives a later run that fills the disk.
    umount "$X/tiny"
    mount -t tmpfs -o size=160k tmpfs "$X/tiny"
    "$BIN" run "$MIN" --replications 5 --quiet --out "$X/tiny/out" >/dev/null 2>&1
    # The whole set counts: results, rows and the series over time (published together).
    sum_before=$(cat "$X/tiny/out/results.json" "$X/tiny/out/replications.csv" \
        "$X/tiny/out/series.json" "$X/tiny/out"/series-*.dat | cksum)
    head -c $((150 * 1024)) /dev/zero >"$X/tiny/filler" 2>/dev/null
    expect "extreme: re-running into a full disk is exit 1" 1 "No space left on device" \
        timeout $XT "$BIN" run "$MIN" --replications 400 --quiet --out "$X/tiny/out"
    sum_after=$(cat "$X/tiny/out/results.json" "$X/tiny/out/replications.csv" \
        "$X/tiny/out/series.json" "$X/tiny/out"/series-*.dat | cksum)
    if [ -z "$(find "$X/tiny/out" -name '.stage.*' 2>/dev/null)" ]; then
        ok "extreme: a failed run leaves no staging directory behind"
    else
        bad "extreme: a failed run leaves no staging directory behind"
    fi
    if [ "$sum_before" = "$sum_after" ] && python3 -c "import json,sys; json.load(open(sys.argv[1]))" "$X/tiny/out/results.json"; then
        ok "extreme: the earlier complete result is untouched by the failed run"
    else
        bad "extreme: the earlier complete result is untouched by the failed run"
    fi
    umount "$X/tiny"
    if mount -t tmpfs -o size=64k,ro tmpfs "$X/ro" 2>/dev/null; then
        expect "extreme: --out on a read-only file system is exit 1" 1 "Read-only file system" \
            timeout $XT "$BIN" run "$MIN" --replications 3 --quiet --out "$X/ro/out"
        umount "$X/ro"
    else
        skip "extreme: --out on a read-only file system is exit 1" "cannot mount a read-only tmpfs"
    fi
else
    skip "extreme: full disk and read-only file system" \
        "cannot mount a tmpfs here (not root?): those cases not run"
fi

# ------------------------------------------------------------------ hostile results for merge

# A results.json edited to claim 10^18 replications beside 5 rows: a clear
# error about the rows, not an allocation of exabytes or an "out of memory".
"$BIN" run "$MIN" --from 0 --to 5 --quiet --out "$X/part-a" >/dev/null 2>&1
"$BIN" run "$MIN" --from 5 --to 10 --quiet --out "$X/part-b" >/dev/null 2>&1
python3 - "$X/part-b/results.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
d["to"] = 10**18
json.dump(d, open(sys.argv[1], "w"))
PY
expect "extreme: merge of a part that claims 10^18 replications is a clear error" 2 \
    "ends early: replications 5\.\.999999999999999999 expected" \
    timeout $XT "$BIN" merge "$X/part-a" "$X/part-b" --quiet
