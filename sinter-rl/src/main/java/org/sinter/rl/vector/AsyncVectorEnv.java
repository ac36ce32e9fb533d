package org.sinter.rl.vector;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntFunction;
import java.util.function.Supplier;
import org.sinter.rl.Env;

/**
 * N copies of an environment stepped concurrently, one task per copy on a fixed thread pool
 * (Gymnasium's {@code AsyncVectorEnv}, with threads instead of processes). Semantics are exactly
 * {@link SyncVectorEnv}'s (same-step auto-reset, copy i seeded with {@code seed + i}, the same
 * {@link VectorStep}): each copy owns its own state and random stream, so the order copies run in
 * cannot change a seeded trajectory. Close it to stop the threads.
 */
public final class AsyncVectorEnv<O, A> implements VectorEnv<O, A> {
    private final SyncVectorEnv<O, A> copies;
    private final ExecutorService pool;

    public AsyncVectorEnv(Supplier<? extends Env<O, A>> factory, int numEnvs, int threads) {
        if (threads <= 0) throw new IllegalArgumentException("AsyncVectorEnv: threads must be positive, got " + threads);
        this.copies = new SyncVectorEnv<>(factory, numEnvs);
        this.pool = Executors.newFixedThreadPool(Math.min(threads, numEnvs), r -> {
            Thread t = new Thread(r, "async-vector-env");
            t.setDaemon(true);
            return t;
        });
    }

    /** One thread per copy. */
    public AsyncVectorEnv(Supplier<? extends Env<O, A>> factory, int numEnvs) {
        this(factory, numEnvs, numEnvs);
    }

    @Override
    public int numEnvs() {
        return copies.numEnvs();
    }

    @Override
    public Env<O, A> env(int i) {
        return copies.env(i);
    }

    @Override
    public List<O> reset(long seed) {
        return inParallel(i -> copies.resetCopy(i, seed));
    }

    @Override
    public VectorStep<O> step(List<A> actions) {
        copies.checkActions(actions, "AsyncVectorEnv");
        return SyncVectorEnv.assemble(inParallel(i -> copies.stepCopy(i, actions.get(i))));
    }

    @Override
    public List<long[]> snapshot() {
        return copies.snapshot();
    }

    @Override
    public void restore(List<long[]> states) {
        copies.restore(states);
    }

    private <T> List<T> inParallel(IntFunction<T> perCopy) {
        List<Future<T>> futures = new ArrayList<>(numEnvs());
        for (int i = 0; i < numEnvs(); i++) {
            int copy = i;
            futures.add(pool.submit(() -> perCopy.apply(copy)));
        }
        List<T> out = new ArrayList<>(futures.size());
        for (int i = 0; i < futures.size(); i++) {
            try {
                out.add(futures.get(i).get());
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                if (cause instanceof RuntimeException re) throw re;
                throw new IllegalStateException("AsyncVectorEnv(" + env(i).id() + "): copy " + i + " failed", cause);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("AsyncVectorEnv: interrupted while waiting for copy " + i, e);
            }
        }
        return out;
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
