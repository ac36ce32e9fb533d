package org.sinter.reference;

import java.util.Arrays;
import org.sinter.DType;

/** Compares a Sinter result with PyTorch's, and says precisely where they differ. */
final class Compare {
    private Compare() {}

    /** |actual - expected| <= atol + rtol * |expected| per element; NaN matches NaN. */
    record Tolerance(double rtol, double atol) {
        @Override
        public String toString() { return "rtol=" + rtol + " atol=" + atol; }
    }

    /**
     * Tolerances by dtype. float32: 1e-5 relative, 1e-6 absolute for one rounding per element;
     * ops that sum many terms (reductions, matmul, softmax) and all gradients (broadcast inputs
     * get summed gradients) round in an order PyTorch does not promise, so their absolute slack
     * is 1e-5. float64: tight enough that a float64 op computed in float32 fails (1e-7 errors).
     */
    static Tolerance tolerance(String op, DType dtype, boolean gradient) {
        boolean accumulating = gradient || ReferenceOps.ACCUMULATING.contains(op);
        return switch (dtype) {
            case FLOAT64 -> new Tolerance(1e-9, accumulating ? 1e-11 : 1e-12);
            case FLOAT32 -> new Tolerance(1e-5, accumulating ? 1e-5 : 1e-6);
            default -> new Tolerance(0, 0);
        };
    }

    /** null when equal within tolerance, else a message naming the first mismatch. */
    static String mismatch(String what, TensorData actual, TensorData expected, Tolerance tol) {
        if (actual.dtype() != expected.dtype()) {
            return what + ": dtype " + name(actual.dtype()) + ", PyTorch gives " + name(expected.dtype());
        }
        if (!Arrays.equals(actual.shape(), expected.shape())) {
            return what + ": shape " + Arrays.toString(actual.shape()) + ", PyTorch gives " + Arrays.toString(expected.shape());
        }
        for (int i = 0; i < expected.numel(); i++) {
            boolean ok;
            if (expected.isFloat()) {
                double a = actual.floats()[i], e = expected.floats()[i];
                ok = a == e || (Double.isNaN(a) && Double.isNaN(e))
                        || (Double.isFinite(e) && Math.abs(a - e) <= tol.atol() + tol.rtol() * Math.abs(e));
            } else {
                ok = actual.ints()[i] == expected.ints()[i];
            }
            if (!ok) {
                return what + " " + expected.describe() + ": first mismatch at flat index " + i + " "
                        + Arrays.toString(unravel(i, expected.shape())) + ": Sinter " + actual.valueAt(i)
                        + ", PyTorch " + expected.valueAt(i) + (expected.isFloat() ? " (" + tol + ")" : "")
                        + countNote(actual, expected, tol);
            }
        }
        return null;
    }

    private static String countNote(TensorData actual, TensorData expected, Tolerance tol) {
        int bad = 0;
        for (int i = 0; i < expected.numel(); i++) {
            if (expected.isFloat()) {
                double a = actual.floats()[i], e = expected.floats()[i];
                if (!(a == e || (Double.isNaN(a) && Double.isNaN(e))
                        || (Double.isFinite(e) && Math.abs(a - e) <= tol.atol() + tol.rtol() * Math.abs(e)))) bad++;
            } else if (actual.ints()[i] != expected.ints()[i]) {
                bad++;
            }
        }
        return "; " + bad + " of " + expected.numel() + " elements differ";
    }

    static int[] unravel(int flat, int[] shape) {
        int[] idx = new int[shape.length];
        for (int d = shape.length - 1; d >= 0; d--) {
            if (shape[d] == 0) return idx;
            idx[d] = flat % shape[d];
            flat /= shape[d];
        }
        return idx;
    }

    static String name(DType d) { return d.name().toLowerCase(); }
}
