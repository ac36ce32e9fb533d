"""Where a traced ring all-reduce spent its time, link by link (reads the run's output on stdin).

Run the ranks with -Dsinter.ring.trace=true (allreduce-netns.sh: RING_TRACE=1): each rank prints one
`sinter-ring-trace` line per all-reduce (start, end, segment arrivals and waits for a forwarding slot,
in nanoseconds of the machine's monotonic clock, which all ranks share). For each large all-reduce
this prints the spread of the ranks' starts, the slowest rank's time, and per link (left neighbour ->
rank): how late its first segment came after the left neighbour started, the link's idle time over
the whole call (its last arrival against the left's start plus one segment time per segment, the
segment time taken as the median gap between arrivals) and its stalls (gaps over a millisecond
longer than that), and the ranks' waits for slots; with AllReduceBench's sinter-bench-start lines, also
how far apart the ranks left the barrier and how long each took from there to the ring's start.

    python3 bench/distributed/ring_trace.py < run.log
"""
import collections
import statistics
import sys


def parse(lines, t0s=None):
    """The ring's calls per rank; with a dict as t0s, also each rank's barrier exits (AllReduceBench's
    sinter-bench-start lines), one per large all-reduce, in order."""
    per_rank = collections.defaultdict(list)
    for line in lines:
        if line.startswith("sinter-bench-start ") and t0s is not None:
            f = line.split()
            t0s.setdefault(int(f[2]), []).append(int(f[4]))
            continue
        if not line.startswith("sinter-ring-trace "):
            continue
        f = line.split()
        rank, start, end = int(f[2]), int(f[4]), int(f[6])
        i, w = f.index("arrivals"), f.index("slot-waits")
        arrivals = [int(x) for x in f[i + 1:w]]
        waits = [tuple(int(y) for y in x.split("+")) for x in f[w + 1:]]
        per_rank[rank].append((start, end, arrivals, waits))
    return per_rank


def main():
    t0s = {}
    per_rank = parse(sys.stdin, t0s)
    if not per_rank:
        sys.exit("no sinter-ring-trace lines on stdin (run the ranks with -Dsinter.ring.trace=true)")
    n = len(per_rank)
    most = max(len(a) for calls in per_rank.values() for _, _, a, _ in calls)
    # The large all-reduces only (the timing's own one-element all-reduces carry a segment or none).
    calls = {r: [c for c in cs if len(c[2]) == most] for r, cs in per_rank.items()}
    count = min(len(cs) for cs in calls.values())
    gaps = [b - a for cs in calls.values() for _, _, arr, _ in cs for a, b in zip(arr, arr[1:])]
    seg = statistics.median(gaps)
    ms = 1e6
    print(f"# {n} ranks, {count} all-reduces of {most} segments per link; segment time {seg / ms:.2f} ms (median gap)")
    for k in range(count):
        start = {r: calls[r][k][0] for r in calls}
        t0 = min(start.values())
        slowest = max(calls[r][k][1] for r in calls)
        left_barrier = ""
        if t0s and all(len(t0s.get(r, [])) > k for r in calls):
            exits = {r: t0s[r][k] for r in calls}
            left_barrier = (f"; left the barrier within {(max(exits.values()) - min(exits.values())) / ms:.2f} ms, then"
                            f" {', '.join(f'{(start[r] - exits[r]) / ms:.2f}' for r in sorted(calls))} ms to the ring's start (ranks 0..)")
        print(f"all-reduce {k}: slowest rank {slowest / ms:.1f} ms (ideal {most * seg / ms:.1f}), starts spread {(max(start.values()) - t0) / ms:.2f} ms"
              + left_barrier)
        for r in sorted(calls):
            left = (r - 1) % n
            s, _, arr, waits = calls[r][k]
            abs_arr = [s + a for a in arr]
            first = (abs_arr[0] - start[left] - seg) / ms
            idle = (abs_arr[-1] - start[left] - most * seg) / ms
            stalls = [(j, round((b - a - seg) / ms, 1)) for j, (a, b) in enumerate(zip(abs_arr, abs_arr[1:]), 1) if b - a - seg > ms]
            wait = sum(d for _, d in waits) / ms
            print(f"  link {left}->{r}: first segment {first:+.2f} ms, idle {idle:+.2f} ms, stalls (segment, ms) {stalls[:6]}"
                  f"{' ...' if len(stalls) > 6 else ''}; rank {r} waited {wait:.2f} ms for slots")


if __name__ == "__main__":
    main()
