package org.sinter.nn.functional;

import org.sinter.ops.NnOps;
import org.sinter.ops.WindowArgs;

import java.util.Arrays;
import org.sinter.Tensor;
import org.sinter.kernels.conv.ConvGeometry;

/**
 * Argument handling of {@code conv1d}, {@code conv2d} and {@code convTranspose2d} as PyTorch does
 * it: int-or-pair arguments, "same"/"valid" padding, unbatched inputs, and PyTorch's error
 * messages. The arithmetic is in {@link NnOps} (core primitives).
 */
final class Convolution {
    private Convolution() {}

    /** An int-or-tuple argument expanded to {@code n} values (a single value repeats). */
    static int[] expand(String op, String name, int[] v, int n) {
        if (v.length == n) return v.clone();
        if (v.length == 1) {
            int[] r = new int[n];
            Arrays.fill(r, v[0]);
            return r;
        }
        throw new IllegalArgumentException(op + ": expected " + name + " to be a single integer value or a list of " + n
                + " values to match the convolution dimensions, but got " + name + "=" + Arrays.toString(v));
    }

    /**
     * N-d convolution for n = 1 or 2 spatial dims. {@code padBefore}/{@code padAfter} are per
     * spatial dim (equal unless "same" needs an odd total).
     */
    static Tensor conv(String op, int nd, Tensor input, Tensor weight, Tensor bias, int[] stride0, int[] padBefore,
                       int[] padAfter, int[] dilation0, int groups) {
        int[] stride = expand(op, "stride", stride0, nd), dilation = expand(op, "dilation", dilation0, nd);
        WindowArgs.stride(op, stride);
        WindowArgs.padding(op, "padding", padBefore);
        WindowArgs.dilation(op, dilation);
        WindowArgs.groups(op, groups);
        if (input.dim() != nd + 1 && input.dim() != nd + 2) {
            throw new IllegalArgumentException("Expected " + (nd + 1) + "D (unbatched) or " + (nd + 2) + "D (batched) input to " + op
                    + ", but got input of size: " + Arrays.toString(input.shape()));
        }
        if (weight.dim() != nd + 2) {
            throw new IllegalArgumentException(op + ": expected weight to be " + (nd + 2) + "-dimensional, got weight of size "
                    + Arrays.toString(weight.shape()));
        }
        WindowArgs.kernel(op, Arrays.copyOfRange(weight.shape(), 2, nd + 2));
        boolean unbatched = input.dim() == nd + 1;
        Tensor x = unbatched ? input.unsqueeze(0) : input;
        int[] ws = weight.shape(), xs = x.shape();
        int k = ws[0], c = xs[1];
        if (k % groups != 0) {
            throw new IllegalArgumentException(op + ": Given groups=" + groups + ", expected weight to be divisible by " + groups
                    + " at dimension 0, but got weight of size " + Arrays.toString(ws) + " instead");
        }
        if (ws[1] * groups != c) {
            throw new IllegalArgumentException(op + ": Given groups=" + groups + ", weight of size " + Arrays.toString(ws)
                    + ", expected input" + Arrays.toString(xs) + " to have " + ws[1] * groups + " channels, but got " + c
                    + " channels instead");
        }
        if (bias != null && (bias.dim() != 1 || bias.size(0) != k)) {
            throw new IllegalArgumentException(op + ": Given weight of size " + Arrays.toString(ws) + ", expected bias to be 1-dimensional with "
                    + k + " elements, but got bias of size " + Arrays.toString(bias.shape()) + " instead");
        }
        // 1-D is 2-D with a height of 1.
        int h = nd == 2 ? xs[2] : 1, w = xs[nd + 1];
        int kh = nd == 2 ? ws[2] : 1, kw = ws[nd + 1];
        int sh = nd == 2 ? stride[0] : 1, sw = stride[nd - 1];
        int dh = nd == 2 ? dilation[0] : 1, dw = dilation[nd - 1];
        int ph = nd == 2 ? padBefore[0] : 0, pw = padBefore[nd - 1];
        int phA = nd == 2 ? padAfter[0] : 0, pwA = padAfter[nd - 1];
        int eh = h + ph + phA, ew = w + pw + pwA, ekh = dh * (kh - 1) + 1, ekw = dw * (kw - 1) + 1;
        if (eh < ekh || ew < ekw) {
            throw new IllegalArgumentException(op + ": Calculated padded input size per channel: (" + (nd == 2 ? eh + " x " : "") + ew
                    + "). Kernel size: (" + (nd == 2 ? ekh + " x " : "") + ekw + "). Kernel size can't be greater than actual input size");
        }
        int oh = ConvGeometry.outSize(h, ph, phA, kh, sh, dh), ow = ConvGeometry.outSize(w, pw, pwA, kw, sw, dw);
        ConvGeometry g = new ConvGeometry(c, h, w, k, oh, ow, kh, kw, sh, sw, ph, pw, dh, dw, groups);
        Tensor x4 = nd == 2 ? x : x.unsqueeze(2), w4 = nd == 2 ? weight : weight.unsqueeze(2);
        Tensor y = NnOps.conv2d(g, x4, w4, bias);
        if (nd == 1) y = y.squeeze(2);
        return unbatched ? y.squeeze(0) : y;
    }

    /** Symmetric padding from ints, or "valid" / "same" (PyTorch puts an odd extra pixel after). */
    static Tensor conv(String op, int nd, Tensor input, Tensor weight, Tensor bias, int[] stride, String padding, int[] dilation, int groups) {
        int[] before = new int[nd], after = new int[nd];
        switch (padding) {
            case "valid" -> { }
            case "same" -> {
                int[] st = expand(op, "stride", stride, nd), dil = expand(op, "dilation", dilation, nd);
                for (int s : st) if (s != 1) throw new IllegalArgumentException(op + ": padding='same' is not supported for strided convolutions");
                if (weight.dim() != nd + 2) {
                    throw new IllegalArgumentException(op + ": expected weight to be " + (nd + 2) + "-dimensional, got weight of size "
                            + Arrays.toString(weight.shape()));
                }
                for (int i = 0; i < nd; i++) {
                    int total = dil[i] * (weight.size(2 + i) - 1);
                    before[i] = total / 2;
                    after[i] = total - total / 2;
                }
            }
            default -> throw new IllegalArgumentException(op + ": Invalid padding string '" + padding + "', should be one of {'valid', 'same'}");
        }
        return conv(op, nd, input, weight, bias, stride, before, after, dilation, groups);
    }

    /** Integer padding, the same on both sides. */
    static Tensor conv(String op, int nd, Tensor input, Tensor weight, Tensor bias, int[] stride, int[] padding, int[] dilation, int groups) {
        int[] p = expand(op, "padding", padding, nd);
        return conv(op, nd, input, weight, bias, stride, p, p, dilation, groups);
    }

    /** PyTorch's conv_transpose2d: weight [in, out/groups, kh, kw]. */
    static Tensor convTranspose2d(Tensor input, Tensor weight, Tensor bias, int[] stride0, int[] padding0, int[] outputPadding0,
                                  int groups, int[] dilation0) {
        String op = "conv_transpose2d";
        int[] stride = expand(op, "stride", stride0, 2), padding = expand(op, "padding", padding0, 2);
        int[] outPad = expand(op, "output_padding", outputPadding0, 2), dilation = expand(op, "dilation", dilation0, 2);
        WindowArgs.stride(op, stride);
        WindowArgs.padding(op, "padding", padding);
        WindowArgs.padding(op, "output_padding", outPad);
        WindowArgs.dilation(op, dilation);
        WindowArgs.groups(op, groups);
        for (int i = 0; i < 2; i++) {
            if (outPad[i] >= stride[i] && outPad[i] >= dilation[i]) {
                throw new IllegalArgumentException(op + ": output padding must be smaller than either stride or dilation, but got output_padding="
                        + Arrays.toString(outPad) + " stride=" + Arrays.toString(stride) + " dilation=" + Arrays.toString(dilation));
            }
        }
        if (input.dim() != 3 && input.dim() != 4) {
            throw new IllegalArgumentException("Expected 3D (unbatched) or 4D (batched) input to " + op + ", but got input of size: "
                    + Arrays.toString(input.shape()));
        }
        if (weight.dim() != 4) {
            throw new IllegalArgumentException(op + ": expected weight to be 4-dimensional, got weight of size " + Arrays.toString(weight.shape()));
        }
        WindowArgs.kernel(op, weight.size(2), weight.size(3));
        boolean unbatched = input.dim() == 3;
        Tensor y = unbatched ? input.unsqueeze(0) : input;
        int[] ws = weight.shape(), ys = y.shape();
        if (ws[0] != ys[1]) {
            throw new IllegalArgumentException(op + ": Given transposed=1, weight of size " + Arrays.toString(ws) + ", expected input"
                    + Arrays.toString(ys) + " to have " + ws[0] + " channels, but got " + ys[1] + " channels instead");
        }
        if (ws[0] % groups != 0) {
            throw new IllegalArgumentException(op + ": Given groups=" + groups + ", expected weight to be divisible by " + groups
                    + " at dimension 0, but got weight of size " + Arrays.toString(ws) + " instead");
        }
        int c = ws[1] * groups;
        if (bias != null && (bias.dim() != 1 || bias.size(0) != c)) {
            throw new IllegalArgumentException(op + ": Given transposed=1, weight of size " + Arrays.toString(ws)
                    + ", expected bias to be 1-dimensional with " + c + " elements, but got bias of size " + Arrays.toString(bias.shape()) + " instead");
        }
        int kh = ws[2], kw = ws[3];
        int h = (ys[2] - 1) * stride[0] - 2 * padding[0] + dilation[0] * (kh - 1) + outPad[0] + 1;
        int w = (ys[3] - 1) * stride[1] - 2 * padding[1] + dilation[1] * (kw - 1) + outPad[1] + 1;
        if (h <= 0 || w <= 0) {
            throw new IllegalArgumentException(op + ": computed output size (" + h + " x " + w + ") is too small for input of size "
                    + Arrays.toString(ys));
        }
        ConvGeometry g = new ConvGeometry(c, h, w, ws[0], ys[2], ys[3], kh, kw, stride[0], stride[1], padding[0], padding[1],
                dilation[0], dilation[1], groups);
        Tensor x = NnOps.convTranspose2d(g, y, weight, bias);
        return unbatched ? x.squeeze(0) : x;
    }
}
