package org.sinter.data;

import java.util.Arrays;
import java.util.List;
import org.sinter.Generator;

/**
 * Several datasets one after another (PyTorch's {@code ConcatDataset}).
 *
 * <pre>{@code
 * Dataset<Example> all = new ConcatDataset<>(List.of(MNIST.train(), MNIST.test()));  // 70,000
 * }</pre>
 */
public final class ConcatDataset<T> implements Dataset<T> {
    private final List<Dataset<? extends T>> datasets;
    /** cumulative[i] = total size of datasets 0..i. */
    private final int[] cumulative;

    public ConcatDataset(List<? extends Dataset<? extends T>> datasets) {
        if (datasets.isEmpty()) throw new IllegalArgumentException("ConcatDataset: expected at least one dataset");
        this.datasets = List.copyOf(datasets);
        this.cumulative = new int[datasets.size()];
        long total = 0;
        for (int i = 0; i < datasets.size(); i++) {
            total += datasets.get(i).size();
            if (total > Integer.MAX_VALUE) throw new IllegalArgumentException("ConcatDataset: more than 2^31-1 samples");
            cumulative[i] = (int) total;
        }
    }

    @SafeVarargs
    @SuppressWarnings("varargs") // the array is only read, into an immutable list
    public static <T> ConcatDataset<T> of(Dataset<? extends T>... datasets) {
        return new ConcatDataset<>(Arrays.asList(datasets));
    }

    @Override
    public int size() {
        return cumulative[cumulative.length - 1];
    }

    @Override
    public T get(int index) {
        int d = locate(index);
        return datasets.get(d).get(index - start(d));
    }

    @Override
    public T get(int index, Generator gen) {
        int d = locate(index);
        return datasets.get(d).get(index - start(d), gen);
    }

    private int start(int d) {
        return d == 0 ? 0 : cumulative[d - 1];
    }

    private int locate(int index) {
        Dataset.checkIndex("ConcatDataset", index, size());
        int pos = Arrays.binarySearch(cumulative, index + 1);
        // binarySearch finds the first dataset whose cumulative end exceeds index (ties: empty datasets).
        if (pos < 0) return -pos - 1;
        while (pos > 0 && cumulative[pos - 1] == index + 1) pos--;
        return pos;
    }
}
