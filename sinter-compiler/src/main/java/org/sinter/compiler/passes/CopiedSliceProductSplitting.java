package org.sinter.compiler.passes;

import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.sinter.DType;
import org.sinter.Tensor;
import org.sinter.compiler.ir.Graph;
import org.sinter.compiler.ir.Node;
import org.sinter.compiler.ir.Value;
import org.sinter.kernels.BinaryFn;
import org.sinter.ops.BinaryOps;
import org.sinter.ops.Ints;
import org.sinter.ops.LinalgOps;
import org.sinter.ops.ShapeOps;
import org.sinter.ops.ViewOps;

/**
 * Splits a product by constant weights whose column slices are copied back into products of their
 * own, for frozen inference: the inverse of {@link SiblingProductMerging} where the merge does not
 * pay. PyTorch exports an attention's Q, K and V projections as one product by the packed
 * in-projection, {@code x·[Wq Wk Wv] + [bq bk bv]}, and slices Q, K and V off its columns. At a
 * batch above 1 the heads' reshape ([L, B, E] → [L, B·H, D]) cannot view a column slice, so each
 * slice is copied to a contiguous tensor first: three copies of the product per attention. Three
 * products of their own ({@code x·Wq + bq}, ...) write contiguous results that the reshape views,
 * as the zoo's model (three linear layers) runs at that batch.
 *
 * <p>A product splits when it is a bmm of [1, M, K] by a constant float32 [1, K, N], read only by a
 * reshape (or squeeze) keeping the last dimension N, read only by an add of a constant that varies
 * at most along that dimension (its bias), whose result is read only by unit-step slices of the last
 * dimension that cover its N columns without overlap, at least one of them read only by a copy
 * ({@code Clone}). Each slice becomes its own product, reshape and bias add, and the copies of a
 * slice become that contiguous result itself. Each element is the same dot product in the same
 * order as before (the GEMM sums along k in one order whatever n is) and the same bias add, so
 * results are unchanged.
 */
public final class CopiedSliceProductSplitting implements Pass {
    @Override public String name() { return "copied-slice product splitting"; }

    /** A product to split: its bmm, reshape and bias add, the weight and the bias. */
    private record Split(Node bmm, Node reshape, Node add, Tensor weight, Tensor bias) {}

    @Override
    public Result run(Graph g) {
        Map<Value, List<Node>> readers = Readers.of(g);
        Map<Node, Split> role = new IdentityHashMap<>();
        Map<Node, Node> copies = new IdentityHashMap<>(); // a copy of a split slice -> the slice
        int splits = 0, slices = 0;
        for (Node n : g.nodes()) {
            Split s = match(g, n, readers);
            if (s == null) continue;
            List<Node> parts = readers.get(s.add().output());
            role.put(s.bmm(), s);
            role.put(s.reshape(), s);
            role.put(s.add(), s);
            for (Node p : parts) {
                role.put(p, s);
                List<Node> r = readers.getOrDefault(p.output(), List.of());
                if (r.size() == 1 && r.getFirst().op() instanceof ShapeOps.Clone) copies.put(r.getFirst(), p);
            }
            splits++;
            slices += parts.size();
        }
        if (splits == 0) return Result.unchanged(g);
        Map<Split, Value> lefts = new IdentityHashMap<>(); // each product's left operand in the new graph
        var r = Rewriter.apply(g, (n, args, out) -> {
            if (copies.containsKey(n)) return List.of(args.get(0)); // the slice's own product is contiguous already
            Split s = role.get(n);
            if (s == null) return null;
            if (n == s.bmm()) lefts.put(s, args.get(0));
            if (n == s.bmm() || n == s.reshape() || n == s.add()) return Rewriter.DROP;
            return List.of(product(s, lefts.get(s), (ViewOps.Slice) n.op(), n.output().shape(), out));
        });
        return new Result(r.graph(), "split " + splits + " products whose column slices were copied into " + slices);
    }

    /** {@code n} as a splittable product (class comment), or null. */
    private static Split match(Graph g, Node n, Map<Value, List<Node>> readers) {
        if (!(n.op() instanceof LinalgOps.Bmm) || n.output().dtype() != DType.FLOAT32) return null;
        Value left = n.inputs().get(0), right = n.inputs().get(1);
        Graph.Parameter w = g.parameter(right);
        if (w == null || w.tensor() == null || g.parameter(left) != null || left.shape()[0] != 1 || right.shape()[0] != 1) return null;
        int cols = right.shape()[2];
        Node reshape = Readers.sole(g, n.output(), readers);
        if (reshape == null || !(reshape.op() instanceof ViewOps.Reshape || reshape.op() instanceof ViewOps.Squeeze)) return null;
        int[] rs = reshape.output().shape();
        if (rs.length == 0 || rs[rs.length - 1] != cols) return null;
        Node add = Readers.sole(g, reshape.output(), readers);
        if (add == null || !(add.op() instanceof BinaryOps.Binary b) || b.fn() != BinaryFn.ADD || add.output().dtype() != DType.FLOAT32
                || !Arrays.equals(add.output().shape(), rs) || g.outputs().contains(add.output())) return null;
        Value other = add.inputs().get(0) == reshape.output() ? add.inputs().get(1) : add.inputs().get(0);
        if (other == reshape.output()) return null;
        Tensor bias = SiblingProductMerging.lastDimConstant(g, other, cols);
        if (bias == null || !coveringCopiedSlices(g, add.output(), rs.length - 1, cols, readers)) return null;
        return new Split(n, reshape, add, w.tensor(), bias);
    }

    /** Whether {@code v} is read only by unit-step slices of dimension {@code last} that tile its {@code cols} columns, one of them copied. */
    private static boolean coveringCopiedSlices(Graph g, Value v, int last, int cols, Map<Value, List<Node>> readers) {
        List<Node> r = readers.getOrDefault(v, List.of());
        if (r.size() < 2) return false;
        boolean[] covered = new boolean[cols];
        boolean copied = false;
        for (Node s : r) {
            if (!(s.op() instanceof ViewOps.Slice sl) || sl.step() != 1 || sl.dim() != last || g.outputs().contains(s.output())) return false;
            int[] shape = s.output().shape();
            int start = sl.start(), width = shape[last];
            if (width == 0 || start + width > cols) return false;
            for (int c = start; c < start + width; c++) {
                if (covered[c]) return false;
                covered[c] = true;
            }
            List<Node> sr = readers.getOrDefault(s.output(), List.of());
            copied |= sr.size() == 1 && sr.getFirst().op() instanceof ShapeOps.Clone;
        }
        for (boolean c : covered) if (!c) return false;
        return copied;
    }

    /** Slice {@code sl}'s columns as a product of their own: {@code left·W[:, :, cols] + b[cols]}, shaped as the slice was. */
    private static Value product(Split s, Value left, ViewOps.Slice sl, int[] shape, Graph out) {
        int width = shape[shape.length - 1], start = sl.start();
        Value w = out.addConstant("split.weight", s.weight().slice(2, start, start + width, 1).contiguous());
        Value y = out.add(new LinalgOps.Bmm(), List.of(left, w)).output();
        Value v = out.add(new ViewOps.Reshape(Ints.of(shape)), List.of(y)).output();
        Value b = out.addConstant("split.bias", s.bias().slice(0, start, start + width, 1).contiguous());
        return out.add(new BinaryOps.Binary(BinaryFn.ADD), List.of(v, b)).output();
    }
}
