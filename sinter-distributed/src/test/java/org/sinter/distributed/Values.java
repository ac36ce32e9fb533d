package org.sinter.distributed;

import org.sinter.DType;
import org.sinter.Tensor;

/**
 * Inputs of the collective tests and their single-process reference. Floating inputs are
 * multiples of 1/8 in [-1, 1.75], so sums over up to 8 ranks are exact in every float dtype and
 * the reference does not depend on the order of reduction; integers lie in [-2, 2].
 */
final class Values {
    private Values() {}

    static final DType[] ALL = DType.values();

    static double value(DType dt, int rank, long i) {
        return switch (dt.kind()) {
            case FLOATING -> Math.floorMod(rank * 31L + i * 17, 23) / 8.0 - 1.0;
            case INTEGER -> Math.floorMod(rank * 7L + i * 3, 5) - 2;
            case BOOL -> (rank + i) % 3 == 0 ? 1 : 0;
        };
    }

    static Tensor tensor(DType dt, int rank, int n, long salt) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) v[i] = value(dt, rank, i + salt);
        return of(dt, v);
    }

    static Tensor of(DType dt, double[] v) {
        if (dt == DType.BOOL) {
            boolean[] b = new boolean[v.length];
            for (int i = 0; i < v.length; i++) b[i] = v[i] != 0;
            return Tensor.of(b, v.length);
        }
        return Tensor.of(v, v.length).to(dt);
    }

    static double[] doubles(Tensor t) {
        return t.to(DType.FLOAT64).toDoubleArray();
    }

    /** The reduction of ranks 0..world-1's values at element i, as one process computes it. */
    static double reference(DType dt, ReduceOp op, int world, long i) {
        double acc = value(dt, 0, i);
        for (int r = 1; r < world; r++) {
            double x = value(dt, r, i);
            acc = switch (op) {
                case SUM, AVG -> dt == DType.BOOL ? Math.max(acc, x) : acc + x;
                case PRODUCT -> dt == DType.BOOL ? Math.min(acc, x) : acc * x;
                case MIN -> Math.min(acc, x);
                case MAX -> Math.max(acc, x);
            };
        }
        if (op == ReduceOp.AVG && dt != DType.BOOL) {
            acc = dt.isIntegral() ? (double) ((long) acc / world) : acc / world;
        }
        return acc;
    }

    static double tolerance(DType dt) {
        return switch (dt) {
            case FLOAT16 -> 2e-3;
            case BFLOAT16 -> 1.6e-2;
            case FLOAT32 -> 2e-7;
            default -> 1e-15;
        };
    }

    static void assertClose(String what, DType dt, double expected, double actual) {
        double tol = tolerance(dt) * Math.max(1, Math.abs(expected));
        if (!(Math.abs(expected - actual) <= tol)) {
            throw new AssertionError(what + ": expected " + expected + " but got " + actual + " (" + dt + ")");
        }
    }
}
