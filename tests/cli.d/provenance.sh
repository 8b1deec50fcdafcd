# Sources and assumptions are data (sourced by tests/cli.sh): `params` shows
# them under their values, results.json carries them after every other key,
# merge keeps them, and --set marks what it changed.

PR=scenarios/kakao-pangyo-2022.yaml
# prov_after PATH [--set ...]: the line after PATH's line in the listing.
prov_after() {
    local p=$1
    shift
    "$BIN" params $PR "$@" | grep -A1 -E "^${p//./\\.} += " | tail -n 1
}
expect "provenance: params shows a value's source on the next line" 0 \
    '^    # source S1\.3 -- 47\.43M domestic MAU' prov_after services.kakaotalk-messaging.user_share
expect "provenance: params shows an assumption after its distribution" 0 \
    '^    # incident\.pangyo\.suppression: ASSUMPTION: restoration starts 6\.5h after the cut' \
    "$BIN" params $PR
expect "provenance: params shows a whole item's source" 0 '^    # services\.ops-tools: source S1\.4$' \
    "$BIN" params $PR
expect "provenance: --set on an annotated value says so" 0 \
    '^    # set on the command line \(--set services\.kakaotalk-messaging\.user_share=0\.5\)$' \
    prov_after services.kakaotalk-messaging.user_share --set services.kakaotalk-messaging.user_share=0.5
expect "provenance: an unknown source id is exit 2 at its line" 2 \
    '^[^:]+:[0-9]+:[0-9]+: services\.s\.user_share: unknown source .S9.' \
    "$BIN" validate tests/fixtures/bad/unknown_source.yaml

# results.json: sources and provenance last; every id used is declared;
# parts merged carry the same.
rm -rf "$TMP/prov"
if "$BIN" run $PR --incident fire-pangyo --replications 4 --out "$TMP/prov/all" --quiet >/dev/null 2>&1 &&
    "$BIN" run $PR --incident fire-pangyo --from 0 --to 2 --out "$TMP/prov/p1" --quiet >/dev/null 2>&1 &&
    "$BIN" run $PR --incident fire-pangyo --from 2 --to 4 --out "$TMP/prov/p2" --quiet >/dev/null 2>&1 &&
    "$BIN" merge "$TMP/prov/p1" "$TMP/prov/p2" --out "$TMP/prov/m" --quiet >/dev/null 2>&1; then
    pout=$(python3 - "$TMP/prov/all/results.json" "$TMP/prov/m/results.json" <<'PY' 2>&1
import json, sys
a = json.load(open(sys.argv[1]))
m = json.load(open(sys.argv[2]))
keys = list(a)
assert keys[-2:] == ["sources", "provenance"], keys[-3:]
ids = {s["id"] for s in a["sources"]}
kinds = {}
for p in a["provenance"]:
    kinds[p["kind"]] = kinds.get(p["kind"], 0) + 1
    for i in p["sources"]:
        assert i in ids, (p["path"], i)
    if p["kind"] == "assumption":
        assert p["reason"], p
assert kinds.get("assumption", 0) >= 90 and kinds.get("source", 0) >= 60, kinds
assert all(s["title"] for s in a["sources"])
assert m["sources"] == a["sources"] and m["provenance"] == a["provenance"]
print(kinds)
PY
    )
    if [ $? -eq 0 ]; then ok "provenance: results.json ends with sources and provenance, merge keeps them ($pout)"
    else bad "provenance: results.json ends with sources and provenance, merge keeps them" "$pout"; fi
else
    bad "provenance: results.json ends with sources and provenance, merge keeps them" "a run failed"
fi
