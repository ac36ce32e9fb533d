package org.sinter.onnx.ops;

import static org.sinter.onnx.ops.ElementwiseKernels.one;

import java.util.Arrays;
import org.sinter.DType;
import org.sinter.Tensor;

/**
 * {@code Resize} (opsets 10+) and {@code Upsample}: nearest, linear and cubic interpolation with
 * every coordinate transformation mode. ONNX's N-linear and N-cubic interpolation is separable, so
 * it runs one axis at a time: the source taps and weights of each output position are computed
 * when the graph is built (sizes are static), and each axis becomes a few {@code index_select}s and a
 * weighted sum that the compiler fuses.
 */
final class ResizeKernels {
    private ResizeKernels() {}

    static void register(OpRegistry r) {
        r.add("Resize", ResizeKernels::resize, "mode", "coordinate_transformation_mode", "nearest_mode", "cubic_coeff_a", "exclude_outside",
                "extrapolation_value");
        r.add("Upsample", n -> {
            Tensor x = n.in(0);
            double[] scales = n.opset() >= 9 ? n.constDoubles(1, "scales") : toDoubles(n.attrFloats("scales", null));
            if (scales == null) throw n.error("scales are required");
            String mode = n.attrString("mode", "nearest");
            return one(interpolate(n, x, scales, null, mode, "asymmetric", "floor", -0.75, false, 0, null));
        }, "mode", "scales");
    }

    private static double[] toDoubles(float[] f) {
        if (f == null) return null;
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) d[i] = f[i];
        return d;
    }

    private static Tensor[] resize(NodeContext n) {
        Tensor x = n.in(0);
        String mode = n.attrString("mode", "nearest");
        String ctm = n.attrString("coordinate_transformation_mode", n.opset() < 11 ? "asymmetric" : "half_pixel");
        double[] scales = null;
        long[] sizes = null;
        double[] roi = null;
        if (n.opset() < 11) {
            scales = n.constDoubles(1, "scales");
        } else {
            if (n.has(1) && n.in(1).numel() > 0) roi = n.constDoubles(1, "roi");
            if (n.has(2) && n.in(2).numel() > 0) scales = n.constDoubles(2, "scales");
            if (n.has(3) && n.in(3).numel() > 0) sizes = n.constLongs(3, "sizes");
        }
        if (scales == null && sizes == null) throw n.error("one of scales and sizes is required");
        return one(interpolate(n, x, scales, sizes, mode, ctm, n.attrString("nearest_mode", "round_prefer_floor"), n.attrFloat("cubic_coeff_a", -0.75f),
                n.attrInt("exclude_outside", 0) != 0, n.attrFloat("extrapolation_value", 0f), roi));
    }

    private static Tensor interpolate(NodeContext n, Tensor x, double[] scales, long[] sizes, String mode, String ctm, String nearestMode, double a,
                                      boolean excludeOutside, double extrapolation, double[] roi) {
        int rank = x.dim();
        if ((scales != null ? scales.length : sizes.length) != rank) throw n.error("scales/sizes must have one entry per dimension (" + rank + ")");
        if (!mode.equals("nearest") && !mode.equals("linear") && !mode.equals("cubic")) throw n.unsupported("mode '" + mode + "'");
        if (!mode.equals("nearest") && !x.isFloatingPoint()) throw n.unsupported(mode + " interpolation of " + x.dtype());
        Tensor y = x;
        // Inner axes first, as ONNX's reference does (it matters only for tf_crop_and_resize's extrapolation).
        for (int axis = rank - 1; axis >= 0; axis--) {
            int in = x.size(axis);
            double scale;
            int out;
            if (sizes != null) {
                out = (int) sizes[axis];
                scale = (double) out / in;
            } else {
                scale = scales[axis];
                if (scale <= 0) throw n.error("scale " + scale + " must be positive");
                out = (int) Math.floor(in * scale);
            }
            if (out < 0 || (long) out * y.numel() / Math.max(1, in) > ShapeKernels.MAX_CONSTANT_ELEMENTS * 4L) throw n.error("output size " + out + " is out of range");
            if (out == in && scale == 1 && !ctm.equals("tf_crop_and_resize")) continue;
            y = resizeAxis(n, y, axis, in, out, scale, mode, ctm, nearestMode, a, excludeOutside, extrapolation,
                    roi == null ? 0 : roi[axis], roi == null ? 1 : roi[axis + rank]);
        }
        return y;
    }

    private static double source(String ctm, double o, double scale, int in, int out, double start, double end, NodeContext n) {
        double outWidth = scale * in;
        return switch (ctm) {
            case "half_pixel" -> (o + 0.5) / scale - 0.5;
            case "pytorch_half_pixel" -> out > 1 ? (o + 0.5) / scale - 0.5 : 0;
            case "align_corners" -> outWidth == 1 ? 0 : o * (in - 1) / (outWidth - 1);
            case "asymmetric" -> o / scale;
            case "tf_half_pixel_for_nn" -> (o + 0.5) / scale;
            case "tf_crop_and_resize" -> out > 1 ? start * (in - 1) + o * (end - start) * (in - 1) / (out - 1) : 0.5 * (start + end) * (in - 1);
            default -> throw n.unsupported("coordinate_transformation_mode '" + ctm + "'");
        };
    }

    private static Tensor resizeAxis(NodeContext n, Tensor x, int axis, int in, int out, double scale, String mode, String ctm, String nearestMode,
                                     double a, boolean excludeOutside, double extrapolation, double roiStart, double roiEnd) {
        int taps = mode.equals("nearest") ? 1 : mode.equals("linear") ? 2 : 4;
        long[][] index = new long[taps][out];
        double[][] weight = new double[taps][out];
        boolean[] outside = new boolean[out];
        for (int o = 0; o < out; o++) {
            double src = source(ctm, o, scale, in, out, roiStart, roiEnd, n);
            outside[o] = ctm.equals("tf_crop_and_resize") && (src < 0 || src > in - 1);
            double base = Math.floor(src);
            double t = src - base;
            if (mode.equals("nearest")) {
                boolean up = t != 0 && switch (nearestMode) {
                    case "round_prefer_floor" -> t > 0.5;
                    case "round_prefer_ceil" -> t >= 0.5;
                    case "floor" -> false;
                    case "ceil" -> true;
                    default -> throw n.unsupported("nearest_mode '" + nearestMode + "'");
                };
                index[0][o] = clamp((long) base + (up ? 1 : 0), in);
                weight[0][o] = 1;
                continue;
            }
            double[] c = mode.equals("linear") ? new double[] {1 - t, t} : cubic(t, a);
            long first = (long) base - (taps == 4 ? 1 : 0);
            double kept = 0;
            for (int j = 0; j < taps; j++) {
                long i = first + j;
                if (excludeOutside && (i < 0 || i >= in)) c[j] = 0;
                kept += c[j];
                index[j][o] = clamp(i, in);
            }
            for (int j = 0; j < taps; j++) weight[j][o] = excludeOutside ? c[j] / kept : c[j];
        }
        int[] wshape = new int[x.dim()];
        Arrays.fill(wshape, 1);
        wshape[axis] = out;
        Tensor y = null;
        for (int j = 0; j < taps; j++) {
            Tensor picked = x.indexSelect(axis, Tensor.of(index[j], out));
            if (taps == 1) {
                y = picked;
                break;
            }
            Tensor term = picked.mul(Tensor.of(weight[j], out).to(x.dtype()).reshape(wshape));
            y = y == null ? term : y.add(term);
        }
        boolean anyOutside = false;
        for (boolean b : outside) anyOutside |= b;
        if (anyOutside) {
            boolean[] mask = outside.clone();
            y = Tensor.where(Tensor.of(mask, out).reshape(wshape), Tensor.scalar(extrapolation, y.dtype()), y);
        }
        return y;
    }

    private static long clamp(long i, int in) {
        return Math.max(0, Math.min(in - 1, i));
    }

    /** The cubic convolution weights (Keys, coefficient a) of the taps at -1, 0, 1, 2 around a point t past the base. */
    private static double[] cubic(double t, double a) {
        double[] c = new double[4];
        double[] d = {1 + t, t, 1 - t, 2 - t};
        for (int j = 0; j < 4; j++) {
            double x = Math.abs(d[j]);
            c[j] = x <= 1 ? ((a + 2) * x - (a + 3)) * x * x + 1 : x < 2 ? ((a * x - 5 * a) * x + 8 * a) * x - 4 * a : 0;
        }
        return c;
    }
}
