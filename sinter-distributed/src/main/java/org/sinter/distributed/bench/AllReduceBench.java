package org.sinter.distributed.bench;

import java.util.Arrays;
import java.util.Locale;
import org.sinter.DType;
import org.sinter.Tensor;
import org.sinter.distributed.Distributed;
import org.sinter.distributed.ProcessGroup;
import org.sinter.distributed.ReduceOp;
import org.sinter.distributed.collectives.AllReduce;

/**
 * All-reduce timing, one process per rank under any launcher: {@code AllReduceBench <MiB>
 * <iterations> [algorithm...]}. Rank 0 prints, per algorithm, the median time of a float32
 * all-reduce of that size and its bus bandwidth 2(n−1)/n · S / t (the rate each link carried),
 * the figure NCCL's tests report, comparable with a link's rate, and the CPU time each rank's
 * process spent per all-reduce (mean over ranks and iterations). Run it beside PyTorch's gloo
 * with {@code bench/distributed/allreduce.sh}.
 */
public final class AllReduceBench {
    private AllReduceBench() {}

    /** This process's CPU time (all threads: the ring's, the sender's, the JIT's and the GC's). */
    private static final com.sun.management.OperatingSystemMXBean CPU =
            (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();

    public static void main(String[] args) {
        if (args.length < 2) {
            System.err.println("usage: AllReduceBench <MiB> <iterations> [RING|RECURSIVE_DOUBLING|TREE|REDUCE_SCATTER_ALL_GATHER|NAIVE ...]");
            System.exit(2);
        }
        double mib = Double.parseDouble(args[0]);
        int iters = Integer.parseInt(args[1]);
        AllReduce[] algos = args.length > 2
                ? Arrays.stream(args, 2, args.length).map(a -> AllReduce.valueOf(a.toUpperCase(Locale.ROOT))).toArray(AllReduce[]::new)
                : new AllReduce[] {AllReduce.RING};
        try (ProcessGroup pg = Distributed.initProcessGroup()) {
            int n = (int) (mib * 1024 * 1024 / 4);
            Tensor t = Tensor.ones(DType.FLOAT32, n);
            if (pg.rank() == 0) {
                System.out.printf(Locale.ROOT, "sinter all-reduce: %d ranks, %.1f MiB float32, transports %s%n", pg.size(), mib, pg.transports());
            }
            for (AllReduce algo : algos) {
                double[] secs = new double[iters];
                double cpu = 0;
                for (int i = -1; i < iters; i++) { // one warm-up
                    pg.barrier();
                    long c0 = CPU.getProcessCpuTime();
                    long t0 = System.nanoTime();
                    pg.allReduceAsync(t, ReduceOp.SUM, algo).await();
                    long t1 = System.nanoTime();
                    // The slowest rank's time is the collective's time; CPU is summed over the ranks.
                    Tensor dt = Tensor.of(new double[] {(t1 - t0) / 1e9}, 1);
                    Tensor dc = Tensor.of(new double[] {(CPU.getProcessCpuTime() - c0) / 1e9}, 1);
                    pg.allReduce(dt, ReduceOp.MAX);
                    pg.allReduce(dc, ReduceOp.SUM);
                    if (i >= 0) {
                        secs[i] = dt.item();
                        cpu += dc.item() / pg.size() / iters;
                    }
                }
                Arrays.sort(secs);
                double median = secs[iters / 2];
                double bytes = (double) n * 4;
                double bus = 2.0 * (pg.size() - 1) / pg.size() * bytes / median;
                if (pg.rank() == 0) {
                    System.out.printf(Locale.ROOT, "sinter %-26s median %.4f s  min %.4f s  bus bandwidth %.1f MB/s (%.3f Gbit/s)  CPU %.3f s per rank%n",
                            algo, median, secs[0], bus / 1e6, bus * 8 / 1e9, cpu);
                }
            }
        }
    }
}
