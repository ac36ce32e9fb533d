package org.sinter.distributed.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
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

    /** Untimed all-reduces before the timed ones ({@code ALLREDUCE_WARMUP}, default 1), as allreduce_gloo.py reads it. */
    private static int warmup() {
        String w = System.getenv("ALLREDUCE_WARMUP");
        return w == null || w.isBlank() ? 1 : Integer.parseInt(w.trim());
    }

    /** {@code -Dsinter.bench.threads=true}: rank 0 prints its threads' CPU per all-reduce (Linux /proc). */
    private static final boolean PER_THREAD = Boolean.getBoolean("sinter.bench.threads");

    /** {@code -Dsinter.ring.trace=true}, as the ring reads it: also print when each timed call left the barrier. */
    private static final boolean TRACE = Boolean.getBoolean("sinter.ring.trace");

    /**
     * User and system clock ticks and voluntary context switches (the thread blocked: each one a
     * wake-up later) per thread name (threads of one name summed), from /proc/self/task.
     */
    private static Map<String, long[]> threadTicks() {
        Map<String, long[]> out = new TreeMap<>();
        try (var tasks = Files.list(Path.of("/proc/self/task"))) {
            for (Path t : (Iterable<Path>) tasks::iterator) {
                String stat, status;
                try {
                    stat = Files.readString(t.resolve("stat"));
                    status = Files.readString(t.resolve("status"));
                } catch (IOException gone) {
                    continue; // the thread ended
                }
                String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')')).replaceAll("[0-9]+", "#");
                String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                long[] ticks = out.computeIfAbsent(name, k -> new long[3]);
                ticks[0] += Long.parseLong(f[11]); // utime
                ticks[1] += Long.parseLong(f[12]); // stime
                ticks[2] += status.lines().filter(l -> l.startsWith("voluntary_ctxt_switches:"))
                        .mapToLong(l -> Long.parseLong(l.substring(l.indexOf(':') + 1).trim())).sum();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("reading /proc/self/task", e);
        }
        return out;
    }

    private static void printThreads(Map<String, long[]> before, Map<String, long[]> after, int iters) {
        double tick = 0.01; // USER_HZ is 100 on Linux
        long user = 0, sys = 0, waits = 0;
        StringBuilder line = new StringBuilder();
        for (var e : after.entrySet()) {
            long[] b = before.getOrDefault(e.getKey(), new long[3]);
            long u = e.getValue()[0] - b[0], k = e.getValue()[1] - b[1], w = e.getValue()[2] - b[2];
            user += u;
            sys += k;
            waits += w;
            if (u + k > 0) line.append(String.format(Locale.ROOT, "  %s %.3f+%.3f (%d)", e.getKey(), u * tick / iters, k * tick / iters, w / iters));
        }
        System.out.printf(Locale.ROOT, "rank 0 CPU per all-reduce, user+system s (voluntary context switches): total %.3f+%.3f (%d);%s%n",
                user * tick / iters, sys * tick / iters, waits / iters, line);
    }

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
        int warmup = warmup();
        try (ProcessGroup pg = Distributed.initProcessGroup()) {
            int n = (int) (mib * 1024 * 1024 / 4);
            Tensor t = Tensor.ones(DType.FLOAT32, n);
            // Move the tensor out of the young generation now: left there, the first young collection (about ten
            // all-reduces in, when the ranks' small allocations fill eden) copies its 64 MiB and pauses a rank for
            // 70-145 ms inside a timed all-reduce (seen with -Xlog:gc on the quiet box, 2026-11-29).
            System.gc();
            if (pg.rank() == 0) {
                System.out.printf(Locale.ROOT, "sinter all-reduce: %d ranks, %.1f MiB float32, transports %s%n", pg.size(), mib, pg.transports());
            }
            for (AllReduce algo : algos) {
                double[] secs = new double[iters];
                double cpu = 0;
                Map<String, long[]> threadsBefore = null;
                for (int i = -warmup; i < iters; i++) {
                    pg.barrier();
                    if (i == 0 && PER_THREAD) threadsBefore = threadTicks();
                    long c0 = CPU.getProcessCpuTime();
                    long t0 = System.nanoTime();
                    // With the ring's trace on: when this thread left the barrier, so that ring_trace.py can tell the
                    // ranks' spread out of the barrier from the hand-over to the group's thread.
                    if (TRACE) System.err.println("sinter-bench-start rank " + pg.rank() + " t0 " + t0);
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
                if (PER_THREAD && pg.rank() == 0) printThreads(threadsBefore, threadTicks(), iters);
                String each = Arrays.stream(secs).mapToObj(s -> String.format(Locale.ROOT, "%.4f", s))
                        .collect(java.util.stream.Collectors.joining(" "));
                Arrays.sort(secs);
                double median = secs[iters / 2];
                double bytes = (double) n * 4;
                double bus = 2.0 * (pg.size() - 1) / pg.size() * bytes / median;
                if (pg.rank() == 0) {
                    System.out.printf(Locale.ROOT, "sinter %-26s median %.4f s  min %.4f s  bus bandwidth %.1f MB/s (%.3f Gbit/s)  CPU %.3f s per rank%n",
                            algo, median, secs[0], bus / 1e6, bus * 8 / 1e9, cpu);
                    // In run order, so a slow iteration can be matched with a trace (both benches print this line).
                    System.out.println("sinter " + algo + " each all-reduce, s: " + each);
                }
            }
        }
    }
}
