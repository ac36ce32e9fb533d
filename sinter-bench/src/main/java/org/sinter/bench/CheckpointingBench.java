package org.sinter.bench;

import java.util.Locale;
import org.sinter.Sinter;
import org.sinter.Tensor;
import org.sinter.cli.models.ResNet18;
import org.sinter.compiler.CompileOptions;
import org.sinter.compiler.CompiledTrainingStep;
import org.sinter.compiler.memory.MemoryPlanner;
import org.sinter.nn.Module;
import org.sinter.nn.functional.F;
import org.sinter.optim.SGD;

/**
 * The memory bar of activation checkpointing: ResNet-18 (ImageNet shape) trained a few steps as a
 * compiled step, once with the plain memory plan and once under a budget of half its planned peak,
 * from the same weights, inputs and random draws. Prints both plans, each step's losses and time, and
 * whether the runs agree bit for bit.
 *
 * <p>Usage: {@code CheckpointingBench [--batch 32] [--steps 3] [--threads 2]}
 */
public final class CheckpointingBench {
    public static void main(String[] args) {
        int batch = 32, steps = 3, threads = 2;
        for (int i = 0; i < args.length; i += 2) {
            switch (args[i]) {
                case "--batch" -> batch = Integer.parseInt(args[i + 1]);
                case "--steps" -> steps = Integer.parseInt(args[i + 1]);
                case "--threads" -> threads = Integer.parseInt(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        Sinter.setNumThreads(threads);
        Sinter.manualSeed(0);
        Module a = new ResNet18(3, 1000);
        Sinter.manualSeed(0);
        Module b = new ResNet18(3, 1000);
        Tensor x0 = Tensor.randn(batch, 3, 224, 224), y0 = Tensor.randint(0, 1000, batch);
        var plain = new CompiledTrainingStep(a, F::crossEntropy);
        long planned = MemoryPlanner.plan(plain.graph(x0, y0), MemoryPlanner::elementwise).plannedBytes();
        var checkpointed = new CompiledTrainingStep(b, F::crossEntropy, CompileOptions.defaults().withMemoryBudget(planned / 2));
        long plannedCheckpointed = MemoryPlanner.plan(checkpointed.graph(x0, y0), MemoryPlanner::elementwise).plannedBytes();
        System.out.printf(Locale.ROOT, "ResNet-18, batch %d, 3x224x224, %d threads: planned %.1f MiB; under a budget of %.1f MiB: %.1f MiB%n",
                batch, threads, planned / 1048576.0, planned / 2 / 1048576.0, plannedCheckpointed / 1048576.0);
        var optA = new SGD(a.parameters(), SGD.options().lr(0.01).momentum(0.9));
        var optB = new SGD(b.parameters(), SGD.options().lr(0.01).momentum(0.9));
        boolean same = true;
        for (int s = 0; s < steps; s++) {
            Sinter.manualSeed(100 + s);
            Tensor x = Tensor.randn(batch, 3, 224, 224), y = Tensor.randint(0, 1000, batch);
            optA.zeroGrad();
            long t0 = System.nanoTime();
            double la = plain.step(x, y).item();
            optA.step();
            long t1 = System.nanoTime();
            optB.zeroGrad();
            double lb = checkpointed.step(x, y).item();
            optB.step();
            long t2 = System.nanoTime();
            same &= la == lb;
            System.out.printf(Locale.ROOT, "step %d: loss %.9f (%.0f ms) | checkpointed %.9f (%.0f ms)%n", s + 1, la, (t1 - t0) / 1e6, lb, (t2 - t1) / 1e6);
        }
        for (int i = 0; i < a.parameters().size(); i++) {
            same &= java.util.Arrays.equals(a.parameters().get(i).toFloatArray(), b.parameters().get(i).toFloatArray());
        }
        System.out.println(same ? "identical losses and weights" : "THE RUNS DIFFER");
    }
}
