package org.sinter.automl.manager;

/**
 * The multi-fidelity part of a journaled trial (a Hyperband/BOHB/ASHA job): configuration
 * {@code config} trained up to {@code budget} at successive-halving level {@code rung}.
 * {@code issuedAfter} is how many results the scheduler had been told when it issued this job: with
 * each trial's end sequence number it lets a restarted manager replay the scheduler's calls in their
 * original order, which rebuilds its exact state (promotions, brackets, the sampler's model).
 */
public record TrialBudget(int config, int rung, double budget, int issuedAfter) {
    public TrialBudget {
        if (config < 0 || rung < 0 || !(budget > 0) || issuedAfter < 0)
            throw new IllegalArgumentException("bad trial budget: config " + config + ", rung " + rung + ", budget " + budget
                    + ", issued after " + issuedAfter + " results");
    }
}
