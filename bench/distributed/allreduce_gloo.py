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


def main():
    mib, iters = float(sys.argv[1]), int(sys.argv[2])
    torch.set_num_threads(1)
    dist.init_process_group("gloo")
    rank, world = dist.get_rank(), dist.get_world_size()
    t = torch.ones(int(mib * 1024 * 1024 / 4), dtype=torch.float32)
    secs, cpu = [], 0.0
    for i in range(iters + 1):  # one warm-up
        dist.barrier()
        c0 = time.process_time()  # every thread of the process, gloo's included
        t0 = time.perf_counter()
        dist.all_reduce(t)
        t1 = time.perf_counter()
        dt = torch.tensor([t1 - t0], dtype=torch.float64)
        dc = torch.tensor([time.process_time() - c0], dtype=torch.float64)
        dist.all_reduce(dt, op=dist.ReduceOp.MAX)
        dist.all_reduce(dc)
        if i > 0:
            secs.append(dt.item())
            cpu += dc.item() / world / iters
    median = statistics.median(secs)
    bus = 2.0 * (world - 1) / world * t.numel() * 4 / median
    if rank == 0:
        print(f"gloo   {'all_reduce':<26} median {median:.4f} s  min {min(secs):.4f} s  "
              f"bus bandwidth {bus / 1e6:.1f} MB/s ({bus * 8 / 1e9:.3f} Gbit/s)  CPU {cpu:.3f} s per rank", flush=True)
    dist.destroy_process_group()


if __name__ == "__main__":
    main()
