package org.sinter.cuda.tools;

import java.util.Arrays;
import java.util.Locale;
import java.util.function.Supplier;
import org.sinter.Device;
import org.sinter.Sinter;
import org.sinter.Tensor;
import org.sinter.compiler.CompiledFunction;
import org.sinter.compiler.Compiler;
import org.sinter.compiler.codegen.Program;
import org.sinter.cuda.Cuda;
import org.sinter.nn.GELU;
import org.sinter.nn.LayerNorm;
import org.sinter.nn.Linear;
import org.sinter.nn.Module;
import org.sinter.nn.Sequential;
import org.sinter.nn.TransformerEncoderLayer;

/**
 * Inference on the GPU, eager beside compiled (the compiler's fusion groups as generated CUDA C) in
 * the same run: a Transformer encoder layer and an MLP block, median milliseconds per forward over
 * timed repetitions after warm-up (each ends with a device synchronisation), the ratio, and how
 * many fused kernels the compiled program runs. Usage: {@code CompiledBenchmark [reps]}.
 */
public final class CompiledBenchmark {
    private CompiledBenchmark() {}

    public static void main(String[] args) {
        int reps = args.length > 0 ? Integer.parseInt(args[0]) : 30;
        Cuda.requireAvailable();
        Device gpu = Device.cuda(0);
        System.out.println("device: " + Cuda.device(0));
        Sinter.manualSeed(1);
        TransformerEncoderLayer layer = new TransformerEncoderLayer(512, 8);
        layer.eval();
        run("transformer encoder layer d=512 h=8, [16, 128, 512]", layer.to(gpu), Tensor.randn(16, 128, 512).to(gpu), reps);
        Module mlp = new Sequential(new Linear(1024, 4096), new GELU(), new Linear(4096, 1024), new LayerNorm(1024)).eval();
        run("MLP block 1024-4096-1024 + GELU + LayerNorm, [256, 1024]", mlp.to(gpu), Tensor.randn(256, 1024).to(gpu), reps);
    }

    private static void run(String what, Module model, Tensor x, int reps) {
        try (var _ = Sinter.noGrad()) {
            CompiledFunction f = Compiler.compile(model);
            Program p = f.programFor(x);
            double eager = median(() -> model.forward(x), reps);
            double compiled = median(() -> f.call(x)[0], reps);
            Tensor a = model.forward(x).to(Device.CPU), b = f.call(x)[0].to(Device.CPU);
            double maxDiff = a.sub(b).abs().max().item();
            System.out.printf(Locale.ROOT, "%s: eager %.3f ms, compiled %.3f ms (%.2fx), %d fused kernels, %d fusion groups, max |diff| %.2e%n",
                    what, eager, compiled, eager / compiled, p.kernelCount(), p.fusionGroups().size(), maxDiff);
        }
    }

    private static double median(Supplier<Tensor> forward, int reps) {
        for (int i = 0; i < 5; i++) forward.get();
        Cuda.synchronize();
        double[] ms = new double[reps];
        for (int i = 0; i < reps; i++) {
            long t0 = System.nanoTime();
            forward.get();
            Cuda.synchronize();
            ms[i] = (System.nanoTime() - t0) / 1e6;
        }
        Arrays.sort(ms);
        return ms[reps / 2];
    }
}
