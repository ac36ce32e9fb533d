package org.sinter.bench;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.IntConsumer;
import org.sinter.Sinter;
import org.sinter.Tensor;
import org.sinter.cli.models.Lab1Cnn;
import org.sinter.cli.models.Mlp;
import org.sinter.compress.distill.DistillationLoss;
import org.sinter.compress.distill.Distiller;
import org.sinter.compress.prune.AgpSchedule;
import org.sinter.compress.prune.ChannelCriterion;
import org.sinter.compress.prune.ChannelPlan;
import org.sinter.compress.prune.ChannelPruner;
import org.sinter.compress.prune.GradualPruner;
import org.sinter.compress.prune.PruneTarget;
import org.sinter.compress.prune.Pruner;
import org.sinter.compress.prune.SparsityReport;
import org.sinter.compress.sparse.KernelChooser;
import org.sinter.compress.sparse.SparseConv2d;
import org.sinter.compress.sparse.SparseLinear;
import org.sinter.compress.sparse.Sparsifier;
import org.sinter.data.Batch;
import org.sinter.data.DataLoader;
import org.sinter.data.Dataset;
import org.sinter.data.Example;
import org.sinter.data.datasets.MNIST;
import org.sinter.data.transforms.Normalize;
import org.sinter.data.transforms.ToTensor;
import org.sinter.nn.Flatten;
import org.sinter.nn.Linear;
import org.sinter.nn.Module;
import org.sinter.nn.ReLU;
import org.sinter.nn.Sequential;
import org.sinter.nn.functional.F;
import org.sinter.optim.Adadelta;
import org.sinter.optim.Adam;
import org.sinter.optim.Optimizer;

/**
 * The compression bars measured on MNIST (test set, 10,000 images):
 * <ul>
 * <li>{@code mlp}: a 784-256-10 MLP trained (Adam), then pruned to 90% global unstructured sparsity
 * by AGP during fine-tuning; accuracy before and after, per-layer sparsity, dense vs sparse latency;</li>
 * <li>{@code lab1}: the Lab 1 CNN trained one epoch (the Lab 1 recipe), then (a) AGP to 90%
 * unstructured sparsity during one epoch of fine-tuning and (b) 50% channel pruning (L1 filter norm;
 * conv1, conv2 and fc1's units) and one epoch of fine-tuning; accuracy and inference latency;</li>
 * <li>{@code distill}: the zoo MLP (784-512-512-10, 6 epochs) as teacher, a 784-32-10 student trained
 * alone and distilled at three (T, alpha) settings, same seed, same batches, same epochs.</li>
 * </ul>
 * Usage: {@code PruneExperiments [mlp|lab1|distill|all] [--threads 2] [--epochs N] [--latency true]}.
 */
public final class PruneExperiments {
    private PruneExperiments() {}

    static Dataset<Example> train, test;
    static int epochs = 0;
    /** Latency is a timing: only with --latency (run that under the bench lock); bench/sparse.sh measures it on its own. */
    static boolean measureLatency = false;

    public static void main(String[] args) {
        String what = args.length > 0 ? args[0] : "all";
        int threads = 2;
        for (int i = 1; i < args.length; i += 2) {
            switch (args[i]) {
                case "--threads" -> threads = Integer.parseInt(args[i + 1]);
                case "--epochs" -> epochs = Integer.parseInt(args[i + 1]);
                case "--latency" -> {
                    measureLatency = Boolean.parseBoolean(args[i + 1]);
                }
                default -> throw new IllegalArgumentException("PruneExperiments: unknown option " + args[i]);
            }
        }
        Sinter.setNumThreads(threads);
        var toTensor = new ToTensor().andThen(new Normalize(new double[] {MNIST.MEAN}, new double[] {MNIST.STD}));
        train = MNIST.train().withTransform(toTensor);
        test = MNIST.test().withTransform(toTensor);
        long start = System.nanoTime();
        if (what.equals("mlp") || what.equals("all")) mlp();
        if (what.equals("distill") || what.equals("all")) distill();
        if (what.equals("lab1") || what.equals("all")) lab1();
        System.out.printf("total %.0f s%n", (System.nanoTime() - start) / 1e9);
    }

    // ------------------------------------------------------------------ MLP: AGP to 90%

    static void mlp() {
        Sinter.manualSeed(1);
        Sequential model = new Sequential(new Flatten(), new Linear(784, 256), new ReLU(), new Linear(256, 10));
        int e = epochs > 0 ? epochs : 3;
        Optimizer opt = new Adam(model.parameters(), 1e-3);
        for (int i = 0; i < e; i++) trainEpoch(model, opt, 128, i, step -> {});
        double dense = accuracy(model);
        System.out.printf("mlp 784-256-10: dense accuracy after %d epochs %.2f%%%n", e, 100 * dense);
        Pruner pruner = new Pruner();
        int steps = stepsPerEpoch(128);
        // Two epochs of fine-tuning: sparsity rises along the cubic over the first 1.5, the last half epoch recovers.
        AgpSchedule schedule = new AgpSchedule(0, 0.9, 0, (int) (1.5 * steps), 50);
        GradualPruner agp = new GradualPruner(pruner, PruneTarget.weightsOf(model), schedule, true);
        Optimizer ft = new Adam(model.parameters(), 5e-4);
        int[] global = {0};
        for (int i = 0; i < 2; i++) trainEpoch(model, ft, 128, 100 + i, step -> agp.step(global[0]++));
        pruner.removeAll();
        double sparse = accuracy(model);
        System.out.println(SparsityReport.of(model));
        System.out.printf("mlp 784-256-10: AGP to %.2f global sparsity: accuracy %.2f%% (dense %.2f%%, change %+.2f points)%n",
                SparsityReport.of(model).globalSparsity(), 100 * sparse, 100 * dense, 100 * (sparse - dense));
        latency("mlp 784-256-10 (90% sparse)", model, new int[] {1, 28, 28});
    }

    // ------------------------------------------------------------------ distillation

    static void distill() {
        int teacherEpochs = 6, e = epochs > 0 ? epochs : 5;
        Sinter.manualSeed(2);
        Sequential teacher = new Mlp();
        Optimizer opt = new Adam(teacher.parameters(), 1e-3);
        for (int i = 0; i < teacherEpochs; i++) trainEpoch(teacher, opt, 128, i, step -> {});
        System.out.printf("distill: teacher 784-512-512-10 after %d epochs: accuracy %.2f%%%n", teacherEpochs, 100 * accuracy(teacher));
        double[][] settings = {{4, 0.9}, {2, 0.5}, {8, 0.7}};
        for (long seed : new long[] {3, 4}) {
            Sinter.manualSeed(seed);
            Sequential alone = student();
            Optimizer a = new Adam(alone.parameters(), 1e-3);
            for (int i = 0; i < e; i++) trainEpoch(alone, a, 128, 10 + i, step -> {});
            StringBuilder line = new StringBuilder(String.format("distill: student 784-32-10 seed %d, %d epochs: alone %.2f%%", seed, e, 100 * accuracy(alone)));
            for (double[] ta : settings) {
                Sinter.manualSeed(seed);
                Sequential distilled = student();
                Distiller d = new Distiller(teacher, distilled, new DistillationLoss(ta[0], ta[1]));
                Optimizer b = new Adam(d.parameters(), 1e-3);
                for (int i = 0; i < e; i++) d.trainEpoch(loader(128, 10 + i), b);
                line.append(String.format(", distilled T=%.0f alpha=%.1f %.2f%%", ta[0], ta[1], 100 * accuracy(distilled)));
            }
            System.out.println(line);
        }
    }

    static Sequential student() {
        return new Sequential(new Flatten(), new Linear(784, 32), new ReLU(), new Linear(32, 10));
    }

    // ------------------------------------------------------------------ Lab 1 CNN

    static void lab1() {
        Sinter.manualSeed(1);
        Lab1Cnn model = new Lab1Cnn();
        Optimizer opt = new Adadelta(model.parameters(), Adadelta.options().lr(1.0));
        trainEpoch(model, opt, 64, 0, step -> {});
        double dense = accuracy(model);
        System.out.printf("lab1: dense accuracy after 1 epoch %.2f%%%n", 100 * dense);
        Map<String, Tensor> trained = copyState(model);

        // (a) AGP to 90% unstructured sparsity over one epoch of fine-tuning (ramp over 2/3 of it).
        Pruner pruner = new Pruner();
        int steps = stepsPerEpoch(64);
        GradualPruner agp = new GradualPruner(pruner, PruneTarget.weightsOf(model), new AgpSchedule(0, 0.9, 0, 2 * steps / 3, 25), true);
        Optimizer ft = new Adadelta(model.parameters(), Adadelta.options().lr(0.7));
        int[] global = {0};
        trainEpoch(model, ft, 64, 1, step -> agp.step(global[0]++));
        pruner.removeAll();
        double agpAcc = accuracy(model);
        System.out.println(SparsityReport.of(model));
        System.out.printf("lab1: AGP to %.2f global sparsity: accuracy %.2f%% (dense %.2f%%, change %+.2f points)%n",
                SparsityReport.of(model).globalSparsity(), 100 * agpAcc, 100 * dense, 100 * (agpAcc - dense));
        latency("lab1 (90% sparse)", model, new int[] {1, 28, 28});

        // (b) 50% channel pruning from the same trained weights, then one epoch of fine-tuning.
        Lab1Cnn original = new Lab1Cnn();
        original.loadStateDict(trained, true);
        ChannelPlan plan = ChannelPruner.plan(original, 0.5, ChannelCriterion.L1_NORM, true);
        System.out.println(plan);
        Sequential small = plan.apply();
        double before = accuracy(small);
        Optimizer ft2 = new Adadelta(small.parameters(), Adadelta.options().lr(0.7));
        trainEpoch(small, ft2, 64, 2, step -> {});
        double after = accuracy(small);
        System.out.printf("lab1: 50%% channels pruned: params %d -> %d; accuracy %.2f%% before fine-tuning, %.2f%% after (dense %.2f%%, change %+.2f points)%n",
                params(original), params(small), 100 * before, 100 * after, 100 * dense, 100 * (after - dense));
        compareLatency("lab1 dense vs 50% channels", original, small);
    }

    // ------------------------------------------------------------------ helpers

    static DataLoader<Batch> loader(int batch, long seed) {
        return DataLoader.builder(train).batchSize(batch).shuffle(true).seed(seed).build();
    }

    static int stepsPerEpoch(int batch) {
        return (train.size() + batch - 1) / batch;
    }

    static void trainEpoch(Module model, Optimizer opt, int batch, long seed, IntConsumer afterStep) {
        model.train();
        long t0 = System.nanoTime();
        int step = 0;
        for (Batch b : loader(batch, seed)) {
            opt.zeroGrad();
            Tensor loss = F.crossEntropy(model.forward(b.input()), b.target());
            loss.backward();
            opt.step();
            afterStep.accept(step++);
        }
        System.out.printf("  epoch (%d steps) in %.0f s%n", step, (System.nanoTime() - t0) / 1e9);
    }

    static double accuracy(Module model) {
        model.eval();
        long correct = 0;
        try (var _ = Sinter.noGrad()) {
            for (Batch b : DataLoader.builder(test).batchSize(500).build()) {
                correct += (long) model.forward(b.input()).argmax(1, false).eq(b.target()).sum().item();
            }
        }
        return correct / (double) test.size();
    }

    static Map<String, Tensor> copyState(Module m) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        m.stateDict().forEach((k, v) -> out.put(k, v.clone()));
        return out;
    }

    static long params(Module m) {
        return m.parameters().stream().mapToLong(Tensor::numel).sum();
    }

    /** Dense model vs its sparsified form (measuring chooser), batch 1 and 64, interleaved rounds. */
    static void latency(String name, Module model, int[] inputShape) {
        if (!measureLatency) return;
        model.eval();
        KernelChooser chooser = KernelChooser.measuring(5);
        Module sparse = Sparsifier.sparsify(model, chooser);
        for (int batch : new int[] {1, 64}) {
            Tensor x = Tensor.randn(prepend(batch, inputShape));
            double[] t = timeBoth(model, sparse, x);
            System.out.printf("%s batch %d: dense %.3f ms, sparsified %.3f ms, dense/sparse %.2f%n", name, batch, t[0], t[1], t[0] / t[1]);
        }
        for (Module m : sparse.modules()) {
            if (m instanceof SparseLinear l) System.out.printf("  %s: %s%n", l, l.chosenFormats());
            if (m instanceof SparseConv2d c) System.out.printf("  %s: %s%n", c, c.chosenFormats());
        }
    }

    static void compareLatency(String name, Module a, Module b) {
        if (!measureLatency) return;
        for (int batch : new int[] {1, 64}) {
            Tensor x = Tensor.randn(batch, 1, 28, 28);
            double[] t = timeBoth(a, b, x);
            System.out.printf("%s batch %d: %.3f ms vs %.3f ms, speed-up %.2fx%n", name, batch, t[0], t[1], t[0] / t[1]);
        }
    }

    /** Medians of 15 interleaved rounds (each about 20 ms of the first model's work) after a 2-second warm-up. */
    static double[] timeBoth(Module a, Module b, Tensor x) {
        a.eval();
        b.eval();
        try (var _ = Sinter.noGrad()) {
            long until = System.nanoTime() + 2_000_000_000L;
            while (System.nanoTime() < until) {
                a.forward(x);
                b.forward(x);
            }
            long t0 = System.nanoTime();
            a.forward(x);
            int reps = (int) Math.max(1, Math.min(1000, 20e6 / (System.nanoTime() - t0)));
            double[] ta = new double[15], tb = new double[15];
            for (int r = 0; r < 15; r++) {
                long s = System.nanoTime();
                for (int i = 0; i < reps; i++) a.forward(x);
                ta[r] = (System.nanoTime() - s) / 1e6 / reps;
                s = System.nanoTime();
                for (int i = 0; i < reps; i++) b.forward(x);
                tb[r] = (System.nanoTime() - s) / 1e6 / reps;
            }
            Arrays.sort(ta);
            Arrays.sort(tb);
            return new double[] {ta[7], tb[7]};
        }
    }

    static int[] prepend(int n, int[] shape) {
        int[] s = new int[shape.length + 1];
        s[0] = n;
        System.arraycopy(shape, 0, s, 1, shape.length);
        return s;
    }
}
