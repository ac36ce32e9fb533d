"""PyTorch's gloo all-reduce timed as AllReduceBench times Sinter's: float32, SIZE MiB, median of N,
and the CPU time each rank's process spent per all-reduce (mean over ranks and iterations).

Run one copy per rank with torchrun's variables set (RANK, WORLD_SIZE, MASTER_ADDR, MASTER_PORT).
Usage: allreduce_gloo.py <MiB> <iterations>
"""
import os
import statistics
import sys
import time

import torch
import torch.distributed as dist


def thread_ticks():
    """User and system clock ticks and voluntary context switches per thread name (numbers folded),
    from /proc/self/task."""
    out = {}
    for tid in os.listdir("/proc/self/task"):
        try:
            with open(f"/proc/self/task/{tid}/stat") as f:
                stat = f.read()
            with open(f"/proc/self/task/{tid}/status") as f:
                waits = sum(int(l.split(":")[1]) for l in f if l.startswith("voluntary_ctxt_switches:"))
        except OSError:
            continue  # the thread ended
        name = "".join("#" if c.isdigit() else c for c in stat[stat.index("(") + 1:stat.rindex(")")])
        fields = stat[stat.rindex(")") + 2:].split()
        u, k, w = out.get(name, (0, 0, 0))
        out[name] = (u + int(fields[11]), k + int(fields[12]), w + waits)
    return out


def print_threads(before, after, iters):
    tick = 1 / os.sysconf("SC_CLK_TCK")
    parts, user, system, waits = [], 0, 0, 0
    for name, (u1, k1, w1) in sorted(after.items()):
        u0, k0, w0 = before.get(name, (0, 0, 0))
        user, system, waits = user + u1 - u0, system + k1 - k0, waits + w1 - w0
        if u1 - u0 + k1 - k0 > 0:
            parts.append(f"{name} {(u1 - u0) * tick / iters:.3f}+{(k1 - k0) * tick / iters:.3f} ({(w1 - w0) // iters})")
    print(f"rank 0 CPU per all-reduce, user+system s (voluntary context switches): total {user * tick / iters:.3f}+{system * tick / iters:.3f}"
          f" ({waits // iters});  " + "  ".join(parts), flush=True)


def main():
    mib, iters = float(sys.argv[1]), int(sys.argv[2])
    torch.set_num_threads(1)
    dist.init_process_group("gloo")
    rank, world = dist.get_rank(), dist.get_world_size()
    t = torch.ones(int(mib * 1024 * 1024 / 4), dtype=torch.float32)
    secs, cpu = [], 0.0
    # SINTER_BENCH_THREADS=1: rank 0 prints its threads' CPU, as AllReduceBench does.
    per_thread = os.environ.get("SINTER_BENCH_THREADS") == "1"
    threads_before = None
    warmup = int(os.environ.get("ALLREDUCE_WARMUP", "1"))  # untimed all-reduces first, as AllReduceBench
    for i in range(warmup + iters):
        dist.barrier()
        if i == warmup and per_thread:
            threads_before = thread_ticks()
        c0 = time.process_time()  # every thread of the process, gloo's included
        t0 = time.perf_counter()
        dist.all_reduce(t)
        t1 = time.perf_counter()
        dt = torch.tensor([t1 - t0], dtype=torch.float64)
        dc = torch.tensor([time.process_time() - c0], dtype=torch.float64)
        dist.all_reduce(dt, op=dist.ReduceOp.MAX)
        dist.all_reduce(dc)
        if i >= warmup:
            secs.append(dt.item())
            cpu += dc.item() / world / iters
    if per_thread and rank == 0:
        print_threads(threads_before, thread_ticks(), iters)
    median = statistics.median(secs)
    bus = 2.0 * (world - 1) / world * t.numel() * 4 / median
    if rank == 0:
        print(f"gloo   {'all_reduce':<26} median {median:.4f} s  min {min(secs):.4f} s  "
              f"bus bandwidth {bus / 1e6:.1f} MB/s ({bus * 8 / 1e9:.3f} Gbit/s)  CPU {cpu:.3f} s per rank", flush=True)
        print("gloo   each all-reduce, s: " + " ".join(f"{s:.4f}" for s in secs), flush=True)
    dist.destroy_process_group()


if __name__ == "__main__":
    main()
