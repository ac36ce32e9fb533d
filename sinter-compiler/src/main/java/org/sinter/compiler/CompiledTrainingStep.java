package org.sinter.compiler;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import org.sinter.Sinter;
import org.sinter.Tensor;
import org.sinter.compiler.capture.Tracer;
import org.sinter.compiler.codegen.Program;
import org.sinter.compiler.ir.Graph;
import org.sinter.nn.Module;
import org.sinter.ops.TensorSpec;

/**
 * A training step's forward and backward as one compiled graph: {@link #step} computes the loss
 * and accumulates every trainable parameter's gradient into its {@code .grad}, as
 * {@code loss.backward()} would, so any optimizer then steps as usual. The graph is traced once per
 * input shape (the backward through the engine's own autograd, see
 * {@link Tracer#traceGradients}), optimised and lowered with fused kernels. Buffers the training
 * forward writes (BatchNorm's running statistics) are written back after each step, and random
 * draws (dropout's masks) are drawn on every run, in eager order.
 */
public final class CompiledTrainingStep {
    private final Module model;
    private final BiFunction<Tensor, Tensor, Tensor> loss;
    private final Map<String, Tensor> state = new LinkedHashMap<>();
    private final List<Tensor> trained = new ArrayList<>();
    private final Map<List<TensorSpec>, Program> programs = new HashMap<>();
    private final CompileOptions options;

    /** {@code loss(model output, target)} must return a 0-d loss. */
    public CompiledTrainingStep(Module model, BiFunction<Tensor, Tensor, Tensor> loss, CompileOptions options) {
        this.model = model;
        this.loss = loss;
        this.options = options;
        state.putAll(model.namedParameters());
        state.putAll(model.namedBuffers());
        for (Tensor p : new java.util.LinkedHashSet<>(state.values())) if (p.requiresGrad()) trained.add(p);
    }

    public CompiledTrainingStep(Module model, BiFunction<Tensor, Tensor, Tensor> loss) {
        this(model, loss, CompileOptions.defaults());
    }

    /** A step's loss (0-d) and the model's output on the batch. */
    public record Result(Tensor loss, Tensor output) {}

    /** Runs forward and backward on a batch; returns the loss (0-d). Gradients add into the parameters' {@code .grad}. */
    public Tensor step(Tensor input, Tensor target) {
        return run(input, target).loss();
    }

    /** {@link #step}, also returning the model's output (for accuracy). */
    public Result run(Tensor input, Tensor target) {
        List<TensorSpec> specs = List.of(new TensorSpec(input.shape(), input.dtype()), new TensorSpec(target.shape(), target.dtype()));
        Program p = programs.computeIfAbsent(specs, this::compile);
        Tensor[] out;
        try (var _ = Sinter.noGrad()) {
            out = p.run(input, target, Tensor.scalar(1.0, p.graph().inputs().get(2).dtype()));
            for (int i = 0; i < trained.size(); i++) {
                Tensor param = trained.get(i), g = out[2 + i];
                if (param.grad() == null) param.setGrad(g.isContiguous() ? g : g.contiguous());
                else param.grad().add_(g);
            }
        }
        return new Result(out[0], out[1]);
    }

    /** The forward-and-backward graph for these input specs (for inspection). */
    public Graph graph(Tensor input, Tensor target) {
        return programs.computeIfAbsent(List.of(new TensorSpec(input.shape(), input.dtype()), new TensorSpec(target.shape(), target.dtype())),
                this::compile).graph();
    }

    /** Trace, passes, checkpointing under the memory budget (if any), lowering. */
    private Program compile(List<TensorSpec> specs) {
        Graph g = options.passes().run(trace(specs)).graph();
        if (options.memoryBudget() > 0) g = org.sinter.compiler.memory.Checkpointing.fit(g, options.memoryBudget()).graph();
        Program p = Program.compile(g);
        p.setInterOpThreads(options.interOpThreads());
        return p;
    }

    private Graph trace(List<TensorSpec> specs) {
        boolean wasTraining = model.isTraining();
        try {
            return Tracer.traceGradients(in -> {
                Tensor output = model.forward(in[0]);
                return new Tensor[] {loss.apply(output, in[1]), output};
            }, specs, state);
        } finally {
            model.train(wasTraining);
        }
    }
}
