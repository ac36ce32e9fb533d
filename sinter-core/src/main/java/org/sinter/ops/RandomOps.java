package org.sinter.ops;

import java.util.Map;
import org.sinter.Dispatch;
import org.sinter.Generator;
import org.sinter.Tensor;

/**
 * Random fills as primitives ({@code uniform_}, {@code normal_}), drawing from an explicit
 * {@link Generator}: the record holds the generator, so two fills are the same op only when they
 * draw from the same stream.
 */
public final class RandomOps {
    private RandomOps() {}

    private static TensorSpec[] floating(String op, Tensor t) {
        if (!t.dtype().isFloatingPoint()) {
            throw new IllegalArgumentException(op + ": expected a floating point dtype, got " + t.dtype().name());
        }
        return new TensorSpec[0];
    }

    public record Uniform(double from, double to, Generator generator) implements UpdateOp {
        @Override public String name() { return "uniform_"; }

        @Override public Map<String, Object> attributes() { return Map.of("from", from, "to", to); }

        @Override public TensorSpec[] meta(Tensor... in) { return floating(name(), in[0]); }

        @Override public int[] written(int n) { return new int[] {0}; }
    }

    public record Normal(double mean, double std, Generator generator) implements UpdateOp {
        @Override public String name() { return "normal_"; }

        @Override public Map<String, Object> attributes() { return Map.of("mean", mean, "std", std); }

        @Override public TensorSpec[] meta(Tensor... in) { return floating(name(), in[0]); }

        @Override public int[] written(int n) { return new int[] {0}; }
    }

    /** Integers uniform in [low, high) (randint). */
    public record Integers(long low, long high, Generator generator) implements UpdateOp {
        @Override public String name() { return "random_"; }

        @Override public Map<String, Object> attributes() { return Map.of("from", low, "to", high); }

        @Override
        public TensorSpec[] meta(Tensor... in) {
            if (high <= low) throw new IllegalArgumentException("random_: expected low < high, got low=" + low + " high=" + high);
            if (in[0].dtype() != org.sinter.DType.INT64) {
                throw new IllegalArgumentException("random_: integers are drawn into int64 tensors, got " + in[0].describe());
            }
            return new TensorSpec[0];
        }

        @Override public int[] written(int n) { return new int[] {0}; }
    }

    public static Tensor integers_(Tensor t, long low, long high, Generator g) {
        Dispatch.applyUpdate(new Integers(low, high, g), t);
        return t;
    }

    public static Tensor uniform_(Tensor t, double from, double to, Generator g) {
        Dispatch.applyUpdate(new Uniform(from, to, g), t);
        return t;
    }

    public static Tensor normal_(Tensor t, double mean, double std, Generator g) {
        Dispatch.applyUpdate(new Normal(mean, std, g), t);
        return t;
    }
}
