package org.sinter.nn.functional;

import org.sinter.ops.NnOps;
import org.sinter.ops.WindowArgs;

import java.util.Arrays;
import org.sinter.Dispatch;
import org.sinter.Tensor;
import org.sinter.ValuesIndices;
import org.sinter.kernels.pool.PoolKernels.MaxGeometry;
import org.sinter.kernels.pool.PoolWindows;

/**
 * Argument handling of the 2-D pools as PyTorch does it: int-or-pair arguments, stride defaulting
 * to the kernel size, ceil mode's output size, the half-kernel padding limit, unbatched inputs.
 * The arithmetic is in {@link NnOps} (core primitives).
 */
final class Pooling {
    private Pooling() {}

    /** PyTorch's pooling_output_shape: floor or ceil, with ceil never starting a window in the padding. */
    static int outSize(int in, int kernel, int pad, int stride, int dilation, boolean ceilMode) {
        int out = Math.floorDiv(in + 2 * pad - dilation * (kernel - 1) - 1 + (ceilMode ? stride - 1 : 0), stride) + 1;
        if (ceilMode && (out - 1) * stride >= in + pad) out--;
        return out;
    }

    private static int[] pair(String op, String name, int[] v) {
        return Convolution.expand(op, name, v, 2);
    }

    private static void checkInput(String op, Tensor x) {
        if ((x.dim() != 3 && x.dim() != 4) || x.numel() == 0 && x.size(-3) == 0) {
            throw new IllegalArgumentException(op + ": non-empty 3D or 4D (batch mode) tensor expected for input, got "
                    + Arrays.toString(x.shape()));
        }
    }

    /** The output size must be positive (the window's arguments were checked before it was computed). */
    private static void checkOutput(String op, Tensor x, int oh, int ow) {
        if (oh < 1 || ow < 1) {
            throw new IllegalArgumentException(op + ": Given input size: (" + x.size(-3) + "x" + x.size(-2) + "x" + x.size(-1)
                    + "). Calculated output size: (" + x.size(-3) + "x" + oh + "x" + ow + "). Output size is too small");
        }
    }

    static ValuesIndices maxPool2d(Tensor x, int[] kernel, int[] stride, int[] padding, int[] dilation, boolean ceilMode) {
        String op = "max_pool2d";
        checkInput(op, x);
        int[] k = pair(op, "kernel_size", kernel);
        int[] s = stride == null || stride.length == 0 ? k : pair(op, "stride", stride);
        int[] p = pair(op, "padding", padding), d = pair(op, "dilation", dilation);
        WindowArgs.poolWindow(op, k, s, p, d);
        int h = x.size(-2), w = x.size(-1);
        int oh = outSize(h, k[0], p[0], s[0], d[0], ceilMode), ow = outSize(w, k[1], p[1], s[1], d[1], ceilMode);
        checkOutput(op, x, oh, ow);
        MaxGeometry g = new MaxGeometry(h, w, oh, ow, k[0], k[1], s[0], s[1], p[0], p[1], d[0], d[1]);
        Tensor[] out = NnOps.maxPool2d(g, x);
        return new ValuesIndices(out[0], out[1]);
    }

    static Tensor avgPool2d(Tensor x, int[] kernel, int[] stride, int[] padding, boolean ceilMode, boolean countIncludePad,
                            int divisorOverride) {
        String op = "avg_pool2d";
        checkInput(op, x);
        int[] k = pair(op, "kernel_size", kernel);
        int[] s = stride == null || stride.length == 0 ? k : pair(op, "stride", stride);
        int[] p = pair(op, "padding", padding);
        if (divisorOverride < 0) throw new IllegalArgumentException(op + ": divisor must be not zero (0 means none), got " + divisorOverride);
        WindowArgs.poolWindow(op, k, s, p, new int[] {1});
        int h = x.size(-2), w = x.size(-1);
        int oh = outSize(h, k[0], p[0], s[0], 1, ceilMode), ow = outSize(w, k[1], p[1], s[1], 1, ceilMode);
        checkOutput(op, x, oh, ow);
        int[][] ys = PoolWindows.avgAxis(h, oh, k[0], s[0], p[0]), xs = PoolWindows.avgAxis(w, ow, k[1], s[1], p[1]);
        PoolWindows wd = new PoolWindows(h, w, ys[0], ys[1], xs[0], xs[1], ys[2], xs[2], countIncludePad, divisorOverride);
        return NnOps.avgPool2d("avg_pool2d", wd, x);
    }

    /** {@code outputSize} entries below 0 keep the input's size (PyTorch's None). */
    static Tensor adaptiveAvgPool2d(Tensor x, int[] outputSize) {
        String op = "adaptive_avg_pool2d";
        if (x.dim() != 3 && x.dim() != 4) {
            throw new IllegalArgumentException(op + ": Expected 3D or 4D tensor, but got " + Arrays.toString(x.shape()));
        }
        for (int i = x.dim() - 3; i < x.dim(); i++) {
            if (x.size(i) == 0) {
                throw new IllegalArgumentException(op + ": Expected input to have non-zero size for non-batch dimensions, but input has sizes "
                        + Arrays.toString(x.shape()) + " with dimension " + i + " being empty");
            }
        }
        int[] os = pair(op, "output_size", outputSize);
        int h = x.size(-2), w = x.size(-1);
        int oh = os[0] < 0 ? h : os[0], ow = os[1] < 0 ? w : os[1];
        if (oh == 0 || ow == 0) throw new IllegalArgumentException(op + ": output size must be positive, got " + Arrays.toString(os));
        int[][] ys = PoolWindows.adaptiveAxis(h, oh), xs = PoolWindows.adaptiveAxis(w, ow);
        PoolWindows wd = new PoolWindows(h, w, ys[0], ys[1], xs[0], xs[1], ys[2], xs[2], true, 0);
        return NnOps.avgPool2d(op, wd, x);
    }
}
