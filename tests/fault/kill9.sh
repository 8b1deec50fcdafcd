#!/usr/bin/env bash
# kill9.sh [N] -- N (default 100) random kill -9 of `run --out`, `merge --out`
# and `sweep --out` writing over an existing folder; not part of `make test`
# (it takes minutes).
#
# Each round starts the command (writing a new seed over a folder that holds
# an old one), kills it with SIGKILL after a random delay drawn over the
# command's measured duration, and checks that the folder holds exactly one
# complete run -- every file naming the same seed, replications and scenario
# hash -- the old or the new. Then it runs the command once more to the end
# and checks that no staging folder (.OUT.stage.*) is left. Prints the
# figures and exits 1 if any folder was mixed or any staging folder left.
#
# Environment: OUTAGESIM (default build/outagesim), SCENARIO (default
# scenarios/minimal.yaml), REPLICATIONS (default 4000).
set -u
set -f # the commands are split into words, never globbed
cd "$(dirname "$0")/../.."
N=${1:-100}
BIN=${OUTAGESIM:-build/outagesim}
S=${SCENARIO:-scenarios/minimal.yaml}
R=${REPLICATIONS:-4000}
V='topologies.*.services.*.failover_time=5m,30m,2h'
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
export OUTAGESIM_PLOTS="$PWD/plots"

# run_ident DIR: "SHA SEED A..B" when every data file names one run, else MIXED/MISSING.
run_ident() {
    local d=$1 f ids="" js lines seed
    for f in replications.csv summary.csv series-timeline.dat series-users.dat series-loss.dat \
        series-marks.dat; do
        [ -s "$d/$f" ] || {
            echo "MISSING $f"
            return
        }
        ids+=$(head -1 "$d/$f" | sed -n 's/.*sha256 \([0-9a-f]*\); seed \([0-9]*\); replications \([0-9]*\.\.[0-9]*\).*/\1 \2 \3/p')$'\n'
    done
    for f in results.json series.json; do
        [ -s "$d/$f" ] || {
            echo "MISSING $f"
            return
        }
        js=$(grep -m1 -o '"seed": [0-9]*' "$d/$f" | grep -o '[0-9]*$')
        ids+="seed-json $js"$'\n'
    done
    lines=$(grep -v '^seed-json' <<<"$ids" | sort -u | grep -c .)
    seed=$(grep -v '^seed-json' <<<"$ids" | head -1 | awk '{print $2}')
    if [ "$lines" != 1 ] || grep '^seed-json' <<<"$ids" | grep -qv "^seed-json $seed\$"; then
        echo "MIXED $(tr '\n' '|' <<<"$ids")"
        return
    fi
    echo "$seed"
}

# sweep_ident DIR: the seed when sweep.csv, sweep.json and plots/ agree, else MIXED.
sweep_ident() {
    local d=$1 a b c
    a=$(head -1 "$d/sweep.csv" 2>/dev/null | sed -n 's/.*; seed \([0-9]*\);.*/\1/p')
    b=$(grep -m1 -o '"seed": [0-9]*' "$d/sweep.json" 2>/dev/null | grep -o '[0-9]*$')
    c=$(sed -n 's/.*·  seed \([0-9]*\)  ·.*/\1/p' "$d/plots/sweep-vars.gp" 2>/dev/null)
    if [ -n "$a" ] && [ "$a" = "$b" ] && [ "$a" = "$c" ]; then echo "$a"; else echo "MIXED $a/$b/$c"; fi
}

# cmd KIND SEED: the command of one round writing seed SEED into $W/KIND.
cmd() {
    case $1 in
    run) echo "$BIN" run "$S" --replications "$R" --seed "$2" --quiet --out "$W/run" ;;
    merge) echo "$BIN" merge "$W/parts$2/a" "$W/parts$2/b" --quiet --out "$W/merge" ;;
    sweep) echo "$BIN" sweep "$S" --vary "$V" --replications $((R / 4)) --seed "$2" --quiet \
        --out "$W/sweep" ;;
    esac
}

ident() { if [ "$1" = sweep ]; then sweep_ident "$W/$1"; else run_ident "$W/$1"; fi; }

# The parts that merge combines, for seeds 1 and 2.
for s in 1 2; do
    "$BIN" run "$S" --from 0 --to $((R / 2)) --seed $s --quiet --out "$W/parts$s/a" >/dev/null
    "$BIN" run "$S" --from $((R / 2)) --to "$R" --seed $s --quiet --out "$W/parts$s/b" >/dev/null
done
# Each folder starts with seed 1; the duration of each command, in ms.
declare -A dur cur
for k in run merge sweep; do
    t0=$(date +%s%N)
    # shellcheck disable=SC2046
    $(cmd $k 1) >/dev/null 2>&1 || {
        echo "kill9.sh: $k failed" >&2
        exit 1
    }
    dur[$k]=$((($(date +%s%N) - t0) / 1000000 + 1))
    cur[$k]=1
done
echo "kill9.sh: $N rounds; durations (ms): run ${dur[run]}, merge ${dur[merge]}, sweep ${dur[sweep]}"

mixed=0 left=0 old=0 new=0 finished=0 staging=0
for i in $(seq 1 "$N"); do
    k=$(echo run merge sweep | cut -d' ' -f$((i % 3 + 1)))
    prev=${cur[$k]}
    next=$((3 - prev))
    # A random moment within the command's duration (plus 10%); every other
    # round within its second half, where the files are written and swapped.
    if [ $((i % 2)) = 0 ]; then
        delay_ms=$((RANDOM * 11 * ${dur[$k]} / 10 / 32768))
    else
        delay_ms=$((${dur[$k]} / 2 + RANDOM * 6 * ${dur[$k]} / 10 / 32768))
    fi
    # shellcheck disable=SC2046
    $(cmd $k $next) >/dev/null 2>&1 &
    pid=$!
    sleep "$(printf '%d.%03d' $((delay_ms / 1000)) $((delay_ms % 1000)))"
    kill -9 "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
    rc=$?
    [ "$rc" = 0 ] && finished=$((finished + 1))
    # A staging folder left by the kill: it died while publishing.
    [ -n "$(find "$W" -maxdepth 1 -name ".$k.stage.*")" ] && staging=$((staging + 1))
    id=$(ident $k)
    if [ "$id" = "$prev" ]; then
        old=$((old + 1))
    elif [ "$id" = "$next" ]; then
        new=$((new + 1))
    else
        mixed=$((mixed + 1))
        echo "round $i ($k, killed after $delay_ms ms): $id"
    fi
    # The next successful writer collects what the kill left.
    # shellcheck disable=SC2046
    $(cmd $k $next) >/dev/null 2>&1 || echo "round $i: $k failed after the kill"
    cur[$k]=$next
    stages=$(find "$W" -maxdepth 1 -name ".$k.stage.*" | wc -l)
    if [ "$stages" != 0 ]; then
        left=$((left + 1))
        echo "round $i ($k): $stages staging folders left after a successful run"
    fi
done
echo "kill9.sh: $N kills: $mixed mixed folders, $left rounds with leftovers after the next" \
    "successful run; the folder held the old run $old times, the new run $new times" \
    "(the command had finished before the kill $finished times; $staging kills left a staging" \
    "folder, i.e. hit the command while it was writing or swapping its folder)"
[ "$mixed" = 0 ] && [ "$left" = 0 ]
