package org.sinter.onnx;

import java.util.Arrays;
import java.util.List;

/**
 * An ONNX tensor of strings (element type STRING): a shape and its elements in row-major order,
 * immutable. Sinter's tensors hold numbers only, so string values live in the ONNX runner
 * ({@link ValueGraph}) as this, as sequences and optionals do; {@code StringNormalizer} and
 * {@code Cast}/{@code CastLike} to and from strings produce and read them.
 */
public record OnnxStrings(int[] shape, List<String> values) {
    public OnnxStrings {
        shape = shape.clone();
        values = List.copyOf(values);
        long n = 1;
        for (int d : shape) {
            if (d < 0) throw new IllegalArgumentException("OnnxStrings: negative dimension in shape " + Arrays.toString(shape));
            n *= d;
        }
        if (n != values.size()) throw new IllegalArgumentException("OnnxStrings: shape " + Arrays.toString(shape) + " holds " + n + " strings, given " + values.size());
    }

    /** {@code values} shaped as {@code shape}. */
    public static OnnxStrings of(List<String> values, int... shape) {
        return new OnnxStrings(shape, values);
    }

    @Override public int[] shape() { return shape.clone(); }

    public int size() { return values.size(); }

    public String get(int i) { return values.get(i); }

    @Override
    public boolean equals(Object o) {
        return o instanceof OnnxStrings s && Arrays.equals(shape, s.shape) && values.equals(s.values);
    }

    @Override public int hashCode() { return 31 * Arrays.hashCode(shape) + values.hashCode(); }

    @Override public String toString() { return "strings" + Arrays.toString(shape) + " " + values; }
}
