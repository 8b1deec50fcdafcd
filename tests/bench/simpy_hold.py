"""simpy_hold.py -- the hold model of bench_engine.c in SimPy 2, for comparison.

P processes each hold for Exp(1) time units, forever: P events are pending,
and each step pops the earliest and schedules one at now + Exp(1), exactly
the engine benchmark's model. SimPy is stopped after N events. The random
numbers come from Python's own generator (SimPy cannot use the engine's
stream); the model, not the draws, is what the comparison needs.

Prints one line: simpy-hold pending=<P> events=<N> seconds=<s> events_per_s=<x>
(the median of three runs of CPU time, time.process_time(), like
bench_engine.c: other programs on a shared machine do not count).

Usage: /usr/bin/python3 simpy_hold.py [--pending P] [--events N]
Needs Debian's python3-simpy (SimPy 2.3.1, `from SimPy.Simulation import *`).
"""
import argparse
import random
import time

from SimPy.Simulation import Process, hold, initialize, activate, simulate, stopSimulation


class Holder(Process):
    def run(self, rng, counter, limit):
        while True:
            yield hold, self, rng.expovariate(1.0)
            counter[0] += 1
            if counter[0] >= limit:
                stopSimulation()


def run_once(pending, events, seed):
    rng = random.Random(seed)
    counter = [0]
    initialize()
    for _ in range(pending):
        h = Holder()
        activate(h, h.run(rng, counter, events))
    t0 = time.process_time()
    simulate(until=float("inf"))
    seconds = time.process_time() - t0
    if counter[0] != events:
        raise SystemExit("simpy_hold: ran %d events, wanted %d" % (counter[0], events))
    return seconds


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pending", type=int, default=1000)
    ap.add_argument("--events", type=int, default=1000000)
    a = ap.parse_args()
    if a.pending <= 0 or a.events <= 0:
        ap.error("--pending and --events must be positive")
    runs = sorted(run_once(a.pending, a.events, seed) for seed in (1, 2, 3))
    s = runs[1]
    print("simpy-hold pending=%d events=%d seconds=%.3f events_per_s=%.0f"
          % (a.pending, a.events, s, a.events / s))


if __name__ == "__main__":
    main()
