package org.sinter.kernels;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The one intra-op thread pool every kernel shares. A parallel loop splits a range into pieces
 * that the calling thread and up to {@link #numThreads()}{@code - 1} workers take in turn; a
 * 1-thread setting costs nothing. Loops started from inside a parallel region run serially (no nested
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

    /** Set on pool workers for good, and on a caller while it runs pieces of its own loop. */
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
     * How many parallel regions (loops handed to the pool's workers: one fork and one join each) have
     * started since the pool was created; loops run on the calling thread alone are not counted.
     * For profiles: the difference across N calls of a model is its fork/joins per call.
     */
    public static long regionsStarted() {
        Pool p = pool;
        if (p == null) return 0;
        p.lock.lock(); // loops is written under the lock
        try {
            return p.loops;
        } finally {
            p.lock.unlock();
        }
    }

    /**
     * True inside a parallel region: on one of the pool's workers, or on the thread that started
     * the loop while it runs its pieces. Nested loops then run serially.
     */
    public static boolean inWorker() {
        return IN_REGION.get();
    }

    /**
     * Runs {@code body} over {@code [0, n)}, split into chunks of at least {@code grain} elements,
     * on up to {@link #numThreads()} threads. Returns when every chunk is done; the first exception
     * thrown by a chunk is rethrown.
     *
     * <p>The range is cut into a few more pieces than threads, which the calling thread and the
     * workers take from a shared counter: a worker that wakes late, or whose core the machine
     * gives to another process for a while, takes fewer pieces instead of holding up the loop.
     */
    public static void forRange(int n, int grain, RangeBody body) {
        if (n <= 0) return;
        int threads = numThreads;
        long byGrain = Math.max(1L, (long) n / Math.max(1, grain));
        if (threads <= 1 || byGrain <= 1 || inWorker()) {
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
            int pieces = (int) Math.min(byGrain, (long) PIECES_PER_THREAD * threads);
            p.run(new Job(body, n, pieces, ++p.loops), Math.min(threads, pieces) - 1);
        } finally {
            p.lock.unlock();
        }
    }

    /**
     * A streaming (memory-bound) loop over {@code [0, n)}: parallel in pieces of at least half
     * {@link #PARALLEL_MIN_ELEMENTS}, so shorter loops stay on the calling thread.
     */
    public static void forStream(int n, RangeBody body) {
        forRange(n, PARALLEL_MIN_ELEMENTS / 2, body);
    }

    /** Whether a waiter idle since {@code since} keeps spinning (checking the clock every 64 spins). */
    private static boolean keepSpinning(int spins, long since) {
        return (spins & 63) != 0 || System.nanoTime() - since < SPIN_NANOS;
    }

    /** Pieces per thread a loop is cut into, so that a slow thread evens out. */
    private static final int PIECES_PER_THREAD = 4;

    /** One parallel loop: its pieces, taken from {@link #next}, and how many are finished. */
    private static final class Job {
        final RangeBody body;
        final int n, pieces;
        /** Which loop of its pool this is (workers remember the number, not the job and its captures). */
        final long seq;
        final AtomicInteger next = new AtomicInteger(), done = new AtomicInteger();
        final AtomicReference<Throwable> error = new AtomicReference<>();
        volatile Thread waiter;

        Job(RangeBody body, int n, int pieces, long seq) {
            this.body = body;
            this.n = n;
            this.pieces = pieces;
            this.seq = seq;
        }

        /** Runs pieces until none is left. */
        void work() {
            for (int c; (c = next.getAndIncrement()) < pieces; ) {
                try {
                    if (error.get() == null) body.run((int) ((long) n * c / pieces), (int) ((long) n * (c + 1) / pieces));
                } catch (Throwable t) {
                    error.compareAndSet(null, t);
                } finally {
                    if (done.incrementAndGet() == pieces) {
                        Thread w = waiter;
                        if (w != null) LockSupport.unpark(w);
                    }
                }
            }
        }

        /** Waits (spinning a while, then parked) until every piece is finished. */
        void await() {
            long start = System.nanoTime();
            for (int spins = 0; done.get() < pieces; spins++) {
                if (keepSpinning(spins, start)) {
                    Thread.onSpinWait();
                } else {
                    waiter = Thread.currentThread();
                    if (done.get() < pieces) LockSupport.park(this);
                    waiter = null;
                }
            }
        }
    }

    /** The workers; one loop at a time (guarded by {@link #lock}). */
    private static final class Pool {
        final ReentrantLock lock = new ReentrantLock();
        final Worker[] workers;
        /** The loop workers should join, null between loops. */
        volatile Job current;
        /** Loops started so far (guarded by {@link #lock}). */
        long loops;
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

        void run(Job job, int helpers) {
            current = job;
            // min: a concurrent setNumThreads may have swapped in a smaller pool since the caller read the count.
            for (int i = 0; i < Math.min(helpers, workers.length); i++) workers[i].wake();
            IN_REGION.set(Boolean.TRUE);
            try {
                job.work();
            } finally {
                IN_REGION.set(Boolean.FALSE);
            }
            job.await();
            current = null;
            Throwable t = job.error.get();
            if (t instanceof RuntimeException re) throw re;
            if (t instanceof Error e) throw e;
            if (t != null) throw new IllegalStateException(t);
        }

        void shutdown() {
            shutdown = true;
            for (Worker w : workers) LockSupport.unpark(w);
        }
    }

    /** A pool thread: joins each new loop, spins a while for the next one, then parks. */
    private static final class Worker extends Thread {
        private final Pool pool;
        private volatile boolean parked;

        Worker(Pool pool) {
            this.pool = pool;
        }

        void wake() {
            if (parked) LockSupport.unpark(this);
        }

        @Override
        public void run() {
            IN_REGION.set(Boolean.TRUE);
            long last = 0, idleSince = System.nanoTime();
            for (int spins = 0; ; spins++) {
                Job job = pool.current;
                if (job != null && job.seq != last) {
                    last = job.seq;
                    job.work();
                    idleSince = System.nanoTime();
                    spins = 0;
                } else if (pool.shutdown) {
                    return;
                } else if (keepSpinning(spins, idleSince)) {
                    Thread.onSpinWait();
                } else {
                    // Dekker handshake with run()/wake(): either we see the new job, or it sees us parked.
                    parked = true;
                    Job now = pool.current;
                    if ((now == null || now.seq == last) && !pool.shutdown) LockSupport.park(this);
                    parked = false;
                }
            }
        }
    }
}
