# A catalogue of incidents (sourced by tests/cli.sh): validate refuses bad
# catalogues at file:line:col with exit 2; a catalogue run writes each
# incident's event loss table and the risk table; its outputs are the same
# bytes for 1 and 2 threads; merge's input (--from/--to) and MPI are refused.

CF=tests/fixtures/catalogue
CX=scenarios/examples/catalogue.yaml

expect "catalogue: the example validates" 0 "^$CX: ok" "$BIN" validate $CX
expect "catalogue: a duplicate incident name" 2 \
    "^$CF/bad_duplicate.yaml:114:11: duplicate incident name 'fire-north'" \
    "$BIN" validate $CF/bad_duplicate.yaml
expect "catalogue: a negative frequency" 2 \
    "^$CF/bad_negative.yaml:115:16: incidents.fire-south.frequency must be" \
    "$BIN" validate $CF/bad_negative.yaml
expect "catalogue: economics.incident_probability beside a catalogue" 2 \
    "^$CF/bad_probability.yaml:110:25: economics.incident_probability has no effect" \
    "$BIN" validate $CF/bad_probability.yaml
expect "catalogue: --from/--to refused" 2 "cannot be split with --from/--to" \
    "$BIN" run $CX --from 0 --to 10 --quiet
expect "catalogue: the run prints the return-period table" 0 "^Risk over a year: 2 incidents" \
    "$BIN" run $CX --replications 200 --quiet --risk-years 20000

ct=$(mktemp -d)
"$BIN" run $CX --replications 200 --threads 1 --risk-years 20000 --out "$ct/a" --quiet >/dev/null
"$BIN" run $CX --replications 200 --threads 2 --chunk 7 --risk-years 20000 --out "$ct/b" \
    --quiet >/dev/null
if diff -r "$ct/a" "$ct/b" >/dev/null && [ -f "$ct/a/incidents/fire-south/replications.csv" ]; then
    ok "catalogue: byte-identical for 1 and 2 threads, event tables per incident"
else
    bad "catalogue: outputs differ between 1 and 2 threads (or no event tables)"
fi
rm -rf "$ct"
