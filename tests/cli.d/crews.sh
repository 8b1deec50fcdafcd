# Crews (docs/model.md, "Crews in the replay"): replay narrates who waited
# for whom, the hand-computed one-crew timeline comes out, and validate
# refuses crews that cannot be right or can have no effect, with a position.
cr_sc=tests/fixtures/crews/three.yaml
cr_txt=$("$BIN" replay "$cr_sc" --topology one-crew 2>&1)
if grep -q 'a: restart of a at north waits for a crew (held by c)$' <<<"$cr_txt" &&
    grep -q 'b: restart of b at north waits for a crew (held by c)$' <<<"$cr_txt"; then
    ok "crews: replay narrates who waits for whom"
else bad "crews: replay narrates who waits for whom" "$cr_txt"; fi
cr_want="  b                              9.00         8.00          0.0
  c                              6.00         5.00          0.0
  a                              8.00         7.00          0.0"
cr_got=$(grep -E '^  (a|b|c) ' <<<"$cr_txt")
if [ "$cr_got" = "$cr_want" ]; then ok "crews: one crew, three tasks, by priority then name"
else bad "crews: one crew, three tasks, by priority then name" \
    "$(diff <(echo "$cr_want") <(echo "$cr_got"))"; fi

sed 's/^    crews: 1$/    crews: 0/' "$cr_sc" >"$TMP/cr0.yaml"
expect "crews: validate refuses crews: 0" 2 "cr0.yaml:[0-9]+:[0-9]+: topology 'one-crew': crews must be at least 1" "$BIN" validate "$TMP/cr0.yaml"
sed 's/^    crews: 1$/    site_crews: {north: 1, west: 2}/' "$cr_sc" >"$TMP/cr1.yaml"
expect "crews: validate refuses an unknown site" 2 "cr1.yaml:[0-9]+:[0-9]+: .*unknown site 'west'" "$BIN" validate "$TMP/cr1.yaml"
sed 's/^    crews: 1$/    site_crews: {north: 0}/' "$cr_sc" >"$TMP/cr2.yaml"
expect "crews: validate refuses site crews below 1" 2 "cr2.yaml:[0-9]+:[0-9]+: .*site_crews.north must be at least 1" "$BIN" validate "$TMP/cr2.yaml"
sed '/^    crews: 1$/d' "$cr_sc" >"$TMP/cr3.yaml"
expect "crews: validate refuses a priority no crew can honour" 2 "cr3.yaml:[0-9]+:[0-9]+: services\.b\.priority has no effect" "$BIN" validate "$TMP/cr3.yaml"
sed 's/^    crews: 1$/    crews: 2\n    shifts: [{from: 20h, to: 8h, crews: 1}, {from: 6h, to: 9h, crews: 3}]/' "$cr_sc" >"$TMP/cr5.yaml"
expect "crews: validate refuses overlapping shifts of one pool" 2 "cr5.yaml:[0-9]+:[0-9]+: .*two shifts of one pool overlap" "$BIN" validate "$TMP/cr5.yaml"
sed 's/^    crews: 1$/    crews: 1\n    shifts: [{from: 20h, to: 8h, crews: 1}]/' "$cr_sc" >"$TMP/cr6.yaml"
expect "crews: validate refuses a shift of the pool's own size" 2 "cr6.yaml:[0-9]+:[0-9]+: .*the pool's own size, changes nothing" "$BIN" validate "$TMP/cr6.yaml"
sed 's/^    crews: 1$/    site_crews: {north: 2}\n    shifts: [{from: 20h, to: 8h, crews: 1}]/' "$cr_sc" >"$TMP/cr7.yaml"
expect "crews: validate refuses a shift of a shared pool that does not exist" 2 "cr7.yaml:[0-9]+:[0-9]+: .*name the site of its pool" "$BIN" validate "$TMP/cr7.yaml"
sed 's/^    crews: 1$/    crews: 2\n    shifts: [{from: 25h, to: 8h, crews: 1}]/' "$cr_sc" >"$TMP/cr8.yaml"
expect "crews: validate refuses a shift outside the day" 2 "cr8.yaml:[0-9]+:[0-9]+: .*from is a time of day" "$BIN" validate "$TMP/cr8.yaml"
sed 's/^    crews: 1$/    site_crews: {north: 2}\n    shifts: [{at: north, from: 20h, to: 8h, crews: 1}]/' "$cr_sc" >"$TMP/cr9.yaml"
expect "crews: a night shift at a site's pool validates" 0 "cr9.yaml: ok" "$BIN" validate "$TMP/cr9.yaml"
sed 's/^    crews: 1$/    crews: 1\n    staff: 2/' "$cr_sc" >"$TMP/cr4.yaml"
expect "crews: validate refuses staff beside crews" 2 "cr4.yaml:[0-9]+:[0-9]+: .*staff has no effect" "$BIN" validate "$TMP/cr4.yaml"

# Crews too many to run short give today's results, number for number, on the
# reference scenario. Today's hands are unlimited except `staff`, which gates
# manual failovers and binds in some replications at its value of 2; so both
# runs lift it: every topology's staff becomes a million people in one, a pool
# of a million crews (refusing staff) in the other.
cr_ref="$TMP/crews-ref"
mkdir -p "$cr_ref" && cp -r scenarios/policies "$cr_ref/" &&
    sed 's/^    staff: .*$/    staff: 1000000/' scenarios/kakao-pangyo-2022.yaml >"$cr_ref/staff.yaml" &&
    sed 's/^    staff: .*$/    crews: 1000000/' scenarios/kakao-pangyo-2022.yaml >"$cr_ref/crews.yaml"
cr_n=$(grep -c '^    crews: 1000000$' "$cr_ref/crews.yaml")
if [ "$cr_n" -ge 4 ] &&
    "$BIN" run "$cr_ref/staff.yaml" --seed 7 --replications 200 --threads 2 \
        --quiet --out "$cr_ref/staff" >/dev/null 2>&1 &&
    "$BIN" run "$cr_ref/crews.yaml" --seed 7 --replications 200 --threads 2 \
        --quiet --out "$cr_ref/crews" >/dev/null 2>&1; then
    cr_diff=""
    for f in summary.csv replications.csv series-timeline.dat series-systems.dat series-users.dat series-loss.dat; do
        if [ ! -s "$cr_ref/staff/$f" ]; then cr_diff="$cr_diff missing:$f"; continue; fi
        cmp -s <(grep -v '^#' "$cr_ref/staff/$f") <(grep -v '^#' "$cr_ref/crews/$f") ||
            cr_diff="$cr_diff $f"
    done
    if [ -z "$cr_diff" ]; then ok "crews: a million crews on every reference design give the unlimited-hands numbers ($cr_n topologies)"
    else bad "crews: a million crews on every reference design give the unlimited-hands numbers" "differ:$cr_diff"; fi
else
    bad "crews: a million crews on every reference design give the unlimited-hands numbers" "runs failed ($cr_n topologies with crews)"
fi
