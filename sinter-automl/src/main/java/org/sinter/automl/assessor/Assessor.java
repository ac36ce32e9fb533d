package org.sinter.automl.assessor;

import java.util.List;

/**
 * Decides from a running trial's intermediate results whether it is worth continuing (NNI's
 * Assessor). Histories are <em>losses</em>, lower is better. The experiment calls an assessor
 * under one lock, so implementations need no synchronisation of their own.
 */
public interface Assessor {

    enum AssessResult { GOOD, BAD }

    /** Called after each intermediate result; {@code history} holds all of the trial's results so far. */
    AssessResult assessTrial(int trialId, List<Double> history);

    /** The trial finished; {@code success} is false when it failed or was stopped early. */
    default void trialEnd(int trialId, boolean success) {}
}
