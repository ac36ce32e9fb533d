package org.sinter.compiler.passes.rewrite;

import org.sinter.compiler.ir.Graph;
import org.sinter.compiler.ir.Node;
import org.sinter.compiler.ir.Value;
import org.sinter.ops.BinaryOps;
import org.sinter.ops.SoftmaxOps;
import org.sinter.ops.UnaryOps;

/**
 * A rule's {@code where} line: a condition a match must meet. Comparisons of symbol expressions
 * hold for verification too (bindings that break them are not sampled); {@code const} and
 * {@code nonnegative} speak of the matched values, and {@code nonnegative} also makes verification
 * draw that input from [0, 2].
 */
sealed interface Constraint {
    /** Whether the match (its binding, and the graph value each pattern name stands for) meets this condition. */
    boolean holds(Binding b, java.util.function.Function<String, Value> value, Graph g);

    /** {@code where EXPR OP EXPR}, OP one of {@code == != < <= > >=}. */
    record Compare(String left, String op, String right) implements Constraint {
        @Override
        public boolean holds(Binding b, java.util.function.Function<String, Value> value, Graph g) {
            return holds(b);
        }

        boolean holds(Binding b) {
            long l = Expr.eval(left, b), r = Expr.eval(right, b);
            return switch (op) {
                case "==" -> l == r;
                case "!=" -> l != r;
                case "<" -> l < r;
                case "<=" -> l <= r;
                case ">" -> l > r;
                case ">=" -> l >= r;
                default -> throw new IllegalArgumentException("unknown comparison '" + op + "'");
            };
        }
    }

    /**
     * {@code where const %a}: the matched value is a bound constant, or computed from constants
     * only (constant folding will compute it), so work on it is done once at compile time.
     */
    record Const(String name) implements Constraint {
        @Override
        public boolean holds(Binding b, java.util.function.Function<String, Value> value, Graph g) {
            return constant(g, value.apply(name));
        }

        static boolean constant(Graph g, Value v) {
            Graph.Parameter p = g.parameter(v);
            if (p != null) return p.constant() && p.tensor() != null;
            Node n = v.producer();
            if (n == null || n.inputs().isEmpty()) return false;
            for (Value in : n.inputs()) if (!constant(g, in)) return false;
            return true;
        }
    }

    /**
     * {@code where nonnegative %x}: the matched value is ≥ 0 (or NaN) by construction: a ReLU, abs,
     * exp, sigmoid, square, square root or softmax, or a constant with no negative element.
     */
    record NonNegative(String name) implements Constraint {
        @Override
        public boolean holds(Binding b, java.util.function.Function<String, Value> value, Graph g) {
            return nonNegative(g, value.apply(name));
        }

        static boolean nonNegative(Graph g, Value v) {
            Graph.Parameter p = g.parameter(v);
            if (p != null) return p.constant() && p.tensor() != null && java.util.Arrays.stream(p.tensor().toDoubleArray()).noneMatch(x -> x < 0);
            Node n = v.producer();
            if (n == null) return false;
            return switch (n.op()) {
                case UnaryOps.Unary u -> switch (u.fn()) {
                    case RELU, ABS, EXP, EXP2, SIGMOID, SQRT, SQUARE, SOFTPLUS -> true;
                    case CLAMP -> u.p0() >= 0;
                    default -> false;
                };
                case SoftmaxOps.Softmax s -> !s.log();
                case BinaryOps.Binary bin -> bin.fn() == org.sinter.kernels.BinaryFn.MUL && n.inputs().get(0) == n.inputs().get(1);
                default -> false;
            };
        }
    }
}
