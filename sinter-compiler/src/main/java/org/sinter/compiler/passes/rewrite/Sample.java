package org.sinter.compiler.passes.rewrite;

import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * A rule's {@code sample} line: how verification picks a value for a symbol that the pattern's
 * input shapes do not fix, or fix too loosely (sizes default to 1..4, a {@code $*S} to rank 0..3).
 * Matching ignores these lines: there the graph supplies every value.
 */
sealed interface Sample {
    /** The symbol this line binds. */
    String symbol();

    /** Binds {@link #symbol()} in {@code b}; symbols it reads must already be bound. */
    void apply(Binding b, RandomGenerator rnd);

    /** {@code sample $X in LO..HI} (inclusive bounds, expressions). */
    record Range(String symbol, String lo, String hi) implements Sample {
        @Override
        public void apply(Binding b, RandomGenerator rnd) {
            long l = Expr.eval(lo, b), h = Expr.eval(hi, b);
            if (h < l) throw new IllegalArgumentException("sample $" + symbol + " in " + lo + ".." + hi + ": the range " + l + ".." + h + " is empty");
            b.put(symbol, l + rnd.nextLong(h - l + 1));
        }
    }

    /** {@code sample $X = EXPR}: a value other symbols determine (a convolution's output size). */
    record Define(String symbol, String expr) implements Sample {
        @Override
        public void apply(Binding b, RandomGenerator rnd) {
            b.put(symbol, Expr.eval(expr, b));
        }
    }

    /** {@code sample $X oneof a, b}: one of the listed words ({@code true, false}). */
    record OneOf(String symbol, List<String> choices) implements Sample {
        @Override
        public void apply(Binding b, RandomGenerator rnd) {
            b.put(symbol, Binding.ofToken(choices.get(rnd.nextInt(choices.size()))));
        }
    }

    /** {@code sample $*S rank LO..HI}: a shape of that many dims, each 1..4. */
    record Rank(String symbol, String lo, String hi) implements Sample {
        @Override
        public void apply(Binding b, RandomGenerator rnd) {
            int l = (int) Expr.eval(lo, b), h = (int) Expr.eval(hi, b);
            b.put(symbol, shape(rnd, l + rnd.nextInt(h - l + 1)));
        }
    }

    /** {@code sample $D dims-of S}: a non-empty sorted subset of S's dims (the dims a reduction reduces). */
    record DimsOf(String symbol, String of) implements Sample {
        @Override
        public void apply(Binding b, RandomGenerator rnd) {
            int rank = b.list(of).length;
            List<Integer> dims = new ArrayList<>();
            for (int d = 0; d < rank; d++) if (rnd.nextBoolean()) dims.add(d);
            if (dims.isEmpty() && rank > 0) dims.add(rnd.nextInt(rank));
            b.put(symbol, dims.stream().mapToInt(Integer::intValue).toArray());
        }
    }

    /** {@code sample $P reshape-of S}: a shape with S's element count, of rank 1..3. */
    record ReshapeOf(String symbol, String of) implements Sample {
        @Override
        public void apply(Binding b, RandomGenerator rnd) {
            long n = 1;
            for (int d : b.list(of)) n *= d;
            int rank = 1 + rnd.nextInt(3);
            int[] out = new int[rank];
            long left = n;
            for (int i = 0; i < rank - 1; i++) {
                List<Integer> divisors = new ArrayList<>();
                for (int d = 1; d <= left; d++) if (left % d == 0) divisors.add(d);
                out[i] = divisors.get(rnd.nextInt(divisors.size()));
                left /= out[i];
            }
            out[rank - 1] = (int) left;
            b.put(symbol, out);
        }
    }

    /** A shape of {@code rank} dims, each 1..4: small, so verification is quick, and size-1 dims occur. */
    static int[] shape(RandomGenerator rnd, int rank) {
        int[] s = new int[rank];
        for (int i = 0; i < rank; i++) s[i] = 1 + rnd.nextInt(4);
        return s;
    }
}
