#!/usr/bin/env python3
"""CPU time and context switches of one process's threads, grouped by thread name, from /proc (issue 12's
per-request account).

  thread_cpu.py snap PID OUT.json            record every thread's utime+stime and stime (clock ticks)
                                             and its voluntary and involuntary context switches, by tid
  thread_cpu.py diff BEFORE.json AFTER.json REQUESTS [PREFIX]
                                             print the CPU each thread group spent per request (µs), and
                                             its context switches per request (a wake-up is a voluntary
                                             switch of the woken thread; an involuntary one, a preemption)

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
            with open(f"{base}/{tid}/status") as f:
                status = dict(line.split(":", 1) for line in f if ":" in line)
        except OSError:
            continue  # the thread ended while we looked
        # after "pid (comm)": field 3 is state, utime and stime are fields 14 and 15 (1-based)
        out[tid] = [name, int(fields[11]) + int(fields[12]),
                    int(status["voluntary_ctxt_switches"]), int(status["nonvoluntary_ctxt_switches"]), int(fields[12])]
    return out


def group(name):
    return re.sub(r"\d+", "N", name).strip()


def diff(before, after, requests, prefix):
    tick_us = 1e6 / os.sysconf("SC_CLK_TCK")
    groups = {}
    for tid, now in after.items():
        was = before.get(tid, [now[0], 0, 0, 0, 0])
        g = groups.setdefault(group(now[0]), [0, 0, 0, 0])
        for i in range(4):
            g[i] += now[i + 1] - was[i + 1]
    ranked = sorted(groups.items(), key=lambda kv: -kv[1][0])
    total = sum(g[0] for g in groups.values())
    parts = [f"{name} {g[0] * tick_us / requests:.1f} (kernel {g[3] * tick_us / requests:.1f})" for name, g in ranked if g[0] > 0]
    print(f"{prefix}server CPU per request by thread (µs, of which in the kernel: system calls, "
          f"the socket stack): total {total * tick_us / requests:.1f} = " + ", ".join(parts))
    switches = [f"{name} {g[1] / requests:.2f}/{g[2] / requests:.2f}" for name, g in ranked if g[1] + g[2] >= 0.01 * requests]
    print(f"{prefix}context switches per request by thread (voluntary/involuntary): " + ", ".join(switches))


if __name__ == "__main__":
    if sys.argv[1] == "snap":
        with open(sys.argv[3], "w") as f:
            json.dump(snap(sys.argv[2]), f)
    elif sys.argv[1] == "diff":
        load = lambda p: json.load(open(p))
        diff(load(sys.argv[2]), load(sys.argv[3]), float(sys.argv[4]), sys.argv[5] if len(sys.argv) > 5 else "")
    else:
        sys.exit("usage: thread_cpu.py snap PID OUT.json | diff BEFORE.json AFTER.json REQUESTS [PREFIX]")
