package org.sinter.onnx.ops;

import static org.sinter.onnx.ops.ElementwiseKernels.one;

import java.util.Arrays;
import org.sinter.Tensor;
import org.sinter.nn.functional.F;

/**
 * Neural-network operators: convolution, pooling, normalisation, GEMM, softmax. Sinter's
 * convolution and pooling kernels are 2-D; ONNX's 1-D forms run as 2-D with a height of 1, and
 * 3-D forms run as several 2-D calls ({@link Volumetric}).
 */
final class NeuralKernels {
    private NeuralKernels() {}

    static void register(OpRegistry r) {
        r.add("Conv", NeuralKernels::conv, "auto_pad", "dilations", "group", "kernel_shape", "pads", "strides");
        r.add("ConvTranspose", NeuralKernels::convTranspose, "auto_pad", "dilations", "group", "kernel_shape", "output_padding", "output_shape", "pads",
                "strides");
        r.add("MaxPool", n -> pool(n, true), "auto_pad", "ceil_mode", "dilations", "kernel_shape", "pads", "storage_order", "strides");
        r.add("AveragePool", n -> pool(n, false), "auto_pad", "ceil_mode", "count_include_pad", "kernel_shape", "pads", "strides", "dilations");
        r.add("GlobalAveragePool", n -> one(n.in(0).mean(spatial(n.in(0)), true)));
        r.add("GlobalMaxPool", n -> one(n.in(0).amax(spatial(n.in(0)), true)));
        r.add("BatchNormalization", NeuralKernels::batchNorm, "epsilon", "momentum", "spatial", "training_mode", "is_test", "consumed_inputs");
        r.add("InstanceNormalization", n -> {
            Tensor x = n.in(0);
            int[] dims = spatial(x);
            double eps = n.attrFloat("epsilon", 1e-5f);
            Tensor mean = x.mean(dims, true);
            Tensor var = x.sub(mean).square().mean(dims, true);
            return one(x.sub(mean).div(var.add(eps).sqrt()).mul(perChannel(n.in(1), x)).add(perChannel(n.in(2), x)));
        }, "epsilon");
        r.add("LayerNormalization", NeuralKernels::layerNorm, "axis", "epsilon", "stash_type");
        r.add("Gemm", NeuralKernels::gemm, "alpha", "beta", "transA", "transB", "broadcast");
        r.add("MatMul", n -> one(n.in(0).matmul(n.in(1))));
        r.add("Softmax", n -> one(softmax(n, false)), "axis");
        r.add("LogSoftmax", n -> one(softmax(n, true)), "axis");
        r.add("LRN", n -> {
            Tensor x = n.in(0);
            int size = (int) n.attrInt("size", 0);
            if (size <= 0) throw n.error("size must be positive");
            double alpha = n.attrFloat("alpha", 1e-4f);
            double beta = n.attrFloat("beta", 0.75f);
            double bias = n.attrFloat("bias", 1f);
            // The sum of squares over a channel window: pad channels, add the size shifted slices.
            int before = (size - 1) / 2;
            int after = size - 1 - before;
            int[] pad = new int[2 * (x.dim() - 1)];
            pad[pad.length - 2] = before;
            pad[pad.length - 1] = after;
            Tensor sq = F.pad(x.square(), pad, "constant", 0);
            Tensor sum = null;
            for (int j = 0; j < size; j++) {
                Tensor part = sq.narrow(1, j, x.size(1));
                sum = sum == null ? part : sum.add(part);
            }
            return one(x.div(sum.mul(alpha / size).add(bias).pow(beta)));
        }, "alpha", "beta", "bias", "size");
        r.add("Hardmax", n -> {
            Tensor x = n.in(0);
            if (n.opset() >= 13) return one(hardmax(x, n.axis(n.attrInt("axis", -1), x.dim())));
            int axis = n.axis(n.attrInt("axis", 1), x.dim());
            int outer = 1;
            for (int i = 0; i < axis; i++) outer *= x.shape()[i];
            return one(hardmax(x.reshape(outer, -1), 1).reshape(x.shape()));
        }, "axis");
        r.add("Dropout", NeuralKernels::dropout, "ratio", "seed", "is_test");
        r.add("MeanVarianceNormalization", n -> {
            // (x - E[x]) / sqrt(E[(x - E[x])^2] + 1e-9) over the axes, as ONNX's function body defines it.
            Tensor x = n.in(0);
            long[] axes = n.attrInts("axes", new long[] {0, 2, 3});
            int[] dims = new int[axes.length];
            for (int i = 0; i < dims.length; i++) dims[i] = n.axis(axes[i], x.dim());
            Tensor d = x.sub(x.mean(dims, true));
            return one(d.div(d.square().mean(dims, true).add(1e-9).sqrt()));
        }, "axes");
    }

    /** The spatial dims 2.. of an NC... tensor. */
    static int[] spatial(Tensor x) {
        int[] d = new int[x.dim() - 2];
        for (int i = 0; i < d.length; i++) d[i] = i + 2;
        return d;
    }

    /** A per-channel vector [C] viewed to broadcast over an NC... tensor. */
    static Tensor perChannel(Tensor v, Tensor like) {
        int[] s = new int[like.dim()];
        Arrays.fill(s, 1);
        s[1] = (int) v.numel();
        return v.reshape(s);
    }

    private static int[] ints(NodeContext n, String name, int k, int dflt) {
        long[] v = n.attrInts(name, null);
        if (v == null) {
            int[] d = new int[k];
            Arrays.fill(d, dflt);
            return d;
        }
        if (v.length != k) throw n.error("attribute '" + name + "' has " + v.length + " entries for " + k + " spatial dims");
        return NodeContext.toInts(v);
    }

    /** Checks the rank and lifts a 1-D (N, C, W) tensor to 2-D (N, C, 1, W). */
    private static Tensor lift(NodeContext n, Tensor x, int k) {
        if (k == 1) return x.unsqueeze(2);
        if (k == 2) return x;
        throw n.unsupported(k + "-D " + n.opType() + " (input rank " + x.dim() + "; Sinter supports 1-D and 2-D)");
    }

    private static int[] lift(int[] v, int k, int one) {
        return k == 1 ? new int[] {one, v[0]} : v;
    }

    private static Tensor[] conv(NodeContext n) {
        return one(convolve(n, n.in(0), n.in(1), n.has(2) ? n.in(2) : null));
    }

    /** Convolution with the node's attributes (strides, pads, auto_pad, dilations, group); shared with the quantized forms. */
    static Tensor convolve(NodeContext n, Tensor x, Tensor w, Tensor b) {
        if (x.dim() < 3) throw n.error("input must be N x C x D1 ..., got rank " + x.dim());
        int k = x.dim() - 2;
        int[] kernel = Arrays.copyOfRange(w.shape(), 2, w.dim());
        long[] ks = n.attrInts("kernel_shape", null);
        if (ks != null && !Arrays.equals(NodeContext.toInts(ks), kernel)) throw n.error("kernel_shape " + Arrays.toString(ks) + " disagrees with W " + Arrays.toString(w.shape()));
        int[] stride = ints(n, "strides", k, 1);
        int[] dilation = ints(n, "dilations", k, 1);
        Padding pad = Padding.of(n, Arrays.copyOfRange(x.shape(), 2, x.dim()), kernel, stride, dilation);
        int group = (int) n.attrInt("group", 1);
        if (k == 3) return Volumetric.conv3d(x, w, b, stride, pad, dilation, group);
        Tensor x2 = lift(n, x, k);
        Tensor w2 = lift(n, w, k);
        int[] p;
        boolean padWiderThanKernel = false;
        for (int i = 0; i < k; i++) padWiderThanKernel |= pad.begin()[i] >= (kernel[i] - 1) * dilation[i] + 1;
        if (pad.symmetric() && !padWiderThanKernel) {
            p = lift(pad.begin(), k, 0);
        } else {
            // Asymmetric pads, or pads as wide as the window (which Sinter's implicit padding does not cover): pad explicitly.
            x2 = F.pad(x2, k == 1 ? new int[] {pad.begin()[0], pad.end()[0]} : pad.torchOrder(), "constant", 0);
            p = new int[2];
        }
        Tensor y = F.conv2d(x2, w2, b, lift(stride, k, 1), p, lift(dilation, k, 1), group);
        return k == 1 ? y.squeeze(2) : y;
    }

    private static Tensor[] convTranspose(NodeContext n) {
        Tensor x = n.in(0);
        Tensor w = n.in(1);
        Tensor b = n.has(2) ? n.in(2) : null;
        int k = x.dim() - 2;
        int[] kernel = Arrays.copyOfRange(w.shape(), 2, w.dim());
        int[] stride = ints(n, "strides", k, 1);
        int[] dilation = ints(n, "dilations", k, 1);
        int[] outPad = ints(n, "output_padding", k, 0);
        int group = (int) n.attrInt("group", 1);
        int[] in = Arrays.copyOfRange(x.shape(), 2, x.dim());
        int[] begin = new int[k];
        int[] end = new int[k];
        long[] outShape = n.attrInts("output_shape", null);
        String auto = n.attrString("auto_pad", "NOTSET");
        if (outShape != null || auto.startsWith("SAME")) {
            for (int i = 0; i < k; i++) {
                long want = outShape != null ? outShape[outShape.length - k + i] : (long) in[i] * stride[i];
                long total = (long) stride[i] * (in[i] - 1) + outPad[i] + ((long) (kernel[i] - 1) * dilation[i] + 1) - want;
                // A negative total (an output_shape past the full transposed convolution) pads the output with zeros instead.
                boolean upper = !auto.equals("SAME_LOWER");
                begin[i] = (int) (upper ? total / 2 : total - total / 2);
                end[i] = (int) total - begin[i];
            }
        } else if (!auto.equals("VALID")) {
            Padding p = Padding.of(n, in, kernel, stride, dilation);
            begin = p.begin();
            end = p.end();
        }
        // Sinter's transposed convolution pads symmetrically: run it with the smaller pad, then crop the rest
        // (3-D: the full transposed convolution, every pad cropped below).
        int[] common = new int[k];
        if (k != 3) for (int i = 0; i < k; i++) common[i] = Math.max(0, Math.min(begin[i], end[i]));
        Tensor y = k == 3 ? Volumetric.convTranspose3d(x, w, b, stride, outPad, group, dilation)
                : F.convTranspose2d(lift(n, x, k), lift(n, w, k), b, lift(stride, k, 1), lift(common, k, 0), lift(outPad, k, 0), group, lift(dilation, k, 1));
        for (int i = 0; i < k; i++) {
            int dim = y.dim() - k + i;
            int extraBegin = begin[i] - common[i];
            int extraEnd = end[i] - common[i];
            if (extraBegin > 0 || extraEnd > 0) y = y.narrow(dim, Math.max(0, extraBegin), y.size(dim) - Math.max(0, extraBegin) - Math.max(0, extraEnd));
            if (extraBegin < 0 || extraEnd < 0) {
                int[] zeros = new int[2 * (y.dim() - dim)];
                zeros[zeros.length - 2] = Math.max(0, -extraBegin);
                zeros[zeros.length - 1] = Math.max(0, -extraEnd);
                y = F.pad(y, zeros, "constant", 0);
            }
        }
        return one(k == 1 ? y.squeeze(2) : y.contiguous());
    }

    private static Tensor[] pool(NodeContext n, boolean max) {
        Tensor x = n.in(0);
        if (x.dim() < 3) throw n.error("input must be N x C x D1 ..., got rank " + x.dim());
        int k = x.dim() - 2;
        long[] ks = n.attrInts("kernel_shape", null);
        if (ks == null) throw n.error("attribute 'kernel_shape' is required");
        if (ks.length != k) throw n.error("kernel_shape " + Arrays.toString(ks) + " does not match " + k + " spatial dims");
        int[] kernel = NodeContext.toInts(ks);
        int[] stride = ints(n, "strides", k, 1);
        int[] dilation = ints(n, "dilations", k, 1);
        boolean ceil = n.attrInt("ceil_mode", 0) != 0;
        boolean columnMajor = n.attrInt("storage_order", 0) != 0;
        if (columnMajor && k != 2) throw n.unsupported("storage_order=1 for " + k + "-D pooling");
        if (!max && Arrays.stream(dilation).anyMatch(d -> d != 1)) throw n.unsupported("dilated AveragePool");
        Padding pad = Padding.of(n, Arrays.copyOfRange(x.shape(), 2, x.dim()), kernel, stride, dilation);
        if (k == 3) {
            if (ceil) throw n.unsupported("ceil_mode for 3-D pooling");
            if (!x.isFloatingPoint()) throw n.unsupported("integer 3-D pooling");
            return one(max ? Volumetric.maxPool3d(x, kernel, stride, pad, dilation)
                    : Volumetric.avgPool3d(x, kernel, stride, pad, n.attrInt("count_include_pad", 0) != 0));
        }
        Tensor x2 = lift(n, x, k);
        if (max && !x2.isFloatingPoint()) {
            // Sinter's max pooling is floating point; int32 and narrower values are exact in float64.
            org.sinter.DType t = x2.dtype();
            if (t == org.sinter.DType.INT64) throw n.unsupported("int64 MaxPool");
            x2 = x2.to(org.sinter.DType.FLOAT64);
            Tensor[] r = poolFloat(n, x2, k, kernel, stride, dilation, ceil, pad, true);
            return one(r[0].to(t));
        }
        return poolFloat(n, x2, k, kernel, stride, dilation, ceil, pad, max);
    }

    private static Tensor[] poolFloat(NodeContext n, Tensor x2, int k, int[] kernel, int[] stride, int[] dilation, boolean ceil, Padding pad, boolean max) {
        int[] kk = lift(kernel, k, 1);
        int[] ss = lift(stride, k, 1);
        Tensor y;
        if (max) {
            int[] p = lift(pad.begin(), k, 0);
            boolean wide = false;
            for (int i = 0; i < 2; i++) wide |= p[i] * 2 > (kk[i] - 1) * lift(dilation, k, 1)[i] + 1;
            boolean explicit = !pad.symmetric() || wide;
            if (explicit) {
                // Asymmetric pads, or pads wider than half the window (which the kernel's implicit padding refuses): pad with -inf.
                x2 = F.pad(x2, k == 1 ? new int[] {pad.begin()[0], pad.end()[0]} : pad.torchOrder(), "constant", Double.NEGATIVE_INFINITY);
                p = new int[2];
            }
            if (n.outputCount() > 1 && !n.getOutputName(1).isEmpty()) {
                if (explicit || k != 2) throw n.unsupported("the Indices output with asymmetric or wide pads, or of 1-D pooling");
                var vi = F.maxPool2dWithIndices(x2, kk, ss, p, lift(dilation, k, 1), ceil);
                // ONNX's indices count over the whole N·C·H·W tensor; Sinter's within each (H, W) plane.
                int[] s0 = x2.shape();
                long plane = (long) s0[2] * s0[3];
                Tensor base = org.sinter.Tensor.arange((long) s0[0] * s0[1]).mul(plane).reshape(s0[0], s0[1], 1, 1);
                Tensor at = vi.indices();
                if (n.attrInt("storage_order", 0) != 0) { // storage_order=1: the plane index counts down the columns, h + w·H
                    Tensor w = org.sinter.Tensor.scalar(s0[3], org.sinter.DType.INT64);
                    at = at.remainder(w).mul((long) s0[2]).add(at.floorDivide(w));
                }
                return new Tensor[] {vi.values(), at.add(base)};
            }
            y = F.maxPool2d(x2, kk, ss, p, lift(dilation, k, 1), ceil);
        } else {
            boolean includePad = n.attrInt("count_include_pad", 0) != 0;
            if (pad.symmetric() && pad.begin().length > 0 && 2 * Arrays.stream(pad.begin()).max().getAsInt() <= Arrays.stream(kernel).min().getAsInt()) {
                y = F.avgPool2d(x2, kk, ss, lift(pad.begin(), k, 0), ceil, includePad, 0);
            } else {
                if (ceil) throw n.unsupported("ceil_mode with asymmetric or large pads");
                // Pad explicitly, then divide the window sums by the count of the elements each window covers.
                int[] tp = k == 1 ? new int[] {pad.begin()[0], pad.end()[0]} : pad.torchOrder();
                Tensor sum = F.avgPool2d(F.pad(x2, tp, "constant", 0), kk, ss, new int[2], false, true, 0);
                if (includePad) {
                    y = sum;
                } else {
                    Tensor ones = Tensor.ones(x2.dtype(), 1, 1, x2.size(2), x2.size(3));
                    Tensor frac = F.avgPool2d(F.pad(ones, tp, "constant", 0), kk, ss, new int[2], false, true, 0);
                    y = sum.div(frac);
                }
            }
        }
        return one(k == 1 ? y.squeeze(2) : y);
    }

    private static Tensor[] batchNorm(NodeContext n) {
        if (n.opset() < 9 && n.attrInt("spatial", 1) == 0) throw n.unsupported("spatial=0");
        Tensor x = n.in(0);
        double eps = n.attrFloat("epsilon", 1e-5f);
        Tensor scale = n.in(1);
        Tensor bias = n.in(2);
        Tensor mean = n.in(3);
        Tensor var = n.in(4);
        if (n.attrInt("training_mode", 0) != 0) {
            // Normalised with the batch's statistics (population variance), and the running ones updated by momentum.
            int[] dims = new int[x.dim() - 1];
            for (int i = 0, j = 0; i < x.dim(); i++) if (i != 1) dims[j++] = i;
            Tensor batchMean = x.mean(dims, false);
            Tensor batchVar = x.sub(perChannel(batchMean, x)).square().mean(dims, false);
            double momentum = n.attrFloat("momentum", 0.9f);
            Tensor a = batchVar.add(eps).rsqrt().mul(scale);
            Tensor y = x.sub(perChannel(batchMean, x)).mul(perChannel(a, x)).add(perChannel(bias, x));
            return new Tensor[] {y, mean.mul(momentum).add(batchMean.mul(1 - momentum)), var.mul(momentum).add(batchVar.mul(1 - momentum))};
        }
        // y = x·a + b with a = scale / sqrt(var + eps) and b = bias - mean·a: with constant statistics a and b
        // fold at import, and the compiler's conv/affine folding merges the pair into a preceding convolution.
        Tensor a = var.add(eps).rsqrt().mul(scale);
        Tensor b = bias.sub(mean.mul(a));
        return one(x.mul(perChannel(a, x)).add(perChannel(b, x)));
    }

    private static Tensor[] layerNorm(NodeContext n) {
        Tensor x = n.in(0);
        int axis = n.axis(n.attrInt("axis", -1), x.dim());
        double eps = n.attrFloat("epsilon", 1e-5f);
        int[] dims = new int[x.dim() - axis];
        for (int i = 0; i < dims.length; i++) dims[i] = axis + i;
        Tensor mean = x.mean(dims, true);
        Tensor d = x.sub(mean);
        Tensor var = d.square().mean(dims, true);
        Tensor invStd = var.add(eps).rsqrt();
        Tensor y = d.mul(invStd).mul(n.in(1));
        if (n.has(2)) y = y.add(n.in(2));
        return new Tensor[] {y, mean, invStd};
    }

    private static Tensor[] gemm(NodeContext n) {
        Tensor a = n.in(0);
        Tensor b = n.in(1);
        if (a.dim() != 2 || b.dim() != 2) throw n.error("A and B must be matrices, got " + a.describe() + " and " + b.describe());
        if (n.attrInt("transA", 0) != 0) a = a.t();
        if (n.attrInt("transB", 0) != 0) b = b.t();
        double alpha = n.attrFloat("alpha", 1f);
        double beta = n.attrFloat("beta", 1f);
        Tensor y = a.matmul(b);
        if (alpha != 1) y = y.mul(alpha);
        if (n.has(2) && beta != 0) y = y.add(beta == 1 ? n.in(2) : n.in(2).mul(beta));
        return one(y);
    }

    private static Tensor softmax(NodeContext n, boolean log) {
        Tensor x = n.in(0);
        if (n.opset() >= 13) {
            int axis = n.axis(n.attrInt("axis", -1), x.dim());
            return log ? x.logSoftmax(axis) : x.softmax(axis);
        }
        // Before opset 13 the input is flattened to 2-D at axis and normalised over the second dim.
        int axis = n.axis(n.attrInt("axis", 1), x.dim());
        int[] shape = x.shape();
        int outer = 1;
        for (int i = 0; i < axis; i++) outer *= shape[i];
        Tensor flat = x.reshape(outer, -1);
        return (log ? flat.logSoftmax(1) : flat.softmax(1)).reshape(shape);
    }

    /** 1 at the first maximum along {@code axis}, 0 elsewhere. */
    private static Tensor hardmax(Tensor x, int axis) {
        Tensor arg = x.argmax(axis, true);
        int[] shape = new int[x.dim()];
        Arrays.fill(shape, 1);
        shape[axis] = x.size(axis);
        return arg.eq(Tensor.arange(x.size(axis)).reshape(shape)).to(x.dtype());
    }

    private static Tensor[] dropout(NodeContext n) {
        Tensor x = n.in(0);
        if (n.has(2) && n.in(2).isMeta()) throw n.unsupported("a training_mode input computed at run time");
        if (n.has(2) && n.in(2).toBooleanArray()[0]) {
            double ratio = n.has(1) ? n.constDoubles(1, "ratio")[0] : 0.5;
            if (!(ratio >= 0 && ratio < 1)) throw n.error("ratio must be in [0, 1), got " + ratio);
            if (ratio > 0) {
                // Training mode: keep each element with probability 1 - ratio and scale the kept ones by 1 / (1 - ratio).
                Tensor keep = RandomKernels.generator(n).uniform_(Tensor.empty(org.sinter.DType.FLOAT32, x.shape()), 0, 1).ge(ratio);
                return new Tensor[] {x.mul(keep.to(x.dtype())).div(1 - ratio), keep};
            }
        }
        Tensor mask = Tensor.full(1, org.sinter.DType.BOOL, x.shape()); // all true: inference keeps every element
        return new Tensor[] {x, mask};
    }
}
