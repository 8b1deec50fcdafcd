#!/usr/bin/env python3
"""layers.py -- the include graph of outagesim points one way.

Usage: python3 tests/layers.py [ROOT]   (ROOT: the source tree, default .)
Prints one line per violation ("FAIL file:line: includes X: why") and exits
1 if there is any, else prints the module graph and exits 0.

The rules (README, "Source layout"):
 (a) Modules are ordered, lowest first: core < risk < engine < scenario <
     model < comp < results < mc < report < sweep < brief < cli < mpi. A module may include
     headers of its own and of lower modules only. A public header
     include/outagesim/<name>.h belongs to the module named in PUBLIC below
     (a public header missing from that table is itself a violation, so a
     new one gets a place in the order). mpi is ranked above cli because
     build/outagesim-mpi is the command line linked with an MPI executor.
 (b) sim/<m>/*_int.h is private to the folder sim/<m>/: no other module may
     include it. A header sim/<m>/<name>.h without _int is module m's
     interface for the modules above it (each says who includes it, why).
 (c) A public header (include/outagesim.h, include/outagesim/*.h) includes
     neither <uv.h> nor any sim/ header: the installed library must compile
     from include/ alone and libuv stays an implementation detail.
Tests (tests/) are not checked: a suite may reach a module's internals.
"""
import os
import re
import sys

ORDER = ["core", "risk", "engine", "scenario", "model", "comp", "results", "mc", "report",
         "sweep", "brief", "cli", "mpi"]
RANK = {m: i for i, m in enumerate(ORDER)}

PUBLIC = {
    "error": "core", "money": "core", "rng": "core", "dist": "core", "atomic_file": "core",
    "version": "core", "risk": "risk", "engine": "engine", "resource": "engine",
    "scenario": "scenario", "schema": "scenario",
    "incident": "model", "replay": "model", "impact": "model", "compensation": "comp",
    "result": "results", "catalogue": "results", "rows": "results", "stats": "results", "series": "results",
    "mc": "mc", "report": "report", "plot": "report", "figures": "report", "sweep": "sweep",
    "brief": "brief",
}

INCLUDE = re.compile(r'^\s*#\s*include\s*([<"])([^">]+)[">]')


def files(root):
    """(relative path, module or None for the umbrella header, is public)."""
    out = []
    sim = os.path.join(root, "sim")
    for m in sorted(os.listdir(sim)):
        d = os.path.join(sim, m)
        if not os.path.isdir(d):
            continue
        for f in sorted(os.listdir(d)):
            if f.endswith((".c", ".h")):
                out.append(("sim/%s/%s" % (m, f), m, False))
    pub = os.path.join(root, "include", "outagesim")
    for f in sorted(os.listdir(pub)):
        if f.endswith(".h"):
            out.append(("include/outagesim/" + f, PUBLIC.get(f[:-2], "?"), True))
    if os.path.exists(os.path.join(root, "include", "outagesim.h")):
        out.append(("include/outagesim.h", None, True))
    return out


def target(inc):
    """(module, private) of an included path, or (None, False) for a system header."""
    if inc.startswith("outagesim/"):
        return PUBLIC.get(os.path.basename(inc)[:-2], "?"), False
    parts = inc.split("/")
    if len(parts) == 2 and parts[0] in RANK:
        return parts[0], parts[1].endswith("_int.h")
    return None, False


def check(root):
    bad, edges, count = [], {}, 0
    for rel, mod, public in files(root):
        if mod == "?":
            bad.append("FAIL %s: public header of no module (add it to PUBLIC in tests/layers.py)"
                       % rel)
            continue
        with open(os.path.join(root, rel), encoding="utf-8", errors="replace") as fh:
            for n, line in enumerate(fh, 1):
                g = INCLUDE.match(line)
                if not g:
                    continue
                count += 1
                inc = g.group(2)
                where = "FAIL %s:%d: includes %s" % (rel, n, inc)
                if public and (inc == "uv.h" or (target(inc)[0] is not None
                                                 and not inc.startswith("outagesim/"))):
                    bad.append(where + ": a public header includes libuv or a sim/ header (c)")
                    continue
                t, private = target(inc)
                if t is None or mod is None:
                    continue
                if t == "?":
                    bad.append(where + ": a public header of no module (add it to PUBLIC)")
                    continue
                if private and t != mod:
                    bad.append(where + ": private to sim/%s/ (b); use an interface header" % t)
                if RANK[t] > RANK[mod]:
                    bad.append(where + ": %s is above %s in the module order (a)" % (t, mod))
                if t != mod:
                    edges.setdefault(mod, set()).add(t)
    return bad, edges, count


def main():
    root = sys.argv[1] if len(sys.argv) > 1 else "."
    bad, edges, count = check(root)
    for b in bad:
        print(b)
    if bad:
        print("layers: %d violation(s) in %d includes" % (len(bad), count))
        return 1
    for m in sorted(edges, key=lambda k: RANK[k]):
        print("  %s -> %s" % (m, ", ".join(sorted(edges[m], key=lambda k: RANK[k]))))
    print("layers: %d includes, all downward" % count)
    return 0


if __name__ == "__main__":
    sys.exit(main())
