package org.sinter.privacy;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.sinter.DType;
import org.sinter.Generator;
import org.sinter.Tensor;
import org.sinter.data.Batch;
import org.sinter.data.Collate;
import org.sinter.data.Dataset;

/**
 * Poisson sampling (Opacus' {@code DPDataLoader} with its {@code UniformWithReplacementSampler}):
 * every batch includes each example independently with probability {@code q}, so batch sizes
 * vary around {@code q·n}. This is the sampling the RDP accountant's subsampled Gaussian
 * mechanism assumes; fixed-size shuffled batches would not carry its guarantee.
 *
 * <p>An epoch is {@code round(1/q)} batches. A batch may be empty: it is then a batch of the
 * right field shapes and dtypes with zero rows, and the training step must still run (the
 * optimizer adds noise and the accountant counts the step).
 */
public final class PoissonDataLoader implements Iterable<Batch> {
    private final Dataset<?> dataset;
    private final double sampleRate;
    private final int batchesPerEpoch;
    private final Generator generator;
    private final Collate<Object, Batch> collate = Collate.stack();

    public PoissonDataLoader(Dataset<?> dataset, double sampleRate, Generator generator) {
        if (dataset.size() == 0) throw new IllegalArgumentException("PoissonDataLoader: the dataset is empty");
        if (!(sampleRate > 0 && sampleRate <= 1)) {
            throw new IllegalArgumentException("PoissonDataLoader: sample rate must lie in (0, 1], got " + sampleRate);
        }
        this.dataset = dataset;
        this.sampleRate = sampleRate;
        this.batchesPerEpoch = (int) Math.max(1, Math.round(1 / sampleRate));
        this.generator = generator;
    }

    /** A loader with the same expected batch size as a loader of {@code batchSize}: q = batchSize / n. */
    public static PoissonDataLoader withExpectedBatchSize(Dataset<?> dataset, int batchSize, Generator generator) {
        if (batchSize <= 0 || batchSize > dataset.size()) {
            throw new IllegalArgumentException("PoissonDataLoader: expected batch size must lie in [1, " + dataset.size() + "], got " + batchSize);
        }
        return new PoissonDataLoader(dataset, (double) batchSize / dataset.size(), generator);
    }

    public double sampleRate() {
        return sampleRate;
    }

    /** Batches per epoch, {@code round(1/q)}. */
    public int size() {
        return batchesPerEpoch;
    }

    public Dataset<?> dataset() {
        return dataset;
    }

    /** The mean batch size, {@code q·n}. */
    public double expectedBatchSize() {
        return sampleRate * dataset.size();
    }

    /** The indices of one Poisson-sampled batch. */
    int[] sampleIndices() {
        int n = dataset.size();
        double[] u = generator.rand(DType.FLOAT64, n).toDoubleArray();
        int count = 0;
        int[] picked = new int[n];
        for (int i = 0; i < n; i++) if (u[i] < sampleRate) picked[count++] = i;
        return java.util.Arrays.copyOf(picked, count);
    }

    @Override
    public Iterator<Batch> iterator() {
        return new Iterator<>() {
            int produced;

            @Override
            public boolean hasNext() {
                return produced < batchesPerEpoch;
            }

            @Override
            public Batch next() {
                if (!hasNext()) throw new NoSuchElementException();
                produced++;
                int[] idx = sampleIndices();
                if (idx.length == 0) return emptyBatch();
                List<Object> samples = new ArrayList<>(idx.length);
                for (int i : idx) samples.add(dataset.get(i));
                return collate.collate(samples);
            }
        };
    }

    /** A zero-row batch shaped like the dataset's samples. */
    private Batch emptyBatch() {
        Batch one = collate.collate(List.of(dataset.get(0)));
        List<Tensor> fields = new ArrayList<>();
        for (Tensor t : one.fields()) fields.add(t.narrow(0, 0, 0).contiguous());
        return new Batch(fields);
    }
}
