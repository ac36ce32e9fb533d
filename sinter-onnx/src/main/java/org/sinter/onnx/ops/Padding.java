package org.sinter.onnx.ops;

import java.util.Arrays;

/**
 * The begin/end padding of a convolution or pooling window over the spatial dims: explicit
 * {@code pads} ([x1_begin, x2_begin, ..., x1_end, x2_end, ...]) or computed from {@code auto_pad}.
 */
record Padding(int[] begin, int[] end) {
    boolean symmetric() {
        return Arrays.equals(begin, end);
    }

    boolean zero() {
        return Arrays.stream(begin).allMatch(v -> v == 0) && Arrays.stream(end).allMatch(v -> v == 0);
    }

    /** Padding in F.pad's order: last dim first, (begin, end) pairs. */
    int[] torchOrder() {
        int k = begin.length;
        int[] p = new int[2 * k];
        for (int i = 0; i < k; i++) {
            p[2 * i] = begin[k - 1 - i];
            p[2 * i + 1] = end[k - 1 - i];
        }
        return p;
    }

    static Padding of(NodeContext n, int[] in, int[] kernel, int[] stride, int[] dilation) {
        int k = kernel.length;
        String auto = n.attrString("auto_pad", "NOTSET");
        int[] b = new int[k];
        int[] e = new int[k];
        switch (auto) {
            case "NOTSET" -> {
                long[] pads = n.attrInts("pads", new long[2 * k]);
                if (pads.length != 2 * k) throw n.error("pads has " + pads.length + " entries, expected " + 2 * k);
                for (int i = 0; i < k; i++) {
                    b[i] = (int) pads[i];
                    e[i] = (int) pads[i + k];
                    if (b[i] < 0 || e[i] < 0) throw n.unsupported("negative pads " + Arrays.toString(pads));
                }
            }
            case "VALID" -> { }
            case "SAME_UPPER", "SAME_LOWER" -> {
                for (int i = 0; i < k; i++) {
                    int out = (in[i] + stride[i] - 1) / stride[i];
                    int total = Math.max(0, (out - 1) * stride[i] + (kernel[i] - 1) * dilation[i] + 1 - in[i]);
                    int small = total / 2;
                    b[i] = auto.equals("SAME_UPPER") ? small : total - small;
                    e[i] = total - b[i];
                }
            }
            default -> throw n.unsupported("auto_pad '" + auto + "'");
        }
        return new Padding(b, e);
    }
}
