package org.sinter.automl.experiment;

import java.util.function.ToDoubleFunction;

/**
 * The user's training program for one trial: reads {@link Trial#parameters()}, may call
 * {@link Trial#reportIntermediate} each epoch, and ends with {@link Trial#reportFinal}. An
 * exception fails the trial; an {@link Error} (out of memory, a simulated crash) aborts the whole
 * experiment without recording the running trials, which a resume then reruns.
 */
@FunctionalInterface
public interface TrialFunction {
    void run(Trial trial) throws Exception;

    /** A function that returns its final metric instead of reporting it. */
    static TrialFunction returning(ToDoubleFunction<Trial> objective) {
        return trial -> trial.reportFinal(objective.applyAsDouble(trial));
    }
}
