package org.sinter.kernels;

import static jdk.incubator.vector.VectorOperators.*;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Elementwise comparisons writing 1 or 0 bytes: {@code y[yOff + i] = a[aOff + i*aStride] OP b[bOff + i*bStride]}.
 * NaN compares as in IEEE (and Java): every comparison with NaN is false except NE. {@code u8}
 * compares unsigned bytes (bool and uint8 tensors). Strides 0 and 1 run SIMD (a broadcast left
 * operand is swapped to the right with the comparison mirrored); other strides run scalar.
 */
public final class CompareKernels {
    private CompareKernels() {}

    private static final VectorSpecies<Float> FS = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Double> DS = DoubleVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Integer> IS = IntVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Long> LS = LongVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Byte> BS = ByteVector.SPECIES_PREFERRED;
    private static final int FL = FS.length(), DL = DS.length(), IL = IS.length(), LL = LS.length(), BL = BS.length();

    private static final VarHandle LONG_LE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INT_LE = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    /** Byte j of SPREAD[k] is bit j of k: turns a mask's lane bits into eight 0/1 bytes at once. */
    private static final long[] SPREAD = new long[256];

    static {
        for (int k = 0; k < 256; k++) {
            for (int j = 0; j < 8; j++) SPREAD[k] |= (long) ((k >>> j) & 1) << (8 * j);
        }
    }

    /** Writes the low {@code lanes} bits of a mask as 0/1 bytes ({@code lanes} is a constant at each call). */
    private static void storeBits(byte[] y, int off, long bits, int lanes) {
        if (lanes >= 8) {
            for (int j = 0; j < lanes; j += 8) LONG_LE.set(y, off + j, SPREAD[(int) (bits >>> j) & 0xff]);
        } else if (lanes == 4) {
            INT_LE.set(y, off, (int) SPREAD[(int) bits & 0xf]);
        } else {
            for (int j = 0; j < lanes; j++) y[off + j] = (byte) ((bits >>> j) & 1);
        }
    }

    /** The comparison with its operands swapped: a OP b == b mirror(OP) a. */
    private static CompareFn mirror(CompareFn fn) {
        return switch (fn) {
            case LT -> CompareFn.GT;
            case LE -> CompareFn.GE;
            case GT -> CompareFn.LT;
            case GE -> CompareFn.LE;
            default -> fn;
        };
    }


    public static void f32(CompareFn fn, float[] a, int aOff, int aStride, float[] b, int bOff, int bStride,
                           byte[] y, int yOff, int n) {
        Checks.strided("CompareKernels.f32", fn, "a", a.length, aOff, aStride, n);
        Checks.strided("CompareKernels.f32", fn, "b", b.length, bOff, bStride, n);
        Checks.contiguous("CompareKernels.f32", fn, "y", y.length, yOff, n);
        if (n == 0) return;
        if (aStride == 0 && bStride == 0) {
            Arrays.fill(y, yOff, yOff + n, scalar(fn, a[aOff], b[bOff]));
        } else if (aStride == 0) {
            f32(mirror(fn), b, bOff, bStride, a, aOff, 0, y, yOff, n);
        } else if (Checks.parallel(n)) {
            Parallel.forRange(n, Checks.GRAIN, (s, e) ->
                    f32Serial(fn, a, aOff + s * aStride, aStride, b, bOff + s * bStride, bStride, y, yOff + s, e - s));
        } else {
            f32Serial(fn, a, aOff, aStride, b, bOff, bStride, y, yOff, n);
        }
    }

    private static void f32Serial(CompareFn fn, float[] a, int ao, int as, float[] b, int bo, int bs, byte[] y, int yo, int n) {
        int i = as == 1 && (bs == 0 || bs == 1) ? f32Loop(fn, a, ao, b, bo, bs, y, yo, n) : 0;
        for (; i < n; i++) y[yo + i] = scalar(fn, a[ao + i * as], b[bo + i * bs]);
    }

    public static void f64(CompareFn fn, double[] a, int aOff, int aStride, double[] b, int bOff, int bStride,
                           byte[] y, int yOff, int n) {
        Checks.strided("CompareKernels.f64", fn, "a", a.length, aOff, aStride, n);
        Checks.strided("CompareKernels.f64", fn, "b", b.length, bOff, bStride, n);
        Checks.contiguous("CompareKernels.f64", fn, "y", y.length, yOff, n);
        if (n == 0) return;
        if (aStride == 0 && bStride == 0) {
            Arrays.fill(y, yOff, yOff + n, scalar(fn, a[aOff], b[bOff]));
        } else if (aStride == 0) {
            f64(mirror(fn), b, bOff, bStride, a, aOff, 0, y, yOff, n);
        } else if (Checks.parallel(n)) {
            Parallel.forRange(n, Checks.GRAIN, (s, e) ->
                    f64Serial(fn, a, aOff + s * aStride, aStride, b, bOff + s * bStride, bStride, y, yOff + s, e - s));
        } else {
            f64Serial(fn, a, aOff, aStride, b, bOff, bStride, y, yOff, n);
        }
    }

    private static void f64Serial(CompareFn fn, double[] a, int ao, int as, double[] b, int bo, int bs, byte[] y, int yo, int n) {
        int i = as == 1 && (bs == 0 || bs == 1) ? f64Loop(fn, a, ao, b, bo, bs, y, yo, n) : 0;
        for (; i < n; i++) y[yo + i] = scalar(fn, a[ao + i * as], b[bo + i * bs]);
    }

    public static void i32(CompareFn fn, int[] a, int aOff, int aStride, int[] b, int bOff, int bStride,
                           byte[] y, int yOff, int n) {
        Checks.strided("CompareKernels.i32", fn, "a", a.length, aOff, aStride, n);
        Checks.strided("CompareKernels.i32", fn, "b", b.length, bOff, bStride, n);
        Checks.contiguous("CompareKernels.i32", fn, "y", y.length, yOff, n);
        if (n == 0) return;
        if (aStride == 0 && bStride == 0) {
            Arrays.fill(y, yOff, yOff + n, scalar(fn, a[aOff], b[bOff]));
        } else if (aStride == 0) {
            i32(mirror(fn), b, bOff, bStride, a, aOff, 0, y, yOff, n);
        } else if (Checks.parallel(n)) {
            Parallel.forRange(n, Checks.GRAIN, (s, e) ->
                    i32Serial(fn, a, aOff + s * aStride, aStride, b, bOff + s * bStride, bStride, y, yOff + s, e - s));
        } else {
            i32Serial(fn, a, aOff, aStride, b, bOff, bStride, y, yOff, n);
        }
    }

    private static void i32Serial(CompareFn fn, int[] a, int ao, int as, int[] b, int bo, int bs, byte[] y, int yo, int n) {
        int i = as == 1 && (bs == 0 || bs == 1) ? i32Loop(fn, a, ao, b, bo, bs, y, yo, n) : 0;
        for (; i < n; i++) y[yo + i] = scalar(fn, a[ao + i * as], b[bo + i * bs]);
    }

    public static void i64(CompareFn fn, long[] a, int aOff, int aStride, long[] b, int bOff, int bStride,
                           byte[] y, int yOff, int n) {
        Checks.strided("CompareKernels.i64", fn, "a", a.length, aOff, aStride, n);
        Checks.strided("CompareKernels.i64", fn, "b", b.length, bOff, bStride, n);
        Checks.contiguous("CompareKernels.i64", fn, "y", y.length, yOff, n);
        if (n == 0) return;
        if (aStride == 0 && bStride == 0) {
            Arrays.fill(y, yOff, yOff + n, scalar(fn, a[aOff], b[bOff]));
        } else if (aStride == 0) {
            i64(mirror(fn), b, bOff, bStride, a, aOff, 0, y, yOff, n);
        } else if (Checks.parallel(n)) {
            Parallel.forRange(n, Checks.GRAIN, (s, e) ->
                    i64Serial(fn, a, aOff + s * aStride, aStride, b, bOff + s * bStride, bStride, y, yOff + s, e - s));
        } else {
            i64Serial(fn, a, aOff, aStride, b, bOff, bStride, y, yOff, n);
        }
    }

    private static void i64Serial(CompareFn fn, long[] a, int ao, int as, long[] b, int bo, int bs, byte[] y, int yo, int n) {
        int i = as == 1 && (bs == 0 || bs == 1) ? i64Loop(fn, a, ao, b, bo, bs, y, yo, n) : 0;
        for (; i < n; i++) y[yo + i] = scalar(fn, a[ao + i * as], b[bo + i * bs]);
    }

    public static void u8(CompareFn fn, byte[] a, int aOff, int aStride, byte[] b, int bOff, int bStride,
                           byte[] y, int yOff, int n) {
        Checks.strided("CompareKernels.u8", fn, "a", a.length, aOff, aStride, n);
        Checks.strided("CompareKernels.u8", fn, "b", b.length, bOff, bStride, n);
        Checks.contiguous("CompareKernels.u8", fn, "y", y.length, yOff, n);
        if (n == 0) return;
        if (aStride == 0 && bStride == 0) {
            Arrays.fill(y, yOff, yOff + n, scalar(fn, a[aOff], b[bOff]));
        } else if (aStride == 0) {
            u8(mirror(fn), b, bOff, bStride, a, aOff, 0, y, yOff, n);
        } else if (Checks.parallel(n)) {
            Parallel.forRange(n, Checks.GRAIN, (s, e) ->
                    u8Serial(fn, a, aOff + s * aStride, aStride, b, bOff + s * bStride, bStride, y, yOff + s, e - s));
        } else {
            u8Serial(fn, a, aOff, aStride, b, bOff, bStride, y, yOff, n);
        }
    }

    private static void u8Serial(CompareFn fn, byte[] a, int ao, int as, byte[] b, int bo, int bs, byte[] y, int yo, int n) {
        int i = as == 1 && (bs == 0 || bs == 1) ? u8Loop(fn, a, ao, b, bo, bs, y, yo, n) : 0;
        for (; i < n; i++) y[yo + i] = scalar(fn, a[ao + i * as], b[bo + i * bs]);
    }

    private static byte scalar(CompareFn fn, double a, double b) {
        boolean r = switch (fn) {
            case EQ -> a == b;
            case NE -> a != b;
            case LT -> a < b;
            case LE -> a <= b;
            case GT -> a > b;
            case GE -> a >= b;
        };
        return (byte) (r ? 1 : 0);
    }

    private static byte scalar(CompareFn fn, long a, long b) {
        boolean r = switch (fn) {
            case EQ -> a == b;
            case NE -> a != b;
            case LT -> a < b;
            case LE -> a <= b;
            case GT -> a > b;
            case GE -> a >= b;
        };
        return (byte) (r ? 1 : 0);
    }

    private static byte scalar(CompareFn fn, float a, float b) {
        return scalar(fn, (double) a, (double) b);
    }

    private static byte scalar(CompareFn fn, int a, int b) {
        return scalar(fn, (long) a, (long) b);
    }

    private static byte scalar(CompareFn fn, byte a, byte b) {
        return scalar(fn, (long) Byte.toUnsignedInt(a), (long) Byte.toUnsignedInt(b));
    }


    /**
     * SIMD loop over a contiguous left operand and a right operand of stride {@code bs} (0 or 1);
     * returns how many leading elements it did. The switch sits inside the loop but each branch
     * yields the mask's lane bits as a long, so every operator is a constant and no vector merges.
     */
    private static int f32Loop(CompareFn fn, float[] a, int ao, float[] b, int bo, int bs, byte[] y, int yo, int n) {
        int i = 0, ub = FS.loopBound(n);
        if (bs == 0) {
            FloatVector vb = FloatVector.broadcast(FS, b[bo]);
            for (; i < ub; i += FL) {
                FloatVector va = FloatVector.fromArray(FS, a, ao + i);
                long m = switch (fn) {
                    case EQ -> va.compare(EQ, vb).toLong();
                    case NE -> va.compare(NE, vb).toLong();
                    case LT -> va.compare(LT, vb).toLong();
                    case LE -> va.compare(LE, vb).toLong();
                    case GT -> va.compare(GT, vb).toLong();
                    case GE -> va.compare(GE, vb).toLong();
                };
                storeBits(y, yo + i, m, FL);
            }
        } else {
            for (; i < ub; i += FL) {
                FloatVector va = FloatVector.fromArray(FS, a, ao + i);
                FloatVector vb = FloatVector.fromArray(FS, b, bo + i);
                long m = switch (fn) {
                    case EQ -> va.compare(EQ, vb).toLong();
                    case NE -> va.compare(NE, vb).toLong();
                    case LT -> va.compare(LT, vb).toLong();
                    case LE -> va.compare(LE, vb).toLong();
                    case GT -> va.compare(GT, vb).toLong();
                    case GE -> va.compare(GE, vb).toLong();
                };
                storeBits(y, yo + i, m, FL);
            }
        }
        return i;
    }

    /**
     * SIMD loop over a contiguous left operand and a right operand of stride {@code bs} (0 or 1);
     * returns how many leading elements it did. The switch sits inside the loop but each branch
     * yields the mask's lane bits as a long, so every operator is a constant and no vector merges.
     */
    private static int f64Loop(CompareFn fn, double[] a, int ao, double[] b, int bo, int bs, byte[] y, int yo, int n) {
        int i = 0, ub = DS.loopBound(n);
        if (bs == 0) {
            DoubleVector vb = DoubleVector.broadcast(DS, b[bo]);
            for (; i < ub; i += DL) {
                DoubleVector va = DoubleVector.fromArray(DS, a, ao + i);
                long m = switch (fn) {
                    case EQ -> va.compare(EQ, vb).toLong();
                    case NE -> va.compare(NE, vb).toLong();
                    case LT -> va.compare(LT, vb).toLong();
                    case LE -> va.compare(LE, vb).toLong();
                    case GT -> va.compare(GT, vb).toLong();
                    case GE -> va.compare(GE, vb).toLong();
                };
                storeBits(y, yo + i, m, DL);
            }
        } else {
            for (; i < ub; i += DL) {
                DoubleVector va = DoubleVector.fromArray(DS, a, ao + i);
                DoubleVector vb = DoubleVector.fromArray(DS, b, bo + i);
                long m = switch (fn) {
                    case EQ -> va.compare(EQ, vb).toLong();
                    case NE -> va.compare(NE, vb).toLong();
                    case LT -> va.compare(LT, vb).toLong();
                    case LE -> va.compare(LE, vb).toLong();
                    case GT -> va.compare(GT, vb).toLong();
                    case GE -> va.compare(GE, vb).toLong();
                };
                storeBits(y, yo + i, m, DL);
            }
        }
        return i;
    }

    /**
     * SIMD loop over a contiguous left operand and a right operand of stride {@code bs} (0 or 1);
     * returns how many leading elements it did. The switch sits inside the loop but each branch
     * yields the mask's lane bits as a long, so every operator is a constant and no vector merges.
     */
    private static int i32Loop(CompareFn fn, int[] a, int ao, int[] b, int bo, int bs, byte[] y, int yo, int n) {
        int i = 0, ub = IS.loopBound(n);
        if (bs == 0) {
            IntVector vb = IntVector.broadcast(IS, b[bo]);
            for (; i < ub; i += IL) {
                IntVector va = IntVector.fromArray(IS, a, ao + i);
                long m = switch (fn) {
                    case EQ -> va.compare(EQ, vb).toLong();
                    case NE -> va.compare(NE, vb).toLong();
                    case LT -> va.compare(LT, vb).toLong();
                    case LE -> va.compare(LE, vb).toLong();
                    case GT -> va.compare(GT, vb).toLong();
                    case GE -> va.compare(GE, vb).toLong();
                };
                storeBits(y, yo + i, m, IL);
            }
        } else {
            for (; i < ub; i += IL) {
                IntVector va = IntVector.fromArray(IS, a, ao + i);
                IntVector vb = IntVector.fromArray(IS, b, bo + i);
                long m = switch (fn) {
                    case EQ -> va.compare(EQ, vb).toLong();
                    case NE -> va.compare(NE, vb).toLong();
                    case LT -> va.compare(LT, vb).toLong();
                    case LE -> va.compare(LE, vb).toLong();
                    case GT -> va.compare(GT, vb).toLong();
                    case GE -> va.compare(GE, vb).toLong();
                };
                storeBits(y, yo + i, m, IL);
            }
        }
        return i;
    }

    /**
     * SIMD loop over a contiguous left operand and a right operand of stride {@code bs} (0 or 1);
     * returns how many leading elements it did. The switch sits inside the loop but each branch
     * yields the mask's lane bits as a long, so every operator is a constant and no vector merges.
     */
    private static int i64Loop(CompareFn fn, long[] a, int ao, long[] b, int bo, int bs, byte[] y, int yo, int n) {
        int i = 0, ub = LS.loopBound(n);
        if (bs == 0) {
            LongVector vb = LongVector.broadcast(LS, b[bo]);
            for (; i < ub; i += LL) {
                LongVector va = LongVector.fromArray(LS, a, ao + i);
                long m = switch (fn) {
                    case EQ -> va.compare(EQ, vb).toLong();
                    case NE -> va.compare(NE, vb).toLong();
                    case LT -> va.compare(LT, vb).toLong();
                    case LE -> va.compare(LE, vb).toLong();
                    case GT -> va.compare(GT, vb).toLong();
                    case GE -> va.compare(GE, vb).toLong();
                };
                storeBits(y, yo + i, m, LL);
            }
        } else {
            for (; i < ub; i += LL) {
                LongVector va = LongVector.fromArray(LS, a, ao + i);
                LongVector vb = LongVector.fromArray(LS, b, bo + i);
                long m = switch (fn) {
                    case EQ -> va.compare(EQ, vb).toLong();
                    case NE -> va.compare(NE, vb).toLong();
                    case LT -> va.compare(LT, vb).toLong();
                    case LE -> va.compare(LE, vb).toLong();
                    case GT -> va.compare(GT, vb).toLong();
                    case GE -> va.compare(GE, vb).toLong();
                };
                storeBits(y, yo + i, m, LL);
            }
        }
        return i;
    }

    /**
     * SIMD loop over a contiguous left operand and a right operand of stride {@code bs} (0 or 1);
     * returns how many leading elements it did. The switch sits inside the loop but each branch
     * yields the mask's lane bits as a long, so every operator is a constant and no vector merges.
     */
    private static int u8Loop(CompareFn fn, byte[] a, int ao, byte[] b, int bo, int bs, byte[] y, int yo, int n) {
        int i = 0, ub = BS.loopBound(n);
        if (bs == 0) {
            ByteVector vb = ByteVector.broadcast(BS, b[bo]);
            for (; i < ub; i += BL) {
                ByteVector va = ByteVector.fromArray(BS, a, ao + i);
                long m = switch (fn) {
                    case EQ -> va.compare(EQ, vb).toLong();
                    case NE -> va.compare(NE, vb).toLong();
                    case LT -> va.compare(ULT, vb).toLong();
                    case LE -> va.compare(ULE, vb).toLong();
                    case GT -> va.compare(UGT, vb).toLong();
                    case GE -> va.compare(UGE, vb).toLong();
                };
                storeBits(y, yo + i, m, BL);
            }
        } else {
            for (; i < ub; i += BL) {
                ByteVector va = ByteVector.fromArray(BS, a, ao + i);
                ByteVector vb = ByteVector.fromArray(BS, b, bo + i);
                long m = switch (fn) {
                    case EQ -> va.compare(EQ, vb).toLong();
                    case NE -> va.compare(NE, vb).toLong();
                    case LT -> va.compare(ULT, vb).toLong();
                    case LE -> va.compare(ULE, vb).toLong();
                    case GT -> va.compare(UGT, vb).toLong();
                    case GE -> va.compare(UGE, vb).toLong();
                };
                storeBits(y, yo + i, m, BL);
            }
        }
        return i;
    }
}
