package org.sinter.rl.remote;

import java.io.IOException;
import org.sinter.rl.WeightSnapshot;

/**
 * The learner's side of one rollout worker: hand it the latest weights, get its next batch of
 * experience. {@link #local} calls a worker in the same process; {@link WorkerProcesses} gives
 * sources that reach a worker in another process over a loopback socket. The learner's code is
 * the same either way.
 */
public interface RolloutSource<E> extends AutoCloseable {
    /** The next batch; the worker first loads {@code latest} if it is due for weights and they are newer than its own. */
    E next(WeightSnapshot latest) throws IOException, InterruptedException;

    @Override
    default void close() {}

    /** A worker in this process. */
    static <E> RolloutSource<E> local(RolloutWorker<E> worker) {
        return latest -> {
            if (shouldLoad(worker.syncDue(), worker.version(), latest)) worker.load(latest);
            return worker.collect();
        };
    }

    /** The one rule for when a worker takes new weights, wherever it runs. */
    static boolean shouldLoad(boolean syncDue, long workerVersion, WeightSnapshot latest) {
        return syncDue && latest.version() != workerVersion;
    }
}
