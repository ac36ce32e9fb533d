package org.sinter.kernels;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorOperators;

/**
 * exp on vectors built from IEEE add/mul/fma and bit operations only, so it gives the same bits in
 * the interpreter, C1 and C2. The Vector API's {@code lanewise(EXP)} is computed by SVML once C2
 * compiles a loop and by {@code Math.exp} before, which can differ in the last bit; kernels on the
 * training path (softmax) use this one so that runs repeat exactly.
 *
 * <p>Method: x = n·ln2 + r with |r| ≤ ln2/2 (Cody–Waite split of ln2), e^r by its Taylor series
 * (degree 7 for float, 13 for double, Horner with FMA), times 2^n built in the exponent bits.
 * Accuracy: within 2 ulp for float32, 4 ulp for float64; overflow gives +inf, underflow 0, NaN stays NaN.
 */
public final class VectorExp {
    private VectorExp() {}

    private static final float LOG2E_F = 1.44269504088896341f, LN2_HI_F = 0.693145751953125f, LN2_LO_F = 1.42860682030941723212e-6f;
    private static final float ROUND_F = 12582912f; // 1.5 * 2^23: adding and subtracting it rounds to an integer

    public static FloatVector exp(FloatVector x) {
        var s = x.species();
        FloatVector t = x.mul(LOG2E_F).add(ROUND_F).sub(ROUND_F);
        // t * LN2_HI is exact (LN2_HI has 16 significant bits), so r keeps full precision.
        FloatVector r = x.sub(t.mul(LN2_HI_F)).sub(t.mul(LN2_LO_F));
        FloatVector p = FloatVector.broadcast(s, 1f / 5040);
        p = p.fma(r, FloatVector.broadcast(s, 1f / 720));
        p = p.fma(r, FloatVector.broadcast(s, 1f / 120));
        p = p.fma(r, FloatVector.broadcast(s, 1f / 24));
        p = p.fma(r, FloatVector.broadcast(s, 1f / 6));
        p = p.fma(r, FloatVector.broadcast(s, 0.5f));
        p = p.fma(r, FloatVector.broadcast(s, 1f));
        p = p.fma(r, FloatVector.broadcast(s, 1f));
        // 2^n in two halves so n down to -149 (subnormals) and up to 128 scale without overflow.
        FloatVector n = t.max(-252f).min(256f);
        FloatVector half = n.mul(0.5f).add(ROUND_F).sub(ROUND_F); // an integer near n/2
        FloatVector n1 = half, n2 = n.sub(half);
        FloatVector s1 = pow2(n1), s2 = pow2(n2);
        FloatVector y = p.mul(s1).mul(s2);
        y = y.blend(FloatVector.broadcast(s, Float.POSITIVE_INFINITY), x.compare(VectorOperators.GT, 88.72284f));
        y = y.blend(FloatVector.zero(s), x.compare(VectorOperators.LT, -103.97208f));
        return y.blend(x, x.test(VectorOperators.IS_NAN));
    }

    /** 2^n for integral n in [-126, 127], from the exponent bits. */
    private static FloatVector pow2(FloatVector n) {
        IntVector bits = ((IntVector) n.max(-126f).min(127f).convert(VectorOperators.F2I, 0)).add(127).lanewise(VectorOperators.LSHL, 23);
        return bits.reinterpretAsFloats();
    }

    private static final double LOG2E_D = 1.4426950408889634, LN2_HI_D = 6.93147180369123816490e-01, LN2_LO_D = 1.90821492927058770002e-10;
    private static final double ROUND_D = 6755399441055744.0; // 1.5 * 2^52

    public static DoubleVector exp(DoubleVector x) {
        var s = x.species();
        DoubleVector t = x.mul(LOG2E_D).add(ROUND_D).sub(ROUND_D);
        DoubleVector r = x.sub(t.mul(LN2_HI_D)).sub(t.mul(LN2_LO_D));
        double[] c = {1.0 / 6227020800.0, 1.0 / 479001600.0, 1.0 / 39916800.0, 1.0 / 3628800.0, 1.0 / 362880.0, 1.0 / 40320.0,
                1.0 / 5040.0, 1.0 / 720.0, 1.0 / 120.0, 1.0 / 24.0, 1.0 / 6.0, 0.5, 1.0, 1.0};
        DoubleVector p = DoubleVector.broadcast(s, c[0]);
        for (int i = 1; i < c.length; i++) p = p.fma(r, DoubleVector.broadcast(s, c[i]));
        DoubleVector n = t.max(-2100.0).min(2100.0);
        DoubleVector half = n.mul(0.5).add(ROUND_D).sub(ROUND_D);
        DoubleVector y = p.mul(pow2(half)).mul(pow2(n.sub(half)));
        y = y.blend(DoubleVector.broadcast(s, Double.POSITIVE_INFINITY), x.compare(VectorOperators.GT, 709.782712893384));
        y = y.blend(DoubleVector.zero(s), x.compare(VectorOperators.LT, -745.1332191019412));
        return y.blend(x, x.test(VectorOperators.IS_NAN));
    }

    private static DoubleVector pow2(DoubleVector n) {
        LongVector bits = ((LongVector) n.max(-1022.0).min(1023.0).convert(VectorOperators.D2L, 0)).add(1023).lanewise(VectorOperators.LSHL, 52);
        return bits.reinterpretAsDoubles();
    }
}
