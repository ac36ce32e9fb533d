package org.sinter.autotune.te;

import java.util.List;

/**
 * The scalar expression of a compute declaration: loads at affine indices, constants, the
 * reduction's accumulated value (in an epilogue) and the usual arithmetic. One tree is both the
 * reference interpreter's input and the code generator's.
 */
public sealed interface Expr {
    /** {@code tensor[index...]}; with {@code padded}, an index outside the tensor reads 0 (zero padding). */
    record Load(String tensor, List<Affine> index, boolean padded) implements Expr {
        public Load {
            index = List.copyOf(index);
        }
    }

    record Const(float value) implements Expr {}

    /** The value of the reduction, in an epilogue. */
    record Acc() implements Expr {}

    enum BinaryFn { ADD, MUL, MAX }

    record Binary(BinaryFn fn, Expr a, Expr b) implements Expr {}

    enum UnaryFn { RELU, SIGMOID, TANH, SQRT, IDENTITY }

    record Unary(UnaryFn fn, Expr a) implements Expr {}

    static Expr add(Expr a, Expr b) {
        return new Binary(BinaryFn.ADD, a, b);
    }

    static Expr mul(Expr a, Expr b) {
        return new Binary(BinaryFn.MUL, a, b);
    }

    static Load load(String tensor, Affine... index) {
        return new Load(tensor, List.of(index), false);
    }

    /** Every load in {@code e}. */
    static void loads(Expr e, List<Load> out) {
        switch (e) {
            case Load l -> out.add(l);
            case Binary b -> { loads(b.a(), out); loads(b.b(), out); }
            case Unary u -> loads(u.a(), out);
            case Const c -> { }
            case Acc a -> { }
        }
    }

    /** {@code e} with every load's index variables substituted (loop splitting, layout rewrites). */
    static Expr mapLoads(Expr e, java.util.function.UnaryOperator<Load> f) {
        return switch (e) {
            case Load l -> f.apply(l);
            case Binary b -> new Binary(b.fn(), mapLoads(b.a(), f), mapLoads(b.b(), f));
            case Unary u -> new Unary(u.fn(), mapLoads(u.a(), f));
            case Const c -> c;
            case Acc a -> a;
        };
    }
}
