# outagesim replay: the narration of one replication.
rp_ref=scenarios/kakao-pangyo-2022.yaml
expect "replay: narrates the building power cut with local time" 0 \
    "^2022-10-15 1[5-7]:[0-9][0-9] KST +\+ *1\.[0-9][0-9]h  pangyo: building power cut for firefighting" \
    "$BIN" replay "$rp_ref" --topology as-was
expect "replay: ends with a table of recovery times" 0 "whole system +[0-9]+\.[0-9]+" \
    "$BIN" replay "$rp_ref" --topology single-site
expect "replay: failover waits for the tools at Pangyo (as-was)" 0 \
    "kakaotalk-messaging: failover waits: needs ops-tools" "$BIN" replay "$rp_ref" --topology as-was
expect "replay: csv has a header and rows" 0 "^local_time,hours_since_ignition,who,what" \
    "$BIN" replay "$rp_ref" --topology as-was --format csv
expect "replay: unknown topology lists the known ones" 2 "no topology 'nope'.*as-was" \
    "$BIN" replay "$rp_ref" --topology nope
expect "replay: --topology is required" 2 "needs a SCENARIO and --topology" "$BIN" replay "$rp_ref"
expect "replay: bad speed" 2 "--speed: '-1' is not a number >= 0" \
    "$BIN" replay "$rp_ref" --topology as-was --speed -1
expect "replay: --set reaches the replay" 0 "building power cut" \
    "$BIN" replay "$rp_ref" --topology as-was --set incident.pangyo.power_cut.mean=3h
expect "replay: bad scenario is exit 2 with file:line:col" 2 "^tests/fixtures/bad/[^:]+:[0-9]+:[0-9]+: " \
    "$BIN" replay tests/fixtures/bad/unknown_key.yaml --topology a

# The same replication, instantly and paced, prints the same lines; the
# narration is deterministic for a (seed, replication).
rp_a=$("$BIN" replay "$rp_ref" --topology as-was --seed 7 --replication 3 2>&1)
rp_b=$("$BIN" replay "$rp_ref" --topology as-was --seed 7 --replication 3 --speed 1e9 2>&1)
if [ "$rp_a" = "$rp_b" ] && [ -n "$rp_a" ]; then ok "replay: paced replay prints exactly the instant one"
else bad "replay: paced replay prints exactly the instant one"; fi

# Ctrl-C stops a paced replay cleanly with exit 130. SIGINT once the first
# narration line is out (the replay is pacing: its handler is in place), not
# after a fixed sleep; at one simulated hour per second the rest would take
# minutes. The 120 s bounds only guard against a hang.
"$BIN" replay "$rp_ref" --topology as-was --speed 3600 >"$TMP/rp-paced.txt" 2>&1 &
rp_pid=$!
if wait_for 120 grep -qE "^[0-9]{4}-[0-9]{2}-[0-9]{2} " "$TMP/rp-paced.txt"; then
    kill -INT "$rp_pid"
    wait_for 120 gone "$rp_pid" || kill -KILL "$rp_pid" 2>/dev/null
else
    kill -KILL "$rp_pid" 2>/dev/null
fi
wait "$rp_pid"
rp_rc=$?
if [ "$rp_rc" = 130 ] && grep -q "replay interrupted" "$TMP/rp-paced.txt"; then
    ok "replay: Ctrl-C stops a paced replay (exit 130)"
else
    bad "replay: Ctrl-C stops a paced replay (exit 130, got $rp_rc)" "$(cat "$TMP/rp-paced.txt")"
fi
