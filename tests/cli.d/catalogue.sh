# A catalogue of incidents (sourced by tests/cli.sh): validate refuses bad
# catalogues at file:line:col with exit 2; a catalogue run writes each
# incident's event loss table and the risk table; its outputs are the same
# bytes for 1 and 2 threads (splitting it with --from/--to + merge and
# running it over MPI ranks: catalogue-split.sh).

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

# The issue's checks at the integration level, on results.json's risk block:
# one incident of frequency f: the AAL's interval holds f x the mean event
# loss; two identical incidents of f/2: the AAL's interval holds the same
# f x mean; losses at return periods never decrease with T; a design that
# takes an incident's loss away (single-site meets no loss from a fire at
# south) has exactly the other incident's f x mean as its expected loss.
if command -v python3 >/dev/null 2>&1; then
    ct=$(mktemp -d)
    "$BIN" run $CF/one.yaml --replications 2000 --quiet --format json >"$ct/one.json"
    "$BIN" run $CF/halves.yaml --replications 2000 --quiet --format json >"$ct/halves.json"
    "$BIN" run $CX --replications 500 --quiet --out "$ct/ex" >/dev/null
    out=$(python3 - "$ct" <<'PY'
import json, sys
d = sys.argv[1]
one = json.load(open(d + "/one.json"))
halves = json.load(open(d + "/halves.json"))
ex = json.load(open(d + "/ex/results.json"))
north = json.load(open(d + "/ex/incidents/fire-north/results.json"))
bad = []
for t, top in enumerate(one["topologies"]):
    mean = top["economics"]["mean_incident_cost_money"]
    m = one["risk"]["topologies"][t]["measures"][0]
    if not (m["aal_ci95_low_money"] <= 0.01 * mean <= m["aal_ci95_high_money"]):
        bad.append("one: f x mean %g outside the AAL interval" % (0.01 * mean))
    h = halves["risk"]["topologies"][t]["measures"][0]
    if not (h["aal_ci95_low_money"] <= 0.01 * mean <= h["aal_ci95_high_money"]):
        bad.append("halves: f x mean %g outside the AAL interval" % (0.01 * mean))
    for doc in (one, halves, ex):
        for mm in doc["risk"]["topologies"][t]["measures"]:
            for curve in ("aep", "oep"):
                v = [a["loss_money"] for a in mm[curve]]
                if v != sorted(v):
                    bad.append("%s not monotone: %s" % (curve, v))
ss = [t for t in ex["risk"]["topologies"] if t["name"] == "single-site"][0]["measures"][0]
nm = [t for t in north["topologies"] if t["name"] == "single-site"][0]
want = 0.002 * nm["incident_cost_money"]["mean"]
if abs(ss["aal_analytic_money"] - want) > 1:
    bad.append("single-site AAL %g, want fire-north's %g alone" % (ss["aal_analytic_money"], want))
print("\n".join(bad) if bad else "fine")
PY
)
    if [ "$out" = fine ]; then
        ok "catalogue: f x mean, f/2 + f/2, monotone return periods, a removed loss"
    else
        bad "catalogue: risk checks" "$out"
    fi
    rm -rf "$ct"
else
    skip "catalogue: risk checks" "no python3"
fi
expect "catalogue: sweep refuses to vary a catalogue's incidents" 2 "do not run catalogues yet" \
    "$BIN" sweep $CX --vary incidents.fire-north.frequency=0.001,0.002 --replications 10 --quiet

# The reference scenario's catalogue (issue 17): it loads, `params` shows
# each frequency with its ASSUMPTION, a run prints both incidents; `run
# --incident` runs one incident alone, byte for byte the catalogue run's
# event table of it; sweeps run the first incident; a catalogue run with
# --plots draws the exceedance figure from exceedance.dat (one block per
# design).
REFC=scenarios/kakao-pangyo-2022.yaml
expect "catalogue: the reference validates with its catalogue" 0 "^$REFC: ok" \
    "$BIN" validate $REFC
pout=$("$BIN" params $REFC 2>&1)
if grep -A1 -E '^incidents\.fire-pangyo\.frequency +=' <<<"$pout" | grep -q 'ASSUMPTION: .*S11' &&
    grep -A1 -E '^incidents\.fire-dc2\.frequency +=' <<<"$pout" | grep -q 'ASSUMPTION: '; then
    ok "catalogue: params shows the reference's frequencies with their assumptions"
else
    bad "catalogue: params lacks the reference's frequencies or their reasons" \
        "$(grep -A1 '^incidents' <<<"$pout" | head -6)"
fi
expect "catalogue: the reference runs both fires" 0 \
    "incidents: fire-pangyo \(0\.002/yr\), fire-dc2 \(0\.002/yr\)" \
    "$BIN" run $REFC --replications 40 --risk-years 20000 --quiet
expect "catalogue: --incident names an incident of the catalogue" 2 \
    "--incident fire-nowhere: no such incident" \
    "$BIN" run $REFC --incident fire-nowhere --replications 4 --quiet
expect "catalogue: --incident needs a catalogue" 2 "holds no catalogue" \
    "$BIN" run scenarios/minimal.yaml --incident fire-north --replications 4 --quiet
cr=$(mktemp -d)
"$BIN" run $REFC --replications 60 --risk-years 20000 --out "$cr/cat" --quiet >/dev/null 2>&1
"$BIN" run $REFC --incident fire-dc2 --replications 60 --out "$cr/one" --quiet >/dev/null 2>&1
if [ -s "$cr/one/summary.csv" ] &&
    cmp -s "$cr/one/summary.csv" "$cr/cat/incidents/fire-dc2/summary.csv" &&
    ! cmp -s "$cr/one/summary.csv" "$cr/cat/incidents/fire-pangyo/summary.csv"; then
    ok "catalogue: run --incident fire-dc2 is the catalogue run's event table of fire-dc2"
else
    bad "catalogue: run --incident differs from the catalogue's event table (or is missing)"
fi
expect "catalogue: sweep runs the reference's first incident" 0 "^ +2 +8h" \
    "$BIN" sweep $REFC --vary incident.pangyo.suppression.median=6h,8h --replications 8 --quiet
if command -v gnuplot >/dev/null 2>&1; then
    "$BIN" run $CX --replications 100 --risk-years 20000 --out "$cr/fig" --plots --quiet \
        >/dev/null 2>&1
    blocks=$(grep -c '^# design: ' "$cr/fig/plots/exceedance.dat" 2>/dev/null)
    if [ -s "$cr/fig/plots/exceedance.png" ] && [ "$blocks" = 2 ] &&
        [ "$(head -c 4 "$cr/fig/plots/exceedance.png" | od -An -c | tr -d ' ')" = '211PNG' ]; then
        ok "catalogue: run --plots draws exceedance.png (one curve per design)"
    else
        bad "catalogue: no exceedance figure, or exceedance.dat lacks a design ($blocks blocks)" \
            "$(ls "$cr/fig/plots" 2>&1)"
    fi
    cp -r "$cr/fig" "$cr/again" && rm -rf "$cr/again/plots"
    if "$BIN" plot "$cr/again" --quiet >/dev/null 2>&1 &&
        cmp -s "$cr/fig/plots/exceedance.dat" "$cr/again/plots/exceedance.dat" &&
        cmp -s "$cr/fig/plots/designs.dat" "$cr/again/plots/designs.dat" &&
        [ -s "$cr/again/plots/exceedance.png" ]; then
        ok "catalogue: plot of a catalogue's folder redraws its risk and economics as run did"
    else
        bad "catalogue: plot of a catalogue's folder differs from the run's figures (or failed)" \
            "$("$BIN" plot "$cr/again" 2>&1 | tail -3)"
    fi
    "$BIN" run scenarios/minimal.yaml --replications 20 --out "$cr/min" --plots --quiet \
        >/dev/null 2>&1
    if [ -s "$cr/min/plots/timeline.png" ] && [ ! -e "$cr/min/plots/exceedance.png" ]; then
        ok "catalogue: a single-incident run draws no exceedance figure"
    else
        bad "catalogue: a single-incident run drew an exceedance figure (or nothing)"
    fi
else
    skip "catalogue: the exceedance figure" "no gnuplot"
fi
rm -rf "$cr"
