"""Calibration of the scenario library against what was reported.

Usage: library.py SCENARIO_NAME RESULT_JSON

Reads a result document (`outagesim run --format json`) of one library
scenario and checks the figures its sources report (docs/sources.md S9 for
alibaba-singapore-2024, S10 for gcp-paris-2023), with the tolerances the
sources allow: a reported time is usually a bound ("still down a week
later"), not a point, so most checks are one-sided. Prints "ok ..." or
"FAIL ..." per check and exits 1 if any failed. The design checks at the end
of each block are properties the designs must show, not reported figures.
"""
import json
import sys

failed = 0
passed = 0


def check(name, ok, detail):
    global failed, passed
    print(("ok   " if ok else "FAIL ") + name + ": " + detail)
    if ok:
        passed += 1
    else:
        failed += 1


def topo(doc, name):
    return next(t for t in doc["topologies"] if t["name"] == name)


def svc(t, name):
    return next(s for s in t["services"] if s["name"] == name)


def alibaba(doc):
    aswas = topo(doc, "as-was")
    ha = svc(aswas, "ha-products")["recovered_h"]["p95"]
    check("as-was multi-zone products stay up (p95 recovered_h <= 0.5 h)", ha <= 0.5,
          "%.2f h (reported: they failed over and met their service levels, S9.2)" % ha)
    net = svc(aswas, "cloud-network")["downtime_h"]["p50"]
    check("as-was network products out for under an hour (median downtime_h)", net <= 1.0,
          "%.2f h (secondary summaries: moved within about 30 minutes, S9.2)" % net)
    shop = svc(aswas, "shop-front")["downtime_h"]["p50"]
    check("as-was storefront disrupted (median downtime_h > 0)", shop > 0,
          "%.2f h (Lazada and TikTok were reported disrupted, S9.2)" % shop)
    stranded = svc(aswas, "stranded-instances")["recovered_h"]["p50"]
    check("as-was zone-C-only instances still down a week later (median recovered_h >= 168 h)",
          stranded >= 168, "%.1f h (servers still being dried after a week, S9.2)" % stranded)
    half = svc(aswas, "stranded-instances")["half_back_h"]["p50"]
    check("as-was zone-C-only instances not half back before first access (median >= 90 h)",
          half >= 90, "%.1f h (first engineering access on 14-15 Sep, +88 h at the earliest, S9.2)"
          % half)
    single = topo(doc, "single-zone")["full_recovery_h"]["p50"]
    check("single-zone waits for the building (median full_recovery_h >= 168 h)", single >= 168,
          "%.1f h" % single)
    mz = max(s["recovered_h"]["p95"] for s in topo(doc, "multi-zone")["services"])
    check("multi-zone rides through (every service p95 recovered_h <= 0.5 h)", mz <= 0.5,
          "worst p95 %.2f h" % mz)


def gcp(doc):
    aswas = topo(doc, "as-was")
    reg = svc(aswas, "regional-services")["recovered_h"]["p50"]
    check("as-was regional services back within about a day (median recovered_h 4..36 h)",
          4 <= reg <= 36, "%.1f h (back across the region on the second day, S10.2)" % reg)
    app = svc(aswas, "web-app")["downtime_h"]["p50"]
    check("as-was multi-zone application down too (median downtime_h > 1 h)", app > 1,
          "%.2f h (emergency shutdown of multiple zones: the region unavailable, S10.2)" % app)
    za = svc(aswas, "zonal-instances")["recovered_h"]
    check("as-was zone a instances still down at +14 d (p5 recovered_h >= 336 h)",
          za["p5"] >= 336, "p5 %.1f h, median %.1f h (still down on 10 May, S10.2)"
          % (za["p5"], za["p50"]))
    zf = svc(topo(doc, "zonal-failover"), "zonal-instances")["recovered_h"]["p50"]
    check("zonal-failover brings zone a's instances back within days, not weeks (median < 72 h)",
          zf < 72, "%.1f h (zone b came back within about a day, S10.2)" % zf)
    check("zonal-failover cannot beat zone b's own return (median >= 4 h)", zf >= 4,
          "%.1f h (zone b was shut down too)" % zf)
    mr = topo(doc, "multi-region")
    mr_za = svc(mr, "zonal-instances")["downtime_h"]["p95"]
    check("multi-region: zonal instances out for under an hour (p95 downtime_h)", mr_za <= 1.0,
          "%.2f h (automatic failover to the other region)" % mr_za)
    mr_app = svc(mr, "web-app")["recovered_h"]["p95"]
    check("multi-region: the application rides through (p95 recovered_h <= 0.5 h)", mr_app <= 0.5,
          "%.2f h" % mr_app)


CHECKS = {"alibaba-singapore-2024": alibaba, "gcp-paris-2023": gcp}

with open(sys.argv[2]) as f:
    result = json.load(f)
if sys.argv[1] not in CHECKS or result["scenario"]["name"] != sys.argv[1]:
    print("FAIL no checks for scenario %r (document holds %r)"
          % (sys.argv[1], result["scenario"]["name"]))
    sys.exit(1)
CHECKS[sys.argv[1]](result)
print("%d passed, %d failed" % (passed, failed))
sys.exit(1 if failed else 0)
