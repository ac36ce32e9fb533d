package org.sinter.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.sinter.Tensor;

/**
 * Turns the samples of one batch into the value a training step consumes (PyTorch's
 * {@code collate_fn}). {@link #stack()} is the default.
 *
 * <pre>{@code
 * // keep variable-length sequences as a list instead of stacking them
 * DataLoader<List<Tensor[]>> loader = DataLoader.builder(ds).batchSize(8).collate(samples -> samples).build();
 * }</pre>
 *
 * @param <T> the sample type
 * @param <B> the batch type
 */
@FunctionalInterface
public interface Collate<T, B> {
    B collate(List<T> samples);

    /**
     * The default collate: stacks each field of the samples along a new dimension 0.
     * <ul>
     *   <li>{@link Example} → {@code [inputs, targets]} (0-d int64 labels become an int64 vector);</li>
     *   <li>{@code Tensor} → one field; {@code Tensor[]}, {@code Object[]} or {@code List} → one field per element;</li>
     *   <li>Java numbers become tensors: integers → int64, {@code Double} → float64, {@code Float} → float32,
     *       {@code Boolean} → bool, as PyTorch's {@code default_collate} does with Python numbers.</li>
     * </ul>
     * Samples whose fields disagree in shape get an error naming the field and the sample.
     */
    static Collate<Object, Batch> stack() {
        return Collate::stackSamples;
    }

    private static Batch stackSamples(List<?> samples) {
        if (samples.isEmpty()) throw new IllegalArgumentException("default collate: empty batch");
        List<?> first = fieldsOf(samples.get(0), 0);
        int arity = first.size();
        List<List<Object>> columns = new ArrayList<>(arity);
        for (int f = 0; f < arity; f++) columns.add(new ArrayList<>(samples.size()));
        for (int s = 0; s < samples.size(); s++) {
            List<?> fields = s == 0 ? first : fieldsOf(samples.get(s), s);
            if (fields.size() != arity) {
                throw new IllegalArgumentException("default collate: sample " + s + " of the batch has " + fields.size()
                        + " fields but sample 0 has " + arity);
            }
            for (int f = 0; f < arity; f++) columns.get(f).add(fields.get(f));
        }
        List<Tensor> out = new ArrayList<>(arity);
        for (int f = 0; f < arity; f++) out.add(stackField(f, columns.get(f)));
        return new Batch(out);
    }

    private static List<?> fieldsOf(Object sample, int position) {
        return switch (sample) {
            case Example e -> List.of(e.input(), e.target());
            case Tensor t -> List.of(t);
            case Tensor[] a -> Arrays.asList(a);
            case Object[] a -> Arrays.asList(a);
            case List<?> l -> l;
            case null -> throw new NullPointerException("default collate: sample " + position + " of the batch is null");
            default -> List.of(sample);
        };
    }

    private static Tensor stackField(int field, List<Object> values) {
        Object v0 = values.get(0);
        if (v0 instanceof Tensor t0) {
            List<Tensor> ts = new ArrayList<>(values.size());
            for (int s = 0; s < values.size(); s++) {
                if (!(values.get(s) instanceof Tensor t)) {
                    throw new IllegalArgumentException("default collate: field " + field + " of sample " + s + " is a "
                            + typeName(values.get(s)) + " but sample 0's is a Tensor");
                }
                if (!Arrays.equals(t.shape(), t0.shape()) || t.dtype() != t0.dtype()) {
                    throw new IllegalArgumentException("default collate: field " + field + " of sample " + s + " is " + t.describe()
                            + " but sample 0's is " + t0.describe() + "; stack needs equal shapes and dtypes (use a custom collate to pad)");
                }
                ts.add(t);
            }
            return Tensor.stack(ts, 0);
        }
        int n = values.size();
        switch (v0) {
            case Double _ -> {
                double[] a = new double[n];
                for (int s = 0; s < n; s++) a[s] = number(field, s, values.get(s), Double.class).doubleValue();
                return Tensor.of(a);
            }
            case Float _ -> {
                float[] a = new float[n];
                for (int s = 0; s < n; s++) a[s] = number(field, s, values.get(s), Float.class).floatValue();
                return Tensor.of(a);
            }
            case Long _, Integer _, Short _, Byte _ -> {
                return longs(field, values);
            }
            case Boolean _ -> {
                boolean[] a = new boolean[n];
                for (int s = 0; s < n; s++) a[s] = number(field, s, values.get(s), Boolean.class);
                return Tensor.of(a);
            }
            default -> throw new IllegalArgumentException("default collate: cannot batch field " + field + " of type "
                    + typeName(v0) + "; samples should be Example, Tensor, Tensor[] or lists of tensors and numbers,"
                    + " or pass a custom Collate");
        }
    }

    private static Tensor longs(int field, List<Object> values) {
        long[] a = new long[values.size()];
        for (int s = 0; s < a.length; s++) {
            Object v = values.get(s);
            if (!(v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte)) {
                throw new IllegalArgumentException("default collate: field " + field + " of sample " + s + " is a " + typeName(v)
                        + " but sample 0's is an integer");
            }
            a[s] = ((Number) v).longValue();
        }
        return Tensor.of(a); // int64
    }

    private static <N> N number(int field, int sample, Object v, Class<N> type) {
        if (!type.isInstance(v)) {
            throw new IllegalArgumentException("default collate: field " + field + " of sample " + sample + " is a " + typeName(v)
                    + " but sample 0's is a " + type.getSimpleName());
        }
        return type.cast(v);
    }

    private static String typeName(Object v) {
        return v == null ? "null" : v.getClass().getSimpleName();
    }
}
