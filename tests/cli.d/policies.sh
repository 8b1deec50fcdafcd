# Command-line checks of the compensation presets (sourced by tests/cli.sh):
# every preset loads, and a bad policy is an exit-2 error at its file:line:col.

expect "policies: every preset loads" 0 'ok \(.*14 policies\)' \
    "$BIN" validate tests/fixtures/comp-presets.yaml
expect "policies: a preset parameter can be overridden" 0 'ok \(' \
    "$BIN" validate tests/fixtures/comp-presets.yaml \
    --set policies.kakao-2022-user-package.params.items.emoticon-1.marginal_cost_share=0.13
expect "policies: an override breaking a model's rule" 2 \
    "tiers.1.below: 99.999% is not under the previous tier's 99.99%" \
    "$BIN" validate tests/fixtures/comp-presets.yaml --set policies.aws-region-sla.params.tiers.1.below=99.999%

# A scenario without the services kakao-2022 names: the error points into the preset.
sed -e '/name: webtoon/d' -e "s#\.\./\.\./scenarios#$PWD/scenarios#" \
    tests/fixtures/comp-presets.yaml >"$TMP/no-webtoon.yaml"
expect "policies: a preset naming a missing service" 2 \
    "scenarios/policies/kakao-2022.yaml:[0-9]+:[0-9]+: unknown service 'webtoon'" \
    "$BIN" validate "$TMP/no-webtoon.yaml"

# Brackets out of order, in the scenario itself.
sed -e '/^policies:/,$d' tests/fixtures/comp-presets.yaml >"$TMP/bad-brackets.yaml"
cat >>"$TMP/bad-brackets.yaml" <<'YAML'
policies:
  - name: bad
    model: loss_brackets
    params:
      brackets:
        - {up_to: 500k, pay: 50k}
        - {up_to: 300k, pay: 30k}
YAML
line=$(grep -n 'up_to: 300k' "$TMP/bad-brackets.yaml" | cut -d: -f1)
expect "policies: brackets out of order" 2 \
    "bad-brackets.yaml:$line:[0-9]+: brackets.1.up_to: 300000 won is not above" \
    "$BIN" validate "$TMP/bad-brackets.yaml"

# The voluntary schemes made after long outages carry their triggers (Kakao
# 4 h, KT 24 h): under dual-active-standby (every service back within about
# 0.5-2.4 h) they pay nothing in any replication, while the standing rules
# with their own thresholds (the AWS SLA: 99.99% of a month is 4.3 minutes)
# still pay.
if "$BIN" run scenarios/kakao-pangyo-2022.yaml --replications 100 --quiet --format json \
    --topology dual-active-standby >"$TMP/short-outage.json" 2>&1; then
    short_out=$(/usr/bin/python3 - "$TMP/short-outage.json" <<'PY'
import json, sys
t = json.load(open(sys.argv[1]))["topologies"][0]
pol = {p["policy"]: p for p in t["compensation"]}
bad = [n for n in ("kakao-2022-small-business", "kakao-2022-paid-extensions",
                   "kt-ahyeon-2018-merchants", "kt-ahyeon-2018-users")
       if pol[n]["total_money"]["max"] != 0 or pol[n]["claimants"]["max"] != 0]
if bad or not pol["aws-region-sla"]["total_money"]["min"] > 0:
    print("paid for a short outage:", bad, "aws min", pol["aws-region-sla"]["total_money"]["min"])
    sys.exit(1)
PY
    )
    if [ $? -eq 0 ]; then ok "policies: a short outage triggers no long-outage scheme"; else
        bad "policies: a short outage triggers no long-outage scheme" "$short_out"; fi
else
    bad "policies: a short outage run" "$(cat "$TMP/short-outage.json")"
fi
