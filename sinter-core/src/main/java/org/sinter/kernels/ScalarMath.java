package org.sinter.kernels;

/**
 * Scalar forms of every unary and binary function, with PyTorch's semantics. The SIMD kernels use
 * them for loop tails, broadcast inputs and strided gathers, so they agree with {@link VecMath} and
 * {@link Erf} up to the last ulp of the transcendental functions.
 */
final class ScalarMath {
    private ScalarMath() {}

    private static final double LN2 = VecMath.LN2, INV_LN2 = VecMath.INV_LN2;

    // ---------------------------------------------------------------- unary

    static float unary(UnaryFn fn, float p0, float p1, float x) {
        return switch (fn) {
            case NEG -> -x;
            case ABS -> Math.abs(x);
            case SIGN -> x > 0 ? 1f : x < 0 ? -1f : 0f;
            case EXP -> (float) Math.exp(x);
            case LOG -> (float) Math.log(x);
            case LOG1P -> (float) Math.log1p(x);
            case SQRT -> (float) Math.sqrt(x);
            case RSQRT -> 1f / (float) Math.sqrt(x);
            case SIN -> (float) Math.sin(x);
            case COS -> (float) Math.cos(x);
            case TAN -> (float) Math.tan(x);
            case ASIN -> (float) Math.asin(x);
            case ACOS -> (float) Math.acos(x);
            case ATAN -> (float) Math.atan(x);
            case SINH -> (float) Math.sinh(x);
            case COSH -> (float) Math.cosh(x);
            case TANH -> (float) Math.tanh(x);
            case ASINH -> (float) asinh(x);
            case ACOSH -> (float) acosh(x);
            case ATANH -> (float) atanh(x);
            case SIGMOID -> 1f / (1f + (float) Math.exp(-x));
            case RELU -> x < 0 ? 0f : x;
            case LEAKY_RELU -> x < 0 ? x * p0 : x;
            case GELU -> x * 0.5f * (1f + Erf.erf(x * (float) VecMath.INV_SQRT2));
            case GELU_TANH -> x * 0.5f * (1f + (float) Math.tanh(
                    (float) VecMath.SQRT_2_OVER_PI * (x + (float) VecMath.GELU_C * (x * x * x))));
            case SILU -> x / (1f + (float) Math.exp(-x));
            case SOFTPLUS -> x * p0 > p1 ? x : (float) Math.log1p(Math.exp(x * p0)) / p0;
            case CLAMP -> clamp(x, p0, p1);
            case POW_SCALAR -> pow(x, p0);
            case RPOW_SCALAR -> (float) Math.pow(p0, x);
            case ERF -> Erf.erf(x);
            case EXPM1 -> (float) Math.expm1(x);
            case RECIPROCAL -> 1f / x;
            case SQUARE -> x * x;
            case FLOOR -> (float) Math.floor(x);
            case CEIL -> (float) Math.ceil(x);
            case ROUND -> (float) Math.rint(x);
            case TRUNC -> (float) trunc(x);
            case LOG2 -> (float) log2(x);
            case LOG10 -> (float) Math.log10(x);
            case EXP2 -> (float) Math.pow(2, x);
            case AFFINE -> Math.fma(p0, x, p1);
            case ISNAN -> x != x ? 1f : 0f;
        };
    }

    static double unary(UnaryFn fn, double p0, double p1, double x) {
        return switch (fn) {
            case NEG -> -x;
            case ABS -> Math.abs(x);
            case SIGN -> x > 0 ? 1.0 : x < 0 ? -1.0 : 0.0;
            case EXP -> Math.exp(x);
            case LOG -> Math.log(x);
            case LOG1P -> Math.log1p(x);
            case SQRT -> Math.sqrt(x);
            case RSQRT -> 1.0 / Math.sqrt(x);
            case SIN -> Math.sin(x);
            case COS -> Math.cos(x);
            case TAN -> Math.tan(x);
            case ASIN -> Math.asin(x);
            case ACOS -> Math.acos(x);
            case ATAN -> Math.atan(x);
            case SINH -> Math.sinh(x);
            case COSH -> Math.cosh(x);
            case TANH -> Math.tanh(x);
            case ASINH -> asinh(x);
            case ACOSH -> acosh(x);
            case ATANH -> atanh(x);
            case SIGMOID -> 1.0 / (1.0 + Math.exp(-x));
            case RELU -> x < 0 ? 0.0 : x;
            case LEAKY_RELU -> x < 0 ? x * p0 : x;
            case GELU -> x * 0.5 * (1.0 + Erf.erf(x * VecMath.INV_SQRT2));
            case GELU_TANH -> x * 0.5 * (1.0 + Math.tanh(VecMath.SQRT_2_OVER_PI * (x + VecMath.GELU_C * (x * x * x))));
            case SILU -> x / (1.0 + Math.exp(-x));
            case SOFTPLUS -> x * p0 > p1 ? x : Math.log1p(Math.exp(x * p0)) / p0;
            case CLAMP -> clamp(x, p0, p1);
            case POW_SCALAR -> pow(x, p0);
            case RPOW_SCALAR -> Math.pow(p0, x);
            case ERF -> Erf.erf(x);
            case EXPM1 -> Math.expm1(x);
            case RECIPROCAL -> 1.0 / x;
            case SQUARE -> x * x;
            case FLOOR -> Math.floor(x);
            case CEIL -> Math.ceil(x);
            case ROUND -> Math.rint(x);
            case TRUNC -> trunc(x);
            case LOG2 -> log2(x);
            case LOG10 -> Math.log10(x);
            case EXP2 -> Math.pow(2, x);
            case AFFINE -> Math.fma(p0, x, p1);
            case ISNAN -> x != x ? 1.0 : 0.0;
        };
    }

    /** PyTorch's clamp: a NaN bound gives NaN; min above max gives max. */
    static float clamp(float x, float lo, float hi) {
        if (lo != lo || hi != hi) return Float.NaN;
        float t = x < lo ? lo : x;
        return t > hi ? hi : t;
    }

    static double clamp(double x, double lo, double hi) {
        if (lo != lo || hi != hi) return Double.NaN;
        double t = x < lo ? lo : x;
        return t > hi ? hi : t;
    }

    /** x^e with PyTorch's special exponents (0.5 is sqrt, -1 the reciprocal, ...). */
    static double pow(double x, double e) {
        if (e == 2) return x * x;
        if (e == 3) return x * x * x;
        if (e == 0.5) return Math.sqrt(x);
        if (e == -0.5) return 1.0 / Math.sqrt(x);
        if (e == -1) return 1.0 / x;
        if (e == -2) return 1.0 / (x * x);
        return Math.pow(x, e);
    }

    static float pow(float x, float e) {
        if (e == 2) return x * x;
        if (e == 3) return x * x * x;
        if (e == 0.5f) return (float) Math.sqrt(x);
        if (e == -0.5f) return 1f / (float) Math.sqrt(x);
        if (e == -1) return 1f / x;
        if (e == -2) return 1f / (x * x);
        return (float) Math.pow(x, e);
    }

    static double trunc(double x) {
        return x < 0 ? Math.ceil(x) : Math.floor(x);
    }

    /** log2, exact at powers of two. */
    static double log2(double x) {
        if (!(x > 0) || x == Double.POSITIVE_INFINITY) return Math.log(x);
        int e = Math.getExponent(x);
        if (e < Double.MIN_EXPONENT) {
            x *= 0x1p54;
            e = Math.getExponent(x) - 54;
        }
        double m = Math.scalb(x, -Math.getExponent(x));
        if (m > Math.sqrt(2)) {
            m *= 0.5;
            e++;
        }
        return e + Math.log(m) * INV_LN2;
    }

    static double asinh(double x) {
        double a = Math.abs(x);
        double r = a > 0x1p28 ? Math.log(a) + LN2 : Math.log1p(a + a * a / (1 + Math.sqrt(1 + a * a)));
        return Math.copySign(r, x);
    }

    static double acosh(double x) {
        if (x < 1) return Double.NaN;
        if (x > 0x1p28) return Math.log(x) + LN2;
        double t = x - 1;
        return Math.log1p(t + Math.sqrt(2 * t + t * t));
    }

    static double atanh(double x) {
        double a = Math.abs(x);
        return Math.copySign(0.5 * Math.log1p(2 * a / (1 - a)), x);
    }

    // ---------------------------------------------------------------- binary, floating point

    static float binary(BinaryFn fn, float a, float b) {
        return switch (fn) {
            case ADD -> a + b;
            case SUB -> a - b;
            case MUL -> a * b;
            case DIV -> a / b;
            case POW -> (float) Math.pow(a, b);
            case MAXIMUM -> Math.max(a, b);
            case MINIMUM -> Math.min(a, b);
            case ATAN2 -> (float) Math.atan2(a, b);
            case REMAINDER -> (float) remainder(a, b);
            case FLOOR_DIVIDE -> (float) floorDivide(a, b);
            case FMOD -> a % b;
        };
    }

    static double binary(BinaryFn fn, double a, double b) {
        return switch (fn) {
            case ADD -> a + b;
            case SUB -> a - b;
            case MUL -> a * b;
            case DIV -> a / b;
            case POW -> Math.pow(a, b);
            case MAXIMUM -> Math.max(a, b);
            case MINIMUM -> Math.min(a, b);
            case ATAN2 -> Math.atan2(a, b);
            case REMAINDER -> remainder(a, b);
            case FLOOR_DIVIDE -> floorDivide(a, b);
            case FMOD -> a % b;
        };
    }

    /** Python's modulo: fmod, moved into the divisor's sign. (Exact for floats too.) */
    static double remainder(double a, double b) {
        double m = a % b;
        if (m != 0 && (b < 0) != (m < 0)) m += b;
        return m;
    }

    /** Python's floor division for floats: exact quotient of (a - fmod(a, b)) / b, then floored. */
    static double floorDivide(double a, double b) {
        if (b == 0) return a / b;
        double m = a % b;
        double q = (a - m) / b;
        if (m != 0 && (b < 0) != (m < 0)) q -= 1;
        if (q == 0) return Math.copySign(0.0, a / b);
        double f = Math.floor(q);
        return q - f > 0.5 ? f + 1 : f;
    }

    // ---------------------------------------------------------------- binary, integer

    static long binary(BinaryFn fn, long a, long b) {
        return switch (fn) {
            case ADD -> a + b;
            case SUB -> a - b;
            case MUL -> a * b;
            case MAXIMUM -> Math.max(a, b);
            case MINIMUM -> Math.min(a, b);
            case POW -> powInt(a, b);
            case REMAINDER -> {
                long r = a % nonZero(b, "remainder");
                yield r != 0 && (r < 0) != (b < 0) ? r + b : r;
            }
            case FLOOR_DIVIDE -> Math.floorDiv(a, nonZero(b, "floor_divide"));
            case FMOD -> a % nonZero(b, "fmod");
            case DIV, ATAN2 -> throw notForIntegers(fn);
        };
    }

    static int binary(BinaryFn fn, int a, int b) {
        return switch (fn) {
            case ADD -> a + b;
            case SUB -> a - b;
            case MUL -> a * b;
            case MAXIMUM -> Math.max(a, b);
            case MINIMUM -> Math.min(a, b);
            case POW -> (int) powInt(a, b);
            case REMAINDER -> {
                int r = a % (int) nonZero(b, "remainder");
                yield r != 0 && (r < 0) != (b < 0) ? r + b : r;
            }
            case FLOOR_DIVIDE -> Math.floorDiv(a, (int) nonZero(b, "floor_divide"));
            case FMOD -> a % (int) nonZero(b, "fmod");
            case DIV, ATAN2 -> throw notForIntegers(fn);
        };
    }

    static IllegalArgumentException notForIntegers(BinaryFn fn) {
        return new IllegalArgumentException("BinaryKernels: " + fn
                + " is not defined on integer arrays; promote the operands to a floating type first");
    }

    private static long nonZero(long b, String op) {
        if (b == 0) throw new ArithmeticException(op + ": integer division by zero (ZeroDivisionError)");
        return b;
    }

    /** Integer power by squaring, wrapping like two's-complement multiplication. */
    static long powInt(long base, long exp) {
        if (exp < 0) {
            throw new ArithmeticException("pow: integers to negative integer powers are not allowed (exponent "
                    + exp + ")");
        }
        long result = 1;
        while (exp != 0) {
            if ((exp & 1) != 0) result *= base;
            base *= base;
            exp >>>= 1;
        }
        return result;
    }
}
