package org.sinter.onnx.export;

import static org.sinter.onnx.export.GraphWriter.attr;
import static org.sinter.onnx.export.GraphWriter.list;

import org.sinter.DType;
import org.sinter.kernels.UnaryKernels.UnaryFn;
import org.sinter.ops.UnaryOps.Unary;

/**
 * Sinter's elementwise functions of one argument as ONNX nodes. Where ONNX (opsets 13-17) has no
 * operator of the same meaning, the function is written with the ones it has, following PyTorch's
 * definition: exact GELU with Erf, the tanh approximation with Tanh, SiLU as x·sigmoid(x), softplus
 * with PyTorch's linear region above the threshold.
 */
final class UnaryLowering {
    private UnaryLowering() {}

    /** {@code x} is already in the result dtype {@code rt}. */
    static String lower(GraphWriter w, Unary u, String x, DType rt, int opset) {
        double p0 = u.p0(), p1 = u.p1();
        return switch (u.fn()) {
            case NEG -> w.node1("Neg", x);
            case ABS -> w.node1("Abs", x);
            case SIGN -> w.node1("Sign", x);
            case EXP -> w.node1("Exp", x);
            case LOG -> w.node1("Log", x);
            case LOG1P -> w.node1("Log", w.node1("Add", list(x, w.scalar(1, rt))));
            case SQRT -> w.node1("Sqrt", x);
            case RSQRT -> w.node1("Reciprocal", w.node1("Sqrt", x));
            case SIN -> w.node1("Sin", x);
            case COS -> w.node1("Cos", x);
            case TAN -> w.node1("Tan", x);
            case ASIN -> w.node1("Asin", x);
            case ACOS -> w.node1("Acos", x);
            case ATAN -> w.node1("Atan", x);
            case SINH -> w.node1("Sinh", x);
            case COSH -> w.node1("Cosh", x);
            case ASINH -> w.node1("Asinh", x);
            case ACOSH -> w.node1("Acosh", x);
            case ATANH -> w.node1("Atanh", x);
            case TANH -> w.node1("Tanh", x);
            case SIGMOID -> w.node1("Sigmoid", x);
            case ERF -> w.node1("Erf", x);
            case FLOOR -> rt.isFloatingPoint() ? w.node1("Floor", x) : w.node1("Identity", x);
            case CEIL -> rt.isFloatingPoint() ? w.node1("Ceil", x) : w.node1("Identity", x);
            case ROUND -> rt.isFloatingPoint() ? w.node1("Round", x) : w.node1("Identity", x); // both round half to even
            case TRUNC -> rt.isFloatingPoint() ? w.node1("Mul", list(w.node1("Sign", x), w.node1("Floor", w.node1("Abs", x))))
                    : w.node1("Identity", x);
            case RELU -> opset >= 14 || rt.isFloatingPoint() ? w.node1("Relu", x) : w.node1("Max", list(x, w.scalar(0, rt)));
            case LEAKY_RELU -> w.node1("LeakyRelu", x, attr("alpha", p0));
            case RECIPROCAL -> w.node1("Reciprocal", x);
            case SQUARE -> w.node1("Mul", list(x, x));
            case EXPM1 -> w.node1("Sub", list(w.node1("Exp", x), w.scalar(1, rt)));
            case EXP2 -> w.node1("Pow", list(w.scalar(2, rt), x));
            case LOG2 -> w.node1("Div", list(w.node1("Log", x), w.scalar(Math.log(2), rt)));
            case LOG10 -> w.node1("Div", list(w.node1("Log", x), w.scalar(Math.log(10), rt)));
            case POW_SCALAR -> w.node1("Pow", list(x, w.scalar(p0, rt)));
            case RPOW_SCALAR -> w.node1("Pow", list(w.scalar(p0, rt), x));
            case AFFINE -> w.node1("Add", list(w.node1("Mul", list(x, w.scalar(p0, rt))), w.scalar(p1, rt)));
            case SILU -> w.node1("Mul", list(x, w.node1("Sigmoid", x)));
            case GELU -> {
                // x * Phi(x) = 0.5 * x * (1 + erf(x / sqrt 2))
                String erf = w.node1("Erf", w.node1("Div", list(x, w.scalar(Math.sqrt(2), rt))));
                String half = w.node1("Mul", list(x, w.scalar(0.5, rt)));
                yield w.node1("Mul", list(half, w.node1("Add", list(erf, w.scalar(1, rt)))));
            }
            case GELU_TANH -> {
                // 0.5 * x * (1 + tanh(sqrt(2/pi) * (x + 0.044715 x^3)))
                String cube = w.node1("Mul", list(w.node1("Mul", list(x, x)), x));
                String inner = w.node1("Add", list(x, w.node1("Mul", list(cube, w.scalar(0.044715, rt)))));
                String t = w.node1("Tanh", w.node1("Mul", list(inner, w.scalar(Math.sqrt(2 / Math.PI), rt))));
                String half = w.node1("Mul", list(x, w.scalar(0.5, rt)));
                yield w.node1("Mul", list(half, w.node1("Add", list(t, w.scalar(1, rt)))));
            }
            case SOFTPLUS -> {
                // PyTorch: x where beta*x > threshold, else log(1 + exp(beta*x)) / beta
                String bx = p0 == 1 ? x : w.node1("Mul", list(x, w.scalar(p0, rt)));
                String soft = w.node1("Softplus", bx);
                String scaled = p0 == 1 ? soft : w.node1("Div", list(soft, w.scalar(p0, rt)));
                yield w.node1("Where", list(w.node1("Greater", list(bx, w.scalar(p1, rt))), x, scaled));
            }
            case CLAMP -> {
                String lo = Double.isInfinite(p0) && p0 < 0 ? "" : w.scalar(p0, rt);
                String hi = Double.isInfinite(p1) && p1 > 0 ? "" : w.scalar(p1, rt);
                yield w.node1("Clip", list(x, lo, hi));
            }
            case SINC -> {
                String pix = w.node1("Mul", list(x, w.scalar(Math.PI, rt)));
                String ratio = w.node1("Div", list(w.node1("Sin", pix), pix));
                yield w.node1("Where", list(w.node1("Equal", list(x, w.scalar(0, rt))), w.scalar(1, rt), ratio));
            }
            case ISNAN -> w.cast(w.node1("IsNaN", x), rt);
        };
    }
}
