# Command-line checks of `validate` and `params` (sourced by tests/cli.sh).
# Exit codes: 0 for a good scenario, 2 for any problem with the file or the
# command line; problems print as FILE:LINE:COL: MESSAGE on stderr.

F=tests/fixtures

expect "validate: minimal scenario" 0 \
    '^scenarios/minimal.yaml: ok \(2 sites, 4 services, 2 topologies, 1 segment, 0 policies\)$' \
    "$BIN" validate scenarios/minimal.yaml
expect "validate: reference scenario" 0 '^scenarios/kakao-pangyo-2022.yaml: ok \(' \
    "$BIN" validate scenarios/kakao-pangyo-2022.yaml
expect "validate: policies and includes" 0 'ok \(.*3 policies\)' \
    "$BIN" validate $F/good/with_policies.yaml

# One line per error class, with its place.
expect "validate: syntax error" 2 "^$F/bad/syntax.yaml:13:30: YAML syntax error" \
    "$BIN" validate $F/bad/syntax.yaml
expect "validate: unknown key" 2 "^$F/bad/unknown_key.yaml:13:5: unknown key 'restrat'.*did you mean 'restart'" \
    "$BIN" validate $F/bad/unknown_key.yaml
expect "validate: wrong type" 2 "^$F/bad/wrong_type.yaml:13:25: services.chat.needs: expected a list" \
    "$BIN" validate $F/bad/wrong_type.yaml
expect "validate: missing required" 2 "^$F/bad/missing_required.yaml:7:5: .*missing required key 'power_cut'" \
    "$BIN" validate $F/bad/missing_required.yaml
expect "validate: negative duration" 2 "^$F/bad/negative_duration.yaml:9:18: .*negative" \
    "$BIN" validate $F/bad/negative_duration.yaml
expect "validate: negative count" 2 "^$F/bad/negative_count.yaml:19:21: .*negative" \
    "$BIN" validate $F/bad/negative_count.yaml
expect "validate: probability above 1" 2 "^$F/bad/probability.yaml:12:30: .*outside \[0,1\]" \
    "$BIN" validate $F/bad/probability.yaml
expect "validate: p95 below median" 2 "^$F/bad/p95_below_median.yaml:13:49: .*p95 \(90m\) is below the median" \
    "$BIN" validate $F/bad/p95_below_median.yaml
expect "validate: dependency cycle named" 2 "^$F/bad/cycle.yaml:12:18: dependency cycle: auth -> chat -> auth$" \
    "$BIN" validate $F/bad/cycle.yaml
expect "validate: unknown service" 2 "^$F/bad/unknown_service.yaml:13:26: unknown service 'auht'" \
    "$BIN" validate $F/bad/unknown_service.yaml
expect "validate: unknown site" 2 "^$F/bad/unknown_site.yaml:17:31: unknown site 'c'" \
    "$BIN" validate $F/bad/unknown_site.yaml
expect "validate: unplaced service" 2 "^$F/bad/unplaced.yaml:15:11: topology 'one' places service 'chat' nowhere" \
    "$BIN" validate $F/bad/unplaced.yaml
expect "validate: YAML bomb fails fast" 2 "^$F/bad/bomb.yaml:3:9: aliases" \
    timeout 5 "$BIN" validate $F/bad/bomb.yaml
expect "validate: empty file" 2 "^$F/bad/empty.yaml: file is empty" \
    "$BIN" validate $F/bad/empty.yaml
expect "validate: directory" 2 "^$F/bad: is a directory" \
    "$BIN" validate $F/bad
expect "validate: missing file" 2 "^$F/no-such-file.yaml: cannot open: No such file" \
    "$BIN" validate $F/no-such-file.yaml
expect "validate: error inside an included file" 2 "^$F/bad/include/broken_policy.yaml:6:13: " \
    "$BIN" validate $F/bad/include_bad.yaml

# --set
expect "validate: --set accepted" 0 ': ok ' \
    "$BIN" validate scenarios/minimal.yaml --set population.users=96000000 \
    --set businesses.shops.claim_rate=0.2 --set topologies.active-standby.services.maps.failover=automatic
expect "validate: --set bad path" 2 \
    "^--set population.userz=5: no key 'userz' in population \(known: users, hourly, weekly\)$" \
    "$BIN" validate scenarios/minimal.yaml --set population.userz=5
expect "validate: --set bad value" 2 "^--set businesses.shops.claim_rate=1.5: .*outside \[0,1\]" \
    "$BIN" validate scenarios/minimal.yaml --set businesses.shops.claim_rate=1.5
expect "validate: --set without =" 2 "--set: expected PATH=VALUE, got 'population.users'" \
    "$BIN" validate scenarios/minimal.yaml --set population.users
expect "validate: no file" 2 "which scenario" "$BIN" validate
expect "validate: unknown option" 2 "unknown option '--frob'" "$BIN" validate --frob scenarios/minimal.yaml
expect "validate --help teaches" 0 "--set PATH=VALUE.*" "$BIN" validate --help

# validate writes nothing, on success or failure.
binabs=$(cd "$(dirname "$BIN")" && pwd)/$(basename "$BIN")
mkdir -p "$TMP/v" && cp scenarios/minimal.yaml $F/bad/cycle.yaml "$TMP/v/"
(cd "$TMP/v" && "$binabs" validate minimal.yaml >/dev/null 2>&1); rc1=$?
(cd "$TMP/v" && "$binabs" validate cycle.yaml >/dev/null 2>&1); rc2=$?
n=$(find "$TMP/v" | wc -l)
if [ "$rc1" = 0 ] && [ "$rc2" = 2 ] && [ "$n" = 3 ]; then ok "validate writes no files"
else bad "validate writes no files (exit $rc1, $rc2; $n entries)" "$(ls -la "$TMP/v")"; fi

# params
expect "params: lists population.users" 0 '^population\.users +=  *10000000 +count$' \
    "$BIN" params scenarios/minimal.yaml
expect "params: list items by name" 0 '^topologies\.active-standby\.services\.chat\.failover += manual' \
    "$BIN" params scenarios/minimal.yaml
expect "params: distribution parameters" 0 '^incident\.north\.power_cut\.mean += 1\.5 +h$' \
    "$BIN" params scenarios/minimal.yaml
expect "params: after --set" 0 '^businesses\.shops\.claim_rate += 0\.2 +fraction$' \
    "$BIN" params scenarios/minimal.yaml --set businesses.shops.claim_rate=20%
expect "params: policy parameters" 0 '^policies\.shop-credit\.params\.amount += 50000 +won$' \
    "$BIN" params $F/good/with_policies.yaml
expect "params: bad file is exit 2" 2 "^$F/bad/cycle.yaml:12:18: dependency cycle" \
    "$BIN" params $F/bad/cycle.yaml
# Every listed line fed back through --set leaves the listing unchanged.
"$BIN" params scenarios/minimal.yaml >"$TMP/p1" 2>&1
args=()
while IFS= read -r l; do
    p=${l%% = *}; p=${p%% *}; v=${l#* = }; v=${v%% *}
    case "$v" in *" "*|"["*|"") continue ;; esac
    args+=(--set "$p=$v")
done < <(grep -v -e '\[' -e 'description' -e 'region' -e 'scenario.start' "$TMP/p1")
# (The provenance lines, "    # ...", say "set on the command line" after it.)
"$BIN" params scenarios/minimal.yaml "${args[@]}" 2>&1 | grep -v '^    # ' >"$TMP/p2"
if cmp -s "$TMP/p1" "$TMP/p2" && [ ${#args[@]} -gt 100 ]; then ok "params: values round-trip through --set (${#args[@]} args)"
else bad "params: values round-trip through --set" "$(diff "$TMP/p1" "$TMP/p2" | head)"; fi
