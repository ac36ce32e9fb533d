package org.sinter.kernels;

import static jdk.incubator.vector.VectorOperators.*;

import java.util.Arrays;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Logical and/or/xor/not over bool arrays stored as bytes. Any nonzero byte counts as true; the
 * result is always 0 or 1. Strides 0 and 1 run SIMD (a broadcast left operand is swapped right,
 * since all three functions are symmetric); other strides run scalar.
 */
public final class LogicalKernels {
    private LogicalKernels() {}

    private static final VectorSpecies<Byte> BS = ByteVector.SPECIES_PREFERRED;
    private static final int BL = BS.length();
    private static final int OP_AND = 0, OP_OR = 1, OP_XOR = 2;

    public static void and(byte[] a, int aOff, int aStride, byte[] b, int bOff, int bStride, byte[] y, int yOff, int n) {
        binary(OP_AND, a, aOff, aStride, b, bOff, bStride, y, yOff, n);
    }

    public static void or(byte[] a, int aOff, int aStride, byte[] b, int bOff, int bStride, byte[] y, int yOff, int n) {
        binary(OP_OR, a, aOff, aStride, b, bOff, bStride, y, yOff, n);
    }

    public static void xor(byte[] a, int aOff, int aStride, byte[] b, int bOff, int bStride, byte[] y, int yOff, int n) {
        binary(OP_XOR, a, aOff, aStride, b, bOff, bStride, y, yOff, n);
    }

    public static void not(byte[] x, int xOff, int xStride, byte[] y, int yOff, int n) {
        Checks.strided("LogicalKernels", "not", "x", x.length, xOff, xStride, n);
        Checks.contiguous("LogicalKernels", "not", "y", y.length, yOff, n);
        if (n == 0) return;
        if (xStride == 0) {
            Arrays.fill(y, yOff, yOff + n, (byte) (x[xOff] == 0 ? 1 : 0));
            return;
        }
        int i = 0;
        if (xStride == 1) {
            for (int ub = BS.loopBound(n); i < ub; i += BL) {
                bool(ByteVector.fromArray(BS, x, xOff + i)).lanewise(XOR, (byte) 1).intoArray(y, yOff + i);
            }
        }
        for (; i < n; i++) y[yOff + i] = (byte) (x[xOff + i * xStride] == 0 ? 1 : 0);
    }

    /** Nonzero to 1: the unsigned minimum with 1. */
    private static ByteVector bool(ByteVector v) {
        return v.lanewise(UMIN, (byte) 1);
    }

    private static void binary(int op, byte[] a, int aOff, int aStride, byte[] b, int bOff, int bStride, byte[] y, int yOff, int n) {
        String name = op == OP_AND ? "and" : op == OP_OR ? "or" : "xor";
        Checks.strided("LogicalKernels", name, "a", a.length, aOff, aStride, n);
        Checks.strided("LogicalKernels", name, "b", b.length, bOff, bStride, n);
        Checks.contiguous("LogicalKernels", name, "y", y.length, yOff, n);
        if (n == 0) return;
        if (aStride == 0 && bStride == 0) {
            Arrays.fill(y, yOff, yOff + n, scalar(op, a[aOff], b[bOff]));
            return;
        }
        if (aStride == 0) { // symmetric: keep the broadcast operand on the right
            binary(op, b, bOff, bStride, a, aOff, 0, y, yOff, n);
            return;
        }
        int i = 0;
        if (aStride == 1 && bStride == 1) {
            int ub = BS.loopBound(n);
            switch (op) {
                case OP_AND -> { for (; i < ub; i += BL) bool(ld(a, aOff + i)).and(bool(ld(b, bOff + i))).intoArray(y, yOff + i); }
                case OP_OR -> { for (; i < ub; i += BL) bool(ld(a, aOff + i).or(ld(b, bOff + i))).intoArray(y, yOff + i); }
                default -> { for (; i < ub; i += BL) bool(ld(a, aOff + i)).lanewise(XOR, bool(ld(b, bOff + i))).intoArray(y, yOff + i); }
            }
        } else if (aStride == 1 && bStride == 0) {
            int ub = BS.loopBound(n);
            boolean bv = b[bOff] != 0;
            // With a constant right operand each function is a copy, a constant or a negation of a.
            if ((op == OP_AND && !bv) || (op == OP_OR && bv)) {
                Arrays.fill(y, yOff, yOff + n, (byte) (bv ? 1 : 0));
                return;
            }
            if (op == OP_XOR && bv) {
                not(a, aOff, 1, y, yOff, n);
                return;
            }
            for (; i < ub; i += BL) bool(ld(a, aOff + i)).intoArray(y, yOff + i);
        }
        for (; i < n; i++) y[yOff + i] = scalar(op, a[aOff + i * aStride], b[bOff + i * bStride]);
    }

    private static ByteVector ld(byte[] a, int i) {
        return ByteVector.fromArray(BS, a, i);
    }

    private static byte scalar(int op, byte a, byte b) {
        boolean x = a != 0, y = b != 0;
        boolean r = op == OP_AND ? x & y : op == OP_OR ? x | y : x ^ y;
        return (byte) (r ? 1 : 0);
    }
}
