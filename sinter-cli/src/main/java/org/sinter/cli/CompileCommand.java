package org.sinter.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.sinter.DType;
import org.sinter.Sinter;
import org.sinter.Tensor;
import org.sinter.cli.train.ModelSpec;
import org.sinter.cli.train.Task;
import org.sinter.cli.train.TextTask;
import org.sinter.compiler.capture.Tracer;
import org.sinter.compiler.codegen.FusionGroup;
import org.sinter.compiler.codegen.KernelCompiler;
import org.sinter.compiler.codegen.Program;
import org.sinter.compiler.ir.Graph;
import org.sinter.compiler.ir.GraphText;
import org.sinter.compiler.memory.Checkpointing;
import org.sinter.compiler.memory.MemoryPlan;
import org.sinter.compiler.memory.MemoryPlanner;
import org.sinter.compiler.passes.PassManager;
import org.sinter.compiler.passes.rewrite.SubstitutionSearch;
import org.sinter.compiler.runtime.Interpreter;
import org.sinter.nn.Module;
import org.sinter.nn.functional.F;
import org.sinter.ops.TensorSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code sinter compile}: a model of the zoo through the compiler's stages, printed (inference in
 * eval mode, or with {@code --train} a training step's forward and backward): the traced graph, the pass table, the optimised graph, the fusion groups and
 * generated kernels, the memory plan, the time of each stage, and a check that the compiled
 * program gives the eager numbers.
 */
@Command(name = "compile", mixinStandardHelpOptions = true, description = "Show what the graph compiler makes of a model (inference).")
final class CompileCommand implements Callable<Integer> {
    @Option(names = "--model", defaultValue = "lab1cnn", description = "mlp, lenet5, lab1cnn, resnet18, charlm or gpt (default: ${DEFAULT-VALUE})")
    String model;

    @Option(names = "--batch", description = "batch size (default: the model's training batch size)")
    Integer batch;

    @Option(names = "--alloc-log", description = "write the run's allocations and frees (sinter-alloc-log v1) to this file")
    Path allocLog;

    @Option(names = "--train", description = "compile a training step (forward, loss and backward) instead of inference")
    boolean train;

    @Option(names = "--memory-budget", description = "with --train: recompute activations (checkpointing) to keep the planned intermediates under this many MiB")
    Double memoryBudgetMiB;

    @Option(names = "--imagenet", description = "resnet18 only: the ImageNet model (3x224x224 inputs, 1000 classes)")
    boolean imagenet;

    @Option(names = "--substitutions", description = "also run the subgraph substitution search (verified TASO-style rewrite rules, cost-guided)")
    boolean substitutions;

    @Option(names = "--graphs", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "print the graphs before and after the passes (default: ${DEFAULT-VALUE})")
    boolean graphs;

    @Override
    public Integer call() throws Exception {
        ModelSpec spec;
        try {
            spec = ModelSpec.of(model);
        } catch (IllegalArgumentException e) {
            throw new UsageException("--model: " + e.getMessage());
        }
        int b = batch != null ? batch : spec.batchSize;
        if (b < 1) throw new UsageException("--batch must be at least 1, got " + b);
        Sinter.manualSeed(0);
        Module m;
        TensorSpec input;
        if (imagenet && spec != ModelSpec.RESNET18) throw new UsageException("--imagenet is for --model resnet18");
        if (memoryBudgetMiB != null && (!train || !(memoryBudgetMiB > 0))) {
            throw new UsageException("--memory-budget needs --train and a positive number of MiB, got " + memoryBudgetMiB);
        }
        Task task;
        if (spec.kind == Task.Kind.TEXT) {
            task = TextTask.forTraining(spec, null);
            m = task.createModel();
            input = new TensorSpec(new int[] {b, TextTask.CONTEXT}, DType.INT64);
        } else if (imagenet) {
            task = null;
            m = new org.sinter.cli.models.ResNet18(3, 1000);
            input = new TensorSpec(new int[] {b, 3, 224, 224}, DType.FLOAT32);
        } else {
            task = null;
            m = spec.create();
            input = new TensorSpec(new int[] {b, 1, 28, 28}, DType.FLOAT32);
        }
        m.train(train);
        // The training loss: a text task's (every position's next character), else the image models' on class labels.
        java.util.function.BiFunction<Tensor, Tensor, Tensor> loss = task != null ? task::loss : spec.logProbabilities ? F::nllLoss : F::crossEntropy;
        TensorSpec target = new TensorSpec(spec.kind == Task.Kind.TEXT ? input.shape() : new int[] {b}, DType.INT64);
        Map<String, Tensor> state = new java.util.LinkedHashMap<>(m.namedParameters());
        state.putAll(m.namedBuffers());

        long t0 = System.nanoTime();
        Graph traced = train
                ? Tracer.traceGradients(in -> new Tensor[] {loss.apply(m.forward(in[0]), in[1])}, List.of(input, target), state)
                : Tracer.trace(in -> new Tensor[] {m.forward(in[0])}, List.of(input), state);
        long t1 = System.nanoTime();
        // Inference freezes the weights (as ONNX Runtime treats initializers), so weight work folds and weights are pre-packed.
        PassManager pipeline = train ? PassManager.standard() : PassManager.frozenInference();
        if (substitutions) pipeline = pipeline.then(SubstitutionSearch.pipeline(!train));
        PassManager.Report passes = pipeline.run(traced);
        Graph optimised = passes.graph();
        Checkpointing.Result checkpointed = null;
        if (memoryBudgetMiB != null) {
            checkpointed = Checkpointing.fit(optimised, (long) (memoryBudgetMiB * 1048576));
            optimised = checkpointed.graph();
        }
        long t2 = System.nanoTime();
        Program program = Program.compile(optimised);
        long t3 = System.nanoTime();
        MemoryPlan plan = MemoryPlanner.plan(optimised, MemoryPlanner::elementwise);
        long t4 = System.nanoTime();

        System.out.println("model " + spec.id + (imagenet ? " (ImageNet)" : "") + (train ? ", training step" : ", inference") + ", input "
                + input + ", " + state.size() + " bound tensors");
        if (graphs) {
            System.out.println("\n== traced graph (" + traced.nodes().size() + " ops)\n" + GraphText.print(traced));
        }
        System.out.println("== passes\n" + passes.table());
        if (graphs) {
            System.out.println("== optimised graph (" + optimised.nodes().size() + " ops)\n" + GraphText.print(optimised));
        }
        List<FusionGroup> groups = program.fusionGroups();
        var ks = KernelCompiler.stats();
        System.out.println("== fusion: " + groups.size() + " groups, " + program.kernelCount() + " generated kernels (compiled "
                + ks.compiled() + ", from the disk cache " + ks.fromDisk() + ")");
        for (int i = 0; i < groups.size(); i++) System.out.println("  " + (i + 1) + ". " + groups.get(i).describe());
        var gemms = program.gemmGroups();
        System.out.println("== GEMM epilogues: " + gemms.stream().filter(gg -> gg.epilogue() != null).count() + " of the graph's matrix products run "
                + "their elementwise successors inside the GEMM, " + gemms.stream().filter(gg -> gg.constantWeight()).count() + " with a pre-packed constant operand");
        for (int i = 0; i < gemms.size(); i++) System.out.println("  " + (i + 1) + ". " + gemms.get(i).describe());
        System.out.println("\n== memory\n  " + plan.summary());
        System.out.printf(Locale.ROOT, "  executor arena: %.2f MiB holding the %d intermediates generated steps write (reused from run to run)%n",
                program.arenaBytes() / 1048576.0, program.arenaValues());
        if (checkpointed != null) {
            System.out.printf(Locale.ROOT, "  checkpointing under %.1f MiB: a checkpoint every %d forward ops, %d ops recomputed in the backward%n",
                    memoryBudgetMiB, checkpointed.every(), checkpointed.recomputed());
        }
        System.out.printf(Locale.ROOT, "%n== compile time: trace %.1f ms, passes (and checkpointing) %.1f ms, fusion and code generation %.1f ms, memory plan %.1f ms%n",
                (t1 - t0) / 1e6, (t2 - t1) / 1e6, (t3 - t2) / 1e6, (t4 - t3) / 1e6);

        if (!train && !imagenet) check(m, program, optimised, spec, input);
        if (allocLog != null) {
            plan.allocationLog().write(allocLog);
            System.out.println("wrote " + allocLog + " (replay it with the allocator simulator: docs/memory-allocators.md)");
        }
        return 0;
    }

    /** Runs the compiled program on random input beside the graph interpreted and the module itself. */
    private static void check(Module m, Program program, Graph g, ModelSpec spec, TensorSpec input) {
        Tensor x = spec.kind == Task.Kind.TEXT ? Tensor.randint(0, 8, input.shape()) : Tensor.randn(input.shape());
        try (var _ = Sinter.noGrad()) {
            Tensor compiled = program.run(x)[0], eager = Interpreter.run(g, x)[0], module = m.forward(x);
            double toEager = compiled.sub(eager).abs().max().item(), toModule = compiled.sub(module).abs().max().item();
            System.out.printf(Locale.ROOT, "== check: compiled vs the graph run eagerly, max |diff| %.3g; vs the module itself %.3g%n", toEager, toModule);
        }
    }
}
