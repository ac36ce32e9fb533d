package org.sinter.automl.tuner;

import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/**
 * The random stream for one trial, derived from the experiment's seed and the trial's id rather
 * than drawn from one shared stream: a resumed experiment then proposes for trial 17 exactly what
 * the uninterrupted one would have, given the same history.
 */
final class TrialRandom {
    private TrialRandom() {}

    static RandomGenerator forTrial(long seed, int trialId) {
        // SplittableRandom's seed mixing decorrelates neighbouring (seed, id) pairs.
        return new SplittableRandom(new SplittableRandom(seed).nextLong() ^ (0x9E3779B97F4A7C15L * (trialId + 1L)));
    }
}
