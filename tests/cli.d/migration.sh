# Migration on the command line (sourced by tests/cli.sh): validate refuses
# a `migrate:` that can have no effect or contradicts itself at
# file:line:col with exit 2; params lists the keys (with their defaults made
# explicit) only where a migration is written; replay narrates the start,
# every system moved, the end and a wait for a crew.

MF=tests/fixtures/migration

expect "migration: the fixtures are valid" 0 "^$MF/base.yaml: ok" "$BIN" validate $MF/base.yaml
expect "migration: to an unknown site" 2 "^$MF/bad_unknown_to.yaml:33:52: .*migrate to unknown site 'moon'" \
    "$BIN" validate $MF/bad_unknown_to.yaml
expect "migration: to one of its active sites" 2 \
    "^$MF/bad_to_active.yaml:33:52: .*migrate to 'north', one of its active sites" \
    "$BIN" validate $MF/bad_to_active.yaml
expect "migration: to its standby (the failover's site)" 2 \
    "^$MF/bad_failover.yaml:34:24: .*migrate to 'cloud', its standby site" \
    "$BIN" validate $MF/bad_failover.yaml
expect "migration: beside a failover to another site" 2 \
    "^$MF/bad_failover_elsewhere.yaml:35:24: .*migrate on a service that fails over" \
    "$BIN" validate $MF/bad_failover_elsewhere.yaml
expect "migration: a pace of 0" 2 "^$MF/bad_pace_zero.yaml:33:76: .*migrate.pace must be > 0" \
    "$BIN" validate $MF/bad_pace_zero.yaml
expect "migration: a pace that is no rate" 2 "^$MF/bad_pace_text.yaml:33:76: .*'fast' is not a rate" \
    "$BIN" validate $MF/bad_pace_text.yaml
expect "migration: no pace" 2 "^$MF/bad_no_pace.yaml:33:52: .*migrate needs a pace" \
    "$BIN" validate $MF/bad_no_pace.yaml
sed '32s/migrate: {to: cloud, after: 2h, pace: 24\/d}/migrate: {}/' $MF/base.yaml >"$TMP/mig-empty.yaml"
expect "migration: an empty migrate: {} is refused, not ignored" 2 \
    "mig-empty.yaml:32:38: .*migrate: an empty mapping sets nothing" "$BIN" validate "$TMP/mig-empty.yaml"
expect "migration: no destination" 2 "^$MF/bad_no_to.yaml:33:65: .*migrate without .to." \
    "$BIN" validate $MF/bad_no_to.yaml
expect "migration: a capacity of 0" 2 \
    "^$MF/bad_capacity_zero.yaml:33:81: .*migrate.capacity must be a whole number >= 1" \
    "$BIN" validate $MF/bad_capacity_zero.yaml
expect "migration: more systems than the capacity" 2 \
    "^$MF/bad_systems_over_capacity.yaml:33:93: .*migrate.systems 5 is more than the destination's capacity 4" \
    "$BIN" validate $MF/bad_systems_over_capacity.yaml
expect "migration: more systems than the service has" 2 \
    "^$MF/bad_systems_over_service.yaml:33:80: .*migrate.systems 11 is more than the service's 10 systems" \
    "$BIN" validate $MF/bad_systems_over_service.yaml
expect "migration: --set a negative pace is refused" 2 "migrate.pace must be > 0" \
    "$BIN" validate $MF/base.yaml --set topologies.move-all.services.app.migrate.pace=-3/d
expect "migration: a service with backups cannot migrate" 2 "migrate on a service with backups" \
    "$BIN" validate $MF/base.yaml --set services.app.data=100 \
    --set 'topologies.move-all.services.app.backups=[{at: cloud, interval: 1d, restore_rate: 100}]'

expect "migration: params lists the defaults the model uses" 0 \
    "^topologies.capacity-4.services.app.migrate.systems += 4 " "$BIN" params $MF/base.yaml
expect "migration: params lists no migrate keys where there is none" 1 "^$" \
    bash -c "\"$BIN\" params $MF/base.yaml | grep 'topologies\.stay\..*migrate'"
expect "migration: replay narrates the start" 0 \
    "\+2\.00h +app: migration of 10 systems to cloud starts \(one every 1\.00 h\)" \
    "$BIN" replay $MF/base.yaml --topology move-all
expect "migration: replay narrates every system moved" 0 \
    "\+12\.00h +app: system 10 moved to cloud \(10 of 10\)" "$BIN" replay $MF/base.yaml --topology move-all
expect "migration: replay narrates the end" 0 "app: migration to cloud ends: 4 of 4 systems moved" \
    "$BIN" replay $MF/base.yaml --topology capacity-4
expect "migration: replay narrates a wait for a crew" 0 \
    "\+3\.00h +app: migration of app at cloud waits for a crew \(held by web\)" \
    "$BIN" replay $MF/crews.yaml --topology one-crew

mo=$TMP/migration-run
if "$BIN" run $MF/random.yaml --replications 40 --threads 1 --out "$mo-1" --quiet >/dev/null 2>&1 &&
    "$BIN" run $MF/random.yaml --replications 40 --threads 2 --out "$mo-2" --quiet >/dev/null 2>&1 &&
    cmp -s "$mo-1/results.json" "$mo-2/results.json" &&
    cmp -s "$mo-1/replications.csv" "$mo-2/replications.csv"; then
    ok "migration: 1 and 2 threads give the same bytes"
else
    bad "migration: 1 and 2 threads give the same bytes"
fi
