package org.sinter.kernels;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.ForkJoinWorkerThread;

/**
 * The one intra-op thread pool every kernel shares. A parallel loop splits a range into at most
 * {@link #numThreads()} chunks; the calling thread runs the first chunk itself, so a 1-thread
 * setting costs nothing. Loops started from inside a pool worker run serially (no nested
 * oversubscription, no deadlock).
 */
public final class Parallel {
    /** A body run over one chunk {@code [start, end)} of a parallel range. */
    @FunctionalInterface
    public interface RangeBody {
        void run(int start, int end);
    }

    /**
     * Streaming (memory-bound) loops shorter than this run on the calling thread: waking a parked
     * worker (20–50 µs measured) costs about as much as one core streaming 256K floats.
     */
    public static final int PARALLEL_MIN_ELEMENTS = 1 << 18;

    private static volatile int numThreads = Math.max(1, Runtime.getRuntime().availableProcessors());
    private static volatile ForkJoinPool pool;

    private Parallel() {}

    /** Sets the number of threads kernels use (like {@code torch.set_num_threads}). */
    public static synchronized void setNumThreads(int n) {
        if (n < 1) throw new IllegalArgumentException("setNumThreads: thread count must be >= 1, got " + n);
        if (n == numThreads) return;
        numThreads = n;
        ForkJoinPool old = pool;
        pool = null;
        if (old != null) old.shutdown();
    }

    /** The number of threads kernels use. */
    public static int numThreads() {
        return numThreads;
    }

    private static ForkJoinPool pool() {
        ForkJoinPool p = pool;
        if (p == null) {
            synchronized (Parallel.class) {
                p = pool;
                if (p == null) {
                    ForkJoinPool.ForkJoinWorkerThreadFactory factory = fjp -> {
                        ForkJoinWorkerThread t = ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(fjp);
                        t.setName("sinter-intraop-" + t.getPoolIndex());
                        t.setDaemon(true);
                        return t;
                    };
                    p = new ForkJoinPool(Math.max(1, numThreads - 1), factory, null, false);
                    pool = p;
                }
            }
        }
        return p;
    }

    /** Set while the calling thread runs its own chunk of a parallel loop. */
    private static final ThreadLocal<Boolean> IN_REGION = ThreadLocal.withInitial(() -> Boolean.FALSE);

    /**
     * True inside a parallel region: on one of the pool's workers, or on the thread that started
     * the loop while it runs its own chunk. Nested loops then run serially.
     */
    public static boolean inWorker() {
        return (Thread.currentThread() instanceof ForkJoinWorkerThread w && w.getPool() == pool) || IN_REGION.get();
    }

    /**
     * Runs {@code body} over {@code [0, n)}, split into chunks of at least {@code grain} elements,
     * on up to {@link #numThreads()} threads. Returns when every chunk is done; the first exception
     * thrown by a chunk is rethrown.
     */
    public static void forRange(int n, int grain, RangeBody body) {
        if (n <= 0) return;
        int threads = numThreads;
        int chunks = (int) Math.min(threads, Math.max(1L, (long) n / Math.max(1, grain)));
        if (chunks <= 1 || inWorker()) {
            body.run(0, n);
            return;
        }
        ForkJoinPool p = pool();
        @SuppressWarnings("unchecked")
        ForkJoinTask<?>[] tasks = new ForkJoinTask<?>[chunks - 1];
        for (int c = 1; c < chunks; c++) {
            int s = (int) ((long) n * c / chunks), e = (int) ((long) n * (c + 1) / chunks);
            tasks[c - 1] = p.submit(() -> body.run(s, e));
        }
        RuntimeException first = null;
        IN_REGION.set(Boolean.TRUE);
        try {
            body.run(0, (int) ((long) n / chunks));
        } catch (RuntimeException ex) {
            first = ex;
        } finally {
            IN_REGION.set(Boolean.FALSE);
        }
        for (ForkJoinTask<?> t : tasks) {
            try {
                t.join();
            } catch (RuntimeException ex) {
                if (first == null) first = ex;
            }
        }
        if (first != null) throw first;
    }
}
