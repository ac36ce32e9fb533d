package org.sinter.compiler.passes;

import java.util.List;
import org.sinter.compiler.ir.Graph;
import org.sinter.compiler.ir.Node;
import org.sinter.compiler.ir.Value;
import org.sinter.kernels.BinaryFn;
import org.sinter.kernels.UnaryKernels.UnaryFn;
import org.sinter.ops.BinaryOps;
import org.sinter.ops.Ints;
import org.sinter.ops.Op;
import org.sinter.ops.UnaryOps;
import org.sinter.ops.ViewOps;

/**
 * Identities that remove work: {@code x + 0}, {@code x − 0}, {@code x · 1}, {@code x / 1},
 * {@code −(−x)}, a transpose or permutation undone by the next, a cast or reshape or expand to
 * what the value already is, an unsqueeze undone by a squeeze. Broadcasting care: a rule fires
 * only when the value it keeps has exactly the replaced result's shape and dtype (so
 * {@code int + 0.0}, which promotes, or {@code x[3] + zeros[4, 3]}, which broadcasts, stay).
 * Permutation pairs that do not cancel fuse into one permutation.
 */
public final class AlgebraicSimplification implements Pass {
    @Override public String name() { return "algebraic simplification"; }

    @Override
    public Result run(Graph g) {
        var r = Rewriter.apply(g, (n, args, out) -> {
            Value keep = simplify(n, args, out);
            if (keep != null && keep.spec().equals(n.output().spec())) return List.of(keep);
            Op square = squareOfPow(n, args, out);
            if (square != null) return out.add(square, List.of(args.get(0))).outputs();
            Op fused = fusedPermutation(n, args);
            return fused == null ? null : out.add(fused, List.of(args.get(0).producer().inputs().get(0))).outputs();
        });
        return r.replaced() == 0 ? Result.unchanged(g) : new Result(r.graph(), "simplified " + r.replaced() + " op" + (r.replaced() == 1 ? "" : "s"));
    }

    /** The existing value {@code n} computes, or null. */
    private static Value simplify(Node n, List<Value> args, Graph out) {
        if (n.outputs().size() != 1) return null;
        Op op = n.op();
        Value x = args.isEmpty() ? null : args.get(0);
        Node producer = x == null ? null : x.producer();
        return switch (op) {
            case BinaryOps.Binary b when b.fn() == BinaryFn.ADD -> isConstant(out, args.get(1), 0) ? x : isConstant(out, x, 0) ? args.get(1) : null;
            case BinaryOps.Binary b when b.fn() == BinaryFn.SUB -> isConstant(out, args.get(1), 0) ? x : null;
            case BinaryOps.Binary b when b.fn() == BinaryFn.MUL -> isConstant(out, args.get(1), 1) ? x : isConstant(out, x, 1) ? args.get(1) : null;
            case BinaryOps.Binary b when b.fn() == BinaryFn.DIV -> isConstant(out, args.get(1), 1) ? x : null;
            case UnaryOps.Unary u when u.fn() == UnaryFn.NEG && producer != null && producer.op() instanceof UnaryOps.Unary p && p.fn() == UnaryFn.NEG ->
                    producer.inputs().get(0);
            case UnaryOps.Cast c when c.to() == x.dtype() -> x;
            case ViewOps.Reshape r when java.util.Arrays.equals(r.shape().values(), x.shape()) -> x;
            case ViewOps.Expand e when java.util.Arrays.equals(e.shape().values(), x.shape()) -> x;
            case ViewOps.Alias a -> x;
            case ViewOps.Transpose t when t.dim0() == t.dim1() -> x;
            case ViewOps.Transpose t when producer != null && producer.op() instanceof ViewOps.Transpose p
                    && (p.equals(t) || (p.dim0() == t.dim1() && p.dim1() == t.dim0())) -> producer.inputs().get(0);
            case ViewOps.Permute p when isIdentity(p.dims().values()) -> x;
            case ViewOps.Permute p when producer != null && producer.op() instanceof ViewOps.Permute q && isIdentity(compose(q, p)) ->
                    producer.inputs().get(0);
            case ViewOps.Squeeze s when s.dims() != null && s.dims().size() == 1 && producer != null
                    && producer.op() instanceof ViewOps.Unsqueeze u && u.dim() == s.dims().get(0) -> producer.inputs().get(0);
            default -> null;
        };
    }

    /**
     * {@code x ** 2} by a constant 0-d exponent as {@code square(x)}, or null. Eager pow by a scalar
     * computes exponent 2 as x·x (PyTorch's special exponents), so the bits are the same, and square
     * fuses where pow does not: an imported ONNX LayerNorm's {@code Pow(x - mean, 2)} then joins its
     * row group.
     */
    private static Op squareOfPow(Node n, List<Value> args, Graph out) {
        if (!(n.op() instanceof BinaryOps.Binary b) || b.fn() != BinaryFn.POW || !args.get(0).dtype().isFloatingPoint()) return null;
        if (!isConstant(out, args.get(1), 2) || !n.output().spec().equals(args.get(0).spec())) return null;
        return new UnaryOps.Unary(UnaryFn.SQUARE, 0, 0);
    }

    /** Permute(p) of Permute(q)(y) as one Permute of y, or null. */
    private static Op fusedPermutation(Node n, List<Value> args) {
        if (!(n.op() instanceof ViewOps.Permute p)) return null;
        Node producer = args.get(0).producer();
        if (producer == null || !(producer.op() instanceof ViewOps.Permute q)) return null;
        return new ViewOps.Permute(Ints.of(compose(q, p)));
    }

    /** The dims of y that Permute(p)(Permute(q)(y)) puts in each place. */
    private static int[] compose(ViewOps.Permute q, ViewOps.Permute p) {
        int[] qd = q.dims().values(), pd = p.dims().values();
        int[] out = new int[pd.length];
        for (int i = 0; i < pd.length; i++) out[i] = qd[pd[i]];
        return out;
    }

    private static boolean isIdentity(int[] perm) {
        for (int i = 0; i < perm.length; i++) if (perm[i] != i) return false;
        return true;
    }

    private static boolean isConstant(Graph g, Value v, double value) {
        Graph.Parameter p = g.parameter(v);
        return p != null && p.constant() && Double.compare(p.scalar(), value) == 0;
    }
}
