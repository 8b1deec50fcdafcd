# Calibration of the reference scenario (1000 replications, seed 1): the
# figures the replay and compensation issues require, checked by
# tests/calibration/check.py against the reported times and amounts.
cal_ref=scenarios/kakao-pangyo-2022.yaml
if "$BIN" run "$cal_ref" --replications 1000 --quiet --format json >"$TMP/cal-base.json" &&
    "$BIN" run "$cal_ref" --replications 1000 --quiet --format json --topology as-was \
        --set 'topologies.as-was.services.ops-tools.active=[pangyo, dc2]' \
        --set 'topologies.as-was.services.ops-tools.headroom=1' \
        --set 'topologies.as-was.services.auth.load_share=[0.5, 0.5]' \
        --set 'topologies.as-was.services.auth.headroom=1' >"$TMP/cal-tools.json" &&
    "$BIN" run "$cal_ref" --replications 1000 --quiet --format json --topology single-site \
        --set incident.pangyo.suppression.median=13h \
        --set incident.pangyo.suppression.p95=19h >"$TMP/cal-slow.json"; then
    cal_out=$(/usr/bin/python3 tests/calibration/check.py "$TMP/cal-base.json" \
        "$TMP/cal-tools.json" "$TMP/cal-slow.json")
    cal_rc=$?
    sed 's/^/     /' <<<"$cal_out"
    if [ $cal_rc -eq 0 ]; then ok "calibration against 15 Oct 2022"; else bad "calibration against 15 Oct 2022"; fi
else
    bad "calibration runs"
fi
