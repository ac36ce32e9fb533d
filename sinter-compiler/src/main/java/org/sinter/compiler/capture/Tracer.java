package org.sinter.compiler.capture;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.sinter.ControlFlow;
import org.sinter.Device;
import org.sinter.Dispatch;
import org.sinter.GradMode;
import org.sinter.Tensor;
import org.sinter.compiler.ir.Graph;
import org.sinter.compiler.ir.Value;
import org.sinter.ops.InPlaceOp;
import org.sinter.ops.Op;
import org.sinter.ops.TensorSpec;
import org.sinter.ops.UnaryOps;
import org.sinter.ops.UpdateOp;

/**
 * Captures a function of tensors as a {@link Graph} by running it once on meta tensors (shapes and
 * dtypes, no data, no computation) and recording every primitive the engine dispatches, as
 * {@code torch.jit.trace} and {@code torch.fx}'s symbolic tracing do. Host-language control flow
 * runs during tracing and is unrolled into the graph: a branch on a shape is taken once, for the
 * traced shapes (guards re-trace when they change). {@link ControlFlow}'s primitives are recorded
 * instead as one node each ({@link ControlFlowCapture}), their branches and bodies traced by child
 * tracers into regions; a tensor of this trace that a region reads becomes a capture, an input of
 * the region fed by the node.
 *
 * <p>Tensors the function reads but was not given, a module's parameters and buffers, are bound to
 * the graph as parameters: during tracing each is re-pointed at a meta twin (and restored after,
 * whatever happens), so the recorded ops see them as graph values. Python-scalar-like 0-d CPU
 * operands ({@code x.mul(2.0)}) and tensors the function builds from data ({@code Tensor.arange(n)})
 * become bound constants, as {@code torch.jit.trace} bakes them in. Anything else the trace cannot
 * represent faithfully is an error naming the op: an in-place
 * write into an input or parameter, a read of memory changed in place through an alias, random
 * fills and optimizer updates (not graph ops yet).
 */
public final class Tracer implements Dispatch.OpListener, ControlFlow.Capture {
    private final Graph graph = new Graph();
    private final Map<Tensor, Value> values = new IdentityHashMap<>();
    /** Tensors whose memory an in-place op changed through an alias: reading them again is refused. */
    private final java.util.Set<Tensor> stale = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
    private int constants;
    /** The parameter tensors (re-pointed at meta twins while tracing) and their bound values. */
    private final Map<Tensor, Value> parameterOf = new IdentityHashMap<>();
    /** The trace around this one when it records a control-flow region (null at the top level), and the region's name for errors. */
    private final Tracer parent;
    private final String region;
    /** A region's view of the trace around it: the outer tensors it read, in the order of its inputs after its own, and their memory. */
    private final List<Tensor> captures = new ArrayList<>();
    private final java.util.Set<Object> regionInputMemory = java.util.Collections.newSetFromMap(new IdentityHashMap<>());

    private Tracer() {
        this(null, null);
    }

    private Tracer(Tracer parent, String region) {
        this.parent = parent;
        this.region = region;
    }

    /**
     * Traces {@code fn} on inputs of the given specs, with {@code parameters} (name → tensor) bound
     * to the graph. The function must return the tensors that are the graph's outputs. Autograd
     * records nothing while tracing: the graph is a forward computation.
     */
    public static Graph trace(Function<Tensor[], Tensor[]> fn, List<TensorSpec> inputs, Map<String, Tensor> parameters) {
        return new Tracer().run(inputs, parameters, false, fn);
    }

    /**
     * Traces a training step's forward and backward: {@code fn} maps the inputs to a 0-d loss
     * followed by any other tensors to return (the model's output, for metrics), and the graph
     * computes those and the gradient of every parameter that requires grad (in the map's order):
     * its outputs are {@code [loss, others..., grad...]}. It takes one extra input after the
     * given ones, the seed gradient of the loss (pass a 0-d 1.0). The backward graph is what the
     * engine's autograd does, op for op: the engine runs its one derivatives table on meta tensors
     * while the tracer records, so graph-level and eager gradients cannot disagree.
     */
    public static Graph traceGradients(Function<Tensor[], Tensor[]> fn, List<TensorSpec> inputs, Map<String, Tensor> parameters) {
        List<TensorSpec> withSeed = new ArrayList<>(inputs);
        withSeed.add(null); // the seed's spec is the loss's, known once the forward ran
        Tracer t = new Tracer();
        List<Tensor> trained = new ArrayList<>();
        for (Tensor p : new java.util.LinkedHashSet<>(parameters.values())) if (p.requiresGrad()) trained.add(p);
        return t.run(withSeed, parameters, true, in -> {
            Tensor[] results = fn.apply(java.util.Arrays.copyOf(in, in.length - 1));
            Tensor l = results[0];
            if (l.dim() != 0 || !l.dtype().isFloatingPoint()) {
                throw new IllegalArgumentException("traceGradients: the loss must be a floating-point scalar, got " + l.describe());
            }
            if (!l.requiresGrad()) throw new IllegalArgumentException("traceGradients: the loss does not depend on any parameter that requires grad");
            Tensor seed = Tensor.empty(l.dtype(), Device.META);
            t.values.put(seed, t.graph.addInput(new TensorSpec(new int[0], l.dtype())));
            l.backward(seed);
            Tensor[] outs = java.util.Arrays.copyOf(results, results.length + trained.size());
            for (int i = 0; i < trained.size(); i++) {
                Tensor g = trained.get(i).grad();
                outs[results.length + i] = g == null ? t.zerosConstant(trained.get(i)) : t.resolveAlias(g);
            }
            return outs;
        });
    }

    /** Swaps the parameters for meta twins, runs {@code fn} under the listener, maps its outputs, restores everything. */
    private Graph run(List<TensorSpec> inputs, Map<String, Tensor> parameters, boolean grad, Function<Tensor[], Tensor[]> fn) {
        List<Tensor> metaInputs = new ArrayList<>();
        for (TensorSpec spec : inputs) {
            if (spec == null) { // added by the body (traceGradients' seed)
                metaInputs.add(null);
                continue;
            }
            Tensor m = Tensor.empty(spec.dtype(), Device.META, spec.shape());
            metaInputs.add(m);
            values.put(m, graph.addInput(spec));
        }
        Map<Tensor, Tensor> originals = new LinkedHashMap<>();
        Map<Tensor, Tensor> grads = new LinkedHashMap<>();
        try {
            for (var e : parameters.entrySet()) {
                Tensor p = e.getValue();
                if (originals.containsKey(p)) continue; // shared (tied) parameters bind once
                if (p.isMeta()) throw new IllegalArgumentException("trace: parameter " + e.getKey() + " is a meta tensor; it has no data to bind");
                originals.put(p, Tensor.viewOf(p, p.shape(), p.stride(), p.storageOffset()));
                grads.put(p, p.grad());
                // The graph binds the tensor itself (its data is back once the trace ends), not the alias of its
                // data: a run that records autograd then accumulates into the parameter's own .grad.
                values.put(p, graph.addParameter(e.getKey(), new TensorSpec(p.shape(), p.dtype()), p));
                parameterOf.put(p, values.get(p));
                p.setData(Tensor.empty(p.dtype(), Device.META, p.shape()));
                p.setGrad(null); // the traced backward starts from no gradient
            }
            Tensor[] outs;
            try (var _ = GradMode.set(grad); var _ = Dispatch.listen(this)) {
                outs = fn.apply(metaInputs.toArray(Tensor[]::new));
            }
            graph.setOutputs(outputValues(outs));
            return graph;
        } finally {
            originals.forEach(Tensor::setData);
            grads.forEach(Tensor::setGrad);
        }
    }

    private List<Value> outputValues(Tensor[] outs) {
        List<Value> outputs = new ArrayList<>();
        for (int i = 0; i < outs.length; i++) {
            if (stale.contains(outs[i])) {
                throw new UnsupportedOperationException("trace: output " + i + " (" + outs[i].describe() + ") was changed in place "
                        + "through another view or its base; writes through aliases are not traced yet, use out-of-place ops");
            }
            Value v = values.get(outs[i]);
            Tensor alias = v == null ? sameMemory(outs[i]) : null;
            if (alias != null) v = values.get(alias); // a detached alias (what autograd.grad returns) is the value it aliases
            // A region may return a constant it built, or an outer tensor it did not compute on.
            if (v == null && parent != null) v = valueOf(region + "'s output " + i, outs[i]);
            if (v == null) throw new IllegalArgumentException("trace: output " + i + " (" + outs[i].describe() + ") was not computed from the inputs by engine ops");
            outputs.add(v);
        }
        return outputs;
    }

    /** A control-flow region traced into its own graph: it takes {@code specs}, then the outer tensors it captured. */
    record Region(Graph graph, List<Tensor> captures) {
        /** Adds inputs for the captures another region of the same node made after these (the regions of a node take the same inputs). */
        void takeAlso(List<Tensor> all) {
            for (int i = 0; i < captures.size(); i++) {
                if (all.get(i) != captures.get(i)) throw new IllegalStateException("trace: the regions of one node disagree on their first captures");
            }
            for (Tensor t : all.subList(captures.size(), all.size())) graph.addInput(new TensorSpec(t.shape(), t.dtype()));
        }
    }

    /**
     * Traces {@code fn} as a region of a control-flow node being recorded here: on fresh meta inputs of
     * {@code specs}, with {@code knownCaptures} (a sibling region's) taken first, any other tensor of
     * this trace it reads becoming a capture. Regions record no autograd: the node is differentiated whole.
     */
    Region traceRegion(String primitive, String name, List<TensorSpec> specs, List<Tensor> knownCaptures, Function<Tensor[], Tensor[]> fn) {
        Tracer t = new Tracer(this, primitive + "'s " + name);
        Tensor[] in = new Tensor[specs.size()];
        for (int i = 0; i < in.length; i++) {
            in[i] = Tensor.empty(specs.get(i).dtype(), Device.META, specs.get(i).shape());
            t.values.put(in[i], t.graph.addInput(specs.get(i)));
            t.regionInputMemory.add(in[i].storage());
        }
        for (Tensor c : knownCaptures) t.capture(c);
        Tensor[] outs;
        try (var _ = GradMode.set(false); var _ = Dispatch.listen(t)) {
            outs = ControlFlow.returned(primitive, name, fn.apply(in));
        }
        t.graph.setOutputs(t.outputValues(outs));
        return new Region(t.graph, List.copyOf(t.captures));
    }

    /** Whether this trace, or one around it, has a value for {@code t}. */
    private boolean knows(Tensor t) {
        return values.containsKey(t) || sameMemory(t) != null || (parent != null && parent.knows(t));
    }

    /** An outer tensor read in a region: a new input of the region, fed by the node with the outer value. */
    private Value capture(Tensor t) {
        Value v = graph.addInput(new TensorSpec(t.shape(), t.dtype()));
        values.put(t, v);
        captures.add(t);
        regionInputMemory.add(t.storage());
        return v;
    }

    @Override
    public Tensor[] cond(Tensor pred, Function<Tensor[], Tensor[]> ifTrue, Function<Tensor[], Tensor[]> ifFalse, Tensor[] operands) {
        return ControlFlowCapture.cond(this, pred, ifTrue, ifFalse, operands);
    }

    @Override
    public Tensor[] whileLoop(Function<Tensor[], Tensor> cond, Function<Tensor[], Tensor[]> body, Tensor[] init) {
        return ControlFlowCapture.whileLoop(this, cond, body, init);
    }

    @Override
    public ControlFlow.ScanResult scan(java.util.function.BiFunction<Tensor[], Tensor[], ControlFlow.ScanStep> body, Tensor[] init, Tensor[] xs,
                                       boolean reverse) {
        return ControlFlowCapture.scan(this, body, init, xs, reverse);
    }

    /** A traced tensor with {@code t}'s storage and geometry ({@code t} may be a detached alias of it, as a leaf's .grad is). */
    private Tensor resolveAlias(Tensor t) {
        if (values.containsKey(t)) return t;
        Tensor k = sameMemory(t);
        if (k == null) throw new IllegalStateException("trace: a gradient " + t.describe() + " was not computed by traced ops");
        values.put(t, values.get(k));
        return t;
    }

    /** A traced, current tensor with {@code t}'s storage and geometry, or null. */
    private Tensor sameMemory(Tensor t) {
        for (Tensor k : values.keySet()) {
            if (k.storage() == t.storage() && !stale.contains(k) && k.storageOffset() == t.storageOffset()
                    && java.util.Arrays.equals(k.shape(), t.shape()) && java.util.Arrays.equals(k.stride(), t.stride()) && k.dtype() == t.dtype()) {
                return k;
            }
        }
        return null;
    }

    /** A bound zeros constant shaped like {@code p} (the gradient of a parameter the loss does not use). */
    private Tensor zerosConstant(Tensor p) {
        Tensor z = Tensor.zeros(p.dtype(), p.shape());
        values.put(z, graph.addConstant("zeros." + constants++, z));
        return z;
    }

    /** What onEnter returns for a random fill of a fresh tensor: onExit has nothing left to record. */
    private static final Object RANDOM_DRAW = new Object();

    /** Resolves the inputs before the op runs, so a tensor from outside the trace fails here, clearly, not as a device clash. */
    @Override
    public Object onEnter(Op op, Tensor[] inputs) {
        if (isRandomFill(op) && !values.containsKey(inputs[0])) {
            if (parent != null) {
                throw new UnsupportedOperationException("trace: " + op.name() + " in " + region + " draws random values, which control-flow "
                        + "regions do not support yet; draw them outside and pass them in");
            }
            // A fresh tensor filled with random numbers (rand, dropout's mask): a value drawn on every run.
            Tensor fresh = inputs[0];
            values.put(fresh, graph.addRandomInput(new TensorSpec(fresh.shape(), fresh.dtype()), (UpdateOp) op));
            if (!fresh.isMeta()) inputs[0] = Tensor.empty(fresh.dtype(), Device.META, fresh.shape());
            return RANDOM_DRAW;
        }
        List<Value> args = new ArrayList<>(inputs.length);
        for (int i = 0; i < inputs.length; i++) {
            args.add(valueOf(op.name(), inputs[i]));
            // A constant built on the CPU runs the traced op as a meta twin (0-d ones may join any device),
            // standing for the same value when autograd hands the twin, saved as the op's input, to a backward.
            if (!inputs[i].isMeta() && inputs[i].dim() > 0) {
                inputs[i] = Tensor.empty(inputs[i].dtype(), Device.META, inputs[i].shape());
                values.put(inputs[i], args.get(i));
            }
        }
        return args;
    }

    private static boolean isRandomFill(Op op) {
        return op instanceof org.sinter.ops.RandomOps.Uniform || op instanceof org.sinter.ops.RandomOps.Normal
                || op instanceof org.sinter.ops.RandomOps.Integers;
    }

    @Override
    public void onExit(Object token, Op op, Tensor[] inputs, Tensor[] outputs) {
        if (token == RANDOM_DRAW) return;
        if (op instanceof UpdateOp) {
            throw new UnsupportedOperationException("trace: " + op.name() + " (a random fill or optimizer update) cannot be traced into a graph yet");
        }
        if (op instanceof org.sinter.ops.Custom) {
            throw new UnsupportedOperationException("trace: custom Function " + op.name() + " cannot be traced: its Java code is opaque to the graph");
        }
        @SuppressWarnings("unchecked")
        List<Value> args = (List<Value>) token;
        boolean inPlace = op instanceof InPlaceOp && outputs.length == 1 && outputs[0] == inputs[0];
        if (inPlace) {
            // Functional form: a new value replaces self's (every in-place op also has an out-of-place meaning).
            Tensor self = inputs[0];
            Value old = args.get(0);
            Value param = parameterOf.get(self);
            if (regionInputMemory.contains(self.storage())) {
                throw new UnsupportedOperationException("trace: " + op.name() + "_ in " + region + " writes into the memory of a tensor the region "
                        + "takes or reads from outside (" + self.describe() + "); control-flow regions must not change their inputs, clone first");
            }
            if (old.producer() == null && param == null) {
                throw new UnsupportedOperationException("trace: " + op.name() + "_ writes into the graph's " + describe(old)
                        + "; a graph cannot change the tensors it is given (clone the input first)");
            }
            Value v = graph.add(op, args).output();
            if (v.dtype() != self.dtype()) v = graph.add1(new UnaryOps.Cast(self.dtype()), v);
            // A write to a bound parameter (a buffer such as BatchNorm's running mean): the run writes the final value back.
            if (param != null) graph.setUpdate(param, v);
            // The write also changed every other tensor sharing self's memory: their values are stale now.
            for (Tensor t : values.keySet()) if (t != self && t.storage() == self.storage()) stale.add(t);
            values.put(self, v);
            return;
        }
        TensorSpec[] specs = new TensorSpec[outputs.length];
        for (int i = 0; i < outputs.length; i++) specs[i] = new TensorSpec(outputs[i].shape(), outputs[i].dtype());
        var node = graph.add(op, args, specs);
        for (int i = 0; i < outputs.length; i++) values.put(outputs[i], node.outputs().get(i));
    }

    private String describe(Value v) {
        Graph.Parameter p = graph.parameters().get(v);
        return p != null ? p.name() : (region == null ? "" : region + "'s ") + "input " + graph.inputs().indexOf(v);
    }

    private Value valueOf(String reader, Tensor t) {
        if (stale.contains(t)) {
            throw new UnsupportedOperationException("trace: " + reader + " reads " + t.describe() + " after an in-place op changed its "
                    + "memory through another view or its base; writes through aliases are not traced yet, use out-of-place ops");
        }
        Value v = values.get(t);
        if (v != null) return v;
        Tensor alias = sameMemory(t);
        if (alias != null) { // a detached alias (detach() makes no op): the same value
            values.put(t, values.get(alias));
            return values.get(alias);
        }
        if (!t.isMeta()) {
            // A scalar operand, or a tensor the function built from data (Tensor.arange(n), a mask):
            // its value is part of the graph, as torch.jit.trace bakes such tensors in. A copy, so
            // later writes to the original cannot change the graph.
            Tensor copy = t;
            if (t.dim() > 0) {
                try (var _ = Dispatch.listen(null)) { // the copy is not part of the traced program
                    copy = t.clone();
                }
            }
            Value c = graph.addConstant("const" + constants++, copy);
            values.put(t, c);
            return c;
        }
        if (parent != null && parent.knows(t)) return capture(t);
        throw new IllegalArgumentException("trace: " + reader + " reads the meta tensor " + t.describe()
                + ", which is neither an input, a parameter, nor computed from them inside the traced function");
    }

}
