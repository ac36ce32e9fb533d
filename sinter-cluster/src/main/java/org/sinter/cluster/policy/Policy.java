package org.sinter.cluster.policy;

import java.util.Comparator;
import org.sinter.cluster.sim.JobState;
import org.sinter.cluster.sim.SchedulerContext;

/**
 * A scheduling policy. The simulator keeps the wait queue in the policy's {@link #queueOrder} and,
 * after every batch of simultaneous events (arrivals, completions, wake-ups), calls
 * {@link #schedule}, where the policy starts and preempts jobs through the context. A policy whose
 * priorities move with time (Tiresias' queues) asks to be woken by {@link #nextWakeup}.
 */
public interface Policy {
    String name();

    /**
     * Highest priority first. The key of a waiting job must not change while it waits (it may change
     * while it runs): the queue is a sorted set. Ties are broken by the simulator (queue entry, id).
     */
    Comparator<JobState> queueOrder();

    void schedule(SchedulerContext ctx);

    /** The next instant a priority changes without an event, or {@code +Infinity}. */
    default double nextWakeup(SchedulerContext ctx) {
        return Double.POSITIVE_INFINITY;
    }
}
