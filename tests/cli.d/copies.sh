# Copies of data on the command line (sourced by tests/cli.sh): validate
# refuses a backup that can have no effect or no way back at file:line:col
# with exit 2 and accepts one in the same building; params and --set reach
# the new keys; replay narrates the restore and shows when data is back;
# run writes the copies metrics only for a scenario with backups.

CF=tests/fixtures/copies

expect "copies: a backup at an unknown site" 2 \
    "^$CF/bad_unknown_site.yaml:16:25: .*backup at unknown site 'nowhere'" \
    "$BIN" validate $CF/bad_unknown_site.yaml
expect "copies: a backup in an unknown zone" 2 \
    "^$CF/bad_unknown_zone.yaml:16:25: .*backup at unknown zone 'b9' of site 'pangyo'" \
    "$BIN" validate $CF/bad_unknown_zone.yaml
expect "copies: a zone of a site without zones" 2 \
    "^$CF/bad_unzoned.yaml:16:25: .*site 'offsite' has no zones" \
    "$BIN" validate $CF/bad_unzoned.yaml
expect "copies: a restore rate that can be 0 (no restore path)" 2 \
    "^$CF/bad_rate.yaml:16:49: .*no restore path" "$BIN" validate $CF/bad_rate.yaml
expect "copies: an interval of 0" 2 "^$CF/bad_interval.yaml:16:44: .*interval must be > 0" \
    "$BIN" validate $CF/bad_interval.yaml
expect "copies: a backup of a service without data" 2 \
    "^$CF/bad_no_data.yaml:16:25: .*holds no data \(data: 0\) can have no effect" \
    "$BIN" validate $CF/bad_no_data.yaml
expect "copies: a backup without a restore rate" 2 \
    "^$CF/bad_missing_rate.yaml:16:21: .*missing required key 'restore_rate'" \
    "$BIN" validate $CF/bad_missing_rate.yaml
expect "copies: a backup in the same building (and zone) is accepted" 0 \
    "^$CF/good_same_building.yaml: ok" "$BIN" validate $CF/good_same_building.yaml
expect "copies: --set a restore rate of 0 is refused" 2 "no restore path" \
    "$BIN" validate $CF/base.yaml --set topologies.same-zone.services.store.backups.0.restore_rate=0

expect "copies: params lists a backup's keys" 0 \
    "^topologies.same-building.services.store.backups.0.restore_rate.max += +20000 +GB/h" \
    "$BIN" params $CF/base.yaml
expect "copies: replay narrates the restore" 0 \
    "store: restore of [0-9]+ GB from the backup at offsite starts" \
    "$BIN" replay $CF/base.yaml --topology offsite-only --set incident.pangyo.zones.fire.destroyed=1
expect "copies: replay narrates the data back" 0 "store: data restored from the backup" \
    "$BIN" replay $CF/base.yaml --topology offsite-only --set incident.pangyo.zones.fire.destroyed=1
expect "copies: replay's summary shows when data is back" 0 "data back \(h\)" \
    "$BIN" replay $CF/base.yaml --topology offsite-only
expect "copies: no data-back column without backups" 0 "^  service +back at \(h\) +downtime \(h\) +data lost$" \
    "$BIN" replay $CF/base.yaml --topology none

co=$TMP/copies-run
if "$BIN" run $CF/base.yaml --replications 50 --out "$co" --quiet >/dev/null 2>&1 &&
    grep -q '"data_restored_h"' "$co/results.json" &&
    grep -q '^same-building,services.store.data_lost_no_copy_gb,GB,' "$co/summary.csv" &&
    grep -q 'services.store.data_lost_backup_gb' "$co/replications.csv"; then
    ok "copies: run writes the copies metrics"
else
    bad "copies: run writes the copies metrics"
fi
if "$BIN" run tests/fixtures/zones/base.yaml --replications 5 --out "$co-none" --quiet \
    >/dev/null 2>&1 && ! grep -q 'data_restored_h' "$co-none/results.json" "$co-none/summary.csv"; then
    ok "copies: no copies metrics without backups"
else
    bad "copies: no copies metrics without backups"
fi
expect "copies: a saved run with copies loads back (merge)" 0 "" \
    "$BIN" merge "$co" --out "$co-merged"
if cmp -s "$co/summary.csv" "$co-merged/summary.csv"; then
    ok "copies: the merged run is the same"
else
    bad "copies: the merged run is the same"
fi
if "$BIN" report "$co" --no-pdf --quiet >/dev/null 2>&1 && grep -q 'Copies of data' "$co/report.md" &&
    "$BIN" report "$co-none" --no-pdf --quiet >/dev/null 2>&1 &&
    ! grep -q 'Copies of data' "$co-none/report.md"; then
    ok "copies: the report has a copies table only for a scenario with backups"
else
    bad "copies: the report has a copies table only for a scenario with backups"
fi
