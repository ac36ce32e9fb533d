package org.sinter.kernels;

import static jdk.incubator.vector.VectorOperators.*;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * SIMD forms of the unary functions the Vector API has no operator for (rounding, log2, the
 * inverse hyperbolics) and of the activations built from several operators. Each method is small
 * so that C2 inlines it into the kernel loop; the operators inside are constants, as the Vector API
 * needs for intrinsics. {@link ScalarMath} holds the matching scalar forms.
 */
final class VecMath {
    private VecMath() {}

    static final double LN2 = 0.6931471805599453, INV_LN2 = 1.4426950408889634;
    static final double INV_SQRT2 = 0.7071067811865476, SQRT_2_OVER_PI = 0.7978845608028654;
    static final double GELU_C = 0.044715;
    private static final float TWO23 = 0x1p23f;
    private static final double TWO52 = 0x1p52;

    // ---------------------------------------------------------------- float32

    static FloatVector copySign(FloatVector magnitude, FloatVector sign) {
        return magnitude.reinterpretAsInts().and(0x7fffffff)
                .or(sign.reinterpretAsInts().and(0x80000000)).reinterpretAsFloats();
    }

    /** Round half to even; integral, infinite and NaN lanes pass through. */
    static FloatVector round(FloatVector x) {
        FloatVector a = x.abs();
        FloatVector r = a.add(TWO23).sub(TWO23); // the add rounds to an integer, half to even
        return copySign(r.blend(a, a.compare(LT, TWO23).not()), x);
    }

    static FloatVector trunc(FloatVector x) {
        FloatVector a = x.abs();
        FloatVector r = a.add(TWO23).sub(TWO23);
        r = r.sub(1f, r.compare(GT, a));
        return copySign(r.blend(a, a.compare(LT, TWO23).not()), x);
    }

    static FloatVector floor(FloatVector x) {
        FloatVector t = trunc(x);
        return t.sub(1f, t.compare(GT, x));
    }

    static FloatVector ceil(FloatVector x) {
        FloatVector t = trunc(x);
        return t.add(1f, t.compare(LT, x));
    }

    static FloatVector sign(FloatVector x) {
        FloatVector zero = x.broadcast(0f);
        return zero.blend(1f, x.compare(GT, 0f)).blend(-1f, x.compare(LT, 0f));
    }

    /** log2 that is exact at powers of two: split off the exponent, take log of the mantissa. */
    static FloatVector log2(FloatVector x) {
        VectorMask<Float> tiny = x.compare(LT, Float.MIN_NORMAL);
        FloatVector scaled = x.mul(x.broadcast(1f).blend(0x1p24f, tiny));
        var bits = scaled.reinterpretAsInts();
        var e = bits.lanewise(LSHR, 23).and(0xff).sub(127);
        FloatVector m = bits.and(0x007fffff).or(0x3f800000).reinterpretAsFloats(); // in [1, 2)
        VectorMask<Float> high = m.compare(GT, (float) Math.sqrt(2));
        m = m.blend(m.mul(0.5f), high);
        FloatVector ef = ((FloatVector) e.convert(I2F, 0)).add(1f, high).sub(24f, tiny);
        FloatVector r = m.lanewise(LOG).mul((float) INV_LN2).add(ef);
        r = r.blend(Float.NaN, x.compare(GE, 0f).not());
        r = r.blend(Float.NEGATIVE_INFINITY, x.compare(EQ, 0f));
        return r.blend(Float.POSITIVE_INFINITY, x.compare(EQ, Float.POSITIVE_INFINITY));
    }

    static FloatVector sigmoid(FloatVector x) {
        return x.broadcast(1f).div(VectorExp.exp(x.neg()).add(1f));
    }

    static FloatVector silu(FloatVector x) {
        return x.div(VectorExp.exp(x.neg()).add(1f));
    }

    static FloatVector gelu(FloatVector x) {
        return x.mul(0.5f).mul(Erf.erf(x.mul((float) INV_SQRT2)).add(1f));
    }

    static FloatVector geluTanh(FloatVector x) {
        FloatVector inner = x.mul(x).mul(x).mul((float) GELU_C).add(x).mul((float) SQRT_2_OVER_PI);
        return x.mul(0.5f).mul(inner.lanewise(TANH).add(1f));
    }

    static FloatVector softplus(FloatVector x, float beta, float threshold) {
        FloatVector bx = x.mul(beta);
        FloatVector soft = VectorExp.exp(bx).lanewise(LOG1P).div(beta);
        return soft.blend(x, bx.compare(GT, threshold));
    }

    static FloatVector clamp(FloatVector x, float lo, float hi) {
        FloatVector t = x.blend(lo, x.compare(LT, lo));
        return t.blend(hi, t.compare(GT, hi));
    }

    static FloatVector asinh(FloatVector x) {
        FloatVector a = x.abs();
        FloatVector a2 = a.mul(a);
        FloatVector small = a.add(a2.div(a2.add(1f).lanewise(SQRT).add(1f))).lanewise(LOG1P);
        FloatVector large = a.lanewise(LOG).add((float) LN2);
        return copySign(small.blend(large, a.compare(GT, 0x1p12f)), x);
    }

    static FloatVector acosh(FloatVector x) {
        FloatVector t = x.sub(1f);
        FloatVector small = t.add(t.fma(t, t.add(t)).lanewise(SQRT)).lanewise(LOG1P);
        FloatVector large = x.lanewise(LOG).add((float) LN2);
        return small.blend(large, x.compare(GT, 0x1p12f)).blend(Float.NaN, x.compare(LT, 1f));
    }

    static FloatVector atanh(FloatVector x) {
        FloatVector a = x.abs();
        FloatVector r = a.add(a).div(a.neg().add(1f)).lanewise(LOG1P).mul(0.5f);
        return copySign(r, x);
    }

    // ---------------------------------------------------------------- float64

    static DoubleVector copySign(DoubleVector magnitude, DoubleVector sign) {
        return magnitude.reinterpretAsLongs().and(0x7fffffffffffffffL)
                .or(sign.reinterpretAsLongs().and(0x8000000000000000L)).reinterpretAsDoubles();
    }

    static DoubleVector round(DoubleVector x) {
        DoubleVector a = x.abs();
        DoubleVector r = a.add(TWO52).sub(TWO52);
        return copySign(r.blend(a, a.compare(LT, TWO52).not()), x);
    }

    static DoubleVector trunc(DoubleVector x) {
        DoubleVector a = x.abs();
        DoubleVector r = a.add(TWO52).sub(TWO52);
        r = r.sub(1.0, r.compare(GT, a));
        return copySign(r.blend(a, a.compare(LT, TWO52).not()), x);
    }

    static DoubleVector floor(DoubleVector x) {
        DoubleVector t = trunc(x);
        return t.sub(1.0, t.compare(GT, x));
    }

    static DoubleVector ceil(DoubleVector x) {
        DoubleVector t = trunc(x);
        return t.add(1.0, t.compare(LT, x));
    }

    static DoubleVector sign(DoubleVector x) {
        DoubleVector zero = x.broadcast(0.0);
        return zero.blend(1.0, x.compare(GT, 0.0)).blend(-1.0, x.compare(LT, 0.0));
    }

    static DoubleVector log2(DoubleVector x) {
        VectorMask<Double> tiny = x.compare(LT, Double.MIN_NORMAL);
        DoubleVector scaled = x.mul(x.broadcast(1.0).blend(0x1p54, tiny));
        LongVector bits = scaled.reinterpretAsLongs();
        // The biased exponent as a double without a long->double conversion (AVX2 has none):
        // 2^52 + e has e in its low mantissa bits.
        DoubleVector e = bits.lanewise(LSHR, 52).and(0x7ffL).or(0x4330000000000000L).reinterpretAsDoubles()
                .sub(TWO52 + 1023);
        DoubleVector m = bits.and(0x000fffffffffffffL).or(0x3ff0000000000000L).reinterpretAsDoubles();
        VectorMask<Double> high = m.compare(GT, Math.sqrt(2));
        m = m.blend(m.mul(0.5), high);
        e = e.add(1.0, high).sub(54.0, tiny);
        DoubleVector r = m.lanewise(LOG).mul(INV_LN2).add(e);
        r = r.blend(Double.NaN, x.compare(GE, 0.0).not());
        r = r.blend(Double.NEGATIVE_INFINITY, x.compare(EQ, 0.0));
        return r.blend(Double.POSITIVE_INFINITY, x.compare(EQ, Double.POSITIVE_INFINITY));
    }

    static DoubleVector sigmoid(DoubleVector x) {
        return x.broadcast(1.0).div(VectorExp.exp(x.neg()).add(1.0));
    }

    static DoubleVector silu(DoubleVector x) {
        return x.div(VectorExp.exp(x.neg()).add(1.0));
    }

    static DoubleVector gelu(DoubleVector x) {
        return x.mul(0.5).mul(Erf.erf(x.mul(INV_SQRT2)).add(1.0));
    }

    static DoubleVector geluTanh(DoubleVector x) {
        DoubleVector inner = x.mul(x).mul(x).mul(GELU_C).add(x).mul(SQRT_2_OVER_PI);
        return x.mul(0.5).mul(inner.lanewise(TANH).add(1.0));
    }

    static DoubleVector softplus(DoubleVector x, double beta, double threshold) {
        DoubleVector bx = x.mul(beta);
        DoubleVector soft = VectorExp.exp(bx).lanewise(LOG1P).div(beta);
        return soft.blend(x, bx.compare(GT, threshold));
    }

    static DoubleVector clamp(DoubleVector x, double lo, double hi) {
        DoubleVector t = x.blend(lo, x.compare(LT, lo));
        return t.blend(hi, t.compare(GT, hi));
    }

    static DoubleVector asinh(DoubleVector x) {
        DoubleVector a = x.abs();
        DoubleVector a2 = a.mul(a);
        DoubleVector small = a.add(a2.div(a2.add(1.0).lanewise(SQRT).add(1.0))).lanewise(LOG1P);
        DoubleVector large = a.lanewise(LOG).add(LN2);
        return copySign(small.blend(large, a.compare(GT, 0x1p28)), x);
    }

    static DoubleVector acosh(DoubleVector x) {
        DoubleVector t = x.sub(1.0);
        DoubleVector small = t.add(t.fma(t, t.add(t)).lanewise(SQRT)).lanewise(LOG1P);
        DoubleVector large = x.lanewise(LOG).add(LN2);
        return small.blend(large, x.compare(GT, 0x1p28)).blend(Double.NaN, x.compare(LT, 1.0));
    }

    static DoubleVector atanh(DoubleVector x) {
        DoubleVector a = x.abs();
        return copySign(a.add(a).div(a.neg().add(1.0)).lanewise(LOG1P).mul(0.5), x);
    }

    // ------------------------------------------------ powers (the JDK has no SIMD POW intrinsic)

    private static final VectorSpecies<Double> DS = DoubleVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Float> HALF_FS = VectorSpecies.of(float.class, VectorShape.forBitSize(DS.vectorBitSize() / 2));

    /**
     * y = x^p for a fixed float exponent that is not 0, 1 or infinite, computed as exp(p*log|x|)
     * in double (so float results are correctly rounded but for rare ties) with IEEE pow's sign
     * rules: an odd integer p keeps the sign of x, a non-integer p makes finite negative x NaN.
     * Does the leading multiple of the vector length; returns how many elements it did.
     */
    static int powF32(float[] x, int xo, float[] y, int yo, int n, float p) {
        boolean integer = p == Math.rint(p);
        boolean odd = integer && Math.abs(p) < 0x1p24f && ((long) p & 1) != 0;
        int ub = n - n % DS.length(), i = 0;
        for (; i < ub; i += DS.length()) {
            DoubleVector d = (DoubleVector) FloatVector.fromArray(HALF_FS, x, xo + i).convertShape(F2D, DS, 0);
            DoubleVector r = d.abs().lanewise(LOG).mul(p).lanewise(EXP);
            if (odd) {
                r = copySign(r, d);
            } else if (!integer) {
                r = r.blend(Double.NaN, d.compare(LT, 0.0).and(d.compare(NE, Double.NEGATIVE_INFINITY)));
            }
            ((FloatVector) r.convertShape(D2F, HALF_FS, 0)).intoArray(y, yo + i);
        }
        return i;
    }

    /** y = b^x for a fixed base b &gt; 0 (not 1), as exp(x*ln b) in double; returns how many it did. */
    static int rpowF32(float[] x, int xo, float[] y, int yo, int n, double lnBase) {
        int ub = n - n % DS.length(), i = 0;
        for (; i < ub; i += DS.length()) {
            DoubleVector d = (DoubleVector) FloatVector.fromArray(HALF_FS, x, xo + i).convertShape(F2D, DS, 0);
            ((FloatVector) d.mul(lnBase).lanewise(EXP).convertShape(D2F, HALF_FS, 0)).intoArray(y, yo + i);
        }
        return i;
    }
}
