# Money in the scenario's currency (sourced by tests/cli.sh): the EUR
# example writes no won anywhere (tables, CSV, JSON, figure scripts and
# data); a preset in won needs an explicit rate, which converts its
# amounts; an unknown currency is refused; KRW tables are as they were; the
# liability report of the EUR run shows no 원 (HTML, Markdown, PDF text).

C="$TMP/currency"
mkdir -p "$C"
EUR=scenarios/examples/eur-operator.yaml

# --- the EUR example, with figures when gnuplot is there
if command -v gnuplot >/dev/null 2>&1; then PLOTS=--plots; else PLOTS=; fi
if "$BIN" run "$EUR" --replications 60 --seed 3 --out "$C/eur" $PLOTS --quiet \
    >"$C/eur.txt" 2>"$C/eur.err"; then
    ok "currency: the EUR example runs"
else
    bad "currency: the EUR example runs" "$(cat "$C/eur.err")"
fi
# Every text the run wrote: the table, the CSV and JSON files, the series
# and, with --plots, the figure scripts and data (PNGs are images).
found=$(grep -rlE '원|_krw|\bwon\b' "$C/eur.txt" "$C/eur" --exclude='*.png' 2>/dev/null)
if [ -z "$found" ] && [ -s "$C/eur/results.json" ]; then
    ok "currency: no 원, no _krw and no 'won' in the EUR run's table, CSV, JSON and figures"
else
    bad "currency: no 원, no _krw and no 'won' in the EUR run's table, CSV, JSON and figures" \
        "$(grep -rnE '원|_krw|\bwon\b' $found | head -5)"
fi
if grep -q '€' "$C/eur.txt" && grep -Eq '€[0-9.,]+m' "$C/eur.txt"; then
    ok "currency: the EUR table shows euros and €m"
else
    bad "currency: the EUR table shows euros and €m" "$(head -20 "$C/eur.txt")"
fi
if python3 - "$C/eur" <<'PY'
import csv, json, sys
d = sys.argv[1]
r = json.load(open(d + "/results.json"))
assert r["currency"] == "EUR", r.get("currency")
assert json.load(open(d + "/series.json"))["currency"] == "EUR"
t = r["topologies"][0]
assert isinstance(t["incident_cost_money"]["p50"], int)
assert "annual_cost_money" in t["economics"]
rows = list(csv.reader(l for l in open(d + "/summary.csv") if not l.startswith("#")))
units = {row[1]: row[2] for row in rows[1:]}
assert units["incident_cost_money"] == "EUR", units["incident_cost_money"]
assert units["economics.annual_cost_money"] == "EUR/year"
PY
then
    ok "currency: results.json and series.json say EUR; summary.csv units are EUR"
else
    bad "currency: results.json and series.json say EUR; summary.csv units are EUR"
fi
if [ -n "$PLOTS" ]; then
    if grep -q "money_unit = '€ million'" "$C/eur/plots/vars.gp" &&
        grep -q "money_unit_long" "$C/eur/plots/compensation.gp" &&
        [ -s "$C/eur/plots/compensation.png" ]; then
        ok "currency: the EUR figures are labelled in € million"
    else
        bad "currency: the EUR figures are labelled in € million" \
            "$(grep -n money "$C/eur/plots/vars.gp" | head -5)"
    fi
else
    skip "currency: the EUR figures are labelled in € million" "no gnuplot on PATH"
fi

# --- the liability report of the EUR run (issue #18: no 원 anywhere in its
# tables, figures or report): report.html (with its inline SVG figures),
# report.md and, with Chromium and pdftotext, the text of report.pdf.
cp -r "$C/eur" "$C/eur-report"
R="$C/eur-report"
if OUTAGESIM_PLOTS="$PWD/plots" "$BIN" report "$R" >"$C/report.out" 2>&1 &&
    [ -s "$R/report.html" ] && [ -s "$R/report.md" ]; then
    ok "currency: the EUR run's report is written"
else
    bad "currency: the EUR run's report is written" "$(cat "$C/report.out")"
fi
found=$(grep -lE '원|억|만원' "$R/report.html" "$R/report.md" 2>/dev/null)
if [ -z "$found" ] && grep -Eq '€[0-9]' "$R/report.md" && grep -Eq '€[0-9]' "$R/report.html"; then
    ok "currency: the EUR report.html and report.md show euros and no 원"
else
    bad "currency: the EUR report.html and report.md show euros and no 원" \
        "$(grep -nE '원|억|만원' "$R/report.html" "$R/report.md" | head -5)"
fi
# The KRW preset converted at the include's rate is shown as an assumption.
if grep -Fq '| policies.kr-civil-damages-precedent.rate | assumption |' "$R/report.md" &&
    grep -Fq 'written in KRW and were converted when the scenario was loaded at 0.00068 EUR per KRW' \
        "$R/report.md"; then
    ok "currency: the report lists the conversion of a KRW preset as an assumption"
else
    bad "currency: the report lists the conversion of a KRW preset as an assumption" \
        "$(grep -n 'rate\|KRW' "$R/report.md" | head -5)"
fi
if ! command -v chromium >/dev/null 2>&1; then
    skip "currency: the EUR report.pdf text shows euros and no 원" "no chromium on PATH"
elif ! command -v pdftotext >/dev/null 2>&1; then
    skip "currency: the EUR report.pdf text shows euros and no 원" \
        "no pdftotext on PATH (poppler-utils)"
elif [ -s "$R/report.pdf" ] && pdftotext "$R/report.pdf" "$C/report.txt" &&
    ! grep -qE '원|억|만원' "$C/report.txt" && grep -q '€' "$C/report.txt"; then
    ok "currency: the EUR report.pdf text shows euros and no 원"
else
    bad "currency: the EUR report.pdf text shows euros and no 원" \
        "$(grep -nE '원|억|만원' "$C/report.txt" 2>/dev/null | head -5)"
fi

# --- sweep and sensitivity of the EUR example: tables, CSV, JSON, figures
if "$BIN" sweep "$EUR" --vary 'topologies.warm-standby.services.messaging.failover_time=30m,2h' \
    --replications 10 --out "$C/sweep" --quiet >"$C/sweep.txt" 2>&1 &&
    "$BIN" sensitivity "$EUR" --params population.users --replications 10 --out "$C/sens" \
        --quiet >"$C/sens.txt" 2>&1; then
    found=$(grep -rlE '원|_krw|\bwon\b' "$C/sweep.txt" "$C/sweep" "$C/sens.txt" "$C/sens" \
        --exclude='*.png' 2>/dev/null)
    if [ -z "$found" ] && grep -q '"currency": "EUR"' "$C/sweep/sweep.json" &&
        grep -q '€' "$C/sweep.txt" && grep -q '€' "$C/sens.txt"; then
        ok "currency: the EUR sweep and sensitivity write euros and no won"
    else
        bad "currency: the EUR sweep and sensitivity write euros and no won" \
            "$(grep -rnE '원|_krw|\bwon\b' $found | head -5)"
    fi
else
    bad "currency: the EUR sweep and sensitivity run" "$(tail -5 "$C/sweep.txt" "$C/sens.txt")"
fi

# --- a preset in won: refused without a rate, converted with one
sed -e 's/^  horizon: 7d .*/&\n  currency: EUR/' scenarios/minimal.yaml >"$C/eur-min.yaml"
printf '\npolicies:\n  - include: %s/tests/fixtures/currency/krw-credit.yaml\n' "$PWD" \
    >>"$C/eur-min.yaml"
line=$(grep -n 'include: ' "$C/eur-min.yaml" | cut -d: -f1)
expect "currency: a KRW preset in an EUR scenario without a rate is refused at the include" 2 \
    "eur-min.yaml:$line:[0-9]+: include .*policy krw-credit is in KRW, the scenario in EUR: give the conversion rate \(EUR per KRW\)" \
    "$BIN" validate "$C/eur-min.yaml"
if "$BIN" run "$C/eur-min.yaml" --replications 3 --quiet --out "$C/norate" >/dev/null 2>&1 ||
    [ -e "$C/norate" ]; then
    bad "currency: a refused scenario writes nothing"
else
    ok "currency: a refused scenario writes nothing"
fi
sed -e 's|^  - include: .*|&\n    rate: 0.00068|' "$C/eur-min.yaml" >"$C/eur-rate.yaml"
# 50,000 won x 0.00068 = 34 euros each, to the 20,000 shops of minimal.yaml.
expect "currency: params shows the converted amount in EUR" 0 \
    '^policies\.krw-credit\.params\.amount += 34 +EUR$' "$BIN" params "$C/eur-rate.yaml"
if "$BIN" run "$C/eur-rate.yaml" --replications 3 --quiet --format json >"$C/rate.json" 2>&1 &&
    python3 - "$C/rate.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
p = r["topologies"][0]["compensation"][0]
assert r["currency"] == "EUR"
assert p["nominal_money"]["min"] == p["nominal_money"]["max"] == 20000 * 34, p["nominal_money"]
PY
then
    ok "currency: with rate 0.00068 a 50,000-won credit costs 34 euros a shop (680,000 in all)"
else
    bad "currency: with rate 0.00068 a 50,000-won credit costs 34 euros a shop (680,000 in all)" \
        "$(head -c 600 "$C/rate.json")"
fi
# The include's rate carries its assumption (or source) like any value:
# recorded as the provenance of each policy converted at it.
sed -e 's|^  - include: .*|&\n    rate: {value: 0.00068, assumption: "EUR per KRW, a test rate"}|' \
    "$C/eur-min.yaml" >"$C/eur-ann.yaml"
expect "currency: params shows the assumption of an include's rate" 0 \
    '^ +# ASSUMPTION: EUR per KRW, a test rate$' "$BIN" params "$C/eur-ann.yaml"
if "$BIN" run "$C/eur-ann.yaml" --replications 3 --quiet --out "$C/ann" >/dev/null 2>&1 &&
    python3 - "$C/ann/results.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
pv = [x for x in r["provenance"] if x["path"] == "policies.krw-credit.rate"]
assert pv and pv[0]["kind"] == "assumption" and pv[0]["reason"] == "EUR per KRW, a test rate", pv
p = r["topologies"][0]["compensation"][0]
assert p["nominal_money"]["min"] == 20000 * 34, p["nominal_money"]
PY
then
    ok "currency: an include's annotated rate converts and reaches results.json's provenance"
else
    bad "currency: an include's annotated rate converts and reaches results.json's provenance" \
        "$(grep -n rate "$C/ann/results.json" | head -5)"
fi
sed -e 's|^  - include: .*|&\n    rate: {value: 0.00068, source: NOPE}|' "$C/eur-min.yaml" \
    >"$C/eur-badsrc.yaml"
line=$(grep -n 'source: NOPE' "$C/eur-badsrc.yaml" | cut -d: -f1)
expect "currency: an include's rate citing an unknown source is refused at the id" 2 \
    "eur-badsrc.yaml:$line:[0-9]+: policies.krw-credit.rate: unknown source 'NOPE'" \
    "$BIN" validate "$C/eur-badsrc.yaml"
sed -e 's|^  - include: .*|&\n    rate: {assumption: "no value"}|' "$C/eur-min.yaml" \
    >"$C/eur-noval.yaml"
expect "currency: an include's annotated rate without value: is refused" 2 \
    "eur-noval.yaml:$((line)):[0-9]+: rate: a value with a source or an assumption is written" \
    "$BIN" validate "$C/eur-noval.yaml"
sed -e 's/^  currency: EUR$/  currency: KRW/' "$C/eur-min.yaml" >"$C/krw.yaml"
expect "currency: a policy's rate with nothing to convert is refused" 2 \
    "policies.krw-credit.rate: the policy is already in KRW, the scenario's currency" \
    "$BIN" validate "$C/krw.yaml" --set policies.krw-credit.rate=0.5
# params lists a converted policy as one in euros: its lines load back as they are.
"$BIN" params "$C/eur-rate.yaml" |
    awk '/^policies\.krw-credit\.(currency|rate|params\.amount) / {print "--set", $1 "=" $3}' \
    >"$C/sets.txt"
# shellcheck disable=SC2046
expect "currency: params of a converted policy load back to the same amounts" 0 \
    '^policies\.krw-credit\.params\.amount += 34 +EUR$' \
    "$BIN" params "$C/eur-rate.yaml" $(cat "$C/sets.txt")

# --- unknown codes
sed -e 's/^  horizon: 7d .*/&\n  currency: XYZ/' scenarios/minimal.yaml >"$C/xyz.yaml"
line=$(grep -n 'currency: XYZ' "$C/xyz.yaml" | cut -d: -f1)
expect "currency: an unknown currency is refused at its line, listing the supported ones" 2 \
    "xyz.yaml:$line:[0-9]+: scenario.currency: unknown currency 'XYZ' \(supported: KRW, EUR, USD, GBP, JPY\)" \
    "$BIN" validate "$C/xyz.yaml"

# --- the documents follow their schemas (converted_from included)
if ! python3 -c 'import jsonschema' 2>/dev/null; then
    skip "currency: the EUR results.json and series.json follow docs/schemas" "no python3 jsonschema"
elif python3 - "$C/eur" <<'PY'
import json, sys, jsonschema
d = sys.argv[1]
r = json.load(open(d + "/results.json"))
jsonschema.validate(r, json.load(open("docs/schemas/results.schema.json")))
jsonschema.validate(json.load(open(d + "/series.json")),
                    json.load(open("docs/schemas/series.schema.json")))
pol = {p["policy"]: p for p in r["topologies"][0]["compensation"]}
assert pol["kr-civil-damages-precedent"]["converted_from"] == {"currency": "KRW", "rate": 0.00068}
assert "converted_from" not in pol["eu-user-credit"]
PY
then
    ok "currency: the EUR results.json and series.json follow docs/schemas"
else
    bad "currency: the EUR results.json and series.json follow docs/schemas"
fi

# --- merge: EUR parts merge in EUR; a result of the _krw format is refused
if "$BIN" run "$EUR" --from 0 --to 20 --out "$C/p1" --quiet >/dev/null 2>&1 &&
    "$BIN" run "$EUR" --from 20 --to 40 --out "$C/p2" --quiet >/dev/null 2>&1 &&
    "$BIN" merge "$C/p1" "$C/p2" --out "$C/m" --quiet >"$C/m.txt" 2>&1 &&
    grep -q '"currency": "EUR"' "$C/m/results.json" && grep -q '€' "$C/m.txt" &&
    grep -q 'converted at 0.00068 EUR per KRW' "$C/m.txt"; then
    ok "currency: EUR parts merge into an EUR result"
else
    bad "currency: EUR parts merge into an EUR result" "$(cat "$C/m.txt" 2>/dev/null | head -5)"
fi
if [ -d "$C/p2" ]; then
    cp -r "$C/p2" "$C/old"
    sed -i -e '/^  "currency": /d' -e 's/_money"/_krw"/' "$C/old/results.json"
    expect "currency: results of the _krw format are refused, saying why" 2 \
        "no 'currency': written by an older outagesim, whose money keys end in _krw" \
        "$BIN" merge "$C/p1" "$C/old" --out "$C/m-old"
fi

# --- KRW: the reference scenario's table is in won as before
if "$BIN" run scenarios/kakao-pangyo-2022.yaml --replications 20 --seed 7 --quiet \
    >"$C/krw.txt" 2>&1 &&
    grep -Eq '^  kakao-2022-user-package .* 204,640,800,000원 \(2,046\.4억원\)  2,046\.4억원–2,046\.4억원$' \
        "$C/krw.txt" &&
    grep -Eq '^dual-active-active +0 +0 +0 +0원 +0원$' "$C/krw.txt"; then
    ok "currency: the KRW tables keep 원 and 억원 and their numbers"
else
    bad "currency: the KRW tables keep 원 and 억원 and their numbers" "$(head -30 "$C/krw.txt")"
fi
