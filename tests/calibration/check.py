"""Calibration of the reference scenario against what happened on 15 Oct 2022.

Reads result documents (`outagesim run --format json`) and checks the
figures the replay and compensation issues require. Prints one line per
check ("ok ..." or "FAIL ...") and exits 1 if any failed. The targets are
the reported figures of docs/sources.md S1.2; the scenario's
parameters are documented assumptions, and these checks say whether the
mechanism, fed with them, lands where reality did.
"""
import json
import sys

failed = 0


def check(name, ok, detail):
    global failed
    print(("ok   " if ok else "FAIL ") + name + ": " + detail)
    if not ok:
        failed += 1


def load(path):
    with open(path) as f:
        return json.load(f)


def topo(doc, name):
    return next(t for t in doc["topologies"] if t["name"] == name)


def svc(t, name):
    return next(s for s in t["services"] if s["name"] == name)


def policy(t, name):
    return next(p for p in t["compensation"] if p["policy"] == name)


base, tools_aa, slow_power = (load(p) for p in sys.argv[1:4])
aswas = topo(base, "as-was")

msg = svc(aswas, "kakaotalk-messaging")["half_back_h"]["p50"]
check("as-was messaging partly back (median half_back_h)", 7.5 <= msg <= 12.5,
      "%.2f h, wanted 7.5..12.5 (reported +10.2 h, 16 Oct 01:31)" % msg)

full = aswas["full_recovery_h"]["p50"]
check("as-was whole system back (median full_recovery_h)", 95 <= full <= 160,
      "%.1f h, wanted 95..160 (reported +127.7 h, 20 Oct 23:00)" % full)

aa = topo(base, "dual-active-active")
worst_p95 = max(s["recovered_h"]["p95"] for s in aa["services"])
worst_p50 = max(s["recovered_h"]["p50"] for s in aa["services"])
check("dual-active-active every service back within 12 h at p95", worst_p95 <= 12.0,
      "worst p95 %.2f h" % worst_p95)
check("dual-active-active every service back within 1 h at the median", worst_p50 <= 1.0,
      "worst median %.2f h" % worst_p50)

before = svc(aswas, "kakaotalk-messaging")["recovered_h"]["p50"]
after = svc(topo(tools_aa, "as-was"), "kakaotalk-messaging")["recovered_h"]["p50"]
check("as-was with ops-tools and auth active-active brings messaging back sooner",
      after < before, "median %.2f h -> %.2f h" % (before, after))

ss_before = topo(base, "single-site")["full_recovery_h"]["p50"]
ss_after = topo(slow_power, "single-site")["full_recovery_h"]["p50"]
ss_msg_before = svc(topo(base, "single-site"), "kakaotalk-messaging")["recovered_h"]["p50"]
ss_msg_after = svc(topo(slow_power, "single-site"), "kakaotalk-messaging")["recovered_h"]["p50"]
check("delaying power restoration delays single-site recovery",
      ss_after > ss_before and ss_msg_after > ss_msg_before,
      "whole system %.1f h -> %.1f h, messaging %.1f h -> %.1f h"
      % (ss_before, ss_after, ss_msg_before, ss_msg_after))

pkg = policy(aswas, "kakao-2022-user-package")["nominal_money"]
check("kakao-2022-user-package nominal is exactly 557,700,000,000 won in every replication",
      pkg["min"] == 557700000000 and pkg["max"] == 557700000000,
      "min %d, max %d" % (pkg["min"], pkg["max"]))

sb = policy(aswas, "kakao-2022-small-business")
claimants = sb["claimants"]["p50"]
total = sb["total_money"]["p50"]
check("kakao-2022-small-business median claimants 7,000..10,000", 7000 <= claimants <= 10000,
      "%.0f (reported 635 + 7,826 = 8,461; an input: segment count x claim_rate)" % claimants)
check("kakao-2022-small-business median total 200..400 M won", 200e6 <= total <= 400e6,
      "%.0f won (Kakao's estimate 200-400 M; from the loss distribution and the brackets)" % total)

print("%d passed, %d failed" % (9 - failed, failed))
sys.exit(1 if failed else 0)
