package org.sinter.rl.agents;

import java.util.function.Consumer;
import org.sinter.nn.Module;
import org.sinter.rl.TrainingResult;

/**
 * One training run of one algorithm on one environment, behind the interface the {@code sinter rl}
 * command drives: train with progress reports, then save the network that acts. Built by
 * {@link Agents#create}.
 */
public interface Agent {
    /** A progress report: environment steps, finished episodes, mean return of the recent episodes, throughput. */
    record Progress(long steps, int episodes, double meanReturn, double stepsPerSecond) {}

    /** What the policy network is (algorithm, environment, widths): enough to rebuild it from a checkpoint. */
    PolicySpec spec();

    /**
     * Trains until the step budget, or until the mean return over the last {@code window} episodes
     * reaches {@code stopReturn} (+∞: never stop early). {@code progress} may be null.
     */
    TrainingResult train(double stopReturn, int window, Consumer<Progress> progress);

    /** The network that acts, as it stands now; {@link PolicyCheckpoint} saves its state dict. */
    Module policy();
}
