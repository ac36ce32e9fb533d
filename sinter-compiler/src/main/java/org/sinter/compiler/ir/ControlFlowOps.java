package org.sinter.compiler.ir;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.sinter.ControlFlow;
import org.sinter.SavedContext;
import org.sinter.Tensor;
import org.sinter.compiler.runtime.ControlFlowExecution;
import org.sinter.compiler.runtime.ControlFlowGradients;
import org.sinter.ops.HigherOrderOp;
import org.sinter.ops.TensorSpec;

/**
 * The IR's control-flow ops ({@link ControlFlow}'s primitives as traced): records whose
 * {@link Graph}-typed components are <b>regions</b>, sub-graphs isolated from the graph around them
 * (as MLIR's regions): a region reads only its own inputs, so every outer tensor a branch or body
 * closed over is an explicit operand of the node, after the user's operands ("captures"). Regions
 * bind no parameters and draw nothing random. A record equals another only with the same region
 * objects, so CSE merges only what is certainly the same computation.
 */
public final class ControlFlowOps {
    private ControlFlowOps() {}

    /** An op holding regions; its regions' signatures are checked when it is built and by {@link Verifier}. */
    public sealed interface ControlFlowOp extends HigherOrderOp permits Cond, WhileLoop, Scan {
        /** The regions by component name, in order ({@code ifTrue}, {@code ifFalse}, ...). */
        List<Graph> regions();

        /** The same op with other regions (of the same signatures: passes optimise inside them). */
        ControlFlowOp withRegions(List<Graph> regions);

        /** Fails, naming the op and region, unless the regions fit together. */
        void checkSignature();

        @Override
        default Tensor[] run(Tensor... inputs) {
            return ControlFlowExecution.run(this, inputs, org.sinter.compiler.runtime.Interpreter::run);
        }

        @Override
        default Tensor[] backward(SavedContext ctx, Tensor... grads) {
            return ControlFlowGradients.backward(this, ctx, grads);
        }
    }

    /**
     * {@code pred ? ifTrue(operands) : ifFalse(operands)}: inputs {@code [pred, operands..., captures...]},
     * both branches take {@code [operands..., captures...]} and give the outputs.
     */
    public record Cond(Graph ifTrue, Graph ifFalse) implements ControlFlowOp {
        public Cond {
            checkSignature(ifTrue, ifFalse);
        }

        private static void checkSignature(Graph ifTrue, Graph ifFalse) {
            siblings("cond", "ifTrue", ifTrue, "ifFalse", ifFalse);
            ControlFlow.checkSame("cond", "the branches must return the same shapes and dtypes", "ifTrue returns", outputSpecs(ifTrue),
                    "ifFalse returns", outputSpecs(ifFalse));
        }

        @Override public void checkSignature() { checkSignature(ifTrue, ifFalse); }

        @Override public String name() { return "cond"; }

        @Override public List<Graph> regions() { return List.of(ifTrue, ifFalse); }

        @Override public ControlFlowOp withRegions(List<Graph> r) { return new Cond(r.get(0), r.get(1)); }

        @Override
        public TensorSpec[] meta(Tensor... in) {
            if (in.length == 0) throw new IllegalArgumentException("cond: takes a predicate and the branches' inputs, got no inputs");
            ControlFlow.checkPredicate("cond", "the predicate", new TensorSpec(in[0].shape(), in[0].dtype()));
            checkOperands("cond", "the branches take", inputSpecs(ifTrue), Arrays.copyOfRange(in, 1, in.length));
            return outputSpecs(ifTrue).toArray(TensorSpec[]::new);
        }
    }

    /**
     * {@code while (cond(state)) state = body(state)}: inputs {@code [init..., captures...]}; both regions
     * take {@code [state..., captures...]}, {@code cond} gives one bool, {@code body} the next state.
     */
    public record WhileLoop(Graph cond, Graph body) implements ControlFlowOp {
        public WhileLoop {
            checkSignature(cond, body);
        }

        private static void checkSignature(Graph cond, Graph body) {
            siblings("whileLoop", "cond", cond, "body", body);
            if (cond.outputs().size() != 1) {
                throw new IllegalArgumentException("whileLoop: cond must return one tensor, returns " + ControlFlow.text(outputSpecs(cond)));
            }
            ControlFlow.checkPredicate("whileLoop", "cond's result", cond.outputs().get(0).spec());
            int k = body.outputs().size();
            if (k > body.inputs().size()) {
                throw new IllegalArgumentException("whileLoop: the body returns " + k + " tensors but takes only " + body.inputs().size());
            }
            ControlFlow.checkSame("whileLoop", "the body must keep the loop state's shapes and dtypes", "the state is",
                    inputSpecs(body).subList(0, k), "the body returns", outputSpecs(body));
        }

        @Override public void checkSignature() { checkSignature(cond, body); }

        @Override public String name() { return "while_loop"; }

        @Override public List<Graph> regions() { return List.of(cond, body); }

        @Override public ControlFlowOp withRegions(List<Graph> r) { return new WhileLoop(r.get(0), r.get(1)); }

        /** How many leading inputs are the loop state (the rest are captures). */
        public int stateSize() { return body.outputs().size(); }

        @Override
        public TensorSpec[] meta(Tensor... in) {
            checkOperands("whileLoop", "cond and body take", inputSpecs(body), in);
            return outputSpecs(body).toArray(TensorSpec[]::new);
        }
    }

    /**
     * A scan over dimension 0: inputs {@code [init carry..., xs..., captures...]}; the body takes
     * {@code [carry..., one slice of each x..., captures...]} and gives {@code [next carry..., y...]};
     * the outputs are {@code [final carry..., each y stacked over the steps...]}.
     */
    public record Scan(int carries, int xs, boolean reverse, Graph body) implements ControlFlowOp {
        public Scan {
            checkSignature(carries, xs, body);
        }

        private static void checkSignature(int carries, int xs, Graph body) {
            isolated("scan", "body", body);
            if (carries < 0 || xs < 1 || carries + xs > body.inputs().size() || carries > body.outputs().size()) {
                throw new IllegalArgumentException("scan: " + carries + " carries and " + xs + " xs (at least one) do not fit a body taking "
                        + ControlFlow.text(inputSpecs(body)) + " and returning " + ControlFlow.text(outputSpecs(body)));
            }
            ControlFlow.checkSame("scan", "the body must keep the carry's shapes and dtypes", "the carry is", inputSpecs(body).subList(0, carries),
                    "the body returns", outputSpecs(body).subList(0, carries));
        }

        @Override public void checkSignature() { checkSignature(carries, xs, body); }

        @Override public String name() { return "scan"; }

        @Override public Map<String, Object> attributes() { return Map.of("carries", carries, "xs", xs, "reverse", reverse); }

        @Override public List<Graph> regions() { return List.of(body); }

        @Override public ControlFlowOp withRegions(List<Graph> r) { return new Scan(carries, xs, reverse, r.get(0)); }

        @Override
        public TensorSpec[] meta(Tensor... in) {
            List<TensorSpec> takes = inputSpecs(body);
            if (in.length != takes.size()) {
                throw new IllegalArgumentException("scan: takes " + takes.size() + " inputs (carry, xs, captures), got " + in.length);
            }
            List<TensorSpec> xsSpecs = ControlFlow.specs(Arrays.copyOfRange(in, carries, carries + xs));
            int length = ControlFlow.scanLength(xsSpecs);
            Tensor[] perStep = in.clone();
            for (int j = carries; j < carries + xs; j++) perStep[j] = Graph.metaTensor(sliceOf(xsSpecs.get(j - carries)));
            checkOperands("scan", "the body takes (a slice of each x)", takes, perStep);
            List<TensorSpec> out = new ArrayList<>(outputSpecs(body).subList(0, carries));
            for (TensorSpec y : outputSpecs(body).subList(carries, body.outputs().size())) out.add(stacked(length, y));
            return out.toArray(TensorSpec[]::new);
        }
    }

    /** One step's slice of a scanned tensor. */
    public static TensorSpec sliceOf(TensorSpec x) {
        int[] s = x.shape();
        return new TensorSpec(Arrays.copyOfRange(s, 1, s.length), x.dtype());
    }

    /** A per-step output stacked over {@code length} steps. */
    public static TensorSpec stacked(int length, TensorSpec y) {
        int[] s = y.shape();
        int[] out = new int[s.length + 1];
        out[0] = length;
        System.arraycopy(s, 0, out, 1, s.length);
        return new TensorSpec(out, y.dtype());
    }

    public static List<TensorSpec> inputSpecs(Graph g) {
        return g.inputs().stream().map(Value::spec).toList();
    }

    public static List<TensorSpec> outputSpecs(Graph g) {
        return g.outputs().stream().map(Value::spec).toList();
    }

    private static void checkOperands(String primitive, String what, List<TensorSpec> expected, Tensor[] got) {
        ControlFlow.checkSame(primitive, "its inputs must match its regions'", what, expected, "the node gives", ControlFlow.specs(got));
    }

    /** Two isolated regions of one node, taking the same inputs. */
    private static void siblings(String primitive, String first, Graph a, String second, Graph b) {
        isolated(primitive, first, a);
        isolated(primitive, second, b);
        ControlFlow.checkSame(primitive, "its regions must take the same inputs", first + " takes", inputSpecs(a), second + " takes", inputSpecs(b));
    }

    /** A region reads nothing but its inputs and constants, and writes nothing. */
    private static void isolated(String primitive, String region, Graph g) {
        String where = primitive + ": region " + region;
        if (!g.randomInputs().isEmpty()) throw new IllegalArgumentException(where + " draws random values; draw them outside and pass them in");
        if (!g.updates().isEmpty()) throw new IllegalArgumentException(where + " writes bound tensors; a region's only effect is its outputs");
        g.parameters().forEach((v, p) -> {
            if (!p.constant()) {
                throw new IllegalArgumentException(where + " binds the parameter \"" + p.name() + "\"; a region reads outer tensors as inputs (captures)");
            }
        });
    }
}
