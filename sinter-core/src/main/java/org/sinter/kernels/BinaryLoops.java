package org.sinter.kernels;

import static jdk.incubator.vector.VectorOperators.*;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The SIMD loops behind {@link BinaryKernels}, one per (function, element type), for operands
 * whose strides are 0 (broadcast) or 1. A function without a loop here (null entry) runs scalar.
 * Each loop is its own lambda, reached through a megamorphic call, so that C2 compiles it alone
 * with constant Vector API operators and using a new function never deoptimizes the others.
 */
final class BinaryLoops {
    private BinaryLoops() {}

    private static final VectorSpecies<Float> FS = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Double> DS = DoubleVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Integer> IS = IntVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Long> LS = LongVector.SPECIES_PREFERRED;
    private static final int FL = FS.length(), DL = DS.length(), IL = IS.length(), LL = LS.length();


    /** Runs the leading multiple of the vector length; {@code as} and {@code bs} are 0 or 1. Returns the count done. */
    @FunctionalInterface
    interface F32 {
        int run(float[] a, int ao, int as, float[] b, int bo, int bs, float[] y, int yo, int n);
    }


    /** Runs the leading multiple of the vector length; {@code as} and {@code bs} are 0 or 1. Returns the count done. */
    @FunctionalInterface
    interface F64 {
        int run(double[] a, int ao, int as, double[] b, int bo, int bs, double[] y, int yo, int n);
    }


    /** Runs the leading multiple of the vector length; {@code as} and {@code bs} are 0 or 1. Returns the count done. */
    @FunctionalInterface
    interface I32 {
        int run(int[] a, int ao, int as, int[] b, int bo, int bs, int[] y, int yo, int n);
    }


    /** Runs the leading multiple of the vector length; {@code as} and {@code bs} are 0 or 1. Returns the count done. */
    @FunctionalInterface
    interface I64 {
        int run(long[] a, int ao, int as, long[] b, int bo, int bs, long[] y, int yo, int n);
    }


    static final F32[] F32 = new F32[BinaryFn.values().length];

    static {
        for (BinaryFn fn : BinaryFn.values()) F32[fn.ordinal()] = f32(fn);
    }

    private static F32 f32(BinaryFn fn) {
        return switch (fn) {
            case ADD -> (a, ao, as, b, bo, bs, y, yo, n) -> {
                int i = 0, ub = FS.loopBound(n);
                if (as == 0) {
                    FloatVector va = FloatVector.broadcast(FS, a[ao]);
                    for (; i < ub; i += FL) va.add(FloatVector.fromArray(FS, b, bo + i)).intoArray(y, yo + i);
                } else if (bs == 0) {
                    FloatVector vb = FloatVector.broadcast(FS, b[bo]);
                    for (; i < ub; i += FL) FloatVector.fromArray(FS, a, ao + i).add(vb).intoArray(y, yo + i);
                } else {
                    for (; i < ub; i += FL) FloatVector.fromArray(FS, a, ao + i).add(FloatVector.fromArray(FS, b, bo + i)).intoArray(y, yo + i);
                }
                return i;
            };
            case SUB -> (a, ao, as, b, bo, bs, y, yo, n) -> {
                int i = 0, ub = FS.loopBound(n);
                if (as == 0) {
                    FloatVector va = FloatVector.broadcast(FS, a[ao]);
                    for (; i < ub; i += FL) va.sub(FloatVector.fromArray(FS, b, bo + i)).intoArray(y, yo + i);
                } else if (bs == 0) {
                    FloatVector vb = FloatVector.broadcast(FS, b[bo]);
                    for (; i < ub; i += FL) FloatVector.fromArray(FS, a, ao + i).sub(vb).intoArray(y, yo + i);
                } else {
                    for (; i < ub; i += FL) FloatVector.fromArray(FS, a, ao + i).sub(FloatVector.fromArray(FS, b, bo + i)).intoArray(y, yo + i);
                }
                return i;
            };
            case MUL -> (a, ao, as, b, bo, bs, y, yo, n) -> {
                int i = 0, ub = FS.loopBound(n);
                if (as == 0) {
                    FloatVector va = FloatVector.broadcast(FS, a[ao]);
                    for (; i < ub; i += FL) va.mul(FloatVector.fromArray(FS, b, bo + i)).intoArray(y, yo + i);
                } else if (bs == 0) {
                    FloatVector vb = FloatVector.broadcast(FS, b[bo]);
                    for (; i < ub; i += FL) FloatVector.fromArray(FS, a, ao + i).mul(vb).intoArray(y, yo + i);
                } else {
                    for (; i < ub; i += FL) FloatVector.fromArray(FS, a, ao + i).mul(FloatVector.fromArray(FS, b, bo + i)).intoArray(y, yo + i);
                }
                return i;
            };
            case DIV -> (a, ao, as, b, bo, bs, y, yo, n) -> {
                int i = 0, ub = FS.loopBound(n);
                if (as == 0) {
                    FloatVector va = FloatVector.broadcast(FS, a[ao]);
                    for (; i < ub; i += FL) va.div(FloatVector.fromArray(FS, b, bo + i)).intoArray(y, yo + i);
                } else if (bs == 0) {
                    FloatVector vb = FloatVector.broadcast(FS, b[bo]);
                    for (; i < ub; i += FL) FloatVector.fromArray(FS, a, ao + i).div(vb).intoArray(y, yo + i);
                } else {
                    for (; i < ub; i += FL) FloatVector.fromArray(FS, a, ao + i).div(FloatVector.fromArray(FS, b, bo + i)).intoArray(y, yo + i);
                }
                return i;
            };
            case MAXIMUM -> (a, ao, as, b, bo, bs, y, yo, n) -> {
                int i = 0, ub = FS.loopBound(n);
                if (as == 0) {
                    FloatVector va = FloatVector.broadcast(FS, a[ao]);
                    for (; i < ub; i += FL) va.lanewise(MAX, FloatVector.fromArray(FS, b, bo + i)).intoArray(y, yo + i);
                } else if (bs == 0) {
                    FloatVector vb = FloatVector.broadcast(FS, b[bo]);
                    for (; i < ub; i += FL) FloatVector.fromArray(FS, a, ao + i).lanewise(MAX, vb).intoArray(y, yo + i);
                } else {
                    for (; i < ub; i += FL) FloatVector.fromArray(FS, a, ao + i).lanewise(MAX, FloatVector.fromArray(FS, b, bo + i)).intoArray(y, yo + i);
                }
                return i;
            };
            case MINIMUM -> (a, ao, as, b, bo, bs, y, yo, n) -> {
                int i = 0, ub = FS.loopBound(n);
                if (as == 0) {
                    FloatVector va = FloatVector.broadcast(FS, a[ao]);
                    for (; i < ub; i += FL) va.lanewise(MIN, FloatVector.fromArray(FS, b, bo + i)).intoArray(y, yo + i);
                } else if (bs == 0) {
                    FloatVector vb = FloatVector.broadcast(FS, b[bo]);
                    for (; i < ub; i += FL) FloatVector.fromArray(FS, a, ao + i).lanewise(MIN, vb).intoArray(y, yo + i);
                } else {
                    for (; i < ub; i += FL) FloatVector.fromArray(FS, a, ao + i).lanewise(MIN, FloatVector.fromArray(FS, b, bo + i)).intoArray(y, yo + i);
                }
                return i;
            };
            case ATAN2 -> (a, ao, as, b, bo, bs, y, yo, n) -> {
                int i = 0, ub = FS.loopBound(n);
                if (as == 0) {
                    FloatVector va = FloatVector.broadcast(FS, a[ao]);
                    for (; i < ub; i += FL) va.lanewise(ATAN2, FloatVector.fromArray(FS, b, bo + i)).intoArray(y, yo + i);
                } else if (bs == 0) {
                    FloatVector vb = FloatVector.broadcast(FS, b[bo]);
                    for (; i < ub; i += FL) FloatVector.fromArray(FS, a, ao + i).lanewise(ATAN2, vb).intoArray(y, yo + i);
                } else {
                    for (; i < ub; i += FL) FloatVector.fromArray(FS, a, ao + i).lanewise(ATAN2, FloatVector.fromArray(FS, b, bo + i)).intoArray(y, yo + i);
                }
                return i;
            };
            default -> null;
        };
    }

    static final F64[] F64 = new F64[BinaryFn.values().length];

    static {
        for (BinaryFn fn : BinaryFn.values()) F64[fn.ordinal()] = f64(fn);
    }

    private static F64 f64(BinaryFn fn) {
        return switch (fn) {
            case ADD -> (a, ao, as, b, bo, bs, y, yo, n) -> {
                int i = 0, ub = DS.loopBound(n);
                if (as == 0) {
                    DoubleVector va = DoubleVector.broadcast(DS, a[ao]);
                    for (; i < ub; i += DL) va.add(DoubleVector.fromArray(DS, b, bo + i)).intoArray(y, yo + i);
                } else if (bs == 0) {
                    DoubleVector vb = DoubleVector.broadcast(DS, b[bo]);
                    for (; i < ub; i += DL) DoubleVector.fromArray(DS, a, ao + i).add(vb).intoArray(y, yo + i);
                } else {
                    for (; i < ub; i += DL) DoubleVector.fromArray(DS, a, ao + i).add(DoubleVector.fromArray(DS, b, bo + i)).intoArray(y, yo + i);
                }
                return i;
            };
            case SUB -> (a, ao, as, b, bo, bs, y, yo, n) -> {
                int i = 0, ub = DS.loopBound(n);
                if (as == 0) {
                    DoubleVector va = DoubleVector.broadcast(DS, a[ao]);
                    for (; i < ub; i += DL) va.sub(DoubleVector.fromArray(DS, b, bo + i)).intoArray(y, yo + i);
                } else if (bs == 0) {
                    DoubleVector vb = DoubleVector.broadcast(DS, b[bo]);
                    for (; i < ub; i += DL) DoubleVector.fromArray(DS, a, ao + i).sub(vb).intoArray(y, yo + i);
                } else {
                    for (; i < ub; i += DL) DoubleVector.fromArray(DS, a, ao + i).sub(DoubleVector.fromArray(DS, b, bo + i)).intoArray(y, yo + i);
                }
                return i;
            };
            case MUL -> (a, ao, as, b, bo, bs, y, yo, n) -> {
                int i = 0, ub = DS.loopBound(n);
                if (as == 0) {
                    DoubleVector va = DoubleVector.broadcast(DS, a[ao]);
                    for (; i < ub; i += DL) va.mul(DoubleVector.fromArray(DS, b, bo + i)).intoArray(y, yo + i);
                } else if (bs == 0) {
                    DoubleVector vb = DoubleVector.broadcast(DS, b[bo]);
                    for (; i < ub; i += DL) DoubleVector.fromArray(DS, a, ao + i).mul(vb).intoArray(y, yo + i);
                } else {
                    for (; i < ub; i += DL) DoubleVector.fromArray(DS, a, ao + i).mul(DoubleVector.fromArray(DS, b, bo + i)).intoArray(y, yo + i);
                }
                return i;
            };
            case DIV -> (a, ao, as, b, bo, bs, y, yo, n) -> {
                int i = 0, ub = DS.loopBound(n);
                if (as == 0) {
                    DoubleVector va = DoubleVector.broadcast(DS, a[ao]);
                    for (; i < ub; i += DL) va.div(DoubleVector.fromArray(DS, b, bo + i)).intoArray(y, yo + i);
                } else if (bs == 0) {
                    DoubleVector vb = DoubleVector.broadcast(DS, b[bo]);
                    for (; i < ub; i += DL) DoubleVector.fromArray(DS, a, ao + i).div(vb).intoArray(y, yo + i);
                } else {
                    for (; i < ub; i += DL) DoubleVector.fromArray(DS, a, ao + i).div(DoubleVector.fromArray(DS, b, bo + i)).intoArray(y, yo + i);
                }
                return i;
            };
            case MAXIMUM -> (a, ao, as, b, bo, bs, y, yo, n) -> {
                int i = 0, ub = DS.loopBound(n);
                if (as == 0) {
                    DoubleVector va = DoubleVector.broadcast(DS, a[ao]);
                    for (; i < ub; i += DL) va.lanewise(MAX, DoubleVector.fromArray(DS, b, bo + i)).intoArray(y, yo + i);
                } else if (bs == 0) {
                    DoubleVector vb = DoubleVector.broadcast(DS, b[bo]);
                    for (; i < ub; i += DL) DoubleVector.fromArray(DS, a, ao + i).lanewise(MAX, vb).intoArray(y, yo + i);
                } else {
                    for (; i < ub; i += DL) DoubleVector.fromArray(DS, a, ao + i).lanewise(MAX, DoubleVector.fromArray(DS, b, bo + i)).intoArray(y, yo + i);
                }
                return i;
            };
            case MINIMUM -> (a, ao, as, b, bo, bs, y, yo, n) -> {
                int i = 0, ub = DS.loopBound(n);
                if (as == 0) {
                    DoubleVector va = DoubleVector.broadcast(DS, a[ao]);
                    for (; i < ub; i += DL) va.lanewise(MIN, DoubleVector.fromArray(DS, b, bo + i)).intoArray(y, yo + i);
                } else if (bs == 0) {
                    DoubleVector vb = DoubleVector.broadcast(DS, b[bo]);
                    for (; i < ub; i += DL) DoubleVector.fromArray(DS, a, ao + i).lanewise(MIN, vb).intoArray(y, yo + i);
                } else {
                    for (; i < ub; i += DL) DoubleVector.fromArray(DS, a, ao + i).lanewise(MIN, DoubleVector.fromArray(DS, b, bo + i)).intoArray(y, yo + i);
                }
                return i;
            };
            case ATAN2 -> (a, ao, as, b, bo, bs, y, yo, n) -> {
                int i = 0, ub = DS.loopBound(n);
                if (as == 0) {
                    DoubleVector va = DoubleVector.broadcast(DS, a[ao]);
                    for (; i < ub; i += DL) va.lanewise(ATAN2, DoubleVector.fromArray(DS, b, bo + i)).intoArray(y, yo + i);
                } else if (bs == 0) {
                    DoubleVector vb = DoubleVector.broadcast(DS, b[bo]);
                    for (; i < ub; i += DL) DoubleVector.fromArray(DS, a, ao + i).lanewise(ATAN2, vb).intoArray(y, yo + i);
                } else {
                    for (; i < ub; i += DL) DoubleVector.fromArray(DS, a, ao + i).lanewise(ATAN2, DoubleVector.fromArray(DS, b, bo + i)).intoArray(y, yo + i);
                }
                return i;
            };
            default -> null;
        };
    }

    static final I32[] I32 = new I32[BinaryFn.values().length];

    static {
        for (BinaryFn fn : BinaryFn.values()) I32[fn.ordinal()] = i32(fn);
    }

    private static I32 i32(BinaryFn fn) {
        return switch (fn) {
            case ADD -> (a, ao, as, b, bo, bs, y, yo, n) -> {
                int i = 0, ub = IS.loopBound(n);
                if (as == 0) {
                    IntVector va = IntVector.broadcast(IS, a[ao]);
                    for (; i < ub; i += IL) va.add(IntVector.fromArray(IS, b, bo + i)).intoArray(y, yo + i);
                } else if (bs == 0) {
                    IntVector vb = IntVector.broadcast(IS, b[bo]);
                    for (; i < ub; i += IL) IntVector.fromArray(IS, a, ao + i).add(vb).intoArray(y, yo + i);
                } else {
                    for (; i < ub; i += IL) IntVector.fromArray(IS, a, ao + i).add(IntVector.fromArray(IS, b, bo + i)).intoArray(y, yo + i);
                }
                return i;
            };
            case SUB -> (a, ao, as, b, bo, bs, y, yo, n) -> {
                int i = 0, ub = IS.loopBound(n);
                if (as == 0) {
                    IntVector va = IntVector.broadcast(IS, a[ao]);
                    for (; i < ub; i += IL) va.sub(IntVector.fromArray(IS, b, bo + i)).intoArray(y, yo + i);
                } else if (bs == 0) {
                    IntVector vb = IntVector.broadcast(IS, b[bo]);
                    for (; i < ub; i += IL) IntVector.fromArray(IS, a, ao + i).sub(vb).intoArray(y, yo + i);
                } else {
                    for (; i < ub; i += IL) IntVector.fromArray(IS, a, ao + i).sub(IntVector.fromArray(IS, b, bo + i)).intoArray(y, yo + i);
                }
                return i;
            };
            case MUL -> (a, ao, as, b, bo, bs, y, yo, n) -> {
                int i = 0, ub = IS.loopBound(n);
                if (as == 0) {
                    IntVector va = IntVector.broadcast(IS, a[ao]);
                    for (; i < ub; i += IL) va.mul(IntVector.fromArray(IS, b, bo + i)).intoArray(y, yo + i);
                } else if (bs == 0) {
                    IntVector vb = IntVector.broadcast(IS, b[bo]);
                    for (; i < ub; i += IL) IntVector.fromArray(IS, a, ao + i).mul(vb).intoArray(y, yo + i);
                } else {
                    for (; i < ub; i += IL) IntVector.fromArray(IS, a, ao + i).mul(IntVector.fromArray(IS, b, bo + i)).intoArray(y, yo + i);
                }
                return i;
            };
            case MAXIMUM -> (a, ao, as, b, bo, bs, y, yo, n) -> {
                int i = 0, ub = IS.loopBound(n);
                if (as == 0) {
                    IntVector va = IntVector.broadcast(IS, a[ao]);
                    for (; i < ub; i += IL) va.lanewise(MAX, IntVector.fromArray(IS, b, bo + i)).intoArray(y, yo + i);
                } else if (bs == 0) {
                    IntVector vb = IntVector.broadcast(IS, b[bo]);
                    for (; i < ub; i += IL) IntVector.fromArray(IS, a, ao + i).lanewise(MAX, vb).intoArray(y, yo + i);
                } else {
                    for (; i < ub; i += IL) IntVector.fromArray(IS, a, ao + i).lanewise(MAX, IntVector.fromArray(IS, b, bo + i)).intoArray(y, yo + i);
                }
                return i;
            };
            case MINIMUM -> (a, ao, as, b, bo, bs, y, yo, n) -> {
                int i = 0, ub = IS.loopBound(n);
                if (as == 0) {
                    IntVector va = IntVector.broadcast(IS, a[ao]);
                    for (; i < ub; i += IL) va.lanewise(MIN, IntVector.fromArray(IS, b, bo + i)).intoArray(y, yo + i);
                } else if (bs == 0) {
                    IntVector vb = IntVector.broadcast(IS, b[bo]);
                    for (; i < ub; i += IL) IntVector.fromArray(IS, a, ao + i).lanewise(MIN, vb).intoArray(y, yo + i);
                } else {
                    for (; i < ub; i += IL) IntVector.fromArray(IS, a, ao + i).lanewise(MIN, IntVector.fromArray(IS, b, bo + i)).intoArray(y, yo + i);
                }
                return i;
            };
            default -> null;
        };
    }

    static final I64[] I64 = new I64[BinaryFn.values().length];

    static {
        for (BinaryFn fn : BinaryFn.values()) I64[fn.ordinal()] = i64(fn);
    }

    private static I64 i64(BinaryFn fn) {
        return switch (fn) {
            case ADD -> (a, ao, as, b, bo, bs, y, yo, n) -> {
                int i = 0, ub = LS.loopBound(n);
                if (as == 0) {
                    LongVector va = LongVector.broadcast(LS, a[ao]);
                    for (; i < ub; i += LL) va.add(LongVector.fromArray(LS, b, bo + i)).intoArray(y, yo + i);
                } else if (bs == 0) {
                    LongVector vb = LongVector.broadcast(LS, b[bo]);
                    for (; i < ub; i += LL) LongVector.fromArray(LS, a, ao + i).add(vb).intoArray(y, yo + i);
                } else {
                    for (; i < ub; i += LL) LongVector.fromArray(LS, a, ao + i).add(LongVector.fromArray(LS, b, bo + i)).intoArray(y, yo + i);
                }
                return i;
            };
            case SUB -> (a, ao, as, b, bo, bs, y, yo, n) -> {
                int i = 0, ub = LS.loopBound(n);
                if (as == 0) {
                    LongVector va = LongVector.broadcast(LS, a[ao]);
                    for (; i < ub; i += LL) va.sub(LongVector.fromArray(LS, b, bo + i)).intoArray(y, yo + i);
                } else if (bs == 0) {
                    LongVector vb = LongVector.broadcast(LS, b[bo]);
                    for (; i < ub; i += LL) LongVector.fromArray(LS, a, ao + i).sub(vb).intoArray(y, yo + i);
                } else {
                    for (; i < ub; i += LL) LongVector.fromArray(LS, a, ao + i).sub(LongVector.fromArray(LS, b, bo + i)).intoArray(y, yo + i);
                }
                return i;
            };
            case MUL -> (a, ao, as, b, bo, bs, y, yo, n) -> {
                int i = 0, ub = LS.loopBound(n);
                if (as == 0) {
                    LongVector va = LongVector.broadcast(LS, a[ao]);
                    for (; i < ub; i += LL) va.mul(LongVector.fromArray(LS, b, bo + i)).intoArray(y, yo + i);
                } else if (bs == 0) {
                    LongVector vb = LongVector.broadcast(LS, b[bo]);
                    for (; i < ub; i += LL) LongVector.fromArray(LS, a, ao + i).mul(vb).intoArray(y, yo + i);
                } else {
                    for (; i < ub; i += LL) LongVector.fromArray(LS, a, ao + i).mul(LongVector.fromArray(LS, b, bo + i)).intoArray(y, yo + i);
                }
                return i;
            };
            case MAXIMUM -> (a, ao, as, b, bo, bs, y, yo, n) -> {
                int i = 0, ub = LS.loopBound(n);
                if (as == 0) {
                    LongVector va = LongVector.broadcast(LS, a[ao]);
                    for (; i < ub; i += LL) va.lanewise(MAX, LongVector.fromArray(LS, b, bo + i)).intoArray(y, yo + i);
                } else if (bs == 0) {
                    LongVector vb = LongVector.broadcast(LS, b[bo]);
                    for (; i < ub; i += LL) LongVector.fromArray(LS, a, ao + i).lanewise(MAX, vb).intoArray(y, yo + i);
                } else {
                    for (; i < ub; i += LL) LongVector.fromArray(LS, a, ao + i).lanewise(MAX, LongVector.fromArray(LS, b, bo + i)).intoArray(y, yo + i);
                }
                return i;
            };
            case MINIMUM -> (a, ao, as, b, bo, bs, y, yo, n) -> {
                int i = 0, ub = LS.loopBound(n);
                if (as == 0) {
                    LongVector va = LongVector.broadcast(LS, a[ao]);
                    for (; i < ub; i += LL) va.lanewise(MIN, LongVector.fromArray(LS, b, bo + i)).intoArray(y, yo + i);
                } else if (bs == 0) {
                    LongVector vb = LongVector.broadcast(LS, b[bo]);
                    for (; i < ub; i += LL) LongVector.fromArray(LS, a, ao + i).lanewise(MIN, vb).intoArray(y, yo + i);
                } else {
                    for (; i < ub; i += LL) LongVector.fromArray(LS, a, ao + i).lanewise(MIN, LongVector.fromArray(LS, b, bo + i)).intoArray(y, yo + i);
                }
                return i;
            };
            default -> null;
        };
    }
}
