package org.sinter.compiler.passes.rewrite;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;
import org.sinter.compiler.ir.Graph;
import org.sinter.compiler.ir.Node;
import org.sinter.compiler.ir.Value;
import org.sinter.kernels.BinaryFn;
import org.sinter.ops.BinaryOps;
import org.sinter.ops.LinalgOps;
import org.sinter.ops.NnOps;
import org.sinter.ops.SoftmaxOps;
import org.sinter.ops.UnaryOps;
import org.sinter.ops.ViewOp;

/**
 * A roofline estimate from shapes alone: each kernel costs a launch (dispatch) overhead plus the
 * larger of its compute time (floating-point operations at {@code flopsPerSecond}) and its memory
 * time (bytes read and written at {@code bytesPerSecond}). Views cost nothing (no kernel runs), and
 * nor does a node computed from constants only (constant folding removes it; with
 * {@code frozenParameters}, parameters count as constants). Fusion is accounted for
 * ({@link FusedValues}): an elementwise op fused into the kernel before it adds its work to that
 * kernel's (one launch, one roofline for the whole kernel), and the value between them is never
 * written. The constants only need to rank graphs, not predict times:
 * the defaults are a few cores' worth of a CPU.
 *
 * <p>So a rewrite pays by removing kernels (fewer launches), by reading a large operand once
 * instead of twice (TASO's merged products when they are memory-bound), or by moving work to a
 * smaller tensor; a transcendental or a division costs more compute than an addition.
 */
public record RooflineCost(double flopsPerSecond, double bytesPerSecond, double launchSeconds, boolean frozenParameters) implements CostModel {
    public static RooflineCost cpu() {
        return new RooflineCost(50e9, 10e9, 2e-6, false);
    }

    public RooflineCost withFrozenParameters(boolean frozen) {
        return new RooflineCost(flopsPerSecond, bytesPerSecond, launchSeconds, frozen);
    }

    @Override
    public double cost(Graph g) {
        Set<Value> folded = Collections.newSetFromMap(new IdentityHashMap<>());
        g.parameters().forEach((v, p) -> { if (p.constant() || frozenParameters) folded.add(v); });
        for (Node n : g.nodes()) if (!n.inputs().isEmpty() && folded.containsAll(n.inputs())) folded.addAll(n.outputs());
        FusedValues fusion = new FusedValues(g, folded);
        // Each kernel: the node that starts it, and the nodes fused into it; its flops and bytes add up.
        Map<Node, Node> kernel = new IdentityHashMap<>();
        Map<Node, double[]> work = new IdentityHashMap<>();
        for (Node n : g.nodes()) {
            if (n.op() instanceof ViewOp || folded.containsAll(n.outputs())) continue;
            Node k = n;
            for (Value in : n.inputs()) if (fusion.fused(in)) k = kernel.getOrDefault(fusion.source(in), k);
            kernel.put(n, k);
            double bytes = 0;
            for (Value in : n.inputs()) if (!fusion.fused(in)) bytes += memoryNumel(in) * in.dtype().itemSize();
            for (Value out : n.outputs()) if (!fusion.fused(out)) bytes += numel(out) * out.dtype().itemSize();
            double[] w = work.computeIfAbsent(k, x -> new double[2]);
            w[0] += flops(n);
            w[1] += bytes;
        }
        double total = 0;
        for (double[] w : work.values()) total += launchSeconds + Math.max(w[0] / flopsPerSecond, w[1] / bytesPerSecond);
        return total;
    }

    /** Floating-point operations, counting a transcendental as 10 and a division or root as 4. */
    static double flops(Node n) {
        double out = n.outputs().isEmpty() ? 0 : numel(n.outputs().get(0));
        return switch (n.op()) {
            case LinalgOps.Bmm b -> {
                int[] a = n.inputs().get(0).shape(), c = n.outputs().get(0).shape();
                yield 2.0 * c[0] * c[1] * c[2] * a[2];
            }
            case NnOps.Conv2d c -> 2.0 * out * c.g().cg() * c.g().kh() * c.g().kw();
            case NnOps.ConvTranspose2d c -> 2.0 * numel(n.inputs().get(0)) * c.g().cg() * c.g().kh() * c.g().kw();
            case NnOps.Conv2dWeight c -> 2.0 * numel(n.inputs().get(1)) * c.g().cg() * c.g().kh() * c.g().kw();
            case NnOps.MaxPool2d m -> out * m.g().kh() * m.g().kw();
            case UnaryOps.Unary u -> out * switch (u.fn()) {
                case NEG, ABS, SIGN, RELU, LEAKY_RELU, AFFINE, SQUARE, CLAMP, FLOOR, CEIL, ROUND, TRUNC, ISNAN -> 1;
                case RECIPROCAL, SQRT, RSQRT -> 4;
                default -> 10;
            };
            case BinaryOps.Binary b -> out * (b.fn() == BinaryFn.DIV ? 4 : b.fn() == BinaryFn.POW || b.fn() == BinaryFn.ATAN2 ? 20 : 1);
            case SoftmaxOps.Softmax s -> 14 * out;
            default -> Math.max(out, n.inputs().isEmpty() ? 0 : numel(n.inputs().get(0)));
        };
    }

    /** Elements a kernel reads for {@code v}: a view (an expand, a slice) reads no more than the tensor under it. */
    private static double memoryNumel(Value v) {
        Value base = v;
        while (base.producer() != null && base.producer().op() instanceof ViewOp) base = base.producer().inputs().get(0);
        return Math.min(numel(v), numel(base));
    }

    static double numel(Value v) {
        double n = 1;
        for (int d : v.shape()) n *= d;
        return n;
    }
}
