package org.sinter.rl.remote;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.sinter.rl.WeightSnapshot;

/**
 * One thread per {@link RolloutSource}, looping until the learner stops them: wait for a turn
 * ({@link Gate}: Ape-X holds its replay ratio there), take the next batch with the latest weights,
 * hand it to the learner ({@link Sink}: IMPALA's queue, Ape-X's replay). Whether the source is a
 * worker in this process or in another one, the loop is the same. The first failure is kept for
 * the learner to rethrow ({@link #rethrowFailure}).
 */
public final class RolloutThreads<E> implements AutoCloseable {
    /** Blocks until a worker may collect again (returns at once when the run is stopping). */
    public interface Gate {
        void await() throws InterruptedException;
    }

    /** Takes a batch to the learner. */
    public interface Sink<E> {
        void accept(E batch) throws InterruptedException;
    }

    private final List<? extends RolloutSource<E>> sources;
    private final BooleanSupplier stopping;
    private final List<Thread> threads = new ArrayList<>();
    private final List<Throwable> failures = Collections.synchronizedList(new ArrayList<>());

    /**
     * Starts the threads, named {@code name-k}; {@code stopping} is the learner's flag (set before
     * {@link #close}); {@code onFailure} wakes a learner that may be waiting.
     */
    public RolloutThreads(String name, List<? extends RolloutSource<E>> sources, Supplier<WeightSnapshot> latest, BooleanSupplier stopping,
                          Gate gate, Sink<E> sink, Runnable onFailure) {
        this.sources = sources;
        this.stopping = stopping;
        for (int k = 0; k < sources.size(); k++) {
            RolloutSource<E> source = sources.get(k);
            Thread thread = new Thread(() -> {
                try {
                    while (!stopping.getAsBoolean()) {
                        gate.await();
                        if (stopping.getAsBoolean()) return;
                        E batch = source.next(latest.get());
                        if (stopping.getAsBoolean()) return;
                        sink.accept(batch);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (IOException e) {
                    if (!stopping.getAsBoolean()) throw new java.io.UncheckedIOException(e.getMessage(), e);
                }
            }, name + "-" + k);
            thread.setDaemon(true);
            thread.setUncaughtExceptionHandler((t, e) -> {
                failures.add(e);
                onFailure.run();
            });
            threads.add(thread);
        }
        threads.forEach(Thread::start);
    }

    /** Throws the first worker failure, as {@code who: a rollout worker failed: …}. */
    public void rethrowFailure(String who) {
        if (!failures.isEmpty()) {
            Throwable first = failures.getFirst();
            throw new IllegalStateException(who + ": an actor failed: " + first, first);
        }
    }

    /** Closes the sources (which ends worker processes) and waits for the threads; the learner has set its stopping flag. */
    @Override
    public void close() {
        if (!stopping.getAsBoolean()) throw new IllegalStateException("RolloutThreads: set the stopping flag before closing");
        for (RolloutSource<E> source : sources) source.close();
        for (Thread thread : threads) {
            try {
                thread.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
