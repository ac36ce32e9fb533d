package org.sinter.cuda;

import org.sinter.DType;
import org.sinter.Tensor;
import org.sinter.kernels.BinaryFn;
import org.sinter.kernels.UnaryKernels.UnaryFn;
import org.sinter.ops.BinaryOps;
import org.sinter.ops.CompareOps;
import org.sinter.ops.TypePromotion;
import org.sinter.ops.UnaryOps;

/**
 * The CUDA C expression of each elementwise op of the op set, with the semantics of Sinter's CPU
 * kernels (the same computation types: float for the half types, 64-bit integers for integer
 * dtypes). A method returns false when the GPU has no kernel for that case (integer division
 * and powers, whose CPU kernels raise errors on zero divisors); the backend then runs the op on
 * the host.
 */
final class PointwiseOps {
    private PointwiseOps() {}

    /** The expression of unary {@code fn} on value {@code a} of type T (floating). */
    static String floatingUnary(UnaryFn fn) {
        return switch (fn) {
            case NEG -> "-a";
            case ABS -> "sx_fabs(a)";
            case SIGN -> "sx_sign(a)";
            case EXP -> "sx_exp(a)";
            case LOG -> "sx_log(a)";
            case LOG1P -> "sx_log1p(a)";
            case EXPM1 -> "sx_expm1(a)";
            case SQRT -> "sx_sqrt(a)";
            case RSQRT -> "(T) 1 / sx_sqrt(a)";
            case SIN -> "sx_sin(a)";
            case COS -> "sx_cos(a)";
            case TAN -> "sx_tan(a)";
            case TANH -> "sx_tanh(a)";
            case SIGMOID -> "(T) 1 / ((T) 1 + sx_exp(-a))";
            case RELU -> "(a < 0 ? (T) 0 : a)";
            case LEAKY_RELU -> "(a < 0 ? a * (T) p0 : a)";
            case GELU -> "sx_gelu(a)";
            case GELU_TANH -> "sx_gelu_tanh(a)";
            case SILU -> "a / ((T) 1 + sx_exp(-a))";
            case SOFTPLUS -> "sx_softplus(a, (T) p0, (T) p1)";
            case CLAMP -> "sx_clamp(a, (T) p0, (T) p1)";
            case POW_SCALAR -> "sx_pow_scalar(a, (T) p0)";
            case RPOW_SCALAR -> "sx_pow((T) p0, a)";
            case ERF -> "sx_erf(a)";
            case RECIPROCAL -> "(T) 1 / a";
            case SQUARE -> "a * a";
            case FLOOR -> "sx_floor(a)";
            case CEIL -> "sx_ceil(a)";
            case ROUND -> "sx_rint(a)";
            case TRUNC -> "sx_trunc(a)";
            case LOG2 -> "sx_log2(a)";
            case LOG10 -> "sx_log10(a)";
            case ASIN -> "sx_asin(a)";
            case ACOS -> "sx_acos(a)";
            case ATAN -> "sx_atan(a)";
            case SINH -> "sx_sinh(a)";
            case COSH -> "sx_cosh(a)";
            case ASINH -> "sx_asinh(a)";
            case ACOSH -> "sx_acosh(a)";
            case ATANH -> "sx_atanh(a)";
            case EXP2 -> "sx_exp2(a)";
            case AFFINE -> "(T) p0 * a + (T) p1";
            case SINC -> "sx_sinc(a)";
            case ISNAN -> "(T) (a != a)";
        };
    }

    /** The integer form (exact, in 64 bits), or null where the host runs it. */
    private static String integerUnary(UnaryFn fn) {
        return switch (fn) {
            case NEG -> "-a";
            case ABS -> "(a < 0 ? -a : a)";
            case SIGN -> "(T) ((a > 0) - (a < 0))";
            case RELU -> "(a < 0 ? (T) 0 : a)";
            case SQUARE -> "a * a";
            case CLAMP -> "(T) fmin(fmax((double) a, p0), p1)";
            case FLOOR, CEIL, ROUND, TRUNC -> "a";
            case AFFINE -> "(T) (p0 * (double) a + p1)";
            default -> null;
        };
    }

    static boolean unary(UnaryOps.Unary op, Tensor out, Tensor x) {
        DType rt = op.resultType(x.dtype());
        DType ct = rt.computeType();
        String c = Pointwise.computeType(ct);
        String expr = ct.isFloatingPoint() ? floatingUnary(op.fn()) : integerUnary(op.fn());
        if (expr == null) return false;
        Pointwise.run(op.name(), expr, c, out, new Tensor[] {x}, new String[] {c}, op.p0(), op.p1());
        return true;
    }

    static boolean binary(BinaryOps.Binary op, Tensor out, Tensor a, Tensor b) {
        DType rt = op.resultType(a, b);
        DType ct = rt == DType.BOOL ? DType.INT64 : rt.computeType();
        String c = Pointwise.computeType(ct);
        String expr = ct.isFloatingPoint() ? floatingBinary(op.fn()) : integerBinary(op.fn());
        if (expr == null) return false;
        Pointwise.run(op.name(), expr, c, out, new Tensor[] {a, b}, new String[] {c, c}, 0, 0);
        return true;
    }

    static String floatingBinary(BinaryFn fn) {
        return switch (fn) {
            case ADD -> "a + b";
            case SUB -> "a - b";
            case MUL -> "a * b";
            case DIV -> "a / b";
            case POW -> "sx_pow(a, b)";
            case MAXIMUM -> "sx_maximum(a, b)";
            case MINIMUM -> "sx_minimum(a, b)";
            case ATAN2 -> "sx_atan2(a, b)";
            case REMAINDER -> "sx_remainder(a, b)";
            case FLOOR_DIVIDE -> "sx_floor_divide(a, b)";
            case FMOD -> "sx_fmod(a, b)";
        };
    }

    private static String integerBinary(BinaryFn fn) {
        return switch (fn) {
            case ADD -> "a + b";
            case SUB -> "a - b";
            case MUL -> "a * b";
            case MAXIMUM -> "sx_maximum(a, b)";
            case MINIMUM -> "sx_minimum(a, b)";
            default -> null; // division by zero is an error on the host: keep it there
        };
    }

    /** {@code a + alpha * b} as the CPU computes it (the product rounded to the result type first). */
    static boolean axpy(BinaryOps.Axpy op, Tensor out, Tensor a, Tensor b) {
        DType rt = out.dtype();
        DType ct = rt == DType.BOOL ? DType.INT64 : rt.computeType();
        String c = Pointwise.computeType(ct);
        String prod = ct.isFloatingPoint() ? "((T) (b * (T) p0))" : "(b * (T) (long long) p0)";
        Pointwise.run("add", "a + " + prod, c, out, new Tensor[] {a, b}, new String[] {c, c}, op.alpha(), 0);
        return true;
    }

    static void compare(CompareOps.Compare op, Tensor out, Tensor a, Tensor b) {
        String c = Pointwise.computeType(TypePromotion.resultType(a, b).computeType());
        String expr = switch (op.fn()) {
            case EQ -> "a == b";
            case NE -> "a != b";
            case LT -> "a < b";
            case LE -> "a <= b";
            case GT -> "a > b";
            case GE -> "a >= b";
        };
        Pointwise.run(op.name(), expr, c, out, new Tensor[] {a, b}, new String[] {c, c}, 0, 0);
    }

    static void logical(CompareOps.Logical op, Tensor out, Tensor[] in) {
        String expr = switch (op.kind()) {
            case AND -> "a && b";
            case OR -> "a || b";
            case XOR -> "a != b";
            case NOT -> "!a";
        };
        String[] types = in.length == 1 ? new String[] {"bool"} : new String[] {"bool", "bool"};
        Pointwise.run(op.name(), expr, "long long", out, in, types, 0, 0);
    }

    static void isfinite(Tensor out, Tensor x) {
        if (!x.dtype().isFloatingPoint()) {
            Pointwise.run("isfinite", "true", "long long", out, new Tensor[0], new String[0], 0, 0);
            return;
        }
        String c = Pointwise.computeType(x.dtype().computeType());
        Pointwise.run("isfinite", "isfinite(a)", c, out, new Tensor[] {x}, new String[] {c}, 0, 0);
    }

    /** {@code out = x} converted to out's dtype (casts, clones, copies into views). */
    static void copy(Tensor out, Tensor x) {
        String c = Pointwise.computeType(x.dtype());
        Pointwise.run("copy", "a", c, out, new Tensor[] {x}, new String[] {c}, 0, 0);
    }

    static void fill(Tensor out, double value) {
        String c = Pointwise.computeType(out.dtype());
        // A bool is true for any non-zero value (NaN included), as the CPU's conversion.
        String expr = out.dtype() == DType.BOOL ? "(T) (p0 != 0)" : c.equals("long long") ? "(T) (long long) p0" : "(T) p0";
        Pointwise.run("fill", expr, c, out, new Tensor[0], new String[0], value, 0);
    }

    static void where(Tensor out, Tensor cond, Tensor a, Tensor b) {
        String c = Pointwise.computeType(out.dtype());
        Pointwise.run("where", "a ? b : c", c, out, new Tensor[] {cond, a, b}, new String[] {"bool", c, c}, 0, 0);
    }

    /** ReLU's gradient {@code g * (y > 0)}. */
    static void reluBackward(Tensor out, Tensor g, Tensor y) {
        String c = Pointwise.computeType(out.dtype());
        String cy = Pointwise.computeType(y.dtype());
        Pointwise.run("relu_backward", "(b > 0 ? a : (T) 0)", c, out, new Tensor[] {g, y}, new String[] {c, cy}, 0, 0);
    }
}
