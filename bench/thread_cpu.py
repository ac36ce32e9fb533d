#!/usr/bin/env python3
"""CPU time of one process's threads, grouped by thread name, from /proc (issue 12's per-request account).

  thread_cpu.py snap PID OUT.json            record every thread's utime+stime (clock ticks) by tid
  thread_cpu.py diff BEFORE.json AFTER.json REQUESTS [PREFIX]
                                             print the CPU each thread group spent per request (µs)

A group is the thread's name (/proc/PID/task/TID/comm, 15 characters) with digits dropped, so the
JVM's numbered pools (ForkJoinPool-1-worker-N: the virtual threads' carriers, where Jetty and the
request handlers run; ParGC Thread#N; C2 CompilerThreadN) each become one line. Threads that ended
between the snapshots are lost; threads born in between count from zero.
"""
import json, os, re, sys


def snap(pid):
    out = {}
    base = f"/proc/{pid}/task"
    for tid in os.listdir(base):
        try:
            with open(f"{base}/{tid}/comm") as f:
                name = f.read().strip()
            with open(f"{base}/{tid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:
            continue  # the thread ended while we looked
        # after "pid (comm)": field 3 is state, utime and stime are fields 14 and 15 (1-based)
        out[tid] = [name, int(fields[11]) + int(fields[12])]
    return out


def group(name):
    return re.sub(r"\d+", "N", name).strip()


def diff(before, after, requests, prefix):
    tick_us = 1e6 / os.sysconf("SC_CLK_TCK")
    groups = {}
    for tid, (name, ticks) in after.items():
        d = ticks - before.get(tid, [name, 0])[1]
        groups[group(name)] = groups.get(group(name), 0) + d
    total = sum(groups.values())
    parts = [f"{g} {t * tick_us / requests:.1f}" for g, t in sorted(groups.items(), key=lambda kv: -kv[1]) if t > 0]
    print(f"{prefix}server CPU per request by thread (µs): total {total * tick_us / requests:.1f} = " + ", ".join(parts))


if __name__ == "__main__":
    if sys.argv[1] == "snap":
        with open(sys.argv[3], "w") as f:
            json.dump(snap(sys.argv[2]), f)
    elif sys.argv[1] == "diff":
        load = lambda p: json.load(open(p))
        diff(load(sys.argv[2]), load(sys.argv[3]), float(sys.argv[4]), sys.argv[5] if len(sys.argv) > 5 else "")
    else:
        sys.exit("usage: thread_cpu.py snap PID OUT.json | diff BEFORE.json AFTER.json REQUESTS [PREFIX]")
