package org.sinter.kernels;

import static jdk.incubator.vector.VectorOperators.GT;
import static jdk.incubator.vector.VectorOperators.IS_NAN;
import static jdk.incubator.vector.VectorOperators.LSHL;
import static jdk.incubator.vector.VectorOperators.LT;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * Exact GELU in float32, {@code x·Φ(x)}, from one piece instead of erf's two: with z = |x|/√2,
 * {@code h = Φ(-|x|) = ½·erfc(z) = ½·exp(-z²)·R(z)}, where R(z) = erfc(z)·exp(z²) (smooth, from 1 down
 * to ~0.06 on [0, 9.25]) is a rational function of degree 4/5 fitted for Sinter (relative
 * minimax, float32 coefficients: {@code tools/fits/gelu_rational.py 9.25 5 5}; the fit errs 5e-9, float32
 * evaluation ~3.6e-7 relative). Then
 * Φ(x) = h for x &lt; 0 and 1 - h otherwise. Computing Φ(x) for negative x as h itself, rather than
 * as 1 + erf(x/√2), keeps GELU's negative tail relatively accurate (the sum cancels there: erf's
 * 1.5e-7 absolute error was several times GELU(-5.5) itself); exp's argument -z² is corrected for the rounding
 * of x/√2 and of z² (an FMA split), since exp magnifies it by z². Past z = 9.25, h is 0 (it is
 * below float's smallest normal there), so GELU(-100) is -0 and GELU(-∞) is NaN, as PyTorch's
 * (results below ~3e-38 in magnitude, x &lt; -13.08, are 0 or subnormal; PyTorch's own are 0 from -9).
 * Measured against float64: within 4e-7 absolute on [-12, 12] and a few units in the last place.
 *
 * <p>Why it is cheaper than {@code x/2·(1 + erf(x/√2))}: one rational (ten FMAs and a division) and an
 * exp whose argument lies in [-86, 0] (no overflow or underflow lanes to blend) instead of erf's
 * two polynomials, a general exp and a blend; the array form is two passes per block instead of three.
 * Every operation is IEEE (FMA, division), so the bits are the same in the interpreter, C1 and C2.
 */
final class Gelu {
    private Gelu() {}

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    /** 1/√2 rounded to float, and the rest of it: x/√2 = x·INV_SQRT2 + x·INV_SQRT2_LO to about 2^-48. */
    private static final float INV_SQRT2 = (float) 0.7071067811865476;
    private static final float INV_SQRT2_LO = (float) (0.7071067811865476 - (double) INV_SQRT2);
    /** Where h = ½·erfc(z) falls below float's normal range (erfc(9.25)/2 ≈ 4e-39): h is 0 beyond. */
    private static final float Z_MAX = 9.25f;
    // R(z) = P(z)/Q(z), P(0) = Q(0) = 1.
    private static final float P1 = 1.2289173603057861f, P2 = 0.7216010093688965f, P3 = 0.22442463040351868f, P4 = 0.03177851811051369f;
    private static final float Q1 = 2.357296943664551f, Q2 = 2.381518840789795f, Q3 = 1.3066827058792114f, Q4 = 0.3978131413459778f,
            Q5 = 0.05632510408759117f;
    // exp(a) for a in [-86, 0]: a = t·ln2 + r, |r| <= ln2/2, 2^t built from its bits.
    private static final float LOG2E = (float) 1.4426950408889634, LN2_HI = 0.693145751953125f, LN2_LO = 1.42860682030941723212e-6f;
    private static final float ROUND = 0x1.8p23f;

    static float gelu(float x) {
        return gelu(FloatVector.broadcast(S, x)).lane(0);
    }

    /** GELU of one vector (the array form's bits). Too large for C2 to inline into a kernel loop: kernels call the array form. */
    static FloatVector gelu(FloatVector x) {
        return combine(x, expOfMinusZSquared(x));
    }

    /** exp(-(x/√2)²), z clamped to Z_MAX, with the rounding of x/√2 and of z² corrected to first order. */
    private static FloatVector expOfMinusZSquared(FloatVector x) {
        FloatVector z = x.mul(INV_SQRT2);
        FloatVector zLo = x.fma(bc(INV_SQRT2), z.neg()).add(x.mul(INV_SQRT2_LO)); // x/√2 - z
        FloatVector c = z.abs().min(Z_MAX);
        FloatVector u = c.mul(c);
        FloatVector uLo = c.fma(c, u.neg()).add(z.mul(zLo).mul(2f)); // z*² - u, first order
        return expNonPositive(u.neg()).mul(uLo.neg().add(1f));
    }

    /** exp(a) for a in [-86, 0] (a NaN stays NaN): a degree-7 polynomial in the reduced argument times 2^t. */
    private static FloatVector expNonPositive(FloatVector a) {
        FloatVector t = a.mul(LOG2E).add(ROUND).sub(ROUND);
        FloatVector r = a.sub(t.mul(LN2_HI)).sub(t.mul(LN2_LO));
        FloatVector p = r.fma(1f / 5040, 1f / 720).fma(r, bc(1f / 120)).fma(r, bc(1f / 24)).fma(r, bc(1f / 6))
                .fma(r, bc(0.5f)).fma(r, bc(1f)).fma(r, bc(1f));
        FloatVector twoT = t.add(0x1p23f + 127f).reinterpretAsInts().lanewise(LSHL, 23).reinterpretAsFloats(); // t + 127 in the low bits, moved to the exponent
        return p.mul(twoT);
    }

    /** x·Φ(x) from e = exp(-z²): h = ½·e·R(z), Φ = h below 0 and 1 - h above. */
    private static FloatVector combine(FloatVector x, FloatVector e) {
        FloatVector z = x.mul(INV_SQRT2).abs();
        FloatVector c = z.min(Z_MAX);
        FloatVector p = c.fma(P4, P3).fma(c, bc(P2)).fma(c, bc(P1)).fma(c, bc(1f));
        FloatVector q = c.fma(Q5, Q4).fma(c, bc(Q3)).fma(c, bc(Q2)).fma(c, bc(Q1)).fma(c, bc(1f));
        FloatVector h = e.mul(0.5f).mul(p.div(q)).blend(0f, z.compare(GT, Z_MAX));
        // A NaN input comes back as itself: NaN lanes of the arithmetic above may differ in sign and
        // payload between the interpreter and C2 (operand order), and results must be the same bits in both.
        return x.mul(h.neg().add(1f).blend(h, x.compare(LT, 0f))).blend(x, x.test(IS_NAN));
    }

    private static FloatVector bc(float c) {
        return FloatVector.broadcast(S, c);
    }

    /** Floats per block of the array form: its scratch row (one block of exps) stays in L1. */
    static final int BLOCK = 256;

    /**
     * {@code y[yo + i] = gelu(x[xo + i])} for {@code i < n}, the bits of {@link #gelu(FloatVector)} lane by
     * lane; x and y may be the same elements; scratch holds at least {@link #BLOCK} floats. Two passes per
     * block (exp(-z²) into the scratch, then the rational and the product), each a loop that C2 compiles
     * whole: as one expression the function exceeds C2's inlining budget, and a vector handed to a
     * method left out of line is boxed (the one-loop form measured 2.5-3x slower than this).
     */
    static void gelu(float[] x, int xo, float[] y, int yo, int n, float[] scratch) {
        if (scratch.length < BLOCK) throw new IllegalArgumentException("Gelu: scratch of " + scratch.length + " floats, need " + BLOCK);
        for (int b = 0; b < n; b += BLOCK) {
            int len = Math.min(BLOCK, n - b);
            for (Pass p : PASSES) p.run(x, xo + b, y, yo + b, len, scratch);
        }
    }

    @FunctionalInterface
    private interface Pass {
        void run(float[] x, int xo, float[] y, int yo, int n, float[] scratch);
    }

    // Called through one interface call site that sees three receivers, on purpose: C2 never
    // inlines a megamorphic call, so each pass compiles on its own, within C2's budget (as Erf's).
    private static final Pass[] PASSES = {
        (x, xo, y, yo, n, s) -> exps(x, xo, n, s),
        Gelu::products,
        (x, xo, y, yo, n, s) -> { },
    };

    /** Pass 1: exp(-z²) per lane into the scratch (the tail's lanes read as 0). */
    private static void exps(float[] x, int xo, int n, float[] s) {
        int i = 0;
        for (int ub = S.loopBound(n); i < ub; i += S.length()) expOfMinusZSquared(FloatVector.fromArray(S, x, xo + i)).intoArray(s, i);
        if (i < n) expOfMinusZSquared(FloatVector.fromArray(S, x, xo + i, S.indexInRange(i, n))).intoArray(s, i);
    }

    /** Pass 2: the rational, Φ and the product with x. */
    private static void products(float[] x, int xo, float[] y, int yo, int n, float[] s) {
        int i = 0;
        for (int ub = S.loopBound(n); i < ub; i += S.length()) {
            combine(FloatVector.fromArray(S, x, xo + i), FloatVector.fromArray(S, s, i)).intoArray(y, yo + i);
        }
        if (i < n) {
            VectorMask<Float> m = S.indexInRange(i, n);
            combine(FloatVector.fromArray(S, x, xo + i, m), FloatVector.fromArray(S, s, i)).intoArray(y, yo + i, m);
        }
    }
}
