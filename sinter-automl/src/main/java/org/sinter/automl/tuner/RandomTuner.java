package org.sinter.automl.tuner;

import java.util.Map;
import java.util.Optional;
import org.sinter.automl.space.SearchSpace;

/** Independent samples from the search space's distributions (NNI's "Random"). */
public final class RandomTuner implements Tuner {
    private final SearchSpace space;
    private final long seed;

    public RandomTuner(SearchSpace space, long seed) {
        this.space = space;
        this.seed = seed;
    }

    @Override
    public Optional<Map<String, Object>> generateParameters(int trialId) {
        return Optional.of(space.sample(TrialRandom.forTrial(seed, trialId)));
    }

    @Override
    public void receiveTrialResult(int trialId, Map<String, Object> parameters, double loss) {}
}
