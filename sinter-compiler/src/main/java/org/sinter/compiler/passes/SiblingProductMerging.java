package org.sinter.compiler.passes;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.sinter.DType;
import org.sinter.Shape;
import org.sinter.Tensor;
import org.sinter.compiler.ir.Graph;
import org.sinter.compiler.ir.Node;
import org.sinter.compiler.ir.Value;
import org.sinter.kernels.BinaryFn;
import org.sinter.ops.BinaryOps;
import org.sinter.ops.Ints;
import org.sinter.ops.LinalgOps;
import org.sinter.ops.ViewOp;
import org.sinter.ops.ViewOps;

/**
 * Merges matrix products that share their left operand and have constant right operands into one
 * product, for frozen inference: {@code x·Wq + bq}, {@code x·Wk + bk}, {@code x·Wv + bv} (an
 * attention's three projections, written as three linear layers) become {@code x·[Wq Wk Wv] + [bq bk bv]}
 * with the three results sliced off as views. One GEMM of 3N columns instead of three of N: one
 * parallel region instead of three, the left operand read once, and a wider product that splits
 * better over threads (ONNX Runtime's MatMul fusion and PyTorch's packed in-projection do the same).
 *
 * <p>A product merges when it has such a bias: it is read only by a reshape (or squeeze) that keeps
 * the last dimension, read only by an add of a constant that varies at most along that dimension.
 * The merged bias add runs in the merged GEMM's epilogue, as each add did in its own. Products
 * without a bias are left to the substitution search, which weighs the epilogues a merge would
 * lose (a ReLU after each) against the GEMM it saves. Each element of the merged
 * product is the same dot product in the same order as before, and each bias add the same add, so
 * results are unchanged (up to the GEMM's blocking, which sums each element along k in one order
 * whatever n is). Each result becomes a strided view of the merged product; where a later view of
 * it could not view that layout (the heads' [L, B·H, D] reshape of an attention at batch &gt; 1),
 * the products are left alone: the copies would cost the memory traffic the merge saves, and a
 * product with many rows gains little from sharing a parallel region.
 */
public final class SiblingProductMerging implements Pass {
    @Override public String name() { return "sibling product merging"; }

    /** A product of one input by a constant: its bmm and, when it has a bias, the reshape (or squeeze) and the add. */
    private record Sibling(Node bmm, Node reshape, Node add, Tensor weight, Tensor bias) {
        int columns() { return bmm.output().shape()[2]; }

    }

    /** A set of siblings merged into one product: its values in the new graph once built. */
    private static final class Merge {
        final List<Sibling> siblings;
        Value product;

        Merge(List<Sibling> siblings) {
            this.siblings = siblings;
        }

        /** Sibling {@code s}'s result as the merged product's view: its columns, reshaped as its bias add's output. */
        ViewOp.Geometry geometry(Sibling s) {
            int start = start(s), total = start(siblings.getLast()) + siblings.getLast().columns();
            int[] ps = s.bmm.output().shape().clone();
            ps[2] = total;
            ViewOp.Geometry geo = new ViewOps.Slice(2, start, start + s.columns(), 1).geometry(ps, Shape.contiguousStrides(ps), 0);
            return new ViewOps.Reshape(Ints.of(s.add.output().shape())).geometry(geo.shape(), geo.strides(), geo.offset());
        }

        int start(Sibling s) {
            int at = 0;
            for (Sibling o : siblings) {
                if (o == s) return at;
                at += o.columns();
            }
            throw new IllegalStateException("not a sibling of this merge");
        }
    }

    @Override
    public Result run(Graph g) {
        Map<Value, List<Node>> readers = Readers.of(g);
        Map<Value, List<Sibling>> byLeft = new LinkedHashMap<>();
        for (Node n : g.nodes()) {
            Sibling s = sibling(g, n, readers);
            if (s != null) byLeft.computeIfAbsent(n.inputs().get(0), x -> new ArrayList<>()).add(s);
        }
        Map<Node, Merge> role = new IdentityHashMap<>();
        int merges = 0, products = 0;
        for (List<Sibling> all : byLeft.values()) {
            // Only products with a bias merge: the bias stays in the merged GEMM's epilogue. A product
            // without one may have an epilogue the slices would lose (a ReLU); the substitution search
            // weighs that merge by cost (merge-bmm-shared-lhs).
            List<Sibling> part = all.stream().filter(s -> s.add != null).toList();
            if (part.size() < 2) continue;
            Merge m = new Merge(part);
            if (!part.stream().allMatch(s -> viewsHold(s.add.output(), m.geometry(s), g, readers))) continue;
            for (Sibling s : part) {
                role.put(s.bmm, m);
                role.put(s.reshape, m);
                role.put(s.add, m);
            }
            merges++;
            products += part.size();
        }
        if (merges == 0) return Result.unchanged(g);
        var r = Rewriter.apply(g, (n, args, out) -> {
            Merge m = role.get(n);
            if (m == null) return null;
            Sibling s = m.siblings.stream().filter(x -> x.bmm == n || x.reshape == n || x.add == n).findFirst().orElseThrow();
            if (m.product == null) m.product = build(m, args.get(0), out);
            if (n != s.add) return Rewriter.DROP;
            return List.of(slice(m, s, out));
        });
        return new Result(r.graph(), "merged " + products + " matrix products sharing a left operand into " + merges);
    }

    /** {@code n} as a mergeable product (bmm of [1, M, K] by a constant float32 [1, K, N]), with its bias when it has one; else null. */
    private static Sibling sibling(Graph g, Node n, Map<Value, List<Node>> readers) {
        if (!(n.op() instanceof LinalgOps.Bmm) || n.output().dtype() != DType.FLOAT32) return null;
        Value left = n.inputs().get(0), right = n.inputs().get(1);
        Graph.Parameter w = g.parameter(right);
        if (w == null || w.tensor() == null || g.parameter(left) != null || left.shape()[0] != 1 || right.shape()[0] != 1 || g.outputs().contains(n.output())) return null;
        int cols = right.shape()[2];
        List<Node> r1 = readers.getOrDefault(n.output(), List.of());
        if (r1.size() == 1 && (r1.getFirst().op() instanceof ViewOps.Reshape || r1.getFirst().op() instanceof ViewOps.Squeeze)
                && !g.outputs().contains(r1.getFirst().output())) {
            Node reshape = r1.getFirst();
            int[] rs = reshape.output().shape();
            List<Node> r2 = readers.getOrDefault(reshape.output(), List.of());
            if (rs.length > 0 && rs[rs.length - 1] == cols && r2.size() == 1) {
                Node add = r2.getFirst();
                Tensor bias = add.op() instanceof BinaryOps.Binary b && b.fn() == BinaryFn.ADD && add.inputs().get(0) == reshape.output()
                        && Arrays.equals(add.output().shape(), rs) && add.output().dtype() == DType.FLOAT32 ? lastDimConstant(g, add.inputs().get(1), cols) : null;
                if (bias != null) return new Sibling(n, reshape, add, w.tensor(), bias);
            }
        }
        return new Sibling(n, null, null, w.tensor(), null);
    }

    /** A bound float32 tensor varying at most along its last dimension (of size {@code cols}), as a [cols] vector; else null. */
    static Tensor lastDimConstant(Graph g, Value v, int cols) {
        Graph.Parameter p = g.parameter(v);
        if (p == null || p.tensor() == null || v.dtype() != DType.FLOAT32) return null;
        int[] s = v.shape();
        if (s.length == 0 || s[s.length - 1] != cols) return null;
        for (int i = 0; i < s.length - 1; i++) if (s[i] != 1) return null;
        return p.tensor().reshape(cols);
    }

    /** The merged product (and bias add) in the new graph, reading {@code left}. */
    private static Value build(Merge m, Value left, Graph out) {
        List<Tensor> ws = m.siblings.stream().map(Sibling::weight).toList();
        Value w = out.addConstant("merged.weight", Tensor.cat(ws, 2).contiguous());
        Value y = out.add(new LinalgOps.Bmm(), List.of(left, w)).output();
        Value b = out.addConstant("merged.bias", Tensor.cat(m.siblings.stream().map(Sibling::bias).toList(), 0).contiguous());
        return out.add(new BinaryOps.Binary(BinaryFn.ADD), List.of(y, b)).output();
    }

    /** Sibling {@code s}'s result: its columns of the merged product, reshaped as before (a strided view). */
    private static Value slice(Merge m, Sibling s, Graph out) {
        int start = m.start(s);
        Value v = out.add(new ViewOps.Slice(2, start, start + s.columns(), 1), List.of(m.product)).output();
        return out.add(new ViewOps.Reshape(Ints.of(s.add.output().shape())), List.of(v)).output();
    }

    /** Whether every chain of views reading {@code v} can view a tensor of geometry {@code geo}. */
    private static boolean viewsHold(Value v, ViewOp.Geometry geo, Graph g, Map<Value, List<Node>> readers) {
        if (g.outputs().contains(v)) return false; // a graph output keeps a contiguous layout
        for (Node r : readers.getOrDefault(v, List.of())) {
            if (!(r.op() instanceof ViewOp view)) continue;
            ViewOp.Geometry next;
            try {
                next = view.geometry(geo.shape(), geo.strides(), geo.offset());
            } catch (IllegalArgumentException e) {
                return false;
            }
            if (!viewsHold(r.output(), next, g, readers)) return false;
        }
        return true;
    }
}
