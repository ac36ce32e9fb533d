package org.sinter.compiler.ir;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.sinter.Device;
import org.sinter.Tensor;
import org.sinter.ops.Op;
import org.sinter.ops.TensorSpec;

/**
 * A typed SSA graph of engine primitives: inputs (supplied per call), parameters (tensors bound to
 * the graph, such as a module's weights), nodes in a topological order, and outputs. Every value
 * carries its shape and dtype; a node's output specs come from its op's meta function, so a graph
 * that builds is well typed by construction ({@link Verifier} re-checks one that passes rewrote).
 */
public final class Graph {
    private final List<Value> inputs = new ArrayList<>();
    /** Values drawn afresh on every run (dropout masks): the random fill that makes each, in draw order. */
    private final Map<Value, org.sinter.ops.UpdateOp> randomInputs = new LinkedHashMap<>();
    private final Map<Value, Parameter> parameters = new LinkedHashMap<>();
    private final List<Node> nodes = new ArrayList<>();
    private final List<Value> outputs = new ArrayList<>();
    /** Parameters (buffers) the graph writes, and the value each holds after a run (BatchNorm's running statistics). */
    private final Map<Value, Value> updates = new LinkedHashMap<>();
    private int nextId;

    /**
     * A value bound to a tensor: its name (a module's parameter path) and the tensor (null when
     * unbound, in parsed graphs). A <b>constant</b> is a Java scalar the function used
     * ({@code x.mul(2.0)}) or a tensor it built from data ({@code Tensor.arange(n)}): its value is
     * part of the graph, so passes may fold it; a parameter's tensor may change between calls
     * (training) and is read at run time.
     */
    public record Parameter(String name, Tensor tensor, boolean constant) {
        /** The constant's value, or NaN when this is not a constant scalar. */
        public double scalar() {
            return constant && tensor != null && tensor.dim() == 0 ? tensor.item() : Double.NaN;
        }
    }

    public Value addInput(TensorSpec spec) {
        Value v = new Value(nextId++, spec, null, 0);
        inputs.add(v);
        return v;
    }

    /**
     * A value the executor draws at the start of every run with {@code fill} (a random fill such as
     * {@code uniform_}), in the order these were added: the order eager code draws them, so a run
     * consumes the generator exactly as the eager step would. Randomness stays out of the nodes,
     * which remain pure (as JAX threads its keys in from outside).
     */
    public Value addRandomInput(TensorSpec spec, org.sinter.ops.UpdateOp fill) {
        Value v = new Value(nextId++, spec, null, 0);
        randomInputs.put(v, fill);
        return v;
    }

    public Map<Value, org.sinter.ops.UpdateOp> randomInputs() { return Collections.unmodifiableMap(randomInputs); }

    /** Draws this run's random inputs, in order. */
    public Map<Value, Tensor> drawRandomInputs() {
        Map<Value, Tensor> out = new LinkedHashMap<>();
        randomInputs.forEach((v, fill) -> {
            Tensor t = Tensor.empty(v.dtype(), v.shape());
            org.sinter.Dispatch.applyUpdate(fill, t);
            out.put(v, t);
        });
        return out;
    }

    public Value addParameter(String name, TensorSpec spec, Tensor tensor) {
        Value v = new Value(nextId++, spec, null, 0);
        parameters.put(v, new Parameter(name, tensor, false));
        return v;
    }

    /** Binds a constant: a Java scalar operand (0-d), or a tensor the traced function built from data. */
    public Value addConstant(String name, Tensor value) {
        return addConstant(name, new TensorSpec(value.shape(), value.dtype()), value);
    }

    /** A constant of the given spec, bound to {@code value} (null: unbound, as in a parsed graph). */
    public Value addConstant(String name, TensorSpec spec, Tensor value) {
        Value v = new Value(nextId++, spec, null, 0);
        parameters.put(v, new Parameter(name, value, true));
        return v;
    }

    /** Unbinds parameters and constants that no node and no output reads. */
    public void removeUnusedBindings() {
        java.util.Set<Value> used = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        for (Node n : nodes) used.addAll(n.inputs());
        used.addAll(outputs);
        used.addAll(updates.keySet());
        used.addAll(updates.values());
        parameters.keySet().retainAll(used);
    }

    /** The parameter or constant bound to {@code v}, or null for inputs and node outputs. */
    public Parameter parameter(Value v) {
        return parameters.get(v);
    }

    /** Appends {@code op(inputs)}; its outputs' specs come from the op's meta function (which also checks the arguments). */
    public Node add(Op op, List<Value> args) {
        return add(op, args, op.meta(metaArgs(args)));
    }

    /** Appends a node whose output specs are already known (the tracer saw them). */
    public Node add(Op op, List<Value> args, TensorSpec[] outputSpecs) {
        Node n = new Node(op, args);
        List<Value> outs = new ArrayList<>();
        for (int i = 0; i < outputSpecs.length; i++) outs.add(new Value(nextId++, outputSpecs[i], n, i));
        n.setOutputs(outs);
        nodes.add(n);
        return n;
    }

    public Value add1(Op op, Value... args) {
        return add(op, List.of(args)).output();
    }

    public void setOutputs(List<Value> values) {
        outputs.clear();
        outputs.addAll(values);
    }

    public List<Value> inputs() { return Collections.unmodifiableList(inputs); }

    public Map<Value, Parameter> parameters() { return Collections.unmodifiableMap(parameters); }

    public List<Node> nodes() { return Collections.unmodifiableList(nodes); }

    public List<Value> outputs() { return Collections.unmodifiableList(outputs); }

    /** Records that after a run the bound tensor of {@code parameter} holds {@code value} (the executor writes it back). */
    public void setUpdate(Value parameter, Value value) {
        if (parameters.get(parameter) == null) throw new IllegalArgumentException("setUpdate: " + parameter + " is not a bound parameter");
        updates.put(parameter, value);
    }

    public Map<Value, Value> updates() { return Collections.unmodifiableMap(updates); }

    /** What a run must produce: the outputs, then the updated parameters' new values. */
    public List<Value> results() {
        List<Value> r = new ArrayList<>(outputs);
        r.addAll(updates.values());
        return r;
    }

    /** Writes the updated parameters' new values (in {@code env}) into their bound tensors. */
    public void writeBack(java.util.function.Function<Value, Tensor> env) {
        try (var _ = org.sinter.Sinter.noGrad()) {
            updates.forEach((p, v) -> parameters.get(p).tensor().copy_(env.apply(v)));
        }
    }

    /** Replaces the node list (passes build a new order); {@link Verifier} checks the result. */
    public void setNodes(List<Node> newNodes) {
        nodes.clear();
        nodes.addAll(newNodes);
    }

    /**
     * Tensors standing for {@code args} in a meta function: meta tensors of their specs, except
     * bound constants, which are passed themselves (a Java scalar promotes differently from a 0-d tensor).
     */
    Tensor[] metaArgs(List<Value> args) {
        Tensor[] metas = new Tensor[args.size()];
        for (int i = 0; i < metas.length; i++) {
            Parameter p = parameters.get(args.get(i));
            metas[i] = p != null && p.constant() && p.tensor() != null && p.tensor().dim() == 0 ? p.tensor() : metaTensor(args.get(i).spec());
        }
        return metas;
    }

    static Tensor metaTensor(TensorSpec spec) {
        return Tensor.empty(spec.dtype(), Device.META, spec.shape());
    }

    @Override
    public String toString() {
        return GraphText.print(this);
    }
}
