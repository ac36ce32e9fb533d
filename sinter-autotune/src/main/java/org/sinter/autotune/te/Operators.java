package org.sinter.autotune.te;

import static org.sinter.autotune.te.Affine.constant;
import static org.sinter.autotune.te.Affine.var;

import java.util.ArrayList;
import java.util.List;
import org.sinter.autotune.te.Expr.Acc;
import org.sinter.autotune.te.Expr.Load;
import org.sinter.autotune.te.Expr.Unary;
import org.sinter.autotune.te.Expr.UnaryFn;

/**
 * The compute declarations the tuner knows (PyTorch's names and layouts): matmul, bmm, dense
 * (Linear: {@code x·Wᵀ + b} then an activation), conv2d in NCHW and in the blocked NCHW[x]c
 * layout (any stride, padding, dilation and groups), depthwise conv2d, and a row reduction with
 * an elementwise epilogue (root mean square).
 */
public final class Operators {
    private Operators() {}

    /** {@code C[m,n] = Σ_k A[m,k]·B[k,n]}. */
    public static ComputeDecl matmul(int m, int n, int k) {
        positive("matmul", m, n, k);
        var a = new Placeholder("A", new int[] {m, k}, false);
        var b = new Placeholder("B", new int[] {k, n}, false);
        Expr body = Expr.mul(Expr.load("A", var("i"), var("k")), Expr.load("B", var("k"), var("j")));
        return new ComputeDecl("matmul", "matmul(" + m + "," + n + "," + k + ")",
                List.of(new Axis("i", m, false), new Axis("j", n, false)), List.of(new Axis("k", k, true)),
                List.of(a, b), body, new Acc(), new int[] {m, n}, List.of(var("i"), var("j")));
    }

    /** {@code C[b,m,n] = Σ_k A[b,m,k]·B[b,k,n]} (torch.bmm). */
    public static ComputeDecl bmm(int batch, int m, int n, int k) {
        positive("bmm", batch, m, n, k);
        var a = new Placeholder("A", new int[] {batch, m, k}, false);
        var b = new Placeholder("B", new int[] {batch, k, n}, false);
        Expr body = Expr.mul(Expr.load("A", var("b"), var("i"), var("k")), Expr.load("B", var("b"), var("k"), var("j")));
        return new ComputeDecl("bmm", "bmm(" + batch + "," + m + "," + n + "," + k + ")",
                List.of(new Axis("b", batch, false), new Axis("i", m, false), new Axis("j", n, false)), List.of(new Axis("k", k, true)),
                List.of(a, b), body, new Acc(), new int[] {batch, m, n}, List.of(var("b"), var("i"), var("j")));
    }

    /**
     * The products of a Winograd convolution, {@code M[ξ] = U[ξ] · V[ξ]}, for {@code points} points
     * ξ: {@code M[ξ·mPoint + i·n + j] = Σ_k U[ξ,i,k] · V[ξ·vPoint + k·n + j]}, a {@code bmm} whose
     * operand and result lie {@code vPoint} and {@code mPoint} floats from point to point, as
     * sinter-core's Winograd transforms lay them out (an odd number of cache lines apart, so that
     * the transforms' reads and writes of all points do not share one L1 set).
     */
    public static ComputeDecl winogradProduct(int points, int m, int n, int k, int vPoint, int mPoint) {
        positive("winograd_product", points, m, n, k);
        if (vPoint < k * n || mPoint < m * n) {
            throw new IllegalArgumentException("winograd_product: point strides " + vPoint + ", " + mPoint + " under the " + k + "x" + n + " and " + m + "x" + n + " matrices");
        }
        var u = new Placeholder("U", new int[] {points, m, k}, true);
        var v = new Placeholder("V", new int[] {points * vPoint}, false);
        Expr body = Expr.mul(Expr.load("U", var("b"), var("i"), var("k")), Expr.load("V", var("b").times(vPoint).plus(var("k").times(n)).plus(var("j"))));
        return new ComputeDecl("winograd_product", "winograd_product(" + points + "," + m + "," + n + "," + k + "," + vPoint + "," + mPoint + ")",
                List.of(new Axis("b", points, false), new Axis("i", m, false), new Axis("j", n, false)), List.of(new Axis("k", k, true)),
                List.of(u, v), body, new Acc(), new int[] {points * mPoint}, List.of(var("b").times(mPoint).plus(var("i").times(n)).plus(var("j"))));
    }

    /** torch.nn.Linear then an activation: {@code Y[m,n] = act(Σ_k X[m,k]·W[n,k] + bias[n])}; W is constant. */
    public static ComputeDecl dense(int m, int n, int k, UnaryFn activation) {
        positive("dense", m, n, k);
        var x = new Placeholder("X", new int[] {m, k}, false);
        var w = new Placeholder("W", new int[] {n, k}, true);
        var bias = new Placeholder("bias", new int[] {n}, true);
        Expr body = Expr.mul(Expr.load("X", var("i"), var("k")), Expr.load("W", var("j"), var("k")));
        Expr epi = new Unary(activation, Expr.add(new Acc(), Expr.load("bias", var("j"))));
        return new ComputeDecl("dense", "dense(" + m + "," + n + "," + k + "," + activation.name().toLowerCase() + ")",
                List.of(new Axis("i", m, false), new Axis("j", n, false)), List.of(new Axis("k", k, true)),
                List.of(x, w, bias), body, epi, new int[] {m, n}, List.of(var("i"), var("j")));
    }

    /** The attributes of a 2-D convolution (PyTorch's Conv2d arguments). */
    public record ConvParams(int n, int c, int h, int w, int k, int r, int s, int stride, int pad, int dilation, int groups) {
        public ConvParams {
            positive("conv2d", n, c, h, w, k, r, s, stride, dilation, groups);
            if (pad < 0) throw new IllegalArgumentException("conv2d: padding must be >= 0, got " + pad);
            if (c % groups != 0 || k % groups != 0) {
                throw new IllegalArgumentException("conv2d: groups " + groups + " must divide in channels " + c + " and out channels " + k);
            }
            // The record's fields are not assigned yet inside its compact constructor: compute from the arguments.
            if ((h + 2 * pad - dilation * (r - 1) - 1) / stride + 1 <= 0 || (w + 2 * pad - dilation * (s - 1) - 1) / stride + 1 <= 0
                    || h + 2 * pad < dilation * (r - 1) + 1 || w + 2 * pad < dilation * (s - 1) + 1) {
                throw new IllegalArgumentException("conv2d: kernel " + r + "x" + s + " (dilation " + dilation + ") does not fit input " + h + "x" + w + " padded by " + pad);
            }
        }

        public int outH() {
            return (h + 2 * pad - dilation * (r - 1) - 1) / stride + 1;
        }

        public int outW() {
            return (w + 2 * pad - dilation * (s - 1) - 1) / stride + 1;
        }

        String key() {
            return n + "," + c + "," + h + "," + w + ";" + k + "," + r + "," + s + ";s" + stride + ",p" + pad + ",d" + dilation + ",g" + groups;
        }
    }

    /**
     * torch.nn.functional.conv2d in NCHW with bias: {@code Y[n, g·K/G+kk, oh, ow] = Σ_{c,r,s}
     * X[n, g·C/G+c, oh·st+r·dil−pad, ow·st+s·dil−pad]·W[g·K/G+kk, c, r, s] + bias}; X is zero outside.
     */
    public static ComputeDecl conv2d(ConvParams p) {
        int cg = p.c() / p.groups(), kg = p.k() / p.groups();
        var x = new Placeholder("X", new int[] {p.n(), p.c(), p.h(), p.w()}, false);
        var w = new Placeholder("W", new int[] {p.k(), cg, p.r(), p.s()}, true);
        var bias = new Placeholder("bias", new int[] {p.k()}, true);
        Affine ch = var("g").times(cg).plus(var("c"));
        Affine oc = var("g").times(kg).plus(var("kk"));
        Affine ih = var("oh").times(p.stride()).plus(var("r").times(p.dilation())).plus(-p.pad());
        Affine iw = var("ow").times(p.stride()).plus(var("s").times(p.dilation())).plus(-p.pad());
        Expr body = Expr.mul(new Load("X", List.of(var("n"), ch, ih, iw), p.pad() > 0), Expr.load("W", oc, var("c"), var("r"), var("s")));
        Expr epi = Expr.add(new Acc(), Expr.load("bias", oc));
        return new ComputeDecl("conv2d", "conv2d_nchw(" + p.key() + ")",
                List.of(new Axis("n", p.n(), false), new Axis("g", p.groups(), false), new Axis("kk", kg, false),
                        new Axis("oh", p.outH(), false), new Axis("ow", p.outW(), false)),
                List.of(new Axis("c", cg, true), new Axis("r", p.r(), true), new Axis("s", p.s(), true)),
                List.of(x, w, bias), body, epi, new int[] {p.n(), p.k(), p.outH(), p.outW()}, List.of(var("n"), oc, var("oh"), var("ow")));
    }

    /** Depthwise conv2d (groups = channels, one filter per channel): {@code Y[n,c,oh,ow] = Σ_{r,s} X[n,c,…]·W[c,0,r,s] + bias[c]}. */
    public static ComputeDecl depthwiseConv2d(ConvParams p) {
        if (p.groups() != p.c() || p.k() != p.c()) {
            throw new IllegalArgumentException("depthwise_conv2d: needs groups = in channels = out channels, got " + p);
        }
        var x = new Placeholder("X", new int[] {p.n(), p.c(), p.h(), p.w()}, false);
        var w = new Placeholder("W", new int[] {p.c(), 1, p.r(), p.s()}, true);
        var bias = new Placeholder("bias", new int[] {p.c()}, true);
        Affine ih = var("oh").times(p.stride()).plus(var("r").times(p.dilation())).plus(-p.pad());
        Affine iw = var("ow").times(p.stride()).plus(var("s").times(p.dilation())).plus(-p.pad());
        Expr body = Expr.mul(new Load("X", List.of(var("n"), var("c"), ih, iw), p.pad() > 0), Expr.load("W", var("c"), constant(0), var("r"), var("s")));
        Expr epi = Expr.add(new Acc(), Expr.load("bias", var("c")));
        return new ComputeDecl("depthwise_conv2d", "depthwise_conv2d_nchw(" + p.key() + ")",
                List.of(new Axis("n", p.n(), false), new Axis("c", p.c(), false), new Axis("oh", p.outH(), false), new Axis("ow", p.outW(), false)),
                List.of(new Axis("r", p.r(), true), new Axis("s", p.s(), true)),
                List.of(x, w, bias), body, epi, new int[] {p.n(), p.c(), p.outH(), p.outW()}, List.of(var("n"), var("c"), var("oh"), var("ow")));
    }

    /**
     * conv2d in the blocked layout (MXNet/TVM's NCHW[x]c, oneDNN's nChw16c): X[n, C/cb, h, w, cb],
     * W[K/kb, C/cb, r, s, cb, kb], Y[n, K/kb, oh, ow, kb]; no groups.
     */
    public static ComputeDecl conv2dNCHWc(ConvParams p, int cb, int kb) {
        if (p.groups() != 1) throw new IllegalArgumentException("conv2d_nchwc: groups must be 1, got " + p.groups());
        if (p.c() % cb != 0 || p.k() % kb != 0) {
            throw new IllegalArgumentException("conv2d_nchwc: blocks " + cb + "," + kb + " must divide channels " + p.c() + "," + p.k());
        }
        var x = new Placeholder("X", new int[] {p.n(), p.c() / cb, p.h(), p.w(), cb}, false);
        var w = new Placeholder("W", new int[] {p.k() / kb, p.c() / cb, p.r(), p.s(), cb, kb}, true);
        Affine ih = var("oh").times(p.stride()).plus(var("r").times(p.dilation())).plus(-p.pad());
        Affine iw = var("ow").times(p.stride()).plus(var("s").times(p.dilation())).plus(-p.pad());
        Expr body = Expr.mul(new Load("X", List.of(var("n"), var("co"), ih, iw, var("ci")), p.pad() > 0),
                Expr.load("W", var("ko"), var("co"), var("r"), var("s"), var("ci"), var("ki")));
        return new ComputeDecl("conv2d_nchwc", "conv2d_nchw" + cb + "c_" + kb + "k(" + p.key() + ")",
                List.of(new Axis("n", p.n(), false), new Axis("ko", p.k() / kb, false), new Axis("oh", p.outH(), false),
                        new Axis("ow", p.outW(), false), new Axis("ki", kb, false)),
                List.of(new Axis("co", p.c() / cb, true), new Axis("ci", cb, true), new Axis("r", p.r(), true), new Axis("s", p.s(), true)),
                List.of(x, w), body, new Acc(), new int[] {p.n(), p.k() / kb, p.outH(), p.outW(), kb},
                List.of(var("n"), var("ko"), var("oh"), var("ow"), var("ki")));
    }

    /** A reduction with an elementwise epilogue: the root mean square of each row, {@code Y[m] = sqrt(Σ_j X[m,j]² / n)}. */
    public static ComputeDecl rowRms(int m, int n) {
        positive("row_rms", m, n);
        var x = new Placeholder("X", new int[] {m, n}, false);
        Expr body = Expr.mul(Expr.load("X", var("i"), var("j")), Expr.load("X", var("i"), var("j")));
        Expr epi = new Unary(UnaryFn.SQRT, Expr.mul(new Acc(), new Expr.Const(1f / n)));
        return new ComputeDecl("row_rms", "row_rms(" + m + "," + n + ")", List.of(new Axis("i", m, false)), List.of(new Axis("j", n, true)),
                List.of(x), body, epi, new int[] {m}, List.of(var("i")));
    }

    private static void positive(String op, int... dims) {
        List<Integer> bad = new ArrayList<>();
        for (int d : dims) if (d <= 0) bad.add(d);
        if (!bad.isEmpty()) throw new IllegalArgumentException(op + ": sizes must be positive, got " + java.util.Arrays.toString(dims));
    }
}
