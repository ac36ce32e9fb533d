package org.sinter.data;

import java.util.ArrayList;
import java.util.List;
import org.sinter.Generator;
import org.sinter.data.transforms.Transform;

/**
 * A map-style dataset: a fixed number of samples, each reachable by index, like PyTorch's
 * {@code torch.utils.data.Dataset}. A sample is any Java value; the usual ones are an
 * {@link Example} (input tensor and target) or a {@code Tensor[]} tuple, which the
 * {@link DataLoader}'s default collate knows how to stack into a {@link Batch}.
 *
 * <pre>{@code
 * Dataset<Example> train = MNIST.train();                      // 60,000 examples
 * var parts = Dataset.randomSplit(train, new int[] {55_000, 5_000}, new Generator(0));
 * Dataset<Example> flipped = train.map(Transform.onInput(new RandomHorizontalFlip(0.5)));
 * Example e = train.get(0);                                    // e.label() == 5
 * }</pre>
 *
 * <p>Randomness: {@link #get(int, Generator)} receives the generator a random transform should
 * draw from. The data loader derives one per sample from its seed, the epoch and the index, so a
 * run repeats exactly whatever the number of workers; {@link #get(int)} uses the global generator.
 *
 * @param <T> the sample type
 */
public interface Dataset<T> {
    /** Number of samples. */
    int size();

    /** The sample at {@code index}, in {@code [0, size())}. */
    T get(int index);

    /** The sample at {@code index}, with random transforms drawing from {@code gen}. */
    default T get(int index, Generator gen) {
        return get(index);
    }

    /** A lazy view whose samples are this dataset's passed through {@code transform}. */
    default <R> Dataset<R> map(Transform<? super T, ? extends R> transform) {
        return new MappedDataset<>(this, transform);
    }

    /** Checks {@code index} against {@code size}, naming the dataset in the error. */
    static int checkIndex(String dataset, int index, int size) {
        if (index < 0 || index >= size) {
            throw new IndexOutOfBoundsException(dataset + ": index " + index + " is out of range for a dataset of size " + size);
        }
        return index;
    }

    /**
     * Splits {@code dataset} into non-overlapping random subsets of the given lengths, which must
     * add up to its size (PyTorch's {@code random_split}). Reproducible for a given generator state.
     */
    static <T> List<Subset<T>> randomSplit(Dataset<T> dataset, int[] lengths, Generator gen) {
        long total = 0;
        for (int len : lengths) {
            if (len < 0) throw new IllegalArgumentException("randomSplit: lengths must be non-negative, got " + len);
            total += len;
        }
        if (total != dataset.size()) {
            throw new IllegalArgumentException("randomSplit: lengths add up to " + total + " but the dataset has " + dataset.size() + " samples");
        }
        long[] perm = gen.randperm(dataset.size()).toLongArray();
        List<Subset<T>> parts = new ArrayList<>(lengths.length);
        int start = 0;
        for (int len : lengths) {
            int[] idx = new int[len];
            for (int i = 0; i < len; i++) idx[i] = (int) perm[start + i];
            parts.add(new Subset<>(dataset, idx));
            start += len;
        }
        return parts;
    }

    /**
     * {@link #randomSplit(Dataset, int[], Generator)} with fractions that add up to 1; samples
     * left over after flooring go one each to the first parts, as in PyTorch.
     */
    static <T> List<Subset<T>> randomSplit(Dataset<T> dataset, double[] fractions, Generator gen) {
        double sum = 0;
        for (double f : fractions) {
            if (!(f >= 0 && f <= 1)) throw new IllegalArgumentException("randomSplit: fractions must be in [0, 1], got " + f);
            sum += f;
        }
        if (Math.abs(sum - 1) > 1e-6) throw new IllegalArgumentException("randomSplit: fractions add up to " + sum + ", expected 1");
        int n = dataset.size();
        int[] lengths = new int[fractions.length];
        int used = 0;
        for (int i = 0; i < fractions.length; i++) {
            lengths[i] = (int) Math.floor(n * fractions[i]);
            used += lengths[i];
        }
        for (int i = 0; used < n; i = (i + 1) % lengths.length, used++) lengths[i]++;
        return randomSplit(dataset, lengths, gen);
    }
}
