package org.sinter.compiler.codegen;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.sinter.DType;
import org.sinter.Device;
import org.sinter.Dispatch;
import org.sinter.Tensor;
import org.sinter.compiler.ir.ControlFlowOps.ControlFlowOp;
import org.sinter.compiler.ir.Graph;
import org.sinter.compiler.ir.Node;
import org.sinter.compiler.ir.Value;
import org.sinter.kernels.Parallel;
import org.sinter.profiler.Profiler;

/**
 * A graph lowered for execution: its nodes in order, with each fusion group replaced by one step
 * running the group's generated kernel at the position of the group's last node. Other nodes run
 * through the engine's dispatch, as eager code would.
 */
public final class Program {
    private final Graph graph;
    private final List<ProgramStep> steps;
    /** Threads that run independent steps concurrently (1: in order, on the caller). */
    private volatile int interOpThreads = 1;
    private final InterOpExecutor interOp;
    private final StepArena arena;
    private final List<FusionGroup> groups;

    /** {@code -Dsinter.compiler.gemmGroups=false} runs matrix products through dispatch, for comparison. */
    private static final boolean GEMM_GROUPS = Boolean.parseBoolean(System.getProperty("sinter.compiler.gemmGroups", "true"));

    /**
     * Elements from which a row kernel (a row group, or a group ending in a softmax) splits its rows
     * across the intra-op pool, in pieces of at least half as many: such a kernel makes several passes
     * per element (a LayerNorm about ten), and in a compiled program it runs between parallel GEMMs,
     * whose workers are still spinning (a hand-off then costs ~0.3 µs, not a wake-up's 20–50 µs), so a
     * batch-1 GPT's 64 rows of 128 (~9 µs on one core) are worth splitting.
     * {@code -Dsinter.compiler.rowParallelMin} for A/B (32768 was the threshold before).
     */
    private static final long ROW_PARALLEL_MIN = Long.getLong("sinter.compiler.rowParallelMin", 8192);

    /** One generated kernel's step: what it reads and writes, its loop nest, whether it walks rows. */
    private record Fused(List<Value> inputs, List<Value> scalars, List<Value> outputs, FusedKernel kernel, LoopNest nest, String className,
                         boolean rowKernel, DenseCopy.Reused[] copies) implements ProgramStep {
        Fused(List<Value> inputs, List<Value> scalars, List<Value> outputs, FusedKernel kernel, LoopNest nest, String className, boolean rowKernel) {
            this(inputs, scalars, outputs, kernel, nest, className, rowKernel, newCopies(inputs.size()));
        }

        private static DenseCopy.Reused[] newCopies(int n) {
            DenseCopy.Reused[] c = new DenseCopy.Reused[n];
            for (int i = 0; i < n; i++) c[i] = new DenseCopy.Reused();
            return c;
        }

        @Override
        public List<Value> reads() {
            List<Value> r = new ArrayList<>(inputs);
            r.addAll(scalars);
            return r;
        }

        @Override public List<Value> writes() { return outputs; }

        @Override public void run(Map<Value, Tensor> env, Outputs out) { runFused(this, env, out); }
    }

    private final List<RowGroup> rowGroups;

    private final List<GemmGroup> gemmGroups;
    private final long kernelCount;

    /** Where the program's kernels run (the CPU, or an accelerator whose code generator wrote its fused kernels). */
    private final Device device;
    /** Constant tensors the trace made on the host, copied once to the program's device. */
    private final Map<Value, Tensor> deviceConstants = new IdentityHashMap<>();

    private Program(Graph graph, List<ProgramStep> steps, List<FusionGroup> groups, List<RowGroup> rowGroups, List<GemmGroup> gemmGroups, long kernelCount,
                    Device device) {
        this.device = device;
        this.gemmGroups = gemmGroups;
        this.kernelCount = kernelCount;
        this.graph = graph;
        this.steps = steps;
        this.interOp = new InterOpExecutor(steps);
        this.arena = StepArena.plan(graph, steps);
        this.groups = groups;
        this.rowGroups = rowGroups;
    }

    /** Plans the row groups and fusion groups of {@code g}, generates and loads their (CPU) kernels. */
    public static Program compile(Graph g) {
        return compile(g, Device.CPU);
    }

    /**
     * Lowers {@code g} for tensors on {@code device}. On the CPU: row groups, GEMMs with epilogues
     * and fusion groups as generated Java. On an accelerator: the fusion groups become kernels of
     * its {@link DeviceCodegen} (CUDA C on a GPU); every other node runs through the engine's
     * dispatch on the device's backend (its GEMM, convolution and reduction kernels).
     */
    public static Program compile(Graph g, Device device) {
        if (device.type() == Device.Type.META) throw new IllegalArgumentException("compile: a program cannot run on the meta device");
        return device.type() == Device.Type.CPU ? compileForCpu(g) : compileForDevice(g, device);
    }

    private static Program compileForDevice(Graph g, Device device) {
        DeviceCodegen codegen = DeviceCodegen.forDevice(device);
        List<FusionGroup> groups = new ArrayList<>();
        Map<Node, FusionGroup> lastOf = new IdentityHashMap<>();
        Map<FusionGroup, DeviceCodegen.DeviceKernel> kernels = new IdentityHashMap<>();
        java.util.Set<Node> fused = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
        if (codegen != null) {
            for (FusionGroup fg : FusionPlanner.plan(g)) {
                if (fg.nodes().size() < 2) continue;
                DeviceCodegen.DeviceKernel k = codegen.compile(fg);
                if (k == null) continue; // the device declined: its members run one by one
                groups.add(fg);
                kernels.put(fg, k);
                fused.addAll(fg.nodes());
                lastOf.put(fg.nodes().getLast(), fg);
            }
        }
        List<ProgramStep> steps = new ArrayList<>();
        for (Node n : g.nodes()) {
            FusionGroup fg = lastOf.get(n);
            if (fg != null) steps.add(new DeviceFusedStep(fg, kernels.get(fg), device));
            else if (fused.contains(n)) continue;
            else steps.add(n.op() instanceof ControlFlowOp ? new ControlFlowStep(n, device) : new ProgramStep.NodeStep(n));
        }
        Program p = new Program(g, steps, List.copyOf(groups), List.of(), List.of(), kernels.size(), device);
        g.parameters().forEach((v, prm) -> {
            Tensor t = prm.tensor();
            if (prm.constant() && t.dim() > 0 && !t.device().equals(device)) p.deviceConstants.put(v, t.to(device));
        });
        return p;
    }

    private static Program compileForCpu(Graph g) {
        List<RowGroup> rowGroups = RowGroupPlanner.plan(g);
        java.util.Set<Node> inRows = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
        for (RowGroup rg : rowGroups) inRows.addAll(rg.nodes());
        // Attention chains first (none of their nodes is in a row group), then nothing else takes their nodes.
        List<AttentionPlanner.Match> attention = new ArrayList<>(AttentionPlanner.plan(g));
        attention.removeIf(a -> a.nodes().stream().anyMatch(inRows::contains));
        java.util.Set<Node> inAttention = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
        for (AttentionPlanner.Match a : attention) inAttention.addAll(a.nodes());
        inRows.addAll(inAttention);
        Map<Value, GemmEpiloguePlanner.Chain> products = new IdentityHashMap<>(GEMM_GROUPS ? GemmEpiloguePlanner.products(g) : Map.of());
        if (!inAttention.isEmpty()) products.values().removeIf(c -> inAttention.contains(c.producer()));
        List<FusionGroup> groups = new ArrayList<>(FusionPlanner.plan(g, inRows, products.keySet()));
        List<GemmGroup> gemmGroups = GemmEpiloguePlanner.plan(g, products, groups);
        java.util.Set<FusionGroup> epilogues = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
        for (GemmGroup gg : gemmGroups) if (gg.epilogue() != null) epilogues.add(gg.epilogue());
        // Epilogues run inside their GEMM; one-op groups kept for an epilogue that none took stay eager.
        groups.removeIf(fg -> epilogues.contains(fg) || fg.nodes().size() < 2);
        // Each group: its members, the step that replaces them (at its last member), the kernel source.
        Map<Node, Object> last = new IdentityHashMap<>(), member = new IdentityHashMap<>();
        Map<String, String> sources = new LinkedHashMap<>();
        Map<Object, String> names = new IdentityHashMap<>();
        Map<Object, LoopNest> nests = new IdentityHashMap<>();
        for (FusionGroup fg : groups) {
            LoopNest nest = LoopNest.of(fg.shape(), shapes(fg.inputs(), fg.outputs()), fg.rowTail() != null);
            String name = KernelCompiler.className(KernelWriter.write("KERNEL", fg, nest));
            sources.put(name, KernelWriter.write(name, fg, nest));
            register(fg, fg.nodes(), name, nest, member, last, names, nests);
        }
        for (RowGroup rg : rowGroups) {
            LoopNest nest = LoopNest.of(rg.shape(), shapes(rg.inputs(), rg.outputs()), true);
            String name = KernelCompiler.className(RowKernelWriter.write("KERNEL", rg, nest));
            sources.put(name, RowKernelWriter.write(name, rg, nest));
            register(rg, rg.nodes(), name, nest, member, last, names, nests);
        }
        for (AttentionPlanner.Match a : attention) register(a, a.nodes(), null, null, member, last, names, nests);
        for (GemmGroup gg : gemmGroups) {
            String name = null;
            LoopNest nest = null;
            if (gg.epilogue() != null) {
                nest = gg.isConv() ? GemmEpiloguePlanner.convEpilogueNest(gg.epilogue()).nest() : GemmEpiloguePlanner.epilogueNest(gg.epilogue());
                name = KernelCompiler.className(KernelWriter.write("KERNEL", gg.epilogue(), nest));
                sources.put(name, KernelWriter.write(name, gg.epilogue(), nest));
            }
            register(gg, gg.nodes(), name, nest, member, last, names, nests);
        }
        Map<String, FusedKernel> kernels = KernelCompiler.load(sources);
        Map<Value, Integer> readers = new IdentityHashMap<>();
        for (Node n : g.nodes()) for (Value v : n.inputs()) readers.merge(v, 1, Integer::sum);
        java.util.Set<Value> results = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
        results.addAll(g.results());
        List<ProgramStep> steps = new ArrayList<>();
        for (Node n : g.nodes()) {
            Object grp = member.get(n);
            if (grp == null) {
                steps.add(n.op() instanceof ControlFlowOp ? new ControlFlowStep(n, Device.CPU)
                        : MaxPoolStep.applies(n, readers, results) ? new MaxPoolStep(n) : CloneStep.applies(n) ? new CloneStep(n) : new ProgramStep.NodeStep(n));
            } else if (last.get(n) == grp) {
                String name = names.get(grp);
                if (grp instanceof AttentionPlanner.Match a) {
                    steps.add(new AttentionStep(a));
                    continue;
                }
                if (grp instanceof GemmGroup gg) {
                    FusedKernel k = name == null ? null : kernels.get(name);
                    steps.add(gg.isConv()
                            ? new ConvStep(g, gg, k, gg.epilogue() == null ? null : GemmEpiloguePlanner.convEpilogueNest(gg.epilogue()))
                            : new GemmStep(g, gg, k, nests.get(grp)));
                    continue;
                }
                steps.add(grp instanceof FusionGroup fg
                        ? new Fused(fg.inputs(), fg.scalars(), fg.outputs(), kernels.get(name), nests.get(grp), name, fg.rowTail() != null)
                        : new Fused(((RowGroup) grp).inputs(), ((RowGroup) grp).scalars(), ((RowGroup) grp).outputs(), kernels.get(name), nests.get(grp), name, true));
            }
        }
        return new Program(g, steps, List.copyOf(groups), rowGroups, List.copyOf(gemmGroups), kernels.size(), Device.CPU);
    }

    private static void register(Object grp, List<Node> nodes, String name, LoopNest nest, Map<Node, Object> member, Map<Node, Object> last,
                                 Map<Object, String> names, Map<Object, LoopNest> nests) {
        for (Node n : nodes) member.put(n, grp);
        last.put(nodes.getLast(), grp);
        names.put(grp, name);
        nests.put(grp, nest);
    }

    private static List<int[]> shapes(List<Value> inputs, List<Value> outputs) {
        List<int[]> shapes = new ArrayList<>();
        for (Value v : inputs) shapes.add(v.shape());
        for (Value v : outputs) shapes.add(v.shape());
        return shapes;
    }

    /** Where the program runs. */
    public Device device() { return device; }

    /** The row groups (reductions over the last dimension with their elementwise ops). */
    public List<RowGroup> rowGroups() { return rowGroups; }

    public Graph graph() { return graph; }

    /** The matrix products run as one GEMM with their epilogue and/or a pre-packed constant operand. */
    public List<GemmGroup> gemmGroups() { return gemmGroups; }

    public List<FusionGroup> fusionGroups() { return groups; }

    /** The steps in run order (for tests that check which kernel a step chose). */
    List<ProgramStep> steps() { return steps; }

    /** How many distinct generated kernels the program runs. */
    public long kernelCount() {
        return kernelCount;
    }

    /**
     * Runs independent steps (branches of the graph: a residual block's shortcut, attention's
     * query, key and value projections) on up to {@code threads} threads, like ONNX Runtime's
     * parallel execution mode; each step's kernels still use the intra-op pool when it is free.
     * 1 (the default) runs the steps in order on the caller. Results are the same either way.
     */
    public void setInterOpThreads(int threads) {
        if (threads < 1) throw new IllegalArgumentException("setInterOpThreads: at least 1 thread, got " + threads);
        this.interOpThreads = threads;
    }

    /** The bytes of the arena that holds the intermediates generated steps write, and how many it holds. */
    public long arenaBytes() {
        return arena.bytes();
    }

    public int arenaValues() {
        return arena.values();
    }

    /** The most steps that can run at once (the widest level of the step graph). */
    public int parallelWidth() {
        return interOp.maxWidth();
    }

    public Tensor[] run(Tensor... inputs) {
        if (inputs.length != graph.inputs().size()) {
            throw new IllegalArgumentException("run: the graph takes " + graph.inputs().size() + " inputs, got " + inputs.length);
        }
        // Values are keyed by identity (Value has no equals), so a concurrent map serves the parallel executor.
        int threads = interOpThreads;
        // Sized for every value up front: a batch-1 GPT binds ~300 per call, and growing from the
        // default size rehashes the map four times on every call.
        int values = graph.inputs().size() + graph.parameters().size() + graph.nodes().size();
        Map<Value, Tensor> env = threads > 1 ? new java.util.concurrent.ConcurrentHashMap<>(values) : new IdentityHashMap<>(values);
        for (int i = 0; i < inputs.length; i++) env.put(graph.inputs().get(i), inputs[i]);
        if (device.type() == Device.Type.CPU) {
            env.putAll(graph.drawRandomInputs());
            graph.parameters().forEach((v, p) -> env.put(v, p.tensor()));
        } else {
            graph.drawRandomInputs().forEach((v, t) -> env.put(v, t.to(device)));
            graph.parameters().forEach((v, p) -> env.put(v, deviceConstants.getOrDefault(v, p.tensor())));
        }
        if (threads > 1) {
            interOp.run(env, threads);
        } else {
            // In order, intermediates in an arena planned over the steps (reused from run to run).
            Tensor a = arena.acquire();
            try {
                ProgramStep.Outputs out = v -> arena.allocate(a, v);
                if (Profiler.isRecording()) {
                    runProfiled(env, out);
                } else {
                    for (ProgramStep step : steps) step.run(env, out);
                }
            } finally {
                arena.release(a);
            }
        }
        Tensor[] result = new Tensor[graph.outputs().size()];
        for (int i = 0; i < result.length; i++) result[i] = env.get(graph.outputs().get(i));
        graph.writeBack(env::get);
        return result;
    }

    /** The steps in order, each of Sinter's own (not dispatched to the engine) a named range of the open profiler. */
    private void runProfiled(Map<Value, Tensor> env, ProgramStep.Outputs out) {
        for (ProgramStep step : steps) {
            if (step instanceof ProgramStep.NodeStep) {
                step.run(env, out); // the engine's dispatch reports the op itself
            } else {
                try (var _ = Profiler.record(step.label())) {
                    step.run(env, out);
                }
            }
        }
    }

    private static void runFused(Fused f, Map<Value, Tensor> env, ProgramStep.Outputs alloc) {
        int nIn = f.inputs().size(), nOut = f.outputs().size();
        float[][] in = new float[nIn][], out = new float[nOut][];
        int[] inOff = new int[nIn], outOff = new int[nOut];
        boolean[] copied = new boolean[nIn];
        for (int i = 0; i < nIn; i++) {
            Tensor t = env.get(f.inputs().get(i));
            if (!t.isContiguous()) {
                // The nest assumes dense row-major operands: a view (a batch-16 GPT's seq-first
                // out-projection read batch-first by the next LayerNorm) is copied into a kept buffer.
                in[i] = f.copies()[i].dense(t);
                copied[i] = true;
            } else {
                in[i] = t.storage().floats();
                inOff[i] = t.storageOffset();
            }
        }
        Tensor[] results = new Tensor[nOut];
        for (int o = 0; o < nOut; o++) {
            results[o] = alloc.allocate(f.outputs().get(o));
            out[o] = results[o].storage().floats();
            outOff[o] = results[o].storageOffset(); // an arena slice starts inside the arena
            env.put(f.outputs().get(o), results[o]);
        }
        float[] scalars = new float[f.scalars().size()];
        for (int i = 0; i < scalars.length; i++) scalars[i] = (float) env.get(f.scalars().get(i)).item();
        LoopNest nest = f.nest();
        int[] sizes = nest.sizes();
        long total = 1;
        for (int s : sizes) total *= s;
        int rows = sizes[0];
        FusedKernel k = f.kernel();
        if (total >= (f.rowKernel() ? ROW_PARALLEL_MIN : Parallel.PARALLEL_MIN_ELEMENTS) && rows > 1) {
            // Rows (or, for a single loop, blocks of whole vectors) across the intra-op pool.
            long piece = f.rowKernel() ? Math.min(1 << 14, Math.max(1, ROW_PARALLEL_MIN / 2)) : 1 << 14;
            int grain = sizes.length == 1 ? 1 << 14 : Math.max(1, (int) (rows * piece / total));
            Parallel.forRange(rows, grain, (s, e) -> k.run(in, inOff, out, outOff, scalars, sizes, nest.strides(), s, e));
        } else {
            k.run(in, inOff, out, outOff, scalars, sizes, nest.strides(), 0, rows);
        }
        for (int i = 0; i < nIn; i++) if (copied[i]) f.copies()[i].give(in[i]);
    }
}
