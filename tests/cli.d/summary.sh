# Command-line tests of summary.csv (sourced by tests/cli.sh).
# Invariants: summary.csv carries, per topology, the economics of results.json
# (economics.* rows, the same numbers) and compensation_total_money, the per
# replication sum of the total of every policy counted in the economics.

SM="$TMP/summary.d"
mkdir -p "$SM"
"$BIN" run scenarios/kakao-pangyo-2022.yaml --replications 8 --quiet \
    --topology as-was,dual-active-standby --out "$SM/ref" >"$SM/ref.txt" 2>&1
rc=$?
if [ $rc -eq 0 ] && python3 - "$SM/ref" <<'PYEOF'; then
import csv, json, math, sys
d = sys.argv[1]
doc = json.load(open(d + "/results.json"))
rows = [r for r in csv.reader(l for l in open(d + "/summary.csv") if not l.startswith("#"))]
head, body = rows[0], rows[1:]
assert head[:7] == ["topology", "metric", "unit", "n", "mean", "ci95_low", "ci95_high"], head
def row(t, m):
    found = [r for r in body if r[0] == t and r[1] == m]
    assert len(found) == 1, (t, m, len(found))
    return found[0]
def same(csv_text, x):
    if x is None:
        return csv_text == ""
    if isinstance(x, bool):
        return csv_text == ("1" if x else "0")
    return math.isclose(float(csv_text), float(x), rel_tol=1e-11, abs_tol=1e-12)
counted = [p for p in doc["economics"]["policies"]]
assert counted, "the reference counts policies in its economics"
for t in doc["topologies"]:
    e, name = t["economics"], t["name"]
    checks = [("economics.mean_incident_cost_money", 4, e["mean_incident_cost_money"]),
              ("economics.expected_annual_loss_money", 4, e["expected_annual_loss_money"]),
              ("economics.annual_cost_money", 4, e["annual_cost_money"]),
              ("economics.net_annual_benefit_money", 4, e["net_annual_benefit_money"]),
              ("economics.net_annual_benefit_money", 5, e["net_annual_benefit_ci95_low_money"]),
              ("economics.net_annual_benefit_money", 6, e["net_annual_benefit_ci95_high_money"]),
              ("economics.pays_for_itself", 4, e["pays_for_itself"]),
              ("economics.break_even_probability", 4, e["break_even_probability"])]
    for m, col, want in checks:
        got = row(name, m)[col]
        assert same(got, want), (name, m, col, got, want)
    if e["pays_when"] in ("above", "below"):
        assert row(name, "economics.break_even_probability")[2] == "per year; pays " + e["pays_when"]
    # compensation_total_money: in results.json, and the sum of the counted policies.
    ct = row(name, "compensation_total_money")
    assert same(ct[4], t["compensation_total_money"]["mean"]), (ct, t["compensation_total_money"])
    total = sum(p["total_money"]["mean"] for p in t["compensation"] if p["in_economics"])
    assert math.isclose(float(ct[4]), total, rel_tol=1e-9), (ct[4], total)
    assert float(ct[4]) > 0 or name != "as-was"
# The reference is a catalogue: its risk of a year (the operator's measure)
# is in risk.* rows, the numbers of results.json's risk block.
assert "risk" in doc, "the reference holds a catalogue"
for t in doc["risk"]["topologies"]:
    m, name = t["measures"][0], t["name"]
    assert m["measure"] == "incident_cost_money", m["measure"]
    aal = row(name, "risk.aal_money")
    assert aal[2] == "KRW/year" and aal[3] == str(doc["risk"]["years"]), aal
    for col, key in ((4, "aal_money"), (5, "aal_ci95_low_money"), (6, "aal_ci95_high_money")):
        assert same(aal[col], m[key]), (name, key, aal[col], m[key])
    for q in m["aep"]:
        r_ = row(name, "risk.aep_%dy_money" % q["return_period_y"])
        assert same(r_[4], q["loss_money"]) and same(r_[6], q["ci95_high_money"]), (name, r_, q)
    for x in m["tail"]:
        r_ = row(name, "risk.tvar_%dy_money" % round(1 / x["level"]))
        assert same(r_[4], x["tvar_money"]), (name, r_, x)
# Per replication: the column of replications.csv is the sum of the counted policies.
reps = [r for r in csv.DictReader(l for l in open(d + "/replications.csv") if not l.startswith("#"))]
assert len(reps) == 16
for r in reps:
    s = sum(float(r["compensation.%s.total_money" % p]) for p in counted)
    assert math.isclose(float(r["compensation_total_money"]), s, rel_tol=1e-12, abs_tol=1e-6), r
PYEOF
    ok "summary.csv: economics and risk rows and compensation_total_money agree with results.json"
else
    bad "summary.csv: economics rows and compensation_total_money agree with results.json (exit $rc)" \
        "$(tail -5 "$SM/ref.txt")"
fi
