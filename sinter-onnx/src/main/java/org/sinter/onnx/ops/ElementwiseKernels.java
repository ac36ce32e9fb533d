package org.sinter.onnx.ops;

import java.util.List;
import java.util.function.BinaryOperator;
import java.util.function.UnaryOperator;
import org.sinter.DType;
import org.sinter.Tensor;
import org.sinter.kernels.UnaryKernels.UnaryFn;
import org.sinter.onnx.ElementTypes;
import org.sinter.ops.UnaryOps;

/** Elementwise operators: arithmetic, activations, comparisons, logic, casts. Broadcasting is numpy's (ONNX's since opset 7). */
final class ElementwiseKernels {
    private ElementwiseKernels() {}

    static Tensor[] one(Tensor t) {
        return new Tensor[] {t};
    }

    private static void unary(OpRegistry r, String op, UnaryOperator<Tensor> f) {
        r.add(op, n -> one(f.apply(n.in(0))));
    }

    private static void binary(OpRegistry r, String op, BinaryOperator<Tensor> f) {
        r.add(op, n -> one(f.apply(n.in(0), legacyBroadcast(n, n.in(0), n.in(1)))), "broadcast", "axis");
    }

    /**
     * Before opset 7, a binary operator broadcast only with {@code broadcast=1}, aligning B's dims
     * with A's starting at {@code axis} (default: trailing), not numpy's rule; B is reshaped so that
     * numpy broadcasting means the same.
     */
    static Tensor legacyBroadcast(NodeContext n, Tensor a, Tensor b) {
        if (n.opset() >= 7 || n.attrInt("broadcast", 0) == 0 || !n.hasAttr("axis")) return b;
        int axis = n.axis(n.attrInt("axis", 0), a.dim());
        int[] shape = new int[a.dim() - axis];
        java.util.Arrays.fill(shape, 1);
        if (b.dim() > shape.length) throw n.error("B " + b.describe() + " does not fit into A " + a.describe() + " at axis " + axis);
        System.arraycopy(b.shape(), 0, shape, 0, b.dim());
        return b.reshape(shape);
    }

    private static Tensor fn(UnaryFn f, Tensor x) {
        return UnaryOps.unary(f, x);
    }

    static void register(OpRegistry r) {
        binary(r, "Add", Tensor::add);
        binary(r, "Sub", Tensor::sub);
        binary(r, "Mul", Tensor::mul);
        binary(r, "Div", ElementwiseKernels::div);
        r.add("Pow", n -> {
            Tensor x = n.in(0);
            Tensor p = legacyBroadcast(n, x, n.in(1));
            // ONNX's result has the base's type, whatever the exponent's.
            return one(x.pow(p.to(x.isFloatingPoint() ? x.dtype() : p.dtype())).to(x.dtype()));
        }, "broadcast", "axis");
        r.add("Mod", n -> {
            Tensor a = n.in(0);
            Tensor b = n.in(1);
            boolean fmod = n.attrInt("fmod", 0) != 0;
            if (!fmod && a.isFloatingPoint()) throw n.error("fmod=0 is only defined for integer inputs");
            return one(fmod ? a.fmod(b) : a.remainder(b));
        }, "fmod");
        r.add("Max", n -> one(fold(n.inputsFrom(0), Tensor::maximum)));
        r.add("Min", n -> one(fold(n.inputsFrom(0), Tensor::minimum)));
        r.add("Sum", n -> one(fold(n.inputsFrom(0), Tensor::add)));
        r.add("Mean", n -> one(fold(n.inputsFrom(0), Tensor::add).div(n.inputCount())));

        unary(r, "Abs", Tensor::abs);
        unary(r, "Neg", Tensor::neg);
        unary(r, "Exp", Tensor::exp);
        unary(r, "Log", Tensor::log);
        unary(r, "Sqrt", Tensor::sqrt);
        unary(r, "Reciprocal", Tensor::reciprocal);
        unary(r, "Floor", Tensor::floor);
        unary(r, "Ceil", Tensor::ceil);
        unary(r, "Round", Tensor::round);
        unary(r, "Sign", Tensor::sign);
        unary(r, "Erf", Tensor::erf);
        unary(r, "Sin", Tensor::sin);
        unary(r, "Cos", Tensor::cos);
        unary(r, "Tan", Tensor::tan);
        unary(r, "Asin", x -> fn(UnaryFn.ASIN, x));
        unary(r, "Acos", x -> fn(UnaryFn.ACOS, x));
        unary(r, "Atan", x -> fn(UnaryFn.ATAN, x));
        unary(r, "Sinh", x -> fn(UnaryFn.SINH, x));
        unary(r, "Cosh", x -> fn(UnaryFn.COSH, x));
        unary(r, "Asinh", x -> fn(UnaryFn.ASINH, x));
        unary(r, "Acosh", x -> fn(UnaryFn.ACOSH, x));
        unary(r, "Atanh", x -> fn(UnaryFn.ATANH, x));
        unary(r, "Relu", Tensor::relu);
        unary(r, "Sigmoid", Tensor::sigmoid);
        unary(r, "Tanh", Tensor::tanh);
        unary(r, "Softsign", x -> x.div(x.abs().add(1.0)));
        unary(r, "Softplus", x -> x.softplus(1, 20));
        unary(r, "Mish", x -> x.mul(x.softplus(1, 20).tanh()));
        unary(r, "HardSwish", x -> x.mul(x.div(6.0).add(0.5).clamp(0.0, 1.0)));
        unary(r, "Identity", x -> x);
        unary(r, "Not", Tensor::logicalNot);
        unary(r, "IsNaN", Tensor::isnan);
        r.add("IsInf", n -> {
            Tensor x = n.in(0);
            boolean neg = n.attrInt("detect_negative", 1) != 0;
            boolean pos = n.attrInt("detect_positive", 1) != 0;
            Tensor out = pos ? x.eq(Double.POSITIVE_INFINITY) : x.eq(Double.NaN); // NaN equals nothing: all false
            return one(neg ? out.logicalOr(x.eq(Double.NEGATIVE_INFINITY)) : out);
        }, "detect_negative", "detect_positive");
        r.add("LeakyRelu", n -> one(n.in(0).leakyRelu(n.attrFloat("alpha", 0.01f))), "alpha");
        r.add("Elu", n -> one(elu(n.in(0), n.attrFloat("alpha", 1f))), "alpha");
        r.add("Celu", n -> {
            float a = n.attrFloat("alpha", 1f);
            return one(elu(n.in(0).div((double) a), 1).mul((double) a));
        }, "alpha");
        r.add("Selu", n -> one(elu(n.in(0), n.attrFloat("alpha", 1.67326319217681884765625f)).mul((double) n.attrFloat("gamma", 1.05070102214813232421875f))),
                "alpha", "gamma");
        r.add("ThresholdedRelu", n -> {
            Tensor x = n.in(0);
            return one(Tensor.where(x.gt(n.attrFloat("alpha", 1f)), x, zero(x)));
        }, "alpha");
        r.add("HardSigmoid", n -> one(n.in(0).mul((double) n.attrFloat("alpha", 0.2f)).add((double) n.attrFloat("beta", 0.5f)).clamp(0.0, 1.0)),
                "alpha", "beta");
        r.add("Gelu", n -> one(n.in(0).gelu(n.attrString("approximate", "none"))), "approximate");
        r.add("PRelu", n -> {
            Tensor x = n.in(0);
            Tensor slope = n.in(1);
            // Before opset 7 a slope vector of the channel count applied along dim 1.
            if (n.opset() < 7 && slope.dim() == 1 && slope.numel() > 1 && x.dim() > 2) slope = NeuralKernels.perChannel(slope, x);
            return one(Tensor.where(x.lt(0.0), x.mul(slope), x));
        });
        r.add("Shrink", n -> {
            Tensor x = n.in(0);
            double lambd = n.attrFloat("lambd", 0.5f);
            double bias = n.attrFloat("bias", 0f);
            return one(Tensor.where(x.lt(-lambd), x.add(bias), Tensor.where(x.gt(lambd), x.sub(bias), zero(x))).to(x.dtype()));
        }, "bias", "lambd");
        r.add("Clip", n -> one(clip(n)), "min", "max");

        binary(r, "Equal", Tensor::eq);
        binary(r, "Less", Tensor::lt);
        binary(r, "Greater", Tensor::gt);
        binary(r, "LessOrEqual", Tensor::le);
        binary(r, "GreaterOrEqual", Tensor::ge);
        binary(r, "And", Tensor::logicalAnd);
        binary(r, "Or", Tensor::logicalOr);
        binary(r, "Xor", Tensor::logicalXor);
        r.add("Where", n -> one(Tensor.where(n.in(0), n.in(1), n.in(2))));

        r.add("BitShift", n -> {
            Tensor x = n.in(0);
            Tensor y = n.in(1);
            if (x.isFloatingPoint()) throw n.error("BitShift takes unsigned integers, got " + x.dtype());
            // Unsigned values, held widened: shifts as products and floor quotients by powers of two.
            Tensor p = Tensor.scalar(2, x.dtype()).pow(y.to(x.dtype()));
            boolean left = n.attrString("direction", "").equals("LEFT");
            if (!left && !n.attrString("direction", "").equals("RIGHT")) throw n.error("direction must be LEFT or RIGHT");
            return one(left ? x.mul(p) : x.floorDivide(p));
        }, "direction");
        r.add("Cast", n -> one(n.in(0).to(ElementTypes.dtype((int) n.attrInt("to", 0), n.describe() + " attribute 'to'"))), "to", "saturate");
        r.add("CastLike", n -> one(n.in(0).to(n.in(1).dtype())), "saturate");
    }

    /** A 0-d zero of x's dtype: it broadcasts, and 0-d CPU tensors join traced (meta) ones. */
    static Tensor zero(Tensor x) {
        return Tensor.scalar(0, x.dtype());
    }

    private static Tensor fold(List<Tensor> xs, BinaryOperator<Tensor> f) {
        Tensor acc = xs.get(0);
        for (int i = 1; i < xs.size(); i++) acc = f.apply(acc, xs.get(i));
        return acc;
    }

    /** ONNX's Div truncates integer quotients (C semantics); Sinter's div is true division, as PyTorch's. */
    static Tensor div(Tensor a, Tensor b) {
        if (a.isFloatingPoint() || b.isFloatingPoint()) return a.div(b);
        DType t = a.dtype();
        return a.to(DType.FLOAT64).div(b.to(DType.FLOAT64)).trunc().to(t);
    }

    private static Tensor elu(Tensor x, double alpha) {
        return Tensor.where(x.gt(0.0), x, x.expm1().mul(alpha));
    }

    private static Tensor clip(NodeContext n) {
        Tensor x = n.in(0);
        double lo;
        double hi;
        if (n.opset() < 11) {
            lo = n.attrFloat("min", Float.NEGATIVE_INFINITY);
            hi = n.attrFloat("max", Float.POSITIVE_INFINITY);
        } else {
            lo = n.has(1) ? n.constDoubles(1, "min")[0] : Double.NEGATIVE_INFINITY;
            hi = n.has(2) ? n.constDoubles(2, "max")[0] : Double.POSITIVE_INFINITY;
        }
        if (x.isFloatingPoint()) return x.clamp(lo, hi);
        boolean narrow = x.dtype() == DType.INT32;
        long l = Double.isInfinite(lo) ? (narrow ? Integer.MIN_VALUE : Long.MIN_VALUE) : (long) lo;
        long h = Double.isInfinite(hi) ? (narrow ? Integer.MAX_VALUE : Long.MAX_VALUE) : (long) hi;
        return x.clamp(l, h);
    }
}
