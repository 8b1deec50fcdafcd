# Command-line tests of the liability report: `outagesim report` and
# `run --report` (sourced by tests/cli.sh).
# Invariants: the reference report (200 replications) is written as
# report.html, report.md and report.pdf; report.html loads nothing from the
# network (no src=, no @import, no url() but to its own ids, no script) and
# renders in headless Chromium with every host name unresolvable, to a
# screenshot that is not blank; the PDF has the expected number of pages
# and its text holds the Kakao package's nominal 557,700,000,000 won, the
# small-business bracket table, every policy's full legal basis and every
# source title; the same results give the same report.html and report.md;
# without Chromium the HTML and Markdown are still written, no PDF is left
# beside them, exit 0 with a message saying why; --no-pdf removes an older
# PDF; a --scenario that is not the run's is refused (exit 2). Checks that
# need Chromium, pdftotext or gnuplot are skipped without them (a failure
# under CI=true).

RP="$TMP/report.d"
mkdir -p "$RP"
export OUTAGESIM_PLOTS="$PWD/plots"
CHROME=0
command -v chromium >/dev/null 2>&1 && CHROME=1
POPPLER=0
command -v pdftotext >/dev/null 2>&1 && command -v pdfinfo >/dev/null 2>&1 && POPPLER=1

expect "report: help teaches the contents, files and printing" 0 \
    "In the order a lawyer reads" "$BIN" report --help
expect "report: help names the PDF and how it is printed" 0 "report.pdf +report.html printed by headless Chromium" \
    "$BIN" report --help
expect "report: listed in the top-level help" 0 "report +the liability report" "$BIN" --help
expect "report: no folder" 2 "which results folder" "$BIN" report
expect "report: not a results folder" 2 "results.json" "$BIN" report "$RP/nothing-here"
expect "report: run --report needs --out" 2 "--report needs --out" \
    "$BIN" run scenarios/minimal.yaml --report

# The reference run, then its report without Chromium (a program that does not exist).
"$BIN" run scenarios/kakao-pangyo-2022.yaml --replications 200 --out "$RP/r" --quiet \
    --format csv >/dev/null 2>&1 || bad "report: the reference run"
: >"$RP/r/report.pdf" # an older PDF: must not stay beside a new report.html
out=$(OUTAGESIM_CHROMIUM="$RP/no-such-chromium" "$BIN" report "$RP/r" 2>&1)
rc=$?
if [ $rc -eq 0 ] && grep -q "report.pdf skipped: cannot run" <<<"$out" &&
    [ -s "$RP/r/report.html" ] && [ -s "$RP/r/report.md" ] && [ ! -e "$RP/r/report.pdf" ]; then
    ok "report: without Chromium, HTML and Markdown, no PDF, exit 0 and why"
else
    bad "report: without Chromium, HTML and Markdown, no PDF, exit 0 and why (exit $rc)" "$out"
fi

# report.html fetches nothing: no src, no @import, no url() to anything but
# its own ids, no script, link, img, iframe or object element; links in the
# text (<a href>) are allowed, href to anything else is not.
H="$RP/r/report.html"
net=$(grep -Eio 'src=|@import|<script|<link|<img|<iframe|<object|<embed|url\([^#]' "$H" | sort -u)
hrefs=$(grep -Eo '(xlink:)?href="[^"]*"' "$H" | grep -Ev '^(xlink:)?href="(#|https?://)' | head -3)
anchors=$(grep -Eo '<a href="[^"]*"' "$H" | grep -Ev '^<a href="https?://' | head -3)
if [ -z "$net$hrefs$anchors" ]; then
    ok "report: report.html loads nothing from the network"
else
    bad "report: report.html loads nothing from the network" "$net$hrefs$anchors"
fi
grep -q '<style>' "$H" && grep -q '@page { size: A4' "$H" &&
    ok "report: inline CSS with A4 print rules" || bad "report: inline CSS with A4 print rules"
if command -v gnuplot >/dev/null 2>&1; then
    n=$(grep -c '<svg' "$H")
    [ "$n" -ge 6 ] && ok "report: the figures are inline SVG ($n)" ||
        bad "report: the figures are inline SVG (found $n)"
else
    skip "report: the figures are inline SVG" "no gnuplot on PATH"
fi

# The same results: the same report.html and report.md, byte for byte.
cp "$RP/r/report.html" "$RP/first.html"
cp "$RP/r/report.md" "$RP/first.md"
"$BIN" report "$RP/r" --no-pdf --quiet >/dev/null 2>&1
if cmp -s "$RP/first.html" "$RP/r/report.html" && cmp -s "$RP/first.md" "$RP/r/report.md"; then
    ok "report: the same results give the same report.html and report.md"
else
    bad "report: the same results give the same report.html and report.md"
fi

# A Chromium that fails: its message, exit 1, and nothing published (the
# folder keeps the report it had).
printf '#!/bin/sh\necho "boom: cannot print" >&2\nexit 3\n' >"$RP/bad-chromium"
chmod +x "$RP/bad-chromium"
cp "$RP/r/report.md" "$RP/before.md"
out=$(OUTAGESIM_CHROMIUM="$RP/bad-chromium" "$BIN" report "$RP/r" --date changed 2>&1)
rc=$?
if [ $rc -eq 1 ] && grep -q "boom: cannot print" <<<"$out" && grep -q "exit status 3" <<<"$out" &&
    cmp -s "$RP/before.md" "$RP/r/report.md" && [ ! -e "$RP/r/report.pdf" ]; then
    ok "report: a failing Chromium is shown, exit 1, nothing published"
else
    bad "report: a failing Chromium is shown, exit 1, nothing published (exit $rc)" "$out"
fi

# Markdown: GFM tables with the full legal basis and the nominal value.
grep -q '^| kakao-2022-user-package (counted) | 48,000,000 | 557,700,000,000원 |' "$RP/r/report.md" &&
    ok "report: report.md has the package's nominal value in a GFM table" ||
    bad "report: report.md has the package's nominal value in a GFM table"

# A --scenario that is not the run's.
expect "report: --scenario of another run is refused" 2 "is not the file the run used" \
    "$BIN" report "$RP/r" --scenario scenarios/minimal.yaml --no-pdf

# Printed: the PDF and what it says.
if [ $CHROME = 1 ]; then
    out=$("$BIN" report "$RP/r" --date "4 December 2026" 2>&1)
    rc=$?
    if [ $rc -eq 0 ] && [ -s "$RP/r/report.pdf" ] && grep -q "and report.pdf" <<<"$out"; then
        ok "report: report.pdf printed by Chromium"
    else
        bad "report: report.pdf printed by Chromium (exit $rc)" "$out"
    fi
    # --no-pdf removes it again (it would not match a new report.html).
    "$BIN" report "$RP/r" --no-pdf --quiet >/dev/null 2>&1
    [ ! -e "$RP/r/report.pdf" ] && ok "report: --no-pdf leaves no older PDF" ||
        bad "report: --no-pdf leaves no older PDF"
    "$BIN" report "$RP/r" --quiet >/dev/null 2>&1
    ls -a "$RP/r" | grep -Eq '^\.(chromium-profile|report\.pdf\.tmp)' &&
        bad "report: no profile or temporary file left" || ok "report: no profile or temporary file left"

    # A screenshot with every host name unresolvable: the page renders, not blank.
    rm -f "$RP/shot.png"
    timeout 120 chromium --headless --no-sandbox --disable-gpu --no-first-run \
        --host-resolver-rules="MAP * ~NOTFOUND" --user-data-dir="$RP/profile" \
        --window-size=1000,1400 --screenshot="$RP/shot.png" "file://$(realpath "$H")" >/dev/null 2>&1
    rm -rf "$RP/profile"
    if [ -s "$RP/shot.png" ] && python3 - "$RP/shot.png" <<'PYEOF'; then
import struct, sys, zlib
data = open(sys.argv[1], "rb").read()
assert data[:8] == b"\x89PNG\r\n\x1a\n"
pos, idat, w, h = 8, b"", 0, 0
while pos < len(data):
    n, kind = struct.unpack(">I4s", data[pos:pos + 8])
    body = data[pos + 8:pos + 8 + n]
    if kind == b"IHDR":
        w, h, depth, ctype = struct.unpack(">IIBB", body[:10])
    elif kind == b"IDAT":
        idat += body
    pos += 12 + n
raw = zlib.decompress(idat)
# A blank page is one colour: its rows compress to a handful of byte values.
# A rendered report has text, tables and figures: many.
distinct = len(set(raw))
print("     screenshot %dx%d, %d distinct byte values" % (w, h, distinct))
sys.exit(0 if w > 0 and h > 0 and distinct > 64 else 1)
PYEOF
        ok "report: renders offline in Chromium, screenshot not blank"
    else
        bad "report: renders offline in Chromium, screenshot not blank"
    fi
else
    skip "report: report.pdf printed by Chromium" "no chromium on PATH"
    skip "report: renders offline in Chromium, screenshot not blank" "no chromium on PATH"
fi

if [ $CHROME = 1 ] && [ $POPPLER = 1 ] && [ -s "$RP/r/report.pdf" ]; then
    pages=$(pdfinfo "$RP/r/report.pdf" 2>/dev/null | sed -n 's/^Pages: *//p')
    if [ -n "$pages" ] && [ "$pages" -ge 6 ] && [ "$pages" -le 30 ]; then
        ok "report: report.pdf has $pages pages (6 to 30 expected)"
    else
        bad "report: report.pdf has 6 to 30 pages (has '$pages')"
    fi
    # Laid out for paper: no page but the last holds only a stray line or two
    # (a long table once pushed whole to the next page left a paragraph's
    # last line alone), and no word runs past the 15 mm right margin (a wide
    # liability table once did: 595.3 - 42.5 pt).
    lay=""
    for i in $(seq 1 $((pages - 1))); do
        w=$(pdftotext -f "$i" -l "$i" "$RP/r/report.pdf" - | wc -w)
        [ "$w" -ge 40 ] || lay="$lay page $i: $w words;"
    done
    xmax=$(pdftotext -bbox "$RP/r/report.pdf" - |
        awk -F'"' '/<word / { if ($6 + 0 > m) m = $6 + 0 } END { print m + 0 }')
    awk -v x="$xmax" 'BEGIN { exit !(x <= 552.9) }' || lay="$lay a word ends at x = $xmax pt;"
    if [ -z "$lay" ]; then
        ok "report: report.pdf pages are full and nothing runs into the right margin"
    else
        bad "report: report.pdf pages are full and nothing runs into the right margin" "$lay"
    fi
    pdftotext "$RP/r/report.pdf" "$RP/report.txt"
    if out=$(python3 - "$RP/report.txt" "$RP/r/results.json" scenarios/kakao-pangyo-2022.yaml <<'PYEOF'
import json, re, sys
flat = lambda s: re.sub(r"\s+", " ", s).strip()
text = flat(open(sys.argv[1], encoding="utf-8").read())
doc = json.load(open(sys.argv[2], encoding="utf-8"))
missing = []
def need(what, s):
    if flat(s) not in text:
        missing.append("%s: %s" % (what, s))
need("nominal of the Kakao package", "557,700,000,000")
need("bracket table", "kakao-2022-small-business (loss_brackets)")
for b in ("loss <= 300,000 won", "300,000 < loss <= 500,000 won", "loss > 500,000 won"):
    need("bracket", b)
for p in doc["topologies"][0]["compensation"]:
    need("legal basis of " + p["policy"], "Legal basis: " + p["legal_basis"])
titles = [s["title"] for s in doc.get("sources", [])]
if not titles:
    # Today results.json has no sources: the scenario's own list is shown.
    src, on = [], False
    for line in open(sys.argv[3], encoding="utf-8"):
        if re.match(r"^  sources:", line):
            on = True
            continue
        m = re.match(r'^    - "(.*)"\s*$', line)
        if on and m:
            src.append(m.group(1))
        elif on:
            break
    titles = src
if not titles:
    missing.append("no source title to look for")
for t in titles:
    need("source", t)
print("\n".join(missing))
sys.exit(1 if missing else 0)
PYEOF
    ); then
        ok "report: the PDF's text has the nominal, the brackets, every legal basis and source"
    else
        bad "report: the PDF's text has the nominal, the brackets, every legal basis and source" "$out"
    fi
elif [ $CHROME = 1 ]; then
    skip "report: report.pdf page count and text" "no pdftotext/pdfinfo on PATH (poppler-utils)"
else
    skip "report: report.pdf page count and text" "no chromium on PATH"
fi

# run --report: the run and its report in one published folder.
"$BIN" run scenarios/minimal.yaml --replications 20 --out "$RP/rr" --report --no-pdf-please \
    >/dev/null 2>&1 && bad "report: run rejects an unknown option" ||
    ok "report: run rejects an unknown option"
OUTAGESIM_CHROMIUM="$RP/no-such-chromium" "$BIN" run scenarios/minimal.yaml --replications 20 \
    --out "$RP/rr" --report --quiet --format csv >/dev/null 2>&1
[ -s "$RP/rr/report.html" ] && [ -s "$RP/rr/report.md" ] && [ -s "$RP/rr/results.json" ] &&
    ok "report: run --report writes the report beside the results" ||
    bad "report: run --report writes the report beside the results"
unset OUTAGESIM_PLOTS
