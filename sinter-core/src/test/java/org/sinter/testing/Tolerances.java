package org.sinter.testing;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.sinter.DType;

/**
 * The one tolerance table of every PyTorch comparison in every module: a few named rules, each
 * with its float32 and float64 tolerance, and the op keys that need a rule other than the default.
 * Integers and bools always compare exactly. Never loosen a rule to make a test pass: a new need
 * gets a new named rule, with the reason beside it.
 */
public final class Tolerances {
    private Tolerances() {}

    /** Why results may differ from PyTorch's, and by how much (float32, then float64). */
    public enum Rule {
        /**
         * One rounding per element (elementwise math, views, copies, scaling): float32 1e-5
         * relative, 1e-6 absolute. float64 is tight enough that a float64 op computed in float32
         * fails (1e-7 errors).
         */
        ONE_ROUNDING(1e-5, 1e-6, 1e-9, 1e-12),
        /**
         * Sums of many terms (reductions, matmul, softmax) and all gradients (broadcast inputs get
         * summed gradients) round in an order PyTorch does not promise: more absolute slack.
         */
        ACCUMULATING(1e-5, 1e-5, 1e-9, 1e-11),
        /** sinter-nn's functional ops: sums over windows and GEMMs of a few dozen terms, values and gradients. */
        NN_FUNCTIONAL(2e-5, 2e-5, 1e-9, 1e-11),
        /**
         * sinter-nn's layers (outputs) and optimizers (parameters after each step): chains of
         * GEMMs, recurrences over time steps, optimizer state carried over several steps.
         */
        NN_LAYER(1e-4, 1e-5, 1e-9, 1e-11),
        /** Gradients of layers' inputs and parameters: NN_LAYER, summed over batch and time (4x the absolute slack). */
        NN_LAYER_GRADIENT(1e-4, 4e-5, 1e-9, 4e-11),
        /** A scalar norm of many gradients (clipGradNorm_'s total norm), far from zero: relative error only. */
        TOTAL_NORM(1e-5, 0, 1e-5, 0),
        /** Learning rates: Python floats and Java doubles from the same closed forms and recurrences. */
        SCHEDULER_RATE(1e-12, 1e-15, 1e-12, 1e-15);

        private final Tolerance float32, float64;

        Rule(double rtol32, double atol32, double rtol64, double atol64) {
            this.float32 = new Tolerance(rtol32, atol32);
            this.float64 = new Tolerance(rtol64, atol64);
        }

        /** This rule's tolerance for results of {@code dtype}; exact for integers and bools. */
        public Tolerance of(DType dtype) {
            return switch (dtype) {
                case FLOAT64 -> float64;
                case FLOAT32 -> float32;
                default -> Tolerance.EXACT;
            };
        }
    }

    /** Op keys of the fixture files whose rule is not the default (see {@link #forOp}). */
    private static final Map<String, Rule> OP_RULES = opRules();

    private static Map<String, Rule> opRules() {
        Map<String, Rule> m = new HashMap<>();
        for (String op : List.of("sum", "sum.dim", "sum.dims", "mean", "mean.dim", "mean.dims", "prod", "prod.dim",
                "var", "std", "var.default", "std.default", "var.dim", "std.dim", "logsumexp", "logsumexp.dim",
                "norm", "norm.p", "norm.pAll", "cumsum", "softmax", "logSoftmax", "matmul", "mm", "bmm", "dot")) {
            m.put(op, Rule.ACCUMULATING);
        }
        for (String op : List.of("conv1d", "conv2d", "convTranspose2d", "maxPool2d", "maxPool2dWithIndices", "avgPool2d",
                "adaptiveAvgPool2d", "batchNorm", "layerNorm", "groupNorm", "embedding", "linear", "bilinear",
                "mseLoss", "l1Loss", "smoothL1Loss", "huberLoss", "crossEntropy", "crossEntropy.probs", "nllLoss",
                "binaryCrossEntropy", "binaryCrossEntropyWithLogits", "klDiv")) {
            m.put(op, Rule.NN_FUNCTIONAL);
        }
        return Map.copyOf(m);
    }

    /** The rule of an op key: its own, else ACCUMULATING for gradients and ONE_ROUNDING for values. */
    public static Rule ruleFor(String op, boolean gradient) {
        Rule own = OP_RULES.get(op);
        if (own != null) return own;
        return gradient ? Rule.ACCUMULATING : Rule.ONE_ROUNDING;
    }

    /** Tolerance for an op fixture's output (gradient false) or input gradient (true) of {@code dtype}. */
    public static Tolerance forOp(String op, DType dtype, boolean gradient) {
        return ruleFor(op, gradient).of(dtype);
    }

    /**
     * Tolerance for an input gradient of an op case. In a case that involves float32, PyTorch's
     * backward rounds some intermediates in float32 even for a float64 input (it sums a float32
     * output's gradient before casting it to the float64 input; pow's exponent gradient takes log
     * of the float32 base in float32), so such reference gradients are only float32-precise.
     */
    public static Tolerance forGradient(OpCase c, DType gradDtype) {
        return forOp(c.op(), c.involvesFloat32() ? DType.FLOAT32 : gradDtype, true);
    }
}
