package org.sinter.data;

import org.sinter.Generator;

/**
 * The samples of a dataset at the given indices, in that order (PyTorch's {@code Subset}).
 *
 * <pre>{@code
 * var firstTen = new Subset<>(MNIST.test(), new int[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9});
 * }</pre>
 */
public final class Subset<T> implements Dataset<T> {
    private final Dataset<T> dataset;
    private final int[] indices;

    public Subset(Dataset<T> dataset, int[] indices) {
        int n = dataset.size();
        for (int i : indices) {
            if (i < 0 || i >= n) throw new IndexOutOfBoundsException("Subset: index " + i + " is out of range for a dataset of size " + n);
        }
        this.dataset = dataset;
        this.indices = indices.clone();
    }

    /** The samples {@code [start, end)} of {@code dataset}. */
    public static <T> Subset<T> range(Dataset<T> dataset, int start, int end) {
        if (start < 0 || end < start || end > dataset.size()) {
            throw new IndexOutOfBoundsException("Subset.range: [" + start + ", " + end + ") is not inside [0, " + dataset.size() + ")");
        }
        int[] idx = new int[end - start];
        for (int i = 0; i < idx.length; i++) idx[i] = start + i;
        return new Subset<>(dataset, idx);
    }

    public Dataset<T> dataset() {
        return dataset;
    }

    /** The underlying dataset's indices, in this subset's order. */
    public int[] indices() {
        return indices.clone();
    }

    @Override
    public int size() {
        return indices.length;
    }

    @Override
    public T get(int index) {
        return dataset.get(indices[Dataset.checkIndex("Subset", index, indices.length)]);
    }

    @Override
    public T get(int index, Generator gen) {
        return dataset.get(indices[Dataset.checkIndex("Subset", index, indices.length)], gen);
    }
}
