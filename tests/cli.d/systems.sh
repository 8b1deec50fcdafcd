# Command-line checks of services[].systems (sourced by tests/cli.sh).
# Invariants: `systems` is the count of a service's systems and `shards`
# its older name (one of the two; --set of either replaces the other); a
# service has 1..100,000 systems and a scenario at most 1,000,000 systems x
# sites, refused at file:line:col; a 709-system service loads and runs; the
# systems metrics and the systems series are the same bytes for 1 and 2
# threads and for parts merged.

SY=$TMP/systems
mkdir -p "$SY"
SM=scenarios/minimal.yaml

# A scenario of one site and N services of K systems each (no policies);
# power comes back over a day, or with a third argument "once" all at once.
systems_scenario() {
    local n=$1 k=$2 i prof='[{after: 0h, fraction: 0}, {after: 1d, fraction: 1}]'
    [ "${3:-}" = once ] && prof='[{after: 0h, fraction: 1}]'
    cat <<EOF
scenario: {name: many-systems, start: "2022-10-15 15:19", horizon: 7d}
sites:
  - {name: dc, servers: 100}
incident:
  - {site: dc, power_cut: 1h, suppression: 2h, restoration: {profile: $prof}}
services:
EOF
    for i in $(seq 1 "$n"); do
        echo "  - name: s$i"
        echo "    systems: $k"
    done
    echo "topologies:"
    echo "  - name: one"
    echo "    services:"
    for i in $(seq 1 "$n"); do
        echo "      - {name: s$i, active: [dc]}"
    done
    echo "population: {users: 1000}"
}

# ------------------------------------------------------------ the key

expect "systems: a 709-system service loads" 0 ": ok \(" \
    "$BIN" validate $SM --set services.chat.systems=709
expect "systems: --set systems replaces the file's shards" 0 \
    '^services\.chat\.systems += 709 +count$' "$BIN" params $SM --set services.chat.systems=709
expect "systems: shards, the older name, still counts" 0 '^services\.chat\.systems += 4 +count$' \
    "$BIN" params $SM
sed 's/^    shards: 4 .*$/    shards: 4\n    systems: 4/' $SM >"$SY/both.yaml"
line=$(grep -n '^    shards: 4$' "$SY/both.yaml" | cut -d: -f1)
expect "systems: systems and shards together are refused at shards" 2 \
    "^$SY/both.yaml:$line:13: services.chat: give systems or its older name shards, not both" \
    "$BIN" validate "$SY/both.yaml"
expect "systems: more than 100,000 in a service is refused" 2 \
    "services.chat.systems=100001: .*services.chat.systems must be a whole number from 1 to 100000" \
    "$BIN" validate $SM --set services.chat.systems=100001
expect "systems: 0 is refused" 2 "services.chat.systems must be a whole number from 1" \
    "$BIN" validate $SM --set services.chat.systems=0

# 10 x 100,000 systems at one site is the limit exactly; an 11th service passes it.
systems_scenario 10 100000 >"$SY/at_limit.yaml"
expect "systems: 1,000,000 systems x sites is accepted" 0 ": ok \(" \
    "$BIN" validate "$SY/at_limit.yaml"
systems_scenario 11 100000 >"$SY/over_limit.yaml"
line=$(grep -n '^    systems:' "$SY/over_limit.yaml" | sed -n 11p | cut -d: -f1)
expect "systems: past 1,000,000 systems x sites is refused at file:line:col" 2 \
    "^$SY/over_limit.yaml:$line:14: services.s11.systems: the scenario would hold 1100000 systems x sites .*more than the limit of 1000000" \
    "$BIN" validate "$SY/over_limit.yaml"

# ------------------------------------------------------------ runs

# Identical systems, no randomness: every system comes back at one instant,
# so the 50% and 100% times are equal in every replication.
systems_scenario 2 709 once >"$SY/step.yaml"
if "$BIN" run "$SY/step.yaml" --replications 5 --out "$SY/step" --quiet >/dev/null 2>"$SY/step.err" &&
    python3 - "$SY/step/results.json" <<'EOF'; then
import json, sys
t = json.load(open(sys.argv[1]))["topologies"][0]
a, b = t["systems_50_h"], t["systems_100_h"]
assert a["min"] == a["max"] == b["min"] == b["max"] == 3.0, (a, b)
EOF
    ok "systems: 1,418 identical systems come back as one step"
else
    bad "systems: 1,418 identical systems come back as one step" "$(cat "$SY/step.err")"
fi

# 1 and 2 threads, and parts merged: the same systems metrics and series.
SYS=(--set services.chat.systems=709 --set services.pay.systems=300)
"$BIN" run $SM "${SYS[@]}" --replications 24 --threads 1 --out "$SY/t1" --quiet >/dev/null 2>&1
"$BIN" run $SM "${SYS[@]}" --replications 24 --threads 2 --chunk 5 --out "$SY/t2" --quiet \
    >/dev/null 2>&1
"$BIN" run $SM "${SYS[@]}" --from 0 --to 9 --out "$SY/p1" --quiet >/dev/null 2>&1
"$BIN" run $SM "${SYS[@]}" --from 9 --to 24 --out "$SY/p2" --quiet >/dev/null 2>&1
"$BIN" merge "$SY/p2" "$SY/p1" --out "$SY/m" --quiet >/dev/null 2>&1
same=1
for f in results.json replications.csv series-systems.dat series-systems-hist.dat; do
    [ -s "$SY/t1/$f" ] || same=0
    cmp -s "$SY/t1/$f" "$SY/t2/$f" || same=0
    cmp -s "$SY/t1/$f" "$SY/m/$f" || same=0
done
if [ $same = 1 ] && head -2 "$SY/t1/replications.csv" | grep -q 'systems_50_h,systems_90_h,systems_100_h' &&
    [ "$(grep -vc '^#' "$SY/t1/series-systems.dat")" -gt 10 ]; then
    ok "systems: metrics and series identical for 1, 2 threads and merged parts"
else
    bad "systems: metrics and series identical for 1, 2 threads and merged parts" \
        "$(diff "$SY/t1/series-systems.dat" "$SY/m/series-systems.dat" | head)"
fi

# replay ends with the systems line; identical systems are back at one instant.
expect "systems: replay tells when 50/90/100% of systems were back" 0 \
    "Systems back \(1418 systems\): 50% by 3\.00 h, 90% by 3\.00 h, 100% by 3\.00 h" \
    "$BIN" replay "$SY/step.yaml" --topology one
