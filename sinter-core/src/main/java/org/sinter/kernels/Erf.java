package org.sinter.kernels;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;

/**
 * The error function, which the Vector API lacks, in SIMD and scalar forms that agree.
 *
 * <p>float32: two branch-free pieces blended per lane. For |x| &lt; 1, erf(x) = x * A(x^2); for
 * 1 &lt;= |x| &lt;= 4, erf(x) = 1 - exp(-x^2) * B(|x| - 2.5), where B fits erfc(x)*exp(x^2); past 4
 * the float result is 1. A and B are least-squares-minimax polynomial fits made for Sinter
 * (degree 6 and 8); the float evaluation is within 1.5e-7 of erf everywhere.
 *
 * <p>float64: the all-positive series erf(x) = 2/sqrt(pi) * exp(-x^2) * sum 2^n x^(2n+1) / (2n+1)!!,
 * summed until a term falls below 2^-54 of the sum, and +-1 for |x| &gt;= 6. Every term is positive, so
 * the sum is accurate to a few ulp; exp(-x^2) and the sum both use the same rounded x^2, whose
 * error then cancels to first order.
 */
final class Erf {
    private Erf() {}

    // erf(x)/x as a polynomial in u = x^2 on [0, 1].
    private static final float A0 = 1.1283791065216064f, A1 = -0.3761262595653534f, A2 = 0.1128358542919159f,
            A3 = -0.026853810995817184f, A4 = 0.005188327748328447f, A5 = -0.0008010192541405559f,
            A6 = 7.853857823647559e-05f;
    // erfc(x)*exp(x^2) as a polynomial in t = x - 2.5 on [1, 4].
    private static final float B0 = 0.21080760657787323f, B1 = -0.07434218376874924f, B2 = 0.02491462603211403f,
            B3 = -0.008132250048220158f, B4 = 0.002302503911778331f, B5 = -0.0006611228454858065f,
            B6 = 0.0005433166516013443f, B7 = 0.00022506105597130954f, B8 = 0.00010684288281481713f;

    static float erf(float x) {
        float a = Math.abs(x);
        float r;
        if (a < 1f) {
            float u = a * a;
            float p = Math.fma(Math.fma(Math.fma(Math.fma(Math.fma(Math.fma(A6, u, A5), u, A4), u, A3), u, A2), u, A1), u, A0);
            r = a * p;
        } else {
            float c = Math.min(a, 4f);
            float t = c - 2.5f;
            float q = Math.fma(Math.fma(Math.fma(Math.fma(Math.fma(Math.fma(Math.fma(Math.fma(B8, t, B7), t, B6), t, B5),
                    t, B4), t, B3), t, B2), t, B1), t, B0);
            r = 1f - (float) Math.exp(-(c * c)) * q;
        }
        return Math.copySign(r, x);
    }

    static FloatVector erf(FloatVector x) {
        FloatVector a = x.abs();
        FloatVector u = a.mul(a);
        FloatVector p = u.fma(A6, A5);
        p = p.fma(u, bc(x, A4)).fma(u, bc(x, A3)).fma(u, bc(x, A2)).fma(u, bc(x, A1)).fma(u, bc(x, A0));
        FloatVector small = a.mul(p);
        FloatVector c = a.min(4f);
        FloatVector t = c.sub(2.5f);
        FloatVector q = t.fma(B8, B7);
        q = q.fma(t, bc(x, B6)).fma(t, bc(x, B5)).fma(t, bc(x, B4)).fma(t, bc(x, B3))
                .fma(t, bc(x, B2)).fma(t, bc(x, B1)).fma(t, bc(x, B0));
        FloatVector e = c.mul(c).neg().lanewise(VectorOperators.EXP);
        FloatVector big = e.mul(q).neg().add(1f);
        FloatVector r = big.blend(small, a.compare(VectorOperators.LT, 1f));
        return VecMath.copySign(r, x);
    }

    private static FloatVector bc(FloatVector like, float c) {
        return FloatVector.broadcast(like.species(), c);
    }

    private static final double TWO_OVER_SQRT_PI = 1.1283791670955126;
    private static final double EPS = 0x1p-54;
    private static final int MAX_TERMS = 256;
    /** 2 / (2n + 1): the ratio of consecutive series terms is x^2 times this. */
    private static final double[] TWO_OVER_ODD = new double[MAX_TERMS];

    static {
        for (int n = 0; n < MAX_TERMS; n++) TWO_OVER_ODD[n] = 2.0 / (2 * n + 1);
    }

    static double erf(double x) {
        double a = Math.abs(x);
        if (!(a < 6.0)) return a >= 6.0 ? Math.copySign(1.0, x) : x; // saturated, or NaN
        double u = a * a;
        double term = a, sum = a;
        for (int n = 1; n < MAX_TERMS; n++) {
            term *= u * TWO_OVER_ODD[n];
            sum += term;
            if (term <= sum * EPS) break;
        }
        return Math.copySign(TWO_OVER_SQRT_PI * Math.exp(-u) * sum, x);
    }

    static DoubleVector erf(DoubleVector x) {
        DoubleVector a = x.abs();
        VectorMask<Double> saturated = a.compare(VectorOperators.GE, 6.0);
        DoubleVector s = a.blend(0.0, saturated); // saturated lanes converge at once
        DoubleVector u = s.mul(s);
        DoubleVector term = s, sum = s;
        for (int n = 1; n < MAX_TERMS; n++) {
            term = term.mul(u.mul(TWO_OVER_ODD[n]));
            sum = sum.add(term);
            if ((n & 3) == 0 && !term.compare(VectorOperators.GT, sum.mul(EPS)).anyTrue()) break;
        }
        DoubleVector r = sum.mul(u.neg().lanewise(VectorOperators.EXP)).mul(TWO_OVER_SQRT_PI);
        return VecMath.copySign(r.blend(1.0, saturated), x);
    }
}
