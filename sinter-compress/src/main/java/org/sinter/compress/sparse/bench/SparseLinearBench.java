package org.sinter.compress.sparse.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import jdk.incubator.vector.FloatVector;
import org.sinter.Sinter;
import org.sinter.Tensor;
import org.sinter.compress.prune.Pruner;
import org.sinter.compress.sparse.KernelChooser;
import org.sinter.compress.sparse.SparseFormat;
import org.sinter.compress.sparse.SparseLinear;
import org.sinter.nn.Linear;

/**
 * Sparse Linear layers against the dense Sinter Linear they came from, at one sparsity: each
 * weight is magnitude-pruned (unstructured, per layer) to it, and the dense layer and the
 * {@link SparseLinear} on the CSR kernel run in turn, round after round, on the same input, so
 * both see the same machine load. Prints the median milliseconds of each and dense / sparse (the
 * issue's bar: >= 2 at 90%). Run by {@code bench/sparse_linear.sh}.
 *
 * <p>Arguments: {@code [--sparsity 0.9] [--threads 2] [--rounds 15] [--batches 1,64] [--clock wall|cpu] [--warmup seconds]}
 * ({@code cpu}: the calling thread's CPU time, with {@code --threads 1}).
 */
public final class SparseLinearBench {
    private SparseLinearBench() {}

    /** Warm-up per case: long enough for C2 to compile the Vector API loops even on a loaded box. */
    static long warmupNanos = 2_000_000_000L;

    record Shape(String name, int in, int out) {}

    public static void main(String[] args) {
        double sparsity = 0.9;
        int threads = 2, rounds = 15;
        boolean cpuClock = false;
        int[] batches = {1, 64};
        for (int i = 0; i < args.length; i += 2) {
            if (i + 1 >= args.length) throw new IllegalArgumentException("SparseLinearBench: option " + args[i] + " needs a value");
            switch (args[i]) {
                case "--sparsity" -> sparsity = Double.parseDouble(args[i + 1]);
                case "--threads" -> threads = Integer.parseInt(args[i + 1]);
                case "--rounds" -> rounds = Integer.parseInt(args[i + 1]);
                case "--clock" -> cpuClock = switch (args[i + 1]) {
                    case "cpu" -> true;
                    case "wall" -> false;
                    default -> throw new IllegalArgumentException("SparseLinearBench: --clock is cpu or wall, got " + args[i + 1]);
                };
                case "--warmup" -> warmupNanos = (long) (Double.parseDouble(args[i + 1]) * 1e9);
                case "--batches" -> batches = Arrays.stream(args[i + 1].split(",")).mapToInt(Integer::parseInt).toArray();
                default -> throw new IllegalArgumentException("SparseLinearBench: unknown option " + args[i]);
            }
        }
        if (cpuClock && threads != 1) throw new IllegalArgumentException("SparseLinearBench: --clock cpu measures the calling thread only; use --threads 1");
        Sinter.setNumThreads(threads);
        Sinter.manualSeed(0);
        System.out.printf(Locale.ROOT, "sparse Linear vs dense Sinter Linear: sparsity %.2f, %d threads, %d rounds, %d floats per vector; median ms of %s time%n",
                sparsity, threads, rounds, FloatVector.SPECIES_PREFERRED.length(), cpuClock ? "thread CPU" : "wall-clock");
        System.out.println("| layer | batch | dense | sparse (CSR) | dense / sparse (medians) | median of per-round dense / sparse |");
        System.out.println("| --- | ---: | ---: | ---: | ---: | ---: |");
        List<Shape> shapes = List.of(new Shape("mlp.fc1 784->512", 784, 512), new Shape("mlp.fc2 512->512", 512, 512),
                new Shape("mlp256.fc1 784->256", 784, 256), new Shape("lab1.fc1 9216->128", 9216, 128));
        List<Case> cases = new ArrayList<>();
        for (Shape s : shapes) for (int batch : batches) cases.add(new Case(s, batch, sparsity));
        // Every case is compiled before any is timed: the first case timed would otherwise share the
        // machine with C2 still compiling the others' loops.
        try (var _ = Sinter.noGrad()) {
            for (Case c : cases) c.warm(warmupNanos);
        }
        List<Double> ratios = new ArrayList<>();
        for (Case c : cases) ratios.add(c.measure(rounds, cpuClock));
        double[] r = ratios.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(r);
        System.out.printf(Locale.ROOT, "per-round ratio medians: smallest %.2f, median %.2f%n", r[0], r[r.length / 2]);
    }

    /** One layer shape at one batch size: the pruned dense Linear, its CSR form and an input. */
    static final class Case {
        final Shape shape;
        final int batch;
        final Linear dense;
        final SparseLinear sparse;
        final Tensor x;

        Case(Shape shape, int batch, double sparsity) {
            this.shape = shape;
            this.batch = batch;
            dense = new Linear(shape.in(), shape.out());
            dense.eval();
            new Pruner().l1Unstructured(dense, "weight", sparsity);
            sparse = new SparseLinear(dense, KernelChooser.fixed(SparseFormat.CSR));
            x = Tensor.randn(batch, shape.in());
        }

        void warm(long nanos) {
            long until = System.nanoTime() + nanos;
            while (System.nanoTime() < until) {
                dense.forward(x);
                sparse.forward(x);
            }
        }

        /**
         * Rounds of (dense, sparse), each sample {@code reps} calls; prints the medians, their ratio
         * and the median of the per-round ratios (neighbouring samples share the machine's state,
         * so that ratio is the steadier one on a shared box). Returns the latter.
         */
        double measure(int rounds, boolean cpuClock) {
            double[] td = new double[rounds], ts = new double[rounds], ratio = new double[rounds];
            try (var _ = Sinter.noGrad()) {
                warm(warmupNanos / 3);
                int reps = repsFor(dense, x);
                for (int round = 0; round < rounds; round++) {
                    long t0 = now(cpuClock);
                    for (int i = 0; i < reps; i++) dense.forward(x);
                    td[round] = (now(cpuClock) - t0) / 1e6 / reps;
                    t0 = now(cpuClock);
                    for (int i = 0; i < reps; i++) sparse.forward(x);
                    ts[round] = (now(cpuClock) - t0) / 1e6 / reps;
                    ratio[round] = td[round] / ts[round];
                }
            }
            double d = median(td), c = median(ts), q = median(ratio);
            System.out.printf(Locale.ROOT, "| %s | %d | %.4f | %.4f | %.2f | %.2f |%n", shape.name(), batch, d, c, d / c, q);
            return q;
        }
    }

    /**
     * Nanoseconds: wall-clock, or (on a shared machine, single-threaded runs) the calling thread's
     * CPU time, which time slices lost to other processes do not inflate.
     */
    static long now(boolean cpuClock) {
        return cpuClock ? THREADS.getCurrentThreadCpuTime() : System.nanoTime();
    }

    private static final java.lang.management.ThreadMXBean THREADS = java.lang.management.ManagementFactory.getThreadMXBean();

    /** Calls per timed sample: about 20 ms of dense work. */
    static int repsFor(Linear dense, Tensor x) {
        long t0 = System.nanoTime();
        for (int i = 0; i < 3; i++) dense.forward(x);
        double ms = (System.nanoTime() - t0) / 3e6;
        return (int) Math.max(1, Math.min(20_000, 20 / Math.max(ms, 1e-3)));
    }

    static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }
}
