package org.sinter.automl.tuner;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Picks the next configuration to try from the results so far (NNI's Tuner). Tuners see
 * <em>losses</em>: lower is better; the experiment turns a maximised metric into a loss. The
 * experiment calls a tuner from one thread only.
 */
public interface Tuner {

    /** Parameters for trial {@code trialId}, or empty when the tuner has nothing left to try (grid). */
    Optional<Map<String, Object>> generateParameters(int trialId);

    /** The loss trial {@code trialId} ended with (its last intermediate result when stopped early). */
    void receiveTrialResult(int trialId, Map<String, Object> parameters, double loss);

    /**
     * Brings a fresh tuner to where a resumed experiment stood: {@code issued} are the parameters
     * of every trial already started (finished or about to be rerun), {@code completed} the
     * finished ones' results in the order they arrived.
     */
    default void restore(List<Map<String, Object>> issued, List<Observation> completed) {
        for (Observation o : completed) receiveTrialResult(o.trialId(), o.parameters(), o.loss());
    }

    record Observation(int trialId, Map<String, Object> parameters, double loss) {}
}
