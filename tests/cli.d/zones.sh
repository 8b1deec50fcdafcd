# Failure domains on the command line (sourced by tests/cli.sh): validate
# refuses the new keys' mistakes at file:line:col with exit 2 and writes
# nothing; params lists the new values and --set reaches them; replay
# narrates per zone and per decision; the example scenario runs.

ZF=tests/fixtures/zones
ZX=scenarios/examples/zones.yaml

expect "zones: the example validates" 0 "^$ZX: ok \(4 sites" "$BIN" validate $ZX
expect "zones: a placement in an unknown zone" 2 \
    "^$ZF/bad_unknown_zone.yaml:30:48: .*unknown zone 'hall' of site 'a'" \
    "$BIN" validate $ZF/bad_unknown_zone.yaml
expect "zones: zones in an unknown site" 2 \
    "^$ZF/bad_unknown_site.yaml:30:44: .*zones in unknown site 'c'" \
    "$BIN" validate $ZF/bad_unknown_site.yaml
expect "zones: an empty zone list" 2 \
    "^$ZF/bad_empty.yaml:30:44: .*zones.a.zones: needs at least one item" \
    "$BIN" validate $ZF/bad_empty.yaml
expect "zones: partial_loss on a zoned site" 2 \
    "^$ZF/bad_partial_loss.yaml:21:19: .*partial_loss is refused on a site with zones" \
    "$BIN" validate $ZF/bad_partial_loss.yaml
expect "zones: a shared draw given again with with:" 2 \
    "^$ZF/bad_with_shared.yaml:21:48: .*suppression is refused here" \
    "$BIN" validate $ZF/bad_with_shared.yaml
expect "zones: reopen without an earlier cut" 2 \
    "^$ZF/bad_reopen.yaml:23:25: .*without an earlier cut or abandon" \
    "$BIN" validate $ZF/bad_reopen.yaml
expect "zones: a --set share that breaks the sum is refused at the zone list" 2 \
    "^$ZF/base.yaml:6:5: sites.a.zones: shares sum to 1.4, not 1" \
    "$BIN" validate $ZF/base.yaml --set sites.a.zones.fire.share=0.5

zo=$TMP/zones-run
if "$BIN" run $ZF/bad_unknown_zone.yaml --replications 5 --out "$zo" --quiet >/dev/null 2>&1 ||
    [ -e "$zo" ]; then
    bad "zones: a refused scenario writes nothing"
else
    ok "zones: a refused scenario writes nothing"
fi

expect "zones: params lists zone shares" 0 "^sites.campus-a.zones.hall-1.share +=  *0.35 +fraction" \
    "$BIN" params $ZX
expect "zones: params lists per-zone destruction" 0 \
    "^incident.campus-a.zones.hall-1.destroyed.max +=  *0.1 " "$BIN" params $ZX
expect "zones: params lists offsets" 0 "^incident.campus-b.offset +=  *0.25 +h" "$BIN" params $ZX
expect "zones: params lists decision times" 0 "^decisions.2.after.min +=  *192 +h" "$BIN" params $ZX
expect "zones: --set moves a decision" 0 "abandoned \(decision\)" \
    "$BIN" replay $ZF/base.yaml --topology t --set decisions.0.after=3d
expect "zones: --set reaches a zone's darkness" 0 "zone mid: dark \(UPS failed\)" \
    "$BIN" replay $ZF/base.yaml --topology t --set incident.a.zones.fire.dark=ups \
    --set 'incident.a.zones={fire: {dark: ups, destroyed: 1}, mid: {dark: ups}}'

expect "zones: replay narrates a zone going dark" 0 "a: zone fire: dark \(UPS failed\)" \
    "$BIN" replay $ZF/base.yaml --topology t
expect "zones: replay narrates a zone's power back" 0 "a: zone far: power back" \
    "$BIN" replay $ZF/base.yaml --topology t
expect "zones: replay narrates a decision" 0 "a: zone fire: abandoned \(decision\)" \
    "$BIN" replay $ZF/base.yaml --topology t
expect "zones: the zone destroyed whole loses the data placed there" 0 \
    "store +480.00 +[0-9.]+ +400.0" "$BIN" replay $ZF/base.yaml --topology t
expect "zones: the example runs" 0 "campus-only" \
    "$BIN" run $ZX --replications 20 --format table

# Narration tells what happens, not what the incident alone would do: power
# back in a zone that a decision keeps shut says so; a zone that a reopen
# already gave power back is not told "power back" again; a service's level
# is told once per rounded percentage (Paris: zone a's instances come back
# one by one after the reopen, hundreds of steps of well under 1%).
zn_paris=$("$BIN" replay scenarios/gcp-paris-2023.yaml --topology as-was 2>&1)
if grep -q "zone main-halls: power back, but the site stays shut until reopened (decision)$" \
    <<<"$zn_paris" && ! grep -q "zone main-halls: power back$" <<<"$zn_paris"; then
    ok "zones: power back under a decision that keeps the site shut is told as such"
else
    bad "zones: power back under a decision that keeps the site shut is told as such" \
        "$(grep -E "power back|decision" <<<"$zn_paris")"
fi
zn_rep=$(awk '/^[0-9][0-9][0-9][0-9]-/ { who = $5; what = ""; for (i = 6; i <= NF; i++) what = what " " $i
                 if (what ~ /available|^ down$|serving fully/) {
                     if (last[who] == what) print; last[who] = what } }' <<<"$zn_paris")
if [ -z "$zn_rep" ] && grep -q "zonal-instances: degraded: 1% available" <<<"$zn_paris"; then
    ok "zones: a service's level is told only when its rounded percentage changes"
else
    bad "zones: a service's level is told only when its rounded percentage changes" \
        "$(head -5 <<<"$zn_rep")"
fi
zn_ex=$("$BIN" replay $ZX --topology campus-only 2>&1)
if grep -q "campus-b: zone east: reopened: power back (decision)" <<<"$zn_ex" &&
    ! grep -q "campus-b: zone east: power back" <<<"$zn_ex"; then
    ok "zones: a zone reopened by decision is not told power back a second time"
else
    bad "zones: a zone reopened by decision is not told power back a second time" \
        "$(grep -E "zone east" <<<"$zn_ex")"
fi
