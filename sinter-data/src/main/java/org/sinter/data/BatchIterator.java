package org.sinter.data;

import java.lang.ref.Cleaner;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.sinter.Generator;

/**
 * One epoch of a {@link DataLoader}. With workers, batches are submitted to a pool in epoch order
 * and taken back in that order, so at most {@code prefetchFactor * numWorkers} batches are loaded or
 * loading at any time. Closing it (or reaching the end) cancels what is pending and stops the
 * workers.
 *
 * <pre>{@code
 * try (var it = loader.iterator()) {
 *     while (it.hasNext()) {
 *         Batch b = it.next();
 *         if (done(b)) break;          // workers stop when the try block closes the iterator
 *     }
 * }
 * }</pre>
 */
public final class BatchIterator<B> implements Iterator<B>, AutoCloseable {
    private static final Cleaner CLEANER = Cleaner.create(Thread.ofPlatform().daemon().name("sinter-data-cleaner").factory());
    /** Idle workers exit after this; bounds how long an abandoned epoch keeps threads. */
    private static final long KEEP_ALIVE_MS = 500;

    private final Dataset<?> dataset;
    private final Collate<Object, ? extends B> collate;
    private final int[][] batches;
    private final long epochSeed;
    private final int capacity;
    private final ThreadPoolExecutor pool;
    private final Cleaner.Cleanable cleanable;
    private final ArrayDeque<Future<? extends B>> window = new ArrayDeque<>();
    private int nextToReturn;
    private int nextToSubmit;
    private boolean closed;

    BatchIterator(DataLoader<B> loader) {
        this.dataset = loader.dataset;
        this.collate = loader.collate;
        Generator gen = loader.generator != null ? loader.generator : Generator.global();
        int n = dataset.size();
        int[] order = new int[n];
        synchronized (gen) {
            // Drawn before the permutation, as PyTorch draws its base seed first.
            epochSeed = gen.random().nextLong();
            if (loader.shuffle) {
                long[] perm = gen.randperm(n).toLongArray();
                for (int i = 0; i < n; i++) order[i] = (int) perm[i];
            } else {
                for (int i = 0; i < n; i++) order[i] = i;
            }
        }
        this.batches = loader.shardCount > 1 ? shard(order, loader.batchSize, loader.shardRank, loader.shardCount)
                : split(order, loader.batchSize, loader.dropLast);
        if (loader.numWorkers > 0 && batches.length > 0) {
            this.capacity = loader.prefetchFactor * loader.numWorkers;
            String prefix = "sinter-data-worker-" + loader.id + "-";
            pool = new ThreadPoolExecutor(loader.numWorkers, loader.numWorkers, KEEP_ALIVE_MS, TimeUnit.MILLISECONDS,
                    new LinkedBlockingQueue<>(), Thread.ofPlatform().daemon().name(prefix, 0).factory());
            pool.allowCoreThreadTimeOut(true);
            ThreadPoolExecutor p = pool;
            cleanable = CLEANER.register(this, p::shutdownNow);
            fill();
        } else {
            this.capacity = 0;
            this.pool = null;
            this.cleanable = null;
        }
    }

    private static int[][] split(int[] order, int batchSize, boolean dropLast) {
        int full = order.length / batchSize;
        boolean partial = !dropLast && order.length % batchSize != 0;
        int[][] out = new int[full + (partial ? 1 : 0)][];
        for (int b = 0; b < out.length; b++) {
            int from = b * batchSize;
            int to = Math.min(from + batchSize, order.length);
            out[b] = java.util.Arrays.copyOfRange(order, from, to);
        }
        return out;
    }

    /** Part {@code rank} of {@code count} of each full global batch; the incomplete last one is dropped. */
    private static int[][] shard(int[] order, int batchSize, int rank, int count) {
        int per = batchSize / count;
        int[][] out = new int[order.length / batchSize][];
        for (int b = 0; b < out.length; b++) {
            int from = b * batchSize + rank * per;
            out[b] = java.util.Arrays.copyOfRange(order, from, from + per);
        }
        return out;
    }

    /** Number of batches this epoch yields in all. */
    public int size() {
        return batches.length;
    }

    @Override
    public boolean hasNext() {
        if (closed) return false;
        if (nextToReturn < batches.length) return true;
        close();
        return false;
    }

    @Override
    public B next() {
        if (!hasNext()) throw new NoSuchElementException("DataLoader: the epoch is over (or the iterator was closed)");
        int b = nextToReturn++;
        if (pool == null) {
            try {
                return load(dataset, collate, batches[b], epochSeed, b);
            } catch (RuntimeException | Error e) {
                close();
                throw e;
            }
        }
        Future<? extends B> f = window.poll();
        try {
            B batch = f.get();
            fill();
            return batch;
        } catch (ExecutionException e) {
            close();
            if (e.getCause() instanceof DataLoaderException d) {
                throw new DataLoaderException(d.getMessage(), d.sampleIndex(), d.batchIndex(), d.getCause());
            }
            throw new DataLoaderException("DataLoader: worker failed on batch " + b + ": " + e.getCause(), -1, b, e.getCause());
        } catch (InterruptedException e) {
            close();
            Thread.currentThread().interrupt();
            throw new DataLoaderException("DataLoader: interrupted while waiting for batch " + b, -1, b, e);
        } catch (CancellationException e) {
            close();
            throw new DataLoaderException("DataLoader: batch " + b + " was cancelled", -1, b, e);
        }
    }

    private void fill() {
        while (nextToSubmit < batches.length && window.size() < capacity) {
            int b = nextToSubmit++;
            int[] idx = batches[b];
            Dataset<?> ds = dataset;
            Collate<Object, ? extends B> c = collate;
            long seed = epochSeed;
            // The task captures no reference to this iterator, so an abandoned iterator can be cleaned.
            window.add(pool.submit(() -> load(ds, c, idx, seed, b)));
        }
    }

    /** Stops the workers and drops pending batches. Idempotent. */
    @Override
    public void close() {
        if (closed) return;
        closed = true;
        for (Future<? extends B> f : window) f.cancel(true);
        window.clear();
        if (pool != null) {
            cleanable.clean(); // shutdownNow, once
            try {
                pool.awaitTermination(2, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    static <B> B load(Dataset<?> dataset, Collate<Object, ? extends B> collate, int[] indices, long epochSeed, int batch) {
        List<Object> samples = new ArrayList<>(indices.length);
        for (int index : indices) {
            try {
                samples.add(dataset.get(index, sampleGenerator(epochSeed, index)));
            } catch (RuntimeException e) {
                throw new DataLoaderException("DataLoader: loading sample " + index + " (batch " + batch + ") failed: " + e, index, batch, e);
            }
        }
        try {
            return collate.collate(samples);
        } catch (RuntimeException e) {
            throw new DataLoaderException("DataLoader: collating batch " + batch + " failed: " + e, -1, batch, e);
        }
    }

    /** The generator sample {@code index} sees in an epoch: a SplitMix64 mix of the epoch seed and the index. */
    static Generator sampleGenerator(long epochSeed, int index) {
        long z = epochSeed + 0x9E3779B97F4A7C15L * (index + 1L);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return new Generator(z ^ (z >>> 31));
    }
}
