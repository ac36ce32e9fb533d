package org.sinter.kernels;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The one intra-op thread pool every kernel shares. A parallel loop splits a range into at most
 * {@link #numThreads()} chunks; the calling thread runs the first chunk itself, so a 1-thread
 * setting costs nothing. Loops started from inside a parallel region run serially (no nested
 * oversubscription, no deadlock), and so do loops started while another thread holds the pool.
 *
 * <p>Workers spin for a while after each loop before they park ({@code sinter.parallel.spinMicros},
 * default 200 µs; 0 parks at once), as OpenMP's active wait policy and OpenBLAS's threads do: a
 * training step runs one parallel kernel after another with short serial gaps, and waking a parked
 * thread costs 20–50 µs each time, more than many of those kernels take.
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

    /** How long an idle worker (and a caller waiting for workers) spins before parking. */
    static final long SPIN_NANOS = Math.max(0L, Long.getLong("sinter.parallel.spinMicros", 200L)) * 1000L;

    private static volatile int numThreads = Math.max(1, Runtime.getRuntime().availableProcessors());
    private static volatile Pool pool;

    /** Set on pool workers for good, and on a caller while it runs its own chunk. */
    private static final ThreadLocal<Boolean> IN_REGION = ThreadLocal.withInitial(() -> Boolean.FALSE);

    private Parallel() {}

    /** Sets the number of threads kernels use (like {@code torch.set_num_threads}). */
    public static synchronized void setNumThreads(int n) {
        if (n < 1) throw new IllegalArgumentException("setNumThreads: thread count must be >= 1, got " + n);
        if (n == numThreads) return;
        numThreads = n;
        Pool old = pool;
        pool = null;
        if (old != null) old.shutdown();
    }

    /** The number of threads kernels use. */
    public static int numThreads() {
        return numThreads;
    }

    private static Pool pool() {
        Pool p = pool;
        if (p == null) {
            synchronized (Parallel.class) {
                p = pool;
                if (p == null) pool = p = new Pool(numThreads - 1);
            }
        }
        return p;
    }

    /**
     * True inside a parallel region: on one of the pool's workers, or on the thread that started
     * the loop while it runs its own chunk. Nested loops then run serially.
     */
    public static boolean inWorker() {
        return IN_REGION.get();
    }

    /**
     * Runs {@code body} over {@code [0, n)}, split into chunks of at least {@code grain} elements,
     * on up to {@link #numThreads()} threads. Returns when every chunk is done; the first exception
     * thrown by a chunk is rethrown.
     */
    public static void forRange(int n, int grain, RangeBody body) {
        if (n <= 0) return;
        int chunks = (int) Math.min(numThreads, Math.max(1L, (long) n / Math.max(1, grain)));
        if (chunks <= 1 || inWorker()) {
            body.run(0, n);
            return;
        }
        Pool p = pool();
        // Another thread's loop holds the workers: this one runs alone rather than queue behind it.
        if (!p.lock.tryLock()) {
            body.run(0, n);
            return;
        }
        try {
            p.run(n, Math.min(chunks, p.workers.length + 1), body);
        } finally {
            p.lock.unlock();
        }
    }

    /** The workers and the state of the one loop they run at a time (guarded by {@link #lock}). */
    private static final class Pool {
        final ReentrantLock lock = new ReentrantLock();
        final Worker[] workers;
        // The current loop, published to workers by the volatile write of their chunk index.
        RangeBody body;
        int n, chunks;
        final AtomicInteger pending = new AtomicInteger();
        final AtomicReference<Throwable> error = new AtomicReference<>();
        volatile Thread waiter;
        volatile boolean shutdown;

        Pool(int size) {
            workers = new Worker[size];
            for (int i = 0; i < size; i++) {
                workers[i] = new Worker(this);
                workers[i].setName("sinter-intraop-" + (i + 1));
                workers[i].setDaemon(true);
                workers[i].start();
            }
        }

        void run(int n, int chunks, RangeBody body) {
            this.body = body;
            this.n = n;
            this.chunks = chunks;
            error.set(null);
            pending.set(chunks - 1);
            for (int c = 1; c < chunks; c++) workers[c - 1].assign(c);
            IN_REGION.set(Boolean.TRUE);
            try {
                body.run(0, (int) ((long) n / chunks));
            } catch (Throwable t) {
                error.compareAndSet(null, t);
            } finally {
                IN_REGION.set(Boolean.FALSE);
            }
            awaitWorkers();
            this.body = null;
            Throwable t = error.getAndSet(null);
            if (t instanceof RuntimeException re) throw re;
            if (t instanceof Error e) throw e;
            if (t != null) throw new IllegalStateException(t);
        }

        private void awaitWorkers() {
            long start = System.nanoTime();
            for (int spins = 0; pending.get() != 0; spins++) {
                if ((spins & 63) != 0 || System.nanoTime() - start < SPIN_NANOS) {
                    Thread.onSpinWait();
                } else {
                    waiter = Thread.currentThread();
                    if (pending.get() != 0) LockSupport.park(this);
                    waiter = null;
                }
            }
        }

        void runChunk(int c) {
            try {
                body.run((int) ((long) n * c / chunks), (int) ((long) n * (c + 1) / chunks));
            } catch (Throwable t) {
                error.compareAndSet(null, t);
            } finally {
                if (pending.decrementAndGet() == 0) {
                    Thread w = waiter;
                    if (w != null) LockSupport.unpark(w);
                }
            }
        }

        void shutdown() {
            shutdown = true;
            for (Worker w : workers) LockSupport.unpark(w);
        }
    }

    /** A pool thread: runs the chunk it is assigned, spins a while for the next, then parks. */
    private static final class Worker extends Thread {
        private final Pool pool;
        private volatile int chunk = -1;
        private volatile boolean parked;

        Worker(Pool pool) {
            this.pool = pool;
        }

        void assign(int c) {
            chunk = c;
            if (parked) LockSupport.unpark(this);
        }

        @Override
        public void run() {
            IN_REGION.set(Boolean.TRUE);
            long idleSince = System.nanoTime();
            for (int spins = 0; ; spins++) {
                int c = chunk;
                if (c >= 0) {
                    chunk = -1;
                    pool.runChunk(c);
                    idleSince = System.nanoTime();
                    spins = 0;
                } else if (pool.shutdown) {
                    return;
                } else if ((spins & 63) != 0 || System.nanoTime() - idleSince < SPIN_NANOS) {
                    Thread.onSpinWait();
                } else {
                    // Dekker handshake with assign(): either we see the chunk, or it sees us parked.
                    parked = true;
                    if (chunk < 0 && !pool.shutdown) LockSupport.park(this);
                    parked = false;
                }
            }
        }
    }
}
