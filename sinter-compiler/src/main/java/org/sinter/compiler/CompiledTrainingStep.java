package org.sinter.compiler;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import org.sinter.Device;
import org.sinter.Sinter;
import org.sinter.Tensor;
import org.sinter.compiler.capture.Tracer;
import org.sinter.compiler.codegen.Program;
import org.sinter.compiler.ir.Graph;
import org.sinter.nn.Module;
import org.sinter.optim.Optimizer;
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
    /** Programs by input specs and device (a model moved to a GPU gets a program of GPU kernels). */
    private record Key(List<TensorSpec> specs, Device device) {}

    private final Map<Key, Program> programs = new HashMap<>();
    private final CompileOptions options;

    /** The optimizer whose update ends the graph, or null (gradients go to {@code .grad} for the caller's optimizer). */
    private final Optimizer optimizer;

    /** {@code loss(model output, target)} must return a 0-d loss. */
    public CompiledTrainingStep(Module model, BiFunction<Tensor, Tensor, Tensor> loss, CompileOptions options) {
        this(model, loss, null, options);
    }

    /**
     * A whole training step in one graph: forward, loss, backward and {@code optimizer}'s update,
     * an {@code optimizer_step} node at the end of the graph that reads the parameters and the
     * graph's gradients and runs the optimizer's own fused update (see {@link OptimizerUpdate}). Each
     * {@link #step} then leaves the gradients it computed in {@code .grad} (replacing, not adding
     * to, what was there: do not call {@code zeroGrad} or {@code step} yourself). The optimizer must
     * be built over the model's trainable parameters.
     */
    public CompiledTrainingStep(Module model, BiFunction<Tensor, Tensor, Tensor> loss, Optimizer optimizer, CompileOptions options) {
        this.model = model;
        this.loss = loss;
        this.options = options;
        this.optimizer = optimizer;
        state.putAll(model.namedParameters());
        state.putAll(model.namedBuffers());
        for (Tensor p : new java.util.LinkedHashSet<>(state.values())) if (p.requiresGrad()) trained.add(p);
        if (optimizer != null) {
            java.util.Set<Tensor> optimized = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
            optimizer.paramGroups().forEach(g -> optimized.addAll(g.params()));
            for (Tensor p : trained) {
                if (!optimized.contains(p)) {
                    throw new IllegalArgumentException("CompiledTrainingStep: the optimizer does not update trainable parameter "
                            + p.describe() + "; build it over the model's parameters");
                }
            }
        }
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
        Program p = programs.computeIfAbsent(key(input, target), this::compile);
        Tensor[] out;
        try (var _ = Sinter.noGrad()) {
            Tensor seed = Tensor.scalar(1.0, p.graph().inputs().get(2).dtype());
            out = p.run(input, target, input.device().type() == Device.Type.CPU ? seed : seed.to(input.device()));
            // With the optimizer in the graph, its node has set .grad and updated the parameters.
            for (int i = 0; optimizer == null && i < trained.size(); i++) {
                Tensor param = trained.get(i), g = out[2 + i];
                if (param.grad() == null) param.setGrad(g.isContiguous() ? g : g.contiguous());
                else param.grad().add_(g);
            }
        }
        return new Result(out[0], out[1]);
    }

    /** The forward-and-backward graph for these input specs (for inspection). */
    public Graph graph(Tensor input, Tensor target) {
        return programs.computeIfAbsent(key(input, target), this::compile).graph();
    }

    private static Key key(Tensor input, Tensor target) {
        return new Key(List.of(new TensorSpec(input.shape(), input.dtype()), new TensorSpec(target.shape(), target.dtype())), input.device());
    }

    /** Trace, passes, checkpointing under the memory budget (if any), lowering. */
    private Program compile(Key key) {
        Graph g = options.passes().run(trace(key.specs())).graph();
        if (options.memoryBudget() > 0) g = org.sinter.compiler.memory.Checkpointing.fit(g, options.memoryBudget()).graph();
        if (optimizer != null) appendUpdate(g);
        Program p = Program.compile(g, key.device());
        p.setInterOpThreads(options.interOpThreads());
        return p;
    }

    /** The optimizer_step node: the trained parameters' bound values, then their gradients (outputs 2..). */
    private void appendUpdate(Graph g) {
        Map<Tensor, org.sinter.compiler.ir.Value> bound = new java.util.IdentityHashMap<>();
        g.parameters().forEach((v, p) -> {
            if (p.tensor() != null) bound.put(p.tensor(), v);
        });
        List<org.sinter.compiler.ir.Value> args = new ArrayList<>();
        for (Tensor p : trained) {
            org.sinter.compiler.ir.Value v = bound.get(p);
            if (v == null) throw new IllegalStateException("CompiledTrainingStep: parameter " + p.describe() + " is not bound in the graph");
            args.add(v);
        }
        for (int i = 0; i < trained.size(); i++) args.add(g.outputs().get(2 + i));
        g.add(new org.sinter.ops.Custom(new OptimizerUpdate(optimizer, trained)), args);
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
