package org.sinter.compiler.passes;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.sinter.DType;
import org.sinter.compiler.ir.Graph;
import org.sinter.compiler.ir.Node;
import org.sinter.compiler.ir.Value;
import org.sinter.kernels.BinaryFn;
import org.sinter.kernels.UnaryKernels.UnaryFn;
import org.sinter.ops.BinaryOps;
import org.sinter.ops.UnaryOps;

/**
 * Recognises the exact GELU written out with erf, {@code x · (1 + erf(x / √2)) · 0.5}, and makes it
 * one GELU, for frozen inference. ONNX before opset 20 has no Gelu, so PyTorch exports
 * {@code F.gelu} as {@code Div → Erf → Add → Mul → Mul}; in a GEMM epilogue that is a vector pass
 * up to the erf, erf's array form, and a second pass after it, where the zoo's model (which calls
 * {@code gelu}) runs one array-form GELU. The rewritten graph computes the function the chain
 * spells (the difference is rounding: one fused evaluation instead of five roundings).
 *
 * <p>Matched: {@code u = erf(x / c)} or {@code erf(x · (1/c))} with {@code c = √2}; {@code a = u + 1}
 * (either order); then {@code (x · a) · 0.5}, {@code (x · 0.5) · a} or {@code x · (a · 0.5)}, any
 * operand order; every intermediate float32 and read only by the next step of the chain, the
 * constants scalars (to float32's precision). Anything else is left alone.
 */
public final class ErfGeluRecognition implements Pass {
    private static final double SQRT2 = Math.sqrt(2);

    @Override public String name() { return "erf GELU recognition"; }

    @Override
    public Result run(Graph g) {
        Map<Value, List<Node>> readers = Readers.of(g);
        Map<Value, Node> producer = new IdentityHashMap<>();
        for (Node n : g.nodes()) for (Value v : n.outputs()) producer.put(v, n);
        Map<Node, Value> gelus = new IdentityHashMap<>(); // the chain's last multiply -> x
        Set<Node> chain = Collections.newSetFromMap(new IdentityHashMap<>()); // every node a GELU replaces
        for (Node n : g.nodes()) {
            if (!isUnary(n, UnaryFn.ERF)) continue;
            List<Node> found = match(g, n, producer, readers);
            if (found == null) continue;
            Node last = found.getLast();
            gelus.put(last, scaledInput(g, producer.get(n.inputs().get(0))));
            chain.addAll(found);
        }
        if (gelus.isEmpty()) return Result.unchanged(g);
        Map<Value, Value> mapped = new IdentityHashMap<>();
        var r = Rewriter.apply(g, (n, args, out) -> {
            for (int i = 0; i < n.inputs().size(); i++) if (args.get(i) != null) mapped.put(n.inputs().get(i), args.get(i));
            Value x = gelus.get(n);
            if (x != null) return List.of(out.add(new UnaryOps.Unary(UnaryFn.GELU, 0, 0), List.of(mapped.get(x))).output());
            return chain.contains(n) ? Rewriter.DROP : null;
        });
        return new Result(r.graph(), "recognised " + gelus.size() + " erf GELUs");
    }

    /**
     * The chain from erf node {@code erf} to its last multiply (the nodes to replace: the scaling
     * of x, the erf, the add of 1, the two multiplies), or null when it is not the GELU.
     */
    private static List<Node> match(Graph g, Node erf, Map<Value, Node> producer, Map<Value, List<Node>> readers) {
        Node scale = producer.get(erf.inputs().get(0));
        Value x = scaledInput(g, scale);
        if (x == null || x.dtype() != DType.FLOAT32 || !onlyReader(g, scale.output(), erf, readers)) return null;
        Node plusOne = Readers.sole(g, erf.output(), readers);
        if (plusOne == null || !isBinary(plusOne, BinaryFn.ADD) || !otherIsScalar(g, plusOne, erf.output(), 1.0)) return null;
        Value a = plusOne.output();
        Node m1 = Readers.sole(g, a, readers);
        if (m1 == null || !isBinary(m1, BinaryFn.MUL)) return null;
        Value other = other(m1, a);
        Node m2 = Readers.sole(g, m1.output(), readers);
        List<Node> nodes = new ArrayList<>(List.of(scale, erf, plusOne, m1));
        if (other == x) {
            // (x · a) · 0.5
            if (m2 == null || !isBinary(m2, BinaryFn.MUL) || !otherIsScalar(g, m2, m1.output(), 0.5)) return null;
        } else if (isScalar(g, other, 0.5)) {
            // x · (a · 0.5)
            if (m2 == null || !isBinary(m2, BinaryFn.MUL) || other(m2, m1.output()) != x) return null;
        } else {
            // (x · 0.5) · a: m1 multiplies a by h = x · 0.5
            Node half = producer.get(other);
            if (half == null || !isBinary(half, BinaryFn.MUL) || !onlyReader(g, other, m1, readers)) return null;
            Value hx = half.inputs().get(0), hc = half.inputs().get(1);
            boolean xFirst = hx == x && isScalar(g, hc, 0.5), xSecond = hc == x && isScalar(g, hx, 0.5);
            if (!xFirst && !xSecond) return null;
            nodes.add(0, half);
            m2 = m1;
        }
        if (m2 != m1) nodes.add(m2);
        if (m2.output().dtype() != DType.FLOAT32 || !Arrays.equals(m2.output().shape(), x.shape())) return null;
        return nodes;
    }

    /** The x of {@code x / √2} or {@code x · (1/√2)} computed by {@code n}, else null. */
    private static Value scaledInput(Graph g, Node n) {
        if (n == null) return null;
        if (isBinary(n, BinaryFn.DIV) && isScalar(g, n.inputs().get(1), SQRT2)) return n.inputs().get(0);
        if (isBinary(n, BinaryFn.MUL)) {
            if (isScalar(g, n.inputs().get(1), 1 / SQRT2)) return n.inputs().get(0);
            if (isScalar(g, n.inputs().get(0), 1 / SQRT2)) return n.inputs().get(1);
        }
        return null;
    }

    private static boolean isUnary(Node n, UnaryFn fn) {
        return n.op() instanceof UnaryOps.Unary u && u.fn() == fn && n.output().dtype() == DType.FLOAT32;
    }

    private static boolean isBinary(Node n, BinaryFn fn) {
        return n.op() instanceof BinaryOps.Binary b && b.fn() == fn && n.output().dtype() == DType.FLOAT32;
    }

    /** The operand of binary {@code n} other than {@code v} (the second when both are {@code v}). */
    private static Value other(Node n, Value v) {
        return n.inputs().get(0) == v ? n.inputs().get(1) : n.inputs().get(0);
    }

    private static boolean otherIsScalar(Graph g, Node n, Value v, double c) {
        return (n.inputs().get(0) == v || n.inputs().get(1) == v) && isScalar(g, other(n, v), c);
    }

    /** Whether {@code v} is a constant scalar equal to {@code c} to float32's precision. */
    private static boolean isScalar(Graph g, Value v, double c) {
        Graph.Parameter p = g.parameter(v);
        if (p == null) return false;
        double s = p.scalar();
        return Math.abs(s - c) <= 1e-6 * Math.abs(c);
    }

    private static boolean onlyReader(Graph g, Value v, Node reader, Map<Value, List<Node>> readers) {
        return Readers.sole(g, v, readers) == reader;
    }
}
