package org.sinter.rl.remote;

import org.sinter.rl.WeightSnapshot;

/**
 * A rollout worker: it steps its environment copy with its own copy of the policy and returns what
 * the learner consumes ({@code E}: an IMPALA trajectory, an Ape-X chunk of scored rows). The same
 * object runs in a learner's thread or alone in a worker process ({@link WorkerProcess}).
 */
public interface RolloutWorker<E> {
    /** The version of the weights it acts with (−1 before the first load). */
    long version();

    /** Whether it would load newer weights now (IMPALA: before every unroll; Ape-X: every {@code actorSyncEvery} steps). */
    boolean syncDue();

    void load(WeightSnapshot weights);

    /** One batch of experience. */
    E collect();
}
