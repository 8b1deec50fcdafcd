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
sed 's/^    crews: 1$/    crews: 1\n    staff: 2/' "$cr_sc" >"$TMP/cr4.yaml"
expect "crews: validate refuses staff beside crews" 2 "cr4.yaml:[0-9]+:[0-9]+: .*staff has no effect" "$BIN" validate "$TMP/cr4.yaml"
