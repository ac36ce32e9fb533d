package org.sinter.testing;

import java.util.Arrays;
import java.util.Locale;
import org.sinter.Tensor;

/**
 * Compares a Sinter result with PyTorch's: dtype, shape, then every element within a
 * {@link Tolerance} (integers and bools exactly). A mismatch message names what was compared (the
 * caller passes the case id and output index), the expected dtype and shape, how many elements
 * differ, the largest absolute and relative errors, the worst element and the first one.
 */
public final class Compare {
    private Compare() {}

    /** Fails (AssertionError) unless {@code actual} matches {@code expected}; a null actual fails too. */
    public static void assertClose(String what, Tensor actual, TensorData expected, Tolerance tol) {
        if (actual == null) throw new AssertionError(what + ": Sinter gives null, PyTorch " + expected.describe());
        String m = mismatch(what, TensorData.of(actual), expected, tol);
        if (m != null) throw new AssertionError(m);
    }

    /** Fails unless one number matches PyTorch's within {@code tol}. */
    public static void assertClose(String what, double actual, double expected, Tolerance tol) {
        if (!tol.allows(actual, expected)) {
            throw new AssertionError(what + ": Sinter " + actual + ", PyTorch " + expected + " (" + tol + "; abs error "
                    + Math.abs(actual - expected) + ")");
        }
    }

    /** null when dtype and shape agree, else a message. Needs no values: what a meta backend is checked with. */
    public static String metaMismatch(String what, TensorMeta actual, TensorMeta expected) {
        if (!actual.dtypeName().equals(expected.dtypeName())) {
            return what + ": dtype " + actual.dtypeName() + ", PyTorch gives " + expected.dtypeName();
        }
        if (!Arrays.equals(actual.shape(), expected.shape())) {
            return what + ": shape " + Arrays.toString(actual.shape()) + ", PyTorch gives " + Arrays.toString(expected.shape());
        }
        return null;
    }

    /** null when equal within tolerance (exactly, for integers and bools), else a message. */
    public static String mismatch(String what, TensorData actual, TensorData expected, Tolerance tol) {
        String meta = metaMismatch(what, actual.meta(), expected.meta());
        if (meta != null) return meta;
        Tolerance t = expected.isFloat() ? tol : Tolerance.EXACT;
        int n = expected.numel(), bad = 0, first = -1, worst = -1, maxAbsAt = -1, maxRelAt = -1;
        double worstExcess = 0, maxAbs = 0, maxRel = 0;
        for (int i = 0; i < n; i++) {
            double a = actual.asDouble(i), e = expected.asDouble(i);
            // Errors over all elements: a large error can be within tolerance where |expected| is large.
            double abs = a == e || (Double.isNaN(a) && Double.isNaN(e)) ? 0 : Math.abs(a - e);
            if (maxAbsAt < 0 || abs > maxAbs || Double.isNaN(abs)) { maxAbs = abs; maxAbsAt = i; }
            if (e != 0 && (maxRelAt < 0 || abs / Math.abs(e) > maxRel || Double.isNaN(abs))) { maxRel = abs / Math.abs(e); maxRelAt = i; }
            double excess = t.excess(a, e);
            if (excess == 0) continue;
            bad++;
            if (first < 0) first = i;
            if (worst < 0 || excess > worstExcess) { worstExcess = excess; worst = i; }
        }
        if (bad == 0) return null;
        StringBuilder m = new StringBuilder(what).append(' ').append(expected.describe()).append(": ")
                .append(bad).append(" of ").append(n).append(" elements differ");
        if (expected.isFloat()) m.append(" (").append(t).append(')');
        m.append("; max abs error ").append(brief(maxAbs)).append(" at ").append(index(maxAbsAt, expected));
        if (maxRelAt >= 0) m.append(", max rel error ").append(brief(maxRel)).append(" at ").append(index(maxRelAt, expected));
        m.append("; worst element ").append(element(worst, actual, expected));
        if (first != worst) m.append("; first mismatch ").append(element(first, actual, expected));
        return m.toString();
    }

    private static String brief(double error) { return String.format(Locale.ROOT, "%.3g", error); }

    private static String element(int i, TensorData actual, TensorData expected) {
        return index(i, expected) + ": Sinter " + actual.valueAt(i) + ", PyTorch " + expected.valueAt(i);
    }

    /** Like {@code [1, 2] (flat 5)}. */
    private static String index(int flat, TensorData t) {
        return Arrays.toString(unravel(flat, t.shape())) + " (flat " + flat + ")";
    }

    /** Row-major multi-index of a flat index. */
    public static int[] unravel(int flat, int[] shape) {
        int[] idx = new int[shape.length];
        for (int d = shape.length - 1; d >= 0; d--) {
            if (shape[d] == 0) return idx;
            idx[d] = flat % shape[d];
            flat /= shape[d];
        }
        return idx;
    }
}
