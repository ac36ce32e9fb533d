package org.sinter.onnx.ops;

import org.sinter.Tensor;
import org.sinter.nn.functional.F;

/**
 * 3-D convolution and pooling from Sinter's 2-D kernels: the input is padded explicitly, then for
 * each kernel depth offset {@code kd} the depth slices a window at that offset reads
 * ({@code x[:, :, kd·dilation :: stride]}) fold into the batch (or channel) dimension, run through
 * the 2-D kernel, and the kD partial results combine (sum, or maximum). kD 2-D calls in all.
 */
final class Volumetric {
    private Volumetric() {}

    private static int outSize(int padded, int k, int stride, int dilation) {
        return (padded - dilation * (k - 1) - 1) / stride + 1;
    }

    /** The depth slices that kernel offset {@code kd} reads, for {@code od} outputs: [N, C, od, H, W]. */
    private static Tensor depthTap(Tensor x, int kd, int dilation, int stride, int od) {
        int start = kd * dilation;
        return x.slice(2, start, start + (od - 1) * stride + 1, stride);
    }

    /** [N, C, od, H, W] as [N·od, C, H, W]. */
    private static Tensor depthIntoBatch(Tensor t) {
        int[] s = t.shape();
        return t.permute(0, 2, 1, 3, 4).reshape(s[0] * s[2], s[1], s[3], s[4]);
    }

    static Tensor conv3d(Tensor x, Tensor w, Tensor b, int[] stride, Padding pad, int[] dilation, int groups) {
        Tensor xp = pad.zero() ? x : F.pad(x, pad.torchOrder(), "constant", 0);
        int n = xp.size(0);
        int kd = w.size(2);
        int od = outSize(xp.size(2), kd, stride[0], dilation[0]);
        Tensor sum = null;
        for (int k = 0; k < kd; k++) {
            Tensor part = F.conv2d(depthIntoBatch(depthTap(xp, k, dilation[0], stride[0], od)), w.select(2, k), null,
                    new int[] {stride[1], stride[2]}, new int[] {0, 0}, new int[] {dilation[1], dilation[2]}, groups);
            sum = sum == null ? part : sum.add(part);
        }
        int[] s = sum.shape(); // [N·od, M, oh, ow]
        Tensor y = sum.reshape(n, od, s[1], s[2], s[3]).permute(0, 2, 1, 3, 4).contiguous();
        return b == null ? y : y.add(b.reshape(1, -1, 1, 1, 1));
    }

    /**
     * The full (unpadded) 3-D transposed convolution: each input depth slice runs through the 2-D
     * transposed kernel once per kernel depth offset {@code kd}, and lands at output depths
     * {@code kd·dilation + i·stride} (zeros interleaved for the stride, then shifted by padding);
     * the kD placed results sum. Output depth {@code (D-1)·stride + (kD-1)·dilation + 1 + outPad}.
     */
    static Tensor convTranspose3d(Tensor x, Tensor w, Tensor b, int[] stride, int[] outPad, int groups, int[] dilation) {
        int n = x.size(0), d = x.size(2), kd = w.size(2);
        int full = (d - 1) * stride[0] + (kd - 1) * dilation[0] + 1 + outPad[0];
        Tensor slices = depthIntoBatch(x); // [N·D, C, H, W]
        Tensor sum = null;
        for (int k = 0; k < kd; k++) {
            Tensor part = F.convTranspose2d(slices, w.select(2, k), null, new int[] {stride[1], stride[2]}, new int[] {0, 0},
                    new int[] {outPad[1], outPad[2]}, groups, new int[] {dilation[1], dilation[2]});
            int[] s = part.shape(); // [N·D, M, oh, ow]
            Tensor placed = part.reshape(n, d, s[1], s[2], s[3]).permute(0, 2, 1, 3, 4); // [N, M, D, oh, ow]
            if (stride[0] > 1) {
                // [N, M, D, 1, oh, ow] padded to [N, M, D, stride, oh, ow]: each slice followed by stride-1 zero slices.
                placed = F.pad(placed.unsqueeze(3), new int[] {0, 0, 0, 0, 0, stride[0] - 1}, "constant", 0)
                        .reshape(n, s[1], d * stride[0], s[2], s[3]).narrow(2, 0, (d - 1) * stride[0] + 1);
            }
            int before = k * dilation[0], after = full - before - placed.size(2);
            placed = F.pad(placed, new int[] {0, 0, 0, 0, before, after}, "constant", 0);
            sum = sum == null ? placed : sum.add(placed);
        }
        return b == null ? sum : sum.add(b.reshape(1, -1, 1, 1, 1));
    }

    static Tensor maxPool3d(Tensor x, int[] kernel, int[] stride, Padding pad, int[] dilation) {
        Tensor xp = pad.zero() ? x : F.pad(x, pad.torchOrder(), "constant", Double.NEGATIVE_INFINITY);
        int[] s = xp.shape();
        int od = outSize(s[2], kernel[0], stride[0], dilation[0]);
        Tensor best = null;
        for (int k = 0; k < kernel[0]; k++) {
            Tensor tap = depthTap(xp, k, dilation[0], stride[0], od).reshape(s[0], s[1] * od, s[3], s[4]);
            Tensor part = F.maxPool2d(tap, new int[] {kernel[1], kernel[2]}, new int[] {stride[1], stride[2]}, new int[] {0, 0},
                    new int[] {dilation[1], dilation[2]}, false);
            best = best == null ? part : best.maximum(part);
        }
        return best.reshape(s[0], s[1], od, best.size(2), best.size(3));
    }

    /** Window sums over (D, H, W) of a padded tensor. */
    private static Tensor windowSums(Tensor xp, int[] kernel, int[] stride) {
        int[] s = xp.shape();
        int od = outSize(s[2], kernel[0], stride[0], 1);
        Tensor sum = null;
        for (int k = 0; k < kernel[0]; k++) {
            Tensor tap = depthTap(xp, k, 1, stride[0], od).reshape(s[0], s[1] * od, s[3], s[4]);
            Tensor part = F.avgPool2d(tap, new int[] {kernel[1], kernel[2]}, new int[] {stride[1], stride[2]}, new int[] {0, 0}, false, true, 0)
                    .mul((double) kernel[1] * kernel[2]);
            sum = sum == null ? part : sum.add(part);
        }
        return sum.reshape(s[0], s[1], od, sum.size(2), sum.size(3));
    }

    static Tensor avgPool3d(Tensor x, int[] kernel, int[] stride, Padding pad, boolean countIncludePad) {
        Tensor xp = pad.zero() ? x : F.pad(x, pad.torchOrder(), "constant", 0);
        Tensor sums = windowSums(xp, kernel, stride);
        if (countIncludePad || pad.zero()) return sums.div((double) kernel[0] * kernel[1] * kernel[2]);
        Tensor ones = Tensor.ones(x.dtype(), 1, 1, x.size(2), x.size(3), x.size(4));
        Tensor counts = windowSums(F.pad(ones, pad.torchOrder(), "constant", 0), kernel, stride);
        return sums.div(counts);
    }
}
