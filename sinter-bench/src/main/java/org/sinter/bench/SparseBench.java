package org.sinter.bench;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.sinter.Sinter;
import org.sinter.Tensor;
import org.sinter.cli.models.Lab1Cnn;
import org.sinter.cli.models.Mlp;
import org.sinter.compress.prune.BlockMagnitude;
import org.sinter.compress.prune.ChannelCriterion;
import org.sinter.compress.prune.ChannelPruner;
import org.sinter.compress.prune.PruneAmount;
import org.sinter.compress.prune.PruneTarget;
import org.sinter.compress.prune.Pruner;
import org.sinter.compress.sparse.KernelChooser;
import org.sinter.compress.sparse.SparseFormat;
import org.sinter.compress.sparse.Sparsifier;
import org.sinter.nn.Conv2d;
import org.sinter.nn.Flatten;
import org.sinter.nn.Linear;
import org.sinter.nn.Module;
import org.sinter.nn.ReLU;
import org.sinter.nn.Sequential;

/**
 * Sparse kernels against Sinter's dense ones on the layers of the MLPs (784-256-10 and the zoo's
 * 784-512-512-10) and the Lab 1 CNN, at one sparsity: each layer's weight is magnitude-pruned
 * (unstructured, for CSR) or block-pruned (4x4 blocks, for the block-sparse kernel) to it, and the
 * dense layer, the CSR layer and the block layer run in turn, round after round, so that all three
 * see the same machine load. Prints medians and dense/sparse ratios (above 1: sparse is faster),
 * then the same for whole models (every layer sparse: formats fixed, or chosen per layer by
 * measurement: "auto"), and the Lab 1 CNN against its 50%-channel-pruned form.
 *
 * <p>Usage: {@code SparseBench [--sparsity 0.9] [--threads 2] [--rounds 15] [--batches 1,64]}.
 */
public final class SparseBench {
    private SparseBench() {}

    record Case(String name, Supplier<Module> layer, int[] inputShape) {}

    public static void main(String[] args) {
        double sparsity = 0.9;
        int threads = 2, rounds = 15;
        int[] batches = {1, 64};
        for (int i = 0; i < args.length; i += 2) {
            switch (args[i]) {
                case "--sparsity" -> sparsity = Double.parseDouble(args[i + 1]);
                case "--threads" -> threads = Integer.parseInt(args[i + 1]);
                case "--rounds" -> rounds = Integer.parseInt(args[i + 1]);
                case "--batches" -> batches = Arrays.stream(args[i + 1].split(",")).mapToInt(Integer::parseInt).toArray();
                default -> throw new IllegalArgumentException("SparseBench: unknown option " + args[i]);
            }
        }
        Sinter.setNumThreads(threads);
        Sinter.manualSeed(0);
        System.out.printf("sparsity %.2f, %d threads, %d rounds, median ms per forward%n", sparsity, threads, rounds);
        System.out.printf("%-28s %5s %10s %10s %10s %10s %10s %12s %12s%n", "layer", "batch", "dense", "csr", "block4x4", "auto", "dense/csr",
                "dense/block", "dense/auto");
        List<Case> cases = List.of(
                new Case("mlp256.fc1 784->256", () -> new Linear(784, 256), new int[] {784}),
                new Case("mlp256.fc2 256->10", () -> new Linear(256, 10), new int[] {256}),
                new Case("mlp.fc1 784->512", () -> new Linear(784, 512), new int[] {784}),
                new Case("mlp.fc2 512->512", () -> new Linear(512, 512), new int[] {512}),
                new Case("mlp.fc3 512->10", () -> new Linear(512, 10), new int[] {512}),
                new Case("lab1.conv1 1->32 3x3 28x28", () -> new Conv2d(1, 32, 3), new int[] {1, 28, 28}),
                new Case("lab1.conv2 32->64 3x3 26x26", () -> new Conv2d(32, 64, 3), new int[] {32, 26, 26}),
                new Case("lab1.fc1 9216->128", () -> new Linear(9216, 128), new int[] {9216}),
                new Case("lab1.fc2 128->10", () -> new Linear(128, 10), new int[] {128}),
                new Case("model mlp256 784-256-10", () -> new Sequential(new Flatten(), new Linear(784, 256), new ReLU(), new Linear(256, 10)),
                        new int[] {1, 28, 28}),
                new Case("model mlp 784-512-512-10", Mlp::new, new int[] {1, 28, 28}),
                new Case("model lab1cnn", Lab1Cnn::new, new int[] {1, 28, 28}));
        for (Case c : cases) for (int batch : batches) run(c, batch, sparsity, rounds);
        System.out.printf("%n%-28s %5s %10s %10s %12s%n", "structured (50% channels)", "batch", "dense", "pruned", "dense/pruned");
        for (int batch : batches) structured(batch, rounds);
    }

    /** The Lab 1 CNN against its 50%-channel-pruned form (conv1, conv2 and fc1's units halved): an ordinary smaller model. */
    static void structured(int batch, int rounds) {
        Lab1Cnn dense = new Lab1Cnn();
        dense.eval();
        Sequential small = ChannelPruner.plan(dense, 0.5, ChannelCriterion.L1_NORM, true).apply();
        small.eval();
        Tensor x = Tensor.randn(batch, 1, 28, 28);
        double[] td = new double[rounds], tp = new double[rounds];
        try (var _ = Sinter.noGrad()) {
            long until = System.nanoTime() + 1_500_000_000L;
            while (System.nanoTime() < until) {
                dense.forward(x);
                small.forward(x);
            }
            int reps = repsFor(dense, x);
            for (int r = 0; r < rounds; r++) {
                long t0 = System.nanoTime();
                for (int i = 0; i < reps; i++) dense.forward(x);
                td[r] = (System.nanoTime() - t0) / 1e6 / reps;
                t0 = System.nanoTime();
                for (int i = 0; i < reps; i++) small.forward(x);
                tp[r] = (System.nanoTime() - t0) / 1e6 / reps;
            }
        }
        System.out.printf("%-28s %5d %10.4f %10.4f %12.2f%n", "lab1cnn", batch, median(td), median(tp), median(td) / median(tp));
    }

    static void run(Case c, int batch, double sparsity, int rounds) {
        Module unstructured = c.layer().get(), blocked = c.layer().get();
        unstructured.eval();
        blocked.eval();
        // Each layer to the sparsity (global pruning of an untrained model would spare the layers with larger init ranges).
        Pruner pruner = new Pruner();
        for (PruneTarget t : PruneTarget.weightsOf(unstructured)) pruner.l1Unstructured(t.module(), t.name(), sparsity);
        Pruner blockPruner = new Pruner();
        for (PruneTarget t : PruneTarget.weightsOf(blocked)) blockPruner.apply(t, new BlockMagnitude(PruneAmount.fraction(sparsity), 4, 4));
        Map<String, Module> variants = new LinkedHashMap<>();
        variants.put("dense", unstructured);
        variants.put("csr", Sparsifier.sparsify(unstructured, KernelChooser.fixed(SparseFormat.CSR)));
        variants.put("block4x4", Sparsifier.sparsify(blocked, KernelChooser.fixed(SparseFormat.BLOCK4X4)));
        // What a user gets: each layer of the unstructured-pruned model picks dense, CSR or blocks by measurement.
        variants.put("auto", Sparsifier.sparsify(unstructured, KernelChooser.measuring(5)));
        int[] shape = new int[c.inputShape().length + 1];
        shape[0] = batch;
        System.arraycopy(c.inputShape(), 0, shape, 1, c.inputShape().length);
        Tensor x = Tensor.randn(shape);
        Map<String, double[]> times = new LinkedHashMap<>();
        try (var _ = Sinter.noGrad()) {
            // Warm-up: C2 compiles the loops of all three before any timing.
            long until = System.nanoTime() + 1_500_000_000L;
            while (System.nanoTime() < until) for (Module m : variants.values()) m.forward(x);
            int reps = repsFor(variants.get("dense"), x);
            for (String k : variants.keySet()) times.put(k, new double[rounds]);
            for (int r = 0; r < rounds; r++) {
                for (Map.Entry<String, Module> e : variants.entrySet()) {
                    long t0 = System.nanoTime();
                    for (int i = 0; i < reps; i++) e.getValue().forward(x);
                    times.get(e.getKey())[r] = (System.nanoTime() - t0) / 1e6 / reps;
                }
            }
        }
        double dense = median(times.get("dense")), csr = median(times.get("csr")), block = median(times.get("block4x4")), auto = median(times.get("auto"));
        System.out.printf("%-28s %5d %10.4f %10.4f %10.4f %10.4f %10.2f %12.2f %12.2f%n", c.name(), batch, dense, csr, block, auto, dense / csr,
                dense / block, dense / auto);
    }

    /** Calls per timed sample: enough for about 20 ms of dense work. */
    static int repsFor(Module dense, Tensor x) {
        long t0 = System.nanoTime();
        dense.forward(x);
        double ms = (System.nanoTime() - t0) / 1e6;
        return (int) Math.max(1, Math.min(10_000, 20 / Math.max(ms, 1e-3)));
    }

    static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }

}
