package org.sinter.compiler;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.sinter.Device;
import org.sinter.GradMode;
import org.sinter.Tensor;
import org.sinter.compiler.capture.BatchTemplate;
import org.sinter.compiler.codegen.Program;
import org.sinter.compiler.capture.Tracer;
import org.sinter.compiler.ir.Graph;
import org.sinter.compiler.runtime.Interpreter;
import org.sinter.ops.TensorSpec;

/**
 * What {@link Compiler#compile} returns: a function that traces on its first call and runs the
 * compiled graph after. Graphs are cached under their <b>guards</b>: input shapes (with the batch
 * dimension left out when it is dynamic), dtypes, devices and grad mode; a call that fails every
 * cached guard traces again. With a dynamic batch one {@link BatchTemplate} serves all batch sizes
 * of two and more (sizes 0 and 1 are specialised, as PyTorch does, because broadcasting treats
 * them differently).
 */
public final class CompiledFunction {
    private static final int MAX_SPECIALISATIONS = 32;

    private final Function<Tensor[], Tensor[]> fn;
    private final Map<String, Tensor> state;
    private final CompileOptions options;
    private final Map<Guard, Object> cache = lru();
    private record Instance(BatchTemplate template, int batch) {}

    private final Map<Instance, Graph> instances = lru();
    private final Map<Graph, Program> programs = new java.util.IdentityHashMap<>();
    private int traces;

    private static <K, V> Map<K, V> lru() {
        return new LinkedHashMap<>(16, 0.75f, true) {
            @Override protected boolean removeEldestEntry(Map.Entry<K, V> e) { return size() > MAX_SPECIALISATIONS; }
        };
    }

    private record Guard(List<TensorSpec> specs, List<Device> devices, boolean grad) {}

    CompiledFunction(Function<Tensor[], Tensor[]> fn, Map<String, Tensor> state, CompileOptions options) {
        this.fn = fn;
        this.state = state;
        this.options = options;
    }

    /**
     * Runs the compiled graph for these inputs, tracing first when no cached graph's guards hold.
     * Without gradients to record it runs the lowered program (fused kernels); when autograd must
     * record (grad mode on and an input or parameter requires grad) it runs the graph op by op
     * through the engine, so {@code backward()} works as in eager mode.
     */
    public synchronized Tensor[] call(Tensor... inputs) {
        Graph g = graphFor(inputs);
        if (!options.fuse() || recordsGradients(inputs)) return Interpreter.run(g, inputs);
        return programFor(g, inputs).run(inputs);
    }

    /** The lowered program {@link #call} runs for these inputs without gradients (for inspection). */
    public synchronized Program programFor(Tensor... inputs) {
        return programFor(graphFor(inputs), inputs);
    }

    /** The cached program of {@code g}, lowered for the inputs' device on first use. */
    private Program programFor(Graph g, Tensor[] inputs) {
        return programs.computeIfAbsent(g, graph -> {
            Program p = Program.compile(graph, deviceOf(inputs));
            p.setInterOpThreads(options.interOpThreads());
            return p;
        });
    }

    /**
     * The device the program runs on: its inputs' (the guards keep one graph per placement), else
     * its state's. Mixed placements are left to the engine, which names the op that mixes them.
     */
    private Device deviceOf(Tensor[] inputs) {
        for (Tensor t : inputs) if (t.device().type() != Device.Type.CPU) return t.device();
        for (Tensor t : state.values()) if (t.device().type() != Device.Type.CPU) return t.device();
        return Device.CPU;
    }

    /** The optimised graph that {@link #call} would run for these inputs (tracing it if needed). */
    public synchronized Graph graphFor(Tensor... inputs) {
        int batch = batchOf(inputs);
        boolean dynamic = options.dynamicBatch() && batch >= 2;
        Guard guard = guard(inputs, dynamic);
        Object entry = cache.get(guard);
        if (entry == null) {
            entry = dynamic ? BatchTemplate.derive(b -> optimise(trace(specs(inputs, b))), batchDims(inputs.length))
                    : optimise(trace(specs(inputs, -1)));
            cache.put(guard, entry);
        }
        if (entry instanceof Graph g) return g;
        BatchTemplate t = (BatchTemplate) entry;
        return instances.computeIfAbsent(new Instance(t, batch), k -> t.instantiate(batch));
    }

    private boolean recordsGradients(Tensor[] inputs) {
        if (!GradMode.isEnabled()) return false;
        for (Tensor t : inputs) if (t.requiresGrad()) return true;
        for (Tensor t : state.values()) if (t.requiresGrad()) return true;
        return false;
    }

    /** How many times the function was traced (a cache miss traces once, or three times for a dynamic batch). */
    public synchronized int traceCount() {
        return traces;
    }

    private Graph trace(List<TensorSpec> specs) {
        traces++;
        return Tracer.trace(fn, specs, state);
    }

    private Graph optimise(Graph g) {
        return options.passes().run(g).graph();
    }

    /** Shapes (the batch dimension as -1 when it is dynamic), dtypes, devices and grad mode. */
    private Guard guard(Tensor[] inputs, boolean dynamic) {
        List<TensorSpec> specs = new ArrayList<>();
        List<Device> devices = new ArrayList<>();
        for (Tensor t : inputs) {
            int[] shape = t.shape();
            if (dynamic) shape[0] = -1;
            specs.add(new TensorSpec(shape, t.dtype()));
            devices.add(t.device());
        }
        return new Guard(specs, devices, GradMode.isEnabled());
    }

    /** The inputs' specs, with the batch dimension set to {@code batch} when that is not -1. */
    private List<TensorSpec> specs(Tensor[] inputs, int batch) {
        List<TensorSpec> out = new ArrayList<>();
        for (Tensor t : inputs) {
            int[] shape = t.shape();
            if (batch >= 0) shape[0] = batch;
            out.add(new TensorSpec(shape, t.dtype()));
        }
        return out;
    }

    private int batchOf(Tensor[] inputs) {
        if (!options.dynamicBatch()) return -1;
        int b = -1;
        for (Tensor t : inputs) {
            if (t.dim() == 0) throw new IllegalArgumentException("compile: a dynamic batch needs inputs of rank 1 or more, got " + t.describe());
            if (b >= 0 && t.shape()[0] != b) {
                throw new IllegalArgumentException("compile: inputs disagree on the dynamic batch size: " + b + " vs " + Arrays.toString(t.shape()));
            }
            b = t.shape()[0];
        }
        return b;
    }

    private static List<int[]> batchDims(int n) {
        List<int[]> out = new ArrayList<>();
        for (int i = 0; i < n; i++) out.add(new int[] {0});
        return out;
    }
}
