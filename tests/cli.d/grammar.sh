# One command-line grammar for every command (sourced by tests/cli.sh).
# Invariants: `--opt=value` and `--opt value` give identical results for
# every option that takes a value (all of run's and replay's, at least one
# of every other command's), and each such option does change the result
# where it should, so the comparison is not of two ignored options; a flag
# given a value is refused by every command; unknown options, missing
# values and bad numbers are worded the same way by every command, exit 2,
# with the "try 'outagesim CMD --help'" line; `--` ends the options.

G="$TMP/grammar.d"
mkdir -p "$G"
GS=scenarios/minimal.yaml
export OUTAGESIM_PLOTS="$PWD/plots"

# same_forms NAME CHANGES OPT VALUE CMD ARGS...: CMD ARGS --OPT=VALUE and CMD
# ARGS --OPT VALUE print the same bytes on stdout, exit the same (0), and,
# when CHANGES is 1, print something else than CMD ARGS alone. A literal
# @ in ARGS or VALUE is replaced by a fresh folder per run (for --out), and
# the folders' files are compared too.
gn=0
same_forms() {
    local name=$1 changes=$2 opt=$3 val=$4 cmd=$5 a b c ra rb da db dc
    shift 5
    gn=$((gn + 1))
    da="$G/$gn-eq" db="$G/$gn-sp" dc="$G/$gn-no"
    a=$("$BIN" "$cmd" "${@//@/$da}" "--$opt=${val//@/$da}" 2>"$G/$gn.err"); ra=$?
    b=$("$BIN" "$cmd" "${@//@/$db}" "--$opt" "${val//@/$db}" 2>>"$G/$gn.err"); rb=$?
    if [ "$ra" != 0 ] || [ "$rb" != 0 ]; then
        bad "grammar: $name: --$opt=V and --$opt V (exit $ra, $rb)" "$(cat "$G/$gn.err")"
        return
    fi
    if [ "$a" != "$b" ]; then
        bad "grammar: $name: --$opt=V and --$opt V print the same" "$(diff <(echo "$a") <(echo "$b") | head)"
        return
    fi
    if [ -d "$da" ] || [ -d "$db" ]; then
        # Plot files name their folder nowhere in the data; images can hold dates.
        if ! diff -r -x '*.png' -x '*.svg' -x '*.pdf' "$da" "$db" >"$G/$gn.diff" 2>&1 ||
            [ "$(cd "$da" && find . | sort)" != "$(cd "$db" && find . | sort)" ]; then
            bad "grammar: $name: --$opt=V and --$opt V write the same files" "$(head "$G/$gn.diff")"
            return
        fi
    fi
    if [ "$changes" = 1 ]; then
        c=$("$BIN" "$cmd" "${@//@/$dc}" 2>/dev/null)
        if [ "$a" = "$c" ]; then
            bad "grammar: $name: --$opt changes the output (else the check above proves nothing)"
            return
        fi
    fi
    ok "grammar: $name: --$opt=V is --$opt V"
}

R=(--replications 6 --quiet --format csv)
# run: every option that takes a value.
same_forms "run" 1 replications 9 run "$GS" --quiet --format csv
same_forms "run" 1 seed 7 run "$GS" "${R[@]}"
same_forms "run" 1 topology active-standby run "$GS" "${R[@]}"
same_forms "run" 0 threads 2 run "$GS" "${R[@]}"
same_forms "run" 0 chunk 2 run "$GS" "${R[@]}"
same_forms "run" 1 set incident.north.power_cut.mean=3h run "$GS" "${R[@]}"
same_forms "run" 1 format json run "$GS" --replications 6 --quiet
same_forms "run" 1 from 3 run "$GS" "${R[@]}"
same_forms "run" 1 to 4 run "$GS" --quiet --format csv --from 1
same_forms "run" 0 out @ run "$GS" "${R[@]}"
same_forms "run" 1 precision incident_cost_money=0.5 run "$GS" "${R[@]}"
same_forms "run" 1 max-replications 7 run "$GS" "${R[@]}" --precision incident_cost_money=0.0001
# replay: every option that takes a value.
same_forms "replay" 1 topology active-standby replay "$GS" --seed 3
same_forms "replay" 1 seed 3 replay "$GS" --topology single-site
same_forms "replay" 1 replication 5 replay "$GS" --topology single-site
same_forms "replay" 0 speed 1e12 replay "$GS" --topology single-site
same_forms "replay" 1 format csv replay "$GS" --topology single-site
same_forms "replay" 1 set incident.north.power_cut.mean=3h replay "$GS" --topology single-site
# the others: at least one each.
same_forms "validate" 0 set population.users=5 validate "$GS"
same_forms "params" 1 set population.users=5 params "$GS"
"$BIN" run "$GS" --from 0 --to 3 --out "$G/part1" --quiet >/dev/null 2>&1
"$BIN" run "$GS" --from 3 --to 6 --out "$G/part2" --quiet >/dev/null 2>&1
same_forms "merge" 1 format json merge "$G/part1" "$G/part2" --quiet
same_forms "merge" 0 out @ merge "$G/part1" "$G/part2" --quiet --format csv
SW=(--vary incident.north.power_cut.mean=1h,3h --replications 3 --quiet --metric incident_cost_money)
same_forms "sweep" 1 vary services.chat.restart=1h,2h sweep "$GS" --replications 3 --quiet
same_forms "sweep" 1 stat mean sweep "$GS" "${SW[@]}"
same_forms "sweep" 1 seed 5 sweep "$GS" "${SW[@]}"
same_forms "sweep" 0 out @ sweep "$GS" "${SW[@]}" --no-plots
SE=(--params services.chat.restart --replications 3 --quiet --metric incident_cost_money)
same_forms "sensitivity" 1 range 0.25:2 sensitivity "$GS" "${SE[@]}"
same_forms "sensitivity" 1 params incident.north.suppression sensitivity "$GS" --replications 3 \
    --quiet --metric incident_cost_money
same_forms "sensitivity" 1 stat mean sensitivity "$GS" "${SE[@]}"
cp -r "$G/part1" "$G/plot-a" && cp -r "$G/part1" "$G/plot-b"
pa=$("$BIN" plot "$G/plot-a" --format=svg 2>&1 | sed "s#$G/plot-a#DIR#g"); rpa=$?
pb=$("$BIN" plot "$G/plot-b" --format svg 2>&1 | sed "s#$G/plot-b#DIR#g"); rpb=$?
if [ "$rpa" = "$rpb" ] && [ "$pa" = "$pb" ] &&
    [ "$(cd "$G/plot-a" && find . | sort)" = "$(cd "$G/plot-b" && find . | sort)" ] &&
    diff -r -x '*.svg' "$G/plot-a" "$G/plot-b" >/dev/null; then
    ok "grammar: plot: --format=V is --format V"
else
    bad "grammar: plot: --format=V is --format V (exit $rpa, $rpb)" "$pa
$pb"
fi

# A flag given a value: refused by every command, in the same words. validate
# and replay have no flag of their own; --help is every command's flag.
for c in "run $GS --quiet=x" "run $GS --plots=1" "merge $G/part1 --quiet=yes" \
    "plot $G/part1 --quiet=1" "sweep $GS --vary x.y=1,2 --no-plots=1" "sweep $GS --quiet=0" \
    "sensitivity $GS --quiet=x" "sensitivity $GS --no-plots=x" "params $GS --doc=1" \
    "validate $GS --help=1" "replay $GS --topology single-site --help=x"; do
    set -- $c
    flag=${!#}
    expect "grammar: $1 refuses a value for ${flag%%=*}" 2 \
        "^outagesim $1: option '${flag%%=*}' takes no value$" "$BIN" "$@"
done

# Unknown options, missing values and bad numbers: the same words everywhere.
for c in validate params replay run merge plot sweep sensitivity report; do
    out=$("$BIN" $c "$GS" --frobnicate 2>&1); rc=$?
    if [ $rc = 2 ] && [ "$out" = "outagesim $c: unknown option '--frobnicate'
try 'outagesim $c --help'" ]; then
        ok "grammar: $c: unknown option, exit 2, with the try line"
    else
        bad "grammar: $c: unknown option, exit 2, with the try line (exit $rc)" "$out"
    fi
done
for c in "validate $GS --set" "params $GS --set" "replay $GS --seed" "run $GS --seed" \
    "merge $G/part1 --out" "plot $G/part1 --format" "sweep $GS --vary" "sensitivity $GS --top"; do
    set -- $c
    expect "grammar: $1: a missing value" 2 "^outagesim $1: option '${!#}' needs a value$" "$BIN" "$@"
done
for c in "replay $GS --topology single-site --seed" "run $GS --seed" "sweep $GS --seed" \
    "sensitivity $GS --seed"; do
    set -- $c
    expect "grammar: $1: a bad number" 2 \
        "^outagesim $1: --seed: '7x' is not a whole number in 0\.\.9223372036854775807$" "$BIN" "$@" 7x
done
expect "grammar: an abbreviation is not an option" 2 "unknown option '--rep'" \
    "$BIN" run "$GS" --rep 5
# The scenario may come after the options; after `--` nothing is an option.
a=$("$BIN" replay --topology single-site "$GS" --format csv 2>&1)
b=$("$BIN" replay --topology single-site --format csv -- "$GS" 2>&1)
[ -n "$a" ] && [ "$a" = "$b" ] && ok "grammar: SCENARIO last, or after --" ||
    bad "grammar: SCENARIO last, or after --" "$b"
expect "grammar: after -- an option is an argument" 2 "one scenario only \('$GS' and '--seed'\)" \
    "$BIN" run "$GS" -- --seed
unset OUTAGESIM_PLOTS

# One status, one exit code (cli_exit_code): the same bad or missing scenario
# is exit 2 from every command that loads one, with its FILE:LINE:COL.
for c in "validate" "params" "replay --topology x" "run --quiet" \
    "sweep --vary incident.north.detection=1m,2m --quiet" "sensitivity --quiet"; do
    set -- $c
    expect "grammar: $1: a bad scenario is exit 2" 2 "^tests/fixtures/bad/cycle.yaml:12:18: dependency cycle" \
        "$BIN" "$@" tests/fixtures/bad/cycle.yaml
    expect "grammar: $1: a missing scenario is exit 2" 2 "no-such.yaml: cannot open" \
        "$BIN" "$@" "$G/no-such.yaml"
done
