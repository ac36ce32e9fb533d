package org.sinter.compiler.passes;

import java.util.ArrayList;
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
import org.sinter.ops.NnOps;

/**
 * Folds per-channel affine arithmetic after a convolution into the convolution's weights and bias,
 * for frozen inference: {@code conv(x, W, b)} followed by adds, subtractions, multiplications and
 * divisions by per-channel tensors (an inference BatchNorm: {@code (y − mean) · rsqrt(var + ε) · γ + β})
 * is {@code a·conv(x, W, b) + c} per channel, which is {@code conv(x, a·W, a·b + c)}. The chain's
 * values must be read by nothing else; its operands must be bound tensors (parameters count: the
 * frozen pipeline treats them as constants), float32, varying at most along the channel dimension.
 */
public final class ConvAffineFolding implements Pass {
    @Override public String name() { return "conv + per-channel affine folding"; }

    /** A chain to fold: the conv, the nodes after it, and the affine map per output channel. */
    private record Chain(Node conv, List<Node> rest, double[] scale, double[] shift) {}

    @Override
    public Result run(Graph g) {
        Map<Value, Integer> uses = new IdentityHashMap<>();
        for (Node n : g.nodes()) for (Value v : n.inputs()) uses.merge(v, 1, Integer::sum);
        for (Value v : g.outputs()) uses.merge(v, 1, Integer::sum);
        Map<Value, Node> consumer = new IdentityHashMap<>();
        for (Node n : g.nodes()) for (Value v : n.inputs()) consumer.put(v, n);
        Map<Node, Chain> chains = new IdentityHashMap<>();
        Map<Node, Chain> inChain = new IdentityHashMap<>();
        for (Node n : g.nodes()) {
            if (!(n.op() instanceof NnOps.Conv2d) || n.output().dtype() != DType.FLOAT32 || !bound(g, n.inputs().subList(1, n.inputs().size()))) continue;
            int channels = n.output().shape()[1];
            double[] a = new double[channels], c = new double[channels];
            Arrays.fill(a, 1);
            List<Node> rest = new ArrayList<>();
            Value cur = n.output();
            while (uses.getOrDefault(cur, 0) == 1 && !g.outputs().contains(cur)) {
                Node next = consumer.get(cur);
                if (!(next.op() instanceof BinaryOps.Binary b) || !Arrays.equals(next.output().shape(), cur.shape()) || next.output().dtype() != DType.FLOAT32) break;
                boolean curFirst = next.inputs().get(0) == cur;
                Value kv = next.inputs().get(curFirst ? 1 : 0);
                if (kv == cur) break;
                double[] k = perChannel(g, kv, channels);
                if (k == null || !apply(b.fn(), curFirst, k, a, c)) break;
                rest.add(next);
                cur = next.output();
            }
            if (rest.isEmpty()) continue;
            Chain ch = new Chain(n, rest, a, c);
            chains.put(n, ch);
            for (Node r : rest) inChain.put(r, ch);
        }
        if (chains.isEmpty()) return Result.unchanged(g);
        Map<Chain, Value> folded = new IdentityHashMap<>();
        var r = Rewriter.apply(g, (n, args, out) -> {
            Chain ch = chains.get(n);
            if (ch != null) {
                Tensor w = out.parameter(args.get(1)).tensor();
                Tensor bias = args.size() > 2 ? out.parameter(args.get(2)).tensor() : null;
                int k = w.shape()[0];
                Tensor scale = Tensor.of(toFloats(ch.scale()), k);
                Tensor shift = Tensor.of(toFloats(ch.shift()), k);
                Tensor w2 = w.mul(scale.reshape(k, 1, 1, 1)).contiguous();
                Tensor b2 = bias == null ? shift : bias.mul(scale).add(shift);
                Value v = out.add(n.op(), List.of(args.get(0), out.addConstant("folded.conv.weight", w2), out.addConstant("folded.conv.bias", b2))).output();
                folded.put(ch, v);
                return List.of(v);
            }
            Chain of = inChain.get(n);
            return of == null ? null : List.of(folded.get(of));
        });
        int ops = chains.values().stream().mapToInt(c -> c.rest().size()).sum();
        return new Result(r.graph(), "folded " + ops + " per-channel ops into " + chains.size() + " convolution" + (chains.size() == 1 ? "" : "s"));
    }

    /** y = a·x + c composed with {@code x (fn) k} (or {@code k (fn) x}); false when it is not affine in x. */
    private static boolean apply(BinaryFn fn, boolean xFirst, double[] k, double[] a, double[] c) {
        for (int i = 0; i < a.length; i++) {
            switch (fn) {
                case ADD -> c[i] += k[i];
                case SUB -> {
                    if (xFirst) {
                        c[i] -= k[i];
                    } else {
                        a[i] = -a[i];
                        c[i] = k[i] - c[i];
                    }
                }
                case MUL -> {
                    a[i] *= k[i];
                    c[i] *= k[i];
                }
                case DIV -> {
                    if (!xFirst) return false;
                    a[i] /= k[i];
                    c[i] /= k[i];
                }
                default -> {
                    return false;
                }
            }
        }
        return true;
    }

    /** A bound tensor's values per channel when it varies at most along dimension 1 of an NCHW result; else null. */
    private static double[] perChannel(Graph g, Value v, int channels) {
        Graph.Parameter p = g.parameter(v);
        if (p == null || p.tensor() == null) return null;
        int[] s = v.shape();
        if (s.length > 4) return null;
        int[] four = new int[4];
        Arrays.fill(four, 1);
        System.arraycopy(s, 0, four, 4 - s.length, s.length);
        if (four[0] != 1 || four[2] != 1 || four[3] != 1 || (four[1] != 1 && four[1] != channels)) return null;
        double[] vals = p.tensor().toDoubleArray();
        double[] out = new double[channels];
        for (int i = 0; i < channels; i++) out[i] = vals.length == 1 ? vals[0] : vals[i];
        return out;
    }

    private static boolean bound(Graph g, List<Value> vs) {
        for (Value v : vs) {
            Graph.Parameter p = g.parameter(v);
            if (p == null || p.tensor() == null) return false;
        }
        return true;
    }

    private static float[] toFloats(double[] d) {
        float[] f = new float[d.length];
        for (int i = 0; i < d.length; i++) f[i] = (float) d[i];
        return f;
    }
}
