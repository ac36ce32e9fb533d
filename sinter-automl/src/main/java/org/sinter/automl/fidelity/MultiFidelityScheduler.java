package org.sinter.automl.fidelity;

import java.util.Optional;

/**
 * Hands out {@link Job}s at growing budgets and learns from their losses (Hyperband, BOHB, ASHA).
 * {@link #next} may return empty while the scheduler waits for running jobs (synchronous successive
 * halving must see a whole rung before promoting); {@link #done} says nothing more will come.
 */
public interface MultiFidelityScheduler {
    Optional<Job> next();

    void report(Job job, double loss);

    boolean done();
}
