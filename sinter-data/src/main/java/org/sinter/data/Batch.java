package org.sinter.data;

import java.util.List;
import org.sinter.Tensor;

/**
 * A collated batch: one tensor per field of the samples, each with the batch as dimension 0.
 * For {@link Example} samples field 0 is the stacked inputs and field 1 the stacked targets; for
 * {@code Tensor[]} samples the fields follow the array.
 *
 * <pre>{@code
 * for (Batch b : loader) {
 *     Tensor x = b.input();     // [B, 1, 28, 28]
 *     Tensor y = b.target();    // [B] int64
 * }
 * }</pre>
 */
public record Batch(List<Tensor> fields) {
    public Batch {
        fields = List.copyOf(fields);
        if (fields.isEmpty()) throw new IllegalArgumentException("Batch: expected at least one field");
    }

    public static Batch of(Tensor... fields) {
        return new Batch(List.of(fields));
    }

    /** This batch with every field on {@code device} (itself when they already are). */
    public Batch to(org.sinter.Device device) {
        boolean there = true;
        for (Tensor t : fields) there &= t.device().equals(device);
        if (there) return this;
        return new Batch(fields.stream().map(t -> t.to(device)).toList());
    }

    /** Field {@code i}. */
    public Tensor get(int i) {
        if (i < 0 || i >= fields.size()) throw new IndexOutOfBoundsException("Batch: field " + i + " does not exist; the batch has " + fields.size());
        return fields.get(i);
    }

    /** Field 0: the inputs. */
    public Tensor input() {
        return get(0);
    }

    /** Field 1: the targets (labels). */
    public Tensor target() {
        return get(1);
    }

    /** Number of fields. */
    public int arity() {
        return fields.size();
    }

    /** Number of samples (dimension 0 of the first field). */
    public int size() {
        Tensor first = fields.get(0);
        return first.dim() == 0 ? 1 : first.size(0);
    }
}
