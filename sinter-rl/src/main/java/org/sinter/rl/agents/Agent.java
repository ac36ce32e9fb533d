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

    /** Whether this run can save its full training state and be resumed ({@link #saveState}, {@link #resume}). */
    default boolean resumable() {
        return false;
    }

    /** Saves the full training state (network, optimizer, environments, streams, history) atomically; call from the progress callback or after training. */
    default void saveState(java.nio.file.Path file) throws java.io.IOException {
        throw new UnsupportedOperationException(spec().algorithm() + " cannot save its training state yet; resuming works for " + Agents.RESUMABLE);
    }

    /** Restores a state {@link #saveState} wrote; the next {@link #train} continues it. Returns the environment steps it had taken. */
    default long resume(java.nio.file.Path file) throws java.io.IOException {
        throw new UnsupportedOperationException(spec().algorithm() + " cannot resume yet; resuming works for " + Agents.RESUMABLE);
    }
}
