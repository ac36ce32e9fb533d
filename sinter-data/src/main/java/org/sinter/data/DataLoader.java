package org.sinter.data;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import org.sinter.Generator;

/**
 * Batches a {@link Dataset}: samples in order or shuffled, collated into batches, optionally
 * loaded ahead by worker threads. PyTorch's {@code torch.utils.data.DataLoader}.
 *
 * <pre>{@code
 * var loader = DataLoader.builder(MNIST.train())
 *         .batchSize(64)
 *         .shuffle(true)
 *         .generator(new Generator(42))   // the same batches on every run; each epoch differs
 *         .numWorkers(2)                  // two daemon threads load ahead, batches stay in order
 *         .build();
 * for (int epoch = 0; epoch < 3; epoch++) {
 *     for (Batch b : loader) {
 *         Tensor x = b.input(), y = b.target();   // [64, 1, 28, 28] float32, [64] int64
 *     }
 * }
 * }</pre>
 *
 * <p>Each call to {@link #iterator()} is one epoch. It draws, from the loader's generator (the
 * global one when none was set), a seed for the epoch and then the shuffle permutation; every
 * sample is read with a generator derived from that seed and its index, so random transforms repeat
 * exactly for a given seed whatever the number of workers.
 *
 * <p>With {@code numWorkers > 0} each epoch gets its own pool of daemon threads that keeps at most
 * {@code prefetchFactor * numWorkers} batches loaded or loading ahead of the consumer. Stopping
 * early: close the iterator (it is {@link AutoCloseable}); an abandoned iterator's workers stop
 * anyway once it is garbage collected, and idle workers exit after a short keep-alive.
 *
 * @param <B> the batch type ({@link Batch} with the default collate)
 */
public final class DataLoader<B> implements Iterable<B> {
    private static final AtomicInteger LOADER_IDS = new AtomicInteger();

    final Dataset<?> dataset;
    final Collate<Object, ? extends B> collate;
    final int batchSize;
    final boolean shuffle;
    final boolean dropLast;
    final int numWorkers;
    final int prefetchFactor;
    final Generator generator;
    /** This loader's part of each batch (data-parallel ranks): part {@code shardRank} of {@code shardCount}. */
    final int shardRank, shardCount;
    final int id = LOADER_IDS.incrementAndGet();

    @SuppressWarnings("unchecked")
    private DataLoader(Builder<?, B> b) {
        this.dataset = b.dataset;
        this.collate = (Collate<Object, ? extends B>) (Collate<?, ?>) b.collate;
        this.batchSize = b.batchSize;
        this.shuffle = b.shuffle;
        this.dropLast = b.dropLast;
        this.numWorkers = b.numWorkers;
        this.prefetchFactor = b.prefetchFactor;
        this.generator = b.generator;
        this.shardRank = 0;
        this.shardCount = 1;
    }

    private DataLoader(DataLoader<B> from, int shardRank, int shardCount) {
        this.dataset = from.dataset;
        this.collate = from.collate;
        this.batchSize = from.batchSize;
        this.shuffle = from.shuffle;
        this.dropLast = from.dropLast;
        this.numWorkers = from.numWorkers;
        this.prefetchFactor = from.prefetchFactor;
        this.generator = from.generator;
        this.shardRank = shardRank;
        this.shardCount = shardCount;
    }

    /**
     * This loader for one of {@code count} data-parallel ranks: every rank draws the same epoch
     * order and cuts it into the same global batches of {@link #batchSize()}, and this one reads
     * and collates only part {@code rank} of each (a contiguous {@code batchSize / count} samples),
     * so no rank decodes what another trains on. An incomplete last global batch is dropped (the
     * ranks step together). With the same generator state on every rank, the parts make up
     * exactly the unsharded loader's batches, random transforms included.
     */
    public DataLoader<B> shard(int rank, int count) {
        if (count < 1 || rank < 0 || rank >= count) throw new IllegalArgumentException("DataLoader.shard: rank " + rank + " is not in a world of " + count);
        if (batchSize % count != 0) {
            throw new IllegalArgumentException("DataLoader.shard: the global batch of " + batchSize + " does not split evenly over " + count + " ranks");
        }
        return new DataLoader<>(this, rank, count);
    }

    /** A builder with batch size 1, no shuffling and the default {@link Collate#stack()}. */
    public static <T> Builder<T, Batch> builder(Dataset<T> dataset) {
        return new Builder<>(dataset, Collate.stack());
    }

    /** Shorthand for {@code builder(dataset).batchSize(batchSize).shuffle(shuffle).build()}. */
    public static DataLoader<Batch> of(Dataset<?> dataset, int batchSize, boolean shuffle) {
        return builder(dataset).batchSize(batchSize).shuffle(shuffle).build();
    }

    /** Number of batches per epoch (PyTorch's {@code len(loader)}). */
    public int size() {
        int n = dataset.size();
        return dropLast || shardCount > 1 ? n / batchSize : (n + batchSize - 1) / batchSize;
    }

    public Dataset<?> dataset() {
        return dataset;
    }

    public int batchSize() {
        return batchSize;
    }

    public int numWorkers() {
        return numWorkers;
    }

    /** Starts an epoch. Close the iterator when leaving the loop early. */
    @Override
    public BatchIterator<B> iterator() {
        return new BatchIterator<>(this);
    }

    /** Configures a {@link DataLoader}. */
    public static final class Builder<T, B> {
        private final Dataset<T> dataset;
        private final Collate<? super T, ? extends B> collate;
        private int batchSize = 1;
        private boolean shuffle;
        private boolean dropLast;
        private int numWorkers;
        private int prefetchFactor = 2;
        private Generator generator;

        private Builder(Dataset<T> dataset, Collate<? super T, ? extends B> collate) {
            this.dataset = Objects.requireNonNull(dataset, "dataset");
            this.collate = Objects.requireNonNull(collate, "collate");
        }

        private <C> Builder<T, C> copyWith(Collate<? super T, ? extends C> c) {
            Builder<T, C> b = new Builder<>(dataset, c);
            b.batchSize = batchSize;
            b.shuffle = shuffle;
            b.dropLast = dropLast;
            b.numWorkers = numWorkers;
            b.prefetchFactor = prefetchFactor;
            b.generator = generator;
            return b;
        }

        /** Samples per batch (default 1). */
        public Builder<T, B> batchSize(int batchSize) {
            if (batchSize <= 0) throw new IllegalArgumentException("DataLoader: batchSize must be positive, got " + batchSize);
            this.batchSize = batchSize;
            return this;
        }

        /** Reshuffle the samples at every epoch (default false). */
        public Builder<T, B> shuffle(boolean shuffle) {
            this.shuffle = shuffle;
            return this;
        }

        /** Drop the last batch when it is smaller than {@code batchSize} (default false). */
        public Builder<T, B> dropLast(boolean dropLast) {
            this.dropLast = dropLast;
            return this;
        }

        /** Worker threads loading batches ahead of the consumer; 0 (default) loads in the consumer's thread. */
        public Builder<T, B> numWorkers(int numWorkers) {
            if (numWorkers < 0) throw new IllegalArgumentException("DataLoader: numWorkers must be >= 0, got " + numWorkers);
            this.numWorkers = numWorkers;
            return this;
        }

        /** Batches each worker may have loaded ahead (default 2); the bound is {@code prefetchFactor * numWorkers}. */
        public Builder<T, B> prefetchFactor(int prefetchFactor) {
            if (prefetchFactor <= 0) throw new IllegalArgumentException("DataLoader: prefetchFactor must be positive, got " + prefetchFactor);
            this.prefetchFactor = prefetchFactor;
            return this;
        }

        /** The generator that draws each epoch's seed and permutation (default: the global generator). */
        public Builder<T, B> generator(Generator generator) {
            this.generator = generator;
            return this;
        }

        /** Shorthand for {@code generator(new Generator(seed))}. */
        public Builder<T, B> seed(long seed) {
            return generator(new Generator(seed));
        }

        /** Replaces the default collate; the loader then yields {@code C}. */
        public <C> Builder<T, C> collate(Collate<? super T, ? extends C> collate) {
            return copyWith(Objects.requireNonNull(collate, "collate"));
        }

        public DataLoader<B> build() {
            return new DataLoader<>(this);
        }
    }
}
