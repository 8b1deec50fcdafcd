# Command-line tests of the figures: `outagesim plot` and `run --plots`
# (sourced by tests/cli.sh).
# Invariants: a run writes its series and --plots draws all seven figures; plot
# redraws them in PNG, SVG and PDF from the results folder alone; a merged
# run's series equal the whole run's and an interrupted run's series equal a
# run over its completed prefix; names that try to make gnuplot run commands
# (backquotes, system(), $(...), @macros, quotes) run nothing and appear
# literally; without gnuplot the data and scripts are written, exit 0, with a
# one-line message saying how to draw them later; a failing gnuplot shows its
# message and exits 1, leaving no image and no temporary file. Checks that
# need gnuplot are skipped without it (a failure under CI=true).

P="$TMP/plot.d" # every file of this fragment lives here: $TMP is shared
mkdir -p "$P"
PS=scenarios/minimal.yaml
FIGS="timeline affected-users recovery-cdf business-loss compensation designs"
# The scripts of the source tree, wherever the binary was built.
export OUTAGESIM_PLOTS="$PWD/plots"
GP=0
command -v gnuplot >/dev/null 2>&1 && GP=1

# nonempty DIR EXT NAME: every figure DIR/<figure>.EXT exists and is not empty.
nonempty() {
    local missing=""
    for f in $FIGS; do [ -s "$1/$f.$2" ] || missing="$missing $f.$2"; done
    if [ -z "$missing" ]; then ok "$3"; else bad "$3 (missing or empty:$missing)"; fi
}

# files DIR NAME FILE...: every DIR/FILE exists and is not empty (one ok or one FAIL).
files() {
    local dir=$1 name=$2 missing=""
    shift 2
    for f in "$@"; do [ -s "$dir/$f" ] || missing="$missing $f"; done
    if [ -z "$missing" ]; then ok "$name"; else bad "$name (missing or empty:$missing)"; fi
}

# no_tmp DIR NAME: no temporary file left behind.
no_tmp() {
    local left
    left=$(find "$1" -name '.*.tmp*' 2>/dev/null)
    if [ -z "$left" ]; then ok "$2"; else bad "$2" "$left"; fi
}

expect "plot: help teaches figures and options" 0 "--format png\\|svg\\|pdf" \
    "$BIN" plot --help
expect "plot: no folder" 2 "which results folder" "$BIN" plot
expect "plot: bad format" 2 "'gif' is not one of png, svg, pdf" "$BIN" plot "$P" --format gif
expect "plot: not a results folder" 2 "results.json" "$BIN" plot "$P/nothing-here"

# A run with --plots: results, series and seven PNGs.
if [ $GP = 1 ]; then
    expect "plot: run --plots draws seven figures" 0 "drew 7 figures" \
        "$BIN" run "$PS" --replications 40 --seed 11 --out "$P/r1" --plots --format csv
    nonempty "$P/r1/plots" png "plot: PNGs of run --plots"
    if command -v file >/dev/null 2>&1; then
        expect "plot: timeline.png is a 1200-pixel-wide PNG" 0 "PNG image data, 1200 x" \
            file "$P/r1/plots/timeline.png"
    else
        skip "plot: timeline.png is a 1200-pixel-wide PNG" "no file(1) on PATH"
    fi
else
    "$BIN" run "$PS" --replications 40 --seed 11 --out "$P/r1" --plots --format csv >/dev/null 2>&1
    skip "plot: run --plots draws seven PNGs" "no gnuplot on PATH"
fi
files "$P/r1" "plot: run writes the series files" \
    series.json series-timeline.dat series-users.dat series-loss.dat series-marks.dat \
    series-systems.dat series-systems-hist.dat
files "$P/r1/plots" "plot: data files, vars.gp and scripts beside the images" \
    vars.gp common.gp timeline.gp timeline.dat affected-users.dat recovery-cdf.dat \
    loss-per-business.dat revenue-loss.dat compensation.dat designs.dat systems_back.dat \
    systems_back.gp

# plot redraws from the folder alone, in SVG and PDF; the same data files.
cp "$P/r1/plots/timeline.dat" "$P/timeline.before"
if [ $GP = 1 ]; then
    expect "plot: SVG" 0 "drew 7 figures.*timeline.svg" "$BIN" plot "$P/r1" --format svg
    nonempty "$P/r1/plots" svg "plot: SVGs exist"
    expect "plot: PDF" 0 "drew 7 figures" "$BIN" plot "$P/r1" --format=pdf
    nonempty "$P/r1/plots" pdf "plot: PDFs exist"
    expect "plot: --quiet prints nothing" 0 "^$" "$BIN" plot "$P/r1" --quiet
    expect "plot: subtitle names scenario, topologies, seed, replications" 0 \
        "scenario minimal  \|  topologies single-site, active-standby  \|  seed 11  \|  40 replications" \
        cat "$P/r1/plots/timeline.svg"
else
    "$BIN" plot "$P/r1" >/dev/null 2>&1
    skip "plot: redraws in SVG and PDF, --quiet, subtitle" "no gnuplot on PATH"
fi
if cmp -s "$P/timeline.before" "$P/r1/plots/timeline.dat"; then
    ok "plot: redrawing writes the same data"
else
    bad "plot: redrawing writes the same data"
fi
no_tmp "$P/r1" "plot: no temporary files"

# Merged parts have exactly the series of the whole run.
"$BIN" run "$PS" --from 0 --to 15 --seed 11 --out "$P/p1" --quiet --format csv >/dev/null 2>&1
"$BIN" run "$PS" --from 15 --to 40 --seed 11 --out "$P/p2" --quiet --format csv >/dev/null 2>&1
"$BIN" merge "$P/p2" "$P/p1" --out "$P/m" --quiet --format csv >/dev/null 2>&1
same=1
for f in series.json series-timeline.dat series-users.dat series-loss.dat series-marks.dat; do
    cmp -s "$P/m/$f" "$P/r1/$f" || same=0
done
[ $same = 1 ] && ok "plot: merged series equal the whole run's" ||
    bad "plot: merged series equal the whole run's"

# An interrupted run keeps the series of exactly its completed prefix. SIGINT
# once its progress line (stderr on a terminal) shows 10 or more done.
rc=
if ! command -v script >/dev/null 2>&1; then
    skip "plot: interrupted run's series = its prefix's" \
        "no script(1) to give the run a terminal for its progress line"
elif on_tty /dev/null "$P/int.tty" "$BIN" run "$PS" --replications 100000 --seed 12 --threads 2 \
    --chunk 3 --out "$P/int" --format csv &&
    wait_for 120 grep -aqE '[1-9][0-9]+/100000 replications' "$P/int.tty"; then
    kill -INT "$cmd_pid"
    wait_for 120 gone "$tty_pid" || kill -KILL "$cmd_pid" 2>/dev/null
    wait "$tty_pid"
    rc=$?
else
    [ -n "$cmd_pid" ] && kill -KILL "$cmd_pid" 2>/dev/null
    wait "$tty_pid"
    rc="none (no progress line)"
fi
to=$(sed -n 's/^  "to": \([0-9]*\),$/\1/p' "$P/int/results.json" 2>/dev/null)
if [ -z "$rc" ]; then
    : # skipped above
elif [ "$rc" = 130 ] && [ -n "$to" ] && [ "$to" -gt 0 ]; then
    "$BIN" run "$PS" --replications "$to" --seed 12 --threads 1 --out "$P/pre" --quiet \
        --format csv >/dev/null 2>&1
    same=1
    for f in series-timeline.dat series-users.dat series-loss.dat series-marks.dat; do
        cmp -s "$P/int/$f" "$P/pre/$f" || same=0
    done
    [ $same = 1 ] && ok "plot: interrupted run's series = its prefix's ($to replications)" ||
        bad "plot: interrupted run's series = its prefix's ($to replications)"
else
    bad "plot: interrupted run (exit $rc, to '$to')" "$(tr '\r' '\n' <"$P/int.tty" | tail -3)"
fi

if [ $GP = 1 ]; then
    # Injection: names that try to run commands in gnuplot.
    mkdir -p "$P/pwned"
    sed "s#PWNED#$P/pwned#g" tests/fixtures/plot-injection.yaml >"$P/inj.yaml"
    expect "plot: injection scenario runs and draws" 0 "drew 7 figures" \
        "$BIN" run "$P/inj.yaml" --replications 30 --out "$P/inj" --plots --format csv
    expect "plot: injection scenario draws SVG" 0 "drew 7 figures" \
        "$BIN" plot "$P/inj" --format svg
    nonempty "$P/inj/plots" svg "plot: injection SVGs exist (gnuplot did run)"
    left=$(ls -A "$P/pwned"; find "$P/inj" "$PWD" -maxdepth 2 -name 'pwned-*' 2>/dev/null)
    if [ -z "$left" ]; then ok "plot: injection: nothing was executed"; else
        bad "plot: injection: nothing was executed" "$left"; fi
    for lit in 'inj `touch '"$P"'/pwned/scn-bq` system("touch '"$P"'/pwned/scn-sys") $(touch '"$P"'/pwned/scn-dollar) '"'"'sq'"'"' "dq" @mac' \
               'svc-`touch${IFS}pwned-svc-bq`' \
               'system("touch${IFS}pwned-svc-sys")' \
               "it's\"q\"@mac\\back{x}_y^2" \
               'topo-`touch${IFS}pwned-topo`' \
               "o'two"; do
        if grep -qF -- "$lit" "$P/inj/plots/timeline.svg"; then
            ok "plot: injection: title shows literally: $lit"
        else
            bad "plot: injection: title shows literally: $lit"
        fi
    done
    if grep -qF -- 'pol-system("touch${IFS}pwned-pol")' "$P/inj/plots/compensation.svg"; then
        ok "plot: injection: policy name shows literally"
    else
        bad "plot: injection: policy name shows literally"
    fi

    # Results without a series (an older run): the other figures still draw.
    mkdir -p "$P/noseries"
    cp "$P/r1/results.json" "$P/r1/replications.csv" "$P/r1/summary.csv" "$P/noseries/"
    expect "plot: results without a series still draw" 0 "has no series.json.*|drew 7 figures" \
        "$BIN" plot "$P/noseries"
    nonempty "$P/noseries/plots" png "plot: without a series, seven figures anyway"
else
    skip "plot: injection, results without a series" "no gnuplot on PATH"
fi

# Without gnuplot: data and scripts, exit 0, one line saying how to draw later.
rm -rf "$P/nognu"
"$BIN" run "$PS" --replications 10 --out "$P/nognu" --quiet --format csv >/dev/null 2>&1
OUTAGESIM_GNUPLOT="$P/no/such/gnuplot" "$BIN" plot "$P/nognu" >"$P/nognu.out" 2>&1
rc=$?
lines=$(wc -l <"$P/nognu.out")
if [ $rc = 0 ] && [ "$lines" = 1 ] &&
    grep -q "cannot run .*gnuplot.*draw them later with: cd '$P/nognu/plots' && for f in timeline" "$P/nognu.out"; then
    ok "plot: missing gnuplot: exit 0 and one line saying how"
else
    bad "plot: missing gnuplot: exit 0 and one line saying how (exit $rc, $lines lines)" \
        "$(cat "$P/nognu.out")"
fi
[ -s "$P/nognu/plots/vars.gp" ] && [ -s "$P/nognu/plots/timeline.gp" ] &&
    [ -s "$P/nognu/plots/timeline.dat" ] && [ ! -e "$P/nognu/plots/timeline.png" ] &&
    ok "plot: missing gnuplot: data and scripts written, no image" ||
    bad "plot: missing gnuplot: data and scripts written, no image"
# ... and the command it prints does draw them.
if [ $GP = 0 ]; then
    skip "plot: the printed command draws the figures" "no gnuplot on PATH"
elif (cd "$P/nognu/plots" && for f in $FIGS; do gnuplot "$f.gp" || exit 1; done) >/dev/null 2>&1; then
    nonempty "$P/nognu/plots" png "plot: the printed command draws the figures"
else
    bad "plot: the printed command draws the figures"
fi
expect "plot: run --plots without gnuplot still succeeds" 0 "draw them later" \
    env OUTAGESIM_GNUPLOT=/nonexistent/gnuplot \
    "$BIN" run "$PS" --replications 5 --out "$P/nognu2" --plots --format csv

# A failing gnuplot: its message, exit 1, no image and no temporary file.
if [ $GP = 1 ]; then
    mkdir -p "$P/broken-scripts"
    cp plots/*.gp "$P/broken-scripts/"
    printf 'this is not a gnuplot command\n' >>"$P/broken-scripts/designs.gp"
    rm -f "$P/r1/plots/designs.png"
    expect "plot: failing gnuplot shows its stderr, exit 1" 1 \
        "designs.gp.*line [0-9]+.*|invalid command|unexpected" \
        env OUTAGESIM_PLOTS="$P/broken-scripts" "$BIN" plot "$P/r1"
    [ ! -e "$P/r1/plots/designs.png" ] && ok "plot: failed figure leaves no image" ||
        bad "plot: failed figure leaves no image"
    no_tmp "$P/r1" "plot: failed figure leaves no temporary file"
else
    skip "plot: a failing gnuplot" "no gnuplot on PATH"
fi
unset OUTAGESIM_PLOTS
