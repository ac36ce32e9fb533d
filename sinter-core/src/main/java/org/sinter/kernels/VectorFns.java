package org.sinter.kernels;

import static jdk.incubator.vector.VectorOperators.LT;
import static jdk.incubator.vector.VectorOperators.SQRT;

import jdk.incubator.vector.FloatVector;
import org.sinter.kernels.UnaryKernels.UnaryFn;

/**
 * The float32 SIMD bodies of the unary functions, one vector at a time, for kernels generated at
 * run time (the compiler's fused loops). Each is the expression the eager loop in
 * {@code UnaryKernels} applies, so a fused kernel gives the eager kernel's bits; the compiler's
 * tests compare the two on every function listed in {@link #SUPPORTED}.
 */
public final class VectorFns {
    private VectorFns() {}

    /** The functions with a vector body here (the others stay unfused). */
    public static final java.util.Set<UnaryFn> SUPPORTED = java.util.Collections.unmodifiableSet(java.util.EnumSet.of(
            UnaryFn.NEG, UnaryFn.ABS, UnaryFn.SQRT, UnaryFn.EXP, UnaryFn.LOG, UnaryFn.LOG1P, UnaryFn.EXPM1, UnaryFn.TANH,
            UnaryFn.SIN, UnaryFn.COS, UnaryFn.ERF, UnaryFn.SIGMOID, UnaryFn.GELU, UnaryFn.GELU_TANH, UnaryFn.SILU,
            UnaryFn.RSQRT, UnaryFn.RECIPROCAL, UnaryFn.RELU, UnaryFn.LEAKY_RELU, UnaryFn.SQUARE, UnaryFn.AFFINE,
            UnaryFn.CLAMP, UnaryFn.SOFTPLUS));

    public static FloatVector exp(FloatVector x) { return Transcendentals.exp(x); }

    public static FloatVector log(FloatVector x) { return Transcendentals.log(x); }

    public static FloatVector log1p(FloatVector x) { return Transcendentals.log1p(x); }

    public static FloatVector expm1(FloatVector x) { return Transcendentals.expm1(x); }

    public static FloatVector tanh(FloatVector x) { return Transcendentals.tanh(x); }

    public static FloatVector sin(FloatVector x) { return Transcendentals.sin(x); }

    public static FloatVector cos(FloatVector x) { return Transcendentals.cos(x); }

    /**
     * erf of one vector. Generated kernels call the array form below instead: this one is about a
     * hundred Vector API calls, more than C2 inlines into a kernel, and a vector passed to a method
     * left out of line is boxed and its ops run as Java code (several times slower).
     */
    public static FloatVector erf(FloatVector x) { return Erf.erf(x); }

    /** {@code y[yo + i] = erf(x[xo + i])} for {@code i < n}, the eager kernel's bits; x and y may be the same elements. */
    public static void erf(float[] x, int xo, float[] y, int yo, int n, float[] scratch) { Erf.erf(x, xo, y, yo, n, scratch); }

    /** Exact GELU over an array ({@link Gelu}'s two passes per block), the eager kernel's bits; x and y may be the same elements. */
    public static void gelu(float[] x, int xo, float[] y, int yo, int n, float[] scratch) { Gelu.gelu(x, xo, y, yo, n, scratch); }

    /** A scratch for the array forms of erf and GELU (3 KB; one caller at a time: kernels take one per call). */
    public static float[] erfScratch() { return Erf.scratch(); }

    public static FloatVector sigmoid(FloatVector x) { return VecMath.sigmoid(x); }

    /** Exact GELU of one vector (see {@link #erf(FloatVector)} for why kernels call the array form). */
    public static FloatVector gelu(FloatVector x) { return VecMath.gelu(x); }

    public static FloatVector geluTanh(FloatVector x) { return VecMath.geluTanh(x); }

    public static FloatVector silu(FloatVector x) { return VecMath.silu(x); }

    public static FloatVector softplus(FloatVector x, float beta, float threshold) { return VecMath.softplus(x, beta, threshold); }

    public static FloatVector clamp(FloatVector x, float min, float max) { return VecMath.clamp(x, min, max); }

    public static FloatVector sqrt(FloatVector x) { return x.lanewise(SQRT); }

    public static FloatVector rsqrt(FloatVector x) { return x.broadcast(1f).div(x.lanewise(SQRT)); }

    public static FloatVector reciprocal(FloatVector x) { return x.broadcast(1f).div(x); }

    public static FloatVector relu(FloatVector x) { return x.blend(0f, x.compare(LT, 0f)); }

    public static FloatVector leakyRelu(FloatVector x, float slope) { return x.blend(x.mul(slope), x.compare(LT, 0f)); }

    public static FloatVector square(FloatVector x) { return x.mul(x); }

    public static FloatVector affine(FloatVector x, float scale, float shift) { return x.fma(scale, shift); }
}
