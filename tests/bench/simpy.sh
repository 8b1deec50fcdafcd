#!/usr/bin/env bash
# simpy.sh -- the engine against SimPy 2 on the same hold model.
#
# Usage: bash tests/bench/simpy.sh path/to/bench_engine   (run by `make bench`)
#
# Runs tests/bench/simpy_hold.py (P = 1000 pending, N = 1,000,000 events,
# median of 3) with Debian's /usr/bin/python3 and python3-simpy (SimPy
# 2.3.1; the python3 first on PATH may be another interpreter without it),
# then reruns the engine's own P = 1000 case (N = 10,000,000, median of 3)
# so that both figures come from the same minute of this shared machine,
# and prints:
#   simpy-hold pending=1000 events=<N> seconds=<s> events_per_s=<x>
#   ratio engine/simpy=<r>
set -euo pipefail
cd "$(dirname "$0")/../.."

engine=${1:?usage: simpy.sh path/to/bench_engine}
py=/usr/bin/python3
pending=1000
events=1000000

if ! "$py" -c 'import SimPy.Simulation' 2>/dev/null; then
    echo "simpy.sh: SimPy 2 is missing: apt-get install python3-simpy (make bench-deps does it)" >&2
    exit 1
fi

rate() { sed -n 's/.*events_per_s=\([0-9.]*\).*/\1/p'; }

simpy_line=$("$py" tests/bench/simpy_hold.py --pending "$pending" --events "$events")
echo "$simpy_line"
engine_line=$("$engine" --pending "$pending")
simpy_rate=$(rate <<<"$simpy_line")
engine_rate=$(rate <<<"$engine_line")
if [ -z "$simpy_rate" ] || [ -z "$engine_rate" ]; then
    echo "simpy.sh: could not read a rate from: '$simpy_line' / '$engine_line'" >&2
    exit 1
fi
awk -v e="$engine_rate" -v s="$simpy_rate" 'BEGIN { printf "ratio engine/simpy=%.1f\n", e / s }'
