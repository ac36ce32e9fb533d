"""Medians of bench/rl_lab9.sh's RESULT lines per algorithm and worker count: wall time and steps
to the threshold, env steps/s, and the speedup (median wall time with the fewest workers / median
wall time with k). A run that did not reach the threshold counts as not reached (its wall time is
left out of the medians and the count of reaching seeds says so)."""
import re
import statistics
import sys
from collections import defaultdict

LINE = re.compile(r"RESULT (IMPALA|APEX)-(\d+) seed (\d+): (reached|did not reach) \S+ at (-?\d+) steps; (\d+) steps, \d+ episodes, "
                  r"last mean return (\S+), (\S+) s, (\S+) steps/s")

runs = defaultdict(list)
for line in open(sys.argv[1]):
    m = LINE.search(line)
    if m:
        algo, k, seed, reached, at, steps, mean, secs, rate = m.groups()
        runs[(algo, int(k))].append(dict(seed=int(seed), reached=reached == "reached", at=int(at), steps=int(steps),
                                         seconds=float(secs), rate=float(rate)))

print()
print("| algorithm | workers | seeds reaching 475 | steps to 475 (median) | wall s to 475 (median) | env steps/s (median) | speedup (wall, vs 1) | per seed: steps, s |")
print("| --- | --- | --- | --- | --- | --- | --- | --- |")
for algo in ("IMPALA", "APEX"):
    counts = sorted(k for a, k in runs if a == algo)
    if not counts:
        continue
    base = None
    for k in counts:
        rs = sorted(runs[(algo, k)], key=lambda r: r["seed"])
        ok = [r for r in rs if r["reached"]]
        wall = statistics.median(r["seconds"] for r in ok) if ok else float("nan")
        steps = statistics.median(r["at"] for r in ok) if ok else float("nan")
        rate = statistics.median(r["rate"] for r in rs)
        if base is None:
            base = wall
        per = "; ".join(f"{r['at'] if r['reached'] else 'not reached'}, {r['seconds']:.1f}" for r in rs)
        name = "Ape-X" if algo == "APEX" else "IMPALA"
        print(f"| {name} | {k} | {len(ok)} / {len(rs)} | {steps:,.0f} | {wall:.1f} | {rate:,.0f} | {base / wall:.2f} | {per} |")
